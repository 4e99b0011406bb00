#!/bin/sh
# Regenerate tests/diff/*.expected from bpftrace (0.17 here) via normalise.py.
# Usage: tests/diff/regen.sh [BPFTRACE]   (default: bpftrace on $PATH)
# A script that makes bpftrace exit non-zero or print an ERROR keeps its old
# .expected and is reported.
dir=$(cd "$(dirname "$0")" && pwd)
bt=${1:-bpftrace}
if ! command -v "$bt" >/dev/null 2>&1; then
	echo "regen: $bt not found, skipping" >&2
	exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
bad=0
for f in "$dir"/*.bt; do
	name=$(basename "$f" .bt)
	args=""
	[ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
	# Run without -q on purpose: normalise.py drops the "Attaching" line.
	# shellcheck disable=SC2086
	timeout 10 "$bt" "$f" $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# (0.17 always prints "ERROR: ... couldn't set RLIMIT_MEMLOCK ..."; harmless)
	if [ $rc -ne 0 ] || grep -v RLIMIT_MEMLOCK "$tmp/err" | grep -q ERROR; then
		echo "regen: $name: bpftrace failed (rc=$rc):" >&2
		grep -v RLIMIT_MEMLOCK "$tmp/err" >&2
		bad=$((bad + 1))
		continue
	fi
	python3 "$dir/normalise.py" <"$tmp/out" >"$dir/$name.expected"
	echo "regen: $name"
done
[ $bad -eq 0 ]
