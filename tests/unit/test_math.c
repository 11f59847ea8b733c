/* Formula engine tests: layout against Latin Modern Math's own MATH numbers, parser errors,
 * every formula the scenes use, and the SDPA formula against the original's LaTeX rendering.
 *
 * At font_size 96 one em is one scene unit (AVZ_MATH_EM_PER_FONT_SIZE), so font numbers
 * divided by units-per-em compare directly with path coordinates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cairo.h>
#include <errno.h>
#include <hb-ot.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attnviz/math.h"
#include "fonts_internal.h"

#define EM_FS 96.0 /* font_size at which one em is one scene unit */
#define EPS 1e-9
/* Outline bounds against harfbuzz's glyph extents: curves and rounding differ by a unit. */
#define INK_EPS 2e-3

/* cmocka 1.1's assert_float_equal works in float; these checks need double. */
#define assert_near(a, b, eps) check_near((a), (b), (eps), #a, __FILE__, __LINE__)

static void check_near(double a, double b, double eps, const char *what, const char *file,
                       int line) {
    if (!(fabs(a - b) <= eps)) {
        print_error("%s = %.9g, expected %.9g (within %g)\n", what, a, b, eps);
        _fail(file, line);
    }
}

static avz_fonts *fonts;
static hb_font_t *hb;
static double upem;
static char out_dir[1024];

static int setup(void **state) {
    (void)state;
    avz_error err = {0};
    if (avz_fonts_open_default(&fonts, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    const avz_face *face = avz_fonts_face(fonts, AVZ_FACE_MATH);
    hb = avz_face_hb(face);
    upem = avz_face_upem(face);
    const char *env = getenv("AVZ_TEST_OUT");
    snprintf(out_dir, sizeof out_dir, "%s/math", env && *env ? env : "test_out");
    for (char *p = out_dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(out_dir, 0777);
            *p = '/';
        }
    }
    mkdir(out_dir, 0777);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    avz_fonts_close(fonts);
    return 0;
}

/* ---- helpers ---- */

static double konst(hb_ot_math_constant_t c) {
    return hb_ot_math_get_constant(hb, c) / upem;
}

static double script_scale(void) {
    return konst(HB_OT_MATH_CONSTANT_SCRIPT_PERCENT_SCALE_DOWN) * upem / 100.0;
}

/* The glyph for cp, in its first script form (ssty=1) when script is set. */
static unsigned glyph_of(uint32_t cp, bool script) {
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_codepoints(buf, &cp, 1, 0, 1);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, HB_SCRIPT_MATH);
    hb_feature_t ssty = {HB_TAG('s', 's', 't', 'y'), 1, 0, (unsigned)-1};
    hb_shape(hb, buf, &ssty, script ? 1 : 0);
    unsigned gid = hb_buffer_get_glyph_infos(buf, NULL)[0].codepoint;
    hb_buffer_destroy(buf);
    return gid;
}

static hb_glyph_extents_t extents(unsigned gid) {
    hb_glyph_extents_t e = {0};
    hb_font_get_glyph_extents(hb, gid, &e);
    return e;
}

static void lay(const char *tex, double font_size, avz_parts *parts) {
    avz_error err = {0};
    int rc = avz_math_layout(fonts, tex, font_size, parts, &err);
    if (rc < 0)
        fail_msg("%s: %s", tex, err.msg);
}

static avz_bbox part_box(const avz_parts *parts, size_t i) {
    assert_true(i < parts->count);
    return avz_path_bbox(&parts->items[i]);
}

/* The x of a glyph part's origin, from its ink and the glyph's left bearing. */
static double origin_x(const avz_parts *parts, size_t i, unsigned gid, double size) {
    return part_box(parts, i).x0 - extents(gid).x_bearing / upem * size;
}

static void expect_error_code(const char *tex, int code, const char *message) {
    avz_parts parts = {0};
    avz_error err = {0};
    int rc = avz_math_layout(fonts, tex, 36, &parts, &err);
    if (rc != code || !strstr(err.msg, message))
        fail_msg("\"%s\": got %d \"%s\", expected %d \"%s\"", tex, rc, err.msg, code, message);
    assert_int_equal(parts.count, 0);
}

static void expect_error(const char *tex, const char *message) {
    expect_error_code(tex, -EINVAL, message);
}

/* ---- layout against the font's numbers ---- */

