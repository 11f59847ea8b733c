/* attnviz drawing: one sampled frame state to pixels, with cairo. Fill first, then stroke,
 * as the original does; stroke widths do not scale with the node (the original's don't).
 *
 * A node drawn whole is rasterised into coverage masks (fill, stroke) and composited with its
 * colours; a canvas keeps the masks while the node stays put, so a node that only changes
 * colour or opacity, or is redrawn because something near it changed, costs a composite
 * rather than a rasterisation. So do the finished parts of a node mid-Create or mid-Write.
 * A canvas also keeps its pixels between frames and redraws only the boxes a change
 * touches. */
#include "attnviz/draw.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/cancel.h"
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
    int width, height;     /* the frame in pixels */
} viewport;

static viewport viewport_of(int width, int height) {
    viewport vp = {.unit = height / AVZ_FRAME_HEIGHT, .width = width, .height = height};
    vp.half_h = AVZ_FRAME_HEIGHT / 2;
    vp.half_w = width / vp.unit / 2;
    return vp;
}

/* A point p lands at (origin.x + p.x * sx, origin.y - p.y * sy). */
static void append_scaled(cairo_t *cr, const avz_path *path, double sx, double sy,
                          avz_vec2 origin) {
#define PX(pt) (origin.x + (pt).x * sx), (origin.y - (pt).y * sy)
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

void avz_draw_append_path(cairo_t *cr, const avz_path *path, double scale, avz_vec2 origin) {
    append_scaled(cr, path, scale, scale, origin);
}

/* Where a node's point (0, 0) lands in pixels; a point p lands at origin + (p.x, -p.y) times
 * the node's scale in pixels. */
static avz_vec2 node_origin(const avz_node_state *n, const viewport *vp) {
    return (avz_vec2){(n->offset.x + vp->half_w) * vp->unit, (vp->half_h - n->offset.y) * vp->unit};
}

static void append_part(cairo_t *cr, const avz_path *path, const avz_node_state *n,
                        const viewport *vp) {
    append_scaled(cr, path, n->scale.x * vp->unit, n->scale.y * vp->unit, node_origin(n, vp));
}

static void set_source(cairo_t *cr, avz_color c, double alpha) {
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

/* false when out of memory for the part's partial path. */
static bool draw_part(cairo_t *cr, const avz_path *full, const avz_node_state *n,
                      const avz_part_state *ps, const viewport *vp) {
    if (ps->draw <= 0)
        return true;
    avz_path partial = {0};
    const avz_path *path = full;
    if (ps->draw < 1) {
        if (avz_path_partial(full, ps->draw, &partial))
            return false;
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
    return true;
}

/* A box of whole pixels, [x0, x1) x [y0, y1); empty when either side is not positive. */
typedef struct pixel_box {
    int x0, y0, x1, y1;
} pixel_box;

#define NO_BOX ((pixel_box){0, 0, 0, 0})

static bool box_empty(pixel_box b) {
    return b.x0 >= b.x1 || b.y0 >= b.y1;
}

static bool boxes_meet(pixel_box a, pixel_box b) {
    return a.y0 < b.y1 && b.y0 < a.y1 && a.x0 < b.x1 && b.x0 < a.x1;
}

static pixel_box box_union(pixel_box a, pixel_box b) {
    return (pixel_box){a.x0 < b.x0 ? a.x0 : b.x0, a.y0 < b.y0 ? a.y0 : b.y0,
                       a.x1 > b.x1 ? a.x1 : b.x1, a.y1 > b.y1 ? a.y1 : b.y1};
}

static long box_area(pixel_box b) {
    return (long)(b.x1 - b.x0) * (b.y1 - b.y0);
}

static bool drawn(const avz_node *node, const avz_node_state *n) {
    return !node->is_group && n->visible && n->opacity > 0;
}

/* Every part shown in full and in the node's own style: not mid-Create or mid-Write. */
static bool whole(const avz_node *node, const avz_part_state *parts) {
    for (size_t p = 0; p < node->parts.count; p++)
        if (parts[p].draw != 1 || parts[p].outline != 0)
            return false;
    return true;
}

/* The pixels a shape may touch: `bounds` (in scene units) placed by node state n, grown by a
 * stroke of `width` with mitred corners and by antialiasing; cut to the frame. */
static pixel_box place_box(avz_bbox bounds, const avz_node_state *n, double width,
                           const viewport *vp) {
    if (avz_bbox_is_empty(bounds))
        return NO_BOX;
    double margin = MITER_LIMIT * width / 200.0 * vp->unit + EDGE_PIXELS;
    avz_vec2 o = node_origin(n, vp);
    double kx = n->scale.x * vp->unit, ky = n->scale.y * vp->unit;
    double xa = o.x + bounds.x0 * kx, xb = o.x + bounds.x1 * kx;
    double ya = o.y - bounds.y1 * ky, yb = o.y - bounds.y0 * ky;
    pixel_box box = {(int)fmax(floor(fmin(xa, xb) - margin), 0),
                     (int)fmax(floor(fmin(ya, yb) - margin), 0),
                     (int)fmin(ceil(fmax(xa, xb) + margin), vp->width),
                     (int)fmin(ceil(fmax(ya, yb) + margin), vp->height)};
    return box_empty(box) ? NO_BOX : box;
}

/* The pixels a node may touch, with the widest stroke it can have (Write's outline
 * included); none when it is not drawn. */
static pixel_box node_box(const avz_node *node, const avz_node_state *n,
                          const avz_part_state *parts, avz_bbox bounds, const viewport *vp) {
    if (!drawn(node, n))
        return NO_BOX;
    double width = n->style.stroke_width;
    for (size_t p = 0; p < node->parts.count; p++)
        if (parts[p].outline > 0)
            width = fmax(width, WRITE_OUTLINE_WIDTH);
    return place_box(bounds, n, width, vp);
}

/* ── Coverage masks ────────────────────────────────────────────────────────────────── */

/* The coverage of a shape (a whole node, or one part of it) in the node's style: A8 masks,
 * each drawn when first needed, over `box`. */
typedef struct masks {
    pixel_box box;
    cairo_surface_t *fill, *stroke;
} masks;

/* A node's masks where it was last drawn, with what they were drawn for. */
typedef struct coverage {
    bool valid;
    avz_vec2 scale;
    double stroke_width;
    avz_vec2 offset;
    masks whole;  /* the node drawn whole */
    masks *parts; /* its finished parts, while others are mid-Create or mid-Write */
    size_t part_count;
} coverage;

static void masks_clear(masks *m) {
    if (m->fill)
        cairo_surface_destroy(m->fill);
    if (m->stroke)
        cairo_surface_destroy(m->stroke);
    *m = (masks){0};
}

static void coverage_clear_parts(coverage *cov) {
    for (size_t p = 0; p < cov->part_count; p++)
        masks_clear(&cov->parts[p]);
    free(cov->parts);
    cov->parts = NULL;
    cov->part_count = 0;
}

static void coverage_clear(coverage *cov) {
    masks_clear(&cov->whole);
    coverage_clear_parts(cov);
    *cov = (coverage){0};
}

/* Keeps cov's masks if they were drawn for n's placement and stroke width, else drops them. */
static void coverage_fit(coverage *cov, const avz_node_state *n) {
    if (cov->valid && cov->scale.x == n->scale.x && cov->scale.y == n->scale.y &&
        cov->offset.x == n->offset.x && cov->offset.y == n->offset.y &&
        cov->stroke_width == n->style.stroke_width)
        return;
    coverage_clear(cov);
    *cov = (coverage){.valid = true,
                      .scale = n->scale,
                      .offset = n->offset,
                      .stroke_width = n->style.stroke_width};
}

/* Rasterises paths, as one path, into an A8 mask over `box`. The box's corner is a whole
 * pixel, so the shape sits on the pixel grid as it would in the frame. */
static cairo_surface_t *rasterise(const avz_path *paths, size_t count, const avz_node_state *n,
                                  const viewport *vp, pixel_box box, bool stroke) {
    cairo_surface_t *mask =
        cairo_image_surface_create(CAIRO_FORMAT_A8, box.x1 - box.x0, box.y1 - box.y0);
    cairo_t *cr = cairo_create(mask);
    cairo_translate(cr, -box.x0, -box.y0);
    for (size_t p = 0; p < count; p++)
        append_part(cr, &paths[p], n, vp);
    if (stroke) {
        cairo_set_line_width(cr, n->style.stroke_width / 100.0 * vp->unit);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (status == CAIRO_STATUS_SUCCESS)
        cairo_surface_flush(mask);
    if (status != CAIRO_STATUS_SUCCESS || cairo_surface_status(mask) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(mask);
        return NULL;
    }
    return mask;
}

/* Composites the shape's fill and stroke in the node's style, rasterising the masks first if
 * need be. False when out of memory. */
static bool paint_masks(cairo_t *cr, masks *m, const avz_path *paths, size_t count,
                        const avz_node_state *n, const viewport *vp) {
    const avz_style *st = &n->style;
    double fill_alpha = st->fill_opacity * n->opacity;
    double stroke_alpha = st->stroke_opacity * n->opacity;
    if (box_empty(m->box))
        return true;
    if (fill_alpha > 0) {
        if (!m->fill && !(m->fill = rasterise(paths, count, n, vp, m->box, false)))
            return false;
        set_source(cr, st->fill, fill_alpha);
        cairo_mask_surface(cr, m->fill, m->box.x0, m->box.y0);
    }
    if (st->stroke_width > 0 && stroke_alpha > 0) {
        if (!m->stroke && !(m->stroke = rasterise(paths, count, n, vp, m->box, true)))
            return false;
        set_source(cr, st->stroke, stroke_alpha);
        cairo_mask_surface(cr, m->stroke, m->box.x0, m->box.y0);
    }
    return true;
}

/* Draws a whole node from its masks (box: where it may reach). */
static bool draw_whole(cairo_t *cr, const avz_node *node, const avz_node_state *n, pixel_box box,
                       coverage *cov, const viewport *vp) {
    coverage_fit(cov, n);
    coverage_clear_parts(cov); /* whole now: its parts' masks are needed no more */
    if (box_empty(cov->whole.box))
        cov->whole.box = box;
    return paint_masks(cr, &cov->whole, node->parts.items, node->parts.count, n, vp);
}

/* Draws a node mid-Create or mid-Write: its finished parts from masks, which stay valid as
 * the others progress, and the parts in progress directly. */
static bool draw_parts(cairo_t *cr, const avz_node *node, const avz_node_state *n,
                       const avz_part_state *parts, coverage *cov, const viewport *vp) {
    coverage_fit(cov, n);
    if (!cov->parts) {
        if (!(cov->parts = calloc(node->parts.count, sizeof *cov->parts)))
            return false;
        cov->part_count = node->parts.count;
    }
    for (size_t p = 0; p < node->parts.count; p++) {
        const avz_path *path = &node->parts.items[p];
        if (parts[p].draw != 1 || parts[p].outline != 0) {
            if (!draw_part(cr, path, n, &parts[p], vp))
                return false;
            continue;
        }
        masks *m = &cov->parts[p];
        if (box_empty(m->box))
            m->box = place_box(avz_path_bbox(path), n, n->style.stroke_width, vp);
        if (!paint_masks(cr, m, path, 1, n, vp))
            return false;
    }
    return true;
}

/* ── Frames ────────────────────────────────────────────────────────────────────────── */

/* What a canvas keeps of each node for draw_box: where it may reach in the state drawn, and
 * its masks. Without one, draw_box works both out for the draw alone. */
typedef struct node_cache {
    const pixel_box *reach;
    coverage *covs;
} node_cache;

/* Clears the box to the background and draws every visible node of st that may reach into
 * it. A whole node's masks give the same pixels under any clip; a node drawn part by part
 * must not be cut by the box's sides (see settle()). 0, -ENOMEM, or -EINTR when a stop is
 * asked for (avz_cancelled()). */
static int draw_box(const avz_scene *s, const avz_frame_state *st, cairo_t *cr, const viewport *vp,
                    pixel_box box, bool transparent, const node_cache *nc) {
    cairo_save(cr);
    cairo_rectangle(cr, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    cairo_clip(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgba(cr, 0, 0, 0, transparent ? 0 : 1);
    cairo_paint(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    bool ok = true;
    for (size_t k = 0; k < s->node_count; k++) {
        /* A frame of many large shapes takes long enough at 4K for Ctrl-C to matter. */
        if (k % 64 == 63 && avz_cancelled()) {
            cairo_restore(cr);
            return -EINTR;
        }
        avz_id i = s->order[k];
        const avz_node *node = &s->nodes[i];
        const avz_node_state *n = &st->nodes[i];
        const avz_part_state *parts = &st->parts[node->first_part];
        if (!drawn(node, n))
            continue;
        pixel_box reach =
            nc ? nc->reach[i] : node_box(node, n, parts, avz_parts_bbox(&node->parts), vp);
        if (!boxes_meet(reach, box))
            continue;
        coverage once = {0}, *cov = nc ? &nc->covs[i] : &once;
        ok = (whole(node, parts) ? draw_whole(cr, node, n, reach, cov, vp)
                                 : draw_parts(cr, node, n, parts, cov, vp)) &&
             ok;
        coverage_clear(&once);
    }
    cairo_restore(cr);
    return ok && cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -ENOMEM;
}

int avz_draw_frame(const avz_scene *s, const avz_frame_state *st, cairo_t *cr, int width,
                   int height, bool transparent) {
    viewport vp = viewport_of(width, height);
    return draw_box(s, st, cr, &vp, (pixel_box){0, 0, width, height}, transparent, NULL);
}

/* ── Canvas ────────────────────────────────────────────────────────────────────────── */

/* Changes this close share one box: drawing the pixels between costs less than drawing
 * the nodes that span both twice. */
#define BOX_GAP 16
#define MAX_BOXES 8

typedef struct damage {
    size_t count;
    pixel_box boxes[MAX_BOXES];
} damage;

/* Adds a box to the damage, merged with every box it comes near; when the damage is full,
 * with the box whose area that grows least. */
static void damage_add(damage *d, pixel_box r) {
    if (box_empty(r))
        return;
    for (bool merged = true; merged;) {
        merged = false;
        pixel_box near = {r.x0 - BOX_GAP, r.y0 - BOX_GAP, r.x1 + BOX_GAP, r.y1 + BOX_GAP};
        for (size_t i = 0; i < d->count; i++) {
            if (boxes_meet(d->boxes[i], near)) {
                r = box_union(r, d->boxes[i]);
                d->boxes[i] = d->boxes[--d->count];
                merged = true;
                break;
            }
        }
    }
    if (d->count < MAX_BOXES) {
        d->boxes[d->count++] = r;
        return;
    }
    size_t best = 0;
    for (size_t i = 1; i < d->count; i++)
        if (box_area(box_union(d->boxes[i], r)) - box_area(d->boxes[i]) <
            box_area(box_union(d->boxes[best], r)) - box_area(d->boxes[best]))
            best = i;
    d->boxes[best] = box_union(d->boxes[best], r);
}

/* Adds rows to the bands, merging those they overlap or touch. */
static void bands_add(avz_damage *d, avz_rows r) {
    size_t kept = 0, at = 0;
    for (size_t i = 0; i < d->count; i++) {
        avz_rows b = d->bands[i];
        if (b.first <= r.end && r.first <= b.end)
            r = (avz_rows){b.first < r.first ? b.first : r.first, b.end > r.end ? b.end : r.end};
        else
            d->bands[kept++] = b;
    }
    while (at < kept && d->bands[at].first < r.first)
        at++;
    memmove(d->bands + at + 1, d->bands + at, (kept - at) * sizeof *d->bands);
    d->bands[at] = r;
    d->count = kept + 1;
}

struct avz_canvas {
    const avz_scene *scene;
    bool transparent;
    viewport vp;
    avz_bbox *bounds;       /* each leaf's parts, in scene units, before its placement */
    pixel_box *reach;       /* the pixels each node may touch in the shown state */
    coverage *covs;         /* each node's masks, while it is whole and stays put */
    avz_frame_state *shown; /* what the pixels show */
    bool painted;           /* the pixels show `shown` (false until the first update) */
    cairo_surface_t *surface;
    cairo_t *cr;
};

int avz_canvas_new(const avz_scene *s, int width, int height, bool transparent, avz_canvas **out) {
    *out = NULL;
    avz_canvas *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    *c = (avz_canvas){.scene = s, .transparent = transparent, .vp = viewport_of(width, height)};
    c->bounds = calloc(s->node_count + 1, sizeof *c->bounds);
    c->reach = calloc(s->node_count + 1, sizeof *c->reach);
    c->covs = calloc(s->node_count + 1, sizeof *c->covs);
    int rc = c->bounds && c->reach && c->covs ? avz_frame_state_new(s, &c->shown) : -ENOMEM;
    if (!rc) {
        for (size_t i = 0; i < s->node_count; i++)
            c->bounds[i] = avz_parts_bbox(&s->nodes[i].parts);
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
    for (size_t i = 0; c->covs && i < c->scene->node_count; i++)
        coverage_clear(&c->covs[i]);
    avz_frame_state_free(c->shown);
    free(c->bounds);
    free(c->reach);
    free(c->covs);
    free(c);
}

static bool node_changed(const avz_node *node, size_t i, const avz_frame_state *a,
                         const avz_frame_state *b) {
    return memcmp(&a->nodes[i], &b->nodes[i], sizeof a->nodes[i]) != 0 ||
           memcmp(&a->parts[node->first_part], &b->parts[node->first_part],
                  node->parts.count * sizeof *a->parts) != 0;
}

/* Widens a box until no node drawn part by part crosses its left or right side: cairo draws
 * a path cut by a clip's side differently from the same path uncut (cut by its top or
 * bottom, the same). */
static pixel_box settle(const avz_canvas *c, const avz_frame_state *st, pixel_box box) {
    const avz_scene *s = c->scene;
    for (bool widened = true; widened;) {
        widened = false;
        for (size_t i = 0; i < s->node_count; i++) {
            const avz_node *node = &s->nodes[i];
            pixel_box r = c->reach[i];
            if (!drawn(node, &st->nodes[i]) || whole(node, &st->parts[node->first_part]) ||
                !boxes_meet(r, box) || (r.x0 >= box.x0 && r.x1 <= box.x1))
                continue;
            box.x0 = r.x0 < box.x0 ? r.x0 : box.x0;
            box.x1 = r.x1 > box.x1 ? r.x1 : box.x1;
            widened = true;
        }
    }
    return box;
}

int avz_canvas_update(avz_canvas *c, const avz_frame_state *st, avz_damage *changed) {
    const avz_scene *s = c->scene;
    damage d = {0};
    if (!c->painted)
        damage_add(&d, (pixel_box){0, 0, c->vp.width, c->vp.height});
    for (size_t i = 0; i < s->node_count; i++) {
        const avz_node *node = &s->nodes[i];
        if (c->painted && !node_changed(node, i, c->shown, st))
            continue;
        pixel_box now =
            node_box(node, &st->nodes[i], &st->parts[node->first_part], c->bounds[i], &c->vp);
        damage_add(&d, c->reach[i]);
        damage_add(&d, now);
        c->reach[i] = now;
    }
    node_cache nc = {c->reach, c->covs};
    changed->count = 0;
    int rc = 0;
    for (size_t b = 0; b < d.count && !rc; b++) {
        pixel_box box = settle(c, st, d.boxes[b]);
        rc = draw_box(s, st, c->cr, &c->vp, box, c->transparent, &nc);
        bands_add(changed, (avz_rows){box.y0, box.y1});
    }
    cairo_surface_flush(c->surface);
    avz_frame_state_copy(c->shown, st);
    c->painted = !rc; /* after a failure, nothing the pixels show can be trusted */
    return rc;
}

const uint8_t *avz_canvas_pixels(const avz_canvas *c, int *stride) {
    *stride = cairo_image_surface_get_stride(c->surface);
    return cairo_image_surface_get_data(c->surface);
}
