/* gqa scene, section 2: scaled dot-product attention. The full formula stays on screen while
 * Q, K and V are named and then the computation is broken into four numbered steps.
 * Phase: sdpa. */
#include "gqa.h"

typedef struct step {
    const char *tex;
    avz_color color;
    const char *meaning;
} step;

static const step steps[] = {
    {"\\text{(1) } S = QK^\\top", AVZ_YELLOW, "score matrix — pairwise token similarity"},
    {"\\text{(2) } S \\mathbin{/} \\sqrt{d_k}", AVZ_ORANGE, "scale — prevents gradient explosion"},
    {"\\text{(3) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)", AVZ_GREEN,
     "normalize — each row sums to 1 (probability)"},
    {"\\text{(4) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right) \\cdot V",
     AVZ_BLUE, "weighted sum — aggregate values by attention"},
};
#define STEP_COUNT (sizeof steps / sizeof steps[0])

/* Q, K and V with what each one asks, shown together, held, then cleared for the steps. */
static void name_qkv(avz_scene *s, avz_id formula) {
    const char *names[] = {"Q = Query", "K = Key", "V = Value"};
    const char *asks[] = {"\"what am I looking for?\"", "\"what do I have?\"",
                          "\"what do I contribute?\""};
    const avz_color colors[] = {AVZ_YELLOW, AVZ_ORANGE, AVZ_GREEN};
    avz_id label[3], meaning[3];
    for (size_t i = 0; i < 3; i++)
        label[i] = avz_text(s, names[i], 18, colors[i]);
    avz_id labels = avz_group_of(s, label, 3);
    avz_arrange(s, labels, AVZ_RIGHT, 1.5, AVZ_ORIGIN);
    avz_next_to(s, labels, formula, AVZ_DOWN, 0.5);
    avz_play(s, AVZ_AUTO, avz_write(labels));

    for (size_t i = 0; i < 3; i++) {
        meaning[i] = avz_text(s, asks[i], 11, colors[i]);
        avz_next_to(s, meaning[i], label[i], AVZ_DOWN, 0.10);
    }
    avz_play(s, AVZ_AUTO, avz_write(meaning[0]), avz_write(meaning[1]), avz_write(meaning[2]));
    avz_wait(s, 2.0);
    avz_play(s, AVZ_AUTO, avz_fade_out(labels), avz_fade_out(meaning[0]), avz_fade_out(meaning[1]),
             avz_fade_out(meaning[2]));
}

/* Each step is its formula over its meaning; the steps share a left edge. */
static void write_steps(avz_scene *s, avz_id formula) {
    avz_id rows[STEP_COUNT];
    for (size_t i = 0; i < STEP_COUNT; i++) {
        avz_id eq = avz_math(s, steps[i].tex, 26, steps[i].color);
        avz_id meaning = avz_text(s, steps[i].meaning, 12, AVZ_GRAY);
        rows[i] = avz_group(s, eq, meaning);
        avz_arrange(s, rows[i], AVZ_DOWN, 0.06, AVZ_ORIGIN);
    }
    avz_id column = avz_group_of(s, rows, STEP_COUNT);
    avz_arrange(s, column, AVZ_DOWN, 0.22, AVZ_LEFT);
    avz_next_to(s, column, formula, AVZ_DOWN, 0.6);
    for (size_t i = 0; i < STEP_COUNT; i++)
        avz_play(s, 0.3, avz_write(rows[i]));
    avz_wait(s, 2.5);
    avz_play(s, AVZ_AUTO, avz_fade_out(column), avz_fade_out(formula));
}

avz_id gqa_sdpa_section(avz_scene *s) {
    avz_phase(s, "sdpa");
    avz_id title = avz_text(s, "Scaled Dot-Product Attention", 34, AVZ_BLUE);
    avz_to_edge(s, title, AVZ_UP, 0.35);
    avz_play(s, AVZ_AUTO, avz_write(title));

    avz_id formula = avz_math(s,
                              "\\operatorname{Attention}(Q,K,V)=\\operatorname{softmax}\\!\\left("
                              "\\frac{QK^\\top}{\\sqrt{d_k}}\\right)\\!V",
                              36, AVZ_WHITE);
    avz_next_to(s, formula, title, AVZ_DOWN, 0.5);
    avz_play(s, AVZ_AUTO, avz_write(formula));
    avz_wait(s, 0.6);

    name_qkv(s, formula);
    write_steps(s, formula);
    return title;
}
