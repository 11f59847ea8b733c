/* attnviz formula layout: the math list tree to positioned glyphs and rules, then to paths.
 *
 * TeX's rules (The TeXbook, appendix G) with the OpenType MATH constants of Latin Modern Math
 * in place of TeX's font parameters, as XeTeX and LuaTeX do. Depends on math_tree.h (the
 * parser), fonts_internal.h (harfbuzz font and glyph outlines) and geom.h. Lengths are in ems of
 * the base size until the final conversion to scene units. */
#include "attnviz/math.h"

#include <hb-ot.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fonts_internal.h"
#include "math_tree.h"
#include "utf8.h"

/* TeX's \nulldelimiterspace (1.2 pt at 10 pt): an empty slot each side of a fraction. */
#define NULL_DELIMITER_SPACE 0.12
/* TeX's \delimiterfactor 901 and \delimitershortfall 5 pt: how much of the content a grown
 * delimiter must cover. */
#define DELIMITER_FACTOR 0.901
#define DELIMITER_SHORTFALL 0.5
/* More parts than any font's assembly has; a longer one is refused rather than cut. */
#define MAX_PARTS 16
/* Extender repeats past any sensible height (hundreds of ems), so a font whose extender
 * adds nothing cannot loop forever. */
#define MAX_REPEATS 1000
/* TeX's sub1 (0.15 em in Computer Modern): how far a subscript without a superscript drops.
 * The MATH table has only SubscriptShiftDown, which Latin Modern sets to TeX's sub2 (0.247 em,
 * for a subscript under a superscript); LaTeX's d_k in the original has k 0.15 em down. */
#define LONE_SUBSCRIPT_SHIFT 0.15

/* The delimiter sizes, in ems, that LaTeX's Computer Modern has past the text size: cmex10's
 * \big, \Big, \bigg and \Bigg. Latin Modern Math adds sizes in between (1.1, 1.45, 2.1 em)
 * that the original never shows; \left..\right keeps to these, as LaTeX's did. */
static const double tex_delimiter_sizes[] = {1.2, 1.8, 2.4, 3.0};

typedef struct item {
    bool rule;
    bool joined; /* a further piece of the previous glyph's symbol (an assembly) */
    unsigned gid;
    double size; /* glyph scale: 1 at the base size, less in scripts */
    double x, y; /* the glyph's origin, or the rule's lower-left corner */
    double w, h; /* rule size */
} item;

/* A TeX box: width, height above and depth below the baseline, and what it draws. */
typedef struct box {
    item *items;
    size_t count, capacity;
    double w, h, d;
} box;

/* TeX's eight styles: display, text, script, scriptscript, each possibly cramped. */
typedef enum style_level { DISPLAY, TEXT, SCRIPT, SCRIPTSCRIPT } style_level;

typedef struct style {
    style_level level;
    bool cramped;
} style;

typedef struct layout {
    hb_font_t *font;
    double upem;
    hb_buffer_t *buf;
    avz_error *err;
} layout;

/* ---- Styles and font constants ---------------------------------------------------------- */

static double style_size(const layout *L, style st) {
    if (st.level == SCRIPT)
        return hb_ot_math_get_constant(L->font, HB_OT_MATH_CONSTANT_SCRIPT_PERCENT_SCALE_DOWN) /
               100.0;
    if (st.level == SCRIPTSCRIPT)
        return hb_ot_math_get_constant(L->font,
                                       HB_OT_MATH_CONSTANT_SCRIPT_SCRIPT_PERCENT_SCALE_DOWN) /
               100.0;
    return 1.0;
}

/* A MATH constant in ems at the size of style st. */
static double constant(const layout *L, hb_ot_math_constant_t c, style st) {
    return hb_ot_math_get_constant(L->font, c) / L->upem * style_size(L, st);
}

static style sup_style(style st) {
    return (style){st.level <= TEXT ? SCRIPT : SCRIPTSCRIPT, st.cramped};
}

static style sub_style(style st) {
    return (style){sup_style(st).level, true};
}

static style num_style(style st) {
    static const style_level smaller[] = {
        [DISPLAY] = TEXT, [TEXT] = SCRIPT, [SCRIPT] = SCRIPTSCRIPT, [SCRIPTSCRIPT] = SCRIPTSCRIPT};
    return (style){smaller[st.level], st.cramped};
}

static style den_style(style st) {
    return (style){num_style(st).level, true};
}

