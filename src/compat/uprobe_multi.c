#include "uprobe_multi.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's union bpf_attr, link_create part, with the uprobe_multi member (6.6). */
struct link_create_uprobe_multi {
	uint32_t prog_fd;
	uint32_t target_fd;
	uint32_t attach_type;
	uint32_t flags;
	uint64_t path;
	uint64_t offsets;
	uint64_t ref_ctr_offsets;
	uint64_t cookies;
	uint32_t cnt;
	uint32_t um_flags;
	uint32_t pid;
	uint32_t pad;
};

int compat_uprobe_multi_supported(void)
{
	static int known = -1;
	if (known >= 0)
		return known;
	if (getenv("SONDE_UPROBE_PERF"))	/* tests force the perf-event fallback */
		return known = 0;
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = COMPAT_BPF_TRACE_UPROBE_MULTI);
	int fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "um_probe", "GPL", prog, 2, &opts);
	if (fd < 0)
		return known = 0;
	/*
	 * Older kernels load the program without looking at the attach type; only
	 * a link says. Linking to "/" (not a regular file) fails with EBADF where
	 * uprobe_multi exists, as libbpf probes it.
	 */
	uint64_t off = 0, cookie = 0;
	int link = compat_uprobe_multi_link(fd, "/", &off, NULL, &cookie, 1, 0, 0);
	if (link >= 0)
		close(link);
	close(fd);
	return known = link == -EBADF;
}

int compat_uprobe_multi_link(int prog_fd, const char *path, const uint64_t *offsets, const uint64_t *ref_ctr_offsets,
			     const uint64_t *cookies, uint32_t cnt, int is_return, int pid)
{
	union {
		struct link_create_uprobe_multi lc;
		char bytes[sizeof(union bpf_attr) > 64 ? sizeof(union bpf_attr) : 64];
	} attr;
	memset(&attr, 0, sizeof(attr));
	attr.lc.prog_fd = (uint32_t)prog_fd;
	attr.lc.attach_type = COMPAT_BPF_TRACE_UPROBE_MULTI;
	attr.lc.path = (uint64_t)(uintptr_t)path;
	attr.lc.offsets = (uint64_t)(uintptr_t)offsets;
	attr.lc.cookies = (uint64_t)(uintptr_t)cookies;
	attr.lc.ref_ctr_offsets = (uint64_t)(uintptr_t)ref_ctr_offsets;
	attr.lc.cnt = cnt;
	attr.lc.um_flags = is_return ? COMPAT_BPF_F_UPROBE_MULTI_RETURN : 0;
	attr.lc.pid = pid > 0 ? (uint32_t)pid : 0;
	long fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr.lc));
	return fd < 0 ? -errno : (int)fd;
}
