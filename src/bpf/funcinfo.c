/*
 * BTF for programs with a callback subprogram. The verifier takes a
 * bpf_loop() callback only from a program with func_info, the callback
 * marked static; sonde has no compiler to write that BTF, so it is built
 * here: `long main(void *ctx)` (global) and `long cb(long i, void *st)` (static).
 */
#include "funcinfo.h"
#include <bpf/bpf.h>
#include <linux/btf.h>
#include <string.h>

static const char strings[] = "\0long\0ctx\0sonde_main\0i\0st\0sonde_walk_step";
enum { S_LONG = 1, S_CTX = 6, S_MAIN = 10, S_I = 21, S_ST = 23, S_STEP = 26 };

int bpf_funcinfo_btf(void)
{
	uint32_t types[] = {
		/* [1] long */
		S_LONG, BTF_KIND_INT << 24, 8, BTF_INT_SIGNED << 24 | 64,
		/* [2] void * */
		0, BTF_KIND_PTR << 24, 0,
		/* [3] long (void *ctx) */
		0, BTF_KIND_FUNC_PROTO << 24 | 1, 1, S_CTX, 2,
		/* [4] sonde_main, global */
		S_MAIN, BTF_KIND_FUNC << 24 | BTF_FUNC_GLOBAL, 3,
		/* [5] long (long i, void *st) */
		0, BTF_KIND_FUNC_PROTO << 24 | 2, 1, S_I, 1, S_ST, 2,
		/* [6] sonde_walk_step, static */
		S_STEP, BTF_KIND_FUNC << 24 | BTF_FUNC_STATIC, 5,
	};
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h),
				.type_off = 0, .type_len = sizeof(types), .str_off = sizeof(types),
				.str_len = sizeof(strings) };
	char blob[sizeof(h) + sizeof(types) + sizeof(strings)];
	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), types, sizeof(types));
	memcpy(blob + sizeof(h) + sizeof(types), strings, sizeof(strings));
	return bpf_btf_load(blob, sizeof(blob), NULL);
}

void bpf_funcinfo_fill(struct bpf_func_info fi[2], int sub_at)
{
	fi[0] = (struct bpf_func_info){ .insn_off = 0, .type_id = 4 };
	fi[1] = (struct bpf_func_info){ .insn_off = (uint32_t)sub_at, .type_id = 6 };
}
