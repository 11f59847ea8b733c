/* attnviz text layout: UTF-8 text to one path per visible glyph, placed where the original's
 * Text (ManimCE, which lays text out with pango into an SVG) places them.
 * Depends on face (the shipped fonts and their outlines), harfbuzz (shaping) and geom. */
#include "attnviz/text.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fonts_internal.h"
#include "utf8.h"

/* One em is font_size / 72 units: ManimCE asks pango for font_size / 4.8 pt at 96 dpi and
 * scales the SVG it gets by 0.05. */
#define POINTS_PER_UNIT 72.0

/* ManimCE steps lines by 1.3 × font_size / 4.8 SVG pixels, i.e. 1.3 × font_size / 96 units,
 * while the em is font_size / 72 units: the pitch is 1.3 × 72 / 96 = 0.975 em, not 1.3 em.
 * Baseline pitches on the 1080p stills (135 px/unit), measured vs this rule:
 * "Q Projection\n1536 → 24×64" at size 10 (t009.10): 18.3 px vs 18.28;
 * the RoPE caption at size 13 (t012.00): 24 px vs 23.77; the GQA caption at 13 (t016.50): 24
 * vs 23.77. Pango then puts each line's baseline one line ascent below its top. */
#define LINE_PITCH_EM 0.975

/* One pixel of the original's intermediate SVG, in scene units: pango rounds every glyph
 * advance to a whole one. */
#define ORIGINAL_GRID 0.05
/* The rounding is reproduced while that grid is at most 1/8 em (font_size >= 28.8): at title
 * sizes it puts every glyph exactly where the original's is (the size-42 title is 1.5% narrower
 * than its exact advances); at label sizes it is the uneven spacing we deliberately do not copy. */
#define SNAP_MAX_GRID_EM 0.125

/* ---- avz_parts ---- */

int avz_parts_push(avz_parts *parts, avz_path *path) {
    if (!parts || !path)
        return -EINVAL;
    if (parts->count == parts->capacity) {
        size_t cap = parts->capacity ? 2 * parts->capacity : 16;
        avz_path *items = realloc(parts->items, cap * sizeof *items);
        if (!items)
            return -ENOMEM;
        parts->items = items;
        parts->capacity = cap;
    }
    parts->items[parts->count++] = *path;
    *path = (avz_path){0};
    return 0;
}

void avz_parts_free(avz_parts *parts) {
    if (!parts)
        return;
    for (size_t i = 0; i < parts->count; i++)
        avz_path_free(&parts->items[i]);
    free(parts->items);
    *parts = (avz_parts){0};
}

avz_bbox avz_parts_bbox(const avz_parts *parts) {
    avz_bbox box = avz_bbox_empty();
    for (size_t i = 0; parts && i < parts->count; i++)
        box = avz_bbox_union(box, avz_path_bbox(&parts->items[i]));
    return box;
}

void avz_parts_translate(avz_parts *parts, avz_vec2 offset) {
    for (size_t i = 0; parts && i < parts->count; i++)
        avz_path_translate(&parts->items[i], offset);
}

/* ---- characters and faces ---- */

/* attnviz sets every line left to right, as the scenes lay tokens out: a character of a
 * right-to-left script (Hebrew, Arabic, ...) or a bidirectional control would come out in the
 * wrong order, so text holding one is refused. */
