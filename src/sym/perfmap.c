/*
 * Perf maps: the convention by which JITs (Node.js --perf-basic-prof, Java's
 * `jcmd PID Compiler.perfmap`, LuaJIT, .NET…) name the code they generate.
 * The file is read whole into one buffer whose lines become the names in
 * place; lines are then flattened into disjoint ranges, so a lookup is one
 * binary search whatever the overlaps.
 */
#include "perfmap.h"
#include "../util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct pm_line {
	uint64_t start, end;
	const char *name;
};

/* A range [lo, hi) where line `line` is the last line covering it. */
struct pm_seg {
	uint64_t lo, hi;
	int line;
};

/* The names handed out, kept for the map's life: a re-read replaces the text they came from. */
struct names {
	char **v;
	size_t n, cap;	/* open addressing; cap a power of two */
};

struct perfmap {
	char *path, *fallback, *shown;
	char *text;
	struct names kept;
	VEC(struct pm_line) lines;	/* in file order: a later index wins */
	VEC(struct pm_seg) segs;	/* sorted, disjoint */
	int present;
	long owner;			/* besides root, the only uid whose file is read; -1: any */
	struct stat st;			/* of the file as last read */
	uint64_t checked_ns, load_ns;
};

struct perfmap *perfmap_new(const char *path, const char *fallback, const char *shown)
{
	struct perfmap *m = xcalloc(1, sizeof(*m));
	m->path = xstrdup(path);
	m->fallback = fallback ? xstrdup(fallback) : NULL;
	m->shown = xstrdup(shown);
	m->owner = -1;
	return m;
}

void perfmap_set_owner(struct perfmap *m, long uid)
{
	m->owner = uid;
}

void perfmap_free(struct perfmap *m)
{
	if (!m)
		return;
	free(m->path);
	free(m->fallback);
	free(m->shown);
	free(m->text);
	for (size_t i = 0; i < m->kept.cap; i++)
		free(m->kept.v[i]);
	free(m->kept.v);
	free(m->lines.v);
	free(m->segs.v);
	free(m);
}

const char *perfmap_shown(const struct perfmap *m)
{
	return m->shown;
}

int perfmap_present(const struct perfmap *m)
{
	return m->present;
}

/* The whole file, NUL-terminated; NULL with errno set. */
/*
 * /tmp is anyone's: only a regular file (no FIFO, no link to /dev/zero)
 * owned by root or by the process's own user is read, as perf does, and
 * no more than PERFMAP_MAX_BYTES of it.
 */
#define PERFMAP_MAX_BYTES (512u << 20)

static char *read_all(const char *path, long owner, struct stat *st, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	int e = fstat(fd, st) < 0 ? errno : !S_ISREG(st->st_mode) ? EINVAL
		: st->st_uid != 0 && owner >= 0 && st->st_uid != (uid_t)owner ? EPERM : 0;
	if (e) {
		close(fd);
		errno = e;
		return NULL;
	}
	/* the JIT may be appending while we read: read to the end, whatever fstat said */
	size_t cap = (size_t)st->st_size + 4096, n = 0;
	char *buf = xmalloc(cap + 1);
	for (;;) {
		if (n >= PERFMAP_MAX_BYTES)
			break;
		if (n == cap)
			buf = xrealloc(buf, (cap *= 2) + 1);
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = errno;
			close(fd);
			if (r < 0) {
				free(buf);
				errno = e;
				return NULL;
			}
			break;
		}
		n += (size_t)r;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One hex field followed by blanks; 0 if there is none. */
static int hex_field(char **p, uint64_t *v)
{
	char *s = *p, *e;
	while (is_blank(*s))
		s++;
	if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
		return 0;
	*v = strtoull(s, &e, 16);
	if (e == s || !is_blank(*e))
		return 0;
	while (is_blank(*e))
		e++;
	*p = e;
	return 1;
}

/*
 * Splits TEXT into lines in place. A line counts once its newline is
 * written: the JIT writes through a stdio buffer, so the file often ends
 * mid-line, and that fragment is read whole next time.
 */
static void parse_lines(char *text, size_t len, struct perfmap *m)
{
	char *p = text, *end = text + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		char *q = nl;
		while (q > p && (q[-1] == '\r' || is_blank(q[-1])))
			q--;
		*q = 0;
		uint64_t start, size;
		char *s = p;
		p = nl + 1;
		if (!hex_field(&s, &start) || !hex_field(&s, &size) || !*s || !size)
			continue;
		uint64_t e = start + size < start ? UINT64_MAX : start + size;
		VEC_PUSH(m->lines, ((struct pm_line){ start, e, s }));
	}
}

struct by_start {
	uint64_t start;
	int line;
};

static int by_start(const void *a, const void *b)
{
	const struct by_start *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

/* A max-heap of line indices: the top is the latest line of those pushed. */
struct heap {
	int *v, n;
};

static void heap_push(struct heap *h, int x)
{
	int i = h->n++;
	for (; i && h->v[(i - 1) / 2] < x; i = (i - 1) / 2)
		h->v[i] = h->v[(i - 1) / 2];
	h->v[i] = x;
}

static void heap_pop(struct heap *h)
{
	int x = h->v[--h->n], i = 0;
	for (;;) {
		int c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1] > h->v[c])
			c++;
		if (h->v[c] <= x)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	h->v[i] = x;
}

