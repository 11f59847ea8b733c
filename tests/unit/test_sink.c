/* Sink tests: what lands in the MP4 (codec, size, colour tags, BT.709 values, chapters,
 * timing), what a GIF shows, byte-for-byte reproducibility, and the atomic-output guarantees on
 * failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cairo.h>
#include <dirent.h>
#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attnviz/png.h"
#include "output/libav.h" /* a video frame's planes, to compare pictures */
#include "sink.h"

#define W 64
#define H 48
#define FPS 15
#define FRAMES 30

static char dir[1024]; /* $AVZ_TEST_OUT/sink: only this test writes there */

static const avz_chapter chapters[] = {
    {"Intro", 0.0, 0.5},
    {"Heads", 0.5, 1.2},
    {"Outro", 1.2, 2.0},
};

static avz_sink_options default_options(void) {
    return (avz_sink_options){.width = W,
                              .height = H,
                              .fps = FPS,
                              .chapters = chapters,
                              .chapter_count = 3,
                              .crf = -1,
                              .preset = NULL};
}

static void mkdir_p(const char *path) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0777);
            *p = '/';
        }
    }
    mkdir(buf, 0777);
}

static int setup(void **state) {
    (void)state;
    const char *out = getenv("AVZ_TEST_OUT");
    snprintf(dir, sizeof dir, "%s/sink", out && *out ? out : "/tmp/avz_test_out");
    mkdir_p(dir);
    /* Start empty, so that leftovers of an earlier failed run cannot mask or fake a result. */
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && unlink(path) != 0) {
            chmod(path, 0755);
            rmdir(path);
        }
    }
    if (d)
        closedir(d);
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

