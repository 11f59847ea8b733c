/* palette: what a GIF loses when its palette is counted from every STEP-th frame rather than
 * from all of them. Reads a lossless render (a PNG sequence), cuts a palette from the frames
 * each step keeps, maps every frame to it as the GIF's converter does (exact nearest colour),
 * and compares the result with the render: PSNR over red, green and blue, and the worst frame.
 *
 *   palette 'frames/%05d.png' FPS STEP...
 *
 * Prints a line per step. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "output/palette.h"
#include "quality.h"

typedef struct candidate {
    long step;
    avz_histogram *total;
    uint32_t palette[AVZ_PALETTE_SIZE];
    avz_palette_map *map;
    double squared_error, worst_frame_psnr;
} candidate;

/* The squared error of one frame mapped to c's palette. */
static double frame_error(candidate *c, const uint8_t *argb, int width, int height,
                          uint8_t *indices) {
    avz_palette_map_rows(c->map, argb, width * 4, width, 0, height, indices, width);
    double sum = 0;
    for (size_t i = 0; i < (size_t)width * (size_t)height; i++) {
        uint32_t want, got = c->palette[indices[i]];
        memcpy(&want, argb + 4 * i, sizeof want);
        for (int shift = 0; shift < 24; shift += 8) {
            int d = (int)((want >> shift) & 255) - (int)((got >> shift) & 255);
            sum += d * d;
        }
    }
    return sum;
}

int main(int argc, char **argv) {
    if (argc < 4)
        return fprintf(stderr, "usage: palette 'frames/%%05d.png' FPS STEP...\n"), 2;
    int fps = atoi(argv[2]), n = argc - 3;
    candidate *cands = calloc((size_t)n, sizeof *cands);
    avz_frame_histogram *frame = malloc(sizeof *frame);
    avz_histogram_bin *bins = malloc(AVZ_PALETTE_BINS * sizeof *bins);
    if (!cands || !frame || !bins)
        bench_die("out of memory", NULL);
    for (int k = 0; k < n; k++) {
        cands[k].step = atol(argv[3 + k]);
        cands[k].worst_frame_psnr = INFINITY;
        if (cands[k].step < 1 || !(cands[k].total = calloc(1, sizeof *cands[k].total)))
            bench_die("a step is a whole number of frames, 1 or more", argv[3 + k]);
    }

    bench_reader r;
    bench_reader_open(&r, argv[1], fps);
    uint8_t *argb = malloc((size_t)r.width * (size_t)r.height * 4),
            *indices = malloc((size_t)r.width * (size_t)r.height);
    if (!argb || !indices)
        bench_die("out of memory", NULL);
    bool transparent = false;
    long frames = 0;
    for (; bench_reader_next_argb(&r, argb, &transparent); frames++) {
        avz_histogram_count(frame, argb, r.width, r.height, r.width * 4);
        size_t occupied = avz_histogram_occupied(frame, bins);
        for (int k = 0; k < n; k++)
            if (frames % cands[k].step == 0)
                avz_histogram_add(cands[k].total, bins, occupied);
    }
    bench_reader_close(&r);
    for (int k = 0; k < n; k++)
        if (avz_palette_build(cands[k].total, cands[k].palette) ||
            avz_palette_map_new(cands[k].palette, &cands[k].map))
            bench_die("out of memory", NULL);

    bench_reader_open(&r, argv[1], fps);
    while (bench_reader_next_argb(&r, argb, &transparent))
        for (int k = 0; k < n; k++) {
            double e = frame_error(&cands[k], argb, r.width, r.height, indices);
            double p = quality_psnr_8bit(e, 3.0 * r.width * r.height);
            cands[k].squared_error += e;
            cands[k].worst_frame_psnr =
                p < cands[k].worst_frame_psnr ? p : cands[k].worst_frame_psnr;
        }
    bench_reader_close(&r);

    for (int k = 0; k < n; k++) {
        printf("palette from every %ld frame(s) of %ld: PSNR %.2f dB, worst frame %.2f dB\n",
               cands[k].step, frames,
               quality_psnr_8bit(cands[k].squared_error, 3.0 * r.width * r.height * (double)frames),
               cands[k].worst_frame_psnr);
        avz_palette_map_free(cands[k].map);
        free(cands[k].total);
    }
    free(cands);
    free(frame);
    free(bins);
    free(argb);
    free(indices);
    return 0;
}
