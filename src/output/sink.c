/* attnviz sinks: the table of output kinds, and what they share: picking one by path, the
 * checks every kind makes, the WebVTT chapters file, and renaming a render's files onto
 * their targets together once every frame is written. Depends on the kinds (output.h) and
 * outfile. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attnviz/settings.h"
#include "output.h"

#define MAX_SIDE 16384
#define MAX_FPS 240

/* The kinds a path can pick, in the order they are tried. */
static const avz_output *const kinds[] = {
    &avz_output_png_sequence, &avz_output_mp4, &avz_output_webm, &avz_output_mov, &avz_output_gif,
};

static const char allowed_outputs[] =
    ".mp4, .webm, .mov, .gif, or a PNG sequence such as frames/%05d.png";

const char *avz_extension_of(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash + 1) ? dot : "";
}

const avz_output *avz_output_for(const char *path) {
    size_t n = sizeof kinds / sizeof kinds[0];
    for (size_t i = 0; i < n; i++)
        if (kinds[i]->claims && kinds[i]->claims(path))
            return kinds[i];
    for (size_t i = 0; i < n; i++)
        if (kinds[i]->extension && strcasecmp(avz_extension_of(path), kinds[i]->extension) == 0)
            return kinds[i];
    return NULL;
}

bool avz_sink_known(const char *path) {
    return avz_output_for(path) != NULL;
}

bool avz_sink_takes_preset(const char *path) {
    const avz_output *kind = avz_output_for(path);
    return kind && kind->takes_preset;
}

bool avz_sink_joins(const char *path) {
    const avz_output *kind = avz_output_for(path);
    return kind && kind->container;
}

bool avz_sink_encodes_changes(const avz_sink *sink) {
    return sink->kind->encodes_changes;
}

bool avz_sink_needs_palette(const char *path) {
    const avz_output *kind = avz_output_for(path);
    return kind && kind->needs_palette;
}

double avz_sink_encoder_memory(const char *path, const avz_sink_options *o) {
    const avz_output *kind = avz_output_for(path);
    return kind && kind->encoder_memory ? kind->encoder_memory(o) : 0;
}

int avz_sink_best_fps(const char *path, int fps) {
    const avz_output *kind = avz_output_for(path);
    return kind && kind->best_fps ? kind->best_fps(fps) : fps;
}

/* What every kind checks: the frame size and rate, and the chapters. */
static int check_options(const char *path, const avz_sink_options *o, avz_error *err) {
    char shown[AVZ_SHORT];
    if (o->width <= 0 || o->height <= 0 || o->width % 2 || o->height % 2 || o->width > MAX_SIDE ||
        o->height > MAX_SIDE)
        return avz_error_set(err, -EINVAL,
                             "video size %dx%d for '%s' is not allowed; width and height must be "
                             "even and between 2 and %d",
                             o->width, o->height, avz_shorten(shown, sizeof shown, path), MAX_SIDE);
    if (o->fps < 1 || o->fps > MAX_FPS)
        return avz_error_set(err, -EINVAL, "frame rate %d for '%s' is not allowed; use 1..%d",
                             o->fps, avz_shorten(shown, sizeof shown, path), MAX_FPS);
    if (o->chapter_count && !o->chapters)
        return avz_error_set(err, -EINVAL, "%zu chapters announced but none given",
                             o->chapter_count);
    for (size_t i = 0; i < o->chapter_count; i++) {
        const avz_chapter *c = &o->chapters[i];
        if (!c->title)
            return avz_error_set(err, -EINVAL, "chapter %zu has no title", i + 1);
        if (!isfinite(c->start) || !isfinite(c->end) || c->start < 0 || c->end <= c->start)
            return avz_error_set(err, -EINVAL,
                                 "chapter %zu '%s' runs from %g s to %g s; it must start at 0 s "
                                 "or later and end after it starts",
                                 i + 1, c->title, c->start, c->end);
    }
    return 0;
}

