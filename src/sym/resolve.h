/* Addresses → function names: kernel ones from /proc/kallsyms, user ones through /proc/PID/maps and ELF symbols. */
#ifndef SONDE_RESOLVE_H
#define SONDE_RESOLVE_H
#include <stdint.h>

struct sym_cache;
struct sym_cache *sym_cache_new(void);
void sym_cache_free(struct sym_cache *c);

/* The kernel function holding ADDR, or NULL (kallsyms is read on first use). */
const char *sym_kernel(struct sym_cache *c, uint64_t addr);
/* Reads the maps of process PID now, while it lives, if they were not read yet. */
void sym_user_snapshot(struct sym_cache *c, int pid);
/* The function holding ADDR in process PID, or NULL (its maps are read on first use). */
const char *sym_user(struct sym_cache *c, int pid, uint64_t addr);

#endif
