/* The C type definitions of a script's preamble, parsed into N_CTYPE nodes (see ctypes.h). */
#include "ctypes.h"
#include <string.h>

struct cp {
	struct lexer *lx;
	struct token tok;
	struct arena *a;
	struct diag *d;
	int failed;
	int depth;		/* nested inline definitions, bounded */
};

static void next(struct cp *p)
{
	p->tok = lexer_next(p->lx);
	if (p->tok.kind == T_ERROR)
		p->failed = 1;
}

static void fail(struct cp *p, struct span sp, const char *msg, const char *what)
{
	if (!p->failed)
		diag_error(p->d, sp, msg, what);
	p->failed = 1;
}

static void unexpected(struct cp *p, const char *expecting)
{
	if (p->tok.kind == T_IDENT && (!strcmp(p->tok.str, "__attribute__") || !strcmp(p->tok.str, "__attribute"))) {
		fail(p, p->tok.span, "attributes (packed, aligned…) are not supported: the layout is the C ABI's%s", "");
		return;
	}
	char got[64];
	if (p->tok.kind == T_IDENT || p->tok.kind == T_INT)
		snprintf(got, sizeof(got), "%.*s", (int)p->tok.len, p->tok.text);
	else
		snprintf(got, sizeof(got), "%s", tok_name(p->tok.kind));
	if (!p->failed)
		diag_error(p->d, p->tok.span, "syntax error, unexpected %s, expecting %s", got, expecting);
	p->failed = 1;
}

static int is_word(const struct cp *p, const char *w)
{
	return p->tok.kind == T_IDENT && !strcmp(p->tok.str, w);
}

static struct node *mk(struct cp *p, struct span sp)
{
	return node_new(p->a, N_CTYPE, sp);
}

int ctypes_at_def(struct lexer *lx)
{
	static const char *const words[] = { "struct", "union", "enum", "typedef" };
	lexer_peek_char(lx);
	const char *t = lx->src + lx->pos;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		size_t n = strlen(words[i]);
		if (!strncmp(t, words[i], n) && strchr(" \t\n\r{", t[n]))
			return 1;
	}
	return 0;
}

int ctypes_is_typedef(const struct node *defs, const char *name)
{
	for (const struct node *d = defs; d; d = d->next)
		if (!strcmp(d->name, "typedef") && d->a && d->a->name && !strcmp(d->a->name, name))
			return 1;
	return 0;
}

static int is_int_word(const char *s)
{
	static const char *const words[] = { "signed", "unsigned", "char", "short", "int", "long", "_Bool" };
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(s, words[i]))
			return 1;
	return 0;
}

static void skip_qualifiers(struct cp *p)
{
	while (is_word(p, "const") || is_word(p, "volatile") || is_word(p, "restrict"))
		next(p);
}

/* Enumerator values: integer constant expressions over numbers and the enumerators before. */
static int64_t const_expr(struct cp *p, const struct node *known, int level);

static int64_t const_primary(struct cp *p, const struct node *known)
{
	struct token t = p->tok;
	if (t.kind == T_INT) {
		next(p);
		return (int64_t)t.ival;
	}
	if (t.kind == T_MINUS || t.kind == T_TILDE || t.kind == T_PLUS || t.kind == T_BANG) {
		next(p);
		int64_t v = const_primary(p, known);
		return t.kind == T_MINUS ? -v : t.kind == T_TILDE ? ~v : t.kind == T_BANG ? !v : v;
	}
	if (t.kind == T_LPAREN) {
		next(p);
		int64_t v = const_expr(p, known, 0);
		if (p->tok.kind != T_RPAREN)
			unexpected(p, ")");
		else
			next(p);
		return v;
	}
	if (t.kind == T_IDENT) {
		for (const struct node *e = known; e; e = e->next)
			if (!strcmp(e->name, t.str)) {
				next(p);
				return (int64_t)e->ival;
			}
		fail(p, t.span, "'%s' is not an enumerator defined before it", t.str);
		return 0;
	}
	unexpected(p, "an integer constant");
	return 0;
}

