/* attnviz segments: where the pieces of a render meet (see segment.h). avz_concat, which
 * joins them, is an output's job: src/output/concat.c. */
#include "attnviz/segment.h"

#include <errno.h>

#include "timeline_internal.h"

/* The nominal start of segment k (0..n), unmoved. */
static size_t nominal(size_t first, size_t count, unsigned k, unsigned n) {
    return first + count * k / n;
}

static double time_of(size_t frame, int fps) {
    return (double)frame / fps;
}

static bool starts_phase(const avz_timeline *tl, int fps, size_t frame) {
    for (size_t i = 1; i < avz_timeline_phase_count(tl); i++)
        if (avz_frame_count(avz_timeline_phase_start(tl, i), fps) == frame)
            return true;
    return false;
}

static bool repeats(const avz_timeline *tl, int fps, size_t frame) {
    return frame > 0 && avz_timeline_still(tl, time_of(frame - 1, fps), time_of(frame, fps));
}

/* The start of segment k (1..n-1) after moving: nearest candidate first, earlier on a tie. */
static size_t boundary(const avz_timeline *tl, int fps, size_t first, size_t count, unsigned k,
                       unsigned n) {
    size_t b = nominal(first, count, k, n);
    size_t window = count / (4 * (size_t)n);
    window = window < (size_t)fps / 2 ? window : (size_t)fps / 2;
    bool (*const prefer[])(const avz_timeline *, int, size_t) = {starts_phase, repeats};
    for (size_t p = 0; p < sizeof prefer / sizeof prefer[0]; p++)
        for (size_t d = 0; d <= window; d++) {
            if (b >= first + 1 + d && prefer[p](tl, fps, b - d))
                return b - d;
            if (d && prefer[p](tl, fps, b + d))
                return b + d;
        }
    return b;
}

int avz_segment_bounds(const avz_timeline *tl, int fps, size_t first, size_t count, unsigned k,
                       unsigned n, size_t *begin, size_t *end, avz_error *err) {
    if (n == 0 || n > AVZ_SEGMENTS_MAX)
        return avz_error_set(err, -EINVAL, "%u segments; allowed: 1..%d", n, AVZ_SEGMENTS_MAX);
    if (k == 0 || k > n)
        return avz_error_set(err, -EINVAL, "segment %u of %u does not exist; allowed: 1..%u", k, n,
                             n);
    if (count < n)
        return avz_error_set(
            err, -EINVAL, "%u segments need at least %u frames; the render has %zu", n, n, count);
    *begin = k == 1 ? first : boundary(tl, fps, first, count, k - 1, n);
    *end = k == n ? first + count : boundary(tl, fps, first, count, k, n);
    return 0;
}
