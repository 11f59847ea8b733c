/* attnviz scene modules: checking and reading a scene's parameters, and building a scene
 * from its definition. Depends on scene (building) and text (label checks). */
#include "attnviz/plugin.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/cancel.h"
#include "attnviz/timeline.h"
#include "scene_internal.h"

static const avz_param_def *find_def(const avz_scene_def *def, const char *name) {
    for (size_t i = 0; def && def->params && i < def->param_count; i++)
        if (strcmp(def->params[i].name, name) == 0)
            return &def->params[i];
    return NULL;
}

static const char *param_name(size_t i, const void *def) {
    return ((const avz_scene_def *)def)->params[i].name;
}

/* Integers a double holds exactly: INT values (and TEXT lengths) are read through a double, so
 * a range past them would let a value in that reads back as another. */
#define EXACT_MAX 9007199254740992LL /* 2^53 */

static bool whole_and_exact(double v) {
    return v == floor(v) && fabs(v) <= (double)EXACT_MAX;
}

/* Decimal digits only, as typed: no hexadecimal, infinities or NaN, which strtod would take. */
static bool plain_number(const char *text, bool whole) {
    const char *p = text + (*text == '-' || *text == '+');
    if (!*p)
        return false;
    for (; *p; p++)
        if (!(*p >= '0' && *p <= '9') && (whole || !strchr(".eE+-", *p)))
            return false;
    return true;
}

/* The value of a parameter as its type reads it; false when it does not parse or is out of
 * range, with the reason in err. */
static bool read_value(const avz_param_def *pd, const char *text, double *number, avz_error *err) {
    char shown[AVZ_SHORT];
    avz_shorten(shown, sizeof shown, text);
    char *end = NULL;
    errno = 0;
    switch (pd->type) {
    case AVZ_PARAM_INT: {
        long v = plain_number(text, true) ? strtol(text, &end, 10) : 0;
        /* Past 2^53 the double would round it (and the range cannot reach there). */
        if (!end || *end || errno || v > EXACT_MAX || v < -EXACT_MAX || v < pd->min ||
            v > pd->max) {
            avz_error_set(err, -EINVAL,
                          "parameter %s must be a whole number from %.0f to %.0f, not \"%s\"",
                          pd->name, pd->min, pd->max, shown);
            return false;
        }
        *number = (double)v;
        return true;
    }
    case AVZ_PARAM_NUMBER: {
        double v = plain_number(text, false) ? strtod(text, &end) : 0;
        if (!end || *end || errno || !isfinite(v) || v < pd->min || v > pd->max) {
            avz_error_set(err, -EINVAL, "parameter %s must be a number from %g to %g, not \"%s\"",
                          pd->name, pd->min, pd->max, shown);
            return false;
        }
        *number = v;
        return true;
    }
    case AVZ_PARAM_TEXT: {
        char what[128];
        snprintf(what, sizeof what, "parameter %s", pd->name);
        if (avz_label_check(what, text, strlen(text), (size_t)pd->max, err))
            return false;
        size_t chars = 0;
        for (const char *c = text; *c; c++)
            chars += ((unsigned char)*c & 0xC0) != 0x80;
        if ((double)chars < pd->min) {
            avz_error_set(err, -EINVAL, "parameter %s needs at least %.0f character%s, not \"%s\"",
                          pd->name, pd->min, pd->min == 1 ? "" : "s", shown);
            return false;
        }
        *number = (double)chars;
        return true;
    }
    }
    avz_error_set(err, -EINVAL, "parameter %s has an unknown type", pd->name);
    return false;
}

/* What a scene declares of parameter i, before any value is read: a name used once, a
 * default, and a range its type can read back exactly. */
