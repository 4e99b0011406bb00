# garble_eh_frame.py IN OUT MODE: OUT is IN with
#   MODE frames: its .eh_frame (past the first CIE's start) overwritten by pseudo-random bytes;
#   MODE count:  .eh_frame_hdr's FDE count set far past the section's end;
#   MODE debug:  the second half of its .debug_frame overwritten by pseudo-random bytes.
import random, struct, subprocess, sys
src, dst, mode = sys.argv[1], sys.argv[2], sys.argv[3]
data = bytearray(open(src, "rb").read())
for line in subprocess.run(["readelf", "-SW", src], capture_output=True, text=True).stdout.splitlines():
    f = line.replace("[ ", "[").split()
    if len(f) > 5 and f[1] in (".eh_frame", ".eh_frame_hdr", ".debug_frame"):
        off, size = int(f[4], 16), int(f[5], 16)
        if (f[1], mode) in ((".eh_frame", "frames"), (".debug_frame", "debug")):
            rnd, start = random.Random(16), size // 2 if mode == "debug" else 16
            data[off + start:off + size] = bytes(rnd.randrange(256) for _ in range(size - start))
        elif f[1] == ".eh_frame_hdr" and mode == "count":
            data[off + 8:off + 12] = struct.pack("<I", 0x7fffffff)
open(dst, "wb").write(data)
