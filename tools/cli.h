/* attnviz command line: `attnviz COMMAND [options] [OPERAND]`. What its files share: the exit
 * codes, the tables of commands and options (options.c: the help texts, the manual page and the
 * shell completions are all written from them), the parsed arguments, and the plumbing every
 * command uses (cli.c): one-line errors, standard output that is checked, signals, loading a
 * scene. Uses only the public API. */
#ifndef ATTNVIZ_TOOLS_CLI_H
#define ATTNVIZ_TOOLS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "attnviz/plugin.h"
#include "attnviz/timeline.h"
#include "folders.h"

/* ── Exit codes ──────────────────────────────────────────────────────────────────────── */
enum avz_exit_code {
    AVZ_EXIT_OK = 0,
    AVZ_EXIT_FAILURE = 1,     /* an internal failure: out of memory, an encoder that fails */
    AVZ_EXIT_USAGE = 2,       /* a malformed command line: unknown flag, bad number, size or
                               * length, a flag the command or output does not take, a malformed
                               * settings file, a request over a limit */
    AVZ_EXIT_INPUT = 3,       /* well-formed but wrong: unknown scene, phase or parameter, a bad
                               * parameter value, a broken plug-in */
    AVZ_EXIT_IO = 4,          /* cannot read an input (fonts, a file) or write an output */
    AVZ_EXIT_INTERRUPTED = 5, /* stopped by a signal; nothing was replaced */
    AVZ_EXIT_EXISTS = 6,      /* --no-overwrite, and the output exists */
};

/* ── Commands and options ────────────────────────────────────────────────────────────── */
enum command_id {
    CMD_RENDER,
    CMD_STILL,
    CMD_STORYBOARD,
    CMD_FORMULA,
    CMD_HASH,
    CMD_PLAN,
    CMD_CONCAT,
    CMD_PHASES,
    CMD_PARAMS,
    CMD_LIST,
    CMD_HELP,
    CMD_COUNT
};

#define ON(cmd) (1u << (cmd))
#define ON_PACED                                                                                   \
    (ON(CMD_RENDER) | ON(CMD_PLAN) | ON(CMD_STILL) | ON(CMD_STORYBOARD) | ON(CMD_HASH) |           \
     ON(CMD_PHASES))
#define ON_ALL ((1u << CMD_COUNT) - 1)

typedef enum operand_kind {
    OPERAND_NONE,
    OPERAND_SCENE,
    OPERAND_TEX,
    OPERAND_COMMAND,
    OPERAND_FILES /* one or more */
} operand_kind;

typedef struct cli_command {
    const char *name;
    operand_kind operand;
    const char *synopsis;    /* after "attnviz NAME " */
    const char *summary;     /* one line */
    const char *description; /* paragraphs, '\n' between them */
} cli_command;

enum option_id {
    OPT_OUTPUT,
    OPT_NO_OVERWRITE,
    OPT_QUALITY,
    OPT_FPS,
    OPT_SIZE,
    OPT_FORMULA_SIZE,
    OPT_PHASE,
    OPT_PACING,
    OPT_CUES,
    OPT_SPEED,
    OPT_SET,
    OPT_PARAMS,
    OPT_FROM,
    OPT_TO,
    OPT_ONLY,
    OPT_AT,
    OPT_FRAME,
    OPT_TRANSPARENT,
    OPT_COLOR,
    OPT_WORKERS,
    OPT_MEMORY,
    OPT_CRF,
    OPT_PRESET,
    OPT_CHAPTERS,
    OPT_AUDIO,
    OPT_AUDIO_FADE,
    OPT_AUDIO_OFFSET,
    OPT_AUDIO_VOLUME,
    OPT_START_NUMBER,
    OPT_SEGMENT,
    OPT_SEGMENTS,
    OPT_JOBS,
    OPT_ALL,
    OPT_FORMAT,
    OPT_PHASES_FORMAT,
    OPT_JSON,
    OPT_QUIET,
    OPT_VERBOSE,
    OPT_HELP,
};

typedef struct cli_option {
    enum option_id id;
    const char *name;  /* "--output" */
    char short_name;   /* 'o', or 0 */
    const char *value; /* the value's name in help ("FILE"); NULL for a flag */
    bool repeatable;
    unsigned commands; /* ON(...) bits */
    const char *help;
} cli_option;

extern const cli_command cli_commands[CMD_COUNT];
extern const cli_option cli_options[];
extern const size_t cli_option_count;

/* ── Parsed arguments ────────────────────────────────────────────────────────────────── */
#define CLI_MAX_SETTINGS 64

