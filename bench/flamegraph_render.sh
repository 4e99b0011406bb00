#!/bin/bash
# Time and peak RSS of `sonde flamegraph` on a large generated profile.
#
# Usage: bench/flamegraph_render.sh [SONDE_BINARY]    (default: build/sonde)
# Env:   LINES=200000   folded lines to generate (about 5 samples each)
#        N=5            measured runs per input (median, min, max)
#        TIMEOUT=60     seconds allowed per run
#        RAW=1          also print every measurement
#        NO_GNU_TIME=1  measure with the python3 helper even if /usr/bin/time exists
#
# The input is the same on every machine: awk with its own Park-Miller
# generator (awk's rand() differs between mawk and gawk). Each line is a
# stack of 5 to 40 frames under "main" (names from a pool of 2000, each
# frame one of three callees of the frame below it), a quarter of them with
# two kernel frames on top, and a count from 1 to 9: about a million samples
# in 200,000 lines and 2.8 million distinct stack prefixes, a harder case
# than a real profile, whose stacks share far more. It is rendered twice:
# as generated (lines in no order, as bpftrace and sonde print maps) and
# sorted (as stackcollapse-perf.pl writes them).
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
sonde=${1:-$(dirname "$here")/build/sonde}
LINES=${LINES:-200000}
N=${N:-5}
TIMEOUT=${TIMEOUT:-60}

[ -x "$sonde" ] || { echo "flamegraph_render: '$sonde' is not built (make build/sonde)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

awk -v lines="$LINES" '
function rnd() { seed = (seed * 16807) % 2147483647; return seed }
BEGIN {
	seed = 42
	for (i = 0; i < 2000; i++)
		name[i] = sprintf("mod%02d::Class%03d::method_%d", i % 37, i % 211, i)
	for (l = 0; l < lines; l++) {
		depth = 5 + rnd() % 36
		f = rnd() % 8
		s = "main;" name[f]
		for (d = 1; d < depth; d++) {
			f = (f * 7 + 1 + rnd() % 3) % 2000
			s = s ";" name[f]
		}
		if (rnd() % 4 == 0)
			s = s ";do_syscall_64_[k];__x64_sys_read_[k]"
		print s " " (1 + rnd() % 9)
	}
}' >"$tmp/generated.folded"
sort "$tmp/generated.folded" >"$tmp/sorted.folded"

if [ -z "$NO_GNU_TIME" ] && [ -x /usr/bin/time ]; then
	method="GNU time"
else
	method="python3 helper"
	command -v python3 >/dev/null 2>&1 || { echo "flamegraph_render: need /usr/bin/time or python3" >&2; exit 1; }
fi
# Prints "WALL_S USER_S SYS_S MAXRSS_KB" for one run of sonde on $1.
# (The helper's child starts with python's own ~10 MB high-water mark in its
# ru_maxrss, which is small beside the figures measured here.)
pyhelper='
import os, subprocess, sys, time
t0 = time.monotonic()
with open(sys.argv[2]) as i, open(os.devnull, "w") as o:
    p = subprocess.Popen([sys.argv[1], "flamegraph", "--title", "bench"], stdin=i, stdout=o)
    _, status, ru = os.wait4(p.pid, 0)
print("%.3f %.2f %.2f %d" % (time.monotonic() - t0, ru.ru_utime, ru.ru_stime, ru.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
'
measure() {
	if [ "$method" = "GNU time" ]; then
		timeout -k 5 "$TIMEOUT" /usr/bin/time -f '%e %U %S %M' -o "$tmp/t" \
			"$sonde" flamegraph --title bench <"$1" >"$tmp/out.svg" 2>/dev/null || return 1
		tail -n 1 "$tmp/t"
	else
		timeout -k 5 "$TIMEOUT" python3 -c "$pyhelper" "$sonde" "$1"
	fi
}

samples=$(awk '{ s += $NF } END { print s }' "$tmp/generated.folded")
mb=$(du -m "$tmp/generated.folded" | cut -f1)
echo "flamegraph_render: $LINES lines, $samples samples, $mb MB of folded stacks; $N runs each, $method"
printf '%-10s %6s %9s %7s %7s %7s %7s %10s %8s %7s\n' input runs "median s" "min s" "max s" "user s" "sys s" "peak RSS" "SVG KB" frames
for input in generated sorted; do
	: >"$tmp/runs"
	for i in $(seq "$N"); do
		m=$(measure "$tmp/$input.folded") || { echo "flamegraph_render: run failed on $input" >&2; exit 1; }
		echo "$m" >>"$tmp/runs"
		[ -n "$RAW" ] && echo "  $input: $m"
	done
	"$sonde" flamegraph --title bench <"$tmp/$input.folded" >"$tmp/out.svg"
	kb=$(( $(wc -c <"$tmp/out.svg") / 1024 ))
	frames=$(grep -c '<g class="f"' "$tmp/out.svg")
	# median of wall; user, sys and RSS of the median run
	sort -n "$tmp/runs" | awk -v n="$N" -v name="$input" -v kb="$kb" -v frames="$frames" '
		{ w[NR] = $1; u[NR] = $2; s[NR] = $3; r[NR] = $4 }
		END {
			m = int((n + 1) / 2)
			printf "%-10s %6d %9.2f %7.2f %7.2f %7.2f %7.2f %7.1f MB %8d %7d\n",
				name, n, w[m], w[1], w[n], u[m], s[m], r[m] / 1024, kb, frames
		}'
done
