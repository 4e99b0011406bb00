# Probe types of bpftrace 0.2x: rawtracepoint, iter, self:signal, source-line uprobes.

### rawtracepoint_reads_args_by_name_and_argN
A raw_tp program on sched_process_exec: args are the tracepoint's C
arguments (BTF), argN the same u64s; the -c child's exec only.
--- flags
-q -c /bin/true
--- prog
rawtracepoint:sched_process_exec /pid == cpid/ { printf("%s %d %d %s %s\n", probe, args.old_pid == pid, arg1 == pid, str(args.bprm.filename), args.p.comm); exit(); }
--- stdout
rawtracepoint:vmlinux:sched_process_exec 1 1 /bin/true true

### rawtracepoint_short_name_and_module_form
--- flags
-q -c /bin/true
--- prog
rt:vmlinux:sched_process_exec /pid == cpid/ { printf("%s\n", probe); exit(); }
--- stdout
rawtracepoint:vmlinux:sched_process_exec

### rawtracepoint_globs_give_one_point_per_event
The run ends when the -c child is reaped, after its exit event.
--- flags
-q -c /bin/true
--- prog
rawtracepoint:sched_process_ex* /pid == cpid/ { printf("%s\n", probe); }
--- stdout
rawtracepoint:vmlinux:sched_process_exec
rawtracepoint:vmlinux:sched_process_exit

### rawtracepoint_sys_enter_gives_the_syscall_number
raw_syscalls' sys_enter before its record is made: (struct pt_regs *regs,
long id); getppid is 110 on x86-64, called 3 times.
--- flags
-q -c 'build/targets/sysload getppid 3'
--- prog
rawtracepoint:sys_enter /pid == cpid && args.id == 110 && arg1 == 110/ { @[probe] = count(); }
--- stdout


@[rawtracepoint:vmlinux:sys_enter]: 3

### rawtracepoint_unknown_event_is_an_error
--- prog
rawtracepoint:no_such_event { }
--- stderr
stdin:1:1-28: ERROR: rawtracepoint not found: no_such_event (list them with: sonde -l 'rawtracepoint:*')
rawtracepoint:no_such_event { }
~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### rawtracepoint_other_module_is_an_error
--- prog
rawtracepoint:kvm:kvm_exit { }
--- stderr-has
stdin:1:1-27: ERROR: rawtracepoint module 'kvm': sonde reads only vmlinux's BTF (write rawtracepoint:vmlinux:kvm_exit or rawtracepoint:kvm_exit)
--- rc
1

### rawtracepoint_argN_past_the_arguments_is_an_error
--- prog
rawtracepoint:sched_process_exec { print(arg3); }
--- stderr
stdin:1:42-46: ERROR: rawtracepoint:vmlinux:sched_process_exec has 3 arguments: arg3 is past them
rawtracepoint:sched_process_exec { print(arg3); }
                                         ~~~~
--- rc
1

### rawtracepoint_unknown_argument_name_is_an_error
--- prog
rawtracepoint:sched_process_exec { print(args.nope); }
--- stderr
stdin:1:42-51: ERROR: rawtracepoint:vmlinux:sched_process_exec has no argument named 'nope' (list them with: sonde -lv rawtracepoint:vmlinux:sched_process_exec)
rawtracepoint:sched_process_exec { print(args.nope); }
                                         ~~~~~~~~~
--- rc
1

### rawtracepoint_listing_with_arguments
--- flags
-lv rawtracepoint:sched_process_exec
--- stdout
rawtracepoint:vmlinux:sched_process_exec
    struct task_struct * p
    pid_t old_pid
    struct linux_binprm * bprm

### rawtracepoint_listing_globs
--- flags
-l rt:sched_process_ex*
--- stdout
rawtracepoint:vmlinux:sched_process_exec
rawtracepoint:vmlinux:sched_process_exit

### iter_task_runs_once_per_task_between_begin_and_end
The iterator walks every task once, after BEGIN; then the run ends and END
runs. Only sonde's own thread is printed.
--- prog
BEGIN { printf("begin\n"); } iter:task /ctx.task.pid == tid/ { printf("%s %d %d\n", probe, ctx.task.tgid == pid, ctx.task.pid == tid); } END { printf("end\n"); }
--- stdout
begin
iter:task 1 1
end

