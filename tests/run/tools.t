# The function tools (funccount, funclatency, funcslower, stackcount) on
# targets with known answers: tests/targets/slow.c (work(): every 4th call
# naps 5 ms; leaf() from path_a() and path_b()), the Go target's Mul. Each
# target first sleeps ("wait MS") while the tool attaches with -p, and the
# tool ends with it.

### funccount_counts_exactly_the_calls_of_a_go_method_named_as_written
--- background
build/targets/goserver wait 1000 37
--- flags
funccount -p {BG} 'build/targets/goserver:main.(*Arith).Mul'
--- stdout
Tracing 1 functions for "build/targets/goserver:main.(*Arith).Mul"... Hit Ctrl-C to end.

FUNC                                    COUNT
main.(*Arith).Mul                          37
Detaching...

### funccount_a_glob_counts_each_function_ascending
--- background
build/targets/slow wait 1000 paths 3 5
--- flags
funccount -p {BG} 'build/targets/slow:path_*'
--- stdout
Tracing 2 functions for "build/targets/slow:path_*"... Hit Ctrl-C to end.

FUNC                                    COUNT
path_a                                      3
path_b                                      5
Detaching...

### funccount_a_regular_expression
--- background
build/targets/slow wait 1000 paths 2 4
--- flags
funccount -r -p {BG} 'build/targets/slow:(leaf|path_b)'
--- stdout
Tracing 2 functions for "build/targets/slow:(leaf|path_b)"... Hit Ctrl-C to end.

FUNC                                    COUNT
path_b                                      4
leaf                                        6
Detaching...

### funccount_intervals_print_what_happened_since_the_last_one_and_lose_nothing
--- background
build/targets/slow wait 800 work 400
--- flags
funccount -T -i 1 -p {BG} 'build/targets/slow:work'
--- check
len(re.findall(r"^\d\d:\d\d:\d\d\nFUNC +COUNT\n", out, re.M)) >= 1 and sum(int(c) for c in re.findall(r"^work +(\d+)$", out, re.M)) == 400 and out.endswith("Detaching...\n")

### funccount_counts_a_tracepoint_under_its_category_and_event
--- background
build/targets/slow wait 1000 work 8
--- flags
funccount -p {BG} 't:syscalls:sys_enter_clock_nanosleep'
--- check
re.search(r"^syscalls:sys_enter_clock_nanosleep +([0-9]+)$", out, re.M) is not None and int(re.search(r"^syscalls:sys_enter_clock_nanosleep +([0-9]+)$", out, re.M).group(1)) >= 2

### funccount_json_is_one_object_per_summary
--- background
build/targets/slow wait 1000 paths 1 2
--- flags
funccount --json -p {BG} 'build/targets/slow:path_*'
--- check
(lambda l: l[0] == {"type": "attached", "data": {"tool": "funccount", "probes": 2, "pattern": "build/targets/slow:path_*"}} and l[1]["type"] == "counts" and l[1]["data"]["counts"] == [{"func": "path_a", "count": 1}, {"func": "path_b", "count": 2}] and len(l) == 2)([__import__("json").loads(x) for x in out.splitlines()])

### funclatency_puts_a_5_ms_nap_in_its_bucket_with_bcc_footer
--- background
build/targets/slow wait 1000 work 8
--- flags
funclatency -m -p {BG} 'build/targets/slow:work'
--- check
re.search(r"^     msecs               : count     distribution\n         0 -> 1          : 6        \|\*{40}\|\n         2 -> 3          : 0        \| {40}\|\n         4 -> 7          : 2        \|\*{13} {27}\|\n\navg = \d+ msecs, total: \d+ msecs, count: 8\n\nDetaching...\n", out, re.M) is not None

### funclatency_per_function_histograms_are_sectioned
--- background
build/targets/slow wait 1000 paths 3 5
--- flags
funclatency -F -p {BG} 'build/targets/slow:path_*'
--- check
re.search(r"^Function = path_a \[\d+\]\n     nsecs ", out, re.M) is not None and "count: 3\n" in out and "count: 5\n" in out

