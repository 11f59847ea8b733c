/* avz_probe: checks a rendered video against expectations, for end-to-end tests.
 * Prints one line per mismatch and a summary; exits 0 when everything matches, 1 on a
 * mismatch, 2 on a usage error or a file libavformat cannot read. --list-chapters also prints
 * each chapter as "chapter START END TITLE" (seconds, to the millisecond), --list-keyframes
 * each keyframe as "keyframe FRAME", --list-clicks each click of the decoded soundtrack (a
 * sample over 0.2 after 50 ms without one) as "click SECONDS PEAK", --audio-tail the peak of
 * its last 20 ms as "tail PEAK". */
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct expect {
    const char *codec, *pix_fmt, *titles;
    int width, height; /* 0: not checked */
    long frames;       /* < 0: not checked */
    double duration;   /* < 0: not checked */
    int bt709;
    long chapters;     /* < 0: not checked */
    int alpha;         /* 1: must carry alpha, 0: must not, -1: not checked */
    int list_chapters; /* print "chapter START END TITLE" a line, in seconds */
    int list_keyframes;
    int continuous;          /* every frame's pts once, 0..frames-1; dts rising */
    int faststart;           /* the index (moov) before the media (mdat) */
    const char *tag;         /* KEY=VALUE the container's metadata must hold */
    const char *untagged;    /* no metadata key may start with this */
    const char *codec_tag;   /* the video's fourcc, "ap4h" */
    const char *audio_codec; /* "none": no audio stream */
    long audio_rate;         /* < 0: not checked */
    int list_clicks, audio_tail;
} expect;

static const char *prog = "avz_probe";

static int usage(const char *why) {
    fprintf(
        stderr,
        "%s: %s\nusage: %s FILE [--codec NAME] [--size WxH] [--pix-fmt NAME] [--frames N] "
        "[--duration SEC] [--bt709] [--chapters N] [--chapter-titles \"a,b,c\"] "
        "[--alpha | --opaque] [--list-chapters] [--list-keyframes] [--continuous] [--faststart] "
        "[--tag KEY=VALUE] [--untagged PREFIX] [--codec-tag FOURCC] [--audio-codec NAME|none] "
        "[--audio-rate N] "
        "[--list-clicks] [--audio-tail]\n",
        prog, why, prog);
    return 2;
}

static int parse_long(const char *s, long *out) {
    char *end;
    *out = strtol(s, &end, 10);
    return *s && !*end && *out >= 0;
}

static int parse_args(int argc, char **argv, const char **file, expect *e) {
    *e = (expect){.frames = -1, .duration = -1, .chapters = -1, .alpha = -1, .audio_rate = -1};
    *file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            if (*file)
                return usage("more than one FILE given");
            *file = a;
            continue;
        }
        if (strcmp(a, "--bt709") == 0) {
            e->bt709 = 1;
            continue;
        }
        if (strcmp(a, "--list-chapters") == 0) {
            e->list_chapters = 1;
            continue;
        }
        if (strcmp(a, "--list-clicks") == 0 || strcmp(a, "--audio-tail") == 0) {
            *(a[2] == 'l' ? &e->list_clicks : &e->audio_tail) = 1;
            continue;
        }
        if (strcmp(a, "--list-keyframes") == 0 || strcmp(a, "--continuous") == 0 ||
            strcmp(a, "--faststart") == 0) {
            *(a[2] == 'l' ? &e->list_keyframes : a[2] == 'c' ? &e->continuous : &e->faststart) = 1;
            continue;
        }
        if (strcmp(a, "--alpha") == 0 || strcmp(a, "--opaque") == 0) {
            e->alpha = strcmp(a, "--alpha") == 0;
            continue;
        }
        if (i + 1 >= argc)
            return usage("an option is missing its value");
        const char *v = argv[++i];
        char *end;
        if (strcmp(a, "--codec") == 0) {
            e->codec = v;
        } else if (strcmp(a, "--pix-fmt") == 0) {
            e->pix_fmt = v;
        } else if (strcmp(a, "--chapter-titles") == 0) {
            e->titles = v;
        } else if (strcmp(a, "--codec-tag") == 0) {
            e->codec_tag = v;
        } else if (strcmp(a, "--audio-codec") == 0) {
            e->audio_codec = v;
        } else if (strcmp(a, "--audio-rate") == 0) {
            if (!parse_long(v, &e->audio_rate))
                return usage("--audio-rate wants a rate");
        } else if (strcmp(a, "--tag") == 0) {
            e->tag = v;
        } else if (strcmp(a, "--untagged") == 0) {
            e->untagged = v;
        } else if (strcmp(a, "--size") == 0) {
            int n = 0;
            if (sscanf(v, "%dx%d%n", &e->width, &e->height, &n) != 2 || v[n] || e->width <= 0 ||
                e->height <= 0)
                return usage("--size wants WxH, e.g. 1920x1080");
        } else if (strcmp(a, "--frames") == 0) {
            if (!parse_long(v, &e->frames))
                return usage("--frames wants a count");
        } else if (strcmp(a, "--chapters") == 0) {
            if (!parse_long(v, &e->chapters))
                return usage("--chapters wants a count");
        } else if (strcmp(a, "--duration") == 0) {
            e->duration = strtod(v, &end);
            if (!*v || *end || !(e->duration >= 0))
                return usage("--duration wants seconds, e.g. 2.5");
        } else {
            return usage("unknown option");
        }
    }
    return *file ? 0 : usage("no FILE given");
}