/* ---- Boxes ------------------------------------------------------------------------------ */

static void box_free(box *b) {
    free(b->items);
    *b = (box){0};
}

static int box_push(layout *L, box *b, item it) {
    if (b->count == b->capacity) {
        size_t cap = b->capacity ? b->capacity * 2 : 8;
        item *items = realloc(b->items, cap * sizeof *items);
        if (!items)
            return avz_error_set(L->err, -ENOMEM, "out of memory laying out a formula");
        b->items = items;
        b->capacity = cap;
    }
    b->items[b->count++] = it;
    return 0;
}

/* Moves src's contents into dst with src's origin at (x, y), growing dst's height and depth
 * to cover it (TeX's hpack and vpack start both at zero). src is left empty. */
static int box_place(layout *L, box *dst, box *src, double x, double y) {
    int rc = 0;
    for (size_t i = 0; i < src->count && rc == 0; i++) {
        item it = src->items[i];
        it.x += x;
        it.y += y;
        rc = box_push(L, dst, it);
    }
    dst->h = fmax(dst->h, src->h + y);
    dst->d = fmax(dst->d, src->d - y);
    box_free(src);
    return rc;
}

static int box_rule(layout *L, box *b, double x, double y, double w, double h) {
    return box_push(L, b, (item){.rule = true, .x = x, .y = y, .w = w, .h = h});
}

/* One glyph, its ink giving the height and depth. */
static int glyph_box(layout *L, unsigned gid, double size, box *out) {
    hb_glyph_extents_t ext = {0};
    hb_font_get_glyph_extents(L->font, gid, &ext);
    double k = size / L->upem;
    *out = (box){.w = hb_font_get_glyph_h_advance(L->font, gid) * k,
                 .h = fmax(0, ext.y_bearing * k),
                 .d = fmax(0, -(ext.y_bearing + ext.height) * k)};
    return box_push(L, out, (item){.gid = gid, .size = size});
}

/* ---- Glyph lookup ----------------------------------------------------------------------- */

/* Shapes what the buffer holds in the math font, with the ssty feature in scripts so that
 * script-size glyphs take their optically sized forms. */
static int shape(layout *L, style st) {
    hb_buffer_set_direction(L->buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(L->buf, HB_SCRIPT_MATH); /* the font's GSUB lives under 'math' */
    hb_feature_t ssty = {HB_TAG('s', 's', 't', 'y'), st.level - SCRIPT + 1, 0, (unsigned)-1};
    hb_shape(L->font, L->buf, &ssty, st.level >= SCRIPT ? 1 : 0);
    if (!hb_buffer_allocation_successful(L->buf))
        return avz_error_set(L->err, -ENOMEM, "out of memory shaping a formula");
    return 0;
}

static int not_in_font(layout *L, long cp, size_t pos) {
    return avz_error_set(L->err, -EINVAL, "U+%04lX at %zu is not in the math font", cp, pos);
}

static int char_glyph(layout *L, uint32_t cp, style st, size_t pos, unsigned *gid) {
    hb_buffer_clear_contents(L->buf);
    hb_buffer_add_codepoints(L->buf, &cp, 1, 0, 1);
    int rc = shape(L, st);
    if (rc < 0)
        return rc;
    /* A lone code point of the math font shapes to exactly one glyph. */
    *gid = hb_buffer_get_glyph_infos(L->buf, NULL)[0].codepoint;
    return *gid ? 0 : not_in_font(L, cp, pos);
}

/* ---- Grown glyphs: delimiters, radicals, large operators -------------------------------- */

/* Stacks the font's assembly of parts for gid (bottom to top) to at least need ems of ink,
 * or returns 1 when the glyph has no assembly. */
static int assembly_box(layout *L, unsigned gid, double size, double need, box *out) {
    hb_ot_math_glyph_part_t parts[MAX_PARTS];
    unsigned n = MAX_PARTS;
    hb_position_t italic;
    unsigned total =
        hb_ot_math_get_glyph_assembly(L->font, gid, HB_DIRECTION_BTT, 0, &n, parts, &italic);
    if (total == 0)
        return 1;
    if (total > MAX_PARTS)
        return avz_error_set(L->err, -EINVAL, "math glyph %u has %u assembly parts (max %d)", gid,
                             total, MAX_PARTS);
    double k = size / L->upem;
    double min_overlap = hb_ot_math_get_min_connector_overlap(L->font, HB_DIRECTION_BTT) * k;

    bool has_extender = false;
    for (unsigned i = 0; i < n; i++)
        has_extender |= (parts[i].flags & HB_OT_MATH_GLYPH_PART_FLAG_EXTENDER) != 0;

    /* Repeat the extenders until the stack, overlapping as little as allowed, is tall
     * enough; an assembly without an extender gives what it has. */
    unsigned repeats = 0, count;
    double full, max_overlap;
    for (;; repeats++) {
        count = 0;
        full = 0;
        max_overlap = INFINITY;
        double prev_end = 0;
        for (unsigned i = 0; i < n; i++) {
            unsigned times = parts[i].flags & HB_OT_MATH_GLYPH_PART_FLAG_EXTENDER ? repeats : 1;
            for (unsigned t = 0; t < times; t++) {
                if (count > 0)
                    max_overlap =
                        fmin(max_overlap, fmin(prev_end, parts[i].start_connector_length * k));
                prev_end = parts[i].end_connector_length * k;
                full += parts[i].full_advance * k;
                count++;
            }
        }
        if (!has_extender || repeats == MAX_REPEATS ||
            (count > 0 && full - (count - 1) * min_overlap >= need))
            break;
    }
    /* Share the slack equally among the joints, within what the connectors allow. */
    double overlap = count > 1 ? (full - need) / (count - 1) : 0;
    overlap = fmax(min_overlap, fmin(overlap, fmax(min_overlap, max_overlap)));

    *out = (box){0};
    double y = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned times = parts[i].flags & HB_OT_MATH_GLYPH_PART_FLAG_EXTENDER ? repeats : 1;
        for (unsigned t = 0; t < times; t++) {
            /* Part glyphs have their ink bottom on their baseline. */
            item it = {.gid = parts[i].glyph, .size = size, .y = y, .joined = out->count > 0};
            int rc = box_push(L, out, it);
            if (rc < 0)
                return rc;
            out->w = fmax(out->w, hb_font_get_glyph_h_advance(L->font, parts[i].glyph) * k);
            y += parts[i].full_advance * k - overlap;
        }
    }
    out->h = y + overlap;
    return 0;
}

