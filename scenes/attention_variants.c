/* The attention-variants scene: multi-head (MHA), multi-query (MQA) and grouped-query (GQA)
 * attention side by side, in three phases:
 *   heads         each variant's query heads wired to the key/value heads they read;
 *   cache-size    what each keeps in the KV cache per token, as bars;
 *   cache-growth  the three caches growing token by token.
 * First the layout, a pure function of the parameters (see the header), then the phases in
 * play order; the numbers they show are in attention_variants_model.c. */
#include "attention_variants.h"

#include <math.h>
#include <stdio.h>

/* ── Layout, in scene units (y up, the frame 8 tall and 14.2 wide) ───────────────────── */
#define COL_PITCH 4.5 /* three columns 4.2 wide, 0.3 apart */
#define COL_W 4.2
#define COL_TOP 3.1    /* the title stays above the columns */
#define HEADER_Y 2.65  /* the columns' names, on one baseline */
#define Q_Y 2.0        /* query heads, wired down to ... */
#define K_Y 0.9        /* ... their keys, with the values just under them */
#define KV_GAP 0.05    /* between a KV head's K and V */
#define SHARING_Y 0.05 /* who serves whom, under each column */
#define MAX_PITCH 0.45 /* of the head squares; a square takes 70% of it */
#define MAX_SIDE 0.32
#define AXIS_Y -2.9 /* each column's bar stands under it, clear of the sharing line */
#define BAR_LENGTH 2.3
#define BAR_W 1.1
#define CAPTION_Y -3.7     /* the bottom line */
#define CACHE_TOP 2.3      /* the caches hang from under the names ... */
#define CACHE_BOTTOM -2.85 /* ... and MHA's, the tallest, ends above the totals */
#define CACHE_LABEL_W 0.55 /* room left of a cache for "V16" */
#define CACHE_LABEL_GAP 0.1
#define MAX_CACHE_PITCH 0.34
#define TOTAL_Y -3.25

#define TITLE_SIZE 34
#define HEADER_SIZE 24
#define LABEL_SIZE 16
#define BAR_LABEL_SIZE 18
#define CAPTION_SIZE 15

#define Q_COLOR AVZ_BLUE
#define K_COLOR AVZ_YELLOW /* K and V as the gqa scene's cache */
#define V_COLOR AVZ_ORANGE
#define RISE AVZ_V(0.0, 0.2) /* the slide of captions fading in */

/* The phases' lengths, fixed so that pacing does not depend on the parameters. */
#define HEADS_SECONDS 12.0
#define CACHE_SIZE_SECONDS 10.0
#define CACHE_GROWTH_SECONDS 17.0
#define MAX_STEP 1.8     /* per token, so that a few tokens do not crawl */
#define HOLD_SECONDS 1.5 /* at least, on the full caches */
#define CLEAR_SECONDS 1.0

/* ── The layout ──────────────────────────────────────────────────────────────────────── */

double av_column_x(const av_layout *l, int variant) {
    return (l->column[variant].x0 + l->column[variant].x1) / 2;
}

double av_query_x(const av_layout *l, int variant, long heads, long q) {
    return av_column_x(l, variant) + ((double)q - (double)(heads - 1) / 2) * l->head_pitch;
}

double av_kv_x(const av_layout *l, int variant, long heads, long kv_heads, long j) {
    long group = heads / kv_heads;
    return av_query_x(l, variant, heads, j * group) + (double)(group - 1) / 2 * l->head_pitch;
}

