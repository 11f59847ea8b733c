/* attnviz command line: what render, plan and the pieces of a render share (cmd_render.c,
 * segments.c): the plan of an output, and the render options the arguments ask for. */
#ifndef ATTNVIZ_TOOLS_RENDER_H
#define ATTNVIZ_TOOLS_RENDER_H

#include "attnviz/pipeline.h"
#include "cli.h"
#include "progress.h"

/* How a render looks, before the scene is built: size, rate and encoder for its output. */
typedef struct plan {
    const char *path;
    int width, height, fps;
    const char *preset;
    char job[17]; /* the pieces' fingerprint, for --segment and --jobs */
} plan;

/* Output size, rate and preset for path. */
void plan_output(const cli_args *a, const char *path, plan *p);
/* What avz_render_video would refuse about the plan for path, before any work, reported:
 * its exit code (2 for a request it cannot take, 4 for a file name too long), else 0. */
int check_plan(const cli_args *a, const plan *p, const char *path);
/* The render options the arguments and the plan ask for, with the frames they select, all
 * checked (the part, the segment, the limits); starts the progress. 0 or an exit code. */
int render_prepare(const cli_args *a, const loaded *l, plan *p, progress *prog,
                   avz_render_options *opts, size_t *first, size_t *frames);

/* The output without -o: SCENE.mp4 (or --format's extension) in the current folder. */
void render_default_output(const cli_args *a, char *buf, size_t size);

/* --jobs: the pieces of opts' render side by side, joined into opts->path (segments.c). */
int render_jobs(const loaded *l, const avz_render_options *opts, unsigned jobs, avz_error *err);

/* The name of piece k of n of output: NAME-part-K-of-N.EXT, K padded to N's width. */
int piece_name(const char *output, unsigned k, unsigned n, char *buf, size_t size);

#endif
