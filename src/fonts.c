/* attnviz fonts (see fonts.h and fonts_internal.h): finds the shipped fonts' folder, loads the font
 * files by path (freetype for outlines, harfbuzz for shaping, both over one copy of the file) and
 * caches glyph outlines in font units. Depends on freetype, harfbuzz and geom (avz_path). */
#define _GNU_SOURCE /* dladdr */
#include "fonts_internal.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

/* Outlines already decomposed, indexed by glyph id, in font units. */
typedef struct outline_cache {
    size_t count;
    avz_path *outlines;
    unsigned char *loaded;
} outline_cache;

struct avz_face {
    FT_Face ft;
    hb_font_t *hb; /* owns the file's bytes, which ft reads too */
    unsigned upem;
    outline_cache *cache; /* behind a pointer: filling it does not change the face */
};

struct avz_fonts {
    FT_Library ft;
    avz_face faces[AVZ_FACE_COUNT];
};

static const char *const face_files[AVZ_FACE_COUNT] = {
    [AVZ_FACE_SERIF] = "LiberationSerif-Regular.ttf",
    [AVZ_FACE_SERIF_BOLD] = "LiberationSerif-Bold.ttf",
    [AVZ_FACE_SERIF_ITALIC] = "LiberationSerif-Italic.ttf",
    [AVZ_FACE_SERIF_BOLD_ITALIC] = "LiberationSerif-BoldItalic.ttf",
    [AVZ_FACE_SYMBOL] = "DejaVuSans.ttf",
    [AVZ_FACE_SYMBOL_BOLD] = "DejaVuSans-Bold.ttf",
    [AVZ_FACE_MATH] = "latinmodern-math.otf",
};

/* Where the fonts lie relative to a program or library installed in PREFIX/bin or PREFIX/lib
 * (a build tree is laid out the same way), so that a prefix can move as a whole. */
#define FONTS_FROM_BIN "/../share/attnviz/fonts"

/* The folder holding `file`, written into buf; false when it cannot be told. */
static bool folder_of(const char *file, char *buf, size_t size) {
    char real[PATH_MAX];
    if (!file || !realpath(file, real))
        return false;
    char *slash = strrchr(real, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return (size_t)snprintf(buf, size, "%s", real) < size;
}

int avz_fonts_open_default(avz_fonts **out, avz_error *err) {
    *out = NULL;
    const char *env = getenv("AVZ_FONT_DIR");
    if (env && *env) {
        char shown[AVZ_SHORT];
        struct stat st;
        avz_shorten(shown, sizeof shown, env);
        if (stat(env, &st) != 0)
            return avz_error_set(err, -ENOENT, "font folder %s (AVZ_FONT_DIR): %s", shown,
                                 strerror(errno));
        if (!S_ISDIR(st.st_mode))
            return avz_error_set(err, -ENOENT, "font folder %s (AVZ_FONT_DIR) is not a folder",
                                 shown);
        return avz_fonts_open(env, out, err);
    }
    /* Beside the program, then beside this library (a program linking it from elsewhere). */
    char tried[2][PATH_MAX + sizeof FONTS_FROM_BIN], dir[PATH_MAX];
    size_t count = 0;
    Dl_info info;
    if (folder_of("/proc/self/exe", dir, sizeof dir))
        snprintf(tried[count++], sizeof tried[0], "%s%s", dir, FONTS_FROM_BIN);
    if (dladdr((void *)avz_fonts_open_default, &info) &&
        folder_of(info.dli_fname, dir, sizeof dir)) {
        snprintf(tried[count], sizeof tried[0], "%s%s", dir, FONTS_FROM_BIN);
        count += count == 0 || strcmp(tried[0], tried[1]) != 0;
    }
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(tried[i], &st) == 0 && S_ISDIR(st.st_mode))
            return avz_fonts_open(tried[i], out, err);
    }
    char a[AVZ_SHORT], b[AVZ_SHORT];
    return avz_error_set(err, -ENOENT,
                         "no font folder found (tried %s%s%s); set AVZ_FONT_DIR to the folder "
                         "that holds attnviz's fonts",
                         count ? avz_shorten(a, sizeof a, tried[0]) : "nothing",
                         count > 1 ? " and " : "",
                         count > 1 ? avz_shorten(b, sizeof b, tried[1]) : "");
}

