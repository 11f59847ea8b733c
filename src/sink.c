/* attnviz sinks: H.264, VP9, ProRes and GIF through libavcodec/libavformat, PNG stills and
 * sequences, frame digests and colour histograms: opened, written in order and finished here;
 * convert.c turns drawn frames into what they take. Every file goes through outfile: written
 * beside its target, renamed when whole. */
#include "attnviz/sink.h"

#include <cairo.h>
#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "attnviz/palette.h"
#include "outfile.h"
#include "sink_internal.h"

/* x264 frame threads, fixed so that the bytes do not depend on the machine: x264 output is
 * identical run to run for a given thread count but changes with it, and libx264's default
 * (0) means "1.5 x cores". Measured on 2 cores, 600 frames of 1080p: 1 thread 12.9 s, 2 and
 * 4 threads 6.5 s each; 4 costs ~50 MB more but lets 4-core machines encode faster. */
#define AVZ_ENCODER_THREADS 4
#define AVZ_MAX_SIDE 16384
#define AVZ_MAX_FPS 240

/* One output container: a row here plus, where the encoder needs private options, a
 * configure function. */
typedef struct avz_container {
    const char *ext;     /* with the dot, matched case-insensitively */
    const char *name;    /* for messages */
    const char *muxer;   /* libavformat short name */
    const char *encoder; /* libavcodec encoder name */
    enum AVPixelFormat pix_fmt;
    enum AVPixelFormat alpha_pix_fmt; /* AV_PIX_FMT_NONE: the format cannot carry alpha */
    const char *muxer_opts;           /* "key=value:..." for avformat_write_header */
    bool chapters;                    /* the phases become container chapters */
    int (*configure)(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err);
} avz_container;

static int configure_x264(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err);
static int configure_vp9(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err);
static int configure_prores(const avz_sink_options *opts, AVDictionary **codec_opts,
                            avz_error *err);

static const avz_container containers[] = {
    {".mp4", "H.264/MP4", "mp4", "libx264", AV_PIX_FMT_YUV420P, AV_PIX_FMT_NONE,
     "movflags=+faststart", true, configure_x264},
    /* VP9 plays in every browser; Matroska carries its alpha as a block addition. */
    {".webm", "VP9/WebM", "webm", "libvpx-vp9", AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUVA420P, "", true,
     configure_vp9},
    /* ProRes 4444 is what editors (Premiere, Resolve, Final Cut) composite; no chapters,
     * since a QuickTime chapter track imports into some editors as a stray text track. */
    {".mov", "ProRes 4444/QuickTime", "mov", "prores_ks", AV_PIX_FMT_YUV444P10LE,
     AV_PIX_FMT_YUVA444P10LE, "", false, configure_prores},
    {".gif", "GIF", "gif", "gif", AV_PIX_FMT_PAL8, AV_PIX_FMT_NONE, "", false, NULL},
};

static const char allowed_outputs[] =
    ".mp4, .webm, .mov, .gif, or a PNG sequence such as frames/%05d.png";

static int av_fail(avz_error *err, int averr, const char *what, const char *path) {
    return avz_error_set(err, errno_of(averr), "%s for '%s': %s", what, path, av_err2str(averr));
}

static const char *extension_of(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash + 1) ? dot : "";
}

static const avz_container *container_for(const char *path) {
    const char *ext = extension_of(path);
    for (size_t i = 0; i < sizeof containers / sizeof containers[0]; i++)
        if (strcasecmp(ext, containers[i].ext) == 0)
            return &containers[i];
    return NULL;
}

/* Expands a PNG sequence pattern: exactly one %d (with an optional 0 flag and a width up to
 * 9) in the file name, `%%` for a literal '%', ending in .png. With out NULL it only checks.
 * Returns false for anything else, so that a stray '%' never reaches printf. */
