# bpftrace 0.2x's config variables, literals and run-time behaviour
# (issue 18): config blocks and BPFTRACE_* settings, integer suffixes and
# duration literals, BEGIN-only scripts that end, empty scalar maps as 0.

### duration_literals_are_nanoseconds
--- prog
BEGIN { $a = 1m; print($a); printf("%lu %lu %lu %lu %lu %lu\n", 7ns, 3us, 1_500ms, 2s, 1h, 1d); exit(); }
--- stdout
60000000000
7 3000 1500000000 2000000000 3600000000000 86400000000000

### c_integer_suffixes_are_read_and_change_nothing
--- prog
BEGIN { printf("%d %d %d %d %d %d\n", 123UL, 123U, 123LL, 123ull, 0x10L, 2e3ULL); exit(); }
--- stdout
123 123 123 123 16 2000

### a_literal_with_an_unknown_suffix_is_an_error_with_a_caret
--- prog
BEGIN { printf("%d\n", 10sec); }
--- stderr
stdin:1:24-29: ERROR: invalid integer literal: 10sec (suffixes: U, L, UL, LL, ULL; durations in nanoseconds: ns, us, ms, s, m, h, d)
BEGIN { printf("%d\n", 10sec); }
                       ~~~~~
--- rc
1

### a_duration_too_large_for_64_bits_is_an_error
--- prog
BEGIN { printf("%d\n", 300000d); }
--- stderr-has
stdin:1:24-31: ERROR: integer literal too large: 300000d
--- rc
1

### stack_mode_in_a_config_block_sets_the_default_layout
perf's layout: a tab, the address in hex, the symbol and its module.
--- flags
-q -c 'build/targets/cxx calls 1 300'
--- prog
config = { stack_mode = perf }
uprobe:build/targets/cxx:_Z5scalei { printf("%s", ustack(2)); exit(); }
--- check
re.search(r"^\t[0-9a-f]+ scale\(int\)\+0 \(\S+/build/targets/cxx\)\n\t[0-9a-f]+ calls\(long\)\+[0-9]+ \(\S+/cxx\)\n", out, re.M) is not None

### stack_mode_raw_from_the_environment_prints_addresses_only
--- flags
-q -c 'build/targets/cxx calls 1 300'
--- env
BPFTRACE_STACK_MODE=raw
--- prog
uprobe:build/targets/cxx:_Z5scalei { printf("%s", ustack(2)); exit(); }
--- check
re.search(r"^\t[0-9a-f]+\n\t[0-9a-f]+\n", out, re.M) is not None and "scale" not in out

### the_environment_wins_over_the_config_block
Names as bpftrace takes them: STACK_MODE and stack_mode are one setting.
--- flags
-q -c 'build/targets/cxx calls 1 300'
--- env
BPFTRACE_STACK_MODE=raw
--- prog
config = { STACK_MODE = perf }
uprobe:build/targets/cxx:_Z5scalei { printf("%s", ustack(1)); exit(); }
--- check
re.search(r"^\t[0-9a-f]+\n", out, re.M) is not None and "scale" not in out

### a_call_site_mode_wins_over_the_config
--- flags
-q -c 'build/targets/cxx calls 1 300'
--- prog
config = { BPFTRACE_STACK_MODE = raw }
uprobe:build/targets/cxx:_Z5scalei { printf("%s", ustack(bpftrace, 1)); exit(); }
--- check
re.search(r"^ +scale\(int\)\+0\n", out, re.M) is not None

### a_config_value_of_the_wrong_kind_is_an_error_at_the_value
--- prog
config = { stack_mode = pretty } BEGIN { exit(); }
--- stderr
stdin:1:25-31: ERROR: config: stack_mode takes bpftrace|perf|raw, not pretty
config = { stack_mode = pretty } BEGIN { exit(); }
                        ~~~~~~
--- rc
1

### a_bad_setting_in_the_environment_is_an_error
--- env
BPFTRACE_MISSING_PROBES=maybe
--- prog
BEGIN { exit(); }
--- stderr
ERROR: BPFTRACE_MISSING_PROBES takes error|warn|ignore, not maybe
--- rc
1

### a_missing_probe_is_an_error_by_default
--- prog
tracepoint:syscalls:sys_enter_no_such_call, tracepoint:syscalls:sys_enter_getppid { exit(); }
--- stderr-has
stdin:1:1-43: ERROR: tracepoint not found: syscalls:sys_enter_no_such_call (list them with: sonde -l 'tracepoint:syscalls:*')
--- rc
1

### missing_probes_warn_leaves_the_probe_out_with_a_warning
The other probe of the block still counts the command's 3 calls.
--- flags
-q -c 'build/targets/sysload getppid 3'
--- prog
config = { missing_probes = warn }
tracepoint:syscalls:sys_enter_no_such_call, tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); }
uprobe:/no/such/binary:main { @u = count(); }
--- stdout