/* Reads a whole file into a harfbuzz blob that frees the bytes when the last user is gone. */
static int read_blob(const char *path, hb_blob_t **out, avz_error *err) {
    /* Without blocking: a FIFO or a device in the font folder is refused, not waited on. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int code = -errno;
        if (fd >= 0)
            close(fd);
        return avz_error_set(err, code, "cannot open font %s: %s", path, strerror(-code));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return avz_error_set(err, -EINVAL, "font %s is not a file", path);
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int code = -errno;
        close(fd);
        return avz_error_set(err, code, "cannot open font %s: %s", path, strerror(-code));
    }
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 1 << 20;
            char *p = realloc(data, ncap);
            if (!p) {
                free(data);
                fclose(f);
                return avz_error_set(err, -ENOMEM, "out of memory reading font %s", path);
            }
            data = p;
            cap = ncap;
        }
        size_t got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad || len == 0 || len > 0x7fffffff) {
        free(data);
        return avz_error_set(err, -EINVAL, "cannot read font %s: %s", path,
                             bad   ? "read error"
                             : len ? "file too large"
                                   : "empty file");
    }
    *out = hb_blob_create(data, (unsigned)len, HB_MEMORY_MODE_READONLY, data, free);
    return 0;
}

static void face_close(avz_face *face) {
    if (face->cache) {
        for (size_t i = 0; i < face->cache->count; i++)
            avz_path_free(&face->cache->outlines[i]);
        free(face->cache->outlines);
        free(face->cache->loaded);
        free(face->cache);
    }
    /* freetype reads the blob's bytes, so it goes first */
    if (face->ft)
        FT_Done_Face(face->ft);
    hb_font_destroy(face->hb);
    memset(face, 0, sizeof *face);
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* freetype opens a font cut short as long as its header survives, and its glyphs then come
 * out empty: text would vanish without an error. Every table must lie inside the file. */
static int check_tables(const unsigned char *data, size_t len, const char *path, avz_error *err) {
    if (len < 12)
        return avz_error_set(err, -EINVAL, "not a usable font file: %s", path);
    size_t tables = (size_t)data[4] << 8 | data[5];
    if (len < 12 + 16 * tables)
        return avz_error_set(err, -EINVAL, "font %s is truncated: its table directory is cut off",
                             path);
    for (size_t i = 0; i < tables; i++) {
        const unsigned char *record = data + 12 + 16 * i;
        uint32_t offset = be32(record + 8), length = be32(record + 12);
        if (offset > len || length > len - offset)
            return avz_error_set(err, -EINVAL,
                                 "font %s is truncated: its '%.4s' table runs past the end of "
                                 "the file",
                                 path, (const char *)record);
    }
    return 0;
}

static int face_open(FT_Library lib, const char *dir, const char *file, avz_face *face,
                     avz_error *err) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
        return avz_error_set(err, -ENAMETOOLONG, "font directory path too long: %s", dir);
    hb_blob_t *blob = NULL;
    int rc = read_blob(path, &blob, err);
    if (rc < 0)
        return rc;
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    if ((rc = check_tables((const unsigned char *)data, len, path, err)) < 0) {
        hb_blob_destroy(blob);
        return rc;
    }
    if (FT_New_Memory_Face(lib, (const FT_Byte *)data, (FT_Long)len, 0, &face->ft) != 0 ||
        !FT_IS_SCALABLE(face->ft) || face->ft->units_per_EM == 0) {
        face->ft = NULL;
        hb_blob_destroy(blob);
        return avz_error_set(err, -EINVAL, "not a usable font file: %s", path);
    }
    hb_face_t *hbf = hb_face_create(blob, 0);
    hb_blob_destroy(blob); /* the face keeps its own reference */
    face->upem = face->ft->units_per_EM;
    face->hb = hb_font_create(hbf);
    hb_face_destroy(hbf);
    /* positions in font units: layout scales them itself */
    hb_font_set_scale(face->hb, (int)face->upem, (int)face->upem);

    size_t n = (size_t)face->ft->num_glyphs;
    outline_cache *cache = calloc(1, sizeof *cache);
    avz_path *outlines = calloc(n ? n : 1, sizeof *outlines);
    unsigned char *loaded = calloc(n ? n : 1, 1);
    if (!cache || !outlines || !loaded) {
        free(cache);
        free(outlines);
        free(loaded);
        return avz_error_set(err, -ENOMEM, "out of memory loading font %s", path);
    }
    *cache = (outline_cache){n, outlines, loaded};
    face->cache = cache;
    return 0;
}

