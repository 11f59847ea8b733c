/* attnviz pipeline: turns a scene and its timeline into a video file or a still image.
 *
 * Worker threads sample, draw and colour-convert frames in parallel; the calling thread
 * hands them to the sink in order. The queue between them is bounded, so memory does not
 * grow with the video's length. A frame whose sampled state equals the previous frame's is
 * not drawn again: the previous picture is sent once more. */
#ifndef ATTNVIZ_PIPELINE_H
#define ATTNVIZ_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attnviz/api.h"
#include "attnviz/audio.h"
#include "attnviz/error.h"
#include "attnviz/scene.h"
#include "attnviz/timeline.h"

AVZ_BEGIN_DECLS

typedef struct avz_render_options {
    const char *path; /* the output; see sink.h for the kinds */
    int width, height, fps;
    int workers; /* 0: one per core */
    /* Bytes the render may use: workers and encoder settings are chosen to fit
     * (avz_limits_fit; the bytes depend on it); 0: no budget, the encoders' defaults. */
    uint64_t memory;
    int crf;            /* < 0: the sink's default */
    const char *preset; /* NULL: the sink's default */
    /* The part of the timeline to render, in seconds (to <= 0: the end). Both snap to the
     * nearest frame of the whole video, so a part holds exactly the whole video's frames
     * there (frame i at i / fps) and parts that meet add up to the whole. */
    double from, to;
    /* Only segment K of N (1-based) of that part, as a piece for avz_concat (segment.h),
     * tagged with the scene's name and `job`, the caller's fingerprint of everything else
     * that decides the frames and their encoding. segments 0: the whole part. */
    unsigned segment, segments;
    const char *scene_name, *job;
    bool transparent;          /* a transparent background instead of black */
    const char *chapters_path; /* also write the chapters as WebVTT; may be NULL */
    /* The soundtrack; a part carries the whole video's samples of its span. Not for the
     * pieces of segments: avz_concat lays it under the joined video. */
    avz_audio_options audio;
    /* A PNG sequence's first file number; < 0: the first frame's index in the whole video. */
    long first_number;
    /* When not NULL and set (by another thread), the render stops as if interrupted. A plain
     * int, read atomically (__atomic_load_n): an atomic_int of stdatomic.h has its layout but
     * does not compile in C++. Set it with __atomic_store_n. */
    const int *stop;
    /* Called by the writer after each frame; may be NULL. */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
} avz_render_options;

/* The kind of output a path asks for (by extension, or a PNG pattern such as
 * frames/%05d.png): whether attnviz writes it, the highest frame rate up to fps it plays
 * exactly (a GIF plays whole hundredths of a second: 60 gives 50), whether it takes an x264
 * preset and crf (.mp4). */
AVZ_API bool avz_output_known(const char *path);
AVZ_API int avz_output_best_fps(const char *path, int fps);
AVZ_API bool avz_output_takes_preset(const char *path);
/* Whether pieces of the output join by stream copy (segment.h): .mp4, .webm and .mov. */
AVZ_API bool avz_output_joins(const char *path);
/* Whether path is a PNG sequence's pattern (frames/%05d.png: one %d, ending in .png), not a
 * file whose name holds a '%'. */
AVZ_API bool avz_output_is_sequence(const char *path);
/* Whether path, an existing file, is one a PNG sequence of pattern could replace: named as
 * one of its frames (any number), in the same folder however spelled. False when pattern is
 * not a PNG sequence. */
AVZ_API bool avz_output_would_replace(const char *pattern, const char *path);

/* What avz_render_video would refuse about opts without drawing or touching any file: the
 * kind of output, the frame size and rate it takes, transparency where it has no alpha, crf
 * and preset where they do not apply, a chapters file not ending in .vtt. 0 or -EINVAL. */
AVZ_API int avz_render_check(const avz_render_options *opts, avz_error *err);

/* Lets the encoders (libav, x264, libvpx) print their own log on standard error from the
 * next render on; by default the library prints nothing. */
AVZ_API void avz_encoder_log(bool on);

/* The drawing threads a render with opts.workers = requested runs: requested, or one per
 * core when it is 0; at most 64. */
AVZ_API int avz_render_workers(int requested);

/* The frames opts selects: indices [*first, *first + *count) of the whole video (none when
 * its segment does not exist: see avz_segment_bounds). */
AVZ_API void avz_frame_range(const avz_timeline *tl, const avz_render_options *opts, size_t *first,
                             size_t *count);

/* Renders to opts->path. A .gif takes two passes over the frames: one to choose its
 * palette, one to encode (progress counts both). */
AVZ_API int avz_render_video(const avz_scene *s, const avz_timeline *tl,
                             const avz_render_options *opts, avz_error *err);
/* The digest of the raw frames opts selects (see avz_digest_sink_open), without encoding,
 * and of the soundtrack's samples there; opts->path, crf, preset and chapters_path are not
 * used. */
AVZ_API int avz_render_digest(const avz_scene *s, const avz_timeline *tl,
                              const avz_render_options *opts, uint64_t *digest, avz_error *err);
/* Draws the frame at t and writes it as a PNG (atomically). */
AVZ_API int avz_render_still(const avz_scene *s, const avz_timeline *tl, double t, const char *path,
                             int width, int height, bool transparent, avz_error *err);

AVZ_END_DECLS

#endif
