/* The self-attention scene, phases 6 to 8: the whole formula, several heads at once, and a
 * summary of the steps. */
#include "self_attention.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ── Phase 6: Full Formula — the four steps in one line ───────────────────────────────── */

void sa_full_formula(sa_ctx *c) {
    avz_scene *s = c->s;
    static const struct {
        const char *tex, *what;
    } steps[] = {
        {"\\text{(1) } S = QK^\\top", "score matrix \xE2\x80\x94 pairwise token similarity"},
        {"\\text{(2) } S \\mathbin{/} \\sqrt{d_k}",
         "scale \xE2\x80\x94 keeps softmax out of saturation, where gradients vanish"},
        {"\\text{(3) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)",
         "normalize \xE2\x80\x94 each row sums to 1 (probability)"},
        {"\\text{(4) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right) \\cdot "
         "V",
         "weighted sum \xE2\x80\x94 aggregate values by attention"},
    };
    const avz_color colors[] = {AVZ_YELLOW, AVZ_ORANGE, AVZ_GREEN, AVZ_BLUE};
    avz_anims a = {0};

    avz_anims_add(s, &a, avz_fade_out(c->tokens));
    avz_anims_add(s, &a, avz_fade_out(c->outputs));
    sa_clear_strip(c, &a);
    avz_play_anims(s, 0.7, &a);

    c->formula = avz_math(s,
                          "\\operatorname{Attention}(Q,K,V)=\\operatorname{softmax}\\!\\left("
                          "\\frac{QK^\\top}{\\sqrt{d_k}}\\right)\\!V",
                          40, AVZ_WHITE);
    avz_move_to(s, c->formula, AVZ_V(0.0, 1.75));
    avz_play(s, 1.2, avz_write(c->formula));

    c->steps = avz_group_new(s);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        avz_id line = avz_group(s, avz_math(s, steps[i].tex, 26, colors[i]),
                                avz_text(s, steps[i].what, 14, AVZ_GRAY));
        avz_arrange(s, line, AVZ_DOWN, 0.08, AVZ_ORIGIN);
        avz_group_add(s, c->steps, line);
    }
    avz_arrange(s, c->steps, AVZ_DOWN, 0.24, AVZ_LEFT);
    avz_next_to(s, c->steps, c->formula, AVZ_DOWN, 0.6);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        avz_play(s, 0.35, avz_write(avz_group_member(s, c->steps, i)));
}

/* ── Phase 7: Multi-Head Note — heads side by side, concatenated, projected by W_O ─────── */
/* Head h's attention weights, computed with its own W_Q, W_K, W_V, as a small heatmap. */
static avz_id head_picture(sa_ctx *c, int head, double cell, avz_vec2 at) {
    avz_scene *s = c->s;
    sa_model m;
    sa_model_compute(c->cfg, head, &m);
    avz_grid g = avz_grid_at(at, m.n, m.n, cell, cell);
    double lo, hi;
    avz_mat_range(m.head.weights, (size_t)(m.n * m.n), &lo, &hi);

    avz_color hue = avz_hue((size_t)head, (size_t)c->cfg->heads);
    avz_id frame = avz_round_rect(s, avz_grid_width(&g) + 0.24, avz_grid_height(&g) + 0.24, 0.08,
                                  (avz_style){hue, 0.08, hue, 1.0, 1.5});
    avz_move_to(s, frame, at);
    avz_id picture = avz_group(s, frame);
    for (int i = 0; i < m.n; i++)
        for (int j = 0; j < m.n; j++) {
            avz_color fill = avz_ramp_at(&avz_ramp_sequential, m.head.weights[i * m.n + j] / hi);
            avz_id square = avz_square(s, cell * 0.9, (avz_style){fill, 0.95, fill, 1.0, 0.0});
            avz_move_to(s, square, avz_grid_cell(&g, i, j));
            avz_group_add(s, picture, square);
        }
    char name[32];
    snprintf(name, sizeof name, "head %d", head + 1);
    avz_id label = avz_text(s, name, 16, hue);
    avz_next_to(s, label, frame, AVZ_UP, 0.12);
    avz_group_add(s, picture, label);
    return picture;
}

typedef struct multi_head_parts {
    avz_id pictures, wires, concat, concat_label, w_o, arrows, result;
} multi_head_parts;