int avz_sink_check(const char *path, const avz_sink_options *o, avz_error *err) {
    char shown[AVZ_SHORT];
    const avz_output *kind = avz_output_for(path);
    avz_shorten(shown, sizeof shown, path);
    if (!kind)
        return avz_error_set(err, -EINVAL, "unknown output extension '%s' in '%s'; allowed: %s",
                             avz_extension_of(path), shown, allowed_outputs);
    if (o->transparent && !kind->alpha)
        return avz_error_set(err, -EINVAL,
                             "%s cannot carry transparency ('%s'); use .webm, .mov or a PNG "
                             "sequence",
                             kind->name, shown);
    if ((o->crf >= 0 || o->preset) && !kind->takes_preset)
        return avz_error_set(err, -EINVAL,
                             "crf and preset apply to H.264 (.mp4) only, not to %s ('%s')",
                             kind->name, shown);
    if (o->audio && o->audio->path && !kind->sound)
        return avz_error_set(err, -EINVAL,
                             "a soundtrack goes into .mp4, .webm or .mov; %s ('%s') has no sound",
                             kind->name, shown);
    if (o->chapters_path && strcasecmp(avz_extension_of(o->chapters_path), ".vtt") != 0)
        return avz_error_set(err, -EINVAL, "chapters file '%s' must end in .vtt",
                             avz_shorten(shown, sizeof shown, o->chapters_path));
    int ret = kind->check ? kind->check(path, o, err) : 0;
    return ret < 0 ? ret : check_options(path, o, err);
}

int avz_sink_init(avz_sink *s, const avz_output *kind, const char *path, const avz_sink_options *o,
                  avz_error *err) {
    *s = (avz_sink){.kind = kind,
                    .width = o->width,
                    .height = o->height,
                    .fps = o->fps,
                    .transparent = o->transparent,
                    .first_number = o->first_number};
    if (path && (!(s->path = strdup(path)) || avz_outset_new(&s->files)))
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    return 0;
}

void avz_converter_init(avz_converter *c, const avz_sink *s) {
    *c = (avz_converter){.kind = s->kind, .width = s->width, .height = s->height};
}

int avz_frame_alloc(const avz_sink *s, size_t size, avz_frame **out) {
    avz_frame *f = calloc(1, size);
    if (!f)
        return -ENOMEM;
    f->kind = s->kind;
    *out = f;
    return 0;
}

/* ── Chapters as WebVTT ────────────────────────────────────────────────────────────── */

static void vtt_time(FILE *f, double seconds) {
    char text[32];
    avz_vtt_time(text, sizeof text, seconds);
    fputs(text, f);
}

/* Chapter titles are cue text: '&' and '<' must be escaped, and a cue is one line. */
static void vtt_put_title(FILE *f, const char *title) {
    for (const char *c = title; *c; c++) {
        if (*c == '&')
            fputs("&amp;", f);
        else if (*c == '<')
            fputs("&lt;", f);
        else if (*c == '\n' || *c == '\r')
            fputc(' ', f);
        else
            fputc(*c, f);
    }
    fputc('\n', f);
}

int avz_vtt_add(avz_outset *files, const char *path, const avz_chapter *chapters, size_t count,
                avz_error *err) {
    char shown[AVZ_SHORT];
    avz_shorten(shown, sizeof shown, path);
    int fd;
    int ret = avz_outset_add(files, path, &fd, NULL, err);
    if (ret < 0)
        return ret;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return avz_error_set(err, -ENOMEM, "out of memory writing '%s'", shown);
    fputs("WEBVTT\n", f);
    for (size_t i = 0; i < count; i++) {
        fprintf(f, "\n%zu\n", i + 1);
        vtt_time(f, chapters[i].start);
        fputs(" --> ", f);
        vtt_time(f, chapters[i].end);
        fputc('\n', f);
        vtt_put_title(f, chapters[i].title);
    }
    ret = fclose(f) == 0 ? 0 : -ENOMEM;
    if (ret == 0)
        ret = avz_write_all(fd, text, len);
    free(text);
    if (ret < 0)
        return avz_error_set(err, ret, "cannot write '%s': %s", shown, strerror(-ret));
    return avz_outset_close(files, fd, err);
}

/* ── Opening, writing, finishing ───────────────────────────────────────────────────── */

