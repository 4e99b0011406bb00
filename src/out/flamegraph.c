/*
 * Folded stacks → SVG flame graph. Three steps:
 *   read:   every line's frames go down a trie (one node per distinct stack
 *           prefix, found through one hash table keyed by parent and name),
 *           so identical stacks merge and memory grows with distinct prefixes,
 *           not with lines;
 *   layout: depth first, siblings in byte order of their names, frames
 *           narrower than minwidth left out with everything above them;
 *   write:  one <g> per frame, then the inline style and script
 *           (src/out/flamegraph.js) that zoom and search.
 */
#include "out/flamegraph.h"
#include "out/collapse.h"
#include "flamegraph_js.h"	/* build/gen: src/out/flamegraph.js as a C string */
#include "util/util.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Geometry, in pixels. Text width is estimated (no font metrics): a
 * character of the 12 px sans-serif font is taken as 0.59 em wide. */
#define XPAD	10
#define FRAME_H	16
#define FONT	12
#define CHAR_W	(FONT * 0.59)
#define TOP	(FONT * 3)
#define BOTTOM	(FONT * 2 + 10)

/* Sums of samples stay exact in the script's numbers (doubles). */
#define MAX_SAMPLES	(UINT64_C(1) << 53)

enum kind { K_USER, K_KERNEL, K_JIT, K_INLINED, K_PYTHON, K_WAKER };

/* A frame's colour: the base of its kind's palette plus a spread chosen by
 * the hash of its name, so a function keeps its colour from run to run.
 * The palettes do not overlap, nor do they hold the search highlight. */
static const struct palette {
	const char *suffix;	/* the annotation that selects it */
	int r, dr, g, dg, b, db;
} palettes[] = {
	[K_USER]    = { "",     200, 55,  20, 200,   0, 55 },	/* warm: red to yellow */
	[K_KERNEL]  = { "_[k]", 215, 40, 145,  60,  60, 40 },	/* orange */
	[K_JIT]     = { "_[j]",  50, 60, 180,  60,  50, 60 },	/* green */
	[K_INLINED] = { "_[i]",  50, 60, 170,  60, 170, 60 },	/* aqua */
	[K_PYTHON]  = { "_[p]",  80, 50, 110,  55, 210, 45 },	/* blue */
	[K_WAKER]   = { "_[w]", 160, 40, 130,  40, 200, 40 },	/* lilac */
};

/* One distinct frame text. */
struct name {
	const char *s;		/* as read, annotation included; not NUL-terminated */
	uint32_t len, shown;	/* shown: len without the annotation */
	uint32_t rank;		/* place in byte order among all names: sibling order */
	uint8_t kind;
	uint8_t rgb[3];
};

/* One distinct stack prefix; node 0 is the root, "all". */
struct node {
	uint32_t name, parent;
	uint32_t child, sibling;	/* first child, next sibling; 0 = none */
	uint64_t total;			/* samples of every stack through here */
};

/* A frame to draw. */
struct frame {
	uint32_t node, depth;
	uint64_t offset;	/* samples left of it */
};

/* Open addressing, linear probing: a slot holds hash << 32 | (id + 1), 0 when
 * free, so probing and growing compare hashes without touching the entries
 * (a node lookup is mostly cache misses: one per slot instead of two). */
struct table {
	uint64_t *slot;
	size_t cap, n;
};

struct fg {
	struct arena *strs;
	VEC(struct name) names;
	VEC(struct node) nodes;
	struct table name_ids, node_ids;	/* names by text, nodes by parent and name */
	/* The line being added: where each frame ends. The previous line, its
	 * frame ends and its nodes: lines often share a prefix with the line
	 * before (stackcollapse sorts them), and a shared frame needs no lookup. */
	VEC(size_t) ends, prev_ends;
	VEC(uint32_t) path;
	struct strbuf prev;
	long bad, first_bad;		/* malformed lines, and the first one's number */
	struct strbuf bad_text;		/* and its text */
	enum { IN_UNKNOWN, IN_FOLDED, IN_BPFTRACE } mode;	/* the input's format (read_line()) */
	struct strbuf stash;		/* the first lines, while the format is unknown */
	struct collapse maps;		/* IN_BPFTRACE: the map entry being read */
	VEC(struct frame) frames;
	uint32_t maxdepth;
};

