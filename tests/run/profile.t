### profile_folded_output_holds_the_hot_path_root_first
stacks burns CPU in main → outer → middle → inner; folded lines are
comm;user frames root first, then the count, sorted by count.
--- background
build/targets/stacks burn 1500
--- flags
profile -F 499 -p {BG} -f 1
--- check
re.search(r"^stacks;(\S+;)*main;outer;middle;inner(;\S+)* \d+$", out, re.M) and all(re.fullmatch(r"\S.* \d+", l) for l in out.splitlines()) and [int(l.rsplit(" ", 1)[1]) for l in out.splitlines()] == sorted(int(l.rsplit(" ", 1)[1]) for l in out.splitlines()) and 200 <= sum(int(l.rsplit(" ", 1)[1]) for l in out.splitlines()) <= 700

### profile_prints_bcc_multiline_stacks_with_offsets_modules_and_the_process
--- background
build/targets/stacks burn 1500
--- flags
profile -F 199 -p {BG} 1
--- check
out.startswith("Sampling at 199 Hertz of PID %s by user + kernel stack for 1 secs.\n" % bg_pid) and re.search(r"^    inner\+0x[0-9a-f]+ \[stacks\]\n    middle\+0x[0-9a-f]+ \[stacks\]\n    outer\+0x[0-9a-f]+ \[stacks\]\n    main\+0x[0-9a-f]+ \[stacks\]\n", out, re.M) and re.search(r"^    -                stacks \(%d\)\n        \d+\n\n" % bg_pid, out, re.M) and "for 1 secs.\n\n    " in out

### profile_user_stacks_only_with_annotations_and_a_cpu_filter_header
Pinned to CPU 0 (taskset), the burner is sampled there; -U leaves the kernel out.
--- background
taskset -c 0 build/targets/stacks burn 1200
--- flags
profile -U -a -F 99 -L {BG} -C 0 1
--- check
out.startswith("Sampling at 99 Hertz of TID %s by user stack on CPU#0 for 1 secs.\n\n" % bg_pid) and "[kernel]" not in out and "_[k]" not in out and re.search(r"^    inner\+0x[0-9a-f]+ \[stacks\]$", out, re.M)

### profile_folded_with_a_delimiter_and_kernel_annotations
sysload spends most of its time in getppid() system calls, so samples have
both halves: -d puts a `-` between the user and the kernel part, -a marks
every kernel frame _[k].
--- background
build/targets/sysload getppid 8000000
--- flags
profile -F 499 -p {BG} -f -d -a 1
--- check
sum(1 for l in out.splitlines() if ";-;" in l) >= 1 and all(re.search(r"^sysload;[^-]*;-;([^;]+_\[k\];)*[^;]+_\[k\] \d+$", l) for l in out.splitlines() if ";-;" in l) and any("do_syscall_64_[k]" in l for l in out.splitlines())

### profile_writes_an_svg_flame_graph
--- background
build/targets/stacks burn 1500
--- flags
profile -F 499 -p {BG} --svg {TMP}/cpu.svg --title 'burn test' 1
--- check
(lambda svg: svg.startswith("<?xml") and "burn test" in svg and ">inner" in svg and "middle" in svg)(open("{TMP}/cpu.svg").read())

### profile_flags_are_checked
--- flags
profile -U -K 1
--- stderr
ERROR: -U and -K exclude each other: leave both out for user and kernel stacks
--- rc
1

### profile_rejects_a_bad_pid_list_and_duration
--- flags
profile -p 12,x 5
--- stderr
ERROR: -p expects process ids separated by commas, got '12,x'
--- rc
1

### profile_duration_must_be_a_number
--- flags
profile -F 99 soon
--- stderr
ERROR: the duration is a number of seconds, 1 to 31536000 (a year), got 'soon'
--- rc
1

