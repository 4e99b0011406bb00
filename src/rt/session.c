/*
 * The life cycle of a run: compile, create maps, load, run BEGIN through
 * BPF_PROG_TEST_RUN, then the event loop (ring buffer polled on a timer,
 * interval probes as wall-clock timers, signals), then drain, END, and the
 * maps printed at exit.
 */
#include "session.h"
#include "events.h"
#include "metrics.h"
#include "selfsig.h"
#include "testmode.h"
#include "config.h"
#include "../sym/demangle.h"
#include "../lang/parser.h"
#include "../lang/label_cgroup.h"
#include "../codegen/codegen.h"
#include "../bpf/loader.h"
#include "../sema/btf.h"
#include "../sym/resolve.h"
#include "../out/mapprint.h"
#include "../out/json.h"
#include "../util/closeall.h"
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/*
 * The ring buffer must hold what probes emit between two polls. Programs run
 * by sonde itself (BEGIN, END, interval) emit little; kernel and user events
 * can emit a million records a second. Its pages count in sonde's RSS.
 */
static uint32_t ringbuf_size(const struct session *s)
{
	if (s->o.ringbuf_bytes)
		return s->o.ringbuf_bytes;
	if (s->cfg.perf_rb_pages) {
		/* a ring buffer is a power of two pages */
		uint32_t size = (uint32_t)getpagesize();
		while (size / (uint32_t)getpagesize() < s->cfg.perf_rb_pages && size < (1u << 30))
			size <<= 1;
		return size;
	}
	for (int i = 0; i < s->script.points.n; i++) {
		enum run_mode m = s->script.points.v[i]->prov->mode;
		if (m != RUN_ONCE_FIRST && m != RUN_ONCE_LAST && m != RUN_TIMER && m != RUN_SIGNAL && m != RUN_TEST)
			return 4u << 20;
	}
	return 256u << 10;
}

/* SONDE_UNWIND=fp: user stacks walk frame pointers only, as before the CFI unwinder (bench/, comparisons). */
static int is_fp_only(void)
{
	const char *v = getenv("SONDE_UNWIND");
	return v && !strcmp(v, "fp");
}

static int create_runtime_maps(struct session *s)
{
	uint32_t size = ringbuf_size(s);
	s->ringbuf_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "sonde_records", 0, 0, size, NULL);
	if (s->ringbuf_fd < 0) {
		int err = errno;
		if (err == EPERM || err == EACCES)
			diag_plain(&s->diag, "cannot create BPF maps: %s. sonde needs root or CAP_BPF and CAP_PERFMON", strerror(err));
		else
			diag_plain(&s->diag, "cannot create the ring buffer (%u bytes): %s", size, strerror(err));
		return -1;
	}
	s->lost_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "sonde_lost", 4, 8, 1, NULL);
	if (s->lost_fd < 0) {
		diag_plain(&s->diag, "cannot create the lost-events counter: %s", strerror(errno));
		return -1;
	}
	s->nest_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "sonde_nest", 4, 8, 1, NULL);
	if (s->nest_fd < 0) {
		diag_plain(&s->diag, "cannot create the nesting counter: %s", strerror(errno));
		return -1;
	}
	s->exit_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sonde_exit", 4, 16, 1, NULL);
	if (s->exit_fd < 0) {
		diag_plain(&s->diag, "cannot create the exit flag: %s", strerror(errno));
		return -1;
	}
	if (s->script.uses_usym) {
		s->usym_pids_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "sonde_usym_pids", 4, 8, 4096, NULL);
		if (s->usym_pids_fd < 0) {
			diag_plain(&s->diag, "cannot create the usym() process set: %s", strerror(errno));
			return -1;
		}
	}
	if (s->script.uses_stacks) {
		/*
		 * Preallocated (about 1 KiB a stack): a BPF_F_NO_PREALLOC table
		 * allocates from a per-CPU cache that a profile interrupt drains
		 * after one element, and the next stack is lost (ENOMEM).
		 */
		uint32_t entries = s->o.stack_entries ? s->o.stack_entries : STACK_TABLE_DEFAULT;
		s->stacks_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "sonde_stacks", 8, 8 * (1 + STACK_MAX_FRAMES), entries, NULL);
		s->stack_lost_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "sonde_stk_lost", 4, 8, 1, NULL);
		if (s->stacks_fd < 0 || s->stack_lost_fd < 0) {
			diag_plain(&s->diag, "cannot create the stack table (%u stacks): %s", entries, strerror(errno));
			return -1;
		}
		s->vc.stacks_fd = s->stacks_fd;
	}
	if (s->script.uses_ustack && !is_fp_only()) {
		int rc = unw_open(&s->unw);
		if (rc && s->o.verbose)
			fprintf(stderr, "NOTE: user stacks walk frame pointers only: cannot create the unwinder's maps: %s\n",
				strerror(-rc));
		if (!rc && s->o.pid)
			unw_load_pid(&s->unw, s->o.pid);	/* its first stacks are whole */
		for (const char *id = s->o.preload_pids; !rc && id && *id; id = strchr(id, ',') ? strchr(id, ',') + 1 : "")
			unw_load_pid(&s->unw, atoi(id));
	}
	if (s->script.blocks.n) {
		s->read_fail_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "sonde_read_fail", 4, 8,
						 (__u32)s->script.blocks.n, NULL);
		if (s->read_fail_fd < 0) {
			diag_plain(&s->diag, "cannot create the failed-read counters: %s", strerror(errno));
			return -1;
		}
	}
	if (s->script.maps.n && !s->o.at_exit) {	/* tools size their maps and say it their way */
		s->map_full_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "sonde_map_full", 4, 8,
						(__u32)s->script.maps.n, NULL);
		if (s->map_full_fd < 0) {
			diag_plain(&s->diag, "cannot create the map-full counters: %s", strerror(errno));
			return -1;
		}
	}
	return events_open(s);
}

