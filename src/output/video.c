/* attnviz video outputs: H.264 in MP4, VP9 in WebM and ProRes 4444 in QuickTime, through
 * libav (libav.c), with their conversion to BT.709 YUV: opaque yuv420p and ProRes's 4:4:4
 * 10-bit by yuv.c, into pictures the converter keeps and the frames it hands over reference,
 * converting only changed rows; VP9's yuva420p by swscale. */
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <stdlib.h>
#include <string.h>

#include "argb.h"
#include "libav.h"
#include "yuv.h"

typedef struct video_kind {
    avz_av_format format;
    enum AVPixelFormat pix_fmt;
    enum AVPixelFormat alpha_pix_fmt; /* AV_PIX_FMT_NONE: the format cannot carry alpha */
    int (*configure)(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err);
} video_kind;

typedef struct video_sink {
    avz_sink base;
    avz_av_stream stream;
} video_sink;

/* Enough that a worker seldom finds all its pictures held (by the queue's frames, two slots a
 * worker and the writer's last, or an encoder's frame threads) and has to copy one: of the
 * full gqa's 1326 frames at -q l with 2 workers, 3 pictures copied 154, 4 copy 20 (.mov, whose
 * ProRes frame threads hold frames of their own, 142). */
#define OWN_PICTURES 4

/* One of the pictures yuv.c converts into; a frame handed over references it, and it is
 * written again only once no frame or encoder holds it. */
typedef struct own_picture {
    AVFrame *frame;      /* NULL until needed */
    uint64_t generation; /* the update whose picture it holds; 0: none */
} own_picture;

typedef struct video_converter {
    avz_converter base;
    const avz_av_stream *stream;
    struct SwsContext *sws;
    enum AVPixelFormat pix_fmt;
    uint8_t *straight; /* un-premultiplied copy of a transparent frame, for swscale */
    bool own_yuv;      /* converted by yuv.c, not swscale */
    own_picture pictures[OWN_PICTURES];
    uint64_t generation;      /* updates so far */
    uint64_t *row_generation; /* per row, the update that last changed it */
} video_converter;

/* ── Encoder settings ──────────────────────────────────────────────────────────────── */

/* x264's presets, with the memory of their frames (lookahead, references, half-pel planes) in
 * bytes per pixel with 4 threads: the slope of peak RSS between 640x360 and 1280x720 renders
 * of 177 frames with one worker, less the worker's own, rounded up (x264 163, Debian 12); and
 * their own rc-lookahead, which a memory budget may shorten but never lengthens. */
typedef struct x264_preset {
    const char *name;
    double bytes_per_pixel;
    int lookahead;
} x264_preset;

static const x264_preset x264_presets[] = {
    {"ultrafast", 40, 0},  {"superfast", 100, 0}, {"veryfast", 130, 10}, {"faster", 160, 20},
    {"fast", 190, 30},     {"medium", 240, 40},   {"slow", 270, 50},     {"slower", 320, 60},
    {"veryslow", 470, 60}, {"placebo", 780, 60},
};
#define X264_DEFAULT (&x264_presets[5])

/* Fewer threads and frames of lookahead, less memory; the slopes of 1080p medium renders:
 * 4 to 1 threads 552 to 443 MB peak, 40 to 5 frames 552 to 317 MB (README, "Memory"). */
#define X264_THREAD_BYTES_PER_PIXEL 12.0
#define X264_LOOKAHEAD_BYTES_PER_PIXEL 3.2

static const x264_preset *x264_preset_named(const char *name) {
    if (!name)
        return X264_DEFAULT;
    for (size_t i = 0; i < sizeof x264_presets / sizeof x264_presets[0]; i++)
        if (strcmp(name, x264_presets[i].name) == 0)
            return &x264_presets[i];
    return NULL;
}

/* The lookahead opts ask of x264, shortened only: 0 keeps the preset's. */
static int x264_lookahead(const x264_preset *p, const avz_sink_options *opts) {
    return opts->lookahead && opts->lookahead < p->lookahead ? opts->lookahead : 0;
}

