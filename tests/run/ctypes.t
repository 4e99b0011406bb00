### a_script_struct_has_gccs_layout_and_reads_user_memory
The target prints gcc's sizeof/offsetof of the same struct, then passes one to take().
--- flags
-q -c build/targets/ctypes
--- prog
enum color { RED, GREEN = 5, BLUE };
struct inner { short s; long l; };
typedef struct inner inner_t;
struct rec {
	char c;
	int i;
	char name[10];
	inner_t in;
	struct inner pair[2];
	int m[2][3];
	enum color col;
	union {
		int ui;
		unsigned char bytes[8];
	};
	struct rec *next;
	const char *strs[2];
	unsigned char flag;
	long long tail;
};
uprobe:build/targets/ctypes:take /pid == cpid/ {
	printf("gcc: %d %d %d %d %d %d %d %d\n", sizeof(struct rec), offsetof(struct rec, name),
	       offsetof(struct rec, in.l), offsetof(struct rec, pair), offsetof(struct rec, m),
	       offsetof(struct rec, col), offsetof(struct rec, next), offsetof(struct rec, tail));
	$r = (struct rec *)arg0;
	printf("%c %d %s %d %d\n", $r->c, $r->i, $r->name, $r->in.s, $r->in.l);
	printf("%d %d %d %d %d\n", $r->pair[0].l, $r->pair[1].s, $r->pair[1].l, $r->m[0][1], $r->m[1][2]);
	printf("%s %d %x %d\n", $r->col, $r->col, $r->ui, $r->bytes[0]);
	printf("%s %d %s\n", $r->next->name, $r->next->i, $r->next->col);
	printf("%s %s %d %lld\n", str($r->strs[0]), str($r->strs[1]), $r->flag, $r->tail);
	printf("%d %d\n", sizeof($r->pair), sizeof($r->in));
}
--- stdout
gcc: 152 8 32 40 72 96 112 144
gcc: 152 8 32 40 72 96 112 144
a -7 hello 3 40
50 6 60 2 6
BLUE 6 1020304 4
second 2 GREEN
x0 y1 200 -1234567890123
32 16

### a_script_struct_over_kernel_memory_can_hold_kernel_types
--- prog
struct wrap { struct task_struct t; };
struct holder { long pad; struct task_struct *task; };
BEGIN {
	$w = (struct wrap *)curtask;
	printf("%d %d %d\n", $w->t.pid == pid, ((struct wrap *)curtask)->t.tgid == pid, $w->t.comm == comm);
	printf("%d\n", sizeof(struct wrap) == sizeof(struct task_struct));
	printf("%d %d\n", sizeof(struct holder), offsetof(struct holder, task));
	exit();
}
--- stdout
1 1 1
1
16 8

### enumerators_are_constants_and_enum_values_print_by_name
bpftrace 0.22: %s and print() of an enum-typed value give the enumerator's name; a value without one prints as a number.
--- prog
enum color { RED, GREEN = 5, BLUE };
enum { FLAG_A = 1 << 3, FLAG_B = FLAG_A | 1, NEG = -2, SUM = (FLAG_A + 2) * 3 };
typedef enum color color_t;
BEGIN {
	printf("%d %d %d %d %d %d %d\n", RED, GREEN, BLUE, FLAG_A, FLAG_B, NEG, SUM);
	printf("%s %s %s %d\n", (enum color)5, (color_t)0, (enum color)9, (enum color)6);
	printf("%s %s %d\n", BLUE, TCP_ESTABLISHED, BLUE + 1);
	print((enum color)6);
	@c = (color_t)5;
	@k[(enum color)0] = 1;
	@k[(enum color)7] = 2;
	printf("%d\n", sizeof(enum color));
	exit();
}
--- stdout
0 5 6 8 9 -2 30
GREEN RED 9 6
BLUE TCP_ESTABLISHED 7
BLUE
4


@c: GREEN
@k[RED]: 1
@k[7]: 2

### typedefs_name_integers_structs_and_pointers
--- prog
typedef unsigned short u16t;
typedef long long i64t;
typedef struct { int a; char b; } anon_t;
typedef struct inner { int x; int y; } inner_t;
typedef inner_t *inner_p;
BEGIN {
	printf("%d %d %d\n", (u16t)70000, (i64t)-1, sizeof(u16t));
	printf("%d %d %d %d\n", sizeof(anon_t), sizeof(inner_t), sizeof(struct inner), offsetof(inner_t, y));
	printf("%d\n", sizeof(inner_p));
	exit();
}
--- stdout
4464 -1 2
8 8 8 4
8

