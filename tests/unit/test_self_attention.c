/* The self-attention scene: its numbers recomputed independently (projections, scores, the
 * scaled softmax, the output), the seeded generator, parameter errors and the built scene's
 * phases. */
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

static sa_config config(const char *tokens, int d_model, int d_k, uint64_t seed) {
    sa_config cfg = {.d_model = d_model, .d_k = d_k, .heads = 4, .seed = seed};
    avz_error err = {0};
    assert_int_equal(sa_tokens_split(tokens, &cfg, &err), 0);
    return cfg;
}

/* ---- the generator ---- */

static void generator_is_splitmix64(void **state) {
    (void)state;
    /* The reference outputs of splitmix64 from seed 0 (Vigna's splitmix64.c). */
    uint64_t rng = 0;
    assert_true(sa_rng_next(&rng) == 0xE220A8397B1DCDAFu);
    assert_true(sa_rng_next(&rng) == 0x6E789E6AA1B965F4u);
    assert_true(sa_rng_next(&rng) == 0x06C45D188009454Fu);

    rng = 7;
    for (int i = 0; i < 10000; i++) {
        double u = sa_rng_uniform(&rng);
        assert_true(u >= -1.0 && u < 1.0);
    }
}

/* ---- the attention arithmetic, recomputed from X and the weights with plain loops ---- */

static void check_model(const sa_config *cfg, int head) {
    sa_model m;
    sa_model_compute(cfg, head, &m);
    const sa_head *h = &m.head;
    int n = cfg->n, dm = cfg->d_model, dk = cfg->d_k;

    /* The draws: X first, then W_Q, W_K, W_V of each head up to this one. */
    uint64_t rng = cfg->seed;
    for (int i = 0; i < n; i++)
        for (int t = 0; t < dm; t++)
            assert_true(m.x[i][t] == sa_rng_uniform(&rng));
    double w[3][SA_MAX_D_MODEL][SA_MAX_D_K];
    for (int k = 0; k <= head; k++)
        for (int which = 0; which < 3; which++)
            for (int t = 0; t < dm; t++)
                for (int j = 0; j < dk; j++)
                    w[which][t][j] = sa_rng_uniform(&rng);

    double q[SA_MAX_TOKENS][SA_MAX_D_K], k[SA_MAX_TOKENS][SA_MAX_D_K], v[SA_MAX_TOKENS][SA_MAX_D_K];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < dk; j++) {
            q[i][j] = k[i][j] = v[i][j] = 0.0;
            for (int t = 0; t < dm; t++) {
                q[i][j] += m.x[i][t] * w[0][t][j];
                k[i][j] += m.x[i][t] * w[1][t][j];
                v[i][j] += m.x[i][t] * w[2][t][j];
            }
            assert_float_equal(h->q[i][j], q[i][j], 1e-12);
            assert_float_equal(h->k[i][j], k[i][j], 1e-12);
            assert_float_equal(h->v[i][j], v[i][j], 1e-12);
        }

    for (int i = 0; i < n; i++) {
        double e[SA_MAX_TOKENS], sum = 0.0, weights_sum = 0.0;
        int best = 0;
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (int t = 0; t < dk; t++)
                s += q[i][t] * k[j][t];
            assert_float_equal(h->scores[i][j], s, 1e-12);
            assert_float_equal(h->scaled[i][j], s / sqrt(dk), 1e-12);
            e[j] = exp(s / sqrt(dk));
            sum += e[j];
            if (s > h->scores[i][best] + 1e-15)
                best = j;
        }
        for (int j = 0; j < n; j++) {
            assert_float_equal(h->weights[i][j], e[j] / sum, 1e-12);
            assert_true(h->weights[i][j] > 0.0);
            weights_sum += h->weights[i][j];
        }
        assert_float_equal(weights_sum, 1.0, 1e-12);
        /* The highlighted cell: softmax keeps the order, so the largest score wins. */
        assert_int_equal(sa_argmax(h->weights[i], n), best);
        for (int t = 0; t < dk; t++) {
            double o = 0.0;
            for (int j = 0; j < n; j++)
                o += e[j] / sum * v[j][t];
            assert_float_equal(h->out[i][t], o, 1e-12);
        }
    }
}

static void attention_recomputes(void **state) {
    (void)state;
    sa_config cfg = config("The cat sat on mat", 8, 4, 7);
    check_model(&cfg, 0);
    check_model(&cfg, 3);
    cfg = config("a b", 2, 2, 0);
    check_model(&cfg, 0);
    cfg = config("one two three four five six seven eight", 12, 6, SA_MAX_SEED);
    check_model(&cfg, 7);
}

static void rows_sum_to_one_for_many_seeds(void **state) {
    (void)state;
    for (uint64_t seed = 0; seed < 200; seed++) {
        sa_config cfg = config("The cat sat on the mat too", 8, 4, seed);
        sa_model m;
        sa_model_compute(&cfg, 0, &m);
        for (int i = 0; i < cfg.n; i++) {
            double sum = 0.0;
            for (int j = 0; j < cfg.n; j++)
                sum += m.head.weights[i][j];
            assert_float_equal(sum, 1.0, 1e-12);
        }
    }
}