static uint32_t fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* For the name table: eight bytes at a time (FNV-1a was a tenth of the time
 * spent on a large input). Not for colours: its value depends on byte order. */
static uint32_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	return h ^ h >> 29;
}

static uint32_t mix(uint32_t a, uint32_t b)
{
	uint32_t h = a * 0x9e3779b1u ^ (b + 0x7f4a7c15u) * 0x85ebca77u;
	return h ^ h >> 15;
}

/* Grows T to twice its size (or its first 1024 slots), keeping its entries. */
static void table_grow(struct table *t)
{
	size_t cap = t->cap ? 2 * t->cap : 1024;
	uint64_t *slot = xcalloc(cap, sizeof(*slot));
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slot[i])
			continue;
		size_t j = (t->slot[i] >> 32) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = t->slot[i];
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

/* The first slot to probe for HASH, making room for one more entry. */
static uint64_t *table_probe(struct table *t, uint32_t hash)
{
	if (4 * (t->n + 1) > 3 * t->cap)
		table_grow(t);
	return &t->slot[hash & (t->cap - 1)];
}

static uint64_t *table_next(struct table *t, uint64_t *s)
{
	return s + 1 == t->slot + t->cap ? t->slot : s + 1;
}

static void table_put(struct table *t, uint64_t *s, uint32_t hash, uint32_t id)
{
	*s = (uint64_t)hash << 32 | (id + 1);
	t->n++;
}

static void name_init(struct name *nm)
{
	nm->kind = K_USER;
	nm->shown = nm->len;
	for (size_t k = K_KERNEL; k < ARRAY_SIZE(palettes); k++) {
		if (nm->len >= 4 && !memcmp(nm->s + nm->len - 4, palettes[k].suffix, 4)) {
			nm->kind = k;
			nm->shown = nm->len - 4;
		}
	}
	const struct palette *p = &palettes[nm->kind];
	uint32_t h = fnv1a(nm->s, nm->shown);
	nm->rgb[0] = p->r + p->dr * (h & 0xff) / 255;
	nm->rgb[1] = p->g + p->dg * (h >> 8 & 0xff) / 255;
	nm->rgb[2] = p->b + p->db * (h >> 16 & 0xff) / 255;
}

/* The id of the name S[0..N), added if new. */
static uint32_t intern(struct fg *g, const char *s, size_t n)
{
	uint32_t h = hash_bytes(s, n);
	uint64_t *slot = table_probe(&g->name_ids, h);
	for (; *slot; slot = table_next(&g->name_ids, slot)) {
		struct name *nm = &g->names.v[(uint32_t)*slot - 1];
		if (*slot >> 32 == h && nm->len == n && !memcmp(nm->s, s, n))
			return (uint32_t)*slot - 1;
	}
	struct name nm = { .s = arena_strndup(g->strs, s, n), .len = n };
	name_init(&nm);
	VEC_PUSH(g->names, nm);
	table_put(&g->name_ids, slot, h, g->names.n - 1);
	return g->names.n - 1;
}

static uint32_t new_node(struct fg *g, uint32_t parent, uint32_t name)
{
	struct node nd = { .name = name, .parent = parent, .sibling = g->nodes.v[parent].child };
	VEC_PUSH(g->nodes, nd);
	g->nodes.v[parent].child = g->nodes.n - 1;
	return g->nodes.n - 1;
}

