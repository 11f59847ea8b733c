/* The gqa scene: Grouped-Query Attention explained in four sections, ported from the
 * original ManimCE script (../shared/seeds/gqa_manim_original.py).
 *
 * The model's numbers (labels, attention scores and weights, next-token distributions) are
 * pure functions here so that tests can check them without building a scene; the section
 * builders (gqa_*.c) turn them into nodes and animations. Uses the public API only. */
#ifndef ATTNVIZ_SCENES_GQA_H
#define ATTNVIZ_SCENES_GQA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attnviz/attention.h"
#include "attnviz/color.h"
#include "attnviz/figures.h"
#include "attnviz/grid.h"
#include "attnviz/plugin.h"

/* The heatmap's cells shrink as tokens are added; below this pitch the rotated column labels
 * of neighbouring columns run into each other, which bounds the token count. */
#define GQA_HEATMAP_TOP 1.4
#define GQA_HEATMAP_BOTTOM (-3.6)
#define GQA_HEATMAP_PITCH 0.56 /* the original's 0.52 cell + 0.04 gap */
#define GQA_HEATMAP_MIN_PITCH 0.30
#define GQA_MAX_TOKENS 16 /* (GQA_HEATMAP_TOP - GQA_HEATMAP_BOTTOM) / GQA_HEATMAP_MIN_PITCH */
#define GQA_MAX_TOKEN_CHARS 12
#define GQA_DIST_ITEMS 5 /* bars per generation step, as in the original */

typedef struct gqa_model {
    long hidden, q_heads, kv_heads, head_dim, layers;
} gqa_model;

typedef struct gqa_config {
    gqa_model model;
    avz_tokens tokens;
    uint64_t seed;
} gqa_config;

/* Every label that states a number of the model. */
typedef struct gqa_labels {
    char q_proj[128], k_proj[128], v_proj[128], o_proj[128]; /* "Q Projection\n1536 → 24×64" */
    char repeat_box[128];                                    /* "Repeat KV\n4 heads → 24 heads" */
    char repeat_note[128];   /* "repeat_kv(): broadcast\n4 heads → 24 heads" */
    char ratio[128];         /* "GQA 6:1 — 24 Q-heads → 4 KV-heads" */
    char saving[128];        /* "KV cache reduced by 83%" */
    char ratio_caption[256]; /* ratio and saving, wrapped to fit beside the diagram */
    char blocks[128];        /* "Transformer Block\n× 24" */
} gqa_labels;

/* One bar of a next-token distribution: a token and its share in whole percent. */
typedef struct gqa_choice {
    char token[sizeof((avz_tokens *)0)->text[0]];
    int percent;
} gqa_choice;

typedef struct gqa_dist {
    gqa_choice items[GQA_DIST_ITEMS]; /* the sampled (argmax) token first */
} gqa_dist;

/* ── Pure model (gqa_model.c) ─────────────────────────────────────────────────────────── */
int gqa_model_check(const gqa_model *m, avz_error *err);
/* Splits at spaces; 2..GQA_MAX_TOKENS tokens of at most GQA_MAX_TOKEN_CHARS characters. */
int gqa_tokens_parse(const char *text, avz_tokens *out, avz_error *err);
bool gqa_tokens_are_default(const avz_tokens *t);
void gqa_labels_make(const gqa_model *m, gqa_labels *out);
/* Pre-mask scores QK^T/sqrt(d_k), n*n row-major: the original's table for the default
 * tokens, otherwise drawn from seed with the same character (diagonal-dominant, decaying
 * with distance). */
void gqa_scores(const avz_tokens *t, uint64_t seed, double *scores);
/* Row-wise softmax with the causal mask (j > i is -inf): masked weights are 0, rows sum to 1. */
void gqa_causal_softmax(const double *scores, size_t n, double *weights);
/* The distribution that predicts token step (1..count-1) from the ones before it: the
 * original's for the default tokens, otherwise drawn from seed; sums to 100, argmax first. */
void gqa_distribution(const avz_tokens *t, size_t step, uint64_t seed, gqa_dist *out);

/* ── Scene (gqa.c) ───────────────────────────────────────────────────────────────────── */
extern const avz_scene_def avz_scene_gqa;

/* The original's mk() box and its bold, rounded pipeline block: groups of (box, label). */
avz_id gqa_box(avz_scene *s, const char *label, avz_color color, double width, double height);
avz_id gqa_block(avz_scene *s, const char *label, avz_color color, double width, double height);
/* The original's token card: a bold white label on a box of the given colours. */
avz_card_spec gqa_card(avz_color fill, avz_color stroke);

#define GQA_FRAME_MARGIN 0.15
#define GQA_FRAME_RIGHT (AVZ_FRAME_WIDTH / 2 - GQA_FRAME_MARGIN)

/* ── Sections, in play order (gqa_diagram.c, gqa_sdpa.c, gqa_heatmap.c, gqa_generation.c) */
void gqa_diagram_section(avz_scene *s, const gqa_labels *labels);
/* Returns its title, which the heatmap's first play fades out. */
avz_id gqa_sdpa_section(avz_scene *s);
void gqa_heatmap_section(avz_scene *s, const gqa_config *cfg, avz_id previous_title);
void gqa_generation_section(avz_scene *s, const gqa_config *cfg, const gqa_labels *labels);

#endif
