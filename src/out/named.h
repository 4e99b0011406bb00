/* TY_NAMED values as text: a cgroup's path, a signal's or a system call's name, an error's text, a user's name. */
#ifndef SONDE_NAMED_H
#define SONDE_NAMED_H
#include <stdint.h>
#include "../sema/types.h"
#include "../util/util.h"

void named_text(struct strbuf *out, int naming, uint64_t v);

#endif
