/* attnviz figures: the pieces attention diagrams are drawn with — labelled boxes, token cards
 * and rows, bar charts, and orthogonal connectors between nodes. (Grids of cells — matrices,
 * heatmaps, KV caches — are in grid.h.)
 *
 * Each figure is built from ordinary nodes (see scene.h) and returned as a group or a struct
 * of their ids, to place and animate as any node: the figure is invisible until played. */
#ifndef ATTNVIZ_FIGURES_H
#define ATTNVIZ_FIGURES_H

#include <stdbool.h>
#include <stddef.h>

#include "attnviz/api.h"
#include "attnviz/scene.h"

AVZ_BEGIN_DECLS

/* ── Boxes ─────────────────────────────────────────────────────────────────────────────── */

typedef struct avz_box_spec {
    double width, height;
    double radius; /* of the corners; 0: square corners */
    avz_style style;
    double font_size;
    unsigned text_flags; /* avz_text_flags */
    avz_color text;      /* the label's colour */
} avz_box_spec;

/* A box with a label centred in it: a group of (box, label), so that animations of the box
 * alone can reach member 0. */
AVZ_API avz_id avz_labelled_box(avz_scene *s, const char *label, const avz_box_spec *spec);

/* ── Tokens ────────────────────────────────────────────────────────────────────────────── */

typedef struct avz_card_spec {
    double font_size;
    unsigned text_flags;
    avz_color text;         /* the label's colour */
    avz_color fill, stroke; /* the box's */
    double fill_opacity, stroke_width;
    double pad_x, pad_y; /* room around the label, in em */
    double radius;       /* of the corners, in em */
} avz_card_spec;

/* A white label on a box tinted with hue: the look of both built-in scenes' cards. */
AVZ_API avz_card_spec avz_card_tinted(double font_size, avz_color hue);

/* A token in a rounded box, a group of (box, label), centred on the origin. Every card of one
 * spec is as tall as every other and its label stands on the same baseline, whatever its
 * letters, so cards side by side read as one line. */
AVZ_API avz_id avz_token_card(avz_scene *s, const char *token, const avz_card_spec *spec);
/* How wide that card would be, without making it. */
AVZ_API double avz_token_card_width(avz_scene *s, const char *token, const avz_card_spec *spec);
/* Cards in a row `gap` apart, centred on the origin; hues gives each card its fill and
 * stroke, or NULL for the spec's. A group of the cards. */
AVZ_API avz_id avz_token_row(avz_scene *s, const char *const *tokens, size_t count,
                             const avz_card_spec *spec, const avz_color *hues, double gap);

/* ── Bar charts ────────────────────────────────────────────────────────────────────────── */

typedef struct avz_bar_chart_spec {
    avz_vec2 axis; /* where the first bar's base meets the axis */
    avz_vec2 grow; /* the way bars grow: AVZ_RIGHT (stacked downwards) or AVZ_UP (to the right) */
    const double *values;
    size_t count;
    double max_value; /* the value of a full-length bar; 0: the largest value */
    double length;    /* a full bar's length */
    double thickness, gap;
    const avz_color *colors; /* one per bar; NULL: `color` for all */
    avz_color color;
    double fill_opacity;
    avz_color stroke;
    double stroke_width;
    bool show_axis;
    const char *const *labels;     /* at each bar's base, across the axis; NULL: none */
    const char *const *end_labels; /* past each bar's end (values, say); NULL: none */
    double label_size;
    avz_color label_color;
} avz_bar_chart_spec;

typedef struct avz_bar_chart {
    avz_id group;      /* all of the below */
    avz_id axis;       /* AVZ_NONE without */
    avz_id bars;       /* a group of rectangles: avz_grow(bars, edge) grows them from the axis */
    avz_id labels;     /* AVZ_NONE without */
    avz_id end_labels; /* AVZ_NONE without */
} avz_bar_chart;

AVZ_API avz_bar_chart avz_bar_chart_new(avz_scene *s, const avz_bar_chart_spec *spec);
/* The edge bars grow out of, for avz_grow: the opposite of spec->grow. */
AVZ_API avz_vec2 avz_bar_chart_base(const avz_bar_chart_spec *spec);

/* ── Connectors ────────────────────────────────────────────────────────────────────────── */

typedef struct avz_connector_spec {
    avz_color color;
    double width;
    /* Where a Z bends: its middle leg lies `bend` of the way from start to end (0.5: midway),
     * or, when lead_in > 0, lead_in before the end. */
    double bend;
    double lead_in;
    bool arrow; /* a tip at the end */
    double tip_length;
} avz_connector_spec;

/* A plain grey line of the given width that bends midway. */
AVZ_API avz_connector_spec avz_wire(avz_color color, double width);

/* An orthogonal connector from the middle of node a's side a_side (AVZ_DOWN: its bottom edge)
 * to the middle of node b's side b_side: straight when the two points line up along the way
 * out, an L when the sides are at right angles, else a Z whose middle leg crosses at the
 * spec's bend. */
AVZ_API avz_id avz_connect(avz_scene *s, avz_id a, avz_vec2 a_side, avz_id b, avz_vec2 b_side,
                           const avz_connector_spec *spec);
/* The same between two points, leaving `from` along from_dir and entering `to` against
 * to_dir. */
AVZ_API avz_id avz_connect_points(avz_scene *s, avz_vec2 from, avz_vec2 from_dir, avz_vec2 to,
                                  avz_vec2 to_dir, const avz_connector_spec *spec);

AVZ_END_DECLS

#endif
