/* attnviz sinks: BT.709 conversion with swscale, H.264/MP4 through libavcodec/libavformat,
 * PNG stills through cairo; every file is written beside its target and renamed on success. */
#include "attnviz/sink.h"

#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* x264 frame threads, fixed so that the bytes do not depend on the machine: x264 output is
 * identical run to run for a given thread count but changes with it, and libx264's default
 * (0) means "1.5 x cores". Measured on 2 cores, 600 frames of 1080p: 1 thread 12.9 s, 2 and
 * 4 threads 6.5 s each; 4 costs ~50 MB more but lets 4-core machines encode faster. */
#define AVZ_ENCODER_THREADS 4
#define AVZ_MAX_SIDE 16384
#define AVZ_MAX_FPS 240

/* One output container. New formats (.webm VP9, .mov, .gif) are new rows here plus, where
 * the encoder needs private options, a configure function. */
typedef struct avz_container {
    const char *ext;     /* with the dot, matched case-insensitively */
    const char *muxer;   /* libavformat short name */
    const char *encoder; /* libavcodec encoder name */
    enum AVPixelFormat pix_fmt;
    const char *muxer_opts; /* "key=value:..." for avformat_write_header */
    int (*configure)(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err);
} avz_container;

static int configure_x264(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err);

static const avz_container containers[] = {
    {".mp4", "mp4", "libx264", AV_PIX_FMT_YUV420P, "movflags=+faststart", configure_x264},
};

struct avz_frame {
    AVFrame *av;
};

struct avz_converter {
    struct SwsContext *sws;
    int width, height;
    enum AVPixelFormat pix_fmt;
};

struct avz_sink {
    const avz_container *kind;
    AVFormatContext *fmt;
    AVCodecContext *enc;
    AVStream *st;
    AVFrame *send; /* a reference to the caller's frame carrying our pts */
    AVPacket *pkt;
    int64_t next_pts;
    int failed; /* a write failed: finish must not publish the file */
    int fd;     /* our descriptor on the temporary file, kept for fsync before the rename */
    char *path, *tmp_path;
};

/* libav errors are either AVERROR(errno) or tagged codes; callers get an errno either way. */
static int errno_of(int averr) {
    return averr < 0 && averr > -4096 ? averr : -EIO;
}

static int av_fail(avz_error *err, int averr, const char *what, const char *path) {
    return avz_error_set(err, errno_of(averr), "%s for '%s': %s", what, path, av_err2str(averr));
}

static const char *extension_of(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash + 1) ? dot : "";
}

static const avz_container *container_for(const char *path) {
    const char *ext = extension_of(path);
    for (size_t i = 0; i < sizeof containers / sizeof containers[0]; i++)
        if (strcasecmp(ext, containers[i].ext) == 0)
            return &containers[i];
    return NULL;
}

static void allowed_extensions(char *buf, size_t size) {
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof containers / sizeof containers[0]; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", i ? ", " : "", containers[i].ext);
    }
}

/* Creates an empty ".<name>.XXXXXX" beside path. Our own O_EXCL loop rather than mkstemp:
 * mkstemp makes the file 0600, while open(0666) lets the umask decide the final mode exactly
 * as for any file the user writes. Directory problems surface here, before anything exists. */
static int temp_create(const char *path, char **tmp_out, int *fd_out, avz_error *err) {
    static atomic_uint counter;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int dir_len = slash ? (int)(slash - path) + 1 : 0; /* the prefix kept in the temp name */
    char dir[4096];                                    /* only for messages */
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : dir_len - 1, path);
    else
        snprintf(dir, sizeof dir, ".");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return avz_error_set(err, -EISDIR, "output path '%s' is a directory", path);

    size_t size = strlen(path) + 16;
    char *tmp = malloc(size);
    if (!tmp)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    for (int attempt = 0; attempt < 100; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long r = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 20) ^
                          (atomic_fetch_add(&counter, 1) * 2654435761u);
        snprintf(tmp, size, "%.*s.%s.%06lx", dir_len, path, base, r & 0xffffff);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp_out = tmp;
            *fd_out = fd;
            return 0;
        }
        if (errno != EEXIST) {
            int e = errno;
            free(tmp);
            return avz_error_set(err, -e, "cannot write to directory '%s': %s", dir, strerror(e));
        }
    }
    free(tmp);
    return avz_error_set(err, -EEXIST, "cannot create a temporary file in directory '%s'", dir);
}

