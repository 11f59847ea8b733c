/* attnviz drawing: one sampled frame state to pixels, with cairo. Fill first, then stroke,
 * as the original does; stroke widths do not scale with the node (the original's don't). */
#include "attnviz/draw.h"

#include <math.h>

#include "scene_internal.h"
#include "timeline_internal.h"

/* Write's temporary outline: the original traces glyphs in white at stroke width 2. */
#define WRITE_OUTLINE_WIDTH 2.0
#define WRITE_OUTLINE_COLOR AVZ_WHITE

typedef struct viewport {
    double unit;           /* pixels per scene unit */
    double half_w, half_h; /* half the frame in scene units */
} viewport;

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

void avz_draw_frame(const avz_scene *s, const avz_frame_state *st, cairo_t *cr, int width,
                    int height, bool transparent) {
    viewport vp = {.unit = height / AVZ_FRAME_HEIGHT};
    vp.half_h = AVZ_FRAME_HEIGHT / 2;
    vp.half_w = width / vp.unit / 2;

    cairo_save(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgba(cr, 0, 0, 0, transparent ? 0 : 1);
    cairo_paint(cr);
    cairo_restore(cr);

    for (size_t i = 0; i < s->node_count; i++) {
        const avz_node *node = &s->nodes[i];
        const avz_node_state *n = &st->nodes[i];
        if (node->is_group || !n->visible || n->opacity <= 0)
            continue;
        for (size_t p = 0; p < node->parts.count; p++)
            draw_part(cr, &node->parts.items[p], n, &st->parts[node->first_part + p], &vp);
    }
}
