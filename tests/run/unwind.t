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

### ustack_of_a_deep_recursion_takes_127_frames_that_match_gdbs
build/targets/unwind deep 200: 201 levels of descend(), each a frame
without a frame pointer, under spin_leaf. The CFI walk takes the stack's
most, 127 frames (bpf_loop, one frame per call: the verifier takes it), and
they are gdb's first 127, one by one.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'break *spin_leaf' -ex 'run' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind deep 200 > {TMP}/gdb.out 2>&1
--- flags
-c 'setarch -R build/targets/unwind deep 200'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @[ustack(raw)] = count(); }
--- check
(lambda gdb, ours: len(gdb) > 200 and gdb[:127] in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@\[\n(.*?)\]: 1", out, re.S)])

### ustack_of_a_deep_recursion_names_127_frames
--- flags
-q -c 'build/targets/unwind deep 200'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @[ustack] = count(); }
--- check
re.search(r"@\[\n    spin_leaf\+0\n(    descend\+\d+\n){126}\]: 1\n", out)

### ustack_through_a_frame_larger_than_32_kib_matches_gdb
build/targets/unwind big: big_frame() keeps a 40000-byte buffer, CFA =
rsp + 40016, past a row's 16-bit offset: its row counts in 8 bytes
(UNW_RSP8), as Python's Py_RunMain helpers (64 KiB) need.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'break *spin_leaf' -ex 'run' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind big > {TMP}/gdb.out 2>&1
--- flags
-q -c 'setarch -R build/targets/unwind big'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @r[ustack(raw)] = count(); @n[ustack] = count(); }
--- check
(lambda gdb, ours: len(gdb) >= 6 and gdb in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@r\[\n(.*?)\]: 1", out, re.S)]) and re.search(r"@n\[\n    spin_leaf\+0\n    big_frame\+\d+\n    main\+\d+\n    __libc_start_call_main\+\d+\n", out)

### ustack_through_libcs_stdio_matches_gdb_frame_by_frame
build/targets/unwind stderr: fprintf to the unbuffered stderr goes through
Debian's libc's buffered_vfprintf, _IO_file_xsputn, new_do_write and
_IO_new_file_write to write(), where both sonde and gdb stop (the second
call).
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'set breakpoint pending on' -ex 'break write' -ex 'run' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind stderr > {TMP}/gdb.out 2>&1
--- flags
-q -c 'setarch -R build/targets/unwind stderr'
--- prog
uprobe:/lib/x86_64-linux-gnu/libc.so.6:write /pid == cpid/ { @r[ustack(raw)] = count(); @n[ustack] = count(); }
--- check
(lambda gdb, ours: len(gdb) >= 10 and gdb in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@r\[\n(.*?)\]: 1", out, re.S)]) and re.search(r"@n\[\n    write\+0\n(    \S+\n)+    fprintf\+\d+\n    say\+\d+\n    main\+\d+\n    __libc_start_call_main\+\d+\n    __libc_start_main_impl\+\d+\n    _start\+\d+\n\]: 1\n", out)

### a_library_loaded_after_the_process_was_read_gets_its_table
build/targets/unwind dlopen: the first stack has sonde read the process's
mappings; 1.2 s later it dlopens build/targets/libunwind-dl.so (no frame
pointers) and calls back through it three times, 500 ms apart. The walk
meets return addresses outside the known mappings and asks for the
mappings again (at most once a second), so a later stack is whole, as
gdb's at the last call (frame by frame: under gdb
the library is mapped one page off, so its frames may differ from ours by
one page-aligned delta, the others not at all), and usym names the
library's frames.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'break *spin_leaf' -ex 'run' -ex 'continue' -ex 'continue' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind dlopen build/targets/libunwind-dl.so > {TMP}/gdb.out 2>&1
--- flags
-v -c 'setarch -R build/targets/unwind dlopen build/targets/libunwind-dl.so'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @r[ustack(raw)] = count(); @n[ustack] = count(); }
--- check
(lambda gdb, ours: len(gdb) >= 7 and any(len(o) == len(gdb) and len({g - x for g, x in zip(gdb, o)} - {0}) <= 1 and all((g - x) % 4096 == 0 for g, x in zip(gdb, o)) for o in ours))([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@r\[\n(.*?)\]: \d+", out, re.S)]) and re.search(r"@n\[\n    spin_leaf\+0\n    lib_inner\+\d+\n    lib_outer\+\d+\n    main\+\d+\n    __libc_start_call_main\+\d+\n", out) and re.search(r"^unwind:   \S+/libunwind-dl\.so: CFI, \d+ rows", err, re.M) and re.search(r"kernel memory: .*, 1 process ", err)

### a_threads_stack_ends_at_clone3_as_gdbs
build/targets/unwind thread: a thread's stack ends where libc's clone3
marks the return address undefined (UNW_END): spin_leaf, thread_main,
start_thread, clone3, and nothing past it, frame by frame as gdb's.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'break *spin_leaf' -ex 'run' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind thread > {TMP}/gdb.out 2>&1
--- flags
-q -c 'setarch -R build/targets/unwind thread'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @r[ustack(raw)] = count(); @n[ustack] = count(); }
--- check
(lambda gdb, ours: len(gdb) == 4 and gdb in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@r\[\n(.*?)\]: 1", out, re.S)]) and re.search(r"@n\[\n    spin_leaf\+0\n    thread_main\+\d+\n    start_thread\+\d+\n    clone3\+\d+\n\]: 1\n", out)

### ustack_through_a_realigned_frame_whose_cfa_is_an_expression_matches_gdb
build/targets/unwind drap: realigned() has a 64-byte aligned buffer and a
VLA, so gcc realigns its stack through r10 (DRAP) and its CFI says
CFA = *(rbp - 8) (DW_CFA_def_cfa_expression) and rbp saved at rbp + 0
(DW_CFA_expression): the walk reads both and goes on to _start, as gdb does.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'break *spin_leaf' -ex 'run' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind drap > {TMP}/gdb.out 2>&1
readelf -wf build/targets/unwind | grep -q 'DW_CFA_def_cfa_expression (DW_OP_breg6 (rbp): -8; DW_OP_deref)'
--- flags
-q -c 'setarch -R build/targets/unwind drap'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @r[ustack(raw)] = count(); @n[ustack] = count(); }
--- check
(lambda gdb, ours: len(gdb) >= 6 and gdb in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@r\[\n(.*?)\]: 1", out, re.S)]) and re.search(r"@n\[\n    spin_leaf\+0\n    realigned\+\d+\n    main\+\d+\n    __libc_start_call_main\+\d+\n    __libc_start_main_impl\+\d+\n    _start\+\d+\n\]: 1\n", out)

### ustack_at_a_functions_first_instructions_matches_gdb_frame_by_frame
on_signal's first instruction (CFA = rsp + 8: nothing pushed yet) and the
next one (after its sub $0x18,%rsp: rsp + 32), right above the signal
frame: each row holds for exactly its instructions. gdb stops at both in
the second chain.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'handle SIGUSR1 nostop noprint pass' -ex 'break *on_signal' -ex 'break *on_signal+4' -ex 'run' -ex 'continue' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'echo ===\n' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind chain > {TMP}/gdb.out 2>&1
objdump -d build/targets/unwind | grep -A1 '<on_signal>:' | grep -q 'sub  *$0x18,%rsp'
--- flags
-q -c 'setarch -R build/targets/unwind chain'
--- prog
uprobe:build/targets/unwind:on_signal, uprobe:build/targets/unwind:on_signal+4 /pid == cpid/ { @[ustack(raw)] = count(); }
--- check
(lambda gdbs, ours: len(gdbs) == 2 and all(len(g) >= 9 and g in ours for g in gdbs))([[int(l.split()[1], 16) for l in part.splitlines() if l.startswith("PC ")] for part in open("{TMP}/gdb.out").read().split("===")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@\[\n(.*?)\]: 1", out, re.S)])

### ustack_from_fini_which_has_no_cfi_matches_gdb_frame_by_frame
crti's _fini has no CFI: its rows come from its instructions (sub $8,%rsp;
add $8,%rsp; ret), so the stack ld.so's _dl_fini calls it from at exit is
whole; the first stack (spin_leaf's) loaded the tables. gdb stops the same
program at _fini. exit() ends with its call of __run_exit_handlers(), so
its return address is right past exit's end: it is named exit+N, as gdb
names it.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'handle SIGUSR1 nostop noprint pass' -ex 'break *_fini' -ex 'run' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind chain > {TMP}/gdb.out 2>&1
--- flags
-q -c 'setarch -R build/targets/unwind chain'
--- prog
uprobe:build/targets/unwind:spin_leaf /pid == cpid/ { @a[ustack] = count(); }
uprobe:build/targets/unwind:_fini /pid == cpid/ { @f[ustack(raw)] = count(); @n[ustack] = count(); }
--- check
(lambda gdb, ours: len(gdb) >= 6 and gdb in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@f\[\n(.*?)\]: 1", out, re.S)]) and re.search(r"@n\[\n    _fini\+0\n    _dl_fini\+\d+\n    __run_exit_handlers\+\d+\n    exit\+\d+\n    __libc_start_call_main\+\d+\n", out)

### profile_keeps_the_caller_of_a_frameless_leaf
spin_inner() never sets up a frame; the kernel's walk would lose spin_middle().
--- background
build/targets/unwind burn 1500
--- flags
profile -U -F 199 -p {BG} -f 1
--- check
(lambda rows: sum(rows.values()) >= 50 and sum(n for s, n in rows.items() if ";main;spin_outer;spin_middle;spin_inner" in s) >= 0.9 * sum(rows.values()))({l.rsplit(" ", 1)[0]: int(l.rsplit(" ", 1)[1]) for l in out.splitlines()})

### profile_walks_out_of_the_vdso
build/targets/unwind clock spends most of its time in the vDSO's
__vdso_clock_gettime, which has no file: its table comes from sonde's own
copy of the kernel's image. Nine samples in ten or more reach main (the
kernel's walk stopped at libc's clock_gettime), a third or more in the vDSO.
30 samples at least: the ratios mean something, and a machine busy enough
to leave the target a third of a CPU still gives them.
--- background
build/targets/unwind clock 1500
--- flags
profile -U -F 199 -p {BG} -f 1
--- check
(lambda rows: sum(rows.values()) >= 30 and sum(n for s, n in rows.items() if s.endswith(";__vdso_clock_gettime")) >= 0.3 * sum(rows.values()) and sum(n for s, n in rows.items() if ";main;clock_loop" in s) >= 0.9 * sum(rows.values()))({l.rsplit(" ", 1)[0]: int(l.rsplit(" ", 1)[1]) for l in out.splitlines()})

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

### ustack_through_debians_python_matches_gdb_frame_by_frame
Debian's python3.11 (no frame pointers, no debug file) calls os.getppid()
under two Python functions (tests/targets/python/ppid_twice.py), twice,
a second apart:
gdb stops the same program (no ASLR on either side) at libc's getppid's
second call, and every real frame matches, from posix_getppid through
_PyEval_EvalFrameDefault, PyEval_EvalCode, Py_RunMain down to _start
(native frames only: Python frames would stand in for the interpreter's).
--- env
SONDE_PYTHON_FRAMES=0
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'set breakpoint pending on' -ex 'break getppid' -ex 'run' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args /usr/bin/python3.11 tests/targets/python/ppid_twice.py > {TMP}/gdb.out 2>&1
--- flags
-q -c 'setarch -R /usr/bin/python3.11 tests/targets/python/ppid_twice.py'
--- prog
uprobe:/lib/x86_64-linux-gnu/libc.so.6:getppid /pid == cpid/ { @r[ustack(raw)] = count(); @n[ustack] = count(); }
--- check
(lambda gdb, ours: len(gdb) >= 14 and gdb in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@r\[\n(.*?)\]: 1", out, re.S)]) and re.search(r"@n\[\n    getppid\+0\n(    \S+\n)*    _PyEval_EvalFrameDefault\+\d+\n    PyEval_EvalCode\+\d+\n(    \S+\n)*    Py_RunMain\+\d+\n    Py_BytesMain\+\d+\n    __libc_start_call_main\+\d+\n    __libc_start_main_impl\+\d+\n    _start\+\d+\n\]: 1\n", out)

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
sum(int(n) for n in re.findall(r"@\[\n    spin_leaf\+0\n.*?\]: (\d+)", out, re.S)) == 2

### a_garbled_debug_frame_gives_shorter_stacks_not_a_crash
The second half of build/targets/unwind-debugframe's .debug_frame
overwritten with noise: the table keeps .eh_frame's rows and what libdw
could read of .debug_frame; where a rule is missing the walk goes on by
rbp after a marker.
--- setup
python3 tests/run/scripts/garble_eh_frame.py build/targets/unwind-debugframe {TMP}/noisy debug && chmod +x {TMP}/noisy
--- flags
-v -c '{TMP}/noisy chain'
--- prog
uprobe:{TMP}/noisy:spin_leaf /pid == cpid/ { @[ustack] = count(); }
--- check
sum(int(n) for n in re.findall(r"@\[\n    spin_leaf\+0\n.*?\]: (\d+)", out, re.S)) == 2 and re.search(r"^unwind:   \S+/noisy: CFI, \d+ rows .*, from \.eh_frame( and \.debug_frame)?$", err, re.M)

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

### cxx_ustack_through_a_virtual_call_a_lambda_and_a_signal_handler_matches_gdb_frame_by_frame
build/targets/unwind-cxx is C++ as distributions build it (-O2
-fomit-frame-pointer): a try block's frame, a virtual call, raise's PLT call,
the signal frame, a template, std::sort's insertion sort and its lambda
comparator down to a frameless leaf. gdb stops the same program (no ASLR on
either side) at the leaf's second call: every real frame matches.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'handle SIGUSR1 nostop noprint pass' -ex 'break *_ZN5chain4leafEm' -ex 'run' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind-cxx chain > {TMP}/gdb.out 2>&1
--- flags
-q -c 'setarch -R build/targets/unwind-cxx chain'
--- prog
uprobe:build/targets/unwind-cxx:_ZN5chain4leafEm /pid == cpid/ { @[ustack(raw)] = count(); }
--- check
(lambda gdb, ours: len(gdb) >= 14 and gdb in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@\[\n(.*?)\]: 1", out, re.S)])

### cxx_ustack_names_every_frame_demangled
The names as sonde prints them: the lambda and the template instantiations
whole (a clone suffix such as [clone .isra.0] is the compiler's choice).
--- flags
-q -c 'build/targets/unwind-cxx chain'
--- prog
uprobe:build/targets/unwind-cxx:_ZN5chain4leafEm /pid == cpid/ { @[ustack] = count(); }
--- check
re.search(r"@\[\n    chain::leaf\(unsigned long\)\+0\n    sort_pair<int>\(int\*\)::\{lambda\(int const&, int const&\)#1\}::operator\(\)\(int const&, int const&\) const( \[clone [.\w]+\])*\+\d+\n    void std::__insertion_sort<int\*, __gnu_cxx::__ops::_Iter_comp_iter<sort_pair<int>\(int\*\)::\{lambda\(int const&, int const&\)#1\}> >\([^\n]*\)( \[clone [.\w]+\])*\+\d+\n    void sort_pair<int>\(int\*\)\+\d+\n    on_signal\(int\)\+\d+\n    __restore_rt\+0\n(    \S+\n)*    raise\+\d+\n    Circle::visit\(\)\+\d+\n    drive\(int\)\+\d+\n    main\+\d+\n    __libc_start_call_main\+\d+\n    __libc_start_main_impl\+\d+\n    _start\+\d+\n\]: 1\n", out)

### ustack_of_code_whose_cfi_is_only_in_debug_frame_matches_gdb_frame_by_frame
build/targets/unwind-debugframe is built without asynchronous unwind tables:
its functions' CFI is in .debug_frame, only _start and the PLT keep
.eh_frame. The table takes .eh_frame's rows and fills the rest from
.debug_frame; every real frame matches gdb's.
--- setup
timeout 60 gdb -batch -nx -ex 'set disable-randomization on' -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' -ex 'handle SIGUSR1 nostop noprint pass' -ex 'break *spin_leaf' -ex 'run' -ex 'continue' -ex 'source tests/run/scripts/gdb_frames.py' -ex 'kill' --args build/targets/unwind-debugframe chain > {TMP}/gdb.out 2>&1
--- flags
-v -c 'setarch -R build/targets/unwind-debugframe chain'
--- prog
uprobe:build/targets/unwind-debugframe:spin_leaf /pid == cpid/ { @[ustack(raw)] = count(); }
--- check
(lambda gdb, ours: len(gdb) >= 12 and gdb in ours)([int(l.split()[1], 16) for l in open("{TMP}/gdb.out") if l.startswith("PC ")], [[int(x, 16) for x in block.split()] for block in re.findall(r"@\[\n(.*?)\]: 1", out, re.S)]) and re.search(r"^unwind:   \S+/unwind-debugframe: CFI, \d+ rows .*, from \.eh_frame and \.debug_frame$", err, re.M)

### without_eh_frame_the_debug_frame_alone_gives_the_whole_stack
The same program with .eh_frame and .eh_frame_hdr removed: every function
but _start (crt's, which has no .debug_frame) still has its rules; the
stack is named down to _start, -v says where the table came from.
--- setup
objcopy --remove-section .eh_frame --remove-section .eh_frame_hdr build/targets/unwind-debugframe {TMP}/noeh
--- flags
-v -c '{TMP}/noeh chain'
--- prog
uprobe:{TMP}/noeh:spin_leaf /pid == cpid/ { @[ustack] = count(); }
--- check
re.search(r"@\[\n    spin_leaf\+0\n    by_value\+\d+\n(    \S+\n)*    on_signal\+\d+\n    __restore_rt\+0\n(    \S+\n)*    raise\+\d+\n    outer\+\d+\n    main\+\d+\n    __libc_start_call_main\+\d+\n    __libc_start_main_impl\+\d+\n    _start\+\d+\n(    \[frame pointers\]\+0\n)?\]: 1\n", out) and re.search(r"^unwind:   \S+/noeh: CFI, \d+ rows .*, from \.debug_frame$", err, re.M)

### debug_frame_is_read_from_the_separate_debug_file
The program's debug sections go to a debug file found by .gnu_debuglink
(objcopy --only-keep-debug, --strip-debug), compressed as Debian's dbgsym
files are: its .debug_frame gives the rules, and -v names the file.
--- setup
objcopy --only-keep-debug --compress-debug-sections=zlib build/targets/unwind-debugframe {TMP}/prog.debug
readelf -SW {TMP}/prog.debug | grep -q 'debug_frame .* C '
objcopy --strip-debug --add-gnu-debuglink={TMP}/prog.debug build/targets/unwind-debugframe {TMP}/prog
! readelf -SW {TMP}/prog | grep -q debug_frame
--- flags
-v -c '{TMP}/prog chain'
--- prog
uprobe:{TMP}/prog:spin_leaf /pid == cpid/ { @[ustack] = count(); }
--- check
re.search(r"@\[\n    spin_leaf\+0\n    by_value\+\d+\n(    \S+\n)*    on_signal\+\d+\n    __restore_rt\+0\n(    \S+\n)*    raise\+\d+\n    outer\+\d+\n    main\+\d+\n    __libc_start_call_main\+\d+\n    __libc_start_main_impl\+\d+\n    _start\+\d+\n\]: 1\n", out) and re.search(r"^unwind:   \S+/prog: CFI, \d+ rows .*, from \.eh_frame and \.debug_frame of \S+/prog\.debug$", err, re.M)
