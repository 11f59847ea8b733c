/* attnviz grids: see grid.h. Built from the public scene API, and scene.c's check of the
 * arguments a call needs. */
#include "attnviz/grid.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "scene_internal.h"

/* What a grid function reads when given no grid: one of no cells at the origin, as free(NULL)
 * is nothing (these have no scene to report to). */
static const avz_grid no_grid;
#define GRID_OR_NONE(g) ((g) ? (g) : &no_grid)

/* ── Geometry ──────────────────────────────────────────────────────────────────────── */

avz_grid avz_grid_at(avz_vec2 center, int rows, int cols, double col_w, double row_h) {
    return (avz_grid){
        center.x - cols * col_w / 2, center.y + rows * row_h / 2, col_w, row_h, rows, cols};
}

avz_grid avz_grid_moved(const avz_grid *g, avz_vec2 center) {
    g = GRID_OR_NONE(g);
    return avz_grid_at(center, g->rows, g->cols, g->col_w, g->row_h);
}

avz_vec2 avz_grid_cell(const avz_grid *g, int r, int c) {
    g = GRID_OR_NONE(g);
    return AVZ_V(g->left + (c + 0.5) * g->col_w, g->top - (r + 0.5) * g->row_h);
}

double avz_grid_width(const avz_grid *g) {
    g = GRID_OR_NONE(g);
    return g->cols * g->col_w;
}

double avz_grid_height(const avz_grid *g) {
    g = GRID_OR_NONE(g);
    return g->rows * g->row_h;
}

avz_vec2 avz_grid_center(const avz_grid *g) {
    g = GRID_OR_NONE(g);
    return AVZ_V(g->left + avz_grid_width(g) / 2, g->top - avz_grid_height(g) / 2);
}

avz_bbox avz_grid_bounds(const avz_grid *g, double pad) {
    g = GRID_OR_NONE(g);
    avz_bbox box = {g->left, g->top - avz_grid_height(g), g->left + avz_grid_width(g), g->top};
    return avz_bbox_grow(box, pad);
}

avz_bbox avz_grid_row_bounds(const avz_grid *g, int r, double pad) {
    g = GRID_OR_NONE(g);
    avz_grid row = {g->left, g->top - r * g->row_h, g->col_w, g->row_h, 1, g->cols};
    return avz_grid_bounds(&row, pad);
}

avz_bbox avz_grid_col_bounds(const avz_grid *g, int c, double pad) {
    g = GRID_OR_NONE(g);
    avz_grid col = {g->left + c * g->col_w, g->top, g->col_w, g->row_h, g->rows, 1};
    return avz_grid_bounds(&col, pad);
}

avz_bbox avz_grid_cell_bounds(const avz_grid *g, int r, int c, double pad) {
    g = GRID_OR_NONE(g);
    avz_grid cell = {g->left + c * g->col_w, g->top - r * g->row_h, g->col_w, g->row_h, 1, 1};
    return avz_grid_bounds(&cell, pad);
}

/* ── Numbers ───────────────────────────────────────────────────────────────────────── */

void avz_format_number(double v, int decimals, char *buf, size_t size) {
    if (!buf || !size)
        return;
    double unit = pow(10.0, decimals), r = round(v * unit) / unit;
    if (r < 0.0)
        snprintf(buf, size, "\xE2\x88\x92%.*f", decimals, -r);
    else
        snprintf(buf, size, "%.*f", decimals, fabs(r));
}

void avz_format_significant(double v, int digits, char *buf, size_t size) {
    if (!buf || !size)
        return;
    double magnitude = fabs(v);
    int most = magnitude > 0 ? (int)fmax(0.0, digits - 1 - floor(log10(magnitude))) : 0;
    int decimals = 0;
    while (decimals < most && fabs(v * pow(10, decimals) - round(v * pow(10, decimals))) > 1e-9)
        decimals++;
    avz_format_number(v, decimals, buf, size);
}

