/* The attention-variants scene: each variant's KV heads and cache per token against
 * avz_kv_bytes_per_token, the labels computed from them, parameter errors, the phases'
 * lengths, and the layout at the extremes of every parameter: inside the frame, in its
 * column, and no label over another. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "support.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../scenes/attention_variants.h"
#include "attnviz/timeline.h"

#define EPS 1e-9

static const av_config defaults = {
    .heads = 8, .kv_groups = 2, .head_dim = 128, .layers = 32, .tokens = 6};

/* ---- the numbers ---- */

static void labels_for_the_defaults(void **state) {
    (void)state;
    av_variant v[AV_VARIANTS];
    av_variants_make(&defaults, v);
    assert_string_equal(v[AV_MHA].name, "MHA");
    assert_string_equal(v[AV_MQA].name, "MQA");
    assert_string_equal(v[AV_GQA].name, "GQA");
    assert_int_equal(v[AV_MHA].kv_heads, 8);
    assert_int_equal(v[AV_MQA].kv_heads, 1);
    assert_int_equal(v[AV_GQA].kv_heads, 2);
    /* 2 (K, V) × 32 layers × KV heads × 128 × 2 bytes: 128 KiB for each KV head of eight. */
    assert_string_equal(v[AV_MHA].bar_label, "128 KiB · ×1");
    assert_string_equal(v[AV_MQA].bar_label, "16 KiB · ×1/8");
    assert_string_equal(v[AV_GQA].bar_label, "32 KiB · ×1/4");
    assert_string_equal(v[AV_MHA].sharing, "8 KV heads, each serving 1 Q head");
    assert_string_equal(v[AV_MQA].sharing, "1 KV head serving all 8 Q heads");
    assert_string_equal(v[AV_GQA].sharing, "2 KV heads, each serving 4 Q heads");
}

static void labels_follow_the_parameters(void **state) {
    (void)state;
    av_variant v[AV_VARIANTS];
    av_config cfg = {.heads = 16, .kv_groups = 4, .head_dim = 64, .layers = 24, .tokens = 3};
    av_variants_make(&cfg, v);
    assert_string_equal(v[AV_MHA].bar_label, "96 KiB · ×1");
    assert_string_equal(v[AV_MQA].bar_label, "6 KiB · ×1/16");
    assert_string_equal(v[AV_GQA].bar_label, "24 KiB · ×1/4");
    assert_string_equal(v[AV_GQA].sharing, "4 KV heads, each serving 4 Q heads");

    /* One head: the three variants are the same, and nothing is "all" of one. */
    cfg = (av_config){.heads = 1, .kv_groups = 1, .head_dim = 8, .layers = 1, .tokens = 1};
    av_variants_make(&cfg, v);
    for (int i = 0; i < AV_VARIANTS; i++) {
        assert_string_equal(v[i].bar_label, "0.03125 KiB · ×1");
        assert_string_equal(v[i].sharing, "1 KV head serving 1 Q head");
    }
    /* GQA with as many groups as heads is MHA. */
    cfg = (av_config){.heads = 4, .kv_groups = 4, .head_dim = 256, .layers = 80, .tokens = 2};
    av_variants_make(&cfg, v);
    assert_string_equal(v[AV_GQA].bar_label, "320 KiB · ×1");
    assert_string_equal(v[AV_GQA].sharing, "4 KV heads, each serving 1 Q head");
}