### unions_nested_and_anonymous_members_and_flexible_arrays
--- prog
union num { char c; long l; int arr[3]; };
struct outer {
	char tag;
	struct point { int x, y; } at;
	union { short s; long wide; };
	struct { char a; long b; } anon;
	int *ptrs[3];
	void (*callback)(int, char *);
	char data[];
};
BEGIN {
	printf("%d %d\n", sizeof(union num), offsetof(union num, arr));
	printf("%d %d %d %d\n", sizeof(struct outer), offsetof(struct outer, at.y), offsetof(struct outer, wide), offsetof(struct outer, anon.b));
	printf("%d %d %d\n", offsetof(struct outer, ptrs), offsetof(struct outer, callback), offsetof(struct outer, data));
	printf("%d\n", sizeof(struct point));
	exit();
}
--- stdout
16 0
72 8 16 32
40 64 72
8

### a_script_definition_shadows_the_kernels
As bpftrace: the script's struct wins over the kernel's of the same name.
--- prog
struct file { int x; char y; };
struct later { struct file *f; };
BEGIN {
	printf("%d %d\n", sizeof(struct file), offsetof(struct file, y));
	exit();
}
--- stdout
8 4

### pointers_to_structs_defined_later_resolve_by_name
--- prog
struct a { struct b *next; int v; };
struct b { long x; struct a back; };
BEGIN {
	printf("%d %d %d\n", sizeof(struct a), sizeof(struct b), offsetof(struct b, back.v));
	exit();
}
--- stdout
16 24 16

### a_field_a_script_struct_lacks_is_an_error
--- prog
struct rec { int a; char name[8]; };
BEGIN { $r = (struct rec *)0; printf("%d\n", $r->nope); }
--- rc
1
--- stderr
stdin:2:46-54: ERROR: Struct/union of type 'struct rec' does not contain a field named 'nope'
BEGIN { $r = (struct rec *)0; printf("%d\n", $r->nope); }
                                             ~~~~~~~~

### an_unknown_member_type_is_an_error
--- prog
struct rec { int a; nosuch_t b; };
BEGIN { exit(); }
--- rc
1
--- stderr
stdin:1:30-31: ERROR: Unknown type: 'nosuch_t'
struct rec { int a; nosuch_t b; };
                             ~

### an_incomplete_struct_member_is_an_error
--- prog
struct rec { int a; struct nowhere_defined b; };
BEGIN { exit(); }
--- rc
1
--- stderr
stdin:1:44-45: ERROR: Unknown struct/union: 'struct nowhere_defined' (define it before it is used as a member)
struct rec { int a; struct nowhere_defined b; };
                                           ~

### a_redefinition_is_an_error
--- prog
struct rec { int a; };
struct rec { long b; };
BEGIN { exit(); }
--- rc
1
--- stderr
stdin:2:1-11: ERROR: redefinition of struct 'rec'
struct rec { long b; };
~~~~~~~~~~

### a_duplicate_member_is_an_error
--- prog
struct rec { int a; long a; };
BEGIN { exit(); }
--- rc
1
--- stderr
stdin:1:26-27: ERROR: duplicate member 'a'
struct rec { int a; long a; };
                         ~

### a_redefined_enumerator_is_an_error
--- prog
enum one { A, B };
enum two { C, A };
BEGIN { exit(); }
--- rc
1
--- stderr
stdin:2:15-16: ERROR: redefinition of enumerator 'A'
enum two { C, A };
              ~

### an_enumerator_value_must_be_a_constant
--- prog
enum e { A = B + 1, B };
BEGIN { exit(); }
--- rc
1
--- stderr
stdin:1:14-15: ERROR: 'B' is not an enumerator defined before it
enum e { A = B + 1, B };
             ~

### bit_fields_are_refused_with_a_caret
--- prog
struct flags { unsigned int a : 3; };
BEGIN { exit(); }
--- rc
1
--- stderr
stdin:1:31-32: ERROR: bit-fields are not supported
struct flags { unsigned int a : 3; };
                              ~

### a_syntax_error_in_a_definition_points_at_the_token
--- prog
struct rec { int a b; };
BEGIN { exit(); }
--- rc
1
--- stderr
stdin:1:20-21: ERROR: syntax error, unexpected b, expecting ; or ,
struct rec { int a b; };
                   ~

