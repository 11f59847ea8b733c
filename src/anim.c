/* attnviz animations and their timing: the animations a scene plays, its phases, and the
 * play/wait cursor that puts animations on each phase's timeline (plays, lagged lists, plays
 * beside the cursor, waits, declared phase lengths), each with the leaves it drives. Depends on
 * scene.c for the scene's storage and its nodes (scene_internal.h). */
#include "attnviz/scene.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/settings.h"
#include "scene_internal.h"

/* ── Animations ────────────────────────────────────────────────────────────────────── */

static avz_anim anim(avz_anim_kind kind, avz_id target) {
    return (avz_anim){
        .kind = kind, .target = target, .other = AVZ_NONE, .scale = 1.0, .lag_ratio = -1.0};
}

avz_anim avz_fade_in_ex(avz_id id, avz_vec2 shift, double scale) {
    avz_anim a = anim(AVZ_ANIM_FADE_IN, id);
    a.vec = shift;
    a.scale = scale;
    return a;
}

avz_anim avz_fade_out_ex(avz_id id, avz_vec2 shift, double scale) {
    avz_anim a = avz_fade_in_ex(id, shift, scale);
    a.kind = AVZ_ANIM_FADE_OUT;
    return a;
}

avz_anim avz_fade_in(avz_id id) {
    return avz_fade_in_ex(id, AVZ_ORIGIN, 1.0);
}

avz_anim avz_fade_out(avz_id id) {
    return avz_fade_out_ex(id, AVZ_ORIGIN, 1.0);
}

avz_anim avz_clear(void) {
    return anim(AVZ_ANIM_CLEAR, AVZ_NONE);
}

avz_anim avz_create(avz_id id) {
    return anim(AVZ_ANIM_CREATE, id);
}

avz_anim avz_write(avz_id id) {
    return anim(AVZ_ANIM_WRITE, id);
}

avz_anim avz_grow(avz_id id, avz_vec2 from) {
    avz_anim a = anim(AVZ_ANIM_GROW, id);
    a.vec = from;
    return a;
}

avz_anim avz_fill_to(avz_id id, avz_color color, double opacity) {
    avz_anim a = anim(AVZ_ANIM_FILL, id);
    a.color = color;
    a.opacity = opacity;
    return a;
}

avz_anim avz_fill_opacity_to(avz_id id, double opacity) {
    avz_anim a = anim(AVZ_ANIM_FILL_OPACITY, id);
    a.opacity = opacity;
    return a;
}

avz_anim avz_stroke_to(avz_id id, avz_color color, double width) {
    avz_anim a = anim(AVZ_ANIM_STROKE, id);
    a.color = color;
    a.width = width;
    return a;
}

avz_anim avz_color_to(avz_id id, avz_color color) {
    avz_anim a = anim(AVZ_ANIM_COLOR, id);
    a.color = color;
    return a;
}

avz_anim avz_move(avz_id id, avz_vec2 center) {
    avz_anim a = anim(AVZ_ANIM_MOVE, id);
    a.vec = center;
    return a;
}

avz_anim avz_transform(avz_id from, avz_id to) {
    avz_anim a = anim(AVZ_ANIM_TRANSFORM, from);
    a.other = to;
    return a;
}

avz_anim avz_show(avz_id id) {
    return anim(AVZ_ANIM_SHOW, id);
}

avz_anim avz_with_rate(avz_anim a, avz_rate rate) {
    a.rate = rate;
    return a;
}

avz_anim avz_with_lag(avz_anim a, double lag_ratio) {
    a.lag_ratio = lag_ratio;
    return a;
}

void avz_anims_add(avz_scene *s, avz_anims *list, avz_anim a) {
    if (!avz_scene_need(s, "avz_anims_add", "list", list) ||
        AVZ_SCENE_RESERVE(s, list->items, list->count, list->capacity))
        return;
    list->items[list->count++] = a;
}

void avz_anims_free(avz_anims *list) {
    if (!list)
        return;
    free(list->items);
    *list = (avz_anims){0};
}

/* ── Time ──────────────────────────────────────────────────────────────────────────── */