void av_layout_make(const av_config *cfg, av_layout *out) {
    for (int v = 0; v < AV_VARIANTS; v++) {
        double x = (v - 1) * COL_PITCH;
        out->column[v] = (avz_bbox){x - COL_W / 2, -AV_FRAME_Y, x + COL_W / 2, COL_TOP};
    }
    /* The widest row of heads leaves room on the left for the Q/K/V legend. */
    out->head_pitch = fmin(MAX_PITCH, (COL_W - 0.2) / (double)cfg->heads);
    out->head_side = fmin(MAX_SIDE, 0.7 * out->head_pitch);
    out->q_y = Q_Y;
    out->k_y = K_Y;
    out->v_y = K_Y - out->head_side - KV_GAP;

    /* One pitch for all three caches, set by MHA's 2·heads rows, so that their sizes compare
     * by eye; the row labels shrink with the rows so that neighbours never touch. */
    out->row_pitch = fmin(MAX_CACHE_PITCH, (CACHE_TOP - CACHE_BOTTOM) / (2.0 * (double)cfg->heads));
    out->token_pitch = fmin(MAX_CACHE_PITCH, (COL_W - CACHE_LABEL_W) / (double)cfg->tokens);
    out->cache_side = 0.8 * fmin(out->row_pitch, out->token_pitch);
    out->cache_label_size = fmin(LABEL_SIZE, 80.0 * out->row_pitch);
    /* Each cache, at its full length, centred in its column and hung from CACHE_TOP. */
    double width = CACHE_LABEL_W + (double)cfg->tokens * out->token_pitch;
    for (int v = 0; v < AV_VARIANTS; v++)
        out->cache_first[v] =
            AVZ_V(av_column_x(out, v) - width / 2 + CACHE_LABEL_W + out->token_pitch / 2,
                  CACHE_TOP - out->row_pitch / 2);
}

/* ── Phase 1, heads: who reads which keys and values ──────────────────────────────────── */

static avz_id head_square(avz_scene *s, double side, avz_color color, avz_vec2 at) {
    avz_id square = avz_square(s, side, avz_box_style(color, 0.5, 2));
    avz_move_to(s, square, at);
    return square;
}

/* A column: its name, the query heads, the KV heads (K over V) under the middle of the query
 * heads they serve, a wire from each query head to its KV head, and who serves whom. */
static void make_column(av_ctx *c, int v) {
    avz_scene *s = c->s;
    const av_layout *l = &c->lay;
    long heads = c->cfg->heads, kv = c->v[v].kv_heads;
    double x = av_column_x(l, v), side = l->head_side;

    c->header[v] = avz_text_at(s, c->v[v].title, HEADER_SIZE, c->v[v].color, AVZ_TEXT_BOLD,
                               AVZ_V(x, HEADER_Y), AVZ_ORIGIN);
    c->queries[v] = avz_group_new(s);
    for (long q = 0; q < heads; q++)
        avz_group_add(s, c->queries[v],
                      head_square(s, side, Q_COLOR, AVZ_V(av_query_x(l, v, heads, q), l->q_y)));
    c->kv_heads[v] = avz_group_new(s);
    for (long j = 0; j < kv; j++) {
        double kx = av_kv_x(l, v, heads, kv, j);
        avz_group_add(s, c->kv_heads[v],
                      avz_group(s, head_square(s, side, K_COLOR, AVZ_V(kx, l->k_y)),
                                head_square(s, side, V_COLOR, AVZ_V(kx, l->v_y))));
    }
    avz_connector_spec wire = avz_wire(AVZ_GRAY, 1.5);
    c->wires[v] = avz_group_new(s);
    for (long q = 0; q < heads; q++) {
        avz_id kv_head = avz_group_member(s, c->kv_heads[v], (size_t)av_kv_head_of(q, heads, kv));
        avz_group_add(s, c->wires[v],
                      avz_connect(s, avz_group_member(s, c->queries[v], (size_t)q), AVZ_DOWN,
                                  kv_head, AVZ_UP, &wire));
    }
    c->sharing[v] = avz_text_at(s, c->v[v].sharing, CAPTION_SIZE, AVZ_LIGHT_GRAY, 0,
                                AVZ_V(x, SHARING_Y), AVZ_ORIGIN);
    avz_fit_width(s, c->sharing[v], COL_W);
}

/* "Q", "K" and "V" left of the first column's rows. */
static avz_id legend(av_ctx *c) {
    const av_layout *l = &c->lay;
    double x = av_query_x(l, AV_MHA, c->cfg->heads, 0) - l->head_side / 2 - 0.15;
    const struct {
        const char *text;
        avz_color color;
        double y;
    } rows[] = {{"Q", Q_COLOR, l->q_y}, {"K", K_COLOR, l->k_y}, {"V", V_COLOR, l->v_y}};
    avz_id group = avz_group_new(c->s);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        avz_group_add(c->s, group,
                      avz_text_at(c->s, rows[i].text, LABEL_SIZE, rows[i].color, AVZ_TEXT_MIDDLE,
                                  AVZ_V(x, rows[i].y), AVZ_RIGHT));
    return group;
}

