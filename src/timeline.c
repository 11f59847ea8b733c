/* attnviz timeline: rate functions, pacing (resolving nominal phase times to real ones) and
 * sampling the state of every node at an instant. Depends on the scene's data only. */
#include "attnviz/timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/settings.h"
#include "scene_internal.h"
#include "timeline_internal.h"

/* ── Rates ─────────────────────────────────────────────────────────────────────────── */

static double sigmoid(double x) {
    return 1.0 / (1.0 + exp(-x));
}

/* The original's `smooth`: a logistic S-curve rescaled to run from 0 to 1. */
static double smooth(double t) {
    const double inflection = 10.0;
    double error = sigmoid(-inflection / 2);
    double v = (sigmoid(inflection * (t - 0.5)) - error) / (1 - 2 * error);
    return fmin(fmax(v, 0.0), 1.0);
}

/* The original's rate functions of the same names. */
double avz_rate_eval(avz_rate rate, double t) {
    switch (rate) {
    case AVZ_RATE_LINEAR:
        return t;
    case AVZ_RATE_THERE_AND_BACK:
        return smooth(t < 0.5 ? 2 * t : 2 * (1 - t));
    case AVZ_RATE_RUSH_INTO:
        return 2 * smooth(t / 2);
    case AVZ_RATE_RUSH_FROM:
        return 2 * smooth(t / 2 + 0.5) - 1;
    case AVZ_RATE_DEFAULT:
    case AVZ_RATE_SMOOTH:
        break;
    }
    return smooth(t);
}

double avz_lag_alpha(double alpha, size_t index, size_t count, double lag_ratio) {
    /* A finished animation leaves every part exactly done: the sum below can fall an ulp
     * short for the last part, which would keep a finished Write's outline forever. */
    if (count <= 1 || alpha >= 1.0)
        return fmin(fmax(alpha, 0.0), 1.0);
    double total = (double)(count - 1) * lag_ratio + 1.0;
    double v = alpha * total - (double)index * lag_ratio;
    return fmin(fmax(v, 0.0), 1.0);
}

/* ── Nominal phases ────────────────────────────────────────────────────────────────── */

/* The getters read no scene or timeline as one of nothing, as free(NULL) is nothing. */

size_t avz_scene_phase_count(const avz_scene *s) {
    return s ? s->phase_count : 0;
}

const char *avz_scene_phase_name(const avz_scene *s, size_t index) {
    return s && index < s->phase_count ? s->phases[index].name : NULL;
}

double avz_scene_phase_nominal(const avz_scene *s, size_t index) {
    return s && index < s->phase_count ? s->phases[index].duration : 0.0;
}

/* ── Resolving ─────────────────────────────────────────────────────────────────────── */

static const char *phase_name(size_t i, const void *scene) {
    return ((const avz_scene *)scene)->phases[i].name;
}

int avz_unknown_phase(const avz_scene *s, const char *name, avz_error *err) {
    if (!s || !name)
        return avz_error_set(err, -EINVAL, "avz_unknown_phase: %s is NULL", !s ? "s" : "name");
    char names[400], shown[AVZ_SHORT], guess[AVZ_SHORT + 32] = "";
    avz_join(names, sizeof names, s->phase_count, phase_name, s);
    long near = avz_nearest(name, s->phase_count, phase_name, s);
    if (near >= 0)
        snprintf(guess, sizeof guess, "; did you mean \"%s\"?", s->phases[near].name);
    return avz_error_set(err, -EINVAL, "unknown phase \"%s\"%s (phases: %s)",
                         avz_shorten(shown, sizeof shown, name), guess, names);
}

/* Whether animation p applies after a, a being played after p: when it starts later, or
 * when a is a Clear that starts with p in the same play. A Clear takes what is on screen as
 * it starts, so it goes before what its own play brings in, whatever the list's order. */
static bool applies_after(const avz_scene *s, const avz_timeline *tl, size_t p, size_t a) {
    if (tl->anim_start[p] != tl->anim_start[a])
        return tl->anim_start[p] > tl->anim_start[a];
    return s->anims[p].play == s->anims[a].play && s->anims[a].anim.kind == AVZ_ANIM_CLEAR &&
           s->anims[p].anim.kind != AVZ_ANIM_CLEAR;
}

