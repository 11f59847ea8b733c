/* libFuzzer target: the command line, run in-process. The input is the arguments, one a
 * line (NUL also ends one), so no argument holds a newline. Only commands that write no file run:
 * list, params, phases, help and version. Each ends with a documented exit code, and one line on
 * stderr exactly when it fails; nothing crashes, leaks or hangs. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "support.h"

#define MAX_ARGS 32

static const char *const read_only[] = {"list",   "params", "phases",   "help",
                                        "--help", "-h",     "--version"};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    /* Listings are not checked; keep them off the fuzzer's log. */
    if (!freopen("/dev/null", "w", stdout))
        exit(1);
    return 0;
}

static bool allowed(const char *command) {
    for (size_t i = 0; i < sizeof read_only / sizeof read_only[0]; i++)
        if (strcmp(command, read_only[i]) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    char *argv[MAX_ARGS + 2] = {"attnviz"};
    int argc = 1;
    for (size_t start = 0, i = 0; i <= size && argc <= MAX_ARGS; i++) {
        if (i == size || text[i] == '\n' || text[i] == '\0') {
            text[i] = '\0';
            argv[argc++] = text + start;
            start = i + 1;
        }
    }
    argv[argc] = NULL;
    /* Without arguments attnviz prints its usage, many lines, by design. */
    if (argc < 2 || !allowed(argv[1])) {
        free(text);
        return 0;
    }

    char *err_text = NULL;
    size_t err_size = 0;
    FILE *captured = open_memstream(&err_text, &err_size);
    if (!captured)
        abort();
    /* glibc's stderr is a variable: the CLI's messages land in memory, while sanitizer and
     * fuzzer reports still go to file descriptor 2. */
    FILE *real_stderr = stderr;
    stderr = captured;
    int rc = avz_cli_main(argc, argv);
    stderr = real_stderr;
    fclose(captured);

    /* 4: an unreadable --pacing file; 1 (internal) and 5 (interrupted) have no cause here. */
    bool known =
        rc == AVZ_EXIT_OK || rc == AVZ_EXIT_USAGE || rc == AVZ_EXIT_INPUT || rc == AVZ_EXIT_IO;
    size_t lines = 0;
    for (size_t i = 0; i < err_size; i++)
        lines += err_text[i] == '\n';
    bool one_line =
        lines == 1 && err_text[err_size - 1] == '\n' && !strncmp(err_text, "attnviz: ", 9);
    if (!known || (rc == AVZ_EXIT_OK ? err_size != 0 : !one_line)) {
        fprintf(stderr, "fuzz_cli: exit %d with stderr \"%s\"\n", rc, err_text);
        abort();
    }
    free(err_text);
    free(text);
    return 0;
}
