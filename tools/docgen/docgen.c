/* attnviz's documents, written at build time from the command line's tables: the manual page
 * and the shell completions. `docgen man|bash|zsh FILE`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fputs("usage: docgen man|bash|zsh FILE\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        return 4;
    }
    if (!strcmp(argv[1], "man"))
        cli_write_man(f);
    else if (!strcmp(argv[1], "bash"))
        cli_write_bash_completion(f);
    else if (!strcmp(argv[1], "zsh"))
        cli_write_zsh_completion(f);
    else
        fprintf(stderr, "docgen: unknown document %s\n", argv[1]);
    return fclose(f) == 0 ? 0 : 4;
}
