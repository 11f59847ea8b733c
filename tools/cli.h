/* attnviz command line: `attnviz COMMAND ...`, its exit codes, and what cli_args.c (help and
 * parsing) and cli.c (loading scenes and running commands) share. Uses only the public API. */
#ifndef ATTNVIZ_TOOLS_CLI_H
#define ATTNVIZ_TOOLS_CLI_H
#include <stdbool.h>
#include <stddef.h>

#define AVZ_CLI_MAX_SETTINGS 64

/* Which commands an option applies to: a bit per command. */
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

/* Everything the command line can say; each command reads the part it needs. */
typedef struct cli_args {
    const char *command;
    const char *scene;
    const char *output;
    int width, height, fps, workers, crf;
    bool size_given, fps_given; /* by -q, --size or --fps, rather than the defaults */
    const char *preset;         /* --preset */
    const char *quality_preset; /* the x264 preset -q implies when --preset is not given */
    const char *at;
    const char *from, *to; /* phase names: --from, --to (--only sets both) */
    const char *pacing;    /* --pacing FILE */
    const char *chapters;  /* --chapters FILE.vtt */
    const char *format;    /* --format EXT, with --all */
    bool only;             /* --from and --to came from --only */
    bool quiet, json, transparent, all;
    unsigned for_command; /* the command's bit in the options table */
    double speed;
    const char *phase_names[AVZ_CLI_MAX_SETTINGS];
    double phase_seconds[AVZ_CLI_MAX_SETTINGS];
    size_t phase_count;
    const char *set_names[AVZ_CLI_MAX_SETTINGS];
    const char *set_values[AVZ_CLI_MAX_SETTINGS];
    size_t set_count;
    char *owned[2 * AVZ_CLI_MAX_SETTINGS]; /* copies of NAME=VALUE split at '=' */
    size_t owned_count;
} cli_args;

/* Prints "attnviz: MESSAGE" on stderr as one line, control characters escaped; returns code. */
int avz_cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A finite number, the whole of text. */
bool avz_cli_parse_seconds(const char *text, double *out);

/* Parses argv[2..] for a command: the options its command_bit allows and, when it takes
 * one, its scene. Returns 0, -1 when --help printed usage, or the exit code of a usage error
 * already reported. Free the args with avz_cli_args_free either way. */
int avz_cli_parse(cli_args *a, const char *command, unsigned command_bit, bool takes_scene,
                  const char *usage, int argc, char **argv);
void avz_cli_args_free(cli_args *a);

extern const char avz_cli_usage_main[];
extern const char avz_cli_usage_render[];
extern const char avz_cli_usage_still[];
extern const char avz_cli_usage_storyboard[];
extern const char avz_cli_usage_hash[];
extern const char avz_cli_usage_phases[];
extern const char avz_cli_usage_list[];
extern const char avz_cli_usage_params[];

enum avz_exit_code {
    AVZ_EXIT_OK = 0,
    AVZ_EXIT_FAILURE = 1,     /* an internal failure (out of memory, encoder crash) */
    AVZ_EXIT_USAGE = 2,       /* malformed command line: unknown flag, bad number or size */
    AVZ_EXIT_INPUT = 3,       /* well-formed but wrong: unknown scene, phase or parameter */
    AVZ_EXIT_IO = 4,          /* cannot read fonts or write the output */
    AVZ_EXIT_INTERRUPTED = 5, /* stopped by SIGINT/SIGTERM; no file was written */
};

int avz_cli_main(int argc, char **argv);

#endif