@n: 3
--- check
err.count("WARNING: ") == 2 and "WARNING: tracepoint not found: syscalls:sys_enter_no_such_call" in err and "ERROR" not in err and "(left out: missing_probes)" in err

### missing_probes_ignore_says_nothing
--- flags
-q -c 'build/targets/sysload getppid 2'
--- env
BPFTRACE_MISSING_PROBES=ignore
--- prog
tracepoint:syscalls:sys_enter_no_such_call, tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); }
--- stdout


@n: 2
--- stderr

### a_script_whose_every_probe_is_missing_is_an_error
--- prog
config = { missing_probes = ignore } uprobe:/no/such/binary:main { exit(); }
--- stderr
ERROR: no probes to attach: every probe of the script is missing (config missing_probes)
--- rc
1

### max_bpf_progs_limits_the_programs
--- prog
config = { max_bpf_progs = 2 } BEGIN { exit(); } END { } interval:s:1 { }
--- stderr
ERROR: the script needs 3 BPF programs, more than max_bpf_progs (2)
--- rc
1

### a_license_that_is_not_gpl_compatible_is_refused
sonde's programs call GPL-only helpers.
--- prog
config = { license = "MIT" } BEGIN { exit(); }
--- stderr-has
ERROR: config: license takes GPL|GPL v2|GPL and additional rights|Dual BSD/GPL|Dual MIT/GPL|Dual MPL/GPL, not MIT
--- rc
1

### settings_sonde_decides_itself_are_accepted_and_checked
license, log_size and perf_rb_pages take effect (the ring buffer of 3 pages
is rounded up to 4); the others are checked only.
--- prog
config = { license = "Dual BSD/GPL"; log_size = 65536; perf_rb_pages = 3; on_stack_limit = 64;
  cache_user_symbols = PER_PID; lazy_symbolication = true; show_debug_info = false; max_cat_bytes = 100;
  unstable_map_decl = enable; unstable_macro = warn; str_trunc_trailer = ".."; }
BEGIN { printf("ok\n"); exit(); }
--- stdout
ok

### cpp_demangle_false_keeps_cxx_names_mangled
--- flags
-q -c 'build/targets/cxx calls 1 300'
--- prog
config = { cpp_demangle = false }
uprobe:build/targets/cxx:_ZNK2ns6Widget4areaEv { printf("%s\n", usym(reg("ip"))); exit(); }
--- check
re.search(r"^_ZNK2ns6Widget4areaEv$", out, re.M) is not None and "area()" not in out

### a_script_of_begin_and_end_only_ends_after_begin
bpftrace 0.21 and later: nothing else can happen, so it does not wait for
Ctrl-C. END runs and the maps are printed.
--- prog
BEGIN { printf("begin\n"); @x = 3; } END { printf("end\n"); }
--- stdout
begin
end


@x: 3

### begin_only_with_a_command_waits_for_the_command
--- setup
printf 'sleep 0.3; echo done\n' > {TMP}/w.sh
--- flags
-q -c 'sh {TMP}/w.sh'
--- prog
BEGIN { printf("begin\n"); }
--- stdout
begin
done

### print_of_an_empty_scalar_map_prints_zero
Deleted, cleared, or never set (the assignment never ran): print() shows 0
as bpftrace 0.2x does; a keyed map with no keys and a histogram print
nothing. At exit empty maps are not printed (clear() in END keeps a map
quiet, as bpftrace's docs advise).
--- prog
BEGIN { @a = 1; delete(@a); @c = count(); clear(@c); @m = max(5); clear(@m); @v = avg(3); clear(@v);
  if (0) { @n = 4; } @k[1] = 1; delete(@k[1]); @h = hist(3); clear(@h);
  print(@a); print(@c); print(@m); print(@n); print(@v); print(@k); print(@h); exit(); }
--- stdout
@a: 0
@c: 0
@m: 0
@n: 0
@v: 0

### print_of_an_empty_scalar_map_prints_zero_in_json_too
--- flags
-q -f json
--- prog
BEGIN { @a = 1; delete(@a); print(@a); exit(); }
--- stdout
{"type": "map", "data": {"@a": 0}}

### k_warns_at_each_failed_read_with_its_place
-k (bpftrace's helper warnings): each failed read of user memory is a
warning pointing at the read; the count at the end stays.
--- flags
-q -k
--- prog
BEGIN { printf("[%s]\n", str(0x1000)); exit(); }
--- stdout
[]
--- check
"stdin:1:26-37: WARNING: Failed to read user memory: Bad address (-14)\nBEGIN { printf(\"[%s]\\n\", str(0x1000)); exit(); }\n                         ~~~~~~~~~~~\n" in err and "1 read of the process's memory failed" in err

### without_k_only_the_count_is_said
--- prog
BEGIN { printf("[%s]\n", str(0x1000)); exit(); }
--- stdout
[]
--- check
"Failed to read user memory" not in err and "1 read of the process's memory failed" in err
