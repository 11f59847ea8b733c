/* attnviz pipeline: parallel frame workers, an ordered writer, a bounded queue between them.
 * Depends on timeline (sampling), draw (cairo) and sink (conversion and encoding). */
#include "attnviz/pipeline.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attnviz/cancel.h"
#include "attnviz/draw.h"
#include "attnviz/limits.h"
#include "attnviz/png.h"
#include "attnviz/segment.h"
#include "attnviz/version.h"
#include "sink.h"
#include "timeline_internal.h"

/* A worker's stack, fixed rather than inherited from `ulimit -s`: enough for cairo and pixman
 * (which keep their scratch buffers on the stack), and no more address space than that. */
#define WORKER_STACK (2u << 20)
/* Slots per worker: enough to keep workers busy while the encoder digests a slow frame. */
#define SLOTS_PER_WORKER 2
#define MAX_WORKERS 64
/* A GIF's palette is counted from a frame every tenth of a second: at 50 fps, a fifth of the
 * first pass, and the same quality within 0.2 dB (bench/palette, README "Encoders"). */
#define PALETTE_FRAMES_PER_SECOND 10
/* Frames a worker draws in a row for an output that encodes each frame against the one before
 * (GIF): a run's first frame is encoded against one more drawn before it, so 1/16 more drawing,
 * and the queue holds 16 times the frames (compressed ones, small). */
#define RUN_FRAMES 16

typedef enum slot_status { SLOT_FREE, SLOT_BUSY, SLOT_READY } slot_status;

typedef struct slot {
    size_t index;
    slot_status status;
    bool repeat; /* same picture as the frame before it */
    avz_frame *frame;
} slot;

typedef struct job {
    const avz_scene *scene;
    const avz_timeline *tl;
    const avz_render_options *opts;
    avz_sink *sink;
    avz_limits_request plan; /* workers and encoder settings, held within opts->memory */
    size_t first;            /* index of the first frame in the whole video */
    size_t frame_count;      /* frames in this render */
    size_t step;             /* of the video's frames, this pass takes every step-th */
    size_t run;              /* frames a worker takes at once: 1, or RUN_FRAMES */
    size_t progress_done, progress_total; /* for the callback, over every pass */
    pthread_mutex_t lock;
    /* Each side waits on its own condition and wakes one thread where one can go on: on a
     * single one, each frame woke every thread (10,400 voluntary context switches in a 480p
     * preview against 8,900 now, most of the rest x264's). */
    pthread_cond_t slot_freed;  /* workers wait for a slot */
    pthread_cond_t frame_ready; /* the writer waits for the next frame */
    slot *slots;
    size_t slot_count;
    size_t next;     /* next frame index to hand to a worker */
    size_t consumed; /* frames the writer has taken */
    int failure;     /* first worker error; stops everyone */
} job;

void avz_frame_range(const avz_timeline *tl, const avz_render_options *opts, size_t *first,
                     size_t *count) {
    size_t total = avz_frame_count(avz_timeline_duration(tl), opts->fps);
    size_t begin = avz_frame_count(opts->from, opts->fps);
    size_t end = opts->to > 0 ? avz_frame_count(opts->to, opts->fps) : total;
    end = end < total ? end : total;
    *first = begin;
    *count = end > begin ? end - begin : 0;
    if (opts->segments) {
        size_t a = 0, b = 0;
        avz_error ignored;
        if (avz_segment_bounds(tl, opts->fps, begin, *count, opts->segment, opts->segments, &a, &b,
                               &ignored))
            a = b = begin;
        *first = a;
        *count = b - a;
    }
}

/* The same expression as for the whole video, so a part's frames are the same bytes. */
static double frame_time(const job *j, size_t index) {
    return (double)(j->first + index * j->step) / j->opts->fps;
}

typedef struct worker {
    job *job;
    avz_frame_state *state;
    avz_canvas *canvas;  /* keeps the last picture this worker drew ... */
    avz_converter *conv; /* ... and its conversion, so both redo only what changed */
    pthread_t thread;
} worker;

static bool interrupted(const job *j) {
    return avz_cancelled() || (j->opts->stop && __atomic_load_n(j->opts->stop, __ATOMIC_SEQ_CST));
}

static bool stopped(job *j) {
    return j->failure || interrupted(j);
}

/* Draws frame i into the worker's canvas and converts what changed into dst (NULL: only
 * remembered, as the picture the next frame is encoded against). */
