/* Allocation failure, as dav1d's alloc_fail fuzzer does it: this test is linked with
 * -Wl,--wrap for every allocating call attnviz's own code makes (malloc and its kin, cairo's
 * image surfaces, libav's allocators, threads, memory streams), so the N-th of them can be
 * made to fail. A still, a storyboard, a short video and a short GIF, each from opening the fonts
 * to the renamed file, are run once to count their allocations, then again failing one in
 * turn: every run must end in -ENOMEM (or -EAGAIN for a thread) with a message, leave no file
 * behind, and, under ASan, crash or leak nothing. A run the failure did not stop must write the
 * very bytes an unfailed run writes. Allocations inside the libraries themselves (cairo's
 * rasteriser, harfbuzz, libavcodec) are theirs to handle and are not failed here. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cmocka.h>
#include <dirent.h>
#include <libavutil/mem.h>
#include <pthread.h>
#include <unistd.h>

#include "attnviz/pipeline.h"
#include "attnviz/plugin.h"
#include "attnviz/storyboard.h"
#include "attnviz/timeline.h"
#include "builtin.h"

/* Up to this many allocations are failed in turn, evenly spread over the run, so that the
 * test stays within seconds while every kind of allocation is still hit; AVZ_ALLOC_FAIL_ALL=1
 * fails every one of them (minutes). */
#define SPREAD_POINTS 300

static atomic_long calls;      /* allocating calls since the run began */
static atomic_long fail_at;    /* the call to fail, 1-based; 0: none */
static atomic_bool failed_one; /* whether the run met its failure */

static bool fail_now(void) {
    long n = atomic_fetch_add(&calls, 1) + 1;
    if (n != atomic_load(&fail_at))
        return false;
    atomic_store(&failed_one, true);
    return true;
}

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__real_av_mallocz(size_t size);
void *__real_av_calloc(size_t count, size_t size);
FILE *__real_open_memstream(char **buf, size_t *size);
cairo_surface_t *__real_cairo_image_surface_create(cairo_format_t format, int width, int height);
int __real_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                          void *arg);

#define FAIL_OR(call, failure)                                                                     \
    do {                                                                                           \
        if (fail_now()) {                                                                          \
            errno = ENOMEM;                                                                        \
            return failure;                                                                        \
        }                                                                                          \
        return call;                                                                               \
    } while (0)

void *__wrap_malloc(size_t size) {
    FAIL_OR(__real_malloc(size), NULL);
}
void *__wrap_calloc(size_t count, size_t size) {
    FAIL_OR(__real_calloc(count, size), NULL);
}
void *__wrap_realloc(void *ptr, size_t size) {
    FAIL_OR(__real_realloc(ptr, size), NULL);
}
char *__wrap_strdup(const char *s) {
    FAIL_OR(__real_strdup(s), NULL);
}
char *__wrap_strndup(const char *s, size_t n) {
    FAIL_OR(__real_strndup(s, n), NULL);
}
void *__wrap_av_mallocz(size_t size) {
    FAIL_OR(__real_av_mallocz(size), NULL);
}
void *__wrap_av_calloc(size_t count, size_t size) {
    FAIL_OR(__real_av_calloc(count, size), NULL);
}
FILE *__wrap_open_memstream(char **buf, size_t *size) {
    FAIL_OR(__real_open_memstream(buf, size), NULL);
}
/* cairo reports an allocation failure as a surface in an error state. */
cairo_surface_t *__wrap_cairo_image_surface_create(cairo_format_t format, int width, int height) {
    FAIL_OR(__real_cairo_image_surface_create(format, width, height),
            __real_cairo_image_surface_create(CAIRO_FORMAT_ARGB32, -1, -1));
}
int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                          void *arg) {
    FAIL_OR(__real_pthread_create(thread, attr, start, arg), EAGAIN);
}

typedef struct job {
    const char *scene;
    const char *file; /* in the test's folder */
    double from, to;  /* to == 0: a still at `from`; to < 0: a storyboard */
} job;

static char folder[512];