static int64_t const_expr(struct cp *p, const struct node *known, int level)
{
	static const enum tok levels[][3] = {
		{ T_PIPE }, { T_CARET }, { T_AMP }, { T_SHL, T_SHR }, { T_PLUS, T_MINUS }, { T_STAR, T_SLASH, T_PERCENT },
	};
	if (level == (int)ARRAY_SIZE(levels))
		return const_primary(p, known);
	int64_t v = const_expr(p, known, level + 1);
	for (;;) {
		enum tok op = p->tok.kind;
		if (p->failed || !(op == levels[level][0] || (op && (op == levels[level][1] || op == levels[level][2]))))
			return v;
		struct span at = p->tok.span;
		next(p);
		int64_t r = const_expr(p, known, level + 1);
		switch (op) {
		case T_PIPE: v |= r; break;
		case T_CARET: v ^= r; break;
		case T_AMP: v &= r; break;
		case T_SHL: v = r >= 0 && r < 64 ? (int64_t)((uint64_t)v << r) : 0; break;
		case T_SHR: v = r >= 0 && r < 64 ? v >> r : 0; break;
		case T_PLUS: v += r; break;
		case T_MINUS: v -= r; break;
		case T_STAR: v *= r; break;
		default:
			if (!r) {
				fail(p, at, "division by zero in %s", "an enumerator's value");
				return 0;
			}
			v = op == T_SLASH ? v / r : v % r;
		}
	}
}

static struct node *parse_enum_body(struct cp *p, struct node *def)
{
	next(p);	/* { */
	struct node **tail = &def->list;
	int64_t value = 0;
	while (p->tok.kind != T_RBRACE) {
		if (p->tok.kind != T_IDENT) {
			unexpected(p, "an enumerator name");
			return NULL;
		}
		struct node *e = mk(p, p->tok.span);
		e->name = arena_strndup(p->a, p->tok.str, strlen(p->tok.str));
		next(p);
		if (p->tok.kind == T_ASSIGN) {
			next(p);
			value = const_expr(p, def->list, 0);
			if (p->failed)
				return NULL;
		}
		e->ival = (uint64_t)value++;
		*tail = e;
		tail = &e->next;
		if (p->tok.kind == T_COMMA)
			next(p);
		else if (p->tok.kind != T_RBRACE) {
			unexpected(p, ", or }");
			return NULL;
		}
	}
	return def;
}

static struct node *parse_members(struct cp *p, struct node *def);

/*
 * The base type of a declaration, as written; *inline_def gets a
 * struct/union/enum defined in place. The closing } of a body is the current
 * token when `top` (the definition ends there), else consumed.
 */
static char *parse_base(struct cp *p, struct node **inline_def, int top)
{
	*inline_def = NULL;
	skip_qualifiers(p);
	struct token t = p->tok;
	if (t.kind != T_IDENT) {
		unexpected(p, "a type");
		return NULL;
	}
	if (!strcmp(t.str, "struct") || !strcmp(t.str, "union") || !strcmp(t.str, "enum")) {
		char name[256];
		snprintf(name, sizeof(name), "%s", t.str);
		struct span sp = t.span;
		next(p);
		if (p->tok.kind == T_IDENT) {
			snprintf(name, sizeof(name), "%s %s", t.str, p->tok.str);
			sp = span_join(sp, p->tok.span);
			next(p);
		} else if (p->tok.kind != T_LBRACE) {
			unexpected(p, "a name or {");
			return NULL;
		}
		char *text = arena_strndup(p->a, name, strlen(name));
		if (p->tok.kind == T_LBRACE) {
			if (++p->depth > 32) {
				fail(p, p->tok.span, "type definitions nested too deeply (more than %s levels)", "32");
				return NULL;
			}
			struct node *def = mk(p, sp);
			def->name = text;
			def->ival = 1;
			if (!(t.str[0] == 'e' ? parse_enum_body(p, def) : parse_members(p, def)))
				return NULL;
			p->depth--;
			*inline_def = def;
			if (!top)
				next(p);	/* } */
		}
		skip_qualifiers(p);
		return text;
	}
	if (is_int_word(t.str)) {
		struct strbuf sb = { 0 };
		while (p->tok.kind == T_IDENT && (is_int_word(p->tok.str) || is_word(p, "const") || is_word(p, "volatile"))) {
			if (is_int_word(p->tok.str))
				sb_printf(&sb, "%s%s", sb.len ? " " : "", p->tok.str);
			next(p);
		}
		char *text = arena_strndup(p->a, sb.s, sb.len);
		sb_free(&sb);
		return text;
	}
	next(p);
	skip_qualifiers(p);
	return arena_strndup(p->a, t.str, strlen(t.str));
}

