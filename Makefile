# docket - complaint and report case handling on a git-backed store.
#
#   make            build ./docket
#   make check      install missing build packages, build, run every test
#   make demo       build, then walk through docket on a throw-away store
#   make install    PREFIX=/usr/local DESTDIR=  (make uninstall: the same away)
#   make pot        po/docket.pot, every marked message (xgettext)
#   make po-update  merge po/docket.pot into po/*.po, to translate what is new
#   make bench      benchmarks (not part of check)
#   make asan       the test suite built with AddressSanitizer + UBSan
#   make stress     1000 randomized kill -9 trials and 2 minutes of docket
#                   against plain git (not part of check)
#   make fuzz       libFuzzer targets, FUZZ_TIME seconds (300) or FUZZ_RUNS
#                   runs each; fuzz-smoke (5 s each) is part of check
#   make valgrind   unit and CLI tests under valgrind memcheck

# The release number, in this one place; `docket --version` adds git's
# describe when the build runs in a checkout.
VERSION = 0.1

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/docket
LOCALEDIR ?= $(PREFIX)/share/locale
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions

# Translations: po/LANG.po, built into locale/LANG/LC_MESSAGES/docket.mo,
# where a docket run from this tree finds them (src/intl.c).
LINGUAS = zh_CN
MO = $(LINGUAS:%=locale/%/LC_MESSAGES/docket.mo)

CC ?= cc
PKG_CONFIG ?= pkg-config

# The libraries, by pkg-config module, and the Debian package that
# provides each: a missing one is named before anything is compiled
# (see libs-present), not found by the linker 500 errors later.
PKGS = yaml-0.1 libgit2 jansson libcrypto libxxhash
DEB_yaml-0.1 = libyaml-dev
DEB_libgit2 = libgit2-dev
DEB_jansson = libjansson-dev
DEB_libcrypto = libssl-dev
DEB_libxxhash = libxxhash-dev
# libunistring (display width, UTF-8 checks) has no pkg-config module on
# Debian 12: linked by name, and its header is what is looked for.
HDRS = uniwidth.h
DEB_uniwidth.h = libunistring-dev

# Asked once per make, not once per object.
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

CFLAGS ?= -O2 -g
# -Wno-missing-field-initializers: an option table's entries leave the
# usage flags out when there are none (zero), as C allows.
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra \
	-Wno-missing-field-initializers -pthread -Iinclude \
	-DDOCKET_DATADIR='"$(DATADIR)"' -DDOCKET_LOCALEDIR='"$(LOCALEDIR)"' \
	$(PKG_CFLAGS)
override LDFLAGS += -pthread
LDLIBS += $(PKG_LIBS) -lunistring
TEST_LDLIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

# Each object lists the headers it includes in a .d file beside it (read
# back below), so changing a header rebuilds only what includes it; -MP
# keeps a deleted header from breaking the build.
DEPFLAGS = -MMD -MP