void avz_scene_close_phase(avz_scene *s) {
    if (!s || s->error.code || s->phase_count == 0)
        return;
    avz_phase_def *ph = &s->phases[s->phase_count - 1];
    /* As long as --phase may make it: far beyond any explainer, and every time in it stays
     * a number that prints and converts to frames exactly. */
    if (!(ph->duration <= AVZ_PACE_MAX_SECONDS))
        return (void)avz_scene_fail(s, -EINVAL, "phase \"%s\" lasts %.4g s; at most %g", ph->name,
                                    ph->duration, AVZ_PACE_MAX_SECONDS);
    if (ph->declared < 0)
        return;
    if (ph->duration > ph->declared + 1e-9)
        avz_scene_fail(s, -EINVAL, "phase \"%s\" plays %.3f s, longer than its declared %.3f s",
                       ph->name, ph->duration, ph->declared);
    else
        ph->duration = ph->cursor = ph->declared;
}

/* Starts a phase; declared < 0 when it has no declared length. */
static void open_phase(avz_scene *s, const char *fn, const char *name, double declared) {
    avz_scene_close_phase(s);
    if (!avz_scene_need(s, fn, "name", name))
        return;
    /* Phase names are typed (--phase NAME=LEN, --at NAME+S, --only A..B) and written into
     * tables, cue files and JSON; "end" is --at's. */
    if (!avz_valid_name(name) || !strcmp(name, "end")) {
        char shown[AVZ_SHORT];
        return (void)avz_scene_fail(
            s, -EINVAL,
            "phase name \"%s\" is not a lower-case letter then lower-case letters, digits, '-' "
            "and '_' (at most %d; not \"end\")",
            avz_shorten(shown, sizeof shown, name), AVZ_MAX_NAME);
    }
    if (s->phase_count >= AVZ_SCENE_MAX_PHASES)
        return (void)avz_scene_fail(s, -EINVAL, "a scene has at most %d phases",
                                    AVZ_SCENE_MAX_PHASES);
    for (size_t i = 0; i < s->phase_count; i++)
        if (strcmp(s->phases[i].name, name) == 0)
            return (void)avz_scene_fail(s, -EINVAL, "phase \"%s\" is defined twice", name);
    if (AVZ_SCENE_RESERVE(s, s->phases, s->phase_count, s->phase_capacity))
        return;
    char *copy = strdup(name);
    if (!copy)
        return (void)avz_scene_fail(s, -ENOMEM, "out of memory building the scene");
    s->phases[s->phase_count++] = (avz_phase_def){copy, 0.0, 0.0, declared};
}

void avz_phase(avz_scene *s, const char *name) {
    open_phase(s, "avz_phase", name, -1.0);
}

void avz_phase_len(avz_scene *s, const char *name, double seconds) {
    bool valid = seconds > 0 && seconds <= AVZ_PACE_MAX_SECONDS;
    open_phase(s, "avz_phase_len", name, valid ? seconds : -1.0);
    if (!valid)
        avz_scene_fail(s, -EINVAL, "phase \"%s\" declared %g s long (above 0, at most %g)", name,
                       seconds, AVZ_PACE_MAX_SECONDS);
}

static avz_phase_def *current_phase(avz_scene *s) {
    if (!s || avz_scene_stopped(s))
        return NULL;
    if (s->phase_count == 0) {
        avz_scene_fail(s, -EINVAL, "the scene plays before its first avz_phase()");
        return NULL;
    }
    return &s->phases[s->phase_count - 1];
}

double avz_phase_time(const avz_scene *s) {
    return s && s->phase_count ? s->phases[s->phase_count - 1].cursor : 0.0;
}

/* Records a leaf the animation drives, and which of the target's members it is in. */
typedef struct collect {
    size_t slot, parts;
} collect;

static void collect_leaf(avz_scene *s, avz_node *leaf, void *ctx) {
    collect *c = ctx;
    if (AVZ_SCENE_RESERVE(s, s->anim_leaves, s->anim_leaf_count, s->anim_leaf_capacity))
        return;
    /* anim_slots grows with anim_leaves: the same capacity, reallocated alongside. */
    size_t *slots = realloc(s->anim_slots, s->anim_leaf_capacity * sizeof *slots);
    if (!slots)
        return (void)avz_scene_fail(s, -ENOMEM, "out of memory building the scene");
    s->anim_slots = slots;
    s->anim_slots[s->anim_leaf_count] = c->slot;
    s->anim_leaves[s->anim_leaf_count++] = (avz_id)(leaf - s->nodes);
    c->parts += leaf->parts.count;
}

/* The leaves of id, each with the index of the member of id it lies in; returns how many
 * members id has (1 for a leaf) and adds their parts to *parts. */
