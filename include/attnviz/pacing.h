/* attnviz pacing files: the `--phase NAME=SECONDS` settings kept in a file, so that pacing can
 * live under version control. One NAME=SECONDS a line; `#` starts a comment; blank lines are
 * skipped. Phase names are checked later, against the scene. */
#ifndef ATTNVIZ_PACING_H
#define ATTNVIZ_PACING_H

#include <stddef.h>

#include "attnviz/api.h"
#include "attnviz/error.h"

/* The longest a phase may be paced to, in seconds (the same bound as --phase). */
#define AVZ_PACING_MAX_SECONDS 3600.0

/* The largest pacing file read, in bytes: a phase a line needs far less, and a bound keeps a
 * device such as /dev/zero, given by mistake, from being read forever. */
#define AVZ_PACING_MAX_BYTES (64 * 1024)

typedef struct avz_pacing_entry {
    char *name;
    double seconds;
    unsigned line; /* 1-based, for messages */
} avz_pacing_entry;

typedef struct avz_pacing_file {
    avz_pacing_entry *entries;
    size_t count;
} avz_pacing_file;

/* Reads path into out. A file that cannot be read fails with its negative errno; one larger
 * than AVZ_PACING_MAX_BYTES or holding a NUL byte fails with -EINVAL; a line that
 * is not NAME=SECONDS (seconds in (0, AVZ_PACING_MAX_SECONDS]) or names a phase already set
 * fails with -EINVAL and a message starting "path:line:". */
AVZ_API int avz_pacing_read(const char *path, avz_pacing_file *out, avz_error *err);
AVZ_API void avz_pacing_file_free(avz_pacing_file *pf);

#endif
