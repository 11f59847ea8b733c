/* The self-attention scene: scaled dot-product attention worked through on real numbers, phase
 * by phase as its spec (shared/seeds/self_attention_spec.md) tells it. Numbers come from
 * self_attention_model.c, drawing pieces from self_attention_parts.c; this file is the
 * storyboard, in play order. */
#include "self_attention.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "attnviz/registry.h"

/* ── Areas of the frame (scene units; see the spec's layout sketch) ───────────────────── */
#define X_MIN (-AVZ_FRAME_WIDTH / 2 + 0.4)
#define X_MAX (AVZ_FRAME_WIDTH / 2 - 0.4)
#define TOKENS_Y 2.72     /* top: the token row under the title */
#define HEADER_BOTTOM 1.9 /* the heatmap's title stays above this, under the token row */
#define GRID_TOP 1.3      /* centre: matrices (left) and heatmap (right) */
#define GRID_BOTTOM -2.35 /* ... between these */
#define STEP_Y -2.92      /* bottom: the current step's formula */
#define CAPTION_Y -3.55   /* and one line on what it does */
#define MAX_PITCH 0.62
#define GRID_MIDDLE -0.35 /* where fewer rows centre: under the labels above them */
#define PANEL_GAP 0.3
#define PANEL_SLOT 2.0 /* the width a panel's label needs */
#define SUM_W 0.9      /* room right of the heatmap for the row sums */
#define LABEL_SIZE 14
#define NUM_EM 2.35         /* ink width of "−0.00" in em of Liberation Serif */
#define HIGHLIGHT AVZ_WHITE /* Q, K, V wear the gqa scene's yellow, orange, green */
#define MAX_MARK AVZ_ORANGE
#define CELL_GAP 0.05
#define SQRT "\xE2\x88\x9A"
#define TILT (3.14159265358979323846 / 4)

typedef struct sa_ctx {
    avz_scene *s;
    const sa_config *cfg;
    sa_model m;
    double clock; /* seconds played so far in the current phase */

    double label_w; /* room for the widest token name, left of a matrix */
    int tilt;       /* the heatmap's key names are tilted */
    sa_numbers qkv_numbers, x_numbers, score_numbers, weight_numbers;
    sa_grid x_grid, q_grid, k_grid, v_grid, heat_grid;

    avz_id title, intro, intro_tokens, tokens;
    avz_id step, caption; /* the bottom strip */
    sa_matrix x, q, k, v, out;
    avz_id qkv_rows, heat_rows; /* heat_rows first label the rows of X */
    avz_id heat_cols, heat_header, slots;
    avz_id cells[SA_MAX_TOKENS][SA_MAX_TOKENS], values[SA_MAX_TOKENS][SA_MAX_TOKENS];
    avz_id hl_q, hl_k, hl_cell; /* the dot product being shown */
    avz_id why, sums, max_boxes;
    avz_id signs, outputs; /* outputs: everything on screen in the output phase */
    avz_id formula, steps;
    avz_id multi;
} sa_ctx;

/* ── Time: every play goes through here so a phase can pad itself to its nominal length ── */
static void play_list(sa_ctx *c, double seconds, const sa_anims *list) {
    avz_play_list(c->s, seconds, list->items, list->count);
    c->clock += seconds;
}

#define PLAY(c, seconds, ...)                                                                      \
    do {                                                                                           \
        avz_play((c)->s, (seconds), __VA_ARGS__);                                                  \
        (c)->clock += (seconds);                                                                   \
    } while (0)

static void hold(sa_ctx *c, double seconds) {
    avz_wait(c->s, seconds);
    c->clock += seconds;
}

static void pad_phase(sa_ctx *c, const char *name, double nominal) {
    if (c->clock > nominal + 1e-9)
        avz_scene_fail(c->s, -EINVAL, "self-attention: phase %s plays %.2f s, longer than %.2f s",
                       name, c->clock, nominal);
    else if (c->clock < nominal)
        avz_wait(c->s, nominal - c->clock);
    c->clock = 0.0;
}

/* ── Small helpers ───────────────────────────────────────────────────────────────────── */
static avz_vec2 rise(void) {
    return AVZ_V(0.0, 0.2);
}

static avz_id number(sa_ctx *c, double v, sa_numbers fmt, avz_color color, avz_vec2 at) {
    char buf[16];
    sa_format(v, fmt.decimals, buf, sizeof buf);
    avz_id text = avz_text(c->s, buf, fmt.font_size, color);
    avz_move_to(c->s, text, at);
    return text;
}

static avz_id token_row(sa_ctx *c, double font_size, double y) {
    avz_id row = avz_group_of(c->s, NULL, 0);
    for (int i = 0; i < c->cfg->n; i++)
        avz_group_add(
            c->s, row,
            sa_token_card(c->s, c->cfg->tokens[i], sa_token_hue(i, c->cfg->n), font_size));
    avz_arrange(c->s, row, AVZ_RIGHT, 0.2 * font_size / 20.0, AVZ_ORIGIN);
    avz_move_to(c->s, row, AVZ_V(0.0, y));
    return row;
}

/* Swaps the bottom strip's formula (when tex is given) and caption, rolling them upwards. */
static void strip_to(sa_ctx *c, sa_anims *a, const char *tex, avz_color color,
                     const char *caption) {
    if (tex) {
        avz_id step = avz_math(c->s, tex, 30, color);
        avz_move_to(c->s, step, AVZ_V(0.0, STEP_Y));
        if (c->step != AVZ_NONE)
            sa_anims_add(c->s, a, avz_fade_out(c->step, rise(), 1.0));
        sa_anims_add(c->s, a, avz_fade_in(step, rise(), 1.0));
        c->step = step;
    }
    avz_id text = avz_text(c->s, caption, 15, AVZ_LIGHT_GRAY);
    /* A long dot product (d_k = 6, long token names) shrinks rather than leave the frame. */
    if (avz_width(c->s, text) > X_MAX - X_MIN)
        avz_scale(c->s, text, (X_MAX - X_MIN) / avz_width(c->s, text));
    avz_move_to(c->s, text, AVZ_V(0.0, CAPTION_Y));
    if (c->caption != AVZ_NONE)
        sa_anims_add(c->s, a, avz_fade_out(c->caption, rise(), 1.0));
    sa_anims_add(c->s, a, avz_fade_in(text, rise(), 1.0));
    c->caption = text;
}

