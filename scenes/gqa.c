/* The gqa scene: its parameters, the original's boxes and cards, and the storyboard that plays
 * its four sections in order. Each section lives in its own file (gqa_*.c). */
#include "gqa.h"

#define STRINGIFY(x) #x
#define STR(x) STRINGIFY(x)

static const avz_param_def gqa_params[] = {
    AVZ_PARAM_INT("hidden", "1536", 1, 1000000, "hidden size (model width)"),
    AVZ_PARAM_INT("q_heads", "24", 1, 1024, "query heads"),
    AVZ_PARAM_INT("kv_heads", "4", 1, 1024, "key/value heads; must divide q_heads"),
    AVZ_PARAM_INT("head_dim", "64", 1, 4096, "dimension of one attention head"),
    AVZ_PARAM_INT("layers", "24", 1, 1000, "transformer blocks"),
    AVZ_PARAM_TEXT(
        "tokens", "<s> The cat sat on the mat", 1, 250,
        "the sequence, space-separated: the prompt token, then the tokens to generate; "
        "2 to " STR(GQA_MAX_TOKENS) " tokens of up to " STR(GQA_MAX_TOKEN_CHARS) " "
                                                                                 "characters"),
    AVZ_PARAM_INT("seed", "0", 0, 2147483647,
                  "seed for the scores and distributions of a "
                  "custom token list"),
};

/* Reads and checks the parameters; a bad one latches -EINVAL in s and returns it. */
static int read_config(avz_scene *s, const avz_params *params, gqa_config *cfg) {
    cfg->model = (gqa_model){
        .hidden = avz_param_int(s, params, "hidden"),
        .q_heads = avz_param_int(s, params, "q_heads"),
        .kv_heads = avz_param_int(s, params, "kv_heads"),
        .head_dim = avz_param_int(s, params, "head_dim"),
        .layers = avz_param_int(s, params, "layers"),
    };
    cfg->seed = (uint64_t)avz_param_int(s, params, "seed");
    avz_error err = {0};
    int rc = gqa_model_check(&cfg->model, &err);
    if (rc == 0)
        rc = gqa_tokens_parse(avz_param_text(s, params, "tokens"), &cfg->tokens, &err);
    if (rc != 0)
        avz_scene_fail(s, rc, "%s", err.msg);
    return avz_scene_status(s, NULL);
}

avz_id gqa_box(avz_scene *s, const char *label, avz_color color, double width, double height) {
    avz_box_spec spec = {.width = width,
                         .height = height,
                         .style = avz_box_style(color, 0.12, 1.5),
                         .font_size = 10,
                         .text = color};
    return avz_labelled_box(s, label, &spec);
}

avz_id gqa_block(avz_scene *s, const char *label, avz_color color, double width, double height) {
    avz_box_spec spec = {.width = width,
                         .height = height,
                         .radius = 0.06,
                         .style = {AVZ_DARK_BLUE, 0.25, color, 1.0, 1.5},
                         .font_size = 10, /* the original's 9, enlarged to read at 1080p */
                         .text_flags = AVZ_TEXT_BOLD,
                         .text = color};
    return avz_labelled_box(s, label, &spec);
}

avz_card_spec gqa_card(avz_color fill, avz_color stroke) {
    /* The original's: the label's ink and 0.2 by 0.1 units more, at font size 10. */
    return (avz_card_spec){.font_size = 10,
                           .text_flags = AVZ_TEXT_BOLD,
                           .text = AVZ_WHITE,
                           .fill = fill,
                           .stroke = stroke,
                           .fill_opacity = 0.5,
                           .stroke_width = 0.5,
                           .pad_x = 0.72,
                           .pad_y = 0.36,
                           .radius = 0.29};
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
