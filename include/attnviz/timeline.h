/* attnviz timeline: phase timing after pacing, rate functions, and sampling a frame's state.
 *
 * A built scene holds nominal times per phase. Resolving applies pacing (a phase stretched
 * to new seconds scales every time inside it; later phases shift; speed divides all). A
 * frame is a pure function of (scene, timeline, t): sampling carries nothing between
 * frames, so workers, stills and sub-ranges all use the same path. */
#ifndef ATTNVIZ_TIMELINE_H
#define ATTNVIZ_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "attnviz/api.h"
#include "attnviz/error.h"
#include "attnviz/scene.h"

AVZ_BEGIN_DECLS

/* Nominal phases, as the scene built them. */
AVZ_API size_t avz_scene_phase_count(const avz_scene *s);
AVZ_API const char *avz_scene_phase_name(const avz_scene *s, size_t index);
AVZ_API double avz_scene_phase_nominal(const avz_scene *s, size_t index);
/* The message for a phase name the scene does not have: the nearest name, and all of them.
 * Returns -EINVAL. */
AVZ_API int avz_unknown_phase(const avz_scene *s, const char *name, avz_error *err);

typedef struct avz_pacing {
    double speed;             /* 0 or 1: unchanged */
    const char *const *names; /* phases to stretch ... */
    const double *seconds;    /* ... to these lengths (before speed) */
    size_t count;
} avz_pacing;

typedef struct avz_timeline avz_timeline;

/* Fails with -EINVAL for an unknown phase name (listing the valid ones), a length that is
 * not above 0 and at most AVZ_PACE_MAX_SECONDS (settings.h), a non-positive or non-finite
 * speed. pacing may be NULL. */
AVZ_API int avz_timeline_resolve(const avz_scene *s, const avz_pacing *pacing, avz_timeline **out,
                                 avz_error *err);
AVZ_API void avz_timeline_free(avz_timeline *tl);
AVZ_API double avz_timeline_duration(const avz_timeline *tl);
AVZ_API size_t avz_timeline_phase_count(const avz_timeline *tl);
AVZ_API const char *avz_timeline_phase_name(const avz_timeline *tl, size_t index);
AVZ_API double avz_timeline_phase_start(const avz_timeline *tl, size_t index);
AVZ_API double avz_timeline_phase_duration(const avz_timeline *tl, size_t index);
/* Frames in a video of that length (and the index of the frame at that time): round(seconds *
 * fps), 0 for no time. */
AVZ_API size_t avz_frame_count(double seconds, int fps);
/* Index of the phase with that name, or -1. */
AVZ_API long avz_timeline_find_phase(const avz_timeline *tl, const char *name);

/* The state of every node and part at one instant. */
typedef struct avz_frame_state avz_frame_state;
AVZ_API int avz_frame_state_new(const avz_scene *s, avz_frame_state **out);
AVZ_API void avz_frame_state_free(avz_frame_state *st);
AVZ_API void avz_timeline_sample(const avz_scene *s, const avz_timeline *tl, double t,
                                 avz_frame_state *st);
/* dst becomes src; both are states of the same scene. */
AVZ_API void avz_frame_state_copy(avz_frame_state *dst, const avz_frame_state *src);
/* Equal states draw equal pixels, so an equal frame need not be drawn again. */
AVZ_API bool avz_frame_state_equal(const avz_frame_state *a, const avz_frame_state *b);

AVZ_END_DECLS

#endif
