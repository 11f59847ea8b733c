/* Path geometry: bounding boxes of curves are exact, not sampled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "attnviz/geom.h"
#include "attnviz/scene.h" /* AVZ_V */

static avz_bbox cubic_box(avz_vec2 p0, avz_vec2 c1, avz_vec2 c2, avz_vec2 p3) {
    avz_path p = {0};
    assert_int_equal(avz_path_move_to(&p, p0), 0);
    assert_int_equal(avz_path_cubic_to(&p, c1, c2, p3), 0);
    avz_bbox box = avz_path_bbox(&p);
    avz_path_free(&p);
    return box;
}

static void a_cubic_box_holds_its_turning_points(void **state) {
    (void)state;
    /* An arch: y peaks at 0.75 halfway, x stays between the ends. */
    avz_bbox arch = cubic_box(AVZ_V(0, 0), AVZ_V(0, 1), AVZ_V(1, 1), AVZ_V(1, 0));
    assert_float_equal(arch.x0, 0.0, 1e-15);
    assert_float_equal(arch.x1, 1.0, 1e-15);
    assert_float_equal(arch.y0, 0.0, 1e-15);
    assert_float_equal(arch.y1, 0.75, 1e-15);
    /* An S. */
    avz_bbox s = cubic_box(AVZ_V(0, 0), AVZ_V(1, 2), AVZ_V(2, -2), AVZ_V(3, 0));
    /* y(t) = 6t - 18t^2 + 12t^3, extremes +-sqrt(3)/3 at t = 1/2 -+ sqrt(3)/6. */
    assert_float_equal(s.y1, 0.5773502691896258, 1e-12);
    assert_float_equal(s.y0, -0.5773502691896258, 1e-12);
    assert_float_equal(s.x0, 0.0, 1e-15);
    assert_float_equal(s.x1, 3.0, 1e-15);
    /* Controls between the ends: the ends are the box. */
    avz_bbox flat = cubic_box(AVZ_V(0, 0), AVZ_V(1, 1), AVZ_V(2, 2), AVZ_V(3, 3));
    assert_float_equal(flat.x1, 3.0, 1e-15);
    assert_float_equal(flat.y0, 0.0, 1e-15);
}

static void boxes_overlap_by_more_than_a_touch(void **state) {
    (void)state;
    avz_bbox a = {0, 0, 1, 1};
    assert_true(avz_bbox_overlaps(a, (avz_bbox){0.5, 0.5, 2, 2}, 0.0));
    assert_true(avz_bbox_overlaps(a, (avz_bbox){0.2, 0.2, 0.4, 0.4}, 0.1)); /* inside */
    /* Sharing an edge, or overlapping by no more than the touch, is not overlapping. */
    assert_false(avz_bbox_overlaps(a, (avz_bbox){1, 0, 2, 1}, 0.0));
    assert_false(avz_bbox_overlaps(a, (avz_bbox){0.9, 0, 2, 1}, 0.1));
    assert_true(avz_bbox_overlaps(a, (avz_bbox){0.8, 0, 2, 1}, 0.1));
    /* Both axes must overlap. */
    assert_false(avz_bbox_overlaps(a, (avz_bbox){0.5, 2, 0.7, 3}, 0.0));
    /* An empty box overlaps nothing. */
    assert_false(avz_bbox_overlaps(a, avz_bbox_empty(), 0.0));
}

static void a_box_moves_to_a_centre_keeping_its_size(void **state) {
    (void)state;
    avz_bbox b = avz_bbox_moved_to((avz_bbox){1, 2, 4, 3}, AVZ_V(-1, 0));
    assert_float_equal(b.x0, -2.5, 1e-15);
    assert_float_equal(b.x1, 0.5, 1e-15);
    assert_float_equal(b.y0, -0.5, 1e-15);
    assert_float_equal(b.y1, 0.5, 1e-15);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_cubic_box_holds_its_turning_points),
        cmocka_unit_test(boxes_overlap_by_more_than_a_touch),
        cmocka_unit_test(a_box_moves_to_a_centre_keeping_its_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
