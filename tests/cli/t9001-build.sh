#!/bin/sh
test_description='the Makefile: a missing library is named before compiling'
. "$(dirname "$0")/lib.sh"

# make run from here must not join the jobserver or take the variables of
# a make check that runs this script.
unset MAKEFLAGS MFLAGS MAKELEVEL

# A copy of the sources, without the objects of the tree under test: the
# make runs below must compile nothing, and never touch the real tree.
test_expect_success 'setup: a copy of the tree, a pkg-config without libgit2' '
	mkdir -p tree/tests &&
	cp -R "$DOCKET_ROOT/Makefile" "$DOCKET_ROOT/src" "$DOCKET_ROOT/include" \
		"$DOCKET_ROOT/po" tree/ &&
	cp "$DOCKET_ROOT/tests/install-deps.sh" tree/tests/ &&
	find tree -name "*.[oad]" -type f -exec rm -f {} + &&
	cat >pc-nogit2 <<-\EOF &&
	#!/bin/sh
	for a; do [ "$a" = libgit2 ] && exit 1; done
	exec pkg-config "$@"
	EOF
	chmod +x pc-nogit2 &&
	! ./pc-nogit2 --exists libgit2 &&
	./pc-nogit2 --exists jansson
'

test_expect_success 'plain make names the module and the Debian package' '
	code=0 &&
	make -C tree PKG_CONFIG="$PWD/pc-nogit2" >out 2>&1 || code=$? &&
	test "$code" -ne 0 &&
	test_grep "pkg-config module libgit2: install the Debian package libgit2-dev" out &&
	test_grep "make deps" out &&
	! grep "undefined reference" out &&
	! grep "module yaml-0.1" out &&
	! grep "module jansson" out
'

test_expect_success 'it stops before compiling anything, also with -j2' '
	code=0 &&
	make -C tree -j2 PKG_CONFIG="$PWD/pc-nogit2" >out 2>&1 || code=$? &&
	test "$code" -ne 0 &&
	test_grep "libgit2-dev" out &&
	find tree -name "*.o" >objects &&
	test_must_be_empty objects &&
	! test -e tree/docket
'

# libunistring has no pkg-config module on Debian 12: its header is
# what the Makefile looks for, with the compiler.
test_expect_success 'a library found by its header is named too' '
	cat >cc-nounistring <<-\EOF &&
	#!/bin/sh
	for a; do
		[ "$a" = -E ] || continue
		in=$(cat)
		case $in in *uniwidth.h*) exit 1 ;; esac
		printf "%s\n" "$in" | exec cc "$@"
	done
	exec cc "$@"
	EOF
	chmod +x cc-nounistring &&
	code=0 &&
	make -C tree CC="$PWD/cc-nounistring" >out 2>&1 || code=$? &&
	test "$code" -ne 0 &&
	test_grep "header uniwidth.h: install the Debian package libunistring-dev" out &&
	test_grep "make deps" out &&
	! grep "pkg-config module" out &&
	find tree -name "*.o" >objects &&
	test_must_be_empty objects
'

test_expect_success 'make check installs first: its deps step comes before any compile' '
	make -C tree -n check PKG_CONFIG="$PWD/pc-nogit2" >out 2>&1 || : &&
	grep -v "^make" out | sed -n 1p >first &&
	test_grep "tests/install-deps.sh test" first
'

test_expect_success 'make deps installs every package the Makefile names' '
	sed -n "s/^DEB_[^ ]* = //p" tree/Makefile >named &&
	test -s named &&
	while read -r pkg; do
		test_grep -w "$pkg" tree/tests/install-deps.sh || exit 1
	done <named
'

test_expect_success 'make clean needs no library and removes the .d files' '
	: >tree/src/util.d &&
	: >tree/src/cmd/list.d &&
	: >tree/src/store/open.d &&
	make -C tree clean PKG_CONFIG="$PWD/pc-nogit2" >out 2>&1 &&
	! test -e tree/src/util.d &&
	! test -e tree/src/cmd/list.d &&
	! test -e tree/src/store/open.d
'

test_done
