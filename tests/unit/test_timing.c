/* Timing: the scene-side API that places animations in time, checked on the timeline it
 * makes: errors that latch, lag on any animation, lagged lists, background plays, waits to a
 * time, the time in a phase, declared phase lengths, Clear, Transform with lag, and Grow. The
 * timeline itself (pacing, sampling, rates, still frames) is test_timeline.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "attnviz/plugin.h"
#include "attnviz/scene.h"
#include "attnviz/timeline.h"
#include "runs.h"
#include "scene_internal.h"
#include "support.h"
#include "timeline_internal.h"

static double clamp01(double v) {
    return fmin(fmax(v, 0.0), 1.0);
}

static void expect_error(avz_scene *s, const char *part) {
    avz_error err = {0};
    assert_int_equal(avz_scene_status(s, &err), -EINVAL);
    if (!strstr(err.msg, part))
        fail_msg("error \"%s\" does not say \"%s\"", err.msg, part);
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

/* Lag staggers any animation over its target's members: member k of n runs over
 * [k·r, k·r + 1] of a whole (n - 1)·r + 1 long. */
static void lag_staggers_any_animation_over_members(void **state) {
    (void)state;
    avz_scene *s = bare_scene();
    avz_id fade = row_of(s, 4, 2), fill = row_of(s, 4, 1), grow = row_of(s, 4, 0);
    avz_id move = row_of(s, 4, -1);
    /* A member may be a group: its leaves share its stretch of time. */
    avz_id nested =
        avz_group(s, unit_square(s, AVZ_V(-3, -2)),
                  avz_group(s, unit_square(s, AVZ_V(-1, -2)), unit_square(s, AVZ_V(1, -2))));
    avz_phase(s, "fade");
    /* r = 0.5, n = 4: a whole of 2.5 over 2 s; member k on [0.4k, 0.4k + 0.8] s. */
    avz_play(s, 2.0, avz_with_rate(avz_with_lag(avz_fade_in(fade), 0.5), AVZ_RATE_LINEAR));
    avz_phase(s, "smooth");
    avz_play(s, 2.0, avz_with_lag(avz_fade_out(fade), 0.5));
    avz_phase(s, "others");
    /* r = 1: one after another, a second each. */
    avz_play(s, 4.0,
             avz_with_rate(avz_with_lag(avz_fill_to(fill, AVZ_RED, 1.0), 1.0), AVZ_RATE_LINEAR),
             avz_with_rate(avz_with_lag(avz_grow(grow, AVZ_LEFT), 1.0), AVZ_RATE_LINEAR),
             avz_with_rate(avz_with_lag(avz_move(move, AVZ_V(0, -3)), 1.0), AVZ_RATE_LINEAR),
             avz_with_rate(avz_with_lag(avz_fade_in(nested), 1.0), AVZ_RATE_LINEAR));
    assert_int_equal(avz_scene_status(s, NULL), 0);
    /* The lag lies within the run time. */
    avz_assert_near(avz_scene_phase_nominal(s, 0), 2.0, 0);
    avz_assert_near(avz_scene_phase_nominal(s, 2), 4.0, 0);

    run r = run_new(s, NULL);
    const double times[] = {0, 0.1, 0.2, 0.4, 0.5, 0.7, 0.8, 1.0, 1.1, 1.3, 1.6, 1.9, 2.0};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        double t = times[i];
        for (size_t k = 0; k < 4; k++) {
            avz_id m = avz_group_member(s, fade, k);
            double want = clamp01((t - 0.4 * (double)k) / 0.8);
            const avz_node_state *n = at(s, &r, t, m);
            avz_assert_near(n->opacity, want, 1e-12);
            assert_true(n->visible == 1);
            /* With the default rate, each member's own progress goes through smooth. */
            n = at(s, &r, 2.0 + t, m);
            if (n->visible == 0)
                assert_true(want >= 1 - 1e-9); /* hidden once faded out, not before */
            else
                avz_assert_near(n->opacity, 1 - ref_smooth(want), 1e-9);
        }
    }
    for (size_t k = 0; k < 4; k++) /* all gone at the end */
        assert_true(at(s, &r, 4.0, avz_group_member(s, fade, k))->visible == 0);

    /* The others, at 1.5 s into their phase: member 0 done, member 1 half way, 2 and 3 not
     * started. */
    double t = 4.0 + 1.5;
    const double progress[] = {1.0, 0.5, 0.0, 0.0};
    avz_vec2 c = avz_center(s, move);
    for (size_t k = 0; k < 4; k++) {
        double p = progress[k];
        const avz_node_state *n = at(s, &r, t, avz_group_member(s, fill, k));
        avz_assert_near(n->style.fill_opacity, 0.5 + 0.5 * p, 1e-12);
        avz_assert_near(n->style.fill.r, AVZ_BLUE.r + (AVZ_RED.r - AVZ_BLUE.r) * p, 1e-12);
        n = at(s, &r, t, avz_group_member(s, grow, k));
        avz_assert_near(n->scale.x, p, 1e-12);
        assert_true(n->visible == (p > 0));
        n = at(s, &r, t, avz_group_member(s, move, k));
        avz_assert_near(n->offset.x, (0 - c.x) * p, 1e-12);
        avz_assert_near(n->offset.y, (-3 - c.y) * p, 1e-12);
    }
    /* Nested, two members: 2 s each. Member 1's two leaves go together, after member 0. */
    avz_id outer = avz_group_member(s, nested, 0), inner = avz_group_member(s, nested, 1);
    avz_assert_near(at(s, &r, 4.0 + 1.0, outer)->opacity, 0.5, 1e-12);
    avz_assert_near(at(s, &r, 4.0 + 1.0, avz_group_member(s, inner, 0))->opacity, 0, 1e-12);
    avz_assert_near(at(s, &r, 4.0 + 2.5, outer)->opacity, 1, 1e-12);
    avz_assert_near(at(s, &r, 4.0 + 2.5, avz_group_member(s, inner, 0))->opacity, 0.25, 1e-12);
    avz_assert_near(at(s, &r, 4.0 + 2.5, avz_group_member(s, inner, 1))->opacity, 0.25, 1e-12);
    avz_assert_near(at(s, &r, 4.0 + 3.5, avz_group_member(s, inner, 1))->opacity, 0.75, 1e-12);
    run_free(&r);

    /* A lag that is not a number is an error. */
    avz_scene *bad = bare_scene();
    avz_id sq = unit_square(bad, AVZ_ORIGIN);
    avz_phase(bad, "p");
    avz_play(bad, 1.0, avz_with_lag(avz_fade_in(sq), INFINITY));
    expect_error(bad, "lag ratio");
    avz_scene_free(bad);
    avz_scene_free(s);
}

