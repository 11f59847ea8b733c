/* The attention-variants scene, the numbers: the parameters' check, each variant's KV heads
 * and cache per token, and the labels that state them. Pure functions, no scene; see
 * attention_variants.h. */
#include <math.h>
#include <stdio.h>

#include "attention_variants.h"

static const char *plural(long n) {
    return n == 1 ? "" : "s";
}

int av_config_check(const av_config *cfg, avz_error *err) {
    if (cfg->heads % cfg->kv_groups != 0)
        return avz_error_set(err, -EINVAL,
                             "kv_groups=%ld does not divide heads=%ld: GQA splits the query heads "
                             "into kv_groups equal groups, one per KV head",
                             cfg->kv_groups, cfg->heads);
    return 0;
}

void av_format_kib(double bytes, char *buf, size_t size) {
    avz_format_significant(bytes / 1024.0, 4, buf, size);
}

long av_kv_head_of(long q, long heads, long kv_heads) {
    return q / (heads / kv_heads);
}

void av_variants_make(const av_config *cfg, av_variant out[AV_VARIANTS]) {
    static const struct {
        const char *name, *title;
        avz_color color;
    } kinds[AV_VARIANTS] = {
        [AV_MHA] = {"MHA", "Multi-Head (MHA)", AVZ_RED},
        [AV_MQA] = {"MQA", "Multi-Query (MQA)", AVZ_GREEN},
        [AV_GQA] = {"GQA", "Grouped-Query (GQA)", AVZ_PURPLE},
    };
    const long kv_heads[AV_VARIANTS] = {
        [AV_MHA] = cfg->heads, [AV_MQA] = 1, [AV_GQA] = cfg->kv_groups};
    for (int v = 0; v < AV_VARIANTS; v++) {
        av_variant *o = &out[v];
        long kv = kv_heads[v], served = cfg->heads / kv;
        char kib[24];
        o->name = kinds[v].name;
        o->title = kinds[v].title;
        o->color = kinds[v].color;
        o->kv_heads = kv;
        o->bytes = avz_kv_bytes_per_token(cfg->layers, kv, cfg->head_dim, AV_BYTES_PER_VALUE);
        av_format_kib(o->bytes, kib, sizeof kib);
        snprintf(o->size, sizeof o->size, "%s KiB", kib);
        /* Its share of MHA's cache is 1/served, served being a whole number. */
        if (served == 1)
            snprintf(o->bar_label, sizeof o->bar_label, "%s · ×1", o->size);
        else
            snprintf(o->bar_label, sizeof o->bar_label, "%s · ×1/%ld", o->size, served);
        if (kv == 1)
            snprintf(o->sharing, sizeof o->sharing, "1 KV head serving %s%ld Q head%s",
                     cfg->heads > 1 ? "all " : "", cfg->heads, plural(cfg->heads));
        else
            snprintf(o->sharing, sizeof o->sharing, "%ld KV heads, each serving %ld Q head%s", kv,
                     served, plural(served));
    }
}
