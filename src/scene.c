/* attnviz scene building: the scene's storage and errors, and its nodes (shapes, text, formulas,
 * groups), their bounds, placement and styles; anim.c puts animations of them in time. Depends on
 * text (glyph layout) and math (formula layout) for their nodes' parts. */
#include "attnviz/scene.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/cancel.h"
#include "attnviz/math.h"
#include "scene_internal.h"

/* ── Storage ───────────────────────────────────────────────────────────────────────── */

int avz_scene_reserve(void **items, size_t *capacity, size_t count, size_t size) {
    if (count < *capacity)
        return 0;
    size_t cap = *capacity ? *capacity * 2 : 16;
    if (cap > SIZE_MAX / size)
        return -ENOMEM;
    void *grown = realloc(*items, cap * size);
    if (!grown)
        return -ENOMEM;
    *items = grown;
    *capacity = cap;
    return 0;
}

int avz_scene_new(const avz_fonts *fonts, avz_scene **out) {
    if (!out)
        return -EINVAL;
    avz_scene *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->fonts = fonts;
    *out = s;
    return 0;
}

void avz_scene_free(avz_scene *s) {
    if (!s)
        return;
    for (size_t i = 0; i < s->node_count; i++) {
        avz_parts_free(&s->nodes[i].parts);
        free(s->nodes[i].members);
    }
    for (size_t i = 0; i < s->phase_count; i++)
        free(s->phases[i].name);
    free(s->nodes);
    free(s->order);
    free(s->anims);
    free(s->anim_leaves);
    free(s->anim_slots);
    free(s->phases);
    free(s);
}

int avz_scene_status(const avz_scene *s, avz_error *err) {
    if (!s)
        return avz_error_set(err, -EINVAL, "avz_scene_status: scene is NULL");
    if (s->error.code && err && !err->code)
        *err = s->error;
    return s->error.code;
}

int avz_scene_fail(avz_scene *s, int code, const char *fmt, ...) {
    /* No scene has nowhere to record it: the caller still learns the code. */
    if (!s)
        return code;
    if (s->error.code)
        return s->error.code;
    s->error.code = code < 0 ? code : -EINVAL; /* 0 would latch nothing */
    if (!fmt) {
        snprintf(s->error.msg, sizeof s->error.msg, "avz_scene_fail: fmt is NULL");
        return s->error.code;
    }
    va_list ap;
    va_start(ap, fmt);
    avz_vformat_message(s->error.msg, sizeof s->error.msg, fmt, ap);
    va_end(ap);
    return s->error.code;
}

const avz_fonts *avz_scene_fonts(const avz_scene *s) {
    return s ? s->fonts : NULL;
}

bool avz_scene_need(avz_scene *s, const char *fn, const char *what, const void *ptr) {
    if (!s || s->error.code)
        return false;
    if (!ptr) {
        avz_scene_fail(s, -EINVAL, "%s: %s is NULL", fn, what);
        return false;
    }
    return true;
}

bool avz_scene_need_each(avz_scene *s, const char *fn, const char *what, const char *const *strings,
                         size_t count) {
    if (!s || s->error.code)
        return false;
    for (size_t i = 0; strings && i < count; i++)
        if (!strings[i])
            return avz_scene_fail(s, -EINVAL, "%s: %s[%zu] is NULL", fn, what, i), false;
    return true;
}

bool avz_scene_valid_id(avz_scene *s, avz_id id) {
    if (!s || s->error.code)
        return false;
    if (id < 0 || (size_t)id >= s->node_count) {
        avz_scene_fail(s, -EINVAL, "scene refers to node %d, which does not exist", (int)id);
        return false;
    }
    return true;
}

/* ── Styles ────────────────────────────────────────────────────────────────────────── */

avz_style avz_stroke_style(avz_color color, double width) {
    return (avz_style){color, 0.0, color, 1.0, width};
}

avz_style avz_box_style(avz_color color, double fill_opacity, double stroke_width) {
    return (avz_style){color, fill_opacity, color, 1.0, stroke_width};
}

/* ── Nodes ─────────────────────────────────────────────────────────────────────────── */

