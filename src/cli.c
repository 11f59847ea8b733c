/* attnviz command line: parses arguments, builds the scene, resolves pacing and runs a
 * command. The only module that prints. Every bad input gets one line on stderr and an exit
 * code from the table in cli.h, before any output file is touched. */
#include "attnviz/cli.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attnviz/pipeline.h"
#include "attnviz/registry.h"
#include "attnviz/text.h"
#include "attnviz/timeline.h"

#define MAX_SETTINGS 64
#define MIN_SIDE 16
#define MAX_SIDE 8192

static const struct quality {
    const char *name;
    int width, height, fps;
} qualities[] = {
    {"l", 854, 480, 15},
    {"m", 1280, 720, 30},
    {"h", 1920, 1080, 60},
    {"k", 3840, 2160, 60},
};

/* Everything the command line can say; each command reads the part it needs. */
typedef struct cli_args {
    const char *command;
    const char *scene;
    const char *output;
    int width, height, fps, workers, crf;
    const char *preset;
    const char *at;
    bool quiet;
    double speed;
    const char *phase_names[MAX_SETTINGS];
    double phase_seconds[MAX_SETTINGS];
    size_t phase_count;
    const char *set_names[MAX_SETTINGS];
    const char *set_values[MAX_SETTINGS];
    size_t set_count;
    char *owned[2 * MAX_SETTINGS]; /* copies of NAME=VALUE split at '=' */
    size_t owned_count;
} cli_args;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
    (void)sig;
    interrupted = 1;
}