static int check_decl(const avz_scene_def *def, size_t i, avz_error *err) {
    const avz_param_def *pd = &def->params[i];
    if (!pd->name || !*pd->name)
        return avz_error_set(err, -EINVAL, "scene %s: parameter %zu has no name", def->name, i + 1);
    for (size_t j = 0; j < i; j++)
        if (def->params[j].name && strcmp(def->params[j].name, pd->name) == 0)
            return avz_error_set(err, -EINVAL, "scene %s declares parameter %s twice", def->name,
                                 pd->name);
    if (!pd->default_value)
        return avz_error_set(err, -EINVAL, "scene %s: parameter %s has no default", def->name,
                             pd->name);
    if (!(pd->min <= pd->max))
        return avz_error_set(err, -EINVAL, "scene %s: parameter %s has min %g above max %g",
                             def->name, pd->name, pd->min, pd->max);
    if (pd->type == AVZ_PARAM_INT && (!whole_and_exact(pd->min) || !whole_and_exact(pd->max)))
        return avz_error_set(err, -EINVAL,
                             "scene %s: parameter %s's range %.17g to %.17g must be whole numbers "
                             "from -2^53 to 2^53, which read back exactly",
                             def->name, pd->name, pd->min, pd->max);
    if (pd->type == AVZ_PARAM_TEXT &&
        (!whole_and_exact(pd->min) || !whole_and_exact(pd->max) || pd->min < 0))
        return avz_error_set(err, -EINVAL,
                             "scene %s: parameter %s's length %g to %g characters must be whole "
                             "numbers from 0 to 2^53",
                             def->name, pd->name, pd->min, pd->max);
    return 0;
}

int avz_params_check(const avz_scene_def *def, const avz_params *params, avz_error *err) {
    if (!def)
        return avz_error_set(err, -EINVAL, "avz_params_check: def is NULL");
    if (!def->name)
        return avz_error_set(err, -EINVAL, "avz_params_check: def->name is NULL");
    if (def->param_count && !def->params)
        return avz_error_set(err, -EINVAL, "scene %s: %zu parameters, but params is NULL",
                             def->name, def->param_count);
    if (params && params->count && (!params->names || !params->values))
        return avz_error_set(err, -EINVAL, "avz_params_check: params->%s is NULL",
                             !params->names ? "names" : "values");
    for (size_t i = 0; i < def->param_count; i++) {
        int rc = check_decl(def, i, err);
        if (rc)
            return rc;
        double v;
        avz_error inner = {0};
        if (!read_value(&def->params[i], def->params[i].default_value, &v, &inner))
            return avz_error_set(err, -EINVAL, "scene %s: the default of %s", def->name, inner.msg);
    }
    for (size_t i = 0; params && i < params->count; i++) {
        if (!params->names[i] || !params->values[i])
            return avz_error_set(err, -EINVAL, "avz_params_check: params->%s[%zu] is NULL",
                                 !params->names[i] ? "names" : "values", i);
        const avz_param_def *pd = find_def(def, params->names[i]);
        char shown[AVZ_SHORT], names[400], guess[96] = "";
        if (!pd) {
            avz_join(names, sizeof names, def->param_count, param_name, def);
            long near = avz_nearest(params->names[i], def->param_count, param_name, def);
            if (near >= 0)
                snprintf(guess, sizeof guess, "; did you mean \"%s\"?", def->params[near].name);
            return avz_error_set(err, -EINVAL,
                                 "scene %s has no parameter \"%s\"%s (parameters: %s)", def->name,
                                 avz_shorten(shown, sizeof shown, params->names[i]), guess,
                                 def->param_count ? names : "none");
        }
        double v;
        if (!read_value(pd, params->values[i], &v, err))
            return -EINVAL;
    }
    return 0;
}

/* The definition of a parameter the scene reads as `type`, and its value's text. */
static const char *lookup(avz_scene *s, const char *fn, const avz_params *params, const char *name,
                          avz_param_type type, const avz_param_def **out) {
    if (!avz_scene_need(s, fn, "params", params) || !avz_scene_need(s, fn, "name", name) ||
        !avz_scene_need(s, fn, "params->def", params->def) ||
        (params->count && (!avz_scene_need(s, fn, "params->names", params->names) ||
                           !avz_scene_need(s, fn, "params->values", params->values))))
        return NULL;
    const avz_param_def *pd = find_def(params->def, name);
    if (!pd || pd->type != type) {
        avz_scene_fail(s, -EINVAL, "scene %s reads parameter %s, which it %s", params->def->name,
                       name, pd ? "declares as another type" : "does not declare");
        return NULL;
    }
    const char *value = pd->default_value;
    for (size_t i = 0; i < params->count; i++)
        if (params->names[i] && strcmp(params->names[i], name) == 0)
            value = params->values[i];
    if (!value) {
        avz_scene_fail(s, -EINVAL, "%s: parameter %s has no value", fn, name);
        return NULL;
    }
    *out = pd;
    return value;
}