### profile_writes_a_pprof_profile_that_go_tool_pprof_reads
`go tool pprof -top` (Debian's golang-go) names inner() as the hottest function.
--- background
build/targets/stacks burn 1500
--- flags
profile -F 499 -p {BG} --pprof {TMP}/cpu.pb.gz 1
--- check
(lambda top: re.search(r"^\s+flat\s+flat%.*\n\s*[\d.]+m?s\s+[\d.]+%.*\binner$", top, re.M) and "Type: cpu" in top and "File: stacks" in top)(__import__("subprocess").run(["go", "tool", "pprof", "-top", "{TMP}/cpu.pb.gz"], capture_output=True, text=True, timeout=120, cwd="{TMP}", env={"HOME": "{TMP}", "GOCACHE": "{TMP}/gocache", "PATH": "/usr/bin:/bin"}).stdout)

### profile_lost_stacks_are_reported_when_the_stack_table_is_too_small
--- background
build/targets/stacks burn 1500
--- flags
profile -F 999 -I --stack-storage-size 2 -f 1
--- check
"[Missed " in out and "Consider increasing --stack-storage-size." in err

### profile_names_jit_frames_of_a_real_node_process_from_its_perf_map
Node.js writes /tmp/perf-PID.map with --perf-basic-prof; the hot JS function
is named from it, annotated _[j] with -a, under V8's C++ frames (demangled).
The check deletes the map node leaves behind.
--- background
sh -c 'cd {TMP} && exec node --perf-basic-prof -e "function sondeHotLoop(n){let x=0;for(let i=0;i<n;i++){x=(x*31+i)%1000003;}return x;} const end=Date.now()+2500; let s=0; while(Date.now()<end){s+=sondeHotLoop(100000);} console.log(s>0)"'
--- flags
profile -F 499 -p {BG} -f -a 1
--- check
(lambda f, ok: (__import__("os").path.exists(f) and __import__("os").remove(f)) or ok)("/tmp/perf-%d.map" % bg_pid, bool(re.search(r"^node;.*;v8::Script::Run\(.*;(JS|LazyCompile):\*sondeHotLoop [^;]*_\[j\] \d+$", out, re.M)))

### profile_names_code_from_a_java_style_perf_map
`stacks jit` runs code it wrote to an anonymous page and names it in
/tmp/perf-PID.map as `jcmd PID Compiler.perfmap` does (0x addresses);
the `;` of a Java name becomes `:` in folded output, as stackcollapse does.
Four samples in five or more are in it (the rest: its clock_gettime calls),
whatever the machine's load leaves of the 499 a second.
--- background
build/targets/stacks jit 1500
--- flags
profile -F 499 -p {BG} -f -a 1
--- check
re.search(r"^stacks;(\S+;)*LFixture:::spin \(I\)V_\[j\] \d+$", out, re.M) and (lambda rows: sum(rows.values()) >= 50 and sum(n for k, n in rows.items() if "LFixture:::spin (I)V_[j]" in k) >= 0.8 * sum(rows.values()))({l.rsplit(" ", 1)[0]: int(l.rsplit(" ", 1)[1]) for l in out.splitlines() if l.strip()})

### profile_refuses_a_process_that_does_not_exist
--- flags
profile -p 4194304 1
--- stderr
ERROR: -p: there is no process 4194304
--- rc
1

### profile_flags_that_cannot_work_are_refused_before_sampling
--- flags
profile -F 99 -c 100000 1
--- stderr
ERROR: -F and -c exclude each other: a frequency, or a period
--- rc
1

### profile_refuses_a_cpu_the_machine_lacks_and_an_extra_argument
--- flags
profile -C 4096 1
--- stderr-has
ERROR: -C: there is no CPU 4096 (CPUs 0 to
--- rc
1

### profile_refuses_an_output_file_it_cannot_write_before_sampling
--- flags
profile --svg /nonexistent/dir/cpu.svg 1
--- stderr
ERROR: cannot write /nonexistent/dir/cpu.svg: No such file or directory
--- rc
1

