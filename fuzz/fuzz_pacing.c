/* libFuzzer target: avz_pacing_read on arbitrary file contents. A pacing file is read into
 * entries that keep its promises (named, unique, seconds in (0, max]) or fails with one line
 * that names the file ("path:line:" for a bad line); nothing crashes, leaks or hangs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attnviz/pacing.h"

static char path[] = "/tmp/avz-fuzz-pacing.XXXXXX";
static int fd = -1;

static void remove_file(void) {
    unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fd = mkstemp(path);
    if (fd < 0) {
        perror("fuzz_pacing: mkstemp");
        exit(1);
    }
    atexit(remove_file);
    return 0;
}

static void broken(const char *what, const avz_pacing_file *pf, const avz_error *err) {
    fprintf(stderr, "fuzz_pacing: %s (%zu entries, code %d, \"%s\")\n", what, pf->count, err->code,
            err->msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    avz_pacing_file pf = {0};
    avz_error err = {0};
    int rc = avz_pacing_read(path, &pf, &err);
    if (rc) {
        if (rc != err.code || !err.msg[0] || strchr(err.msg, '\n'))
            broken("a failure without its one-line message", &pf, &err);
        if (rc == -EINVAL && !strstr(err.msg, path))
            broken("a bad file or line whose message does not name the file", &pf, &err);
        if (pf.count)
            broken("entries left after a failure", &pf, &err);
    }
    for (size_t i = 0; i < pf.count; i++) {
        const avz_pacing_entry *e = &pf.entries[i];
        if (!e->name[0] || !(e->seconds > 0 && e->seconds <= AVZ_PACING_MAX_SECONDS))
            broken("an entry out of range", &pf, &err);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(pf.entries[j].name, e->name))
                broken("a phase set twice", &pf, &err);
    }
    avz_pacing_file_free(&pf);
    return 0;
}
