/* attnviz scenes: the authoring API a scene module uses to build its timeline.
 *
 * A scene is written like the original script: create nodes (shapes, text, formulas, groups),
 * place them, then play animations phase by phase. Building is pure data: nothing is drawn.
 *
 * Errors latch, as in cairo: the first failing call records its error in the scene, later
 * calls do nothing (constructors then return AVZ_NONE), and the scene's build function
 * checks once at the end with avz_scene_status(). A scene file needs no error plumbing. */
#ifndef ATTNVIZ_SCENE_H
#define ATTNVIZ_SCENE_H

#include <stddef.h>
#include <stdint.h>

#include "attnviz/api.h"
#include "attnviz/error.h"
#include "attnviz/geom.h"
#include "attnviz/text.h"

typedef struct avz_scene avz_scene;

/* A node: one shape, text or formula (a leaf) or a group of nodes. */
typedef int32_t avz_id;
#define AVZ_NONE ((avz_id)-1)

#define AVZ_V(x, y) ((avz_vec2){(x), (y)})
#define AVZ_ORIGIN AVZ_V(0.0, 0.0)

/* Frame size in scene units: 8 tall, 16:9 wide (the original's). */
#define AVZ_FRAME_HEIGHT 8.0
#define AVZ_FRAME_WIDTH (8.0 * 16.0 / 9.0)

