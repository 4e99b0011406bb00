/*
 * The semantic pass: expands attach points through their providers, gives
 * every expression a type, fixes map and variable types, and collects the
 * records BPF will send. Quiet passes first learn map types from assignments
 * anywhere in the script (the second also reads an untyped map as int64, for
 * @u = @u + 1); the last pass reports errors. Calls are in calls.c, map
 * typing in maps.c, expressions in exprs.c, builtins in builtins.c, fields
 * and casts in fields.c, statements in stmts.c.
 */
#include "checker.h"
#include "btf.h"
#include "../probe/tracefs.h"
#include "../obj/dwarf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena *chk_arena(struct checker *c)
{
	return c->s->arena;
}

char *chk_type_name(struct checker *c, const struct type *t)
{
	struct strbuf sb = { 0 };
	type_name(t, &sb);
	char *r = arena_strndup(chk_arena(c), sb_str(&sb), sb.len);
	sb_free(&sb);
	return r;
}

int chk_is_int(const struct type *t)
{
	return t && (t->kind == TY_INT || t->kind == TY_BOOL || t->kind == TY_PTR);
}

/* What a value becomes in a map, a variable, a key or a record. */
struct type *chk_stored(struct checker *c, struct type *t)
{
	if (t->kind == TY_ARRAY && t->is_chars)
		return type_str(chk_arena(c));
	return type_stored(chk_arena(c), t);
}

struct record *chk_new_record(struct checker *c, enum rec_kind kind, struct node *n)
{
	if (!c->final)
		return NULL;
	struct record *r = arena_alloc(chk_arena(c), sizeof(*r));
	r->kind = kind;
	r->id = c->s->records.n;
	r->size = 8;
	r->tail_str_off = -1;
	VEC_PUSH(c->s->records, r);
	n->id = r->id;
	return r;
}

