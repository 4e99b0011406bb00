#!/bin/bash
# The cost of tracing every system call of a busy process, untraced, under
# strace -f (ptrace), perf trace (if it works here) and sonde strace -f
# (tracepoints), all writing their trace to /dev/null. Two workloads: gzip of
# a 100 MB file (few, large reads and writes: what is measured is mostly the
# tracers' start and stop) and sysload making 200000 getppid() calls (the
# cost per call). Runs are interleaved; medians of N (default 5) after one
# warm-up each. Two times per run: the whole run (the tracer's start and
# stop included) and the workload's own, measured inside the traced process.
#   bench/strace.sh [SONDE_BINARY]      # default: build/sonde
#   N=9 MB=200 bench/strace.sh
set -u
SONDE=${1:-build/sonde}
N=${N:-5}
MB=${MB:-100}
dir=$(mktemp -d /tmp/sonde-strace-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
# compressible but not trivially: text of random words
head -c $((MB * 1024 * 1024 / 2)) /dev/urandom | od -An -tx2 | head -c $((MB * 1024 * 1024)) > "$dir/in"

SYSLOAD=${SYSLOAD:-build/targets/sysload}
# each workload also times itself, from inside the traced process: what the
# service experiences, without the tracer's own start and stop
own() { local s=$EPOCHREALTIME; "$@"; local e=$EPOCHREALTIME; echo "$e - $s" | bc >> "$dir/own.$TOOL"; }
work_gzip()    { own sh -c 'gzip -c "$0/in" > "$0/out.gz"' "$dir"; }
work_getppid() { own "$SYSLOAD" getppid 200000; }
run_plain()  { "$@"; }
run_strace() { strace -f -o /dev/null "$@"; }
run_perf()   { perf trace -o /dev/null "$@" 2>/dev/null; }
run_sonde()  { "$SONDE" strace -f -o /dev/null -- "$@" 2>/dev/null; }	# its stderr: failed-read warnings

tools="plain"
command -v strace >/dev/null && tools+=" strace" || echo "strace: not installed, skipped"
if command -v perf >/dev/null && perf trace -o /dev/null true >/dev/null 2>&1; then tools+=" perf"; else echo "perf trace: not usable here, skipped"; fi
[ -x "$SONDE" ] && tools+=" sonde" || echo "$SONDE: missing, skipped"

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
# run_TOOL wraps a shell function: export it for `strace CMD` and friends through bash -c
export -f own work_gzip work_getppid; export dir SYSLOAD
for work in gzip getppid; do
	[ "$work" = getppid ] && [ ! -x "$SYSLOAD" ] && { echo "$SYSLOAD: missing, getppid skipped"; continue; }
	declare -A times=()
	for t in $tools; do TOOL=$t run_$t bash -c work_$work; done	# warm-up: page cache, binaries
	rm -f "$dir"/own.*
	for ((i = 0; i < N; i++)); do
		for t in $tools; do
			s=$EPOCHREALTIME
			TOOL=$t run_$t bash -c work_$work || echo "$t: run $i failed" >&2
			e=$EPOCHREALTIME
			times[$t]+="$(echo "$e - $s" | bc) "
		done
	done
	calls=$(TOOL=count strace -f -c -o "$dir/c" bash -c work_$work; tail -1 "$dir/c" | awk '{print $4}')
	base=$(echo "${times[plain]}" | median)
	echo "$work: $calls system calls (bash -c included); median of $N runs (s), slowdown over untraced"
	own_base=$(tr '\n' ' ' < "$dir/own.plain" | median)
	printf "%-8s %8s %10s %14s %10s %10s\n" tool median slowdown "us per call" "own time" "own slower"
	for t in $tools; do
		m=$(echo "${times[$t]}" | median)
		o=$(tr '\n' ' ' < "$dir/own.$t" | median)
		printf "%-8s %8.3f %9.1f%% %14.2f %10.3f %9.1f%%\n" "$t" "$m" "$(echo "($m - $base) * 100 / $base" | bc -l)" \
			"$(echo "($m - $base) * 1000000 / $calls" | bc -l)" "$o" "$(echo "($o - $own_base) * 100 / $own_base" | bc -l)"
	done
	rm -f "$dir"/own.*
	unset times
done
