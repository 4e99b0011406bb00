# bpftrace 0.2x's standard library beyond printf: str_concat, pton, errorf,
# warnf, getopt, container_of, comm(pid), system, cat (sema/stdlib_more.c).

### str_concat_joins_two_strings
--- prog
BEGIN { $a = "hello"; printf("%s|%s|%s\n", str_concat($a, " world"), str_concat("", "x"), str_concat("ab", "")); exit(); }
--- stdout
hello world|x|ab

### str_concat_cuts_at_the_string_size
With 8-byte strings a result holds 7 characters and its NUL, the first
string's first; a variable may take its own concatenation.
--- env
BPFTRACE_STRLEN=8
--- prog
BEGIN { print(str_concat("abcd", "efghij")); $s = "x"; $s = str_concat("p", $s); $s = str_concat($s, $s); print($s); @m[str_concat("k", "1")] = 1; exit(); }
--- stdout
abcdefg
pxpx


@m[k1]: 1

### str_concat_of_read_strings
The strings come from a traced syscall: the file name cat opens.
--- flags
-q -c '/bin/cat /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_openat /pid == cpid/ { $f = str(args.filename); if ($f == "/etc/hostname") { printf("<%s>\n", str_concat(str_concat("open ", $f), "!")); } }
--- check
"<open /etc/hostname!>\n" in out

### str_concat_takes_strings
--- prog
BEGIN { print(str_concat("a", 1)); }
--- stderr-has
stdin:1:31-32: ERROR: str_concat() joins strings (int64 supplied)
--- rc
1

### str_concat_takes_two_arguments
--- prog
BEGIN { print(str_concat("a")); }
--- stderr-has
stdin:1:15-30: ERROR: str_concat() requires 2 arguments (1 provided)
--- rc
1

### pton_gives_bytes_ntop_reads_back
--- prog
BEGIN { printf("%s %s %s\n", ntop(pton("127.0.0.1")), ntop(pton("::1")), ntop(2, pton("192.168.10.254"))); exit(); }
--- stdout
127.0.0.1 ::1 192.168.10.254

### pton_takes_a_string_literal
--- prog
BEGIN { $a = "1.2.3.4"; print(ntop(pton($a))); }
--- stderr-has
stdin:1:41-43: ERROR: pton() expects a string literal
--- rc
1

### pton_refuses_a_bad_address
--- prog
BEGIN { print(ntop(pton("1.2.3"))); }
--- stderr-has
stdin:1:25-32: ERROR: pton(): invalid IPv4 address: 1.2.3
--- rc
1

### pton_refuses_a_bad_ipv6_address
--- prog
BEGIN { print(ntop(pton("1::2::3"))); }
--- stderr-has
stdin:1:25-34: ERROR: pton(): invalid IPv6 address: 1::2::3
--- rc
1

### pton_casts_to_an_integer_of_its_size
bpftrace's use: the address as the kernel keeps it in a u32 (network order
in memory, so 127.0.0.1 reads 0x0100007f on this little-endian machine).
--- prog
BEGIN { printf("%x %d\n", (uint32)pton("127.0.0.1"), (uint32)pton("10.0.0.1") == 0x0100000a); exit(); }
--- stdout
100007f 1

### pton_casts_only_to_its_own_size
--- prog
BEGIN { print((uint64)pton("127.0.0.1")); }
--- stderr-has
stdin:1:15-40: ERROR: Cannot cast from int8[4] to uint64: an array casts to an integer of its own size (4 bytes)
--- rc
1

