/* attnviz PNG images: libpng into memory, and whole files written through outfile. Depends
 * on libpng and outfile. */
#include "attnviz/png.h"

#include <errno.h>
#include <png.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "argb.h"
#include "outfile.h"
#include "png_encode.h"

#define MAX_SIDE 32767 /* cairo's largest image */

/* Chosen by bench/encoders (README, "Encoders"). The scenes are flat colours and long runs,
 * which row filters only make harder to compress: with none, zlib level 9 gives the smallest
 * stills, 13% under cairo's writer (level 6, every filter tried on every row) for the same
 * time; level 3 encodes a sequence's frames 4.8x faster than cairo's, for 37% more bytes. */
const avz_png_settings avz_png_for_stills = {9, Z_DEFAULT_STRATEGY, PNG_FILTER_NONE};
const avz_png_settings avz_png_for_sequences = {3, Z_DEFAULT_STRATEGY, PNG_FILTER_NONE};

int avz_bytes_append(avz_bytes *b, const void *data, size_t len) {
    if (b->size + len > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 4096; /* a GIF's frame is often smaller */
        while (cap < b->size + len)
            cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown)
            return -ENOMEM;
        b->data = grown;
        b->capacity = cap;
    }
    memcpy(b->data + b->size, data, len);
    b->size += len;
    return 0;
}

/* libpng reports failures by calling these; they return through its setjmp. */
static void png_fail(png_structp png, png_const_charp msg) {
    (void)msg;
    png_longjmp(png, 1);
}

static void png_warning_ignored(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

static void png_append(png_structp png, png_bytep data, size_t len) {
    if (avz_bytes_append(png_get_io_ptr(png), data, len))
        png_error(png, "out of memory");
}

static void png_flush_none(png_structp png) {
    (void)png;
}

static bool is_opaque(const uint8_t *argb, int width, int height, int stride) {
    for (int y = 0; y < height; y++) {
        const uint8_t *row = argb + (size_t)y * (size_t)stride;
        for (int x = 0; x < width; x++) {
            uint32_t p;
            memcpy(&p, row + 4 * (size_t)x, sizeof p);
            if (p >> 24 != 255)
                return false;
        }
    }
    return true;
}

/* One row as PNG wants it: RGB bytes, or straight RGBA. */
static void pack_row(const uint8_t *argb, int width, bool opaque, uint8_t *out) {
    for (int x = 0; x < width; x++) {
        uint32_t p;
        memcpy(&p, argb + 4 * (size_t)x, sizeof p);
        p = avz_argb_unpremultiply(p);
        *out++ = (uint8_t)(p >> 16);
        *out++ = (uint8_t)(p >> 8);
        *out++ = (uint8_t)p;
        if (!opaque)
            *out++ = (uint8_t)(p >> 24);
    }
}

int avz_png_encode(const avz_png_settings *s, const uint8_t *argb, int width, int height,
                   int stride, avz_bytes *out) {
    out->size = 0;
    /* An opaque frame is stored as RGB: a quarter less to compress. */
    volatile bool opaque = is_opaque(argb, width, height, stride);
    uint8_t *row = malloc((size_t)width * 4);
    png_structp png =
        row ? png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, png_warning_ignored)
            : NULL;
    png_infop info = png ? png_create_info_struct(png) : NULL;
    volatile int rc = -ENOMEM;
    if (info && !setjmp(png_jmpbuf(png))) {
        png_set_write_fn(png, out, png_append, png_flush_none);
        png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                     opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL); /* what cairo draws in */
        png_set_compression_level(png, s->level);
        png_set_compression_strategy(png, s->strategy);
        png_set_filter(png, PNG_FILTER_TYPE_BASE, s->filters);
        png_write_info(png, info);
        for (int y = 0; y < height; y++) {
            pack_row(argb + (size_t)y * (size_t)stride, width, opaque, row);
            png_write_row(png, row);
        }
        png_write_end(png, info);
        rc = 0;
    }
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(row);
    return rc;
}

void avz_bytes_free(avz_bytes *b) {
    free(b->data);
    *b = (avz_bytes){0};
}

int avz_png_write(const char *path, const uint8_t *argb, int width, int height, int stride,
                  avz_error *err) {
    char shown[AVZ_SHORT];
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/') || strcasecmp(dot, ".png") != 0)
        return avz_error_set(err, -EINVAL, "image '%s' must have the extension .png",
                             avz_shorten(shown, sizeof shown, path));
    if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE || stride < width * 4)
        return avz_error_set(err, -EINVAL,
                             "image %dx%d (stride %d) for '%s' is not a valid ARGB32 image", width,
                             height, stride, avz_shorten(shown, sizeof shown, path));
    avz_bytes png = {0};
    int rc = avz_png_encode(&avz_png_for_stills, argb, width, height, stride, &png);
    if (rc)
        avz_error_set(err, rc, "out of memory encoding '%s'",
                      avz_shorten(shown, sizeof shown, path));
    else
        rc = avz_outfile_write(path, png.data, png.size, err);
    avz_bytes_free(&png);
    return rc;
}
