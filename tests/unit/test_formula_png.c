/* avz_math_render_png: a formula alone in a PNG, framed by its ink box, for `attnviz formula`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attnviz/math.h"

static avz_fonts *fonts;
static char out_dir[512];

static int setup(void **state) {
    (void)state;
    const char *base = getenv("AVZ_TEST_OUT");
    snprintf(out_dir, sizeof out_dir, "%s", base && *base ? base : "/tmp");
    mkdir(out_dir, 0755);
    return avz_fonts_open(AVZ_SOURCE_DIR "/fonts", &fonts, NULL);
}

static int teardown(void **state) {
    (void)state;
    avz_fonts_close(fonts);
    return 0;
}

static void renders_the_sdpa_formula_framed_by_its_ink(void **state) {
    (void)state;
    const char *tex =
        "\\operatorname{Attention}(Q,K,V)=\\operatorname{softmax}\\!\\left(\\frac{QK^\\top}"
        "{\\sqrt{d_k}}\\right)\\!V";
    char path[600];
    snprintf(path, sizeof path, "%s/formula_sdpa.png", out_dir);
    avz_error err = {0};
    assert_int_equal(avz_math_render_png(fonts, tex, 50.0, AVZ_WHITE, path, &err), 0);

    /* The same formula at MathTex size 36 measures 909 x 124 px at 1080p, where one em is
     * 36/96 units of 135 px: so at 50 px per em the ink is 909 * 50 / 50.625 px wide, plus
     * a quarter em of margin each side. */
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    assert_in_range(w, 880 + 25, 915 + 25);
    assert_in_range(h, 118 + 25, 130 + 25);
    /* Ink reaches within a pixel or two of every margin, and the corners are black. */
    uint32_t *px = (uint32_t *)cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img) / 4;
    assert_int_equal(px[0] & 0xFFFFFF, 0);
    long lit = 0;
    int x0 = w, x1 = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if ((px[y * stride + x] & 0xFF) > 128) {
                lit++;
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
            }
    assert_true(lit > 1000);
    assert_in_range(x0, 11, 14);
    assert_in_range(w - 1 - x1, 11, 14);
    cairo_surface_destroy(img);
}

static void errors_name_the_problem_and_keep_the_old_file(void **state) {
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s/formula_keep.png", out_dir);
    FILE *f = fopen(path, "w");
    fputs("old", f);
    fclose(f);
    avz_error err = {0};
    assert_int_equal(avz_math_render_png(fonts, "x + \\foo", 40, AVZ_WHITE, path, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "\\foo"));
    avz_error err2 = {0};
    assert_int_equal(avz_math_render_png(fonts, "x", 0.5, AVZ_WHITE, path, &err2), -EINVAL);
    assert_non_null(strstr(err2.msg, "size"));
    char buf[8] = {0};
    f = fopen(path, "r");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "old");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renders_the_sdpa_formula_framed_by_its_ink),
        cmocka_unit_test(errors_name_the_problem_and_keep_the_old_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