### pton_compares_with_an_address_array
A refused connection to 127.0.0.1 goes SYN_SENT (2) then CLOSE (7); the
tracepoint's daddr (u8[4]) is compared with pton()'s bytes, daddr_v6 too.
--- setup
printf 'import socket\ns = socket.socket()\ns.connect_ex(("127.0.0.1", 9))\n' > {TMP}/c.py
--- flags
-q -c 'python3 {TMP}/c.py'
--- prog
tracepoint:sock:inet_sock_set_state /pid == cpid && args.daddr == pton("127.0.0.1")/ { printf("%s %d %d %d\n", ntop(args.daddr), args.daddr != pton("10.0.0.1"), args.daddr_v6 == pton("::1"), args.newstate); }
--- stdout
127.0.0.1 1 0 2
127.0.0.1 1 0 7

### pton_compares_with_arrays_of_its_size_only
--- prog
BEGIN { print(pton("::1") == pton("1.2.3.4")); }
--- stderr-has
stdin:1:30-45: ERROR: an array compares with an array of the same size only (int8[16] and int8[4])
--- rc
1

### arrays_compare_with_arrays_only
--- prog
BEGIN { print(pton("1.2.3.4") == 5); }
--- stderr-has
stdin:1:34-35: ERROR: an array compares with an array of the same size only (int8[4] and int64)
--- rc
1

### arrays_compare_for_equality_only
--- prog
BEGIN { print(pton("1.2.3.4") < pton("1.2.3.5")); }
--- stderr-has
stdin:1:15-48: ERROR: arrays are compared with == and != only
--- rc
1

### integer_arrays_print_as_bpftrace_prints_them
pton()'s int8 bytes (255 is -1), in a tuple too, and in JSON.
--- prog
BEGIN { print(pton("1.2.3.255")); $t = (pton("10.0.0.1"), 5); print($t); printf("%s %d\n", ntop($t.0), $t.0 == pton("10.0.0.1")); exit(); }
--- stdout
[1,2,3,-1]
([10,0,0,1], 5)
10.0.0.1 1

### integer_arrays_in_json
--- flags
-q -f json
--- prog
BEGIN { print(pton("1.2.3.4")); exit(); }
--- stdout
{"type": "value", "data": [1,2,3,4]}

### arrays_of_traced_values_print_and_index
A tracepoint's u8[4] address, and a kernel u64 array from BTF (the -c
command's auxiliary vector, type/value pairs: AT_SYSINFO_EHDR (33) first,
AT_MINSIGSTKSZ (51) next on x86-64) held in a tuple and indexed there.
--- setup
printf 'import socket\ns = socket.socket()\ns.connect_ex(("127.0.0.1", 9))\n' > {TMP}/c.py
--- flags
-q -c 'python3 {TMP}/c.py'
--- prog
tracepoint:sock:inet_sock_set_state /pid == cpid/ { print(args.daddr); print((args.daddr, args.dport)); $a = (((struct task_struct *)curtask)->mm->saved_auxv, 1); printf("%d %d\n", $a.0[0], $a.0[2]); exit(); }
--- stdout
[127,0,0,1]
([127,0,0,1], 9)
33 51

