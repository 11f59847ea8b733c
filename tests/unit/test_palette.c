/* Palette tests: flat colours keep their exact values, mapping is nearest-colour, the last
 * entry is the transparent one the GIF encoder uses for unchanged pixels; a recount of changed
 * rows equals a fresh count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "output/palette.h"

#define W 64
#define H 4

/* Sums a frame's counts into h as the writer does: through its non-empty bins. */
static void add_frame(avz_histogram *h, avz_frame_histogram *frame) {
    avz_histogram_bin *bins = malloc(AVZ_PALETTE_BINS * sizeof *bins);
    assert_non_null(bins);
    avz_histogram_add(h, bins, avz_histogram_occupied(frame, bins));
    free(bins);
}

/* Every colour a flat-colour frame shows comes back exactly and maps to itself, as long as no
 * two fall in one histogram bin (8 levels a channel); those would share their mean. */
static void flat_colours_are_exact(void **state) {
    (void)state;
    static const uint32_t colours[] = {0xff000000, 0xff58c4dd, 0xfffc6255, 0xff83c167,
                                       0xffffffff, 0xff48c4dc, 0xff444444};
    const size_t n = sizeof colours / sizeof colours[0];
    uint32_t pixels[W * H];
    for (size_t i = 0; i < W * H; i++)
        pixels[i] = colours[i % n];
    avz_frame_histogram *fh = malloc(sizeof *fh);
    avz_histogram *h = calloc(1, sizeof *h);
    assert_non_null(fh);
    assert_non_null(h);
    avz_histogram_count(fh, (const uint8_t *)pixels, W, H, W * 4);
    add_frame(h, fh);
    uint32_t palette[AVZ_PALETTE_SIZE];
    assert_int_equal(avz_palette_build(h, palette), 0);
    assert_int_equal(palette[AVZ_PALETTE_SIZE - 1] >> 24, 0);

    avz_palette_map *map;
    assert_int_equal(avz_palette_map_new(palette, &map), 0);
    uint8_t idx[W * H];
    avz_palette_map_rows(map, (const uint8_t *)pixels, W * 4, W, 0, H, idx, W);
    for (size_t i = 0; i < W * H; i++)
        assert_int_equal(palette[idx[i]], pixels[i]);
    avz_palette_map_free(map);
    free(fh);
    free(h);
}

/* More colours than entries: every entry is used and each pixel lands on its nearest. */
static void many_colours_map_to_the_nearest(void **state) {
    (void)state;
    enum { N = 4096 };
    uint32_t *pixels = malloc(N * sizeof *pixels);
    assert_non_null(pixels);
    for (uint32_t i = 0; i < N; i++)
        pixels[i] = 0xff000000u | (i * 2654435761u >> 8);
    avz_frame_histogram *fh = malloc(sizeof *fh);
    avz_histogram *h = calloc(1, sizeof *h);
    avz_histogram_count(fh, (const uint8_t *)pixels, N, 1, N * 4);
    add_frame(h, fh);
    add_frame(h, fh); /* twice: weights add up */
    uint32_t palette[AVZ_PALETTE_SIZE];
    assert_int_equal(avz_palette_build(h, palette), 0);
    for (int i = 0; i + 1 < AVZ_PALETTE_SIZE; i++) {
        assert_int_equal(palette[i] >> 24, 0xff);
        for (int j = 0; j < i; j++)
            assert_true(palette[i] != palette[j]);
    }
    avz_palette_map *map;
    assert_int_equal(avz_palette_map_new(palette, &map), 0);
    uint8_t *idx = malloc(N);
    avz_palette_map_rows(map, (const uint8_t *)pixels, N * 4, N, 0, 1, idx, N);
    for (int i = 0; i < N; i += 97) {
        int r = (pixels[i] >> 16) & 255, g = (pixels[i] >> 8) & 255, b = pixels[i] & 255;
        long best = -1;
        for (int k = 0; k + 1 < AVZ_PALETTE_SIZE; k++) {
            long dr = r - (int)((palette[k] >> 16) & 255), dg = g - (int)((palette[k] >> 8) & 255),
                 db = b - (int)(palette[k] & 255);
            long d = dr * dr + dg * dg + db * db;
            best = best < 0 || d < best ? d : best;
        }
        uint32_t p = palette[idx[i]];
        long dr = r - (int)((p >> 16) & 255), dg = g - (int)((p >> 8) & 255),
             db = b - (int)(p & 255);
        assert_int_equal(dr * dr + dg * dg + db * db, best);
    }
    avz_palette_map_free(map);
    free(idx);
    free(fh);
    free(h);
    free(pixels);
}

/* Recounting the changed rows of a picture gives the counts of counting it afresh, and the
 * same non-empty bins: those of colours that left (row 2's) are no longer listed. Row 2 keeps
 * runs of its pixels, as a changed row does. */
static void recount_equals_count(void **state) {
    (void)state;
    static uint32_t before[H][W], after[H][W];
    for (uint32_t i = 0; i < W * H; i++) {
        before[i / W][i % W] = 0xff000000u | (i * 2654435761u >> 8);
        after[i / W][i % W] =
            i / W == 2 && i % 3 && i % 16 < 9 ? 0xff000000u | (i * 40503u) : before[i / W][i % W];
    }
    avz_frame_histogram *fresh = malloc(sizeof *fresh), *kept = malloc(sizeof *kept);
    avz_histogram_bin *want = malloc(AVZ_PALETTE_BINS * sizeof *want),
                      *got = malloc(AVZ_PALETTE_BINS * sizeof *got),
                      *was = malloc(AVZ_PALETTE_BINS * sizeof *was);
    assert_true(fresh && kept && want && got && was);
    avz_histogram_count(kept, (const uint8_t *)before, W, H, W * 4);
    size_t was_count = avz_histogram_occupied(kept, was);
    avz_histogram_recount(kept, (const uint8_t *)before, W * 4, (const uint8_t *)after, W * 4, W, 2,
                          3);
    avz_histogram_count(fresh, (const uint8_t *)after, W, H, W * 4);
    assert_memory_equal(kept->bins, fresh->bins, sizeof fresh->bins);
    size_t n = avz_histogram_occupied(fresh, want);
    assert_int_equal(avz_histogram_occupied(kept, got), n);
    assert_memory_equal(got, want, n * sizeof *want);
    size_t left = 0; /* bins listed before and emptied since */
    for (size_t k = 0, m = 0; k < was_count; k++) {
        while (m < n && want[m].bin < was[k].bin)
            m++;
        left += m == n || want[m].bin != was[k].bin;
    }
    assert_true(left > 0);
    free(was);
    free(want);
    free(got);
    free(fresh);
    free(kept);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flat_colours_are_exact),
        cmocka_unit_test(many_colours_map_to_the_nearest),
        cmocka_unit_test(recount_equals_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
