/* attnviz GIF output, written by attnviz itself (GIF89a) with the palette of a first pass over
 * the frames (histogram.c; one global colour table, its last entry transparent). Each frame is
 * the rectangle of pixels whose palette index changed since the frame before, the unchanged
 * ones in it transparent: what FFmpeg's GIF encoder writes with offsetting and transdiff, but
 * made by the workers, in parallel. Each converter maps its frame to the palette exactly
 * (palette.h) and encodes it against the picture before, which the pipeline gives it by
 * drawing runs of consecutive frames (avz_sink_encodes_changes); the writer only stores the
 * frames, in order. */
#include <stdlib.h>
#include <string.h>

#include "lzw.h"
#include "output.h"
#include "palette.h"

#define TRANSPARENT (AVZ_PALETTE_SIZE - 1) /* palette.h: the last entry */
#define WRITE_BUFFER 262144                /* bytes gathered before a write */
#define DELAY_AT 4 /* where a frame's delay sits in its graphic control extension */

typedef struct gif_sink {
    avz_sink base;
    int fd;
    uint32_t palette[AVZ_PALETTE_SIZE];
    bool has_palette;
    avz_bytes pending;     /* written bytes not yet handed to the file */
    avz_bytes hold;        /* a 1x1 transparent image: the picture before, one frame longer */
    const avz_frame *last; /* the frame written last: sent again, it is the same picture */
    uint16_t delay;        /* of each frame, in hundredths of a second */
} gif_sink;

typedef struct gif_frame {
    avz_frame base;
    avz_bytes image; /* graphic control extension, image descriptor, data */
    bool unchanged;  /* no pixel's index differs from the picture before */
} gif_frame;

typedef struct gif_converter {
    avz_converter base;
    avz_palette_map *map;
    uint8_t *indices;  /* this picture's, the whole frame */
    uint8_t *previous; /* the picture before's */
    bool has_previous;
    uint8_t *rect; /* the changed rectangle's, row after row, unchanged ones transparent */
    avz_lzw_table lzw;
} gif_converter;

typedef struct rect {
    int x, y, w, h;
} rect;

/* GIF delays are whole hundredths of a second, and browsers stretch delays under 2. */
static bool gif_plays(int fps) {
    return fps >= 1 && 100 % fps == 0 && 100 / fps >= 2;
}

static int gif_best_fps(int fps) {
    while (fps > 1 && !gif_plays(fps))
        fps--;
    return fps;
}

static int gif_check(const char *path, const avz_sink_options *o, avz_error *err) {
    char shown[AVZ_SHORT];
    if (!gif_plays(o->fps))
        return avz_error_set(err, -EINVAL,
                             "a GIF cannot play %d frames per second exactly ('%s'); allowed: 50, "
                             "25, 20, 10, 5, 4, 2, 1",
                             o->fps, avz_shorten(shown, sizeof shown, path));
    return 0;
}

static void put16(uint8_t *p, int v) {
    p[0] = (uint8_t)(v & 255);
    p[1] = (uint8_t)(v >> 8);
}

/* A graphic control extension (leave the picture in place; delay 0, for the writer) and an
 * image descriptor of r, with the global colour table. */
static int put_image_head(rect r, bool transparent, avz_bytes *out) {
    uint8_t head[8 + 10] = {0x21,        0xf9, 4,   (uint8_t)(1 << 2 | transparent), 0, 0,
                            TRANSPARENT, 0,    0x2c};
    put16(head + 9, r.x);
    put16(head + 11, r.y);
    put16(head + 13, r.w);
    put16(head + 15, r.h);
    return avz_bytes_append(out, head, sizeof head);
}

static int flush_pending(gif_sink *s, avz_error *err) {
    int ret = avz_write_all(s->fd, s->pending.data, s->pending.size);
    s->pending.size = 0;
    if (ret < 0) {
        char shown[AVZ_SHORT];
        return avz_error_set(err, ret, "cannot write '%s': %s",
                             avz_shorten(shown, sizeof shown, s->base.path), strerror(-ret));
    }
    return 0;
}

/* Adds bytes to the file; *copy (when not NULL) points at them until the next call. */
static int put_bytes(gif_sink *s, const void *data, size_t size, uint8_t **copy, avz_error *err) {
    int ret = s->pending.size >= WRITE_BUFFER ? flush_pending(s, err) : 0;
    if (!ret && avz_bytes_append(&s->pending, data, size))
        ret = avz_error_set(err, -ENOMEM, "out of memory writing '%s'", s->base.path);
    if (!ret && copy)
        *copy = s->pending.data + s->pending.size - size;
    return ret;
}

