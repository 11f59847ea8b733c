/* Internal: sinks, where finished frames go. The pipeline's workers convert drawn frames
 * (cairo ARGB32, premultiplied; opaque unless the render is transparent) into a sink's format
 * in parallel with avz_converter; its writer hands them to the sink in order.
 *
 * The path picks the kind of output (src/output/, one file per kind): .mp4 (H.264), .webm
 * (VP9), .mov (ProRes 4444), .gif, or a PNG sequence when it holds one printf-style frame
 * number (`frames/%05d.png`). Two kinds write no file: a digest of the raw frames, and a
 * colour histogram from which .gif output takes its palette (a first pass over the frames).
 * Files are written through outfile: beside their targets, all renamed at the end together. */
#ifndef ATTNVIZ_SINK_H
#define ATTNVIZ_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attnviz/audio.h"
#include "attnviz/error.h"
#include "attnviz/geom.h"

typedef struct avz_chapter {
    const char *title;
    double start, end; /* seconds */
} avz_chapter;

/* Container metadata. */
typedef struct avz_tag {
    const char *key, *value;
} avz_tag;

typedef struct avz_sink_options {
    int width, height; /* even, checked by avz_sink_open */
    int fps;
    const avz_chapter *chapters; /* one per phase; may be NULL */
    size_t chapter_count;
    int crf;            /* H.264 quality; < 0 picks 23 */
    const char *preset; /* x264 preset; NULL picks "medium" */
    bool transparent;   /* keep the frames' alpha (.webm, .mov and PNG sequences only) */
    long first_number;  /* a PNG sequence's first file number (the frame's index in the video) */
    size_t frame_count; /* the frames it will be given (a PNG sequence's last name); 0: unknown */
    const char *chapters_path; /* also write the chapters as WebVTT there; may be NULL */
    /* An encoder held within a memory budget (avz_limits_fit); 0: the defaults. */
    int encoder_threads; /* frame threads; 0: 4 */
    int lookahead;       /* x264's rc-lookahead, in frames; 0: the preset's */
    const avz_tag *tags; /* the container's metadata (.mp4, .webm, .mov); may be NULL */
    size_t tag_count;
    /* A soundtrack (NULL: none), for an output that starts audio_start seconds into a whole
     * video audio_whole seconds long (.mp4, .webm, .mov). */
    const avz_audio_options *audio;
    double audio_start, audio_whole;
} avz_sink_options;

typedef struct avz_sink avz_sink;
typedef struct avz_frame avz_frame; /* a converted frame, owned by whoever allocated it */
typedef struct avz_converter avz_converter;

/* True when path names an output kind attnviz writes (by extension, or a PNG pattern). */
bool avz_sink_known(const char *path);
/* What avz_sink_open would refuse without touching any file: an unknown output kind,
 * transparency for a format without alpha, crf or preset for anything but H.264, a frame
 * size or rate the format cannot take, a chapters file not ending in .vtt. 0 or -EINVAL. */
int avz_sink_check(const char *path, const avz_sink_options *opts, avz_error *err);
/* The highest frame rate up to fps that the output plays exactly: GIF delays are whole
 * hundredths of a second (and browsers slow down anything under two), so 60 gives 50. */
int avz_sink_best_fps(const char *path, int fps);
/* True when the output needs a palette (.gif): render the frames once into a histogram sink,
 * then give its avz_histogram_palette to avz_gif_set_palette before making converters. */
bool avz_sink_needs_palette(const char *path);
/* The memory the output's encoder holds with opts (its preset, threads and lookahead), in
 * bytes per pixel of the video, as measured (README, "Memory"); 0 for an unknown output. */
double avz_sink_encoder_memory(const char *path, const avz_sink_options *opts);
/* True when pieces of the output join by stream copy (avz_concat): .mp4, .webm, .mov. */
bool avz_sink_joins(const char *path);
/* True when the sink's converters encode each frame against the picture before it (.gif):
 * then a converter must be given consecutive frames, or the frame before first (dst NULL). */
