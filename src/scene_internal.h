/* Internal: the data a built scene holds, shared by building (scene.c), timing and
 * sampling (timeline.c) and drawing (draw.c). Built once, then read-only. */
#ifndef AVZ_SCENE_INTERNAL_H
#define AVZ_SCENE_INTERNAL_H

#include <stdbool.h>

#include "attnviz/scene.h"

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
} avz_anim_kind;

/* A node is a leaf (parts, style) or a group (members). */
typedef struct avz_node {
    avz_parts parts;
    avz_style style;
    avz_id *members;
    size_t member_count, member_capacity;
    size_t first_part; /* index of its first part in the scene-wide part numbering */
    bool is_group;
} avz_node;

/* An animation placed on the timeline, in phase-local nominal seconds. */
typedef struct avz_timed_anim {
    avz_anim anim;
    size_t phase;
    double start, end;
    double lag_ratio;
    avz_rate rate;
    /* The leaves it drives, flattened from its target (and, for Transform, its destination
     * after them): scene->anim_leaves[leaf_first .. leaf_first + leaf_count). */
    size_t leaf_first, leaf_count, other_leaf_count;
    size_t part_count; /* parts across the target's leaves, for lag */
    avz_vec2 center;   /* the target's centre when played: fades scale about it */
} avz_timed_anim;

typedef struct avz_phase_def {
    char *name;
    double duration; /* nominal: where the cursor ended */
} avz_phase_def;

struct avz_scene {
    const avz_fonts *fonts;
    avz_node *nodes;
    size_t node_count, node_capacity;
    size_t part_count; /* over all leaves */
    avz_timed_anim *anims;
    size_t anim_count, anim_capacity;
    avz_id *anim_leaves;
    size_t anim_leaf_count, anim_leaf_capacity;
    avz_phase_def *phases;
    size_t phase_count, phase_capacity;
    avz_error error; /* latched: the first failure */
};

#endif
