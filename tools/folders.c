/* attnviz command line, output folders: see folders.h. */
#include "folders.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attnviz/pipeline.h"
#include "cli.h"

int folders_make(folders *f, const char *dir) {
    char path[4096];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof path)
        return len ? cli_fail(AVZ_EXIT_USAGE, "folder %s is too long a path", dir) : 0;
    memcpy(path, dir, len + 1);
    /* Each prefix ending at a '/', then the whole: parents first. */
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char keep = path[i];
        path[i] = '\0';
        struct stat st;
        if (stat(path, &st) != 0) {
            if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
                return cli_fail(AVZ_EXIT_IO,
                                "cannot make folder %s: it is a symlink to nothing "
                                "(or a loop of them)",
                                path);
            if (mkdir(path, 0777) != 0)
                return cli_fail(AVZ_EXIT_IO, "cannot make folder %s: %s", path, strerror(errno));
            if (f->count < sizeof f->made / sizeof f->made[0])
                f->made[f->count++] = strdup(path);
        } else if (!S_ISDIR(st.st_mode)) {
            return cli_fail(AVZ_EXIT_IO, "%s is not a folder", path);
        }
        path[i] = keep;
    }
    return 0;
}

int folders_make_for(folders *f, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!avz_output_is_sequence(path) || !slash || slash == path)
        return 0;
    char dir[4096];
    size_t n = (size_t)(slash - path);
    if (n >= sizeof dir)
        return cli_fail(AVZ_EXIT_USAGE, "output %s is too long a path", path);
    memcpy(dir, path, n);
    dir[n] = '\0';
    return folders_make(f, dir);
}

void folders_finish(folders *f, bool succeeded) {
    for (size_t i = f->count; i-- > 0;) {
        if (!succeeded && f->made[i])
            rmdir(f->made[i]); /* empty unless something else wrote there meanwhile: kept then */
        free(f->made[i]);
    }
    f->count = 0;
}
