/* The self-attention scene: scaled dot-product attention worked through on real numbers, phase
 * by phase as its spec (shared/seeds/self_attention_spec.md) tells it. This file holds the
 * storyboard, its shared helpers, the layout and phases 1 and 2; phases 3 to 5 are in
 * self_attention_heatmap.c, 6 to 8 in self_attention_recap.c, the numbers in
 * self_attention_model.c and the drawing pieces in self_attention_parts.c. */
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

/* ── Time: every play goes through here so a phase can pad itself to its nominal length ── */
void sa_play_list(sa_ctx *c, double seconds, const sa_anims *list) {
    avz_play_list(c->s, seconds, list->items, list->count);
    c->clock += seconds;
}

void sa_hold(sa_ctx *c, double seconds) {
    avz_wait(c->s, seconds);
    c->clock += seconds;
}

static void pad_phase(sa_ctx *c, const char *name, double nominal) {
    if (c->clock > nominal + 1e-9)
        avz_scene_fail(c->s, -EINVAL, "self-attention: phase %s plays %.2f s, longer than %.2f s",
                       name, c->clock, nominal);
    else if (c->clock < nominal)
        avz_wait(c->s, nominal - c->clock);
    c->clock = 0.0;
}

/* ── Small helpers ───────────────────────────────────────────────────────────────────── */
avz_vec2 sa_rise(void) {
    return AVZ_V(0.0, 0.2);
}

avz_id sa_number(sa_ctx *c, double v, sa_numbers fmt, avz_color color, avz_vec2 at) {
    char buf[16];
    sa_format(v, fmt.decimals, buf, sizeof buf);
    avz_id text = avz_text(c->s, buf, fmt.font_size, color);
    avz_move_to(c->s, text, at);
    return text;
}

static avz_id token_row(sa_ctx *c, double font_size, double y) {
    avz_id row = avz_group_of(c->s, NULL, 0);
    for (int i = 0; i < c->cfg->n; i++)
        avz_group_add(
            c->s, row,
            sa_token_card(c->s, c->cfg->tokens[i], sa_token_hue(i, c->cfg->n), font_size));
    avz_arrange(c->s, row, AVZ_RIGHT, 0.2 * font_size / 20.0, AVZ_ORIGIN);
    avz_move_to(c->s, row, AVZ_V(0.0, y));
    return row;
}

/* Swaps the bottom strip's formula (when tex is given) and caption, rolling them upwards. */
void sa_strip_to(sa_ctx *c, sa_anims *a, const char *tex, avz_color color, const char *caption) {
    if (tex) {
        avz_id step = avz_math(c->s, tex, 30, color);
        avz_move_to(c->s, step, AVZ_V(0.0, STEP_Y));
        if (c->step != AVZ_NONE)
            sa_anims_add(c->s, a, avz_fade_out(c->step, sa_rise(), 1.0));
        sa_anims_add(c->s, a, avz_fade_in(step, sa_rise(), 1.0));
        c->step = step;
    }
    avz_id text = avz_text(c->s, caption, 15, AVZ_LIGHT_GRAY);
    /* A long dot product (d_k = 6, long token names) shrinks rather than leave the frame. */
    if (avz_width(c->s, text) > SA_X_MAX - SA_X_MIN)
        avz_scale(c->s, text, (SA_X_MAX - SA_X_MIN) / avz_width(c->s, text));
    avz_move_to(c->s, text, AVZ_V(0.0, SA_CAPTION_Y));
    if (c->caption != AVZ_NONE)
        sa_anims_add(c->s, a, avz_fade_out(c->caption, sa_rise(), 1.0));
    sa_anims_add(c->s, a, avz_fade_in(text, sa_rise(), 1.0));
    c->caption = text;
}

void sa_clear_strip(sa_ctx *c, sa_anims *a) {
    sa_anims_add(c->s, a, avz_fade_out(c->step, AVZ_ORIGIN, 1.0));
    sa_anims_add(c->s, a, avz_fade_out(c->caption, AVZ_ORIGIN, 1.0));
    c->step = c->caption = AVZ_NONE;
}

/* ── Layout: one row pitch for every matrix and the heatmap, so that row i of X, Q, K, V
 * and of the scores all sit at the same height ─────────────────────────────────────────── */
