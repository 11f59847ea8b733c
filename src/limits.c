/* attnviz limits: bounds on a render request, checked before any frame is drawn. */
#include "attnviz/limits.h"

#include "sink.h"

#include <inttypes.h>
#include <math.h>
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
 * masks (1.5, measured at 2160p) and up to four yuv420p pictures (1.5 each), which the queue's
 * frames reference; through swscale, the queue's frames have planes of their own instead, two
 * slots a worker and the writer's one more frame. */
#define WORKER_BYTES_PER_PIXEL 11.5
#define WRITER_BYTES_PER_PIXEL 1.5
/* Address space mapped but not used (what `ulimit -v` counts), fitted to the VmPeak of renders
 * at 480p, 1080p and 2160p with 1 to 4 workers (README): the libraries' code and data with the
 * main thread's arena, 64 MiB more for each worker's malloc arena and stack, and for an encoder
 * its threads' stacks (the stack limit each, 8 MiB by default) and arenas. Then a margin, so
 * that a render within the estimate never runs out of address space. */
#define LIBRARY_BYTES (185u << 20)
#define WORKER_MAPPED (64u << 20)
#define ENCODER_HELPER_THREADS 2 /* x264's lookahead, libav's own */
#define ENCODER_ARENAS (82u << 20)
#define MARGIN(bytes) ((bytes) + (bytes) / 12 + (16u << 20))

static int workers_of(const avz_limits_request *r) {
    return r->workers < 1 ? 1 : r->workers > MAX_WORKERS ? MAX_WORKERS : r->workers;
}

static int encoder_threads_of(const avz_limits_request *r) {
    return r->encoder_threads > 0 ? r->encoder_threads : 4;
}

static double encoder_bytes_per_pixel(const avz_limits_request *r) {
    avz_sink_options o = {.width = r->width,
                          .height = r->height,
                          .fps = r->fps,
                          .preset = r->preset,
                          .encoder_threads = r->encoder_threads,
                          .lookahead = r->lookahead};
    return r->output ? avz_sink_encoder_memory(r->output, &o) : 0;
}

static int renders_of(const avz_limits_request *r) {
    return r->renders > 1 ? r->renders : 1;
}

uint64_t avz_limits_memory_needed(const avz_limits_request *r) {
    double pixels = (double)r->width * r->height;
    double per_pixel = workers_of(r) * WORKER_BYTES_PER_PIXEL + WRITER_BYTES_PER_PIXEL +
                       encoder_bytes_per_pixel(r);
    return FIXED_BYTES + (uint64_t)renders_of(r) * (uint64_t)(pixels * per_pixel);
}

uint64_t avz_limits_address_needed(const avz_limits_request *r) {
    struct rlimit rl;
    uint64_t stack = getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                         ? (uint64_t)rl.rlim_cur
                         : 8u << 20;
    uint64_t encoder =
        r->output
            ? (uint64_t)(encoder_threads_of(r) + ENCODER_HELPER_THREADS) * stack + ENCODER_ARENAS
            : 0;
    uint64_t mapped = avz_limits_memory_needed(r) + LIBRARY_BYTES +
                      (uint64_t)renders_of(r) * ((uint64_t)workers_of(r) * WORKER_MAPPED + encoder);
    return MARGIN(mapped);
}

