/*
 * watchpoint:ADDR:LEN:MODE: a hardware breakpoint on an address of the -p
 * or -c process, firing as its main thread writes (w), reads or writes (rw)
 * or executes (x) there, as bpftrace's. The CPU's debug registers do the
 * watching (four per CPU on x86): the program runs only on a hit. x86 has
 * no read-only breakpoint, so `r` is refused naming `rw`.
 */
#include "provider.h"
#include "../sema/sema.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* watchpoint.c's part of a point */
struct wp_point {
	uint64_t addr;
	int len, type, pid;
	int at_exec;	/* -c: the child, which is still sonde until its exec: watch from the exec on */
};

static int parse_mode(const char *m)
{
	if (!strcmp(m, "w"))
		return HW_BREAKPOINT_W;
	if (!strcmp(m, "rw") || !strcmp(m, "wr"))
		return HW_BREAKPOINT_RW;
	if (!strcmp(m, "x"))
		return HW_BREAKPOINT_X;
	return -1;
}

static int wp_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	char buf[256], *addr_s, *len_s, *mode, *end;
	snprintf(buf, sizeof(buf), "%s", ap->raw);
	addr_s = strchr(buf, ':');
	len_s = addr_s ? strchr(addr_s + 1, ':') : NULL;
	mode = len_s ? strchr(len_s + 1, ':') : NULL;
	if (!mode) {
		diag_error(d, ap->span, "invalid watchpoint: %s (expected watchpoint:ADDRESS:LENGTH:MODE, e.g. "
					"watchpoint:0x10000000:8:w)", ap->raw);
		return -1;
	}
	*addr_s++ = *len_s++ = *mode++ = 0;
	errno = 0;
	uint64_t addr = strtoull(addr_s, &end, 0);
	long len = strtol(len_s, NULL, 10);
	int type = parse_mode(mode);
	if (errno || *end || !*addr_s || !addr) {
		diag_error(d, ap->span, "invalid watchpoint address: %s (a number, e.g. 0x10000000)", addr_s);
		return -1;
	}
	if (len != 1 && len != 2 && len != 4 && len != 8) {
		diag_error(d, ap->span, "invalid watchpoint length: %s (1, 2, 4 or 8 bytes)", len_s);
		return -1;
	}
	if (type < 0) {
		diag_error(d, ap->span, "invalid watchpoint mode: %s (w, rw or x; the CPU has no read-only watchpoint: use rw)",
			   mode);
		return -1;
	}
	if (addr % (uint64_t)len) {
		diag_error(d, ap->span, "watchpoint address 0x%llx is not aligned to its length %ld",
			   (unsigned long long)addr, len);
		return -1;
	}
	int pid = s->filter_pid ? s->filter_pid : s->cpid;
	if (!pid) {
		diag_error(d, ap->span, "a watchpoint watches one process: give it with -p PID or -c CMD");
		return -1;
	}
	char name[256];
	snprintf(name, sizeof(name), "watchpoint:0x%llx:%ld:%s", (unsigned long long)addr, len, mode);
	provider_add_point(s, blk, &provider_watchpoint, name, 0);
	struct wp_point *w = provider_last_point(s, sizeof(struct wp_point))->priv;
	*w = (struct wp_point){ .addr = addr, .len = (int)len, .type = type, .pid = pid, .at_exec = !s->filter_pid };
	return 0;
}

static int wp_attach(struct probe_point *pt, int prog_fd, char *err, size_t errlen)
{
	const struct wp_point *w = pt->priv;
	struct perf_event_attr attr = {
		.type = PERF_TYPE_BREAKPOINT,
		.size = sizeof(attr),
		.bp_type = (uint32_t)w->type,
		.bp_addr = w->addr,
		.bp_len = w->type == HW_BREAKPOINT_X ? sizeof(long) : (uint64_t)w->len,
		.sample_period = 1,
		.disabled = (uint64_t)w->at_exec,
		.enable_on_exec = (uint64_t)w->at_exec,
	};
	int rc = provider_attach_perf_pid(pt, &attr, w->pid, -1, prog_fd, (uint64_t)pt->id, err, errlen);
	if (rc == -ENOSPC)
		snprintf(err, errlen, "%s: every debug register of the CPU is taken (x86 has four)", pt->name);
	return rc;
}

static const char *const wp_aliases[] = { "w", NULL };

const struct provider provider_watchpoint = {
	.name = "watchpoint",
	.aliases = wp_aliases,
	.mode = RUN_ATTACHED,
	.expand = wp_expand,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.attach = wp_attach,
};
