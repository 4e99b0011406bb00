/*
 * Processes → the unwinder's maps. BPF notes a process its stacks meet
 * without mappings in sonde_unw_pending; unw_poll() reads its
 * /proc/PID/maps, builds the table of each executable file not seen
 * before (unwind/table.c; Go and files without CFI walk rbp), appends the
 * rows to the mmapped rows map and writes the process's sorted mappings.
 */
#include "procs.h"
#include "layout.h"
#include "table.h"
#include "../obj/elf.h"
#include "../python/procs.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_ROWS (1u << 20)
#define MAX_PROCS 8192
#define MAX_PENDING 1024
#define POLL_NS 10000000ull
#define CHECK_NS 250000000ull
#define RELOAD_NS 1000000000ull	/* a process whose stacks keep meeting JIT code is reread this often */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int unw_open(struct unw_state *u)
{
	*u = (struct unw_state){ .procs_fd = -1, .rows_fd = -1, .pending_fd = -1, .py_fd = -1 };
	const char *env = getenv("SONDE_UNWIND_ROWS");
	u->rows_cap = env && atol(env) > 0 ? (uint32_t)atol(env) : DEFAULT_ROWS;
	LIBBPF_OPTS(bpf_map_create_opts, mm, .map_flags = BPF_F_MMAPABLE);
	LIBBPF_OPTS(bpf_map_create_opts, np, .map_flags = BPF_F_NO_PREALLOC);
	u->rows_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sonde_unw_rows", 4, sizeof(struct unw_row), u->rows_cap, &mm);
	u->procs_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "sonde_unw_procs", 4, sizeof(struct unw_proc), MAX_PROCS, &np);
	u->pending_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "sonde_unw_pend", 4, 4, MAX_PENDING, NULL);
	int err = errno;
	if (u->rows_fd >= 0) {
		u->rows = mmap(NULL, (size_t)u->rows_cap * sizeof(struct unw_row), PROT_READ | PROT_WRITE, MAP_SHARED,
			       u->rows_fd, 0);
		if (u->rows == MAP_FAILED) {
			err = errno;
			u->rows = NULL;
		}
	}
	if (u->rows_fd < 0 || u->procs_fd < 0 || u->pending_fd < 0 || !u->rows) {
		unw_close(u);
		return -err;
	}
	/* Python frames ride on the unwinder's loading; without the map, stacks are native only */
	/* developer option: SONDE_PYTHON_FRAMES=0 leaves them out (bench/profile_overhead.py --python) */
	const char *pyenv = getenv("SONDE_PYTHON_FRAMES");
	int py = pyenv && !strcmp(pyenv, "0") ? -1 : py_procs_open();
	u->py_fd = py >= 0 ? py : -1;
	return 0;
}

void unw_close(struct unw_state *u)
{
	if (u->rows)
		munmap(u->rows, (size_t)u->rows_cap * sizeof(struct unw_row));
	int fds[4] = { u->procs_fd, u->rows_fd, u->pending_fd, u->py_fd };
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	for (int i = 0; i < u->files.n; i++) {
		free(u->files.v[i].key);
		free(u->files.v[i].path);
		free(u->files.v[i].debug_file);
	}
	free(u->files.v);
	free(u->loaded.v);
	free(u->reread.v);
	*u = (struct unw_state){ .procs_fd = -1, .rows_fd = -1, .pending_fd = -1, .py_fd = -1 };
}

/* The file's identity (build-id, else dev:inode:mtime) and its executable segment's p_vaddr - p_offset. */
static int file_facts(const char *path, char *key, size_t keylen, uint64_t *delta)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st)) {
		close(fd);
		return -EIO;
	}
	snprintf(key, keylen, "%llx:%llx:%lld", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		 (long long)st.st_mtime);
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	size_t nph = 0;
	int rc = -ENOEXEC;
	if (e && elf_kind(e) == ELF_K_ELF && !elf_getphdrnum(e, &nph)) {
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(e, (int)i, &ph))
				continue;
			if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && rc) {
				*delta = ph.p_vaddr - ph.p_offset;
				rc = 0;
			}
			if (ph.p_type != PT_NOTE)
				continue;
			Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
			GElf_Nhdr nh;
			size_t off = 0, name_off, desc_off;
			while (d && (off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
				if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
				    memcmp((char *)d->d_buf + name_off, "GNU", 4) || nh.n_descsz > 64)
					continue;
				const uint8_t *id = (const uint8_t *)d->d_buf + desc_off;
				for (size_t k = 0; k < nh.n_descsz && 2 * k + 2 < keylen; k++)
					snprintf(key + 2 * k, 3, "%02x", id[k]);
			}
		}
	}
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