static void expect_span(const avz_scene *s, size_t anim, double start, double end) {
    assert_true(anim < s->anim_count);
    avz_assert_near(s->anims[anim].start, start, 1e-12);
    avz_assert_near(s->anims[anim].end, end, 1e-12);
}

/* LaggedStart: animation k starts when k - 1 is lag_ratio of the way through; the cursor
 * moves to the end of the last to finish. */
static void lagged_list_starts_and_cursor(void **state) {
    (void)state;
    avz_scene *s = bare_scene();
    avz_id a = unit_square(s, AVZ_V(-2, 0)), b = unit_square(s, AVZ_V(0, 0));
    avz_id c = unit_square(s, AVZ_V(2, 0));
    avz_id w = row_of(s, 20, -2); /* 20 parts: Write takes 2 s */
    avz_phase(s, "lagged");
    avz_wait(s, 0.25);
    /* AVZ_AUTO: each its own length (1 s, 2 s, 1 s), each starting half way through the
     * one before. */
    avz_lagged(s, AVZ_AUTO, 0.5, avz_fade_in(a), avz_write(w), avz_fade_in(b));
    expect_span(s, 0, 0.25, 1.25);
    expect_span(s, 1, 0.75, 2.75);
    expect_span(s, 2, 1.75, 2.75);
    avz_assert_near(avz_phase_time(s), 2.75, 1e-12);
    /* A run time: one length for all, (n - 1)·r + 1 of them in the run time. */
    avz_lagged(s, 3.0, 0.5, avz_fade_out(a), avz_fade_out(b), avz_fade_out(c));
    expect_span(s, 3, 2.75, 4.25);
    expect_span(s, 4, 3.5, 5.0);
    expect_span(s, 5, 4.25, 5.75);
    avz_assert_near(avz_phase_time(s), 5.75, 1e-12);
    /* The cursor goes to the latest end, not the last one's: the long Write first. */
    avz_lagged(s, AVZ_AUTO, 0.1, avz_write(w), avz_fade_in(c));
    expect_span(s, 6, 5.75, 7.75);
    expect_span(s, 7, 5.95, 6.95);
    avz_assert_near(avz_phase_time(s), 7.75, 1e-12);
    /* Lag 1: one after another; lag 0: together, as avz_play. */
    avz_lagged(s, 2.0, 1.0, avz_fade_out(c), avz_fade_in(a));
    expect_span(s, 8, 7.75, 8.75);
    expect_span(s, 9, 8.75, 9.75);
    avz_lagged(s, 1.0, 0.0, avz_fade_out(a), avz_fade_in(b));
    expect_span(s, 10, 9.75, 10.75);
    expect_span(s, 11, 9.75, 10.75);
    avz_assert_near(avz_phase_time(s), 10.75, 1e-12);
    /* A list, emptied by the call. */
    avz_anims list = {0};
    avz_anims_add(s, &list, avz_fade_out(b));
    avz_anims_add(s, &list, avz_fade_in(c));
    avz_lagged_anims(s, 2.0, 1.0, &list);
    assert_int_equal(list.count, 0);
    assert_null(list.items);
    expect_span(s, 12, 10.75, 11.75);
    expect_span(s, 13, 11.75, 12.75);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    avz_assert_near(avz_scene_phase_nominal(s, 0), 12.75, 1e-12);

    /* On the clock, sampled: b fades in from 1.75 s; c at 11.75 s. */
    run r = run_new(s, NULL);
    avz_assert_near(at(s, &r, 1.75 + 0.5, b)->opacity, 0.5, 1e-12);
    avz_assert_near(at(s, &r, 1.7, b)->visible, 0, 0);
    avz_assert_near(at(s, &r, 11.75 + 0.25, c)->opacity, ref_smooth(0.25), 1e-12);
    run_free(&r);

    avz_scene *bad = bare_scene();
    avz_id sq = unit_square(bad, AVZ_ORIGIN);
    avz_phase(bad, "p");
    avz_lagged(bad, 1.0, -0.5, avz_fade_in(sq), avz_fade_out(sq));
    expect_error(bad, "lag ratio");
    avz_scene_free(bad);
    avz_scene_free(s);
}

