# Off-CPU time in Python (python_stacks.t): rest → nap sleeps 10 ms at a time for SECONDS: naps.py SECONDS
import sys
import time


def nap():
    time.sleep(0.01)


def rest(deadline):
    while time.time() < deadline:
        nap()


rest(time.time() + float(sys.argv[1]))
time.sleep(0.5)
