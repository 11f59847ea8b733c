/* The layout of the gqa and self-attention scenes at the extremes of what their parameters
 * accept: at every instant something settles, whatever is drawn lies inside the frame and no
 * label (text, formula) lies over another. Each extreme is its own test, so that a run names
 * every one that fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "support.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../scenes/gqa.h"
#include "../../scenes/self_attention.h"

#define MAX_SET 8

typedef struct extreme {
    const avz_scene_def *def;
    const char *names[MAX_SET], *values[MAX_SET];
} extreme;

static size_t set_count(const extreme *e) {
    size_t n = 0;
    while (n < MAX_SET && e->names[n])
        n++;
    return n;
}

static void check_extreme(void **state) {
    const extreme *e = *state;
    size_t count = set_count(e);
    char what[512];
    int used = snprintf(what, sizeof what, "%s", e->def->name);
    for (size_t i = 0; i < count && used > 0 && (size_t)used < sizeof what; i++)
        used += snprintf(what + used, sizeof what - (size_t)used, " %s=\"%s\"", e->names[i],
                         e->values[i]);
    avz_scene *s;
    avz_error err = {0};
    if (avz_test_build(e->def, e->names, e->values, count, &s, &err))
        fail_msg("%s: %s", what, err.msg);
    avz_test_check_layout(s, avz_test_frame, what);
    avz_scene_free(s);
}

/* The widest tokens each scene accepts: as many as it takes, each as long as it takes, in
 * the widest letters. */
#define FOUR(w) w " " w " " w " " w
#define W12 "WWWWWWWWWWWW"
#define M12 "MMMMMMMMMMMM"
#define GQA_W16 FOUR(W12) " " FOUR(W12) " " FOUR(W12) " " FOUR(W12)
#define GQA_M16 FOUR(M12) " " FOUR(M12) " " FOUR(M12) " " FOUR(M12)
#define W10 "WWWWWWWWWW"
#define M10 "MMMMMMMMMM"
#define SA_W8 FOUR(W10) " " FOUR(W10)
#define SA_M8 FOUR(M10) " " FOUR(M10)

#define GQA &avz_scene_gqa
#define SA &avz_scene_self_attention

static const extreme extremes[] = {
    /* gqa: the tokens */
    {GQA, {"tokens"}, {GQA_W16}},
    {GQA, {"tokens"}, {GQA_M16}},
    {GQA, {"tokens"}, {"W W W W W W W W W W W W W W W W"}},
    {GQA, {"tokens"}, {W12 " " W12}},
    {GQA, {"tokens"}, {"a b"}},
    /* gqa: each number at both ends (kv_heads must divide q_heads) */
    {GQA, {"hidden"}, {"1"}},
    {GQA, {"hidden"}, {"1000000"}},
    {GQA, {"q_heads", "kv_heads"}, {"1", "1"}},
    {GQA, {"q_heads", "kv_heads"}, {"1024", "1"}},
    {GQA, {"q_heads", "kv_heads"}, {"1024", "1024"}},
    {GQA, {"head_dim"}, {"1"}},
    {GQA, {"head_dim"}, {"4096"}},
    {GQA, {"layers"}, {"1"}},
    {GQA, {"layers"}, {"1000"}},
    {GQA, {"tokens", "seed"}, {GQA_W16, "2147483647"}},
    /* gqa: together */
    {GQA,
     {"hidden", "q_heads", "kv_heads", "head_dim", "layers", "tokens", "seed"},
     {"1000000", "1024", "1", "4096", "1000", GQA_W16, "2147483647"}},
    {GQA,
     {"hidden", "q_heads", "kv_heads", "head_dim", "layers", "tokens"},
     {"1000000", "1024", "1024", "4096", "1000", GQA_M16}},
    {GQA,
     {"hidden", "q_heads", "kv_heads", "head_dim", "layers", "tokens"},
     {"1", "1", "1", "1", "1", "a b"}},

    /* self-attention: the tokens */
    {SA, {"tokens"}, {SA_W8}},
    {SA, {"tokens"}, {SA_M8}},
    {SA, {"tokens"}, {"W W W W W W W W"}},
    {SA, {"tokens"}, {W10 " " W10}},
    {SA, {"tokens"}, {"a b"}},
    /* self-attention: each number at both ends (d_k at most d_model) */
    {SA, {"d_model", "d_k"}, {"2", "2"}},
    {SA, {"d_model"}, {"12"}},
    {SA, {"d_model", "d_k"}, {"12", "6"}},
    {SA, {"d_model", "d_k"}, {"6", "6"}},
    {SA, {"d_k"}, {"2"}},
    {SA, {"heads"}, {"2"}},
    {SA, {"heads"}, {"8"}},
    {SA, {"seed"}, {"0"}},
    {SA, {"seed"}, {"2147483647"}},
    /* self-attention: together */
    {SA, {"tokens", "d_model", "d_k", "heads", "seed"}, {SA_W8, "12", "6", "8", "2147483647"}},
    {SA, {"tokens", "d_model", "d_k", "heads", "seed"}, {SA_M8, "6", "6", "8", "2147483647"}},
    {SA,
     {"tokens", "d_model", "d_k", "heads", "seed"},
     {W10 " " W10, "12", "6", "8", "2147483647"}},
    {SA, {"tokens", "d_model", "d_k", "heads"}, {"a b", "2", "2", "2"}},
};
#define EXTREMES (sizeof extremes / sizeof extremes[0])

