# Processes in their own PID namespace (unshare --fork --pid, as a
# container runs them): nspid and nstid are the ids `ps` inside shows.

### nspid_is_the_pid_inside_the_namespace
build/targets/slow runs as pid 1 of a new PID namespace (unshare's child):
nspid and nstid are what /proc/PID/status says in NSpid's last column,
pid the host's.
--- setup
unshare --fork --pid --mount-proc build/targets/slow wait 600 work 5 > /dev/null & u=$!; for i in $(seq 50); do read t rest < /proc/$u/task/$u/children 2>/dev/null || true; [ -n "$t" ] && break; sleep 0.02; done; grep NSpid /proc/$t/status > {TMP}/status; echo $t > {TMP}/pid; {SONDE} -q -p $t -e 'uprobe:build/targets/slow:work { printf("%d %d %d\n", pid, nspid, nstid); exit(); }' > {TMP}/out; wait $u
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda host, ns, got: got == [host, ns, ns] and ns != host)(int(open("{TMP}/pid").read()), int(open("{TMP}/status").read().split()[-1]), [int(x) for x in open("{TMP}/out").read().split()])

### pid_curr_ns_is_the_pid_as_sondes_own_namespace_sees_it
bpftrace's pid(curr_ns) is the id in the tracer's PID namespace (the
host's, here), not the process's own: pid(curr_ns) is the host pid while
nspid is 1's namespace view.
--- setup
unshare --fork --pid --mount-proc build/targets/slow wait 600 work 5 > /dev/null & u=$!; for i in $(seq 50); do read t rest < /proc/$u/task/$u/children 2>/dev/null || true; [ -n "$t" ] && break; sleep 0.02; done; grep NSpid /proc/$t/status > {TMP}/status; echo $t > {TMP}/pid; {SONDE} -q -p $t -e 'uprobe:build/targets/slow:work { printf("%d %d %d %d\n", pid(curr_ns), tid(curr_ns), pid(init), nspid); exit(); }' > {TMP}/out; wait $u
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda host, ns, got: got == [host, host, host, ns] and ns != host)(int(open("{TMP}/pid").read()), int(open("{TMP}/status").read().split()[-1]), [int(x) for x in open("{TMP}/out").read().split()])

### nspid_outside_any_namespace_is_pid
--- prog
BEGIN { printf("%d %d\n", nspid == pid, nstid == tid); exit(); }
--- stdout
1 1

### the_bpftrace_way_to_the_namespace_pid_works_too
What bpftrace users write: numbers[] cast to a struct upid pointer, indexed
by the level.
--- prog
BEGIN { $p = ((struct task_struct *)curtask)->thread_pid; $u = (struct upid *)$p->numbers; printf("%d\n", $u[$p->level].nr == pid); exit(); }
--- stdout
1

### l_with_p_lists_the_functions_of_every_file_the_process_maps
-l with -p and a glob for the file: the process's own files, under the
names it maps them by, sorted as bpftrace sorts -l.
--- setup
build/targets/slow wait 800 work 5 > /dev/null & t=$!; sleep 0.2; {SONDE} -p $t -l 'uprobe:*:work' > {TMP}/out; {SONDE} -p $t -l 'uprobe:*libc.so*:getpid' >> {TMP}/out; wait $t
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda l: len(l) == 2 and l[0].endswith("/build/targets/slow:work") and l[0].startswith("uprobe:/") and re.fullmatch(r"uprobe:/\S*libc\.so\.6:getpid", l[1]) is not None)(open("{TMP}/out").read().splitlines())

### l_with_p_lists_the_usdt_probes_of_a_python_process
--- setup
/usr/bin/python3.11 -c 'import time; time.sleep(0.8)' & t=$!; sleep 0.3; {SONDE} -p $t -l 'usdt:*' > {TMP}/out; wait $t
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda l: len(l) == 8 and l == sorted(l) and "usdt:/usr/bin/python3.11:python:function__entry" in l)(open("{TMP}/out").read().splitlines())

### l_with_p_in_a_mount_namespace_lists_the_processes_own_file
A process whose /usr/local/bin is a tmpfs of its own (the host cannot see
its program there): -p PID -l names the file as the process does, read
through /proc/PID/root.
--- setup
unshare --mount --propagation private sh -c 'mount -t tmpfs none /usr/local/bin && cp build/targets/slow /usr/local/bin/hidden-svc && exec /usr/local/bin/hidden-svc wait 800 work 5' > /dev/null & t=$!; sleep 0.3; {SONDE} -p $t -l 'uprobe:/usr/local/bin/hidden-svc:work' > {TMP}/out; {SONDE} -q -p $t -e 'uprobe:/usr/local/bin/hidden-svc:work { @ = count(); }' > {TMP}/count; wait $t; test ! -e /usr/local/bin/hidden-svc
--- flags
-q -e 'BEGIN { exit(); }'
--- check
open("{TMP}/out").read() == "uprobe:/usr/local/bin/hidden-svc:work\n" and open("{TMP}/count").read().strip() == "@: 5"

