/* The self-attention scene: its numbers recomputed independently (projections, scores, the
 * scaled softmax, the output) from the seeded draws, the numbers' formatting, parameter errors
 * and the built scene's phases. The generator itself is tested in test_attention.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "support.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../scenes/self_attention.h"
#include "attnviz/timeline.h"

/* Fills *cfg in place: its names point into its own tokens, so it must not be copied. */
static void config(sa_config *cfg, const char *tokens, int d_model, int d_k, uint64_t seed) {
    *cfg = (sa_config){.d_model = d_model, .d_k = d_k, .heads = 4, .seed = seed};
    avz_error err = {0};
    assert_int_equal(sa_config_make(tokens, cfg, &err), 0);
}

/* ---- the attention arithmetic, recomputed from X and the weights with plain loops ---- */

static void check_model(const sa_config *cfg, int head) {
    sa_model m;
    sa_model_compute(cfg, head, &m);
    const sa_head *h = &m.head;
    int n = cfg->n, dm = cfg->d_model, dk = cfg->d_k;
    assert_int_equal(m.n, n);
    assert_int_equal(m.d_model, dm);
    assert_int_equal(m.d_k, dk);

    /* The draws: X first, then W_Q, W_K, W_V of each head up to this one. */
    avz_rng rng = avz_rng_seed(cfg->seed);
    for (int i = 0; i < n; i++)
        for (int t = 0; t < dm; t++)
            assert_true(m.x[i * dm + t] == avz_rng_uniform(&rng, -1.0, 1.0));
    double w[3][SA_MAX_D_MODEL][SA_MAX_D_K];
    for (int k = 0; k <= head; k++)
        for (int which = 0; which < 3; which++)
            for (int t = 0; t < dm; t++)
                for (int j = 0; j < dk; j++)
                    w[which][t][j] = avz_rng_uniform(&rng, -1.0, 1.0);
    for (int t = 0; t < dm; t++)
        for (int j = 0; j < dk; j++) {
            assert_true(h->w_q[t * dk + j] == w[0][t][j]);
            assert_true(h->w_k[t * dk + j] == w[1][t][j]);
            assert_true(h->w_v[t * dk + j] == w[2][t][j]);
        }

    double q[SA_MAX_TOKENS][SA_MAX_D_K], k[SA_MAX_TOKENS][SA_MAX_D_K], v[SA_MAX_TOKENS][SA_MAX_D_K];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < dk; j++) {
            q[i][j] = k[i][j] = v[i][j] = 0.0;
            for (int t = 0; t < dm; t++) {
                q[i][j] += m.x[i * dm + t] * w[0][t][j];
                k[i][j] += m.x[i * dm + t] * w[1][t][j];
                v[i][j] += m.x[i * dm + t] * w[2][t][j];
            }
            avz_assert_near(h->q[i * dk + j], q[i][j], 1e-12);
            avz_assert_near(h->k[i * dk + j], k[i][j], 1e-12);
            avz_assert_near(h->v[i * dk + j], v[i][j], 1e-12);
        }

    for (int i = 0; i < n; i++) {
        double e[SA_MAX_TOKENS], sum = 0.0, weights_sum = 0.0;
        int best = 0;
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (int t = 0; t < dk; t++)
                s += q[i][t] * k[j][t];
            avz_assert_near(h->scores[i * n + j], s, 1e-12);
            avz_assert_near(h->scaled[i * n + j], s / sqrt(dk), 1e-12);
            e[j] = exp(s / sqrt(dk));
            sum += e[j];
            if (s > h->scores[i * n + best] + 1e-15)
                best = j;
        }
        for (int j = 0; j < n; j++) {
            avz_assert_near(h->weights[i * n + j], e[j] / sum, 1e-12);
            assert_true(h->weights[i * n + j] > 0.0);
            weights_sum += h->weights[i * n + j];
        }
        avz_assert_near(weights_sum, 1.0, 1e-12);
        /* The highlighted cell: softmax keeps the order, so the largest score wins. */
        assert_int_equal(avz_argmax(&h->weights[i * n], (size_t)n), best);
        for (int t = 0; t < dk; t++) {
            double o = 0.0;
            for (int j = 0; j < n; j++)
                o += e[j] / sum * v[j][t];
            avz_assert_near(h->out[i * dk + t], o, 1e-12);
        }
    }
}

static void attention_recomputes(void **state) {
    (void)state;
    sa_config cfg;
    config(&cfg, "The cat sat on mat", 8, 4, 7);
    check_model(&cfg, 0);
    check_model(&cfg, 3);
    config(&cfg, "a b", 2, 2, 0);
    check_model(&cfg, 0);
    /* The largest sizes and seed the parameters allow. */
    config(&cfg, "one two three four five six seven eight", 12, 6, 2147483647);
    check_model(&cfg, 7);
    /* d_k below d_model with an odd width: rows must stay d_k apart, not SA_MAX_D_K. */
    config(&cfg, "x y z", 5, 3, 11);
    check_model(&cfg, 1);
}

