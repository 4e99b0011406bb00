# sonde — build with `make`, test with `make check`.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Isrc -Ibuild/gen -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-missing-field-initializers
LIBS    := -lbpf -lelf -lz -ldw -lsystemd -lyaml -pthread
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
DEFS    := -DSONDE_VERSION='"$(VERSION)"'

SRCS    := $(sort $(wildcard src/*/*.c))
MAIN    := src/main.c
OBJS    := $(SRCS:src/%.c=build/obj/%.o)
AOBJS   := $(SRCS:src/%.c=build/asan/%.o)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT    := $(sort $(wildcard tests/unit/*.c))

all: build/sonde

# System call numbers from the kernel's uapi headers (linux-libc-dev), for
# lowering syscalls:sys_enter_* to one raw_syscalls probe.
build/gen/syscall_nrs.h:
	@mkdir -p $(dir $@)
	echo '#include <asm/unistd.h>' | $(CC) -dM -E -x c - | \
		awk '/^#define __NR_[a-z0-9_]+ [0-9]+$$/ { printf "{ \"%s\", %s },\n", substr($$2, 6), $$3 }' > $@

build/obj/probe/syscalls.o build/asan/probe/syscalls.o: build/gen/syscall_nrs.h
build/obj/tools/strace_decode.o build/asan/tools/strace_decode.o: build/gen/syscall_nrs.h

# The flame graph's script, kept as a plain .js file, as a C string.
build/gen/flamegraph_js.h: src/out/flamegraph.js
	@mkdir -p $(dir $@)
	{ echo 'static const char flamegraph_js[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$$/\\n"/' $<; echo ';'; } > $@

build/obj/out/flamegraph.o build/asan/out/flamegraph.o: build/gen/flamegraph_js.h

build/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(WARN) $(DEFS) -c $< -o $@

build/asan/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC-SAN  $<"
	@$(CC) -O1 -g $(SAN) $(WARN) $(DEFS) -c $< -o $@

build/sonde: $(OBJS) $(MAIN)
	$(CC) $(CFLAGS) $(WARN) $(DEFS) $(MAIN) $(OBJS) $(LIBS) -o $@

# The test build: AddressSanitizer + UBSan.
build/sonde-asan: $(AOBJS) $(MAIN)
	$(CC) -O1 -g $(SAN) $(WARN) $(DEFS) $(MAIN) $(AOBJS) $(LIBS) -o $@

build/unit-tests: $(AOBJS) $(UNIT) $(wildcard tests/unit/*.h)
	$(CC) -O1 -g $(SAN) $(WARN) -Isrc $(UNIT) $(AOBJS) $(LIBS) -o $@

# JIT frames end to end: a real Node.js writes its perf map, usym names its code (needs nodejs)
build/e2e-jit: $(AOBJS) tests/e2e/jit_node.c tests/unit/main.c tests/unit/test.h
	$(CC) -O1 -g $(SAN) $(WARN) -Isrc -Itests/unit tests/unit/main.c tests/e2e/jit_node.c $(AOBJS) $(LIBS) -o $@

# Writes known pprof profiles for tests/e2e/pprof.sh to check with `go tool pprof`.
build/pprof-driver: $(AOBJS) tests/e2e/pprof_driver.c
	$(CC) -O1 -g $(SAN) $(WARN) -Isrc tests/e2e/pprof_driver.c $(AOBJS) $(LIBS) -o $@

# Fuzz harness (libFuzzer): lexer + parser + semantic checks.
build/fuzz-parse: $(SRCS) tests/fuzz/fuzz_parse.c build/gen/syscall_nrs.h build/gen/flamegraph_js.h
	clang -O1 -g -fsanitize=fuzzer,address,undefined $(WARN) -Isrc $(DEFS) tests/fuzz/fuzz_parse.c $(SRCS) $(LIBS) -o $@

# Fuzz harness (libFuzzer): PromQL parse, split, print, and the printed text read back.
build/fuzz-promql: $(wildcard src/promql/*.c src/promql/*.h) src/lang/diag.c src/util/util.c tests/fuzz/fuzz_promql.c
	clang -O1 -g -fsanitize=fuzzer,address,undefined $(WARN) -Isrc tests/fuzz/fuzz_promql.c $(filter-out src/promql/cmd.c src/promql/rules.c,$(wildcard src/promql/*.c)) src/lang/diag.c src/util/util.c -o $@

# Processes the end-to-end tests trace.
build/targets/%: tests/targets/%.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fno-omit-frame-pointer $(WARN) $< -o $@

# uprobe targets: every call a real call
build/targets/funcs: tests/targets/funcs.c
	@mkdir -p $(dir $@)
	$(CC) -O0 -g -fno-inline -fno-omit-frame-pointer $(WARN) $< -o $@

# harm checks libc's answers: every libc call a real call, none folded by the compiler
build/targets/harm: tests/targets/harm.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fno-builtin -fno-omit-frame-pointer $(WARN) $< -o $@

# the same at fixed addresses (non-PIE): file offsets differ from addresses
build/targets/funcs-nopie: tests/targets/funcs.c
	@mkdir -p $(dir $@)
	$(CC) -O0 -g -fno-inline -fno-omit-frame-pointer -fno-pie -no-pie $(WARN) $< -o $@

# probes outside the main program: a shared library (a function, a recursive
# function, a struct argument, USDT probes with semaphores) and a program that
# finds it next to itself through its rpath $ORIGIN
build/targets/libprobes.so: tests/targets/libprobes.c tests/targets/libprobes.h
	@mkdir -p $(dir $@)
	$(CC) -O0 -g -fPIC -shared -fno-inline -fno-omit-frame-pointer $(WARN) $< -o $@

build/targets/uselib: tests/targets/uselib.c tests/targets/libprobes.h build/targets/libprobes.so
	@mkdir -p $(dir $@)
	$(CC) -O0 -g -fno-inline -fno-omit-frame-pointer $(WARN) $< -Lbuild/targets -lprobes -Wl,-rpath,'$$ORIGIN' -o $@

# C++ names for usym() to demangle: a namespaced method, a template, an overload
build/targets/cxx: tests/targets/cxx.cpp
	@mkdir -p $(dir $@)
	$(CXX) -O0 -g -fno-omit-frame-pointer -fno-inline -Wall -Wextra -Werror $< -o $@

# a Go service shaped like the rpcx example (Debian's golang-go), and its stripped build
GO_ENV := GOCACHE=$(CURDIR)/build/gocache GOPATH=$(CURDIR)/build/gopath GOFLAGS=-buildvcs=false
build/targets/goserver: tests/targets/go/server.go tests/targets/go/go.mod
	@mkdir -p $(dir $@)
	cd tests/targets/go && $(GO_ENV) go build -o $(CURDIR)/$@ .

build/targets/goserver-stripped: tests/targets/go/server.go tests/targets/go/go.mod
	@mkdir -p $(dir $@)
	cd tests/targets/go && $(GO_ENV) go build -ldflags='-s -w' -o $(CURDIR)/$@ .

# the stack target as distributions build code: without frame pointers
build/targets/stacks-nofp: tests/targets/stacks.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fomit-frame-pointer $(WARN) $< -o $@

# the CFI unwinder's target: as distributions build code, no frame pointers
build/targets/unwind: tests/targets/unwind.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fomit-frame-pointer $(WARN) $< -o $@

# CPython embedded: the python:* USDT notes live in the libpython it maps
build/targets/pyembed: tests/targets/pyembed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fno-omit-frame-pointer $(WARN) $$(python3.11-config --includes) $< -lpython3.11 -o $@

# the same without asynchronous unwind tables: its code's CFI is in .debug_frame
# (-g), only crt's _start and the PLT keep .eh_frame
build/targets/unwind-debugframe: tests/targets/unwind.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fomit-frame-pointer -fno-asynchronous-unwind-tables $(WARN) $< -o $@

# a library the unwinder's target loads with dlopen, after sonde has read its mappings
build/targets/libunwind-dl.so: tests/targets/unwind_lib.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fPIC -shared -fomit-frame-pointer $(WARN) $< -o $@

# its C++ twin: a virtual call, a template, std::sort's lambda, a try block on the chain
build/targets/unwind-cxx: tests/targets/unwind_cxx.cpp
	@mkdir -p $(dir $@)
	$(CXX) -O2 -g -fomit-frame-pointer -Wall -Wextra -Werror $< -o $@

TARGETS := $(patsubst tests/targets/%.c,build/targets/%,$(filter-out tests/targets/libprobes.c tests/targets/unwind_lib.c,$(wildcard tests/targets/*.c))) \
	build/targets/libprobes.so build/targets/funcs-nopie build/targets/stacks-nofp build/targets/cxx build/targets/unwind-cxx build/targets/unwind-debugframe build/targets/libunwind-dl.so build/targets/goserver build/targets/goserver-stripped

check: build/sonde build/sonde-asan build/unit-tests build/e2e-jit build/pprof-driver $(TARGETS)
	tests/run-all.sh

clean:
	rm -rf build

.PHONY: all check clean

# The README's first command: run the bundled demo.
demo: build/sonde build/targets/sysload
	build/sonde -c "build/targets/sysload demo" examples/demo.bt
.PHONY: demo
