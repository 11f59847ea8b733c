/* attnviz palettes: colour histograms, median cut and nearest-colour mapping for GIF. */
#include "palette.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define OPAQUE_COLOURS (AVZ_PALETTE_SIZE - 1)
#define CACHE_SIZE 65536 /* direct-mapped: a frame shows far fewer distinct colours */

/* cairo ARGB32 is a native-endian 0xAARRGGBB word. */
static uint32_t pixel_at(const uint8_t *row, int x) {
    uint32_t v;
    memcpy(&v, row + 4 * (size_t)x, sizeof v);
    return v;
}

static unsigned bin_of(uint32_t rgb) {
    return ((rgb >> 9) & 0x7c00) | ((rgb >> 6) & 0x3e0) | ((rgb >> 3) & 0x1f);
}

static void count_pixel(avz_frame_histogram *h, uint32_t p, uint32_t step) {
    unsigned bin = bin_of(p);
    uint32_t *b = h->bins[bin];
    h->touched[bin / 64] |= UINT64_C(1) << (bin % 64);
    b[0] += step;
    b[1] += step * ((p >> 16) & 7);
    b[2] += step * ((p >> 8) & 7);
    b[3] += step * (p & 7);
}

void avz_histogram_count(avz_frame_histogram *h, const uint8_t *argb, int width, int height,
                         int stride) {
    memset(h, 0, sizeof *h);
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            count_pixel(h, pixel_at(argb + (size_t)y * (size_t)stride, x), 1);
}

/* Only pixels that differ move between bins: the old one is taken away (a step of -1, by
 * wrap-around), the new one added. */
void avz_histogram_recount(avz_frame_histogram *h, const uint8_t *before, int before_stride,
                           const uint8_t *after, int after_stride, int width, int first, int end) {
    for (int y = first; y < end; y++) {
        const uint8_t *old_row = before + (size_t)y * (size_t)before_stride;
        const uint8_t *new_row = after + (size_t)y * (size_t)after_stride;
        for (int x = 0; x < width; x++) {
            /* a changed row mostly keeps its pixels: skip equal pairs 8 bytes at a time */
            while (x + 2 <= width && !memcmp(old_row + 4 * (size_t)x, new_row + 4 * (size_t)x, 8))
                x += 2;
            if (x == width)
                break;
            uint32_t was = pixel_at(old_row, x), is = pixel_at(new_row, x);
            if (was != is) {
                count_pixel(h, was, UINT32_MAX);
                count_pixel(h, is, 1);
            }
        }
    }
}

size_t avz_histogram_occupied(avz_frame_histogram *h, avz_histogram_bin *out) {
    size_t n = 0;
    for (unsigned word = 0; word < AVZ_PALETTE_BINS / 64; word++) {
        for (uint64_t bits = h->touched[word]; bits; bits &= bits - 1) {
            unsigned bin = word * 64 + (unsigned)__builtin_ctzll(bits);
            const uint32_t *b = h->bins[bin];
            if (!b[0]) { /* no pixel left, so its sums are back at 0 too */
                h->touched[word] &= ~(UINT64_C(1) << (bin % 64));
                continue;
            }
            out[n].bin = bin;
            memcpy(out[n].values, b, sizeof out[n].values);
            n++;
        }
    }
    return n;
}

void avz_histogram_add(avz_histogram *total, const avz_histogram_bin *bins, size_t count) {
    for (size_t k = 0; k < count; k++) {
        unsigned i = bins[k].bin;
        uint64_t n = bins[k].values[0];
        total->bins[i][0] += n;
        total->bins[i][1] += n * ((i >> 10) << 3) + bins[k].values[1];
        total->bins[i][2] += n * (((i >> 5) & 31) << 3) + bins[k].values[2];
        total->bins[i][3] += n * ((i & 31) << 3) + bins[k].values[3];
    }
}

/* ── Median cut ────────────────────────────────────────────────────────────────────── */

typedef struct colour {
    uint64_t n;
    double mean[3];
    double key; /* the mean on the axis being sorted */
    unsigned bin;
} colour;

typedef struct box {
    size_t lo, hi; /* colours[lo, hi) */
    double score;  /* weighted variance summed over channels: how much a split would gain */
    int axis;      /* the channel of largest variance */
} box;

static void box_measure(box *b, const colour *c) {
    double n = 0, sum[3] = {0}, sq[3] = {0};
    for (size_t i = b->lo; i < b->hi; i++)
        for (int k = 0; k < 3; k++) {
            sum[k] += (double)c[i].n * c[i].mean[k];
            sq[k] += (double)c[i].n * c[i].mean[k] * c[i].mean[k];
        }
    for (size_t i = b->lo; i < b->hi; i++)
        n += (double)c[i].n;
    b->score = 0;
    b->axis = 0;
    double best = -1;
    for (int k = 0; k < 3; k++) {
        double var = sq[k] - sum[k] * sum[k] / n;
        b->score += var;
        if (var > best) {
            best = var;
            b->axis = k;
        }
    }
    if (b->hi - b->lo < 2)
        b->score = 0;
}

/* Ties broken by bin, so that the order never depends on qsort's. */
static int by_key(const void *pa, const void *pb) {
    const colour *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->bin < b->bin ? -1 : a->bin > b->bin;
}

