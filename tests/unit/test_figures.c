/* Figures: a test for every drawing primitive of figures.h (token cards, labelled boxes, bar
 * charts, connectors) and of the scene's own circle, arc, shape, text on a baseline and drawing
 * order. Each test checks the geometry and style the primitive's nodes get, then draws it small
 * and compares the picture with a reference image in tests/ref/figures/, as images.h describes
 * (and how to write the references); the last test checks that comparison's tolerance.
 * test_grid.c does the same for grid.h and color.h. */
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

#include "attnviz/figures.h"
#include "attnviz/timeline.h"
#include "images.h"
#include "scene_internal.h"
#include "support.h"
#include "timeline_internal.h"

/* ── Small helpers on nodes ──────────────────────────────────────────────────────────── */

/* The points of a path without curves, in order (a polyline, a rectangle). */
static size_t path_points(const avz_path *p, avz_vec2 *pts, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < p->count; i++) {
        if (p->segs[i].kind == AVZ_SEG_CLOSE)
            continue;
        assert_true(p->segs[i].kind == AVZ_SEG_MOVE || p->segs[i].kind == AVZ_SEG_LINE);
        assert_true(n < max);
        pts[n++] = p->segs[i].p[0];
    }
    return n;
}

static const avz_path *only_path(const avz_scene *s, avz_id leaf) {
    assert_false(s->nodes[leaf].is_group);
    assert_int_equal(s->nodes[leaf].parts.count, 1);
    return &s->nodes[leaf].parts.items[0];
}

static void expect_points(const avz_scene *s, avz_id leaf, const avz_vec2 *want, size_t count) {
    avz_vec2 got[16];
    size_t n = path_points(only_path(s, leaf), got, 16);
    if (n != count)
        fail_msg("leaf %d has %zu points, expected %zu", (int)leaf, n, count);
    for (size_t i = 0; i < n; i++) {
        avz_assert_near(got[i].x, want[i].x, EPS);
        avz_assert_near(got[i].y, want[i].y, EPS);
    }
}

/* ── Token cards and rows ────────────────────────────────────────────────────────────── */

