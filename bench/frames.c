/* See frames.h. */
#include "frames.h"

#include <libswscale/swscale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

_Noreturn void bench_die(const char *what, const char *detail) {
    fprintf(stderr, "bench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

double bench_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

double bench_median(double *v, int n) {
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_reader_open(bench_reader *r, const char *path, int fps) {
    AVDictionary *opts = NULL;
    av_dict_set_int(&opts, "framerate", fps, 0); /* used by the PNG sequence demuxer only */
    *r = (bench_reader){0};
    if (avformat_open_input(&r->in, path, NULL, &opts) < 0 ||
        avformat_find_stream_info(r->in, NULL) < 0)
        bench_die("cannot read", path);
    av_dict_free(&opts);
    r->stream = av_find_best_stream(r->in, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (r->stream < 0)
        bench_die("no video in", path);
    const AVStream *st = r->in->streams[r->stream];
    const AVCodec *dec = avcodec_find_decoder(st->codecpar->codec_id);
    r->dc = avcodec_alloc_context3(dec);
    r->pkt = av_packet_alloc();
    r->frame = av_frame_alloc();
    if (!r->dc || !r->pkt || !r->frame || avcodec_parameters_to_context(r->dc, st->codecpar) < 0 ||
        avcodec_open2(r->dc, dec, NULL) < 0)
        bench_die("cannot decode", path);
    r->width = r->dc->width;
    r->height = r->dc->height;
    r->fps = st->avg_frame_rate.num ? (int)(av_q2d(st->avg_frame_rate) + 0.5) : fps;
}

AVFrame *bench_reader_next(bench_reader *r) {
    av_frame_unref(r->frame);
    for (;;) {
        int rc = avcodec_receive_frame(r->dc, r->frame);
        if (rc == 0)
            return r->frame;
        if (rc != AVERROR(EAGAIN))
            return NULL;
        if (av_read_frame(r->in, r->pkt) < 0) {
            avcodec_send_packet(r->dc, NULL);
            continue;
        }
        if (r->pkt->stream_index == r->stream)
            avcodec_send_packet(r->dc, r->pkt);
        av_packet_unref(r->pkt);
    }
}

bool bench_reader_next_argb(bench_reader *r, uint8_t *argb, bool *transparent) {
    AVFrame *f = bench_reader_next(r);
    if (!f)
        return false;
    r->to_argb = sws_getCachedContext(r->to_argb, f->width, f->height, f->format, r->width,
                                      r->height, AV_PIX_FMT_RGB32, SWS_POINT, NULL, NULL, NULL);
    if (!r->to_argb)
        bench_die("cannot convert the frames", NULL);
    int stride = r->width * 4;
    sws_scale(r->to_argb, (const uint8_t *const *)f->data, f->linesize, 0, r->height, &argb,
              &stride);
    for (size_t i = 0; i < (size_t)r->width * (size_t)r->height; i++) {
        uint32_t p;
        memcpy(&p, argb + 4 * i, sizeof p);
        uint32_t a = p >> 24;
        if (a != 255) {
            *transparent = true;
            uint32_t red = (((p >> 16) & 255) * a + 127) / 255;
            uint32_t green = (((p >> 8) & 255) * a + 127) / 255;
            uint32_t blue = ((p & 255) * a + 127) / 255;
            p = a << 24 | red << 16 | green << 8 | blue;
            memcpy(argb + 4 * i, &p, sizeof p);
        }
    }
    return true;
}

void bench_reader_close(bench_reader *r) {
    sws_freeContext(r->to_argb);
    av_frame_free(&r->frame);
    av_packet_free(&r->pkt);
    avcodec_free_context(&r->dc);
    avformat_close_input(&r->in);
}

void bench_set_palette(avz_sink *gif, const char *path, int fps) {
    bench_reader r;
    bench_reader_open(&r, path, fps);
    avz_sink_options o = {.width = r.width, .height = r.height, .fps = r.fps};
    avz_error err = {0};
    avz_sink *histogram = NULL;
    avz_converter *count = NULL;
    avz_frame *counted = NULL;
    uint8_t *argb = malloc((size_t)r.width * (size_t)r.height * 4);
    bool transparent = false;
    if (!argb || avz_histogram_sink_open(&o, &histogram, &err) ||
        avz_converter_new(histogram, &count) || avz_sink_frame_new(histogram, &counted))
        bench_die("cannot count colours", err.msg[0] ? err.msg : NULL);
    while (bench_reader_next_argb(&r, argb, &transparent))
        if (avz_converter_run(count, argb, r.width * 4, counted) ||
            avz_sink_write(histogram, counted, &err))
            bench_die("cannot count colours", err.msg);
    uint32_t palette[256];
    if (avz_histogram_palette(histogram, palette))
        bench_die("out of memory", NULL);
    avz_gif_set_palette(gif, palette);
    avz_frame_free(counted);
    avz_converter_free(count);
    avz_sink_abort(histogram);
    free(argb);
    bench_reader_close(&r);
}
