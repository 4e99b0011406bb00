# Probe types of bpftrace 0.2x: rawtracepoint, iter, self:signal, source-line uprobes.

### rawtracepoint_reads_args_by_name_and_argN
A raw_tp program on sched_process_exec: args are the tracepoint's C
arguments (BTF), argN the same u64s; the -c child's exec only.
--- flags
-q -c /bin/true
--- prog
rawtracepoint:sched_process_exec /pid == cpid/ { printf("%s %d %d %s %s\n", probe, args.old_pid == pid, arg1 == pid, str(args.bprm.filename), args.p.comm); exit(); }
--- stdout
rawtracepoint:vmlinux:sched_process_exec 1 1 /bin/true true

### rawtracepoint_short_name_and_module_form
--- flags
-q -c /bin/true
--- prog
rt:vmlinux:sched_process_exec /pid == cpid/ { printf("%s\n", probe); exit(); }
--- stdout
rawtracepoint:vmlinux:sched_process_exec

### rawtracepoint_globs_give_one_point_per_event
The run ends when the -c child is reaped, after its exit event.
--- flags
-q -c /bin/true
--- prog
rawtracepoint:sched_process_ex* /pid == cpid/ { printf("%s\n", probe); }
--- stdout
rawtracepoint:vmlinux:sched_process_exec
rawtracepoint:vmlinux:sched_process_exit

### rawtracepoint_unknown_event_is_an_error
--- prog
rawtracepoint:no_such_event { }
--- stderr
stdin:1:1-28: ERROR: rawtracepoint not found: no_such_event (list them with: sonde -l 'rawtracepoint:*')
rawtracepoint:no_such_event { }
~~~~~~~~~~~~~~~~~~~~~~~~~~~
--- rc
1

### rawtracepoint_other_module_is_an_error
--- prog
rawtracepoint:kvm:kvm_exit { }
--- stderr-has
stdin:1:1-27: ERROR: rawtracepoint module 'kvm': sonde reads only vmlinux's BTF (write rawtracepoint:vmlinux:kvm_exit or rawtracepoint:kvm_exit)
--- rc
1

### rawtracepoint_argN_past_the_arguments_is_an_error
--- prog
rawtracepoint:sched_process_exec { print(arg3); }
--- stderr
stdin:1:42-46: ERROR: rawtracepoint:vmlinux:sched_process_exec has 3 arguments: arg3 is past them
rawtracepoint:sched_process_exec { print(arg3); }
                                         ~~~~
--- rc
1

### rawtracepoint_unknown_argument_name_is_an_error
--- prog
rawtracepoint:sched_process_exec { print(args.nope); }
--- stderr
stdin:1:42-51: ERROR: rawtracepoint:vmlinux:sched_process_exec has no argument named 'nope' (list them with: sonde -lv rawtracepoint:vmlinux:sched_process_exec)
rawtracepoint:sched_process_exec { print(args.nope); }
                                         ~~~~~~~~~
--- rc
1

### rawtracepoint_listing_with_arguments
--- flags
-lv rawtracepoint:sched_process_exec
--- stdout
rawtracepoint:vmlinux:sched_process_exec
    struct task_struct * p
    pid_t old_pid
    struct linux_binprm * bprm

### rawtracepoint_listing_globs
--- flags
-l rt:sched_process_ex*
--- stdout
rawtracepoint:vmlinux:sched_process_exec
rawtracepoint:vmlinux:sched_process_exit
