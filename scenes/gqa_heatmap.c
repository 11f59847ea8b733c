/* gqa scene, section 3: the attention heatmap of the token sequence. Cells appear one by one
 * coloured by their pre-mask score, get their query (row) and key (column) labels, then the
 * causal mask greys the future and the rest take their softmax weight's colour; last, the
 * previous-token cells are highlighted. Phase: heatmap. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gqa.h"

#define MAX_CELLS (GQA_MAX_TOKENS * GQA_MAX_TOKENS)
#define PI 3.14159265358979323846

/* The span of a matrix's values, which the colour scale stretches over. */
typedef struct span {
    double lo, hi;
} span;

typedef struct heatmap {
    size_t n;
    double pitch, cell, left; /* cell centre j is at left + j·pitch + cell/2 */
    double scores[MAX_CELLS], weights[MAX_CELLS];
    span score_span, weight_span;
    avz_id title, subtitle, cells[MAX_CELLS], grid, rows, columns, q_label, k_label;
} heatmap;

static avz_vec2 cell_center(const heatmap *h, size_t i, size_t j) {
    return AVZ_V(h->left + (double)j * h->pitch + h->cell / 2,
                 GQA_HEATMAP_TOP - (double)i * h->pitch - h->cell / 2);
}

static span span_of(const double *values, size_t count) {
    span r = {values[0], values[0]};
    for (size_t k = 1; k < count; k++) {
        r.lo = fmin(r.lo, values[k]);
        r.hi = fmax(r.hi, values[k]);
    }
    return r;
}

/* Blue (lowest) to red (highest) over the whole matrix, as the original maps its values. */
static avz_color heat(double value, span r) {
    return avz_color_lerp(AVZ_BLUE, AVZ_RED, r.hi > r.lo ? (value - r.lo) / (r.hi - r.lo) : 0.0);
}

/* The subtitle quotes the sentence, without the start token. */
static void show_titles(avz_scene *s, heatmap *h, const gqa_tokens *t, avz_id previous_title) {
    h->title = avz_text(s, "Attention Score Heatmap", 34, AVZ_BLUE);
    avz_to_edge(s, h->title, AVZ_UP, 0.35);
    char text[GQA_MAX_TOKENS * GQA_TOKEN_BYTES + 64] = "\"";
    size_t first = strcmp(t->text[0], "<s>") == 0 ? 1 : 0;
    for (size_t i = first; i < t->count; i++) {
        strcat(text, t->text[i]);
        strcat(text, i + 1 < t->count ? " " : "\"");
    }
    strcat(text, " — causal, per-token attention weights");
    h->subtitle = avz_text(s, text, 14, AVZ_GRAY);
    gqa_fit_width(s, h->subtitle, AVZ_FRAME_WIDTH - 2 * GQA_FRAME_MARGIN);
    avz_next_to(s, h->subtitle, h->title, AVZ_DOWN, 0.12);
    avz_play(s, AVZ_AUTO, avz_fade_out(previous_title, AVZ_ORIGIN, 1), avz_write(h->title),
             avz_write(h->subtitle));
}

/* The grid keeps the original's 0.52 + 0.04 pitch while it fits above the bottom margin. */
static void show_cells(avz_scene *s, heatmap *h) {
    size_t n = h->n;
    h->pitch = fmin(GQA_HEATMAP_PITCH, (GQA_HEATMAP_TOP - GQA_HEATMAP_BOTTOM) / (double)n);
    h->cell = h->pitch * 0.52 / GQA_HEATMAP_PITCH;
    h->left = -((double)n * h->pitch - (h->pitch - h->cell)) / 2;
    for (size_t k = 0; k < n * n; k++) {
        avz_style style = {.fill = heat(h->scores[k], h->score_span),
                           .fill_opacity = 0.75,
                           .stroke = AVZ_GRAY,
                           .stroke_opacity = 1.0,
                           .stroke_width = 0.5};
        h->cells[k] = avz_square(s, h->cell, style);
        avz_move_to(s, h->cells[k], cell_center(h, k / n, k % n));
        avz_play(s, 1.0 / 60.0, avz_fade_in(h->cells[k], AVZ_ORIGIN, 0.6));
    }
    h->grid = avz_group_of(s, h->cells, n * n);
}