static void add_table(struct unw_state *u, struct unw_file *f, struct unw_table *t)
{
	f->build_ms = t->build_ms;
	u->build_ms += t->build_ms;
	if (t->n <= u->rows_cap - u->rows_used) {
		memcpy((struct unw_row *)u->rows + u->rows_used, t->rows, t->n * sizeof(*t->rows));
		f->first = u->rows_used;
		f->count = (uint32_t)t->n;
		f->kind = UNW_MAP_CFI;
		f->sources = t->sources;
		f->debug_file = t->debug_file;
		t->debug_file = NULL;	/* the file owns it now */
		u->rows_used += (uint32_t)t->n;
	} else {
		u->rows_full = 1;
	}
	unw_table_free(t);
}

/* sonde's own [vdso] mapping, from /proc/self/maps; 0 with its bounds. */
static int own_vdso(uint64_t *start, uint64_t *end)
{
	FILE *fp = fopen("/proc/self/maps", "re");
	char line[512];
	int rc = -1;
	while (fp && rc && fgets(line, sizeof(line), fp)) {
		unsigned long long s, e;
		if (strstr(line, "[vdso]") && sscanf(line, "%llx-%llx", &s, &e) == 2) {
			*start = s;
			*end = e;
			rc = 0;
		}
	}
	if (fp)
		fclose(fp);
	return rc;
}

/*
 * The vDSO has no file, but every 64-bit process maps the one image the
 * kernel holds: sonde's own copy gives the table. A 32-bit process's, or
 * a [vdso] of another size, gets none, and its frames walk rbp as before.
 */
static struct unw_file *vdso_file(struct unw_state *u, uint64_t size)
{
	for (int i = 0; i < u->files.n; i++)
		if (!strcmp(u->files.v[i].key, "[vdso]"))
			return size == u->vdso_size ? &u->files.v[i] : NULL;
	uint64_t start = getauxval(AT_SYSINFO_EHDR), end = 0, lo;
	if (!start || own_vdso(&lo, &end) || lo != start || end - start != size)
		return NULL;
	u->vdso_size = size;
	/* its executable PT_LOAD's p_vaddr - p_offset: our own process's image, read in place */
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)start;
	uint64_t delta = 0;
	for (int i = 0; i < eh->e_phnum && eh->e_phoff + (uint64_t)(i + 1) * sizeof(Elf64_Phdr) <= size; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(start + eh->e_phoff) + i;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			delta = ph->p_vaddr - ph->p_offset;
			break;
		}
	}
	struct unw_file f = { .key = xstrdup("[vdso]"), .path = xstrdup("[vdso]"), .kind = UNW_MAP_FP, .delta = delta };
	struct unw_table t;
	if (!unw_table_build_image((const void *)start, size, &t))
		add_table(u, &f, &t);
	VEC_PUSH(u->files, f);
	return &u->files.v[u->files.n - 1];
}

static struct unw_file *file_for(struct unw_state *u, const char *path)
{
	char key[160];
	uint64_t delta = 0;
	if (file_facts(path, key, sizeof(key), &delta))
		return NULL;
	for (int i = 0; i < u->files.n; i++)
		if (!strcmp(u->files.v[i].key, key))
			return &u->files.v[i];
	struct unw_file f = { .key = xstrdup(key), .path = xstrdup(path), .kind = UNW_MAP_FP, .delta = delta };
	struct unw_table t;
	/* Go keeps frame pointers, and its runtime's CFI (where there is any) is for its debuggers */
	if (elf_is_go(path) <= 0 && !unw_table_build(path, &t))
		add_table(u, &f, &t);
	VEC_PUSH(u->files, f);
	return &u->files.v[u->files.n - 1];
}

#define GONE UINT64_MAX
/* /proc/PID/stat's startcode (field 26): where the program's code starts (0 for a kernel thread); GONE. */
static uint64_t startcode(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *fp = fopen(path, "re");
	if (!fp)
		return GONE;
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = 0;
	const char *p = strrchr(buf, ')');	/* comm may hold spaces and parentheses */
	unsigned long long v = 0;
	for (int field = 2; p && *p && field < 26; field++)
		p = strchr(p + 1, ' ');
	if (p && sscanf(p, " %llu", &v) != 1)
		v = 0;
	return v;
}

