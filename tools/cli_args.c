/* attnviz command line, first half: the help texts, the options table and parsing argv into
 * cli_args. Every usage error is reported here, as one line, before any command runs. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MIN_SIDE 16
#define MAX_SIDE 8192

/* A preview (l) is for looking at soon: x264 superfast encodes it about twice as fast as
 * medium, into a bigger file. */
static const struct quality {
    const char *name;
    int width, height, fps;
    const char *x264_preset; /* NULL: the sink's default */
} qualities[] = {
    {"l", 854, 480, 15, "superfast"},
    {"m", 1280, 720, 30, NULL},
    {"h", 1920, 1080, 60, NULL},
    {"k", 3840, 2160, 60, NULL},
};

int avz_cli_fail(int code, const char *fmt, ...) {
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

const char avz_cli_usage_main[] =
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

const char avz_cli_usage_render[] =
    "usage: attnviz render SCENE -o FILE [options]\n"
    "       attnviz render --all -o DIR [--format EXT] [options]\n"
    "\n"
    "  -o, --output FILE     the output, by extension: .mp4 (H.264), .webm (VP9), .mov\n"
    "                        (ProRes 4444), .gif, or a PNG sequence such as frames/%05d.png\n"
    "                        (numbered by frame in the whole video; the directory must\n"
    "                        exist); replaced only on success\n" FRAMES_HELP
    "      --crf N           H.264 quality, 0 to 51 (default 23)\n"
    "      --preset NAME     x264 preset (default medium; superfast with -q l)\n"
    "      --chapters F.vtt  also write the phases as WebVTT chapters\n"
    "      --json            print a one-line JSON summary on stdout\n"
    "      --all             render every scene to DIR/SCENE.EXT, stopping at the first error\n"
    "      --format EXT      with --all: mp4 (default), webm, mov or gif\n";

const char avz_cli_usage_still[] =
    "usage: attnviz still SCENE --at WHEN -o FILE.png [options]\n"
    "\n"
    "      --at WHEN         SECONDS, PHASE (its start) or PHASE+SECONDS\n"
    "  -o, --output FILE     the PNG to write\n"
    "  -q, --quality Q       the frame size of l, m, h (default) or k\n"
    "      --size WxH        frame size, even numbers from 16 to 8192\n" PACING_HELP
    "      --transparent     a transparent background\n";

const char avz_cli_usage_storyboard[] =
    "usage: attnviz storyboard SCENE -o FILE.png [options]\n"
    "\n"
    "A row per phase: its name and times, then thumbnails of its start, middle and end.\n"
    "\n"
    "  -o, --output FILE     the PNG to write\n"
    "  -q, --quality Q       thumbnails the size of l, m, h or k frames\n"
    "      --size WxH        thumbnail size (default 320x180)\n" PACING_HELP;

const char avz_cli_usage_hash[] =
    "usage: attnviz hash SCENE [options]\n"
    "\n"
    "Prints a 64-bit digest (hex) of the raw frames that 'render' would encode with the same\n"
    "options: it changes when a frame's pixels do, and not with --workers.\n"
    "\n" FRAMES_HELP;

const char avz_cli_usage_phases[] =
    "usage: attnviz phases SCENE [options]\n"
    "\n"
    "Prints each phase's name, start, end and duration in seconds, after pacing.\n"
    "\n" PACING_HELP "      --json            one line of JSON instead of the table\n";

const char avz_cli_usage_list[] = "usage: attnviz list\n\nPrints the scenes.\n";

const char avz_cli_usage_params[] =
    "usage: attnviz params SCENE\n\nPrints each parameter with its default and meaning.\n";

/* Which commands take an option; anything else is a usage error naming the option. */
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

bool avz_cli_parse_seconds(const char *text, double *out) {
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
        return avz_cli_fail(AVZ_EXIT_USAGE, "unknown option %s (see 'attnviz %s --help')", given,
                            a->command);
    if (!(o->commands & a->for_command))
        return avz_cli_fail(AVZ_EXIT_USAGE, "%s does not apply to '%s' (see 'attnviz %s --help')",
                            given, a->command, a->command);
    const char *opt = o->name;
    const char *val = o->takes_value && *i + 1 < argc ? argv[*i + 1] : NULL;
    if (o->takes_value && !val)
        return avz_cli_fail(AVZ_EXIT_USAGE, "%s needs a value", given);
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
            return avz_cli_fail(AVZ_EXIT_USAGE, "%s needs a file name", given);
        const char **slot = !strcmp(opt, "--output")     ? &a->output
                            : !strcmp(opt, "--chapters") ? &a->chapters
                                                         : &a->pacing;
        if (*slot && slot != &a->output)
            return avz_cli_fail(AVZ_EXIT_USAGE, "%s may be given once", opt);
        *slot = val;
    } else if (!strcmp(opt, "--format")) {
        a->format = val;
    } else if (!strcmp(opt, "--from") || !strcmp(opt, "--to") || !strcmp(opt, "--only")) {
        bool only = !strcmp(opt, "--only");
        if (only ? (a->from || a->to) : a->only)
            return avz_cli_fail(AVZ_EXIT_USAGE, "--only cannot be combined with --from or --to");
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
            return avz_cli_fail(AVZ_EXIT_USAGE, "unknown quality \"%s\" (allowed: l, m, h, k)",
                                val);
        a->width = qualities[k].width;
        a->height = qualities[k].height;
        a->fps = qualities[k].fps;
        a->quality_preset = qualities[k].x264_preset;
        a->size_given = true;
    } else if (!strcmp(opt, "--fps")) {
        if (!parse_int(val, 1, 240, &a->fps))
            return avz_cli_fail(AVZ_EXIT_USAGE,
                                "--fps must be a whole number from 1 to 240, not \"%s\"", val);
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
            return avz_cli_fail(AVZ_EXIT_USAGE,
                                "--size must be WxH with even numbers from %d to %d, not \"%s\"",
                                MIN_SIDE, MAX_SIDE, val);
        a->width = w;
        a->height = h;
        a->size_given = true;
    } else if (!strcmp(opt, "--workers")) {
        if (!parse_int(val, 1, 64, &a->workers))
            return avz_cli_fail(AVZ_EXIT_USAGE,
                                "--workers must be a whole number from 1 to 64, not \"%s\"", val);
    } else if (!strcmp(opt, "--crf")) {
        if (!parse_int(val, 0, 51, &a->crf))
            return avz_cli_fail(AVZ_EXIT_USAGE,
                                "--crf must be a whole number from 0 to 51, not \"%s\"", val);
    } else if (!strcmp(opt, "--preset")) {
        a->preset = val;
    } else if (!strcmp(opt, "--at")) {
        a->at = val;
    } else if (!strcmp(opt, "--speed")) {
        if (!avz_cli_parse_seconds(val, &a->speed) || !(a->speed >= 0.01 && a->speed <= 100))
            return avz_cli_fail(AVZ_EXIT_USAGE,
                                "--speed must be a number from 0.01 to 100, not \"%s\"", val);
    } else if (!strcmp(opt, "--phase")) {
        const char *name, *secs;
        double v;
        if (a->phase_count == AVZ_CLI_MAX_SETTINGS || !split_setting(a, val, &name, &secs) ||
            !avz_cli_parse_seconds(secs, &v) || !(v > 0 && v <= 3600))
            return avz_cli_fail(
                AVZ_EXIT_USAGE,
                "--phase must be NAME=SECONDS with seconds from 0 to 3600, not \"%s\"", val);
        a->phase_names[a->phase_count] = name;
        a->phase_seconds[a->phase_count++] = v;
    } else if (!strcmp(opt, "--set")) {
        if (a->set_count == AVZ_CLI_MAX_SETTINGS ||
            !split_setting(a, val, &a->set_names[a->set_count], &a->set_values[a->set_count]))
            return avz_cli_fail(AVZ_EXIT_USAGE, "--set must be NAME=VALUE, not \"%s\"", val);
        a->set_count++;
    } else {
        return avz_cli_fail(AVZ_EXIT_USAGE, "unknown option %s (see 'attnviz %s --help')", opt,
                            a->command);
    }
    return 0;
}

int avz_cli_parse(cli_args *a, const char *command, unsigned command_bit, bool takes_scene,
                  const char *usage, int argc, char **argv) {
    *a = (cli_args){.command = command,
                    .for_command = command_bit,
                    .width = 1920,
                    .height = 1080,
                    .fps = 60,
                    .crf = -1};
    int rc = 0;
    for (int i = 2; i < argc && !rc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            rc = -1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = parse_option(a, argc, argv, &i);
        } else if (takes_scene && !a->scene) {
            a->scene = argv[i];
        } else {
            rc =
                avz_cli_fail(AVZ_EXIT_USAGE, "unexpected argument \"%s\" (see 'attnviz %s --help')",
                             argv[i], command);
        }
    }
    return rc;
}

void avz_cli_args_free(cli_args *a) {
    for (size_t i = 0; i < a->owned_count; i++)
        free(a->owned[i]);
    a->owned_count = 0;
}
