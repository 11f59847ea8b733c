/* The self-attention scene, phases 3 to 5: the scores QK^T filled in cell by cell, scaled
 * and normalised row by row, then multiplied with V into the output. */
#include "self_attention.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Ramp value of a weight: by the largest weight in the matrix, so the strongest is brightest. */
static double weight_t(const sa_ctx *c, int i, int j) {
    int n = c->m.n;
    double hi = 0.0;
    for (int r = 0; r < n; r++)
        hi = fmax(hi, c->m.head.weights[r * n + avz_argmax(&c->m.head.weights[r * n], n)]);
    return c->m.head.weights[i * n + j] / hi;
}

/* ── Phase 3: Attention Scores — S = QKᵀ, cell by cell ────────────────────────────────── */
/* The heatmap's title over its key names, but never past the frame's margin. */
static avz_id heat_title(sa_ctx *c, const char *tex, avz_color color) {
    avz_id title = avz_math(c->s, tex, 26, color);
    avz_next_to(c->s, title, c->heat_cols, AVZ_UP, 0.15);
    double overhang = avz_edge(c->s, title, AVZ_RIGHT).x - SA_X_MAX;
    if (overhang > 0)
        avz_shift(c->s, title, AVZ_V(-overhang, 0.0));
    return title;
}

/* The empty grid with its key names, and the scores' cells, all still hidden. */
static void heatmap_frame(sa_ctx *c) {
    avz_scene *s = c->s;
    const avz_grid *g = &c->heat_grid;
    int n = c->cfg->n;

    avz_axis_labels keys = {.texts = c->cfg->names,
                            .colors = c->cfg->hues,
                            .font_size = SA_LABEL_SIZE,
                            .gap = 0.12,
                            .tilt = c->tilt ? SA_TILT : 0};
    c->heat_cols = avz_col_labels(s, g, &keys);
    c->slots = avz_group_new(s);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            avz_id slot =
                avz_square(s, g->col_w - SA_CELL_GAP, avz_stroke_style(AVZ_DARK_GRAY, 1.0));
            avz_move_to(s, slot, avz_grid_cell(g, i, j));
            avz_group_add(s, c->slots, slot);
        }
    avz_heatmap_spec spec = {.grid = *g,
                             .values = c->m.head.scores,
                             .stride = n,
                             .gap = SA_CELL_GAP,
                             .stroke = AVZ_GRAY,
                             .stroke_width = 0.5,
                             .numbers = c->score_numbers};
    c->heat = avz_heatmap_new(s, &spec);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            c->values[i][j] = avz_heatmap_number(s, &c->heat, i, j);
    c->heat_header = heat_title(c, "S = QK^\\top", AVZ_YELLOW);
}

/* A factor of a written-out product: negative ones in parentheses. */
static void factor(double v, char *buf, size_t size) {
    char num[16];
    avz_format_number(v, 2, num, sizeof num);
    snprintf(buf, size, num[0] == '0' || (num[0] >= '1' && num[0] <= '9') ? "%s" : "(%s)", num);
}

/* "q(The) · k(cat) = 0.12 × (−0.30) + … = 1.23": the cell's dot product, term by term. */
static void dot_product_text(const sa_ctx *c, int i, int j, char *buf, size_t size) {
    const sa_head *h = &c->m.head;
    int d_k = c->m.d_k;
    char total[16];
    size_t used =
        (size_t)snprintf(buf, size, "q(%s) \xC2\xB7 k(%s) = ", c->cfg->names[i], c->cfg->names[j]);
    for (int t = 0; t < d_k && used < size; t++) {
        char q[20], k[20];
        factor(h->q[i * d_k + t], q, sizeof q);
        factor(h->k[j * d_k + t], k, sizeof k);
        used += (size_t)snprintf(buf + used, size - used, "%s%s \xC3\x97 %s", t ? " + " : "", q, k);
    }
    avz_format_number(h->scores[i * c->m.n + j], 2, total, sizeof total);
    if (used < size)
        snprintf(buf + used, size - used, " = %s", total);
}

