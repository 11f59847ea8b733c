/* attnviz limits: bounds on a render request, checked before any frame is drawn. */
#include "attnviz/limits.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The pipeline's cap on drawing threads. */
#define MAX_WORKERS 64
/* Libraries, fonts, the scene and x264's own tables: peak RSS minus the per-pixel terms of
 * small renders was 45 MB; rounded up. */
#define FIXED_BYTES (64u << 20)
/* Each worker draws into an ARGB32 surface (4 bytes a pixel), keeps its nodes' coverage
 * masks (1.5, measured at 2160p) and its last yuv420p picture (1.5), and owns two queue
 * slots of yuv420p (1.5 each); the writer keeps one more yuv420p frame. */
#define WORKER_BYTES_PER_PIXEL 10.0
#define WRITER_BYTES_PER_PIXEL 1.5

/* x264's frames (lookahead, references, half-pel planes) in bytes per pixel of the video:
 * the slope of peak RSS between 640x360 and 1280x720 renders of 177 frames with one worker,
 * less the worker's own 8.5, rounded up. Measured with x264 163 (Debian 12). */
static const struct preset_cost {
    const char *name;
    double bytes_per_pixel;
} preset_costs[] = {
    {"ultrafast", 40}, {"superfast", 100}, {"veryfast", 130}, {"faster", 160},   {"fast", 190},
    {"medium", 240},   {"slow", 270},      {"slower", 320},   {"veryslow", 470}, {"placebo", 780},
};

static double encoder_bytes_per_pixel(const char *preset) {
    /* An unknown name costs what the default does: the sink rejects it with its own message. */
    const char *name = preset ? preset : "medium";
    for (size_t i = 0; i < sizeof preset_costs / sizeof preset_costs[0]; i++)
        if (strcmp(preset_costs[i].name, name) == 0)
            return preset_costs[i].bytes_per_pixel;
    return encoder_bytes_per_pixel("medium");
}

uint64_t avz_limits_memory_needed(const avz_limits_request *r) {
    int workers = r->workers < 1 ? 1 : r->workers > MAX_WORKERS ? MAX_WORKERS : r->workers;
    double pixels = (double)r->width * r->height;
    double per_pixel = workers * WORKER_BYTES_PER_PIXEL + WRITER_BYTES_PER_PIXEL +
                       encoder_bytes_per_pixel(r->preset);
    return FIXED_BYTES + (uint64_t)(pixels * per_pixel);
}

static double gib(uint64_t bytes) {
    return (double)bytes / (1u << 30);
}

int avz_limits_check(const avz_limits_request *r, avz_error *err) {
    if (r->width < AVZ_LIMIT_MIN_SIDE || r->height < AVZ_LIMIT_MIN_SIDE ||
        r->width > AVZ_LIMIT_MAX_SIDE || r->height > AVZ_LIMIT_MAX_SIDE || r->width % 2 ||
        r->height % 2)
        return avz_error_set(err, -EINVAL,
                             "frame size %dx%d is not allowed; width and height must be even "
                             "and from %d to %d",
                             r->width, r->height, AVZ_LIMIT_MIN_SIDE, AVZ_LIMIT_MAX_SIDE);
    if (r->fps < 1 || r->fps > AVZ_LIMIT_MAX_FPS)
        return avz_error_set(err, -EINVAL, "frame rate %d is not allowed; use 1 to %d", r->fps,
                             AVZ_LIMIT_MAX_FPS);
    if (r->frames > AVZ_LIMIT_MAX_FRAMES)
        return avz_error_set(err, -E2BIG,
                             "the video would have %llu frames (%.1f s at %d fps); at most %d "
                             "are allowed",
                             (unsigned long long)r->frames, (double)r->frames / r->fps, r->fps,
                             AVZ_LIMIT_MAX_FRAMES);
    double pixels = (double)r->frames * r->width * r->height;
    if (pixels > AVZ_LIMIT_MAX_PIXELS)
        return avz_error_set(err, -E2BIG,
                             "the video would take %.2g pixels to render (%llu frames of "
                             "%dx%d); at most %.0e are allowed: lower the size, the frame rate "
                             "or the length",
                             pixels, (unsigned long long)r->frames, r->width, r->height,
                             AVZ_LIMIT_MAX_PIXELS);
    uint64_t need = avz_limits_memory_needed(r);
    if (r->memory && need > r->memory)
        return avz_error_set(err, -E2BIG,
                             "a %dx%d render with %d workers and preset %s needs about %.1f GiB "
                             "of memory; %.1f GiB is available: lower the size or the workers, "
                             "or pick a faster preset",
                             r->width, r->height, r->workers, r->preset ? r->preset : "medium",
                             gib(need), gib(r->memory));
    return 0;
}

/* The cgroup (v2, then v1) memory limit of this process's container, or 0 for none. */
static uint64_t cgroup_memory(void) {
    static const char *const files[] = {"/sys/fs/cgroup/memory.max",
                                        "/sys/fs/cgroup/memory/memory.limit_in_bytes"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        FILE *f = fopen(files[i], "r");
        if (!f)
            continue;
        unsigned long long v = 0;
        int got = fscanf(f, "%llu", &v); /* "max" (no limit) does not scan */
        fclose(f);
        if (got == 1)
            return v;
    }
    return 0;
}

static uint64_t lower(uint64_t budget, uint64_t limit) {
    return limit && (!budget || limit < budget) ? limit : budget;
}

int avz_limits_check_here(avz_limits_request r, avz_error *err) {
    if (r.workers < 1) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        r.workers = cores < 1 ? 1 : cores > MAX_WORKERS ? MAX_WORKERS : (int)cores;
    }
    if (!r.memory) {
        long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
        uint64_t budget = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
        budget = lower(budget, cgroup_memory());
        struct rlimit rl;
        if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
            budget = lower(budget, rl.rlim_cur);
        if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
            budget = lower(budget, rl.rlim_cur);
        r.memory = budget;
    }
    return avz_limits_check(&r, err);
}
