### ustack_at_a_leaf_functions_entry_names_every_frame_including_the_immediate_caller
leaf() has no `push %rbp`, so the kernel's walk skips inner(): sonde adds
it back from the return address at [sp]. The process has exited when the
map is printed; its names were read when BPF first saw it.
--- flags
-q -c 'build/targets/stacks chain 5 50'
--- prog
uprobe:build/targets/stacks:leaf /pid == cpid/ { @[ustack] = count(); }
--- stdout-re
chain 5


@\[
    leaf\+0
    inner\+\d+
    middle\+\d+
    outer\+\d+
    main\+\d+
    __libc_start_call_main\+\d+
\]: 5

### ustack_where_the_kernel_adds_the_caller_itself_is_not_doubled
middle() starts with `push %rbp`: the kernel's walk already has outer().
--- flags
-q -c 'build/targets/stacks chain 3 50'
--- prog
uprobe:build/targets/stacks:middle /pid == cpid/ { @[ustack(3)] = count(); }
--- stdout-re
chain 3


@\[
    middle\+0
    outer\+\d+
    main\+\d+
\]: 3

### one_block_over_both_kinds_of_function_entry_gets_both_stacks_right
--- flags
-q -c 'build/targets/stacks chain 2 50'
--- prog
uprobe:build/targets/stacks:leaf, uprobe:build/targets/stacks:middle /pid == cpid/ { @[probe, ustack(3)] = count(); }
--- stdout-re
chain 2


@\[uprobe:build/targets/stacks:leaf, 
    leaf\+0
    inner\+\d+
    middle\+\d+
\]: 2
@\[uprobe:build/targets/stacks:middle, 
    middle\+0
    outer\+\d+
    main\+\d+
\]: 2

### a_return_probe_stack_starts_in_the_caller
--- flags
-q -c 'build/targets/stacks chain 4 50'
--- prog
uretprobe:build/targets/stacks:leaf /pid == cpid/ { @[ustack(2)] = count(); }
--- stdout-re
chain 4


@\[
    inner\+\d+
    middle\+\d+
\]: 4

### ustack_perf_mode_prints_address_symbol_and_module
--- flags
-q -c 'build/targets/stacks chain 1 50'
--- prog
uprobe:build/targets/stacks:inner /pid == cpid/ { @[ustack(perf, 2)] = count(); }
--- stdout-re
chain 1


@\[
\t[0-9a-f]+ inner\+0 \(/.*build/targets/stacks\)
\t[0-9a-f]+ middle\+\d+ \(/.*build/targets/stacks\)
\]: 1

### ustack_raw_mode_prints_addresses_only
--- flags
-q -c 'build/targets/stacks chain 1 50'
--- prog
uprobe:build/targets/stacks:inner /pid == cpid/ { print(ustack(raw, 2)); }
--- check
re.search(r"^\n\t[0-9a-f]{12}\n\t[0-9a-f]{12}\n\n", out.replace("chain 1\n", ""))

### a_printed_stack_is_a_newline_then_frames_indented_by_eight
--- flags
-q -c 'build/targets/stacks chain 1 50'
--- prog
uprobe:build/targets/stacks:inner /pid == cpid/ { printf("%s|\n", ustack(2)); print(ustack(1)); }
--- check
re.match(r"\n        inner\+0\n        middle\+\d+\n\|\n\n        inner\+0\n\n", out.replace("chain 1\n", ""))

### kstack_of_a_syscall_runs_through_the_syscall_entry
--- flags
-q -c 'build/targets/sysload getppid 1'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[kstack] = count(); }
--- check
re.search(r"^    do_syscall_64\+\d+$", out, re.M) and re.search(r"^    entry_SYSCALL_64\S*\+\d+$", out, re.M) and out.rstrip().endswith("]: 1")

### kstack_perf_mode_and_a_frame_limit
--- flags
-q -c 'build/targets/sysload getppid 1'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[kstack(perf, 2)] = count(); }
--- stdout-re


@\[
\tffffffff[0-9a-f]+ \w+\+\d+
\tffffffff[0-9a-f]+ \w+\+\d+
\]: 1

### stacks_and_other_values_share_a_key_separated_by_commas
--- flags
-q -c 'build/targets/sysload spin 2'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[ustack(1), comm, kstack(1)] = count(); exit(); }
--- stdout-re


@\[
    \w+\+\d+
, sysload, 
    \w+\+\d+
\]: [1-9][0-9]*

### the_same_addresses_in_two_processes_are_two_stacks
funcs-nopie sits at fixed addresses, so both runs have identical frames;
the user stack's key carries the process.
--- setup
printf '#!/bin/sh\nbuild/targets/funcs-nopie calls 1 30 >/dev/null\nbuild/targets/funcs-nopie calls 1 30 >/dev/null\n' > {TMP}/twice.sh
chmod +x {TMP}/twice.sh
--- flags
-q -c {TMP}/twice.sh
--- prog
uprobe:build/targets/funcs-nopie:add /comm == "funcs-nopie"/ { @[ustack(1)] = count(); }
--- stdout-re


