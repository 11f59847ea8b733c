/* attnviz GIF output: libav's GIF encoder and muxer (libav.c), fed palette indices. The
 * palette comes from a first pass over the frames (histogram.c); each converter maps pixels
 * to it exactly, without dithering (see palette.h). */
#include <stdlib.h>
#include <string.h>

#include "libav.h"
#include "palette.h"

typedef struct gif_sink {
    avz_sink base;
    avz_av_stream stream;
    uint32_t palette[AVZ_PALETTE_SIZE];
    bool has_palette;
} gif_sink;

typedef struct gif_converter {
    avz_converter base;
    avz_palette_map *map;
    const uint32_t *palette; /* the sink's, copied into every frame */
    uint8_t *kept; /* the last picture's indices, so that an update maps only changed rows */
    bool kept_valid;
} gif_converter;

/* GIF delays are whole hundredths of a second, and browsers stretch delays under 2. */
static bool gif_plays(int fps) {
    return fps >= 1 && 100 % fps == 0 && 100 / fps >= 2;
}

static int gif_best_fps(int fps) {
    while (fps > 1 && !gif_plays(fps))
        fps--;
    return fps;
}

static int gif_check(const char *path, const avz_sink_options *o, avz_error *err) {
    char shown[AVZ_SHORT];
    if (!gif_plays(o->fps))
        return avz_error_set(err, -EINVAL,
                             "a GIF cannot play %d frames per second exactly ('%s'); allowed: 50, "
                             "25, 20, 10, 5, 4, 2, 1",
                             o->fps, avz_shorten(shown, sizeof shown, path));
    return 0;
}

static int gif_open(const avz_output *kind, const char *path, const avz_sink_options *o,
                    avz_sink **out, avz_error *err) {
    static const avz_av_format format = {"gif", "gif", "", false, NULL};
    gif_sink *s = calloc(1, sizeof *s);
    if (!s)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    *out = &s->base;
    s->base.kind = kind;
    int fd;
    const char *tmp = NULL;
    int ret = avz_sink_init(&s->base, kind, path, o, err);
    ret = ret ? ret : avz_outset_add(s->base.files, path, &fd, &tmp, err);
    AVDictionary *none = NULL;
    return ret ? ret
               : avz_av_open(&s->stream, &format, AV_PIX_FMT_PAL8, s->base.path, tmp, o, &none,
                             err);
}

void avz_gif_set_palette(avz_sink *sink, const uint32_t palette[AVZ_PALETTE_SIZE]) {
    gif_sink *s = (gif_sink *)sink;
    memcpy(s->palette, palette, sizeof s->palette);
    s->has_palette = true;
}

static int gif_write(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    return avz_av_write(&((gif_sink *)sink)->stream, ((const avz_av_frame *)frame)->av, err);
}

static int gif_finish(avz_sink *sink, avz_error *err) {
    return avz_av_finish(&((gif_sink *)sink)->stream, err);
}

static void gif_close(avz_sink *sink) {
    avz_av_close(&((gif_sink *)sink)->stream);
    free(sink);
}

static int gif_frame_new(const avz_sink *sink, avz_frame **out) {
    return avz_av_frame_new(sink, &((const gif_sink *)sink)->stream, true, out);
}

static void gif_converter_free(avz_converter *conv) {
    gif_converter *c = (gif_converter *)conv;
    avz_palette_map_free(c->map);
    free(c->kept);
    free(c);
}

static int gif_converter_new(const avz_sink *sink, avz_converter **out) {
    const gif_sink *s = (const gif_sink *)sink;
    if (!s->has_palette)
        return -EINVAL;
    gif_converter *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    avz_converter_init(&c->base, sink);
    c->palette = s->palette;
    int ret = avz_palette_map_new(s->palette, &c->map);
    c->kept = malloc((size_t)c->base.width * (size_t)c->base.height);
    if (ret == 0 && !c->kept)
        ret = -ENOMEM;
    if (ret < 0) {
        gif_converter_free(&c->base);
        return ret;
    }
    *out = &c->base;
    return 0;
}

static int gif_convert(avz_converter *conv, const uint8_t *argb, int stride,
                       const avz_rows *changed, size_t count, avz_frame *dst) {
    gif_converter *c = (gif_converter *)conv;
    AVFrame *f = ((avz_av_frame *)dst)->av;
    int w = c->base.width, h = c->base.height;
    /* Should the encoder still hold this buffer, write into a fresh one instead of under it. */
    int ret = av_frame_make_writable(f);
    if (ret < 0)
        return avz_errno_of(ret);
    const avz_rows all = {0, h};
    if (!c->kept_valid) {
        changed = &all;
        count = 1;
    }
    for (size_t b = 0; b < count; b++)
        avz_palette_map_rows(c->map, argb, stride, w, changed[b].first, changed[b].end, c->kept, w);
    c->kept_valid = true;
    for (int y = 0; y < h; y++)
        memcpy(f->data[0] + (size_t)y * (size_t)f->linesize[0], c->kept + (size_t)y * (size_t)w,
               (size_t)w);
    memcpy(f->data[1], c->palette, AVZ_PALETTE_SIZE * 4);
    return 0;
}

/* Bytes a pixel: the encoder keeps the previous frame to find what changed, the palette map its
 * cache (10, measured); and each worker's converter keeps its last picture, 4 bytes a pixel in
 * the histogram pass, 1 in the GIF's (counted for two workers). */
static double gif_memory(const avz_sink_options *o) {
    (void)o;
    return 10 + 2 * 4;
}

const avz_output avz_output_gif = {
    .name = "GIF",
    .encoder_memory = gif_memory,
    .extension = ".gif",
    .needs_palette = true,
    .best_fps = gif_best_fps,
    .check = gif_check,
    .open = gif_open,
    .frame_new = gif_frame_new,
    .frame_free = avz_av_frame_free,
    .converter_new = gif_converter_new,
    .converter_free = gif_converter_free,
    .convert = gif_convert,
    .write = gif_write,
    .finish = gif_finish,
    .close = gif_close,
};
