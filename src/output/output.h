/* Internal: the kinds of output, as dav1d's tools/output/ keeps them: each kind is a table of
 * functions in a file of its own (video.c: H.264, VP9 and ProRes through libav; gif.c;
 * png_sequence.c; digest.c; histogram.c), owning its frames and their conversion. sink.c
 * holds the table, picks a kind by path and does what every kind shares: the checks, the
 * chapters file and the files' final renames. No kind's file includes another's. */
#ifndef ATTNVIZ_OUTPUT_H
#define ATTNVIZ_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "outfile.h"
#include "sink.h"

typedef struct avz_output avz_output;

/* What every kind's sink, frame and converter begin with; each kind's own struct embeds it as
 * its first member, and casts back. */
struct avz_sink {
    const avz_output *kind;
    char *path; /* as given (a pattern for a PNG sequence); NULL without a file */
    int width, height, fps;
    bool transparent;
    long first_number;
    avz_outset *files; /* the temporaries, renamed together at the end; NULL without a file */
    int64_t written;   /* frames so far */
    bool failed;       /* a write failed: finish must not publish anything */
};

struct avz_frame {
    const avz_output *kind;
};

struct avz_converter {
    const avz_output *kind;
    int width, height;
};

struct avz_output {
    const char *name;      /* for messages: "H.264/MP4" */
    const char *extension; /* ".mp4"; NULL for a kind picked otherwise */
    bool alpha;            /* can keep the frames' transparency */
    bool takes_preset;     /* an x264 preset and crf */
    bool needs_palette;    /* a first pass through a histogram sink */
    bool sound;            /* carries a soundtrack */
    /* Its converter encodes a frame against the one before it (convert's dst NULL: only
     * remember the picture), so each worker draws runs of consecutive frames. */
    bool encodes_changes;
    /* The container its pieces join in by stream copy (concat.c); NULL: they do not. */
    const struct avz_av_format *container;
    /* True when path asks for this kind (by a pattern); NULL: by extension alone. */
    bool (*claims)(const char *path);
    /* Bytes per pixel of the video its encoder holds with o; NULL: nothing to speak of. */
    double (*encoder_memory)(const avz_sink_options *o);
    /* The highest rate up to fps that the kind plays exactly; NULL: every rate. */
    int (*best_fps)(int fps);
    /* Checks of the kind's own (encoder options, its frame rates); NULL: none. */
    int (*check)(const char *path, const avz_sink_options *o, avz_error *err);
    /* Allocates the kind's sink, base filled by avz_sink_init, and opens its files. */
    int (*open)(const avz_output *kind, const char *path, const avz_sink_options *o, avz_sink **out,
                avz_error *err);
    int (*frame_new)(const avz_sink *s, avz_frame **out);
    void (*frame_free)(avz_frame *f);
    int (*converter_new)(const avz_sink *s, avz_converter **out);
    void (*converter_free)(avz_converter *c);
    int (*convert)(avz_converter *c, const uint8_t *argb, int stride, const avz_rows *changed,
                   size_t count, avz_frame *dst);
    int (*write)(avz_sink *s, const avz_frame *f, avz_error *err);
    /* Everything written and flushed into the temporaries; NULL: nothing to do. */
    int (*finish)(avz_sink *s, avz_error *err);
    /* Frees the kind's part of s (not the base; the temporaries are removed by sink.c). */
    void (*close)(avz_sink *s);
};

extern const avz_output avz_output_mp4, avz_output_webm, avz_output_mov, avz_output_gif,
    avz_output_png_sequence, avz_output_digest, avz_output_histogram;

/* For a kind's open: fills the base of its sink (with path, an outset for its files). */
int avz_sink_init(avz_sink *s, const avz_output *kind, const char *path, const avz_sink_options *o,
                  avz_error *err);

/* For a kind's converter_new: fills the base. */
void avz_converter_init(avz_converter *c, const avz_sink *s);

/* For a kind's frame_new: a zeroed frame of `size` bytes (the kind's own struct, which begins
 * with the base), its kind set. 0 or -ENOMEM. */
int avz_frame_alloc(const avz_sink *s, size_t size, avz_frame **out);

/* The kind path asks for, or NULL. */
const avz_output *avz_output_for(const char *path);

/* Adds a WebVTT file of the chapters to files, written whole now. */
int avz_vtt_add(avz_outset *files, const char *path, const avz_chapter *chapters, size_t count,
                avz_error *err);

/* The part of path from its last dot on, if the dot is in its file name; else "". */
const char *avz_extension_of(const char *path);

#endif