/*
 * usym() names an address through its process's maps, which vanish when the
 * process exits. BPF notes each process it sees; its maps are read here, at
 * most every 50 ms, so a process that lives that long keeps its names.
 */
static void snapshot_usym_processes(struct session *s, int force)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	if (s->usym_pids_fd < 0 || (!force && now - s->usym_snapshot_ns < 50000000ull))
		return;
	s->usym_snapshot_ns = now;
	uint32_t key, next;
	VEC(uint32_t) seen = { 0 };
	for (int r = bpf_map_get_next_key(s->usym_pids_fd, NULL, &next); r == 0 && seen.n < 4096;
	     r = bpf_map_get_next_key(s->usym_pids_fd, &key, &next)) {
		sym_user_snapshot(s->vc.syms, (int)next);
		VEC_PUSH(seen, next);
		key = next;
	}
	/* exited processes leave the set, so it never fills up and a reused pid is noted again */
	for (int i = 0; i < seen.n; i++)
		if (kill((pid_t)seen.v[i], 0) && errno == ESRCH)
			bpf_map_delete_elem(s->usym_pids_fd, &seen.v[i]);
	free(seen.v);
}

static int new_scratch_map(void *ctx, int size, int levels)
{
	struct session *s = ctx;
	int fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "sonde_scratch", 4, (__u32)size, (__u32)levels, NULL);
	if (fd >= 0)
		VEC_PUSH(s->scratch_fds, fd);
	return fd;
}

static int compile(struct session *s);

/* A developer switch: set, non-empty and not "0". */
static int env_flag(const char *name)
{
	const char *v = getenv(name);
	return v && *v && strcmp(v, "0");
}

/* Compiles and loads one block; a sleepable program the kernel refuses is compiled again without sleeping. */
static int load_block(struct session *s, struct probe_block *blk, const struct codegen_env *env)
{
	struct codegen_env nosleep = *env;
	for (;;) {
		struct emitted code = { 0 };
		struct strbuf dump = { 0 };
		char err[256];
		if (codegen_block(&s->script, blk, env, &code, s->o.verbose ? &dump : NULL, err, sizeof(err))) {
			diag_error(&s->diag, blk->node->span, "%s", err);
			sb_free(&dump);
			return -1;
		}
		if (s->o.verbose)
			fprintf(stderr, "%s%d BPF instructions, %d bytes of stack%s\n", sb_str(&dump), code.n,
				blk->stack_bytes, blk->sleepable ? ", sleepable" : "");
		sb_free(&dump);
		int rc = bpf_load_block(blk, &code, &s->diag, s->o.verbose, stderr);
		free(code.insns);
		free(code.spans);
		if (rc <= 0 || !env->can_sleep)
			return rc;
		nosleep.can_sleep = 0;
		env = &nosleep;
	}
}

static int compile_on_thread(void *s)
{
	return compile(s);
}

/* --label-cgroup with --metrics: the maps that get a shadow keyed by cgroup */
static int exported_map(const char *map, void *arg)
{
	const struct session *s = arg;
	if (!s->o.metrics_specs)
		return strncmp(map, "@_", 2) != 0;	/* @_name stays out of the metrics */
	for (const struct metrics_spec *sp = s->o.metrics_specs; sp->map; sp++)
		if (!strcmp(sp->map, map) || (sp->sum_map && !strcmp(sp->sum_map, map)))
			return 1;
	return 0;
}

