/* BTF func_info for a program with a bpf_loop() callback (the stack walk's). */
#ifndef SONDE_FUNCINFO_H
#define SONDE_FUNCINFO_H
#include <linux/bpf.h>

/* A BTF object with the two functions' types; fd, or -1 with errno. */
int bpf_funcinfo_btf(void);
/* The main program at 0, the callback at sub_at. */
void bpf_funcinfo_fill(struct bpf_func_info fi[2], int sub_at);

#endif
