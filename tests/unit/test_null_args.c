/* What a plug-in's NULL or empty arguments do to the SDK: each call that needs a pointer, or a
 * count its data can hold, latches -EINVAL in the scene with a message naming the call and the
 * argument, returns AVZ_NONE (or a struct of them), and does not crash; a NULL scene is no crash
 * either, and the *_free functions take NULL. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "attnviz/attention.h"
#include "attnviz/figures.h"
#include "attnviz/grid.h"
#include "attnviz/plugin.h"
#include "attnviz/timeline.h"
#include "support.h"

static avz_scene *fresh(void) {
    avz_scene *s = NULL;
    assert_int_equal(avz_scene_new(avz_test_fonts, &s), 0);
    return s;
}

/* s latched -EINVAL with exactly msg; a later call does nothing and keeps it. Frees s. */
static void expect_latched(avz_scene *s, const char *msg) {
    avz_error err = {0};
    assert_int_equal(avz_scene_status(s, &err), -EINVAL);
    assert_string_equal(err.msg, msg);
    assert_int_equal(avz_rect(s, 1, 1, avz_stroke_style(AVZ_WHITE, 1)), AVZ_NONE);
    avz_error again = {0};
    avz_scene_status(s, &again);
    assert_string_equal(again.msg, msg);
    avz_scene_free(s);
}

/* A scene with a phase, for the calls that play. */
static avz_scene *playing(void) {
    avz_scene *s = fresh();
    avz_phase(s, "only");
    return s;
}

static const avz_style style = {AVZ_WHITE, 1, AVZ_WHITE, 1, 2};

static void nodes_refuse_null(void **state) {
    (void)state;
    avz_scene *s = fresh();
    assert_int_equal(avz_shape(s, NULL, style), AVZ_NONE);
    expect_latched(s, "avz_shape: path is NULL");

    s = fresh();
    assert_int_equal(avz_polyline(s, NULL, 3, AVZ_WHITE, 2), AVZ_NONE);
    expect_latched(s, "avz_polyline: points is NULL");
    s = fresh();
    assert_int_equal(avz_polyline(s, (avz_vec2[]){{0, 0}}, 1, AVZ_WHITE, 2), AVZ_NONE);
    expect_latched(s, "avz_polyline: count is 1; a line needs 2 points");

    s = fresh();
    assert_int_equal(avz_text(s, NULL, 24, AVZ_WHITE), AVZ_NONE);
    expect_latched(s, "avz_text: utf8 is NULL");
    s = fresh();
    assert_int_equal(avz_text_ex(s, NULL, 24, AVZ_WHITE, AVZ_TEXT_BOLD), AVZ_NONE);
    expect_latched(s, "avz_text_ex: utf8 is NULL");
    s = fresh();
    assert_int_equal(avz_text_at(s, NULL, 24, AVZ_WHITE, 0, AVZ_ORIGIN, AVZ_ORIGIN), AVZ_NONE);
    expect_latched(s, "avz_text_at: utf8 is NULL");
    s = fresh();
    avz_text_metrics m = avz_measure_text(s, NULL, 24, 0);
    assert_true(m.width == 0 && m.cap_height == 0);
    expect_latched(s, "avz_measure_text: utf8 is NULL");

    char out[32];
    s = fresh();
    assert_int_equal(avz_wrap_text(s, NULL, 24, 0, 1, out, sizeof out), 0);
    expect_latched(s, "avz_wrap_text: utf8 is NULL");
    s = fresh();
    assert_int_equal(avz_wrap_text(s, "a b", 24, 0, 1, NULL, 32), 0);
    expect_latched(s, "avz_wrap_text: out is NULL");

    s = fresh();
    assert_int_equal(avz_math(s, NULL, 24, AVZ_WHITE), AVZ_NONE);
    expect_latched(s, "avz_math: tex is NULL");

    s = fresh();
    assert_int_equal(avz_group_of(s, NULL, 2), AVZ_NONE);
    expect_latched(s, "avz_group_of: members is NULL");
    /* No members need no array. */
    s = fresh();
    assert_int_not_equal(avz_group_of(s, NULL, 0), AVZ_NONE);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    avz_scene_free(s);
}

