# sonde trace and sonde argdist on targets with known answers:
# tests/targets/slow.c (work(i) returns i % 4 and every 4th call naps 5 ms;
# "pick 8" calls pick(v) with v = 0, 1, 2, 3 twice each, then pick(100)
# four times; pick(v) returns 2 * v). Each target first sleeps ("wait MS")
# while the tool attaches with -p, and the tool ends with it.

### trace_prints_the_formatted_return_value_in_order
--- background
build/targets/slow wait 1000 work 8
--- flags
trace -p {BG} 'r:build/targets/slow:work "ret=%d", retval'
--- stdout-re
PID     TID     COMM            FUNC             -(
\d+ +\d+ +slow {12}work {13}ret=0
\d+ +\d+ +slow {12}work {13}ret=1
\d+ +\d+ +slow {12}work {13}ret=2
\d+ +\d+ +slow {12}work {13}ret=3){2}

### trace_an_entry_probe_with_a_signature_a_filter_and_arguments
--- background
build/targets/slow wait 1000 pick 8
--- flags
trace -p {BG} 'build/targets/slow:pick(long v) (v >= 2 && v != 100) "v=%ld hex=%x %s", v, arg1, $comm'
--- stdout-re
PID     TID     COMM            FUNC             -(
(\d+) +\2 +slow {12}pick {13}v=2 hex=2 slow
\d+ +\d+ +slow {12}pick {13}v=3 hex=3 slow){2}

### trace_without_a_message_prints_the_columns_only
--- background
build/targets/slow wait 1000 work 4
--- flags
trace -p {BG} build/targets/slow:nap
--- stdout-re
PID     TID     COMM            FUNC             
\d+ +\d+ +slow {12}nap {14}

### trace_a_tracepoint_field_names_the_event
--- background
build/targets/slow wait 1000 work 4
--- flags
trace -p {BG} 't:syscalls:sys_enter_clock_nanosleep (args->which_clock == 0) "clock=%d flags=%d", args->which_clock, args.flags'
--- check
len(re.findall(r"^\d+ +\d+ +slow +sys_enter_clock_nanosleep clock=0 flags=0$", out, re.M)) >= 2

### trace_max_events_stops_after_n
--- background
build/targets/slow wait 1000 pick 8
--- flags
trace -M 3 -p {BG} 'build/targets/slow:pick "%d", arg1'
--- stdout-re
PID     TID     COMM            FUNC             -
\d+ +\d+ +slow {12}pick {13}0
\d+ +\d+ +slow {12}pick {13}1
\d+ +\d+ +slow {12}pick {13}2

### trace_time_columns_and_user_stacks
--- background
build/targets/slow wait 1000 work 4
--- flags
trace -t -U -p {BG} 'r:build/targets/slow:work "%d", retval'
--- stdout-re
TIME     PID     TID     COMM            FUNC             -
\d\.\d{6} \d+ +\d+ +slow {12}work {13}0
        main\+0x[0-9a-f]+ \[slow\]
(        \S+\+0x[0-9a-f]+ \[\S+\]
)*
\d\.\d{6} \d+ +\d+ +slow {12}work {13}1
.*

### trace_json_is_one_object_per_event
--- background
build/targets/slow wait 1000 work 4
--- flags
trace --json -p {BG} 'r:build/targets/slow:work "ret=%d", retval'
--- check
(lambda l: l[0] == {"type": "attached", "data": {"tool": "trace", "probes": 1}} and [x["data"]["message"] for x in l[1:]] == ["ret=0", "ret=1", "ret=2", "ret=3"] and l[1]["data"]["func"] == "work" and l[1]["data"]["comm"] == "slow")([__import__("json").loads(x) for x in out.splitlines()])

### trace_a_bad_spec_is_explained
--- flags
trace 't:sched'
--- stderr
ERROR: trace: 't:sched': a tracepoint is t:CATEGORY:EVENT (list them: sonde -l 'tracepoint:*')
--- rc
1

### trace_a_format_trace_does_not_know_is_refused
--- flags
trace 'build/targets/slow:pick "%q", arg1'
--- stderr
ERROR: trace: 'build/targets/slow:pick "%q", arg1': '%q' is not a format trace knows (%d %u %ld %lu %lld %llu %hd %hu %x %lx %llx %c %s %K %U)
--- rc
1