static int draw(worker *w, size_t i, avz_frame *dst) {
    avz_timeline_sample(w->job->scene, w->job->tl, frame_time(w->job, i), w->state);
    avz_damage changed;
    int rc = avz_canvas_update(w->canvas, w->state, &changed);
    int stride;
    const uint8_t *pixels = avz_canvas_pixels(w->canvas, &stride);
    return rc ? rc
              : avz_converter_update(w->conv, pixels, stride, changed.bands, changed.count, dst);
}

/* The end of the frames a worker takes next: [next, end). */
static size_t next_run_end(const job *j) {
    return j->next + j->run < j->frame_count ? j->next + j->run : j->frame_count;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    job *j = w->job;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        /* Frame i may use slot i % n only once the writer has taken frame i - n. */
        while (!stopped(j) && j->next < j->frame_count &&
               next_run_end(j) > j->consumed + j->slot_count)
            pthread_cond_wait(&j->slot_freed, &j->lock);
        if (stopped(j) || j->next >= j->frame_count) {
            /* The writer may wait for a frame no one will draw now, and other workers for a
             * slot: let them see the stop. */
            pthread_cond_broadcast(&j->frame_ready);
            pthread_cond_broadcast(&j->slot_freed);
            pthread_mutex_unlock(&j->lock);
            return NULL;
        }
        size_t first = j->next, end = next_run_end(j);
        j->next = end;
        for (size_t i = first; i < end; i++) {
            slot *sl = &j->slots[i % j->slot_count];
            sl->status = SLOT_BUSY;
            sl->index = i;
        }
        pthread_mutex_unlock(&j->lock);

        /* A run's first frame is encoded against the one before it. */
        int rc = j->run > 1 && first > 0 ? draw(w, first - 1, NULL) : 0;
        bool leave = false;
        for (size_t i = first; i < end && !rc && !leave; i++) {
            slot *sl = &j->slots[i % j->slot_count];
            /* A frame no animation changes is the writer's last picture, sent again. */
            bool repeat =
                i > 0 && avz_timeline_still(j->tl, frame_time(j, i - 1), frame_time(j, i));
            rc = repeat ? 0 : draw(w, i, sl->frame);
            pthread_mutex_lock(&j->lock);
            sl->repeat = repeat;
            sl->status = SLOT_READY;
            if (rc && !j->failure) /* before the writer can take the frame */
                j->failure = rc;
            leave = stopped(j);
            pthread_cond_signal(&j->frame_ready);
            pthread_mutex_unlock(&j->lock);
        }
        if (rc) {
            pthread_mutex_lock(&j->lock);
            if (!j->failure)
                j->failure = rc;
            pthread_cond_broadcast(&j->frame_ready);
            pthread_cond_broadcast(&j->slot_freed);
            pthread_mutex_unlock(&j->lock);
        }
    }
}

static void worker_free(worker *w) {
    avz_canvas_free(w->canvas);
    avz_converter_free(w->conv);
    avz_frame_state_free(w->state);
}

static int worker_init(worker *w, job *j) {
    *w = (worker){.job = j};
    int rc = avz_frame_state_new(j->scene, &w->state);
    rc = rc ? rc : avz_converter_new(j->sink, &w->conv);
    return rc ? rc
              : avz_canvas_new(j->scene, j->opts->width, j->opts->height, j->opts->transparent,
                               &w->canvas);
}

int avz_render_workers(int requested) {
    if (requested > 0)
        return requested < MAX_WORKERS ? requested : MAX_WORKERS;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > MAX_WORKERS ? MAX_WORKERS : (int)cores;
}

/* The writer: takes frames in order and feeds the sink. An unchanged frame is sent again
 * from `last`, which always holds the newest drawn picture. */
static int write_frames(job *j, avz_frame *last, avz_error *err) {
    int rc = 0;
    for (size_t i = 0; i < j->frame_count && !rc; i++) {
        slot *sl = &j->slots[i % j->slot_count];
        pthread_mutex_lock(&j->lock);
        while (!stopped(j) && !(sl->status == SLOT_READY && sl->index == i))
            pthread_cond_wait(&j->frame_ready, &j->lock);
        rc = j->failure;
        if ((!rc && interrupted(j)) || rc == -EINTR) /* a worker's drawing stopped part-way */
            rc = avz_error_set(err, -EINTR, "interrupted; no file written");
        pthread_mutex_unlock(&j->lock);
        if (rc)
            break;
        if (!sl->repeat) {
            avz_frame *drawn = sl->frame;
            sl->frame = last;
            last = drawn;
        }
        rc = avz_sink_write(j->sink, last, err);
        pthread_mutex_lock(&j->lock);
        sl->status = SLOT_FREE;
        j->consumed = i + 1;
        if (rc && !j->failure)
            j->failure = rc;
        if (rc)
            pthread_cond_broadcast(&j->slot_freed);
        else
            pthread_cond_signal(&j->slot_freed); /* one more frame may be started */
        pthread_mutex_unlock(&j->lock);
        if (j->opts->progress)
            j->opts->progress(j->opts->progress_ctx, j->progress_done + i + 1, j->progress_total);
    }
    /* Whatever frame `last` points to now is the writer's to free. */
    avz_frame_free(last);
    return rc;
}

