/* attnviz command line, narration cues: see cues.h. */
#include "cues.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/settings.h"
#include "cli.h"

/* Cue times are read to the millisecond; a phase's start within half of one is where its cue
 * says. */
#define CUE_SLACK 0.0005

int cues_pace(const avz_cues *c, const char *path, const avz_scene *s, const avz_timeline *tl,
              double speed, const char **names, double *seconds, size_t *count) {
    size_t n = avz_timeline_phase_count(tl);
    double *at = malloc((n + 1) * sizeof *at); /* each phase's cue, or NAN; [n]: "end" */
    const avz_cue **by = calloc(n + 1, sizeof *by);
    if (!at || !by) {
        free(at);
        free(by);
        return cli_fail(AVZ_EXIT_FAILURE, "out of memory");
    }
    for (size_t i = 0; i <= n; i++)
        at[i] = NAN;
    int rc = 0;
    for (size_t i = 0; i < c->count && !rc; i++) {
        const avz_cue *q = &c->items[i];
        long p = strcmp(q->label, "end") ? avz_timeline_find_phase(tl, q->label) : (long)n;
        if (p < 0) {
            avz_error err = {0};
            avz_unknown_phase(s, q->label, &err);
            rc = cli_fail(AVZ_EXIT_INPUT, "%s:%u: %s", path, q->line, err.msg);
        } else if (by[p]) {
            rc = cli_fail(AVZ_EXIT_INPUT, "%s:%u: %s is cued twice (also on line %u)", path,
                          q->line, q->label, by[p]->line);
        } else {
            at[p] = q->start;
            by[p] = q;
        }
    }
    if (!rc && by[0] && fabs(at[0]) > CUE_SLACK)
        rc = cli_fail(AVZ_EXIT_INPUT,
                      "%s:%u: %s is the first phase: it starts the video, at 0, "
                      "not at %.3f s",
                      path, by[0]->line, by[0]->label, at[0]);
    /* Walk the phases in order: each cued one moves the phase before it to end there. */
    double start = 0;
    size_t last = 0; /* the latest cued phase so far */
    *count = 0;
    for (size_t i = 0; i <= n && !rc; i++) {
        if (i > 0 && !isnan(at[i])) {
            if (by[last] && at[i] <= at[last])
                rc = cli_fail(AVZ_EXIT_INPUT,
                              "%s:%u: the cues are out of order: %s at %.3f s plays after %s, cued "
                              "at %.3f s",
                              path, by[i]->line, by[i]->label, at[i], by[last]->label, at[last]);
            double before = at[i] - (start - avz_timeline_phase_duration(tl, i - 1));
            if (!rc && before <= CUE_SLACK)
                rc = cli_fail(AVZ_EXIT_INPUT,
                              "%s:%u: %s at %.3f s leaves no time for %s, which starts at %.3f s",
                              path, by[i]->line, by[i]->label, at[i],
                              avz_timeline_phase_name(tl, i - 1),
                              start - avz_timeline_phase_duration(tl, i - 1));
            if (!rc) {
                names[*count] = avz_timeline_phase_name(tl, i - 1);
                seconds[(*count)++] = before * (speed > 0 ? speed : 1);
                start = at[i];
            }
            last = i;
        }
        if (i < n)
            start += avz_timeline_phase_duration(tl, i);
    }
    free(at);
    free(by);
    return rc;
}

void cues_write_audacity(FILE *f, const avz_timeline *tl) {
    for (size_t i = 0; i < avz_timeline_phase_count(tl); i++) {
        double start = avz_timeline_phase_start(tl, i);
        fprintf(f, "%.6f\t%.6f\t%s\n", start, start, avz_timeline_phase_name(tl, i));
    }
    double end = avz_timeline_duration(tl);
    fprintf(f, "%.6f\t%.6f\tend\n", end, end);
}

void cues_write_vtt(FILE *f, const avz_timeline *tl) {
    fputs("WEBVTT\n", f);
    for (size_t i = 0; i < avz_timeline_phase_count(tl); i++) {
        char a[32], b[32];
        double start = avz_timeline_phase_start(tl, i);
        avz_vtt_time(a, sizeof a, start);
        avz_vtt_time(b, sizeof b, start + avz_timeline_phase_duration(tl, i));
        fprintf(f, "\n%s --> %s\n%s\n", a, b, avz_timeline_phase_name(tl, i));
    }
}
