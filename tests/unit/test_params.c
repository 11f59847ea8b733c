/* A scene's parameters as a plug-in declares and reads them (plugin.h): each type's parsing and
 * range, the messages that name what is accepted, defaults that must be valid themselves,
 * reading a parameter as another type; and the starting style setters of scene.h. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "attnviz/plugin.h"
#include "scene_internal.h"
#include "support.h"

static const avz_param_def params[] = {
    AVZ_PARAM_INT("heads", "8", 1, 64, "query heads"),
    AVZ_PARAM_NUMBER("temperature", "0.5", 0.05, 4, "softmax temperature"),
    AVZ_PARAM_TEXT("title", "Attention", 1, 12, "the title"),
};

/* What the build read, for the tests to look at. */
static long read_heads;
static double read_temperature;
static char read_title[64];

static int build(avz_scene *s, const avz_params *p) {
    read_heads = avz_param_int(s, p, "heads");
    read_temperature = avz_param_number(s, p, "temperature");
    snprintf(read_title, sizeof read_title, "%s", avz_param_text(s, p, "title"));
    avz_phase(s, "only");
    avz_wait(s, 1);
    return avz_scene_status(s, NULL);
}

static const avz_scene_def scene = {"params", "", params, 3, build};

/* Builds with one NAME=VALUE; 0 or the error, with its message in err. */
static int build_with(const char *name, const char *value, avz_error *err) {
    avz_scene *s = NULL;
    *err = (avz_error){0};
    int rc = name ? avz_test_build(&scene, &name, &value, 1, &s, err)
                  : avz_test_build(&scene, NULL, NULL, 0, &s, err);
    avz_scene_free(s);
    return rc;
}

static void defaults_are_read_when_nothing_is_given(void **state) {
    (void)state;
    avz_error err;
    assert_int_equal(build_with(NULL, NULL, &err), 0);
    assert_int_equal(read_heads, 8);
    avz_assert_near(read_temperature, 0.5, 0);
    assert_string_equal(read_title, "Attention");
}

static void given_values_are_read_as_their_types(void **state) {
    (void)state;
    avz_error err;
    assert_int_equal(build_with("temperature", "1.25", &err), 0);
    avz_assert_near(read_temperature, 1.25, 0);
    assert_int_equal(build_with("temperature", "4", &err), 0); /* the top of the range */
    avz_assert_near(read_temperature, 4, 0);
    assert_int_equal(build_with("temperature", "5e-2", &err), 0);
    avz_assert_near(read_temperature, 0.05, 1e-15);
    assert_int_equal(build_with("heads", "64", &err), 0);
    assert_int_equal(read_heads, 64);
    assert_int_equal(build_with("title", "Ωμέγα", &err), 0); /* 5 characters, 10 bytes */
    assert_string_equal(read_title, "Ωμέγα");
}

