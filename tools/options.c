/* attnviz command line, the tables: every command and option, with the texts `--help`, the
 * manual page and the completions are written from (see docs.c for the last two), and the
 * parser that reads argv against them (GNU conventions: --opt=value, -ql, --, - for standard
 * input). Every usage error is reported here, as one line, before any command runs. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/segment.h"
#include "attnviz/settings.h"
#include "attnviz/version.h"
#include "cli.h"

#define MIN_SIDE 16
#define MAX_SIDE 8192

const cli_command cli_commands[CMD_COUNT] = {
    [CMD_RENDER] = {"render", OPERAND_SCENE, "SCENE [-o FILE] [options]\n--all [-o DIR] [options]",
                    "render a scene to a video, a GIF or a PNG sequence",
                    "Renders SCENE (a built-in scene, a plug-in's scene, or a plug-in file such as "
                    "./mine.so) into FILE, whose extension picks the output: .mp4 (H.264), .webm "
                    "(VP9), .mov (ProRes 4444), .gif, or a PNG sequence for a name holding a frame "
                    "number such as frames/%05d.png. Without -o it writes SCENE.mp4 in the current "
                    "folder. The output is written beside its target and renamed onto it once "
                    "whole: a failed or interrupted render leaves the previous file as it was.\n"
                    "With --all every scene is rendered into the folder DIR (default: the current "
                    "one) as DIR/SCENE.EXT, stopping at the first error."},
    [CMD_STILL] = {"still", OPERAND_SCENE, "SCENE (--at WHEN | --frame N) [-o FILE.png] [options]",
                   "render one frame to a PNG",
                   "Renders one frame of SCENE to a PNG: frame N of the video (--frame, at the "
                   "video's --fps), or the frame showing the instant WHEN (--at), which is frame "
                   "round(WHEN x fps), so that a still is exactly a frame of the render. Without "
                   "-o it writes SCENE.png."},
    [CMD_STORYBOARD] = {"storyboard", OPERAND_SCENE, "SCENE [-o FILE.png] [options]",
                        "one image: every phase at its start, middle and end",
                        "Draws a sheet with a row per phase: its name and times, then thumbnails "
                        "of its start, middle and end. A phase that starts or ends on an empty "
                        "frame is shown where it first (or last) shows something, and its caption "
                        "says so. Without -o it writes SCENE-storyboard.png."},
    [CMD_FORMULA] = {"formula", OPERAND_TEX,
                     "TEX [-o FILE.png] [--size PX] [--color #RRGGBB] "
                     "[--transparent]",
                     "typeset one formula to a PNG",
                     "Typesets TEX, a formula in the TeX subset the scenes use, to a PNG framed "
                     "tightly around its ink, so that a designer can check a formula without "
                     "building a scene. An unknown command or a syntax error names itself and "
                     "its position. Without -o it writes formula.png."},
    [CMD_HASH] = {"hash", OPERAND_SCENE, "SCENE [options]",
                  "a digest of the raw frames, without encoding",
                  "Prints a 64-bit digest (hex) of the raw frames that 'render' would encode "
                  "with the same options, and the same output --format: it changes when a "
                  "frame's pixels do, and not with --workers. CI can compare it with the last "
                  "run's and skip re-encoding."},
    [CMD_PLAN] = {"plan", OPERAND_SCENE, "SCENE --segments N [-o FILE] [render options]",
                  "the commands that render a scene in N pieces and join them",
                  "Prints the N 'attnviz render --segment K/N' commands that render SCENE in "
                  "pieces, with every render option given here, then the 'attnviz concat' "
                  "command that joins the pieces into FILE (default SCENE.mp4): one shell command "
                  "a line, for GNU Parallel, a CI matrix or any job engine, or with --json one "
                  "object holding each piece's frames, file and argv. The pieces are named "
                  "FILE's name with -part-K-of-N before its extension, K padded to N's width. "
                  "Only .mp4, .webm and .mov join; the scene and every option are checked as "
                  "render checks them, and the render must have at least N frames."},
    [CMD_CONCAT] = {"concat", OPERAND_FILES, "PIECE... -o FILE [options]",
                    "join the pieces of a segmented render without re-encoding",
                    "Joins the pieces that 'render --segment K/N' wrote, given in any order, into "
                    "FILE by stream copy: every frame once, timestamps continuous, the whole "
                    "video's chapters (and with --chapters a WebVTT file of them), as a render "
                    "in one piece would write it. FILE takes the pieces' extension: .mp4, .webm "
                    "or .mov. Pieces that do not belong together (another scene, other options, "
                    "another attnviz version, a segment missing or given twice) are refused with "
                    "one line naming the piece, and nothing is written."},
    [CMD_PHASES] = {"phases", OPERAND_SCENE, "SCENE [options]",
                    "list a scene's phases with their times and frames",
                    "Prints each phase's name, start, end and length in seconds after pacing, "
                    "its first and last frame at the frame rate (-q, --fps), and the time its "
                    "chapter starts. A phase's frames start at frame round(start x fps); that "
                    "frame's time is where its chapter starts, in the video and in --chapters "
                    "files alike. The first line names the scene, attnviz's version and the "
                    "rate; the last gives the totals. A phase too short for any frame at that "
                    "rate is an error, as in render."},
    [CMD_PARAMS] = {"params", OPERAND_SCENE, "SCENE [options]",
                    "list a scene's parameters with their defaults",
                    "Prints each parameter of SCENE with its default, what it accepts and what "
                    "it means. Set one with --set NAME=VALUE, or many with --params FILE."},
    [CMD_LIST] = {"list", OPERAND_NONE, "[options]", "list the scenes",
                  "Prints every scene attnviz knows, with where it comes from: built in, or a "
                  "plug-in from a folder on AVZ_SCENE_PATH or from ../lib/attnviz/scenes beside "
                  "the program."},
    [CMD_HELP] = {"help", OPERAND_COMMAND, "[COMMAND]", "show the help of attnviz or of a command",
                  "Prints the help of COMMAND, or attnviz's overview."},
};

#define PACED (ON_PACED)
#define RENDERS (ON(CMD_RENDER) | ON(CMD_PLAN)) /* plan passes them on to render */
#define IMAGES (RENDERS | ON(CMD_STILL) | ON(CMD_STORYBOARD) | ON(CMD_HASH))
#define FRAMES (RENDERS | ON(CMD_HASH))
#define WRITES (RENDERS | ON(CMD_CONCAT) | ON(CMD_STILL) | ON(CMD_STORYBOARD) | ON(CMD_FORMULA))