/* `*name[2][3]`, `(*fn)(args)`, or nothing (an anonymous member); base and inline def filled by the caller. */
static struct node *parse_declarator(struct cp *p, int need_name)
{
	struct node *m = mk(p, p->tok.span);
	while (p->tok.kind == T_STAR) {
		m->cast_ptr++;
		next(p);
		skip_qualifiers(p);
	}
	if (p->tok.kind == T_LPAREN) {	/* a function pointer: a pointer, whatever it takes */
		next(p);
		if (p->tok.kind != T_STAR) {
			unexpected(p, "*");
			return NULL;
		}
		next(p);
		if (p->tok.kind != T_IDENT) {
			unexpected(p, "a name");
			return NULL;
		}
		m->span = p->tok.span;
		m->name = arena_strndup(p->a, p->tok.str, strlen(p->tok.str));
		next(p);
		if (p->tok.kind != T_RPAREN) {
			unexpected(p, ")");
			return NULL;
		}
		next(p);
		if (p->tok.kind != T_LPAREN) {
			unexpected(p, "(");
			return NULL;
		}
		for (int depth = 0;;) {
			if (p->tok.kind == T_EOF || p->failed) {
				unexpected(p, ")");
				return NULL;
			}
			depth += (p->tok.kind == T_LPAREN) - (p->tok.kind == T_RPAREN);
			next(p);
			if (!depth)
				break;
		}
		m->prefix = 1;
		m->cast_ptr = 1;
		return m;
	}
	if (p->tok.kind == T_IDENT) {
		m->span = p->tok.span;
		m->name = arena_strndup(p->a, p->tok.str, strlen(p->tok.str));
		next(p);
	} else if (need_name) {
		unexpected(p, "a name");
		return NULL;
	}
	struct node **dims = &m->list;
	while (p->tok.kind == T_LBRACKET) {
		struct node *d = node_new(p->a, N_INT, p->tok.span);
		next(p);
		if (p->tok.kind == T_INT) {
			d->ival = p->tok.ival;
			next(p);
		}
		if (p->tok.kind != T_RBRACKET) {
			unexpected(p, "]");
			return NULL;
		}
		d->span = span_join(d->span, p->tok.span);
		next(p);
		*dims = d;
		dims = &d->next;
	}
	if (p->tok.kind == T_COLON) {
		fail(p, p->tok.span, "bit-fields are not supported%s", "");
		return NULL;
	}
	return m;
}

/* { members } of a struct or union; the } is the current token after. */
static struct node *parse_members(struct cp *p, struct node *def)
{
	next(p);	/* { */
	struct node **tail = &def->list;
	while (p->tok.kind != T_RBRACE) {
		if (p->tok.kind == T_SEMI) {
			next(p);
			continue;
		}
		if (p->tok.kind == T_EOF) {
			unexpected(p, "}");
			return NULL;
		}
		struct node *inl;
		char *base = parse_base(p, &inl, 0);
		if (!base)
			return NULL;
		for (;;) {
			/* struct { … };  union { … };  an anonymous member */
			int anon = p->tok.kind == T_SEMI && inl;
			struct node *m = anon ? mk(p, inl->span) : parse_declarator(p, 1);
			if (!m)
				return NULL;
			m->str = base;
			m->a = inl;
			*tail = m;
			tail = &m->next;
			if (p->tok.kind != T_COMMA)
				break;
			next(p);
		}
		if (p->tok.kind != T_SEMI) {
			unexpected(p, "; or ,");
			return NULL;
		}
		next(p);
	}
	return def;
}

static struct node *parse_typedef(struct cp *p, struct span kw)
{
	next(p);	/* typedef */
	struct node *inl;
	char *base = parse_base(p, &inl, 0);
	if (!base)
		return NULL;
	struct node *m = parse_declarator(p, 1);
	if (!m)
		return NULL;
	m->str = base;
	m->a = inl;
	if (p->tok.kind != T_SEMI) {
		unexpected(p, ";");
		return NULL;
	}
	struct node *def = mk(p, span_join(kw, m->span));
	def->name = "typedef";
	def->a = m;
	return def;
}

struct node *ctypes_parse(struct lexer *lx, struct arena *a, struct diag *d)
{
	struct cp p = { .lx = lx, .a = a, .d = d };
	next(&p);
	struct span kw = p.tok.span;
	if (is_word(&p, "typedef"))
		return parse_typedef(&p, kw);
	struct node *inl;
	char *base = parse_base(&p, &inl, 1);
	if (!base)
		return NULL;
	if (!inl) {	/* struct T;  a declaration only */
		if (p.tok.kind != T_SEMI) {
			unexpected(&p, "{ or ;");
			return NULL;
		}
		struct node *def = mk(&p, kw);
		def->name = base;
		return def;
	}
	int c = lexer_peek_char(lx);
	if (c == ';')
		next(&p);	/* the ; after } is optional, as in bpftrace */
	else if (c == '_' && !strncmp(lx->src + lx->pos, "__attribute", 11)) {
		next(&p);
		unexpected(&p, ";");
	}
	return p.failed ? NULL : inl;
}
