/* BTF func_info for a program with callbacks: the stack walk's (bpf_loop), map loops' (bpf_for_each_map_elem). */
#ifndef SONDE_FUNCINFO_H
#define SONDE_FUNCINFO_H
#include <linux/bpf.h>
#include "../codegen/ir.h"

#define FUNCINFO_MAX (2 + EMIT_MAX_CALLBACKS)

/* A BTF object with the two functions' types; fd, or -1 with errno. */
int bpf_funcinfo_btf(void);
/* The main program at 0, then each callback (FUNCINFO_MAX at most); the count. */
int bpf_funcinfo_fill(struct bpf_func_info *fi, const struct emitted *code);

#endif
