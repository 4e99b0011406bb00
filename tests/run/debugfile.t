### a_stripped_binary_without_its_debug_file_lists_no_functions
--- setup
strip --strip-all -o {TMP}/funcs build/targets/funcs
mkdir {TMP}/empty
--- env
SONDE_DEBUG_DIRS={TMP}/empty
--- flags
-l uprobe:{TMP}/funcs:*
--- stdout

### a_stripped_binary_lists_its_static_functions_through_gnu_debuglink
--- setup
mkdir {TMP}/.debug {TMP}/empty
objcopy --only-keep-debug build/targets/funcs {TMP}/.debug/funcs.debug
strip --strip-all -o {TMP}/funcs build/targets/funcs
objcopy --add-gnu-debuglink={TMP}/.debug/funcs.debug {TMP}/funcs
--- env
SONDE_DEBUG_DIRS={TMP}/empty
--- flags
-l uprobe:{TMP}/funcs:[acfg]*
--- stdout
uprobe:{TMP}/funcs:add
uprobe:{TMP}/funcs:calls
uprobe:{TMP}/funcs:fib
uprobe:{TMP}/funcs:frame_dummy
uprobe:{TMP}/funcs:greet

### a_debuglink_file_next_to_the_binary_is_found_too
--- setup
mkdir {TMP}/empty
objcopy --only-keep-debug build/targets/funcs {TMP}/funcs.dbg
strip --strip-all -o {TMP}/funcs build/targets/funcs
objcopy --add-gnu-debuglink={TMP}/funcs.dbg {TMP}/funcs
--- env
SONDE_DEBUG_DIRS={TMP}/empty
--- flags
-l uprobe:{TMP}/funcs:calls
--- stdout
uprobe:{TMP}/funcs:calls

### a_debuglink_file_whose_crc_differs_is_not_used
--- setup
mkdir {TMP}/.debug {TMP}/empty
objcopy --only-keep-debug build/targets/funcs {TMP}/.debug/funcs.debug
strip --strip-all -o {TMP}/funcs build/targets/funcs
objcopy --add-gnu-debuglink={TMP}/.debug/funcs.debug {TMP}/funcs
echo changed >> {TMP}/.debug/funcs.debug
--- env
SONDE_DEBUG_DIRS={TMP}/empty
--- flags
-l uprobe:{TMP}/funcs:*
--- stdout

### a_stripped_binary_counts_exact_calls_through_gnu_debuglink
--- setup
mkdir {TMP}/.debug {TMP}/empty
objcopy --only-keep-debug build/targets/funcs {TMP}/.debug/funcs.debug
strip --strip-all -o {TMP}/funcs build/targets/funcs
objcopy --add-gnu-debuglink={TMP}/.debug/funcs.debug {TMP}/funcs
--- env
SONDE_DEBUG_DIRS={TMP}/empty
--- flags
-q -c '{TMP}/funcs calls 100'
--- prog
uprobe:{TMP}/funcs:add /pid == cpid/ { @calls = count(); @sum = sum(arg0 + arg1); }
uretprobe:{TMP}/funcs:add /pid == cpid/ { @ret[func] = sum(retval); }
uprobe:{TMP}/funcs:calls /pid == cpid/ { @static = count(); }
uprobe:{TMP}/funcs:fib /pid == cpid/ { @fib = count(); }
--- stdout
15405


@calls: 100
@fib: 177
@ret[add]: 14850
@static: 1
@sum: 14850