LIB_SRC = $(wildcard src/*.c src/store/*.c src/report/*.c)
LIB_SRC := $(filter-out src/main.c,$(LIB_SRC))
CMD_SRC = $(wildcard src/cmd/*.c)
LIB_OBJ = $(LIB_SRC:.c=.o)
CMD_OBJ = $(CMD_SRC:.c=.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:.c=)

all: docket $(MO)

# A recipe that fails leaves no half-written target behind to look
# up to date next time.
.DELETE_ON_ERROR:

deps:
	@sh tests/install-deps.sh $(DEPS)

# Every compile waits for this (order-only), so a missing library stops
# the build at once with what to install.  Deferred (=): only a make
# that compiles asks; make check installs first, then its sub-make
# checks again.  Each word: 'WHAT:PACKAGE'.
MISSING_LIBS = $(foreach m,$(PKGS),$(if $(shell \
		$(PKG_CONFIG) --exists $(m) 2>/dev/null && echo y),,\
		'pkg-config module $(m):$(DEB_$(m))')) \
	$(foreach h,$(HDRS),$(if $(shell printf '\043include <$(h)>\n' | \
		$(CC) $(CFLAGS) -E -x c - >/dev/null 2>&1 && echo y),,\
		'header $(h):$(DEB_$(h))'))

libs-present:
	@command -v $(PKG_CONFIG) >/dev/null || { \
		echo 'docket: cannot build: no $(PKG_CONFIG); install the Debian package pkg-config' >&2; \
		echo 'Run "make deps" to install every missing build package.' >&2; \
		exit 1; }
	@set -- $(MISSING_LIBS); \
	[ $$# -eq 0 ] && exit 0; \
	echo 'docket: cannot build: missing libraries' >&2; \
	for p; do \
		echo "  $${p%:*}: install the Debian package $${p##*:}" >&2; \
	done; \
	echo 'Run "make deps" to install every missing build package.' >&2; \
	exit 1

docket: src/main.o $(CMD_OBJ) libdocket.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ src/main.o $(CMD_OBJ) libdocket.a $(LDLIBS)

# src/version.h is rewritten only when the version or git's describe
# changes, so an unchanged tree is not rebuilt.
GIT_DESCRIBE = $(shell git describe --always --dirty 2>/dev/null)

src/version.h: FORCE
	@printf '#define DOCKET_VERSION "%s"\n#define DOCKET_GIT "%s"\n' \
		'$(VERSION)' '$(GIT_DESCRIBE)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

src/main.o build-faults/src/main.o: src/version.h

FORCE:

# --- translations ----------------------------------------------------------

POT_SRC = $(sort $(LIB_SRC) $(CMD_SRC) src/main.c)
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
	--keyword=_ --keyword=N_ --keyword=Q_:1,2 --keyword=C_:1c,2 \
	--add-location=file --package-name=docket --package-version=$(VERSION) \
	--msgid-bugs-address=docket

locale/%/LC_MESSAGES/docket.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

pot: po/docket.pot

po/docket.pot: $(POT_SRC)
	xgettext $(XGETTEXT_FLAGS) -o $@ $(POT_SRC)

po-update: po/docket.pot
	for l in $(LINGUAS); do \
		msgmerge --quiet --update --backup=none --add-location=file \
			po/$$l.po po/docket.pot || exit 1; \
	done

po-check: po/docket.pot
	@sh tests/check-po.sh $(LINGUAS)

libdocket.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

%.o: %.c | libs-present
	$(CC) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

# docket with fault injection points (store.c, -DDOCKET_FAULTS), for the
# crash tests only; objects in build-faults/ so they never mix.
FAULT_OBJ = $(addprefix build-faults/,src/main.o $(CMD_OBJ) $(LIB_OBJ))

docket-faults: $(FAULT_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(FAULT_OBJ) $(LDLIBS)

build-faults/%.o: %.c | libs-present
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -DDOCKET_FAULTS -c -o $@ $<

tests/unit/test_%: tests/unit/test_%.c libdocket.a | libs-present
	$(CC) $(CFLAGS) $(DEPFLAGS) -MF $@.d -MT $@ $(LDFLAGS) -o $@ $< \
		libdocket.a $(LDLIBS) $(TEST_LDLIBS)

# The default docket.yaml is a file (examples/docket.yaml); init gets it
# compiled in, one C string line per line of the file.
src/default-yaml.inc: examples/docket.yaml
	awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); \
		printf "\t\"%s\\n\"\n", $$0 }' examples/docket.yaml >$@
src/config-default.o build-faults/src/config-default.o \
	build-fuzz/obj/config-default.o: src/default-yaml.inc

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

# Builds and CLI test scripts use this many cores (the scripts each in
# their own folder; the ones marked "# run-cli: alone" after them, by
# themselves)
JOBS = $(shell nproc 2>/dev/null || echo 1)

cli: docket docket-faults
	@sh tests/run-cli.sh -j $(JOBS)

lint-man:
	@sh tests/lint-man.sh

# The builds below use every core too: serially they were a third of
# make check on a 2-core machine.
check: DEPS = test
check: deps
	$(MAKE) -j$(JOBS) docket docket-faults $(UNIT_BIN) $(MO)
	@sh tests/run-unit.sh $(UNIT_BIN)
	$(MAKE) -j$(JOBS) fuzz-bins
	$(MAKE) fuzz-smoke
	$(MAKE) po-check
	@sh tests/lint-man.sh
	@sh tests/run-cli.sh -j $(JOBS)

# The same suite with AddressSanitizer and UndefinedBehaviorSanitizer,
# built in a separate tree so it never mixes with the normal objects (the
# ones cp brings along are removed: cp gave them new times).
asan: deps
	rm -rf build-asan && mkdir -p build-asan
	cp -r Makefile src include tests man schemas examples po completion \
		build-asan/
	rm -f build-asan/src/*.[od] build-asan/src/*/*.[od] build-asan/tests/unit/*.d
	$(MAKE) -C build-asan -j$(JOBS) docket docket-faults unit-bins $(MO) \
		CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
		LDFLAGS='-fsanitize=address,undefined'
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp && \
		export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS && \
		sh tests/run-unit.sh $(UNIT_BIN) && sh tests/run-cli.sh -j $(JOBS)

unit-bins: $(UNIT_BIN)

# libFuzzer targets (tests/fuzz), built with clang from the library sources
# in build-fuzz/ with ASan and UBSan; tests/fuzz/run.sh seeds and runs them.
FUZZ_CC = clang
FUZZ_TARGETS = fuzz_case fuzz_config fuzz_from fuzz_index \
	fuzz_scancache fuzz_keys fuzz_folders fuzz_history fuzz_yfast
FUZZ_BIN = $(FUZZ_TARGETS:%=build-fuzz/%)
FUZZ_OBJ = $(LIB_SRC:src/%.c=build-fuzz/obj/%.o)
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	-std=c11 -D_GNU_SOURCE -Wall -Wextra -pthread -Iinclude $(PKG_CFLAGS)
FUZZ_TIME ?= 300

build-fuzz/obj/%.o: src/%.c | libs-present
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) \
		-fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) | libs-present
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -MF $@.d -MT $@ \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

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
	@RACE_REMIND=$(RACE_REMIND) sh tests/reliability/race.sh 120

# What install puts in place, one list per folder, so that uninstall
# removes exactly that and nothing a package or a person put beside it.
MAN1 = $(notdir $(wildcard man/*.1))
MAN5 = $(notdir $(wildcard man/*.5))
MAN1_ZH = $(notdir $(wildcard man/zh_CN/*.1))
SCHEMAS = $(notdir $(wildcard schemas/*.json))

install: docket $(MO)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/zh_CN/man1 \
		$(DESTDIR)$(DATADIR)/examples $(DESTDIR)$(DATADIR)/schemas \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 docket $(DESTDIR)$(BINDIR)/docket
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/zh_CN/*.1 $(DESTDIR)$(MANDIR)/zh_CN/man1/
	install -m 644 completion/docket.bash $(DESTDIR)$(BASHCOMPDIR)/docket
	install -m 644 completion/_docket $(DESTDIR)$(ZSHCOMPDIR)/_docket
	cp -R examples/. $(DESTDIR)$(DATADIR)/examples/
	install -m 644 schemas/*.json $(DESTDIR)$(DATADIR)/schemas/
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 locale/$$l/LC_MESSAGES/docket.mo \
			$(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/docket.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/docket
	rm -f $(MAN1:%=$(DESTDIR)$(MANDIR)/man1/%) \
		$(MAN5:%=$(DESTDIR)$(MANDIR)/man5/%) \
		$(MAN1_ZH:%=$(DESTDIR)$(MANDIR)/zh_CN/man1/%)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/docket $(DESTDIR)$(ZSHCOMPDIR)/_docket
	for l in $(LINGUAS); do \
		rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/docket.mo; \
	done
	rm -f $(SCHEMAS:%=$(DESTDIR)$(DATADIR)/schemas/%)
	cd examples && find . -type f | while IFS= read -r f; do \
		rm -f "$(DESTDIR)$(DATADIR)/examples/$$f"; done
	-[ ! -d $(DESTDIR)$(DATADIR) ] || \
		find $(DESTDIR)$(DATADIR) -depth -type d -empty -delete

# The header lists the compiler wrote (DEPFLAGS); none before a first build.
-include $(patsubst %.o,%.d,src/main.o $(CMD_OBJ) $(LIB_OBJ) $(FAULT_OBJ) \
	$(FUZZ_OBJ)) $(UNIT_BIN:=.d) $(FUZZ_BIN:=.d)

clean:
	rm -rf docket libdocket.a src/default-yaml.inc src/*.o src/store/*.o \
		src/cmd/*.o src/report/*.o $(UNIT_BIN) build-asan \
		src/*.d src/store/*.d src/cmd/*.d src/report/*.d tests/unit/*.d \
		docket-faults build-faults build-fuzz build-valgrind locale \
		src/version.h po/docket.pot

.PHONY: all deps libs-present unit cli lint-man check asan unit-bins demo bench install clean \
	stress fuzz fuzz-bins fuzz-smoke valgrind uninstall pot po-update po-check \
	FORCE