### a_cast_to_an_unknown_struct_is_an_error
--- prog
struct rec { int a; };
BEGIN { $r = (struct nope *)0; exit(); }
--- rc
1
--- stderr
stdin:2:14-30: ERROR: Unknown struct/union: 'struct nope'
BEGIN { $r = (struct nope *)0; exit(); }
             ~~~~~~~~~~~~~~~~

### a_typedef_of_a_struct_casts_only_to_a_pointer
--- prog
typedef struct { int a; } rec_t;
BEGIN { $r = (rec_t)0; exit(); }
--- rc
1
--- stderr
stdin:2:14-22: ERROR: Cannot cast to "rec_t": cast to a pointer, e.g. (T *)
BEGIN { $r = (rec_t)0; exit(); }
             ~~~~~~~~

### enum_values_are_json_strings
--- flags
-q -f json
--- prog
enum color { RED, GREEN = 5, BLUE };
BEGIN { print((enum color)5); @c = (enum color)6; @k[(enum color)0] = 1; @k[(enum color)7] = 2; exit(); }
--- stdout
{"type": "value", "data": "GREEN"}
{"type": "map", "data": {"@c": "BLUE"}}
{"type": "map", "data": {"@k": {"RED": 1, "7": 2}}}

### arrays_are_copied_into_variables_and_maps_and_indexed_there
Multi-dimensional arrays, arrays of pointers, arrays as map keys and values, a run-time index (past the end reads 0).
--- flags
-q -c build/targets/ctypes
--- prog
struct inner { short s; long l; };
struct rec { char c; int i; char name[10]; struct inner in; struct inner pair[2]; int m[2][3]; int col; union { int ui; unsigned char bytes[8]; }; struct rec *next; const char *strs[2]; unsigned char flag; long long tail; };
uprobe:build/targets/ctypes:take /pid == cpid/ {
	$r = (struct rec *)arg0;
	$m = $r->m;
	$row = $r->m[1];
	$s = $r->strs;
	print($m);
	print($row);
	printf("%d %d %d\n", $m[1][2], $row[0], $m[0][1]);
	printf("%s %s\n", str($s[0]), str($s[1]));
	$i = 1; $j = 7;
	printf("%d %d %d\n", $row[$i], $row[$j], $r->m[$i][$i]);
	@rows[$r->m[0]] = 1;
	@rows[$r->m[1]] = 2;
	@byrow[$row, $r->i] = count();
	@mat = $r->m;
	printf("%d %d %d\n", sizeof($row), sizeof($m), sizeof($r->m[0]));
	exit();
}
--- stdout
gcc: 152 8 32 40 72 96 112 144
[[1,2,3],[4,5,6]]
[4,5,6]
6 4 2
x0 y1
5 0 5
12 24 12


@byrow[[4,5,6], -7]: 1
@mat: [[1,2,3],[4,5,6]]
@rows[[1,2,3]]: 1
@rows[[4,5,6]]: 2

### integers_and_integer_arrays_cast_both_ways
As bpftrace 0.19: the sizes must match; [] takes the length from the value.
--- prog
BEGIN {
	$a = (uint8[8])12345;
	$b = (int16[])-2;
	print($a);
	print($b);
	printf("%x %x %d %d\n", $a[0], $a[1], (uint64)$a, (int64)$b);
	$c = (int32[2])0x100000002;
	printf("%d %d %llu\n", $c[0], $c[1], (uint64)$c);
	@k[(uint8[8])1] = 1;
	exit();
}
--- stdout
[57,48,0,0,0,0,0,0]
[-2,-1,-1,-1]
39 30 12345 -2
2 1 4294967298


@k[[1,0,0,0,0,0,0,0]]: 1

### an_array_of_user_memory_casts_to_an_integer
--- flags
-q -c build/targets/ctypes
--- prog
struct rec { char c; int i; char name[10]; long in[2]; long pair[4]; int m[2][3]; int col; union { int ui; unsigned char bytes[8]; }; };
uprobe:build/targets/ctypes:take /pid == cpid/ {
	$r = (struct rec *)arg0;
	printf("%x %d\n", (uint64)$r->bytes, (int32)$r->bytes[0]);
	exit();
}
--- stdout
gcc: 152 8 32 40 72 96 112 144
1020304 4

