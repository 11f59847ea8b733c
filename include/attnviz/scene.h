/* attnviz scenes: the authoring API a scene module uses to build its timeline.
 *
 * A scene is written like the original script: create nodes (shapes, text, formulas, groups),
 * place them, then play animations phase by phase. Building is pure data: nothing is drawn.
 * A node is invisible until an animation shows it. The figures of the field (token cards,
 * matrices, heatmaps, KV caches, bar charts, connectors) are in figures.h and grid.h.
 *
 * Errors latch, as in cairo: the first failing call records its error in the scene, later
 * calls do nothing (constructors then return AVZ_NONE), and the scene's build function
 * checks once at the end with avz_scene_status(). A scene file needs no error plumbing.
 *
 * A NULL pointer where a call needs a value (a text, a spec, an array, a path), or a count
 * its data cannot hold, is such an error too: -EINVAL naming the call and the argument
 * ("avz_token_row: tokens is NULL"), never a crash. A NULL scene records nothing: its calls
 * do nothing (constructors return AVZ_NONE) and avz_scene_status(NULL) is -EINVAL. The *_free
 * functions take NULL, as free() does. */
#ifndef ATTNVIZ_SCENE_H
#define ATTNVIZ_SCENE_H

#include <stddef.h>
#include <stdint.h>

#include "attnviz/api.h"
#include "attnviz/error.h"
#include "attnviz/geom.h"
#include "attnviz/text.h"

AVZ_BEGIN_DECLS

typedef struct avz_scene avz_scene;

/* A node: one shape, text or formula (a leaf) or a group of nodes. */
typedef int32_t avz_id;
#define AVZ_NONE ((avz_id)-1)

#define AVZ_V(x, y) ((avz_vec2){(x), (y)})
#define AVZ_ORIGIN AVZ_V(0.0, 0.0)

/* Frame size in scene units: 8 tall, 16:9 wide (the original's). */
#define AVZ_FRAME_HEIGHT 8.0
#define AVZ_FRAME_WIDTH (8.0 * 16.0 / 9.0)

/* What one scene holds at most: far beyond any explainer (the built-in ones have under 700
 * nodes), and what keeps a build in a loop from taking the machine's memory. Past them, the
 * call latches -EINVAL. */
#define AVZ_SCENE_MAX_NODES 50000
#define AVZ_SCENE_MAX_ANIMS 100000
#define AVZ_SCENE_MAX_PHASES 1000

AVZ_API int avz_scene_new(const avz_fonts *fonts, avz_scene **out);
AVZ_API void avz_scene_free(avz_scene *scene);
/* 0, or the first error any call on this scene hit (with its message in err). */
AVZ_API int avz_scene_status(const avz_scene *scene, avz_error *err);
/* Records an error found by the scene itself (e.g. an invalid parameter); first one wins.
 * code is a negative errno; any other is taken as -EINVAL. */
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

/* ── Nodes (each created centred on the origin unless given points) ──────────────────── */
AVZ_API avz_id avz_rect(avz_scene *s, double width, double height, avz_style style);
AVZ_API avz_id avz_round_rect(avz_scene *s, double width, double height, double radius,
                              avz_style style);
AVZ_API avz_id avz_square(avz_scene *s, double side, avz_style style);
/* A circle, traced anticlockwise from its rightmost point as the original's Circle. */
AVZ_API avz_id avz_circle(avz_scene *s, double radius, avz_style style);
/* An arc of a circle centred on the origin, from angle `from` to `to` (radians,
 * anticlockwise from the +x axis; to < from runs clockwise), at most one turn. Stroked only.
 * (Any node's path has at most 10000 segments: a build that leaves a longer one fails.) */
AVZ_API avz_id avz_arc(avz_scene *s, double radius, double from, double to, avz_color color,
                       double width);
/* A node from any path (copied), in scene units where it stands. */
AVZ_API avz_id avz_shape(avz_scene *s, const avz_path *path, avz_style style);
AVZ_API avz_id avz_line(avz_scene *s, avz_vec2 from, avz_vec2 to, avz_color color, double width);
/* An open path through the points. */
AVZ_API avz_id avz_polyline(avz_scene *s, const avz_vec2 *points, size_t count, avz_color color,
                            double width);
/* Arrow from `from` to `to`, shortened by buff at both ends (the original's Arrow uses
 * 0.25; an arrow shorter than 2·buff is not shortened), with a filled triangular tip. A group
 * of (shaft, tip). */