### trace_a_format_with_more_conversions_than_arguments_is_refused
--- flags
trace 'build/targets/slow:pick "%d %d", arg1'
--- stderr
ERROR: trace: 'build/targets/slow:pick "%d %d", arg1': the format has 2 conversions but 1 argument follow
--- rc
1

### trace_an_unknown_name_is_refused
--- flags
trace 'build/targets/slow:pick "%d", arg7'
--- stderr
ERROR: trace: 'build/targets/slow:pick "%d", arg7': 'arg7': the arguments are arg1 to arg6
--- rc
1

### trace_retval_needs_a_return_probe
--- flags
trace 'build/targets/slow:pick "%d", retval'
--- stderr
ERROR: trace: 'build/targets/slow:pick "%d", retval': retval is the return value: it needs a return probe (r:)
--- rc
1

### trace_a_missing_function_suggests_listing
--- flags
trace 'build/targets/slow:nosuch "%d", arg1'
--- stderr-has
ERROR: trace: no function matches 'nosuch' in build/targets/slow (list them with: sonde -l 'uprobe:build/targets/slow:*')
--- rc
1

### trace_a_kernel_function_says_what_the_kernel_lacks
--- flags
trace 'p::do_sys_open "%d", arg1'
--- stderr
ERROR: trace: kprobe: kprobes are not available on this kernel (no kprobe event source: built without CONFIG_KPROBES)
HINT: trace: kernel functions need kprobes or fentry, which this kernel does not offer to BPF; trace the system call instead (t:syscalls:sys_enter_NAME; list them: sonde -l 'tracepoint:syscalls:*')
--- rc
1

### trace_a_flag_it_lacks_is_refused
--- flags
trace -A build/targets/slow:pick
--- stderr
ERROR: trace: -A is not supported (see sonde trace -h)
--- rc
2

### argdist_counts_a_known_argument_distribution
--- background
build/targets/slow wait 1000 pick 8
--- flags
argdist -i 10 -p {BG} -C 'p:build/targets/slow:pick(long v):long:v'
--- stdout-re
\[\d\d:\d\d:\d\d\]
p:build/targets/slow:pick\(long v\):long:v
	COUNT      EVENT
	2          v = 0
	2          v = 1
	2          v = 2
	2          v = 3
	4          v = 100

### argdist_histogram_of_the_same_argument
--- background
build/targets/slow wait 1000 pick 8
--- flags
argdist -i 10 -p {BG} -H 'p:build/targets/slow:pick(long v):long:v'
--- stdout-re
\[\d\d:\d\d:\d\d\]
     v                   : count     distribution
         0 -> 1          : 4        \|\*{40}\|
         2 -> 3          : 4        \|\*{40}\|
         4 -> 7          : 0        \| {40}\|
         8 -> 15         : 0        \| {40}\|
        16 -> 31         : 0        \| {40}\|
        32 -> 63         : 0        \| {40}\|
        64 -> 127        : 4        \|\*{40}\|

### argdist_a_return_probe_counts_the_return_value
--- background
build/targets/slow wait 1000 pick 8
--- flags
argdist -i 10 -p {BG} -C 'r:build/targets/slow:pick():long:$retval' -C 'r:build/targets/slow:pick'
--- stdout-re
\[\d\d:\d\d:\d\d\]
r:build/targets/slow:pick\(\):long:\$retval
	COUNT      EVENT
	2          \$retval = 0
	2          \$retval = 2
	2          \$retval = 4
	2          \$retval = 6
	4          \$retval = 200
r:build/targets/slow:pick
	COUNT      EVENT
	2          retval = 0
	2          retval = 2
	2          retval = 4
	2          retval = 6
	4          retval = 200

### argdist_latency_puts_the_two_naps_in_the_5_ms_bucket
--- background
build/targets/slow wait 1000 work 8
--- flags
argdist -i 10 -p {BG} -H 'r:build/targets/slow:work():u64:$latency'
--- check
re.search(r"^     \$latency            : count     distribution\n", out, re.M) is not None and re.search(r"^   4194304 -> 8388607    : 2        \|", out, re.M) is not None and sum(int(c) for c in re.findall(r" : (\d+) ", out)) == 8

