#!/bin/sh
# Two identical processes, one in a cgroup v2 this script makes (and
# removes), one outside: build/targets/slow wait 800 work N, with N 100
# inside and 77 outside. Runs SONDE ARGS... (ARGS may hold CGROUP, replaced
# by the cgroup's directory) in the background first; prints its output.
# Mounts cgroup v2 on a directory of its own where none is mounted.
#   cgroup_pair.sh TMPDIR SONDE ARGS...
set -eu
tmp=$1; shift
root=$(awk '/ - cgroup2 / { print $5; exit }' /proc/self/mountinfo)
mounted=""
if [ -z "$root" ]; then
	mkdir -p "$tmp/cg2"; mount -t cgroup2 none "$tmp/cg2"; root=$tmp/cg2; mounted=1
fi
cg=$root/sonde-test-$$
mkdir "$cg"
cleanup() { rmdir "$cg" 2>/dev/null || true; [ -z "$mounted" ] || umount "$root"; }
trap cleanup EXIT INT TERM
sonde=$1; shift
for a in "$@"; do [ "$a" = CGROUP ] && a=$cg; set -- "$@" "$a"; shift; done
"$sonde" "$@" > "$tmp/sonde.out" 2>&1 & s=$!
sleep 0.1
sh -c "echo \$\$ > $cg/cgroup.procs && exec build/targets/slow wait 800 work 100" > /dev/null & a=$!
build/targets/slow wait 800 work 77 > /dev/null & b=$!
wait $a; wait $b; wait $s
cat "$tmp/sonde.out"
