#!/bin/bash
# Attach + detach time of many uprobes. Each run is
#   TOOL -q -e 'uprobe:TARGET:PATTERN { @ = count(); } interval:ms:1 { exit(); }'
# (start, compile, attach, one millisecond, detach, exit), timed from outside;
# medians of interleaved runs, for three ways of attaching:
#   sonde        all of a file's probes in one uprobe_multi link (Linux >= 6.6)
#   sonde-perf   SONDE_UPROBE_PERF=1: sonde's fallback, a perf-event uprobe each
#   bpftrace     0.17: a perf-event uprobe each
# Table 1 probes exactly 100 and 1000 functions of a generated program
# (bench/gen_funcs.sh, built into build/bench/); table 2 libc wildcards, whose
# match counts differ between the tools (see bench/README.md).
#
#   bench/uprobe_attach.sh [SONDE]      (default build/sonde; run as root)
# Env: N=5         runs per tool and row
#      N_SLOW=1    runs of a perf-event tool (sonde-perf, bpftrace) above 200
#                  probes, where one run takes minutes; 0 skips them
#      TIMEOUT=900 seconds allowed per run
#      LIBC=0      skip table 2
#      RAW=1       print every measurement
# Before the timed runs, one validation run per tool and row proves that the
# probes really attach: with -c, the generated program calls each function once,
# so count() must equal the number of probes.
export LC_ALL=C
root=$(cd "$(dirname "$0")/.." && pwd)
sonde=${1:-$root/build/sonde}
N=${N:-5}
N_SLOW=${N_SLOW:-1}
TIMEOUT=${TIMEOUT:-900}
export BPFTRACE_MAX_PROBES=2000
tools="sonde sonde-perf"
command -v bpftrace >/dev/null && tools="$tools bpftrace"

die() { echo "uprobe_attach: $*" >&2; exit 1; }
[ -x "$sonde" ] || die "no sonde binary at $sonde (run make)"
[ "$(id -u)" = 0 ] || die "run as root"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash >= 5 (EPOCHREALTIME)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# A tool as a command line (sonde-perf is sonde with its fallback forced).
cmd() {
	case $1 in
	sonde) echo "$sonde" ;;
	sonde-perf) echo "env SONDE_UPROBE_PERF=1 $sonde" ;;
	bpftrace) echo bpftrace ;;
	esac
}

# The generated program: 1000 functions f0000..f0999, called once each.
gen=$root/build/bench/funcs1000
mkdir -p "$root/build/bench"
"$root/bench/gen_funcs.sh" 1000 >"$gen.c" || die "gen_funcs.sh failed"
cc -O0 -g "$gen.c" -o "$gen" || die "cannot build $gen"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
sec() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# time_run TOOL SPEC → seconds, or "timeout"/"failed"
time_run() {
	local t0 t1 rc
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2046
	timeout -k 30 "$TIMEOUT" $(cmd "$1") -q -e "uprobe:$2 { @ = count(); } interval:ms:1 { exit(); }" \
		>/dev/null 2>"$tmp/err"
	rc=$?
	t1=$EPOCHREALTIME
	if [ $rc = 124 ] || [ $rc = 137 ]; then echo timeout
	elif [ $rc != 0 ]; then echo failed; sed 's/^/    /' "$tmp/err" >&2
	else sec "$t0" "$t1"; fi
}

# validate TOOL SPEC EXPECT: one run under -c, not timed, that proves the
# probes attach. Sets $attached (the tool's own "Attach(ed|ing) N probes") and
# $vtime; dies on an error, a skipped probe, or a count that is not EXPECT.
# With the generated program each function runs once, so count() must be
# EXPECT too; for libc (EXPECT empty), /bin/true runs and any count will do.
validate() {
	local t0 t1 rc got bin=${3:+$gen}
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2046
	timeout -k 30 "$TIMEOUT" $(cmd "$1") -c "${bin:-/bin/true}" -e "uprobe:$2 { @ = count(); }" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	t1=$EPOCHREALTIME
	vtime=$(sec "$t0" "$t1")
	attached=$(sed -nE 's/^Attach(ed|ing) ([0-9]+) probes?.*/\2/p' "$tmp/err" "$tmp/out" | head -1)
	got=$(awk '/^@: / { print $2 }' "$tmp/out")
	# bpftrace 0.17 always complains about RLIMIT_MEMLOCK (memcg accounting makes it moot)
	if [ $rc != 0 ] || grep -v RLIMIT_MEMLOCK "$tmp/err" | grep -qiE 'warning|error|cannot|skipped'; then
		sed 's/^/    /' "$tmp/err" "$tmp/out" >&2
		die "$1 on uprobe:$2: rc $rc, see above"
	fi
	if [ -n "$3" ] && { [ "$attached" != "$3" ] || [ "$got" != "$3" ]; }; then
		die "$1 on uprobe:$2: attached '$attached' probes, count() is '$got', expected $3 for both"
	fi
}