/* Builds the scene and writes the job's file; 0, or the first error with its message. */
static int run(const job *j, avz_error *err) {
    avz_fonts *fonts = NULL;
    avz_scene *s = NULL;
    avz_timeline *tl = NULL;
    const avz_scene_def *def = NULL;
    for (size_t i = 0; i < avz_builtin_scene_count(); i++)
        if (!strcmp(avz_builtin_scene(i)->name, j->scene))
            def = avz_builtin_scene(i);
    char path[640];
    snprintf(path, sizeof path, "%s/%s", folder, j->file);
    int rc = avz_fonts_open(AVZ_SOURCE_DIR "/fonts", &fonts, err);
    rc = rc ? rc : avz_scene_build(def, fonts, NULL, &s, err);
    rc = rc ? rc : avz_timeline_resolve(s, NULL, &tl, err);
    if (!rc && j->to == 0) {
        rc = avz_render_still(s, tl, j->from, path, 96, 54, false, err);
    } else if (!rc && j->to < 0) {
        avz_storyboard_options board = {
            .path = path, .title = j->scene, .thumb_width = 64, .thumb_height = 36};
        rc = avz_render_storyboard(s, tl, &board, err);
    } else if (!rc) {
        avz_render_options opts = {.path = path,
                                   .width = 96,
                                   .height = 54,
                                   .fps = 10,
                                   .workers = 2,
                                   .crf = -1,
                                   .from = j->from,
                                   .to = j->to,
                                   .first_number = -1};
        rc = avz_render_video(s, tl, &opts, err);
    }
    avz_timeline_free(tl);
    avz_scene_free(s);
    avz_fonts_close(fonts);
    return rc;
}

static char *slurp(const char *name, size_t *size) {
    char path[640];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    rewind(f);
    char *bytes = __real_malloc(*size + 1);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, *size, f), *size);
    fclose(f);
    return bytes;
}

/* The folder holds nothing but `keep` (when not NULL). */
static void assert_folder_holds(const char *keep, long point) {
    DIR *d = opendir(folder);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            (keep && !strcmp(e->d_name, keep)))
            continue;
        fail_msg("failing allocation %ld left %s behind", point, e->d_name);
    }
    closedir(d);
}

static void remove_output(const job *j) {
    char path[640];
    snprintf(path, sizeof path, "%s/%s", folder, j->file);
    unlink(path);
}

static void every_failure_is_clean(const job *j) {
    avz_error err = {0};
    atomic_store(&fail_at, 0);
    atomic_store(&calls, 0);
    if (run(j, &err))
        fail_msg("%s unfailed: %s", j->file, err.msg);
    long total = atomic_load(&calls);
    size_t good_size;
    char *good = slurp(j->file, &good_size);
    assert_non_null(good);
    remove_output(j);

    bool all = getenv("AVZ_ALLOC_FAIL_ALL") && !strcmp(getenv("AVZ_ALLOC_FAIL_ALL"), "1");
    long step = !all && total > SPREAD_POINTS ? total / SPREAD_POINTS : 1;
    long stopped = 0;
    for (long point = 1; point <= total; point += step) {
        err = (avz_error){0};
        atomic_store(&calls, 0);
        atomic_store(&failed_one, false);
        atomic_store(&fail_at, point);
        int rc = run(j, &err);
        atomic_store(&fail_at, 0);
        if (rc == 0) {
            /* Met or not (threads make the count vary), the failure did not stop it. */
            size_t size;
            char *bytes = slurp(j->file, &size);
            if (!bytes || size != good_size || memcmp(bytes, good, size))
                fail_msg("%s with allocation %ld failed: exit 0 and a different file", j->file,
                         point);
            free(bytes);
            remove_output(j);
        } else {
            stopped++;
            if (!atomic_load(&failed_one))
                fail_msg("%s: allocation %ld was not reached, yet: %s", j->file, point, err.msg);
            if (rc != -ENOMEM && rc != -EAGAIN)
                fail_msg("%s with allocation %ld failed: code %d, not -ENOMEM: %s", j->file, point,
                         rc, err.msg);
            if (!err.msg[0])
                fail_msg("%s with allocation %ld failed: code %d without a message", j->file, point,
                         rc);
        }
        assert_folder_holds(NULL, point);
    }
    print_message("%s: %ld allocating calls, %ld failed in turn, %ld stopped the run\n", j->file,
                  total, (total + step - 1) / step, stopped);
    assert_true(stopped > 0);
    free(good);
}

static void a_still(void **state) {
    (void)state;
    every_failure_is_clean(&(job){"gqa", "still.png", 40, 0});
}

static void a_storyboard(void **state) {
    (void)state;
    every_failure_is_clean(&(job){"self-attention", "board.png", 0, -1});
}

static void a_short_render(void **state) {
    (void)state;
    every_failure_is_clean(&(job){"self-attention", "short.mp4", 10, 11});
}

static void a_short_gif(void **state) {
    (void)state;
    every_failure_is_clean(&(job){"gqa", "short.gif", 30, 30.5});
}

int main(void) {
    const char *out = getenv("AVZ_TEST_OUT");
    snprintf(folder, sizeof folder, "%s/alloc_fail", out ? out : "/tmp");
    char command[1100];
    snprintf(command, sizeof command, "rm -rf '%s' && mkdir -p '%s'", folder, folder);
    if (system(command) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_still),
        cmocka_unit_test(a_storyboard),
        cmocka_unit_test(a_short_render),
        cmocka_unit_test(a_short_gif),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
