/* What the benchmark tools measure quality with: PSNR over every plane and SSIM of luma (8x8
 * windows) of decoded frames against the frames the encoder was given. */
#ifndef ATTNVIZ_BENCH_QUALITY_H
#define ATTNVIZ_BENCH_QUALITY_H

#include <libavutil/frame.h>

typedef struct quality {
    double squared_error, samples, peak; /* over every plane */
    double ssim_sum;
    long ssim_windows;
} quality;

/* Adds a decoded frame (got) against the one given (want); got may be deeper than want
 * (ProRes decodes to 12 bits): compared at want's depth. */
void quality_add(quality *q, const AVFrame *want, const AVFrame *got);
/* In dB; infinite when lossless. */
double quality_psnr(const quality *q);
/* The PSNR of 8-bit samples with that summed squared error. */
double quality_psnr_8bit(double squared_error, double samples);
double quality_ssim(const quality *q);

#endif
