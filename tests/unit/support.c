/* Shared by the unit tests: see support.h. */
#include "support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scene_internal.h"
#include "timeline_internal.h"

avz_fonts *avz_test_fonts;

int avz_test_open_fonts(void **state) {
    (void)state;
    avz_error err = {0};
    return avz_fonts_open(AVZ_SOURCE_DIR "/fonts", &avz_test_fonts, &err);
}

int avz_test_close_fonts(void **state) {
    (void)state;
    avz_fonts_close(avz_test_fonts);
    avz_test_fonts = NULL;
    return 0;
}

int avz_test_build(const avz_scene_def *def, const char *const *names, const char *const *values,
                   size_t count, avz_scene **out, avz_error *err) {
    /* Through avz_scene_build, as the CLI builds: the parameters are checked first. */
    avz_params params = {.def = def, .names = names, .values = values, .count = count};
    return avz_scene_build(def, avz_test_fonts, &params, out, err);
}

void avz_test_near(double a, double b, double epsilon, const char *a_text, const char *b_text,
                   const char *file, int line) {
    /* Written so that NaN fails: no comparison with it is true. */
    if (a == b || fabs(a - b) <= epsilon)
        return;
    print_error("%s = %.17g is not within %g of %s = %.17g\n", a_text, a, epsilon, b_text, b);
    _fail(file, line);
}

/* ── Layout ─────────────────────────────────────────────────────────────────────────── */

const avz_bbox avz_test_frame = {-AVZ_FRAME_WIDTH / 2, -AVZ_FRAME_HEIGHT / 2, AVZ_FRAME_WIDTH / 2,
                                 AVZ_FRAME_HEIGHT / 2};

bool avz_test_inside(avz_bbox b, avz_bbox outer, double slack) {
    return b.x0 >= outer.x0 - slack && b.x1 <= outer.x1 + slack && b.y0 >= outer.y0 - slack &&
           b.y1 <= outer.y1 + slack;
}

struct avz_test_view {
    const avz_scene *s;
    avz_timeline *tl;
    avz_frame_state *st;
    avz_bbox *built;      /* each node's bounds as built */
    avz_bbox *glyphs;     /* each part's of a label, as built */
    bool *moving;         /* per node, at the last instant asked for */
    avz_test_leaf *shown; /* one per node at most */
    double *times;
    size_t time_count;
};

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

