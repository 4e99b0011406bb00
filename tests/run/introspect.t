# bpftrace 0.2x's compile-time helpers (issue 18): questions about types and
# the build answered when compiling, static_assert and fail; strstr; `_ = e`.

### type_questions_are_answered_when_compiling
--- prog
BEGIN { $s = "ab"; $t = (struct task_struct *)curtask;
  printf("%d %d %d %d %d %d %d %d\n", is_str($s), is_integer(1), is_unsigned_integer(-1), is_unsigned_integer(pid), is_ptr($t), is_array($t->comm), is_literal(1), is_literal($s));
  printf("%d %d %d\n", is_str(1), is_ptr(1), is_integer($s)); exit(); }
--- stdout
1 1 0 1 1 1 1 0
0 0 0

### strcap_and_default_str_length_are_capacities
strcap of comm (char[16]) is 16; a string value holds default_str_length bytes.
--- prog
BEGIN { $t = (struct task_struct *)curtask; printf("%d %d %d\n", strcap($t->comm), strcap("ab") == default_str_length, default_str_length()); exit(); }
--- stdout
16 1 64

### has_cpid_says_whether_a_command_runs
--- flags
-q -c 'build/targets/sysload getppid 1'
--- prog
BEGIN { printf("%d %d\n", has_cpid, has_cpid()); exit(); }
--- stdout
1 1

### has_cpid_is_false_without_a_command
--- prog
BEGIN { printf("%d\n", has_cpid); exit(); }
--- stdout
0

### kfunc_exist_asks_the_kernel_btf
--- prog
BEGIN { printf("%d %d\n", kfunc_exist("bpf_strstr"), kfunc_exist("no_such_kfunc")); exit(); }
--- stdout
1 0

### static_assert_passes_silently
--- prog
BEGIN { static_assert(sizeof(int32) == 4 && 1 < 2, "int32 is four bytes"); printf("ok\n"); exit(); }
--- stdout
ok

### static_assert_fails_with_its_message
--- prog
BEGIN { static_assert(sizeof(struct upid) == 8, "upid changed"); }
--- stderr
stdin:1:9-64: ERROR: static_assert failed: upid changed
BEGIN { static_assert(sizeof(struct upid) == 8, "upid changed"); }
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### static_assert_needs_a_constant
--- prog
BEGIN { $x = 1; static_assert($x, "m"); }
--- stderr
stdin:1:31-33: ERROR: static_assert() needs a condition known when compiling (literals, $1…, sizeof)
BEGIN { $x = 1; static_assert($x, "m"); }
                              ~~
--- rc
1

### fail_stops_the_compilation_where_it_is_reached
bpftrace's example: a positional parameter checked when compiling.
--- params
1
--- prog
BEGIN { if ($1 < 2) { fail("Expected the first parameter to be above 1, got %d", $1); } exit(); }
--- stderr
stdin:1:23-85: ERROR: Expected the first parameter to be above 1, got 1
BEGIN { if ($1 < 2) { fail("Expected the first parameter to be above 1, got %d", $1); } exit(); }
                      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### fail_in_a_branch_a_constant_skips_is_quiet
--- params
5
--- prog
BEGIN { if ($1 < 2) { fail("too small: %d", $1); } else { printf("ok %d\n", $1); } exit(); }
--- stdout
ok 5

### strstr_gives_the_index_or_minus_one
--- prog
BEGIN { printf("%d %d %d\n", strstr("hello", "ll"), strstr("hello", "z"), strstr("abc", "")); exit(); }
--- stdout
2 -1 0

### strstr_takes_strings
--- prog
BEGIN { printf("%d\n", strstr("hello", 1)); }
--- stderr
stdin:1:40-41: ERROR: strstr() takes strings (int64 supplied)
BEGIN { printf("%d\n", strstr("hello", 1)); }
                                       ~
--- rc
1

### a_discarded_value_is_computed_without_a_warning
`_ = e` (bpftrace 0.24) runs e and drops its value on purpose.
--- prog
BEGIN { @a[1] = 1; _ = has_key(@a, 1); $x = 2; _ = $x + 1; _ = @a[1]++; printf("%d\n", @a[1]); clear(@a); exit(); }
--- stdout
2
--- stderr

### memcmp_gives_the_sign_of_the_first_difference
Strings and arrays (a task's comm, read from the kernel), counts that end
inside a word.
--- prog
BEGIN { $t = (struct task_struct *)curtask; printf("%d %d %d %d %d %d\n", memcmp("abc", "abd", 3), memcmp("abd", "abc", 3), memcmp("abc", "abd", 2), memcmp("hello world!", "hello world?", 12), memcmp($t->comm, $t->comm, 16), memcmp("xyzzy1", "xyzzy2", 5)); exit(); }
--- stdout
-1 1 0 -1 0 0

### memcmp_count_is_a_constant_within_both_operands
--- prog
BEGIN { printf("%d\n", memcmp("a", "b", 300)); }
--- stderr
stdin:1:41-44: ERROR: memcmp()'s count is 0 to 64 (the smaller operand's size)
BEGIN { printf("%d\n", memcmp("a", "b", 300)); }
                                        ~~~
--- rc
1

### cgroupid_is_the_cgroup_directorys_id_known_when_compiling
The id is the cgroup v2 directory's inode number, and sonde's own cgroup
builtin gives the same for a process in it; the test mounts cgroup2 where
none is mounted and leaves nothing behind.
--- setup
root=$(awk '/ - cgroup2 / { print $5; exit }' /proc/self/mountinfo); m=""; if [ -z "$root" ]; then mkdir -p {TMP}/cg2; mount -t cgroup2 none {TMP}/cg2; root={TMP}/cg2; m=1; fi; mkdir -p $root/sonde-cgid-$$; stat -c %i $root/sonde-cgid-$$ > {TMP}/want; sh -c "echo \$\$ > $root/sonde-cgid-$$/cgroup.procs; exec {SONDE} -q -e 'BEGIN { printf(\"%d %d\\n\", cgroupid(\"$root/sonde-cgid-$$\"), cgroup == cgroupid(\"$root/sonde-cgid-$$\")); exit(); }'" > {TMP}/got; rmdir $root/sonde-cgid-$$; [ -z "$m" ] || umount {TMP}/cg2
--- prog
BEGIN { exit(); }
--- check
open("{TMP}/got").read().strip() == open("{TMP}/want").read().strip() + " 1"

### cgroupid_of_a_directory_that_is_no_cgroup_is_an_error
--- prog
BEGIN { $c = cgroupid("/tmp"); }
--- stderr
stdin:1:23-29: ERROR: cgroupid(): /tmp is not a cgroup v2 directory (they are under /sys/fs/cgroup)
BEGIN { $c = cgroupid("/tmp"); }
                      ~~~~~~
--- rc
1

### kptr_and_uptr_say_where_a_pointer_points
uptr(arg0) reads the traced program's string from user memory; kptr keeps
a task pointer in the kernel's.
--- flags
-q -c 'build/targets/funcs calls 1'
--- prog
uprobe:build/targets/funcs:greet { printf("%s\n", str(uptr(arg0))); exit(); }
END { $t = kptr((struct task_struct *)curtask); printf("%d\n", $t->pid == pid); }
--- check
re.search(r"^sonde$", out, re.M) is not None and out.rstrip().endswith("1")
