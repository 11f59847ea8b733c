/* gqa scene, section 4: auto-regressive generation. The model pipeline and its KV cache stand
 * still while, for each token after the first, the last token goes in, the pipeline pulses,
 * the next-token distribution appears, its argmax rises into the sequence and the cache grows
 * by one K and one V. Phase: generation. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gqa.h"

/* The original's layout: the pipeline column, the cache to its right, the sequence above. */
#define PIPE_X (-1.0)
#define BLOCK_W 1.8
#define BLOCK_H 0.28
#define CACHE_X 1.8
#define CACHE_K_Y 0.37
#define CACHE_V_Y 0.10
#define DIST_Y (-1.45)
#define DIST_MAX_W 2.8
#define BAR_H 0.12
#define BAR_GAP 0.02
#define SEQ_X (-4.0)
#define SEQ_Y 2.0
#define SEQ_PITCH 0.55
#define SEQ_ROW_PITCH 0.35 /* rows of a sequence too long for one, upwards from SEQ_Y */
#define SEQ_MAX_ROWS 3     /* under the title */
#define STEP_Y (-2.1)

enum { EMBEDDING, NORM_IN, BLOCKS, NORM_OUT, HEAD, BLOCK_COUNT };

typedef struct generation {
    avz_id block[BLOCK_COUNT];
    avz_id card[GQA_MAX_TOKENS];
    double card_x[GQA_MAX_TOKENS], card_y[GQA_MAX_TOKENS];
    avz_kv_cache cache;
    avz_id step_label;
} generation;

/* The next card's centre after one at x: the original's 0.55 apart, wider tokens further. */
static double next_card_x(double x, double last_width, double width) {
    return x + fmax(SEQ_PITCH, (last_width + width) / 2 + 0.1);
}

/* Cards in rows from the frame's left margin, each as long as fits, read downwards so that
 * the last row ends at SEQ_Y, over the pipeline (the cards of later rows come after the
 * ones fed from above them). More rows than fit under the title is an error. */
static void wrap_sequence(avz_scene *s, generation *g, const avz_tokens *t, const double *widths) {
    size_t row[GQA_MAX_TOKENS], rows = 1;
    for (size_t k = 0; k < t->count; k++) {
        double x = k ? next_card_x(g->card_x[k - 1], widths[k - 1], widths[k]) : 0;
        if (k == 0 || x + widths[k] / 2 > GQA_FRAME_RIGHT) {
            rows += k > 0;
            x = -GQA_FRAME_RIGHT + widths[k] / 2;
        }
        g->card_x[k] = x;
        row[k] = rows - 1;
    }
    if (rows > SEQ_MAX_ROWS)
        avz_scene_fail(s, -EINVAL,
                       "tokens: the generated sequence would take %zu rows of cards and the "
                       "frame holds %d; use fewer or shorter tokens",
                       rows, SEQ_MAX_ROWS);
    for (size_t k = 0; k < t->count; k++)
        g->card_y[k] = SEQ_Y + (double)(rows - 1 - row[k]) * SEQ_ROW_PITCH;
}

/* One row from SEQ_X; a row too long for the space right of its start moves left, and one
 * wider than the frame wraps. */
static void plan_sequence(avz_scene *s, generation *g, const avz_tokens *t) {
    avz_card_spec spec = gqa_card(AVZ_BLUE, AVZ_BLUE);
    double widths[GQA_MAX_TOKENS] = {0};
    for (size_t k = 0; k < t->count; k++) {
        widths[k] = avz_token_card_width(s, t->text[k], &spec);
        g->card_x[k] = k ? next_card_x(g->card_x[k - 1], widths[k - 1], widths[k]) : SEQ_X;
        g->card_y[k] = SEQ_Y;
    }
    double row_left = SEQ_X - widths[0] / 2;
    double row_right = g->card_x[t->count - 1] + widths[t->count - 1] / 2;
    double shift = fmax(0.0, row_right - GQA_FRAME_RIGHT);
    if (row_left - shift < -GQA_FRAME_RIGHT) {
        wrap_sequence(s, g, t, widths);
        return;
    }
    for (size_t k = 0; k < t->count; k++)
        g->card_x[k] -= shift;
}