/* In the background: offset from the cursor, which stays; the phase covers the end. */
static void play_at_offsets_from_the_cursor(void **state) {
    (void)state;
    avz_scene *s = bare_scene();
    avz_id a = unit_square(s, AVZ_V(-3, 0)), b = unit_square(s, AVZ_V(-1, 0));
    avz_id c = unit_square(s, AVZ_V(1, 0)), d = unit_square(s, AVZ_V(3, 0));
    avz_phase(s, "p");
    avz_play(s, 1.0, avz_fade_in(a));
    avz_play_at(s, 0.5, 2.0, avz_fade_in(b)); /* after the cursor */
    expect_span(s, 1, 1.5, 3.5);
    avz_assert_near(avz_phase_time(s), 1.0, 0);
    avz_assert_near(avz_scene_phase_nominal(s, 0), 3.5, 1e-12); /* extended to its end */
    avz_play_at(s, -0.75, AVZ_AUTO, avz_fade_in(c));            /* before it, its own length */
    expect_span(s, 2, 0.25, 1.25);
    avz_assert_near(avz_phase_time(s), 1.0, 0);
    /* The next play starts at the cursor, as if nothing had been played beside it. */
    avz_play(s, 1.0, avz_fade_out(a));
    expect_span(s, 3, 1.0, 2.0);
    avz_assert_near(avz_phase_time(s), 2.0, 0);
    avz_assert_near(avz_scene_phase_nominal(s, 0), 3.5, 1e-12);
    /* Back to the phase's very start is allowed. */
    avz_play_at(s, -2.0, 0.5, avz_fade_in(d));
    expect_span(s, 4, 0.0, 0.5);
    /* A second phase begins where the first's background play ends. */
    avz_phase(s, "q");
    avz_wait(s, 1.0);
    avz_play_at(s, -1.0, 1.0, avz_fade_out(d));
    expect_span(s, 5, 0.0, 1.0);
    assert_int_equal(avz_scene_status(s, NULL), 0);

    run r = run_new(s, NULL);
    avz_assert_near(avz_timeline_phase_start(r.tl, 1), 3.5, 1e-12);
    avz_assert_near(at(s, &r, 2.5, b)->opacity, 0.5, 1e-12); /* half way through 1.5..3.5 */
    avz_assert_near(at(s, &r, 0.75, c)->opacity, 0.5, 1e-12);
    avz_assert_near(at(s, &r, 0.25, d)->opacity, 0.5, 1e-12);
    avz_assert_near(at(s, &r, 3.5 + 0.5, d)->opacity, 0.5, 1e-12);
    run_free(&r);

    /* Before the phase began: an error, wherever the cursor is. */
    avz_scene *bad = bare_scene();
    avz_id sq = unit_square(bad, AVZ_ORIGIN);
    avz_phase(bad, "first");
    avz_wait(bad, 3.0);
    avz_phase(bad, "second");
    avz_wait(bad, 1.0);
    avz_play_at(bad, -1.5, 1.0, avz_fade_in(sq));
    expect_error(bad, "before phase \"second\" begins");
    assert_int_equal(bad->anim_count, 0);
    avz_scene_free(bad);
    avz_scene_free(s);
}

