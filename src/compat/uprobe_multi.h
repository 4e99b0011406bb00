/*
 * What Debian's libbpf 1.1 and its 6.1 uapi headers lack: uprobe_multi links
 * (Linux 6.6), created with the bpf() syscall directly.
 */
#ifndef SONDE_UPROBE_MULTI_H
#define SONDE_UPROBE_MULTI_H
#include <stdint.h>

#define COMPAT_BPF_TRACE_UPROBE_MULTI 48	/* enum bpf_attach_type */
#define COMPAT_BPF_F_UPROBE_MULTI_RETURN 1

/* 1 if this kernel loads programs for uprobe_multi links. */
int compat_uprobe_multi_supported(void);
/* One link: prog_fd at every offset of path (retprobes with is_return), pid 0 = all. fd or -errno. */
int compat_uprobe_multi_link(int prog_fd, const char *path, const uint64_t *offsets, const uint64_t *ref_ctr_offsets,
			     const uint64_t *cookies, uint32_t cnt, int is_return, int pid);

#endif
