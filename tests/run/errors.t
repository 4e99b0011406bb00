### syntax_error_points_at_the_token
--- prog
BEGIN { printf("x" }
--- rc
1
--- stderr
stdin:1:20-21: ERROR: syntax error, unexpected }, expecting ) or ","
BEGIN { printf("x" }
                   ~

### unexpected_end_of_file
--- prog
BEGIN { @x = 1
--- rc
1
--- stderr
stdin:1:15-16: ERROR: syntax error, unexpected end of file, expecting ; or }
BEGIN { @x = 1
              ~

### unknown_function
--- prog
BEGIN { foo(1); }
--- rc
1
--- stderr
stdin:1:9-15: ERROR: Unknown function: foo
BEGIN { foo(1); }
        ~~~~~~

### undefined_variable_on_a_later_line
--- prog
BEGIN { @x = 1;
  $y = $z + 1; }
--- rc
1
--- stderr
stdin:2:8-10: ERROR: Undefined or undeclared variable: $z
  $y = $z + 1; }
       ~~

### map_value_type_clash_in_bpftrace_words
--- prog
BEGIN { @x = 1; @x = "a"; }
--- rc
1
--- stderr
stdin:1:17-19: ERROR: Type mismatch for @x: trying to assign value of type 'string[64]' when map already contains a value of type 'int64'
BEGIN { @x = 1; @x = "a"; }
                ~~

### map_key_type_clash
--- prog
BEGIN { @m[1] = 1; @m["a"] = 2; }
--- rc
1
--- stderr-has
ERROR: Argument mismatch for @m: trying to access with arguments: 'string[64]' when map expects arguments: 'int64'

### variable_type_clash
--- prog
BEGIN { $x = 1; $x = "a"; }
--- rc
1
--- stderr-has
stdin:1:17-19: ERROR: Type mismatch for $x: trying to assign value of type 'string[64]' when variable already contains a value of type 'int64'

### printf_argument_types_are_checked
--- prog
BEGIN { printf("%d\n", "str"); }
--- rc
1
--- stderr-has
stdin:1:24-29: ERROR: printf: %d specifier expects a value of type integer (string supplied)

### printf_argument_count_is_checked
--- prog
BEGIN { printf("%d\n", 1, 2); }
--- rc
1
--- stderr-has
ERROR: printf: Too many arguments for format string (2 supplied, 1 expected)

### kprobes_are_refused_naming_the_missing_kernel_feature
--- prog
kprobe:do_sys_open { }
--- rc
1
--- stderr-has
ERROR: kprobe: kprobes are not available on this kernel (no kprobe event source: built without CONFIG_KPROBES)

### fentry_is_refused
--- prog
fentry:vfs_read { }
--- rc
1
--- stderr-has
fentry/fexit are not available on this kernel

### hardware_events_are_refused
--- prog
hardware:cycles:100 { }
--- rc
1
--- stderr-has
hardware events are not available: this machine has no hardware PMU

### unknown_probe_type
--- prog
bogus:x { }
--- rc
1
--- stderr-has
ERROR: Invalid probe type: bogus

### unknown_struct_field
--- prog
BEGIN { $p = curtask->nofield; }
--- rc
1
--- stderr-has
ERROR: Struct/union of type 'struct task_struct' does not contain a field named 'nofield'

### unknown_struct_in_cast
--- prog
BEGIN { $x = (struct nosuch *)0; }
--- rc
1
--- stderr-has
ERROR: Unknown struct/union: 'struct nosuch'

### tuple_index_out_of_range
--- prog
BEGIN { $t = (1, 2); $x = $t.5; }
--- rc
1
--- stderr-has
ERROR: Invalid tuple index: 5. Found 2 elements in tuple.

### unroll_is_bounded
--- prog
BEGIN { unroll(101) { } }
--- rc
1
--- stderr-has
ERROR: unroll count must be between 1 and 100

### bad_interval_unit
--- prog
interval:xs:1 { }
--- rc
1
--- stderr-has
ERROR: invalid interval probe: interval:xs:1

### string_arithmetic_is_refused
--- prog
BEGIN { $x = "a" + 1; }
--- rc
1
--- stderr-has
ERROR: operator + cannot be used on a value of type string

### probe_builtins_of_other_probe_types_are_refused
--- prog
BEGIN { $x = arg0; }
--- rc
1
--- stderr-has
ERROR: builtin arg0 is not available for probe type BEGIN

### undefined_map
--- prog
BEGIN { print(@nope); }
--- rc
1
--- stderr-has
stdin:1:15-20: ERROR: Undefined map: @nope

### no_probes_is_an_error
--- prog
// only a comment
--- rc
1
--- stderr-has
ERROR: no probes in program

### invalid_output_format
--- flags
-f jsonx
--- prog
BEGIN { exit(); }
--- rc
1
--- stderr-has
ERROR: Invalid output format "jsonx"

### missing_script_file
--- flags
/nonexistent/script.bt
--- rc
1
--- stderr-has
ERROR: failed to open file '/nonexistent/script.bt'

### unterminated_string
--- prog
BEGIN { printf("abc); }
--- rc
1
--- stderr-has
ERROR: unterminated string

### verifier_rejection_is_reported_at_the_script_line
--- prog
BEGIN { $i = 0; while ($i >= 0) { $i++; } }
--- rc
1
--- stderr-has
stdin:1:
ERROR: the kernel's verifier rejected this probe

### a_long_operator_chain_is_compiled_not_refused
--- prog
BEGIN { $x = 1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1; print($x); exit(); }
--- stdout
217

### a_lexical_error_after_a_parenthesis_is_reported_once
--- prog
BEGIN { $x = ("abc }
--- rc
1
--- stderr
stdin:1:15-21: ERROR: unterminated string
BEGIN { $x = ("abc }
              ~~~~~~

### a_stray_closing_brace_after_a_probe
--- prog
BEGIN { $x = 1 }}
--- rc
1
--- stderr-has
stdin:1:17-18: ERROR: syntax error, unexpected }, expecting attach point

### interval_period_overflow_is_refused
--- prog
interval:s:18446744074 { }
--- rc
1
--- stderr-has
ERROR: invalid interval probe: interval:s:18446744074

### negative_positional_parameters_are_signed
--- prog
BEGIN { if ($1 < 0) { printf("neg\n"); } printf("%d\n", $1 / 5); exit(); }
--- params
-- -5
--- stdout
neg
-1

### compound_assignment_on_an_aggregation_is_refused
--- prog
BEGIN { @a = avg(4); @a += 1; }
--- rc
1
--- stderr-has
ERROR: @a holds a avg_t: update it with its function, e.g. @a = sum(x)

### len_of_a_histogram_is_refused
--- prog
BEGIN { @h = hist(1); $n = len(@h); }
--- rc
1
--- stderr-has
ERROR: len() counts keys, and @h keeps one entry per histogram bucket

### verbose_loads_large_valid_programs
--- flags
-q -v
--- prog
BEGIN { $i = 0; unroll(100) { $i++; printf("%d\n", $i); } unroll(100) { $i++; printf("%d\n", $i); } exit(); }
--- stdout-re
1\n2\n.*\n200\n*
--- stderr-has
verifier: processed

### a_thousand_levels_of_parentheses_are_compiled_and_run
--- setup
python3 -c "n = 1000; print('BEGIN { print(' + '(' * n + '1' + ') + 1' * n + '); exit(); }')" > {TMP}/deep.bt
--- flags
-q {TMP}/deep.bt
--- stdout
1001

### a_thousand_nested_ifs_around_a_two_thousand_term_chain_run
--- setup
python3 -c "n = 1000; print('BEGIN { @m = 1; ' + 'if (@m) { ' * n + 'print(' + '+'.join(['1'] * 2000) + ');' + ' }' * n + ' exit(); }')" > {TMP}/deep.bt
--- flags
-q {TMP}/deep.bt
--- stdout
2000


@m: 1

### nesting_past_the_limit_is_refused_with_a_true_message_and_a_short_diagnostic
--- setup
python3 -c "n = 100000; print('BEGIN { print(' + '(' * n + '1' + ')' * n + '); exit(); }')" > {TMP}/deep.bt
--- flags
-q {TMP}/deep.bt
--- stderr-has
ERROR: the program is nested too deeply: more than 10000 levels of parentheses, blocks or operators
--- check
len(err) < 1000 and max(len(l) for l in err.splitlines()) < 400 and err.splitlines()[1].startswith("...((((") and err.splitlines()[2].rstrip().endswith("~")
--- rc
1

### a_diagnostic_in_a_long_line_shows_a_window_around_the_error
--- setup
python3 -c "print('BEGIN { ' + ' ' * 300 + 'print(1 +); }')" > {TMP}/long.bt
--- flags
-q {TMP}/long.bt
--- check
err.splitlines()[0].endswith("ERROR: syntax error, unexpected )") and err.splitlines()[1].startswith("...") and err.splitlines()[1].endswith("print(1 +); }") and err.splitlines()[2].index("~") == err.splitlines()[1].index("print(1 +)") + 9 and len(err) < 600
--- rc
1

### a_ten_thousand_term_chain_is_compiled
--- setup
python3 -c "print('BEGIN { print(' + '+'.join(['1'] * 10000) + '); exit(); }')" > {TMP}/chain.bt
--- flags
-q {TMP}/chain.bt
--- stdout
10000

### a_branch_longer_than_a_bpf_jump_reaches_is_explained
--- setup
python3 -c "n = 1000; print('BEGIN { @m = 1; ' + 'if (@m) { ' * n + 'print(' + '+'.join(['1'] * 10000) + ');' + ' }' * n + ' exit(); }')" > {TMP}/far.bt
--- flags
-q {TMP}/far.bt
--- stderr-has
BPF instructions and one of its branches jumps over more than the 32767 a BPF jump can reach: split the block or shorten what an if or loop holds
--- rc
1
