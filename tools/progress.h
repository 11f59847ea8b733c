/* attnviz command line, progress: a live bar on a terminal, fitted to its width as it
 * changes; a plain line per tenth elsewhere, so that CI logs stay short. Both name the scene. */
#ifndef ATTNVIZ_TOOLS_PROGRESS_H
#define ATTNVIZ_TOOLS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct progress {
    const char *scene;
    bool tty;
    int last_decile;
    struct timespec start;
} progress;

void progress_start(progress *p, const char *scene);
/* avz_render_options' callback. */
void progress_update(void *ctx, size_t done, size_t total);
/* Seconds since progress_start. */
double progress_seconds(const progress *p);
/* Ends the bar's line, if one is drawn, so that a message starts on its own line. */
void progress_break_line(void);
/* Standard error could not be written: stop the work (cli.c). */
void cli_stderr_failed(void);

#endif
