/* attnviz text: shaping (harfbuzz) with the shipped fonts (fonts.h) into glyph outlines.
 * Text becomes one path per visible glyph, in scene units, so that Write can trace glyphs one
 * by one. */
#ifndef ATTNVIZ_TEXT_H
#define ATTNVIZ_TEXT_H

#include <stdbool.h>

#include "attnviz/api.h"
#include "attnviz/error.h"
#include "attnviz/fonts.h"
#include "attnviz/geom.h"

AVZ_BEGIN_DECLS

/* A list of paths: one per glyph of a text, or per glyph and rule of a formula. */
typedef struct avz_parts {
    avz_path *items;
    size_t count, capacity;
} avz_parts;

/* Appends *path, taking ownership (path is left empty). 0 or -ENOMEM. */
AVZ_API int avz_parts_push(avz_parts *parts, avz_path *path);
AVZ_API void avz_parts_free(avz_parts *parts);
AVZ_API avz_bbox avz_parts_bbox(const avz_parts *parts);
AVZ_API void avz_parts_translate(avz_parts *parts, avz_vec2 offset);

typedef enum avz_text_align {
    AVZ_ALIGN_LEFT, /* the original's multi-line Text: lines share a left edge */
    AVZ_ALIGN_CENTER,
} avz_text_align;

typedef struct avz_text_style {
    double font_size; /* the original's font_size: one em is font_size / 72 scene units */
    bool bold;
    bool italic;
    avz_text_align align;
} avz_text_style;

/* Lays out UTF-8 text, lines split at '\n', into one path per visible glyph (spaces give
 * none), in scene units, with the ink box centred on the origin as the original's Text is.
 * Characters the serif face lacks fall back along the shipped chain; a character no shipped
 * face has fails with -EILSEQ naming its code point (U+2603, say). Invalid UTF-8 fails with
 * -EILSEQ too. */
AVZ_API int avz_text_layout(const avz_fonts *fonts, const char *utf8, const avz_text_style *style,
                            avz_parts *out, avz_error *err);

/* What a laid-out text measures, in scene units, against its first line's baseline (y = 0) and
 * its pen's start (x = 0). */
typedef struct avz_text_metrics {
    double left, width;     /* the ink's left end and width */
    double ascent, descent; /* how far the ink reaches above and below the baseline */
    double cap_height;      /* the top of a capital above the baseline, in this style */
} avz_text_metrics;

/* Lays out like avz_text_layout, but with the first line's baseline on y = 0 and its pen
 * starting at x = 0 (centred lines centre on x = 0), and measures the result into *metrics
 * (which may be NULL). */
AVZ_API int avz_text_layout_on_baseline(const avz_fonts *fonts, const char *utf8,
                                        const avz_text_style *style, avz_parts *out,
                                        avz_text_metrics *metrics, avz_error *err);

/* Checks a word that a scene parameter puts on a one-line label: valid UTF-8, no control
 * character (a newline would break the line) and at most max_chars characters, so at most
 * 4 * max_chars bytes. Fails with -EINVAL and a message that starts with `what` and shows
 * at most max_chars characters of the word. */
AVZ_API int avz_label_check(const char *what, const char *utf8, size_t bytes, size_t max_chars,
                            avz_error *err);

/* True when every character of utf8 has a glyph in the chain for that style. On false,
 * *missing holds the first missing code point. */
AVZ_API bool avz_text_covers(const avz_fonts *fonts, const char *utf8, const avz_text_style *style,
                             unsigned *missing);

AVZ_END_DECLS

#endif
