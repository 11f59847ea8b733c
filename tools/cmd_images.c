/* attnviz command line: the commands that write one PNG — still (a frame of the video),
 * storyboard (every phase on one sheet) and formula (one formula, for checking typography). */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attnviz/draw.h"
#include "attnviz/limits.h"
#include "attnviz/math.h"
#include "attnviz/pipeline.h"
#include "attnviz/png.h"
#include "attnviz/storyboard.h"
#include "cli.h"

#define THUMB_WIDTH 320 /* storyboard thumbnails unless --size or -q says otherwise */
#define THUMB_HEIGHT 180
#define FORMULA_EM_PX 100.0
#define MAX_IMAGE 32767 /* cairo's largest side */
/* At this MathTex size one em is exactly one scene unit, so pixels per em are pixels per unit. */
#define UNIT_FONT_SIZE (1.0 / AVZ_MATH_EM_PER_FONT_SIZE)

/* The PNG to write: -o's, or NAME.png (NAME-storyboard.png for a sheet) in the current folder. */
static int png_output(const cli_args *a, const char *suffix, char *buf, size_t size,
                      const char **out) {
    if (a->output) {
        const char *dot = strrchr(a->output, '.');
        if (!dot || strchr(dot, '/') || strcasecmp(dot, ".png"))
            return cli_fail(AVZ_EXIT_USAGE, "output \"%s\" must end in .png", a->output);
        *out = a->output;
    } else {
        const char *base = strrchr(a->operand ? a->operand : "formula", '/');
        base = base ? base + 1 : a->operand ? a->operand : "formula";
        size_t n = strcspn(base, ":");
        if (n > 3 && !strncmp(base + n - 3, ".so", 3))
            n -= 3;
        snprintf(buf, size, "%.*s%s.png", (int)n, base, suffix);
        *out = buf;
    }
    return cli_check_output(a, *out);
}

/* A still or a sheet must fit the machine before it is drawn, as a render must. */
static int check_image(const cli_args *a, int width, int height) {
    avz_limits_request req = {.width = width + width % 2,
                              .height = height + height % 2,
                              .fps = 1,
                              .frames = 1,
                              .workers = 1};
    avz_error err = {0};
    if (width > MAX_IMAGE || height > MAX_IMAGE)
        return cli_fail(AVZ_EXIT_USAGE, "an image of %dx%d pixels is too large (at most %d a side)",
                        width, height, MAX_IMAGE);
    /* The frame limits cap video frames at 8192 a side; a sheet may be larger, up to cairo's. */
    req.width = req.width > AVZ_LIMIT_MAX_SIDE ? AVZ_LIMIT_MAX_SIDE : req.width;
    req.height = req.height > AVZ_LIMIT_MAX_SIDE ? AVZ_LIMIT_MAX_SIDE : req.height;
    int rc = avz_limits_check_here(req, &err);
    if (rc)
        return cli_fail(AVZ_EXIT_USAGE, "%s", err.msg);
    cli_note(a, "image: %dx%d pixels", width, height);
    return 0;
}

/* ── still ─────────────────────────────────────────────────────────────────────────── */

static const char at_syntax[] = "--at must be SECONDS, PHASE, PHASE+SECONDS or end";

/* `phases` prints seconds to the millisecond: a time it printed, given back, is inside. */
#define PRINTED_HALF_MS 0.0005

/* Plain decimal seconds. */
static bool parse_seconds(const char *text, double *out) {
    if (!*text || strspn(text, "0123456789.") != strlen(text) ||
        strchr(text, '.') != strrchr(text, '.'))
        return false;
    *out = strtod(text, NULL);
    return isfinite(*out);
}

