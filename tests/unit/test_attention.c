/* The attention maths the scenes show (attention.h): the seeded generator against splitmix64's
 * reference outputs, matrix products against hand-computed ones, the causal mask, the stable
 * softmax on extreme scores, and token lists: parsing, its errors, and joining into small
 * buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/attention.h"
#include "support.h"

/* ---- the generator ---- */

static void generator_is_splitmix64(void **state) {
    (void)state;
    /* The reference outputs of splitmix64 from seed 0 (Vigna's splitmix64.c). */
    avz_rng rng = avz_rng_seed(0);
    assert_true(avz_rng_next(&rng) == 0xE220A8397B1DCDAFu);
    assert_true(avz_rng_next(&rng) == 0x6E789E6AA1B965F4u);
    assert_true(avz_rng_next(&rng) == 0x06C45D188009454Fu);

    /* Seeded streams repeat, and another seed gives another stream. */
    avz_rng a = avz_rng_seed(42), b = avz_rng_seed(42), c = avz_rng_seed(43);
    for (int i = 0; i < 100; i++) {
        uint64_t x = avz_rng_next(&a);
        assert_true(x == avz_rng_next(&b));
        assert_true(x != avz_rng_next(&c));
    }

    /* A unit draw is the top 53 bits of the next output: exact, the same on every machine. */
    rng = avz_rng_seed(0);
    assert_true(avz_rng_unit(&rng) == (double)(0xE220A8397B1DCDAFu >> 11) * 0x1.0p-53);
    assert_true(avz_rng_unit(&rng) == (double)(0x6E789E6AA1B965F4u >> 11) * 0x1.0p-53);
}

static void draws_stay_in_their_ranges(void **state) {
    (void)state;
    avz_rng rng = avz_rng_seed(7);
    double lo = 1.0, hi = 0.0;
    for (int i = 0; i < 100000; i++) {
        double u = avz_rng_unit(&rng);
        assert_true(u >= 0.0 && u < 1.0);
        lo = fmin(lo, u);
        hi = fmax(hi, u);
    }
    /* The draws cover the interval rather than sit in one corner of it. */
    assert_true(lo < 0.001 && hi > 0.999);

    lo = 1.0, hi = -1.0;
    for (int i = 0; i < 100000; i++) {
        double u = avz_rng_uniform(&rng, -1.0, 1.0);
        assert_true(u >= -1.0 && u < 1.0);
        lo = fmin(lo, u);
        hi = fmax(hi, u);
    }
    assert_true(lo < -0.99 && hi > 0.99);
    for (int i = 0; i < 1000; i++) {
        double u = avz_rng_uniform(&rng, 2.5, 3.0);
        assert_true(u >= 2.5 && u < 3.0);
    }

    const uint64_t ns[] = {1, 2, 3, 7, 1000};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        uint64_t n = ns[k];
        int seen[7] = {0};
        for (int i = 0; i < 10000; i++) {
            uint64_t v = avz_rng_below(&rng, n);
            assert_true(v < n);
            if (n <= 7)
                seen[v] = 1;
        }
        /* Every value of a small range comes up. */
        for (uint64_t v = 0; n <= 7 && v < n; v++)
            assert_true(seen[v]);
    }
}

/* ---- matrices ---- */

static void products_match_hand_computed_ones(void **state) {
    (void)state;
    /* [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]. */
    const double a[] = {1, 2, 3, 4, 5, 6};
    const double b[] = {7, 8, 9, 10, 11, 12};
    const double ab[] = {58, 64, 139, 154};
    double out[4];
    avz_matmul(a, b, 2, 3, 2, out);
    for (int i = 0; i < 4; i++)
        assert_true(out[i] == ab[i]);

    /* The same product with the second factor given transposed (2 x 3), as K is for QKᵀ. */
    const double bt[] = {7, 9, 11, 8, 10, 12};
    memset(out, 0, sizeof out);
    avz_matmul_bt(a, bt, 2, 3, 2, out);
    for (int i = 0; i < 4; i++)
        assert_true(out[i] == ab[i]);

    /* Not square: a row (1 x 2) times 2 x 3, and 3 x 2 times the transpose of 1 x 2. */
    const double row[] = {2, -1}, m23[] = {1, 0, 3, 4, 5, -6};
    double r13[3];
    avz_matmul(row, m23, 1, 2, 3, r13);
    assert_true(r13[0] == -2 && r13[1] == -5 && r13[2] == 12);
    const double m32[] = {1, 2, 3, 4, 5, 6};
    double c31[3];
    avz_matmul_bt(m32, row, 3, 2, 1, c31);
    assert_true(c31[0] == 0 && c31[1] == 2 && c31[2] == 4);

    double s[] = {1, -2, 0.5};
    avz_mat_scale(s, 3, -2.0);
    assert_true(s[0] == -2 && s[1] == 4 && s[2] == -1);
}

