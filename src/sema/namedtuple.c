/*
 * Records (bpftrace's named tuples): (a=1, b="x") is a tuple whose type
 * carries its field names; $r.a is its element 0. The layout is a tuple's.
 */
#include "checker.h"
#include <string.h>

struct type *record_type(struct checker *c, struct node *tuple, struct type *t)
{
	if (!tuple->fnames)
		return t;
	for (int i = 0; i < t->nfields; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(tuple->fnames[i], tuple->fnames[j])) {
				struct node *e = tuple->list;
				for (int k = 0; k < i; k++)
					e = e->next;
				ERR(c, e->span, "the record has two fields named %s", tuple->fnames[i]);
				return NULL;
			}
	t->names = tuple->fnames;
	return t;
}

/* $r.name: the element of that name, as $r.N */
struct type *record_field(struct checker *c, struct node *n, struct type *t)
{
	for (int i = 0; t->names && i < t->nfields; i++)
		if (!strcmp(t->names[i], n->name)) {
			n->kind = N_TUPLE_ELEM;
			n->ival = (uint64_t)i;
			return t->fields[i];
		}
	if (t->names)
		ERR(c, n->span, "the record has no field named %s (%s)", n->name, chk_type_name(c, t));
	else
		ERR(c, n->span, "a tuple's elements have no names (.0, .1…): .%s needs a record, (%s=…)", n->name, n->name);
	return NULL;
}

int record_reorder(struct node *rhs, struct type *want, const struct type *have)
{
	if (rhs->kind != N_TUPLE || !rhs->fnames || want->kind != TY_TUPLE || !want->names || !have->names ||
	    want->nfields != have->nfields)
		return 0;
	for (int i = 0; i < have->nfields; i++) {
		int j = 0;
		while (j < want->nfields && strcmp(want->names[j], have->names[i]))
			j++;
		if (j == want->nfields || !type_equal(want->fields[j], have->fields[i]))
			return 0;
	}
	rhs->type = want;
	return 1;
}
