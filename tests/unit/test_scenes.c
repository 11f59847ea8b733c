/* Every registered scene builds with its defaults: every string it shows is drawable with
 * the shipped avz_test_fonts (a character no shipped face has fails the layout, so nothing can fall
 * back to tofu), every formula parses, and the timeline resolves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "attnviz/plugin.h"
#include "attnviz/timeline.h"
#include "builtin.h"
#include "support.h"

static void every_scene_builds_with_its_defaults(void **state) {
    (void)state;
    assert_true(avz_builtin_scene_count() >= 2);
    for (size_t i = 0; i < avz_builtin_scene_count(); i++) {
        const avz_scene_def *def = avz_builtin_scene(i);
        avz_scene *s = NULL;
        avz_error err = {0};
        if (avz_test_build(def, NULL, NULL, 0, &s, &err))
            fail_msg("scene %s: %s", def->name, err.msg);
        avz_timeline *tl = NULL;
        assert_int_equal(avz_timeline_resolve(s, NULL, &tl, &err), 0);
        assert_true(avz_timeline_duration(tl) > 1.0);
        assert_true(avz_timeline_phase_count(tl) >= 2);
        avz_timeline_free(tl);
        avz_scene_free(s);
    }
}

static void characters_beyond_the_serif_face_fall_back(void **state) {
    (void)state;
    /* The characters the scenes use that Liberation Serif lacks or that are easy to lose. */
    const char *samples[] = {
        "→", "×", "√", "—", "✓ argmax", "\"quoted\" “curly” ‘single’", "Σ·ᵀ", "x' (hidden states)"};
    avz_text_style style = {.font_size = 12};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        unsigned missing = 0;
        if (!avz_text_covers(avz_test_fonts, samples[i], &style, &missing))
            fail_msg("\"%s\": no shipped face has U+%04X", samples[i], missing);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_scene_builds_with_its_defaults),
        cmocka_unit_test(characters_beyond_the_serif_face_fall_back),
    };
    return cmocka_run_group_tests(tests, avz_test_open_fonts, avz_test_close_fonts);
}
