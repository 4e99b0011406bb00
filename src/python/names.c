/*
 * Naming Python frames from the process's memory. A process's interpreter
 * (its version's offsets, where its type objects are) is found once from
 * /proc/PID/maps; code objects are read once per (process, address) and
 * each (code object, code unit) gets one shown name, kept in a hash table
 * for the cache's life.
 */
#include "names.h"
#include "layout.h"
#include "offsets.h"
#include "../obj/elf.h"
#include "../util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUCKETS 4096
#define MAX_STR 1024		/* characters of a name or file kept */
#define MAX_TABLE (1 << 16)	/* bytes of a line table read */

struct py_pid {
	int pid, fd;		/* fd: /proc/PID/mem, -1 when not Python or unreadable */
	const struct py_offsets *o;
	uint64_t code_type, str_type, bytes_type;
};

struct py_code {
	struct py_code *next;
	int pid;
	uint64_t addr;
	int ok;
	char *func, *file;
	int first_line;
	uint8_t *table;
	size_t table_len;
};

struct py_shown {
	struct py_shown *next;
	int pid;
	uint64_t word;		/* without the entry bit */
	struct py_frame f;
	char *text;
};

struct py_names {
	VEC(struct py_pid) pids;
	struct py_code *codes[BUCKETS];
	struct py_shown *shown[BUCKETS];
};

struct py_names *py_names_new(void)
{
	return xcalloc(1, sizeof(struct py_names));
}

void py_names_free(struct py_names *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->pids.n; i++)
		if (p->pids.v[i].fd >= 0)
			close(p->pids.v[i].fd);
	free(p->pids.v);
	for (int b = 0; b < BUCKETS; b++) {
		for (struct py_code *c = p->codes[b], *n; c; c = n) {
			n = c->next;
			free(c->func);
			free(c->file);
			free(c->table);
			free(c);
		}
		for (struct py_shown *s = p->shown[b], *n; s; s = n) {
			n = s->next;
			free(s->text);
			free(s);
		}
	}
	free(p);
}

static unsigned bucket(int pid, uint64_t v)
{
	uint64_t h = (v ^ (uint64_t)pid * 0x9e3779b97f4a7c15ull) * 0x9e3779b97f4a7c15ull;
	return (unsigned)(h >> 52) % BUCKETS;
}

/* The lowest PT_LOAD's address: a mapping at file offset 0 starts there plus the bias. */
static int first_vaddr(const char *path, uint64_t *vaddr)
{
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return err;
	size_t nph = 0;
	int rc = -ENOEXEC;
	if (!elf_getphdrnum(e, &nph))
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;
			if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && (rc || ph.p_vaddr < *vaddr)) {
				*vaddr = ph.p_vaddr & ~0xfffull;
				rc = 0;
			}
		}
	elf_close_file(e, fd);
	return rc;
}

/* The process's interpreter: its version's table and its type objects' addresses. */
static struct py_pid *pid_get(struct py_names *p, int pid)
{
	for (int i = 0; i < p->pids.n; i++)
		if (p->pids.v[i].pid == pid)
			return &p->pids.v[i];
	struct py_pid x = { .pid = pid, .fd = -1 };
	char path[64], line[4352];
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	FILE *fp = fopen(path, "re");
	while (fp && fgets(line, sizeof(line), fp)) {
		unsigned long long start, pgoff;
		int at = 0;
		char v[16], file[4400];
		if (sscanf(line, "%llx-%*x %*s %llx %*s %*s %n", &start, &pgoff, &at) < 2 || !at || line[at] != '/' ||
		    pgoff)
			continue;
		line[strcspn(line, "\n")] = 0;
		if (py_version_of_path(line + at, v, sizeof(v)) || !(x.o = py_offsets_for(v)))
			continue;
		snprintf(file, sizeof(file), "/proc/%d/root%s", pid, line + at);
		uint64_t vaddr = 0, code, str, bytes;
		if (first_vaddr(file, &vaddr) || elf_symbol_addr(file, "PyCode_Type", &code) ||
		    elf_symbol_addr(file, "PyUnicode_Type", &str) || elf_symbol_addr(file, "PyBytes_Type", &bytes)) {
			x.o = NULL;
			break;
		}
		uint64_t bias = start - vaddr;
		x.code_type = code + bias, x.str_type = str + bias, x.bytes_type = bytes + bias;
		snprintf(path, sizeof(path), "/proc/%d/mem", pid);
		x.fd = open(path, O_RDONLY | O_CLOEXEC);
		break;
	}
	if (fp)
		fclose(fp);
	VEC_PUSH(p->pids, x);
	return &p->pids.v[p->pids.n - 1];
}