### funclatency_pairs_go_calls_by_goroutine_while_stacks_grow_and_the_program_stays_right
--- background
build/targets/goserver wait 1000 grow 3000
--- flags
funclatency -u -p {BG} 'build/targets/goserver:main.(*Arith).Mul'
--- check
bg_out == "600000\n" and "count: 3000\n" in out

### funclatency_nested_levels_time_recursive_calls
fib(10) once: 177 calls, 15 of them within 4 levels of the first; without
-l only calls that nest no other (the 89 leaves) pair with their entry.
--- background
build/targets/funcs wait 1000 1
--- flags
funclatency -l 4 -p {BG} 'build/targets/funcs:fib'
--- check
"count: 15\n" in out

### funclatency_without_levels_times_the_innermost_calls
--- background
build/targets/funcs wait 1000 1
--- flags
funclatency -p {BG} 'build/targets/funcs:fib'
--- check
"count: 89\n" in out

### funcslower_prints_only_calls_over_the_threshold_with_the_callers_stack
--- background
build/targets/slow wait 1000 work 8
--- flags
funcslower -U -a 1 -m 2 -p {BG} 'build/targets/slow:work'
--- check
re.fullmatch(r"Tracing function calls slower than 2 ms\.\.\. Ctrl\+C to quit\.\nEach time includes about \d+ ns of the probes' own cost \(measured now on an empty function\)\.\nCOMM           PID    LAT\(ms\)             RVAL FUNC ARGS\n(slow +\d+ +\d+\.\d\d +0 build/targets/slow:work 0x[04]\n    main\n    __libc_start_call_main\n(    [^\n]+\n)*){2}Detaching\.\.\.\n", out) is not None and "0x0\n" in out and "0x4\n" in out and all(float(x) >= 5 for x in re.findall(r"^slow +\d+ +(\d+\.\d\d) ", out, re.M))

### funcslower_folded_stacks_one_line_per_slow_call
--- background
build/targets/slow wait 1000 work 8
--- flags
funcslower -U -f -m 2 -p {BG} 'build/targets/slow:work'
--- check
re.fullmatch(r"(slow;(\S+;)*main 1\n){2}", out) is not None

### funcslower_json_lines
--- background
build/targets/slow wait 1000 work 8
--- flags
funcslower --json -m 2 -p {BG} 'build/targets/slow:work'
--- check
(lambda l: len(l) == 3 and all(x["type"] == "slow_call" and x["data"]["lat_ns"] >= 2000000 and x["data"]["func"] == "build/targets/slow:work" for x in l[1:]))([__import__("json").loads(x) for x in out.splitlines()])

### stackcount_counts_each_call_path
libc has no frame pointers: its CFI takes the stacks down to _start.
--- background
build/targets/slow wait 1000 paths 3 5
--- flags
stackcount -p {BG} 'build/targets/slow:leaf'
--- stdout
Tracing 1 functions for "build/targets/slow:leaf"... Hit Ctrl-C to end.

  leaf
  path_a
  main
  __libc_start_call_main
  __libc_start_main_impl
  _start
    3

  leaf
  path_b
  main
  __libc_start_call_main
  __libc_start_main_impl
  _start
    5

Detaching...

### stackcount_folded_per_process
--- background
build/targets/slow wait 1000 paths 3 5
--- flags
stackcount -f -P -p {BG} 'build/targets/slow:leaf'
--- stdout
slow;_start;__libc_start_main_impl;__libc_start_call_main;main;path_a;leaf 3
slow;_start;__libc_start_main_impl;__libc_start_call_main;main;path_b;leaf 5

### a_missing_binary_is_named
--- flags
funccount 'build/targets/nosuch:f'
--- stderr
ERROR: funccount: cannot find binary or library 'build/targets/nosuch' for uprobe:build/targets/nosuch:f (give a path, a program on $PATH or a library name such as libc)
--- rc
1

### a_missing_function_suggests_listing
--- flags
funclatency 'build/targets/slow:nosuch'
--- stderr-has
ERROR: funclatency: no function matches 'nosuch' in build/targets/slow (list them with: sonde -l 'uprobe:build/targets/slow:*')
--- rc
1

