/* attnviz concat: joins the pieces of a segmented render (segment.h) by stream copy. Each
 * piece's packets go into the output unchanged, their timestamps moved by the piece's first
 * frame; its chapters are moved the same way, and a phase that spans a seam becomes one
 * chapter again. Depends on libavformat and the video kinds' containers (libav.c). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attnviz/cancel.h"
#include "attnviz/segment.h"
#include "attnviz/version.h"
#include "libav.h"
#include "soundtrack.h"

typedef struct piece {
    const char *path;
    char shown[AVZ_SHORT];
    AVFormatContext *in;
    int stream;     /* the video's; a chapter track may come beside it */
    AVPacket *head; /* its first packet, read ahead for ... */
    int64_t delay;  /* ... how many frames its decoding starts before its first frame */
    unsigned k, n;
    size_t first, count;             /* its frames in the whole video */
    size_t range_first, range_count; /* the whole render's */
    size_t total;                    /* the whole video's */
    int fps;
    const char *version, *scene, *job;
} piece;

static const char *tag(const AVFormatContext *in, const char *key) {
    const AVDictionaryEntry *e = av_dict_get(in->metadata, key, NULL, 0);
    return e ? e->value : NULL;
}

/* Opens a piece and reads what it says of itself. */
static int piece_open(piece *p, const char *path, avz_error *err) {
    *p = (piece){.path = path};
    avz_shorten(p->shown, sizeof p->shown, path);
    int ret = avformat_open_input(&p->in, path, NULL, NULL);
    if (ret < 0)
        return avz_error_set(err, avz_errno_of(ret), "cannot read '%s': %s", p->shown,
                             av_err2str(ret));
    const char *segment = tag(p->in, AVZ_TAG_SEGMENT), *frames = tag(p->in, AVZ_TAG_FRAMES),
               *range = tag(p->in, AVZ_TAG_RANGE), *fps = tag(p->in, AVZ_TAG_FPS);
    char end;
    if (!segment || !frames || !range || !fps ||
        sscanf(segment, "%u/%u%c", &p->k, &p->n, &end) != 2 ||
        sscanf(frames, "%zu %zu%c", &p->first, &p->count, &end) != 2 ||
        sscanf(range, "%zu %zu %zu%c", &p->range_first, &p->range_count, &p->total, &end) != 3 ||
        sscanf(fps, "%d%c", &p->fps, &end) != 1 || p->fps < 1 || p->k < 1 || p->k > p->n ||
        p->count == 0)
        return avz_error_set(err, -EINVAL,
                             "'%s' is not a piece of a segmented render (render --segment K/N)",
                             p->shown);
    p->version = tag(p->in, AVZ_TAG_VERSION);
    p->scene = tag(p->in, AVZ_TAG_SCENE);
    p->job = tag(p->in, AVZ_TAG_JOB);
    p->version = p->version ? p->version : "?";
    p->scene = p->scene ? p->scene : "?";
    p->job = p->job ? p->job : "";
    p->stream = av_find_best_stream(p->in, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (p->stream < 0)
        return avz_error_set(err, -EINVAL, "'%s' holds no video", p->shown);
    if (!(p->head = av_packet_alloc()))
        return avz_error_set(err, -ENOMEM, "out of memory");
    while ((ret = av_read_frame(p->in, p->head)) >= 0 && p->head->stream_index != p->stream)
        av_packet_unref(p->head);
    if (ret < 0)
        return avz_error_set(err, avz_errno_of(ret), "cannot read '%s': %s", p->shown,
                             av_err2str(ret));
    if (p->head->dts != AV_NOPTS_VALUE && p->head->dts < 0)
        p->delay = -av_rescale_q_rnd(p->head->dts, p->in->streams[p->stream]->time_base,
                                     (AVRational){1, p->fps}, AV_ROUND_NEAR_INF);
    return 0;
}

static int by_segment(const void *a, const void *b) {
    const piece *p = a, *q = b;
    return p->k < q->k ? -1 : p->k > q->k;
}

static const char *alpha_mode(const AVStream *st) {
    const AVDictionaryEntry *e = av_dict_get(st->metadata, "alpha_mode", NULL, 0);
    return e ? e->value : "";
}

static bool same_encoding(const AVStream *sa, const AVStream *sb) {
    const AVCodecParameters *a = sa->codecpar, *b = sb->codecpar;
    return a->codec_id == b->codec_id && a->codec_tag == b->codec_tag && a->format == b->format &&
           a->profile == b->profile && a->color_primaries == b->color_primaries &&
           a->color_trc == b->color_trc && a->color_space == b->color_space &&
           a->color_range == b->color_range && !strcmp(alpha_mode(sa), alpha_mode(sb)) &&
           a->width == b->width && a->height == b->height &&
           a->extradata_size == b->extradata_size &&
           (!a->extradata_size || !memcmp(a->extradata, b->extradata, (size_t)a->extradata_size));
}

static bool same_render(const piece *p, const piece *q) {
    return !strcmp(p->version, q->version) && !strcmp(p->scene, q->scene) && p->n == q->n &&
           !strcmp(p->job, q->job) && p->fps == q->fps && p->range_first == q->range_first &&
           p->range_count == q->range_count && p->total == q->total;
}

/* The pieces, sorted by segment, make one render: one line naming the first that does not.
 * The render is the one most of them belong to, so that the odd one out is the one named. */
static int check_pieces(piece *p, size_t count, const avz_output *kind, avz_error *err) {
    qsort(p, count, sizeof *p, by_segment);
    const piece *ref = &p[0];
    size_t best = 0;
    for (size_t i = 0; i < count; i++) {
        size_t alike = 0;
        for (size_t j = 0; j < count; j++)
            alike += same_render(&p[i], &p[j]);
        if (alike > best) {
            best = alike;
            ref = &p[i];
        }
    }
    for (size_t i = 0; i < count; i++) {
        const piece *q = &p[i];
        if (avz_output_for(q->path) != kind)
            return avz_error_set(err, -EINVAL, "'%s' is not a %s like the output", q->shown,
                                 kind->name);
        if (strcmp(q->version, AVZ_VERSION) != 0)
            return avz_error_set(err, -EINVAL, "'%s' was rendered by attnviz %s; this is %s",
                                 q->shown, q->version, AVZ_VERSION);
        if (strcmp(q->scene, ref->scene) != 0)
            return avz_error_set(err, -EINVAL, "'%s' is of the scene %s, not %s like '%s'",
                                 q->shown, q->scene, ref->scene, ref->shown);
        if (q->n != ref->n)
            return avz_error_set(err, -EINVAL, "'%s' is segment %u of %u, not of %u like '%s'",
                                 q->shown, q->k, q->n, ref->n, ref->shown);
        if (strcmp(q->job, ref->job) != 0 || q->fps != ref->fps ||
            q->range_first != ref->range_first || q->range_count != ref->range_count ||
            q->total != ref->total)
            return avz_error_set(err, -EINVAL, "'%s' was rendered with other flags than '%s'",
                                 q->shown, ref->shown);
        if (!same_encoding(q->in->streams[q->stream], ref->in->streams[ref->stream]))
            return avz_error_set(err, -EINVAL, "'%s' is encoded differently from '%s'", q->shown,
                                 ref->shown);
        if (i > 0 && q->k == p[i - 1].k)
            return avz_error_set(err, -EINVAL, "'%s' repeats segment %u of %u ('%s')", q->shown,
                                 q->k, q->n, p[i - 1].shown);
    }
    for (unsigned k = 1, i = 0; k <= ref->n; k++, i++)
        if (i >= count || p[i].k != k)
            return avz_error_set(err, -EINVAL, "segment %u of %u is missing", k, ref->n);
    size_t next = ref->range_first;
    for (size_t i = 0; i < count; i++) {
        if (p[i].first != next && i == 0)
            return avz_error_set(err, -EINVAL, "'%s' does not start where the render does",
                                 p[i].shown);
        if (p[i].first != next)
            return avz_error_set(err, -EINVAL, "'%s' does not start where segment %u ends",
                                 p[i].shown, p[i].k - 1);
        next += p[i].count;
    }
    if (next != ref->range_first + ref->range_count)
        return avz_error_set(err, -EINVAL, "'%s' does not end where the render does",
                             p[count - 1].shown);
    return 0;
}

/* Every piece's chapters on the whole video's frame grid (they were written on the piece's),
 * a phase cut by a seam joined again. titles point into the pieces' metadata. */
static avz_chapter *join_chapters(const piece *p, size_t count, size_t *out_count) {
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += p[i].in->nb_chapters;
    avz_chapter *ch = calloc(total ? total : 1, sizeof *ch);
    int64_t *end_frame = calloc(total ? total : 1, sizeof *end_frame); /* in the render */
    if (!ch || !end_frame) {
        free(ch);
        free(end_frame);
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const int fps = p[i].fps;
        const int64_t offset = (int64_t)(p[i].first - p[i].range_first);
        for (unsigned c = 0; c < p[i].in->nb_chapters; c++) {
            const AVChapter *a = p[i].in->chapters[c];
            const AVDictionaryEntry *title = av_dict_get(a->metadata, "title", NULL, 0);
            int64_t from = llround(a->start * av_q2d(a->time_base) * fps) + offset,
                    to = llround(a->end * av_q2d(a->time_base) * fps) + offset;
            const char *name = title ? title->value : "";
            if (!n || strcmp(ch[n - 1].title, name) || end_frame[n - 1] != from)
                ch[n++] = (avz_chapter){name, (double)from / fps, 0};
            end_frame[n - 1] = to;
            ch[n - 1].end = (double)to / fps;
        }
    }
    free(end_frame);
    *out_count = n;
    return ch;
}

/* The output's one stream, as the pieces' (and a render's) is. */
static int add_stream(AVFormatContext *out, const piece *ref) {
    const AVStream *in = ref->in->streams[ref->stream];
    AVStream *st = avformat_new_stream(out, NULL);
    if (!st)
        return AVERROR(ENOMEM);
    int ret = avcodec_parameters_copy(st->codecpar, in->codecpar);
    if (ret < 0)
        return ret;
    st->time_base = (AVRational){1, ref->fps};
    st->avg_frame_rate = (AVRational){ref->fps, 1};
    /* WebM's alpha is a track flag the demuxer reports as this tag. */
    const AVDictionaryEntry *alpha = av_dict_get(in->metadata, "alpha_mode", NULL, 0);
    return alpha ? av_dict_set(&st->metadata, "alpha_mode", alpha->value, 0) : 0;
}

/* Copies a piece's packets, on the whole render's frame grid; each frame once, the soundtrack
 * (if any) muxed up to the frames copied. Decoding starts `delay` frames early in every
 * piece, so that decode times keep rising across a seam where a piece without reordered
 * frames meets one with them. */
static int copy_packets(AVFormatContext *out, const char *out_shown, const piece *p, int64_t delay,
                        AVPacket *pkt, avz_soundtrack *audio, avz_error *err) {
    const AVRational frame = {1, p->fps}, in_tb = p->in->streams[p->stream]->time_base;
    const int64_t offset = (int64_t)(p->first - p->range_first);
    const enum AVRounding round = AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX;
    size_t frames = 0;
    int ret = 0;
    for (bool head = true; head || (ret = av_read_frame(p->in, pkt)) >= 0; head = false) {
        if (head)
            av_packet_move_ref(pkt, p->head);
        if (pkt->stream_index != p->stream) {
            av_packet_unref(pkt);
            continue;
        }
        if (avz_cancelled()) {
            av_packet_unref(pkt);
            return avz_error_set(err, -EINTR, "interrupted; no file written");
        }
        pkt->stream_index = 0;
        pkt->pos = -1;
        if (pkt->pts != AV_NOPTS_VALUE)
            pkt->pts = av_rescale_q_rnd(pkt->pts, in_tb, frame, round) + offset;
        if (pkt->dts != AV_NOPTS_VALUE)
            pkt->dts =
                av_rescale_q_rnd(pkt->dts, in_tb, frame, round) + offset - (delay - p->delay);
        pkt->duration = 1;
        av_packet_rescale_ts(pkt, frame, out->streams[0]->time_base);
        frames++;
        if ((ret = av_interleaved_write_frame(out, pkt)) < 0)
            return avz_error_set(err, avz_errno_of(ret), "cannot write '%s' (at '%s'): %s",
                                 out_shown, p->shown, av_err2str(ret));
        double copied = (double)(p->first - p->range_first + frames) / p->fps;
        if (audio && (ret = avz_soundtrack_mux_until(audio, copied, err)))
            return ret;
    }
    if (ret != AVERROR_EOF)
        return avz_error_set(err, avz_errno_of(ret), "cannot read '%s': %s", p->shown,
                             av_err2str(ret));
    if (frames != p->count)
        return avz_error_set(err, -EINVAL, "'%s' holds %zu frames, not the %zu it names", p->shown,
                             frames, p->count);
    return 0;
}

/* Writes the joined video into tmp (the chapters' titles live in the pieces, open till now). */
static int join(piece *p, size_t count, const avz_output *kind, const char *output, const char *tmp,
                avz_outset *files, const char *chapters_path, const avz_audio_options *audio,
                avz_error *err) {
    char shown[AVZ_SHORT];
    avz_shorten(shown, sizeof shown, output);
    const avz_av_format *f = kind->container;
    AVFormatContext *out = NULL;
    AVPacket *pkt = av_packet_alloc();
    size_t chapter_count = 0;
    avz_chapter *chapters = join_chapters(p, count, &chapter_count);
    int ret = pkt && chapters ? avformat_alloc_output_context2(&out, NULL, f->muxer, tmp)
                              : AVERROR(ENOMEM);
    if (ret >= 0) {
        out->flags |= AVFMT_FLAG_BITEXACT;
        ret = add_stream(out, &p[0]);
    }
    if (ret >= 0 && f->chapters)
        ret = avz_av_add_chapters(out, chapters, chapter_count);
    avz_soundtrack *track = NULL;
    const double fps = p[0].fps, start = (double)p[0].range_first / fps;
    if (ret >= 0 && audio && audio->path &&
        ((ret = avz_soundtrack_open(audio, start, (double)p[0].total / fps, &track, err)) ||
         (ret = avz_soundtrack_add_stream(track, out, f->audio_encoder, err)))) {
        avz_soundtrack_free(track);
        avformat_free_context(out);
        av_packet_free(&pkt);
        free(chapters);
        return ret;
    }
    if (ret >= 0)
        ret = avio_open(&out->pb, tmp, AVIO_FLAG_WRITE);
    if (ret >= 0)
        ret = avz_av_write_header(out, f);
    bool header = ret >= 0;
    if (ret < 0)
        ret =
            avz_error_set(err, avz_errno_of(ret), "cannot start '%s': %s", shown, av_err2str(ret));
    int64_t delay = 0;
    for (size_t i = 0; i < count; i++)
        delay = p[i].delay > delay ? p[i].delay : delay;
    for (size_t i = 0; i < count && ret >= 0; i++)
        ret = copy_packets(out, shown, &p[i], delay, pkt, track, err);
    if (ret >= 0 && track)
        ret = avz_soundtrack_mux_end(track, (double)p[0].range_count / fps, err);
    if (header) {
        int done = av_write_trailer(out);
        if (ret >= 0 && done < 0)
            ret = avz_error_set(err, avz_errno_of(done), "cannot finish '%s': %s", shown,
                                av_err2str(done));
    }
    if (out && out->pb) {
        int closed = avio_closep(&out->pb);
        if (ret >= 0 && closed < 0)
            ret = avz_error_set(err, avz_errno_of(closed), "cannot write '%s': %s", shown,
                                av_err2str(closed));
    }
    if (ret >= 0 && chapters_path)
        ret = avz_vtt_add(files, chapters_path, chapters, chapter_count, err);
    avz_soundtrack_free(track);
    avformat_free_context(out);
    av_packet_free(&pkt);
    free(chapters);
    return ret < 0 ? ret : 0;
}

int avz_concat(const char *const *paths, size_t count, const char *output,
               const char *chapters_path, const avz_audio_options *audio, avz_error *err) {
    char shown[AVZ_SHORT];
    avz_shorten(shown, sizeof shown, output);
    const avz_output *kind = avz_output_for(output);
    if (!kind || !kind->container)
        return avz_error_set(err, -EINVAL, "concat writes .mp4, .webm or .mov, not '%s'", shown);
    if (count == 0)
        return avz_error_set(err, -EINVAL, "no pieces to join");
    if (count > AVZ_SEGMENTS_MAX)
        return avz_error_set(err, -EINVAL, "%zu pieces; at most %d", count, AVZ_SEGMENTS_MAX);
    if (chapters_path && strcasecmp(avz_extension_of(chapters_path), ".vtt") != 0)
        return avz_error_set(err, -EINVAL, "chapters file '%s' must end in .vtt",
                             avz_shorten(shown, sizeof shown, chapters_path));
    avz_av_quiet();
    piece *p = calloc(count, sizeof *p);
    if (!p)
        return avz_error_set(err, -ENOMEM, "out of memory");
    int ret = 0;
    for (size_t i = 0; i < count && !ret; i++)
        ret = piece_open(&p[i], paths[i], err);
    ret = ret ? ret : check_pieces(p, count, kind, err);
    avz_outset *files = NULL;
    int fd;
    const char *tmp = NULL;
    if (!ret && (ret = avz_outset_new(&files)))
        avz_error_set(err, ret, "out of memory");
    ret = ret ? ret : avz_outset_add(files, output, &fd, &tmp, err);
    ret = ret ? ret : join(p, count, kind, output, tmp, files, chapters_path, audio, err);
    ret = ret ? ret : avz_outset_commit(files, err);
    avz_outset_free(files);
    for (size_t i = 0; i < count; i++) {
        av_packet_free(&p[i].head);
        avformat_close_input(&p[i].in);
    }
    free(p);
    return ret;
}