static const char *out_path(const char *name) {
    static char buf[4][1200];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

/* Names beginning with a dot in dir: leftovers of the sink's temporary files. */
static int count_temp_files(const char *in) {
    DIR *d = opendir(in);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static uint8_t *read_all(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    *size = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

static void write_all(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A white slide with dark "text" bars and a box that moves every third frame. */
static void draw(uint8_t *pixels, int stride, int i) {
    cairo_surface_t *s =
        cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_ARGB32, W, H, stride);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.2);
    for (int y = 6; y < 24; y += 6)
        cairo_rectangle(cr, 4, y, 40, 3);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.2, 0.4, 0.9);
    cairo_rectangle(cr, 2 + i / 3 * 4, 30, 12, 12);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

typedef void draw_fn(uint8_t *pixels, int stride, int width, int height, int i);

/* Renders FRAMES frames of opts' size, converting only when the picture changes and re-sending
 * the same frame object otherwise, as the writer does for static stretches. */
static int encode_drawn(const char *path, const avz_sink_options *opts, draw_fn *paint,
                        avz_error *err) {
    avz_sink *sink;
    int ret = avz_sink_open(path, opts, &sink, err);
    if (ret < 0)
        return ret;
    avz_frame *frame;
    avz_converter *conv;
    assert_int_equal(avz_sink_frame_new(sink, &frame), 0);
    assert_int_equal(avz_converter_new(sink, &conv), 0);
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, opts->width);
    uint8_t *pixels = malloc((size_t)stride * (size_t)opts->height);
    for (int i = 0; i < FRAMES && ret == 0; i++) {
        if (i % 3 == 0) {
            paint(pixels, stride, opts->width, opts->height, i);
            assert_int_equal(avz_converter_run(conv, pixels, stride, frame), 0);
        }
        ret = avz_sink_write(sink, frame, err);
    }
    free(pixels);
    avz_converter_free(conv);
    avz_frame_free(frame);
    if (ret < 0) {
        avz_sink_abort(sink);
        return ret;
    }
    return avz_sink_finish(sink, err);
}

static void draw_slide(uint8_t *pixels, int stride, int width, int height, int i) {
    (void)width;
    (void)height;
    draw(pixels, stride, i);
}

static int encode(const char *path, const avz_sink_options *opts, avz_error *err) {
    return encode_drawn(path, opts, draw_slide, err);
}

static void test_mp4_contents(void **state) {
    (void)state;
    const char *path = out_path("contents.mp4");
    avz_sink_options opts = default_options();
    avz_error err = {0};
    assert_int_equal(encode(path, &opts, &err), 0);
    assert_int_equal(count_temp_files(dir), 0);

    AVFormatContext *fmt = NULL;
    assert_int_equal(avformat_open_input(&fmt, path, NULL, NULL), 0);
    assert_true(avformat_find_stream_info(fmt, NULL) >= 0);
    int vi = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    assert_true(vi >= 0);
    const AVCodecParameters *par = fmt->streams[vi]->codecpar;
    assert_int_equal(par->codec_id, AV_CODEC_ID_H264);
    assert_int_equal(par->width, W);
    assert_int_equal(par->height, H);
    assert_int_equal(par->format, AV_PIX_FMT_YUV420P);
    assert_int_equal(par->color_primaries, AVCOL_PRI_BT709);
    assert_int_equal(par->color_trc, AVCOL_TRC_BT709);
    assert_int_equal(par->color_space, AVCOL_SPC_BT709);
    assert_int_equal(par->color_range, AVCOL_RANGE_MPEG);
    assert_int_equal(fmt->duration, 2 * AV_TIME_BASE);

    assert_int_equal(fmt->nb_chapters, 3);
    for (unsigned i = 0; i < fmt->nb_chapters; i++) {
        const AVChapter *ch = fmt->chapters[i];
        const AVDictionaryEntry *title = av_dict_get(ch->metadata, "title", NULL, 0);
        assert_non_null(title);
        assert_string_equal(title->value, chapters[i].title);
        AVRational ms = {1, 1000};
        assert_int_equal(av_rescale_q(ch->start, ch->time_base, ms), chapters[i].start * 1000);
        assert_int_equal(av_rescale_q(ch->end, ch->time_base, ms), chapters[i].end * 1000);
    }

    AVPacket *pkt = av_packet_alloc();
    int frames = 0;
    while (av_read_frame(fmt, pkt) >= 0) {
        frames += pkt->stream_index == vi;
        av_packet_unref(pkt);
    }
    assert_int_equal(frames, FRAMES);
    av_packet_free(&pkt);
    avformat_close_input(&fmt);

    /* The umask decides the mode, as for any file the user creates. */
    mode_t mask = umask(0);
    umask(mask);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
}

static void test_reproducible_bytes(void **state) {
    (void)state;
    const char *a = out_path("repro_a.mp4"), *b = out_path("repro_b.mp4");
    avz_sink_options opts = default_options();
    avz_error err = {0};
    assert_int_equal(encode(a, &opts, &err), 0);
    assert_int_equal(encode(b, &opts, &err), 0);
    size_t na, nb;
    uint8_t *da = read_all(a, &na), *db = read_all(b, &nb);
    assert_non_null(da);
    assert_non_null(db);
    assert_int_equal(na, nb);
    assert_memory_equal(da, db, na);
    free(da);
    free(db);
}

/* Unblended edges on white, the picture that showed x264's AVX-512 code changing the bytes
 * from one encoder to the next in a process: dark bars, a blue box moving right. */
static void draw_hard_edges(uint8_t *pixels, int stride, int width, int height, int i) {
    for (int y = 0; y < height; y++) {
        uint32_t *row = (uint32_t *)(pixels + (size_t)y * (size_t)stride);
        for (int x = 0; x < width; x++) {
            bool box = x >= 2 + i / 3 * 4 && x < 14 + i / 3 * 4 && y >= height * 5 / 8 &&
                       y < height * 7 / 8;
            bool bar = y % 6 < 3 && x < width * 5 / 8 && y < height / 2;
            row[x] = box ? 0xFF4B3EC9u : bar ? 0xFF101010u : 0xFFFFFFFFu;
        }
    }
}

/* A process that renders many files (render --all, a server) gets the same bytes for each:
 * the encodes here meet a different heap each time. With x264 on AVX-512, some differed in
 * every test folder tried (6). */
static void test_reproducible_in_one_process(void **state) {
    (void)state;
    enum { ENCODES = 80, HEAP_BLOCKS = 10 };
    avz_sink_options opts = default_options();
    opts.width = opts.height = 64;
    opts.chapters = NULL;
    opts.chapter_count = 0;
    const char *path = out_path("repro_many.mp4");
    avz_error err = {0};
    assert_int_equal(encode_drawn(path, &opts, draw_hard_edges, &err), 0);
    size_t first_size;
    uint8_t *first = read_all(path, &first_size);
    assert_non_null(first);
    void *heap[ENCODES * HEAP_BLOCKS];
    uint32_t seed = 1;
    for (int e = 0; e < ENCODES; e++) {
        for (int k = 0; k < HEAP_BLOCKS; k++) {
            seed = seed * 1103515245u + 12345u;
            void *block = heap[e * HEAP_BLOCKS + k] = malloc(1 + (seed >> 8) % 50000);
            assert_non_null(block);
            memset(block, e, 1);
        }
        assert_int_equal(encode_drawn(path, &opts, draw_hard_edges, &err), 0);
        size_t size;
        uint8_t *again = read_all(path, &size);
        assert_non_null(again);
        assert_int_equal(size, first_size);
        assert_memory_equal(again, first, size);
        free(again);
    }
    for (int i = 0; i < ENCODES * HEAP_BLOCKS; i++)
        free(heap[i]);
    free(first);
}

static void fill(uint8_t *pixels, int stride, uint32_t argb) {
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            ((uint32_t *)(pixels + (size_t)y * stride))[x] = argb;
}

/* #FF0000 is Y 63, Cb 102, Cr 240 in BT.709 limited range; BT.601 would give Y 81, Cb 90. */
static void assert_red(const uint8_t *const data[3], const int linesize[3]) {
    int y = data[0][(H / 2) * linesize[0] + W / 2];
    int cb = data[1][(H / 4) * linesize[1] + W / 4];
    int cr = data[2][(H / 4) * linesize[2] + W / 4];
    assert_in_range(y, 61, 65);
    assert_in_range(cb, 100, 104);
    assert_in_range(cr, 238, 242);
}

static void assert_same_planes(const AVFrame *a, const AVFrame *b) {
    for (int plane = 0; plane < 3; plane++) {
        int rows = plane ? H / 2 : H, width = plane ? W / 2 : W;
        for (int y = 0; y < rows; y++)
            assert_memory_equal(a->data[plane] + (size_t)y * a->linesize[plane],
                                b->data[plane] + (size_t)y * b->linesize[plane], width);
    }
}

static void assert_same_picture(const avz_frame *a, const avz_frame *b) {
    assert_same_planes(((const avz_av_frame *)a)->av, ((const avz_av_frame *)b)->av);
}

/* Paints rows [first, end) in colours of step i. */
static void paint_rows(uint8_t *pixels, int stride, int first, int end, int i) {
    for (int y = first; y < end; y++)
        for (int x = 0; x < W; x++)
            ((uint32_t *)(pixels + (size_t)y * stride))[x] =
                0xFF000000u | (uint32_t)(x * 4 + y * 3 + i * 40) << 8;
}

/* A converter told which rows changed since its last call gives the picture a full
 * conversion gives: its first call converts everything whatever it is told, and a band
 * starting on an odd row still redoes the chroma row it shares. */
static void test_update_converts_changed_rows(void **state) {
    (void)state;
    avz_sink_options opts = default_options();
    avz_error err = {0};
    avz_sink *sink;
    assert_int_equal(avz_sink_open(out_path("update.mp4"), &opts, &sink, &err), 0);
    avz_converter *partial, *full;
    avz_frame *got, *want;
    assert_int_equal(avz_converter_new(sink, &partial), 0);
    assert_int_equal(avz_converter_new(sink, &full), 0);
    assert_int_equal(avz_sink_frame_new(sink, &got), 0);
    assert_int_equal(avz_sink_frame_new(sink, &want), 0);
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, W);
    uint8_t *pixels = malloc((size_t)stride * H);

    draw(pixels, stride, 0);
    assert_int_equal(avz_converter_update(partial, pixels, stride, NULL, 0, got), 0);
    assert_int_equal(avz_converter_run(full, pixels, stride, want), 0);
    assert_same_picture(got, want);

    /* Each step paints new colours into its bands, and tells the converter so. */
    const struct {
        size_t count;
        avz_rows bands[2];
    } steps[] = {{1, {{11, 17}}}, {2, {{0, 1}, {H - 3, H}}}, {1, {{20, 20}}}, {0, {{0, 0}}}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        for (size_t b = 0; b < steps[i].count; b++)
            paint_rows(pixels, stride, steps[i].bands[b].first, steps[i].bands[b].end, (int)i);
        assert_int_equal(
            avz_converter_update(partial, pixels, stride, steps[i].bands, steps[i].count, got), 0);
        assert_int_equal(avz_converter_run(full, pixels, stride, want), 0);
        assert_same_picture(got, want);
    }
    const avz_rows past_the_end = {4, H + 1};
    assert_int_equal(avz_converter_update(partial, pixels, stride, &past_the_end, 1, got), -EINVAL);

    free(pixels);
    avz_frame_free(got);
    avz_frame_free(want);
    avz_converter_free(partial);
    avz_converter_free(full);
    avz_sink_abort(sink);
}

