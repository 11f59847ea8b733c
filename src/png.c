/* attnviz PNG images: cairo's PNG encoder into memory, and whole files written through
 * outfile. Depends on cairo and outfile. */
#include "attnviz/png.h"

#include <cairo.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "outfile.h"
#include "png_encode.h"

#define MAX_SIDE 32767 /* cairo's largest image */

static cairo_status_t append(void *closure, const unsigned char *data, unsigned int len) {
    avz_bytes *b = closure;
    if (b->size + len > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 65536;
        while (cap < b->size + len)
            cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown)
            return CAIRO_STATUS_NO_MEMORY;
        b->data = grown;
        b->capacity = cap;
    }
    memcpy(b->data + b->size, data, len);
    b->size += len;
    return CAIRO_STATUS_SUCCESS;
}

int avz_png_encode(const uint8_t *argb, int width, int height, int stride, avz_bytes *out) {
    out->size = 0;
    /* cairo only reads the pixels here; its API is not const-qualified. */
    cairo_surface_t *surface = cairo_image_surface_create_for_data(
        (unsigned char *)argb, CAIRO_FORMAT_ARGB32, width, height, stride);
    cairo_status_t status = cairo_surface_status(surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream(surface, append, out);
    cairo_surface_destroy(surface);
    return status == CAIRO_STATUS_SUCCESS ? 0 : -ENOMEM;
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
    if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE ||
        stride < cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width))
        return avz_error_set(err, -EINVAL,
                             "image %dx%d (stride %d) for '%s' is not a valid ARGB32 image", width,
                             height, stride, avz_shorten(shown, sizeof shown, path));
    avz_bytes png = {0};
    int rc = avz_png_encode(argb, width, height, stride, &png);
    if (rc)
        avz_error_set(err, rc, "out of memory encoding '%s'",
                      avz_shorten(shown, sizeof shown, path));
    else
        rc = avz_outfile_write(path, png.data, png.size, err);
    avz_bytes_free(&png);
    return rc;
}
