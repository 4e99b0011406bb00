/*
 * The C expressions of BCC's trace and argdist specs (filters, message
 * arguments, argdist's values) turned into sonde's language: argument names
 * and `$` specials become builtins, C casts become sonde's, `args->f`
 * becomes `args.f`. Anything without a sonde meaning is refused with a
 * message, never passed on to fail later in generated text.
 */
#ifndef SONDE_TOOLS_CEXPR_H
#define SONDE_TOOLS_CEXPR_H
#include "../util/util.h"
#include <stddef.h>

#define CX_MAX_PARAMS 6

struct cx_alias {
	const char *from, *to;
};

struct cexpr {
	/* a `$name` or bare name and what it becomes; to = NULL: refused with the name's note */
	const struct cx_alias *aliases;
	int one_based_args;	/* trace: arg1…arg6 are arg0…arg5 */
	int tracepoint;		/* `args` (args->field, args.field) is allowed */
	int ret;		/* a return probe: retval is allowed, parameters are not (argdist: $entry) */
	char *params[CX_MAX_PARAMS];	/* a signature's names: params[k] is argk (cexpr_free) */
	int nparams;
	int entry_ok;		/* argdist: $entry(param) stashes param at entry */
	int entry_used[CX_MAX_PARAMS];	/* set: $entry(params[k]) appeared; it reads $ad_ek */
	int latency_used;	/* set: an alias to `$ad_lat` appeared */
};

/* Translates IN into OUT; -1 with a message in ERR (no tool prefix) otherwise. */
int cexpr_translate(struct cexpr *cx, const char *in, struct strbuf *out, char *err, size_t errlen);

/*
 * A C type name (`int`, `unsigned long`, `u32`, `size_t`, `char *`) as
 * sonde's cast type (`int32`, `uint64`; any other pointer: `uint64`), or
 * "str" for `char *` when strings is set; NULL when unknown.
 */
const char *cexpr_type(const char *ctype, int strings);

/*
 * A signature `int a, char *b` (the inside of the parentheses): the name of
 * each parameter, in order, into cx->params; -1 with a message otherwise.
 */
int cexpr_signature(struct cexpr *cx, const char *sig, char *err, size_t errlen);
/* Frees the signature's names. */
void cexpr_free(struct cexpr *cx);

/* Splits S at the commas outside parentheses, brackets and quotes; the parts,
 * trimmed, are malloc'd into v (at most max); their count, or -1 past max. */
int cexpr_split(const char *s, char sep, char **v, int max);

#endif
