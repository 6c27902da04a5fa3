#!/bin/sh
# run-cli: long (started first, so the pool does not end on it)
test_description='print --format pdf through headless Chromium; every form and the report in a real browser'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# tests/install-deps.sh test (make check) installs chromium,
# fonts-noto-cjk and poppler-utils; without them the browser tests skip.
if command -v chromium >/dev/null && command -v pdftotext >/dev/null &&
    command -v pdfinfo >/dev/null; then
	test_set_prereq BROWSER
fi
DOCKET_PDF_TIMEOUT=300
export DOCKET_PDF_TIMEOUT

# pages FILE: the page count pdfinfo gives
pages () {
	pdfinfo "$1" >"$TRASH_DIRECTORY/.info" &&
	sed -n 's/^Pages: *//p' "$TRASH_DIRECTORY/.info"
}

test_expect_success 'setup: an accepted case, a mediated one' '
	setup_store s &&
	cat >>s/docket.yaml <<-\EOF &&
	numbering:
	  受理告知书: "农受〔{year}〕{seq}号"
	EOF
	git -C s commit -q -a -m numbering &&
	new_case s 2026-11-20 accepted >/dev/null &&
	new_case s 2026-11-20 assigned >/dev/null &&
	run_at s 2026-11-27T10:00:00 sun.li close 2026-000002 --outcome \
		mediated --summary "农资店退还货款并赔偿损失" --notified phone \
		>/dev/null
'

test_expect_success 'without Chromium, --format pdf names the package and html still works' '
	store_state s >before &&
	code=0 &&
	(PATH="$DOCKET_ROOT" && export PATH && cd s &&
		docket print 2026-000001 受理告知书 --format pdf -o ../x.pdf) \
		>out 2>err || code=$? &&
	test $code = 1 &&
	test_grep "^docket: print: --format pdf needs headless Chromium: install it with .apt-get install chromium fonts-noto-cjk." err &&
	! test -e x.pdf &&
	store_state s >after &&
	test_cmp before after &&
	(DOCKET_CHROMIUM=./nonexistent && export DOCKET_CHROMIUM &&
		expect_refusal s "DOCKET_CHROMIUM names .\\./nonexistent." \
		docket print 2026-000001 受理告知书 --format pdf -o ../x.pdf) &&
	(PATH="$DOCKET_ROOT" && export PATH && cd s &&
		docket print 2026-000001 受理告知书 >../x.html) &&
	test_grep "投诉受理告知书" x.html
'

test_expect_success 'a PDF is not written to a terminal' '
	run_on_tty "" docket -C s print 2026-000001 受理告知书 --format pdf \
		>tty.out || true &&
	test_grep "a PDF is not for a terminal" tty.out
'

test_expect_success BROWSER 'issued as PDF: A4, and its text holds subject, office, dates and number' '
	run_at s 2026-11-23T09:00:00 chen.jing print 2026-000001 受理告知书 \
		--issue --format pdf -o ../notice.pdf 2>err &&
	test_grep "issued 受理告知书 农受〔2026〕1号" err &&
	head -c 5 notice.pdf >magic && printf "%%PDF-" >expect &&
	test_cmp expect magic &&
	pdfinfo notice.pdf >info &&
	test_grep "^Page size:.*(A4)" info &&
	test "$(pages notice.pdf)" = 1 &&
	pdftotext notice.pdf notice.txt &&
	tr -d " \n" <notice.txt >flat &&
	test_grep "复合肥结块" flat &&
	test_grep "某县农业局" flat &&
	test_grep "2026年11月20日" flat &&
	test_grep "2026年11月23日" flat &&
	test_grep "农受〔2026〕1号" flat &&
	test "$(case_get s 2026-000001 events.2.number)" = "农受〔2026〕1号"
'

test_expect_success BROWSER 'a blank PDF form has the letterhead and empty fields' '
	(cd s && docket print --blank 登记表 --format pdf -o ../blank.pdf) &&
	pdftotext blank.pdf blank.txt &&
	tr -d " \n" <blank.txt >flat &&
	test_grep "某县农业局" flat &&
	test_grep "投诉举报登记表" flat &&
	! grep -q "复合肥\|2026" blank.txt
