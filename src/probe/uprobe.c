/*
 * uprobe:BIN:FUNC and uretprobe:BIN:FUNC: symbols from the ELF file, probes
 * at their file offsets, one perf-event uprobe each (pid-bound with -p), the
 * probe id as cookie. The context is the task's pt_regs.
 */
#include "uprobe.h"
#include "uprobe_line.h"
#include "../obj/binpath.h"
#include "../obj/dwarf.h"
#include "../obj/elf.h"
#include "../obj/insn.h"
#include "../obj/objects.h"
#include "../compat/uprobe_multi.h"
#include "../arch/arch.h"
#include "../sema/sema.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The glob rule (tools-spec §2.4): an exact name is itself; else * and ? are wildcards. */
static int symbol_matches(const char *pattern, const char *name, int exact)
{
	return exact ? !strcmp(pattern, name) : !fnmatch(pattern, name, 0);
}

static int max_probes(void)
{
	const char *env = getenv("BPFTRACE_MAX_PROBES");
	int v = env ? atoi(env) : 0;
	return v > 0 ? v : 512;
}

/* uprobe:BIN:FUNC[+OFF] → BIN and FUNC; BIN may be empty. */
static int split_spec(const char *raw, char *bin, size_t nb, char *func, size_t nf)
{
	const char *a = strchr(raw, ':');
	const char *b = a ? strrchr(a + 1, ':') : NULL;
	if (!a || !b || b == a)
		return -1;
	snprintf(bin, nb, "%.*s", (int)(b - a - 1), a + 1);
	snprintf(func, nf, "%s", b + 1);
	return *bin && *func ? 0 : -1;
}

/* A uprobe in the middle of an instruction corrupts the program: refuse it (or warn with --unsafe). */
static int check_offset(struct diag *d, struct attach_point *ap, const char *path, const struct elf_sym *sym,
			uint64_t off, int unsafe)
{
	uint64_t before, after;
	int ok = insn_is_boundary(path, sym->file_off, sym->size, off, &before, &after);
	if (ok == 1)
		return 0;
	if (ok < 0) {
		if (unsafe) {
			diag_warn(d, ap->span, "cannot decode %s to check +%llu; probing it unchecked (--unsafe)", sym->name,
				  (unsigned long long)off);
			return 0;
		}
		diag_error(d, ap->span, "cannot decode %s to check that +%llu starts an instruction (--unsafe probes it unchecked)",
			   sym->name, (unsigned long long)off);
		return -1;
	}
	if (unsafe) {
		diag_warn(d, ap->span, "+%llu is inside an instruction of %s (instructions start at +%llu and +%llu); probing it anyway (--unsafe)",
			  (unsigned long long)off, sym->name, (unsigned long long)before, (unsigned long long)after);
		return 0;
	}
	diag_error(d, ap->span, "Could not add uprobe into middle of instruction: %s+%llu (instructions start at +%llu and +%llu; --unsafe overrides)",
		   sym->name, (unsigned long long)off, (unsigned long long)before, (unsigned long long)after);
	return -1;
}

/* Functions a glob skipped because their probed instruction is unsafe: named in one warning. */
struct skipped {
	VEC(const char *) names;
	VEC(uint64_t) addrs;	/* aliases of a skipped function are skipped silently */
};

/*
 * Never on an instruction the kernel runs wrongly under a uprobe (insn.h:
 * VEX/EVEX/XOP encodings). A function's entry moves past such instructions
 * when they write only vector registers that carry no argument, so argN,
 * args and ustack see what they would at the entry; otherwise an exact
 * point is refused (naming a safe FUNC+OFF) and a glob's is skipped.
 * Fills *move with the distance moved; 1 skip, -1 error, 0 probe.
 */
