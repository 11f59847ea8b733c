/* attnviz attention maths: what the scenes compute and show, kept exact and the same on every
 * machine — a seeded generator, matrix products, the causal mask, a numerically stable
 * softmax, token lists, and the sizes of attention's parts. Pure functions: no scene.
 *
 * Matrices are row-major arrays of doubles, rows x cols, with rows `cols` apart. */
#ifndef ATTNVIZ_ATTENTION_H
#define ATTNVIZ_ATTENTION_H

#include <stddef.h>
#include <stdint.h>

#include "attnviz/api.h"
#include "attnviz/error.h"

AVZ_BEGIN_DECLS

/* ── A seeded generator: splitmix64, small, well mixed, and the same everywhere ────────── */

typedef struct avz_rng {
    uint64_t state;
} avz_rng;

AVZ_API avz_rng avz_rng_seed(uint64_t seed);
AVZ_API uint64_t avz_rng_next(avz_rng *rng);
/* Uniform in [0, 1), from the top 53 bits: exact on any IEEE-754 machine. */
AVZ_API double avz_rng_unit(avz_rng *rng);
/* Uniform in [lo, hi). */
AVZ_API double avz_rng_uniform(avz_rng *rng, double lo, double hi);
/* Uniform in [0, n), n > 0. */
AVZ_API uint64_t avz_rng_below(avz_rng *rng, uint64_t n);

/* ── Matrices ──────────────────────────────────────────────────────────────────────────── */

/* out (n x m) = a (n x k) · b (k x m). */
AVZ_API void avz_matmul(const double *a, const double *b, size_t n, size_t k, size_t m,
                        double *out);
/* out (n x m) = a (n x k) · bᵀ, b being m x k: QKᵀ without transposing K. */
AVZ_API void avz_matmul_bt(const double *a, const double *b, size_t n, size_t k, size_t m,
                           double *out);
/* Every entry times factor, in place. */
AVZ_API void avz_mat_scale(double *m, size_t count, double factor);
/* The smallest and largest of count entries. */
AVZ_API void avz_mat_range(const double *m, size_t count, double *lo, double *hi);
/* Standard deviation of count entries about their mean. */
AVZ_API double avz_mat_spread(const double *m, size_t count);
/* Index of the largest of v[0..n): the first one on ties. */
AVZ_API size_t avz_argmax(const double *v, size_t n);

/* ── Attention ─────────────────────────────────────────────────────────────────────────── */

/* Sets the future (column j > row i) of an n x n score matrix to -infinity, in place. */
AVZ_API void avz_causal_mask(double *scores, size_t n);
/* Softmax of each row: the row's largest entry is subtracted before exponentiating, so that no
 * score overflows; -infinity gives exactly 0; every row sums to 1, except one that is all
 * -infinity (masked entirely), which is all 0. in and out may be the same. */
AVZ_API void avz_softmax_rows(const double *in, size_t rows, size_t cols, double *out);

/* Bytes the KV cache holds per token: K and V for every layer and KV head. */
AVZ_API double avz_kv_bytes_per_token(long layers, long kv_heads, long head_dim,
                                      int bytes_per_value);

/* ── Tokens ────────────────────────────────────────────────────────────────────────────── */

#define AVZ_TOKENS_MAX 64
#define AVZ_TOKEN_MAX_CHARS 32

typedef struct avz_tokens {
    size_t count;
    char text[AVZ_TOKENS_MAX][4 * AVZ_TOKEN_MAX_CHARS + 1]; /* UTF-8 */
} avz_tokens;

/* Splits text at spaces and tabs into min..max tokens (max <= AVZ_TOKENS_MAX) of at most
 * max_chars characters each (<= AVZ_TOKEN_MAX_CHARS), each valid UTF-8 without control
 * characters. Fails with -EINVAL and a message starting with `what` ("tokens: 17 given; give
 * 2 to 16, separated by spaces"). */
AVZ_API int avz_tokens_parse(const char *what, const char *text, size_t min, size_t max,
                             size_t max_chars, avz_tokens *out, avz_error *err);
/* count tokens from `first` on, joined with single spaces into buf (cut to fit). */
AVZ_API void avz_tokens_join(const avz_tokens *t, size_t first, size_t count, char *buf,
                             size_t size);

AVZ_END_DECLS

#endif
