/* attnviz command line: a render in pieces. plan prints the commands any job engine runs,
 * concat joins what they wrote, and render --jobs does both on one machine, its pieces side
 * by side in threads, into a folder of its own beside the output that it removes again. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attnviz/outfile.h"
#include "attnviz/segment.h"
#include "render.h"

#define MAX_JOBS 64

int piece_name(const char *output, unsigned k, unsigned n, char *buf, size_t size) {
    const char *slash = strrchr(output, '/'), *dot = strrchr(output, '.');
    size_t stem = dot && (!slash || dot > slash + 1) ? (size_t)(dot - output) : strlen(output);
    int width = snprintf(NULL, 0, "%u", n);
    int len = snprintf(buf, size, "%.*s-part-%0*u-of-%u%s", (int)stem, output, width, k, n,
                       output + stem);
    return len >= 0 && (size_t)len < size ? 0 : -ENAMETOOLONG;
}

/* ── render --jobs ─────────────────────────────────────────────────────────────────── */

/* The pieces' progress, summed for the one bar. */
typedef struct jobs_progress {
    pthread_mutex_t lock;
    size_t done[MAX_JOBS], total;
    const avz_render_options *whole;
} jobs_progress;

typedef struct job_thread {
    int *failed; /* set (atomically) by the first piece that fails: the others stop */
    const loaded *l;
    avz_render_options opts;
    char path[4096];
    jobs_progress *progress;
    size_t index;
    avz_error err;
    int rc;
    pthread_t thread;
} job_thread;

static void job_progress(void *ctx, size_t done, size_t total) {
    (void)total;
    job_thread *t = ctx;
    jobs_progress *p = t->progress;
    pthread_mutex_lock(&p->lock);
    p->done[t->index] = done;
    size_t sum = 0;
    for (size_t i = 0; i < MAX_JOBS; i++)
        sum += p->done[i];
    p->whole->progress(p->whole->progress_ctx, sum, p->total);
    pthread_mutex_unlock(&p->lock);
}

static void *job_main(void *arg) {
    job_thread *t = arg;
    t->rc = avz_render_video(t->l->scene, t->l->tl, &t->opts, &t->err);
    if (t->rc)
        __atomic_store_n(t->failed, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* err's message, naming each piece as a piece of the output the user asked for rather than
 * as the hidden folder's file: "... for 'DIR/.attnviz-TOKEN.scratch/piece-2.mp4': ..." becomes "...
 * for piece 2 of 4 of 'OUT': ..." (a path too long to be quoted whole stays as it is). */
static void name_pieces(avz_error *err, const char *dir, unsigned jobs, const char *output) {
    char quoted[4200], shown[AVZ_SHORT], text[sizeof err->msg];
    snprintf(quoted, sizeof quoted, "'%s/piece-", dir);
    avz_shorten(shown, sizeof shown, output);
    char *at;
    for (unsigned n = 0; n <= jobs && (at = strstr(err->msg, quoted)); n++) {
        char *number = at + strlen(quoted), *close = strchr(number, '\'');
        unsigned long k = strtoul(number, NULL, 10);
        if (!close)
            return;
        snprintf(text, sizeof text, "%.*spiece %lu of %u of '%s'%s", (int)(at - err->msg), err->msg,
                 k, jobs, shown, close + 1);
        snprintf(err->msg, sizeof err->msg, "%s", text);
    }
}

int render_jobs(const loaded *l, const avz_render_options *opts, unsigned jobs, avz_error *err) {
    avz_scratch *scratch = NULL;
    int rc = avz_scratch_new(opts->path, &scratch, err);
    if (rc)
        return rc;
    const char *dir = avz_scratch_path(scratch);
    job_thread *t = calloc(jobs, sizeof *t);
    jobs_progress summed = {.whole = opts};
    int failed = 0;
    size_t first;
    avz_frame_range(l->tl, opts, &first, &summed.total);
    pthread_mutex_init(&summed.lock, NULL);
    const char *ext = strrchr(opts->path, '.');
    unsigned started = 0;
    rc = t ? 0 : avz_error_set(err, -ENOMEM, "out of memory");
    for (unsigned k = 1; k <= jobs && !rc; k++) {
        job_thread *j = &t[k - 1];
        *j = (job_thread){
            .failed = &failed, .l = l, .opts = *opts, .progress = &summed, .index = k - 1};
        j->opts.stop = &failed;
        snprintf(j->path, sizeof j->path, "%.4000s/piece-%u%.16s", dir, k, ext);
        j->opts.path = j->path;
        j->opts.segment = k;
        j->opts.segments = jobs;
        j->opts.chapters_path = NULL; /* the joined video's, written by concat ... */
        j->opts.audio.path = NULL;    /* ... which also lays the soundtrack under it */
        j->opts.progress = opts->progress ? job_progress : NULL;
        j->opts.progress_ctx = j;
        if (pthread_create(&j->thread, NULL, job_main, j))
            rc = avz_error_set(err, -EAGAIN, "cannot start the render of piece %u", k);
        else
            started++;
    }
    if (rc) /* a piece could not start: stop those that did */
        __atomic_store_n(&failed, 1, __ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i].thread, NULL);
    /* The first piece's failure that is not merely its being stopped, else the first. */
    for (unsigned i = 0; i < started && !rc; i++)
        if (t[i].rc && t[i].rc != -EINTR)
            rc = avz_error_set(err, t[i].rc, "%s", t[i].err.msg);
    for (unsigned i = 0; i < started && !rc; i++)
        if (t[i].rc)
            rc = avz_error_set(err, t[i].rc, "%s", t[i].err.msg);
    if (!rc) {
        const char *paths[MAX_JOBS];
        for (unsigned i = 0; i < jobs; i++)
            paths[i] = t[i].path;
        rc = avz_concat(paths, jobs, opts->path, opts->chapters_path, &opts->audio, err);
    }
    if (rc && err)
        name_pieces(err, dir, jobs, opts->path);
    avz_scratch_free(scratch);
    pthread_mutex_destroy(&summed.lock);
    free(t);
    return rc;
}

/* ── plan ──────────────────────────────────────────────────────────────────────────── */

/* An argv: at most every option twice (name and value) and the pieces. */
typedef struct command {
    const char *argv[2 * (4 * CLI_MAX_SETTINGS) + AVZ_SEGMENTS_MAX + 16];
    size_t argc;
} command;

static void push(command *c, const char *arg) {
    if (c->argc < sizeof c->argv / sizeof c->argv[0])
        c->argv[c->argc++] = arg;
}

/* What concat takes of plan's options: the joined video's chapters, soundtrack, overwriting. */
static bool for_concat(enum option_id id) {
    return id == OPT_CHAPTERS || id == OPT_AUDIO || id == OPT_AUDIO_FADE ||
           id == OPT_AUDIO_OFFSET || id == OPT_AUDIO_VOLUME || id == OPT_NO_OVERWRITE;
}

/* What plan hands on to each render: everything but what belongs to plan or to concat. */
static bool passed_on(enum option_id id) {
    return id != OPT_OUTPUT && id != OPT_SEGMENTS && id != OPT_JSON && id != OPT_FORMAT &&
           !for_concat(id); /* --format: the pieces' names carry the extension */
}

/* Single-quoted for a POSIX shell unless it needs none. */
static void put_shell_word(FILE *f, const char *word) {
    if (*word && strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                              "_-+=/.,:@%") == strlen(word)) {
        fputs(word, f);
        return;
    }
    fputc('\'', f);
    for (const char *c = word; *c; c++)
        if (*c == '\'')
            fputs("'\\''", f);
        else
            fputc(*c, f);
    fputc('\'', f);
}

