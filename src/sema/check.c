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

int chk_context(struct checker *c, struct node *n, enum ctx_ask ask, const char *name, const struct type *type,
		struct type **out)
{
	struct ctx_query q = { .s = c->s, .blk = c->blk, .ask = ask, .name = name, .type = type };
	enum ctx_answer a = provider_context(&q);
	if (a == CTX_UNKNOWN)
		return 0;
	*out = NULL;
	if (a == CTX_ERROR) {
		ERR(c, q.err_at_arg && n->list ? n->list->span : n->span, "%s", q.err);
		return 1;
	}
	*out = q.type_out;
	if (ask == CTX_MEMBER) {
		n->ival = (uint64_t)q.loc.off;	/* the member's offset in its struct */
	} else if (q.loc.kind != CTX_NONE) {
		VEC_PUSH(c->blk->ctx, q.loc);
		n->ival = (uint64_t)c->blk->ctx.n;	/* 1-based: 0 is no context value */
	}
	return 1;
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
	blk->ctx.n = 0;
	int rc = 0;
	if (blk->node->pred && check_cond(c, blk->node->pred, "a predicate"))
		rc = -1;
	if (check_block(c, blk->node->b))
		rc = -1;
	return rc;
}

/*
 * config missing_probes = warn|ignore: an attach point that names nothing
 * there (a binary, function, tracepoint…) is left out, its error said as a
 * warning or not at all. 0 when it expanded, 1 when it is left out, -1 on error.
 */
static int expand_point(struct script *s, struct probe_block *blk, struct attach_point *ap,
			const struct provider *prov, struct diag *d)
{
	if (s->missing_probes == MISSING_PROBES_ERROR || !d->out)
		return prov->expand(s, blk, ap, d) ? -1 : 0;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return prov->expand(s, blk, ap, d) ? -1 : 0;
	struct diag quiet = { .src = d->src, .out = mem, .generated = d->generated };
	int npoints = s->points.n;
	int rc = prov->expand(s, blk, ap, &quiet);
	fclose(mem);
	int missing = rc && s->points.n == npoints;
	if (missing && s->missing_probes == MISSING_PROBES_WARN) {
		/* the provider's words, with their caret, as a warning */
		for (char *line = text; line && *line;) {
			char *nl = strchr(line, '\n');
			char *err = strstr(line, "ERROR: ");
			if (err && (!nl || err < nl))
				fprintf(d->out, "%.*sWARNING: %.*s (left out: missing_probes)\n", (int)(err - line), line,
					(int)((nl ? nl : line + strlen(line)) - err - 7), err + 7);
			else
				fprintf(d->out, "%.*s\n", (int)((nl ? nl : line + strlen(line)) - line), line);
			line = nl ? nl + 1 : NULL;
		}
	} else if (rc && !missing) {
		fputs(text, d->out);	/* it expanded in part: an error after all */
		d->errors++;
	}
	free(text);
	return !rc ? 0 : missing ? 1 : -1;
}

static int expand_probes(struct script *s, struct diag *d)
{
	int rc = 0;
	struct node **link = &s->prog->list;
	for (struct node *p = s->prog->list; p; p = p->next) {
		struct probe_block *blk = arena_alloc(s->arena, sizeof(*blk));
		blk->node = p;
		blk->prog_fd = -1;
		blk->dispatch_fd = -1;
		blk->id = s->blocks.n;
		VEC_PUSH(s->blocks, blk);
		int left_out = 0;
		for (struct attach_point *ap = p->attach; ap; ap = ap->next) {
			const struct provider *prov = provider_find(ap->raw, ap->span, d);
			int er = prov ? expand_point(s, blk, ap, prov, d) : -1;
			left_out += er == 1;
			if (er) {
				rc = er < 0 ? -1 : rc;
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
		if (left_out && !blk->points.n) {
			/* every point of the block was missing: the block goes */
			s->blocks.n--;
			*link = p->next;
			continue;
		}
		if (!rc && blk->prov && blk->prov->split)
			blk->prov->split(s, blk);	/* e.g. one program per tracepoint field layout */
		link = &p->next;
	}
	if (!rc && !s->blocks.n) {
		diag_plain(d, "no probes to attach: every probe of the script is missing (config missing_probes)");
		return -1;
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
	/* 0.17's name first (tools set it for -s), then newer bpftrace's (config max_strlen) */
	const char *name = getenv("BPFTRACE_STRLEN") ? "BPFTRACE_STRLEN" : "BPFTRACE_MAX_STRLEN";
	const char *env = getenv(name);
	if (env) {
		int v = atoi(env);
		if (v < 8 || v > 1024) {
			diag_plain(d, "%s must be between 8 and 1024 (got %s)", name, env);
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
	if (!rc && sema_map_decls(s, d))
		rc = -1;
	return rc || d->errors ? -1 : 0;
}

void script_free(struct script *s)
{
	for (int i = 0; i < s->blocks.n; i++) {
		free(s->blocks.v[i]->points.v);
		free(s->blocks.v[i]->vars.v);
		free(s->blocks.v[i]->ctx.v);
	}
	free(s->blocks.v);
	free(s->points.v);
	free(s->maps.v);
	free(s->records.v);
	free(s->time_fmts.v);
	free(s->getopt_names.v);
	provider_script_free(s);
	arena_free(s->arena);
	memset(s, 0, sizeof(*s));
}
