/*
 * Symbolization for ksym()/usym(). Everything is read lazily and kept: a
 * script that never prints a symbol touches neither kallsyms (100k+ lines)
 * nor any ELF file. A process's maps are read the first time one of its
 * addresses is printed, so a process that has exited by then resolves to hex.
 * Code no file holds (a JIT's) is named by the process's perf map, and C++
 * names are demangled one at a time, when first printed.
 */
#include "resolve.h"
#include "../unwind/layout.h"
#include "demangle.h"
#include "perfmap.h"
#include "vdso.h"
#include "../obj/elf.h"
#include "../python/merge.h"
#include "../python/names.h"
#include "../util/util.h"
#include <stdio.h>
#include <time.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

struct ksym {
	uint64_t addr;
	char *name;
};

struct fsym {
	uint64_t off, size;	/* file offset range */
	const char *name;
	const char *shown;	/* name demangled, or name itself; NULL until first printed */
};

struct sym_file {
	char *key;		/* "dev:inode" from the maps line: one file however many processes map it */
	char *path;		/* where to read it (through the first process seen mapping it) */
	char *shown;		/* the path as the process maps it, for (module) in output */
	int loaded;		/* symbols are read when an address first falls inside */
	struct elf_syms syms;
	VEC(struct fsym) by_off;
};

struct mapping {
	uint64_t start, end, pgoff;
	struct sym_file *file;	/* NULL: anonymous memory (a JIT's code), or [vdso] and the like */
	const char *pseudo;	/* "[vdso]"…, for (module), kept in the cache; NULL for anonymous memory */
};

struct sym_proc {
	int pid;
	VEC(struct mapping) maps;
	VEC(struct mapping) before_exec;	/* the program it ran before an exec: stacks taken then */
	struct perfmap *jit;
	struct proc_id { uint64_t start, exe_dev, exe_ino; } id;	/* which process, which program */
	uint64_t read_ns;	/* when its maps were read */
};

struct sym_cache {
	VEC(char *) pseudo;	/* pseudo_name() */
	VEC(struct mapping) fixed;	/* code of fixed-address programs, where any process maps it */
	int kernel_read;
	VEC(struct ksym) kernel;
	VEC(struct sym_file *) files;
	VEC(struct sym_proc *) procs;
	struct py_names *py;	/* Python frames' names, made on first use */
};

struct sym_cache *sym_cache_new(void)
{
	return xcalloc(1, sizeof(struct sym_cache));
}

void sym_cache_free(struct sym_cache *c)
{
	if (!c)
		return;
	py_names_free(c->py);
	for (int i = 0; i < c->kernel.n; i++)
		free(c->kernel.v[i].name);
	free(c->kernel.v);
	for (int i = 0; i < c->files.n; i++) {
		for (int k = 0; k < c->files.v[i]->by_off.n; k++)
			if (c->files.v[i]->by_off.v[k].shown != c->files.v[i]->by_off.v[k].name)
				free((char *)c->files.v[i]->by_off.v[k].shown);
		elf_syms_free(&c->files.v[i]->syms);
		free(c->files.v[i]->by_off.v);
		free(c->files.v[i]->key);
		free(c->files.v[i]->path);
		free(c->files.v[i]->shown);
		free(c->files.v[i]);
	}
	free(c->files.v);
	for (int i = 0; i < c->procs.n; i++) {
		struct sym_proc *p = c->procs.v[i];
		free(p->maps.v);
		free(p->before_exec.v);
		perfmap_free(p->jit);
		free(p);
	}
	free(c->procs.v);
	free(c->fixed.v);
	for (int i = 0; i < c->pseudo.n; i++)
		free(c->pseudo.v[i]);
	free(c->pseudo.v);
	free(c);
}

static int by_ksym_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