/* fsync before rename so that a crash cannot leave an empty file under the target's name. */
static int temp_publish(int fd, const char *tmp, const char *path, avz_error *err) {
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return avz_error_set(err, -e, "cannot flush '%s': %s", path, strerror(e));
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return avz_error_set(err, -e, "cannot rename the finished file onto '%s': %s", path,
                             strerror(e));
    }
    return 0;
}

static const char *const x264_presets[] = {"ultrafast", "superfast", "veryfast", "faster",
                                           "fast",      "medium",    "slow",     "slower",
                                           "veryslow",  "placebo"};

static int configure_x264(const avz_sink_options *opts, AVDictionary **codec_opts, avz_error *err) {
    const char *preset = opts->preset ? opts->preset : "medium";
    size_t n = sizeof x264_presets / sizeof x264_presets[0], i = 0;
    while (i < n && strcmp(preset, x264_presets[i]) != 0)
        i++;
    if (i == n)
        return avz_error_set(err, -EINVAL,
                             "unknown x264 preset '%s'; allowed: ultrafast, superfast, veryfast, "
                             "faster, fast, medium, slow, slower, veryslow, placebo",
                             preset);
    int crf = opts->crf < 0 ? 23 : opts->crf;
    if (crf > 51)
        return avz_error_set(err, -EINVAL, "crf %d is out of range; allowed: 0..51", crf);
    char buf[16];
    snprintf(buf, sizeof buf, "%d", crf);
    if (av_dict_set(codec_opts, "crf", buf, 0) < 0 ||
        av_dict_set(codec_opts, "preset", preset, 0) < 0)
        return avz_error_set(err, -ENOMEM, "out of memory configuring x264");
    return 0;
}

