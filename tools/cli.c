/* attnviz command line, the plumbing every command shares: standard streams that are there and
 * checked, signals that stop work without leaving files, one-line errors (and JSON ones), the
 * files a command writes replaced only once its report has arrived, and building a scene with
 * its parameters and pacing. Depends on the public API, catalog.c and options.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attnviz/cancel.h"
#include "attnviz/hash.h"
#include "attnviz/outfile.h"
#include "attnviz/pipeline.h"
#include "attnviz/settings.h"
#include "catalog.h"
#include "cli.h"
#include "cues.h"
#include "progress.h"

/* The stack the deepest work needs (formula layout and cairo's rasteriser on the main thread),
 * with room to spare; a smaller `ulimit -s` is refused up front rather than crashing. */
#define MIN_STACK (512 * 1024)

/* The signal that stopped attnviz, or STDERR_BROKEN when standard error could not be written. */
static volatile sig_atomic_t stop;
#define STDERR_BROKEN 255
static bool json_errors;

static void on_signal(int sig) {
    stop = sig;
}

/* The kernel sends SIGXFSZ as if from the process itself when a write passes `ulimit -f`; that
 * write then fails with EFBIG and is reported as a write error. SIGXFSZ from anyone else stops
 * attnviz like any other signal. */
static void on_file_size_signal(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (info->si_code != SI_USER || info->si_pid != getpid())
        stop = sig;
}

int cli_interrupted(void) {
    return stop == STDERR_BROKEN ? 0 : stop;
}

/* Takes sig over, except from a handler a host program installed (libFuzzer's SIGALRM timer)
 * and from a SIGHUP the parent set to be ignored (nohup). */
static void catch_signal(int sig, const struct sigaction *sa) {
    struct sigaction now;
    if (sigaction(sig, NULL, &now) != 0)
        return;
    bool host_handler =
        (now.sa_flags & SA_SIGINFO) || (now.sa_handler != SIG_DFL && now.sa_handler != SIG_IGN);
    bool nohup = sig == SIGHUP && !(now.sa_flags & SA_SIGINFO) && now.sa_handler == SIG_IGN;
    if (!host_handler && !nohup)
        sigaction(sig, sa, NULL);
}

/* Catches every signal that ends a program by default, except the faults a crash raises
 * itself (SEGV, BUS, ILL, FPE, TRAP, ABRT, SYS), which cannot be returned from safely: files
 * being written are then removed instead of renamed (see cancel.h). A CPU limit's SIGXCPU, a
 * job runner's real-time or user signal and a profiler's timer with no profiler all stop a
 * run the same way. */
static void catch_signals(void) {
    static const int stopping[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM,  SIGPIPE,
                                   SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU,  SIGVTALRM,
                                   SIGPROF, SIGIO,   SIGPWR,  SIGSTKFLT};
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof stopping / sizeof stopping[0]; i++)
        catch_signal(stopping[i], &sa);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        catch_signal(sig, &sa);
    struct sigaction file_size = {.sa_sigaction = on_file_size_signal, .sa_flags = SA_SIGINFO};
    sigemptyset(&file_size.sa_mask);
    catch_signal(SIGXFSZ, &file_size);
    avz_cancel_on(&stop);
}

/* Descriptors 0-2 closed at start would be taken by the first files attnviz opens, and
 * messages would go into a video. Standard input and error get /dev/null (reading nothing,
 * writing nowhere); standard output gets it read-only, so that writing to it fails as it
 * should when there is no output to write to. */
static bool stdin_closed; /* at start: then "-" has nothing to read, not an empty file */

static void keep_standard_streams(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        stdin_closed = stdin_closed || fd == 0;
        int got = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
        if (got >= 0 && got != fd) {
            dup2(got, fd);
            close(got);
        }
    }
}

static void write_escaped(FILE *f, const char *msg) {
    /* Messages quote what the user (or a plug-in) gave: a newline, an escape sequence, bytes
     * that are not UTF-8 or a bidirectional override in it must neither break the one-line
     * message nor drive or garble the terminal. */
    for (const unsigned char *c = (const unsigned char *)msg; *c;) {
        size_t n = *c < 0x80 ? 1 : cli_utf8_length(c);
        uint32_t cp =
            n == 3 ? (uint32_t)(c[0] & 0x0F) << 12 | (uint32_t)(c[1] & 0x3F) << 6 | (c[2] & 0x3F)
                   : 0;
        if (*c < 0x20 || *c == 0x7F || n == 0)
            fprintf(f, "\\x%02X", *c++);
        else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            fprintf(f, "\\u%04X", (unsigned)cp), c += n;
        else
            fwrite(c, 1, n, f), c += n;
    }
}