/* --at WHEN as seconds on the resolved timeline. */
static int when(const cli_args *a, const loaded *l, double *t) {
    double total = avz_timeline_duration(l->tl);
    if (!strcmp(a->at, "end")) {
        *t = total;
        return 0;
    }
    /* A number that is not plain seconds ("-1", "1e3") is a mistake, not a phase's name. */
    if (strchr("0123456789.+-", a->at[0]) && !parse_seconds(a->at, t))
        return cli_fail(AVZ_EXIT_USAGE, "%s, not \"%s\"", at_syntax, a->at);
    if (parse_seconds(a->at, t)) {
        if (*t > total + PRINTED_HALF_MS)
            return cli_fail(AVZ_EXIT_INPUT, "--at %s is past the end of %s (%.3f s)", a->at,
                            l->name, total);
        *t = fmin(*t, total);
        return 0;
    }
    const char *plus = strrchr(a->at, '+');
    size_t len = plus ? (size_t)(plus - a->at) : strlen(a->at);
    double offset = 0;
    char name[256];
    if (len == 0 || len >= sizeof name || (plus && !parse_seconds(plus + 1, &offset)))
        return cli_fail(AVZ_EXIT_USAGE, "%s, not \"%s\"", at_syntax, a->at);
    memcpy(name, a->at, len);
    name[len] = '\0';
    size_t i;
    int rc = cli_find_phase(l, "--at", name, &i);
    if (rc)
        return rc;
    double dur = avz_timeline_phase_duration(l->tl, i);
    if (offset > dur + PRINTED_HALF_MS)
        return cli_fail(AVZ_EXIT_INPUT, "--at %s is past the end of phase %s (%.3f s long)", a->at,
                        name, dur);
    *t = avz_timeline_phase_start(l->tl, i) + fmin(offset, dur);
    return 0;
}

int cmd_still(cli_args *a) {
    char fallback[512];
    const char *path = NULL;
    if (!a->at && a->frame < 0)
        return cli_fail(AVZ_EXIT_USAGE, "missing --at WHEN or --frame N");
    if (a->at && a->frame >= 0)
        return cli_fail(AVZ_EXIT_USAGE, "--at and --frame both say which frame; give one");
    int rc = png_output(a, "", fallback, sizeof fallback, &path);
    rc = rc ? rc : check_image(a, a->width, a->height);
    loaded l;
    if (rc || (rc = cli_load(a, &l)))
        return rc;
    /* The frame of the video the instant falls in: a still is always a frame of the render. */
    size_t frames = avz_frame_count(avz_timeline_duration(l.tl), a->fps);
    size_t frame = (size_t)a->frame;
    double t = 0;
    rc = cli_check_phases(&l, a->fps); /* as render refuses the video this is a frame of */
    if (!rc && a->at && !(rc = when(a, &l, &t)))
        frame = (size_t)llround(t * a->fps);
    if (!rc && frames == 0)
        rc = cli_fail(AVZ_EXIT_INPUT, "%s has no frames at %d fps", l.name, a->fps);
    if (!rc && frame >= frames) {
        if (a->at) /* the end instant shows what the last frame does */
            frame = frames - 1;
        else
            rc =
                cli_fail(AVZ_EXIT_INPUT, "--frame %zu is past the last frame of %s (%zu at %d fps)",
                         frame, l.name, frames - 1, a->fps);
    }
    avz_error err = {0};
    if (!rc) {
        t = (double)frame / a->fps;
        cli_note(a, "frame %zu of %zu at %d fps: %.4f s", frame, frames, a->fps, t);
        if ((rc = avz_render_still(l.scene, l.tl, t, path, a->width, a->height, a->transparent,
                                   &err)))
            rc = cli_fail_error(rc, AVZ_EXIT_IO, err.msg);
    }
    if (!rc && a->json) {
        fputs("{\"scene\":", stdout);
        json_string(stdout, l.name);
        fputs(",\"file\":", stdout);
        json_string(stdout, path);
        fprintf(stdout, ",\"frame\":%zu,\"time\":%.9g,\"fps\":%d,\"width\":%d,\"height\":%d}\n",
                frame, t, a->fps, a->width, a->height);
    }
    cli_unload(&l);
    return rc;
}

/* ── storyboard ────────────────────────────────────────────────────────────────────── */

