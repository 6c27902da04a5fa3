#!/bin/sh
test_description='only regular files are read: a FIFO, a folder or a
symbolic link at a case path, at .git/docket-pending or at one of the
caches under .git is named and skipped by list, check, report, show,
remind and file, never waited on'
. "$(dirname "$0")/lib.sh"

# run NAME CMD...: docket in store s, killed (exit 137) if it waits 20 s
# for anything; stdout in out.NAME, stderr in err.NAME, status in code.NAME
run () {
	run_name_=$1
	shift
	run_code_=0
	timeout -s KILL 20 docket -C s "$@" >"out.$run_name_" \
		2>"err.$run_name_" || run_code_=$?
	echo $run_code_ >"code.$run_name_"
}

# put KIND PATH: a FIFO, a folder or a symbolic link at PATH
put () {
	rm -rf "$2"
	case $1 in
	fifo) mkfifo "$2" ;;
	dir) mkdir "$2" ;;
	link) ln -s /etc/passwd "$2" ;;
	esac
}

# every_command: list, check, report, show, remind --dry-run, remind
# (recording) and file in store s, each recorded under its name
every_command () {
	run list list &&
	run check check &&
	run report report --from 2026-11-01 --to 2026-12-01 --format json &&
	run show show 2026-000001 &&
	run dry remind --dry-run &&
	run remind remind &&
	run file file --channel web --subject 照常登记
}

test_expect_success 'setup: a store with two cases and every cache made' '
	docket_init_store tmpl &&
	sed -i "s|^  sendmail: .*|  sendmail: true|" tmpl/docket.yaml &&
	git -C tmpl commit -q -a -m "mail to nowhere" &&
	for i in 1 2; do
		DOCKET_NOW=2026-11-0${i}T09:00:00+08:00 docket -C tmpl file \
			--channel phone --phone 1380000000$i --subject 电梯故障$i \
			>/dev/null || return 1
	done &&
	docket -C tmpl list >/dev/null &&
	docket -C tmpl check >/dev/null &&
	docket -C tmpl file --channel web --subject 预热 >/dev/null &&
	for f in docket-actions docket-cache docket-folders docket-ids \
		docket-index-marks docket-keys; do
		test -f tmpl/.git/$f || { echo "no $f" >&4; return 1; }
	done
'

for f in docket-actions docket-cache docket-folders docket-ids \
	docket-index-marks docket-keys; do
	for kind in fifo dir link; do
		test_expect_success "a $kind at .git/$f: every command works,
named, never waiting" '
			rm -rf s && cp -a tmpl s &&
			put '$kind' s/.git/'$f' &&
			every_command &&
			for c in list check report show dry remind file; do
				test "$(cat code.$c)" = 0 || {
					echo "$c: exit $(cat code.$c)" >&4
					cat err.$c >&4
					return 1
				}
			done &&
			test_grep "warning: .*\.git/'$f'. is a" err.list &&
			test_line_count = 4 out.list
		'
	done
done

for kind in dir link; do
	test_expect_success "a $kind at a case path is named and skipped; file
goes on" '
		rm -rf s && cp -a tmpl s &&
		put '$kind' s/$(case_path 2026-000001) &&
		every_command &&
		for c in list check report show dry; do
			test "$(cat code.$c)" = 1 || {
				echo "$c: exit $(cat code.$c)" >&4
				return 1
			}
			test_grep "2026-000001.yaml. is \(not a regular file\|a symbolic link\)" err.$c ||
				return 1
		done &&
		test_line_count = 3 out.list &&
		test "$(cat code.file)" = 0 &&
		echo 2026-000004 >expect &&
		test_cmp expect out.file
	'
done

for kind in dir link; do
	test_expect_success "a $kind at .git/docket-pending is named; readers go
on" '
		rm -rf s && cp -a tmpl s &&
		put '$kind' s/.git/docket-pending &&
		every_command &&
		test "$(cat code.file)" = 1 &&
		test_grep "docket-pending. is \(not a regular file\|a symbolic link\)" err.file &&
		test "$(cat code.list)" = 0 &&
		test "$(cat code.show)" = 0 &&
		test "$(cat code.report)" = 0 &&
		test "$(cat code.check)" = 1 &&
		test_grep "docket-pending" err.check
	'
done

test_done