/* One line on standard error, after the progress bar's: "attnviz: " and msg, escaped. */
static void say(const char *msg) {
    progress_break_line();
    fputs("attnviz: ", stderr);
    write_escaped(stderr, msg);
    fputc('\n', stderr);
}

int cli_fail(int code, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    avz_vformat_message(msg, sizeof msg, fmt, ap);
    va_end(ap);
    say(msg);
    if (json_errors) {
        /* the error is the report: what a command meant to say of its success is dropped */
        __fpurge(stdout);
        fputs("{\"error\":", stdout);
        json_string(stdout, msg);
        fprintf(stdout, ",\"exit\":%d}\n", code);
    }
    return code;
}

int cli_exit_for(int rc, int invalid) {
    switch (rc) {
    case -ENOMEM:
        return AVZ_EXIT_FAILURE;
    case -EINTR:
        return stop == STDERR_BROKEN ? AVZ_EXIT_IO : AVZ_EXIT_INTERRUPTED;
    case -EINVAL:
    case -EILSEQ: /* text no font can set, or that is not UTF-8 */
        return invalid;
    case -E2BIG:
        return AVZ_EXIT_USAGE;
    default:
        return AVZ_EXIT_IO;
    }
}

void cli_note(const cli_args *a, const char *fmt, ...) {
    if (a->verbose < 1 || a->quiet)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    avz_vformat_message(msg, sizeof msg, fmt, ap);
    va_end(ap);
    say(msg);
}