'

test_expect_success BROWSER '调解协议书: three pages, each marked for whom' '
	(cd s && docket print 2026-000002 调解协议书 --format pdf \
		-o ../agreement.pdf) &&
	test "$(pages agreement.pdf)" = 3 &&
	for p in 1 2 3; do
		pdftotext -f $p -l $p agreement.pdf p$p.txt &&
		test_grep "调解协议书" p$p.txt || exit 1
	done &&
	test_grep "申请人收执" p1.txt &&
	test_grep "被申请人收执" p2.txt &&
	test_grep "本机关存档" p3.txt &&
	tr -d " \n" <p1.txt >flat &&
	test_grep "农资店退还货款并赔偿损失" flat
'

# A real browser, as a clerk would print: every shipped form of a case
# and the monthly report, HTML given to headless Chromium straight, to
# PDF (page count) and the report also to PNG.  What it printed goes to
# the test's log (run with -v); no image is kept.
test_expect_success BROWSER 'a real browser renders every form and the report' '
	for f in 受理告知书 不予受理告知书 补充材料告知书 转办单 延期告知书 \
	    处理结果告知书 整改通知书 登记表 调解协议书; do
		docket -C s print 2026-000002 "$f" >"$f.html" &&
		timeout 300 chromium --headless --no-sandbox --disable-gpu \
			--no-pdf-header-footer --user-data-dir="$PWD/profile" \
			--print-to-pdf="$PWD/$f.pdf" "file://$PWD/$f.html" \
			>chromium.log 2>&1 ||
		{ echo "chromium failed on $f"; cat chromium.log; exit 1; }
		n=$(pages "$f.pdf") &&
		echo "form $f: $n page(s)" >&4 &&
		case $f in
		调解协议书) test "$n" = 3 ;;
		*) test "$n" -ge 1 && test "$n" -le 2 ;;
		esac || { echo "$f: $n pages"; exit 1; }
	done &&
	docket -C s report --month 2026-11 --format html >report.html &&
	timeout 300 chromium --headless --no-sandbox --disable-gpu \
		--no-pdf-header-footer --user-data-dir="$PWD/profile" \
		--print-to-pdf="$PWD/report.pdf" "file://$PWD/report.html" \
		>chromium.log 2>&1 &&
	n=$(pages report.pdf) &&
	echo "report: $n page(s)" >&4 &&
	test "$n" -ge 2 &&
	pdftotext report.pdf report.txt &&
	test_grep "Generated at" report.txt &&
	timeout 300 chromium --headless --no-sandbox --disable-gpu \
		--user-data-dir="$PWD/profile" --window-size=1240,1754 \
		--screenshot="$PWD/report.png" "file://$PWD/report.html" \
		>chromium.log 2>&1 &&
	head -c 8 report.png | od -An -c >sig &&
	test_grep "P   N   G" sig &&
	echo "report.png: $(wc -c <report.png) bytes" >&4
'

test_expect_success 'the HTML report is print-ready: A4, figures kept whole, defined, dated' '
	docket -C s report --month 2026-11 --format html >r.html &&
	test_grep "@page{size:A4" r.html &&
	test_grep "h1,h2{break-after:avoid}.fig{break-inside:avoid}" r.html &&
	test "$(grep -c "<section class=\"fig\">" r.html)" = 5 &&
	test "$(grep -c "<p class=\"def\">" r.html)" = 5 &&
	test_grep "<p class=\"gen\">Generated at " r.html &&
	test_grep "report 2026-11-01 to 2026-11-30" r.html &&
	docket -C s report --month 2026-11 --by department --format html >by.html &&
	test "$(grep -c "<svg" by.html)" = 2 &&
	test "$(grep -c "<p class=\"def\">" by.html)" = 2 &&
	xmllint --noout r.html && xmllint --noout by.html
'

test_done
