/* Timeline: the smooth rate, lag between parts, the play/wait cursor, pacing, and sampling
 * of animations as pure functions of t. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "attnviz/scene.h"
#include "attnviz/timeline.h"
#include "timeline_internal.h"

static double smooth(double t) {
    return avz_rate_eval(AVZ_RATE_SMOOTH, t);
}

static void smooth_matches_the_original(void **state) {
    (void)state;
    assert_float_equal(smooth(0.0), 0.0, 1e-12);
    assert_float_equal(smooth(1.0), 1.0, 1e-12);
    assert_float_equal(smooth(0.5), 0.5, 1e-12);
    /* s(t) = (σ(10(t-0.5)) - σ(-5)) / (1 - 2σ(-5)) at t = 0.25, computed by hand. */
    double sig = 1 / (1 + exp(5.0)), at = 1 / (1 + exp(2.5));
    assert_float_equal(smooth(0.25), (at - sig) / (1 - 2 * sig), 1e-12);
    /* Symmetric and monotonic. */
    for (int i = 0; i <= 100; i++) {
        double t = i / 100.0;
        assert_float_equal(smooth(t) + smooth(1 - t), 1.0, 1e-12);
        if (i)
            assert_true(smooth(t) >= smooth(t - 0.01));
    }
    assert_float_equal(avz_rate_eval(AVZ_RATE_LINEAR, 0.3), 0.3, 1e-12);
}

static void lag_runs_parts_on_their_own_intervals(void **state) {
    (void)state;
    /* 5 parts, lag 0.2: total length 1.8; part 2 runs on [0.4, 1.4]. */
    assert_float_equal(avz_lag_alpha(0.4 / 1.8, 2, 5, 0.2), 0.0, 1e-12);
    assert_float_equal(avz_lag_alpha(0.9 / 1.8, 2, 5, 0.2), 0.5, 1e-12);
    assert_float_equal(avz_lag_alpha(1.4 / 1.8, 2, 5, 0.2), 1.0, 1e-12);
    /* lag 1: one after another. */
    assert_float_equal(avz_lag_alpha(0.5, 0, 2, 1.0), 1.0, 1e-12);
    assert_float_equal(avz_lag_alpha(0.5, 1, 2, 1.0), 0.0, 1e-12);
    assert_float_equal(avz_lag_alpha(0.75, 1, 2, 1.0), 0.5, 1e-12);
    /* A single part ignores lag. */
    assert_float_equal(avz_lag_alpha(0.3, 0, 1, 0.5), 0.3, 1e-12);
    /* Once the animation is over every part is exactly done, not an ulp short (which kept
     * the last glyph of a finished Write in its outline). */
    for (size_t count = 2; count < 200; count++)
        for (double lag = 0.01; lag < 1; lag += 0.07)
            for (size_t i = 0; i < count; i++)
                assert_true(avz_lag_alpha(1.0, i, count, lag) == 1.0);
}

/* Two phases: "a" plays 1 s + 0.5 s wait + a 2 s play of two animations; "b" fades out. */
static avz_scene *two_phase_scene(avz_id *box_out, avz_id *line_out) {
    avz_scene *s = NULL;
    assert_int_equal(avz_scene_new(NULL, &s), 0);
    avz_id box = avz_rect(s, 2, 1, avz_box_style(AVZ_BLUE, 0.5, 4));
    avz_id line = avz_line(s, AVZ_V(-1, -1), AVZ_V(1, -1), AVZ_GRAY, 2);
    avz_phase(s, "a");
    avz_play(s, AVZ_AUTO, avz_fade_in_ex(box, AVZ_V(0, 0.5), 1));
    avz_wait(s, 0.5);
    avz_play(s, 2.0, avz_create(line), avz_fill_to(box, AVZ_RED, 1.0));
    avz_phase(s, "b");
    avz_play(s, 0.5, avz_fade_out(box), avz_fade_out(line));
    assert_int_equal(avz_scene_status(s, NULL), 0);
    *box_out = box;
    *line_out = line;
    return s;
}

