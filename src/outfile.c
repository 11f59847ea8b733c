/* attnviz output files: see outfile.h. Depends on POSIX files and flock(2) only. */
#define _DEFAULT_SOURCE /* flock */
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attnviz/cancel.h"

#define TAG ".attnviz-"
#define TOKEN_LEN 16
/* "." NAME TAG TOKEN "." index ".old": what a temporary's or backup's name adds to NAME. */
#define NAME_EXTRA (1 + 9 + TOKEN_LEN + 1 + 7 + 4)
#define MAX_LINKS 40 /* symlinks followed, as the kernel's own limit */

typedef struct entry {
    char *target, *tmp, *backup;
    int fd;
    bool existed;  /* the target was there when the commit began */
    bool had_old;  /* ... and backup holds its content */
    bool replaced; /* the temporary is now the target */
} entry;

typedef struct folder {
    char *path;
    int lock_fd;
    char *lock;
} folder;

struct avz_outset {
    char token[TOKEN_LEN + 1];
    entry *entries;
    size_t count, capacity;
    folder *folders;
    size_t folder_count;
};

static char *join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* dir part of path ("." when it has none) and its last component. */
static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int avz_outset_new(avz_outset **out) {
    avz_outset *set = calloc(1, sizeof *set);
    if (!set)
        return -ENOMEM;
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        r = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15u ^ (uint64_t)ts.tv_sec ^
            (uint64_t)getpid() << 32;
    }
    snprintf(set->token, sizeof set->token, "%016llx", (unsigned long long)r);
    *out = set;
    return 0;
}

/* A scratch folder's name: TAG TOKEN SCRATCH (see avz_scratch_new). */
#define SCRATCH ".scratch"

/* Whether name is one a render of token leaves in a folder: ".NAME" TAG TOKEN ".N" or
 * ".N.old" (a temporary, a backup), its lock while being made (TAG TOKEN ".lock.new"), or its
 * scratch folder (TAG TOKEN SCRATCH). Exactly: a file of the user's that merely holds the
 * token is not one. */
static bool left_by(const char *name, const char *token) {
    char mark[sizeof TAG + TOKEN_LEN];
    snprintf(mark, sizeof mark, "%s%s", TAG, token);
    if (strncmp(name, mark, strlen(mark)) == 0) {
        const char *rest = name + strlen(mark);
        return !strcmp(rest, ".lock.new") || !strcmp(rest, SCRATCH);
    }
    const char *at = name[0] == '.' ? strstr(name + 1, mark) : NULL;
    if (!at)
        return false;
    const char *rest = at + strlen(mark);
    size_t digits = rest[0] == '.' ? strspn(rest + 1, "0123456789") : 0;
    return digits && (!rest[1 + digits] || !strcmp(rest + 1 + digits, ".old"));
}

/* Removes a folder and the files in it (a scratch folder holds no folders). */
static void remove_folder(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            char *p = join(dir, e->d_name);
            if (p)
                unlink(p);
            free(p);
        }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Removes what a dead render left in dir: its lock file `name` is unlocked. */
static void remove_stale(const char *dir, const char *lock_name) {
    char token[TOKEN_LEN + 1];
    memcpy(token, lock_name + strlen(TAG), TOKEN_LEN);
    token[TOKEN_LEN] = '\0';
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (left_by(e->d_name, token)) {
            char *p = join(dir, e->d_name);
            struct stat st;
            if (p && lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                remove_folder(p);
            else if (p)
                unlink(p);
            free(p);
        }
    if (d)
        closedir(d);
}

static bool is_lock_name(const char *name) {
    size_t n = strlen(name);
    if (n != strlen(TAG) + TOKEN_LEN + 5 || strncmp(name, TAG, strlen(TAG)) ||
        strcmp(name + n - 5, ".lock"))
        return false;
    for (size_t i = strlen(TAG); i < strlen(TAG) + TOKEN_LEN; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return false;
    return true;
}

/* Every lock file in dir that no live render holds: its render died; clean up after it. */
static void sweep(const char *dir, const char *own_lock) {
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_lock_name(e->d_name) || !strcmp(e->d_name, own_lock))
            continue;
        char *p = join(dir, e->d_name);
        int fd = p ? open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
            remove_stale(dir, e->d_name);
            unlink(p);
        }
        if (fd >= 0)
            close(fd);
        free(p);
    }
    closedir(d);
}

