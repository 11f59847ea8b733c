/* encode_only: the encoder's floor for a render. Reads a video attnviz made, keeps its frames
 * in memory a chunk at a time, and times only the encoding of them through the same sink
 * (same codec and settings, threads and, for a GIF, the palette of the same frames) that
 * rendering uses. Prints the seconds spent encoding, so the benchmark can divide a full
 * render's wall time by it.
 *
 *   encode_only IN OUT [--preset P] [--crf N] [--fps N]
 *
 * IN is best the render itself, decoded: a PNG sequence's pattern needs --fps.
 * OUT's name picks the output as for a render (.mp4, .webm, .mov, .gif, frames/%05d.png).
 * What is timed is the encoder's work: the sink's writes, and for a PNG sequence or a GIF
 * (whose frames are compressed by the converter, in the render's workers) the conversion, on
 * one thread; a GIF's converter is told which rows changed since the frame before (found
 * untimed; see changed_rows). A GIF's palette pass is attnviz's own work, and is not timed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"

/* Frames held in memory at once: about 1 GB of ARGB at 1080p. */
#define CHUNK 120

/* The bands of rows of frame `now` that differ from `before` (all of them without one): what a
 * converter that encodes changes is given. The render's canvas reports whole redrawn boxes,
 * a few more rows, and each run's first frame costs one more conversion: this floor is a
 * little lower than the render's own conversion. */
static size_t changed_rows(const uint8_t *before, const uint8_t *now, int stride, int height,
                           avz_rows *bands) {
    size_t count = 0;
    for (int y = 0; y < height; y++) {
        size_t at = (size_t)y * (size_t)stride;
        if (before && !memcmp(before + at, now + at, (size_t)stride))
            continue;
        if (count && bands[count - 1].end == y)
            bands[count - 1].end = y + 1;
        else
            bands[count++] = (avz_rows){y, y + 1};
    }
    return count;
}

int main(int argc, char **argv) {
    if (argc < 3)
        return fprintf(stderr, "usage: encode_only IN OUT [--preset P] [--crf N] [--fps N]\n"), 2;
    const char *preset = NULL;
    int crf = -1, fps = 0;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--preset"))
            preset = argv[i + 1];
        else if (!strcmp(argv[i], "--crf"))
            crf = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--fps"))
            fps = atoi(argv[i + 1]);
    }
    bench_reader r;
    bench_reader_open(&r, argv[1], fps);
    avz_sink *sink = NULL;
    avz_error err = {0};
    avz_sink_options so = {.width = r.width,
                           .height = r.height,
                           .fps = avz_sink_best_fps(argv[2], r.fps),
                           .crf = crf,
                           .preset = preset};
    if (avz_sink_open(argv[2], &so, &sink, &err))
        bench_die(err.msg, NULL);
    if (avz_sink_needs_palette(argv[2]))
        bench_set_palette(sink, argv[1], r.fps);
    bool compresses_in_converter = avz_sink_is_sequence(argv[2]) || avz_sink_encodes_changes(sink);
    avz_converter *conv = NULL;
    avz_frame *frames[CHUNK];
    uint8_t *argb[CHUNK], *last = NULL; /* a copy of the chunk before's last frame */
    avz_rows *bands[CHUNK];
    size_t band_count[CHUNK];
    int stride = r.width * 4;
    if (avz_converter_new(sink, &conv))
        bench_die("out of memory", NULL);
    for (int i = 0; i < CHUNK; i++)
        if (avz_sink_frame_new(sink, &frames[i]) ||
            !(argb[i] = malloc((size_t)stride * (size_t)r.height)) ||
            !(bands[i] = malloc((size_t)r.height * sizeof *bands[i])))
            bench_die("out of memory", NULL);
    double encoding = 0;
    long total = 0;
    bool transparent = false, eof = false;
    while (!eof) {
        int held = 0;
        while (held < CHUNK && bench_reader_next_argb(&r, argb[held], &transparent))
            held++;
        eof = held < CHUNK;
        for (int i = 0; i < held; i++)
            band_count[i] =
                changed_rows(i ? argb[i - 1] : last, argb[i], stride, r.height, bands[i]);
        if (held && !last && !(last = malloc((size_t)stride * (size_t)r.height)))
            bench_die("out of memory", NULL);
        if (held)
            memcpy(last, argb[held - 1], (size_t)stride * (size_t)r.height);
        double t0 = bench_now();
        for (int i = 0; i < held; i++)
            if (compresses_in_converter &&
                avz_converter_update(conv, argb[i], stride, bands[i], band_count[i], frames[i]))
                bench_die("cannot convert a frame", NULL);
        double converted = bench_now();
        for (int i = 0; i < held && !compresses_in_converter; i++)
            if (avz_converter_run(conv, argb[i], stride, frames[i]))
                bench_die("cannot convert a frame", NULL);
        double t1 = bench_now();
        for (int i = 0; i < held; i++)
            if (avz_sink_write(sink, frames[i], &err))
                bench_die(err.msg, NULL);
        encoding += (converted - t0) + (bench_now() - t1);
        total += held;
    }
    double t0 = bench_now();
    if (avz_sink_finish(sink, &err))
        bench_die(err.msg, NULL);
    encoding += bench_now() - t0;
    printf("%ld frames encoded in %.3f s\n", total, encoding);
    for (int i = 0; i < CHUNK; i++) {
        avz_frame_free(frames[i]);
        free(argb[i]);
        free(bands[i]);
    }
    free(last);
    avz_converter_free(conv);
    bench_reader_close(&r);
    return 0;
}
