/* What avz_scene_build refuses of a build, whatever the scene computed or returned: codes
 * that are the scene's failure (exit 3 in the CLI) rather than I/O or a signal, phase names
 * that could not be typed or written, times and coordinates that are not finite or out of
 * bounds, groups nested or shared without bound, and a stop asked for while it builds. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "attnviz/cancel.h"
#include "attnviz/grid.h"
#include "attnviz/plugin.h"
#include "support.h"

/* Which misdeed the build below commits. */
static int misdeed;

enum {
    FAIL_EIO,
    FAIL_POSITIVE,
    FAIL_ZERO,
    RETURN_EINTR,
    RETURN_E2BIG,
    WAIT_DBL_MAX,
    PLAY_AT_DBL_MAX,
    LEN_TOO_LONG,
    MOVE_TO_INFINITY,
    SHIFT_FAR,
    STROKE_NAN,
    FADE_SHIFT_NAN,
    NESTED_DEEP,
    SHARED_TOWER,
    NODES_WITHOUT_END,
    PHASES_WITHOUT_END,
    RATE_UNKNOWN,
    HEATMAP_HUGE,
    HEATMAP_NAN,
    ARC_OF_TURNS,
    PATH_OF_SEGMENTS,
};

static int misbehave(avz_scene *s, const avz_params *p) {
    (void)p;
    avz_phase(s, "only");
    avz_id dot = avz_circle(s, 0.1, avz_stroke_style(AVZ_WHITE, 2));
    switch (misdeed) {
    case FAIL_EIO:
        avz_scene_fail(s, -EIO, "cannot read my data");
        break;
    case FAIL_POSITIVE:
        avz_scene_fail(s, 5, "a positive code");
        break;
    case FAIL_ZERO:
        avz_scene_fail(s, 0, "a zero code");
        break;
    case RETURN_EINTR:
        avz_wait(s, 1);
        return -EINTR;
    case RETURN_E2BIG:
        avz_wait(s, 1);
        return -E2BIG;
    case WAIT_DBL_MAX:
        avz_wait(s, DBL_MAX);
        avz_wait(s, DBL_MAX);
        break;
    case PLAY_AT_DBL_MAX:
        avz_play_at(s, DBL_MAX, 1.0, avz_fade_in(dot));
        break;
    case LEN_TOO_LONG:
        avz_phase_len(s, "long", 1e9);
        break;
    case MOVE_TO_INFINITY:
        avz_play(s, 1.0, avz_move(dot, AVZ_V(INFINITY, 0)));
        break;
    case SHIFT_FAR:
        avz_shift(s, dot, AVZ_V(1e7, 0));
        avz_play(s, 1.0, avz_fade_in(dot));
        break;
    case STROKE_NAN:
        avz_set_stroke(s, dot, AVZ_WHITE, NAN);
        avz_play(s, 1.0, avz_fade_in(dot));
        break;
    case FADE_SHIFT_NAN:
        avz_play(s, 1.0, avz_fade_in_ex(dot, AVZ_V(0, NAN), 1.0));
        break;
    case NESTED_DEEP: {
        /* Built top-down, so that only a walk from the top sees the depth. */
        avz_id top = avz_group_of(s, NULL, 0), g = top;
        for (int i = 0; i < 300; i++) {
            avz_id inner = avz_group_of(s, NULL, 0);
            avz_group_add(s, g, inner);
            g = inner;
        }
        avz_group_add(s, g, dot);
        avz_play(s, 1.0, avz_fade_in(top));
        break;
    }
    case SHARED_TOWER: {
        /* Each level holds the one below twice: 2^40 leaves by counting, 41 nodes. */
        avz_id g = dot;
        for (int i = 0; i < 40; i++)
            g = avz_group_of(s, (avz_id[]){g, g}, 2);
        avz_play(s, 1.0, avz_fade_in(g));
        break;
    }
    case NODES_WITHOUT_END:
        while (!avz_scene_status(s, NULL))
            avz_square(s, 0.1, avz_stroke_style(AVZ_WHITE, 1));
        break;
    case PHASES_WITHOUT_END:
        for (int i = 0; !avz_scene_status(s, NULL); i++) {
            char name[32];
            snprintf(name, sizeof name, "p%d", i);
            avz_phase(s, name);
            avz_wait(s, 0.01);
        }
        break;
    case RATE_UNKNOWN:
        avz_play(s, 1.0, avz_with_rate(avz_fade_in(dot), (avz_rate)77));
        break;
    case HEATMAP_HUGE: {
        static const double one = 0.5;
        avz_heatmap_spec spec = {.grid = avz_grid_at(AVZ_ORIGIN, 1, 1 << 30, 0.1, 0.1),
                                 .values = &one,
                                 .stride = 1 << 30,
                                 .lo = 0,
                                 .hi = 1};
        avz_heatmap_new(s, &spec);
        break;
    }
    case ARC_OF_TURNS:
        avz_arc(s, 1, 0, 1e5, AVZ_WHITE, 2);
        break;
    case PATH_OF_SEGMENTS: {
        static avz_vec2 zigzag[20000];
        for (int i = 0; i < 20000; i++)
            zigzag[i] = AVZ_V(i % 2, i * 1e-4);
        avz_polyline(s, zigzag, 20000, AVZ_WHITE, 2);
        break;
    }
    case HEATMAP_NAN: {
        const double values[] = {0.1, NAN};
        avz_heatmap_spec spec = {.grid = avz_grid_at(AVZ_ORIGIN, 1, 2, 0.5, 0.5),
                                 .values = values,
                                 .stride = 2,
                                 .lo = 0,
                                 .hi = 1};
        avz_heatmap_new(s, &spec);
        break;
    }
    }
    avz_wait(s, 1);
    return avz_scene_status(s, NULL);
}