/* Digits sit exactly on the baseline, so their ink bottom is the baseline. */
static void test_fraction_bar_on_axis(void **state) {
    (void)state;
    avz_parts p = {0};
    lay("2\\frac{2}{2}", EM_FS, &p);
    assert_int_equal(p.count, 4); /* 2, numerator, bar, denominator */
    double baseline = part_box(&p, 0).y0;
    avz_bbox bar = part_box(&p, 2);
    assert_near((bar.y0 + bar.y1) / 2 - baseline, konst(HB_OT_MATH_CONSTANT_AXIS_HEIGHT), EPS);
    assert_near(bar.y1 - bar.y0, konst(HB_OT_MATH_CONSTANT_FRACTION_RULE_THICKNESS), EPS);
    /* The top level is display style, as in MathTex's align*. */
    assert_near(part_box(&p, 1).y0 - baseline,
                konst(HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_DISPLAY_STYLE_SHIFT_UP), EPS);
    assert_near(baseline - part_box(&p, 3).y0,
                konst(HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_DISPLAY_STYLE_SHIFT_DOWN), EPS);
    /* Numerator and denominator of a display fraction are full size. */
    assert_near(avz_bbox_height(part_box(&p, 1)), avz_bbox_height(part_box(&p, 0)), EPS);
    avz_parts_free(&p);
}

static void test_script_shifts_and_size(void **state) {
    (void)state;
    avz_parts p = {0};
    lay("2^2", EM_FS, &p);
    assert_int_equal(p.count, 2);
    assert_near(part_box(&p, 1).y0 - part_box(&p, 0).y0,
                konst(HB_OT_MATH_CONSTANT_SUPERSCRIPT_SHIFT_UP), EPS);
    /* Scripts use the ssty form, scaled by ScriptPercentScaleDown. */
    unsigned two = glyph_of('2', true);
    assert_int_not_equal(two, glyph_of('2', false));
    hb_glyph_extents_t e = extents(two);
    assert_near(avz_bbox_height(part_box(&p, 1)), -e.height / upem * script_scale(), INK_EPS);
    assert_near(avz_bbox_width(part_box(&p, 1)), e.width / upem * script_scale(), INK_EPS);
    avz_parts_free(&p);

    /* A lone subscript drops by TeX's sub1 (0.15 em), as LaTeX's do in the original. */
    lay("2_2", EM_FS, &p);
    assert_near(part_box(&p, 0).y0 - part_box(&p, 1).y0, 0.15, EPS);
    avz_parts_free(&p);

    /* Under a superscript, by SubscriptShiftDown at least, leaving SubSuperscriptGapMin. */
    lay("2_2^2", EM_FS, &p);
    assert_true(part_box(&p, 0).y0 - part_box(&p, 2).y0 >=
                konst(HB_OT_MATH_CONSTANT_SUBSCRIPT_SHIFT_DOWN) - EPS);
    assert_true(part_box(&p, 1).y0 - part_box(&p, 0).y0 >=
                konst(HB_OT_MATH_CONSTANT_SUPERSCRIPT_SHIFT_UP) - EPS);
    double gap = part_box(&p, 1).y0 - part_box(&p, 2).y1;
    assert_true(gap >= konst(HB_OT_MATH_CONSTANT_SUB_SUPERSCRIPT_GAP_MIN) - EPS);
    avz_parts_free(&p);
}

/* A superscript clears the italic overhang of K; a subscript tucks under it. */
static void test_italic_correction(void **state) {
    (void)state;
    unsigned k = glyph_of(0x1D43E, false), two = glyph_of('2', true);
    double advance = hb_font_get_glyph_h_advance(hb, k) / upem;
    double italic = hb_ot_math_get_glyph_italics_correction(hb, k) / upem;
    assert_true(italic > 0);
    avz_parts p = {0};
    lay("K^2", EM_FS, &p);
    assert_near(origin_x(&p, 1, two, script_scale()) - origin_x(&p, 0, k, 1), advance + italic,
                INK_EPS);
    avz_parts_free(&p);
    lay("K_2", EM_FS, &p);
    assert_near(origin_x(&p, 1, two, script_scale()) - origin_x(&p, 0, k, 1), advance, INK_EPS);
    avz_parts_free(&p);
}

/* Medium space around a binary operator, none in scripts; \! cancels the thin space TeX puts
 * between an operator name and a \left group. */
