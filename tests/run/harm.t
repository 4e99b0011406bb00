# The traced process behaves as if nobody were watching: targets that check
# their own results while every function of a file is probed, and the
# placement rules for instructions the kernel runs wrongly under a uprobe
# (tests/targets/vexinsn.c: VEX/EVEX-encoded entries).

### every_libc_function_probed_at_once_leaves_the_process_results_right
--- background
build/targets/harm 12
--- flags
-q -p {BG}
--- env
BPFTRACE_MAX_PROBES=10000
--- prog
uprobe:libc:* { @c = count(); }
--- signal
SIGINT 8000
--- check
re.fullmatch(r"iterations=[1-9][0-9]* bad=0\n", bg_out) is not None and int(re.search(r"@c: (\d+)", out).group(1)) > 10000

### every_python_function_probed_at_once_leaves_the_script_results_right
--- background
/usr/bin/python3.11 tests/targets/python/harm.py 12
--- flags
-q -p {BG}
--- env
BPFTRACE_MAX_PROBES=10000
--- prog
uprobe:/usr/bin/python3.11:* { @c = count(); }
--- signal
SIGINT 8000
--- check
re.fullmatch(r"iterations=[1-9][0-9]* bad=0\n", bg_out) is not None and int(re.search(r"@c: (\d+)", out).group(1)) > 10000

### an_avx512_entry_that_writes_no_argument_is_probed_past_and_v_says_so
--- background
build/targets/vexinsn 4
--- flags
-v -p {BG}
--- prog
uprobe:build/targets/vexinsn:cls_evex_hi { @c = count(); }
--- signal
SIGINT 2500
--- stderr-has
NOTE: cls_evex_hi: probe placed at +6, past `vpbroadcastb ymm17, esi` (AVX-512 (EVEX-encoded), which the kernel runs wrongly under a uprobe); arguments and stack are unchanged there
--- check
"bad=0" in bg_out and "bad=" in bg_out and not re.search(r"bad=[1-9]", bg_out) and ("evex_hi calls=0" in bg_out or int(re.search(r"@c: (\d+)", out).group(1)) > 0)

### an_avx512_entry_that_writes_an_argument_register_is_refused_naming_a_safe_offset
--- prog
uprobe:build/targets/vexinsn:cls_evex_lo { @c = count(); }
--- stderr
stdin:1:1-41: ERROR: cannot probe cls_evex_lo: its instruction `vpbroadcastb ymm1, esi` is AVX-512 (EVEX-encoded), which the kernel runs wrongly under a uprobe (the traced process would compute wrong results); probe cls_evex_lo+13 instead, the first safe instruction (the ones before it write arguments or memory) (--unsafe overrides)
uprobe:build/targets/vexinsn:cls_evex_lo { @c = count(); }
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### an_offset_on_a_vex_instruction_is_refused_naming_the_next_safe_one
--- prog
uprobe:build/targets/vexinsn:cls_vex_ymm+4 { @c = count(); }
--- stderr
stdin:1:1-43: ERROR: cannot probe cls_vex_ymm+4: its instruction `vmovd xmm6, esi` is AVX (VEX-encoded), which the kernel runs wrongly under a uprobe (the traced process would compute wrong results); probe cls_vex_ymm+24 instead, the first safe instruction (--unsafe overrides)
uprobe:build/targets/vexinsn:cls_vex_ymm+4 { @c = count(); }
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### a_glob_skips_unsafe_entries_with_one_warning_and_probes_the_rest
--- flags
-q -c 'build/targets/vexinsn 1'
--- prog
uprobe:build/targets/vexinsn:cls_* /pid == cpid/ { @c[probe] = count(); }
--- stderr-has
stdin:1:1-35: WARNING: 2 functions skipped: cls_evex_lo, cls_vex_ymm; their entry is an AVX/AVX-512 (VEX/EVEX-encoded) instruction the kernel runs wrongly under a uprobe, and the ones after it write arguments or memory (probe FUNC+OFFSET past it; -v names them all, and the probes it moved)
--- check
not re.search(r"bad=[1-9]", out) and "@c[uprobe:build/targets/vexinsn:cls_plain]" in out and "@c[uprobe:build/targets/vexinsn:cls_sse]" in out and "cls_vex_ymm]" not in out and "cls_evex_lo]" not in out

### unsafe_probes_an_unsafe_instruction_with_a_warning
--- flags
-q --unsafe
--- prog
uprobe:build/targets/vexinsn:cls_evex_lo { @c = count(); } BEGIN { exit(); }
--- stderr-has
stdin:1:1-41: WARNING: cls_evex_lo: `vpbroadcastb ymm1, esi` is AVX-512 (EVEX-encoded), which the kernel runs wrongly under a uprobe: the traced process may compute wrong results; probing it anyway (--unsafe)

### source_line_uprobes_inside_a_function_leave_the_process_results_right
Probes in the middle of a function (uprobe:BIN@FILE:LINE, issue 18): a
loop body's line and a check's line, hit every iteration, while the target
checks its own results.
--- background
build/targets/harm 3
--- flags
-q -p {BG}
--- prog
uprobe:build/targets/harm@harm.c:68, uprobe:build/targets/harm@harm.c:74 { @c[probe] = count(); }
--- signal
SIGINT 2500
--- check
re.fullmatch(r"iterations=[1-9][0-9]* bad=0\n", bg_out) is not None and len(re.findall(r"@c\[uprobe:build/targets/harm@harm\.c:(68|74)\]: [1-9]", out)) >= 2

### raw_tracepoints_and_a_map_loop_leave_the_process_results_right
rawtracepoint programs on every system call of the target, and a map
loop run on its write of the result, while it checks its own results
(sonde ends with the process).
--- background
build/targets/harm 2
--- flags
-q -p {BG}
--- prog
rawtracepoint:sys_enter { @n[arg1 % 8] = count(); }
tracepoint:syscalls:sys_enter_write { $s = 0; for ($kv : @n) { $s += $kv.1; } @seen = $s; }
--- signal
SIGINT 6000
--- check
re.fullmatch(r"iterations=[1-9][0-9]* bad=0\n", bg_out) is not None and int(re.search(r"@seen: (\d+)", out).group(1)) > 0
