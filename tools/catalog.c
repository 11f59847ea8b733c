/* attnviz command line, the scenes it knows: see catalog.h. Depends on dlopen and the
 * built-in scenes' list. */
#define _DEFAULT_SOURCE /* realpath */
#include "catalog.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "cli.h"

#define MAX_SCENES 256
#define MAX_SCENES_PER_PLUGIN 64
#define PLUGINS_FROM_BIN "/../lib/attnviz/scenes"

static catalog_entry entries[MAX_SCENES];
static size_t entry_count;

size_t catalog_count(void) {
    return entry_count;
}

const catalog_entry *catalog_at(size_t index) {
    return index < entry_count ? &entries[index] : NULL;
}

static const catalog_entry *lookup(const char *name) {
    for (size_t i = 0; i < entry_count; i++)
        if (strcmp(entries[i].def->name, name) == 0)
            return &entries[i];
    return NULL;
}

/* Adds a scene unless its name is taken among entries [from, count): a plug-in named on the
 * command line may have a scene of an installed one's name (a rebuilt copy, say), and wins. */
static int add(const avz_scene_def *def, const char *origin, size_t from, avz_error *err) {
    char shown[AVZ_SHORT], other[AVZ_SHORT];
    const catalog_entry *clash = NULL;
    for (size_t i = from; i < entry_count && !clash; i++)
        if (!strcmp(entries[i].def->name, def->name))
            clash = &entries[i];
    if (clash)
        return avz_error_set(err, -EINVAL, "two scenes are named \"%s\": %s and %s", def->name,
                             avz_shorten(other, sizeof other, clash->origin),
                             avz_shorten(shown, sizeof shown, origin));
    if (entry_count == MAX_SCENES)
        return avz_error_set(err, -E2BIG, "more than %d scenes; %s is one too many", MAX_SCENES,
                             avz_shorten(shown, sizeof shown, origin));
    entries[entry_count++] = (catalog_entry){def, origin};
    return 0;
}

/* Whether a summary or help text fits one row of the `list` and `params` tables: a newline,
 * tab or other control character would break the row. NULL prints as nothing. */
static bool one_line(const char *text) {
    for (const unsigned char *c = (const unsigned char *)text; c && *c; c++)
        if (*c < 0x20 || *c == 0x7F)
            return false;
    return true;
}

/* What attnviz needs of a scene before it runs any of its code: a name, a build function,
 * one-line texts, parameters it can check. */
static int check_scene(const avz_scene_def *def, const char *file, avz_error *err) {
    char shown[AVZ_SHORT];
    avz_shorten(shown, sizeof shown, file);
    if (!def)
        return avz_error_set(err, -EINVAL, "plug-in %s lists a scene that is NULL", shown);
    if (!avz_valid_name(def->name))
        return avz_error_set(err, -EINVAL,
                             "plug-in %s has a scene whose name is not lower-case letters, digits, "
                             "'-' and '_' (at most %d)",
                             shown, AVZ_MAX_NAME);
    if (!def->build)
        return avz_error_set(err, -EINVAL, "plug-in %s: scene %s has no build function", shown,
                             def->name);
    if (def->param_count && !def->params)
        return avz_error_set(err, -EINVAL,
                             "plug-in %s: scene %s announces %zu parameters but "
                             "lists none",
                             shown, def->name, def->param_count);
    if (!one_line(def->summary))
        return avz_error_set(err, -EINVAL,
                             "plug-in %s: scene %s's summary holds a control character (a "
                             "newline, a tab); it must be one line",
                             shown, def->name);
    for (size_t i = 0; i < def->param_count; i++) {
        const avz_param_def *p = &def->params[i];
        if (!avz_valid_name(p->name) || !p->default_value || p->type > AVZ_PARAM_NUMBER ||
            !(p->min <= p->max))
            return avz_error_set(err, -EINVAL,
                                 "plug-in %s: scene %s declares parameter %zu wrongly (a name of "
                                 "lower-case letters, a type, a default, min <= max)",
                                 shown, def->name, i + 1);
        if (!one_line(p->help))
            return avz_error_set(err, -EINVAL,
                                 "plug-in %s: scene %s: the help of parameter %s holds a control "
                                 "character (a newline, a tab); it must be one line",
                                 shown, def->name, p->name);
    }
    avz_error inner = {0};
    if (avz_params_check(def, NULL, &inner))
        return avz_error_set(err, -EINVAL, "plug-in %s: %s", shown, inner.msg);
    return 0;
}

