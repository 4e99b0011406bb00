/* The C type definitions' parser (lang/ctypes.c): the N_CTYPE nodes it builds. */
#include "test.h"
#include "lang/parser.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses src (with a probe after the definitions); the definitions list, or NULL. */
static const struct node *defs(struct arena *a, const char *src)
{
	struct source source = { .name = "t", .text = src };
	struct diag d = { .src = &source, .out = NULL };
	struct node *prog = parse_program(a, &d, src);
	return prog && !d.errors ? prog->pred : NULL;
}

TEST(ctypes_members_carry_base_type_pointers_and_dimensions)
{
	struct arena *a = arena_new();
	const struct node *d = defs(a, "struct S { unsigned long x, *y[2][3]; struct T *next; void (*fn)(int); } BEGIN {}");
	EXPECT_INT(d != NULL, 1);
	if (d) {
		EXPECT_STR(d->name, "struct S");
		EXPECT_INT(d->ival, 1);
		const struct node *m = d->list;
		EXPECT_STR(m->str, "unsigned long");
		EXPECT_STR(m->name, "x");
		m = m->next;
		EXPECT_STR(m->name, "y");
		EXPECT_INT(m->cast_ptr, 1);
		EXPECT_INT(m->list->ival, 2);
		EXPECT_INT(m->list->next->ival, 3);
		m = m->next;
		EXPECT_STR(m->str, "struct T");
		EXPECT_INT(m->cast_ptr, 1);
		m = m->next;
		EXPECT_STR(m->name, "fn");
		EXPECT_INT(m->prefix, 1);
	}
	arena_free(a);
}

TEST(ctypes_enumerators_count_on_and_evaluate_constant_expressions)
{
	struct arena *a = arena_new();
	const struct node *d = defs(a, "enum E { A, B = 1 << 4, C, D = (B | A) - ~0 }; BEGIN {}");
	EXPECT_INT(d != NULL, 1);
	if (d) {
		EXPECT_STR(d->name, "enum E");
		const struct node *e = d->list;
		EXPECT_INT((long long)e->ival, 0);
		EXPECT_INT((long long)e->next->ival, 16);
		EXPECT_INT((long long)e->next->next->ival, 17);
		EXPECT_INT((long long)e->next->next->next->ival, 17);
	}
	arena_free(a);
}

TEST(ctypes_typedefs_make_casts_parse)
{
	struct arena *a = arena_new();
	const struct node *d = defs(a, "typedef struct { int a; } rec_t; BEGIN { $x = (rec_t *)0; }");
	EXPECT_INT(d != NULL, 1);
	if (d) {
		EXPECT_STR(d->name, "typedef");
		EXPECT_STR(d->a->name, "rec_t");
		EXPECT_STR(d->a->str, "struct");
		EXPECT_INT(d->a->a != NULL, 1);
	}
	arena_free(a);
}