/* Waiting to a time in the phase; an error when the cursor is already past it. */
static void wait_until_moves_the_cursor_to_a_time(void **state) {
    (void)state;
    avz_scene *s = bare_scene();
    avz_id a = unit_square(s, AVZ_ORIGIN);
    avz_phase(s, "w");
    avz_play(s, 1.0, avz_fade_in(a));
    avz_wait_until(s, 2.5);
    avz_assert_near(avz_phase_time(s), 2.5, 0);
    avz_assert_near(avz_scene_phase_nominal(s, 0), 2.5, 0);
    avz_wait_until(s, 2.5); /* where it is: nothing to do */
    avz_assert_near(avz_phase_time(s), 2.5, 0);
    avz_play(s, 0.5, avz_fade_out(a));
    expect_span(s, 1, 2.5, 3.0);
    /* Measured from each phase's own start. */
    avz_phase(s, "x");
    avz_wait_until(s, 1.0);
    avz_assert_near(avz_phase_time(s), 1.0, 0);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    run r = run_new(s, NULL);
    avz_assert_near(avz_timeline_phase_start(r.tl, 1), 3.0, 0);
    avz_assert_near(avz_timeline_duration(r.tl), 4.0, 0);
    run_free(&r);

    avz_wait_until(s, 0.5);
    expect_error(s, "wait until 0.500 s into phase \"x\", already at 1.000 s");
    avz_scene_free(s);
}

/* Seconds since the current phase began, at its cursor. */
static void phase_time_is_the_cursor_in_its_phase(void **state) {
    (void)state;
    avz_scene *s = bare_scene();
    avz_id a = unit_square(s, AVZ_ORIGIN);
    avz_assert_near(avz_phase_time(s), 0, 0); /* no phase yet */
    avz_phase(s, "a");
    avz_assert_near(avz_phase_time(s), 0, 0);
    avz_play(s, 1.0, avz_fade_in(a));
    avz_assert_near(avz_phase_time(s), 1.0, 0);
    avz_wait(s, 0.5);
    avz_assert_near(avz_phase_time(s), 1.5, 0);
    avz_play_at(s, 0, 3.0, avz_fill_to(a, AVZ_RED, 1));
    avz_assert_near(avz_phase_time(s), 1.5, 0);
    avz_phase(s, "b");
    avz_assert_near(avz_phase_time(s), 0, 0);
    avz_play(s, 2.0, avz_fade_out(a));
    avz_assert_near(avz_phase_time(s), 2.0, 0);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    avz_scene_free(s);
}

/* A scene of three declared phases, built as the CLI builds. */
static int build_declared(avz_scene *s, const avz_params *p) {
    (void)p;
    avz_id a = unit_square(s, AVZ_ORIGIN);
    avz_phase_len(s, "intro", 3.0);
    avz_play(s, 1.0, avz_fade_in(a));
    avz_phase(s, "main");
    avz_play(s, 2.0, avz_fill_to(a, AVZ_RED, 1));
    avz_phase_len(s, "outro", 1.5);
    avz_play(s, 0.5, avz_fade_out(a)); /* padded when the build returns */
    return 0;
}