void chk_record_args(struct checker *c, struct record *r, struct type **types, int n)
{
	r->nargs = n;
	r->args = arena_alloc(chk_arena(c), sizeof(*types) * (size_t)(n ? n : 1));
	r->offs = arena_alloc(chk_arena(c), sizeof(int) * (size_t)(n ? n : 1));
	r->tail_str_off = -1;
	/* Strings go last, so the final one can be sent without its zero padding. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++) {
			if ((types[i]->kind == TY_STR) != pass)
				continue;
			r->args[i] = types[i];
			r->offs[i] = r->size;
			if (pass)
				r->tail_str_off = r->size;
			r->size += (int)ALIGN8((size_t)types[i]->size);
		}
}

static int check_probe(struct checker *c, struct probe_block *blk)
{
	c->blk = blk;
	blk->vars.n = 0;
	int rc = 0;
	if (blk->node->pred && check_cond(c, blk->node->pred, "a predicate"))
		rc = -1;
	if (check_block(c, blk->node->b))
		rc = -1;
	return rc;
}

/* The args fields a tree reads, once each ("filename;flags;"). */
static void used_fields(const struct node *n, struct strbuf *out)
{
	for (; n; n = n->next) {
		if (n->kind == N_FIELD && n->a && n->a->kind == N_BUILTIN && !strcmp(n->a->name, "args")) {
			char key[256];
			snprintf(key, sizeof(key), ";%s;", n->name);
			if (!strstr(sb_str(out), key))	/* out starts with ';' */
				sb_printf(out, "%s;", n->name);
		}
		used_fields(n->a, out);
		used_fields(n->b, out);
		used_fields(n->c, out);
		used_fields(n->pred, out);
		used_fields(n->list, out);
	}
}

/* The layout of the fields used: points that agree on them can share one program. */
static void layout_key(const struct tp_format *f, const char *used, struct strbuf *out)
{
	for (int i = 0; f && i < f->nfields; i++) {
		const struct tp_field *x = &f->fields[i];
		char key[256];
		snprintf(key, sizeof(key), ";%s;", x->name);
		if (strstr(used, key))
			sb_printf(out, "%s:%d:%d:%d:%d;", x->name, x->offset, x->size, (int)x->kind, x->is_signed);
	}
}

/*
 * tracepoint:syscalls:sys_enter_open* { str(args.filename) }: open and openat
 * keep filename at different offsets, so a block that reads args gets one
 * program per field layout — a copy of the block for each further layout.
 */
static void split_by_layout(struct script *s, struct probe_block *blk)
{
	if (!blk->prov || !blk->prov->has_args || blk->points.n < 2 ||
	    (!node_uses_builtin(blk->node->b, "args") && !node_uses_builtin(blk->node->pred, "args")))
		return;
	struct strbuf used = { 0 }, first = { 0 }, key = { 0 };
	sb_putc(&used, ';');
	used_fields(blk->node->b, &used);
	used_fields(blk->node->pred, &used);
	layout_key(blk->points.v[0]->fmt, sb_str(&used), &first);
	while (1) {
		struct probe_block *other = NULL;
		struct strbuf other_key = { 0 };
		int kept = 0;
		for (int i = 0; i < blk->points.n; i++) {
			struct probe_point *pt = blk->points.v[i];
			sb_reset(&key);
			layout_key(pt->fmt, sb_str(&used), &key);
			if (!strcmp(sb_str(&key), sb_str(&first))) {
				blk->points.v[kept++] = pt;
				continue;
			}
			if (!other) {	/* the next layout gets its own copy of the block */
				other = arena_alloc(s->arena, sizeof(*other));
				*other = (struct probe_block){ .prov = blk->prov, .prog_fd = -1, .dispatch_fd = -1 };
				other->node = node_clone(s->arena, blk->node);
				sb_puts(&other_key, sb_str(&key));
			}
			if (strcmp(sb_str(&key), sb_str(&other_key))) {
				blk->points.v[kept++] = pt;	/* a third layout: a later round */
				continue;
			}
			pt->block = other;
			VEC_PUSH(other->points, pt);
		}
		blk->points.n = kept;
		sb_free(&other_key);
		if (!other)
			break;
		other->id = s->blocks.n;
		VEC_PUSH(s->blocks, other);
	}
	sb_free(&used);
	sb_free(&first);
	sb_free(&key);
}

static int expand_probes(struct script *s, struct diag *d)
{
	int rc = 0;
	for (struct node *p = s->prog->list; p; p = p->next) {
		struct probe_block *blk = arena_alloc(s->arena, sizeof(*blk));
		blk->node = p;
		blk->prog_fd = -1;
		blk->dispatch_fd = -1;
		blk->id = s->blocks.n;
		VEC_PUSH(s->blocks, blk);
		for (struct attach_point *ap = p->attach; ap; ap = ap->next) {
			const struct provider *prov = provider_find(ap->raw, ap->span, d);
			if (!prov || prov->expand(s, blk, ap, d)) {
				rc = -1;
				continue;
			}
			/* One program per block: its points must share a provider (program type, context). */
			if (blk->prov && blk->prov != prov) {
				diag_error(d, ap->span, "%s cannot share a block with %s", prov->name, blk->prov->name);
				rc = -1;
			}
			if (!blk->prov)
				blk->prov = prov;
		}
		if (!rc)
			split_by_layout(s, blk);
	}
	return rc;
}

static void free_vecs(struct script *s)
{
	for (int i = 0; i < s->blocks.n; i++)
		s->blocks.v[i]->vars.n = 0;
}

int sema_check(struct script *s, struct diag *d)
{
	const char *env = getenv("BPFTRACE_STRLEN");
	if (env) {
		int v = atoi(env);
		if (v < 8 || v > 1024) {
			diag_plain(d, "BPFTRACE_STRLEN must be between 8 and 1024 (got %s)", env);
			return -1;
		}
		sonde_strlen = (int)ALIGN8((size_t)v);
	}
	if (expand_probes(s, d))
		return -1;
	/* Quiet pass: learn map types from every assignment, in any order. */
	struct diag quiet = { .src = d->src, .out = d->out };
	struct checker c = { .s = s, .d = &quiet, .final = 0 };
	for (int i = 0; i < s->blocks.n; i++)
		check_probe(&c, s->blocks.v[i]);
	free_vecs(s);
	c.guess_maps = 1;
	for (int i = 0; i < s->blocks.n; i++)
		check_probe(&c, s->blocks.v[i]);
	free_vecs(s);
	c.guess_maps = 0;
	c.d = d;
	c.final = 1;
	int rc = 0;
	for (int i = 0; i < s->blocks.n; i++)
		if (check_probe(&c, s->blocks.v[i]))
			rc = -1;
	return rc || d->errors ? -1 : 0;
}

void script_free(struct script *s)
{
	for (int i = 0; i < s->blocks.n; i++) {
		free(s->blocks.v[i]->points.v);
		free(s->blocks.v[i]->vars.v);
	}
	free(s->blocks.v);
	free(s->points.v);
	free(s->maps.v);
	free(s->records.v);
	free(s->time_fmts.v);
	dw_cache_free(s->dwarf);
	arena_free(s->arena);
	memset(s, 0, sizeof(*s));
}
