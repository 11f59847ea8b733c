/* attnviz scene modules: what a scene declares (its name, parameters and build function),
 * how it reads its parameters, and the entry point that makes a shared object a plug-in.
 *
 * A built-in scene and a plug-in are the same thing: an avz_scene_def whose build function
 * uses the public API. A plug-in lists its scenes with AVZ_PLUGIN(...):
 *
 *     static int build(avz_scene *s, const avz_params *p) { ...; return 0; }
 *     static const avz_param_def params[] = {
 *         AVZ_PARAM_INT("heads", "8", 1, 64, "query heads"),
 *     };
 *     static const avz_scene_def my_scene = {"my-scene", "what it shows", params, 1, build};
 *     AVZ_PLUGIN(&my_scene)
 *
 * built with `cc -shared -fPIC my_scene.c $(pkg-config --cflags --libs attnviz)` and used as
 * `attnviz render ./my_scene.so -o v.mp4`, or by name from a folder on AVZ_SCENE_PATH. */
#ifndef ATTNVIZ_PLUGIN_H
#define ATTNVIZ_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "attnviz/api.h"
#include "attnviz/error.h"
#include "attnviz/scene.h"
#include "attnviz/text.h"
#include "attnviz/version.h"

AVZ_BEGIN_DECLS

/* The plug-in interface's version: a plug-in built for another one is refused. It changes
 * whenever a struct here or a function a scene calls changes in a way old plug-ins would
 * misread. */
#define AVZ_PLUGIN_ABI 2

typedef enum avz_param_type {
    AVZ_PARAM_TEXT,   /* any UTF-8 text of min..max characters */
    AVZ_PARAM_INT,    /* a whole number in min..max */
    AVZ_PARAM_NUMBER, /* a decimal number in min..max */
} avz_param_type;

typedef struct avz_param_def {
    const char *name; /* as typed in --set NAME=VALUE */
    avz_param_type type;
    const char *default_value; /* must itself be valid */
    double min, max;           /* the accepted range (for text: its length in characters) */
    const char *help;          /* one line: what it means */
} avz_param_def;

#define AVZ_PARAM_TEXT(name, value, min_chars, max_chars, help)                                    \
    { (name), AVZ_PARAM_TEXT, (value), (min_chars), (max_chars), (help) }
#define AVZ_PARAM_INT(name, value, min, max, help)                                                 \
    { (name), AVZ_PARAM_INT, (value), (min), (max), (help) }
#define AVZ_PARAM_NUMBER(name, value, min, max, help)                                              \
    { (name), AVZ_PARAM_NUMBER, (value), (min), (max), (help) }

typedef struct avz_scene_def avz_scene_def;

/* The parameters given to one build: NAME=VALUE pairs (the last of a repeated name wins). */
typedef struct avz_params {
    const avz_scene_def *def;
    const char *const *names;
    const char *const *values;
    size_t count;
} avz_params;

struct avz_scene_def {
    const char *name;    /* as typed on the command line: lower case, digits and '-' */
    const char *summary; /* one line for `attnviz list` */
    const avz_param_def *params;
    size_t param_count;
    /* Builds the whole timeline into s: 0, or an error latched in s (see scene.h). */
    int (*build)(avz_scene *s, const avz_params *params);
};

/* Checks every given parameter against def: an unknown name, a value that does not parse,
 * or one out of its range fails with -EINVAL and a message naming the parameter and what it
 * accepts. Also checks that the defaults themselves are valid. */
AVZ_API int avz_params_check(const avz_scene_def *def, const avz_params *params, avz_error *err);

/* The value of a parameter (given, or the default). avz_params_check has vouched for it;
 * reading a parameter the scene did not declare, or as another type, latches -EINVAL in s. */
AVZ_API const char *avz_param_text(avz_scene *s, const avz_params *params, const char *name);
AVZ_API long avz_param_int(avz_scene *s, const avz_params *params, const char *name);
AVZ_API double avz_param_number(avz_scene *s, const avz_params *params, const char *name);

/* Builds def into a new scene: checks the parameters, runs its build function, closes its
 * last phase and checks what it built (every coordinate, width and time a finite number within
 * bounds: 1000 scene units from the centre, phases of at most AVZ_PACE_MAX_SECONDS). On failure
 * *out is NULL and err says why, prefixed with the scene's name: -ENOMEM when memory ran out,
 * -EIO latched for a file that cannot be read (a font whose glyphs do not load), -EINTR when
 * the build was stopped (avz_cancelled(); see cancel.h), and -EINVAL for anything else,
 * whatever other code the scene latched or returned: a bad parameter, a scene that refuses
 * its input, a build that returns non-zero. */
AVZ_API int avz_scene_build(const avz_scene_def *def, const avz_fonts *fonts,
                            const avz_params *params, avz_scene **out, avz_error *err);

/* ── Plug-ins ──────────────────────────────────────────────────────────────────────────── */

typedef struct avz_plugin {
    uint32_t abi;        /* AVZ_PLUGIN_ABI when built: first, so that any version can read it */
    const char *version; /* the AVZ_VERSION of the headers it was built with */
    const avz_scene_def *const *scenes;
    size_t scene_count;
} avz_plugin;

/* The symbol attnviz looks up in a plug-in. */
#define AVZ_PLUGIN_SYMBOL "avz_plugin_entry"

#define AVZ_PLUGIN(...)                                                                            \
    __attribute__((visibility("default"))) const avz_plugin avz_plugin_entry = {                   \
        AVZ_PLUGIN_ABI, AVZ_VERSION, (const avz_scene_def *const[]){__VA_ARGS__},                  \
        sizeof((const avz_scene_def *const[]){__VA_ARGS__}) / sizeof(const avz_scene_def *)};

AVZ_END_DECLS

#endif
