/* attnviz scene registry: the scenes the command line knows, and their parameters.
 *
 * Each scene module defines one avz_scene_def; the command line lists them. Parameters are
 * name=value strings from the command line (`--set name=value`), read with typed getters
 * that check ranges and latch a clear error in the scene on bad input. */
#ifndef ATTNVIZ_REGISTRY_H
#define ATTNVIZ_REGISTRY_H

#include <stddef.h>

#include "attnviz/api.h"
#include "attnviz/error.h"
#include "attnviz/scene.h"

typedef struct avz_param_def {
    const char *name;
    const char *default_value;
    const char *help; /* one line: meaning and allowed values */
} avz_param_def;

/* Values given on the command line; names are checked against the scene's definitions. */
typedef struct avz_params {
    const char *const *names;
    const char *const *values;
    size_t count;
} avz_params;

typedef struct avz_scene_def {
    const char *name;    /* as typed on the command line: "gqa" */
    const char *summary; /* one line for `attnviz list` */
    const avz_param_def *params;
    size_t param_count;
    /* Builds the whole timeline into s; returns avz_scene_status(s, NULL). */
    int (*build)(avz_scene *s, const avz_params *params);
} avz_scene_def;

/* Fails with a message listing the scene's parameters when a name is not one of them. */
AVZ_API int avz_params_check(const avz_scene_def *def, const avz_params *params, avz_error *err);

/* Typed getters: the given value or the definition's default. A value that does not parse
 * or is out of [min, max] latches -EINVAL in the scene naming the parameter and the range,
 * and returns the default. */
AVZ_API const char *avz_param_str(avz_scene *s, const avz_scene_def *def, const avz_params *params,
                                  const char *name);
AVZ_API long avz_param_int(avz_scene *s, const avz_scene_def *def, const avz_params *params,
                           const char *name, long min, long max);
AVZ_API double avz_param_double(avz_scene *s, const avz_scene_def *def, const avz_params *params,
                                const char *name, double min, double max);

#endif
