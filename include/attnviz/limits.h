/* attnviz limits: a render request is checked against fixed bounds before any work starts,
 * so that one that cannot finish (hours of frames, more memory than the machine has) fails
 * in milliseconds instead of after an hour. */
#ifndef ATTNVIZ_LIMITS_H
#define ATTNVIZ_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "attnviz/api.h"
#include "attnviz/error.h"

AVZ_BEGIN_DECLS

#define AVZ_LIMIT_MIN_SIDE 16
#define AVZ_LIMIT_MAX_SIDE 8192
#define AVZ_LIMIT_MAX_FPS 240
/* 4.6 hours at 60 fps: far beyond any explainer. */
#define AVZ_LIMIT_MAX_FRAMES 1000000
/* Frames times pixels per frame: about 6 hours of x264 (preset medium) at the ~190 Mpx/s
 * measured on 2 cores (600 frames of 1080p in 6.5 s); an hour of 4K at 60 fps is 1.8e12. */
#define AVZ_LIMIT_MAX_PIXELS 4e12

typedef struct avz_limits_request {
    int width, height, fps;
    uint64_t frames; /* to render, after pacing and the choice of a part */
    int workers;     /* drawing threads that will run, >= 1 */
    /* The output's path or pattern, whose encoder costs what was measured for it; NULL: the
     * frames go to no encoder (a digest, a still). */
    const char *output;
    const char *preset;     /* x264 preset; NULL: medium */
    int encoder_threads;    /* the encoder's frame threads; 0: 4, the default */
    int lookahead;          /* x264's rc-lookahead in frames; 0: the preset's */
    uint64_t memory;        /* bytes of memory the render may use; 0: no check */
    uint64_t address_space; /* bytes of address space it may map (ulimit -v); 0: no check */
    int renders;            /* such renders side by side in one process (--jobs); 0: one */
} avz_limits_request;

/* Peak memory of such a render in bytes, as measured (fixed costs, the workers' frames and
 * the encoder's frames: x264's grow with the preset, its threads and its lookahead). */
AVZ_API uint64_t avz_limits_memory_needed(const avz_limits_request *r);
/* The address space it maps at its peak: its memory, and what is reserved without being used
 * (thread stacks, the allocator's per-thread arenas, the libraries' code). */
AVZ_API uint64_t avz_limits_address_needed(const avz_limits_request *r);

/* Pure: 0, -EINVAL for a request that makes no sense (odd or out-of-range size or fps) or
 * -E2BIG for one over a limit, with a message naming the limit and what would fit. */
AVZ_API int avz_limits_check(const avz_limits_request *r, avz_error *err);

/* Holds a render within budget bytes: r's encoder settings become those of the first rung
 * of a fixed ladder whose estimate fits with one worker, and r->workers is lowered (to 1 at
 * the least) until the estimate fits. x264's ladder: 4, then 2 frame threads with the
 * preset's lookahead; 2 threads with 20, then 10 frames of lookahead; 1 thread with 10, then
 * 5. ProRes: 4 threads, then 1 (its bytes do not change). The others keep their settings.
 * The settings, and so the bytes, depend on the budget, the size and the preset alone, never
 * on the machine. 0, or -E2BIG with a message naming the smallest budget that fits. */
AVZ_API int avz_limits_fit(avz_limits_request *r, uint64_t budget, avz_error *err);

/* avz_limits_check with what r leaves at 0 taken from this machine: workers one per core
 * (as the pipeline picks them); memory what the system has available now, or less under a
 * cgroup's limit (less what the cgroup already uses) or RLIMIT_DATA; address space RLIMIT_AS. */
AVZ_API int avz_limits_check_here(avz_limits_request r, avz_error *err);

AVZ_END_DECLS

#endif