/* Frames still held (by the queue, the writer or an encoder) keep their picture while the
 * converter goes on: more held than it keeps pictures, then some let go and written into
 * again, so that a picture catches up on the rows of several updates at once. */
static void test_held_frames_keep_their_picture(void **state) {
    (void)state;
    enum { HELD = 7 };
    avz_sink_options opts = default_options();
    avz_error err = {0};
    avz_sink *sink;
    assert_int_equal(avz_sink_open(out_path("held.mp4"), &opts, &sink, &err), 0);
    avz_converter *partial, *full;
    assert_int_equal(avz_converter_new(sink, &partial), 0);
    assert_int_equal(avz_converter_new(sink, &full), 0);
    avz_frame *held[HELD], *want;
    AVFrame *copies[HELD]; /* of want, right after each conversion: what held must still be */
    assert_int_equal(avz_sink_frame_new(sink, &want), 0);
    for (int i = 0; i < HELD; i++) {
        assert_int_equal(avz_sink_frame_new(sink, &held[i]), 0);
        assert_non_null(copies[i] = av_frame_alloc());
        copies[i]->format = AV_PIX_FMT_YUV420P;
        copies[i]->width = W;
        copies[i]->height = H;
        assert_int_equal(av_frame_get_buffer(copies[i], 0), 0);
    }
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, W);
    uint8_t *pixels = malloc((size_t)stride * H);
    draw(pixels, stride, 0);

    /* Step i changes rows [6i + 1, 6i + 4) (odd starts share chroma rows with the rows
     * before). Steps 0..6 fill every frame; then frames 1, 3 and 4 are let go and take steps
     * 7..9, each needing the rows of the steps since its picture was last written. */
    const int order[] = {0, 1, 2, 3, 4, 5, 6, 1, 3, 4};
    for (int step = 0; step < (int)(sizeof order / sizeof order[0]); step++) {
        int f = order[step], first = (6 * step + 1) % (H - 3);
        avz_rows band = {first, first + 3};
        paint_rows(pixels, stride, band.first, band.end, step);
        assert_int_equal(avz_converter_update(partial, pixels, stride, &band, 1, held[f]), 0);
        assert_int_equal(avz_converter_run(full, pixels, stride, want), 0);
        assert_int_equal(av_frame_copy(copies[f], ((avz_av_frame *)want)->av), 0);
        for (int i = 0; i <= step && i < HELD; i++) /* frames given a picture so far */
            assert_same_planes(((avz_av_frame *)held[i])->av, copies[i]);
    }

    free(pixels);
    for (int i = 0; i < HELD; i++) {
        avz_frame_free(held[i]);
        av_frame_free(&copies[i]);
    }
    avz_frame_free(want);
    avz_converter_free(partial);
    avz_converter_free(full);
    avz_sink_abort(sink);
}