/* The child of PARENT called NAME, added if new. */
static uint32_t child(struct fg *g, uint32_t parent, uint32_t name)
{
	uint32_t h = mix(parent, name);
	uint64_t *slot = table_probe(&g->node_ids, h);
	for (; *slot; slot = table_next(&g->node_ids, slot)) {
		struct node *nd = &g->nodes.v[(uint32_t)*slot - 1];
		if (*slot >> 32 == h && nd->parent == parent && nd->name == name)
			return (uint32_t)*slot - 1;
	}
	uint32_t id = new_node(g, parent, name);
	table_put(&g->node_ids, slot, h, id);
	return id;
}

/* Enters the nodes from FIRST on, which the current line added without a
 * lookup, in the table. They are independent of each other, so their slots
 * are fetched all at once rather than one cache miss after another. */
static void enter_new_nodes(struct fg *g, uint32_t first)
{
	struct table *t = &g->node_ids;
	while (4 * (t->n + g->nodes.n - first) > 3 * t->cap)
		table_grow(t);
	for (uint32_t i = first; i < (uint32_t)g->nodes.n; i++)
		__builtin_prefetch(&t->slot[mix(g->nodes.v[i].parent, g->nodes.v[i].name) & (t->cap - 1)], 1);
	for (uint32_t i = first; i < (uint32_t)g->nodes.n; i++) {
		uint32_t h = mix(g->nodes.v[i].parent, g->nodes.v[i].name);
		uint64_t *slot = &t->slot[h & (t->cap - 1)];
		while (*slot)
			slot = table_next(t, slot);
		table_put(t, slot, h, i);
	}
}

/* Reads "a;b;c COUNT" (LINE[0..N), newline optional): the stack's length in
 * *SP and the count. 1 for a blank line, 0, or -1 if it is not one. A line
 * that starts with `]` or `,` is not taken: it is bpftrace's layout. */
static int parse_folded(const char *line, size_t n, size_t *sp, uint64_t *count)
{
	while (n && strchr(" \t\r\n", line[n - 1]))
		n--;
	if (!n)
		return 1;
	if (line[0] == ']' || line[0] == ',')
		return -1;
	size_t i = n;
	while (i && line[i - 1] != ' ' && line[i - 1] != '\t')
		i--;
	if (!i || i == n)
		return -1;
	*count = 0;
	for (size_t k = i; k < n; k++) {
		if (line[k] < '0' || line[k] > '9' || *count > (UINT64_MAX - 9) / 10)
			return -1;
		*count = *count * 10 + (line[k] - '0');
	}
	while (i && (line[i - 1] == ' ' || line[i - 1] == '\t'))
		i--;
	*sp = i;
	return 0;
}

/* Adds the stack LINE[0..SP) ("a;b;c") COUNT times. Returns -1 if it is not
 * one, or if the total would be more than MAX_SAMPLES. */
static int add_stack(struct fg *g, const char *line, size_t sp, uint64_t count)
{
	if (count > MAX_SAMPLES - g->nodes.v[0].total)
		return -1;
	g->ends.n = 0;
	for (size_t i = 0;; i++) {
		const char *semi = memchr(line + i, ';', sp - i);
		i = semi ? (size_t)(semi - line) : sp;
		if (i == (g->ends.n ? g->ends.v[g->ends.n - 1] + 1 : 0))
			return -1;	/* an empty frame, or no stack */
		VEC_PUSH(g->ends, i);
		if (!semi)
			break;
	}
	if (!count)
		return 0;
	g->nodes.v[0].total += count;
	uint32_t at = 0, fresh = g->nodes.n, unentered = 0;
	size_t start = 0;
	for (int k = 0; k < g->ends.n; k++) {
		size_t end = g->ends.v[k];
		/* While the previous line had the same frames, its nodes are ours. */
		int same = k < g->prev_ends.n && end == g->prev_ends.v[k] &&
			   !memcmp(line + start, g->prev.s + start, end - start);
		if (same) {
			at = g->path.v[k];
		} else {
			uint32_t name = intern(g, line + start, end - start);
			if (at < fresh) {
				at = child(g, at, name);
			} else {
				/* a node this line made has no children to look up */
				unentered = unentered ? unentered : (uint32_t)g->nodes.n;
				at = new_node(g, at, name);
			}
			if (k < g->path.n)
				g->path.v[k] = at;
			else
				VEC_PUSH(g->path, at);
			g->prev_ends.n = k;	/* nothing further is shared */
		}
		g->nodes.v[at].total += count;
		start = end + 1;
	}
	if (unentered)
		enter_new_nodes(g, unentered);
	sb_reset(&g->prev);
	sb_putn(&g->prev, line, sp);
	g->prev_ends.n = 0;
	for (int k = 0; k < g->ends.n; k++)
		VEC_PUSH(g->prev_ends, g->ends.v[k]);
	return 0;
}

