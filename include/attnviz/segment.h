/* attnviz segments: one render split into N contiguous frame ranges, rendered anywhere (N
 * machines of any job engine, or N processes of one), and joined by stream copy.
 *
 * Where the pieces meet: segment K of N nominally starts at frame first + floor(count * (K-1)
 * / N) of the render. A keyframe costs least where the picture changes anyway or not at all,
 * so a boundary moves, within a window of min(fps / 2, count / (4 N)) frames either side, to
 * the nearest phase start; failing one, to the nearest frame identical to its predecessor;
 * failing that, it stays. Ties go to the earlier frame. Each boundary depends only on the
 * timeline, the frame rate, the render's range and N, and the windows of two boundaries never
 * meet, so every piece is non-empty and the same on every machine.
 *
 * A piece is a whole video of its own: it starts with a keyframe, closes its last GOP and
 * carries the chapters of the phases it shows, and its container metadata names the render it
 * belongs to (AVZ_TAG_* below). avz_concat checks that the pieces belong together and joins
 * their packets, unchanged, into one file: every frame once, timestamps continuous, the
 * whole video's chapters, as a render in one piece would have them. */
#ifndef ATTNVIZ_SEGMENT_H
#define ATTNVIZ_SEGMENT_H

#include <stddef.h>

#include "attnviz/api.h"
#include "attnviz/audio.h"
#include "attnviz/error.h"
#include "attnviz/timeline.h"

AVZ_BEGIN_DECLS

#define AVZ_SEGMENTS_MAX 1000

/* The metadata of a piece. */
#define AVZ_TAG_SEGMENT "attnviz_segment" /* "K/N" */
#define AVZ_TAG_FRAMES "attnviz_frames"   /* "FIRST COUNT": its frames in the whole video */
#define AVZ_TAG_RANGE "attnviz_range"     /* "FIRST COUNT": the frames of the whole render */
#define AVZ_TAG_FPS "attnviz_fps"         /* frames per second */
#define AVZ_TAG_VERSION "attnviz_version" /* AVZ_VERSION of the attnviz that rendered it */
#define AVZ_TAG_SCENE "attnviz_scene"     /* the scene's name */
#define AVZ_TAG_JOB "attnviz_job"         /* the caller's fingerprint of everything else */

/* Frames [*begin, *end) of the whole video: segment k (1..n) of the render's frames
 * [first, first + count). -EINVAL with a message when n is 0 or over AVZ_SEGMENTS_MAX, k is
 * not within 1..n, or there are fewer frames than segments. */
AVZ_API int avz_segment_bounds(const avz_timeline *tl, int fps, size_t first, size_t count,
                               unsigned k, unsigned n, size_t *begin, size_t *end, avz_error *err);

/* Joins the pieces (in any order) into output, whose extension must be theirs: .mp4, .webm or
 * .mov. Refuses, naming the piece, a file that is not a piece, pieces of another scene, job,
 * attnviz version or encoding, and a segment missing or given twice; writes nothing then.
 * chapters_path, when not NULL, also gets the chapters as WebVTT; audio, when its path is not
 * NULL, is the soundtrack laid under the joined video (as avz_render_video lays it under a
 * render of the same frames). Written as a render is: into temporaries, renamed at the end. */
AVZ_API int avz_concat(const char *const *pieces, size_t count, const char *output,
                       const char *chapters_path, const avz_audio_options *audio, avz_error *err);

AVZ_END_DECLS

#endif