static int build_overrun(avz_scene *s, const avz_params *p) {
    (void)p;
    avz_id a = unit_square(s, AVZ_ORIGIN);
    avz_phase(s, "first");
    avz_play(s, 1.0, avz_fade_in(a));
    avz_phase_len(s, "last", 1.0);
    avz_play_at(s, 0.5, 1.0, avz_fade_out(a)); /* a background play past the end counts */
    return 0;
}

static void phase_len_pads_and_rejects_overruns(void **state) {
    (void)state;
    static const avz_scene_def declared = {"declared", "three phases", NULL, 0, build_declared};
    static const avz_scene_def overrun = {"overrun", "a phase too long", NULL, 0, build_overrun};
    avz_scene *s = NULL;
    avz_error err = {0};
    assert_int_equal(avz_scene_build(&declared, NULL, NULL, &s, &err), 0);
    assert_int_equal(avz_scene_phase_count(s), 3);
    avz_assert_near(avz_scene_phase_nominal(s, 0), 3.0, 0); /* padded */
    avz_assert_near(avz_scene_phase_nominal(s, 1), 2.0, 0); /* as played */
    avz_assert_near(avz_scene_phase_nominal(s, 2), 1.5, 0); /* padded at the end */
    run r = run_new(s, NULL);
    avz_assert_near(avz_timeline_phase_start(r.tl, 1), 3.0, 0);
    avz_assert_near(avz_timeline_phase_start(r.tl, 2), 5.0, 0);
    avz_assert_near(avz_timeline_duration(r.tl), 6.5, 0);
    avz_assert_near(at(s, &r, 0.5, 0)->opacity, 0.5, 1e-12); /* the fade keeps its time */
    avz_assert_near(at(s, &r, 2.0, 0)->opacity, 1.0, 0);
    run_free(&r);
    avz_scene_free(s);

    s = NULL;
    assert_int_equal(avz_scene_build(&overrun, NULL, NULL, &s, &err), -EINVAL);
    assert_null(s);
    assert_non_null(strstr(err.msg, "overrun: "));
    assert_non_null(
        strstr(err.msg, "phase \"last\" plays 1.500 s, longer than its declared 1.000 s"));

    /* The next phase closes one too: an overrun fails there. */
    s = bare_scene();
    avz_id a = unit_square(s, AVZ_ORIGIN);
    avz_phase_len(s, "short", 1.0);
    avz_play(s, 2.0, avz_fade_in(a));
    assert_int_equal(avz_scene_status(s, NULL), 0);
    avz_phase(s, "next");
    expect_error(s, "phase \"short\" plays 2.000 s, longer than its declared 1.000 s");
    assert_int_equal(avz_scene_phase_count(s), 1);
    avz_scene_free(s);

    /* Exactly its length is fine; closing pads the cursor too. */
    s = bare_scene();
    a = unit_square(s, AVZ_ORIGIN);
    avz_phase_len(s, "exact", 1.0);
    avz_play(s, 1.0, avz_fade_in(a));
    avz_phase_len(s, "padded", 2.0);
    avz_play(s, 0.5, avz_fade_out(a));
    avz_scene_close_phase(s);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    avz_assert_near(avz_scene_phase_nominal(s, 0), 1.0, 0);
    avz_assert_near(avz_scene_phase_nominal(s, 1), 2.0, 0);
    avz_assert_near(avz_phase_time(s), 2.0, 0);
    avz_scene_free(s);

    /* A length must be a positive number. */
    s = bare_scene();
    avz_phase_len(s, "none", 0.0);
    expect_error(s, "phase \"none\" declared 0 s long");
    avz_scene_free(s);
    s = bare_scene();
    avz_phase_len(s, "nan", NAN);
    expect_error(s, "declared");
    avz_scene_free(s);
}

/* Clear fades out what is on screen when it starts, and nothing that appears with or after
 * it. */
