/* JSON output helpers. */
#ifndef SONDE_OUT_JSON_H
#define SONDE_OUT_JSON_H
#include <stddef.h>
#include "util/util.h"

/* Appends s[0..n) as a quoted JSON string: \" \\ \n \r \t, other control
 * bytes as \u00XX; bytes >= 0x80 pass through (strings are UTF-8 or raw). */
void json_escape(struct strbuf *out, const char *s, size_t n);

#endif
