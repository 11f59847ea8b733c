/* gqa scene, section 1: the GQA block diagram, built box by box and line by line, then its
 * three highlights (RoPE, the GQA ratio, Repeat KV) and the fade-out.
 * Phases: diagram, rope, gqa-ratio, repeat-kv. */
#include "gqa.h"

#define LINE_WIDTH 1.5
#define MAX_LINES 16

typedef struct diagram {
    avz_id title, input, output;
    avz_id q, k, v, repeat, sdpa, o; /* boxes, in the order they appear */
    avz_id lines[MAX_LINES];         /* every connector, for the fade-out */
    size_t line_count;
} diagram;

static avz_id keep_line(diagram *d, avz_id line) {
    d->lines[d->line_count++] = line;
    return line;
}

static avz_id connector(avz_scene *s, diagram *d, avz_vec2 from, avz_vec2 to) {
    return keep_line(d, avz_line(s, from, to, AVZ_GRAY, LINE_WIDTH));
}

/* Title, input label, then the six boxes dropping in one after another. */
static void show_boxes(avz_scene *s, diagram *d, const gqa_labels *labels) {
    d->title = avz_text(s, "Grouped-Query Attention (GQA)", 42, AVZ_BLUE);
    avz_to_edge(s, d->title, AVZ_UP, 0.35);
    avz_play(s, AVZ_AUTO, avz_write(d->title));

    d->input = avz_text(s, "x (hidden states)", 15, AVZ_GRAY);
    avz_move_to(s, d->input, AVZ_V(0, 2.6));
    avz_play(s, AVZ_AUTO, avz_write(d->input));

    d->q = gqa_labelled_box(s, labels->q_proj, AVZ_YELLOW, 2.6, 0.72, 10);
    d->k = gqa_labelled_box(s, labels->k_proj, AVZ_YELLOW, 2.6, 0.72, 10);
    d->v = gqa_labelled_box(s, labels->v_proj, AVZ_YELLOW, 2.6, 0.72, 10);
    d->repeat = gqa_labelled_box(s, labels->repeat_box, AVZ_GREEN, 2.4, 0.68, 10);
    d->sdpa =
        gqa_labelled_box(s, "Scaled Dot-Product\nAttention Q·K^T/√d", AVZ_BLUE, 2.8, 0.74, 10);
    d->o = gqa_labelled_box(s, labels->o_proj, AVZ_PURPLE, 2.2, 0.68, 10);
    avz_move_to(s, d->q, AVZ_V(-3.0, 1.5));
    avz_move_to(s, d->k, AVZ_V(0.0, 1.5));
    avz_move_to(s, d->v, AVZ_V(3.0, 1.5));
    avz_move_to(s, d->repeat, AVZ_V(0.0, 0.0));
    avz_move_to(s, d->sdpa, AVZ_V(0.0, -1.6));
    avz_move_to(s, d->o, AVZ_V(0.0, -2.9));
    const avz_id boxes[] = {d->q, d->k, d->v, d->repeat, d->sdpa, d->o};
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
        avz_play(s, 0.2, avz_fade_in(boxes[i], AVZ_V(0, 0.1), 1.0));
}

/* The input trunk splits above the projections and drops into each from directly above. */
static void draw_input_lines(avz_scene *s, diagram *d) {
    avz_vec2 q_top = avz_edge(s, d->q, AVZ_UP), k_top = avz_edge(s, d->k, AVZ_UP),
             v_top = avz_edge(s, d->v, AVZ_UP);
    double split_y = q_top.y + 0.35;
    avz_id trunk = connector(s, d, avz_edge(s, d->input, AVZ_DOWN), AVZ_V(0, split_y));
    avz_play(s, 0.15, avz_create(trunk));

    avz_id left = connector(s, d, AVZ_V(q_top.x, split_y), AVZ_V(k_top.x, split_y));
    avz_id right = connector(s, d, AVZ_V(k_top.x, split_y), AVZ_V(v_top.x, split_y));
    avz_play(s, 0.2, avz_create(left), avz_create(right));

    const avz_vec2 tops[] = {q_top, k_top, v_top};
    for (size_t i = 0; i < 3; i++) {
        avz_id drop = connector(s, d, AVZ_V(tops[i].x, split_y), tops[i]);
        avz_play(s, 0.12, avz_create(drop));
    }
}