/* The defaults too: the original's layout, which the extremes must not have disturbed. */
static const extreme defaults[] = {{GQA, {NULL}, {NULL}}, {SA, {NULL}, {NULL}}};

/* ---- the tools: what the check sees, and wrapping ---- */

/* Two labels a and b over each other from 2 s to 3 s, a figure outside the frame from the
 * start; b slides in from 1 s to 2 s and a fades out from 3 s to 4 s. */
static void the_check_sees_settled_leaves_at_each_end(void **state) {
    (void)state;
    avz_scene *s;
    assert_int_equal(avz_scene_new(avz_test_fonts, &s), 0);
    avz_phase(s, "only");
    avz_id a = avz_text(s, "AB", 24, AVZ_WHITE), b = avz_text(s, "AB", 24, AVZ_WHITE);
    avz_shift(s, b, AVZ_V(0.05, 0.0));
    avz_id out = avz_square(s, 1.0, avz_box_style(AVZ_WHITE, 1.0, 0.0));
    avz_move_to(s, out, AVZ_V(7.5, 0.0));
    avz_play(s, AVZ_AUTO, avz_show(out));
    avz_play(s, 1.0, avz_fade_in(a));
    avz_play(s, 1.0, avz_fade_in_ex(b, AVZ_V(1.0, 0.0), 1.0));
    avz_wait(s, 1.0);
    avz_play(s, 1.0, avz_fade_out(a));
    assert_int_equal(avz_scene_status(s, NULL), 0);

    avz_test_view *v = avz_test_view_new(s);
    const double *times;
    assert_int_equal(avz_test_view_times(v, &times), 4);
    const double want[] = {0.0, 1.0, 2.0, 4.0};
    for (size_t i = 0; i < 4; i++)
        avz_assert_near(times[i], want[i], 1e-12);
    assert_string_equal(avz_test_view_phase(v, 2.0), "only");

    const avz_test_leaf *l;
    /* Sliding in, b is not settled; a is. */
    assert_int_equal(avz_test_view_at(v, 1.5, &l), 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(l[i].settled, l[i].id != b);
    /* Both settled and over each other; the square is a figure, outside the frame. */
    assert_int_equal(avz_test_view_at(v, 2.0, &l), 3);
    assert_true(l[0].id == a && l[1].id == b && l[2].id == out);
    assert_true(l[0].label && l[1].label && !l[2].label);
    assert_true(l[0].settled && l[1].settled && l[2].settled);
    assert_true(avz_test_labels_overlap(v, &l[0], &l[1]));
    assert_true(avz_test_inside(l[0].box, avz_test_frame, 0.0));
    assert_false(avz_test_inside(l[2].box, avz_test_frame, 0.0));
    avz_assert_near(l[1].box.x0 - l[0].box.x0, 0.05, 1e-9);
    /* Fading out, a is carried off; gone at the end. */
    assert_int_equal(avz_test_view_at(v, 3.5, &l), 3);
    assert_false(l[0].settled);
    assert_int_equal(avz_test_view_at(v, 4.0, &l), 2);
    assert_true(l[0].id == b && l[1].id == out);
    avz_test_view_free(v);
    avz_scene_free(s);
}

/* Boxes that overlap while the glyphs in them do not: a label in the empty end of another's
 * short second line. */
static void labels_overlap_by_their_glyphs(void **state) {
    (void)state;
    avz_scene *s;
    assert_int_equal(avz_scene_new(avz_test_fonts, &s), 0);
    avz_phase(s, "only");
    avz_id two = avz_text(s, "AAAAAAAA\nA", 24, AVZ_WHITE);
    avz_id beside = avz_text(s, "B", 24, AVZ_WHITE), over = avz_text(s, "B", 24, AVZ_WHITE);
    avz_bbox box = avz_bounds(s, two);
    avz_move_to(s, beside, AVZ_V(box.x1 - 0.2, box.y0 + 0.15));
    avz_move_to(s, over, AVZ_V(box.x0 + 0.1, box.y0 + 0.15));
    avz_play(s, AVZ_AUTO, avz_show(two), avz_show(beside), avz_show(over));
    avz_test_view *v = avz_test_view_new(s);
    const avz_test_leaf *l;
    assert_int_equal(avz_test_view_at(v, 0.0, &l), 3);
    assert_true(avz_bbox_overlaps(l[0].box, l[1].box, AVZ_TEST_TOUCH));
    assert_false(avz_test_labels_overlap(v, &l[0], &l[1]));
    assert_true(avz_test_labels_overlap(v, &l[0], &l[2]));
    /* Touching is not overlapping. */
    assert_false(
        avz_bbox_overlaps((avz_bbox){0, 0, 1, 1}, (avz_bbox){0.99, 0, 2, 1}, AVZ_TEST_TOUCH));
    avz_test_view_free(v);
    avz_scene_free(s);
}

static void wrapping_breaks_at_spaces_to_the_width(void **state) {
    (void)state;
    avz_scene *s;
    assert_int_equal(avz_scene_new(avz_test_fonts, &s), 0);
    char out[64];
    double two = fmax(avz_measure_text(s, "aaa bbb", 20, 0).width,
                      avz_measure_text(s, "bbb ccc", 20, 0).width);
    assert_int_equal(avz_wrap_text(s, "aaa bbb ccc", 20, 0, two + 0.01, out, sizeof out), 2);
    assert_string_equal(out, "aaa bbb\nccc");
    /* Narrower than a word: a word to a line, none split. */
    assert_int_equal(avz_wrap_text(s, "aaa bbb ccc", 20, 0, 0.01, out, sizeof out), 3);
    assert_string_equal(out, "aaa\nbbb\nccc");
    /* Wide enough: unchanged; breaks already there stay. */
    assert_int_equal(avz_wrap_text(s, "aaa bbb ccc", 20, 0, 100, out, sizeof out), 1);
    assert_string_equal(out, "aaa bbb ccc");
    assert_int_equal(avz_wrap_text(s, "aaa\nbbb ccc", 20, 0, two + 0.01, out, sizeof out), 2);
    assert_string_equal(out, "aaa\nbbb ccc");
    assert_int_equal(avz_scene_status(s, NULL), 0);
    /* No room for the copy: an error, latched. */
    assert_int_equal(avz_wrap_text(s, "aaa bbb ccc", 20, 0, 100, out, 5), 0);
    avz_error err = {0};
    assert_int_equal(avz_scene_status(s, &err), -EINVAL);
    avz_scene_free(s);
}

int main(void) {
    const struct CMUnitTest tools[] = {
        cmocka_unit_test(the_check_sees_settled_leaves_at_each_end),
        cmocka_unit_test(labels_overlap_by_their_glyphs),
        cmocka_unit_test(wrapping_breaks_at_spaces_to_the_width),
    };
    int failed =
        cmocka_run_group_tests_name("tools", tools, avz_test_open_fonts, avz_test_close_fonts);

    struct CMUnitTest tests[EXTREMES + 2];
    static char names[EXTREMES + 2][96];
    for (size_t i = 0; i < EXTREMES + 2; i++) {
        /* Named by what it sets: "gqa 2: tokens", "self-attention 1: defaults". */
        const extreme *e = i < 2 ? &defaults[i] : &extremes[i - 2];
        int used = snprintf(names[i], sizeof names[i], "%s %zu: %s", e->def->name, i,
                            set_count(e) ? "" : "defaults");
        for (size_t k = 0; k < set_count(e) && used > 0 && (size_t)used < sizeof names[i]; k++)
            used += snprintf(names[i] + used, sizeof names[i] - (size_t)used, "%s%s", k ? ", " : "",
                             e->names[k]);
        tests[i] = (struct CMUnitTest){
            .name = names[i], .test_func = check_extreme, .initial_state = (void *)e};
    }
    return failed + cmocka_run_group_tests_name("extremes", tests, avz_test_open_fonts,
                                                avz_test_close_fonts);
}
