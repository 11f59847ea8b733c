/* attnviz output files: each is written under a temporary name beside its target and renamed
 * onto it once whole, so that a reader (or a failed render) sees the previous file or the
 * finished one, never a part. */
#ifndef ATTNVIZ_OUTFILE_H
#define ATTNVIZ_OUTFILE_H

#include <stddef.h>

#include "attnviz/error.h"

/* Creates ".<name>.XXXXXX" beside path and opens it for writing: *tmp (to free) and *fd.
 * Refuses a path that is a directory or exists as anything but a regular file. */
int avz_outfile_create(const char *path, char **tmp, int *fd, avz_error *err);

/* Flushes and closes fd, then renames tmp onto path; on failure removes tmp. */
int avz_outfile_publish(int fd, const char *tmp, const char *path, avz_error *err);

/* Writes all len bytes, retrying short writes and EINTR; 0 or a negative errno. */
int avz_write_all(int fd, const void *data, size_t len);

#endif
