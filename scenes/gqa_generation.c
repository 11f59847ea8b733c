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
#define BLOCK_FONT 10 /* the original's 9, enlarged to read at 1080p */
#define CACHE_X 1.8
#define CACHE_SIDE 0.16
#define CACHE_PITCH 0.20
#define CACHE_K_Y 0.37
#define CACHE_V_Y 0.10
#define DIST_Y (-1.45)
#define DIST_MAX_W 2.8
#define BAR_H 0.12
#define BAR_GAP 0.02
#define SEQ_X (-4.0)
#define SEQ_Y 2.0
#define SEQ_PITCH 0.55
#define STEP_Y (-2.1)

enum { EMBEDDING, NORM_IN, BLOCKS, NORM_OUT, HEAD, BLOCK_COUNT };

typedef struct generation {
    avz_id block[BLOCK_COUNT];
    avz_id card[GQA_MAX_TOKENS];
    double card_x[GQA_MAX_TOKENS];
    avz_id step_label;
} generation;

/* Cards sit the original's 0.55 apart, wider tokens further; a row too long for the space
 * right of its start moves left, and one wider than the frame is an error. */
static void plan_sequence(avz_scene *s, generation *g, const gqa_tokens *t) {
    double first = gqa_token_card_width(s, t->text[0]), last = first;
    g->card_x[0] = SEQ_X;
    for (size_t k = 1; k < t->count; k++) {
        double width = gqa_token_card_width(s, t->text[k]);
        g->card_x[k] = g->card_x[k - 1] + fmax(SEQ_PITCH, (last + width) / 2 + 0.1);
        last = width;
    }
    double row_left = SEQ_X - first / 2, row_right = g->card_x[t->count - 1] + last / 2;
    double shift = fmax(0.0, row_right - GQA_FRAME_RIGHT);
    if (row_left - shift < -GQA_FRAME_RIGHT)
        avz_scene_fail(s, -EINVAL,
                       "tokens: the generated sequence would be %.1f units wide and the "
                       "frame holds %.1f; use fewer or shorter tokens",
                       row_right - row_left, 2 * GQA_FRAME_RIGHT);
    for (size_t k = 0; k < t->count; k++)
        g->card_x[k] -= shift;
}

static avz_id cache_square(avz_scene *s, size_t index, avz_color color, double y) {
    avz_id square = avz_square(s, CACHE_SIDE, avz_box_style(color, 0.4, 0.5));
    avz_move_to(s, square, AVZ_V(CACHE_X + (double)index * CACHE_PITCH, y));
    return square;
}

static void step_text(char *buf, size_t size, const gqa_tokens *t, size_t step) {
    int len = snprintf(buf, size, "Step %zu — [", step);
    for (size_t k = 0; k <= step; k++)
        len += snprintf(buf + len, size - (size_t)len, "%s%s", k ? " " : "", t->text[k]);
    snprintf(buf + len, size - (size_t)len, step == 0 ? "] → ?" : "]");
}

