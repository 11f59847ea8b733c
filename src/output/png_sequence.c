/* attnviz PNG sequence output: one PNG file per frame, named by a printf-style pattern
 * (`frames/%05d.png`). Workers encode the PNGs in parallel; the writer stores each under a
 * temporary name, and they are all renamed into place together at the end (outfile), so that
 * a failed render leaves the previous sequence whole. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "png_encode.h"

#define MAX_NAME 4096

typedef struct sequence_sink {
    avz_sink base;
    int first_fd; /* the first frame's file, opened early to check its folder */
} sequence_sink;

typedef struct sequence_frame {
    avz_frame base;
    avz_bytes png;
} sequence_frame;

/* Expands a PNG sequence pattern: exactly one %d (with an optional 0 flag and a width up to
 * 9) in the file name, `%%` for a literal '%', ending in .png. With out NULL it only checks.
 * Returns false for anything else, so that a stray '%' never reaches printf. */
static bool sequence_name(const char *pattern, long number, char *out, size_t size) {
    const char *slash = strrchr(pattern, '/');
    if (strcasecmp(avz_extension_of(pattern), ".png") != 0)
        return false;
    size_t used = 0;
    int conversions = 0;
    char buf[MAX_NAME];
    for (const char *p = pattern; *p; p++) {
        int n;
        if (*p != '%') {
            n = snprintf(buf + used, sizeof buf - used, "%c", *p);
        } else if (p[1] == '%') {
            n = snprintf(buf + used, sizeof buf - used, "%%");
            p++;
        } else {
            const char *q = p + 1;
            bool zero = *q == '0';
            q += zero;
            int width = 0;
            if (*q >= '1' && *q <= '9')
                width = *q++ - '0';
            if (*q != 'd' || (slash && p < slash))
                return false;
            conversions++;
            n = snprintf(buf + used, sizeof buf - used, zero ? "%0*ld" : "%*ld", width, number);
            p = q;
        }
        if (n < 0 || (size_t)n >= sizeof buf - used)
            return false;
        used += (size_t)n;
    }
    if (conversions != 1)
        return false;
    if (out)
        snprintf(out, size, "%s", buf);
    return !out || used < size;
}

bool avz_sink_is_sequence(const char *path) {
    return strchr(path, '%') && sequence_name(path, 0, NULL, 0);
}

/* The file name of frame number `number`: one the file system takes (NAME_MAX), or an error. */
static int frame_file_name(const char *pattern, long number, char *name, avz_error *err) {
    char shown[AVZ_SHORT];
    avz_shorten(shown, sizeof shown, pattern);
    if (!sequence_name(pattern, number, name, MAX_NAME))
        return avz_error_set(err, -ENAMETOOLONG, "output pattern '%s' is too long", shown);
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    if (strlen(base) > NAME_MAX)
        return avz_error_set(err, -ENAMETOOLONG,
                             "the file name of frame %ld of PNG sequence '%s' would be longer "
                             "than %d bytes",
                             number, shown, NAME_MAX);
    return 0;
}

/* The file of frame `index` of this render, opened in the sink's set of files. */
static int add_file(avz_sink *s, long index, int *fd, avz_error *err) {
    char name[MAX_NAME];
    int ret = frame_file_name(s->path, s->first_number + index, name, err);
    return ret ? ret : avz_outset_add(s->files, name, fd, NULL, err);
}

/* Its last file name fits (the first one's where the count is not known yet), so that a long
 * name fails before any frame is drawn, not at the rename. */
static int sequence_check(const char *path, const avz_sink_options *o, avz_error *err) {
    char name[MAX_NAME];
    return frame_file_name(path, o->first_number + (o->frame_count ? (long)o->frame_count - 1 : 0),
                           name, err);
}

static int sequence_open(const avz_output *kind, const char *path, const avz_sink_options *o,
                         avz_sink **out, avz_error *err) {
    sequence_sink *s = calloc(1, sizeof *s);
    if (!s)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    *out = &s->base;
    s->base.kind = kind;
    s->first_fd = -1;
    int ret = avz_sink_init(&s->base, kind, path, o, err);
    /* Now, so that a missing folder fails before any frame is drawn. */
    return ret ? ret : add_file(&s->base, 0, &s->first_fd, err);
}

