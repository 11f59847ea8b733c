/* attnviz geometry: points, colours, bounding boxes and vector paths in scene units.
 *
 * Scene units follow the original: origin at the frame centre, y up, the frame 8 units tall.
 * Every primitive (box, line, glyph, formula rule) ends up as an avz_path; the drawing code
 * is the only place that knows about pixels. */
#ifndef ATTNVIZ_GEOM_H
#define ATTNVIZ_GEOM_H

#include <stdbool.h>
#include <stddef.h>

#include "attnviz/api.h"

AVZ_BEGIN_DECLS

typedef struct avz_vec2 {
    double x, y;
} avz_vec2;

/* Straight RGB in [0, 1]; opacity lives in the style, not here. */
typedef struct avz_color {
    double r, g, b;
} avz_color;

/* An axis-aligned box; empty when min > max (see avz_bbox_empty()). */
typedef struct avz_bbox {
    double x0, y0, x1, y1;
} avz_bbox;

/* Rows [first, end) of a frame, in pixels; empty when end <= first. */
typedef struct avz_rows {
    int first, end;
} avz_rows;

/* The original's palette (ManimCE constants). */
#define AVZ_WHITE ((avz_color){1.0, 1.0, 1.0})
#define AVZ_BLACK ((avz_color){0.0, 0.0, 0.0})
#define AVZ_GRAY ((avz_color){0x88 / 255.0, 0x88 / 255.0, 0x88 / 255.0})
#define AVZ_DARK_GRAY ((avz_color){0x44 / 255.0, 0x44 / 255.0, 0x44 / 255.0})
#define AVZ_LIGHT_GRAY ((avz_color){0xBB / 255.0, 0xBB / 255.0, 0xBB / 255.0})
#define AVZ_BLUE ((avz_color){0x58 / 255.0, 0xC4 / 255.0, 0xDD / 255.0})
#define AVZ_DARK_BLUE ((avz_color){0x23 / 255.0, 0x6B / 255.0, 0x8E / 255.0})
#define AVZ_YELLOW ((avz_color){0xFF / 255.0, 0xFF / 255.0, 0x00 / 255.0})
#define AVZ_GREEN ((avz_color){0x83 / 255.0, 0xC1 / 255.0, 0x67 / 255.0})
#define AVZ_PURPLE ((avz_color){0x9A / 255.0, 0x72 / 255.0, 0xAC / 255.0})
#define AVZ_TEAL ((avz_color){0x5C / 255.0, 0xD0 / 255.0, 0xB3 / 255.0})
#define AVZ_ORANGE ((avz_color){0xFF / 255.0, 0x86 / 255.0, 0x2F / 255.0})
#define AVZ_RED ((avz_color){0xFC / 255.0, 0x62 / 255.0, 0x55 / 255.0})

/* Unit directions, as in the original's UP/DOWN/LEFT/RIGHT. */
#define AVZ_UP ((avz_vec2){0.0, 1.0})
#define AVZ_DOWN ((avz_vec2){0.0, -1.0})
#define AVZ_LEFT ((avz_vec2){-1.0, 0.0})
#define AVZ_RIGHT ((avz_vec2){1.0, 0.0})

#define AVZ_PI 3.14159265358979323846

#define AVZ_SMALL_BUFF 0.1
#define AVZ_MED_SMALL_BUFF 0.25

AVZ_API avz_color avz_color_lerp(avz_color a, avz_color b, double t);
/* "#RRGGBB" to a colour; returns false on anything else. */
AVZ_API bool avz_color_parse(const char *hex, avz_color *out);