static void test_atom_spacing(void **state) {
    (void)state;
    unsigned two = glyph_of('2', false), plus = glyph_of('+', false);
    double two_adv = hb_font_get_glyph_h_advance(hb, two) / upem;
    avz_parts p = {0};
    lay("2+2", EM_FS, &p);
    assert_near(origin_x(&p, 1, plus, 1) - origin_x(&p, 0, two, 1), two_adv + 4.0 / 18, INK_EPS);
    avz_parts_free(&p);

    unsigned two_s = glyph_of('2', true), plus_s = glyph_of('+', true);
    double two_s_adv = hb_font_get_glyph_h_advance(hb, two_s) / upem * script_scale();
    lay("2^{2+2}", EM_FS, &p);
    assert_near(origin_x(&p, 2, plus_s, script_scale()) - origin_x(&p, 1, two_s, script_scale()),
                two_s_adv, INK_EPS);
    avz_parts_free(&p);

    avz_parts tight = {0};
    lay("\\operatorname{a}\\!\\left(2\\right)", EM_FS, &p);
    lay("\\operatorname{a}\\mathopen{(}2\\mathclose{)}", EM_FS, &tight);
    assert_near(avz_bbox_width(avz_parts_bbox(&p)), avz_bbox_width(avz_parts_bbox(&tight)), EPS);
    avz_parts_free(&p);
    avz_parts_free(&tight);
}

/* The radical sign covers radicand, gap and rule; a taller radicand picks a taller variant
 * and past the largest one the font's assembly. The overbar joins the sign's top. */
static void test_radical_grows(void **state) {
    (void)state;
    const char *radicands[] = {
        "\\sqrt{2}",
        "\\sqrt{\\frac{2}{2}}",
        "\\sqrt{\\frac{\\frac{2}{2}}{\\frac{2}{2}}}",
        "\\sqrt{\\frac{\\frac{\\frac{2}{2}}{\\frac{2}{2}}}{\\frac{\\frac{2}{2}}{\\frac{2}{2}}}}",
    };
    double rule = konst(HB_OT_MATH_CONSTANT_RADICAL_RULE_THICKNESS);
    double gap = konst(HB_OT_MATH_CONSTANT_RADICAL_DISPLAY_STYLE_VERTICAL_GAP);
    double largest = 0, prev = 0;
    hb_ot_math_glyph_variant_t variants[16];
    unsigned n = 16;
    hb_ot_math_get_glyph_variants(hb, glyph_of(0x221A, false), HB_DIRECTION_BTT, 0, &n, variants);
    for (unsigned i = 0; i < n; i++)
        largest = fmax(largest, variants[i].advance / upem);
    for (size_t r = 0; r < sizeof radicands / sizeof *radicands; r++) {
        avz_parts p = {0};
        lay(radicands[r], EM_FS, &p);
        avz_bbox sign = part_box(&p, 0), bar = part_box(&p, 1);
        avz_bbox body = avz_bbox_empty();
        for (size_t i = 2; i < p.count; i++)
            body = avz_bbox_union(body, part_box(&p, i));
        double height = avz_bbox_height(sign);
        assert_true(height > prev);
        assert_true(height >= avz_bbox_height(body) + gap + rule - INK_EPS);
        assert_near(bar.y1 - bar.y0, rule, EPS);
        assert_near(bar.y1, sign.y1, INK_EPS);
        assert_true(bar.y0 - body.y1 >= gap - EPS);
        prev = height;
        if (r == 3)
            assert_true(height > largest); /* built from the assembly */
        avz_parts_free(&p);
    }
}

/* \left( \right) stay at the base size around small content and grow, centred on the axis,
 * to cover 90.1% of tall content (TeX's \delimiterfactor). */
static void test_delimiters_grow(void **state) {
    (void)state;
    double axis = konst(HB_OT_MATH_CONSTANT_AXIS_HEIGHT);
    avz_parts p = {0};
    lay("\\left(2\\right)", EM_FS, &p);
    hb_glyph_extents_t paren = extents(glyph_of('(', false));
    assert_near(avz_bbox_height(part_box(&p, 0)), -paren.height / upem, INK_EPS);
    avz_parts_free(&p);

    lay("2\\left(\\frac{\\frac{2}{2}}{2}\\right)", EM_FS, &p);
    double baseline = part_box(&p, 0).y0;
    avz_bbox left = part_box(&p, 1), right = part_box(&p, p.count - 1);
    avz_bbox body = avz_bbox_empty();
    for (size_t i = 2; i + 1 < p.count; i++)
        body = avz_bbox_union(body, part_box(&p, i));
    double half = fmax(body.y1 - baseline - axis, baseline + axis - body.y0);
    assert_true(avz_bbox_height(left) >= 2 * half * 0.901 - INK_EPS);
    assert_near((left.y0 + left.y1) / 2 - baseline, axis, INK_EPS);
    assert_near(avz_bbox_height(right), avz_bbox_height(left), INK_EPS);
    avz_parts_free(&p);
}

