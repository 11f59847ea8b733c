/* Shared by the unit tests: the shipped fonts opened once per test group, and building a
 * registered scene with name=value parameters. */
#ifndef AVZ_TEST_SUPPORT_H
#define AVZ_TEST_SUPPORT_H

#include <stdbool.h>

#include "attnviz/plugin.h"
#include "attnviz/timeline.h"

/* The fonts the group setup opened. */
extern avz_fonts *avz_test_fonts;
/* cmocka group setup and teardown: open and close avz_test_fonts. */
int avz_test_open_fonts(void **state);
int avz_test_close_fonts(void **state);
/* Builds def into a new scene (*out, to free) with the given parameters, as avz_scene_build
 * does: 0, or a code with its message in err and *out NULL. */
int avz_test_build(const avz_scene_def *def, const char *const *names, const char *const *values,
                   size_t count, avz_scene **out, avz_error *err);

/* Fails the test unless |a - b| <= epsilon (or a == b, for infinities), in double precision:
 * cmocka 1.1's assert_float_equal rounds to float, so a 1e-12 tolerance there means 1e-7
 * and any two numbers beyond FLT_MAX compare equal. */
#define avz_assert_near(a, b, epsilon)                                                             \
    avz_test_near((a), (b), (epsilon), #a, #b, __FILE__, __LINE__)
void avz_test_near(double a, double b, double epsilon, const char *a_text, const char *b_text,
                   const char *file, int line);

/* ── Layout: what a built scene shows at an instant, and whether it fits ─────────────── */

/* The whole 16:9 frame in scene units, as draw.c's viewport maps it. */
extern const avz_bbox avz_test_frame;
/* Labels may touch by this much (scene units) without counting as over each other. */
#define AVZ_TEST_TOUCH 0.02

/* b lies inside outer, give or take slack. */
bool avz_test_inside(avz_bbox b, avz_bbox outer, double slack);

/* A leaf on screen at one instant. */
typedef struct avz_test_leaf {
    avz_id id;
    avz_bbox box; /* where it is drawn then, in scene units */
    bool label;   /* text or formula (a figure otherwise: boxes, cells, lines) */
    bool settled; /* no fade, move, growth, cross-fade or clear is carrying it in or out */
} avz_test_leaf;

/* What a built scene draws over time: its timeline, a state to sample into, and each
 * leaf's bounds as built (a drawn leaf is them placed by its state). */
typedef struct avz_test_view avz_test_view;
/* Fails the test when the timeline does not resolve. */
avz_test_view *avz_test_view_new(const avz_scene *s);
void avz_test_view_free(avz_test_view *v);
/* The instants worth checking: the end of every animation, when what it brought has settled
 * (an overlap between settled leaves begins at one of them), in order, once each. */
size_t avz_test_view_times(const avz_test_view *v, const double **times);
/* The leaves drawn at t (visible with some opacity), valid until the next call. */
size_t avz_test_view_at(avz_test_view *v, double t, const avz_test_leaf **leaves);
/* Two labels of the last avz_test_view_at overlap: their glyphs do, by more than a touch. */
bool avz_test_labels_overlap(const avz_test_view *v, const avz_test_leaf *a,
                             const avz_test_leaf *b);
/* The name of the phase t falls in. */
const char *avz_test_view_phase(const avz_test_view *v, double t);
/* Fails the test (naming `what`, the instant, its phase and the leaves) unless at every
 * sample time each settled leaf lies inside frame and no two settled labels overlap. */
void avz_test_check_layout(const avz_scene *s, avz_bbox frame, const char *what);

#endif