static const avz_scene_def scene = {"misbehaving", "", NULL, 0, misbehave};

/* Builds with the misdeed: the code, and the message in msg. */
static int build_with(int which, char *msg, size_t size) {
    misdeed = which;
    avz_scene *s = NULL;
    avz_error err = {0};
    int rc = avz_test_build(&scene, NULL, NULL, 0, &s, &err);
    assert_true(rc != 0 || s != NULL);
    if (rc)
        assert_null(s);
    avz_scene_free(s);
    snprintf(msg, size, "%s", err.msg);
    return rc;
}

static void any_code_the_scene_chooses_is_its_own_failure(void **state) {
    (void)state;
    char msg[512];
    /* a file that cannot be read stays an I/O error */
    assert_int_equal(build_with(FAIL_EIO, msg, sizeof msg), -EIO);
    assert_string_equal(msg, "misbehaving: cannot read my data");
    assert_int_equal(build_with(FAIL_POSITIVE, msg, sizeof msg), -EINVAL);
    assert_string_equal(msg, "misbehaving: a positive code");
    assert_int_equal(build_with(FAIL_ZERO, msg, sizeof msg), -EINVAL);
    assert_string_equal(msg, "misbehaving: a zero code");
    /* -EINTR with no stop asked for is not a signal's doing */
    assert_int_equal(build_with(RETURN_EINTR, msg, sizeof msg), -EINVAL);
    assert_non_null(strstr(msg, "its build function failed (-4: "));
    assert_int_equal(build_with(RETURN_E2BIG, msg, sizeof msg), -EINVAL);
}

static void times_and_coordinates_must_be_finite_and_bounded(void **state) {
    (void)state;
    char msg[512];
    static const struct {
        int misdeed;
        const char *says;
    } cases[] = {
        {WAIT_DBL_MAX, "phase \"only\" lasts inf s; at most 3600"},
        {PLAY_AT_DBL_MAX, "phase \"only\" lasts 1.798e+308 s; at most 3600"},
        {LEN_TOO_LONG, "phase \"long\" declared 1e+09 s long (above 0, at most 3600)"},
        {MOVE_TO_INFINITY, "animation 1 of phase \"only\" has a shift, destination"},
        {SHIFT_FAR, "node 0 lies beyond 1000 scene units from the centre"},
        {STROKE_NAN, "node 0 has a colour or opacity that is not a number, or a stroke width"},
        {FADE_SHIFT_NAN, "animation 1 of phase \"only\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(build_with(cases[i].misdeed, msg, sizeof msg), -EINVAL);
        if (!strstr(msg, cases[i].says))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, msg, cases[i].says);
    }
}

static void a_scene_holds_what_a_scene_needs_and_no_more(void **state) {
    (void)state;
    char msg[512];
    assert_int_equal(build_with(NODES_WITHOUT_END, msg, sizeof msg), -EINVAL);
    assert_string_equal(msg, "misbehaving: a scene holds at most 50000 nodes");
    assert_int_equal(build_with(PHASES_WITHOUT_END, msg, sizeof msg), -EINVAL);
    assert_string_equal(msg, "misbehaving: a scene has at most 1000 phases");
    assert_int_equal(build_with(RATE_UNKNOWN, msg, sizeof msg), -EINVAL);
    assert_string_equal(msg, "misbehaving: an animation of unknown rate 77");
    assert_int_equal(build_with(HEATMAP_HUGE, msg, sizeof msg), -EINVAL);
    assert_non_null(strstr(msg, "a grid of 1 x 1073741824 cells; a scene holds at most 50000"));
    assert_int_equal(build_with(ARC_OF_TURNS, msg, sizeof msg), -EINVAL);
    assert_non_null(strstr(msg, "(at most one turn, 2 pi)"));
    assert_int_equal(build_with(PATH_OF_SEGMENTS, msg, sizeof msg), -EINVAL);
    assert_non_null(strstr(msg, "has more than 10000 segments"));
    assert_int_equal(build_with(HEATMAP_NAN, msg, sizeof msg), -EINVAL);
    assert_non_null(strstr(msg, "the value at row 0, column 1 is nan"));
}