/* A new node goes last in the drawing order of z 0: before any node raised above it. */
static void order_insert(avz_scene *s, avz_id id) {
    size_t at = s->node_count - 1; /* the order holds every node but the new one */
    while (at > 0 && s->nodes[s->order[at - 1]].z > s->nodes[id].z)
        at--;
    memmove(s->order + at + 1, s->order + at, (s->node_count - 1 - at) * sizeof *s->order);
    s->order[at] = id;
}

bool avz_scene_stopped(avz_scene *s) {
    if (!s)
        return true;
    if (avz_cancelled())
        avz_scene_fail(s, -EINTR, "interrupted");
    return s->error.code != 0;
}

/* Adds a node; 0, or the scene's error. */
static avz_id add_node(avz_scene *s, avz_node node) {
    if (avz_scene_stopped(s))
        return AVZ_NONE;
    if (s->node_count >= AVZ_SCENE_MAX_NODES)
        return avz_scene_fail(s, -EINVAL, "a scene holds at most %d nodes", AVZ_SCENE_MAX_NODES),
               AVZ_NONE;
    if (AVZ_SCENE_RESERVE(s, s->nodes, s->node_count, s->node_capacity) ||
        AVZ_SCENE_RESERVE(s, s->order, s->node_count, s->order_capacity))
        return AVZ_NONE;
    avz_id id = (avz_id)s->node_count++;
    s->nodes[id] = node;
    order_insert(s, id);
    return id;
}

/* Adds a leaf owning parts (emptied on return, whatever happens). */
static avz_id add_leaf(avz_scene *s, avz_parts *parts, avz_style style) {
    avz_id id = add_node(
        s, (avz_node){.parts = *parts, .style = style, .first_part = s ? s->part_count : 0});
    if (id == AVZ_NONE) {
        avz_parts_free(parts);
        return AVZ_NONE;
    }
    *parts = (avz_parts){0};
    s->part_count += s->nodes[id].parts.count;
    return id;
}

/* A leaf with a single path part. */
static avz_id add_path(avz_scene *s, avz_path *path, int build_rc, avz_style style) {
    avz_parts parts = {0};
    if (build_rc || avz_parts_push(&parts, path)) {
        avz_path_free(path);
        avz_scene_fail(s, -ENOMEM, "out of memory building the scene");
        return AVZ_NONE;
    }
    return add_leaf(s, &parts, style);
}

static avz_bbox centred_box(double w, double h) {
    return (avz_bbox){-w / 2, -h / 2, w / 2, h / 2};
}

avz_id avz_rect(avz_scene *s, double width, double height, avz_style style) {
    avz_path p = {0};
    int rc = avz_path_rect(&p, centred_box(width, height));
    return add_path(s, &p, rc, style);
}

avz_id avz_round_rect(avz_scene *s, double width, double height, double radius, avz_style style) {
    avz_path p = {0};
    int rc = avz_path_round_rect(&p, centred_box(width, height), radius);
    return add_path(s, &p, rc, style);
}

avz_id avz_square(avz_scene *s, double side, avz_style style) {
    return avz_rect(s, side, side, style);
}

avz_id avz_circle(avz_scene *s, double radius, avz_style style) {
    if (!(radius > 0) || !isfinite(radius))
        return avz_scene_fail(s, -EINVAL, "a circle of radius %g", radius), AVZ_NONE;
    avz_path p = {0};
    int rc = avz_path_circle(&p, radius);
    return add_path(s, &p, rc, style);
}

avz_id avz_arc(avz_scene *s, double radius, double from, double to, avz_color color, double width) {
    /* Turns past the first only draw over it, and thousands of them stall the stroker. */
    if (!(radius > 0) || !isfinite(radius) || !(fabs(to - from) <= 2 * AVZ_PI + 1e-9))
        return avz_scene_fail(s, -EINVAL,
                              "an arc of radius %g from %g to %g (at most one turn, 2 pi)", radius,
                              from, to),
               AVZ_NONE;
    avz_path p = {0};
    int rc = avz_path_arc(&p, radius, from, to);
    return add_path(s, &p, rc, avz_stroke_style(color, width));
}

avz_id avz_shape(avz_scene *s, const avz_path *path, avz_style style) {
    if (!avz_scene_need(s, "avz_shape", "path", path))
        return AVZ_NONE;
    avz_path p = {0};
    int rc = avz_path_copy(&p, path);
    return add_path(s, &p, rc, style);
}