static int open_kind(const avz_output *kind, const char *path, const avz_sink_options *o,
                     avz_sink **out, avz_error *err) {
    *out = NULL;
    avz_sink *s = NULL;
    int ret = kind->open(kind, path, o, &s, err);
    /* Written whole now, so that a bad directory fails before any frame is drawn; it is
     * renamed with the video. */
    if (ret == 0 && o->chapters_path)
        ret = avz_vtt_add(s->files, o->chapters_path, o->chapters, o->chapter_count, err);
    if (ret < 0) {
        avz_sink_abort(s);
        return ret;
    }
    *out = s;
    return 0;
}

int avz_sink_open(const char *path, const avz_sink_options *opts, avz_sink **out, avz_error *err) {
    *out = NULL;
    int ret = avz_sink_check(path, opts, err);
    return ret < 0 ? ret : open_kind(avz_output_for(path), path, opts, out, err);
}

/* A sink without a file, for the whole frame size and rate. */
static int open_fileless(const avz_output *kind, const avz_sink_options *opts, avz_sink **out,
                         avz_error *err) {
    avz_sink_options o = {.width = opts->width, .height = opts->height, .fps = opts->fps};
    int ret = check_options(kind->name, &o, err);
    return ret < 0 ? ret : open_kind(kind, NULL, &o, out, err);
}

int avz_digest_sink_open(const avz_sink_options *opts, avz_sink **out, avz_error *err) {
    return open_fileless(&avz_output_digest, opts, out, err);
}

int avz_histogram_sink_open(const avz_sink_options *opts, avz_sink **out, avz_error *err) {
    return open_fileless(&avz_output_histogram, opts, out, err);
}

int avz_sink_frame_new(const avz_sink *sink, avz_frame **out) {
    *out = NULL;
    return sink->kind->frame_new(sink, out);
}

void avz_frame_free(avz_frame *frame) {
    if (frame)
        frame->kind->frame_free(frame);
}

int avz_converter_new(const avz_sink *sink, avz_converter **out) {
    *out = NULL;
    return sink->kind->converter_new(sink, out);
}

void avz_converter_free(avz_converter *conv) {
    if (conv)
        conv->kind->converter_free(conv);
}

int avz_converter_run(avz_converter *conv, const uint8_t *argb, int stride, avz_frame *dst) {
    const avz_rows all = {0, conv->height};
    return avz_converter_update(conv, argb, stride, &all, 1, dst);
}

int avz_converter_update(avz_converter *conv, const uint8_t *argb, int stride,
                         const avz_rows *changed, size_t count, avz_frame *dst) {
    if (stride < conv->width * 4 || (dst ? dst->kind != conv->kind : !conv->kind->encodes_changes))
        return -EINVAL;
    for (size_t b = 0; b < count; b++)
        if (changed[b].first < 0 || changed[b].end > conv->height)
            return -EINVAL;
    return conv->kind->convert(conv, argb, stride, changed, count, dst);
}

int avz_sink_write(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    int ret = frame->kind == sink->kind
                  ? sink->kind->write(sink, frame, err)
                  : avz_error_set(err, -EINVAL, "a frame of another kind of output");
    if (ret < 0)
        sink->failed = true;
    else
        sink->written++;
    return ret;
}

int avz_sink_finish(avz_sink *sink, avz_error *err) {
    char shown[AVZ_SHORT];
    const char *name = sink->path ? avz_shorten(shown, sizeof shown, sink->path) : sink->kind->name;
    int ret = 0;
    if (sink->failed)
        ret = avz_error_set(err, -EINVAL, "'%s' not written: an earlier frame failed", name);
    else if (sink->written == 0)
        ret = avz_error_set(err, -EINVAL, "'%s' not written: no frames were rendered", name);
    else if (sink->kind->finish)
        ret = sink->kind->finish(sink, err);
    if (ret == 0 && sink->files)
        ret = avz_outset_commit(sink->files, err);
    avz_sink_abort(sink);
    return ret;
}

void avz_sink_abort(avz_sink *sink) {
    if (!sink)
        return;
    avz_outset *files = sink->files;
    char *path = sink->path;
    sink->kind->close(sink); /* frees sink: its encoders must let go of the files first */
    avz_outset_free(files);
    free(path);
}
