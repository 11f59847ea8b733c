/* The self-attention scene: scaled dot-product attention worked through on real numbers.
 *
 * Its numbers (parameters, embeddings, one head's attention) are small pure functions so that
 * tests can recompute what the video shows; the phases build on the engine's grids, heatmaps
 * and token cards. Matrices are compact row-major arrays: a n x d matrix has rows d apart.
 * Uses the public API only. */
#ifndef ATTNVIZ_SCENES_SELF_ATTENTION_H
#define ATTNVIZ_SCENES_SELF_ATTENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attnviz/attention.h"
#include "attnviz/color.h"
#include "attnviz/figures.h"
#include "attnviz/grid.h"
#include "attnviz/plugin.h"

extern const avz_scene_def avz_scene_self_attention;

/* What the layout can show legibly on one 16:9 frame. */
#define SA_MIN_TOKENS 2
#define SA_MAX_TOKENS 8
#define SA_MAX_TOKEN_CHARS 10
#define SA_MAX_D_MODEL 12
#define SA_MAX_D_K 6

typedef struct sa_config {
    avz_tokens tokens;
    const char *names[SA_MAX_TOKENS]; /* tokens.text, for labels */
    avz_color hues[SA_MAX_TOKENS];    /* each token's colour */
    int n;                            /* token count */
    int d_model, d_k, heads;
    uint64_t seed;
} sa_config;

/* Splits the tokens into cfg (names and hues too) and checks the sizes against each other
 * (d_k at most d_model); -EINVAL with a message. */
int sa_config_make(const char *tokens, sa_config *cfg, avz_error *err);

/* One head's work on the embeddings x. */
typedef struct sa_head {
    double w_q[SA_MAX_D_MODEL * SA_MAX_D_K], w_k[SA_MAX_D_MODEL * SA_MAX_D_K],
        w_v[SA_MAX_D_MODEL * SA_MAX_D_K]; /* d_model x d_k */
    double q[SA_MAX_TOKENS * SA_MAX_D_K], k[SA_MAX_TOKENS * SA_MAX_D_K],
        v[SA_MAX_TOKENS * SA_MAX_D_K];             /* n x d_k */
    double scores[SA_MAX_TOKENS * SA_MAX_TOKENS];  /* Q K^T */
    double scaled[SA_MAX_TOKENS * SA_MAX_TOKENS];  /* Q K^T / sqrt(d_k) */
    double weights[SA_MAX_TOKENS * SA_MAX_TOKENS]; /* softmax of each row of scaled */
    double out[SA_MAX_TOKENS * SA_MAX_D_K];        /* weights V */
} sa_head;

typedef struct sa_model {
    int n, d_model, d_k;
    double x[SA_MAX_TOKENS * SA_MAX_D_MODEL]; /* token embeddings, n x d_model */
    sa_head head;
} sa_model;

/* Draws the embeddings, then W_Q, W_K, W_V of heads 0..head in turn (so head 0 is the same
 * whatever the head count), and computes that head's attention. */
void sa_model_compute(const sa_config *cfg, int head, sa_model *m);

/* ── Storyboard: the context the phases share (self_attention.c) ──────────────────────── */

#define SA_X_MIN (-AVZ_FRAME_WIDTH / 2 + 0.4) /* the frame's margins */
#define SA_X_MAX (AVZ_FRAME_WIDTH / 2 - 0.4)
#define SA_CAPTION_Y -3.55 /* the bottom line: what the current step does */
#define SA_LABEL_SIZE 14   /* token names beside matrices and the heatmap */
#define SA_PANEL_SLOT 2.0  /* the width a panel's label needs */
#define SA_CELL_GAP 0.05
#define SA_HIGHLIGHT AVZ_WHITE /* Q, K, V wear the gqa scene's yellow, orange, green */
#define SA_MAX_MARK AVZ_ORANGE
#define SA_TILT (AVZ_PI / 4) /* of key names too wide for their column */
#define SA_SQRT "\xE2\x88\x9A"
#define SA_RISE AVZ_V(0.0, 0.2) /* the slide of text rolling in and out */

typedef struct sa_ctx {
    avz_scene *s;
    const sa_config *cfg;
    sa_model m;

    double label_w; /* room for the widest token name, left of a matrix */
    bool tilt;      /* the heatmap's key names are tilted */
    avz_number_format qkv_numbers, x_numbers, score_numbers, weight_numbers;
    avz_grid x_grid, q_grid, k_grid, v_grid, heat_grid;

    avz_id intro, intro_tokens, tokens; /* the title stays throughout */
    avz_id step, caption;               /* the bottom strip */
    avz_matrix x, q, k, v, out;
    avz_id qkv_rows, heat_rows; /* heat_rows first label the rows of X */
    avz_id heat_cols, heat_header, slots;
    avz_heatmap heat;
    avz_id values[SA_MAX_TOKENS][SA_MAX_TOKENS]; /* the number each cell shows now */
    avz_id hl_q, hl_k, hl_cell;                  /* the dot product being shown */
    avz_id why, sums, max_boxes;
    avz_id signs, outputs; /* outputs: everything on screen in the output phase */
    avz_id formula, steps;
    avz_id multi;
} sa_ctx;

/* Swaps the bottom strip's formula (when tex is given) and caption, rolling them upwards;
 * sa_clear_strip empties it. */
void sa_strip_to(sa_ctx *c, avz_anims *a, const char *tex, avz_color color, const char *caption);
void sa_clear_strip(sa_ctx *c, avz_anims *a);
/* A matrix panel of values (rows `stride` apart) on grid g, labelled by tex and its size. */
avz_matrix sa_panel(sa_ctx *c, const avz_grid *g, const double *values, int stride,
                    avz_number_format numbers, avz_color accent, const char *tex);
/* A highlight around a box: drawn the first time, then slid there (boxes of one slot share a
 * size); sa_clear_highlights fades all three out. */
void sa_highlight(sa_ctx *c, avz_anims *a, avz_id *slot, avz_bbox box);
void sa_clear_highlights(sa_ctx *c, avz_anims *a);

/* The phases, in play order (1, 2 in self_attention.c; 3 to 5 in self_attention_heatmap.c;
 * 6 to 8 in self_attention_recap.c). */
void sa_intro(sa_ctx *c);
void sa_qkv_projection(sa_ctx *c);
void sa_attention_scores(sa_ctx *c);
void sa_scale_softmax(sa_ctx *c);
void sa_output(sa_ctx *c);
void sa_full_formula(sa_ctx *c);
void sa_multi_head(sa_ctx *c);
void sa_outro(sa_ctx *c);

#endif
