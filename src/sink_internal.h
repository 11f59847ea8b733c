/* attnviz sinks, inside: what sink.c (opening, writing and finishing outputs) and convert.c
 * (turning drawn frames into what a sink takes) share. Not part of the public API. */
#ifndef ATTNVIZ_SINK_INTERNAL_H
#define ATTNVIZ_SINK_INTERNAL_H

#include <cairo.h>
#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <stdbool.h>
#include <stdint.h>

#include "attnviz/palette.h"
#include "attnviz/sink.h"

#define FNV_OFFSET 0xcbf29ce484222325u
#define FNV_PRIME 0x100000001b3u

typedef struct avz_container avz_container; /* an output format: sink.c's table */

typedef enum sink_type {
    SINK_ENCODER,   /* a container through libavformat */
    SINK_SEQUENCE,  /* one PNG file per frame */
    SINK_DIGEST,    /* no file: a digest of the pixels */
    SINK_HISTOGRAM, /* no file: the colours, for a GIF's palette */
} sink_type;

struct avz_frame {
    AVFrame *av;               /* encoders */
    uint8_t *png;              /* PNG sequence: the encoded file */
    size_t png_size, png_cap;  /* ... its length and allocation */
    uint64_t digest;           /* digest sink */
    avz_frame_histogram *hist; /* histogram sink */
};

struct avz_sink {
    sink_type type;
    const avz_container *kind;
    int width, height, fps;
    bool transparent;
    AVFormatContext *fmt;
    AVCodecContext *enc;
    AVStream *st;
    AVFrame *send; /* a reference to the caller's frame carrying our pts */
    AVPacket *pkt;
    int64_t next_pts;
    int failed; /* a write failed: finish must not publish the file */
    int fd;     /* our descriptor on the temporary file, kept for fsync before the rename */
    char *path, *tmp_path;
    uint32_t palette[AVZ_PALETTE_SIZE]; /* GIF */
    bool has_palette;
    /* PNG sequence: temporary files written so far, renamed at the end */
    long first_number;
    char **seq_tmp;
    size_t seq_count, seq_cap;
    /* the WebVTT chapters file, written at open and renamed after the video */
    char *vtt_path, *vtt_tmp;
    int vtt_fd;
    uint64_t digest;
    avz_histogram *hist;
};

/* libav errors are either AVERROR(errno) or tagged codes; callers get an errno either way. */
static inline int errno_of(int averr) {
    return averr < 0 && averr > -4096 ? averr : -EIO;
}

/* FNV-1a over the low `bytes` bytes of value, least significant first. */
static inline uint64_t fnv_bytes(uint64_t h, uint64_t value, int bytes) {
    for (int b = 0; b < bytes; b++)
        h = (h ^ ((value >> (8 * b)) & 255)) * FNV_PRIME;
    return h;
}

/* Encodes ARGB32 pixels as PNG through cairo, handing the bytes to write. */
cairo_status_t avz_png_encode(const uint8_t *argb, int width, int height, int stride,
                              cairo_write_func_t write, void *closure);

#endif
