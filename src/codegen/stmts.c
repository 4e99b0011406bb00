/* Statements: assignments, ++/--, if, while, unroll, return; slots of a statement are freed at its end. */
#include "lower.h"
#include <string.h>

static void lower_var_assign(struct lower *L, struct node *n)
{
	struct var *v = &L->blk->vars.v[n->a->var_slot];
	if (n->declare_only) {
		zero_slot(L, v->slot_off, v->type->size);	/* `let $x;`: zero, whatever its type turned out to be */
		return;
	}
	if (n->op == T_ASSIGN) {
		store_value(L, n->b, v->type, v->slot_off);
		return;
	}
	int x = ir_vreg(L->f);
	ir_ldx(L->f, 8, x, FP, (int16_t)v->slot_off);
	int y = lower_scalar(L, n->b);
	lower_arith(L, binop_code(n->op), lower_is_signed(v->type), x, y);
	ir_stx(L->f, 8, FP, (int16_t)v->slot_off, x);
}

/* ++/--: returns the new value (prefix) or the old one (postfix). */
int lower_incdec(struct lower *L, struct node *n)
{
	uint8_t op = n->op == T_INC ? BPF_ADD : BPF_SUB;
	int x;
	if (n->a->kind == N_MAP) {
		x = lower_map_compound(L, n->a, op, NULL, 1);
	} else {
		int off = lower_var_off(L, n->a);
		x = ir_vreg(L->f);
		ir_ldx(L->f, 8, x, FP, (int16_t)off);
		ir_alui(L->f, op, x, 1);
		ir_stx(L->f, 8, FP, (int16_t)off, x);
	}
	if (n->prefix)
		return x;
	int old = ir_vreg(L->f);
	ir_mov(L->f, old, x);
	ir_alui(L->f, op == BPF_ADD ? BPF_SUB : BPF_ADD, old, 1);
	return old;
}

static void lower_stmt(struct lower *L, struct node *n)
{
	struct ir_func *f = L->f;
	int mark = L->depth, smark = L->sdepth;
	f->span = n->span;
	switch (n->kind) {
	case N_ASSIGN:
		if (n->a->kind == N_VAR)
			lower_var_assign(L, n);
		else if (n->op == T_ASSIGN)
			lower_map_assign(L, n);
		else
			lower_map_compound(L, n->a, binop_code(n->op), n->b, 0);
		break;
	case N_INCDEC:
		lower_incdec(L, n);
		break;
	case N_EXPR_STMT:
		if (n->a->kind == N_CALL && (!strcmp(n->a->name, "static_assert") || !strcmp(n->a->name, "fail")))
			break;	/* checked when compiling (sema/introspect.c) */
		if (n->a->kind == N_CALL && n->a->type->kind == TY_VOID)
			lower_record_call(L, n->a);
		else if (type_is_scalar(n->a->type))
			lower_scalar(L, n->a);
		else
			lower_mem(L, n->a);
		break;
	case N_IF: {
		int l_else = ir_new_label(f), l_done = ir_new_label(f);
		int c = lower_scalar(L, n->a);
		ir_jmpi(f, BPF_JEQ, c, 0, l_else);
		lower_block(L, n->b);
		ir_ja(f, l_done);
		ir_label(f, l_else);
		if (n->c) {
			if (n->c->kind == N_IF)
				lower_stmt(L, n->c);
			else
				lower_block(L, n->c);
		}
		ir_label(f, l_done);
		break;
	}
	case N_WHILE: {
		int l_top = ir_new_label(f), l_end = ir_new_label(f);
		int saved_break = L->l_break, saved_continue = L->l_continue;
		L->l_break = l_end;
		L->l_continue = l_top;
		ir_label(f, l_top);
		int c = lower_scalar(L, n->a);
		ir_jmpi(f, BPF_JEQ, c, 0, l_end);
		lower_block(L, n->b);
		ir_ja(f, l_top);
		ir_label(f, l_end);
		L->l_break = saved_break;
		L->l_continue = saved_continue;
		break;
	}
	case N_BREAK:
		ir_ja(f, L->l_break);
		break;
	case N_CONTINUE:
		ir_ja(f, L->l_continue);
		break;
	case N_UNROLL:
		for (uint64_t i = 0; i < n->ival; i++)
			lower_block(L, n->b);
		break;
	case N_RETURN:
		if (n->a && L->ret_slot)	/* a test: probe's result, the program's return value */
			ir_stx(f, 8, FP, (int16_t)L->ret_slot, lower_scalar(L, n->a));
		ir_ja(f, L->l_exit);
		break;
	case N_FOR_MAP:
		lower_for_map(L, n);
		break;
	case N_BLOCK:
		lower_block(L, n);
		break;
	default:
		break;
	}
	L->depth = mark;
	L->sdepth = smark;
}

void lower_block(struct lower *L, struct node *blk)
{
	for (struct node *s = blk->list; s; s = s->next)
		lower_stmt(L, s);
}
