# docket - complaint and report case handling on a git-backed store.
#
#   make            build ./docket
#   make check      install missing build packages, build, run every test
#   make demo       build, then walk through docket on a throw-away store
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      benchmarks (not part of check)
#   make asan       the test suite built with AddressSanitizer + UBSan
#   make stress     1000 randomized kill -9 trials (not part of check)
#   make fuzz       libFuzzer targets, FUZZ_TIME seconds (300) or FUZZ_RUNS
#                   runs each; fuzz-smoke (5 s each) is part of check
#   make valgrind   unit and CLI tests under valgrind memcheck

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/docket

CC ?= cc
PKGS = yaml-0.1 libgit2 jansson libcrypto
CFLAGS ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Iinclude \
	-DDOCKET_DATADIR='"$(DATADIR)"' \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LDLIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC = $(wildcard src/*.c)
LIB_SRC := $(filter-out src/main.c,$(LIB_SRC))
CMD_SRC = $(wildcard src/cmd/*.c)
LIB_OBJ = $(LIB_SRC:.c=.o)
CMD_OBJ = $(CMD_SRC:.c=.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:.c=)
HDR = $(wildcard include/*.h)

all: docket

deps:
	@sh tests/install-deps.sh $(DEPS)

docket: src/main.o $(CMD_OBJ) libdocket.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ src/main.o $(CMD_OBJ) libdocket.a $(LDLIBS)

libdocket.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

%.o: %.c $(HDR)
	$(CC) $(CFLAGS) -c -o $@ $<

# docket with fault injection points (store.c, -DDOCKET_FAULTS), for the
# crash tests only; objects in build-faults/ so they never mix.
FAULT_OBJ = $(addprefix build-faults/,src/main.o $(CMD_OBJ) $(LIB_OBJ))

docket-faults: $(FAULT_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(FAULT_OBJ) $(LDLIBS)

build-faults/%.o: %.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DDOCKET_FAULTS -c -o $@ $<

tests/unit/test_%: tests/unit/test_%.c libdocket.a $(HDR)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< libdocket.a $(LDLIBS) $(TEST_LDLIBS)

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

cli: docket docket-faults
	@sh tests/run-cli.sh

lint-man:
	@sh tests/lint-man.sh

check: DEPS = test
check: deps
	$(MAKE) docket docket-faults $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)
	$(MAKE) fuzz-smoke
	@sh tests/lint-man.sh
	@sh tests/run-cli.sh

# The same suite with AddressSanitizer and UndefinedBehaviorSanitizer,
# built in a separate tree so it never mixes with the normal objects.
asan: deps
	rm -rf build-asan && mkdir -p build-asan
	cp -r Makefile src include tests man schemas examples build-asan/
	$(MAKE) -C build-asan docket docket-faults unit-bins \
		CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
		LDFLAGS='-fsanitize=address,undefined'
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		sh tests/run-unit.sh $(UNIT_BIN) && sh tests/run-cli.sh

unit-bins: $(UNIT_BIN)

# libFuzzer targets (tests/fuzz), built with clang from the library sources
# in build-fuzz/ with ASan and UBSan; tests/fuzz/run.sh seeds and runs them.
FUZZ_CC = clang
FUZZ_TARGETS = fuzz_case fuzz_config fuzz_from
FUZZ_BIN = $(FUZZ_TARGETS:%=build-fuzz/%)
FUZZ_OBJ = $(LIB_SRC:src/%.c=build-fuzz/obj/%.o)
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	-std=c11 -D_GNU_SOURCE -Wall -Wextra -Iinclude \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_TIME ?= 300

build-fuzz/obj/%.o: src/%.c $(HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-c -o $@ $<

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) $(HDR)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
		$(FUZZ_OBJ) $(LDLIBS)

fuzz-bins: $(FUZZ_OBJ) $(FUZZ_BIN)

fuzz valgrind: DEPS = test
fuzz: deps fuzz-bins
	@sh tests/fuzz/run.sh -t $(FUZZ_TIME) $(if $(FUZZ_RUNS),-r $(FUZZ_RUNS)) \
		$(FUZZ_TARGETS)

fuzz-smoke: fuzz-bins
	@sh tests/fuzz/run.sh -t 5 $(FUZZ_TARGETS)

# Unit and CLI tests under valgrind memcheck; the CLI tests run a copy of
# the tree in build-valgrind/ whose ./docket starts the real one under it.
valgrind: deps docket $(UNIT_BIN)
	@sh tests/valgrind/run.sh $(UNIT_BIN)

demo: deps docket
	@sh tests/demo.sh

bench: deps docket
	@sh tests/bench.sh

stress: docket
	@sh tests/reliability/kill-trials.sh 1000

install: docket
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/examples
	install -m 755 docket $(DESTDIR)$(BINDIR)/docket
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	cp -R examples/. $(DESTDIR)$(DATADIR)/examples/

clean:
	rm -rf docket libdocket.a src/*.o src/cmd/*.o $(UNIT_BIN) build-asan \
		docket-faults build-faults build-fuzz build-valgrind

.PHONY: all deps unit cli lint-man check asan unit-bins demo bench install clean \
	stress fuzz fuzz-bins fuzz-smoke valgrind
