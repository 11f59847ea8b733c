/* attnviz output files: see outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Creates an empty ".<name>.XXXXXX" beside path. Our own O_EXCL loop rather than mkstemp:
 * mkstemp makes the file 0600, while open(0666) lets the umask decide the final mode exactly
 * as for any file the user writes. Directory problems surface here, before anything exists. */
int avz_outfile_create(const char *path, char **tmp_out, int *fd_out, avz_error *err) {
    static atomic_uint counter;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int dir_len = slash ? (int)(slash - path) + 1 : 0; /* the prefix kept in the temp name */
    char dir[4096];                                    /* only for messages */
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : dir_len - 1, path);
    else
        snprintf(dir, sizeof dir, ".");
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        return avz_error_set(err, -EISDIR, "output path '%s' is a directory", path);
    /* Renaming over a FIFO or a link to a device would replace it with a file: refuse. */
    if (exists && !S_ISREG(st.st_mode))
        return avz_error_set(err, -EEXIST,
                             "output path '%s' is not a regular file (a FIFO, device or socket); "
                             "only regular files are replaced",
                             path);

    size_t size = strlen(path) + 16;
    char *tmp = malloc(size);
    if (!tmp)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    for (int attempt = 0; attempt < 100; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long r = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 20) ^
                          (atomic_fetch_add(&counter, 1) * 2654435761u);
        snprintf(tmp, size, "%.*s.%s.%06lx", dir_len, path, base, r & 0xffffff);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp_out = tmp;
            *fd_out = fd;
            return 0;
        }
        if (errno != EEXIST) {
            int e = errno;
            free(tmp);
            return avz_error_set(err, -e, "cannot write to directory '%s': %s", dir, strerror(e));
        }
    }
    free(tmp);
    return avz_error_set(err, -EEXIST, "cannot create a temporary file in directory '%s'", dir);
}

/* fsync before rename so that a crash cannot leave an empty file under the target's name. */
int avz_outfile_publish(int fd, const char *tmp, const char *path, avz_error *err) {
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return avz_error_set(err, -e, "cannot flush '%s': %s", path, strerror(e));
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return avz_error_set(err, -e, "cannot rename the finished file onto '%s': %s", path,
                             strerror(e));
    }
    return 0;
}

int avz_write_all(int fd, const void *data, size_t len) {
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