/* Draws frames [first, first + count) of the whole video into an open sink, in order.
 * Neither finishes nor aborts the sink. */
static int run(job *j, avz_error *err) {
    j->next = j->consumed = 0;
    j->failure = 0;
    int nworkers = j->plan.workers;
    j->run = avz_sink_encodes_changes(j->sink) ? RUN_FRAMES : 1;
    j->slot_count = (size_t)nworkers * SLOTS_PER_WORKER * j->run;
    j->slots = calloc(j->slot_count, sizeof *j->slots);
    worker *workers = calloc((size_t)nworkers, sizeof *workers);
    avz_frame *last = NULL;
    int rc = (j->slots && workers) ? 0 : -ENOMEM;
    for (size_t i = 0; i < j->slot_count && !rc; i++)
        rc = avz_sink_frame_new(j->sink, &j->slots[i].frame);
    rc = rc ? rc : avz_sink_frame_new(j->sink, &last);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->slot_freed, NULL);
    pthread_cond_init(&j->frame_ready, NULL);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    int started = 0;
    while (started < nworkers && !rc) {
        rc = worker_init(&workers[started], j);
        if (!rc && pthread_create(&workers[started].thread, &attr, worker_main, &workers[started]))
            rc = -EAGAIN;
        if (rc)
            worker_free(&workers[started]);
        else
            started++;
    }
    pthread_attr_destroy(&attr);
    if (!rc) {
        rc = write_frames(j, last, err);
        last = NULL;
    } else {
        avz_error_set(err, rc, "cannot start the render workers");
    }
    pthread_mutex_lock(&j->lock);
    if (rc && !j->failure)
        j->failure = rc;
    pthread_cond_broadcast(&j->slot_freed);
    pthread_mutex_unlock(&j->lock);
    for (int i = 0; i < started; i++) {
        pthread_join(workers[i].thread, NULL);
        worker_free(&workers[i]);
    }
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->slot_freed);
    pthread_cond_destroy(&j->frame_ready);
    for (size_t i = 0; j->slots && i < j->slot_count; i++)
        avz_frame_free(j->slots[i].frame);
    avz_frame_free(last);
    free(j->slots);
    free(workers);
    j->slots = NULL;

    if (rc) {
        if (rc == -EINTR || interrupted(j))
            rc = avz_error_set(err, -EINTR, "interrupted; no file written");
        else /* a worker that ran out of memory says so */
            avz_error_set(err, rc,
                          rc == -ENOMEM ? "out of memory drawing the frames" : "rendering failed");
    }
    return rc;
}

bool avz_output_known(const char *path) {
    return avz_sink_known(path);
}

int avz_output_best_fps(const char *path, int fps) {
    return avz_sink_best_fps(path, fps);
}

bool avz_output_takes_preset(const char *path) {
    return avz_sink_takes_preset(path);
}

bool avz_output_joins(const char *path) {
    return avz_sink_joins(path);
}

bool avz_output_is_sequence(const char *path) {
    return avz_sink_is_sequence(path);
}

bool avz_output_would_replace(const char *pattern, const char *path) {
    return avz_sink_sequence_names(pattern, path);
}

static avz_sink_options sink_options(const avz_render_options *opts) {
    return (avz_sink_options){.width = opts->width,
                              .height = opts->height,
                              .fps = opts->fps,
                              .crf = opts->crf,
                              .preset = opts->preset,
                              .transparent = opts->transparent,
                              .chapters_path = opts->chapters_path,
                              .audio = opts->audio.path ? &opts->audio : NULL};
}

/* The whole video's length on the frame grid, which a soundtrack fades out at. */
static double whole_seconds(const avz_timeline *tl, int fps) {
    return (double)avz_frame_count(avz_timeline_duration(tl), fps) / fps;
}

int avz_render_check(const avz_render_options *opts, avz_error *err) {
    avz_sink_options so = sink_options(opts);
    return avz_sink_check(opts->path, &so, err);
}