static bool on_tex_ladder(double ems) {
    for (size_t i = 0; i < sizeof tex_delimiter_sizes / sizeof *tex_delimiter_sizes; i++)
        if (fabs(ems - tex_delimiter_sizes[i]) < 0.02 * tex_delimiter_sizes[i])
            return true;
    return false;
}

/* The smallest size variant of gid whose vertical extent is at least need ems (with
 * tex_ladder, only the glyph itself and variants of LaTeX's sizes); past the largest, the
 * assembly; without one, the largest variant. */
static int grown_box(layout *L, unsigned gid, double size, double need, bool tex_ladder, box *out) {
    hb_ot_math_glyph_variant_t variants[8];
    unsigned start = 0, total, chosen = gid;
    do {
        unsigned n = 8;
        total = hb_ot_math_get_glyph_variants(L->font, gid, HB_DIRECTION_BTT, start, &n, variants);
        for (unsigned i = 0; i < n; i++) {
            if (tex_ladder && variants[i].glyph != gid &&
                !on_tex_ladder(variants[i].advance / L->upem))
                continue;
            chosen = variants[i].glyph;
            if (variants[i].advance * size / L->upem >= need)
                return glyph_box(L, chosen, size, out);
        }
        start += n;
    } while (start < total);
    int rc = assembly_box(L, gid, size, need, out);
    return rc == 1 ? glyph_box(L, chosen, size, out) : rc;
}

/* A box moved up by dy (down when negative), as TeX's shift_amount does. */
static void box_raise(box *b, double dy) {
    for (size_t i = 0; i < b->count; i++)
        b->items[i].y += dy;
    b->h += dy;
    b->d -= dy;
}

/* ---- Atoms ------------------------------------------------------------------------------ */

static int layout_list(layout *L, const math_list *list, style st, box *out);