static void layout(sa_ctx *c) {
    int n = c->cfg->n, d_k = c->cfg->d_k;
    double widest = 0.0;
    for (int i = 0; i < n; i++)
        widest = fmax(widest, sa_text_width(c->s, c->cfg->tokens[i], SA_LABEL_SIZE));
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
    c->heat_grid = (sa_grid){SA_X_MAX - SUM_W - n * pitch, top, pitch, pitch, n, n};
    c->heat_rows =
        sa_row_labels(c->s, c->cfg, &c->heat_grid, c->heat_grid.left - 0.12, SA_LABEL_SIZE);

    /* Q, K and V side by side, each in a slot at least as wide as its label. */
    double left = SA_X_MIN + c->label_w, right = c->heat_grid.left - c->label_w - 0.45;
    double col_w = fmin(MAX_PITCH, (right - left - 2 * PANEL_GAP) / (3 * d_k));
    double panel_w = d_k * col_w, slot = fmax(panel_w, SA_PANEL_SLOT);
    left += (right - left - 3 * slot - 2 * PANEL_GAP) / 2 + (slot - panel_w) / 2;
    c->q_grid = (sa_grid){left, top, col_w, pitch, n, d_k};
    c->k_grid = c->q_grid;
    c->k_grid.left += slot + PANEL_GAP;
    c->v_grid = c->k_grid;
    c->v_grid.left += slot + PANEL_GAP;
    c->qkv_rows = sa_row_labels(c->s, c->cfg, &c->q_grid, left - 0.12, SA_LABEL_SIZE);

    double x_col_w = fmin(MAX_PITCH, (SA_X_MAX - c->heat_grid.left) / c->cfg->d_model);
    c->x_grid = (sa_grid){c->heat_grid.left, top, x_col_w, pitch, n, c->cfg->d_model};
    c->qkv_numbers = sa_fit_numbers(col_w, true);
    c->x_numbers = sa_fit_numbers(x_col_w, true);
    c->score_numbers = sa_fit_numbers(pitch - SA_CELL_GAP, true);
    c->weight_numbers = sa_fit_numbers(pitch - SA_CELL_GAP, false);
}

/* ── Phase 1: Intro — the title and the input tokens ──────────────────────────────────── */
void sa_intro(sa_ctx *c) {
    avz_scene *s = c->s;
    const sa_config *cfg = c->cfg;
    char note[256];

    avz_id title = avz_text(s, "Transformer Self-Attention", 42, AVZ_BLUE);
    avz_to_edge(s, title, AVZ_UP, 0.35);
    c->intro_tokens = token_row(c, 30, 0.2);
    avz_id heading = avz_text(s, "input tokens", 18, AVZ_GRAY);
    avz_next_to(s, heading, c->intro_tokens, AVZ_UP, 0.4);
    snprintf(note, sizeof note,
             "each token: an embedding of d_model = %d numbers, projected to d_k = %d "
             "(seed %llu)",
             cfg->d_model, cfg->d_k, (unsigned long long)cfg->seed);
    avz_id sub = avz_text(s, note, 16, AVZ_GRAY);
    avz_next_to(s, sub, c->intro_tokens, AVZ_DOWN, 0.45);
    c->intro = avz_group(s, heading, sub);

    SA_PLAY(c, 1.0, avz_write(title));
    SA_PLAY(c, 0.8, avz_fade_in(c->intro_tokens, sa_rise(), 1.0),
            avz_fade_in(heading, sa_rise(), 1.0));
    SA_PLAY(c, 0.6, avz_fade_in(sub, sa_rise(), 1.0));
}