typedef struct cli_args {
    enum command_id command;
    const char *operand; /* the scene, formula or command named */
    const char *output;
    bool no_overwrite;
    const char *quality; /* l, m, h or k */
    int width, height, fps;
    bool size_given, fps_given; /* by -q, --size or --fps, rather than the defaults */
    double formula_px;          /* formula --size */
    const char *phase_names[CLI_MAX_SETTINGS];
    const char *phase_values[CLI_MAX_SETTINGS];
    size_t phase_count;
    const char *pacing, *params; /* settings files */
    const char *cues;            /* --cues FILE */
    const char *phases_format;   /* phases --format: text, audacity, vtt */
    double speed;
    const char *set_names[CLI_MAX_SETTINGS];
    const char *set_values[CLI_MAX_SETTINGS];
    size_t set_count;
    const char *from, *to; /* phase names: --from, --to (--only sets both) */
    bool only;
    const char *at;
    long frame; /* --frame, or -1 */
    bool transparent;
    const char *color;
    int workers, crf;
    long memory_mb; /* --memory; 0: no budget */
    const char *preset;
    const char *chapters;
    const char *audio;                             /* --audio FILE */
    double audio_fade, audio_offset, audio_volume; /* seconds, seconds, dB */
    const char *start_number;                      /* a number, or "source" */
    unsigned segment, segments; /* render --segment K/N, plan --segments N; 0: none */
    unsigned jobs;              /* render --jobs N; 0: none */
    const char **inputs;        /* OPERAND_FILES: the files named, in order */
    size_t input_count;
    /* Every option as given, in order, for plan to pass on. */
    struct given_option {
        const cli_option *option;
        const char *value;
    } applied[4 * CLI_MAX_SETTINGS];
    size_t applied_count;
    bool all;
    const char *format;
    bool json, quiet;
    int verbose;
    bool given[OPT_HELP + 1];          /* which options were given, for clashes */
    char *owned[2 * CLI_MAX_SETTINGS]; /* copies of NAME=VALUE split at '=' */
    size_t owned_count;
    char **wrote; /* "wrote FILE" lines, held until the files are in place */
    size_t wrote_count;
    bool report_sent; /* stdout's report went out, then stderr failed: nothing more to say */
    folders made;     /* render's new folders, removed again unless its files are put in place */
} cli_args;

/* Parses argv[1..]: the command, its options and its operand. Returns 0, -1 when help or the
 * version was printed, or the exit code of a usage error already reported. Free the args with
 * cli_args_free either way. */
int cli_parse(cli_args *a, int argc, char **argv);
void cli_args_free(cli_args *a);
/* The first of --audio-fade, --audio-offset and --audio-volume given, or NULL. */
const char *cli_audio_shaping(const cli_args *a);

/* The help of a command (or, for CMD_COUNT, of attnviz as a whole), as `--help` prints it. */
void cli_write_help(FILE *f, enum command_id command);
/* The manual page, in roff (docs.c), and the shell completions. */
void cli_write_man(FILE *f);
void cli_write_bash_completion(FILE *f);
void cli_write_zsh_completion(FILE *f);

/* ── Plumbing (cli.c) ───────────────────────────────────────────────────────────────── */

/* Prints "attnviz: MESSAGE" on stderr as one line (control characters escaped), ending a
 * progress bar's line first; with --json, also {"error": ..., "exit": CODE} on stdout.
 * Returns code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The exit code for a library error: -ENOMEM 1, -EINTR 5, -EINVAL and -EILSEQ `invalid`,
 * -E2BIG (a limit) 2, I/O errors 4. */
int cli_exit_for(int rc, int invalid);
/* cli_fail for a library error rc with its message: cli_exit_for's code; a render stopped
 * because standard error could not be written says so rather than "interrupted". */
int cli_fail_error(int rc, int invalid, const char *msg);
/* Holds a "wrote FILE: ..." line for stderr (none with --quiet): it is printed once the
 * command's files have replaced their targets, never for files put back. */
void cli_wrote(cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a line on stderr for -v. */
void cli_note(const cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The signal that asked attnviz to stop, or 0. */
int cli_interrupted(void);
/* Around a plug-in's own code (its constructors as it loads, its scene's build): what it
 * prints on standard output, which is the command's report, goes to standard error instead,
 * and an exit() from it fails the command (exit 3, its files put back) rather than ending it
 * with the plug-in's status. who names the plug-in in that message. */
void cli_plugin_enter(const char *who);
void cli_plugin_leave(void);

/* A scene built and paced as the arguments ask. */
typedef struct loaded {
    const char *name;   /* the scene's */
    const char *origin; /* "built-in" or its plug-in file */
    avz_fonts *fonts;
    avz_scene *scene;
    avz_timeline *tl;
    uint64_t params_digest; /* of the parameters given, in order */
} loaded;

int cli_load(const cli_args *a, loaded *l);
void cli_unload(loaded *l);
/* The index of a phase named by an option, or an input error. */
int cli_find_phase(const loaded *l, const char *option, const char *name, size_t *index);
/* A phase paced so short that no frame at fps shows it would vanish from the video
 * unnoticed: an input error naming it. */
int cli_check_phases(const loaded *l, int fps);
/* Fonts alone, for formula. */
int cli_open_fonts(avz_fonts **fonts);

/* Refuses an output that exists when --no-overwrite is given, or that is also an input. */
int cli_check_output(const cli_args *a, const char *path);
/* Refuses a path whose file name is longer than NAME_MAX (exit 4, reported). */
int cli_check_name(const char *path);

/* ── JSON on standard output (json.c) ────────────────────────────────────────────────── */
/* The length of the valid UTF-8 sequence at s (not a surrogate, not overlong), or 0. */
size_t cli_utf8_length(const unsigned char *s);
void json_string(FILE *f, const char *text);
/* The versions of attnviz and of the libraries that decide the output bytes, as one JSON
 * object, and as lines for --version (versions.c). */
void json_versions(FILE *f);
void print_versions(FILE *f);

/* ── The commands ────────────────────────────────────────────────────────────────────── */
int cmd_render(cli_args *a);
int cmd_hash(cli_args *a);
int cmd_still(cli_args *a);
int cmd_storyboard(cli_args *a);
int cmd_formula(cli_args *a);
int cmd_phases(cli_args *a);
int cmd_params(cli_args *a);
int cmd_list(cli_args *a);
int cmd_plan(cli_args *a);
int cmd_concat(cli_args *a);

int avz_cli_main(int argc, char **argv);

#endif
