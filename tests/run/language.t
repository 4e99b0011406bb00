# Newer bpftrace language (0.2x) that sonde accepts.

### for_over_a_range_runs_the_body_for_each_value
END excluded, as in bpftrace; continue and break work.
--- prog
BEGIN { $s = 0; for ($i : 0..10) { if ($i == 3) { continue; } if ($i == 8) { break; } $s += $i; } printf("%d\n", $s); exit(); }
--- stdout
25

### for_ranges_nest_and_take_expressions
A loop's bounds are evaluated once, before its first turn: the outer one
keeps 3 after $n changes, the inner one takes the new $n on its next start
(4 + 100 + 99 turns).
--- prog
BEGIN { $n = 3; $c = 0; for ($i : 0..$n) { for ($j : $i..$n + 1) { $c++; } $n = 100; } printf("%d\n", $c); exit(); }
--- stdout
203

### for_over_a_map_runs_the_body_per_entry
The cases of for ($kv : @map) are in formap.t.
--- prog
BEGIN { @m[1] = 2; for ($kv : @m) { print($kv); } clear(@m); exit(); }
--- stdout
(1, 2)

### bool_literals
--- prog
BEGIN { $b = true; $f = false; @m[1] = true; if ($b && !$f) { printf("%d %d\n", $b, $f); } exit(); }
--- stdout
1 0


@m[1]: true

### sizeof_and_offsetof_from_btf
struct upid is { int nr; struct pid_namespace *ns; }; sock_common keeps
skc_num after the two addresses, the hash and the remote port.
--- prog
BEGIN { $t = (struct task_struct *)curtask; printf("%d %d %d %d %d\n", sizeof(struct upid), sizeof(int32), sizeof($t->pid), offsetof(struct upid, ns), offsetof(struct sock, __sk_common.skc_num)); exit(); }
--- stdout
16 4 4 8 14

### sizeof_of_an_unknown_type_is_an_error
--- prog
BEGIN { printf("%d\n", sizeof(struct no_such_thing)); }
--- stderr-has
ERROR: Unknown type: 'struct no_such_thing' (kernel structs and unions come from BTF)
--- rc
1

### offsetof_of_a_missing_field_is_an_error
--- prog
BEGIN { printf("%d\n", offsetof(struct upid, nope)); }
--- stderr-has
ERROR: 'struct upid' has no field nope
--- rc
1

### a_config_block_sets_what_the_environment_would
max_strlen = 16 as BPFTRACE_STRLEN=16 would: a longer literal is refused.
--- prog
config = { max_strlen = 16; } BEGIN { printf("%s\n", "0123456789abcdefghijkl"); exit(); }
--- stderr-has
ERROR: String is too long (over 16 bytes): set BPFTRACE_STRLEN to allow longer strings
--- rc
1

### the_environment_wins_over_a_config_block
--- prog
config = { max_strlen = 16 } BEGIN { printf("%s\n", "0123456789abcdefghijkl"); exit(); }
--- env
BPFTRACE_STRLEN=64
--- stdout
0123456789abcdefghijkl

### print_maps_on_exit_false_keeps_the_maps_to_the_script
--- prog
// a comment first
config = {
  print_maps_on_exit = false
}
BEGIN { @a = 1; printf("done\n"); exit(); }
--- stdout
done

