# os.getppid() twice, 300 ms apart, under two Python frames: the first
# stack has sonde load the tables, the second is walked by CFI.
import os
import time


def inner():
    return os.getppid()


def outer():
    return inner()


outer()
time.sleep(0.3)
outer()
