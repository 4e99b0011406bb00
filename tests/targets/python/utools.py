# A target for the u* tools (ucalls, uflow, ustat, ugc) under Debian's
# /usr/bin/python3.11, run with -I -S:
#   utools.py WAIT_MS CALLS SLOW GCS [SPIN_S]
# sleeps WAIT_MS (the tool attaches with -p meanwhile), then calls
# sonde_known() CALLS times, sonde_slow() (a 10 ms nap) SLOW times,
# sonde_top() -> sonde_mid() -> sonde_leaf() once, os.getppid() CALLS times,
# gc.collect() GCS times (automatic collection off), and with SPIN_S keeps
# calling sonde_known() for that long. It checks its own results and prints
# "ok CALLS SLOW GCS" (a traced run must compute what an untraced one does),
# then with SPIN_S "spun N": the calls made while spinning.
import gc
import os
import sys
import time

gc.disable()


def sonde_known(n):
    return n * 2


def sonde_slow():
    time.sleep(0.01)


def sonde_leaf(n):
    return n + 1


def sonde_mid(n):
    return sonde_leaf(n) * 3


def sonde_top(n):
    return sonde_mid(n) - 1


wait_ms, calls, slow, gcs = (int(a) for a in sys.argv[1:5])
spin = float(sys.argv[5]) if len(sys.argv) > 5 else 0
time.sleep(wait_ms / 1000)
total = 0
for i in range(calls):
    total += sonde_known(i)
for _ in range(slow):
    sonde_slow()
chain = sonde_top(4)
ppid = os.getppid()
for _ in range(calls):
    if os.getppid() != ppid:
        sys.exit("getppid changed")
for _ in range(gcs):
    gc.collect()
deadline = time.monotonic() + spin
spun = 0
while time.monotonic() < deadline:
    for i in range(1000):
        total += sonde_known(i) - 2 * i
    spun += 1000
if total != calls * (calls - 1) or chain != 14:
    sys.exit(f"wrong results: {total} {chain}")
print("ok", calls, slow, gcs)
if spin:
    print("spun", spun)