static int compile(struct session *s)
{
	struct script *sc = &s->script;
	sc->arena = arena_new();
	sc->params = s->o.params;
	sc->nparams = s->o.nparams;
	stdlib_split_named_params(sc);
	sc->unsafe = s->o.unsafe;
	sc->verbose = s->o.verbose;
	sc->cpid = s->target.is_child ? s->target.pid : 0;
	sc->filter_pid = s->o.own_filter ? 0 : s->o.pid ? s->o.pid : s->o.filter_child && s->target.is_child ? s->target.pid : 0;
	sc->cmd_program = s->target.is_child ? s->target.program : NULL;
	sc->prog = parse_program(sc->arena, &s->diag, s->o.prog_text);
	if (!sc->prog || config_apply_block(sc->prog->b, &s->diag))
		return -1;
	/* a tool's program is its own: the user's BPFTRACE_* settings are a script's */
	if (s->o.generated)
		config_defaults(&s->cfg);
	else if (config_read(&s->cfg, &s->diag))
		return -1;
	sc->stack_mode_default = s->cfg.stack_mode;
	sc->missing_probes = (int)s->cfg.missing_probes;
	demangle_enabled = s->cfg.cpp_demangle;
	bpf_set_load_config(s->cfg.license, s->cfg.log_size);
	if (s->o.label_cgroup)
		label_cgroup_rewrite(sc->arena, sc->prog, s->o.metrics_addr ? exported_map : NULL, s);
	if (sema_check(sc, &s->diag) || stdlib_check_named_params(sc, &s->diag))
		return -1;
	if (s->cfg.max_bpf_progs && sc->blocks.n > s->cfg.max_bpf_progs) {
		diag_plain(&s->diag, "the script needs %d BPF programs, more than max_bpf_progs (%d)", sc->blocks.n,
			   s->cfg.max_bpf_progs);
		return -1;
	}
	sc->map_keys_max = s->o.map_entries;
	if (sc->uses_usym) {
		/* fixed-address programs traced or run name the frames of processes that exit at once */
		if (sc->cmd_program)
			sym_add_fixed_program(s->vc.syms, sc->cmd_program);
		for (int i = 0; i < sc->points.n; i++)
			if (sc->points.v[i]->path && (i == 0 || !sc->points.v[i - 1]->path ||
						       strcmp(sc->points.v[i]->path, sc->points.v[i - 1]->path)))
				sym_add_fixed_program(s->vc.syms, sc->points.v[i]->path);
	}
	if (bpf_create_maps(sc, &s->diag) || create_runtime_maps(s))
		return -1;
	struct codegen_env env = {
		.ringbuf_fd = s->ringbuf_fd,
		.lost_fd = s->lost_fd,
		.exit_fd = s->exit_fd,
		.ringbuf_wake_bytes = ringbuf_size(s) / 2,
		.have_sdiv = bpf_probe_sdiv(),
		.ncpus = libbpf_num_possible_cpus(),
		.start_ns = sc->start_ns,
		.nest_fd = s->nest_fd,
		.new_scratch_map = new_scratch_map,
		.ctx = s,
		/* developer option: a small stack budget sends slots to scratch (tests) */
		.stack_budget = getenv("SONDE_STACK_BUDGET") ? atoi(getenv("SONDE_STACK_BUDGET")) : 0,
		.filter_pid = sc->filter_pid,
		.filter_cgroup = s->o.cgroup_id,
		.usym_pids_fd = s->usym_pids_fd,
		.stacks_fd = s->stacks_fd,
		.stack_lost_fd = s->stack_lost_fd,
		.map_full_fd = s->map_full_fd,
		.read_fail_fd = s->read_fail_fd,
		.warn_reads = s->o.warn_reads,
		.unw_procs_fd = s->unw.procs_fd,
		.unw_rows_fd = s->unw.rows_fd,
		.unw_pending_fd = s->unw.pending_fd,
		.py_procs_fd = s->unw.py_fd,
		/* developer option: SONDE_NO_SLEEPABLE=1 keeps user-space probes non-sleepable (bench/) */
		.can_sleep = !env_flag("SONDE_NO_SLEEPABLE"),
	};
	for (int i = 0; i < sc->blocks.n; i++) {
		struct probe_block *blk = sc->blocks.v[i];
		char err[256];
		blk->filter_pid = sc->filter_pid;
		blk->filter_pending = !s->o.pid && s->target.is_child;
		if (blk->prov && blk->prov->plan && blk->prov->plan(blk, err, sizeof(err))) {
			diag_error(&s->diag, blk->node->span, "%s", err);
			return -1;
		}
	}
	for (int i = 0; i < sc->blocks.n; i++)
		if (load_block(s, sc->blocks.v[i], &env))
			return -1;
	return 0;
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	/* a second one ends sonde at once (the kernel detaches everything): its
	 * output may be blocked on a reader that never reads again */
	if (got_signal) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	got_signal = sig;
}