### arrays_print_as_json_arrays
--- flags
-q -f json
--- prog
BEGIN { print((int8[])-1); @m[(uint16[4])0x10002] = (int32[2])0x700000009; exit(); }
--- stdout
{"type": "value", "data": [-1,-1,-1,-1,-1,-1,-1,-1]}
{"type": "map", "data": {"@m": {"[2,1,0,0]": [9,7]}}}

### an_array_cast_of_another_size_is_an_error
--- prog
BEGIN { $a = (uint8[4])12345; }
--- rc
1
--- stderr
stdin:1:14-29: ERROR: Cannot cast from "int64" to "uint8[4]": the sizes differ (8 and 4 bytes)
BEGIN { $a = (uint8[4])12345; }
             ~~~~~~~~~~~~~~~

### an_array_cast_to_an_integer_of_another_size_is_an_error
--- prog
BEGIN { $a = (uint8[8])1; $b = (uint32)$a; }
--- rc
1
--- stderr
stdin:1:32-42: ERROR: Cannot cast from "uint8[8]" to "uint32": an integer array of 4 bytes is needed
BEGIN { $a = (uint8[8])1; $b = (uint32)$a; }
                               ~~~~~~~~~~

### integer_arrays_compare_with_equals
--- flags
-q -c build/targets/ctypes
--- prog
struct rec { char c; int i; char name[10]; long in[2]; long pair[4]; int m[2][3]; };
uprobe:build/targets/ctypes:take /pid == cpid/ {
	$r = (struct rec *)arg0;
	$a = $r->m[1];
	printf("%d %d %d\n", $a == $r->m[1], $a != $r->m[1], $r->m[0] == $r->m[1]);
	printf("%d %d\n", (uint8[8])1 == (uint8[8])1, (int8[8])1 != (int8[8])2);
	exit();
}
--- stdout
gcc: 152 8 32 40 72 96 112 144
1 0 0
1 1

### arrays_of_different_sizes_do_not_compare
--- prog
BEGIN { $a = (uint8[8])1; $b = (uint16[])(uint32)1; printf("%d\n", $a == $b); }
--- rc
1
--- stderr
stdin:1:74-76: ERROR: an array compares with an array of the same size only (uint8[8] and uint16[2])
BEGIN { $a = (uint8[8])1; $b = (uint16[])(uint32)1; printf("%d\n", $a == $b); }
                                                                         ~~

### arrays_do_not_order
--- prog
BEGIN { $a = (uint8[8])1; printf("%d\n", $a < $a); }
--- rc
1
--- stderr
stdin:1:42-49: ERROR: arrays are compared with == and != only
BEGIN { $a = (uint8[8])1; printf("%d\n", $a < $a); }
                                         ~~~~~~~

### an_array_of_structs_is_held_and_its_elements_read
--- flags
-q -c build/targets/ctypes
--- prog
struct inner { short s; long l; };
struct rec { char c; int i; char name[10]; struct inner in; struct inner pair[2]; };
uprobe:build/targets/ctypes:take /pid == cpid/ {
	$r = (struct rec *)arg0;
	$p = $r->pair;
	print($p);
	$i = 1;
	printf("%d %d %d %d\n", $p[1].l, $p[0].s, sizeof($p[1]), $p[$i].l);
	@[$p[1].l] = $p;
	exit();
}
--- stdout
gcc: 152 8 32 40 72 96 112 144
[{ .s = 5, .l = 50 },{ .s = 6, .l = 60 }]
60 5 16 60


@[60]: [{ .s = 5, .l = 50 },{ .s = 6, .l = 60 }]

### an_array_too_large_to_hold_is_an_error
--- prog
struct big { long x[40]; };
BEGIN { $p = ((struct big *)0)->x; }
--- rc
1
--- stderr
stdin:2:15-34: ERROR: Value of type array cannot be assigned to a variable
BEGIN { $p = ((struct big *)0)->x; }
              ~~~~~~~~~~~~~~~~~~~

### a_constant_index_past_a_held_array_is_an_error
--- prog
BEGIN { $a = (uint8[8])1; printf("%d\n", $a[8]); }
--- rc
1
--- stderr
stdin:1:45-46: ERROR: index 8 is out of bounds: the array has 8 elements
BEGIN { $a = (uint8[8])1; printf("%d\n", $a[8]); }
                                            ~

