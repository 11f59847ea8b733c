/* encode_only: the encoder's floor for a render. Decodes a video attnviz made, keeps its
 * frames in memory a chunk at a time, and times only the encoding of them through the same
 * sink (same codec, preset, crf, threads) that rendering uses. Prints the seconds spent
 * encoding, so the benchmark can divide a full render's wall time by it.
 *
 *   encode_only IN.mp4 OUT.mp4 [--preset P] [--crf N]
 */
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sink.h"

/* Frames held in memory at once: about 1 GB of ARGB at 1080p. */
#define CHUNK 120

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3)
        return fprintf(stderr, "usage: encode_only IN.mp4 OUT.mp4 [--preset P] [--crf N]\n"), 2;
    const char *preset = NULL;
    int crf = -1;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--preset"))
            preset = argv[i + 1];
        else if (!strcmp(argv[i], "--crf"))
            crf = atoi(argv[i + 1]);
    }
    AVFormatContext *in = NULL;
    if (avformat_open_input(&in, argv[1], NULL, NULL) < 0 ||
        avformat_find_stream_info(in, NULL) < 0)
        return fprintf(stderr, "encode_only: cannot read %s\n", argv[1]), 1;
    int vs = av_find_best_stream(in, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    AVStream *st = in->streams[vs];
    const AVCodec *dec = avcodec_find_decoder(st->codecpar->codec_id);
    AVCodecContext *dc = avcodec_alloc_context3(dec);
    avcodec_parameters_to_context(dc, st->codecpar);
    avcodec_open2(dc, dec, NULL);
    int w = st->codecpar->width, h = st->codecpar->height;
    int fps = (int)(av_q2d(st->avg_frame_rate) + 0.5);

    avz_sink *sink = NULL;
    avz_error err = {0};
    avz_sink_options so = {.width = w, .height = h, .fps = fps, .crf = crf, .preset = preset};
    if (avz_sink_open(argv[2], &so, &sink, &err))
        return fprintf(stderr, "encode_only: %s\n", err.msg), 1;
    avz_converter *conv = NULL;
    avz_converter_new(sink, &conv);
    avz_frame *frames[CHUNK];
    for (int i = 0; i < CHUNK; i++)
        avz_sink_frame_new(sink, &frames[i]);
    /* Decoded frames go back to ARGB, as the renderer hands them over, then through the
     * same converter: so the floor includes colour conversion on one thread, as a render's
     * workers would do it in parallel. Only the sink writes are timed. */
    int stride = w * 4;
    uint8_t *argb = malloc((size_t)stride * h);
    struct SwsContext *to_argb =
        sws_getContext(w, h, dc->pix_fmt, w, h, AV_PIX_FMT_RGB32, SWS_BILINEAR, NULL, NULL, NULL);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    double encoding = 0;
    long total = 0;
    int held = 0, eof = 0;
    while (!eof || held) {
        while (!eof && held < CHUNK) {
            int rc = avcodec_receive_frame(dc, f);
            if (rc == AVERROR(EAGAIN)) {
                if (av_read_frame(in, pkt) < 0) {
                    avcodec_send_packet(dc, NULL);
                } else {
                    if (pkt->stream_index == vs)
                        avcodec_send_packet(dc, pkt);
                    av_packet_unref(pkt);
                }
                continue;
            }
            if (rc < 0) {
                eof = 1;
                break;
            }
            sws_scale(to_argb, (const uint8_t *const *)f->data, f->linesize, 0, h, &argb, &stride);
            avz_converter_run(conv, argb, stride, frames[held++]);
        }
        double t0 = now();
        for (int i = 0; i < held; i++)
            if (avz_sink_write(sink, frames[i], &err))
                return fprintf(stderr, "encode_only: %s\n", err.msg), 1;
        encoding += now() - t0;
        total += held;
        held = 0;
    }
    double t0 = now();
    if (avz_sink_finish(sink, &err))
        return fprintf(stderr, "encode_only: %s\n", err.msg), 1;
    encoding += now() - t0;
    printf("%ld frames encoded in %.3f s\n", total, encoding);
    for (int i = 0; i < CHUNK; i++)
        avz_frame_free(frames[i]);
    avz_converter_free(conv);
    sws_freeContext(to_argb);
    free(argb);
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&dc);
    avformat_close_input(&in);
    return 0;
}