/* The logical screen with the palette as its global colour table, and the NETSCAPE2.0
 * extension: loop for ever. */
static int put_header(gif_sink *s, avz_error *err) {
    uint8_t header[13 + 3 * AVZ_PALETTE_SIZE + 19] = {'G', 'I', 'F', '8', '9', 'a'};
    put16(header + 6, s->base.width);
    put16(header + 8, s->base.height);
    header[10] = 0xf7; /* a global table of 256 colours, 8 bits each */
    for (int i = 0; i < AVZ_PALETTE_SIZE; i++) {
        header[13 + 3 * i] = (uint8_t)(s->palette[i] >> 16);
        header[13 + 3 * i + 1] = (uint8_t)(s->palette[i] >> 8);
        header[13 + 3 * i + 2] = (uint8_t)s->palette[i];
    }
    static const uint8_t loop[19] = {0x21, 0xff, 11,  'N', 'E', 'T', 'S', 'C', 'A', 'P',
                                     'E',  '2',  '.', '0', 3,   1,   0,   0,   0};
    memcpy(header + 13 + 3 * AVZ_PALETTE_SIZE, loop, sizeof loop);
    return put_bytes(s, header, sizeof header, NULL, err);
}

static int gif_open(const avz_output *kind, const char *path, const avz_sink_options *o,
                    avz_sink **out, avz_error *err) {
    gif_sink *s = calloc(1, sizeof *s);
    if (!s)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    *out = &s->base;
    s->base.kind = kind;
    s->fd = -1;
    s->delay = (uint16_t)(100 / o->fps);
    int ret = avz_sink_init(&s->base, kind, path, o, err);
    if (ret)
        return ret;
    static const uint8_t transparent_pixel = TRANSPARENT;
    avz_lzw_table *table = malloc(sizeof *table);
    ret = !table || put_image_head((rect){0, 0, 1, 1}, true, &s->hold) ||
                  avz_lzw_encode(table, &transparent_pixel, 1, 8, &s->hold)
              ? avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path)
              : 0;
    free(table);
    return ret ? ret : avz_outset_add(s->base.files, path, &s->fd, NULL, err);
}

void avz_gif_set_palette(avz_sink *sink, const uint32_t palette[AVZ_PALETTE_SIZE]) {
    gif_sink *s = (gif_sink *)sink;
    memcpy(s->palette, palette, sizeof s->palette);
    s->has_palette = true;
}

/* The frame's image with the writer's delay: the frame stays as the worker made it. */
static int put_frame(gif_sink *s, const avz_bytes *image, avz_error *err) {
    uint8_t *copy;
    int ret = put_bytes(s, image->data, image->size, &copy, err);
    if (!ret)
        put16(copy + DELAY_AT, s->delay);
    return ret;
}

static int gif_write(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    gif_sink *s = (gif_sink *)sink;
    const gif_frame *f = (const gif_frame *)frame;
    bool again = frame == s->last;
    s->last = frame;
    int ret = sink->written ? 0 : put_header(s, err);
    return ret ? ret : put_frame(s, again || f->unchanged ? &s->hold : &f->image, err);
}

static int gif_finish(avz_sink *sink, avz_error *err) {
    gif_sink *s = (gif_sink *)sink;
    static const uint8_t trailer = 0x3b;
    int ret = put_bytes(s, &trailer, 1, NULL, err);
    ret = ret ? ret : flush_pending(s, err);
    return ret ? ret : avz_outset_close(sink->files, s->fd, err);
}

static void gif_close(avz_sink *sink) {
    gif_sink *s = (gif_sink *)sink;
    avz_bytes_free(&s->pending);
    avz_bytes_free(&s->hold);
    free(s);
}

static int gif_frame_new(const avz_sink *sink, avz_frame **out) {
    return avz_frame_alloc(sink, sizeof(gif_frame), out);
}

static void gif_frame_free(avz_frame *frame) {
    avz_bytes_free(&((gif_frame *)frame)->image);
    free(frame);
}

static void gif_converter_free(avz_converter *conv) {
    gif_converter *c = (gif_converter *)conv;
    avz_palette_map_free(c->map);
    free(c->indices);
    free(c->previous);
    free(c->rect);
    free(c);
}

static int gif_converter_new(const avz_sink *sink, avz_converter **out) {
    const gif_sink *s = (const gif_sink *)sink;
    if (!s->has_palette)
        return -EINVAL;
    gif_converter *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    avz_converter_init(&c->base, sink);
    size_t pixels = (size_t)c->base.width * (size_t)c->base.height;
    c->indices = malloc(pixels);
    c->previous = malloc(pixels);
    c->rect = malloc(pixels);
    int ret =
        c->indices && c->previous && c->rect ? avz_palette_map_new(s->palette, &c->map) : -ENOMEM;
    if (ret < 0) {
        gif_converter_free(&c->base);
        return ret;
    }
    *out = &c->base;
    return 0;
}