static size_t palette_step(int fps) {
    return fps > PALETTE_FRAMES_PER_SECOND ? (size_t)(fps / PALETTE_FRAMES_PER_SECOND) : 1;
}

/* The frames the palette is counted from: the first of the job's, then every step-th. */
static size_t palette_frames(const job *j) {
    size_t step = palette_step(j->opts->fps);
    return (j->frame_count + step - 1) / step;
}

/* A job over the frames opts selects into output (NULL: no encoder); fails when there are
 * none, or when they cannot be held within opts->memory. */
static int job_init(job *j, const avz_scene *s, const avz_timeline *tl,
                    const avz_render_options *opts, const char *output, bool palette,
                    avz_error *err) {
    *j = (job){.scene = s, .tl = tl, .opts = opts, .step = 1};
    avz_frame_range(tl, opts, &j->first, &j->frame_count);
    j->progress_total = j->frame_count + (palette ? palette_frames(j) : 0);
    if (opts->segments) { /* the segment's own message, rather than "no frames" */
        avz_render_options whole = *opts;
        whole.segments = 0;
        size_t first, count, begin, end;
        avz_frame_range(tl, &whole, &first, &count);
        int rc = avz_segment_bounds(tl, opts->fps, first, count, opts->segment, opts->segments,
                                    &begin, &end, err);
        if (rc)
            return rc;
    }
    if (j->frame_count == 0)
        return avz_error_set(err, -EINVAL, "nothing to render: the range has no frames");
    j->plan = (avz_limits_request){.width = opts->width,
                                   .height = opts->height,
                                   .fps = opts->fps,
                                   .frames = j->frame_count,
                                   .workers = avz_render_workers(opts->workers),
                                   .output = output,
                                   .preset = opts->preset};
    return opts->memory ? avz_limits_fit(&j->plan, opts->memory, err) : 0;
}

/* The GIF's first pass: the colours of one frame in palette_step, for its palette. */
static int choose_palette(job *j, avz_sink *out, avz_error *err) {
    uint32_t palette[256];
    avz_sink_options so = {.width = j->opts->width, .height = j->opts->height, .fps = j->opts->fps};
    int rc = avz_histogram_sink_open(&so, &j->sink, err);
    if (rc)
        return rc;
    size_t frame_count = j->frame_count;
    j->frame_count = palette_frames(j);
    j->step = palette_step(j->opts->fps);
    rc = run(j, err);
    j->progress_done = j->frame_count;
    j->frame_count = frame_count;
    j->step = 1;
    if (!rc && (rc = avz_histogram_palette(j->sink, palette)))
        avz_error_set(err, rc, "out of memory choosing the palette");
    avz_sink_abort(j->sink);
    if (!rc)
        avz_gif_set_palette(out, palette);
    return rc;
}

/* A chapter per phase that has frames in the job, from its first frame to past its last:
 * on the frame grid, so that a part starts with a chapter at 0 and no phase shows up as a
 * sliver because its end falls within the part's first frame. */
static avz_chapter *make_chapters(const job *j, size_t *count) {
    size_t n = avz_timeline_phase_count(j->tl), end = j->first + j->frame_count;
    int fps = j->opts->fps;
    avz_chapter *ch = calloc(n ? n : 1, sizeof *ch);
    if (!ch)
        return NULL;
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        double start = avz_timeline_phase_start(j->tl, i);
        size_t a = avz_frame_count(start, fps);
        size_t b = avz_frame_count(start + avz_timeline_phase_duration(j->tl, i), fps);
        a = a > j->first ? a : j->first;
        b = b < end ? b : end;
        if (a >= b)
            continue;
        ch[(*count)++] = (avz_chapter){avz_timeline_phase_name(j->tl, i),
                                       (double)(a - j->first) / fps, (double)(b - j->first) / fps};
    }
    return ch;
}

/* What a piece says of itself (segment.h): its tags, and the text they point to. */
typedef struct piece_tags {
    avz_tag tags[7];
    char segment[32], frames[48], range[72], fps[16];
} piece_tags;