static int mismatch(const char *file, const char *what, const char *got, const char *want) {
    printf("%s: %s: %s is %s, expected %s\n", prog, file, what, got, want);
    return 1;
}

static int check_titles(const char *file, const AVFormatContext *fmt, const char *titles) {
    int bad = 0;
    unsigned i = 0;
    for (const char *p = titles; p; i++) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char want[256], what[32];
        snprintf(want, sizeof want, "'%.*s'", (int)len, p);
        snprintf(what, sizeof what, "chapter %u title", i + 1);
        if (i >= fmt->nb_chapters) {
            bad += mismatch(file, what, "missing", want);
        } else {
            const AVDictionaryEntry *t = av_dict_get(fmt->chapters[i]->metadata, "title", NULL, 0);
            char got[256];
            snprintf(got, sizeof got, "'%s'", t ? t->value : "");
            if (strcmp(got, want) != 0)
                bad += mismatch(file, what, got, want);
        }
        p = comma ? comma + 1 : NULL;
    }
    if (i < fmt->nb_chapters) {
        char got[32], want[32];
        snprintf(got, sizeof got, "%u", fmt->nb_chapters);
        snprintf(want, sizeof want, "%u", i);
        bad += mismatch(file, "number of chapter titles", got, want);
    }
    return bad;
}

/* The first of moov and mdat among the file's top-level boxes: 'm' for moov first. */
static int moov_first(const char *file) {
    FILE *f = fopen(file, "rb");
    unsigned char h[16];
    long pos = 0;
    int found = 0;
    while (f && !found && fseek(f, pos, SEEK_SET) == 0 && fread(h, 1, 8, f) == 8) {
        unsigned long long size = (unsigned long long)h[0] << 24 | h[1] << 16 | h[2] << 8 | h[3];
        if (size == 1 && fread(h + 8, 1, 8, f) == 8) {
            size = 0;
            for (int i = 8; i < 16; i++)
                size = size << 8 | h[i];
        }
        if (!memcmp(h + 4, "moov", 4))
            found = 'm';
        else if (!memcmp(h + 4, "mdat", 4))
            found = 'd';
        if (size < 8)
            break;
        pos += (long)size;
    }
    if (f)
        fclose(f);
    return found;
}

/* Decodes the audio stream ai of file from its start: its samples' count and, as asked, its
 * clicks and the peak of its last 20 ms (the first channel). Returns the sample count, or -1. */