static void test_bt709_red(void **state) {
    (void)state;
    const char *path = out_path("red.mp4");
    avz_sink_options opts = default_options();
    opts.chapters = NULL;
    opts.chapter_count = 0;
    avz_error err = {0};
    avz_sink *sink;
    assert_int_equal(avz_sink_open(path, &opts, &sink, &err), 0);
    avz_frame *frame;
    avz_converter *conv;
    assert_int_equal(avz_sink_frame_new(sink, &frame), 0);
    assert_int_equal(avz_converter_new(sink, &conv), 0);
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, W);
    uint8_t *pixels = malloc((size_t)stride * H);
    fill(pixels, stride, 0xFFFF0000u);
    assert_int_equal(avz_converter_run(conv, pixels, stride, frame), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(avz_sink_write(sink, frame, &err), 0);
    assert_int_equal(avz_sink_finish(sink, &err), 0);
    free(pixels);
    avz_converter_free(conv);
    avz_frame_free(frame);

    AVFormatContext *fmt = NULL;
    assert_int_equal(avformat_open_input(&fmt, path, NULL, NULL), 0);
    assert_true(avformat_find_stream_info(fmt, NULL) >= 0);
    const AVCodec *codec = NULL;
    int vi = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    assert_true(vi >= 0);
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(dec, fmt->streams[vi]->codecpar);
    assert_int_equal(avcodec_open2(dec, codec, NULL), 0);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *pic = av_frame_alloc();
    int got = 0;
    while (!got && av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == vi)
            avcodec_send_packet(dec, pkt);
        av_packet_unref(pkt);
        got = avcodec_receive_frame(dec, pic) == 0;
    }
    if (!got) {
        avcodec_send_packet(dec, NULL);
        got = avcodec_receive_frame(dec, pic) == 0;
    }
    assert_true(got);
    assert_red((const uint8_t *const *)pic->data, pic->linesize);
    av_frame_free(&pic);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
}

