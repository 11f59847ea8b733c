/* attnviz command line: parses arguments, builds the scene, resolves pacing and runs a
 * command. The only module that prints. Every bad input gets one line on stderr and an exit
 * code from the table in cli.h, before any output file is touched. */
#include "attnviz/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attnviz/limits.h"
#include "attnviz/pacing.h"
#include "attnviz/pipeline.h"
#include "attnviz/registry.h"
#include "attnviz/sink.h"
#include "attnviz/storyboard.h"
#include "attnviz/text.h"
#include "attnviz/timeline.h"

#define MAX_SETTINGS 64
#define MIN_SIDE 16
#define MAX_SIDE 8192
#define THUMB_WIDTH 320 /* storyboard thumbnails unless --size or -q says otherwise */
#define THUMB_HEIGHT 180

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
    bool size_given, fps_given; /* by -q, --size or --fps, rather than the defaults */
    const char *preset;
    const char *at;
    const char *from, *to; /* phase names: --from, --to (--only sets both) */
    const char *pacing;    /* --pacing FILE */
    const char *chapters;  /* --chapters FILE.vtt */
    const char *format;    /* --format EXT, with --all */
    bool only;             /* --from and --to came from --only */
    bool quiet, json, transparent, all;
    unsigned for_command; /* the command's bit in the options table */
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
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Messages quote what the user gave: a newline or an escape sequence in it must neither
     * break the one-line message nor drive the terminal. */
    fputs("attnviz: ", stderr);
    for (const unsigned char *c = (const unsigned char *)msg; *c; c++) {
        if (*c < 0x20 || *c == 0x7F)
            fprintf(stderr, "\\x%02X", *c);
        else
            fputc(*c, stderr);
    }
    fputc('\n', stderr);
    return code;
}

/* ── Help ──────────────────────────────────────────────────────────────────────────── */

static const char usage_main[] =
    "usage: attnviz COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  render SCENE -o FILE       render a scene: .mp4 .webm .mov .gif or frames/%05d.png\n"
    "  render --all -o DIR        render every scene to DIR/SCENE.mp4\n"
    "  still SCENE --at WHEN -o FILE.png\n"
    "                             render one frame to a PNG\n"
    "  storyboard SCENE -o FILE.png\n"
    "                             one image: each phase at its start, middle and end\n"
    "  hash SCENE                 a digest of the raw frames, without encoding\n"
    "  list                       list the scenes\n"
    "  phases SCENE               list a scene's phases with start and duration\n"
    "  params SCENE               list a scene's parameters with defaults\n"
    "\n"
    "Run 'attnviz COMMAND --help' for a command's options; 'attnviz --version'.\n";

#define PACING_HELP                                                                                \
    "      --phase NAME=SEC  stretch or shrink one phase (repeatable; overrides --pacing)\n"       \
    "      --pacing FILE     phase lengths from a file: NAME=SECONDS a line, # comments\n"         \
    "      --speed X         play everything X times faster\n"                                     \
    "      --set NAME=VALUE  set a scene parameter (see 'attnviz params SCENE')\n"

#define FRAMES_HELP                                                                                \
    "  -q, --quality Q       l 854x480@15, m 1280x720@30, h 1920x1080@60 (default),\n"             \
    "                        k 3840x2160@60\n"                                                     \
    "      --fps N           frames per second, 1 to 240\n"                                        \
    "      --size WxH        frame size, even numbers from 16 to 8192\n" PACING_HELP               \
    "      --from PHASE      start where PHASE starts, in the whole video's exact state\n"         \
    "      --to PHASE        end where PHASE ends\n"                                               \
    "      --only PHASE      just that phase (--from PHASE --to PHASE)\n"                          \
    "      --transparent     a transparent background (.webm, .mov, PNG sequences)\n"              \
    "      --workers N       drawing threads (default: one per core); same output for any N\n"     \
    "      --quiet           no progress on stderr\n"

