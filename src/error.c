/* attnviz errors: the one place that formats an error message. */
#include "attnviz/error.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int avz_error_set(avz_error *err, int code, const char *fmt, ...) {
    if (!err || err->code != 0)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
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