static int place_safely(struct script *s, struct attach_point *ap, struct diag *d, const char *path,
			const struct elf_sym *sym, uint64_t extra, int exact, uint64_t *move, struct skipped *sk)
{
	struct insn_hazard h;
	*move = 0;
	if (insn_check_site(path, sym->file_off + extra, sym->size - extra, &h) || !h.unsafe)
		return 0;	/* undecodable: the kernel's own checks decide, as before */
	if (!extra && h.movable && h.found_safe) {
		*move = h.safe_off;
		if (s->verbose)
			fprintf(stderr, "NOTE: %s: probe placed at +%llu, past `%s` (%s, which the kernel runs wrongly under a uprobe); arguments and stack are unchanged there\n",
				sym->name, (unsigned long long)h.safe_off, h.text, h.unsafe);
		return 0;
	}
	char at[600], instead[600] = "no safe instruction follows it closely";
	snprintf(at, sizeof(at), extra ? "%s+%llu" : "%s", sym->name, (unsigned long long)extra);
	if (h.found_safe)
		snprintf(instead, sizeof(instead), "probe %s+%llu instead, the first safe instruction%s", sym->name,
			 (unsigned long long)(extra + h.safe_off), extra ? "" : " (the ones before it write arguments or memory)");
	if (s->unsafe) {
		diag_warn(d, ap->span, "%s: `%s` is %s, which the kernel runs wrongly under a uprobe: the traced process may compute wrong results; probing it anyway (--unsafe)",
			  at, h.text, h.unsafe);
		return 0;
	}
	if (exact || extra) {
		diag_error(d, ap->span, "cannot probe %s: its instruction `%s` is %s, which the kernel runs wrongly under a uprobe (the traced process would compute wrong results); %s (--unsafe overrides)",
			   at, h.text, h.unsafe, instead);
		return -1;
	}
	VEC_PUSH(sk->names, sym->name);
	VEC_PUSH(sk->addrs, sym->addr);
	return 1;
}