static size_t collect_members(avz_scene *s, avz_id id, size_t *parts) {
    avz_node *n = &s->nodes[id];
    collect c = {0};
    if (!n->is_group)
        collect_leaf(s, n, &c);
    for (size_t m = 0; n->is_group && m < n->member_count; m++, c.slot++)
        avz_scene_for_each_leaf(s, n->members[m], collect_leaf, &c);
    *parts += c.parts;
    return n->is_group ? n->member_count : 1;
}

static void collect_target(avz_scene *s, avz_id id, avz_timed_anim *t) {
    t->slot_count = collect_members(s, id, &t->part_count);
}

/* The original's Write: 1 s for fewer than 15 glyphs, else 2 s; lag min(4/n, 0.2). */
static double default_run_time(const avz_timed_anim *t) {
    if (t->anim.kind == AVZ_ANIM_WRITE)
        return t->part_count < 15 ? 1.0 : 2.0;
    return t->anim.kind == AVZ_ANIM_SHOW ? 0.0 : 1.0;
}

static double default_lag(const avz_timed_anim *t) {
    switch (t->anim.kind) {
    case AVZ_ANIM_WRITE:
        return t->part_count ? fmin(4.0 / (double)t->part_count, 0.2) : 0.0;
    case AVZ_ANIM_CREATE:
        return 1.0;
    default:
        return 0.0;
    }
}

static bool known_kind(avz_anim_kind kind) {
    return kind >= AVZ_ANIM_SHOW && kind <= AVZ_ANIM_CLEAR;
}

/* Puts one animation on the timeline from `start` (phase seconds), `length` long or its own
 * default when length < 0; returns its length, or -1 after an error. */
static double place_anim(avz_scene *s, const avz_anim *a, double start, double length) {
    if (!known_kind(a->kind))
        return avz_scene_fail(s, -EINVAL, "an animation of unknown kind %d", (int)a->kind), -1;
    if (a->kind != AVZ_ANIM_CLEAR &&
        (!avz_scene_valid_id(s, a->target) ||
         (a->kind == AVZ_ANIM_TRANSFORM && !avz_scene_valid_id(s, a->other))))
        return -1;
    if (a->rate < AVZ_RATE_DEFAULT || a->rate > AVZ_RATE_RUSH_FROM)
        return avz_scene_fail(s, -EINVAL, "an animation of unknown rate %d", (int)a->rate), -1;
    if (a->lag_ratio >= 0 && !isfinite(a->lag_ratio))
        return avz_scene_fail(s, -EINVAL, "lag ratio %g", a->lag_ratio), -1;
    if (s->anim_count >= AVZ_SCENE_MAX_ANIMS)
        return avz_scene_fail(s, -EINVAL, "a scene plays at most %d animations",
                              AVZ_SCENE_MAX_ANIMS),
               -1;
    if (AVZ_SCENE_RESERVE(s, s->anims, s->anim_count, s->anim_capacity))
        return -1;
    avz_timed_anim t = {.anim = *a, .phase = s->phase_count - 1, .play = s->play_count};
    t.leaf_first = s->anim_leaf_count;
    if (a->kind != AVZ_ANIM_CLEAR)
        collect_target(s, a->target, &t);
    t.leaf_count = s->anim_leaf_count - t.leaf_first;
    if (a->kind == AVZ_ANIM_TRANSFORM) {
        /* Member k of the destination replaces member k of the source, on the same stretch
         * of time when lag staggers them; the side with more members sets how many. */
        size_t parts = 0, members = collect_members(s, a->other, &parts);
        t.slot_count = members > t.slot_count ? members : t.slot_count;
        t.other_leaf_count = s->anim_leaf_count - t.leaf_first - t.leaf_count;
    }
    if (s->error.code)
        return -1;
    if (a->kind != AVZ_ANIM_CLEAR) {
        t.box = avz_bounds(s, a->target);
        t.center = avz_bbox_center(t.box);
    }
    t.lag_ratio = a->lag_ratio >= 0 ? a->lag_ratio : default_lag(&t);
    t.rate = a->rate ? a->rate : (a->kind == AVZ_ANIM_WRITE ? AVZ_RATE_LINEAR : AVZ_RATE_SMOOTH);
    double own = length >= 0 ? length : default_run_time(&t);
    t.start = start;
    t.end = start + own;
    s->anims[s->anim_count++] = t;
    avz_phase_def *ph = &s->phases[t.phase];
    ph->duration = fmax(ph->duration, t.end);
    return own;
}

