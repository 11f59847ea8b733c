/* The self-attention scene's numbers: parameters, a seeded generator and the attention
 * arithmetic, as small pure functions so that tests can recompute what the video shows.
 *
 * Matrices are fixed-size row-major arrays at the largest allowed sizes; only the leading
 * n x d part is used. */
#ifndef ATTNVIZ_SCENES_SELF_ATTENTION_H
#define ATTNVIZ_SCENES_SELF_ATTENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attnviz/error.h"
#include "attnviz/registry.h"
#include "attnviz/scene.h"

extern const avz_scene_def avz_scene_self_attention;

/* What the layout can show legibly on one 16:9 frame. */
#define SA_MIN_TOKENS 2
#define SA_MAX_TOKENS 8
#define SA_MAX_TOKEN_CHARS 10
#define SA_MIN_D_MODEL 2
#define SA_MAX_D_MODEL 12
#define SA_MIN_D_K 2
#define SA_MAX_D_K 6
#define SA_MIN_HEADS 2
#define SA_MAX_HEADS 8
#define SA_MAX_SEED 2147483647L

typedef struct sa_config {
    char tokens[SA_MAX_TOKENS][4 * SA_MAX_TOKEN_CHARS + 1]; /* UTF-8 */
    int n;                                                  /* token count */
    int d_model, d_k, heads;
    uint64_t seed;
} sa_config;

/* Splits space-separated tokens into cfg->tokens and cfg->n; -EINVAL with a message when
 * there are fewer than SA_MIN_TOKENS or more than SA_MAX_TOKENS, or one is too long. */
int sa_tokens_split(const char *text, sa_config *cfg, avz_error *err);
/* Checks the sizes against each other (d_k at most d_model); -EINVAL with a message. */
int sa_config_check(const sa_config *cfg, avz_error *err);

/* splitmix64: the same seed gives the same numbers on every machine. */
uint64_t sa_rng_next(uint64_t *state);
/* Uniform in [-1, 1), from the top 53 bits, so the value is exact on any IEEE-754 machine. */
double sa_rng_uniform(uint64_t *state);

typedef double sa_tokens_by_model[SA_MAX_TOKENS][SA_MAX_D_MODEL];
typedef double sa_model_by_k[SA_MAX_D_MODEL][SA_MAX_D_K];
typedef double sa_tokens_by_k[SA_MAX_TOKENS][SA_MAX_D_K];
typedef double sa_tokens_by_tokens[SA_MAX_TOKENS][SA_MAX_TOKENS];

/* One head's work on the embeddings x. */
typedef struct sa_head {
    sa_model_by_k w_q, w_k, w_v;
    sa_tokens_by_k q, k, v;
    sa_tokens_by_tokens scores;  /* Q K^T */
    sa_tokens_by_tokens scaled;  /* Q K^T / sqrt(d_k) */
    sa_tokens_by_tokens weights; /* softmax of each row of scaled */
    sa_tokens_by_k out;          /* weights V */
} sa_head;

typedef struct sa_model {
    int n, d_model, d_k;
    sa_tokens_by_model x; /* token embeddings */
    sa_head head;
} sa_model;

/* out = x w: (n x d_model) (d_model x d_k). */
void sa_project(const sa_tokens_by_model x, const sa_model_by_k w, int n, int d_model, int d_k,
                sa_tokens_by_k out);
/* out = q k^T. */
void sa_scores(const sa_tokens_by_k q, const sa_tokens_by_k k, int n, int d_k,
               sa_tokens_by_tokens out);
/* out = in * factor. */
void sa_scale(const sa_tokens_by_tokens in, int n, double factor, sa_tokens_by_tokens out);
/* Numerically stable softmax of each row (the row maximum is subtracted first). */
void sa_softmax_rows(const sa_tokens_by_tokens in, int n, sa_tokens_by_tokens out);
/* out = w v: (n x n) (n x d_k). */
void sa_weighted_sum(const sa_tokens_by_tokens w, const sa_tokens_by_k v, int n, int d_k,
                     sa_tokens_by_k out);
/* Standard deviation of the n x n entries: how far scores spread around their mean. */
double sa_spread(const sa_tokens_by_tokens in, int n);
/* Index of the largest of row[0..n); the first one on ties. */
int sa_argmax(const double *row, int n);

/* Draws the embeddings, then W_Q, W_K, W_V of heads 0..head in turn (so head 0 is the same
 * whatever the head count), and computes that head's attention. */
void sa_model_compute(const sa_config *cfg, int head, sa_model *m);

/* ── Drawing pieces (self_attention_parts.c) ─────────────────────────────────────────── */

/* A distinct hue for token i of n, spread over the palette's colour wheel. */
avz_color sa_token_hue(int i, int n);
/* The heatmap's ramp: dark (t = 0) to bright (t = 1). */
avz_color sa_heat_color(double t);
/* Text colour that reads on a heatmap cell of ramp value t. */
avz_color sa_heat_ink(double t);
/* v rounded to decimals places, with a typographic minus and no negative zero. */
void sa_format(double v, int decimals, char *buf, size_t size);

/* How the numbers of a column are set: two decimals while they fit it at a legible size,
 * else one. negative: whether they may carry a minus. */
typedef struct sa_numbers {
    double font_size;
    int decimals;
} sa_numbers;
sa_numbers sa_fit_numbers(double column_width, bool negative);

/* Ink width of a text, without making a node. */
double sa_text_width(avz_scene *s, const char *utf8, double font_size);
/* Text on a baseline, so that words in a row line up whatever their letters: the baseline
 * lies where a capital centred on at.y would stand. anchor says which point of the text is at
 * at.x: AVZ_LEFT its left end, AVZ_ORIGIN its middle, AVZ_RIGHT its right end. */