static void reveal_score(sa_ctx *c, int i, int j, double seconds, bool explain) {
    avz_scene *s = c->s;
    avz_anims a = {0};
    avz_anims_add(s, &a, avz_fade_in_ex(avz_heatmap_cell(s, &c->heat, i, j), AVZ_ORIGIN, 0.6));
    avz_anims_add(s, &a, avz_fade_in_ex(c->values[i][j], AVZ_ORIGIN, 0.6));
    sa_highlight(c, &a, &c->hl_q, avz_grid_row_bounds(&c->q_grid, i, 0.03));
    sa_highlight(c, &a, &c->hl_k, avz_grid_row_bounds(&c->k_grid, j, 0.03));
    sa_highlight(c, &a, &c->hl_cell, avz_grid_cell_bounds(&c->heat_grid, i, j, 0.0));
    if (explain) {
        char text[512];
        dot_product_text(c, i, j, text, sizeof text);
        sa_strip_to(c, &a, NULL, AVZ_WHITE, text);
    }
    avz_play_anims(s, seconds, &a);
}

void sa_attention_scores(sa_ctx *c) {
    avz_scene *s = c->s;
    int n = c->cfg->n, shown = 0;
    avz_anims a = {0};

    heatmap_frame(c);
    avz_anims_add(s, &a, avz_fade_out(c->x.group));
    avz_anims_add(s, &a, avz_fade_in(c->slots));
    avz_anims_add(s, &a, avz_fade_in(c->heat_cols));
    avz_anims_add(s, &a, avz_write(c->heat_header));
    sa_strip_to(c, &a, "\\text{(1) } S = QK^\\top", AVZ_YELLOW,
                "score of query i for key j: the dot product of row i of Q and row j of K");
    avz_play_anims(s, 0.8, &a);
    avz_wait(s, 0.4);

    /* The first cells slowly, each with its sum written out; then the rest as a sweep. */
    for (; shown < 3; shown++) {
        reveal_score(c, shown / n, shown % n, 0.6, true);
        avz_wait(s, 0.55);
    }
    double sweep = fmin(0.3, 3.4 / (n * n - shown));
    sa_strip_to(c, &a, NULL, AVZ_WHITE, "and so on for every pair: row i of Q against row j of K");
    avz_play_anims(s, 0.3, &a);
    for (; shown < n * n; shown++)
        reveal_score(c, shown / n, shown % n, sweep, false);

    sa_clear_highlights(c, &a);
    sa_strip_to(c, &a, NULL, AVZ_WHITE,
                "bright: the query and the key point the same way; dark: they disagree");
    avz_play_anims(s, 0.6, &a);
}

/* ── Phase 4: Scale & Softmax — divide by √d_k, then normalise each row ───────────────── */
static avz_id why_note(sa_ctx *c) {
    avz_scene *s = c->s;
    char here[160];
    snprintf(here, sizeof here, "here: the scores spread %.2f; scaled, %.2f",
             avz_mat_spread(c->m.head.scores, (size_t)(c->m.n * c->m.n)),
             avz_mat_spread(c->m.head.scaled, (size_t)(c->m.n * c->m.n)));
    avz_id note =
        avz_group(s, avz_math(s, "\\text{Why divide by }\\sqrt{d_k}\\text{?}", 30, AVZ_ORANGE),
                  avz_text(s,
                           "A dot product adds up d_k products, so its spread\n"
                           "grows like " SA_SQRT "d_k. Large scores saturate softmax:\n"
                           "one weight near 1, the others near 0, and the\n"
                           "gradients through it vanish. Dividing by " SA_SQRT "d_k\n"
                           "keeps the scores near unit spread.",
                           16, AVZ_LIGHT_GRAY),
                  avz_text(s, here, 16, AVZ_ORANGE));
    avz_arrange(s, note, AVZ_DOWN, 0.3, AVZ_LEFT);
    /* In the room Q and K leave, never wider than it. */
    double room = c->k_grid.left + avz_grid_width(&c->k_grid) - SA_X_MIN;
    if (avz_width(s, note) > room)
        avz_scale(s, note, room / avz_width(s, note));
    avz_move_to(s, note, AVZ_V(SA_X_MIN + room / 2, avz_grid_center(&c->q_grid).y));
    return note;
}

static void retitle_heatmap(sa_ctx *c, avz_anims *a, const char *tex, avz_color color) {
    avz_id header = heat_title(c, tex, color);
    avz_anims_add(c->s, a, avz_transform(c->heat_header, header));
    c->heat_header = header;
}