### a_container_path_without_p_says_how_to_reach_it
--- prog
uprobe:/app/svc:work { }
--- rc
1
--- stderr-has
ERROR: cannot find binary or library '/app/svc' for uprobe:/app/svc:work (a path inside a container exists only there: add -p PID of a process in it, or write /proc/PID/root/app/svc)

### cgroup_counts_only_the_processes_of_one_cgroup
tests/run/scripts/cgroup_pair.sh runs the same program twice, once in a
cgroup v2 of its own (100 calls of work) and once outside (77): --cgroup
counts the first only, in BPF.
--- setup
tests/run/scripts/cgroup_pair.sh {TMP} {SONDE} -q --cgroup CGROUP -e 'uprobe:build/targets/slow:work { @ = count(); } interval:ms:1500 { exit(); }' > {TMP}/out
--- flags
-q -e 'BEGIN { exit(); }'
--- check
open("{TMP}/out").read().strip() == "@: 100"

### every_tool_takes_cgroup
--- setup
tests/run/scripts/cgroup_pair.sh {TMP} {SONDE} funccount -d 2 --cgroup CGROUP build/targets/slow:work > {TMP}/out
--- flags
-q -e 'BEGIN { exit(); }'
--- check
re.search(r"^work +100$", open("{TMP}/out").read(), re.M) is not None

### a_cgroup_that_does_not_exist_is_an_error
--- flags
--cgroup /no/such/cgroup -e 'BEGIN { exit(); }'
--- stderr-re
ERROR: no cgroup /no/such/cgroup \(neither a cgroup v2 directory nor .*/no/such/cgroup\)\n
--- rc
1

### cgroup_path_names_each_processes_cgroup
The pair's two processes by their cgroup: the one of the test's cgroup
under its path, the other under its own (the root here, or whichever cgroup
the test runs in).
--- setup
tests/run/scripts/cgroup_pair.sh {TMP} {SONDE} -q -e 'uprobe:build/targets/slow:work { @[cgroup_path(cgroup)] = count(); } interval:ms:1500 { exit(); }' > {TMP}/out
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda rows: rows.get(77) is not None and re.fullmatch(r"/.*sonde-test-\d+", rows.get(100, "")) is not None)({int(n): p for p, n in re.findall(r"^@\[(.*)\]: (\d+)$", open("{TMP}/out").read(), re.M)})

### label_cgroup_splits_a_tools_metrics_by_cgroup
funccount --metrics --label-cgroup on the pair: one series per cgroup, the
test's cgroup by its path with exactly its 100 calls, the other with 77;
the tool's own table still counts them together.
--- setup
(sleep 2.4; python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:{PORT}/metrics").read().decode())' > {TMP}/page) & tests/run/scripts/cgroup_pair.sh {TMP} {SONDE} funccount -d 3 --metrics 127.0.0.1:{PORT} --label-cgroup build/targets/slow:work > {TMP}/out; wait
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda rows: len(rows) == 2 and rows.get(77) is not None and re.fullmatch(r"/.*sonde-test-\d+", rows.get(100, "")) is not None)({int(n): p for p, n in re.findall(r'^sonde_funccount_calls_total\{function="work",cgroup="(.*)"\} (\d+)$', open("{TMP}/page").read(), re.M)}) and re.search(r"^work +177$", open("{TMP}/out").read(), re.M)

### label_cgroup_splits_a_scripts_metrics_and_survives_clear
Every map of the script gets the cgroup label: a counter the script clears
every 200 ms still reaches 100 and 77, a histogram and a plain value are
split too; the maps printed at exit are the script's own.
--- setup
(sleep 2.4; python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:{PORT}/metrics").read().decode())' > {TMP}/page) & tests/run/scripts/cgroup_pair.sh {TMP} {SONDE} -q --metrics 127.0.0.1:{PORT} --label-cgroup -e 'uprobe:build/targets/slow:work { @calls = count(); @lat[comm] = hist(arg0); if (pid > 0) { @last[pid] = arg0; } } interval:ms:200 { clear(@calls); } interval:ms:3000 { exit(); }' > {TMP}/out; wait
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda page, out: sorted(int(n) for n in re.findall(r'^sonde_calls_total\{cgroup="[^"]+"\} (\d+)$', page, re.M)) == [77, 100] and sorted(int(n) for n in re.findall(r'^sonde_lat_count\{comm="slow",cgroup="[^"]+"\} (\d+)$', page, re.M)) == [77, 100] and len(re.findall(r'^sonde_last\{pid="\d+",cgroup="[^"]+"\} ', page, re.M)) == 2 and ":cgroup" not in page and ":cgroup" not in out and "@lat[slow]:" in out)(open("{TMP}/page").read(), open("{TMP}/out").read())

