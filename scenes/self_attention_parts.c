/* Drawing pieces of the self-attention scene: token cards, number matrices, grids and the
 * heatmap's colours. Built only from the public scene API (attnviz/scene.h). */
#include "self_attention.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

avz_color sa_token_hue(int i, int n) {
    /* The palette's hues in wheel order, plus two of the original's (GOLD, PINK) to reach
     * eight; YELLOW is left out because the scene highlights with it. */
    const avz_color wheel[] = {
        AVZ_RED,    {0xF0 / 255.0, 0xAC / 255.0, 0x5F / 255.0}, AVZ_GREEN,  AVZ_TEAL, AVZ_BLUE,
        AVZ_PURPLE, {0xD1 / 255.0, 0x47 / 255.0, 0xBD / 255.0}, AVZ_ORANGE,
    };
    const int count = (int)(sizeof wheel / sizeof wheel[0]);
    return wheel[(i * count / n) % count];
}

avz_color sa_heat_color(double t) {
    const avz_color stops[] = {
        {0.04, 0.07, 0.10}, AVZ_DARK_BLUE, AVZ_BLUE, avz_color_lerp(AVZ_BLUE, AVZ_WHITE, 0.8)};
    const int last = (int)(sizeof stops / sizeof stops[0]) - 1;
    double x = fmin(fmax(t, 0.0), 1.0) * last;
    int i = x >= last ? last - 1 : (int)x;
    return avz_color_lerp(stops[i], stops[i + 1], x - i);
}

avz_color sa_heat_ink(double t) {
    return t > 0.55 ? AVZ_BLACK : AVZ_WHITE;
}

void sa_format(double v, int decimals, char *buf, size_t size) {
    double unit = pow(10.0, decimals), r = round(v * unit) / unit;
    if (r < 0.0)
        snprintf(buf, size, "\xE2\x88\x92%.*f", decimals, -r);
    else
        snprintf(buf, size, "%.*f", decimals, fabs(r));
}

sa_numbers sa_fit_numbers(double column_width, bool negative) {
    /* Ink widths of "0.00" and "0.0" in em of Liberation Serif, a minus, and a margin. */
    const double two = 1.8, one = 1.3, minus = 0.55, margin = 0.08;
    const double legible = 10.0, largest = 13.0;
    double room = (column_width - margin) * 72.0, sign = negative ? minus : 0.0;
    if (room / (two + sign) >= legible)
        return (sa_numbers){fmin(largest, room / (two + sign)), 2};
    return (sa_numbers){fmin(largest, room / (one + sign)), 1};
}

/* A word's ink against its baseline, from laying it out behind an "H": the H's foot is the
 * baseline and its height the cap height. */
typedef struct ink {
    double width, rise, cap; /* rise: the ink's centre above the baseline */
} ink;

static ink measure(avz_scene *s, const char *utf8, double font_size) {
    char probe[128];
    avz_text_style style = {.font_size = font_size};
    avz_parts parts = {0};
    avz_error err = {0};
    ink result = {0};
    snprintf(probe, sizeof probe, "H%s", utf8);
    if (avz_text_layout(avz_scene_fonts(s), probe, &style, &parts, &err) != 0) {
        avz_scene_fail(s, err.code, "%s", err.msg);
        return result;
    }
    avz_bbox h = avz_path_bbox(&parts.items[0]), word = avz_bbox_empty();
    for (size_t i = 1; i < parts.count; i++)
        word = avz_bbox_union(word, avz_path_bbox(&parts.items[i]));
    avz_parts_free(&parts);
    result.width = avz_bbox_width(word);
    result.rise = avz_bbox_center(word).y - h.y0;
    result.cap = avz_bbox_height(h);
    return result;
}

double sa_text_width(avz_scene *s, const char *utf8, double font_size) {
    return measure(s, utf8, font_size).width;
}

avz_id sa_label(avz_scene *s, const char *utf8, double font_size, avz_color color, avz_vec2 at,
                avz_vec2 anchor) {
    ink m = measure(s, utf8, font_size);
    avz_id text = avz_text(s, utf8, font_size, color);
    avz_move_to(s, text, AVZ_V(at.x - anchor.x * m.width / 2, at.y - m.cap / 2 + m.rise));
    return text;
}

