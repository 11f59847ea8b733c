/* Timeline: the rate functions, lag between parts, phase lengths, pacing, sampling of
 * animations as pure functions of t, Write's trace and fill, and when two frames are known to
 * be equal (avz_timeline_still). The scene-side API that places animations in time is
 * test_timing.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "attnviz/scene.h"
#include "attnviz/timeline.h"
#include "runs.h"
#include "scene_internal.h"
#include "support.h"
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
    assert_string_equal(err2.msg,
                        "phase \"a\" needs a length above 0 and at most 3600 s, not 0.000");
    /* past --phase's bound, whatever paces it (cues, a settings file) */
    double hour_and_more[] = {3600.5};
    err2 = (avz_error){0};
    pacing = (avz_pacing){.names = good, .seconds = hour_and_more, .count = 1};
    assert_int_equal(avz_timeline_resolve(s, &pacing, &tl, &err2), -EINVAL);
    assert_string_equal(err2.msg,
                        "phase \"a\" needs a length above 0 and at most 3600 s, not 3600.500");

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

static void expect_color_near(avz_color got, avz_color want) {
    avz_assert_near(got.r, want.r, 1e-12);
    avz_assert_near(got.g, want.g, 1e-12);
    avz_assert_near(got.b, want.b, 1e-12);
}

static void rate_functions_end_where_they_should(void **state) {
    (void)state;
    avz_assert_near(avz_rate_eval(AVZ_RATE_THERE_AND_BACK, 0), 0, 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_THERE_AND_BACK, 0.5), 1, 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_THERE_AND_BACK, 1), 0, 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_THERE_AND_BACK, 0.25), 0.5, 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_RUSH_INTO, 0), 0, 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_RUSH_INTO, 1), 1, 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_RUSH_FROM, 0), 0, 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_RUSH_FROM, 1), 1, 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_RUSH_INTO, 0.5), 2 * ref_smooth(0.25), 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_RUSH_FROM, 0.5), 2 * ref_smooth(0.75) - 1, 1e-12);
    avz_assert_near(avz_rate_eval(AVZ_RATE_DEFAULT, 0.3), ref_smooth(0.3), 1e-12);
    for (int i = 1; i < 100; i++) {
        double t = i / 100.0;
        /* Out and back, symmetrically; slow then fast into the end; fast then slow away. */
        avz_assert_near(avz_rate_eval(AVZ_RATE_THERE_AND_BACK, t),
                        avz_rate_eval(AVZ_RATE_THERE_AND_BACK, 1 - t), 1e-12);
        assert_true(avz_rate_eval(AVZ_RATE_RUSH_INTO, t) < t);
        assert_true(avz_rate_eval(AVZ_RATE_RUSH_FROM, t) > t);
        avz_assert_near(avz_rate_eval(AVZ_RATE_RUSH_INTO, t) +
                            avz_rate_eval(AVZ_RATE_RUSH_FROM, 1 - t),
                        1, 1e-12);
        assert_true(avz_rate_eval(AVZ_RATE_RUSH_INTO, t) >
                    avz_rate_eval(AVZ_RATE_RUSH_INTO, t - 0.01));
        assert_true(avz_rate_eval(AVZ_RATE_RUSH_FROM, t) >
                    avz_rate_eval(AVZ_RATE_RUSH_FROM, t - 0.01));
    }
    /* rush_into starts at no speed and arrives at speed; rush_from the other way round. */
    assert_true(avz_rate_eval(AVZ_RATE_RUSH_INTO, 0.01) < 0.001);
    assert_true(1 - avz_rate_eval(AVZ_RATE_RUSH_INTO, 0.99) > 0.01);
    assert_true(avz_rate_eval(AVZ_RATE_RUSH_FROM, 0.01) > 0.01);
    assert_true(1 - avz_rate_eval(AVZ_RATE_RUSH_FROM, 0.99) < 0.001);

    /* In an animation: a pulse ends where it began. */
    avz_scene *s = bare_scene();
    avz_id a = unit_square(s, AVZ_ORIGIN), w = row_of(s, 3, 1);
    avz_phase(s, "pulse");
    avz_play(s, AVZ_AUTO, avz_show(a));
    avz_play(s, 2.0, avz_with_rate(avz_fill_to(a, AVZ_RED, 1.0), AVZ_RATE_THERE_AND_BACK),
             avz_write(w), avz_fade_in(w));
    /* Each animation's own rate: Write linear, the rest smooth. */
    assert_int_equal(s->anims[1].rate, AVZ_RATE_THERE_AND_BACK);
    assert_int_equal(s->anims[2].rate, AVZ_RATE_LINEAR);
    assert_int_equal(s->anims[3].rate, AVZ_RATE_SMOOTH);
    run r = run_new(s, NULL);
    avz_assert_near(at(s, &r, 1.0, a)->style.fill_opacity, 1.0, 1e-12);
    expect_color_near(at(s, &r, 1.0, a)->style.fill, AVZ_RED);
    avz_assert_near(at(s, &r, 2.0, a)->style.fill_opacity, 0.5, 1e-12);
    expect_color_near(at(s, &r, 2.0, a)->style.fill, AVZ_BLUE);
    avz_assert_near(at(s, &r, 0.5, a)->style.fill_opacity, 0.75, 1e-12);
    run_free(&r);
    avz_scene_free(s);
}

