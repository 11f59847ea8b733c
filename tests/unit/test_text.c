/* Text: shipped fonts, fallback, layout geometry calibrated on the original's stills, and a
 * rendered title compared with the reference frame t009.10_gqa-diagram.png. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hb-ot.h>

#include "attnviz/text.h"
#include "fonts_internal.h"

#define PX_PER_UNIT 135.0 /* 1080p */
#define TITLE "Grouped-Query Attention (GQA)"
#define TITLE_INK_EM 13.30 /* Liberation Serif's ink width of TITLE, in em */

static const char *const shipped[] = {
    "LiberationSerif-Regular.ttf",    "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf", "DejaVuSans.ttf",           "DejaVuSans-Bold.ttf",
    "latinmodern-math.otf",
};

static const avz_text_style regular10 = {.font_size = 10};

/* ---- helpers ---- */

static const char *out_dir(void) {
    static char dir[1024];
    const char *env = getenv("AVZ_TEST_OUT");
    snprintf(dir, sizeof dir, "%s", env && *env ? env : "avz-test-out");
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0777);
            *p = '/';
        }
    }
    mkdir(dir, 0777);
    return dir;
}

/* A font directory in the test output with every shipped file linked in, except that `broken`
 * is missing (contents NULL) or replaced by `contents`. */
static const char *fake_font_dir(const char *name, const char *broken, const char *contents) {
    static char dir[1100];
    snprintf(dir, sizeof dir, "%s/%s", out_dir(), name);
    mkdir(dir, 0777);
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        char link[1200], target[1200];
        snprintf(link, sizeof link, "%s/%s", dir, shipped[i]);
        snprintf(target, sizeof target, "%s/fonts/%s", AVZ_SOURCE_DIR, shipped[i]);
        unlink(link);
        if (strcmp(shipped[i], broken) != 0) {
            assert_int_equal(symlink(target, link), 0);
        } else if (contents) {
            FILE *f = fopen(link, "w");
            assert_non_null(f);
            fputs(contents, f);
            fclose(f);
        }
    }
    return dir;
}

static int layout(void **state, const char *text, avz_text_style style, avz_parts *parts) {
    avz_error err = {0};
    int rc = avz_text_layout(*state, text, &style, parts, &err);
    if (rc < 0)
        print_message("layout of \"%s\": %s\n", text, err.msg);
    return rc;
}

static double em_units(double font_size) {
    return font_size / 72.0;
}

/* The glyph's left side bearing in scene units, to find its pen origin from its ink. */
static double bearing(avz_face_id id, unsigned cp, double font_size, void **state) {
    const avz_face *face = avz_fonts_face(*state, id);
    hb_codepoint_t gid;
    hb_glyph_extents_t ext;
    assert_true(hb_font_get_nominal_glyph(avz_face_hb(face), cp, &gid));
    assert_true(hb_font_get_glyph_extents(avz_face_hb(face), gid, &ext));
    return ext.x_bearing * em_units(font_size) / avz_face_upem(face);
}

static int open_fonts(void **state) {
    avz_error err = {0};
    avz_fonts *fonts;
    int rc = avz_fonts_open_default(&fonts, &err);
    if (rc < 0)
        print_error("%s\n", err.msg);
    *state = fonts;
    return rc;
}

static int close_fonts(void **state) {
    avz_fonts_close(*state);
    return 0;
}

/* ---- fonts ---- */

/* The test program lies in the build tree's tests/, whose ../share/attnviz/fonts is the copy
 * the build keeps; AVZ_FONT_DIR overrides it, and a missing override is named. */
static void test_default_dir(void **state) {
    (void)state;
    avz_fonts *fonts = NULL;
    avz_error err = {0};
    unsetenv("AVZ_FONT_DIR");
    assert_int_equal(avz_fonts_open_default(&fonts, &err), 0);
    avz_fonts_close(fonts);
    setenv("AVZ_FONT_DIR", "", 1); /* empty is unset */
    assert_int_equal(avz_fonts_open_default(&fonts, &err), 0);
    avz_fonts_close(fonts);
    setenv("AVZ_FONT_DIR", AVZ_SOURCE_DIR "/fonts", 1);
    assert_int_equal(avz_fonts_open_default(&fonts, &err), 0);
    avz_fonts_close(fonts);
    setenv("AVZ_FONT_DIR", "/elsewhere", 1);
    assert_int_equal(avz_fonts_open_default(&fonts, &err), -ENOENT);
    assert_null(fonts);
    assert_non_null(strstr(err.msg, "/elsewhere"));
    assert_non_null(strstr(err.msg, "AVZ_FONT_DIR"));
    unsetenv("AVZ_FONT_DIR");
}

