/* Internal: the faces of the shipped fonts, shared by text layout and the formula engine.
 * Faces are used while a scene is built, on one thread; frames only ever see paths. */
#ifndef ATTNVIZ_FONTS_INTERNAL_H
#define ATTNVIZ_FONTS_INTERNAL_H

#include <hb.h>

#include "attnviz/fonts.h"
#include "attnviz/geom.h"

typedef struct avz_face avz_face;

typedef enum avz_face_id {
    AVZ_FACE_SERIF,             /* LiberationSerif-Regular.ttf: the original's "Times New Roman" */
    AVZ_FACE_SERIF_BOLD,        /* LiberationSerif-Bold.ttf */
    AVZ_FACE_SERIF_ITALIC,      /* LiberationSerif-Italic.ttf */
    AVZ_FACE_SERIF_BOLD_ITALIC, /* LiberationSerif-BoldItalic.ttf */
    AVZ_FACE_SYMBOL,            /* DejaVuSans.ttf: fallback for ✓ and other symbols */
    AVZ_FACE_SYMBOL_BOLD,       /* DejaVuSans-Bold.ttf */
    AVZ_FACE_MATH,              /* latinmodern-math.otf: OpenType MATH table */
    AVZ_FACE_COUNT
} avz_face_id;

const avz_face *avz_fonts_face(const avz_fonts *fonts, avz_face_id id);
/* A harfbuzz font whose scale is the face's units per em (so positions are font units). */
hb_font_t *avz_face_hb(const avz_face *face);
unsigned avz_face_upem(const avz_face *face);
/* Appends the outline of glyph gid, scaled so one em is `em` scene units, with its origin
 * (on the baseline) at `origin`, y up. Outlines are cached per glyph in font units. */
int avz_face_glyph_path(const avz_face *face, unsigned gid, double em, avz_vec2 origin,
                        avz_path *out);

#endif
