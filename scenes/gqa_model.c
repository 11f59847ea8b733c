/* gqa scene, the numbers: parameter checks, computed labels, attention scores and weights,
 * and next-token distributions. Pure functions, no scene; see gqa.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqa.h"

static const char *const default_tokens[] = {"<s>", "The", "cat", "sat", "on", "the", "mat"};
#define DEFAULT_COUNT (sizeof default_tokens / sizeof default_tokens[0])

/* The original's pre-mask scores QK^T/sqrt(d_k) for the default tokens. */
static const double default_scores[DEFAULT_COUNT][DEFAULT_COUNT] = {
    {2.8, 1.5, 0.3, 0.1, 0.0, 0.0, 0.0}, {1.2, 3.5, 1.8, 0.5, 0.2, 0.1, 0.0},
    {0.4, 2.0, 3.0, 1.5, 0.6, 0.2, 0.1}, {0.1, 0.6, 2.5, 2.8, 1.2, 0.4, 0.1},
    {0.0, 0.2, 0.8, 2.0, 2.5, 1.5, 0.3}, {0.0, 0.1, 0.3, 0.9, 1.8, 2.5, 1.2},
    {0.0, 0.0, 0.1, 0.4, 0.8, 1.5, 3.0},
};

/* The original's distributions, one per generated token. */
static const gqa_dist default_dists[DEFAULT_COUNT - 1] = {
    {{{"The", 72}, {"cat", 8}, {"sat", 6}, {"on", 4}, {"<unk>", 10}}},
    {{{"cat", 65}, {"sat", 12}, {"was", 8}, {"is", 6}, {"<unk>", 9}}},
    {{{"sat", 58}, {"slept", 15}, {"ran", 8}, {"jumped", 6}, {"<unk>", 13}}},
    {{{"on", 55}, {"down", 12}, {"quietly", 8}, {"and", 6}, {"<unk>", 19}}},
    {{{"the", 60}, {"a", 12}, {"top", 8}, {"floor", 5}, {"<unk>", 15}}},
    {{{"mat", 50}, {"table", 15}, {"chair", 8}, {"floor", 6}, {"<unk>", 21}}},
};

/* Runner-up words for a custom sequence: common words a model would also rank. */
static const char *const filler_words[] = {"a", "is", "was", "and", "of", "to", "it", "in"};
#define FILLER_COUNT (sizeof filler_words / sizeof filler_words[0])

int gqa_model_check(const gqa_model *m, avz_error *err) {
    if (m->q_heads == 0)
        return avz_error_set(err, -EINVAL, "q_heads=0: the model needs at least one query head");
    if (m->kv_heads == 0)
        return avz_error_set(err, -EINVAL,
                             "kv_heads=0: the model needs at least one key/value head");
    if (m->q_heads % m->kv_heads != 0)
        return avz_error_set(err, -EINVAL,
                             "kv_heads=%ld does not divide q_heads=%ld: each KV head must serve "
                             "a whole group of query heads",
                             m->kv_heads, m->q_heads);
    return 0;
}

int gqa_tokens_parse(const char *text, gqa_tokens *out, avz_error *err) {
    out->count = 0;
    size_t given = 0;
    for (const char *p = text; *p;) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, " \t");
        if (len == 0)
            break;
        if (given < GQA_MAX_TOKENS) {
            char what[32];
            snprintf(what, sizeof what, "tokens: token %zu", given + 1);
            /* at most GQA_MAX_TOKEN_CHARS characters of UTF-8 fit GQA_TOKEN_BYTES */
            int rc = avz_label_check(what, p, len, GQA_MAX_TOKEN_CHARS, err);
            if (rc)
                return rc;
            memcpy(out->text[given], p, len);
            out->text[given][len] = '\0';
        }
        given++;
        p += len;
    }
    if (given < 2 || given > GQA_MAX_TOKENS)
        return avz_error_set(err, -EINVAL,
                             "tokens: %zu given; give 2 to %d space-separated tokens (a prompt, "
                             "then the tokens to generate)",
                             given, GQA_MAX_TOKENS);
    out->count = given;
    return 0;
}

bool gqa_tokens_are_default(const gqa_tokens *t) {
    if (t->count != DEFAULT_COUNT)
        return false;
    for (size_t i = 0; i < DEFAULT_COUNT; i++)
        if (strcmp(t->text[i], default_tokens[i]) != 0)
            return false;
    return true;
}

static const char *heads(char *buf, size_t size, long n, const char *what) {
    snprintf(buf, size, "%ld %s%s", n, what, n == 1 ? "" : "s");
    return buf;
}