static void test_faces(void **state) {
    assert_int_equal(avz_face_upem(avz_fonts_face(*state, AVZ_FACE_SERIF)), 2048);
    assert_int_equal(avz_face_upem(avz_fonts_face(*state, AVZ_FACE_SYMBOL)), 2048);
    assert_int_equal(avz_face_upem(avz_fonts_face(*state, AVZ_FACE_MATH)), 1000);
    for (int id = 0; id < AVZ_FACE_COUNT; id++) {
        const avz_face *face = avz_fonts_face(*state, id);
        assert_non_null(face);
        hb_codepoint_t gid;
        assert_true(hb_font_get_nominal_glyph(avz_face_hb(face), 'A', &gid));
        hb_position_t adv = hb_font_get_glyph_h_advance(avz_face_hb(face), gid);
        /* scale is units per em: advances come in font units */
        assert_true(adv > 0 && adv < (hb_position_t)avz_face_upem(face));
    }
    hb_codepoint_t gid;
    assert_true(hb_font_get_nominal_glyph(avz_face_hb(avz_fonts_face(*state, AVZ_FACE_MATH)),
                                          0x221A, &gid));
    assert_true(
        hb_ot_math_has_data(hb_font_get_face(avz_face_hb(avz_fonts_face(*state, AVZ_FACE_MATH)))));
}

static void test_glyph_path(void **state) {
    const avz_face *serif = avz_fonts_face(*state, AVZ_FACE_SERIF);
    hb_codepoint_t gid;
    assert_true(hb_font_get_nominal_glyph(avz_face_hb(serif), 'H', &gid));
    avz_path a = {0}, b = {0};
    /* the second call comes from the cache and must give the same path */
    assert_int_equal(avz_face_glyph_path(serif, gid, 1.0, (avz_vec2){2, 3}, &a), 0);
    assert_int_equal(avz_face_glyph_path(serif, gid, 1.0, (avz_vec2){2, 3}, &b), 0);
    assert_int_equal(a.count, b.count);
    for (size_t i = 0; i < a.count; i++) { /* field by field: a segment has padding */
        assert_int_equal(a.segs[i].kind, b.segs[i].kind);
        assert_memory_equal(a.segs[i].p, b.segs[i].p, sizeof a.segs[i].p);
    }
    assert_int_equal(a.segs[0].kind, AVZ_SEG_MOVE);
    assert_int_equal(a.segs[a.count - 1].kind, AVZ_SEG_CLOSE);
    /* H sits on the baseline at the origin, y up, cap height 1341/2048 em */
    avz_bbox box = avz_path_bbox(&a);
    assert_float_equal(box.y0, 3.0, 1e-9);
    assert_float_equal(box.y1, 3.0 + 1341.0 / 2048, 1e-9);
    assert_true(box.x0 > 2.0 && box.x1 < 2.75);
    avz_path_free(&a);
    avz_path_free(&b);

    /* a CFF face, with cubic outlines */
    const avz_face *math = avz_fonts_face(*state, AVZ_FACE_MATH);
    assert_true(hb_font_get_nominal_glyph(avz_face_hb(math), 'x', &gid));
    assert_int_equal(avz_face_glyph_path(math, gid, 1.0, (avz_vec2){0, 0}, &a), 0);
    assert_true(a.count > 4);
    avz_path_free(&a);
    assert_int_equal(avz_face_glyph_path(serif, 1u << 30, 1.0, (avz_vec2){0, 0}, &a), -EINVAL);
}

static void test_missing_dir(void **state) {
    (void)state;
    avz_error err = {0};
    avz_fonts *fonts = (void *)1;
    assert_int_equal(avz_fonts_open("/nonexistent-font-dir", &fonts, &err), -ENOENT);
    assert_null(fonts);
    assert_int_equal(err.code, -ENOENT);
    assert_non_null(strstr(err.msg, "/nonexistent-font-dir/LiberationSerif-Regular.ttf"));
}

