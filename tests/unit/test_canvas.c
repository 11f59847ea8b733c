/* A canvas that redraws only what changed must show exactly what a full redraw shows: every
 * frame of every registered scene, drawn in sequence on one canvas, against a fresh surface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "attnviz/draw.h"
#include "attnviz/timeline.h"
#include "builtin.h"
#include "support.h"

/* Small with an odd height, so that boxes meet the frame's edges; and the preview size. */
static const struct size { int width, height, fps; } sizes[] = {{320, 181, 12}, {854, 480, 3}};

/* Fails naming the first frame whose pixels differ, and the box the differences span. */
static void compare(const uint8_t *got, int got_stride, const uint8_t *want, int want_stride,
                    struct size sz, const char *scene, double t) {
    int x0 = sz.width, y0 = sz.height, x1 = -1, y1 = -1;
    for (int y = 0; y < sz.height; y++)
        for (int x = 0; x < sz.width; x++)
            if (memcmp(got + (size_t)y * got_stride + 4 * x, want + (size_t)y * want_stride + 4 * x,
                       4) != 0) {
                x0 = x < x0 ? x : x0;
                y0 = y < y0 ? y : y0;
                x1 = x > x1 ? x : x1;
                y1 = y > y1 ? y : y1;
            }
    if (x1 >= 0)
        fail_msg("%s at %.3f s, %dx%d: pixels differ from a full redraw in x %d..%d, y %d..%d",
                 scene, t, sz.width, sz.height, x0, x1, y0, y1);
}

static void run_scene(const avz_scene_def *def, struct size sz, bool transparent) {
    avz_scene *s = NULL;
    avz_timeline *tl = NULL;
    avz_error err = {0};
    assert_int_equal(avz_test_build(def, NULL, NULL, 0, &s, &err), 0);
    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, &err), 0);
    avz_canvas *canvas = NULL;
    avz_frame_state *st = NULL;
    assert_int_equal(avz_canvas_new(s, sz.width, sz.height, transparent, &canvas), 0);
    assert_int_equal(avz_frame_state_new(s, &st), 0);
    cairo_surface_t *full = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sz.width, sz.height);
    cairo_t *cr = cairo_create(full);

    size_t frames = (size_t)(avz_timeline_duration(tl) * sz.fps);
    size_t partial = 0;
    for (size_t i = 0; i <= frames; i++) {
        double t = (double)i / sz.fps;
        avz_timeline_sample(s, tl, t, st);
        avz_damage changed;
        assert_int_equal(avz_canvas_update(canvas, st, &changed), 0);
        int redrawn = 0;
        for (size_t b = 0; b < changed.count; b++) {
            assert_true(changed.bands[b].first < changed.bands[b].end);
            assert_true(b == 0 || changed.bands[b - 1].end < changed.bands[b].first);
            redrawn += changed.bands[b].end - changed.bands[b].first;
        }
        if (i > 0 && redrawn < sz.height)
            partial++;
        assert_int_equal(avz_draw_frame(s, st, cr, sz.width, sz.height, transparent), 0);
        cairo_surface_flush(full);
        int stride;
        const uint8_t *pixels = avz_canvas_pixels(canvas, &stride);
        compare(pixels, stride, cairo_image_surface_get_data(full),
                cairo_image_surface_get_stride(full), sz, def->name, t);
    }
    /* The test means something only if most frames were partial redraws. */
    assert_true(partial > frames / 2);

    cairo_destroy(cr);
    cairo_surface_destroy(full);
    avz_frame_state_free(st);
    avz_canvas_free(canvas);
    avz_timeline_free(tl);
    avz_scene_free(s);
}

static void every_scene_redraws_exactly(void **state) {
    (void)state;
    for (size_t i = 0; i < avz_builtin_scene_count(); i++)
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
            run_scene(avz_builtin_scene(i), sizes[k], false);
}

static void transparent_frames_redraw_exactly(void **state) {
    (void)state;
    run_scene(avz_builtin_scene(0), sizes[0], true);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_scene_redraws_exactly),
        cmocka_unit_test(transparent_frames_redraw_exactly),
    };
    return cmocka_run_group_tests(tests, avz_test_open_fonts, avz_test_close_fonts);
}
