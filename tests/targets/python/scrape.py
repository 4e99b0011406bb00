# A target for ucalls and ustat --metrics under Debian's /usr/bin/python3.11
# (run with -I -S):  scrape.py PORT WAIT_MS CALLS [ustat]
# sleeps WAIT_MS (the tool attaches and serves metrics on PORT), calls
# sonde_known() CALLS times, then reads http://127.0.0.1:PORT/metrics until
# its counter shows them (at most 5 s) and prints the sonde_ucalls lines of
# sonde_known, or with "ustat" the sonde_ustat_calls_total line of its pid.
import os
import sys
import time
import urllib.request


def sonde_known(n):
    return n * 2


port, wait_ms, calls = (int(a) for a in sys.argv[1:4])
ustat = sys.argv[4:] == ["ustat"]
time.sleep(wait_ms / 1000)
for i in range(calls):
    sonde_known(i)
lines = []
deadline = time.monotonic() + 5
while time.monotonic() < deadline:
    try:
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
    except OSError:
        page = ""
    if ustat:
        lines = [l for l in page.splitlines() if l.startswith(f'sonde_ustat_calls_total{{pid="{os.getpid()}"}}')]
        if any(int(l.split()[-1]) >= calls for l in lines):
            break
    else:
        lines = [l for l in page.splitlines() if l.startswith("sonde_ucalls") and 'function="sonde_known"' in l]
        if any(l.endswith(f" {calls}") for l in lines):
            break
    time.sleep(0.2)
print("\n".join(lines))
