/* The attention-variants scene: multi-head (MHA), multi-query (MQA) and grouped-query (GQA)
 * attention side by side — who shares keys and values, what that saves in the KV cache per
 * token, and the three caches growing token by token.
 *
 * The numbers (each variant's KV heads, bytes per token and labels) and the layout (where the
 * columns, heads, bars and caches stand) are pure functions of the parameters, so that tests
 * can check them without building a scene. Uses the public API only. */
#ifndef ATTNVIZ_SCENES_ATTENTION_VARIANTS_H
#define ATTNVIZ_SCENES_ATTENTION_VARIANTS_H

#include <stddef.h>

#include "attnviz/attention.h"
#include "attnviz/figures.h"
#include "attnviz/grid.h"
#include "attnviz/plugin.h"

extern const avz_scene_def avz_scene_attention_variants;

/* What one 16:9 frame shows legibly: 16 query heads make MHA's cache 32 rows of K and V, the
 * most that fit under the headers with readable row labels; 16 tokens the most columns. */
#define AV_MAX_HEADS 16
#define AV_MAX_TOKENS 16

/* Everything the scene draws stays inside this box, clear of the frame's edges. */
#define AV_FRAME_X 7.0
#define AV_FRAME_Y 3.9

#define AV_BYTES_PER_VALUE 2 /* fp16 */

typedef struct av_config {
    long heads;     /* query heads */
    long kv_groups; /* GQA's KV heads */
    long head_dim, layers, tokens;
} av_config;

/* kv_groups must divide heads: -EINVAL with a message otherwise. */
int av_config_check(const av_config *cfg, avz_error *err);

/* The columns, left to right. */
enum { AV_MHA, AV_MQA, AV_GQA, AV_VARIANTS };

typedef struct av_variant {
    const char *name;  /* "MQA" */
    const char *title; /* "Multi-Query (MQA)" */
    avz_color color;
    long kv_heads;
    double bytes;       /* KV cache per token: avz_kv_bytes_per_token */
    char size[32];      /* "16 KiB" */
    char bar_label[64]; /* "16 KiB · ×1/8": the size and the share of MHA's */
    char sharing[64];   /* "1 KV head serving all 8 Q heads" */
} av_variant;

void av_variants_make(const av_config *cfg, av_variant out[AV_VARIANTS]);
/* bytes in KiB to four significant digits, without trailing zeros: "128", "1.5", "0.03125",
 * "0.03516"; whole KiB from 1000 on. */
void av_format_kib(double bytes, char *buf, size_t size);
/* The KV head that query head q reads when kv_heads KV heads serve `heads` query heads. */
long av_kv_head_of(long q, long heads, long kv_heads);

/* ── Layout ────────────────────────────────────────────────────────────────────────────── */

typedef struct av_layout {
    avz_bbox column[AV_VARIANTS]; /* each variant's share of the frame */
    double head_pitch, head_side; /* query and KV head squares along a row */
    double q_y, k_y, v_y;         /* the centres of the query, key and value rows */
    /* The caches: one square per token and row, rows K and V of each KV head in turn. */
    double row_pitch, token_pitch, cache_side, cache_label_size;
    avz_vec2 cache_first[AV_VARIANTS]; /* the centre of row 0's square for token 0 */
} av_layout;

void av_layout_make(const av_config *cfg, av_layout *out);
double av_column_x(const av_layout *l, int variant);
/* The centres of query head q and of KV head j of a variant with kv_heads KV heads: each KV
 * head sits under the middle of the query heads it serves. */
double av_query_x(const av_layout *l, int variant, long heads, long q);
double av_kv_x(const av_layout *l, int variant, long heads, long kv_heads, long j);

/* ── The storyboard ──────────────────────────────────────────────────────────────────── */

/* What the phases show, kept so that each phase can fade out the last one's nodes (and a
 * test can measure them). */
typedef struct av_ctx {
    avz_scene *s;
    const av_config *cfg;
    av_variant v[AV_VARIANTS];
    av_layout lay;

    avz_id title, cache_title;  /* the second replaces the first in the last phase */
    avz_id header[AV_VARIANTS]; /* stay until the end */
    avz_id legend;              /* "Q", "K", "V" left of the first column */
    avz_id queries[AV_VARIANTS], kv_heads[AV_VARIANTS]; /* groups of squares (K over V) */
    avz_id wires[AV_VARIANTS], sharing[AV_VARIANTS];
    avz_bar_chart bars;
    avz_id bar_caption;
    avz_color row_colors[2 * AV_MAX_HEADS]; /* K, V, K, ...: the caches keep this pointer */
    avz_kv_cache cache[AV_VARIANTS];
    avz_id total[AV_VARIANTS], counter; /* the labels showing now */
} av_ctx;

/* Plays every phase into s, in order. */
void av_storyboard(av_ctx *c);

#endif