# row TARGET PATTERN [EXPECT]: validate each tool, then time interleaved runs
# and print a line per tool.
row() {
	local spec=$1:$2 expect=$3 n nb tool i v
	local -A runs res probes check why
	n=$("$sonde" -l "uprobe:$spec" | wc -l)
	nb=0
	if [[ $tools == *bpftrace* ]]; then
		nb=$(bpftrace -l "uprobe:$spec" 2>/dev/null | grep -c '^uprobe:')
	fi
	if [ -n "$expect" ]; then
		[ "$n" = "$expect" ] || die "sonde -l 'uprobe:$spec' lists $n functions, expected exactly $expect"
		[[ $tools != *bpftrace* ]] || [ "$nb" = "$expect" ] ||
			die "bpftrace -l 'uprobe:$spec' lists $nb functions, expected exactly $expect"
	fi
	for tool in $tools; do
		runs[$tool]=$N
		case $tool in
		sonde-perf) [ "$n" -gt 200 ] && runs[$tool]=$N_SLOW why[$tool]="not run (N_SLOW=0)" ;;
		bpftrace) [ "$nb" -gt 200 ] && runs[$tool]=$N_SLOW why[$tool]="not run (N_SLOW=0)"
			[ "$nb" = 0 ] && runs[$tool]=0 why[$tool]="not run: bpftrace -l 'uprobe:$spec' fails" ;;
		esac
		[ "${runs[$tool]}" -gt 0 ] || continue
		validate "$tool" "$spec" "$expect"
		probes[$tool]=$attached check[$tool]=$vtime
		[ -n "$RAW" ] && echo "  check $tool $spec: $attached probes in $vtime s" >&2
	done
	for i in $(seq "$N"); do
		for tool in $tools; do
			[ "$i" -le "${runs[$tool]}" ] || continue
			v=$(time_run "$tool" "$spec")
			[ -n "$RAW" ] && echo "  run $i $tool $spec: $v" >&2
			res[$tool]="${res[$tool]} $v"
		done
	done
	local ms="" med lo hi vals
	for tool in $tools; do
		if [ "${runs[$tool]}" = 0 ]; then
			printf '%-8s %-11s %7s %5s  %s\n' "$2" "$tool" - 0 "${why[$tool]}"
			continue
		fi
		vals=$(tr ' ' '\n' <<<"${res[$tool]# }")
		if grep -qv '^[0-9]' <<<"$vals"; then	# a timeout or a failure: no median
			printf '%-8s %-11s %7s %5s %9s  %s\n' "$2" "$tool" "${probes[$tool]}" "${runs[$tool]}" - \
				"$(grep -v '^[0-9]' <<<"$vals" | sort | uniq -c | xargs)"
			continue
		fi
		med=$(median <<<"$vals")
		lo=$(sort -n <<<"$vals" | head -1)
		hi=$(sort -n <<<"$vals" | tail -1)
		[ "$tool" = sonde ] && ms=$med
		printf '%-8s %-11s %7s %5s %9s %9s %9s %9s %9s\n' "$2" "$tool" "${probes[$tool]}" "${runs[$tool]}" \
			"$med" "$lo" "$hi" "${check[$tool]}" \
			"$([ -n "$ms" ] && awk -v a="$med" -v b="$ms" 'BEGIN { printf "%.1fx", a / b }')"
	done
}

header() {
	echo "$1"
	printf '%-8s %-11s %7s %5s %9s %9s %9s %9s %9s\n' pattern tool probes runs 'median s' 'min s' 'max s' 'check s' '/ sonde'
}

echo "uprobe attach+detach: TOOL -q -e 'uprobe:TARGET:PATTERN { @ = count(); } interval:ms:1 { exit(); }'"
echo "wall time per run, interleaved; probes = attached in the check run (-c, untimed)"
echo "$(nproc) CPUs, $(uname -r), $(bpftrace --version 2>/dev/null); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
header "$gen (generated: f0000..f0999)"
row "$gen" 'f00*' 100
row "$gen" 'f0*' 1000
if [ "${LIBC:-1}" = 1 ]; then
	echo
	header "libc (probe counts differ: bpftrace includes local symbols; sonde one probe per address)"
	row libc 'str*'
	row libc '[a-o]*'
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