/* "Step 2 — [<s> The cat]", the first one asking for what comes next. A sequence too long
 * for one line wraps onto lines below, its first line where a single one would stand. */
static avz_id step_label(avz_scene *s, const avz_tokens *t, size_t step) {
    char tokens[sizeof t->text], text[sizeof t->text + 32], wrapped[sizeof text];
    avz_tokens_join(t, 0, step + 1, tokens, sizeof tokens);
    snprintf(text, sizeof text, "Step %zu — [%s]%s", step, tokens, step == 0 ? " → ?" : "");
    const double size = 12; /* the original's 9, enlarged */
    if (avz_wrap_text(s, text, size, AVZ_TEXT_CENTERED, 2 * GQA_FRAME_RIGHT, wrapped,
                      sizeof wrapped) > 1) {
        /* The first line's ink centred on STEP_Y, as a one-line label's is. */
        *strchr(wrapped, '\n') = '\0';
        avz_text_metrics first = avz_measure_text(s, wrapped, size, AVZ_TEXT_CENTERED);
        wrapped[strlen(wrapped)] = '\n';
        double baseline = STEP_Y - (first.ascent - first.descent) / 2;
        return avz_text_at(s, wrapped, size, AVZ_GRAY, AVZ_TEXT_CENTERED, AVZ_V(0, baseline),
                           AVZ_ORIGIN);
    }
    avz_id label = avz_text(s, text, size, AVZ_GRAY);
    avz_fit_width(s, label, 2 * GQA_FRAME_RIGHT);
    avz_move_to(s, label, AVZ_V(0, STEP_Y));
    return label;
}

/* The cache: K and V rows that gain a square each per token (the original's 8 and 7 point
 * labels, enlarged). */
static void make_cache(avz_scene *s, generation *g) {
    static const avz_color colors[] = {AVZ_YELLOW, AVZ_ORANGE};
    static const char *const names[] = {"K:", "V:"};
    avz_kv_cache_spec spec = {.first = AVZ_V(CACHE_X, CACHE_K_Y),
                              .rows = 2,
                              .side = 0.16,
                              .pitch = 0.20,
                              .row_pitch = CACHE_K_Y - CACHE_V_Y,
                              .grow = AVZ_RIGHT,
                              .colors = colors,
                              .fill_opacity = 0.4,
                              .stroke_width = 0.5,
                              .row_labels = names,
                              .label_size = 10,
                              .label_gap = 0.5,
                              .title = "KV Cache",
                              .title_gap = 0.38};
    g->cache = avz_kv_cache_new(s, &spec);
}