static void warn_skipped(struct attach_point *ap, struct diag *d, struct skipped *sk, int verbose)
{
	if (!sk->names.n)
		return;
	char list[4096] = "";
	size_t len = 0;
	int shown = 0, most = verbose ? sk->names.n : 4;	/* -v names them all */
	for (; shown < sk->names.n && shown < most && len < sizeof(list) - 200; shown++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", shown ? ", " : "", sk->names.v[shown]);
	if (shown < sk->names.n)
		snprintf(list + len, sizeof(list) - len, " and %d more", sk->names.n - shown);
	diag_warn(d, ap->span, "%d function%s skipped: %s; %s entry is an AVX/AVX-512 (VEX/EVEX-encoded) instruction the kernel runs wrongly under a uprobe, and the ones after it write arguments or memory (probe FUNC+OFFSET past it; -v names them all, and the probes it moved)",
		  sk->names.n, sk->names.n == 1 ? "" : "s", list, sk->names.n == 1 ? "its" : "their");
}

/* A Go function's returns: an entry uprobe on each of its RET instructions. With a
 * wildcard, a function without one (it never returns, or tail-calls) is skipped with a warning. */
static int add_return_sites(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d,
			    const struct provider *prov, const char *bin, const char *path, const struct elf_sym *sym,
			    int exact)
{
	uint64_t rets[257];
	int nret = insn_find_returns(path, sym->file_off, sym->size, rets, (int)ARRAY_SIZE(rets));
	const char *why = nret < 0 ? "cannot be decoded to find its returns"
		: nret == 0 ? "has no return instruction (it never returns, or ends in a tail call)"
		: nret > 256 ? "has more than 256 return instructions" : NULL;
	if (why && exact) {
		diag_error(d, ap->span, "the Go function %s %s", sym->name, why);
		return -1;
	}
	if (why) {
		diag_warn(d, ap->span, "the Go function %s %s: skipped", sym->name, why);
		return 0;
	}
	char name[1200];
	snprintf(name, sizeof(name), "%s:%s:%s", prov->name, bin, sym->name);
	for (int k = 0; k < nret; k++) {
		provider_add_point(s, blk, prov, name, 0);
		struct probe_point *pt = provider_last_point(s, sizeof(struct uprobe_point));
		pt->path = arena_strndup(s->arena, path, strlen(path));
		pt->func = arena_strndup(s->arena, sym->name, strlen(sym->name));
		uprobe_of(pt)->offset = sym->file_off + rets[k];
		uprobe_of(pt)->func_addr = sym->addr;
		uprobe_of(pt)->func_file_off = sym->file_off;
		uprobe_of(pt)->ret_site = 1;
	}
	return 0;
}

static int uprobe_expand_kind(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d,
			      const struct provider *prov)
{
	char bin[512], func[512], path[1024];
	if (uprobe_is_line(ap->raw))	/* uprobe:BIN@FILE:LINE */
		return uprobe_expand_line(s, blk, ap, d, prov);
	if (split_spec(ap->raw, bin, sizeof(bin), func, sizeof(func))) {
		diag_error(d, ap->span, "invalid %s: %s (expected %s:BINARY:FUNCTION)", prov->name, ap->raw, prov->name);
		return -1;
	}
	if (bin_resolve(bin, s->filter_pid, path, sizeof(path))) {
		diag_error(d, ap->span, "cannot find binary or library '%s' for %s%s", bin, ap->raw,
			   bin_missing_hint(bin, s->filter_pid));
		return -1;
	}
	uint64_t extra = 0;
	char *plus = strrchr(func, '+');
	if (plus && plus != func) {
		char *end;
		extra = strtoull(plus + 1, &end, 0);
		if (*end || plus[1] == 0) {
			diag_error(d, ap->span, "invalid offset in %s", ap->raw);
			return -1;
		}
		if (prov->is_return) {
			/* a return probe inside a function would overwrite what is not a return address */
			diag_error(d, ap->span, "%s: a uretprobe cannot take an offset; use uprobe:…+OFFSET", ap->raw);
			return -1;
		}
		*plus = 0;
	}
	struct elf_syms syms;
	int rc = elf_read_functions(path, &syms);
	if (rc) {
		diag_error(d, ap->span, "cannot read symbols of %s: %s", path, rc == -ENOEXEC ? "not an ELF file" : strerror(-rc));
		return -1;
	}
	/* uprobe:BIN:0x11b9: a raw address becomes FUNC+OFFSET of the function holding it */
	char raw_addr[512] = "";
	if (isdigit((unsigned char)func[0]) && !extra) {
		char *end;
		uint64_t addr = strtoull(func, &end, 0);
		const struct elf_sym *in = NULL;
		for (int i = 0; i < syms.v.n && !in && !*end; i++)
			if (addr >= syms.v.v[i].addr && addr < syms.v.v[i].addr + syms.v.v[i].size)
				in = &syms.v.v[i];
		if (!*end && !in) {
			diag_error(d, ap->span, "no function of %s holds address %s (list them with: sonde -l '%s:%s:*')", path,
				   func, prov->name, bin);
			elf_syms_free(&syms);
			return -1;
		}
		if (in) {
			snprintf(raw_addr, sizeof(raw_addr), "%s", func);
			extra = addr - in->addr;
			snprintf(func, sizeof(func), "%s", in->name);
			if (extra && prov->is_return) {
				diag_error(d, ap->span, "%s: %s is inside %s; a uretprobe goes on a function's first instruction",
					   ap->raw, raw_addr, in->name);
				elf_syms_free(&syms);
				return -1;
			}
		}
	}
	/* exact unless it has wildcards and no symbol carries the name as written */
	int exact = !strpbrk(func, "*?[");
	for (int i = 0; i < syms.v.n && !exact; i++)
		exact = !strcmp(syms.v.v[i].name, func);
	/* Go moves goroutine stacks: a uretprobe's rewritten return address makes the
	 * runtime abort (unknown caller pc). Its returns are probed at their RETs. */
	int is_go = elf_is_go(path);
	if (is_go == 2)
		diag_warn(d, ap->span, "%s was built by Go before 1.17: arguments travel on the stack, so arg0…arg5 and retval are not its arguments and results", path);
	int go_returns = prov->is_return && is_go;
	int n = 0, matched = 0, cap = max_probes();
	struct skipped skipped = { 0 };
	for (int i = 0; i < syms.v.n; i++) {
		const struct elf_sym *sym = &syms.v.v[i];
		if (!symbol_matches(func, sym->name, exact))
			continue;
		if (extra && extra >= sym->size) {
			diag_error(d, ap->span, "offset %llu is past the end of %s (%llu bytes)", (unsigned long long)extra,
				   sym->name, (unsigned long long)sym->size);
			goto fail;
		}
		if (extra && check_offset(d, ap, path, sym, extra, s->unsafe))
			goto fail;
		matched++;
		int alias = 0;	/* several names at one address: attached once, under the first */
		for (int k = 0; k < blk->points.n && !alias; k++)
			/* by the function's own address: Go points have moved to its jbe or its RETs */
			alias = uprobe_of(blk->points.v[k])->func_addr == sym->addr && uprobe_of(blk->points.v[k])->func_extra == extra &&
				blk->points.v[k]->path && !strcmp(blk->points.v[k]->path, path) && blk->points.v[k]->prov == prov;
		for (int k = 0; k < skipped.addrs.n && !alias; k++)
			alias = skipped.addrs.v[k] == sym->addr;
		if (alias)
			continue;
		uint64_t move = 0;
		int placed = go_returns ? 0 : place_safely(s, ap, d, path, sym, extra, exact, &move, &skipped);
		if (placed < 0)
			goto fail;
		if (placed)
			continue;
		if (++n > cap) {
			diag_error(d, ap->span, "%s matches more than %d functions; narrow the pattern or raise BPFTRACE_MAX_PROBES",
				   ap->raw, cap);
			goto fail;
		}
		if (go_returns) {
			if (add_return_sites(s, blk, ap, d, prov, bin, path, sym, exact))
				goto fail;
			continue;
		}
		char name[1200];
		if (raw_addr[0])
			snprintf(name, sizeof(name), "%s:%s:%s", prov->name, bin, raw_addr);
		else if (extra)
			snprintf(name, sizeof(name), "%s:%s:%s+%llu", prov->name, bin, sym->name, (unsigned long long)extra);
		else
			snprintf(name, sizeof(name), "%s:%s:%s", prov->name, bin, sym->name);
		if (exact && sym->is_ifunc)
			diag_warn(d, ap->span, "%s is an IFUNC: the probe is on its resolver, which runs once when the library loads; calls go to the implementation it picked (list them with: sonde -l '%s:%s:*%s*')",
				  sym->name, prov->name, bin, sym->name);
		provider_add_point(s, blk, prov, name, 0);
		struct probe_point *pt = provider_last_point(s, sizeof(struct uprobe_point));
		pt->path = arena_strndup(s->arena, path, strlen(path));
		pt->func = arena_strndup(s->arena, sym->name, strlen(sym->name));
		uprobe_of(pt)->offset = sym->file_off + extra + move;
		uprobe_of(pt)->func_extra = extra;
		uprobe_of(pt)->func_addr = sym->addr;
		uprobe_of(pt)->func_file_off = sym->file_off;
		/*
		 * A Go function whose goroutine stack is too small calls morestack at
		 * its stack check and starts over: probe the check's jbe instead (an
		 * instruction the kernel emulates, ~0.6 µs against ~12 µs for a
		 * single-stepped one), and leave when the branch will be taken.
		 */
		uint64_t jump, after;
		if (is_go && !extra && !prov->is_return && insn_go_stack_check(path, sym->file_off, sym->size, &jump, &after)) {
			uprobe_of(pt)->offset = sym->file_off + jump;
			uprobe_of(pt)->go_check = 1;
			uprobe_of(pt)->go_after = sym->file_off + after;
		}
	}
	int nsyms = syms.v.n;
	warn_skipped(ap, d, &skipped, s->verbose);	/* before the names are freed */
	int all_skipped = matched && skipped.names.n == matched;
	free(skipped.names.v);
	free(skipped.addrs.v);
	elf_syms_free(&syms);
	if (all_skipped) {
		diag_error(d, ap->span, "every function '%s' matches in %s starts with an instruction the kernel runs wrongly under a uprobe; probe FUNC+OFFSET past it",
			   func, path);
		return -1;
	}
	if (!matched && is_go && !nsyms) {
		diag_error(d, ap->span, "%s is a Go program without symbols or a .gopclntab function table: sonde cannot find '%s' in it",
			   path, func);
		return -1;
	}
	if (!matched) {
		diag_error(d, ap->span, "no function matches '%s' in %s (list them with: sonde -l '%s:%s:*')%s", func, path,
			   prov->name, bin,
			   is_go ? "; the Go compiler may have inlined it away: build with -gcflags=-l or mark it //go:noinline" : "");
		return -1;
	}
	return 0;
fail:
	free(skipped.names.v);
	free(skipped.addrs.v);
	elf_syms_free(&syms);
	return -1;
}

static int uprobe_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	return uprobe_expand_kind(s, blk, ap, d, &provider_uprobe);
}