avz_id avz_polyline(avz_scene *s, const avz_vec2 *points, size_t count, avz_color color,
                    double width) {
    if (!avz_scene_need(s, "avz_polyline", "points", points))
        return AVZ_NONE;
    if (count < 2)
        return avz_scene_fail(s, -EINVAL, "avz_polyline: count is %zu; a line needs 2 points",
                              count),
               AVZ_NONE;
    avz_path p = {0};
    int rc = avz_path_polyline(&p, points, count);
    return add_path(s, &p, rc, avz_stroke_style(color, width));
}

avz_id avz_line(avz_scene *s, avz_vec2 from, avz_vec2 to, avz_color color, double width) {
    return avz_polyline(s, (avz_vec2[]){from, to}, 2, color, width);
}

avz_id avz_arrow(avz_scene *s, avz_vec2 from, avz_vec2 to, avz_color color, double width,
                 double tip_length, double buff) {
    double dx = to.x - from.x, dy = to.y - from.y, len = hypot(dx, dy);
    if (len <= 0)
        return avz_scene_fail(s, -EINVAL, "arrow from a point to itself"), AVZ_NONE;
    double ux = dx / len, uy = dy / len;
    if (len > 2 * buff) {
        from = AVZ_V(from.x + ux * buff, from.y + uy * buff);
        to = AVZ_V(to.x - ux * buff, to.y - uy * buff);
        len -= 2 * buff;
    }
    /* As the original: the tip takes at most a quarter of the arrow, and a short arrow's
     * stroke is thinned to at most 5 per unit of length. */
    tip_length = fmin(tip_length, len * 0.25);
    width = fmin(width, 5.0 * len);
    avz_vec2 base = {to.x - ux * tip_length, to.y - uy * tip_length};
    double half = tip_length * 0.5; /* the original's tip is an equilateral-ish triangle */
    avz_path shaft = {0}, tip = {0};
    int rc = avz_path_polyline(&shaft, (avz_vec2[]){from, base}, 2);
    rc = rc ? rc
            : avz_path_polyline(&tip,
                                (avz_vec2[]){to,
                                             {base.x - uy * half, base.y + ux * half},
                                             {base.x + uy * half, base.y - ux * half}},
                                3);
    rc = rc ? rc : avz_path_close(&tip);
    if (rc) {
        avz_path_free(&shaft);
        avz_path_free(&tip);
        avz_scene_fail(s, rc, "out of memory building the scene");
        return AVZ_NONE;
    }
    avz_id shaft_id = add_path(s, &shaft, 0, avz_stroke_style(color, width));
    avz_id tip_id = add_path(s, &tip, 0, avz_box_style(color, 1.0, 0.0));
    return avz_group(s, shaft_id, tip_id);
}

static avz_text_style text_style(double font_size, unsigned flags) {
    return (avz_text_style){
        .font_size = font_size,
        .bold = flags & AVZ_TEXT_BOLD,
        .italic = flags & AVZ_TEXT_ITALIC,
        .align = (flags & AVZ_TEXT_CENTERED) ? AVZ_ALIGN_CENTER : AVZ_ALIGN_LEFT,
    };
}

/* Text has no outline of its own; Write draws a temporary one. */
static avz_style text_colors(avz_color color) {
    return (avz_style){color, 1.0, color, 1.0, 0.0};
}

/* A text or formula leaf, marked as a label: its shapes alone do not tell it from a filled
 * figure (an arrow's tip has text's style). */
static avz_id add_label(avz_scene *s, avz_parts *parts, avz_color color) {
    avz_id id = add_leaf(s, parts, text_colors(color));
    if (id != AVZ_NONE)
        s->nodes[id].is_label = true;
    return id;
}

/* avz_text and avz_text_ex, as fn. */
static avz_id text_node(avz_scene *s, const char *fn, const char *utf8, double font_size,
                        avz_color color, unsigned flags) {
    if (!avz_scene_need(s, fn, "utf8", utf8))
        return AVZ_NONE;
    avz_text_style style = text_style(font_size, flags);
    avz_parts parts = {0};
    int rc = avz_text_layout(s->fonts, utf8, &style, &parts, &s->error);
    if (rc) {
        avz_scene_fail(s, rc, "text \"%s\": cannot lay out", utf8);
        return AVZ_NONE;
    }
    return add_label(s, &parts, color);
}

