/* Addresses → function names: kernel ones from /proc/kallsyms, user ones through /proc/PID/maps and ELF
 * symbols (C++ ones demangled), JIT-compiled ones through the process's perf map (/tmp/perf-PID.map). */
#ifndef SONDE_RESOLVE_H
#define SONDE_RESOLVE_H
#include <stdint.h>

struct sym_cache;
struct sym_cache *sym_cache_new(void);
void sym_cache_free(struct sym_cache *c);

/* The kernel function holding ADDR, or NULL (kallsyms is read on first use). */
const char *sym_kernel(struct sym_cache *c, uint64_t addr);
/* Reads the maps and perf map of process PID now, while it lives, if they were not read yet;
 * afterwards, reads its perf map again if it changed (at most every 200 ms). */
void sym_user_snapshot(struct sym_cache *c, int pid);
/* Reads the maps of process PID again if they were read before: it mapped code since (dlopen). */
void sym_user_reread(struct sym_cache *c, int pid);
/* PATH, if a fixed-address executable (Go's default, -no-pie), names addresses of processes that
 * exited before their maps could be read: its code is at the same address in every process. */
void sym_add_fixed_program(struct sym_cache *c, const char *path);
/* The function holding ADDR in process PID, or NULL (its maps are read on first use). Names
 * live as long as the cache. */
const char *sym_user(struct sym_cache *c, int pid, uint64_t addr);

/* What is known about one address: enough for `sym+off`, perf's `(module)` and pprof mappings. */
enum sym_kind { SYM_UNKNOWN, SYM_KERNEL, SYM_USER, SYM_JIT, SYM_PYTHON };
struct sym_info {
	const char *name;	/* the function, demangled; NULL when unknown */
	uint64_t offset;	/* addr − the function's start */
	const char *module;	/* the mapped file, "[kernel.kallsyms]", the perf map, or NULL */
	uint64_t map_start, map_end, map_pgoff;	/* the mapping holding addr (user); 0s when unknown */
	enum sym_kind kind;
	/* SYM_PYTHON (python/names.h): name is "qualname (file.py:LINE)" */
	const char *func, *file;	/* the qualname and co_filename */
	int line, start_line;		/* the current line and co_firstlineno */
};
/* Fills *OUT for kernel ADDR; returns 1 when the function is known, else 0. */
int sym_kernel_info(struct sym_cache *c, uint64_t addr, struct sym_info *out);
/* Fills *OUT for ADDR in process PID; returns 1 when the function is known, else 0 (module may still be set).
 * A Python frame (python/layout.h) is named from the process's memory; an unreadable one gets a
 * name saying so, kind SYM_PYTHON and func NULL. */
int sym_user_info(struct sym_cache *c, int pid, uint64_t addr, struct sym_info *out);

#endif
