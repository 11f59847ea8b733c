/* libFuzzer target: scene parameters. The input is NAME=VALUE lines, the --set values of a
 * command line; every registered scene checks and builds with them. A scene either builds a
 * timeline with a positive finite length or fails with one line; nothing crashes or leaks. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/plugin.h"
#include "attnviz/timeline.h"
#include "builtin.h"
#include "support.h"

#define MAX_SETTINGS 16

static void broken(const avz_scene_def *def, const char *what, const avz_error *err) {
    fprintf(stderr, "fuzz_params: scene %s: %s (code %d, \"%s\")\n", def->name, what, err->code,
            err->msg);
    abort();
}

static void check_failure(const avz_scene_def *def, int rc, const avz_error *err) {
    if (rc >= 0 || rc != err->code || !err->msg[0] || strchr(err->msg, '\n'))
        broken(def, "a failure without its one-line message", err);
}

static void build(const avz_scene_def *def, const avz_params *params) {
    avz_error err = {0};
    int rc = avz_params_check(def, params, &err);
    if (rc) {
        check_failure(def, rc, &err);
        return;
    }
    avz_scene *s = NULL;
    rc = avz_scene_build(def, fuzz_fonts("fuzz_params"), params, &s, &err);
    if ((rc != 0) != (s == NULL))
        broken(def, "a build that failed but left a scene, or the other way round", &err);
    avz_timeline *tl = NULL;
    if (rc) {
        check_failure(def, rc, &err);
        return;
    } else if ((rc = avz_timeline_resolve(s, NULL, &tl, &err)) != 0) {
        check_failure(def, rc, &err);
    } else {
        double d = avz_timeline_duration(tl);
        if (!(d > 0 && isfinite(d)))
            broken(def, "a timeline without a positive finite length", &err);
        /* Sampling reads every node and track the parameters shaped. */
        avz_frame_state *st = NULL;
        if (avz_frame_state_new(s, &st) == 0) {
            avz_timeline_sample(s, tl, d / 2, st);
            avz_timeline_sample(s, tl, d, st);
            avz_frame_state_free(st);
        }
        avz_timeline_free(tl);
    }
    avz_scene_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    /* Split into lines, each at its first '=' as the command line does. */
    const char *names[MAX_SETTINGS], *values[MAX_SETTINGS];
    size_t count = 0;
    for (char *line = text, *next; line && count < MAX_SETTINGS; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *eq = strchr(line, '=');
        if (!eq || eq == line)
            continue;
        *eq = '\0';
        names[count] = line;
        values[count++] = eq + 1;
    }
    for (size_t i = 0; i < avz_builtin_scene_count(); i++) {
        avz_params params = {avz_builtin_scene(i), names, values, count};
        build(avz_builtin_scene(i), &params);
    }
    free(text);
    return 0;
}
