/* attnviz command line, the scenes it knows: the built-in ones, then plug-ins (shared objects
 * with an avz_plugin_entry, see attnviz/plugin.h) from each folder on AVZ_SCENE_PATH and from
 * ../lib/attnviz/scenes beside the program, and a plug-in named by its file on the command line
 * (./mine.so, or ./several.so:NAME for one of several). Every plug-in is checked before any of
 * its code runs beyond loading: its file's length against its headers, its interface version,
 * its scene list, each scene's name, build function and parameters. Two scenes of one name in
 * the folders are an error; a file named on the command line wins over them. */
#ifndef ATTNVIZ_TOOLS_CATALOG_H
#define ATTNVIZ_TOOLS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "attnviz/plugin.h"

typedef struct catalog_entry {
    const avz_scene_def *def;
    const char *origin; /* "built-in", or the plug-in's file */
} catalog_entry;

/* Loads the built-in scenes and the plug-in folders' (once). 0, or -EIO for a folder or file
 * that cannot be read, -EINVAL for a plug-in that is not one or clashes, with the message in
 * err. */
int catalog_load(avz_error *err);
size_t catalog_count(void);
const catalog_entry *catalog_at(size_t index);
/* The scene `name` names: a scene's name, or a plug-in file (a path with a '/' or ending in
 * .so, with :NAME to pick one of its scenes). -ENOENT for an unknown name (the message lists
 * the known ones), or catalog_load's errors. */
int catalog_find(const char *name, const catalog_entry **out, avz_error *err);
/* Whether a scene argument names a plug-in file rather than a scene; and that file, copied
 * into buf (NULL for a scene's name or one too long). */
bool catalog_names_file(const char *name);
const char *catalog_file_of(const char *name, char *buf, size_t size);

#endif
