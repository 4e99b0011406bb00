# syscount, execsnoop and opensnoop on build/targets/sysload, which makes
# exactly the calls counted; each runs it after `--`, so the tool counts it
# only (execsnoop: it and every process it starts).

### syscount_counts_the_commands_own_calls
--- flags
syscount -- build/targets/sysload getppid 7
--- check
re.search(r"^Tracing syscalls, printing top 10\.\.\. Ctrl\+C to quit\.\n\[\d\d:\d\d:\d\d\]\nSYSCALL                   COUNT\n", out) is not None and re.search(r"^getppid +7$", out, re.M) is not None and out.endswith("\n\nDetaching...\n")

### syscount_by_process_with_latency_and_failures_only
open() of a missing path fails twice (open, then openat), and the dynamic
loader's access("/etc/ld.so.preload") once.
--- flags
syscount -P -L -x -- build/targets/sysload open2 /nonexistent-sonde
--- check
re.search(r"^PID    COMM               COUNT        TIME \(us\)\n\d+ +sysload +3 +\d+\.\d{3}\n\nDetaching", out, re.M) is not None

### syscount_counts_an_errno_by_name
--- flags
syscount -e ENOENT --syscall openat -- build/targets/sysload open /nonexistent-sonde
--- check
out.startswith("Tracing syscall 'openat'... Ctrl+C to quit.\n") and re.search(r"^openat +1$", out, re.M) is not None

### syscount_json
--- flags
syscount --json -- build/targets/sysload getppid 3
--- check
(lambda l: any(r == {"key": "getppid", "count": 3} for r in l[-1]["data"]["rows"]))([__import__("json").loads(x) for x in out.splitlines()])

### syscount_lists_the_syscalls
--- flags
syscount -l
--- check
"getppid" in out and "openat" in out

### syscount_refuses_an_unknown_errno_and_syscall
--- flags
syscount -e ENOSUCH
--- stderr
ERROR: syscount: -e: 'ENOSUCH' is neither an errno number nor a name such as ENOENT
--- rc
1

### syscount_refuses_an_unknown_syscall
--- flags
syscount --syscall nosuchcall
--- stderr
ERROR: syscount: --syscall: no system call is called 'nosuchcall' (list them: sonde syscount -l)
--- rc
1

### execsnoop_shows_a_command_and_what_it_execs_with_arguments
--- flags
execsnoop -- build/targets/sysload exec one two
--- check
re.fullmatch(r"COMM +PID +PPID +RET ARGS\nsysload +(\d+) +\d+ +0 build/targets/sysload exec one two\ntrue +\1 +\d+ +0 /bin/true one two\n", out) is not None

### execsnoop_follows_children_and_shows_failures_with_x
--- flags
execsnoop -x -q -- sh -c '/nonexistent-sonde x; /bin/true y'
--- check
re.search(r'^sh +(\d+) +\d+ +-2 "/nonexistent-sonde" "x"$', out, re.M) is not None and re.search(r'^true +\d+ +\d+ +0 "/bin/true" "y"$', out, re.M) is not None

### execsnoop_truncates_at_max_args
--- flags
execsnoop --max-args 2 -- build/targets/sysload exec a b c
--- check
re.search(r"^true +\d+ +\d+ +0 /bin/true a \.\.\.$", out, re.M) is not None

### execsnoop_json
--- flags
execsnoop --json -- build/targets/sysload exec z
--- check
(lambda l: l[-1]["type"] == "exec" and l[-1]["data"]["comm"] == "true" and l[-1]["data"]["args"] == "/bin/true z" and l[-1]["data"]["ret"] == 0)([__import__("json").loads(x) for x in out.splitlines()])

### opensnoop_shows_the_path_the_fd_and_the_flags
--- flags
opensnoop -e -- build/targets/sysload open /etc/hostname
--- check
re.search(r"^PID    COMM               FD ERR FLAGS    MODE PATH\n", out) is not None and re.search(r"^\d+ +sysload +\d+ +0 00000000 n/a  /etc/hostname$", out, re.M) is not None

### opensnoop_failed_only_with_the_errno
--- flags
opensnoop -x -- build/targets/sysload open2 /nonexistent-sonde
--- check
re.fullmatch(r"PID    COMM               FD ERR PATH\n(\d+ +sysload +-1 +2 /nonexistent-sonde\n){2}", out) is not None

### opensnoop_refuses_an_unknown_flag
--- flags
opensnoop -f O_NOSUCH
--- stderr
ERROR: opensnoop: -f: unknown flag 'O_NOSUCH' (O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, …)
--- rc
1