/* Runs one probe's program now; a kernel refusal ends the run with an error. */
static void run_probe(struct session *s, const struct probe_point *p)
{
	if (!bpf_test_run(p->block->prog_fd, (uint64_t)p->id))
		return;
	diag_plain(&s->diag, "the kernel refused to run probe %s: %s", p->name, strerror(errno));
	s->exiting = 1;
	s->exit_code = 1;
}

static void run_mode(struct session *s, enum run_mode mode)
{
	for (int i = 0; i < s->script.points.n; i++) {
		struct probe_point *p = s->script.points.v[i];
		if (p->prov->mode != mode || s->exiting)
			continue;
		run_probe(s, p);
		events_drain(s);
	}
}

/*
 * A script of BEGIN and END blocks only ends after BEGIN, as in bpftrace
 * 0.21 and later (0.17 waited for Ctrl-C), unless a command or process gives
 * the run its length or metrics are served.
 */
static int only_begin_end(const struct session *s)
{
	if (s->o.generated || s->o.command || s->o.command_argv || s->o.pid || s->o.metrics_addr)
		return 0;
	for (int i = 0; i < s->script.points.n; i++) {
		enum run_mode m = s->script.points.v[i]->prov->mode;
		if (m != RUN_ONCE_FIRST && m != RUN_ONCE_LAST && m != RUN_TEST)	/* test: probes run with --test only */
			return 0;
	}
	return 1;
}

/* Attaches every kernel-event probe; on failure detaches what was attached. */
static int attach_all(struct session *s)
{
	for (int i = 0; i < s->script.points.n; i++) {
		struct probe_point *p = s->script.points.v[i];
		if (p->prov->mode != RUN_ATTACHED)
			continue;
		char err[512];
		if (p->prov->attach(p, p->block->prog_fd, err, sizeof(err))) {
			/* config missing_probes: bpftrace 0.24 makes any failed attach an error unless told otherwise */
			if (s->cfg.missing_probes == MISSING_PROBES_IGNORE)
				continue;
			if (s->cfg.missing_probes == MISSING_PROBES_WARN) {
				fprintf(stderr, "WARNING: %s (left out: missing_probes)\n", err);
				continue;
			}
			diag_plain(&s->diag, "%s", err);
			return -1;
		}
	}
	return 0;
}

/* Iterators run their programs now, then the run ends (END still runs); 0, or -1 after an error. */
static int iterate_all(struct session *s)
{
	int any = 0;
	for (int i = 0; i < s->script.points.n && !s->exiting; i++) {
		struct probe_point *p = s->script.points.v[i];
		char err[512];
		if (!p->prov->iterate)
			continue;
		any = 1;
		if (p->prov->iterate(p, err, sizeof(err))) {
			diag_plain(&s->diag, "%s", err);
			return -1;
		}
		events_drain(s);
	}
	if (any)
		s->exiting = 1;
	return 0;
}

/* Links first (the programs stop), then the perf events, each group in parallel. */
static void detach_all(struct session *s)
{
	VEC(int) links = { 0 };
	VEC(int) events = { 0 };
	for (int i = 0; i < s->script.points.n; i++) {
		struct probe_point *p = s->script.points.v[i];
		/* attach pushes each perf event before its link */
		for (int k = 0; k < p->fds.n; k++) {
			if (k % 2)
				VEC_PUSH(links, p->fds.v[k]);
			else
				VEC_PUSH(events, p->fds.v[k]);
		}
		p->fds.n = 0;
		provider_detach(p);
	}
	close_all(links.v, links.n);
	close_all(events.v, events.n);
	free(links.v);
	free(events.v);
}

struct timer {
	struct probe_point *p;
	uint64_t next;
};