@\[
    add\+0
\]: 1
@\[
    add\+0
\]: 1

### names_of_a_process_that_exited_long_before_the_end
--- setup
printf '#!/bin/sh\nbuild/targets/stacks chain 3 20\nsleep 0.5\n' > {TMP}/early.sh
chmod +x {TMP}/early.sh
--- flags
-q -c {TMP}/early.sh
--- prog
uprobe:build/targets/stacks:inner /comm == "stacks"/ { @[ustack(2)] = count(); }
--- stdout-re
chain 3


@\[
    inner\+0
    middle\+\d+
\]: 3

### a_stack_can_be_held_in_a_variable
--- flags
-q -c 'build/targets/stacks chain 1 50'
--- prog
uprobe:build/targets/stacks:inner /pid == cpid/ { $s = ustack(2); @[$s] = count(); }
--- stdout-re
chain 1


@\[
    inner\+0
    middle\+\d+
\]: 1

### code_without_frame_pointers_gives_cut_stacks_and_says_so
Sampled inside stacks-nofp's inner(), the walk stops at once or wanders
into data: the note names the file. (Frame pointers only: with CFI, the
default, the same stacks are whole; see the next case.)
--- env
SONDE_UNWIND=fp
--- flags
-q -c 'build/targets/stacks-nofp burn 300'
--- prog
profile:hz:499 /pid == cpid/ { @[ustack] = count(); }
--- stderr-has
the code likely has no frame pointers. Rebuild it with -fno-omit-frame-pointer (Java: -XX:+PreserveFramePointer) for whole stacks.
--- check
re.search(r"stopped short \(in /[^)]*build/targets/stacks-nofp[,)]", err) and "    inner+" in out

### code_without_frame_pointers_but_with_cfi_gives_whole_stacks_and_no_note
The first stacks, taken before the tables are loaded, are cut; the note
leaves out files that have CFI tables.
--- flags
-q -c 'build/targets/stacks-nofp burn 300'
--- prog
profile:hz:499 /pid == cpid/ { @[ustack] = count(); }
--- check
"stopped short" not in err and re.search(r"    inner\+\d+\n    middle\+\d+\n    outer\+\d+\n    main\+\d+\n    __libc_start_call_main\+\d+\n    __libc_start_main_impl\+\d+\n    _start\+\d+\n\]: \d+", out)

### stack_modes_and_limits_are_checked
--- prog
BEGIN { @a[ustack(fast)] = count(); @b[kstack(0)] = count(); @c[kstack(1, 2)] = count(); @d[ustack(perf, 200)] = count(); }
--- stderr
stdin:1:19-23: ERROR: ustack: unknown stack mode 'fast' (expected bpftrace, perf, raw, python or build_id)
BEGIN { @a[ustack(fast)] = count(); @b[kstack(0)] = count(); @c[kstack(1, 2)] = count(); @d[ustack(perf, 200)] = count(); }
                  ~~~~
stdin:1:47-48: ERROR: kstack: the number of frames must be between 1 and 127, got 0
BEGIN { @a[ustack(fast)] = count(); @b[kstack(0)] = count(); @c[kstack(1, 2)] = count(); @d[ustack(perf, 200)] = count(); }
                                              ~
stdin:1:72-73: ERROR: kstack: the first of two arguments is the mode: bpftrace, perf or raw
BEGIN { @a[ustack(fast)] = count(); @b[kstack(0)] = count(); @c[kstack(1, 2)] = count(); @d[ustack(perf, 200)] = count(); }
                                                                       ~
stdin:1:106-109: ERROR: ustack: the number of frames must be between 1 and 127, got 200
BEGIN { @a[ustack(fast)] = count(); @b[kstack(0)] = count(); @c[kstack(1, 2)] = count(); @d[ustack(perf, 200)] = count(); }
                                                                                                         ~~~
--- rc
1

### a_map_of_stacks_refuses_a_stack_of_another_mode
--- prog
BEGIN { @x = ustack(perf); @x = ustack; }
--- stderr-has
ERROR: Type mismatch for @x: trying to assign value of type 'ustack' when map already contains a value of type 'ustack(perf)'
--- rc
1

### uaddr_names_a_symbol_of_a_pie_at_its_run_time_address
--- flags
-q -c 'build/targets/stacks chain 1 50'
--- prog
uprobe:build/targets/stacks:inner /pid == cpid/ { printf("%s %s %d\n", usym(uaddr("middle")), usym(uaddr("outer") + 9), reg("ip") == uaddr("inner")); exit(); }
--- check
"middle outer 1\n" in out

### uaddr_of_a_fixed_address_executable_is_a_constant
--- flags
-q -c 'build/targets/funcs-nopie calls 1 50'
--- prog
uprobe:build/targets/funcs-nopie:add /pid == cpid/ { printf("%s %d\n", usym(uaddr("fib")), uaddr("fib") > 0x400000 && uaddr("fib") < 0x500000); exit(); }
--- check
"fib 1\n" in out

