/* Internal: the data a built scene holds, shared by building (scene.c's nodes, anim.c's
 * animations in time, and the figures built on them), timing and sampling (timeline.c) and
 * drawing (draw.c). Built once, then read-only. */
#ifndef AVZ_SCENE_INTERNAL_H
#define AVZ_SCENE_INTERNAL_H

#include <stdbool.h>

#include "attnviz/scene.h"

/* A node is a leaf (parts, style) or a group (members). */
typedef struct avz_node {
    avz_parts parts;
    avz_style style;
    avz_id *members;
    size_t member_count, member_capacity;
    size_t first_part; /* index of its first part in the scene-wide part numbering */
    int z;             /* drawing order, see avz_set_z */
    bool is_group;
    bool is_label; /* text or formula: what the layout tests keep apart and inside the frame */
} avz_node;

/* An animation placed on the timeline, in phase-local nominal seconds. */
typedef struct avz_timed_anim {
    avz_anim anim;
    size_t phase;
    size_t play; /* which play call placed it: a Clear leaves out what its own play brings in */
    double start, end;
    double lag_ratio;
    avz_rate rate;
    /* The leaves it drives, flattened from its target (and, for Transform, its destination
     * after them): scene->anim_leaves[leaf_first .. leaf_first + leaf_count); for each, in
     * scene->anim_slots, the index of the target's member it belongs to (what lag staggers;
     * for Transform, member k of the destination shares member k of the source's slot). */
    size_t leaf_first, leaf_count, other_leaf_count;
    size_t slot_count; /* the target's members (1 for a leaf); Transform: the larger side's */
    size_t part_count; /* parts across the target's leaves, for Create's and Write's lag */
    avz_bbox box;      /* the target's bounds when played: fades scale about its centre, */
    avz_vec2 center;   /* growth starts from its edge */
} avz_timed_anim;

typedef struct avz_phase_def {
    char *name;
    double duration; /* nominal: where the cursor ended, or a later animation's end */
    double cursor;
    double declared; /* avz_phase_len's length; < 0 when none */
} avz_phase_def;

struct avz_scene {
    const avz_fonts *fonts;
    avz_node *nodes;
    size_t node_count, node_capacity;
    size_t part_count; /* over all leaves */
    avz_id *order;     /* every node, by z then creation: the drawing order */
    size_t order_capacity;
    avz_timed_anim *anims;
    size_t anim_count, anim_capacity;
    size_t play_count; /* play calls so far (avz_timed_anim.play) */
    avz_id *anim_leaves;
    size_t *anim_slots;
    size_t anim_leaf_count, anim_leaf_capacity;
    avz_phase_def *phases;
    size_t phase_count, phase_capacity;
    avz_error error; /* latched: the first failure */
};

/* Closes the last phase (pads it to its declared length, or fails when it overran). */
void avz_scene_close_phase(avz_scene *s);
/* After the build: fails (latched) on a number in the scene that is not finite or is out of
 * bounds (scene_check.c). */
int avz_scene_check_built(avz_scene *s);

/* ── scene.c's helpers that anim.c builds on ───────────────────────────────────────── */

/* Grows *items to hold one more element of size `size`: 0, or -ENOMEM. */
int avz_scene_reserve(void **items, size_t *capacity, size_t count, size_t size);
/* avz_scene_reserve on one of s's arrays: 0, or the scene's error (latched). */
#define AVZ_SCENE_RESERVE(s, arr, count, cap)                                                      \
    (avz_scene_reserve((void **)&(arr), &(cap), (count), sizeof *(arr))                            \
         ? avz_scene_fail((s), -ENOMEM, "out of memory building the scene")                        \
         : 0)
/* True when s is NULL or has failed, or a stop was asked for (latched as -EINTR): what a
 * build checks as it goes, so that one stuck in a loop still stops at Ctrl-C. */
bool avz_scene_stopped(avz_scene *s);
/* Whether a call named fn may go on with the argument `what`: false when s is NULL or has
 * failed, and when ptr is NULL, which latches -EINVAL "fn: what is NULL" (a plug-in's NULL is
 * an error as any other, not a crash). */
bool avz_scene_need(avz_scene *s, const char *fn, const char *what, const void *ptr);
/* The same for each of the count strings of an array (NULL: an optional one not given):
 * latches "fn: what[i] is NULL" for the first missing one. */
bool avz_scene_need_each(avz_scene *s, const char *fn, const char *what, const char *const *strings,
                         size_t count);
/* id is one of s's nodes and s has not failed; latches an error when id is not. */
bool avz_scene_valid_id(avz_scene *s, avz_id id);
typedef void (*avz_leaf_fn)(avz_scene *s, avz_node *leaf, void *ctx);
/* Calls fn on each leaf of node id, in order (id itself when a leaf). */
void avz_scene_for_each_leaf(avz_scene *s, avz_id id, avz_leaf_fn fn, void *ctx);

#endif
