/* attnviz colour ramps: numbers to colours for heatmaps, bars and weights, and the ink that
 * reads on a colour.
 *
 * A ramp is a list of evenly spaced stops, blended linearly between them. Sequential ramps run
 * from dark (low) to bright (high), for quantities that start at zero such as attention
 * weights; diverging ones from one hue through a neutral middle to another, for signed
 * scores. */
#ifndef ATTNVIZ_COLOR_H
#define ATTNVIZ_COLOR_H

#include <stddef.h>

#include "attnviz/api.h"
#include "attnviz/geom.h"

AVZ_BEGIN_DECLS

typedef struct avz_ramp {
    const avz_color *stops;
    size_t count; /* at least 2 */
} avz_ramp;

/* Near-black through the palette's dark blue and blue to pale blue. */
AVZ_API extern const avz_ramp avz_ramp_sequential;
/* Blue through near-black to red (negative, zero, positive). */
AVZ_API extern const avz_ramp avz_ramp_diverging;
/* Blue to red, as the original's heatmap and distribution bars. */
AVZ_API extern const avz_ramp avz_ramp_blue_red;

/* The colour at t in [0, 1] (clamped). */
AVZ_API avz_color avz_ramp_at(const avz_ramp *ramp, double t);
/* The colour of value on a ramp stretched over [lo, hi] (the middle when lo == hi). */
AVZ_API avz_color avz_ramp_value(const avz_ramp *ramp, double value, double lo, double hi);
/* Black or white, whichever reads on the background (by its luminance). */
AVZ_API avz_color avz_ink_on(avz_color background);

/* A distinct hue for item i of n (tokens, heads), spread over the palette's colour wheel
 * without yellow, which highlights. */
AVZ_API avz_color avz_hue(size_t i, size_t n);

AVZ_END_DECLS

#endif