static void put_command(FILE *f, const command *c, bool json) {
    for (size_t i = 0; i < c->argc; i++) {
        if (json) {
            fputs(i ? "," : "[", f);
            json_string(f, c->argv[i]);
        } else {
            if (i)
                fputc(' ', f);
            put_shell_word(f, c->argv[i]);
        }
    }
    fputs(json ? "]" : "\n", f);
}

typedef struct piece_plan {
    char file[4096], segment[24];
    size_t first, frames;
} piece_plan;

static void render_command(const cli_args *a, const piece_plan *p, command *c) {
    c->argc = 0;
    push(c, "attnviz");
    push(c, "render");
    push(c, a->operand);
    for (size_t i = 0; i < a->applied_count; i++) {
        const cli_option *o = a->applied[i].option;
        if (!passed_on(o->id))
            continue;
        push(c, o->name);
        if (o->value)
            push(c, a->applied[i].value);
    }
    push(c, "--segment");
    push(c, p->segment);
    push(c, "-o");
    push(c, p->file);
}

static void concat_command(const cli_args *a, const piece_plan *pieces, unsigned n,
                           const char *output, command *c) {
    c->argc = 0;
    push(c, "attnviz");
    push(c, "concat");
    for (unsigned k = 0; k < n; k++)
        push(c, pieces[k].file);
    push(c, "-o");
    push(c, output);
    for (size_t i = 0; i < a->applied_count; i++) {
        const cli_option *o = a->applied[i].option; /* and how much to say, as the renders */
        if (!for_concat(o->id) && o->id != OPT_QUIET && o->id != OPT_VERBOSE)
            continue;
        push(c, o->name);
        if (o->value)
            push(c, a->applied[i].value);
    }
}

