#!/bin/bash
# Start-up (wall time of the whole run) and verifier figures of a for loop
# over a 10 000-entry map, against the nearest script without it (a running
# sum kept in a scalar map as the entries are made).
#   bench/formap.sh [SONDE_BINARY]      N=15 runs each, interleaved
# Both fill @m from 10 000 getppid() calls of build/targets/sysload (a
# BEGIN loop of 10 000 map updates is past what the verifier checks); END
# sums the values. Run as root.
set -eu
SONDE=${1:-build/sonde}
N=${N:-15}
export BPFTRACE_MAX_MAP_KEYS=10000
CMD='build/targets/sysload getppid 10000'
FILL='tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @m[@n] = @n; @n++; }'
A="$FILL END { \$s = 0; for (\$kv : @m) { \$s += \$kv.1; } printf(\"%d\\n\", \$s); clear(@m); clear(@n); }"
B='tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @m[@n] = @n; @sum += @n; @n++; } END { printf("%d\n", @sum); clear(@m); clear(@n); clear(@sum); }'

stats() {	# median and min of the numbers on stdin, in ms
	sort -n | awk '{ v[NR] = $1 } END { printf "median %.1f ms, min %.1f ms (%d runs)\n", v[int((NR + 1) / 2)], v[1], NR }'
}
run() {	# wall time in ms of one run; the output must be the sum
	local t0=$EPOCHREALTIME out
	out=$("$SONDE" -q -c "$CMD" -e "$1" 2>&1 </dev/null)
	local t1=$EPOCHREALTIME
	[ "$(echo "$out" | head -1)" = 49995000 ] || { echo "unexpected output: $out" >&2; exit 1; }
	echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) * 1000 }'
}
ta=() tb=()
run "$A" >/dev/null; run "$B" >/dev/null	# warm-up
for ((i = 0; i < N; i++)); do
	ta+=("$(run "$A")")
	tb+=("$(run "$B")")
done
echo "for (\$kv : @m):      $(printf '%s\n' "${ta[@]}" | stats)"
echo "running sum in @sum: $(printf '%s\n' "${tb[@]}" | stats)"
for s in "$A" "$B"; do
	"$SONDE" -v -q -c "$CMD" -e "$s" 2>&1 </dev/null | grep -E 'BPF instructions|^verifier:|^probe END'
	echo
done
