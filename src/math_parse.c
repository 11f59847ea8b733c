/* attnviz formula parser: TeX-subset source to the math list tree of math_tree.h.
 *
 * Letters become math italic code points here (or stay upright inside \mathrm), so the layout
 * never deals with TeX's font families. Every error names the offending input and its byte
 * offset; nothing is skipped silently. */
#include "math_tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for any real formula, shallow enough that recursion cannot exhaust the stack. */
#define MAX_DEPTH 64

typedef enum list_end { END_INPUT, END_BRACE, END_RIGHT } list_end;

typedef struct parser {
    const char *src;
    size_t pos;
    int depth;
    bool roman; /* inside \mathrm: letters stay upright */
    avz_error *err;
} parser;

/* A command as written, backslash included ("\\frac"), or a script sign ("^"). */
typedef struct command {
    const char *name; /* points into the source, not terminated */
    size_t len, pos;
} command;

static const struct {
    char c;
    uint32_t cp;
    math_class cls;
} math_chars[] = {
    {'+', '+', MC_BIN},   {'-', 0x2212, MC_BIN}, {'*', 0x2217, MC_BIN}, {'=', '=', MC_REL},
    {'<', '<', MC_REL},   {'>', '>', MC_REL},    {':', ':', MC_REL},    {',', ',', MC_PUNCT},
    {';', ';', MC_PUNCT}, {'(', '(', MC_OPEN},   {'[', '[', MC_OPEN},   {')', ')', MC_CLOSE},
    {']', ']', MC_CLOSE}, {'!', '!', MC_CLOSE},  {'?', '?', MC_CLOSE},  {'.', '.', MC_ORD},
    {'/', '/', MC_ORD},   {'|', '|', MC_ORD},
};

/* Lowercase Greek is math italic and uppercase upright, as in plain TeX and LaTeX. */
static const struct {
    const char *name;
    uint32_t cp;
    math_class cls;
} math_symbols[] = {
    {"alpha", 0x1D6FC, MC_ORD},    {"beta", 0x1D6FD, MC_ORD},    {"gamma", 0x1D6FE, MC_ORD},
    {"delta", 0x1D6FF, MC_ORD},    {"epsilon", 0x1D716, MC_ORD}, {"varepsilon", 0x1D700, MC_ORD},
    {"zeta", 0x1D701, MC_ORD},     {"eta", 0x1D702, MC_ORD},     {"theta", 0x1D703, MC_ORD},
    {"vartheta", 0x1D717, MC_ORD}, {"iota", 0x1D704, MC_ORD},    {"kappa", 0x1D705, MC_ORD},
    {"lambda", 0x1D706, MC_ORD},   {"mu", 0x1D707, MC_ORD},      {"nu", 0x1D708, MC_ORD},
    {"xi", 0x1D709, MC_ORD},       {"pi", 0x1D70B, MC_ORD},      {"varpi", 0x1D71B, MC_ORD},
    {"rho", 0x1D70C, MC_ORD},      {"varrho", 0x1D71A, MC_ORD},  {"sigma", 0x1D70E, MC_ORD},
    {"varsigma", 0x1D70D, MC_ORD}, {"tau", 0x1D70F, MC_ORD},     {"upsilon", 0x1D710, MC_ORD},
    {"phi", 0x1D719, MC_ORD},      {"varphi", 0x1D711, MC_ORD},  {"chi", 0x1D712, MC_ORD},
    {"psi", 0x1D713, MC_ORD},      {"omega", 0x1D714, MC_ORD},   {"Gamma", 0x0393, MC_ORD},
    {"Delta", 0x0394, MC_ORD},     {"Theta", 0x0398, MC_ORD},    {"Lambda", 0x039B, MC_ORD},
    {"Xi", 0x039E, MC_ORD},        {"Pi", 0x03A0, MC_ORD},       {"Sigma", 0x03A3, MC_ORD},
    {"Upsilon", 0x03A5, MC_ORD},   {"Phi", 0x03A6, MC_ORD},      {"Psi", 0x03A8, MC_ORD},
    {"Omega", 0x03A9, MC_ORD},     {"cdot", 0x22C5, MC_BIN},     {"times", 0x00D7, MC_BIN},
    {"pm", 0x00B1, MC_BIN},        {"top", 0x22A4, MC_ORD},      {"infty", 0x221E, MC_ORD},
    {"le", 0x2264, MC_REL},        {"leq", 0x2264, MC_REL},      {"ge", 0x2265, MC_REL},
    {"geq", 0x2265, MC_REL},       {"ne", 0x2260, MC_REL},       {"neq", 0x2260, MC_REL},
    {"approx", 0x2248, MC_REL},    {"in", 0x2208, MC_REL},       {"to", 0x2192, MC_REL},
    {"sum", 0x2211, MC_OP},        {"prod", 0x220F, MC_OP},
};

