#!/bin/bash
# Start-up cost of `BEGIN { exit(); }`: sonde vs bpftrace.
#
# Usage: bench/startup.sh [SONDE_BINARY]      (default: build/sonde)
# Env:   N=11          measured runs per tool (interleaved sonde, bpftrace, ...)
#        WARMUP=1      unmeasured runs per tool first (page cache, BTF, ...)
#        TIMEOUT=30    seconds allowed per run
#        BPFTRACE=...  bpftrace binary (default: bpftrace on $PATH)
#        RAW=1         also print every measurement
#        NO_GNU_TIME=1 use the python3 helper even if /usr/bin/time exists
#        NO_HARNESS=1  skip the /bin/true row (harness overhead)
#
# Wall time: bash's $EPOCHREALTIME (µs, no fork) read around the run.
# Peak RSS:  GNU time's %M (KiB) when /usr/bin/time exists; otherwise a small
#            python3 helper (stdlib only) reading the child's rusage (see
#            pyhelper below; it then also supplies the wall time).
# Only processes started here are ever signalled (by timeout(1) on overrun).

export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
sonde=${1:-$root/build/sonde}
N=${N:-11}
WARMUP=${WARMUP:-1}
TIMEOUT=${TIMEOUT:-30}
bpftrace_bin=${BPFTRACE:-$(command -v bpftrace 2>/dev/null)}
prog='BEGIN { exit(); }'

if [ -z "${EPOCHREALTIME:-}" ]; then
	echo "startup: needs bash >= 5 (EPOCHREALTIME)" >&2
	exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

tools=""
if [ -x "$sonde" ] && [ ! -d "$sonde" ]; then
	tools="sonde"
else
	echo "startup: sonde binary '$sonde' not found or not executable; skipping sonde" >&2
fi
if [ -n "$bpftrace_bin" ] && [ -x "$bpftrace_bin" ]; then
	tools="$tools bpftrace"
else
	echo "startup: bpftrace not installed; skipping bpftrace" >&2
fi
[ -n "$tools" ] || { echo "startup: nothing to measure" >&2; exit 1; }
# The "harness" row runs /bin/true the same way: the measurement's own
# overhead (timeout, time/sh start-up), to be read against small numbers.
true_bin=$(PATH=/usr/bin:/bin command -pv true 2>/dev/null)
case $true_bin in /*) ;; *) true_bin=/bin/true ;; esac
[ -x "$true_bin" ] && [ -z "$NO_HARNESS" ] && tools="$tools harness"

if [ -z "$NO_GNU_TIME" ] && [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o "$tmp/probe" true 2>/dev/null &&
	[ -s "$tmp/probe" ]; then
	method="GNU time"
else
	method="python3 wait4 helper"
	command -v python3 >/dev/null 2>&1 || { echo "startup: need /usr/bin/time or python3" >&2; exit 1; }
fi

# Fallback measurer (stdlib only).  A child exec'd straight from python
# inherits python's ~10 MB RSS high-water mark into its ru_maxrss, so python
# becomes a child subreaper and lets sh fork the tool (floor: sh's ~1 MB, like
# GNU time); sh exits at once, the tool is re-parented to python, and
# os.wait4() returns the tool's own rusage (ru_maxrss in KiB).
# Prints "WALL_MS MAXRSS_KB EXIT_STATUS".
pyhelper='
import ctypes, os, subprocess, sys, time
PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
t0 = time.monotonic_ns()
sh = subprocess.run(["/bin/sh", "-c", "\"$@\" </dev/null >/dev/null 2>&1 & echo $!", "sh"]
                    + sys.argv[1:], stdout=subprocess.PIPE, check=True)
pid = int(sh.stdout)
_, status, ru = os.wait4(pid, 0)
t1 = time.monotonic_ns()
print("%.3f %d %d" % ((t1 - t0) / 1e6, ru.ru_maxrss, os.waitstatus_to_exitcode(status)))
'

bin_of() {
	case $1 in
	sonde) echo "$sonde" ;;
	bpftrace) echo "$bpftrace_bin" ;;
	harness) echo "$true_bin" ;;
	esac
}

# measure TOOL -> appends "WALL_MS RSS_KB RC" to $tmp/TOOL (unless warm-up)
measure() {
	tool=$1
	bin=$(bin_of "$tool")
	rm -f "$tmp/t"
	if [ "$method" = "GNU time" ]; then
		t0=$EPOCHREALTIME
		timeout -k 5 "$TIMEOUT" /usr/bin/time -f '%e %M' -o "$tmp/t" \
			"$bin" -e "$prog" </dev/null >/dev/null 2>&1
		rc=$?
		t1=$EPOCHREALTIME
		wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')
		# time(1) writes "Command exited with non-zero status N" first on failure
		rss=$(tail -n 1 "$tmp/t" 2>/dev/null | awk '{ print $2 }')
	else
		out=$(timeout -k 5 "$TIMEOUT" python3 -c "$pyhelper" "$bin" -e "$prog")
		rc=$?
		wall=$(echo "$out" | awk '{ print $1 }')
		rss=$(echo "$out" | awk '{ print $2 }')
		[ $rc -eq 0 ] && rc=$(echo "$out" | awk '{ print $3 }')
	fi
	[ -n "$rss" ] || rss=0
	[ -n "$wall" ] || wall=0
	if [ "$2" != warmup ]; then
		echo "$wall $rss $rc" >>"$tmp/$tool"
		[ -n "$RAW" ] && echo "  $tool: ${wall} ms, ${rss} KiB, rc=$rc"
	fi
}

i=0
while [ $i -lt "$WARMUP" ]; do
	for tool in $tools; do measure "$tool" warmup; done
	i=$((i + 1))
done
i=0
while [ $i -lt "$N" ]; do
	for tool in $tools; do measure "$tool"; done
	i=$((i + 1))
done

# median of column $2 of file $1 (sorted numerically)
median() { awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minmax() { awk -v c="$2" '{ print $c }' "$1" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s %s", lo, hi }'; }

echo "startup: BEGIN { exit(); }  runs=$N (interleaved, $WARMUP warm-up each)  rss via $method"
printf '%-10s %5s %11s %9s %9s %12s %6s\n' tool runs "median ms" "min ms" "max ms" "median RSS" fails
for tool in $tools; do
	f=$tmp/$tool
	mt=$(median "$f" 1)
	set -- $(minmax "$f" 1)
	mr=$(median "$f" 2)
	fails=$(awk '$3 != 0' "$f" | wc -l)
	mrmb=$(awk -v k="$mr" 'BEGIN { printf "%.1f MB", k / 1024 }')
	printf '%-10s %5s %11.1f %9.1f %9.1f %12s %6s\n' "$tool" "$N" "$mt" "$1" "$2" "$mrmb" "$fails"
	eval "med_t_$tool=$mt; med_r_$tool=$mr"
done
if [ -n "${med_t_sonde:-}" ] && [ -n "${med_t_bpftrace:-}" ]; then
	awk -v ts="$med_t_sonde" -v tb="$med_t_bpftrace" -v rs="$med_r_sonde" -v rb="$med_r_bpftrace" 'BEGIN {
		printf "ratio bpftrace/sonde: time %s, RSS %s\n",
			(ts > 0 ? sprintf("%.1fx", tb / ts) : "n/a"),
			(rs > 0 ? sprintf("%.1fx", rb / rs) : "n/a") }'
fi
