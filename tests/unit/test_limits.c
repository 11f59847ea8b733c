/* Limits: the up-front check of a render request (size, frame count, pixel work, memory). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attnviz/limits.h"

/* 1080p60, 90 s (5400 frames), 2 workers, 16 GiB: the default render on a small machine. */
static avz_limits_request ordinary(void) {
    return (avz_limits_request){.width = 1920,
                                .height = 1080,
                                .fps = 60,
                                .frames = 5400,
                                .workers = 2,
                                .output = "out.mp4",
                                .memory = 16ull << 30};
}

static void an_ordinary_render_passes(void **state) {
    (void)state;
    avz_limits_request r = ordinary();
    avz_error err = {0};
    assert_int_equal(avz_limits_check(&r, &err), 0);
    /* An hour of 4K at 60 fps is allowed too. */
    r = (avz_limits_request){.width = 3840,
                             .height = 2160,
                             .fps = 60,
                             .frames = 216000,
                             .workers = 2,
                             .memory = 16ull << 30};
    assert_int_equal(avz_limits_check(&r, &err), 0);
    assert_int_equal(err.code, 0);
}

static void nonsense_is_invalid(void **state) {
    (void)state;
    const struct {
        int width, height, fps;
    } cases[] = {
        {1921, 1080, 60}, {0, 1080, 60},   {8194, 1080, 60},  {14, 14, 60},
        {-2, 1080, 60},   {1920, 1080, 0}, {1920, 1080, 241}, {1920, 1080, -60},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        avz_limits_request r = ordinary();
        r.width = cases[i].width;
        r.height = cases[i].height;
        r.fps = cases[i].fps;
        avz_error err = {0};
        assert_int_equal(avz_limits_check(&r, &err), -EINVAL);
        assert_int_equal(err.code, -EINVAL);
        assert_non_null(strstr(err.msg, "not allowed"));
    }
}

static void too_many_frames_fail(void **state) {
    (void)state;
    /* One frame over the limit, at the smallest size. */
    avz_limits_request r = {.width = 16, .height = 16, .fps = 10, .frames = 1000001, .workers = 1};
    avz_error err = {0};
    assert_int_equal(avz_limits_check(&r, &err), -E2BIG);
    assert_non_null(strstr(err.msg, "1000001 frames (100000.1 s at 10 fps); at most 1000000"));
    r.frames = 1000000;
    assert_int_equal(avz_limits_check(&r, NULL), 0);
    /* Counts near the top of the type are refused, not wrapped. */
    r.frames = UINT64_MAX;
    assert_int_equal(avz_limits_check(&r, NULL), -E2BIG);
}

/* The example: 8192x8192 at 240 fps with an hour-long phase (3688 s). */
static void hours_of_huge_frames_are_too_much_work(void **state) {
    (void)state;
    avz_limits_request r = {.width = 8192,
                            .height = 8192,
                            .fps = 240,
                            .frames = 885120,
                            .workers = 2,
                            .memory = 1ull << 40};
    avz_error err = {0};
    assert_int_equal(avz_limits_check(&r, &err), -E2BIG);
    assert_non_null(strstr(err.msg, "pixels to render"));
}

static void memory_grows_with_size_workers_and_preset(void **state) {
    (void)state;
    avz_limits_request r = ordinary();
    uint64_t base = avz_limits_memory_needed(&r);
    /* Measured: 1080p60 with preset medium and 2 workers peaked at 535 MiB. */
    assert_true(base > (500ull << 20) && base < (700ull << 20));
    r.workers = 4;
    assert_true(avz_limits_memory_needed(&r) > base);
    r = ordinary();
    r.preset = "placebo";
    assert_true(avz_limits_memory_needed(&r) > base);
    r.preset = "ultrafast";
    assert_true(avz_limits_memory_needed(&r) < base);
    /* An unknown preset is the sink's to refuse: it costs what the default does. */
    r.preset = "bogus";
    assert_int_equal(avz_limits_memory_needed(&r), base);
    /* Frames that go to a digest or a still hold no encoder's lookahead. */
    r = ordinary();
    r.output = NULL;
    assert_true(avz_limits_memory_needed(&r) < base / 2);
    /* Pieces side by side (--jobs) each hold their frames and encoder; the process is one. */
    r = ordinary();
    uint64_t one_mapped = avz_limits_address_needed(&r);
    r.renders = 3;
    uint64_t three = avz_limits_memory_needed(&r);
    assert_true(three > 2 * base && three < 3 * base);
    assert_true(avz_limits_address_needed(&r) > 2 * one_mapped);
}

/* ulimit -v counts what is mapped, not what is used: stacks and arenas, more than the memory. */
static void address_space_counts_stacks_and_arenas(void **state) {
    (void)state;
    avz_limits_request r = ordinary();
    uint64_t memory = avz_limits_memory_needed(&r), mapped = avz_limits_address_needed(&r);
    assert_true(mapped > memory + (200ull << 20));
    r.address_space = memory + (16ull << 20); /* enough memory, not enough address space */
    avz_error err = {0};
    assert_int_equal(avz_limits_check(&r, &err), -E2BIG);
    assert_non_null(strstr(err.msg, "address space"));
    assert_non_null(strstr(err.msg, "ulimit -v"));
    r.address_space = mapped;
    assert_int_equal(avz_limits_check(&r, NULL), 0);
    /* More workers, more stacks and arenas. */
    r.workers = 8;
    assert_true(avz_limits_address_needed(&r) > mapped + 6 * (64ull << 20));
}

