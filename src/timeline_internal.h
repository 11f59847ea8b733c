/* Internal: a resolved timeline and a sampled frame state, shared by timeline.c (which
 * fills them) and draw.c (which reads a state). */
#ifndef AVZ_TIMELINE_INTERNAL_H
#define AVZ_TIMELINE_INTERNAL_H

#include "attnviz/timeline.h"

struct avz_timeline {
    size_t phase_count, anim_count;
    const char **phase_name; /* the scene's, which outlives its timelines */
    double *phase_start, *phase_length;
    double *anim_start, *anim_end; /* seconds on the video's clock */
    double duration;
};

/* Only doubles, so that two states compare with memcmp (no padding bytes). */
typedef struct avz_node_state {
    double visible; /* 0 or 1 */
    double opacity; /* multiplies fill and stroke opacity */
    double scale;   /* drawn at p * scale + offset */
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
