#!/bin/sh
# Replays the fuzz corpus through the harness (no new inputs): every file must
# parse and check without a crash, a leak or a hang.
cd "$(dirname "$0")/../.." || exit 1
if ! command -v clang >/dev/null; then
	echo "clang missing: fuzz replay skipped"
	echo "0 passed, 0 failed"
	exit 0
fi
make -s build/fuzz-parse >/dev/null 2>&1 || { echo "cannot build the fuzz harness"; echo "0 passed, 1 failed"; exit 1; }
n=$(ls tests/fuzz/corpus | wc -l)
if build/fuzz-parse -runs=0 -timeout=10 tests/fuzz/corpus >/tmp/sonde-fuzz-replay.log 2>&1; then
	echo "replayed $n corpus inputs"
	echo "$n passed, 0 failed"
else
	tail -30 /tmp/sonde-fuzz-replay.log
	echo "0 passed, $n failed"
	exit 1
fi
