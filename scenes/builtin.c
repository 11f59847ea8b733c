/* attnviz built-in scenes: see builtin.h. */
#include "builtin.h"

#include "attention_variants.h"
#include "gqa.h"
#include "self_attention.h"

static const avz_scene_def *const scenes[] = {
    &avz_scene_gqa,
    &avz_scene_self_attention,
    &avz_scene_attention_variants,
};

size_t avz_builtin_scene_count(void) {
    return sizeof scenes / sizeof scenes[0];
}

const avz_scene_def *avz_builtin_scene(size_t index) {
    return index < avz_builtin_scene_count() ? scenes[index] : NULL;
}
