/* attnviz grids: rows and columns of equal cells, and the figures built on them — a matrix
 * panel of computed numbers, a heatmap, and a KV cache that grows token by token.
 *
 * Each figure is built from ordinary nodes (see scene.h) and returned as a struct of their
 * ids, to animate as any node: the figure is invisible until played. */
#ifndef ATTNVIZ_GRID_H
#define ATTNVIZ_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "attnviz/api.h"
#include "attnviz/color.h"
#include "attnviz/scene.h"

AVZ_BEGIN_DECLS

/* ── Geometry ──────────────────────────────────────────────────────────────────────────── */

/* rows x cols cells of col_w x row_h from the top-left corner (left, top). */
typedef struct avz_grid {
    double left, top, col_w, row_h;
    int rows, cols;
} avz_grid;

/* A grid centred on center. */
AVZ_API avz_grid avz_grid_at(avz_vec2 center, int rows, int cols, double col_w, double row_h);
/* The same grid with its centre moved to center. */
AVZ_API avz_grid avz_grid_moved(const avz_grid *g, avz_vec2 center);
AVZ_API avz_vec2 avz_grid_cell(const avz_grid *g, int row, int col);
AVZ_API avz_vec2 avz_grid_center(const avz_grid *g);
AVZ_API double avz_grid_width(const avz_grid *g);
AVZ_API double avz_grid_height(const avz_grid *g);
/* The box of the whole grid, of one row, of one column or of one cell, grown by pad. */
AVZ_API avz_bbox avz_grid_bounds(const avz_grid *g, double pad);
AVZ_API avz_bbox avz_grid_row_bounds(const avz_grid *g, int row, double pad);
AVZ_API avz_bbox avz_grid_col_bounds(const avz_grid *g, int col, double pad);
AVZ_API avz_bbox avz_grid_cell_bounds(const avz_grid *g, int row, int col, double pad);

/* ── Numbers ───────────────────────────────────────────────────────────────────────────── */

typedef struct avz_number_format {
    double font_size;
    int decimals;
} avz_number_format;

/* v rounded to `decimals` places, with a typographic minus (U+2212) and no negative zero. */
AVZ_API void avz_format_number(double v, int decimals, char *buf, size_t size);
/* v to at most `digits` significant digits, as avz_format_number writes it, without the zeros
 * that would end it: 128, 1.5, 0.03125, 0.03516 with 4. Whole numbers keep every digit. */
AVZ_API void avz_format_significant(double v, int digits, char *buf, size_t size);
/* How numbers fit a column column_width wide: two decimals while they stay legible (font
 * size 10 or more), else one; at most size 13. negative: whether they may carry a minus. */
AVZ_API avz_number_format avz_fit_numbers(double column_width, bool negative);
/* A number as avz_format_number writes it, its ink centred on at. */
AVZ_API avz_id avz_number(avz_scene *s, double v, avz_number_format fmt, avz_color color,
                          avz_vec2 at);

/* Labels beside a grid's rows (right-aligned, `gap` left of it) or above its columns (centred
 * on them, `gap` above it, rising to the right at `tilt` radians when not 0), one baseline for
 * each row or for all columns; colors gives each its colour, or NULL for `color`. A group of
 * the labels in order. */
typedef struct avz_axis_labels {
    const char *const *texts; /* one per row (or column); NULL: no labels */
    const avz_color *colors;
    avz_color color;
    double font_size;
    double gap;
    double tilt;
} avz_axis_labels;

AVZ_API avz_id avz_row_labels(avz_scene *s, const avz_grid *g, const avz_axis_labels *labels);
AVZ_API avz_id avz_col_labels(avz_scene *s, const avz_grid *g, const avz_axis_labels *labels);

/* ── Matrix panel: a frame of numbers with a formula above it ─────────────────────────── */

typedef struct avz_matrix_spec {
    avz_grid grid;
    const double *values; /* row-major, grid.rows x grid.cols, `stride` (>= cols) apart */
    int stride;
    avz_number_format numbers; /* font_size 0: fitted to the column */
    avz_color accent;          /* the frame's tint and the label's colour */
    const char *label_tex;     /* the formula above the frame; NULL for none */
    bool show_size;            /* "rows × cols" in grey beside the label */
    avz_axis_labels rows, cols;
} avz_matrix_spec;

typedef struct avz_matrix {
    avz_grid grid;
    avz_id group;                  /* all of the below */
    avz_id frame;                  /* the tinted rectangle */
    avz_id numbers;                /* a group, row by row */
    avz_id label;                  /* the formula and size; AVZ_NONE without */
    avz_id row_labels, col_labels; /* AVZ_NONE without */
} avz_matrix;