### errorf_and_warnf_print_at_the_call
Messages go to stderr with the call's position and caret; the run goes on
(bpftrace's errorf does not stop the program) and ends with status 0.
--- flags
-q
--- prog
BEGIN { errorf("bad %d, %s", 10, "arg2"); warnf("meh %d\n", 1); printf("after\n"); exit(); }
--- stdout
after
--- stderr
stdin:1:9-41: ERROR: bad 10, arg2
BEGIN { errorf("bad %d, %s", 10, "arg2"); warnf("meh %d\n", 1); printf("after\n"); exit(); }
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
stdin:1:43-63: WARNING: meh 1
BEGIN { errorf("bad %d, %s", 10, "arg2"); warnf("meh %d\n", 1); printf("after\n"); exit(); }
                                          ~~~~~~~~~~~~~~~~~~~~

### errorf_checks_its_arguments_as_printf
--- prog
BEGIN { errorf("%d", "x"); }
--- stderr-has
stdin:1:22-25: ERROR: printf: %d specifier expects a value of type integer (string supplied)
--- rc
1

### warnf_needs_a_literal_format
--- prog
BEGIN { $f = "x"; warnf($f); }
--- stderr-has
stdin:1:25-27: ERROR: warnf() expects a string literal as its first argument
--- rc
1

### getopt_reads_named_parameters
Types come from the defaults: an integer, a bool with no default, a string,
a bool given false; ones absent take their default.
--- params
-- --aa=20 --bb --cc=bye
--- prog
BEGIN { printf("%d %d %s %d %d %s\n", getopt("aa", 1), getopt("bb"), getopt("cc", "x"), getopt("dd", false), getopt("ee", -5, "a description"), getopt("ff", "dflt")); exit(); }
--- stdout
20 1 bye 0 -5 dflt

### getopt_bool_values
--- params
-- --a=false --b=1 --c=true
--- prog
BEGIN { print((getopt("a", true), getopt("b"), getopt("c", false))); exit(); }
--- stdout
(false, true, true)

### getopt_named_parameters_are_not_positional
--- params
pos1 -- --n=3 pos2
--- prog
BEGIN { printf("%s %s %d %d\n", str($1), str($2), $#, getopt("n", 0)); exit(); }
--- stdout
pos1 pos2 2 3

### getopt_refuses_an_unknown_parameter
--- params
-- --aa=1 --zz=2
--- prog
BEGIN { print(getopt("aa", 0)); exit(); }
--- stderr-has
ERROR: unknown named parameter: --zz (the script's getopt() calls name none such)
--- rc
1

### getopt_refuses_a_value_of_the_wrong_type
--- params
-- --n=abc
--- prog
BEGIN { print(getopt("n", 5)); }
--- stderr-has
stdin:1:15-29: ERROR: getopt(): --n expects an integer (got 'abc')
--- rc
1

### getopt_refuses_a_bad_bool
--- params
-- --v=maybe
--- prog
BEGIN { print(getopt("v")); }
--- stderr-has
stdin:1:15-26: ERROR: getopt(): --v expects true, false, 1 or 0 (got 'maybe')
--- rc
1

### getopt_takes_a_literal_name
--- prog
BEGIN { $n = "x"; print(getopt($n, 1)); }
--- stderr-has
stdin:1:32-34: ERROR: getopt() expects the option's name as a string literal
--- rc
1

### getopt_takes_a_literal_default
--- prog
BEGIN { $d = 1; print(getopt("x", $d)); }
--- stderr-has
stdin:1:35-37: ERROR: getopt()'s default must be an integer literal
--- rc
1

### container_of_walks_back_to_the_struct
The address of the task's `tasks` list head, walked back, is the task.
--- prog
BEGIN { $t = (struct task_struct *)curtask; $p = container_of((uint64)$t + offsetof(struct task_struct, tasks), struct task_struct, tasks); printf("%d %d\n", $p == $t, $p->pid == tid); exit(); }
--- stdout
1 1

### container_of_follows_a_list
A child's `sibling` entry, walked back from its parent's `children` list,
is the child: the -c command is the only child here.
--- flags
-q -c '/bin/sleep 0.2'
--- prog
tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ { $parent = ((struct task_struct *)curtask)->real_parent; $c = container_of($parent->children.next, struct task_struct, sibling); printf("%s %d\n", $c->comm, $c->pid == pid); exit(); }
--- stdout
sleep 1

### container_of_takes_a_struct_type
--- prog
BEGIN { $p = container_of(curtask, 8, tasks); }
--- stderr-has
stdin:1:36-37: ERROR: container_of() takes a struct type second: container_of(ptr, struct T, field)
--- rc
1

### container_of_needs_a_known_field
--- prog
BEGIN { $p = container_of(curtask, struct task_struct, nope); }
--- stderr-has
ERROR: 'struct task_struct' has no field nope
--- rc
1

### container_of_takes_a_pointer
--- prog
BEGIN { $p = container_of("x", struct task_struct, tasks); }
--- stderr-has
stdin:1:27-30: ERROR: container_of() expects a pointer or an address (string[64] supplied)
--- rc
1

### comm_of_a_pid_in_a_tracepoint
As bpftrace, through the kernel's bpf_task_from_pid: a string of the event's
moment, which compares and keys maps as comm does.
--- background
sleep 30
--- flags
-q -c '/bin/cat /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_openat /pid == cpid/ { printf("[%s] [%s] %d\n", comm(pid), comm({BG}), comm(pid) == comm); @[comm({BG})] = 1; exit(); }
--- check
"[cat] [sleep] 1\n" in out and "@[sleep]: 1\n" in out

### comm_of_a_pid_in_a_perf_event_probe
--- background
sleep 30
--- prog
software:cpu-clock:1000000 { printf("[%s]\n", comm({BG})); exit(); }
--- stdout
[sleep]

### comm_of_a_pid_that_is_gone_is_empty
--- flags
-q -c '/bin/cat /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_openat /pid == cpid/ { printf("[%s]\n", comm(999999999)); exit(); }
--- check
"[]\n" in out

### comm_of_another_process
In BEGIN (a raw tracepoint, which may not call bpf_task_from_pid) the pid is
named in user space from /proc when printed; comm() is the current comm.
--- background
sleep 30
--- prog
BEGIN { printf("%s %d\n", comm({BG}), comm() == comm); @c[comm({BG})] = 1; exit(); }
--- stdout
sleep 1


@c[sleep]: 1

### comm_takes_a_pid
--- prog
BEGIN { print(comm("x")); }
--- stderr-has
stdin:1:20-23: ERROR: comm() expects an integer argument (string[64] supplied)
--- rc
1

### system_runs_a_command_with_unsafe
--- flags
-q --unsafe
--- prog
BEGIN { system("echo %d-%s", 42, "x"); exit(); }
--- stdout
42-x

### system_needs_unsafe
--- prog
BEGIN { system("echo hi"); }
--- stderr-has
stdin:1:9-26: ERROR: system() is an unsafe function being used in safe mode
--- rc
1

### cat_prints_a_file
--- setup
printf 'line one\nline two\n' > {TMP}/f
--- prog
BEGIN { cat("%s/%c", "{TMP}", 102); exit(); }
--- stdout
line one
line two

### cat_needs_a_format
--- prog
BEGIN { cat(); }
--- stderr-has
stdin:1:9-14: ERROR: cat() expects a string literal as its first argument
--- rc
1

### cat_of_a_missing_file_says_so
--- prog
BEGIN { cat("/nonexistent/%d", 5); exit(); }
--- stderr-has
ERROR: failed to open file '/nonexistent/5': No such file or directory

### records_have_named_fields
--- prog
BEGIN { $v = 99; $t = (a=0, b=1, c="str", d=(5, 6), e=$v); printf("%d %d %s %d %d %d\n", $t.a, $t.b, $t.c, $t.d.0, $t.d.1, $t.e); exit(); }
--- stdout
0 1 str 5 6 99

### records_print_as_bpftrace_prints_them
A record prints `{ .name = value, … }`, nested ones too; tuples keep `( )`.
--- prog
BEGIN { $v = (x=1, y=2); $t = (a=0, b=1, c="str", d=(5, 6), e=$v); print($t); exit(); }
--- stdout
{ .a = 0, .b = 1, .c = str, .d = (5, 6), .e = { .x = 1, .y = 2 } }

### records_as_map_keys_and_values
--- prog
BEGIN { @v[1] = (n=7, s="seven"); @k[(a=1, b="k")] = 5; printf("%d %s\n", @v[1].n, @v[1].s); exit(); }
--- stdout
7 seven


@k[{ .a = 1, .b = k }]: 5
@v[1]: { .n = 7, .s = seven }

### records_in_json_are_objects
--- flags
-q -f json
--- prog
BEGIN { print((a=1, b="x")); @m = (p=1, q=(2, 3)); exit(); }
--- stdout
{"type": "value", "data": {"a":1,"b":"x"}}
{"type": "map", "data": {"@m": {"p":1,"q":[2,3]}}}

### records_of_traced_values
The file cat opens and its open flags (O_RDONLY), counted by record.
--- flags
-q -c '/bin/cat /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_openat /pid == cpid/ { $r = (file=str(args.filename), flags=args.flags); if ($r.file == "/etc/hostname") { print($r); @opens[$r] = count(); } }
--- check
"{ .file = /etc/hostname, .flags = 0 }\n" in out and "@opens[{ .file = /etc/hostname, .flags = 0 }]: 1\n" in out

### records_refuse_a_repeated_field
--- prog
BEGIN { $r = (a=1, a=2); }
--- stderr-has
stdin:1:22-23: ERROR: the record has two fields named a
--- rc
1

### records_refuse_an_unknown_field
--- prog
BEGIN { $r = (a=1, b=2); print($r.c); }
--- stderr-has
stdin:1:32-36: ERROR: the record has no field named c ((a=int64,b=int64))
--- rc
1

### tuple_elements_have_no_names
--- prog
BEGIN { $r = (1, 2); print($r.c); }
--- stderr-has
stdin:1:28-32: ERROR: a tuple's elements have no names (.0, .1…): .c needs a record, (c=…)
--- rc
1

### records_assigned_in_another_order_take_the_variables
As bpftrace: the fields are evaluated as written and stored by name.
--- prog
BEGIN { $a = (foo={ printf("hello"); 1 }, bar={ printf("world"); 2 }); $a = (bar={ printf("hello"); 1 }, foo={ printf("world\n"); 2 }); print($a); exit(); }
--- stdout
helloworldhelloworld
{ .foo = 2, .bar = 1 }

### records_with_other_fields_are_another_type
--- prog
BEGIN { $a = (x=1, s="a"); $a = (s="c", y=2); }
--- stderr-has
stdin:1:28-30: ERROR: Type mismatch for $a: trying to assign value of type '(s=string[64],y=int64)' when variable already contains a value of type '(x=int64,s=string[64])'
--- rc
1

### records_name_every_field
--- prog
BEGIN { $r = (a=1, 2); }
--- stderr-has
stdin:1:20-21: ERROR: syntax error, unexpected 2, expecting a field name
--- rc
1

### block_expressions_give_their_last_expression
--- prog
BEGIN { $x = { let $y = 2; $y * 3 }; print($x); $s = { $t = "ab"; str_concat($t, "cd") }; print($s); @m[{ 1 + 1 }] = { 5 }; if ({ $x > 5 }) { print("big"); } { printf("stmt\n") }; exit(); }
--- stdout
6
abcd
big
stmt


@m[2]: 5

### block_expressions_as_macro_arguments
bpftrace's own example: the block runs each time the macro uses it.
--- prog
macro side_effects(x) { x; x; x; } BEGIN { side_effects({ printf("hi") }); printf("\n"); print({ let $a = (a=1, b=2); $a.b }); exit(); }
--- stdout
hihihi
2

### block_expressions_over_traced_values
--- flags
-q -c '/bin/cat /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_openat /pid == cpid/ { $hit = { let $f = str(args.filename); $f == "/etc/hostname" }; if ($hit) { printf("hit %s\n", { str(args.filename) }); } }
--- check
"hit /etc/hostname\n" in out

### block_expressions_end_with_an_expression
--- prog
BEGIN { $x = { 1; }; }
--- stderr-has
stdin:1:14-20: ERROR: a block used as a value must end with an expression, without a `;` after it
--- rc
1

### block_expressions_without_a_value_cannot_be_assigned
--- prog
BEGIN { $x = { printf("x") }; }
--- stderr-has
stdin:1:14-29: ERROR: Value of type void cannot be assigned to a variable
--- rc
1
