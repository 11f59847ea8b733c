/* attnviz command line, output folders: `render --all -o DIR` and a PNG sequence may write into
 * a folder that does not exist yet. It is made (with its missing parents), and removed again
 * when the command fails, so that a failure leaves the file system as it found it. */
#ifndef ATTNVIZ_TOOLS_FOLDERS_H
#define ATTNVIZ_TOOLS_FOLDERS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct folders {
    char *made[32]; /* in the order made: parents first */
    size_t count;
} folders;

/* Makes dir and its missing parents; 0 or the exit code of an error already reported. */
int folders_make(folders *f, const char *dir);
/* For an output path: makes a PNG sequence's folder; other outputs' folders must exist. */
int folders_make_for(folders *f, const char *path);
/* Removes the folders made, newest first, unless the command succeeded. */
void folders_finish(folders *f, bool succeeded);

#endif
