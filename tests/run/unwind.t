### ustack_through_a_signal_handler_and_plt_calls_matches_gdb_frame_by_frame
build/targets/unwind has no frame pointers (-O2 -fomit-frame-pointer); its
chain runs twice: the first stack loads the tables, the second is walked by
CFI. gdb stops the same program (no ASLR on either side) at the second call
of the same function; every real frame matches: the frameless leaf, libc's
sort, the signal frame (__restore_rt), raise's PLT call, down to _start.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'handle SIGUSR1 nostop noprint pass' -ex 'break *spin_leaf' -ex 'run' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind chain > {TMP}/gdb.out 2>&1
--- flags
-q -c 'setarch -R build/targets/unwind chain'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @[ustack(raw)] = count(); }
--- check
(lambda gdb, ours: len(gdb) >= 12 and gdb in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@\[\n(.*?)\]: 1", out, re.S)])

### ustack_names_the_frames_of_a_program_without_frame_pointers
--- flags
-q -c 'build/targets/unwind chain'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @[ustack] = count(); }
--- check
re.search(r"@\[\n    spin_leaf\+0\n    by_value\+\d+\n(    \S+\n)*    on_signal\+\d+\n    __restore_rt\+0\n(    \S+\n)*    raise\+\d+\n    outer\+\d+\n    main\+\d+\n    __libc_start_call_main\+\d+\n    __libc_start_main_impl\+\d+\n    _start\+\d+\n\]: 1\n", out)

### profile_keeps_the_caller_of_a_frameless_leaf
spin_inner() never sets up a frame; the kernel's walk would lose spin_middle().
--- background
build/targets/unwind burn 1500
--- flags
profile -U -F 199 -p {BG} -f 1
--- check
(lambda rows: sum(rows.values()) >= 50 and sum(n for s, n in rows.items() if ";main;spin_outer;spin_middle;spin_inner" in s) >= 0.9 * sum(rows.values()))({l.rsplit(" ", 1)[0]: int(l.rsplit(" ", 1)[1]) for l in out.splitlines()})

### profile_of_debians_python_reaches_the_start_through_the_interpreter
Debian's /usr/bin/python3.11 has no frame pointers: with CFI, nine samples
in ten or more go from the Python frames (work, fib: in place of
_PyEval_EvalFrameDefault) down to _start (Python's main() tail-calls
Py_BytesMain, so main itself is never on the stack).
--- background
/usr/bin/python3.11 tests/targets/python/busy.py 3
--- flags
profile -U -F 199 -p {BG} -f 1
--- check
(lambda rows: sum(rows.values()) >= 50 and sum(n for s, n in rows.items() if s.startswith("python3.11;_start;__libc_start_main_impl;__libc_start_call_main;Py_BytesMain;") and ";work (busy.py:7);fib (busy.py:4)" in s) >= 0.9 * sum(rows.values()))({l.rsplit(" ", 1)[0]: int(l.rsplit(" ", 1)[1]) for l in out.splitlines()})

### a_garbled_eh_frame_gives_shorter_stacks_not_a_crash
The target's .eh_frame is overwritten with noise: the table keeps what libdw
could read, the walk falls back to the frame pointer after a marker.
--- setup
python3 tests/run/scripts/garble_eh_frame.py build/targets/unwind {TMP}/noisy frames && chmod +x {TMP}/noisy
--- flags
-q -c '{TMP}/noisy chain'
--- prog
uprobe:{TMP}/noisy:spin_leaf /pid == cpid/ { @[ustack] = count(); }
--- check
out.count("spin_leaf+0") == 2

### an_eh_frame_index_that_runs_past_its_section_is_refused
.eh_frame_hdr claims two billion FDEs: the file gets no table and walks rbp.
--- setup
python3 tests/run/scripts/garble_eh_frame.py build/targets/unwind {TMP}/lying count && chmod +x {TMP}/lying
--- flags
-v -c '{TMP}/lying chain'
--- prog
uprobe:{TMP}/lying:spin_leaf /pid == cpid/ { @[ustack] = count(); }
--- check
"spin_leaf+0" in out and re.search(r"^unwind:   \S+/lying: frame pointers, 0 rows", err, re.M) and re.search(r"^unwind:   \S+/libc\.so\.6: CFI, \d+ rows", err, re.M)

### sonde_unwind_fp_keeps_the_kernels_frame_pointer_walk
--- env
SONDE_UNWIND=fp
--- flags
-q -c 'build/targets/unwind chain'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @[ustack] = count(); }
--- check
"on_signal" not in out and "spin_leaf+0" in out
