/* What the benchmark tools share: frames read back from a file attnviz wrote (a video or a PNG
 * sequence), as attnviz draws them (premultiplied ARGB32), and a GIF sink's palette. */
#ifndef ATTNVIZ_BENCH_FRAMES_H
#define ATTNVIZ_BENCH_FRAMES_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <stdbool.h>
#include <stdint.h>

#include "sink.h"

typedef struct bench_reader {
    AVFormatContext *in;
    AVCodecContext *dc;
    int stream;
    int width, height, fps;
    AVPacket *pkt;
    AVFrame *frame;
    struct SwsContext *to_argb;
} bench_reader;

_Noreturn void bench_die(const char *what, const char *detail);
double bench_now(void);
double bench_median(double *v, int n);

/* Opens path; fps is the rate of a PNG sequence (a video's own is read). */
void bench_reader_open(bench_reader *r, const char *path, int fps);
/* The next decoded frame as the decoder gave it, or NULL at the end. */
AVFrame *bench_reader_next(bench_reader *r);
/* The next frame as premultiplied ARGB32 into argb (width * 4 a row): false at the end.
 * *transparent is set when a pixel is not opaque. */
bool bench_reader_next_argb(bench_reader *r, uint8_t *argb, bool *transparent);
void bench_reader_close(bench_reader *r);

/* Gives a GIF sink the palette of every frame of path, as a render's first pass does. */
void bench_set_palette(avz_sink *gif, const char *path, int fps);

#endif