int cmd_storyboard(cli_args *a) {
    char fallback[512];
    const char *path = NULL;
    int rc = png_output(a, "-storyboard", fallback, sizeof fallback, &path);
    loaded l;
    if (rc || (rc = cli_load(a, &l)))
        return rc;
    avz_storyboard_options opts = {.path = path,
                                   .title = l.name,
                                   .thumb_width = a->size_given ? a->width : THUMB_WIDTH,
                                   .thumb_height = a->size_given ? a->height : THUMB_HEIGHT};
    avz_error err = {0};
    int w = 0, h = 0;
    if ((rc = avz_storyboard_size(l.tl, &opts, &w, &h, &err)))
        rc = cli_fail(AVZ_EXIT_USAGE, "%s", err.msg);
    rc = rc ? rc : check_image(a, w, h);
    if (!rc && (rc = avz_render_storyboard(l.scene, l.tl, &opts, &err)))
        rc = cli_fail_error(rc, AVZ_EXIT_IO, err.msg);
    if (!rc && a->json) {
        fputs("{\"scene\":", stdout);
        json_string(stdout, l.name);
        fputs(",\"file\":", stdout);
        json_string(stdout, path);
        fprintf(stdout, ",\"width\":%d,\"height\":%d,\"phases\":%zu}\n", w, h,
                avz_timeline_phase_count(l.tl));
    }
    cli_unload(&l);
    return rc;
}

/* ── formula ───────────────────────────────────────────────────────────────────────── */

/* Draws a formula's parts in color, framed by its ink and a quarter em, into a new surface. */
static int draw_formula(const avz_parts *parts, double em_px, avz_color color, bool transparent,
                        cairo_surface_t **out) {
    avz_bbox box = avz_parts_bbox(parts);
    double pad = 0.25;
    int width = (int)ceil((avz_bbox_width(box) + 2 * pad) * em_px);
    int height = (int)ceil((avz_bbox_height(box) + 2 * pad) * em_px);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t *cr = cairo_create(surface);
    if (!transparent) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_paint(cr);
    }
    /* The ink box's top-left corner lands on the padding. */
    avz_vec2 origin = {(pad - box.x0) * em_px, (pad + box.y1) * em_px};
    for (size_t i = 0; i < parts->count; i++)
        avz_draw_append_path(cr, &parts->items[i], em_px, origin);
    cairo_set_source_rgb(cr, color.r, color.g, color.b);
    cairo_fill(cr);
    cairo_surface_flush(surface);
    int rc = cairo_status(cr) ? -ENOMEM : 0;
    cairo_destroy(cr);
    if (rc)
        cairo_surface_destroy(surface);
    *out = rc ? NULL : surface;
    return rc;
}

int cmd_formula(cli_args *a) {
    if (!a->operand)
        return cli_fail(AVZ_EXIT_USAGE, "which formula? give it as TEX, in quotes");
    avz_color color = AVZ_WHITE;
    if (a->color && !avz_color_parse(a->color, &color))
        return cli_fail(AVZ_EXIT_USAGE, "--color must be #RRGGBB, not \"%s\"", a->color);
    double em_px = a->formula_px > 0 ? a->formula_px : FORMULA_EM_PX;
    char fallback[64];
    const char *path = NULL;
    cli_args named = *a;
    named.operand = NULL; /* the default name is formula.png, not the formula */
    int rc = png_output(&named, "", fallback, sizeof fallback, &path);
    avz_fonts *fonts = NULL;
    if (rc || (rc = cli_open_fonts(&fonts)))
        return rc;
    avz_parts parts = {0};
    avz_error err = {0};
    if ((rc = avz_math_layout(fonts, a->operand, UNIT_FONT_SIZE, &parts, &err)))
        rc = cli_fail(cli_exit_for(rc, AVZ_EXIT_INPUT), "formula: %s", err.msg);
    avz_bbox box = avz_parts_bbox(&parts);
    int w = (int)ceil((avz_bbox_width(box) + 0.5) * em_px);
    int h = (int)ceil((avz_bbox_height(box) + 0.5) * em_px);
    rc = rc ? rc : check_image(a, w, h);
    cairo_surface_t *surface = NULL;
    if (!rc && (rc = draw_formula(&parts, em_px, color, a->transparent, &surface)))
        rc = cli_fail(AVZ_EXIT_FAILURE, "out of memory drawing the formula");
    if (!rc && (rc = avz_png_write(path, cairo_image_surface_get_data(surface), w, h,
                                   cairo_image_surface_get_stride(surface), &err)))
        rc = cli_fail_error(rc, AVZ_EXIT_IO, err.msg);
    if (!rc && a->json) {
        fputs("{\"file\":", stdout);
        json_string(stdout, path);
        fprintf(stdout, ",\"width\":%d,\"height\":%d,\"em\":%g}\n", w, h, em_px);
    }
    if (surface)
        cairo_surface_destroy(surface);
    avz_parts_free(&parts);
    avz_fonts_close(fonts);
    return rc;
}