/* Pacing maps each phase's times monotonically, so the order by start is the same for every
 * timeline of a scene; play order breaks ties, as animations started together apply in the
 * order they were given (but for Clear, see above). Insertion sort: animations come nearly
 * sorted (only those played in the background with avz_play_at start out of order). */
static void sort_by_start(const avz_scene *s, avz_timeline *tl) {
    for (size_t i = 0; i < tl->anim_count; i++) {
        size_t a = i, k = i;
        while (k > 0 && applies_after(s, tl, tl->order[k - 1], a)) {
            tl->order[k] = tl->order[k - 1];
            k--;
        }
        tl->order[k] = a;
    }
}

int avz_timeline_resolve(const avz_scene *s, const avz_pacing *pacing, avz_timeline **out,
                         avz_error *err) {
    if (!out || !s)
        return avz_error_set(err, -EINVAL, "avz_timeline_resolve: %s is NULL", !out ? "out" : "s");
    *out = NULL;
    if (pacing && pacing->count && (!pacing->names || !pacing->seconds))
        return avz_error_set(err, -EINVAL, "avz_timeline_resolve: pacing->%s is NULL",
                             !pacing->names ? "names" : "seconds");
    for (size_t k = 0; pacing && k < pacing->count; k++)
        if (!pacing->names[k])
            return avz_error_set(err, -EINVAL, "avz_timeline_resolve: pacing->names[%zu] is NULL",
                                 k);
    if (s->phase_count == 0)
        return avz_error_set(err, -EINVAL, "the scene has no phases");
    double speed = pacing && pacing->speed != 0 ? pacing->speed : 1.0;
    if (!(speed > 0) || !isfinite(speed))
        return avz_error_set(err, -EINVAL, "speed must be a positive number, not %g", speed);

    avz_timeline *tl = calloc(1, sizeof *tl);
    if (!tl)
        return avz_error_set(err, -ENOMEM, "out of memory resolving the timeline");
    tl->phase_count = s->phase_count;
    tl->anim_count = s->anim_count;
    tl->phase_name = calloc(s->phase_count, sizeof *tl->phase_name);
    tl->phase_start = calloc(s->phase_count, sizeof *tl->phase_start);
    tl->phase_length = calloc(s->phase_count, sizeof *tl->phase_length);
    tl->anim_start = calloc(s->anim_count + 1, sizeof *tl->anim_start);
    tl->anim_end = calloc(s->anim_count + 1, sizeof *tl->anim_end);
    tl->order = calloc(s->anim_count + 1, sizeof *tl->order);
    double *stretch = calloc(s->phase_count, sizeof *stretch);
    if (!tl->phase_name || !tl->phase_start || !tl->phase_length || !tl->anim_start ||
        !tl->anim_end || !tl->order || !stretch) {
        free(stretch);
        avz_timeline_free(tl);
        return avz_error_set(err, -ENOMEM, "out of memory resolving the timeline");
    }
    for (size_t i = 0; i < s->phase_count; i++)
        stretch[i] = 1.0;

    for (size_t k = 0; pacing && k < pacing->count; k++) {
        size_t i = 0;
        while (i < s->phase_count && strcmp(s->phases[i].name, pacing->names[k]) != 0)
            i++;
        double want = pacing->seconds[k];
        int rc = 0;
        if (i == s->phase_count) {
            rc = avz_unknown_phase(s, pacing->names[k], err);
        } else if (!(want > 0) || !(want <= AVZ_PACE_MAX_SECONDS)) {
            /* the bound of --phase, whatever paces it (cues, a settings file) */
            rc = avz_error_set(err, -EINVAL,
                               "phase \"%s\" needs a length above 0 and at most %g s, not %.3f",
                               pacing->names[k], AVZ_PACE_MAX_SECONDS, want);
        } else if (s->phases[i].duration <= 0) {
            rc = avz_error_set(err, -EINVAL, "phase \"%s\" is instantaneous and cannot be paced",
                               pacing->names[k]);
        }
        if (rc) {
            free(stretch);
            avz_timeline_free(tl);
            return rc;
        }
        stretch[i] = want / s->phases[i].duration;
    }

    double t = 0.0;
    for (size_t i = 0; i < s->phase_count; i++) {
        stretch[i] /= speed;
        tl->phase_name[i] = s->phases[i].name;
        tl->phase_start[i] = t;
        tl->phase_length[i] = s->phases[i].duration * stretch[i];
        t += tl->phase_length[i];
    }
    tl->duration = t;
    for (size_t a = 0; a < s->anim_count; a++) {
        const avz_timed_anim *an = &s->anims[a];
        tl->anim_start[a] = tl->phase_start[an->phase] + an->start * stretch[an->phase];
        tl->anim_end[a] = tl->phase_start[an->phase] + an->end * stretch[an->phase];
    }
    sort_by_start(s, tl);
    free(stretch);
    *out = tl;
    return 0;
}