/* A plug-in file loaded once, whatever paths (folders twice on AVZ_SCENE_PATH, symlinks, the
 * command line) reach it; its scenes are entries [first, first + count). */
typedef struct plugin_file {
    char *real;
    size_t first, count;
} plugin_file;

static plugin_file files[MAX_SCENES];
static size_t file_count;

/* The ELF machine attnviz itself is built for (read once), or 0 when unknown. */
static unsigned own_machine(void) {
    static unsigned machine;
    static bool read;
    if (!read) {
        ElfW(Ehdr) self;
        int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        if (exe >= 0 && pread(exe, &self, sizeof self, 0) == (ssize_t)sizeof self)
            machine = self.e_machine;
        if (exe >= 0)
            close(exe);
        read = true;
    }
    return machine;
}

/* What dlopen would get wrong about a plug-in: a library of the other word size or for
 * another machine (it says "No such file"), and one shorter than its program headers claim (a
 * truncated copy, a build still being written), which would end the command with SIGBUS at
 * the first touch past its end. A file that is not ELF is left to dlopen to name. */
static int check_library(const char *path, const char *shown, avz_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return avz_error_set(err, -EIO, "cannot open plug-in %s: %s", shown, strerror(errno));
    struct stat st = {0};
    ElfW(Ehdr) eh;
    uint64_t claimed = 0;
    bool read_all = fstat(fd, &st) == 0 && pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh;
    bool elf = read_all && !memcmp(eh.e_ident, ELFMAG, SELFMAG);
    int bits = sizeof(void *) == 8 ? 64 : 32;
    if (elf && eh.e_ident[EI_CLASS] != (bits == 64 ? ELFCLASS64 : ELFCLASS32)) {
        close(fd);
        return avz_error_set(err, -EINVAL, "plug-in %s is a %d-bit library; this attnviz is %d-bit",
                             shown, 96 - bits, bits);
    }
    /* dlopen reports a library for another machine as "No such file" */
    unsigned machine = elf ? own_machine() : 0;
    if (machine && eh.e_machine != machine) {
        close(fd);
        return avz_error_set(err, -EINVAL,
                             "plug-in %s is built for another machine (ELF machine %u; this one "
                             "is %u): rebuild it here",
                             shown, (unsigned)eh.e_machine, machine);
    }
    bool ours = elf && eh.e_phentsize == sizeof(ElfW(Phdr));
    if (ours)
        claimed = (uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(ElfW(Phdr));
    for (unsigned i = 0; ours && claimed <= (uint64_t)st.st_size && i < eh.e_phnum; i++) {
        ElfW(Phdr) ph;
        if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) != (ssize_t)sizeof ph)
            break;
        uint64_t end = (uint64_t)ph.p_offset + ph.p_filesz;
        if (end < ph.p_offset)
            end = UINT64_MAX; /* wrapped: a header no file can satisfy */
        if (end > claimed)
            claimed = end;
    }
    close(fd);
    if (claimed > (uint64_t)st.st_size)
        return avz_error_set(err, -EINVAL,
                             "plug-in %s is cut short: its headers need %llu bytes, the file has "
                             "%lld (a copy not finished?)",
                             shown, (unsigned long long)claimed, (long long)st.st_size);
    return 0;
}

/* Loads one plug-in file, or finds it loaded, and gives its scenes' entries; scenes of a
 * command-line plug-in (by_path) may share an earlier file's names. */
