/* attnviz hash: see hash.h. */
#include "attnviz/hash.h"

uint64_t avz_fnv1a(uint64_t h, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * AVZ_FNV_PRIME;
    return h;
}

uint64_t avz_fnv1a_value(uint64_t h, uint64_t value, int bytes) {
    for (int b = 0; b < bytes; b++)
        h = (h ^ ((value >> (8 * b)) & 255)) * AVZ_FNV_PRIME;
    return h;
}
