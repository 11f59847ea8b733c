/* attnviz settings files: `NAME=VALUE` a line, for keeping pacing (`--pacing FILE`) and scene
 * parameters (`--params FILE`) under version control. `#` starts a comment, blank lines are
 * skipped, spaces around the name and the value are dropped, a UTF-8 byte-order mark and CRLF
 * line ends are allowed. What a value means is for the caller: pacing values are read with
 * avz_pace_parse, parameters by the scene's declarations. */
#ifndef ATTNVIZ_SETTINGS_H
#define ATTNVIZ_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "attnviz/api.h"
#include "attnviz/error.h"

AVZ_BEGIN_DECLS

/* The largest settings file read, in bytes: a setting a line needs far less, and a bound keeps
 * a device such as /dev/zero, given by mistake, from being read forever. */
#define AVZ_SETTINGS_MAX_BYTES (64 * 1024)

typedef struct avz_setting {
    char *name, *value;
    unsigned line; /* 1-based, for messages */
} avz_setting;

typedef struct avz_settings {
    avz_setting *items;
    size_t count;
} avz_settings;

/* Reads path ("-": standard input) into out. A file that cannot be read fails with its
 * negative errno; one larger than AVZ_SETTINGS_MAX_BYTES, holding a NUL byte or invalid UTF-8,
 * a line that is not NAME=VALUE, or a name set twice fails with -EINVAL and a message starting
 * "PATH:LINE:". */
AVZ_API int avz_settings_read(const char *path, avz_settings *out, avz_error *err);
AVZ_API void avz_settings_free(avz_settings *settings);
/* Splits text, one NAME=VALUE, in place as a line of a settings file is read (a command line's
 * --set, say): whitespace around the name and the value dropped. False unless both are left
 * non-empty and the name holds no blank. */
AVZ_API bool avz_setting_split(char *text, char **name, char **value);

/* ── Narration cues ────────────────────────────────────────────────────────────────────── */

/* A label at a time: where a phase (named by the label) must begin. */
typedef struct avz_cue {
    char *label;
    double start; /* seconds */
    unsigned line;
} avz_cue;

typedef struct avz_cues {
    avz_cue *items;
    size_t count;
} avz_cues;

/* Reads path ("-": standard input), an Audacity label track (START<TAB>END<TAB>LABEL a line,
 * as Audacity exports labels; its spectral lines, which start with '\', are skipped) or, when
 * it starts with WEBVTT, WebVTT (a cue's first text line is its label). Fails as
 * avz_settings_read does, and with -EINVAL and "PATH:LINE:" for a line that is neither. */
AVZ_API int avz_cues_read(const char *path, avz_cues *out, avz_error *err);
AVZ_API void avz_cues_free(avz_cues *cues);

/* seconds as WebVTT writes a time, "hh:mm:ss.mmm" (buf: at least 16 bytes). */
AVZ_API void avz_vtt_time(char *buf, size_t size, double seconds);

/* ── Pacing values ─────────────────────────────────────────────────────────────────────── */

/* The longest a phase may be paced to, in seconds. */
#define AVZ_PACE_MAX_SECONDS 3600.0

typedef enum avz_pace_kind {
    AVZ_PACE_SECONDS, /* "6", "6.5": that long */
    AVZ_PACE_LONGER,  /* "+2", "-1.5": longer (shorter) than it was by that much */
    AVZ_PACE_TIMES,   /* "x1.5": that many times as long */
} avz_pace_kind;

typedef struct avz_pace {
    avz_pace_kind kind;
    double amount;
} avz_pace;

/* Reads a pacing value: digits with at most one '.', after '+', '-' or 'x' for the relative
 * forms (no exponents, hexadecimal or infinities). -EINVAL for anything else. */
AVZ_API int avz_pace_parse(const char *text, avz_pace *out);
/* The length a phase of `nominal` seconds gets; the caller checks it lies in
 * (0, AVZ_PACE_MAX_SECONDS]. */
AVZ_API double avz_pace_apply(avz_pace pace, double nominal);

AVZ_END_DECLS

#endif