### an_unknown_config_setting_is_an_error_at_its_name
--- prog
config = { stack_mod = perf } BEGIN { exit(); }
--- stderr-has
stdin:1:12-21: ERROR: config: unknown setting stack_mod (bpftrace's config variables are listed in sonde(1), LANGUAGE, Config)
--- rc
1

### let_declares_variables
A declaration without a value is zero; a type casts the value, as
(uint8)300 does.
--- prog
BEGIN { let $x = 5; let $y; let $z: uint8 = 300; let $s = "hi"; printf("%d %d %d %s\n", $x, $y, $z, $s); exit(); }
--- stdout
5 0 44 hi

### let_of_a_map_inside_a_probe_says_where_declarations_go
--- prog
BEGIN { let @a = hash(10); }
--- stderr-has
ERROR: a map is declared at the top of the script, before the probes (let @m = hash(N);); here, a map is created by its first use
--- rc
1

### pcomm_is_the_process_name_comm_the_threads
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid && comm == "worker-thr"/ { printf("%s %s\n", comm, pcomm); }
--- flags
-q -c '/usr/bin/python3.11 tests/run/scripts/named_thread.py'
--- stdout
worker-thr python3.11

### strcontains_finds_a_string_in_another
The kernel's bpf_strstr does the search (Linux 6.17+).
--- prog
BEGIN { $s = "hello world"; printf("%d %d %d\n", strcontains($s, "lo w"), strcontains($s, "xyz"), strcontains($s, "")); exit(); }
--- stdout
1 0 1

### strcontains_in_a_tracepoint_filter
--- prog
tracepoint:syscalls:sys_enter_openat /pid == cpid && strcontains(str(args.filename), "hostn")/ { printf("%s\n", str(args.filename)); }
--- flags
-q -c 'build/targets/sysload open /etc/hostname'
--- stdout
/etc/hostname

### strcontains_takes_strings
--- prog
BEGIN { printf("%d\n", strcontains(pid, "x")); }
--- stderr-has
ERROR: strcontains() takes strings (uint64 supplied)
--- rc
1

### the_preprocessor_lines_of_bpftrace_scripts
#include lines are dropped (kernel types come from BTF), #ifndef
BPFTRACE_HAVE_BTF takes its #else branch, #define substitutes words
outside strings; a '#' inside a comment is no directive. Lines keep their
numbers.
--- prog
#!/usr/bin/env bpftrace
/*
 # not a directive: inside a comment
 */
#ifndef BPFTRACE_HAVE_BTF
#include <linux/sched.h>
nonsense that would not parse
#else
#include <sys/socket.h>
#endif
#define LIMIT 42
#define NAME "LIMIT"
BEGIN { printf("%d %s %d\n", LIMIT, NAME, AF_INET6); exit(); }
--- stdout
42 LIMIT 10

### a_function_like_macro_is_refused_with_its_line
--- prog
BEGIN { exit(); }
#define twice(x) ((x) * 2)
--- stderr-has
stdin:2:1-2: ERROR: #define twice(…): function-like macros are not supported
--- rc
1

### enumerators_of_the_kernels_btf_are_constants
--- prog
BEGIN { printf("%d %d %d\n", TCP_ESTABLISHED, TCP_CLOSE, SKB_DROP_REASON_NO_SOCKET > 0); exit(); }
--- stdout
1 7 1

### bswap_reverses_the_bytes_of_the_values_own_size
A u16 kept in a variable stays 2 bytes wide for bswap.
--- prog
BEGIN { $p = (uint16)0x1234; printf("%x %x %lx\n", bswap($p), bswap((uint32)0x11223344), bswap(0x0102030405060708)); exit(); }
--- stdout
3412 44332211 807060504030201

### a_syscall_tracepoints_struct_pointer_is_read_through
args.rqtp is a struct __kernel_timespec * in the process's memory.
--- prog
tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ { printf("%d %d\n", args->rqtp->tv_sec, args->rqtp->tv_nsec); }
--- flags
-q -c 'sleep 1.25'
--- stdout
1 250000000

### debians_runqlat_bt_runs_unchanged
/usr/sbin/runqlat.bt (bpftrace's package): #ifndef BPFTRACE_HAVE_BTF and
<linux/sched.h>'s TASK_RUNNING; the run queue latency of a program that
sleeps a millisecond a thousand times.
--- flags
/usr/sbin/runqlat.bt -c 'build/targets/sysload spin 1'
--- check
err.startswith("Attached 5 probes\n") and out.startswith("Tracing CPU scheduler... Hit Ctrl-C to end.\n") and re.search(r"^@usecs:\n\[", out, re.M) is not None

### debians_tcpdrop_bt_runs_unchanged
/usr/sbin/tcpdrop.bt: its #if/#include lines, AF_INET and
SKB_DROP_REASON_NOT_SPECIFIED (an enumerator of the kernel's BTF), bswap.
The accept-queue overflow of tests/run/scripts/listen_overflow.sh drops a
packet of a socket as the listener closes.
--- flags
/usr/sbin/tcpdrop.bt -c 'tests/run/scripts/listen_overflow.sh bt'
--- check
err.startswith("Attached 3 probes\n") and out.startswith("Tracing tcp drops. Hit Ctrl-C to end.\nTIME     PID      COMM") and re.search(r"^\d\d:\d\d:\d\d \d+ .* 127\.0\.0\.1:\d+ .*127\.0\.0\.1:\d+ +[A-Z_]+ *$", out, re.M) is not None

### ncpus_ppid_and_strlen
ppid is sonde's parent (the setup's shell here); ncpus every CPU the
machine has; strlen counts up to the NUL, by the kernel's bpf_strlen.
--- setup
{SONDE} -q -e 'BEGIN { printf("%d %d %d %d\n", ncpus, ppid, strlen("hello"), strlen("")); exit(); }' > {TMP}/out; echo "$$ $(nproc --all)" > {TMP}/want
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda got, want: got[0] == want[1] and got[1] == want[0] and got[2:] == ["5", "0"])(open("{TMP}/out").read().split(), open("{TMP}/want").read().split())

### numbers_named_by_user_space
signal_name(), strerror() (either sign of an errno), syscall_name() and
username are numbers in BPF, named when printed, in printf, map keys and
JSON alike.
--- prog
BEGIN { printf("%s|%s|%s|%s|%s|%s\n", signal_name(9), signal_name(15), strerror(-2), strerror(13), syscall_name(257), username); @u[username, signal_name(2)] = count(); @e[strerror(1)] = count(); exit(); }
--- stdout
SIGKILL|SIGTERM|No such file or directory|Permission denied|openat|root


@e[Operation not permitted]: 1
@u[root, SIGINT]: 1

### username_names_another_users_uid
setpriv runs id as uid 65534, which /etc/passwd calls nobody.
--- flags
-q -c 'setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/true'
--- prog
tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { printf("%s %d\n", username, uid); }
--- stdout
nobody 65534

### syscall_name_of_raw_syscalls
--- flags
-q -c 'build/targets/sysload getppid 3'
--- prog
tracepoint:raw_syscalls:sys_enter /pid == cpid && args.id == 110/ { @[syscall_name(args.id)] = count(); }
--- check
"@[getppid]: 3\n" in out

### unknown_numbers_say_so
--- prog
BEGIN { printf("%s|%s|%s\n", signal_name(200), strerror(5000), syscall_name(999)); exit(); }
--- stdout
200|Unknown error 5000|<unknown syscall 999>

### is_err_is_the_kernels_is_err_value
--- prog
BEGIN { printf("%d %d %d %d %d\n", is_err(-1), is_err(-4095), is_err(-4096), is_err(0), is_err((int64)curtask)); exit(); }
--- stdout
1 1 0 0 0

### pid_and_nsecs_take_their_namespace_and_clock
pid(init) is pid; pid(curr_ns) is the pid in sonde's own namespace, the same here; pid() is pid; boot time
is at least monotonic time; TAI is ahead of monotonic time by the epoch.
--- prog
BEGIN { printf("%d %d %d %d %d %d %d %s\n", pid(init) == pid, pid(curr_ns) == pid, tid(curr_ns) == tid, nsecs(monotonic) <= nsecs(boot), nsecs(tai) - nsecs > 1000000000 * 3600 * 24 * 365 * 50, pid() == pid, cpu() < ncpus(), comm() == comm ? "same" : "differs"); exit(); }
--- stdout
1 1 1 1 1 1 1 same

### pid_takes_only_its_two_words
--- prog
BEGIN { printf("%d\n", pid(host)); exit(); }
--- stderr-has
ERROR: pid() takes curr_ns or init
--- rc
1

### macros_take_expressions_variables_and_maps
bpftrace 0.24's macros: an expression parameter is put where it is used, a
variable or a map parameter is the caller's own (bump changes $k and @c),
a macro calls macros, one defined after its use works, and statements
before the value run once, before the statement that uses it.
--- prog
macro add_two(x) { add_one(add_one(x)) }
macro add_one(x) { x + 1 }
macro twice(x) { let $t = x; $t * 2 }
macro bump(@m, $k) { @m[$k]++; $k += 10; }
BEGIN {
	$t = 5; $k = 1;
	printf("%d %d %d %d\n", add_one(1), add_two(40), twice($t + 1), $t);
	bump(@c, $k);
	bump(@c, $k);
	printf("%d\n", $k);
	if (twice(3) == 7) { printf("seven\n"); } else if (twice(4) == 8) { printf("eight\n"); }
	exit();
}
--- stdout
2 42 12 5
21
eight


@c[1]: 1
@c[11]: 1

### macros_are_hygienic
The macro's own $i is not the caller's $i.
--- prog
macro m(x) { let $i = x * 10; $i } BEGIN { $i = 7; printf("%d %d\n", m(3), $i); exit(); }
--- stdout
30 7

### a_macro_that_calls_itself_is_an_error
--- prog
macro f(x) { f(x) } BEGIN { print(f(1)); }
--- stderr-has
ERROR: macro f: more than 10000 expansions (does it call itself?)
--- rc
1

### a_macro_sees_only_its_parameters
--- prog
macro f(x) { @m + x } BEGIN { @m = 1; print(f(1)); }
--- stderr-has
stdin:1:14-16: ERROR: macro f uses the map @m, which is not one of its parameters (macros see only what they are given)
--- rc
1

### a_macro_argument_of_the_wrong_kind_is_an_error
--- prog
macro f($x) { $x } BEGIN { print(f(1 + 1)); }
--- stderr-has
ERROR: macro f: $x is a variable parameter: pass a variable ($x)
--- rc
1

### a_macros_statements_are_refused_where_they_may_not_run
--- prog
macro f(x) { let $a = x; $a } BEGIN { if (1 && f(2)) { exit(); } }
--- stderr-has
ERROR: macro f runs statements before its value, which cannot be done where the value may not be needed (after && or ||, in ?:)
--- rc
1

### dot_reads_through_a_pointer_as_bpftrace_025_does
--- prog
BEGIN { $t = (struct task_struct *)curtask; printf("%d %d %d\n", $t.pid == pid, $t.real_parent.tgid == ppid, $t.group_leader.comm == comm); exit(); }
--- stdout
1 1 1

### dry_run_attaches_and_runs_nothing
Every probe is checked, loaded and attached, then detached: BEGIN and END
print nothing and the -c command never runs.
--- flags
--dry-run -c 'touch {TMP}/ran'
--- prog
BEGIN { printf("begin\n"); } tracepoint:syscalls:sys_enter_openat { @ = count(); } END { printf("end\n"); }
--- check
out == "" and "Attached 3 probes" in err and not __import__("os").path.exists("{TMP}/ran")

### dry_run_still_fails_on_a_missing_probe
--- flags
--dry-run
--- prog
uprobe:/bin/true:nosuchfn { }
--- stderr-has
ERROR: no function matches 'nosuchfn' in /bin/true
--- rc
1

### map_declarations_set_size_and_eviction
An lruhash of 3 keeps the 3 keys written last; a percpuhash of 2 drops the
third key and says so.
--- prog
let @seen = lruhash(3);
let @c = percpuhash(2);
BEGIN { @seen[1] = 1; @seen[2] = 2; @seen[3] = 3; @seen[4] = 4; @seen[5] = 5; @c[1] = count(); @c[2] = count(); @c[3] = count(); exit(); }
--- check
out.endswith("@c[1]: 1\n@c[2]: 1\n@seen[3]: 3\n@seen[4]: 4\n@seen[5]: 5\n") and "WARNING: @c: 1 update dropped, map full (2 entries; raise the size in its declaration)" in err

### a_per_cpu_declaration_needs_an_aggregation
--- prog
let @c = percpuhash(5); BEGIN { @c = 1; exit(); }
--- stderr-has
stdin:1:10-23: ERROR: @c is a percpuhash, but it holds plain values: only aggregations (count(), sum(), hist()…) can be per CPU; declare it hash(N) or lruhash(N)
--- rc
1

### an_unknown_map_kind_is_an_error
--- prog
let @c = btree(5); BEGIN { @c = 1; exit(); }
--- stderr-has
ERROR: a map is declared as hash(N), lruhash(N), percpuhash(N) or percpulruhash(N)
--- rc
1

### let_without_a_value_takes_the_type_of_the_first_assignment
bpftrace 0.22's block scoping asks for `let $x;` before branches that set
it: the first assignment decides the type (a string, a tuple), the
variable is zero until then; find() can fill it.
--- prog
BEGIN { let $x; if (pid > 1) { $x = "big"; } else { $x = "small"; } printf("%s\n", $x);
  let $t; $t = (1, "a"); printf("%d %s\n", $t.0, $t.1); let $n; printf("%d\n", $n);
  @m[1] = "v"; let $w; if (find(@m, 1, $w)) { printf("%s\n", $w); } clear(@m); exit(); }
--- stdout
big
1 a
0
v

### after_its_first_assignment_a_let_variable_keeps_its_type
--- prog
BEGIN { let $x; $x = 1; $x = "a"; }
--- stderr-has
stdin:1:25-27: ERROR: Type mismatch for $x: trying to assign value of type 'string[64]' when variable already contains a value of type 'int64'
--- rc
1