/* Counts a line not taken: LINENO, its text S[0..N). */
static void bad_line(struct fg *g, long lineno, const char *s, size_t n)
{
	if (g->bad++)
		return;
	g->first_bad = lineno;
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	sb_putn(&g->bad_text, s, n < 60 ? n : 60);
}

/* Adds folded line LINENO, "a;b;c COUNT"; a malformed one is counted. */
static void add_line(struct fg *g, const char *line, size_t n, long lineno)
{
	size_t sp;
	uint64_t count;
	int r = parse_folded(line, n, &sp, &count);
	if (r < 0 || (!r && add_stack(g, line, sp, count) < 0))
		bad_line(g, lineno, line, n);
}

/* Adds the lines that waited in g->stash, the input's first ones, as folded lines. */
static void add_stash(struct fg *g)
{
	for (size_t i = 0, k = 1; i < g->stash.len; k++) {
		const char *nl = memchr(g->stash.s + i, '\n', g->stash.len - i);
		size_t end = nl ? (size_t)(nl - g->stash.s) + 1 : g->stash.len;
		add_line(g, g->stash.s + i, end - i, (long)k);
		i = end;
	}
	sb_free(&g->stash);
}

/* An entry of a bpftrace stack map, collapsed (collapse_fn). */
static void add_entry(void *ctx, const char *stack, size_t len, uint64_t count, long line)
{
	struct fg *g = ctx;
	if (add_stack(g, stack, len, count) < 0)
		bad_line(g, line, stack, len);
}

/*
 * The input is folded stacks or bpftrace's printout of stack maps; which
 * one, its first telling line decides: a map's line (`@NAME[`, `@NAME:`) or
 * the end of an entry (`]: 3`) means bpftrace's, and whatever came before
 * it was printed around the maps; a folded line with two frames or more
 * means folded. Lines that tell nothing (`chain 5` may be either) wait in
 * g->stash until one does, or the input ends (folded, then).
 */
static int read_line(struct fg *g, const char *line, size_t n, long lineno)
{
	if (g->mode == IN_UNKNOWN) {
		size_t sp;
		uint64_t count;
		if (collapse_is_map_line(line, n) || collapse_is_entry_end(line, n)) {
			g->mode = IN_BPFTRACE;
			sb_reset(&g->stash);
		} else if (!parse_folded(line, n, &sp, &count) && memchr(line, ';', sp)) {
			g->mode = IN_FOLDED;
			add_stash(g);
		} else if (n && line[0] == '{' && strstr(line, "\"type\"")) {
			fprintf(stderr, "ERROR: flamegraph: line %ld is JSON (sonde -f json); expected folded stacks "
				"or a map printed as text (leave out -f json)\n", lineno);
			return -1;
		} else {
			sb_putn(&g->stash, line, n);
			if (!n || line[n - 1] != '\n')
				sb_putc(&g->stash, '\n');
			return 0;
		}
	}
	if (g->mode == IN_FOLDED) {
		add_line(g, line, n, lineno);
		return 0;
	}
	if (collapse_line(&g->maps, line, n, lineno, add_entry, g) < 0) {
		fprintf(stderr, "ERROR: flamegraph: line %ld: %s\n", lineno, sb_str(&g->maps.err));
		return -1;
	}
	return 0;
}

