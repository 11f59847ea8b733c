/* attnviz soundtrack: see soundtrack.h. Depends on libavformat and libavcodec (decoding the
 * file, encoding its span) and libswresample. */
#include "soundtrack.h"

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/hash.h"
#include "avlog.h"

#define CHUNK 4096 /* samples read at a time where nothing else decides */

struct avz_soundtrack {
    char shown[AVZ_SHORT];
    /* The file, decoded and resampled into fifo: source samples [fifo_first, ...). */
    AVFormatContext *in;
    AVCodecContext *dec;
    int stream;
    SwrContext *swr;
    AVPacket *pkt;
    AVFrame *decoded;
    AVAudioFifo *fifo;
    int64_t fifo_first;
    bool drained; /* the decoder and the resampler have given everything */
    /* The whole video's timeline, in samples. */
    int64_t next;   /* the next sample read */
    int64_t offset; /* where the file's first sample plays */
    int64_t end;    /* the whole video's end */
    int64_t fade;   /* the fade-out's length */
    float gain;
    /* The output's encoder and stream. */
    AVFormatContext *out;
    AVCodecContext *enc;
    AVStream *st;
    AVFrame *frame;
    AVPacket *opkt;
    int64_t sent; /* samples given to the encoder */
    float *left, *right;
};

static int fail(const avz_soundtrack *s, avz_error *err, int averr, const char *what) {
    return avz_error_set(err, avz_errno_of(averr), "%s '%s': %s", what, s->shown,
                         av_err2str(averr));
}

int avz_soundtrack_open(const avz_audio_options *o, double start, double whole,
                        avz_soundtrack **out, avz_error *err) {
    avz_av_quiet();
    avz_soundtrack *s = *out = calloc(1, sizeof *s);
    if (!s)
        return avz_error_set(err, -ENOMEM, "out of memory");
    avz_shorten(s->shown, sizeof s->shown, o->path);
    s->next = llround(start * AVZ_AUDIO_RATE);
    s->offset = llround(o->offset * AVZ_AUDIO_RATE);
    s->end = llround(whole * AVZ_AUDIO_RATE);
    s->fade = llround(o->fade * AVZ_AUDIO_RATE);
    s->gain = (float)pow(10, o->volume_db / 20);
    int ret = avformat_open_input(&s->in, o->path, NULL, NULL);
    ret = ret < 0 ? ret : avformat_find_stream_info(s->in, NULL);
    const AVCodec *codec = NULL;
    if (ret >= 0)
        s->stream = av_find_best_stream(s->in, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (ret == AVERROR_INVALIDDATA || (ret >= 0 && (s->stream < 0 || !codec)))
        return avz_error_set(err, -EINVAL, "'%s' holds no audio attnviz can decode", s->shown);
    if (ret < 0)
        return fail(s, err, ret, "cannot read the soundtrack");
    if (!(s->dec = avcodec_alloc_context3(codec)) || !(s->pkt = av_packet_alloc()) ||
        !(s->decoded = av_frame_alloc()) ||
        !(s->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, CHUNK)) ||
        !(s->left = malloc(CHUNK * sizeof *s->left)) ||
        !(s->right = malloc(CHUNK * sizeof *s->right)))
        return avz_error_set(err, -ENOMEM, "out of memory");
    s->dec->flags |= AV_CODEC_FLAG_BITEXACT;
    s->dec->thread_count = 1;
    if ((ret = avcodec_parameters_to_context(s->dec, s->in->streams[s->stream]->codecpar)) < 0 ||
        (ret = avcodec_open2(s->dec, codec, NULL)) < 0)
        return fail(s, err, ret, "cannot decode the soundtrack");
    return 0;
}

/* A file whose stream has no packet at all (a WAV of its header) would only pad the video with
 * silence: most likely a broken export, so it is refused. */
static int has_sound(avz_soundtrack *s, avz_error *err) {
    int ret;
    while ((ret = av_read_frame(s->in, s->pkt)) >= 0) {
        bool ours = s->pkt->stream_index == s->stream && s->pkt->size > 0;
        av_packet_unref(s->pkt);
        if (ours)
            return 0;
    }
    if (ret == AVERROR_EOF)
        return avz_error_set(err, -EINVAL, "'%s' holds no sound", s->shown);
    return fail(s, err, ret, "cannot read the soundtrack");
}

