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

/* How hard zlib works, and which row filters libpng may pick from. */
typedef struct avz_png_settings {
    int level;    /* zlib, 0 to 9 */
    int strategy; /* zlib's Z_DEFAULT_STRATEGY, Z_RLE, ... */
    int filters;  /* a mask of libpng's PNG_FILTER_NONE ... PNG_FILTER_PAETH */
} avz_png_settings;

/* Stills are compressed hard (one image, kept); sequence frames fast (many, usually an
 * editor's input). */
extern const avz_png_settings avz_png_for_stills, avz_png_for_sequences;

/* Encodes a cairo ARGB32 image as PNG into out (emptied first): RGB when every pixel is
 * opaque, else straight RGBA. 0 or -ENOMEM. */
int avz_png_encode(const avz_png_settings *s, const uint8_t *argb, int width, int height,
                   int stride, avz_bytes *out);
/* Adds len bytes at the end. 0 or -ENOMEM. */
int avz_bytes_append(avz_bytes *b, const void *data, size_t len);
void avz_bytes_free(avz_bytes *b);

#endif
