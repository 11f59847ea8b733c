/* attnviz yuv: cairo's ARGB32 to BT.709 limited-range YUV in integer arithmetic, the same bytes
 * on every CPU: opaque yuv420p, the format of every H.264 and VP9 video without alpha, and the
 * 4:4:4 10-bit formats of ProRes 4444, with or without alpha. 4:2:0 chroma is left-sited
 * (filtered 1-2-1 across the sample's row neighbours) and averaged over each pair of rows, as
 * swscale's full-chroma-input path does. */
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

/* Premultiplied ARGB32 to straight BT.709 limited-range 4:4:4 with 10 bits (little-endian
 * words, 64..940 luma, 64..960 chroma) and full-range alpha when dst[3] is not NULL: what
 * ProRes 4444 takes. Pixel by pixel, so any rows may be converted alone. */
void avz_yuv444p10_from_argb(const uint8_t *argb, int stride, int width, int height,
                             uint8_t *const dst[4], const int dst_stride[4]);

/* The same with no SIMD. */
void avz_yuv444p10_from_argb_scalar(const uint8_t *argb, int stride, int width, int height,
                                    uint8_t *const dst[4], const int dst_stride[4]);

#endif