avz_id sa_label(avz_scene *s, const char *utf8, double font_size, avz_color color, avz_vec2 at,
                avz_vec2 anchor);
/* A token in a rounded box tinted with its hue. */
avz_id sa_token_card(avz_scene *s, const char *token, avz_color hue, double font_size);

/* Rows and columns of equal cells from a top-left corner. */
typedef struct sa_grid {
    double left, top, col_w, row_h;
    int rows, cols;
} sa_grid;

avz_vec2 sa_grid_cell(const sa_grid *g, int r, int c);
avz_vec2 sa_grid_center(const sa_grid *g);
double sa_grid_width(const sa_grid *g);
double sa_grid_height(const sa_grid *g);
/* The same grid with its centre at center. */
sa_grid sa_grid_moved(const sa_grid *g, avz_vec2 center);
/* The box of the grid, of row r or of one cell, grown by pad. */
avz_bbox sa_grid_bounds(const sa_grid *g, double pad);
avz_bbox sa_grid_row_bounds(const sa_grid *g, int r, double pad);
avz_bbox sa_grid_cell_bounds(const sa_grid *g, int r, int c, double pad);
/* A highlight: an outline of the box. */
avz_id sa_outline(avz_scene *s, avz_bbox box, avz_color color);

/* A matrix of numbers in a frame tinted with accent, labelled above by a formula and, at its
 * right, by its size in gray. vals is row-major with the given stride. */
typedef struct sa_matrix {
    sa_grid grid;
    avz_id frame, numbers, label, group; /* group: frame, numbers, label */
} sa_matrix;

sa_matrix sa_matrix_new(avz_scene *s, const sa_grid *g, const double *vals, int stride,
                        sa_numbers numbers, avz_color accent, const char *label_tex);
/* Token names in their hues, right-aligned at x, one per row of g. */
avz_id sa_row_labels(avz_scene *s, const sa_config *cfg, const sa_grid *g, double x,
                     double font_size);

/* Animations gathered for one avz_play_list call. */
#define SA_MAX_ANIMS 256
typedef struct sa_anims {
    avz_anim items[SA_MAX_ANIMS];
    size_t count;
} sa_anims;

/* Appends an animation; past SA_MAX_ANIMS it records -E2BIG in the scene instead. */
void sa_anims_add(avz_scene *s, sa_anims *list, avz_anim anim);

/* ── Storyboard: the context the phases share (self_attention.c) ──────────────────────── */

#define SA_X_MIN (-AVZ_FRAME_WIDTH / 2 + 0.4) /* the frame's margins */
#define SA_X_MAX (AVZ_FRAME_WIDTH / 2 - 0.4)
#define SA_CAPTION_Y -3.55 /* the bottom line: what the current step does */
#define SA_LABEL_SIZE 14   /* token names beside matrices and the heatmap */
#define SA_PANEL_SLOT 2.0  /* the width a panel's label needs */
#define SA_CELL_GAP 0.05
#define SA_HIGHLIGHT AVZ_WHITE /* Q, K, V wear the gqa scene's yellow, orange, green */
#define SA_MAX_MARK AVZ_ORANGE
#define SA_TILT (3.14159265358979323846 / 4) /* of key names too wide for their column */
#define SA_SQRT "\xE2\x88\x9A"

typedef struct sa_ctx {
    avz_scene *s;
    const sa_config *cfg;
    sa_model m;
    double clock; /* seconds played so far in the current phase */

    double label_w; /* room for the widest token name, left of a matrix */
    int tilt;       /* the heatmap's key names are tilted */
    sa_numbers qkv_numbers, x_numbers, score_numbers, weight_numbers;
    sa_grid x_grid, q_grid, k_grid, v_grid, heat_grid;

    avz_id intro, intro_tokens, tokens; /* the title stays throughout */
    avz_id step, caption;               /* the bottom strip */
    sa_matrix x, q, k, v, out;
    avz_id qkv_rows, heat_rows; /* heat_rows first label the rows of X */
    avz_id heat_cols, heat_header, slots;
    avz_id cells[SA_MAX_TOKENS][SA_MAX_TOKENS], values[SA_MAX_TOKENS][SA_MAX_TOKENS];
    avz_id hl_q, hl_k, hl_cell; /* the dot product being shown */
    avz_id why, sums, max_boxes;
    avz_id signs, outputs; /* outputs: everything on screen in the output phase */
    avz_id formula, steps;
    avz_id multi;
} sa_ctx;

/* Every play goes through these, so that a phase can pad itself to its nominal length. */
void sa_play_list(sa_ctx *c, double seconds, const sa_anims *list);
#define SA_PLAY(c, seconds, ...)                                                                   \
    do {                                                                                           \
        avz_play((c)->s, (seconds), __VA_ARGS__);                                                  \
        (c)->clock += (seconds);                                                                   \
    } while (0)
void sa_hold(sa_ctx *c, double seconds);

/* The slide of text rolling in and out. */
avz_vec2 sa_rise(void);
avz_id sa_number(sa_ctx *c, double v, sa_numbers fmt, avz_color color, avz_vec2 at);
/* Swaps the bottom strip's formula (when tex is given) and caption, rolling them upwards;
 * sa_clear_strip empties it. */
void sa_strip_to(sa_ctx *c, sa_anims *a, const char *tex, avz_color color, const char *caption);
void sa_clear_strip(sa_ctx *c, sa_anims *a);

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
