/* avz_imgdiff: compares two PNGs of the same size, for reference-image tests.
 *
 *   avz_imgdiff ACTUAL.png EXPECTED.png [--max-mean M] [--max-bad F] [--threshold T]
 *                                       [--diff OUT.png]
 *
 * mean: the mean absolute difference per channel (0..255) over the whole image;
 * bad: the fraction of pixels whose largest channel difference exceeds T (default 64).
 * Fails (exit 1) when mean > M or bad > F, and writes a diff image (differences in red on
 * a dimmed copy of EXPECTED) when asked. Golden frames shift a little between cairo and
 * freetype versions, which is why the limits are tolerances, not equality. */
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int channel(uint32_t px, int shift) {
    return (int)((px >> shift) & 255);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: avz_imgdiff ACTUAL.png EXPECTED.png [--max-mean M] "
                        "[--max-bad F] [--threshold T] [--diff OUT.png]\n");
        return 2;
    }
    double max_mean = 255, max_bad = 1;
    int threshold = 64;
    const char *diff_path = NULL;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--max-mean"))
            max_mean = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--max-bad"))
            max_bad = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--threshold"))
            threshold = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--diff"))
            diff_path = argv[i + 1];
        else
            return fprintf(stderr, "avz_imgdiff: unknown option %s\n", argv[i]), 2;
    }
    cairo_surface_t *a = cairo_image_surface_create_from_png(argv[1]);
    cairo_surface_t *b = cairo_image_surface_create_from_png(argv[2]);
    if (cairo_surface_status(a) || cairo_surface_status(b)) {
        fprintf(stderr, "avz_imgdiff: cannot read %s\n",
                cairo_surface_status(a) ? argv[1] : argv[2]);
        return 2;
    }
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b)) {
        fprintf(stderr, "avz_imgdiff: sizes differ: %dx%d vs %dx%d\n", w, h,
                cairo_image_surface_get_width(b), cairo_image_surface_get_height(b));
        return 1;
    }
    cairo_surface_t *d = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    int sd = cairo_image_surface_get_stride(d);
    unsigned char *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
    unsigned char *pd = cairo_image_surface_get_data(d);
    double total = 0;
    long bad = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint32_t ca = ((uint32_t *)(pa + y * sa))[x], cb = ((uint32_t *)(pb + y * sb))[x];
            int worst = 0;
            for (int sh = 0; sh <= 16; sh += 8) {
                int dv = abs(channel(ca, sh) - channel(cb, sh));
                total += dv;
                worst = dv > worst ? dv : worst;
            }
            bad += worst > threshold;
            uint32_t dim = (uint32_t)(channel(cb, 8) / 3);
            ((uint32_t *)(pd + y * sd))[x] =
                worst > threshold ? 0xFF0000u : (dim << 16) | (dim << 8) | dim;
        }
    }
    cairo_surface_mark_dirty(d);
    double mean = total / (3.0 * w * h), bad_fraction = (double)bad / ((double)w * h);
    int fail = mean > max_mean || bad_fraction > max_bad;
    printf("avz_imgdiff: %s vs %s: mean %.3f (max %.3f), bad %.5f (max %.5f): %s\n", argv[1],
           argv[2], mean, max_mean, bad_fraction, max_bad, fail ? "FAIL" : "ok");
    if (diff_path)
        cairo_surface_write_to_png(d, diff_path);
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    cairo_surface_destroy(d);
    return fail;
}