/* Explicit spaces in math units, as plain TeX defines them. */
static const struct {
    const char *name;
    double mu;
} math_spaces[] = {
    {",", 3}, {":", 4}, {";", 5}, {"!", -3}, {"quad", 18}, {"qquad", 36},
};

static const struct {
    const char *name;
    math_class cls;
} class_commands[] = {
    {"mathord", MC_ORD},   {"mathop", MC_OP},       {"mathbin", MC_BIN},     {"mathrel", MC_REL},
    {"mathopen", MC_OPEN}, {"mathclose", MC_CLOSE}, {"mathpunct", MC_PUNCT},
};

static int fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(parser *p, const char *fmt, ...) {
    char msg[sizeof p->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return avz_error_set(p->err, -EINVAL, "%s", msg);
}

static void node_free(math_node *node) {
    free(node->text);
    math_list_free(&node->body);
    math_list_free(&node->body2);
    math_list_free(&node->sup);
    math_list_free(&node->sub);
}

void math_list_free(math_list *list) {
    for (size_t i = 0; i < list->count; i++)
        node_free(&list->items[i]);
    free(list->items);
    *list = (math_list){0};
}

/* Appends a zeroed node; the pointer is valid until the list grows again. */
static math_node *push(parser *p, math_list *list, math_kind kind, math_class cls, size_t pos) {
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 8;
        math_node *items = realloc(list->items, cap * sizeof *items);
        if (!items) {
            avz_error_set(p->err, -ENOMEM, "out of memory parsing a formula");
            return NULL;
        }
        list->items = items;
        list->capacity = cap;
    }
    math_node *node = &list->items[list->count++];
    *node = (math_node){.kind = kind, .cls = cls, .pos = pos};
    return node;
}

static bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void skip_space(parser *p) {
    while (p->src[p->pos] == ' ' || p->src[p->pos] == '\t' || p->src[p->pos] == '\n' ||
           p->src[p->pos] == '\r')
        p->pos++;
}

static bool command_is(command cmd, const char *name) {
    return strlen(name) + 1 == cmd.len && memcmp(cmd.name + 1, name, cmd.len - 1) == 0;
}

/* Reads the command at p->pos (which is a backslash): a run of letters or one other char. */
static int read_command(parser *p, command *cmd) {
    cmd->pos = p->pos;
    cmd->name = p->src + p->pos++;
    if (is_letter(p->src[p->pos])) {
        while (is_letter(p->src[p->pos]))
            p->pos++;
    } else if (p->src[p->pos] != '\0') {
        p->pos++;
    } else {
        return fail(p, "lone backslash at %zu", cmd->pos);
    }
    cmd->len = (size_t)(p->src + p->pos - cmd->name);
    return 0;
}

/* True when the next command is \name, without consuming it. */
static bool at_command(const parser *p, const char *name) {
    size_t n = strlen(name);
    return p->src[p->pos] == '\\' && strncmp(p->src + p->pos + 1, name, n) == 0 &&
           !is_letter(p->src[p->pos + 1 + n]);
}