static void same_seed_same_numbers(void **state) {
    (void)state;
    sa_config cfg = config("The cat sat on mat", 8, 4, 7);
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
    sa_format(-1.234, 2, buf, sizeof buf);
    assert_string_equal(buf, "\xE2\x88\x92"
                             "1.23");
    sa_format(-0.001, 2, buf, sizeof buf);
    assert_string_equal(buf, "0.00");
    sa_format(0.996, 2, buf, sizeof buf);
    assert_string_equal(buf, "1.00");
    sa_format(-0.96, 1, buf, sizeof buf);
    assert_string_equal(buf, "\xE2\x88\x92"
                             "1.0");

    /* Two decimals while legible, then one rather than shrinking the digits further. */
    assert_int_equal(sa_fit_numbers(0.6, true).decimals, 2);
    assert_true(sa_fit_numbers(0.6, true).font_size >= 10.0);
    assert_int_equal(sa_fit_numbers(0.3, true).decimals, 1);
    /* Weights have no minus: at the 8-token pitch they keep two decimals. */
    assert_int_equal(sa_fit_numbers(0.37, true).decimals, 1);
    assert_int_equal(sa_fit_numbers(0.37, false).decimals, 2);
}

static void spread_is_the_standard_deviation(void **state) {
    (void)state;
    sa_tokens_by_tokens s = {{1.0, 3.0}, {1.0, 3.0}};
    assert_float_equal(sa_spread(s, 2), 1.0, 1e-15);
    sa_config cfg = config("The cat sat on mat", 8, 4, 7);
    sa_model m;
    sa_model_compute(&cfg, 0, &m);
    assert_float_equal(sa_spread(m.head.scaled, 5), sa_spread(m.head.scores, 5) / 2.0, 1e-12);
}

/* ---- parameters ---- */

static void tokens_split_at_spaces(void **state) {
    (void)state;
    sa_config cfg = config("  The   cat ", 8, 4, 7);
    assert_int_equal(cfg.n, 2);
    assert_string_equal(cfg.tokens[0], "The");
    assert_string_equal(cfg.tokens[1], "cat");
    /* Characters, not bytes: ten two-byte letters fit. */
    cfg =
        config("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 x",
               8, 4, 7);
    assert_int_equal(cfg.n, 2);
}

static int build(const char *const *names, const char *const *values, size_t count, avz_scene **out,
                 avz_error *err) {
    return avz_test_build(&avz_scene_self_attention, names, values, count, out, err);
}

static void check_error(const char *name, const char *value, const char *message) {
    avz_scene *s;
    avz_error err = {0};
    assert_int_equal(build(&name, &value, 1, &s, &err), -EINVAL);
    assert_string_equal(err.msg, message);
    avz_scene_free(s);
}

static void bad_parameters_are_named(void **state) {
    (void)state;
    check_error("tokens", "alone",
                "parameter tokens must be 2 to 8 words separated by spaces, not 1: \"alone\"");
    check_error("tokens", "   ",
                "parameter tokens must be 2 to 8 words separated by spaces, not 0: \"   \"");
    check_error("tokens", "a b c d e f g h i",
                "parameter tokens must be 2 to 8 words separated by spaces, not more: "
                "\"a b c d e f g h i\"");
    check_error("tokens", "The extraordinary cat",
                "parameter tokens: word 2: \"extraordin...\" has 13 characters; at most 10 "
                "fit");
    check_error("tokens", "The cat\nsat",
                "parameter tokens: word 2 holds U+000A, a control character");
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
    assert_string_equal(err.msg, "parameter d_k (6) must be at most d_model (4): the projection "
                                 "narrows the embeddings");
    avz_scene_free(s);
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
        assert_float_equal(avz_scene_phase_nominal(s, i), seconds[i], 1e-9);
        total += avz_scene_phase_nominal(s, i);
    }
    assert_float_equal(total, 50.0, 1e-9);

    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, &err), 0);
    assert_float_equal(avz_timeline_duration(tl), 50.0, 1e-9);
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
        cmocka_unit_test(generator_is_splitmix64),
        cmocka_unit_test(attention_recomputes),
        cmocka_unit_test(rows_sum_to_one_for_many_seeds),
        cmocka_unit_test(same_seed_same_numbers),
        cmocka_unit_test(numbers_print_with_a_true_minus),
        cmocka_unit_test(spread_is_the_standard_deviation),
        cmocka_unit_test(tokens_split_at_spaces),
        cmocka_unit_test(bad_parameters_are_named),
        cmocka_unit_test(scene_plays_the_spec_phases),
    };
    return cmocka_run_group_tests(tests, avz_test_open_fonts, avz_test_close_fonts);
}
