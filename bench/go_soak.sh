#!/bin/bash
# Soak: entry and return probes on a Go program under concurrent load, for
# SECS seconds; the target must never crash (no "fatal error", "unexpected
# return pc" or panic) and every return must pair with its entry by goid.
#   bench/go_soak.sh [SECS] [SONDE]      default 60 s, build/sonde
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
sonde=${2:-$root/build/sonde}
srv=$root/build/targets/goserver
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# 40 goroutines on 2 threads, each call growing its stack (main.deep) and yielding
GOMAXPROCS=2 "$sonde" -q -e "
uprobe:$srv:main.*.Mul { @s[goid] = nsecs; }
uretprobe:$srv:main.*.Mul /@s[goid]/ { @pairs = count(); delete(@s[goid]); }
uprobe:$srv:main.deep { @deep_entries = count(); }
uretprobe:$srv:main.deep { @deep_returns = count(); }
interval:s:$secs { exit(); }
END { printf(\"in flight at the end: %d\n\", len(@s)); clear(@s); }" \
	-c "$srv par 40 100000000" >"$out" 2>&1
rc=$?
grep -E "fatal error|unexpected return pc|panic:" "$out" && { echo "FAIL: the Go target crashed"; exit 1; }
grep -E "^@|in flight" "$out"
echo "sonde exit $rc after $secs s; no crash of the target"
