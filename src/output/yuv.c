/* attnviz yuv: see yuv.h. Fixed point in units of 1/65536. Each chroma row's weights sum to 0,
 * so greys map to 128 exactly. The SSE2 paths (every x86-64 CPU has SSE2) compute the very
 * same integer expressions as the scalar ones, 16 (4:2:0) or 8 (4:4:4) pixels at a time; the
 * scalar code does the image edges and other CPUs. */
#include "yuv.h"

#include <string.h>

#include "argb.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum {
    Y_R = 11966, /* Kr, Kg and Kb scaled by 219/255 */
    Y_G = 40254,
    Y_B = 4064,
    CB_R = -6596,
    CB_G = -22188,
    CB_B = 28784,
    CR_R = 28784,
    CR_G = -26145,
    CR_B = -2639,
    ONE = 1 << 16,
    /* the 128 offset and rounding of a chroma sum over 8 samples (weight 8 * ONE), added
     * before the shift so that it only ever shifts positive values */
    CHROMA_BIAS = 128 * 8 * ONE + 4 * ONE,
};

static uint32_t pixel(const uint8_t *row, int x) {
    uint32_t p;
    memcpy(&p, row + 4 * (size_t)x, sizeof p);
    return p;
}

static uint8_t luma(uint32_t p) {
    int r = (int)(p >> 16 & 255), g = (int)(p >> 8 & 255), b = (int)(p & 255);
    return (uint8_t)(16 + ((Y_R * r + Y_G * g + Y_B * b + ONE / 2) >> 16));
}

static void luma_scalar(const uint8_t *row, int from, int to, uint8_t *y) {
    for (int x = from; x < to; x++)
        y[x] = luma(pixel(row, x));
}

/* Channel c (shift 16 red, 8 green, 0 blue) of column x summed over both rows. */
static int column(const uint8_t *top, const uint8_t *bottom, int x, int shift) {
    return (int)(pixel(top, x) >> shift & 255) + (int)(pixel(bottom, x) >> shift & 255);
}

/* Chroma samples [from, to) of a row pair; the sample i sits on column 2i. */
static void chroma_scalar(const uint8_t *top, const uint8_t *bottom, int width, int from, int to,
                          uint8_t *cb, uint8_t *cr) {
    for (int i = from; i < to; i++) {
        int x = 2 * i, left = x > 0 ? x - 1 : x, right = x + 1 < width ? x + 1 : x;
        int c[3];
        for (int k = 0; k < 3; k++) {
            int shift = 16 - 8 * k;
            c[k] = column(top, bottom, left, shift) + 2 * column(top, bottom, x, shift) +
                   column(top, bottom, right, shift);
        }
        cb[i] = (uint8_t)((CB_R * c[0] + CB_G * c[1] + CB_B * c[2] + CHROMA_BIAS) >> 19);
        cr[i] = (uint8_t)((CR_R * c[0] + CR_G * c[1] + CR_B * c[2] + CHROMA_BIAS) >> 19);
    }
}

#ifdef __SSE2__
/* Pixels are B, G, R, A bytes: masking 0x00FF00FF leaves (blue, red) as 16-bit pairs and,
 * after a shift by 8, (green, alpha); _mm_madd_epi16 then weighs both pairs at once. Y_G
 * does not fit a signed 16-bit weight, so green is doubled and weighed by Y_G / 2. */

static __m128i luma4(const uint8_t *p) {
    const __m128i low = _mm_set1_epi32(0x00FF00FF);
    const __m128i w_br = _mm_set1_epi32(Y_R << 16 | Y_B), w_g = _mm_set1_epi32(Y_G / 2);
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i br = _mm_and_si128(v, low);
    __m128i g2 = _mm_slli_epi32(_mm_and_si128(_mm_srli_epi32(v, 8), _mm_set1_epi32(255)), 1);
    __m128i sum = _mm_add_epi32(_mm_madd_epi16(br, w_br), _mm_madd_epi16(g2, w_g));
    sum = _mm_srli_epi32(_mm_add_epi32(sum, _mm_set1_epi32(ONE / 2)), 16);
    return _mm_add_epi32(sum, _mm_set1_epi32(16));
}

/* Luma of pixels [0, the returned count), 16 at a time. */
static int luma_sse2(const uint8_t *row, int width, uint8_t *y) {
    int x = 0;
    for (; x + 16 <= width; x += 16) {
        const uint8_t *p = row + 4 * (size_t)x;
        __m128i lo = _mm_packs_epi32(luma4(p), luma4(p + 16));
        __m128i hi = _mm_packs_epi32(luma4(p + 32), luma4(p + 48));
        _mm_storeu_si128((__m128i *)(y + x), _mm_packus_epi16(lo, hi));
    }
    return x;
}