static void range_and_spread(void **state) {
    (void)state;
    const double m[] = {3, -2, 7, 0};
    double lo, hi;
    avz_mat_range(m, 4, &lo, &hi);
    assert_true(lo == -2 && hi == 7);
    avz_mat_range(m + 2, 1, &lo, &hi);
    assert_true(lo == 7 && hi == 7);

    /* The population standard deviation: this set's is exactly 2. */
    const double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
    avz_assert_near(avz_mat_spread(v, 8), 2.0, 1e-15);
    const double flat[] = {1.5, 1.5, 1.5};
    avz_assert_near(avz_mat_spread(flat, 3), 0.0, 1e-15);
}

static void argmax_takes_the_first_of_ties(void **state) {
    (void)state;
    assert_int_equal(avz_argmax((const double[]){1, 3, 3, 2}, 4), 1);
    assert_int_equal(avz_argmax((const double[]){5, 5, 5}, 3), 0);
    assert_int_equal(avz_argmax((const double[]){-3, -1, -2}, 3), 1);
    assert_int_equal(avz_argmax((const double[]){-INFINITY, -INFINITY, 0.0}, 3), 2);
    assert_int_equal(avz_argmax((const double[]){4}, 1), 0);
}

/* ---- attention ---- */

static void causal_mask_hides_the_future_only(void **state) {
    (void)state;
    enum { N = 4 };
    double s[N * N];
    for (int i = 0; i < N * N; i++)
        s[i] = i + 1;
    avz_causal_mask(s, N);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            if (j > i)
                assert_true(isinf(s[i * N + j]) && s[i * N + j] < 0);
            else
                assert_true(s[i * N + j] == i * N + j + 1);
}

static void check_rows_sum_to_one(const double *w, size_t rows, size_t cols) {
    for (size_t i = 0; i < rows; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < cols; j++) {
            assert_true(isfinite(w[i * cols + j]));
            assert_true(w[i * cols + j] >= 0.0 && w[i * cols + j] <= 1.0);
            sum += w[i * cols + j];
        }
        avz_assert_near(sum, 1.0, 1e-12);
    }
}

static void softmax_is_stable_and_exact(void **state) {
    (void)state;
    /* Ordinary scores: e^s / Σ e^s, row by row. */
    const double in[] = {1, 2, 3, 0, 0, 0};
    double w[6];
    avz_softmax_rows(in, 2, 3, w);
    check_rows_sum_to_one(w, 2, 3);
    double d = exp(1) + exp(2) + exp(3);
    avz_assert_near(w[0], exp(1) / d, 1e-15);
    avz_assert_near(w[1], exp(2) / d, 1e-15);
    avz_assert_near(w[2], exp(3) / d, 1e-15);
    for (int j = 3; j < 6; j++)
        avz_assert_near(w[j], 1.0 / 3.0, 1e-15);
    /* Softmax keeps the order of a row. */
    assert_true(w[0] < w[1] && w[1] < w[2]);

    /* Masked scores weigh exactly nothing; in place, as the gqa heatmap calls it. */
    double masked[] = {0.5, -INFINITY, 0.5, -INFINITY, 2.0, -INFINITY};
    avz_softmax_rows(masked, 2, 3, masked);
    check_rows_sum_to_one(masked, 2, 3);
    assert_true(masked[1] == 0.0 && masked[3] == 0.0 && masked[5] == 0.0);
    avz_assert_near(masked[0], 0.5, 1e-15);
    assert_true(masked[4] == 1.0);

    /* Scores whose exponentials overflow a double: the row's largest is subtracted first. */
    const double huge[] = {1e308, 1e308, 0.0, 1000, 999, 998, -1e308, 1e308, 1e308};
    double hw[9];
    avz_softmax_rows(huge, 3, 3, hw);
    check_rows_sum_to_one(hw, 3, 3);
    avz_assert_near(hw[0], 0.5, 1e-15);
    avz_assert_near(hw[1], 0.5, 1e-15);
    assert_true(hw[2] == 0.0);
    double e = 1.0 + exp(-1) + exp(-2);
    avz_assert_near(hw[3], 1.0 / e, 1e-15);
    avz_assert_near(hw[4], exp(-1) / e, 1e-15);
    avz_assert_near(hw[5], exp(-2) / e, 1e-15);
    assert_true(hw[3] > hw[4] && hw[4] > hw[5]);
    assert_true(hw[6] == 0.0);
    avz_assert_near(hw[7], 0.5, 1e-15);
}