static void note_loaded(struct unw_state *u, int pid)
{
	uint64_t code = startcode(pid);
	for (int i = 0; i < u->loaded.n; i++)
		if (u->loaded.v[i].pid == pid) {
			u->loaded.v[i].startcode = code;
			u->loaded.v[i].loaded_ns = now_ns();
			return;
		}
	struct unw_loaded l = { pid, code, now_ns() };
	VEC_PUSH(u->loaded, l);
}

static struct unw_loaded *loaded(struct unw_state *u, int pid)
{
	for (int i = 0; i < u->loaded.n; i++)
		if (u->loaded.v[i].pid == pid)
			return &u->loaded.v[i];
	return NULL;
}

/* A process that ran exec gets its new mappings; one that exited leaves (its pid may come back). */
static void check_loaded(struct unw_state *u)
{
	for (int i = 0; i < u->loaded.n;) {
		struct unw_loaded *l = &u->loaded.v[i];
		uint64_t code = startcode(l->pid);
		uint32_t key = (uint32_t)l->pid;
		if (code == l->startcode) {
			i++;
			continue;
		}
		if (code != GONE && !unw_load_pid(u, l->pid)) {
			i++;	/* reloaded: note_loaded() updated it in place */
			continue;
		}
		bpf_map_delete_elem(u->procs_fd, &key);
		if (u->py_fd >= 0)
			bpf_map_delete_elem(u->py_fd, &key);
		u->loaded.v[i] = u->loaded.v[--u->loaded.n];
	}
}

static int by_start(const void *a, const void *b)
{
	const struct unw_map *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Whether the process runs a 64-bit program (its vDSO is the 64-bit image). */
static int is_64bit(int pid)
{
	char path[64];
	unsigned char ident[EI_NIDENT];
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ok = fd >= 0 && read(fd, ident, sizeof(ident)) == (ssize_t)sizeof(ident) && ident[EI_CLASS] == ELFCLASS64;
	if (fd >= 0)
		close(fd);
	return ok;
}

int unw_load_pid(struct unw_state *u, int pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	FILE *fp = fopen(path, "re");
	if (!fp)
		return -errno;
	struct unw_proc *p = xcalloc(1, sizeof(*p));
	char line[4352], py_path[4400] = "";
	uint64_t py_bias = 0;
	while (fgets(line, sizeof(line), fp) && p->n < UNW_MAX_MAPS) {
		unsigned long long start, end, pgoff;
		char perms[8];
		int name_at = 0;
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &pgoff, &name_at) < 4 ||
		    perms[2] != 'x' || !name_at)
			continue;
		line[strcspn(line, "\n")] = 0;
		if (!strcmp(line + name_at, "[vdso]")) {
			struct unw_file *v = is_64bit(pid) ? vdso_file(u, end - start) : NULL;
			if (v)
				p->m[p->n++] = (struct unw_map){ .start = start, .end = end, .bias = start - (pgoff + v->delta),
								 .first = v->first, .count = v->count, .kind = v->kind };
			continue;
		}
		if (line[name_at] != '/')
			continue;	/* not a file (JIT code): the walk steps by rbp there */
		if (strstr(line + name_at, " (deleted)"))
			continue;
		char file[4400];
		snprintf(file, sizeof(file), "/proc/%d/root%s", pid, line + name_at);
		struct unw_file *f = file_for(u, file);
		if (!f)
			continue;
		p->m[p->n++] = (struct unw_map){ .start = start, .end = end, .bias = start - (pgoff + f->delta),
						 .first = f->first, .count = f->count, .kind = f->kind };
		if (!py_path[0] && u->py_fd >= 0 && py_is_interpreter(file)) {
			snprintf(py_path, sizeof(py_path), "%s", file);
			py_bias = p->m[p->n - 1].bias;
		}
	}
	fclose(fp);
	/* before the unwinder's entry: BPF asks again while that is missing, and then finds both */
	if (u->py_fd >= 0)
		py_proc_write(u->py_fd, pid, py_path[0] ? py_path : NULL, py_bias);
	qsort(p->m, p->n, sizeof(p->m[0]), by_start);
	uint32_t key = (uint32_t)pid;
	int rc = bpf_map_update_elem(u->procs_fd, &key, p, BPF_ANY) ? -errno : 0;
	free(p);
	if (!rc) {
		u->procs += !loaded(u, pid);
		note_loaded(u, pid);
	}
	return rc;
}

void unw_forget_pid(struct unw_state *u, int pid)
{
	uint32_t key = (uint32_t)pid;
	if (u->procs_fd < 0)
		return;
	bpf_map_delete_elem(u->procs_fd, &key);
	if (u->py_fd >= 0)
		bpf_map_delete_elem(u->py_fd, &key);
	for (int i = 0; i < u->loaded.n; i++)
		if (u->loaded.v[i].pid == pid) {
			u->loaded.v[i] = u->loaded.v[--u->loaded.n];
			break;
		}
}