static void read_kallsyms(struct sym_cache *c)
{
	c->kernel_read = 1;
	FILE *f = fopen("/proc/kallsyms", "re");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;	/* addresses hidden (kptr_restrict): nothing to resolve */
		if (type == 't' || type == 'T' || type == 'w' || type == 'W')
			VEC_PUSH(c->kernel, ((struct ksym){ addr, xstrdup(name) }));
	}
	fclose(f);
	if (c->kernel.n)
		qsort(c->kernel.v, (size_t)c->kernel.n, sizeof(c->kernel.v[0]), by_ksym_addr);
}

int sym_kernel_info(struct sym_cache *c, uint64_t addr, struct sym_info *out)
{
	if (!c->kernel_read)
		read_kallsyms(c);
	/* the last symbol at or below addr */
	int lo = 0, hi = c->kernel.n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (c->kernel.v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	*out = (struct sym_info){ .module = "[kernel.kallsyms]", .kind = SYM_KERNEL };
	if (!lo)
		return 0;
	out->name = c->kernel.v[lo - 1].name;
	out->offset = addr - c->kernel.v[lo - 1].addr;
	return 1;
}

const char *sym_kernel(struct sym_cache *c, uint64_t addr)
{
	struct sym_info si;
	return sym_kernel_info(c, addr, &si) ? si.name : NULL;
}

static int by_file_off(const void *a, const void *b)
{
	const struct fsym *x = a, *y = b;
	return (x->off > y->off) - (x->off < y->off);
}

static void file_load(struct sym_file *f);

/* Whether PATH, seen from here, is the file the maps line names (not another in a container). */
static int same_file(const char *path, const char *dev, unsigned long long inode)
{
	struct stat st;
	unsigned maj, min;
	return sscanf(dev, "%x:%x", &maj, &min) == 2 && stat(path, &st) == 0 && st.st_ino == inode &&
	       major(st.st_dev) == maj && minor(st.st_dev) == min;
}

/*
 * A mapped file, once per device and inode. Its symbols are read when an
 * address first falls in it, through a path that outlives the process when
 * there is one; a file only reachable through /proc/PID/root is read now.
 */
static struct sym_file *file_get(struct sym_cache *c, const char *path, const char *dev, unsigned long long inode,
				 int pid)
{
	char key[4200], full[4200];
	snprintf(full, sizeof(full), "/proc/%d/root%s", pid, path);
	snprintf(key, sizeof(key), "%s:%llu", dev, inode);
	if (!inode)
		snprintf(key, sizeof(key), "%s", full);
	for (int i = 0; i < c->files.n; i++)
		if (!strcmp(c->files.v[i]->key, key))
			return c->files.v[i];
	struct sym_file *f = xcalloc(1, sizeof(*f));
	f->key = xstrdup(key);
	int here = inode && same_file(path, dev, inode);
	f->path = xstrdup(here ? path : full);
	f->shown = xstrdup(path);
	VEC_PUSH(c->files, f);
	if (!here)
		file_load(f);
	return f;
}

static void file_load(struct sym_file *f)
{
	f->loaded = 1;
	if (elf_read_functions(f->path, &f->syms) == 0)
		for (int i = 0; i < f->syms.v.n; i++) {
			const struct elf_sym *s = &f->syms.v.v[i];
			VEC_PUSH(f->by_off, ((struct fsym){ s->file_off, s->size, s->name, NULL }));
		}
	if (f->by_off.n)
		qsort(f->by_off.v, (size_t)f->by_off.n, sizeof(f->by_off.v[0]), by_file_off);
}

/* The pid process PID has in its own namespace (NSpid's last field), which names its perf map. */
static int ns_pid(int pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "re");
	int ns = pid;
	if (!f)
		return pid;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "NSpid:", 6))
			continue;
		for (char *p = line + 6, *e;; p = e) {
			long v = strtol(p, &e, 10);
			if (e == p)
				break;
			ns = (int)v;
		}
		break;
	}
	fclose(f);
	return ns;
}