static long decode_audio(const char *file, int ai, const expect *e, int *rate_out) {
    AVFormatContext *fmt = NULL;
    if (avformat_open_input(&fmt, file, NULL, NULL) < 0 || avformat_find_stream_info(fmt, NULL) < 0)
        return -1;
    const AVCodecParameters *par = fmt->streams[ai]->codecpar;
    const AVCodec *codec = avcodec_find_decoder(par->codec_id);
    AVCodecContext *dec = codec ? avcodec_alloc_context3(codec) : NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    long n = -1;
    if (dec && pkt && frame && avcodec_parameters_to_context(dec, par) >= 0 &&
        avcodec_open2(dec, codec, NULL) >= 0) {
        n = 0;
        int rate = dec->sample_rate, tail = rate / 50;
        long quiet = rate; /* before the start counts as quiet */
        float *last = calloc((size_t)tail, sizeof *last);
        for (bool flushing = false;;) {
            int ret = avcodec_receive_frame(dec, frame);
            if (ret == AVERROR(EAGAIN)) {
                if (flushing)
                    break;
                while ((ret = av_read_frame(fmt, pkt)) >= 0 && pkt->stream_index != ai)
                    av_packet_unref(pkt);
                flushing = ret < 0;
                avcodec_send_packet(dec, flushing ? NULL : pkt);
                av_packet_unref(pkt);
                continue;
            }
            if (ret < 0)
                break;
            bool planar = av_sample_fmt_is_planar(frame->format);
            int step = planar ? 1 : frame->ch_layout.nb_channels;
            for (int i = 0; i < frame->nb_samples; i++, n++) {
                float v;
                if (frame->format == AV_SAMPLE_FMT_FLTP || frame->format == AV_SAMPLE_FMT_FLT)
                    v = ((const float *)frame->data[0])[i * step];
                else if (frame->format == AV_SAMPLE_FMT_S16P || frame->format == AV_SAMPLE_FMT_S16)
                    v = ((const int16_t *)frame->data[0])[i * step] / 32768.0f;
                else
                    v = 0;
                v = fabsf(v);
                if (last)
                    last[n % tail] = v;
                if (v > 0.2f && quiet >= rate / 20 && e->list_clicks)
                    printf("click %.4f %.3f\n", (double)n / rate, v);
                quiet = v > 0.2f ? 0 : quiet + 1;
            }
            av_frame_unref(frame);
        }
        if (e->audio_tail && last) {
            float peak = 0;
            for (int i = 0; i < tail && i < n; i++)
                peak = last[i] > peak ? last[i] : peak;
            printf("tail %.3f\n", peak);
        }
        free(last);
        *rate_out = rate;
    }
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return n;
}

