/* attnviz errors: library functions return 0 or a negative errno-style code, and may fill an
 * avz_error with one human-readable line naming what was wrong. Only the CLI prints it. */
#ifndef ATTNVIZ_ERROR_H
#define ATTNVIZ_ERROR_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "attnviz/api.h"

AVZ_BEGIN_DECLS

typedef struct avz_error {
    int code;      /* the negative code that was returned, 0 when none */
    char msg[512]; /* one line, no trailing newline */
} avz_error;

/* Records code and a printf-style message in err (which may be NULL); returns code, so that
 * callers can write `return avz_error_set(err, -EINVAL, "...", ...);`. A second call on an
 * error that already holds one keeps the first: the earliest cause is the useful one. */
AVZ_API int avz_error_set(avz_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Room for a path or a user's word quoted in a message: with two of them a message still has
 * space for its cause. */
#define AVZ_SHORT 160

/* text as it may be quoted in a message of limited length: whole when it fits in size - 1
 * bytes, else its beginning and its end with "…" between them, cut between UTF-8 characters.
 * Returns buf. */
AVZ_API const char *avz_shorten(char *buf, size_t size, const char *text);

/* Formats a one-line message into out: a word (a run without spaces) longer than AVZ_SHORT
 * bytes, a path or a value someone gave, is shortened in its middle as avz_shorten does, so
 * that what follows it, the reason, is never cut off. avz_error_set formats with it. */
AVZ_API void avz_vformat_message(char *out, size_t size, const char *fmt, va_list ap);

/* The names name(0, ctx) .. name(count - 1, ctx) joined with ", " into buf, cut to fit, for
 * messages that list what is allowed. Returns buf. */
AVZ_API const char *avz_join(char *buf, size_t size, size_t count,
                             const char *(*name)(size_t index, const void *ctx), const void *ctx);

/* Of the same names, the index of the one nearest to word by edit distance, when near enough
 * to be a slip of the keyboard (at most 2 edits, a swap of neighbours being one, and at most a
 * third of its letters); else -1. For "did you mean ...?" in messages. */
AVZ_API long avz_nearest(const char *word, size_t count,
                         const char *(*name)(size_t index, const void *ctx), const void *ctx);

/* The longest name of a scene, phase or parameter. */
#define AVZ_MAX_NAME 64

/* A name to type on the command line (scenes, phases, parameters): a lower-case letter, then
 * lower-case letters, digits, '-' and '_', at most AVZ_MAX_NAME bytes. Nothing in it needs
 * quoting in a shell, a table, a cue file or JSON, nor reads as a number or an option. */
AVZ_API bool avz_valid_name(const char *name);

AVZ_END_DECLS

#endif
