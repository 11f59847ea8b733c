/* The gqa scene: labels computed from the model's parameters, the heatmap's causal softmax,
 * the generation steps' distributions, parameter errors, and the built scene's length
 * against the original's timeline (88.667 s). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "support.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../scenes/gqa.h"
#include "attnviz/plugin.h"
#include "attnviz/text.h"
#include "attnviz/timeline.h"

#define ORIGINAL_SECONDS 88.667 /* ../shared/reference/original_timeline_60fps.txt */

static const gqa_model default_model = {
    .hidden = 1536, .q_heads = 24, .kv_heads = 4, .head_dim = 64, .layers = 24};

static avz_tokens parse(const char *text) {
    avz_tokens t;
    avz_error err = {0};
    assert_int_equal(gqa_tokens_parse(text, &t, &err), 0);
    return t;
}

/* ---- labels ---- */

static void labels_for_the_default_model(void **state) {
    (void)state;
    gqa_labels l;
    gqa_labels_make(&default_model, &l);
    assert_string_equal(l.q_proj, "Q Projection\n1536 → 24×64");
    assert_string_equal(l.k_proj, "K Projection\n1536 → 4×64");
    assert_string_equal(l.v_proj, "V Projection\n1536 → 4×64");
    assert_string_equal(l.o_proj, "O Projection\n1536 → 1536");
    assert_string_equal(l.repeat_box, "Repeat KV\n4 heads → 24 heads");
    assert_string_equal(l.repeat_note, "repeat_kv(): broadcast\n4 heads → 24 heads");
    assert_string_equal(l.ratio, "GQA 6:1 — 24 Q-heads → 4 KV-heads");
    assert_string_equal(l.saving, "KV cache reduced by 83%");
    assert_string_equal(l.ratio_caption,
                        "GQA 6:1\n24 Q-heads → 4 KV-heads\nKV cache reduced by 83%");
    assert_string_equal(l.blocks, "Transformer Block\n× 24");
}

static void labels_follow_custom_models(void **state) {
    (void)state;
    gqa_labels l;
    gqa_model m = {.hidden = 4096, .q_heads = 32, .kv_heads = 8, .head_dim = 128, .layers = 32};
    gqa_labels_make(&m, &l);
    assert_string_equal(l.q_proj, "Q Projection\n4096 → 32×128");
    assert_string_equal(l.k_proj, "K Projection\n4096 → 8×128");
    assert_string_equal(l.repeat_box, "Repeat KV\n8 heads → 32 heads");
    assert_string_equal(l.ratio, "GQA 4:1 — 32 Q-heads → 8 KV-heads");
    assert_string_equal(l.saving, "KV cache reduced by 75%");
    assert_string_equal(l.blocks, "Transformer Block\n× 32");

    /* One KV head (multi-query attention): singular, and 1 - 1/32 = 96.875% rounds to 97%. */
    m.kv_heads = 1;
    gqa_labels_make(&m, &l);
    assert_string_equal(l.ratio, "GQA 32:1 — 32 Q-heads → 1 KV-head");
    assert_string_equal(l.repeat_note, "repeat_kv(): broadcast\n1 head → 32 heads");
    assert_string_equal(l.saving, "KV cache reduced by 97%");

    /* As many KV heads as query heads (multi-head attention) saves nothing. */
    m.kv_heads = 32;
    gqa_labels_make(&m, &l);
    assert_string_equal(l.ratio, "GQA 1:1 — 32 Q-heads → 32 KV-heads");
    assert_string_equal(l.saving, "KV cache reduced by 0%");

    /* Never "100%" while a head is kept: 1 - 1/1024 is 99.9%. */
    m = (gqa_model){.hidden = 4096, .q_heads = 1024, .kv_heads = 1, .head_dim = 4, .layers = 1};
    gqa_labels_make(&m, &l);
    assert_string_equal(l.saving, "KV cache reduced by 99.9%");

    /* O projects q_heads·head_dim back to the hidden size, which may differ. */
    m = (gqa_model){.hidden = 3072, .q_heads = 16, .kv_heads = 8, .head_dim = 256, .layers = 28};
    gqa_labels_make(&m, &l);
    assert_string_equal(l.o_proj, "O Projection\n4096 → 3072");
}

/* ---- heatmap ---- */