static void test_missing_file(void **state) {
    (void)state;
    const char *dir = fake_font_dir("fonts-missing", "DejaVuSans-Bold.ttf", NULL);
    avz_error err = {0};
    avz_fonts *fonts;
    assert_int_equal(avz_fonts_open(dir, &fonts, &err), -ENOENT);
    char want[1200];
    snprintf(want, sizeof want, "%s/DejaVuSans-Bold.ttf", dir);
    assert_non_null(strstr(err.msg, want));
}

static void test_corrupt_file(void **state) {
    (void)state;
    const char *dir = fake_font_dir("fonts-corrupt", "latinmodern-math.otf", "not a font\n");
    avz_error err = {0};
    avz_fonts *fonts;
    assert_int_equal(avz_fonts_open(dir, &fonts, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "latinmodern-math.otf"));
}

/* freetype would open it (its header survives) and draw nothing for its glyphs. */
static void test_truncated_file(void **state) {
    (void)state;
    const char *dir = fake_font_dir("fonts-truncated", "LiberationSerif-Regular.ttf", NULL);
    char whole[1200], cut[1200];
    snprintf(whole, sizeof whole, "%s/fonts/LiberationSerif-Regular.ttf", AVZ_SOURCE_DIR);
    snprintf(cut, sizeof cut, "%s/LiberationSerif-Regular.ttf", dir);
    FILE *in = fopen(whole, "rb"), *out = fopen(cut, "wb");
    assert_non_null(in);
    assert_non_null(out);
    assert_int_equal(fseek(in, 0, SEEK_END), 0);
    long half = ftell(in) / 2;
    rewind(in);
    for (long i = 0; i < half; i++)
        fputc(fgetc(in), out);
    fclose(in);
    fclose(out);

    avz_error err = {0};
    avz_fonts *fonts;
    assert_int_equal(avz_fonts_open(dir, &fonts, &err), -EINVAL);
    assert_non_null(strstr(err.msg, cut));
    assert_non_null(strstr(err.msg, "is truncated"));
}

static void expect_label_error(const char *word, const char *msg) {
    avz_error err = {0};
    assert_int_equal(avz_label_check("word 2", word, strlen(word), 5, &err), -EINVAL);
    assert_string_equal(err.msg, msg);
}

static void test_label_check(void **state) {
    (void)state;
    assert_int_equal(avz_label_check("w", "héllo", strlen("héllo"), 5, NULL), 0);
    assert_int_equal(avz_label_check("w", "→×√✓", strlen("→×√✓"), 4, NULL), 0);
    expect_label_error("abcdefgh", "word 2: \"abcde...\" has 8 characters; at most 5 fit");
    expect_label_error("ééééééé", "word 2: \"ééééé...\" has 7 characters; at most 5 fit");
    expect_label_error("a\nb", "word 2 holds U+000A, a control character");
    expect_label_error("\x1b[2J", "word 2 holds U+001B, a control character");
    expect_label_error("a\x7f", "word 2 holds U+007F, a control character");
    expect_label_error("ab\xff", "word 2 is not valid UTF-8 (byte 2)");
    expect_label_error("\xc0\xaf", "word 2 is not valid UTF-8 (byte 0)");
    expect_label_error("\xed\xa0\x80", "word 2 is not valid UTF-8 (byte 0)");
    expect_label_error("a\x80\x80\x80", "word 2 is not valid UTF-8 (byte 1)");
}

/* ---- layout ---- */

static void test_title(void **state) {
    avz_parts parts;
    assert_int_equal(layout(state, TITLE, (avz_text_style){.font_size = 42}, &parts), 0);
    assert_int_equal(parts.count, 27); /* 29 characters, the two spaces draw nothing */
    avz_bbox box = avz_parts_bbox(&parts);
    assert_float_equal(box.x0, -box.x1, 1e-9);
    assert_float_equal(box.y0, -box.y1, 1e-9);
    /* at title size the advances sit on the original's 0.05-unit grid, which makes this title
     * 1032 px wide in the original rather than 13.30 em (1047 px) */
    assert_float_equal(avz_bbox_width(box) * PX_PER_UNIT, 1032.0, 1032.0 * 0.01);
    /* heights are never rounded: from the top of '(' and 'd' (1421) to the tail of 'y' (-442) */
    assert_float_equal(avz_bbox_height(box), (1421.0 + 442) / 2048 * em_units(42), 1e-9);
    avz_parts_free(&parts);

    /* below title sizes the advances are exact: one em is font_size / 72 units */
    assert_int_equal(layout(state, TITLE, (avz_text_style){.font_size = 20}, &parts), 0);
    box = avz_parts_bbox(&parts);
    assert_float_equal(avz_bbox_width(box), TITLE_INK_EM * em_units(20),
                       TITLE_INK_EM * em_units(20) * 0.002);
    avz_parts_free(&parts);
}