static int print_plan(const cli_args *a, const loaded *l, const char *output,
                      const piece_plan *pieces, unsigned n, size_t first, size_t frames, int fps) {
    command *c = malloc(sizeof *c);
    if (!c)
        return cli_fail(AVZ_EXIT_FAILURE, "out of memory");
    if (a->json) {
        fputs("{\"scene\":", stdout);
        json_string(stdout, l->name);
        fputs(",\"output\":", stdout);
        json_string(stdout, output);
        printf(",\"segments\":%u,\"first_frame\":%zu,\"frames\":%zu,\"fps\":%d,\"pieces\":[", n,
               first, frames, fps);
        for (unsigned k = 0; k < n; k++) {
            printf("%s{\"segment\":%u,\"first_frame\":%zu,\"frames\":%zu,\"file\":", k ? "," : "",
                   k + 1, pieces[k].first, pieces[k].frames);
            json_string(stdout, pieces[k].file);
            fputs(",\"argv\":", stdout);
            render_command(a, &pieces[k], c);
            put_command(stdout, c, true);
            fputc('}', stdout);
        }
        fputs("],\"concat\":{\"argv\":", stdout);
        concat_command(a, pieces, n, output, c);
        put_command(stdout, c, true);
        fputs("}}\n", stdout);
    } else {
        for (unsigned k = 0; k < n; k++) {
            render_command(a, &pieces[k], c);
            put_command(stdout, c, false);
        }
        concat_command(a, pieces, n, output, c);
        put_command(stdout, c, false);
    }
    free(c);
    return 0;
}

int cmd_plan(cli_args *a) {
    if (!a->operand)
        return cli_fail(AVZ_EXIT_USAGE, "which scene? (see 'attnviz list')");
    if (!a->segments)
        return cli_fail(AVZ_EXIT_USAGE, "plan needs --segments N, the number of pieces");
    char fallback[512];
    if (!a->output)
        render_default_output(a, fallback, sizeof fallback);
    const char *output = a->output ? a->output : fallback;
    if (a->format && a->output)
        return cli_fail(AVZ_EXIT_USAGE, "--format goes without -o; otherwise -o's extension "
                                        "chooses");
    if (!avz_output_joins(output))
        return cli_fail(AVZ_EXIT_USAGE,
                        "only .mp4, .webm and .mov join without re-encoding, not \"%s\"", output);
    plan p;
    plan_output(a, output, &p);
    int rc = check_plan(a, &p, output);
    rc = rc ? rc : cli_check_name(output);
    if (rc)
        return rc;
    loaded l;
    rc = cli_load(a, &l);
    if (rc)
        return rc;
    progress prog;
    avz_render_options opts;
    size_t first, frames;
    piece_plan *pieces = calloc(a->segments, sizeof *pieces);
    rc = pieces ? render_prepare(a, &l, &p, &prog, &opts, &first, &frames)
                : cli_fail(AVZ_EXIT_FAILURE, "out of memory");
    for (unsigned k = 1; k <= a->segments && !rc; k++) {
        piece_plan *pp = &pieces[k - 1];
        size_t begin, end;
        avz_error err = {0};
        if (avz_segment_bounds(l.tl, p.fps, first, frames, k, a->segments, &begin, &end, &err))
            rc = cli_fail(AVZ_EXIT_USAGE, "--segments %s: %s", l.name, err.msg);
        else if (piece_name(output, k, a->segments, pp->file, sizeof pp->file))
            rc = cli_fail(AVZ_EXIT_USAGE, "-o %s is too long a name for its pieces", output);
        else
            rc = cli_check_name(pp->file);
        if (rc)
            break;
        pp->first = begin;
        pp->frames = end - begin;
        snprintf(pp->segment, sizeof pp->segment, "%u/%u", k, a->segments);
    }
    if (!rc)
        rc = print_plan(a, &l, output, pieces, a->segments, first, frames, p.fps);
    free(pieces);
    cli_unload(&l);
    return rc;
}

/* ── concat ────────────────────────────────────────────────────────────────────────── */

int cmd_concat(cli_args *a) {
    if (!a->input_count)
        return cli_fail(AVZ_EXIT_USAGE, "concat needs the pieces to join (see 'attnviz help "
                                        "concat')");
    if (!a->output)
        return cli_fail(AVZ_EXIT_USAGE, "concat needs -o FILE, the joined video");
    if (!avz_output_joins(a->output))
        return cli_fail(AVZ_EXIT_USAGE, "concat writes .mp4, .webm or .mov, not \"%s\"", a->output);
    int rc = cli_check_output(a, a->output);
    if (rc)
        return rc;
    progress prog;
    progress_start(&prog, "concat");
    avz_error err = {0};
    const avz_audio_options audio = {.path = a->audio,
                                     .fade = a->audio_fade,
                                     .offset = a->audio_offset,
                                     .volume_db = a->audio_volume};
    if (a->audio && (rc = avz_audio_check(&audio, &err)))
        return cli_fail_error(rc, AVZ_EXIT_INPUT, err.msg);
    if ((rc = avz_concat(a->inputs, a->input_count, a->output, a->chapters, &audio, &err)))
        return cli_fail_error(rc, AVZ_EXIT_INPUT, err.msg);
    double el = progress_seconds(&prog);
    cli_wrote(a, "wrote %s: %zu pieces joined in %.1f s", a->output, a->input_count, el);
    if (a->json) {
        fputs("{\"file\":", stdout);
        json_string(stdout, a->output);
        printf(",\"pieces\":%zu,\"wall\":%.3f}\n", a->input_count, el);
    }
    return 0;
}