void cli_wrote(cli_args *a, const char *fmt, ...) {
    if (a->quiet)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    avz_vformat_message(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char **grown = realloc(a->wrote, (a->wrote_count + 1) * sizeof *grown);
    char *line = grown ? strdup(msg) : NULL;
    if (grown)
        a->wrote = grown;
    if (line) /* else a line of news is lost; the command's outcome does not depend on it */
        a->wrote[a->wrote_count++] = line;
}

int cli_fail_error(int rc, int invalid, const char *msg) {
    if (rc == -EINTR && stop == STDERR_BROKEN)
        return cli_fail(AVZ_EXIT_IO, "cannot write to standard error; no file written");
    return cli_fail(cli_exit_for(rc, invalid), "%s", msg);
}

void cli_stderr_failed(void) {
    /* Nothing can say so; stop, as for a signal, and exit with the I/O code. */
    if (!stop)
        stop = STDERR_BROKEN;
}

/* ── A plug-in's code ──────────────────────────────────────────────────────────────── */

static char plugin_running[AVZ_SHORT + 16]; /* who, while a plug-in's code runs; else "" */
static pid_t plugin_pid;                    /* the process it runs in (not a child it forks) */
static int report_fd = -1;                  /* standard output, set aside meanwhile */
static int cwd_fd = -1;                     /* the folder relative outputs are in */
#define SIGNALS 65                          /* Linux numbers its signals 1 to 64 */
static struct sigaction handlers[SIGNALS];  /* attnviz's, which its code may not keep */
static bool plugin_ran;                     /* then its destructors run at exit */
static avz_outputs *running_outputs;        /* what an exit() inside the plug-in puts back */
static folders *running_folders;

static void on_exit_inside_plugin(void) {
    if (!plugin_running[0] || getpid() != plugin_pid)
        return; /* a child the plug-in forked ends as it means to */
    char who[sizeof plugin_running];
    memcpy(who, plugin_running, sizeof who);
    cli_plugin_leave(); /* the error JSON, if asked, goes to the real standard output */
    cli_fail(AVZ_EXIT_INPUT, "%s called exit() while attnviz ran its code; no file written", who);
    fflush(stdout);
    avz_outputs_free(running_outputs);
    if (running_folders)
        folders_finish(running_folders, false);
    _exit(AVZ_EXIT_INPUT);
}

void cli_plugin_enter(const char *who) {
    static bool registered;
    if (!registered)
        registered = atexit(on_exit_inside_plugin) == 0;
    snprintf(plugin_running, sizeof plugin_running, "%s", who);
    plugin_pid = getpid();
    plugin_ran = true;
    for (int sig = 1; sig < SIGNALS && sig <= SIGRTMAX; sig++)
        sigaction(sig, NULL, &handlers[sig]);
    cwd_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    fflush(stdout); /* empty: a report is written after the scene is built */
    report_fd = dup(STDOUT_FILENO);
    if (report_fd >= 0)
        dup2(STDERR_FILENO, STDOUT_FILENO);
}

void cli_plugin_leave(void) {
    plugin_running[0] = '\0';
    fflush(stdout);
    __fpurge(stdout); /* what did not reach stderr is not the report's either */
    clearerr(stdout); /* a plug-in's line lost to a full stderr is not the report's failure */
    if (report_fd >= 0) {
        dup2(report_fd, STDOUT_FILENO);
        close(report_fd);
        report_fd = -1;
    }
    /* What it changed of the process: signals it ignored would make the run unstoppable, a
     * chdir would send relative outputs elsewhere. */
    for (int sig = 1; sig < SIGNALS && sig <= SIGRTMAX; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &handlers[sig], NULL);
    if (cwd_fd >= 0) {
        if (fchdir(cwd_fd) != 0)
            cli_fail(AVZ_EXIT_IO, "cannot return to the working folder");
        close(cwd_fd);
        cwd_fd = -1;
    }
}

/* ── Scenes ────────────────────────────────────────────────────────────────────────── */

int cli_open_fonts(avz_fonts **fonts) {
    avz_error err = {0};
    int rc = avz_fonts_open_default(fonts, &err);
    return rc ? cli_fail_error(rc, AVZ_EXIT_IO, err.msg) : 0;
}

void cli_unload(loaded *l) {
    avz_timeline_free(l->tl);
    avz_scene_free(l->scene);
    avz_fonts_close(l->fonts);
    *l = (loaded){0};
}

int cli_find_phase(const loaded *l, const char *option, const char *name, size_t *index) {
    long i = avz_timeline_find_phase(l->tl, name);
    if (i >= 0) {
        *index = (size_t)i;
        return 0;
    }
    avz_error err = {0};
    avz_unknown_phase(l->scene, name, &err);
    return cli_fail(AVZ_EXIT_INPUT, "%s: %s", option, err.msg);
}

/* A settings file's error: a malformed file is wrong input, one that cannot be read I/O. */
static int settings_failure(int rc, const avz_error *err) {
    return cli_fail(rc == -EINVAL ? AVZ_EXIT_USAGE : cli_exit_for(rc, AVZ_EXIT_INPUT), "%s",
                    err->msg);
}

/* The scene's parameters: the --params file's, then --set's, which win. */
static int gather_params(const cli_args *a, const avz_settings *file, const char **names,
                         const char **values, size_t *count) {
    size_t n = 0;
    for (size_t i = 0; i < file->count; i++, n++) {
        names[n] = file->items[i].name;
        values[n] = file->items[i].value;
    }
    for (size_t i = 0; i < a->set_count; i++) {
        for (size_t k = 0; k < a->set_count; k++)
            if (k != i && !strcmp(a->set_names[i], a->set_names[k]))
                return cli_fail(AVZ_EXIT_USAGE, "--set %s is given twice; give it once",
                                a->set_names[i]);
        names[n] = a->set_names[i];
        values[n++] = a->set_values[i];
    }
    *count = n;
    return 0;
}

/* FNV-1a over NAME=VALUE lines: what a segment's fingerprint knows of the parameters. */
static uint64_t digest_params(const char **names, const char **values, size_t count) {
    uint64_t h = AVZ_FNV_OFFSET;
    for (size_t i = 0; i < count; i++) {
        h = avz_fnv1a(avz_fnv1a(h, names[i], strlen(names[i])), "=", 1);
        h = avz_fnv1a(avz_fnv1a(h, values[i], strlen(values[i])), "\n", 1);
    }
    return h;
}

/* One pacing value, for a phase of the scene, into seconds; `where` says whose it is. */
static int pace(const loaded *l, const char *where, const char *name, const char *text,
                double *seconds) {
    avz_error err = {0};
    size_t index = 0;
    while (index < avz_scene_phase_count(l->scene) &&
           strcmp(avz_scene_phase_name(l->scene, index), name))
        index++;
    if (index == avz_scene_phase_count(l->scene)) {
        avz_unknown_phase(l->scene, name, &err);
        return cli_fail(AVZ_EXIT_INPUT, "%s: %s", where, err.msg);
    }
    avz_pace p;
    if (avz_pace_parse(text, &p))
        return cli_fail(AVZ_EXIT_USAGE,
                        "%s: phase %s=%s: a length must be seconds (6.5), +S or -S (longer or "
                        "shorter by), or xF (times as long), above 0",
                        where, name, text);
    double nominal = avz_scene_phase_nominal(l->scene, index);
    *seconds = avz_pace_apply(p, nominal);
    if (*seconds > AVZ_PACE_MAX_SECONDS)
        return cli_fail(AVZ_EXIT_USAGE,
                        "%s: phase %s=%s would be %.10g s long, more than the %.0f s a phase may "
                        "last (it is %.3f s)",
                        where, name, text, *seconds, AVZ_PACE_MAX_SECONDS, nominal);
    if (!(*seconds > 0))
        return cli_fail(AVZ_EXIT_USAGE,
                        "%s: phase %s=%s would be %.3f s long (it is %.3f s); a phase must last "
                        "above 0 and at most %.0f s",
                        where, name, text, *seconds, nominal, AVZ_PACE_MAX_SECONDS);
    return 0;
}

int cli_check_phases(const loaded *l, int fps) {
    for (size_t i = 0; i < avz_timeline_phase_count(l->tl); i++) {
        double start = avz_timeline_phase_start(l->tl, i);
        double len = avz_timeline_phase_duration(l->tl, i);
        if (len > 0 && avz_frame_count(start, fps) == avz_frame_count(start + len, fps))
            return cli_fail(AVZ_EXIT_INPUT,
                            "phase %s is %.4f s long: at %d fps no frame shows it; make it at "
                            "least %.4f s",
                            avz_timeline_phase_name(l->tl, i), len, fps, 1.0 / fps);
    }
    return 0;
}

/* The pacing file's settings first, so that --phase overrides them. */
/* --cues: the timeline resolved again, the lengths the cues decide replacing pacing's. */
static int pace_by_cues(const cli_args *a, loaded *l, const avz_pacing *paced) {
    avz_cues cues = {0};
    avz_error err = {0};
    int rc = avz_cues_read(a->cues, &cues, &err);
    if (rc)
        return settings_failure(rc, &err);
    size_t phases = avz_timeline_phase_count(l->tl), n = 0;
    const char **names = calloc(paced->count + phases, sizeof *names);
    double *seconds = calloc(paced->count + phases, sizeof *seconds);
    rc = names && seconds ? cues_pace(&cues, a->cues, l->scene, l->tl, a->speed, names, seconds, &n)
                          : cli_fail(AVZ_EXIT_FAILURE, "out of memory");
    for (size_t i = 0; i < paced->count && !rc; i++) {
        bool cued = false;
        for (size_t k = 0; k < n && !cued; k++)
            cued = !strcmp(names[k], paced->names[i]);
        if (!cued) {
            names[n] = paced->names[i];
            seconds[n++] = paced->seconds[i];
        }
    }
    if (!rc) {
        /* The names point into the old timeline: it goes once the new one is made. */
        avz_timeline *old = l->tl;
        avz_pacing pacing = {a->speed, names, seconds, n};
        if ((rc = avz_timeline_resolve(l->scene, &pacing, &l->tl, &err))) {
            rc = cli_fail(cli_exit_for(rc, AVZ_EXIT_INPUT), "%s: %s", a->cues, err.msg);
            l->tl = old;
        } else {
            avz_timeline_free(old);
        }
    }
    free(names);
    free(seconds);
    avz_cues_free(&cues);
    return rc;
}

static int resolve(const cli_args *a, const avz_settings *file, loaded *l) {
    size_t n = file->count + a->phase_count;
    const char **names = calloc(n ? n : 1, sizeof *names);
    double *seconds = calloc(n ? n : 1, sizeof *seconds);
    int rc = names && seconds ? 0 : cli_fail(AVZ_EXIT_FAILURE, "out of memory");
    for (size_t i = 0; i < file->count && !rc; i++) {
        char where[AVZ_SHORT + 16];
        snprintf(where, sizeof where, "%s:%u", a->pacing, file->items[i].line);
        names[i] = file->items[i].name;
        rc = pace(l, where, names[i], file->items[i].value, &seconds[i]);
    }
    for (size_t i = 0; i < a->phase_count && !rc; i++) {
        for (size_t k = 0; k < i && !rc; k++)
            if (!strcmp(a->phase_names[i], a->phase_names[k]))
                rc = cli_fail(AVZ_EXIT_USAGE, "--phase %s is given twice; give it once",
                              a->phase_names[i]);
        names[file->count + i] = a->phase_names[i];
        rc = rc ? rc
                : pace(l, "--phase", a->phase_names[i], a->phase_values[i],
                       &seconds[file->count + i]);
    }
    avz_error err = {0};
    avz_pacing pacing = {a->speed, names, seconds, n};
    if (!rc && (rc = avz_timeline_resolve(l->scene, &pacing, &l->tl, &err)))
        rc = cli_fail_error(rc, AVZ_EXIT_INPUT, err.msg);
    rc = rc || !a->cues ? rc : pace_by_cues(a, l, &pacing);
    free(names);
    free(seconds);
    return rc;
}

int cli_load(const cli_args *a, loaded *l) {
    *l = (loaded){0};
    avz_error err = {0};
    const catalog_entry *entry;
    if (!a->operand)
        return cli_fail(AVZ_EXIT_USAGE, "which scene? (see 'attnviz list')");
    int rc = catalog_find(a->operand, &entry, &err);
    if (rc) /* an unknown name or a broken plug-in is wrong input; an unreadable file, I/O */
        return cli_fail(rc == -ENOENT ? AVZ_EXIT_INPUT : cli_exit_for(rc, AVZ_EXIT_INPUT), "%s",
                        err.msg);
    l->name = entry->def->name;
    l->origin = entry->origin;
    if (a->params && a->pacing && !strcmp(a->params, "-") && !strcmp(a->pacing, "-"))
        return cli_fail(AVZ_EXIT_USAGE, "--params and --pacing cannot both read standard input");
    const char *readers[] = {a->params, a->pacing, a->cues};
    const char *options[] = {"--params", "--pacing", "--cues"};
    for (size_t i = 0; i < 3 && stdin_closed; i++)
        if (readers[i] && (!strcmp(readers[i], "-") || !strcmp(readers[i], "/dev/stdin") ||
                           !strcmp(readers[i], "/proc/self/fd/0")))
            return cli_fail(AVZ_EXIT_IO, "%s %s: standard input is closed", options[i], readers[i]);
    avz_settings params = {0}, pacing = {0};
    if (a->params && (rc = avz_settings_read(a->params, &params, &err)))
        return settings_failure(rc, &err);
    if (a->pacing && (rc = avz_settings_read(a->pacing, &pacing, &err))) {
        avz_settings_free(&params);
        return settings_failure(rc, &err);
    }
    const char *names[2 * CLI_MAX_SETTINGS + 256], *values[2 * CLI_MAX_SETTINGS + 256];
    size_t count = 0;
    if (params.count > 256)
        rc = cli_fail(AVZ_EXIT_INPUT, "%s sets %zu parameters; a scene has at most 256", a->params,
                      params.count);
    /* Each line of the file on its own first, so that a wrong one is named by its line. */
    for (size_t i = 0; i < params.count && !rc; i++) {
        const char *name = params.items[i].name, *value = params.items[i].value;
        avz_params one = {entry->def, &name, &value, 1};
        if (avz_params_check(entry->def, &one, &err))
            rc = cli_fail(AVZ_EXIT_INPUT, "%s:%u: %s", a->params, params.items[i].line, err.msg);
    }
    rc = rc ? rc : gather_params(a, &params, names, values, &count);
    l->params_digest = digest_params(names, values, count);
    rc = rc ? rc : cli_open_fonts(&l->fonts);
    if (!rc) {
        avz_params given = {entry->def, names, values, count};
        bool foreign = strcmp(entry->origin, "built-in") != 0;
        if (foreign) {
            char who[AVZ_SHORT + 16], origin[AVZ_SHORT - 80];
            snprintf(who, sizeof who, "scene %s (%s)", entry->def->name,
                     avz_shorten(origin, sizeof origin, entry->origin));
            cli_plugin_enter(who);
        }
        rc = avz_scene_build(entry->def, l->fonts, &given, &l->scene, &err);
        if (foreign)
            cli_plugin_leave();
        if (rc)
            rc = cli_fail_error(rc, AVZ_EXIT_INPUT, err.msg);
    }
    rc = rc ? rc : resolve(a, &pacing, l);
    avz_settings_free(&params);
    avz_settings_free(&pacing);
    if (rc)
        cli_unload(l);
    return rc;
}

/* True when both name the same file, however spelled (./x, a link), or the same name. */
static bool same_file(const char *p, const char *q) {
    struct stat sp, sq;
    if (!p || !q)
        return false;
    return !strcmp(p, q) || (stat(p, &sp) == 0 && stat(q, &sq) == 0 && sp.st_dev == sq.st_dev &&
                             sp.st_ino == sq.st_ino);
}

int cli_check_name(const char *path) {
    const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
    char shown[AVZ_SHORT];
    if (strlen(name) > NAME_MAX)
        return cli_fail(AVZ_EXIT_IO, "output file name '%s' is longer than %d bytes",
                        avz_shorten(shown, sizeof shown, name), NAME_MAX);
    return 0;
}

/* True when writing output would replace input: the same file however spelled, or one of
 * the frames a PNG sequence's pattern names. */
static bool replaces(const char *output, const char *input) {
    return same_file(output, input) || avz_output_would_replace(output, input);
}

int cli_check_output(const cli_args *a, const char *path) {
    char plugin[PATH_MAX];
    const char *inputs[] = {a->pacing, a->params, a->audio, a->cues,
                            a->operand ? catalog_file_of(a->operand, plugin, sizeof plugin) : NULL};
    const char *labels[] = {"--pacing", "--params", "--audio", "--cues", "plug-in"};
    for (size_t i = 0; i < 5; i++) {
        if (same_file(path, inputs[i]))
            return cli_fail(AVZ_EXIT_USAGE, "output \"%s\" is also the %s file; give another name",
                            path, labels[i]);
        if (avz_output_would_replace(path, inputs[i]))
            return cli_fail(AVZ_EXIT_USAGE,
                            "output \"%s\" would replace the %s file \"%s\", named as one of its "
                            "frames; give another name",
                            path, labels[i], inputs[i]);
        if (same_file(inputs[i], a->chapters))
            return cli_fail(AVZ_EXIT_USAGE,
                            "--chapters \"%s\" is also the %s file; give another name", a->chapters,
                            labels[i]);
    }
    if (same_file(path, a->chapters))
        return cli_fail(AVZ_EXIT_USAGE, "--chapters \"%s\" is also the output; give another name",
                        a->chapters);
    for (size_t i = 0; i < a->input_count; i++)
        if (replaces(path, a->inputs[i]) || same_file(a->inputs[i], a->chapters))
            return cli_fail(AVZ_EXIT_USAGE, "\"%s\" is an input and an output; give another name",
                            a->inputs[i]);
    struct stat st;
    /* What the writer would refuse at its end, refused before any work */
    const char *outputs[] = {path, a->chapters};
    for (size_t i = 0; i < 2 && outputs[i]; i++) {
        int rc = cli_check_name(outputs[i]);
        if (rc)
            return rc;
        if (stat(outputs[i], &st) == 0 && S_ISDIR(st.st_mode))
            return cli_fail(AVZ_EXIT_IO, "output path '%s' is a directory", outputs[i]);
    }
    if (a->no_overwrite && (stat(path, &st) == 0 || (a->chapters && stat(a->chapters, &st) == 0)))
        return cli_fail(AVZ_EXIT_EXISTS, "%s exists; not replaced (--no-overwrite)",
                        stat(path, &st) == 0 ? path : a->chapters);
    return 0;
}

/* ── Entry ─────────────────────────────────────────────────────────────────────────── */

static int (*const runners[CMD_COUNT])(cli_args *) = {
    [CMD_RENDER] = cmd_render,   [CMD_STILL] = cmd_still, [CMD_STORYBOARD] = cmd_storyboard,
    [CMD_FORMULA] = cmd_formula, [CMD_HASH] = cmd_hash,   [CMD_PHASES] = cmd_phases,
    [CMD_PARAMS] = cmd_params,   [CMD_LIST] = cmd_list,   [CMD_PLAN] = cmd_plan,
    [CMD_CONCAT] = cmd_concat,
};

static int check_stack(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < MIN_STACK)
        return cli_fail(AVZ_EXIT_USAGE,
                        "the stack limit (ulimit -s) is %llu KiB; attnviz needs at least %d KiB",
                        (unsigned long long)rl.rlim_cur / 1024, MIN_STACK / 1024);
    return 0;
}