static void test_two_lines(void **state) {
    avz_parts parts;
    assert_int_equal(layout(state, "Q Projection\n1536 → 24×64", regular10, &parts), 0);
    assert_int_equal(parts.count, 11 + 10);
    const avz_bbox p = avz_path_bbox(&parts.items[1]);    /* 'P' on line 1 */
    const avz_bbox one = avz_path_bbox(&parts.items[11]); /* '1' on line 2 */
    /* both sit flat on their baselines */
    double pitch = p.y0 - one.y0;
    assert_float_equal(pitch, 0.975 * em_units(10), 1e-9);
    assert_float_equal(pitch * PX_PER_UNIT, 18.3, 0.5); /* measured on t009.10 */

    /* left aligned: both lines start at the same pen position */
    const avz_bbox q = avz_path_bbox(&parts.items[0]);
    assert_float_equal(q.x0 - bearing(AVZ_FACE_SERIF, 'Q', 10, state),
                       one.x0 - bearing(AVZ_FACE_SERIF, '1', 10, state), 1e-9);
    avz_parts_free(&parts);

    /* the RoPE caption at size 13 (t012.00): baselines 24 px apart */
    assert_int_equal(layout(state, "RoPE\nK", (avz_text_style){.font_size = 13}, &parts), 0);
    pitch = avz_path_bbox(&parts.items[0]).y0 - avz_path_bbox(&parts.items[4]).y0;
    assert_float_equal(pitch * PX_PER_UNIT, 24.0, 0.5);
    avz_parts_free(&parts);
}

static void test_line_pitch_and_blank_lines(void **state) {
    avz_parts parts;
    assert_int_equal(layout(state, "H\nH\n\nH", regular10, &parts), 0);
    assert_int_equal(parts.count, 3);
    double y[3];
    for (int i = 0; i < 3; i++)
        y[i] = avz_path_bbox(&parts.items[i]).y0;
    double pitch = 0.975 * em_units(10);
    assert_float_equal(y[0] - y[1], pitch, 1e-9);
    assert_float_equal(y[1] - y[2], 2 * pitch, 1e-9);
    avz_parts_free(&parts);
}

static void test_center_align(void **state) {
    const char *text = "Repeat KV\n4 heads → 24 heads";
    avz_parts parts;
    avz_text_style style = regular10;
    style.align = AVZ_ALIGN_CENTER;
    assert_int_equal(layout(state, text, style, &parts), 0);
    /* 'R' starts line 1, "4" line 2, "s" ends it */
    double line1 = (avz_path_bbox(&parts.items[0]).x0 + avz_path_bbox(&parts.items[7]).x1) / 2;
    double line2 =
        (avz_path_bbox(&parts.items[8]).x0 + avz_path_bbox(&parts.items[parts.count - 1]).x1) / 2;
    assert_float_equal(line1, line2, 0.1 * em_units(10));
    avz_parts_free(&parts);

    style.align = AVZ_ALIGN_LEFT;
    assert_int_equal(layout(state, text, style, &parts), 0);
    assert_float_equal(avz_path_bbox(&parts.items[0]).x0, avz_path_bbox(&parts.items[8]).x0,
                       0.1 * em_units(10));
    avz_parts_free(&parts);
}

