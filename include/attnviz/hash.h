/* attnviz hash: 64-bit FNV-1a, the digest `hash` prints and the fingerprints attnviz keeps
 * (a segmented render's, the parameters'). Cheap, and the same on every machine. */
#ifndef ATTNVIZ_HASH_H
#define ATTNVIZ_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "attnviz/api.h"

AVZ_BEGIN_DECLS

#define AVZ_FNV_OFFSET 0xcbf29ce484222325u
#define AVZ_FNV_PRIME 0x100000001b3u

/* h (AVZ_FNV_OFFSET to start) continued over len bytes. */
AVZ_API uint64_t avz_fnv1a(uint64_t h, const void *data, size_t len);
/* ... over the low `bytes` bytes of value, least significant first, whatever the byte order. */
AVZ_API uint64_t avz_fnv1a_value(uint64_t h, uint64_t value, int bytes);

AVZ_END_DECLS

#endif
