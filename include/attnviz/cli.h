/* attnviz command line: `attnviz COMMAND ...`, and its exit codes. */
#ifndef ATTNVIZ_CLI_H
#define ATTNVIZ_CLI_H

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