static void test_fallback(void **state) {
    hb_codepoint_t gid;
    assert_false(hb_font_get_nominal_glyph(avz_face_hb(avz_fonts_face(*state, AVZ_FACE_SERIF)),
                                           0x2713, &gid));
    avz_parts parts;
    assert_int_equal(layout(state, "✓ argmax", (avz_text_style){.font_size = 7}, &parts), 0);
    assert_int_equal(parts.count, 7);
    /* the ✓ is DejaVu Sans's */
    const avz_face *dejavu = avz_fonts_face(*state, AVZ_FACE_SYMBOL);
    assert_true(hb_font_get_nominal_glyph(avz_face_hb(dejavu), 0x2713, &gid));
    avz_path check = {0};
    assert_int_equal(avz_face_glyph_path(dejavu, gid, em_units(7), (avz_vec2){0, 0}, &check), 0);
    avz_bbox want = avz_path_bbox(&check), got = avz_path_bbox(&parts.items[0]);
    assert_float_equal(avz_bbox_width(got), avz_bbox_width(want), 1e-9);
    assert_float_equal(avz_bbox_height(got), avz_bbox_height(want), 1e-9);
    avz_path_free(&check);
    avz_parts_free(&parts);

    const char *texts[] = {"→ × √ —", "\"straight\" 'quotes'", "“curly” ‘quotes’",
                           "Attention Q·K^T/√d"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (int bold = 0; bold < 2; bold++) {
            for (int italic = 0; italic < 2; italic++) {
                avz_text_style style = {.font_size = 12, .bold = bold, .italic = italic};
                assert_int_equal(layout(state, texts[i], style, &parts), 0);
                assert_true(parts.count > 3);
                avz_parts_free(&parts);
            }
        }
    }

    unsigned missing = 0;
    assert_true(avz_text_covers(*state, "✓ argmax\n→", &regular10, &missing));
    /* DejaVu Sans even has a few emoji */
    assert_true(avz_text_covers(*state, "ok 😀", &regular10, &missing));
    assert_false(avz_text_covers(*state, "go 🚀", &regular10, &missing));
    assert_int_equal(missing, 0x1F680);
}

static void test_bold_and_italic_faces(void **state) {
    avz_parts plain, bold, italic;
    assert_int_equal(layout(state, "Attention", (avz_text_style){.font_size = 12}, &plain), 0);
    assert_int_equal(
        layout(state, "Attention", (avz_text_style){.font_size = 12, .bold = true}, &bold), 0);
    assert_int_equal(
        layout(state, "Attention", (avz_text_style){.font_size = 12, .italic = true}, &italic), 0);
    double w = avz_bbox_width(avz_parts_bbox(&plain));
    assert_true(avz_bbox_width(avz_parts_bbox(&bold)) > w * 1.02);
    assert_true(fabs(avz_bbox_width(avz_parts_bbox(&italic)) - w) > w * 0.01);
    avz_parts_free(&plain);
    avz_parts_free(&bold);
    avz_parts_free(&italic);
}

static void expect_failure(void **state, const char *text, int code, const char *msg_part) {
    avz_error err = {0};
    avz_parts parts = {(void *)1, 1, 1};
    assert_int_equal(avz_text_layout(*state, text, &regular10, &parts, &err), code);
    assert_int_equal(parts.count, 0);
    assert_null(parts.items);
    if (!strstr(err.msg, msg_part))
        fail_msg("\"%s\" does not contain \"%s\"", err.msg, msg_part);
}

static void test_errors(void **state) {
    expect_failure(state, "go 🚀", -EILSEQ, "U+1F680 '🚀'");
    expect_failure(state, "中", -EILSEQ, "U+4E2D '中'");
    expect_failure(state, "tab\there", -EILSEQ, "U+0009");
    expect_failure(state, "abc\xff", -EILSEQ, "byte 3");
    expect_failure(state, "\xC3\x28", -EILSEQ, "byte 0");         /* bad continuation */
    expect_failure(state, "a\xC0\xAF", -EILSEQ, "byte 1");        /* overlong '/' */
    expect_failure(state, "a\xED\xA0\x80", -EILSEQ, "byte 1");    /* surrogate */
    expect_failure(state, "ab\xE2\x86", -EILSEQ, "byte 2");       /* truncated → */
    expect_failure(state, "\xF4\x90\x80\x80", -EILSEQ, "byte 0"); /* beyond U+10FFFF */

    avz_error err = {0};
    avz_parts parts;
    avz_text_style zero = {.font_size = 0};
    assert_int_equal(avz_text_layout(*state, "x", &zero, &parts, &err), -EINVAL);

    unsigned missing = 0;
    assert_false(avz_text_covers(*state, "abc\xff", &regular10, &missing));
    assert_int_equal(missing, 0xFFFD);
}

static void test_empty(void **state) {
    avz_parts parts;
    assert_int_equal(layout(state, "", regular10, &parts), 0);
    assert_int_equal(parts.count, 0);
    avz_parts_free(&parts);
    assert_int_equal(layout(state, "  \n ", regular10, &parts), 0);
    assert_int_equal(parts.count, 0);
    avz_parts_free(&parts);
}

/* ---- against the original's frames ---- */