/*
 * The perf map a JIT in process PID writes to its /tmp, seen through its root
 * (a container's, or systemd's PrivateTmp); once the process is gone, the
 * host's /tmp/perf-PID.map. Shown as perf shows it, with the host's pid.
 */
static struct perfmap *jit_map(int pid)
{
	char path[96], host[64];
	snprintf(path, sizeof(path), "/proc/%d/root/tmp/perf-%d.map", pid, ns_pid(pid));
	snprintf(host, sizeof(host), "/tmp/perf-%d.map", pid);
	struct perfmap *m = perfmap_new(path, host, host);
	char proc[32];
	struct stat st;
	snprintf(proc, sizeof(proc), "/proc/%d", pid);
	perfmap_set_owner(m, stat(proc, &st) == 0 ? (long)st.st_uid : 0);	/* gone: root's files only */
	perfmap_refresh(m);
	return m;
}

/* "[vdso]" and the like, one copy for the cache's life: names handed out stay valid when maps are read again */
static const char *pseudo_name(struct sym_cache *c, const char *name)
{
	for (int i = 0; i < c->pseudo.n; i++)
		if (!strcmp(c->pseudo.v[i], name))
			return c->pseudo.v[i];
	VEC_PUSH(c->pseudo, xstrdup(name));
	return c->pseudo.v[c->pseudo.n - 1];
}

/* Executable mappings: files, anonymous memory (where JITs put code) and [vdso]-like ones. */
static void read_maps(struct sym_cache *c, struct sym_proc *p)
{
	char maps[64];
	snprintf(maps, sizeof(maps), "/proc/%d/maps", p->pid);
	FILE *f = fopen(maps, "re");
	if (!f)
		return;
	char line[4600];
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end, pgoff, inode;
		char perms[8], dev[32], path[4096] = "";
		int n = sscanf(line, "%llx-%llx %7s %llx %31s %llu %4095[^\n]", &start, &end, perms, &pgoff, dev,
			       &inode, path);
		if (n < 6 || perms[2] != 'x')
			continue;
		struct mapping m = { start, end, pgoff, NULL, NULL };
		if (path[0] == '/') {
			m.file = file_get(c, path, dev, inode, p->pid);
		} else if (path[0] == '[' && strncmp(path, "[anon:", 6)) {
			m.pseudo = pseudo_name(c, path);
		}
		VEC_PUSH(p->maps, m);
	}
	fclose(f);
}

/* The process's start time and its program's file: a reused pid or an exec changes them. 0 when it is gone. */
static int proc_identity(int pid, struct proc_id *id)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* after the command name in parentheses (which may hold spaces), starttime is field 22 */
	const char *p = strrchr(buf, ')');
	unsigned long long start = 0;
	for (int field = 2; p && *p && field < 22; p++)
		if (*p == ' ')
			field++;
	if (!p || sscanf(p, "%llu", &start) != 1)
		return 0;
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	if (stat(path, &st))
		return 0;	/* exiting (its memory is already gone) or a kernel thread */
	*id = (struct proc_id){ start, st.st_dev, st.st_ino };
	return 1;
}

/* Reads the maps again; an exiting process, whose maps read empty, keeps the old ones. */
static void reread(struct sym_cache *c, struct sym_proc *p)
{
	struct sym_proc fresh = { .pid = p->pid };
	read_maps(c, &fresh);
	if (!fresh.maps.n) {
		free(fresh.maps.v);
		return;
	}
	free(p->maps.v);
	p->maps.v = fresh.maps.v;
	p->maps.n = fresh.maps.n;
	p->maps.cap = fresh.maps.cap;
	p->read_ns = clock_ns(CLOCK_MONOTONIC);
}

static struct sym_proc *proc_find(struct sym_cache *c, int pid)
{
	for (int i = 0; i < c->procs.n; i++)
		if (c->procs.v[i]->pid == pid)
			return c->procs.v[i];
	return NULL;
}