static void add_seg(struct perfmap *m, uint64_t lo, uint64_t hi, int line)
{
	struct pm_seg *last = m->segs.n ? &m->segs.v[m->segs.n - 1] : NULL;
	if (last && last->line == line && last->hi == lo)
		last->hi = hi;
	else
		VEC_PUSH(m->segs, ((struct pm_seg){ lo, hi, line }));
}

/*
 * Lines → disjoint ranges, each owned by the last line covering it: a sweep
 * over the lines by start, holding the lines that cover the current point in
 * a heap by file order. Lines that ended stay in the heap until they reach
 * its top, where they are dropped.
 */
static void flatten(struct perfmap *m)
{
	int n = m->lines.n;
	const struct pm_line *L = m->lines.v;
	struct by_start *order = xmalloc((size_t)(n ? n : 1) * sizeof(*order));
	struct heap h = { xmalloc((size_t)(n ? n : 1) * sizeof(int)), 0 };
	for (int i = 0; i < n; i++)
		order[i] = (struct by_start){ L[i].start, i };
	qsort(order, (size_t)n, sizeof(*order), by_start);
	uint64_t pos = 0;
	int i = 0;
	while (i < n || h.n) {
		if (!h.n && order[i].start > pos)
			pos = order[i].start;
		while (i < n && order[i].start <= pos)
			heap_push(&h, order[i++].line);
		while (h.n && L[h.v[0]].end <= pos)
			heap_pop(&h);
		if (!h.n)
			continue;
		uint64_t next = L[h.v[0]].end;
		if (i < n && order[i].start < next)
			next = order[i].start;
		add_seg(m, pos, next, h.v[0]);
		pos = next;
	}
	free(order);
	free(h.v);
}

static int load_from(struct perfmap *m, const char *path)
{
	struct stat st;
	size_t len;
	char *text = read_all(path, m->owner, &st, &len);
	if (!text)
		return -errno;
	free(m->text);
	m->text = text;
	m->lines.n = m->segs.n = 0;
	parse_lines(text, len, m);
	flatten(m);
	m->st = st;
	m->present = 1;
	return 0;
}

int perfmap_load(struct perfmap *m)
{
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	int err = load_from(m, m->path);
	if (err && m->fallback)
		err = load_from(m, m->fallback);
	m->checked_ns = clock_ns(CLOCK_MONOTONIC);
	if (!err)
		m->load_ns = m->checked_ns - t0;
	return err;
}

void perfmap_refresh(struct perfmap *m)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC), wait = 200000000ull;
	if (20 * m->load_ns > wait)
		wait = 20 * m->load_ns;
	if (m->checked_ns && now - m->checked_ns < wait)
		return;
	struct stat st;
	int found = stat(m->path, &st) == 0 || (m->fallback && stat(m->fallback, &st) == 0);
	if (!found) {
		m->checked_ns = now;	/* none yet, or gone with its process: keep what was read */
		return;
	}
	if (m->present && st.st_size == m->st.st_size && st.st_ino == m->st.st_ino &&
	    st.st_mtim.tv_sec == m->st.st_mtim.tv_sec && st.st_mtim.tv_nsec == m->st.st_mtim.tv_nsec) {
		m->checked_ns = now;
		return;
	}
	perfmap_load(m);
}

static size_t name_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;	/* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	/* a multiply carries bits only upward: fold the high ones into the low ones the table uses */
	return (size_t)(h ^ (h >> 32) ^ (h >> 47));
}

static const char *keep_name(struct names *t, const char *s)
{
	if (2 * (t->n + 1) > t->cap) {
		struct names g = { xcalloc(t->cap ? 2 * t->cap : 64, sizeof(char *)), t->n, t->cap ? 2 * t->cap : 64 };
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->v[i])
				continue;
			size_t k = name_hash(t->v[i]) & (g.cap - 1);
			while (g.v[k])
				k = (k + 1) & (g.cap - 1);
			g.v[k] = t->v[i];
		}
		free(t->v);
		*t = g;
	}
	size_t k = name_hash(s) & (t->cap - 1);
	for (; t->v[k]; k = (k + 1) & (t->cap - 1))
		if (!strcmp(t->v[k], s))
			return t->v[k];
	t->n++;
	return t->v[k] = xstrdup(s);
}

int perfmap_find(struct perfmap *m, uint64_t addr, struct perfmap_sym *out)
{
	int lo = 0, hi = m->segs.n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (m->segs.v[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr >= m->segs.v[lo - 1].hi)
		return 0;
	const struct pm_line *l = &m->lines.v[m->segs.v[lo - 1].line];
	*out = (struct perfmap_sym){ l->start, l->end - l->start, keep_name(&m->kept, l->name) };
	return 1;
}