static const char usage_render[] =
    "usage: attnviz render SCENE -o FILE [options]\n"
    "       attnviz render --all -o DIR [--format EXT] [options]\n"
    "\n"
    "  -o, --output FILE     the output, by extension: .mp4 (H.264), .webm (VP9), .mov\n"
    "                        (ProRes 4444), .gif, or a PNG sequence such as frames/%05d.png\n"
    "                        (numbered by frame in the whole video; the directory must\n"
    "                        exist); replaced only on success\n" FRAMES_HELP
    "      --crf N           H.264 quality, 0 to 51 (default 23)\n"
    "      --preset NAME     x264 preset (default medium)\n"
    "      --chapters F.vtt  also write the phases as WebVTT chapters\n"
    "      --json            print a one-line JSON summary on stdout\n"
    "      --all             render every scene to DIR/SCENE.EXT, stopping at the first error\n"
    "      --format EXT      with --all: mp4 (default), webm, mov or gif\n";

static const char usage_still[] =
    "usage: attnviz still SCENE --at WHEN -o FILE.png [options]\n"
    "\n"
    "      --at WHEN         SECONDS, PHASE (its start) or PHASE+SECONDS\n"
    "  -o, --output FILE     the PNG to write\n"
    "  -q, --quality Q       the frame size of l, m, h (default) or k\n"
    "      --size WxH        frame size, even numbers from 16 to 8192\n" PACING_HELP
    "      --transparent     a transparent background\n";

static const char usage_storyboard[] =
    "usage: attnviz storyboard SCENE -o FILE.png [options]\n"
    "\n"
    "A row per phase: its name and times, then thumbnails of its start, middle and end.\n"
    "\n"
    "  -o, --output FILE     the PNG to write\n"
    "  -q, --quality Q       thumbnails the size of l, m, h or k frames\n"
    "      --size WxH        thumbnail size (default 320x180)\n" PACING_HELP;

static const char usage_hash[] =
    "usage: attnviz hash SCENE [options]\n"
    "\n"
    "Prints a 64-bit digest (hex) of the raw frames that 'render' would encode with the same\n"
    "options: it changes when a frame's pixels do, and not with --workers.\n"
    "\n" FRAMES_HELP;

static const char usage_phases[] =
    "usage: attnviz phases SCENE [options]\n"
    "\n"
    "Prints each phase's name, start, end and duration in seconds, after pacing.\n"
    "\n" PACING_HELP "      --json            one line of JSON instead of the table\n";

static const char usage_list[] = "usage: attnviz list\n\nPrints the scenes.\n";

static const char usage_params[] =
    "usage: attnviz params SCENE\n\nPrints each parameter with its default and meaning.\n";

/* Which commands take an option; anything else is a usage error naming the option. */
enum {
    FOR_RENDER = 1,
    FOR_STILL = 2,
    FOR_PHASES = 4,
    FOR_STORYBOARD = 8,
    FOR_HASH = 16,
    FOR_PACED = FOR_RENDER | FOR_STILL | FOR_PHASES | FOR_STORYBOARD | FOR_HASH,
    FOR_FRAMES = FOR_RENDER | FOR_HASH,
    FOR_IMAGES = FOR_FRAMES | FOR_STILL | FOR_STORYBOARD,
};