static struct sym_proc *proc_get(struct sym_cache *c, int pid)
{
	struct sym_proc *p = proc_find(c, pid);
	if (p)
		return p;
	p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	VEC_PUSH(c->procs, p);
	proc_identity(pid, &p->id);
	read_maps(c, p);
	p->read_ns = clock_ns(CLOCK_MONOTONIC);
	p->jit = jit_map(pid);
	return p;
}

/*
 * The maps are read when the process is first seen, and again when it is
 * no longer the process read then: an exec (another program) or a reused
 * pid (another start time). The perf map is read again when it changed.
 */
void sym_user_snapshot(struct sym_cache *c, int pid)
{
	struct sym_proc *p = proc_find(c, pid);
	if (!p) {
		proc_get(c, pid);
		return;
	}
	struct proc_id now;
	if (proc_identity(pid, &now) && memcmp(&now, &p->id, sizeof(now))) {
		int reused = now.start != p->id.start;
		p->id = now;
		if (!reused) {
			/* an exec: the old program's stacks were taken while it ran */
			free(p->before_exec.v);
			p->before_exec.v = xmalloc(sizeof(struct mapping) * (size_t)(p->maps.n ? p->maps.n : 1));
			memcpy(p->before_exec.v, p->maps.v, sizeof(struct mapping) * (size_t)p->maps.n);
			p->before_exec.n = p->before_exec.cap = p->maps.n;
		}
		reread(c, p);
		if (reused) {
			p->before_exec.n = 0;
			perfmap_free(p->jit);
			p->jit = jit_map(pid);
			return;
		}
	}
	perfmap_refresh(p->jit);
}

void sym_user_reread(struct sym_cache *c, int pid)
{
	struct sym_proc *p = proc_find(c, pid);
	if (p)
		reread(c, p);
}

void sym_add_fixed_program(struct sym_cache *c, const char *path)
{
	char real[4096], dev[32];
	struct stat st;
	uint64_t start, end, pgoff;
	if (!realpath(path, real) || stat(real, &st) || elf_fixed_text(real, &start, &end, &pgoff))
		return;
	snprintf(dev, sizeof(dev), "%02x:%02x", major(st.st_dev), minor(st.st_dev));
	struct sym_file *f = file_get(c, real, dev, (unsigned long long)st.st_ino, 0);
	for (int i = 0; i < c->fixed.n; i++)
		if (c->fixed.v[i].file == f)
			return;
	VEC_PUSH(c->fixed, ((struct mapping){ .start = start, .end = end, .pgoff = pgoff, .file = f }));
}

/* An address no mapping holds, in a live process: code mapped since (dlopen). Reads the maps again, at most every 100 ms. */
static int reread_maps(struct sym_cache *c, struct sym_proc *p)
{
	if (clock_ns(CLOCK_MONOTONIC) - p->read_ns < 100000000ull || kill(p->pid, 0))
		return 0;
	reread(c, p);
	return 1;
}

/* s, its name demangled the first time it is asked for */
static struct fsym *demangled(struct fsym *s)
{
	if (!s->shown) {
		char *d = demangle_cxx(s->name);
		s->shown = d ? d : s->name;
	}
	return s;
}

