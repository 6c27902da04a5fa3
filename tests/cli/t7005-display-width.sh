#!/bin/sh
test_description='tables of mixed Chinese, other wide and ASCII text align by display width (Unicode East Asian Width)'
. "$(dirname "$0")/lib.sh"

# Channel labels are a column in the middle of `docket list`: wide CJK,
# fullwidth forms, CJK extension B, Hangul, emoji that are East Asian
# Wide (the table docket once kept counted them 1), combining marks
# (0), halfwidth katakana (1) and ASCII.
write_channels () {
	cat <<-\EOF
	  - {id: phone, label: 来电}
	  - {id: hotline, label: ✅热线}
	  - {id: web, label: 〈网站〉}
	  - {id: counter, label: ＡＢＣ！窗口}
	  - {id: letter, label: 𠀀𠀁来信}
	  - {id: korea, label: 한국어}
	  - {id: box, label: ⭐🀄信箱}
	  - {id: hindi, label: नमस्ते}
	  - {id: kana, label: ｱｲｳ}
	  - {id: ascii, label: web form}
	EOF
}

test_expect_success 'setup: a case from every channel' '
	docket init s >/dev/null &&
	write_channels >channels &&
	awk "
		/^channels:/ { print; while ((getline l <\"channels\") > 0) print l; skip = 1; next }
		skip && /^  - / { next }
		{ skip = 0; print }
	" s/docket.yaml >yaml &&
	mv yaml s/docket.yaml &&
	git -C s commit -q -a -m "channels with wide labels" &&
	for ch in phone hotline web counter letter korea box hindi kana ascii; do
		docket -C s file --channel $ch --anonymous \
			--subject "投诉 $ch" >/dev/null || exit 1
	done &&
	docket -C s list >list 2>err &&
	test_must_be_empty err &&
	test_line_count = 11 list &&
	test_grep "✅热线" list &&
	test_grep "नमस्ते" list
'

# Where each column starts on the screen, from Python's copy of the
# Unicode data (East Asian Width W and F: 2 columns; marks and format
# characters: 0), not from docket's own width function.
test_expect_success 'every column starts at the same screen column on every line' '
	/usr/bin/python3 - list <<-\EOF
	import sys, unicodedata

	def width(ch):
	    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
	        return 0
	    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1

	def screen(line):
	    """The line as screen cells: a character, then "" for its second cell."""
	    cells = []
	    for ch in line:
	        w = width(ch)
	        if w == 0 and cells:
	            cells[-1] += ch
	        else:
	            cells += [ch] + [""] * (w - 1)
	    return cells

	lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
	header = screen(lines[0])
	starts = {}
	col = 0
	for name in lines[0].split():
	    col = "".join(header).index(name, col)
	    starts[name] = col
	    col += len(name)
	bad = 0
	for line in lines[1:]:
	    row = screen(line)
	    for name in ("received_at", "channel", "next_due", "subject"):
	        at = starts[name]
	        ok = (len(row) > at and row[at] not in (" ", "") and
	              row[at - 1] == " ")
	        if not ok:
	            print("column %s not at screen column %d: %s" % (name, at, line))
	            bad = 1
	sys.exit(bad)
	EOF
'

test_done