static void token_cards_share_a_baseline_and_a_height(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    const char *tokens[] = {"gap", "Hi", "xyz", "Tokyo"};
    const avz_color hues[] = {AVZ_RED, AVZ_GREEN, AVZ_BLUE, AVZ_PURPLE};
    const double size = 40, em = size / 72, gap = 0.3, row_y = 1.2;
    avz_card_spec spec = avz_card_tinted(size, AVZ_TEAL);
    avz_assert_near(spec.fill_opacity, 0.25, 0);
    expect_color(spec.text, AVZ_WHITE);
    expect_color(spec.fill, AVZ_TEAL);
    expect_color(spec.stroke, AVZ_TEAL);

    avz_id row = avz_token_row(s, tokens, 4, &spec, hues, gap);
    avz_shift(s, row, AVZ_V(0, row_y));
    avz_id single = avz_token_card(s, "qj", &spec);
    avz_shift(s, single, AVZ_V(-2, -1.5));
    avz_id plain = avz_token_row(s, tokens, 2, &spec, NULL, gap);
    avz_shift(s, plain, AVZ_V(2, -1.5));
    expect_ok(s);

    double cap = avz_measure_text(s, "H", size, 0).cap_height;
    double height = cap + 2 * spec.pad_y * em, baseline = row_y - cap / 2;
    assert_int_equal(avz_group_size(s, row), 4);
    double prev_right = 0;
    for (size_t i = 0; i < 4; i++) {
        avz_id card = avz_group_member(s, row, i);
        assert_int_equal(avz_group_size(s, card), 2);
        avz_id box = avz_group_member(s, card, 0), label = avz_group_member(s, card, 1);
        avz_bbox b = avz_bounds(s, box);
        avz_text_metrics m = avz_measure_text(s, tokens[i], size, 0);
        /* One height for all, as wide as the word and its padding. */
        avz_assert_near(avz_bbox_height(b), height, EPS);
        avz_assert_near(avz_bbox_width(b), m.width + 2 * spec.pad_x * em, EPS);
        avz_assert_near(avz_bbox_width(b), avz_token_card_width(s, tokens[i], &spec), EPS);
        avz_assert_near(avz_bbox_center(b).y, row_y, EPS);
        /* Every label on the one baseline, a capital's height centred in its box. */
        avz_assert_near(baseline_of(s, label, tokens[i], size, 0), baseline, EPS);
        avz_assert_near(avz_center(s, label).x, avz_bbox_center(b).x, EPS);
        /* Side by side, `gap` apart; each in its own hue. */
        if (i)
            avz_assert_near(b.x0 - prev_right, gap, EPS);
        prev_right = b.x1;
        expect_color(style_of(s, box)->fill, hues[i]);
        expect_color(style_of(s, box)->stroke, hues[i]);
        avz_assert_near(style_of(s, box)->fill_opacity, 0.25, 0);
        expect_color(style_of(s, label)->fill, AVZ_WHITE);
        /* The box is under its label. */
        assert_true(box < label);
    }
    /* "Hi" has no descender: its ink stands on the baseline itself. */
    avz_assert_near(avz_bounds(s, avz_group_member(s, avz_group_member(s, row, 1), 1)).y0, baseline,
                    1e-3);
    /* The row is centred across. */
    avz_bbox first = avz_bounds(s, avz_group_member(s, avz_group_member(s, row, 0), 0));
    avz_assert_near((first.x0 + prev_right) / 2, 0, EPS);

    /* A card alone: as tall, centred on where it was put; hues NULL keeps the spec's. */
    avz_bbox one = avz_bounds(s, avz_group_member(s, single, 0));
    avz_assert_near(avz_bbox_height(one), height, EPS);
    avz_assert_near(avz_bbox_center(one).x, -2, EPS);
    avz_assert_near(avz_bbox_center(one).y, -1.5, EPS);
    avz_assert_near(baseline_of(s, avz_group_member(s, single, 1), "qj", size, 0), -1.5 - cap / 2,
                    EPS);
    expect_color(style_of(s, avz_group_member(s, avz_group_member(s, plain, 1), 0))->fill,
                 AVZ_TEAL);

    cairo_surface_t *img = render_still(s, avz_group(s, row, single, plain), WIDE_W, WIDE_H);
    /* The box's inside shows its tint (a quarter of it on black), the label's ink white. */
    avz_bbox g = avz_bounds(s, avz_group_member(s, avz_group_member(s, row, 0), 0));
    rgb inside = pixel_at(img, AVZ_V(g.x0 + 0.08, g.y1 - 0.08));
    assert_true(abs(inside.r - (int)lround(0.25 * AVZ_RED.r * 255)) <= 3);
    expect_reference(img, "token_cards");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* ── Labelled boxes ──────────────────────────────────────────────────────────────────── */

static bool has_curves(const avz_path *p) {
    for (size_t i = 0; i < p->count; i++)
        if (p->segs[i].kind == AVZ_SEG_CUBIC)
            return true;
    return false;
}

static void labelled_box_centres_its_label(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    avz_box_spec round = {.width = 4,
                          .height = 1.4,
                          .radius = 0.25,
                          .style = avz_box_style(AVZ_TEAL, 0.3, 4),
                          .font_size = 36,
                          .text = AVZ_WHITE};
    avz_box_spec square = round;
    square.radius = 0;
    square.style = avz_stroke_style(AVZ_ORANGE, 6);
    square.text_flags = AVZ_TEXT_BOLD;
    square.text = AVZ_ORANGE;
    avz_id a = avz_labelled_box(s, "Softmax", &round);
    avz_shift(s, a, AVZ_V(-2.6, 1.2));
    avz_id b = avz_labelled_box(s, "MatMul", &square);
    avz_shift(s, b, AVZ_V(2.6, -1.2));
    expect_ok(s);

    const struct {
        avz_id group;
        const avz_box_spec *spec;
        const char *label;
        avz_vec2 at;
    } cases[] = {{a, &round, "Softmax", {-2.6, 1.2}}, {b, &square, "MatMul", {2.6, -1.2}}};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(avz_group_size(s, cases[i].group), 2);
        avz_id box = avz_group_member(s, cases[i].group, 0);
        avz_id label = avz_group_member(s, cases[i].group, 1);
        avz_vec2 at = cases[i].at;
        double w = cases[i].spec->width, h = cases[i].spec->height;
        expect_box(avz_bounds(s, box),
                   (avz_bbox){at.x - w / 2, at.y - h / 2, at.x + w / 2, at.y + h / 2}, EPS);
        avz_assert_near(avz_center(s, label).x, at.x, EPS);
        avz_assert_near(avz_center(s, label).y, at.y, EPS);
        avz_assert_near(avz_width(s, label),
                        avz_measure_text(s, cases[i].label, 36, cases[i].spec->text_flags).width,
                        EPS);
        expect_color(style_of(s, label)->fill, cases[i].spec->text);
        avz_assert_near(style_of(s, box)->fill_opacity, cases[i].spec->style.fill_opacity, 0);
        avz_assert_near(style_of(s, box)->stroke_width, cases[i].spec->style.stroke_width, 0);
        /* Rounded corners are curves; square ones are not. */
        assert_int_equal(has_curves(only_path(s, box)), cases[i].spec->radius > 0);
    }
    /* The bold label is set in the bold face: wider than the regular. */
    assert_true(avz_width(s, avz_group_member(s, b, 1)) >
                avz_measure_text(s, "MatMul", 36, 0).width + 0.01);

    cairo_surface_t *img = render_still(s, avz_group(s, a, b), SMALL_W, SMALL_H);
    expect_pixel_color(img, AVZ_V(2.6 - 1.9, -1.2), AVZ_BLACK); /* an outline only: empty inside */
    assert_true(lit_at(img, AVZ_V(2.6 - 2, -1.2)));             /* its left side */
    rgb tint = pixel_at(img, AVZ_V(-2.6 - 1.8, 1.2));
    assert_true(abs(tint.g - (int)lround(0.3 * AVZ_TEAL.g * 255)) <= 3);
    expect_reference(img, "labelled_boxes");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* ── Bar charts ──────────────────────────────────────────────────────────────────────── */

static const double bar_values[] = {0.1, 0.45, 0.3, 0.15};
static const char *const bar_names[] = {"the", "cat", "sat", "on"};
static const char *const bar_ends[] = {"0.10", "0.45", "0.30", "0.15"};
static const avz_color bar_colors[] = {AVZ_BLUE, AVZ_RED, AVZ_GREEN, AVZ_PURPLE};

/* Horizontal bars from an axis at x = -2, the longest (0.45) 4 long. */
static avz_bar_chart_spec across_spec(void) {
    return (avz_bar_chart_spec){.axis = AVZ_V(-2, 2.2),
                                .grow = AVZ_RIGHT,
                                .values = bar_values,
                                .count = 4,
                                .length = 4,
                                .thickness = 0.4,
                                .gap = 0.2,
                                .colors = bar_colors,
                                .fill_opacity = 0.8,
                                .stroke = AVZ_WHITE,
                                .stroke_width = 0,
                                .show_axis = true,
                                .labels = bar_names,
                                .end_labels = bar_ends,
                                .label_size = 20,
                                .label_color = AVZ_GRAY};
}

static void bar_chart_lengths_follow_the_values(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    avz_bar_chart_spec h = across_spec();
    avz_bar_chart c = avz_bar_chart_new(s, &h);
    /* Upright bars on a baseline, a full bar (value 4) 3 long. */
    static const double up_values[] = {1, 3, 2};
    static const char *const up_names[] = {"gap", "Hi", "xy"};
    avz_bar_chart_spec v = {.axis = AVZ_V(-4.5, -3.2),
                            .grow = AVZ_UP,
                            .values = up_values,
                            .count = 3,
                            .max_value = 4,
                            .length = 3,
                            .thickness = 0.5,
                            .gap = 0.3,
                            .color = AVZ_TEAL,
                            .fill_opacity = 0.6,
                            .stroke = AVZ_TEAL,
                            .stroke_width = 2,
                            .labels = up_names,
                            .label_size = 20,
                            .label_color = AVZ_WHITE};
    avz_bar_chart u = avz_bar_chart_new(s, &v);
    expect_ok(s);

    const double em = 20 / 72.0, gap = em * 0.35, cap = avz_measure_text(s, "H", 20, 0).cap_height;
    assert_int_equal(avz_group_size(s, c.bars), 4);
    for (size_t i = 0; i < 4; i++) {
        avz_id bar = avz_group_member(s, c.bars, i);
        double len = 4 * bar_values[i] / 0.45, y = 2.2 - 0.6 * (double)i;
        /* From the axis, as long as its value says; stacked downwards `pitch` apart. */
        expect_box(avz_bounds(s, bar), (avz_bbox){-2, y - 0.2, -2 + len, y + 0.2}, EPS);
        expect_color(style_of(s, bar)->fill, bar_colors[i]);
        avz_assert_near(style_of(s, bar)->fill_opacity, 0.8, 0);
        /* Its name ends left of the axis, its value starts past its end, both centred on it. */
        avz_id name = avz_group_member(s, c.labels, i), end = avz_group_member(s, c.end_labels, i);
        avz_assert_near(avz_bounds(s, name).x1, -2 - gap, EPS);
        avz_assert_near(avz_bounds(s, end).x0, -2 + len + gap, EPS);
        avz_assert_near(baseline_of(s, name, bar_names[i], 20, 0), y - cap / 2, EPS);
        avz_assert_near(baseline_of(s, end, bar_ends[i], 20, 0), y - cap / 2, EPS);
    }
    /* The axis runs half a pitch past the first and the last bar. */
    avz_vec2 axis[] = {{-2, 2.2 + 0.3}, {-2, 2.2 + 0.3 - 4 * 0.6}};
    expect_points(s, c.axis, axis, 2);
    assert_int_equal(avz_group_size(s, c.group), 4); /* bars, axis, labels, end labels */

    /* Upright: heights by value over max_value, from the baseline; names on one baseline. */
    double name_base = NAN;
    for (size_t i = 0; i < 3; i++) {
        avz_id bar = avz_group_member(s, u.bars, i);
        double len = 3 * up_values[i] / 4, x = -4.5 + 0.8 * (double)i;
        expect_box(avz_bounds(s, bar), (avz_bbox){x - 0.25, -3.2, x + 0.25, -3.2 + len}, EPS);
        expect_color(style_of(s, bar)->fill, AVZ_TEAL);
        avz_id name = avz_group_member(s, u.labels, i);
        avz_assert_near(avz_center(s, name).x, x, EPS);
        double base = baseline_of(s, name, up_names[i], 20, 0);
        avz_assert_near(base, -3.2 - (gap + em * 0.7), EPS);
        if (i)
            avz_assert_near(base, name_base, EPS);
        name_base = base;
    }
    assert_int_equal(u.axis, AVZ_NONE);
    assert_int_equal(u.end_labels, AVZ_NONE);
    assert_true(avz_bar_chart_base(&h).x == -1 && avz_bar_chart_base(&h).y == 0);
    assert_true(avz_bar_chart_base(&v).x == 0 && avz_bar_chart_base(&v).y == -1);

    cairo_surface_t *img = render_still(s, avz_group(s, c.group, u.group), WIDE_W, WIDE_H);
    expect_pixel_color(img, AVZ_V(-1.9, 2.2), avz_color_lerp(AVZ_BLACK, AVZ_BLUE, 0.8));
    expect_reference(img, "bar_charts");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* The first and last lit columns of pixel row y from column x on: a bar's extent. */
static void lit_run(cairo_surface_t *img, int x, int y, int *first, int *last) {
    int w = cairo_image_surface_get_width(img);
    *first = *last = -1;
    for (; x < w; x++) {
        bool on = lit(pixel(img, x, y));
        if (on && *first < 0)
            *first = x;
        if (!on && *first >= 0)
            break;
        if (on)
            *last = x;
    }
}

static void bar_chart_grows_from_its_axis(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    avz_bar_chart_spec spec = across_spec();
    spec.show_axis = false; /* nothing lit at the axis but the bars */
    spec.end_labels = NULL;
    avz_bar_chart c = avz_bar_chart_new(s, &spec);
    avz_phase(s, "grow");
    avz_play(s, AVZ_AUTO, avz_show(c.labels));
    avz_play(s, 1.0, avz_grow(c.bars, avz_bar_chart_base(&spec)));
    expect_ok(s);

    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, NULL), 0);
    avz_frame_state *st = NULL;
    assert_int_equal(avz_frame_state_new(s, &st), 0);
    avz_timeline_sample(s, tl, 0.5, st); /* smooth(0.5) = 0.5: half grown */
    for (size_t i = 0; i < 4; i++) {
        avz_id bar = avz_group_member(s, c.bars, i);
        const avz_node_state *n = &st->nodes[bar];
        avz_bbox b = avz_bounds(s, bar);
        assert_true(n->visible == 1);
        /* Only along the bars: half as long, as thick as ever, their base on the axis. */
        avz_assert_near(n->scale.x, 0.5, 1e-12);
        avz_assert_near(n->scale.y, 1.0, 0);
        avz_assert_near(n->offset.y, 0.0, 0);
        avz_assert_near(n->scale.x * b.x0 + n->offset.x, -2, EPS);
        avz_assert_near(n->scale.x * b.x1 + n->offset.x, -2 + avz_bbox_width(b) / 2, EPS);
    }
    avz_frame_state_free(st);
    avz_timeline_free(tl);

    /* And drawn so: each bar's pixels run from the axis to half its length. */
    cairo_surface_t *img = render_at(s, 0.5, WIDE_W, WIDE_H);
    for (size_t i = 0; i < 4; i++) {
        double y = 2.2 - 0.6 * (double)i, half = 2 * bar_values[i] / 0.45;
        int first, last;
        lit_run(img, (int)floor(px_x(img, -2.05)), (int)floor(px_y(img, y)), &first, &last);
        assert_true(abs(first - (int)floor(px_x(img, -2))) <= 1);
        assert_true(abs(last - (int)floor(px_x(img, -2 + half))) <= 1);
    }
    expect_reference(img, "bar_chart_mid_grow");
    cairo_surface_destroy(img);
    /* Whole at the end. */
    img = render_at(s, -1, WIDE_W, WIDE_H);
    int first, last;
    lit_run(img, (int)floor(px_x(img, -2.05)), (int)floor(px_y(img, 2.2 - 0.6)), &first, &last);
    assert_true(abs(last - (int)floor(px_x(img, -2 + 4))) <= 1);
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* ── Connectors ──────────────────────────────────────────────────────────────────────── */

static avz_id block(avz_scene *s, avz_vec2 at, double w, double h) {
    avz_id b = avz_rect(s, w, h, avz_stroke_style(AVZ_BLUE, 4));
    avz_move_to(s, b, at);
    return b;
}

static void connectors_route_straight_l_and_z(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    avz_connector_spec wire = avz_wire(AVZ_WHITE, 5);
    avz_assert_near(wire.bend, 0.5, 0);
    assert_false(wire.arrow);

    /* Z across: a's right side to b's left side, lower; the middle leg midway. */
    avz_id a = block(s, AVZ_V(-5.5, 2.5), 1.4, 0.8), b = block(s, AVZ_V(-1.5, 0.9), 1.4, 0.8);
    avz_id z = avz_connect(s, a, AVZ_RIGHT, b, AVZ_LEFT, &wire);
    avz_vec2 z_pts[] = {{-4.8, 2.5}, {-3.5, 2.5}, {-3.5, 0.9}, {-2.2, 0.9}};
    /* Z down with a lead-in: the middle leg 0.3 above c's top. */
    avz_connector_spec lead = wire;
    lead.lead_in = 0.3;
    avz_id c = block(s, AVZ_V(1.5, 2.6), 1.4, 0.6), d = block(s, AVZ_V(4.5, -0.4), 1.4, 0.6);
    avz_id zd = avz_connect(s, c, AVZ_DOWN, d, AVZ_UP, &lead);
    avz_vec2 zd_pts[] = {{1.5, 2.3}, {1.5, -0.1 + 0.3}, {4.5, -0.1 + 0.3}, {4.5, -0.1}};
    /* L: out of e's bottom, into f's left side. */
    avz_id e = block(s, AVZ_V(-5.5, -0.8), 1.0, 0.6), f = block(s, AVZ_V(-2.5, -2.8), 1.4, 0.6);
    avz_id l = avz_connect(s, e, AVZ_DOWN, f, AVZ_LEFT, &wire);
    avz_vec2 l_pts[] = {{-5.5, -1.1}, {-5.5, -2.8}, {-3.2, -2.8}};
    /* Lined up: a straight line, with an arrow tip at its end. */
    avz_connector_spec arrow = wire;
    arrow.arrow = true;
    arrow.tip_length = 0.25;
    avz_id g = block(s, AVZ_V(0.5, -2.8), 1.0, 0.6), h = block(s, AVZ_V(4.5, -2.8), 1.0, 0.6);
    avz_id straight = avz_connect(s, g, AVZ_RIGHT, h, AVZ_LEFT, &arrow);
    expect_ok(s);

    expect_points(s, z, z_pts, 4);
    expect_box(avz_bounds(s, z), (avz_bbox){-4.8, 0.9, -2.2, 2.5}, EPS);
    expect_points(s, zd, zd_pts, 4);
    expect_box(avz_bounds(s, zd), (avz_bbox){1.5, -0.1, 4.5, 2.3}, EPS);
    expect_points(s, l, l_pts, 3);
    expect_box(avz_bounds(s, l), (avz_bbox){-5.5, -2.8, -3.2, -1.1}, EPS);
    expect_color(style_of(s, z)->stroke, AVZ_WHITE);
    avz_assert_near(style_of(s, z)->fill_opacity, 0, 0);
    avz_assert_near(style_of(s, z)->stroke_width, 5, 0);
    /* Straight: every point on g's and h's middle line, from g's side to h's, the tip's point
     * at h's side. */
    avz_bbox sb = avz_bounds(s, straight);
    avz_assert_near(sb.x0, 1.0, EPS);
    avz_assert_near(sb.x1, 4.0, EPS);
    assert_true(avz_bbox_height(sb) <= 0.25 + EPS); /* the tip's width, no leg across */
    avz_id line = AVZ_NONE, head = straight;
    if (avz_group_size(s, straight) == 2 &&
        s->nodes[avz_group_member(s, straight, 0)].is_group == false &&
        s->nodes[avz_group_member(s, straight, 1)].is_group) {
        line = avz_group_member(s, straight, 0);
        head = avz_group_member(s, straight, 1);
    }
    /* The arrow is the route's last leg, after the legs before it (if any) as one polyline:
     * either way every point on the middle line. */
    if (line != AVZ_NONE) {
        avz_vec2 pts[8];
        size_t n = path_points(only_path(s, line), pts, 8);
        for (size_t i = 0; i < n; i++)
            avz_assert_near(pts[i].y, -2.8, EPS);
    }
    avz_id shaft = avz_group_member(s, head, 0), tip = avz_group_member(s, head, 1);
    avz_vec2 shaft_pts[2];
    assert_int_equal(path_points(only_path(s, shaft), shaft_pts, 2), 2);
    avz_assert_near(shaft_pts[0].y, -2.8, EPS);
    avz_assert_near(shaft_pts[1].y, -2.8, EPS);
    avz_vec2 tip_pts[4];
    path_points(only_path(s, tip), tip_pts, 4);
    avz_assert_near(tip_pts[0].x, 4.0, EPS);
    avz_assert_near(tip_pts[0].y, -2.8, EPS);
    avz_assert_near(avz_bbox_height(avz_bounds(s, tip)), 0.25, EPS);

    /* Between points, the same rules; a connector from a point to itself is an error. */
    avz_id p = avz_connect_points(s, AVZ_V(0, -0.2), AVZ_UP, AVZ_V(0, 2), AVZ_DOWN, &wire);
    avz_bbox pb = avz_bounds(s, p);
    avz_assert_near(avz_bbox_width(pb), 0, EPS);
    avz_assert_near(avz_bbox_height(pb), 2.2, EPS);
    avz_vec2 pp[8];
    size_t pn = path_points(only_path(s, p), pp, 8);
    assert_true(pn >= 2);
    for (size_t i = 0; i < pn; i++)
        avz_assert_near(pp[i].x, 0, EPS);
    avz_assert_near(pp[0].y, -0.2, EPS);
    avz_assert_near(pp[pn - 1].y, 2, EPS);
    expect_ok(s);
    {
        avz_scene *bad = new_scene();
        avz_connect_points(bad, AVZ_V(1, 1), AVZ_RIGHT, AVZ_V(1, 1), AVZ_LEFT, &wire);
        avz_error err = {0};
        assert_int_equal(avz_scene_status(bad, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "itself"));
        avz_scene_free(bad);
    }

    avz_id all = avz_group(s, a, b, c, d, e, f, g, h, z, zd, l, straight, p);
    cairo_surface_t *img = render_still(s, all, WIDE_W, WIDE_H);
    /* Each leg drawn at its middle; nothing where a diagonal would cut the corner. */
    const struct {
        const avz_vec2 *pts;
        size_t n;
    } routes[] = {{z_pts, 4}, {zd_pts, 4}, {l_pts, 3}};
    for (size_t r = 0; r < 3; r++) {
        const avz_vec2 *q = routes[r].pts;
        for (size_t i = 0; i + 1 < routes[r].n; i++)
            assert_true(lit_at(img, AVZ_V((q[i].x + q[i + 1].x) / 2, (q[i].y + q[i + 1].y) / 2)));
        avz_vec2 from = q[0], to = q[routes[r].n - 1];
        assert_false(
            lit_at(img, AVZ_V(from.x + (to.x - from.x) * 0.25, from.y + (to.y - from.y) * 0.75)));
    }
    assert_true(lit_at(img, AVZ_V(2.5, -2.8)));
    assert_false(lit_at(img, AVZ_V(2.5, -2.8 + 0.2)));
    assert_true(lit_at(img, AVZ_V(0, 0.9)));
    assert_false(lit_at(img, AVZ_V(0.2, 0.9)));
    expect_reference(img, "connectors");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* Lined-up sides give one straight leg, with no point in its middle: an arrow is that one
 * leg with its tip as long as asked (not capped at a quarter of a short last piece, and no
 * seam where a line met the arrow), a plain line has two points; also when a lead-in longer
 * than the way would make the route double back. */
static void straight_connectors_are_one_leg(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    avz_connector_spec spec = avz_wire(AVZ_WHITE, 4);
    spec.arrow = true;
    spec.lead_in = 0.2;
    avz_id a = block(s, AVZ_V(-3, 1.5), 1.0, 0.6), b = block(s, AVZ_V(-3, -1.5), 1.0, 0.6);
    avz_id c = block(s, AVZ_V(0, 2), 1.0, 0.6), d = block(s, AVZ_V(4, 2), 1.0, 0.6);
    const struct {
        avz_id from, to;
        avz_vec2 from_side, to_side, start, end;
    } cases[] = {{a, b, AVZ_DOWN, AVZ_UP, {-3, 1.2}, {-3, -1.2}},
                 {c, d, AVZ_RIGHT, AVZ_LEFT, {0.5, 2}, {3.5, 2}}};
    const double lead_ins[] = {0.2, 0, 5.0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        avz_vec2 p = cases[i].start, q = cases[i].end;
        double len = hypot(q.x - p.x, q.y - p.y);
        avz_vec2 u = {(q.x - p.x) / len, (q.y - p.y) / len};
        for (size_t j = 0; j < sizeof lead_ins / sizeof lead_ins[0]; j++) {
            spec.lead_in = lead_ins[j];
            spec.arrow = true;
            avz_id arrow = avz_connect(s, cases[i].from, cases[i].from_side, cases[i].to,
                                       cases[i].to_side, &spec);
            expect_ok(s);
            /* Just the arrow, (shaft, tip): the shaft from the start to the tip's base. */
            assert_int_equal(avz_group_size(s, arrow), 2);
            avz_id shaft = avz_group_member(s, arrow, 0), tip = avz_group_member(s, arrow, 1);
            avz_vec2 base = {q.x - u.x * spec.tip_length, q.y - u.y * spec.tip_length};
            expect_points(s, shaft, (avz_vec2[]){p, base}, 2);
            avz_vec2 tip_pts[4];
            assert_int_equal(path_points(only_path(s, tip), tip_pts, 4), 3);
            avz_assert_near(tip_pts[0].x, q.x, EPS);
            avz_assert_near(tip_pts[0].y, q.y, EPS);
            avz_bbox tb = avz_bounds(s, tip);
            avz_assert_near(u.x ? avz_bbox_width(tb) : avz_bbox_height(tb), 0.12, EPS);

            spec.arrow = false;
            avz_id line = avz_connect(s, cases[i].from, cases[i].from_side, cases[i].to,
                                      cases[i].to_side, &spec);
            expect_points(s, line, (avz_vec2[]){p, q}, 2);
        }
    }
    expect_ok(s);
    avz_scene_free(s);
}

/* ── Circles, arcs and shapes ────────────────────────────────────────────────────────── */

static avz_vec2 cubic_at(avz_vec2 p0, const avz_seg *sg, double t) {
    double u = 1 - t;
    double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
    return AVZ_V(a * p0.x + b * sg->p[0].x + c * sg->p[1].x + d * sg->p[2].x,
                 a * p0.y + b * sg->p[0].y + c * sg->p[1].y + d * sg->p[2].y);
}

/* Every cubic of an arc path about `center` starts and ends on the circle and passes through
 * it midway; returns the path's last point. */
static avz_vec2 expect_on_circle(const avz_path *p, avz_vec2 center, double r, size_t cubics) {
    assert_int_equal(p->segs[0].kind, AVZ_SEG_MOVE);
    avz_vec2 at = p->segs[0].p[0];
    size_t n = 0;
    for (size_t i = 1; i < p->count; i++) {
        if (p->segs[i].kind == AVZ_SEG_CLOSE)
            continue;
        assert_int_equal(p->segs[i].kind, AVZ_SEG_CUBIC);
        avz_vec2 mid = cubic_at(at, &p->segs[i], 0.5);
        avz_assert_near(hypot(mid.x - center.x, mid.y - center.y), r, 1e-12);
        at = p->segs[i].p[2];
        avz_assert_near(hypot(at.x - center.x, at.y - center.y), r, 1e-12);
        n++;
    }
    assert_int_equal(n, cubics);
    return at;
}

static void circle_arc_and_shape(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    avz_id circle = avz_circle(s, 1.2, (avz_style){AVZ_TEAL, 0.5, AVZ_WHITE, 1, 4});
    avz_shift(s, circle, AVZ_V(-4.5, 0.5));
    /* Three quarters anticlockwise from the right; a quarter clockwise from the top. */
    avz_id arc = avz_arc(s, 1.2, 0, 1.5 * AVZ_PI, AVZ_YELLOW, 6);
    avz_id cw = avz_arc(s, 0.6, AVZ_PI / 2, 0, AVZ_RED, 6);
    /* A top arc: its box reaches the circle's top inside a cubic. */
    avz_id top = avz_arc(s, 1.0, AVZ_PI / 4, 3 * AVZ_PI / 4, AVZ_GREEN, 4);
    avz_shift(s, top, AVZ_V(0, 1.6));
    /* Any path: a triangle with a curved side, copied when the node is made. */
    avz_path tri = {0};
    assert_int_equal(avz_path_move_to(&tri, AVZ_V(3.5, -1)), 0);
    assert_int_equal(avz_path_line_to(&tri, AVZ_V(5.5, -1)), 0);
    assert_int_equal(avz_path_cubic_to(&tri, AVZ_V(5.5, 0), AVZ_V(5, 1.5), AVZ_V(4.5, 1.5)), 0);
    assert_int_equal(avz_path_close(&tri), 0);
    avz_bbox tri_box = avz_path_bbox(&tri);
    avz_id shape = avz_shape(s, &tri, (avz_style){AVZ_PURPLE, 1, AVZ_PURPLE, 1, 0});
    avz_path_translate(&tri, AVZ_V(-100, 0)); /* the node keeps its own copy */
    avz_path_free(&tri);
    expect_ok(s);

    /* The circle: four quarters anticlockwise from its rightmost point, closed. */
    const avz_path *cp = only_path(s, circle);
    avz_vec2 c0 = {-4.5, 0.5};
    avz_assert_near(cp->segs[0].p[0].x, c0.x + 1.2, EPS);
    avz_assert_near(cp->segs[0].p[0].y, c0.y, EPS);
    avz_assert_near(cp->segs[1].p[2].x, c0.x, EPS); /* a quarter on: the top */
    avz_assert_near(cp->segs[1].p[2].y, c0.y + 1.2, EPS);
    expect_on_circle(cp, c0, 1.2, 4);
    assert_int_equal(cp->segs[cp->count - 1].kind, AVZ_SEG_CLOSE);
    expect_box(avz_bounds(s, circle), (avz_bbox){c0.x - 1.2, c0.y - 1.2, c0.x + 1.2, c0.y + 1.2},
               EPS);
    /* Arcs: stroked only, open, from `from` to `to`. */
    const avz_path *ap = only_path(s, arc);
    avz_assert_near(ap->segs[0].p[0].x, 1.2, EPS);
    avz_vec2 end = expect_on_circle(ap, AVZ_ORIGIN, 1.2, 3);
    avz_assert_near(end.x, 0, EPS);
    avz_assert_near(end.y, -1.2, EPS);
    expect_box(avz_bounds(s, arc), (avz_bbox){-1.2, -1.2, 1.2, 1.2}, EPS);
    avz_assert_near(style_of(s, arc)->fill_opacity, 0, 0);
    expect_color(style_of(s, arc)->stroke, AVZ_YELLOW);
    avz_assert_near(style_of(s, arc)->stroke_width, 6, 0);
    const avz_path *wp = only_path(s, cw);
    avz_assert_near(wp->segs[0].p[0].y, 0.6, EPS);
    end = expect_on_circle(wp, AVZ_ORIGIN, 0.6, 1);
    avz_assert_near(end.x, 0.6, EPS);
    avz_assert_near(end.y, 0, EPS);
    avz_vec2 mid = cubic_at(wp->segs[0].p[0], &wp->segs[1], 0.5); /* clockwise: through 45° */
    avz_assert_near(mid.x, 0.6 * cos(AVZ_PI / 4), 1e-12);
    avz_assert_near(mid.y, 0.6 * sin(AVZ_PI / 4), 1e-12);
    double r45 = cos(AVZ_PI / 4);
    expect_box(avz_bounds(s, top), (avz_bbox){-r45, 1.6 + r45, r45, 1.6 + 1.0}, 1e-12);
    /* The shape as it was given. */
    expect_box(avz_bounds(s, shape), tri_box, 0);
    assert_int_equal(only_path(s, shape)->count, 4);
    avz_assert_near(only_path(s, shape)->segs[0].p[0].x, 3.5, 0);
    {
        avz_scene *bad = new_scene();
        assert_int_equal(avz_circle(bad, 0, avz_stroke_style(AVZ_WHITE, 4)), AVZ_NONE);
        assert_int_equal(avz_scene_status(bad, NULL), -EINVAL);
        avz_scene_free(bad);
        bad = new_scene();
        assert_int_equal(avz_arc(bad, 1, 0, NAN, AVZ_WHITE, 4), AVZ_NONE);
        assert_int_equal(avz_scene_status(bad, NULL), -EINVAL);
        avz_scene_free(bad);
    }

    cairo_surface_t *img =
        render_still(s, avz_group(s, circle, arc, cw, top, shape), SMALL_W, SMALL_H);
    rgb inside = pixel_at(img, c0); /* half the teal on black */
    assert_true(abs(inside.g - (int)lround(0.5 * AVZ_TEAL.g * 255)) <= 3);
    assert_false(lit_at(img, AVZ_V(c0.x + 1.2 * 1.3, c0.y)));
    assert_true(lit_at(img, AVZ_V(-1.2, 0)));                /* the arc's 180° */
    assert_false(lit_at(img, AVZ_V(1.2 * r45, -1.2 * r45))); /* not its 315° */
    assert_false(lit_at(img, AVZ_V(0, 0)));                  /* stroked only */
    expect_pixel_color(img, AVZ_V(4.5, -0.5), AVZ_PURPLE);   /* inside the shape */
    expect_reference(img, "circle_arc_shape");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* ── Text on a baseline ──────────────────────────────────────────────────────────────── */

static void text_at_stands_on_its_baseline(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    const double size = 48, base = 1.0;
    const char *words[] = {"gap", "Hi", "xyz"};
    const double xs[] = {-5, 0, 5};
    const avz_vec2 anchors[] = {AVZ_LEFT, AVZ_ORIGIN, AVZ_RIGHT};
    avz_id ids[3];
    for (int i = 0; i < 3; i++)
        ids[i] = avz_text_at(s, words[i], size, AVZ_WHITE, 0, AVZ_V(xs[i], base), anchors[i]);
    /* With AVZ_TEXT_MIDDLE a capital centres on at.y. */
    avz_id mid = avz_text_at(s, "Hg", size, AVZ_YELLOW, AVZ_TEXT_MIDDLE, AVZ_V(-3, -1.5), AVZ_LEFT);
    avz_id bold = avz_text_at(s, "Hi", size, AVZ_ORANGE, AVZ_TEXT_BOLD, AVZ_V(3, -1.5), AVZ_RIGHT);
    /* Guides: the baseline, the anchors, the middle line. */
    avz_id guides = avz_group(s, avz_line(s, AVZ_V(-6.5, base), AVZ_V(6.5, base), AVZ_RED, 2),
                              avz_line(s, AVZ_V(-6.5, -1.5), AVZ_V(6.5, -1.5), AVZ_RED, 2));
    for (int i = 0; i < 3; i++)
        avz_group_add(s, guides,
                      avz_line(s, AVZ_V(xs[i], base - 0.6), AVZ_V(xs[i], base + 1.2), AVZ_BLUE, 2));
    for (int i = 0; i < 2; i++)
        avz_group_add(s, guides,
                      avz_line(s, AVZ_V(i ? 3 : -3, -2.1), AVZ_V(i ? 3 : -3, -0.6), AVZ_BLUE, 2));
    expect_ok(s);

    /* A capital's height: Liberation Serif's H is 1341/2048 em. */
    avz_text_metrics hm = avz_measure_text(s, "H", size, 0);
    avz_assert_near(hm.cap_height, 1341.0 / 2048 * size / 72, 1e-3);
    avz_assert_near(hm.ascent, hm.cap_height, 1e-3);
    avz_assert_near(hm.descent, 0, 1e-3);
    for (int i = 0; i < 3; i++) {
        avz_text_metrics m = avz_measure_text(s, words[i], size, 0);
        avz_bbox b = avz_bounds(s, ids[i]);
        /* Measured as drawn: the same width and reach about the baseline. */
        avz_assert_near(avz_width(s, ids[i]), m.width, EPS);
        avz_assert_near(b.y0, base - m.descent, EPS);
        avz_assert_near(b.y1, base + m.ascent, EPS);
        /* The anchor's point of the ink at at.x: left end, middle, right end. */
        double x = anchors[i].x < 0 ? b.x0 : anchors[i].x > 0 ? b.x1 : (b.x0 + b.x1) / 2;
        avz_assert_near(x, xs[i], EPS);
        expect_color(style_of(s, ids[i])->fill, AVZ_WHITE);
    }
    /* "g", "p" and "y" reach below the line, "Hi" does not. */
    assert_true(avz_measure_text(s, "gap", size, 0).descent > 0.1);
    assert_true(avz_measure_text(s, "xyz", size, 0).descent > 0.1);
    avz_assert_near(avz_bounds(s, ids[1]).y0, base, 1e-3);
    /* The pen starts at x = 0: the ink's left end is the first glyph's bearing. */
    avz_text_metrics hi = avz_measure_text(s, "Hi", size, 0);
    assert_true(hi.left >= 0 && hi.left < 0.1);
    /* Middle: the baseline half a capital below at.y. */
    avz_assert_near(avz_bounds(s, mid).x0, -3, EPS);
    avz_assert_near(baseline_of(s, mid, "Hg", size, 0), -1.5 - hm.cap_height / 2, EPS);
    /* Bold measures as bold, and wider than regular. */
    avz_text_metrics bm = avz_measure_text(s, "Hi", size, AVZ_TEXT_BOLD);
    avz_assert_near(avz_width(s, bold), bm.width, EPS);
    assert_true(bm.width > hi.width + 0.01);
    avz_assert_near(avz_bounds(s, bold).x1, 3, EPS);
    avz_assert_near(avz_bounds(s, bold).y0, -1.5, 1e-3);
    /* An empty text measures nothing. */
    avz_text_metrics none = avz_measure_text(s, "", size, 0);
    avz_assert_near(none.width, 0, 0);

    cairo_surface_t *img =
        render_still(s, avz_group(s, guides, ids[0], ids[1], ids[2], mid, bold), WIDE_W, WIDE_H);
    expect_reference(img, "text_at");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* ── Drawing order ───────────────────────────────────────────────────────────────────── */

static avz_id filled_square(avz_scene *s, avz_color c, avz_vec2 at) {
    avz_id sq = avz_square(s, 1.5, avz_box_style(c, 1.0, 0));
    avz_move_to(s, sq, at);
    return sq;
}

static void set_z_draws_later_nodes_under_earlier_ones(void **state) {
    (void)state;
    avz_scene *s = new_scene();
    /* By default a later node covers an earlier one. */
    avz_id a = filled_square(s, AVZ_RED, AVZ_V(-5, 1.5));
    avz_id b = filled_square(s, AVZ_BLUE, AVZ_V(-4.2, 1.0));
    /* Lowered: the later one goes under. */
    avz_id c = filled_square(s, AVZ_RED, AVZ_V(-1, 1.5));
    avz_id d = filled_square(s, AVZ_BLUE, AVZ_V(-0.2, 1.0));
    avz_set_z(s, d, -1);
    /* Raised: an earlier node stays above nodes made after it. */
    avz_id e = filled_square(s, AVZ_GREEN, AVZ_V(3, 1.5));
    avz_set_z(s, e, 1);
    avz_id f = filled_square(s, AVZ_BLUE, AVZ_V(3.8, 1.0));
    /* A group's leaves all move: a group of two under the square made before it. */
    avz_id g = filled_square(s, AVZ_YELLOW, AVZ_V(-3, -1.5));
    avz_id pair = avz_group(s, filled_square(s, AVZ_PURPLE, AVZ_V(-2.2, -2.0)),
                            filled_square(s, AVZ_TEAL, AVZ_V(-3.8, -2.0)));
    avz_set_z(s, pair, -2);
    /* Equal z: creation order again. */
    avz_id h = filled_square(s, AVZ_ORANGE, AVZ_V(2, -1.5));
    avz_id i = filled_square(s, AVZ_PURPLE, AVZ_V(2.8, -2.0));
    avz_set_z(s, h, 3);
    avz_set_z(s, i, 3);
    expect_ok(s);
    assert_int_equal(s->nodes[avz_group_member(s, pair, 1)].z, -2);
    assert_int_equal(s->nodes[pair].z, 0); /* only leaves have a z */

    cairo_surface_t *img =
        render_still(s, avz_group(s, a, b, c, d, e, f, g, pair, h, i), SMALL_W, SMALL_H);
    expect_pixel_color(img, AVZ_V(-4.6, 1.25), AVZ_BLUE);    /* b over a */
    expect_pixel_color(img, AVZ_V(-0.6, 1.25), AVZ_RED);     /* c over d */
    expect_pixel_color(img, AVZ_V(3.4, 1.25), AVZ_GREEN);    /* e over f */
    expect_pixel_color(img, AVZ_V(-2.6, -1.75), AVZ_YELLOW); /* g over the pair */
    expect_pixel_color(img, AVZ_V(-3.4, -1.75), AVZ_YELLOW);
    expect_pixel_color(img, AVZ_V(2.4, -1.75), AVZ_PURPLE); /* i over h */
    /* What lies under nothing shows its own colour. */
    expect_pixel_color(img, AVZ_V(-0.1, 0.5), AVZ_BLUE);
    expect_reference(img, "z_order");
    cairo_surface_destroy(img);
    avz_scene_free(s);
}

/* ── The tolerance itself ────────────────────────────────────────────────────────────── */

/* The comparison passes what antialiasing changes and fails what a test is for: the token
 * cards drawn an eighth of a pixel off pass; one label a pixel lower, one grey instead of
 * white, or a card left out, fail. */
static void tolerance_admits_antialiasing_only(void **state) {
    (void)state;
    const char *tokens[] = {"gap", "Hi", "xyz", "Tokyo"};
    const avz_color hues[] = {AVZ_RED, AVZ_GREEN, AVZ_BLUE, AVZ_PURPLE};
    const double px = AVZ_FRAME_HEIGHT / WIDE_H;
    avz_card_spec spec = avz_card_tinted(40, AVZ_TEAL);
    enum { SAME, EIGHTH, LOWER, GREY, MISSING, VARIANTS };
    cairo_surface_t *img[VARIANTS];
    for (int k = 0; k < VARIANTS; k++) {
        avz_scene *s = new_scene();
        avz_id row = avz_token_row(s, tokens, k == MISSING ? 3 : 4, &spec, hues, 0.3);
        avz_shift(s, row, AVZ_V(0, 1.2));
        avz_id label = avz_group_member(s, avz_group_member(s, row, 1), 1);
        if (k == EIGHTH) /* the whole frame, right and down */
            avz_shift(s, row, AVZ_V(px / 8, -px / 8));
        if (k == LOWER)
            avz_shift(s, label, AVZ_V(0, -px));
        if (k == GREY)
            avz_set_fill(s, label, AVZ_GRAY, 1);
        img[k] = render_still(s, row, WIDE_W, WIDE_H);
        avz_scene_free(s);
    }
    image_diff d[VARIANTS];
    for (int k = 0; k < VARIANTS; k++)
        d[k] = compare_images(img[k], img[SAME], NULL);
    printf("an eighth of a pixel: mean %.4f, off %.5f; a label a pixel lower: mean %.4f, off "
           "%.5f; grey: mean %.4f, off %.5f; a card left out: mean %.4f, off %.5f\n",
           d[EIGHTH].mean, d[EIGHTH].bad, d[LOWER].mean, d[LOWER].bad, d[GREY].mean, d[GREY].bad,
           d[MISSING].mean, d[MISSING].bad);
    avz_assert_near(d[SAME].mean, 0, 0);
    assert_true(d[EIGHTH].mean <= MAX_MEAN && d[EIGHTH].bad <= MAX_BAD);
    for (int k = LOWER; k < VARIANTS; k++)
        assert_true(d[k].mean > MAX_MEAN || d[k].bad > MAX_BAD);
    for (int k = 0; k < VARIANTS; k++)
        cairo_surface_destroy(img[k]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_cards_share_a_baseline_and_a_height),
        cmocka_unit_test(labelled_box_centres_its_label),
        cmocka_unit_test(bar_chart_lengths_follow_the_values),
        cmocka_unit_test(bar_chart_grows_from_its_axis),
        cmocka_unit_test(connectors_route_straight_l_and_z),
        cmocka_unit_test(straight_connectors_are_one_leg),
        cmocka_unit_test(circle_arc_and_shape),
        cmocka_unit_test(text_at_stands_on_its_baseline),
        cmocka_unit_test(set_z_draws_later_nodes_under_earlier_ones),
        cmocka_unit_test(tolerance_admits_antialiasing_only),
    };
    return cmocka_run_group_tests(tests, images_setup, avz_test_close_fonts);
}