### address_of_members_and_elements_gives_pointers_into_the_same_memory
&$p->f, &$p->a.b, &$p->arr[i] of a user struct: user pointers, usable with -> and str().
--- flags
-q -c build/targets/ctypes
--- prog
struct inner { short s; long l; };
struct rec { char c; int i; char name[10]; struct inner in; struct inner pair[2]; int m[2][3]; int col; union { int ui; unsigned char bytes[8]; }; struct rec *next; const char *strs[2]; };
uprobe:build/targets/ctypes:take /pid == cpid/ {
	$r = (struct rec *)arg0;
	$pin = &$r->in;
	$pp = &$r->pair[1];
	printf("%d %d %d %d\n", (uint64)$pin - arg0, (uint64)&$r->pair[1] - arg0, (uint64)&$r->in.l - arg0, (uint64)&$r->m[1][2] - arg0);
	printf("%d %d %s %s\n", $pin->l, $pp->l, str(&$r->name), str(&$r->next->name));
	printf("%d %d\n", *(int32 *)&$r->i, (uint64)&$r->next->name == (uint64)$r->next + 8);
	exit();
}
--- stdout
gcc: 152 8 32 40 72 96 112 144
24 56 32 92
40 60 hello second
-7 1

### address_of_a_kernel_member_is_a_kernel_pointer
--- flags
-q -c 'build/targets/sysload getppid 3'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	$t = &curtask->pid;
	printf("%d %d\n", *(int32 *)$t == pid, (uint64)&curtask->tgid - (uint64)curtask == offsetof(struct task_struct, tgid));
	printf("%s\n", str(&curtask->comm));
	exit();
}
--- stdout
1 1
sysload

### address_of_a_variable_is_an_error
--- prog
BEGIN { $x = 1; $y = &$x; }
--- rc
1
--- stderr
stdin:1:22-25: ERROR: & takes the address of a member or an element in memory (&$p->field, &$p->arr[i]): variables and maps live in BPF memory, with no address to give
BEGIN { $x = 1; $y = &$x; }
                     ~~~

### address_of_a_tracepoint_field_is_an_error
--- prog
tracepoint:syscalls:sys_enter_openat { $y = &args.filename; }
--- rc
1
--- stderr
stdin:1:45-59: ERROR: & takes the address of a member or an element in memory (&$p->field, &$p->arr[i]): this value is not in memory
tracepoint:syscalls:sys_enter_openat { $y = &args.filename; }
                                            ~~~~~~~~~~~~~~

### address_of_a_copied_array_element_is_an_error
--- prog
BEGIN { $a = (uint8[8])1; $y = &$a[1]; }
--- rc
1
--- stderr
stdin:1:32-38: ERROR: & takes the address of a member or an element in memory (&$p->field, &$p->arr[i]): this value is not in memory
BEGIN { $a = (uint8[8])1; $y = &$a[1]; }
                               ~~~~~~

### a_typed_pointer_dereferences_to_its_value_and_a_struct_copies
As bpftrace: $s = *$p copies a struct (user memory here), its members read from the copy.
--- flags
-q -c build/targets/ctypes
--- prog
struct inner { short s; long l; };
struct rec { char c; int i; char name[10]; struct inner in; struct inner pair[2]; int m[2][3]; int col; union { int ui; unsigned char bytes[8]; }; struct rec *next; const char *strs[2]; };
uprobe:build/targets/ctypes:take /pid == cpid/ {
	$r = (struct rec *)arg0;
	$s = *$r;
	$in = *&$r->in;
	$n = *$r->next;
	printf("%c %d %s %d %d\n", $s.c, $s.i, $s.name, $s.in.l, $s.m[1][2]);
	printf("%d %d %s %s\n", $in.l, $s.pair[1].l, $n.name, str($s.strs[1]));
	printf("%d %c %s\n", *&$r->i, *$r->strs[0], str(*&$r->strs[1]));
	$x = $s.m;
	print($x);
	exit();
}
--- stdout
gcc: 152 8 32 40 72 96 112 144
a -7 hello 40 6
40 60 second y1
-7 x y1
[[1,2,3],[4,5,6]]

### a_kernel_struct_copies_and_kernel_pointers_dereference
--- flags
-q -c 'build/targets/sysload getppid 3'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	$c = *curtask->cred;
	printf("%d %d\n", $c.uid.val == uid, *&curtask->pid == pid);
	exit();
}
--- stdout
1 1