static void expect_open_error(const char *path, const avz_sink_options *opts, int code,
                              const char *needle) {
    avz_error err = {0};
    avz_sink *sink = (avz_sink *)&err; /* must be reset to NULL */
    assert_int_equal(avz_sink_open(path, opts, &sink, &err), code);
    assert_null(sink);
    assert_int_equal(err.code, code);
    if (!strstr(err.msg, needle))
        fail_msg("message '%s' lacks '%s'", err.msg, needle);
    assert_null(strchr(err.msg, '\n'));
}

static void test_bad_options(void **state) {
    (void)state;
    const char *path = out_path("bad.mp4");
    avz_sink_options o = default_options();
    o.width = 63;
    expect_open_error(path, &o, -EINVAL, "63x48");
    o = default_options();
    o.height = 0;
    expect_open_error(path, &o, -EINVAL, "even");
    o = default_options();
    o.fps = 0;
    expect_open_error(path, &o, -EINVAL, "1..240");
    o.fps = 241;
    expect_open_error(path, &o, -EINVAL, "frame rate 241");
    o = default_options();
    o.preset = "turbo";
    expect_open_error(path, &o, -EINVAL, "veryslow");
    o = default_options();
    o.crf = 60;
    expect_open_error(path, &o, -EINVAL, "0..51");
    o = default_options();
    avz_chapter backwards = {"Back", 2.0, 1.0};
    o.chapters = &backwards;
    o.chapter_count = 1;
    expect_open_error(path, &o, -EINVAL, "chapter 1 'Back'");
    o = default_options();
    expect_open_error(out_path("video.xyz"), &o, -EINVAL, "allowed: .mp4");
    expect_open_error(out_path("noext"), &o, -EINVAL, "allowed: .mp4");
    expect_open_error(dir, &o, -EINVAL, "allowed: .mp4");
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(count_temp_files(dir), 0);
}