avz_number_format avz_fit_numbers(double column_width, bool negative) {
    /* Ink widths of "0.00" and "0.0" in em of Liberation Serif, a minus, and a margin. */
    const double two = 1.8, one = 1.3, minus = 0.55, margin = 0.08;
    const double legible = 10.0, largest = 13.0;
    double room = (column_width - margin) * 72.0, sign = negative ? minus : 0.0;
    if (room / (two + sign) >= legible)
        return (avz_number_format){fmin(largest, room / (two + sign)), 2};
    return (avz_number_format){fmin(largest, room / (one + sign)), 1};
}

avz_id avz_number(avz_scene *s, double v, avz_number_format fmt, avz_color color, avz_vec2 at) {
    char buf[32];
    avz_format_number(v, fmt.decimals, buf, sizeof buf);
    avz_id text = avz_text(s, buf, fmt.font_size, color);
    avz_move_to(s, text, at);
    return text;
}

/* ── Axis labels ───────────────────────────────────────────────────────────────────── */

static avz_color label_color(const avz_axis_labels *l, int i) {
    return l->colors ? l->colors[i] : l->color;
}

/* Whether a labels call may go on: g and l given, and a text for each of n rows or columns
 * when it has texts. */
static bool labels_given(avz_scene *s, const char *fn, const avz_grid *g, const avz_axis_labels *l,
                         bool rows) {
    if (!avz_scene_need(s, fn, "g", g) || !avz_scene_need(s, fn, "labels", l))
        return false;
    int n = rows ? g->rows : g->cols;
    return avz_scene_need_each(s, fn, "labels->texts", l->texts, n > 0 ? (size_t)n : 0);
}

avz_id avz_row_labels(avz_scene *s, const avz_grid *g, const avz_axis_labels *l) {
    if (!labels_given(s, "avz_row_labels", g, l, true))
        return AVZ_NONE;
    avz_id labels = avz_group_new(s);
    for (int r = 0; l->texts && r < g->rows; r++) {
        /* A capital centred on the row: every row's names stand alike. */
        avz_vec2 at = {g->left - l->gap, avz_grid_cell(g, r, 0).y};
        avz_group_add(s, labels,
                      avz_text_at(s, l->texts[r], l->font_size, label_color(l, r), AVZ_TEXT_MIDDLE,
                                  at, AVZ_RIGHT));
    }
    return labels;
}

avz_id avz_col_labels(avz_scene *s, const avz_grid *g, const avz_axis_labels *l) {
    if (!labels_given(s, "avz_col_labels", g, l, false))
        return AVZ_NONE;
    avz_id labels = avz_group_new(s);
    for (int c = 0; l->texts && c < g->cols; c++) {
        double x = avz_grid_cell(g, 0, c).x, base = g->top + l->gap;
        if (!l->tilt) {
            avz_group_add(s, labels,
                          avz_text_at(s, l->texts[c], l->font_size, label_color(l, c), 0,
                                      AVZ_V(x, base), AVZ_ORIGIN));
            continue;
        }
        /* Tilted names start over their column and rise to the right, all at one angle: set
         * with the start of the baseline at the origin, turned about it, then moved there. */
        avz_id label =
            avz_text_at(s, l->texts[c], l->font_size, label_color(l, c), 0, AVZ_ORIGIN, AVZ_LEFT);
        avz_vec2 m = avz_center(s, label); /* avz_rotate turns about the centre */
        avz_rotate(s, label, l->tilt);
        double cs = cos(l->tilt), sn = sin(l->tilt);
        avz_vec2 start = {m.x - (m.x * cs - m.y * sn), m.y - (m.x * sn + m.y * cs)};
        avz_shift(s, label, AVZ_V(x - start.x, base - start.y));
        avz_group_add(s, labels, label);
    }
    return labels;
}

/* ── Matrix panel ──────────────────────────────────────────────────────────────────── */

/* The row and column labels a panel or heatmap asks for, added to its group. */
static void axis_labels(avz_scene *s, const avz_grid *g, const avz_axis_labels *rows,
                        const avz_axis_labels *cols, avz_id group, avz_id *row_out,
                        avz_id *col_out) {
    if (rows->texts) {
        *row_out = avz_row_labels(s, g, rows);
        avz_group_add(s, group, *row_out);
    }
    if (cols->texts) {
        *col_out = avz_col_labels(s, g, cols);
        avz_group_add(s, group, *col_out);
    }
}