/* Called once a command's files are in place: its report on stdout and its messages on
 * stderr must arrive, or the files are put back as they were. stdout before the "wrote"
 * lines: a reader gone (the common failure) then sees no "wrote" line. */
static int report_arrived(void *ctx, avz_error *err) {
    cli_args *a = ctx;
    /* A note (-v) that could not be written is as lost as a "wrote" line would be. */
    if (ferror(stderr))
        return avz_error_set(err, -EIO, "cannot write to standard error; no file written");
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno ? errno : EIO;
        return avz_error_set(err, -e, "cannot write to standard output: %s", strerror(e));
    }
    errno = 0;
    for (size_t i = 0; i < a->wrote_count; i++)
        say(a->wrote[i]);
    if (a->wrote_count && (fflush(stderr) != 0 || ferror(stderr))) {
        a->report_sent = true;
        return avz_error_set(err, errno == EPIPE ? -EPIPE : -EIO,
                             "cannot write to standard error; no file written");
    }
    return 0;
}

/* A command's report on standard output waits in this buffer (summaries are far smaller)
 * until its files are in place. Given by attnviz: glibc sizes a buffer of its own by the
 * file's block size (4 KiB for a pipe), whatever size is asked. */
static char report_buffer[64 * 1024];

/* Runs the command with its output files held: they replace their targets only if it
 * succeeds and its report arrives; otherwise none does. */
