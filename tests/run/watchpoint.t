# watchpoint:ADDR:LEN:MODE, hardware breakpoints on a process's data.
# build/targets/watched prints its global's address, waits 300 ms, writes
# it N times, reads it N times, and checks its own values ("ok").

### a_write_watchpoint_counts_every_write
--- setup
build/targets/watched 500 > {TMP}/target & pid=$!; sleep 0.1; {SONDE} -q -p $pid -e "watchpoint:$(head -1 {TMP}/target):8:w { @w = count(); }" > {TMP}/out; wait $pid
--- flags
-q -e 'BEGIN { exit(); }'
--- check
open("{TMP}/out").read().strip() == "@w: 500" and open("{TMP}/target").read().endswith("ok\n")

### a_read_write_watchpoint_counts_reads_too
300 writes, 300 reads, and the target's own check reads it once more.
--- setup
build/targets/watched 300 > {TMP}/target & pid=$!; sleep 0.1; {SONDE} -q -p $pid -e "w:$(head -1 {TMP}/target):8:rw { @[probe] = count(); }" > {TMP}/out; wait $pid
--- flags
-q -e 'BEGIN { exit(); }'
--- check
re.fullmatch(r"@\[watchpoint:0x[0-9a-f]+:8:rw\]: 601", open("{TMP}/out").read().strip()) is not None and open("{TMP}/target").read().endswith("ok\n")

### a_watchpoint_with_c_and_no_aslr
Without ASLR (sonde run by setarch -R, its command inherits it) the
address is known before the command starts. The watchpoint is armed at the
command's exec: before, the child is still a copy of sonde, whose own data
may sit at that address. The kernel's own accesses count too: loading the
program it zeroes the end of its data page (elf_load), which holds the
variable; the program's own 200 writes have no kernel stack.
--- setup
addr=$(setarch x86_64 -R build/targets/watched 0 | head -1); setarch x86_64 -R {SONDE} -q -c "build/targets/watched 200" -e "watchpoint:$addr:8:w { @[kstack(1)] = count(); }" > {TMP}/out
--- flags
-q -e 'BEGIN { exit(); }'
--- check
"ok" in open("{TMP}/out").read().split() and re.search(r"^@\[\]: 200$", open("{TMP}/out").read(), re.M) is not None

### a_watchpoint_needs_a_process
--- prog
watchpoint:0x1000:8:w { @ = count(); }
--- stderr-has
ERROR: a watchpoint watches one process: give it with -p PID or -c CMD
--- rc
1

### a_read_only_watchpoint_is_refused_naming_rw
--- prog
watchpoint:0x1000:8:r { @ = count(); }
--- flags
-c 'true'
--- stderr-has
ERROR: invalid watchpoint mode: r (w, rw or x; the CPU has no read-only watchpoint: use rw)
--- rc
1

### a_misaligned_watchpoint_is_refused
--- prog
watchpoint:0x1004:8:w { @ = count(); }
--- flags
-c 'true'
--- stderr-has
ERROR: watchpoint address 0x1004 is not aligned to its length 8
--- rc
1

### a_watchpoint_length_is_one_two_four_or_eight
--- prog
watchpoint:0x1000:3:w { @ = count(); }
--- flags
-c 'true'
--- stderr-has
ERROR: invalid watchpoint length: 3 (1, 2, 4 or 8 bytes)
--- rc
1