static uint32_t math_italic(char c) {
    if (c == 'h')
        return 0x210E; /* the one letter Unicode encodes outside the math italic block */
    return c >= 'a' ? 0x1D44E + (uint32_t)(c - 'a') : 0x1D434 + (uint32_t)(c - 'A');
}

static int parse_list(parser *p, math_list *list, list_end end, size_t open_pos);
static int parse_atom(parser *p, math_list *list);

static int parse_group(parser *p, math_list *list) {
    size_t open = p->pos++;
    if (++p->depth > MAX_DEPTH)
        return fail(p, "formula nested too deeply at %zu", open);
    int rc = parse_list(p, list, END_BRACE, open);
    p->depth--;
    return rc;
}

/* One argument: a braced group or a single token. */
static int parse_arg(parser *p, math_list *out, command owner) {
    skip_space(p);
    char c = p->src[p->pos];
    if (c == '\0' || c == '}' || c == '^' || c == '_')
        return fail(p, "missing argument for %.*s at %zu", (int)owner.len, owner.name, owner.pos);
    if (c == '{')
        return parse_group(p, out);
    return parse_atom(p, out);
}

static int parse_script(parser *p, math_list *list) {
    size_t pos = p->pos;
    bool sup = p->src[p->pos++] == '^';
    math_node *base = list->count ? &list->items[list->count - 1] : NULL;
    if (!base || base->kind == MK_SPACE) {
        /* TeX gives a script with nothing before it an empty base. */
        base = push(p, list, MK_GROUP, MC_ORD, pos);
        if (!base)
            return -ENOMEM;
    }
    if (sup ? base->has_sup : base->has_sub)
        return fail(p, "double %s at %zu", sup ? "superscript" : "subscript", pos);
    math_list arg = {0};
    int rc = parse_arg(p, &arg, (command){p->src + pos, 1, pos});
    if (rc < 0) {
        math_list_free(&arg);
        return rc;
    }
    /* parse_arg only touched arg, so base is still valid. */
    if (sup) {
        base->has_sup = true;
        base->sup = arg;
    } else {
        base->has_sub = true;
        base->sub = arg;
    }
    return 0;
}

/* The delimiter after \left or \right; '.' is TeX's null delimiter (0). */
static int parse_delim(parser *p, command owner, uint32_t *cp) {
    skip_space(p);
    char c = p->src[p->pos];
    if (c != '\0' && strchr("()[]|.", c)) {
        p->pos++;
        *cp = c == '.' ? 0 : (uint32_t)c;
        return 0;
    }
    return fail(p, "%.*s at %zu needs a delimiter: one of ( ) [ ] | .", (int)owner.len, owner.name,
                owner.pos);
}

/* The raw argument of \text or \operatorname, and the byte offset where it starts. */
static int read_raw_arg(parser *p, command owner, bool letters_only, char **out, size_t *at) {
    skip_space(p);
    if (p->src[p->pos] != '{')
        return fail(p, "%.*s at %zu needs a braced argument", (int)owner.len, owner.name,
                    owner.pos);
    size_t open = p->pos++;
    size_t start = p->pos;
    char *text = malloc(strlen(p->src + start) + 1);
    if (!text)
        return avz_error_set(p->err, -ENOMEM, "out of memory parsing a formula");
    size_t n = 0;
    for (;; p->pos++) {
        char c = p->src[p->pos];
        int rc = 0;
        if (c == '\0') {
            rc = fail(p, "unbalanced braces: '{' at %zu is never closed", open);
        } else if (c == '\\') {
            command cmd;
            rc = read_command(p, &cmd);
            if (rc == 0)
                rc = fail(p, "unsupported command %.*s at %zu inside %.*s", (int)cmd.len, cmd.name,
                          cmd.pos, (int)owner.len, owner.name);
        } else if (c == '{') {
            /* Kept out so that byte offsets in the text stay offsets in the formula. */
            rc = fail(p, "'{' at %zu inside %.*s is not supported", p->pos, (int)owner.len,
                      owner.name);
        } else if (c == '}') {
            break;
        } else if (letters_only && !is_letter(c) && !(c >= '0' && c <= '9')) {
            if (c == ' ')
                continue; /* math mode ignores spaces here, as amsmath does */
            rc = fail(p, "%.*s at %zu takes letters and digits only, not '%c' at %zu",
                      (int)owner.len, owner.name, owner.pos, c, p->pos);
        }
        if (rc < 0) {
            free(text);
            return rc;
        }
        text[n++] = c;
    }
    p->pos++;
    text[n] = '\0';
    *out = text;
    *at = start;
    return 0;
}

