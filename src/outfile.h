/* attnviz output files: every file a render writes is first written under a temporary name
 * beside its target, and the files of one render (a video and its chapters, every frame of a
 * PNG sequence) are renamed onto their targets together at the end: all of them, or, when a
 * rename fails, none (the targets renamed so far get their previous content back). A reader,
 * a failed render or a crash sees the previous files or the finished ones, never a part.
 *
 * Temporaries are named ".NAME.attnviz-TOKEN.N" beside the target NAME (NAME shortened so
 * that the whole fits NAME_MAX); while a render runs it holds a lock on ".attnviz-TOKEN.lock"
 * in each folder it writes to. A render that died without cleaning up (SIGKILL, the OOM killer,
 * a power cut) leaves an unlocked lock file: the next render into that folder removes it and
 * its temporaries. Nothing else in the folder is touched. */
#ifndef ATTNVIZ_OUTFILE_H
#define ATTNVIZ_OUTFILE_H

#include <stddef.h>

#include "attnviz/error.h"
#include "attnviz/outfile.h"

/* The files of one render, replaced together. */
typedef struct avz_outset avz_outset;

int avz_outset_new(avz_outset **out);
/* Removes every temporary not yet committed and releases the locks. NULL is allowed. */
void avz_outset_free(avz_outset *set);

/* Adds target to the set: creates its temporary (mode 0666 less the umask, as any new file)
 * and returns its descriptor in *fd and, when tmp_path is not NULL, its name in *tmp_path
 * (owned by the set). A symlink is followed: the file it points to is the one replaced, and its
 * folder holds the temporary. Refuses a target that is a directory or exists as anything but a
 * regular file. The descriptor stays open until avz_outset_close or the commit. */
int avz_outset_add(avz_outset *set, const char *target, int *fd, const char **tmp_path,
                   avz_error *err);
/* Flushes and closes a descriptor avz_outset_add returned, now rather than at the commit (a PNG
 * sequence would otherwise hold one per frame). */
int avz_outset_close(avz_outset *set, int fd, avz_error *err);
/* Flushes every temporary to disk and renames each onto its target, in the order added. On
 * failure the targets are as they were and the temporaries are gone. The set is empty after.
 * While the calling thread holds its outputs (avz_outputs_hold), the flushed temporaries join
 * the held set instead, to be renamed with it. */
int avz_outset_commit(avz_outset *set, avz_error *err);

/* One file on its own: the set of one, written and committed by the caller. */
int avz_outfile_write(const char *target, const void *data, size_t len, avz_error *err);

/* Writes all len bytes, retrying short writes and EINTR; 0 or a negative errno. */
int avz_write_all(int fd, const void *data, size_t len);

#endif
