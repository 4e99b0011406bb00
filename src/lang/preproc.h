/* The C preprocessor lines of bpftrace scripts: #include, #if[n]def, #else, #endif, #define. */
#ifndef SONDE_PREPROC_H
#define SONDE_PREPROC_H
#include <stddef.h>

/* Whether text has a line that starts with '#' (besides a #! first line). */
int needs_preprocess(const char *text);
/* The text with the directives done (malloc'd), or NULL with err and the line it concerns. */
char *preprocess(const char *text, int *error_line, char *err, size_t errlen);

#endif