static void cursor_sets_phase_lengths(void **state) {
    (void)state;
    avz_id box, line;
    avz_scene *s = two_phase_scene(&box, &line);
    assert_int_equal(avz_scene_phase_count(s), 2);
    assert_string_equal(avz_scene_phase_name(s, 0), "a");
    assert_float_equal(avz_scene_phase_nominal(s, 0), 3.5, 1e-12);
    assert_float_equal(avz_scene_phase_nominal(s, 1), 0.5, 1e-12);

    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, NULL), 0);
    assert_float_equal(avz_timeline_duration(tl), 4.0, 1e-12);
    assert_float_equal(avz_timeline_phase_start(tl, 1), 3.5, 1e-12);
    assert_int_equal(avz_timeline_find_phase(tl, "b"), 1);
    assert_int_equal(avz_timeline_find_phase(tl, "zzz"), -1);
    avz_timeline_free(tl);
    avz_scene_free(s);
}

static void pacing_scales_one_phase_and_shifts_the_rest(void **state) {
    (void)state;
    avz_id box, line;
    avz_scene *s = two_phase_scene(&box, &line);
    const char *names[] = {"a"};
    double secs[] = {7.0};
    avz_pacing pacing = {.speed = 2.0, .names = names, .seconds = secs, .count = 1};
    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(s, &pacing, &tl, NULL), 0);
    /* "a" stretched to 7 s then halved by speed; "b" only halved. */
    assert_float_equal(avz_timeline_phase_duration(tl, 0), 3.5, 1e-12);
    assert_float_equal(avz_timeline_phase_duration(tl, 1), 0.25, 1e-12);
    assert_float_equal(avz_timeline_phase_start(tl, 1), 3.5, 1e-12);
    /* Times inside "a" scale with it: the fill tween (nominal 1.5..3.5) now runs 1.5..3.5
     * after ×2 stretch and ÷2 speed, so mid-way is still at 2.5. */
    avz_frame_state *st = NULL;
    assert_int_equal(avz_frame_state_new(s, &st), 0);
    avz_timeline_sample(s, tl, 2.5, st);
    assert_float_equal(st->nodes[box].style.fill_opacity, 0.75, 1e-9);
    avz_frame_state_free(st);
    avz_timeline_free(tl);
    avz_scene_free(s);
}

static void pacing_errors_are_clear(void **state) {
    (void)state;
    avz_id box, line;
    avz_scene *s = two_phase_scene(&box, &line);
    avz_timeline *tl = NULL;
    avz_error err = {0};
    const char *bad[] = {"nope"};
    double secs[] = {1.0};
    avz_pacing pacing = {.names = bad, .seconds = secs, .count = 1};
    assert_int_equal(avz_timeline_resolve(s, &pacing, &tl, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "unknown phase \"nope\" (phases: a, b)"));
    assert_null(tl);

    const char *good[] = {"a"};
    double zero[] = {0.0};
    avz_error err2 = {0};
    pacing = (avz_pacing){.names = good, .seconds = zero, .count = 1};
    assert_int_equal(avz_timeline_resolve(s, &pacing, &tl, &err2), -EINVAL);
    assert_non_null(strstr(err2.msg, "positive"));

    avz_error err3 = {0};
    pacing = (avz_pacing){.speed = -1};
    assert_int_equal(avz_timeline_resolve(s, &pacing, &tl, &err3), -EINVAL);
    avz_scene_free(s);
}