/* ── Phase 2: Q K V Projection — embeddings X times W_Q, W_K, W_V ─────────────────────── */
static void project(sa_ctx *c, sa_matrix *dst, const sa_grid *g, const sa_tokens_by_k vals,
                    avz_color accent, const char *tex, avz_id extra) {
    avz_scene *s = c->s;
    sa_anims a = {0};
    /* A copy of the X frame slides over and gives way to the new panel: Q, K, V are X,
     * projected. It is made first to stay under the numbers (z-order is creation order). */
    avz_vec2 from = sa_grid_center(&c->x_grid), to = sa_grid_center(g);
    avz_id ghost = avz_rect(s, sa_grid_width(&c->x_grid), sa_grid_height(&c->x_grid),
                            avz_box_style(accent, 0.08, 1.5));
    avz_move_to(s, ghost, from);
    *dst = sa_matrix_new(s, g, &vals[0][0], SA_MAX_D_K, c->qkv_numbers, accent, tex);
    avz_vec2 slide = AVZ_V(to.x - from.x, to.y - from.y);
    SA_PLAY(c, 0.7, avz_fade_out(ghost, slide, 1.0), avz_fade_in(dst->frame, slide, 1.0));
    sa_anims_add(s, &a, avz_fade_in(dst->numbers, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_write(dst->label));
    if (extra != AVZ_NONE)
        sa_anims_add(s, &a, avz_fade_in(extra, AVZ_ORIGIN, 1.0));
    sa_play_list(c, 0.5, &a);
}

void sa_qkv_projection(sa_ctx *c) {
    avz_scene *s = c->s;
    sa_head *h = &c->m.head;
    sa_anims a = {0};
    char caption[160];

    c->tokens = token_row(c, 20, TOKENS_Y);
    c->x = sa_matrix_new(s, &c->x_grid, &c->m.x[0][0], SA_MAX_D_MODEL, c->x_numbers, AVZ_LIGHT_GRAY,
                         "X");
    /* The big row slides up and shrinks into the small one (a transform only cross-fades). */
    avz_vec2 up = AVZ_V(0.0, TOKENS_Y - avz_center(s, c->intro_tokens).y);
    SA_PLAY(c, 0.8, avz_fade_out(c->intro_tokens, up, 20.0 / 30.0),
            avz_fade_in(c->tokens, up, 30.0 / 20.0), avz_fade_out(c->intro, sa_rise(), 1.0));
    sa_strip_to(c, &a, NULL, AVZ_WHITE,
                "X: one embedding row per token (random here, from the seed)");
    sa_anims_add(s, &a, avz_fade_in(c->x.group, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_fade_in(c->heat_rows, AVZ_ORIGIN, 1.0));
    sa_play_list(c, 1.0, &a);

    a.count = 0;
    snprintf(caption, sizeof caption,
             "three learned %d \xC3\x97 %d weight matrices (drawn from seed %llu here) turn each "
             "row of X into a row of Q, K and V",
             c->cfg->d_model, c->cfg->d_k, (unsigned long long)c->cfg->seed);
    sa_strip_to(c, &a, "Q = XW_Q, \\quad K = XW_K, \\quad V = XW_V", AVZ_WHITE, caption);
    sa_play_list(c, 0.6, &a);

    project(c, &c->q, &c->q_grid, h->q, AVZ_YELLOW, "Q = XW_Q", c->qkv_rows);
    project(c, &c->k, &c->k_grid, h->k, AVZ_ORANGE, "K = XW_K", AVZ_NONE);
    project(c, &c->v, &c->v_grid, h->v, AVZ_GREEN, "V = XW_V", AVZ_NONE);

    /* One token's row in all four matrices: the projection works row by row. */
    int r = c->cfg->n > 1 ? 1 : 0;
    avz_id rows = avz_group(s, sa_outline(s, sa_grid_row_bounds(&c->x_grid, r, 0.03), SA_HIGHLIGHT),
                            sa_outline(s, sa_grid_row_bounds(&c->q_grid, r, 0.03), SA_HIGHLIGHT),
                            sa_outline(s, sa_grid_row_bounds(&c->k_grid, r, 0.03), SA_HIGHLIGHT),
                            sa_outline(s, sa_grid_row_bounds(&c->v_grid, r, 0.03), SA_HIGHLIGHT));
    SA_PLAY(c, 0.6, avz_create(rows));
    sa_hold(c, 0.5);
    SA_PLAY(c, 0.4, avz_fade_out(rows, AVZ_ORIGIN, 1.0));
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
    {"tokens", "The cat sat on mat",
     "the input tokens, separated by spaces: 2 to 8, each up to 10 characters"},
    {"d_model", "8", "embedding width: 2 to 12"},
    {"d_k", "4", "query, key and value width: 2 to 6, at most d_model"},
    {"heads", "4", "heads in the multi-head picture: 2 to 8"},
    {"seed", "7", "seed of the embeddings and weights: 0 to 2147483647"},
};

static int read_config(avz_scene *s, const avz_params *given, sa_config *cfg) {
    const avz_scene_def *def = &avz_scene_self_attention;
    avz_error err = {0};

    cfg->d_model = (int)avz_param_int(s, def, given, "d_model", SA_MIN_D_MODEL, SA_MAX_D_MODEL);
    cfg->d_k = (int)avz_param_int(s, def, given, "d_k", SA_MIN_D_K, SA_MAX_D_K);
    cfg->heads = (int)avz_param_int(s, def, given, "heads", SA_MIN_HEADS, SA_MAX_HEADS);
    cfg->seed = (uint64_t)avz_param_int(s, def, given, "seed", 0, SA_MAX_SEED);
    if (sa_tokens_split(avz_param_str(s, def, given, "tokens"), cfg, &err) ||
        sa_config_check(cfg, &err))
        avz_scene_fail(s, err.code, "%s", err.msg);
    return avz_scene_status(s, NULL);
}

static int build(avz_scene *s, const avz_params *given) {
    sa_config cfg;
    if (read_config(s, given, &cfg))
        return avz_scene_status(s, NULL);

    sa_ctx c = {.s = s, .cfg = &cfg};
    c.step = c.caption = c.hl_q = c.hl_k = c.hl_cell = AVZ_NONE;
    sa_model_compute(&cfg, 0, &c.m);
    layout(&c);
    for (size_t i = 0; i < sizeof storyboard / sizeof storyboard[0]; i++) {
        avz_phase(s, storyboard[i].name);
        storyboard[i].play(&c);
        pad_phase(&c, storyboard[i].name, storyboard[i].seconds);
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