AVZ_API avz_matrix avz_matrix_panel(avz_scene *s, const avz_matrix_spec *spec);
/* The number at row r, column c. */
AVZ_API avz_id avz_matrix_number(const avz_scene *s, const avz_matrix *m, int row, int col);

/* ── Heatmap: cells coloured by their values ─────────────────────────────────────────── */

typedef struct avz_heatmap_spec {
    avz_grid grid;
    const double *values; /* row-major, `stride` (>= cols) apart */
    int stride;
    const avz_ramp *ramp; /* NULL: avz_ramp_sequential */
    double lo, hi;        /* the values the ramp's ends stand for; equal: the values' range (an
                           * error for a grid of no cells, which has none) */
    double gap;           /* between neighbouring cells */
    double fill_opacity;  /* 0: 0.9 */
    avz_color stroke;
    double stroke_width;
    avz_number_format numbers; /* font_size 0: no numbers in the cells */
    avz_axis_labels rows, cols;
} avz_heatmap_spec;

typedef struct avz_heatmap {
    avz_grid grid;
    double side; /* of a cell's square */
    const avz_ramp *ramp;
    double lo, hi;
    avz_id group;                  /* cells, numbers and labels */
    avz_id cells;                  /* a group of squares, row by row */
    avz_id numbers;                /* a group of numbers, row by row; AVZ_NONE without */
    avz_id row_labels, col_labels; /* AVZ_NONE without */
} avz_heatmap;

AVZ_API avz_heatmap avz_heatmap_new(avz_scene *s, const avz_heatmap_spec *spec);
AVZ_API avz_id avz_heatmap_cell(const avz_scene *s, const avz_heatmap *h, int row, int col);
AVZ_API avz_id avz_heatmap_number(const avz_scene *s, const avz_heatmap *h, int row, int col);
/* The colour value has on the heatmap's ramp and range. */
AVZ_API avz_color avz_heatmap_color(const avz_heatmap *h, double value);
/* An outline around one cell's square grown by pad (a highlight, not yet shown). */
AVZ_API avz_id avz_heatmap_highlight(avz_scene *s, const avz_heatmap *h, int row, int col,
                                     double pad, avz_color color, double stroke_width);

/* ── KV cache: a block of squares that grows by one column (or row) per token ─────────── */

typedef struct avz_kv_cache_spec {
    avz_vec2 first;          /* the centre of the first square (row 0, token 0) */
    int rows;                /* rows of squares, e.g. 2 for K and V, or one per KV head and K/V */
    double side, pitch;      /* a square's side; the distance between one token's and the next */
    double row_pitch;        /* between rows; 0: pitch */
    avz_vec2 grow;           /* where each token's squares go: AVZ_RIGHT (a column) or AVZ_DOWN */
    const avz_color *colors; /* one per row; copied by avz_kv_cache_new */
    double fill_opacity;
    double stroke_width;
    const char *const *row_labels; /* beside the rows, in their colours (NULL for none) */
    double label_size;
    double label_gap;  /* between a row label and the first square */
    const char *title; /* in grey, centred over the first token's squares; NULL for none */
    double title_gap;  /* between the top square and the title's baseline */
} avz_kv_cache_spec;

/* Rows a cache may have: two (K and V) for each of 64 KV heads. */
#define AVZ_KV_CACHE_MAX_ROWS 128

typedef struct avz_kv_cache {
    /* The spec as given, but for colors (NULL): the cache keeps its own copy below, so that
     * the spec and its arrays may be a function's locals that are gone by the next grow. */
    avz_kv_cache_spec spec;
    avz_color colors[AVZ_KV_CACHE_MAX_ROWS]; /* spec.rows of them */
    int tokens;                              /* columns (or rows) made so far */
    avz_id group;                            /* everything made so far */
    avz_id labels;                           /* the title and row labels; AVZ_NONE without */
} avz_kv_cache;

/* Makes the labels; every spec field is read here and never again. More than
 * AVZ_KV_CACHE_MAX_ROWS rows, or rows without colours, is an error. */
AVZ_API avz_kv_cache avz_kv_cache_new(avz_scene *s, const avz_kv_cache_spec *spec);
/* Adds the next token's squares and returns them as a group, to show with any animation. */
AVZ_API avz_id avz_kv_cache_grow(avz_scene *s, avz_kv_cache *kv);

AVZ_END_DECLS

#endif