static double x264_memory(const avz_sink_options *opts) {
    const x264_preset *p = x264_preset_named(opts->preset);
    p = p ? p : X264_DEFAULT; /* an unknown name is refused by configure_x264 */
    int threads = opts->encoder_threads ? opts->encoder_threads : AVZ_ENCODER_THREADS;
    int lookahead = x264_lookahead(p, opts);
    double saved = (AVZ_ENCODER_THREADS - threads) * X264_THREAD_BYTES_PER_PIXEL +
                   (lookahead ? p->lookahead - lookahead : 0) * X264_LOOKAHEAD_BYTES_PER_PIXEL;
    return p->bytes_per_pixel - saved;
}

/* x264 163's AVX-512 code makes bytes that change from one encoder to the next in a process
 * (64x64 and 426x240, 1 to 4 threads: 2 to 13 of 14 repeated encodes differ; none with AVX2,
 * SSE2 or C), so where x264 would pick it, it is told the CPU's AVX2 features instead. Measured
 * on 854x480: the same speed. */
#define X264_BELOW_AVX512 "asm=AVX2,SSE2Fast,Cache64"

static bool x264_has_avx512(void) {
#if defined(__x86_64__) || defined(__i386__)
    /* x264's own test for AVX512 */
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
#else
    return false;
#endif
}

static int configure_x264(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err) {
    const x264_preset *p = x264_preset_named(opts->preset);
    if (!p) {
        char shown[AVZ_SHORT];
        return avz_error_set(err, -EINVAL,
                             "unknown x264 preset '%s'; allowed: ultrafast, superfast, veryfast, "
                             "faster, fast, medium, slow, slower, veryslow, placebo",
                             avz_shorten(shown, sizeof shown, opts->preset));
    }
    int crf = opts->crf < 0 ? 23 : opts->crf;
    if (crf > 51)
        return avz_error_set(err, -EINVAL, "crf %d is out of range; allowed: 0..51", crf);
    int lookahead = x264_lookahead(p, opts);
    if (av_dict_set_int(codec_opts, "crf", crf, 0) < 0 ||
        av_dict_set(codec_opts, "preset", p->name, 0) < 0 ||
        (lookahead && av_dict_set_int(codec_opts, "rc-lookahead", lookahead, 0) < 0) ||
        (x264_has_avx512() && av_dict_set(codec_opts, "x264-params", X264_BELOW_AVX512, 0) < 0))
        return avz_error_set(err, -ENOMEM, "out of memory configuring x264");
    return 0;
}

/* Constant quality (crf without a bitrate cap) at libvpx's realtime deadline, speed 6, with
 * row-mt: measured against the "good" deadline at cpu-used 4 (bench/encoders, README
 * "Encoders"), 6x faster at 1080p for 8% more bytes and the same PSNR. */
static int configure_vp9(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err) {
    (void)opts;
    if (av_dict_set(codec_opts, "crf", "31", 0) < 0 || av_dict_set(codec_opts, "b", "0", 0) < 0 ||
        av_dict_set(codec_opts, "deadline", "realtime", 0) < 0 ||
        av_dict_set(codec_opts, "cpu-used", "6", 0) < 0 ||
        av_dict_set(codec_opts, "row-mt", "1", 0) < 0)
        return avz_error_set(err, -ENOMEM, "out of memory configuring VP9");
    return 0;
}

/* Peak RSS of 1080p renders with 2 workers, less attnviz's own (README, "Memory"). */
static double vp9_memory(const avz_sink_options *opts) {
    (void)opts;
    return 130;
}

/* prores_aw's frame threads each hold a large context: 1 thread 158 MB at 1080p, 2 threads
 * 482 MB, 4 threads 551 MB. Its bytes do not depend on them. */
static double prores_memory(const avz_sink_options *opts) {
    return opts->encoder_threads == 1 ? 25 : 215;
}

/* Profile 4444 whether or not there is alpha; the Apple vendor tag, without which some
 * Apple applications refuse the file. FFmpeg's prores_aw, not prores_ks: 7x faster at 1080p,
 * with a smaller file and a higher PSNR (README "Encoders"). */
static int configure_prores(const avz_sink_options *opts, AVDictionary **codec_opts,
                            avz_error *err) {
    (void)opts;
    if (av_dict_set_int(codec_opts, "profile", FF_PROFILE_PRORES_4444, 0) < 0 ||
        av_dict_set(codec_opts, "vendor", "apl0", 0) < 0)
        return avz_error_set(err, -ENOMEM, "out of memory configuring ProRes");
    return 0;
}

