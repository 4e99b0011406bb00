### string_equality_compares_contents
--- prog
BEGIN { printf("%d %d %d\n", "abc" == "abc", "abc" == "abd", "bpftr" != "bpftrace"); exit(); }
--- stdout
1 0 1

### comm_is_the_current_task_name
--- prog
BEGIN { if (comm == "sonde" || comm == "sonde-asan") { printf("ok\n"); } exit(); }
--- stdout
ok

### string_variables_and_map_values
--- prog
BEGIN { $s = "hello"; @m[1] = $s; @m[2] = "world"; printf("%s %s\n", @m[1], @m[2]); exit(); }
--- stdout
hello world


@m[1]: hello
@m[2]: world

### missing_map_key_reads_as_empty_string_or_zero
--- prog
BEGIN { @s[1] = "x"; @i[1] = 5; printf("[%s] %d\n", @s[2], @i[2]); exit(); }
--- stdout
[] 0


@i[1]: 5
@s[1]: x

### str_with_a_length_keeps_n_minus_one_characters
--- prog
BEGIN { printf("%s|\n", str("zztest", 5)); exit(); }
--- stdout
zzte|

### string_literal_too_long_is_an_error
--- prog
BEGIN { printf("%s\n", "0123456789012345678901234567890123456789012345678901234567890123456789"); }
--- rc
1
--- stderr-has
ERROR: String is too long (over 64 bytes)

### bpftrace_strlen_allows_longer_strings
--- env
BPFTRACE_STRLEN=128
--- prog
BEGIN { printf("%s\n", "0123456789012345678901234567890123456789012345678901234567890123456789"); exit(); }
--- stdout
0123456789012345678901234567890123456789012345678901234567890123456789

### escapes_in_string_literals
--- prog
BEGIN { printf("a\tb\\c\"d\x41\101\n"); exit(); }
--- stdout
a	b\c"dAA

### strftime_formats_a_timestamp
--- prog
BEGIN { printf("%s\n", strftime("%Y", nsecs)); exit(); }
--- stdout-re
20\d\d

### join_prints_a_null_terminated_user_array
--- prog
BEGIN { join(curtask->mm->start_stack + 8); join(curtask->mm->start_stack + 8, ","); exit(); }
--- params
alpha beta
--- stdout-re
\S*sonde(-asan)? -q -e BEGIN \{ join\(curtask->mm->start_stack \+ 8\); join\(curtask->mm->s alpha beta
\S*sonde(-asan)?,-q,-e,BEGIN \{ join\(curtask->mm->start_stack \+ 8\); join\(curtask->mm->s,alpha,beta

### join_in_json_has_no_trailing_newline
--- flags
-q -f json
--- prog
BEGIN { join(curtask->mm->start_stack + 8); exit(); }
--- params
x
--- stdout-re
\{"type": "join", "data": "\S*sonde(-asan)? -q -f json -e BEGIN \{ join\(curtask->mm->start_stack \+ 8\); exit\(\); \} x"\}