static int sequence_write(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    sequence_sink *s = (sequence_sink *)sink;
    const sequence_frame *f = (const sequence_frame *)frame;
    int fd = s->first_fd;
    int ret = sink->written == 0 ? 0 : add_file(sink, (long)sink->written, &fd, err);
    if (ret < 0)
        return ret;
    if ((ret = avz_write_all(fd, f->png.data, f->png.size)) < 0) {
        char shown[AVZ_SHORT];
        return avz_error_set(err, ret, "cannot write a frame of '%s': %s",
                             avz_shorten(shown, sizeof shown, sink->path), strerror(-ret));
    }
    return avz_outset_close(sink->files, fd, err);
}

static void sequence_close(avz_sink *sink) {
    free(sink);
}

static int sequence_frame_new(const avz_sink *sink, avz_frame **out) {
    return avz_frame_alloc(sink, sizeof(sequence_frame), out);
}

static void sequence_frame_free(avz_frame *frame) {
    sequence_frame *f = (sequence_frame *)frame;
    avz_bytes_free(&f->png);
    free(f);
}

static int sequence_converter_new(const avz_sink *sink, avz_converter **out) {
    avz_converter *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    avz_converter_init(c, sink);
    *out = c;
    return 0;
}

static void sequence_converter_free(avz_converter *c) {
    free(c);
}

static int sequence_convert(avz_converter *c, const uint8_t *argb, int stride,
                            const avz_rows *changed, size_t count, avz_frame *dst) {
    (void)changed;
    (void)count;
    return avz_png_encode(&avz_png_for_sequences, argb, c->width, c->height, stride,
                          &((sequence_frame *)dst)->png);
}

const avz_output avz_output_png_sequence = {
    .name = "a PNG sequence",
    .alpha = true,
    .claims = avz_sink_is_sequence,
    .check = sequence_check,
    .open = sequence_open,
    .frame_new = sequence_frame_new,
    .frame_free = sequence_frame_free,
    .converter_new = sequence_converter_new,
    .converter_free = sequence_converter_free,
    .convert = sequence_convert,
    .write = sequence_write,
    .close = sequence_close,
};

/* Whether name (a file name, no folder) is one the file-name part of pattern expands to. The
 * number may be as printf writes it (padding, a sign, digits) at any length that lets the rest
 * match: a little wider than exact, which errs only towards refusing. */
static bool name_matches(const char *pat, const char *name) {
    if (*pat == '\0')
        return *name == '\0';
    if (pat[0] == '%' && pat[1] == '%')
        return *name == '%' && name_matches(pat + 2, name + 1);
    if (*pat != '%')
        return *pat == *name && name_matches(pat + 1, name + 1);
    const char *rest = strchr(pat, 'd') + 1; /* sequence_name vouched for %[0][1-9]d */
    size_t run = strspn(name, "0123456789 -"), first_digit = strcspn(name, "0123456789");
    for (size_t n = run; n > first_digit; n--)
        if (name_matches(rest, name + n))
            return true;
    return false;
}

/* The folder part of path ("." for none), as a file's identity. */
static bool folder_of(const char *path, struct stat *st) {
    const char *slash = strrchr(path, '/');
    char dir[MAX_NAME];
    int n = slash ? snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + 1), path)
                  : snprintf(dir, sizeof dir, ".");
    return n > 0 && (size_t)n < sizeof dir && stat(dir, st) == 0;
}

bool avz_sink_sequence_names(const char *pattern, const char *path) {
    struct stat pd, fd;
    if (!pattern || !path || !avz_sink_is_sequence(pattern) || !folder_of(pattern, &pd) ||
        !folder_of(path, &fd) || pd.st_dev != fd.st_dev || pd.st_ino != fd.st_ino)
        return false;
    const char *pat = strrchr(pattern, '/'), *name = strrchr(path, '/');
    return name_matches(pat ? pat + 1 : pattern, name ? name + 1 : path);
}
