/* Internal: GIF's LZW compression of one image's palette indices (GIF89a, appendix F). */
#ifndef ATTNVIZ_LZW_H
#define ATTNVIZ_LZW_H

#include <stddef.h>
#include <stdint.h>

#include "png_encode.h"

/* A string table: 50 KB, kept by each converter rather than on a worker's stack. */
#define AVZ_LZW_SLOTS 8192 /* twice the 4096 codes: short probes */
typedef struct avz_lzw_table {
    uint32_t key[AVZ_LZW_SLOTS]; /* (prefix << 8 | index) + 1; 0 is empty */
    uint16_t code[AVZ_LZW_SLOTS];
} avz_lzw_table;

/* Appends to out an image's table-based data: the minimum code size (2 to 8; every index is
 * below 1 << min_code_size), the codes in sub-blocks of at most 255 bytes, and the empty
 * block that ends them. table is scratch. 0 or -ENOMEM. */
int avz_lzw_encode(avz_lzw_table *table, const uint8_t *indices, size_t count, int min_code_size,
                   avz_bytes *out);

#endif
