/* Internal: cairo's ARGB32 pixels, native-endian 0xAARRGGBB words with premultiplied colour. */
#ifndef ATTNVIZ_ARGB_H
#define ATTNVIZ_ARGB_H

#include <stdint.h>

/* Straight colour, as PNG and video alpha want it: the colour divided back out, rounding
 * (as cairo's own PNG writer does). */
static inline uint32_t avz_argb_unpremultiply(uint32_t p) {
    uint32_t a = p >> 24;
    if (a == 0 || a == 255)
        return p;
    uint32_t r = (((p >> 16) & 255) * 255 + a / 2) / a;
    uint32_t g = (((p >> 8) & 255) * 255 + a / 2) / a;
    uint32_t b = ((p & 255) * 255 + a / 2) / a;
    return a << 24 | r << 16 | g << 8 | b;
}

#endif
