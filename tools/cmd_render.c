/* attnviz command line: render (one scene, or every scene with --all) and hash, the commands
 * that produce every frame. Each checks all it can — the output, the part, the limits — before
 * drawing anything. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attnviz/hash.h"
#include "attnviz/limits.h"
#include "attnviz/pipeline.h"
#include "attnviz/segment.h"
#include "attnviz/version.h"
#include "catalog.h"
#include "cli.h"
#include "folders.h"
#include "progress.h"
#include "render.h"

#define GIF_WIDTH 960 /* a GIF without -q or --size: sized for a README, not a cinema */
#define GIF_HEIGHT 540

static const char *ext_of(const char *path) {
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* Output size, rate and preset for path: a GIF is smaller and plays whole hundredths, a -q l
 * preview encodes fast. */
void plan_output(const cli_args *a, const char *path, plan *p) {
    bool gif = !strcmp(ext_of(path), "gif") || (!path[0] && a->format && !strcmp(a->format, "gif"));
    *p = (plan){.path = path, .width = a->width, .height = a->height, .fps = a->fps};
    if (gif && !a->size_given) {
        p->width = GIF_WIDTH;
        p->height = GIF_HEIGHT;
    }
    if (!a->fps_given)
        p->fps = avz_output_best_fps(gif ? "x.gif" : path, p->fps);
    p->preset = a->preset;
    if (!p->preset && a->quality && !strcmp(a->quality, "l") && avz_output_takes_preset(path))
        p->preset = "ultrafast"; /* a preview is for looking at soon */
}

/* --from, --to and --only as seconds on the resolved timeline (to 0: the end). */
static int window(const cli_args *a, const loaded *l, double *from, double *to) {
    size_t first = 0, last = avz_timeline_phase_count(l->tl) - 1;
    int rc = a->from ? cli_find_phase(l, a->only ? "--only" : "--from", a->from, &first) : 0;
    rc = rc ? rc : a->to ? cli_find_phase(l, "--to", a->to, &last) : 0;
    if (rc)
        return rc;
    if (last < first)
        return cli_fail(AVZ_EXIT_INPUT, "--to %s comes before --from %s", a->to, a->from);
    *from = avz_timeline_phase_start(l->tl, first);
    *to = a->to ? avz_timeline_phase_start(l->tl, last) + avz_timeline_phase_duration(l->tl, last)
                : 0;
    return 0;
}

/* With --no-overwrite, a PNG sequence is refused when any file it would write exists. */
static int check_sequence(const cli_args *a, const char *path, long first_number, size_t frames) {
    for (size_t i = 0; a->no_overwrite && path && avz_output_is_sequence(path) && i < frames; i++) {
        char name[4096];
        struct stat st;
        /* avz_output_known accepted the pattern: one %d (0 flag, width), %% for '%'. */
        snprintf(name, sizeof name, path, (int)(first_number + (long)i));
        if (stat(name, &st) == 0)
            return cli_fail(AVZ_EXIT_EXISTS, "%s exists; not replaced (--no-overwrite)", name);
    }
    return 0;
}

/* FNV-1a over what decides a render's frames and their encoding, but its segment: pieces with
 * the same key belong together. The parameters count as given (their digest), the pacing as
 * resolved (each phase's length). */
static void job_key(const cli_args *a, const loaded *l, plan *p, const avz_render_options *o,
                    unsigned segments) {
    avz_render_options whole = *o;
    whole.segments = 0;
    size_t first, count;
    avz_frame_range(l->tl, &whole, &first, &count);
    char text[512];
    int n = snprintf(text, sizeof text,
                     "attnviz %s\nscene %s\nparams %016" PRIx64 "\n%dx%d@%d crf %d preset %s "
                     "transparent %d memory %ld %s\nframes %zu+%zu in %u\n",
                     AVZ_VERSION, l->name, l->params_digest, p->width, p->height, p->fps, a->crf,
                     p->preset ? p->preset : "-", a->transparent, (long)(o->memory >> 20),
                     ext_of(p->path), first, count, segments);
    uint64_t h = avz_fnv1a(AVZ_FNV_OFFSET, text, n > 0 && n < (int)sizeof text ? (size_t)n : 0);
    for (size_t i = 0; i < avz_timeline_phase_count(l->tl); i++) {
        char phase[256];
        int m = snprintf(phase, sizeof phase, "%s=%.17g\n", avz_timeline_phase_name(l->tl, i),
                         avz_timeline_phase_duration(l->tl, i));
        h = avz_fnv1a(h, phase, m > 0 && m < (int)sizeof phase ? (size_t)m : 0);
    }
    snprintf(p->job, sizeof p->job, "%016" PRIx64, h);
}

int render_prepare(const cli_args *a, const loaded *l, plan *p, progress *prog,
                   avz_render_options *opts, size_t *first, size_t *frames) {
    double from = 0, to = 0;
    int rc = window(a, l, &from, &to);
    rc = rc ? rc : cli_check_phases(l, p->fps);
    if (rc)
        return rc;
    progress_start(prog, l->name);
    long start_number =
        a->start_number
            ? (!strcmp(a->start_number, "source") ? -1 : strtol(a->start_number, NULL, 10))
            : 0;
    *opts = (avz_render_options){
        .path = p->path,
        .width = p->width,
        .height = p->height,
        .fps = p->fps,
        .workers = a->workers,
        .memory = (uint64_t)a->memory_mb << 20,
        .crf = a->crf,
        .preset = p->preset,
        .from = from,
        .to = to,
        .transparent = a->transparent,
        .chapters_path = a->chapters,
        .audio = {.path = a->audio,
                  .fade = a->audio_fade,
                  .offset = a->audio_offset,
                  .volume_db = a->audio_volume},
        .first_number = start_number,
        .progress = a->quiet ? NULL : progress_update,
        .progress_ctx = prog,
    };
    unsigned pieces = a->segment ? a->segments : a->jobs;
    if (pieces) {
        avz_frame_range(l->tl, opts, first, frames);
        size_t begin, end;
        avz_error err = {0};
        if (avz_segment_bounds(l->tl, p->fps, *first, *frames, a->segment ? a->segment : 1, pieces,
                               &begin, &end, &err))
            return cli_fail(AVZ_EXIT_USAGE, "%s %s: %s", a->segment ? "--segment" : "--jobs",
                            l->name, err.msg);
        opts->scene_name = l->name;
        opts->job = p->job;
        opts->segment = a->segment;
        opts->segments = a->segment ? a->segments : 0;
        if (a->jobs) { /* each piece gets its share of the workers and of the budget */
            opts->workers = avz_render_workers(a->workers) / (int)a->jobs;
            opts->workers = opts->workers < 1 ? 1 : opts->workers;
            /* whole MiB, as `--memory` gives each piece rendered with --segment */
            opts->memory = (uint64_t)(a->memory_mb / a->jobs) << 20;
        }
        job_key(a, l, p, opts, pieces);
    }
    avz_error audio_err = {0};
    if (a->audio && (rc = avz_audio_check(&opts->audio, &audio_err)))
        return cli_fail_error(rc, AVZ_EXIT_INPUT, audio_err.msg);
    avz_frame_range(l->tl, opts, first, frames);
    if ((rc = check_sequence(a, p->path, start_number < 0 ? (long)*first : start_number, *frames)))
        return rc;
    /* Before any output exists: a render that cannot finish fails now, not in an hour. */
    avz_limits_request req = {.width = p->width,
                              .height = p->height,
                              .fps = p->fps,
                              .frames = *frames,
                              .workers = avz_render_workers(opts->workers),
                              .output = p->path,
                              .preset = p->preset};
    avz_error err = {0};
    if (opts->memory && (rc = avz_limits_fit(&req, opts->memory, &err)))
        return a->jobs ? cli_fail(AVZ_EXIT_USAGE,
                                  "--memory %llu shared by --jobs %u leaves each piece %llu MiB: "
                                  "%s; give more memory or fewer jobs",
                                  (unsigned long long)a->memory_mb, (unsigned)a->jobs,
                                  (unsigned long long)(opts->memory >> 20), err.msg)
                       : cli_fail(AVZ_EXIT_USAGE, "%s", err.msg);
    req.renders = (int)a->jobs; /* the pieces' budget is shared; the machine holds them all */
    if ((rc = avz_limits_check_here(req, &err)))
        return cli_fail(AVZ_EXIT_USAGE, "%s", err.msg);
    cli_note(a, "%s: %zu frames from %zu, %dx%d at %d fps, %.3f s", l->name, *frames, *first,
             p->width, p->height, p->fps, (double)*frames / p->fps);
    for (size_t i = 0; a->verbose && i < avz_timeline_phase_count(l->tl); i++)
        cli_note(a, "  phase %-20s %9.3f s from %9.3f s", avz_timeline_phase_name(l->tl, i),
                 avz_timeline_phase_duration(l->tl, i), avz_timeline_phase_start(l->tl, i));
    cli_note(a, "workers: %d (%s); memory needed about %.0f MiB", req.workers,
             a->memory_mb ? "within --memory"
             : a->workers ? "as given"
                          : "one per core",
             (double)avz_limits_memory_needed(&req) / (1 << 20));
    if (a->memory_mb && p->path)
        cli_note(a, "within --memory %ld MiB: encoder threads %d, x264 lookahead %s", a->memory_mb,
                 req.encoder_threads ? req.encoder_threads : 4,
                 req.lookahead ? "shortened to what the budget allows" : "the preset's");
    return 0;
}

int check_plan(const cli_args *a, const plan *p, const char *path) {
    avz_render_options wanted = {.path = path,
                                 .audio = {.path = a->audio},
                                 .width = p->width,
                                 .height = p->height,
                                 .fps = p->fps,
                                 .crf = a->crf,
                                 .preset = p->preset,
                                 .transparent = a->transparent,
                                 .chapters_path = a->chapters};
    avz_error err = {0};
    int rc = avz_render_check(&wanted, &err);
    return rc ? cli_fail_error(rc, AVZ_EXIT_USAGE, err.msg) : 0;
}

/* Renders one scene to path: the output's options are checked before the scene is built. */
static int render_one(cli_args *a, const char *scene, const char *path) {
    if (!avz_output_known(path))
        return cli_fail(AVZ_EXIT_USAGE,
                        "output \"%s\" must end in .mp4, .webm, .mov or .gif, or be a PNG "
                        "sequence such as frames/%%05d.png",
                        path);
    plan p;
    plan_output(a, path, &p);
    int rc = check_plan(a, &p, path);
    if (rc)
        return rc;
    if ((a->segment || a->jobs) && !avz_output_joins(path))
        return cli_fail(AVZ_EXIT_USAGE,
                        "%s is for .mp4, .webm and .mov, whose pieces join without re-encoding, "
                        "not \"%s\"",
                        a->segment ? "--segment" : "--jobs", path);
    if (a->segment && a->jobs)
        return cli_fail(AVZ_EXIT_USAGE, "--segment renders one piece; --jobs renders them all");
    if (a->segment && (a->given[OPT_AUDIO] || cli_audio_shaping(a)))
        return cli_fail(AVZ_EXIT_USAGE, "a piece has no sound: give --audio to concat, which lays "
                                        "the soundtrack under the joined video");
    if (a->start_number && !avz_output_is_sequence(path))
        return cli_fail(AVZ_EXIT_USAGE, "--start-number is for PNG sequences, not \"%s\"", path);
    if ((rc = cli_check_output(a, path)))
        return rc;
    cli_args one = *a;
    one.operand = scene;
    loaded l;
    if ((rc = cli_load(&one, &l)))
        return rc;
    /* After the scene's build: a plug-in that crashes in it leaves no folder behind. */
    if ((rc = folders_make_for(&a->made, path))) {
        cli_unload(&l);
        return rc;
    }
    progress prog;
    avz_render_options opts;
    size_t first, frames;
    if ((rc = render_prepare(a, &l, &p, &prog, &opts, &first, &frames))) {
        cli_unload(&l);
        return rc;
    }
    if (avz_output_takes_preset(path)) /* the sink's defaults, as --help states them */
        cli_note(a, "encoder: %s, x264 preset %s, crf %d", ext_of(path),
                 p.preset ? p.preset : "medium", a->crf < 0 ? 23 : a->crf);
    else
        cli_note(a, "encoder: %s", avz_output_is_sequence(path) ? "png sequence" : ext_of(path));
    avz_encoder_log(a->verbose >= 2);
    avz_error err = {0};
    rc = a->jobs ? render_jobs(&l, &opts, a->jobs, &err)
                 : avz_render_video(l.scene, l.tl, &opts, &err);
    double el = progress_seconds(&prog), duration = (double)frames / p.fps;
    if (rc) {
        rc = cli_fail_error(rc, AVZ_EXIT_INPUT, err.msg);
    } else {
        cli_wrote(a, "wrote %s: %zu frames, %.2f s of video, in %.1f s (%.0f fps)", path, frames,
                  duration, el, el > 0 ? frames / el : 0);
        if (a->json) {
            fputs("{\"scene\":", stdout);
            json_string(stdout, l.name);
            fputs(",\"origin\":", stdout);
            json_string(stdout, l.origin);
            fputs(",\"file\":", stdout);
            json_string(stdout, path);
            fprintf(stdout,
                    ",\"first_frame\":%zu,\"frames\":%zu,\"fps\":%d,\"width\":%d,\"height\":%d,"
                    "\"duration\":%.9g,\"wall\":%.3f,\"render_fps\":%.1f",
                    first, frames, p.fps, p.width, p.height, duration, el,
                    el > 0 ? frames / el : 0);
            if (avz_output_is_sequence(path))
                fprintf(stdout, ",\"first_number\":%ld",
                        opts.first_number < 0 ? (long)first : opts.first_number);
            fputs(",\"versions\":", stdout);
            json_versions(stdout);
            fputs("}\n", stdout);
        }
    }
    cli_unload(&l);
    return rc;
}

/* CI's job in one command: every scene to DIR/NAME.EXT, stopping at the first failure. */
static int render_all(cli_args *a) {
    if (a->operand)
        return cli_fail(AVZ_EXIT_USAGE, "--all renders every scene; give no SCENE (\"%s\")",
                        a->operand);
    if (a->phase_count || a->pacing || a->from || a->set_count || a->params || a->chapters ||
        a->start_number || a->segment)
        return cli_fail(AVZ_EXIT_USAGE,
                        "--phase, --pacing, --from, --to, --only, --set, --params, --chapters, "
                        "--start-number and --segment are for one scene; they do not go with "
                        "--all");
    const char *dir = a->output ? a->output : ".";
    const char *format = a->format ? a->format : "mp4";
    if (!strcmp(format, "png"))
        return cli_fail(AVZ_EXIT_USAGE, "--all writes mp4, webm, mov or gif, not png");
    avz_error err = {0};
    int rc = catalog_load(&err);
    if (rc)
        return cli_fail_error(rc, AVZ_EXIT_INPUT, err.msg);
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return cli_fail(AVZ_EXIT_IO, "-o %s is not a folder (--all writes DIR/SCENE.%s)", dir,
                        format);
    if ((rc = folders_make(&a->made, dir)))
        return rc;
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--; /* "out/" names the same folder as "out": no "out//gqa.mp4" */
    /* Pass 0 only checks, so that an output refused (a folder in the way, --no-overwrite)
     * is refused before the first scene is drawn; every file is replaced at the end, together
     * (cli.c holds them). */
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (size_t i = 0; i < catalog_count() && !rc; i++) {
            const char *name = catalog_at(i)->def->name;
            char path[4096];
            if (snprintf(path, sizeof path, "%.*s/%s.%s", (int)len, dir, name, format) >=
                (int)sizeof path)
                return cli_fail(AVZ_EXIT_USAGE, "-o %s is too long a path", dir);
            rc = pass ? render_one(a, name, path) : cli_check_output(a, path);
        }
    return rc;
}

/* The default output: SCENE.mp4 in the current folder (a plug-in file's name without .so). */
void render_default_output(const cli_args *a, char *buf, size_t size) {
    const char *base = strrchr(a->operand, '/');
    base = base ? base + 1 : a->operand;
    size_t n = strcspn(base, ":");
    if (n > 3 && !strncmp(base + n - 3, ".so", 3))
        n -= 3;
    const char *colon = strchr(base, ':');
    if (colon) { /* FILE.so:SCENE: the scene's name */
        base = colon + 1;
        n = strlen(base);
    }
    snprintf(buf, size, "%.*s.%s", (int)n, base, a->format ? a->format : "mp4");
}

int cmd_render(cli_args *a) {
    int rc;
    if (a->all) {
        rc = render_all(a);
    } else if (!a->operand) {
        rc = cli_fail(AVZ_EXIT_USAGE, "which scene? (see 'attnviz list', or --all for every one)");
    } else {
        char fallback[512];
        if (!a->output)
            render_default_output(a, fallback, sizeof fallback);
        if (a->format && a->output)
            rc = cli_fail(AVZ_EXIT_USAGE, "--format goes with --all or without -o; otherwise "
                                          "-o's extension chooses");
        else
            rc = render_one(a, a->operand, a->output ? a->output : fallback);
    }
    return rc;
}

int cmd_hash(cli_args *a) {
    loaded l;
    int rc = cli_load(a, &l);
    if (rc)
        return rc;
    /* The frames the output --format would draw, as render would write them without -o: a
     * GIF's size and rate differ. */
    const char *format = a->format ? a->format : "mp4";
    char model[300];
    snprintf(model, sizeof model, strcmp(format, "png") ? "%.200s.%s" : "%.200s-%%05d.%s", l.name,
             format);
    plan p;
    plan_output(a, model, &p);
    /* What render refuses for these frames (alpha in a GIF, 60 fps in a GIF), hash does too. */
    if ((rc = check_plan(a, &p, model))) {
        cli_unload(&l);
        return rc;
    }
    p.path = NULL;
    progress prog;
    avz_render_options opts;
    size_t first, frames;
    if (!(rc = render_prepare(a, &l, &p, &prog, &opts, &first, &frames))) {
        uint64_t digest = 0;
        avz_error err = {0};
        if ((rc = avz_render_digest(l.scene, l.tl, &opts, &digest, &err))) {
            rc = cli_fail_error(rc, AVZ_EXIT_INPUT, err.msg);
        } else if (a->json) {
            fputs("{\"scene\":", stdout);
            json_string(stdout, l.name);
            fprintf(stdout,
                    ",\"digest\":\"%016" PRIx64 "\",\"first_frame\":%zu,\"frames\":%zu,\"fps\":%d,"
                    "\"width\":%d,\"height\":%d}\n",
                    digest, first, frames, p.fps, p.width, p.height);
        } else {
            printf("%016" PRIx64 "\n", digest);
        }
    }
    cli_unload(&l);
    return rc;
}