static const struct option {
    const char *name, *alias;
    bool takes_value;
    unsigned commands;
} options[] = {
    {"--output", "-o", true, FOR_RENDER | FOR_STILL | FOR_STORYBOARD},
    {"--quality", "-q", true, FOR_IMAGES},
    {"--size", NULL, true, FOR_IMAGES},
    {"--fps", NULL, true, FOR_FRAMES},
    {"--phase", NULL, true, FOR_PACED},
    {"--pacing", NULL, true, FOR_PACED},
    {"--speed", NULL, true, FOR_PACED},
    {"--set", NULL, true, FOR_PACED},
    {"--from", NULL, true, FOR_FRAMES},
    {"--to", NULL, true, FOR_FRAMES},
    {"--only", NULL, true, FOR_FRAMES},
    {"--transparent", NULL, false, FOR_FRAMES | FOR_STILL},
    {"--workers", NULL, true, FOR_FRAMES},
    {"--quiet", NULL, false, FOR_FRAMES},
    {"--crf", NULL, true, FOR_RENDER},
    {"--preset", NULL, true, FOR_RENDER},
    {"--chapters", NULL, true, FOR_RENDER},
    {"--all", NULL, false, FOR_RENDER},
    {"--format", NULL, true, FOR_RENDER},
    {"--json", NULL, false, FOR_RENDER | FOR_PHASES},
    {"--at", NULL, true, FOR_STILL},
};

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
    const char *given = argv[*i];
    const struct option *o = NULL;
    for (size_t k = 0; k < sizeof options / sizeof options[0] && !o; k++)
        if (!strcmp(given, options[k].name) ||
            (options[k].alias && !strcmp(given, options[k].alias)))
            o = &options[k];
    if (!o)
        return fail(AVZ_EXIT_USAGE, "unknown option %s (see 'attnviz %s --help')", given,
                    a->command);
    if (!(o->commands & a->for_command))
        return fail(AVZ_EXIT_USAGE, "%s does not apply to '%s' (see 'attnviz %s --help')", given,
                    a->command, a->command);
    const char *opt = o->name;
    const char *val = o->takes_value && *i + 1 < argc ? argv[*i + 1] : NULL;
    if (o->takes_value && !val)
        return fail(AVZ_EXIT_USAGE, "%s needs a value", given);
    if (o->takes_value)
        (*i)++;

    if (!strcmp(opt, "--quiet")) {
        a->quiet = true;
    } else if (!strcmp(opt, "--json")) {
        a->json = true;
    } else if (!strcmp(opt, "--transparent")) {
        a->transparent = true;
    } else if (!strcmp(opt, "--all")) {
        a->all = true;
    } else if (!strcmp(opt, "--output") || !strcmp(opt, "--chapters") || !strcmp(opt, "--pacing")) {
        if (!*val)
            return fail(AVZ_EXIT_USAGE, "%s needs a file name", given);
        const char **slot = !strcmp(opt, "--output")     ? &a->output
                            : !strcmp(opt, "--chapters") ? &a->chapters
                                                         : &a->pacing;
        if (*slot && slot != &a->output)
            return fail(AVZ_EXIT_USAGE, "%s may be given once", opt);
        *slot = val;
    } else if (!strcmp(opt, "--format")) {
        a->format = val;
    } else if (!strcmp(opt, "--from") || !strcmp(opt, "--to") || !strcmp(opt, "--only")) {
        bool only = !strcmp(opt, "--only");
        if (only ? (a->from || a->to) : a->only)
            return fail(AVZ_EXIT_USAGE, "--only cannot be combined with --from or --to");
        if (only || !strcmp(opt, "--from"))
            a->from = val;
        if (only || !strcmp(opt, "--to"))
            a->to = val;
        a->only = only;
    } else if (!strcmp(opt, "--quality")) {
        size_t k = 0;
        while (k < sizeof qualities / sizeof qualities[0] && strcmp(qualities[k].name, val))
            k++;
        if (k == sizeof qualities / sizeof qualities[0])
            return fail(AVZ_EXIT_USAGE, "unknown quality \"%s\" (allowed: l, m, h, k)", val);
        a->width = qualities[k].width;
        a->height = qualities[k].height;
        a->fps = qualities[k].fps;
        a->size_given = true;
    } else if (!strcmp(opt, "--fps")) {
        if (!parse_int(val, 1, 240, &a->fps))
            return fail(AVZ_EXIT_USAGE, "--fps must be a whole number from 1 to 240, not \"%s\"",
                        val);
        a->fps_given = true;
    } else if (!strcmp(opt, "--size")) {
        /* strtol through parse_int, not sscanf's %d, which wraps numbers past INT_MAX. */
        int w = 0, h = 0;
        const char *x = strchr(val, 'x');
        char wtext[16] = "";
        if (x && (size_t)(x - val) < sizeof wtext)
            memcpy(wtext, val, (size_t)(x - val));
        if (!x || !parse_int(wtext, MIN_SIDE, MAX_SIDE, &w) ||
            !parse_int(x + 1, MIN_SIDE, MAX_SIDE, &h) || w % 2 || h % 2)
            return fail(AVZ_EXIT_USAGE,
                        "--size must be WxH with even numbers from %d to %d, not \"%s\"", MIN_SIDE,
                        MAX_SIDE, val);
        a->width = w;
        a->height = h;
        a->size_given = true;
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

/* "a, b, c": the scene's phases, for messages about a phase name. */
static void phase_list(const avz_scene *s, char *buf, size_t size) {
    buf[0] = '\0';
    for (size_t i = 0; i < avz_scene_phase_count(s); i++) {
        strncat(buf, i ? ", " : "", size - strlen(buf) - 1);
        strncat(buf, avz_scene_phase_name(s, i), size - strlen(buf) - 1);
    }
}

/* The index of the phase named by an option, or an input error listing the phases. */
static int find_phase(const loaded *l, const char *what, const char *name, size_t *index) {
    long i = avz_timeline_find_phase(l->tl, name);
    if (i >= 0) {
        *index = (size_t)i;
        return 0;
    }
    char names[400];
    phase_list(l->scene, names, sizeof names);
    return fail(AVZ_EXIT_INPUT, "%sunknown phase \"%s\" (phases: %s)", what, name, names);
}

/* The pacing file's settings first, so that --phase overrides them; a file entry naming no
 * phase is reported with its file and line. */
static int resolve(const cli_args *a, const avz_pacing_file *pf, loaded *l) {
    size_t n = pf->count + a->phase_count;
    const char **names = calloc(n ? n : 1, sizeof *names);
    double *seconds = calloc(n ? n : 1, sizeof *seconds);
    int rc = names && seconds ? 0 : fail(AVZ_EXIT_FAILURE, "out of memory");
    for (size_t i = 0; i < pf->count && !rc; i++) {
        const avz_pacing_entry *e = &pf->entries[i];
        size_t k = 0;
        while (k < avz_scene_phase_count(l->scene) &&
               strcmp(avz_scene_phase_name(l->scene, k), e->name))
            k++;
        if (k == avz_scene_phase_count(l->scene)) {
            char list[400];
            phase_list(l->scene, list, sizeof list);
            rc = fail(AVZ_EXIT_INPUT, "%s:%u: unknown phase \"%s\" (phases: %s)", a->pacing,
                      e->line, e->name, list);
        }
        names[i] = e->name;
        seconds[i] = e->seconds;
    }
    for (size_t i = 0; i < a->phase_count && !rc; i++) {
        names[pf->count + i] = a->phase_names[i];
        seconds[pf->count + i] = a->phase_seconds[i];
    }
    avz_error err = {0};
    avz_pacing pacing = {a->speed, names, seconds, n};
    if (!rc && avz_timeline_resolve(l->scene, &pacing, &l->tl, &err))
        rc = fail(AVZ_EXIT_INPUT, "%s", err.msg);
    free(names);
    free(seconds);
    return rc;
}

/* Builds the scene with its parameters and resolves the pacing flags and file. */
static int load(const cli_args *a, const avz_scene_def *def, loaded *l) {
    *l = (loaded){0};
    avz_error err = {0};
    avz_params params = {a->set_names, a->set_values, a->set_count};
    if (avz_params_check(def, &params, &err))
        return fail(AVZ_EXIT_INPUT, "%s", err.msg);
    avz_pacing_file pf = {0};
    int rc = a->pacing ? avz_pacing_read(a->pacing, &pf, &err) : 0;
    if (rc)
        return fail(rc == -EINVAL ? AVZ_EXIT_USAGE : AVZ_EXIT_IO, "%s", err.msg);
    if (avz_fonts_open(avz_fonts_default_dir(), &l->fonts, &err)) {
        avz_pacing_file_free(&pf);
        return fail(AVZ_EXIT_IO, "%s", err.msg);
    }
    if (avz_scene_new(l->fonts, &l->scene)) {
        rc = fail(AVZ_EXIT_FAILURE, "out of memory");
    } else {
        def->build(l->scene, &params);
        if (avz_scene_status(l->scene, &err))
            rc = fail(AVZ_EXIT_INPUT, "%s: %s", def->name, err.msg);
    }
    rc = rc ? rc : resolve(a, &pf, l);
    avz_pacing_file_free(&pf);
    if (rc)
        unload(l);
    return rc;
}

/* --from, --to and --only as seconds on the resolved timeline (to 0: the end). */
static int window(const cli_args *a, const loaded *l, double *from, double *to) {
    size_t first = 0, last = avz_timeline_phase_count(l->tl) - 1;
    int rc = a->from ? find_phase(l, a->only ? "--only: " : "--from: ", a->from, &first) : 0;
    rc = rc ? rc : a->to ? find_phase(l, "--to: ", a->to, &last) : 0;
    if (rc)
        return rc;
    if (last < first)
        return fail(AVZ_EXIT_INPUT, "--to %s comes before --from %s", a->to, a->from);
    *from = avz_timeline_phase_start(l->tl, first);
    *to = a->to ? avz_timeline_phase_start(l->tl, last) + avz_timeline_phase_duration(l->tl, last)
                : 0;
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

/* JSON string with the escapes JSON requires; bytes above 0x7f pass through as UTF-8. */
static void json_string(const char *text) {
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            printf("\\%c", *c);
        else if (*c < 0x20)
            printf("\\u%04x", *c);
        else
            putchar(*c);
    }
    putchar('"');
}

static int cmd_phases(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    if (a->json) {
        printf("{\"scene\":");
        json_string(def->name);
        printf(",\"duration\":%.9g,\"phases\":[", avz_timeline_duration(l.tl));
        for (size_t i = 0; i < avz_timeline_phase_count(l.tl); i++) {
            double start = avz_timeline_phase_start(l.tl, i);
            double dur = avz_timeline_phase_duration(l.tl, i);
            printf("%s{\"name\":", i ? "," : "");
            json_string(avz_timeline_phase_name(l.tl, i));
            printf(",\"start\":%.9g,\"end\":%.9g,\"duration\":%.9g}", start, start + dur, dur);
        }
        printf("]}\n");
        unload(&l);
        return AVZ_EXIT_OK;
    }
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

/* True when both name the same file, however spelled (./x, a link) or not yet existing. */
static bool same_file(const char *p, const char *q) {
    struct stat sp, sq;
    if (!p || !q)
        return false;
    return !strcmp(p, q) || (stat(p, &sp) == 0 && stat(q, &sq) == 0 && sp.st_dev == sq.st_dev &&
                             sp.st_ino == sq.st_ino);
}

/* An output that is also an input would be destroyed by the very render that reads it. */
static int check_clash(const cli_args *a, const char *output) {
    if (same_file(a->pacing, output))
        return fail(AVZ_EXIT_USAGE, "output \"%s\" is also the --pacing file; give another name",
                    output);
    if (same_file(a->pacing, a->chapters))
        return fail(AVZ_EXIT_USAGE,
                    "--chapters \"%s\" is also the --pacing file; give another name", a->chapters);
    if (same_file(output, a->chapters))
        return fail(AVZ_EXIT_USAGE, "--chapters \"%s\" is also the output; give another name",
                    a->chapters);
    return 0;
}

static int need_output(const cli_args *a, const char *ext) {
    if (!a->output)
        return fail(AVZ_EXIT_USAGE, "missing -o FILE%s", ext);
    size_t n = strlen(a->output), e = strlen(ext);
    if (n <= e || strcmp(a->output + n - e, ext) != 0)
        return fail(AVZ_EXIT_USAGE, "output \"%s\" must end in %s", a->output, ext);
    return check_clash(a, a->output);
}

static const char at_syntax[] = "--at must be a time in seconds from 0, PHASE or PHASE+SECONDS";

/* --at PHASE or PHASE+SECONDS, once the timeline is known; plain seconds are parsed earlier. */
static int phase_time(const cli_args *a, const loaded *l, double *t) {
    const char *plus = strrchr(a->at, '+');
    size_t len = plus ? (size_t)(plus - a->at) : strlen(a->at);
    double offset = 0;
    char name[256];
    if (len == 0 || len >= sizeof name ||
        (plus && (!parse_seconds(plus + 1, &offset) || offset < 0)))
        return fail(AVZ_EXIT_USAGE, "%s, not \"%s\"", at_syntax, a->at);
    memcpy(name, a->at, len);
    name[len] = '\0';
    long i = avz_timeline_find_phase(l->tl, name);
    if (i < 0) {
        char names[400];
        phase_list(l->scene, names, sizeof names);
        return fail(AVZ_EXIT_USAGE, "%s, not \"%s\" (phases: %s)", at_syntax, a->at, names);
    }
    double dur = avz_timeline_phase_duration(l->tl, (size_t)i);
    if (offset > dur)
        return fail(AVZ_EXIT_INPUT, "--at %s is past the end of phase %s (%.3f s long)", a->at,
                    name, dur);
    *t = avz_timeline_phase_start(l->tl, (size_t)i) + offset;
    return 0;
}

static int cmd_still(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    double t = 0;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : need_output(a, ".png");
    if (rc)
        return rc;
    if (!a->at)
        return fail(AVZ_EXIT_USAGE, "missing --at SECONDS (or PHASE, PHASE+SECONDS)");
    bool seconds = parse_seconds(a->at, &t);
    if (seconds && t < 0)
        return fail(AVZ_EXIT_USAGE, "%s, not \"%s\"", at_syntax, a->at);
    if ((rc = load(a, def, &l)))
        return rc;
    if (!seconds && (rc = phase_time(a, &l, &t))) {
        unload(&l);
        return rc;
    }
    if (t > avz_timeline_duration(l.tl)) {
        double d = avz_timeline_duration(l.tl);
        unload(&l);
        return fail(AVZ_EXIT_INPUT, "--at %s is past the end of %s (%.3f s)", a->at, def->name, d);
    }
    avz_error err = {0};
    rc = avz_render_still(l.scene, l.tl, t, a->output, a->width, a->height, a->transparent, &err);
    unload(&l);
    if (rc)
        return fail(AVZ_EXIT_IO, "%s", err.msg);
    return AVZ_EXIT_OK;
}

static int cmd_storyboard(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : need_output(a, ".png");
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    avz_storyboard_options opts = {.path = a->output,
                                   .title = def->name,
                                   .thumb_width = a->size_given ? a->width : THUMB_WIDTH,
                                   .thumb_height = a->size_given ? a->height : THUMB_HEIGHT};
    avz_error err = {0};
    rc = avz_render_storyboard(l.scene, l.tl, &opts, &err);
    unload(&l);
    if (rc)
        return fail(rc == -ENOMEM ? AVZ_EXIT_FAILURE : AVZ_EXIT_IO, "%s", err.msg);
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

/* What the frame-producing commands share: the part to render, progress and SIGINT. */
static int frame_options(const cli_args *a, const loaded *l, const char *path, int fps, progress *p,
                         avz_render_options *opts) {
    double from = 0, to = 0;
    int rc = window(a, l, &from, &to);
    if (rc)
        return rc;
    *p = (progress){.tty = isatty(STDERR_FILENO), .last_decile = 0};
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    *opts = (avz_render_options){
        .path = path,
        .width = a->width,
        .height = a->height,
        .fps = fps,
        .workers = a->workers,
        .crf = a->crf,
        .preset = a->preset,
        .from = from,
        .to = to,
        .transparent = a->transparent,
        .chapters_path = a->chapters,
        .progress = a->quiet ? NULL : show_progress,
        .progress_ctx = p,
        .cancel = &interrupted,
    };
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return 0;
}

static int render_failure(int rc, const avz_error *err) {
    int code = rc == -EINTR    ? AVZ_EXIT_INTERRUPTED
               : rc == -ENOMEM ? AVZ_EXIT_FAILURE
               : rc == -EINVAL ? AVZ_EXIT_INPUT
                               : AVZ_EXIT_IO;
    return fail(code, "%s", err->msg);
}

/* Renders one scene to path: the output's options are checked before the scene is built. */
static int render_one(const cli_args *a, const avz_scene_def *def, const char *path) {
    if (!avz_sink_known(path))
        return fail(AVZ_EXIT_USAGE,
                    "output \"%s\" must end in .mp4, .webm, .mov or .gif, or be a PNG sequence "
                    "such as frames/%%05d.png",
                    path);
    int fps = a->fps_given ? a->fps : avz_sink_best_fps(path, a->fps);
    avz_sink_options so = {.width = a->width,
                           .height = a->height,
                           .fps = fps,
                           .crf = a->crf,
                           .preset = a->preset,
                           .transparent = a->transparent,
                           .chapters_path = a->chapters};
    avz_error err = {0};
    if (avz_sink_check(path, &so, &err))
        return fail(AVZ_EXIT_USAGE, "%s", err.msg);
    int rc = check_clash(a, path);
    loaded l;
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    progress p;
    avz_render_options opts;
    size_t first, frames;
    if ((rc = frame_options(a, &l, path, fps, &p, &opts))) {
        unload(&l);
        return rc;
    }
    avz_frame_range(l.tl, &opts, &first, &frames);
    /* Before any output exists: a render that cannot finish fails now, not in an hour. */
    avz_limits_request req = {.width = a->width,
                              .height = a->height,
                              .fps = fps,
                              .frames = frames,
                              .workers = a->workers,
                              .preset = a->preset};
    avz_error limit = {0};
    if (avz_limits_check_here(req, &limit)) {
        unload(&l);
        return fail(AVZ_EXIT_USAGE, "%s", limit.msg);
    }
    rc = avz_render_video(l.scene, l.tl, &opts, &err);
    unload(&l);
    if (rc)
        return render_failure(rc, &err);
    double el = seconds_since(&p.start), duration = (double)frames / fps;
    if (!a->quiet)
        fprintf(stderr, "attnviz: wrote %s: %zu frames, %.2f s of video, in %.1f s (%.0f fps)\n",
                path, frames, duration, el, el > 0 ? frames / el : 0);
    if (a->json) {
        printf("{\"scene\":");
        json_string(def->name);
        printf(",\"file\":");
        json_string(path);
        printf(",\"frames\":%zu,\"fps\":%d,\"duration\":%.9g,\"wall\":%.3f,\"render_fps\":%.1f}\n",
               frames, fps, duration, el, el > 0 ? frames / el : 0);
        fflush(stdout);
    }
    return AVZ_EXIT_OK;
}

/* CI's job in one command: every scene to DIR/NAME.EXT, stopping at the first failure. */
static int render_all(const cli_args *a) {
    static const char *const formats[] = {"mp4", "webm", "mov", "gif"};
    if (a->scene)
        return fail(AVZ_EXIT_USAGE, "--all renders every scene; give no SCENE (\"%s\")", a->scene);
    if (!a->output)
        return fail(AVZ_EXIT_USAGE, "missing -o DIR");
    if (a->phase_count || a->pacing || a->from || a->set_count || a->chapters)
        return fail(AVZ_EXIT_USAGE, "--phase, --pacing, --from, --to, --only, --set and "
                                    "--chapters are for one scene; they do not go with --all");
    const char *format = a->format ? a->format : "mp4";
    size_t k = 0;
    while (k < sizeof formats / sizeof formats[0] && strcmp(formats[k], format))
        k++;
    if (k == sizeof formats / sizeof formats[0])
        return fail(AVZ_EXIT_USAGE, "--format must be mp4, webm, mov or gif, not \"%s\"", format);
    struct stat st;
    if (stat(a->output, &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(AVZ_EXIT_IO, "-o %s is not a directory (--all writes DIR/SCENE.%s)", a->output,
                    format);
    for (size_t i = 0; i < avz_scene_count(); i++) {
        const avz_scene_def *def = avz_scene_at(i);
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s.%s", a->output, def->name, format) >=
            (int)sizeof path)
            return fail(AVZ_EXIT_USAGE, "-o %s is too long a path", a->output);
        int rc = render_one(a, def, path);
        if (rc)
            return rc;
    }
    return AVZ_EXIT_OK;
}

static int cmd_render(const cli_args *a) {
    if (a->all)
        return render_all(a);
    if (a->format)
        return fail(AVZ_EXIT_USAGE, "--format goes with --all; otherwise -o's extension chooses");
    const avz_scene_def *def;
    int rc = find_scene(a->scene, &def);
    if (rc)
        return rc;
    if (!a->output)
        return fail(AVZ_EXIT_USAGE, "missing -o FILE.mp4 (or .webm, .mov, .gif, frames/%%05d.png)");
    return render_one(a, def, a->output);
}

static int cmd_hash(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    progress p;
    avz_render_options opts;
    if ((rc = frame_options(a, &l, NULL, a->fps, &p, &opts))) {
        unload(&l);
        return rc;
    }
    uint64_t digest = 0;
    avz_error err = {0};
    rc = avz_render_digest(l.scene, l.tl, &opts, &digest, &err);
    unload(&l);
    if (rc)
        return render_failure(rc, &err);
    printf("%016" PRIx64 "\n", digest);
    return AVZ_EXIT_OK;
}

/* ── Entry ─────────────────────────────────────────────────────────────────────────── */

static const struct command {
    const char *name;
    int (*run)(const cli_args *a);
    const char *usage;
    bool takes_scene;
    unsigned bit; /* which options apply (see the options table) */
} commands[] = {
    {"render", cmd_render, usage_render, true, FOR_RENDER},
    {"still", cmd_still, usage_still, true, FOR_STILL},
    {"storyboard", cmd_storyboard, usage_storyboard, true, FOR_STORYBOARD},
    {"hash", cmd_hash, usage_hash, true, FOR_HASH},
    {"phases", cmd_phases, usage_phases, true, FOR_PHASES},
    {"params", cmd_params, usage_params, true, 0},
    {"list", cmd_list, usage_list, false, 0},
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

    cli_args a = {.command = cmd->name,
                  .for_command = cmd->bit,
                  .width = 1920,
                  .height = 1080,
                  .fps = 60,
                  .crf = -1};
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
