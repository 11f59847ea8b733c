/* gqa scene, section 1: the GQA block diagram, built box by box and line by line, then its
 * three highlights (RoPE, the GQA ratio, Repeat KV) and the fade-out.
 * Phases: diagram, rope, gqa-ratio, repeat-kv. */
#include "gqa.h"

#define LINE_WIDTH 1.5

typedef struct diagram {
    avz_id title, input, output;
    avz_id q, k, v, repeat, sdpa, o; /* boxes, in the order they appear */
} diagram;

static avz_id line(avz_scene *s, avz_vec2 from, avz_vec2 to) {
    return avz_line(s, from, to, AVZ_GRAY, LINE_WIDTH);
}

/* Title, input label, then the six boxes dropping in one after another. */
static void show_boxes(avz_scene *s, diagram *d, const gqa_labels *labels) {
    d->title = avz_text(s, "Grouped-Query Attention (GQA)", 42, AVZ_BLUE);
    avz_to_edge(s, d->title, AVZ_UP, 0.35);
    avz_play(s, AVZ_AUTO, avz_write(d->title));

    d->input = avz_text(s, "x (hidden states)", 15, AVZ_GRAY);
    avz_move_to(s, d->input, AVZ_V(0, 2.6));
    avz_play(s, AVZ_AUTO, avz_write(d->input));

    d->q = gqa_box(s, labels->q_proj, AVZ_YELLOW, 2.6, 0.72);
    d->k = gqa_box(s, labels->k_proj, AVZ_YELLOW, 2.6, 0.72);
    d->v = gqa_box(s, labels->v_proj, AVZ_YELLOW, 2.6, 0.72);
    d->repeat = gqa_box(s, labels->repeat_box, AVZ_GREEN, 2.4, 0.68);
    d->sdpa = gqa_box(s, "Scaled Dot-Product\nAttention Q·K^T/√d", AVZ_BLUE, 2.8, 0.74);
    d->o = gqa_box(s, labels->o_proj, AVZ_PURPLE, 2.2, 0.68);
    avz_move_to(s, d->q, AVZ_V(-3.0, 1.5));
    avz_move_to(s, d->k, AVZ_V(0.0, 1.5));
    avz_move_to(s, d->v, AVZ_V(3.0, 1.5));
    avz_move_to(s, d->repeat, AVZ_V(0.0, 0.0));
    avz_move_to(s, d->sdpa, AVZ_V(0.0, -1.6));
    avz_move_to(s, d->o, AVZ_V(0.0, -2.9));
    const avz_id boxes[] = {d->q, d->k, d->v, d->repeat, d->sdpa, d->o};
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
        avz_play(s, 0.2, avz_fade_in_ex(boxes[i], AVZ_V(0, 0.1), 1.0));
}

/* The input trunk splits above the projections and drops into each from directly above. */
static void draw_input_lines(avz_scene *s, const diagram *d) {
    avz_vec2 q_top = avz_edge(s, d->q, AVZ_UP), k_top = avz_edge(s, d->k, AVZ_UP),
             v_top = avz_edge(s, d->v, AVZ_UP);
    double split_y = q_top.y + 0.35;
    avz_play(s, 0.15, avz_create(line(s, avz_edge(s, d->input, AVZ_DOWN), AVZ_V(0, split_y))));
    avz_play(s, 0.2, avz_create(line(s, AVZ_V(q_top.x, split_y), AVZ_V(k_top.x, split_y))),
             avz_create(line(s, AVZ_V(k_top.x, split_y), AVZ_V(v_top.x, split_y))));
    const avz_vec2 tops[] = {q_top, k_top, v_top};
    for (size_t i = 0; i < 3; i++)
        avz_play(s, 0.12, avz_create(line(s, AVZ_V(tops[i].x, split_y), tops[i])));
}

/* K and V join above Repeat KV; Q bypasses it into SDPA; then down to the output. */
static void draw_flow_lines(avz_scene *s, diagram *d) {
    avz_connector_spec wire = avz_wire(AVZ_GRAY, LINE_WIDTH);
    wire.lead_in = 0.3; /* the joins sit 0.3 above the box they lead into */
    avz_id kv = avz_group(s, avz_connect(s, d->k, AVZ_DOWN, d->repeat, AVZ_UP, &wire),
                          avz_connect(s, d->v, AVZ_DOWN, d->repeat, AVZ_UP, &wire));
    avz_play(s, 0.3, avz_create(kv));
    avz_play(s, 0.15, avz_create(avz_connect(s, d->q, AVZ_DOWN, d->sdpa, AVZ_UP, &wire)));

    d->output = avz_text(s, "x' (hidden states)", 15, AVZ_GRAY);
    avz_next_to(s, d->output, d->o, AVZ_DOWN, 0.4);
    const avz_id chain[][2] = {{d->repeat, d->sdpa}, {d->sdpa, d->o}, {d->o, d->output}};
    for (size_t i = 0; i < 3; i++)
        avz_play(s, 0.15,
                 avz_create(avz_connect(s, chain[i][0], AVZ_DOWN, chain[i][1], AVZ_UP, &wire)));
    avz_play(s, AVZ_AUTO, avz_write(d->output));
    avz_wait(s, 0.4);
}

static void phase_diagram(avz_scene *s, diagram *d, const gqa_labels *labels) {
    avz_phase(s, "diagram");
    show_boxes(s, d, labels);
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
    avz_play(s, AVZ_AUTO, avz_fade_out(rope_q), avz_fade_out(rope_k), avz_fade_out(note));
}

/* A caption beside a highlight, shrunk if it would run past the frame's right edge. */
static avz_id side_caption(avz_scene *s, const char *text, double font_size, avz_color color,
                           avz_id highlight) {
    avz_id caption = avz_text(s, text, font_size, color);
    double left = avz_edge(s, highlight, AVZ_RIGHT).x + 0.5;
    avz_fit_width(s, caption, GQA_FRAME_RIGHT - left);
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
    avz_play(s, AVZ_AUTO, avz_fade_out(frame), avz_fade_out(caption));
}

/* The broadcast highlighted, then the whole diagram cleared for the next section. */
static void phase_repeat_kv(avz_scene *s, const diagram *d, const gqa_labels *labels) {
    avz_phase(s, "repeat-kv");
    avz_id frame = avz_surround(s, avz_group(s, d->k, d->v), AVZ_GREEN, 0.12, 4);
    avz_id caption = side_caption(s, labels->repeat_note, 12, AVZ_GREEN, frame);
    avz_play(s, AVZ_AUTO, avz_create(frame), avz_write(caption));
    avz_wait(s, 1.5);
    avz_play(s, AVZ_AUTO, avz_clear());
}

void gqa_diagram_section(avz_scene *s, const gqa_labels *labels) {
    diagram d;
    phase_diagram(s, &d, labels);
    phase_rope(s, &d);
    phase_gqa_ratio(s, &d, labels);
    phase_repeat_kv(s, &d, labels);
}
