/* attnviz conversion: a drawn cairo frame into what its sink takes (BT.709 yuv, by yuv.c for
 * opaque yuv420p and by swscale for the other formats; GIF palette indices; PNG bytes; a pixel
 * digest or a colour histogram), done by the pipeline's workers in parallel; sink.c writes
 * the results in order. */
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <stdlib.h>
#include <string.h>

#include "sink_internal.h"
#include "yuv.h"

struct avz_converter {
    sink_type type;
    struct SwsContext *sws;
    int width, height;
    enum AVPixelFormat pix_fmt;
    uint8_t *straight;       /* un-premultiplied copy of a transparent frame, for swscale */
    avz_palette_map *map;    /* GIF */
    const uint32_t *palette; /* GIF: the sink's, copied into every frame */
    bool transparent;
    bool own_yuv;  /* opaque yuv420p: converted by yuv.c, not swscale */
    AVFrame *kept; /* own_yuv: the last picture, so that an update converts changed rows only */
    bool kept_valid;
};

int avz_sink_frame_new(const avz_sink *sink, avz_frame **out) {
    *out = NULL;
    avz_frame *f = calloc(1, sizeof *f);
    if (!f)
        return -ENOMEM;
    if (sink->type == SINK_HISTOGRAM && !(f->hist = malloc(sizeof *f->hist))) {
        free(f);
        return -ENOMEM;
    }
    if (sink->type != SINK_ENCODER) {
        *out = f;
        return 0;
    }
    if (!(f->av = av_frame_alloc())) {
        free(f);
        return -ENOMEM;
    }
    f->av->width = sink->enc->width;
    f->av->height = sink->enc->height;
    f->av->format = sink->enc->pix_fmt;
    f->av->color_primaries = sink->enc->color_primaries;
    f->av->color_trc = sink->enc->color_trc;
    f->av->colorspace = sink->enc->colorspace;
    f->av->color_range = sink->enc->color_range;
    f->av->chroma_location = sink->enc->chroma_sample_location;
    int ret = av_frame_get_buffer(f->av, 64); /* 64: AVX-512 loads in swscale and x264 */
    if (ret < 0) {
        avz_frame_free(f);
        return errno_of(ret);
    }
    *out = f;
    return 0;
}

void avz_frame_free(avz_frame *frame) {
    if (!frame)
        return;
    av_frame_free(&frame->av);
    free(frame->png);
    free(frame->hist);
    free(frame);
}

