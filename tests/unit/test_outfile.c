/* Output files held (outfile.h): files finished while a thread holds its outputs replace their
 * targets only at the commit, all of them or none; a confirmation that fails puts every
 * previous file back; a writer on another thread is not held; one hold per thread. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "attnviz/outfile.h"
#include "attnviz/png.h"

static char dir[512];

static void path_of(char *buf, size_t size, const char *name) {
    snprintf(buf, size, "%s/%s", dir, name);
}

static void put(const char *name, const char *text) {
    char p[600];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The first bytes of a file: "PREV" for a previous one, "\x89PNG" for a new image. */
static void starts_with(const char *name, const char *head) {
    char p[600], got[8] = {0};
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    assert_true(fread(got, 1, strlen(head), f) == strlen(head));
    fclose(f);
    assert_memory_equal(got, head, strlen(head));
}

static bool exists(const char *name) {
    char p[600];
    struct stat st;
    path_of(p, sizeof p, name);
    return stat(p, &st) == 0;
}

/* How many entries the folder holds besides "." and "..": no temporary, backup or lock. */
static int entries(void) {
    char cmd[sizeof dir + 32];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

static void write_png(const char *name) {
    static const uint32_t pixels[4] = {0xFF102030, 0xFF405060, 0xFF708090, 0xFFA0B0C0};
    char p[600];
    avz_error err = {0};
    path_of(p, sizeof p, name);
    assert_int_equal(avz_png_write(p, (const uint8_t *)pixels, 2, 2, 8, &err), 0);
}

static int setup(void **state) {
    (void)state;
    const char *out = getenv("AVZ_TEST_OUT");
    snprintf(dir, sizeof dir, "%s/outfile", out ? out : "/tmp");
    char cmd[2 * sizeof dir + 32];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    return system(cmd);
}

static void held_files_wait_for_the_commit(void **state) {
    (void)state;
    put("a.png", "PREV a");
    avz_outputs *held = NULL;
    avz_error err = {0};
    assert_int_equal(avz_outputs_hold(&held, &err), 0);
    write_png("a.png");
    write_png("b.png");
    starts_with("a.png", "PREV");
    assert_false(exists("b.png"));
    assert_int_equal(avz_outputs_commit(held, NULL, NULL, &err), 0);
    avz_outputs_free(held);
    starts_with("a.png", "\x89PNG");
    starts_with("b.png", "\x89PNG");
    assert_int_equal(entries(), 2);
}

static void freed_without_a_commit_nothing_is_replaced(void **state) {
    (void)state;
    put("a.png", "PREV a");
    avz_outputs *held = NULL;
    avz_error err = {0};
    assert_int_equal(avz_outputs_hold(&held, &err), 0);
    write_png("a.png");
    write_png("c.png");
    avz_outputs_free(held);
    starts_with("a.png", "PREV");
    assert_false(exists("c.png"));
    assert_int_equal(entries(), 2); /* a.png and b.png, nothing of the render's */
}

static int refuse(void *ctx, avz_error *err) {
    int *calls = ctx;
    ++*calls;
    return avz_error_set(err, -ENOSPC, "the report did not arrive");
}

static void a_failed_confirmation_puts_every_file_back(void **state) {
    (void)state;
    put("a.png", "PREV a");
    put("b.png", "PREV b");
    avz_outputs *held = NULL;
    avz_error err = {0};
    int calls = 0;
    assert_int_equal(avz_outputs_hold(&held, &err), 0);
    write_png("a.png");
    write_png("b.png");
    write_png("d.png");
    assert_int_equal(avz_outputs_commit(held, refuse, &calls, &err), -ENOSPC);
    avz_outputs_free(held);
    assert_int_equal(calls, 1);
    assert_string_equal(err.msg, "the report did not arrive");
    starts_with("a.png", "PREV");
    starts_with("b.png", "PREV");
    assert_false(exists("d.png"));
    assert_int_equal(entries(), 2);
}

static void *write_elsewhere(void *arg) {
    (void)arg;
    write_png("e.png");
    return NULL;
}

static void other_threads_are_not_held_and_one_hold_is_enough(void **state) {
    (void)state;
    avz_outputs *held = NULL, *again = NULL;
    avz_error err = {0};
    assert_int_equal(avz_outputs_hold(&held, &err), 0);
    assert_int_equal(avz_outputs_hold(&again, &err), -EBUSY);
    assert_null(again);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, write_elsewhere, NULL), 0);
    pthread_join(t, NULL);
    starts_with("e.png", "\x89PNG");
    avz_outputs_free(held);
    /* the hold ended with the free: writing replaces at once again */
    put("a.png", "PREV a");
    write_png("a.png");
    starts_with("a.png", "\x89PNG");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(held_files_wait_for_the_commit, setup),
        cmocka_unit_test(freed_without_a_commit_nothing_is_replaced),
        cmocka_unit_test(a_failed_confirmation_puts_every_file_back),
        cmocka_unit_test(other_threads_are_not_held_and_one_hold_is_enough),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