AVZ_API avz_bbox avz_bbox_empty(void);
AVZ_API bool avz_bbox_is_empty(avz_bbox b);
AVZ_API avz_bbox avz_bbox_union(avz_bbox a, avz_bbox b);
AVZ_API avz_bbox avz_bbox_add_point(avz_bbox b, avz_vec2 p);
AVZ_API avz_bbox avz_bbox_grow(avz_bbox b, double margin);
/* a and b overlap by more than touch on both axes (boxes that only touch do not). */
AVZ_API bool avz_bbox_overlaps(avz_bbox a, avz_bbox b, double touch);
AVZ_API avz_vec2 avz_bbox_center(avz_bbox b);
/* The same box with its centre at center. */
AVZ_API avz_bbox avz_bbox_moved_to(avz_bbox b, avz_vec2 center);
AVZ_API double avz_bbox_width(avz_bbox b);
AVZ_API double avz_bbox_height(avz_bbox b);
/* The point of the box in direction dir (components -1, 0 or 1): (0,1) is the top centre. */
AVZ_API avz_vec2 avz_bbox_edge(avz_bbox b, avz_vec2 dir);

typedef enum avz_seg_kind {
    AVZ_SEG_MOVE,  /* p[0] starts a new subpath */
    AVZ_SEG_LINE,  /* line to p[0] */
    AVZ_SEG_CUBIC, /* cubic Bézier with controls p[0], p[1] to p[2] */
    AVZ_SEG_CLOSE, /* close the current subpath (a line back to its start) */
} avz_seg_kind;

typedef struct avz_seg {
    avz_seg_kind kind;
    avz_vec2 p[3];
} avz_seg;

/* A vector path. Owns its segment array; zero-initialised is a valid empty path. */
typedef struct avz_path {
    avz_seg *segs;
    size_t count, capacity;
} avz_path;

AVZ_API void avz_path_free(avz_path *path);
/* Builders return 0 or -ENOMEM. Quadratic curves are stored as the equivalent cubic. */
AVZ_API int avz_path_move_to(avz_path *path, avz_vec2 p);
AVZ_API int avz_path_line_to(avz_path *path, avz_vec2 p);
AVZ_API int avz_path_cubic_to(avz_path *path, avz_vec2 c1, avz_vec2 c2, avz_vec2 p);
AVZ_API int avz_path_quad_to(avz_path *path, avz_vec2 c, avz_vec2 p);
AVZ_API int avz_path_close(avz_path *path);
AVZ_API int avz_path_append(avz_path *dst, const avz_path *src);
AVZ_API int avz_path_copy(avz_path *dst, const avz_path *src);

/* Rectangle starting at its top-right corner and running anticlockwise, as the original's
 * Rectangle does, so that Create traces it the same way. */
AVZ_API int avz_path_rect(avz_path *path, avz_bbox box);
/* Rounded rectangle, same start and direction; radius is clamped to fit. */
AVZ_API int avz_path_round_rect(avz_path *path, avz_bbox box, double radius);
/* Circle about the origin, four cubic quarters from its rightmost point anticlockwise. */
AVZ_API int avz_path_circle(avz_path *path, double radius);
/* Arc of a circle about the origin from angle `from` to `to` (radians), in cubics of at most
 * a quarter turn each. */
AVZ_API int avz_path_arc(avz_path *path, double radius, double from, double to);
/* Open polyline through n points. */
AVZ_API int avz_path_polyline(avz_path *path, const avz_vec2 *pts, size_t n);

/* p' = p * scale + offset, applied in place. */
AVZ_API void avz_path_transform(avz_path *path, double scale, avz_vec2 offset);
AVZ_API void avz_path_translate(avz_path *path, avz_vec2 offset);
/* Rotate in place about a centre by an angle in radians (anticlockwise). */
AVZ_API void avz_path_rotate(avz_path *path, avz_vec2 center, double radians);
/* Bounding box of the control polygon's end points and curve extrema. */
AVZ_API avz_bbox avz_path_bbox(const avz_path *path);
/* Arc length, with each curve flattened finely enough for drawing at 4K. */
AVZ_API double avz_path_length(const avz_path *path);
/* The first `fraction` of the path by arc length (0 gives an empty path, 1 a copy).
 * Curves are split exactly (de Casteljau) at the parameter that matches the length. */
AVZ_API int avz_path_partial(const avz_path *path, double fraction, avz_path *out);

AVZ_END_DECLS

#endif
