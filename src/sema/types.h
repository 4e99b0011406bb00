/* Value types of the language, their layout in memory, keys and records. */
#ifndef SONDE_TYPES_H
#define SONDE_TYPES_H
#include <stdint.h>
#include "../util/util.h"

enum type_kind {
	TY_NONE, TY_VOID, TY_INT, TY_BOOL, TY_STR, TY_TUPLE, TY_PTR, TY_STRUCT, TY_ARRAY,
	TY_INET, TY_TIME, TY_PROBE,
	TY_FUNC,	/* `func`: the probe id; user space prints the probed function's name */
	TY_KSYM,	/* ksym(addr): a kernel address, printed as its function's name */
	TY_NAMED,	/* cgroup_path(id), signal_name(n)…: a number user space prints by name (naming) */
	TY_USYM,	/* usym(addr): u64 address, u64 pid; printed as the function's name */
	TY_BUF,		/* buf(p, n): u64 length, then the bytes (size: 8 + capacity) */
	TY_STACK,	/* kstack/ustack: u64 hash of the frames (their key in the stack table), u64 pid (user) */
	TY_ARGS,	/* a tracepoint's args: only its fields are values */
	/* aggregation values: only in maps */
	TY_COUNT, TY_SUM, TY_MIN, TY_MAX, TY_AVG, TY_STATS, TY_HIST, TY_LHIST,
	TY_TSERIES,	/* tseries(n, interval, count[, agg]): per slot {epoch, value, count}, a plain (not per-CPU) map */
};

/* tseries()'s reduction of the values of one interval */
enum tseries_agg { TSERIES_LAST, TSERIES_AVG, TSERIES_MAX, TSERIES_MIN, TSERIES_SUM };

/* What a TY_NAMED number names. */
enum naming { NAMED_CGROUP, NAMED_SIGNAL, NAMED_ERRNO, NAMED_SYSCALL, NAMED_USER, NAMED_COMM };

/* The enumerators of an enum type: an enum-typed value prints as its name (bpftrace 0.22). */
struct type_enum {
	int n;
	int64_t *vals;
	const char **names;
};

struct type {
	enum type_kind kind;
	int size;		/* bytes in a slot, key or record (8-byte multiple for memory values) */
	int is_signed;		/* TY_INT, and the value type of sum/min/max/avg/stats */
	int width;		/* TY_INT widened into a variable or map: the value's own size (bswap) */
	int nfields;		/* TY_TUPLE */
	struct type **fields;
	int *offs;
	char **names;		/* TY_TUPLE of a record: its field names (printed `{ .a = 1 }`); a held TY_STRUCT's members; else NULL */
	int btf_id;		/* TY_PTR: pointee; TY_STRUCT: the struct; TY_ARRAY: element */
	int array_len;		/* TY_ARRAY */
	int elem_size;		/* TY_ARRAY element size; a held TY_STRUCT's own size */
	int is_chars;		/* TY_ARRAY of char: read as a string */
	int in_ctx;		/* TY_ARRAY: bytes in the probe's context record (tracepoint fields) */
	int data_loc;		/* TY_ARRAY in_ctx: a __data_loc u32 {offset, length} points at it */
	int user_addr;		/* TY_INT holding a user-space address (str() reads user memory) */
	int user_mem;		/* TY_PTR/TY_STRUCT/TY_ARRAY in user memory (a cast user address, DWARF args) */
	uint64_t dw_die;	/* DWARF-typed TY_PTR: the pointee struct; TY_STRUCT: the struct */
	const char *dw_path;	/* the file whose DWARF has dw_die; NULL: typed by kernel BTF */
	int64_t lmin, lmax, lstep;	/* TY_LHIST */
	int hist_bits;		/* TY_HIST: 2^hist_bits buckets per power of two (hist(n, k)) */
	int64_t ts_interval;	/* TY_TSERIES: the interval, ns */
	int ts_count;		/* TY_TSERIES: intervals kept */
	int ts_agg;		/* TY_TSERIES: enum tseries_agg */
	int time_fmt;		/* TY_TIME: index of the strftime format */
	int naming;		/* TY_NAMED: enum naming */
	int stack_user;		/* TY_STACK: ustack (else kstack) */
	int stack_mode;		/* TY_STACK: STACK_BPFTRACE, STACK_PERF or STACK_RAW */
	int stack_limit;	/* TY_STACK: frames kept, 1..STACK_MAX_FRAMES */
	const struct type_enum *enums;	/* TY_INT of an enum type; NULL otherwise */
	int held;		/* TY_ARRAY copied into a variable, map or record (fields[0]: its element type), not a place in memory;
				 * TY_STRUCT likewise (members in fields/offs/names, elem_size its own size) */
};

enum stack_mode { STACK_BPFTRACE, STACK_PERF, STACK_RAW, STACK_PYTHON, STACK_BUILD_ID };	/* python: Python frames only, bpftrace's layout; build_id: BUILD-ID + 0xFILE-OFFSET (user) */
#define STACK_MAX_FRAMES 127	/* the kernel's perf_event_max_stack default, as bpftrace */
#define STACK_TABLE_DEFAULT 16384	/* distinct stacks kept, as BCC's --stack-storage-size */

/*
 * Layout rules (design.md): integers are 8 bytes in keys, maps and records;
 * strings are `strlen` bytes, zero-filled after the NUL so equal strings have
 * equal bytes; tuples pack their fields at 8-byte aligned offsets.
 */
extern int sonde_strlen;	/* 64 unless BPFTRACE_STRLEN says otherwise */

struct type *type_int(struct arena *a, int size, int is_signed);
struct type *type_simple(struct arena *a, enum type_kind kind);
struct type *type_str(struct arena *a);
struct type *type_tuple(struct arena *a, struct type **fields, int n);
/* The type a value has once stored in a map or variable: ints widen to 64 bits. */
struct type *type_stored(struct arena *a, struct type *t);
int type_equal(const struct type *a, const struct type *b);
int type_is_scalar(const struct type *t);	/* lives in a register */
int type_is_agg(const struct type *t);		/* count(), hist() … */
int type_is_stringish(const struct type *t);	/* printable with %s */
/* A TY_ARRAY's bytes: its elements', though a copy's slot (size) is rounded up to 8 */
int type_array_bytes(const struct type *t);
/* bpftrace's spelling: int64, uint32, string[64], (int64,string[64]), hist_t … */
void type_name(const struct type *t, struct strbuf *out);

#endif