static void rows_sum_to_one_for_many_seeds(void **state) {
    (void)state;
    sa_config cfg;
    config(&cfg, "The cat sat on the mat too", 8, 4, 0);
    for (uint64_t seed = 0; seed < 200; seed++) {
        cfg.seed = seed;
        sa_model m;
        sa_model_compute(&cfg, 0, &m);
        for (int i = 0; i < cfg.n; i++) {
            double sum = 0.0;
            for (int j = 0; j < cfg.n; j++)
                sum += m.head.weights[i * cfg.n + j];
            avz_assert_near(sum, 1.0, 1e-12);
        }
    }
}

static void same_seed_same_numbers(void **state) {
    (void)state;
    sa_config cfg;
    config(&cfg, "The cat sat on mat", 8, 4, 7);
    sa_model a, b, c;
    sa_model_compute(&cfg, 0, &a);
    sa_model_compute(&cfg, 0, &b);
    assert_memory_equal(&a, &b, sizeof a);

    cfg.seed = 8;
    sa_model_compute(&cfg, 0, &c);
    assert_memory_not_equal(a.x, c.x, sizeof a.x);
    assert_memory_not_equal(a.head.weights, c.head.weights, sizeof a.head.weights);

    /* Another head: the same embeddings, its own weights. */
    cfg.seed = 7;
    sa_model_compute(&cfg, 1, &c);
    assert_memory_equal(a.x, c.x, sizeof a.x);
    assert_memory_not_equal(a.head.w_q, c.head.w_q, sizeof a.head.w_q);
}

static void numbers_print_with_a_true_minus(void **state) {
    (void)state;
    char buf[16];
    avz_format_number(-1.234, 2, buf, sizeof buf);
    assert_string_equal(buf, "\xE2\x88\x92"
                             "1.23");
    avz_format_number(-0.001, 2, buf, sizeof buf);
    assert_string_equal(buf, "0.00");
    avz_format_number(0.996, 2, buf, sizeof buf);
    assert_string_equal(buf, "1.00");
    avz_format_number(-0.96, 1, buf, sizeof buf);
    assert_string_equal(buf, "\xE2\x88\x92"
                             "1.0");

    /* Two decimals while legible, then one rather than shrinking the digits further. */
    assert_int_equal(avz_fit_numbers(0.6, true).decimals, 2);
    assert_true(avz_fit_numbers(0.6, true).font_size >= 10.0);
    assert_int_equal(avz_fit_numbers(0.3, true).decimals, 1);
    /* Weights have no minus: at the 8-token pitch they keep two decimals. */
    assert_int_equal(avz_fit_numbers(0.37, true).decimals, 1);
    assert_int_equal(avz_fit_numbers(0.37, false).decimals, 2);
}

static void spread_is_the_standard_deviation(void **state) {
    (void)state;
    const double s[] = {1.0, 3.0, 1.0, 3.0};
    avz_assert_near(avz_mat_spread(s, 4), 1.0, 1e-15);
    /* What the scale step's caption states: dividing by sqrt(d_k) = 2 halves the spread. */
    sa_config cfg;
    config(&cfg, "The cat sat on mat", 8, 4, 7);
    sa_model m;
    sa_model_compute(&cfg, 0, &m);
    avz_assert_near(avz_mat_spread(m.head.scaled, 25), avz_mat_spread(m.head.scores, 25) / 2.0,
                    1e-12);
}

/* ---- parameters ---- */

static void tokens_split_at_spaces(void **state) {
    (void)state;
    sa_config cfg;
    config(&cfg, "  The   cat ", 8, 4, 7);
    assert_int_equal(cfg.n, 2);
    assert_int_equal(cfg.tokens.count, 2);
    assert_string_equal(cfg.tokens.text[0], "The");
    assert_string_equal(cfg.tokens.text[1], "cat");
    assert_ptr_equal(cfg.names[0], cfg.tokens.text[0]);
    assert_ptr_equal(cfg.names[1], cfg.tokens.text[1]);
    /* Characters, not bytes: ten two-byte letters fit. */
    config(&cfg,
           "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 x", 8,
           4, 7);
    assert_int_equal(cfg.n, 2);

    /* Every token wears its own colour, up to the most tokens the scene takes. */
    config(&cfg, "one two three four five six seven eight", 8, 4, 7);
    for (int i = 0; i < cfg.n; i++) {
        assert_string_equal(cfg.names[i], cfg.tokens.text[i]);
        for (int j = 0; j < i; j++)
            assert_memory_not_equal(&cfg.hues[i], &cfg.hues[j], sizeof cfg.hues[i]);
    }
}

static void check_config_error(const char *tokens, int d_model, int d_k, const char *message) {
    sa_config cfg = {.d_model = d_model, .d_k = d_k, .heads = 4, .seed = 7};
    avz_error err = {0};
    assert_int_equal(sa_config_make(tokens, &cfg, &err), -EINVAL);
    assert_string_equal(err.msg, message);
}