static int uretprobe_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	return uprobe_expand_kind(s, blk, ap, d, &provider_uretprobe);
}

/* The kernel's uprobe PMU: its type number and the bit that makes a return probe. */
static int uprobe_pmu(int *type, int *ret_bit)
{
	FILE *f = fopen("/sys/bus/event_source/devices/uprobe/type", "r");
	if (!f)
		return -1;
	int ok = fscanf(f, "%d", type) == 1;
	fclose(f);
	*ret_bit = 0;
	f = fopen("/sys/bus/event_source/devices/uprobe/format/retprobe", "r");
	if (f) {
		if (fscanf(f, "config:%d", ret_bit) != 1)
			*ret_bit = 0;
		fclose(f);
	}
	return ok ? 0 : -1;
}

/* Whether the kernel's user stack walk adds [sp] itself here: the probed instruction is push %rbp or endbr64. */
static int kernel_adds_caller(int fd, uint64_t off)
{
	unsigned char b[4] = { 0 };
	static const unsigned char endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	/* unreadable: leave the walk as it is */
	return fd < 0 || pread(fd, b, sizeof(b), (off_t)off) != (ssize_t)sizeof(b) || b[0] == 0x55 ||
	       !memcmp(b, endbr64, sizeof(b));
}

/* Where ustack finds the immediate caller at this block's points (enum stack_ra). */
static int caller_placement(const struct probe_block *blk)
{
	int kernel = 0, ours = 0, rets = 0, fd = -1;
	if (blk->prov == &provider_usdt)
		return STACK_RA_NONE;	/* USDT sites sit inside functions: [sp] is data */
	for (int i = 0; i < blk->points.n; i++) {
		const struct probe_point *pt = blk->points.v[i];
		/* before the frame is set up: a function's entry, its Go stack check, a Go RET */
		int at_entry = uprobe_of(pt)->ret_site || (!blk->prov->is_return && uprobe_of(pt)->func_extra == 0);
		if (!at_entry) {
			if (fd >= 0)
				close(fd);
			return STACK_RA_NONE;
		}
		rets += uprobe_of(pt)->ret_site;
		/* one open per file, not per point: a glob may match thousands */
		if (i == 0 || strcmp(pt->path, blk->points.v[i - 1]->path)) {
			if (fd >= 0)
				close(fd);
			fd = open(pt->path, O_RDONLY | O_CLOEXEC);
		}
		if (kernel_adds_caller(fd, uprobe_of(pt)->offset))
			kernel++;
		else
			ours++;
	}
	if (fd >= 0)
		close(fd);
	/* at a Go RET, as after a classic uretprobe, the stack starts in the caller */
	if (rets)
		return rets == blk->points.n ? STACK_RA_RETURN : STACK_RA_NONE;
	return !ours ? STACK_RA_NONE : !kernel ? STACK_RA_INSERT : STACK_RA_UNLESS_KERNEL;
}