static bool sequence_name(const char *pattern, long number, char *out, size_t size) {
    const char *slash = strrchr(pattern, '/');
    if (strcasecmp(extension_of(pattern), ".png") != 0)
        return false;
    size_t used = 0;
    int conversions = 0;
    char buf[4096];
    for (const char *p = pattern; *p; p++) {
        int n;
        if (*p != '%') {
            n = snprintf(buf + used, sizeof buf - used, "%c", *p);
        } else if (p[1] == '%') {
            n = snprintf(buf + used, sizeof buf - used, "%%");
            p++;
        } else {
            const char *q = p + 1;
            bool zero = *q == '0';
            q += zero;
            int width = 0;
            if (*q >= '1' && *q <= '9')
                width = *q++ - '0';
            if (*q != 'd' || (slash && p < slash))
                return false;
            conversions++;
            n = snprintf(buf + used, sizeof buf - used, zero ? "%0*ld" : "%*ld", width, number);
            p = q;
        }
        if (n < 0 || (size_t)n >= sizeof buf - used)
            return false;
        used += (size_t)n;
    }
    if (conversions != 1)
        return false;
    if (out)
        snprintf(out, size, "%s", buf);
    return !out || used < size;
}

static bool is_sequence(const char *path) {
    return strchr(path, '%') && sequence_name(path, 0, NULL, 0);
}

bool avz_sink_known(const char *path) {
    return is_sequence(path) || container_for(path);
}

static const char *const x264_presets[] = {"ultrafast", "superfast", "veryfast", "faster",
                                           "fast",      "medium",    "slow",     "slower",
                                           "veryslow",  "placebo"};

static int configure_x264(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err) {
    const char *preset = opts->preset ? opts->preset : "medium";
    size_t n = sizeof x264_presets / sizeof x264_presets[0], i = 0;
    while (i < n && strcmp(preset, x264_presets[i]) != 0)
        i++;
    if (i == n)
        return avz_error_set(err, -EINVAL,
                             "unknown x264 preset '%s'; allowed: ultrafast, superfast, veryfast, "
                             "faster, fast, medium, slow, slower, veryslow, placebo",
                             preset);
    int crf = opts->crf < 0 ? 23 : opts->crf;
    if (crf > 51)
        return avz_error_set(err, -EINVAL, "crf %d is out of range; allowed: 0..51", crf);
    char buf[16];
    snprintf(buf, sizeof buf, "%d", crf);
    if (av_dict_set(codec_opts, "crf", buf, 0) < 0 ||
        av_dict_set(codec_opts, "preset", preset, 0) < 0)
        return avz_error_set(err, -ENOMEM, "out of memory configuring x264");
    return 0;
}

/* Constant quality (crf without a bitrate cap) at libvpx's "good" deadline; cpu-used 4 and
 * row-mt keep 1080p encoding within a few times x264's medium. */
static int configure_vp9(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err) {
    (void)opts;
    if (av_dict_set(codec_opts, "crf", "31", 0) < 0 || av_dict_set(codec_opts, "b", "0", 0) < 0 ||
        av_dict_set(codec_opts, "deadline", "good", 0) < 0 ||
        av_dict_set(codec_opts, "cpu-used", "4", 0) < 0 ||
        av_dict_set(codec_opts, "row-mt", "1", 0) < 0)
        return avz_error_set(err, -ENOMEM, "out of memory configuring VP9");
    return 0;
}

/* Profile 4444 whether or not there is alpha; the Apple vendor tag, without which some
 * Apple applications refuse the file. */
static int configure_prores(const avz_sink_options *opts, AVDictionary **codec_opts,
                            avz_error *err) {
    (void)opts;
    if (av_dict_set(codec_opts, "profile", "4444", 0) < 0 ||
        av_dict_set(codec_opts, "vendor", "apl0", 0) < 0)
        return avz_error_set(err, -ENOMEM, "out of memory configuring ProRes");
    return 0;
}

bool avz_sink_takes_preset(const char *path) {
    const avz_container *kind = is_sequence(path) ? NULL : container_for(path);
    return kind && kind->configure == configure_x264;
}

