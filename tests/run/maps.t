### scalar_and_keyed_maps_print_at_exit_in_name_order
--- prog
BEGIN { @b["y"] = 1; @b["x"] = 3; @b["zz"] = 10; @a = 5; @c[2, "one"] = 2; @c[1, "two"] = 7; @t = (1, "a"); exit(); }
--- stdout


@a: 5
@b[y]: 1
@b[x]: 3
@b[zz]: 10
@c[2, one]: 2
@c[1, two]: 7
@t: (1, a)

### integer_keys_sort_signed
--- prog
BEGIN { @m[3] = "c"; @m[-7] = "a"; @m[-1] = "b"; exit(); }
--- stdout


@m[-7]: a
@m[-1]: b
@m[3]: c

### tuples_nest_and_index
--- prog
BEGIN { $t = (1, "two", (3, 4)); printf("%d %s %d\n", $t.0, $t.1, $t.2.1); print($t); exit(); }
--- stdout
1 two 4
(1, two, (3, 4))

### tuple_keys_pack_mixed_fields
--- prog
BEGIN { $k = (7, "x"); @m[$k] = 1; @m[(8, "y")] = 2; printf("%d %d\n", @m[(7, "x")], @m[8, "y"]); exit(); }
--- stdout
1 2


@m[7, x]: 1
@m[8, y]: 2

### map_increment_and_compound_assignment
--- prog
BEGIN { @x++; @x++; @y += 5; @y -= 2; @y *= 10; @z[1]++; @z[1] += 4; exit(); }
--- stdout


@x: 2
@y: 30
@z[1]: 5

### delete_removes_one_entry_in_both_forms
--- prog
BEGIN { @m[1] = 1; @m[2] = 2; @m[3] = 3; @n[1, 2] = 5; delete(@m[1]); delete(@m, 2); delete(@n, (1, 2)); exit(); }
--- stdout


@m[3]: 3

### has_key_tells_presence
--- prog
BEGIN { @m[1] = 0; printf("%d %d\n", has_key(@m, 1), has_key(@m, 2)); exit(); }
--- stdout
1 0


@m[1]: 0

### clear_empties_a_map
--- prog
BEGIN { @m[1] = 1; @m[2] = 2; @k = 1; clear(@m); exit(); }
--- stdout


@k: 1

### print_reads_the_map_when_user_space_handles_it_as_bpftrace
--- prog
BEGIN { @m["a"] = 1; print(@m); @m["b"] = 2; exit(); }
--- stdout
@m[a]: 1
@m[b]: 2


@m[a]: 1
@m[b]: 2

### print_top_keeps_the_highest_and_div_divides
--- prog
BEGIN { @m["a"] = count(); @m["b"] = count(); @m["b"] = count(); @m["c"] = sum(30); print(@m, 2); print(@m, 0, 10); clear(@m); exit(); }
--- rc
1
--- stderr-has
Type mismatch for @m

### print_top_and_div_on_sums
--- prog
BEGIN { @m["a"] = sum(10); @m["b"] = sum(200); @m["c"] = sum(3000); print(@m, 2); print(@m, 0, 10); clear(@m); exit(); }
--- stdout
@m[b]: 200
@m[c]: 3000
@m[a]: 1
@m[b]: 20
@m[c]: 300



### print_of_values
--- prog
BEGIN { print(123); print(-5); print("bash"); print((1, "a", "bash")); print(1 < 2); exit(); }
--- stdout
123
-5
bash
(1, a, bash)
true


### maps_are_shared_between_probes
--- prog
BEGIN { @x = 41; }
interval:ms:20 { @x++; exit(); }
END { printf("%d\n", @x); }
--- stdout
42


@x: 42

### json_output_for_maps_and_records
--- flags
-f json
--- prog
BEGIN { @a = 5; @b["y"] = 1; @c[1, "two"] = 7; @t = (1, "a"); printf("hi %d\n", 5); print((1, "x")); exit(); }
--- stdout
{"type": "attached_probes", "data": {"probes": 1}}
{"type": "printf", "data": "hi 5\n"}
{"type": "value", "data": [1,"x"]}
{"type": "map", "data": {"@a": 5}}
{"type": "map", "data": {"@b": {"y": 1}}}
{"type": "map", "data": {"@c": {"1,two": 7}}}
{"type": "map", "data": {"@t": [1,"a"]}}

### json_strings_are_escaped
--- flags
-f json
--- prog
BEGIN { printf("q\"b\\n\n\t\x01"); exit(); }
--- stdout
{"type": "attached_probes", "data": {"probes": 1}}
{"type": "printf", "data": "q\"b\\n\n\t\u0001"}

### len_counts_entries_through_the_kernel
--- prog
BEGIN { @m[1] = 1; @m[2] = 2; @c["a"] = count(); @c["b"] = count(); @c["c"] = count(); printf("%d %d\n", len(@m), len(@c)); delete(@m[1]); printf("%d\n", len(@m)); clear(@c); exit(); }
--- stdout
2 3
1


