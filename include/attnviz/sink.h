/* attnviz sinks: colour conversion and encoding of finished frames into files.
 *
 * Frames arrive as cairo ARGB32 (premultiplied, opaque here). Workers convert them to the
 * sink's pixel format in parallel with avz_converter; one writer hands converted frames to
 * the sink in order. Output goes to a temporary file beside the target and is renamed on
 * success, so a failed render never leaves a broken file or destroys a previous good one. */
#ifndef ATTNVIZ_SINK_H
#define ATTNVIZ_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "attnviz/error.h"

typedef struct avz_chapter {
    const char *title;
    double start, end; /* seconds */
} avz_chapter;

typedef struct avz_sink_options {
    int width, height; /* even, checked by avz_sink_open */
    int fps;
    const avz_chapter *chapters; /* one per phase; may be NULL */
    size_t chapter_count;
    int crf;            /* H.264 quality; < 0 picks 23 */
    const char *preset; /* x264 preset; NULL picks "medium" */
} avz_sink_options;

typedef struct avz_sink avz_sink;
typedef struct avz_frame avz_frame; /* a converted frame, owned by whoever allocated it */
typedef struct avz_converter avz_converter;

/* Opens a sink for path; the container comes from the extension (.mp4). Fails with a
 * message for an unknown extension, a missing or unwritable directory, or an encoder error. */
int avz_sink_open(const char *path, const avz_sink_options *opts, avz_sink **out,
                  avz_error *err);
/* Allocates a frame in the sink's pixel format and size. */
int avz_sink_frame_new(const avz_sink *sink, avz_frame **out);
void avz_frame_free(avz_frame *frame);
/* One converter per worker thread: ARGB32 to the sink's format (BT.709, limited range). */
int avz_converter_new(const avz_sink *sink, avz_converter **out);
void avz_converter_free(avz_converter *conv);
int avz_converter_run(avz_converter *conv, const uint8_t *argb, int stride, avz_frame *dst);
/* Encodes the next frame (frames are numbered in call order). */
int avz_sink_write(avz_sink *sink, const avz_frame *frame, avz_error *err);
/* Flushes, writes the trailer and renames the temporary file onto the target. Frees sink. */
int avz_sink_finish(avz_sink *sink, avz_error *err);
/* Discards everything written and removes the temporary file. Frees sink. */
void avz_sink_abort(avz_sink *sink);

/* Writes a cairo ARGB32 image to a PNG at path, atomically (temporary file and rename). */
int avz_png_write(const char *path, const uint8_t *argb, int width, int height, int stride,
                  avz_error *err);

#endif