static int converter_sws(avz_converter *c) {
    c->sws = sws_alloc_context();
    if (!c->sws)
        return -ENOMEM;
    /* AV_PIX_FMT_RGB32 is libavutil's name for cairo's ARGB32: a native-endian 0xAARRGGBB
     * word, BGRA in memory on little-endian and ARGB on big-endian. FULL_CHR_H_INP computes
     * chroma from every pixel before subsampling (sharp coloured edges on text); BITEXACT
     * keeps the bytes independent of the CPU's SIMD; chroma is sited left as H.264 assumes. */
    int flags = SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP | SWS_BITEXACT;
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(c->pix_fmt);
    int ret = 0;
    if ((ret = av_opt_set_int(c->sws, "srcw", c->width, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "srch", c->height, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "src_format", AV_PIX_FMT_RGB32, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dstw", c->width, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dsth", c->height, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dst_format", c->pix_fmt, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "sws_flags", flags, 0)) < 0 ||
        (d->log2_chroma_w && (ret = av_opt_set_int(c->sws, "dst_h_chr_pos", 0, 0)) < 0) ||
        (d->log2_chroma_h && (ret = av_opt_set_int(c->sws, "dst_v_chr_pos", 128, 0)) < 0) ||
        (ret = sws_init_context(c->sws, NULL, NULL)) < 0)
        return errno_of(ret);
    /* swscale converts with BT.601 unless told otherwise; RGB input is full range, the
     * output limited range, both with the BT.709 matrix the stream is tagged with. */
    const int *bt709 = sws_getCoefficients(SWS_CS_ITU709);
    ret = sws_setColorspaceDetails(c->sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    return ret < 0 ? -ENOTSUP : 0;
}

/* avz_yuv420_from_argb needs no swscale context; it converts into a picture of our own,
 * row pairs at a time, which is then copied out whole. */
static int converter_own_yuv(avz_converter *c) {
    c->own_yuv = true;
    if (!(c->kept = av_frame_alloc()))
        return -ENOMEM;
    c->kept->width = c->width;
    c->kept->height = c->height;
    c->kept->format = AV_PIX_FMT_YUV420P;
    int ret = av_frame_get_buffer(c->kept, 64);
    return ret < 0 ? errno_of(ret) : 0;
}

int avz_converter_new(const avz_sink *sink, avz_converter **out) {
    *out = NULL;
    avz_converter *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    c->type = sink->type;
    c->width = sink->width;
    c->height = sink->height;
    c->transparent = sink->transparent;
    int ret = 0;
    if (sink->type == SINK_ENCODER) {
        c->pix_fmt = sink->enc->pix_fmt;
        c->palette = sink->palette;
        if (c->pix_fmt == AV_PIX_FMT_PAL8)
            ret = sink->has_palette ? avz_palette_map_new(sink->palette, &c->map) : -EINVAL;
        else if (c->pix_fmt == AV_PIX_FMT_YUV420P && !c->transparent)
            ret = converter_own_yuv(c);
        else
            ret = converter_sws(c);
        if (ret == 0 && c->transparent &&
            !(c->straight = malloc((size_t)c->width * (size_t)c->height * 4)))
            ret = -ENOMEM;
    }
    if (ret < 0) {
        avz_converter_free(c);
        return ret;
    }
    *out = c;
    return 0;
}

void avz_converter_free(avz_converter *conv) {
    if (!conv)
        return;
    sws_freeContext(conv->sws);
    av_frame_free(&conv->kept);
    avz_palette_map_free(conv->map);
    free(conv->straight);
    free(conv);
}

/* Video alpha is straight, cairo's premultiplied: divide the colour back out, rounding. */
static void unpremultiply(const uint8_t *argb, int stride, int width, int height, uint8_t *dst) {
    for (int y = 0; y < height; y++) {
        const uint8_t *row = argb + (size_t)y * (size_t)stride;
        uint32_t *out = (uint32_t *)(dst + (size_t)y * (size_t)width * 4);
        for (int x = 0; x < width; x++) {
            uint32_t p;
            memcpy(&p, row + 4 * (size_t)x, sizeof p);
            uint32_t a = p >> 24;
            if (a != 0 && a != 255) {
                uint32_t r = (((p >> 16) & 255) * 255 + a / 2) / a;
                uint32_t g = (((p >> 8) & 255) * 255 + a / 2) / a;
                uint32_t b = ((p & 255) * 255 + a / 2) / a;
                p = a << 24 | r << 16 | g << 8 | b;
            }
            out[x] = p;
        }
    }
}

/* FNV's xor-multiply step on whole 0xAARRGGBB pixel values (the same on any byte order), in
 * four interleaved lanes so that the multiplies overlap: byte-wise FNV-1a cost as much as
 * drawing a frame. Each step is a bijection of the lane, so one changed pixel always changes
 * the digest. The lanes end up in byte-wise FNV-1a. */
static uint64_t digest_pixels(const uint8_t *argb, int stride, int width, int height) {
    uint64_t lane[4] = {FNV_OFFSET, FNV_OFFSET ^ 1, FNV_OFFSET ^ 2, FNV_OFFSET ^ 3};
    for (int y = 0; y < height; y++) {
        const uint8_t *row = argb + (size_t)y * (size_t)stride;
        for (int x = 0; x < width; x++) {
            uint32_t p;
            memcpy(&p, row + 4 * (size_t)x, sizeof p);
            lane[x & 3] = (lane[x & 3] ^ p) * FNV_PRIME;
        }
    }
    uint64_t h = FNV_OFFSET;
    for (int i = 0; i < 4; i++)
        h = fnv_bytes(h, lane[i], 8);
    return h;
}

static cairo_status_t png_memory_cb(void *closure, const unsigned char *data, unsigned int len) {
    avz_frame *f = closure;
    if (f->png_size + len > f->png_cap) {
        size_t cap = f->png_cap ? f->png_cap : 65536;
        while (cap < f->png_size + len)
            cap *= 2;
        uint8_t *grown = realloc(f->png, cap);
        if (!grown)
            return CAIRO_STATUS_NO_MEMORY;
        f->png = grown;
        f->png_cap = cap;
    }
    memcpy(f->png + f->png_size, data, len);
    f->png_size += len;
    return CAIRO_STATUS_SUCCESS;
}

cairo_status_t avz_png_encode(const uint8_t *argb, int width, int height, int stride,
                              cairo_write_func_t write, void *closure) {
    /* cairo only reads the pixels here; its API is not const-qualified. */
    cairo_surface_t *surface = cairo_image_surface_create_for_data(
        (unsigned char *)argb, CAIRO_FORMAT_ARGB32, width, height, stride);
    cairo_status_t status = cairo_surface_status(surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream(surface, write, closure);
    cairo_surface_destroy(surface);
    return status;
}

/* Converts rows [first, end) into the kept picture, widened to whole row pairs: a chroma row
 * is made of two. */
static void own_yuv_rows(avz_converter *conv, const uint8_t *argb, int stride, int first, int end) {
    AVFrame *k = conv->kept;
    first &= ~1;
    end = end + 1 < conv->height ? (end + 1) & ~1 : conv->height;
    if (first >= end)
        return;
    uint8_t *const rows[3] = {k->data[0] + (size_t)first * (size_t)k->linesize[0],
                              k->data[1] + (size_t)(first / 2) * (size_t)k->linesize[1],
                              k->data[2] + (size_t)(first / 2) * (size_t)k->linesize[2]};
    avz_yuv420_from_argb(argb + (size_t)first * (size_t)stride, stride, conv->width, end - first,
                         rows, k->linesize);
}

/* Brings the kept picture up to date (all of it the first time) and copies it out. */
static int own_yuv_update(avz_converter *conv, const uint8_t *argb, int stride,
                          const avz_rows *changed, size_t count, AVFrame *f) {
    const avz_rows all = {0, conv->height};
    if (!conv->kept_valid) {
        changed = &all;
        count = 1;
    }
    for (size_t b = 0; b < count; b++)
        own_yuv_rows(conv, argb, stride, changed[b].first, changed[b].end);
    conv->kept_valid = true;
    int ret = av_frame_copy(f, conv->kept);
    return ret < 0 ? errno_of(ret) : 0;
}

int avz_converter_run(avz_converter *conv, const uint8_t *argb, int stride, avz_frame *dst) {
    const avz_rows all = {0, conv->height};
    return avz_converter_update(conv, argb, stride, &all, 1, dst);
}

int avz_converter_update(avz_converter *conv, const uint8_t *argb, int stride,
                         const avz_rows *changed, size_t count, avz_frame *dst) {
    if (stride < conv->width * 4)
        return -EINVAL;
    for (size_t b = 0; b < count; b++)
        if (changed[b].first < 0 || changed[b].end > conv->height)
            return -EINVAL;
    switch (conv->type) {
    case SINK_DIGEST:
        dst->digest = digest_pixels(argb, stride, conv->width, conv->height);
        return 0;
    case SINK_HISTOGRAM:
        avz_histogram_count(dst->hist, argb, conv->width, conv->height, stride);
        return 0;
    case SINK_SEQUENCE:
        dst->png_size = 0;
        return avz_png_encode(argb, conv->width, conv->height, stride, png_memory_cb, dst) ==
                       CAIRO_STATUS_SUCCESS
                   ? 0
                   : -ENOMEM;
    case SINK_ENCODER:
        break;
    }
    AVFrame *f = dst->av;
    if (f->width != conv->width || f->height != conv->height || f->format != conv->pix_fmt)
        return -EINVAL;
    /* Should an encoder still hold this buffer, write into a fresh one instead of under it. */
    int ret = av_frame_make_writable(f);
    if (ret < 0)
        return errno_of(ret);
    if (conv->map) {
        avz_palette_map_run(conv->map, argb, conv->width, conv->height, stride, f->data[0],
                            f->linesize[0]);
        memcpy(f->data[1], conv->palette, AVZ_PALETTE_SIZE * 4);
        return 0;
    }
    if (conv->own_yuv)
        return own_yuv_update(conv, argb, stride, changed, count, f);
    if (conv->straight) {
        unpremultiply(argb, stride, conv->width, conv->height, conv->straight);
        argb = conv->straight;
        stride = conv->width * 4;
    }
    const uint8_t *src[4] = {argb};
    const int src_stride[4] = {stride};
    ret = sws_scale(conv->sws, src, src_stride, 0, conv->height, f->data, f->linesize);
    return ret == conv->height ? 0 : -EIO;
}