static void phase_heads(av_ctx *c) {
    avz_scene *s = c->s;
    c->title =
        avz_text(s, "Multi-Head, Multi-Query and Grouped-Query Attention", TITLE_SIZE, AVZ_BLUE);
    avz_to_edge(s, c->title, AVZ_UP, 0.35);
    for (int v = 0; v < AV_VARIANTS; v++)
        make_column(c, v);
    c->legend = legend(c);

    avz_anims headers = {0}, queries = {0}, kv = {0}, wires = {0}, sharing = {0};
    for (int v = 0; v < AV_VARIANTS; v++) {
        avz_anims_add(s, &headers, avz_fade_in_ex(c->header[v], RISE, 1.0));
        avz_anims_add(s, &queries, avz_with_lag(avz_fade_in(c->queries[v]), 0.15));
        avz_anims_add(s, &kv, avz_with_lag(avz_fade_in(c->kv_heads[v]), 0.15));
        /* Within a column the wires run out one after another, overlapping. */
        avz_anims_add(s, &wires, avz_with_lag(avz_create(c->wires[v]), 0.3));
        avz_anims_add(s, &sharing, avz_fade_in_ex(c->sharing[v], RISE, 1.0));
    }
    avz_anims_add(s, &queries, avz_fade_in(c->legend));
    avz_play(s, AVZ_AUTO, avz_write(c->title));
    avz_lagged_anims(s, 1.2, 0.3, &headers);
    avz_play_anims(s, 1.0, &queries);
    avz_play_anims(s, 0.8, &kv);
    /* Column by column, so that one KV head per query, one for all and one per group are
     * seen in turn. */
    avz_lagged_anims(s, 4.0, 0.7, &wires);
    avz_play_anims(s, 1.0, &sharing);
}

/* ── Phase 2, cache-size: the KV cache per token, one bar under each column ───────────── */

static void phase_cache_size(av_ctx *c) {
    avz_scene *s = c->s;
    double values[AV_VARIANTS];
    const char *names[AV_VARIANTS], *ends[AV_VARIANTS];
    avz_color colors[AV_VARIANTS];
    for (int v = 0; v < AV_VARIANTS; v++) {
        values[v] = c->v[v].bytes;
        names[v] = c->v[v].name;
        ends[v] = c->v[v].bar_label;
        colors[v] = c->v[v].color;
    }
    /* One bar per column pitch, so that each stands under its column. */
    avz_bar_chart_spec spec = {.axis = AVZ_V(av_column_x(&c->lay, AV_MHA), AXIS_Y),
                               .grow = AVZ_UP,
                               .values = values,
                               .count = AV_VARIANTS,
                               .length = BAR_LENGTH,
                               .thickness = BAR_W,
                               .gap = COL_PITCH - BAR_W,
                               .colors = colors,
                               .fill_opacity = 0.6,
                               .stroke = AVZ_LIGHT_GRAY,
                               .stroke_width = 1,
                               .show_axis = true,
                               .labels = names,
                               .end_labels = ends,
                               .label_size = BAR_LABEL_SIZE,
                               .label_color = AVZ_WHITE};
    c->bars = avz_bar_chart_new(s, &spec);

    char caption[256];
    snprintf(caption, sizeof caption,
             "KV cache per token in KiB = 2 (K and V) × %ld layers × KV heads × %ld (head_dim) "
             "× %d bytes (fp16) / 1024;  ×1/n: MHA's size divided by n",
             c->cfg->layers, c->cfg->head_dim, AV_BYTES_PER_VALUE);
    c->bar_caption = avz_text(s, caption, CAPTION_SIZE, AVZ_LIGHT_GRAY);
    avz_fit_width(s, c->bar_caption, 2 * AV_FRAME_X);
    avz_move_to(s, c->bar_caption, AVZ_V(0.0, CAPTION_Y));

    avz_play(s, 1.5, avz_write(c->bar_caption));
    avz_play(s, 0.8, avz_create(c->bars.axis), avz_fade_in(c->bars.labels));
    avz_play(s, 1.5, avz_with_lag(avz_grow(c->bars.bars, avz_bar_chart_base(&spec)), 0.3));
    avz_play(s, 1.0, avz_with_lag(avz_fade_in_ex(c->bars.end_labels, RISE, 1.0), 0.3));
}

