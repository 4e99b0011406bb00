#!/bin/bash
# Attach + detach time of wildcard uprobes on libc: sonde (one uprobe_multi
# link) vs bpftrace (a perf-event uprobe each). Each run attaches, runs one
# millisecond, detaches and exits. Medians of interleaved runs.
#   bench/uprobe_attach.sh [SONDE]     N=5 runs; BPFTRACE_TOO=0 skips bpftrace at 1000 probes
export LC_ALL=C
root=$(cd "$(dirname "$0")/.." && pwd)
sonde=${1:-$root/build/sonde}
N=${N:-5}
export BPFTRACE_MAX_PROBES=2000

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {	# tool pattern → seconds
	local t0 t1
	t0=$EPOCHREALTIME
	timeout 600 "$1" -q -e "uprobe:libc:$2 { @ = count(); } interval:ms:1 { exit(); }" >/dev/null 2>&1
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
for pattern in 'str*' '[a-o]*'; do
	n=$("$sonde" -l "uprobe:libc:$pattern" | wc -l)
	s=() b=()
	for i in $(seq "$N"); do
		s+=("$(measure "$sonde" "$pattern")")
		if command -v bpftrace >/dev/null && { [ "$n" -le 200 ] || [ "${BPFTRACE_TOO:-1}" = 1 ]; }; then
			b+=("$(measure bpftrace "$pattern")")
		fi
	done
	sm=$(printf '%s\n' "${s[@]}" | median)
	if [ ${#b[@]} -gt 0 ]; then
		bm=$(printf '%s\n' "${b[@]}" | median)
		printf '%5d probes (%s): sonde %.3f s, bpftrace %.3f s (%.0fx)\n' "$n" "$pattern" "$sm" "$bm" "$(awk -v a="$bm" -v b="$sm" 'BEGIN { print a / b }')"
	else
		printf '%5d probes (%s): sonde %.3f s\n' "$n" "$pattern" "$sm"
	fi
done
