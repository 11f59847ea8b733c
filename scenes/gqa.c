/* The gqa scene: its parameters, the boxes and cards it is drawn with, and the storyboard
 * that plays its four sections in order. Each section lives in its own file (gqa_*.c). */
#include "gqa.h"

#define TOKEN_FONT_SIZE 10
#define STRINGIFY(x) #x
#define STR(x) STRINGIFY(x)

static const avz_param_def gqa_params[] = {
    {"hidden", "1536", "hidden size (model width), 1..1000000"},
    {"q_heads", "24", "query heads, 1..1024"},
    {"kv_heads", "4", "key/value heads, 1..1024; must divide q_heads"},
    {"head_dim", "64", "dimension of one attention head, 1..4096"},
    {"layers", "24", "transformer blocks, 1..1000"},
    {"tokens", "<s> The cat sat on the mat",
     "the sequence, space-separated: the prompt token, then the tokens to generate; "
     "2.." STR(GQA_MAX_TOKENS) " tokens of up to " STR(GQA_MAX_TOKEN_CHARS) " characters"},
    {"seed", "0", "seed for the scores and distributions of a custom token list, 0..2147483647"},
};

/* Reads and checks the parameters; a bad one latches -EINVAL in s and returns it. */
static int read_config(avz_scene *s, const avz_params *params, gqa_config *cfg) {
    const avz_scene_def *def = &avz_scene_gqa;
    /* Zero heads pass the range check so that gqa_model_check can say why they are wrong. */
    cfg->model = (gqa_model){
        .hidden = avz_param_int(s, def, params, "hidden", 1, 1000000),
        .q_heads = avz_param_int(s, def, params, "q_heads", 0, 1024),
        .kv_heads = avz_param_int(s, def, params, "kv_heads", 0, 1024),
        .head_dim = avz_param_int(s, def, params, "head_dim", 1, 4096),
        .layers = avz_param_int(s, def, params, "layers", 1, 1000),
    };
    cfg->seed = (uint64_t)avz_param_int(s, def, params, "seed", 0, 2147483647L);
    avz_error err = {0};
    int rc = gqa_model_check(&cfg->model, &err);
    if (rc == 0)
        rc = gqa_tokens_parse(avz_param_str(s, def, params, "tokens"), &cfg->tokens, &err);
    if (rc != 0)
        avz_scene_fail(s, rc, "%s", err.msg);
    return avz_scene_status(s, NULL);
}

avz_id gqa_labelled_box(avz_scene *s, const char *label, avz_color color, double width,
                        double height, double font_size) {
    avz_id box = avz_rect(s, width, height, avz_box_style(color, 0.12, 1.5));
    avz_id text = avz_text(s, label, font_size, color);
    return avz_group(s, box, text);
}

avz_id gqa_block(avz_scene *s, const char *label, avz_color color, double width, double height,
                 double font_size) {
    avz_style style = {.fill = AVZ_DARK_BLUE,
                       .fill_opacity = 0.25,
                       .stroke = color,
                       .stroke_opacity = 1.0,
                       .stroke_width = 1.5};
    avz_id box = avz_round_rect(s, width, height, 0.06, style);
    avz_id text = avz_text_ex(s, label, font_size, color, AVZ_TEXT_BOLD);
    return avz_group(s, box, text);
}

/* Lays a text out without making a node: a card must exist before its label (z-order is
 * creation order) yet is sized by it. */
static avz_bbox text_bounds(avz_scene *s, const char *utf8, double font_size, bool bold) {
    avz_text_style style = {.font_size = font_size, .bold = bold, .align = AVZ_ALIGN_LEFT};
    avz_parts parts = {0};
    avz_error err = {0};
    int rc = avz_text_layout(avz_scene_fonts(s), utf8, &style, &parts, &err);
    avz_bbox box = avz_parts_bbox(&parts);
    avz_parts_free(&parts);
    if (rc != 0)
        avz_scene_fail(s, rc, "%s", err.msg);
    return box;
}

double gqa_token_card_width(avz_scene *s, const char *token) {
    return avz_bbox_width(text_bounds(s, token, TOKEN_FONT_SIZE, true)) + 0.2;
}

avz_id gqa_token_card(avz_scene *s, const char *token, avz_color fill, avz_color stroke) {
    avz_bbox ink = text_bounds(s, token, TOKEN_FONT_SIZE, true);
    avz_style style = {.fill = fill,
                       .fill_opacity = 0.5,
                       .stroke = stroke,
                       .stroke_opacity = 1.0,
                       .stroke_width = 0.5};
    avz_id box =
        avz_round_rect(s, avz_bbox_width(ink) + 0.2, avz_bbox_height(ink) + 0.1, 0.04, style);
    avz_id text = avz_text_ex(s, token, TOKEN_FONT_SIZE, AVZ_WHITE, AVZ_TEXT_BOLD);
    return avz_group(s, box, text);
}

void gqa_fit_width(avz_scene *s, avz_id id, double max_width) {
    double width = avz_width(s, id);
    if (width > max_width)
        avz_scale(s, id, max_width / width);
}

static int build(avz_scene *s, const avz_params *params) {
    gqa_config cfg;
    if (read_config(s, params, &cfg) != 0)
        return avz_scene_status(s, NULL);
    gqa_labels labels;
    gqa_labels_make(&cfg.model, &labels);

    gqa_diagram_section(s, &labels);
    avz_id sdpa_title = gqa_sdpa_section(s);
    gqa_heatmap_section(s, &cfg, sdpa_title);
    gqa_generation_section(s, &cfg, &labels);
    return avz_scene_status(s, NULL);
}

const avz_scene_def avz_scene_gqa = {
    .name = "gqa",
    .summary = "Grouped-Query Attention: the diagram, scaled dot-product attention, an "
               "attention heatmap and auto-regressive generation",
    .params = gqa_params,
    .param_count = sizeof gqa_params / sizeof gqa_params[0],
    .build = build,
};
