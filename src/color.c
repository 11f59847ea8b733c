/* attnviz colour ramps: see color.h. Depends on geom (colours) only. */
#include "attnviz/color.h"

#include <math.h>

/* The palette's blue blended 80% of the way to white, as avz_color_lerp would. */
#define PALE(c) ((c) / 255.0 + (1.0 - (c) / 255.0) * 0.8)
static const avz_color sequential[] = {
    {0.04, 0.07, 0.10}, AVZ_DARK_BLUE, AVZ_BLUE, {PALE(0x58), PALE(0xC4), PALE(0xDD)}};
static const avz_color diverging[] = {AVZ_BLUE, {0.06, 0.06, 0.07}, AVZ_RED};
static const avz_color blue_red[] = {AVZ_BLUE, AVZ_RED};

const avz_ramp avz_ramp_sequential = {sequential, sizeof sequential / sizeof sequential[0]};
const avz_ramp avz_ramp_diverging = {diverging, sizeof diverging / sizeof diverging[0]};
const avz_ramp avz_ramp_blue_red = {blue_red, sizeof blue_red / sizeof blue_red[0]};

avz_color avz_ramp_at(const avz_ramp *ramp, double t) {
    if (!ramp || ramp->count == 0)
        return AVZ_WHITE;
    if (ramp->count == 1)
        return ramp->stops[0];
    size_t last = ramp->count - 1;
    double x = (isnan(t) ? 0.0 : fmin(fmax(t, 0.0), 1.0)) * (double)last;
    size_t i = x >= (double)last ? last - 1 : (size_t)x;
    return avz_color_lerp(ramp->stops[i], ramp->stops[i + 1], x - (double)i);
}

avz_color avz_ramp_value(const avz_ramp *ramp, double value, double lo, double hi) {
    return avz_ramp_at(ramp, hi > lo ? (value - lo) / (hi - lo) : 0.5);
}

/* sRGB to linear light, for luminance. */
static double linear(double c) {
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

avz_color avz_ink_on(avz_color bg) {
    /* WCAG's contrast ratio: black reads better above a relative luminance of about 0.18. */
    double l = 0.2126 * linear(bg.r) + 0.7152 * linear(bg.g) + 0.0722 * linear(bg.b);
    return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? AVZ_BLACK : AVZ_WHITE;
}

avz_color avz_hue(size_t i, size_t n) {
    /* The palette's hues in wheel order, with two of the original's (GOLD, PINK) to make
     * eight. */
    static const avz_color wheel[] = {
        AVZ_RED,    {0xF0 / 255.0, 0xAC / 255.0, 0x5F / 255.0}, AVZ_GREEN,  AVZ_TEAL, AVZ_BLUE,
        AVZ_PURPLE, {0xD1 / 255.0, 0x47 / 255.0, 0xBD / 255.0}, AVZ_ORANGE,
    };
    const size_t count = sizeof wheel / sizeof wheel[0];
    return wheel[n ? (i * count / n) % count : 0];
}
