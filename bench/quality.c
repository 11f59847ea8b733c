/* bench quality: see quality.h. */
#include "quality.h"

#include <libavutil/pixdesc.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "frames.h"

static double sample(const AVFrame *f, int plane, int x, int y, bool wide) {
    const uint8_t *row = f->data[plane] + (ptrdiff_t)y * f->linesize[plane];
    if (!wide)
        return row[x];
    uint16_t v;
    memcpy(&v, row + 2 * x, sizeof v);
    return v;
}

/* SSIM of one 8x8 window of the first plane. */
static double window_ssim(const AVFrame *a, const AVFrame *b, int x0, int y0, bool wide,
                          bool b_wide, double b_scale, double peak) {
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (int y = y0; y < y0 + 8; y++)
        for (int x = x0; x < x0 + 8; x++) {
            double va = sample(a, 0, x, y, wide), vb = round(sample(b, 0, x, y, b_wide) * b_scale);
            sa += va, sb += vb, saa += va * va, sbb += vb * vb, sab += va * vb;
        }
    double n = 64, ma = sa / n, mb = sb / n;
    double va = saa / n - ma * ma, vb = sbb / n - mb * mb, cov = sab / n - ma * mb;
    double c1 = (0.01 * peak) * (0.01 * peak), c2 = (0.03 * peak) * (0.03 * peak);
    return (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
}

void quality_add(quality *q, const AVFrame *want, const AVFrame *got) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(want->format);
    const AVPixFmtDescriptor *gd = av_pix_fmt_desc_get(got->format);
    if (av_pix_fmt_count_planes(want->format) != av_pix_fmt_count_planes(got->format) ||
        d->log2_chroma_w != gd->log2_chroma_w || d->log2_chroma_h != gd->log2_chroma_h ||
        gd->comp[0].depth < d->comp[0].depth)
        bench_die("the decoder gave another kind of picture", gd->name);
    bool wide = d->comp[0].depth > 8, got_wide = gd->comp[0].depth > 8;
    double scale = 1.0 / (1 << (gd->comp[0].depth - d->comp[0].depth));
    q->peak = (1 << d->comp[0].depth) - 1;
    for (int plane = 0; plane < av_pix_fmt_count_planes(want->format); plane++) {
        int w =
            plane == 1 || plane == 2 ? AV_CEIL_RSHIFT(want->width, d->log2_chroma_w) : want->width;
        int h = plane == 1 || plane == 2 ? AV_CEIL_RSHIFT(want->height, d->log2_chroma_h)
                                         : want->height;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double e = sample(want, plane, x, y, wide) -
                           round(sample(got, plane, x, y, got_wide) * scale);
                q->squared_error += e * e;
            }
        q->samples += (double)w * h;
    }
    for (int y = 0; y + 8 <= want->height; y += 8)
        for (int x = 0; x + 8 <= want->width; x += 8, q->ssim_windows++)
            q->ssim_sum += window_ssim(want, got, x, y, wide, got_wide, scale, q->peak);
}

double quality_psnr_8bit(double squared_error, double samples) {
    return quality_psnr(
        &(quality){.squared_error = squared_error, .samples = samples, .peak = 255});
}

double quality_psnr(const quality *q) {
    return 10 * log10(q->peak * q->peak * q->samples / q->squared_error);
}

double quality_ssim(const quality *q) {
    return q->ssim_sum / (double)q->ssim_windows;
}
