/* attnviz settings files: a line parser for NAME=VALUE settings, and pacing values. */
#include "attnviz/settings.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static char *trim(char *s) {
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* Reads at most AVZ_SETTINGS_MAX_BYTES of path into a NUL-terminated buffer. */
static int read_text(const char *path, char **text, avz_error *err) {
    char shown[AVZ_SHORT];
    avz_shorten(shown, sizeof shown, path);
    bool in = strcmp(path, "-") == 0;
    FILE *f = in ? stdin : fopen(path, "r");
    /* A FIFO blocks in open and read: a signal that stops the run ends the wait (EINTR). */
    if (!f && errno == EINTR)
        return avz_error_set(err, -EINTR, "interrupted; no file written");
    if (!f)
        return avz_error_set(err, -errno, "cannot read '%s': %s", shown, strerror(errno));
    char *buf = malloc(AVZ_SETTINGS_MAX_BYTES + 1);
    if (!buf) {
        if (!in)
            fclose(f);
        return avz_error_set(err, -ENOMEM, "out of memory reading '%s'", shown);
    }
    /* one byte more than allowed tells a file that is too large */
    errno = 0;
    size_t n = fread(buf, 1, AVZ_SETTINGS_MAX_BYTES + 1, f);
    int rc = 0, e = errno ? errno : EIO; /* a folder opens, and fails here with EISDIR */
    if (ferror(f) && e == EINTR)
        rc = avz_error_set(err, -EINTR, "interrupted; no file written");
    else if (ferror(f))
        rc = avz_error_set(err, -e, "cannot read '%s': %s", shown, strerror(e));
    else if (n > AVZ_SETTINGS_MAX_BYTES)
        rc = avz_error_set(err, -EINVAL, "'%s' is larger than %d KiB", shown,
                           AVZ_SETTINGS_MAX_BYTES / 1024);
    else if (memchr(buf, '\0', n))
        rc = avz_error_set(err, -EINVAL, "'%s' is not text: it holds a NUL byte", shown);
    if (!in)
        fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *text = buf;
    return 0;
}

/* path's text, its byte-order mark (as some editors on Windows write one) skipped, and its
 * name for messages. */
