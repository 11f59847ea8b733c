/* attnviz output files, held: every writer in the library (avz_render_video, avz_render_still,
 * avz_render_storyboard, avz_png_write, avz_concat) writes into temporaries beside its targets
 * and renames them onto the targets as it finishes, all of a render's files or none. While a
 * thread holds its outputs, the writers it calls leave their finished files waiting instead, so
 * that the caller replaces them all at once or none: several renders as one, or a render that
 * counts only once its caller has also reported it (a summary that must reach its reader).
 * Writers on other threads are not held; the hold is committed or freed on the thread that
 * took it. */
#ifndef ATTNVIZ_OUTFILE_PUBLIC_H
#define ATTNVIZ_OUTFILE_PUBLIC_H

#include "attnviz/api.h"
#include "attnviz/error.h"

AVZ_BEGIN_DECLS

typedef struct avz_outputs avz_outputs;

/* Starts holding the calling thread's finished files: -EBUSY when it already holds them,
 * -ENOMEM. */
AVZ_API int avz_outputs_hold(avz_outputs **out, avz_error *err);

/* Ends the hold and replaces every held target with its new file, all or none: a rename that
 * fails puts back what the others replaced. confirm, when not NULL, is called once every file
 * is in place; a non-zero return (with err set) puts every previous file back too, and is
 * returned. (A previous file is kept aside as a hard link: on a file system without them, a
 * replaced file cannot be put back, and a target that was new is removed.) Stopped (cancel.h)
 * before it begins, it replaces nothing: -EINTR. */
AVZ_API int avz_outputs_commit(avz_outputs *held, int (*confirm)(void *ctx, avz_error *err),
                               void *ctx, avz_error *err);

/* Ends the hold if the commit has not, and removes the files still waiting. NULL is allowed. */
AVZ_API void avz_outputs_free(avz_outputs *held);

/* A hidden scratch folder beside a file, for what a command writes on its way to it (the
 * pieces `render --jobs` joins). While it exists, a lock in the file's folder keeps other
 * renders off it; if the process dies, the next render into that folder removes it with the
 * rest of what the dead one left. avz_scratch_free removes it and everything in it. */
typedef struct avz_scratch avz_scratch;
AVZ_API int avz_scratch_new(const char *beside, avz_scratch **out, avz_error *err);
AVZ_API const char *avz_scratch_path(const avz_scratch *scratch);
AVZ_API void avz_scratch_free(avz_scratch *scratch);

AVZ_END_DECLS

#endif