/* ── Phase 3, cache-growth: one column of K and V per KV head for every token ─────────── */

static void make_cache(av_ctx *c, int v) {
    int rows = (int)(2 * c->v[v].kv_heads);
    char names[2 * AV_MAX_HEADS][16];
    const char *labels[2 * AV_MAX_HEADS];
    for (int r = 0; r < rows; r++) {
        snprintf(names[r], sizeof names[r], "%c%d", r % 2 ? 'V' : 'K', r / 2 + 1);
        labels[r] = names[r];
    }
    avz_kv_cache_spec spec = {.first = c->lay.cache_first[v],
                              .rows = rows,
                              .side = c->lay.cache_side,
                              .pitch = c->lay.token_pitch,
                              .row_pitch = c->lay.row_pitch,
                              .grow = AVZ_RIGHT,
                              .colors = c->row_colors,
                              .fill_opacity = 0.5,
                              .stroke_width = 1,
                              .row_labels = labels,
                              .label_size = c->lay.cache_label_size,
                              .label_gap = CACHE_LABEL_GAP};
    c->cache[v] = avz_kv_cache_new(c->s, &spec);
}

/* "3 × 16 KiB = 48 KiB" under a cache holding 3 tokens. */
static avz_id total_label(av_ctx *c, int v, long tokens) {
    char all[24], text[96];
    av_format_kib(c->v[v].bytes * (double)tokens, all, sizeof all);
    if (tokens == 0)
        snprintf(text, sizeof text, "empty");
    else
        snprintf(text, sizeof text, "%ld × %s = %s KiB", tokens, c->v[v].size, all);
    avz_id label = avz_text_at(c->s, text, LABEL_SIZE, c->v[v].color, 0,
                               AVZ_V(av_column_x(&c->lay, v), TOTAL_Y), AVZ_ORIGIN);
    avz_fit_width(c->s, label, COL_W);
    return label;
}

static avz_id counter_label(av_ctx *c, long tokens) {
    char text[64];
    snprintf(text, sizeof text, "tokens cached: %ld of %ld", tokens, c->cfg->tokens);
    return avz_text_at(c->s, text, BAR_LABEL_SIZE, AVZ_WHITE, 0, AVZ_V(0.0, CAPTION_Y), AVZ_ORIGIN);
}

/* Everything but the columns' names gives way to a new title, the empty caches and their
 * totals. */
static void show_caches(av_ctx *c) {
    avz_scene *s = c->s;
    avz_anims a = {0};
    avz_id gone[] = {c->title, c->legend, c->bars.group, c->bar_caption};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        avz_anims_add(s, &a, avz_fade_out(gone[i]));
    for (int v = 0; v < AV_VARIANTS; v++) {
        avz_anims_add(s, &a, avz_fade_out(c->queries[v]));
        avz_anims_add(s, &a, avz_fade_out(c->kv_heads[v]));
        avz_anims_add(s, &a, avz_fade_out(c->wires[v]));
        avz_anims_add(s, &a, avz_fade_out(c->sharing[v]));
    }
    avz_play_anims(s, 1.0, &a);

    /* A new title rather than a cross-fade: two titles this long would blur into each other. */
    c->cache_title = avz_text(s, "The KV Cache, One Column per Token", TITLE_SIZE, AVZ_BLUE);
    avz_to_edge(s, c->cache_title, AVZ_UP, 0.35);
    avz_anims_add(s, &a, avz_fade_in_ex(c->cache_title, RISE, 1.0));

    for (int r = 0; r < 2 * AV_MAX_HEADS; r++)
        c->row_colors[r] = r % 2 ? V_COLOR : K_COLOR;
    for (int v = 0; v < AV_VARIANTS; v++) {
        make_cache(c, v);
        c->total[v] = total_label(c, v, 0);
        avz_anims_add(s, &a, avz_fade_in(c->cache[v].labels));
        avz_anims_add(s, &a, avz_fade_in(c->total[v]));
    }
    c->counter = counter_label(c, 0);
    avz_anims_add(s, &a, avz_fade_in(c->counter));
    avz_play_anims(s, 0.8, &a);
}