static void tag_piece(piece_tags *p, const job *j, avz_sink_options *so) {
    const avz_render_options *o = j->opts;
    size_t first = 0, count = 0;
    avz_render_options whole = *o;
    whole.segments = 0;
    avz_frame_range(j->tl, &whole, &first, &count);
    snprintf(p->segment, sizeof p->segment, "%u/%u", o->segment, o->segments);
    snprintf(p->frames, sizeof p->frames, "%zu %zu", j->first, j->frame_count);
    snprintf(p->range, sizeof p->range, "%zu %zu %zu", first, count,
             avz_frame_count(avz_timeline_duration(j->tl), o->fps));
    snprintf(p->fps, sizeof p->fps, "%d", o->fps);
    const avz_tag tags[] = {{AVZ_TAG_SEGMENT, p->segment},  {AVZ_TAG_FRAMES, p->frames},
                            {AVZ_TAG_RANGE, p->range},      {AVZ_TAG_FPS, p->fps},
                            {AVZ_TAG_VERSION, AVZ_VERSION}, {AVZ_TAG_SCENE, o->scene_name},
                            {AVZ_TAG_JOB, o->job}};
    memcpy(p->tags, tags, sizeof tags);
    so->tags = p->tags;
    so->tag_count = sizeof tags / sizeof tags[0];
    for (size_t i = 0; i < so->tag_count; i++)
        if (!p->tags[i].value)
            p->tags[i].value = "";
}

int avz_render_video(const avz_scene *s, const avz_timeline *tl, const avz_render_options *opts,
                     avz_error *err) {
    bool palette = avz_sink_needs_palette(opts->path);
    if (opts->segments && !avz_sink_joins(opts->path))
        return avz_error_set(err, -EINVAL,
                             "segments are for .mp4, .webm and .mov, whose pieces "
                             "join by stream copy; a PNG sequence renders parts with "
                             "--from/--to, a GIF in one piece");
    job j;
    int rc = job_init(&j, s, tl, opts, opts->path, palette, err);
    if (rc)
        return rc;
    size_t chapter_count = 0;
    avz_chapter *chapters = make_chapters(&j, &chapter_count);
    if (!chapters)
        return avz_error_set(err, -ENOMEM, "out of memory");
    avz_sink_options so = sink_options(opts);
    so.chapters = chapters;
    so.chapter_count = chapter_count;
    so.first_number = opts->first_number < 0 ? (long)j.first : opts->first_number;
    so.frame_count = j.frame_count;
    so.encoder_threads = j.plan.encoder_threads;
    so.lookahead = j.plan.lookahead;
    so.audio_start = (double)j.first / opts->fps;
    so.audio_whole = whole_seconds(tl, opts->fps);
    piece_tags tags;
    if (opts->segments)
        tag_piece(&tags, &j, &so);
    avz_sink *out = NULL;
    rc = avz_sink_open(opts->path, &so, &out, err);
    free(chapters);
    if (!rc && palette)
        rc = choose_palette(&j, out, err);
    if (!rc) {
        j.sink = out;
        rc = run(&j, err);
    }
    if (rc) {
        avz_sink_abort(out);
        return rc;
    }
    return avz_sink_finish(out, err);
}

int avz_render_digest(const avz_scene *s, const avz_timeline *tl, const avz_render_options *opts,
                      uint64_t *digest, avz_error *err) {
    job j;
    int rc = job_init(&j, s, tl, opts, NULL, false, err);
    avz_sink_options so = {.width = opts->width, .height = opts->height, .fps = opts->fps};
    rc = rc ? rc : avz_digest_sink_open(&so, &j.sink, err);
    if (rc)
        return rc;
    rc = run(&j, err);
    *digest = avz_sink_digest(j.sink);
    avz_sink_abort(j.sink);
    if (!rc && opts->audio.path)
        rc = avz_soundtrack_digest(&opts->audio, (double)j.first / opts->fps,
                                   (double)j.frame_count / opts->fps, whole_seconds(tl, opts->fps),
                                   digest, err);
    return rc;
}

int avz_render_still(const avz_scene *s, const avz_timeline *tl, double t, const char *path,
                     int width, int height, bool transparent, avz_error *err) {
    avz_frame_state *st = NULL;
    int rc = avz_frame_state_new(s, &st);
    if (rc)
        return avz_error_set(err, rc, "out of memory for the frame's state");
    avz_timeline_sample(s, tl, t, st);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t *cr = cairo_create(surface);
    if ((rc = avz_draw_frame(s, st, cr, width, height, transparent))) {
        avz_error_set(err, rc,
                      rc == -EINTR ? "interrupted; no file written"
                                   : "out of memory drawing the frame");
    } else {
        cairo_surface_flush(surface);
        rc = avz_png_write(path, cairo_image_surface_get_data(surface), width, height,
                           cairo_image_surface_get_stride(surface), err);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    avz_frame_state_free(st);
    return rc;
}