/* Splits b at the weighted median along its axis; the upper half goes to out. */
static void box_split(box *b, colour *c, box *out) {
    for (size_t i = b->lo; i < b->hi; i++)
        c[i].key = c[i].mean[b->axis];
    qsort(c + b->lo, b->hi - b->lo, sizeof *c, by_key);
    uint64_t total = 0, run = 0;
    for (size_t i = b->lo; i < b->hi; i++)
        total += c[i].n;
    size_t cut = b->lo + 1;
    for (size_t i = b->lo; i + 1 < b->hi; i++) {
        run += c[i].n;
        cut = i + 1;
        if (2 * run >= total)
            break;
    }
    *out = (box){.lo = cut, .hi = b->hi};
    b->hi = cut;
    box_measure(b, c);
    box_measure(out, c);
}

int avz_palette_build(const avz_histogram *h, uint32_t palette[AVZ_PALETTE_SIZE]) {
    for (size_t i = 0; i < AVZ_PALETTE_SIZE; i++)
        palette[i] = 0xff000000u;
    palette[AVZ_PALETTE_SIZE - 1] = 0; /* transparent */
    colour *colours = malloc(AVZ_PALETTE_BINS * sizeof *colours);
    if (!colours)
        return -ENOMEM;
    size_t count = 0;
    for (unsigned i = 0; i < AVZ_PALETTE_BINS; i++) {
        uint64_t n = h->bins[i][0];
        if (!n)
            continue;
        colours[count++] =
            (colour){.n = n,
                     .mean = {(double)h->bins[i][1] / (double)n, (double)h->bins[i][2] / (double)n,
                              (double)h->bins[i][3] / (double)n},
                     .bin = i};
    }
    box boxes[OPAQUE_COLOURS];
    size_t nbox = 1;
    boxes[0] = (box){.lo = 0, .hi = count};
    box_measure(&boxes[0], colours);
    while (count && nbox < OPAQUE_COLOURS) {
        size_t best = 0;
        for (size_t i = 1; i < nbox; i++)
            if (boxes[i].score > boxes[best].score)
                best = i;
        if (boxes[best].score <= 0)
            break;
        box_split(&boxes[best], colours, &boxes[nbox++]);
    }
    for (size_t i = 0; count && i < nbox; i++) {
        double n = 0, sum[3] = {0};
        for (size_t j = boxes[i].lo; j < boxes[i].hi; j++) {
            n += (double)colours[j].n;
            for (int k = 0; k < 3; k++)
                sum[k] += (double)colours[j].n * colours[j].mean[k];
        }
        uint32_t rgb = 0;
        for (int k = 0; k < 3; k++)
            rgb = rgb << 8 | (uint32_t)(sum[k] / n + 0.5);
        palette[i] = 0xff000000u | rgb;
    }
    free(colours);
    return 0;
}

/* ── Mapping ───────────────────────────────────────────────────────────────────────── */

struct avz_palette_map {
    uint32_t palette[AVZ_PALETTE_SIZE];
    uint32_t key[CACHE_SIZE]; /* colour | 1 << 24 when the slot is filled */
    uint8_t index[CACHE_SIZE];
};

int avz_palette_map_new(const uint32_t palette[AVZ_PALETTE_SIZE], avz_palette_map **out) {
    *out = calloc(1, sizeof **out);
    if (!*out)
        return -ENOMEM;
    memcpy((*out)->palette, palette, sizeof(*out)->palette);
    return 0;
}

void avz_palette_map_free(avz_palette_map *map) {
    free(map);
}

static uint8_t nearest(const uint32_t *palette, uint32_t rgb) {
    int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
    long best = -1;
    uint8_t index = 0;
    for (int i = 0; i < OPAQUE_COLOURS; i++) {
        uint32_t p = palette[i];
        long dr = r - (int)((p >> 16) & 255), dg = g - (int)((p >> 8) & 255),
             db = b - (int)(p & 255);
        long d = dr * dr + dg * dg + db * db;
        if (best < 0 || d < best) {
            best = d;
            index = (uint8_t)i;
        }
    }
    return index;
}

void avz_palette_map_rows(avz_palette_map *map, const uint8_t *argb, int stride, int width,
                          int first, int end, uint8_t *dst, int dst_stride) {
    for (int y = first; y < end; y++) {
        const uint8_t *row = argb + (size_t)y * (size_t)stride;
        uint8_t *out = dst + (size_t)y * (size_t)dst_stride;
        /* Flat colours: most pixels are their left neighbour's colour. */
        uint32_t last = 1u << 24;
        uint8_t last_index = 0;
        for (int x = 0; x < width; x++) {
            uint32_t rgb = pixel_at(row, x) & 0xffffff;
            if (rgb != last) {
                uint32_t slot = (rgb * 2654435761u) >> 16;
                if (map->key[slot] != (rgb | 1u << 24)) {
                    map->key[slot] = rgb | 1u << 24;
                    map->index[slot] = nearest(map->palette, rgb);
                }
                last = rgb;
                last_index = map->index[slot];
            }
            out[x] = last_index;
        }
    }
}