/* With -p, a probe on a file the process does not map can never fire: say so,
 * once per file (a process running another python3.11 than the one probed). */
static void warn_unmapped(const struct probe_block *blk)
{
	if (blk->filter_pid <= 0 || blk->filter_pending)
		return;
	for (int i = 0; i < blk->points.n; i++) {
		const struct probe_point *pt = blk->points.v[i];
		int seen = 0, others = 0;
		for (int k = 0; k < i && !seen; k++)
			seen = !strcmp(blk->points.v[k]->path, pt->path);
		for (int k = i + 1; k < blk->points.n; k++)
			others += !strcmp(blk->points.v[k]->path, pt->path);
		char instead[4096];
		if (seen || pid_maps_file(blk->filter_pid, pt->path, instead, sizeof(instead)) != 0)
			continue;
		fprintf(stderr, "WARNING: process %d does not map %s: %s%s will never fire there%s%s\n", blk->filter_pid,
			pt->path, pt->name, others ? " and the block's other probes in that file" : "",
			instead[0] ? "; it maps " : "", instead);
	}
}

/*
 * Many probes, one link: every point of the block in this file goes into a
 * single uprobe_multi link, cookies telling them apart. Detaching 200
 * perf-event uprobes takes ~23 s here, one multi link ~15 ms.
 */