/* The ELF symbol covering file offset OFF of F, or NULL. */
static struct fsym *file_sym(struct sym_file *f, uint64_t off)
{
	if (!f->loaded)
		file_load(f);
	int lo = 0, hi = f->by_off.n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (f->by_off.v[mid].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the nearest symbol below that covers the address (size 0: only its own address) */
	for (int k = lo - 1; k >= 0 && k >= lo - 8; k--) {
		struct fsym *s = &f->by_off.v[k];
		if (off < s->off + (s->size ? s->size : 1))
			return demangled(s);
	}
	/*
	 * Right at the end of the symbol below, where no function starts: a
	 * return address after a call that never returns (exit() ends with
	 * its call of __run_exit_handlers()). It is that function's, as gdb says.
	 */
	struct fsym *below = lo ? &f->by_off.v[lo - 1] : NULL;
	return below && below->size && off == below->off + below->size ? demangled(below) : NULL;
}

/* ADDR in the process's perf map; on a miss the map is looked at again (perfmap_refresh bounds the cost). */
static int jit_sym(struct sym_proc *p, uint64_t addr, struct sym_info *out)
{
	struct perfmap_sym js;
	if (!perfmap_find(p->jit, addr, &js)) {
		perfmap_refresh(p->jit);
		if (!perfmap_find(p->jit, addr, &js))
			return 0;
	}
	out->name = js.name;
	out->offset = addr - js.start;
	out->module = perfmap_shown(p->jit);
	out->kind = SYM_JIT;
	return 1;
}

int sym_user_info(struct sym_cache *c, int pid, uint64_t addr, struct sym_info *out)
{
	if (addr == UNW_FP_MARKER) {
		/* the CFI walk's note: the frames below it came from rbp (unwind/layout.h) */
		*out = (struct sym_info){ .name = UNW_FP_MARKER_NAME, .module = "[unwind]", .kind = SYM_UNKNOWN };
		return 1;
	}
	if (py_is_frame(addr)) {
		struct py_frame f;
		if (!c->py)
			c->py = py_names_new();
		int ok = py_frame_name(c->py, pid, addr, &f);
		*out = (struct sym_info){ .name = f.shown, .module = ok ? f.file : NULL, .kind = SYM_PYTHON,
					  .func = f.func, .file = f.file, .line = f.line, .start_line = f.first_line };
		return 1;
	}
	struct sym_proc *p = proc_get(c, pid);
	const struct mapping *m = NULL;
	for (int pass = 0; pass < 2 && !m; pass++) {
		if (pass && !reread_maps(c, p))
			break;
		for (int i = 0; i < p->maps.n && !m; i++)
			if (addr >= p->maps.v[i].start && addr < p->maps.v[i].end)
				m = &p->maps.v[i];
	}
	for (int i = 0; i < p->before_exec.n && !m; i++)
		if (addr >= p->before_exec.v[i].start && addr < p->before_exec.v[i].end)
			m = &p->before_exec.v[i];
	/* a process gone before its maps were read: a fixed-address program's code is where its file says */
	for (int i = 0; i < c->fixed.n && !m && !p->maps.n; i++)
		if (addr >= c->fixed.v[i].start && addr < c->fixed.v[i].end)
			m = &c->fixed.v[i];
	*out = (struct sym_info){ .kind = SYM_UNKNOWN };
	if (m) {
		out->map_start = m->start;
		out->map_end = m->end;
		out->map_pgoff = m->pgoff;
		out->module = m->pseudo;
	}
	if (m && m->file) {
		const struct fsym *s = file_sym(m->file, addr - m->start + m->pgoff);
		out->module = m->file->shown;
		out->kind = SYM_USER;
		if (s) {
			out->name = s->shown;
			out->offset = addr - m->start + m->pgoff - s->off;
			return 1;
		}
	}
	uint64_t vstart;
	const char *vname = m && m->pseudo && !strcmp(m->pseudo, "[vdso]") ? vdso_symbol(addr - m->start, &vstart) : NULL;
	if (vname) {
		out->name = vname;
		out->offset = addr - m->start - vstart;
		out->kind = SYM_USER;
		return 1;
	}
	/* not in any file's symbols: JIT code (perf shows anonymous memory under the perf map's name) */
	if (jit_sym(p, addr, out))
		return 1;
	if (m && !m->file && !m->pseudo && perfmap_present(p->jit))
		out->module = perfmap_shown(p->jit);
	return 0;
}

const char *sym_user(struct sym_cache *c, int pid, uint64_t addr)
{
	struct sym_info si;
	return sym_user_info(c, pid, addr, &si) ? si.name : NULL;
}
