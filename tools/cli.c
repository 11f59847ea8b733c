/* attnviz command line, second half: builds the scene, resolves pacing and runs a command
 * (cli_args.c parses the arguments first). The only module that prints. Every bad input gets
 * one line on stderr and an exit code from the table in cli.h, before any output file is
 * touched. */
#include "cli.h"
#include "builtin.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attnviz/limits.h"
#include "attnviz/pacing.h"
#include "attnviz/pipeline.h"
#include "attnviz/registry.h"
#include "attnviz/storyboard.h"
#include "attnviz/text.h"
#include "attnviz/timeline.h"
#include "attnviz/version.h"

#define THUMB_WIDTH 320 /* storyboard thumbnails unless --size or -q says otherwise */
#define THUMB_HEIGHT 180

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
    (void)sig;
    interrupted = 1;
}

/* ── Scenes ────────────────────────────────────────────────────────────────────────── */

typedef struct loaded {
    avz_fonts *fonts;
    avz_scene *scene;
    avz_timeline *tl;
} loaded;

static void unload(loaded *l) {
    avz_timeline_free(l->tl);
    avz_scene_free(l->scene);
    avz_fonts_close(l->fonts);
}

static int find_scene(const char *name, const avz_scene_def **out) {
    *out = NULL;
    for (size_t i = 0; name && i < avz_builtin_scene_count() && !*out; i++)
        if (!strcmp(avz_builtin_scene(i)->name, name))
            *out = avz_builtin_scene(i);
    if (*out)
        return 0;
    char names[256] = "";
    for (size_t i = 0; i < avz_builtin_scene_count(); i++) {
        strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
        strncat(names, avz_builtin_scene(i)->name, sizeof names - strlen(names) - 1);
    }
    if (!name)
        return avz_cli_fail(AVZ_EXIT_USAGE, "which scene? (scenes: %s)", names);
    return avz_cli_fail(AVZ_EXIT_INPUT, "unknown scene \"%s\" (scenes: %s)", name, names);
}

/* "a, b, c": the scene's phases, for messages about a phase name. */
static void phase_list(const avz_scene *s, char *buf, size_t size) {
    buf[0] = '\0';
    for (size_t i = 0; i < avz_scene_phase_count(s); i++) {
        strncat(buf, i ? ", " : "", size - strlen(buf) - 1);
        strncat(buf, avz_scene_phase_name(s, i), size - strlen(buf) - 1);
    }
}

/* The index of the phase named by an option, or an input error listing the phases. */
static int find_phase(const loaded *l, const char *what, const char *name, size_t *index) {
    long i = avz_timeline_find_phase(l->tl, name);
    if (i >= 0) {
        *index = (size_t)i;
        return 0;
    }
    char names[400];
    phase_list(l->scene, names, sizeof names);
    return avz_cli_fail(AVZ_EXIT_INPUT, "%sunknown phase \"%s\" (phases: %s)", what, name, names);
}

/* The pacing file's settings first, so that --phase overrides them; a file entry naming no
 * phase is reported with its file and line. */
static int resolve(const cli_args *a, const avz_pacing_file *pf, loaded *l) {
    size_t n = pf->count + a->phase_count;
    const char **names = calloc(n ? n : 1, sizeof *names);
    double *seconds = calloc(n ? n : 1, sizeof *seconds);
    int rc = names && seconds ? 0 : avz_cli_fail(AVZ_EXIT_FAILURE, "out of memory");
    for (size_t i = 0; i < pf->count && !rc; i++) {
        const avz_pacing_entry *e = &pf->entries[i];
        size_t k = 0;
        while (k < avz_scene_phase_count(l->scene) &&
               strcmp(avz_scene_phase_name(l->scene, k), e->name))
            k++;
        if (k == avz_scene_phase_count(l->scene)) {
            char list[400];
            phase_list(l->scene, list, sizeof list);
            rc = avz_cli_fail(AVZ_EXIT_INPUT, "%s:%u: unknown phase \"%s\" (phases: %s)", a->pacing,
                              e->line, e->name, list);
        }
        names[i] = e->name;
        seconds[i] = e->seconds;
    }
    for (size_t i = 0; i < a->phase_count && !rc; i++) {
        names[pf->count + i] = a->phase_names[i];
        seconds[pf->count + i] = a->phase_seconds[i];
    }
    avz_error err = {0};
    avz_pacing pacing = {a->speed, names, seconds, n};
    if (!rc && avz_timeline_resolve(l->scene, &pacing, &l->tl, &err))
        rc = avz_cli_fail(AVZ_EXIT_INPUT, "%s", err.msg);
    free(names);
    free(seconds);
    return rc;
}