/* Heads side by side; under each, its own stretch of the concatenation (its n x d_k output),
 * so every wire drops straight down; then W_O and the result. */
static multi_head_parts multi_head_diagram(sa_ctx *c) {
    avz_scene *s = c->s;
    int heads = c->cfg->heads, n = c->m.n;
    double slot = fmin(2.3, (SA_X_MAX - SA_X_MIN) / heads - 0.3), pitch = slot + 0.3;
    double cell = fmin(slot - 0.3, 1.8) / n, head_y = 1.3, bar_y = -0.5;
    multi_head_parts p = {
        .pictures = avz_group_new(s), .wires = avz_group_new(s), .concat = avz_group_new(s)};
    char text[128];

    snprintf(text, sizeof text, "%d \xC3\x97 %d", n, c->m.d_k);
    for (int h = 0; h < heads; h++) {
        double x = (h - (heads - 1) / 2.0) * pitch;
        avz_color hue = avz_hue((size_t)h, (size_t)heads);
        avz_group_add(s, p.pictures, head_picture(c, h, cell, AVZ_V(x, head_y)));
        avz_id part = avz_rect(s, pitch, 0.4, (avz_style){hue, 0.35, hue, 1.0, 1.5});
        avz_move_to(s, part, AVZ_V(x, bar_y));
        avz_group_add(s, p.concat, part);
        if (pitch > 0.8)
            avz_group_add(
                s, p.concat,
                avz_text_at(s, text, 13, AVZ_WHITE, AVZ_TEXT_MIDDLE, AVZ_V(x, bar_y), AVZ_ORIGIN));
        avz_group_add(s, p.wires,
                      avz_line(s, AVZ_V(x, head_y - n * cell / 2 - 0.12), AVZ_V(x, bar_y + 0.2),
                               AVZ_GRAY, 1.5));
    }
    p.w_o = avz_group(s, avz_rect(s, 1.0, 0.55, avz_box_style(AVZ_PURPLE, 0.12, 1.5)),
                      avz_math(s, "W_O", 26, AVZ_PURPLE));
    avz_move_to(s, p.w_o, AVZ_V(0.0, bar_y - 0.85));
    snprintf(text, sizeof text, "output: %d \xC3\x97 %d, a row per token, as wide as X", n,
             c->m.d_model);
    p.result = avz_text(s, text, 16, AVZ_BLUE);
    avz_move_to(s, p.result, AVZ_V(0.0, bar_y - 1.6));
    p.arrows = avz_group(
        s,
        avz_arrow(s, AVZ_V(0.0, bar_y - 0.2), avz_edge(s, p.w_o, AVZ_UP), AVZ_GRAY, 2, 0.12, 0.05),
        avz_arrow(s, avz_edge(s, p.w_o, AVZ_DOWN), avz_edge(s, p.result, AVZ_UP), AVZ_GRAY, 2, 0.12,
                  0.05));
    snprintf(text, sizeof text, "concat: %d \xC3\x97 %d", n, heads * c->m.d_k);
    p.concat_label = avz_text(s, text, 15, AVZ_LIGHT_GRAY);
    avz_next_to(s, p.concat_label, p.w_o, AVZ_LEFT, 0.6);
    return p;
}

void sa_multi_head(sa_ctx *c) {
    avz_scene *s = c->s;
    int heads = c->cfg->heads;
    avz_anims a = {0};
    char tex[256], caption[200];
    multi_head_parts p = multi_head_diagram(c);

    avz_anims_add(s, &a, avz_fade_out(c->formula));
    avz_anims_add(s, &a, avz_fade_out(c->steps));
    snprintf(tex, sizeof tex,
             "\\operatorname{MultiHead}(X) = \\operatorname{Concat}(\\text{head}_1, .\\,.\\,., "
             "\\text{head}_{%d})\\, W_O",
             heads);
    snprintf(caption, sizeof caption,
             "%d heads run in parallel, each with its own projections and so its own pattern",
             heads);
    sa_strip_to(c, &a, tex, AVZ_WHITE, caption);
    avz_play_anims(s, 0.6, &a);
    avz_play(s, 1.0, avz_fade_in_ex(p.pictures, SA_RISE, 1.0));
    avz_play(s, 0.7, avz_create(p.wires), avz_fade_in(p.concat), avz_fade_in(p.concat_label));
    avz_play(s, 0.7, avz_create(p.arrows), avz_fade_in(p.w_o), avz_fade_in(p.result));
    c->multi =
        avz_group(s, p.pictures, p.wires, p.concat, p.concat_label, p.w_o, p.arrows, p.result);
}

