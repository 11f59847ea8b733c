/* attnviz storyboard: one image for reviewing pacing at a glance. A row per phase holds its
 * name and times, then thumbnails of its first instant, its middle and its last instant (just
 * before the next phase starts), each labelled with its time. Labels are set in the engine's
 * own text, so the sheet looks the same on every machine. */
#ifndef ATTNVIZ_STORYBOARD_H
#define ATTNVIZ_STORYBOARD_H

#include "attnviz/api.h"
#include "attnviz/error.h"
#include "attnviz/scene.h"
#include "attnviz/timeline.h"

typedef struct avz_storyboard_options {
    const char *path;  /* a .png, written atomically */
    const char *title; /* the first line, e.g. the scene's name; may be NULL */
    int thumb_width, thumb_height;
} avz_storyboard_options;

/* Fails with -EINVAL for a thumbnail size outside 16..8192 or a sheet too large for cairo,
 * -ENOMEM, or the PNG writer's errors. */

AVZ_API int avz_render_storyboard(const avz_scene *s, const avz_timeline *tl,
                                  const avz_storyboard_options *opts, avz_error *err);

#endif
