/* gif_quality: what a GIF shows against the frames it was made from. Decodes the GIF with
 * libavcodec's decoder (which composes each frame onto the one before, as a browser does) and
 * a reference of the same frames (a lossless render: a PNG sequence; or another GIF), and
 * compares them frame by frame: PSNR over red, green and blue for the whole video, the worst
 * frame's, and how many frames are exact.
 *
 *   gif_quality GIF REFERENCE [FPS]     (FPS: the rate of a PNG sequence's pattern)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "frames.h"
#include "quality.h"

int main(int argc, char **argv) {
    if (argc < 3)
        return fprintf(stderr, "usage: gif_quality GIF REFERENCE [FPS]\n"), 2;
    bench_reader gif, reference;
    bench_reader_open(&gif, argv[1], 0);
    bench_reader_open(&reference, argv[2], argc > 3 ? atoi(argv[3]) : 0);
    if (gif.width != reference.width || gif.height != reference.height)
        bench_die("the GIF and the reference differ in size", NULL);
    size_t bytes = (size_t)gif.width * (size_t)gif.height * 4;
    uint8_t *shown = malloc(bytes), *wanted = malloc(bytes);
    if (!shown || !wanted)
        bench_die("out of memory", NULL);
    double total = 0, worst = INFINITY, samples = (double)gif.width * gif.height * 3;
    long frames = 0, exact = 0;
    bool transparent;
    while (bench_reader_next_argb(&reference, wanted, &transparent)) {
        if (!bench_reader_next_argb(&gif, shown, &transparent))
            bench_die("the GIF has fewer frames than the reference", NULL);
        double error = 0;
        for (size_t i = 0; i < bytes; i++)
            if (i % 4 != 3) {
                double d = (double)shown[i] - wanted[i];
                error += d * d;
            }
        total += error;
        frames++;
        exact += error == 0;
        worst = fmin(worst, quality_psnr_8bit(error, samples));
    }
    if (bench_reader_next_argb(&gif, shown, &transparent))
        bench_die("the GIF has more frames than the reference", NULL);
    printf("%ld frames: PSNR %.2f dB, worst frame %.2f dB, %ld exact\n", frames,
           quality_psnr_8bit(total, samples * (double)frames), worst, exact);
    free(shown);
    free(wanted);
    bench_reader_close(&gif);
    bench_reader_close(&reference);
    return 0;
}