static void time_refuses_null(void **state) {
    (void)state;
    avz_scene *s = fresh();
    avz_anims_add(s, NULL, avz_show(0));
    expect_latched(s, "avz_anims_add: list is NULL");

    s = fresh();
    avz_phase(s, NULL);
    expect_latched(s, "avz_phase: name is NULL");
    s = fresh();
    avz_phase_len(s, NULL, 1);
    expect_latched(s, "avz_phase_len: name is NULL");

    s = playing();
    avz_play_list(s, AVZ_AUTO, NULL, 2);
    expect_latched(s, "avz_play_list: anims is NULL");
    s = playing();
    avz_lagged_list(s, AVZ_AUTO, 0.5, NULL, 2);
    expect_latched(s, "avz_lagged_list: anims is NULL");
    s = playing();
    avz_play_at_list(s, 0, AVZ_AUTO, NULL, 2);
    expect_latched(s, "avz_play_at_list: anims is NULL");
    s = playing();
    avz_play_anims(s, AVZ_AUTO, NULL);
    expect_latched(s, "avz_play_anims: list is NULL");
    s = playing();
    avz_lagged_anims(s, AVZ_AUTO, 0.5, NULL);
    expect_latched(s, "avz_lagged_anims: list is NULL");
    s = playing();
    avz_play_anims(s, AVZ_AUTO, &(avz_anims){.items = NULL, .count = 1});
    expect_latched(s, "avz_play_anims: anims is NULL");
    /* Nothing to play needs no array. */
    s = playing();
    avz_play_list(s, AVZ_AUTO, NULL, 0);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    avz_scene_free(s);
}

static void figures_refuse_null(void **state) {
    (void)state;
    avz_box_spec box = {.width = 1, .height = 1, .style = style, .font_size = 20};
    avz_scene *s = fresh();
    assert_int_equal(avz_labelled_box(s, NULL, &box), AVZ_NONE);
    expect_latched(s, "avz_labelled_box: label is NULL");
    s = fresh();
    assert_int_equal(avz_labelled_box(s, "x", NULL), AVZ_NONE);
    expect_latched(s, "avz_labelled_box: spec is NULL");

    avz_card_spec card = avz_card_tinted(20, AVZ_BLUE);
    s = fresh();
    assert_int_equal(avz_token_card(s, NULL, &card), AVZ_NONE);
    expect_latched(s, "avz_token_card: token is NULL");
    s = fresh();
    assert_int_equal(avz_token_card(s, "x", NULL), AVZ_NONE);
    expect_latched(s, "avz_token_card: spec is NULL");
    s = fresh();
    assert_true(avz_token_card_width(s, NULL, &card) == 0);
    expect_latched(s, "avz_token_card_width: token is NULL");
    s = fresh();
    assert_true(avz_token_card_width(s, "x", NULL) == 0);
    expect_latched(s, "avz_token_card_width: spec is NULL");

    s = fresh();
    assert_int_equal(avz_token_row(s, NULL, 2, &card, NULL, 0.1), AVZ_NONE);
    expect_latched(s, "avz_token_row: tokens is NULL");
    s = fresh();
    assert_int_equal(avz_token_row(s, (const char *[]){"a", NULL}, 2, &card, NULL, 0.1), AVZ_NONE);
    expect_latched(s, "avz_token_row: tokens[1] is NULL");
    s = fresh();
    assert_int_equal(avz_token_row(s, (const char *[]){"a"}, 1, NULL, NULL, 0.1), AVZ_NONE);
    expect_latched(s, "avz_token_row: spec is NULL");

    s = fresh();
    avz_bar_chart c = avz_bar_chart_new(s, NULL);
    assert_true(c.group == AVZ_NONE && c.bars == AVZ_NONE && c.axis == AVZ_NONE &&
                c.labels == AVZ_NONE && c.end_labels == AVZ_NONE);
    expect_latched(s, "avz_bar_chart_new: spec is NULL");
    avz_bar_chart_spec bars = {.grow = AVZ_RIGHT, .count = 2, .length = 2, .thickness = 0.2};
    s = fresh();
    c = avz_bar_chart_new(s, &bars);
    assert_int_equal(c.group, AVZ_NONE);
    expect_latched(s, "avz_bar_chart_new: spec->values is NULL");
    bars.values = (const double[]){1, 2};
    bars.labels = (const char *const[]){"a", NULL};
    bars.label_size = 12;
    s = fresh();
    c = avz_bar_chart_new(s, &bars);
    assert_int_equal(c.bars, AVZ_NONE);
    expect_latched(s, "avz_bar_chart_new: spec->labels[1] is NULL");
    bars.labels = NULL;
    bars.end_labels = (const char *const[]){NULL, "b"};
    s = fresh();
    avz_bar_chart_new(s, &bars);
    expect_latched(s, "avz_bar_chart_new: spec->end_labels[0] is NULL");
    avz_vec2 base = avz_bar_chart_base(NULL);
    assert_true(base.x == 0 && base.y == 0);

    s = fresh();
    assert_int_equal(avz_connect_points(s, AVZ_ORIGIN, AVZ_RIGHT, AVZ_V(1, 1), AVZ_LEFT, NULL),
                     AVZ_NONE);
    expect_latched(s, "avz_connect_points: spec is NULL");
    s = fresh();
    avz_id a = avz_square(s, 1, style), b = avz_square(s, 1, style);
    avz_shift(s, b, AVZ_V(3, 0));
    assert_int_equal(avz_connect(s, a, AVZ_RIGHT, b, AVZ_LEFT, NULL), AVZ_NONE);
    expect_latched(s, "avz_connect: spec is NULL");
}