static void kv_cache_bytes_per_token(void **state) {
    (void)state;
    /* K and V: 2 · layers · kv_heads · head_dim values of `bytes` each. */
    avz_assert_near(avz_kv_bytes_per_token(24, 4, 64, 2), 24576.0, 0.0);
    avz_assert_near(avz_kv_bytes_per_token(32, 8, 128, 2), 131072.0, 0.0);
    avz_assert_near(avz_kv_bytes_per_token(32, 8, 128, 4), 262144.0, 0.0);
    avz_assert_near(avz_kv_bytes_per_token(1, 1, 1, 1), 2.0, 0.0);
    /* The largest the gqa scene takes: 2^25 · 1000 bytes, beyond a 32-bit product. */
    avz_assert_near(avz_kv_bytes_per_token(1000, 1024, 4096, 4), 33554432000.0, 0.0);
}

/* ---- tokens ---- */

static void tokens_split_at_spaces_and_tabs(void **state) {
    (void)state;
    avz_tokens t;
    avz_error err = {0};
    assert_int_equal(avz_tokens_parse("t", " \tThe\tcat  sat \t", 1, 8, 10, &t, &err), 0);
    assert_int_equal(t.count, 3);
    assert_string_equal(t.text[0], "The");
    assert_string_equal(t.text[1], "cat");
    assert_string_equal(t.text[2], "sat");

    /* The counts' ends are allowed. */
    assert_int_equal(avz_tokens_parse("t", "a b", 2, 2, 10, &t, &err), 0);
    assert_int_equal(t.count, 2);
    assert_int_equal(avz_tokens_parse("t", "x", 1, 1, 10, &t, &err), 0);
    assert_int_equal(t.count, 1);

    /* Characters, not bytes: three two-, three- and four-byte characters fill three. */
    assert_int_equal(avz_tokens_parse("t", "ééé →×√ 😀😀😀", 1, 8, 3, &t, &err), 0);
    assert_int_equal(t.count, 3);
    assert_string_equal(t.text[2], "😀😀😀");

    /* The longest token the struct holds: AVZ_TOKEN_MAX_CHARS four-byte characters. */
    char longest[4 * AVZ_TOKEN_MAX_CHARS + 1] = "";
    for (int i = 0; i < AVZ_TOKEN_MAX_CHARS; i++)
        strcat(longest, "😀");
    assert_int_equal(avz_tokens_parse("t", longest, 1, 1, AVZ_TOKEN_MAX_CHARS, &t, &err), 0);
    assert_string_equal(t.text[0], longest);
    assert_int_equal(err.code, 0);
}

static void check_tokens_error(const char *text, size_t min, size_t max, size_t max_chars,
                               const char *message) {
    avz_tokens t;
    avz_error err = {0};
    assert_int_equal(avz_tokens_parse("tokens", text, min, max, max_chars, &t, &err), -EINVAL);
    assert_int_equal(err.code, -EINVAL);
    assert_string_equal(err.msg, message);
    assert_int_equal(t.count, 0);
}

static void bad_tokens_are_refused(void **state) {
    (void)state;
    check_tokens_error("", 2, 16, 12, "tokens: 0 given; give 2 to 16, separated by spaces");
    check_tokens_error(" \t ", 2, 16, 12, "tokens: 0 given; give 2 to 16, separated by spaces");
    check_tokens_error("a", 2, 16, 12, "tokens: 1 given; give 2 to 16, separated by spaces");
    check_tokens_error("a b c d e f g h i j k l m n o p q", 2, 16, 12,
                       "tokens: 17 given; give 2 to 16, separated by spaces");

    /* Too long, counted in characters: four two-byte letters are four, not eight. */
    check_tokens_error("ok abcd", 1, 4, 3,
                       "tokens: token 2: \"abc...\" has 4 characters; at most 3 fit");
    check_tokens_error("éééé", 1, 4, 3,
                       "tokens: token 1: \"ééé...\" has 4 characters; at most 3 fit");

    /* Invalid UTF-8: a stray continuation byte, a truncated sequence, an overlong form. */
    check_tokens_error("a \x80", 1, 4, 8, "tokens: token 2 is not valid UTF-8 (byte 0)");
    check_tokens_error("a b\xC3", 1, 4, 8, "tokens: token 2 is not valid UTF-8 (byte 1)");
    check_tokens_error("\xC0\xAF", 1, 4, 8, "tokens: token 1 is not valid UTF-8 (byte 0)");

    /* Control characters; a newline separates nothing. */
    check_tokens_error("a\x01 b", 1, 4, 8, "tokens: token 1 holds U+0001, a control character");
    check_tokens_error("a b\x7F", 1, 4, 8, "tokens: token 2 holds U+007F, a control character");
    check_tokens_error("a\nb", 1, 4, 8, "tokens: token 1 holds U+000A, a control character");
}

