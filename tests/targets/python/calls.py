# A target for USDT tests under Debian's /usr/bin/python3.11: 1000 calls of f(), two collections.
import gc
def f(n):
    return n + 1
for i in range(1000):
    f(i)
gc.collect()
gc.collect()