void avz_timeline_free(avz_timeline *tl) {
    if (!tl)
        return;
    free(tl->phase_name);
    free(tl->phase_start);
    free(tl->phase_length);
    free(tl->anim_start);
    free(tl->anim_end);
    free(tl->order);
    free(tl);
}

double avz_timeline_duration(const avz_timeline *tl) {
    return tl ? tl->duration : 0.0;
}

size_t avz_timeline_phase_count(const avz_timeline *tl) {
    return tl ? tl->phase_count : 0;
}

const char *avz_timeline_phase_name(const avz_timeline *tl, size_t index) {
    return tl && index < tl->phase_count ? tl->phase_name[index] : NULL;
}

long avz_timeline_find_phase(const avz_timeline *tl, const char *name) {
    for (size_t i = 0; tl && name && i < tl->phase_count; i++)
        if (strcmp(tl->phase_name[i], name) == 0)
            return (long)i;
    return -1;
}

double avz_timeline_phase_start(const avz_timeline *tl, size_t index) {
    if (!tl)
        return 0.0;
    return index < tl->phase_count ? tl->phase_start[index] : tl->duration;
}

double avz_timeline_phase_duration(const avz_timeline *tl, size_t index) {
    return tl && index < tl->phase_count ? tl->phase_length[index] : 0.0;
}

/* ── Sampling ──────────────────────────────────────────────────────────────────────── */

int avz_frame_state_new(const avz_scene *s, avz_frame_state **out) {
    if (!s || !out)
        return -EINVAL;
    avz_frame_state *st = calloc(1, sizeof *st);
    if (!st)
        return -ENOMEM;
    st->node_count = s->node_count;
    st->part_count = s->part_count;
    st->nodes = calloc(s->node_count + 1, sizeof *st->nodes);
    st->parts = calloc(s->part_count + 1, sizeof *st->parts);
    if (!st->nodes || !st->parts) {
        avz_frame_state_free(st);
        return -ENOMEM;
    }
    *out = st;
    return 0;
}

void avz_frame_state_free(avz_frame_state *st) {
    if (!st)
        return;
    free(st->nodes);
    free(st->parts);
    free(st);
}

void avz_frame_state_copy(avz_frame_state *dst, const avz_frame_state *src) {
    /* States of different scenes would overrun dst. */
    if (!dst || !src || dst->node_count != src->node_count || dst->part_count != src->part_count)
        return;
    memcpy(dst->nodes, src->nodes, src->node_count * sizeof *src->nodes);
    memcpy(dst->parts, src->parts, src->part_count * sizeof *src->parts);
}

bool avz_frame_state_equal(const avz_frame_state *a, const avz_frame_state *b) {
    if (!a || !b)
        return a == b;
    return a->node_count == b->node_count && a->part_count == b->part_count &&
           memcmp(a->nodes, b->nodes, a->node_count * sizeof *a->nodes) == 0 &&
           memcmp(a->parts, b->parts, a->part_count * sizeof *a->parts) == 0;
}

static double lerp(double a, double b, double t) {
    return a + (b - a) * t;
}