static void event_loop(struct session *s)
{
	VEC(struct timer) timers = { 0 };
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	for (int i = 0; i < s->script.points.n; i++)
		if (s->script.points.v[i]->prov->mode == RUN_TIMER) {
			struct timer t = { s->script.points.v[i], now + s->script.points.v[i]->period_ns };
			VEC_PUSH(timers, t);
		}
	int busy = 0;
	uint64_t next_tick = s->o.on_tick && s->o.tick_ns ? now + s->o.tick_ns : UINT64_MAX;
	while (!s->exiting && !got_signal && !target_exited(&s->target)) {
		/*
		 * Records are polled, not signalled per event: every 50 ms when
		 * quiet, every millisecond while records keep coming, so the
		 * buffer drains long before it fills.
		 */
		uint64_t wait = busy ? 1000000ull : 50000000ull;
		for (int i = 0; i < timers.n; i++)
			if (timers.v[i].next - now < wait || timers.v[i].next <= now)
				wait = timers.v[i].next > now ? timers.v[i].next - now : 0;
		if (next_tick - now < wait || next_tick <= now)
			wait = next_tick > now ? next_tick - now : 0;
		busy = events_poll(s, (int)(wait / 1000000)) > 0;
		metrics_serve(s);	/* a scrape waiting: it woke the poll */
		snapshot_usym_processes(s, 0);
		unw_poll(&s->unw, 0);
		for (int i = 0; i < s->unw.reread.n; i++)	/* it mapped code since (dlopen): usym() needs it too */
			sym_user_reread(s->vc.syms, s->unw.reread.v[i]);
		s->unw.reread.n = 0;
		py_prefetch(&s->pyf, s->unw.py_fd, s->stacks_fd, s->vc.syms, 0);
		now = clock_ns(CLOCK_MONOTONIC);
		if (selfsig_take())
			run_mode(s, RUN_SIGNAL);
		for (int i = 0; i < timers.n && !s->exiting && !got_signal; i++) {
			struct timer *t = &timers.v[i];
			if (t->next > now)
				continue;
			run_probe(s, t->p);
			events_drain(s);
			t->next += t->p->period_ns;
			if (t->next <= now)	/* we fell behind: no burst of catch-up runs */
				t->next = now + t->p->period_ns;
		}
		if (next_tick <= now && !s->exiting && !got_signal) {
			events_drain(s);
			s->o.on_tick(s, s->o.at_exit_arg);
			next_tick += s->o.tick_ns;
			if (next_tick <= now)
				next_tick = now + s->o.tick_ns;
		}
	}
	free(timers.v);
}

static int prints_zero_when_empty(enum type_kind kind)
{
	return kind == TY_INT || kind == TY_BOOL || kind == TY_COUNT || kind == TY_SUM || kind == TY_MIN ||
	       kind == TY_MAX || kind == TY_AVG;
}

void session_print_map(struct session *s, struct strbuf *out, const struct mapinfo *m,
		       const struct map_print_opts *o)
{
	if (!m->val || m->fd < 0)
		return;
	struct map_table tb;
	map_table_init(&tb, m, bpf_ncpus());
	bpf_map_read_table(m, &tb);
	if (!tb.n && !m->key && o->empty_scalar_as_zero && prints_zero_when_empty(m->val->kind)) {
		/* bpftrace 0.2x: print() of a scalar map never set, deleted or cleared prints 0;
		 * at exit an empty map prints nothing (clear() in END keeps it quiet) */
		uint8_t *zero_key = xcalloc(1, (size_t)m->key_size + 8);
		uint8_t *zero_vals = xcalloc((size_t)tb.ncpus + 1, ALIGN8((size_t)m->value_size));
		map_table_add(&tb, zero_key, zero_vals);
		tb.e[0].count |= m->val->kind == TY_MIN || m->val->kind == TY_MAX;	/* min/max: shown as set */
		free(zero_key);
		free(zero_vals);
	}
	map_render(out, &s->vc, &tb, o);
	map_table_free(&tb);
}

int session_read_map(struct session *s, const char *name, struct map_table *tb)
{
	const struct mapinfo *m = script_find_map(&s->script, name);
	if (!m || !m->val || m->fd < 0)
		return -1;
	map_table_init(tb, m, bpf_ncpus());
	bpf_map_read_table(m, tb);
	return 0;
}

/* The script's maps in byte order of their names; the caller frees the array. */
static const struct mapinfo **maps_by_name(const struct script *sc)
{
	int n = sc->maps.n;
	const struct mapinfo **order = xcalloc((size_t)(n ? n : 1), sizeof(*order));
	for (int i = 0; i < n; i++)
		order[i] = sc->maps.v[i];
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(order[j - 1]->name, order[j]->name) > 0; j--) {
			const struct mapinfo *t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	return order;
}

static void print_maps_at_exit(struct session *s)
{
	struct script *sc = &s->script;
	if (!s->o.json)
		fputs("\n\n", s->out);
	int n = sc->maps.n;
	const struct mapinfo **order = maps_by_name(sc);
	struct map_print_opts o = { .json = s->o.json, .div = 1 };
	for (int i = 0; i < n; i++) {
		if (label_cgroup_is_shadow(order[i]->name))
			continue;	/* --label-cgroup's copy, for the metrics */
		struct strbuf sb = { 0 };
		session_print_map(s, &sb, order[i], &o);
		fputs(sb_str(&sb), s->out);
		sb_free(&sb);
	}
	free(order);
}

