/* attnviz built-in scenes: the scene modules that ship inside the attnviz program, in
 * `attnviz list` order. Each is written against the public API only, as a plug-in is. */
#ifndef ATTNVIZ_SCENES_BUILTIN_H
#define ATTNVIZ_SCENES_BUILTIN_H

#include <stddef.h>

#include "attnviz/plugin.h"

size_t avz_builtin_scene_count(void);
/* NULL past the end. */
const avz_scene_def *avz_builtin_scene(size_t index);

#endif