static int read_stacks(struct fg *g, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int ret = 0;
	while (!ret && (n = getline(&line, &cap, in)) >= 0)
		ret = read_line(g, line, (size_t)n, ++lineno);
	free(line);
	if (ret)
		return -1;
	if (ferror(in)) {
		fprintf(stderr, "ERROR: flamegraph: reading the input: %s\n", strerror(errno));
		return -1;
	}
	if (g->mode == IN_UNKNOWN) {	/* nothing told: folded, of one frame a stack */
		g->mode = IN_FOLDED;
		add_stash(g);
	}
	if (g->mode == IN_BPFTRACE && collapse_end(&g->maps, add_entry, g) < 0) {
		fprintf(stderr, "ERROR: flamegraph: %s\n", sb_str(&g->maps.err));
		return -1;
	}
	return 0;
}

static int by_bytes(const void *a, const void *b)
{
	const struct name *x = *(struct name *const *)a, *y = *(struct name *const *)b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void rank_names(struct fg *g)
{
	struct name **order = xmalloc(g->names.n * sizeof(*order));
	for (int i = 0; i < g->names.n; i++)
		order[i] = &g->names.v[i];
	qsort(order, g->names.n, sizeof(*order), by_bytes);
	for (int i = 0; i < g->names.n; i++)
		order[i]->rank = i;
	free(order);
}

struct kid {
	uint32_t rank, node;
};

static int by_rank(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Fills g->frames in depth-first order, left to right: the order the script
 * relies on (a frame's parent is the last frame before it one level down). */
static void layout(struct fg *g, double scale, double minwidth)
{
	VEC(struct frame) todo = { 0 };
	VEC(struct kid) kids = { 0 };
	VEC_PUSH(todo, ((struct frame){ 0, 0, 0 }));
	while (todo.n) {
		struct frame f = todo.v[--todo.n];
		VEC_PUSH(g->frames, f);
		if (f.depth > g->maxdepth)
			g->maxdepth = f.depth;
		kids.n = 0;
		for (uint32_t c = g->nodes.v[f.node].child; c; c = g->nodes.v[c].sibling)
			VEC_PUSH(kids, ((struct kid){ g->names.v[g->nodes.v[c].name].rank, c }));
		qsort(kids.v, kids.n, sizeof(*kids.v), by_rank);
		/* Narrow siblings still take their place, so the others stay where
		 * their samples put them. */
		int first = todo.n;
		uint64_t offset = f.offset;
		for (int i = 0; i < kids.n; i++) {
			uint64_t total = g->nodes.v[kids.v[i].node].total;
			if (total * scale >= minwidth)
				VEC_PUSH(todo, ((struct frame){ kids.v[i].node, f.depth + 1, offset }));
			offset += total;
		}
		for (int i = first, j = todo.n - 1; i < j; i++, j--) {	/* leftmost on top */
			struct frame t = todo.v[i];
			todo.v[i] = todo.v[j];
			todo.v[j] = t;
		}
	}
	free(todo.v);
	free(kids.v);
}

/* The length of the UTF-8 character at S (N > 0 bytes left) and its code
 * point in *CP; an invalid one is 1 byte long and U+FFFD. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 :
		     s[0] >= 0xe0 && s[0] < 0xf0 ? 3 : s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
	*cp = 0xfffd;
	if (!len || len > n)
		return 1;
	uint32_t c = len == 1 ? s[0] : s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c < 0xe000) || c == 0xfffe || c == 0xffff)
		return 1;
	*cp = c;
	return len;
}

static size_t count_chars(const char *s, size_t n)
{
	size_t chars = 0;
	uint32_t cp;
	for (size_t i = 0; i < n; i += utf8_next((const unsigned char *)s + i, n - i, &cp))
		chars++;
	return chars;
}

/* Writes at most MAX characters of S[0..N) as XML character data or an
 * attribute value: markup characters escaped, control characters as '?',
 * invalid UTF-8 as U+FFFD, so any input gives a well-formed document. */
static void put_xml(FILE *out, const char *s, size_t n, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	for (size_t i = 0, len; i < n && max; i += len, max--) {
		len = utf8_next(u + i, n - i, &cp);
		switch (cp) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		case 0xfffd: fputs("\xef\xbf\xbd", out); break;
		default:
			if (cp < 0x20 && cp != '\t')
				fputc('?', out);
			else
				fwrite(s + i, 1, len, out);
		}
	}
}

static void put_str(FILE *out, const char *s)
{
	put_xml(out, s, strlen(s), SIZE_MAX);
}

/* 1234567 as "1,234,567". */
static void put_count(FILE *out, uint64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			fputc(',', out);
		fputc(digits[i], out);
	}
}

static void write_frame(FILE *out, const struct fg *g, const struct frame *f,
			double scale, int height, const struct fg_options *o)
{
	const struct node *nd = &g->nodes.v[f->node];
	const struct name *nm = &g->names.v[nd->name];
	const char *s = nm->s;
	size_t shown = nm->shown;
	double x = XPAD + f->offset * scale, w = nd->total * scale;
	double y = height - BOTTOM - (f->depth + 1.0) * FRAME_H;
	fprintf(out, "<g class=\"f\" data-o=\"%llu\" data-c=\"%llu\" data-d=\"%u\"><title>",
		(unsigned long long)f->offset, (unsigned long long)nd->total, f->depth);
	put_xml(out, s, shown, SIZE_MAX);
	fputs(" (", out);
	put_count(out, nd->total);
	fputc(' ', out);
	put_str(out, o->countname);
	fprintf(out, ", %.2f%%)</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"rgb(%d,%d,%d)\"/>",
		100.0 * nd->total / g->nodes.v[0].total, x, y, w, FRAME_H - 1,
		nm->rgb[0], nm->rgb[1], nm->rgb[2]);
	/* the same cut as fit() in flamegraph.js */
	double room = (w - 6) / CHAR_W;
	size_t fits = room < 3 ? 0 : (size_t)room, chars = fits ? count_chars(s, shown) : 0;
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">", x + 3, y + FRAME_H - 5.5);
	put_xml(out, s, shown, chars > fits ? fits - 2 : fits);
	fputs(chars > fits ? "..</text></g>\n" : "</text></g>\n", out);
}

