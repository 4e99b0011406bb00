### arguments_return_values_and_exact_call_counts
--- flags
-q -c 'build/targets/funcs calls 100'
--- prog
uprobe:build/targets/funcs:add /pid == cpid/ { @calls = count(); @sum = sum(arg0 + arg1); }
uretprobe:build/targets/funcs:add /pid == cpid/ { @ret[func] = sum(retval); }
uprobe:build/targets/funcs:greet /pid == cpid/ { @who[str(arg0)] = count(); }
uprobe:build/targets/funcs:fib /pid == cpid/ { @fib = count(); }
--- stdout
15405


@calls: 100
@fib: 177
@ret[add]: 14850
@sum: 14850
@who[sonde]: 100

### func_names_the_probed_function_in_uretprobes
--- flags
-q -c 'build/targets/funcs calls 1'
--- prog
uretprobe:build/targets/funcs:greet, uretprobe:build/targets/funcs:add /pid == cpid/ { printf("%s returned %d (%s)\n", func, retval, probe); }
--- stdout
60
add returned 0 (uretprobe:build/targets/funcs:add)
greet returned 5 (uretprobe:build/targets/funcs:greet)

### wildcards_follow_the_glob_rule
--- flags
-q -c 'build/targets/funcs calls 3'
--- prog
uprobe:build/targets/funcs:gree? /pid == cpid/ { @[probe] = count(); }
--- stdout
79


@[uprobe:build/targets/funcs:greet]: 3

### a_library_short_name_resolves_like_the_linker
--- flags
-q -c 'build/targets/sysload getppid 100'
--- prog
uprobe:libc:syscall /pid == cpid/ { @calls = count(); }
--- stdout


@calls: 100

### pid_bound_uprobes_count_only_that_process
--- background
build/targets/funcs wait 1000 50
--- flags
-q -p {BG}
--- prog
uprobe:build/targets/funcs:add { @calls = count(); @pids[pid == {BG}] = count(); }
--- stdout


@calls: 50
@pids[true]: 50

### list_functions_of_a_binary
--- flags
-l uprobe:build/targets/funcs:[afg]*
--- stdout
uprobe:build/targets/funcs:add
uprobe:build/targets/funcs:fib
uprobe:build/targets/funcs:frame_dummy
uprobe:build/targets/funcs:greet

### a_missing_function_says_how_to_list
--- prog
uprobe:build/targets/funcs:nope { }
--- rc
1
--- stderr-has
ERROR: no function matches 'nope' in build/targets/funcs (list them with: sonde -l 'uprobe:build/targets/funcs:*')

### a_missing_binary_is_named
--- prog
uprobe:/nonexistent/app:main { }
--- rc
1
--- stderr-has
ERROR: cannot find binary or library '/nonexistent/app' for uprobe:/nonexistent/app:main

### retval_is_refused_in_entry_probes
--- prog
uprobe:build/targets/funcs:add { $x = retval; }
--- rc
1
--- stderr-has
ERROR: builtin retval is not available for probe type uprobe

### the_perf_event_fallback_gives_the_same_counts
--- env
SONDE_UPROBE_PERF=1
--- flags
-q -c 'build/targets/funcs calls 100'
--- prog
uprobe:build/targets/funcs:add /pid == cpid/ { @calls = count(); @sum = sum(arg0 + arg1); }
uretprobe:build/targets/funcs:add /pid == cpid/ { @ret[func] = sum(retval); }
--- stdout
15405


@calls: 100
@ret[add]: 14850
@sum: 14850

### names_at_one_address_are_probed_once
--- flags
-q -c 'build/targets/funcs calls 1'
--- prog
uprobe:libc:strto* /pid == cpid/ { @[probe] = count(); }
--- check
len(re.findall(r"@\[uprobe:libc:strto(imax|l|ll|q)\]: 1\n", out + "\n")) == 1

### many_functions_share_one_link
--- env
BPFTRACE_MAX_PROBES=2000
--- flags
-q -c 'build/targets/funcs calls 10'
--- prog
uprobe:libc:[a-o]* /pid == cpid/ { @probes = count(); }
--- check
"@probes: " in out

