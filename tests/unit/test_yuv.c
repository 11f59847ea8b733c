/* yuv converter tests: BT.709 limited-range values of flat colours (4:2:0 and 4:4:4 10-bit),
 * chroma siting (left, filtered 1-2-1, rows averaged in pairs), odd sizes, the SIMD
 * paths equal to the scalar ones byte for byte, and 4:4:4 rows converted alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output/yuv.h"

enum { W = 40, H = 4 }; /* wide enough for the 16-pixel SIMD path */

typedef struct planes {
    uint8_t y[H][W], cb[H / 2][W / 2], cr[H / 2][W / 2];
} planes;

static void convert(const uint32_t argb[H][W], int width, int height, planes *p) {
    uint8_t *const dst[3] = {&p->y[0][0], &p->cb[0][0], &p->cr[0][0]};
    const int stride[3] = {W, W / 2, W / 2};
    memset(p, 0xAA, sizeof *p);
    avz_yuv420_from_argb((const uint8_t *)argb, W * 4, width, height, dst, stride);
}

static void fill(uint32_t argb[H][W], uint32_t colour) {
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++)
            argb[r][c] = colour;
}

static void flat(uint32_t colour, int y, int cb, int cr) {
    uint32_t argb[H][W];
    fill(argb, colour);
    planes p;
    convert(argb, W, H, &p);
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++)
            assert_int_equal(p.y[r][c], y);
    for (int r = 0; r < H / 2; r++)
        for (int c = 0; c < W / 2; c++) {
            assert_int_equal(p.cb[r][c], cb);
            assert_int_equal(p.cr[r][c], cr);
        }
}

/* ITU-R BT.709's matrix in limited range, the values swscale gives. */
static void flat_colours(void **state) {
    (void)state;
    flat(0xFF000000, 16, 128, 128);
    flat(0xFFFFFFFF, 235, 128, 128);
    flat(0xFF808080, 126, 128, 128);
    flat(0xFFFF0000, 63, 102, 240);
    flat(0xFF00FF00, 173, 42, 26);
    flat(0xFF0000FF, 32, 240, 118);
    flat(0x00FF0000, 63, 102, 240); /* alpha is ignored: the frame is opaque */
}

/* Red columns at x = 2 and 3 (and at 22, 23, inside the SIMD path) in black. The sample at
 * x = 2 weighs column 1 by 1/4, 2 by 2/4 and 3 by 1/4: 3/4 red; the sample at x = 4 sees
 * column 3 by 1/4; the one at x = 0 none. Cr of red is 128 + 112. */
static void chroma_siting(void **state) {
    (void)state;
    uint32_t argb[H][W];
    fill(argb, 0xFF000000);
    for (int r = 0; r < H; r++)
        argb[r][2] = argb[r][3] = argb[r][22] = argb[r][23] = 0xFFFF0000;
    planes p;
    convert(argb, W, H, &p);
    for (int base = 0; base <= 10; base += 10) {
        assert_int_equal(p.cr[0][base + 0], 128);
        assert_int_equal(p.cr[0][base + 1], 128 + 84);
        assert_int_equal(p.cr[0][base + 2], 128 + 28);
        assert_int_equal(p.y[0][2 * base + 2], 63);
        assert_int_equal(p.y[0][2 * base + 1], 16);
    }
}

/* Rows are averaged in pairs: red above black gives half the red's chroma. */
static void rows_in_pairs(void **state) {
    (void)state;
    uint32_t argb[H][W];
    fill(argb, 0xFF000000);
    for (int c = 0; c < W; c++)
        argb[0][c] = 0xFFFF0000;
    planes p;
    convert(argb, W, H, &p);
    assert_int_equal(p.cr[0][1], 128 + 56);
    assert_int_equal(p.cr[0][15], 128 + 56);
    assert_int_equal(p.cr[1][1], 128);
}

/* Odd sizes: the last column and row repeat; nothing past the image is written. */
static void odd_sizes(void **state) {
    (void)state;
    uint32_t argb[H][W];
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++)
            argb[r][c] = c < 35 && r < 3 ? 0xFFFF0000 : 0xFF0000FF;
    planes p;
    convert(argb, 35, 3, &p);
    assert_int_equal(p.y[2][34], 63);
    assert_int_equal(p.y[2][35], 0xAA);
    assert_int_equal(p.y[3][0], 0xAA);
    assert_int_equal(p.cr[1][17], 240);
    assert_int_equal(p.cb[1][17], 102);
    assert_int_equal(p.cr[1][18], 0xAA);
}

/* Random pictures of every width from 1 to 80 and a few heights: the fast path gives the
 * scalar path's bytes, so the output does not depend on the CPU. */
static void simd_equals_scalar(void **state) {
    (void)state;
    enum { MAX_W = 80, MAX_H = 5 };
    static uint8_t argb[MAX_H][MAX_W * 4];
    static uint8_t fast[3][MAX_H * MAX_W], slow[3][MAX_H * MAX_W];
    srand(7);
    for (int height = 1; height <= MAX_H; height++)
        for (int width = 1; width <= MAX_W; width++) {
            for (int r = 0; r < height; r++)
                for (int i = 0; i < width * 4; i++)
                    argb[r][i] = (uint8_t)rand();
            const int stride[3] = {width, (width + 1) / 2, (width + 1) / 2};
            uint8_t *const a[3] = {fast[0], fast[1], fast[2]};
            uint8_t *const b[3] = {slow[0], slow[1], slow[2]};
            memset(fast, 0, sizeof fast);
            memset(slow, 0, sizeof slow);
            avz_yuv420_from_argb(&argb[0][0], MAX_W * 4, width, height, a, stride);
            avz_yuv420_from_argb_scalar(&argb[0][0], MAX_W * 4, width, height, b, stride);
            assert_memory_equal(fast, slow, sizeof fast);
        }
}