/* Whether values, `stride` apart, can hold grid g's cells (none needed for no cells): no
 * negative size, no more cells than a scene holds nodes, rows that do not run into each
 * other, and every value a finite number. Latches fn's error otherwise. */
static bool values_fit(avz_scene *s, const char *fn, const avz_grid *g, const double *values,
                       int stride) {
    if (g->rows < 0 || g->cols < 0)
        return avz_scene_fail(s, -EINVAL, "%s: a grid of %d x %d cells", fn, g->rows, g->cols),
               false;
    if ((long long)g->rows * g->cols > AVZ_SCENE_MAX_NODES)
        return avz_scene_fail(s, -EINVAL, "%s: a grid of %d x %d cells; a scene holds at most %d",
                              fn, g->rows, g->cols, AVZ_SCENE_MAX_NODES),
               false;
    if (g->rows && g->cols && !avz_scene_need(s, fn, "spec->values", values))
        return false;
    if (g->rows > 1 && stride < g->cols)
        return avz_scene_fail(s, -EINVAL, "%s: stride %d is less than the grid's %d columns", fn,
                              stride, g->cols),
               false;
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++)
            if (!isfinite(values[(long)r * stride + c]))
                return avz_scene_fail(s, -EINVAL, "%s: the value at row %d, column %d is %g", fn, r,
                                      c, values[(long)r * stride + c]),
                       false;
    return true;
}

avz_matrix avz_matrix_panel(avz_scene *s, const avz_matrix_spec *spec) {
    avz_matrix m = {.group = AVZ_NONE,
                    .frame = AVZ_NONE,
                    .numbers = AVZ_NONE,
                    .label = AVZ_NONE,
                    .row_labels = AVZ_NONE,
                    .col_labels = AVZ_NONE};
    if (!avz_scene_need(s, "avz_matrix_panel", "spec", spec) ||
        !values_fit(s, "avz_matrix_panel", &spec->grid, spec->values, spec->stride))
        return m;
    const avz_grid *g = &spec->grid;
    m.grid = *g;
    bool negative = false;
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++)
            negative = negative || spec->values[r * spec->stride + c] < 0;
    avz_number_format fmt =
        spec->numbers.font_size > 0 ? spec->numbers : avz_fit_numbers(g->col_w, negative);

    m.frame =
        avz_rect(s, avz_grid_width(g), avz_grid_height(g), avz_box_style(spec->accent, 0.08, 1.5));
    avz_move_to(s, m.frame, avz_grid_center(g));
    m.numbers = avz_group_new(s);
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++)
            avz_group_add(s, m.numbers,
                          avz_number(s, spec->values[r * spec->stride + c], fmt, AVZ_WHITE,
                                     avz_grid_cell(g, r, c)));
    m.group = avz_group(s, m.frame, m.numbers);
    if (spec->label_tex) {
        m.label = avz_group(s, avz_math(s, spec->label_tex, 26, spec->accent));
        if (spec->show_size) {
            char size[32];
            snprintf(size, sizeof size, "%d \xC3\x97 %d", g->rows, g->cols);
            avz_group_add(s, m.label, avz_text(s, size, 13, AVZ_GRAY));
            avz_arrange(s, m.label, AVZ_RIGHT, 0.15, AVZ_ORIGIN);
        }
        avz_next_to(s, m.label, m.frame, AVZ_UP, 0.15);
        avz_group_add(s, m.group, m.label);
    }
    axis_labels(s, g, &spec->rows, &spec->cols, m.group, &m.row_labels, &m.col_labels);
    return m;
}

avz_id avz_matrix_number(const avz_scene *s, const avz_matrix *m, int row, int col) {
    if (!m)
        return AVZ_NONE;
    return avz_group_member(s, m->numbers, (size_t)(row * m->grid.cols + col));
}

/* ── Heatmap ───────────────────────────────────────────────────────────────────────── */

avz_color avz_heatmap_color(const avz_heatmap *h, double value) {
    if (!h)
        return avz_ramp_at(NULL, 0);
    return avz_ramp_value(h->ramp, value, h->lo, h->hi);
}