/* avz_timeline_still(t0, t1) says a frame need not be drawn again. Over every frame of a
 * scene, at three frame rates and with and without pacing, it is true exactly when the states
 * sampled at t0 and t1 are equal: never when they differ (a frame would be lost), and
 * always when they are equal, but for one case where it is cautious by design: an animation
 * that begins exactly on t1 and changes nothing at its first instant (a fade-out at 0). */
static void still_is_exact_over_every_frame(void **state) {
    (void)state;
    avz_scene *s = bare_scene();
    avz_id a = unit_square(s, AVZ_V(-2, 0)), b = unit_square(s, AVZ_V(0, 0));
    avz_id c = unit_square(s, AVZ_V(2, 0)), w = row_of(s, 4, -2);
    avz_phase(s, "a");
    avz_wait(s, 0.3);
    avz_play(s, 0.5, avz_fade_in(a));
    avz_play_at(s, 0.25, 0.45, avz_move(b, AVZ_V(0, 1)));
    avz_play(s, AVZ_AUTO, avz_show(c)); /* instantaneous, between frames */
    avz_wait(s, 0.55);
    avz_play(s, 0.6, avz_create(w));
    avz_phase_len(s, "b", 1.0);
    avz_play(s, 0.35, avz_fill_to(a, AVZ_RED, 1.0)); /* then a padded stillness */
    avz_phase(s, "c");
    avz_wait(s, 0.2);
    avz_lagged(s, 0.9, 0.5, avz_fade_out(a), avz_color_to(c, AVZ_YELLOW), avz_grow(w, AVZ_LEFT));
    avz_wait(s, 0.3);
    avz_play(s, AVZ_AUTO, avz_show(b)); /* on a frame */
    avz_wait(s, 0.4);
    avz_scene_close_phase(s);
    assert_int_equal(avz_scene_status(s, NULL), 0);

    const char *names[] = {"a"};
    const double seconds[] = {2.9};
    const avz_pacing pacings[] = {{0},
                                  {.speed = 1.5, .names = names, .seconds = seconds, .count = 1}};
    const int rates[] = {10, 24, 30};
    size_t cautious = 0;
    for (size_t p = 0; p < 2; p++)
        for (size_t k = 0; k < 3; k++) {
            run r = run_new(s, &pacings[p]);
            avz_frame_state *prev = NULL;
            assert_int_equal(avz_frame_state_new(s, &prev), 0);
            size_t frames = (size_t)ceil(avz_timeline_duration(r.tl) * rates[k]) + 2, same = 0;
            avz_timeline_sample(s, r.tl, 0, prev);
            for (size_t i = 1; i <= frames; i++) {
                double t0 = (double)(i - 1) / rates[k], t1 = (double)i / rates[k];
                avz_timeline_sample(s, r.tl, t1, r.st);
                bool equal = avz_frame_state_equal(prev, r.st);
                bool still = avz_timeline_still(r.tl, t0, t1);
                bool starts_on_t1 = false;
                for (size_t q = 0; q < r.tl->anim_count; q++)
                    starts_on_t1 = starts_on_t1 || r.tl->anim_start[q] == t1;
                if (equal && !still && starts_on_t1)
                    cautious++;
                else if (equal != still)
                    fail_msg("pacing %zu at %d fps, frame %zu (%.4f s to %.4f s): still says %d, "
                             "the states are %s",
                             p, rates[k], i, t0, t1, still, equal ? "equal" : "different");
                same += equal;
                avz_frame_state_copy(prev, r.st);
            }
            /* Both kinds of frame occur, or the test proves nothing. */
            assert_true(same > 3 && same + 3 < frames);
            avz_frame_state_free(prev);
            run_free(&r);
        }
    printf("%zu frames equal to the one before while an animation began on them\n", cautious);
    assert_true(cautious <= 2);
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
        cmocka_unit_test(rate_functions_end_where_they_should),
        cmocka_unit_test(still_is_exact_over_every_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
