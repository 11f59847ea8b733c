/* attnviz fonts: the shipped font files, loaded by path from one folder and never through a
 * system lookup, so that every machine draws the same glyphs. Text (text.h) and formulas
 * (math.h) are set with them. */
#ifndef ATTNVIZ_FONTS_H
#define ATTNVIZ_FONTS_H

#include "attnviz/api.h"
#include "attnviz/error.h"

AVZ_BEGIN_DECLS

typedef struct avz_fonts avz_fonts;

/* Opens the shipped fonts: from the folder AVZ_FONT_DIR names when it is set, else from
 * ../share/attnviz/fonts beside the running program, else beside libattnviz itself (where
 * `cmake --install` and the .deb put them, and where a build tree keeps a copy). Fails with
 * -ENOENT and a message naming the folders tried and the variable, or as avz_fonts_open. */
AVZ_API int avz_fonts_open_default(avz_fonts **out, avz_error *err);
/* Loads every shipped face from dir. A missing or unreadable file fails with -ENOENT or
 * -EINVAL and a message naming the file. */
AVZ_API int avz_fonts_open(const char *dir, avz_fonts **out, avz_error *err);
AVZ_API void avz_fonts_close(avz_fonts *fonts);

AVZ_END_DECLS

#endif