static int rd(const struct py_pid *pp, uint64_t addr, void *buf, size_t n)
{
	return pread(pp->fd, buf, n, (off_t)addr) == (ssize_t)n ? 0 : -1;
}

static uint64_t u64_at(const uint8_t *b, uint32_t off)
{
	uint64_t v;
	memcpy(&v, b + off, 8);
	return v;
}

/* One code point as UTF-8. */
static void put_utf8(struct strbuf *sb, uint32_t c)
{
	if (c < 0x80) {
		sb_putc(sb, (char)c);
	} else if (c < 0x800) {
		sb_putc(sb, (char)(0xc0 | c >> 6));
		sb_putc(sb, (char)(0x80 | (c & 63)));
	} else if (c < 0x10000) {
		sb_putc(sb, (char)(0xe0 | c >> 12));
		sb_putc(sb, (char)(0x80 | (c >> 6 & 63)));
		sb_putc(sb, (char)(0x80 | (c & 63)));
	} else {
		sb_putc(sb, (char)(0xf0 | c >> 18));
		sb_putc(sb, (char)(0x80 | (c >> 12 & 63)));
		sb_putc(sb, (char)(0x80 | (c >> 6 & 63)));
		sb_putc(sb, (char)(0x80 | (c & 63)));
	}
}

/* A compact str object (what code objects' names are) as UTF-8; NULL if not one. */
static char *read_str(const struct py_pid *pp, uint64_t addr)
{
	const struct py_offsets *o = pp->o;
	uint8_t h[64];
	if (!addr || rd(pp, addr, h, o->str_state + 4) || u64_at(h, 8) != pp->str_type)
		return NULL;
	uint64_t len = u64_at(h, o->str_length);
	uint32_t state;
	memcpy(&state, h + o->str_state, 4);
	/* state: interned:2, kind:3, compact:1, ascii:1 */
	unsigned kind = state >> 2 & 7, compact = state >> 5 & 1, ascii = state >> 6 & 1;
	if (!compact || (kind != 1 && kind != 2 && kind != 4) || len > MAX_STR)
		return NULL;
	uint8_t *data = xmalloc(len * kind + 1);
	struct strbuf sb = { 0 };
	if (rd(pp, addr + (ascii ? o->str_ascii_data : o->str_compact_data), data, len * kind)) {
		free(data);
		return NULL;
	}
	for (uint64_t i = 0; i < len; i++) {
		uint32_t c = kind == 1 ? data[i] : kind == 2 ? (uint32_t)(data[2 * i] | data[2 * i + 1] << 8)
			: (uint32_t)data[4 * i] | (uint32_t)data[4 * i + 1] << 8 | (uint32_t)data[4 * i + 2] << 16 |
				  (uint32_t)data[4 * i + 3] << 24;
		put_utf8(&sb, c);
	}
	free(data);
	char *s = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return s;
}

static uint8_t *read_bytes(const struct py_pid *pp, uint64_t addr, size_t *n)
{
	const struct py_offsets *o = pp->o;
	uint8_t h[32];
	if (!addr || rd(pp, addr, h, sizeof(h)) || u64_at(h, 8) != pp->bytes_type)
		return NULL;
	uint64_t len = u64_at(h, o->bytes_size);
	if (len > MAX_TABLE)
		return NULL;
	uint8_t *b = xmalloc(len + 1);
	if (rd(pp, addr + o->bytes_data, b, len)) {
		free(b);
		return NULL;
	}
	*n = len;
	return b;
}

