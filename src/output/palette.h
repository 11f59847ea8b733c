/* Internal: GIF palettes: the 256 colours a GIF may use, chosen from the colours the frames show.
 *
 * A first pass counts colours into a histogram (5 bits per channel, with exact sums so that a
 * flat colour keeps its exact value; colours within one bin share their mean); median cut splits
 * the most varied box until there are 255 colours; the last entry is transparent, for the pixels
 * a GIF frame leaves unchanged (gif.c). Mapping is exact nearest-colour, without
 * dithering: the scenes are flat colours and anti-aliased edges, which dithering would only make
 * noisy and larger. */
#ifndef ATTNVIZ_PALETTE_H
#define ATTNVIZ_PALETTE_H

#include <stddef.h>
#include <stdint.h>

#define AVZ_PALETTE_SIZE 256
#define AVZ_PALETTE_BINS 32768 /* 5 bits each of red, green, blue */

/* Per bin: pixel count and the sums of the low 3 bits of red, green and blue (the bin gives
 * the high 5): 32 bits hold them for any frame up to 16384 x 16384. A frame shows a few
 * thousand bins at most; `touched` marks those that may be non-empty, so that a frame's counts
 * are summed without walking all of them. */
typedef struct avz_frame_histogram {
    uint32_t bins[AVZ_PALETTE_BINS][4];
    uint64_t touched[AVZ_PALETTE_BINS / 64];
} avz_frame_histogram;

/* One non-empty bin of a frame histogram. */
typedef struct avz_histogram_bin {
    uint32_t bin;
    uint32_t values[4];
} avz_histogram_bin;

/* Per bin over a whole video: pixel count and full sums of red, green and blue. */
typedef struct avz_histogram {
    uint64_t bins[AVZ_PALETTE_BINS][4];
} avz_histogram;

/* Counts the pixels of a cairo ARGB32 image (opaque) into h, which it clears first. */
void avz_histogram_count(avz_frame_histogram *h, const uint8_t *argb, int width, int height,
                         int stride);
/* Brings h, the counts of picture `before`, to those of `after`, which differs from it only in
 * rows [first, end). */
void avz_histogram_recount(avz_frame_histogram *h, const uint8_t *before, int before_stride,
                           const uint8_t *after, int after_stride, int width, int first, int end);
/* Writes h's non-empty bins, in bin order, to out (room for AVZ_PALETTE_BINS); returns how
 * many. Forgets the bins that emptied. */
size_t avz_histogram_occupied(avz_frame_histogram *h, avz_histogram_bin *out);
/* Adds a frame's non-empty bins to total. */
void avz_histogram_add(avz_histogram *total, const avz_histogram_bin *bins, size_t count);
/* Median cut: 0xAARRGGBB entries, at most 255 opaque colours then a transparent one.
 * 0 or -ENOMEM. */
int avz_palette_build(const avz_histogram *h, uint32_t palette[AVZ_PALETTE_SIZE]);

/* Maps pixels to palette indices; holds a cache of recent colours (one per thread). */
typedef struct avz_palette_map avz_palette_map;
int avz_palette_map_new(const uint32_t palette[AVZ_PALETTE_SIZE], avz_palette_map **out);
void avz_palette_map_free(avz_palette_map *map);
/* Maps rows [first, end) of argb into the same rows of dst. */
void avz_palette_map_rows(avz_palette_map *map, const uint8_t *argb, int stride, int width,
                          int first, int end, uint8_t *dst, int dst_stride);

#endif
