/* Internal to probe/: uprobe.c's part of a point, shared with usdt.c (USDT sites attach as uprobes) and uprobe_ctx.c. */
#ifndef SONDE_UPROBE_H
#define SONDE_UPROBE_H
#include "provider.h"

struct uprobe_point {
	uint64_t offset;	/* file offset of the probed instruction */
	uint64_t func_extra;	/* the +OFFSET into the function, 0 at its entry */
	uint64_t func_addr;	/* the function's link-time address */
	uint64_t func_file_off;	/* the function's file offset (offset − this = distance into it) */
	int ret_site;		/* uretprobe of a Go function: an entry probe on one of its RETs */
	int go_check;		/* uprobe of a Go function: on its stack check's jbe (go_after: past it) */
	uint64_t go_after;
	uint64_t sema_off;	/* usdt: file offset of the probe's semaphore, 0 if none */
	struct usdt_arg *uargs;	/* usdt: where this site's arguments live */
	int nuargs;
	int via_multi;		/* in its block's uprobe_multi link for this path */
	int multi_done;		/* that link exists */
};

static inline struct uprobe_point *uprobe_of(const struct probe_point *pt)
{
	return pt->priv;
}

/* How a block's user probes attach (uprobe.c, shared with usdt.c). */
int uprobe_plan_block(struct probe_block *blk, char *err, size_t errlen);
int uprobe_attach_point(struct probe_point *pt, int prog_fd, char *err, size_t errlen);
/* uprobe_ctx.c: their context face */
enum ctx_answer uprobe_context(struct ctx_query *q);

#endif