/* Ramp value of a heatmap entry: scores by their range, weights by the largest weight. */
static double score_t(const sa_ctx *c, int i, int j) {
    const sa_tokens_by_tokens *s = &c->m.head.scores;
    double lo = (*s)[0][0], hi = lo;
    for (int r = 0; r < c->m.n; r++)
        for (int k = 0; k < c->m.n; k++) {
            lo = fmin(lo, (*s)[r][k]);
            hi = fmax(hi, (*s)[r][k]);
        }
    return hi > lo ? ((*s)[i][j] - lo) / (hi - lo) : 0.5;
}

static double weight_t(const sa_ctx *c, int i, int j) {
    double hi = 0.0;
    for (int r = 0; r < c->m.n; r++)
        hi = fmax(hi, c->m.head.weights[r][sa_argmax(c->m.head.weights[r], c->m.n)]);
    return c->m.head.weights[i][j] / hi;
}

/* ── Layout: one row pitch for every matrix and the heatmap, so that row i of X, Q, K, V
 * and of the scores all sit at the same height ─────────────────────────────────────────── */
static void layout(sa_ctx *c) {
    int n = c->cfg->n, d_k = c->cfg->d_k;
    double widest = 0.0;
    for (int i = 0; i < n; i++)
        widest = fmax(widest, sa_text_width(c->s, c->cfg->tokens[i], LABEL_SIZE));
    /* Key names above the heatmap tilt when they would touch; tilted, they are taller, and
     * the heatmap's title above them must still clear the token row. */
    double pitch = fmin(MAX_PITCH, (GRID_TOP - GRID_BOTTOM) / n), grid_top = GRID_TOP;
    c->tilt = widest > pitch - CELL_GAP - 0.06;
    if (c->tilt) {
        grid_top = fmin(GRID_TOP, HEADER_BOTTOM - 0.25 - (widest + 0.2) * sin(TILT));
        pitch = fmin(MAX_PITCH, (grid_top - GRID_BOTTOM) / n);
    }
    double top = fmin(grid_top, GRID_MIDDLE + n * pitch / 2);
    c->label_w = widest + 0.12;
    c->heat_grid = (sa_grid){X_MAX - SUM_W - n * pitch, top, pitch, pitch, n, n};
    c->heat_rows = sa_row_labels(c->s, c->cfg, &c->heat_grid, c->heat_grid.left - 0.12, LABEL_SIZE);

    /* Q, K and V side by side, each in a slot at least as wide as its label. */
    double left = X_MIN + c->label_w, right = c->heat_grid.left - c->label_w - 0.45;
    double col_w = fmin(MAX_PITCH, (right - left - 2 * PANEL_GAP) / (3 * d_k));
    double panel_w = d_k * col_w, slot = fmax(panel_w, PANEL_SLOT);
    left += (right - left - 3 * slot - 2 * PANEL_GAP) / 2 + (slot - panel_w) / 2;
    c->q_grid = (sa_grid){left, top, col_w, pitch, n, d_k};
    c->k_grid = c->q_grid;
    c->k_grid.left += slot + PANEL_GAP;
    c->v_grid = c->k_grid;
    c->v_grid.left += slot + PANEL_GAP;
    c->qkv_rows = sa_row_labels(c->s, c->cfg, &c->q_grid, left - 0.12, LABEL_SIZE);

    double x_col_w = fmin(MAX_PITCH, (X_MAX - c->heat_grid.left) / c->cfg->d_model);
    c->x_grid = (sa_grid){c->heat_grid.left, top, x_col_w, pitch, n, c->cfg->d_model};
    c->qkv_numbers = sa_fit_numbers(col_w, true);
    c->x_numbers = sa_fit_numbers(x_col_w, true);
    c->score_numbers = sa_fit_numbers(pitch - CELL_GAP, true);
    c->weight_numbers = sa_fit_numbers(pitch - CELL_GAP, false);
}

/* ── Phase 1: Intro — the title and the input tokens ──────────────────────────────────── */
static void intro(sa_ctx *c) {
    avz_scene *s = c->s;
    const sa_config *cfg = c->cfg;
    char note[256];

    c->title = avz_text(s, "Transformer Self-Attention", 42, AVZ_BLUE);
    avz_to_edge(s, c->title, AVZ_UP, 0.35);
    c->intro_tokens = token_row(c, 30, 0.2);
    avz_id heading = avz_text(s, "input tokens", 18, AVZ_GRAY);
    avz_next_to(s, heading, c->intro_tokens, AVZ_UP, 0.4);
    snprintf(note, sizeof note,
             "each token: an embedding of d_model = %d numbers, projected to d_k = %d "
             "(seed %llu)",
             cfg->d_model, cfg->d_k, (unsigned long long)cfg->seed);
    avz_id sub = avz_text(s, note, 16, AVZ_GRAY);
    avz_next_to(s, sub, c->intro_tokens, AVZ_DOWN, 0.45);
    c->intro = avz_group(s, heading, sub);

    PLAY(c, 1.0, avz_write(c->title));
    PLAY(c, 0.8, avz_fade_in(c->intro_tokens, rise(), 1.0), avz_fade_in(heading, rise(), 1.0));
    PLAY(c, 0.6, avz_fade_in(sub, rise(), 1.0));
}

