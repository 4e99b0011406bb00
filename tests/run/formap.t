### for_map_runs_the_body_once_per_entry_with_key_and_value
$kv.0 is the key, $kv.1 the value; the order of a hash map is the kernel's,
so what the body sees goes to a map, printed sorted at exit.
--- prog
BEGIN { @m[1] = 10; @m[2] = 20; @m[3] = 30; $s = 0; $n = 0; for ($kv : @m) { $s += $kv.1; $n++; @seen[$kv.0] = $kv.1 + 1; } printf("%d entries, sum %d\n", $n, $s); clear(@m); exit(); }
--- stdout
3 entries, sum 60


@seen[1]: 11
@seen[2]: 21
@seen[3]: 31

### for_map_gives_a_tuple_key_for_a_multi_key_map
A key of several parts is a tuple: $kv.0.0, $kv.0.1.
--- prog
BEGIN { @m["a", 1] = 10; @m["b", 2] = 20; for ($kv : @m) { @out[$kv.0.1, $kv.0.0] = $kv.1; } clear(@m); exit(); }
--- stdout


@out[1, a]: 10
@out[2, b]: 20

### for_map_prints_the_pair_as_a_tuple
--- prog
BEGIN { @m[7] = 8; for ($kv : @m) { print($kv); print($kv.0); } clear(@m); exit(); }
--- stdout
(7, 8)
7

### for_map_over_string_keys_and_values
Strings in the body, in variables set there and read after the loop, and
builtins of the probe (comm) all work in the body.
--- prog
BEGIN { @s["hello"] = "world"; $last = "none"; for ($kv : @s) { printf("%s=%s in %s\n", $kv.0, $kv.1, comm); $last = $kv.0; } printf("last %s\n", $last); clear(@s); exit(); }
--- stdout-re
hello=world in sonde(-asan)?
last hello

### for_map_break_stops_and_continue_skips
Ten entries; key 3 is skipped, and the walk stops at the fifth counted one
whatever the order.
--- prog
BEGIN { for ($i : 0..10) { @m[$i] = $i; } $n = 0; for ($kv : @m) { if ($kv.0 == 3) { continue; } $n++; if ($n >= 5) { break; } } printf("n=%d\n", $n); clear(@m); exit(); }
--- stdout
n=5

### for_map_continue_skips_every_matching_entry
--- prog
BEGIN { for ($i : 0..10) { @m[$i] = $i; } $n = 0; for ($kv : @m) { if ($kv.1 % 2) { continue; } $n += $kv.1; } printf("even sum %d\n", $n); clear(@m); exit(); }
--- stdout
even sum 20

### for_map_loops_nest
Every pair of entries of two maps: (1 + 2) * (100 + 200).
--- prog
BEGIN { @a[1] = 1; @a[2] = 2; @b[10] = 100; @b[20] = 200; $t = 0; for ($x : @a) { for ($y : @b) { $t += $x.1 * $y.1; @pairs[$x.0, $y.0] = 1; } } printf("t=%d\n", $t); clear(@a); clear(@b); exit(); }
--- stdout
t=900


@pairs[1, 10]: 1
@pairs[1, 20]: 1
@pairs[2, 10]: 1
@pairs[2, 20]: 1

### for_map_loops_nest_four_deep
Each loop's body is a function called from the one around it.
--- prog
BEGIN { @a[1] = 1; @b[2] = 2; @c[3] = 3; @d[4] = 4; $s = 0; for ($w : @a) { for ($x : @b) { for ($y : @c) { for ($z : @d) { $s += $w.1 + $x.1 + $y.1 + $z.1; } } } } printf("%d\n", $s); clear(@a); clear(@b); clear(@c); clear(@d); exit(); }
--- stdout
10

### for_map_copies_string_keys_of_any_length
A string key of 13 bytes is copied byte-exact, the rest of its slot zeroed,
so it keys another map equal to the original.
--- env
BPFTRACE_STRLEN=13
--- prog
BEGIN { @m["abcdefghijkl"] = "xyz"; @m["q"] = "r"; for ($kv : @m) { @c[$kv.0] = $kv.1; } clear(@m); exit(); }
--- stdout


@c[abcdefghijkl]: xyz
@c[q]: r

