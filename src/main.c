/* attnviz command line entry point. */
#include "attnviz/cli.h"

int main(int argc, char **argv) {
    return avz_cli_main(argc, argv);
}
