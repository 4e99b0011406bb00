#include "tracefs.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define TRACEFS_MAGIC 0x74726163

static int is_tracefs(const char *path)
{
	struct statfs st;
	char events[256];
	snprintf(events, sizeof(events), "%s/events", path);
	return !statfs(path, &st) && st.f_type == TRACEFS_MAGIC && !access(events, F_OK);
}

static const char *root;
static int tried;

void tracefs_set_root(const char *dir)
{
	root = dir;
	tried = 1;
}

const char *tracefs_root(void)
{
	if (tried)
		return root;
	tried = 1;
	if (is_tracefs("/sys/kernel/tracing"))
		root = "/sys/kernel/tracing";
	else if (is_tracefs("/sys/kernel/debug/tracing"))
		root = "/sys/kernel/debug/tracing";
	else if (!mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) && is_tracefs("/sys/kernel/tracing"))
		root = "/sys/kernel/tracing";
	return root;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted directory entries matching a glob (a literal name matches only itself). */
static int list_dir(const char *path, const char *pattern, char ***out)
{
	DIR *d = opendir(path);
	if (!d)
		return 0;
	VEC(char *) names = { 0 };
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "enable") || !strcmp(e->d_name, "filter"))
			continue;
		if (!fnmatch(pattern, e->d_name, 0))
			VEC_PUSH(names, xstrdup(e->d_name));
	}
	closedir(d);
	if (names.n)
		qsort(names.v, (size_t)names.n, sizeof(char *), name_cmp);
	*out = names.v;
	return names.n;
}

int tracefs_glob(const char *cat_pattern, const char *event_pattern,
		 void (*fn)(const char *cat, const char *event, void *ctx), void *ctx)
{
	const char *root = tracefs_root();
	if (!root)
		return 0;
	char path[512];
	snprintf(path, sizeof(path), "%s/events", root);
	char **cats = NULL;
	int ncats = list_dir(path, cat_pattern, &cats), found = 0;
	for (int i = 0; i < ncats; i++) {
		char **events = NULL;
		snprintf(path, sizeof(path), "%s/events/%s", root, cats[i]);
		int n = list_dir(path, event_pattern, &events);
		for (int k = 0; k < n; k++) {
			struct stat st;
			char fmt[768];
			snprintf(fmt, sizeof(fmt), "%s/%s/format", path, events[k]);
			if (!stat(fmt, &st)) {
				fn(cats[i], events[k], ctx);
				found++;
			}
			free(events[k]);
		}
		free(events);
		free(cats[i]);
	}
	free(cats);
	return found;
}

/* C integer types whose declared size a format may widen (int dfd; size:8). */
static int declared_signed(const char *type)
{
	static const char *const names[] = { "int", "long", "short", "char", "pid_t", "long long", "s8", "s16", "s32", "s64" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(type, names[i]))
			return 1;
	return 0;
}

static int parse_field(char *line, struct tp_field *f, struct arena *a)
{
	char *decl = strstr(line, "field:");
	char *off = strstr(line, "offset:"), *size = strstr(line, "size:"), *sgn = strstr(line, "signed:");
	if (!decl || !off || !size)
		return -1;
	decl += 6;
	char *semi = strchr(decl, ';');
	if (!semi)
		return -1;
	*semi = 0;
	f->offset = atoi(off + 7);
	f->size = atoi(size + 5);
	f->is_signed = sgn ? atoi(sgn + 7) : 0;
	/* "TYPE NAME", "TYPE NAME[N]" or "__data_loc char[] NAME": the name is the
	 * last identifier once a trailing [N] is set aside */
	char *end = decl + strlen(decl);
	while (end > decl && isspace((unsigned char)end[-1]))
		end--;
	char *bracket = NULL;
	if (end > decl && end[-1] == ']') {
		bracket = strrchr(decl, '[');
		end = bracket;
	}
	while (end > decl && isspace((unsigned char)end[-1]))
		end--;
	char *start = end;
	while (start > decl && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
		start--;
	if (start == end)
		return -1;
	f->name = arena_strndup(a, start, (size_t)(end - start));
	char *tend = start;
	while (tend > decl && isspace((unsigned char)tend[-1]))
		tend--;
	f->type = arena_strndup(a, decl, (size_t)(tend - decl));
	int is_data_loc = !strncmp(decl, "__data_loc ", 11);
	if (is_data_loc) {
		f->kind = TPF_DATALOC;
	} else if (bracket) {
		f->count = atoi(bracket + 1);
		f->elem_size = f->count > 0 ? f->size / f->count : 1;
		int is_char = strstr(f->type, "char") != NULL && f->elem_size == 1;
		f->kind = is_char ? TPF_CHARS : TPF_ARRAY;
	} else if (strchr(f->type, '*')) {
		f->kind = TPF_PTR;
	} else {
		f->kind = TPF_INT;
		/* The size field wins over the declared type; a widened signed C type stays signed. */
		if (declared_signed(f->type))
			f->is_signed = 1;
	}
	return 0;
}

int tracefs_format(const char *cat, const char *event, struct tp_format *out, struct arena *a)
{
	const char *root = tracefs_root();
	if (!root)
		return -ENOENT;
	char path[512];
	snprintf(path, sizeof(path), "%s/events/%s/%s/format", root, cat, event);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -errno;
	memset(out, 0, sizeof(*out));
	VEC(struct tp_field) fields = { 0 };
	char line[1024];
	while (fgets(line, sizeof(line), fp)) {
		if (!strncmp(line, "ID:", 3)) {
			out->id = atoi(line + 3);
			continue;
		}
		struct tp_field f = { 0 };
		if (!strstr(line, "field:") || parse_field(line, &f, a))
			continue;
		if (!strncmp(f.name, "common_", 7))
			continue;
		VEC_PUSH(fields, f);
	}
	fclose(fp);
	out->nfields = fields.n;
	out->fields = arena_alloc(a, sizeof(struct tp_field) * (size_t)(fields.n ? fields.n : 1));
	if (fields.n)
		memcpy(out->fields, fields.v, sizeof(struct tp_field) * (size_t)fields.n);
	free(fields.v);
	return out->id > 0 ? 0 : -EINVAL;
}

const struct tp_field *tp_format_field(const struct tp_format *f, const char *name)
{
	for (int i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].name, name))
			return &f->fields[i];
	return NULL;
}
