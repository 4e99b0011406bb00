#!/bin/sh
# The whole test suite: unit, run (real BPF programs under ASan+UBSan),
# differential (vs bpftrace's layouts), fuzz corpus replay, flame graphs in
# headless Chromium. Needs root.
cd "$(dirname "$0")/.." || exit 1
total_pass=0
total_fail=0
log=$(mktemp)

suite() {
	name=$1
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	if [ -z "$line" ]; then
		echo "$name: no result line; counted as one failure"
		total_fail=$((total_fail + 1))
		return
	fi
	p=$(echo "$line" | cut -d' ' -f1)
	f=$(echo "$line" | cut -d' ' -f3)
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

# Programs the tests call, each installed by scripts/install-deps.sh: a missing
# one is named here, not discovered deep inside a check.
missing=""
for prog in python3 /usr/bin/python3.11 bpftool bpftrace go node chromium clang objcopy strip setpriv nft ip gdb g++ setarch; do
	command -v "$prog" >/dev/null 2>&1 || [ -x "/usr/sbin/$prog" ] || missing="$missing $prog"
done
if [ -n "$missing" ]; then
	echo "MISSING:$missing (scripts/install-deps.sh installs them); counted as one failure each"
	total_fail=$(echo "$missing" | wc -w)
fi

suite unit build/unit-tests
# JIT frames named through a real Node.js's perf map
suite jit build/e2e-jit
suite pprof tests/e2e/pprof.sh
suite run python3 tests/run/runner.py build/sonde-asan
# again with slots forced into the per-CPU scratch map instead of the stack
suite run-scratch env SONDE_STACK_BUDGET=8 python3 tests/run/runner.py build/sonde
# sonde flamegraph: the SVG, and its script in headless Chromium
if command -v chromium >/dev/null 2>&1; then
	suite flamegraph python3 tests/e2e/flamegraph.py build/sonde-asan
else
	echo "== flamegraph: not run, chromium is missing (scripts/install-deps.sh installs it); counted as one failure"
	total_fail=$((total_fail + 1))
fi
if [ -x tests/diff/run.sh ]; then
	suite diff tests/diff/run.sh build/sonde
fi
if [ -x tests/fuzz/replay.sh ]; then
	suite fuzz tests/fuzz/replay.sh
fi
rm -f "$log"
echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
