/* attnviz figures: see figures.h. Built from the public scene API, and scene.c's check of
 * the arguments a call needs. */
#include "attnviz/figures.h"

#include <errno.h>
#include <math.h>

#include "scene_internal.h"

/* ── Boxes ─────────────────────────────────────────────────────────────────────────── */

avz_id avz_labelled_box(avz_scene *s, const char *label, const avz_box_spec *spec) {
    if (!avz_scene_need(s, "avz_labelled_box", "label", label) ||
        !avz_scene_need(s, "avz_labelled_box", "spec", spec))
        return AVZ_NONE;
    avz_id box = spec->radius > 0
                     ? avz_round_rect(s, spec->width, spec->height, spec->radius, spec->style)
                     : avz_rect(s, spec->width, spec->height, spec->style);
    avz_id text = avz_text_ex(s, label, spec->font_size, spec->text, spec->text_flags);
    return avz_group(s, box, text);
}

/* ── Tokens ────────────────────────────────────────────────────────────────────────── */

avz_card_spec avz_card_tinted(double font_size, avz_color hue) {
    return (avz_card_spec){.font_size = font_size,
                           .text = AVZ_WHITE,
                           .fill = hue,
                           .stroke = hue,
                           .fill_opacity = 0.25,
                           .stroke_width = 2.0,
                           .pad_x = 0.45,
                           .pad_y = 0.35,
                           .radius = 0.2};
}

static double em_of(const avz_card_spec *spec) {
    return spec->font_size / 72.0;
}

double avz_token_card_width(avz_scene *s, const char *token, const avz_card_spec *spec) {
    if (!avz_scene_need(s, "avz_token_card_width", "token", token) ||
        !avz_scene_need(s, "avz_token_card_width", "spec", spec))
        return 0;
    return avz_measure_text(s, token, spec->font_size, spec->text_flags).width +
           2 * spec->pad_x * em_of(spec);
}

/* A card of the given colours with its box centred on the origin and a capital of its label
 * centred in the box: the height and the baseline depend on the font, not the letters. */
static avz_id card(avz_scene *s, const char *token, const avz_card_spec *spec, avz_color fill,
                   avz_color stroke) {
    double em = em_of(spec);
    avz_text_metrics m = avz_measure_text(s, token, spec->font_size, spec->text_flags);
    avz_style style = {fill, spec->fill_opacity, stroke, 1.0, spec->stroke_width};
    /* The box comes first, to lie under its label in the drawing order. */
    avz_id box = avz_round_rect(s, m.width + 2 * spec->pad_x * em,
                                m.cap_height + 2 * spec->pad_y * em, spec->radius * em, style);
    avz_id label = avz_text_at(s, token, spec->font_size, spec->text,
                               spec->text_flags | AVZ_TEXT_MIDDLE, AVZ_ORIGIN, AVZ_ORIGIN);
    return avz_group(s, box, label);
}

avz_id avz_token_card(avz_scene *s, const char *token, const avz_card_spec *spec) {
    if (!avz_scene_need(s, "avz_token_card", "token", token) ||
        !avz_scene_need(s, "avz_token_card", "spec", spec))
        return AVZ_NONE;
    return card(s, token, spec, spec->fill, spec->stroke);
}

avz_id avz_token_row(avz_scene *s, const char *const *tokens, size_t count,
                     const avz_card_spec *spec, const avz_color *hues, double gap) {
    if ((count && !avz_scene_need(s, "avz_token_row", "tokens", tokens)) ||
        !avz_scene_need_each(s, "avz_token_row", "tokens", tokens, count) ||
        !avz_scene_need(s, "avz_token_row", "spec", spec))
        return AVZ_NONE;
    avz_id row = avz_group_new(s);
    double x = 0;
    for (size_t i = 0; i < count; i++) {
        avz_id c =
            card(s, tokens[i], spec, hues ? hues[i] : spec->fill, hues ? hues[i] : spec->stroke);
        /* Side by side by their boxes: shifting keeps every baseline where it is. */
        double w = avz_width(s, avz_group_member(s, c, 0));
        avz_shift(s, c, AVZ_V(x + w / 2, 0));
        x += w + gap;
        avz_group_add(s, row, c);
    }
    avz_shift(s, row, AVZ_V(-(x - gap) / 2, 0));
    return row;
}