static int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("attnviz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

/* ── Help ──────────────────────────────────────────────────────────────────────────── */

static const char usage_main[] =
    "usage: attnviz COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  render SCENE -o FILE.mp4   render a scene to a video\n"
    "  still SCENE --at SECONDS -o FILE.png\n"
    "                             render one frame to a PNG\n"
    "  list                       list the scenes\n"
    "  phases SCENE               list a scene's phases with start and duration\n"
    "  params SCENE               list a scene's parameters with defaults\n"
    "\n"
    "Run 'attnviz COMMAND --help' for a command's options; 'attnviz --version'.\n";

static const char usage_render[] =
    "usage: attnviz render SCENE -o FILE.mp4 [options]\n"
    "\n"
    "  -o, --output FILE     the video to write (H.264 in MP4); replaced only on success\n"
    "  -q, --quality Q       l 854x480@15, m 1280x720@30, h 1920x1080@60 (default),\n"
    "                        k 3840x2160@60\n"
    "      --fps N           frames per second, 1 to 240\n"
    "      --size WxH        frame size, even numbers from 16 to 8192\n"
    "      --phase NAME=SEC  stretch or shrink one phase (repeatable)\n"
    "      --speed X         play everything X times faster\n"
    "      --set NAME=VALUE  set a scene parameter (see 'attnviz params SCENE')\n"
    "      --workers N       drawing threads (default: one per core)\n"
    "      --crf N           H.264 quality, 0 to 51 (default 23)\n"
    "      --preset NAME     x264 preset (default medium)\n"
    "      --quiet           print nothing but errors\n";

static const char usage_still[] = "usage: attnviz still SCENE --at SECONDS -o FILE.png [options]\n"
                                  "\n"
                                  "  --at SECONDS          the instant to draw\n"
                                  "  -o, --output FILE     the PNG to write\n"
                                  "  -q, --size, --phase, --speed, --set   as for render\n";

static const char usage_phases[] =
    "usage: attnviz phases SCENE [--phase NAME=SEC] [--speed X] [--set NAME=VALUE]\n"
    "\n"
    "Prints each phase's name, start, end and duration in seconds, after pacing.\n";

static const char usage_list[] = "usage: attnviz list\n\nPrints the scenes.\n";

static const char usage_params[] =
    "usage: attnviz params SCENE\n\nPrints each parameter with its default and meaning.\n";

/* ── Parsing ───────────────────────────────────────────────────────────────────────── */

static bool parse_int(const char *text, long min, long max, int *out) {
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_seconds(const char *text, double *out) {
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Splits NAME=VALUE into a copy the args own; NULL for a missing '=' or empty name. */
static bool split_setting(cli_args *a, const char *text, const char **name, const char **value) {
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || a->owned_count == sizeof a->owned / sizeof a->owned[0])
        return false;
    char *copy = strdup(text);
    if (!copy)
        return false;
    copy[eq - text] = '\0';
    a->owned[a->owned_count++] = copy;
    *name = copy;
    *value = copy + (eq - text) + 1;
    return true;
}

/* Returns 0, or the exit code of a usage error already reported. */
static int parse_option(cli_args *a, int argc, char **argv, int *i) {
    const char *opt = argv[*i];
    const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
    bool takes_value = strcmp(opt, "--quiet") != 0;
    if (takes_value && !val)
        return fail(AVZ_EXIT_USAGE, "%s needs a value", opt);
    if (takes_value)
        (*i)++;

    if (!strcmp(opt, "--quiet")) {
        a->quiet = true;
    } else if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) {
        if (!*val)
            return fail(AVZ_EXIT_USAGE, "%s needs a file name", opt);
        a->output = val;
    } else if (!strcmp(opt, "-q") || !strcmp(opt, "--quality")) {
        size_t k = 0;
        while (k < sizeof qualities / sizeof qualities[0] && strcmp(qualities[k].name, val))
            k++;
        if (k == sizeof qualities / sizeof qualities[0])
            return fail(AVZ_EXIT_USAGE, "unknown quality \"%s\" (allowed: l, m, h, k)", val);
        a->width = qualities[k].width;
        a->height = qualities[k].height;
        a->fps = qualities[k].fps;
    } else if (!strcmp(opt, "--fps")) {
        if (!parse_int(val, 1, 240, &a->fps))
            return fail(AVZ_EXIT_USAGE, "--fps must be a whole number from 1 to 240, not \"%s\"",
                        val);
    } else if (!strcmp(opt, "--size")) {
        int w = 0, h = 0, used = 0;
        if (sscanf(val, "%dx%d%n", &w, &h, &used) != 2 || val[used] || w < MIN_SIDE ||
            h < MIN_SIDE || w > MAX_SIDE || h > MAX_SIDE || w % 2 || h % 2)
            return fail(AVZ_EXIT_USAGE,
                        "--size must be WxH with even numbers from %d to %d, not \"%s\"", MIN_SIDE,
                        MAX_SIDE, val);
        a->width = w;
        a->height = h;
    } else if (!strcmp(opt, "--workers")) {
        if (!parse_int(val, 1, 64, &a->workers))
            return fail(AVZ_EXIT_USAGE, "--workers must be a whole number from 1 to 64, not \"%s\"",
                        val);
    } else if (!strcmp(opt, "--crf")) {
        if (!parse_int(val, 0, 51, &a->crf))
            return fail(AVZ_EXIT_USAGE, "--crf must be a whole number from 0 to 51, not \"%s\"",
                        val);
    } else if (!strcmp(opt, "--preset")) {
        a->preset = val;
    } else if (!strcmp(opt, "--at")) {
        a->at = val;
    } else if (!strcmp(opt, "--speed")) {
        if (!parse_seconds(val, &a->speed) || !(a->speed >= 0.01 && a->speed <= 100))
            return fail(AVZ_EXIT_USAGE, "--speed must be a number from 0.01 to 100, not \"%s\"",
                        val);
    } else if (!strcmp(opt, "--phase")) {
        const char *name, *secs;
        double v;
        if (a->phase_count == MAX_SETTINGS || !split_setting(a, val, &name, &secs) ||
            !parse_seconds(secs, &v) || !(v > 0 && v <= 3600))
            return fail(AVZ_EXIT_USAGE,
                        "--phase must be NAME=SECONDS with seconds from 0 to 3600, not \"%s\"",
                        val);
        a->phase_names[a->phase_count] = name;
        a->phase_seconds[a->phase_count++] = v;
    } else if (!strcmp(opt, "--set")) {
        if (a->set_count == MAX_SETTINGS ||
            !split_setting(a, val, &a->set_names[a->set_count], &a->set_values[a->set_count]))
            return fail(AVZ_EXIT_USAGE, "--set must be NAME=VALUE, not \"%s\"", val);
        a->set_count++;
    } else {
        return fail(AVZ_EXIT_USAGE, "unknown option %s (see 'attnviz %s --help')", opt, a->command);
    }
    return 0;
}

/* ── Scenes ────────────────────────────────────────────────────────────────────────── */

typedef struct loaded {
    avz_fonts *fonts;
    avz_scene *scene;
    avz_timeline *tl;
} loaded;

static void unload(loaded *l) {
    avz_timeline_free(l->tl);
    avz_scene_free(l->scene);
    avz_fonts_close(l->fonts);
}

static int find_scene(const char *name, const avz_scene_def **out) {
    *out = name ? avz_scene_find(name) : NULL;
    if (*out)
        return 0;
    char names[256] = "";
    for (size_t i = 0; i < avz_scene_count(); i++) {
        strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
        strncat(names, avz_scene_at(i)->name, sizeof names - strlen(names) - 1);
    }
    if (!name)
        return fail(AVZ_EXIT_USAGE, "which scene? (scenes: %s)", names);
    return fail(AVZ_EXIT_INPUT, "unknown scene \"%s\" (scenes: %s)", name, names);
}

/* Builds the scene with its parameters and resolves the pacing flags. */
static int load(const cli_args *a, const avz_scene_def *def, loaded *l) {
    *l = (loaded){0};
    avz_error err = {0};
    avz_params params = {a->set_names, a->set_values, a->set_count};
    if (avz_params_check(def, &params, &err))
        return fail(AVZ_EXIT_INPUT, "%s", err.msg);
    if (avz_fonts_open(avz_fonts_default_dir(), &l->fonts, &err))
        return fail(AVZ_EXIT_IO, "%s", err.msg);
    if (avz_scene_new(l->fonts, &l->scene)) {
        unload(l);
        return fail(AVZ_EXIT_FAILURE, "out of memory");
    }
    def->build(l->scene, &params);
    if (avz_scene_status(l->scene, &err)) {
        unload(l);
        return fail(AVZ_EXIT_INPUT, "%s: %s", def->name, err.msg);
    }
    avz_pacing pacing = {a->speed, a->phase_names, a->phase_seconds, a->phase_count};
    if (avz_timeline_resolve(l->scene, &pacing, &l->tl, &err)) {
        unload(l);
        return fail(AVZ_EXIT_INPUT, "%s", err.msg);
    }
    return 0;
}

/* ── Commands ──────────────────────────────────────────────────────────────────────── */

static int cmd_list(const cli_args *a) {
    (void)a;
    for (size_t i = 0; i < avz_scene_count(); i++)
        printf("%-16s %s\n", avz_scene_at(i)->name, avz_scene_at(i)->summary);
    return AVZ_EXIT_OK;
}

static int cmd_params(const cli_args *a) {
    const avz_scene_def *def;
    int rc = find_scene(a->scene, &def);
    if (rc)
        return rc;
    printf("%-12s %-28s %s\n", "name", "default", "meaning");
    for (size_t i = 0; i < def->param_count; i++)
        printf("%-12s %-28s %s\n", def->params[i].name, def->params[i].default_value,
               def->params[i].help);
    return AVZ_EXIT_OK;
}

static int cmd_phases(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    printf("%-20s %9s %9s %9s\n", "phase", "start", "end", "duration");
    for (size_t i = 0; i < avz_timeline_phase_count(l.tl); i++) {
        double start = avz_timeline_phase_start(l.tl, i);
        double dur = avz_timeline_phase_duration(l.tl, i);
        printf("%-20s %9.3f %9.3f %9.3f\n", avz_timeline_phase_name(l.tl, i), start, start + dur,
               dur);
    }
    printf("%-20s %9s %9.3f %9.3f\n", "total", "", avz_timeline_duration(l.tl),
           avz_timeline_duration(l.tl));
    unload(&l);
    return AVZ_EXIT_OK;
}

static int need_output(const cli_args *a, const char *ext) {
    if (!a->output)
        return fail(AVZ_EXIT_USAGE, "missing -o FILE%s", ext);
    size_t n = strlen(a->output), e = strlen(ext);
    if (n <= e || strcmp(a->output + n - e, ext) != 0)
        return fail(AVZ_EXIT_USAGE, "output \"%s\" must end in %s", a->output, ext);
    return 0;
}

static int cmd_still(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    double t;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : need_output(a, ".png");
    if (rc)
        return rc;
    if (!a->at)
        return fail(AVZ_EXIT_USAGE, "missing --at SECONDS");
    if (!parse_seconds(a->at, &t) || t < 0)
        return fail(AVZ_EXIT_USAGE, "--at must be a time in seconds from 0, not \"%s\"", a->at);
    if ((rc = load(a, def, &l)))
        return rc;
    if (t > avz_timeline_duration(l.tl)) {
        double d = avz_timeline_duration(l.tl);
        unload(&l);
        return fail(AVZ_EXIT_INPUT, "--at %s is past the end of %s (%.3f s)", a->at, def->name, d);
    }
    avz_error err = {0};
    rc = avz_render_still(l.scene, l.tl, t, a->output, a->width, a->height, &err);
    unload(&l);
    if (rc)
        return fail(AVZ_EXIT_IO, "%s", err.msg);
    return AVZ_EXIT_OK;
}

typedef struct progress {
    bool tty;
    int last_decile;
    struct timespec start;
} progress;

static double seconds_since(const struct timespec *t0) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A live bar on a terminal; a line per tenth otherwise, so CI logs stay short. */
static void show_progress(void *ctx, size_t done, size_t total) {
    progress *p = ctx;
    double el = seconds_since(&p->start);
    double fps = el > 0 ? (double)done / el : 0;
    double eta = fps > 0 ? (double)(total - done) / fps : 0;
    if (p->tty) {
        if (done % 8 != 0 && done != total)
            return;
        int width = 30, fill = (int)(width * done / total);
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu frames  %.0f fps  ETA %.0f s ", fill,
                "##############################", width - fill, "", done, total, fps, eta);
        if (done == total)
            fputc('\n', stderr);
    } else {
        int decile = (int)(10 * done / total);
        if (decile == p->last_decile)
            return;
        p->last_decile = decile;
        fprintf(stderr, "attnviz: %3d%%  %zu/%zu frames  %.0f fps\n", decile * 10, done, total,
                fps);
    }
}

