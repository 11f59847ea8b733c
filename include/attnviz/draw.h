/* attnviz drawing: rasterises a sampled frame state with cairo.
 *
 * The frame shows the scene's 8-unit-tall window centred on the origin, scaled to the
 * surface's height; a wider or narrower surface shows more or less of the width. The only
 * public header that needs another library's: cairo's (pkg-config --cflags cairo). */
#ifndef ATTNVIZ_DRAW_H
#define ATTNVIZ_DRAW_H

#include <cairo.h>
#include <stdbool.h>
#include <stdint.h>

#include "attnviz/api.h"
#include "attnviz/scene.h"
#include "attnviz/timeline.h"

AVZ_BEGIN_DECLS

/* Clears to the background (black, or transparent when `transparent`) and draws every
 * visible node of st in drawing order (see avz_set_z). 0, -ENOMEM, or -EINTR once a stop is
 * asked for (cancel.h): a frame of thousands of large shapes stops part-way. */
AVZ_API int avz_draw_frame(const avz_scene *s, const avz_frame_state *st, cairo_t *cr, int width,
                           int height, bool transparent);

/* Where a canvas update redrew: disjoint bands of rows, top to bottom. */
#define AVZ_DAMAGE_BANDS 8
typedef struct avz_damage {
    size_t count;
    avz_rows bands[AVZ_DAMAGE_BANDS];
} avz_damage;

/* A surface that keeps what it shows between frames, for drawing a sequence: each update
 * redraws only the boxes where the new state's nodes differ from the shown ones, and reports
 * the rows they span. The pixels equal a full avz_draw_frame of the same state, byte for
 * byte. One per thread. */
typedef struct avz_canvas avz_canvas;

AVZ_API int avz_canvas_new(const avz_scene *s, int width, int height, bool transparent,
                           avz_canvas **out);
AVZ_API void avz_canvas_free(avz_canvas *c);
/* Shows st; *changed gets the rows that may have changed (all of them the first time, none
 * when nothing visible changed). 0, or -ENOMEM. */
AVZ_API int avz_canvas_update(avz_canvas *c, const avz_frame_state *st, avz_damage *changed);
/* ARGB32, premultiplied, as cairo keeps it. */
AVZ_API const uint8_t *avz_canvas_pixels(const avz_canvas *c, int *stride);

/* Appends a path in scene units (y up) to cr's current path: a point p lands at
 * (origin.x + p.x * scale, origin.y - p.y * scale) in cr's user space. */
AVZ_API void avz_draw_append_path(cairo_t *cr, const avz_path *path, double scale, avz_vec2 origin);

AVZ_END_DECLS

#endif
