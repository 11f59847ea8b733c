/* gqa scene, section 3: the attention heatmap of the token sequence. Cells appear one by one
 * coloured by their pre-mask score, get their query (row) and key (column) labels, then the
 * causal mask greys the future and the rest take their softmax weight's colour; last, the
 * previous-token cells are highlighted. Phase: heatmap. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gqa.h"

#define MAX_CELLS (GQA_MAX_TOKENS * GQA_MAX_TOKENS)

typedef struct heatmap {
    size_t n;
    double scores[MAX_CELLS], weights[MAX_CELLS];
    avz_heatmap map;
    avz_id title, subtitle;
    avz_id col_labels; /* the key names and K over them */
} heatmap;

/* The subtitle quotes the sentence, without the start token. */
static void show_titles(avz_scene *s, heatmap *h, const avz_tokens *t, avz_id previous_title) {
    h->title = avz_text(s, "Attention Score Heatmap", 34, AVZ_BLUE);
    avz_to_edge(s, h->title, AVZ_UP, 0.35);
    char sentence[sizeof t->text], text[sizeof t->text + 64];
    size_t first = strcmp(t->text[0], "<s>") == 0 ? 1 : 0;
    avz_tokens_join(t, first, t->count - first, sentence, sizeof sentence);
    snprintf(text, sizeof text, "\"%s\" — causal, per-token attention weights", sentence);
    /* A long sentence takes two lines, shrunk only if even they are too wide: one line
     * shrunk that far would not read. */
    double room = AVZ_FRAME_WIDTH - 2 * GQA_FRAME_MARGIN;
    double width = avz_measure_text(s, text, 14, 0).width;
    char wrapped[sizeof text];
    size_t lines = 1;
    /* The narrowest two lines the words allow. */
    for (double line = fmin(room, width / 2); width > room && line < width; line += 0.1) {
        lines = avz_wrap_text(s, text, 14, AVZ_TEXT_CENTERED, line, wrapped, sizeof wrapped);
        if (lines <= 2)
            break;
    }
    if (lines == 2)
        h->subtitle = avz_text_ex(s, wrapped, 14, AVZ_GRAY, AVZ_TEXT_CENTERED);
    else
        h->subtitle = avz_text(s, text, 14, AVZ_GRAY);
    avz_fit_width(s, h->subtitle, room);
    avz_next_to(s, h->subtitle, h->title, AVZ_DOWN, 0.12);
    avz_play(s, AVZ_AUTO, avz_fade_out(previous_title), avz_write(h->title),
             avz_write(h->subtitle));
}

/* The grid keeps the original's 0.52 + 0.04 pitch while it fits above the bottom margin;
 * its cells pop in one after another, each in one frame of the original's 60. */
static void show_cells(avz_scene *s, heatmap *h) {
    size_t n = h->n;
    double pitch = fmin(GQA_HEATMAP_PITCH, (GQA_HEATMAP_TOP - GQA_HEATMAP_BOTTOM) / (double)n);
    double cell = pitch * 0.52 / GQA_HEATMAP_PITCH;
    /* The block of cells (without the last gap) is centred, its top at GQA_HEATMAP_TOP. */
    double width = (double)n * pitch - (pitch - cell);
    avz_grid grid = {-width / 2 - (pitch - cell) / 2,
                     GQA_HEATMAP_TOP + (pitch - cell) / 2,
                     pitch,
                     pitch,
                     (int)n,
                     (int)n};
    avz_heatmap_spec spec = {.grid = grid,
                             .values = h->scores,
                             .stride = (int)n,
                             .ramp = &avz_ramp_blue_red,
                             .gap = pitch - cell,
                             .fill_opacity = 0.75,
                             .stroke = AVZ_GRAY,
                             .stroke_width = 0.5};
    h->map = avz_heatmap_new(s, &spec);
    avz_anims pops = {0};
    for (size_t k = 0; k < n * n; k++)
        avz_anims_add(s, &pops,
                      avz_fade_in_ex(avz_heatmap_cell(s, &h->map, (int)(k / n), (int)(k % n)),
                                     AVZ_ORIGIN, 0.6));
    avz_lagged_anims(s, (double)(n * n) / 60.0, 1.0, &pops);
}

/* Queries label the rows, keys the columns (tilted 30° so that neighbours do not touch), as
 * the original placed them: by their ink. */
