/* Shared by the unit tests: the shipped fonts opened once per test group, and building a
 * registered scene with name=value parameters. */
#ifndef AVZ_TEST_SUPPORT_H
#define AVZ_TEST_SUPPORT_H

#include "attnviz/plugin.h"

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

#endif