static const video_kind mp4 = {
    {"mp4", "libx264", "movflags=+faststart", true, "aac"},
    AV_PIX_FMT_YUV420P,
    AV_PIX_FMT_NONE,
    configure_x264,
};
/* VP9 plays in every browser; Matroska carries its alpha as a block addition. */
static const video_kind webm = {
    {"webm", "libvpx-vp9", "", true, "libopus"},
    AV_PIX_FMT_YUV420P,
    AV_PIX_FMT_YUVA420P,
    configure_vp9,
};
/* ProRes 4444 is what editors (Premiere, Resolve, Final Cut) composite; no chapters, since a
 * QuickTime chapter track imports into some editors as a stray text track. */
static const video_kind mov = {
    {"mov", "prores_aw", "", false, "aac"},
    AV_PIX_FMT_YUV444P10LE,
    AV_PIX_FMT_YUVA444P10LE,
    configure_prores,
};

static const video_kind *video_kind_of(const avz_output *kind) {
    return kind == &avz_output_mp4 ? &mp4 : kind == &avz_output_webm ? &webm : &mov;
}

/* ── Sink ──────────────────────────────────────────────────────────────────────────── */

static int check_with(const video_kind *v, const avz_sink_options *o, avz_error *err) {
    AVDictionary *opts = NULL;
    int ret = v->configure(o, &opts, err);
    av_dict_free(&opts);
    return ret;
}

static int check_mp4(const char *path, const avz_sink_options *o, avz_error *err) {
    (void)path;
    return check_with(&mp4, o, err);
}

static int video_open(const avz_output *kind, const char *path, const avz_sink_options *o,
                      avz_sink **out, avz_error *err) {
    const video_kind *v = video_kind_of(kind);
    video_sink *s = calloc(1, sizeof *s);
    if (!s)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    *out = &s->base;
    s->base.kind = kind; /* for close, should init fail */
    int ret = avz_sink_init(&s->base, kind, path, o, err);
    int fd;
    const char *tmp = NULL;
    ret = ret ? ret : avz_outset_add(s->base.files, path, &fd, &tmp, err);
    AVDictionary *codec_opts = NULL;
    ret = ret ? ret : v->configure(o, &codec_opts, err);
    if (ret) {
        av_dict_free(&codec_opts);
        return ret;
    }
    return avz_av_open(&s->stream, &v->format, o->transparent ? v->alpha_pix_fmt : v->pix_fmt,
                       s->base.path, tmp, o, &codec_opts, err);
}

static int video_write(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    return avz_av_write(&((video_sink *)sink)->stream, ((const avz_av_frame *)frame)->av, err);
}

static int video_finish(avz_sink *sink, avz_error *err) {
    return avz_av_finish(&((video_sink *)sink)->stream, err);
}

static void video_close(avz_sink *sink) {
    avz_av_close(&((video_sink *)sink)->stream);
    free(sink);
}

/* yuv.c needs no swscale context. */
static bool own_yuv_converts(enum AVPixelFormat f, bool transparent) {
    return (f == AV_PIX_FMT_YUV420P && !transparent) || f == AV_PIX_FMT_YUV444P10LE ||
           f == AV_PIX_FMT_YUVA444P10LE;
}

/* A frame yuv.c converts into references the converter's pictures and needs no planes. */
static int video_frame_new(const avz_sink *sink, avz_frame **out) {
    const avz_av_stream *a = &((const video_sink *)sink)->stream;
    bool own = own_yuv_converts(a->enc->pix_fmt, sink->transparent);
    return avz_av_frame_new(sink, a, !own, out);
}

/* ── Conversion ────────────────────────────────────────────────────────────────────── */

