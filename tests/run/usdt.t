### list_the_usdt_probes_of_python
--- flags
-l usdt:/usr/bin/python3.11:*
--- stdout
usdt:/usr/bin/python3.11:python:audit
usdt:/usr/bin/python3.11:python:function__entry
usdt:/usr/bin/python3.11:python:function__return
usdt:/usr/bin/python3.11:python:gc__done
usdt:/usr/bin/python3.11:python:gc__start
usdt:/usr/bin/python3.11:python:import__find__load__done
usdt:/usr/bin/python3.11:python:import__find__load__start
usdt:/usr/bin/python3.11:python:line

### python_function_returns_with_their_names
--- flags
-q -c '/usr/bin/python3.11 tests/targets/python/calls.py'
--- prog
usdt:/usr/bin/python3.11:python:function__return /pid == cpid/ { @[str(arg1)] = count(); }
--- check
"@[f]: 1000\n" in out

### python_gc_start_reads_a_stack_operand
--- flags
-q -c '/usr/bin/python3.11 tests/targets/python/calls.py'
--- prog
usdt:/usr/bin/python3.11:python:gc__start /pid == cpid/ { @gen[arg0] = count(); }
--- check
int(re.search(r"@gen\[2\]: (\d+)", out).group(1)) >= 2

### the_provider_may_be_left_out_when_the_name_is_unique
--- flags
-q -c '/usr/bin/python3.11 tests/targets/python/calls.py'
--- prog
usdt:/usr/bin/python3.11:function__return /pid == cpid && str(arg1) == "f"/ { @ = count(); }
--- stdout


@: 1000

### an_argument_past_the_spec_is_refused
--- prog
usdt:/usr/bin/python3.11:python:gc__start { $x = arg3; }
--- rc
1
--- stderr-has
ERROR: usdt:/usr/bin/python3.11:python:gc__start has 1 argument: arg3 does not exist

### a_missing_usdt_probe_says_how_to_list
--- prog
usdt:/usr/bin/python3.11:python:nope { }
--- rc
1
--- stderr-has
ERROR: no USDT probe matches usdt:/usr/bin/python3.11:python:nope in /usr/bin/python3.11 (list them with: sonde -l 'usdt:/usr/bin/python3.11:*')

### operands_registers_memory_and_constants
--- flags
-q -c 'build/targets/usdt calls 10'
--- prog
usdt:build/targets/usdt:sonde:tick /pid == cpid/ { @t = sum(arg0 + arg1 + arg2); }
usdt:build/targets/usdt:sonde:mem /pid == cpid/ { @m = sum(arg0 + arg1); }
--- stdout


@m: 505
@t: 110

### a_probe_behind_a_semaphore_fires_once_sonde_attaches
--- flags
-q -c 'build/targets/usdt calls 10'
--- prog
usdt:build/targets/usdt:guarded /pid == cpid/ { @g = count(); }
--- stdout


@g: 10

### the_semaphore_drops_back_when_sonde_is_killed
--- background
build/targets/usdt peek 600 1400
--- flags
-q -p {BG}
--- prog
usdt:build/targets/usdt:sonde:guarded { @g = count(); }
--- signal
SIGKILL 1000
--- rc
-9
--- check
bg_out.split() == ["1", "0"]

### python311_function_entry_is_flagged
--- flags
-q -c '/usr/bin/python3.11 tests/targets/python/calls.py'
--- prog
usdt:/usr/bin/python3.11:python:function__entry /pid == cpid/ { @entries = count(); }
--- stderr-has
WARNING: CPython 3.11 fires function__entry only while a trace or profile hook is set (CPython issue 98894)

### a_wildcard_binary_searches_the_program_run_by_c
--- flags
-q -c '/usr/bin/python3.11 tests/targets/python/calls.py'
--- prog
usdt:*:python:gc__start /pid == cpid && arg0 == 2/ { @[probe] = count(); }
--- check
re.search(r"^@\[usdt:/usr/bin/python3\.11:python:gc__start\]: ([2-9]|\d\d+)$", out, re.M)

### an_empty_binary_searches_every_object_mapped_by_p
--- background
/usr/bin/python3.11 -c "import gc, time; [(gc.collect(), time.sleep(0.005)) for i in range(2000)]"
--- flags
-q -p {BG}
--- prog
usdt::gc__start { @[probe] = count(); } interval:ms:400 { exit(); }
--- check
re.search(r"^@\[usdt:/usr/bin/python3\.11:python:gc__start\]: \d+$", out, re.M)

### a_wildcard_binary_needs_a_process
--- prog
usdt:*:python:gc__start { @ = count(); }
--- rc
1
--- stderr-has
ERROR: usdt:*:python:gc__start: a usdt probe without a binary needs a process (-p PID or -c CMD) to search

### operands_naming_globals_are_read_relative_to_the_probe_site
--- flags
-q -c 'build/targets/usdt calls 4'
--- prog
usdt:build/targets/usdt:sonde:global { @[arg0, arg1] = count(); }
--- stdout


@[0, -3]: 1
@[5, -3]: 1
@[10, -3]: 1
@[15, -3]: 1

### list_usdt_arguments_with_lv
--- flags
-lv usdt:/usr/bin/python3.11:python:gc__*
--- stdout
usdt:/usr/bin/python3.11:python:gc__done
    arg0: int64 %r12
usdt:/usr/bin/python3.11:python:gc__start
    arg0: int32 112(%rsp)

### a_wildcard_binary_follows_the_programs_runpath_to_its_libraries
--- flags
-q -c 'build/targets/uselib calls 3'
--- prog
usdt:*:libprobes:* { @[probe] = count(); }
--- stdout
3 calls: sum 3015, gated 3


@[usdt:build/targets/libprobes.so:libprobes:hit]: 3
@[usdt:build/targets/libprobes.so:libprobes:gated]: 3

### constant_operands_keep_their_size_and_sign
--- flags
-q -c 'build/targets/usdt calls 1'
--- prog
usdt:build/targets/usdt:sonde:consts { @a = arg0; @b = arg1; @c = arg2; @d = arg3; @e = arg4; @f = arg5; exit(); }
--- stdout


@a: 4092785136
@b: 61936
@c: 240
@d: -16
@e: -3
@f: 17361641481138401520

### l_with_a_binary_and_no_probe_part_lists_every_probe_in_it
--- flags
-l usdt:build/targets/usdt
--- stdout
usdt:build/targets/usdt:sonde:consts
usdt:build/targets/usdt:sonde:global
usdt:build/targets/usdt:sonde:guarded
usdt:build/targets/usdt:sonde:mem
usdt:build/targets/usdt:sonde:tick
