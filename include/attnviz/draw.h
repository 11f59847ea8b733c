/* attnviz drawing: rasterises a sampled frame state with cairo.
 *
 * The frame shows the scene's 8-unit-tall window centred on the origin, scaled to the
 * surface's height; a wider or narrower surface shows more or less of the width. */
#ifndef ATTNVIZ_DRAW_H
#define ATTNVIZ_DRAW_H

#include <cairo.h>

#include "attnviz/scene.h"
#include "attnviz/timeline.h"

/* Clears to the background (black, or transparent when `transparent`) and draws every
 * visible node of st in creation order. */
void avz_draw_frame(const avz_scene *s, const avz_frame_state *st, cairo_t *cr, int width,
                    int height, bool transparent);

/* Appends a path in scene units (y up) to cr's current path: a point p lands at
 * (origin.x + p.x * scale, origin.y - p.y * scale) in cr's user space. */
void avz_draw_append_path(cairo_t *cr, const avz_path *path, double scale, avz_vec2 origin);

#endif