/* K and V join above Repeat KV; Q bypasses it into SDPA; then down to the output. */
static void draw_flow_lines(avz_scene *s, diagram *d) {
    avz_vec2 k_bottom = avz_edge(s, d->k, AVZ_DOWN), v_bottom = avz_edge(s, d->v, AVZ_DOWN);
    avz_vec2 repeat_top = avz_edge(s, d->repeat, AVZ_UP);
    double join_y = repeat_top.y + 0.3;
    avz_id kv = avz_group(s, connector(s, d, k_bottom, AVZ_V(k_bottom.x, join_y)),
                          connector(s, d, v_bottom, AVZ_V(v_bottom.x, join_y)),
                          connector(s, d, AVZ_V(v_bottom.x, join_y), AVZ_V(k_bottom.x, join_y)),
                          connector(s, d, AVZ_V(k_bottom.x, join_y), repeat_top));
    avz_play(s, 0.3, avz_create(kv));

    avz_vec2 q_bottom = avz_edge(s, d->q, AVZ_DOWN), sdpa_top = avz_edge(s, d->sdpa, AVZ_UP);
    double bypass_y = sdpa_top.y + 0.3;
    const avz_vec2 bypass[] = {q_bottom, AVZ_V(q_bottom.x, bypass_y), AVZ_V(sdpa_top.x, bypass_y),
                               sdpa_top};
    avz_id q_line = keep_line(d, avz_polyline(s, bypass, 4, AVZ_GRAY, LINE_WIDTH));
    avz_play(s, 0.15, avz_create(q_line));

    d->output = avz_text(s, "x' (hidden states)", 15, AVZ_GRAY);
    avz_next_to(s, d->output, d->o, AVZ_DOWN, 0.4);
    const avz_id chain[][2] = {{d->repeat, d->sdpa}, {d->sdpa, d->o}, {d->o, d->output}};
    for (size_t i = 0; i < 3; i++) {
        avz_id line =
            keep_line(d, avz_orth_line(s, avz_edge(s, chain[i][0], AVZ_DOWN),
                                       avz_edge(s, chain[i][1], AVZ_UP), AVZ_GRAY, LINE_WIDTH));
        avz_play(s, 0.15, avz_create(line));
    }
    avz_play(s, AVZ_AUTO, avz_write(d->output));
    avz_wait(s, 0.4);
}

static void phase_diagram(avz_scene *s, diagram *d, const gqa_labels *labels) {
    avz_phase(s, "diagram");
    show_boxes(s, d, labels);
    d->line_count = 0;
    draw_input_lines(s, d);
    draw_flow_lines(s, d);
}

/* The original centred this caption over both boxes, on top of the input label; it now
 * starts at the Q highlight's left edge, still right above the two highlights. */
static void phase_rope(avz_scene *s, const diagram *d) {
    avz_phase(s, "rope");
    avz_id rope_q = avz_surround(s, d->q, AVZ_TEAL, 0.12, 4);
    avz_id rope_k = avz_surround(s, d->k, AVZ_TEAL, 0.12, 4);
    avz_id note = avz_text(s, "RoPE: rotary position encoding\napplied to Q and K", 13, AVZ_TEAL);
    avz_next_to(s, note, avz_group(s, rope_q, rope_k), AVZ_UP, 0.25);
    avz_align_to(s, note, rope_q, AVZ_LEFT);
    avz_play(s, AVZ_AUTO, avz_create(rope_q), avz_create(rope_k), avz_write(note));
    avz_wait(s, 1.5);
    avz_play(s, AVZ_AUTO, avz_fade_out(rope_q, AVZ_ORIGIN, 1), avz_fade_out(rope_k, AVZ_ORIGIN, 1),
             avz_fade_out(note, AVZ_ORIGIN, 1));
}

/* A caption beside a highlight, shrunk if it would run past the frame's right edge. */
static avz_id side_caption(avz_scene *s, const char *text, double font_size, avz_color color,
                           avz_id highlight) {
    avz_id caption = avz_text(s, text, font_size, color);
    double left = avz_edge(s, highlight, AVZ_RIGHT).x + 0.5;
    gqa_fit_width(s, caption, GQA_FRAME_RIGHT - left);
    avz_next_to(s, caption, highlight, AVZ_RIGHT, 0.5);
    return caption;
}

/* The original's one-line ratio ran off the frame; it is wrapped after the ratio here. */
static void phase_gqa_ratio(avz_scene *s, const diagram *d, const gqa_labels *labels) {
    avz_phase(s, "gqa-ratio");
    avz_id frame = avz_surround(s, avz_group(s, d->q, d->k, d->v), AVZ_YELLOW, 0.2, 4);
    avz_id caption = side_caption(s, labels->ratio_caption, 13, AVZ_YELLOW, frame);
    avz_play(s, AVZ_AUTO, avz_create(frame), avz_write(caption));
    avz_wait(s, 1.8);
    avz_play(s, AVZ_AUTO, avz_fade_out(frame, AVZ_ORIGIN, 1), avz_fade_out(caption, AVZ_ORIGIN, 1));
}

static void phase_repeat_kv(avz_scene *s, const diagram *d, const gqa_labels *labels) {
    avz_phase(s, "repeat-kv");
    avz_id frame = avz_surround(s, avz_group(s, d->k, d->v), AVZ_GREEN, 0.12, 4);
    avz_id caption = side_caption(s, labels->repeat_note, 12, AVZ_GREEN, frame);
    avz_play(s, AVZ_AUTO, avz_create(frame), avz_write(caption));
    avz_wait(s, 1.5);

    const avz_id rest[] = {d->q,  d->k,    d->v,     d->repeat, d->sdpa, d->o,
                           frame, caption, d->input, d->output, d->title};
    avz_anim fades[sizeof rest / sizeof rest[0] + MAX_LINES];
    size_t count = 0;
    for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++)
        fades[count++] = avz_fade_out(rest[i], AVZ_ORIGIN, 1);
    for (size_t i = 0; i < d->line_count; i++)
        fades[count++] = avz_fade_out(d->lines[i], AVZ_ORIGIN, 1);
    avz_play_list(s, AVZ_AUTO, fades, count);
}

void gqa_diagram_section(avz_scene *s, const gqa_labels *labels) {
    diagram d;
    phase_diagram(s, &d, labels);
    phase_rope(s, &d);
    phase_gqa_ratio(s, &d, labels);
    phase_repeat_kv(s, &d, labels);
}