### iter_task_counts_tasks_and_prints_maps
--- prog
it:task { @tasks = count(); } END { printf("%d\n", @tasks > 1); clear(@tasks); }
--- stdout
1

### iter_task_file_gives_fd_and_file
sonde's own descriptors, in fd order: the program, the iterator's link and
the iterator being read.
--- prog
iter:task_file /ctx.task.pid == tid/ { $n = str(ctx.file.f_path.dentry.d_name.name); if ($n == "bpf-prog" || $n == "bpf_link" || $n == "bpf_iter") { printf("%s %d\n", $n, ctx.fd > 2); } }
--- stdout
bpf-prog 1
bpf_link 1
bpf_iter 1

### iter_task_vma_gives_the_memory_areas
--- prog
iter:task_vma /ctx.task.pid == tid/ { @areas = count(); if (ctx.vma.vm_start >= ctx.vma.vm_end) { @bad = count(); } } END { printf("%d %d\n", @areas > 10, @bad); clear(@areas); clear(@bad); }
--- stdout
1 0

### iter_takes_the_arrow_spelling_of_older_scripts
bpftrace 0.17's `ctx->task->pid`; a pointer member kept in a variable.
--- prog
iter:task_file /ctx->task->pid == tid && ctx->fd == 2/ { $f = ctx->file; printf("%d %d\n", ctx->fd, $f != 0); }
--- stdout
2 1

### iter_lists_with_ctx_members
--- flags
-lv iter:task_file
--- stdout
iter:task_file
    struct task_struct * task
    unsigned int fd
    struct file * file

### iter_cannot_be_mixed_with_other_probes
--- prog
iter:task { } tracepoint:syscalls:sys_enter_getpid { }
--- stderr
stdin:1:1-10: ERROR: iter:task cannot be mixed with other probes (only BEGIN and END), here tracepoint:syscalls:sys_enter_getpid
iter:task { } tracepoint:syscalls:sys_enter_getpid { }
~~~~~~~~~
--- rc
1

### iter_pinning_is_refused
--- prog
iter:task:/sys/fs/bpf/x { }
--- stderr
stdin:1:1-24: ERROR: iter:task:/sys/fs/bpf/x: pinning an iterator in /sys/fs/bpf is not supported by sonde: write iter:task, which runs it now
iter:task:/sys/fs/bpf/x { }
~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### iter_unknown_kind_is_an_error
--- prog
iter:tcp { }
--- stderr
stdin:1:1-9: ERROR: invalid iterator: iter:tcp (sonde knows iter:task, iter:task_file and iter:task_vma)
iter:tcp { }
~~~~~~~~
--- rc
1

### iter_unknown_ctx_member_is_an_error
--- prog
iter:task { print(ctx.fd); }
--- stderr
stdin:1:19-25: ERROR: iter:task has no field 'fd' in ctx (it has task)
iter:task { print(ctx.fd); }
                  ~~~~~~
--- rc
1

### iter_with_a_command_is_refused
--- flags
-q -c /bin/true
--- prog
iter:task { }
--- stderr-has
stdin:1:1-10: ERROR: iter:task walks every task of the system: -p and -c do not apply
--- rc
1

### ctx_is_unknown_outside_iterators
--- prog
BEGIN { print(ctx); }
--- stderr-has
stdin:1:15-18: ERROR: Unknown identifier: 'ctx'
--- rc
1

### self_signal_runs_when_sonde_gets_sigusr1
--- prog
BEGIN { printf("begin\n"); } self:signal:SIGUSR1 { printf("%s %d\n", probe, pid == tid); exit(); }
--- signal
SIGUSR1 2000
--- stdout
begin
self:signal:SIGUSR1 1

### self_signal_other_signals_are_refused
--- prog
self:signal:SIGUSR2 { }
--- stderr
stdin:1:1-20: ERROR: self:signal: SIGUSR2 is not a signal a probe can take (only SIGUSR1, as in bpftrace)
self:signal:SIGUSR2 { }
~~~~~~~~~~~~~~~~~~~
--- rc
1