static int check_options(const char *path, const avz_sink_options *o, avz_error *err) {
    if (o->width <= 0 || o->height <= 0 || o->width % 2 || o->height % 2 ||
        o->width > AVZ_MAX_SIDE || o->height > AVZ_MAX_SIDE)
        return avz_error_set(err, -EINVAL,
                             "video size %dx%d for '%s' is not allowed; width and height must be "
                             "even and between 2 and %d",
                             o->width, o->height, path, AVZ_MAX_SIDE);
    if (o->fps < 1 || o->fps > AVZ_MAX_FPS)
        return avz_error_set(err, -EINVAL, "frame rate %d for '%s' is not allowed; use 1..%d",
                             o->fps, path, AVZ_MAX_FPS);
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

/* AVChapter has no public constructor; avformat_free_context frees what we allocate here. */
static int add_chapters(AVFormatContext *fmt, const avz_sink_options *o) {
    if (!o->chapter_count)
        return 0;
    fmt->chapters = av_calloc(o->chapter_count, sizeof *fmt->chapters);
    if (!fmt->chapters)
        return AVERROR(ENOMEM);
    for (size_t i = 0; i < o->chapter_count; i++) {
        AVChapter *ch = av_mallocz(sizeof *ch);
        if (!ch)
            return AVERROR(ENOMEM);
        fmt->chapters[fmt->nb_chapters++] = ch;
        ch->id = (int64_t)i + 1;
        ch->time_base = (AVRational){1, 1000};
        ch->start = llround(o->chapters[i].start * 1000);
        ch->end = llround(o->chapters[i].end * 1000);
        int ret = av_dict_set(&ch->metadata, "title", o->chapters[i].title, 0);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static void sink_free(avz_sink *s) {
    if (s->fmt) {
        avio_closep(&s->fmt->pb);
        avformat_free_context(s->fmt);
    }
    avcodec_free_context(&s->enc);
    av_frame_free(&s->send);
    av_packet_free(&s->pkt);
    free(s->path);
    free(s->tmp_path);
    free(s);
}

void avz_sink_abort(avz_sink *sink) {
    if (!sink)
        return;
    if (sink->fmt)
        avio_closep(&sink->fmt->pb);
    if (sink->fd >= 0)
        close(sink->fd);
    if (sink->tmp_path)
        unlink(sink->tmp_path);
    sink_free(sink);
}

static int open_encoder(avz_sink *s, const avz_sink_options *o, avz_error *err) {
    const AVCodec *codec = avcodec_find_encoder_by_name(s->kind->encoder);
    if (!codec)
        return avz_error_set(err, -ENOSYS, "encoder %s for '%s' is not available in libavcodec",
                             s->kind->encoder, s->path);
    s->enc = avcodec_alloc_context3(codec);
    if (!s->enc)
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", s->path);
    AVCodecContext *enc = s->enc;
    enc->width = o->width;
    enc->height = o->height;
    enc->pix_fmt = s->kind->pix_fmt;
    enc->time_base = (AVRational){1, o->fps};
    enc->framerate = (AVRational){o->fps, 1};
    enc->sample_aspect_ratio = (AVRational){1, 1};
    enc->color_primaries = AVCOL_PRI_BT709;
    enc->color_trc = AVCOL_TRC_BT709;
    enc->colorspace = AVCOL_SPC_BT709;
    enc->color_range = AVCOL_RANGE_MPEG;
    enc->chroma_sample_location = AVCHROMA_LOC_LEFT; /* where avz_converter puts chroma */
    enc->thread_count = AVZ_ENCODER_THREADS;
    enc->flags |= AV_CODEC_FLAG_BITEXACT;
    if (s->fmt->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

    AVDictionary *opts = NULL;
    int ret = s->kind->configure ? s->kind->configure(o, &opts, err) : 0;
    if (ret == 0) {
        ret = avcodec_open2(enc, codec, &opts);
        if (ret < 0)
            ret = av_fail(err, ret, "cannot open the encoder", s->path);
    }
    av_dict_free(&opts);
    return ret;
}

/* libav and libx264 log to stderr through av_log; the library never prints, and every
 * failure reaches the caller as an error code and message instead. */
static void quiet_libav(void) {
    av_log_set_level(AV_LOG_QUIET);
}

int avz_sink_open(const char *path, const avz_sink_options *opts, avz_sink **out, avz_error *err) {
    static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
    pthread_once(&quiet_once, quiet_libav);
    *out = NULL;
    const avz_container *kind = container_for(path);
    if (!kind) {
        char allowed[128];
        allowed_extensions(allowed, sizeof allowed);
        return avz_error_set(err, -EINVAL, "unknown output extension '%s' in '%s'; allowed: %s",
                             extension_of(path), path, allowed);
    }
    int ret = check_options(path, opts, err);
    if (ret < 0)
        return ret;

    avz_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
    }
    s->kind = kind;
    s->fd = -1;
    ret = temp_create(path, &s->tmp_path, &s->fd, err);
    if (ret < 0) {
        sink_free(s);
        return ret;
    }

    AVDictionary *mux_opts = NULL;
    const AVOutputFormat *ofmt = av_guess_format(kind->muxer, NULL, NULL);
    if (!ofmt) {
        ret = avz_error_set(err, -ENOSYS, "muxer %s for '%s' is not available in libavformat",
                            kind->muxer, path);
        goto fail;
    }
    ret = avformat_alloc_output_context2(&s->fmt, ofmt, NULL, s->tmp_path);
    if (ret < 0) {
        ret = av_fail(err, ret, "cannot set up the muxer", path);
        goto fail;
    }
    s->fmt->flags |= AVFMT_FLAG_BITEXACT;
    ret = open_encoder(s, opts, err);
    if (ret < 0)
        goto fail;

    s->send = av_frame_alloc();
    s->pkt = av_packet_alloc();
    s->st = avformat_new_stream(s->fmt, NULL);
    if (!s->send || !s->pkt || !s->st) {
        ret = avz_error_set(err, -ENOMEM, "out of memory opening '%s'", path);
        goto fail;
    }
    s->st->time_base = s->enc->time_base;
    s->st->avg_frame_rate = s->enc->framerate;
    if ((ret = avcodec_parameters_from_context(s->st->codecpar, s->enc)) < 0 ||
        (ret = add_chapters(s->fmt, opts)) < 0) {
        ret = av_fail(err, ret, "cannot set up the stream", path);
        goto fail;
    }
    ret = avio_open(&s->fmt->pb, s->tmp_path, AVIO_FLAG_WRITE);
    if (ret < 0) {
        ret = av_fail(err, ret, "cannot open the temporary file", path);
        goto fail;
    }
    ret = av_dict_parse_string(&mux_opts, kind->muxer_opts, "=", ":", 0);
    if (ret >= 0)
        ret = avformat_write_header(s->fmt, &mux_opts);
    if (ret < 0) {
        ret = av_fail(err, ret, "cannot write the header", path);
        goto fail;
    }
    av_dict_free(&mux_opts);
    *out = s;
    return 0;

fail:
    av_dict_free(&mux_opts);
    avz_sink_abort(s);
    return ret;
}

int avz_sink_frame_new(const avz_sink *sink, avz_frame **out) {
    *out = NULL;
    avz_frame *f = calloc(1, sizeof *f);
    if (!f || !(f->av = av_frame_alloc())) {
        free(f);
        return -ENOMEM;
    }
    f->av->width = sink->enc->width;
    f->av->height = sink->enc->height;
    f->av->format = sink->enc->pix_fmt;
    f->av->color_primaries = sink->enc->color_primaries;
    f->av->color_trc = sink->enc->color_trc;
    f->av->colorspace = sink->enc->colorspace;
    f->av->color_range = sink->enc->color_range;
    f->av->chroma_location = sink->enc->chroma_sample_location;
    int ret = av_frame_get_buffer(f->av, 64); /* 64: AVX-512 loads in swscale and x264 */
    if (ret < 0) {
        avz_frame_free(f);
        return errno_of(ret);
    }
    *out = f;
    return 0;
}

void avz_frame_free(avz_frame *frame) {
    if (!frame)
        return;
    av_frame_free(&frame->av);
    free(frame);
}

int avz_converter_new(const avz_sink *sink, avz_converter **out) {
    *out = NULL;
    avz_converter *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    c->width = sink->enc->width;
    c->height = sink->enc->height;
    c->pix_fmt = sink->enc->pix_fmt;
    c->sws = sws_alloc_context();
    if (!c->sws) {
        free(c);
        return -ENOMEM;
    }
    /* AV_PIX_FMT_RGB32 is libavutil's name for cairo's ARGB32: a native-endian 0xAARRGGBB
     * word, BGRA in memory on little-endian and ARGB on big-endian. FULL_CHR_H_INP computes
     * chroma from every pixel before subsampling (sharp coloured edges on text); BITEXACT
     * keeps the bytes independent of the CPU's SIMD; chroma is sited left as H.264 assumes. */
    int flags = SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP | SWS_BITEXACT;
    int ret = 0;
    if ((ret = av_opt_set_int(c->sws, "srcw", c->width, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "srch", c->height, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "src_format", AV_PIX_FMT_RGB32, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dstw", c->width, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dsth", c->height, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dst_format", c->pix_fmt, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "sws_flags", flags, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dst_h_chr_pos", 0, 0)) < 0 ||
        (ret = av_opt_set_int(c->sws, "dst_v_chr_pos", 128, 0)) < 0 ||
        (ret = sws_init_context(c->sws, NULL, NULL)) < 0) {
        avz_converter_free(c);
        return errno_of(ret);
    }
    /* swscale converts with BT.601 unless told otherwise; RGB input is full range, the
     * output limited range, both with the BT.709 matrix the stream is tagged with. */
    const int *bt709 = sws_getCoefficients(SWS_CS_ITU709);
    ret = sws_setColorspaceDetails(c->sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    if (ret < 0) {
        avz_converter_free(c);
        return -ENOTSUP;
    }
    *out = c;
    return 0;
}

void avz_converter_free(avz_converter *conv) {
    if (!conv)
        return;
    sws_freeContext(conv->sws);
    free(conv);
}

int avz_converter_run(avz_converter *conv, const uint8_t *argb, int stride, avz_frame *dst) {
    AVFrame *f = dst->av;
    if (f->width != conv->width || f->height != conv->height || f->format != conv->pix_fmt ||
        stride < conv->width * 4)
        return -EINVAL;
    /* Should an encoder still hold this buffer, write into a fresh one instead of under it. */
    int ret = av_frame_make_writable(f);
    if (ret < 0)
        return errno_of(ret);
    const uint8_t *src[4] = {argb};
    const int src_stride[4] = {stride};
    ret = sws_scale(conv->sws, src, src_stride, 0, conv->height, f->data, f->linesize);
    return ret == conv->height ? 0 : -EIO;
}

/* Moves every packet the encoder has ready into the muxer. */
static int drain(avz_sink *s, avz_error *err) {
    for (;;) {
        int ret = avcodec_receive_packet(s->enc, s->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return av_fail(err, ret, "encoding failed", s->path);
        s->pkt->stream_index = s->st->index;
        if (s->pkt->duration == 0)
            s->pkt->duration = 1; /* one frame in the encoder's 1/fps time base */
        av_packet_rescale_ts(s->pkt, s->enc->time_base, s->st->time_base);
        ret = av_interleaved_write_frame(s->fmt, s->pkt);
        if (ret < 0)
            return av_fail(err, ret, "cannot write a packet", s->path);
    }
}

int avz_sink_write(avz_sink *sink, const avz_frame *frame, avz_error *err) {
    const AVFrame *f = frame->av;
    int ret;
    if (f->width != sink->enc->width || f->height != sink->enc->height ||
        f->format != sink->enc->pix_fmt) {
        ret = avz_error_set(err, -EINVAL, "frame %dx%d does not match the video size %dx%d of '%s'",
                            f->width, f->height, sink->enc->width, sink->enc->height, sink->path);
        goto fail;
    }
    /* The writer re-sends unchanged frames: a new reference carries this frame's pts, and the
     * caller's frame is left as it was. */
    ret = av_frame_ref(sink->send, f);
    if (ret < 0) {
        ret = av_fail(err, ret, "cannot reference a frame", sink->path);
        goto fail;
    }
    sink->send->pts = sink->next_pts++;
    ret = avcodec_send_frame(sink->enc, sink->send);
    av_frame_unref(sink->send);
    if (ret < 0) {
        ret = av_fail(err, ret, "encoding failed", sink->path);
        goto fail;
    }
    ret = drain(sink, err);
    if (ret < 0)
        goto fail;
    return 0;

fail:
    sink->failed = 1;
    return ret;
}

int avz_sink_finish(avz_sink *sink, avz_error *err) {
    int ret;
    if (sink->failed) {
        ret = avz_error_set(err, -EINVAL, "'%s' not written: an earlier frame failed", sink->path);
        goto fail;
    }
    if (sink->next_pts == 0) {
        ret = avz_error_set(err, -EINVAL, "'%s' not written: no frames were rendered", sink->path);
        goto fail;
    }
    ret = avcodec_send_frame(sink->enc, NULL);
    if (ret < 0) {
        ret = av_fail(err, ret, "cannot flush the encoder", sink->path);
        goto fail;
    }
    if ((ret = drain(sink, err)) < 0)
        goto fail;
    ret = av_write_trailer(sink->fmt);
    if (ret < 0) {
        ret = av_fail(err, ret, "cannot write the trailer", sink->path);
        goto fail;
    }
    ret = avio_closep(&sink->fmt->pb);
    if (ret < 0) {
        ret = av_fail(err, ret, "cannot close", sink->path);
        goto fail;
    }
    ret = temp_publish(sink->fd, sink->tmp_path, sink->path, err);
    sink->fd = -1;
    sink_free(sink);
    return ret;

fail:
    avz_sink_abort(sink);
    return ret;
}

struct png_out {
    int fd;
    int error; /* errno of the first failed write */
};

static cairo_status_t png_write_cb(void *closure, const unsigned char *data, unsigned int len) {
    struct png_out *o = closure;
    while (len > 0) {
        ssize_t n = write(o->fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            o->error = n < 0 ? errno : EIO;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        data += n;
        len -= (unsigned int)n;
    }
    return CAIRO_STATUS_SUCCESS;
}

int avz_png_write(const char *path, const uint8_t *argb, int width, int height, int stride,
                  avz_error *err) {
    if (strcasecmp(extension_of(path), ".png") != 0)
        return avz_error_set(err, -EINVAL, "still image '%s' must have the extension .png", path);
    if (width <= 0 || height <= 0 || width > AVZ_MAX_SIDE || height > AVZ_MAX_SIDE ||
        stride < cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width))
        return avz_error_set(err, -EINVAL,
                             "image %dx%d (stride %d) for '%s' is not a valid ARGB32 image", width,
                             height, stride, path);
    char *tmp = NULL;
    int fd = -1;
    int ret = temp_create(path, &tmp, &fd, err);
    if (ret < 0)
        return ret;
    /* cairo only reads the pixels here; its API is not const-qualified. */
    cairo_surface_t *surface = cairo_image_surface_create_for_data(
        (unsigned char *)argb, CAIRO_FORMAT_ARGB32, width, height, stride);
    struct png_out o = {fd, 0};
    cairo_status_t status = cairo_surface_status(surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream(surface, png_write_cb, &o);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        ret = avz_error_set(err, o.error ? -o.error : -EIO, "cannot write '%s': %s", path,
                            o.error ? strerror(o.error) : cairo_status_to_string(status));
        close(fd);
        unlink(tmp);
    } else {
        ret = temp_publish(fd, tmp, path, err);
    }
    free(tmp);
    return ret;
}