avz_heatmap avz_heatmap_new(avz_scene *s, const avz_heatmap_spec *spec) {
    const char *fn = "avz_heatmap_new";
    avz_heatmap h = {.ramp = &avz_ramp_sequential,
                     .group = AVZ_NONE,
                     .cells = AVZ_NONE,
                     .numbers = AVZ_NONE,
                     .row_labels = AVZ_NONE,
                     .col_labels = AVZ_NONE};
    if (!avz_scene_need(s, fn, "spec", spec) ||
        !values_fit(s, fn, &spec->grid, spec->values, spec->stride))
        return h;
    const avz_grid *g = &spec->grid;
    if (!isfinite(spec->lo) || !isfinite(spec->hi))
        return avz_scene_fail(s, -EINVAL, "%s: the range %g to %g is not of numbers", fn, spec->lo,
                              spec->hi),
               h;
    if (spec->ramp && (!spec->ramp->stops || spec->ramp->count < 2))
        return avz_scene_fail(s, -EINVAL, "%s: a ramp needs at least 2 colours, not %zu", fn,
                              spec->ramp->stops ? spec->ramp->count : 0),
               h;
    if (spec->lo == spec->hi && !(g->rows && g->cols)) {
        avz_scene_fail(s, -EINVAL,
                       "%s: a %d x %d grid has no values to take the range from (give lo < hi)", fn,
                       g->rows, g->cols);
        return h;
    }
    h.grid = *g;
    h.ramp = spec->ramp ? spec->ramp : &avz_ramp_sequential;
    h.lo = spec->lo;
    h.hi = spec->hi;
    if (h.lo == h.hi) {
        h.lo = h.hi = spec->values[0];
        for (int r = 0; r < g->rows; r++)
            for (int c = 0; c < g->cols; c++) {
                h.lo = fmin(h.lo, spec->values[r * spec->stride + c]);
                h.hi = fmax(h.hi, spec->values[r * spec->stride + c]);
            }
    }
    double opacity = spec->fill_opacity > 0 ? spec->fill_opacity : 0.9;
    h.side = fmin(g->col_w, g->row_h) - spec->gap;
    h.cells = avz_group_new(s);
    if (spec->numbers.font_size > 0)
        h.numbers = avz_group_new(s);
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++) {
            double v = spec->values[r * spec->stride + c];
            avz_color fill = avz_heatmap_color(&h, v);
            avz_style style = {fill, opacity, spec->stroke, 1.0, spec->stroke_width};
            avz_id cell = avz_square(s, h.side, style);
            avz_move_to(s, cell, avz_grid_cell(g, r, c));
            avz_group_add(s, h.cells, cell);
            if (h.numbers != AVZ_NONE)
                avz_group_add(
                    s, h.numbers,
                    avz_number(s, v, spec->numbers, avz_ink_on(fill), avz_grid_cell(g, r, c)));
        }
    h.group = avz_group(s, h.cells);
    if (h.numbers != AVZ_NONE)
        avz_group_add(s, h.group, h.numbers);
    axis_labels(s, g, &spec->rows, &spec->cols, h.group, &h.row_labels, &h.col_labels);
    return h;
}

avz_id avz_heatmap_cell(const avz_scene *s, const avz_heatmap *h, int row, int col) {
    if (!h)
        return AVZ_NONE;
    return avz_group_member(s, h->cells, (size_t)(row * h->grid.cols + col));
}

avz_id avz_heatmap_number(const avz_scene *s, const avz_heatmap *h, int row, int col) {
    if (!h)
        return AVZ_NONE;
    return avz_group_member(s, h->numbers, (size_t)(row * h->grid.cols + col));
}

avz_id avz_heatmap_highlight(avz_scene *s, const avz_heatmap *h, int row, int col, double pad,
                             avz_color color, double stroke_width) {
    if (!avz_scene_need(s, "avz_heatmap_highlight", "h", h))
        return AVZ_NONE;
    avz_vec2 c = avz_grid_cell(&h->grid, row, col);
    double half = h->side / 2 + pad;
    return avz_outline(s, (avz_bbox){c.x - half, c.y - half, c.x + half, c.y + half}, color,
                       stroke_width);
}

