/* attnviz pacing files: a line parser for NAME=SECONDS settings. */
#include "attnviz/pacing.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s) {
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* Parses one line (comment already cut, trimmed) into name and seconds; false for junk. */
static bool parse_line(char *text, char **name, double *seconds) {
    char *eq = strchr(text, '=');
    if (!eq)
        return false;
    *eq = '\0';
    *name = trim(text);
    char *value = trim(eq + 1);
    char *end = NULL;
    *seconds = strtod(value, &end);
    if (!**name || strpbrk(*name, " \t") || end == value || *end)
        return false;
    return isfinite(*seconds) && *seconds > 0 && *seconds <= AVZ_PACING_MAX_SECONDS;
}

static int add_entry(avz_pacing_file *pf, const char *name, double seconds, unsigned line) {
    avz_pacing_entry *grown = realloc(pf->entries, (pf->count + 1) * sizeof *grown);
    if (!grown)
        return -ENOMEM;
    pf->entries = grown;
    char *copy = strdup(name);
    if (!copy)
        return -ENOMEM;
    pf->entries[pf->count++] = (avz_pacing_entry){copy, seconds, line};
    return 0;
}

/* Reads at most AVZ_PACING_MAX_BYTES of path into a NUL-terminated buffer. */
static int read_text(const char *path, char **text, avz_error *err) {
    FILE *f = fopen(path, "r");
    if (!f)
        return avz_error_set(err, -errno, "cannot read pacing file '%s': %s", path,
                             strerror(errno));
    char *buf = malloc(AVZ_PACING_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return avz_error_set(err, -ENOMEM, "out of memory reading '%s'", path);
    }
    /* one byte more than allowed tells a file that is too large */
    size_t n = fread(buf, 1, AVZ_PACING_MAX_BYTES + 1, f);
    int rc = 0;
    if (ferror(f))
        rc = avz_error_set(err, -EIO, "cannot read pacing file '%s': read error", path);
    else if (n > AVZ_PACING_MAX_BYTES)
        rc = avz_error_set(err, -EINVAL, "pacing file '%s' is larger than %d KiB", path,
                           AVZ_PACING_MAX_BYTES / 1024);
    else if (memchr(buf, '\0', n))
        rc = avz_error_set(err, -EINVAL, "pacing file '%s' is not text: it holds a NUL byte", path);
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *text = buf;
    return 0;
}

int avz_pacing_read(const char *path, avz_pacing_file *out, avz_error *err) {
    *out = (avz_pacing_file){0};
    char *buf = NULL;
    int rc = read_text(path, &buf, err);
    if (rc)
        return rc;
    unsigned line = 0;
    for (char *next = buf; !rc && next;) {
        char *text = next;
        next = strchr(text, '\n');
        if (next)
            *next++ = '\0';
        line++;
        char *hash = strchr(text, '#');
        if (hash)
            *hash = '\0';
        text = trim(text);
        if (!*text)
            continue;
        char shown[64];
        snprintf(shown, sizeof shown, "%s", text); /* before parse_line cuts it at '=' */
        char *name;
        double seconds;
        if (!parse_line(text, &name, &seconds)) {
            rc = avz_error_set(err, -EINVAL,
                               "%s:%u: expected NAME=SECONDS with seconds above 0 and up to %g, "
                               "not \"%s\"",
                               path, line, AVZ_PACING_MAX_SECONDS, shown);
            break;
        }
        for (size_t i = 0; i < out->count && !rc; i++)
            if (strcmp(out->entries[i].name, name) == 0)
                rc = avz_error_set(err, -EINVAL, "%s:%u: phase \"%s\" is already set on line %u",
                                   path, line, name, out->entries[i].line);
        if (!rc && add_entry(out, name, seconds, line))
            rc = avz_error_set(err, -ENOMEM, "out of memory reading '%s'", path);
    }
    free(buf);
    if (rc)
        avz_pacing_file_free(out);
    return rc;
}

void avz_pacing_file_free(avz_pacing_file *pf) {
    for (size_t i = 0; i < pf->count; i++)
        free(pf->entries[i].name);
    free(pf->entries);
    *pf = (avz_pacing_file){0};
}