static int read_lines(const char *path, char **buf, char **text, char *shown, avz_error *err) {
    int rc = read_text(path, buf, err);
    if (rc)
        return rc;
    avz_shorten(shown, AVZ_SHORT, strcmp(path, "-") ? path : "standard input");
    *text = *buf + (strncmp(*buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0);
    return 0;
}

/* Cuts the next line off *rest, which is NULL after the last. */
static char *cut_line(char **rest) {
    char *line = *rest, *end = strchr(line, '\n');
    if (end)
        *end++ = '\0';
    *rest = end;
    return line;
}

static int add(avz_settings *out, const char *name, const char *value, unsigned line) {
    avz_setting *grown = realloc(out->items, (out->count + 1) * sizeof *grown);
    if (!grown)
        return -ENOMEM;
    out->items = grown;
    avz_setting s = {strdup(name), strdup(value), line};
    if (!s.name || !s.value) {
        free(s.name);
        free(s.value);
        return -ENOMEM;
    }
    out->items[out->count++] = s;
    return 0;
}

/* A line's text: valid UTF-8 without control characters but tabs, or a message. */
static int check_text(const char *text, const char *shown_path, unsigned line, avz_error *err) {
    size_t len = strlen(text);
    for (size_t at = 0; at < len;) {
        uint32_t cp;
        if (!avz_utf8_next((const unsigned char *)text, len, &at, &cp))
            return avz_error_set(err, -EINVAL, "%s:%u: not valid UTF-8 text", shown_path, line);
        if ((cp < 0x20 && cp != '\t') || cp == 0x7F)
            return avz_error_set(err, -EINVAL, "%s:%u: holds the control character U+%04X",
                                 shown_path, line, (unsigned)cp);
    }
    return 0;
}

bool avz_setting_split(char *text, char **name, char **value) {
    char *eq = strchr(text, '=');
    if (!eq)
        return false;
    *eq = '\0';
    *name = trim(text);
    *value = trim(eq + 1);
    return **name && !strpbrk(*name, " \t") && **value;
}

/* One line, its comment cut: NAME=VALUE into the settings, or a message. */
static int parse_line(char *text, const char *shown_path, unsigned line, avz_settings *out,
                      avz_error *err) {
    text = trim(text);
    if (!*text)
        return 0;
    char shown[64];
    avz_shorten(shown, sizeof shown, text);
    int rc = check_text(text, shown_path, line, err);
    if (rc)
        return rc;
    char *name, *value;
    if (!avz_setting_split(text, &name, &value))
        return avz_error_set(err, -EINVAL, "%s:%u: expected NAME=VALUE, not \"%s\"", shown_path,
                             line, shown);
    for (size_t i = 0; i < out->count; i++)
        if (strcmp(out->items[i].name, name) == 0)
            return avz_error_set(err, -EINVAL, "%s:%u: \"%s\" is already set on line %u",
                                 shown_path, line, name, out->items[i].line);
    if (add(out, name, value, line))
        return avz_error_set(err, -ENOMEM, "out of memory reading '%s'", shown_path);
    return 0;
}

int avz_settings_read(const char *path, avz_settings *out, avz_error *err) {
    *out = (avz_settings){0};
    char *buf = NULL, *rest = NULL, shown[AVZ_SHORT];
    int rc = read_lines(path, &buf, &rest, shown, err);
    if (rc)
        return rc;
    for (unsigned line = 1; !rc && rest; line++) {
        char *cur = cut_line(&rest);
        char *hash = strchr(cur, '#');
        if (hash)
            *hash = '\0';
        rc = parse_line(cur, shown, line, out, err); /* trim drops a CR before the LF */
    }
    free(buf);
    if (rc)
        avz_settings_free(out);
    return rc;
}

void avz_settings_free(avz_settings *s) {
    for (size_t i = 0; i < s->count; i++) {
        free(s->items[i].name);
        free(s->items[i].value);
    }
    free(s->items);
    *s = (avz_settings){0};
}

int avz_pace_parse(const char *text, avz_pace *out) {
    avz_pace p = {AVZ_PACE_SECONDS, 0};
    double sign = 1;
    if (*text == 'x') {
        p.kind = AVZ_PACE_TIMES;
        text++;
    } else if (*text == '+' || *text == '-') {
        p.kind = AVZ_PACE_LONGER;
        sign = *text == '-' ? -1 : 1;
        text++;
    }
    /* Plain decimals: strtod alone would take "0x10", "1e3", "inf" and " 5". */
    int dots = 0, digits = 0;
    for (const char *c = text; *c; c++) {
        if (*c == '.')
            dots++;
        else if (*c >= '0' && *c <= '9')
            digits++;
        else
            return -EINVAL;
    }
    if (!digits || dots > 1)
        return -EINVAL;
    p.amount = sign * strtod(text, NULL);
    /* A length or a factor of 0 leaves nothing to see: only a change may be 0. */
    if (!isfinite(p.amount) || (p.kind != AVZ_PACE_LONGER && !(p.amount > 0)))
        return -EINVAL;
    *out = p;
    return 0;
}

double avz_pace_apply(avz_pace pace, double nominal) {
    switch (pace.kind) {
    case AVZ_PACE_LONGER:
        return nominal + pace.amount;
    case AVZ_PACE_TIMES:
        return nominal * pace.amount;
    case AVZ_PACE_SECONDS:
        break;
    }
    return pace.amount;
}

/* ── Narration cues ────────────────────────────────────────────────────────────────────── */

static int add_cue(avz_cues *out, const char *label, double start, unsigned line) {
    avz_cue *grown = realloc(out->items, (out->count + 1) * sizeof *grown);
    if (!grown)
        return -ENOMEM;
    out->items = grown;
    avz_cue c = {strdup(label), start, line};
    if (!c.label)
        return -ENOMEM;
    out->items[out->count++] = c;
    return 0;
}

/* A seconds value: digits and one '.', nothing else (no sign, exponent or infinity). */
static bool parse_seconds(const char *text, double *out) {
    if (!*text || strspn(text, "0123456789.") != strlen(text))
        return false;
    char *end;
    *out = strtod(text, &end);
    return !*end && isfinite(*out);
}

/* Reads a field of `min` to `max` digits (no sign, no space) ending at `end` (or at the
 * string's end when end is '\0'); advances *p past both. */
static bool vtt_field(const char **p, size_t min, size_t max, char end, unsigned *out) {
    size_t n = strspn(*p, "0123456789");
    if (n < min || n > max || (*p)[n] != end)
        return false;
    *out = 0;
    for (size_t i = 0; i < n; i++)
        *out = *out * 10 + (unsigned)((*p)[i] - '0');
    *p += n + (end != '\0');
    return true;
}

/* "hh:mm:ss.mmm" or "mm:ss.mmm", digits only: hours up to 9999, two-digit minutes and
 * seconds below 60, three-digit milliseconds (a number that would wrap is not a time). */
static bool parse_vtt_time(const char *text, double *out) {
    unsigned h = 0, m = 0, sec = 0, ms = 0;
    const char *p = text;
    bool with_hours = strchr(text, ':') != strrchr(text, ':');
    if (with_hours && !vtt_field(&p, 1, 4, ':', &h))
        return false;
    if (!vtt_field(&p, 1, 2, ':', &m) || !vtt_field(&p, 2, 2, '.', &sec) ||
        !vtt_field(&p, 3, 3, '\0', &ms) || m > 59 || sec > 59)
        return false;
    *out = h * 3600.0 + m * 60.0 + sec + ms / 1000.0;
    return true;
}

static int cue_line(char *cur, const char *shown, unsigned line, bool vtt, bool *want_label,
                    double *start, avz_cues *out, avz_error *err) {
    char *text = trim(cur);
    char quoted[64];
    avz_shorten(quoted, sizeof quoted, text);
    int rc = check_text(text, shown, line, err);
    if (rc)
        return rc;
    if (vtt) {
        char *arrow = strstr(text, "-->");
        if (*want_label) {
            *want_label = false;
            if (!*text || arrow)
                return avz_error_set(err, -EINVAL, "%s:%u: a cue without a phase name", shown,
                                     line - 1);
            return add_cue(out, text, *start, line - 1)
                       ? avz_error_set(err, -ENOMEM, "out of memory")
                       : 0;
        }
        if (!arrow)
            return 0; /* the header, an identifier, a note, a cue's further lines */
        *arrow = '\0';
        if (!parse_vtt_time(trim(text), start))
            return avz_error_set(err, -EINVAL, "%s:%u: not a WebVTT time: \"%s\"", shown, line,
                                 quoted);
        *want_label = true;
        return 0;
    }
    if (!*text || *text == '\\')
        return 0;
    char *tab1 = strchr(text, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
    if (tab1)
        *tab1 = '\0';
    if (tab2)
        *tab2 = '\0';
    double end;
    const char *label = tab2 ? trim(tab2 + 1) : "";
    if (!tab2 || !parse_seconds(trim(text), start) || !parse_seconds(trim(tab1 + 1), &end) ||
        !*label)
        return avz_error_set(err, -EINVAL,
                             "%s:%u: expected START<TAB>END<TAB>LABEL (an Audacity label), not "
                             "\"%s\"",
                             shown, line, quoted);
    return add_cue(out, label, *start, line) ? avz_error_set(err, -ENOMEM, "out of memory") : 0;
}

int avz_cues_read(const char *path, avz_cues *out, avz_error *err) {
    *out = (avz_cues){0};
    char *buf = NULL, *rest = NULL, shown[AVZ_SHORT];
    int rc = read_lines(path, &buf, &rest, shown, err);
    if (rc)
        return rc;
    /* "WEBVTT" alone on its line or followed by a space or tab, as WebVTT has it */
    bool vtt = strncmp(rest, "WEBVTT", 6) == 0 && strchr(" \t\r\n", rest[6]), want_label = false;
    double start = 0;
    unsigned line = 0;
    while (!rc && rest) {
        line++;
        rc = cue_line(cut_line(&rest), shown, line, vtt, &want_label, &start, out, err);
    }
    if (!rc && want_label)
        rc = avz_error_set(err, -EINVAL, "%s:%u: a cue without a phase name", shown, line);
    /* An empty label track pins nothing: most likely the wrong export. */
    if (!rc && out->count == 0)
        rc = avz_error_set(err, -EINVAL, "'%s' holds no cues (%s)", shown,
                           vtt ? "a WebVTT cue: START --> END, then the phase's name"
                               : "an Audacity label: START<TAB>END<TAB>LABEL");
    free(buf);
    if (rc)
        avz_cues_free(out);
    return rc;
}

void avz_cues_free(avz_cues *c) {
    for (size_t i = 0; i < c->count; i++)
        free(c->items[i].label);
    free(c->items);
    *c = (avz_cues){0};
}

void avz_vtt_time(char *buf, size_t size, double seconds) {
    long long ms = llround(seconds * 1000);
    snprintf(buf, size, "%02lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60,
             ms / 1000 % 60, ms % 1000);
}