/* A large operator in display style is enlarged and takes its limits below. */
static void test_large_operator_limits(void **state) {
    (void)state;
    avz_parts p = {0};
    lay("\\sum_j a_{ij} = 1", EM_FS, &p);
    avz_bbox sum = part_box(&p, 0), j = part_box(&p, 1);
    assert_true(avz_bbox_height(sum) >=
                konst(HB_OT_MATH_CONSTANT_DISPLAY_OPERATOR_MIN_HEIGHT) - INK_EPS);
    assert_true(j.y1 <= sum.y0 - konst(HB_OT_MATH_CONSTANT_LOWER_LIMIT_GAP_MIN) + EPS);
    assert_true(j.x0 > sum.x0 && j.x1 < sum.x1);
    avz_parts_free(&p);
}

/* ---- parser errors ---- */

static void test_errors(void **state) {
    (void)state;
    expect_error("x = \\foo", "unsupported command \\foo at 4");
    expect_error("\\frac{a}{b", "'{' at 8 is never closed");
    expect_error("a}", "stray '}' at 1");
    expect_error("\\left( a", "\\left at 0 has no matching \\right");
    expect_error("{\\left( a}", "\\left at 1 has no matching \\right");
    expect_error("a \\right)", "\\right at 2 without \\left");
    expect_error("\\left{ a \\right)", "\\left at 0 needs a delimiter");
    expect_error("", "empty formula");
    expect_error("  ", "empty formula");
    expect_error("{}", "formula draws nothing");
    expect_error("\\frac{a}", "missing argument for \\frac at 0");
    expect_error("x^", "missing argument for ^ at 1");
    expect_error("x^a^b", "double superscript at 3");
    expect_error("\\sqrt[3]{x}", "\\sqrt at 0: a root index");
    expect_error("a @ b", "unsupported character '@' at 2");
    expect_error("\\text{ok \\bf}", "unsupported command \\bf at 9 inside \\text");
    expect_error("\\operatorname{a-b}", "takes letters and digits only, not '-' at 15");
    expect_error("\\text{a \xe4\xb8\xad}", "U+4E2D at 8 is not in the math font");
    expect_error_code("\\text{a \xff}", -EILSEQ, "invalid UTF-8 at 8");
    expect_error("\\alpha \xce\xb1", "unsupported non-ASCII character at 7");
}

/* ---- the scenes' formulas ---- */

static void test_scene_formulas(void **state) {
    (void)state;
    static const struct {
        const char *tex;
        double size;
    } formulas[] = {
        {"\\operatorname{Attention}(Q,K,V)=\\operatorname{softmax}\\!\\left(\\frac{QK^\\top}"
         "{\\sqrt{d_k}}\\right)\\!V",
         36},
        {"\\text{(1) } S = QK^\\top", 26},
        {"\\text{(2) } S \\mathbin{/} \\sqrt{d_k}", 26},
        {"\\text{(3) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)", 26},
        {"\\text{(4) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right) \\cdot "
         "V",
         26},
        {"\\frac{1}{\\sqrt{d_k}}", 30},
        {"QK^\\top", 30},
        {"\\operatorname{softmax}\\left(\\frac{QK^\\top}{\\sqrt{d_k}}\\right)V", 30},
        {"W_Q", 30},
        {"W^Q", 30},
        {"d_k = 4", 30},
        {"\\sum_j a_{ij} = 1", 30},
        {"\\alpha_{ij} \\times \\Omega \\quad x \\, y \\; z \\mathrm{d}x [a] : b", 30},
    };
    for (size_t i = 0; i < sizeof formulas / sizeof *formulas; i++) {
        avz_parts p = {0};
        lay(formulas[i].tex, formulas[i].size, &p);
        assert_true(p.count > 0);
        avz_bbox ink = avz_parts_bbox(&p);
        avz_vec2 c = avz_bbox_center(ink);
        assert_near(c.x, 0, 1e-9);
        assert_near(c.y, 0, 1e-9);
        avz_parts_free(&p);
    }
}

