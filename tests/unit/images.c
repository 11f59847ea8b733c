/* Pictures for the unit tests that draw: see images.h. */
#include "images.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attnviz/draw.h"
#include "attnviz/timeline.h"
#include "scene_internal.h"
#include "support.h"
#include "timeline_internal.h"

#define REF_DIR AVZ_SOURCE_DIR "/tests/ref/figures"

static char out_dir[1024];

/* ── Set-up ──────────────────────────────────────────────────────────────────────────── */

static void make_dirs(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0777);
            *p = '/';
        }
    }
    mkdir(path, 0777);
}

int images_setup(void **state) {
    if (avz_test_open_fonts(state))
        return -1;
    const char *env = getenv("AVZ_TEST_OUT");
    snprintf(out_dir, sizeof out_dir, "%s/figures", env && *env ? env : "test_out");
    make_dirs(out_dir);
    return 0;
}

static bool updating(void) {
    const char *env = getenv("AVZ_UPDATE_REFS");
    return env && strcmp(env, "1") == 0;
}

/* ── Scenes and frames ───────────────────────────────────────────────────────────────── */

avz_scene *new_scene(void) {
    avz_scene *s = NULL;
    assert_int_equal(avz_scene_new(avz_test_fonts, &s), 0);
    return s;
}

void expect_ok(const avz_scene *s) {
    avz_error err = {0};
    if (avz_scene_status(s, &err))
        fail_msg("scene failed: %s", err.msg);
}

cairo_surface_t *render_at(const avz_scene *s, double t, int w, int h) {
    avz_timeline *tl = NULL;
    avz_error err = {0};
    if (avz_timeline_resolve(s, NULL, &tl, &err))
        fail_msg("timeline: %s", err.msg);
    avz_frame_state *st = NULL;
    assert_int_equal(avz_frame_state_new(s, &st), 0);
    avz_timeline_sample(s, tl, t < 0 ? avz_timeline_duration(tl) : t, st);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(img);
    assert_int_equal(avz_draw_frame(s, st, cr, w, h, false), 0);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    avz_frame_state_free(st);
    avz_timeline_free(tl);
    return img;
}

cairo_surface_t *render_still(avz_scene *s, avz_id root, int w, int h) {
    avz_phase(s, "still");
    avz_play(s, AVZ_AUTO, avz_show(root));
    expect_ok(s);
    return render_at(s, -1, w, h);
}

/* ── Pixels ──────────────────────────────────────────────────────────────────────────── */

double px_x(cairo_surface_t *img, double x) {
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    return w / 2.0 + x * h / AVZ_FRAME_HEIGHT;
}

double px_y(cairo_surface_t *img, double y) {
    int h = cairo_image_surface_get_height(img);
    return h / 2.0 - y * h / AVZ_FRAME_HEIGHT;
}

rgb pixel(cairo_surface_t *img, int x, int y) {
    const unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    assert_true(x >= 0 && x < cairo_image_surface_get_width(img));
    assert_true(y >= 0 && y < cairo_image_surface_get_height(img));
    uint32_t px = *(const uint32_t *)(data + (size_t)y * stride + (size_t)x * 4);
    return (rgb){(int)(px >> 16 & 255), (int)(px >> 8 & 255), (int)(px & 255)};
}

rgb pixel_at(cairo_surface_t *img, avz_vec2 p) {
    return pixel(img, (int)floor(px_x(img, p.x)), (int)floor(px_y(img, p.y)));
}

bool lit(rgb c) {
    return c.r >= LIT || c.g >= LIT || c.b >= LIT;
}

bool lit_at(cairo_surface_t *img, avz_vec2 p) {
    return lit(pixel_at(img, p));
}

void expect_pixel_color(cairo_surface_t *img, avz_vec2 p, avz_color c) {
    rgb got = pixel_at(img, p);
    rgb want = {(int)lround(c.r * 255), (int)lround(c.g * 255), (int)lround(c.b * 255)};
    if (abs(got.r - want.r) > 3 || abs(got.g - want.g) > 3 || abs(got.b - want.b) > 3)
        fail_msg("pixel at (%.3f, %.3f) is #%02x%02x%02x, expected #%02x%02x%02x", p.x, p.y, got.r,
                 got.g, got.b, want.r, want.g, want.b);
}

/* ── Reference images ────────────────────────────────────────────────────────────────── */