static avz_id step_label(avz_scene *s, const gqa_tokens *t, size_t step) {
    char text[GQA_MAX_TOKENS * GQA_TOKEN_BYTES + 32];
    step_text(text, sizeof text, t, step);
    avz_id label = avz_text(s, text, 12, AVZ_GRAY); /* the original's 9, enlarged */
    gqa_fit_width(s, label, 2 * GQA_FRAME_RIGHT);
    avz_move_to(s, label, AVZ_V(0, STEP_Y));
    return label;
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
        g->block[b] =
            gqa_block(s, spec[b].label, spec[b].color, spec[b].width, spec[b].height, BLOCK_FONT);
        avz_move_to(s, g->block[b], AVZ_V(PIPE_X, spec[b].y));
    }
    avz_id arrow[BLOCK_COUNT - 1];
    for (size_t b = 0; b + 1 < BLOCK_COUNT; b++)
        arrow[b] = avz_arrow(s, avz_edge(s, g->block[b], AVZ_DOWN),
                             avz_edge(s, g->block[b + 1], AVZ_UP), AVZ_GRAY, 1.2, 0.07, 0.25);
    avz_play(s, AVZ_AUTO, avz_fade_in(avz_group_of(s, g->block, BLOCK_COUNT), AVZ_ORIGIN, 1),
             avz_fade_in(avz_group_of(s, arrow, BLOCK_COUNT - 1), AVZ_ORIGIN, 1));

    /* The original's 8 and 7 point cache labels, enlarged. */
    avz_id cache_title = avz_text(s, "KV Cache", 10, AVZ_GRAY);
    avz_move_to(s, cache_title, AVZ_V(CACHE_X, 0.32 + 0.55 / 2 + 0.2));
    avz_id k_head = avz_text(s, "K:", 10, AVZ_YELLOW);
    avz_move_to(s, k_head, AVZ_V(CACHE_X - 0.65, CACHE_K_Y));
    avz_id v_head = avz_text(s, "V:", 10, AVZ_ORANGE);
    avz_move_to(s, v_head, AVZ_V(CACHE_X - 0.65, CACHE_V_Y));
    avz_id cache =
        avz_group(s, cache_title, k_head, v_head, cache_square(s, 0, AVZ_YELLOW, CACHE_K_Y),
                  cache_square(s, 0, AVZ_ORANGE, CACHE_V_Y));
    avz_play(s, AVZ_AUTO, avz_fade_in(cache, AVZ_ORIGIN, 1));

    g->card[0] = gqa_token_card(s, cfg->tokens.text[0], AVZ_BLUE, AVZ_BLUE);
    avz_move_to(s, g->card[0], AVZ_V(g->card_x[0], SEQ_Y));
    avz_play(s, AVZ_AUTO, avz_fade_in(g->card[0], AVZ_ORIGIN, 1));
    g->step_label = step_label(s, &cfg->tokens, 0);
    avz_play(s, AVZ_AUTO, avz_write(g->step_label));
    avz_wait(s, 0.5);
}

/* The last token is marked and sent into the pipeline, which pulses once. */
static void feed_last_token(avz_scene *s, const generation *g, size_t step) {
    avz_id last = g->card[step - 1];
    avz_id mark = avz_surround(s, last, AVZ_YELLOW, 0.04, 2);
    avz_play(s, 0.12, avz_create(mark));
    avz_id in = avz_arrow(s, avz_edge(s, last, AVZ_DOWN), avz_edge(s, g->block[EMBEDDING], AVZ_UP),
                          AVZ_YELLOW, 2, 0.08, 0.25);
    avz_play(s, 0.1, avz_fade_in(in, AVZ_ORIGIN, 0.5));

    avz_anim up[BLOCK_COUNT], down[BLOCK_COUNT];
    for (size_t b = 0; b < BLOCK_COUNT; b++) {
        avz_id box = avz_group_member(s, g->block[b], 0);
        up[b] = avz_fill_opacity_to(box, 0.6);
        down[b] = avz_fill_opacity_to(box, 0.25);
    }
    avz_play_list(s, 0.12, up, BLOCK_COUNT);
    avz_play_list(s, 0.1, down, BLOCK_COUNT);
    avz_play(s, 0.08, avz_fade_out(in, AVZ_ORIGIN, 1), avz_fade_out(mark, AVZ_ORIGIN, 1));
}

