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
    for (size_t i = 0; i < def->param_count; i++)
        if (strcmp(def->params[i].name, name) == 0)
            return &def->params[i];
    return NULL;
}

static const char *param_name(size_t i, const void *def) {
    return ((const avz_scene_def *)def)->params[i].name;
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
        if (!end || *end || errno || v < pd->min || v > pd->max) {
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

int avz_params_check(const avz_scene_def *def, const avz_params *params, avz_error *err) {
    for (size_t i = 0; i < def->param_count; i++) {
        double v;
        avz_error inner = {0};
        if (!read_value(&def->params[i], def->params[i].default_value, &v, &inner))
            return avz_error_set(err, -EINVAL, "scene %s: the default of %s", def->name, inner.msg);
    }
    for (size_t i = 0; params && i < params->count; i++) {
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
static const char *lookup(avz_scene *s, const avz_params *params, const char *name,
                          avz_param_type type, const avz_param_def **out) {
    const avz_param_def *pd = find_def(params->def, name);
    if (!pd || pd->type != type) {
        avz_scene_fail(s, -EINVAL, "scene %s reads parameter %s, which it %s", params->def->name,
                       name, pd ? "declares as another type" : "does not declare");
        return NULL;
    }
    const char *value = pd->default_value;
    for (size_t i = 0; i < params->count; i++)
        if (strcmp(params->names[i], name) == 0)
            value = params->values[i];
    *out = pd;
    return value;
}

const char *avz_param_text(avz_scene *s, const avz_params *params, const char *name) {
    const avz_param_def *pd;
    const char *value = lookup(s, params, name, AVZ_PARAM_TEXT, &pd);
    return value ? value : "";
}

/* A value avz_params_check vouched for; one that fails now latches in the scene. */
static double number_of(avz_scene *s, const avz_params *params, const char *name,
                        avz_param_type type) {
    const avz_param_def *pd;
    const char *value = lookup(s, params, name, type, &pd);
    double v = 0;
    avz_error err = {0};
    if (value && !read_value(pd, value, &v, &err))
        avz_scene_fail(s, err.code, "%s", err.msg);
    return v;
}

long avz_param_int(avz_scene *s, const avz_params *params, const char *name) {
    return (long)number_of(s, params, name, AVZ_PARAM_INT);
}

double avz_param_number(avz_scene *s, const avz_params *params, const char *name) {
    return number_of(s, params, name, AVZ_PARAM_NUMBER);
}

int avz_scene_build(const avz_scene_def *def, const avz_fonts *fonts, const avz_params *params,
                    avz_scene **out, avz_error *err) {
    *out = NULL;
    avz_params none = {.def = def};
    avz_params given = params ? *params : none;
    given.def = def;
    int rc = avz_params_check(def, &given, err);
    if (rc)
        return rc;
    avz_scene *s = NULL;
    if (avz_scene_new(fonts, &s))
        return avz_error_set(err, -ENOMEM, "out of memory building scene %s", def->name);
    int returned = def->build(s, &given);
    avz_scene_close_phase(s);
    avz_scene_check_built(s);
    avz_error built = {0};
    /* an error the build latched says most; one it only returned is still a failure */
    if ((rc = avz_scene_status(s, &built)) == 0 && returned)
        rc = avz_error_set(&built, returned < 0 ? returned : -EINVAL,
                           "its build function failed (%d: %s)", returned,
                           returned < 0 ? strerror(-returned) : "not an errno");
    if (!rc && avz_scene_phase_count(s) == 0)
        rc = avz_error_set(&built, -EINVAL, "it has no phases");
    if (rc) {
        avz_scene_free(s);
        /* Whatever code the scene chose, its failure is the scene's: out of memory and a
         * stop asked for are told apart, anything else is a scene refusing its input. */
        bool stopped = rc == -EINTR && avz_cancelled();
        return avz_error_set(err, rc == -ENOMEM || stopped ? rc : -EINVAL, "%s: %s", def->name,
                             built.msg);
    }
    *out = s;
    return 0;
}
