/* attnviz API marker: what the shared library exports. Building libattnviz hides every other
 * symbol, so a program or plug-in can only reach what include/attnviz/ declares. */
#ifndef ATTNVIZ_API_H
#define ATTNVIZ_API_H

#if defined(AVZ_BUILDING_LIBRARY)
#define AVZ_API __attribute__((visibility("default")))
#else
#define AVZ_API
#endif

/* Around each header's declarations: a C++ program that includes them links to C names. */
#ifdef __cplusplus
#define AVZ_BEGIN_DECLS extern "C" {
#define AVZ_END_DECLS }
#else
#define AVZ_BEGIN_DECLS
#define AVZ_END_DECLS
#endif

#endif
