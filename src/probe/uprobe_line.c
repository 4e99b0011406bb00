/*
 * uprobe:BIN@FILE:LINE[:COL]: a uprobe on a source statement, as bpftrace
 * 0.25's. The DWARF line table (libdw) of BIN, or of its separate debug
 * file, names the addresses where LINE's statements start: rows marked
 * is_stmt for that line (and column) whose previous row in address order is
 * another line, so a statement split by the compiler (a for loop's
 * initialisation and its test) gives one point per part. FILE is a path
 * suffix on a `/` boundary of the files the line table names; two different
 * files matching it is an error naming both. Each address becomes a point
 * inside the function that holds it (func), checked like any uprobe site.
 */
#include "uprobe.h"
#include "uprobe_line.h"
#include "../obj/binpath.h"
#include "../obj/debugfile.h"
#include "../obj/elf.h"
#include "../obj/insn.h"
#include "../sema/sema.h"
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int uprobe_is_line(const char *raw)
{
	const char *a = strchr(raw, ':');
	if (!a)
		return 0;
	const char *b = strchr(a + 1, ':');
	const char *at = strchr(a + 1, '@');
	return at && (!b || at < b);
}

/*
 * FILE names `name` when it is the whole of it or its end after a `/`; an
 * absolute FILE also names a relative name under the unit's directory.
 */
static int file_matches(const char *name, const char *file, const char *comp_dir)
{
	size_t n = strlen(name), f = strlen(file);
	if (n >= f && !strcmp(name + n - f, file) && (n == f || name[n - f - 1] == '/'))
		return 1;
	size_t d = comp_dir ? strlen(comp_dir) : 0;
	return file[0] == '/' && name[0] != '/' && d && !strncmp(file, comp_dir, d) && file[d] == '/' &&
	       !strcmp(file + d + 1, name);
}

struct row {
	uint64_t addr;
	int line, col, is_stmt, match;
	const char *src;
};

struct found {
	VEC(uint64_t) addrs;
	const char *file;	/* the one source file FILE names */
	const char *other;	/* another one: ambiguous */
	int near_before, near_after;	/* lines with statements around LINE, for the error */
};

static int by_addr(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	return (a->addr > b->addr) - (a->addr < b->addr);
}

/* One sequence of the line table (rows in address order): where LINE's statements start. */
static void scan_rows(struct row *r, int n, const char *file, const char *comp_dir, int line, int col,
		      struct found *f)
{
	for (int i = 0; i < n; i++) {
		if (!r[i].src || !file_matches(r[i].src, file, comp_dir) || !r[i].is_stmt)
			continue;
		if (!f->file)
			f->file = r[i].src;
		else if (strcmp(f->file, r[i].src) && !f->other)
			f->other = r[i].src;
		if (r[i].line < line && r[i].line > f->near_before)
			f->near_before = r[i].line;
		if (r[i].line > line && (!f->near_after || r[i].line < f->near_after))
			f->near_after = r[i].line;
		if (r[i].line != line || (col && r[i].col != col))
			continue;
		/* the statement began at an earlier row (the column too, when one is asked for) */
		int continues = i > 0 && r[i - 1].line == line && (!col || r[i - 1].col == col) && r[i - 1].src &&
				!strcmp(r[i - 1].src, r[i].src) && r[i - 1].addr < r[i].addr;
		int dup = 0;
		for (int k = 0; k < f->addrs.n && !dup; k++)
			dup = f->addrs.v[k] == r[i].addr;
		if (!continues && !dup)
			VEC_PUSH(f->addrs, r[i].addr);
	}
}

/* Every compilation unit's line table; 0, or -ENODATA without DWARF lines. */
static int find_statements(Dwarf *dw, const char *file, int line, int col, struct found *f)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	int any = 0;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Lines *lines;
		size_t n;
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_getsrclines(&cu, &lines, &n) == 0 && n) {
			any = 1;
			struct row *rows = xcalloc(n, sizeof(*rows));
			int k = 0;
			for (size_t i = 0; i < n; i++) {
				Dwarf_Line *l = dwarf_onesrcline(lines, i);
				Dwarf_Addr a;
				bool stmt = false, end = false;
				int ln = 0, c = 0;
				if (!l || dwarf_lineaddr(l, &a) || dwarf_lineendsequence(l, &end))
					continue;
				dwarf_lineno(l, &ln);
				dwarf_linecol(l, &c);
				dwarf_linebeginstatement(l, &stmt);
				/* a sequence's end row holds no instruction: it only stops the previous row */
				rows[k++] = (struct row){ .addr = a, .line = end ? 0 : ln, .col = c, .is_stmt = stmt && !end,
							  .src = end ? NULL : dwarf_linesrc(l, NULL, NULL) };
			}
			qsort(rows, (size_t)k, sizeof(*rows), by_addr);
			Dwarf_Attribute attr;
			const char *comp_dir = dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &attr));
			scan_rows(rows, k, file, comp_dir, line, col, f);
			free(rows);
		}
		off = next;
	}
	return any ? 0 : -ENODATA;
}

static Dwarf *open_dwarf(const char *path, int *fd)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	Dwarf *dw = *fd >= 0 ? dwarf_begin(*fd, DWARF_C_READ) : NULL;
	char debug[1024];
	if (!dw && debug_file_for(path, debug, sizeof(debug)) == 0) {
		if (*fd >= 0)
			close(*fd);
		*fd = open(debug, O_RDONLY | O_CLOEXEC);
		dw = *fd >= 0 ? dwarf_begin(*fd, DWARF_C_READ) : NULL;
	}
	return dw;
}