const char *avz_param_text(avz_scene *s, const avz_params *params, const char *name) {
    const avz_param_def *pd;
    const char *value = lookup(s, "avz_param_text", params, name, AVZ_PARAM_TEXT, &pd);
    return value ? value : "";
}

/* A value avz_params_check vouched for; one that fails now latches in the scene. */
static double number_of(avz_scene *s, const char *fn, const avz_params *params, const char *name,
                        avz_param_type type) {
    const avz_param_def *pd;
    const char *value = lookup(s, fn, params, name, type, &pd);
    double v = 0;
    avz_error err = {0};
    if (value && !read_value(pd, value, &v, &err))
        avz_scene_fail(s, err.code, "%s", err.msg);
    return v;
}

long avz_param_int(avz_scene *s, const avz_params *params, const char *name) {
    /* Exact: avz_params_check keeps INT ranges within what a double holds exactly. */
    return (long)number_of(s, "avz_param_int", params, name, AVZ_PARAM_INT);
}

double avz_param_number(avz_scene *s, const avz_params *params, const char *name) {
    return number_of(s, "avz_param_number", params, name, AVZ_PARAM_NUMBER);
}

#define MAX_BUILD_DEPTH 16

int avz_scene_build(const avz_scene_def *def, const avz_fonts *fonts, const avz_params *params,
                    avz_scene **out, avz_error *err) {
    if (!out)
        return avz_error_set(err, -EINVAL, "avz_scene_build: out is NULL");
    *out = NULL;
    if (!def || !def->build)
        return avz_error_set(err, -EINVAL, "avz_scene_build: %s is NULL",
                             !def ? "def" : "def->build");
    avz_params none = {.def = def};
    avz_params given = params ? *params : none;
    given.def = def;
    int rc = avz_params_check(def, &given, err);
    if (rc)
        return rc;
    /* A build may build another scene (a part it reuses), but not without end: each level
     * is a stack frame of its own code. */
    static _Thread_local int depth;
    if (depth >= MAX_BUILD_DEPTH)
        return avz_error_set(err, -EINVAL, "%s: scene builds nest more than %d deep", def->name,
                             MAX_BUILD_DEPTH);
    avz_scene *s = NULL;
    if (avz_scene_new(fonts, &s))
        return avz_error_set(err, -ENOMEM, "out of memory building scene %s", def->name);
    depth++;
    int returned = def->build(s, &given);
    depth--;
    avz_scene_close_phase(s);
    avz_scene_check_built(s);
    avz_error built = {0};
    /* an error the build latched says most; one it only returned is still a failure */
    bool latched = (rc = avz_scene_status(s, &built)) != 0;
    if (!latched && returned)
        rc = avz_error_set(&built, returned < 0 ? returned : -EINVAL,
                           "its build function failed (%d: %s)", returned,
                           returned < 0 ? strerror(-returned) : "not an errno");
    if (!rc && avz_scene_phase_count(s) == 0)
        rc = avz_error_set(&built, -EINVAL, "it has no phases");
    if (rc) {
        avz_scene_free(s);
        /* Out of memory, a file that cannot be read (a font: latched with its message) and
         * a stop asked for are told apart; any other code is a scene refusing its input. */
        bool kept = rc == -ENOMEM || (rc == -EIO && latched) || (rc == -EINTR && avz_cancelled());
        return avz_error_set(err, kept ? rc : -EINVAL, "%s: %s", def->name,
                             built.msg[0] ? built.msg : "it failed without saying why");
    }
    *out = s;
    return 0;
}
