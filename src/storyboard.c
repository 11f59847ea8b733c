/* attnviz storyboard: thumbnails of every phase on one sheet, labelled by a small scene of
 * text nodes drawn by the engine itself. Depends on timeline, draw, scene and sink. */
#include "attnviz/storyboard.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "attnviz/draw.h"
#include "attnviz/png.h"
#include "timeline_internal.h"

#define MIN_THUMB 16
#define MAX_THUMB 8192
#define MAX_SHEET 32767 /* cairo's largest image side */
#define SHOTS 3         /* start, middle, end */
/* The end thumbnail shows the instant before the next phase starts, so that something the
 * next phase adds at its first instant does not appear in this one's row. */
#define END_EARLY 1e-6
/* A start or end that shows nothing is looked past, in this many steps to the middle. */
#define SEARCH_STEPS 48

typedef struct layout {
    int tw, th;             /* thumbnail */
    int margin;             /* around and between everything */
    double title_px;        /* em of row titles, pixels */
    double caption_px;      /* em of the times under thumbnails */
    int title_h, caption_h; /* their line heights */
    int header_h;           /* the sheet's title line, 0 without one */
    int width, height;      /* the sheet */
} layout;

static int row_top(const layout *g, size_t row) {
    return g->margin + g->header_h + (int)row * (g->title_h + g->th + g->caption_h + g->margin);
}

static int shot_left(const layout *g, int shot) {
    return g->margin + shot * (g->tw + g->margin);
}

/* The labels: text nodes placed in pixels on a scene as large as the sheet. */
typedef struct labels {
    avz_scene *scene;
    const layout *g;
    double unit; /* pixels per scene unit: the sheet is 8 units tall */
    avz_anim *shows;
    size_t count, capacity;
} labels;

/* Text with its left edge at x and its middle at y, in sheet pixels. */
static void label(labels *lb, const char *text, double em_px, avz_color color, double x, double y) {
    avz_id id = avz_text(lb->scene, text, em_px * 72.0 / lb->unit, color);
    if (id == AVZ_NONE)
        return;
    double w = avz_width(lb->scene, id) * lb->unit;
    avz_move_to(
        lb->scene, id,
        AVZ_V((x + w / 2 - lb->g->width / 2.0) / lb->unit, (lb->g->height / 2.0 - y) / lb->unit));
    if (lb->count == lb->capacity) {
        size_t cap = lb->capacity ? 2 * lb->capacity : 32;
        avz_anim *grown = realloc(lb->shows, cap * sizeof *grown);
        if (!grown) {
            avz_scene_fail(lb->scene, -ENOMEM, "out of memory");
            return;
        }
        lb->shows = grown;
        lb->capacity = cap;
    }
    lb->shows[lb->count++] = avz_show(id);
}

/* The instants a phase's thumbnails show, and whether each was moved to where the phase first
 * (or last) shows something. */
typedef struct shots {
    double t[SHOTS];
    bool moved[SHOTS];
} shots;

static bool shows_anything(const avz_scene *s, const avz_timeline *tl, double t,
                           avz_frame_state *st) {
    avz_timeline_sample(s, tl, t, st);
    return avz_frame_state_shows_anything(st);
}

static shots plan_shots(const avz_scene *s, const avz_timeline *tl, size_t phase,
                        avz_frame_state *st) {
    double start = avz_timeline_phase_start(tl, phase);
    double dur = avz_timeline_phase_duration(tl, phase);
    bool last = phase + 1 == avz_timeline_phase_count(tl);
    shots sh = {{start, start + dur / 2, last ? start + dur : fmax(start, start + dur - END_EARLY)},
                {false, false, false}};
    /* An empty first or last instant (a phase that fades in from black, or out to it) says
     * nothing about the phase: show the nearest instant that has something on screen. */
    for (int k = 0; k < SHOTS; k += SHOTS - 1) {
        if (shows_anything(s, tl, sh.t[k], st))
            continue;
        for (int step = 1; step <= SEARCH_STEPS; step++) {
            double t = sh.t[k] + (sh.t[1] - sh.t[k]) * step / SEARCH_STEPS;
            if (shows_anything(s, tl, t, st)) {
                sh.t[k] = t;
                sh.moved[k] = true;
                break;
            }
        }
    }
    return sh;
}