/* Adds a point at link-time address addr, inside the function that holds it. 0 or -1. */
static int add_site(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d,
		    const char *path, const struct elf_syms *syms, uint64_t addr)
{
	const struct elf_sym *in = NULL;
	for (int i = 0; i < syms->v.n && !in; i++)
		if (addr >= syms->v.v[i].addr && addr < syms->v.v[i].addr + syms->v.v[i].size)
			in = &syms->v.v[i];
	if (!in) {
		diag_error(d, ap->span, "%s: address 0x%llx of this line is in no function of %s", ap->raw,
			   (unsigned long long)addr, path);
		return -1;
	}
	uint64_t extra = addr - in->addr;
	struct insn_hazard h;
	if (!insn_check_site(path, in->file_off + extra, in->size - extra, &h) && h.unsafe) {
		if (!s->unsafe) {
			diag_error(d, ap->span, "cannot probe %s at %s+%llu: its instruction `%s` is %s, which the kernel runs wrongly under a uprobe (--unsafe overrides)",
				   ap->raw, in->name, (unsigned long long)extra, h.text, h.unsafe);
			return -1;
		}
		diag_warn(d, ap->span, "%s+%llu: `%s` is %s; probing it anyway (--unsafe)", in->name,
			  (unsigned long long)extra, h.text, h.unsafe);
	}
	provider_add_point(s, blk, &provider_uprobe, ap->raw, 0);
	struct probe_point *pt = provider_last_point(s, sizeof(struct uprobe_point));
	pt->path = arena_strndup(s->arena, path, strlen(path));
	pt->func = arena_strndup(s->arena, in->name, strlen(in->name));
	uprobe_of(pt)->offset = in->file_off + extra;
	uprobe_of(pt)->func_extra = extra;	/* not at the entry: args.NAME is refused */
	uprobe_of(pt)->func_addr = in->addr;
	uprobe_of(pt)->func_file_off = in->file_off;
	return 0;
}

int uprobe_expand_line(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d,
		       const struct provider *prov)
{
	if (prov->is_return) {
		diag_error(d, ap->span, "%s: a uretprobe goes on a function's return, not on a source line: use uprobe",
			   ap->raw);
		return -1;
	}
	char bin[512], file[512], path[1024];
	const char *rest = strchr(ap->raw, ':') + 1;
	const char *at = strchr(rest, '@');
	snprintf(bin, sizeof(bin), "%.*s", (int)(at - rest), rest);
	const char *colon = strchr(at + 1, ':');
	char *end = NULL;
	long line = colon ? strtol(colon + 1, &end, 10) : 0, col = 0;
	if (end && *end == ':')
		col = strtol(end + 1, &end, 10);
	if (!colon || colon == at + 1 || !*bin || !end || *end || line <= 0 || col < 0) {
		diag_error(d, ap->span, "invalid source-line uprobe: %s (expected uprobe:BINARY@FILE:LINE or uprobe:BINARY@FILE:LINE:COLUMN)",
			   ap->raw);
		return -1;
	}
	snprintf(file, sizeof(file), "%.*s", (int)(colon - at - 1), at + 1);
	if (bin_resolve(bin, s->filter_pid, path, sizeof(path))) {
		diag_error(d, ap->span, "cannot find binary or library '%s' for %s", bin, ap->raw);
		return -1;
	}
	int fd;
	Dwarf *dw = open_dwarf(path, &fd);
	struct found f = { 0 };
	int rc = dw ? find_statements(dw, file, (int)line, (int)col, &f) : -ENODATA;
	int ret = -1;
	if (rc) {
		diag_error(d, ap->span, "%s has no DWARF line table (build it with -g, or install its debug file)", path);
	} else if (!f.file) {
		diag_error(d, ap->span, "no source file '%s' in the line table of %s", file, path);
	} else if (f.other) {
		diag_error(d, ap->span, "source file '%s' is ambiguous in %s: %s and %s (write more of its path)", file, path,
			   f.file, f.other);
	} else if (!f.addrs.n) {
		char near[128] = "";
		if (f.near_before && f.near_after)
			snprintf(near, sizeof(near), " (the nearest lines with code: %d and %d)", f.near_before, f.near_after);
		else if (f.near_before || f.near_after)
			snprintf(near, sizeof(near), " (the nearest line with code: %d)", f.near_before | f.near_after);
		diag_error(d, ap->span, "no statement starts at %s:%ld%s%.0ld in %s%s", f.file, line, col ? ":" : "", col,
			   path, near);
	} else {
		struct elf_syms syms;
		int e = elf_read_functions(path, &syms);
		if (e) {
			diag_error(d, ap->span, "cannot read symbols of %s: %s", path, strerror(-e));
		} else {
			ret = 0;
			for (int i = 0; i < f.addrs.n && !ret; i++)
				ret = add_site(s, blk, ap, d, path, &syms, f.addrs.v[i]);
			elf_syms_free(&syms);
		}
	}
	free(f.addrs.v);
	if (dw)
		dwarf_end(dw);	/* the file names f holds are freed here: used above only */
	if (fd >= 0)
		close(fd);
	return ret;
}