static void sampling_is_a_pure_function_of_t(void **state) {
    (void)state;
    avz_id box, line;
    avz_scene *s = two_phase_scene(&box, &line);
    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, NULL), 0);
    avz_frame_state *a = NULL, *b = NULL;
    assert_int_equal(avz_frame_state_new(s, &a), 0);
    assert_int_equal(avz_frame_state_new(s, &b), 0);

    /* Before anything plays, nothing shows. */
    avz_timeline_sample(s, tl, 0.0, a);
    assert_true(a->nodes[box].visible == 1); /* FadeIn starts at 0: shown, fully transparent */
    assert_float_equal(a->nodes[box].opacity, 0.0, 1e-12);
    assert_true(a->nodes[line].visible == 0);

    /* Mid fade-in: smooth(0.5) = 0.5 opacity, half of the shift still to go. */
    avz_timeline_sample(s, tl, 0.5, a);
    assert_float_equal(a->nodes[box].opacity, 0.5, 1e-12);
    assert_float_equal(a->nodes[box].offset.y, -0.25, 1e-12);

    /* Create of the line: at the middle of its 2 s, half drawn. */
    avz_timeline_sample(s, tl, 2.5, a);
    assert_true(a->nodes[line].visible == 1);
    assert_float_equal(a->parts[1].draw, 0.5, 1e-12);

    /* Same t, same state, whatever was sampled before. */
    avz_timeline_sample(s, tl, 3.9, b);
    avz_timeline_sample(s, tl, 2.5, b);
    assert_true(avz_frame_state_equal(a, b));

    /* During the wait nothing changes between frames. */
    avz_timeline_sample(s, tl, 1.1, a);
    avz_timeline_sample(s, tl, 1.4, b);
    assert_true(avz_frame_state_equal(a, b));

    /* After the fade-out everything is gone. */
    avz_timeline_sample(s, tl, 4.0, a);
    assert_true(a->nodes[box].visible == 0 && a->nodes[line].visible == 0);
    avz_frame_state_free(a);
    avz_frame_state_free(b);
    avz_timeline_free(tl);
    avz_scene_free(s);
}

static void write_traces_then_fills_with_lag(void **state) {
    (void)state;
    avz_scene *s = NULL;
    assert_int_equal(avz_scene_new(NULL, &s), 0);
    /* A group of 20 squares stands in for 20 glyphs: Write takes 2 s, lag 0.2. */
    avz_id g = avz_group(s, avz_square(s, 0.1, avz_box_style(AVZ_WHITE, 1, 0)));
    for (int i = 1; i < 20; i++)
        avz_group_add(s, g, avz_square(s, 0.1, avz_box_style(AVZ_WHITE, 1, 0)));
    avz_phase(s, "w");
    avz_play(s, AVZ_AUTO, avz_write(g));
    assert_float_equal(avz_scene_phase_nominal(s, 0), 2.0, 1e-12);
    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, NULL), 0);
    avz_frame_state *st = NULL;
    assert_int_equal(avz_frame_state_new(s, &st), 0);
    /* Total length (20-1)*0.2+1 = 4.8 local units over 2 s; part 0 at local 0.48: tracing. */
    avz_timeline_sample(s, tl, 0.2, st);
    assert_float_equal(st->parts[0].draw, 2 * 0.48, 1e-9);
    assert_float_equal(st->parts[0].outline, 1.0, 1e-12);
    assert_float_equal(st->parts[5].draw, 0.0, 1e-12);
    /* Part 0 at local 0.96: filling, 92% of the way from outline to fill. */
    avz_timeline_sample(s, tl, 0.4, st);
    assert_float_equal(st->parts[0].draw, 1.0, 1e-12);
    assert_float_equal(st->parts[0].outline, 2 - 2 * 0.96, 1e-9);
    avz_timeline_sample(s, tl, 2.0, st);
    for (int i = 0; i < 20; i++)
        assert_float_equal(st->parts[i].outline, 0.0, 1e-12);
    avz_frame_state_free(st);
    avz_timeline_free(tl);
    avz_scene_free(s);
}

static void scene_errors_latch(void **state) {
    (void)state;
    avz_scene *s = NULL;
    assert_int_equal(avz_scene_new(NULL, &s), 0);
    avz_id box = avz_rect(s, 1, 1, avz_stroke_style(AVZ_WHITE, 4));
    avz_play(s, AVZ_AUTO, avz_create(box)); /* before any phase */
    avz_phase(s, "later");
    avz_id ignored = avz_rect(s, 1, 1, avz_stroke_style(AVZ_WHITE, 4));
    avz_error err = {0};
    assert_int_equal(avz_scene_status(s, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "before its first avz_phase"));
    assert_int_equal(ignored, AVZ_NONE);
    avz_scene_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(smooth_matches_the_original),
        cmocka_unit_test(lag_runs_parts_on_their_own_intervals),
        cmocka_unit_test(cursor_sets_phase_lengths),
        cmocka_unit_test(pacing_scales_one_phase_and_shifts_the_rest),
        cmocka_unit_test(pacing_errors_are_clear),
        cmocka_unit_test(sampling_is_a_pure_function_of_t),
        cmocka_unit_test(write_traces_then_fills_with_lag),
        cmocka_unit_test(scene_errors_latch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
