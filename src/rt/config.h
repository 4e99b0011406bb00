#ifndef SONDE_CONFIG_H
#define SONDE_CONFIG_H
#include "../lang/ast.h"
#include "../lang/diag.h"
#include "../sema/sema.h"
#include <stdint.h>


/* bpftrace's config variables as a script sees them (block, then environment). */
struct config {
	int stack_mode;			/* STACK_BPFTRACE, STACK_PERF or STACK_RAW: kstack/ustack without a mode */
	enum missing_probes missing_probes;	/* a probe that is not there or does not attach */
	int print_maps_on_exit;
	int cpp_demangle;
	uint32_t log_size;		/* the verifier's log, bytes; 0: sonde's own size */
	uint32_t perf_rb_pages;		/* the ring buffer, pages; 0: sonde's own size */
	int max_bpf_progs;		/* programs loaded at most; 0: no limit */
	const char *license;		/* the programs' license ("GPL") */
};

/*
 * A script's `config = { … }` block: each setting becomes its BPFTRACE_*
 * variable unless the environment sets it already (the environment wins, as
 * in bpftrace). Names as bpftrace takes them: `stack_mode`, `STACK_MODE` or
 * `BPFTRACE_STACK_MODE`. 0, or -1 with an error at the setting.
 */
int config_apply_block(const struct node *cfg, struct diag *d);
/* bpftrace's defaults. */
void config_defaults(struct config *c);
/* The settings from the environment, checked; defaults where unset. 0 or -1. */
int config_read(struct config *c, struct diag *d);

#endif