void gqa_labels_make(const gqa_model *m, gqa_labels *out) {
    char q[32], kv[32], qh[32], kvh[32];
    heads(q, sizeof q, m->q_heads, "head");
    heads(kv, sizeof kv, m->kv_heads, "head");
    heads(qh, sizeof qh, m->q_heads, "Q-head");
    heads(kvh, sizeof kvh, m->kv_heads, "KV-head");
    snprintf(out->q_proj, sizeof out->q_proj, "Q Projection\n%ld → %ld×%ld", m->hidden, m->q_heads,
             m->head_dim);
    snprintf(out->k_proj, sizeof out->k_proj, "K Projection\n%ld → %ld×%ld", m->hidden, m->kv_heads,
             m->head_dim);
    snprintf(out->v_proj, sizeof out->v_proj, "V Projection\n%ld → %ld×%ld", m->hidden, m->kv_heads,
             m->head_dim);
    /* The attention output is q_heads·head_dim wide; O projects it back to the hidden size. */
    snprintf(out->o_proj, sizeof out->o_proj, "O Projection\n%ld → %ld", m->q_heads * m->head_dim,
             m->hidden);
    snprintf(out->repeat_box, sizeof out->repeat_box, "Repeat KV\n%s → %s", kv, q);
    snprintf(out->repeat_note, sizeof out->repeat_note, "repeat_kv(): broadcast\n%s → %s", kv, q);
    snprintf(out->ratio, sizeof out->ratio, "GQA %ld:1 — %s → %s", m->q_heads / m->kv_heads, qh,
             kvh);
    /* The cache holds kv_heads instead of q_heads heads per token: 1 - kv/q, rounded. */
    long saved = (200 * (m->q_heads - m->kv_heads) + m->q_heads) / (2 * m->q_heads);
    snprintf(out->saving, sizeof out->saving, "KV cache reduced by %ld%%", saved);
    /* One line (as the original had it) runs off the frame: break after the ratio instead. */
    snprintf(out->ratio_caption, sizeof out->ratio_caption, "GQA %ld:1\n%s → %s\n%s",
             m->q_heads / m->kv_heads, qh, kvh, out->saving);
    snprintf(out->blocks, sizeof out->blocks, "Transformer Block\n× %ld", m->layers);
}

/* splitmix64: small, well mixed, and the same on every platform. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double random_unit(uint64_t *state) {
    return (double)(next_random(state) >> 11) / 9007199254740992.0; /* [0, 1) */
}

void gqa_scores(const gqa_tokens *t, uint64_t seed, double *scores) {
    size_t n = t->count;
    if (gqa_tokens_are_default(t)) {
        memcpy(scores, default_scores, sizeof default_scores);
        return;
    }
    /* Like the original's table: about 2.9 on the diagonal, halving per step of distance,
     * with ±25% jitter so that neighbours differ; one decimal as in the table. */
    uint64_t state = seed;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double distance = i > j ? (double)(i - j) : (double)(j - i);
            double base = 2.9 * pow(0.5, distance);
            double jitter = 0.75 + 0.5 * random_unit(&state);
            scores[i * n + j] = round(base * jitter * 10.0) / 10.0;
        }
}

void gqa_causal_softmax(const double *scores, size_t n, double *weights) {
    for (size_t i = 0; i < n; i++) {
        const double *row = scores + i * n;
        double *out = weights + i * n;
        double sum = 0.0;
        for (size_t j = 0; j <= i; j++)
            sum += out[j] = exp(row[j]);
        for (size_t j = 0; j < n; j++)
            out[j] = j <= i ? out[j] / sum : 0.0;
    }
}

static bool dist_has(const gqa_dist *d, size_t filled, const char *token) {
    for (size_t k = 0; k < filled; k++)
        if (strcmp(d->items[k].token, token) == 0)
            return true;
    return false;
}

static int compare_desc(const void *a, const void *b) {
    return *(const int *)b - *(const int *)a;
}

void gqa_distribution(const gqa_tokens *t, size_t step, uint64_t seed, gqa_dist *out) {
    if (gqa_tokens_are_default(t)) {
        *out = default_dists[step - 1];
        return;
    }
    uint64_t state = seed ^ (0xD1B54A32D192ED03u * (uint64_t)step);
    memset(out, 0, sizeof *out);
    snprintf(out->items[0].token, sizeof out->items[0].token, "%s", t->text[step]);
    /* Three distinct runner-up words, then <unk> for the rest of the vocabulary. */
    size_t filled = 1;
    while (filled < GQA_DIST_ITEMS) {
        const char *word = filler_words[next_random(&state) % FILLER_COUNT];
        if (filled == GQA_DIST_ITEMS - 1 && !dist_has(out, filled, "<unk>"))
            word = "<unk>";
        if (dist_has(out, filled, word))
            continue;
        snprintf(out->items[filled].token, sizeof out->items[filled].token, "%s", word);
        filled++;
    }
    /* The sampled token takes 45-75%, <unk> a quarter to nearly half of the rest, the
     * runner-ups the remainder in falling shares: all below the top, so it is the argmax. */
    int top = 45 + (int)(next_random(&state) % 31);
    int rest = 100 - top;
    int unk = rest * (25 + (int)(next_random(&state) % 21)) / 100;
    int others = rest - unk;
    int w[3] = {6 + (int)(next_random(&state) % 5), 3 + (int)(next_random(&state) % 3),
                1 + (int)(next_random(&state) % 3)};
    int wsum = w[0] + w[1] + w[2];
    int share[3] = {others * w[0] / wsum, others * w[1] / wsum, 0};
    share[2] = others - share[0] - share[1];
    qsort(share, 3, sizeof share[0], compare_desc);
    out->items[0].percent = top;
    for (int k = 0; k < 3; k++)
        out->items[1 + k].percent = share[k];
    out->items[GQA_DIST_ITEMS - 1].percent = unk;
}
