# offcputime, gethostlatency and bashreadline (issue 13), end to end on
# real targets with known answers, then their refusals. build/targets/slow
# `work N` naps 5 ms in nap() on every 4th call (clock_nanosleep), then
# lives 300 ms; libc has no frame pointers, so nap() itself is skipped and
# the nap's caller work() follows libc's clock_nanosleep.

### offcputime_sums_the_naps_under_the_stack_they_blocked_in
Ten naps of 5 ms: one folded line, root first, user frames then kernel
frames, whose value is about 50000 us.
--- flags
offcputime -f -- build/targets/slow wait 300 work 40
--- check
out.startswith("done\n") and (lambda m: len(m) >= 1 and 50000 <= sum(int(x) for x in m) < 150000)(re.findall(r"^slow;(?:\S+;)*main;work;(?:\S+;)*do_nanosleep;(?:\S+;)*__schedule (\d+)$", out, re.M))

### offcputime_multi_line_names_the_thread_and_the_total_in_us
With -K, the naps and the 300 ms the target lives afterwards share one
kernel stack; the wait it slept before the probe was attached is not
counted (its switch-out came first).
--- background
build/targets/slow wait 500 work 40
--- flags
offcputime -K -p {BG} 2
--- check
out.startswith("Tracing off-CPU time (us) of PID %d by kernel stack for 2 secs.\n\n" % bg_pid) and (lambda m, pid: m is not None and m.group(1) == str(pid) and 340000 <= int(m.group(2)) < 600000)(re.search(r"^    __schedule\n    schedule\n    do_nanosleep\n(?:    \S+\n)*    -                slow \((\d+)\)\n        (\d+)\n", out, re.M), bg_pid)

### offcputime_user_stacks_with_a_delimiter_and_offsets
The user stack below the delimiter reaches work() and main(). (With CFI,
nap() and libc's frames are there too; a command's first stacks can still
be the rbp walk when its tables come late, as on a cold first run.)
--- flags
offcputime -d -s -- build/targets/slow wait 300 work 40
--- check
re.search(r"^    do_nanosleep\+0x[0-9a-f]+\n(?:    \S+\n)*    --\n    (?:\S+\n    )*work\+0x[0-9a-f]+\n    main\+0x[0-9a-f]+\n", out, re.M) is not None

### offcputime_min_block_time_leaves_the_short_naps_out
--- flags
offcputime -f -U -m 100000 -- build/targets/slow wait 300 work 40
--- check
";work;" not in out and all(int(l.rsplit(" ", 1)[1]) >= 100000 for l in out.splitlines()[1:]) and len(out.splitlines()) >= 2

### offcputime_max_block_time_keeps_only_the_short_naps
--- flags
offcputime -f -U -M 100000 -- build/targets/slow wait 300 work 40
--- check
(lambda m: len(m) >= 1 and 50000 <= sum(int(x) for x in m) < 100000)(re.findall(r"^slow;(?:\S+;)*main;work;\S+ (\d+)$", out, re.M)) and all(int(l.rsplit(" ", 1)[1]) <= 100000 for l in out.splitlines()[1:])

### offcputime_svg_is_an_off_cpu_flame_graph
--- flags
offcputime --svg {TMP}/off.svg -- build/targets/slow wait 300 work 8
--- check
out == "done\n" and (lambda s: s.startswith("<?xml") and "Off-CPU Time Flame Graph" in s and "work" in s and "do_nanosleep" in s)(open("{TMP}/off.svg").read())

### offcputime_json_lists_stacks_with_their_totals
--- flags
offcputime --json -U -- build/targets/slow wait 300 work 40
--- check
(lambda l: l[0]["type"] == "attached" and 50000 <= sum(x["total_us"] for x in l[-1]["data"]["stacks"] if "work" in x["ustack"] and x["comm"] == "slow") < 150000)([__import__("json").loads(x) for x in out.splitlines() if x.startswith("{")])

### gethostlatency_times_a_lookup_of_localhost
Debian's getent resolves `ahosts` through getaddrinfo().
--- flags
gethostlatency -- getent ahosts localhost
--- check
out.startswith("TIME      PID     COMM                  LATms HOST\n") and len(re.findall(r"^\d\d:\d\d:\d\d  \d+ +getent +\d+\.\d\d localhost$", out, re.M)) == 1 and "STREAM localhost" in out

