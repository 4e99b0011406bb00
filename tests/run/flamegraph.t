### flamegraph_draws_a_ustack_map_a_script_printed_with_its_counts
sonde's own printout of @[ustack] = count(), the traced command's "chain 5"
and the blank lines included, becomes one tower: root first, offsets gone,
every frame 5 samples.
--- setup
{SONDE} -q -e 'uprobe:build/targets/stacks:leaf { @[ustack] = count(); }' -c 'build/targets/stacks chain 5 300' > {TMP}/maps.txt
grep -qx 'chain 5' {TMP}/maps.txt
--- flags
flamegraph {TMP}/maps.txt
--- check
[f"{d} {n} {c}" for c, d, n in re.findall(r'data-c="(\d+)" data-d="(\d+)"><title>(.*?) \([\d,]+ samples', out)] == ["0 all 5", "1 __libc_start_call_main 5", "2 main 5", "3 outer 5", "4 middle 5", "5 inner 5", "6 leaf 5"]

### flamegraph_puts_comm_at_the_root_and_the_kernel_stack_on_the_user_stack
A tracepoint's @[kstack, ustack, comm], piped straight into sonde
flamegraph: sysload at the root, its user frames (named or not), then the
kernel's from the syscall entry up; 7 getppid() calls, 7 samples in each frame. Reading
the same text from a file draws the same SVG.
--- setup
{SONDE} -q -e 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[kstack, ustack, comm] = count(); }' -c 'build/targets/sysload getppid 7' | tee {TMP}/maps.txt | {SONDE} flamegraph > {TMP}/piped.svg
--- flags
flamegraph {TMP}/maps.txt
--- check
out == open("{TMP}/piped.svg").read() and (lambda f: f[:2] == [(0, "all", 7), (1, "sysload", 7)] and [d for d, n, c in f] == list(range(len(f))) and all(c == 7 for d, n, c in f) and [n for d, n, c in f].index("entry_SYSCALL_64_after_hwframe") >= 3 and [n for d, n, c in f].index("entry_SYSCALL_64_after_hwframe") + 1 == [n for d, n, c in f].index("do_syscall_64"))([(int(d), n, int(c)) for c, d, n in re.findall(r'data-c="(\d+)" data-d="(\d+)"><title>(.*?) \([\d,]+ samples', out)])

### flamegraph_colours_the_kernel_frames_of_perf_mode_stacks
kstack(perf) prints addresses: the kernel's mark its frames _[k], drawn in
the kernel's palette (blue 60 and over) without the suffix; user frames
keep the warm one (blue 55 at most), named or, when sysload ended before
its maps were read, as addresses.
--- setup
{SONDE} -q -e 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[kstack(perf), ustack(perf)] = count(); }' -c 'build/targets/sysload getppid 4' > {TMP}/maps.txt
grep -q '^	ffffffff[0-9a-f]* do_syscall_64+[0-9]*$' {TMP}/maps.txt
--- flags
flamegraph {TMP}/maps.txt
--- check
"_[k]" not in out and (lambda f, user: f.get("do_syscall_64", (0, 0))[1] >= 60 and f.get("entry_SYSCALL_64_after_hwframe", (0, 0))[1] >= 60 and len(user) >= 1 and all(f[n][1] <= 55 for n in user) and all(c == 4 for c, b in f.values()))(*(lambda f: (f, [n for n in f if n.startswith("0x") or n in ("syscall", "main", "__libc_start_call_main", "__libc_start_main_impl", "_start")]))({n: (int(c), int(b)) for c, n, b in re.findall(r'data-c="(\d+)" data-d="\d+"><title>(.*?) \([\d,]+ samples[^<]*</title><rect [^>]*fill="rgb\(\d+,\d+,(\d+)\)"', out)}))

