# Python frames in stacks (python_stacks.t): top → mid → leaf burning CPU for
# SECONDS, then a check of its own result (the harm test), then a pause so
# sonde can read the code objects while the process lives: chain.py SECONDS
import sys
import time


def leaf(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def mid(n):
    return leaf(n) + 1


def top(deadline):
    runs = 0
    while time.time() < deadline:
        if mid(20000) != 19999 * 20000 * 39999 // 6 + 1:
            print("WRONG")
            sys.exit(1)
        runs += 1
    return runs


print("pid", __import__("os").getpid(), "tid", __import__("threading").get_native_id(), flush=True)
print("runs", top(time.time() + float(sys.argv[1])) > 0, flush=True)
time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 0.5)
