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
    if (m->q_heads % m->kv_heads != 0)
        return avz_error_set(err, -EINVAL,
                             "kv_heads=%ld does not divide q_heads=%ld: each KV head must serve "
                             "a whole group of query heads",
                             m->kv_heads, m->q_heads);
    return 0;
}

int gqa_tokens_parse(const char *text, avz_tokens *out, avz_error *err) {
    return avz_tokens_parse("tokens", text, 2, GQA_MAX_TOKENS, GQA_MAX_TOKEN_CHARS, out, err);
}

bool gqa_tokens_are_default(const avz_tokens *t) {
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
    /* The cache holds kv_heads instead of q_heads heads per token: 1 - kv/q, in whole percent
     * but never rounded up to 100% while a head is kept (1 of 1024 is 99.9%). */
    long saved = (200 * (m->q_heads - m->kv_heads) + m->q_heads) / (2 * m->q_heads);
    double exact = 100.0 * (double)(m->q_heads - m->kv_heads) / (double)m->q_heads;
    if (saved == 100)
        snprintf(out->saving, sizeof out->saving, "KV cache reduced by %.1f%%",
                 floor(exact * 10) / 10);
    else
        snprintf(out->saving, sizeof out->saving, "KV cache reduced by %ld%%", saved);
    /* One line (as the original had it) runs off the frame: break after the ratio instead. */
    snprintf(out->ratio_caption, sizeof out->ratio_caption, "GQA %ld:1\n%s → %s\n%s",
             m->q_heads / m->kv_heads, qh, kvh, out->saving);
    snprintf(out->blocks, sizeof out->blocks, "Transformer Block\n× %ld", m->layers);
}

void gqa_scores(const avz_tokens *t, uint64_t seed, double *scores) {
    size_t n = t->count;
    if (gqa_tokens_are_default(t)) {
        memcpy(scores, default_scores, sizeof default_scores);
        return;
    }
    /* Like the original's table: about 2.9 on the diagonal, halving per step of distance,
     * with ±25% jitter so that neighbours differ; one decimal as in the table. */
    avz_rng rng = avz_rng_seed(seed);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double distance = i > j ? (double)(i - j) : (double)(j - i);
            double base = 2.9 * pow(0.5, distance);
            double jitter = 0.75 + 0.5 * avz_rng_unit(&rng);
            scores[i * n + j] = round(base * jitter * 10.0) / 10.0;
        }
}

void gqa_causal_softmax(const double *scores, size_t n, double *weights) {
    memcpy(weights, scores, n * n * sizeof *weights);
    avz_causal_mask(weights, n);
    avz_softmax_rows(weights, n, n, weights);
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

void gqa_distribution(const avz_tokens *t, size_t step, uint64_t seed, gqa_dist *out) {
    if (gqa_tokens_are_default(t)) {
        *out = default_dists[step - 1];
        return;
    }
    avz_rng rng = avz_rng_seed(seed ^ (0xD1B54A32D192ED03u * (uint64_t)step));
    memset(out, 0, sizeof *out);
    snprintf(out->items[0].token, sizeof out->items[0].token, "%s", t->text[step]);
    /* Three distinct runner-up words, then <unk> for the rest of the vocabulary. */
    size_t filled = 1;
    while (filled < GQA_DIST_ITEMS) {
        const char *word = filler_words[avz_rng_below(&rng, FILLER_COUNT)];
        if (filled == GQA_DIST_ITEMS - 1 && !dist_has(out, filled, "<unk>"))
            word = "<unk>";
        if (dist_has(out, filled, word))
            continue;
        snprintf(out->items[filled].token, sizeof out->items[filled].token, "%s", word);
        filled++;
    }
    /* The sampled token takes 45-75%, <unk> a quarter to nearly half of the rest, the
     * runner-ups the remainder in falling shares: all below the top, so it is the argmax. */
    int top = 45 + (int)avz_rng_below(&rng, 31);
    int rest = 100 - top;
    int unk = rest * (25 + (int)avz_rng_below(&rng, 21)) / 100;
    int others = rest - unk;
    int w[3] = {6 + (int)avz_rng_below(&rng, 5), 3 + (int)avz_rng_below(&rng, 3),
                1 + (int)avz_rng_below(&rng, 3)};
    int wsum = w[0] + w[1] + w[2];
    int share[3] = {others * w[0] / wsum, others * w[1] / wsum, 0};
    share[2] = others - share[0] - share[1];
    qsort(share, 3, sizeof share[0], compare_desc);
    out->items[0].percent = top;
    for (int k = 0; k < 3; k++)
        out->items[1 + k].percent = share[k];
    out->items[GQA_DIST_ITEMS - 1].percent = unk;
}