const cli_option cli_options[] = {
    {OPT_OUTPUT, "--output", 'o', "FILE", false, WRITES,
     "where to write (render: its extension picks the output; --all: a folder; plan: the joined "
     "video); the folder of a PNG sequence or of --all is made if need be, and removed again if "
     "the command fails"},
    {OPT_NO_OVERWRITE, "--no-overwrite", 'n', NULL, false, WRITES,
     "refuse to replace an output that exists (exit 6), before any work"},
    {OPT_QUALITY, "--quality", 'q', "Q", false, IMAGES | ON(CMD_PHASES),
     "l 854x480@15, m 1280x720@30, h 1920x1080@60 (the default; a GIF 960x540), k 3840x2160@60"},
    {OPT_FPS, "--fps", 0, "N", false, FRAMES | ON(CMD_STILL) | ON(CMD_PHASES),
     "frames per second, 1 to 240 (a GIF plays whole hundredths: without --fps it takes the next "
     "rate down that divides 100)"},
    {OPT_SIZE, "--size", 0, "WxH", false, IMAGES,
     "frame size, even numbers from 16 to 8192 (storyboard: the thumbnails', default 320x180)"},
    {OPT_FORMULA_SIZE, "--size", 0, "PX", false, ON(CMD_FORMULA),
     "one em of the formula in pixels, 4 to 1000 (default 100)"},
    {OPT_PHASE, "--phase", 0, "NAME=LEN", true, PACED,
     "pace one phase: LEN seconds, +S or -S longer or shorter, or xF times as long; everything "
     "inside it scales and later phases shift (repeatable; wins over --pacing)"},
    {OPT_PACING, "--pacing", 0, "FILE", false, PACED,
     "the same from a file: one NAME=LEN a line, # comments; - reads standard input"},
    {OPT_CUES, "--cues", 0, "FILE", false, PACED,
     "narration cues: an Audacity label track (START<TAB>END<TAB>LABEL lines) or WebVTT, each "
     "label a phase that must begin at its time (or 'end', where the video ends); the phase "
     "before each cued one takes the length that puts it there (wins over --phase and --pacing)"},
    {OPT_SPEED, "--speed", 0, "X", false, PACED, "play everything X times faster, 0.01 to 100"},
    {OPT_SET, "--set", 0, "NAME=VALUE", true, PACED,
     "set a scene parameter (see 'attnviz params SCENE'; repeatable; wins over --params)"},
    {OPT_PARAMS, "--params", 0, "FILE", false, PACED,
     "scene parameters from a file: one NAME=VALUE a line, # comments; - reads standard input"},
    {OPT_FROM, "--from", 0, "PHASE", false, FRAMES,
     "start where PHASE starts, in the whole video's exact state"},
    {OPT_TO, "--to", 0, "PHASE", false, FRAMES, "end where PHASE ends"},
    {OPT_ONLY, "--only", 0, "PHASE", false, FRAMES, "just that phase (--from PHASE --to PHASE)"},
    {OPT_AT, "--at", 0, "WHEN", false, ON(CMD_STILL),
     "SECONDS, PHASE (its start), PHASE+SECONDS, or end (the last frame)"},
    {OPT_FRAME, "--frame", 0, "N", false, ON(CMD_STILL), "frame N of the video, from 0"},
    {OPT_TRANSPARENT, "--transparent", 0, NULL, false,
     RENDERS | ON(CMD_STILL) | ON(CMD_FORMULA) | ON(CMD_HASH),
     "no background: alpha in .webm, .mov and PNGs (an error for .mp4 and .gif)"},
    {OPT_COLOR, "--color", 0, "#RRGGBB", false, ON(CMD_FORMULA), "the ink (default #FFFFFF)"},
    {OPT_WORKERS, "--workers", 0, "N", false, FRAMES | ON(CMD_STORYBOARD),
     "drawing threads, 1 to 64 (default: one per core); the output does not depend on it"},
    {OPT_MEMORY, "--memory", 0, "MB", false, FRAMES,
     "a memory budget in MiB, 64 to 1048576: fewer workers and, within smaller budgets, fewer "
     "encoder threads and a shorter x264 lookahead (the bytes depend on the budget, not on the "
     "machine); a budget too small is refused up front with the smallest that fits"},
    {OPT_CRF, "--crf", 0, "N", false, RENDERS, "H.264 quality, 0 to 51 (default 23); .mp4 only"},
    {OPT_PRESET, "--preset", 0, "NAME", false, RENDERS,
     "x264 preset (default medium, or ultrafast with -q l); .mp4 only"},
    {OPT_CHAPTERS, "--chapters", 0, "FILE.vtt", false, RENDERS | ON(CMD_CONCAT),
     "also write the phases as WebVTT chapters, replaced together with the video"},
    {OPT_AUDIO, "--audio", 0, "FILE", false, FRAMES | ON(CMD_CONCAT),
     "a soundtrack (WAV, FLAC, MP3, Ogg/Opus, M4A, ...): AAC-LC in .mp4 and .mov, Opus in .webm, "
     "48 kHz stereo; cut to the video's length or padded with silence; a part carries its slice "
     "(hash: digested too; plan: given to concat, as pieces have no sound)"},
    {OPT_AUDIO_FADE, "--audio-fade", 0, "SECONDS", false, FRAMES | ON(CMD_CONCAT),
     "fade the soundtrack out over the video's last SECONDS, 0 to 60 (default 1)"},
    {OPT_AUDIO_OFFSET, "--audio-offset", 0, "SECONDS", false, FRAMES | ON(CMD_CONCAT),
     "start the soundtrack SECONDS into the video, -3600 to 3600 (negative: skip its start)"},
    {OPT_AUDIO_VOLUME, "--audio-volume", 0, "DB", false, FRAMES | ON(CMD_CONCAT),
     "the soundtrack's gain in dB, -60 to 20 (default 0)"},
    {OPT_START_NUMBER, "--start-number", 0, "N", false, ON(CMD_RENDER),
     "a PNG sequence's first file number (default 0), or 'source' for the frame's number in the "
     "whole video"},
    {OPT_SEGMENT, "--segment", 0, "K/N", false, ON(CMD_RENDER),
     "render only piece K of N (.mp4, .webm, .mov), for 'attnviz concat' to join; N from 1 to "
     "1000. Boundaries fall on phase starts or unchanged frames where they can ('man attnviz', "
     "SEGMENTS)"},
    {OPT_SEGMENTS, "--segments", 0, "N", false, ON(CMD_PLAN), "how many pieces, 1 to 1000"},
    {OPT_JOBS, "--jobs", 0, "N", false, ON(CMD_RENDER),
     "render N pieces side by side and join them, 1 to 64: the same bytes as N pieces rendered "
     "with --segment and joined with concat (a --memory budget is shared: each piece gets MB/N, "
     "rounded down, as if rendered with --memory MB/N)"},
    {OPT_ALL, "--all", 0, NULL, false, ON(CMD_RENDER),
     "render every scene into the folder -o names, as SCENE.EXT"},
    {OPT_FORMAT, "--format", 0, "EXT", false, FRAMES,
     "mp4 (default), webm, mov, gif or png: the output --all (or plan without -o) writes, or "
     "whose frames hash digests"},
    {OPT_PHASES_FORMAT, "--format", 0, "FORMAT", false, ON(CMD_PHASES),
     "text (the default), audacity (a label track of the phase starts and the end, to import "
     "into Audacity and record against) or vtt (WebVTT cues); either reads back with --cues"},
    {OPT_JSON, "--json", 0, NULL, false, ON_ALL & ~ON(CMD_HELP),
     "one line of JSON on standard output (an error: {\"error\": ..., \"exit\": ...})"},
    {OPT_QUIET, "--quiet", 0, NULL, false, ON_ALL & ~ON(CMD_HELP),
     "no progress and no summary on standard error"},
    {OPT_VERBOSE, "--verbose", 'v', NULL, true, ON_ALL & ~ON(CMD_HELP),
     "say what attnviz decided (pacing, encoder, workers, memory); twice: the encoder's own log"},
    {OPT_HELP, "--help", 'h', NULL, false, ON_ALL, "show this help"},
};

