/* attnviz math: TeX-subset formulas typeset with the OpenType MATH table of Latin Modern Math
 * (harfbuzz's hb_ot_math_* API), no TeX installation needed.
 *
 * Formulas are read the way LaTeX reads them inside the original's MathTex, an align*
 * environment: the top level is display style. The subset is what the scenes need:
 *   letters (math italic), digits, + - * = < > : , ; ( ) [ ] ! ? . / |
 *   \alpha .. \omega, \Gamma .. \Omega, \cdot \times \pm \top \infty \le \ge \ne \approx \in
 *   \to \sum \prod (limits below and above in display style)
 *   x^{..} x_{..}, \frac{..}{..}, \sqrt{..}, \left( .. \right) with ( ) [ ] | or .
 *   \operatorname{..} \text{..} \mathrm{..}, \mathord \mathop \mathbin \mathrel \mathopen
 *   \mathclose \mathpunct, \, \: \; \! \quad \qquad, and {..} grouping.
 * Anything else is an error that names it; nothing is dropped or replaced silently. */
#ifndef ATTNVIZ_MATH_H
#define ATTNVIZ_MATH_H

#include "attnviz/api.h"
#include "attnviz/error.h"
#include "attnviz/text.h"

AVZ_BEGIN_DECLS

/* One em of the math font, in scene units, per unit of MathTex font_size: LaTeX sets the
 * formula at 10 pt and the original scales 1 pt to font_size / 960 units. Measured on the
 * reference still: at font_size 36 (em 0.375 units, 50.6 px at 1080p) glyph sizes and the
 * distances between them match the original to the pixel. */
#define AVZ_MATH_EM_PER_FONT_SIZE (10.0 / 960.0)

/* Lays out a formula into one path per glyph and per rule (fraction bar, radical overbar), in
 * scene units, with its ink box centred on the origin, in reading order (the order Write
 * traces them). A delimiter or radical built from several font pieces is one path. font_size
 * is the original's MathTex font_size. Paths are appended to out; on failure out is left as
 * it was. Errors (-EINVAL; -EILSEQ for malformed UTF-8 in \text; -ENOMEM) say what was wrong
 * and where, as a byte offset in tex counted from 0: "unsupported command \foo at 12". */
AVZ_API int avz_math_layout(const avz_fonts *fonts, const char *tex, double font_size,
                            avz_parts *out, avz_error *err);

AVZ_END_DECLS

#endif