static void limits_are_capped_by_the_struct(void **state) {
    (void)state;
    /* Asking for more than the struct holds gets what it holds. */
    char text[4 * (AVZ_TOKENS_MAX + 1)] = "";
    for (int i = 0; i < AVZ_TOKENS_MAX; i++)
        strcat(text, "ab ");
    avz_tokens t;
    avz_error err = {0};
    assert_int_equal(avz_tokens_parse("t", text, 1, 1000, 1000, &t, &err), 0);
    assert_int_equal(t.count, AVZ_TOKENS_MAX);
    strcat(text, "ab");
    check_tokens_error(text, 1, 1000, 1000, "tokens: 65 given; give 1 to 64, separated by spaces");

    char word[AVZ_TOKEN_MAX_CHARS + 2];
    memset(word, 'w', AVZ_TOKEN_MAX_CHARS + 1);
    word[AVZ_TOKEN_MAX_CHARS + 1] = '\0';
    check_tokens_error(word, 1, 1, 1000,
                       "tokens: token 1: \"wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww...\" has 33 "
                       "characters; at most 32 fit");
}

static avz_tokens sentence(void) {
    avz_tokens t;
    avz_error err = {0};
    assert_int_equal(avz_tokens_parse("t", "<s> The cat sat", 1, 8, 10, &t, &err), 0);
    return t;
}

static void join_takes_a_range(void **state) {
    (void)state;
    avz_tokens t = sentence();
    char buf[64];
    avz_tokens_join(&t, 0, 4, buf, sizeof buf);
    assert_string_equal(buf, "<s> The cat sat");
    avz_tokens_join(&t, 1, 2, buf, sizeof buf);
    assert_string_equal(buf, "The cat");
    avz_tokens_join(&t, 3, 1, buf, sizeof buf);
    assert_string_equal(buf, "sat");
    /* A range past the end stops at the last token; an empty one gives "". */
    avz_tokens_join(&t, 2, 100, buf, sizeof buf);
    assert_string_equal(buf, "cat sat");
    avz_tokens_join(&t, 1, 0, buf, sizeof buf);
    assert_string_equal(buf, "");
    avz_tokens_join(&t, 4, 1, buf, sizeof buf);
    assert_string_equal(buf, "");
}

/* Joins into exactly `size` heap bytes, so that AddressSanitizer sees any write past them. */
static void check_join(const avz_tokens *t, size_t size, const char *expected) {
    char *buf = malloc(size);
    assert_non_null(buf);
    memset(buf, 'X', size);
    avz_tokens_join(t, 0, t->count, buf, size);
    assert_string_equal(buf, expected);
    free(buf);
}

static void join_cuts_to_fit(void **state) {
    (void)state;
    avz_tokens t = sentence();
    check_join(&t, 16, "<s> The cat sat"); /* exactly fits */
    check_join(&t, 15, "<s> The cat sa");
    check_join(&t, 8, "<s> The");
    check_join(&t, 6, "<s> T");
    check_join(&t, 2, "<");
    check_join(&t, 1, "");

    /* No room at all: not a byte is written. */
    char none = 'X';
    avz_tokens_join(&t, 0, t.count, &none, 0);
    assert_int_equal(none, 'X');

    /* A cut falls between characters, never inside one, so the text stays UTF-8. */
    avz_tokens u;
    avz_error err = {0};
    assert_int_equal(avz_tokens_parse("t", "é →× 😀", 1, 8, 10, &u, &err), 0);
    check_join(&u, 14, "é →× 😀"); /* 2 + 1 + 3 + 2 + 1 + 4 bytes: exactly fits */
    check_join(&u, 13, "é →× ");  /* 😀 cut after 3 of its 4 bytes */
    check_join(&u, 9, "é →×");
    check_join(&u, 8, "é →"); /* × cut after its first byte */
    check_join(&u, 6, "é ");  /* → cut after 2 of 3 */
    check_join(&u, 5, "é ");  /* → cut after 1 of 3 */
    check_join(&u, 3, "é");
    check_join(&u, 2, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generator_is_splitmix64),
        cmocka_unit_test(draws_stay_in_their_ranges),
        cmocka_unit_test(products_match_hand_computed_ones),
        cmocka_unit_test(range_and_spread),
        cmocka_unit_test(argmax_takes_the_first_of_ties),
        cmocka_unit_test(causal_mask_hides_the_future_only),
        cmocka_unit_test(softmax_is_stable_and_exact),
        cmocka_unit_test(kv_cache_bytes_per_token),
        cmocka_unit_test(tokens_split_at_spaces_and_tabs),
        cmocka_unit_test(bad_tokens_are_refused),
        cmocka_unit_test(limits_are_capped_by_the_struct),
        cmocka_unit_test(join_takes_a_range),
        cmocka_unit_test(join_cuts_to_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
