/* seams: the quality of chosen frames of a video, for the cost of splitting a render. Decodes
 * the video and compares each chosen frame with a lossless still of it (a PNG attnviz wrote,
 * DIR/FRAME.png with the frame's number in six digits), converted as the video's output
 * converts: PSNR over every plane and SSIM of luma, the encoder's loss alone.
 *
 *   seams VIDEO DIR FRAME...
 *
 * Prints "PSNR dB SSIM" over all the chosen frames. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "output/libav.h"
#include "quality.h"
#include "sink.h"

static int by_number(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* The still of frame n, converted by the video's output's own converter. */
static AVFrame *given_frame(const char *video, const char *dir, long n, const bench_reader *v) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%06ld.png", dir, n);
    bench_reader r;
    bench_reader_open(&r, path, v->fps);
    uint8_t *argb = malloc((size_t)r.width * (size_t)r.height * 4);
    bool transparent = false;
    if (!argb || !bench_reader_next_argb(&r, argb, &transparent))
        bench_die("cannot read", path);
    avz_sink_options o = {.width = r.width, .height = r.height, .fps = v->fps, .crf = -1};
    snprintf(path, sizeof path, "%s/converter%s", dir, strrchr(video, '.'));
    avz_error err = {0};
    avz_sink *sink = NULL;
    avz_converter *conv = NULL;
    avz_frame *f = NULL;
    if (avz_sink_open(path, &o, &sink, &err))
        bench_die(err.msg, NULL);
    if (avz_converter_new(sink, &conv) || avz_sink_frame_new(sink, &f) ||
        avz_converter_run(conv, argb, r.width * 4, f))
        bench_die("cannot convert", path);
    AVFrame *out = av_frame_clone(((avz_av_frame *)f)->av);
    avz_frame_free(f);
    avz_converter_free(conv);
    avz_sink_abort(sink);
    bench_reader_close(&r);
    free(argb);
    return out;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: seams VIDEO DIR FRAME...\n");
        return 2;
    }
    size_t count = (size_t)argc - 3;
    long *wanted = malloc(count * sizeof *wanted);
    if (!wanted)
        bench_die("out of memory", NULL);
    for (size_t i = 0; i < count; i++)
        wanted[i] = strtol(argv[3 + i], NULL, 10);
    qsort(wanted, count, sizeof *wanted, by_number);
    bench_reader v;
    bench_reader_open(&v, argv[1], 0);
    quality q = {0};
    size_t next = 0;
    AVFrame *f;
    for (long n = 0; next < count && (f = bench_reader_next(&v)); n++)
        for (; next < count && wanted[next] == n; next++) {
            AVFrame *want = given_frame(argv[1], argv[2], n, &v);
            quality_add(&q, want, f);
            av_frame_free(&want);
        }
    if (next < count) {
        char frame[32];
        snprintf(frame, sizeof frame, "%ld", wanted[next]);
        bench_die("the video ends before frame", frame);
    }
    printf("%.2f dB %.5f\n", quality_psnr(&q), quality_ssim(&q));
    bench_reader_close(&v);
    free(wanted);
    return 0;
}
