### getppid_calls_of_the_child_are_counted_exactly
--- flags
-q -c 'build/targets/sysload getppid 5000'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @c = count(); }
--- stdout


@c: 5000

### wildcards_expand_to_every_matching_tracepoint
--- flags
-q -c 'build/targets/sysload getppid 300'
--- prog
tracepoint:syscalls:sys_e*_getppid /pid == cpid/ { @[probe] = count(); }
--- stdout


@[tracepoint:syscalls:sys_enter_getppid]: 300
@[tracepoint:syscalls:sys_exit_getppid]: 300

### the_attached_line_counts_expanded_probes
--- flags
-c 'build/targets/sysload getppid 1'
--- prog
tracepoint:syscalls:sys_e*_getppid { }
--- stderr-has
Attached 2 probes

### join_prints_the_argv_of_a_known_exec
--- flags
-q -c 'build/targets/sysload exec alpha beta'
--- prog
tracepoint:syscalls:sys_enter_execve /pid == cpid/ { printf("%s: ", comm); join(args->argv); }
--- stdout-re
sonde(-asan)?: build/targets/sysload exec alpha beta
sysload: true alpha beta

### the_command_starts_only_once_the_probes_are_attached
--- flags
-q -c 'build/targets/sysload exec gamma'
--- prog
tracepoint:syscalls:sys_enter_execve /pid == cpid/ { printf("%s\n", str(args.filename)); }
--- stdout
build/targets/sysload
/bin/true

### data_loc_strings_read_through_their_offset
--- flags
-q -c 'build/targets/sysload exec x'
--- prog
tracepoint:sched:sched_process_exec /pid == cpid/ { printf("%s %d\n", str(args.filename), args->pid == cpid); }
--- stdout
build/targets/sysload 1
/bin/true 1

### char_array_fields_are_strings
--- flags
-q -c 'build/targets/sysload spin 1'
--- prog
tracepoint:sched:sched_switch /args->prev_pid == cpid/ { @[args->prev_comm] = count(); }
--- stdout-re
\n\n(@\[sonde(-asan)?\]: \d+\n)?@\[sysload\]: \d+

### syscall_string_arguments_read_user_memory
--- flags
-q -c 'build/targets/sysload open /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_openat /pid == cpid && str(args.filename) == "/etc/hostname"/ { printf("%s dfd=%d\n", str(args->filename), args->dfd); }
--- stdout
/etc/hostname dfd=-100

### loopback_tcp_state_changes_with_ntop
--- flags
-q -c 'build/targets/sysload tcp'
--- prog
tracepoint:sock:inet_sock_set_state /args->newstate == 1 && args->family == 2/ { printf("%s -> %s %d\n", ntop(2, args->saddr), ntop(args->daddr), args->dport > 0); }
--- stdout-re
\d+\n127\.0\.0\.1 -> 127\.0\.0\.1 1(\n127\.0\.0\.1 -> 127\.0\.0\.1 1)*

### pid_filter_counts_only_the_followed_process
--- background
build/targets/sysload spin2 1
--- flags
-q -p {BG}
--- prog
tracepoint:syscalls:sys_enter_getppid { @c = count(); }
--- check
0 < int(re.search(r"@c: (\d+)", out).group(1)) <= 1000

### sonde_exits_when_the_followed_process_exits
--- background
build/targets/sysload spin 1
--- flags
-q -p {BG}
--- prog
tracepoint:syscalls:sys_enter_getppid { @c = count(); } END { printf("end\n"); }
--- stdout-re
end\n\n\n@c: \d+

### every_record_is_printed_or_counted_as_lost
--- env
SONDE_RINGBUF_BYTES=4096
--- flags
-q -c 'build/targets/sysload getppid 20000'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("x\n"); }
--- check
out.count("x\n") + (int(m.group(1)) if (m := re.search(r"Lost (\d+) events", err)) else 0) == 20000

### json_records_from_a_tracepoint
--- flags
-q -f json -c 'build/targets/sysload getppid 2'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("%s\n", probe); }
--- stdout
{"type": "printf", "data": "tracepoint:syscalls:sys_enter_getppid\n"}
{"type": "printf", "data": "tracepoint:syscalls:sys_enter_getppid\n"}

### missing_tracepoint_says_how_to_list
--- prog
tracepoint:nope:nope { }
--- rc
1
--- stderr
stdin:1:1-21: ERROR: tracepoint not found: nope:nope (list them with: sonde -l 'tracepoint:nope:*')
tracepoint:nope:nope { }
~~~~~~~~~~~~~~~~~~~~

### unknown_tracepoint_field_names_the_listing
--- prog
tracepoint:syscalls:sys_enter_getppid { $x = args->nope; }
--- rc
1
--- stderr-has
ERROR: tracepoint tracepoint:syscalls:sys_enter_getppid has no field named 'nope' (list its fields with: sonde -lv tracepoint:syscalls:sys_enter_getppid)

### a_missing_command_is_refused_before_attaching
--- flags
-q -c '/nonexistent/cmd'
--- prog
tracepoint:syscalls:sys_enter_getppid { }
--- rc
1
--- stderr
ERROR: cannot run '/nonexistent/cmd' (-c): no such program

### pid_of_a_missing_process_is_refused
--- flags
-q -p 999999999
--- prog
tracepoint:syscalls:sys_enter_getppid { }
--- rc
1
--- stderr-has
ERROR: no process with pid 999999999 to trace (-p)

