/* attnviz command line entry point. */
#include "cli.h"

int main(int argc, char **argv) {
    return avz_cli_main(argc, argv);
}