bool avz_sink_needs_palette(const char *path) {
    const avz_container *kind = is_sequence(path) ? NULL : container_for(path);
    return kind && kind->pix_fmt == AV_PIX_FMT_PAL8;
}

/* GIF delays are whole hundredths of a second, and browsers stretch delays under 2. */
static bool gif_plays(int fps) {
    return fps >= 1 && 100 % fps == 0 && 100 / fps >= 2;
}

int avz_sink_best_fps(const char *path, int fps) {
    if (!avz_sink_needs_palette(path))
        return fps;
    while (fps > 1 && !gif_plays(fps))
        fps--;
    return fps;
}

/* The checks that depend on the kind of output. */
static int check_output(const char *path, const avz_sink_options *o, avz_error *err) {
    bool sequence = is_sequence(path);
    const avz_container *kind = sequence ? NULL : container_for(path);
    if (!sequence && !kind)
        return avz_error_set(err, -EINVAL, "unknown output extension '%s' in '%s'; allowed: %s",
                             extension_of(path), path, allowed_outputs);
    const char *name = kind ? kind->name : "a PNG sequence";
    if (o->transparent && kind && kind->alpha_pix_fmt == AV_PIX_FMT_NONE)
        return avz_error_set(err, -EINVAL,
                             "%s cannot carry transparency ('%s'); use .webm, .mov or a PNG "
                             "sequence",
                             name, path);
    if ((o->crf >= 0 || o->preset) && !avz_sink_takes_preset(path))
        return avz_error_set(err, -EINVAL,
                             "crf and preset apply to H.264 (.mp4) only, not to %s ('%s')", name,
                             path);
    if (kind && kind->pix_fmt == AV_PIX_FMT_PAL8 && !gif_plays(o->fps))
        return avz_error_set(err, -EINVAL,
                             "a GIF cannot play %d frames per second exactly ('%s'); allowed: 50, "
                             "25, 20, 10, 5, 4, 2, 1",
                             o->fps, path);
    if (o->chapters_path && strcasecmp(extension_of(o->chapters_path), ".vtt") != 0)
        return avz_error_set(err, -EINVAL, "chapters file '%s' must end in .vtt", o->chapters_path);
    if (kind && kind->configure) {
        AVDictionary *opts = NULL;
        int ret = kind->configure(o, &opts, err);
        av_dict_free(&opts);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static int check_options(const char *path, const avz_sink_options *o, avz_error *err) {
    if (o->width <= 0 || o->height <= 0 || o->width % 2 || o->height % 2 ||
        o->width > AVZ_MAX_SIDE || o->height > AVZ_MAX_SIDE)
        return avz_error_set(err, -EINVAL,
                             "video size %dx%d for '%s' is not allowed; width and height must be "
                             "even and between 2 and %d",
                             o->width, o->height, path, AVZ_MAX_SIDE);
    if (o->fps < 1 || o->fps > AVZ_MAX_FPS)
        return avz_error_set(err, -EINVAL, "frame rate %d for '%s' is not allowed; use 1..%d",
                             o->fps, path, AVZ_MAX_FPS);
    if (o->chapter_count && !o->chapters)
        return avz_error_set(err, -EINVAL, "%zu chapters announced but none given",
                             o->chapter_count);
    for (size_t i = 0; i < o->chapter_count; i++) {
        const avz_chapter *c = &o->chapters[i];
        if (!c->title)
            return avz_error_set(err, -EINVAL, "chapter %zu has no title", i + 1);
        if (!isfinite(c->start) || !isfinite(c->end) || c->start < 0 || c->end <= c->start)
            return avz_error_set(err, -EINVAL,
                                 "chapter %zu '%s' runs from %g s to %g s; it must start at 0 s "
                                 "or later and end after it starts",
                                 i + 1, c->title, c->start, c->end);
    }
    return 0;
}

int avz_sink_check(const char *path, const avz_sink_options *opts, avz_error *err) {
    int ret = check_output(path, opts, err);
    return ret < 0 ? ret : check_options(path, opts, err);
}

/* AVChapter has no public constructor; avformat_free_context frees what we allocate here. */
static int add_chapters(AVFormatContext *fmt, const avz_sink_options *o) {
    if (!o->chapter_count)
        return 0;
    fmt->chapters = av_calloc(o->chapter_count, sizeof *fmt->chapters);
    if (!fmt->chapters)
        return AVERROR(ENOMEM);
    for (size_t i = 0; i < o->chapter_count; i++) {
        AVChapter *ch = av_mallocz(sizeof *ch);
        if (!ch)
            return AVERROR(ENOMEM);
        fmt->chapters[fmt->nb_chapters++] = ch;
        ch->id = (int64_t)i + 1;
        ch->time_base = (AVRational){1, 1000};
        ch->start = llround(o->chapters[i].start * 1000);
        ch->end = llround(o->chapters[i].end * 1000);
        int ret = av_dict_set(&ch->metadata, "title", o->chapters[i].title, 0);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static void sink_free(avz_sink *s) {
    if (s->fmt) {
        avio_closep(&s->fmt->pb);
        avformat_free_context(s->fmt);
    }
    avcodec_free_context(&s->enc);
    av_frame_free(&s->send);
    av_packet_free(&s->pkt);
    for (size_t i = 0; i < s->seq_count; i++)
        free(s->seq_tmp[i]);
    free(s->seq_tmp);
    free(s->hist);
    free(s->path);
    free(s->tmp_path);
    free(s->vtt_path);
    free(s->vtt_tmp);
    free(s);
}

void avz_sink_abort(avz_sink *sink) {
    if (!sink)
        return;
    if (sink->fmt)
        avio_closep(&sink->fmt->pb);
    if (sink->fd >= 0)
        close(sink->fd);
    if (sink->tmp_path)
        unlink(sink->tmp_path);
    for (size_t i = 0; i < sink->seq_count; i++)
        if (sink->seq_tmp[i]) /* NULL once renamed into place */
            unlink(sink->seq_tmp[i]);
    if (sink->vtt_fd >= 0)
        close(sink->vtt_fd);
    if (sink->vtt_tmp)
        unlink(sink->vtt_tmp);
    sink_free(sink);
}

static bool is_yuv(enum AVPixelFormat fmt) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(fmt);
    return d && !(d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL));
}

static int open_encoder(avz_sink *s, const avz_sink_options *o, avz_error *err) {
    const AVCodec *codec = avcodec_find_encoder_by_name(s->kind->encoder);
    if (!codec)
        return avz_error_set(err, -ENOSYS, "encoder %s for '%s' is not available in libavcodec",
                             s->kind->encoder, s->path);
    s->enc = avcodec_alloc_context3(codec);
    if (!s->enc)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", s->path);
    AVCodecContext *enc = s->enc;
    enc->width = o->width;
    enc->height = o->height;
    enc->pix_fmt = o->transparent ? s->kind->alpha_pix_fmt : s->kind->pix_fmt;
    enc->time_base = (AVRational){1, o->fps};
    enc->framerate = (AVRational){o->fps, 1};
    enc->sample_aspect_ratio = (AVRational){1, 1};
    if (is_yuv(enc->pix_fmt)) {
        enc->color_primaries = AVCOL_PRI_BT709;
        enc->color_trc = AVCOL_TRC_BT709;
        enc->colorspace = AVCOL_SPC_BT709;
        enc->color_range = AVCOL_RANGE_MPEG;
        enc->chroma_sample_location = AVCHROMA_LOC_LEFT; /* where avz_converter puts chroma */
    }
    enc->thread_count = AVZ_ENCODER_THREADS;
    enc->flags |= AV_CODEC_FLAG_BITEXACT;
    if (s->fmt->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

    AVDictionary *opts = NULL;
    int ret = s->kind->configure ? s->kind->configure(o, &opts, err) : 0;
    if (ret == 0) {
        ret = avcodec_open2(enc, codec, &opts);
        if (ret < 0)
            ret = av_fail(err, ret, "cannot open the encoder", s->path);
    }
    av_dict_free(&opts);
    return ret;
}

/* libav and libx264 log to stderr through av_log; the library never prints, and every
 * failure reaches the caller as an error code and message instead. */
static void quiet_libav(void) {
    av_log_set_level(AV_LOG_QUIET);
}

/* "hh:mm:ss.mmm", as WebVTT wants. */
static void vtt_time(char *buf, size_t size, double seconds) {
    long long ms = llround(seconds * 1000);
    snprintf(buf, size, "%02lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60,
             ms / 1000 % 60, ms % 1000);
}

/* Chapter titles are cue text: '&' and '<' must be escaped. */
static int vtt_put_title(FILE *f, const char *title) {
    for (const char *c = title; *c; c++) {
        if (*c == '&')
            fputs("&amp;", f);
        else if (*c == '<')
            fputs("&lt;", f);
        else if (*c == '\n' || *c == '\r')
            fputc(' ', f);
        else
            fputc(*c, f);
    }
    return fputc('\n', f) == EOF ? -EIO : 0;
}

/* Writes the whole chapters file into its temporary file now, so that a bad directory fails
 * before any frame is drawn; the rename waits for the video. */
static int vtt_open(avz_sink *s, const avz_sink_options *o, avz_error *err) {
    if (!(s->vtt_path = strdup(o->chapters_path)))
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", o->chapters_path);
    int ret = avz_outfile_create(s->vtt_path, &s->vtt_tmp, &s->vtt_fd, err);
    if (ret < 0)
        return ret;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return avz_error_set(err, -ENOMEM, "out of memory writing '%s'", s->vtt_path);
    fputs("WEBVTT\n", f);
    for (size_t i = 0; i < o->chapter_count; i++) {
        char start[32], end[32];
        vtt_time(start, sizeof start, o->chapters[i].start);
        vtt_time(end, sizeof end, o->chapters[i].end);
        fprintf(f, "\n%zu\n%s --> %s\n", i + 1, start, end);
        vtt_put_title(f, o->chapters[i].title);
    }
    ret = fclose(f) == 0 ? 0 : -ENOMEM;
    if (ret == 0)
        ret = avz_write_all(s->vtt_fd, text, len);
    free(text);
    if (ret < 0)
        return avz_error_set(err, ret, "cannot write '%s': %s", s->vtt_path, strerror(-ret));
    return 0;
}

static int open_container(avz_sink *s, const avz_sink_options *opts, avz_error *err) {
    const char *path = s->path;
    int ret = avz_outfile_create(path, &s->tmp_path, &s->fd, err);
    if (ret < 0)
        return ret;
    const AVOutputFormat *ofmt = av_guess_format(s->kind->muxer, NULL, NULL);
    if (!ofmt)
        return avz_error_set(err, -ENOSYS, "muxer %s for '%s' is not available in libavformat",
                             s->kind->muxer, path);
    ret = avformat_alloc_output_context2(&s->fmt, ofmt, NULL, s->tmp_path);
    if (ret < 0)
        return av_fail(err, ret, "cannot set up the muxer", path);
    s->fmt->flags |= AVFMT_FLAG_BITEXACT;
    ret = open_encoder(s, opts, err);
    if (ret < 0)
        return ret;

    s->send = av_frame_alloc();
    s->pkt = av_packet_alloc();
    s->st = avformat_new_stream(s->fmt, NULL);
    if (!s->send || !s->pkt || !s->st)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    s->st->time_base = s->enc->time_base;
    s->st->avg_frame_rate = s->enc->framerate;
    if ((ret = avcodec_parameters_from_context(s->st->codecpar, s->enc)) < 0 ||
        (s->kind->chapters && (ret = add_chapters(s->fmt, opts)) < 0))
        return av_fail(err, ret, "cannot set up the stream", path);
    ret = avio_open(&s->fmt->pb, s->tmp_path, AVIO_FLAG_WRITE);
    if (ret < 0)
        return av_fail(err, ret, "cannot open the temporary file", path);
    AVDictionary *mux_opts = NULL;
    ret = av_dict_parse_string(&mux_opts, s->kind->muxer_opts, "=", ":", 0);
    if (ret >= 0)
        ret = avformat_write_header(s->fmt, &mux_opts);
    av_dict_free(&mux_opts);
    if (ret < 0)
        return av_fail(err, ret, "cannot write the header", path);
    return 0;
}

/* A PNG sequence checks its directory now, with the first file's name, so that a missing
 * directory fails before any frame is drawn. */
static int open_sequence(avz_sink *s, avz_error *err) {
    char first[4096], *tmp = NULL;
    int fd = -1;
    if (!sequence_name(s->path, s->first_number, first, sizeof first))
        return avz_error_set(err, -ENAMETOOLONG, "output pattern '%s' is too long", s->path);
    int ret = avz_outfile_create(first, &tmp, &fd, err);
    if (ret < 0)
        return ret;
    close(fd);
    unlink(tmp);
    free(tmp);
    return 0;
}

static int sink_new(sink_type type, const char *path, const avz_sink_options *opts, avz_sink **out,
                    avz_error *err) {
    static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
    pthread_once(&quiet_once, quiet_libav);
    avz_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    }
    s->type = type;
    s->width = opts->width;
    s->height = opts->height;
    s->fps = opts->fps;
    s->transparent = opts->transparent;
    s->first_number = opts->first_number;
    s->fd = -1;
    s->vtt_fd = -1;
    *out = s;
    return 0;
}

int avz_sink_open(const char *path, const avz_sink_options *opts, avz_sink **out, avz_error *err) {
    *out = NULL;
    int ret = avz_sink_check(path, opts, err);
    if (ret < 0)
        return ret;
    bool sequence = is_sequence(path);
    avz_sink *s = NULL;
    ret = sink_new(sequence ? SINK_SEQUENCE : SINK_ENCODER, path, opts, &s, err);
    if (ret < 0)
        return ret;
    s->kind = sequence ? NULL : container_for(path);
    ret = sequence ? open_sequence(s, err) : open_container(s, opts, err);
    if (ret == 0 && opts->chapters_path)
        ret = vtt_open(s, opts, err);
    if (ret < 0) {
        avz_sink_abort(s);
        return ret;
    }
    *out = s;
    return 0;
}

int avz_digest_sink_open(const avz_sink_options *opts, avz_sink **out, avz_error *err) {
    *out = NULL;
    int ret = check_options("the digest", opts, err);
    ret = ret < 0 ? ret : sink_new(SINK_DIGEST, "the digest", opts, out, err);
    if (ret < 0)
        return ret;
    /* The size and rate are part of what the frames are. */
    uint64_t h = fnv_bytes(FNV_OFFSET, (uint64_t)opts->width, 4);
    h = fnv_bytes(h, (uint64_t)opts->height, 4);
    (*out)->digest = fnv_bytes(h, (uint64_t)opts->fps, 4);
    return 0;
}

uint64_t avz_sink_digest(const avz_sink *sink) {
    return sink->digest;
}

int avz_histogram_sink_open(const avz_sink_options *opts, avz_sink **out, avz_error *err) {
    *out = NULL;
    int ret = check_options("the palette", opts, err);
    ret = ret < 0 ? ret : sink_new(SINK_HISTOGRAM, "the palette", opts, out, err);
    if (ret < 0)
        return ret;
    if (!((*out)->hist = calloc(1, sizeof *(*out)->hist))) {
        avz_sink_abort(*out);
        *out = NULL;
        return avz_error_set(err, -ENOMEM, "out of memory counting colours");
    }
    return 0;
}

int avz_sink_palette(const avz_sink *sink, uint32_t palette[256]) {
    return sink->hist ? avz_palette_build(sink->hist, palette) : -EINVAL;
}

void avz_sink_set_palette(avz_sink *sink, const uint32_t palette[256]) {
    memcpy(sink->palette, palette, sizeof sink->palette);
    sink->has_palette = true;
}

/* Moves every packet the encoder has ready into the muxer. */
static int drain(avz_sink *s, avz_error *err) {
    for (;;) {
        int ret = avcodec_receive_packet(s->enc, s->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return av_fail(err, ret, "encoding failed", s->path);
        s->pkt->stream_index = s->st->index;
        if (s->pkt->duration == 0)
            s->pkt->duration = 1; /* one frame in the encoder's 1/fps time base */
        av_packet_rescale_ts(s->pkt, s->enc->time_base, s->st->time_base);
        ret = av_interleaved_write_frame(s->fmt, s->pkt);
        if (ret < 0)
            return av_fail(err, ret, "cannot write a packet", s->path);
    }
}

/* Writes one PNG of a sequence to a temporary file beside its target; finish renames. */
static int write_sequence_file(avz_sink *s, const avz_frame *frame, avz_error *err) {
    char name[4096], *tmp = NULL;
    long number = s->first_number + (long)s->next_pts;
    if (!sequence_name(s->path, number, name, sizeof name))
        return avz_error_set(err, -ENAMETOOLONG, "output pattern '%s' is too long", s->path);
    if (s->seq_count == s->seq_cap) {
        size_t cap = s->seq_cap ? 2 * s->seq_cap : 256;
        char **grown = realloc(s->seq_tmp, cap * sizeof *grown);
        if (!grown)
            return avz_error_set(err, -ENOMEM, "out of memory writing '%s'", name);
        s->seq_tmp = grown;
        s->seq_cap = cap;
    }
    int fd;
    int ret = avz_outfile_create(name, &tmp, &fd, err);
    if (ret < 0)
        return ret;
    s->seq_tmp[s->seq_count++] = tmp;
    ret = avz_write_all(fd, frame->png, frame->png_size);
    if (ret == 0 && fsync(fd) != 0)
        ret = -errno;
    close(fd);
    if (ret < 0)
        return avz_error_set(err, ret, "cannot write '%s': %s", name, strerror(-ret));
    return 0;
}

static int write_encoded(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    const AVFrame *f = frame->av;
    if (f->width != sink->enc->width || f->height != sink->enc->height ||
        f->format != sink->enc->pix_fmt)
        return avz_error_set(err, -EINVAL,
                             "frame %dx%d does not match the video size %dx%d of '%s'", f->width,
                             f->height, sink->enc->width, sink->enc->height, sink->path);
    /* The writer re-sends unchanged frames: a new reference carries this frame's pts, and the
     * caller's frame is left as it was. */
    int ret = av_frame_ref(sink->send, f);
    if (ret < 0)
        return av_fail(err, ret, "cannot reference a frame", sink->path);
    sink->send->pts = sink->next_pts;
    ret = avcodec_send_frame(sink->enc, sink->send);
    av_frame_unref(sink->send);
    if (ret < 0)
        return av_fail(err, ret, "encoding failed", sink->path);
    return drain(sink, err);
}

int avz_sink_write(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    int ret = 0;
    switch (sink->type) {
    case SINK_ENCODER:
        ret = write_encoded(sink, frame, err);
        break;
    case SINK_SEQUENCE:
        ret = write_sequence_file(sink, frame, err);
        break;
    case SINK_DIGEST:
        sink->digest = fnv_bytes(sink->digest, frame->digest, 8);
        break;
    case SINK_HISTOGRAM:
        avz_histogram_add(sink->hist, frame->hist);
        break;
    }
    if (ret < 0)
        sink->failed = 1;
    else
        sink->next_pts++;
    return ret;
}

static int finish_container(avz_sink *sink, avz_error *err) {
    int ret = avcodec_send_frame(sink->enc, NULL);
    if (ret < 0)
        return av_fail(err, ret, "cannot flush the encoder", sink->path);
    if ((ret = drain(sink, err)) < 0)
        return ret;
    ret = av_write_trailer(sink->fmt);
    if (ret < 0)
        return av_fail(err, ret, "cannot write the trailer", sink->path);
    ret = avio_closep(&sink->fmt->pb);
    if (ret < 0)
        return av_fail(err, ret, "cannot close", sink->path);
    ret = avz_outfile_publish(sink->fd, sink->tmp_path, sink->path, err);
    sink->fd = -1;
    free(sink->tmp_path);
    sink->tmp_path = NULL; /* renamed or removed: nothing left for abort */
    return ret;
}

/* Every file was written and flushed; renaming them all now keeps a failed render from
 * leaving half a new sequence over the old one. */
static int finish_sequence(avz_sink *sink, avz_error *err) {
    for (size_t i = 0; i < sink->seq_count; i++) {
        char name[4096];
        sequence_name(sink->path, sink->first_number + (long)i, name, sizeof name);
        if (rename(sink->seq_tmp[i], name) != 0) {
            int e = errno;
            return avz_error_set(err, -e, "cannot rename the finished file onto '%s': %s", name,
                                 strerror(e));
        }
        free(sink->seq_tmp[i]);
        sink->seq_tmp[i] = NULL;
    }
    sink->seq_count = 0;
    return 0;
}

int avz_sink_finish(avz_sink *sink, avz_error *err) {
    int ret = 0;
    if (sink->failed)
        ret = avz_error_set(err, -EINVAL, "'%s' not written: an earlier frame failed", sink->path);
    else if (sink->next_pts == 0)
        ret = avz_error_set(err, -EINVAL, "'%s' not written: no frames were rendered", sink->path);
    else if (sink->type == SINK_ENCODER)
        ret = finish_container(sink, err);
    else if (sink->type == SINK_SEQUENCE)
        ret = finish_sequence(sink, err);
    if (ret == 0 && sink->vtt_tmp) {
        ret = avz_outfile_publish(sink->vtt_fd, sink->vtt_tmp, sink->vtt_path, err);
        sink->vtt_fd = -1;
        free(sink->vtt_tmp);
        sink->vtt_tmp = NULL;
    }
    if (ret < 0) {
        avz_sink_abort(sink);
        return ret;
    }
    sink_free(sink);
    return 0;
}

struct png_out {
    int fd;
    int error; /* errno of the first failed write */
};

static cairo_status_t png_write_cb(void *closure, const unsigned char *data, unsigned int len) {
    struct png_out *o = closure;
    int ret = avz_write_all(o->fd, data, len);
    if (ret < 0) {
        o->error = -ret;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

int avz_png_write(const char *path, const uint8_t *argb, int width, int height, int stride,
                  avz_error *err) {
    if (strcasecmp(extension_of(path), ".png") != 0)
        return avz_error_set(err, -EINVAL, "still image '%s' must have the extension .png", path);
    if (width <= 0 || height <= 0 || width > AVZ_MAX_SIDE || height > AVZ_MAX_SIDE ||
        stride < cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width))
        return avz_error_set(err, -EINVAL,
                             "image %dx%d (stride %d) for '%s' is not a valid ARGB32 image", width,
                             height, stride, path);
    char *tmp = NULL;
    int fd = -1;
    int ret = avz_outfile_create(path, &tmp, &fd, err);
    if (ret < 0)
        return ret;
    struct png_out o = {fd, 0};
    cairo_status_t status = avz_png_encode(argb, width, height, stride, png_write_cb, &o);
    if (status != CAIRO_STATUS_SUCCESS) {
        ret = avz_error_set(err, o.error ? -o.error : -EIO, "cannot write '%s': %s", path,
                            o.error ? strerror(o.error) : cairo_status_to_string(status));
        close(fd);
        unlink(tmp);
    } else {
        ret = avz_outfile_publish(fd, tmp, path, err);
    }
    free(tmp);
    return ret;
}
