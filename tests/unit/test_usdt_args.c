/* USDT operand specs (probe/usdt_args.c): every operand kind the issue lists, and refusals. */
#include "test.h"
#include "probe/usdt_args.h"
#include <string.h>

static int parse(const char *spec, struct usdt_arg *a, char *err)
{
	return usdt_parse_args(spec, a, USDT_MAX_ARGS, err, 256);
}

TEST(test_usdt_registers_constants_and_sizes)
{
	struct usdt_arg a[USDT_MAX_ARGS];
	char err[256];
	EXPECT_INT(parse("-4@%eax 8@%rbp 1@%ah -2@$-7 8@$0x10", a, err), 5);
	EXPECT_INT(a[0].kind, UA_REG);
	EXPECT_INT(a[0].size, 4);
	EXPECT_INT(a[0].is_signed, 1);
	EXPECT_INT(a[0].reg, 80);	/* pt_regs ax */
	EXPECT_INT(a[1].reg, 32);	/* bp: a general register here */
	EXPECT_INT(a[2].shift, 8);	/* ah: the second byte of ax */
	EXPECT_INT(a[3].kind, UA_CONST);
	EXPECT_INT(a[3].value, -7);
	EXPECT_INT(a[4].value, 16);
}

TEST(test_usdt_memory_operands)
{
	struct usdt_arg a[USDT_MAX_ARGS];
	char err[256];
	EXPECT_INT(parse("-4@112(%rsp) 8@(%rsi) 8@-16(%rbx,%rcx,8)", a, err), 3);
	EXPECT_INT(a[0].kind, UA_MEM);
	EXPECT_INT(a[0].value, 112);
	EXPECT_INT(a[0].index, -1);
	EXPECT_INT(a[1].value, 0);
	EXPECT_INT(a[2].value, -16);
	EXPECT_INT(a[2].scale, 8);
	EXPECT_INT(a[2].index, 88);	/* cx */
}

TEST(test_usdt_globals_relative_to_rip)
{
	struct usdt_arg a[USDT_MAX_ARGS];
	char err[256];
	EXPECT_INT(parse("-8@sonde_counter(%rip) 4@table+8(%rip) 4@t-4(%rip)", a, err), 3);
	EXPECT_STR(a[0].sym, "sonde_counter");
	EXPECT_INT(a[0].reg, USDT_REG_IP);
	EXPECT_INT(a[0].value, 0);
	EXPECT_STR(a[1].sym, "table");
	EXPECT_INT(a[1].value, 8);
	EXPECT_INT(a[2].value, -4);
}

TEST(test_usdt_bad_operands_are_refused_with_the_token)
{
	struct usdt_arg a[USDT_MAX_ARGS];
	char err[256];
	EXPECT_INT(parse("%eax", a, err), -1);
	EXPECT_STR(err, "cannot read USDT argument '%eax': no SIZE@ prefix");
	EXPECT_INT(parse("4@%xyz", a, err), -1);
	EXPECT_STR(err, "unknown register in USDT argument '4@%xyz'");
	EXPECT_INT(parse("4@16(%rip)", a, err), -1);
	EXPECT_STR(err, "USDT argument '4@16(%rip)' is %rip-relative without a symbol: sonde cannot place it");
	EXPECT_INT(parse("4@sym(%rax)", a, err), -1);
	EXPECT_STR(err, "USDT argument '4@sym(%rax)' names a symbol with a register other than %rip");
	EXPECT_INT(parse("3@%eax", a, err), -1);
	EXPECT_INT(parse("8@-16(%rbx,%rcx,3)", a, err), -1);
}

TEST(test_usdt_constants_take_their_operand_size_and_sign)
{
	struct usdt_arg a[6];
	char err[128];
	EXPECT_INT(usdt_parse_args("4@$-202182160 2@$-3600 1@$-16 -1@$-16 -2@$-3 8@$-1", a, 6, err, sizeof(err)), 6);
	EXPECT_INT(a[0].value, 4092785136);
	EXPECT_INT(a[1].value, 61936);
	EXPECT_INT(a[2].value, 240);
	EXPECT_INT(a[3].value, -16);
	EXPECT_INT(a[4].value, -3);
	EXPECT_INT(a[5].value, -1);
}
