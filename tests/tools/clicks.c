/* avz_clicks: writes a WAV file for the soundtrack tests: 16-bit stereo at RATE, SECONDS long,
 * silent but for short clicks (2 ms at 0.8 of full scale) at the times given, or a steady
 * 440 Hz tone at 0.5 with --tone.
 *
 *   avz_clicks OUT.wav RATE SECONDS [--tone] [TIME...] */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put16(FILE *f, unsigned v) {
    fputc((int)(v & 255), f);
    fputc((int)(v >> 8 & 255), f);
}

static void put32(FILE *f, unsigned long v) {
    put16(f, (unsigned)(v & 0xffff));
    put16(f, (unsigned)(v >> 16));
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: avz_clicks OUT.wav RATE SECONDS [--tone] [TIME...]\n");
        return 2;
    }
    long rate = strtol(argv[2], NULL, 10);
    double seconds = strtod(argv[3], NULL);
    int tone = argc > 4 && !strcmp(argv[4], "--tone");
    unsigned long n = (unsigned long)llround(seconds * (double)rate);
    int16_t *samples = calloc(n ? n : 1, sizeof *samples);
    FILE *f = fopen(argv[1], "wb");
    if (!samples || !f || rate < 1000) {
        fprintf(stderr, "avz_clicks: cannot write %s\n", argv[1]);
        return 1;
    }
    for (unsigned long i = 0; tone && i < n; i++)
        samples[i] = (int16_t)lrint(
            0.5 * 32767 * sin(2 * 3.14159265358979323846 * 440 * (double)i / (double)rate));
    for (int a = 4 + tone; a < argc; a++) {
        long at = lround(strtod(argv[a], NULL) * (double)rate);
        for (long i = at; i >= 0 && i < at + rate / 500 && (unsigned long)i < n; i++)
            samples[i] = (int16_t)(0.8 * 32767);
    }
    fputs("RIFF", f);
    put32(f, 36 + n * 4);
    fputs("WAVEfmt ", f);
    put32(f, 16);
    put16(f, 1); /* PCM */
    put16(f, 2);
    put32(f, (unsigned long)rate);
    put32(f, (unsigned long)rate * 4);
    put16(f, 4);
    put16(f, 16);
    fputs("data", f);
    put32(f, n * 4);
    for (unsigned long i = 0; i < n; i++) {
        put16(f, (uint16_t)samples[i]);
        put16(f, (uint16_t)samples[i]);
    }
    free(samples);
    return fclose(f) == 0 ? 0 : 1;
}