static void softmax_row(sa_ctx *c, int i, double seconds) {
    avz_scene *s = c->s;
    const avz_grid *g = &c->heat_grid;
    const sa_head *h = &c->m.head;
    const int n = c->m.n;
    avz_anims a = {0};
    double sum = 0.0;
    char text[32];

    for (int j = 0; j < n; j++) {
        avz_color fill = avz_ramp_at(&avz_ramp_sequential, weight_t(c, i, j));
        avz_id value = avz_number(s, h->weights[i * n + j], c->weight_numbers, avz_ink_on(fill),
                                  avz_grid_cell(g, i, j));
        avz_anims_add(s, &a, avz_fill_to(avz_heatmap_cell(s, &c->heat, i, j), fill, 0.9));
        avz_anims_add(s, &a, avz_transform(c->values[i][j], value));
        c->values[i][j] = value;
        sum += h->weights[i * n + j];
    }
    snprintf(text, sizeof text, "\xCE\xA3 = %.2f", sum);
    avz_id total = avz_text(s, text, 13, AVZ_GREEN);
    avz_next_to_point(s, total, AVZ_V(g->left + avz_grid_width(g) + 0.15, avz_grid_cell(g, i, 0).y),
                      AVZ_RIGHT, 0.0);
    int top = (int)avz_argmax(&h->weights[i * n], (size_t)n);
    avz_id mark =
        avz_heatmap_highlight(s, &c->heat, i, top, SA_CELL_GAP / 2 - 0.01, SA_MAX_MARK, 3.0);
    avz_group_add(s, c->sums, total);
    avz_group_add(s, c->max_boxes, mark);
    avz_anims_add(s, &a, avz_fade_in_ex(total, AVZ_V(-0.2, 0.0), 1.0));
    avz_anims_add(s, &a, avz_create(mark));
    avz_play_anims(s, seconds, &a);
}

void sa_scale_softmax(sa_ctx *c) {
    avz_scene *s = c->s;
    const sa_head *h = &c->m.head;
    avz_anims a = {0};
    char caption[160];

    snprintf(caption, sizeof caption, "divide every score by " SA_SQRT "d_k = " SA_SQRT "%d = %.2f",
             c->m.d_k, sqrt(c->m.d_k));
    avz_anims_add(s, &a, avz_fade_out(c->q.group));
    avz_anims_add(s, &a, avz_fade_out(c->k.group));
    avz_anims_add(s, &a, avz_fade_out(c->qkv_rows));
    sa_strip_to(c, &a, "\\text{(2) } S \\mathbin{/} \\sqrt{d_k}", AVZ_ORANGE, caption);
    avz_play_anims(s, 0.6, &a);

    c->why = why_note(c);
    avz_anims_add(s, &a, avz_write(c->why));
    retitle_heatmap(c, &a, "S \\mathbin{/} \\sqrt{d_k}", AVZ_ORANGE);
    for (int i = 0; i < c->m.n; i++)
        for (int j = 0; j < c->m.n; j++) {
            avz_color fill = avz_heatmap_color(&c->heat, h->scores[i * c->m.n + j]);
            avz_id value = avz_number(s, h->scaled[i * c->m.n + j], c->score_numbers,
                                      avz_ink_on(fill), avz_grid_cell(&c->heat_grid, i, j));
            avz_anims_add(s, &a, avz_transform(c->values[i][j], value));
            c->values[i][j] = value;
        }
    avz_play_anims(s, 1.0, &a);

    retitle_heatmap(c, &a,
                    "A = \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)",
                    AVZ_GREEN);
    sa_strip_to(c, &a,
                "\\text{(3) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)",
                AVZ_GREEN,
                "softmax of each row: weights \xE2\x89\xA5 0 that sum to 1; orange marks "
                "the key each token attends to most");
    avz_play_anims(s, 0.5, &a);
    c->sums = avz_group_new(s);
    c->max_boxes = avz_group_new(s);
    for (int i = 0; i < c->m.n; i++)
        softmax_row(c, i, 3.0 / c->m.n);
}

