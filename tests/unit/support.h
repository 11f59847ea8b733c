/* Shared by the unit tests: the shipped fonts opened once per test group, and building a
 * registered scene with name=value parameters. */
#ifndef AVZ_TEST_SUPPORT_H
#define AVZ_TEST_SUPPORT_H

#include "attnviz/registry.h"

/* The fonts the group setup opened. */
extern avz_fonts *avz_test_fonts;
/* cmocka group setup and teardown: open and close avz_test_fonts. */
int avz_test_open_fonts(void **state);
int avz_test_close_fonts(void **state);
/* Builds def into a new scene (*out, to free) with the given parameters; returns the
 * scene's status with its message in err. */
int avz_test_build(const avz_scene_def *def, const char *const *names, const char *const *values,
                   size_t count, avz_scene **out, avz_error *err);

#endif