### for_map_in_a_macro
--- prog
macro total(@x) { $t = 0; for ($kv : @x) { $t += $kv.1; } $t }
BEGIN { @a[1] = 5; @a[2] = 6; printf("%d\n", total(@a)); clear(@a); exit(); }
--- stdout
11

### for_map_inside_a_range_and_a_range_inside_for_map
--- prog
BEGIN { @m[1] = 1; @m[2] = 2; for ($i : 0..2) { for ($kv : @m) { @t[$i, $kv.0] = $i * 10 + $kv.1; } } for ($kv : @m) { for ($j : 0..2) { @u[$kv.0, $j] = $kv.1 * 100 + $j; } } clear(@m); exit(); }
--- stdout


@t[0, 1]: 1
@t[0, 2]: 2
@t[1, 1]: 11
@t[1, 2]: 12
@u[1, 0]: 100
@u[1, 1]: 101
@u[2, 0]: 200
@u[2, 1]: 201

### for_map_over_an_empty_map_runs_no_turn
--- prog
BEGIN { @m[1] = 1; delete(@m, 1); $n = 0; for ($kv : @m) { $n++; } printf("turns %d\n", $n); exit(); }
--- stdout
turns 0

### for_map_return_leaves_the_probe
return in the body stops the walk and the probe: nothing after the loop
runs; END still runs.
--- prog
BEGIN { @m[1] = 1; @m[2] = 2; $n = 0; for ($kv : @m) { $n++; if ($n == 1) { printf("return\n"); return; } } printf("not reached\n"); }
END { printf("end\n"); clear(@m); }
--- signal
SIGINT 1500
--- stdout
return
end

### for_map_exit_in_the_body_ends_the_run
--- prog
BEGIN { @m[1] = 1; @m[2] = 2; for ($kv : @m) { printf("once\n"); exit(); } printf("not reached\n"); }
END { clear(@m); }
--- stdout
once

### for_map_exit_in_a_nested_loop_leaves_every_level
The inner body's exit() stops both walks and the probe: $n reaches 3 once.
--- prog
BEGIN { @a[1] = 1; @a[2] = 2; @b[1] = 1; @b[2] = 2; $n = 0; for ($x : @a) { for ($y : @b) { $n++; if ($n == 3) { printf("stop at %d\n", $n); exit(); } } } printf("not reached\n"); }
END { clear(@a); clear(@b); }
--- stdout
stop at 3

### for_map_sums_per_cpu_aggregations_over_the_cpus
count/sum/min/max values read in the body are combined over the CPUs, as
reading @m[k] is (bpftrace 0.2x does the same). Counts print by value.
--- prog
BEGIN { @c[1, "a"] = count(); @c[1, "a"] = count(); @c[2, "b"] = count(); @s[5] = sum(7); @s[5] = sum(-10); @mn[1] = min(5); @mn[1] = min(-3); @mx[1] = max(5); @mx[1] = max(9); for ($kv : @c) { @cnt[$kv.0.0, $kv.0.1] = $kv.1; } for ($kv : @s) { @sum[$kv.0] = $kv.1; } for ($kv : @mn) { @min[$kv.0] = $kv.1; } for ($kv : @mx) { @max[$kv.0] = $kv.1; } clear(@c); clear(@s); clear(@mn); clear(@mx); exit(); }
--- stdout


@cnt[2, b]: 1
@cnt[1, a]: 2
@max[1]: 9
@min[1]: -3
@sum[5]: -3

### for_map_may_delete_and_update_the_map_it_walks
--- prog
BEGIN { @m[1] = 1; @m[2] = 2; @m[3] = 3; for ($kv : @m) { if ($kv.0 != 2) { delete(@m, $kv.0); } else { @m[$kv.0] = 20; } } exit(); }
--- stdout


@m[2]: 20

### for_map_loop_variables_are_local_to_their_loop
Two loops may name their pair alike over maps of different types, and the
name is free again after them.
--- prog
BEGIN { @a[1] = 10; @s["x"] = "y"; for ($kv : @a) { printf("%d %d\n", $kv.0, $kv.1); } for ($kv : @s) { printf("%s %s\n", $kv.0, $kv.1); } $kv = 3; printf("%d\n", $kv); clear(@a); clear(@s); exit(); }
--- stdout
1 10
x y
3

