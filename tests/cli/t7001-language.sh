#!/bin/sh
test_description='the language: language: in docket.yaml, else LC_ALL / LC_MESSAGES / LANG, without the locale generated'
. "$(dirname "$0")/lib.sh"

# docket_lang VARS... -- ARGS...: docket (or $DOCKET_BIN) with only the
# locale variables given (LC_ALL, LANGUAGE and the rest unset).
docket_lang () {
	(
		unset LC_ALL LANGUAGE LANG LC_MESSAGES
		while [ "$1" != -- ]; do
			export "$1"
			shift
		done
		shift
		exec "${DOCKET_BIN:-docket}" "$@"
	)
}

# make install runs with -o docket: the test installs the docket under
# test, never rebuilds it (an ASan build must stay one).

# A probe: an unknown language tag in docket.yaml gives a message that
# names the file, in the language the environment asks for.
test_expect_success 'setup: a store, and one whose docket.yaml is wrong' '
	docket_init_store s &&
	docket_init_store bad &&
	sed -i "s/^# language: zh .*/language: 1zh/" bad/docket.yaml &&
	grep -q "^language: 1zh" bad/docket.yaml
'

test_expect_success 'the machine has no zh_CN locale generated (what this script proves)' '
	locale -a >locales &&
	if grep -qi "^zh_CN" locales; then
		echo "zh_CN is generated here; the tests below still run"
	fi
'

test_expect_success 'LANG=zh_CN.UTF-8 speaks Chinese even without the locale' '
	test_expect_code 1 docket_lang LANG=zh_CN.UTF-8 -- -C bad list \
		>out 2>err &&
	test_grep "docket.yaml:[0-9]*:[0-9]*: 未知的语言" err
'

test_expect_success 'LC_ALL wins over LANG, LC_MESSAGES over LANG' '
	test_expect_code 1 docket_lang LANG=zh_CN.UTF-8 LC_ALL=C -- \
		-C bad list 2>err &&
	test_grep "unknown language" err &&
	test_expect_code 1 docket_lang LANG=C LC_MESSAGES=zh_CN.UTF-8 -- \
		-C bad list 2>err &&
	test_grep "未知的语言" err
'

test_expect_success 'LANGUAGE counts, except under the C locale (as gettext)' '
	test_expect_code 1 docket_lang LANG=en_US.UTF-8 LANGUAGE=zh_CN -- \
		-C bad list 2>err &&
	test_grep "未知的语言" err &&
	test_expect_code 1 docket_lang LC_ALL=C LANGUAGE=zh_CN -- \
		-C bad list 2>err &&
	test_grep "unknown language" err
'

test_expect_success 'no locale variables at all: English' '
	test_expect_code 1 docket_lang -- -C bad list 2>err &&
	test_grep "unknown language" err
'

test_expect_success 'docket.yaml is read before its language is known' '
	test_expect_code 1 docket_lang LANG=C -- -C bad list 2>err &&
	test_grep "unknown language .1zh." err
'

test_expect_success 'language: is checked: a tag, not free text' '
	for v in "中文" "z" "zh_CN_x" "en-"; do
		cp s/docket.yaml keep &&
		sed -i "s/^# language: zh .*/language: \"$v\"/" s/docket.yaml &&
		test_expect_code 1 docket -C s check >out 2>err &&
		cp keep s/docket.yaml &&
		test_grep "unknown language" err || exit 1
	done
'

test_expect_success 'install, run from PREFIX outside the build tree, uninstall' '
	make -s -C "$DOCKET_ROOT" -o docket install PREFIX="$TRASH_DIRECTORY/prefix" \
		>make.out 2>&1 &&
	test -x prefix/bin/docket &&
	test -f prefix/share/locale/zh_CN/LC_MESSAGES/docket.mo &&
	test -f prefix/share/docket/schemas/config.schema.json &&
	test -f prefix/share/man/zh_CN/man1/docket-list.1 &&
	test -f prefix/share/man/man1/docket-list.1 &&
	test -f prefix/share/bash-completion/completions/docket &&
	test -f prefix/share/zsh/site-functions/_docket &&
	(cd / && DOCKET_BIN=$TRASH_DIRECTORY/prefix/bin/docket &&
	 test_expect_code 1 docket_lang LANG=zh_CN.UTF-8 -- \
		-C "$TRASH_DIRECTORY/bad" list) 2>err-installed &&
	test_grep "未知的语言" err-installed &&
	make -s -C "$DOCKET_ROOT" uninstall PREFIX="$TRASH_DIRECTORY/prefix" \
		>make.out 2>&1 &&
	find prefix -type f >left &&
	test_must_be_empty left
'

test_expect_success 'uninstall leaves what it did not install' '
	mkdir -p prefix/share/docket/examples prefix/bin &&
	echo mine >prefix/share/docket/examples/local.yaml &&
	echo mine >prefix/bin/other &&
	make -s -C "$DOCKET_ROOT" uninstall PREFIX="$TRASH_DIRECTORY/prefix" \
		>make.out 2>&1 &&
	test -f prefix/share/docket/examples/local.yaml &&
	test -f prefix/bin/other
'

test_done