### an_offset_inside_a_function_reads_registers_there
--- flags
-q -c 'build/targets/funcs calls 3'
--- prog
uprobe:build/targets/funcs:add+7 /pid == cpid/ { @b[reg("si")] = count(); }
uprobe:build/targets/funcs:add+18 /pid == cpid/ { @sum[reg("ax")] = count(); }
--- stdout
79


@b[0]: 1
@b[2]: 1
@b[4]: 1
@sum[0]: 1
@sum[3]: 1
@sum[6]: 1

### an_offset_inside_an_instruction_is_refused
--- prog
uprobe:build/targets/funcs:add+5 { }
--- rc
1
--- stderr-has
ERROR: Could not add uprobe into middle of instruction: add+5 (instructions start at +4 and +7; --unsafe overrides)

### unsafe_turns_the_refusal_into_a_warning
--- flags
-q --unsafe -c true
--- prog
uprobe:build/targets/funcs:add+5 { }
--- stderr-has
WARNING: +5 is inside an instruction of add (instructions start at +4 and +7); probing it anyway (--unsafe)

### reg_names_are_checked
--- prog
uprobe:build/targets/funcs:add { $x = reg("xyz"); }
--- rc
1
--- stderr-has
ERROR: reg() expects a register name such as "ip", "sp", "ax", "di" or "r8"

### a_uretprobe_cannot_take_an_offset
--- prog
uretprobe:build/targets/funcs:add+4 { }
--- rc
1
--- stderr-has
ERROR: uretprobe:build/targets/funcs:add+4: a uretprobe cannot take an offset; use uprobe:…+OFFSET

### registers_hold_user_addresses_for_str
--- flags
-q -c 'build/targets/funcs calls 1'
--- prog
uprobe:build/targets/funcs:greet /pid == cpid/ { printf("[%s] [%s]\n", str(reg("di")), str(arg0)); }
--- stdout
60
[sonde] [sonde]

### list_return_probes_of_a_binary
--- flags
-l ur:build/targets/funcs:gree*
--- stdout
uretprobe:build/targets/funcs:greet

### list_parameters_from_dwarf
--- flags
-lv uprobe:build/targets/funcs:[gm]*
--- stdout
uprobe:build/targets/funcs:greet
    const char* name
uprobe:build/targets/funcs:main
    int argc
    char** argv
uprobe:build/targets/funcs:make_big
    long int x
    long int y
uprobe:build/targets/funcs:measure
    const struct shape* s
uprobe:build/targets/funcs:mix
    signed char c
    short unsigned int u
    long int neg
    double d
    const struct point* p
    int after

### args_by_name_read_parameters_of_every_integer_kind
--- flags
-q -c 'build/targets/funcs mix 2'
--- prog
uprobe:build/targets/funcs:mix { printf("%d %d %ld %d %s\n", args.c, args.u, args.neg, args->after, args.p ? "p" : "null"); }
--- stdout
2185023386964
-5 65535 -7000000000 42 p
-5 65535 -7000000000 42 p



### args_strings_and_wildcard_blocks_with_one_layout
--- flags
-q -c 'build/targets/funcs calls 3'
--- prog
uprobe:build/targets/funcs:greet { @[str(args.name)] = count(); }
uprobe:build/targets/funcs:fib /args.n > 8/ { @fib[args.n] = count(); }
uprobe:build/targets/funcs:add /args.b == 2 * args.a/ { @pairs = count(); }
--- stdout
79


@[sonde]: 3
@fib[9]: 1
@fib[10]: 1
@pairs: 3

### a_missing_parameter_names_those_that_exist
--- prog
uprobe:build/targets/funcs:add { print(args.c); }
--- rc
1
--- stderr
stdin:1:40-46: ERROR: add has no parameter named 'c' (it has: a, b; list them with: sonde -lv 'uprobe:build/targets/funcs:add')
uprobe:build/targets/funcs:add { print(args.c); }
                                       ~~~~~~

### a_float_parameter_is_refused
--- prog
uprobe:build/targets/funcs:mix { print(args.d); }
--- rc
1
--- stderr-has
ERROR: parameter 'd' of mix (double) is not passed in an integer register: sonde cannot read it

### args_need_the_function_entry_and_debug_info
--- prog
uprobe:build/targets/funcs:add+4 { print(args.a); }
--- rc
1
--- stderr-has
ERROR: args are known at a function's entry only, not at uprobe:build/targets/funcs:add+4