avz_id avz_text_ex(avz_scene *s, const char *utf8, double font_size, avz_color color,
                   unsigned flags) {
    return text_node(s, "avz_text_ex", utf8, font_size, color, flags);
}

avz_id avz_text(avz_scene *s, const char *utf8, double font_size, avz_color color) {
    return text_node(s, "avz_text", utf8, font_size, color, AVZ_TEXT_REGULAR);
}

avz_text_metrics avz_measure_text(avz_scene *s, const char *utf8, double font_size,
                                  unsigned flags) {
    avz_text_metrics m = {0};
    if (!avz_scene_need(s, "avz_measure_text", "utf8", utf8))
        return m;
    avz_text_style style = text_style(font_size, flags);
    avz_parts parts = {0};
    if (avz_text_layout_on_baseline(s->fonts, utf8, &style, &parts, &m, &s->error))
        avz_scene_fail(s, s->error.code, "text \"%s\": cannot lay out", utf8);
    avz_parts_free(&parts);
    return m;
}

size_t avz_wrap_text(avz_scene *s, const char *utf8, double font_size, unsigned flags,
                     double max_width, char *out, size_t size) {
    if (!avz_scene_need(s, "avz_wrap_text", "utf8", utf8) ||
        !avz_scene_need(s, "avz_wrap_text", "out", out))
        return 0;
    size_t len = strlen(utf8);
    if (len >= size)
        return avz_scene_fail(s, -EINVAL, "text \"%.40s...\": too long to wrap", utf8), 0;
    memcpy(out, utf8, len + 1);
    size_t lines = 1, line = 0; /* where the current line starts */
    for (size_t end = 0; end < len;) {
        /* The next word ends at end; measure the line up to it. */
        size_t space = end;
        while (out[end] == ' ')
            end++;
        while (end < len && out[end] != ' ' && out[end] != '\n')
            end++;
        char kept = out[end];
        out[end] = '\0';
        double width = avz_measure_text(s, out + line, font_size, flags).width;
        out[end] = kept;
        if (s->error.code)
            return 0;
        /* Too wide: the word starts the next line, unless it is the line's first. */
        if (width > max_width && space > line) {
            out[space] = '\n';
            line = space + 1;
            lines++;
        }
        if (out[end] == '\n') {
            line = ++end;
            lines++;
        }
    }
    return lines;
}

avz_id avz_text_at(avz_scene *s, const char *utf8, double font_size, avz_color color,
                   unsigned flags, avz_vec2 at, avz_vec2 anchor) {
    if (!avz_scene_need(s, "avz_text_at", "utf8", utf8))
        return AVZ_NONE;
    avz_text_style style = text_style(font_size, flags);
    avz_parts parts = {0};
    avz_text_metrics m;
    if (avz_text_layout_on_baseline(s->fonts, utf8, &style, &parts, &m, &s->error)) {
        avz_scene_fail(s, s->error.code, "text \"%s\": cannot lay out", utf8);
        return AVZ_NONE;
    }
    double ink_mid = m.left + m.width / 2;
    double baseline = flags & AVZ_TEXT_MIDDLE ? at.y - m.cap_height / 2 : at.y;
    avz_parts_translate(&parts, AVZ_V(at.x - ink_mid - anchor.x * m.width / 2, baseline));
    return add_label(s, &parts, color);
}

avz_id avz_math(avz_scene *s, const char *tex, double font_size, avz_color color) {
    if (!avz_scene_need(s, "avz_math", "tex", tex))
        return AVZ_NONE;
    avz_parts parts = {0};
    int rc = avz_math_layout(s->fonts, tex, font_size, &parts, &s->error);
    if (rc) {
        avz_parts_free(&parts);
        avz_scene_fail(s, rc, "formula \"%s\": cannot lay out", tex);
        return AVZ_NONE;
    }
    return add_label(s, &parts, color);
}