static int text_box(layout *L, const math_node *node, style st, box *out) {
    *out = (box){0};
    /* harfbuzz would quietly draw malformed bytes as U+FFFD. */
    const unsigned char *text = (const unsigned char *)node->text;
    size_t text_len = strlen(node->text);
    for (size_t at = 0; at < text_len;) {
        size_t start = at;
        uint32_t cp;
        if (!avz_utf8_next(text, text_len, &at, &cp))
            return avz_error_set(L->err, -EILSEQ, "invalid UTF-8 at %zu", node->pos + start);
    }
    hb_buffer_clear_contents(L->buf);
    hb_buffer_add_utf8(L->buf, node->text, -1, 0, -1);
    int rc = shape(L, st);
    if (rc < 0)
        return rc;
    double size = style_size(L, st), k = size / L->upem;
    unsigned n;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(L->buf, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(L->buf, NULL);
    for (unsigned i = 0; i < n; i++) {
        size_t at = info[i].cluster;
        uint32_t cp;
        if (info[i].codepoint == 0 && avz_utf8_next(text, text_len, &at, &cp))
            return not_in_font(L, (long)cp, node->pos + info[i].cluster);
    }
    for (unsigned i = 0; i < n && rc == 0; i++) {
        box g;
        if ((rc = glyph_box(L, info[i].codepoint, size, &g)) < 0)
            break;
        /* Spaces have no ink, so they only advance the pen. */
        if (g.h + g.d > 0)
            rc = box_place(L, out, &g, out->w + pos[i].x_offset * k, pos[i].y_offset * k);
        box_free(&g);
        out->w += pos[i].x_advance * k;
    }
    return rc;
}

/* TeX rule 15 with the MATH table's fraction constants: numerator and denominator centred
 * over each other, the bar centred on the math axis. */
static int fraction_box(layout *L, const math_node *node, style st, box *out) {
    box num, den;
    *out = (box){0};
    int rc = layout_list(L, &node->body, num_style(st), &num);
    if (rc < 0)
        return rc;
    if ((rc = layout_list(L, &node->body2, den_style(st), &den)) < 0) {
        box_free(&num);
        return rc;
    }
    bool display = st.level == DISPLAY;
    double axis = constant(L, HB_OT_MATH_CONSTANT_AXIS_HEIGHT, st);
    double rule = constant(L, HB_OT_MATH_CONSTANT_FRACTION_RULE_THICKNESS, st);
    double up = constant(L,
                         display ? HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_DISPLAY_STYLE_SHIFT_UP
                                 : HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_SHIFT_UP,
                         st);
    double down =
        constant(L,
                 display ? HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_DISPLAY_STYLE_SHIFT_DOWN
                         : HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_SHIFT_DOWN,
                 st);
    double num_gap = constant(L,
                              display ? HB_OT_MATH_CONSTANT_FRACTION_NUM_DISPLAY_STYLE_GAP_MIN
                                      : HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_GAP_MIN,
                              st);
    double den_gap = constant(L,
                              display ? HB_OT_MATH_CONSTANT_FRACTION_DENOM_DISPLAY_STYLE_GAP_MIN
                                      : HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_GAP_MIN,
                              st);
    up = fmax(up, axis + rule / 2 + num_gap + num.d);
    down = fmax(down, den.h + den_gap - (axis - rule / 2));

    double width = fmax(num.w, den.w), x = NULL_DELIMITER_SPACE;
    double num_w = num.w, den_w = den.w;
    /* Reading order: numerator, bar, denominator, as TeX ships them. */
    rc = box_place(L, out, &num, x + (width - num_w) / 2, up);
    if (rc == 0)
        rc = box_rule(L, out, x, axis - rule / 2, width, rule);
    if (rc == 0)
        rc = box_place(L, out, &den, x + (width - den_w) / 2, -down);
    box_free(&num);
    box_free(&den);
    out->w = width + 2 * NULL_DELIMITER_SPACE;
    return rc;
}

/* TeX rule 11 with the MATH table's radical constants: the sign grown to cover the radicand
 * plus gap and rule, any excess split evenly above and below the radicand. */
static int radical_box(layout *L, const math_node *node, style st, box *out) {
    box body, sign;
    *out = (box){0};
    int rc = layout_list(L, &node->body, (style){st.level, true}, &body);
    if (rc < 0)
        return rc;
    double rule = constant(L, HB_OT_MATH_CONSTANT_RADICAL_RULE_THICKNESS, st);
    double gap =
        constant(L,
                 st.level == DISPLAY ? HB_OT_MATH_CONSTANT_RADICAL_DISPLAY_STYLE_VERTICAL_GAP
                                     : HB_OT_MATH_CONSTANT_RADICAL_VERTICAL_GAP,
                 st);
    double ascender = constant(L, HB_OT_MATH_CONSTANT_RADICAL_EXTRA_ASCENDER, st);
    unsigned gid;
    if ((rc = char_glyph(L, 0x221A, (style){TEXT, false}, node->pos, &gid)) < 0 ||
        (rc = grown_box(L, gid, style_size(L, st), body.h + body.d + gap + rule, false, &sign)) <
            0) {
        box_free(&body);
        return rc;
    }
    double excess = sign.h + sign.d - (body.h + body.d + gap + rule);
    if (excess > 0)
        gap += excess / 2;
    double top = body.h + gap + rule;
    box_raise(&sign, top - sign.h);
    double sign_w = sign.w, body_w = body.w, body_d = body.d;
    /* Reading order: sign, overbar, radicand, as TeX ships them. */
    rc = box_place(L, out, &sign, 0, 0);
    if (rc == 0)
        rc = box_rule(L, out, sign_w, top - rule, body_w, rule);
    if (rc == 0)
        rc = box_place(L, out, &body, sign_w, 0);
    box_free(&body);
    out->w = sign_w + body_w;
    out->h = top + ascender;
    out->d = fmax(out->d, body_d);
    return rc;
}

/* One delimiter of a \left..\right pair, grown to size and centred on the axis. */
static int delimiter_box(layout *L, uint32_t cp, size_t pos, style st, double need, box *out) {
    if (cp == 0) {
        *out = (box){.w = NULL_DELIMITER_SPACE};
        return 0;
    }
    unsigned gid;
    int rc = char_glyph(L, cp, (style){TEXT, false}, pos, &gid);
    if (rc == 0)
        rc = grown_box(L, gid, style_size(L, st), need, true, out);
    if (rc == 0)
        box_raise(out, constant(L, HB_OT_MATH_CONSTANT_AXIS_HEIGHT, st) - (out->h - out->d) / 2);
    return rc;
}

/* TeX rule 19: delimiters that cover at least 90.1% of the content's extent about the axis,
 * and leave at most 5 pt uncovered. */
static int fenced_box(layout *L, const math_node *node, style st, box *out) {
    box body, left = {0}, right = {0};
    *out = (box){0};
    int rc = layout_list(L, &node->body, st, &body);
    if (rc < 0)
        return rc;
    double axis = constant(L, HB_OT_MATH_CONSTANT_AXIS_HEIGHT, st);
    double half = fmax(body.h - axis, body.d + axis);
    double need = fmax(2 * half * DELIMITER_FACTOR, 2 * half - DELIMITER_SHORTFALL);
    if ((rc = delimiter_box(L, node->cp, node->pos, st, need, &left)) == 0)
        rc = delimiter_box(L, node->cp2, node->pos, st, need, &right);
    box *parts[] = {&left, &body, &right};
    for (int i = 0; i < 3; i++) {
        double w = parts[i]->w;
        if (rc == 0)
            rc = box_place(L, out, parts[i], out->w, 0);
        box_free(parts[i]);
        out->w += w;
    }
    return rc;
}

/* TeX rule 18 with the MATH table's script constants. delta is the nucleus' italic
 * correction still owed to the superscript; is_char says the nucleus is a lone glyph, whose
 * scripts are placed by the constants alone. */
static int attach_scripts(layout *L, const math_node *node, style st, box *nuc, double delta,
                          bool is_char, box *out) {
    style sst = sup_style(st), bst = sub_style(st);
    box sup = {0}, sub = {0};
    *out = (box){0};
    int rc = 0;
    if (node->has_sup)
        rc = layout_list(L, &node->sup, sst, &sup);
    if (rc == 0 && node->has_sub)
        rc = layout_list(L, &node->sub, bst, &sub);
    if (rc < 0) {
        box_free(&sup);
        box_free(nuc);
        return rc;
    }
    double u = 0, v = 0;
    if (!is_char) {
        u = nuc->h - constant(L, HB_OT_MATH_CONSTANT_SUPERSCRIPT_BASELINE_DROP_MAX, sst);
        v = nuc->d + constant(L, HB_OT_MATH_CONSTANT_SUBSCRIPT_BASELINE_DROP_MIN, bst);
    }
    if (!node->has_sup) {
        v = fmax(v, fmax(LONE_SUBSCRIPT_SHIFT * style_size(L, st),
                         sub.h - constant(L, HB_OT_MATH_CONSTANT_SUBSCRIPT_TOP_MAX, st)));
    } else {
        u = fmax(u, constant(L,
                             st.cramped ? HB_OT_MATH_CONSTANT_SUPERSCRIPT_SHIFT_UP_CRAMPED
                                        : HB_OT_MATH_CONSTANT_SUPERSCRIPT_SHIFT_UP,
                             st));
        u = fmax(u, sup.d + constant(L, HB_OT_MATH_CONSTANT_SUPERSCRIPT_BOTTOM_MIN, st));
        if (node->has_sub) {
            v = fmax(v, constant(L, HB_OT_MATH_CONSTANT_SUBSCRIPT_SHIFT_DOWN, st));
            double gap = (u - sup.d) - (sub.h - v);
            double gap_min = constant(L, HB_OT_MATH_CONSTANT_SUB_SUPERSCRIPT_GAP_MIN, st);
            if (gap < gap_min) {
                v += gap_min - gap;
                double lift =
                    constant(L, HB_OT_MATH_CONSTANT_SUPERSCRIPT_BOTTOM_MAX_WITH_SUBSCRIPT, st) -
                    (u - sup.d);
                if (lift > 0) {
                    u += lift;
                    v -= lift;
                }
            }
        }
    }
    double nuc_w = nuc->w;
    double script_w = fmax(node->has_sup ? sup.w + delta : 0, node->has_sub ? sub.w : 0);
    rc = box_place(L, out, nuc, 0, 0);
    if (rc == 0 && node->has_sup)
        rc = box_place(L, out, &sup, nuc_w + delta, u);
    if (rc == 0 && node->has_sub)
        rc = box_place(L, out, &sub, nuc_w, -v);
    box_free(&sup);
    box_free(&sub);
    out->w = nuc_w + script_w + constant(L, HB_OT_MATH_CONSTANT_SPACE_AFTER_SCRIPT, st);
    return rc;
}

/* TeX rule 13a: limits of a large operator in display style, centred above and below it and
 * shifted apart by half its italic correction. */
static int attach_limits(layout *L, const math_node *node, style st, box *op, double delta,
                         box *out) {
    box sup = {0}, sub = {0};
    *out = (box){0};
    int rc = 0;
    if (node->has_sup)
        rc = layout_list(L, &node->sup, sup_style(st), &sup);
    if (rc == 0 && node->has_sub)
        rc = layout_list(L, &node->sub, sub_style(st), &sub);
    if (rc < 0) {
        box_free(&sup);
        box_free(op);
        return rc;
    }
    double width = fmax(op->w, fmax(sup.w, sub.w));
    double up = op->h + fmax(constant(L, HB_OT_MATH_CONSTANT_UPPER_LIMIT_GAP_MIN, st) + sup.d,
                             constant(L, HB_OT_MATH_CONSTANT_UPPER_LIMIT_BASELINE_RISE_MIN, st));
    double down = op->d + fmax(constant(L, HB_OT_MATH_CONSTANT_LOWER_LIMIT_GAP_MIN, st) + sub.h,
                               constant(L, HB_OT_MATH_CONSTANT_LOWER_LIMIT_BASELINE_DROP_MIN, st));
    double op_x = (width - op->w) / 2, sup_x = (width - sup.w + delta) / 2,
           sub_x = (width - sub.w - delta) / 2;
    /* Reading order top to bottom, as TeX stacks them. */
    if (node->has_sup)
        rc = box_place(L, out, &sup, sup_x, up);
    if (rc == 0)
        rc = box_place(L, out, op, op_x, 0);
    if (rc == 0 && node->has_sub)
        rc = box_place(L, out, &sub, sub_x, -down);
    box_free(&sup);
    box_free(&sub);
    box_free(op);
    out->w = width;
    return rc;
}

/* A character atom: its glyph, an operator centred on the axis (and enlarged in display
 * style), and TeX's handling of the italic correction. */
static int char_box(layout *L, const math_node *node, style st, box *out, double *delta) {
    unsigned gid;
    int rc = char_glyph(L, node->cp, st, node->pos, &gid);
    if (rc < 0)
        return rc;
    double size = style_size(L, st);
    if (node->limits && st.level == DISPLAY)
        rc =
            grown_box(L, gid, size,
                      constant(L, HB_OT_MATH_CONSTANT_DISPLAY_OPERATOR_MIN_HEIGHT, st), false, out);
    else
        rc = glyph_box(L, gid, size, out);
    if (rc < 0)
        return rc;
    if (node->limits)
        box_raise(out, constant(L, HB_OT_MATH_CONSTANT_AXIS_HEIGHT, st) - (out->h - out->d) / 2);
    *delta = hb_ot_math_get_glyph_italics_correction(L->font, out->items[0].gid) * size / L->upem;
    return 0;
}

static int atom_box(layout *L, const math_node *node, style st, box *out) {
    box nuc = {0};
    double delta = 0;
    int rc = 0;
    switch (node->kind) {
    case MK_CHAR:
        rc = char_box(L, node, st, &nuc, &delta);
        break;
    case MK_GROUP:
        rc = layout_list(L, &node->body, st, &nuc);
        break;
    case MK_FRAC:
        rc = fraction_box(L, node, st, &nuc);
        break;
    case MK_SQRT:
        rc = radical_box(L, node, st, &nuc);
        break;
    case MK_FENCED:
        rc = fenced_box(L, node, st, &nuc);
        break;
    case MK_TEXT:
        rc = text_box(L, node, st, &nuc);
        break;
    case MK_SPACE:
        break; /* spaces are kerns in the list, never atoms */
    }
    if (rc < 0) {
        box_free(&nuc);
        return rc;
    }
    if (node->limits && st.level == DISPLAY && (node->has_sup || node->has_sub))
        return attach_limits(L, node, st, &nuc, delta, out);
    /* TeX pays the italic correction as a kern after the glyph unless a subscript follows,
     * which then sits under the overhang while the superscript still clears it. */
    if (!node->has_sub) {
        nuc.w += delta;
        delta = 0;
    }
    if (!node->has_sup && !node->has_sub) {
        *out = nuc;
        return 0;
    }
    return attach_scripts(L, node, st, &nuc, delta, node->kind == MK_CHAR, out);
}

/* ---- Lists ------------------------------------------------------------------------------ */

/* TeX's inter-atom spacing (The TeXbook, p. 170), rows the left atom, columns the right:
 * 0 none, 1 thin space, 2 medium, 3 thick; negative entries apply in display and text style
 * only. Impossible pairs (a binary next to a binary) cannot occur after reclassification. */
static const signed char atom_spacing[8][8] = {
    /*           ord op bin rel open close punct inner */
    /* ord   */ {0, 1, -2, -3, 0, 0, 0, -1},
    /* op    */ {1, 1, 0, -3, 0, 0, 0, -1},
    /* bin   */ {-2, -2, 0, 0, -2, 0, 0, -2},
    /* rel   */ {-3, -3, 0, 0, -3, 0, 0, -3},
    /* open  */ {0, 0, 0, 0, 0, 0, 0, 0},
    /* close */ {0, 1, -2, -3, 0, 0, 0, -1},
    /* punct */ {-1, -1, 0, -1, -1, -1, -1, -1},
    /* inner */ {-1, 1, -2, -3, -1, 0, -1, -1},
};

/* Thin, medium and thick spaces in math units (\thinmuskip 3mu, \medmuskip 4mu,
 * \thickmuskip 5mu). */
static const double space_mu[4] = {0, 3, 4, 5};

static double atom_space(const layout *L, math_class left, math_class right, style st) {
    int entry = atom_spacing[left][right];
    if (entry < 0 && st.level >= SCRIPT)
        return 0;
    return space_mu[abs(entry)] / 18 * style_size(L, st);
}

/* TeX rules 5 and 6: a binary operator with no left operand, or none on the right, is an
 * ordinary symbol. */
static void resolve_classes(const math_list *list, math_class *cls) {
    size_t prev = (size_t)-1;
    for (size_t i = 0; i < list->count; i++) {
        if (list->items[i].kind == MK_SPACE)
            continue;
        math_class c = list->items[i].cls;
        math_class before = prev == (size_t)-1 ? MC_OPEN : cls[prev];
        if (c == MC_BIN && (before == MC_BIN || before == MC_OP || before == MC_REL ||
                            before == MC_OPEN || before == MC_PUNCT))
            c = MC_ORD;
        if ((c == MC_REL || c == MC_CLOSE || c == MC_PUNCT) && prev != (size_t)-1 &&
            cls[prev] == MC_BIN)
            cls[prev] = MC_ORD;
        cls[i] = c;
        prev = i;
    }
    if (prev != (size_t)-1 && cls[prev] == MC_BIN)
        cls[prev] = MC_ORD;
}

static int layout_list(layout *L, const math_list *list, style st, box *out) {
    *out = (box){0};
    if (list->count == 0)
        return 0;
    math_class *cls = malloc(list->count * sizeof *cls);
    if (!cls)
        return avz_error_set(L->err, -ENOMEM, "out of memory laying out a formula");
    resolve_classes(list, cls);
    int rc = 0;
    bool first = true;
    math_class prev = MC_ORD;
    for (size_t i = 0; i < list->count && rc == 0; i++) {
        const math_node *node = &list->items[i];
        if (node->kind == MK_SPACE) {
            out->w += node->mu / 18 * style_size(L, st);
            continue;
        }
        if (!first)
            out->w += atom_space(L, prev, cls[i], st);
        box b;
        if ((rc = atom_box(L, node, st, &b)) < 0)
            break;
        double w = b.w;
        rc = box_place(L, out, &b, out->w, 0);
        out->w += w;
        prev = cls[i];
        first = false;
    }
    free(cls);
    if (rc < 0)
        box_free(out);
    return rc;
}

/* ---- Paths ------------------------------------------------------------------------------ */

static void parts_truncate(avz_parts *parts, size_t count) {
    while (parts->count > count)
        avz_path_free(&parts->items[--parts->count]);
}

/* Turns the laid-out box into paths at em scene units per em, centred on its ink. */
static int emit(const avz_face *face, const box *b, double em, avz_parts *out, avz_error *err) {
    size_t start = out->count;
    avz_bbox ink = avz_bbox_empty();
    for (size_t i = 0; i < b->count; i++) {
        const item *it = &b->items[i];
        avz_path path = {0};
        int rc;
        if (it->rule) {
            rc = avz_path_rect(&path, (avz_bbox){it->x * em, it->y * em, (it->x + it->w) * em,
                                                 (it->y + it->h) * em});
        } else {
            rc = avz_face_glyph_path(face, it->gid, em * it->size,
                                     (avz_vec2){it->x * em, it->y * em}, &path);
        }
        if (rc == 0 && path.count > 0) {
            ink = avz_bbox_union(ink, avz_path_bbox(&path));
            /* An assembled delimiter or radical is one symbol, traced as one part. */
            if (it->joined && out->count > start)
                rc = avz_path_append(&out->items[out->count - 1], &path);
            else
                rc = avz_parts_push(out, &path);
        }
        avz_path_free(&path);
        if (rc < 0) {
            parts_truncate(out, start);
            return it->rule ? avz_error_set(err, rc, "out of memory building a formula rule")
                            : avz_error_set(err, rc, "cannot build the outline of math glyph %u",
                                            it->gid);
        }
    }
    if (avz_bbox_is_empty(ink))
        return avz_error_set(err, -EINVAL, "formula draws nothing");
    avz_vec2 c = avz_bbox_center(ink);
    for (size_t i = start; i < out->count; i++)
        avz_path_translate(&out->items[i], (avz_vec2){-c.x, -c.y});
    return 0;
}

int avz_math_layout(const avz_fonts *fonts, const char *tex, double font_size, avz_parts *out,
                    avz_error *err) {
    if (!fonts || !tex || !out)
        return avz_error_set(err, -EINVAL, "avz_math_layout: fonts, tex and out are required");
    if (!(font_size > 0 && isfinite(font_size)))
        return avz_error_set(err, -EINVAL, "formula font size %g is not positive", font_size);
    math_list list;
    int rc = math_parse(tex, &list, err);
    if (rc < 0)
        return rc;
    const avz_face *face = avz_fonts_face(fonts, AVZ_FACE_MATH);
    layout L = {.font = avz_face_hb(face), .upem = avz_face_upem(face), .err = err};
    L.buf = hb_buffer_create();
    box b = {0};
    if (!hb_buffer_allocation_successful(L.buf))
        rc = avz_error_set(err, -ENOMEM, "out of memory shaping a formula");
    else
        rc = layout_list(&L, &list, (style){DISPLAY, false}, &b);
    hb_buffer_destroy(L.buf);
    math_list_free(&list);
    if (rc == 0)
        rc = emit(face, &b, font_size * AVZ_MATH_EM_PER_FONT_SIZE, out, err);
    box_free(&b);
    return rc;
}