/* Column sums over both rows of the 4 pixels at x, as (blue, red) and (green, alpha)
 * 16-bit pairs: at most 2 x 255 each. */
static void columns4(const uint8_t *top, const uint8_t *bottom, int x, __m128i *br, __m128i *ga) {
    const __m128i low = _mm_set1_epi32(0x00FF00FF);
    __m128i t = _mm_loadu_si128((const __m128i *)(top + 4 * (size_t)x));
    __m128i b = _mm_loadu_si128((const __m128i *)(bottom + 4 * (size_t)x));
    *br = _mm_add_epi16(_mm_and_si128(t, low), _mm_and_si128(b, low));
    *ga = _mm_add_epi16(_mm_and_si128(_mm_srli_epi32(t, 8), low),
                        _mm_and_si128(_mm_srli_epi32(b, 8), low));
}

/* The 1-2-1 filter at lanes 0 and 2 of v (columns x and x + 2): the left neighbours are the
 * last lane of prev and lane 1, the right ones lanes 1 and 3. At most 8 x 255: no overflow. */
static __m128i filter121(__m128i prev, __m128i v) {
    __m128i left = _mm_or_si128(_mm_slli_si128(v, 4), _mm_srli_si128(prev, 12));
    __m128i right = _mm_srli_si128(v, 4);
    return _mm_add_epi16(_mm_add_epi16(left, right), _mm_add_epi16(v, v));
}

/* One chroma plane's samples for 4 pixels at x: lanes 0 and 2 hold those of columns x, x + 2. */
static __m128i chroma4(__m128i br, __m128i ga, int w_r, int w_g, int w_b) {
    __m128i v = _mm_add_epi32(_mm_madd_epi16(br, _mm_set1_epi32(w_r * 65536 + (w_b & 0xFFFF))),
                              _mm_madd_epi16(ga, _mm_set1_epi32(w_g & 0xFFFF)));
    v = _mm_srai_epi32(_mm_add_epi32(v, _mm_set1_epi32(CHROMA_BIAS)), 19);
    return _mm_shuffle_epi32(v, _MM_SHUFFLE(3, 1, 2, 0)); /* the two samples first */
}

/* Eight samples from lanes 0-1 of four vectors, as bytes. */
static void store8(uint8_t *out, __m128i a, __m128i b, __m128i c, __m128i d) {
    __m128i words = _mm_packs_epi32(_mm_unpacklo_epi64(a, b), _mm_unpacklo_epi64(c, d));
    _mm_storel_epi64((__m128i *)out, _mm_packus_epi16(words, words));
}

/* Chroma samples from 0 while their 16 pixels lie inside the row; returns where it stopped.
 * Column -1 repeats column 0. */
static int chroma_sse2(const uint8_t *top, const uint8_t *bottom, int width, uint8_t *cb,
                       uint8_t *cr) {
    const __m128i no_alpha = _mm_set1_epi32(0xFFFF);
    __m128i prev_br, prev_ga;
    if (width < 16)
        return 0;
    columns4(top, bottom, 0, &prev_br, &prev_ga);
    prev_br = _mm_shuffle_epi32(prev_br, 0);
    prev_ga = _mm_shuffle_epi32(prev_ga, 0);
    int i = 0;
    for (; 2 * i + 16 <= width; i += 8) {
        __m128i u[4], v[4];
        for (int k = 0; k < 4; k++) {
            __m128i br, ga;
            columns4(top, bottom, 2 * i + 4 * k, &br, &ga);
            __m128i fbr = filter121(prev_br, br);
            /* alpha is no colour: cleared, the (green, alpha) weights need no zero */
            __m128i fga = _mm_and_si128(filter121(prev_ga, ga), no_alpha);
            u[k] = chroma4(fbr, fga, CB_R, CB_G, CB_B);
            v[k] = chroma4(fbr, fga, CR_R, CR_G, CR_B);
            prev_br = br;
            prev_ga = ga;
        }
        store8(cb + i, u[0], u[1], u[2], u[3]);
        store8(cr + i, v[0], v[1], v[2], v[3]);
    }
    return i;
}
#endif

