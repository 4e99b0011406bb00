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