### uaddr_errors_name_the_symbol_and_the_file
--- prog
uprobe:build/targets/stacks:inner,uprobe:build/targets/stacks:middle { print(uaddr("nope")); print(uaddr("main")); }
--- stderr-has
stdin:1:84-90: ERROR: uaddr(): nope is not a symbol in build/targets/stacks (list functions with: sonde -l 'uprobe:build/targets/stacks:*')
stdin:1:100-113: ERROR: uaddr() in a position-independent file (build/targets/stacks) needs a block with one entry probe: its load address is worked out from the probed instruction
--- rc
1

### kernel_stacks_read_as_bpftrace_prints_them
The same kernel path through both tracers: the map from "@[" on must be
byte for byte bpftrace 0.17's (when it is installed).
--- flags
-q -c 'build/targets/sysload getppid 3'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[kstack] = count(); @p[kstack(perf, 3)] = count(); }
--- check
(lambda bt, o: o[o.index("@["):] == bt[bt.index("@["):])(__import__("subprocess").run(["bpftrace", "-e", 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[kstack] = count(); @p[kstack(perf, 3)] = count(); }', "-c", "build/targets/sysload getppid 3"], capture_output=True, text=True, timeout=60, env={k: v for k, v in __import__("os").environ.items() if not k.startswith("BPFTRACE_")}).stdout, out) if __import__("shutil").which("bpftrace") else "do_syscall_64+" in out

### usdt_stacks_start_at_the_site_with_no_return_address_frame
A USDT site sits inside a function: [sp] there is data, not a caller.
--- flags
-q -c 'build/targets/usdt calls 2 50'
--- prog
usdt:build/targets/usdt:sonde:tick /pid == cpid/ { @[ustack(3)] = count(); }
--- stdout-re


@\[
    work\+\d+
    (main\+\d+
    )?__libc_start_call_main\+\d+
\]: 2

### an_empty_stack_prints_as_an_empty_string
A kernel thread has no user stack: bpftrace prints an empty key. (A
kworker running a work item, which the kernel does every second or more on
each CPU; sampling the idle task found no idle CPU on a loaded machine.)
Kworkers of two CPUs may run before exit() takes hold: a user stack's key
holds its process, so each has its own empty key.
--- prog
tracepoint:workqueue:workqueue_execute_start /curtask->mm == 0/ { @[ustack(3)] = count(); exit(); } interval:ms:5000 { exit(); }
--- stdout-re


@\[\]: \d+(\n@\[\]: \d+)*

### names_of_a_program_that_replaced_itself_with_exec
The shell is first seen in wait4, then execs stacks under the same pid:
its maps are read again, and the shell's own frame keeps its name too.
--- setup
printf '#!/bin/sh\nsleep 0.2\nexec build/targets/stacks chain 2 300\n' > {TMP}/execer.sh
chmod +x {TMP}/execer.sh
--- flags
-q -c {TMP}/execer.sh
--- prog
tracepoint:syscalls:sys_enter_wait4 /pid == cpid/ { @w[ustack(1)] = count(); } uprobe:build/targets/stacks:leaf /pid == cpid/ { @[ustack(2)] = count(); }
--- stdout-re
chain 2


@\[
    leaf\+0
    inner\+\d+
\]: 2
@w\[
    wait4\+\d+
\]: \d+

### names_of_a_library_loaded_after_the_process_was_first_seen
stacks is first seen in getppid, then dlopens libz: the miss reads its maps again.
--- flags
-q -c 'build/targets/stacks dlopen libz.so.1 zlibVersion'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("first%s\n", ustack(1)); } uprobe:/lib/x86_64-linux-gnu/libz.so.1:zlibVersion /pid == cpid/ { printf("then%s\n", ustack(1)); }
--- stdout-re
first
        getppid\+\d+

then
        zlibVersion\+0

### too_many_full_stacks_on_one_path_are_explained
Each ustack's CFI walk also keeps its bpf_loop context on the stack: 70 of
them may pass the 512 bytes before the verifier's limits.
--- prog
uprobe:build/targets/stacks:leaf { unroll(70) { @[ustack] = count(); } }
--- check
("too many branches on one path for the verifier (each kstack/ustack is hashed in a loop of its frames): take fewer stacks, fewer frames (ustack(16)) or unroll less" in err) or ("the program is too large for the verifier (over a million instructions to check): bound the loops tighter, unroll less, or split the block" in err) or ("more than the 512 the kernel allows" in err)
--- rc
1

### a_positional_parameter_can_set_the_frame_limit
--- prog
BEGIN { @[kstack($1)] = count(); exit(); }
--- params
2
--- check
len(re.findall(r"^    \S+\+\d+$", out, re.M)) == 2

### vdso_frames_are_named_from_sondes_own_copy_of_the_image
The process CPU clock is not served by the vDSO: its clock_gettime makes
the system call itself, so the first user frame is in the vDSO.
--- flags
-q -c 'build/targets/stacks burn 200'
--- prog
tracepoint:syscalls:sys_enter_clock_gettime /pid == cpid/ { @[ustack(2)] = count(); }
--- stdout-re


@\[
    __vdso_clock_gettime\+\d+
    clock_gettime(@GLIBC_2\.2\.5)?\+\d+
\]: \d+