static void kib_print_to_four_significant_digits(void **state) {
    (void)state;
    const struct {
        double bytes;
        const char *text;
    } cases[] = {
        {131072, "128"},
        {1536, "1.5"},
        {1280, "1.25"},
        {32, "0.03125"},
        {36, "0.03516"},
        {16777216, "16384"},
        {15651900, "15285"},
        {1024 * 1000.5, "1001"},
        {1024 * 12.5, "12.5"},
        {1024 * 123.456, "123.5"},
        {0, "0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        av_format_kib(cases[i].bytes, buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
    }
}

static void each_variant_caches_what_avz_kv_bytes_per_token_says(void **state) {
    (void)state;
    const long dims[] = {8, 100, 1024}, layers[] = {1, 7, 256};
    for (long heads = 1; heads <= AV_MAX_HEADS; heads++)
        for (long kv = 1; kv <= heads; kv++) {
            if (heads % kv)
                continue;
            for (size_t d = 0; d < 3; d++)
                for (size_t l = 0; l < 3; l++) {
                    av_config cfg = {heads, kv, dims[d], layers[l], 4};
                    av_variant v[AV_VARIANTS];
                    av_variants_make(&cfg, v);
                    const long expected[AV_VARIANTS] = {heads, 1, kv};
                    for (int i = 0; i < AV_VARIANTS; i++) {
                        assert_int_equal(v[i].kv_heads, expected[i]);
                        assert_true(v[i].bytes ==
                                    avz_kv_bytes_per_token(layers[l], expected[i], dims[d], 2));
                    }
                }
        }
}

static void query_heads_read_their_groups_kv_head(void **state) {
    (void)state;
    av_layout l;
    av_config cfg = defaults;
    cfg.heads = 12;
    av_layout_make(&cfg, &l);
    for (long q = 0; q < 12; q++) {
        assert_int_equal(av_kv_head_of(q, 12, 12), q);
        assert_int_equal(av_kv_head_of(q, 12, 1), 0);
        assert_int_equal(av_kv_head_of(q, 12, 3), q / 4);
    }
    /* A KV head stands under the middle of the query heads it serves. */
    for (long j = 0; j < 3; j++) {
        double mean = 0;
        for (long q = 4 * j; q < 4 * j + 4; q++)
            mean += av_query_x(&l, AV_GQA, 12, q) / 4;
        avz_assert_near(av_kv_x(&l, AV_GQA, 12, 3, j), mean, EPS);
    }
    avz_assert_near(av_kv_x(&l, AV_MQA, 12, 1, 0), av_column_x(&l, AV_MQA), EPS);
    avz_assert_near(av_kv_x(&l, AV_MHA, 12, 12, 5), av_query_x(&l, AV_MHA, 12, 5), EPS);
}

/* ---- parameters ---- */

static int build(const char *const *names, const char *const *values, size_t count, avz_scene **out,
                 avz_error *err) {
    return avz_test_build(&avz_scene_attention_variants, names, values, count, out, err);
}

static void check_refused(const char *const *names, const char *const *values, size_t count,
                          const char *message) {
    avz_scene *s;
    avz_error err = {0};
    assert_int_equal(build(names, values, count, &s, &err), -EINVAL);
    assert_null(s);
    assert_string_equal(err.msg, message);
}

static void kv_groups_must_divide_heads(void **state) {
    (void)state;
    av_config cfg = defaults;
    avz_error err = {0};
    assert_int_equal(av_config_check(&cfg, &err), 0);
    cfg.kv_groups = 3;
    assert_int_equal(av_config_check(&cfg, &err), -EINVAL);
    assert_string_equal(err.msg, "kv_groups=3 does not divide heads=8: GQA splits the query heads "
                                 "into kv_groups equal groups, one per KV head");

    const char *kv = "kv_groups", *three = "3";
    check_refused(&kv, &three, 1,
                  "attention-variants: kv_groups=3 does not divide heads=8: GQA splits the query "
                  "heads into kv_groups equal groups, one per KV head");
    /* More groups than heads divides nothing either. */
    const char *names[] = {"heads", "kv_groups"}, *more[] = {"4", "16"};
    check_refused(names, more, 2,
                  "attention-variants: kv_groups=16 does not divide heads=4: GQA splits the "
                  "query heads into kv_groups equal groups, one per KV head");
}

static void out_of_range_parameters_are_refused(void **state) {
    (void)state;
    const struct {
        const char *name, *value, *message;
    } cases[] = {
        {"heads", "17", "parameter heads must be a whole number from 1 to 16, not \"17\""},
        {"heads", "0", "parameter heads must be a whole number from 1 to 16, not \"0\""},
        {"kv_groups", "0", "parameter kv_groups must be a whole number from 1 to 16, not \"0\""},
        {"head_dim", "7", "parameter head_dim must be a whole number from 8 to 1024, not \"7\""},
        {"layers", "257", "parameter layers must be a whole number from 1 to 256, not \"257\""},
        {"tokens", "17", "parameter tokens must be a whole number from 1 to 16, not \"17\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_refused(&cases[i].name, &cases[i].value, 1, cases[i].message);
}

/* ---- the built scene ---- */

static void check_phases(const char *const *names, const char *const *values, size_t count) {
    static const char *const phases[] = {"heads", "cache-size", "cache-growth"};
    static const double seconds[] = {12, 10, 17};
    avz_scene *s;
    avz_error err = {0};
    if (build(names, values, count, &s, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(avz_scene_phase_count(s), 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(avz_scene_phase_name(s, i), phases[i]);
        avz_assert_near(avz_scene_phase_nominal(s, i), seconds[i], EPS);
    }
    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, &err), 0);
    avz_assert_near(avz_timeline_duration(tl), 39.0, EPS);
    avz_timeline_free(tl);
    avz_scene_free(s);
}

static void builds_with_defaults_and_at_every_extreme(void **state) {
    (void)state;
    check_phases(NULL, NULL, 0);
    const char *names[] = {"heads", "kv_groups", "head_dim", "layers", "tokens"};
    const char *const extremes[][5] = {
        {"1", "1", "8", "1", "1"},       {"16", "1", "1024", "256", "16"},
        {"16", "16", "8", "256", "1"},   {"16", "16", "1024", "1", "16"},
        {"1", "1", "1024", "256", "16"}, {"16", "2", "8", "1", "16"},
    };
    for (size_t i = 0; i < sizeof extremes / sizeof extremes[0]; i++)
        check_phases(names, extremes[i], 5);
}

/* Builds cfg's storyboard into a new scene, keeping its nodes in c. */
static avz_scene *play(const av_config *cfg, av_ctx *c) {
    avz_scene *s;
    assert_int_equal(avz_scene_new(avz_test_fonts, &s), 0);
    *c = (av_ctx){.s = s, .cfg = cfg};
    av_storyboard(c);
    avz_error err = {0};
    if (avz_scene_status(s, &err))
        fail_msg("%s", err.msg);
    return s;
}

static void bars_are_as_long_as_their_bytes(void **state) {
    (void)state;
    const av_config configs[] = {
        defaults,
        {.heads = 16, .kv_groups = 4, .head_dim = 64, .layers = 24, .tokens = 3},
        {.heads = 12, .kv_groups = 6, .head_dim = 1000, .layers = 255, .tokens = 16},
    };
    for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++) {
        av_ctx c;
        avz_scene *s = play(&configs[i], &c);
        double full = avz_height(s, avz_group_member(s, c.bars.bars, AV_MHA));
        for (int v = 0; v < AV_VARIANTS; v++) {
            double bytes =
                avz_kv_bytes_per_token(configs[i].layers, c.v[v].kv_heads, configs[i].head_dim, 2);
            double height = avz_height(s, avz_group_member(s, c.bars.bars, (size_t)v));
            avz_assert_near(height / full, bytes / c.v[AV_MHA].bytes, EPS);
            /* Each bar stands under its own column. */
            avz_assert_near(avz_center(s, avz_group_member(s, c.bars.bars, (size_t)v)).x,
                            av_column_x(&c.lay, v), EPS);
        }
        avz_scene_free(s);
    }
}

/* ---- the layout ---- */

/* The scene keeps a margin inside the frame. */
static const avz_bbox frame = {-AV_FRAME_X, -AV_FRAME_Y, AV_FRAME_X, AV_FRAME_Y};

/* The figures here stand strictly apart: any overlap beyond rounding counts. */
#define APART 1e-6

/* What one phase shows at once. */
typedef struct shown {
    avz_bbox box[128];
    char what[128][32];
    size_t count;
} shown;

static void show(shown *sh, avz_bbox box, const char *what, size_t index) {
    assert_true(sh->count < sizeof sh->box / sizeof sh->box[0]);
    sh->box[sh->count] = box;
    snprintf(sh->what[sh->count], sizeof sh->what[0], "%s %zu", what, index);
    sh->count++;
}

static void show_members(shown *sh, const avz_scene *s, avz_id group, const char *what) {
    for (size_t i = 0; i < avz_group_size(s, group); i++)
        show(sh, avz_bounds(s, avz_group_member(s, group, i)), what, i);
}

static void check_apart(const shown *sh, const char *config) {
    for (size_t i = 0; i < sh->count; i++)
        for (size_t j = 0; j < i; j++)
            if (avz_bbox_overlaps(sh->box[i], sh->box[j], APART))
                fail_msg("%s: %s overlaps %s", config, sh->what[i], sh->what[j]);
}

/* The squares of a cache: everything in its group after its labels. */
static avz_bbox cache_squares(const avz_scene *s, const avz_kv_cache *kv) {
    avz_bbox box = avz_bbox_empty();
    for (size_t i = 1; i < avz_group_size(s, kv->group); i++)
        box = avz_bbox_union(box, avz_bounds(s, avz_group_member(s, kv->group, i)));
    return box;
}

static void check_layout(const av_config *cfg) {
    char config[128];
    snprintf(config, sizeof config, "heads=%ld kv_groups=%ld head_dim=%ld layers=%ld tokens=%ld",
             cfg->heads, cfg->kv_groups, cfg->head_dim, cfg->layers, cfg->tokens);
    av_ctx c;
    avz_scene *s = play(cfg, &c);
    const av_layout *l = &c.lay;

    /* Whatever it draws, in the frame, and no label over another at any instant. */
    avz_test_check_layout(s, frame, config);
    /* Three columns side by side, each variant's figures in its own. */
    for (int v = 0; v < AV_VARIANTS; v++) {
        assert_true(avz_test_inside(l->column[v], frame, EPS));
        for (int w = 0; w < v; w++)
            assert_false(avz_bbox_overlaps(l->column[v], l->column[w], APART));
        const avz_id own[] = {c.header[v],
                              c.queries[v],
                              c.kv_heads[v],
                              c.wires[v],
                              c.sharing[v],
                              c.cache[v].group,
                              c.total[v],
                              avz_group_member(s, c.bars.bars, (size_t)v),
                              avz_group_member(s, c.bars.labels, (size_t)v),
                              avz_group_member(s, c.bars.end_labels, (size_t)v)};
        for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
            if (!avz_test_inside(avz_bounds(s, own[i]), l->column[v], EPS))
                fail_msg("%s: part %zu of column %d leaves it", config, i, v);
    }
    /* Head squares side by side and K over V, apart. */
    assert_true(l->head_pitch > l->head_side);
    assert_true(l->k_y - l->v_y > l->head_side);
    assert_true(l->q_y - l->k_y > l->head_side);

    /* Phases 1 and 2: the heads stay while the bars join them. */
    shown heads = {0};
    show(&heads, avz_bounds(s, c.title), "title", 0);
    show_members(&heads, s, c.legend, "legend");
    for (int v = 0; v < AV_VARIANTS; v++) {
        show(&heads, avz_bounds(s, c.header[v]), "header", (size_t)v);
        show(&heads, avz_bounds(s, c.queries[v]), "query heads", (size_t)v);
        show(&heads, avz_bounds(s, c.kv_heads[v]), "KV heads", (size_t)v);
        show(&heads, avz_bounds(s, c.sharing[v]), "sharing", (size_t)v);
    }
    show_members(&heads, s, c.bars.bars, "bar");
    show_members(&heads, s, c.bars.labels, "bar name");
    show_members(&heads, s, c.bars.end_labels, "bar size");
    show(&heads, avz_bounds(s, c.bars.axis), "axis", 0);
    show(&heads, avz_bounds(s, c.bar_caption), "caption", 0);
    check_apart(&heads, config);

    /* Phase 3: the caches, their row labels left of their squares, and the totals. */
    shown caches = {0};
    show(&caches, avz_bounds(s, c.cache_title), "title", 0);
    show(&caches, avz_bounds(s, c.counter), "counter", 0);
    for (int v = 0; v < AV_VARIANTS; v++) {
        assert_int_equal(c.cache[v].tokens, cfg->tokens);
        assert_int_equal(avz_group_size(s, c.cache[v].labels), 2 * c.v[v].kv_heads);
        show(&caches, avz_bounds(s, c.header[v]), "header", (size_t)v);
        show(&caches, cache_squares(s, &c.cache[v]), "cache", (size_t)v);
        show_members(&caches, s, c.cache[v].labels, "row label");
        show(&caches, avz_bounds(s, c.total[v]), "total", (size_t)v);
    }
    check_apart(&caches, config);
    avz_scene_free(s);
}

static void layout_stays_inside_the_frame_for_every_head_count(void **state) {
    (void)state;
    /* Every head count with every divisor, at both ends of the other ranges: the widest
     * labels come with the most digits. */
    const long ends[][3] = {{8, 1, 1}, {1024, 256, 16}, {8, 256, 16}, {1024, 1, 1}};
    for (long heads = 1; heads <= AV_MAX_HEADS; heads++)
        for (long kv = 1; kv <= heads; kv++) {
            if (heads % kv)
                continue;
            for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++) {
                av_config cfg = {heads, kv, ends[e][0], ends[e][1], ends[e][2]};
                check_layout(&cfg);
            }
        }
    /* Digits that do not round off evenly make the longest numbers. */
    av_config odd = {.heads = 15, .kv_groups = 5, .head_dim = 1023, .layers = 255, .tokens = 16};
    check_layout(&odd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(labels_for_the_defaults),
        cmocka_unit_test(labels_follow_the_parameters),
        cmocka_unit_test(kib_print_to_four_significant_digits),
        cmocka_unit_test(each_variant_caches_what_avz_kv_bytes_per_token_says),
        cmocka_unit_test(query_heads_read_their_groups_kv_head),
        cmocka_unit_test(kv_groups_must_divide_heads),
        cmocka_unit_test(out_of_range_parameters_are_refused),
        cmocka_unit_test(builds_with_defaults_and_at_every_extreme),
        cmocka_unit_test(bars_are_as_long_as_their_bytes),
        cmocka_unit_test(layout_stays_inside_the_frame_for_every_head_count),
    };
    return cmocka_run_group_tests(tests, avz_test_open_fonts, avz_test_close_fonts);
}