avz_id sa_token_card(avz_scene *s, const char *token, avz_color hue, double font_size) {
    double em = font_size / 72.0;
    avz_style style = {hue, 0.25, hue, 1.0, 2.0};
    /* The box comes first to lie under its label (z-order is creation order). */
    avz_id box = avz_round_rect(s, measure(s, token, font_size).width + 0.9 * em, 1.35 * em,
                                0.2 * em, style);
    return avz_group(s, box, sa_label(s, token, font_size, AVZ_WHITE, AVZ_ORIGIN, AVZ_ORIGIN));
}

avz_vec2 sa_grid_cell(const sa_grid *g, int r, int c) {
    return AVZ_V(g->left + (c + 0.5) * g->col_w, g->top - (r + 0.5) * g->row_h);
}

double sa_grid_width(const sa_grid *g) {
    return g->cols * g->col_w;
}

double sa_grid_height(const sa_grid *g) {
    return g->rows * g->row_h;
}

avz_vec2 sa_grid_center(const sa_grid *g) {
    return AVZ_V(g->left + sa_grid_width(g) / 2, g->top - sa_grid_height(g) / 2);
}

sa_grid sa_grid_moved(const sa_grid *g, avz_vec2 center) {
    sa_grid moved = *g;
    moved.left = center.x - sa_grid_width(g) / 2;
    moved.top = center.y + sa_grid_height(g) / 2;
    return moved;
}

avz_bbox sa_grid_bounds(const sa_grid *g, double pad) {
    avz_bbox box = {g->left, g->top - sa_grid_height(g), g->left + sa_grid_width(g), g->top};
    return avz_bbox_grow(box, pad);
}

avz_bbox sa_grid_row_bounds(const sa_grid *g, int r, double pad) {
    sa_grid row = *g;
    row.top -= r * g->row_h;
    row.rows = 1;
    return sa_grid_bounds(&row, pad);
}

avz_bbox sa_grid_cell_bounds(const sa_grid *g, int r, int c, double pad) {
    sa_grid cell = {g->left + c * g->col_w, g->top - r * g->row_h, g->col_w, g->row_h, 1, 1};
    return sa_grid_bounds(&cell, pad);
}

avz_id sa_outline(avz_scene *s, avz_bbox box, avz_color color) {
    avz_id rect =
        avz_rect(s, avz_bbox_width(box), avz_bbox_height(box), avz_stroke_style(color, 3.0));
    avz_move_to(s, rect, avz_bbox_center(box));
    return rect;
}

sa_matrix sa_matrix_new(avz_scene *s, const sa_grid *g, const double *vals, int stride,
                        sa_numbers numbers, avz_color accent, const char *label_tex) {
    sa_matrix m = {.grid = *g};
    m.frame = avz_rect(s, sa_grid_width(g), sa_grid_height(g), avz_box_style(accent, 0.08, 1.5));
    avz_move_to(s, m.frame, sa_grid_center(g));
    m.numbers = avz_group_of(s, NULL, 0);
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++) {
            char buf[16];
            sa_format(vals[r * stride + c], numbers.decimals, buf, sizeof buf);
            avz_id num = avz_text(s, buf, numbers.font_size, AVZ_WHITE);
            avz_move_to(s, num, sa_grid_cell(g, r, c));
            avz_group_add(s, m.numbers, num);
        }
    char size[32];
    snprintf(size, sizeof size, "%d \xC3\x97 %d", g->rows, g->cols);
    m.label = avz_group(s, avz_math(s, label_tex, 26, accent), avz_text(s, size, 13, AVZ_GRAY));
    avz_arrange(s, m.label, AVZ_RIGHT, 0.15, AVZ_ORIGIN);
    avz_next_to(s, m.label, m.frame, AVZ_UP, 0.15);
    m.group = avz_group(s, m.frame, m.numbers, m.label);
    return m;
}

avz_id sa_row_labels(avz_scene *s, const sa_config *cfg, const sa_grid *g, double x,
                     double font_size) {
    avz_id labels = avz_group_of(s, NULL, 0);
    for (int r = 0; r < g->rows; r++)
        avz_group_add(s, labels,
                      sa_label(s, cfg->tokens[r], font_size, sa_token_hue(r, cfg->n),
                               AVZ_V(x, sa_grid_cell(g, r, 0).y), AVZ_RIGHT));
    return labels;
}

void sa_anims_add(avz_scene *s, sa_anims *list, avz_anim anim) {
    if (list->count == SA_MAX_ANIMS) {
        avz_scene_fail(s, -E2BIG, "self-attention: more than %d animations in one step",
                       SA_MAX_ANIMS);
        return;
    }
    list->items[list->count++] = anim;
}