/* Scales a node about c by f and then slides it by `by`, on top of its current placement. */
static void place(avz_node_state *n, avz_vec2 c, double f, avz_vec2 by) {
    avz_vec2 now = {n->scale.x * c.x + n->offset.x, n->scale.y * c.y + n->offset.y};
    n->scale.x *= f;
    n->scale.y *= f;
    n->offset.x = f * n->offset.x + (1 - f) * now.x + by.x;
    n->offset.y = f * n->offset.y + (1 - f) * now.y + by.y;
}

/* Scales along one axis only, about the line through `at` across it. */
static void stretch_axis(double *scale, double *offset, double at, double f) {
    double now = *scale * at + *offset;
    *scale *= f;
    *offset = f * *offset + (1 - f) * now;
}

/* One leaf's share of an animation: raw is its progress (after lag, before the rate). */
static void apply_to_leaf(const avz_timed_anim *an, avz_node_state *n, double raw) {
    const avz_anim *p = &an->anim;
    double a = avz_rate_eval(an->rate, raw);
    switch (p->kind) {
    case AVZ_ANIM_SHOW:
        n->visible = 1;
        break;
    case AVZ_ANIM_FADE_IN:
        n->visible = 1;
        n->opacity *= a;
        place(n, an->center, lerp(p->scale, 1.0, a),
              AVZ_V(-p->vec.x * (1 - a), -p->vec.y * (1 - a)));
        break;
    case AVZ_ANIM_FADE_OUT:
    case AVZ_ANIM_CLEAR:
        if (raw >= 1.0) {
            n->visible = 0;
            break;
        }
        n->opacity *= 1 - a;
        place(n, an->center, lerp(1.0, p->scale, a), AVZ_V(p->vec.x * a, p->vec.y * a));
        break;
    case AVZ_ANIM_GROW: {
        /* Out of the edge p->vec points to: nothing at first, whole at the end. */
        avz_vec2 edge = avz_bbox_edge(an->box, p->vec);
        n->visible = a > 0;
        if (p->vec.x)
            stretch_axis(&n->scale.x, &n->offset.x, edge.x, a);
        else
            stretch_axis(&n->scale.y, &n->offset.y, edge.y, a);
        break;
    }
    case AVZ_ANIM_FILL:
        n->style.fill = avz_color_lerp(n->style.fill, p->color, a);
        n->style.fill_opacity = lerp(n->style.fill_opacity, p->opacity, a);
        break;
    case AVZ_ANIM_FILL_OPACITY:
        n->style.fill_opacity = lerp(n->style.fill_opacity, p->opacity, a);
        break;
    case AVZ_ANIM_STROKE:
        n->style.stroke = avz_color_lerp(n->style.stroke, p->color, a);
        n->style.stroke_width = lerp(n->style.stroke_width, p->width, a);
        break;
    case AVZ_ANIM_COLOR:
        n->style.fill = avz_color_lerp(n->style.fill, p->color, a);
        n->style.stroke = avz_color_lerp(n->style.stroke, p->color, a);
        break;
    case AVZ_ANIM_MOVE: {
        avz_vec2 now = {n->scale.x * an->center.x + n->offset.x,
                        n->scale.y * an->center.y + n->offset.y};
        n->offset.x += (p->vec.x - now.x) * a;
        n->offset.y += (p->vec.y - now.y) * a;
        break;
    }
    case AVZ_ANIM_CREATE:
    case AVZ_ANIM_WRITE:
    case AVZ_ANIM_TRANSFORM:
        break; /* per part, or per side: see apply() */
    }
}

/* Create and Write run part by part with lag; each part's progress drives how much of its
 * outline shows and, for Write, how far it has cross-faded from outline to fill. */
static void apply_to_parts(const avz_scene *s, const avz_timed_anim *an, avz_frame_state *st,
                           double raw) {
    size_t k = 0;
    for (size_t j = 0; j < an->leaf_count; j++) {
        avz_id id = s->anim_leaves[an->leaf_first + j];
        const avz_node *node = &s->nodes[id];
        st->nodes[id].visible = 1;
        for (size_t p = 0; p < node->parts.count; p++, k++) {
            double a =
                avz_rate_eval(an->rate, avz_lag_alpha(raw, k, an->part_count, an->lag_ratio));
            avz_part_state *ps = &st->parts[node->first_part + p];
            if (an->anim.kind == AVZ_ANIM_CREATE) {
                ps->draw = a;
            } else if (a < 0.5) {
                ps->draw = 2 * a;
                ps->outline = 1;
            } else {
                ps->draw = 1;
                ps->outline = 2 - 2 * a;
            }
        }
    }
}

