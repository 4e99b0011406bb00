#!/usr/bin/env python3
"""One connect to a loopback port nobody listens on (taken free, then let go): refused.

Prints the port, then the error. Bounded in time.
"""
import socket
import time

time.sleep(0.3)
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
print(port, flush=True)
s = socket.socket()
try:
    s.connect(("127.0.0.1", port))
except OSError as e:
    print(e.strerror, flush=True)