### for_map_in_a_tracepoint_probe_reads_its_args_and_probe
The body runs in the probe's context: args, probe, pid.
--- flags
-q -c 'build/targets/sysload getppid 3'
--- prog
BEGIN { @m[1] = 100; @m[2] = 200; }
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { for ($kv : @m) { @calls[probe, $kv.0, args.__syscall_nr == 110, pid == cpid] = count(); @total = sum($kv.1); } }
END { clear(@m); }
--- stdout


@calls[tracepoint:syscalls:sys_enter_getppid, 1, true, true]: 3
@calls[tracepoint:syscalls:sys_enter_getppid, 2, true, true]: 3
@total: 900

### for_map_in_dispatched_syscall_probes_names_the_probe
Eight syscall tracepoints share one raw_syscalls program, whose probe id
the callback reads as well.
--- flags
-q -c 'build/targets/sysload getppid 2'
--- prog
BEGIN { @m[1] = 1; }
tracepoint:syscalls:sys_enter_getppid,tracepoint:syscalls:sys_enter_getpid,tracepoint:syscalls:sys_enter_gettid,tracepoint:syscalls:sys_enter_getuid,tracepoint:syscalls:sys_enter_getgid,tracepoint:syscalls:sys_enter_geteuid,tracepoint:syscalls:sys_enter_getegid,tracepoint:syscalls:sys_enter_getpgrp /pid == cpid/ { for ($kv : @m) { @[probe] = count(); } }
END { clear(@m); }
--- stdout


@[tracepoint:syscalls:sys_enter_getppid]: 2

### for_map_in_a_uprobe_reads_user_strings_and_arguments
--- flags
-q -c 'build/targets/funcs calls 3'
--- prog
BEGIN { @m[1] = 1; @m[2] = 2; }
uprobe:build/targets/funcs:greet /pid == cpid/ { for ($kv : @m) { @who[str(arg0), $kv.0] = count(); } }
uprobe:build/targets/funcs:add /pid == cpid/ { $s = 0; for ($kv : @m) { $s += $kv.1 * arg0; } @sums = sum($s); }
END { clear(@m); }
--- stdout
79


@sums: 9
@who[sonde, 1]: 3
@who[sonde, 2]: 3

### for_map_refuses_what_is_not_a_map
--- prog
BEGIN { $x = 1; for ($kv : $x) { } }
--- stderr
stdin:1:28-30: ERROR: a for loop runs over a map, for ($kv : @m), or a range, for ($i : 0..10)
BEGIN { $x = 1; for ($kv : $x) { } }
                           ~~
--- rc
1

### for_map_refuses_a_map_without_keys
As bpftrace: a scalar map has nothing to iterate over.
--- prog
BEGIN { @s = 1; for ($kv : @s) { } }
--- stderr
stdin:1:28-30: ERROR: @s has no keys to iterate over: a for loop needs a map such as @m[k]
BEGIN { @s = 1; for ($kv : @s) { } }
                           ~~
--- rc
1

### for_map_refuses_avg_stats_hist_lhist_maps
As bpftrace: their values are not one number per key.
--- prog
BEGIN { @h[1] = hist(5); for ($kv : @h) { } }
--- stderr
stdin:1:37-39: ERROR: a for loop cannot iterate over @h: its hist_t values are not one number per key (print(@h) shows them)
BEGIN { @h[1] = hist(5); for ($kv : @h) { } }
                                    ~~
--- rc
1

### for_map_refuses_an_avg_map
--- prog
BEGIN { @a[1] = avg(5); for ($kv : @a) { } }
--- stderr-has
stdin:1:36-38: ERROR: a for loop cannot iterate over @a: its avg_t values are not one number per key (print(@a) shows them)
--- rc
1

### for_map_refuses_a_map_with_keys
--- prog
BEGIN { @m[1] = 1; for ($kv : @m[1]) { } }
--- stderr
stdin:1:31-36: ERROR: a for loop runs over a whole map: write @m, without keys
BEGIN { @m[1] = 1; for ($kv : @m[1]) { } }
                              ~~~~~
--- rc
1

### for_map_refuses_an_undefined_map
--- prog
BEGIN { for ($kv : @nope) { } }
--- stderr
stdin:1:20-25: ERROR: Undefined map: @nope
BEGIN { for ($kv : @nope) { } }
                   ~~~~~
--- rc
1

