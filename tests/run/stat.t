# sonde stat: perf stat's counters and layout, on stderr as perf writes them.

### stat_times_a_one_second_spin
build/targets/sysload burn 1000 spins until it has used 1000 ms of CPU:
task-clock within 10 % of it, and up to one CPU utilized (0.77 and 0.49
were seen on a loaded machine: the spin waits for the CPU too).
--- flags
stat -x , -- build/targets/sysload burn 1000
--- check
(lambda m: m is not None and 900 <= float(m.group(1)) <= 1100 and 0.2 <= float(m.group(2)) <= 1.05)(re.search(r"^([\d.]+),msec,task-clock,\d+,100\.00,([\d.]+),CPUs utilized$", err, re.M)) and re.search(r"^<not supported>,,cycles,0,100\.00,,$", err, re.M) is not None

### stat_default_layout_is_perfs
--- flags
stat -- build/targets/sysload getppid 10
--- check
re.search(r"\A\n Performance counter stats for 'build/targets/sysload getppid 10':\n\n +[\d.]+ msec task-clock +# +[\d.]+ CPUs utilized +\n +\d+      context-switches +# +[\d.]+ (K|M|)/sec +\n +\d+      cpu-migrations +# .*\n +\d+      page-faults +# .*\n   <not supported>      cycles +\n   <not supported>      instructions +\n   <not supported>      branches +\n   <not supported>      branch-misses +\n\n +[\d.]+ seconds time elapsed\n\n +[\d.]+ seconds user\n +[\d.]+ seconds sys\n\n\Z", err) is not None and out == ""

### stat_counts_a_tracepoint_exactly
--- flags
stat -e syscalls:sys_enter_getppid -- build/targets/sysload getppid 1234
--- check
re.search(r"^ +1234      syscalls:sys_enter_getppid +$", err, re.M) is not None

### stat_counts_each_tracepoint_of_a_glob
Each match gets its line, as perf stat -e 'syscalls:sys_enter_getpp*' prints
them: the calls in the forked child count too (perf's inherit).
--- flags
stat -x , -e 'syscalls:sys_enter_getpp*,syscalls:sys_exit_getppid,sched:sched_process_fork' -- build/targets/sysload fork-getppid 500
--- check
re.search(r"^500,,syscalls:sys_enter_getppid,\d+,100\.00,,$", err, re.M) is not None and re.search(r"^500,,syscalls:sys_exit_getppid,", err, re.M) is not None and re.search(r"^1,,sched:sched_process_fork,", err, re.M) is not None and len(re.findall(r",syscalls:sys_enter_", err)) == 1

### stat_agrees_with_perf_stat
perf stat on the same command: task-clock of a 300 ms spin within 10 %
of each other, the same page faults within 10 %.
--- setup
perf stat -x , -e task-clock,page-faults -- build/targets/sysload burn 300 2> {TMP}/perf
--- flags
stat -x , -e task-clock,page-faults -- build/targets/sysload burn 300
--- check
(lambda p, s: abs(p[0] - s[0]) <= 0.1 * p[0] and abs(p[1] - s[1]) <= max(3, 0.1 * p[1]))([float(x) for x in re.findall(r"^([\d.]+),(?:msec)?,(?:task-clock|page-faults),", open("{TMP}/perf").read(), re.M)], [float(x) for x in re.findall(r"^([\d.]+),(?:msec)?,(?:task-clock|page-faults),", err, re.M)])

### stat_prints_interval_rows
--- flags
stat -I 100 -e task-clock -- build/targets/sysload burn 350
--- check
len(re.findall(r"^ +\d+\.\d{9} +\d+\.\d\d msec task-clock ", err, re.M)) >= 3 and err.startswith("#           time             counts unit events\n")

### stat_returns_the_commands_status
--- flags
stat -- sh -c 'exit 3'
--- rc
3

### stat_refuses_an_unknown_event
--- flags
stat -e no-such-thing -- true
--- stderr
ERROR: unknown event 'no-such-thing': a software or hardware event (task-clock, page-faults, cycles…) or a tracepoint CATEGORY:EVENT (list them: sonde -l 'tracepoint:*')
--- rc
1

### stat_refuses_an_unmatched_tracepoint_glob
--- flags
stat -e 'nosuchcat:*' -- true
--- stderr
ERROR: stat: no tracepoint matches 'nosuchcat:*' (list them: sonde -l 'tracepoint:nosuchcat:*')
--- rc
1

### stat_needs_something_to_count
--- flags
stat
--- stderr
ERROR: stat: give a command to run (sonde stat -- CMD), -p PID or -a
--- rc
2