/* Bars left-aligned under the pipeline, one per candidate, each with "token pct%". */
static avz_id distribution_bars(avz_scene *s, const gqa_dist *dist, avz_id *top_bar) {
    avz_id bar[GQA_DIST_ITEMS], label[GQA_DIST_ITEMS];
    double left = PIPE_X - DIST_MAX_W / 2;
    double top = DIST_Y + (GQA_DIST_ITEMS * BAR_H + (GQA_DIST_ITEMS - 1) * BAR_GAP) / 2;
    for (size_t k = 0; k < GQA_DIST_ITEMS; k++) {
        double share = dist->items[k].percent / 100.0;
        avz_style style = {.fill = avz_color_lerp(AVZ_BLUE, AVZ_RED, share),
                           .fill_opacity = 0.85,
                           .stroke = AVZ_LIGHT_GRAY,
                           .stroke_opacity = 1.0,
                           .stroke_width = 0.3};
        bar[k] = avz_rect(s, DIST_MAX_W * share, BAR_H, style);
        avz_move_to(s, bar[k],
                    AVZ_V(left + DIST_MAX_W * share / 2, top - (double)k * (BAR_H + BAR_GAP)));
        char text[GQA_TOKEN_BYTES + 8];
        snprintf(text, sizeof text, "%s %d%%", dist->items[k].token, dist->items[k].percent);
        label[k] = avz_text(s, text, 9, AVZ_WHITE); /* the original's 7, enlarged */
        avz_next_to(s, label[k], bar[k], AVZ_RIGHT, 0.05);
    }
    *top_bar = bar[0];
    return avz_group(s, avz_group_of(s, bar, GQA_DIST_ITEMS),
                     avz_group_of(s, label, GQA_DIST_ITEMS));
}

/* The distribution appears, its argmax is picked, the token rises into the sequence and
 * takes the sequence's colours; its K and V join the cache. */
static void predict_token(avz_scene *s, generation *g, const gqa_config *cfg, size_t step) {
    avz_vec2 head_bottom = avz_edge(s, g->block[HEAD], AVZ_DOWN);
    avz_id out = avz_arrow(s, head_bottom, AVZ_V(head_bottom.x, head_bottom.y - 0.22), AVZ_GRAY, 1,
                           0.06, 0.25);
    gqa_dist dist;
    gqa_distribution(&cfg->tokens, step, cfg->seed, &dist);
    avz_id top_bar;
    avz_id bars = distribution_bars(s, &dist, &top_bar);
    avz_play(s, 0.25, avz_fade_in(out, AVZ_ORIGIN, 0.5), avz_fade_in(bars, AVZ_ORIGIN, 0.8));

    avz_id pick = avz_surround(s, top_bar, AVZ_YELLOW, 0.02, 1.5);
    avz_id argmax = avz_text(s, "✓ argmax", 9, AVZ_YELLOW); /* the original's 7, enlarged */
    avz_next_to(s, argmax, bars, AVZ_DOWN, 0.05);
    avz_play(s, 0.2, avz_create(pick), avz_write(argmax));
    avz_wait(s, 0.15);

    avz_id card = g->card[step] = gqa_token_card(s, cfg->tokens.text[step], AVZ_YELLOW, AVZ_YELLOW);
    avz_move_to(s, card, AVZ_V(PIPE_X, DIST_Y - 0.45));
    avz_play(s, 0.15, avz_fade_in(card, AVZ_ORIGIN, 0.4));
    avz_play(s, 0.3, avz_move(card, AVZ_V(g->card_x[step], SEQ_Y)));
    avz_id box = avz_group_member(s, card, 0);
    avz_play(s, AVZ_AUTO, avz_fill_to(box, AVZ_DARK_BLUE, 0.5), avz_stroke_to(box, AVZ_GRAY, 0.5),
             avz_fade_out(pick, AVZ_ORIGIN, 1), avz_fade_out(argmax, AVZ_ORIGIN, 1));

    avz_play(s, 0.15, avz_fade_in(cache_square(s, step, AVZ_YELLOW, CACHE_K_Y), AVZ_ORIGIN, 1.5),
             avz_fade_in(cache_square(s, step, AVZ_ORANGE, CACHE_V_Y), AVZ_ORIGIN, 1.5));
    avz_play(s, 0.08, avz_fade_out(bars, AVZ_ORIGIN, 1), avz_fade_out(out, AVZ_ORIGIN, 1));
}

static void advance_step_label(avz_scene *s, generation *g, const gqa_tokens *t, size_t step) {
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