static int run_holding_outputs(cli_args *a) {
    avz_outputs *held = NULL;
    avz_error err = {0};
    if (avz_outputs_hold(&held, &err))
        return cli_fail(AVZ_EXIT_FAILURE, "%s", err.msg);
    running_outputs = held;
    running_folders = &a->made;
    int rc = runners[a->command](a);
    running_outputs = NULL;
    running_folders = NULL;
    if (rc <= 0 && avz_outputs_commit(held, report_arrived, a, &err))
        /* Once the report is out, an error JSON would contradict it; stderr is what failed. */
        rc = a->report_sent       ? (err.code == -EPIPE ? AVZ_EXIT_INTERRUPTED : AVZ_EXIT_IO)
             : err.code == -EPIPE ? cli_fail(AVZ_EXIT_INTERRUPTED, "%s", err.msg)
                                  : cli_fail_error(err.code, AVZ_EXIT_IO, err.msg);
    avz_outputs_free(held); /* first: it removes its lock files from the folders */
    folders_finish(&a->made, rc <= 0);
    return rc;
}

int avz_cli_main(int argc, char **argv) {
    keep_standard_streams();
    catch_signals();
    static bool report_buffered; /* setvbuf only before any output (the fuzzer calls again) */
    if (!report_buffered)
        setvbuf(stdout, report_buffer, _IOFBF, sizeof report_buffer);
    report_buffered = true;
    /* --json anywhere among the options makes even a usage error a JSON object. */
    json_errors = false;
    for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
        json_errors = json_errors || !strcmp(argv[i], "--json");
    cli_args a = {0};
    int rc = check_stack();
    rc = rc ? rc : cli_parse(&a, argc, argv);
    if (!rc)
        rc = run_holding_outputs(&a);
    cli_args_free(&a);
    rc = rc < 0 ? AVZ_EXIT_OK : rc;
    /* What was printed must have arrived: a full disk or a closed pipe is an error. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno;
        if (rc == AVZ_EXIT_OK)
            rc = cli_fail(e == EPIPE ? AVZ_EXIT_INTERRUPTED : AVZ_EXIT_IO,
                          "cannot write to standard output: %s", strerror(e));
    }
    if ((fflush(stderr) != 0 || ferror(stderr)) && rc == AVZ_EXIT_OK)
        rc = AVZ_EXIT_IO;
    /* A plug-in's destructors and atexit handlers run after this: the report is out, so what
     * they print goes to stderr, not after it. */
    if (plugin_ran)
        dup2(STDERR_FILENO, STDOUT_FILENO);
    return rc;
}