static void check_causal_softmax(const avz_tokens *t, uint64_t seed) {
    size_t n = t->count;
    double scores[GQA_MAX_TOKENS * GQA_MAX_TOKENS], weights[GQA_MAX_TOKENS * GQA_MAX_TOKENS];
    gqa_scores(t, seed, scores);
    gqa_causal_softmax(scores, n, weights);
    for (size_t i = 0; i < n; i++) {
        double sum = 0, denominator = 0;
        for (size_t j = 0; j <= i; j++)
            denominator += exp(scores[i * n + j]);
        for (size_t j = 0; j < n; j++) {
            double expected = j <= i ? exp(scores[i * n + j]) / denominator : 0.0;
            avz_assert_near(weights[i * n + j], expected, 1e-12);
            sum += weights[i * n + j];
        }
        avz_assert_near(sum, 1.0, 1e-12);
    }
}

static void default_scores_are_the_original_table(void **state) {
    (void)state;
    avz_tokens t = parse("<s> The cat sat on the mat");
    assert_true(gqa_tokens_are_default(&t));
    double scores[49];
    gqa_scores(&t, 1234, scores); /* the seed only matters for custom tokens */
    avz_assert_near(scores[0], 2.8, 1e-12);
    avz_assert_near(scores[1 * 7 + 1], 3.5, 1e-12);
    avz_assert_near(scores[3 * 7 + 2], 2.5, 1e-12);
    avz_assert_near(scores[6 * 7 + 6], 3.0, 1e-12);
    avz_assert_near(scores[4 * 7 + 0], 0.0, 1e-12);
    check_causal_softmax(&t, 0);

    /* Row "The": e^1.2 / (e^1.2 + e^3.5) on "<s>". */
    double weights[49];
    gqa_causal_softmax(scores, 7, weights);
    avz_assert_near(weights[7], exp(1.2) / (exp(1.2) + exp(3.5)), 1e-12);
    avz_assert_near(weights[0], 1.0, 1e-12);
}

static void custom_scores_are_seeded_and_diagonal_dominant(void **state) {
    (void)state;
    avz_tokens t = parse("<s> A dog ran home and slept well");
    double a[64], b[64], c[64];
    gqa_scores(&t, 7, a);
    gqa_scores(&t, 7, b);
    gqa_scores(&t, 8, c);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, c, sizeof a);
    size_t n = t.count;
    double by_distance[8] = {0};
    size_t pairs[8] = {0};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            size_t distance = i > j ? i - j : j - i;
            assert_true(a[i * n + j] >= 0.0);
            if (j != i)
                assert_true(a[i * n + i] > a[i * n + j]);
            by_distance[distance] += a[i * n + j];
            pairs[distance]++;
        }
    /* Farther keys score lower on average. */
    for (size_t d = 0; d + 1 < 4; d++)
        assert_true(by_distance[d] / pairs[d] > by_distance[d + 1] / pairs[d + 1]);
    for (uint64_t seed = 0; seed < 20; seed++)
        check_causal_softmax(&t, seed);
}

/* ---- generation ---- */

static void check_distribution(const avz_tokens *t, size_t step, const gqa_dist *d) {
    int sum = 0;
    for (size_t k = 0; k < GQA_DIST_ITEMS; k++) {
        sum += d->items[k].percent;
        assert_true(d->items[k].percent > 0);
        if (k > 0)
            assert_true(d->items[k].percent < d->items[0].percent);
        for (size_t other = 0; other < k; other++)
            assert_string_not_equal(d->items[k].token, d->items[other].token);
    }
    assert_int_equal(sum, 100);
    assert_string_equal(d->items[0].token, t->text[step]);
}

static void default_distributions_are_the_original(void **state) {
    (void)state;
    avz_tokens t = parse("<s> The cat sat on the mat");
    gqa_dist d;
    for (size_t step = 1; step < t.count; step++) {
        gqa_distribution(&t, step, 0, &d);
        check_distribution(&t, step, &d);
    }
    gqa_distribution(&t, 1, 0, &d);
    assert_int_equal(d.items[0].percent, 72);
    assert_string_equal(d.items[4].token, "<unk>");
    gqa_distribution(&t, 3, 0, &d);
    assert_string_equal(d.items[3].token, "jumped");
    assert_int_equal(d.items[3].percent, 6);
}

static void custom_distributions_sum_to_100_with_the_next_token_on_top(void **state) {
    (void)state;
    const char *lists[] = {"<s> A dog ran home", "<s> a is was and of to it in",
                           "<unk> <unk> <unk>", "x y"};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        avz_tokens t = parse(lists[l]);
        for (uint64_t seed = 0; seed < 50; seed++)
            for (size_t step = 1; step < t.count; step++) {
                gqa_dist d, again;
                gqa_distribution(&t, step, seed, &d);
                gqa_distribution(&t, step, seed, &again);
                assert_memory_equal(&d, &again, sizeof d);
                check_distribution(&t, step, &d);
            }
    }
}

