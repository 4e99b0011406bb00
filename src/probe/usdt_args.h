/* USDT argument specs ("-4@%eax 8@-16(%rbp) 8@$5") → where each value lives. */
#ifndef SONDE_USDT_ARGS_H
#define SONDE_USDT_ARGS_H
#include <stddef.h>
#include <stdint.h>
#include "../arch/arch.h"

#define USDT_MAX_ARGS 12

enum usdt_arg_kind { UA_CONST, UA_REG, UA_MEM };

struct usdt_arg {
	enum usdt_arg_kind kind;
	int size;		/* bytes: 1, 2, 4 or 8 */
	int is_signed;
	int64_t value;		/* the constant, or the memory displacement */
	int reg, shift;		/* pt_regs offset of the (base) register; 8 for %ah-style bytes */
	int index, scale;	/* memory: index register (pt_regs offset) or -1 */
	char sym[128];		/* SYM[+OFF](%rip): a global; the expander turns it into an ip-relative value */
};

#define USDT_REG_IP PT_IP	/* at a uprobe, ip is the probed address */

/* Parses a whole spec; returns the argument count, or -1 with err filled in. */
int usdt_parse_args(const char *spec, struct usdt_arg *args, int max, char *err, size_t errlen);

#endif
