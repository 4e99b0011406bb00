#!/bin/sh
# Debian packages sonde needs to build and test (run as root on Debian 12).
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# build: compiler (gcc; g++ for the C++ targets), libbpf (BPF syscalls, maps, ring buffer), libelf (ELF symbols; libbpf too),
#        libdw (DWARF: uprobe args.NAME and -lv parameters), zlib (libbpf; CRC-32 of .gnu_debuglink files), capstone (x86 instruction boundaries for uprobe FUNC+OFFSET),
#        libsystemd (tcpstates -Y: entries for the systemd journal),
#        libyaml (sonde promql split --rules reads Prometheus rules files),
#        libmicrohttpd (the HTTP server of --metrics, opened with dlopen)
# test:  python3 (test runners; python3.11's USDT probes), clang (libFuzzer harness),
#        systemtap-sdt-dev (<sys/sdt.h> for the USDT target), golang-go (the Go target),
#        bpftool (the SIGKILL cleanup test lists links and programs), bpftrace (differential tests only), nodejs (a JIT writing its perf map, for usym's JIT frames),
#        chromium (runs the flame graph SVG's script headless: zoom, search, URL state),
#        binutils via build-essential (strip, objcopy: stripped targets and their debug files),
#        nftables (nft: packet loss in a test's own network namespace, for tcpretrans), iproute2 (ip netns),
#        prometheus (promtool check rules: every side sonde promql split prints must be valid PromQL; scrapes --metrics in metrics.t,
#        promtool checks the pages), curl (fetches pages in metrics.t),
#        linux-perf (perf stat: the reference sonde stat's numbers are checked against),
#        gdb (unwind.t compares user stacks with gdb's frames of the same stopped process),
#        python3.11-dev (CPython 3.11's headers: python_stacks.t checks sonde's struct offsets against them;
#        libpython3.11 for the embedding target of pytools.t)
apt-get install -y -qq build-essential g++ pkg-config libbpf-dev libelf-dev libdw-dev zlib1g-dev libcapstone-dev libsystemd-dev libyaml-dev \
	libmicrohttpd-dev python3 clang systemtap-sdt-dev golang-go bpftool bpftrace nodejs chromium nftables iproute2 prometheus curl \
	linux-perf gdb python3.11-dev >/dev/null
