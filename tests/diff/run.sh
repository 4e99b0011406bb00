#!/bin/sh
# Differential test: run every tests/diff/*.bt with sonde and with Debian's
# bpftrace, and compare stdout after normalise.py turns bpftrace 0.17's layout
# into the newer one sonde prints. Without bpftrace (or with DIFF_OFFLINE=1)
# the committed .expected files (the same normalised output) stand in.
#
# Usage: tests/diff/run.sh SONDE_BINARY [NAME_SUBSTRING...]
#
# Each script runs as `SONDE_BINARY -q FILE [ARGS]` with a 10 s timeout, where
# ARGS are the positional parameters in NAME.args if that file exists.  A test
# fails when stdout differs (a unified diff is shown) or when sonde exits
# non-zero / times out (bpftrace exits 0 on every script).
#
# Rules for new scripts (normalise.py depends on them): only BEGIN/END probes,
# end with exit(); every printf ends its line with "\n"; never print a blank
# line; never print() an empty map; no ties in map sort order; nothing
# nondeterministic (pid, comm, nsecs, cpu, rand, time); no map writes after an
# asynchronous print()/clear()/zero() of the same map.
dir=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ]; then
	echo "usage: $0 SONDE_BINARY [NAME_SUBSTRING...]" >&2
	exit 2
fi
sonde=$1
case $sonde in
*/*) [ -x "$sonde" ] && sonde=$(cd "$(dirname "$sonde")" && pwd)/$(basename "$sonde") ;;
*) sonde=$(command -v "$sonde") ;;
esac
if [ -z "$sonde" ] || [ ! -x "$sonde" ] || [ -d "$sonde" ]; then
	echo "run.sh: $1 is not an executable file" >&2
	exit 2
fi
shift
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
for f in "$dir"/*.bt; do
	name=$(basename "$f" .bt)
	if [ $# -gt 0 ]; then
		want=0
		for pat in "$@"; do
			case $name in *"$pat"*) want=1 ;; esac
		done
		[ $want -eq 1 ] || continue
	fi
	args=""
	[ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
	expected=$dir/$name.expected
	if [ -z "$DIFF_OFFLINE" ] && command -v bpftrace >/dev/null 2>&1; then
		# shellcheck disable=SC2086
		timeout 10 bpftrace "$f" $args 2>/dev/null </dev/null >"$tmp/raw"
		btrc=$?
		python3 "$dir/normalise.py" <"$tmp/raw" >"$tmp/bt"
		if [ $btrc -ne 0 ] || [ ! -s "$tmp/raw" ]; then
			echo "NOTE $name: bpftrace failed here (status $btrc); comparing with $name.expected"
		else
			if ! cmp -s "$tmp/bt" "$expected"; then
				echo "NOTE $name: bpftrace's output differs from $name.expected (run regen.sh)"
			fi
			expected=$tmp/bt
		fi
	fi
	# shellcheck disable=SC2086
	timeout 10 "$sonde" -q "$f" $args >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$expected" "$tmp/out"; then
		echo "PASS $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name"
		if [ $rc -eq 124 ]; then
			echo "  timed out after 10 s"
		elif [ $rc -ne 0 ]; then
			echo "  exit status $rc; stderr:"
			head -n 20 "$tmp/err" | sed 's/^/  /'
		fi
		diff -u --label "$name (bpftrace, normalised)" --label "$name (sonde)" \
			"$expected" "$tmp/out"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