static int parse_command(parser *p, math_list *list) {
    command cmd;
    int rc = read_command(p, &cmd);
    if (rc < 0)
        return rc;
    math_node *node;
    if (command_is(cmd, "frac")) {
        math_list num = {0}, den = {0};
        rc = parse_arg(p, &num, cmd);
        if (rc == 0)
            rc = parse_arg(p, &den, cmd);
        if (!(node = push(p, list, MK_FRAC, MC_INNER, cmd.pos))) {
            math_list_free(&num);
            math_list_free(&den);
            return -ENOMEM;
        }
        node->body = num;
        node->body2 = den;
        return rc;
    }
    if (command_is(cmd, "sqrt")) {
        skip_space(p);
        if (p->src[p->pos] == '[')
            return fail(p, "\\sqrt at %zu: a root index [...] is not supported", cmd.pos);
        math_list body = {0};
        rc = parse_arg(p, &body, cmd);
        if (!(node = push(p, list, MK_SQRT, MC_ORD, cmd.pos))) {
            math_list_free(&body);
            return -ENOMEM;
        }
        node->body = body;
        return rc;
    }
    if (command_is(cmd, "left")) {
        uint32_t left = 0, right = 0;
        math_list body = {0};
        if ((rc = parse_delim(p, cmd, &left)) < 0)
            return rc;
        if (++p->depth > MAX_DEPTH)
            return fail(p, "formula nested too deeply at %zu", cmd.pos);
        rc = parse_list(p, &body, END_RIGHT, cmd.pos);
        p->depth--;
        command close;
        if (rc == 0 && (rc = read_command(p, &close)) == 0)
            rc = parse_delim(p, close, &right);
        if (!(node = push(p, list, MK_FENCED, MC_INNER, cmd.pos))) {
            math_list_free(&body);
            return -ENOMEM;
        }
        node->body = body;
        node->cp = left;
        node->cp2 = right;
        return rc;
    }
    if (command_is(cmd, "right"))
        return fail(p, "\\right at %zu without \\left", cmd.pos);
    if (command_is(cmd, "text") || command_is(cmd, "operatorname")) {
        bool op = cmd.name[1] == 'o';
        char *text = NULL;
        size_t at = 0;
        if ((rc = read_raw_arg(p, cmd, op, &text, &at)) < 0)
            return rc;
        if (!(node = push(p, list, MK_TEXT, op ? MC_OP : MC_ORD, at))) {
            free(text);
            return -ENOMEM;
        }
        node->text = text;
        return 0;
    }
    if (command_is(cmd, "mathrm")) {
        math_list body = {0};
        bool was_roman = p->roman;
        p->roman = true;
        rc = parse_arg(p, &body, cmd);
        p->roman = was_roman;
        if (!(node = push(p, list, MK_GROUP, MC_ORD, cmd.pos))) {
            math_list_free(&body);
            return -ENOMEM;
        }
        node->body = body;
        return rc;
    }
    for (size_t i = 0; i < sizeof class_commands / sizeof *class_commands; i++) {
        if (!command_is(cmd, class_commands[i].name))
            continue;
        math_list body = {0};
        rc = parse_arg(p, &body, cmd);
        if (!(node = push(p, list, MK_GROUP, class_commands[i].cls, cmd.pos))) {
            math_list_free(&body);
            return -ENOMEM;
        }
        node->body = body;
        return rc;
    }
    for (size_t i = 0; i < sizeof math_spaces / sizeof *math_spaces; i++) {
        if (!command_is(cmd, math_spaces[i].name))
            continue;
        if (!(node = push(p, list, MK_SPACE, MC_ORD, cmd.pos)))
            return -ENOMEM;
        node->mu = math_spaces[i].mu;
        return 0;
    }
    for (size_t i = 0; i < sizeof math_symbols / sizeof *math_symbols; i++) {
        if (!command_is(cmd, math_symbols[i].name))
            continue;
        if (!(node = push(p, list, MK_CHAR, math_symbols[i].cls, cmd.pos)))
            return -ENOMEM;
        node->cp = math_symbols[i].cp;
        node->limits = math_symbols[i].cls == MC_OP;
        return 0;
    }
    return fail(p, "unsupported command %.*s at %zu", (int)cmd.len, cmd.name, cmd.pos);
}

