/* attnviz scene registry: every scene the command line can render, in `attnviz list` order. */
#include "attnviz/registry.h"

#include <string.h>

extern const avz_scene_def avz_scene_gqa;
extern const avz_scene_def avz_scene_self_attention;

static const avz_scene_def *const scenes[] = {
    &avz_scene_gqa,
    &avz_scene_self_attention,
};

size_t avz_scene_count(void) {
    return sizeof scenes / sizeof scenes[0];
}

const avz_scene_def *avz_scene_at(size_t index) {
    return index < avz_scene_count() ? scenes[index] : NULL;
}

const avz_scene_def *avz_scene_find(const char *name) {
    for (size_t i = 0; i < avz_scene_count(); i++)
        if (strcmp(scenes[i]->name, name) == 0)
            return scenes[i];
    return NULL;
}
