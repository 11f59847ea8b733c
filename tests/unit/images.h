/* Pictures for the unit tests that draw (test_figures.c, test_grid.c): a scene drawn at an
 * instant to a cairo surface, probes of its pixels, its comparison with a reference image in
 * tests/ref/figures/, and the expectations on nodes' geometry and style those tests share.
 * Depends on cairo, cmocka, the engine's scene, timeline and draw modules and support.h.
 *
 * The references are written by the tests: run them with AVZ_UPDATE_REFS=1 in the environment,
 *
 *     AVZ_UPDATE_REFS=1 ctest --test-dir build -R 'unit.test_(figures|grid)'
 *
 * look at every tests/ref/figures/NAME.png they wrote, and commit them. Without the variable a
 * missing reference fails the test. Every render is also written to $AVZ_TEST_OUT/figures/
 * (NAME.png), with NAME.diff.png beside it when it differs: differences in red on a dimmed
 * copy of the reference.
 *
 * The comparison is tests/tools/imgdiff.c's metric: the mean absolute difference per channel
 * (of 255) over the image, and the fraction of pixels "off", whose largest channel difference
 * exceeds DIFF_THRESHOLD (64). One build draws the same pixels every time (both are 0); the
 * limits are for another cairo or pixman, whose antialiasing may differ (glyphs are unhinted
 * outlines, so freetype's version does not matter). Drawn an eighth of a pixel off, a bigger
 * change than a rasteriser's, the references measured a mean of at most 0.65 and at most
 * 0.001% of pixels off; a label a pixel lower measures 0.05% off, a card left out 1.5% off and
 * a mean of 2.5, and strokes 40% wider or fills half as opaque again fail several pictures.
 * Hence a mean of at most MAX_MEAN (0.75) and at most MAX_BAD (0.02%) of pixels off;
 * test_figures.c's tolerance_admits_antialiasing_only checks that the line falls between the
 * two. Placement is checked exactly by the numbers; the pictures catch what drawing makes of
 * them (colours, opacities, stroke widths, order) and a figure that goes missing. */
#ifndef AVZ_TEST_IMAGES_H
#define AVZ_TEST_IMAGES_H

#include <stdbool.h>

#include <cairo.h>

#include "attnviz/scene.h"

#define DIFF_THRESHOLD 64 /* a pixel is off when a channel differs by more (of 255) */
#define MAX_MEAN 0.75     /* mean absolute difference per channel, of 255 */
#define MAX_BAD 0.0002    /* fraction of pixels off: 0.02% */
#define EPS 1e-9          /* geometry: placement is exact up to rounding */

/* Two sizes: shapes at 320x180 (22.5 px a unit), text and numbers at 480x270 (33.75). */
#define SMALL_W 320
#define SMALL_H 180
#define WIDE_W 480
#define WIDE_H 270

#define LIT 64 /* a pixel is drawn on when its brightest channel reaches this */

/* ── Set-up ──────────────────────────────────────────────────────────────────────────── */

/* cmocka group setup: opens avz_test_fonts and makes $AVZ_TEST_OUT/figures/. */
int images_setup(void **state);

/* ── Scenes and frames ───────────────────────────────────────────────────────────────── */

/* An empty scene on avz_test_fonts. */
avz_scene *new_scene(void);
/* Fails the test with the scene's error, if it has one. */
void expect_ok(const avz_scene *s);
/* The frame at t (its end when t < 0) drawn on black, w x h. */
cairo_surface_t *render_at(const avz_scene *s, double t, int w, int h);
/* Shows root at once, in a phase of its own, and draws it. */
cairo_surface_t *render_still(avz_scene *s, avz_id root, int w, int h);

/* ── Pixels ──────────────────────────────────────────────────────────────────────────── */

typedef struct rgb {
    int r, g, b;
} rgb;

/* Where a scene point lands, in pixels (as draw.c's viewport: 8 units tall, centred). */
double px_x(cairo_surface_t *img, double x);
double px_y(cairo_surface_t *img, double y);
rgb pixel(cairo_surface_t *img, int x, int y);
/* The pixel under a scene point. */
rgb pixel_at(cairo_surface_t *img, avz_vec2 p);
bool lit(rgb c);
bool lit_at(cairo_surface_t *img, avz_vec2 p);
/* A flat colour drawn at full opacity on black, within three levels of rounding. */
void expect_pixel_color(cairo_surface_t *img, avz_vec2 p, avz_color c);

/* ── Reference images ────────────────────────────────────────────────────────────────── */

typedef struct image_diff {
    double mean; /* per channel, of 255 */
    double bad;  /* fraction of pixels with a channel off by more than DIFF_THRESHOLD */
} image_diff;

/* imgdiff's metric; marks the pixels that are off in red on a dimmed `want` in *marks (when
 * not NULL). Both images are of one size. */
image_diff compare_images(cairo_surface_t *got, cairo_surface_t *want, cairo_surface_t **marks);
/* Compares img with tests/ref/figures/NAME.png, or writes that file with AVZ_UPDATE_REFS=1. */
void expect_reference(cairo_surface_t *img, const char *name);

/* ── Small helpers on nodes ──────────────────────────────────────────────────────────── */

void expect_color(avz_color got, avz_color want);
void expect_box(avz_bbox got, avz_bbox want, double eps);
const avz_style *style_of(const avz_scene *s, avz_id leaf);
/* The baseline a text leaf stands on, from its ink and what the same words measure: the ink's
 * bottom lies `descent` below it and its top `ascent` above, whatever the letters. */
double baseline_of(avz_scene *s, avz_id text, const char *utf8, double size, unsigned flags);

#endif