/* ---- against the original's LaTeX rendering ---- */

/* The reference crop: t037.00_sdpa-formula-four-steps.png, 1000x160 from (460, 140), the
 * formula that ManimCE 0.19 rendered with LaTeX at font_size 36. 1 unit = 135 px at 1080p. */
#define REF_PATH AVZ_SOURCE_DIR "/tests/ref/math/t037_sdpa_formula.png"
#define REF_X 460
#define REF_Y 140
#define PX_PER_UNIT 135.0
#define INK_THRESHOLD 64 /* brightest channel, out of 255 */
/* Anti-aliasing and LaTeX's Computer Modern against Latin Modern's outlines. */
#define BOX_TOLERANCE_PX 4
/* Glyph by glyph: Latin Modern Math lacks Computer Modern's few kerns (A-t in cmr10, K-comma
 * in cmmi10) and its wider 7 pt symbols (the script ⊤), which moves glyphs by up to 4 px. */
#define NEAR_PX 4
#define NEAR_SHARE 0.95

typedef struct ink_box {
    int x0, y0, x1, y1; /* inclusive pixel rows and columns */
} ink_box;

static bool is_ink(const unsigned char *data, int stride, int x, int y) {
    uint32_t px = *(const uint32_t *)(data + (size_t)y * stride + (size_t)x * 4);
    unsigned r = px >> 16 & 255, g = px >> 8 & 255, b = px & 255;
    return r >= INK_THRESHOLD || g >= INK_THRESHOLD || b >= INK_THRESHOLD;
}

static ink_box find_ink(cairo_surface_t *s) {
    cairo_surface_flush(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    ink_box box = {INT32_MAX, INT32_MAX, -1, -1};
    for (int y = 0; y < cairo_image_surface_get_height(s); y++) {
        for (int x = 0; x < cairo_image_surface_get_width(s); x++) {
            if (!is_ink(data, stride, x, y))
                continue;
            box.x0 = x < box.x0 ? x : box.x0;
            box.x1 = x > box.x1 ? x : box.x1;
            box.y0 = y < box.y0 ? y : box.y0;
            box.y1 = y > box.y1 ? y : box.y1;
        }
    }
    return box;
}

static void fill_parts(cairo_t *cr, const avz_parts *parts) {
    for (size_t i = 0; i < parts->count; i++) {
        const avz_path *path = &parts->items[i];
        cairo_new_path(cr);
        for (size_t s = 0; s < path->count; s++) {
            const avz_vec2 *q = path->segs[s].p;
            switch (path->segs[s].kind) {
            case AVZ_SEG_MOVE:
                cairo_move_to(cr, q[0].x, q[0].y);
                break;
            case AVZ_SEG_LINE:
                cairo_line_to(cr, q[0].x, q[0].y);
                break;
            case AVZ_SEG_CUBIC:
                cairo_curve_to(cr, q[0].x, q[0].y, q[1].x, q[1].y, q[2].x, q[2].y);
                break;
            case AVZ_SEG_CLOSE:
                cairo_close_path(cr);
                break;
            }
        }
        cairo_fill(cr);
    }
}

/* The reference crop in green and the same area of the render in red: yellow where they
 * agree. */
static cairo_surface_t *overlay(cairo_surface_t *ref, cairo_surface_t *img) {
    int w = cairo_image_surface_get_width(ref), h = cairo_image_surface_get_height(ref);
    cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(img);
    const unsigned char *r = cairo_image_surface_get_data(ref),
                        *a = cairo_image_surface_get_data(img);
    unsigned char *o = cairo_image_surface_get_data(out);
    int rs = cairo_image_surface_get_stride(ref), as = cairo_image_surface_get_stride(img),
        os = cairo_image_surface_get_stride(out);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint32_t ref_px = *(const uint32_t *)(r + (size_t)y * rs + (size_t)x * 4);
            uint32_t img_px =
                *(const uint32_t *)(a + (size_t)(y + REF_Y) * as + (size_t)(x + REF_X) * 4);
            *(uint32_t *)(o + (size_t)y * os + (size_t)x * 4) =
                (img_px & 0xFF0000) | (ref_px & 0x00FF00);
        }
    }
    cairo_surface_mark_dirty(out);
    return out;
}

/* The share of ink pixels of a (within the box at ax, ay) that have ink of b within r pixels
 * (b's box at bx, by). Glyph placement, not anti-aliasing, decides it. */