static void clear_fades_what_shows_at_its_start(void **state) {
    (void)state;
    avz_scene *s = bare_scene();
    avz_id shown = unit_square(s, AVZ_V(-3, 0)), gone = unit_square(s, AVZ_V(-2, 0));
    avz_id fading = unit_square(s, AVZ_V(-1, 0)), with = unit_square(s, AVZ_V(0, 0));
    avz_id during = unit_square(s, AVZ_V(1, 0)), after = unit_square(s, AVZ_V(2, 0));
    avz_phase(s, "c");
    avz_play(s, AVZ_AUTO, avz_show(shown));
    avz_play(s, 0.5, avz_fade_in(gone));
    avz_play(s, 0.5, avz_fade_out(gone)); /* gone at 1 s */
    avz_wait(s, 1.0);
    avz_play_at(s, -0.5, 1.0, avz_fade_in(fading));   /* 1.5 .. 2.5: half in at the start */
    avz_play(s, 1.0, avz_clear(), avz_fade_in(with)); /* 2 .. 3 */
    avz_play_at(s, -0.5, 1.0, avz_fade_in(during));   /* 2.5 .. 3.5 */
    avz_play(s, 1.0, avz_fade_in(after));             /* 3 .. 4 */
    assert_int_equal(avz_scene_status(s, NULL), 0);

    run r = run_new(s, NULL);
    /* Just before: what the clear will take. */
    avz_assert_near(at(s, &r, 1.99, shown)->opacity, 1, 0);
    assert_true(at(s, &r, 1.99, gone)->visible == 0);
    /* Half way: the shown ones at half their opacity, the others untouched. */
    double half = 1 - ref_smooth(0.5);
    avz_assert_near(at(s, &r, 2.5, shown)->opacity, half, 1e-12);
    avz_assert_near(at(s, &r, 2.5, fading)->opacity, half, 1e-12);
    assert_true(at(s, &r, 2.5, gone)->visible == 0);
    avz_assert_near(at(s, &r, 2.5, with)->opacity, ref_smooth(0.5), 1e-12);
    avz_assert_near(at(s, &r, 2.75, during)->opacity, ref_smooth(0.25), 1e-12);
    avz_assert_near(at(s, &r, 2.25, shown)->opacity, 1 - ref_smooth(0.25), 1e-12);
    avz_assert_near(at(s, &r, 2.25, fading)->opacity, ref_smooth(0.75) * (1 - ref_smooth(0.25)),
                    1e-12);
    /* Over: the shown ones hidden; the rest show as their own animations say. */
    for (double t = 3.0; t <= 4.5; t += 0.5) {
        assert_true(at(s, &r, t, shown)->visible == 0);
        assert_true(at(s, &r, t, fading)->visible == 0);
        assert_true(at(s, &r, t, gone)->visible == 0);
        assert_true(at(s, &r, t, with)->visible == 1);
        avz_assert_near(at(s, &r, t, with)->opacity, 1, 0);
        assert_true(at(s, &r, t, during)->visible == 1);
        avz_assert_near(at(s, &r, t, during)->opacity, t >= 3.5 ? 1 : ref_smooth(0.5), 1e-12);
        assert_true(at(s, &r, t, after)->visible == 1);
        avz_assert_near(at(s, &r, t, after)->opacity, t >= 4 ? 1 : ref_smooth(t - 3), 1e-12);
    }
    run_free(&r);
    avz_scene_free(s);
}

/* A Clear and what its own play brings in, in either order: a fade-in, a growth and a
 * Transform's destination; `on` was shown by an earlier play at the same instant. */
static avz_scene *clear_with_its_play(bool clear_last, avz_id ids[5]) {
    avz_scene *s = bare_scene();
    avz_id on = unit_square(s, AVZ_V(-3, 0)), in = unit_square(s, AVZ_V(-1, 0));
    avz_id grown = unit_square(s, AVZ_V(1, 0)), old = unit_square(s, AVZ_V(3, 0));
    avz_id dest = unit_square(s, AVZ_V(3, 0));
    avz_phase(s, "c");
    avz_play(s, AVZ_AUTO, avz_show(on), avz_show(old));
    avz_anim brought[] = {avz_fade_in(in), avz_grow(grown, AVZ_LEFT), avz_transform(old, dest)};
    avz_anims list = {0};
    if (!clear_last)
        avz_anims_add(s, &list, avz_clear());
    for (size_t i = 0; i < sizeof brought / sizeof brought[0]; i++)
        avz_anims_add(s, &list, brought[i]);
    if (clear_last)
        avz_anims_add(s, &list, avz_clear());
    avz_play_anims(s, 1.0, &list);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    const avz_id all[5] = {on, in, grown, old, dest};
    memcpy(ids, all, sizeof all);
    return s;
}

