/* Segments: where the pieces of a render meet (avz_segment_bounds). A boundary moves to the
 * nearest phase start within its window, else to the nearest frame equal to its predecessor,
 * else stays; ties go earlier; pieces always tile the range, none empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>

#include "attnviz/segment.h"
#include "runs.h"

#define FPS 10

/* Phases start at 0, 3.0, 3.6 and 7.0 s (frames 0, 30, 36, 70); the picture changes on every
 * frame but from 5.0 to 7.0 s, where it holds still (frames 51..70 repeat their predecessor). */
static avz_scene *paced_scene(void) {
    avz_scene *s = bare_scene();
    avz_id box = unit_square(s, AVZ_V(0, 0));
    avz_phase(s, "a");
    avz_play(s, 3.0, avz_fill_to(box, AVZ_RED, 1.0));
    avz_phase(s, "b");
    avz_play(s, 0.6, avz_fill_to(box, AVZ_BLUE, 1.0));
    avz_phase(s, "c");
    avz_play(s, 1.4, avz_fill_to(box, AVZ_RED, 1.0));
    avz_wait(s, 2.0);
    avz_phase(s, "d");
    avz_play(s, 3.0, avz_fill_to(box, AVZ_BLUE, 1.0));
    assert_int_equal(avz_scene_status(s, NULL), 0);
    return s;
}

typedef struct fixture {
    avz_scene *scene;
    run run;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    f->scene = paced_scene();
    f->run = run_new(f->scene, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    run_free(&f->run);
    avz_scene_free(f->scene);
    free(f);
    return 0;
}

static size_t start_of(const fixture *f, size_t first, size_t count, unsigned k, unsigned n) {
    size_t begin = 0, end = 0;
    avz_error err = {0};
    assert_int_equal(avz_segment_bounds(f->run.tl, FPS, first, count, k, n, &begin, &end, &err), 0);
    return begin;
}

static void boundaries_move_to_phase_starts(void **state) {
    const fixture *f = *state;
    /* Nominal 33 and 66, windows of 5 frames: 30 and 36 are both 3 away (the earlier wins),
     * 70 is 4 away (a phase start wins over the still frames nearer to 66). */
    assert_int_equal(start_of(f, 0, 100, 2, 3), 30);
    assert_int_equal(start_of(f, 0, 100, 3, 3), 70);
}

static void then_to_a_frame_that_repeats(void **state) {
    const fixture *f = *state;
    /* Nominal 50: no phase start within 5 frames; frame 51 is the first still one. */
    assert_int_equal(start_of(f, 0, 100, 2, 2), 51);
}

static void else_they_stay(void **state) {
    const fixture *f = *state;
    /* Nominal 20 and 80 (windows of 5): neither a phase start nor a still frame near. */
    assert_int_equal(start_of(f, 0, 100, 2, 5), 20);
    assert_int_equal(start_of(f, 0, 100, 5, 5), 80);
    /* Nominal 60 is itself a still frame. */
    assert_int_equal(start_of(f, 0, 100, 4, 5), 60);
}

static void pieces_tile_the_range(void **state) {
    const fixture *f = *state;
    const size_t ranges[][2] = {{0, 100}, {30, 70}, {36, 3}, {0, 1}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
        for (unsigned n = 1; n <= ranges[r][1]; n++) {
            size_t next = ranges[r][0];
            for (unsigned k = 1; k <= n; k++) {
                size_t begin, end;
                assert_int_equal(avz_segment_bounds(f->run.tl, FPS, ranges[r][0], ranges[r][1], k,
                                                    n, &begin, &end, NULL),
                                 0);
                assert_int_equal(begin, next);
                assert_true(end > begin);
                next = end;
            }
            assert_int_equal(next, ranges[r][0] + ranges[r][1]);
        }
}

static void impossible_segments_are_refused(void **state) {
    const fixture *f = *state;
    size_t begin, end;
    avz_error err = {0};
    assert_int_equal(avz_segment_bounds(f->run.tl, FPS, 0, 100, 1, 0, &begin, &end, &err), -EINVAL);
    assert_int_equal(avz_segment_bounds(f->run.tl, FPS, 0, 100, 0, 2, &begin, &end, &err), -EINVAL);
    assert_int_equal(avz_segment_bounds(f->run.tl, FPS, 0, 100, 3, 2, &begin, &end, &err), -EINVAL);
    assert_int_equal(
        avz_segment_bounds(f->run.tl, FPS, 0, 100, 1, AVZ_SEGMENTS_MAX + 1, &begin, &end, &err),
        -EINVAL);
    avz_error few = {0};
    assert_int_equal(avz_segment_bounds(f->run.tl, FPS, 0, 3, 1, 4, &begin, &end, &few), -EINVAL);
    assert_string_equal(few.msg, "4 segments need at least 4 frames; the render has 3");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boundaries_move_to_phase_starts),
        cmocka_unit_test(then_to_a_frame_that_repeats),
        cmocka_unit_test(else_they_stay),
        cmocka_unit_test(pieces_tile_the_range),
        cmocka_unit_test(impossible_segments_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