/* ── Bar charts ────────────────────────────────────────────────────────────────────── */

avz_vec2 avz_bar_chart_base(const avz_bar_chart_spec *spec) {
    if (!spec)
        return AVZ_ORIGIN;
    return AVZ_V(-spec->grow.x, -spec->grow.y);
}

avz_bar_chart avz_bar_chart_new(avz_scene *s, const avz_bar_chart_spec *spec) {
    avz_bar_chart c = {AVZ_NONE, AVZ_NONE, AVZ_NONE, AVZ_NONE, AVZ_NONE};
    const char *fn = "avz_bar_chart_new";
    if (!avz_scene_need(s, fn, "spec", spec) ||
        (spec->count && !avz_scene_need(s, fn, "spec->values", spec->values)) ||
        !avz_scene_need_each(s, fn, "spec->labels", spec->labels, spec->count) ||
        !avz_scene_need_each(s, fn, "spec->end_labels", spec->end_labels, spec->count))
        return c;
    bool across = spec->grow.x != 0; /* horizontal bars, stacked downwards */
    double top = 0;
    for (size_t i = 0; i < spec->count; i++)
        top = fmax(top, spec->values[i]);
    double full = spec->max_value > 0 ? spec->max_value : top;
    double pitch = spec->thickness + spec->gap;
    /* Along the bars, and across them from one bar to the next. */
    avz_vec2 along = across ? AVZ_V(spec->grow.x, 0) : AVZ_V(0, spec->grow.y);
    avz_vec2 step = across ? AVZ_V(0, -pitch) : AVZ_V(pitch, 0);

    c.bars = avz_group_new(s);
    if (spec->labels)
        c.labels = avz_group_new(s);
    if (spec->end_labels)
        c.end_labels = avz_group_new(s);
    for (size_t i = 0; i < spec->count; i++) {
        double len = full > 0 ? spec->length * fmax(spec->values[i], 0) / full : 0;
        avz_vec2 base = {spec->axis.x + step.x * i, spec->axis.y + step.y * i};
        avz_vec2 end = {base.x + along.x * len, base.y + along.y * len};
        avz_color color = spec->colors ? spec->colors[i] : spec->color;
        avz_style style = {color, spec->fill_opacity, spec->stroke, 1.0, spec->stroke_width};
        avz_id bar = across ? avz_rect(s, len, spec->thickness, style)
                            : avz_rect(s, spec->thickness, len, style);
        avz_move_to(s, bar, AVZ_V((base.x + end.x) / 2, (base.y + end.y) / 2));
        avz_group_add(s, c.bars, bar);
        /* Beside horizontal bars a capital centres on the bar; under and over vertical ones the
         * labels stand on one baseline. */
        double gap = spec->label_size / 72.0 * 0.35, em = spec->label_size / 72.0;
        unsigned middle = across ? AVZ_TEXT_MIDDLE : 0;
        if (spec->labels) {
            avz_vec2 at = across ? AVZ_V(base.x - along.x * gap, base.y)
                                 : AVZ_V(base.x, base.y - along.y * (gap + em * 0.7));
            avz_group_add(s, c.labels,
                          avz_text_at(s, spec->labels[i], spec->label_size, spec->label_color,
                                      middle, at, across ? AVZ_V(spec->grow.x, 0) : AVZ_ORIGIN));
        }
        if (spec->end_labels) {
            avz_vec2 at =
                across ? AVZ_V(end.x + along.x * gap, end.y) : AVZ_V(end.x, end.y + along.y * gap);
            avz_group_add(s, c.end_labels,
                          avz_text_at(s, spec->end_labels[i], spec->label_size, spec->label_color,
                                      middle, at, across ? AVZ_V(-spec->grow.x, 0) : AVZ_ORIGIN));
        }
    }
    c.group = avz_group(s, c.bars);
    if (spec->show_axis && spec->count) {
        /* The axis runs across the bars' bases, half a pitch past the first and last. */
        avz_vec2 a = {spec->axis.x - step.x / 2, spec->axis.y - step.y / 2};
        double n = (double)spec->count;
        avz_vec2 b = {a.x + step.x * n, a.y + step.y * n};
        c.axis = avz_line(s, a, b, AVZ_LIGHT_GRAY, 2);
        avz_group_add(s, c.group, c.axis);
    }
    if (c.labels != AVZ_NONE)
        avz_group_add(s, c.group, c.labels);
    if (c.end_labels != AVZ_NONE)
        avz_group_add(s, c.group, c.end_labels);
    return c;
}

