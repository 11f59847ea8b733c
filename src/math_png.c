/* attnviz formula to PNG: one formula, tightly framed, for designers checking a formula
 * without building a scene. Depends on math (layout), draw (paths to cairo) and sink (atomic
 * PNG writing). */
#include <cairo.h>
#include <math.h>

#include "attnviz/draw.h"
#include "attnviz/math.h"
#include "attnviz/png.h"

/* At this MathTex size one em is exactly one scene unit, so em_px is pixels per unit. */
#define UNIT_FONT_SIZE (1.0 / AVZ_MATH_EM_PER_FONT_SIZE)

int avz_math_render_png(const avz_fonts *fonts, const char *tex, double em_px, avz_color color,
                        const char *path, avz_error *err) {
    if (!(em_px >= 4 && em_px <= 1000))
        return avz_error_set(err, -EINVAL, "formula size must be 4 to 1000 px, not %g", em_px);
    avz_parts parts = {0};
    int rc = avz_math_layout(fonts, tex, UNIT_FONT_SIZE, &parts, err);
    if (rc)
        return rc;
    avz_bbox box = avz_parts_bbox(&parts);
    double pad = 0.25; /* a quarter em of black around the ink */
    int width = (int)ceil((avz_bbox_width(box) + 2 * pad) * em_px);
    int height = (int)ceil((avz_bbox_height(box) + 2 * pad) * em_px);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    /* The ink box's top-left corner lands on the padding. */
    avz_vec2 origin = {(pad - box.x0) * em_px, (pad + box.y1) * em_px};
    for (size_t i = 0; i < parts.count; i++)
        avz_draw_append_path(cr, &parts.items[i], em_px, origin);
    cairo_set_source_rgb(cr, color.r, color.g, color.b);
    cairo_fill(cr);
    cairo_surface_flush(surface);
    rc = cairo_status(cr) ? avz_error_set(err, -ENOMEM, "cannot draw the formula")
                          : avz_png_write(path, cairo_image_surface_get_data(surface), width,
                                          height, cairo_image_surface_get_stride(surface), err);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    avz_parts_free(&parts);
    return rc;
}
