/* attnviz outputs through libav: see libav.h. Depends on libavcodec, libavformat and the
 * sink base (output.h). */
#include "libav.h"

#include "attnviz/pipeline.h"

#include "soundtrack.h"

#include <libavutil/pixdesc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int av_fail(const avz_av_stream *a, avz_error *err, int averr, const char *what) {
    char shown[AVZ_SHORT];
    return avz_error_set(err, avz_errno_of(averr), "%s for '%s': %s", what,
                         avz_shorten(shown, sizeof shown, a->path), av_err2str(averr));
}

static bool is_yuv(enum AVPixelFormat fmt) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(fmt);
    return d && !(d->flags & AV_PIX_FMT_FLAG_RGB);
}

/* AVChapter has no public constructor; avformat_free_context frees what we allocate here. */
int avz_av_add_chapters(AVFormatContext *fmt, const avz_chapter *chapters, size_t count) {
    if (!count)
        return 0;
    fmt->chapters = av_calloc(count, sizeof *fmt->chapters);
    if (!fmt->chapters)
        return AVERROR(ENOMEM);
    for (size_t i = 0; i < count; i++) {
        AVChapter *ch = av_mallocz(sizeof *ch);
        if (!ch)
            return AVERROR(ENOMEM);
        fmt->chapters[fmt->nb_chapters++] = ch;
        ch->id = (int64_t)i + 1;
        ch->time_base = (AVRational){1, 1000};
        ch->start = llround(chapters[i].start * 1000);
        ch->end = llround(chapters[i].end * 1000);
        int ret = av_dict_set(&ch->metadata, "title", chapters[i].title, 0);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static int open_encoder(avz_av_stream *a, const avz_av_format *f, enum AVPixelFormat pix_fmt,
                        const avz_sink_options *o, AVDictionary **codec_opts, avz_error *err) {
    char shown[AVZ_SHORT];
    const AVCodec *codec = avcodec_find_encoder_by_name(f->encoder);
    if (!codec)
        return avz_error_set(err, -ENOSYS, "encoder %s for '%s' is not available in libavcodec",
                             f->encoder, avz_shorten(shown, sizeof shown, a->path));
    AVCodecContext *enc = a->enc = avcodec_alloc_context3(codec);
    if (!enc)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'",
                             avz_shorten(shown, sizeof shown, a->path));
    enc->width = o->width;
    enc->height = o->height;
    enc->pix_fmt = pix_fmt;
    enc->time_base = (AVRational){1, o->fps};
    enc->framerate = (AVRational){o->fps, 1};
    enc->sample_aspect_ratio = (AVRational){1, 1};
    if (is_yuv(pix_fmt)) {
        enc->color_primaries = AVCOL_PRI_BT709;
        enc->color_trc = AVCOL_TRC_BT709;
        enc->colorspace = AVCOL_SPC_BT709;
        enc->color_range = AVCOL_RANGE_MPEG;
        enc->chroma_sample_location = AVCHROMA_LOC_LEFT; /* where the converters put chroma */
    }
    enc->thread_count = o->encoder_threads ? o->encoder_threads : AVZ_ENCODER_THREADS;
    enc->flags |= AV_CODEC_FLAG_BITEXACT;
    if (a->fmt->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int ret = avcodec_open2(enc, codec, codec_opts);
    return ret < 0 ? av_fail(a, err, ret, "cannot open the encoder") : 0;
}

int avz_av_open(avz_av_stream *a, const avz_av_format *f, enum AVPixelFormat pix_fmt,
                const char *path, const char *tmp_path, const avz_sink_options *o,
                AVDictionary **codec_opts, avz_error *err) {
    avz_av_quiet();
    char shown[AVZ_SHORT];
    *a = (avz_av_stream){.path = path};
    const AVOutputFormat *ofmt = av_guess_format(f->muxer, NULL, NULL);
    int ret = 0;
    if (!ofmt)
        ret = avz_error_set(err, -ENOSYS, "muxer %s for '%s' is not available in libavformat",
                            f->muxer, avz_shorten(shown, sizeof shown, path));
    else if ((ret = avformat_alloc_output_context2(&a->fmt, ofmt, NULL, tmp_path)) < 0)
        ret = av_fail(a, err, ret, "cannot set up the muxer");
    if (ret == 0) {
        a->fmt->flags |= AVFMT_FLAG_BITEXACT;
        ret = open_encoder(a, f, pix_fmt, o, codec_opts, err);
    }
    av_dict_free(codec_opts);
    if (ret < 0)
        return ret;

    a->send = av_frame_alloc();
    a->pkt = av_packet_alloc();
    a->st = avformat_new_stream(a->fmt, NULL);
    if (!a->send || !a->pkt || !a->st)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'",
                             avz_shorten(shown, sizeof shown, path));
    a->st->time_base = a->enc->time_base;
    a->st->avg_frame_rate = a->enc->framerate;
    if ((ret = avcodec_parameters_from_context(a->st->codecpar, a->enc)) < 0 ||
        (f->chapters && (ret = avz_av_add_chapters(a->fmt, o->chapters, o->chapter_count)) < 0) ||
        (ret = avz_av_set_tags(a->fmt, o->tags, o->tag_count)) < 0)
        return av_fail(a, err, ret, "cannot set up the stream");
    if (o->audio && o->audio->path &&
        ((ret = avz_soundtrack_open(o->audio, o->audio_start, o->audio_whole, &a->audio, err)) ||
         (ret = avz_soundtrack_add_stream(a->audio, a->fmt, f->audio_encoder, err))))
        return ret;
    if ((ret = avio_open(&a->fmt->pb, tmp_path, AVIO_FLAG_WRITE)) < 0)
        return av_fail(a, err, ret, "cannot open the temporary file");
    ret = avz_av_write_header(a->fmt, f);
    a->header_written = ret >= 0;
    return ret < 0 ? av_fail(a, err, ret, "cannot write the header") : 0;
}

int avz_av_set_tags(AVFormatContext *fmt, const avz_tag *tags, size_t count) {
    for (size_t i = 0; i < count; i++) {
        int ret = av_dict_set(&fmt->metadata, tags[i].key, tags[i].value, 0);
        if (ret < 0)
            return ret;
    }
    return 0;
}

int avz_av_write_header(AVFormatContext *fmt, const avz_av_format *f) {
    AVDictionary *mux_opts = NULL;
    int ret = av_dict_parse_string(&mux_opts, f->muxer_opts, "=", ":", 0);
    /* The MP4 muxer writes keys of its own choosing only when told to. */
    if (ret >= 0 && fmt->metadata && (!strcmp(f->muxer, "mp4") || !strcmp(f->muxer, "mov")))
        ret = av_dict_set(&mux_opts, "movflags", "+use_metadata_tags", AV_DICT_APPEND);
    if (ret >= 0)
        ret = avformat_write_header(fmt, &mux_opts);
    av_dict_free(&mux_opts);
    return ret;
}

/* Moves every packet the encoder has ready into the muxer. */
static int drain(avz_av_stream *a, avz_error *err) {
    for (;;) {
        int ret = avcodec_receive_packet(a->enc, a->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return av_fail(a, err, ret, "encoding failed");
        a->pkt->stream_index = a->st->index;
        if (a->pkt->duration == 0)
            a->pkt->duration = 1; /* one frame in the encoder's 1/fps time base */
        av_packet_rescale_ts(a->pkt, a->enc->time_base, a->st->time_base);
        ret = av_interleaved_write_frame(a->fmt, a->pkt);
        if (ret < 0)
            return av_fail(a, err, ret, "cannot write a packet");
    }
}

/* Where frame n starts, in seconds. */
static double seconds_of(const avz_av_stream *a, int64_t n) {
    return (double)n * av_q2d(a->enc->time_base);
}

int avz_av_write(avz_av_stream *a, const AVFrame *f, avz_error *err) {
    char shown[AVZ_SHORT];
    if (f->width != a->enc->width || f->height != a->enc->height || f->format != a->enc->pix_fmt)
        return avz_error_set(
            err, -EINVAL, "frame %dx%d does not match the video size %dx%d of '%s'", f->width,
            f->height, a->enc->width, a->enc->height, avz_shorten(shown, sizeof shown, a->path));
    /* The writer re-sends unchanged frames: a new reference carries this frame's pts, and the
     * caller's frame is left as it was. */
    int ret = av_frame_ref(a->send, f);
    if (ret < 0)
        return av_fail(a, err, ret, "cannot reference a frame");
    a->send->pts = a->next_pts++;
    ret = avcodec_send_frame(a->enc, a->send);
    av_frame_unref(a->send);
    if (ret < 0)
        return av_fail(a, err, ret, "encoding failed");
    if ((ret = drain(a, err)) < 0)
        return ret;
    return a->audio ? avz_soundtrack_mux_until(a->audio, seconds_of(a, a->next_pts), err) : 0;
}

int avz_av_finish(avz_av_stream *a, avz_error *err) {
    int ret = a->audio ? avz_soundtrack_mux_end(a->audio, seconds_of(a, a->next_pts), err) : 0;
    if (ret < 0)
        return ret;
    ret = avcodec_send_frame(a->enc, NULL);
    if (ret < 0)
        return av_fail(a, err, ret, "cannot flush the encoder");
    if ((ret = drain(a, err)) < 0)
        return ret;
    a->header_written = false;
    if ((ret = av_write_trailer(a->fmt)) < 0)
        return av_fail(a, err, ret, "cannot write the trailer");
    if ((ret = avio_closep(&a->fmt->pb)) < 0)
        return av_fail(a, err, ret, "cannot close");
    return 0;
}

void avz_av_close(avz_av_stream *a) {
    if (a->fmt) {
        /* A render given up after its header still owes the trailer: muxers free their queued
         * packets there, into a temporary that is removed. */
        if (a->header_written)
            av_write_trailer(a->fmt);
        avio_closep(&a->fmt->pb);
        avformat_free_context(a->fmt);
    }
    avz_soundtrack_free(a->audio);
    avcodec_free_context(&a->enc);
    av_frame_free(&a->send);
    av_packet_free(&a->pkt);
    *a = (avz_av_stream){0};
}

int avz_av_picture_new(const avz_av_stream *a, bool with_buffer, AVFrame **out) {
    AVFrame *f = av_frame_alloc();
    if (!f)
        return -ENOMEM;
    f->width = a->enc->width;
    f->height = a->enc->height;
    f->format = a->enc->pix_fmt;
    f->color_primaries = a->enc->color_primaries;
    f->color_trc = a->enc->color_trc;
    f->colorspace = a->enc->colorspace;
    f->color_range = a->enc->color_range;
    f->chroma_location = a->enc->chroma_sample_location;
    /* 64: AVX-512 loads in swscale and x264 */
    int ret = with_buffer ? av_frame_get_buffer(f, 64) : 0;
    if (ret < 0) {
        av_frame_free(&f);
        return avz_errno_of(ret);
    }
    *out = f;
    return 0;
}

int avz_av_frame_new(const avz_sink *s, const avz_av_stream *a, bool with_buffer, avz_frame **out) {
    avz_av_frame *f = calloc(1, sizeof *f);
    int ret = f ? avz_av_picture_new(a, with_buffer, &f->av) : -ENOMEM;
    if (ret < 0) {
        free(f);
        return ret;
    }
    f->base.kind = s->kind;
    *out = &f->base;
    return 0;
}

void avz_av_frame_free(avz_frame *frame) {
    avz_av_frame *f = (avz_av_frame *)frame;
    av_frame_free(&f->av);
    free(f);
}
