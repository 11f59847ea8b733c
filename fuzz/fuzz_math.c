/* libFuzzer target: avz_math_layout on arbitrary bytes. A formula lays out or fails with a
 * message, leaving the parts as they were; nothing crashes, leaks or hangs. Messages may quote
 * the formula's bytes: formulas come from scene code, not from the command line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/math.h"
#include "support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *tex = fuzz_text(data, size);
    if (!tex)
        return 0;
    avz_parts parts = {0};
    avz_error err = {0};
    int rc = avz_math_layout(fuzz_fonts("fuzz_math"), tex, 48, &parts, &err);
    if (rc && (rc != err.code || !err.msg[0] || parts.count)) {
        fprintf(stderr, "fuzz_math: failure %d broke the contract: code %d, %zu parts, \"%s\"\n",
                rc, err.code, parts.count, err.msg);
        abort();
    }
    avz_parts_free(&parts);
    free(tex);
    return 0;
}