static void test_bad_directories(void **state) {
    (void)state;
    avz_sink_options o = default_options();
    char missing[1200];
    snprintf(missing, sizeof missing, "%s/no/such/dir", dir);
    char path[1300];
    snprintf(path, sizeof path, "%s/out.mp4", missing);
    expect_open_error(path, &o, -ENOENT, missing);

    /* A regular file in the directory's place fails for root too. */
    const char *file = out_path("plainfile");
    write_all(file, "x");
    snprintf(path, sizeof path, "%s/out.mp4", file);
    expect_open_error(path, &o, -ENOTDIR, file);

    avz_error err = {0};
    uint32_t px = 0xFF00FF00u;
    snprintf(path, sizeof path, "%s/still.png", missing);
    assert_int_equal(avz_png_write(path, (const uint8_t *)&px, 1, 1, 4, &err), -ENOENT);
    assert_non_null(strstr(err.msg, missing));
    assert_int_equal(count_temp_files(dir), 0);
}

static void test_unwritable_directory(void **state) {
    (void)state;
    if (geteuid() == 0)
        skip(); /* root writes through mode 0555; test_bad_directories covers root */
    const char *ro = out_path("readonly");
    mkdir(ro, 0777);
    assert_int_equal(chmod(ro, 0555), 0);
    char path[1300];
    snprintf(path, sizeof path, "%s/out.mp4", ro);
    avz_sink_options o = default_options();
    expect_open_error(path, &o, -EACCES, ro);
    chmod(ro, 0755);
    assert_int_equal(count_temp_files(ro), 0);
}

static void assert_unchanged(const char *path, const char *text) {
    size_t n;
    uint8_t *data = read_all(path, &n);
    assert_non_null(data);
    assert_int_equal(n, strlen(text));
    assert_memory_equal(data, text, n);
    free(data);
}

static void test_failure_keeps_previous_file(void **state) {
    (void)state;
    const char *path = out_path("keep.mp4");
    const char *previous = "the previous good render";
    write_all(path, previous);
    avz_error err = {0};
    avz_sink_options o = default_options();

    o.width = 63; /* fails in open */
    assert_int_equal(encode(path, &o, &err), -EINVAL);
    assert_unchanged(path, previous);

    o = default_options(); /* aborted half way */
    avz_sink *sink;
    avz_frame *frame;
    assert_int_equal(avz_sink_open(path, &o, &sink, &err), 0);
    assert_int_equal(count_temp_files(dir), 2); /* the video's temporary and the render's lock */
    avz_converter *conv;
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, W);
    uint8_t *pixels = malloc((size_t)stride * H);
    assert_int_equal(avz_sink_frame_new(sink, &frame), 0);
    assert_int_equal(avz_converter_new(sink, &conv), 0);
    for (int i = 0; i < 5; i++) {
        draw(pixels, stride, i);
        assert_int_equal(avz_converter_run(conv, pixels, stride, frame), 0);
        assert_int_equal(avz_sink_write(sink, frame, &err), 0);
    }
    avz_sink_abort(sink);
    avz_converter_free(conv);
    avz_frame_free(frame);
    free(pixels);
    assert_unchanged(path, previous);
    assert_int_equal(count_temp_files(dir), 0);

    /* A failed write makes finish refuse to publish. */
    avz_sink *other;
    avz_sink_options big = default_options();
    big.width = 2 * W;
    assert_int_equal(avz_sink_open(path, &o, &sink, &err), 0);
    assert_int_equal(avz_sink_open(out_path("other.mp4"), &big, &other, &err), 0);
    assert_int_equal(avz_sink_frame_new(other, &frame), 0);
    avz_error err1 = {0};
    assert_int_equal(avz_sink_write(sink, frame, &err1), -EINVAL);
    assert_non_null(strstr(err1.msg, "128x48"));
    avz_error err2 = {0};
    assert_int_equal(avz_sink_finish(sink, &err2), -EINVAL);
    avz_frame_free(frame);
    avz_sink_abort(other);
    assert_unchanged(path, previous);

    /* Nothing to publish. */
    assert_int_equal(avz_sink_open(path, &o, &sink, &err), 0);
    avz_error err3 = {0};
    assert_int_equal(avz_sink_finish(sink, &err3), -EINVAL);
    assert_non_null(strstr(err3.msg, "no frames"));
    assert_unchanged(path, previous);
    assert_int_equal(access(out_path("other.mp4"), F_OK), -1);
    assert_int_equal(count_temp_files(dir), 0);

    /* And a successful render replaces it. */
    assert_int_equal(encode(path, &o, &err), 0);
    size_t n;
    uint8_t *data = read_all(path, &n);
    assert_true(n > 1000 && memcmp(data + 4, "ftyp", 4) == 0);
    free(data);
}

