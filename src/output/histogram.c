/* attnviz colour histogram: an output without a file, the first pass of a GIF: every
 * frame's colours are counted by the workers and summed by the writer, and the palette is cut
 * from the sum (palette.c). */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "palette.h"

typedef struct histogram_sink {
    avz_sink base;
    avz_histogram *total;
} histogram_sink;

/* A frame's non-empty bins: a few thousand at most, where the whole histogram has 32768. */
typedef struct histogram_frame {
    avz_frame base;
    avz_histogram_bin *bins; /* room for every bin */
    size_t count;
} histogram_frame;

static int histogram_open(const avz_output *kind, const char *path, const avz_sink_options *o,
                          avz_sink **out, avz_error *err) {
    histogram_sink *s = calloc(1, sizeof *s);
    if (!s)
        return avz_error_set(err, -ENOMEM, "out of memory counting colours");
    *out = &s->base;
    s->base.kind = kind;
    if (!(s->total = calloc(1, sizeof *s->total)))
        return avz_error_set(err, -ENOMEM, "out of memory counting colours");
    return avz_sink_init(&s->base, kind, path, o, err);
}

int avz_histogram_palette(const avz_sink *sink, uint32_t palette[AVZ_PALETTE_SIZE]) {
    return avz_palette_build(((const histogram_sink *)sink)->total, palette);
}

static int histogram_write(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    (void)err;
    const histogram_frame *f = (const histogram_frame *)frame;
    avz_histogram_add(((histogram_sink *)sink)->total, f->bins, f->count);
    return 0;
}

static void histogram_close(avz_sink *sink) {
    free(((histogram_sink *)sink)->total);
    free(sink);
}

static void histogram_frame_free(avz_frame *frame) {
    histogram_frame *f = (histogram_frame *)frame;
    free(f->bins);
    free(f);
}

static int histogram_frame_new(const avz_sink *sink, avz_frame **out) {
    histogram_frame *f = calloc(1, sizeof *f);
    if (!f || !(f->bins = malloc(AVZ_PALETTE_BINS * sizeof *f->bins))) {
        free(f);
        return -ENOMEM;
    }
    f->base.kind = sink->kind;
    *out = &f->base;
    return 0;
}

/* Keeps the last picture and its counts, so that an update recounts only the changed rows. */
typedef struct histogram_converter {
    avz_converter base;
    uint8_t *kept;
    avz_frame_histogram *counts;
    bool kept_valid;
} histogram_converter;

static void histogram_converter_free(avz_converter *conv) {
    histogram_converter *c = (histogram_converter *)conv;
    free(c->kept);
    free(c->counts);
    free(c);
}

static int histogram_converter_new(const avz_sink *sink, avz_converter **out) {
    histogram_converter *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    avz_converter_init(&c->base, sink);
    c->kept = malloc((size_t)c->base.width * (size_t)c->base.height * 4);
    c->counts = malloc(sizeof *c->counts);
    if (!c->kept || !c->counts) {
        histogram_converter_free(&c->base);
        return -ENOMEM;
    }
    *out = &c->base;
    return 0;
}

static int histogram_convert(avz_converter *conv, const uint8_t *argb, int stride,
                             const avz_rows *changed, size_t count, avz_frame *dst) {
    histogram_converter *c = (histogram_converter *)conv;
    int w = c->base.width, h = c->base.height, kept_stride = w * 4;
    const avz_rows all = {0, h};
    if (!c->kept_valid) {
        avz_histogram_count(c->counts, argb, w, h, stride);
        changed = &all;
        count = 1;
    } else {
        for (size_t b = 0; b < count; b++)
            avz_histogram_recount(c->counts, c->kept, kept_stride, argb, stride, w,
                                  changed[b].first, changed[b].end);
    }
    for (size_t b = 0; b < count; b++)
        for (int y = changed[b].first; y < changed[b].end; y++)
            memcpy(c->kept + (size_t)y * (size_t)kept_stride, argb + (size_t)y * (size_t)stride,
                   (size_t)kept_stride);
    c->kept_valid = true;
    histogram_frame *f = (histogram_frame *)dst;
    f->count = avz_histogram_occupied(c->counts, f->bins);
    return 0;
}

const avz_output avz_output_histogram = {
    .name = "the palette",
    .open = histogram_open,
    .frame_new = histogram_frame_new,
    .frame_free = histogram_frame_free,
    .converter_new = histogram_converter_new,
    .converter_free = histogram_converter_free,
    .convert = histogram_convert,
    .write = histogram_write,
    .close = histogram_close,
};