/* What a Clear takes does not depend on where it stands in its play's list: a fade-in at its
 * first instant is visible at opacity 0, and was taken for on screen when listed first. */
static void clear_ignores_the_order_of_its_play(void **state) {
    (void)state;
    avz_id first[5], last[5];
    avz_scene *a = clear_with_its_play(false, first), *b = clear_with_its_play(true, last);
    assert_memory_equal(first, last, sizeof first);
    avz_id on = first[0], in = first[1], grown = first[2], old = first[3], dest = first[4];
    run ra = run_new(a, NULL), rb = run_new(b, NULL);
    for (double t = 0; t <= 1.5; t += 0.125) {
        avz_timeline_sample(a, ra.tl, t, ra.st);
        avz_timeline_sample(b, rb.tl, t, rb.st);
        assert_true(avz_frame_state_equal(ra.st, rb.st));
        const avz_node_state *n = rb.st->nodes;
        double p = ref_smooth(fmin(t, 1.0));
        /* Brought in by the play: as their own animations say. */
        assert_true(n[in].visible == 1);
        avz_assert_near(n[in].opacity, p, 1e-12);
        assert_true(n[grown].visible == (p > 0));
        avz_assert_near(n[grown].scale.x, p, 1e-12);
        assert_true(n[dest].visible == 1);
        avz_assert_near(n[dest].opacity, p, 1e-12);
        /* On screen before: faded out (the Transform's source by both). */
        if (t < 1.0) {
            avz_assert_near(n[on].opacity, 1 - p, 1e-12);
            avz_assert_near(n[old].opacity, (1 - p) * (1 - p), 1e-12);
        } else {
            assert_true(n[on].visible == 0);
            assert_true(n[old].visible == 0);
        }
    }
    run_free(&ra);
    run_free(&rb);
    avz_scene_free(a);
    avz_scene_free(b);
}

/* Transform with lag: member k of the destination replaces member k of the source on its
 * own stretch of the whole, as the members of any other animation do. */
static void transform_lags_member_by_member(void **state) {
    (void)state;
    avz_scene *s = bare_scene();
    avz_id a = row_of(s, 2, 1), b = row_of(s, 2, -1);
    /* Sides of different sizes: the larger sets the stretches, here 3 of 2 s at lag 0.5. */
    avz_id leaf = unit_square(s, AVZ_V(0, 2.5)), three = row_of(s, 3, -2.5);
    avz_phase(s, "t");
    avz_play(s, AVZ_AUTO, avz_show(a), avz_show(leaf));
    /* r = 1, n = 2: a whole of 2 over 2 s; member k on [k, k + 1] s. */
    avz_play(s, 2.0, avz_with_rate(avz_with_lag(avz_transform(a, b), 1.0), AVZ_RATE_LINEAR),
             avz_with_rate(avz_with_lag(avz_transform(leaf, three), 0.5), AVZ_RATE_LINEAR));
    assert_int_equal(avz_scene_status(s, NULL), 0);

    run r = run_new(s, NULL);
    for (double t = 0; t <= 2.5; t += 0.25) {
        for (size_t k = 0; k < 2; k++) {
            double want = clamp01(t - (double)k);
            const avz_node_state *from = at(s, &r, t, avz_group_member(s, a, k));
            if (want >= 1) {
                assert_true(from->visible == 0); /* hidden once replaced, not before */
            } else {
                assert_true(from->visible == 1);
                avz_assert_near(from->opacity, 1 - want, 1e-12);
            }
            const avz_node_state *to = at(s, &r, t, avz_group_member(s, b, k));
            assert_true(to->visible == 1);
            avz_assert_near(to->opacity, want, 1e-12);
        }
        /* r = 0.5, n = 3: a whole of 2 over 2 s; member k on [0.5k, 0.5k + 1] s. */
        double gone = clamp01(t);
        if (gone < 1)
            avz_assert_near(at(s, &r, t, leaf)->opacity, 1 - gone, 1e-12);
        else
            assert_true(at(s, &r, t, leaf)->visible == 0);
        for (size_t k = 0; k < 3; k++)
            avz_assert_near(at(s, &r, t, avz_group_member(s, three, k))->opacity,
                            clamp01(t - 0.5 * (double)k), 1e-12);
    }
    run_free(&r);
    avz_scene_free(s);
}