static int load_plugin(const char *path, bool by_path, plugin_file *out, avz_error *err) {
    char shown[AVZ_SHORT], real[PATH_MAX];
    avz_shorten(shown, sizeof shown, path);
    struct stat st;
    if (stat(path, &st) != 0 || !realpath(path, real))
        return avz_error_set(err, -EIO, "cannot open plug-in %s: %s", shown, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return avz_error_set(err, -EINVAL, "plug-in %s is not a file", shown);
    for (size_t i = 0; i < file_count; i++)
        if (!strcmp(files[i].real, real)) {
            *out = files[i];
            return 0;
        }
    if (file_count == MAX_SCENES)
        return avz_error_set(err, -E2BIG, "more than %d plug-ins; %s is one too many", MAX_SCENES,
                             shown);
    int rc = check_library(path, shown, err);
    if (rc)
        return rc;
    /* dlopen reads a name without a '/' as one to search the library path for. */
    char local[PATH_MAX];
    if (!strchr(path, '/') && snprintf(local, sizeof local, "./%s", path) < (int)sizeof local)
        path = local;
    char who[AVZ_SHORT + 16];
    snprintf(who, sizeof who, "plug-in %s", shown);
    cli_plugin_enter(who); /* its constructors run in dlopen */
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    cli_plugin_leave();
    if (!handle) {
        const char *why = dlerror();
        char cause[AVZ_SHORT * 2];
        avz_shorten(cause, sizeof cause, why ? why : "unknown error");
        return avz_error_set(err, -EINVAL, "%s is not a plug-in attnviz can load: %s", shown,
                             cause);
    }
    const avz_plugin *p = dlsym(handle, AVZ_PLUGIN_SYMBOL);
    if (!p)
        rc = avz_error_set(err, -EINVAL, "%s is not an attnviz plug-in: it has no %s", shown,
                           AVZ_PLUGIN_SYMBOL);
    else if (p->abi != AVZ_PLUGIN_ABI)
        rc = avz_error_set(err, -EINVAL,
                           "plug-in %s was built for attnviz's plug-in interface %u; this attnviz "
                           "(%s) has interface %d: rebuild it against this attnviz's headers",
                           shown, (unsigned)p->abi, AVZ_VERSION, AVZ_PLUGIN_ABI);
    else if (!p->scenes || p->scene_count == 0 || p->scene_count > MAX_SCENES_PER_PLUGIN)
        rc = avz_error_set(err, -EINVAL, "plug-in %s lists no scenes (1 to %d)", shown,
                           MAX_SCENES_PER_PLUGIN);
    for (size_t i = 0; !rc && i < p->scene_count; i++)
        rc = check_scene(p->scenes[i], shown, err);
    plugin_file file = {.first = entry_count};
    char *origin = rc ? NULL : strdup(path == local ? local + 2 : path);
    if (!rc && (!origin || !(file.real = strdup(real))))
        rc = avz_error_set(err, -ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < p->scene_count; i++)
        rc = add(p->scenes[i], origin, by_path ? file.first : 0, err);
    if (rc) {
        /* Nothing of it stays: its scenes, and the code they point into. */
        entry_count = file.first;
        free(origin);
        free(file.real);
        dlclose(handle);
        return rc;
    }
    file.count = p->scene_count;
    files[file_count++] = file;
    *out = file;
    return 0;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.so in dir, in name order; a missing folder is an error only when required. */
static int load_folder(const char *dir, bool required, avz_error *err) {
    char shown[AVZ_SHORT];
    avz_shorten(shown, sizeof shown, dir);
    DIR *d = opendir(dir);
    if (!d) {
        if (!required && errno == ENOENT)
            return 0;
        return avz_error_set(err, -EIO, "cannot read the plug-in folder %s (AVZ_SCENE_PATH): %s",
                             shown, strerror(errno));
    }
    char *names[MAX_SCENES];
    size_t count = 0;
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n <= 3 || strcmp(e->d_name + n - 3, ".so") != 0 || e->d_name[0] == '.')
            continue;
        if (count == MAX_SCENES)
            rc = avz_error_set(err, -E2BIG, "the plug-in folder %s holds more than %d plug-ins",
                               shown, MAX_SCENES);
        else if (!(names[count] = malloc(strlen(dir) + n + 2)))
            rc = avz_error_set(err, -ENOMEM, "out of memory");
        else
            sprintf(names[count++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof names[0], compare_names);
    for (size_t i = 0; i < count; i++) {
        plugin_file file;
        if (!rc)
            rc = load_plugin(names[i], false, &file, err);
        free(names[i]);
    }
    return rc;
}

/* The folders' plug-ins are loaded once; a failure is the same failure every time asked. */
static int load_all(avz_error *err) {
    for (size_t i = 0; i < avz_builtin_scene_count(); i++)
        add(avz_builtin_scene(i), "built-in", 0, err);
    int rc = 0;
    const char *path = getenv("AVZ_SCENE_PATH");
    for (const char *p = path; p && *p && !rc;) {
        size_t len = strcspn(p, ":");
        if (len) {
            char *dir = strndup(p, len);
            rc = dir ? load_folder(dir, true, err) : avz_error_set(err, -ENOMEM, "out of memory");
            free(dir);
        }
        p += len + (p[len] == ':');
    }
    char exe[PATH_MAX], dir[PATH_MAX + sizeof PLUGINS_FROM_BIN];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (!rc && n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(dir, sizeof dir, "%s%s", exe, PLUGINS_FROM_BIN);
            rc = load_folder(dir, false, err);
        }
    }
    return rc;
}

int catalog_load(avz_error *err) {
    static bool done;
    static int status;
    static avz_error failure;
    if (!done) {
        status = load_all(&failure);
        done = true;
    }
    if (status)
        *err = failure;
    return status;
}

static const char *entry_name(size_t i, const void *ctx) {
    (void)ctx;
    return entries[i].def->name;
}

/* Where name's ":NAME" (picking one of a plug-in's scenes) starts, or NULL. */
static const char *pick_of(const char *name) {
    const char *colon = strrchr(name, ':');
    return colon && colon > strrchr(name, '/') && strstr(name, ".so:") == colon - 3 ? colon : NULL;
}

bool catalog_names_file(const char *name) {
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 3 && strcmp(name + n - 3, ".so") == 0) || strstr(name, ".so:");
}