### for_map_refuses_a_pair_index_past_the_value
--- prog
BEGIN { @m[1] = 1; for ($kv : @m) { printf("%d\n", $kv.2); } }
--- stderr
stdin:1:52-57: ERROR: Invalid tuple index: 2. Found 2 elements in tuple.
BEGIN { @m[1] = 1; for ($kv : @m) { printf("%d\n", $kv.2); } }
                                                   ~~~~~
--- rc
1

### for_map_refuses_the_pair_as_a_number
--- prog
BEGIN { @m[1] = 1; for ($kv : @m) { $x = $kv + 1; } }
--- stderr
stdin:1:42-45: ERROR: operator + cannot be used on a value of type (int64,int64)
BEGIN { @m[1] = 1; for ($kv : @m) { $x = $kv + 1; } }
                                         ~~~
--- rc
1

### for_map_refuses_the_pair_after_its_loop
--- prog
BEGIN { @m[1] = 1; for ($kv : @m) { } printf("%d\n", $kv.0); }
--- stderr
stdin:1:54-57: ERROR: Undefined or undeclared variable: $kv
BEGIN { @m[1] = 1; for ($kv : @m) { } printf("%d\n", $kv.0); }
                                                     ~~~
--- rc
1

### for_map_refuses_assigning_another_type_to_the_pair
--- prog
BEGIN { @m[1] = 1; for ($kv : @m) { $kv = 5; } }
--- stderr
stdin:1:37-40: ERROR: Type mismatch for $kv: trying to assign value of type 'int64' when variable already contains a value of type '(int64,int64)'
BEGIN { @m[1] = 1; for ($kv : @m) { $kv = 5; } }
                                    ~~~
--- rc
1

### for_map_needs_a_variable_and_a_block
--- prog
BEGIN { @m[1] = 1; for ($kv : @m) printf("x"); }
--- stderr
stdin:1:35-41: ERROR: syntax error, unexpected printf, expecting {
BEGIN { @m[1] = 1; for ($kv : @m) printf("x"); }
                                  ~~~~~~
--- rc
1

### for_map_explains_a_stack_too_large_for_probe_and_body
The body is a function with a frame of its own; with the probe's, over
512 bytes is the verifier's refusal, said in the script's terms.
--- prog
BEGIN { @m[1] = 1; $a = 1; $b = 2; $c = 3; $d = 4; $e = 5; $f = 6; $g = 7; $h = 8; $i = 9; $j = 10; $k = 11; $l = 12; $m = 13; $n = 14; $o = 15; $p = 16; $q = 17; $r = 18; $s = 19; $t = 20; $u = 21; $v = 22; $w = 23; $x = 24; $y = 25; $z = 26; $aa = 27; $bb = 28; $cc = 29; $dd = 30; for ($kv : @m) { $dd += $a + $b + $c + $d + $e + $f + $g + $h + $i + $j + $k + $l + $m + $n + $o + $p + $q + $r + $s + $t + $u + $v + $w + $x + $y + $z + $aa + $bb + $cc + $kv.1; } printf("%d\n", $dd); exit(); }
--- stderr-has
use more than 512 bytes of stack together: use fewer variables or shorter strings (BPFTRACE_STRLEN) (kernel says: combined stack size of 2 calls is
--- rc
1

### for_map_explains_loops_nested_too_deep
The probe and eight loop bodies make nine functions in a chain, one more
than the kernel calls; the caret is at the innermost loop.
--- prog
BEGIN { @a[1] = 1; $s = 0; for ($k1 : @a) { for ($k2 : @a) { for ($k3 : @a) { for ($k4 : @a) { for ($k5 : @a) { for ($k6 : @a) { for ($k7 : @a) { for ($k8 : @a) { $s++; } } } } } } } } exit(); }
--- stderr-has
stdin:1:147-150: ERROR: the kernel's verifier rejected this probe: its for loops over maps nest too deep: the kernel calls at most 8 functions in a chain (the probe, then each loop's body) (kernel says: the call stack of 9 frames is too deep)
--- rc
1

### for_map_body_expands_macros_in_place
A macro whose body has statements expands inside the loop's body, where
its argument ($kv) is defined.
--- prog
macro twice(x) { $t = x; $t * 2 }
BEGIN { @m[1] = 1; @m[2] = 5; for ($kv : @m) { @r[$kv.0] = twice($kv.1); } clear(@m); exit(); }
--- stdout


@r[1]: 2
@r[2]: 10