/* Queries label the rows, keys the columns (tilted 30° so that neighbours do not touch). */
static void label_axes(avz_scene *s, heatmap *h, const gqa_tokens *t) {
    size_t n = h->n;
    avz_anim writes[GQA_MAX_TOKENS + 1];
    avz_id label[GQA_MAX_TOKENS];
    for (size_t i = 0; i < n; i++) {
        label[i] = avz_text(s, t->text[i], 12, AVZ_GRAY);
        avz_next_to_point(s, label[i], AVZ_V(h->left - 0.15, cell_center(h, i, 0).y), AVZ_LEFT,
                          0.08);
        writes[i] = avz_write(label[i]);
    }
    h->rows = avz_group_of(s, label, n);
    h->q_label = avz_text_ex(s, "Q", 11, AVZ_WHITE, AVZ_TEXT_BOLD);
    /* Left of the widest row label (the original used the first row's, all as wide). */
    double row0_y = avz_center(s, label[0]).y;
    avz_move_to(s, h->q_label, AVZ_V(avz_edge(s, h->rows, AVZ_LEFT).x - 0.3, row0_y + 0.15));
    writes[n] = avz_write(h->q_label);
    avz_play_list(s, AVZ_AUTO, writes, n + 1);

    for (size_t j = 0; j < n; j++) {
        label[j] = avz_text(s, t->text[j], 10, AVZ_GRAY);
        avz_rotate(s, label[j], PI / 6);
        avz_next_to_point(s, label[j], AVZ_V(cell_center(h, 0, j).x, GQA_HEATMAP_TOP + 0.06),
                          AVZ_UP, 0.04);
        writes[j] = avz_write(label[j]);
    }
    h->columns = avz_group_of(s, label, n);
    h->k_label = avz_text_ex(s, "K", 11, AVZ_WHITE, AVZ_TEXT_BOLD);
    avz_next_to(s, h->k_label, label[0], AVZ_UP, 0.06);
    writes[n] = avz_write(h->k_label);
    avz_play_list(s, AVZ_AUTO, writes, n + 1);
    avz_wait(s, 1.0);
}

/* Future keys (j > i) fade to grey; the rest show their softmax weight. */
static void apply_mask(avz_scene *s, heatmap *h) {
    size_t n = h->n;
    avz_id caption = avz_text(s, "causal mask + softmax\n(future tokens → 0)", 11, AVZ_RED);
    avz_next_to(s, caption, h->cells[n - 1], AVZ_UP, 0.25);
    avz_align_to(s, caption, h->cells[n - 1], AVZ_RIGHT);
    avz_anim anims[MAX_CELLS + 1];
    for (size_t k = 0; k < n * n; k++)
        anims[k] = k % n > k / n
                       ? avz_fill_to(h->cells[k], AVZ_DARK_GRAY, 0.15)
                       : avz_fill_to(h->cells[k], heat(h->weights[k], h->weight_span), 0.75);
    anims[n * n] = avz_write(caption);
    avz_play_list(s, AVZ_AUTO, anims, n * n + 1);
    avz_wait(s, 1.2);
    avz_play(s, AVZ_AUTO, avz_fade_out(caption, AVZ_ORIGIN, 1));
}

/* Query i's weight on key i-1, from the third row on (the original's five for seven tokens). */
static void highlight_previous(avz_scene *s, const heatmap *h) {
    size_t n = h->n;
    avz_anim anims[GQA_MAX_TOKENS + 1], fades[GQA_MAX_TOKENS + 1];
    size_t count = 0;
    for (size_t i = 2; i < n; i++) {
        avz_id frame = avz_surround(s, h->cells[i * n + i - 1], AVZ_ORANGE, 0.04, 2);
        fades[count] = avz_fade_out(frame, AVZ_ORIGIN, 1);
        anims[count++] = avz_create(frame);
    }
    avz_id caption =
        avz_text(s, "previous token attends to next\n(causal sequence learning)", 11, AVZ_ORANGE);
    avz_next_to(s, caption, h->cells[n * n - 1], AVZ_RIGHT, 0.8);
    fades[count] = avz_fade_out(caption, AVZ_ORIGIN, 1);
    anims[count++] = avz_write(caption);
    avz_play_list(s, AVZ_AUTO, anims, count);
    avz_wait(s, 2.0);
    avz_play_list(s, AVZ_AUTO, fades, count);
}

void gqa_heatmap_section(avz_scene *s, const gqa_config *cfg, avz_id previous_title) {
    avz_phase(s, "heatmap");
    heatmap h = {.n = cfg->tokens.count};
    gqa_scores(&cfg->tokens, cfg->seed, h.scores);
    gqa_causal_softmax(h.scores, h.n, h.weights);
    h.score_span = span_of(h.scores, h.n * h.n);
    h.weight_span = span_of(h.weights, h.n * h.n);

    show_titles(s, &h, &cfg->tokens, previous_title);
    show_cells(s, &h);
    label_axes(s, &h, &cfg->tokens);
    apply_mask(s, &h);
    highlight_previous(s, &h);
    avz_play(s, AVZ_AUTO, avz_fade_out(h.title, AVZ_ORIGIN, 1),
             avz_fade_out(h.subtitle, AVZ_ORIGIN, 1), avz_fade_out(h.grid, AVZ_ORIGIN, 1),
             avz_fade_out(h.rows, AVZ_ORIGIN, 1), avz_fade_out(h.columns, AVZ_ORIGIN, 1),
             avz_fade_out(h.q_label, AVZ_ORIGIN, 1), avz_fade_out(h.k_label, AVZ_ORIGIN, 1));
}
