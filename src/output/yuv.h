/* attnviz yuv: cairo's opaque ARGB32 to BT.709 limited-range yuv420p, the format of every
 * H.264 and VP9 video without alpha, in integer arithmetic: the same bytes on every CPU.
 * Chroma is left-sited (filtered 1-2-1 across the sample's row neighbours) and averaged over
 * each pair of rows, as swscale's full-chroma-input path does. */
#ifndef ATTNVIZ_YUV_H
#define ATTNVIZ_YUV_H

#include <stdint.h>

/* Converts width x height pixels (alpha ignored: the frame is opaque) into the Y, Cb and Cr
 * planes of dst, whose chroma planes are ceil(width/2) x ceil(height/2). */
void avz_yuv420_from_argb(const uint8_t *argb, int stride, int width, int height,
                          uint8_t *const dst[3], const int dst_stride[3]);

/* The same with no SIMD at all: what the fast path must equal, byte for byte. */
void avz_yuv420_from_argb_scalar(const uint8_t *argb, int stride, int width, int height,
                                 uint8_t *const dst[3], const int dst_stride[3]);

#endif
