/* The self-attention scene: scaled dot-product attention worked through on real numbers, phase
 * by phase as its spec (shared/seeds/self_attention_spec.md) tells it. This file holds the
 * storyboard, the bottom strip and highlights the phases share, the layout and phases 1 and 2;
 * phases 3 to 5 are in self_attention_heatmap.c, 6 to 8 in self_attention_recap.c and the
 * numbers in self_attention_model.c. */
#include "self_attention.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ── Areas of the frame used here (scene units; see the spec's layout sketch) ─────────── */
#define TOKENS_Y 2.72     /* top: the token row under the title */
#define HEADER_BOTTOM 1.9 /* the heatmap's title stays above this, under the token row */
#define GRID_TOP 1.3      /* centre: matrices (left) and heatmap (right) */
#define GRID_BOTTOM -2.35 /* ... between these */
#define GRID_MIDDLE -0.35 /* where fewer rows centre: under the labels above them */
#define STEP_Y -2.92      /* bottom: the current step's formula, over SA_CAPTION_Y */
#define MAX_PITCH 0.62
#define PANEL_GAP 0.3
#define SUM_W 0.9 /* room right of the heatmap for the row sums */

/* ── What the phases share ───────────────────────────────────────────────────────────── */

void sa_strip_to(sa_ctx *c, avz_anims *a, const char *tex, avz_color color, const char *caption) {
    avz_scene *s = c->s;
    if (tex) {
        avz_id step = avz_math(s, tex, 30, color);
        avz_move_to(s, step, AVZ_V(0.0, STEP_Y));
        if (c->step != AVZ_NONE)
            avz_anims_add(s, a, avz_fade_out_ex(c->step, SA_RISE, 1.0));
        avz_anims_add(s, a, avz_fade_in_ex(step, SA_RISE, 1.0));
        c->step = step;
    }
    avz_id text = avz_text(s, caption, 15, AVZ_LIGHT_GRAY);
    /* A long dot product (d_k = 6, long token names) shrinks rather than leave the frame. */
    avz_fit_width(s, text, SA_X_MAX - SA_X_MIN);
    avz_move_to(s, text, AVZ_V(0.0, SA_CAPTION_Y));
    if (c->caption != AVZ_NONE)
        avz_anims_add(s, a, avz_fade_out_ex(c->caption, SA_RISE, 1.0));
    avz_anims_add(s, a, avz_fade_in_ex(text, SA_RISE, 1.0));
    c->caption = text;
}

void sa_clear_strip(sa_ctx *c, avz_anims *a) {
    avz_anims_add(c->s, a, avz_fade_out(c->step));
    avz_anims_add(c->s, a, avz_fade_out(c->caption));
    c->step = c->caption = AVZ_NONE;
}

void sa_highlight(sa_ctx *c, avz_anims *a, avz_id *slot, avz_bbox box) {
    if (*slot == AVZ_NONE) {
        *slot = avz_outline(c->s, box, SA_HIGHLIGHT, 3.0);
        avz_anims_add(c->s, a, avz_create(*slot));
    } else {
        avz_anims_add(c->s, a, avz_move(*slot, avz_bbox_center(box)));
    }
}

void sa_clear_highlights(sa_ctx *c, avz_anims *a) {
    avz_id *slots[] = {&c->hl_q, &c->hl_k, &c->hl_cell};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
        if (*slots[i] != AVZ_NONE) {
            avz_anims_add(c->s, a, avz_fade_out(*slots[i]));
            *slots[i] = AVZ_NONE;
        }
}

/* The widest of the rows that split the tokens into `rows` rows of as many (the last may
 * hold fewer). */
static double widest_row(sa_ctx *c, const avz_card_spec *card, double gap, int rows) {
    int n = c->cfg->n, per = (n + rows - 1) / rows;
    double widest = 0.0;
    for (int first = 0; first < n; first += per) {
        double width = -gap;
        for (int i = first; i < n && i < first + per; i++)
            width += avz_token_card_width(c->s, c->cfg->names[i], card) + gap;
        widest = fmax(widest, width);
    }
    return widest;
}

/* The tokens as cards centred on y: in one row, or in the fewest up to max_rows that fit
 * between the margins (reading downwards), shrunk if even those do not. */