static void grids_refuse_null_and_sizes_their_data_cannot_hold(void **state) {
    (void)state;
    avz_grid g = avz_grid_at(AVZ_ORIGIN, 2, 2, 1, 1);
    avz_axis_labels labels = {.texts = (const char *const[]){"a", NULL}, .font_size = 12};
    avz_scene *s = fresh();
    assert_int_equal(avz_row_labels(s, NULL, &labels), AVZ_NONE);
    expect_latched(s, "avz_row_labels: g is NULL");
    s = fresh();
    assert_int_equal(avz_row_labels(s, &g, NULL), AVZ_NONE);
    expect_latched(s, "avz_row_labels: labels is NULL");
    s = fresh();
    assert_int_equal(avz_row_labels(s, &g, &labels), AVZ_NONE);
    expect_latched(s, "avz_row_labels: labels->texts[1] is NULL");
    s = fresh();
    assert_int_equal(avz_col_labels(s, &g, &labels), AVZ_NONE);
    expect_latched(s, "avz_col_labels: labels->texts[1] is NULL");

    s = fresh();
    avz_matrix m = avz_matrix_panel(s, NULL);
    assert_true(m.group == AVZ_NONE && m.frame == AVZ_NONE && m.numbers == AVZ_NONE);
    expect_latched(s, "avz_matrix_panel: spec is NULL");
    avz_matrix_spec ms = {.grid = g, .stride = 2};
    s = fresh();
    m = avz_matrix_panel(s, &ms);
    assert_int_equal(m.group, AVZ_NONE);
    expect_latched(s, "avz_matrix_panel: spec->values is NULL");
    ms.values = (const double[]){1, 2, 3, 4};
    ms.stride = 1;
    s = fresh();
    avz_matrix_panel(s, &ms);
    expect_latched(s, "avz_matrix_panel: stride 1 is less than the grid's 2 columns");
    ms.grid.rows = -1;
    ms.stride = 2;
    s = fresh();
    avz_matrix_panel(s, &ms);
    expect_latched(s, "avz_matrix_panel: a grid of -1 x 2 cells");
    assert_int_equal(avz_matrix_number(NULL, NULL, 0, 0), AVZ_NONE);

    /* A 0x0 heatmap read values[0] for its range. */
    avz_heatmap_spec hs = {.grid = avz_grid_at(AVZ_ORIGIN, 0, 0, 1, 1)};
    s = fresh();
    avz_heatmap h = avz_heatmap_new(s, &hs);
    assert_true(h.group == AVZ_NONE && h.cells == AVZ_NONE && h.numbers == AVZ_NONE);
    expect_latched(s, "avz_heatmap_new: a 0 x 0 grid has no values to take the range from (give "
                      "lo < hi)");
    /* Given its range, an empty heatmap is no error. */
    hs.hi = 1;
    s = fresh();
    avz_heatmap_new(s, &hs);
    assert_int_equal(avz_scene_status(s, NULL), 0);
    avz_scene_free(s);
    s = fresh();
    avz_heatmap_new(s, NULL);
    expect_latched(s, "avz_heatmap_new: spec is NULL");
    hs = (avz_heatmap_spec){.grid = g, .stride = 2};
    s = fresh();
    avz_heatmap_new(s, &hs);
    expect_latched(s, "avz_heatmap_new: spec->values is NULL");
    s = fresh();
    assert_int_equal(avz_heatmap_highlight(s, NULL, 0, 0, 0.1, AVZ_WHITE, 2), AVZ_NONE);
    expect_latched(s, "avz_heatmap_highlight: h is NULL");
    assert_int_equal(avz_heatmap_cell(NULL, NULL, 0, 0), AVZ_NONE);
    assert_int_equal(avz_heatmap_number(NULL, NULL, 0, 0), AVZ_NONE);
    (void)avz_heatmap_color(NULL, 0.5);

    s = fresh();
    avz_kv_cache kv = avz_kv_cache_new(s, NULL);
    assert_true(kv.group == AVZ_NONE && kv.labels == AVZ_NONE && kv.spec.rows == 0);
    expect_latched(s, "avz_kv_cache_new: spec is NULL");
    avz_kv_cache_spec ks = {.rows = 2,
                            .side = 0.2,
                            .pitch = 0.3,
                            .grow = AVZ_RIGHT,
                            .colors = (const avz_color[]){AVZ_BLUE, AVZ_GREEN},
                            .row_labels = (const char *const[]){"K", NULL},
                            .label_size = 12};
    s = fresh();
    kv = avz_kv_cache_new(s, &ks);
    expect_latched(s, "avz_kv_cache_new: spec->row_labels[1] is NULL");
    s = fresh();
    assert_int_equal(avz_kv_cache_grow(s, NULL), AVZ_NONE);
    expect_latched(s, "avz_kv_cache_grow: kv is NULL");
    s = fresh();
    kv = (avz_kv_cache){.spec = {.rows = 1000}};
    assert_int_equal(avz_kv_cache_grow(s, &kv), AVZ_NONE);
    expect_latched(s, "avz_kv_cache_grow: a KV cache of 1000 rows");

    /* Without a scene: no grid reads as one of no cells, no buffer is written to. */
    assert_true(avz_grid_width(NULL) == 0 && avz_grid_height(NULL) == 0);
    avz_vec2 c = avz_grid_cell(NULL, 1, 1);
    assert_true(isfinite(c.x) && isfinite(c.y));
    (void)avz_grid_center(NULL);
    (void)avz_grid_moved(NULL, AVZ_ORIGIN);
    (void)avz_grid_bounds(NULL, 0);
    (void)avz_grid_row_bounds(NULL, 0, 0);
    (void)avz_grid_col_bounds(NULL, 0, 0);
    (void)avz_grid_cell_bounds(NULL, 0, 0, 0);
    avz_format_number(1.5, 2, NULL, 16);
    avz_format_significant(1.5, 2, NULL, 16);
}