AVZ_API avz_id avz_arrow(avz_scene *s, avz_vec2 from, avz_vec2 to, avz_color color, double width,
                         double tip_length, double buff);

typedef enum avz_text_flags {
    AVZ_TEXT_REGULAR = 0,
    AVZ_TEXT_BOLD = 1,
    AVZ_TEXT_ITALIC = 2,
    AVZ_TEXT_CENTERED = 4, /* centre the lines of multi-line text (the default is left) */
    AVZ_TEXT_MIDDLE = 8,   /* avz_text_at: at.y is where a capital's middle stands, so that a
                            * label centres on a row or a cell; otherwise it is the baseline */
} avz_text_flags;

/* Text in the original's "Times New Roman" (Liberation Serif), one part per glyph, with its
 * ink box centred on the origin as the original's Text. */
AVZ_API avz_id avz_text(avz_scene *s, const char *utf8, double font_size, avz_color color);
AVZ_API avz_id avz_text_ex(avz_scene *s, const char *utf8, double font_size, avz_color color,
                           unsigned flags);
/* Text set on a baseline, so that words side by side line up whatever their letters: its
 * first line's baseline passes through at.y (or, with AVZ_TEXT_MIDDLE, half a capital below
 * it), and anchor.x says which point of its ink lies at at.x: -1 (AVZ_LEFT) its left end, 0 its
 * middle, 1 (AVZ_RIGHT) its right end. */
AVZ_API avz_id avz_text_at(avz_scene *s, const char *utf8, double font_size, avz_color color,
                           unsigned flags, avz_vec2 at, avz_vec2 anchor);
/* What a text would measure, without making a node (see avz_text_metrics in text.h). */
AVZ_API avz_text_metrics avz_measure_text(avz_scene *s, const char *utf8, double font_size,
                                          unsigned flags);
/* Copies utf8 into out (size bytes), turning spaces into line breaks so that no line set so
 * is wider than max_width (a word wider than that keeps a line to itself); lines it already
 * breaks stay broken. Returns the number of lines, or 0 when out is too small (latched). */
AVZ_API size_t avz_wrap_text(avz_scene *s, const char *utf8, double font_size, unsigned flags,
                             double max_width, char *out, size_t size);
/* A TeX-subset formula (see math.h); font_size as the original's MathTex. */
AVZ_API avz_id avz_math(avz_scene *s, const char *tex, double font_size, avz_color color);

/* Groups: a node that stands for its members, in order. Members may be groups. */
AVZ_API avz_id avz_group_of(avz_scene *s, const avz_id *members, size_t count);
#define avz_group(s, ...)                                                                          \
    avz_group_of((s), (const avz_id[]){__VA_ARGS__},                                               \
                 sizeof((avz_id[]){__VA_ARGS__}) / sizeof(avz_id))
/* An empty group, to fill with avz_group_add. */
#define avz_group_new(s) avz_group_of((s), NULL, 0)
AVZ_API void avz_group_add(avz_scene *s, avz_id group, avz_id member);
AVZ_API size_t avz_group_size(const avz_scene *s, avz_id group);
AVZ_API avz_id avz_group_member(const avz_scene *s, avz_id group, size_t index);

/* A rectangle around a node's bounds grown by buff (the original's SurroundingRectangle:
 * buff 0.1 and width 4 by default). */
AVZ_API avz_id avz_surround(avz_scene *s, avz_id target, avz_color color, double buff,
                            double stroke_width);
/* A rectangle outline of a box. */
AVZ_API avz_id avz_outline(avz_scene *s, avz_bbox box, avz_color color, double stroke_width);

/* ── Placement (changes where a node is, before any animation; not animated) ─────────── */
AVZ_API avz_bbox avz_bounds(const avz_scene *s, avz_id id);
AVZ_API avz_vec2 avz_center(const avz_scene *s, avz_id id);
/* The point of the node's box in direction dir: avz_edge(s, id, AVZ_UP) is its top centre. */
AVZ_API avz_vec2 avz_edge(const avz_scene *s, avz_id id, avz_vec2 dir);
AVZ_API double avz_width(const avz_scene *s, avz_id id);
AVZ_API double avz_height(const avz_scene *s, avz_id id);