/* ---- parameter errors ---- */

static void check_model_error(gqa_model m, const char *message) {
    avz_error err = {0};
    assert_int_equal(gqa_model_check(&m, &err), -EINVAL);
    assert_string_equal(err.msg, message);
}

static void check_tokens_error(const char *text, const char *message) {
    avz_tokens t;
    avz_error err = {0};
    assert_int_equal(gqa_tokens_parse(text, &t, &err), -EINVAL);
    assert_string_equal(err.msg, message);
}

static void bad_parameters_are_named(void **state) {
    (void)state;
    gqa_model m = default_model;
    avz_error err = {0};
    assert_int_equal(gqa_model_check(&m, &err), 0);
    m.kv_heads = 5;
    check_model_error(m, "kv_heads=5 does not divide q_heads=24: each KV head must serve a whole "
                         "group of query heads");
    m.kv_heads = 48;
    check_model_error(m, "kv_heads=48 does not divide q_heads=24: each KV head must serve a "
                         "whole group of query heads");

    check_tokens_error("", "tokens: 0 given; give 2 to 16, separated by spaces");
    check_tokens_error("   ", "tokens: 0 given; give 2 to 16, separated by spaces");
    check_tokens_error("<s>", "tokens: 1 given; give 2 to 16, separated by spaces");
    check_tokens_error("a b c d e f g h i j k l m n o p q",
                       "tokens: 17 given; give 2 to 16, separated by spaces");
    check_tokens_error("<s> internationalization",
                       "tokens: token 2: \"internationa...\" has 20 characters; at most 12 fit");
    check_tokens_error("<s> a\tb\x01", "tokens: token 3 holds U+0001, a control character");

    /* The token limit is what the heatmap's smallest legible pitch allows. */
    assert_int_equal(GQA_MAX_TOKENS,
                     (int)((GQA_HEATMAP_TOP - GQA_HEATMAP_BOTTOM) / GQA_HEATMAP_MIN_PITCH));

    /* Characters, not bytes: twelve two-byte letters fit. */
    avz_tokens t = parse("  <s>   éééééééééééé  ");
    assert_int_equal(t.count, 2);
    assert_string_equal(t.text[1], "éééééééééééé");
}

/* Zero heads never reach gqa_model_check: the parameters' ranges refuse them first. */
static void check_param_error(const char *name, const char *value, const char *message) {
    avz_params p = {.def = &avz_scene_gqa, .names = &name, .values = &value, .count = 1};
    avz_error err = {0};
    assert_int_equal(avz_params_check(&avz_scene_gqa, &p, &err), -EINVAL);
    assert_string_equal(err.msg, message);
}

static void zero_heads_are_out_of_range(void **state) {
    (void)state;
    check_param_error("q_heads", "0",
                      "parameter q_heads must be a whole number from 1 to 1024, not \"0\"");
    check_param_error("kv_heads", "0",
                      "parameter kv_heads must be a whole number from 1 to 1024, not \"0\"");
    check_param_error("q_heads", "1025",
                      "parameter q_heads must be a whole number from 1 to 1024, not \"1025\"");
    /* The range's ends themselves are accepted. */
    const char *names[] = {"q_heads", "kv_heads"}, *values[] = {"1024", "1"};
    avz_params p = {.def = &avz_scene_gqa, .names = names, .values = values, .count = 2};
    avz_error err = {0};
    assert_int_equal(avz_params_check(&avz_scene_gqa, &p, &err), 0);
}

/* ---- the built scene ---- */

static int build(const char *const *names, const char *const *values, size_t count, avz_scene **out,
                 avz_error *err) {
    return avz_test_build(&avz_scene_gqa, names, values, count, out, err);
}

static double phase_seconds(const avz_scene *s, const char *name) {
    for (size_t i = 0; i < avz_scene_phase_count(s); i++)
        if (strcmp(avz_scene_phase_name(s, i), name) == 0)
            return avz_scene_phase_nominal(s, i);
    fail_msg("no phase %s", name);
    return 0;
}