static void bad_values_name_the_parameter_and_what_it_accepts(void **state) {
    (void)state;
    static const struct {
        const char *name, *value, *message;
    } cases[] = {
        {"temperature", "0.01",
         "parameter temperature must be a number from 0.05 to 4, "
         "not \"0.01\""},
        {"temperature", "0x1", "must be a number from 0.05 to 4, not \"0x1\""},
        {"temperature", "inf", "not \"inf\""},
        {"temperature", "nan", "not \"nan\""},
        {"temperature", "1.5.2", "not \"1.5.2\""},
        {"temperature", "", "not \"\""},
        {"heads", "1.5", "parameter heads must be a whole number from 1 to 64, not \"1.5\""},
        {"heads", "65", "from 1 to 64, not \"65\""},
        {"heads", "99999999999999999999", "not \"99999999999999999999\""},
        {"title", "", "parameter title needs at least 1 character"},
        {"title", "thirteen char", "has 13 characters; at most 12 fit"},
        {"title", "a\nb", "a control character"},
        {"tempreature", "1", "no parameter \"tempreature\"; did you mean \"temperature\"?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        avz_error err;
        if (build_with(cases[i].name, cases[i].value, &err) != -EINVAL)
            fail_msg("%s=%s was accepted", cases[i].name, cases[i].value);
        if (!strstr(err.msg, cases[i].message))
            fail_msg("%s=%s: \"%s\" lacks \"%s\"", cases[i].name, cases[i].value, err.msg,
                     cases[i].message);
    }
}

static int build_reading_wrongly(avz_scene *s, const avz_params *p) {
    avz_param_number(s, p, "heads"); /* declared as a whole number */
    avz_phase(s, "only");
    avz_wait(s, 1);
    return avz_scene_status(s, NULL);
}

static int build_reading_undeclared(avz_scene *s, const avz_params *p) {
    avz_param_int(s, p, "layers");
    avz_phase(s, "only");
    avz_wait(s, 1);
    return avz_scene_status(s, NULL);
}

static void reading_as_another_type_or_undeclared_fails_the_build(void **state) {
    (void)state;
    avz_scene *s = NULL;
    avz_error err = {0};
    avz_scene_def wrong = {"wrong", "", params, 3, build_reading_wrongly};
    assert_int_equal(avz_test_build(&wrong, NULL, NULL, 0, &s, &err), -EINVAL);
    assert_null(s);
    assert_string_equal(
        err.msg, "wrong: scene wrong reads parameter heads, which it declares as another type");
    avz_scene_def undeclared = {"undeclared", "", params, 3, build_reading_undeclared};
    err = (avz_error){0};
    assert_int_equal(avz_test_build(&undeclared, NULL, NULL, 0, &s, &err), -EINVAL);
    assert_string_equal(err.msg, "undeclared: scene undeclared reads parameter layers, which it "
                                 "does not declare");
}

/* A build that makes its phases and then returns `build_returns`, latching no error. */
static int build_returns;

static int build_returning(avz_scene *s, const avz_params *p) {
    (void)p;
    avz_phase(s, "made");
    avz_wait(s, 1);
    return build_returns;
}

static void a_build_that_returns_an_error_fails(void **state) {
    (void)state;
    avz_scene *s = NULL;
    avz_error err = {0};
    avz_scene_def failing = {"failing", "", params, 3, build_returning};
    build_returns = -ENOMEM;
    assert_int_equal(avz_test_build(&failing, NULL, NULL, 0, &s, &err), -ENOMEM);
    assert_null(s);
    assert_string_equal(err.msg,
                        "failing: its build function failed (-12: Cannot allocate memory)");
    avz_scene_def odd = {"odd", "", params, 3, build_returning};
    build_returns = 1;
    err = (avz_error){0};
    assert_int_equal(avz_test_build(&odd, NULL, NULL, 0, &s, &err), -EINVAL);
    assert_null(s);
    assert_string_equal(err.msg, "odd: its build function failed (1: not an errno)");
}

static void an_invalid_default_is_the_scene_authors_error(void **state) {
    (void)state;
    static const avz_param_def bad[] = {AVZ_PARAM_NUMBER("scale", "9", 0, 2, "out of its range")};
    avz_scene_def def = {"bad-default", "", bad, 1, build};
    avz_error err = {0};
    assert_int_equal(avz_params_check(&def, NULL, &err), -EINVAL);
    assert_string_equal(err.msg, "scene bad-default: the default of parameter scale must be a "
                                 "number from 0 to 2, not \"9\"");
}

/* avz_params_check's verdict on a scene declaring one or two parameters. */
static void expect_declaration(const avz_param_def *decl, size_t count, const char *msg) {
    avz_scene_def def = {"decl", "", decl, count, build};
    avz_error err = {0};
    assert_int_equal(avz_params_check(&def, NULL, &err), msg ? -EINVAL : 0);
    if (msg)
        assert_string_equal(err.msg, msg);
}

static void declarations_that_cannot_read_back_are_refused(void **state) {
    (void)state;
    /* Read through a double, INT64_MAX came back as INT64_MIN. */
    expect_declaration((const avz_param_def[]){AVZ_PARAM_INT("n", "9223372036854775807", 0,
                                                             9223372036854775807.0, "n")},
                       1,
                       "scene decl: parameter n's range 0 to 9.2233720368547758e+18 must be "
                       "whole numbers from -2^53 to 2^53, which read back exactly");
    expect_declaration((const avz_param_def[]){AVZ_PARAM_INT("n", "1", 0.5, 3, "n")}, 1,
                       "scene decl: parameter n's range 0.5 to 3 must be whole numbers from "
                       "-2^53 to 2^53, which read back exactly");
    expect_declaration((const avz_param_def[]){AVZ_PARAM_INT("n", "1", 0, 9, "n"),
                                               AVZ_PARAM_NUMBER("n", "1", 0, 9, "again")},
                       2, "scene decl declares parameter n twice");
    expect_declaration((const avz_param_def[]){AVZ_PARAM_TEXT("t", "x", -1, 9, "t")}, 1,
                       "scene decl: parameter t's length -1 to 9 characters must be whole "
                       "numbers from 0 to 2^53");
    expect_declaration((const avz_param_def[]){AVZ_PARAM_TEXT("t", "x", 5, 2, "t")}, 1,
                       "scene decl: parameter t has min 5 above max 2");
    expect_declaration((const avz_param_def[]){AVZ_PARAM_TEXT("t", NULL, 0, 2, "t")}, 1,
                       "scene decl: parameter t has no default");
    expect_declaration((const avz_param_def[]){AVZ_PARAM_INT(NULL, "1", 0, 2, "t")}, 1,
                       "scene decl: parameter 1 has no name");
    /* The largest range that reads back exactly does, to its ends; one past it is refused. */
    static const avz_param_def wide[] = {
        AVZ_PARAM_INT("n", "9007199254740992", -9007199254740992.0, 9007199254740992.0, "n")};
    expect_declaration(wide, 1, NULL);
    avz_scene_def def = {"wide", "", wide, 1, build};
    avz_scene *s = NULL;
    assert_int_equal(avz_scene_new(avz_test_fonts, &s), 0);
    assert_true(avz_param_int(s, &(avz_params){.def = &def}, "n") == 9007199254740992L);
    const char *name = "n", *low = "-9007199254740992", *past = "9007199254740993";
    assert_true(
        avz_param_int(s, &(avz_params){.def = &def, .names = &name, .values = &low, .count = 1},
                      "n") == -9007199254740992L);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    avz_scene_free(s);
    avz_error err = {0};
    assert_int_equal(
        avz_params_check(
            &def, &(avz_params){.def = &def, .names = &name, .values = &past, .count = 1}, &err),
        -EINVAL);
    assert_string_equal(err.msg, "parameter n must be a whole number from -9007199254740992 to "
                                 "9007199254740992, not \"9007199254740993\"");
}

static void stroke_and_fill_set_every_leaf_of_a_group(void **state) {
    (void)state;
    avz_scene *s = NULL;
    assert_int_equal(avz_scene_new(avz_test_fonts, &s), 0);
    avz_id a = avz_square(s, 1, avz_box_style(AVZ_BLUE, 0.5, 2));
    avz_id b = avz_circle(s, 1, avz_box_style(AVZ_BLUE, 0.5, 2));
    avz_id both = avz_group(s, a, b);
    avz_set_stroke(s, both, AVZ_RED, 6);
    avz_set_fill(s, both, AVZ_GREEN, 0.25);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    for (avz_id id = a; id <= b; id++) {
        const avz_style *st = &s->nodes[id].style;
        assert_memory_equal(&st->stroke, &AVZ_RED, sizeof AVZ_RED);
        avz_assert_near(st->stroke_width, 6, 0);
        assert_memory_equal(&st->fill, &AVZ_GREEN, sizeof AVZ_GREEN);
        avz_assert_near(st->fill_opacity, 0.25, 0);
    }
    avz_scene_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_read_when_nothing_is_given),
        cmocka_unit_test(given_values_are_read_as_their_types),
        cmocka_unit_test(bad_values_name_the_parameter_and_what_it_accepts),
        cmocka_unit_test(reading_as_another_type_or_undeclared_fails_the_build),
        cmocka_unit_test(an_invalid_default_is_the_scene_authors_error),
        cmocka_unit_test(declarations_that_cannot_read_back_are_refused),
        cmocka_unit_test(a_build_that_returns_an_error_fails),
        cmocka_unit_test(stroke_and_fill_set_every_leaf_of_a_group),
    };
    return cmocka_run_group_tests(tests, avz_test_open_fonts, avz_test_close_fonts);
}