/* A cross-fade in place: the old shape gives way to the new one, member k of each side on
 * stretch k of the whole when lag staggers them, as any animation's members. */
static void apply_transform(const avz_scene *s, const avz_timed_anim *an, avz_frame_state *st,
                            double raw) {
    for (size_t j = 0; j < an->leaf_count + an->other_leaf_count; j++) {
        size_t i = an->leaf_first + j;
        double own = avz_lag_alpha(raw, s->anim_slots[i], an->slot_count, an->lag_ratio);
        double a = avz_rate_eval(an->rate, own);
        avz_node_state *n = &st->nodes[s->anim_leaves[i]];
        if (j < an->leaf_count) {
            n->opacity *= 1 - a;
            if (own >= 1.0)
                n->visible = 0;
        } else {
            n->visible = 1;
            n->opacity *= a;
        }
    }
}

static void apply(const avz_scene *s, const avz_timed_anim *an, avz_frame_state *st, double raw) {
    switch (an->anim.kind) {
    case AVZ_ANIM_CREATE:
    case AVZ_ANIM_WRITE:
        apply_to_parts(s, an, st, raw);
        return;
    case AVZ_ANIM_TRANSFORM:
        apply_transform(s, an, st, raw);
        return;
    case AVZ_ANIM_CLEAR:
        /* Whatever earlier animations left on screen: those of its own play that start with
         * it are applied after it (see applies_after). */
        for (size_t i = 0; i < s->node_count; i++)
            if (st->nodes[i].visible)
                apply_to_leaf(an, &st->nodes[i], raw);
        return;
    default:
        /* Member k of the target runs on its own stretch of the whole, as lag staggers it. */
        for (size_t j = 0; j < an->leaf_count; j++) {
            size_t slot = s->anim_slots[an->leaf_first + j];
            apply_to_leaf(an, &st->nodes[s->anim_leaves[an->leaf_first + j]],
                          avz_lag_alpha(raw, slot, an->slot_count, an->lag_ratio));
        }
    }
}

void avz_timeline_sample(const avz_scene *s, const avz_timeline *tl, double t,
                         avz_frame_state *st) {
    /* A state or timeline made for another scene would be read or written past its end. */
    if (!s || !tl || !st || st->node_count != s->node_count || st->part_count != s->part_count ||
        tl->anim_count != s->anim_count)
        return;
    for (size_t i = 0; i < s->node_count; i++)
        st->nodes[i] = (avz_node_state){.opacity = 1, .scale = {1, 1}, .style = s->nodes[i].style};
    for (size_t i = 0; i < s->part_count; i++)
        st->parts[i] = (avz_part_state){.draw = 1, .outline = 0};
    /* In start order, so the first that has not begun ends the walk. */
    for (size_t k = 0; k < tl->anim_count && tl->anim_start[tl->order[k]] <= t; k++) {
        size_t a = tl->order[k];
        double length = tl->anim_end[a] - tl->anim_start[a];
        double raw = length > 0 ? fmin((t - tl->anim_start[a]) / length, 1.0) : 1.0;
        apply(s, &s->anims[a], st, raw);
    }
}

bool avz_frame_state_shows_anything(const avz_frame_state *st) {
    for (size_t i = 0; i < st->node_count; i++)
        if (st->nodes[i].visible && st->nodes[i].opacity > 0)
            return true;
    return false;
}

bool avz_timeline_still(const avz_timeline *tl, double t0, double t1) {
    /* An animation changes the state when it starts in (t0, t1], or runs past t0. */
    for (size_t k = 0; k < tl->anim_count && tl->anim_start[tl->order[k]] <= t1; k++) {
        size_t a = tl->order[k];
        if (tl->anim_start[a] > t0 || tl->anim_end[a] > t0)
            return false;
    }
    return true;
}

size_t avz_frame_count(double seconds, int fps) {
    return seconds > 0 ? (size_t)llround(seconds * fps) : 0;
}
