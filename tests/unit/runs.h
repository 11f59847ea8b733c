/* Timed scenes for the unit tests of timing (test_timeline.c, test_timing.c): a bare scene of
 * small squares, its timeline resolved with a state to sample it into, and the original's
 * smooth rate to check the engine's against. Depends on cmocka and the engine's scene and
 * timeline modules. */
#ifndef AVZ_TEST_RUNS_H
#define AVZ_TEST_RUNS_H

#include "attnviz/scene.h"
#include "attnviz/timeline.h"
#include "timeline_internal.h"

/* The original's smooth, computed here from its definition rather than by the engine. */
double ref_smooth(double t);

/* A scene without fonts. */
avz_scene *bare_scene(void);
/* A square of side 0.5, half filled with blue, centred on at. */
avz_id unit_square(avz_scene *s, avz_vec2 at);
/* A group of n squares in a row. */
avz_id row_of(avz_scene *s, int n, double y);

/* A timeline and a state to sample it into. */
typedef struct run {
    avz_timeline *tl;
    avz_frame_state *st;
} run;

/* Fails the test when the timeline does not resolve. */
run run_new(const avz_scene *s, const avz_pacing *pacing);
/* Node id's state at t (r's state, sampled there). */
const avz_node_state *at(const avz_scene *s, run *r, double t, avz_id id);
void run_free(run *r);

#endif