/* The folder entry for dir, with this render's lock taken in it (and stale renders swept). */
static int folder_for(avz_outset *set, const char *dir, avz_error *err) {
    for (size_t i = 0; i < set->folder_count; i++)
        if (!strcmp(set->folders[i].path, dir))
            return 0;
    folder *grown = realloc(set->folders, (set->folder_count + 1) * sizeof *grown);
    if (!grown)
        return avz_error_set(err, -ENOMEM, "out of memory");
    set->folders = grown;
    folder *f = &set->folders[set->folder_count];
    char name[sizeof TAG + TOKEN_LEN + 5];
    snprintf(name, sizeof name, "%s%s.lock", TAG, set->token);
    *f = (folder){.path = strdup(dir), .lock_fd = -1, .lock = join(dir, name)};
    if (!f->path || !f->lock) {
        free(f->path);
        free(f->lock);
        return avz_error_set(err, -ENOMEM, "out of memory");
    }
    char shown[AVZ_SHORT];
    /* Made and locked under a name sweeps pass over, then renamed: under its own name, a
     * lock file not yet locked would look stale to another render's sweep. */
    size_t len = strlen(f->lock);
    char *fresh = malloc(len + 5);
    if (fresh) {
        memcpy(fresh, f->lock, len);
        memcpy(fresh + len, ".new", 5);
    }
    f->lock_fd =
        fresh ? open(fresh, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666) : -1;
    errno = fresh ? errno : ENOMEM;
    if (f->lock_fd < 0 || flock(f->lock_fd, LOCK_EX | LOCK_NB) != 0 || rename(fresh, f->lock)) {
        int e = errno;
        if (f->lock_fd >= 0) {
            close(f->lock_fd);
            unlink(fresh);
        }
        free(fresh);
        free(f->path);
        free(f->lock);
        /* ENOENT and ENOTDIR come from a folder missing, from a file where the folder should
         * be, and from a folder that takes no new files (/proc) */
        struct stat st;
        bool found = stat(dir, &st) == 0;
        avz_shorten(shown, sizeof shown, dir);
        if (!found && (errno == ENOENT || errno == ENOTDIR))
            return avz_error_set(err, -e, "folder '%s' does not exist", shown);
        if (found && !S_ISDIR(st.st_mode))
            return avz_error_set(err, -ENOTDIR, "'%s' is not a folder", shown);
        if (e == ENOENT || e == ENOTDIR)
            return avz_error_set(err, -e, "cannot create files in folder '%s'", shown);
        return avz_error_set(err, -e, "cannot write to folder '%s': %s", shown, strerror(e));
    }
    free(fresh);
    set->folder_count++;
    sweep(dir, name);
    return 0;
}

/* The file that writing `path` would replace: path itself, or the end of its symlinks. */
static char *resolve(const char *path, avz_error *err) {
    char *p = strdup(path);
    char shown[AVZ_SHORT];
    for (int hops = 0; p; hops++) {
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
            return p;
        if (hops == MAX_LINKS) {
            free(p);
            avz_error_set(err, -ELOOP, "output path '%s' is a loop of symlinks",
                          avz_shorten(shown, sizeof shown, path));
            return NULL;
        }
        char link[PATH_MAX];
        ssize_t n = readlink(p, link, sizeof link - 1);
        if (n < 0) {
            int e = errno;
            free(p);
            avz_error_set(err, -e, "cannot read the symlink '%s': %s",
                          avz_shorten(shown, sizeof shown, path), strerror(e));
            return NULL;
        }
        link[n] = '\0';
        char *next;
        if (link[0] == '/') {
            next = strdup(link);
        } else {
            char *dir = dir_of(p);
            next = dir ? join(dir, link) : NULL;
            free(dir);
        }
        free(p);
        p = next;
    }
    avz_error_set(err, -ENOMEM, "out of memory");
    return NULL;
}

