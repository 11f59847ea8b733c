/* Internal: the formula tree, built by math_parse.c and typeset by math_layout.c.
 * The tree follows TeX's math lists: a list of atoms, each with a class that decides the
 * spacing around it, a nucleus and optional scripts, plus explicit spaces between atoms. */
#ifndef AVZ_MATH_TREE_H
#define AVZ_MATH_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attnviz/error.h"

/* TeX's atom classes, in the order of its inter-atom spacing table. */
typedef enum math_class {
    MC_ORD,
    MC_OP,
    MC_BIN,
    MC_REL,
    MC_OPEN,
    MC_CLOSE,
    MC_PUNCT,
    MC_INNER,
} math_class;

typedef enum math_kind {
    MK_CHAR,   /* one code point of the math font */
    MK_GROUP,  /* a braced sub-list: body */
    MK_FRAC,   /* body over body2 */
    MK_SQRT,   /* body under a radical sign */
    MK_FENCED, /* body between grown delimiters cp and cp2 (0 for TeX's null delimiter '.') */
    MK_TEXT,   /* an upright run shaped as text: \text, \operatorname */
    MK_SPACE,  /* an explicit space of mu math units (1/18 em); not an atom */
} math_kind;

typedef struct math_node math_node;

typedef struct math_list {
    math_node *items;
    size_t count, capacity;
} math_list;

struct math_node {
    math_kind kind;
    math_class cls;
    size_t pos; /* byte offset in the source (MK_TEXT: of the text), for error messages */
    uint32_t cp, cp2;
    bool limits; /* a large operator (\sum): scripts go above and below in display style */
    double mu;
    char *text; /* MK_TEXT: UTF-8, owned */
    math_list body, body2;
    bool has_sup, has_sub; /* an empty script ({}) still counts, as in TeX */
    math_list sup, sub;
};

/* Parses tex into a list. On failure returns -EINVAL (or -ENOMEM) with a message naming the
 * problem and its byte offset, and leaves *out empty. */
int math_parse(const char *tex, math_list *out, avz_error *err);
void math_list_free(math_list *list);

#endif