const size_t cli_option_count = sizeof cli_options / sizeof cli_options[0];

/* A preview (l) is for looking at soon: x264 ultrafast encodes it about three times as fast as
 * medium, into a bigger file (README, "Encoders"). */
static const struct quality {
    const char *name;
    int width, height, fps;
} qualities[] = {
    {"l", 854, 480, 15},
    {"m", 1280, 720, 30},
    {"h", 1920, 1080, 60},
    {"k", 3840, 2160, 60},
};

/* ── Help ──────────────────────────────────────────────────────────────────────────── */

/* Writes text wrapped at `width` columns, every line after the first indented by `indent`. */
static void wrap(FILE *f, const char *text, int column, int indent, int width) {
    while (*text) {
        int room = width - column;
        int len = (int)strlen(text), cut = len;
        if (len > room) {
            cut = room;
            while (cut > 0 && text[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = (int)strcspn(text, " ");
        }
        fprintf(f, "%.*s\n", cut, text);
        text += cut;
        while (*text == ' ')
            text++;
        if (*text)
            fprintf(f, "%*s", indent, "");
        column = indent;
    }
}

/* "-o, --output FILE" */
static int option_label(const cli_option *o, char *buf, size_t size) {
    char alias[8] = "    ";
    if (o->short_name)
        snprintf(alias, sizeof alias, "-%c, ", o->short_name);
    return snprintf(buf, size, "%s%s%s%s", alias, o->name, o->value ? " " : "",
                    o->value ? o->value : "");
}

static void write_paragraphs(FILE *f, const char *text) {
    while (*text) {
        size_t n = strcspn(text, "\n");
        char para[2048];
        snprintf(para, sizeof para, "%.*s", (int)n, text);
        wrap(f, para, 0, 0, 92);
        text += n + (text[n] == '\n');
        if (*text)
            fputc('\n', f);
    }
}

void cli_write_help(FILE *f, enum command_id command) {
    if (command == CMD_COUNT) {
        fputs("usage: attnviz COMMAND [options]\n\ncommands:\n", f);
        for (int c = 0; c < CMD_COUNT; c++)
            fprintf(f, "  %-12s %s\n", cli_commands[c].name, cli_commands[c].summary);
        fputs("\nexit codes: 0 ok, 1 failure, 2 usage, 3 bad input, 4 I/O, 5 interrupted, 6 would "
              "overwrite\n(see EXIT STATUS in 'man attnviz').\n",
              f);
        fputs("\nRun 'attnviz help COMMAND' (or 'attnviz COMMAND --help') for a command's "
              "options,\n'attnviz --version' for the versions of attnviz and its libraries, and "
              "'man attnviz'\nfor the whole manual.\n",
              f);
        return;
    }
    const cli_command *c = &cli_commands[command];
    const char *syn = c->synopsis;
    for (bool first = true; *syn; first = false) {
        size_t n = strcspn(syn, "\n");
        fprintf(f, "%s attnviz %s %.*s\n", first ? "usage:" : "      ", c->name, (int)n, syn);
        syn += n + (syn[n] == '\n');
    }
    fputc('\n', f);
    write_paragraphs(f, c->description);
    fputs("\noptions:\n", f);
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        if (!(o->commands & ON(command)))
            continue;
        char label[64];
        int n = option_label(o, label, sizeof label);
        fprintf(f, "  %s", label);
        int column = 2 + n;
        if (column > 27) {
            fprintf(f, "\n%*s", 28, "");
            column = 28;
        } else {
            fprintf(f, "%*s", 28 - column, "");
            column = 28;
        }
        wrap(f, o->help, column, 28, 92);
    }
}

/* ── Parsing ───────────────────────────────────────────────────────────────────────── */

static bool parse_int(const char *text, long min, long max, long *out) {
    char *end = NULL;
    errno = 0;
    if (!*text || !strchr("0123456789", text[*text == '-']))
        return false; /* strtol would skip spaces and take a '+' */
    long v = strtol(text, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_number(const char *text, double min, double max, double *out);

/* A number that may be negative: -NUMBER. */
static bool parse_signed(const char *text, double min, double max, double *out) {
    double v;
    if (!parse_number(text + (*text == '-'), 0, fmax(fabs(min), fabs(max)), &v))
        return false;
    v = *text == '-' ? -v : v;
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_number(const char *text, double min, double max, double *out) {
    for (const char *c = text; *c; c++)
        if (!strchr("0123456789.", *c))
            return false; /* no signs, exponents, hexadecimal or infinities */
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end || !isfinite(v) || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* Splits NAME=VALUE into a copy the args own, as a settings file's line is read. */
static bool split_setting(cli_args *a, const char *text, const char **name, const char **value) {
    char *copy = strdup(text), *n, *v;
    if (!copy)
        return false;
    a->owned[a->owned_count++] = copy;
    bool ok = avz_setting_split(copy, &n, &v);
    *name = n;
    *value = v;
    return ok;
}

static const char *option_name(size_t i, const void *ctx) {
    (void)ctx;
    return cli_options[i].name + 2;
}

static const char *command_name(size_t i, const void *ctx) {
    (void)ctx;
    return cli_commands[i].name;
}

/* The option `name` (without dashes) for the command, or NULL. */
static const cli_option *find_long(const char *name, size_t len, enum command_id cmd,
                                   bool *elsewhere) {
    *elsewhere = false;
    for (size_t i = 0; i < cli_option_count; i++)
        if (strlen(cli_options[i].name) == len + 2 &&
            !strncmp(cli_options[i].name + 2, name, len)) {
            if (cli_options[i].commands & ON(cmd))
                return &cli_options[i];
            *elsewhere = true;
        }
    return NULL;
}

static const cli_option *find_short(char c, enum command_id cmd, bool *elsewhere) {
    *elsewhere = false;
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].short_name == c) {
            if (cli_options[i].commands & ON(cmd))
                return &cli_options[i];
            *elsewhere = true;
        }
    return NULL;
}

static int unknown_option(const cli_args *a, const char *given) {
    const char *name = given + strspn(given, "-");
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)strcspn(name, "="), name);
    long near = avz_nearest(word, cli_option_count, option_name, NULL);
    char guess[80] = "";
    if (near >= 0)
        snprintf(guess, sizeof guess, "; did you mean %s?", cli_options[near].name);
    return cli_fail(AVZ_EXIT_USAGE, "unknown option %s%s (see 'attnviz help %s')", given, guess,
                    cli_commands[a->command].name);
}

/* Stores one option's value; 0 or the exit code of a usage error already reported. */
static int apply(cli_args *a, const cli_option *o, const char *shown, const char *val) {
    if (a->given[o->id] && !o->repeatable)
        return cli_fail(AVZ_EXIT_USAGE, "%s is given twice; give it once", o->name);
    a->given[o->id] = true;
    if (a->applied_count == sizeof a->applied / sizeof a->applied[0])
        return cli_fail(AVZ_EXIT_USAGE, "more than %zu options; give fewer",
                        sizeof a->applied / sizeof a->applied[0]);
    a->applied[a->applied_count++] = (struct given_option){o, val};
    long n;
    switch (o->id) {
    case OPT_OUTPUT:
    case OPT_PACING:
    case OPT_PARAMS:
    case OPT_CHAPTERS:
    case OPT_AUDIO:
    case OPT_CUES:
        if (!*val)
            return cli_fail(AVZ_EXIT_USAGE, "%s needs a file name", shown);
        *(o->id == OPT_OUTPUT     ? &a->output
          : o->id == OPT_PACING   ? &a->pacing
          : o->id == OPT_PARAMS   ? &a->params
          : o->id == OPT_CHAPTERS ? &a->chapters
          : o->id == OPT_AUDIO    ? &a->audio
                                  : &a->cues) = val;
        break;
    case OPT_PHASES_FORMAT:
        if (strcmp(val, "text") && strcmp(val, "audacity") && strcmp(val, "vtt"))
            return cli_fail(AVZ_EXIT_USAGE, "--format must be text, audacity or vtt, not \"%s\"",
                            val);
        a->phases_format = val;
        break;
    case OPT_AUDIO_FADE:
        if (!parse_number(val, 0, 60, &a->audio_fade))
            return cli_fail(AVZ_EXIT_USAGE, "--audio-fade must be seconds from 0 to 60, not \"%s\"",
                            val);
        break;
    case OPT_AUDIO_OFFSET:
        if (!parse_signed(val, -3600, 3600, &a->audio_offset))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--audio-offset must be seconds from -3600 to 3600, not \"%s\"", val);
        break;
    case OPT_AUDIO_VOLUME:
        if (!parse_signed(val, -60, 20, &a->audio_volume))
            return cli_fail(AVZ_EXIT_USAGE, "--audio-volume must be dB from -60 to 20, not \"%s\"",
                            val);
        break;
    case OPT_NO_OVERWRITE:
        a->no_overwrite = true;
        break;
    case OPT_QUALITY: {
        size_t k = 0;
        while (k < sizeof qualities / sizeof qualities[0] && strcmp(qualities[k].name, val))
            k++;
        if (k == sizeof qualities / sizeof qualities[0])
            return cli_fail(AVZ_EXIT_USAGE, "unknown quality \"%s\" (allowed: l, m, h, k)", val);
        a->quality = qualities[k].name;
        if (!a->given[OPT_SIZE]) { /* --size and --fps win over -q, in either order */
            a->width = qualities[k].width;
            a->height = qualities[k].height;
        }
        if (!a->given[OPT_FPS])
            a->fps = qualities[k].fps;
        a->size_given = true;
        break;
    }
    case OPT_FPS:
        if (!parse_int(val, 1, 240, &n))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--fps must be a whole number from 1 to 240, not \"%s\"", val);
        a->fps = (int)n;
        a->fps_given = true;
        break;
    case OPT_SIZE: {
        long w = 0, h = 0;
        const char *x = strchr(val, 'x');
        char wtext[16] = "";
        if (x && (size_t)(x - val) < sizeof wtext)
            memcpy(wtext, val, (size_t)(x - val));
        if (!x || !parse_int(wtext, MIN_SIDE, MAX_SIDE, &w) ||
            !parse_int(x + 1, MIN_SIDE, MAX_SIDE, &h) || w % 2 || h % 2)
            return cli_fail(AVZ_EXIT_USAGE,
                            "--size must be WxH with even numbers from %d to %d, not \"%s\"",
                            MIN_SIDE, MAX_SIDE, val);
        a->width = (int)w;
        a->height = (int)h;
        a->size_given = true;
        break;
    }
    case OPT_FORMULA_SIZE:
        if (!parse_number(val, 4, 1000, &a->formula_px))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--size must be an em size in pixels from 4 to 1000, "
                            "not \"%s\"",
                            val);
        break;
    case OPT_PHASE:
        if (a->phase_count == CLI_MAX_SETTINGS)
            return cli_fail(AVZ_EXIT_USAGE, "at most %d --phase options", CLI_MAX_SETTINGS);
        if (!split_setting(a, val, &a->phase_names[a->phase_count],
                           &a->phase_values[a->phase_count]))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--phase must be NAME=LEN (LEN: seconds, +S, -S or xF), not \"%s\"",
                            val);
        a->phase_count++;
        break;
    case OPT_SPEED:
        if (!parse_number(val, 0.01, 100, &a->speed))
            return cli_fail(AVZ_EXIT_USAGE, "--speed must be a number from 0.01 to 100, not \"%s\"",
                            val);
        break;
    case OPT_SET:
        if (a->set_count == CLI_MAX_SETTINGS)
            return cli_fail(AVZ_EXIT_USAGE, "at most %d --set options", CLI_MAX_SETTINGS);
        if (!split_setting(a, val, &a->set_names[a->set_count], &a->set_values[a->set_count]))
            return cli_fail(AVZ_EXIT_USAGE, "--set must be NAME=VALUE, not \"%s\"", val);
        a->set_count++;
        break;
    case OPT_FROM:
    case OPT_TO:
    case OPT_ONLY:
        if (o->id == OPT_ONLY ? (a->from || a->to) : a->only)
            return cli_fail(AVZ_EXIT_USAGE, "--only cannot be combined with --from or --to");
        if (o->id != OPT_TO)
            a->from = val;
        if (o->id != OPT_FROM)
            a->to = val;
        a->only = o->id == OPT_ONLY;
        break;
    case OPT_AT:
        a->at = val;
        break;
    case OPT_FRAME:
        if (!parse_int(val, 0, 100000000, &a->frame))
            return cli_fail(AVZ_EXIT_USAGE, "--frame must be a frame number from 0, not \"%s\"",
                            val);
        break;
    case OPT_TRANSPARENT:
        a->transparent = true;
        break;
    case OPT_COLOR:
        a->color = val;
        break;
    case OPT_WORKERS:
        if (!parse_int(val, 1, 64, &n))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--workers must be a whole number from 1 to 64, not \"%s\"", val);
        a->workers = (int)n;
        break;
    case OPT_MEMORY:
        if (!parse_int(val, 64, 1048576, &n))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--memory must be a whole number of MiB from 64 to 1048576, not \"%s\"",
                            val);
        a->memory_mb = n;
        break;
    case OPT_CRF:
        if (!parse_int(val, 0, 51, &n))
            return cli_fail(AVZ_EXIT_USAGE, "--crf must be a whole number from 0 to 51, not \"%s\"",
                            val);
        a->crf = (int)n;
        break;
    case OPT_PRESET:
        a->preset = val;
        break;
    case OPT_START_NUMBER:
        if (strcmp(val, "source") && !parse_int(val, 0, 1000000000, &n))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--start-number must be a number from 0 to 1000000000 or 'source', "
                            "not \"%s\"",
                            val);
        a->start_number = val;
        break;
    case OPT_SEGMENT: {
        const char *slash = strchr(val, '/');
        char ktext[16] = "";
        long k = 0;
        if (slash && (size_t)(slash - val) < sizeof ktext)
            memcpy(ktext, val, (size_t)(slash - val));
        if (!slash || !parse_int(ktext, 1, AVZ_SEGMENTS_MAX, &k) ||
            !parse_int(slash + 1, 1, AVZ_SEGMENTS_MAX, &n) || k > n)
            return cli_fail(AVZ_EXIT_USAGE,
                            "--segment must be K/N with 1 <= K <= N <= %d, not \"%s\"",
                            AVZ_SEGMENTS_MAX, val);
        a->segment = (unsigned)k;
        a->segments = (unsigned)n;
        break;
    }
    case OPT_SEGMENTS:
        if (!parse_int(val, 1, AVZ_SEGMENTS_MAX, &n))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--segments must be a whole number from 1 to %d, not \"%s\"",
                            AVZ_SEGMENTS_MAX, val);
        a->segments = (unsigned)n;
        break;
    case OPT_JOBS:
        if (!parse_int(val, 1, 64, &n))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--jobs must be a whole number from 1 to 64, not \"%s\"", val);
        a->jobs = (unsigned)n;
        break;
    case OPT_ALL:
        a->all = true;
        break;
    case OPT_FORMAT:
        if (strcmp(val, "mp4") && strcmp(val, "webm") && strcmp(val, "mov") && strcmp(val, "gif") &&
            strcmp(val, "png"))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--format must be mp4, webm, mov, gif or png, not \"%s\"", val);
        a->format = val;
        break;
    case OPT_JSON:
        a->json = true;
        break;
    case OPT_QUIET:
        a->quiet = true;
        break;
    case OPT_VERBOSE:
        a->verbose++;
        break;
    case OPT_HELP:
        break;
    }
    return 0;
}

