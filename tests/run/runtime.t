### lost_records_are_counted_and_reported
--- env
SONDE_RINGBUF_BYTES=4096
--- prog
BEGIN { unroll(100) { printf("%s\n", "0123456789012345678901234567890123456789"); } exit(7); }
--- rc
7
--- stderr-has
Lost 28 events

### lost_records_in_json
--- env
SONDE_RINGBUF_BYTES=4096
--- flags
-f json
--- prog
BEGIN { unroll(100) { printf("%s\n", "0123456789012345678901234567890123456789"); } exit(); }
--- stdout-re
.*\{"type": "lost_events", "data": \{"events": 28\}\}

### output_file_receives_everything
--- flags
-q -o /tmp/sonde-test-output.txt
--- prog
BEGIN { printf("to file\n"); @x = 1; exit(); }
--- stdout

### script_from_a_file_with_parameters
--- flags
-q tests/run/scripts/ticks.bt 3 20
--- stdout
3 ticks of 20 ms


@ticks: 3

### the_demo_traces_its_target
--- flags
-q -c 'build/targets/sysload demo' examples/demo.bt
--- check
"sysload  opens /etc/hostname" in out and "TCP established 127.0.0.1:" in out and "@syscalls[tracepoint:syscalls:sys_enter_getppid]: 3000" in out and "@latency_ns:" in out

### attached_line_counts_every_probe
--- flags
--- prog
BEGIN { exit(); } END { } interval:s:1 { } interval:ms:5 { }
--- stderr-has
Attached 4 probes

### quiet_hides_the_attached_line
--- prog
BEGIN { exit(); }
--- stderr

### json_attached_record
--- flags
-f json
--- prog
BEGIN { exit(); }
--- stdout
{"type": "attached_probes", "data": {"probes": 1}}

### verbose_shows_ir_instructions_and_verifier_statistics
--- flags
-v
--- prog
BEGIN { @x = 1; exit(); }
--- stderr-has
IR for block at line 1
after register allocation:
BPF instructions
verifier: processed

### interval_runs_repeatedly_until_exit
--- prog
interval:ms:20 { @i++; if (@i >= 3) { exit(); } }
--- stdout


@i: 3

### end_runs_after_exit_and_prints_its_records
--- prog
BEGIN { @a = 1; exit(); }
END { printf("end %d\n", @a); }
--- stdout
end 1


@a: 1

### probe_builtin_names_the_probe
--- prog
BEGIN { printf("%s\n", probe); }
interval:ms:10 { printf("%s\n", probe); exit(); }
--- stdout
BEGIN
interval:ms:10

### several_attach_points_share_one_block
--- prog
interval:ms:10, interval:ms:15 { @[probe] = count(); if (@[probe] >= 2) { exit(); } }
--- stdout-re
\n\n(@\[interval:ms:15\]: 1\n)?@\[interval:ms:10\]: 2

### curtask_fields_match_the_process
--- prog
BEGIN { printf("%d %d %d\n", curtask->pid == pid, curtask->tgid == pid, curtask->comm == comm); printf("%d\n", curtask->pid); exit(); }
--- stdout
1 1 1
{PID}

### curtask_pointer_chains
--- prog
BEGIN { printf("%d\n", curtask->real_parent->pid > 0); printf("%d\n", curtask->mm->map_count > 0); exit(); }
--- stdout
1
1

### struct_cast_of_an_integer
--- prog
BEGIN { $t = (struct task_struct *)curtask; printf("%d\n", $t->pid == pid); exit(); }
--- stdout
1

### kaddr_resolves_kernel_symbols
--- prog
BEGIN { printf("%d\n", kaddr("jiffies_to_msecs") != 0); exit(); }
--- stdout
1

### jiffies_counts_the_kernel_ticks
Two readings 50 ms apart differ by some ticks (5 at 100 Hz, 50 at 1000 Hz).
--- prog
BEGIN { @j = jiffies; } interval:ms:50 { $d = jiffies - @j; printf("%d\n", $d >= 3 && $d <= 100); delete(@j); exit(); }
--- stdout
1

### an_array_member_cast_to_a_pointer_is_its_address
As in C: task_struct's comm array cast to a pointer is where comm lives;
its first four bytes are "sysl".
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("%x\n", *(uint32 *)((struct task_struct *)curtask)->comm); exit(); }
--- flags
-q -c 'build/targets/sysload getppid 1'
--- stdout
6c737973

