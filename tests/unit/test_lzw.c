/* LZW tests: a strict decoder, written from GIF89a's appendix F, reads what avz_lzw_encode wrote
 * for streams of every length up to past several table restarts, over alphabets of 2 to 256
 * indices: the same indices come back, the end code is read at the width the table has then
 * reached, and nothing but zero padding follows it. (Browsers and libavcodec stop at the last
 * pixel, so an end code one bit too narrow would pass them unnoticed.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "output/lzw.h"

typedef struct reader {
    const uint8_t *data; /* the codes, sub-blocks joined */
    size_t size, bit;
} reader;

static int read_code(reader *r, int width) {
    if (r->bit + (size_t)width > 8 * r->size)
        return -1;
    int code = 0;
    for (int k = 0; k < width; k++, r->bit++)
        code |= ((r->data[r->bit / 8] >> (r->bit % 8)) & 1) << k;
    return code;
}

/* Joins the sub-blocks after the minimum code size; checks their lengths and terminator. */
static uint8_t *join_blocks(const avz_bytes *b, size_t *size) {
    uint8_t *joined = malloc(b->size);
    assert_non_null(joined);
    size_t at = 1, n = 0;
    while (at < b->size && b->data[at]) {
        size_t len = b->data[at];
        assert_true(at + 1 + len < b->size);
        memcpy(joined + n, b->data + at + 1, len);
        n += len;
        at += 1 + len;
    }
    assert_int_equal(at, b->size - 1); /* the empty block ends the data, and nothing follows */
    *size = n;
    return joined;
}

/* Decodes strictly into out (room for `expected` indices); returns how many. */
static size_t decode(const avz_bytes *b, uint8_t *out, size_t expected) {
    int min = b->data[0];
    size_t size;
    uint8_t *codes = join_blocks(b, &size);
    reader r = {codes, size, 0};
    const int clear = 1 << min, end = clear + 1;
    static uint16_t prefix[4096];
    static uint8_t suffix[4096], first[4096];
    for (int i = 0; i < clear; i++)
        suffix[i] = first[i] = (uint8_t)i;
    int width = min + 1, next = clear + 2, previous = -1;
    size_t n = 0;
    for (;;) {
        int code = read_code(&r, width);
        assert_true(code >= 0); /* the end code is there, at this width */
        if (code == clear) {
            width = min + 1;
            next = clear + 2;
            previous = -1;
            continue;
        }
        if (code == end)
            break;
        assert_true(code < next || (code == next && previous >= 0));
        if (previous >= 0 && next < 4096) {
            prefix[next] = (uint16_t)previous;
            suffix[next] = first[code == next ? previous : code];
            first[next] = first[previous];
            next++;
            if (next == 1 << width && width < 12)
                width++;
        }
        uint8_t string[4096];
        int len = 0;
        for (int c = code;; c = prefix[c]) {
            string[len++] = suffix[c];
            if (c < clear)
                break;
        }
        assert_true(n + (size_t)len <= expected);
        for (int k = len - 1; k >= 0; k--)
            out[n++] = string[k];
        previous = code;
    }
    /* only padding after the end code, within its byte */
    while (r.bit % 8)
        assert_int_equal(read_code(&r, 1), 0);
    assert_int_equal(r.bit, 8 * size);
    free(codes);
    return n;
}

static void round_trip(avz_lzw_table *t, const uint8_t *indices, size_t count, int min) {
    avz_bytes b = {0};
    assert_int_equal(avz_lzw_encode(t, indices, count, min, &b), 0);
    assert_int_equal(b.data[0], min);
    uint8_t *back = malloc(count + 1);
    assert_non_null(back);
    assert_int_equal(decode(&b, back, count), count);
    assert_memory_equal(back, indices, count);
    free(back);
    avz_bytes_free(&b);
}

static void every_length_round_trips(void **state) {
    (void)state;
    avz_lzw_table *t = malloc(sizeof *t);
    enum { LONGEST = 20000 };
    uint8_t *indices = malloc(LONGEST);
    assert_non_null(t);
    assert_non_null(indices);
    static const int alphabets[] = {2, 3, 4, 5, 16, 200, 256};
    for (size_t a = 0; a < sizeof alphabets / sizeof alphabets[0]; a++) {
        int symbols = alphabets[a], min = 2;
        while ((1 << min) < symbols)
            min++;
        uint32_t seed = 7u + (uint32_t)a;
        for (size_t i = 0; i < LONGEST; i++) {
            seed = seed * 1103515245u + 12345u;
            /* runs and noise: both the long strings and the full table */
            indices[i] = (uint8_t)((seed >> 24) % 4 ? (seed >> 16) % (uint32_t)symbols
                                                    : (i ? indices[i - 1] : 0));
        }
        for (size_t count = 1; count <= 3000; count++)
            round_trip(t, indices, count, min);
        round_trip(t, indices, LONGEST, min);
    }
    free(indices);
    free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_length_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
