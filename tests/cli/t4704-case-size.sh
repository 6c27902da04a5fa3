#!/bin/sh
test_description='a write that would push a case file past the 8 MiB docket reads is refused, with how to attach long text'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

id=2026-000001
f=s/cases/2026/000/$id.yaml

test_expect_success 'setup: a case with one long note (63 kB, near the limit of a note)' '
	docket_init_store s &&
	(cd s && docket file --channel phone --phone 13800000001 \
		--subject 长期反映 >/dev/null) &&
	/usr/bin/python3 -c "print(\"长文本\" * 7000)" >long.txt &&
	(cd s && docket note $id - <../long.txt) &&
	test "$(wc -l <$f)" -ge 18
'

test_expect_success 'setup: many more long notes, committed with plain git, up to just under 8 MiB' '
	/usr/bin/python3 - $f <<-\EOF &&
	import sys
	p = sys.argv[1]
	lines = open(p, "rb").read().splitlines(keepends=True)
	note = [l for l in lines if b"action: note" in l][-1]
	size = sum(len(l) for l in lines)
	k = (8 * 1024 * 1024 - 40000 - size) // len(note)
	open(p, "wb").write(b"".join(lines) + note * k)
	EOF
	git -C s commit -q -a -m "notes typed in by hand" &&
	size=$(stat -c %s $f) &&
	test $size -lt 8388608 && test $size -gt 8300000 &&
	docket -C s show $id >/dev/null
'

test_expect_success 'one more long note would pass the limit: refused, nothing written, the way out named' '
	expect_refusal s "case $id would be [0-9]+ bytes, over the limit of 8 MiB that docket reads; nothing was written.*docket note $id .*--attach FILE" \
		docket note $id - <long.txt
'

test_expect_success 'the case can still be read, listed and noted' '
	docket -C s show $id --format json >show.json &&
	docket -C s list --format ids >ids &&
	test_grep -x $id ids &&
	(cd s && docket note $id "见附件：来信全文" --attach ../long.txt) &&
	test "$(stat -c %s $f)" -lt 8388608 &&
	cmp long.txt s/attachments/$id/long.txt &&
	assert_clean s
'

test_expect_success 'close, whose summary would pass the limit, is refused the same way' '
	expect_refusal s "case $id would be [0-9]+ bytes, over the limit of 8 MiB" \
		docket close $id --outcome withdrawn --summary "$(cat long.txt)"
'

test_done