const char *catalog_file_of(const char *name, char *buf, size_t size) {
    if (!catalog_names_file(name))
        return NULL;
    const char *pick = pick_of(name);
    size_t len = pick ? (size_t)(pick - name) : strlen(name);
    if (len >= size)
        return NULL;
    memcpy(buf, name, len);
    buf[len] = '\0';
    return buf;
}

/* A plug-in file given on the command line, with :NAME to pick one of several scenes. */
static int find_file(const char *arg, const catalog_entry **out, avz_error *err) {
    char file[PATH_MAX], shown[AVZ_SHORT];
    const char *colon = pick_of(arg), *pick = colon ? colon + 1 : NULL;
    if (!catalog_file_of(arg, file, sizeof file))
        return avz_error_set(err, -ENAMETOOLONG, "plug-in path %s is too long",
                             avz_shorten(shown, sizeof shown, arg));
    plugin_file plugin;
    int rc = load_plugin(file, true, &plugin, err);
    if (rc)
        return rc;
    for (size_t i = plugin.first; pick && i < plugin.first + plugin.count; i++)
        if (!strcmp(entries[i].def->name, pick)) {
            *out = &entries[i];
            return 0;
        }
    if (pick)
        return avz_error_set(err, -ENOENT, "plug-in %s has no scene \"%s\"",
                             avz_shorten(shown, sizeof shown, file), pick);
    if (plugin.count > 1)
        return avz_error_set(err, -EINVAL, "plug-in %s holds %zu scenes; pick one as %s:NAME",
                             avz_shorten(shown, sizeof shown, file), plugin.count, file);
    *out = &entries[plugin.first];
    return 0;
}

int catalog_find(const char *name, const catalog_entry **out, avz_error *err) {
    *out = NULL;
    int rc = catalog_load(err);
    if (rc)
        return rc;
    if (catalog_names_file(name))
        return find_file(name, out, err);
    if ((*out = lookup(name)))
        return 0;
    char names[400], shown[AVZ_SHORT], guess[AVZ_SHORT + 32] = "";
    avz_join(names, sizeof names, entry_count, entry_name, NULL);
    long near = avz_nearest(name, entry_count, entry_name, NULL);
    if (near >= 0)
        snprintf(guess, sizeof guess, "; did you mean \"%s\"?", entry_name((size_t)near, NULL));
    return avz_error_set(err, -ENOENT, "unknown scene \"%s\"%s (scenes: %s)",
                         avz_shorten(shown, sizeof shown, name), guess, names);
}
