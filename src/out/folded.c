#include "folded.h"
#include "../sym/resolve.h"
#include "../util/util.h"
#include <stdlib.h>
#include <string.h>

/* A frame as BCC prints it: name, +0xOFF and [module] when detailed, [unknown] when unresolved. */
static void frame_name(struct strbuf *out, struct sym_cache *syms, int pid, uint64_t ip, int kernel, int detailed,
		       int annotate)
{
	struct sym_info si;
	int known = kernel ? sym_kernel_info(syms, ip, &si) : sym_user_info(syms, pid, ip, &si);
	size_t start = out->len;
	sb_puts(out, known ? si.name : "[unknown]");
	/* `;` separates folded frames (Java names have them): as stackcollapse does, it becomes `:` */
	for (size_t i = start; !detailed && i < out->len; i++)
		if (out->s[i] == ';')
			out->s[i] = ':';
	if (si.kind == SYM_PYTHON) {	/* "func (file.py:LINE)" says it all */
		if (annotate)
			sb_puts(out, "_[p]");
		return;
	}
	if (known && detailed)
		sb_printf(out, "+0x%llx", (unsigned long long)si.offset);
	if (detailed && (kernel || si.module)) {
		const char *base = kernel ? "kernel" : strrchr(si.module, '/') ? strrchr(si.module, '/') + 1 : si.module;
		sb_printf(out, " [%s]", base);
	}
	if (annotate && kernel)
		sb_puts(out, "_[k]");
	else if (annotate && si.kind == SYM_JIT)
		sb_puts(out, "_[j]");
}

void stack_frame_text(struct strbuf *out, struct sym_cache *syms, int pid, uint64_t ip, int kernel)
{
	frame_name(out, syms, pid, ip, kernel, 1, 0);
}

void stack_sample_lines(struct strbuf *out, struct sym_cache *syms, const struct stack_sample *x,
			const struct stack_layout *l)
{
	if (l->kernel) {
		if (x->k_missed)
			sb_puts(out, "    [Missed Kernel Stack]\n");
		for (int k = 0; k < x->nk; k++) {
			sb_puts(out, "    ");
			frame_name(out, syms, x->pid, x->kips[k], 1, 1, l->annotate);
			sb_putc(out, '\n');
		}
	}
	if (l->user) {
		if (l->delimiter && x->nk && x->nu)
			sb_puts(out, "    --\n");
		if (x->u_missed)
			sb_puts(out, "    [Missed User Stack]\n");
		for (int k = 0; k < x->nu; k++) {
			sb_puts(out, "    ");
			frame_name(out, syms, x->pid, x->uips[k], 0, 1, l->annotate);
			sb_putc(out, '\n');
		}
	}
	sb_printf(out, "    %-16s %s (%d)\n        %llu\n\n", "-", x->comm, x->pid, (unsigned long long)x->count);
}

void stack_sample_folded(struct strbuf *out, struct sym_cache *syms, const struct stack_sample *x,
			 const struct stack_layout *l)
{
	sb_puts(out, x->comm);
	if (l->user) {
		if (x->u_missed)
			sb_puts(out, ";[Missed User Stack]");
		for (int k = x->nu - 1; k >= 0; k--) {
			sb_putc(out, ';');
			frame_name(out, syms, x->pid, x->uips[k], 0, 0, l->annotate);
		}
	}
	if (l->kernel) {
		if (l->delimiter && x->nk && x->nu)
			sb_puts(out, ";-");
		if (x->k_missed)
			sb_puts(out, ";[Missed Kernel Stack]");
		for (int k = x->nk - 1; k >= 0; k--) {
			sb_putc(out, ';');
			frame_name(out, syms, x->pid, x->kips[k], 1, 0, l->annotate);
		}
	}
}

struct folded {
	char *stack;		/* "comm;frames…" without the count */
	uint64_t count;
};

static int by_stack(const void *a, const void *b)
{
	return strcmp(((const struct folded *)a)->stack, ((const struct folded *)b)->stack);
}

static int by_count(const void *a, const void *b)
{
	const struct folded *x = a, *y = b;
	return x->count != y->count ? (x->count < y->count ? -1 : 1) : strcmp(x->stack, y->stack);
}

void stack_samples_folded(FILE *out, struct sym_cache *syms, struct stack_sample *const *v, int n,
			  const struct stack_layout *l)
{
	struct folded *f = xcalloc((size_t)(n ? n : 1), sizeof(*f));
	struct strbuf sb = { 0 };
	for (int i = 0; i < n; i++) {
		sb.len = 0;
		stack_sample_folded(&sb, syms, v[i], l);
		f[i] = (struct folded){ xstrdup(sb_str(&sb)), v[i]->count };
	}
	qsort(f, (size_t)n, sizeof(*f), by_stack);
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (m && !strcmp(f[m - 1].stack, f[i].stack)) {
			f[m - 1].count += f[i].count;
			free(f[i].stack);
		} else {
			f[m++] = f[i];
		}
	}
	qsort(f, (size_t)m, sizeof(*f), by_count);
	for (int i = 0; i < m; i++) {
		fprintf(out, "%s %llu\n", f[i].stack, (unsigned long long)f[i].count);
		free(f[i].stack);
	}
	free(f);
	sb_free(&sb);
}
