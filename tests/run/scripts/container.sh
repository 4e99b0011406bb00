#!/bin/sh
# A container as a runtime makes one, without a runtime: a root directory
# of its own (in DIR: /app/svc, a copy of build/targets/slow, and the C
# library it needs), new PID and mount namespaces, pivot_root into it. The
# host cannot see /app/svc; inside, the program is pid 1 of its namespace.
# Runs `/app/svc ARGS...` there in the background and prints its host pid;
# the container ends with the program, and DIR is the caller's to remove.
# (The old root stays mounted on /old inside: the new root has no umount.)
#   container.sh DIR ARGS...
set -eu
dir=$1; shift
mkdir -p "$dir/root/app" "$dir/root/lib64" "$dir/root/lib/x86_64-linux-gnu" "$dir/root/old" "$dir/root/proc"
cp build/targets/slow "$dir/root/app/svc"
cp /lib64/ld-linux-x86-64.so.2 "$dir/root/lib64/"
cp /lib/x86_64-linux-gnu/libc.so.6 "$dir/root/lib/x86_64-linux-gnu/"
unshare --fork --pid --mount --propagation private sh -c '
	cd "$1"; shift
	mount --bind . .
	mount -t proc proc proc
	cd .
	pivot_root . old
	exec /app/svc "$@"' container "$dir/root" "$@" > "$dir/out" 2>&1 &
u=$!
# the program is unshare'"'"'s child: its host pid
for _ in $(seq 100); do
	c=""; read c rest < /proc/$u/task/$u/children 2>/dev/null || true
	[ -n "$c" ] && [ "$(readlink /proc/$c/exe 2>/dev/null)" = /app/svc ] && break
	sleep 0.02
done
echo "$c"
