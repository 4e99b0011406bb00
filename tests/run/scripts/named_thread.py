"""A thread named worker-thr (prctl PR_SET_NAME) makes one getppid() call; the process is python3.11."""
import ctypes
import os
import threading
import time

time.sleep(0.3)


def work():
    ctypes.CDLL(None).prctl(15, b"worker-thr", 0, 0, 0)
    os.getppid()


t = threading.Thread(target=work)
t.start()
t.join()