/* ".NAME.attnviz-TOKEN.N" (and with ".old" for a backup) beside target, NAME cut to fit. */
static char *sibling(const avz_outset *set, const char *target, size_t index, const char *suffix) {
    char *dir = dir_of(target);
    const char *base = base_of(target);
    int keep = (int)strlen(base);
    if (keep > NAME_MAX - NAME_EXTRA)
        keep = NAME_MAX - NAME_EXTRA;
    char name[NAME_MAX + 1];
    snprintf(name, sizeof name, ".%.*s%s%s.%zu%s", keep, base, TAG, set->token, index, suffix);
    char *p = dir ? join(dir, name) : NULL;
    free(dir);
    return p;
}

int avz_outset_add(avz_outset *set, const char *path, int *fd, const char **tmp_path,
                   avz_error *err) {
    char shown[AVZ_SHORT];
    avz_shorten(shown, sizeof shown, path);
    if (!*path || path[strlen(path) - 1] == '/')
        return avz_error_set(err, -EISDIR, "output path '%s' names a folder, not a file", shown);
    char *target = resolve(path, err);
    if (!target)
        return err && err->code ? err->code : -ENOMEM;
    struct stat st;
    int rc = 0;
    if (stat(target, &st) == 0 && S_ISDIR(st.st_mode))
        rc = avz_error_set(err, -EISDIR, "output path '%s' is a directory", shown);
    else if (stat(target, &st) == 0 && !S_ISREG(st.st_mode))
        /* Renaming over a FIFO or a device would replace it with a file: refuse. */
        rc = avz_error_set(err, -EEXIST,
                           "output path '%s' is not a regular file (a FIFO, device or socket); "
                           "only regular files are replaced",
                           shown);
    char *dir = rc ? NULL : dir_of(target);
    if (!rc && !dir)
        rc = avz_error_set(err, -ENOMEM, "out of memory");
    rc = rc ? rc : folder_for(set, dir, err);
    free(dir);
    if (!rc && set->count == set->capacity) {
        size_t cap = set->capacity ? 2 * set->capacity : 4;
        entry *grown = realloc(set->entries, cap * sizeof *grown);
        if (!grown)
            rc = avz_error_set(err, -ENOMEM, "out of memory");
        else
            set->entries = grown, set->capacity = cap;
    }
    if (rc) {
        free(target);
        return rc;
    }
    entry e = {.target = target, .fd = -1};
    e.tmp = sibling(set, target, set->count, "");
    e.backup = sibling(set, target, set->count, ".old");
    if (!e.tmp || !e.backup) {
        free(e.tmp);
        free(e.backup);
        free(target);
        return avz_error_set(err, -ENOMEM, "out of memory");
    }
    /* open(0666) lets the umask decide the final mode exactly as for any file the user
     * writes (mkstemp would make it 0600). */
    e.fd = open(e.tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (e.fd < 0) {
        int code = errno;
        free(e.tmp);
        free(e.backup);
        free(target);
        return avz_error_set(err, -code, "cannot create a file beside '%s': %s", shown,
                             strerror(code));
    }
    set->entries[set->count++] = e;
    *fd = e.fd;
    if (tmp_path)
        *tmp_path = e.tmp;
    return 0;
}

/* fsync before rename so that a crash cannot leave an empty file under the target's name. */
static int seal(entry *e, avz_error *err) {
    if (e->fd < 0)
        return 0;
    int rc = fsync(e->fd) == 0 ? 0 : -errno;
    if (close(e->fd) != 0 && !rc)
        rc = -errno;
    e->fd = -1;
    if (rc) {
        char shown[AVZ_SHORT];
        return avz_error_set(err, rc, "cannot write '%s': %s",
                             avz_shorten(shown, sizeof shown, e->target), strerror(-rc));
    }
    return 0;
}

int avz_outset_close(avz_outset *set, int fd, avz_error *err) {
    for (size_t i = 0; i < set->count; i++)
        if (set->entries[i].fd == fd)
            return seal(&set->entries[i], err);
    return avz_error_set(err, -EBADF, "closing a file that is not part of the output");
}

/* Puts a replaced target back as it was before the commit began (where no backup could be
 * made, as on a file system without hard links, the new file stays). */
static void restore(entry *e) {
    if (!e->replaced)
        return;
    if (e->had_old)
        rename(e->backup, e->target);
    else if (!e->existed)
        unlink(e->target);
    e->replaced = false;
}

static void entries_clear(avz_outset *set) {
    for (size_t i = 0; i < set->count; i++) {
        entry *e = &set->entries[i];
        if (e->fd >= 0)
            close(e->fd);
        if (!e->replaced)
            unlink(e->tmp);
        unlink(e->backup);
        free(e->target);
        free(e->tmp);
        free(e->backup);
    }
    set->count = 0;
}

/* The set the calling thread's finished files join while it holds its outputs. */
static _Thread_local avz_outset *held;

struct avz_outputs {
    avz_outset *files;
};

/* Moves set's sealed files, and the locks that keep other renders' sweeps off them, into to. */
static int hand_over(avz_outset *set, avz_outset *to, avz_error *err) {
    entry *entries = realloc(to->entries, (to->count + set->count + 1) * sizeof *entries);
    if (entries)
        to->entries = entries, to->capacity = to->count + set->count + 1;
    folder *folders =
        realloc(to->folders, (to->folder_count + set->folder_count + 1) * sizeof *folders);
    if (folders)
        to->folders = folders;
    if (!entries || !folders)
        return avz_error_set(err, -ENOMEM, "out of memory");
    memcpy(to->entries + to->count, set->entries, set->count * sizeof *entries);
    to->count += set->count;
    set->count = 0;
    memcpy(to->folders + to->folder_count, set->folders, set->folder_count * sizeof *folders);
    to->folder_count += set->folder_count;
    set->folder_count = 0;
    return 0;
}

static int replace_all(avz_outset *set, int (*confirm)(void *ctx, avz_error *err), void *ctx,
                       avz_error *err) {
    /* Stopped before the end: the previous files stay, the new ones go. */
    int rc = avz_cancelled() ? avz_error_set(err, -EINTR, "interrupted; no file written") : 0;
    for (size_t i = 0; i < set->count && !rc; i++)
        rc = seal(&set->entries[i], err);
    if (!rc && held && set != held) {
        rc = hand_over(set, held, err);
        entries_clear(set);
        return rc;
    }
    /* The previous content of each target stays reachable under its backup name until every
     * rename has succeeded: a hard link, so that the target never goes missing. */
    for (size_t i = 0; i < set->count && !rc; i++) {
        entry *e = &set->entries[i];
        struct stat st;
        e->existed = lstat(e->target, &st) == 0;
        e->had_old = e->existed && link(e->target, e->backup) == 0;
        /* A replaced file keeps its permissions: a private video stays private. */
        if (e->existed && S_ISREG(st.st_mode))
            chmod(e->tmp, st.st_mode & 07777);
    }
    size_t done = 0;
    for (; done < set->count && !rc; done++) {
        entry *e = &set->entries[done];
        if (rename(e->tmp, e->target) != 0) {
            int code = errno;
            char shown[AVZ_SHORT];
            rc = avz_error_set(err, -code, "cannot rename the finished file onto '%s': %s",
                               avz_shorten(shown, sizeof shown, e->target), strerror(code));
            break;
        }
        e->replaced = true;
    }
    if (!rc && confirm)
        rc = confirm(ctx, err);
    if (rc)
        for (size_t i = 0; i < done; i++)
            restore(&set->entries[i]);
    /* The renames reach the disk with their folders. */
    for (size_t i = 0; i < set->folder_count && !rc; i++) {
        int dfd = open(set->folders[i].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    entries_clear(set);
    return rc;
}

int avz_outset_commit(avz_outset *set, avz_error *err) {
    return replace_all(set, NULL, NULL, err);
}

int avz_outputs_hold(avz_outputs **out, avz_error *err) {
    *out = NULL;
    if (held)
        return avz_error_set(err, -EBUSY, "this thread already holds its output files");
    avz_outputs *h = malloc(sizeof *h);
    if (!h || avz_outset_new(&h->files)) {
        free(h);
        return avz_error_set(err, -ENOMEM, "out of memory");
    }
    held = h->files;
    *out = h;
    return 0;
}

int avz_outputs_commit(avz_outputs *h, int (*confirm)(void *ctx, avz_error *err), void *ctx,
                       avz_error *err) {
    if (held == h->files)
        held = NULL;
    return replace_all(h->files, confirm, ctx, err);
}

void avz_outputs_free(avz_outputs *h) {
    if (!h)
        return;
    if (held == h->files)
        held = NULL;
    avz_outset_free(h->files);
    free(h);
}

void avz_outset_free(avz_outset *set) {
    if (!set)
        return;
    entries_clear(set);
    for (size_t i = 0; i < set->folder_count; i++) {
        unlink(set->folders[i].lock);
        close(set->folders[i].lock_fd);
        free(set->folders[i].path);
        free(set->folders[i].lock);
    }
    free(set->folders);
    free(set->entries);
    free(set);
}

int avz_outfile_write(const char *target, const void *data, size_t len, avz_error *err) {
    avz_outset *set = NULL;
    if (avz_outset_new(&set))
        return avz_error_set(err, -ENOMEM, "out of memory");
    int fd;
    int rc = avz_outset_add(set, target, &fd, NULL, err);
    if (!rc && (rc = avz_write_all(fd, data, len)) < 0) {
        char shown[AVZ_SHORT];
        avz_error_set(err, rc, "cannot write '%s': %s", avz_shorten(shown, sizeof shown, target),
                      strerror(-rc));
    }
    rc = rc ? rc : avz_outset_commit(set, err);
    avz_outset_free(set);
    return rc;
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

struct avz_scratch {
    avz_outset *lock; /* holds the lock in the parent folder that keeps sweeps off */
    char *path;
};

int avz_scratch_new(const char *beside, avz_scratch **out, avz_error *err) {
    *out = NULL;
    avz_scratch *sc = calloc(1, sizeof *sc);
    char *dir = dir_of(beside);
    if (!sc || !dir || avz_outset_new(&sc->lock)) {
        free(sc);
        free(dir);
        return avz_error_set(err, -ENOMEM, "out of memory");
    }
    char name[sizeof TAG + TOKEN_LEN + sizeof SCRATCH];
    snprintf(name, sizeof name, "%s%s%s", TAG, sc->lock->token, SCRATCH);
    int rc = folder_for(sc->lock, dir, err);
    sc->path = rc ? NULL : join(dir, name);
    free(dir);
    if (!rc && !sc->path)
        rc = avz_error_set(err, -ENOMEM, "out of memory");
    if (!rc && mkdir(sc->path, 0777) != 0) {
        char shown[AVZ_SHORT];
        rc = avz_error_set(err, -errno, "cannot make a folder beside '%s': %s",
                           avz_shorten(shown, sizeof shown, beside), strerror(errno));
    }
    if (rc) {
        avz_outset_free(sc->lock);
        free(sc->path);
        free(sc);
        return rc;
    }
    *out = sc;
    return 0;
}

const char *avz_scratch_path(const avz_scratch *sc) {
    return sc->path;
}

void avz_scratch_free(avz_scratch *sc) {
    if (!sc)
        return;
    remove_folder(sc->path);
    avz_outset_free(sc->lock);
    free(sc->path);
    free(sc);
}