### a_kernel_function_says_what_the_kernel_lacks_and_what_to_use
--- flags
funccount vfs_read
--- stderr
ERROR: funccount: kprobe: kprobes are not available on this kernel (no kprobe event source: built without CONFIG_KPROBES)
HINT: funccount: kernel functions need kprobes or fentry, which this kernel does not offer to BPF; trace the system call instead (t:syscalls:sys_enter_NAME; list them: sonde -l 'tracepoint:syscalls:*')
--- rc
1

### a_regex_that_matches_nothing_exits_as_bcc_does
--- flags
funccount -r 'build/targets/slow:zz.*'
--- stderr
0 functions matched by "build/targets/slow:zz.*". Exiting.
--- rc
1

### flag_errors_are_explained
--- flags
funclatency -u -m -d x build/targets/slow:work
--- stderr
ERROR: funclatency: -u and -m exclude each other
--- rc
2

### a_bad_duration_is_explained
--- flags
funccount -d 0 build/targets/slow:work
--- stderr
ERROR: funccount: -d is a number of seconds, 1 to 31536000, got '0'
--- rc
1

### a_pid_that_does_not_exist_is_named
--- flags
stackcount -p 999999999 build/targets/slow:leaf
--- stderr
ERROR: stackcount: -p: there is no process 999999999
--- rc
1

### a_usdt_probe_has_no_return_for_funclatency
--- flags
funclatency 'u:build/targets/usdt:tick'
--- stderr
ERROR: funclatency: 'u:build/targets/usdt:tick' is a USDT probe, which has no return to time: give a function (LIB:FUNC)
--- rc
1

### a_word_that_is_neither_a_tool_nor_a_file_lists_the_tools
--- flags
funcount
--- check
err.startswith("ERROR: 'funcount' is neither a tool nor a script file. The tools are:\n") and "    funccount      " in err
--- rc
1

### list_tools_names_every_tool
--- flags
--list-tools
--- check
(lambda o: all(("    %-14s " % t) in o for t in ["profile", "funccount", "funclatency", "funcslower", "stackcount", "flamegraph"]))(out)

### funclatency_states_what_the_probes_add_to_each_time
The probes' own cost is measured at start on an empty function with the
same kind of return probe (a uretprobe here, a RET probe for Go); a call
that does almost nothing (step() calls pick()) shows about that much.
--- background
build/targets/slow wait 1000 timed 2000
--- flags
funclatency -p {BG} 'build/targets/slow:step'
--- check
(lambda m, a: m is not None and a is not None and 0 < int(m.group(1)) < 50000 and int(a.group(1)) < 4 * int(m.group(1)) + 5000)(re.search(r"^Each time includes about (\d+) nsecs of the probes' own cost \(measured now on an empty function\)\.$", out, re.M), re.search(r"^avg = (\d+) nsecs", out, re.M))

### funclatency_states_the_go_return_probes_cost_too
--- background
build/targets/goserver wait 1000 timed 2000
--- flags
funclatency --json -p {BG} 'build/targets/goserver:main.(*Arith).Mul'
--- check
(lambda l: 0 < l[0]["data"]["probe_overhead_ns"] < 50000 and l[-1]["data"]["histograms"][0]["count"] == 2000)([__import__("json").loads(x) for x in out.splitlines()])

### funccount_on_tracepoints_with_a_command_is_perf_stat
`-- CMD ARGS` runs the command once the probes are attached, counts it
only (other processes' getppid() calls are left out) and ends with it.
--- flags
funccount 't:syscalls:sys_enter_getppid' -- build/targets/sysload getppid 5
--- stdout
Tracing 1 functions for "t:syscalls:sys_enter_getppid"... Hit Ctrl-C to end.

FUNC                                    COUNT
syscalls:sys_enter_getppid                  5
Detaching...

### every_tool_runs_a_command_after_two_dashes
--- flags
stackcount -f build/targets/slow:leaf -- build/targets/slow paths 2 3
--- stdout
done
slow;__libc_start_call_main;main;path_a;leaf 2
slow;__libc_start_call_main;main;path_b;leaf 3

### a_missing_command_is_named
--- flags
funccount build/targets/slow:leaf -- build/targets/nosuchprog
--- stderr
ERROR: cannot run 'build/targets/nosuchprog': no such program
--- rc
1