/* -v: how often each probe ran and what it cost, from the kernel's own counters. */
static void report_run_stats(struct session *s)
{
	for (int i = 0; i < s->script.blocks.n; i++) {
		struct probe_block *b = s->script.blocks.v[i];
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		if (b->prog_fd < 0 || bpf_obj_get_info_by_fd(b->prog_fd, &info, &len))
			continue;
		fprintf(stderr, "probe %s%s (line %d): %llu runs, %llu ns, %llu ns per run\n",
			b->points.n ? b->points.v[0]->name : "?", b->points.n > 1 ? ", …" : "",
			b->node->span.line, (unsigned long long)info.run_cnt,
			(unsigned long long)info.run_time_ns,
			(unsigned long long)(info.run_cnt ? info.run_time_ns / info.run_cnt : 0));
	}
}

uint64_t session_percpu_total(int fd, uint32_t key)
{
	int ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0 || fd < 0)
		return 0;
	uint64_t *vals = xcalloc((size_t)ncpu, 8), total = 0;
	if (!bpf_map_lookup_elem(fd, &key, vals))
		for (int i = 0; i < ncpu; i++)
			total += vals[i];
	free(vals);
	return total;
}

static uint64_t percpu_total(int fd)
{
	return session_percpu_total(fd, 0);
}

static void report_lost_stacks(struct session *s)
{
	uint64_t lost = s->o.at_exit ? 0 : percpu_total(s->stack_lost_fd);	/* tools say it their way */
	if (lost)
		fprintf(stderr, "WARNING: %llu stacks were not kept: the stack table (%u distinct stacks) is full; "
			"their keys print as an empty stack (SONDE_STACK_TABLE=N keeps more)\n", (unsigned long long)lost,
			s->o.stack_entries ? s->o.stack_entries : STACK_TABLE_DEFAULT);
}

void report_cut_stacks(const struct stack_stats *in, const struct unw_state *unw)
{
	/*
	 * Files the CFI walk has tables for are left out: their stacks were cut
	 * only before the tables were loaded (a process's first stack) or
	 * where their rows ran out, not for want of frame pointers.
	 */
	struct stack_stats *st = xcalloc(1, sizeof(*st));
	st->cut = in->cut;
	for (int i = 0, w = 0; i < STACK_STATS_MODULES && in->module[i][0]; i++) {
		if (unw && unw_file_has_cfi(unw, in->module[i]) == 1) {
			st->cut -= in->per_module[i] <= st->cut ? in->per_module[i] : st->cut;
			continue;
		}
		memcpy(st->module[w], in->module[i], sizeof(st->module[w]));
		st->per_module[w++] = in->per_module[i];
	}
	if (!st->cut) {
		free(st);
		return;
	}
	struct strbuf files = { 0 };
	stack_stats_files(st, &files);
	fprintf(stderr, "NOTE: %llu user stack%s stopped short%s%s%s: the code likely has no frame pointers. "
		"Rebuild it with -fno-omit-frame-pointer (Java: -XX:+PreserveFramePointer) for whole stacks.\n",
		(unsigned long long)st->cut, st->cut == 1 ? "" : "s", files.len ? " (in " : "", sb_str(&files),
		files.len ? ")" : "");
	sb_free(&files);
	free(st);
}

/*
 * Updates that a full hash map refused (a new key; BPF counts them per map),
 * one line or record per map in name order.
 */
static void report_map_full(struct session *s)
{
	struct script *sc = &s->script;
	if (s->map_full_fd < 0)
		return;
	int n = sc->maps.n;
	const struct mapinfo **order = maps_by_name(sc);
	for (int i = 0; i < n; i++) {
		const struct mapinfo *m = order[i];
		unsigned entries = m->max_entries ? m->max_entries : bpf_map_max_keys(sc);
		uint64_t dropped = m->fd >= 0 ? session_percpu_total(s->map_full_fd, (uint32_t)m->id) : 0;
		if (!dropped)
			continue;
		if (s->o.json)
			fprintf(s->out, "{\"type\": \"map_full\", \"data\": {\"map\": \"%s\", \"dropped\": %llu, "
				"\"max_entries\": %u}}\n", m->name, (unsigned long long)dropped, entries);
		else
			fprintf(stderr, "WARNING: %s: %llu update%s dropped, map full (%u entries; raise %s)\n", m->name,
				(unsigned long long)dropped, dropped == 1 ? "" : "s", entries,
				m->max_entries ? "the size in its declaration" : "with BPFTRACE_MAX_MAP_KEYS");
	}
	free(order);
}

