/* attnviz UTF-8: see utf8.h. */
#include "utf8.h"

bool avz_utf8_next(const unsigned char *s, size_t len, size_t *at, uint32_t *cp) {
    size_t i = *at;
    unsigned char b = s[i];
    if (b < 0x80) {
        *cp = b;
        *at = i + 1;
        return true;
    }
    size_t n;
    uint32_t c;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the next byte */
    if (b >= 0xC2 && b <= 0xDF) {
        n = 1;
        c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 2;
        c = b & 0x0F;
        lo = b == 0xE0 ? 0xA0 : 0x80;
        hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 3;
        c = b & 0x07;
        lo = b == 0xF0 ? 0x90 : 0x80;
        hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
        return false;
    }
    for (size_t k = 1; k <= n; k++) {
        if (i + k >= len || s[i + k] < lo || s[i + k] > hi)
            return false;
        c = c << 6 | (s[i + k] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = c;
    *at = i + n + 1;
    return true;
}
