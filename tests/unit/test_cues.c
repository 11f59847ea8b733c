/* Narration cues (avz_cues_read): Audacity label tracks with CRLF, a byte-order mark, labels
 * with spaces and the spectral lines Audacity writes; WebVTT with identifiers, notes and
 * hour-less times; and the lines that are neither, named by number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/settings.h"

/* Writes text to a file of its own and reads it as cues. */
static int read_text(const char *text, avz_cues *out, avz_error *err) {
    char path[] = "/tmp/avz-cues-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    int rc = avz_cues_read(path, out, err);
    remove(path);
    return rc;
}

static void audacity_labels(void **state) {
    (void)state;
    avz_cues c;
    avz_error err = {0};
    assert_int_equal(read_text("\xEF\xBB\xBF"
                               "0.000000\t0.000000\tdiagram\r\n"
                               "\\\t1.0\t2.0\r\n"
                               "9.21\t12.5\tthe rope\r\n"
                               "\r\n",
                               &c, &err),
                     0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.items[0].label, "diagram");
    assert_string_equal(c.items[1].label, "the rope");
    assert_true(c.items[1].start == 9.21);
    assert_int_equal(c.items[1].line, 3);
    avz_cues_free(&c);
}

static void webvtt_cues(void **state) {
    (void)state;
    avz_cues c;
    avz_error err = {0};
    assert_int_equal(read_text("WEBVTT - narration\n\nNOTE marked in an editor\n\n"
                               "1\n00:00:01.500 --> 00:00:02.000\nrope\nmore text\n\n"
                               "01:02.250 --> 01:03.000\nsdpa\n",
                               &c, &err),
                     0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.items[0].label, "rope");
    assert_true(c.items[0].start == 1.5);
    assert_string_equal(c.items[1].label, "sdpa");
    assert_true(c.items[1].start == 62.25);
    avz_cues_free(&c);
}

static void bad_lines_are_named(void **state) {
    (void)state;
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"0\t0\tdiagram\n3 rope\n", "3 rope"},
        {"-1\t0\tdiagram\n", "expected START<TAB>END<TAB>LABEL"},
        {"1\t1\t\n", "expected START<TAB>END<TAB>LABEL"},
        {"WEBVTT\n\n00:01.5 --> 00:02.000\nrope\n", "not a WebVTT time"},
        {"WEBVTT\n\n00:01.500 --> 00:02.000\n", "a cue without a phase name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        avz_cues c;
        avz_error err = {0};
        assert_int_equal(read_text(cases[i].text, &c, &err), -EINVAL);
        assert_non_null(strstr(err.msg, cases[i].message));
        assert_int_equal(c.count, 0);
    }
}

static void vtt_times(void **state) {
    (void)state;
    char buf[32];
    avz_vtt_time(buf, sizeof buf, 3723.4567);
    assert_string_equal(buf, "01:02:03.457");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(audacity_labels),
        cmocka_unit_test(webvtt_cues),
        cmocka_unit_test(bad_lines_are_named),
        cmocka_unit_test(vtt_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
