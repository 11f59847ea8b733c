/* Timed scenes for the tests of timing: see runs.h. */
#include "runs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

double ref_smooth(double t) {
    double err = 1 / (1 + exp(5.0));
    double v = (1 / (1 + exp(-10 * (t - 0.5))) - err) / (1 - 2 * err);
    return fmin(fmax(v, 0.0), 1.0);
}

avz_scene *bare_scene(void) {
    avz_scene *s = NULL;
    assert_int_equal(avz_scene_new(NULL, &s), 0);
    return s;
}

avz_id unit_square(avz_scene *s, avz_vec2 at) {
    avz_id sq = avz_square(s, 0.5, avz_box_style(AVZ_BLUE, 0.5, 2));
    avz_move_to(s, sq, at);
    return sq;
}

avz_id row_of(avz_scene *s, int n, double y) {
    avz_id g = avz_group_new(s);
    for (int i = 0; i < n; i++)
        avz_group_add(s, g, unit_square(s, AVZ_V(-3 + 2 * i, y)));
    return g;
}

run run_new(const avz_scene *s, const avz_pacing *pacing) {
    run r = {0};
    avz_error err = {0};
    if (avz_timeline_resolve(s, pacing, &r.tl, &err))
        fail_msg("resolve: %s", err.msg);
    assert_int_equal(avz_frame_state_new(s, &r.st), 0);
    return r;
}

const avz_node_state *at(const avz_scene *s, run *r, double t, avz_id id) {
    avz_timeline_sample(s, r->tl, t, r->st);
    return &r->st->nodes[id];
}

void run_free(run *r) {
    avz_frame_state_free(r->st);
    avz_timeline_free(r->tl);
}
