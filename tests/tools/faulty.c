/* A shim for fault tests, preloaded with LD_PRELOAD: write() to regular files fails with EIO
 * once AVZ_FAIL_WRITE_AFTER bytes have been written, and the AVZ_FAIL_RENAME_AT-th rename()
 * fails with EIO, so that tests can break a render at the byte or the file they choose. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static long env_number(const char *name) {
    const char *v = getenv(name);
    return v && *v ? atol(v) : -1;
}

ssize_t write(int fd, const void *buf, size_t n) {
    static ssize_t (*real)(int, const void *, size_t);
    static long budget = -2;
    if (!real)
        real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (budget == -2)
        budget = env_number("AVZ_FAIL_WRITE_AFTER");
    struct stat st;
    if (budget >= 0 && fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if ((long)n > budget) {
            errno = EIO;
            return -1;
        }
        budget -= (long)n;
    }
    return real(fd, buf, n);
}

int rename(const char *from, const char *to) {
    static int (*real)(const char *, const char *);
    static long at = -2, count;
    if (!real)
        real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    if (at == -2)
        at = env_number("AVZ_FAIL_RENAME_AT");
    if (at > 0 && ++count == at) {
        errno = EIO;
        return -1;
    }
    return real(from, to);
}