### self_other_events_are_refused
--- prog
self:exit { }
--- stderr
stdin:1:1-10: ERROR: invalid self probe: self:exit (expected self:signal:SIGUSR1)
self:exit { }
~~~~~~~~~
--- rc
1

### self_signal_is_listed
--- flags
-l self:*
--- stdout
self:signal:SIGUSR1

### uprobe_on_a_source_line_fires_per_execution
`sum += add(…)` (funcs.c line 76) runs once per call: 3 times; func is the
function holding it.
--- flags
-q -c 'build/targets/funcs calls 3'
--- prog
uprobe:build/targets/funcs@funcs.c:76 { @[probe, func] = count(); }
--- stdout
79


@[uprobe:build/targets/funcs@funcs.c:76, calls]: 3

### uprobe_on_a_for_line_probes_each_part
Line 75 is `for (long i = 0; i < n; i++)`: its initialisation starts one
statement (once), its increment another (3 times).
--- flags
-q -c 'build/targets/funcs calls 3'
--- prog
u:build/targets/funcs@funcs.c:75 { @ = count(); }
--- stdout
79


@: 4

### uprobe_on_a_source_line_and_column
Column 7 of line 76 is the `+=`, after the call returns.
--- flags
-q -c 'build/targets/funcs calls 3'
--- prog
uprobe:build/targets/funcs@funcs.c:76:7 { @[probe] = count(); }
--- stdout
79


@[uprobe:build/targets/funcs@funcs.c:76:7]: 3

### uprobe_on_a_source_line_by_absolute_path
--- setup
printf 'uprobe:build/targets/funcs@%s/tests/targets/funcs.c:77 { @[func] = count(); }\n' "$PWD" > {TMP}/abs.bt
--- flags
-q -c 'build/targets/funcs calls 3' {TMP}/abs.bt
--- stdout
79


@[calls]: 3

### uprobe_source_line_without_code_is_an_error
--- prog
u:build/targets/funcs@funcs.c:72 { }
--- stderr
stdin:1:1-33: ERROR: no statement starts at tests/targets/funcs.c:72 in build/targets/funcs (the nearest lines with code: 70 and 73)
u:build/targets/funcs@funcs.c:72 { }
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### uprobe_source_file_not_in_the_binary_is_an_error
--- prog
u:build/targets/funcs@nope.c:73 { }
--- stderr
stdin:1:1-32: ERROR: no source file 'nope.c' in the line table of build/targets/funcs
u:build/targets/funcs@nope.c:73 { }
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### uprobe_ambiguous_source_file_is_an_error
Two units compiled from a/x.c and b/x.c: x.c names both.
--- setup
mkdir -p {TMP}/a {TMP}/b
printf 'int fa(int x)\n{\n\treturn x + 1;\n}\n' > {TMP}/a/x.c
printf 'int fa(int x);\nint main(void)\n{\n\treturn fa(1) - 2;\n}\n' > {TMP}/b/x.c
cc -O0 -g {TMP}/a/x.c {TMP}/b/x.c -o {TMP}/prog
printf 'uprobe:{TMP}/prog@x.c:3 { }\n' > {TMP}/amb.bt
--- flags
{TMP}/amb.bt
--- stderr-has
ERROR: source file 'x.c' is ambiguous in {TMP}/prog: {TMP}/a/x.c and {TMP}/b/x.c (write more of its path)
--- rc
1

### uprobe_source_file_suffix_picks_one_unit
--- setup
mkdir -p {TMP}/a {TMP}/b
printf 'int fa(int x)\n{\n\treturn x + 1;\n}\n' > {TMP}/a/x.c
printf 'int fa(int x);\nint main(void)\n{\n\treturn fa(1) - 2;\n}\n' > {TMP}/b/x.c
cc -O0 -g {TMP}/a/x.c {TMP}/b/x.c -o {TMP}/prog
printf 'uprobe:{TMP}/prog@a/x.c:3 { printf("%%s\\n", func); }\n' > {TMP}/one.bt
--- flags
-q -c {TMP}/prog {TMP}/one.bt
--- stdout
fa

