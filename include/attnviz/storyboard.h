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

AVZ_BEGIN_DECLS

typedef struct avz_storyboard_options {
    const char *path;  /* a .png, written atomically */
    const char *title; /* the first line, e.g. the scene's name; may be NULL */
    int thumb_width, thumb_height;
} avz_storyboard_options;

/* The sheet's size in pixels, without drawing: -EINVAL for a thumbnail size outside 16..8192
 * or a sheet larger than 32767 a side (what cairo and the PNG writer take). */
AVZ_API int avz_storyboard_size(const avz_timeline *tl, const avz_storyboard_options *opts,
                                int *width, int *height, avz_error *err);

/* Draws and writes the sheet. A phase whose first or last instant shows nothing has that
 * thumbnail moved to where it first (or last) shows something, captioned so. Fails as
 * avz_storyboard_size, with -ENOMEM, or with the PNG writer's errors. */
AVZ_API int avz_render_storyboard(const avz_scene *s, const avz_timeline *tl,
                                  const avz_storyboard_options *opts, avz_error *err);

AVZ_END_DECLS

#endif