/* ── Phase 5: Output Computation — out = A V, one row per token ───────────────────────── */
/* A card for output token i ("cat′"), tinted by the mix of hues it attends to, and the key
 * it attends to most. */
static avz_id output_card(sa_ctx *c, int i, avz_id *note) {
    avz_scene *s = c->s;
    const int n = c->m.n;
    const double *w = &c->m.head.weights[i * n];
    avz_color mix = {0.0, 0.0, 0.0};
    char name[64], share[32];

    for (int j = 0; j < n; j++) {
        avz_color hue = c->cfg->hues[j];
        mix.r += w[j] * hue.r;
        mix.g += w[j] * hue.g;
        mix.b += w[j] * hue.b;
    }
    int top = (int)avz_argmax(w, (size_t)n);
    snprintf(name, sizeof name, "%s\xE2\x80\xB2", c->cfg->names[i]);
    snprintf(share, sizeof share, "%.0f%%", 100.0 * w[top]);
    const char *words[] = {"\xE2\x86\x90", c->cfg->names[top], share};
    const avz_color colors[] = {AVZ_GRAY, c->cfg->hues[top], AVZ_GRAY};
    double x = 0.0;
    *note = avz_group_new(s);
    for (int k = 0; k < 3; k++) {
        avz_id word =
            avz_text_at(s, words[k], 13, colors[k], AVZ_TEXT_MIDDLE, AVZ_V(x, 0.0), AVZ_LEFT);
        x += avz_width(s, word) + 0.08;
        avz_group_add(s, *note, word);
    }
    avz_card_spec card = avz_card_tinted(16, mix);
    return avz_token_card(s, name, &card);
}

static avz_id sign_at(sa_ctx *c, const char *text, double x, double y) {
    avz_id sign = avz_text(c->s, text, 32, AVZ_WHITE);
    avz_move_to(c->s, sign, AVZ_V(x, y));
    return sign;
}

/* Lays out label | A × V = out | cards notes, centred; returns the animations that move the
 * heatmap and V there and fills c->outputs with what the phase adds. */
static void output_layout(sa_ctx *c, avz_anims *a, avz_id cards, avz_id notes) {
    avz_scene *s = c->s;
    const double sign_w = 0.7;
    double card_w = 0.0, note_w = 0.0;
    for (int i = 0; i < c->m.n; i++) {
        card_w = fmax(card_w, avz_width(s, avz_group_member(s, cards, (size_t)i)));
        note_w = fmax(note_w, avz_width(s, avz_group_member(s, notes, (size_t)i)));
    }
    double panel_w = avz_grid_width(&c->v_grid), heat_w = avz_grid_width(&c->heat_grid);
    double pad = (fmax(panel_w, SA_PANEL_SLOT) - panel_w) / 2; /* room for a panel's label */
    double total = c->label_w + heat_w + 2 * (sign_w + panel_w + 2 * pad) + 0.4 + card_w + note_w;
    /* Long token names: the cards and notes shrink into the room right of the output, each
     * about the origin it was built at (which the placing below relies on). */
    double over = total - (SA_X_MAX - SA_X_MIN);
    if (over > 0) {
        double f = (card_w + note_w - over) / (card_w + note_w);
        for (int i = 0; i < c->m.n; i++) {
            const avz_id pair[] = {avz_group_member(s, cards, (size_t)i),
                                   avz_group_member(s, notes, (size_t)i)};
            for (size_t k = 0; k < 2; k++) {
                avz_vec2 at = avz_center(s, pair[k]);
                avz_scale(s, pair[k], f);
                avz_shift(s, pair[k], AVZ_V(-(1 - f) * at.x, -(1 - f) * at.y));
            }
        }
        card_w *= f;
        note_w *= f;
        total -= over;
    }
    double left = fmax(SA_X_MIN, -total / 2) + c->label_w, y = avz_grid_center(&c->heat_grid).y;

    avz_grid heat = avz_grid_moved(&c->heat_grid, AVZ_V(left + heat_w / 2, y));
    double v_left = left + heat_w + sign_w + pad, out_left = v_left + panel_w + 2 * pad + sign_w;
    avz_grid v = avz_grid_moved(&c->v_grid, AVZ_V(v_left + panel_w / 2, y));
    c->out.grid = avz_grid_moved(&v, AVZ_V(out_left + panel_w / 2, y));
    double cards_x = out_left + panel_w + pad + 0.25;
    /* Shifted from the origin, where they were built, so their baselines stay put. */
    for (int i = 0; i < c->m.n; i++) {
        double row_y = avz_grid_cell(&heat, i, 0).y;
        avz_id card = avz_group_member(s, cards, (size_t)i);
        avz_shift(s, card, AVZ_V(cards_x + avz_width(s, card) / 2, row_y));
        avz_shift(s, avz_group_member(s, notes, (size_t)i), AVZ_V(cards_x + card_w + 0.15, row_y));
    }

    avz_id heatmap =
        avz_group(s, c->slots, c->heat_rows, c->heat_cols, c->heat_header, c->max_boxes);
    for (int i = 0; i < c->m.n; i++)
        for (int j = 0; j < c->m.n; j++)
            avz_group_add(s, heatmap,
                          avz_group(s, avz_heatmap_cell(s, &c->heat, i, j), c->values[i][j]));
    avz_vec2 at = avz_center(s, heatmap);
    avz_anims_add(s, a, avz_move(heatmap, AVZ_V(at.x + heat.left - c->heat_grid.left, at.y)));
    at = avz_center(s, c->v.group);
    avz_anims_add(s, a, avz_move(c->v.group, AVZ_V(at.x + v.left - c->v_grid.left, at.y)));
    c->heat_grid = heat;
    c->v_grid = v;
    c->signs = avz_group(s, sign_at(c, "\xC3\x97", (heat.left + heat_w + v_left) / 2, y),
                         sign_at(c, "=", (v_left + panel_w + out_left) / 2, y));
    c->outputs = avz_group(s, heatmap, c->v.group, c->signs, cards, notes);
}

