/* Messages' helpers (error.h): the first error is kept, long words are quoted shortened between
 * UTF-8 characters (also inside a message, before its reason), name lists are cut to fit, and
 * "did you mean" finds typing slips only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "attnviz/error.h"

static const char *const phases[] = {"diagram", "rope", "gqa-ratio", "repeat-kv", "heatmap"};

static const char *phase_name(size_t i, const void *ctx) {
    (void)ctx;
    return phases[i];
}

static long nearest(const char *word) {
    return avz_nearest(word, sizeof phases / sizeof phases[0], phase_name, NULL);
}

static void the_first_error_is_kept(void **state) {
    (void)state;
    avz_error err = {0};
    assert_int_equal(avz_error_set(&err, -ENOENT, "no %s", "font"), -ENOENT);
    assert_int_equal(avz_error_set(&err, -ENOMEM, "later"), -ENOMEM);
    assert_int_equal(err.code, -ENOENT);
    assert_string_equal(err.msg, "no font");
    assert_int_equal(avz_error_set(NULL, -EIO, "nowhere"), -EIO);
}

static void long_words_are_shortened_between_characters(void **state) {
    (void)state;
    char buf[16];
    assert_string_equal(avz_shorten(buf, sizeof buf, "short"), "short");
    avz_shorten(buf, sizeof buf, "ααααααααααββββββββββ"); /* 2 bytes a letter */
    assert_non_null(strstr(buf, "…"));
    assert_true(strlen(buf) < sizeof buf);
    for (const unsigned char *c = (const unsigned char *)buf; *c; c++) /* no split letter */
        if (*c == 0xCE)
            assert_true(c[1] == 0xB1 || c[1] == 0xB2);
    assert_int_equal((unsigned char)buf[0], 0xCE);
}

static void a_long_word_never_cuts_off_the_reason(void **state) {
    (void)state;
    char path[5000];
    memset(path, 'd', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    memcpy(path, "/tmp/", 5);
    avz_error err = {0};
    avz_error_set(&err, -EIO, "cannot write '%s': %s", path, "No space left on device");
    assert_true(strlen(err.msg) < 200);
    assert_memory_equal(err.msg, "cannot write '/tmp/ddd", 22);
    assert_non_null(strstr(err.msg, "…"));
    const char *reason = "dddd': No space left on device";
    assert_string_equal(err.msg + strlen(err.msg) - strlen(reason), reason);
    /* short words, and the spaces between them, stay as they are */
    err = (avz_error){0};
    avz_error_set(&err, -EIO, "a  b %s", "c");
    assert_string_equal(err.msg, "a  b c");
}

static void name_lists_are_cut_to_fit(void **state) {
    (void)state;
    char all[128], cut[12];
    assert_string_equal(avz_join(all, sizeof all, 3, phase_name, NULL), "diagram, rope, gqa-ratio");
    avz_join(cut, sizeof cut, 5, phase_name, NULL);
    assert_true(strlen(cut) < sizeof cut);
    assert_memory_equal(cut, "diagram, ro", strlen(cut));
}

static void typing_slips_are_recognised(void **state) {
    (void)state;
    assert_int_equal(nearest("diagarm"), 0); /* two letters swapped: one slip */
    assert_int_equal(nearest("rpoe"), 1);
    assert_int_equal(nearest("pore"), -1); /* two slips in four letters */
    assert_int_equal(nearest("heatmpa"), 4);
    assert_int_equal(nearest("heatmap"), 4);
    assert_int_equal(nearest("repeatkv"), 3); /* one letter missing */
    assert_int_equal(nearest("gqa-raito"), 2);
    assert_int_equal(nearest("gqa_rattio"), 2); /* two edits in ten letters */
    assert_int_equal(nearest("rop"), -1);       /* three letters: too short to guess */
    assert_int_equal(nearest("sdpa"), -1);
    assert_int_equal(nearest(""), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_first_error_is_kept),
        cmocka_unit_test(long_words_are_shortened_between_characters),
        cmocka_unit_test(a_long_word_never_cuts_off_the_reason),
        cmocka_unit_test(name_lists_are_cut_to_fit),
        cmocka_unit_test(typing_slips_are_recognised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