static void test_png(void **state) {
    (void)state;
    const char *path = out_path("still.png");
    write_all(path, "old");
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, W);
    uint8_t *pixels = malloc((size_t)stride * H);
    draw(pixels, stride, 9);
    avz_error err = {0};
    assert_int_equal(avz_png_write(path, pixels, W, H, stride, &err), 0);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), W);
    assert_int_equal(cairo_image_surface_get_height(s), H);
    cairo_surface_flush(s);
    const uint8_t *back = cairo_image_surface_get_data(s);
    int back_stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < H; y++)
        assert_memory_equal(back + (size_t)y * back_stride, pixels + (size_t)y * stride, W * 4);
    cairo_surface_destroy(s);

    avz_error err2 = {0};
    assert_int_equal(avz_png_write(out_path("still.jpg"), pixels, W, H, stride, &err2), -EINVAL);
    assert_non_null(strstr(err2.msg, ".png"));
    free(pixels);
    assert_int_equal(count_temp_files(dir), 0);
}

/* A 255-colour palette (the last entry transparent) of distinct colours. */
static void test_palette(uint32_t palette[256]) {
    for (uint32_t i = 0; i < 255; i++)
        palette[i] = 0xff000000u | (i * 0x3b1d07u & 0xffffff) | i << 16;
    palette[255] = 0;
}

/* Picture i of the GIF test: noise of every palette colour (the LZW table fills and restarts
 * many times over); from 1 two pixels changed, from 2 a block, from 3 a corner block. */
static void paint_gif_frame(uint32_t *pixels, const uint32_t palette[256], int i) {
    uint32_t seed = 12345;
    for (int p = 0; p < W * H; p++) {
        seed = seed * 1103515245u + 12345u;
        pixels[p] = palette[(seed >> 16) % 255];
    }
    if (i >= 1)
        pixels[5 * W + 7] = pixels[40 * W + 60] = palette[3];
    for (int y = 10; i >= 2 && y < 30; y++)
        for (int x = 20; x < 50; x++)
            pixels[y * W + x] = palette[(x + y) % 4];
    for (int y = H - 8; i >= 3 && y < H; y++)
        for (int x = W - 8; x < W; x++)
            pixels[y * W + x] = palette[200 + x % 3];
}

/* What attnviz writes itself is what libavcodec's GIF decoder shows: every frame exactly (the
 * frames are palette colours), with a frame sent again (the same frame object) and one drawn
 * again unchanged both held; the bytes are the same from one converter as from two taking
 * turns after the frame before (the pipeline's runs). */