/* Builds the scene with its parameters and resolves the pacing flags and file. */
static int load(const cli_args *a, const avz_scene_def *def, loaded *l) {
    *l = (loaded){0};
    avz_error err = {0};
    avz_params params = {a->set_names, a->set_values, a->set_count};
    if (avz_params_check(def, &params, &err))
        return avz_cli_fail(AVZ_EXIT_INPUT, "%s", err.msg);
    avz_pacing_file pf = {0};
    int rc = a->pacing ? avz_pacing_read(a->pacing, &pf, &err) : 0;
    if (rc)
        return avz_cli_fail(rc == -EINVAL ? AVZ_EXIT_USAGE : AVZ_EXIT_IO, "%s", err.msg);
    if (avz_fonts_open(avz_fonts_default_dir(), &l->fonts, &err)) {
        avz_pacing_file_free(&pf);
        return avz_cli_fail(AVZ_EXIT_IO, "%s", err.msg);
    }
    if (avz_scene_new(l->fonts, &l->scene)) {
        rc = avz_cli_fail(AVZ_EXIT_FAILURE, "out of memory");
    } else {
        def->build(l->scene, &params);
        if (avz_scene_status(l->scene, &err))
            rc = avz_cli_fail(AVZ_EXIT_INPUT, "%s: %s", def->name, err.msg);
    }
    rc = rc ? rc : resolve(a, &pf, l);
    avz_pacing_file_free(&pf);
    if (rc)
        unload(l);
    return rc;
}

/* --from, --to and --only as seconds on the resolved timeline (to 0: the end). */
static int window(const cli_args *a, const loaded *l, double *from, double *to) {
    size_t first = 0, last = avz_timeline_phase_count(l->tl) - 1;
    int rc = a->from ? find_phase(l, a->only ? "--only: " : "--from: ", a->from, &first) : 0;
    rc = rc ? rc : a->to ? find_phase(l, "--to: ", a->to, &last) : 0;
    if (rc)
        return rc;
    if (last < first)
        return avz_cli_fail(AVZ_EXIT_INPUT, "--to %s comes before --from %s", a->to, a->from);
    *from = avz_timeline_phase_start(l->tl, first);
    *to = a->to ? avz_timeline_phase_start(l->tl, last) + avz_timeline_phase_duration(l->tl, last)
                : 0;
    return 0;
}

/* ── Commands ──────────────────────────────────────────────────────────────────────── */

static int cmd_list(const cli_args *a) {
    (void)a;
    for (size_t i = 0; i < avz_builtin_scene_count(); i++)
        printf("%-16s %s\n", avz_builtin_scene(i)->name, avz_builtin_scene(i)->summary);
    return AVZ_EXIT_OK;
}

static int cmd_params(const cli_args *a) {
    const avz_scene_def *def;
    int rc = find_scene(a->scene, &def);
    if (rc)
        return rc;
    printf("%-12s %-28s %s\n", "name", "default", "meaning");
    for (size_t i = 0; i < def->param_count; i++)
        printf("%-12s %-28s %s\n", def->params[i].name, def->params[i].default_value,
               def->params[i].help);
    return AVZ_EXIT_OK;
}

/* JSON string with the escapes JSON requires; bytes above 0x7f pass through as UTF-8. */
static void json_string(const char *text) {
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            printf("\\%c", *c);
        else if (*c < 0x20)
            printf("\\u%04x", *c);
        else
            putchar(*c);
    }
    putchar('"');
}

