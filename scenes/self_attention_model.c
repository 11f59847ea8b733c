/* The self-attention scene's numbers: parameter checks, the seeded generator and the
 * attention arithmetic (see self_attention.h). No drawing here. */
#include "self_attention.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int sa_tokens_split(const char *text, sa_config *cfg, avz_error *err) {
    cfg->n = 0;
    for (const char *p = text;;) {
        p += strspn(p, " ");
        if (*p == '\0')
            break;
        size_t len = strcspn(p, " ");
        if (cfg->n == SA_MAX_TOKENS)
            return avz_error_set(err, -EINVAL,
                                 "parameter tokens must be %d to %d words separated by spaces, "
                                 "not more: \"%s\"",
                                 SA_MIN_TOKENS, SA_MAX_TOKENS, text);
        char what[48];
        snprintf(what, sizeof what, "parameter tokens: word %d", cfg->n + 1);
        /* at most SA_MAX_TOKEN_CHARS characters of UTF-8 fit a token's buffer */
        int rc = avz_label_check(what, p, len, SA_MAX_TOKEN_CHARS, err);
        if (rc)
            return rc;
        memcpy(cfg->tokens[cfg->n], p, len);
        cfg->tokens[cfg->n][len] = '\0';
        cfg->n++;
        p += len;
    }
    if (cfg->n < SA_MIN_TOKENS)
        return avz_error_set(err, -EINVAL,
                             "parameter tokens must be %d to %d words separated by spaces, not "
                             "%d: \"%s\"",
                             SA_MIN_TOKENS, SA_MAX_TOKENS, cfg->n, text);
    return 0;
}

int sa_config_check(const sa_config *cfg, avz_error *err) {
    if (cfg->d_k > cfg->d_model)
        return avz_error_set(err, -EINVAL,
                             "parameter d_k (%d) must be at most d_model (%d): the projection "
                             "narrows the embeddings",
                             cfg->d_k, cfg->d_model);
    return 0;
}

uint64_t sa_rng_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

double sa_rng_uniform(uint64_t *state) {
    return (double)(sa_rng_next(state) >> 11) * 0x1.0p-52 - 1.0;
}

void sa_project(const sa_tokens_by_model x, const sa_model_by_k w, int n, int d_model, int d_k,
                sa_tokens_by_k out) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d_k; j++) {
            double sum = 0.0;
            for (int t = 0; t < d_model; t++)
                sum += x[i][t] * w[t][j];
            out[i][j] = sum;
        }
}

void sa_scores(const sa_tokens_by_k q, const sa_tokens_by_k k, int n, int d_k,
               sa_tokens_by_tokens out) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double sum = 0.0;
            for (int t = 0; t < d_k; t++)
                sum += q[i][t] * k[j][t];
            out[i][j] = sum;
        }
}

void sa_scale(const sa_tokens_by_tokens in, int n, double factor, sa_tokens_by_tokens out) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            out[i][j] = in[i][j] * factor;
}

void sa_softmax_rows(const sa_tokens_by_tokens in, int n, sa_tokens_by_tokens out) {
    for (int i = 0; i < n; i++) {
        double top = in[i][sa_argmax(in[i], n)], sum = 0.0;
        for (int j = 0; j < n; j++)
            sum += out[i][j] = exp(in[i][j] - top);
        for (int j = 0; j < n; j++)
            out[i][j] /= sum;
    }
}

void sa_weighted_sum(const sa_tokens_by_tokens w, const sa_tokens_by_k v, int n, int d_k,
                     sa_tokens_by_k out) {
    for (int i = 0; i < n; i++)
        for (int t = 0; t < d_k; t++) {
            double sum = 0.0;
            for (int j = 0; j < n; j++)
                sum += w[i][j] * v[j][t];
            out[i][t] = sum;
        }
}

double sa_spread(const sa_tokens_by_tokens in, int n) {
    double mean = 0.0, var = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            mean += in[i][j] / (n * n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            var += (in[i][j] - mean) * (in[i][j] - mean) / (n * n);
    return sqrt(var);
}

int sa_argmax(const double *row, int n) {
    int best = 0;
    for (int j = 1; j < n; j++)
        if (row[j] > row[best])
            best = j;
    return best;
}

static void draw_weights(uint64_t *rng, int d_model, int d_k, sa_model_by_k w) {
    for (int i = 0; i < d_model; i++)
        for (int j = 0; j < d_k; j++)
            w[i][j] = sa_rng_uniform(rng);
}

void sa_model_compute(const sa_config *cfg, int head, sa_model *m) {
    uint64_t rng = cfg->seed;
    sa_head *h = &m->head;
    memset(m, 0, sizeof *m);
    m->n = cfg->n;
    m->d_model = cfg->d_model;
    m->d_k = cfg->d_k;
    for (int i = 0; i < m->n; i++)
        for (int j = 0; j < m->d_model; j++)
            m->x[i][j] = sa_rng_uniform(&rng);
    for (int k = 0; k <= head; k++) {
        draw_weights(&rng, m->d_model, m->d_k, h->w_q);
        draw_weights(&rng, m->d_model, m->d_k, h->w_k);
        draw_weights(&rng, m->d_model, m->d_k, h->w_v);
    }
    sa_project(m->x, h->w_q, m->n, m->d_model, m->d_k, h->q);
    sa_project(m->x, h->w_k, m->n, m->d_model, m->d_k, h->k);
    sa_project(m->x, h->w_v, m->n, m->d_model, m->d_k, h->v);
    sa_scores(h->q, h->k, m->n, m->d_k, h->scores);
    sa_scale(h->scores, m->n, 1.0 / sqrt(m->d_k), h->scaled);
    sa_softmax_rows(h->scaled, m->n, h->weights);
    sa_weighted_sum(h->weights, h->v, m->n, m->d_k, h->out);
}