static avz_id token_row(sa_ctx *c, double font_size, double y, int max_rows) {
    avz_scene *s = c->s;
    avz_card_spec card = avz_card_tinted(font_size, AVZ_WHITE);
    double gap = 0.2 * font_size / 20.0, room = SA_X_MAX - SA_X_MIN;
    int rows = 1;
    while (rows < max_rows && rows < c->cfg->n && widest_row(c, &card, gap, rows) > room)
        rows++;
    avz_id row;
    if (rows == 1) {
        row = avz_token_row(s, c->cfg->names, (size_t)c->cfg->n, &card, c->cfg->hues, gap);
    } else {
        int per = (c->cfg->n + rows - 1) / rows;
        row = avz_group_new(s);
        for (int first = 0; first < c->cfg->n; first += per) {
            size_t count = (size_t)(c->cfg->n - first < per ? c->cfg->n - first : per);
            avz_group_add(
                s, row,
                avz_token_row(s, c->cfg->names + first, count, &card, c->cfg->hues + first, gap));
        }
        avz_arrange(s, row, AVZ_DOWN, 1.5 * gap, AVZ_ORIGIN);
    }
    avz_fit_width(s, row, room);
    avz_move_to(s, row, AVZ_V(0.0, y));
    return row;
}

/* Token names in their hues, right-aligned left of a grid. */
static avz_id row_labels(sa_ctx *c, const avz_grid *g) {
    avz_axis_labels labels = {
        .texts = c->cfg->names, .colors = c->cfg->hues, .font_size = SA_LABEL_SIZE, .gap = 0.12};
    return avz_row_labels(c->s, g, &labels);
}

/* ── Layout: one row pitch for every matrix and the heatmap, so that row i of X, Q, K, V
 * and of the scores all sit at the same height ─────────────────────────────────────────── */
static void layout(sa_ctx *c) {
    int n = c->cfg->n, d_k = c->cfg->d_k;
    double widest = 0.0;
    for (int i = 0; i < n; i++)
        widest = fmax(widest, avz_measure_text(c->s, c->cfg->names[i], SA_LABEL_SIZE, 0).width);
    /* Key names above the heatmap tilt when they would touch; tilted, they are taller, and
     * the heatmap's title above them must still clear the token row. */
    double pitch = fmin(MAX_PITCH, (GRID_TOP - GRID_BOTTOM) / n), grid_top = GRID_TOP;
    c->tilt = widest > pitch - SA_CELL_GAP - 0.06;
    if (c->tilt) {
        grid_top = fmin(GRID_TOP, HEADER_BOTTOM - 0.25 - (widest + 0.2) * sin(SA_TILT));
        pitch = fmin(MAX_PITCH, (grid_top - GRID_BOTTOM) / n);
    }
    double top = fmin(grid_top, GRID_MIDDLE + n * pitch / 2);
    c->label_w = widest + 0.12;
    c->heat_grid = (avz_grid){SA_X_MAX - SUM_W - n * pitch, top, pitch, pitch, n, n};
    c->heat_rows = row_labels(c, &c->heat_grid);

    /* Q, K and V side by side, each in a slot at least as wide as its label. */
    double left = SA_X_MIN + c->label_w, right = c->heat_grid.left - c->label_w - 0.45;
    double col_w = fmin(MAX_PITCH, (right - left - 2 * PANEL_GAP) / (3 * d_k));
    double panel_w = d_k * col_w, slot = fmax(panel_w, SA_PANEL_SLOT);
    left += (right - left - 3 * slot - 2 * PANEL_GAP) / 2 + (slot - panel_w) / 2;
    c->q_grid = (avz_grid){left, top, col_w, pitch, n, d_k};
    c->k_grid = c->q_grid;
    c->k_grid.left += slot + PANEL_GAP;
    c->v_grid = c->k_grid;
    c->v_grid.left += slot + PANEL_GAP;
    c->qkv_rows = row_labels(c, &c->q_grid);

    double x_col_w = fmin(MAX_PITCH, (SA_X_MAX - c->heat_grid.left) / c->cfg->d_model);
    c->x_grid = (avz_grid){c->heat_grid.left, top, x_col_w, pitch, n, c->cfg->d_model};
    c->qkv_numbers = avz_fit_numbers(col_w, true);
    c->x_numbers = avz_fit_numbers(x_col_w, true);
    c->score_numbers = avz_fit_numbers(pitch - SA_CELL_GAP, true);
    c->weight_numbers = avz_fit_numbers(pitch - SA_CELL_GAP, false);
}