static void a_render_over_the_memory_budget_fails(void **state) {
    (void)state;
    avz_limits_request r = ordinary();
    r.width = r.height = 8192;
    r.frames = 60;
    r.workers = 64;
    avz_error err = {0};
    assert_int_equal(avz_limits_check(&r, &err), -E2BIG);
    assert_non_null(strstr(err.msg, "MiB of memory; 16384 MiB is available"));
    /* No budget given: no memory check. */
    r.memory = 0;
    assert_int_equal(avz_limits_check(&r, NULL), 0);
}

static void this_machine_fills_in_workers_and_memory(void **state) {
    (void)state;
    /* Workers: one per core, as the pipeline starts them; the message names the count. */
    avz_limits_request r = ordinary();
    r.workers = 0;
    r.memory = 1;
    avz_error err = {0};
    assert_int_equal(avz_limits_check_here(r, &err), -E2BIG);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char expected[64];
    snprintf(expected, sizeof expected, "with %ld workers",
             cores < 1    ? 1
             : cores > 64 ? 64
                          : cores);
    assert_non_null(strstr(err.msg, expected));
    /* Memory: the machine's; an ordinary render fits, 82 GB of frames fit only a big one. */
    r = ordinary();
    r.memory = 0;
    assert_int_equal(avz_limits_check_here(r, NULL), 0);
    r.width = r.height = 8192;
    r.workers = 64;
    r.preset = "placebo";
    r.frames = 60;
    uint64_t physical = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE);
    if (physical >= avz_limits_memory_needed(&r))
        skip();
    avz_error err2 = {0};
    assert_int_equal(avz_limits_check_here(r, &err2), -E2BIG);
    assert_non_null(strstr(err2.msg, "MiB is available"));
}

/* Under a budget the encoder's settings are those that fit with one worker, then as many
 * workers as fit join: the same settings whatever the machine's (or the caller's) workers. */
static void a_budget_picks_encoder_settings_and_workers(void **state) {
    (void)state;
    avz_limits_request r = ordinary();
    r.memory = 0;
    avz_error err = {0};
    /* Plenty: the defaults, every worker. */
    assert_int_equal(avz_limits_fit(&r, 8ull << 30, &err), 0);
    assert_int_equal(r.encoder_threads, 0);
    assert_int_equal(r.lookahead, 0);
    assert_int_equal(r.workers, 2);
    /* A 512 MiB container at 1080p60: something smaller, within the budget. */
    uint64_t budget = 512ull << 20;
    int threads = -1, lookahead = -1;
    for (int workers = 1; workers <= 16; workers *= 2) {
        r = ordinary();
        r.workers = workers;
        assert_int_equal(avz_limits_fit(&r, budget, &err), 0);
        assert_true(avz_limits_memory_needed(&r) <= budget);
        assert_true(r.workers >= 1 && r.workers <= workers);
        if (threads < 0)
            threads = r.encoder_threads, lookahead = r.lookahead;
        assert_int_equal(r.encoder_threads, threads);
        assert_int_equal(r.lookahead, lookahead);
    }
    assert_true(threads != 0 || lookahead != 0);
    /* Each smaller budget costs no more than the one before it. */
    uint64_t before = UINT64_MAX;
    for (uint64_t mib = 1024; mib >= 300; mib -= 16) {
        r = ordinary();
        if (avz_limits_fit(&r, mib << 20, NULL))
            break;
        uint64_t need = avz_limits_memory_needed(&r);
        assert_true(need <= (mib << 20) && need <= before);
        before = need;
    }
}

static void a_budget_too_small_names_the_smallest_that_fits(void **state) {
    (void)state;
    avz_limits_request r = ordinary();
    avz_error err = {0};
    assert_int_equal(avz_limits_fit(&r, 100ull << 20, &err), -E2BIG);
    unsigned long smallest = 0;
    const char *at = strstr(err.msg, "needs at least ");
    assert_non_null(at);
    assert_int_equal(sscanf(at, "needs at least %lu MiB", &smallest), 1);
    assert_non_null(strstr(err.msg, "the budget is 100 MiB"));
    r = ordinary();
    assert_int_equal(avz_limits_fit(&r, (uint64_t)smallest << 20, NULL), 0);
    assert_int_equal(r.workers, 1);
    r = ordinary();
    assert_int_equal(avz_limits_fit(&r, ((uint64_t)smallest - 1) << 20, NULL), -E2BIG);
    /* ProRes holds a large context per frame thread: a small budget takes one. */
    r = ordinary();
    r.output = "out.mov";
    assert_int_equal(avz_limits_fit(&r, 400ull << 20, NULL), 0);
    assert_int_equal(r.encoder_threads, 1);
    /* A preset without lookahead cannot shorten it: the estimate says so. */
    r = ordinary();
    r.preset = "superfast";
    avz_limits_request shorter = r;
    shorter.lookahead = 5;
    assert_int_equal(avz_limits_memory_needed(&shorter), avz_limits_memory_needed(&r));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_ordinary_render_passes),
        cmocka_unit_test(nonsense_is_invalid),
        cmocka_unit_test(too_many_frames_fail),
        cmocka_unit_test(hours_of_huge_frames_are_too_much_work),
        cmocka_unit_test(memory_grows_with_size_workers_and_preset),
        cmocka_unit_test(a_render_over_the_memory_budget_fails),
        cmocka_unit_test(address_space_counts_stacks_and_arenas),
        cmocka_unit_test(this_machine_fills_in_workers_and_memory),
        cmocka_unit_test(a_budget_picks_encoder_settings_and_workers),
        cmocka_unit_test(a_budget_too_small_names_the_smallest_that_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
