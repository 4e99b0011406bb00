#!/bin/sh
# pprof profiles read back by the real consumer: Debian's `go tool pprof`.
# build/pprof-driver writes a profile with known stacks (see
# tests/e2e/pprof_driver.c); its reports are compared in full.
#
# Usage: tests/e2e/pprof.sh [DRIVER]   (default build/pprof-driver)
cd "$(dirname "$0")/../.." || exit 2
driver=${1:-build/pprof-driver}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
# go wants a writable cache and home; keep both out of the user's
export HOME="$tmp" GOCACHE="$tmp/gocache" GOFLAGS=-buildvcs=false
pass=0
fail=0

ok() {
	echo "PASS $1"
	pass=$((pass + 1))
}

bad() {
	echo "FAIL $1"
	fail=$((fail + 1))
}

# check NAME EXPECTED_FILE ACTUAL_FILE
check() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		bad "$1"
		diff -u --label expected --label "go tool pprof" "$2" "$3" | sed 's/^/  /'
	fi
}

pprof() {
	timeout 60 go tool pprof "$@" 2>"$tmp/err"
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

if ! command -v go >/dev/null 2>&1; then
	bad "go tool pprof is missing (install golang-go)"
	finish
fi
if ! timeout 30 "$driver" "$tmp/p.pb.gz"; then
	bad "driver writes the profile"
	finish
fi
ok "driver writes the profile"

# The table's rows: inner hottest at 90%; the kernel frame and the unnamed
# frame (shown as its address) on their own rows; callers by name.
cat >"$tmp/want" <<'EOF'
      flat  flat%   sum%        cum   cum%
     900ms 90.00% 90.00%      900ms 90.00%  inner
      60ms  6.00% 96.00%       60ms  6.00%  ksys_write
      40ms  4.00%   100%       40ms  4.00%  0x401abc
         0     0%   100%     1000ms   100%  main
         0     0%   100%      900ms 90.00%  middle
         0     0%   100%      100ms 10.00%  other
         0     0%   100%      900ms 90.00%  outer
EOF
pprof -top "$tmp/p.pb.gz" >"$tmp/top"
sed -n '/flat%/,$p' "$tmp/top" >"$tmp/got"
check "-top: inner is the hottest, 900ms of 1000ms of CPU" "$tmp/want" "$tmp/got"

if grep -qx 'Type: cpu' "$tmp/top" && grep -qx 'File: demo' "$tmp/top" &&
	grep -q '^Duration: 1s, Total samples = 1000ms' "$tmp/top"; then
	ok "-top header: type cpu (the default), main file demo, duration 1s"
else
	bad "-top header: type cpu (the default), main file demo, duration 1s"
	sed 's/^/  /' "$tmp/top" "$tmp/err"
fi

cat >"$tmp/want" <<'EOF'
      flat  flat%   sum%        cum   cum%
        90 90.00% 90.00%         90 90.00%  inner
         6  6.00% 96.00%          6  6.00%  ksys_write
         4  4.00%   100%          4  4.00%  0x401abc
         0     0%   100%        100   100%  main
         0     0%   100%         90 90.00%  middle
         0     0%   100%         10 10.00%  other
         0     0%   100%         90 90.00%  outer
EOF
pprof -sample_index=samples -top "$tmp/p.pb.gz" | sed -n '/flat%/,$p' >"$tmp/got"
check "-sample_index=samples -top: counts 90, 6, 4" "$tmp/want" "$tmp/got"

# Stacks leaf first, as added; the two parts of the hot stack are one trace;
# labels only where the sample has them.
cat >"$tmp/want" <<'EOF'
-----------+-------------------------------------------------------
      comm:  demo
       pid:  42
     900ms   inner
             middle
             outer
             main
-----------+-------------------------------------------------------
      comm:  demo
       pid:  42
      60ms   ksys_write
             other
             main
-----------+-------------------------------------------------------
      40ms   0x401abc
             other
             main
-----------+-------------------------------------------------------
EOF
pprof -traces "$tmp/p.pb.gz" | sed -n '/^-----/,$p' >"$tmp/got"
check "-traces: the stacks in order, with pid and comm labels" "$tmp/want" "$tmp/got"

# Sample types, period, and the deduplicated tables: 9 locations (main's
# two call sites are two), 2 mappings, both with function names. (pprof
# merges the two samples of the hot stack as it reads them.)
cat >"$tmp/want" <<'EOF'
PeriodType: cpu nanoseconds
Period: 10000000
Duration: 1s
Samples:
samples/count cpu/nanoseconds[dflt]
         90  900000000: 1 2 3 4 
                comm:[demo]
                pid:[42]
          6   60000000: 5 6 7 
                comm:[demo]
                pid:[42]
          4   40000000: 8 9 7 
Locations
     1: 0x401100 M=1 inner :0 s=0
     2: 0x401200 M=1 middle :0 s=0
     3: 0x401300 M=1 outer :0 s=0
     4: 0x401400 M=1 main :0 s=0
     5: 0xffffffff81234567 M=2 ksys_write :0 s=0
     6: 0x401500 M=1 other :0 s=0
     7: 0x401410 M=1 main :0 s=0
     8: 0x401abc M=1 0x401abc :0 s=0
     9: 0x401510 M=1 other :0 s=0
Mappings
1: 0x400000/0x480000/0x0 /opt/sonde-test/demo  [FN]
2: 0x0/0x0/0x0 [kernel.kallsyms]  [FN]
EOF
pprof -raw "$tmp/p.pb.gz" | grep -v '^Time:' >"$tmp/got"
check "-raw: sample types, period, locations, mappings" "$tmp/want" "$tmp/got"

# A large profile: 5000 stacks of 127 frames from 20000 functions. Every
# sample's count is kept (sum of 1 + i % 7 = 19995), locations are one per
# function, and the file stays small.
if timeout 120 "$driver" --bench 5000 127 "$tmp/big.pb.gz" >"$tmp/bench"; then
	pprof -sample_index=samples -raw "$tmp/big.pb.gz" >"$tmp/raw"
	total=$(awk '/^Samples:/ { s = 1; next } /^Locations/ { s = 0 } s && /^ *[0-9]+ +[0-9]+:/ { t += $1 } END { print t }' "$tmp/raw")
	locs=$(awk '/^Locations/ { s = 1; next } /^Mappings/ { s = 0 } s { n++ } END { print n }' "$tmp/raw")
	size=$(wc -c <"$tmp/big.pb.gz")
	if [ "$total" = 19995 ] && [ "$locs" = 20000 ] && [ "$size" -lt 4000000 ]; then
		ok "large profile: $(cat "$tmp/bench"); $size bytes"
	else
		bad "large profile: total $total (want 19995), $locs locations (want 20000), $size bytes"
		head -5 "$tmp/err" | sed 's/^/  /'
	fi
else
	bad "large profile: the driver failed"
fi

# Errors come back as -1 with errno, reported by the caller.
if "$driver" "$tmp/no/such/dir/p.pb.gz" 2>"$tmp/err"; then
	bad "an unwritable path fails"
elif grep -q 'No such file or directory' "$tmp/err"; then
	ok "an unwritable path fails with ENOENT"
else
	bad "an unwritable path fails with ENOENT"
	sed 's/^/  /' "$tmp/err"
fi

finish
