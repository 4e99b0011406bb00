# How a binary is named for a process: its own view (/proc/PID/root/…) and
# a file deleted since it was mapped (a rolling upgrade).

### a_deleted_binary_is_probed_through_map_files
The running copy of a program is removed (as an upgrade replaces it): the
process still runs the deleted file, which sonde probes through
/proc/PID/map_files with a note; every call is counted.
--- setup
cp build/targets/slow {TMP}/svc
{TMP}/svc wait 800 work 100 > {TMP}/svc.out & pid=$!; sleep 0.2; rm {TMP}/svc; {SONDE} -q -p $pid -e 'uprobe:{TMP}/svc:work { @ = count(); }' > {TMP}/out 2> {TMP}/err; echo $pid > {TMP}/pid; wait $pid
--- flags
-q -e 'BEGIN { exit(); }'
--- check
open("{TMP}/out").read().strip() == "@: 100" and open("{TMP}/err").read().startswith("NOTE: {TMP}/svc was deleted since process " + open("{TMP}/pid").read().strip() + " mapped it (an upgrade?): probing the file it runs, through /proc/")

### a_path_under_proc_pid_root_is_taken_as_it_is
With -p, a path already under /proc/PID/root is not prefixed a second time.
--- setup
build/targets/slow wait 600 work 50 > /dev/null & pid=$!; sleep 0.1; {SONDE} -q -p $pid -e "uprobe:/proc/$pid/root$(pwd)/build/targets/slow:work { @ = count(); }" > {TMP}/out 2> {TMP}/err; wait $pid
--- flags
-q -e 'BEGIN { exit(); }'
--- check
open("{TMP}/out").read().strip() == "@: 50" and open("{TMP}/err").read() == ""