static void label_axes(avz_scene *s, heatmap *h, const avz_tokens *t) {
    size_t n = h->n;
    avz_anims writes = {0};
    avz_id rows = avz_group_new(s), cols = avz_group_new(s);
    double left = avz_edge(s, h->map.cells, AVZ_LEFT).x;
    for (size_t i = 0; i < n; i++) {
        avz_id label = avz_text(s, t->text[i], 12, AVZ_GRAY);
        avz_vec2 cell = avz_center(s, avz_heatmap_cell(s, &h->map, (int)i, 0));
        avz_next_to_point(s, label, AVZ_V(left - 0.15, cell.y), AVZ_LEFT, 0.08);
        avz_group_add(s, rows, label);
        avz_anims_add(s, &writes, avz_write(label));
    }
    avz_id q = avz_text_ex(s, "Q", 11, AVZ_WHITE, AVZ_TEXT_BOLD);
    /* Left of the widest row label (the original used the first row's, all as wide). */
    double row0_y = avz_center(s, avz_group_member(s, rows, 0)).y;
    avz_move_to(s, q, AVZ_V(avz_edge(s, rows, AVZ_LEFT).x - 0.3, row0_y + 0.15));
    avz_anims_add(s, &writes, avz_write(q));
    avz_play_anims(s, AVZ_AUTO, &writes);

    for (size_t j = 0; j < n; j++) {
        avz_id label = avz_text(s, t->text[j], 10, AVZ_GRAY);
        avz_rotate(s, label, AVZ_PI / 6);
        avz_vec2 cell = avz_center(s, avz_heatmap_cell(s, &h->map, 0, (int)j));
        avz_next_to_point(s, label, AVZ_V(cell.x, GQA_HEATMAP_TOP + 0.06), AVZ_UP, 0.04);
        avz_group_add(s, cols, label);
        avz_anims_add(s, &writes, avz_write(label));
    }
    avz_id k = avz_text_ex(s, "K", 11, AVZ_WHITE, AVZ_TEXT_BOLD);
    avz_next_to(s, k, avz_group_member(s, cols, 0), AVZ_UP, 0.06);
    avz_group_add(s, cols, k);
    h->col_labels = cols;
    avz_anims_add(s, &writes, avz_write(k));
    avz_play_anims(s, AVZ_AUTO, &writes);
    avz_wait(s, 1.0);
}

/* Whether box runs into any member of group by more than a touch. */
static bool over_any(const avz_scene *s, avz_bbox box, avz_id group) {
    for (size_t i = 0; i < avz_group_size(s, group); i++) {
        if (avz_bbox_overlaps(box, avz_bounds(s, avz_group_member(s, group, i)), 0.02))
            return true;
    }
    return false;
}

/* Future keys (j > i) fade to grey; the rest show their softmax weight. The caption stands
 * over the last column, as the original's, or beside the first row when long or few key
 * names reach up there. */
static void apply_mask(avz_scene *s, heatmap *h) {
    size_t n = h->n;
    avz_id last = avz_heatmap_cell(s, &h->map, 0, (int)n - 1);
    avz_id caption = avz_text(s, "causal mask + softmax\n(future tokens → 0)", 11, AVZ_RED);
    avz_next_to(s, caption, last, AVZ_UP, 0.25);
    avz_align_to(s, caption, last, AVZ_RIGHT);
    if (over_any(s, avz_bounds(s, caption), h->col_labels)) {
        avz_next_to(s, caption, last, AVZ_RIGHT, 0.3);
        avz_align_to(s, caption, last, AVZ_UP);
    }
    double lo, hi;
    avz_mat_range(h->weights, n * n, &lo, &hi);
    avz_anims anims = {0};
    for (size_t k = 0; k < n * n; k++) {
        avz_id cell = avz_heatmap_cell(s, &h->map, (int)(k / n), (int)(k % n));
        avz_anims_add(s, &anims,
                      k % n > k / n
                          ? avz_fill_to(cell, AVZ_DARK_GRAY, 0.15)
                          : avz_fill_to(cell,
                                        avz_ramp_value(&avz_ramp_blue_red, h->weights[k], lo, hi),
                                        0.75));
    }
    avz_anims_add(s, &anims, avz_write(caption));
    avz_play_anims(s, AVZ_AUTO, &anims);
    avz_wait(s, 1.2);
    avz_play(s, AVZ_AUTO, avz_fade_out(caption));
}

/* Query i's weight on key i-1, from the third row on (the original's five for seven tokens). */
static void highlight_previous(avz_scene *s, const heatmap *h) {
    size_t n = h->n;
    avz_anims shows = {0}, fades = {0};
    for (size_t i = 2; i < n; i++) {
        avz_id frame = avz_heatmap_highlight(s, &h->map, (int)i, (int)i - 1, 0.04, AVZ_ORANGE, 2);
        avz_anims_add(s, &shows, avz_create(frame));
        avz_anims_add(s, &fades, avz_fade_out(frame));
    }
    avz_id caption =
        avz_text(s, "previous token attends to next\n(causal sequence learning)", 11, AVZ_ORANGE);
    avz_next_to(s, caption, avz_heatmap_cell(s, &h->map, (int)n - 1, (int)n - 1), AVZ_RIGHT, 0.8);
    avz_anims_add(s, &shows, avz_write(caption));
    avz_anims_add(s, &fades, avz_fade_out(caption));
    avz_play_anims(s, AVZ_AUTO, &shows);
    avz_wait(s, 2.0);
    avz_play_anims(s, AVZ_AUTO, &fades);
}

void gqa_heatmap_section(avz_scene *s, const gqa_config *cfg, avz_id previous_title) {
    avz_phase(s, "heatmap");
    heatmap h = {.n = cfg->tokens.count};
    gqa_scores(&cfg->tokens, cfg->seed, h.scores);
    gqa_causal_softmax(h.scores, h.n, h.weights);

    show_titles(s, &h, &cfg->tokens, previous_title);
    show_cells(s, &h);
    label_axes(s, &h, &cfg->tokens);
    apply_mask(s, &h);
    highlight_previous(s, &h);
    avz_play(s, AVZ_AUTO, avz_clear());
}
