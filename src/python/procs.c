/*
 * A process's Python entry: the version from the interpreter file's name,
 * that version's offsets (python/offsets.c), and _PyRuntime's address
 * (exported by Debian's python3.11 and by libpython) plus the mapping's bias.
 */
#include "procs.h"
#include "layout.h"
#include "offsets.h"
#include "../obj/elf.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_PROCS 8192

int py_procs_open(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, np, .map_flags = BPF_F_NO_PREALLOC);
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "sonde_py_procs", 4, sizeof(struct py_proc), MAX_PROCS, &np);
	return fd < 0 ? -errno : fd;
}

int py_is_interpreter(const char *path)
{
	char v[16];
	return !py_version_of_path(path, v, sizeof(v)) && py_offsets_for(v);
}

int py_proc_write(int fd, int pid, const char *path, uint64_t bias)
{
	struct py_proc p = { 0 };
	char v[16];
	uint64_t runtime;
	const struct py_offsets *o = NULL;
	if (path && !py_version_of_path(path, v, sizeof(v)))
		o = py_offsets_for(v);
	/* the frame's fields in one window from the lowest: a version where they spread wider is not walked */
	uint32_t lo = o ? o->fr_code : 0;
	if (o) {
		lo = o->fr_previous < lo ? o->fr_previous : lo;
		lo = o->fr_prev_instr < lo ? o->fr_prev_instr : lo;
		lo = o->fr_is_entry < lo ? o->fr_is_entry : lo;
		if (o->fr_code + 8 > lo + PY_FRAME_WINDOW || o->fr_previous + 8 > lo + PY_FRAME_WINDOW ||
		    o->fr_prev_instr + 8 > lo + PY_FRAME_WINDOW || o->fr_is_entry + 1 > lo + PY_FRAME_WINDOW)
			o = NULL;
	}
	if (o && !elf_symbol_addr(path, "_PyRuntime", &runtime)) {
		p = (struct py_proc){
			.interp_head = runtime + bias + o->rt_interp_head,
			.threads = o->is_threads,
			.ts_next = o->ts_next,
			.ts_tid = o->ts_native_tid,
			.ts_cframe = o->ts_cframe,
			.cf_frame = o->cf_current_frame,
			.fr_window = lo,
			.fr_code = o->fr_code - lo,
			.fr_previous = o->fr_previous - lo,
			.fr_instr = o->fr_prev_instr - lo,
			.fr_entry = o->fr_is_entry - lo,
			.co_code = o->co_code_adaptive,
		};
		/*
		 * Python saw its tids in its own pid namespace: BPF asks the kernel for
		 * the tid there, always (a container's, or the one sonde runs in, whose
		 * tids are not the init namespace's that BPF sees otherwise).
		 */
		char path[64];
		struct stat its;
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
		if (!stat(path, &its)) {
			p.ns_dev = its.st_dev;
			p.ns_ino = its.st_ino;
		}
	}
	uint32_t key = (uint32_t)pid;
	return bpf_map_update_elem(fd, &key, &p, BPF_ANY) ? -errno : 0;
}
