/* figures_token_row: a sentence as a row of token cards that appear one after another, then
 * arrows from each token to the next. Shows: a text parameter split into tokens
 * (avz_tokens_parse), a token row (avz_token_row), a lagged animation (avz_with_lag) and
 * connectors between nodes (avz_connect).
 *
 *   cc -shared -fPIC -o figures_token_row.so figures_token_row.c \
 *       $(pkg-config --cflags --libs attnviz)
 *   attnviz still ./figures_token_row.so --at arrows+3 -o row.png
 *   attnviz render ./figures_token_row.so --set tokens="to be or not" -q l -o row.mp4 */
#include <attnviz/attention.h> /* avz_tokens_parse, avz_tokens */
#include <attnviz/color.h>     /* avz_hue */
#include <attnviz/figures.h>   /* avz_token_row, avz_connect */
#include <attnviz/plugin.h>    /* avz_scene_def, AVZ_PARAM_*, AVZ_PLUGIN */

/* What `attnviz params` lists and `--set tokens=...` is checked against before build runs. */
static const avz_param_def params[] = {
    AVZ_PARAM_TEXT("tokens", "The cat sat on the mat", 1, 100, "the sentence, 1 to 8 words"),
};

static int build(avz_scene *s, const avz_params *p) {
    /* 1 to 8 tokens of at most 12 characters; otherwise the scene fails with the parser's
     * message ("tokens: 9 given; ...") and attnviz exits 3. */
    avz_tokens t;
    avz_error err = {0};
    if (avz_tokens_parse("tokens", avz_param_text(s, p, "tokens"), 1, 8, 12, &t, &err))
        return avz_scene_fail(s, err.code, "%s", err.msg);

    /* A phase is a named stretch of the timeline: `attnviz phases` lists it, --phase and
     * --at name it. Nodes are invisible until an animation shows them. */
    avz_phase(s, "tokens");
    avz_id title = avz_text(s, "A sentence, token by token", 30, AVZ_BLUE);
    avz_to_edge(s, title, AVZ_UP, 0.6);
    avz_play(s, AVZ_AUTO, avz_write(title)); /* AVZ_AUTO: the animation's own length */

    const char *words[AVZ_TOKENS_MAX];
    avz_color hues[AVZ_TOKENS_MAX];
    for (size_t i = 0; i < t.count; i++) {
        words[i] = t.text[i];
        hues[i] = avz_hue(i, t.count); /* a distinct colour per token */
    }
    /* A row of cards centred on the origin, 0.6 apart, scaled down if wider than the frame. */
    avz_card_spec card = avz_card_tinted(24, AVZ_BLUE); /* white on a tint; hues override it */
    avz_id row = avz_token_row(s, words, t.count, &card, hues, 0.6);
    avz_fit_width(s, row, AVZ_FRAME_WIDTH - 1.0);
    /* A lag staggers an animation over a group's members: card k starts when card k-1 is
     * 40% in. The fade slides each card up by 0.3 as it appears. */
    avz_play(s, 2.0, avz_with_lag(avz_fade_in_ex(row, AVZ_V(0, 0.3), 1.0), 0.4));

    /* Connectors are measured from where the nodes stand now: place first, then connect. */
    avz_phase(s, "arrows");
    avz_connector_spec arrow = {.color = AVZ_GRAY, .width = 3, .arrow = true, .tip_length = 0.15};
    avz_anims draw = {0}; /* a list of animations that grows as needed */
    for (size_t i = 0; i + 1 < t.count; i++) {
        avz_id a = avz_group_member(s, row, i), b = avz_group_member(s, row, i + 1);
        avz_anims_add(s, &draw, avz_create(avz_connect(s, a, AVZ_RIGHT, b, AVZ_LEFT, &arrow)));
    }
    avz_lagged_anims(s, 1.5, 0.5, &draw); /* one after another, half overlapping; frees it */

    avz_id caption = avz_text(s, "each token is read after the one before it", 18, AVZ_GRAY);
    avz_next_to(s, caption, row, AVZ_DOWN, 0.6);
    avz_play(s, AVZ_AUTO, avz_fade_in(caption));
    avz_wait(s, 1.5);
    /* Errors latch in s (see scene.h): one check at the end reports the first. */
    return avz_scene_status(s, NULL);
}

/* A scene: its name (what `attnviz render NAME` types), a summary for `attnviz list`, its
 * parameters and its build function. AVZ_PLUGIN lists the scenes of this shared object. */
static const avz_scene_def scene = {"token-row", "a sentence as token cards linked by arrows",
                                    params, 1, build};
AVZ_PLUGIN(&scene)
