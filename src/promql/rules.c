/* Rules files: the YAML tree walked for groups[].rules[], each rule's name
 * and expression, and where the expression sits in the file. */
#include "promql/rules.h"
#include <string.h>
#include <yaml.h>

struct loader {
	struct arena *arena;
	yaml_document_t doc;
	const char *text;
	struct diag *d;
	int errors;
};

static struct span mark_span(yaml_mark_t m)
{
	return (struct span){ (int)m.line + 1, (int)m.column + 1, (int)m.line + 1, (int)m.column + 2 };
}

static void error_at(struct loader *l, yaml_node_t *n, const char *fmt, const char *arg)
{
	diag_error(l->d, mark_span(n->start_mark), fmt, arg);
	l->errors++;
}

/* The value of key in mapping n, or NULL. */
static yaml_node_t *lookup(struct loader *l, yaml_node_t *n, const char *key)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&l->doc, p->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
			return yaml_document_get_node(&l->doc, p->value);
	}
	return NULL;
}

static const char *scalar(struct loader *l, yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return arena_strndup(l->arena, (const char *)n->data.scalar.value, n->data.scalar.length);
}

/* Whether every line of value stands in the file from first on, later
 * lines after indent columns. Walks only the lines it compares: the marks
 * libyaml gives hold byte offsets, so no line is searched for from the top. */
static int stands_at(const char *first, const char *value, int indent)
{
	const char *at = first;
	for (;;) {
		size_t vlen = strcspn(value, "\n");
		if (strncmp(at, value, vlen))
			return 0;
		value += vlen;
		if (*value != '\n' || !value[1])
			return 1;
		value++;
		const char *nl = strchr(at, '\n');
		if (!nl)
			return 0;
		at = nl + 1;
		if (*value != '\n' && (int)strspn(at, " ") < indent)
			return 0;
		if (*value != '\n')
			at += indent;
	}
}

static void locate_expr(struct loader *l, struct pq_rule *r, yaml_node_t *n)
{
	const char *first = l->text + n->start_mark.index;
	int line = (int)n->start_mark.line + 1, col = (int)n->start_mark.column + 1, indent = 0;
	switch (n->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE:
		break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		first++, col++;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
		/* the text starts on a later line; its indentation is the first content line's */
		do {
			first = strchr(first, '\n');
			if (!first)
				return;
			first++, line++;
		} while (first[strspn(first, " ")] == '\n');
		indent = (int)strspn(first, " ");
		first += indent;
		col = indent + 1;
		break;
	default:
		return;
	}
	if (stands_at(first, r->expr, indent)) {
		r->expr_line = line;
		r->expr_col = col;
		r->expr_indent = indent;
	}
}

static void load_rule(struct loader *l, const char *group, yaml_node_t *n, struct pq_rules *out)
{
	if (n->type != YAML_MAPPING_NODE) {
		error_at(l, n, "a rule must be a mapping with alert or record, and expr%s", "");
		return;
	}
	struct pq_rule r = { .group = group, .sp = mark_span(n->start_mark) };
	r.alert = scalar(l, lookup(l, n, "alert"));
	r.record = scalar(l, lookup(l, n, "record"));
	yaml_node_t *expr = lookup(l, n, "expr");
	const char *name = r.alert ? r.alert : r.record;
	if (!name) {
		error_at(l, n, "a rule needs an alert or a record name%s", "");
		return;
	}
	if (r.alert && r.record) {
		error_at(l, n, "rule \"%s\" has both alert and record: it is one or the other", name);
		return;
	}
	if (!expr || expr->type != YAML_SCALAR_NODE || !expr->data.scalar.length) {
		error_at(l, expr ? expr : n, "rule \"%s\" has no expr", name);
		return;
	}
	r.expr = scalar(l, expr);
	locate_expr(l, &r, expr);
	VEC_PUSH(*out, r);
}

static void load_groups(struct loader *l, yaml_node_t *root, struct pq_rules *out)
{
	yaml_node_t *groups = lookup(l, root, "groups");
	if (!groups || groups->type != YAML_SEQUENCE_NODE) {
		error_at(l, root, "not a Prometheus rules file: no \"groups\" list at the top%s", "");
		return;
	}
	for (yaml_node_item_t *g = groups->data.sequence.items.start; g < groups->data.sequence.items.top; g++) {
		yaml_node_t *group = yaml_document_get_node(&l->doc, *g);
		yaml_node_t *rules = lookup(l, group, "rules");
		const char *name = scalar(l, lookup(l, group, "name"));
		if (!rules || rules->type != YAML_SEQUENCE_NODE) {
			error_at(l, group, "group \"%s\" has no \"rules\" list", name ? name : "?");
			continue;
		}
		for (yaml_node_item_t *i = rules->data.sequence.items.start; i < rules->data.sequence.items.top; i++)
			load_rule(l, name ? name : "", yaml_document_get_node(&l->doc, *i), out);
	}
}

int pq_rules_load(struct arena *arena, const char *path, const char *text, struct pq_rules *out, struct diag *d)
{
	struct loader l = { .arena = arena, .text = text, .d = d };
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		diag_plain(d, "cannot start the YAML parser");
		return 1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	if (!yaml_parser_load(&parser, &l.doc)) {
		yaml_mark_t m = parser.problem_mark;
		diag_error(d, mark_span(m), "not a YAML file: %s", parser.problem ? parser.problem : "cannot be read");
		yaml_parser_delete(&parser);
		return 1;
	}
	yaml_node_t *root = yaml_document_get_root_node(&l.doc);
	if (!root) {
		diag_plain(d, "%s: empty rules file: no groups, no rules", path);
		l.errors++;
	} else {
		load_groups(&l, root, out);
	}
	yaml_document_delete(&l.doc);
	yaml_parser_delete(&parser);
	return l.errors;
}

void pq_rules_report(struct diag *d, const struct pq_rule *r, const struct pq_error *err)
{
	const char *name = r->alert ? r->alert : r->record;
	if (r->expr_line) {
		/* the expression's own lines and columns, moved to where it stands in the file */
		struct span sp = err->sp;
		sp.col += sp.line == 1 ? r->expr_col - 1 : r->expr_indent;
		sp.end_col += sp.end_line == 1 ? r->expr_col - 1 : r->expr_indent;
		sp.line += r->expr_line - 1;
		sp.end_line += r->expr_line - 1;
		diag_error(d, sp, "in \"%s\": %s", name, err->msg);
		return;
	}
	/* escapes or folding: the expression as YAML gave it, lines of its own */
	struct source src = { d->src->name, r->expr };
	struct diag inner = { &src, d->out, 0, 0 };
	diag_error(&inner, err->sp, "in \"%s\" (rule at line %d): %s", name, r->sp.line, err->msg);
	d->errors++;
}
