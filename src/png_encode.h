/* Internal: PNG encoding into memory, for stills (avz_png_write) and PNG sequences, whose
 * workers encode frames in parallel before the writer stores them. */
#ifndef ATTNVIZ_PNG_ENCODE_H
#define ATTNVIZ_PNG_ENCODE_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer; zero-initialised is empty. */
typedef struct avz_bytes {
    uint8_t *data;
    size_t size, capacity;
} avz_bytes;

/* Encodes a cairo ARGB32 image as PNG into out (emptied first). 0 or -ENOMEM. */
int avz_png_encode(const uint8_t *argb, int width, int height, int stride, avz_bytes *out);
void avz_bytes_free(avz_bytes *b);

#endif
