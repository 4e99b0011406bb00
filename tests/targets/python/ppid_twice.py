# os.getppid() twice, a second apart, under two Python frames: the first
# stack has sonde load the tables (python3.11's 65k rows take a while on a
# busy machine under ASan), the second is walked by CFI.
import os
import time


def inner():
    return os.getppid()


def outer():
    return inner()


outer()
time.sleep(1.0)
outer()
