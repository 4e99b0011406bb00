# A target for USDT tests under Debian's /usr/bin/python3.11 (run with -I -S):
#   counts.py K M L    K collections of generation 1 (gc.collect(1)), with
#                      automatic collection disabled first so that no other
#                      generation-1 collection happens; M imports of modules
#                      sonde_gen_0 ... sonde_gen_<M-1> written to a fresh
#                      temporary directory (each found and loaded once, by
#                      __import__ as the import statement does);
#                      L calls of sonde_known(), which returns on line 15
# It prints "K M L <sum>" at the end.
import gc
gc.disable()


def sonde_known(n):
    return n * 2


import os
import shutil
import sys
import tempfile

k, m, calls = (int(a) for a in sys.argv[1:4])
sys.dont_write_bytecode = True
tmp = tempfile.mkdtemp(prefix="sonde-py-")
try:
    for i in range(m):
        with open(os.path.join(tmp, f"sonde_gen_{i}.py"), "w") as f:
            f.write(f"VALUE = {i}\n")
    sys.path.insert(0, tmp)
    # __import__, as the import statement does: importlib.import_module() does
    # not pass the C import function that fires import__find__load__start
    total = sum(__import__(f"sonde_gen_{i}").VALUE for i in range(m))
    for _ in range(k):
        gc.collect(1)
    total += sum(sonde_known(i) for i in range(calls))
finally:
    shutil.rmtree(tmp)
print(k, m, calls, total)