static int cmd_phases(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    if (a->json) {
        printf("{\"scene\":");
        json_string(def->name);
        printf(",\"duration\":%.9g,\"phases\":[", avz_timeline_duration(l.tl));
        for (size_t i = 0; i < avz_timeline_phase_count(l.tl); i++) {
            double start = avz_timeline_phase_start(l.tl, i);
            double dur = avz_timeline_phase_duration(l.tl, i);
            printf("%s{\"name\":", i ? "," : "");
            json_string(avz_timeline_phase_name(l.tl, i));
            printf(",\"start\":%.9g,\"end\":%.9g,\"duration\":%.9g}", start, start + dur, dur);
        }
        printf("]}\n");
        unload(&l);
        return AVZ_EXIT_OK;
    }
    printf("%-20s %9s %9s %9s\n", "phase", "start", "end", "duration");
    for (size_t i = 0; i < avz_timeline_phase_count(l.tl); i++) {
        double start = avz_timeline_phase_start(l.tl, i);
        double dur = avz_timeline_phase_duration(l.tl, i);
        printf("%-20s %9.3f %9.3f %9.3f\n", avz_timeline_phase_name(l.tl, i), start, start + dur,
               dur);
    }
    printf("%-20s %9s %9.3f %9.3f\n", "total", "", avz_timeline_duration(l.tl),
           avz_timeline_duration(l.tl));
    unload(&l);
    return AVZ_EXIT_OK;
}

/* True when both name the same file, however spelled (./x, a link) or not yet existing. */
static bool same_file(const char *p, const char *q) {
    struct stat sp, sq;
    if (!p || !q)
        return false;
    return !strcmp(p, q) || (stat(p, &sp) == 0 && stat(q, &sq) == 0 && sp.st_dev == sq.st_dev &&
                             sp.st_ino == sq.st_ino);
}

/* An output that is also an input would be destroyed by the very render that reads it. */
static int check_clash(const cli_args *a, const char *output) {
    if (same_file(a->pacing, output))
        return avz_cli_fail(AVZ_EXIT_USAGE,
                            "output \"%s\" is also the --pacing file; give another name", output);
    if (same_file(a->pacing, a->chapters))
        return avz_cli_fail(AVZ_EXIT_USAGE,
                            "--chapters \"%s\" is also the --pacing file; give another name",
                            a->chapters);
    if (same_file(output, a->chapters))
        return avz_cli_fail(AVZ_EXIT_USAGE,
                            "--chapters \"%s\" is also the output; give another name", a->chapters);
    return 0;
}

static int need_output(const cli_args *a, const char *ext) {
    if (!a->output)
        return avz_cli_fail(AVZ_EXIT_USAGE, "missing -o FILE%s", ext);
    size_t n = strlen(a->output), e = strlen(ext);
    if (n <= e || strcmp(a->output + n - e, ext) != 0)
        return avz_cli_fail(AVZ_EXIT_USAGE, "output \"%s\" must end in %s", a->output, ext);
    return check_clash(a, a->output);
}

static const char at_syntax[] = "--at must be a time in seconds from 0, PHASE or PHASE+SECONDS";

/* --at PHASE or PHASE+SECONDS, once the timeline is known; plain seconds are parsed earlier. */
static int phase_time(const cli_args *a, const loaded *l, double *t) {
    const char *plus = strrchr(a->at, '+');
    size_t len = plus ? (size_t)(plus - a->at) : strlen(a->at);
    double offset = 0;
    char name[256];
    if (len == 0 || len >= sizeof name ||
        (plus && (!avz_cli_parse_seconds(plus + 1, &offset) || offset < 0)))
        return avz_cli_fail(AVZ_EXIT_USAGE, "%s, not \"%s\"", at_syntax, a->at);
    memcpy(name, a->at, len);
    name[len] = '\0';
    long i = avz_timeline_find_phase(l->tl, name);
    if (i < 0) {
        char names[400];
        phase_list(l->scene, names, sizeof names);
        return avz_cli_fail(AVZ_EXIT_USAGE, "%s, not \"%s\" (phases: %s)", at_syntax, a->at, names);
    }
    double dur = avz_timeline_phase_duration(l->tl, (size_t)i);
    if (offset > dur)
        return avz_cli_fail(AVZ_EXIT_INPUT, "--at %s is past the end of phase %s (%.3f s long)",
                            a->at, name, dur);
    *t = avz_timeline_phase_start(l->tl, (size_t)i) + offset;
    return 0;
}