/* Token t joins every cache: its K and V squares appear head by head from the top, so that
 * MHA has many more to write than MQA in the same time; totals and counter follow. */
static void cache_token(av_ctx *c, long t, double step) {
    avz_scene *s = c->s;
    avz_anims a = {0};
    for (int v = 0; v < AV_VARIANTS; v++) {
        avz_anims_add(s, &a, avz_with_lag(avz_fade_in(avz_kv_cache_grow(s, &c->cache[v])), 0.1));
        avz_id total = total_label(c, v, t);
        avz_anims_add(s, &a, avz_transform(c->total[v], total));
        c->total[v] = total;
    }
    avz_id counter = counter_label(c, t);
    avz_anims_add(s, &a, avz_transform(c->counter, counter));
    c->counter = counter;
    avz_play_anims(s, 0.6 * step, &a);
    avz_wait(s, 0.4 * step);
}

static void phase_cache_growth(av_ctx *c) {
    show_caches(c);
    /* The tokens share what is left before the last look and the clear. */
    double left = CACHE_GROWTH_SECONDS - HOLD_SECONDS - CLEAR_SECONDS - avz_phase_time(c->s);
    double step = fmin(MAX_STEP, left / (double)c->cfg->tokens);
    for (long t = 1; t <= c->cfg->tokens; t++)
        cache_token(c, t, step);
    /* The full caches hold until the phase's last second, which clears the screen. */
    avz_wait_until(c->s, CACHE_GROWTH_SECONDS - CLEAR_SECONDS);
    avz_play(c->s, CLEAR_SECONDS, avz_clear());
}

/* ── The scene ───────────────────────────────────────────────────────────────────────── */

static const struct {
    const char *name;
    double seconds;
    void (*play)(av_ctx *);
} storyboard[] = {
    {"heads", HEADS_SECONDS, phase_heads},
    {"cache-size", CACHE_SIZE_SECONDS, phase_cache_size},
    {"cache-growth", CACHE_GROWTH_SECONDS, phase_cache_growth},
};

void av_storyboard(av_ctx *c) {
    av_variants_make(c->cfg, c->v);
    av_layout_make(c->cfg, &c->lay);
    for (size_t i = 0; i < sizeof storyboard / sizeof storyboard[0]; i++) {
        avz_phase_len(c->s, storyboard[i].name, storyboard[i].seconds);
        storyboard[i].play(c);
    }
}

static const avz_param_def params[] = {
    AVZ_PARAM_INT("heads", "8", 1, AV_MAX_HEADS, "query heads"),
    AVZ_PARAM_INT("kv_groups", "2", 1, AV_MAX_HEADS, "GQA's KV heads; must divide heads"),
    AVZ_PARAM_INT("head_dim", "128", 8, 1024, "dimension of one head"),
    AVZ_PARAM_INT("layers", "32", 1, 256, "transformer blocks, each with its own KV cache"),
    AVZ_PARAM_INT("tokens", "6", 1, AV_MAX_TOKENS, "tokens the caches grow by, a column each"),
};

static int build(avz_scene *s, const avz_params *given) {
    av_config cfg = {.heads = avz_param_int(s, given, "heads"),
                     .kv_groups = avz_param_int(s, given, "kv_groups"),
                     .head_dim = avz_param_int(s, given, "head_dim"),
                     .layers = avz_param_int(s, given, "layers"),
                     .tokens = avz_param_int(s, given, "tokens")};
    avz_error err = {0};
    /* A parameter that could not be read is 0: kv_groups must not reach the division. */
    if (avz_scene_status(s, NULL) != 0)
        return avz_scene_status(s, NULL);
    if (av_config_check(&cfg, &err))
        return avz_scene_fail(s, err.code, "%s", err.msg);
    av_ctx c = {.s = s, .cfg = &cfg};
    av_storyboard(&c);
    return avz_scene_status(s, NULL);
}

const avz_scene_def avz_scene_attention_variants = {
    .name = "attention-variants",
    .summary = "Multi-head, multi-query and grouped-query attention side by side: shared KV "
               "heads and the KV cache they need (39 s)",
    .params = params,
    .param_count = sizeof params / sizeof params[0],
    .build = build,
};
