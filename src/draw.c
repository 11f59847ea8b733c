/* attnviz drawing: one sampled frame state to pixels, with cairo. Fill first, then stroke,
 * as the original does; stroke widths do not scale with the node (the original's don't).
 * A canvas keeps its pixels between frames and redraws only the box a change touches. */
#include "attnviz/draw.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scene_internal.h"
#include "timeline_internal.h"

/* Write's temporary outline: the original traces glyphs in white at stroke width 2. */
#define WRITE_OUTLINE_WIDTH 2.0
#define WRITE_OUTLINE_COLOR AVZ_WHITE

/* cairo's default miter limit: a join reaches at most this many half line widths out. */
#define MITER_LIMIT 10.0
/* Beyond a shape's geometric box: antialiasing and rounding to whole pixels. */
#define EDGE_PIXELS 2.0

typedef struct viewport {
    double unit;           /* pixels per scene unit */
    double half_w, half_h; /* half the frame in scene units */
} viewport;

static viewport viewport_of(int width, int height) {
    viewport vp = {.unit = height / AVZ_FRAME_HEIGHT};
    vp.half_h = AVZ_FRAME_HEIGHT / 2;
    vp.half_w = width / vp.unit / 2;
    return vp;
}

void avz_draw_append_path(cairo_t *cr, const avz_path *path, double scale, avz_vec2 origin) {
#define PX(pt) (origin.x + (pt).x * scale), (origin.y - (pt).y * scale)
    for (size_t i = 0; i < path->count; i++) {
        const avz_seg *sg = &path->segs[i];
        switch (sg->kind) {
        case AVZ_SEG_MOVE:
            cairo_move_to(cr, PX(sg->p[0]));
            break;
        case AVZ_SEG_LINE:
            cairo_line_to(cr, PX(sg->p[0]));
            break;
        case AVZ_SEG_CUBIC:
            cairo_curve_to(cr, PX(sg->p[0]), PX(sg->p[1]), PX(sg->p[2]));
            break;
        case AVZ_SEG_CLOSE:
            cairo_close_path(cr);
            break;
        }
    }
#undef PX
}

/* Appends a node's part in device space: p * scale + offset, then scene units to pixels. */
static void append_part(cairo_t *cr, const avz_path *path, const avz_node_state *n,
                        const viewport *vp) {
    avz_vec2 origin = {(n->offset.x + vp->half_w) * vp->unit,
                       (vp->half_h - n->offset.y) * vp->unit};
    avz_draw_append_path(cr, path, n->scale * vp->unit, origin);
}