/* A long option, `--name` or `--name=value`. */
static int parse_long(cli_args *a, int argc, char **argv, int *i) {
    const char *arg = argv[*i], *name = arg + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    bool elsewhere;
    const cli_option *o = find_long(name, len, a->command, &elsewhere);
    char shown[80];
    snprintf(shown, sizeof shown, "--%.*s", (int)len, name);
    if (!o && elsewhere)
        return cli_fail(AVZ_EXIT_USAGE, "%s does not apply to '%s' (see 'attnviz help %s')", shown,
                        cli_commands[a->command].name, cli_commands[a->command].name);
    if (!o)
        return unknown_option(a, arg);
    if (o->id == OPT_HELP)
        return cli_write_help(stdout, a->command), -1;
    if (!o->value && eq)
        return cli_fail(AVZ_EXIT_USAGE, "%s takes no value", o->name);
    const char *val = eq ? eq + 1 : NULL;
    if (o->value && !val) {
        if (*i + 1 >= argc)
            return cli_fail(AVZ_EXIT_USAGE, "%s needs a value (%s)", o->name, o->value);
        val = argv[++*i];
    }
    return apply(a, o, o->name, val ? val : "");
}

/* Short options, combined where they take no value: -nv, -ql, -o FILE, -oFILE. */
static int parse_short(cli_args *a, int argc, char **argv, int *i) {
    const char *arg = argv[*i];
    for (const char *c = arg + 1; *c; c++) {
        bool elsewhere;
        const cli_option *o = find_short(*c, a->command, &elsewhere);
        char shown[3] = {'-', *c, 0};
        if (!o && elsewhere)
            return cli_fail(AVZ_EXIT_USAGE, "%s does not apply to '%s' (see 'attnviz help %s')",
                            shown, cli_commands[a->command].name, cli_commands[a->command].name);
        if (!o)
            return cli_fail(AVZ_EXIT_USAGE, "unknown option %s in %s (see 'attnviz help %s')",
                            shown, arg, cli_commands[a->command].name);
        if (o->id == OPT_HELP)
            return cli_write_help(stdout, a->command), -1;
        if (!o->value) {
            int rc = apply(a, o, shown, "");
            if (rc)
                return rc;
            continue;
        }
        const char *val = c[1] ? c + 1 : NULL;
        if (!val) {
            if (*i + 1 >= argc)
                return cli_fail(AVZ_EXIT_USAGE, "%s needs a value (%s)", shown, o->value);
            val = argv[++*i];
        }
        return apply(a, o, shown, val);
    }
    return 0;
}