avz_id avz_group_of(avz_scene *s, const avz_id *members, size_t count) {
    /* No members need no array: avz_group_new passes NULL, 0. */
    if (count && !avz_scene_need(s, "avz_group_of", "members", members))
        return AVZ_NONE;
    avz_id g = add_node(s, (avz_node){.is_group = true});
    for (size_t i = 0; g != AVZ_NONE && i < count; i++)
        avz_group_add(s, g, members[i]);
    return !s || s->error.code ? AVZ_NONE : g;
}

/* ── Walking groups ────────────────────────────────────────────────────────────────
 * Walks recurse once a level, and a node shared by groups is walked once for each: bounds
 * on both keep a scene built in a loop from exhausting the stack or the afternoon. */

/* Far deeper than any figure nests. */
#define MAX_NESTING 256
/* Nodes one walk visits, shared ones counted each time they are reached. */
#define MAX_VISITS (1u << 24)

/* One more node at depth: false, with the error latched, past either bound or once a stop
 * is asked for (checked every few thousand nodes). */
static bool walk_step(avz_scene *s, size_t *visits, int depth) {
    if (s->error.code)
        return false;
    if (depth > MAX_NESTING)
        return avz_scene_fail(s, -EINVAL, "groups nest more than %d deep", MAX_NESTING), false;
    if (++*visits > MAX_VISITS)
        return avz_scene_fail(s, -EINVAL,
                              "a group reaches more than %u nodes, counting a shared one each "
                              "time",
                              MAX_VISITS),
               false;
    return (*visits & 4095) || !avz_scene_stopped(s);
}

static bool contains_at(avz_scene *s, avz_id outer, avz_id inner, size_t *visits, int depth) {
    if (outer == inner || !walk_step(s, visits, depth))
        return true; /* after an error: the caller's join is refused */
    const avz_node *n = &s->nodes[outer];
    for (size_t i = 0; i < n->member_count; i++)
        if (contains_at(s, n->members[i], inner, visits, depth + 1))
            return true;
    return false;
}

/* True when node `inner` is `outer` or lies anywhere inside it. */
static bool contains(avz_scene *s, avz_id outer, avz_id inner) {
    size_t visits = 0;
    return contains_at(s, outer, inner, &visits, 0);
}

void avz_group_add(avz_scene *s, avz_id group, avz_id member) {
    if (!avz_scene_valid_id(s, group) || !avz_scene_valid_id(s, member))
        return;
    if (!s->nodes[group].is_group || contains(s, member, group)) {
        avz_scene_fail(s, -EINVAL, "node %d cannot join group %d (%s)", (int)member, (int)group,
                       s->nodes[group].is_group ? "it holds the group" : "not a group");
        return;
    }
    avz_node *g = &s->nodes[group];
    if (AVZ_SCENE_RESERVE(s, g->members, g->member_count, g->member_capacity))
        return;
    g->members[g->member_count++] = member;
}

size_t avz_group_size(const avz_scene *s, avz_id group) {
    return s && group >= 0 && (size_t)group < s->node_count ? s->nodes[group].member_count : 0;
}

avz_id avz_group_member(const avz_scene *s, avz_id group, size_t index) {
    return index < avz_group_size(s, group) ? s->nodes[group].members[index] : AVZ_NONE;
}

avz_id avz_outline(avz_scene *s, avz_bbox box, avz_color color, double stroke_width) {
    if (!s || s->error.code)
        return AVZ_NONE;
    avz_path p = {0};
    int rc = avz_path_rect(&p, box);
    return add_path(s, &p, rc, avz_stroke_style(color, stroke_width));
}

avz_id avz_surround(avz_scene *s, avz_id target, avz_color color, double buff,
                    double stroke_width) {
    if (!avz_scene_valid_id(s, target))
        return AVZ_NONE;
    return avz_outline(s, avz_bbox_grow(avz_bounds(s, target), buff), color, stroke_width);
}

/* ── Walking a node's leaves ───────────────────────────────────────────────────────── */

static void each_leaf_at(avz_scene *s, avz_id id, avz_leaf_fn fn, void *ctx, size_t *visits,
                         int depth) {
    if (!walk_step(s, visits, depth))
        return;
    avz_node *n = &s->nodes[id];
    if (!n->is_group) {
        fn(s, n, ctx);
        return;
    }
    for (size_t i = 0; i < n->member_count; i++)
        each_leaf_at(s, n->members[i], fn, ctx, visits, depth + 1);
}