int avz_audio_check(const avz_audio_options *o, avz_error *err) {
    avz_soundtrack *s = NULL;
    int ret = avz_soundtrack_open(o, 0, 0, &s, err);
    if (ret == 0)
        ret = has_sound(s, err);
    avz_soundtrack_free(s);
    return ret;
}

void avz_soundtrack_free(avz_soundtrack *s) {
    if (!s)
        return;
    avformat_close_input(&s->in);
    avcodec_free_context(&s->dec);
    avcodec_free_context(&s->enc);
    swr_free(&s->swr);
    av_packet_free(&s->pkt);
    av_packet_free(&s->opkt);
    av_frame_free(&s->decoded);
    av_frame_free(&s->frame);
    if (s->fifo)
        av_audio_fifo_free(s->fifo);
    free(s->left);
    free(s->right);
    free(s);
}

/* ── Decoding into the fifo ────────────────────────────────────────────────────────── */

/* Resamples `frame` (NULL: what the resampler still holds) into the fifo. */
static int resample(avz_soundtrack *s, const AVFrame *frame) {
    int ret;
    if (!s->swr) {
        if (!frame)
            return 0;
        AVChannelLayout in = frame->ch_layout;
        if (in.order == AV_CHANNEL_ORDER_UNSPEC)
            av_channel_layout_default(&in, frame->ch_layout.nb_channels);
        AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
        if ((ret = swr_alloc_set_opts2(&s->swr, &stereo, AV_SAMPLE_FMT_FLTP, AVZ_AUDIO_RATE, &in,
                                       frame->format, frame->sample_rate, 0, NULL)) < 0 ||
            (ret = swr_init(s->swr)) < 0)
            return ret;
    }
    int room = swr_get_out_samples(s->swr, frame ? frame->nb_samples : 0);
    if (room <= 0)
        return 0;
    uint8_t *planes[2] = {NULL};
    if ((ret = av_samples_alloc(planes, NULL, 2, room, AV_SAMPLE_FMT_FLTP, 0)) < 0)
        return ret;
    int got =
        swr_convert(s->swr, planes, room, frame ? (const uint8_t **)frame->extended_data : NULL,
                    frame ? frame->nb_samples : 0);
    ret = got < 0 ? got : got ? av_audio_fifo_write(s->fifo, (void **)planes, got) : 0;
    av_freep(&planes[0]);
    return ret < 0 ? ret : 0;
}