static bool valid_run_time(avz_scene *s, double run_time) {
    if (run_time > 0 ? isfinite(run_time) : run_time == AVZ_AUTO)
        return true;
    avz_scene_fail(s, -EINVAL, "play with run time %g", run_time);
    return false;
}

/* The animations a list call plays: count of them at anims, which may be NULL only when
 * count is 0; false (latched) otherwise. */
static bool given_anims(avz_scene *s, const char *fn, const avz_anim *anims, size_t count) {
    return !count || avz_scene_need(s, fn, "anims", anims);
}

/* Plays or lags a list, as fn; lag_ratio 0 plays them together. */
static void lagged(avz_scene *s, const char *fn, double run_time, double lag_ratio,
                   const avz_anim *anims, size_t count) {
    avz_phase_def *ph = current_phase(s);
    if (!ph || !given_anims(s, fn, anims, count) || !valid_run_time(s, run_time))
        return;
    if (!(lag_ratio >= 0) || !isfinite(lag_ratio))
        return (void)avz_scene_fail(s, -EINVAL, "lag ratio %g", lag_ratio);
    s->play_count++;
    /* With a run time, every animation is as long as fits: (n - 1)·r + 1 lengths in all. */
    double each = run_time > 0 ? run_time / ((double)(count ? count - 1 : 0) * lag_ratio + 1) : -1;
    double start = ph->cursor, end = ph->cursor;
    for (size_t i = 0; i < count; i++) {
        double length = place_anim(s, &anims[i], start, each);
        if (length < 0)
            return;
        end = fmax(end, start + length);
        start += lag_ratio * length;
    }
    ph->cursor = end;
}

void avz_play_list(avz_scene *s, double run_time, const avz_anim *anims, size_t count) {
    lagged(s, "avz_play_list", run_time, 0.0, anims, count);
}

void avz_lagged_list(avz_scene *s, double run_time, double lag_ratio, const avz_anim *anims,
                     size_t count) {
    lagged(s, "avz_lagged_list", run_time, lag_ratio, anims, count);
}

void avz_play_anims(avz_scene *s, double run_time, avz_anims *list) {
    if (avz_scene_need(s, "avz_play_anims", "list", list))
        lagged(s, "avz_play_anims", run_time, 0.0, list->items, list->count);
    avz_anims_free(list); /* emptied whatever happens, as documented */
}

void avz_lagged_anims(avz_scene *s, double run_time, double lag_ratio, avz_anims *list) {
    if (avz_scene_need(s, "avz_lagged_anims", "list", list))
        lagged(s, "avz_lagged_anims", run_time, lag_ratio, list->items, list->count);
    avz_anims_free(list); /* emptied whatever happens, as documented */
}

void avz_play_at_list(avz_scene *s, double offset, double run_time, const avz_anim *anims,
                      size_t count) {
    avz_phase_def *ph = current_phase(s);
    if (!ph || !given_anims(s, "avz_play_at_list", anims, count) || !valid_run_time(s, run_time))
        return;
    if (!isfinite(offset) || ph->cursor + offset < -1e-12)
        return (void)avz_scene_fail(s, -EINVAL,
                                    "play at %g s from the cursor, before phase \"%s\" begins",
                                    offset, ph->name);
    s->play_count++;
    for (size_t i = 0; i < count; i++)
        if (place_anim(s, &anims[i], fmax(ph->cursor + offset, 0.0), run_time) < 0)
            return;
}

void avz_wait(avz_scene *s, double seconds) {
    avz_phase_def *ph = current_phase(s);
    if (!ph)
        return;
    if (!(seconds >= 0) || !isfinite(seconds))
        return (void)avz_scene_fail(s, -EINVAL, "wait of %g seconds", seconds);
    ph->cursor += seconds;
    ph->duration = fmax(ph->duration, ph->cursor);
}

void avz_wait_until(avz_scene *s, double seconds) {
    avz_phase_def *ph = current_phase(s);
    if (!ph)
        return;
    if (!(seconds >= ph->cursor - 1e-9) || !isfinite(seconds))
        return (void)avz_scene_fail(s, -EINVAL,
                                    "wait until %.3f s into phase \"%s\", already at %.3f s",
                                    seconds, ph->name, ph->cursor);
    avz_wait(s, fmax(seconds - ph->cursor, 0.0));
}
