/* grid_attention_heatmap: random attention scores become weights. The cells appear coloured
 * by score; the causal mask greys the future and the rest take their softmax weight's colour,
 * in place; the last query's strongest weight is outlined. Shows: avz_rng, avz_heatmap_new
 * with axis labels, avz_causal_mask, avz_softmax_rows, avz_fill_to per cell, a highlight.
 *
 *   cc -shared -fPIC -o grid_attention_heatmap.so grid_attention_heatmap.c \
 *       $(pkg-config --cflags --libs attnviz)
 *   attnviz still ./grid_attention_heatmap.so --at end -o heatmap.png
 *   attnviz render ./grid_attention_heatmap.so --set seed=7 --set size=8 -q l -o heatmap.mp4 */
#include <attnviz/attention.h> /* avz_rng, avz_causal_mask, avz_softmax_rows, avz_argmax */
#include <attnviz/color.h>     /* avz_ramp_* */
#include <attnviz/grid.h>      /* avz_grid, avz_heatmap */
#include <attnviz/plugin.h>    /* avz_scene_def, AVZ_PARAM_*, AVZ_PLUGIN */

#define MAX_N 8 /* the most tokens: the arrays below are sized for it */
static const avz_param_def params[] = {
    AVZ_PARAM_INT("size", "6", 2, MAX_N, "tokens: the heatmap has size x size cells"),
    AVZ_PARAM_INT("seed", "1", 0, 1000000, "seed of the random scores"),
};

static int build(avz_scene *s, const avz_params *p) {
    int n = (int)avz_param_int(s, p, "size");
    /* The same seed gives the same numbers on every machine: videos are reproducible. */
    avz_rng rng = avz_rng_seed((uint64_t)avz_param_int(s, p, "seed"));
    double scores[MAX_N * MAX_N], weights[MAX_N * MAX_N];
    for (int k = 0; k < n * n; k++)
        scores[k] = avz_rng_uniform(&rng, -2.0, 2.0);

    avz_phase(s, "scores");
    avz_id title = avz_text(s, "Attention: each query (row) against each key", 28, AVZ_BLUE);
    avz_to_edge(s, title, AVZ_UP, 0.5);
    avz_id subtitle = avz_text(s, "random scores q·k", 18, AVZ_GRAY);
    avz_next_to(s, subtitle, title, AVZ_DOWN, 0.15);
    /* A grid is geometry only: n x n cells of 0.66 units, centred a little below the middle.
     * The heatmap draws a square per cell, coloured on a ramp over the values' range. */
    static const char *const names[MAX_N] = {"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"};
    avz_axis_labels axis = {.texts = names, .color = AVZ_GRAY, .font_size = 16, .gap = 0.15};
    avz_heatmap_spec spec = {.grid = avz_grid_at(AVZ_V(0, -0.55), n, n, 0.66, 0.66),
                             .values = scores,
                             .stride = n,
                             .ramp = &avz_ramp_diverging,
                             .gap = 0.06,
                             .rows = axis,  /* queries down the left */
                             .cols = axis}; /* keys along the top */
    avz_heatmap map = avz_heatmap_new(s, &spec);
    avz_play(s, AVZ_AUTO, avz_write(title), avz_fade_in(subtitle), avz_fade_in(map.row_labels),
             avz_fade_in(map.col_labels));
    avz_play(s, 1.5, avz_with_lag(avz_fade_in(map.cells), 0.1)); /* cell by cell, row by row */

    /* The maths is plain C on arrays: mask the future (key > query) to -inf, then softmax
     * each row, so that every row of weights sums to 1. */
    avz_phase(s, "softmax");
    avz_causal_mask(scores, (size_t)n);
    avz_softmax_rows(scores, (size_t)n, (size_t)n, weights);
    avz_id softmax = avz_text(s, "causal mask + softmax: each row sums to 1", 18, AVZ_GRAY);
    avz_move_to(s, softmax, avz_center(s, subtitle));
    avz_anims recolour = {0}; /* one fill_to per cell, all played together */
    for (int k = 0; k < n * n; k++) {
        bool future = k % n > k / n; /* a key after its query: masked, its weight exactly 0 */
        avz_color w = avz_ramp_value(&avz_ramp_sequential, weights[k], 0.0, 1.0);
        avz_anims_add(s, &recolour,
                      avz_fill_to(avz_heatmap_cell(s, &map, k / n, k % n),
                                  future ? AVZ_DARK_GRAY : w, future ? 0.3 : 0.9));
    }
    avz_anims_add(s, &recolour, avz_transform(subtitle, softmax)); /* a cross-fade */
    avz_play_anims(s, 1.5, &recolour); /* plays the list, then frees and empties it */

    /* A highlight is an outline made for one cell, invisible until played. */
    avz_phase(s, "highlight");
    int best = (int)avz_argmax(&weights[(n - 1) * n], (size_t)n);
    avz_id mark = avz_heatmap_highlight(s, &map, n - 1, best, 0.05, AVZ_YELLOW, 5);
    avz_play(s, AVZ_AUTO, avz_create(mark));
    avz_wait(s, 1.5);
    return avz_scene_status(s, NULL);
}

static const avz_scene_def scene = {
    "attention-heatmap", "random scores, a causal mask and softmax on a heatmap", params, 2, build};
AVZ_PLUGIN(&scene)
