/* attnviz scenes, what a built scene must hold before it is timed and drawn: every number a
 * build left in it finite and within bounds. A build may compute anything (a wait of DBL_MAX,
 * a move to infinity, a circle as wide as a city); checked once here, such a value fails the
 * build with a message naming it, instead of becoming "inf" in a report, a wrong frame
 * count, or a drawing that takes hours. Depends on scene_internal.h. */
#include <math.h>
#include <stdbool.h>

#include "scene_internal.h"

/* Scene units from the centre: about 140 frame widths, room for anything that moves in. */
#define MAX_COORD 1000.0

static bool bounded(double v, double limit) {
    return fabs(v) <= limit; /* false for NaN too */
}

/* Colours and opacities beyond [0, 1] are clamped when drawn; only what is not a number or
 * would be slow to stroke is refused. */
static bool color_ok(avz_color c) {
    return isfinite(c.r) && isfinite(c.g) && isfinite(c.b);
}

static bool style_ok(const avz_style *st) {
    return color_ok(st->fill) && color_ok(st->stroke) && isfinite(st->fill_opacity) &&
           isfinite(st->stroke_opacity) && st->stroke_width >= 0 && st->stroke_width <= MAX_COORD;
}

/* Segments in one path: a glyph has tens, a plot a few thousand; tens of thousands drawn over
 * each other take cairo's stroker minutes, for one node that no stop can interrupt. */
#define MAX_SEGMENTS 10000

static bool path_ok(const avz_path *p) {
    if (p->count > MAX_SEGMENTS)
        return false;
    for (size_t i = 0; i < p->count; i++) {
        const avz_seg *seg = &p->segs[i];
        int points = seg->kind == AVZ_SEG_CUBIC ? 3 : seg->kind == AVZ_SEG_CLOSE ? 0 : 1;
        for (int k = 0; k < points; k++)
            if (!bounded(seg->p[k].x, MAX_COORD) || !bounded(seg->p[k].y, MAX_COORD))
                return false;
    }
    return true;
}

static bool anim_ok(const avz_timed_anim *t) {
    const avz_anim *a = &t->anim;
    return bounded(a->vec.x, MAX_COORD) && bounded(a->vec.y, MAX_COORD) &&
           bounded(a->scale, MAX_COORD) && color_ok(a->color) && isfinite(a->opacity) &&
           a->width >= 0 && a->width <= MAX_COORD && bounded(t->lag_ratio, MAX_COORD);
}

int avz_scene_check_built(avz_scene *s) {
    for (size_t i = 0; i < s->node_count && !s->error.code; i++) {
        const avz_node *n = &s->nodes[i];
        if (n->is_group)
            continue;
        if (!style_ok(&n->style))
            return avz_scene_fail(s, -EINVAL,
                                  "node %zu has a colour or opacity that is not a number, or a "
                                  "stroke width out of 0 to %g",
                                  i, MAX_COORD);
        for (size_t k = 0; k < n->parts.count; k++)
            if (!path_ok(&n->parts.items[k]))
                return avz_scene_fail(s, -EINVAL,
                                      "node %zu lies beyond %g scene units from the centre, at a "
                                      "point that is not a number, or has more than %d segments "
                                      "(the frame is %.1f wide)",
                                      i, MAX_COORD, MAX_SEGMENTS, AVZ_FRAME_WIDTH);
    }
    for (size_t i = 0; i < s->anim_count && !s->error.code; i++)
        if (!anim_ok(&s->anims[i]))
            return avz_scene_fail(s, -EINVAL,
                                  "animation %zu of phase \"%s\" has a shift, destination, scale, "
                                  "colour, opacity or width that is not a number or beyond %g",
                                  i + 1, s->phases[s->anims[i].phase].name, MAX_COORD);
    return s->error.code;
}