int uprobe_plan_block(struct probe_block *blk, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	/* the jbe check works when every point has it; else they move past it (single-stepped there) */
	int checks = 0;
	for (int i = 0; i < blk->points.n; i++)
		checks += uprobe_of(blk->points.v[i])->go_check;
	int all_checks = checks && checks == blk->points.n;
	if (all_checks)	/* on `jbe morestack`: CF or ZF set means the function will start over; count it then */
		blk->guard = (struct ctx_guard){ .off = PT_FLAGS, .mask = FLAGS_CF_ZF };
	for (int i = 0; i < blk->points.n && checks && !all_checks; i++)
		if (uprobe_of(blk->points.v[i])->go_check) {
			uprobe_of(blk->points.v[i])->offset = uprobe_of(blk->points.v[i])->go_after;
			uprobe_of(blk->points.v[i])->go_check = 0;
		}
	blk->stack_ra = caller_placement(blk);
	warn_unmapped(blk);
	if (!compat_uprobe_multi_supported())
		return 0;
	blk->expected_attach_type = COMPAT_BPF_TRACE_UPROBE_MULTI;
	for (int i = 0; i < blk->points.n; i++)
		uprobe_of(blk->points.v[i])->via_multi = 1;
	return 0;
}

/*
 * The kernel refuses a whole link when one offset cannot take a uprobe
 * (ENOTSUPP: an instruction it can neither emulate nor single-step). Halve
 * the set until the refused functions stand alone; they are skipped with a
 * warning, every other function keeps its probe. Links stay few: O(k log n).
 */
static int link_subset(struct probe_point *pt, int prog_fd, const uint64_t *offsets, const uint64_t *cookies,
		       const uint64_t *semas, int n, char *err, size_t errlen)
{
	/* USDT semaphores go through the kernel's reference counter: it bumps them in
	 * every process mapping the file and drops them with the link, SIGKILL included */
	int any_sema = 0;
	for (int i = 0; i < n; i++)
		any_sema |= semas[i] != 0;
	int link = compat_uprobe_multi_link(prog_fd, pt->path, offsets, any_sema ? semas : NULL, cookies, (uint32_t)n,
					    pt->prov->is_return && !uprobe_of(pt)->ret_site, pt->block->filter_pid);
	if (link >= 0) {
		VEC_PUSH(pt->fds, link);
		return 0;
	}
	if (link != -524 /* ENOTSUPP */ && link != -EINVAL) {
		snprintf(err, errlen, "cannot attach %d uprobe%s in %s (uprobe_multi link): %s", n, n == 1 ? "" : "s",
			 pt->path, strerror(-link));
		return link;
	}
	if (n == 1) {
		const struct probe_point *q = pt->block->points.v[0];
		for (int i = 0; i < pt->block->points.n; i++)
			if ((uint64_t)pt->block->points.v[i]->id == cookies[0])
				q = pt->block->points.v[i];
		fprintf(stderr, "WARNING: cannot probe %s: the kernel cannot place a uprobe at that instruction; skipped\n",
			q->name);
		return 0;
	}
	int half = n / 2;
	int rc = link_subset(pt, prog_fd, offsets, cookies, semas, half, err, errlen);
	return rc ? rc : link_subset(pt, prog_fd, offsets + half, cookies + half, semas + half, n - half, err, errlen);
}

static int attach_multi(struct probe_point *pt, int prog_fd, char *err, size_t errlen)
{
	struct probe_block *blk = pt->block;
	if (uprobe_of(pt)->multi_done)
		return 0;
	VEC(uint64_t) offsets = { 0 };
	VEC(uint64_t) cookies = { 0 };
	VEC(uint64_t) semas = { 0 };
	for (int i = 0; i < blk->points.n; i++) {
		struct probe_point *q = blk->points.v[i];
		if (uprobe_of(q)->via_multi && !uprobe_of(q)->multi_done && !strcmp(q->path, pt->path)) {
			VEC_PUSH(offsets, uprobe_of(q)->offset);
			VEC_PUSH(cookies, (uint64_t)q->id);
			VEC_PUSH(semas, uprobe_of(q)->sema_off);
			uprobe_of(q)->multi_done = 1;
		}
	}
	int rc = link_subset(pt, prog_fd, offsets.v, cookies.v, semas.v, offsets.n, err, errlen);
	free(offsets.v);
	free(cookies.v);
	free(semas.v);
	return rc;
}