static void add_labels(labels *lb, const avz_timeline *tl, const char *title, const shots *plans) {
    const layout *g = lb->g;
    char text[512];
    if (title)
        label(lb, title, g->title_px * 1.2, AVZ_WHITE, g->margin, g->margin + g->header_h / 2.0);
    for (size_t i = 0; i < avz_timeline_phase_count(tl); i++) {
        double start = avz_timeline_phase_start(tl, i);
        double dur = avz_timeline_phase_duration(tl, i);
        snprintf(text, sizeof text, "%zu  %s    %.2f \u2013 %.2f s  (%.2f s)", i + 1,
                 avz_timeline_phase_name(tl, i), start, start + dur, dur);
        int top = row_top(g, i);
        label(lb, text, g->title_px, AVZ_WHITE, g->margin, top + g->title_h / 2.0);
        for (int k = 0; k < SHOTS; k++) {
            snprintf(text, sizeof text, "%.2f s%s", plans[i].t[k],
                     plans[i].moved[k] ? (k ? " (last content)" : " (first content)") : "");
            label(lb, text, g->caption_px, AVZ_LIGHT_GRAY, shot_left(g, k),
                  top + g->title_h + g->th + g->caption_h / 2.0);
        }
    }
}

/* avz_draw_frame's failure rc, as this sheet's: stopped, or out of memory. */
static int drawing_failed(int rc, avz_error *err) {
    return avz_error_set(err, rc,
                         rc == -EINTR ? "interrupted; no file written"
                                      : "out of memory drawing the storyboard");
}

/* Draws the labels over the whole sheet (their black background is the sheet's). */
static int draw_labels(const avz_scene *s, const avz_timeline *tl, const char *title,
                       const shots *plans, const layout *g, cairo_t *cr, avz_error *err) {
    labels lb = {.g = g, .unit = g->height / AVZ_FRAME_HEIGHT};
    int rc = avz_scene_new(avz_scene_fonts(s), &lb.scene);
    if (rc)
        return avz_error_set(err, rc, "out of memory");
    avz_phase(lb.scene, "labels");
    add_labels(&lb, tl, title, plans);
    avz_play_list(lb.scene, AVZ_AUTO, lb.shows, lb.count);
    avz_wait(lb.scene, 1);
    avz_timeline *ltl = NULL;
    avz_frame_state *st = NULL;
    rc = avz_scene_status(lb.scene, err);
    rc = rc ? rc : avz_timeline_resolve(lb.scene, NULL, &ltl, err);
    rc = rc ? rc : avz_frame_state_new(lb.scene, &st);
    if (!rc) {
        avz_timeline_sample(lb.scene, ltl, avz_timeline_duration(ltl), st);
        if ((rc = avz_draw_frame(lb.scene, st, cr, g->width, g->height, false)))
            drawing_failed(rc, err);
    } else {
        avz_error_set(err, rc, "cannot lay out the storyboard's labels");
    }
    avz_frame_state_free(st);
    avz_timeline_free(ltl);
    avz_scene_free(lb.scene);
    free(lb.shows);
    return rc;
}

/* 0, -ENOMEM, or -EINTR when stopped. */
static int draw_thumbnails(const avz_scene *s, const avz_timeline *tl, const shots *plans,
                           const layout *g, avz_frame_state *st, cairo_t *cr) {
    int rc = 0;
    for (size_t i = 0; i < avz_timeline_phase_count(tl) && !rc; i++) {
        int top = row_top(g, i) + g->title_h;
        for (int k = 0; k < SHOTS && !rc; k++) {
            int left = shot_left(g, k);
            avz_timeline_sample(s, tl, plans[i].t[k], st);
            cairo_save(cr);
            cairo_translate(cr, left, top);
            cairo_rectangle(cr, 0, 0, g->tw, g->th);
            cairo_clip(cr);
            rc = avz_draw_frame(s, st, cr, g->tw, g->th, false);
            cairo_restore(cr);
            /* A frame on black shows no edge of its own. */
            cairo_rectangle(cr, left - 0.5, top - 0.5, g->tw + 1, g->th + 1);
            cairo_set_source_rgb(cr, AVZ_DARK_GRAY.r, AVZ_DARK_GRAY.g, AVZ_DARK_GRAY.b);
            cairo_set_line_width(cr, 1);
            cairo_stroke(cr);
        }
    }
    return rc;
}