static int set_operand(cli_args *a, const char *arg) {
    if (cli_commands[a->command].operand == OPERAND_FILES) {
        if (!*arg)
            return cli_fail(AVZ_EXIT_USAGE, "an empty file name");
        a->inputs[a->input_count++] = arg;
        a->operand = a->inputs[0];
        return 0;
    }
    if (cli_commands[a->command].operand == OPERAND_NONE || a->operand)
        return cli_fail(AVZ_EXIT_USAGE, "unexpected argument \"%s\" (see 'attnviz help %s')", arg,
                        cli_commands[a->command].name);
    a->operand = arg;
    return 0;
}

static int find_command(const char *name, enum command_id *out) {
    for (int c = 0; c < CMD_COUNT; c++)
        if (!strcmp(name, cli_commands[c].name)) {
            *out = (enum command_id)c;
            return 0;
        }
    long near = avz_nearest(name, CMD_COUNT, command_name, NULL);
    char guess[64] = "";
    if (near >= 0)
        snprintf(guess, sizeof guess, "; did you mean '%s'?", cli_commands[near].name);
    return cli_fail(AVZ_EXIT_USAGE, "unknown command \"%s\"%s (see 'attnviz --help')", name, guess);
}

const char *cli_audio_shaping(const cli_args *a) {
    return a->given[OPT_AUDIO_FADE]     ? "--audio-fade"
           : a->given[OPT_AUDIO_OFFSET] ? "--audio-offset"
           : a->given[OPT_AUDIO_VOLUME] ? "--audio-volume"
                                        : NULL;
}