### flamegraph_takes_every_stack_map_a_named_one_under_its_name
@[ustack(3)] and @lat[ustack(2)] = hist() both become stacks (a histogram
counts its buckets' sum), @lat's under a root frame of its own; @n and
@c have no stack in their key and are passed over.
--- setup
{SONDE} -q -e 'uprobe:build/targets/stacks:leaf { @[ustack(3)] = count(); @lat[ustack(2)] = hist(3); @n = count(); @c[comm] = count(); }' -c 'build/targets/stacks chain 4 300' > {TMP}/maps.txt
grep -q '^\[2, 4) ' {TMP}/maps.txt
--- flags
flamegraph {TMP}/maps.txt
--- check
[f"{d} {n} {c}" for c, d, n in re.findall(r'data-c="(\d+)" data-d="(\d+)"><title>(.*?) \([\d,]+ samples', out)] == ["0 all 8", "1 @lat 4", "2 inner 4", "3 leaf 4", "1 middle 4", "2 inner 4", "3 leaf 4"]

### flamegraph_reads_bpftrace_0_17_printout
What /usr/bin/bpftrace 0.17 printed for @[kstack], @k[kstack(perf)] and
@ku[kstack, ustack, comm] on a tracepoint: "Attaching 1 probe..." and blank
lines passed over, unresolved user frames kept as addresses.
--- flags
flamegraph
--- stdin
Attaching 1 probe...


@[
    perf_syscall_enter+475
    syscall_trace_enter+384
    do_syscall_64+527
    entry_SYSCALL_64_after_hwframe+118
]: 3
@k[
	ffffffff814c44eb perf_syscall_enter+475
	ffffffff81425010 syscall_trace_enter+384
	ffffffff8223e12f do_syscall_64+527
	ffffffff81000130 entry_SYSCALL_64_after_hwframe+118
]: 3
@ku[
    perf_syscall_enter+475
    syscall_trace_enter+384
    do_syscall_64+527
    entry_SYSCALL_64_after_hwframe+118
, 
    0x7f0cea08e829
    0x7f0ce9fb424a
, sysload]: 3
--- check
[f"{d} {n} {c}" for c, d, n in re.findall(r'data-c="(\d+)" data-d="(\d+)"><title>(.*?) \([\d,]+ samples', out)] == ["0 all 9", "1 @k 3", "2 entry_SYSCALL_64_after_hwframe 3", "3 do_syscall_64 3", "4 syscall_trace_enter 3", "5 perf_syscall_enter 3", "1 @ku 3", "2 sysload 3", "3 0x7f0ce9fb424a 3", "4 0x7f0cea08e829 3", "5 entry_SYSCALL_64_after_hwframe 3", "6 do_syscall_64 3", "7 syscall_trace_enter 3", "8 perf_syscall_enter 3", "1 entry_SYSCALL_64_after_hwframe 3", "2 do_syscall_64 3", "3 syscall_trace_enter 3", "4 perf_syscall_enter 3"]

### flamegraph_refuses_a_map_entry_cut_off_at_its_start
The head of the printout is missing: no SVG of "]:" frames, but the line
and what it lacks.
--- flags
flamegraph
--- stdin
    leaf+0
    inner+49
]: 5
--- stdout
--- stderr
ERROR: flamegraph: line 3: ']: 5' ends a map entry that never began (expected a line '@NAME[' before it)
--- rc
1

### flamegraph_refuses_a_line_out_of_place_inside_an_entry
--- flags
flamegraph
--- stdin
@[
    leaf+0
main
]: 5
--- stdout
--- stderr
ERROR: flamegraph: line 3: expected a stack frame (indented), ', ' or ']: COUNT' inside the entry of @ that began on line 1, got 'main'
--- rc
1

### flamegraph_refuses_a_value_that_is_not_a_count
@[ustack] = comm prints a string where the count goes.
--- setup
{SONDE} -q -e 'uprobe:build/targets/stacks:leaf { @[ustack(1)] = comm; }' -c 'build/targets/stacks chain 1' > {TMP}/maps.txt
--- flags
flamegraph {TMP}/maps.txt
--- stdout
--- stderr
ERROR: flamegraph: line 6: expected a count after ']:' (the value of count(), sum() or stats(), or a histogram), got 'stacks'
--- rc
1

### flamegraph_refuses_input_that_is_neither_format
--- flags
flamegraph
--- stdin
Tracing... Hit Ctrl-C to end.
18:02:11 opened 3 files
--- stdout
--- stderr
ERROR: flamegraph: no samples in the input: line 1 ('Tracing... Hit Ctrl-C to end.') is neither a folded stack ("main;foo;bar 12") nor a bpftrace map of stacks ("@[", frames, "]: 12")
--- rc
1

### flamegraph_refuses_maps_without_stacks
--- setup
{SONDE} -q -e 'uprobe:build/targets/stacks:leaf { @n = count(); @c[comm] = count(); }' -c 'build/targets/stacks chain 2' > {TMP}/maps.txt
--- flags
flamegraph {TMP}/maps.txt
--- stdout
--- stderr
ERROR: flamegraph: no samples in the input: no map in it has a stack (kstack, ustack) in its key, or every count is 0
--- rc
1

### flamegraph_refuses_json_with_a_hint
--- setup
{SONDE} -q -f json -e 'uprobe:build/targets/stacks:leaf { @[ustack] = count(); }' -c 'build/targets/stacks chain 2' > {TMP}/maps.json
--- flags
flamegraph {TMP}/maps.json
--- stdout
--- stderr-has
is JSON (sonde -f json); expected folded stacks or a map printed as text (leave out -f json)
--- rc
1