static int cmd_still(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    double t = 0;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : need_output(a, ".png");
    if (rc)
        return rc;
    if (!a->at)
        return avz_cli_fail(AVZ_EXIT_USAGE, "missing --at SECONDS (or PHASE, PHASE+SECONDS)");
    bool seconds = avz_cli_parse_seconds(a->at, &t);
    if (seconds && t < 0)
        return avz_cli_fail(AVZ_EXIT_USAGE, "%s, not \"%s\"", at_syntax, a->at);
    if ((rc = load(a, def, &l)))
        return rc;
    if (!seconds && (rc = phase_time(a, &l, &t))) {
        unload(&l);
        return rc;
    }
    if (t > avz_timeline_duration(l.tl)) {
        double d = avz_timeline_duration(l.tl);
        unload(&l);
        return avz_cli_fail(AVZ_EXIT_INPUT, "--at %s is past the end of %s (%.3f s)", a->at,
                            def->name, d);
    }
    avz_error err = {0};
    rc = avz_render_still(l.scene, l.tl, t, a->output, a->width, a->height, a->transparent, &err);
    unload(&l);
    if (rc)
        return avz_cli_fail(AVZ_EXIT_IO, "%s", err.msg);
    return AVZ_EXIT_OK;
}

static int cmd_storyboard(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : need_output(a, ".png");
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    avz_storyboard_options opts = {.path = a->output,
                                   .title = def->name,
                                   .thumb_width = a->size_given ? a->width : THUMB_WIDTH,
                                   .thumb_height = a->size_given ? a->height : THUMB_HEIGHT};
    avz_error err = {0};
    rc = avz_render_storyboard(l.scene, l.tl, &opts, &err);
    unload(&l);
    if (rc)
        return avz_cli_fail(rc == -ENOMEM ? AVZ_EXIT_FAILURE : AVZ_EXIT_IO, "%s", err.msg);
    return AVZ_EXIT_OK;
}

typedef struct progress {
    bool tty;
    int last_decile;
    struct timespec start;
} progress;

static double seconds_since(const struct timespec *t0) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A live bar on a terminal; a line per tenth otherwise, so CI logs stay short. */
static void show_progress(void *ctx, size_t done, size_t total) {
    progress *p = ctx;
    double el = seconds_since(&p->start);
    double fps = el > 0 ? (double)done / el : 0;
    double eta = fps > 0 ? (double)(total - done) / fps : 0;
    if (p->tty) {
        if (done % 8 != 0 && done != total)
            return;
        int width = 30, fill = (int)(width * done / total);
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu frames  %.0f fps  ETA %.0f s ", fill,
                "##############################", width - fill, "", done, total, fps, eta);
        if (done == total)
            fputc('\n', stderr);
    } else {
        int decile = (int)(10 * done / total);
        if (decile == p->last_decile)
            return;
        p->last_decile = decile;
        fprintf(stderr, "attnviz: %3d%%  %zu/%zu frames  %.0f fps\n", decile * 10, done, total,
                fps);
    }
}

/* What the frame-producing commands share: the part to render, progress and SIGINT. */
static int frame_options(const cli_args *a, const loaded *l, const char *path, int fps, progress *p,
                         avz_render_options *opts) {
    double from = 0, to = 0;
    int rc = window(a, l, &from, &to);
    if (rc)
        return rc;
    *p = (progress){.tty = isatty(STDERR_FILENO), .last_decile = 0};
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    *opts = (avz_render_options){
        .path = path,
        .width = a->width,
        .height = a->height,
        .fps = fps,
        .workers = a->workers,
        .crf = a->crf,
        .preset = a->preset,
        .from = from,
        .to = to,
        .transparent = a->transparent,
        .chapters_path = a->chapters,
        .progress = a->quiet ? NULL : show_progress,
        .progress_ctx = p,
        .cancel = &interrupted,
    };
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return 0;
}