static bool needs_right_to_left(uint32_t cp) {
    bool bidi_control = cp == 0x061C || cp == 0x200E || cp == 0x200F ||
                        (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    hb_script_t script = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
    return bidi_control || hb_script_get_horizontal_direction(script) == HB_DIRECTION_RTL;
}

static int refuse_right_to_left(avz_error *err, const char *what, uint32_t cp) {
    return avz_error_set(
        err, -EINVAL, "%s holds U+%04X, right-to-left text; attnviz sets text left to right only",
        what, (unsigned)cp);
}

int avz_label_check(const char *what, const char *utf8, size_t bytes, size_t max_chars,
                    avz_error *err) {
    if (!what)
        what = "a label";
    if (!utf8)
        return avz_error_set(err, -EINVAL, "%s is NULL", what);
    const unsigned char *s = (const unsigned char *)utf8;
    size_t chars = 0, shown = 0; /* shown: bytes of the first max_chars characters */
    for (size_t at = 0; at < bytes; chars++) {
        size_t start = at;
        uint32_t cp;
        if (!avz_utf8_next(s, bytes, &at, &cp))
            return avz_error_set(err, -EINVAL, "%s is not valid UTF-8 (byte %zu)", what, start);
        if (cp < 0x20 || cp == 0x7F)
            return avz_error_set(err, -EINVAL, "%s holds U+%04X, a control character", what,
                                 (unsigned)cp);
        if (needs_right_to_left(cp))
            return refuse_right_to_left(err, what, cp);
        if (chars < max_chars)
            shown = at;
    }
    if (chars > max_chars)
        return avz_error_set(err, -EINVAL, "%s: \"%.*s...\" has %zu characters; at most %zu fit",
                             what, (int)shown, utf8, chars, max_chars);
    return 0;
}

typedef struct face_chain {
    const avz_face_id *ids;
    size_t count;
} face_chain;

#define CHAIN(ids) ((face_chain){ids, sizeof ids / sizeof ids[0]})

/* The faces a style draws with, in order of preference: the serif face of the style, then
 * DejaVu Sans for symbols Liberation lacks (as the original's fontconfig fell back), then Latin
 * Modern Math for mathematical characters. */
static face_chain style_chain(const avz_text_style *style) {
    static const avz_face_id regular[] = {AVZ_FACE_SERIF, AVZ_FACE_SYMBOL, AVZ_FACE_MATH};
    static const avz_face_id bold[] = {AVZ_FACE_SERIF_BOLD, AVZ_FACE_SYMBOL_BOLD, AVZ_FACE_SYMBOL,
                                       AVZ_FACE_MATH};
    static const avz_face_id italic[] = {AVZ_FACE_SERIF_ITALIC, AVZ_FACE_SERIF, AVZ_FACE_SYMBOL,
                                         AVZ_FACE_MATH};
    static const avz_face_id bold_italic[] = {AVZ_FACE_SERIF_BOLD_ITALIC, AVZ_FACE_SERIF_BOLD,
                                              AVZ_FACE_SYMBOL_BOLD, AVZ_FACE_SYMBOL, AVZ_FACE_MATH};
    if (style->bold && style->italic)
        return CHAIN(bold_italic);
    if (style->bold)
        return CHAIN(bold);
    if (style->italic)
        return CHAIN(italic);
    return CHAIN(regular);
}

/* The first face of the chain with a glyph for cp, or NULL. */
static const avz_face *chain_face(const avz_fonts *fonts, face_chain chain, uint32_t cp) {
    for (size_t i = 0; i < chain.count; i++) {
        const avz_face *face = avz_fonts_face(fonts, chain.ids[i]);
        hb_codepoint_t gid;
        if (hb_font_get_nominal_glyph(avz_face_hb(face), cp, &gid))
            return face;
    }
    return NULL;
}

/* ---- layout ---- */

typedef struct layout {
    const avz_fonts *fonts;
    face_chain chain;
    avz_text_align align;
    double em; /* scene units */
    bool snap; /* round advances to the original's grid */
    hb_buffer_t *buf;
    avz_parts parts;
    double first_baseline; /* y of the first line's baseline */
} layout;

/* A harfbuzz position of this face in scene units, on the original's grid when snapping. */
static double scene_units(const layout *l, hb_position_t v, const avz_face *face) {
    double u = v * l->em / avz_face_upem(face);
    return l->snap ? floor(u / ORIGINAL_GRID + 0.5) * ORIGINAL_GRID : u;
}

static double face_ascent(const layout *l, const avz_face *face) {
    hb_font_extents_t ext;
    hb_font_get_h_extents(avz_face_hb(face), &ext);
    return ext.ascender * l->em / avz_face_upem(face);
}

/* Shapes line[off, off + len) with one face (the whole line is the shaping context) and
 * appends its visible glyphs on the baseline y = 0, starting at *pen_x. */
static int shape_run(layout *l, const avz_face *face, const char *line, size_t line_len, size_t off,
                     size_t len, double *pen_x, avz_error *err) {
    hb_buffer_clear_contents(l->buf);
    hb_buffer_add_utf8(l->buf, line, (int)line_len, (unsigned)off, (int)len);
    hb_buffer_set_direction(l->buf, HB_DIRECTION_LTR);
    /* fixed, so that the locale of the machine cannot change the shaping */
    hb_buffer_set_language(l->buf, hb_language_from_string("en", -1));
    hb_buffer_guess_segment_properties(l->buf);
    hb_shape(avz_face_hb(face), l->buf, NULL, 0);
    if (!hb_buffer_allocation_successful(l->buf))
        return avz_error_set(err, -ENOMEM, "out of memory shaping text");

    unsigned n;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(l->buf, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(l->buf, &n);
    for (unsigned i = 0; i < n; i++) {
        avz_vec2 origin = {*pen_x + scene_units(l, pos[i].x_offset, face),
                           scene_units(l, pos[i].y_offset, face)};
        avz_path path = {0};
        int rc = avz_face_glyph_path(face, info[i].codepoint, l->em, origin, &path);
        if (rc == 0 && path.count > 0)
            rc = avz_parts_push(&l->parts, &path);
        avz_path_free(&path);
        if (rc < 0)
            return avz_error_set(err, rc, "cannot load the outline of glyph %u for \"%.*s\"",
                                 info[i].codepoint, (int)line_len, line);
        *pen_x += scene_units(l, pos[i].x_advance, face);
    }
    return 0;
}

/* Lays out line `index` (no '\n' inside): runs of characters split by the face that draws
 * them, then the line moved to its baseline and aligned. */
static int layout_line(layout *l, const char *line, size_t len, int index, avz_error *err) {
    const unsigned char *s = (const unsigned char *)line;
    size_t first = l->parts.count;
    double pen_x = 0;
    double ascent = 0; /* the line's, as pango's: the tallest ascent of the faces it uses */
    size_t run_start = 0, at = 0;
    const avz_face *run_face = NULL;
    while (run_start < len) {
        const avz_face *face = NULL;
        size_t next = at;
        if (at < len) {
            uint32_t cp;
            avz_utf8_next(s, len, &next, &cp); /* already validated */
            if (needs_right_to_left(cp))
                return refuse_right_to_left(err, "the text", cp);
            face = chain_face(l->fonts, l->chain, cp);
            if (!face) {
                bool printable = cp >= 0x20 && cp != 0x7F;
                return avz_error_set(err, -EILSEQ, "no shipped font has U+%04X%s%.*s%s",
                                     (unsigned)cp, printable ? " '" : "",
                                     printable ? (int)(next - at) : 0, line + at,
                                     printable ? "'" : "");
            }
        }
        if (at > run_start && face != run_face) {
            int rc = shape_run(l, run_face, line, len, run_start, at - run_start, &pen_x, err);
            if (rc < 0)
                return rc;
            ascent = fmax(ascent, face_ascent(l, run_face));
            run_start = at;
        }
        run_face = face;
        at = next;
    }
    if (len == 0)
        ascent = face_ascent(l, avz_fonts_face(l->fonts, l->chain.ids[0]));

    double dx = l->align == AVZ_ALIGN_CENTER ? -pen_x / 2 : 0;
    double baseline = -index * LINE_PITCH_EM * l->em - ascent;
    if (index == 0)
        l->first_baseline = baseline;
    for (size_t i = first; i < l->parts.count; i++)
        avz_path_translate(&l->parts.items[i], (avz_vec2){dx, baseline});
    return 0;
}

/* Lays the text out with its first line's top at y = 0 and pens starting at x = 0 (centred
 * lines centred on x = 0); *baseline gets the first line's baseline. *out is overwritten, not
 * appended to; it is left empty on failure. */
static int layout_text(const char *fn, const avz_fonts *fonts, const char *utf8,
                       const avz_text_style *style, avz_parts *out, double *baseline,
                       avz_error *err) {
    if (!out)
        return avz_error_set(err, -EINVAL, "%s: out is NULL", fn);
    *out = (avz_parts){0};
    if (!fonts || !utf8 || !style)
        return avz_error_set(err, -EINVAL, "%s: %s is NULL", fn,
                             !fonts  ? "fonts"
                             : !utf8 ? "utf8"
                                     : "style");
    if (!(style->font_size > 0) || !isfinite(style->font_size))
        return avz_error_set(err, -EINVAL, "font size must be a positive number, got %g",
                             style->font_size);
    size_t len = strlen(utf8);
    for (size_t at = 0; at < len;) {
        size_t start = at;
        uint32_t cp;
        if (!avz_utf8_next((const unsigned char *)utf8, len, &at, &cp))
            return avz_error_set(err, -EILSEQ, "invalid UTF-8 at byte %zu of the text", start);
    }

    layout l = {
        .fonts = fonts,
        .chain = style_chain(style),
        .align = style->align,
        .em = style->font_size / POINTS_PER_UNIT,
        .buf = hb_buffer_create(),
    };
    l.snap = ORIGINAL_GRID <= SNAP_MAX_GRID_EM * l.em;
    if (!hb_buffer_allocation_successful(l.buf)) {
        hb_buffer_destroy(l.buf);
        return avz_error_set(err, -ENOMEM, "out of memory shaping text");
    }
    int rc = 0;
    const char *line = utf8;
    for (int index = 0; rc == 0; index++) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        rc = layout_line(&l, line, n, index, err);
        if (!nl)
            break;
        line = nl + 1;
    }
    hb_buffer_destroy(l.buf);
    if (rc < 0) {
        avz_parts_free(&l.parts);
        return rc;
    }
    *out = l.parts;
    *baseline = l.first_baseline;
    return 0;
}

int avz_text_layout(const avz_fonts *fonts, const char *utf8, const avz_text_style *style,
                    avz_parts *out, avz_error *err) {
    double baseline;
    int rc = layout_text("avz_text_layout", fonts, utf8, style, out, &baseline, err);
    /* the original positions Text by its ink, so centre the ink box, not the line box */
    avz_bbox box = avz_parts_bbox(out);
    if (rc == 0 && !avz_bbox_is_empty(box)) {
        avz_vec2 c = avz_bbox_center(box);
        avz_parts_translate(out, (avz_vec2){-c.x, -c.y});
    }
    return rc;
}

/* The top of a capital H above the baseline, in the style's first face. */
static double cap_height(const avz_fonts *fonts, const avz_text_style *style) {
    const avz_face *face = avz_fonts_face(fonts, style_chain(style).ids[0]);
    hb_codepoint_t gid;
    hb_glyph_extents_t ext;
    if (!hb_font_get_nominal_glyph(avz_face_hb(face), 'H', &gid) ||
        !hb_font_get_glyph_extents(avz_face_hb(face), gid, &ext))
        return 0;
    return ext.y_bearing * (style->font_size / POINTS_PER_UNIT) / avz_face_upem(face);
}

int avz_text_layout_on_baseline(const avz_fonts *fonts, const char *utf8,
                                const avz_text_style *style, avz_parts *out,
                                avz_text_metrics *metrics, avz_error *err) {
    double baseline;
    int rc = layout_text("avz_text_layout_on_baseline", fonts, utf8, style, out, &baseline, err);
    if (rc)
        return rc;
    avz_parts_translate(out, (avz_vec2){0, -baseline});
    if (metrics) {
        avz_bbox box = avz_parts_bbox(out);
        bool ink = !avz_bbox_is_empty(box);
        *metrics = (avz_text_metrics){.left = ink ? box.x0 : 0,
                                      .width = ink ? avz_bbox_width(box) : 0,
                                      .ascent = ink ? box.y1 : 0,
                                      .descent = ink ? -box.y0 : 0,
                                      .cap_height = cap_height(fonts, style)};
    }
    return 0;
}

bool avz_text_covers(const avz_fonts *fonts, const char *utf8, const avz_text_style *style,
                     unsigned *missing) {
    if (!fonts || !utf8 || !style)
        return false;
    face_chain chain = style_chain(style);
    const unsigned char *s = (const unsigned char *)utf8;
    size_t len = strlen(utf8);
    for (size_t at = 0; at < len;) {
        uint32_t cp;
        if (!avz_utf8_next(s, len, &at, &cp)) {
            if (missing)
                *missing = 0xFFFD; /* malformed input: the replacement character stands for it */
            return false;
        }
        if (cp != '\n' && !chain_face(fonts, chain, cp)) {
            if (missing)
                *missing = cp;
            return false;
        }
    }
    return true;
}