/* Grow scales along one axis only, about the edge it grows from. */
static void grow_scales_along_one_axis(void **state) {
    (void)state;
    avz_scene *s = bare_scene();
    avz_style style = avz_box_style(AVZ_GREEN, 1, 0);
    avz_id left = avz_rect(s, 2, 1, style), right = avz_rect(s, 2, 1, style);
    avz_id down = avz_rect(s, 1, 2, style);
    avz_move_to(s, left, AVZ_V(2, 0.5));   /* x 1..3 */
    avz_move_to(s, right, AVZ_V(-2, 0.5)); /* x -3..-1 */
    avz_move_to(s, down, AVZ_V(0, 2));     /* y 1..3 */
    /* Bars of a chart grow from their common base: the group's edge. */
    avz_id bars = avz_group(s, avz_rect(s, 0.4, 1, style), avz_rect(s, 0.4, 3, style));
    avz_move_to(s, avz_group_member(s, bars, 0), AVZ_V(-1, -2.5)); /* y -3..-2 */
    avz_move_to(s, avz_group_member(s, bars, 1), AVZ_V(1, -1.5));  /* y -3..0 */
    avz_phase(s, "grow");
    avz_play(s, 1.0, avz_grow(left, AVZ_LEFT), avz_grow(right, AVZ_RIGHT), avz_grow(down, AVZ_DOWN),
             avz_grow(bars, AVZ_DOWN));
    assert_int_equal(avz_scene_status(s, NULL), 0);
    run r = run_new(s, NULL);

    /* Nothing at first. */
    assert_true(at(s, &r, 0, left)->visible == 0);
    assert_true(at(s, &r, 0, down)->visible == 0);
    /* Half way (smooth(0.5) = 0.5): half as long across the growth, untouched along it. */
    const avz_node_state *n = at(s, &r, 0.5, left);
    assert_true(n->visible == 1);
    avz_assert_near(n->scale.x, 0.5, 1e-12);
    avz_assert_near(n->scale.y, 1, 0);
    avz_assert_near(n->offset.y, 0, 0);
    avz_assert_near(0.5 * 1 + n->offset.x, 1, 1e-12); /* the left edge stays */
    n = at(s, &r, 0.5, right);
    avz_assert_near(n->scale.x, 0.5, 1e-12);
    avz_assert_near(n->scale.y, 1, 0);
    avz_assert_near(0.5 * -1 + n->offset.x, -1, 1e-12); /* the right edge stays */
    n = at(s, &r, 0.5, down);
    avz_assert_near(n->scale.x, 1, 0);
    avz_assert_near(n->offset.x, 0, 0);
    avz_assert_near(n->scale.y, 0.5, 1e-12);
    avz_assert_near(0.5 * 1 + n->offset.y, 1, 1e-12); /* the bottom stays */
    for (size_t i = 0; i < 2; i++) {
        n = at(s, &r, 0.25, avz_group_member(s, bars, i));
        avz_assert_near(n->scale.x, 1, 0);
        avz_assert_near(n->scale.y, ref_smooth(0.25), 1e-12);
        avz_assert_near(n->scale.y * -3 + n->offset.y, -3, 1e-12); /* both from the base */
    }
    /* Whole at the end. */
    n = at(s, &r, 1.0, left);
    assert_true(n->visible == 1);
    avz_assert_near(n->scale.x, 1, 0);
    avz_assert_near(n->offset.x, 0, 1e-12);
    run_free(&r);
    avz_scene_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scene_errors_latch),
        cmocka_unit_test(lag_staggers_any_animation_over_members),
        cmocka_unit_test(lagged_list_starts_and_cursor),
        cmocka_unit_test(play_at_offsets_from_the_cursor),
        cmocka_unit_test(wait_until_moves_the_cursor_to_a_time),
        cmocka_unit_test(phase_time_is_the_cursor_in_its_phase),
        cmocka_unit_test(phase_len_pads_and_rejects_overruns),
        cmocka_unit_test(clear_fades_what_shows_at_its_start),
        cmocka_unit_test(clear_ignores_the_order_of_its_play),
        cmocka_unit_test(transform_lags_member_by_member),
        cmocka_unit_test(grow_scales_along_one_axis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
