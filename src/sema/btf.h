/* Kernel types from vmlinux BTF, loaded on first use only. */
#ifndef SONDE_BTF_H
#define SONDE_BTF_H
#include "types.h"

struct btf;
/* NULL when the kernel has no BTF; loads it once. The script's types over it, when it has some. */
struct btf *kbtf_get(void);
/* The kernel's own BTF; NULL when it has none. */
struct btf *kbtf_vmlinux(void);
/* The script's types (sema/ctypes.c), split over the kernel's; owned from now on. */
void kbtf_set_script(struct btf *b);
/* A named type of a BTF kind, the script's before the kernel's; -1 if none. */
int kbtf_find_named(const char *name, int kind);
/* Type id of `struct NAME` (or union); -1 if none. */
int kbtf_find_struct(const char *name);
/* Field of a struct/union (anonymous members searched). 0 or -1. */
int kbtf_field(int struct_id, const char *field, int *off, int *type_id);
/* Member i of a struct/union: 0 with its name ("" if anonymous), byte offset and type; 1 for a bit-field; -1 past the last. */
int kbtf_member(int struct_id, int i, const char **name, int *off, int *type_id);
/* Our type for a BTF type id: int, pointer, struct, array (char arrays are strings). */
struct type *kbtf_type(struct arena *a, int type_id);
const char *kbtf_name(int type_id);
/* Whether a type id is a struct or union (through typedefs and qualifiers). */
int kbtf_type_is_struct(int type_id);
/* The value of an enumerator of the kernel's BTF (TCP_ESTABLISHED, SKB_DROP_REASON_NO_SOCKET…); 0, or -1. */
int kbtf_enum_value(const char *name, int64_t *value);
/* The same, returning the enum's type id (-1 if none). */
int kbtf_enum_find(const char *name, int64_t *value);
/* BTF id of a kernel function (for kfunc calls); -1 if none. */
int kbtf_find_func(const char *name);
void kbtf_release(void);

#endif