/* ── Phase 1: Intro — the title and the input tokens ──────────────────────────────────── */
void sa_intro(sa_ctx *c) {
    avz_scene *s = c->s;
    const sa_config *cfg = c->cfg;
    char note[256];

    avz_id title = avz_text(s, "Transformer Self-Attention", 42, AVZ_BLUE);
    avz_to_edge(s, title, AVZ_UP, 0.35);
    c->intro_tokens = token_row(c, 30, 0.2, 3);
    avz_id heading = avz_text(s, "input tokens", 18, AVZ_GRAY);
    avz_next_to(s, heading, c->intro_tokens, AVZ_UP, 0.4);
    snprintf(note, sizeof note,
             "each token: an embedding of d_model = %d numbers, projected to d_k = %d "
             "(seed %llu)",
             cfg->d_model, cfg->d_k, (unsigned long long)cfg->seed);
    avz_id sub = avz_text(s, note, 16, AVZ_GRAY);
    avz_next_to(s, sub, c->intro_tokens, AVZ_DOWN, 0.45);
    c->intro = avz_group(s, heading, sub);

    avz_play(s, 1.0, avz_write(title));
    avz_play(s, 0.8, avz_fade_in_ex(c->intro_tokens, SA_RISE, 1.0),
             avz_fade_in_ex(heading, SA_RISE, 1.0));
    avz_play(s, 0.6, avz_fade_in_ex(sub, SA_RISE, 1.0));
}

/* ── Phase 2: Q K V Projection — embeddings X times W_Q, W_K, W_V ─────────────────────── */
avz_matrix sa_panel(sa_ctx *c, const avz_grid *g, const double *values, int stride,
                    avz_number_format numbers, avz_color accent, const char *tex) {
    avz_matrix_spec spec = {.grid = *g,
                            .values = values,
                            .stride = stride,
                            .numbers = numbers,
                            .accent = accent,
                            .label_tex = tex,
                            .show_size = true};
    return avz_matrix_panel(c->s, &spec);
}

static void project(sa_ctx *c, avz_matrix *dst, const avz_grid *g, const double *vals,
                    avz_color accent, const char *tex, avz_id extra) {
    avz_scene *s = c->s;
    avz_anims a = {0};
    /* A copy of the X frame slides over and gives way to the new panel: Q, K, V are X,
     * projected. It lies under the panels' numbers. */
    avz_vec2 from = avz_grid_center(&c->x_grid), to = avz_grid_center(g);
    avz_id ghost = avz_rect(s, avz_grid_width(&c->x_grid), avz_grid_height(&c->x_grid),
                            avz_box_style(accent, 0.08, 1.5));
    avz_move_to(s, ghost, from);
    avz_set_z(s, ghost, -1);
    *dst = sa_panel(c, g, vals, c->m.d_k, c->qkv_numbers, accent, tex);
    avz_vec2 slide = AVZ_V(to.x - from.x, to.y - from.y);
    avz_play(s, 0.7, avz_fade_out_ex(ghost, slide, 1.0), avz_fade_in_ex(dst->frame, slide, 1.0));
    avz_anims_add(s, &a, avz_fade_in(dst->numbers));
    avz_anims_add(s, &a, avz_write(dst->label));
    if (extra != AVZ_NONE)
        avz_anims_add(s, &a, avz_fade_in(extra));
    avz_play_anims(s, 0.5, &a);
}