static void default_scene_runs_as_long_as_the_original(void **state) {
    (void)state;
    avz_scene *s;
    avz_error err = {0};
    assert_int_equal(build(NULL, NULL, 0, &s, &err), 0);
    const char *phases[] = {"diagram", "rope",    "gqa-ratio", "repeat-kv",
                            "sdpa",    "heatmap", "generation"};
    assert_int_equal(avz_scene_phase_count(s), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(avz_scene_phase_name(s, i), phases[i]);

    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, &err), 0);
    double total = avz_timeline_duration(tl);
    assert_true(fabs(total - ORIGINAL_SECONDS) <= 0.02 * ORIGINAL_SECONDS);
    /* Section boundaries of the original, less its rounding up to whole frames (≤ 0.25 s). */
    avz_assert_near(avz_timeline_phase_start(tl, 4), 23.05, 0.05);
    avz_assert_near(avz_timeline_phase_start(tl, 5), 39.35, 0.05);
    avz_assert_near(avz_timeline_phase_start(tl, 6), 55.37, 0.05);
    avz_timeline_free(tl);
    avz_scene_free(s);
}

static void custom_parameters_change_labels_steps_and_grid(void **state) {
    (void)state;
    const char *names[] = {"q_heads", "kv_heads", "tokens"};
    const char *values[] = {"32", "8", "<s> A dog ran home"};
    avz_scene *s;
    avz_error err = {0};
    assert_int_equal(build(names, values, 3, &s, &err), 0);
    /* Four generated tokens: the fixed 6.5 s of set-up and 2 s of ending, plus 4.1 s each. */
    avz_assert_near(phase_seconds(s, "generation"), 6.5 + 4 * 4.1 + 2.0, 1e-9);
    /* Five tokens: 25 cells at one frame each instead of 49. */
    avz_assert_near(phase_seconds(s, "heatmap"), 15.2 + 25.0 / 60.0, 1e-9);
    avz_scene_free(s);
}

static void check_scene_error(const char *name, const char *value, const char *message) {
    avz_scene *s;
    avz_error err = {0};
    assert_int_equal(build(&name, &value, 1, &s, &err), -EINVAL);
    assert_null(s);
    assert_string_equal(err.msg, message);
}

static void scene_reports_bad_parameters(void **state) {
    (void)state;
    /* A scene's own refusals carry its name; the parameter check's do not need it. */
    check_scene_error("kv_heads", "5",
                      "gqa: kv_heads=5 does not divide q_heads=24: each KV head must serve a "
                      "whole group of query heads");
    check_scene_error("q_heads", "0",
                      "parameter q_heads must be a whole number from 1 to 1024, not \"0\"");
    check_scene_error("tokens", "   ", "gqa: tokens: 0 given; give 2 to 16, separated by spaces");
    /* Sixteen long tokens wrap into rows of cards (test_layout.c checks they fit) ... */
    const char *wide = "<s> tokenization tokenization tokenization tokenization tokenization "
                       "tokenization tokenization tokenization tokenization tokenization "
                       "tokenization tokenization tokenization tokenization tokenization";
    avz_scene *s;
    avz_error err = {0};
    const char *name = "tokens";
    assert_int_equal(build(&name, &wide, 1, &s, &err), 0);
    avz_scene_free(s);
    /* ... but glyphs wider than any letter (long arrows, from the fallback face) need more
     * rows than fit under the title. */
#define ARROWS "\u27F7\u27F7\u27F7\u27F7\u27F7\u27F7\u27F7\u27F7\u27F7\u27F7\u27F7\u27F7"
#define FOUR_ARROWS ARROWS " " ARROWS " " ARROWS " " ARROWS
    const char *wider = FOUR_ARROWS " " FOUR_ARROWS " " FOUR_ARROWS " " FOUR_ARROWS;
    assert_int_equal(build(&name, &wider, 1, &s, &err), -EINVAL);
    assert_null(s);
    assert_string_equal(err.msg, "gqa: tokens: the generated sequence would take 4 rows of "
                                 "cards and the frame holds 3; use fewer or shorter tokens");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(labels_for_the_default_model),
        cmocka_unit_test(labels_follow_custom_models),
        cmocka_unit_test(default_scores_are_the_original_table),
        cmocka_unit_test(custom_scores_are_seeded_and_diagonal_dominant),
        cmocka_unit_test(default_distributions_are_the_original),
        cmocka_unit_test(custom_distributions_sum_to_100_with_the_next_token_on_top),
        cmocka_unit_test(bad_parameters_are_named),
        cmocka_unit_test(zero_heads_are_out_of_range),
        cmocka_unit_test(default_scene_runs_as_long_as_the_original),
        cmocka_unit_test(custom_parameters_change_labels_steps_and_grid),
        cmocka_unit_test(scene_reports_bad_parameters),
    };
    return cmocka_run_group_tests(tests, avz_test_open_fonts, avz_test_close_fonts);
}