static double mib(uint64_t bytes) {
    return (double)bytes / (1u << 20);
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
                             "the video would have %" PRIu64 " frames (%.1f s at %d fps); at most "
                             "%d are allowed",
                             r->frames, (double)r->frames / r->fps, r->fps, AVZ_LIMIT_MAX_FRAMES);
    double pixels = (double)r->frames * r->width * r->height;
    if (pixels > AVZ_LIMIT_MAX_PIXELS)
        return avz_error_set(err, -E2BIG,
                             "the video would take %.2g pixels to render (%" PRIu64 " frames of "
                             "%dx%d); at most %.0e are allowed: lower the size, the frame rate "
                             "or the length",
                             pixels, r->frames, r->width, r->height, AVZ_LIMIT_MAX_PIXELS);
    uint64_t need = avz_limits_memory_needed(r);
    bool x264 = r->output && avz_sink_takes_preset(r->output);
    if (r->memory && need > r->memory)
        return avz_error_set(err, -E2BIG,
                             "%s %dx%d render%s with %d worker%s%s%s needs about %.0f MiB of "
                             "memory; %.0f MiB is available: lower the size or the workers%s",
                             renders_of(r) > 1 ? "the pieces of a" : "a", r->width, r->height,
                             renders_of(r) > 1 ? " side by side" : "", workers_of(r),
                             workers_of(r) == 1 ? "" : "s", x264 ? " and preset " : "",
                             x264 ? (r->preset ? r->preset : "medium") : "", mib(need),
                             mib(r->memory), x264 ? ", or pick a faster preset" : "");
    uint64_t mapped = avz_limits_address_needed(r);
    if (r->address_space && mapped > r->address_space)
        return avz_error_set(err, -E2BIG,
                             "a %dx%d render with %d worker%s maps about %.0f MiB of address "
                             "space; the limit (ulimit -v) is %.0f MiB: raise it, or lower the "
                             "size or the workers",
                             r->width, r->height, workers_of(r), workers_of(r) == 1 ? "" : "s",
                             mib(mapped), mib(r->address_space));
    return 0;
}

/* Encoder settings from the most memory to the least: see avz_limits_fit. */
static const struct rung {
    int threads, lookahead;
} ladder[] = {{0, 0}, {2, 0}, {2, 20}, {2, 10}, {1, 10}, {1, 5}};

int avz_limits_fit(avz_limits_request *r, uint64_t budget, avz_error *err) {
    avz_limits_request t = *r;
    t.workers = 1;
    size_t n = sizeof ladder / sizeof ladder[0], i = 0;
    for (; i < n; i++) {
        t.encoder_threads = ladder[i].threads;
        t.lookahead = ladder[i].lookahead;
        if (avz_limits_memory_needed(&t) <= budget)
            break;
    }
    if (i == n)
        return avz_error_set(err, -E2BIG,
                             "a %dx%d render needs at least %.0f MiB of memory (one worker, "
                             "the encoder's smallest settings); the budget is %.0f MiB",
                             r->width, r->height, ceil(mib(avz_limits_memory_needed(&t))),
                             mib(budget));
    while (t.workers < workers_of(r)) {
        t.workers++;
        if (avz_limits_memory_needed(&t) > budget) {
            t.workers--;
            break;
        }
    }
    r->encoder_threads = t.encoder_threads;
    r->lookahead = t.lookahead;
    r->workers = t.workers;
    return 0;
}

/* A number from the first line of a file ("max", no limit, gives 0). */
static uint64_t read_number(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    unsigned long long v = 0;
    int got = fscanf(f, "%llu", &v);
    fclose(f);
    return got == 1 ? v : 0;
}

/* What the cgroup (v2, then v1) lets this process still take: its limit less its usage. */
static uint64_t cgroup_room(void) {
    static const char *const limits[][2] = {
        {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
        {"/sys/fs/cgroup/memory/memory.limit_in_bytes",
         "/sys/fs/cgroup/memory/memory.usage_in_bytes"},
    };
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        uint64_t max = read_number(limits[i][0]);
        if (max) {
            uint64_t used = read_number(limits[i][1]);
            return max > used ? max - used : 1;
        }
    }
    return 0;
}

/* MemAvailable: what the kernel can give without swapping, counting reclaimable caches. */
static uint64_t available_memory(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    char line[128];
    unsigned long long kib = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    if (kib)
        return (uint64_t)kib * 1024;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
}

static uint64_t lower(uint64_t budget, uint64_t limit) {
    return limit && (!budget || limit < budget) ? limit : budget;
}

int avz_limits_check_here(avz_limits_request r, avz_error *err) {
    if (r.workers < 1) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        r.workers = cores < 1 ? 1 : cores > MAX_WORKERS ? MAX_WORKERS : (int)cores;
    }
    struct rlimit rl;
    if (!r.memory) {
        uint64_t budget = lower(available_memory(), cgroup_room());
        if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
            budget = lower(budget, rl.rlim_cur);
        r.memory = budget;
    }
    if (!r.address_space && getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        r.address_space = rl.rlim_cur;
    return avz_limits_check(&r, err);
}
