/* Shared by the unit tests: see support.h. */
#include "support.h"

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
    avz_params params = {.names = names, .values = values, .count = count};
    assert_int_equal(avz_scene_new(avz_test_fonts, out), 0);
    def->build(*out, &params);
    return avz_scene_status(*out, err);
}