/* Decodes until the fifo holds more, or everything is out. */
static int decode_more(avz_soundtrack *s) {
    int before = av_audio_fifo_size(s->fifo), ret = 0;
    while (!s->drained && av_audio_fifo_size(s->fifo) == before) {
        ret = avcodec_receive_frame(s->dec, s->decoded);
        if (ret == 0) {
            ret = resample(s, s->decoded);
            av_frame_unref(s->decoded);
        } else if (ret == AVERROR(EAGAIN)) {
            while ((ret = av_read_frame(s->in, s->pkt)) >= 0 && s->pkt->stream_index != s->stream)
                av_packet_unref(s->pkt);
            ret = ret >= 0             ? avcodec_send_packet(s->dec, s->pkt)
                  : ret == AVERROR_EOF ? avcodec_send_packet(s->dec, NULL)
                                       : ret;
            av_packet_unref(s->pkt);
        } else if (ret == AVERROR_EOF) {
            ret = resample(s, NULL);
            s->drained = true;
        }
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* Source samples [from, from + n) into l and r: silence before the file's start and after
 * its end. Sources are read in order, so what lies before `from` is dropped. */
static int source(avz_soundtrack *s, int64_t from, size_t n, float *l, float *r) {
    size_t silent = from < 0 ? (size_t)(-from < (int64_t)n ? -from : (int64_t)n) : 0;
    memset(l, 0, silent * sizeof *l);
    memset(r, 0, silent * sizeof *r);
    from += (int64_t)silent;
    for (size_t done = silent; done < n;) {
        int64_t skip = from - s->fifo_first;
        int size = av_audio_fifo_size(s->fifo);
        if (skip > 0 && size > 0) {
            int drop = skip < size ? (int)skip : size;
            av_audio_fifo_drain(s->fifo, drop);
            s->fifo_first += drop;
            continue;
        }
        if (size > 0) {
            int take = (int)((n - done) < (size_t)size ? (n - done) : (size_t)size);
            void *planes[2] = {l + done, r + done};
            if (av_audio_fifo_read(s->fifo, planes, take) != take)
                return AVERROR(EIO);
            s->fifo_first += take;
            from += take;
            done += (size_t)take;
            continue;
        }
        if (s->drained) {
            memset(l + done, 0, (n - done) * sizeof *l);
            memset(r + done, 0, (n - done) * sizeof *r);
            break;
        }
        int ret = decode_more(s);
        if (ret < 0)
            return ret;
    }
    return 0;
}

int avz_soundtrack_read(avz_soundtrack *s, float *left, float *right, size_t count,
                        avz_error *err) {
    int ret = source(s, s->next - s->offset, count, left, right);
    if (ret < 0)
        return fail(s, err, ret, "cannot decode the soundtrack");
    for (size_t i = 0; i < count; i++) {
        int64_t at = s->next + (int64_t)i, left_to_end = s->end - at;
        float g = s->gain;
        if (left_to_end <= 0)
            g = 0;
        else if (left_to_end < s->fade)
            g *= (float)left_to_end / (float)s->fade;
        left[i] *= g;
        right[i] *= g;
    }
    s->next += (int64_t)count;
    return 0;
}

/* ── Encoding ──────────────────────────────────────────────────────────────────────── */

static int frame_size(const avz_soundtrack *s) {
    return s->enc->frame_size > 0 ? s->enc->frame_size : 1024;
}

int avz_soundtrack_add_stream(avz_soundtrack *s, AVFormatContext *fmt, const char *encoder,
                              avz_error *err) {
    const AVCodec *codec = avcodec_find_encoder_by_name(encoder);
    if (!codec)
        return avz_error_set(err, -ENOSYS, "encoder %s is not available in libavcodec", encoder);
    s->out = fmt;
    if (!(s->enc = avcodec_alloc_context3(codec)) || !(s->frame = av_frame_alloc()) ||
        !(s->opkt = av_packet_alloc()) || !(s->st = avformat_new_stream(fmt, NULL)))
        return avz_error_set(err, -ENOMEM, "out of memory");
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    av_channel_layout_copy(&s->enc->ch_layout, &stereo);
    s->enc->sample_rate = AVZ_AUDIO_RATE;
    s->enc->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
    for (const enum AVSampleFormat *f = codec->sample_fmts; f && *f != AV_SAMPLE_FMT_NONE; f++)
        if (*f == AV_SAMPLE_FMT_FLTP || *f == AV_SAMPLE_FMT_FLT)
            s->enc->sample_fmt = *f; /* the samples' own: no rounding to 16 bits */
    s->enc->bit_rate = strcmp(encoder, "aac") ? 128000 : 192000;
    s->enc->time_base = (AVRational){1, AVZ_AUDIO_RATE};
    s->enc->flags |= AV_CODEC_FLAG_BITEXACT;
    s->enc->thread_count = 1;
    if (fmt->oformat->flags & AVFMT_GLOBALHEADER)
        s->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int ret = avcodec_open2(s->enc, codec, NULL);
    if (ret < 0)
        return avz_error_set(err, avz_errno_of(ret), "cannot open the %s encoder: %s", encoder,
                             av_err2str(ret));
    s->st->time_base = s->enc->time_base;
    if ((ret = avcodec_parameters_from_context(s->st->codecpar, s->enc)) < 0)
        return avz_error_set(err, avz_errno_of(ret), "cannot set up the audio stream");
    int size = frame_size(s);
    if (size > CHUNK)
        return avz_error_set(err, -ENOTSUP, "the %s encoder's frames are too long", encoder);
    s->frame->nb_samples = size;
    s->frame->format = s->enc->sample_fmt;
    av_channel_layout_copy(&s->frame->ch_layout, &stereo);
    s->frame->sample_rate = AVZ_AUDIO_RATE;
    ret = av_frame_get_buffer(s->frame, 0);
    return ret < 0 ? avz_error_set(err, -ENOMEM, "out of memory") : 0;
}

static int drain(avz_soundtrack *s, avz_error *err) {
    for (;;) {
        int ret = avcodec_receive_packet(s->enc, s->opkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return avz_error_set(err, avz_errno_of(ret), "encoding the soundtrack failed: %s",
                                 av_err2str(ret));
        s->opkt->stream_index = s->st->index;
        av_packet_rescale_ts(s->opkt, s->enc->time_base, s->st->time_base);
        if ((ret = av_interleaved_write_frame(s->out, s->opkt)) < 0)
            return avz_error_set(err, avz_errno_of(ret), "cannot write the soundtrack: %s",
                                 av_err2str(ret));
    }
}

/* Encodes the next n samples (at most a frame). */
static int encode(avz_soundtrack *s, int n, avz_error *err) {
    int ret = av_frame_make_writable(s->frame);
    if (ret < 0)
        return avz_error_set(err, -ENOMEM, "out of memory");
    if ((ret = avz_soundtrack_read(s, s->left, s->right, (size_t)n, err)))
        return ret;
    s->frame->nb_samples = n;
    if (s->enc->sample_fmt == AV_SAMPLE_FMT_FLTP) {
        memcpy(s->frame->data[0], s->left, (size_t)n * sizeof(float));
        memcpy(s->frame->data[1], s->right, (size_t)n * sizeof(float));
    } else if (s->enc->sample_fmt == AV_SAMPLE_FMT_FLT) {
        float *d = (float *)s->frame->data[0];
        for (int i = 0; i < n; i++) {
            d[2 * i] = s->left[i];
            d[2 * i + 1] = s->right[i];
        }
    } else {
        return avz_error_set(err, -ENOTSUP, "the audio encoder takes no float samples");
    }
    s->frame->pts = s->sent;
    s->sent += n;
    if ((ret = avcodec_send_frame(s->enc, s->frame)) < 0)
        return avz_error_set(err, avz_errno_of(ret), "encoding the soundtrack failed: %s",
                             av_err2str(ret));
    return drain(s, err);
}

int avz_soundtrack_mux_until(avz_soundtrack *s, double seconds, avz_error *err) {
    int64_t target = llround(seconds * AVZ_AUDIO_RATE);
    int size = frame_size(s), ret = 0;
    while (!ret && target - s->sent >= size)
        ret = encode(s, size, err);
    return ret;
}

int avz_soundtrack_mux_end(avz_soundtrack *s, double seconds, avz_error *err) {
    int64_t target = llround(seconds * AVZ_AUDIO_RATE);
    int size = frame_size(s), ret = 0;
    bool short_last = s->enc->codec->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME;
    while (!ret && s->sent < target) {
        int64_t left = target - s->sent;
        /* An encoder that takes no short frame gets the last one padded with what follows. */
        ret = encode(s, left < size && short_last ? (int)left : size, err);
    }
    if (ret)
        return ret;
    if ((ret = avcodec_send_frame(s->enc, NULL)) < 0)
        return avz_error_set(err, avz_errno_of(ret), "cannot flush the audio encoder: %s",
                             av_err2str(ret));
    return drain(s, err);
}

int avz_soundtrack_digest(const avz_audio_options *o, double start, double seconds, double whole,
                          uint64_t *digest, avz_error *err) {
    avz_soundtrack *s = NULL;
    int ret = avz_soundtrack_open(o, start, whole, &s, err);
    uint64_t h = *digest;
    for (int64_t left = llround(seconds * AVZ_AUDIO_RATE); !ret && left > 0; left -= CHUNK) {
        size_t n = left < CHUNK ? (size_t)left : CHUNK;
        ret = avz_soundtrack_read(s, s->left, s->right, n, err);
        for (size_t i = 0; !ret && i < 2 * n; i++) {
            uint32_t bits;
            memcpy(&bits, i % 2 ? &s->right[i / 2] : &s->left[i / 2], sizeof bits);
            h = avz_fnv1a_value(h, bits, 4);
        }
    }
    avz_soundtrack_free(s);
    if (!ret)
        *digest = h;
    return ret;
}
