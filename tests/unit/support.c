/* Shared by the unit tests: see support.h. */
#include "support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

avz_fonts *avz_test_fonts;

int avz_test_open_fonts(void **state) {
    (void)state;
    avz_error err = {0};
    return avz_fonts_open(AVZ_SOURCE_DIR "/fonts", &avz_test_fonts, &err);
}

int avz_test_close_fonts(void **state) {
    (void)state;
    avz_fonts_close(avz_test_fonts);
    avz_test_fonts = NULL;
    return 0;
}

int avz_test_build(const avz_scene_def *def, const char *const *names, const char *const *values,
                   size_t count, avz_scene **out, avz_error *err) {
    /* Through avz_scene_build, as the CLI builds: the parameters are checked first. */
    avz_params params = {.def = def, .names = names, .values = values, .count = count};
    return avz_scene_build(def, avz_test_fonts, &params, out, err);
}

void avz_test_near(double a, double b, double epsilon, const char *a_text, const char *b_text,
                   const char *file, int line) {
    /* Written so that NaN fails: no comparison with it is true. */
    if (a == b || fabs(a - b) <= epsilon)
        return;
    print_error("%s = %.17g is not within %g of %s = %.17g\n", a_text, a, epsilon, b_text, b);
    _fail(file, line);
}