@m[2]: 2

### full_map_counts_every_new_key_it_refused_per_map_in_name_order
--- env
BPFTRACE_MAX_MAP_KEYS=100
--- prog
BEGIN { $i = 0; while ($i < 150) { @z[$i] = 1; @a[$i]++; $i++; } exit(); }
--- stderr
WARNING: @a: 50 updates dropped, map full (100 entries; raise with BPFTRACE_MAX_MAP_KEYS)
WARNING: @z: 50 updates dropped, map full (100 entries; raise with BPFTRACE_MAX_MAP_KEYS)
--- check
out.count("\n@z[") == 100 and out.count("\n@a[") == 100 and "@z[99]: 1" in out and "@z[100]" not in out

### full_map_still_updates_its_existing_keys_and_counts_only_new_ones
--- env
BPFTRACE_MAX_MAP_KEYS=20
--- prog
BEGIN { $i = 0; while ($i < 150) { @c[$i % 30] = count(); @s[$i % 30] = sum(2); $i++; } exit(); }
--- stderr
WARNING: @c: 50 updates dropped, map full (20 entries; raise with BPFTRACE_MAX_MAP_KEYS)
WARNING: @s: 50 updates dropped, map full (20 entries; raise with BPFTRACE_MAX_MAP_KEYS)
--- check
out.count("\n@c[") == 20 and "@c[19]: 5\n" in out and "@s[0]: 10\n" in out and "@c[20]" not in out

### full_hist_counts_values_whose_bucket_did_not_fit
--- env
BPFTRACE_MAX_MAP_KEYS=5
--- prog
BEGIN { $i = 0; while ($i < 256) { @h = hist($i); $i++; } exit(); }
--- stderr
WARNING: @h: 240 updates dropped, map full (5 entries; raise with BPFTRACE_MAX_MAP_KEYS)

### full_map_in_an_attached_probe_counts_each_event_it_refused
--- env
BPFTRACE_MAX_MAP_KEYS=100
--- flags
-q -c 'build/targets/sysload getppid 150'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @x[@n] = 1; @n++; }
--- stderr
WARNING: @x: 50 updates dropped, map full (100 entries; raise with BPFTRACE_MAX_MAP_KEYS)
--- check
"@n: 150\n" in out and out.count("\n@x[") == 100

### one_refused_update_is_said_in_the_singular_with_the_older_variable_name
--- env
BPFTRACE_MAP_KEYS_MAX=100
--- prog
BEGIN { $i = 0; while ($i < 101) { @x[$i] = $i; $i++; } exit(); }
--- stderr
WARNING: @x: 1 update dropped, map full (100 entries; raise with BPFTRACE_MAX_MAP_KEYS)

### full_map_in_json_is_a_map_full_record_before_the_maps
--- env
BPFTRACE_MAX_MAP_KEYS=2
--- flags
-q -f json
--- prog
BEGIN { $i = 0; while ($i < 5) { @x[$i] = 1; $i++; } exit(); }
--- stdout
{"type": "map_full", "data": {"map": "@x", "dropped": 3, "max_entries": 2}}
{"type": "map", "data": {"@x": {"0": 1, "1": 1}}}
--- stderr

### map_filled_exactly_and_rewritten_says_nothing
--- env
BPFTRACE_MAX_MAP_KEYS=100
--- prog
BEGIN { $i = 0; while ($i < 300) { @x[$i % 100] = $i; @c[$i % 100] = count(); $i++; } exit(); }
--- stderr
--- check
out.count("\n@x[") == 100 and "@x[99]: 299\n" in out and "@c[0]: 3\n" in out

### find_reads_a_key_and_its_value_with_one_lookup
bpftrace 0.2x's find(@m, key, $v): true and $v set when the key is there;
false and $v unchanged when not; tuple keys as in has_key().
--- prog
BEGIN { @m[2] = 7; @s["a", 1] = "hello"; let $v = 0; $w = "";
  if (find(@m, 2, $v)) { printf("found %d\n", $v); }
  if (!find(@m, 3, $v)) { printf("not 3, still %d\n", $v); }
  if (find(@s, ("a", 1), $w)) { printf("%s\n", $w); }
  clear(@m); clear(@s); }
--- stdout
found 7
not 3, still 7
hello

### find_copies_plain_values_only
--- prog
BEGIN { @c[1] = count(); $v = 0; find(@c, 1, $v); }
--- stderr
stdin:1:39-41: ERROR: find() copies plain values; @c holds count_t (read it with @c[key])
BEGIN { @c[1] = count(); $v = 0; find(@c, 1, $v); }
                                      ~~
--- rc
1

### find_puts_the_value_in_a_variable
--- prog
BEGIN { @c[1] = 1; find(@c, 1, 5); }
--- stderr
stdin:1:32-33: ERROR: find() puts the value in a variable: find(@m, key, $v)
BEGIN { @c[1] = 1; find(@c, 1, 5); }
                               ~
--- rc
1