/*
 * Reads of the traced process's memory that failed even after faulting the
 * page in (an unmapped address), per block: their strings and buffers hold
 * zeros, which must not pass for data.
 */
static void report_read_failures(struct session *s)
{
	struct script *sc = &s->script;
	for (int i = 0; s->read_fail_fd >= 0 && i < sc->blocks.n; i++) {
		const struct probe_block *blk = sc->blocks.v[i];
		uint64_t failed = session_percpu_total(s->read_fail_fd, (uint32_t)blk->id);
		if (!failed || !blk->points.n)
			continue;
		const char *probe = blk->points.v[0]->name;
		if (s->o.json) {
			struct strbuf name = { 0 };
			json_escape(&name, probe, strlen(probe));
			fprintf(s->out, "{\"type\": \"read_failed\", \"data\": {\"probe\": %s, \"line\": %d, \"reads\": %llu}}\n",
				sb_str(&name), blk->node->span.line, (unsigned long long)failed);
			sb_free(&name);
		} else {
			fprintf(stderr, "WARNING: %s%s (line %d): %llu read%s of the process's memory failed (%s); "
				"the strings and values read there are empty or zero\n", probe,
				blk->points.n > 1 ? " and the block's other probes" : "", blk->node->span.line,
				(unsigned long long)failed, failed == 1 ? "" : "s",
				blk->sleepable ? "address not mapped" : "address not mapped, or its page not in memory yet");
		}
	}
}

static void report_lost(struct session *s)
{
	uint64_t total = percpu_total(s->lost_fd);
	if (!total)
		return;
	if (s->o.json)
		fprintf(s->out, "{\"type\": \"lost_events\", \"data\": {\"events\": %llu}}\n", (unsigned long long)total);
	else
		fprintf(stderr, "Lost %llu events\n", (unsigned long long)total);
}