static void set_source(cairo_t *cr, avz_color c, double alpha) {
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

static void draw_part(cairo_t *cr, const avz_path *full, const avz_node_state *n,
                      const avz_part_state *ps, const viewport *vp) {
    if (ps->draw <= 0)
        return;
    avz_path partial = {0};
    const avz_path *path = full;
    if (ps->draw < 1) {
        if (avz_path_partial(full, ps->draw, &partial))
            return;
        path = &partial;
    }
    /* Write blends from a thin white outline (outline = 1) to the node's own style. */
    double m = ps->outline;
    const avz_style *st = &n->style;
    double fill_alpha = st->fill_opacity * (1 - m) * n->opacity;
    avz_color stroke = avz_color_lerp(st->stroke, WRITE_OUTLINE_COLOR, m);
    double stroke_alpha = (st->stroke_opacity + (1 - st->stroke_opacity) * m) * n->opacity;
    double stroke_width = st->stroke_width + (WRITE_OUTLINE_WIDTH - st->stroke_width) * m;

    cairo_new_path(cr);
    append_part(cr, path, n, vp);
    if (fill_alpha > 0) {
        set_source(cr, st->fill, fill_alpha);
        cairo_fill_preserve(cr);
    }
    if (stroke_width > 0 && stroke_alpha > 0) {
        set_source(cr, stroke, stroke_alpha);
        cairo_set_line_width(cr, stroke_width / 100.0 * vp->unit);
        cairo_stroke_preserve(cr);
    }
    cairo_new_path(cr);
    avz_path_free(&partial);
}

static bool rows_empty(avz_rows r) {
    return r.first >= r.end;
}

static bool rows_overlap(avz_rows a, avz_rows b) {
    return a.first < b.end && b.first < a.end;
}

static bool drawn(const avz_node *node, const avz_node_state *n) {
    return !node->is_group && n->visible && n->opacity > 0;
}

/* Clears the rows to the background and draws every visible node of st that may reach into
 * them (`reach` holds the rows each node may touch; NULL draws them all). */
static void draw_rows(const avz_scene *s, const avz_frame_state *st, cairo_t *cr,
                      const viewport *vp, int width, avz_rows rows, bool transparent,
                      const avz_rows *reach) {
    cairo_save(cr);
    cairo_rectangle(cr, 0, rows.first, width, rows.end - rows.first);
    cairo_clip(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgba(cr, 0, 0, 0, transparent ? 0 : 1);
    cairo_paint(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    for (size_t i = 0; i < s->node_count; i++) {
        const avz_node *node = &s->nodes[i];
        const avz_node_state *n = &st->nodes[i];
        if (!drawn(node, n) || (reach && !rows_overlap(reach[i], rows)))
            continue;
        for (size_t p = 0; p < node->parts.count; p++)
            draw_part(cr, &node->parts.items[p], n, &st->parts[node->first_part + p], vp);
    }
    cairo_restore(cr);
}

void avz_draw_frame(const avz_scene *s, const avz_frame_state *st, cairo_t *cr, int width,
                    int height, bool transparent) {
    viewport vp = viewport_of(width, height);
    draw_rows(s, st, cr, &vp, width, (avz_rows){0, height}, transparent, NULL);
}

/* ── Canvas ────────────────────────────────────────────────────────────────────────── */

/* The canvas redraws whole rows: cairo rasterises a band of full rows to the same bytes as
 * the whole frame, but a clip that cuts rows short changes the pixels at its left edge. */

#define NO_ROWS ((avz_rows){0, 0})
/* Changes this close share one band: drawing the rows between costs less than drawing the
 * nodes that span both twice. */
#define BAND_GAP 16

static avz_rows rows_union(avz_rows a, avz_rows b) {
    return (avz_rows){a.first < b.first ? a.first : b.first, a.end > b.end ? a.end : b.end};
}

/* Adds rows to the damage, merging the bands they come near; past AVZ_DAMAGE_BANDS, the two
 * nearest bands become one. */
static void damage_add(avz_damage *d, avz_rows r) {
    if (rows_empty(r))
        return;
    size_t kept = 0, at = 0;
    for (size_t i = 0; i < d->count; i++) {
        avz_rows b = d->bands[i];
        if (b.first <= r.end + BAND_GAP && r.first <= b.end + BAND_GAP)
            r = rows_union(r, b);
        else
            d->bands[kept++] = b;
    }
    while (at < kept && d->bands[at].first < r.first)
        at++;
    if (kept == AVZ_DAMAGE_BANDS) {
        /* Full: merge the closest neighbours among the bands and r. */
        avz_rows all[AVZ_DAMAGE_BANDS + 1];
        memcpy(all, d->bands, at * sizeof *all);
        all[at] = r;
        memcpy(all + at + 1, d->bands + at, (kept - at) * sizeof *all);
        size_t closest = 0;
        for (size_t i = 1; i < kept; i++)
            if (all[i + 1].first - all[i].end < all[closest + 1].first - all[closest].end)
                closest = i;
        all[closest] = rows_union(all[closest], all[closest + 1]);
        memmove(all + closest + 1, all + closest + 2, (kept - closest - 1) * sizeof *all);
        memcpy(d->bands, all, kept * sizeof *all);
        d->count = kept;
        return;
    }
    memmove(d->bands + at + 1, d->bands + at, (kept - at) * sizeof *d->bands);
    d->bands[at] = r;
    d->count = kept + 1;
}

struct avz_canvas {
    const avz_scene *scene;
    int width, height;
    bool transparent;
    viewport vp;
    avz_bbox *hulls;        /* each leaf's parts, in scene units, before its placement */
    avz_rows *reach;        /* the rows each node touches in the shown state */
    avz_frame_state *shown; /* what the pixels show */
    bool painted;           /* the pixels show `shown` (false until the first update) */
    cairo_surface_t *surface;
    cairo_t *cr;
};

/* The rows node i may touch in state st: its parts' hull placed by the state, grown by the
 * widest stroke it can have (Write's outline included) with mitred corners, and by
 * antialiasing. None when it is not drawn or lies outside the frame. */
static avz_rows node_reach(const avz_canvas *c, size_t i, const avz_frame_state *st) {
    const avz_node *node = &c->scene->nodes[i];
    const avz_node_state *n = &st->nodes[i];
    avz_bbox b = c->hulls[i];
    if (!drawn(node, n) || avz_bbox_is_empty(b))
        return NO_ROWS;
    double width = n->style.stroke_width;
    for (size_t p = 0; p < node->parts.count; p++)
        if (st->parts[node->first_part + p].outline > 0)
            width = fmax(width, WRITE_OUTLINE_WIDTH);
    const viewport *vp = &c->vp;
    double margin = MITER_LIMIT * width / 200.0 * vp->unit + EDGE_PIXELS;
    double xa = (n->offset.x + b.x0 * n->scale + vp->half_w) * vp->unit;
    double xb = (n->offset.x + b.x1 * n->scale + vp->half_w) * vp->unit;
    double ya = (vp->half_h - n->offset.y - b.y1 * n->scale) * vp->unit;
    double yb = (vp->half_h - n->offset.y - b.y0 * n->scale) * vp->unit;
    if (fmax(xa, xb) + margin <= 0 || fmin(xa, xb) - margin >= c->width)
        return NO_ROWS;
    double first = fmax(floor(fmin(ya, yb) - margin), 0);
    double end = fmin(ceil(fmax(ya, yb) + margin), c->height);
    return first < end ? (avz_rows){(int)first, (int)end} : NO_ROWS;
}

int avz_canvas_new(const avz_scene *s, int width, int height, bool transparent, avz_canvas **out) {
    *out = NULL;
    avz_canvas *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    *c = (avz_canvas){.scene = s,
                      .width = width,
                      .height = height,
                      .transparent = transparent,
                      .vp = viewport_of(width, height)};
    c->hulls = calloc(s->node_count + 1, sizeof *c->hulls);
    c->reach = calloc(s->node_count + 1, sizeof *c->reach);
    int rc = c->hulls && c->reach ? avz_frame_state_new(s, &c->shown) : -ENOMEM;
    if (!rc) {
        for (size_t i = 0; i < s->node_count; i++)
            c->hulls[i] = avz_parts_hull(&s->nodes[i].parts);
        c->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
        c->cr = cairo_create(c->surface);
        if (cairo_status(c->cr) != CAIRO_STATUS_SUCCESS)
            rc = -ENOMEM;
    }
    if (rc) {
        avz_canvas_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void avz_canvas_free(avz_canvas *c) {
    if (!c)
        return;
    if (c->cr)
        cairo_destroy(c->cr);
    if (c->surface)
        cairo_surface_destroy(c->surface);
    avz_frame_state_free(c->shown);
    free(c->hulls);
    free(c->reach);
    free(c);
}

static bool node_changed(const avz_node *node, size_t i, const avz_frame_state *a,
                         const avz_frame_state *b) {
    return memcmp(&a->nodes[i], &b->nodes[i], sizeof a->nodes[i]) != 0 ||
           memcmp(&a->parts[node->first_part], &b->parts[node->first_part],
                  node->parts.count * sizeof *a->parts) != 0;
}

void avz_canvas_update(avz_canvas *c, const avz_frame_state *st, avz_damage *changed) {
    const avz_scene *s = c->scene;
    changed->count = 0;
    if (!c->painted)
        damage_add(changed, (avz_rows){0, c->height});
    for (size_t i = 0; i < s->node_count; i++) {
        if (c->painted && !node_changed(&s->nodes[i], i, c->shown, st))
            continue;
        avz_rows now = node_reach(c, i, st);
        damage_add(changed, c->reach[i]);
        damage_add(changed, now);
        c->reach[i] = now;
    }
    for (size_t b = 0; b < changed->count; b++)
        draw_rows(s, st, c->cr, &c->vp, c->width, changed->bands[b], c->transparent, c->reach);
    cairo_surface_flush(c->surface);
    avz_frame_state_copy(c->shown, st);
    c->painted = true;
}

const uint8_t *avz_canvas_pixels(const avz_canvas *c, int *stride) {
    *stride = cairo_image_surface_get_stride(c->surface);
    return cairo_image_surface_get_data(c->surface);
}
