### profile_samples_a_busy_process_at_its_frequency
--- flags
-q -c 'build/targets/sysload burn 1000'
--- prog
profile:hz:99 /pid == cpid/ { @samples = count(); }
--- check
50 <= int(re.search(r"@samples: (\d+)", out).group(1)) <= 130

### profile_with_a_period_in_milliseconds
--- flags
-q -c 'build/targets/sysload burn 1000'
--- prog
profile:ms:10 /pid == cpid/ { @samples = count(); @p[probe] = count(); }
--- check
50 <= int(re.search(r"@samples: (\d+)", out).group(1)) <= 160 and "@p[profile:ms:10]" in out

### software_cpu_clock_counts_a_busy_millisecond
--- flags
-q -c 'build/targets/sysload burn 500'
--- prog
software:cpu-clock:1000000 /pid == cpid/ { @ms = count(); }
--- check
300 <= int(re.search(r"@ms: (\d+)", out).group(1)) <= 650

### software_page_faults_of_a_new_process
--- flags
-q -c 'build/targets/sysload getppid 1'
--- prog
software:page-faults:1 /pid == cpid && comm == "sysload"/ { @faults = count(); }
--- check
10 <= int(re.search(r"@faults: (\d+)", out).group(1)) <= 5000

### software_events_have_aliases_and_default_periods
--- flags
-q -c 'build/targets/sysload getppid 1'
--- prog
software:faults /pid == cpid/ { @f = count(); } software:cs:1 { @cs = count(); }
--- rc
0

### unknown_software_event_says_how_to_list
--- prog
software:nope { }
--- rc
1
--- stderr-has
ERROR: unknown software event: nope (list them with: sonde -l 'software:*')

### bad_profile_unit
--- prog
profile:xs:9 { }
--- rc
1
--- stderr-has
ERROR: invalid profile probe: profile:xs:9

### hardware_is_refused_without_a_pmu
--- prog
hardware:cpu-cycles:1000 { }
--- rc
1
--- stderr-has
hardware events are not available: this machine has no hardware PMU

### list_tracepoint_fields
--- flags
-lv tracepoint:syscalls:sys_enter_openat
--- stdout
tracepoint:syscalls:sys_enter_openat
    int __syscall_nr
    int dfd
    const char * filename
    int flags
    umode_t mode

### list_char_array_fields_with_their_size
--- flags
-lv tracepoint:sched:sched_process_exec
--- stdout
tracepoint:sched:sched_process_exec
    __data_loc char[] filename
    pid_t pid
    pid_t old_pid

### list_a_pattern_across_providers
--- flags
-l *getppid*
--- stdout
tracepoint:syscalls:sys_enter_getppid
tracepoint:syscalls:sys_exit_getppid

### list_with_a_provider_alias
--- flags
-l t:syscalls:sys_enter_getppid
--- stdout
tracepoint:syscalls:sys_enter_getppid

### list_software_events
--- flags
-l software:*fault*
--- stdout
software:alignment-faults:
software:emulation-faults:
software:major-faults:
software:minor-faults:
software:page-faults:

### a_predicate_may_follow_a_two_part_attach_point_without_a_blank
--- flags
-q -c 'build/targets/sysload burn 100'
--- prog
software:cpu-clock/pid == cpid/{ @ = count(); }
--- check
re.search(r"@: \d+", out) is not None