### label_cgroup_names_the_cgroup_of_json_records
A tool's JSON records (funcslower: each 4th call of work() naps 5 ms, so 25
slow calls in the test's cgroup and 20 outside) and a script's printf
records carry the cgroup of the task the event happened in.
--- setup
tests/run/scripts/cgroup_pair.sh {TMP} timeout --preserve-status -s INT 2.5 {SONDE} funcslower --json --label-cgroup -m 1 build/targets/slow:work > {TMP}/slow; tests/run/scripts/cgroup_pair.sh {TMP} {SONDE} -f json --label-cgroup -e 'uprobe:build/targets/slow:work /arg0 == 3/ { printf("work %d\n", pid); } interval:ms:1500 { exit(); }' > {TMP}/printf
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda sl, pf: sorted(re.fullmatch(r"/.*sonde-test-\d+", c) is not None for c in re.findall(r'^\{"type": "slow_call", "data": \{"cgroup": "([^"]+)", "comm": "slow", ', sl, re.M)) == [False] * 20 + [True] * 25 and len(re.findall(r'^\{"type": "printf", "data": "work \d+\\n", "cgroup": "/.*sonde-test-\d+"\}$', pf, re.M)) == 1 and len(re.findall(r'"cgroup"', pf)) == 2)(open("{TMP}/slow").read(), open("{TMP}/printf").read())

### cgroup_path_of_an_unknown_id_says_so
--- prog
BEGIN { printf("%s\n", cgroup_path(123456789)); exit(); }
--- stdout
<unknown cgroup 123456789>

### a_container_is_traced_by_its_own_paths
tests/run/scripts/container.sh runs build/targets/slow as /app/svc in a root
of its own (pivot_root) with PID and mount namespaces of its own: the host
has no /app. -p PID with the container's path: -l finds the function, a
script counts its calls, names the stack and sees nspid 1.
--- setup
pid=$(tests/run/scripts/container.sh {TMP} wait 900 work 7); {SONDE} -p $pid -l 'uprobe:/app/svc:wor*' > {TMP}/list; {SONDE} -q -p $pid -e 'uprobe:/app/svc:work { @[nspid, ustack(2)] = count(); }' > {TMP}/out; test ! -e /app/svc
--- flags
-q -e 'BEGIN { exit(); }'
--- check
open("{TMP}/list").read() == "uprobe:/app/svc:work\n" and re.search(r"^@\[1, \n +work\+0\n +main\+\d+\n\]: 7$", open("{TMP}/out").read(), re.M) is not None

### tools_trace_a_container_by_its_own_paths
funccount and funclatency with -p and the container's path.
--- setup
pid=$(tests/run/scripts/container.sh {TMP} wait 900 work 12); {SONDE} funccount -p $pid '/app/svc:work' > {TMP}/count; pid=$(tests/run/scripts/container.sh {TMP}/2 wait 900 work 8); {SONDE} funclatency -p $pid '/app/svc:work' > {TMP}/lat
--- flags
-q -e 'BEGIN { exit(); }'
--- check
re.search(r"^work +12$", open("{TMP}/count").read(), re.M) is not None and sum(int(c) for c in re.findall(r"^ +\d+ -> \d+ +: (\d+) +\|", open("{TMP}/lat").read(), re.M)) == 8

### a_process_that_has_exited_is_named_so
A child that has exited but is not reaped yet (a zombie) has no files to
probe: the error says the process has exited, not where to look for a
binary.
--- setup
python3 -c "
import subprocess, time
p = subprocess.Popen(['true'])
time.sleep(0.3)
r = subprocess.run(['{SONDE}', '-p', str(p.pid), '-e', 'uprobe:/bin/true:main { }'], capture_output=True, text=True)
open('{TMP}/err', 'w').write(r.stderr.replace(str(p.pid), 'PID'))
p.wait()"
--- flags
-q -e 'BEGIN { exit(); }'
--- check
open("{TMP}/err").read().startswith("stdin:1:1-22: ERROR: cannot find binary or library '/bin/true' for uprobe:/bin/true:main (process PID has exited)\n")