void unw_poll(struct unw_state *u, int force)
{
	uint64_t now = now_ns();
	if (u->pending_fd < 0 || (!force && now - u->polled_ns < POLL_NS))
		return;
	u->polled_ns = now;
	if (now - u->checked_ns >= CHECK_NS) {
		u->checked_ns = now;
		check_loaded(u);
	}
	uint32_t key, next;
	VEC(uint32_t) seen = { 0 };
	for (int r = bpf_map_get_next_key(u->pending_fd, NULL, &next); r == 0 && seen.n < MAX_PENDING;
	     r = bpf_map_get_next_key(u->pending_fd, &key, &next)) {
		VEC_PUSH(seen, next);
		key = next;
	}
	for (int i = 0; i < seen.n; i++) {
		/* a loaded process whose stacks met code outside its mappings: at most once a second */
		struct unw_loaded *l = loaded(u, (int)seen.v[i]);
		if (l && (l->startcode == GONE || now - l->loaded_ns < RELOAD_NS)) {
			bpf_map_delete_elem(u->pending_fd, &seen.v[i]);
			continue;
		}
		int rc = unw_load_pid(u, (int)seen.v[i]);
		if (!rc && l)
			VEC_PUSH(u->reread, (int)seen.v[i]);
		if (rc) {
			/* gone, or a kernel thread: an empty entry, so BPF stops asking */
			struct unw_proc *empty = xcalloc(1, sizeof(*empty));
			bpf_map_update_elem(u->procs_fd, &seen.v[i], empty, BPF_ANY);
			free(empty);
			if (u->py_fd >= 0)
				py_proc_write(u->py_fd, (int)seen.v[i], NULL, 0);
			struct unw_loaded gone = { (int)seen.v[i], GONE, now };	/* dropped at the next check */
			if (l)
				*l = gone;	/* unw_load_pid() failed: nothing moved the entry */
			else
				VEC_PUSH(u->loaded, gone);
		}
		bpf_map_delete_elem(u->pending_fd, &seen.v[i]);
	}
	free(seen.v);
}

void unw_report(const struct unw_state *u, FILE *out)
{
	if (u->procs_fd < 0)
		return;
	int cfi = 0;
	for (int i = 0; i < u->files.n; i++)
		cfi += u->files.v[i].kind == UNW_MAP_CFI;
	fprintf(out, "unwind: %d file%s (%d with CFI tables), %u rows of %u in use, built in %.1f ms; kernel memory: "
		"rows %.1f MiB, %u process%s × %zu bytes\n", u->files.n, u->files.n == 1 ? "" : "s", cfi, u->rows_used,
		u->rows_cap, u->build_ms, (double)u->rows_cap * sizeof(struct unw_row) / (1 << 20), u->procs,
		u->procs == 1 ? "" : "es", sizeof(struct unw_proc));
	for (int i = 0; i < u->files.n; i++) {
		const struct unw_file *f = &u->files.v[i];
		fprintf(out, "unwind:   %s: %s, %u rows (%zu KiB), %.1f ms", f->path,
			f->kind == UNW_MAP_CFI ? "CFI" : "frame pointers", f->count,
			(size_t)f->count * sizeof(struct unw_row) / 1024, f->build_ms);
		if (f->kind == UNW_MAP_CFI)
			fprintf(out, ", from %s%s%s%s%s\n", f->sources & UNW_FROM_EH_FRAME ? ".eh_frame" : "",
				f->sources == (UNW_FROM_EH_FRAME | UNW_FROM_DEBUG_FRAME) ? " and " : "",
				f->sources & UNW_FROM_DEBUG_FRAME ? ".debug_frame" : "", f->debug_file ? " of " : "",
				f->debug_file ? f->debug_file : "");
		else
			fputc('\n', out);
	}
	if (u->rows_full)
		fprintf(out, "unwind: the rows map is full: files past it walk frame pointers (SONDE_UNWIND_ROWS=N)\n");
}

int unw_file_has_cfi(const struct unw_state *u, const char *path)
{
	for (int i = 0; i < u->files.n; i++) {
		const char *p = u->files.v[i].path, *root = strstr(p, "/root/");
		if (!strcmp(p, path) || (root && !strcmp(root + 5, path)))
			return u->files.v[i].kind == UNW_MAP_CFI;
	}
	return -1;
}
