/* attnviz PNG images: a drawn frame (cairo ARGB32, premultiplied) written as a PNG file. */
#ifndef ATTNVIZ_PNG_H
#define ATTNVIZ_PNG_H

#include <stdint.h>

#include "attnviz/api.h"
#include "attnviz/error.h"

AVZ_BEGIN_DECLS

/* Writes the image to path, atomically (a temporary file beside it, renamed when whole).
 * path must end in .png. Fails with -EINVAL for another name or an image that is not valid
 * ARGB32, the file errors of outfile, or -ENOMEM. */
AVZ_API int avz_png_write(const char *path, const uint8_t *argb, int width, int height, int stride,
                          avz_error *err);

AVZ_END_DECLS

#endif
