/* attnviz command line: the commands that describe — list (the scenes), params (a scene's
 * parameters) and phases (a scene's timeline after pacing) — as a table or one line of JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "attnviz/pipeline.h"
#include "attnviz/version.h"
#include "catalog.h"
#include "cli.h"
#include "cues.h"

static const char *type_name(avz_param_type t) {
    return t == AVZ_PARAM_TEXT ? "text" : t == AVZ_PARAM_INT ? "int" : "number";
}

int cmd_list(cli_args *a) {
    avz_error err = {0};
    int rc = catalog_load(&err);
    if (rc)
        return cli_fail_error(rc, AVZ_EXIT_INPUT, err.msg);
    if (a->json) {
        fputs("{\"scenes\":[", stdout);
        for (size_t i = 0; i < catalog_count(); i++) {
            const catalog_entry *e = catalog_at(i);
            fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
            json_string(stdout, e->def->name);
            fputs(",\"summary\":", stdout);
            json_string(stdout, e->def->summary ? e->def->summary : "");
            fputs(",\"origin\":", stdout);
            json_string(stdout, e->origin);
            fputc('}', stdout);
        }
        fputs("]}\n", stdout);
        return 0;
    }
    printf("%-18s %-12s %s\n", "scene", "from", "summary");
    for (size_t i = 0; i < catalog_count(); i++) {
        const catalog_entry *e = catalog_at(i);
        printf("%-18s %-12s %s\n", e->def->name, e->origin, e->def->summary ? e->def->summary : "");
    }
    return 0;
}

/* What a parameter accepts, as its checks read it. */
static void accepted(const avz_param_def *pd, char *buf, size_t size) {
    if (pd->type == AVZ_PARAM_TEXT)
        snprintf(buf, size, "text, %.0f-%.0f chars", pd->min, pd->max);
    else if (pd->type == AVZ_PARAM_INT)
        snprintf(buf, size, "%.0f to %.0f", pd->min, pd->max);
    else
        snprintf(buf, size, "%g to %g", pd->min, pd->max);
}

int cmd_params(cli_args *a) {
    const catalog_entry *e;
    avz_error err = {0};
    if (!a->operand)
        return cli_fail(AVZ_EXIT_USAGE, "which scene? (see 'attnviz list')");
    int rc = catalog_find(a->operand, &e, &err);
    if (rc)
        return cli_fail(rc == -ENOENT ? AVZ_EXIT_INPUT : cli_exit_for(rc, AVZ_EXIT_INPUT), "%s",
                        err.msg);
    const avz_scene_def *def = e->def;
    if (a->json) {
        fputs("{\"scene\":", stdout);
        json_string(stdout, def->name);
        fputs(",\"params\":[", stdout);
        for (size_t i = 0; i < def->param_count; i++) {
            const avz_param_def *p = &def->params[i];
            fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
            json_string(stdout, p->name);
            fprintf(stdout, ",\"type\":\"%s\",\"default\":", type_name(p->type));
            json_string(stdout, p->default_value);
            fprintf(stdout, ",\"min\":%.17g,\"max\":%.17g,\"help\":", p->min, p->max);
            json_string(stdout, p->help ? p->help : "");
            fputc('}', stdout);
        }
        fputs("]}\n", stdout);
        return 0;
    }
    printf("%-12s %-28s %-22s %s\n", "name", "default", "accepts", "meaning");
    for (size_t i = 0; i < def->param_count; i++) {
        char range[64];
        accepted(&def->params[i], range, sizeof range);
        printf("%-12s %-28s %-22s %s\n", def->params[i].name, def->params[i].default_value, range,
               def->params[i].help ? def->params[i].help : "");
    }
    return 0;
}

/* A phase on the frame grid: its first frame, the frame after its last, and the time where
 * its chapter starts (the first frame's). */
typedef struct on_grid {
    size_t first, end;
} on_grid;

static on_grid grid_of(const avz_timeline *tl, size_t i, int fps) {
    double start = avz_timeline_phase_start(tl, i);
    return (on_grid){avz_frame_count(start, fps),
                     avz_frame_count(start + avz_timeline_phase_duration(tl, i), fps)};
}

int cmd_phases(cli_args *a) {
    loaded l;
    int rc = cli_load(a, &l);
    if (rc)
        return rc;
    int fps = a->fps;
    size_t frames = avz_frame_count(avz_timeline_duration(l.tl), fps);
    if ((rc = cli_check_phases(&l, fps))) {
        cli_unload(&l);
        return rc;
    }
    if (a->phases_format && strcmp(a->phases_format, "text")) {
        if (!strcmp(a->phases_format, "vtt"))
            cues_write_vtt(stdout, l.tl);
        else
            cues_write_audacity(stdout, l.tl);
    } else if (a->json) {
        fputs("{\"scene\":", stdout);
        json_string(stdout, l.name);
        fputs(",\"origin\":", stdout);
        json_string(stdout, l.origin);
        fprintf(stdout,
                ",\"version\":\"%s\",\"fps\":%d,\"duration\":%.9g,\"frames\":%zu,"
                "\"phases\":[",
                AVZ_VERSION, fps, avz_timeline_duration(l.tl), frames);
        for (size_t i = 0; i < avz_timeline_phase_count(l.tl); i++) {
            double start = avz_timeline_phase_start(l.tl, i);
            double dur = avz_timeline_phase_duration(l.tl, i);
            on_grid g = grid_of(l.tl, i, fps);
            fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
            json_string(stdout, avz_timeline_phase_name(l.tl, i));
            fprintf(stdout,
                    ",\"start\":%.9g,\"end\":%.9g,\"duration\":%.9g,\"nominal\":%.9g,"
                    "\"first_frame\":%zu,\"last_frame\":%lld,\"frames\":%zu,"
                    "\"chapter_start\":%.9g,\"chapter_end\":%.9g}",
                    start, start + dur, dur, avz_scene_phase_nominal(l.scene, i), g.first,
                    (long long)g.end - 1, g.end - g.first, (double)g.first / fps,
                    (double)g.end / fps);
        }
        fputs("]}\n", stdout);
    } else {
        /* The chapter column is where each phase's chapter starts (its first frame's time);
         * the total's, where the video ends. */
        printf("%-20s %9s %9s %9s %8s %8s %9s   %s (%s), attnviz %s, at %d fps\n", "phase", "start",
               "end", "length", "first", "last", "chapter", l.name, l.origin, AVZ_VERSION, fps);
        for (size_t i = 0; i < avz_timeline_phase_count(l.tl); i++) {
            double start = avz_timeline_phase_start(l.tl, i);
            double dur = avz_timeline_phase_duration(l.tl, i);
            on_grid g = grid_of(l.tl, i, fps);
            printf("%-20s %9.3f %9.3f %9.3f %8zu %8lld %9.3f\n", avz_timeline_phase_name(l.tl, i),
                   start, start + dur, dur, g.first, (long long)g.end - 1, (double)g.first / fps);
        }
        printf("%-20s %9s %9.3f %9.3f %8s %8zu %9.3f\n", "total", "", avz_timeline_duration(l.tl),
               avz_timeline_duration(l.tl), "", frames ? frames - 1 : 0, (double)frames / fps);
    }
    cli_unload(&l);
    return 0;
}
