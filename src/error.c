/* attnviz errors: the one place that formats an error message, and the rule for the names
 * that messages and command lines quote. */
#define _DEFAULT_SOURCE /* strndup */
#include "attnviz/error.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int avz_error_set(avz_error *err, int code, const char *fmt, ...) {
    if (!err || err->code != 0)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    avz_vformat_message(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

static bool continuation(char c) {
    return ((unsigned char)c & 0xC0) == 0x80;
}

const char *avz_shorten(char *buf, size_t size, const char *text) {
    static const char ellipsis[] = "\xE2\x80\xA6";
    size_t len = strlen(text), room = size ? size - 1 : 0;
    if (len <= room) {
        if (size)
            memcpy(buf, text, len + 1);
        return buf;
    }
    if (room < sizeof ellipsis + 1) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    /* A path's end (its file name) says the most: it keeps two thirds of the room. Both cuts
     * fall between characters, so each side is cut short rather than split. */
    size_t keep = room - (sizeof ellipsis - 1);
    size_t head = keep / 3, tail = len - (keep - keep / 3);
    while (head > 0 && continuation(text[head]))
        head--;
    while (tail < len && continuation(text[tail]))
        tail++;
    snprintf(buf, size, "%.*s%s%s", (int)head, text, ellipsis, text + tail);
    return buf;
}

const char *avz_join(char *buf, size_t size, size_t count,
                     const char *(*name)(size_t index, const void *ctx), const void *ctx) {
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < count && used + 1 < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", name(i, ctx));
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

/* Edit distance counting a swap of two neighbouring letters as one edit, as typing slips
 * make them (optimal string alignment), capped: beyond `cap` the exact value does not matter. */
static size_t distance(const char *a, const char *b, size_t cap) {
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return cap + 1;
    size_t rows[3][65], *before = rows[0], *prev = rows[1], *row = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t best = row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            v = prev[j] + 1 < v ? prev[j] + 1 : v;
            v = row[j - 1] + 1 < v ? row[j - 1] + 1 : v;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                before[j - 2] + 1 < v)
                v = before[j - 2] + 1;
            row[j] = v;
            best = v < best ? v : best;
        }
        if (best > cap)
            return cap + 1;
        size_t *spare = before;
        before = prev;
        prev = row;
        row = spare;
    }
    return prev[m];
}

long avz_nearest(const char *word, size_t count, const char *(*name)(size_t index, const void *ctx),
                 const void *ctx) {
    size_t len = strlen(word), cap = len ? (len - 1) / 3 : 0;
    cap = cap > 2 ? 2 : cap;
    long best = -1;
    size_t best_d = cap + 1;
    for (size_t i = 0; i < count && cap; i++) {
        size_t d = distance(word, name(i, ctx), cap);
        if (d < best_d) {
            best_d = d;
            best = (long)i;
        }
    }
    return best;
}

bool avz_valid_name(const char *name) {
    if (!name || !(*name >= 'a' && *name <= 'z') || strlen(name) > AVZ_MAX_NAME)
        return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
            return false;
    return true;
}

void avz_vformat_message(char *out, size_t size, const char *fmt, va_list ap) {
    char first[1024];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(first, sizeof first, fmt, ap);
    char *whole = n >= (int)sizeof first ? malloc((size_t)n + 1) : NULL;
    if (whole)
        vsnprintf(whole, (size_t)n + 1, fmt, again);
    va_end(again);
    const char *text = whole ? whole : first;
    size_t used = 0;
    out[0] = '\0';
    while (*text && used + 1 < size) {
        size_t word = strcspn(text, " "), gap = strspn(text + word, " ");
        char piece[AVZ_SHORT + 1], *cut = NULL;
        if (word > AVZ_SHORT && (cut = strndup(text, word)))
            avz_shorten(piece, sizeof piece, cut);
        int wrote = cut ? snprintf(out + used, size - used, "%s%.*s", piece, (int)gap, text + word)
                        : snprintf(out + used, size - used, "%.*s", (int)(word + gap), text);
        free(cut);
        used += wrote > 0 ? (size_t)wrote : 0;
        used = used < size ? used : size - 1;
        text += word + gap;
    }
    free(whole);
}
