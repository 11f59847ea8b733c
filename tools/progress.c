/* attnviz command line, progress: see progress.h. */
#define _DEFAULT_SOURCE /* TIOCGWINSZ */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static bool line_open; /* a bar is drawn and its line not ended */

void progress_start(progress *p, const char *scene) {
    *p = (progress){.scene = scene, .tty = isatty(STDERR_FILENO)};
    clock_gettime(CLOCK_MONOTONIC, &p->start);
}

double progress_seconds(const progress *p) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - p->start.tv_sec) + (now.tv_nsec - p->start.tv_nsec) / 1e9;
}

void progress_break_line(void) {
    if (line_open) {
        fputc('\n', stderr);
        line_open = false;
    }
}

static int terminal_width(void) {
    struct winsize ws;
    return ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
}

static void written(int n) {
    if (n < 0 || fflush(stderr) != 0)
        cli_stderr_failed();
}

void progress_update(void *ctx, size_t done, size_t total) {
    progress *p = ctx;
    double el = progress_seconds(p);
    double fps = el > 0 ? (double)done / el : 0;
    double eta = fps > 0 ? (double)(total - done) / fps : 0;
    if (!p->tty) {
        int decile = (int)(10 * done / total);
        if (decile == p->last_decile)
            return;
        p->last_decile = decile;
        written(fprintf(stderr, "attnviz: %s %3d%%  %zu/%zu frames  %.0f fps\n", p->scene,
                        decile * 10, done, total, fps));
        return;
    }
    if (done % 8 != 0 && done != total)
        return;
    /* The bar takes what the numbers leave of the terminal's width, read anew each time. */
    char tail[96];
    int tail_len =
        snprintf(tail, sizeof tail, " %zu/%zu  %.0f fps  ETA %.0f s", done, total, fps, eta);
    int width = terminal_width() - 1;
    int name_len = (int)strlen(p->scene);
    int bar = width - name_len - 3 - tail_len;
    if (bar > 60)
        bar = 60;
    char line[512];
    if (bar >= 8) {
        int fill = (int)((double)bar * (double)done / (double)total);
        char cells[64];
        memset(cells, '#', (size_t)fill);
        memset(cells + fill, '.', (size_t)(bar - fill));
        cells[bar] = '\0';
        snprintf(line, sizeof line, "%s [%s]%s", p->scene, cells, tail);
    } else {
        snprintf(line, sizeof line, "%.*s", width > 0 ? width : 0, tail + 1);
    }
    /* \r and clearing to the end: a narrower terminal leaves no stale characters. */
    written(fprintf(stderr, "\r%s\033[K", line));
    line_open = true;
    if (done == total)
        progress_break_line();
}