static void convert(const uint8_t *argb, int stride, int width, int height, uint8_t *const dst[3],
                    const int dst_stride[3], int simd) {
    (void)simd; /* unread where there is no SSE2 */
    int samples = (width + 1) / 2;
    for (int cy = 0; 2 * cy < height; cy++) {
        int top = 2 * cy, bottom = top + 1 < height ? top + 1 : top;
        const uint8_t *top_row = argb + (size_t)top * (size_t)stride;
        const uint8_t *bottom_row = argb + (size_t)bottom * (size_t)stride;
        for (int row = top; row <= bottom; row++) {
            const uint8_t *src = argb + (size_t)row * (size_t)stride;
            uint8_t *y = dst[0] + (size_t)row * (size_t)dst_stride[0];
            int done = 0;
#ifdef __SSE2__
            if (simd)
                done = luma_sse2(src, width, y);
#endif
            luma_scalar(src, done, width, y);
        }
        uint8_t *cb = dst[1] + (size_t)cy * (size_t)dst_stride[1];
        uint8_t *cr = dst[2] + (size_t)cy * (size_t)dst_stride[2];
        int done = 0;
#ifdef __SSE2__
        if (simd)
            done = chroma_sse2(top_row, bottom_row, width, cb, cr);
#endif
        chroma_scalar(top_row, bottom_row, width, done, samples, cb, cr);
    }
}

void avz_yuv420_from_argb(const uint8_t *argb, int stride, int width, int height,
                          uint8_t *const dst[3], const int dst_stride[3]) {
    convert(argb, stride, width, height, dst, dst_stride, 1);
}

void avz_yuv420_from_argb_scalar(const uint8_t *argb, int stride, int width, int height,
                                 uint8_t *const dst[3], const int dst_stride[3]) {
    convert(argb, stride, width, height, dst, dst_stride, 0);
}

/* ── 4:4:4, 10 bits ────────────────────────────────────────────────────────────────── */

enum {
    Y10_R = 47864, /* Kr, Kg and Kb scaled by 876/255 */
    Y10_G = 161017,
    Y10_B = 16255,
    CB10_R = -26383, /* chroma scaled by 896/255; each row sums to 0 */
    CB10_G = -88755,
    CB10_B = 115138,
    CR10_R = 115138,
    CR10_G = -104581,
    CR10_B = -10557,
};

static void store10(uint8_t *plane, int x, int v) {
    plane[2 * x] = (uint8_t)(v & 255);
    plane[2 * x + 1] = (uint8_t)(v >> 8);
}

static void pixels444_scalar(const uint8_t *src, int from, int to, uint8_t *const out[4]) {
    for (int x = from; x < to; x++) {
        uint32_t p = avz_argb_unpremultiply(pixel(src, x));
        int r = (int)(p >> 16 & 255), g = (int)(p >> 8 & 255), b = (int)(p & 255);
        store10(out[0], x, 64 + ((Y10_R * r + Y10_G * g + Y10_B * b + ONE / 2) >> 16));
        /* + 512 * ONE before the shift, so that it only ever shifts positive values */
        store10(out[1], x, (CB10_R * r + CB10_G * g + CB10_B * b + 512 * ONE + ONE / 2) >> 16);
        store10(out[2], x, (CR10_R * r + CR10_G * g + CR10_B * b + 512 * ONE + ONE / 2) >> 16);
        if (out[3]) {
            int a = (int)(p >> 24);
            store10(out[3], x, a << 2 | a >> 6);
        }
    }
}

#ifdef __SSE2__
/* The 10-bit weights need up to 18 bits, more than _mm_madd_epi16 takes: each weight W is
 * split as 256 * (W >> 8) + (W & 255), both halves weighed by madd and summed, which is the
 * scalar product exactly (no sum comes near 2^31). */

/* (blue, red) and (green, 0) weight pairs of one half, as madd takes them */
typedef struct {
    __m128i br, g;
} weights;

static weights weights_of(int w_r, int w_g, int w_b, int half) {
    int r = half ? w_r >> 8 : w_r & 255, g = half ? w_g >> 8 : w_g & 255,
        b = half ? w_b >> 8 : w_b & 255;
    return (weights){_mm_set1_epi32((int)((uint32_t)r << 16 | (uint32_t)(b & 0xFFFF))),
                     _mm_set1_epi32(g & 0xFFFF)};
}

/* One plane's 10-bit values of 4 straight-colour pixels, split into (blue, red) and
 * (green, alpha) 16-bit pairs. */
static __m128i plane4(__m128i br, __m128i ga, weights high, weights low, int bias, int offset) {
    __m128i h = _mm_add_epi32(_mm_madd_epi16(br, high.br), _mm_madd_epi16(ga, high.g));
    __m128i l = _mm_add_epi32(_mm_madd_epi16(br, low.br), _mm_madd_epi16(ga, low.g));
    __m128i sum = _mm_add_epi32(_mm_add_epi32(_mm_slli_epi32(h, 8), l), _mm_set1_epi32(bias));
    return _mm_add_epi32(_mm_srai_epi32(sum, 16), _mm_set1_epi32(offset));
}