/* 4:4:4 10-bit: one pixel converted into four little-endian planes. */
static void convert444(uint32_t pixel, int out[4]) {
    uint8_t words[4][2];
    uint8_t *const dst[4] = {words[0], words[1], words[2], words[3]};
    const int stride[4] = {2, 2, 2, 2};
    avz_yuv444p10_from_argb((const uint8_t *)&pixel, 4, 1, 1, dst, stride);
    for (int k = 0; k < 4; k++)
        out[k] = words[k][0] | words[k][1] << 8;
}

static void flat444(uint32_t pixel, int y, int cb, int cr, int a) {
    int v[4];
    convert444(pixel, v);
    assert_int_equal(v[0], y);
    assert_int_equal(v[1], cb);
    assert_int_equal(v[2], cr);
    assert_int_equal(v[3], a);
}

/* BT.709 in 10-bit limited range, rounded from the exact matrix; alpha is straight and full
 * range, the colour divided back out of cairo's premultiplied pixels first. */
static void flat_colours_444p10(void **state) {
    (void)state;
    flat444(0xFF000000, 64, 512, 512, 1023);
    flat444(0xFFFFFFFF, 940, 512, 512, 1023);
    flat444(0xFF808080, 504, 512, 512, 1023);
    flat444(0xFFFF0000, 250, 409, 960, 1023);
    flat444(0xFF00FF00, 691, 167, 105, 1023);
    flat444(0xFF0000FF, 127, 960, 471, 1023);
    flat444(0x80800000, 250, 409, 960, 514); /* half-transparent red, premultiplied */
    flat444(0x00000000, 64, 512, 512, 0);
}

/* Without an alpha plane, rows convert alone: a band gives the same words as the whole. */
static void rows_444p10_alone(void **state) {
    (void)state;
    uint32_t argb[H][W];
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++)
            argb[r][c] = 0xFF000000u | (uint32_t)(r * 977 + c * 131) * 2654435761u >> 8;
    static uint8_t whole[3][H][2 * W], band[3][H][2 * W];
    uint8_t *const all[4] = {&whole[0][0][0], &whole[1][0][0], &whole[2][0][0], NULL};
    uint8_t *const rows[4] = {&band[0][1][0], &band[1][1][0], &band[2][1][0], NULL};
    const int stride[4] = {2 * W, 2 * W, 2 * W, 0};
    memset(band, 0, sizeof band);
    avz_yuv444p10_from_argb((const uint8_t *)argb, W * 4, W, H, all, stride);
    avz_yuv444p10_from_argb((const uint8_t *)argb[1], W * 4, W, 2, rows, stride);
    for (int k = 0; k < 3; k++)
        assert_memory_equal(whole[k][1], band[k][1], 2 * 2 * W);
}

/* 4:4:4 likewise, with and without alpha, for every width from 1 to 40: alpha mostly 0 or 255
 * (the colour used as it is) and sometimes between (divided back out first). The colour is
 * random, so premultiplied values above their alpha are covered too. */
static void simd_equals_scalar_444p10(void **state) {
    (void)state;
    enum { MAX_W = 40, MAX_H = 3 };
    static uint32_t argb[MAX_H][MAX_W];
    static uint8_t fast[4][MAX_H][2 * MAX_W], slow[4][MAX_H][2 * MAX_W];
    const uint32_t alphas[4] = {0, 255, 255, 0x80};
    srand(11);
    for (int with_alpha = 0; with_alpha < 2; with_alpha++)
        for (int width = 1; width <= MAX_W; width++) {
            for (int r = 0; r < MAX_H; r++)
                for (int c = 0; c < width; c++) {
                    uint32_t a = alphas[rand() % 4];
                    a = a == 0x80 ? (uint32_t)rand() % 256 : a;
                    argb[r][c] = a << 24 | ((uint32_t)rand() & 0xFFFFFF);
                }
            const int stride[4] = {2 * MAX_W, 2 * MAX_W, 2 * MAX_W, 2 * MAX_W};
            uint8_t *const a[4] = {&fast[0][0][0], &fast[1][0][0], &fast[2][0][0],
                                   with_alpha ? &fast[3][0][0] : NULL};
            uint8_t *const b[4] = {&slow[0][0][0], &slow[1][0][0], &slow[2][0][0],
                                   with_alpha ? &slow[3][0][0] : NULL};
            memset(fast, 0, sizeof fast);
            memset(slow, 0, sizeof slow);
            avz_yuv444p10_from_argb((const uint8_t *)argb, MAX_W * 4, width, MAX_H, a, stride);
            avz_yuv444p10_from_argb_scalar((const uint8_t *)argb, MAX_W * 4, width, MAX_H, b,
                                           stride);
            assert_memory_equal(fast, slow, sizeof fast);
        }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flat_colours),       cmocka_unit_test(chroma_siting),
        cmocka_unit_test(rows_in_pairs),      cmocka_unit_test(odd_sizes),
        cmocka_unit_test(simd_equals_scalar), cmocka_unit_test(flat_colours_444p10),
        cmocka_unit_test(rows_444p10_alone),  cmocka_unit_test(simd_equals_scalar_444p10),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