static const char style[] =
	"text { font-family: Verdana, 'DejaVu Sans', sans-serif; font-size: 12px; fill: #000; }\n"
	"#title { font-size: 17px; }\n"
	"#subtitle { fill: #555; }\n"
	".btn { cursor: pointer; }\n"
	".btn:hover { text-decoration: underline; }\n"
	"#unzoom.off { display: none; }\n"
	"#search.on { fill: rgb(230,0,230); }\n"
	".f { cursor: pointer; }\n"
	".f:hover rect { stroke: #000; stroke-width: 0.5; }\n"
	".f.parent { opacity: 0.5; }\n"
	".hide { display: none; }\n";

static void write_svg(FILE *out, const struct fg *g, const struct fg_options *o)
{
	int top = TOP + (o->subtitle ? FONT * 3 / 2 : 0);
	int height = top + (g->maxdepth + 1) * FRAME_H + BOTTOM;
	double scale = (double)(o->width - 2 * XPAD) / g->nodes.v[0].total;
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" data-total=\"%llu\" data-xpad=\"%d\" data-charw=\"%g\">\n",
		o->width, height, o->width, height, (unsigned long long)g->nodes.v[0].total, XPAD, CHAR_W);
	fprintf(out, "<style>\n%s</style>\n", style);
	fputs("<defs><linearGradient id=\"bg\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">"
	      "<stop offset=\"5%\" stop-color=\"#f4f4f4\"/><stop offset=\"95%\" stop-color=\"#ececc4\"/>"
	      "</linearGradient></defs>\n", out);
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"url(#bg)\"/>\n", o->width, height);
	fprintf(out, "<text id=\"title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", o->width / 2, FONT * 2);
	put_str(out, o->title);
	fputs("</text>\n", out);
	if (o->subtitle) {
		fprintf(out, "<text id=\"subtitle\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", o->width / 2, FONT * 7 / 2);
		put_str(out, o->subtitle);
		fputs("</text>\n", out);
	}
	fprintf(out, "<text id=\"unzoom\" class=\"btn off\" x=\"%d\" y=\"%d\">Reset Zoom</text>\n", XPAD, FONT * 2);
	fprintf(out, "<text id=\"search\" class=\"btn\" x=\"%d\" y=\"%d\" text-anchor=\"end\">Search</text>\n",
		o->width - XPAD, FONT * 2);
	fprintf(out, "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n", XPAD, height - FONT);
	fprintf(out, "<text id=\"matched\" x=\"%d\" y=\"%d\" text-anchor=\"end\"> </text>\n",
		o->width - XPAD, height - FONT);
	fputs("<g id=\"frames\">\n", out);
	for (int i = 0; i < g->frames.n; i++)
		write_frame(out, g, &g->frames.v[i], scale, height, o);
	fprintf(out, "</g>\n<script type=\"text/ecmascript\"><![CDATA[\n%s]]></script>\n</svg>\n", flamegraph_js);
}

