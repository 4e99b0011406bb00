/* The kernel side of a run: maps, program loading with plain-words verifier errors, test runs. */
#ifndef SONDE_BPF_H
#define SONDE_BPF_H
#include "../sema/sema.h"
#include "../codegen/ir.h"

/* Creates every script map; -1 after a diag. */
int bpf_create_maps(struct script *s, struct diag *d);
void bpf_close_maps(struct script *s);
/* Entries per script map: a tool's map_entries, BPFTRACE_MAX_MAP_KEYS, BPFTRACE_MAP_KEYS_MAX, or 4096. */
uint32_t bpf_map_max_keys(const struct script *s);
struct map_table;
int bpf_ncpus(void);	/* possible CPUs: values per entry of a per-CPU map */
void bpf_map_read_table(const struct mapinfo *m, struct map_table *tb);
/* The same in batches; -1 (tb may hold part of the map) when the kernel refuses. */
int bpf_map_read_table_batch(const struct mapinfo *m, struct map_table *tb);
void bpf_map_clear(const struct mapinfo *m);	/* removes every entry */
void bpf_map_zero(const struct mapinfo *m);	/* sets every value to zero, keeps the keys */

/* Loads a block's program; on rejection explains it at the script's line and column (-1).
 * 1: a sleepable program was refused, and should be compiled and loaded non-sleepable. */
/* config: the programs' license and the verifier log's size (NULL / 0: unchanged) */
void bpf_set_load_config(const char *license, uint32_t log_size);
int bpf_load_block(struct probe_block *blk, const struct emitted *code, struct diag *d, int verbose,
		   FILE *vout);
/* Runs a program once (BEGIN, END, interval) with ctx[0] = probe id. */
int bpf_test_run(int prog_fd, uint64_t probe_id);
/* 1 if the kernel accepts BPF v4 signed division. */
int bpf_probe_sdiv(void);
/* 0 if this kernel loads fentry programs, else the errno of the refusal. */
int bpf_probe_fentry(void);

#endif