AVZ_API void avz_shift(avz_scene *s, avz_id id, avz_vec2 by);
AVZ_API void avz_move_to(avz_scene *s, avz_id id, avz_vec2 center);
AVZ_API void avz_scale(avz_scene *s, avz_id id, double factor);
/* Scales a node down about its centre to at most max_width wide (never up). */
AVZ_API void avz_fit_width(avz_scene *s, avz_id id, double max_width);
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

/* The style a node starts from (every leaf of a group). */
AVZ_API void avz_set_fill(avz_scene *s, avz_id id, avz_color color, double opacity);
AVZ_API void avz_set_stroke(avz_scene *s, avz_id id, avz_color color, double width);
/* Drawing order: nodes are drawn by increasing z, and in creation order within one z (0 for
 * every node to begin with); a group's leaves all get z. */
AVZ_API void avz_set_z(avz_scene *s, avz_id id, int z);

/* ── Animations ────────────────────────────────────────────────────────────────────────
 * Values describing one animation; avz_play() puts them on the timeline. */
typedef enum avz_rate {
    AVZ_RATE_DEFAULT = 0, /* the animation's own: smooth, or linear for Write */
    AVZ_RATE_SMOOTH,      /* the original's S-curve */
    AVZ_RATE_LINEAR,
    AVZ_RATE_THERE_AND_BACK, /* out and back to the start: a pulse */
    AVZ_RATE_RUSH_INTO,      /* starts slowly, arrives at speed */
    AVZ_RATE_RUSH_FROM,      /* leaves at speed, arrives slowly */
} avz_rate;

typedef enum avz_anim_kind {
    AVZ_ANIM_SHOW = 1,
    AVZ_ANIM_FADE_IN,
    AVZ_ANIM_FADE_OUT,
    AVZ_ANIM_CREATE,
    AVZ_ANIM_WRITE,
    AVZ_ANIM_FILL,
    AVZ_ANIM_FILL_OPACITY,
    AVZ_ANIM_STROKE,
    AVZ_ANIM_COLOR,
    AVZ_ANIM_MOVE,
    AVZ_ANIM_TRANSFORM,
    AVZ_ANIM_GROW,
    AVZ_ANIM_CLEAR,
} avz_anim_kind;

/* Fill one in with the functions below, and adjust with the avz_with_* ones. */
typedef struct avz_anim {
    avz_anim_kind kind;
    avz_id target;
    avz_id other; /* Transform's destination */
    avz_vec2 vec; /* shift for fades, destination centre for moves, edge for growth */
    double scale;
    avz_color color;
    double opacity;
    double width;
    avz_rate rate;
    double lag_ratio; /* < 0: the animation's own (see avz_with_lag) */
} avz_anim;

/* Appear or disappear in place, by opacity. */
AVZ_API avz_anim avz_fade_in(avz_id id);
AVZ_API avz_anim avz_fade_out(avz_id id);
/* The same sliding by shift (a fade-in arrives from -shift, a fade-out leaves towards it)
 * and growing from / shrinking to scale (1: no scaling). */
AVZ_API avz_anim avz_fade_in_ex(avz_id id, avz_vec2 shift, double scale);
AVZ_API avz_anim avz_fade_out_ex(avz_id id, avz_vec2 shift, double scale);
/* Fades out every node on screen when it starts: what began showing before it (even what is
 * still fading in or out), or at that instant in an earlier play (avz_show, then a Clear);
 * never what its own play brings in, in whatever order it is listed, nor what starts later. */
AVZ_API avz_anim avz_clear(void);
/* Trace outlines by arc length, parts one after another. */
AVZ_API avz_anim avz_create(avz_id id);
/* Per glyph: trace the outline, then cross-fade to the fill, with lag between glyphs. */
AVZ_API avz_anim avz_write(avz_id id);
/* Appear by growing out of the node's edge in direction `from` (AVZ_LEFT: it grows
 * rightwards from its left edge), along that axis only: a bar growing from its axis. */
AVZ_API avz_anim avz_grow(avz_id id, avz_vec2 from);
/* Tween fill colour and opacity; stroke colour and width; the whole colour (text). */
AVZ_API avz_anim avz_fill_to(avz_id id, avz_color color, double opacity);
AVZ_API avz_anim avz_fill_opacity_to(avz_id id, double opacity);
AVZ_API avz_anim avz_stroke_to(avz_id id, avz_color color, double width);
AVZ_API avz_anim avz_color_to(avz_id id, avz_color color);
/* Slide so that the node's centre ends at center. */
AVZ_API avz_anim avz_move(avz_id id, avz_vec2 center);
/* Replace `from` by `to` with a cross-fade in place (the original morphs outlines; for the
 * short labels it is used on, a cross-fade reads the same): after it only `to` shows. With
 * lag, member k of `to` replaces member k of `from`, staggered over the larger's members. */