/* ── KV cache ──────────────────────────────────────────────────────────────────────── */

/* The centre of row r's square for token t. */
static avz_vec2 kv_square_at(const avz_kv_cache_spec *k, int row, int token) {
    bool across = k->grow.x != 0;
    double along = token * k->pitch, down = row * k->row_pitch;
    return across ? AVZ_V(k->first.x + along, k->first.y - down)
                  : AVZ_V(k->first.x + down, k->first.y - along);
}

avz_kv_cache avz_kv_cache_new(avz_scene *s, const avz_kv_cache_spec *spec) {
    if (!avz_scene_need(s, "avz_kv_cache_new", "spec", spec))
        return (avz_kv_cache){.group = AVZ_NONE, .labels = AVZ_NONE};
    avz_kv_cache kv = {.spec = *spec, .group = avz_group_new(s), .labels = AVZ_NONE};
    kv.spec.colors = NULL; /* the caller's; growing reads the copy */
    if (spec->rows < 0 || spec->rows > AVZ_KV_CACHE_MAX_ROWS || (spec->rows && !spec->colors)) {
        if (spec->rows && !spec->colors)
            avz_scene_fail(s, -EINVAL, "a KV cache of %d rows without colours", spec->rows);
        else
            avz_scene_fail(s, -EINVAL, "a KV cache of %d rows (it may have 0 to %d)", spec->rows,
                           AVZ_KV_CACHE_MAX_ROWS);
        kv.spec.rows = 0; /* growing then makes nothing */
        return kv;
    }
    /* Given row labels are one per row: a NULL among them is refused, not laid out. */
    if (!avz_scene_need_each(s, "avz_kv_cache_new", "spec->row_labels", spec->row_labels,
                             (size_t)spec->rows)) {
        kv.spec.rows = 0;
        return kv;
    }
    for (int r = 0; r < spec->rows; r++)
        kv.colors[r] = spec->colors[r];
    if (kv.spec.row_pitch <= 0)
        kv.spec.row_pitch = kv.spec.pitch;
    if (!spec->row_labels && !spec->title)
        return kv;
    kv.labels = avz_group_new(s);
    for (int r = 0; spec->row_labels && r < spec->rows; r++) {
        avz_vec2 at = kv_square_at(&kv.spec, r, 0);
        at.x -= spec->side / 2 + spec->label_gap;
        avz_group_add(s, kv.labels,
                      avz_text_at(s, spec->row_labels[r], spec->label_size, kv.colors[r],
                                  AVZ_TEXT_MIDDLE, at, AVZ_RIGHT));
    }
    if (spec->title) {
        avz_vec2 top = kv_square_at(&kv.spec, 0, 0);
        avz_vec2 base = {(top.x + kv_square_at(&kv.spec, spec->rows - 1, 0).x) / 2,
                         top.y + spec->side / 2 + spec->title_gap};
        avz_group_add(s, kv.labels,
                      avz_text_at(s, spec->title, spec->label_size, AVZ_GRAY, 0, base, AVZ_ORIGIN));
    }
    avz_group_add(s, kv.group, kv.labels);
    return kv;
}

avz_id avz_kv_cache_grow(avz_scene *s, avz_kv_cache *kv) {
    if (!avz_scene_need(s, "avz_kv_cache_grow", "kv", kv))
        return AVZ_NONE;
    /* A cache the caller filled in by hand may claim more rows than it has colours for. */
    if (kv->spec.rows < 0 || kv->spec.rows > AVZ_KV_CACHE_MAX_ROWS)
        return avz_scene_fail(s, -EINVAL, "avz_kv_cache_grow: a KV cache of %d rows",
                              kv->spec.rows),
               AVZ_NONE;
    const avz_kv_cache_spec *k = &kv->spec;
    avz_id token = avz_group_new(s);
    for (int r = 0; r < k->rows; r++) {
        avz_id square =
            avz_square(s, k->side, avz_box_style(kv->colors[r], k->fill_opacity, k->stroke_width));
        avz_move_to(s, square, kv_square_at(k, r, kv->tokens));
        avz_group_add(s, token, square);
    }
    kv->tokens++;
    avz_group_add(s, kv->group, token);
    return token;
}