static const avz_param_def one_param[] = {AVZ_PARAM_TEXT("title", "T", 1, 9, "the title")};
static const avz_scene_def param_scene = {"nulls", "", one_param, 1, NULL};

static void parameters_refuse_null(void **state) {
    (void)state;
    avz_params p = {.def = &param_scene};
    avz_scene *s = fresh();
    assert_string_equal(avz_param_text(s, NULL, "title"), "");
    expect_latched(s, "avz_param_text: params is NULL");
    s = fresh();
    assert_string_equal(avz_param_text(s, &p, NULL), "");
    expect_latched(s, "avz_param_text: name is NULL");
    s = fresh();
    assert_int_equal(avz_param_int(s, NULL, "n"), 0);
    expect_latched(s, "avz_param_int: params is NULL");
    s = fresh();
    assert_true(avz_param_number(s, &(avz_params){0}, "x") == 0);
    expect_latched(s, "avz_param_number: params->def is NULL");
    s = fresh();
    avz_param_text(s, &(avz_params){.def = &param_scene, .count = 1}, "title");
    expect_latched(s, "avz_param_text: params->names is NULL");

    avz_error err = {0};
    assert_int_equal(avz_params_check(NULL, NULL, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_params_check: def is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_params_check(&param_scene,
                                      &(avz_params){.def = &param_scene,
                                                    .names = (const char *const[]){NULL},
                                                    .values = (const char *const[]){"x"},
                                                    .count = 1},
                                      &err),
                     -EINVAL);
    assert_string_equal(err.msg, "avz_params_check: params->names[0] is NULL");

    avz_scene *out = (avz_scene *)&out;
    err = (avz_error){0};
    assert_int_equal(avz_scene_build(NULL, avz_test_fonts, NULL, &out, &err), -EINVAL);
    assert_null(out);
    assert_string_equal(err.msg, "avz_scene_build: def is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_scene_build(&param_scene, avz_test_fonts, NULL, &out, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_scene_build: def->build is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_scene_build(&param_scene, avz_test_fonts, NULL, NULL, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_scene_build: out is NULL");
}

/* A NULL scene: constructors return AVZ_NONE, everything else does nothing. */
static void a_null_scene_is_no_crash(void **state) {
    (void)state;
    avz_error err = {0};
    assert_int_equal(avz_scene_status(NULL, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_scene_status: scene is NULL");
    assert_int_equal(avz_scene_fail(NULL, -EINVAL, "x"), -EINVAL);
    assert_null(avz_scene_fonts(NULL));
    assert_int_equal(avz_scene_new(avz_test_fonts, NULL), -EINVAL);

    assert_int_equal(avz_rect(NULL, 1, 1, style), AVZ_NONE);
    assert_int_equal(avz_circle(NULL, 1, style), AVZ_NONE);
    assert_int_equal(avz_arc(NULL, 1, 0, 1, AVZ_WHITE, 2), AVZ_NONE);
    assert_int_equal(avz_line(NULL, AVZ_ORIGIN, AVZ_V(1, 0), AVZ_WHITE, 2), AVZ_NONE);
    assert_int_equal(avz_arrow(NULL, AVZ_ORIGIN, AVZ_V(1, 0), AVZ_WHITE, 2, 0.2, 0), AVZ_NONE);
    assert_int_equal(avz_text(NULL, "x", 24, AVZ_WHITE), AVZ_NONE);
    assert_int_equal(avz_math(NULL, "x", 24, AVZ_WHITE), AVZ_NONE);
    assert_int_equal(avz_group_new(NULL), AVZ_NONE);
    assert_int_equal(avz_outline(NULL, (avz_bbox){0, 0, 1, 1}, AVZ_WHITE, 2), AVZ_NONE);
    assert_int_equal(avz_surround(NULL, 0, AVZ_WHITE, 0.1, 2), AVZ_NONE);
    avz_card_spec card = avz_card_tinted(20, AVZ_BLUE);
    assert_int_equal(avz_token_row(NULL, (const char *[]){"a"}, 1, &card, NULL, 0.1), AVZ_NONE);
    assert_int_equal(avz_number(NULL, 1, (avz_number_format){12, 1}, AVZ_WHITE, AVZ_ORIGIN),
                     AVZ_NONE);
    avz_kv_cache kv = avz_kv_cache_new(NULL, &(avz_kv_cache_spec){.rows = 0});
    assert_int_equal(kv.group, AVZ_NONE);
    assert_int_equal(avz_kv_cache_grow(NULL, &kv), AVZ_NONE);

    avz_group_add(NULL, 0, 1);
    assert_int_equal(avz_group_size(NULL, 0), 0);
    assert_int_equal(avz_group_member(NULL, 0, 0), AVZ_NONE);
    avz_bbox b = avz_bounds(NULL, 0);
    assert_true(b.x0 == 0 && b.x1 == 0);
    avz_shift(NULL, 0, AVZ_V(1, 0));
    avz_move_to(NULL, 0, AVZ_ORIGIN);
    avz_scale(NULL, 0, 2);
    avz_fit_width(NULL, 0, 1);
    avz_rotate(NULL, 0, 1);
    avz_next_to(NULL, 0, 1, AVZ_RIGHT, 0.1);
    avz_to_edge(NULL, 0, AVZ_UP, 0.1);
    avz_align_to(NULL, 0, 1, AVZ_UP);
    avz_arrange(NULL, 0, AVZ_RIGHT, 0.1, AVZ_ORIGIN);
    avz_set_fill(NULL, 0, AVZ_WHITE, 1);
    avz_set_stroke(NULL, 0, AVZ_WHITE, 1);
    avz_set_z(NULL, 0, 1);
    avz_text_metrics m = avz_measure_text(NULL, "x", 24, 0);
    assert_true(m.width == 0);
    char out[8];
    assert_int_equal(avz_wrap_text(NULL, "x", 24, 0, 1, out, sizeof out), 0);

    avz_anims list = {0};
    avz_anims_add(NULL, &list, avz_show(0));
    assert_int_equal(list.count, 0);
    avz_phase(NULL, "a");
    avz_phase_len(NULL, "a", 1);
    assert_true(avz_phase_time(NULL) == 0);
    avz_play(NULL, AVZ_AUTO, avz_show(0));
    avz_lagged(NULL, AVZ_AUTO, 0.5, avz_show(0));
    avz_play_at(NULL, 0, AVZ_AUTO, avz_show(0));
    avz_wait(NULL, 1);
    avz_wait_until(NULL, 1);

    assert_int_equal(avz_scene_phase_count(NULL), 0);
    assert_null(avz_scene_phase_name(NULL, 0));
    assert_true(avz_scene_phase_nominal(NULL, 0) == 0);
}

static void frees_take_null(void **state) {
    (void)state;
    avz_scene_free(NULL);
    avz_parts_free(NULL);
    avz_path_free(NULL);
    avz_anims_free(NULL);
    avz_timeline_free(NULL);
    avz_frame_state_free(NULL);
}

static void text_without_a_scene_refuses_null(void **state) {
    (void)state;
    avz_text_style st = {.font_size = 24};
    avz_parts parts = {0};
    avz_error err = {0};
    assert_int_equal(avz_text_layout(NULL, "x", &st, &parts, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_text_layout: fonts is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_text_layout(avz_test_fonts, NULL, &st, &parts, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_text_layout: utf8 is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_text_layout(avz_test_fonts, "x", NULL, &parts, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_text_layout: style is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_text_layout(avz_test_fonts, "x", &st, NULL, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_text_layout: out is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_text_layout_on_baseline(avz_test_fonts, NULL, &st, &parts, NULL, &err),
                     -EINVAL);
    assert_string_equal(err.msg, "avz_text_layout_on_baseline: utf8 is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_label_check("the title", NULL, 0, 9, &err), -EINVAL);
    assert_string_equal(err.msg, "the title is NULL");
    assert_false(avz_text_covers(avz_test_fonts, NULL, &st, NULL));
    assert_false(avz_text_covers(NULL, "x", &st, NULL));
    avz_path path = {0};
    assert_int_equal(avz_parts_push(NULL, &path), -EINVAL);
    assert_int_equal(avz_parts_push(&parts, NULL), -EINVAL);
    assert_true(avz_bbox_is_empty(avz_parts_bbox(NULL)));
    avz_parts_translate(NULL, AVZ_V(1, 1));

    /* A scene without fonts says so, not crash. */
    avz_scene *s = NULL;
    assert_int_equal(avz_scene_new(NULL, &s), 0);
    assert_int_equal(avz_text(s, "x", 24, AVZ_WHITE), AVZ_NONE);
    err = (avz_error){0};
    assert_int_equal(avz_scene_status(s, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_text_layout: fonts is NULL");
    avz_scene_free(s);
}

static void attention_takes_null(void **state) {
    (void)state;
    avz_tokens t;
    avz_error err = {0};
    assert_int_equal(avz_tokens_parse("tokens", NULL, 1, 4, 8, &t, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_tokens_parse: text is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_tokens_parse("tokens", "a b", 1, 4, 8, NULL, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_tokens_parse: out is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_tokens_parse(NULL, "", 1, 4, 8, &t, &err), -EINVAL);
    assert_string_equal(err.msg, "tokens: 0 given; give 1 to 4, separated by spaces");
    char buf[8] = "junk";
    avz_tokens_join(NULL, 0, 1, buf, sizeof buf);
    assert_string_equal(buf, "");
    avz_tokens_join(&t, 0, 1, NULL, 8);

    assert_int_equal(avz_rng_next(NULL), 0);
    (void)avz_rng_unit(NULL);
    (void)avz_rng_uniform(NULL, 0, 1);
    (void)avz_rng_below(NULL, 3);
    double m[4] = {1, 2, 3, 4}, lo = -1, hi = -1;
    avz_matmul(NULL, m, 2, 2, 2, m);
    avz_matmul_bt(m, NULL, 2, 2, 2, m);
    avz_mat_scale(NULL, 4, 2);
    avz_mat_range(NULL, 4, &lo, &hi);
    assert_true(lo == 0 && hi == 0);
    avz_mat_range(m, 4, NULL, NULL);
    assert_true(avz_mat_spread(NULL, 4) == 0);
    assert_int_equal(avz_argmax(NULL, 4), 0);
    avz_causal_mask(NULL, 2);
    avz_softmax_rows(NULL, 2, 2, m);
    avz_softmax_rows(m, 2, 2, NULL);
}

static void timelines_take_null(void **state) {
    (void)state;
    avz_error err = {0};
    avz_timeline *tl = NULL;
    assert_int_equal(avz_timeline_resolve(NULL, NULL, &tl, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_timeline_resolve: s is NULL");
    avz_scene *s = playing();
    avz_wait(s, 1);
    err = (avz_error){0};
    assert_int_equal(avz_timeline_resolve(s, NULL, NULL, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_timeline_resolve: out is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_timeline_resolve(s, &(avz_pacing){.count = 1}, &tl, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_timeline_resolve: pacing->names is NULL");
    err = (avz_error){0};
    avz_pacing pacing = {
        .names = (const char *const[]){NULL}, .seconds = (const double[]){1}, .count = 1};
    assert_int_equal(avz_timeline_resolve(s, &pacing, &tl, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_timeline_resolve: pacing->names[0] is NULL");
    err = (avz_error){0};
    assert_int_equal(avz_unknown_phase(s, NULL, &err), -EINVAL);
    assert_string_equal(err.msg, "avz_unknown_phase: name is NULL");

    assert_true(avz_timeline_duration(NULL) == 0);
    assert_int_equal(avz_timeline_phase_count(NULL), 0);
    assert_null(avz_timeline_phase_name(NULL, 0));
    assert_true(avz_timeline_phase_start(NULL, 0) == 0);
    assert_true(avz_timeline_phase_duration(NULL, 0) == 0);
    assert_int_equal(avz_timeline_find_phase(NULL, "only"), -1);

    assert_int_equal(avz_timeline_resolve(s, NULL, &tl, NULL), 0);
    assert_int_equal(avz_timeline_find_phase(tl, NULL), -1);
    avz_frame_state *st = NULL;
    assert_int_equal(avz_frame_state_new(NULL, &st), -EINVAL);
    assert_int_equal(avz_frame_state_new(s, NULL), -EINVAL);
    assert_int_equal(avz_frame_state_new(s, &st), 0);
    avz_timeline_sample(NULL, tl, 0, st);
    avz_timeline_sample(s, NULL, 0, st);
    avz_timeline_sample(s, tl, 0, NULL);
    avz_frame_state_copy(NULL, st);
    avz_frame_state_copy(st, NULL);
    assert_true(avz_frame_state_equal(NULL, NULL));
    assert_false(avz_frame_state_equal(st, NULL));

    /* A state of another, larger scene is not written into one of this. */
    avz_scene *big = playing();
    for (int i = 0; i < 8; i++)
        avz_square(big, 1, style);
    avz_frame_state *big_st = NULL;
    assert_int_equal(avz_frame_state_new(big, &big_st), 0);
    avz_frame_state_copy(st, big_st);
    avz_frame_state_free(big_st);
    avz_scene_free(big);

    avz_frame_state_free(st);
    avz_timeline_free(tl);
    avz_scene_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nodes_refuse_null),
        cmocka_unit_test(time_refuses_null),
        cmocka_unit_test(figures_refuse_null),
        cmocka_unit_test(grids_refuse_null_and_sizes_their_data_cannot_hold),
        cmocka_unit_test(parameters_refuse_null),
        cmocka_unit_test(a_null_scene_is_no_crash),
        cmocka_unit_test(frees_take_null),
        cmocka_unit_test(text_without_a_scene_refuses_null),
        cmocka_unit_test(attention_takes_null),
        cmocka_unit_test(timelines_take_null),
    };
    return cmocka_run_group_tests(tests, avz_test_open_fonts, avz_test_close_fonts);
}