### ntop_formats_addresses
--- prog
BEGIN { printf("%s %s\n", ntop(0x0100007f), ntop(2, 0x0101a8c0)); exit(); }
--- stdout
127.0.0.1 192.168.1.1

### rand_and_cgroup_are_numbers
--- prog
BEGIN { printf("%d\n", cgroup > 0); @r = rand; exit(); }
--- stdout-re
1\n\n\n@r: \d+

### time_prints_wall_clock
--- prog
BEGIN { time("%Y\n"); exit(); }
--- stdout-re
20\d\d

### stdin_program
--- flags
-q -
--- stdout
--- stdin
BEGIN { printf("from stdin\n"); exit(); }
--- stdout
from stdin

### aggregations_read_in_expressions_combine_all_cpus
--- prog
BEGIN { @c = count(); @c = count(); @s = sum(5); @s = sum(-9); @mi = min(4); @mi = min(2); @ma = max(-3); @a = avg(10); @a = avg(3); printf("%d %d %d %d %d\n", @c, @s, @mi, @ma, @a); exit(); }
--- stdout
2 -4 2 -3 6


@a: 6
@c: 2
@ma: -3
@mi: 2
@s: -4

### hist_values_cannot_be_read_in_expressions
--- prog
BEGIN { @h = hist(1); $x = @h; }
--- rc
1
--- stderr-has
ERROR: the hist_t value of @h cannot be read in an expression; print(@h) shows it

### sigint_ends_the_run_and_prints_maps
--- prog
interval:ms:10 { @ticks = count(); }
END { printf("end\n"); }
--- signal
SIGINT 300
--- stdout-re
end\n\n\n@ticks: \d+

### sigterm_ends_the_run_too
The interval keeps it running (a BEGIN-only script ends by itself).
--- prog
BEGIN { printf("started\n"); } interval:s:10 { }
--- signal
SIGTERM 200
--- stdout
started

### without_privileges_one_line_says_what_is_missing
--- as-nobody
--- prog
BEGIN { exit(); }
--- rc
1
--- stderr
ERROR: cannot create BPF maps: Operation not permitted. sonde needs root or CAP_BPF and CAP_PERFMON

### kernel_arrays_index_and_pointer_chains
--- prog
BEGIN { printf("%d\n", curtask->comm[0] == 115); printf("%d\n", curtask->signal->nr_threads >= 1); exit(); }
--- stdout
1
1

### ntop_of_a_kernel_byte_array_with_a_family
--- prog
BEGIN { printf("%s\n", ntop(2, curtask->comm)); exit(); }
--- stdout
115.111.110.100

### quiet_json_has_no_attached_record
--- flags
-q -f json
--- prog
BEGIN { printf("x\n"); exit(); }
--- stdout
{"type": "printf", "data": "x\n"}

### a_stalled_pipe_then_ctrl_c_prints_every_record_whole_or_counts_it_lost
--- setup
python3 tests/run/scripts/stalled_pipe.py {SONDE} 300000 > {TMP}/result
--- prog
BEGIN { exit(); }
--- check
re.fullmatch(r"printed=[1-9][0-9]* lost=[0-9]+ sent=300000 torn=0 rc=0\n", open("{TMP}/result").read()) is not None

### a_second_ctrl_c_ends_sonde_blocked_on_a_reader_that_never_reads
--- setup
python3 tests/run/scripts/stalled_pipe.py {SONDE} 300000 never > {TMP}/result
--- prog
BEGIN { exit(); }
--- check
open("{TMP}/result").read() == "second SIGINT ended sonde: rc=-2\n"

### options_after_the_script_file_are_options_not_parameters
--- setup
cat > {TMP}/c.bt <<'EOF'
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); } END { printf("%s|%d\n", str($1), $#); }
EOF
--- flags
{TMP}/c.bt word -q -c 'build/targets/sysload getppid 7' -f json
--- stdout
{"type": "printf", "data": "word|1\n"}
{"type": "map", "data": {"@n": 7}}

### parameters_after_a_double_dash_may_look_like_options
--- flags
-q
--- prog
BEGIN { printf("%d %d\n", $1, $#); exit(); }
--- params
-- -5
--- stdout
-5 1