static void test_gif_decodes_to_its_frames(void **state) {
    (void)state;
    enum { GIF_FRAMES = 7 };
    /* frames 3 and 6 are drawn again unchanged; frame 5, the same picture as 4, is frame 4 sent
     * again: all three held by a 1x1 image */
    static const int painted[GIF_FRAMES] = {0, 1, 2, 2, 3, 3, 3};
    uint32_t palette[256];
    test_palette(palette);
    static uint32_t pixels[GIF_FRAMES][W * H];
    for (int i = 0; i < GIF_FRAMES; i++)
        paint_gif_frame(pixels[i], palette, painted[i]);
    const char *names[2] = {"one.gif", "two.gif"};
    for (int converters = 1; converters <= 2; converters++) {
        avz_sink_options o = {.width = W, .height = H, .fps = 10, .crf = -1};
        avz_sink *sink = NULL;
        avz_error err = {0};
        assert_int_equal(avz_sink_open(out_path(names[converters - 1]), &o, &sink, &err), 0);
        avz_gif_set_palette(sink, palette);
        avz_converter *conv[2] = {NULL, NULL};
        avz_frame *frame[GIF_FRAMES];
        for (int k = 0; k < converters; k++)
            assert_int_equal(avz_converter_new(sink, &conv[k]), 0);
        for (int i = 0; i < GIF_FRAMES; i++) {
            assert_int_equal(avz_sink_frame_new(sink, &frame[i]), 0);
            avz_converter *c = conv[i % converters];
            if (converters == 2 && i > 0) /* the other converter drew the frame before */
                assert_int_equal(avz_converter_run(c, (const uint8_t *)pixels[i - 1], W * 4, NULL),
                                 0);
            assert_int_equal(avz_converter_run(c, (const uint8_t *)pixels[i], W * 4, frame[i]), 0);
            assert_int_equal(avz_sink_write(sink, frame[i == 5 ? 4 : i], &err), 0);
        }
        assert_int_equal(avz_sink_finish(sink, &err), 0);
        for (int i = 0; i < GIF_FRAMES; i++)
            avz_frame_free(frame[i]);
        for (int k = 0; k < converters; k++)
            avz_converter_free(conv[k]);
    }
    size_t one_size, two_size;
    uint8_t *one = read_all(out_path("one.gif"), &one_size);
    uint8_t *two = read_all(out_path("two.gif"), &two_size);
    assert_int_equal(one_size, two_size);
    assert_memory_equal(one, two, one_size);
    free(one);
    free(two);

    AVFormatContext *fmt = NULL;
    assert_int_equal(avformat_open_input(&fmt, out_path("one.gif"), NULL, NULL), 0);
    assert_true(avformat_find_stream_info(fmt, NULL) >= 0);
    const AVCodec *codec = avcodec_find_decoder(fmt->streams[0]->codecpar->codec_id);
    AVCodecContext *dc = avcodec_alloc_context3(codec);
    assert_int_equal(avcodec_parameters_to_context(dc, fmt->streams[0]->codecpar), 0);
    assert_int_equal(avcodec_open2(dc, codec, NULL), 0);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *got = av_frame_alloc();
    int decoded = 0, packets = 0;
    while (av_read_frame(fmt, pkt) >= 0) {
        bool held = packets == 3 || packets == 5 || packets == 6;
        if (held != (pkt->size < 40))
            fail_msg("packet %d: %d bytes", packets, pkt->size);
        packets++;
        assert_int_equal(avcodec_send_packet(dc, pkt), 0);
        av_packet_unref(pkt);
        while (avcodec_receive_frame(dc, got) == 0) {
            assert_true(decoded < GIF_FRAMES);
            /* the decoder gives BGRA bytes, cairo's little-endian ARGB32 words */
            const uint32_t *want = pixels[decoded];
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    uint32_t v;
                    memcpy(&v, got->data[0] + y * got->linesize[0] + 4 * x, 4);
                    if ((v & 0xffffff) != (want[y * W + x] & 0xffffff))
                        fail_msg("frame %d pixel %d,%d: %06x, want %06x", decoded, x, y,
                                 v & 0xffffff, want[y * W + x] & 0xffffff);
                }
            decoded++;
        }
    }
    assert_int_equal(decoded, GIF_FRAMES);
    av_frame_free(&got);
    av_packet_free(&pkt);
    avcodec_free_context(&dc);
    avformat_close_input(&fmt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mp4_contents),
        cmocka_unit_test(test_reproducible_bytes),
        cmocka_unit_test(test_reproducible_in_one_process),
        cmocka_unit_test(test_bt709_red),
        cmocka_unit_test(test_update_converts_changed_rows),
        cmocka_unit_test(test_held_frames_keep_their_picture),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_bad_directories),
        cmocka_unit_test(test_unwritable_directory),
        cmocka_unit_test(test_failure_keeps_previous_file),
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_gif_decodes_to_its_frames),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