void avz_scene_for_each_leaf(avz_scene *s, avz_id id, avz_leaf_fn fn, void *ctx) {
    size_t visits = 0;
    each_leaf_at(s, id, fn, ctx, &visits, 0);
}

static void bounds_of_leaf(avz_scene *s, avz_node *leaf, void *ctx) {
    (void)s;
    avz_bbox *box = ctx;
    *box = avz_bbox_union(*box, avz_parts_bbox(&leaf->parts));
}

avz_bbox avz_bounds(const avz_scene *s, avz_id id) {
    avz_bbox box = avz_bbox_empty();
    if (s && id >= 0 && (size_t)id < s->node_count)
        avz_scene_for_each_leaf((avz_scene *)s, id, bounds_of_leaf, &box);
    return avz_bbox_is_empty(box) ? (avz_bbox){0, 0, 0, 0} : box;
}

avz_vec2 avz_center(const avz_scene *s, avz_id id) {
    return avz_bbox_center(avz_bounds(s, id));
}

avz_vec2 avz_edge(const avz_scene *s, avz_id id, avz_vec2 dir) {
    return avz_bbox_edge(avz_bounds(s, id), dir);
}

double avz_width(const avz_scene *s, avz_id id) {
    return avz_bbox_width(avz_bounds(s, id));
}

double avz_height(const avz_scene *s, avz_id id) {
    return avz_bbox_height(avz_bounds(s, id));
}

/* ── Placement ─────────────────────────────────────────────────────────────────────── */

typedef struct {
    double scale;
    avz_vec2 offset;
} affine_ctx;

static void transform_leaf(avz_scene *s, avz_node *leaf, void *ctx) {
    (void)s;
    const affine_ctx *a = ctx;
    for (size_t i = 0; i < leaf->parts.count; i++)
        avz_path_transform(&leaf->parts.items[i], a->scale, a->offset);
}

void avz_shift(avz_scene *s, avz_id id, avz_vec2 by) {
    if (avz_scene_valid_id(s, id))
        avz_scene_for_each_leaf(s, id, transform_leaf, &(affine_ctx){1.0, by});
}

void avz_move_to(avz_scene *s, avz_id id, avz_vec2 center) {
    avz_vec2 c = avz_center(s, id);
    avz_shift(s, id, AVZ_V(center.x - c.x, center.y - c.y));
}

void avz_fit_width(avz_scene *s, avz_id id, double max_width) {
    double width = avz_width(s, id);
    if (width > max_width && max_width > 0)
        avz_scale(s, id, max_width / width);
}

void avz_scale(avz_scene *s, avz_id id, double factor) {
    if (!avz_scene_valid_id(s, id))
        return;
    avz_vec2 c = avz_center(s, id);
    avz_scene_for_each_leaf(s, id, transform_leaf,
                            &(affine_ctx){factor, {c.x * (1 - factor), c.y * (1 - factor)}});
}

static void rotate_leaf(avz_scene *s, avz_node *leaf, void *ctx) {
    (void)s;
    const double *args = ctx; /* centre x, centre y, angle */
    for (size_t i = 0; i < leaf->parts.count; i++)
        avz_path_rotate(&leaf->parts.items[i], AVZ_V(args[0], args[1]), args[2]);
}

void avz_rotate(avz_scene *s, avz_id id, double radians) {
    if (!avz_scene_valid_id(s, id))
        return;
    avz_vec2 c = avz_center(s, id);
    avz_scene_for_each_leaf(s, id, rotate_leaf, (double[]){c.x, c.y, radians});
}

void avz_next_to_point(avz_scene *s, avz_id id, avz_vec2 point, avz_vec2 dir, double buff) {
    if (!avz_scene_valid_id(s, id))
        return;
    /* The node's edge facing back towards the point lands buff away from it along dir. */
    avz_vec2 own = avz_edge(s, id, AVZ_V(-dir.x, -dir.y));
    avz_vec2 target = {point.x + dir.x * buff, point.y + dir.y * buff};
    avz_shift(s, id, AVZ_V(target.x - own.x, target.y - own.y));
}

void avz_next_to(avz_scene *s, avz_id id, avz_id target, avz_vec2 dir, double buff) {
    if (avz_scene_valid_id(s, target))
        avz_next_to_point(s, id, avz_edge(s, target, dir), dir, buff);
}