static double ink_near(cairo_surface_t *a, int ax, int ay, cairo_surface_t *b, int bx, int by,
                       int w, int h, int r) {
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    const unsigned char *ad = cairo_image_surface_get_data(a),
                        *bd = cairo_image_surface_get_data(b);
    int as = cairo_image_surface_get_stride(a), bs = cairo_image_surface_get_stride(b);
    long ink = 0, near = 0;
    for (int y = r; y < h - r; y++) {
        for (int x = r; x < w - r; x++) {
            if (!is_ink(ad, as, x + ax, y + ay))
                continue;
            ink++;
            bool found = false;
            for (int dy = -r; dy <= r && !found; dy++)
                for (int dx = -r; dx <= r && !found; dx++)
                    found = is_ink(bd, bs, x + bx + dx, y + by + dy);
            near += found;
        }
    }
    return ink ? (double)near / ink : 0;
}

static void test_sdpa_matches_reference(void **state) {
    (void)state;
    cairo_surface_t *ref = cairo_image_surface_create_from_png(REF_PATH);
    assert_int_equal(cairo_surface_status(ref), CAIRO_STATUS_SUCCESS);
    ink_box want = find_ink(ref);
    want.x0 += REF_X;
    want.x1 += REF_X;
    want.y0 += REF_Y;
    want.y1 += REF_Y;

    avz_parts p = {0};
    lay("\\operatorname{Attention}(Q,K,V)=\\operatorname{softmax}\\!\\left(\\frac{QK^\\top}"
        "{\\sqrt{d_k}}\\right)\\!V",
        36, &p);
    /* Drawn white on black at 1080p with its ink centred where the reference's is. */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1920, 1080);
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    cairo_translate(cr, (want.x0 + want.x1 + 1) / 2.0, (want.y0 + want.y1 + 1) / 2.0);
    cairo_scale(cr, PX_PER_UNIT, -PX_PER_UNIT);
    cairo_set_source_rgb(cr, 1, 1, 1);
    fill_parts(cr, &p);
    cairo_destroy(cr);
    ink_box got = find_ink(img);

    char path[1100];
    snprintf(path, sizeof path, "%s/sdpa_36.png", out_dir);
    assert_int_equal(cairo_surface_write_to_png(img, path), CAIRO_STATUS_SUCCESS);
    cairo_surface_t *cmp = overlay(ref, img);
    snprintf(path, sizeof path, "%s/sdpa_36_vs_reference.png", out_dir);
    assert_int_equal(cairo_surface_write_to_png(cmp, path), CAIRO_STATUS_SUCCESS);

    int w = cairo_image_surface_get_width(ref), h = cairo_image_surface_get_height(ref);
    double ref_matched = ink_near(ref, 0, 0, img, REF_X, REF_Y, w, h, NEAR_PX);
    double img_matched = ink_near(img, REF_X, REF_Y, ref, 0, 0, w, h, NEAR_PX);
    printf("ink box: reference x %d-%d y %d-%d, attnviz x %d-%d y %d-%d; ink within %d px: "
           "%.1f%% of the reference's, %.1f%% of attnviz's\n",
           want.x0, want.x1, want.y0, want.y1, got.x0, got.x1, got.y0, got.y1, NEAR_PX,
           100 * ref_matched, 100 * img_matched);
    assert_true(abs(got.x0 - want.x0) <= BOX_TOLERANCE_PX);
    assert_true(abs(got.x1 - want.x1) <= BOX_TOLERANCE_PX);
    assert_true(abs(got.y0 - want.y0) <= BOX_TOLERANCE_PX);
    assert_true(abs(got.y1 - want.y1) <= BOX_TOLERANCE_PX);
    assert_true(ref_matched >= NEAR_SHARE);
    assert_true(img_matched >= NEAR_SHARE);

    cairo_surface_destroy(cmp);
    cairo_surface_destroy(img);
    cairo_surface_destroy(ref);
    avz_parts_free(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fraction_bar_on_axis),  cmocka_unit_test(test_script_shifts_and_size),
        cmocka_unit_test(test_italic_correction),     cmocka_unit_test(test_atom_spacing),
        cmocka_unit_test(test_radical_grows),         cmocka_unit_test(test_delimiters_grow),
        cmocka_unit_test(test_large_operator_limits), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_scene_formulas),        cmocka_unit_test(test_sdpa_matches_reference),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