avz_test_view *avz_test_view_new(const avz_scene *s) {
    avz_test_view *v = calloc(1, sizeof *v);
    assert_non_null(v);
    v->s = s;
    avz_error err = {0};
    if (avz_timeline_resolve(s, NULL, &v->tl, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(avz_frame_state_new(s, &v->st), 0);
    size_t n = s->node_count ? s->node_count : 1;
    v->built = calloc(n, sizeof *v->built);
    v->glyphs = calloc(s->part_count ? s->part_count : 1, sizeof *v->glyphs);
    v->moving = calloc(n, sizeof *v->moving);
    v->shown = calloc(n, sizeof *v->shown);
    v->times = calloc(v->tl->anim_count + 1, sizeof *v->times);
    assert_true(v->built && v->glyphs && v->moving && v->shown && v->times);
    for (size_t i = 0; i < s->node_count; i++) {
        const avz_node *node = &s->nodes[i];
        if (node->is_group)
            continue;
        v->built[i] = avz_parts_bbox(&node->parts);
        for (size_t p = 0; node->is_label && p < node->parts.count; p++)
            v->glyphs[node->first_part + p] = avz_path_bbox(&node->parts.items[p]);
    }
    memcpy(v->times, v->tl->anim_end, v->tl->anim_count * sizeof *v->times);
    qsort(v->times, v->tl->anim_count, sizeof *v->times, by_value);
    for (size_t i = 0; i < v->tl->anim_count; i++)
        if (v->time_count == 0 || v->times[i] > v->times[v->time_count - 1] + 1e-9)
            v->times[v->time_count++] = v->times[i];
    return v;
}

void avz_test_view_free(avz_test_view *v) {
    if (!v)
        return;
    avz_timeline_free(v->tl);
    avz_frame_state_free(v->st);
    free(v->built);
    free(v->glyphs);
    free(v->moving);
    free(v->shown);
    free(v->times);
    free(v);
}

size_t avz_test_view_times(const avz_test_view *v, const double **times) {
    *times = v->times;
    return v->time_count;
}

const char *avz_test_view_phase(const avz_test_view *v, double t) {
    size_t p = 0;
    while (p + 1 < v->tl->phase_count && t >= v->tl->phase_start[p + 1])
        p++;
    return v->tl->phase_name[p];
}

/* Whether an animation carries its leaves in or out (a Write or a colour change leaves them
 * where they stand). */
static bool carries(avz_anim_kind kind) {
    switch (kind) {
    case AVZ_ANIM_FADE_IN:
    case AVZ_ANIM_FADE_OUT:
    case AVZ_ANIM_TRANSFORM:
    case AVZ_ANIM_MOVE:
    case AVZ_ANIM_GROW:
    case AVZ_ANIM_CLEAR:
        return true;
    default:
        return false;
    }
}

/* A box as node state n draws it. */
static avz_bbox placed(avz_bbox b, const avz_node_state *n) {
    double x0 = b.x0 * n->scale.x + n->offset.x, x1 = b.x1 * n->scale.x + n->offset.x;
    double y0 = b.y0 * n->scale.y + n->offset.y, y1 = b.y1 * n->scale.y + n->offset.y;
    return (avz_bbox){fmin(x0, x1), fmin(y0, y1), fmax(x0, x1), fmax(y0, y1)};
}

size_t avz_test_view_at(avz_test_view *v, double t, const avz_test_leaf **leaves) {
    const avz_scene *s = v->s;
    avz_timeline_sample(s, v->tl, t, v->st);
    memset(v->moving, 0, s->node_count * sizeof *v->moving);
    /* Running now or starting now (what another brings in as it leaves is a hand-over, not
     * an overlap); at its end an animation's leaves settle. */
    for (size_t a = 0; a < v->tl->anim_count; a++) {
        const avz_timed_anim *an = &s->anims[a];
        if (!(v->tl->anim_start[a] <= t && t < v->tl->anim_end[a]) || !carries(an->anim.kind))
            continue;
        if (an->anim.kind == AVZ_ANIM_CLEAR)
            memset(v->moving, 1, s->node_count * sizeof *v->moving);
        for (size_t j = 0; j < an->leaf_count + an->other_leaf_count; j++)
            v->moving[s->anim_leaves[an->leaf_first + j]] = true;
    }
    size_t count = 0;
    for (size_t i = 0; i < s->node_count; i++) {
        const avz_node_state *n = &v->st->nodes[i];
        /* What draw.c draws. */
        if (s->nodes[i].is_group || !n->visible || !(n->opacity > 0))
            continue;
        v->shown[count++] = (avz_test_leaf){.id = (avz_id)i,
                                            .box = placed(v->built[i], n),
                                            .label = s->nodes[i].is_label,
                                            .settled = !v->moving[i]};
    }
    *leaves = v->shown;
    return count;
}

bool avz_test_labels_overlap(const avz_test_view *v, const avz_test_leaf *a,
                             const avz_test_leaf *b) {
    if (!avz_bbox_overlaps(a->box, b->box, AVZ_TEST_TOUCH))
        return false;
    /* Glyph by glyph: the boxes of tilted or multi-line labels hold much empty room. */
    const avz_node *na = &v->s->nodes[a->id], *nb = &v->s->nodes[b->id];
    for (size_t i = 0; i < na->parts.count; i++) {
        avz_bbox ga = placed(v->glyphs[na->first_part + i], &v->st->nodes[a->id]);
        if (!avz_bbox_overlaps(ga, b->box, AVZ_TEST_TOUCH))
            continue;
        for (size_t j = 0; j < nb->parts.count; j++)
            if (avz_bbox_overlaps(ga, placed(v->glyphs[nb->first_part + j], &v->st->nodes[b->id]),
                                  AVZ_TEST_TOUCH))
                return true;
    }
    return false;
}

/* Problems already reported, so that one lasting a while is named once. */
typedef struct reported {
    avz_id pairs[32][2];
    size_t count;
    bool more; /* than it holds */
} reported;

static bool first_time(reported *r, avz_id a, avz_id b) {
    for (size_t i = 0; i < r->count; i++)
        if (r->pairs[i][0] == a && r->pairs[i][1] == b)
            return false;
    if (r->count == sizeof r->pairs / sizeof r->pairs[0]) {
        r->more = true;
        return false;
    }
    r->pairs[r->count][0] = a;
    r->pairs[r->count][1] = b;
    r->count++;
    return true;
}

#define BOX_FMT "%s %d at (%.2f, %.2f)-(%.2f, %.2f)"
#define BOX_ARGS(l)                                                                                \
    (l)->label ? "label" : "figure", (int)(l)->id, (l)->box.x0, (l)->box.y0, (l)->box.x1,          \
        (l)->box.y1

void avz_test_check_layout(const avz_scene *s, avz_bbox frame, const char *what) {
    avz_test_view *v = avz_test_view_new(s);
    const double *times;
    size_t time_count = avz_test_view_times(v, &times);
    reported r = {0};
    for (size_t k = 0; k < time_count; k++) {
        const avz_test_leaf *l;
        size_t count = avz_test_view_at(v, times[k], &l);
        for (size_t i = 0; i < count; i++) {
            if (!l[i].settled)
                continue;
            if (!avz_test_inside(l[i].box, frame, 1e-9) && first_time(&r, l[i].id, AVZ_NONE))
                print_error("%s: at %.3f s (%s) " BOX_FMT " leaves the frame\n", what, times[k],
                            avz_test_view_phase(v, times[k]), BOX_ARGS(&l[i]));
            if (!l[i].label)
                continue;
            for (size_t j = 0; j < i; j++)
                if (l[j].settled && l[j].label && avz_test_labels_overlap(v, &l[i], &l[j]) &&
                    first_time(&r, l[j].id, l[i].id))
                    print_error("%s: at %.3f s (%s) " BOX_FMT " overlaps " BOX_FMT "\n", what,
                                times[k], avz_test_view_phase(v, times[k]), BOX_ARGS(&l[i]),
                                BOX_ARGS(&l[j]));
        }
    }
    avz_test_view_free(v);
    if (r.count)
        fail_msg("%s: %zu layout problems%s (above)", what, r.count, r.more ? " and more" : "");
}
