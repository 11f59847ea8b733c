/* attnviz cancellation: a flag, usually set by a signal handler, that stops work in progress.
 * Once it is non-zero, renders stop at the next frame and no output file is replaced: a file
 * being written is removed instead of being renamed onto its target. */
#ifndef ATTNVIZ_CANCEL_H
#define ATTNVIZ_CANCEL_H

#include <signal.h>
#include <stdbool.h>

#include "attnviz/api.h"

AVZ_BEGIN_DECLS

/* Watches *flag from now on (NULL: nothing). */
AVZ_API void avz_cancel_on(const volatile sig_atomic_t *flag);
/* True once the watched flag is set. */
AVZ_API bool avz_cancelled(void);

AVZ_END_DECLS

#endif
