/* Internal: a resolved timeline and a sampled frame state, shared by timeline.c (which
 * fills them) and draw.c (which reads a state). */
#ifndef AVZ_TIMELINE_INTERNAL_H
#define AVZ_TIMELINE_INTERNAL_H

#include "attnviz/timeline.h"

/* A rate function's value at t in [0, 1]. */
double avz_rate_eval(avz_rate rate, double t);
/* Progress of part `index` of `count` when the whole is at alpha, each part running on
 * [index * lag, index * lag + 1] of a total (count - 1) * lag + 1 (before its rate). */
double avz_lag_alpha(double alpha, size_t index, size_t count, double lag_ratio);

/* True when the state shows any node at all (a leaf visible with some opacity). */
bool avz_frame_state_shows_anything(const avz_frame_state *st);

/* True when no animation changes the state between t0 and t1 (t0 < t1): frames at the two
 * instants are equal and the second need not be drawn. */
bool avz_timeline_still(const avz_timeline *tl, double t0, double t1);

struct avz_timeline {
    size_t phase_count, anim_count;
    const char **phase_name; /* the scene's, which outlives its timelines */
    double *phase_start, *phase_length;
    double *anim_start, *anim_end; /* seconds on the video's clock */
    size_t *order;                 /* the animations by start time, ties in play order */
    double duration;
};

/* Only doubles, so that two states compare with memcmp (no padding bytes). */
typedef struct avz_node_state {
    double visible; /* 0 or 1 */
    double opacity; /* multiplies fill and stroke opacity */
    avz_vec2 scale; /* drawn at (p.x * scale.x, p.y * scale.y) + offset */
    avz_vec2 offset;
    avz_style style;
} avz_node_state;

typedef struct avz_part_state {
    double draw;    /* fraction of the outline shown, by arc length */
    double outline; /* Write: 1 is the thin outline, 0 the final style */
} avz_part_state;

struct avz_frame_state {
    size_t node_count, part_count;
    avz_node_state *nodes;
    avz_part_state *parts;
};

#endif