int session_run(struct session *s)
{
	s->ringbuf_fd = s->lost_fd = s->exit_fd = s->nest_fd = s->usym_pids_fd = -1;
	s->stacks_fd = s->stack_lost_fd = s->vc.stacks_fd = s->map_full_fd = s->read_fail_fd = -1;
	s->target = (struct target){ .go_fd = -1, .err_fd = -1, .pidfd = -1 };
	s->unw = (struct unw_state){ .procs_fd = -1, .rows_fd = -1, .pending_fd = -1, .py_fd = -1 };
	s->src.name = s->o.prog_name;
	s->src.text = s->o.prog_text;
	s->diag.src = &s->src;
	s->diag.out = stderr;
	s->diag.generated = s->o.generated;
	s->script.start_ns = clock_ns(CLOCK_MONOTONIC);
	s->vc.s = &s->script;
	s->vc.syms = sym_cache_new();
	s->vc.stack_stats = &s->stack_stats;
	s->vc.boot_to_real_ns = (int64_t)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
	/* Needed only on kernels without memcg accounting; failing is fine. */
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	setrlimit(RLIMIT_MEMLOCK, &rl);
	libbpf_set_print(NULL);

	/* The -c child exists before compiling, so cpid is a constant. */
	if ((s->o.command || s->o.command_argv) &&
	    target_spawn(&s->target, s->o.command, s->o.command_argv, &s->diag))
		return 1;
	if (s->o.pid && target_follow(&s->target, s->o.pid, &s->diag))
		return 1;
	/* on a thread with a large stack: a program may nest 10000 levels deep */
	if (run_on_big_stack(compile_on_thread, s))
		return 1;
	/* --metrics: exports checked and the port bound before anything runs */
	if (metrics_open(s))
		return 1;

	/* SA_RESTART: a write blocked on a full pipe resumes after the handler, so
	 * a record is printed whole, never cut and dropped by stdio's EINTR error
	 * (the event loop's waits still return and see the flag) */
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (int i = 0; i < s->script.points.n; i++)
		if (s->script.points.v[i]->prov->mode == RUN_SIGNAL)
			selfsig_install();

	/*
	 * Said before BEGIN, so it is the first record of JSON output even when
	 * BEGIN exits: BEGIN runs before kernel probes attach (an exit() in BEGIN
	 * attaches nothing), and a failed attach ends the run with an error.
	 */
	int n = s->script.points.n;
	if (s->o.json && !s->o.quiet)
		fprintf(s->out, "{\"type\": \"attached_probes\", \"data\": {\"probes\": %d}}\n", n);
	else if (!s->o.json && !s->o.quiet)
		fprintf(stderr, "Attached %d probe%s\n", n, n == 1 ? "" : "s");

	if (s->o.dry_run) {
		/* the script parses, checks, loads and attaches; BEGIN, END and a -c command never run */
		int rc = attach_all(s);
		detach_all(s);
		return rc ? 1 : 0;
	}
	/* -v: the kernel counts runs and run time per program (BPF_ENABLE_STATS) */
	int stats_fd = s->o.verbose ? bpf_enable_stats(BPF_STATS_RUN_TIME) : -1;
	run_mode(s, RUN_ONCE_FIRST);
	if (s->o.test_mode && !s->exiting) {	/* the tests, then END: nothing attaches, no maps printed */
		int failed = testmode_run(s);
		s->exiting = 1;
		s->cfg.print_maps_on_exit = 0;
		s->exit_code = failed;
	}
	if (only_begin_end(s))
		s->exiting = 1;	/* bpftrace 0.21: nothing more can happen */
	if (!s->exiting && attach_all(s)) {
		detach_all(s);
		return 1;
	}
	if (!s->exiting && s->o.on_attached)
		s->o.on_attached(s, s->o.at_exit_arg);
	/* Every probe is in place: now the command may run. */
	if (!s->exiting && target_release(&s->target, &s->diag)) {
		detach_all(s);
		return 1;
	}
	/*
	 * The command has run exec: what was loaded of it is sonde's own image.
	 * Forgotten, it is loaded again when its first stack asks (its libraries
	 * are mapped by then), not at the next 250 ms check: Python frames from
	 * the start.
	 */
	if (!s->exiting && s->target.is_child && s->target.pid)
		unw_forget_pid(&s->unw, s->target.pid);
	if (!s->exiting && iterate_all(s)) {
		detach_all(s);
		return 1;
	}
	if (!s->exiting)
		event_loop(s);
	s->ended_ns = clock_ns(CLOCK_MONOTONIC);
	metrics_close(s);	/* scrapes end with the loop that answers them */
	snapshot_usym_processes(s, 1);	/* processes first seen in the last moments */
	py_prefetch(&s->pyf, s->unw.py_fd, s->stacks_fd, s->vc.syms, 1);
	/* Detach before the last drain: nothing new arrives while END runs. */
	detach_all(s);
	events_drain(s);
	/* END runs even after exit(); its own records are printed. */
	uint32_t key = 0;
	int64_t clear_flag[2] = { 0, 0 };
	bpf_map_update_elem(s->exit_fd, &key, clear_flag, BPF_ANY);
	s->exiting = s->exit_seen = 0;
	run_mode(s, RUN_ONCE_LAST);
	events_drain(s);
	report_lost(s);
	report_map_full(s);
	report_read_failures(s);
	report_lost_stacks(s);
	if (s->o.verbose)
		unw_report(&s->unw, stderr);
	if (stats_fd >= 0) {
		report_run_stats(s);
		close(stats_fd);
	}
	if (s->o.at_exit)
		s->o.at_exit(s, s->o.at_exit_arg);
	else if (s->cfg.print_maps_on_exit)
		print_maps_at_exit(s);
	fflush(s->out);
	report_cut_stacks(&s->stack_stats, &s->unw);
	return s->exit_code;
}

void session_free(struct session *s)
{
	metrics_close(s);
	detach_all(s);
	target_cleanup(&s->target);
	events_close(s);
	bpf_close_maps(&s->script);
	for (int i = 0; i < s->script.blocks.n; i++) {
		if (s->script.blocks.v[i]->prog_fd >= 0)
			close(s->script.blocks.v[i]->prog_fd);
		if (s->script.blocks.v[i]->dispatch_fd >= 0)
			close(s->script.blocks.v[i]->dispatch_fd);
	}
	script_free(&s->script);
	sym_cache_free(s->vc.syms);
	s->vc.syms = NULL;
	if (s->ringbuf_fd >= 0)
		close(s->ringbuf_fd);
	if (s->lost_fd >= 0)
		close(s->lost_fd);
	if (s->exit_fd >= 0)
		close(s->exit_fd);
	if (s->nest_fd >= 0)
		close(s->nest_fd);
	if (s->usym_pids_fd >= 0)
		close(s->usym_pids_fd);
	if (s->stacks_fd >= 0)
		close(s->stacks_fd);
	if (s->stack_lost_fd >= 0)
		close(s->stack_lost_fd);
	if (s->map_full_fd >= 0)
		close(s->map_full_fd);
	if (s->read_fail_fd >= 0)
		close(s->read_fail_fd);
	unw_close(&s->unw);
	py_prefetch_free(&s->pyf);
	for (int i = 0; i < s->scratch_fds.n; i++)
		close(s->scratch_fds.v[i]);
	free(s->scratch_fds.v);
	sb_free(&s->line);
	for (int i = 0; i < FMT_MAX_CONV; i++)
		sb_free(&s->args[i]);
	free(s->padded);
	kbtf_release();
}
