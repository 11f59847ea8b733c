/* Internal: the one UTF-8 decoder, for text layout, formulas' \text{} and label checks. */
#ifndef ATTNVIZ_UTF8_H
#define ATTNVIZ_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[*at] (of len bytes) into *cp and advances *at; false on
 * malformed UTF-8: a stray or truncated sequence, an overlong form, a surrogate, or a code
 * point beyond U+10FFFF. */
bool avz_utf8_next(const unsigned char *s, size_t len, size_t *at, uint32_t *cp);

#endif
