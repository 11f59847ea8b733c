/* timing_kv_cache: when things happen. A KV cache grows a token at a time while a caption
 * writes itself in the background, in a phase of fixed length; then a bar chart of the
 * cache's memory grows from its axis and the screen clears. Shows: avz_phase_len,
 * avz_lagged_list, avz_play_at, avz_wait_until, avz_kv_cache_grow, avz_grow, avz_clear.
 *
 *   cc -shared -fPIC -o timing_kv_cache.so timing_kv_cache.c \
 *       $(pkg-config --cflags --libs attnviz)
 *   attnviz render ./timing_kv_cache.so --phase cache=4 -q l -o kv.mp4   # cache: 4 s, not 7 */
#include <attnviz/figures.h> /* avz_bar_chart */
#include <attnviz/grid.h>    /* avz_kv_cache */
#include <attnviz/plugin.h>  /* avz_scene_def, AVZ_PARAM_*, AVZ_PLUGIN */

#define MAX_TOKENS 12 /* the parameter's maximum, and the size of the array below */
static const avz_param_def params[] = {
    AVZ_PARAM_INT("tokens", "8", 1, MAX_TOKENS, "tokens the cache grows by"),
};

static int build(avz_scene *s, const avz_params *p) {
    int n = (int)avz_param_int(s, p, "tokens");
    avz_phase_len(s, "cache", 7.0); /* 7 s: padded if it plays less, an error if more */
    avz_id title = avz_text(s, "The KV cache grows by one token per step", 28, AVZ_BLUE);
    avz_to_edge(s, title, AVZ_UP, 0.5);
    avz_play(s, AVZ_AUTO, avz_write(title)); /* the cursor moves to the end of the write */

    avz_kv_cache_spec spec = {
        .first = AVZ_V(-(n - 1) * 0.25, 2.0), /* row 0, token 0: centres the n tokens */
        .rows = 2,
        .side = 0.4,
        .pitch = 0.5, /* from one token's squares to the next's */
        .grow = AVZ_RIGHT,
        .colors = (const avz_color[]){AVZ_YELLOW, AVZ_ORANGE}, /* one per row */
        .fill_opacity = 0.5,
        .row_labels = (const char *const[]){"K", "V"},
        .label_size = 20,
        .label_gap = 0.25};
    avz_kv_cache kv = avz_kv_cache_new(s, &spec);
    avz_anim grow[MAX_TOKENS];
    for (int i = 0; i < n; i++) /* each call adds one token's K and V squares, as a group */
        grow[i] = avz_fade_in_ex(avz_kv_cache_grow(s, &kv), AVZ_V(0.3, 0), 1.0);
    avz_id caption = avz_text(s, "each new token stores its key and value", 18, AVZ_GRAY);
    avz_next_to(s, caption, kv.group, AVZ_DOWN, 0.4);
    /* In the background: starts 0.5 s from now and leaves the cursor where it is... */
    avz_play_at(s, 0.5, 2.0, avz_write(caption), avz_fade_in(kv.labels));
    /* ...while the tokens arrive one after another, each starting halfway through the last. */
    avz_lagged_list(s, 3.0, 0.5, grow, (size_t)n);
    avz_wait_until(s, 5.5); /* to 5.5 s into the phase (an error if already past it) */
    avz_play(s, AVZ_AUTO, avz_fade_out(caption));

    avz_phase(s, "memory"); /* no declared length: as long as what it plays */
    avz_id heading = avz_text(s, "Memory: 24 KiB per token (24 layers, 4 KV heads)", 28, AVZ_BLUE);
    avz_to_edge(s, heading, AVZ_UP, 0.5);
    avz_bar_chart_spec chart = {
        .axis = AVZ_V(-1.65, -3.2), /* the first bar's base */
        .grow = AVZ_UP,
        .values = (const double[]){24, 48, 96, 192}, /* MiB */
        .count = 4,
        .length = 3.2, /* the longest bar's */
        .thickness = 0.7,
        .gap = 0.4,
        .color = AVZ_TEAL,
        .fill_opacity = 0.7,
        .show_axis = true,
        .labels = (const char *const[]){"1k", "2k", "4k", "8k"}, /* tokens */
        .end_labels = (const char *const[]){"24 MiB", "48 MiB", "96 MiB", "192 MiB"},
        .label_size = 18,
        .label_color = AVZ_WHITE};
    avz_bar_chart bars = avz_bar_chart_new(s, &chart);
    avz_play(s, AVZ_AUTO, avz_transform(title, heading), avz_fade_in(bars.axis),
             avz_fade_in(bars.labels));
    avz_play_at(s, 1.0, 1.0, avz_fade_in(bars.end_labels)); /* the values, from 1 s on */
    /* Meanwhile the bars grow out of their base edge (the axis), one after another. */
    avz_play(s, 1.5, avz_with_lag(avz_grow(bars.bars, avz_bar_chart_base(&chart)), 0.3));
    avz_wait(s, 1.5);
    avz_play(s, AVZ_AUTO, avz_clear()); /* fades out everything on screen */
    return avz_scene_status(s, NULL);
}

static const avz_scene_def scene = {"kv-cache-timing", "a KV cache grows, timed", params, 1, build};
AVZ_PLUGIN(&scene)