int avz_fonts_open(const char *dir, avz_fonts **out, avz_error *err) {
    *out = NULL;
    avz_fonts *fonts = calloc(1, sizeof *fonts);
    if (!fonts)
        return avz_error_set(err, -ENOMEM, "out of memory loading fonts");
    if (FT_Init_FreeType(&fonts->ft) != 0) {
        free(fonts);
        return avz_error_set(err, -ENOMEM, "cannot initialise freetype");
    }
    for (int i = 0; i < AVZ_FACE_COUNT; i++) {
        int rc = face_open(fonts->ft, dir, face_files[i], &fonts->faces[i], err);
        if (rc < 0) {
            avz_fonts_close(fonts);
            return rc;
        }
    }
    *out = fonts;
    return 0;
}

void avz_fonts_close(avz_fonts *fonts) {
    if (!fonts)
        return;
    for (int i = 0; i < AVZ_FACE_COUNT; i++)
        face_close(&fonts->faces[i]);
    FT_Done_FreeType(fonts->ft);
    free(fonts);
}

const avz_face *avz_fonts_face(const avz_fonts *fonts, avz_face_id id) {
    return (unsigned)id < AVZ_FACE_COUNT ? &fonts->faces[id] : NULL;
}

hb_font_t *avz_face_hb(const avz_face *face) {
    return face->hb;
}

unsigned avz_face_upem(const avz_face *face) {
    return face->upem;
}

/* freetype's outline walk, collected into an avz_path in font units */
typedef struct outline_sink {
    avz_path *path;
    bool open; /* a contour has started and is not closed yet */
} outline_sink;

static avz_vec2 ft_point(const FT_Vector *v) {
    return (avz_vec2){(double)v->x, (double)v->y};
}

static int sink_move(const FT_Vector *to, void *user) {
    outline_sink *s = user;
    if (s->open && avz_path_close(s->path) < 0)
        return 1;
    s->open = true;
    return avz_path_move_to(s->path, ft_point(to)) < 0;
}

static int sink_line(const FT_Vector *to, void *user) {
    outline_sink *s = user;
    return avz_path_line_to(s->path, ft_point(to)) < 0;
}

static int sink_conic(const FT_Vector *c, const FT_Vector *to, void *user) {
    outline_sink *s = user;
    return avz_path_quad_to(s->path, ft_point(c), ft_point(to)) < 0;
}

static int sink_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to, void *user) {
    outline_sink *s = user;
    return avz_path_cubic_to(s->path, ft_point(c1), ft_point(c2), ft_point(to)) < 0;
}

static int load_outline(const avz_face *face, unsigned gid, avz_path *out) {
    /* unscaled and unhinted: the same shape at every size, scaled exactly later; a glyph
     * that does not load is a font file that cannot be read (-EIO), as a cut one is */
    if (FT_Load_Glyph(face->ft, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP))
        return -EIO;
    if (face->ft->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
        return -EIO;
    static const FT_Outline_Funcs funcs = {
        .move_to = sink_move,
        .line_to = sink_line,
        .conic_to = sink_conic,
        .cubic_to = sink_cubic,
    };
    outline_sink sink = {out, false};
    if (FT_Outline_Decompose(&face->ft->glyph->outline, &funcs, &sink) != 0 ||
        (sink.open && avz_path_close(out) < 0)) {
        avz_path_free(out);
        return -ENOMEM;
    }
    return 0;
}

int avz_face_glyph_path(const avz_face *face, unsigned gid, double em, avz_vec2 origin,
                        avz_path *out) {
    outline_cache *cache = face->cache;
    if (gid >= cache->count)
        return -EINVAL;
    if (!cache->loaded[gid]) {
        int rc = load_outline(face, gid, &cache->outlines[gid]);
        if (rc < 0)
            return rc;
        cache->loaded[gid] = 1;
    }
    const avz_path *src = &cache->outlines[gid];
    double s = em / face->upem;
    for (size_t i = 0; i < src->count; i++) {
        const avz_seg *seg = &src->segs[i];
        avz_vec2 p[3];
        for (int k = 0; k < 3; k++)
            p[k] = (avz_vec2){origin.x + seg->p[k].x * s, origin.y + seg->p[k].y * s};
        int rc = 0;
        switch (seg->kind) {
        case AVZ_SEG_MOVE:
            rc = avz_path_move_to(out, p[0]);
            break;
        case AVZ_SEG_LINE:
            rc = avz_path_line_to(out, p[0]);
            break;
        case AVZ_SEG_CUBIC:
            rc = avz_path_cubic_to(out, p[0], p[1], p[2]);
            break;
        case AVZ_SEG_CLOSE:
            rc = avz_path_close(out);
            break;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}
