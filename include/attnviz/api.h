/* attnviz API marker: what the shared library exports. Building libattnviz hides every other
 * symbol, so a program or plug-in can only reach what include/attnviz/ declares. */
#ifndef ATTNVIZ_API_H
#define ATTNVIZ_API_H

#if defined(AVZ_BUILDING_LIBRARY)
#define AVZ_API __attribute__((visibility("default")))
#else
#define AVZ_API
#endif

#endif
