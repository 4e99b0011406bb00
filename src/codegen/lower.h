/* Shared by the lowering files: the state of one block's lowering. */
#ifndef SONDE_LOWER_H
#define SONDE_LOWER_H
#include "codegen.h"

struct formap_prog;

struct lower {
	struct ir_func *f;
	struct script *s;
	struct probe_block *blk;
	const struct codegen_env *env;
	int l_exit;		/* the epilogue: return 0 */
	int l_break, l_continue;	/* the innermost while loop's exits, -1 outside */
	int ret_slot;		/* test: probes: their return value, 0 unless `return N` */
	int probe_slot;		/* dispatched blocks: the probe id, found by the prologue; else 0 */
	int depth;		/* frame bytes in use now; f->stack keeps the peak */
	int sdepth;		/* scratch bytes in use now; f->scratch keeps the peak */
	int stack_budget;	/* frame bytes for slots before scratch is used */
	int may_sleep;		/* user reads may fault pages in (the program then loads sleepable) */
	int uses_unwind;	/* a ustack walks CFI: the unwinder's callback is appended */
	struct formap_prog *fm;	/* formap.c: the probe's map-loop callbacks; NULL without any */
};

/* A helper argument: a virtual register, an immediate, a frame address or a map. */
enum harg_kind { HA_REG, HA_IMM, HA_FP, HA_MAP, HA_FUNC };
struct harg {
	enum harg_kind kind;
	int64_t v;
};
#define HREG(r) ((struct harg){ HA_REG, (r) })
#define HIMM(x) ((struct harg){ HA_IMM, (x) })
#define HFP(off) ((struct harg){ HA_FP, (off) })
#define HMAP(fd) ((struct harg){ HA_MAP, (fd) })
#define HFUNC ((struct harg){ HA_FUNC, 0 })	/* the program's bpf_loop callback */

int slot_alloc(struct lower *L, int size);	/* frame offset (negative), 8-aligned; may be scratch */
int slot_alloc_stack(struct lower *L, int size);	/* always on the stack */
int helper_call(struct lower *L, int helper, int n, const struct harg *args);	/* vreg with R0 */
int kfunc_call(struct lower *L, int btf_id, int n, const struct harg *args);	/* a kernel function by BTF id: R0 */
void zero_slot(struct lower *L, int off, int size);
void copy_slot(struct lower *L, int dst, int src, int size);
void copy_from_ptr(struct lower *L, int dst, int ptr, int size);
void copy_to_ptr(struct lower *L, int ptr, int src, int size);

int lower_scalar(struct lower *L, struct node *n);
int lower_mem(struct lower *L, struct node *n);		/* slot of the value (may be a variable: read only) */
void lower_mem_into(struct lower *L, struct node *n, int off);
/* Stores the value of n, of stored type t, at frame offset off. */
void store_value(struct lower *L, struct node *n, const struct type *t, int off);

/* Stores the current process's id at frame offset pid_off and notes it in the usym() set. */
void note_user_process(struct lower *L, int pid_off);

/* exprs.c */
void lower_extend(struct lower *L, int r, int size, int is_signed);	/* the low `size` bytes of r to 64 bits */
int lower_is_signed(const struct type *t);
int lower_str_eq(struct lower *L, struct node *n);
int lower_strncmp(struct lower *L, struct node *n);
int lower_incdec(struct lower *L, struct node *n);	/* ++/--: the new value (prefix) or the old one */

/* memory.c */
int lower_var_off(struct lower *L, struct node *n);	/* a variable's frame slot */
int lower_field_in_user_mem(const struct node *n);
int read_kernel_scalar(struct lower *L, int addr, const struct type *t, int user);
int lower_addr(struct lower *L, struct node *n);	/* address of a struct/array value (x->s, args.arr) */