static int converter_sws(video_converter *c) {
    c->sws = sws_alloc_context();
    if (!c->sws)
        return -ENOMEM;
    /* AV_PIX_FMT_RGB32 is libavutil's name for cairo's ARGB32: a native-endian 0xAARRGGBB
     * word, BGRA in memory on little-endian and ARGB on big-endian. FULL_CHR_H_INP computes
     * chroma from every pixel before subsampling (sharp coloured edges on text); BITEXACT
     * keeps the bytes independent of the CPU's SIMD; chroma is sited left as H.264 assumes. */
    int flags = SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP | SWS_BITEXACT;
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(c->pix_fmt);
    int w = c->base.width, h = c->base.height, ret = 0;
    if ((ret = av_opt_set_int(c->sws, "srcw", w, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "srch", h, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "src_format", AV_PIX_FMT_RGB32, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dstw", w, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dsth", h, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dst_format", c->pix_fmt, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "sws_flags", flags, 0)) < 0 ||
        (d->log2_chroma_w && (ret = av_opt_set_int(c->sws, "dst_h_chr_pos", 0, 0)) < 0) ||
        (d->log2_chroma_h && (ret = av_opt_set_int(c->sws, "dst_v_chr_pos", 128, 0)) < 0) ||
        (ret = sws_init_context(c->sws, NULL, NULL)) < 0)
        return avz_errno_of(ret);
    /* swscale converts with BT.601 unless told otherwise; RGB input is full range, the
     * output limited range, both with the BT.709 matrix the stream is tagged with. */
    const int *bt709 = sws_getCoefficients(SWS_CS_ITU709);
    ret = sws_setColorspaceDetails(c->sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    return ret < 0 ? -ENOTSUP : 0;
}

static int converter_own_yuv(video_converter *c) {
    c->own_yuv = true;
    c->row_generation = calloc((size_t)c->base.height, sizeof *c->row_generation);
    return c->row_generation ? 0 : -ENOMEM;
}

static void video_converter_free(avz_converter *conv) {
    video_converter *c = (video_converter *)conv;
    sws_freeContext(c->sws);
    for (int i = 0; i < OWN_PICTURES; i++)
        av_frame_free(&c->pictures[i].frame);
    free(c->row_generation);
    free(c->straight);
    free(c);
}

static int video_converter_new(const avz_sink *sink, avz_converter **out) {
    video_converter *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    avz_converter_init(&c->base, sink);
    c->stream = &((const video_sink *)sink)->stream;
    c->pix_fmt = c->stream->enc->pix_fmt;
    bool own = own_yuv_converts(c->pix_fmt, sink->transparent);
    int ret = own ? converter_own_yuv(c) : converter_sws(c);
    if (ret == 0 && sink->transparent && !own &&
        !(c->straight = malloc((size_t)sink->width * (size_t)sink->height * 4)))
        ret = -ENOMEM;
    if (ret < 0) {
        video_converter_free(&c->base);
        return ret;
    }
    *out = &c->base;
    return 0;
}

/* Video alpha is straight, cairo's premultiplied. */
static void unpremultiply(const uint8_t *argb, int stride, int width, int height, uint8_t *dst) {
    for (int y = 0; y < height; y++) {
        const uint8_t *row = argb + (size_t)y * (size_t)stride;
        uint32_t *out = (uint32_t *)(dst + (size_t)y * (size_t)width * 4);
        for (int x = 0; x < width; x++) {
            uint32_t p;
            memcpy(&p, row + 4 * (size_t)x, sizeof p);
            out[x] = avz_argb_unpremultiply(p);
        }
    }
}

/* Converts rows [first, end) into picture k; for 4:2:0, widened to whole row pairs, as a
 * chroma row is made of two. */
static void own_yuv_rows(video_converter *c, AVFrame *k, const uint8_t *argb, int stride, int first,
                         int end) {
    int height = c->base.height, chroma_shift = c->pix_fmt == AV_PIX_FMT_YUV420P;
    if (chroma_shift) {
        first &= ~1;
        end = end + 1 < height ? (end + 1) & ~1 : height;
    }
    if (first >= end)
        return;
    uint8_t *rows[4] = {NULL};
    for (int p = 0; p < 4 && k->data[p]; p++) {
        int r = p == 0 || p == 3 ? first : first >> chroma_shift;
        rows[p] = k->data[p] + (size_t)r * (size_t)k->linesize[p];
    }
    argb += (size_t)first * (size_t)stride;
    if (chroma_shift)
        avz_yuv420_from_argb(argb, stride, c->base.width, end - first, rows, k->linesize);
    else
        avz_yuv444p10_from_argb(argb, stride, c->base.width, end - first, rows, k->linesize);
}

/* The picture to convert into: the newest no one else holds, else a new one, else (every one
 * held, which the queue's depth makes rare) a copy of the newest. */
static int own_picture_take(video_converter *c, own_picture **out) {
    own_picture *free_newest = NULL, *unused = NULL, *newest = &c->pictures[0];
    for (int i = 0; i < OWN_PICTURES; i++) {
        own_picture *p = &c->pictures[i];
        if (!p->frame) {
            unused = unused ? unused : p;
            continue;
        }
        if (p->generation > newest->generation)
            newest = p;
        if (av_frame_is_writable(p->frame) &&
            (!free_newest || p->generation > free_newest->generation))
            free_newest = p;
    }
    int ret = 0;
    if (free_newest)
        *out = free_newest;
    else if (unused)
        ret = avz_av_picture_new(c->stream, true, &(*out = unused)->frame);
    else
        ret = av_frame_make_writable((*out = newest)->frame);
    return ret < 0 ? avz_errno_of(ret) : 0;
}

/* Brings a picture up to date, converting the rows changed since it was last written (all of
 * a new one), and makes f reference it: no copy. */
static int own_yuv_update(video_converter *c, const uint8_t *argb, int stride,
                          const avz_rows *changed, size_t count, AVFrame *f) {
    const avz_rows all = {0, c->base.height};
    uint64_t now = ++c->generation;
    if (now == 1) {
        changed = &all;
        count = 1;
    }
    for (size_t b = 0; b < count; b++)
        for (int r = changed[b].first; r < changed[b].end; r++)
            c->row_generation[r] = now;
    /* The frame lets go of the picture it referenced first: it may be the one to write. */
    av_frame_unref(f);
    own_picture *p;
    int ret = own_picture_take(c, &p);
    if (ret < 0)
        return ret;
    for (int r = 0; r < c->base.height;) {
        if (c->row_generation[r] <= p->generation) {
            r++;
            continue;
        }
        int first = r;
        while (r < c->base.height && c->row_generation[r] > p->generation)
            r++;
        own_yuv_rows(c, p->frame, argb, stride, first, r);
    }
    p->generation = now;
    ret = av_frame_ref(f, p->frame);
    return ret < 0 ? avz_errno_of(ret) : 0;
}

static int video_convert(avz_converter *conv, const uint8_t *argb, int stride,
                         const avz_rows *changed, size_t count, avz_frame *dst) {
    video_converter *c = (video_converter *)conv;
    AVFrame *f = ((avz_av_frame *)dst)->av;
    int w = c->base.width, h = c->base.height;
    if (f->width != w || f->height != h || f->format != c->pix_fmt)
        return -EINVAL;
    if (c->own_yuv)
        return own_yuv_update(c, argb, stride, changed, count, f);
    /* Should an encoder still hold this buffer, write into a fresh one instead of under it. */
    int ret = av_frame_make_writable(f);
    if (ret < 0)
        return avz_errno_of(ret);
    if (c->straight) {
        unpremultiply(argb, stride, w, h, c->straight);
        argb = c->straight;
        stride = w * 4;
    }
    const uint8_t *src[4] = {argb};
    const int src_stride[4] = {stride};
    ret = sws_scale(c->sws, src, src_stride, 0, h, f->data, f->linesize);
    return ret == h ? 0 : -EIO;
}

#define VIDEO_OUTPUT(ext, label, has_alpha, preset, checker, memory, kind)                         \
    {                                                                                              \
        .name = label, .extension = ext, .alpha = has_alpha, .takes_preset = preset,               \
        .container = &kind.format, .sound = true, .encoder_memory = memory, .check = checker,      \
        .open = video_open, .frame_new = video_frame_new, .frame_free = avz_av_frame_free,         \
        .converter_new = video_converter_new, .converter_free = video_converter_free,              \
        .convert = video_convert, .write = video_write, .finish = video_finish,                    \
        .close = video_close,                                                                      \
    }

const avz_output avz_output_mp4 =
    VIDEO_OUTPUT(".mp4", "H.264/MP4", false, true, check_mp4, x264_memory, mp4);
const avz_output avz_output_webm =
    VIDEO_OUTPUT(".webm", "VP9/WebM", true, false, NULL, vp9_memory, webm);
const avz_output avz_output_mov =
    VIDEO_OUTPUT(".mov", "ProRes 4444/QuickTime", true, false, NULL, prores_memory, mov);