int cli_parse(cli_args *a, int argc, char **argv) {
    *a = (cli_args){
        .width = 1920, .height = 1080, .fps = 60, .crf = -1, .frame = -1, .audio_fade = 1};
    if (argc < 2) {
        cli_write_help(stderr, CMD_COUNT);
        return AVZ_EXIT_USAGE;
    }
    const char *first = argv[1];
    if (!strcmp(first, "--help") || !strcmp(first, "-h"))
        return cli_write_help(stdout, CMD_COUNT), -1;
    if (!strcmp(first, "--version")) {
        bool json = argc > 2 && !strcmp(argv[2], "--json");
        if (argc > 2 + json)
            return cli_fail(AVZ_EXIT_USAGE, "--version takes only --json");
        if (json) {
            json_versions(stdout);
            fputc('\n', stdout);
        } else {
            print_versions(stdout);
        }
        return -1;
    }
    int rc = find_command(first, &a->command);
    if (!rc && cli_commands[a->command].operand == OPERAND_FILES &&
        !(a->inputs = calloc((size_t)argc, sizeof *a->inputs)))
        rc = cli_fail(AVZ_EXIT_FAILURE, "out of memory");
    bool options_end = false;
    for (int i = 2; i < argc && !rc; i++) {
        const char *arg = argv[i];
        if (options_end || arg[0] != '-' || !strcmp(arg, "-"))
            rc = set_operand(a, arg);
        else if (!strcmp(arg, "--"))
            options_end = true;
        else if (arg[1] == '-')
            rc = parse_long(a, argc, argv, &i);
        else
            rc = parse_short(a, argc, argv, &i);
    }
    /* Shaping a soundtrack that is not there is a mistake, not a no-op (a piece, which has
     * no sound, says so itself). */
    const char *shaping = cli_audio_shaping(a);
    if (!rc && shaping && !a->given[OPT_AUDIO] && !a->segment)
        rc = cli_fail(AVZ_EXIT_USAGE, "%s shapes a soundtrack: give --audio FILE too", shaping);
    if (!rc && a->command == CMD_HELP) {
        enum command_id which = CMD_COUNT;
        if (a->operand && (rc = find_command(a->operand, &which)))
            return rc;
        cli_write_help(stdout, which);
        return -1;
    }
    return rc;
}

void cli_args_free(cli_args *a) {
    free(a->inputs);
    a->inputs = NULL;
    for (size_t i = 0; i < a->wrote_count; i++)
        free(a->wrote[i]);
    free(a->wrote);
    a->wrote = NULL;
    a->wrote_count = 0;
    for (size_t i = 0; i < a->owned_count; i++)
        free(a->owned[i]);
    a->owned_count = 0;
}
