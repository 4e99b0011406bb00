"""sonde's stdout is a pipe whose reader stops reading, then sonde gets SIGINT.

  python3 tests/run/scripts/stalled_pipe.py SONDE N [never]

The traced program (build/targets/sysload getppid N) makes exactly N
getppid() calls; each prints one numbered line. The reader reads 64 KiB,
stops until sonde has been sent SIGINT (1.5 s after start), waits 1 s more,
then reads everything. Prints `printed=P lost=L sent=N torn=T rc=R`: every
record must be printed whole or counted in "Lost N events" (P + L == N,
T == 0 lines cut or out of form). Exits 0 when that holds.

With `never`, the reader never reads again: the first SIGINT leaves sonde
blocked writing a record, a second one (1 s later) must end it at once.
Prints `second SIGINT ended sonde: rc=R` and exits 0 when it did within 5 s.
"""
import os
import re
import signal
import subprocess
import sys
import time

sonde, n = sys.argv[1], int(sys.argv[2])
prog = ('tracepoint:syscalls:sys_enter_getppid /pid == cpid/ '
        '{ printf("event %d padding padding padding padding padding padding\\n", @n); @n++; } '
        'END { clear(@n); }')
r, w = os.pipe()
p = subprocess.Popen([sonde, "-q", "-e", prog, "-c", f"build/targets/sysload getppid {n}"],
                     stdout=w, stderr=subprocess.PIPE)
os.close(w)
got = os.read(r, 65536)
time.sleep(1.5)
p.send_signal(signal.SIGINT)
if sys.argv[3:] == ["never"]:
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        print("sonde still ran 5 s after a second SIGINT")
        sys.exit(1)
    os.close(r)
    p.stderr.close()
    print(f"second SIGINT ended sonde: rc={p.returncode}")
    sys.exit(0 if p.returncode == -signal.SIGINT else 1)
time.sleep(1.0)
chunks = [got]
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    b = os.read(r, 1 << 20)
    if not b:
        break
    chunks.append(b)
os.close(r)
try:
    err = p.communicate(timeout=10)[1].decode(errors="replace")
except subprocess.TimeoutExpired:
    p.kill()
    err = p.communicate()[1].decode(errors="replace")
text = b"".join(chunks).decode(errors="replace")
lines = [l for l in text.split("\n")[:-1] if l]
good = [l for l in lines if re.fullmatch(r"event \d+ padding padding padding padding padding padding", l)]
torn = len(lines) - len(good) + (0 if text.endswith("\n") or not text else 1)
m = re.search(r"Lost (\d+) events", err)
lost = int(m.group(1)) if m else 0
print(f"printed={len(good)} lost={lost} sent={n} torn={torn} rc={p.returncode}")
if len(good) + lost != n or torn:
    print(err[-2000:], [l for l in lines if l not in good][:5], file=sys.stderr)
    sys.exit(1)