int uprobe_attach_point(struct probe_point *pt, int prog_fd, char *err, size_t errlen)
{
	if (uprobe_of(pt)->via_multi)
		return attach_multi(pt, prog_fd, err, errlen);
	int type, ret_bit;
	if (uprobe_pmu(&type, &ret_bit)) {
		snprintf(err, errlen, "this kernel has no uprobe event source (/sys/bus/event_source/devices/uprobe)");
		return -ENOENT;
	}
	struct perf_event_attr attr = {
		.type = (uint32_t)type,
		.size = sizeof(attr),
		/* bits 32-63: the USDT semaphore's file offset, counted by the kernel */
		.config = (pt->prov->is_return && !uprobe_of(pt)->ret_site ? 1ull << ret_bit : 0) | (uprobe_of(pt)->sema_off << 32),
		.config1 = (uint64_t)(uintptr_t)pt->path,
		.config2 = uprobe_of(pt)->offset,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	/* With -p the probe exists in that process only; otherwise in every one. */
	int pid = pt->block->filter_pid;
	return provider_attach_perf_pid(pt, &attr, pid > 0 ? pid : -1, pid > 0 ? -1 : 0, prog_fd,
					(uint64_t)pt->id, err, errlen);
}

/* -lv: the function's parameters from DWARF, as bpftrace lists them */
static void list_params(struct dw_cache *dw, const char *path, const struct elf_sym *sym, struct strbuf *out)
{
	const struct dw_params *ps;
	if (dw_func_params(dw, path, sym->name, sym->addr, &ps))
		return;
	for (int i = 0; i < ps->v.n; i++)
		sb_printf(out, "    %s %s\n", ps->v.v[i].type, ps->v.v[i].name);
}

/* The functions of one file, named PROV:NAME:FUNC. */
static void list_functions(const char *pattern, int verbose, const char *prov, const char *name, const char *path,
			   struct strbuf *out)
{
	struct elf_syms syms;
	if (elf_read_functions(path, &syms))
		return;
	struct dw_cache *dw = verbose ? dw_cache_new() : NULL;
	for (int i = 0; i < syms.v.n; i++) {
		char full[1200];
		snprintf(full, sizeof(full), "%s:%s:%s", prov, name, syms.v.v[i].name);
		if (fnmatch(pattern, full, 0))
			continue;
		sb_printf(out, "%s\n", full);
		if (dw)
			list_params(dw, path, &syms.v.v[i], out);
	}
	dw_cache_free(dw);
	elf_syms_free(&syms);
}

/* uprobe:BIN:GLOB: one file; with -p, BIN may be a glob over the files the process maps (named as it maps them) */
static void uprobe_list_kind(const char *pattern, int verbose, int pid, struct strbuf *out, const char *prov)
{
	char bin[512], func[512], path[1024];
	size_t n = strlen(prov);
	if (strncmp(pattern, prov, n) || pattern[n] != ':' || split_spec(pattern, bin, sizeof(bin), func, sizeof(func)))
		return;
	if (!strpbrk(bin, "*?")) {
		if (!bin_resolve(bin, pid, path, sizeof(path)))
			list_functions(pattern, verbose, prov, bin, path, out);
		return;
	}
	struct obj_list objs;
	if (pid <= 0 || objects_of_pid(pid, &objs))
		return;
	for (int i = 0; i < objs.v.n; i++)
		if (!fnmatch(bin, objects_display_path(objs.v.v[i]), 0))
			list_functions(pattern, verbose, prov, objects_display_path(objs.v.v[i]), objs.v.v[i], out);
	objects_free(&objs);
}

static void uprobe_list(const char *pattern, int verbose, int pid, struct strbuf *out)
{
	uprobe_list_kind(pattern, verbose, pid, out, "uprobe");
}

static void uretprobe_list(const char *pattern, int verbose, int pid, struct strbuf *out)
{
	(void)verbose;	/* parameters belong to entry probes */
	uprobe_list_kind(pattern, 0, pid, out, "uretprobe");
}

static const char *const uprobe_aliases[] = { "u", NULL };
static const char *const uretprobe_aliases[] = { "ur", NULL };

const struct provider provider_uprobe = {
	.name = "uprobe",
	.aliases = uprobe_aliases,
	.mode = RUN_ATTACHED,
	.expand = uprobe_expand,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.can_sleep = 1,
	.has_regs = 1,
	.context = uprobe_context,
	.plan = uprobe_plan_block,
	.attach = uprobe_attach_point,
	.list = uprobe_list,
};

const struct provider provider_uretprobe = {
	.name = "uretprobe",
	.aliases = uretprobe_aliases,
	.mode = RUN_ATTACHED,
	.expand = uretprobe_expand,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.can_sleep = 1,
	.has_regs = 1,
	.is_return = 1,
	.context = uprobe_context,
	.plan = uprobe_plan_block,
	.attach = uprobe_attach_point,
	.list = uretprobe_list,
};