void sa_output(sa_ctx *c) {
    avz_scene *s = c->s;
    int n = c->m.n;
    avz_anims a = {0};
    avz_id cards = avz_group_new(s), notes = avz_group_new(s);

    for (int i = 0; i < n; i++) {
        avz_id note;
        avz_group_add(s, cards, output_card(c, i, &note));
        avz_group_add(s, notes, note);
    }
    /* The heatmap's title shrinks to its name: the bottom strip spells it out. */
    retitle_heatmap(c, &a, "A", AVZ_GREEN);
    output_layout(c, &a, cards, notes);
    avz_anims_add(s, &a, avz_fade_out(c->why));
    avz_anims_add(s, &a, avz_fade_out(c->sums));
    sa_strip_to(
        c, &a,
        "\\text{(4) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right) \\cdot V",
        AVZ_BLUE, "row i of the output: the value rows mixed by row i of the weights");
    avz_play_anims(s, 1.0, &a);

    c->out = sa_panel(c, &c->out.grid, c->m.head.out, c->m.d_k, c->qkv_numbers, AVZ_BLUE,
                      "\\text{out} = AV");
    avz_group_add(s, c->outputs, c->out.group);
    avz_play(s, 0.5, avz_fade_in(c->signs), avz_fade_in(c->out.frame), avz_write(c->out.label));

    for (int i = 0; i < n; i++) {
        sa_highlight(c, &a, &c->hl_q, avz_grid_row_bounds(&c->heat_grid, i, 0.03));
        sa_highlight(c, &a, &c->hl_cell, avz_grid_row_bounds(&c->out.grid, i, 0.03));
        if (i == 0)
            sa_highlight(c, &a, &c->hl_k, avz_grid_bounds(&c->v_grid, 0.03));
        for (int t = 0; t < c->m.d_k; t++)
            avz_anims_add(s, &a, avz_fade_in(avz_matrix_number(s, &c->out, i, t)));
        avz_anims_add(s, &a,
                      avz_fade_in_ex(avz_group_member(s, cards, (size_t)i), AVZ_V(-0.2, 0), 1.0));
        avz_anims_add(s, &a,
                      avz_fade_in_ex(avz_group_member(s, notes, (size_t)i), AVZ_V(-0.2, 0), 1.0));
        avz_play_anims(s, 4.6 / n, &a);
    }
    sa_clear_highlights(c, &a);
    avz_play_anims(s, 0.5, &a);
}
