#!/bin/sh
# Runs CMD in a mount namespace of its own whose /run/systemd/journal is an
# empty tmpfs with a datagram socket this script reads, then prints each
# entry it got (its fields, one per line, then a blank line) into OUT.
# journald, if the machine runs one, never sees these entries.
#   fake_journal.sh OUT CMD [ARG...]
set -eu
out=$1
shift
exec unshare -m --propagation private sh -eu -c '
out=$1; shift
mkdir -p /run/systemd/journal
mount -t tmpfs sonde-test /run/systemd/journal
timeout 30 python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(\"/run/systemd/journal/socket\")
s.settimeout(30)
with open(sys.argv[1], \"w\") as f:
    print(\"ready\", file=f, flush=True)
    while True:
        d = s.recv(65536)
        if d == b\"sonde-fake-journal-end\": break
        f.write(d.decode(errors=\"replace\") + \"\n\"); f.flush()
" "$out" &
reader=$!
for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
rc=0
"$@" || rc=$?
python3 -c "import socket; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b\"sonde-fake-journal-end\", \"/run/systemd/journal/socket\")"
wait $reader
exit $rc
' fake_journal "$out" "$@"