AVZ_API int avz_scene_new(const avz_fonts *fonts, avz_scene **out);
AVZ_API void avz_scene_free(avz_scene *scene);
/* 0, or the first error any call on this scene hit (with its message in err). */
AVZ_API int avz_scene_status(const avz_scene *scene, avz_error *err);
/* Records an error found by the scene itself (e.g. an invalid parameter); first one wins. */
AVZ_API int avz_scene_fail(avz_scene *scene, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
AVZ_API const avz_fonts *avz_scene_fonts(const avz_scene *scene);

/* ── Style ─────────────────────────────────────────────────────────────────────────────
 * Stroke width w is the original's: w/100 scene units (4 is the default). */
typedef struct avz_style {
    avz_color fill;
    double fill_opacity;
    avz_color stroke;
    double stroke_opacity;
    double stroke_width;
} avz_style;

/* Outline only, like the original's Line/Rectangle defaults. */
AVZ_API avz_style avz_stroke_style(avz_color color, double width);
/* Filled and outlined in one colour (the original's `color=..., fill_opacity=...`). */
AVZ_API avz_style avz_box_style(avz_color color, double fill_opacity, double stroke_width);

/* ── Nodes (each created centred on the origin unless given points) ────────────────── */
AVZ_API avz_id avz_rect(avz_scene *s, double width, double height, avz_style style);
AVZ_API avz_id avz_round_rect(avz_scene *s, double width, double height, double radius,
                              avz_style style);
AVZ_API avz_id avz_square(avz_scene *s, double side, avz_style style);
AVZ_API avz_id avz_line(avz_scene *s, avz_vec2 from, avz_vec2 to, avz_color color, double width);
/* An open path through the points: an orthogonal connector with any number of corners. */
AVZ_API avz_id avz_polyline(avz_scene *s, const avz_vec2 *points, size_t count, avz_color color,
                            double width);
/* L-shaped connector: vertical from `from` to the height of `to`, then horizontal. */
AVZ_API avz_id avz_orth_line(avz_scene *s, avz_vec2 from, avz_vec2 to, avz_color color,
                             double width);
/* Arrow from `from` to `to`, shortened by buff at both ends (the original's Arrow uses
 * 0.25; an arrow shorter than 2·buff is not shortened), with a filled triangular tip. */
AVZ_API avz_id avz_arrow(avz_scene *s, avz_vec2 from, avz_vec2 to, avz_color color, double width,
                         double tip_length, double buff);

typedef enum avz_text_flags {
    AVZ_TEXT_REGULAR = 0,
    AVZ_TEXT_BOLD = 1,
    AVZ_TEXT_ITALIC = 2,
    AVZ_TEXT_CENTERED = 4, /* centre the lines of multi-line text (the default is left) */
} avz_text_flags;

/* Text in the original's "Times New Roman" (Liberation Serif), one part per glyph. */
AVZ_API avz_id avz_text(avz_scene *s, const char *utf8, double font_size, avz_color color);
AVZ_API avz_id avz_text_ex(avz_scene *s, const char *utf8, double font_size, avz_color color,
                           unsigned flags);
/* A TeX-subset formula (see math.h); font_size as the original's MathTex. */
AVZ_API avz_id avz_math(avz_scene *s, const char *tex, double font_size, avz_color color);

/* Groups: a node that stands for its members, in order. Members may be groups. */
AVZ_API avz_id avz_group_of(avz_scene *s, const avz_id *members, size_t count);
#define avz_group(s, ...)                                                                          \
    avz_group_of((s), (const avz_id[]){__VA_ARGS__},                                               \
                 sizeof((avz_id[]){__VA_ARGS__}) / sizeof(avz_id))
AVZ_API void avz_group_add(avz_scene *s, avz_id group, avz_id member);
AVZ_API size_t avz_group_size(const avz_scene *s, avz_id group);
AVZ_API avz_id avz_group_member(const avz_scene *s, avz_id group, size_t index);

/* A rectangle around a node's bounds grown by buff (the original's SurroundingRectangle:
 * buff 0.1 and width 4 by default). */
AVZ_API avz_id avz_surround(avz_scene *s, avz_id target, avz_color color, double buff,
                            double stroke_width);

/* ── Placement (changes where a node is, before any animation; not animated) ───────── */
AVZ_API avz_bbox avz_bounds(const avz_scene *s, avz_id id);
AVZ_API avz_vec2 avz_center(const avz_scene *s, avz_id id);
/* The point of the node's box in direction dir: avz_edge(s, id, AVZ_UP) is its top centre. */
AVZ_API avz_vec2 avz_edge(const avz_scene *s, avz_id id, avz_vec2 dir);
AVZ_API double avz_width(const avz_scene *s, avz_id id);
AVZ_API double avz_height(const avz_scene *s, avz_id id);

AVZ_API void avz_shift(avz_scene *s, avz_id id, avz_vec2 by);
AVZ_API void avz_move_to(avz_scene *s, avz_id id, avz_vec2 center);
AVZ_API void avz_scale(avz_scene *s, avz_id id, double factor);
AVZ_API void avz_rotate(avz_scene *s, avz_id id, double radians);
/* Place id beside target in direction dir with a gap of buff, centred on the other axis. */
AVZ_API void avz_next_to(avz_scene *s, avz_id id, avz_id target, avz_vec2 dir, double buff);
AVZ_API void avz_next_to_point(avz_scene *s, avz_id id, avz_vec2 point, avz_vec2 dir, double buff);
/* Against the frame's edge in direction dir, buff away from it. */
AVZ_API void avz_to_edge(avz_scene *s, avz_id id, avz_vec2 dir, double buff);
/* Make id's edge in direction dir line up with target's edge in that direction. */
AVZ_API void avz_align_to(avz_scene *s, avz_id id, avz_id target, avz_vec2 dir);
/* Lay out a group's members in a row or column with gaps of buff, centred on the group's
 * old centre; aligned_edge (e.g. AVZ_LEFT for a column) lines them up, AVZ_ORIGIN centres. */
AVZ_API void avz_arrange(avz_scene *s, avz_id group, avz_vec2 dir, double buff,
                         avz_vec2 aligned_edge);

AVZ_API void avz_set_fill(avz_scene *s, avz_id id, avz_color color, double opacity);
AVZ_API void avz_set_stroke(avz_scene *s, avz_id id, avz_color color, double width);

/* ── Animations ──────────────────────────────────────────────────────────────────────
 * Values describing one animation; avz_play() puts them on the timeline. */
typedef enum avz_rate {
    AVZ_RATE_DEFAULT = 0, /* the animation's own: smooth, or linear for Write */
    AVZ_RATE_SMOOTH,
    AVZ_RATE_LINEAR,
} avz_rate;

typedef struct avz_anim {
    int kind; /* avz_anim_kind, internal */
    avz_id target;
    avz_id other; /* Transform's destination */
    avz_vec2 vec; /* shift for fades, destination centre for moves */
    double scale;
    avz_color color;
    double opacity;
    double width;
    avz_rate rate;
} avz_anim;

/* Appear/disappear with opacity, optionally sliding by shift and growing from/to scale
 * (pass 1 for no scaling). */
AVZ_API avz_anim avz_fade_in(avz_id id, avz_vec2 shift, double scale);
AVZ_API avz_anim avz_fade_out(avz_id id, avz_vec2 shift, double scale);
/* Trace outlines by arc length, parts one after another. */
AVZ_API avz_anim avz_create(avz_id id);
/* Per glyph: trace the outline, then cross-fade to the fill, with lag between glyphs. */
AVZ_API avz_anim avz_write(avz_id id);
/* Tween fill colour and opacity; stroke colour and width; the whole colour (text). */
AVZ_API avz_anim avz_fill_to(avz_id id, avz_color color, double opacity);
AVZ_API avz_anim avz_fill_opacity_to(avz_id id, double opacity);
AVZ_API avz_anim avz_stroke_to(avz_id id, avz_color color, double width);
AVZ_API avz_anim avz_color_to(avz_id id, avz_color color);
/* Slide so that the node's centre ends at center. */
AVZ_API avz_anim avz_move(avz_id id, avz_vec2 center);
/* Replace `from` by `to` with a cross-fade in place (the original morphs outlines; for the
 * short labels it is used on, a cross-fade reads the same): after it only `to` shows. */
AVZ_API avz_anim avz_transform(avz_id from, avz_id to);
/* Show immediately (the original's self.add). */
AVZ_API avz_anim avz_show(avz_id id);
/* Override the rate function of an animation. */
AVZ_API avz_anim avz_with_rate(avz_anim anim, avz_rate rate);

/* ── Time ────────────────────────────────────────────────────────────────────────────
 * Phases are named, contiguous sections; each has a cursor that play and wait advance.
 * A phase's nominal length is where its cursor ends. */
AVZ_API void avz_phase(avz_scene *s, const char *name);

/* Run animations together, starting at the cursor. run_time > 0 sets their common length;
 * AVZ_AUTO uses each one's own default (1 s; Write 1 s or 2 s by glyph count) and advances
 * the cursor by the longest. */
#define AVZ_AUTO (-1.0)
AVZ_API void avz_play_list(avz_scene *s, double run_time, const avz_anim *anims, size_t count);
#define avz_play(s, run_time, ...)                                                                 \
    avz_play_list((s), (run_time), (const avz_anim[]){__VA_ARGS__},                                \
                  sizeof((avz_anim[]){__VA_ARGS__}) / sizeof(avz_anim))
AVZ_API void avz_wait(avz_scene *s, double seconds);

#endif