static struct py_code *code_get(struct py_names *p, struct py_pid *pp, uint64_t addr)
{
	unsigned b = bucket(pp->pid, addr);
	for (struct py_code *c = p->codes[b]; c; c = c->next)
		if (c->pid == pp->pid && c->addr == addr)
			return c;
	struct py_code *c = xcalloc(1, sizeof(*c));
	c->pid = pp->pid;
	c->addr = addr;
	c->next = p->codes[b];
	p->codes[b] = c;
	const struct py_offsets *o = pp->o;
	uint8_t h[512];
	if (!o || pp->fd < 0 || o->co_size > sizeof(h) || rd(pp, addr, h, o->co_size) || u64_at(h, 8) != pp->code_type)
		return c;
	int32_t first;
	memcpy(&first, h + o->co_firstlineno, 4);
	c->first_line = first;
	c->func = read_str(pp, u64_at(h, o->co_qualname));
	c->file = read_str(pp, u64_at(h, o->co_filename));
	c->table = read_bytes(pp, u64_at(h, o->co_linetable), &c->table_len);
	c->ok = c->func && c->file;
	return c;
}

static unsigned varint(const uint8_t *t, size_t n, size_t *i)
{
	unsigned b = *i < n ? t[(*i)++] : 0, v = b & 63, shift = 0;
	while ((b & 64) && *i < n && shift < 28) {
		b = t[(*i)++];
		shift += 6;
		v |= (b & 63) << shift;
	}
	return v;
}

static int svarint(const uint8_t *t, size_t n, size_t *i)
{
	unsigned v = varint(t, n, i);
	return v & 1 ? -(int)(v >> 1) : (int)(v >> 1);
}

int py_line_of(const uint8_t *t, size_t n, int first_line, int unit)
{
	int line = first_line, at = 0;
	size_t i = 0;
	while (i < n) {
		uint8_t b = t[i++];
		if (!(b & 0x80))
			return -1;	/* not an entry's first byte: not a table we know */
		int code = b >> 3 & 15, len = (b & 7) + 1, none = 0;
		switch (code) {
		case 15: none = 1; break;		/* no location */
		case 14:				/* long form: line delta, end line, columns */
			line += svarint(t, n, &i);
			varint(t, n, &i), varint(t, n, &i), varint(t, n, &i);
			break;
		case 13: line += svarint(t, n, &i); break;	/* no columns */
		case 10: case 11: case 12: line += code - 10; i += 2; break;	/* one line, columns in 2 bytes */
		default: i += 1; break;			/* short form: same line, columns in 1 byte */
		}
		if (unit < at + len)
			return none ? -1 : line;
		at += len;
	}
	return -1;
}

int py_frame_name(struct py_names *p, int pid, uint64_t w, struct py_frame *out)
{
	uint64_t word = w & ~PY_ENTRY_BIT;
	unsigned b = bucket(pid, word);
	for (struct py_shown *s = p->shown[b]; s; s = s->next)
		if (s->pid == pid && s->word == word) {
			*out = s->f;
			return s->f.func != NULL;
		}
	struct py_shown *s = xcalloc(1, sizeof(*s));
	s->pid = pid;
	s->word = word;
	s->next = p->shown[b];
	p->shown[b] = s;
	uint64_t addr = word & PY_CODE_MASK;
	unsigned unit = (unsigned)(word >> PY_INSTR_SHIFT & PY_INSTR_MASK);
	struct py_code *c = addr >= PY_CODE_MASK - 1 ? NULL : code_get(p, pid_get(p, pid), addr);
	struct strbuf sb = { 0 };
	if (addr >= PY_CODE_MASK - 1) {	/* PY_BAD_FRAME, PY_MANY_THREADS */
		s->text = xstrdup(addr == PY_CODE_MASK ? "[python: a frame could not be read]"
				  : "[python: thread past the first " PY_MAX_THREADS_TEXT " of its interpreter, not walked]");
		s->f = (struct py_frame){ .shown = s->text };
	} else if (!c->ok) {
		sb_printf(&sb, "[python: code object 0x%llx unreadable]", (unsigned long long)addr);
		s->text = xstrdup(sb_str(&sb));
		s->f = (struct py_frame){ .shown = s->text };
	} else {
		int line = unit == PY_NO_INSTR ? -1 : py_line_of(c->table, c->table_len, c->first_line, (int)unit);
		if (line <= 0)
			line = c->first_line;
		const char *base = strrchr(c->file, '/') ? strrchr(c->file, '/') + 1 : c->file;
		sb_printf(&sb, "%s (%s:%d)", c->func, base, line);
		s->text = xstrdup(sb_str(&sb));
		s->f = (struct py_frame){ .shown = s->text, .func = c->func, .file = c->file, .line = line,
					  .first_line = c->first_line };
	}
	sb_free(&sb);
	*out = s->f;
	return s->f.func != NULL;
}
