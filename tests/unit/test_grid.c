/* Grids: a test for every drawing primitive of grid.h and color.h: numbers and their formats,
 * matrix panels, heatmaps, the KV cache, the colour ramps and the grid's geometry. As in
 * test_figures.c, each test checks the geometry and style the nodes get, then draws them small
 * and compares the picture with a reference image in tests/ref/figures/ (see images.h). */
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

#include "attnviz/color.h"
#include "attnviz/grid.h"
#include "images.h"
#include "scene_internal.h"
#include "support.h"

/* ── Matrix panels and numbers ───────────────────────────────────────────────────────── */

static void numbers_have_a_typographic_minus_and_no_negative_zero(void **state) {
    (void)state;
    static const struct {
        double v;
        int decimals;
        const char *want;
    } cases[] = {
        {0.5, 2, "0.50"},
        {-1.234, 2,
         "\xE2\x88\x92"
         "1.23"},
        {-0.001, 2, "0.00"}, /* rounds to zero: no minus */
        {-0.04, 1, "0.0"},
        {-0.0, 2, "0.00"},
        {2.0, 0, "2"},
        {-2.6, 0,
         "\xE2\x88\x92"
         "3"},
        {12.5, 1, "12.5"},
        {-0.06, 1,
         "\xE2\x88\x92"
         "0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        avz_format_number(cases[i].v, cases[i].decimals, buf, sizeof buf);
        if (strcmp(buf, cases[i].want) != 0)
            fail_msg("avz_format_number(%g, %d) = \"%s\", expected \"%s\"", cases[i].v,
                     cases[i].decimals, buf, cases[i].want);
    }
    /* Significant digits: as many decimals as they need, up to the count. */
    static const struct {
        double v;
        const char *want;
    } significant[] = {
        {128, "128"},
        {1.5, "1.5"},
        {0.03125, "0.03125"},
        {0.035156, "0.03516"},
        {16384, "16384"},
        {0, "0"},
        {-2.25, "\xE2\x88\x92"
                "2.25"},
    };
    for (size_t i = 0; i < sizeof significant / sizeof significant[0]; i++) {
        char buf[32];
        avz_format_significant(significant[i].v, 4, buf, sizeof buf);
        if (strcmp(buf, significant[i].want) != 0)
            fail_msg("avz_format_significant(%g, 4) = \"%s\", expected \"%s\"", significant[i].v,
                     buf, significant[i].want);
    }
    /* Two decimals while they stay legible (size 10 or more), else one; at most size 13. */
    avz_number_format wide = avz_fit_numbers(1.3, true);
    assert_int_equal(wide.decimals, 2);
    avz_assert_near(wide.font_size, 13, 0);
    avz_number_format narrow = avz_fit_numbers(0.3, false);
    assert_int_equal(narrow.decimals, 1);
    avz_assert_near(narrow.font_size, (0.3 - 0.08) * 72 / 1.3, 1e-9);
    avz_number_format tight = avz_fit_numbers(0.35, true); /* 9.99 at two decimals */
    assert_int_equal(tight.decimals, 1);
    avz_number_format roomy = avz_fit_numbers(0.36, false); /* 11.2 at two */
    assert_int_equal(roomy.decimals, 2);
    avz_assert_near(roomy.font_size, (0.36 - 0.08) * 72 / 1.8, 1e-9);
}

static const double matrix_values[2 * 4] = {0.5, -1.234, 0.0, 9.99, -0.001, 2.0, -0.75, 1.0};

/* The glyphs a text is drawn with: one a character, spaces none. */
static size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80 && *s != ' ';
    return n;
}

/* Every number of a panel: avz_format_number's text at the panel's size, its ink centred on
 * its cell, in white. */
static void expect_numbers(avz_scene *s, const avz_matrix *m, avz_number_format fmt) {
    for (int r = 0; r < m->grid.rows; r++)
        for (int c = 0; c < m->grid.cols; c++) {
            avz_id n = avz_matrix_number(s, m, r, c);
            assert_true(n != AVZ_NONE);
            char text[32];
            avz_format_number(matrix_values[r * 4 + c], fmt.decimals, text, sizeof text);
            avz_text_metrics want = avz_measure_text(s, text, fmt.font_size, 0);
            avz_assert_near(avz_width(s, n), want.width, EPS);
            avz_assert_near(avz_height(s, n), want.ascent + want.descent, EPS);
            assert_int_equal(s->nodes[n].parts.count, utf8_chars(text));
            avz_vec2 c0 = avz_center(s, n), cell = avz_grid_cell(&m->grid, r, c);
            avz_assert_near(c0.x, cell.x, EPS);
            avz_assert_near(c0.y, cell.y, EPS);
            expect_color(style_of(s, n)->fill, AVZ_WHITE);
        }
}