### a_struct_too_large_to_copy_is_an_error
--- prog
struct big { char b[300]; };
BEGIN { $p = (struct big *)0; $t = *$p; }
--- rc
1
--- stderr
stdin:2:36-39: ERROR: a struct of 300 bytes is too large to copy (at most 256): read its members through the pointer
BEGIN { $p = (struct big *)0; $t = *$p; }
                                   ~~~

### a_struct_cannot_be_a_map_key
--- prog
struct a { int x; };
BEGIN { $p = (struct a *)0; @m[*$p] = 1; }
--- rc
1
--- stderr
stdin:2:32-35: ERROR: struct cannot be used as a map key
BEGIN { $p = (struct a *)0; @m[*$p] = 1; }
                               ~~~

### a_tracepoints_byte_array_field_is_held_indexed_and_cast
sysload prints its port too: the lines are checked, not their order.
--- flags
-q -c 'build/targets/sysload tcp'
--- prog
tracepoint:sock:inet_sock_set_state /pid == cpid && args.newstate == TCP_SYN_SENT/ {
	$d = args.daddr;
	print($d);
	$i = 3;
	printf("%d %x\n", $d[$i], (uint32)args.daddr);
	@[$d, args.family] = count();
}
--- check
"[127,0,0,1]\n1 100007f\n" in out and "@[[127,0,0,1], 2]: 1\n" in out

### struct_values_print_as_bpftrace_prints_them
A struct member, *p and a map value: { .a = 1, .b = [1,2] }, char arrays as strings, enums by name, anonymous unions flattened.
--- flags
-q -c build/targets/ctypes
--- prog
enum color { RED, GREEN = 5, BLUE };
struct inner { short s; long l; };
struct rec { char c; int i; char name[10]; struct inner in; struct inner pair[2]; int m[2][3]; enum color col; union { int ui; unsigned char bytes[8]; }; struct rec *next; };
uprobe:build/targets/ctypes:take /pid == cpid/ {
	$r = (struct rec *)arg0;
	$in = $r->in;
	print($in);
	print($r->pair[1]);
	@s = *$r;
	@n[$r->i] = *$r->next;
	printf("%d %d\n", $in.l, @s.m[1][1]);
	delete(@s);
	exit();
}
--- stdout
gcc: 152 8 32 40 72 96 112 144
{ .s = 3, .l = 40 }
{ .s = 6, .l = 60 }
40 5


@n[-7]: { .c = 122, .i = 2, .name = second, .in = { .s = 0, .l = 0 }, .pair = [{ .s = 0, .l = 0 },{ .s = 0, .l = 0 }], .m = [[0,0,0],[0,0,0]], .col = GREEN, .ui = 0, .bytes = , .next = 0x0 }

### struct_values_are_json_objects
--- flags
-q -f json
--- prog
struct ids { unsigned int uid, gid; char tag[4]; short s[2]; };
BEGIN { $p = (struct ids *)((uint64)curtask->cred + 4); print(*$p); exit(); }
--- stdout
{"type": "value", "data": {"uid": 0, "gid": 0, "tag": "", "s": [0,0]}}

### type_definitions_may_come_before_the_config_block
bpftrace's preamble order: preprocessor lines, type definitions, config, map declarations.
--- prog
struct S { int x; long y; }
// the config after the types
config = { max_map_keys = 2 }
BEGIN { @[1] = 1; @[2] = sizeof(struct S); @[3] = 3; exit(); }
--- stdout


@[1]: 1
@[2]: 16
--- stderr-has
WARNING: @: 1 update dropped, map full (2 entries; raise with BPFTRACE_MAX_MAP_KEYS)

### attributes_are_refused_with_a_caret
--- prog
struct a { int x; } __attribute__((packed));
BEGIN { exit(); }
--- rc
1
--- stderr
stdin:1:21-34: ERROR: attributes (packed, aligned…) are not supported: the layout is the C ABI's
struct a { int x; } __attribute__((packed));
                    ~~~~~~~~~~~~~

### an_imported_script_brings_its_type_definitions
--- setup
printf 'struct lib_s { int a; long b; };\nenum lib_e { LA = 3, LB };\n' > {TMP}/lib.bt
printf 'import "lib.bt";\nBEGIN { printf("%%d %%d %%s\\n", sizeof(struct lib_s), LB, (enum lib_e)3); exit(); }\n' > {TMP}/main.bt
--- flags
-q {TMP}/main.bt
--- stdout
16 4 LA
