/* attnviz scene parameters: checking names and reading typed values from `--set`. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/registry.h"

static const avz_param_def *find_def(const avz_scene_def *def, const char *name) {
    for (size_t i = 0; i < def->param_count; i++)
        if (strcmp(def->params[i].name, name) == 0)
            return &def->params[i];
    return NULL;
}

static void list_names(const avz_scene_def *def, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < def->param_count && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", def->params[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int avz_params_check(const avz_scene_def *def, const avz_params *params, avz_error *err) {
    for (size_t i = 0; params && i < params->count; i++) {
        if (find_def(def, params->names[i]))
            continue;
        char names[400];
        list_names(def, names, sizeof names);
        return avz_error_set(err, -EINVAL, "scene %s has no parameter \"%s\" (parameters: %s)",
                             def->name, params->names[i], def->param_count ? names : "none");
    }
    return 0;
}

/* The last value given for name wins, as with repeated command-line flags. */
static const char *given(const avz_params *params, const char *name) {
    const char *value = NULL;
    for (size_t i = 0; params && i < params->count; i++)
        if (strcmp(params->names[i], name) == 0)
            value = params->values[i];
    return value;
}

const char *avz_param_str(avz_scene *s, const avz_scene_def *def, const avz_params *params,
                          const char *name) {
    const avz_param_def *pd = find_def(def, name);
    if (!pd) {
        avz_scene_fail(s, -EINVAL, "scene %s reads undeclared parameter %s", def->name, name);
        return "";
    }
    const char *v = given(params, name);
    return v ? v : pd->default_value;
}

long avz_param_int(avz_scene *s, const avz_scene_def *def, const avz_params *params,
                   const char *name, long min, long max) {
    const char *text = avz_param_str(s, def, params, name);
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max) {
        avz_scene_fail(s, -EINVAL,
                       "parameter %s must be a whole number from %ld to %ld, not \"%s\"", name, min,
                       max, text);
        return strtol(find_def(def, name) ? find_def(def, name)->default_value : "0", NULL, 10);
    }
    return v;
}

double avz_param_double(avz_scene *s, const avz_scene_def *def, const avz_params *params,
                        const char *name, double min, double max) {
    const char *text = avz_param_str(s, def, params, name);
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(v) || v < min || v > max) {
        avz_scene_fail(s, -EINVAL, "parameter %s must be a number from %g to %g, not \"%s\"", name,
                       min, max, text);
        return strtod(find_def(def, name) ? find_def(def, name)->default_value : "0", NULL);
    }
    return v;
}
