/*
 * BTF for programs with a callback subprogram. The verifier takes a
 * bpf_loop() callback only from a program with func_info, the callback
 * marked static; sonde has no compiler to write that BTF, so it is built
 * here: `long main(void *ctx)` (global), `long cb(long i, void *st)` (static,
 * the stack walk's) and `long elem(void *map, void *key, void *value, void *ctx)`
 * (static, each for ($kv : @m) loop's body, codegen/formap.c).
 */
#include "funcinfo.h"
#include <bpf/bpf.h>
#include <linux/btf.h>
#include <string.h>

static const char strings[] = "\0long\0ctx\0sonde_main\0i\0st\0sonde_walk_step\0map\0key\0value\0sonde_map_elem";
enum { S_LONG = 1, S_CTX = 6, S_MAIN = 10, S_I = 21, S_ST = 23, S_STEP = 26, S_MAP = 42, S_KEY = 46, S_VALUE = 50,
       S_ELEM = 56 };

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
		/* [7] long (void *map, void *key, void *value, void *ctx) */
		0, BTF_KIND_FUNC_PROTO << 24 | 4, 1, S_MAP, 2, S_KEY, 2, S_VALUE, 2, S_CTX, 2,
		/* [8] sonde_map_elem, static */
		S_ELEM, BTF_KIND_FUNC << 24 | BTF_FUNC_STATIC, 7,
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

int bpf_funcinfo_fill(struct bpf_func_info *fi, const struct emitted *code)
{
	int n = 0;
	fi[n++] = (struct bpf_func_info){ .insn_off = 0, .type_id = 4 };
	for (int k = 0; k < code->ncb; k++)	/* placed before the stack walk's */
		fi[n++] = (struct bpf_func_info){ .insn_off = (uint32_t)code->cb_at[k], .type_id = 8 };
	if (code->sub_at)
		fi[n++] = (struct bpf_func_info){ .insn_off = (uint32_t)code->sub_at, .type_id = 6 };
	return n;
}