int flamegraph_write(FILE *in, FILE *out, const struct fg_options *opts)
{
	struct fg_options o = {
		.title = opts && opts->title ? opts->title : "Flame Graph",
		.subtitle = opts && opts->subtitle && *opts->subtitle ? opts->subtitle : NULL,
		.countname = opts && opts->countname ? opts->countname : "samples",
		.width = opts && opts->width ? opts->width : 1200,
		.minwidth = opts ? opts->minwidth : 0.1,
	};
	if (o.width <= 2 * XPAD || o.minwidth < 0) {
		fprintf(stderr, "ERROR: flamegraph: the width must exceed %d pixels and minwidth must not be negative\n",
			2 * XPAD);
		return -1;
	}
	struct fg g = { .strs = arena_new() };
	int ret = -1;
	VEC_PUSH(g.nodes, ((struct node){ 0 }));
	g.nodes.v[0].name = intern(&g, "all", 3);
	if (read_stacks(&g, in) < 0)
		goto out;
	if (!g.nodes.v[0].total) {
		if (g.bad)
			fprintf(stderr, "ERROR: flamegraph: no samples in the input: line %ld ('%s') is neither a "
				"folded stack (\"main;foo;bar 12\") nor a bpftrace map of stacks (\"@[\", frames, "
				"\"]: 12\")\n", g.first_bad, sb_str(&g.bad_text));
		else if (g.mode == IN_BPFTRACE)
			fputs("ERROR: flamegraph: no samples in the input: no map in it has a stack (kstack, ustack) "
			      "in its key, or every count is 0\n", stderr);
		else
			fputs("ERROR: flamegraph: no samples in the input (expected lines like \"main;foo;bar 12\")\n",
			      stderr);
		goto out;
	}
	if (g.bad)
		fprintf(stderr, "WARNING: flamegraph: ignored %ld malformed line%s (the first is line %ld); "
			"expected \"frame;frame;... COUNT\"\n", g.bad, g.bad > 1 ? "s" : "", g.first_bad);
	rank_names(&g);
	layout(&g, (double)(o.width - 2 * XPAD) / g.nodes.v[0].total, o.minwidth);
	write_svg(out, &g, &o);
	ret = 0;
out:
	free(g.frames.v);
	free(g.ends.v);
	free(g.prev_ends.v);
	free(g.path.v);
	sb_free(&g.prev);
	sb_free(&g.stash);
	sb_free(&g.bad_text);
	collapse_free(&g.maps);
	free(g.node_ids.slot);
	free(g.name_ids.slot);
	free(g.nodes.v);
	free(g.names.v);
	arena_free(g.strs);
	return ret;
}