### argdist_entry_values_several_expressions_a_filter_and_a_label
--- background
build/targets/slow wait 1000 pick 8
--- flags
argdist -i 10 -p {BG} -C 'r:build/targets/slow:pick(long v):long,long:$entry(v),$retval:$entry(v) > 1#big picks'
--- stdout-re
\[\d\d:\d\d:\d\d\]
big picks
	COUNT      EVENT
	2          \$entry\(v\) = 2, \$retval = 4
	2          \$entry\(v\) = 3, \$retval = 6
	4          \$entry\(v\) = 100, \$retval = 200

### argdist_without_an_expression_counts_calls_and_top_keeps_the_most
--- background
build/targets/slow wait 1000 pick 8
--- flags
argdist -i 10 -p {BG} -C 'p:build/targets/slow:pick()' -T 1 -C 'p:build/targets/slow:pick(long v):long:v'
--- stdout-re
\[\d\d:\d\d:\d\d\]
p:build/targets/slow:pick\(\)
	COUNT      EVENT
	12         total calls
p:build/targets/slow:pick\(long v\):long:v
	COUNT      EVENT
	4          v = 100

### argdist_go_names_as_written_and_latency_paired_by_goroutine
--- background
build/targets/goserver wait 1000 37
--- flags
argdist -i 10 -p {BG} -C 'p:build/targets/goserver:main.(*Arith).Mul()' -H 'r:build/targets/goserver:main.(*Arith).Mul():u64:$latency'
--- check
"\t37         total calls\n" in out and sum(int(c) for c in re.findall(r" : (\d+) ", out)) == 37

### argdist_n_stops_after_that_many_summaries
--- background
build/targets/slow wait 2500 pick 8
--- flags
argdist -n 2 -p {BG} -C 'p:build/targets/slow:pick(long v):long:v'
--- check
len(re.findall(r"^\[\d\d:\d\d:\d\d\]$", out, re.M)) == 2 and "v = " not in out

### argdist_json_is_one_object_per_interval
--- background
build/targets/slow wait 1000 pick 8
--- flags
argdist --json -i 10 -p {BG} -C 'p:build/targets/slow:pick(long v):long:v'
--- check
(lambda l: l[0] == {"type": "attached", "data": {"tool": "argdist", "probes": 1}} and l[1]["data"]["probes"][0]["counts"][-1] == {"event": "v = 100", "count": 4} and len(l) == 2)([__import__("json").loads(x) for x in out.splitlines()])

### argdist_latency_needs_a_return_probe
--- flags
argdist -C 'p:build/targets/slow:pick(long v):long:$latency'
--- stderr
ERROR: argdist: 'p:build/targets/slow:pick(long v):long:$latency': $latency is timed from entry to return: it needs a return probe (r:)
--- rc
1

### argdist_a_parameter_in_a_return_probe_points_to_entry
--- flags
argdist -C 'r:build/targets/slow:pick(long v):long:v'
--- stderr
ERROR: argdist: 'r:build/targets/slow:pick(long v):long:v': 'v' is a parameter: a return probe no longer has it (its value at entry: $entry(NAME))
--- rc
1

### argdist_an_unknown_type_is_refused
--- flags
argdist -H 'p:build/targets/slow:pick(long v):foo:v'
--- stderr
ERROR: argdist: 'p:build/targets/slow:pick(long v):foo:v': 'foo' is not a type argdist knows (int, long, u32, u64, size_t, char* ...)
--- rc
1

### argdist_struct_members_are_refused
--- flags
argdist -C 'p:build/targets/slow:pick(long v):long:v->a'
--- stderr
ERROR: argdist: 'p:build/targets/slow:pick(long v):long:v->a': '->': struct members are not supported (only a tracepoint's args->FIELD)
--- rc
1

### argdist_a_missing_function_suggests_listing
--- flags
argdist -C 'p:build/targets/slow:nosuch():long:1'
--- stderr-has
ERROR: argdist: no function matches 'nosuch' in build/targets/slow (list them with: sonde -l 'uprobe:build/targets/slow:*')
--- rc
1

### argdist_needs_a_specifier
--- flags
argdist -i 1
--- check
err.endswith("ERROR: argdist: at least one specifier is required (-C or -H)\n")
--- rc
2