### usym_names_functions_of_a_live_process
--- flags
-q -c 'build/targets/funcs calls 2 400'
--- prog
uprobe:build/targets/funcs:add { printf("%s %s\n", usym(reg("ip")), usym(0)); }
uprobe:build/targets/funcs:greet { @[usym(reg("ip") + 1)] = count(); }
--- check
sorted(out.split("\n\n\n")[0].split("\n")) == ["68", "add 0x0", "add 0x0"] and out.endswith("\n\n\n@[greet]: 2\n")

### ksym_names_kernel_functions
--- flags
-q -c 'build/targets/sysload getppid 3'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[ksym(kaddr("do_sys_open")), ksym(kaddr("do_sys_open") + 5)] = count(); }
--- stdout


@[do_sys_open, do_sys_open]: 3

### buf_keeps_printable_bytes_and_escapes_the_rest
--- flags
-q -c 'build/targets/funcs calls 2'
--- prog
uprobe:build/targets/funcs:greet { printf("[%r] [%r] [%s]\n", buf(arg0, 8), buf(arg0, 3), buf(arg0, $1 + 1)); @b[buf(arg0, 5)] = count(); }
--- params
1
--- stdout
68
[sonde\x00ca] [son] [so]
[sonde\x00ca] [son] [so]


@b[sonde]: 2

### r_wants_a_buffer
--- prog
BEGIN { printf("%r\n", "abc"); }
--- rc
1
--- stderr-has
ERROR: printf: %r specifier expects a value of type buffer (string supplied)

### struct_pointer_args_read_members_typed_by_dwarf
--- flags
-q -c 'build/targets/funcs mix 2'
--- prog
uprobe:build/targets/funcs:measure {
	printf("%s %d %d %d %ld %s\n", args.s->name, args.s->origin.x, args.s->origin.y, args.s->corner->y, args.s->area, str(args.s->label));
	@[args.s->corner->x, args.s->quick] = count();
}
--- stdout
2185023386964
square -1 2 4 1099511627776 a label
square -1 2 4 1099511627776 a label


@[3, 0]: 2

### a_missing_struct_member_names_the_struct
--- prog
uprobe:build/targets/funcs:measure { print(args.s->corner->z); }
--- rc
1
--- stderr
stdin:1:44-61: ERROR: Struct/union of type 'struct point' does not contain a field named 'z'
uprobe:build/targets/funcs:measure { print(args.s->corner->z); }
                                           ~~~~~~~~~~~~~~~~~

### an_ifunc_symbol_warns_that_calls_go_elsewhere
--- prog
uprobe:libc:strlen { @ = count(); } interval:ms:1 { exit(); }
--- stderr-has
WARNING: strlen is an IFUNC: the probe is on its resolver, which runs once when the library loads; calls go to the implementation it picked (list them with: sonde -l 'uprobe:libc:*strlen*')

### a_raw_address_probes_the_instruction_there
--- setup
a=$(nm build/targets/funcs | awk '$3 == "add" { print $1 }')
printf 'uprobe:build/targets/funcs:0x%x { @[func, arg1 == 2 * arg0] = count(); }\n' $((0x$a)) > {TMP}/entry.bt
--- flags
-q -c 'build/targets/funcs calls 3' {TMP}/entry.bt
--- stdout
79


@[add, true]: 3

### a_raw_address_inside_an_instruction_is_refused
--- setup
a=$(nm build/targets/funcs | awk '$3 == "add" { print $1 }')
printf 'uprobe:build/targets/funcs:0x%x { exit(); }\n' $((0x$a + 2)) > {TMP}/middle.bt
--- flags
{TMP}/middle.bt
--- rc
1
--- stderr-has
ERROR: Could not add uprobe into middle of instruction: add+2 (instructions start at +1 and +4; --unsafe overrides)

### a_raw_address_outside_every_function_is_refused
--- prog
uprobe:build/targets/funcs:0x10 { exit(); }
--- rc
1
--- stderr-has
ERROR: no function of build/targets/funcs holds address 0x10 (list them with: sonde -l 'uprobe:build/targets/funcs:*')

### buf_reads_char_arrays_of_user_structs
--- flags
-q -c 'build/targets/funcs mix 1'
--- prog
uprobe:build/targets/funcs:measure { printf("%r|%s\n", buf(args.s->name), args.s->name); }
--- stdout
1092511693482
square\x00\x00|square

