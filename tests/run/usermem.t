# Reads of the traced process's memory (tests/targets/coldstr.c): a string
# in a page the process has never touched is read by faulting it in from a
# sleepable program; a read that still fails is counted and reported, never
# printed as if the empty string were data.

### a_string_in_a_page_the_process_never_touched_prints_its_text
--- flags
-q -c 'build/targets/coldstr once'
--- prog
uprobe:build/targets/coldstr:greet { printf("who=%s buf=%r\n", str(arg0), buf(arg0, 5)); }
--- stdout
lengths 5 9 show 1 open -1
who=sonde buf=sonde
who=pages-two buf=pages

### v_says_the_probe_is_sleepable
--- flags
-v -c 'build/targets/coldstr once'
--- prog
uprobe:build/targets/coldstr:greet { printf("who=%s\n", str(arg0)); }
--- check
re.search(r"^\d+ BPF instructions, \d+ bytes of stack, sleepable$", err, re.M) is not None and "who=sonde\n" in out

### a_program_that_reads_no_user_memory_stays_non_sleepable
--- flags
-v -c 'build/targets/coldstr once'
--- prog
uprobe:build/targets/coldstr:greet { @ = count(); }
--- check
re.search(r"^\d+ BPF instructions, \d+ bytes of stack$", err, re.M) is not None and "@: 2" in out

### a_cold_string_of_a_usdt_probe_prints_its_text
--- flags
-q -c 'build/targets/coldstr usdt'
--- prog
usdt:build/targets/coldstr:coldstr:hello { printf("hello=%s\n", str(arg0)); }
--- stdout
fired
hello=sonde

### a_cold_string_as_a_map_key_with_stacks_and_scratch
--- flags
-q -c 'build/targets/coldstr once'
--- env
BPFTRACE_STRLEN=200
--- prog
uprobe:build/targets/coldstr:greet { @[str(arg0), ustack(2)] = count(); printf("%s %s\n", str(arg0), str(arg0)); }
--- check
"sonde sonde\n" in out and "pages-two pages-two\n" in out and re.search(r"@\[sonde, \n\s+(greet\+0|0x[0-9a-f]+)\n", out) is not None

### an_unmapped_address_is_counted_and_reported_at_exit
--- flags
-q -c 'build/targets/coldstr once'
--- prog
uprobe:build/targets/coldstr:show { printf("show=[%s]\n", str(arg0)); }
--- stdout
lengths 5 9 show 1 open -1
show=[]
--- stderr
WARNING: uprobe:build/targets/coldstr:show (line 1): 1 read of the process's memory failed (address not mapped); the strings and values read there are empty or zero

### failed_reads_are_a_json_record
--- flags
-q -f json -c 'build/targets/coldstr once'
--- prog
uprobe:build/targets/coldstr:show { $s = str(arg0); $b = buf(arg0, 4); }
--- check
'{"type": "read_failed", "data": {"probe": "uprobe:build/targets/coldstr:show", "line": 1, "reads": 2}}\n' in out and err == ""

### a_tracepoint_read_that_fails_is_counted_too
--- flags
-q -c 'build/targets/coldstr once'
--- prog
tracepoint:syscalls:sys_enter_openat /pid == cpid && args.filename == 16/ { printf("open=[%s]\n", str(args.filename)); }
--- stdout
lengths 5 9 show 1 open -1
open=[]
--- stderr
WARNING: tracepoint:syscalls:sys_enter_openat (line 1): 1 read of the process's memory failed (address not mapped, or its page not in memory yet); the strings and values read there are empty or zero

### without_sleepable_programs_a_cold_string_is_reported_not_printed_as_data
--- flags
-q -c 'build/targets/coldstr once'
--- env
SONDE_NO_SLEEPABLE=1
--- prog
uprobe:build/targets/coldstr:greet { printf("who=%s\n", str(arg0)); }
--- check
"who=\n" in out and re.search(r"WARNING: uprobe:build/targets/coldstr:greet \(line 1\): [12] reads? of the process's memory failed \(address not mapped, or its page not in memory yet\)", err) is not None

### a_sleepable_program_on_every_string_function_of_libc_leaves_the_process_results_right
--- background
build/targets/harm 12
--- flags
-q -p {BG}
--- prog
uprobe:libc:str* { @s[str(arg0, 8)] = count(); @c = count(); }
--- signal
SIGINT 5000
--- check
re.fullmatch(r"iterations=[1-9][0-9]* bad=0\n", bg_out) is not None and int(re.search(r"@c: (\d+)", out).group(1)) > 1000

### a_user_address_chosen_by_the_conditional_operator_is_read_from_user_memory
--- flags
-q -c 'build/targets/coldstr once'
--- prog
uprobe:build/targets/coldstr:greet { $p = arg0 + 1 > 0 ? arg0 + 1 : 0; printf("%s %s\n", str($p), str(arg0 > 1 ? arg0 : arg0 + 2)); }
--- stdout
lengths 5 9 show 1 open -1
onde sonde
ages-two pages-two