### uretprobe_on_a_source_line_is_refused
--- prog
ur:build/targets/funcs@funcs.c:76 { }
--- stderr
stdin:1:1-34: ERROR: ur:build/targets/funcs@funcs.c:76: a uretprobe goes on a function's return, not on a source line: use uprobe
ur:build/targets/funcs@funcs.c:76 { }
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### uprobe_source_line_syntax_errors
--- prog
u:build/targets/funcs@funcs.c:x { }
--- stderr
stdin:1:1-32: ERROR: invalid source-line uprobe: u:build/targets/funcs@funcs.c:x (expected uprobe:BINARY@FILE:LINE or uprobe:BINARY@FILE:LINE:COLUMN)
u:build/targets/funcs@funcs.c:x { }
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### uprobe_source_line_needs_dwarf
--- prog
uprobe:/bin/true@true.c:10 { }
--- stderr
stdin:1:1-27: ERROR: /bin/true has no DWARF line table (build it with -g, or install its debug file)
uprobe:/bin/true@true.c:10 { }
~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### uprobe_source_line_has_no_args
--- prog
uprobe:build/targets/funcs@funcs.c:76 { print(args.a) }
--- stderr
stdin:1:47-53: ERROR: args are known at a function's entry only, not at uprobe:build/targets/funcs@funcs.c:76
uprobe:build/targets/funcs@funcs.c:76 { print(args.a) }
                                              ~~~~~~
--- rc
1

### import_brings_macros_and_probes_of_another_script
A file imported twice counts once; its BEGIN runs before the importer's.
--- setup
mkdir -p {TMP}/lib
printf 'macro twice(x) { x * 2 }\nBEGIN { printf("lib begin\\n"); }\n' > {TMP}/lib/m.bt
printf 'import "lib/m.bt";\nimport "lib/m.bt";\nBEGIN { printf("%%d\\n", twice(21)); exit(); }\n' > {TMP}/main.bt
--- flags
-q {TMP}/main.bt
--- stdout
lib begin
42

### import_of_a_directory_takes_its_bt_files_in_name_order
An import cycle (b.bt imports the main script) ends.
--- setup
mkdir -p {TMP}/lib
printf 'BEGIN { printf("a\\n"); }\n' > {TMP}/lib/a.bt
printf 'import "../main.bt";\nBEGIN { printf("b\\n"); }\n' > {TMP}/lib/b.bt
printf 'not a script\n' > {TMP}/lib/notes.txt
printf 'import "lib";\nBEGIN { printf("main\\n"); exit(); }\n' > {TMP}/main.bt
--- flags
-q {TMP}/main.bt
--- stdout
a
b
main

### import_errors_name_the_imported_file_and_line
--- setup
mkdir -p {TMP}/lib
printf '\nBEGIN { printf("%%d\\n", nope); }\n' > {TMP}/lib/bad.bt
printf 'import "lib/bad.bt";\nBEGIN { exit(); }\n' > {TMP}/main.bt
--- flags
-q {TMP}/main.bt
--- stderr
{TMP}/lib/bad.bt:2:24-28: ERROR: Unknown identifier: 'nope'
BEGIN { printf("%d\n", nope); }
                       ~~~~
--- rc
1

