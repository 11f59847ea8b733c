/* attnviz frame digest: an output without a file, like dav1d's md5 muxer, so that CI can
 * tell whether any frame changed without encoding. 64-bit FNV-1a over the frame size and
 * rate, then over each frame's digest of its drawn pixels. */
#include <stdlib.h>
#include <string.h>

#include "attnviz/hash.h"
#include "output.h"

typedef struct digest_sink {
    avz_sink base;
    uint64_t digest;
} digest_sink;

typedef struct digest_frame {
    avz_frame base;
    uint64_t digest;
} digest_frame;

/* FNV's xor-multiply step on whole 0xAARRGGBB pixel values (the same on any byte order), in
 * four interleaved lanes so that the multiplies overlap: byte-wise FNV-1a cost as much as
 * drawing a frame. Each step is a bijection of the lane, so one changed pixel always changes
 * the digest. The lanes end up in byte-wise FNV-1a. */
static uint64_t digest_pixels(const uint8_t *argb, int stride, int width, int height) {
    uint64_t lane[4] = {AVZ_FNV_OFFSET, AVZ_FNV_OFFSET ^ 1, AVZ_FNV_OFFSET ^ 2, AVZ_FNV_OFFSET ^ 3};
    for (int y = 0; y < height; y++) {
        const uint8_t *row = argb + (size_t)y * (size_t)stride;
        for (int x = 0; x < width; x++) {
            uint32_t p;
            memcpy(&p, row + 4 * (size_t)x, sizeof p);
            lane[x & 3] = (lane[x & 3] ^ p) * AVZ_FNV_PRIME;
        }
    }
    uint64_t h = AVZ_FNV_OFFSET;
    for (int i = 0; i < 4; i++)
        h = avz_fnv1a_value(h, lane[i], 8);
    return h;
}

static int digest_open(const avz_output *kind, const char *path, const avz_sink_options *o,
                       avz_sink **out, avz_error *err) {
    digest_sink *s = calloc(1, sizeof *s);
    if (!s)
        return avz_error_set(err, -ENOMEM, "out of memory");
    *out = &s->base;
    s->base.kind = kind;
    /* The size and rate are part of what the frames are. */
    uint64_t h = avz_fnv1a_value(AVZ_FNV_OFFSET, (uint64_t)o->width, 4);
    h = avz_fnv1a_value(h, (uint64_t)o->height, 4);
    s->digest = avz_fnv1a_value(h, (uint64_t)o->fps, 4);
    return avz_sink_init(&s->base, kind, path, o, err);
}

uint64_t avz_sink_digest(const avz_sink *sink) {
    return ((const digest_sink *)sink)->digest;
}

static int digest_write(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    (void)err;
    digest_sink *s = (digest_sink *)sink;
    s->digest = avz_fnv1a_value(s->digest, ((const digest_frame *)frame)->digest, 8);
    return 0;
}

static int digest_frame_new(const avz_sink *sink, avz_frame **out) {
    return avz_frame_alloc(sink, sizeof(digest_frame), out);
}

static int digest_converter_new(const avz_sink *sink, avz_converter **out) {
    avz_converter *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    avz_converter_init(c, sink);
    *out = c;
    return 0;
}

static int digest_convert(avz_converter *c, const uint8_t *argb, int stride,
                          const avz_rows *changed, size_t count, avz_frame *dst) {
    (void)changed;
    (void)count;
    ((digest_frame *)dst)->digest = digest_pixels(argb, stride, c->width, c->height);
    return 0;
}

/* Frames, converters and the sink own nothing but themselves. */
static void free_frame(avz_frame *f) {
    free(f);
}

static void free_converter(avz_converter *c) {
    free(c);
}

static void free_sink(avz_sink *s) {
    free(s);
}

const avz_output avz_output_digest = {
    .name = "the digest",
    .open = digest_open,
    .frame_new = digest_frame_new,
    .frame_free = free_frame,
    .converter_new = digest_converter_new,
    .converter_free = free_converter,
    .convert = digest_convert,
    .write = digest_write,
    .close = free_sink,
};
