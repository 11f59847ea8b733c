/* encoders: the candidates for each output's encoder and settings, measured on the same
 * frames. Reads a lossless render (a PNG sequence attnviz wrote), converts its frames once
 * through each output's own converter, then for every candidate times encoding them (frames
 * in memory, the encoder's threads as attnviz sets them), and reports the file's size and
 * its quality against the converted frames: PSNR over every plane and SSIM of luma (8x8
 * windows), so the figure is the encoder's loss alone. PNG candidates are lossless, and differ
 * only in time and size. (attnviz writes GIFs itself: bench/gif_quality measures them.)
 *
 *   encoders 'frames/%05d.png' FPS [--runs N]
 *
 * With a transparent source only the outputs with alpha (.mov, .webm, PNG) are measured. */
#include <cairo.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "frames.h"
#include "output/libav.h"
#include "png_encode.h"
#include "quality.h"
#include "sink.h"

typedef struct source {
    int width, height, fps;
    bool transparent;
    size_t count;
    uint8_t **argb; /* premultiplied, as attnviz draws them */
} source;

typedef struct video_candidate {
    const char *output; /* the output whose converter makes the encoder's frames */
    const char *label;
    avz_av_format format;
    const char *options; /* the encoder's, key=value:... */
} video_candidate;

static const video_candidate video_candidates[] = {
    {".mp4",
     "x264 ultrafast",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=ultrafast"},
    {".mp4",
     "x264 superfast",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=superfast"},
    {".mp4",
     "x264 veryfast",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=veryfast"},
    {".mp4",
     "x264 faster",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=faster"},
    {".mp4",
     "x264 medium",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=medium"},
    /* The rungs a --memory budget steps down (avz_limits_fit). */
    {".mp4",
     "medium, 2 threads",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=medium:threads=2"},
    {".mp4",
     "medium, 2 threads, lookahead 20",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=medium:threads=2:rc-lookahead=20"},
    {".mp4",
     "medium, 2 threads, lookahead 10",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=medium:threads=2:rc-lookahead=10"},
    {".mp4",
     "medium, 1 thread, lookahead 10",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=medium:threads=1:rc-lookahead=10"},
    {".mp4",
     "medium, 1 thread, lookahead 5",
     {.muxer = "mp4", .encoder = "libx264", .muxer_opts = ""},
     "crf=23:preset=medium:threads=1:rc-lookahead=5"},
    {".webm",
     "vp9 good cpu-used 4",
     {.muxer = "webm", .encoder = "libvpx-vp9", .muxer_opts = ""},
     "crf=31:b=0:deadline=good:cpu-used=4:row-mt=1"},
    {".webm",
     "vp9 good cpu-used 5",
     {.muxer = "webm", .encoder = "libvpx-vp9", .muxer_opts = ""},
     "crf=31:b=0:deadline=good:cpu-used=5:row-mt=1"},
    {".webm",
     "vp9 good cpu-used 6",
     {.muxer = "webm", .encoder = "libvpx-vp9", .muxer_opts = ""},
     "crf=31:b=0:deadline=good:cpu-used=6:row-mt=1"},
    {".webm",
     "vp9 good cpu-used 8",
     {.muxer = "webm", .encoder = "libvpx-vp9", .muxer_opts = ""},
     "crf=31:b=0:deadline=good:cpu-used=8:row-mt=1"},
    {".webm",
     "vp9 realtime cpu-used 5",
     {.muxer = "webm", .encoder = "libvpx-vp9", .muxer_opts = ""},
     "crf=31:b=0:deadline=realtime:cpu-used=5:row-mt=1"},
    {".webm",
     "vp9 realtime cpu-used 6",
     {.muxer = "webm", .encoder = "libvpx-vp9", .muxer_opts = ""},
     "crf=31:b=0:deadline=realtime:cpu-used=6:row-mt=1"},
    {".webm",
     "vp9 realtime cpu-used 7",
     {.muxer = "webm", .encoder = "libvpx-vp9", .muxer_opts = ""},
     "crf=31:b=0:deadline=realtime:cpu-used=7:row-mt=1"},
    {".webm",
     "vp9 realtime cpu-used 8",
     {.muxer = "webm", .encoder = "libvpx-vp9", .muxer_opts = ""},
     "crf=31:b=0:deadline=realtime:cpu-used=8:row-mt=1"},
    {".mov",
     "prores_ks 4444",
     {.muxer = "mov", .encoder = "prores_ks", .muxer_opts = ""},
     "profile=4444:vendor=apl0"},
    {".mov",
     "prores_aw 4444",
     {.muxer = "mov", .encoder = "prores_aw", .muxer_opts = ""},
     "profile=4:vendor=apl0"},
};

typedef struct png_candidate {
    const char *label;
    avz_png_settings settings;
} png_candidate;

static const png_candidate png_candidates[] = {
    {"level 9, every filter", {9, Z_DEFAULT_STRATEGY, PNG_ALL_FILTERS}},
    {"level 6, every filter", {6, Z_DEFAULT_STRATEGY, PNG_ALL_FILTERS}},
    {"level 1, every filter", {1, Z_DEFAULT_STRATEGY, PNG_ALL_FILTERS}},
    {"level 6, up", {6, Z_DEFAULT_STRATEGY, PNG_FILTER_UP}},
    {"level 1, up", {1, Z_DEFAULT_STRATEGY, PNG_FILTER_UP}},
    {"level 1, sub", {1, Z_DEFAULT_STRATEGY, PNG_FILTER_SUB}},
    {"level 9, none", {9, Z_DEFAULT_STRATEGY, PNG_FILTER_NONE}},
    {"level 6, none", {6, Z_DEFAULT_STRATEGY, PNG_FILTER_NONE}},
    {"level 3, none", {3, Z_DEFAULT_STRATEGY, PNG_FILTER_NONE}},
    {"level 1, none", {1, Z_DEFAULT_STRATEGY, PNG_FILTER_NONE}},
    {"rle, none", {1, Z_RLE, PNG_FILTER_NONE}},
};

/* The source's frames as attnviz hands them to its outputs: premultiplied ARGB32. */
static void source_load(source *s, const char *pattern, int fps) {
    bench_reader r;
    bench_reader_open(&r, pattern, fps);
    *s = (source){.width = r.width, .height = r.height, .fps = fps};
    size_t capacity = 0;
    for (;;) {
        if (s->count == capacity) {
            capacity = capacity ? 2 * capacity : 256;
            if (!(s->argb = realloc(s->argb, capacity * sizeof *s->argb)))
                bench_die("out of memory", NULL);
        }
        uint8_t *argb = malloc((size_t)s->width * (size_t)s->height * 4);
        if (!argb)
            bench_die("out of memory", NULL);
        if (!bench_reader_next_argb(&r, argb, &s->transparent)) {
            free(argb);
            break;
        }
        s->argb[s->count++] = argb;
    }
    bench_reader_close(&r);
    if (!s->count)
        bench_die("no frames in", pattern);
}

/* Decodes what a candidate wrote and compares it, frame by frame, with what it was given. */
static quality measure_quality(const char *path, int fps, AVFrame *const *want, size_t count) {
    quality q = {0};
    bench_reader r;
    bench_reader_open(&r, path, fps);
    size_t i = 0;
    for (AVFrame *f; i < count && (f = bench_reader_next(&r)); i++) {
        quality_add(&q, want[i], f);
    }
    bench_reader_close(&r);
    if (i != count)
        bench_die("frames missing in", path);
    return q;
}

/* ── Candidates ────────────────────────────────────────────────────────────────────── */

static void print_row(const char *output, const char *label, double seconds, double bytes,
                      size_t frames, const quality *q) {
    char psnr[32] = "lossless", ssim[32] = "1";
    if (q && q->squared_error > 0) {
        snprintf(psnr, sizeof psnr, "%.1f dB", quality_psnr(q));
        snprintf(ssim, sizeof ssim, "%.5f", quality_ssim(q));
    }
    printf("| %-5s | %-31s | %7.2f s | %6.1f fps | %8.0f KB | %-9s | %-7s |\n", output, label,
           seconds, (double)frames / seconds, bytes / 1024, psnr, ssim);
    fflush(stdout);
}

/* The frames an output's encoder is given, made by that output's own converter. */
static AVFrame **convert_for(const char *output, const source *src, const char *dir,
                             avz_sink **sink_out) {
    char path[4096];
    snprintf(path, sizeof path, "%s/converter%s", dir, output);
    avz_sink_options o = {.width = src->width,
                          .height = src->height,
                          .fps = avz_sink_best_fps(path, src->fps),
                          .crf = -1,
                          .transparent = src->transparent};
    avz_error err = {0};
    avz_sink *sink = NULL;
    if (avz_sink_open(path, &o, &sink, &err))
        bench_die(err.msg, NULL);
    avz_converter *conv = NULL;
    AVFrame **frames = calloc(src->count, sizeof *frames);
    if (!frames || avz_converter_new(sink, &conv))
        bench_die("out of memory", NULL);
    for (size_t i = 0; i < src->count; i++) {
        avz_frame *f = NULL;
        if (avz_sink_frame_new(sink, &f) ||
            avz_converter_run(conv, src->argb[i], src->width * 4, f))
            bench_die("cannot convert a frame for", output);
        frames[i] = av_frame_clone(((avz_av_frame *)f)->av);
        avz_frame_free(f);
    }
    avz_converter_free(conv);
    *sink_out = sink;
    return frames;
}

static void run_video(const video_candidate *c, const source *src, AVFrame *const *frames,
                      const char *dir, int runs) {
    char path[4096];
    snprintf(path, sizeof path, "%s/candidate%s", dir, c->output);
    avz_sink_options o = {
        .width = src->width, .height = src->height, .fps = avz_sink_best_fps(path, src->fps)};
    double times[32];
    for (int run = 0; run < runs; run++) {
        AVDictionary *opts = NULL;
        if (av_dict_parse_string(&opts, c->options, "=", ":", 0) < 0)
            bench_die("bad options", c->options);
        avz_av_stream st;
        avz_error err = {0};
        double t0 = bench_now();
        if (avz_av_open(&st, &c->format, frames[0]->format, path, path, &o, &opts, &err))
            bench_die(c->label, err.msg);
        for (size_t i = 0; i < src->count; i++)
            if (avz_av_write(&st, frames[i], &err))
                bench_die(c->label, err.msg);
        if (avz_av_finish(&st, &err))
            bench_die(c->label, err.msg);
        times[run] = bench_now() - t0;
        avz_av_close(&st);
    }
    struct stat sb;
    if (stat(path, &sb))
        bench_die("no file from", c->label);
    quality q = measure_quality(path, src->fps, frames, src->count);
    print_row(c->output, c->label, bench_median(times, runs), (double)sb.st_size, src->count, &q);
    remove(path);
}

static cairo_status_t count_bytes(void *closure, const unsigned char *data, unsigned int len) {
    (void)data;
    *(double *)closure += len;
    return CAIRO_STATUS_SUCCESS;
}

/* What attnviz used before: cairo's writer (RGBA always, zlib's default level, libpng's
 * default filter choice). */
static void run_cairo_png(const source *src, int runs) {
    double times[32], bytes = 0;
    for (int run = 0; run < runs; run++) {
        bytes = 0;
        double t0 = bench_now();
        for (size_t i = 0; i < src->count; i++) {
            cairo_surface_t *s = cairo_image_surface_create_for_data(
                src->argb[i], CAIRO_FORMAT_ARGB32, src->width, src->height, src->width * 4);
            if (cairo_surface_write_to_png_stream(s, count_bytes, &bytes))
                bench_die("cairo cannot write a PNG", NULL);
            cairo_surface_destroy(s);
        }
        times[run] = bench_now() - t0;
    }
    print_row(".png", "cairo's writer", bench_median(times, runs), bytes, src->count, NULL);
}

static void run_png(const png_candidate *c, const source *src, int runs) {
    double times[32], bytes = 0;
    avz_bytes png = {0};
    for (int run = 0; run < runs; run++) {
        bytes = 0;
        double t0 = bench_now();
        for (size_t i = 0; i < src->count; i++) {
            if (avz_png_encode(&c->settings, src->argb[i], src->width, src->height, src->width * 4,
                               &png))
                bench_die("out of memory", NULL);
            bytes += (double)png.size;
        }
        times[run] = bench_now() - t0;
    }
    avz_bytes_free(&png);
    print_row(".png", c->label, bench_median(times, runs), bytes, src->count, NULL);
}

int main(int argc, char **argv) {
    if (argc < 3)
        return fprintf(stderr, "usage: encoders 'frames/%%05d.png' FPS [--runs N]\n"), 2;
    int fps = atoi(argv[2]), runs = argc > 4 && !strcmp(argv[3], "--runs") ? atoi(argv[4]) : 1;
    if (fps < 1 || runs < 1 || runs > 32)
        return fprintf(stderr, "encoders: bad FPS or --runs\n"), 2;
    source src;
    source_load(&src, argv[1], fps);
    char dir[] = "/tmp/avz-encoders.XXXXXX";
    if (!mkdtemp(dir))
        bench_die("cannot make a temporary folder", NULL);
    printf("%zu frames of %dx%d at %d fps%s; encoding time is the median of %d run%s (PNG: one "
           "thread)\n\n",
           src.count, src.width, src.height, fps, src.transparent ? ", transparent" : "", runs,
           runs == 1 ? "" : "s");
    printf("| out   | candidate                       | encode    | speed      | size        | "
           "PSNR      | SSIM    |\n");
    printf("| ---   | ---                             | ---:      | ---:       | ---:        | "
           "---:      | ---:    |\n");
    const char *outputs[] = {".mp4", ".webm", ".mov"};
    for (size_t k = 0; k < sizeof outputs / sizeof outputs[0]; k++) {
        if (src.transparent && !strcmp(outputs[k], ".mp4"))
            continue;
        avz_sink *sink = NULL;
        AVFrame **frames = convert_for(outputs[k], &src, dir, &sink);
        for (size_t c = 0; c < sizeof video_candidates / sizeof video_candidates[0]; c++)
            if (!strcmp(video_candidates[c].output, outputs[k]))
                run_video(&video_candidates[c], &src, frames, dir, runs);
        for (size_t i = 0; i < src.count; i++)
            av_frame_free(&frames[i]);
        free(frames);
        avz_sink_abort(sink);
    }
    run_cairo_png(&src, runs);
    for (size_t c = 0; c < sizeof png_candidates / sizeof png_candidates[0]; c++)
        run_png(&png_candidates[c], &src, runs);
    for (size_t i = 0; i < src.count; i++)
        free(src.argb[i]);
    free(src.argb);
    rmdir(dir);
    return 0;
}