### import_syntax_errors_name_the_imported_file
--- setup
mkdir -p {TMP}/lib
printf 'BEGIN { printf("x" }\n' > {TMP}/lib/syn.bt
printf 'import "lib/syn.bt";\nBEGIN { exit(); }\n' > {TMP}/main.bt
--- flags
-q {TMP}/main.bt
--- stderr
{TMP}/lib/syn.bt:1:20-21: ERROR: syntax error, unexpected }, expecting ) or ","
BEGIN { printf("x" }
                   ~
--- rc
1

### import_of_c_files_is_refused
--- prog
import "lib.bpf.c"; BEGIN { exit(); }
--- stderr
stdin:1:8-19: ERROR: cannot import "lib.bpf.c": sonde imports bpftrace scripts (.bt) and directories of them; C and object files need a C compiler at run time, which sonde does not use
import "lib.bpf.c"; BEGIN { exit(); }
       ~~~~~~~~~~~
--- rc
1

### import_of_a_missing_file_is_an_error
--- prog
import "no/such.bt"; BEGIN { exit(); }
--- stderr
stdin:1:8-20: ERROR: cannot import "no/such.bt": no/such.bt: No such file or directory
import "no/such.bt"; BEGIN { exit(); }
       ~~~~~~~~~~~~
--- rc
1

### import_needs_a_semicolon
--- prog
import "x.bt" BEGIN { exit(); }
--- stderr
stdin:1:15-20: ERROR: syntax error, unexpected BEGIN, expecting ;
import "x.bt" BEGIN { exit(); }
              ~~~~~
--- rc
1

### import_of_a_config_block_is_refused
--- setup
printf 'config = { max_strlen = 10 }\n' > {TMP}/cfg.bt
printf 'import "cfg.bt";\nBEGIN { exit(); }\n' > {TMP}/main.bt
--- flags
-q {TMP}/main.bt
--- stderr-has
{TMP}/cfg.bt:1:12-27: ERROR: a config block belongs in the main script, not in an imported one
--- rc
1

### test_mode_runs_test_probes_and_reports_them
A passing test's output is kept back, a failing one's shown; BEGIN runs
first and END last; the status is 1 when a test failed.
--- flags
-q --test
--- prog
macro add_one(x) { x + 1 } BEGIN { printf("begin\n"); } test:okay { print("I am okay"); if (add_one(1) != 2) { return 1; } } test:failure { printf("This is a failure\n"); return add_one(0); } test:exits { exit(3); } END { printf("end\n"); }
--- stdout
begin
PASS test:okay
FAIL test:failure (returned 1)
This is a failure
FAIL test:exits (exit(3))
3 tests: 1 passed, 2 failed
end
--- rc
1

### test_mode_all_passing_exits_zero
Maps are not printed in test mode; each test sees what the ones before it wrote.
--- flags
-q --test
--- prog
test:store { @a[1] = 2; } test:load { if (@a[1] != 2) { return 1; } }
--- stdout
PASS test:store
PASS test:load
2 tests: 2 passed, 0 failed

### test_probes_do_not_run_without_test_mode
--- prog
test:never { printf("ran\n"); return 1; } BEGIN { printf("begin\n"); exit(); }
--- stdout
begin

### test_probes_alone_with_begin_end_after_begin
Without --test they do not keep the run going: only BEGIN runs.
--- prog
test:t { printf("no\n"); } BEGIN { printf("begin\n"); }
--- stdout
begin

### return_with_a_value_only_in_test_probes
--- prog
BEGIN { return 1; }
--- stderr
stdin:1:16-17: ERROR: return with a value is a test: probe's result; here, write return;
BEGIN { return 1; }
               ~
--- rc
1

### test_probe_returns_an_integer
--- flags
-q --test
--- prog
test:x { return "a"; }
--- stderr-has
stdin:1:17-20: ERROR: a test: probe returns an integer, not string
--- rc
1

### test_probe_needs_a_name
--- prog
test: { }
--- stderr
stdin:1:1-6: ERROR: invalid test probe: test: (expected test:NAME)
test: { }
~~~~~
--- rc
1

### ustack_build_id_gives_build_id_and_file_offset
The first frame is add's entry: the file's GNU build-id and add's file
offset (its address: text is mapped at its file offset in this PIE).
--- setup
id=$(readelf -n build/targets/funcs | awk '/Build ID/ { print $3 }')
off=$(nm build/targets/funcs | awk '$3 == "add" { print $1 }')
printf '%s + 0x%x\n' "$id" $((0x$off)) > {TMP}/want
--- flags
-q -c 'build/targets/funcs calls 1'
--- prog
uprobe:build/targets/funcs:add { printf("%s\n", ustack(build_id, 2)); exit(); }
--- check
[l.strip() for l in out.split("\n") if " + 0x" in l][0] == open("{TMP}/want").read().strip() and len(re.findall(r"^        [0-9a-f]{40} \+ 0x[0-9a-f]+$", out, re.M)) == 2

### kstack_build_id_is_refused
--- prog
BEGIN { print(kstack(build_id)); }
--- stderr
stdin:1:22-30: ERROR: kstack(build_id): build-ids name the files of user stacks; use ustack(build_id)
BEGIN { print(kstack(build_id)); }
                     ~~~~~~~~
--- rc
1