/* Title, pipeline with its arrows, the cache holding the prompt's K and V, the prompt card. */
static void show_pipeline(avz_scene *s, generation *g, const gqa_config *cfg,
                          const gqa_labels *labels) {
    avz_id title = avz_text(s, "Auto-regressive Generation", 34, AVZ_BLUE);
    avz_to_edge(s, title, AVZ_UP, 0.35);
    avz_play(s, AVZ_AUTO, avz_write(title));

    const struct {
        const char *label;
        avz_color color;
        double width, height, y;
    } spec[BLOCK_COUNT] = {
        {"Embedding", AVZ_YELLOW, BLOCK_W, BLOCK_H, 1.40},
        {"RMS Norm", AVZ_GREEN, BLOCK_W, BLOCK_H, 0.95},
        {labels->blocks, AVZ_PURPLE, 2.4, 0.55, 0.32},
        {"RMS Norm", AVZ_GREEN, BLOCK_W, BLOCK_H, -0.25},
        {"LM Head", AVZ_RED, BLOCK_W, BLOCK_H, -0.70},
    };
    for (size_t b = 0; b < BLOCK_COUNT; b++) {
        g->block[b] = gqa_block(s, spec[b].label, spec[b].color, spec[b].width, spec[b].height);
        avz_move_to(s, g->block[b], AVZ_V(PIPE_X, spec[b].y));
    }
    avz_id arrow[BLOCK_COUNT - 1];
    for (size_t b = 0; b + 1 < BLOCK_COUNT; b++)
        arrow[b] = avz_arrow(s, avz_edge(s, g->block[b], AVZ_DOWN),
                             avz_edge(s, g->block[b + 1], AVZ_UP), AVZ_GRAY, 1.2, 0.07, 0.25);
    avz_play(s, AVZ_AUTO, avz_fade_in(avz_group_of(s, g->block, BLOCK_COUNT)),
             avz_fade_in(avz_group_of(s, arrow, BLOCK_COUNT - 1)));

    make_cache(s, g);
    avz_kv_cache_grow(s, &g->cache);
    avz_play(s, AVZ_AUTO, avz_fade_in(g->cache.group));

    avz_card_spec prompt = gqa_card(AVZ_BLUE, AVZ_BLUE);
    g->card[0] = avz_token_card(s, cfg->tokens.text[0], &prompt);
    avz_move_to(s, g->card[0], AVZ_V(g->card_x[0], g->card_y[0]));
    avz_play(s, AVZ_AUTO, avz_fade_in(g->card[0]));
    g->step_label = step_label(s, &cfg->tokens, 0);
    avz_play(s, AVZ_AUTO, avz_write(g->step_label));
    avz_wait(s, 0.5);
}

/* The last token is marked and sent into the pipeline, which pulses once. */
static void feed_last_token(avz_scene *s, const generation *g, size_t step) {
    /* The last card stands in its slot of the sequence, where its move took it, not where it
     * was made. */
    avz_bbox last = avz_bbox_moved_to(avz_bounds(s, g->card[step - 1]),
                                      AVZ_V(g->card_x[step - 1], g->card_y[step - 1]));
    avz_id mark = avz_outline(s, avz_bbox_grow(last, 0.04), AVZ_YELLOW, 2);
    avz_play(s, 0.12, avz_create(mark));
    avz_id in = avz_arrow(s, avz_bbox_edge(last, AVZ_DOWN),
                          avz_edge(s, g->block[EMBEDDING], AVZ_UP), AVZ_YELLOW, 2, 0.08, 0.25);
    avz_play(s, 0.1, avz_fade_in_ex(in, AVZ_ORIGIN, 0.5));

    avz_anims up = {0}, down = {0};
    for (size_t b = 0; b < BLOCK_COUNT; b++) {
        avz_id box = avz_group_member(s, g->block[b], 0);
        avz_anims_add(s, &up, avz_fill_opacity_to(box, 0.6));
        avz_anims_add(s, &down, avz_fill_opacity_to(box, 0.25));
    }
    avz_play_anims(s, 0.12, &up);
    avz_play_anims(s, 0.1, &down);
    avz_play(s, 0.08, avz_fade_out(in), avz_fade_out(mark));
}

/* Bars left-aligned under the pipeline, one per candidate, each with "token pct%". */
static avz_bar_chart distribution_bars(avz_scene *s, const gqa_dist *dist) {
    double shares[GQA_DIST_ITEMS];
    avz_color colors[GQA_DIST_ITEMS];
    char texts[GQA_DIST_ITEMS][sizeof dist->items[0].token + 8];
    const char *labels[GQA_DIST_ITEMS];
    for (size_t k = 0; k < GQA_DIST_ITEMS; k++) {
        shares[k] = dist->items[k].percent / 100.0;
        colors[k] = avz_ramp_at(&avz_ramp_blue_red, shares[k]);
        snprintf(texts[k], sizeof texts[k], "%s %d%%", dist->items[k].token,
                 dist->items[k].percent);
        labels[k] = texts[k];
    }
    double top = DIST_Y + (GQA_DIST_ITEMS * BAR_H + (GQA_DIST_ITEMS - 1) * BAR_GAP) / 2;
    avz_bar_chart_spec spec = {.axis = AVZ_V(PIPE_X - DIST_MAX_W / 2, top),
                               .grow = AVZ_RIGHT,
                               .values = shares,
                               .count = GQA_DIST_ITEMS,
                               .max_value = 1.0,
                               .length = DIST_MAX_W,
                               .thickness = BAR_H,
                               .gap = BAR_GAP,
                               .colors = colors,
                               .fill_opacity = 0.85,
                               .stroke = AVZ_LIGHT_GRAY,
                               .stroke_width = 0.3,
                               .end_labels = labels,
                               .label_size = 9, /* the original's 7, enlarged */
                               .label_color = AVZ_WHITE};
    return avz_bar_chart_new(s, &spec);
}