void sa_qkv_projection(sa_ctx *c) {
    avz_scene *s = c->s;
    sa_head *h = &c->m.head;
    avz_anims a = {0};
    char caption[160];

    c->tokens = token_row(c, 20, TOKENS_Y, 1); /* one row: the heatmap's title is below */
    c->x = sa_panel(c, &c->x_grid, c->m.x, c->m.d_model, c->x_numbers, AVZ_LIGHT_GRAY, "X");
    /* The big row slides up and shrinks into the small one (a transform only cross-fades). */
    avz_vec2 up = AVZ_V(0.0, TOKENS_Y - avz_center(s, c->intro_tokens).y);
    avz_play(s, 0.8, avz_fade_out_ex(c->intro_tokens, up, 20.0 / 30.0),
             avz_fade_in_ex(c->tokens, up, 30.0 / 20.0), avz_fade_out_ex(c->intro, SA_RISE, 1.0));
    sa_strip_to(c, &a, NULL, AVZ_WHITE,
                "X: one embedding row per token (random here, from the seed)");
    avz_anims_add(s, &a, avz_fade_in(c->x.group));
    avz_anims_add(s, &a, avz_fade_in(c->heat_rows));
    avz_play_anims(s, 1.0, &a);

    snprintf(caption, sizeof caption,
             "three learned %d \xC3\x97 %d weight matrices (drawn from seed %llu here) turn each "
             "row of X into a row of Q, K and V",
             c->cfg->d_model, c->cfg->d_k, (unsigned long long)c->cfg->seed);
    sa_strip_to(c, &a, "Q = XW_Q, \\quad K = XW_K, \\quad V = XW_V", AVZ_WHITE, caption);
    avz_play_anims(s, 0.6, &a);

    project(c, &c->q, &c->q_grid, h->q, AVZ_YELLOW, "Q = XW_Q", c->qkv_rows);
    project(c, &c->k, &c->k_grid, h->k, AVZ_ORANGE, "K = XW_K", AVZ_NONE);
    project(c, &c->v, &c->v_grid, h->v, AVZ_GREEN, "V = XW_V", AVZ_NONE);

    /* One token's row in all four matrices: the projection works row by row. */
    const avz_grid *grids[] = {&c->x_grid, &c->q_grid, &c->k_grid, &c->v_grid};
    avz_id rows = avz_group_new(s);
    for (size_t i = 0; i < 4; i++)
        avz_group_add(s, rows,
                      avz_outline(s, avz_grid_row_bounds(grids[i], 1, 0.03), SA_HIGHLIGHT, 3.0));
    avz_play(s, 0.6, avz_create(rows));
    avz_wait(s, 0.5);
    avz_play(s, 0.4, avz_fade_out(rows));
}

/* ── The scene ───────────────────────────────────────────────────────────────────────── */
static const struct {
    const char *name;
    double seconds;
    void (*play)(sa_ctx *);
} storyboard[] = {
    {"intro", 3.0, sa_intro},
    {"qkv-projection", 8.0, sa_qkv_projection},
    {"attention-scores", 10.0, sa_attention_scores},
    {"scale-softmax", 6.0, sa_scale_softmax},
    {"output", 8.0, sa_output},
    {"formula", 6.0, sa_full_formula},
    {"multi-head", 5.0, sa_multi_head},
    {"outro", 4.0, sa_outro},
};

static const avz_param_def params[] = {
    AVZ_PARAM_TEXT("tokens", "The cat sat on mat", 1, 90,
                   "the input tokens, separated by spaces: 2 to 8, each up to 10 characters"),
    AVZ_PARAM_INT("d_model", "8", 2, SA_MAX_D_MODEL, "embedding width"),
    AVZ_PARAM_INT("d_k", "4", 2, SA_MAX_D_K, "query, key and value width; at most d_model"),
    AVZ_PARAM_INT("heads", "4", 2, 8, "heads in the multi-head picture"),
    AVZ_PARAM_INT("seed", "7", 0, 2147483647, "seed of the embeddings and weights"),
};

static int build(avz_scene *s, const avz_params *given) {
    sa_config cfg = {.d_model = (int)avz_param_int(s, given, "d_model"),
                     .d_k = (int)avz_param_int(s, given, "d_k"),
                     .heads = (int)avz_param_int(s, given, "heads"),
                     .seed = (uint64_t)avz_param_int(s, given, "seed")};
    avz_error err = {0};
    if (sa_config_make(avz_param_text(s, given, "tokens"), &cfg, &err))
        return avz_scene_fail(s, err.code, "%s", err.msg);

    sa_ctx c = {.s = s, .cfg = &cfg};
    c.step = c.caption = c.hl_q = c.hl_k = c.hl_cell = AVZ_NONE;
    sa_model_compute(&cfg, 0, &c.m);
    layout(&c);
    for (size_t i = 0; i < sizeof storyboard / sizeof storyboard[0]; i++) {
        avz_phase_len(s, storyboard[i].name, storyboard[i].seconds);
        storyboard[i].play(&c);
    }
    return avz_scene_status(s, NULL);
}

const avz_scene_def avz_scene_self_attention = {
    .name = "self-attention",
    .summary = "Scaled dot-product self-attention, worked through on real numbers (50 s)",
    .params = params,
    .param_count = sizeof params / sizeof params[0],
    .build = build,
};