### verbose_reports_runs_and_run_time_per_probe
--- flags
-q -v -c 'build/targets/sysload getppid 1000'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @c = count(); }
--- check
re.search(r"probe tracepoint:syscalls:sys_enter_getppid \(line 1\): (\d+) runs, \d+ ns, \d+ ns per run", err) and int(re.search(r"getppid \(line 1\): (\d+) runs", err).group(1)) >= 1000

### many_syscall_tracepoints_go_through_one_raw_syscalls_probe
--- flags
-q -c 'build/targets/sysload open /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_close, tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_write, tracepoint:syscalls:sys_enter_pread64, tracepoint:syscalls:sys_enter_pwrite64, tracepoint:syscalls:sys_enter_readv, tracepoint:syscalls:sys_enter_writev, tracepoint:syscalls:sys_enter_fsync /pid == cpid/ { @[probe, args->fd] = count(); }
--- stdout


@[tracepoint:syscalls:sys_enter_read, 3]: 1
@[tracepoint:syscalls:sys_enter_pread64, 3]: 2
@[tracepoint:syscalls:sys_enter_close, 3]: 3

### raw_syscalls_sys_enter_arguments_are_user_addresses_for_str
--- flags
-q -c 'build/targets/sysload open /etc/hostname'
--- prog
tracepoint:raw_syscalls:sys_enter /pid == cpid && args.id == 257/ { printf("%s\n", str(args.args[1])); }
--- check
out.split() == ["/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6", "/etc/hostname"]

### fewer_syscall_tracepoints_attach_one_by_one_with_the_same_result
--- flags
-q -c 'build/targets/sysload open /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_close, tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_pread64 /pid == cpid/ { @[probe, args->fd] = count(); }
--- stdout


@[tracepoint:syscalls:sys_enter_read, 3]: 1
@[tracepoint:syscalls:sys_enter_pread64, 3]: 2
@[tracepoint:syscalls:sys_enter_close, 3]: 3

### all_syscall_entries_and_exits_count_exactly_and_detach_fast
--- flags
-q -c 'build/targets/sysload getppid 7'
--- prog
tracepoint:syscalls:sys_enter_* /pid == cpid/ { @enter[probe] = count(); } tracepoint:syscalls:sys_exit_* /pid == cpid/ { @exit[probe] = count(); }
--- check
"@enter[tracepoint:syscalls:sys_enter_getppid]: 7" in out and "@exit[tracepoint:syscalls:sys_exit_getppid]: 7" in out and "@enter[tracepoint:syscalls:sys_enter_execve]: 1" in out

### dispatched_syscalls_skip_32bit_calls_as_the_tracepoints_do
--- flags
-q -c 'build/targets/sysload ia32-getppid 50'
--- prog
tracepoint:syscalls:sys_enter_* /pid == cpid/ { @[probe] = count(); }
--- check
"getppid" not in out and "semget" not in out and "sys_enter_execve]: 1" in out

### probes_of_different_types_cannot_share_a_block
--- prog
tracepoint:syscalls:sys_enter_getppid, profile:hz:99 { }
--- rc
1
--- stderr-has
ERROR: profile cannot share a block with tracepoint

### c_and_p_together_are_refused
--- flags
-q -c true -p 1
--- prog
BEGIN { }
--- rc
1
--- stderr
ERROR: -c and -p cannot be used together: -c follows the command it starts

### a_user_pointer_moved_by_an_offset_still_reads_user_memory
--- flags
-q -c 'build/targets/sysload open /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_openat /pid == cpid && str(args.filename) == "/etc/hostname"/ { printf("%s\n", str(args.filename + 5)); }
--- stdout
hostname

### a_constant_index_past_an_array_field_is_refused
--- prog
tracepoint:sock:inet_sock_set_state { $x = args->saddr[4]; }
--- rc
1
--- stderr-has
ERROR: index 4 is out of bounds: the array has 4 elements

### exit_code_from_a_tracepoint
--- flags
-q -c 'build/targets/sysload getppid 10'
--- prog
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n++; if (@n == 3) { exit(5); } }
--- rc
5
--- stdout-re
\n\n@n: ([3-9]|10)

### tracepoints_with_different_layouts_get_a_program_each
--- flags
-q -c 'build/targets/sysload open2 /etc/hostname'
--- prog
tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat /pid == cpid && str(args.filename) == "/etc/hostname"/ { printf("%s %s\n", probe, str(args.filename)); }
--- stdout
tracepoint:syscalls:sys_enter_open /etc/hostname
tracepoint:syscalls:sys_enter_openat /etc/hostname

### a_cast_syscall_pointer_reads_the_struct_from_user_memory
--- flags
-q -c 'build/targets/sysload tcp 2'
--- prog
tracepoint:syscalls:sys_enter_connect /pid == cpid/ { @[((struct sockaddr_in *)args->uservaddr)->sin_family] = count(); }
--- stdout-re
\d+


@\[2\]: 1
### c_resolves_the_program_on_path_first_and_execs_it_once
--- flags
-q -c true
--- env
PATH=/nonexistent/a:/nonexistent/b:/usr/local/bin:/usr/bin:/bin
--- prog
tracepoint:syscalls:sys_enter_execve /pid == cpid/ { @[str(args.filename)] = count(); }
--- stdout


@[/usr/bin/true]: 1

### deref_of_a_syscall_pointer_array_reads_argv_from_user_memory
--- flags
-q -c 'build/targets/sysload exec a b'
--- prog
tracepoint:syscalls:sys_enter_execve /pid == cpid && str(args.filename) == "/bin/true"/ { printf("%s %s %s\n", str(*(uint64 *)(args.argv)), str(*(uint64 *)(args.argv + 8)), str(*(uint64 *)(args.argv + 16))); }
--- stdout
true a b