bool avz_sink_encodes_changes(const avz_sink *sink);
/* True when the output takes an x264 preset and crf (.mp4). */
bool avz_sink_takes_preset(const char *path);
/* True when path is a PNG sequence's pattern (frames/%05d.png; png_sequence.c). */
bool avz_sink_is_sequence(const char *path);
/* True when file, an existing one, is named as one of the frames of the PNG sequence pattern,
 * in its folder (png_sequence.c). */
bool avz_sink_sequence_names(const char *pattern, const char *file);

/* Opens a sink for path (see above). Fails with a message for what avz_sink_check refuses,
 * a missing or unwritable directory, or an encoder error. */
int avz_sink_open(const char *path, const avz_sink_options *opts, avz_sink **out, avz_error *err);
/* Sinks without a file; only width, height and fps of opts are used. The digest is 64-bit
 * FNV-1a over the frame size and rate, then over each frame's own digest of its drawn pixels
 * (FNV steps on 0xAARRGGBB values, see output/digest.c): the same on every machine whatever
 * its byte order, cheap next to drawing, and enough to notice a changed frame. */
int avz_digest_sink_open(const avz_sink_options *opts, avz_sink **out, avz_error *err);
uint64_t avz_sink_digest(const avz_sink *sink);
int avz_histogram_sink_open(const avz_sink_options *opts, avz_sink **out, avz_error *err);
/* The palette for the frames a histogram sink has counted (median cut). 0 or -ENOMEM. */
int avz_histogram_palette(const avz_sink *histogram, uint32_t palette[256]);
/* Gives a .gif sink its palette, before any converter is made. */
void avz_gif_set_palette(avz_sink *gif, const uint32_t palette[256]);

/* FNV-1a, continuing *digest, over the soundtrack's samples of [start, start + seconds) of a
 * whole video `whole` seconds long (after offset, gain and fade): what hash adds for it. */
int avz_soundtrack_digest(const avz_audio_options *o, double start, double seconds, double whole,
                          uint64_t *digest, avz_error *err);

/* Allocates a frame in the sink's pixel format and size, to convert into before it is written:
 * a frame yuv.c converts into holds no planes until a conversion makes it reference the
 * converter's. 0 or -ENOMEM. */
int avz_sink_frame_new(const avz_sink *sink, avz_frame **out);
void avz_frame_free(avz_frame *frame);
/* One converter per worker thread: ARGB32 to the sink's format (YUV: BT.709, limited range,
 * alpha un-premultiplied; GIF: the encoded image of what changed since the converter's
 * previous picture; PNG sequence: the encoded file). */
int avz_converter_new(const avz_sink *sink, avz_converter **out);
void avz_converter_free(avz_converter *conv);
int avz_converter_run(avz_converter *conv, const uint8_t *argb, int stride, avz_frame *dst);
/* The same when only the `changed` rows differ from the pixels of this converter's previous
 * call: a converter that keeps its last outputs (yuv.c's, GIF's) converts those rows alone.
 * dst NULL, for an output that encodes changes: the picture is only remembered, as the one
 * the next frame is encoded against. */
int avz_converter_update(avz_converter *conv, const uint8_t *argb, int stride,
                         const avz_rows *changed, size_t count, avz_frame *dst);
/* Encodes the next frame (frames are numbered in call order). The frame stays the caller's
 * and unchanged: the writer sends a repeated picture again, as the frame it wrote last. */
int avz_sink_write(avz_sink *sink, const avz_frame *frame, avz_error *err);
/* Flushes, writes the trailer and renames the temporary files onto the targets, all of them
 * or none (a sink without a file just ends). Frees sink. */
int avz_sink_finish(avz_sink *sink, avz_error *err);
/* Discards everything written and removes the temporary files. Frees sink; NULL is allowed. */
void avz_sink_abort(avz_sink *sink);

#endif