/* ── Connectors ────────────────────────────────────────────────────────────────────── */

avz_connector_spec avz_wire(avz_color color, double width) {
    return (avz_connector_spec){.color = color, .width = width, .bend = 0.5, .tip_length = 0.12};
}

static bool same_point(avz_vec2 a, avz_vec2 b) {
    return fabs(a.x - b.x) <= 1e-12 && fabs(a.y - b.y) <= 1e-12;
}

/* Whether b lies on the line through a and c (ahead of a, or doubling back). */
static bool in_line(avz_vec2 a, avz_vec2 b, avz_vec2 c) {
    double ux = b.x - a.x, uy = b.y - a.y, vx = c.x - b.x, vy = c.y - b.y;
    return fabs(ux * vy - uy * vx) <= 1e-12 * hypot(ux, uy) * hypot(vx, vy);
}

/* The legs: out along from_dir, then across, then in. Only corners are kept: a leg of no
 * length, or a point on a straight run (lined-up sides make a Z without its middle leg),
 * would split one line in two, and an arrow would draw its tip on the last piece alone. */
static size_t route(avz_vec2 from, avz_vec2 from_dir, avz_vec2 to, avz_vec2 to_dir,
                    const avz_connector_spec *spec, avz_vec2 pts[4]) {
    bool vertical = from_dir.y != 0;
    size_t n = 0;
    pts[n++] = from;
    if ((to_dir.y != 0) == vertical) {
        /* Facing (or both one way): a Z, its middle leg where the spec says. */
        double a = vertical ? from.y : from.x, b = vertical ? to.y : to.x;
        double dir = vertical ? to_dir.y : to_dir.x;
        double mid = spec->lead_in > 0 ? b + dir * spec->lead_in : a + (b - a) * spec->bend;
        pts[n++] = vertical ? AVZ_V(from.x, mid) : AVZ_V(mid, from.y);
        pts[n++] = vertical ? AVZ_V(to.x, mid) : AVZ_V(mid, to.y);
    } else {
        /* At right angles: an L. */
        pts[n++] = vertical ? AVZ_V(from.x, to.y) : AVZ_V(to.x, from.y);
    }
    pts[n++] = to;
    size_t kept = 1;
    for (size_t i = 1; i < n; i++) {
        if (kept >= 2 && in_line(pts[kept - 2], pts[kept - 1], pts[i]))
            kept--;
        if (!same_point(pts[kept - 1], pts[i]))
            pts[kept++] = pts[i];
    }
    return kept;
}

avz_id avz_connect_points(avz_scene *s, avz_vec2 from, avz_vec2 from_dir, avz_vec2 to,
                          avz_vec2 to_dir, const avz_connector_spec *spec) {
    if (!avz_scene_need(s, "avz_connect_points", "spec", spec))
        return AVZ_NONE;
    avz_vec2 pts[4];
    size_t n = route(from, from_dir, to, to_dir, spec, pts);
    if (n < 2)
        return avz_scene_fail(s, -EINVAL, "a connector from a point to itself"), AVZ_NONE;
    if (!spec->arrow)
        return avz_polyline(s, pts, n, spec->color, spec->width);
    /* The last leg carries the tip; the legs before it are a plain line. */
    avz_id head =
        avz_arrow(s, pts[n - 2], pts[n - 1], spec->color, spec->width, spec->tip_length, 0.0);
    if (n == 2)
        return head;
    return avz_group(s, avz_polyline(s, pts, n - 1, spec->color, spec->width), head);
}

avz_id avz_connect(avz_scene *s, avz_id a, avz_vec2 a_side, avz_id b, avz_vec2 b_side,
                   const avz_connector_spec *spec) {
    if (!avz_scene_need(s, "avz_connect", "spec", spec))
        return AVZ_NONE;
    return avz_connect_points(s, avz_edge(s, a, a_side), a_side, avz_edge(s, b, b_side), b_side,
                              spec);
}