AVZ_API avz_anim avz_transform(avz_id from, avz_id to);
/* Show immediately (the original's self.add). */
AVZ_API avz_anim avz_show(avz_id id);
/* Override the rate function of an animation. */
AVZ_API avz_anim avz_with_rate(avz_anim anim, avz_rate rate);
/* Stagger an animation over its target's members, as the original's lag_ratio: with n
 * members, member k runs over [k·r, k·r + 1] of a whole (n - 1)·r + 1 long. For Create and
 * Write the parts (glyphs, outlines) are staggered instead; their own default is 1 for Create
 * and min(4/n, 0.2) for Write, 0 for the rest. */
AVZ_API avz_anim avz_with_lag(avz_anim anim, double lag_ratio);

/* A list of animations to play together, grown as needed: start from (avz_anims){0}. */
typedef struct avz_anims {
    avz_anim *items;
    size_t count, capacity;
} avz_anims;

/* Appends an animation (out of memory latches -ENOMEM in s). */
AVZ_API void avz_anims_add(avz_scene *s, avz_anims *list, avz_anim anim);
AVZ_API void avz_anims_free(avz_anims *list);

/* ── Time ──────────────────────────────────────────────────────────────────────────────
 * Phases are named, contiguous sections; each has a cursor that play and wait advance. A
 * phase's nominal length is where its cursor ends (or the end of an animation played past
 * it with avz_play_at). */
AVZ_API void avz_phase(avz_scene *s, const char *name);
/* A phase with a declared nominal length: when it ends (the next phase starts, or the build
 * returns) a shorter one is padded with a wait, and one that plays longer is an error. */
AVZ_API void avz_phase_len(avz_scene *s, const char *name, double seconds);
/* Seconds since the current phase began, at its cursor. */
AVZ_API double avz_phase_time(const avz_scene *s);

/* Run animations together, starting at the cursor. run_time > 0 sets their common length;
 * AVZ_AUTO uses each one's own default (1 s; Write 1 s or 2 s by glyph count) and advances
 * the cursor by the longest. */
#define AVZ_AUTO (-1.0)
AVZ_API void avz_play_list(avz_scene *s, double run_time, const avz_anim *anims, size_t count);
#define avz_play(s, run_time, ...)                                                                 \
    avz_play_list((s), (run_time), (const avz_anim[]){__VA_ARGS__},                                \
                  sizeof((avz_anim[]){__VA_ARGS__}) / sizeof(avz_anim))
/* Plays a list and empties it. */
AVZ_API void avz_play_anims(avz_scene *s, double run_time, avz_anims *list);

/* One after another with overlap, as the original's LaggedStart: animation k starts when
 * animation k - 1 is lag_ratio of the way through. With run_time > 0 they share one length
 * and the whole takes run_time; with AVZ_AUTO each takes its own. The cursor moves to the end. */
AVZ_API void avz_lagged_list(avz_scene *s, double run_time, double lag_ratio, const avz_anim *anims,
                             size_t count);
#define avz_lagged(s, run_time, lag_ratio, ...)                                                    \
    avz_lagged_list((s), (run_time), (lag_ratio), (const avz_anim[]){__VA_ARGS__},                 \
                    sizeof((avz_anim[]){__VA_ARGS__}) / sizeof(avz_anim))
AVZ_API void avz_lagged_anims(avz_scene *s, double run_time, double lag_ratio, avz_anims *list);

/* Animations in the background: they start `offset` seconds after the cursor (before it
 * when negative, but not before the phase began) and leave the cursor where it is. */
AVZ_API void avz_play_at_list(avz_scene *s, double offset, double run_time, const avz_anim *anims,
                              size_t count);
#define avz_play_at(s, offset, run_time, ...)                                                      \
    avz_play_at_list((s), (offset), (run_time), (const avz_anim[]){__VA_ARGS__},                   \
                     sizeof((avz_anim[]){__VA_ARGS__}) / sizeof(avz_anim))

AVZ_API void avz_wait(avz_scene *s, double seconds);
/* Moves the cursor to `seconds` into the current phase; an error if it is already past. */
AVZ_API void avz_wait_until(avz_scene *s, double seconds);

AVZ_END_DECLS

#endif