### gethostlatency_follows_a_pid_and_ends_with_it
`getent hosts` asks gethostbyname2() (IPv6, then IPv4).
--- background
sh -c 'sleep 1; exec getent hosts localhost'
--- flags
gethostlatency -p {BG}
--- check
len(re.findall(r"^\d\d:\d\d:\d\d  %d +getent +\d+\.\d\d localhost$" % bg_pid, out, re.M)) >= 1

### gethostlatency_json_lines
--- flags
gethostlatency --json -- getent ahosts localhost
--- check
(lambda l: l[0]["type"] == "attached" and len(l) == 2 and l[1]["data"]["host"] == "localhost" and l[1]["data"]["comm"] == "getent" and l[1]["data"]["lat_ns"] > 0)([__import__("json").loads(x) for x in out.splitlines() if x.startswith("{")])

### bashreadline_prints_a_line_typed_into_bash_under_a_pty
The shell starts after the probe is in place: a readline() call already
waiting when it is attached has no return probe (uretprobes hook calls at
their entry). Other shells on the box may add lines; this one's are there.
--- background
sh -c 'sleep 1.5; printf "echo typed-under-a-pty\nexit\n" | script -qc "bash --norc -i" /dev/null'
--- flags
bashreadline
--- signal
SIGINT 3500
--- check
out.startswith("TIME      PID     COMMAND\n") and re.search(r"^\d\d:\d\d:\d\d  (\d+) +echo typed-under-a-pty\n(?:.*\n)*\d\d:\d\d:\d\d  \1 +exit$", out, re.M) is not None

### bashreadline_traces_a_shell_it_runs
--- flags
bashreadline -- bash --norc -i
--- stdin
echo from-stdin
exit
--- check
re.fullmatch(r"TIME      PID     COMMAND\n(?:from-stdin\n)?\d\d:\d\d:\d\d  (\d+) +echo from-stdin\n(?:from-stdin\n)?\d\d:\d\d:\d\d  \1 +exit\n", out) is not None

### offcputime_a_pid_that_does_not_exist_is_named
--- flags
offcputime -p 1,999999999
--- stderr
ERROR: offcputime: -p: there is no process 999999999
--- rc
1

### offcputime_a_bad_pid_list_is_explained
--- flags
offcputime -p 1,x
--- stderr
ERROR: offcputime: -p expects process ids separated by commas, got '1,x'
--- rc
2

### offcputime_flag_clashes_are_explained
--- flags
offcputime -U -K
--- stderr
ERROR: offcputime: -U and -K exclude each other: leave both out for both stacks
--- rc
2

### offcputime_max_below_min_is_refused
--- flags
offcputime -m 10 -M 5
--- stderr
ERROR: offcputime: -M is below -m: no block time is in between
--- rc
2

### offcputime_a_bad_duration_is_explained
--- flags
offcputime 0
--- stderr
ERROR: offcputime: the duration is a number of seconds, 1 to 31536000, got '0'
--- rc
2

### offcputime_an_svg_that_cannot_be_written_is_named_first
--- flags
offcputime --svg /nonexistent/dir/off.svg
--- stderr
ERROR: offcputime: cannot write /nonexistent/dir/off.svg: No such file or directory
--- rc
1

### gethostlatency_a_bad_pid_is_explained
--- flags
gethostlatency -p abc
--- stderr
ERROR: gethostlatency: -p needs a process id, got 'abc'
--- rc
1

### gethostlatency_a_missing_libc_is_named
--- flags
gethostlatency -L /nonexistent/libc.so.6
--- stderr
ERROR: gethostlatency: cannot find the C library '/nonexistent/libc.so.6' (give a path or a library name such as libc)
--- rc
1

### gethostlatency_a_missing_command_is_named
--- flags
gethostlatency -- build/targets/nosuchprog
--- stderr
ERROR: cannot run 'build/targets/nosuchprog': no such program
--- rc
1

### bashreadline_a_missing_library_is_named
--- flags
bashreadline -s /nonexistent/libreadline.so.8
--- stderr
ERROR: bashreadline: cannot find '/nonexistent/libreadline.so.8' (-s takes a path, a program on $PATH or a library name such as libreadline)
--- rc
1

### bashreadline_a_stray_argument_is_refused
--- flags
bashreadline bash
--- stderr
ERROR: bashreadline: unexpected argument 'bash' (a command goes after --)
--- rc
2
