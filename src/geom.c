/* attnviz geometry: colours, boxes and vector paths (building, transforming, measuring,
 * and cutting a path at a fraction of its length for Create and Write). */
#include "attnviz/geom.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Flattening step count per cubic: fine enough that lengths are exact to well under a pixel
 * at 4K, cheap enough to run at scene build time. */
#define CUBIC_STEPS 32

avz_color avz_color_lerp(avz_color a, avz_color b, double t) {
    return (avz_color){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

bool avz_color_parse(const char *hex, avz_color *out) {
    unsigned v;
    int used = 0;
    if (!hex || hex[0] != '#' || strlen(hex) != 7 || sscanf(hex + 1, "%6x%n", &v, &used) != 1 ||
        used != 6)
        return false;
    *out = (avz_color){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0};
    return true;
}

avz_bbox avz_bbox_empty(void) {
    return (avz_bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
}

bool avz_bbox_is_empty(avz_bbox b) {
    return b.x0 > b.x1 || b.y0 > b.y1;
}

avz_bbox avz_bbox_union(avz_bbox a, avz_bbox b) {
    return (avz_bbox){fmin(a.x0, b.x0), fmin(a.y0, b.y0), fmax(a.x1, b.x1), fmax(a.y1, b.y1)};
}

avz_bbox avz_bbox_add_point(avz_bbox b, avz_vec2 p) {
    return (avz_bbox){p.x < b.x0 ? p.x : b.x0, p.y < b.y0 ? p.y : b.y0, p.x > b.x1 ? p.x : b.x1,
                      p.y > b.y1 ? p.y : b.y1};
}

avz_bbox avz_bbox_grow(avz_bbox b, double margin) {
    return (avz_bbox){b.x0 - margin, b.y0 - margin, b.x1 + margin, b.y1 + margin};
}

bool avz_bbox_overlaps(avz_bbox a, avz_bbox b, double touch) {
    return fmin(a.x1, b.x1) - fmax(a.x0, b.x0) > touch &&
           fmin(a.y1, b.y1) - fmax(a.y0, b.y0) > touch;
}

avz_vec2 avz_bbox_center(avz_bbox b) {
    return (avz_vec2){(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2};
}

avz_bbox avz_bbox_moved_to(avz_bbox b, avz_vec2 center) {
    avz_vec2 c = avz_bbox_center(b);
    double dx = center.x - c.x, dy = center.y - c.y;
    return (avz_bbox){b.x0 + dx, b.y0 + dy, b.x1 + dx, b.y1 + dy};
}

double avz_bbox_width(avz_bbox b) {
    return b.x1 - b.x0;
}

double avz_bbox_height(avz_bbox b) {
    return b.y1 - b.y0;
}

avz_vec2 avz_bbox_edge(avz_bbox b, avz_vec2 dir) {
    avz_vec2 c = avz_bbox_center(b);
    return (avz_vec2){c.x + dir.x * avz_bbox_width(b) / 2, c.y + dir.y * avz_bbox_height(b) / 2};
}

void avz_path_free(avz_path *path) {
    if (!path)
        return;
    free(path->segs);
    *path = (avz_path){0};
}

static int push(avz_path *path, avz_seg seg) {
    if (path->count == path->capacity) {
        size_t cap = path->capacity ? path->capacity * 2 : 16;
        if (cap > SIZE_MAX / sizeof *path->segs)
            return -ENOMEM;
        avz_seg *segs = realloc(path->segs, cap * sizeof *segs);
        if (!segs)
            return -ENOMEM;
        path->segs = segs;
        path->capacity = cap;
    }
    path->segs[path->count++] = seg;
    return 0;
}

int avz_path_move_to(avz_path *path, avz_vec2 p) {
    return push(path, (avz_seg){AVZ_SEG_MOVE, {p}});
}

int avz_path_line_to(avz_path *path, avz_vec2 p) {
    return push(path, (avz_seg){AVZ_SEG_LINE, {p}});
}

int avz_path_cubic_to(avz_path *path, avz_vec2 c1, avz_vec2 c2, avz_vec2 p) {
    return push(path, (avz_seg){AVZ_SEG_CUBIC, {c1, c2, p}});
}

/* The pen position after the last segment: its end point, or after a close, the start of
 * the subpath it closed. */
static avz_vec2 pen_position(const avz_path *path) {
    for (size_t i = path->count; i-- > 0;) {
        const avz_seg *s = &path->segs[i];
        if (s->kind == AVZ_SEG_CUBIC)
            return s->p[2];
        if (s->kind != AVZ_SEG_CLOSE)
            return s->p[0];
        while (i > 0 && path->segs[i].kind != AVZ_SEG_MOVE)
            i--;
        return path->segs[i].p[0];
    }
    return (avz_vec2){0, 0};
}

int avz_path_quad_to(avz_path *path, avz_vec2 c, avz_vec2 p) {
    avz_vec2 p0 = path->count ? pen_position(path) : c;
    avz_vec2 c1 = {p0.x + 2.0 / 3.0 * (c.x - p0.x), p0.y + 2.0 / 3.0 * (c.y - p0.y)};
    avz_vec2 c2 = {p.x + 2.0 / 3.0 * (c.x - p.x), p.y + 2.0 / 3.0 * (c.y - p.y)};
    return avz_path_cubic_to(path, c1, c2, p);
}

int avz_path_close(avz_path *path) {
    return push(path, (avz_seg){AVZ_SEG_CLOSE, {{0, 0}}});
}

int avz_path_append(avz_path *dst, const avz_path *src) {
    for (size_t i = 0; i < src->count; i++) {
        int rc = push(dst, src->segs[i]);
        if (rc)
            return rc;
    }
    return 0;
}

int avz_path_copy(avz_path *dst, const avz_path *src) {
    *dst = (avz_path){0};
    int rc = avz_path_append(dst, src);
    if (rc)
        avz_path_free(dst);
    return rc;
}

int avz_path_rect(avz_path *path, avz_bbox b) {
    avz_vec2 pts[5] = {{b.x1, b.y1}, {b.x0, b.y1}, {b.x0, b.y0}, {b.x1, b.y0}, {b.x1, b.y1}};
    int rc = avz_path_polyline(path, pts, 5);
    return rc ? rc : avz_path_close(path);
}

/* A quarter circle as one cubic; kappa makes its midpoint lie on the circle. */
static int quarter_arc(avz_path *path, avz_vec2 from, avz_vec2 corner, avz_vec2 to) {
    const double k = 0.5522847498307936;
    avz_vec2 c1 = {from.x + (corner.x - from.x) * k, from.y + (corner.y - from.y) * k};
    avz_vec2 c2 = {to.x + (corner.x - to.x) * k, to.y + (corner.y - to.y) * k};
    return avz_path_cubic_to(path, c1, c2, to);
}

int avz_path_round_rect(avz_path *path, avz_bbox b, double r) {
    r = fmax(0, fmin(r, fmin(avz_bbox_width(b), avz_bbox_height(b)) / 2));
    if (r == 0)
        return avz_path_rect(path, b);
    int rc = avz_path_move_to(path, (avz_vec2){b.x1, b.y1 - r});
    rc = rc ? rc
            : quarter_arc(path, (avz_vec2){b.x1, b.y1 - r}, (avz_vec2){b.x1, b.y1},
                          (avz_vec2){b.x1 - r, b.y1});
    rc = rc ? rc : avz_path_line_to(path, (avz_vec2){b.x0 + r, b.y1});
    rc = rc ? rc
            : quarter_arc(path, (avz_vec2){b.x0 + r, b.y1}, (avz_vec2){b.x0, b.y1},
                          (avz_vec2){b.x0, b.y1 - r});
    rc = rc ? rc : avz_path_line_to(path, (avz_vec2){b.x0, b.y0 + r});
    rc = rc ? rc
            : quarter_arc(path, (avz_vec2){b.x0, b.y0 + r}, (avz_vec2){b.x0, b.y0},
                          (avz_vec2){b.x0 + r, b.y0});
    rc = rc ? rc : avz_path_line_to(path, (avz_vec2){b.x1 - r, b.y0});
    rc = rc ? rc
            : quarter_arc(path, (avz_vec2){b.x1 - r, b.y0}, (avz_vec2){b.x1, b.y0},
                          (avz_vec2){b.x1, b.y0 + r});
    rc = rc ? rc : avz_path_line_to(path, (avz_vec2){b.x1, b.y1 - r});
    return rc ? rc : avz_path_close(path);
}

int avz_path_arc(avz_path *path, double radius, double from, double to) {
    /* A cubic with controls k·r along the tangents, k = 4/3 tan(θ/4), strays from the circle by
     * under 3e-4 r for a quarter turn: invisible at 4K for any radius that fits the frame. */
    int pieces = (int)ceil(fabs(to - from) / (AVZ_PI / 2) - 1e-9);
    pieces = pieces < 1 ? 1 : pieces;
    double step = (to - from) / pieces, k = 4.0 / 3.0 * tan(step / 4);
    int rc = avz_path_move_to(path, (avz_vec2){radius * cos(from), radius * sin(from)});
    for (int i = 0; i < pieces && !rc; i++) {
        double a = from + i * step, b = a + step;
        avz_vec2 p0 = {radius * cos(a), radius * sin(a)}, p1 = {radius * cos(b), radius * sin(b)};
        rc = avz_path_cubic_to(path, (avz_vec2){p0.x - k * p0.y, p0.y + k * p0.x},
                               (avz_vec2){p1.x + k * p1.y, p1.y - k * p1.x}, p1);
    }
    return rc;
}

int avz_path_circle(avz_path *path, double radius) {
    int rc = avz_path_arc(path, radius, 0, 2 * AVZ_PI);
    return rc ? rc : avz_path_close(path);
}

int avz_path_polyline(avz_path *path, const avz_vec2 *pts, size_t n) {
    int rc = n ? avz_path_move_to(path, pts[0]) : 0;
    for (size_t i = 1; i < n && !rc; i++)
        rc = avz_path_line_to(path, pts[i]);
    return rc;
}

static int seg_points(avz_seg_kind kind) {
    return kind == AVZ_SEG_CUBIC ? 3 : kind == AVZ_SEG_CLOSE ? 0 : 1;
}

void avz_path_transform(avz_path *path, double scale, avz_vec2 offset) {
    for (size_t i = 0; i < path->count; i++) {
        avz_seg *s = &path->segs[i];
        for (int k = 0; k < seg_points(s->kind); k++)
            s->p[k] = (avz_vec2){s->p[k].x * scale + offset.x, s->p[k].y * scale + offset.y};
    }
}

void avz_path_translate(avz_path *path, avz_vec2 offset) {
    avz_path_transform(path, 1.0, offset);
}

void avz_path_rotate(avz_path *path, avz_vec2 c, double radians) {
    double cs = cos(radians), sn = sin(radians);
    for (size_t i = 0; i < path->count; i++) {
        avz_seg *s = &path->segs[i];
        for (int k = 0; k < seg_points(s->kind); k++) {
            double dx = s->p[k].x - c.x, dy = s->p[k].y - c.y;
            s->p[k] = (avz_vec2){c.x + dx * cs - dy * sn, c.y + dx * sn + dy * cs};
        }
    }
}

static avz_vec2 cubic_at(avz_vec2 p0, const avz_vec2 *c, double t) {
    double u = 1 - t;
    double a = u * u * u, b = 3 * u * u * t, d = 3 * u * t * t, e = t * t * t;
    return (avz_vec2){a * p0.x + b * c[0].x + d * c[1].x + e * c[2].x,
                      a * p0.y + b * c[0].y + d * c[1].y + e * c[2].y};
}

/* Adds to b the points of a cubic (p0, controls c[0], c[1], end c[2]) where it turns back
 * along x or along y: its box is its ends and those. A coordinate whose controls lie between
 * its ends never turns back. */
static avz_bbox add_cubic_turns(avz_bbox b, avz_vec2 p0, const avz_vec2 *c) {
    const double xs[4] = {p0.x, c[0].x, c[1].x, c[2].x}, ys[4] = {p0.y, c[0].y, c[1].y, c[2].y};
    const double *axes[2] = {xs, ys};
    for (int axis = 0; axis < 2; axis++) {
        const double *q = axes[axis];
        double lo = fmin(q[0], q[3]), hi = fmax(q[0], q[3]);
        if (q[1] >= lo && q[1] <= hi && q[2] >= lo && q[2] <= hi)
            continue;
        /* The derivative over 3: a t^2 + b t + c. */
        double qa = -q[0] + 3 * q[1] - 3 * q[2] + q[3], qb = 2 * (q[0] - 2 * q[1] + q[2]);
        double qc = q[1] - q[0];
        double roots[2];
        int n = 0;
        if (fabs(qa) < 1e-12) {
            if (fabs(qb) > 1e-12)
                roots[n++] = -qc / qb;
        } else if (qb * qb - 4 * qa * qc >= 0) {
            double root = sqrt(qb * qb - 4 * qa * qc);
            roots[n++] = (-qb + root) / (2 * qa);
            roots[n++] = (-qb - root) / (2 * qa);
        }
        for (int k = 0; k < n; k++)
            if (roots[k] > 0 && roots[k] < 1)
                b = avz_bbox_add_point(b, cubic_at(p0, c, roots[k]));
    }
    return b;
}

avz_bbox avz_path_bbox(const avz_path *path) {
    avz_bbox b = avz_bbox_empty();
    avz_vec2 cur = {0, 0}, start = {0, 0};
    for (size_t i = 0; i < path->count; i++) {
        const avz_seg *s = &path->segs[i];
        switch (s->kind) {
        case AVZ_SEG_MOVE:
            cur = start = s->p[0];
            b = avz_bbox_add_point(b, cur);
            break;
        case AVZ_SEG_LINE:
            cur = s->p[0];
            b = avz_bbox_add_point(b, cur);
            break;
        case AVZ_SEG_CUBIC:
            b = add_cubic_turns(avz_bbox_add_point(b, s->p[2]), cur, s->p);
            cur = s->p[2];
            break;
        case AVZ_SEG_CLOSE:
            cur = start;
            break;
        }
    }
    return b;
}

static double dist(avz_vec2 a, avz_vec2 b) {
    return hypot(b.x - a.x, b.y - a.y);
}

/* Length of a cubic from t=0 to t=t1, by flattening. */
static double cubic_length(avz_vec2 p0, const avz_vec2 *c, double t1) {
    double len = 0;
    avz_vec2 prev = p0;
    for (int k = 1; k <= CUBIC_STEPS; k++) {
        avz_vec2 q = cubic_at(p0, c, t1 * k / CUBIC_STEPS);
        len += dist(prev, q);
        prev = q;
    }
    return len;
}

/* Length of segment i, given the pen position before it and its subpath's start. */
static double seg_length(const avz_seg *s, avz_vec2 cur, avz_vec2 start) {
    switch (s->kind) {
    case AVZ_SEG_LINE:
        return dist(cur, s->p[0]);
    case AVZ_SEG_CUBIC:
        return cubic_length(cur, s->p, 1.0);
    case AVZ_SEG_CLOSE:
        return dist(cur, start);
    case AVZ_SEG_MOVE:
        break;
    }
    return 0;
}

static avz_vec2 seg_end(const avz_seg *s, avz_vec2 cur, avz_vec2 start) {
    switch (s->kind) {
    case AVZ_SEG_MOVE:
    case AVZ_SEG_LINE:
        return s->p[0];
    case AVZ_SEG_CUBIC:
        return s->p[2];
    case AVZ_SEG_CLOSE:
        return start;
    }
    return cur;
}

double avz_path_length(const avz_path *path) {
    double len = 0;
    avz_vec2 cur = {0, 0}, start = {0, 0};
    for (size_t i = 0; i < path->count; i++) {
        const avz_seg *s = &path->segs[i];
        len += seg_length(s, cur, start);
        if (s->kind == AVZ_SEG_MOVE)
            start = s->p[0];
        cur = seg_end(s, cur, start);
    }
    return len;
}

/* The first part of a cubic, up to parameter t (de Casteljau). */
static void cubic_split(avz_vec2 p0, const avz_vec2 *c, double t, avz_vec2 out[3]) {
    avz_vec2 a = {p0.x + (c[0].x - p0.x) * t, p0.y + (c[0].y - p0.y) * t};
    avz_vec2 b = {c[0].x + (c[1].x - c[0].x) * t, c[0].y + (c[1].y - c[0].y) * t};
    avz_vec2 d = {c[1].x + (c[2].x - c[1].x) * t, c[1].y + (c[2].y - c[1].y) * t};
    avz_vec2 ab = {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
    avz_vec2 bd = {b.x + (d.x - b.x) * t, b.y + (d.y - b.y) * t};
    out[0] = a;
    out[1] = ab;
    out[2] = (avz_vec2){ab.x + (bd.x - ab.x) * t, ab.y + (bd.y - ab.y) * t};
}

/* The parameter at which a cubic has run `target` of its length (bisection on length). */
static double cubic_param_at(avz_vec2 p0, const avz_vec2 *c, double target) {
    double lo = 0, hi = 1;
    for (int it = 0; it < 30; it++) {
        double mid = (lo + hi) / 2;
        if (cubic_length(p0, c, mid) < target)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

int avz_path_partial(const avz_path *path, double fraction, avz_path *out) {
    *out = (avz_path){0};
    if (fraction >= 1.0)
        return avz_path_copy(out, path);
    if (fraction <= 0.0)
        return 0;
    double remaining = fraction * avz_path_length(path);
    avz_vec2 cur = {0, 0}, start = {0, 0};
    int rc = 0;
    for (size_t i = 0; i < path->count && !rc; i++) {
        const avz_seg *s = &path->segs[i];
        double len = seg_length(s, cur, start);
        if (s->kind != AVZ_SEG_MOVE && len >= remaining) {
            /* The cut falls inside this segment: keep its first part and stop. */
            double t = len > 0 ? remaining / len : 0;
            if (s->kind == AVZ_SEG_CUBIC) {
                avz_vec2 part[3];
                cubic_split(cur, s->p, cubic_param_at(cur, s->p, remaining), part);
                rc = avz_path_cubic_to(out, part[0], part[1], part[2]);
            } else {
                avz_vec2 e = seg_end(s, cur, start);
                rc = avz_path_line_to(
                    out, (avz_vec2){cur.x + (e.x - cur.x) * t, cur.y + (e.y - cur.y) * t});
            }
            break;
        }
        rc = push(out, *s);
        remaining -= len;
        if (s->kind == AVZ_SEG_MOVE)
            start = s->p[0];
        cur = seg_end(s, cur, start);
    }
    if (rc)
        avz_path_free(out);
    return rc;
}