image_diff compare_images(cairo_surface_t *got, cairo_surface_t *want, cairo_surface_t **marks) {
    cairo_surface_flush(got);
    cairo_surface_flush(want);
    int w = cairo_image_surface_get_width(want), h = cairo_image_surface_get_height(want);
    cairo_surface_t *m = marks ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h) : NULL;
    double total = 0;
    long bad = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            rgb a = pixel(got, x, y), b = pixel(want, x, y);
            int d[3] = {abs(a.r - b.r), abs(a.g - b.g), abs(a.b - b.b)};
            int worst = d[0] > d[1] ? d[0] : d[1];
            worst = worst > d[2] ? worst : d[2];
            total += d[0] + d[1] + d[2];
            bad += worst > DIFF_THRESHOLD;
            if (m) {
                uint32_t dim = (uint32_t)(b.g / 3);
                uint32_t *row = (uint32_t *)(cairo_image_surface_get_data(m) +
                                             (size_t)y * cairo_image_surface_get_stride(m));
                row[x] = worst > DIFF_THRESHOLD ? 0xFF0000u : dim << 16 | dim << 8 | dim;
            }
        }
    }
    if (m) {
        cairo_surface_mark_dirty(m);
        *marks = m;
    }
    return (image_diff){total / (3.0 * w * h), (double)bad / ((double)w * h)};
}

void expect_reference(cairo_surface_t *img, const char *name) {
    char ref[1200], got[1200];
    snprintf(ref, sizeof ref, "%s/%s.png", REF_DIR, name);
    snprintf(got, sizeof got, "%s/%s.png", out_dir, name);
    assert_int_equal(cairo_surface_write_to_png(img, got), CAIRO_STATUS_SUCCESS);
    if (updating()) {
        char dir[] = REF_DIR;
        make_dirs(dir);
        assert_int_equal(cairo_surface_write_to_png(img, ref), CAIRO_STATUS_SUCCESS);
        printf("wrote %s\n", ref);
        return;
    }
    cairo_surface_t *want = cairo_image_surface_create_from_png(ref);
    if (cairo_surface_status(want) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(want);
        fail_msg("reference %s is missing or unreadable: run the test with AVZ_UPDATE_REFS=1 "
                 "to write it, look at it, and commit it",
                 ref);
    }
    int w = cairo_image_surface_get_width(want), h = cairo_image_surface_get_height(want);
    if (w != cairo_image_surface_get_width(img) || h != cairo_image_surface_get_height(img)) {
        cairo_surface_destroy(want);
        fail_msg("%s: drawn %dx%d, the reference is %dx%d", name,
                 cairo_image_surface_get_width(img), cairo_image_surface_get_height(img), w, h);
    }
    cairo_surface_t *marks = NULL;
    image_diff d = compare_images(img, want, &marks);
    bool ok = d.mean <= MAX_MEAN && d.bad <= MAX_BAD;
    printf("%s: mean %.4f (max %.2f), off %.5f (max %.4f)\n", name, d.mean, MAX_MEAN, d.bad,
           MAX_BAD);
    if (!ok) {
        char diff[1200];
        snprintf(diff, sizeof diff, "%s/%s.diff.png", out_dir, name);
        cairo_surface_write_to_png(marks, diff);
    }
    cairo_surface_destroy(marks);
    cairo_surface_destroy(want);
    if (!ok)
        fail_msg("%s differs from %s: mean %.4f (max %.2f), %.3f%% of pixels off by more than "
                 "%d (max %.3f%%); see %s/%s.diff.png",
                 got, ref, d.mean, MAX_MEAN, 100 * d.bad, DIFF_THRESHOLD, 100 * MAX_BAD, out_dir,
                 name);
}

/* ── Small helpers on nodes ──────────────────────────────────────────────────────────── */

void expect_color(avz_color got, avz_color want) {
    avz_assert_near(got.r, want.r, 1e-12);
    avz_assert_near(got.g, want.g, 1e-12);
    avz_assert_near(got.b, want.b, 1e-12);
}

void expect_box(avz_bbox got, avz_bbox want, double eps) {
    avz_assert_near(got.x0, want.x0, eps);
    avz_assert_near(got.y0, want.y0, eps);
    avz_assert_near(got.x1, want.x1, eps);
    avz_assert_near(got.y1, want.y1, eps);
}

const avz_style *style_of(const avz_scene *s, avz_id leaf) {
    assert_false(s->nodes[leaf].is_group);
    return &s->nodes[leaf].style;
}

double baseline_of(avz_scene *s, avz_id text, const char *utf8, double size, unsigned flags) {
    avz_text_metrics m = avz_measure_text(s, utf8, size, flags);
    avz_bbox b = avz_bounds(s, text);
    avz_assert_near(b.y1 - m.ascent, b.y0 + m.descent, EPS);
    return b.y0 + m.descent;
}