/* ── Phase 2: Q K V Projection — embeddings X times W_Q, W_K, W_V ─────────────────────── */
static void project(sa_ctx *c, sa_matrix *dst, const sa_grid *g, const sa_tokens_by_k vals,
                    avz_color accent, const char *tex, avz_id extra) {
    avz_scene *s = c->s;
    sa_anims a = {0};
    /* A copy of the X frame slides over and gives way to the new panel: Q, K, V are X,
     * projected. It is made first to stay under the numbers (z-order is creation order). */
    avz_vec2 from = sa_grid_center(&c->x_grid), to = sa_grid_center(g);
    avz_id ghost = avz_rect(s, sa_grid_width(&c->x_grid), sa_grid_height(&c->x_grid),
                            avz_box_style(accent, 0.08, 1.5));
    avz_move_to(s, ghost, from);
    *dst = sa_matrix_new(s, g, &vals[0][0], SA_MAX_D_K, c->qkv_numbers, accent, tex);
    avz_vec2 slide = AVZ_V(to.x - from.x, to.y - from.y);
    PLAY(c, 0.7, avz_fade_out(ghost, slide, 1.0), avz_fade_in(dst->frame, slide, 1.0));
    sa_anims_add(s, &a, avz_fade_in(dst->numbers, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_write(dst->label));
    if (extra != AVZ_NONE)
        sa_anims_add(s, &a, avz_fade_in(extra, AVZ_ORIGIN, 1.0));
    play_list(c, 0.5, &a);
}

static void qkv_projection(sa_ctx *c) {
    avz_scene *s = c->s;
    sa_head *h = &c->m.head;
    sa_anims a = {0};
    char caption[160];

    c->tokens = token_row(c, 20, TOKENS_Y);
    c->x = sa_matrix_new(s, &c->x_grid, &c->m.x[0][0], SA_MAX_D_MODEL, c->x_numbers, AVZ_LIGHT_GRAY,
                         "X");
    /* The big row slides up and shrinks into the small one (a transform only cross-fades). */
    avz_vec2 up = AVZ_V(0.0, TOKENS_Y - avz_center(s, c->intro_tokens).y);
    PLAY(c, 0.8, avz_fade_out(c->intro_tokens, up, 20.0 / 30.0),
         avz_fade_in(c->tokens, up, 30.0 / 20.0), avz_fade_out(c->intro, rise(), 1.0));
    strip_to(c, &a, NULL, AVZ_WHITE, "X: one embedding row per token (random here, from the seed)");
    sa_anims_add(s, &a, avz_fade_in(c->x.group, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_fade_in(c->heat_rows, AVZ_ORIGIN, 1.0));
    play_list(c, 1.0, &a);

    a.count = 0;
    snprintf(caption, sizeof caption,
             "three learned %d \xC3\x97 %d weight matrices (drawn from seed %llu here) turn each "
             "row of X into a row of Q, K and V",
             c->cfg->d_model, c->cfg->d_k, (unsigned long long)c->cfg->seed);
    strip_to(c, &a, "Q = XW_Q, \\quad K = XW_K, \\quad V = XW_V", AVZ_WHITE, caption);
    play_list(c, 0.6, &a);

    project(c, &c->q, &c->q_grid, h->q, AVZ_YELLOW, "Q = XW_Q", c->qkv_rows);
    project(c, &c->k, &c->k_grid, h->k, AVZ_ORANGE, "K = XW_K", AVZ_NONE);
    project(c, &c->v, &c->v_grid, h->v, AVZ_GREEN, "V = XW_V", AVZ_NONE);

    /* One token's row in all four matrices: the projection works row by row. */
    int r = c->cfg->n > 1 ? 1 : 0;
    avz_id rows = avz_group(s, sa_outline(s, sa_grid_row_bounds(&c->x_grid, r, 0.03), HIGHLIGHT),
                            sa_outline(s, sa_grid_row_bounds(&c->q_grid, r, 0.03), HIGHLIGHT),
                            sa_outline(s, sa_grid_row_bounds(&c->k_grid, r, 0.03), HIGHLIGHT),
                            sa_outline(s, sa_grid_row_bounds(&c->v_grid, r, 0.03), HIGHLIGHT));
    PLAY(c, 0.6, avz_create(rows));
    hold(c, 0.5);
    PLAY(c, 0.4, avz_fade_out(rows, AVZ_ORIGIN, 1.0));
}

/* ── Phase 3: Attention Scores — S = QKᵀ, cell by cell ────────────────────────────────── */
/* The heatmap's title over its key names, but never past the frame's margin. */
static avz_id heat_title(sa_ctx *c, const char *tex, avz_color color) {
    avz_id title = avz_math(c->s, tex, 26, color);
    avz_next_to(c->s, title, c->heat_cols, AVZ_UP, 0.15);
    double overhang = avz_edge(c->s, title, AVZ_RIGHT).x - X_MAX;
    if (overhang > 0)
        avz_shift(c->s, title, AVZ_V(-overhang, 0.0));
    return title;
}

static void heatmap_frame(sa_ctx *c) {
    avz_scene *s = c->s;
    const sa_grid *g = &c->heat_grid;
    int n = c->cfg->n;

    c->slots = avz_group_of(s, NULL, 0);
    c->heat_cols = avz_group_of(s, NULL, 0);
    for (int j = 0; j < n; j++) {
        avz_vec2 foot = AVZ_V(sa_grid_cell(g, 0, j).x, g->top + 0.08);
        avz_id label = sa_label(s, c->cfg->tokens[j], LABEL_SIZE, sa_token_hue(j, n),
                                AVZ_V(foot.x, foot.y + 0.1), AVZ_ORIGIN);
        if (c->tilt) {
            /* Each name rises to the right from its column, all at the same angle. */
            double half = avz_width(s, label) / 2;
            avz_rotate(s, label, TILT);
            avz_shift(s, label, AVZ_V(half * cos(TILT), half * sin(TILT) - 0.05));
        }
        avz_group_add(s, c->heat_cols, label);
        for (int i = 0; i < n; i++) {
            avz_id slot = avz_square(s, g->col_w - CELL_GAP, avz_stroke_style(AVZ_DARK_GRAY, 1.0));
            avz_move_to(s, slot, sa_grid_cell(g, i, j));
            avz_group_add(s, c->slots, slot);
        }
    }
    c->heat_header = heat_title(c, "S = QK^\\top", AVZ_YELLOW);
}

/* Shows the next highlight: drawn the first time, then morphing from where it was. */
/* Puts a highlight around box: drawn the first time, then slid there (boxes of one slot
 * share a size). */
static void highlight(sa_ctx *c, sa_anims *a, avz_id *slot, avz_bbox box) {
    if (*slot == AVZ_NONE) {
        *slot = sa_outline(c->s, box, HIGHLIGHT);
        sa_anims_add(c->s, a, avz_create(*slot));
    } else {
        sa_anims_add(c->s, a, avz_move(*slot, avz_bbox_center(box)));
    }
}

/* A factor of a written-out product: negative ones in parentheses. */
static void factor(double v, char *buf, size_t size) {
    char num[16];
    sa_format(v, 2, num, sizeof num);
    snprintf(buf, size, num[0] == '0' || (num[0] >= '1' && num[0] <= '9') ? "%s" : "(%s)", num);
}

static void clear_highlights(sa_ctx *c, sa_anims *a) {
    avz_id *slots[] = {&c->hl_q, &c->hl_k, &c->hl_cell};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
        if (*slots[i] != AVZ_NONE) {
            sa_anims_add(c->s, a, avz_fade_out(*slots[i], AVZ_ORIGIN, 1.0));
            *slots[i] = AVZ_NONE;
        }
}

/* "q(The) · k(cat) = 0.12 × (−0.30) + … = 1.23": the cell's dot product, term by term. */
static void dot_product_text(const sa_ctx *c, int i, int j, char *buf, size_t size) {
    const sa_head *h = &c->m.head;
    char total[16];
    size_t used = (size_t)snprintf(buf, size, "q(%s) \xC2\xB7 k(%s) = ", c->cfg->tokens[i],
                                   c->cfg->tokens[j]);
    for (int t = 0; t < c->m.d_k && used < size; t++) {
        char q[20], k[20];
        factor(h->q[i][t], q, sizeof q);
        factor(h->k[j][t], k, sizeof k);
        used += (size_t)snprintf(buf + used, size - used, "%s%s \xC3\x97 %s", t ? " + " : "", q, k);
    }
    sa_format(h->scores[i][j], 2, total, sizeof total);
    if (used < size)
        snprintf(buf + used, size - used, " = %s", total);
}

static void reveal_score(sa_ctx *c, int i, int j, double seconds, int explain) {
    avz_scene *s = c->s;
    const sa_grid *g = &c->heat_grid;
    sa_anims a = {0};
    double t = score_t(c, i, j);
    avz_style fill = {sa_heat_color(t), 0.9, AVZ_GRAY, 1.0, 0.5};

    c->cells[i][j] = avz_square(s, g->col_w - CELL_GAP, fill);
    avz_move_to(s, c->cells[i][j], sa_grid_cell(g, i, j));
    c->values[i][j] =
        number(c, c->m.head.scores[i][j], c->score_numbers, sa_heat_ink(t), sa_grid_cell(g, i, j));
    sa_anims_add(s, &a, avz_fade_in(c->cells[i][j], AVZ_ORIGIN, 0.6));
    sa_anims_add(s, &a, avz_fade_in(c->values[i][j], AVZ_ORIGIN, 0.6));
    highlight(c, &a, &c->hl_q, sa_grid_row_bounds(&c->q_grid, i, 0.03));
    highlight(c, &a, &c->hl_k, sa_grid_row_bounds(&c->k_grid, j, 0.03));
    highlight(c, &a, &c->hl_cell, sa_grid_cell_bounds(g, i, j, 0.0));
    if (explain) {
        char text[512];
        dot_product_text(c, i, j, text, sizeof text);
        strip_to(c, &a, NULL, AVZ_WHITE, text);
    }
    play_list(c, seconds, &a);
}

static void attention_scores(sa_ctx *c) {
    avz_scene *s = c->s;
    int n = c->cfg->n, shown = 0;
    sa_anims a = {0};

    heatmap_frame(c);
    sa_anims_add(s, &a, avz_fade_out(c->x.group, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_fade_in(c->slots, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_fade_in(c->heat_cols, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_write(c->heat_header));
    strip_to(c, &a, "\\text{(1) } S = QK^\\top", AVZ_YELLOW,
             "score of query i for key j: the dot product of row i of Q and row j of K");
    play_list(c, 0.8, &a);
    hold(c, 0.4);

    /* The first cells slowly, each with its sum written out; then the rest as a sweep. */
    for (; shown < 3; shown++) {
        reveal_score(c, shown / n, shown % n, 0.6, 1);
        hold(c, 0.55);
    }
    double sweep = fmin(0.3, 3.4 / (n * n - shown));
    a.count = 0;
    strip_to(c, &a, NULL, AVZ_WHITE, "and so on for every pair: row i of Q against row j of K");
    play_list(c, 0.3, &a);
    for (; shown < n * n; shown++)
        reveal_score(c, shown / n, shown % n, sweep, 0);

    a.count = 0;
    clear_highlights(c, &a);
    strip_to(c, &a, NULL, AVZ_WHITE,
             "bright: the query and the key point the same way; dark: they disagree");
    play_list(c, 0.6, &a);
}

/* ── Phase 4: Scale & Softmax — divide by √d_k, then normalise each row ───────────────── */
static avz_id why_note(sa_ctx *c) {
    avz_scene *s = c->s;
    char here[160];
    snprintf(here, sizeof here, "here: the scores spread %.2f; scaled, %.2f",
             sa_spread(c->m.head.scores, c->m.n), sa_spread(c->m.head.scaled, c->m.n));
    avz_id note =
        avz_group(s, avz_math(s, "\\text{Why divide by }\\sqrt{d_k}\\text{?}", 30, AVZ_ORANGE),
                  avz_text(s,
                           "A dot product adds up d_k products, so its spread\n"
                           "grows like " SQRT "d_k. Large scores saturate softmax:\n"
                           "one weight near 1, the others near 0, and the\n"
                           "gradients through it vanish. Dividing by " SQRT "d_k\n"
                           "keeps the scores near unit spread.",
                           16, AVZ_LIGHT_GRAY),
                  avz_text(s, here, 16, AVZ_ORANGE));
    avz_arrange(s, note, AVZ_DOWN, 0.3, AVZ_LEFT);
    /* In the room Q and K leave, never wider than it. */
    double room = c->k_grid.left + sa_grid_width(&c->k_grid) - X_MIN;
    if (avz_width(s, note) > room)
        avz_scale(s, note, room / avz_width(s, note));
    avz_move_to(s, note, AVZ_V(X_MIN + room / 2, sa_grid_center(&c->q_grid).y));
    return note;
}

static void retitle_heatmap(sa_ctx *c, sa_anims *a, const char *tex, avz_color color) {
    avz_id header = heat_title(c, tex, color);
    sa_anims_add(c->s, a, avz_transform(c->heat_header, header));
    c->heat_header = header;
}

static void softmax_row(sa_ctx *c, int i, double seconds) {
    avz_scene *s = c->s;
    const sa_grid *g = &c->heat_grid;
    const sa_head *h = &c->m.head;
    sa_anims a = {0};
    double sum = 0.0;
    char text[32];

    for (int j = 0; j < c->m.n; j++) {
        double t = weight_t(c, i, j);
        avz_id value =
            number(c, h->weights[i][j], c->weight_numbers, sa_heat_ink(t), sa_grid_cell(g, i, j));
        sa_anims_add(s, &a, avz_fill_to(c->cells[i][j], sa_heat_color(t), 0.9));
        sa_anims_add(s, &a, avz_transform(c->values[i][j], value));
        c->values[i][j] = value;
        sum += h->weights[i][j];
    }
    snprintf(text, sizeof text, "\xCE\xA3 = %.2f", sum);
    avz_id total = avz_text(s, text, 13, AVZ_GREEN);
    avz_next_to_point(s, total, AVZ_V(g->left + sa_grid_width(g) + 0.15, sa_grid_cell(g, i, 0).y),
                      AVZ_RIGHT, 0.0);
    avz_id mark =
        sa_outline(s, sa_grid_cell_bounds(g, i, sa_argmax(h->weights[i], c->m.n), -0.01), MAX_MARK);
    avz_group_add(s, c->sums, total);
    avz_group_add(s, c->max_boxes, mark);
    sa_anims_add(s, &a, avz_fade_in(total, AVZ_V(-0.2, 0.0), 1.0));
    sa_anims_add(s, &a, avz_create(mark));
    play_list(c, seconds, &a);
}

static void scale_softmax(sa_ctx *c) {
    avz_scene *s = c->s;
    const sa_head *h = &c->m.head;
    sa_anims a = {0};
    char caption[160];

    snprintf(caption, sizeof caption, "divide every score by " SQRT "d_k = " SQRT "%d = %.2f",
             c->m.d_k, sqrt(c->m.d_k));
    sa_anims_add(s, &a, avz_fade_out(c->q.group, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_fade_out(c->k.group, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_fade_out(c->qkv_rows, AVZ_ORIGIN, 1.0));
    strip_to(c, &a, "\\text{(2) } S \\mathbin{/} \\sqrt{d_k}", AVZ_ORANGE, caption);
    play_list(c, 0.6, &a);

    a.count = 0;
    c->why = why_note(c);
    sa_anims_add(s, &a, avz_write(c->why));
    retitle_heatmap(c, &a, "S \\mathbin{/} \\sqrt{d_k}", AVZ_ORANGE);
    for (int i = 0; i < c->m.n; i++)
        for (int j = 0; j < c->m.n; j++) {
            avz_id value = number(c, h->scaled[i][j], c->score_numbers,
                                  sa_heat_ink(score_t(c, i, j)), sa_grid_cell(&c->heat_grid, i, j));
            sa_anims_add(s, &a, avz_transform(c->values[i][j], value));
            c->values[i][j] = value;
        }
    play_list(c, 1.0, &a);

    a.count = 0;
    retitle_heatmap(c, &a,
                    "A = \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)",
                    AVZ_GREEN);
    strip_to(c, &a,
             "\\text{(3) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)",
             AVZ_GREEN,
             "softmax of each row: weights \xE2\x89\xA5 0 that sum to 1; orange marks "
             "the key each token attends to most");
    play_list(c, 0.5, &a);
    c->sums = avz_group_of(s, NULL, 0);
    c->max_boxes = avz_group_of(s, NULL, 0);
    for (int i = 0; i < c->m.n; i++)
        softmax_row(c, i, 3.0 / c->m.n);
}

/* ── Phase 5: Output Computation — out = A V, one row per token ───────────────────────── */
/* A card for output token i ("cat′"), tinted by the mix of hues it attends to, and the key
 * it attends to most. */
static avz_id output_card(sa_ctx *c, int i, avz_id *note) {
    avz_scene *s = c->s;
    const double *w = c->m.head.weights[i];
    avz_color mix = {0.0, 0.0, 0.0};
    char name[64], share[32];

    for (int j = 0; j < c->m.n; j++) {
        avz_color hue = sa_token_hue(j, c->m.n);
        mix.r += w[j] * hue.r;
        mix.g += w[j] * hue.g;
        mix.b += w[j] * hue.b;
    }
    int top = sa_argmax(w, c->m.n);
    snprintf(name, sizeof name, "%s\xE2\x80\xB2", c->cfg->tokens[i]);
    snprintf(share, sizeof share, "%.0f%%", 100.0 * w[top]);
    const char *words[] = {"\xE2\x86\x90", c->cfg->tokens[top], share};
    const avz_color colors[] = {AVZ_GRAY, sa_token_hue(top, c->m.n), AVZ_GRAY};
    double x = 0.0;
    *note = avz_group_of(s, NULL, 0);
    for (int k = 0; k < 3; k++) {
        avz_id word = sa_label(s, words[k], 13, colors[k], AVZ_V(x, 0.0), AVZ_LEFT);
        x += avz_width(s, word) + 0.08;
        avz_group_add(s, *note, word);
    }
    return sa_token_card(s, name, mix, 16);
}

static avz_id sign_at(sa_ctx *c, const char *text, double x, double y) {
    avz_id sign = avz_text(c->s, text, 32, AVZ_WHITE);
    avz_move_to(c->s, sign, AVZ_V(x, y));
    return sign;
}

/* Lays out label | A × V = out | cards notes, centred; returns the animations that move the
 * heatmap and V there and fills c->outputs with what the phase adds. */
static void output_layout(sa_ctx *c, sa_anims *a, avz_id cards, avz_id notes) {
    avz_scene *s = c->s;
    const double sign_w = 0.7;
    double card_w = 0.0, note_w = 0.0;
    for (int i = 0; i < c->m.n; i++) {
        card_w = fmax(card_w, avz_width(s, avz_group_member(s, cards, (size_t)i)));
        note_w = fmax(note_w, avz_width(s, avz_group_member(s, notes, (size_t)i)));
    }
    double panel_w = sa_grid_width(&c->v_grid), heat_w = sa_grid_width(&c->heat_grid);
    double pad = (fmax(panel_w, PANEL_SLOT) - panel_w) / 2; /* room for a panel's label */
    double total = c->label_w + heat_w + 2 * (sign_w + panel_w + 2 * pad) + 0.4 + card_w + note_w;
    double left = fmax(X_MIN, -total / 2) + c->label_w, y = sa_grid_center(&c->heat_grid).y;

    sa_grid heat = sa_grid_moved(&c->heat_grid, AVZ_V(left + heat_w / 2, y));
    double v_left = left + heat_w + sign_w + pad, out_left = v_left + panel_w + 2 * pad + sign_w;
    sa_grid v = sa_grid_moved(&c->v_grid, AVZ_V(v_left + panel_w / 2, y));
    c->out.grid = sa_grid_moved(&v, AVZ_V(out_left + panel_w / 2, y));
    double cards_x = out_left + panel_w + pad + 0.25;
    /* Shifted from the origin, where they were built, so their baselines stay put. */
    for (int i = 0; i < c->m.n; i++) {
        double row_y = sa_grid_cell(&heat, i, 0).y;
        avz_id card = avz_group_member(s, cards, (size_t)i);
        avz_shift(s, card, AVZ_V(cards_x + avz_width(s, card) / 2, row_y));
        avz_shift(s, avz_group_member(s, notes, (size_t)i), AVZ_V(cards_x + card_w + 0.15, row_y));
    }

    avz_id heatmap =
        avz_group(s, c->slots, c->heat_rows, c->heat_cols, c->heat_header, c->max_boxes);
    for (int i = 0; i < c->m.n; i++)
        for (int j = 0; j < c->m.n; j++)
            avz_group_add(s, heatmap, avz_group(s, c->cells[i][j], c->values[i][j]));
    avz_vec2 at = avz_center(s, heatmap);
    sa_anims_add(s, a, avz_move(heatmap, AVZ_V(at.x + heat.left - c->heat_grid.left, at.y)));
    at = avz_center(s, c->v.group);
    sa_anims_add(s, a, avz_move(c->v.group, AVZ_V(at.x + v.left - c->v_grid.left, at.y)));
    c->heat_grid = heat;
    c->v_grid = v;
    c->signs = avz_group(s, sign_at(c, "\xC3\x97", (heat.left + heat_w + v_left) / 2, y),
                         sign_at(c, "=", (v_left + panel_w + out_left) / 2, y));
    c->outputs = avz_group(s, heatmap, c->v.group, c->signs, cards, notes);
}

static void output(sa_ctx *c) {
    avz_scene *s = c->s;
    int n = c->m.n;
    sa_anims a = {0};
    avz_id cards = avz_group_of(s, NULL, 0), notes = avz_group_of(s, NULL, 0);

    for (int i = 0; i < n; i++) {
        avz_id note;
        avz_group_add(s, cards, output_card(c, i, &note));
        avz_group_add(s, notes, note);
    }
    /* The heatmap's title shrinks to its name: the bottom strip spells it out. */
    retitle_heatmap(c, &a, "A", AVZ_GREEN);
    output_layout(c, &a, cards, notes);
    sa_anims_add(s, &a, avz_fade_out(c->why, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_fade_out(c->sums, AVZ_ORIGIN, 1.0));
    strip_to(
        c, &a,
        "\\text{(4) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right) \\cdot V",
        AVZ_BLUE, "row i of the output: the value rows mixed by row i of the weights");
    play_list(c, 1.0, &a);

    c->out = sa_matrix_new(s, &c->out.grid, &c->m.head.out[0][0], SA_MAX_D_K, c->qkv_numbers,
                           AVZ_BLUE, "\\text{out} = AV");
    avz_group_add(s, c->outputs, c->out.group);
    PLAY(c, 0.5, avz_fade_in(c->signs, AVZ_ORIGIN, 1.0), avz_fade_in(c->out.frame, AVZ_ORIGIN, 1.0),
         avz_write(c->out.label));

    for (int i = 0; i < n; i++) {
        a.count = 0;
        highlight(c, &a, &c->hl_q, sa_grid_row_bounds(&c->heat_grid, i, 0.03));
        highlight(c, &a, &c->hl_cell, sa_grid_row_bounds(&c->out.grid, i, 0.03));
        if (i == 0)
            highlight(c, &a, &c->hl_k, sa_grid_bounds(&c->v_grid, 0.03));
        for (int t = 0; t < c->m.d_k; t++)
            sa_anims_add(
                s, &a,
                avz_fade_in(avz_group_member(s, c->out.numbers, (size_t)(i * c->m.d_k + t)),
                            AVZ_ORIGIN, 1.0));
        sa_anims_add(s, &a,
                     avz_fade_in(avz_group_member(s, cards, (size_t)i), AVZ_V(-0.2, 0), 1.0));
        sa_anims_add(s, &a,
                     avz_fade_in(avz_group_member(s, notes, (size_t)i), AVZ_V(-0.2, 0), 1.0));
        play_list(c, 4.6 / n, &a);
    }
    a.count = 0;
    clear_highlights(c, &a);
    play_list(c, 0.5, &a);
}

/* ── Phase 6: Full Formula — the four steps in one line ───────────────────────────────── */
static void clear_strip(sa_ctx *c, sa_anims *a) {
    sa_anims_add(c->s, a, avz_fade_out(c->step, AVZ_ORIGIN, 1.0));
    sa_anims_add(c->s, a, avz_fade_out(c->caption, AVZ_ORIGIN, 1.0));
    c->step = c->caption = AVZ_NONE;
}

static void full_formula(sa_ctx *c) {
    avz_scene *s = c->s;
    static const struct {
        const char *tex, *what;
    } steps[] = {
        {"\\text{(1) } S = QK^\\top", "score matrix \xE2\x80\x94 pairwise token similarity"},
        {"\\text{(2) } S \\mathbin{/} \\sqrt{d_k}",
         "scale \xE2\x80\x94 keeps softmax out of saturation, where gradients vanish"},
        {"\\text{(3) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)",
         "normalize \xE2\x80\x94 each row sums to 1 (probability)"},
        {"\\text{(4) } \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right) \\cdot "
         "V",
         "weighted sum \xE2\x80\x94 aggregate values by attention"},
    };
    const avz_color colors[] = {AVZ_YELLOW, AVZ_ORANGE, AVZ_GREEN, AVZ_BLUE};
    sa_anims a = {0};

    sa_anims_add(s, &a, avz_fade_out(c->tokens, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_fade_out(c->outputs, AVZ_ORIGIN, 1.0));
    clear_strip(c, &a);
    play_list(c, 0.7, &a);

    c->formula = avz_math(s,
                          "\\operatorname{Attention}(Q,K,V)=\\operatorname{softmax}\\!\\left("
                          "\\frac{QK^\\top}{\\sqrt{d_k}}\\right)\\!V",
                          40, AVZ_WHITE);
    avz_move_to(s, c->formula, AVZ_V(0.0, 1.75));
    PLAY(c, 1.2, avz_write(c->formula));

    c->steps = avz_group_of(s, NULL, 0);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        avz_id line = avz_group(s, avz_math(s, steps[i].tex, 26, colors[i]),
                                avz_text(s, steps[i].what, 14, AVZ_GRAY));
        avz_arrange(s, line, AVZ_DOWN, 0.08, AVZ_ORIGIN);
        avz_group_add(s, c->steps, line);
    }
    avz_arrange(s, c->steps, AVZ_DOWN, 0.24, AVZ_LEFT);
    avz_next_to(s, c->steps, c->formula, AVZ_DOWN, 0.6);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        PLAY(c, 0.35, avz_write(avz_group_member(s, c->steps, i)));
}

/* ── Phase 7: Multi-Head Note — heads side by side, concatenated, projected by W_O ─────── */
/* Head h's attention weights, computed with its own W_Q, W_K, W_V, as a small heatmap. */
static avz_id head_picture(sa_ctx *c, int head, double cell, avz_vec2 at) {
    avz_scene *s = c->s;
    sa_model m;
    sa_model_compute(c->cfg, head, &m);
    sa_grid g = {0.0, 0.0, cell, cell, m.n, m.n};
    g = sa_grid_moved(&g, at);
    double hi = 0.0;
    for (int i = 0; i < m.n; i++)
        hi = fmax(hi, m.head.weights[i][sa_argmax(m.head.weights[i], m.n)]);

    avz_color hue = sa_token_hue(head, c->cfg->heads);
    avz_id frame = avz_round_rect(s, sa_grid_width(&g) + 0.24, sa_grid_height(&g) + 0.24, 0.08,
                                  (avz_style){hue, 0.08, hue, 1.0, 1.5});
    avz_move_to(s, frame, at);
    avz_id picture = avz_group(s, frame);
    for (int i = 0; i < m.n; i++)
        for (int j = 0; j < m.n; j++) {
            avz_color fill = sa_heat_color(m.head.weights[i][j] / hi);
            avz_id square = avz_square(s, cell * 0.9, (avz_style){fill, 0.95, fill, 1.0, 0.0});
            avz_move_to(s, square, sa_grid_cell(&g, i, j));
            avz_group_add(s, picture, square);
        }
    char name[32];
    snprintf(name, sizeof name, "head %d", head + 1);
    avz_id label = avz_text(s, name, 16, hue);
    avz_next_to(s, label, frame, AVZ_UP, 0.12);
    avz_group_add(s, picture, label);
    return picture;
}

typedef struct multi_head_parts {
    avz_id pictures, wires, concat, concat_label, w_o, arrows, result;
} multi_head_parts;

/* Heads side by side; under each, its own stretch of the concatenation (its n x d_k output),
 * so every wire drops straight down; then W_O and the result. */
static multi_head_parts multi_head_diagram(sa_ctx *c) {
    avz_scene *s = c->s;
    int heads = c->cfg->heads, n = c->m.n;
    double slot = fmin(2.3, (X_MAX - X_MIN) / heads - 0.3), pitch = slot + 0.3;
    double cell = fmin(slot - 0.3, 1.8) / n, head_y = 1.3, bar_y = -0.5;
    multi_head_parts p = {.pictures = avz_group_of(s, NULL, 0),
                          .wires = avz_group_of(s, NULL, 0),
                          .concat = avz_group_of(s, NULL, 0)};
    char text[128];

    snprintf(text, sizeof text, "%d \xC3\x97 %d", n, c->m.d_k);
    for (int h = 0; h < heads; h++) {
        double x = (h - (heads - 1) / 2.0) * pitch;
        avz_color hue = sa_token_hue(h, heads);
        avz_group_add(s, p.pictures, head_picture(c, h, cell, AVZ_V(x, head_y)));
        avz_id part = avz_rect(s, pitch, 0.4, (avz_style){hue, 0.35, hue, 1.0, 1.5});
        avz_move_to(s, part, AVZ_V(x, bar_y));
        avz_group_add(s, p.concat, part);
        if (pitch > 0.8)
            avz_group_add(s, p.concat,
                          sa_label(s, text, 13, AVZ_WHITE, AVZ_V(x, bar_y), AVZ_ORIGIN));
        avz_group_add(s, p.wires,
                      avz_line(s, AVZ_V(x, head_y - n * cell / 2 - 0.12), AVZ_V(x, bar_y + 0.2),
                               AVZ_GRAY, 1.5));
    }
    p.w_o = avz_group(s, avz_rect(s, 1.0, 0.55, avz_box_style(AVZ_PURPLE, 0.12, 1.5)),
                      avz_math(s, "W_O", 26, AVZ_PURPLE));
    avz_move_to(s, p.w_o, AVZ_V(0.0, bar_y - 0.85));
    snprintf(text, sizeof text, "output: %d \xC3\x97 %d, a row per token, as wide as X", n,
             c->m.d_model);
    p.result = avz_text(s, text, 16, AVZ_BLUE);
    avz_move_to(s, p.result, AVZ_V(0.0, bar_y - 1.6));
    p.arrows = avz_group(
        s,
        avz_arrow(s, AVZ_V(0.0, bar_y - 0.2), avz_edge(s, p.w_o, AVZ_UP), AVZ_GRAY, 2, 0.12, 0.05),
        avz_arrow(s, avz_edge(s, p.w_o, AVZ_DOWN), avz_edge(s, p.result, AVZ_UP), AVZ_GRAY, 2, 0.12,
                  0.05));
    snprintf(text, sizeof text, "concat: %d \xC3\x97 %d", n, heads * c->m.d_k);
    p.concat_label = avz_text(s, text, 15, AVZ_LIGHT_GRAY);
    avz_next_to(s, p.concat_label, p.w_o, AVZ_LEFT, 0.6);
    return p;
}

static void multi_head(sa_ctx *c) {
    avz_scene *s = c->s;
    int heads = c->cfg->heads;
    sa_anims a = {0};
    char tex[256], caption[200];
    multi_head_parts p = multi_head_diagram(c);

    sa_anims_add(s, &a, avz_fade_out(c->formula, AVZ_ORIGIN, 1.0));
    sa_anims_add(s, &a, avz_fade_out(c->steps, AVZ_ORIGIN, 1.0));
    snprintf(tex, sizeof tex,
             "\\operatorname{MultiHead}(X) = \\operatorname{Concat}(\\text{head}_1, .\\,.\\,., "
             "\\text{head}_{%d})\\, W_O",
             heads);
    snprintf(caption, sizeof caption,
             "%d heads run in parallel, each with its own projections and so its own pattern",
             heads);
    strip_to(c, &a, tex, AVZ_WHITE, caption);
    play_list(c, 0.6, &a);
    PLAY(c, 1.0, avz_fade_in(p.pictures, rise(), 1.0));
    PLAY(c, 0.7, avz_create(p.wires), avz_fade_in(p.concat, AVZ_ORIGIN, 1.0),
         avz_fade_in(p.concat_label, AVZ_ORIGIN, 1.0));
    PLAY(c, 0.7, avz_create(p.arrows), avz_fade_in(p.w_o, AVZ_ORIGIN, 1.0),
         avz_fade_in(p.result, AVZ_ORIGIN, 1.0));
    c->multi =
        avz_group(s, p.pictures, p.wires, p.concat, p.concat_label, p.w_o, p.arrows, p.result);
}

/* ── Phase 8: Outro — the steps, one line each ────────────────────────────────────────── */
static void outro(sa_ctx *c) {
    avz_scene *s = c->s;
    static const struct {
        const char *tex, *what;
    } lines[] = {
        {"Q, K, V = XW_Q, XW_K, XW_V", "project each token\xE2\x80\x99s embedding"},
        {"S = QK^\\top", "score every query against every key"},
        {"S \\mathbin{/} \\sqrt{d_k}", "scale, so softmax does not saturate"},
        {"A = \\operatorname{softmax}\\!\\left(S \\mathbin{/} \\sqrt{d_k}\\right)",
         "each row: attention weights that sum to 1"},
        {"\\text{out} = AV", "mix the value rows by attention"},
        {"\\operatorname{Concat}(\\text{heads})\\, W_O", "many heads in parallel, then project"},
    };
    const avz_color colors[] = {AVZ_WHITE, AVZ_YELLOW, AVZ_ORANGE, AVZ_GREEN, AVZ_BLUE, AVZ_PURPLE};
    const size_t count = sizeof lines / sizeof lines[0];
    avz_id formulas[sizeof lines / sizeof lines[0]], texts[sizeof lines / sizeof lines[0]];
    double formula_w = 0.0, text_w = 0.0;
    sa_anims a = {0};

    for (size_t i = 0; i < count; i++) {
        formulas[i] = avz_math(s, lines[i].tex, 28, colors[i]);
        texts[i] = avz_text(s, lines[i].what, 18, AVZ_LIGHT_GRAY);
        formula_w = fmax(formula_w, avz_width(s, formulas[i]));
        text_w = fmax(text_w, avz_width(s, texts[i]));
    }
    /* Two columns: formulas right-aligned, their meaning left-aligned, centred together. */
    double split = (formula_w - text_w) / 2;
    for (size_t i = 0; i < count; i++) {
        double y = 2.0 - 0.72 * (double)i;
        avz_next_to_point(s, formulas[i], AVZ_V(split - 0.3, y), AVZ_LEFT, 0.0);
        avz_next_to_point(s, texts[i], AVZ_V(split + 0.3, y), AVZ_RIGHT, 0.0);
    }

    char sentence[SA_MAX_TOKENS * sizeof c->cfg->tokens[0]] = "", credits[512];
    for (int i = 0; i < c->cfg->n; i++)
        strcat(strcat(sentence, i ? " " : ""), c->cfg->tokens[i]);
    snprintf(credits, sizeof credits,
             "every number shown was computed: \xE2\x80\x9C%s\xE2\x80\x9D, d_model = %d, d_k = %d, "
             "seed %llu",
             sentence, c->cfg->d_model, c->cfg->d_k, (unsigned long long)c->cfg->seed);
    avz_id footer = avz_text(s, credits, 15, AVZ_GRAY);
    avz_move_to(s, footer, AVZ_V(0.0, CAPTION_Y));

    sa_anims_add(s, &a, avz_fade_out(c->multi, AVZ_ORIGIN, 1.0));
    clear_strip(c, &a);
    play_list(c, 0.5, &a);
    for (size_t i = 0; i < count; i++)
        PLAY(c, 0.3, avz_write(formulas[i]), avz_fade_in(texts[i], AVZ_V(0.2, 0.0), 1.0));
    PLAY(c, 0.5, avz_fade_in(footer, rise(), 1.0));
}

/* ── The scene ───────────────────────────────────────────────────────────────────────── */
static const struct {
    const char *name;
    double seconds;
    void (*play)(sa_ctx *);
} storyboard[] = {
    {"intro", 3.0, intro},
    {"qkv-projection", 8.0, qkv_projection},
    {"attention-scores", 10.0, attention_scores},
    {"scale-softmax", 6.0, scale_softmax},
    {"output", 8.0, output},
    {"formula", 6.0, full_formula},
    {"multi-head", 5.0, multi_head},
    {"outro", 4.0, outro},
};

static const avz_param_def params[] = {
    {"tokens", "The cat sat on mat",
     "the input tokens, separated by spaces: 2 to 8, each up to 10 characters"},
    {"d_model", "8", "embedding width: 2 to 12"},
    {"d_k", "4", "query, key and value width: 2 to 6, at most d_model"},
    {"heads", "4", "heads in the multi-head picture: 2 to 8"},
    {"seed", "7", "seed of the embeddings and weights: 0 to 2147483647"},
};

static int read_config(avz_scene *s, const avz_params *given, sa_config *cfg) {
    const avz_scene_def *def = &avz_scene_self_attention;
    avz_error err = {0};

    cfg->d_model = (int)avz_param_int(s, def, given, "d_model", SA_MIN_D_MODEL, SA_MAX_D_MODEL);
    cfg->d_k = (int)avz_param_int(s, def, given, "d_k", SA_MIN_D_K, SA_MAX_D_K);
    cfg->heads = (int)avz_param_int(s, def, given, "heads", SA_MIN_HEADS, SA_MAX_HEADS);
    cfg->seed = (uint64_t)avz_param_int(s, def, given, "seed", 0, SA_MAX_SEED);
    if (sa_tokens_split(avz_param_str(s, def, given, "tokens"), cfg, &err) ||
        sa_config_check(cfg, &err))
        avz_scene_fail(s, err.code, "%s", err.msg);
    return avz_scene_status(s, NULL);
}

static int build(avz_scene *s, const avz_params *given) {
    sa_config cfg;
    if (read_config(s, given, &cfg))
        return avz_scene_status(s, NULL);

    sa_ctx c = {.s = s, .cfg = &cfg};
    c.step = c.caption = c.hl_q = c.hl_k = c.hl_cell = AVZ_NONE;
    sa_model_compute(&cfg, 0, &c.m);
    layout(&c);
    for (size_t i = 0; i < sizeof storyboard / sizeof storyboard[0]; i++) {
        avz_phase(s, storyboard[i].name);
        storyboard[i].play(&c);
        pad_phase(&c, storyboard[i].name, storyboard[i].seconds);
    }
    return avz_scene_status(s, NULL);
}

const avz_scene_def avz_scene_self_attention = {
    .name = "self-attention",
    .summary = "Scaled dot-product self-attention, worked through on real numbers (50 s)",
    .params = params,
    .param_count = sizeof params / sizeof params[0],
    .build = build,
};