void avz_to_edge(avz_scene *s, avz_id id, avz_vec2 dir, double buff) {
    if (!avz_scene_valid_id(s, id))
        return;
    avz_bbox frame = centred_box(AVZ_FRAME_WIDTH, AVZ_FRAME_HEIGHT);
    avz_vec2 own = avz_edge(s, id, dir), edge = avz_bbox_edge(frame, dir);
    /* Only the axes dir points along move, as in the original. */
    avz_vec2 by = {dir.x ? edge.x - dir.x * buff - own.x : 0,
                   dir.y ? edge.y - dir.y * buff - own.y : 0};
    avz_shift(s, id, by);
}

void avz_align_to(avz_scene *s, avz_id id, avz_id target, avz_vec2 dir) {
    if (!avz_scene_valid_id(s, id) || !avz_scene_valid_id(s, target))
        return;
    avz_vec2 own = avz_edge(s, id, dir), goal = avz_edge(s, target, dir);
    avz_shift(s, id, AVZ_V(dir.x ? goal.x - own.x : 0, dir.y ? goal.y - own.y : 0));
}

void avz_arrange(avz_scene *s, avz_id group, avz_vec2 dir, double buff, avz_vec2 aligned_edge) {
    if (!avz_scene_valid_id(s, group))
        return;
    avz_node *g = &s->nodes[group];
    avz_vec2 old_center = avz_center(s, group);
    for (size_t i = 1; i < g->member_count; i++) {
        avz_id m = g->members[i], prev = g->members[i - 1];
        avz_next_to(s, m, prev, dir, buff);
        /* Along the other axis: line up edges, or centres when aligned_edge is the origin. */
        avz_vec2 cross = dir.x ? AVZ_V(0, aligned_edge.y) : AVZ_V(aligned_edge.x, 0);
        avz_vec2 own = avz_edge(s, m, cross), goal = avz_edge(s, prev, cross);
        avz_shift(s, m, dir.x ? AVZ_V(0, goal.y - own.y) : AVZ_V(goal.x - own.x, 0));
    }
    avz_move_to(s, group, old_center);
}

static void fill_leaf(avz_scene *s, avz_node *leaf, void *ctx) {
    (void)s;
    const avz_style *st = ctx;
    leaf->style.fill = st->fill;
    leaf->style.fill_opacity = st->fill_opacity;
}

void avz_set_fill(avz_scene *s, avz_id id, avz_color color, double opacity) {
    if (avz_scene_valid_id(s, id))
        avz_scene_for_each_leaf(s, id, fill_leaf,
                                &(avz_style){.fill = color, .fill_opacity = opacity});
}

static void stroke_leaf(avz_scene *s, avz_node *leaf, void *ctx) {
    (void)s;
    const avz_style *st = ctx;
    leaf->style.stroke = st->stroke;
    leaf->style.stroke_width = st->stroke_width;
}

void avz_set_stroke(avz_scene *s, avz_id id, avz_color color, double width) {
    if (avz_scene_valid_id(s, id))
        avz_scene_for_each_leaf(s, id, stroke_leaf,
                                &(avz_style){.stroke = color, .stroke_width = width});
}

static void z_leaf(avz_scene *s, avz_node *leaf, void *ctx) {
    avz_id id = (avz_id)(leaf - s->nodes);
    leaf->z = *(const int *)ctx;
    /* Out of the order, and back in where (z, id) puts it. */
    size_t n = s->node_count, at = 0;
    while (s->order[at] != id)
        at++;
    memmove(s->order + at, s->order + at + 1, (n - 1 - at) * sizeof *s->order);
    at = 0;
    while (at < n - 1 && (s->nodes[s->order[at]].z < leaf->z ||
                          (s->nodes[s->order[at]].z == leaf->z && s->order[at] < id)))
        at++;
    memmove(s->order + at + 1, s->order + at, (n - 1 - at) * sizeof *s->order);
    s->order[at] = id;
}

void avz_set_z(avz_scene *s, avz_id id, int z) {
    if (avz_scene_valid_id(s, id))
        avz_scene_for_each_leaf(s, id, z_leaf, &z);
}
