/* attnviz attention maths: see attention.h. Depends on text (label checks) only. */
#include "attnviz/attention.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "attnviz/text.h"

avz_rng avz_rng_seed(uint64_t seed) {
    return (avz_rng){seed};
}

/* These have no scene to latch in: given no data they do nothing (and return 0), as free(NULL)
 * does, rather than crash the program that made the mistake. */

uint64_t avz_rng_next(avz_rng *rng) {
    if (!rng)
        return 0;
    uint64_t z = (rng->state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

double avz_rng_unit(avz_rng *rng) {
    return (double)(avz_rng_next(rng) >> 11) * 0x1.0p-53;
}

double avz_rng_uniform(avz_rng *rng, double lo, double hi) {
    return lo + (hi - lo) * avz_rng_unit(rng);
}

uint64_t avz_rng_below(avz_rng *rng, uint64_t n) {
    /* The modulo's bias is below n / 2^64: nothing a picture could show. */
    return n ? avz_rng_next(rng) % n : 0;
}

void avz_matmul(const double *a, const double *b, size_t n, size_t k, size_t m, double *out) {
    if (!a || !b || !out)
        return;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            double sum = 0.0;
            for (size_t t = 0; t < k; t++)
                sum += a[i * k + t] * b[t * m + j];
            out[i * m + j] = sum;
        }
}

void avz_matmul_bt(const double *a, const double *b, size_t n, size_t k, size_t m, double *out) {
    if (!a || !b || !out)
        return;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            double sum = 0.0;
            for (size_t t = 0; t < k; t++)
                sum += a[i * k + t] * b[j * k + t];
            out[i * m + j] = sum;
        }
}

void avz_mat_scale(double *m, size_t count, double factor) {
    for (size_t i = 0; m && i < count; i++)
        m[i] *= factor;
}

void avz_mat_range(const double *m, size_t count, double *lo, double *hi) {
    double l = m && count ? m[0] : 0.0, h = l;
    for (size_t i = 1; m && i < count; i++) {
        l = fmin(l, m[i]);
        h = fmax(h, m[i]);
    }
    if (lo)
        *lo = l;
    if (hi)
        *hi = h;
}

double avz_mat_spread(const double *m, size_t count) {
    if (!m || !count)
        return 0.0;
    double mean = 0.0, var = 0.0;
    for (size_t i = 0; i < count; i++)
        mean += m[i] / (double)count;
    for (size_t i = 0; i < count; i++)
        var += (m[i] - mean) * (m[i] - mean) / (double)count;
    return sqrt(var);
}

size_t avz_argmax(const double *v, size_t n) {
    size_t best = 0;
    for (size_t j = 1; v && j < n; j++)
        if (v[j] > v[best])
            best = j;
    return best;
}

void avz_causal_mask(double *scores, size_t n) {
    for (size_t i = 0; scores && i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            scores[i * n + j] = -INFINITY;
}

void avz_softmax_rows(const double *in, size_t rows, size_t cols, double *out) {
    for (size_t i = 0; in && out && i < rows && cols; i++) {
        const double *row = in + i * cols;
        double *o = out + i * cols, top = row[avz_argmax(row, cols)], sum = 0.0;
        /* A row with no finite largest entry: +inf entries share the whole weight, and a row
         * masked entirely gets none. */
        bool infinite = isinf(top);
        for (size_t j = 0; j < cols; j++)
            sum += o[j] = infinite ? (row[j] == top && top > 0) : exp(row[j] - top);
        for (size_t j = 0; j < cols; j++)
            o[j] = sum > 0 ? o[j] / sum : 0.0;
    }
}

double avz_kv_bytes_per_token(long layers, long kv_heads, long head_dim, int bytes_per_value) {
    return 2.0 * (double)layers * (double)kv_heads * (double)head_dim * bytes_per_value;
}

int avz_tokens_parse(const char *what, const char *text, size_t min, size_t max, size_t max_chars,
                     avz_tokens *out, avz_error *err) {
    if (!what)
        what = "tokens";
    if (!out || !text)
        return avz_error_set(err, -EINVAL, "avz_tokens_parse: %s is NULL", !out ? "out" : "text");
    out->count = 0;
    max = max < AVZ_TOKENS_MAX ? max : AVZ_TOKENS_MAX;
    max_chars = max_chars < AVZ_TOKEN_MAX_CHARS ? max_chars : AVZ_TOKEN_MAX_CHARS;
    size_t given = 0;
    for (const char *p = text; *p;) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, " \t");
        if (len == 0)
            break;
        if (given < max) {
            char label[96];
            snprintf(label, sizeof label, "%s: token %zu", what, given + 1);
            int rc = avz_label_check(label, p, len, max_chars, err);
            if (rc)
                return rc;
            memcpy(out->text[given], p, len);
            out->text[given][len] = '\0';
        }
        given++;
        p += len;
    }
    if (given < min || given > max)
        return avz_error_set(err, -EINVAL, "%s: %zu given; give %zu to %zu, separated by spaces",
                             what, given, min, max);
    out->count = given;
    return 0;
}

void avz_tokens_join(const avz_tokens *t, size_t first, size_t count, char *buf, size_t size) {
    if (!buf)
        return;
    if (!t) {
        if (size)
            buf[0] = '\0';
        return;
    }
    size_t used = 0, end = first < t->count && count < t->count - first ? first + count : t->count;
    if (size)
        buf[0] = '\0';
    for (size_t i = first; i < end && used + 1 < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i > first ? " " : "", t->text[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    /* snprintf cuts at a byte: drop a character it split, or the text is not UTF-8 and
     * layout refuses it. */
    if (size && used >= size) {
        size_t len = size - 1, lead = len;
        while (lead > 0 && ((unsigned char)buf[lead - 1] & 0xC0) == 0x80)
            lead--;
        if (lead > 0) {
            unsigned char b = (unsigned char)buf[--lead];
            size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            if (lead + need > len)
                buf[lead] = '\0';
        }
    }
}