static void config_refuses_what_does_not_fit(void **state) {
    (void)state;
    check_config_error("alone", 8, 4,
                       "parameter tokens: 1 given; give 2 to 8, separated by spaces");
    check_config_error("a b c d e f g h i", 8, 4,
                       "parameter tokens: 9 given; give 2 to 8, separated by spaces");
    check_config_error("The cat\nsat", 8, 4,
                       "parameter tokens: token 2 holds U+000A, a control character");
    check_config_error("The cat", 4, 6,
                       "parameter d_k (6) must be at most d_model (4): the projection narrows the "
                       "embeddings");
    /* Equal widths are allowed. */
    sa_config cfg;
    config(&cfg, "The cat", 6, 6, 7);
}

static int build(const char *const *names, const char *const *values, size_t count, avz_scene **out,
                 avz_error *err) {
    return avz_test_build(&avz_scene_self_attention, names, values, count, out, err);
}

static void check_error(const char *name, const char *value, const char *message) {
    avz_scene *s;
    avz_error err = {0};
    assert_int_equal(build(&name, &value, 1, &s, &err), -EINVAL);
    assert_null(s);
    assert_string_equal(err.msg, message);
}

static void bad_parameters_are_named(void **state) {
    (void)state;
    /* The scene's own refusals carry its name; the parameter check's name the parameter. */
    check_error("tokens", "alone",
                "self-attention: parameter tokens: 1 given; give 2 to 8, separated by spaces");
    check_error("tokens", "   ",
                "self-attention: parameter tokens: 0 given; give 2 to 8, separated by spaces");
    check_error("tokens", "a b c d e f g h i",
                "self-attention: parameter tokens: 9 given; give 2 to 8, separated by spaces");
    check_error("tokens", "The extraordinary cat",
                "self-attention: parameter tokens: token 2: \"extraordin...\" has 13 characters; "
                "at most 10 fit");
    check_error("tokens", "The cat\nsat", "parameter tokens holds U+000A, a control character");
    check_error("d_model", "13",
                "parameter d_model must be a whole number from 2 to 12, not \"13\"");
    check_error("d_k", "1", "parameter d_k must be a whole number from 2 to 6, not \"1\"");
    check_error("heads", "9", "parameter heads must be a whole number from 2 to 8, not \"9\"");
    check_error("seed", "-1",
                "parameter seed must be a whole number from 0 to 2147483647, not \"-1\"");

    const char *names[] = {"d_model", "d_k"}, *values[] = {"4", "6"};
    avz_scene *s;
    avz_error err = {0};
    assert_int_equal(build(names, values, 2, &s, &err), -EINVAL);
    assert_null(s);
    assert_string_equal(err.msg, "self-attention: parameter d_k (6) must be at most d_model (4): "
                                 "the projection narrows the embeddings");
}

/* ---- the built scene ---- */

static void check_phases(const char *const *names, const char *const *values, size_t count) {
    static const char *const phases[] = {"intro",         "qkv-projection", "attention-scores",
                                         "scale-softmax", "output",         "formula",
                                         "multi-head",    "outro"};
    static const double seconds[] = {3, 8, 10, 6, 8, 6, 5, 4};
    avz_scene *s;
    avz_error err = {0};
    assert_int_equal(build(names, values, count, &s, &err), 0);
    assert_int_equal(avz_scene_phase_count(s), 8);
    double total = 0.0;
    for (size_t i = 0; i < 8; i++) {
        assert_string_equal(avz_scene_phase_name(s, i), phases[i]);
        avz_assert_near(avz_scene_phase_nominal(s, i), seconds[i], 1e-9);
        total += avz_scene_phase_nominal(s, i);
    }
    avz_assert_near(total, 50.0, 1e-9);

    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, &err), 0);
    avz_assert_near(avz_timeline_duration(tl), 50.0, 1e-9);
    avz_timeline_free(tl);
    avz_scene_free(s);
}

static void scene_plays_the_spec_phases(void **state) {
    (void)state;
    check_phases(NULL, NULL, 0);
    /* The extremes of every size keep the pacing. */
    const char *small[] = {"tokens", "d_model", "d_k", "heads"};
    const char *small_values[] = {"a b", "2", "2", "2"};
    check_phases(small, small_values, 4);
    const char *large_values[] = {"one two three four five six seven eight", "12", "6", "8"};
    check_phases(small, large_values, 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attention_recomputes),
        cmocka_unit_test(rows_sum_to_one_for_many_seeds),
        cmocka_unit_test(same_seed_same_numbers),
        cmocka_unit_test(numbers_print_with_a_true_minus),
        cmocka_unit_test(spread_is_the_standard_deviation),
        cmocka_unit_test(tokens_split_at_spaces),
        cmocka_unit_test(config_refuses_what_does_not_fit),
        cmocka_unit_test(bad_parameters_are_named),
        cmocka_unit_test(scene_plays_the_spec_phases),
    };
    return cmocka_run_group_tests(tests, avz_test_open_fonts, avz_test_close_fonts);
}
