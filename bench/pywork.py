# The Python work of bench/profile_overhead.py --python: `pywork.py work N`
# runs N units of top → mid → leaf (pure Python arithmetic) and prints its
# own CPU time per unit (time.process_time_ns: the sampling interrupt's time
# on its behalf counts) to stderr, as build/targets/stacks does.
import sys
import time


def leaf(n):
    t = 0
    for i in range(n):
        t += i * i
    return t


def mid(n):
    return leaf(n) + 1


def top(units):
    s = 0
    for _ in range(units):
        s += mid(200)
    return s


units = int(sys.argv[2])
t0 = time.process_time_ns()
top(units)
print(f"cpu_ns_per_unit {(time.process_time_ns() - t0) / units:.1f}", file=sys.stderr)