### a_stripped_binary_lists_its_static_functions_by_build_id
--- setup
strip --strip-all -o {TMP}/funcs build/targets/funcs
id=$(readelf -n {TMP}/funcs | sed -n 's/.*Build ID: *//p')
test ${#id} -ge 4
mkdir -p {TMP}/root/.build-id/$(echo "$id" | cut -c1-2)
objcopy --only-keep-debug build/targets/funcs {TMP}/root/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug
--- env
SONDE_DEBUG_DIRS={TMP}/missing:{TMP}/root
--- flags
-l uprobe:{TMP}/funcs:[acfg]*
--- stdout
uprobe:{TMP}/funcs:add
uprobe:{TMP}/funcs:calls
uprobe:{TMP}/funcs:fib
uprobe:{TMP}/funcs:frame_dummy
uprobe:{TMP}/funcs:greet

### a_stripped_binary_counts_exact_calls_by_build_id
--- setup
strip --strip-all -o {TMP}/funcs build/targets/funcs
id=$(readelf -n {TMP}/funcs | sed -n 's/.*Build ID: *//p')
test ${#id} -ge 4
mkdir -p {TMP}/root/.build-id/$(echo "$id" | cut -c1-2)
objcopy --only-keep-debug build/targets/funcs {TMP}/root/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug
--- env
SONDE_DEBUG_DIRS={TMP}/root
--- flags
-q -c '{TMP}/funcs calls 100'
--- prog
uprobe:{TMP}/funcs:add /pid == cpid/ { @calls = count(); @sum = sum(arg0 + arg1); }
uretprobe:{TMP}/funcs:add /pid == cpid/ { @ret[func] = sum(retval); }
uprobe:{TMP}/funcs:calls /pid == cpid/ { @static = count(); }
--- stdout
15405


@calls: 100
@ret[add]: 14850
@static: 1
@sum: 14850

### a_build_id_file_of_another_binary_is_not_used
--- setup
strip --strip-all -o {TMP}/funcs build/targets/funcs
id=$(readelf -n {TMP}/funcs | sed -n 's/.*Build ID: *//p')
test ${#id} -ge 4
mkdir -p {TMP}/root/.build-id/$(echo "$id" | cut -c1-2)
objcopy --only-keep-debug build/targets/sysload {TMP}/root/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug
--- env
SONDE_DEBUG_DIRS={TMP}/root
--- flags
-l uprobe:{TMP}/funcs:*
--- stdout

### a_library_short_name_resolves_through_the_linker_cache
--- flags
-l uprobe:libc:getppid
--- stdout
uprobe:libc:getppid

### library_names_with_so_and_a_version_resolve_alike
--- flags
-q -c 'build/targets/funcs calls 3'
--- prog
uprobe:libc.so:printf /pid == cpid/ { @so = count(); }
uprobe:libc.so.6:printf /pid == cpid/ { @so6 = count(); }
uprobe:c:printf /pid == cpid/ { @c = count(); }
--- stdout
79


@c: 1
@so: 1
@so6: 1

### with_p_a_library_resolves_through_the_cache_inside_the_process_root
--- setup
# a chroot whose libc is only where its own ld.so.cache says: /opt/lib
mkdir -p {TMP}/root/opt/lib {TMP}/root/lib64 {TMP}/root/etc
cp -L /lib/x86_64-linux-gnu/libc.so.6 {TMP}/root/opt/lib/
cp -L /lib64/ld-linux-x86-64.so.2 {TMP}/root/lib64/
cp build/targets/funcs {TMP}/root/funcs
echo /opt/lib > {TMP}/root/etc/ld.so.conf
ldconfig -r {TMP}/root
chroot {TMP}/root /funcs calls 1 > /dev/null
--- background
chroot {TMP}/root /funcs wait 800 5
--- flags
-q -p {BG}
--- prog
uprobe:libc:printf { @printf[pid == {BG}] = count(); }
--- stdout


@printf[true]: 1

### args_by_name_come_from_the_debug_file_of_a_stripped_binary
--- setup
mkdir {TMP}/.debug {TMP}/empty
objcopy --only-keep-debug build/targets/funcs {TMP}/.debug/funcs.debug
strip --strip-all -o {TMP}/funcs build/targets/funcs
objcopy --add-gnu-debuglink={TMP}/.debug/funcs.debug {TMP}/funcs
--- env
SONDE_DEBUG_DIRS={TMP}/empty
--- flags
-q -c '{TMP}/funcs calls 3'
--- prog
uprobe:{TMP}/funcs:add { @[args.a, args.b] = count(); }
--- stdout
79


@[0, 0]: 1
@[1, 2]: 1
@[2, 4]: 1
