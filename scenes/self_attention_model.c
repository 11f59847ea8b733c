/* The self-attention scene's numbers: the parameters checked against each other, and one
 * head's attention computed with the engine's maths (see self_attention.h). No drawing. */
#include <math.h>
#include <string.h>

#include "self_attention.h"

int sa_config_make(const char *tokens, sa_config *cfg, avz_error *err) {
    int rc = avz_tokens_parse("parameter tokens", tokens, SA_MIN_TOKENS, SA_MAX_TOKENS,
                              SA_MAX_TOKEN_CHARS, &cfg->tokens, err);
    if (rc)
        return rc;
    cfg->n = (int)cfg->tokens.count;
    for (int i = 0; i < cfg->n; i++) {
        cfg->names[i] = cfg->tokens.text[i];
        cfg->hues[i] = avz_hue((size_t)i, (size_t)cfg->n);
    }
    if (cfg->d_k > cfg->d_model)
        return avz_error_set(err, -EINVAL,
                             "parameter d_k (%d) must be at most d_model (%d): the projection "
                             "narrows the embeddings",
                             cfg->d_k, cfg->d_model);
    return 0;
}

static void draw_weights(avz_rng *rng, int d_model, int d_k, double *w) {
    for (int i = 0; i < d_model * d_k; i++)
        w[i] = avz_rng_uniform(rng, -1.0, 1.0);
}

void sa_model_compute(const sa_config *cfg, int head, sa_model *m) {
    avz_rng rng = avz_rng_seed(cfg->seed);
    sa_head *h = &m->head;
    memset(m, 0, sizeof *m);
    size_t n = (size_t)cfg->n, d_model = (size_t)cfg->d_model, d_k = (size_t)cfg->d_k;
    m->n = cfg->n;
    m->d_model = cfg->d_model;
    m->d_k = cfg->d_k;
    for (size_t i = 0; i < n * d_model; i++)
        m->x[i] = avz_rng_uniform(&rng, -1.0, 1.0);
    for (int k = 0; k <= head; k++) {
        draw_weights(&rng, m->d_model, m->d_k, h->w_q);
        draw_weights(&rng, m->d_model, m->d_k, h->w_k);
        draw_weights(&rng, m->d_model, m->d_k, h->w_v);
    }
    avz_matmul(m->x, h->w_q, n, d_model, d_k, h->q);
    avz_matmul(m->x, h->w_k, n, d_model, d_k, h->k);
    avz_matmul(m->x, h->w_v, n, d_model, d_k, h->v);
    avz_matmul_bt(h->q, h->k, n, d_k, n, h->scores);
    memcpy(h->scaled, h->scores, n * n * sizeof *h->scaled);
    avz_mat_scale(h->scaled, n * n, 1.0 / sqrt((double)d_k));
    avz_softmax_rows(h->scaled, n, n, h->weights);
    avz_matmul(h->weights, h->v, n, n, d_k, h->out);
}
