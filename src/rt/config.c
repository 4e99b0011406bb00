/*
 * bpftrace's config variables (its docs/language.md, "Config Variables"):
 * the `config = { … }` block and the BPFTRACE_* environment. Every name
 * bpftrace knows is accepted; those that decide something sonde decides
 * otherwise are checked and said to have no effect in the man page.
 */
#include "config.h"
#include "../sema/types.h"
#include "../util/util.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum kind { K_NUMBER, K_BOOL, K_WORD, K_STRING };

struct setting {
	const char *name;
	enum kind kind;
	const char *words;	/* K_WORD: the values allowed, separated by '|' */
};

static const struct setting settings[] = {
	{ "max_strlen", K_NUMBER, NULL },
	{ "max_map_keys", K_NUMBER, NULL },
	{ "max_probes", K_NUMBER, NULL },
	{ "print_maps_on_exit", K_BOOL, NULL },
	{ "stack_mode", K_WORD, "bpftrace|perf|raw" },
	{ "missing_probes", K_WORD, "error|warn|ignore" },
	{ "cpp_demangle", K_BOOL, NULL },
	{ "log_size", K_NUMBER, NULL },
	{ "perf_rb_pages", K_NUMBER, NULL },
	{ "max_bpf_progs", K_NUMBER, NULL },
	{ "license", K_WORD, "GPL|GPL v2|GPL and additional rights|Dual BSD/GPL|Dual MIT/GPL|Dual MPL/GPL" },
	/* decided by sonde itself: accepted, checked, no effect (man page) */
	{ "max_cat_bytes", K_NUMBER, NULL },
	{ "on_stack_limit", K_NUMBER, NULL },
	{ "cache_user_symbols", K_WORD, "PER_PROGRAM|PER_PID|NONE" },
	{ "lazy_symbolication", K_BOOL, NULL },
	{ "show_debug_info", K_BOOL, NULL },
	{ "symbol_source", K_WORD, "dwarf|symbol_table" },
	{ "str_trunc_trailer", K_STRING, NULL },
	{ "unstable_map_decl", K_WORD, "error|warn|enable" },
	{ "unstable_tseries", K_WORD, "error|warn|enable" },
	{ "unstable_addr", K_WORD, "error|warn|enable" },
	{ "unstable_macro", K_WORD, "error|warn|enable" },
	{ "unstable_import", K_WORD, "error|warn|enable" },
};

/* `BPFTRACE_STACK_MODE`, `STACK_MODE` and `stack_mode` are one setting. */
static const struct setting *find_setting(const char *key)
{
	if (!strncasecmp(key, "BPFTRACE_", 9))
		key += 9;
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
		if (!strcasecmp(settings[i].name, key))
			return &settings[i];
	return NULL;
}

/* The setting's environment variable: BPFTRACE_ and its name in capitals. */
static void env_name(const struct setting *st, char *buf, size_t n)
{
	size_t k = (size_t)snprintf(buf, n, "BPFTRACE_");
	for (const char *c = st->name; *c && k + 1 < n; c++)
		buf[k++] = (char)toupper((unsigned char)*c);
	buf[k] = 0;
}

/* Whether WORD is one of the '|'-separated WORDS (case as written there). */
static int word_allowed(const char *words, const char *word)
{
	size_t len = strlen(word);
	for (const char *w = words; w;) {
		const char *bar = strchr(w, '|');
		size_t wl = bar ? (size_t)(bar - w) : strlen(w);
		if (wl == len && !strncmp(w, word, len))
			return 1;
		w = bar ? bar + 1 : NULL;
	}
	return 0;
}

/* VALUE for ST: NULL when it fits, else what it should be. */
static const char *value_problem(const struct setting *st, const char *value)
{
	switch (st->kind) {
	case K_NUMBER: {
		char *end;
		unsigned long long v = strtoull(value, &end, 0);
		return *value && !*end && v <= UINT32_MAX ? NULL : "a number";
	}
	case K_BOOL:
		return !strcmp(value, "true") || !strcmp(value, "false") || !strcmp(value, "1") || !strcmp(value, "0")
			       ? NULL : "true or false";
	case K_WORD:
		return word_allowed(st->words, value) ? NULL : st->words;
	case K_STRING:
		return NULL;
	}
	return NULL;
}

int config_apply_block(const struct node *cfg, struct diag *d)
{
	for (; cfg; cfg = cfg->next) {
		const struct setting *st = find_setting(cfg->a->str);
		if (!st) {
			diag_error(d, cfg->a->span, "config: unknown setting %s (bpftrace's config variables are listed in "
				   "sonde(1), LANGUAGE, Config)", cfg->a->str);
			return -1;
		}
		const struct node *v = cfg->b;
		char text[128];
		if (v->kind == N_INT)
			snprintf(text, sizeof(text), "%llu", (unsigned long long)v->ival);
		else
			snprintf(text, sizeof(text), "%s", v->str);
		const char *want = value_problem(st, text);
		if (want) {
			diag_error(d, v->span, "config: %s takes %s, not %s", st->name, want, text);
			return -1;
		}
		char env[64];
		env_name(st, env, sizeof(env));
		setenv(env, text, 0);
	}
	return 0;
}

/* The setting NAME from the environment (checked by config_read first); NULL when unset. */
static const char *env_value(const char *name)
{
	char env[64];
	env_name(find_setting(name), env, sizeof(env));
	return getenv(env);
}

static int as_bool(const char *v, int dflt)
{
	return v ? !strcmp(v, "true") || !strcmp(v, "1") : dflt;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->stack_mode = STACK_BPFTRACE;
	c->print_maps_on_exit = 1;
	c->cpp_demangle = 1;
	c->license = "GPL";
}

int config_read(struct config *c, struct diag *d)
{
	int bad = 0;
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		char env[64];
		env_name(&settings[i], env, sizeof(env));
		const char *v = getenv(env);
		const char *want = v ? value_problem(&settings[i], v) : NULL;
		if (want) {
			diag_plain(d, "%s takes %s, not %s", env, want, v);
			bad = 1;
		}
	}
	config_defaults(c);
	if (bad)
		return -1;
	const char *v = env_value("stack_mode");
	c->stack_mode = !v || !strcmp(v, "bpftrace") ? STACK_BPFTRACE : !strcmp(v, "perf") ? STACK_PERF : STACK_RAW;
	v = env_value("missing_probes");
	c->missing_probes = !v || !strcmp(v, "error") ? MISSING_PROBES_ERROR
			    : !strcmp(v, "warn")     ? MISSING_PROBES_WARN
						     : MISSING_PROBES_IGNORE;
	c->print_maps_on_exit = as_bool(env_value("print_maps_on_exit"), 1);
	c->cpp_demangle = as_bool(env_value("cpp_demangle"), 1);
	v = env_value("log_size");
	c->log_size = v ? (uint32_t)strtoull(v, NULL, 0) : 0;
	v = env_value("perf_rb_pages");
	c->perf_rb_pages = v ? (uint32_t)strtoull(v, NULL, 0) : 0;
	v = env_value("max_bpf_progs");
	c->max_bpf_progs = v ? (int)strtoull(v, NULL, 0) : 0;
	v = env_value("license");
	if (v)
		c->license = v;
	return 0;
}
