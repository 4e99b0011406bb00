#include "usdt_args.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "%name" at *p → pt_regs offset; advances *p. -1 if unknown. */
static int parse_reg(const char **p, int *shift)
{
	if (**p != '%')
		return -1;
	const char *s = *p + 1;
	size_t n = 0;
	while (isalnum((unsigned char)s[n]))
		n++;
	for (size_t i = 0; i < sizeof(pt_asm_regs) / sizeof(pt_asm_regs[0]); i++)
		if (strlen(pt_asm_regs[i].name) == n && !strncmp(pt_asm_regs[i].name, s, n)) {
			*p = s + n;
			*shift = pt_asm_regs[i].shift;
			return pt_asm_regs[i].off;
		}
	return -1;
}

static int parse_one(const char *tok, struct usdt_arg *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	a->index = -1;
	char *end;
	long size = strtol(tok, &end, 10);
	if (*end != '@' || !size || labs(size) > 8 || (labs(size) & (labs(size) - 1))) {
		snprintf(err, errlen, "cannot read USDT argument '%s': no SIZE@ prefix", tok);
		return -1;
	}
	a->size = (int)labs(size);
	a->is_signed = size < 0;
	const char *p = end + 1;
	int shift;
	if (*p == '$') {
		a->kind = UA_CONST;
		a->value = strtoll(p + 1, &end, 0);
		if (*end) {
			snprintf(err, errlen, "cannot read USDT constant '%s'", tok);
			return -1;
		}
		/* the compiler writes (uint32_t)-5 as 4@$-5: the size and sign make the value */
		if (a->size < 8) {
			int bits = a->size * 8;
			uint64_t v = (uint64_t)a->value & ((1ull << bits) - 1);
			if (a->is_signed && (v >> (bits - 1)))
				v |= ~0ull << bits;
			a->value = (int64_t)v;
		}
		return 0;
	}
	if (*p == '%') {
		a->kind = UA_REG;
		a->reg = parse_reg(&p, &a->shift);
		if (a->reg < 0 || *p) {
			snprintf(err, errlen, "unknown register in USDT argument '%s'", tok);
			return -1;
		}
		return 0;
	}
	/* [DISP](%base[,%index[,scale]]) */
	a->kind = UA_MEM;
	if (*p == '-' || isdigit((unsigned char)*p)) {
		a->value = strtoll(p, &end, 0);
		p = end;
	} else if (*p != '(') {
		/* SYM, SYM+OFF or SYM-OFF before (%rip): a global variable */
		size_t n = strcspn(p, "+-(");
		if (!n || n >= sizeof(a->sym)) {
			snprintf(err, errlen, "cannot read USDT memory operand '%s'", tok);
			return -1;
		}
		memcpy(a->sym, p, n);
		p += n;
		if (*p == '+' || *p == '-') {
			a->value = strtoll(p, &end, 0);
			p = end;
		}
	}
	if (*p++ != '(' || (a->reg = parse_reg(&p, &shift)) < 0) {
		snprintf(err, errlen, "cannot read USDT memory operand '%s'", tok);
		return -1;
	}
	if (a->sym[0] && a->reg != USDT_REG_IP) {
		snprintf(err, errlen, "USDT argument '%s' names a symbol with a register other than %%rip", tok);
		return -1;
	}
	if (a->reg == USDT_REG_IP && !a->sym[0]) {
		/* a bare displacement from %rip depends on an instruction the note does not describe */
		snprintf(err, errlen, "USDT argument '%s' is %%rip-relative without a symbol: sonde cannot place it", tok);
		return -1;
	}
	if (*p == ',') {
		p++;
		a->index = parse_reg(&p, &shift);
		a->scale = 1;
		if (*p == ',') {
			a->scale = (int)strtol(p + 1, &end, 10);
			p = end;
		}
		if (a->index < 0 || (a->scale != 1 && a->scale != 2 && a->scale != 4 && a->scale != 8)) {
			snprintf(err, errlen, "cannot read USDT index operand '%s'", tok);
			return -1;
		}
	}
	if (*p != ')' || p[1]) {
		snprintf(err, errlen, "cannot read USDT memory operand '%s'", tok);
		return -1;
	}
	return 0;
}

int usdt_parse_args(const char *spec, struct usdt_arg *args, int max, char *err, size_t errlen)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", spec);
	int n = 0;
	for (char *tok = strtok(buf, " \t"); tok; tok = strtok(NULL, " \t")) {
		if (n == max) {
			snprintf(err, errlen, "more than %d USDT arguments", max);
			return -1;
		}
		if (parse_one(tok, &args[n], err, errlen))
			return -1;
		n++;
	}
	return n;
}