### rx_and_rh_are_refused_for_now
--- prog
BEGIN { printf("%rh\n", buf(0, 2)); }
--- rc
1
--- stderr-has
ERROR: printf: Format string token not supported yet (only %r prints a buffer): %rh

### usym_keys_keep_their_names_after_the_process_exits
--- flags
-q -c 'build/targets/funcs calls 3 300'
--- prog
uprobe:build/targets/funcs:greet, uprobe:build/targets/funcs:fib { @[usym(reg("ip"))] = count(); }
--- stdout
79


@[greet]: 3
@[fib]: 177

### a_non_pie_binary_probes_at_file_offsets_not_addresses
--- flags
-q -c 'build/targets/funcs-nopie calls 10 300'
--- prog
uprobe:build/targets/funcs-nopie:add { @c = count(); @s = sum(args.b); }
uretprobe:build/targets/funcs-nopie:greet { @r = sum(retval); }
uprobe:build/targets/funcs-nopie:greet { @u[usym(reg("ip"))] = count(); }
--- stdout
240


@c: 10
@r: 50
@s: 90
@u[greet]: 10

### args_skip_the_hidden_pointer_of_a_struct_returned_in_memory
--- flags
-q -c 'build/targets/funcs mix 2'
--- prog
uprobe:build/targets/funcs:make_big { @[args.x, args.y] = count(); }
--- stdout
2185023386964


@[11, 22]: 2

### str_and_buf_of_a_char_array_take_a_length
--- flags
-q -c 'build/targets/funcs mix 1'
--- prog
uprobe:build/targets/funcs:measure { printf("[%s] [%s] [%r] [%r]\n", str(args.s->name, 3), str(args.s->name, $1), buf(args.s->name, 2), buf(arg0, $1 - 2)); }
--- params
2
--- stdout
1092511693482
[sq] [s] [sq] []

### a_missing_member_of_a_nested_struct_names_that_struct
--- prog
uprobe:build/targets/funcs:measure { print(args.s->origin.nope); }
--- rc
1
--- stderr-has
ERROR: Struct/union of type 'struct point' does not contain a field named 'nope'

### a_go_argument_of_several_words_names_its_registers
--- prog
uprobe:build/targets/goserver:main.*.Mul { print(args.args); }
--- rc
1
--- stderr-has
ERROR: parameter 'args' of main.(*Arith).Mul (main.Args) takes 2 Go registers: read its words with reg("di"), reg("si")

### a_probe_on_a_file_the_p_process_does_not_map_is_said_never_to_fire
--- background
build/targets/funcs wait 1500 1
--- flags
-q -p {BG}
--- prog
uprobe:/usr/bin/python3.11:PyObject_Free { @ = count(); } interval:ms:200 { exit(); }
--- check
re.search(r"WARNING: process \d+ does not map /proc/\d+/root/usr/bin/python3.11: uprobe:/usr/bin/python3.11:PyObject_Free will never fire there\n", err) is not None

### a_probe_on_a_file_the_p_process_maps_gets_no_such_warning
--- background
build/targets/funcs wait 1500 1
--- flags
-q -p {BG}
--- prog
uprobe:libc:malloc { @ = count(); } interval:ms:200 { exit(); }
--- check
"never fire" not in err

### l_with_a_binary_and_no_function_part_lists_every_function
--- flags
-l uprobe:build/targets/funcs
--- check
"uprobe:build/targets/funcs:add\n" in out and "uprobe:build/targets/funcs:greet\n" in out and "uprobe:build/targets/funcs:fib\n" in out

### deref_reads_integers_of_each_size_at_a_user_address
--- flags
-q -c 'build/targets/funcs calls 1'
--- prog
uprobe:build/targets/funcs:greet { printf("%c%c %d %d\n", *(uint8 *)arg0, *(uint8 *)(arg0 + 1), *(uint16 *)arg0, *(int32 *)(arg0 + 1)); exit(); }
--- check
"so 28531 1701080687\n" in out

### deref_needs_a_cast_to_an_integer_pointer
--- prog
BEGIN { $x = *arg0; }
--- stderr
stdin:1:14-19: ERROR: * reads through a pointer to an integer type: cast the address first, e.g. *(uint64 *)arg0
BEGIN { $x = *arg0; }
             ~~~~~
--- rc
1