/* One atom (or explicit space) appended to list. */
static int parse_atom(parser *p, math_list *list) {
    size_t pos = p->pos;
    char c = p->src[pos];
    math_node *node;
    if (c == '{') {
        math_list body = {0};
        int rc = parse_group(p, &body);
        if (!(node = push(p, list, MK_GROUP, MC_ORD, pos))) {
            math_list_free(&body);
            return -ENOMEM;
        }
        node->body = body;
        return rc;
    }
    if (c == '\\')
        return parse_command(p, list);
    if (is_letter(c) || (c >= '0' && c <= '9')) {
        if (!(node = push(p, list, MK_CHAR, MC_ORD, pos)))
            return -ENOMEM;
        node->cp = is_letter(c) && !p->roman ? math_italic(c) : (uint32_t)c;
        p->pos++;
        return 0;
    }
    for (size_t i = 0; i < sizeof math_chars / sizeof *math_chars; i++) {
        if (math_chars[i].c != c)
            continue;
        if (!(node = push(p, list, MK_CHAR, math_chars[i].cls, pos)))
            return -ENOMEM;
        node->cp = math_chars[i].cp;
        p->pos++;
        return 0;
    }
    if ((unsigned char)c >= 0x80)
        return fail(p, "unsupported non-ASCII character at %zu (put text in \\text{})", pos);
    return fail(p, "unsupported character '%c' at %zu", c, pos);
}

static int parse_list(parser *p, math_list *list, list_end end, size_t open_pos) {
    for (;;) {
        skip_space(p);
        char c = p->src[p->pos];
        int rc;
        if (c == '\0' || (c == '}' && end == END_RIGHT)) {
            if (end == END_BRACE)
                return fail(p, "unbalanced braces: '{' at %zu is never closed", open_pos);
            if (end == END_RIGHT)
                return fail(p, "\\left at %zu has no matching \\right", open_pos);
            return 0;
        } else if (c == '}') {
            if (end == END_BRACE) {
                p->pos++;
                return 0;
            }
            return fail(p, "unbalanced braces: stray '}' at %zu", p->pos);
        } else if (at_command(p, "right") && end == END_RIGHT) {
            return 0;
        } else if (c == '^' || c == '_') {
            rc = parse_script(p, list);
        } else {
            rc = parse_atom(p, list);
        }
        if (rc < 0)
            return rc;
    }
}

int math_parse(const char *tex, math_list *out, avz_error *err) {
    parser p = {.src = tex, .err = err};
    *out = (math_list){0};
    int rc = parse_list(&p, out, END_INPUT, 0);
    if (rc == 0 && out->count == 0)
        rc = avz_error_set(err, -EINVAL, "empty formula");
    if (rc < 0)
        math_list_free(out);
    return rc;
}
