/* libFuzzer target: avz_math_layout on arbitrary bytes. A formula lays out or fails with a
 * message, leaving the parts as they were; nothing crashes, leaks or hangs. Messages may quote
 * the formula's bytes: formulas come from scene code, not from the command line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/math.h"

static avz_fonts *fonts;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    avz_error err = {0};
    if (avz_fonts_open(avz_fonts_default_dir(), &fonts, &err)) {
        fprintf(stderr, "fuzz_math: %s\n", err.msg);
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *tex = malloc(size + 1);
    if (!tex)
        return 0;
    memcpy(tex, data, size);
    tex[size] = '\0';
    avz_parts parts = {0};
    avz_error err = {0};
    int rc = avz_math_layout(fonts, tex, 48, &parts, &err);
    if (rc && (rc != err.code || !err.msg[0] || parts.count)) {
        fprintf(stderr, "fuzz_math: failure %d broke the contract: code %d, %zu parts, \"%s\"\n",
                rc, err.code, parts.count, err.msg);
        abort();
    }
    avz_parts_free(&parts);
    free(tex);
    return 0;
}