static void groups_nest_and_share_within_bounds(void **state) {
    (void)state;
    char msg[512];
    assert_int_equal(build_with(NESTED_DEEP, msg, sizeof msg), -EINVAL);
    assert_string_equal(msg, "misbehaving: groups nest more than 256 deep");
    assert_int_equal(build_with(SHARED_TOWER, msg, sizeof msg), -EINVAL);
    assert_non_null(strstr(msg, "a group reaches more than 16777216 nodes"));
}

/* Phase names are what --phase, --at and --only take and what tables, cue files and JSON
 * print: a word of lower-case letters, digits, '-' and '_', not "end". */
static const char *phase_name;

static int build_named(avz_scene *s, const avz_params *p) {
    (void)p;
    avz_phase(s, phase_name);
    avz_wait(s, 1);
    return avz_scene_status(s, NULL);
}

static void phase_names_are_words_to_type(void **state) {
    (void)state;
    static const avz_scene_def named = {"named", "", NULL, 0, build_named};
    static const char *const bad[] = {
        "two\nlines", "tab\there", "a=b", "a+b",      "with space", "2",
        "end",        "Upper",     "",    "\xff\xfe", "-dash",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        phase_name = bad[i];
        avz_scene *s = NULL;
        avz_error err = {0};
        assert_int_equal(avz_test_build(&named, NULL, NULL, 0, &s, &err), -EINVAL);
        assert_null(s);
        if (!strstr(err.msg, "is not a lower-case letter then lower-case letters, digits"))
            fail_msg("phase name %zu: %s", i, err.msg);
    }
    char longest[AVZ_MAX_NAME + 2];
    memset(longest, 'a', sizeof longest);
    longest[AVZ_MAX_NAME] = '\0';
    static const char *good[] = {"a", "gqa-ratio", "repeat_kv2", NULL};
    good[3] = longest;
    for (size_t i = 0; i < 4; i++) {
        phase_name = good[i];
        avz_scene *s = NULL;
        avz_error err = {0};
        assert_int_equal(avz_test_build(&named, NULL, NULL, 0, &s, &err), 0);
        avz_scene_free(s);
    }
    longest[AVZ_MAX_NAME] = 'a';
    longest[AVZ_MAX_NAME + 1] = '\0';
    phase_name = longest;
    avz_scene *s = NULL;
    avz_error err = {0};
    assert_int_equal(avz_test_build(&named, NULL, NULL, 0, &s, &err), -EINVAL);
}

/* A build stuck in a loop of scene calls stops once a stop is asked for. */
static volatile sig_atomic_t stop_asked;

static int build_forever(avz_scene *s, const avz_params *p) {
    (void)p;
    avz_phase(s, "forever");
    for (long i = 0; avz_scene_status(s, NULL) == 0; i++) {
        if (i == 1000)
            stop_asked = 1;
        avz_wait(s, 0);
    }
    return avz_scene_status(s, NULL);
}

static void a_stop_ends_a_build_in_a_loop(void **state) {
    (void)state;
    static const avz_scene_def forever = {"forever", "", NULL, 0, build_forever};
    avz_cancel_on(&stop_asked);
    avz_scene *s = NULL;
    avz_error err = {0};
    int rc = avz_test_build(&forever, NULL, NULL, 0, &s, &err);
    avz_cancel_on(NULL);
    assert_int_equal(rc, -EINTR);
    assert_null(s);
    assert_string_equal(err.msg, "forever: interrupted");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(any_code_the_scene_chooses_is_its_own_failure),
        cmocka_unit_test(times_and_coordinates_must_be_finite_and_bounded),
        cmocka_unit_test(groups_nest_and_share_within_bounds),
        cmocka_unit_test(a_scene_holds_what_a_scene_needs_and_no_more),
        cmocka_unit_test(phase_names_are_words_to_type),
        cmocka_unit_test(a_stop_ends_a_build_in_a_loop),
    };
    return cmocka_run_group_tests(tests, avz_test_open_fonts, avz_test_close_fonts);
}
