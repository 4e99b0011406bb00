/* DWARF (libdw) → the parameters of a C function: names, types as C spells them, registers. */
#ifndef SONDE_DWARF_H
#define SONDE_DWARF_H
#include "../util/util.h"

enum dw_kind {
	DWP_INT,	/* integers, chars, bools, enums */
	DWP_PTR,	/* pointers: user addresses */
	DWP_OTHER,	/* floats, structs and unions by value: not read */
};

struct dw_param {
	char *name;
	char *type;		/* "const char*", "long int", "struct point*" */
	enum dw_kind kind;
	int size;
	int is_signed;
	int reg;		/* argument register at entry, -1 when not in one: SysV's 0-5 (rdi, rsi, …),
				 * or for Go (is_go) 0-8 of RAX, RBX, RCX, RDI, RSI, R8-R11 */
	int go_first, go_nint;	/* Go: the integer registers the whole value takes (0: none, stack) */
	uint64_t pointee;	/* DWP_PTR to a struct or union: its DIE, else 0 */
};

/* A struct member's type, seen through typedefs and qualifiers. */
struct dw_type {
	enum dw_kind kind;	/* DWP_OTHER: see is_struct / is_chars */
	int size, is_signed;
	uint64_t die;		/* DWP_PTR: the pointee struct's DIE (0: none); is_struct: the struct's */
	int is_struct;		/* a struct or union by value */
	int is_chars;		/* char[N]: a string of array_len bytes */
	int array_len;
};

struct dw_params {
	VEC(struct dw_param) v;
	int is_go;		/* a Go function: registers follow Go's internal ABI */
};

/* The files opened so far, each with an index of its functions. */
struct dw_cache;
struct dw_cache *dw_cache_new(void);
void dw_cache_free(struct dw_cache *c);

/* Parameters of FUNC (at link-time address ADDR when known, else 0) in the ELF file
 * PATH (or its separate debug file): 0, -ENODATA when the file has no DWARF,
 * -ENOENT when DWARF does not describe FUNC. *out stays owned by the cache. */
int dw_func_params(struct dw_cache *c, const char *path, const char *func, uint64_t addr,
		   const struct dw_params **out);

/* The member NAME of the struct at DIE (anonymous members searched too): 0, -ENOENT,
 * or -EOPNOTSUPP for a bit-field. */
int dw_struct_field(struct dw_cache *c, const char *path, uint64_t die, const char *name, int *off,
		    struct dw_type *out);
/* The offset of MEMBER in the struct named TYPE ("runtime.g", "goid"): 0, -ENODATA, -ENOENT. */
int dw_member_offset(struct dw_cache *c, const char *path, const char *type, const char *member, int *off);
/* "struct point" for messages; written into buf. */
const char *dw_type_name(struct dw_cache *c, const char *path, uint64_t die, char *buf, size_t n);

#endif