/* ── Phase 8: Outro — the steps, one line each ────────────────────────────────────────── */
void sa_outro(sa_ctx *c) {
    avz_scene *s = c->s;
    static const struct {
        const char *tex, *what;
    } lines[] = {
        {"Q, K, V = XW_Q, XW_K, XW_V", "project each token\xE2\x80\x99s embedding"},
        {"S = QK^\\top", "score every query against every key"},
        {"S \\mathbin{/} \\sqrt{d_k}", "scale, so softmax does not saturate"},
        {"A = \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)",
         "each row: attention weights that sum to 1"},
        {"\\text{out} = AV", "mix the value rows by attention"},
        {"\\operatorname{Concat}(\\text{heads})\\, W_O", "many heads in parallel, then project"},
    };
    const avz_color colors[] = {AVZ_WHITE, AVZ_YELLOW, AVZ_ORANGE, AVZ_GREEN, AVZ_BLUE, AVZ_PURPLE};
    const size_t count = sizeof lines / sizeof lines[0];
    avz_id formulas[sizeof lines / sizeof lines[0]], texts[sizeof lines / sizeof lines[0]];
    double formula_w = 0.0, text_w = 0.0;
    avz_anims a = {0};

    for (size_t i = 0; i < count; i++) {
        formulas[i] = avz_math(s, lines[i].tex, 28, colors[i]);
        texts[i] = avz_text(s, lines[i].what, 18, AVZ_LIGHT_GRAY);
        formula_w = fmax(formula_w, avz_width(s, formulas[i]));
        text_w = fmax(text_w, avz_width(s, texts[i]));
    }
    /* Two columns: formulas right-aligned, their meaning left-aligned, centred together. */
    double split = (formula_w - text_w) / 2;
    for (size_t i = 0; i < count; i++) {
        double y = 2.0 - 0.72 * (double)i;
        avz_next_to_point(s, formulas[i], AVZ_V(split - 0.3, y), AVZ_LEFT, 0.0);
        avz_next_to_point(s, texts[i], AVZ_V(split + 0.3, y), AVZ_RIGHT, 0.0);
    }

    char sentence[sizeof c->cfg->tokens.text], credits[sizeof sentence + 128];
    avz_tokens_join(&c->cfg->tokens, 0, c->cfg->tokens.count, sentence, sizeof sentence);
    snprintf(credits, sizeof credits,
             "every number shown was computed: \xE2\x80\x9C%s\xE2\x80\x9D, d_model = %d, d_k = %d, "
             "seed %llu",
             sentence, c->cfg->d_model, c->cfg->d_k, (unsigned long long)c->cfg->seed);
    /* A long sentence wraps, growing upwards from where the one line's bottom would be: the
     * summary leaves room above, the frame's edge none below. */
    char wrapped[sizeof credits];
    avz_id footer;
    if (avz_wrap_text(s, credits, 15, AVZ_TEXT_CENTERED, SA_X_MAX - SA_X_MIN, wrapped,
                      sizeof wrapped) > 1) {
        avz_text_metrics line = avz_measure_text(s, credits, 15, 0);
        footer = avz_text_ex(s, wrapped, 15, AVZ_GRAY, AVZ_TEXT_CENTERED);
        avz_move_to(s, footer,
                    AVZ_V(0.0, SA_CAPTION_Y - (line.ascent + line.descent) / 2 +
                                   avz_height(s, footer) / 2));
    } else {
        footer = avz_text(s, credits, 15, AVZ_GRAY);
        avz_move_to(s, footer, AVZ_V(0.0, SA_CAPTION_Y));
    }

    avz_anims_add(s, &a, avz_fade_out(c->multi));
    sa_clear_strip(c, &a);
    avz_play_anims(s, 0.5, &a);
    for (size_t i = 0; i < count; i++)
        avz_play(s, 0.3, avz_write(formulas[i]), avz_fade_in_ex(texts[i], AVZ_V(0.2, 0.0), 1.0));
    avz_play(s, 0.5, avz_fade_in_ex(footer, SA_RISE, 1.0));
}