/* context.c: the context as the block's provider described it */
const struct ctx_loc *lower_ctx_of(struct lower *L, const struct node *n);	/* what sema noted in n->ival */
int lower_ctx(struct lower *L, const struct ctx_loc *c);	/* a scalar's vreg */
int lower_ctx_addr(struct lower *L, const struct ctx_loc *c);	/* an array's address in the record */
int lower_probe_id(struct lower *L);
void lower_guard(struct lower *L);
void lower_dispatch(struct lower *L);

/* stdlib.c */
void lower_str_concat(struct lower *L, struct node *n, int off);
void lower_comm_of(struct lower *L, struct node *n, int off);
int lower_pton_addr(struct lower *L, struct node *n);	/* pton()'s bytes, as an array's address */
int lower_array_eq(struct lower *L, struct node *n);	/* == / != of two arrays of one size */
int lower_slots_eq(struct lower *L, struct node *n, int a, int b, int size);	/* == / != over two slots */
void lower_array_into(struct lower *L, struct node *n, int off);	/* an integer array's bytes into a slot */
int slot_addr(struct lower *L, int off);	/* a slot's address (frame or scratch) in a vreg */

/* stmts.c */
void lower_block(struct lower *L, struct node *blk);

/* formap.c: for ($kv : @m) as bpf_for_each_map_elem() callbacks. formap_plan() starts
 * the frame's header (if the block has such loops; before the variables, whose strings
 * and tuples formap_var_slot() then puts in scratch), formap_scratch_save() is its R9 slot
 * (0: none), formap_finish() appends the callbacks to out; formap_discard() on errors. */
void formap_plan(struct lower *L);
int formap_var_slot(struct lower *L, int size);
int formap_scratch_save(const struct lower *L);
void lower_for_map(struct lower *L, struct node *n);
int formap_finish(struct lower *L, int scratch, struct emitted *out, struct strbuf *dump, char *err, size_t errlen);
void formap_discard(struct lower *L);

/* stacks.c: kstack/ustack into the 16-byte slot at off */
void lower_stack(struct lower *L, struct node *n, int off);

#define UNWIND_STATE_SIZE 104	/* the walk's state, after a user stack's frame buffer */
/* unwind.c: the CFI walk of the user stack into the frame buffer at buf ({nr, ips[]});
 * the vreg holding the frame count, or -1 (with a jump to l_plain) when the walk does not apply. */
int lower_unwind(struct lower *L, int buf, int limit, int l_plain);
/* Appends the walk's bpf_loop callback to a program that uses it; 0 or -1 with err. */
int unwind_append_callback(const struct codegen_env *env, struct emitted *out, char *err, size_t errlen);

/* pystack.c: appends the current thread's Python frames (python/layout.h) after the nr
 * frames in the buffer at buf, up to limit; the vreg holding the new count. */
int lower_pystack(struct lower *L, int buf, int nr, int limit);

/* maps.c */
int map_build_key(struct lower *L, struct node *mapnode, int extra);
int lower_map_read(struct lower *L, struct node *n, int into_off);	/* scalar vreg, or -1 for memory */
int lower_agg_read(struct lower *L, const struct mapinfo *m, int key);	/* count/sum/min/max/avg over the CPUs */
void lower_map_assign(struct lower *L, struct node *assign);
/* Returns the vreg holding the new value. */
int lower_map_compound(struct lower *L, struct node *lhs, uint8_t op, struct node *rhs, int64_t imm);
void lower_delete(struct lower *L, struct node *call);
int lower_has_key(struct lower *L, struct node *call);
int lower_find(struct lower *L, struct node *call);	/* find(@m, k, $v) */

/* usermem.c: helper(dst, len, addr) for any probe_read helper; a user read that
 * fails is retried after faulting its pages in (when L->may_sleep) and then counted. */
void read_into(struct lower *L, int helper, struct harg dst, struct harg len, int addr);

/* records.c */
void lower_record_call(struct lower *L, struct node *call);
uint8_t binop_code(enum tok op);
void lower_arith(struct lower *L, uint8_t op, int is_signed, int dst, int src);

#endif