/* Pixels [0, the returned count), 8 at a time. A group with any alpha other than 0 and 255
 * is first divided back out, pixel by pixel, into a scratch copy. */
static int pixels444_sse2(const uint8_t *src, int width, uint8_t *const out[4]) {
    const __m128i low_bytes = _mm_set1_epi32(0x00FF00FF), opaque = _mm_set1_epi32(255);
    const weights y_h = weights_of(Y10_R, Y10_G, Y10_B, 1),
                  y_l = weights_of(Y10_R, Y10_G, Y10_B, 0);
    const weights cb_h = weights_of(CB10_R, CB10_G, CB10_B, 1),
                  cb_l = weights_of(CB10_R, CB10_G, CB10_B, 0);
    const weights cr_h = weights_of(CR10_R, CR10_G, CR10_B, 1),
                  cr_l = weights_of(CR10_R, CR10_G, CR10_B, 0);
    int x = 0;
    for (; x + 8 <= width; x += 8) {
        __m128i v[2] = {_mm_loadu_si128((const __m128i *)(src + 4 * (size_t)x)),
                        _mm_loadu_si128((const __m128i *)(src + 4 * (size_t)x + 16))};
        __m128i a0 = _mm_srli_epi32(v[0], 24), a1 = _mm_srli_epi32(v[1], 24);
        __m128i plain = _mm_and_si128(
            _mm_or_si128(_mm_cmpeq_epi32(a0, _mm_setzero_si128()), _mm_cmpeq_epi32(a0, opaque)),
            _mm_or_si128(_mm_cmpeq_epi32(a1, _mm_setzero_si128()), _mm_cmpeq_epi32(a1, opaque)));
        if (_mm_movemask_epi8(plain) != 0xFFFF) {
            uint32_t straight[8];
            for (int k = 0; k < 8; k++)
                straight[k] = avz_argb_unpremultiply(pixel(src, x + k));
            v[0] = _mm_loadu_si128((const __m128i *)straight);
            v[1] = _mm_loadu_si128((const __m128i *)(straight + 4));
        }
        __m128i y[2], cb[2], cr[2], a[2];
        for (int k = 0; k < 2; k++) {
            __m128i br = _mm_and_si128(v[k], low_bytes);
            __m128i ga = _mm_and_si128(_mm_srli_epi32(v[k], 8), low_bytes);
            y[k] = plane4(br, ga, y_h, y_l, ONE / 2, 64);
            cb[k] = plane4(br, ga, cb_h, cb_l, 512 * ONE + ONE / 2, 0);
            cr[k] = plane4(br, ga, cr_h, cr_l, 512 * ONE + ONE / 2, 0);
            __m128i alpha = _mm_srli_epi32(v[k], 24);
            a[k] = _mm_or_si128(_mm_slli_epi32(alpha, 2), _mm_srli_epi32(alpha, 6));
        }
        /* little-endian words, as store10 writes them */
        _mm_storeu_si128((__m128i *)(out[0] + 2 * (size_t)x), _mm_packs_epi32(y[0], y[1]));
        _mm_storeu_si128((__m128i *)(out[1] + 2 * (size_t)x), _mm_packs_epi32(cb[0], cb[1]));
        _mm_storeu_si128((__m128i *)(out[2] + 2 * (size_t)x), _mm_packs_epi32(cr[0], cr[1]));
        if (out[3])
            _mm_storeu_si128((__m128i *)(out[3] + 2 * (size_t)x), _mm_packs_epi32(a[0], a[1]));
    }
    return x;
}
#endif

static void convert444(const uint8_t *argb, int stride, int width, int height,
                       uint8_t *const dst[4], const int dst_stride[4], int simd) {
    (void)simd; /* unread where there is no SSE2 */
    for (int row = 0; row < height; row++) {
        const uint8_t *src = argb + (size_t)row * (size_t)stride;
        uint8_t *out[4];
        for (int k = 0; k < 4; k++)
            out[k] = dst[k] ? dst[k] + (size_t)row * (size_t)dst_stride[k] : NULL;
        int done = 0;
#ifdef __SSE2__
        if (simd)
            done = pixels444_sse2(src, width, out);
#endif
        pixels444_scalar(src, done, width, out);
    }
}

void avz_yuv444p10_from_argb(const uint8_t *argb, int stride, int width, int height,
                             uint8_t *const dst[4], const int dst_stride[4]) {
    convert444(argb, stride, width, height, dst, dst_stride, 1);
}

void avz_yuv444p10_from_argb_scalar(const uint8_t *argb, int stride, int width, int height,
                                    uint8_t *const dst[4], const int dst_stride[4]) {
    convert444(argb, stride, width, height, dst, dst_stride, 0);
}