static int render_failure(int rc, const avz_error *err) {
    int code = rc == -EINTR    ? AVZ_EXIT_INTERRUPTED
               : rc == -ENOMEM ? AVZ_EXIT_FAILURE
               : rc == -EINVAL ? AVZ_EXIT_INPUT
                               : AVZ_EXIT_IO;
    return avz_cli_fail(code, "%s", err->msg);
}

/* Renders one scene to path: the output's options are checked before the scene is built. */
static int render_one(const cli_args *a, const avz_scene_def *def, const char *path) {
    if (!avz_output_known(path))
        return avz_cli_fail(
            AVZ_EXIT_USAGE,
            "output \"%s\" must end in .mp4, .webm, .mov or .gif, or be a PNG sequence "
            "such as frames/%%05d.png",
            path);
    int fps = a->fps_given ? a->fps : avz_output_best_fps(path, a->fps);
    const char *preset = a->preset                       ? a->preset
                         : avz_output_takes_preset(path) ? a->quality_preset
                                                         : NULL;
    avz_render_options wanted = {.path = path,
                                 .width = a->width,
                                 .height = a->height,
                                 .fps = fps,
                                 .crf = a->crf,
                                 .preset = preset,
                                 .transparent = a->transparent,
                                 .chapters_path = a->chapters};
    avz_error err = {0};
    if (avz_render_check(&wanted, &err))
        return avz_cli_fail(AVZ_EXIT_USAGE, "%s", err.msg);
    int rc = check_clash(a, path);
    loaded l;
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    progress p;
    avz_render_options opts;
    size_t first, frames;
    if ((rc = frame_options(a, &l, path, fps, &p, &opts))) {
        unload(&l);
        return rc;
    }
    opts.preset = preset;
    avz_frame_range(l.tl, &opts, &first, &frames);
    /* Before any output exists: a render that cannot finish fails now, not in an hour. */
    avz_limits_request req = {.width = a->width,
                              .height = a->height,
                              .fps = fps,
                              .frames = frames,
                              .workers = a->workers,
                              .preset = preset};
    avz_error limit = {0};
    if (avz_limits_check_here(req, &limit)) {
        unload(&l);
        return avz_cli_fail(AVZ_EXIT_USAGE, "%s", limit.msg);
    }
    rc = avz_render_video(l.scene, l.tl, &opts, &err);
    unload(&l);
    if (rc)
        return render_failure(rc, &err);
    double el = seconds_since(&p.start), duration = (double)frames / fps;
    if (!a->quiet)
        fprintf(stderr, "attnviz: wrote %s: %zu frames, %.2f s of video, in %.1f s (%.0f fps)\n",
                path, frames, duration, el, el > 0 ? frames / el : 0);
    if (a->json) {
        printf("{\"scene\":");
        json_string(def->name);
        printf(",\"file\":");
        json_string(path);
        printf(",\"frames\":%zu,\"fps\":%d,\"duration\":%.9g,\"wall\":%.3f,\"render_fps\":%.1f}\n",
               frames, fps, duration, el, el > 0 ? frames / el : 0);
        fflush(stdout);
    }
    return AVZ_EXIT_OK;
}