static int cmd_render(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : need_output(a, ".mp4");
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    progress p = {.tty = isatty(STDERR_FILENO), .last_decile = 0};
    clock_gettime(CLOCK_MONOTONIC, &p.start);
    avz_render_options opts = {
        .path = a->output,
        .width = a->width,
        .height = a->height,
        .fps = a->fps,
        .workers = a->workers,
        .crf = a->crf,
        .preset = a->preset,
        .progress = a->quiet ? NULL : show_progress,
        .progress_ctx = &p,
        .cancel = &interrupted,
    };
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    avz_error err = {0};
    rc = avz_render_video(l.scene, l.tl, &opts, &err);
    double duration = avz_timeline_duration(l.tl);
    unload(&l);
    if (rc)
        return fail(rc == -EINTR ? AVZ_EXIT_INTERRUPTED : AVZ_EXIT_IO, "%s", err.msg);
    if (!a->quiet) {
        double el = seconds_since(&p.start);
        size_t frames = avz_frame_count(duration, a->fps);
        fprintf(stderr, "attnviz: wrote %s: %zu frames, %.2f s of video, in %.1f s (%.0f fps)\n",
                a->output, frames, duration, el, el > 0 ? frames / el : 0);
    }
    return AVZ_EXIT_OK;
}

/* ── Entry ─────────────────────────────────────────────────────────────────────────── */