static int by_value(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    const char *file;
    expect e;
    if (parse_args(argc, argv, &file, &e) != 0)
        return 2;
    av_log_set_level(AV_LOG_ERROR);

    AVFormatContext *fmt = NULL;
    int ret = avformat_open_input(&fmt, file, NULL, NULL);
    if (ret >= 0)
        ret = avformat_find_stream_info(fmt, NULL);
    int vi = ret >= 0 ? av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0) : ret;
    if (vi < 0) {
        fprintf(stderr, "%s: %s: cannot read a video stream: %s\n", prog, file, av_err2str(vi));
        avformat_close_input(&fmt);
        return 2;
    }
    const AVStream *st = fmt->streams[vi];
    const AVCodecParameters *par = st->codecpar;

    /* Frames are counted from the demuxed packets, not from container headers; their pts and
     * dts in frames, for --continuous and --list-keyframes. */
    AVPacket *pkt = av_packet_alloc();
    long frames = 0, dts_back = 0;
    size_t room = 1024;
    int64_t *pts = malloc(room * sizeof *pts), last_dts = INT64_MIN;
    const AVRational frame = av_inv_q(st->avg_frame_rate);
    int gaps = 0;
    while (pkt && pts && av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == vi) {
            if ((size_t)frames == room && !(pts = realloc(pts, (room *= 2) * sizeof *pts)))
                break;
            int64_t p = av_rescale_q_rnd(pkt->pts, st->time_base, frame, AV_ROUND_NEAR_INF);
            pts[frames++] = p;
            if (e.list_keyframes && (pkt->flags & AV_PKT_FLAG_KEY))
                printf("keyframe %lld\n", (long long)p);
            if (pkt->dts != AV_NOPTS_VALUE) {
                dts_back += pkt->dts <= last_dts;
                last_dts = pkt->dts;
            }
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    if (pts && e.continuous) {
        qsort(pts, (size_t)frames, sizeof *pts, by_value);
        for (long i = 0; i < frames; i++)
            gaps += pts[i] != i;
    }
    free(pts);
    double duration = st->duration != AV_NOPTS_VALUE    ? st->duration * av_q2d(st->time_base)
                      : fmt->duration != AV_NOPTS_VALUE ? fmt->duration / (double)AV_TIME_BASE
                                                        : 0;
    const char *codec = avcodec_get_name(par->codec_id);
    const char *pix = av_get_pix_fmt_name(par->format);
    pix = pix ? pix : "none";
    const char *pri = av_color_primaries_name(par->color_primaries);
    const char *trc = av_color_transfer_name(par->color_trc);
    const char *spc = av_color_space_name(par->color_space);
    const char *rng = av_color_range_name(par->color_range);

    int bad = 0;
    char got[96], want[64];
    if (e.codec && strcmp(codec, e.codec) != 0)
        bad += mismatch(file, "codec", codec, e.codec);
    if (e.width && (par->width != e.width || par->height != e.height)) {
        snprintf(got, sizeof got, "%dx%d", par->width, par->height);
        snprintf(want, sizeof want, "%dx%d", e.width, e.height);
        bad += mismatch(file, "size", got, want);
    }
    if (e.pix_fmt && strcmp(pix, e.pix_fmt) != 0)
        bad += mismatch(file, "pixel format", pix, e.pix_fmt);
    if (e.frames >= 0 && frames != e.frames) {
        snprintf(got, sizeof got, "%ld", frames);
        snprintf(want, sizeof want, "%ld", e.frames);
        bad += mismatch(file, "frame count", got, want);
    }
    /* Half a frame of slack: container time bases round, a frame more or less does not. */
    double fps = av_q2d(st->avg_frame_rate);
    double slack = fps > 0 ? 0.5 / fps : 0.001;
    if (e.duration >= 0 && fabs(duration - e.duration) > slack) {
        snprintf(got, sizeof got, "%.3f s", duration);
        snprintf(want, sizeof want, "%.3f s", e.duration);
        bad += mismatch(file, "duration", got, want);
    }
    if (e.bt709) {
        if (par->color_primaries != AVCOL_PRI_BT709)
            bad += mismatch(file, "colour primaries", pri ? pri : "?", "bt709");
        if (par->color_trc != AVCOL_TRC_BT709)
            bad += mismatch(file, "transfer", trc ? trc : "?", "bt709");
        if (par->color_space != AVCOL_SPC_BT709)
            bad += mismatch(file, "matrix", spc ? spc : "?", "bt709");
        if (par->color_range != AVCOL_RANGE_MPEG)
            bad += mismatch(file, "colour range", rng ? rng : "?", "tv");
    }
    if (e.chapters >= 0 && fmt->nb_chapters != (unsigned long)e.chapters) {
        snprintf(got, sizeof got, "%u", fmt->nb_chapters);
        snprintf(want, sizeof want, "%ld", e.chapters);
        bad += mismatch(file, "chapter count", got, want);
    }
    if (e.titles)
        bad += check_titles(file, fmt, e.titles);
    if (e.continuous && (gaps || dts_back)) {
        snprintf(got, sizeof got, "%d frames off the grid, %ld dts not rising", gaps, dts_back);
        bad += mismatch(file, "timestamps", got, "every frame once, dts rising");
    }
    if (e.faststart && moov_first(file) != 'm')
        bad += mismatch(file, "layout", "the index after the media", "faststart");
    if (e.tag) {
        const char *eq = strchr(e.tag, '=');
        char key[128];
        snprintf(key, sizeof key, "%.*s", eq ? (int)(eq - e.tag) : 0, e.tag);
        const AVDictionaryEntry *t = av_dict_get(fmt->metadata, key, NULL, 0);
        if (!eq || !t || strcmp(t->value, eq + 1))
            bad += mismatch(file, key, t ? t->value : "absent", eq ? eq + 1 : "?");
    }
    char fourcc[AV_FOURCC_MAX_STRING_SIZE] = "";
    av_fourcc_make_string(fourcc, par->codec_tag);
    if (e.codec_tag && strcmp(fourcc, e.codec_tag))
        bad += mismatch(file, "codec tag", fourcc, e.codec_tag);
    int ai = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (e.audio_codec && !strcmp(e.audio_codec, "none") && ai >= 0)
        bad += mismatch(file, "audio", "present", "none");
    if ((e.audio_codec && strcmp(e.audio_codec, "none")) || e.audio_rate >= 0 || e.list_clicks ||
        e.audio_tail) {
        const char *acodec =
            ai >= 0 ? avcodec_get_name(fmt->streams[ai]->codecpar->codec_id) : "none";
        int rate = 0;
        long samples = ai >= 0 ? decode_audio(file, ai, &e, &rate) : -1;
        if (e.audio_codec && strcmp(acodec, e.audio_codec))
            bad += mismatch(file, "audio codec", acodec, e.audio_codec);
        snprintf(got, sizeof got, "%d", rate);
        snprintf(want, sizeof want, "%ld", e.audio_rate);
        if (e.audio_rate >= 0 && rate != e.audio_rate)
            bad += mismatch(file, "audio rate", got, want);
        /* The soundtrack lasts as long as the video, give or take one frame. */
        double audio_seconds = rate ? (double)samples / rate : 0;
        if (samples < 0 || (fps > 0 && fabs(audio_seconds - duration) > 1 / fps)) {
            snprintf(got, sizeof got, "%.4f s", audio_seconds);
            snprintf(want, sizeof want, "%.4f s", duration);
            bad += mismatch(file, "audio length", got, want);
        }
    }
    const AVDictionaryEntry *found = NULL;
    while (e.untagged &&
           (found = av_dict_get(fmt->metadata, e.untagged, found, AV_DICT_IGNORE_SUFFIX)))
        bad += mismatch(file, "metadata", found->key, "absent");
    for (unsigned i = 0; e.list_chapters && i < fmt->nb_chapters; i++) {
        const AVChapter *c = fmt->chapters[i];
        const AVDictionaryEntry *t = av_dict_get(c->metadata, "title", NULL, 0);
        printf("chapter %.3f %.3f %s\n", c->start * av_q2d(c->time_base),
               c->end * av_q2d(c->time_base), t ? t->value : "");
    }
    /* Alpha is in the pixel format (ProRes 4444, PNG) or, for VP9 in WebM, a separate plane
     * that Matroska announces with alpha_mode. */
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(par->format);
    const AVDictionaryEntry *mode = av_dict_get(st->metadata, "alpha_mode", NULL, 0);
    int alpha =
        (desc && (desc->flags & AV_PIX_FMT_FLAG_ALPHA)) || (mode && !strcmp(mode->value, "1"));
    if (e.alpha >= 0 && alpha != e.alpha)
        bad +=
            mismatch(file, "alpha", alpha ? "present" : "absent", e.alpha ? "present" : "absent");

    printf("%s: %s: %s %dx%d %s%s, %ld frames, %.3f s, %s/%s/%s %s, %u chapters: %s\n", prog, file,
           codec, par->width, par->height, pix, alpha ? " with alpha" : "", frames, duration,
           pri ? pri : "?", trc ? trc : "?", spc ? spc : "?", rng ? rng : "?", fmt->nb_chapters,
           bad ? "MISMATCH" : "ok");
    avformat_close_input(&fmt);
    return bad ? 1 : 0;
}