/* The distribution appears, its argmax is picked, the token rises into the sequence and
 * takes the sequence's colours; its K and V join the cache. */
static void predict_token(avz_scene *s, generation *g, const gqa_config *cfg, size_t step) {
    avz_vec2 head_bottom = avz_edge(s, g->block[HEAD], AVZ_DOWN);
    avz_id out = avz_arrow(s, head_bottom, AVZ_V(head_bottom.x, head_bottom.y - 0.22), AVZ_GRAY, 1,
                           0.06, 0.25);
    gqa_dist dist;
    gqa_distribution(&cfg->tokens, step, cfg->seed, &dist);
    avz_bar_chart bars = distribution_bars(s, &dist);
    avz_play(s, 0.25, avz_fade_in_ex(out, AVZ_ORIGIN, 0.5),
             avz_fade_in_ex(bars.group, AVZ_ORIGIN, 0.8));

    avz_id pick = avz_surround(s, avz_group_member(s, bars.bars, 0), AVZ_YELLOW, 0.02, 1.5);
    avz_id argmax = avz_text(s, "✓ argmax", 9, AVZ_YELLOW); /* the original's 7, enlarged */
    avz_next_to(s, argmax, bars.group, AVZ_DOWN, 0.05);
    avz_play(s, 0.2, avz_create(pick), avz_write(argmax));
    avz_wait(s, 0.15);

    avz_card_spec spec = gqa_card(AVZ_YELLOW, AVZ_YELLOW);
    avz_id card = g->card[step] = avz_token_card(s, cfg->tokens.text[step], &spec);
    avz_move_to(s, card, AVZ_V(PIPE_X, DIST_Y - 0.45));
    avz_play(s, 0.15, avz_fade_in_ex(card, AVZ_ORIGIN, 0.4));
    avz_play(s, 0.3, avz_move(card, AVZ_V(g->card_x[step], g->card_y[step])));
    avz_id box = avz_group_member(s, card, 0);
    avz_play(s, AVZ_AUTO, avz_fill_to(box, AVZ_DARK_BLUE, 0.5), avz_stroke_to(box, AVZ_GRAY, 0.5),
             avz_fade_out(pick), avz_fade_out(argmax));

    avz_id token = avz_kv_cache_grow(s, &g->cache);
    avz_play(s, 0.15, avz_fade_in_ex(avz_group_member(s, token, 0), AVZ_ORIGIN, 1.5),
             avz_fade_in_ex(avz_group_member(s, token, 1), AVZ_ORIGIN, 1.5));
    avz_play(s, 0.08, avz_fade_out(bars.group), avz_fade_out(out));
}

static void advance_step_label(avz_scene *s, generation *g, const avz_tokens *t, size_t step) {
    avz_id next = step_label(s, t, step);
    avz_play(s, AVZ_AUTO, avz_transform(g->step_label, next));
    g->step_label = next;
    avz_wait(s, 0.3);
}

void gqa_generation_section(avz_scene *s, const gqa_config *cfg, const gqa_labels *labels) {
    avz_phase(s, "generation");
    generation g;
    plan_sequence(s, &g, &cfg->tokens);
    show_pipeline(s, &g, cfg, labels);
    for (size_t step = 1; step < cfg->tokens.count; step++) {
        feed_last_token(s, &g, step);
        predict_token(s, &g, cfg, step);
        advance_step_label(s, &g, &cfg->tokens, step);
    }
    avz_wait(s, 2.0);
}