/* The smallest rectangle holding every pixel of the changed rows whose index differs from the
 * picture before (every pixel, without one); w == 0 when none does. */
static rect changed_rect(const gif_converter *c, const avz_rows *changed, size_t count) {
    int w = c->base.width, x0 = w, x1 = -1, y0 = c->base.height, y1 = -1;
    for (size_t b = 0; b < count; b++)
        for (int y = changed[b].first; y < changed[b].end; y++) {
            const uint8_t *now = c->indices + (size_t)y * (size_t)w;
            const uint8_t *before = c->previous + (size_t)y * (size_t)w;
            if (c->has_previous && !memcmp(now, before, (size_t)w))
                continue;
            int first = 0, last = w - 1;
            while (c->has_previous && now[first] == before[first])
                first++;
            while (c->has_previous && now[last] == before[last])
                last--;
            x0 = first < x0 ? first : x0;
            x1 = last > x1 ? last : x1;
            y0 = y < y0 ? y : y0;
            y1 = y > y1 ? y : y1;
        }
    return x1 < 0 ? (rect){0, 0, 0, 0} : (rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

/* The image of r: its pixels' indices, those unchanged since the picture before transparent. */
static int encode_rect(gif_converter *c, rect r, avz_bytes *out) {
    size_t w = (size_t)c->base.width;
    uint8_t *to = c->rect;
    for (int y = r.y; y < r.y + r.h; y++) {
        const uint8_t *now = c->indices + (size_t)y * w + r.x;
        const uint8_t *before = c->previous + (size_t)y * w + r.x;
        if (!c->has_previous) {
            memcpy(to, now, (size_t)r.w);
            to += r.w;
            continue;
        }
        for (int x = 0; x < r.w; x++)
            *to++ = now[x] == before[x] ? TRANSPARENT : now[x];
    }
    out->size = 0;
    /* The first picture has no pixel left unchanged, nor a picture to show through. */
    if (put_image_head(r, c->has_previous, out))
        return -ENOMEM;
    return avz_lzw_encode(&c->lzw, c->rect, (size_t)r.w * (size_t)r.h, 8, out);
}

static int gif_convert(avz_converter *conv, const uint8_t *argb, int stride,
                       const avz_rows *changed, size_t count, avz_frame *dst) {
    gif_converter *c = (gif_converter *)conv;
    int w = c->base.width;
    const avz_rows all = {0, c->base.height};
    if (!c->has_previous) {
        changed = &all;
        count = 1;
    }
    for (size_t b = 0; b < count; b++)
        avz_palette_map_rows(c->map, argb, stride, w, changed[b].first, changed[b].end, c->indices,
                             w);
    rect r = changed_rect(c, changed, count);
    gif_frame *f = (gif_frame *)dst;
    int ret = f && r.w ? encode_rect(c, r, &f->image) : 0;
    if (f)
        f->unchanged = !r.w;
    for (int y = r.y; y < r.y + r.h; y++)
        memcpy(c->previous + (size_t)y * (size_t)w + r.x, c->indices + (size_t)y * (size_t)w + r.x,
               (size_t)r.w);
    c->has_previous = true;
    return ret;
}

/* Bytes a pixel: each worker's converter keeps its picture's indices, the picture before's and
 * a rectangle's (counted for two workers), and the histogram pass a picture a worker (4,
 * counted for two). The queue's 32 frames a worker hold compressed rectangles: within the
 * worker's share for the yuv pictures a GIF's worker does not keep (6, limits.c), while each
 * is under 0.19 bytes a pixel (the largest of gqa at 1080p: 0.013). */
static double gif_memory(const avz_sink_options *o) {
    (void)o;
    return 2 * 3 + 2 * 4;
}

const avz_output avz_output_gif = {
    .name = "GIF",
    .encoder_memory = gif_memory,
    .extension = ".gif",
    .needs_palette = true,
    .encodes_changes = true,
    .best_fps = gif_best_fps,
    .check = gif_check,
    .open = gif_open,
    .frame_new = gif_frame_new,
    .frame_free = gif_frame_free,
    .converter_new = gif_converter_new,
    .converter_free = gif_converter_free,
    .convert = gif_convert,
    .write = gif_write,
    .finish = gif_finish,
    .close = gif_close,
};
