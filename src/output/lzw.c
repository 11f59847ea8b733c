/* attnviz GIF LZW: a string table of up to 4096 codes in an open-addressed hash (a string is
 * its prefix's code and one more index), restarted with a clear code when full, as every GIF
 * decoder expects. Codes are packed least significant bit first. */
#include "lzw.h"

#include <errno.h>
#include <string.h>

#define MAX_CODES 4096
#define BLOCK 255

typedef struct lzw_state {
    uint8_t block[BLOCK + 1]; /* a sub-block: its length byte, then up to 255 bytes */
    uint32_t bits;            /* pending bits, lowest first */
    int bit_count;
    avz_bytes *out;
    int failed;
} lzw_state;

static void flush_block(lzw_state *s) {
    if (!s->block[0])
        return;
    if (!s->failed && avz_bytes_append(s->out, s->block, (size_t)s->block[0] + 1))
        s->failed = -ENOMEM;
    s->block[0] = 0;
}

static void put_code(lzw_state *s, unsigned code, int size) {
    s->bits |= (uint32_t)code << s->bit_count;
    s->bit_count += size;
    while (s->bit_count >= 8) {
        s->block[++s->block[0]] = (uint8_t)s->bits;
        s->bits >>= 8;
        s->bit_count -= 8;
        if (s->block[0] == BLOCK)
            flush_block(s);
    }
}

static size_t slot_of(uint32_t key) {
    return (key * 2654435761u) >> (32 - 13); /* 13 bits: AVZ_LZW_SLOTS */
}

int avz_lzw_encode(avz_lzw_table *t, const uint8_t *indices, size_t count, int min_code_size,
                   avz_bytes *out) {
    lzw_state s = {.out = out};
    memset(t->key, 0, sizeof t->key);
    uint8_t size_byte = (uint8_t)min_code_size;
    if (avz_bytes_append(out, &size_byte, 1))
        return -ENOMEM;
    const unsigned clear = 1u << min_code_size, end = clear + 1;
    int size = min_code_size + 1;
    unsigned next = clear + 2;
    put_code(&s, clear, size);
    unsigned prefix = count ? indices[0] : 0;
    for (size_t i = 1; i < count; i++) {
        uint32_t key = ((uint32_t)prefix << 8 | indices[i]) + 1;
        size_t h = slot_of(key);
        while (t->key[h] && t->key[h] != key)
            h = (h + 1) & (AVZ_LZW_SLOTS - 1);
        if (t->key[h]) {
            prefix = t->code[h];
            continue;
        }
        put_code(&s, prefix, size);
        /* The decoder adds this string when it reads the next code, and widens its codes once
         * the table reaches the next power of two: so does the encoder, at the same point. */
        t->key[h] = key;
        t->code[h] = (uint16_t)next;
        if (next >= (1u << size) && size < 12)
            size++;
        if (++next == MAX_CODES) {
            put_code(&s, clear, size);
            memset(t->key, 0, sizeof t->key);
            size = min_code_size + 1;
            next = clear + 2;
        }
        prefix = indices[i];
    }
    if (count) {
        put_code(&s, prefix, size);
        /* Reading it, the decoder adds the string the encoder added last, and may widen. */
        if (next >= (1u << size) && size < 12)
            size++;
    }
    put_code(&s, end, size);
    if (s.bit_count)
        put_code(&s, 0, 8 - s.bit_count);
    flush_block(&s);
    uint8_t terminator = 0;
    if (!s.failed && avz_bytes_append(out, &terminator, 1))
        s.failed = -ENOMEM;
    return s.failed;
}
