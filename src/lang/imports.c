/*
 * import "PATH"; (bpftrace 0.24+): the probes, macros and map declarations
 * of other bpftrace scripts join the program. PATH is relative to the
 * importing script's directory (the working directory for -e); a directory
 * imports every *.bt file in it, in name order; a file is imported once,
 * however many statements name it (so cycles end). An imported script's
 * probes come before its importer's, so its BEGIN runs first, as bpftrace
 * orders them. C, header and object files (bpftrace compiles them with
 * clang) are refused: sonde has no compiler at run time.
 *
 * Each imported file is parsed on its own, its lines numbered from
 * k × DIAG_IMPORT_LINES + 1 for the k-th file, which diag.c maps back to
 * the file and its line: errors anywhere later name the imported file.
 */
#include "parser.h"
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_IMPORTS 1000	/* line numbers stay within an int */

struct importer {
	struct arena *arena;
	struct diag *diag;
	VEC(char *) seen;	/* real paths already imported (and the main script) */
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* Makes the file's text a source diag can show; returns its line base. */
static int add_source(struct importer *im, const char *path, const char *text)
{
	struct diag *d = im->diag;
	struct source *v = arena_alloc(im->arena, sizeof(*v) * (size_t)(d->nimports + 1));
	if (d->nimports)
		memcpy(v, d->imports, sizeof(*v) * (size_t)d->nimports);
	v[d->nimports] = (struct source){ arena_strndup(im->arena, path, strlen(path)),
					   arena_strndup(im->arena, text, strlen(text)) };
	d->imports = v;
	return ++d->nimports * DIAG_IMPORT_LINES;
}

static int resolve_into(struct importer *im, struct node *prog, struct node *imports, const char *dir);

/* Appends list b to the list whose tail pointer is *tail. */
static struct node **append(struct node **tail, struct node *b)
{
	while (*tail)
		tail = &(*tail)->next;
	*tail = b;
	while (*tail)
		tail = &(*tail)->next;
	return tail;
}

/* One .bt file: parsed, its own imports resolved, then merged (probes into *probes). 0 or -1. */
static int import_file(struct importer *im, struct node *prog, struct node ***probes, const char *path,
		       struct node *imp)
{
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		diag_error(im->diag, imp->span, "cannot import \"%s\": %s: %s", imp->str, path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < im->seen.n; i++)
		if (!strcmp(im->seen.v[i], real))
			return 0;	/* imported already */
	VEC_PUSH(im->seen, xstrdup(real));
	if (im->diag->nimports >= MAX_IMPORTS) {
		diag_error(im->diag, imp->span, "cannot import \"%s\": more than %d files imported", imp->str, MAX_IMPORTS);
		return -1;
	}
	char *text = read_whole_file(path);
	if (!text) {
		diag_error(im->diag, imp->span, "cannot import \"%s\": %s: %s", imp->str, path, strerror(errno));
		return -1;
	}
	int base = add_source(im, path, text);
	free(text);
	struct node *sub_imports = NULL;
	struct node *sub = parse_source(im->arena, im->diag, im->diag->imports[base / DIAG_IMPORT_LINES - 1].text, base,
					&sub_imports);
	if (!sub)
		return -1;
	if (sub->b) {
		diag_error(im->diag, sub->b->span, "a config block belongs in the main script, not in an imported one");
		return -1;
	}
	char dirbuf[PATH_MAX];
	snprintf(dirbuf, sizeof(dirbuf), "%s", path);
	if (resolve_into(im, sub, sub_imports, dirname(dirbuf)))
		return -1;
	*probes = append(*probes, sub->list);
	append(&prog->c, sub->c);
	append(&prog->a, sub->a);
	append(&prog->pred, sub->pred);	/* its C type definitions (lang/ctypes.h) */
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* One import statement: a .bt file or a directory of them. 0 or -1. */
static int import_one(struct importer *im, struct node *prog, struct node ***probes, struct node *imp,
		      const char *dir)
{
	char path[PATH_MAX];
	int here = imp->str[0] == '/' || !strcmp(dir, ".");	/* the name as written */
	snprintf(path, sizeof(path), "%s%s%s", here ? "" : dir, here ? "" : "/", imp->str);
	struct stat st;
	int exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		struct dirent **names;
		int n = scandir(path, &names, NULL, by_name);
		int rc = n < 0 ? -1 : 0;
		if (n < 0)
			diag_error(im->diag, imp->span, "cannot import \"%s\": %s: %s", imp->str, path, strerror(errno));
		for (int i = 0; i < n; i++) {
			char file[PATH_MAX + 256];
			snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
			if (!rc && ends_with(names[i]->d_name, ".bt") && !stat(file, &st) && S_ISREG(st.st_mode))
				rc = import_file(im, prog, probes, file, imp);
			free(names[i]);
		}
		free(n >= 0 ? names : NULL);
		return rc;
	}
	if (ends_with(imp->str, ".c") || ends_with(imp->str, ".h") || ends_with(imp->str, ".o") ||
	    ends_with(imp->str, ".so")) {
		diag_error(im->diag, imp->span, "cannot import \"%s\": sonde imports bpftrace scripts (.bt) and directories of them; "
						"C and object files need a C compiler at run time, which sonde does not use",
			   imp->str);
		return -1;
	}
	if (!ends_with(imp->str, ".bt")) {
		diag_error(im->diag, imp->span, "cannot import \"%s\": %s (a .bt script or a directory of them)", imp->str,
			   exists ? "not a .bt file" : "no such file or directory");
		return -1;
	}
	return import_file(im, prog, probes, path, imp);
}

/* prog's imports, merged into it: their probes before prog's own. */
static int resolve_into(struct importer *im, struct node *prog, struct node *imports, const char *dir)
{
	struct node *probes = NULL, **tail = &probes;
	for (struct node *imp = imports; imp; imp = imp->next)
		if (import_one(im, prog, &tail, imp, dir))
			return -1;
	*tail = prog->list;
	prog->list = probes;
	return 0;
}

int imports_resolve(struct arena *arena, struct diag *diag, struct node *prog, struct node *imports)
{
	if (!imports)
		return 0;
	struct importer im = { arena, diag, { 0 } };
	const char *main_name = diag->src ? diag->src->name : "stdin";
	char dir[PATH_MAX] = ".", name[PATH_MAX], real[PATH_MAX];
	if (strcmp(main_name, "stdin")) {
		snprintf(name, sizeof(name), "%s", main_name);
		snprintf(dir, sizeof(dir), "%s", dirname(name));
		if (realpath(main_name, real))	/* a script importing itself imports nothing */
			VEC_PUSH(im.seen, xstrdup(real));
	}
	int rc = resolve_into(&im, prog, imports, dir);
	for (int i = 0; i < im.seen.n; i++)
		free(im.seen.v[i]);
	free(im.seen.v);
	return rc;
}
