/* What the fuzz targets share: the shipped fonts, opened once, and the input as a C string. */
#ifndef ATTNVIZ_FUZZ_SUPPORT_H
#define ATTNVIZ_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "attnviz/text.h"

/* The shipped fonts, opened on first use; exits naming `target` when they cannot be. */
const avz_fonts *fuzz_fonts(const char *target);

/* A NUL-terminated copy of the input for the caller to free; NULL when out of memory. */
char *fuzz_text(const uint8_t *data, size_t size);

#endif
