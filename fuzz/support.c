/* Shared by the fuzz targets: see support.h. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const avz_fonts *fuzz_fonts(const char *target) {
    static avz_fonts *fonts;
    avz_error err = {0};
    if (!fonts && avz_fonts_open_default(&fonts, &err)) {
        fprintf(stderr, "%s: %s\n", target, err.msg);
        exit(1);
    }
    return fonts;
}

char *fuzz_text(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}
