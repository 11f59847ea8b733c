/* attnviz versions: attnviz's own and those of the libraries that decide its bytes, read from
 * the libraries themselves (so they are the ones loaded, not the ones built against). x264 and
 * libvpx say their version only in their file names, which the loader's list gives. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "attnviz/version.h"

#include <cairo.h>
#include <ft2build.h>
#include <hb.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswscale/swscale.h>
#include <limits.h>
#include <link.h>
#include <pixman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include FT_FREETYPE_H

#define LIB_VERSION 32

static char x264[LIB_VERSION], vpx[LIB_VERSION], freetype[LIB_VERSION];
static char avcodec[LIB_VERSION], avformat[LIB_VERSION], avutil[LIB_VERSION], swscale[LIB_VERSION];

/* "libx264.so.164" -> "164": the part of a loaded library's real file name after ".so.". */
static int find_library(struct dl_phdr_info *info, size_t size, void *ctx) {
    (void)size;
    char real[PATH_MAX];
    const char *base = strrchr(info->dlpi_name, '/');
    if (!base || !realpath(info->dlpi_name, real))
        return 0;
    const char *file = strrchr(real, '/') + 1, *so = strstr(file, ".so.");
    char **want = ctx;
    for (int i = 0; want[i]; i += 2)
        if (so && !strncmp(file, want[i], strlen(want[i])) && file[strlen(want[i])] == '.')
            snprintf(want[i + 1], LIB_VERSION, "%s", so + 4);
    return 0;
}

static void av_version(char *buf, unsigned v) {
    snprintf(buf, LIB_VERSION, "%u.%u.%u", AV_VERSION_MAJOR(v), AV_VERSION_MINOR(v),
             AV_VERSION_MICRO(v));
}

size_t avz_components(avz_component *out, size_t max) {
    snprintf(x264, sizeof x264, "not loaded");
    snprintf(vpx, sizeof vpx, "not loaded");
    char *want[] = {"libx264", x264, "libvpx", vpx, NULL};
    dl_iterate_phdr(find_library, want);
    FT_Library ft;
    FT_Int major = 0, minor = 0, patch = 0;
    if (FT_Init_FreeType(&ft) == 0) {
        FT_Library_Version(ft, &major, &minor, &patch);
        FT_Done_FreeType(ft);
    }
    snprintf(freetype, sizeof freetype, "%d.%d.%d", major, minor, patch);
    av_version(avcodec, avcodec_version());
    av_version(avformat, avformat_version());
    av_version(avutil, avutil_version());
    av_version(swscale, swscale_version());
    const avz_component all[] = {
        {"attnviz", AVZ_VERSION},
        {"ffmpeg", av_version_info()},
        {"libavcodec", avcodec},
        {"libavformat", avformat},
        {"libavutil", avutil},
        {"libswscale", swscale},
        {"libx264", x264},
        {"libvpx", vpx},
        {"cairo", cairo_version_string()},
        {"pixman", pixman_version_string()},
        {"freetype", freetype},
        {"harfbuzz", hb_version_string()},
    };
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n && i < max; i++)
        out[i] = all[i];
    return n;
}