static int plan(const avz_timeline *tl, const avz_storyboard_options *o, layout *g,
                avz_error *err) {
    if (o->thumb_width < MIN_THUMB || o->thumb_height < MIN_THUMB || o->thumb_width > MAX_THUMB ||
        o->thumb_height > MAX_THUMB)
        return avz_error_set(err, -EINVAL, "thumbnail size %dx%d is not allowed; use %d to %d",
                             o->thumb_width, o->thumb_height, MIN_THUMB, MAX_THUMB);
    *g = (layout){.tw = o->thumb_width, .th = o->thumb_height};
    g->margin = g->th / 12 > 8 ? g->th / 12 : 8;
    g->title_px = fmin(fmax(g->th * 0.11, 12), 64);
    g->caption_px = g->title_px * 0.8;
    g->title_h = (int)ceil(g->title_px * 1.8);
    g->caption_h = (int)ceil(g->caption_px * 1.8);
    g->header_h = o->title ? (int)ceil(g->title_px * 2.4) : 0;
    double w = g->margin + SHOTS * (double)(g->tw + g->margin);
    double h = row_top(g, 0) + (double)avz_timeline_phase_count(tl) *
                                   (g->title_h + g->th + g->caption_h + g->margin);
    if (w > MAX_SHEET || h > MAX_SHEET)
        return avz_error_set(err, -EINVAL,
                             "a storyboard of %.0fx%.0f pixels is too large (at most %d a side); "
                             "use smaller thumbnails",
                             w, h, MAX_SHEET);
    g->width = (int)w;
    g->height = (int)h;
    return 0;
}

int avz_storyboard_size(const avz_timeline *tl, const avz_storyboard_options *opts, int *width,
                        int *height, avz_error *err) {
    layout g;
    int rc = plan(tl, opts, &g, err);
    *width = rc ? 0 : g.width;
    *height = rc ? 0 : g.height;
    return rc;
}

int avz_render_storyboard(const avz_scene *s, const avz_timeline *tl,
                          const avz_storyboard_options *opts, avz_error *err) {
    layout g;
    int rc = plan(tl, opts, &g, err);
    if (rc)
        return rc;
    size_t phases = avz_timeline_phase_count(tl);
    shots *plans = calloc(phases ? phases : 1, sizeof *plans);
    cairo_surface_t *sheet = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, g.width, g.height);
    cairo_t *cr = cairo_create(sheet);
    avz_frame_state *st = NULL;
    if (!plans || cairo_status(cr) != CAIRO_STATUS_SUCCESS || avz_frame_state_new(s, &st))
        rc = avz_error_set(err, -ENOMEM, "out of memory for a %dx%d storyboard", g.width, g.height);
    for (size_t i = 0; !rc && i < phases; i++)
        plans[i] = plan_shots(s, tl, i, st);
    rc = rc ? rc : draw_labels(s, tl, opts->title, plans, &g, cr, err);
    if (!rc && (rc = draw_thumbnails(s, tl, plans, &g, st, cr)))
        drawing_failed(rc, err);
    if (!rc) {
        cairo_surface_flush(sheet);
        rc = avz_png_write(opts->path, cairo_image_surface_get_data(sheet), g.width, g.height,
                           cairo_image_surface_get_stride(sheet), err);
    }
    avz_frame_state_free(st);
    free(plans);
    cairo_destroy(cr);
    cairo_surface_destroy(sheet);
    return rc;
}