static void matrix_panel_places_numbers_and_labels(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    const char *row_names[] = {"gap", "Hi"};
    const char *col_names[] = {"k1", "k2", "k3", "k4"};
    avz_grid g = avz_grid_at(AVZ_V(0.4, 1.3), 2, 4, 1.5, 0.8);
    avz_number_format fmt = {22, 2};
    avz_matrix_spec spec = {
        .grid = g,
        .values = matrix_values,
        .stride = 4,
        .numbers = fmt,
        .accent = AVZ_BLUE,
        .rows = {.texts = row_names, .color = AVZ_GRAY, .font_size = 24, .gap = 0.2},
        .cols = {.texts = col_names,
                 .colors = (const avz_color[]){AVZ_RED, AVZ_GREEN, AVZ_TEAL, AVZ_PURPLE},
                 .font_size = 24,
                 .gap = 0.15},
    };
    avz_matrix m = avz_matrix_panel(s, &spec);
    /* A second panel with a formula and its size, numbers fitted to the column. */
    avz_grid g2 = avz_grid_at(AVZ_V(0.4, -2.2), 2, 4, 1.5, 0.6);
    avz_matrix_spec spec2 = {.grid = g2,
                             .values = matrix_values,
                             .stride = 4,
                             .accent = AVZ_ORANGE,
                             .label_tex = "QK^\\top",
                             .show_size = true};
    avz_matrix m2 = avz_matrix_panel(s, &spec2);
    expect_ok(s);

    /* The frame is the grid, tinted with the accent. */
    expect_box(avz_bounds(s, m.frame), avz_grid_bounds(&g, 0), EPS);
    expect_color(style_of(s, m.frame)->fill, AVZ_BLUE);
    expect_color(style_of(s, m.frame)->stroke, AVZ_BLUE);
    assert_int_equal(avz_group_size(s, m.numbers), 8);
    expect_numbers(s, &m, fmt);
    /* Negative numbers carry U+2212, wider than a hyphen-minus. */
    avz_id neg = avz_matrix_number(s, &m, 0, 1);
    assert_true(fabs(avz_width(s, neg) - avz_measure_text(s, "-1.23", 22, 0).width) > 1e-3);
    assert_int_equal(m.label, AVZ_NONE);

    /* Row names end `gap` left of the grid, a capital centred on their row. */
    double cap = avz_measure_text(s, "H", 24, 0).cap_height;
    assert_int_equal(avz_group_size(s, m.row_labels), 2);
    for (int r = 0; r < 2; r++) {
        avz_id l = avz_group_member(s, m.row_labels, (size_t)r);
        avz_assert_near(avz_bounds(s, l).x1, g.left - 0.2, EPS);
        avz_assert_near(baseline_of(s, l, row_names[r], 24, 0), avz_grid_cell(&g, r, 0).y - cap / 2,
                        EPS);
        expect_color(style_of(s, l)->fill, AVZ_GRAY);
    }
    /* Column names centred over their columns, on one baseline `gap` above the grid. */
    assert_int_equal(avz_group_size(s, m.col_labels), 4);
    for (int c = 0; c < 4; c++) {
        avz_id l = avz_group_member(s, m.col_labels, (size_t)c);
        avz_assert_near(avz_center(s, l).x, avz_grid_cell(&g, 0, c).x, EPS);
        avz_assert_near(baseline_of(s, l, col_names[c], 24, 0), g.top + 0.15, EPS);
        expect_color(style_of(s, l)->fill, spec.cols.colors[c]);
    }

    /* Fitted numbers; the formula and "2 × 4" 0.15 above the frame. */
    bool negative = true;
    expect_numbers(s, &m2, avz_fit_numbers(g2.col_w, negative));
    assert_true(m2.label != AVZ_NONE);
    assert_int_equal(avz_group_size(s, m2.label), 2);
    avz_assert_near(avz_bounds(s, m2.label).y0, g2.top + 0.15, EPS);
    avz_id size_text = avz_group_member(s, m2.label, 1);
    avz_assert_near(avz_width(s, size_text), avz_measure_text(s, "2 \xC3\x97 4", 13, 0).width, EPS);
    expect_color(style_of(s, avz_group_member(s, m2.label, 0))->fill, AVZ_ORANGE);
    expect_color(style_of(s, size_text)->fill, AVZ_GRAY);
    assert_int_equal(m2.row_labels, AVZ_NONE);
    assert_int_equal(m2.col_labels, AVZ_NONE);

    cairo_surface_t *img = render_still(s, avz_group(s, m.group, m2.group), WIDE_W, WIDE_H);
    expect_reference(img, "matrix_panels");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* ── Heatmaps ────────────────────────────────────────────────────────────────────────── */

/* A copy of `text` set as avz_col_labels says a tilted name is: its baseline starting at the
 * origin, turned by tilt about that start, then moved to `start`. */
static avz_id tilted_by_hand(avz_scene *s, const char *text, double size, double tilt,
                             avz_vec2 start) {
    avz_id t = avz_text_at(s, text, size, AVZ_WHITE, 0, AVZ_ORIGIN, AVZ_LEFT);
    avz_parts *parts = &s->nodes[t].parts;
    for (size_t i = 0; i < parts->count; i++) {
        avz_path_rotate(&parts->items[i], AVZ_ORIGIN, tilt);
        avz_path_translate(&parts->items[i], start);
    }
    return t;
}

static void expect_same_paths(const avz_scene *s, avz_id a, avz_id b) {
    const avz_parts *pa = &s->nodes[a].parts, *pb = &s->nodes[b].parts;
    assert_int_equal(pa->count, pb->count);
    for (size_t i = 0; i < pa->count; i++) {
        assert_int_equal(pa->items[i].count, pb->items[i].count);
        for (size_t k = 0; k < pa->items[i].count; k++)
            for (int j = 0; j < 3; j++) {
                avz_assert_near(pa->items[i].segs[k].p[j].x, pb->items[i].segs[k].p[j].x, EPS);
                avz_assert_near(pa->items[i].segs[k].p[j].y, pb->items[i].segs[k].p[j].y, EPS);
            }
    }
}

static void heatmap_colours_cells_by_value(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    static const double v[3 * 4] = {0.9, 0.1, 0.0, 0.0, 0.3, 0.5, 0.2, 0.0, 0.05, 0.25, 0.4, 0.3};
    const char *queries[] = {"The", "cat", "sat"};
    const char *keys[] = {"The", "cat", "sat", "gap"};
    const double tilt = AVZ_PI / 6, pad = 0.06;
    avz_grid g = avz_grid_at(AVZ_V(0.5, -0.7), 3, 4, 1.0, 0.9);
    avz_heatmap_spec spec = {
        .grid = g,
        .values = v,
        .stride = 4,
        .gap = 0.1,
        .stroke = AVZ_GRAY,
        .stroke_width = 1,
        .numbers = {16, 2},
        .rows = {.texts = queries, .color = AVZ_WHITE, .font_size = 22, .gap = 0.15},
        .cols = {.texts = keys, .color = AVZ_GRAY, .font_size = 22, .gap = 0.12, .tilt = tilt},
    };
    avz_heatmap h = avz_heatmap_new(s, &spec);
    avz_id hl = avz_heatmap_highlight(s, &h, 1, 2, pad, AVZ_YELLOW, 4);
    expect_ok(s);

    /* lo == hi: the ramp stretches over the values' range; the sequential ramp by default. */
    avz_assert_near(h.lo, 0.0, 0);
    avz_assert_near(h.hi, 0.9, 0);
    assert_ptr_equal(h.ramp, &avz_ramp_sequential);
    avz_assert_near(h.side, 0.9 - 0.1, EPS);
    assert_int_equal(avz_group_size(s, h.cells), 12);
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 4; c++) {
            avz_id cell = avz_heatmap_cell(s, &h, r, c);
            avz_vec2 at = avz_grid_cell(&g, r, c);
            expect_box(avz_bounds(s, cell),
                       (avz_bbox){at.x - 0.4, at.y - 0.4, at.x + 0.4, at.y + 0.4}, EPS);
            double value = v[r * 4 + c];
            avz_color want = avz_ramp_value(&avz_ramp_sequential, value, 0.0, 0.9);
            expect_color(avz_heatmap_color(&h, value), want);
            expect_color(style_of(s, cell)->fill, want);
            avz_assert_near(style_of(s, cell)->fill_opacity, 0.9, 0); /* 0 in the spec */
            expect_color(style_of(s, cell)->stroke, AVZ_GRAY);
            /* Its number reads on it. */
            avz_id n = avz_heatmap_number(s, &h, r, c);
            avz_assert_near(avz_center(s, n).x, at.x, EPS);
            avz_assert_near(avz_center(s, n).y, at.y, EPS);
            expect_color(style_of(s, n)->fill, avz_ink_on(want));
        }
    /* The ends of the range are the ends of the ramp. */
    expect_color(style_of(s, avz_heatmap_cell(s, &h, 0, 0))->fill,
                 avz_ramp_sequential.stops[avz_ramp_sequential.count - 1]);
    expect_color(style_of(s, avz_heatmap_cell(s, &h, 0, 2))->fill, avz_ramp_sequential.stops[0]);

    /* The highlight rings cell (1, 2)'s square, pad outside it; not part of the heatmap. */
    avz_vec2 c12 = avz_grid_cell(&g, 1, 2);
    double half = h.side / 2 + pad;
    expect_box(avz_bounds(s, hl),
               (avz_bbox){c12.x - half, c12.y - half, c12.x + half, c12.y + half}, EPS);
    expect_color(style_of(s, hl)->stroke, AVZ_YELLOW);
    avz_assert_near(style_of(s, hl)->fill_opacity, 0, 0);

    /* Row names end left of the grid; tilted column names start over their columns: each is
     * the name set from the origin, turned by the tilt and moved to (column centre, top +
     * gap). */
    for (int r = 0; r < 3; r++)
        avz_assert_near(avz_bounds(s, avz_group_member(s, h.row_labels, (size_t)r)).x1,
                        g.left - 0.15, EPS);
    for (int c = 0; c < 4; c++) {
        avz_id label = avz_group_member(s, h.col_labels, (size_t)c);
        avz_vec2 start = {avz_grid_cell(&g, 0, c).x, g.top + 0.12};
        avz_id want = tilted_by_hand(s, keys[c], 22, tilt, start);
        expect_same_paths(s, label, want);
        /* Rising to the right from above the column: its right end is higher and further
         * right than the start. */
        assert_true(avz_bounds(s, label).x1 > start.x + 0.2);
        assert_true(avz_bounds(s, label).y1 > start.y + 0.2);
        assert_true(avz_bounds(s, label).y0 > g.top);
    }

    cairo_surface_t *img = render_still(s, avz_group(s, h.group, hl), WIDE_W, WIDE_H);
    /* The brightest cell, the darkest and the highlight, in the picture. */
    avz_color top = avz_ramp_sequential.stops[avz_ramp_sequential.count - 1];
    rgb bright =
        pixel_at(img, AVZ_V(avz_grid_cell(&g, 0, 0).x + 0.3, avz_grid_cell(&g, 0, 0).y + 0.3));
    assert_true(abs(bright.b - (int)lround(0.9 * top.b * 255)) <= 3);
    assert_true(lit_at(img, AVZ_V(c12.x + half, c12.y)));
    expect_reference(img, "heatmap");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* ── KV cache ────────────────────────────────────────────────────────────────────────── */

static void expect_square(const avz_scene *s, avz_id sq, avz_vec2 at, double side, avz_color c,
                          double opacity) {
    expect_box(avz_bounds(s, sq),
               (avz_bbox){at.x - side / 2, at.y - side / 2, at.x + side / 2, at.y + side / 2}, EPS);
    expect_color(style_of(s, sq)->fill, c);
    avz_assert_near(style_of(s, sq)->fill_opacity, opacity, 0);
}

static void kv_cache_grows_a_column_or_a_row_per_token(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    const avz_color colors[] = {AVZ_YELLOW, AVZ_ORANGE};
    const char *names[] = {"K", "V"};
    avz_kv_cache_spec right = {.first = AVZ_V(-4.5, 1.6),
                               .rows = 2,
                               .side = 0.5,
                               .pitch = 0.7,
                               .row_pitch = 0.9,
                               .grow = AVZ_RIGHT,
                               .colors = colors,
                               .fill_opacity = 0.4,
                               .stroke_width = 2,
                               .row_labels = names,
                               .label_size = 24,
                               .label_gap = 0.2,
                               .title = "KV cache",
                               .title_gap = 0.25};
    avz_kv_cache kv = avz_kv_cache_new(s, &right);
    assert_int_equal(kv.tokens, 0);
    assert_int_equal(avz_group_size(s, kv.group), 1); /* the labels */
    for (int t = 0; t < 5; t++) {
        avz_id token = avz_kv_cache_grow(s, &kv);
        assert_int_equal(kv.tokens, t + 1);
        assert_int_equal(avz_group_size(s, kv.group), (size_t)t + 2);
        assert_int_equal(avz_group_member(s, kv.group, (size_t)t + 1), token);
        /* One square a row, the token's column `pitch` right of the last. */
        assert_int_equal(avz_group_size(s, token), 2);
        for (int r = 0; r < 2; r++)
            expect_square(s, avz_group_member(s, token, (size_t)r),
                          AVZ_V(-4.5 + 0.7 * t, 1.6 - 0.9 * r), 0.5, colors[r], 0.4);
    }
    /* Row names beside the rows in their colours, the title over the first column. */
    assert_int_equal(avz_group_size(s, kv.labels), 3);
    double cap = avz_measure_text(s, "H", 24, 0).cap_height;
    for (int r = 0; r < 2; r++) {
        avz_id l = avz_group_member(s, kv.labels, (size_t)r);
        avz_assert_near(avz_bounds(s, l).x1, -4.5 - 0.25 - 0.2, EPS);
        avz_assert_near(baseline_of(s, l, names[r], 24, 0), 1.6 - 0.9 * r - cap / 2, EPS);
        expect_color(style_of(s, l)->fill, colors[r]);
    }
    avz_id title = avz_group_member(s, kv.labels, 2);
    avz_assert_near(avz_center(s, title).x, -4.5, EPS);
    avz_assert_near(baseline_of(s, title, "KV cache", 24, 0), 1.6 + 0.25 + 0.25, EPS);
    expect_color(style_of(s, title)->fill, AVZ_GRAY);

    /* Downwards, row_pitch 0 (= pitch): a token is a row of squares, each token a row lower. */
    avz_kv_cache_spec down = {.first = AVZ_V(2.5, 2.2),
                              .rows = 2,
                              .side = 0.5,
                              .pitch = 0.65,
                              .grow = AVZ_DOWN,
                              .colors = colors,
                              .fill_opacity = 0.8,
                              .stroke_width = 1,
                              .label_size = 24,
                              .title = "cache",
                              .title_gap = 0.2};
    avz_kv_cache col = avz_kv_cache_new(s, &down);
    avz_assert_near(col.spec.row_pitch, 0.65, 0);
    for (int t = 0; t < 4; t++) {
        avz_id token = avz_kv_cache_grow(s, &col);
        assert_int_equal(col.tokens, t + 1);
        for (int r = 0; r < 2; r++)
            expect_square(s, avz_group_member(s, token, (size_t)r),
                          AVZ_V(2.5 + 0.65 * r, 2.2 - 0.65 * t), 0.5, colors[r], 0.8);
    }
    /* Its title centred over the first token's squares, side by side here. */
    assert_int_equal(avz_group_size(s, col.labels), 1);
    avz_id col_title = avz_group_member(s, col.labels, 0);
    avz_assert_near(baseline_of(s, col_title, "cache", 24, 0), 2.2 + 0.25 + 0.2, EPS);
    avz_assert_near(avz_center(s, col_title).x, 2.5 + 0.65 / 2, EPS);
    expect_ok(s);

    cairo_surface_t *img = render_still(s, avz_group(s, kv.group, col.group), SMALL_W, SMALL_H);
    assert_true(lit_at(img, AVZ_V(-4.5 + 0.7 * 4, 1.6 - 0.9)));  /* the last token's V */
    assert_false(lit_at(img, AVZ_V(-4.5 + 0.7 * 5, 1.6 - 0.9))); /* and nothing after it */
    expect_reference(img, "kv_cache");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* The cache copies its colours: the spec's array may be a local of the function that made
 * the cache, gone by the time a later token grows (here: overwritten). */
static void kv_cache_keeps_its_own_colours(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    avz_color colors[] = {AVZ_YELLOW, AVZ_ORANGE};
    const char *names[] = {"K", "V"};
    avz_kv_cache_spec spec = {.first = AVZ_ORIGIN,
                              .rows = 2,
                              .side = 0.5,
                              .pitch = 0.7,
                              .grow = AVZ_RIGHT,
                              .colors = colors,
                              .fill_opacity = 0.4,
                              .stroke_width = 2,
                              .row_labels = names,
                              .label_size = 24,
                              .label_gap = 0.2};
    avz_kv_cache kv = avz_kv_cache_new(s, &spec);
    colors[0] = colors[1] = AVZ_BLUE;
    for (int t = 0; t < 2; t++) {
        avz_id token = avz_kv_cache_grow(s, &kv);
        expect_color(style_of(s, avz_group_member(s, token, 0))->fill, AVZ_YELLOW);
        expect_color(style_of(s, avz_group_member(s, token, 0))->stroke, AVZ_YELLOW);
        expect_color(style_of(s, avz_group_member(s, token, 1))->fill, AVZ_ORANGE);
    }
    expect_color(style_of(s, avz_group_member(s, kv.labels, 1))->fill, AVZ_ORANGE);
    expect_ok(s);
    avz_scene_free(s);

    /* A bounded copy: more rows than it holds, or rows without colours, are errors. */
    static avz_color many[AVZ_KV_CACHE_MAX_ROWS + 1];
    char most[32];
    snprintf(most, sizeof most, "0 to %d", AVZ_KV_CACHE_MAX_ROWS);
    const struct {
        int rows;
        const avz_color *colors;
        const char *says;
    } bad[] = {{AVZ_KV_CACHE_MAX_ROWS + 1, many, most},
               {-1, many, "-1 rows"},
               {2, NULL, "without colours"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = new_scene();
        spec.rows = bad[i].rows;
        spec.colors = bad[i].colors;
        kv = avz_kv_cache_new(s, &spec);
        avz_kv_cache_grow(s, &kv); /* makes nothing, reads nothing */
        avz_error err = {0};
        assert_int_equal(avz_scene_status(s, &err), -EINVAL);
        if (!strstr(err.msg, bad[i].says))
            fail_msg("error \"%s\" does not say \"%s\"", err.msg, bad[i].says);
        avz_scene_free(s);
    }
    /* The most it holds is fine. */
    s = new_scene();
    spec.rows = AVZ_KV_CACHE_MAX_ROWS;
    spec.colors = many;
    spec.row_labels = NULL;
    kv = avz_kv_cache_new(s, &spec);
    assert_int_equal(avz_group_size(s, avz_kv_cache_grow(s, &kv)), AVZ_KV_CACHE_MAX_ROWS);
    expect_ok(s);
    avz_scene_free(s);
}

/* ── Colour ramps ────────────────────────────────────────────────────────────────────── */

static void color_ramps_ends_middle_and_ink(void **state) {
    (void)state;
    const avz_ramp *ramps[] = {&avz_ramp_sequential, &avz_ramp_diverging, &avz_ramp_blue_red};
    for (size_t k = 0; k < 3; k++) {
        const avz_ramp *r = ramps[k];
        assert_true(r->count >= 2);
        expect_color(avz_ramp_at(r, 0), r->stops[0]);
        expect_color(avz_ramp_at(r, 1), r->stops[r->count - 1]);
        /* Clamped outside [0, 1]. */
        expect_color(avz_ramp_at(r, -0.5), r->stops[0]);
        expect_color(avz_ramp_at(r, 1.5), r->stops[r->count - 1]);
        expect_color(avz_ramp_at(r, -INFINITY), r->stops[0]);
        expect_color(avz_ramp_at(r, INFINITY), r->stops[r->count - 1]);
        expect_color(avz_ramp_at(r, NAN), r->stops[0]);
        /* Each stop at its even place, and linear between. */
        for (size_t i = 0; i < r->count; i++)
            expect_color(avz_ramp_at(r, (double)i / (double)(r->count - 1)), r->stops[i]);
        double half = 0.5 / (double)(r->count - 1);
        expect_color(avz_ramp_at(r, half), avz_color_lerp(r->stops[0], r->stops[1], 0.5));
    }
    /* The middles: blue-red's blend, diverging's near-black zero, sequential's between blue
     * stops. */
    expect_color(avz_ramp_at(&avz_ramp_blue_red, 0.5),
                 (avz_color){(AVZ_BLUE.r + AVZ_RED.r) / 2, (AVZ_BLUE.g + AVZ_RED.g) / 2,
                             (AVZ_BLUE.b + AVZ_RED.b) / 2});
    expect_color(avz_ramp_at(&avz_ramp_diverging, 0.5), avz_ramp_diverging.stops[1]);
    expect_color(avz_ramp_at(&avz_ramp_sequential, 0.5),
                 avz_color_lerp(AVZ_DARK_BLUE, AVZ_BLUE, 0.5));
    /* Values over a range: clamped, and the middle when the range is empty. */
    expect_color(avz_ramp_value(&avz_ramp_diverging, -3, -2, 2), avz_ramp_diverging.stops[0]);
    expect_color(avz_ramp_value(&avz_ramp_diverging, 0, -2, 2), avz_ramp_diverging.stops[1]);
    expect_color(avz_ramp_value(&avz_ramp_diverging, 5, -2, 2), avz_ramp_diverging.stops[2]);
    expect_color(avz_ramp_value(&avz_ramp_blue_red, 1, -1, 3),
                 avz_ramp_at(&avz_ramp_blue_red, 0.5));
    expect_color(avz_ramp_value(&avz_ramp_blue_red, 7, 7, 7), avz_ramp_at(&avz_ramp_blue_red, 0.5));
    /* Sequential runs from dark to bright. */
    double prev = -1;
    for (int i = 0; i <= 10; i++) {
        avz_color c = avz_ramp_at(&avz_ramp_sequential, i / 10.0);
        double l = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
        assert_true(l > prev);
        prev = l;
    }

    /* Ink: black on light, white on dark, by luminance (the greys cross near 0.46). */
    expect_color(avz_ink_on(AVZ_WHITE), AVZ_BLACK);
    expect_color(avz_ink_on(AVZ_BLACK), AVZ_WHITE);
    expect_color(avz_ink_on(AVZ_YELLOW), AVZ_BLACK);
    expect_color(avz_ink_on(AVZ_BLUE), AVZ_BLACK);
    expect_color(avz_ink_on(AVZ_DARK_BLUE), AVZ_WHITE);
    expect_color(avz_ink_on(AVZ_DARK_GRAY), AVZ_WHITE);
    expect_color(avz_ink_on((avz_color){0.5, 0.5, 0.5}), AVZ_BLACK);
    expect_color(avz_ink_on((avz_color){0.42, 0.42, 0.42}), AVZ_WHITE);
    expect_color(avz_ink_on(avz_ramp_sequential.stops[0]), AVZ_WHITE);
    expect_color(avz_ink_on(avz_ramp_sequential.stops[avz_ramp_sequential.count - 1]), AVZ_BLACK);
    /* Hues: distinct for up to eight, never yellow. */
    for (size_t n = 1; n <= 8; n++)
        for (size_t i = 0; i < n; i++) {
            avz_color c = avz_hue(i, n);
            assert_false(c.r == 1 && c.g == 1 && c.b == 0);
            for (size_t j = 0; j < i; j++) {
                avz_color o = avz_hue(j, n);
                assert_false(c.r == o.r && c.g == o.g && c.b == o.b);
            }
        }

    /* Drawn: each ramp in 12 swatches, and ink on a row of backgrounds. */
    avz_scene *s = new_scene();
    avz_id all = avz_group_new(s);
    for (size_t k = 0; k < 3; k++)
        for (int i = 0; i < 12; i++) {
            avz_id sw = avz_rect(s, 1, 0.8, avz_box_style(avz_ramp_at(ramps[k], i / 11.0), 1, 0));
            avz_move_to(s, sw, AVZ_V(-5.5 + i, 2.6 - 1.1 * (double)k));
            avz_group_add(s, all, sw);
        }
    const avz_color backs[] = {AVZ_WHITE, AVZ_YELLOW, AVZ_BLUE,      AVZ_GRAY,
                               AVZ_RED,   AVZ_PURPLE, AVZ_DARK_BLUE, AVZ_DARK_GRAY};
    for (int i = 0; i < 8; i++) {
        avz_id sw = avz_square(s, 1.2, avz_box_style(backs[i], 1, 0));
        avz_vec2 at = {-5.25 + 1.5 * i, -1.6};
        avz_move_to(s, sw, at);
        avz_group_add(s, all, sw);
        avz_group_add(
            s, all,
            avz_text_at(s, "Aa", 30, avz_ink_on(backs[i]), AVZ_TEXT_MIDDLE, at, AVZ_ORIGIN));
    }
    cairo_surface_t *img = render_still(s, all, WIDE_W, WIDE_H);
    expect_pixel_color(img, AVZ_V(-5.5, 2.6), avz_ramp_sequential.stops[0]);
    expect_pixel_color(img, AVZ_V(5.5, 2.6),
                       avz_ramp_sequential.stops[avz_ramp_sequential.count - 1]);
    expect_pixel_color(img, AVZ_V(-5.5, 0.4), AVZ_BLUE);
    expect_pixel_color(img, AVZ_V(5.5, 0.4), AVZ_RED);
    expect_reference(img, "color_ramps");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* ── Grid geometry ───────────────────────────────────────────────────────────────────── */

static void grid_geometry(void **state) {
    (void)state;
    avz_grid g = avz_grid_at(AVZ_V(1, 0.5), 3, 4, 1.25, 0.8);
    avz_assert_near(g.left, 1 - 2.5, EPS);
    avz_assert_near(g.top, 0.5 + 1.2, EPS);
    assert_int_equal(g.rows, 3);
    assert_int_equal(g.cols, 4);
    avz_assert_near(avz_grid_width(&g), 5, EPS);
    avz_assert_near(avz_grid_height(&g), 2.4, EPS);
    avz_assert_near(avz_grid_center(&g).x, 1, EPS);
    avz_assert_near(avz_grid_center(&g).y, 0.5, EPS);
    /* Cells row by row from the top left, y down the rows. */
    avz_assert_near(avz_grid_cell(&g, 0, 0).x, -1.5 + 0.625, EPS);
    avz_assert_near(avz_grid_cell(&g, 0, 0).y, 1.7 - 0.4, EPS);
    avz_assert_near(avz_grid_cell(&g, 2, 3).x, -1.5 + 3.5 * 1.25, EPS);
    avz_assert_near(avz_grid_cell(&g, 2, 3).y, 1.7 - 2.5 * 0.8, EPS);
    expect_box(avz_grid_bounds(&g, 0), (avz_bbox){-1.5, -0.7, 3.5, 1.7}, EPS);
    expect_box(avz_grid_bounds(&g, 0.1), (avz_bbox){-1.6, -0.8, 3.6, 1.8}, EPS);
    expect_box(avz_grid_row_bounds(&g, 1, 0), (avz_bbox){-1.5, 0.1, 3.5, 0.9}, EPS);
    expect_box(avz_grid_row_bounds(&g, 2, 0.05), (avz_bbox){-1.55, -0.75, 3.55, 0.15}, EPS);
    expect_box(avz_grid_col_bounds(&g, 2, 0), (avz_bbox){1.0, -0.7, 2.25, 1.7}, EPS);
    expect_box(avz_grid_cell_bounds(&g, 2, 1, 0), (avz_bbox){-0.25, -0.7, 1.0, 0.1}, EPS);
    expect_box(avz_grid_cell_bounds(&g, 0, 3, -0.1), (avz_bbox){2.35, 1.0, 3.4, 1.6}, EPS);
    /* Every cell's centre is its box's. */
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 4; c++) {
            avz_vec2 a = avz_grid_cell(&g, r, c);
            avz_vec2 b = avz_bbox_center(avz_grid_cell_bounds(&g, r, c, 0));
            avz_assert_near(a.x, b.x, EPS);
            avz_assert_near(a.y, b.y, EPS);
        }
    /* Moved: the same cells about a new centre. */
    avz_grid m = avz_grid_moved(&g, AVZ_V(-3, -2));
    avz_assert_near(avz_grid_center(&m).x, -3, EPS);
    avz_assert_near(avz_grid_center(&m).y, -2, EPS);
    avz_assert_near(m.col_w, g.col_w, 0);
    avz_assert_near(m.row_h, g.row_h, 0);
    assert_int_equal(m.rows, 3);
    assert_int_equal(m.cols, 4);
    avz_assert_near(avz_grid_cell(&m, 1, 1).x - avz_grid_cell(&g, 1, 1).x, -4, EPS);
    avz_assert_near(avz_grid_cell(&m, 1, 1).y - avz_grid_cell(&g, 1, 1).y, -2.5, EPS);

    /* Drawn: every cell's outline, row 1 and column 2 ringed, cell (2, 1) filled. */
    avz_scene *s = new_scene();
    avz_grid d = avz_grid_moved(&g, AVZ_V(0, 0.2));
    avz_id all = avz_group_new(s);
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 4; c++)
            avz_group_add(s, all,
                          avz_outline(s, avz_grid_cell_bounds(&d, r, c, -0.06), AVZ_GRAY, 3));
    avz_group_add(s, all, avz_outline(s, avz_grid_row_bounds(&d, 1, 0.06), AVZ_YELLOW, 4));
    avz_group_add(s, all, avz_outline(s, avz_grid_col_bounds(&d, 2, 0.12), AVZ_TEAL, 4));
    avz_id cell = avz_rect(s, 1.25 - 0.2, 0.8 - 0.2, avz_box_style(AVZ_RED, 1, 0));
    avz_move_to(s, cell, avz_grid_cell(&d, 2, 1));
    avz_group_add(s, all, cell);
    avz_group_add(s, all, avz_outline(s, avz_grid_bounds(&d, 0.3), AVZ_WHITE, 2));
    cairo_surface_t *img = render_still(s, all, SMALL_W, SMALL_H);
    expect_pixel_color(img, avz_grid_cell(&d, 2, 1), AVZ_RED);
    expect_pixel_color(img, avz_grid_cell(&d, 0, 0), AVZ_BLACK);
    expect_reference(img, "grid");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_have_a_typographic_minus_and_no_negative_zero),
        cmocka_unit_test(matrix_panel_places_numbers_and_labels),
        cmocka_unit_test(heatmap_colours_cells_by_value),
        cmocka_unit_test(kv_cache_grows_a_column_or_a_row_per_token),
        cmocka_unit_test(kv_cache_keeps_its_own_colours),
        cmocka_unit_test(color_ramps_ends_middle_and_ink),
        cmocka_unit_test(grid_geometry),
    };
    return cmocka_run_group_tests(tests, images_setup, avz_test_close_fonts);
}
