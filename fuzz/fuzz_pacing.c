/* libFuzzer target: settings files (--pacing, --params) on arbitrary contents, and each value
 * read as a pacing length. A file is read into settings that keep their promises (named,
 * unique, with a value, valid UTF-8) or fails with one line that names the file ("path:line:"
 * for a bad line); a pacing value parses to a positive length or change, or is refused;
 * nothing crashes, leaks or hangs. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attnviz/settings.h"

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

static void broken(const char *what, const avz_settings *s, const avz_error *err) {
    fprintf(stderr, "fuzz_pacing: %s (%zu settings, code %d, \"%s\")\n", what, s->count, err->code,
            err->msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    avz_settings s = {0};
    avz_error err = {0};
    int rc = avz_settings_read(path, &s, &err);
    if (rc) {
        if (rc != err.code || !err.msg[0] || strchr(err.msg, '\n'))
            broken("a failure without its one-line message", &s, &err);
        if (rc == -EINVAL && !strstr(err.msg, path))
            broken("a bad file or line whose message does not name the file", &s, &err);
        if (s.count)
            broken("settings left after a failure", &s, &err);
    }
    for (size_t i = 0; i < s.count; i++) {
        const avz_setting *e = &s.items[i];
        if (!e->name[0] || !e->value[0] || strpbrk(e->name, " \t=") || e->line == 0)
            broken("a malformed setting", &s, &err);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s.items[j].name, e->name))
                broken("a name set twice", &s, &err);
        avz_pace p;
        if (avz_pace_parse(e->value, &p) == 0) {
            double len = avz_pace_apply(p, 5.0);
            if (!isfinite(p.amount) || (p.kind != AVZ_PACE_LONGER && !(len > 0)))
                broken("a pacing value that gives no length", &s, &err);
        }
    }
    avz_settings_free(&s);
    return 0;
}