/* CI's job in one command: every scene to DIR/NAME.EXT, stopping at the first failure. */
static int render_all(const cli_args *a) {
    static const char *const formats[] = {"mp4", "webm", "mov", "gif"};
    if (a->scene)
        return avz_cli_fail(AVZ_EXIT_USAGE, "--all renders every scene; give no SCENE (\"%s\")",
                            a->scene);
    if (!a->output)
        return avz_cli_fail(AVZ_EXIT_USAGE, "missing -o DIR");
    if (a->phase_count || a->pacing || a->from || a->set_count || a->chapters)
        return avz_cli_fail(AVZ_EXIT_USAGE,
                            "--phase, --pacing, --from, --to, --only, --set and "
                            "--chapters are for one scene; they do not go with --all");
    const char *format = a->format ? a->format : "mp4";
    size_t k = 0;
    while (k < sizeof formats / sizeof formats[0] && strcmp(formats[k], format))
        k++;
    if (k == sizeof formats / sizeof formats[0])
        return avz_cli_fail(AVZ_EXIT_USAGE, "--format must be mp4, webm, mov or gif, not \"%s\"",
                            format);
    struct stat st;
    if (stat(a->output, &st) != 0 || !S_ISDIR(st.st_mode))
        return avz_cli_fail(AVZ_EXIT_IO, "-o %s is not a directory (--all writes DIR/SCENE.%s)",
                            a->output, format);
    for (size_t i = 0; i < avz_builtin_scene_count(); i++) {
        const avz_scene_def *def = avz_builtin_scene(i);
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s.%s", a->output, def->name, format) >=
            (int)sizeof path)
            return avz_cli_fail(AVZ_EXIT_USAGE, "-o %s is too long a path", a->output);
        int rc = render_one(a, def, path);
        if (rc)
            return rc;
    }
    return AVZ_EXIT_OK;
}

static int cmd_render(const cli_args *a) {
    if (a->all)
        return render_all(a);
    if (a->format)
        return avz_cli_fail(AVZ_EXIT_USAGE,
                            "--format goes with --all; otherwise -o's extension chooses");
    const avz_scene_def *def;
    int rc = find_scene(a->scene, &def);
    if (rc)
        return rc;
    if (!a->output)
        return avz_cli_fail(AVZ_EXIT_USAGE,
                            "missing -o FILE.mp4 (or .webm, .mov, .gif, frames/%%05d.png)");
    return render_one(a, def, a->output);
}

static int cmd_hash(const cli_args *a) {
    const avz_scene_def *def;
    loaded l;
    int rc = find_scene(a->scene, &def);
    rc = rc ? rc : load(a, def, &l);
    if (rc)
        return rc;
    progress p;
    avz_render_options opts;
    if ((rc = frame_options(a, &l, NULL, a->fps, &p, &opts))) {
        unload(&l);
        return rc;
    }
    uint64_t digest = 0;
    avz_error err = {0};
    rc = avz_render_digest(l.scene, l.tl, &opts, &digest, &err);
    unload(&l);
    if (rc)
        return render_failure(rc, &err);
    printf("%016" PRIx64 "\n", digest);
    return AVZ_EXIT_OK;
}

/* ── Entry ─────────────────────────────────────────────────────────────────────────── */

static const struct command {
    const char *name;
    int (*run)(const cli_args *a);
    const char *usage;
    bool takes_scene;
    unsigned bit; /* which options apply (see the options table) */
} commands[] = {
    {"render", cmd_render, avz_cli_usage_render, true, FOR_RENDER},
    {"still", cmd_still, avz_cli_usage_still, true, FOR_STILL},
    {"storyboard", cmd_storyboard, avz_cli_usage_storyboard, true, FOR_STORYBOARD},
    {"hash", cmd_hash, avz_cli_usage_hash, true, FOR_HASH},
    {"phases", cmd_phases, avz_cli_usage_phases, true, FOR_PHASES},
    {"params", cmd_params, avz_cli_usage_params, true, 0},
    {"list", cmd_list, avz_cli_usage_list, false, 0},
};

int avz_cli_main(int argc, char **argv) {
    if (argc < 2)
        return fputs(avz_cli_usage_main, stderr), AVZ_EXIT_USAGE;
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return fputs(avz_cli_usage_main, stdout), AVZ_EXIT_OK;
    if (!strcmp(argv[1], "--version"))
        return printf("attnviz %s\n", AVZ_VERSION), AVZ_EXIT_OK;

    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            cmd = &commands[i];
    if (!cmd)
        return avz_cli_fail(AVZ_EXIT_USAGE, "unknown command \"%s\" (see 'attnviz --help')",
                            argv[1]);

    cli_args a;
    int rc = avz_cli_parse(&a, cmd->name, cmd->bit, cmd->takes_scene, cmd->usage, argc, argv);
    if (!rc)
        rc = cmd->run(&a);
    avz_cli_args_free(&a);
    return rc < 0 ? AVZ_EXIT_OK : rc;
}