static void fill_parts(cairo_t *cr, const avz_parts *parts) {
    for (size_t i = 0; i < parts->count; i++) {
        const avz_path *path = &parts->items[i];
        for (size_t k = 0; k < path->count; k++) {
            const avz_seg *s = &path->segs[k];
            double x[3], y[3];
            for (int j = 0; j < 3; j++) {
                x[j] = 960 + s->p[j].x * PX_PER_UNIT;
                y[j] = 540 - s->p[j].y * PX_PER_UNIT;
            }
            switch (s->kind) {
            case AVZ_SEG_MOVE:
                cairo_move_to(cr, x[0], y[0]);
                break;
            case AVZ_SEG_LINE:
                cairo_line_to(cr, x[0], y[0]);
                break;
            case AVZ_SEG_CUBIC:
                cairo_curve_to(cr, x[0], y[0], x[1], y[1], x[2], y[2]);
                break;
            case AVZ_SEG_CLOSE:
                cairo_close_path(cr);
                break;
            }
        }
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_fill(cr);
}

/* Pixels whose brightest channel exceeds 60, the threshold the reference was measured with. */
static void ink_box(cairo_surface_t *s, int box[4]) {
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    box[0] = box[1] = 1 << 30;
    box[2] = box[3] = -1;
    for (int y = 0; y < cairo_image_surface_get_height(s); y++) {
        for (int x = 0; x < cairo_image_surface_get_width(s); x++) {
            uint32_t px;
            memcpy(&px, data + (size_t)y * stride + 4 * x, 4);
            unsigned r = px >> 16 & 255, g = px >> 8 & 255, b = px & 255;
            if (r > 60 || g > 60 || b > 60) {
                box[0] = x < box[0] ? x : box[0];
                box[1] = y < box[1] ? y : box[1];
                box[2] = x > box[2] ? x : box[2];
                box[3] = y > box[3] ? y : box[3];
            }
        }
    }
}

/* Renders a title as the original does (Text(..., color=BLUE).to_edge(UP, buff=0.35)) and
 * compares its ink box, inclusive pixels, with the one measured on the reference frame. */
static void check_title(void **state, const char *text, double font_size, const int want[4],
                        const char *png) {
    avz_parts parts;
    assert_int_equal(layout(state, text, (avz_text_style){.font_size = font_size}, &parts), 0);
    avz_parts_translate(&parts, (avz_vec2){0, 4 - 0.35 - avz_parts_bbox(&parts).y1});

    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1920, 1080);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, AVZ_BLUE.r, AVZ_BLUE.g, AVZ_BLUE.b);
    fill_parts(cr, &parts);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", out_dir(), png);
    assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);

    int got[4];
    ink_box(s, got);
    print_message("%s: ink x %d..%d y %d..%d, reference x %d..%d y %d..%d\n", png, got[0], got[2],
                  got[1], got[3], want[0], want[2], want[1], want[3]);
    for (int i = 0; i < 4; i++)
        assert_in_range(got[i], want[i] - 3, want[i] + 3);
    cairo_surface_destroy(s);
    avz_parts_free(&parts);
}

static void test_reference_titles(void **state) {
    /* t009.10_gqa-diagram.png */
    check_title(state, TITLE, 42, (const int[4]){444, 47, 1475, 118}, "text_title_gqa.png");
    /* size 34: t037.00_sdpa-formula-four-steps.png, t044.80_heatmap-before-mask.png,
     * t071.20_gen-step3-distribution-kvcache.png */
    check_title(state, "Scaled Dot-Product Attention", 34, (const int[4]){575, 47, 1344, 91},
                "text_title_sdpa.png");
    check_title(state, "Attention Score Heatmap", 34, (const int[4]){635, 47, 1284, 102},
                "text_title_heatmap.png");
    check_title(state, "Auto-regressive Generation", 34, (const int[4]){600, 47, 1319, 102},
                "text_title_generation.png");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_dir),
        cmocka_unit_test(test_missing_dir),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_corrupt_file),
        cmocka_unit_test(test_truncated_file),
        cmocka_unit_test(test_label_check),
        cmocka_unit_test(test_faces),
        cmocka_unit_test(test_glyph_path),
        cmocka_unit_test(test_title),
        cmocka_unit_test(test_two_lines),
        cmocka_unit_test(test_line_pitch_and_blank_lines),
        cmocka_unit_test(test_center_align),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_bold_and_italic_faces),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_reference_titles),
    };
    return cmocka_run_group_tests(tests, open_fonts, close_fonts);
}