static const struct command {
    const char *name;
    int (*run)(const cli_args *a);
    const char *usage;
    bool takes_scene;
} commands[] = {
    {"render", cmd_render, usage_render, true}, {"still", cmd_still, usage_still, true},
    {"phases", cmd_phases, usage_phases, true}, {"params", cmd_params, usage_params, true},
    {"list", cmd_list, usage_list, false},
};

int avz_cli_main(int argc, char **argv) {
    if (argc < 2)
        return fputs(usage_main, stderr), AVZ_EXIT_USAGE;
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return fputs(usage_main, stdout), AVZ_EXIT_OK;
    if (!strcmp(argv[1], "--version"))
        return printf("attnviz %s\n", AVZ_VERSION), AVZ_EXIT_OK;

    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            cmd = &commands[i];
    if (!cmd)
        return fail(AVZ_EXIT_USAGE, "unknown command \"%s\" (see 'attnviz --help')", argv[1]);

    cli_args a = {.command = cmd->name, .width = 1920, .height = 1080, .fps = 60, .crf = -1};
    int rc = 0;
    for (int i = 2; i < argc && !rc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(cmd->usage, stdout);
            rc = -1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = parse_option(&a, argc, argv, &i);
        } else if (cmd->takes_scene && !a.scene) {
            a.scene = argv[i];
        } else {
            rc = fail(AVZ_EXIT_USAGE, "unexpected argument \"%s\" (see 'attnviz %s --help')",
                      argv[i], cmd->name);
        }
    }
    if (!rc)
        rc = cmd->run(&a);
    for (size_t i = 0; i < a.owned_count; i++)
        free(a.owned[i]);
    return rc < 0 ? AVZ_EXIT_OK : rc;
}
