/* Internal: what the outputs encoded through libavcodec and muxed through libavformat share
 * (video.c): one video stream into a temporary file, frames as AVFrames. */
#ifndef ATTNVIZ_OUTPUT_LIBAV_H
#define ATTNVIZ_OUTPUT_LIBAV_H

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <stdbool.h>

#include "avlog.h"
#include "output.h"

/* Encoder threads unless a memory budget asks for fewer, fixed so that the bytes do not
 * depend on the machine: x264 output is identical run to run for a given thread count but
 * changes with it, and libx264's default (0) means "1.5 x cores". Measured on 2 cores, 600
 * frames of 1080p: 1 thread 12.9 s, 2 and 4 threads 6.5 s each; 4 costs ~50 MB more but lets
 * 4-core machines encode faster. */
#define AVZ_ENCODER_THREADS 4

/* The container and encoder of an output. */
typedef struct avz_av_format {
    const char *muxer;         /* libavformat short name */
    const char *encoder;       /* libavcodec encoder name */
    const char *muxer_opts;    /* "key=value:..." for avformat_write_header */
    bool chapters;             /* the phases become container chapters */
    const char *audio_encoder; /* a soundtrack's encoder; NULL: the format has no sound */
} avz_av_format;

typedef struct avz_av_stream {
    AVFormatContext *fmt;
    AVCodecContext *enc;
    AVStream *st;
    AVFrame *send; /* a reference to the caller's frame carrying our pts */
    AVPacket *pkt;
    int64_t next_pts;
    struct avz_soundtrack *audio; /* muxed as the frames advance; NULL: none */
    const char *path;             /* the target, for messages */
    bool header_written;          /* and the trailer still owed: it frees the muxer's own state */
} avz_av_stream;

typedef struct avz_av_frame {
    avz_frame base;
    AVFrame *av;
} avz_av_frame;

/* Opens the encoder (pix_fmt at o's size and rate, with codec_opts, which it frees) and the
 * muxer writing into tmp_path. BT.709 limited range is set and tagged for YUV formats. */
int avz_av_open(avz_av_stream *a, const avz_av_format *f, enum AVPixelFormat pix_fmt,
                const char *path, const char *tmp_path, const avz_sink_options *o,
                AVDictionary **codec_opts, avz_error *err);
/* What opening a stream does to its container, for concat.c: chapters, metadata, and the
 * header with the format's muxer options. libav error codes. */
int avz_av_add_chapters(AVFormatContext *fmt, const avz_chapter *chapters, size_t count);
int avz_av_set_tags(AVFormatContext *fmt, const avz_tag *tags, size_t count);
int avz_av_write_header(AVFormatContext *fmt, const avz_av_format *f);
/* Encodes the next frame: the frame stays the caller's and unchanged. */
int avz_av_write(avz_av_stream *a, const AVFrame *frame, avz_error *err);
/* Flushes the encoder, writes the trailer and closes the file. */
int avz_av_finish(avz_av_stream *a, avz_error *err);
void avz_av_close(avz_av_stream *a);

/* A picture in the stream's pixel format, size and colour tags, with its planes allocated or,
 * for a converter that will make it reference planes of its own, none. 0 or -ENOMEM. */
int avz_av_picture_new(const avz_av_stream *a, bool with_buffer, AVFrame **out);
/* The same as a sink's frame. */
int avz_av_frame_new(const avz_sink *s, const avz_av_stream *a, bool with_buffer, avz_frame **out);
void avz_av_frame_free(avz_frame *f);

#endif
