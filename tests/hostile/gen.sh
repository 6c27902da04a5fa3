#!/bin/sh
# gen.sh DIR - write the hostile inputs too big to keep in git into DIR,
# laid out as the corpus is (DIR/from, DIR/config, DIR/case) plus raw
# files for standard input and --attach.  MANIFEST names them like the
# committed ones; t4010-hostile.sh looks in both places.
set -e
out=$1
[ -n "$out" ] || { echo "usage: gen.sh DIR" >&2; exit 2; }
mkdir -p "$out/from" "$out/config" "$out/case"

# rep N STRING: STRING N times, no newline
rep () {
	awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}
# bytes N CHAR: N bytes of one ASCII character
bytes () {
	head -c "$1" /dev/zero | tr '\0' "$2"
}
# lines N FORMAT: FORMAT (printf, %d = line index) N times
lines () {
	awk -v n="$1" -v f="$2" 'BEGIN { for (i = 0; i < n; i++) printf f "\n", i }'
}

F='channel: phone
phone: "13800000000"'
C='docket: 1
organization: 测试
timezone: Asia/Shanghai'
CASE_HEAD='id: 2026-000001
kind: complaint
status: received
subject: 电梯故障
channel: phone
received_at: 2026-11-28T09:00:00+08:00
received_by: tester
complainant:
  phone: "13800000000"
  anonymous: false
  count: 1
priority: normal
due:
  ack: 2026-11-30T23:59:59+08:00
  feedback: 2026-12-02T23:59:59+08:00'
CASE_EVENTS='events:
  - {at: 2026-11-28T09:00:00+08:00, by: tester, action: file}'

# --- --from ---------------------------------------------------------------
{ echo "$F"; printf 'subject: '; rep 10000 '['; rep 10000 ']'; echo; } \
	>"$out/from/nest-seq-10000.yaml"
{ echo "$F"; printf 'subject: '; rep 10000 '{a: '; rep 10000 '}'; echo; } \
	>"$out/from/nest-map-10000.yaml"
{ echo "$F"; printf 'subject:\n'; rep 10000 '- '; echo x; } \
	>"$out/from/nest-block-10000.yaml"
{ echo "$F"; printf 'subject: '; bytes 20000000 x; echo; } \
	>"$out/from/scalar-20mb.yaml"
{ echo "$F"; printf 'subject: '; bytes 2000000 x; echo; } \
	>"$out/from/scalar-2mb.yaml"
{ echo "$F"; echo 'subject: x'; lines 99000 'k%d: 1'; } \
	>"$out/from/keys-99000.yaml"
{ echo "$F"; echo 'subject: x'; printf 'attach: ['; rep 250000 'a.jpg, ';
	echo 'a.jpg]'; } >"$out/from/attach-250000.yaml"
# a stream of two million small documents (120 MB) for bulk intake: more
# than one run may take (200,000), refused at once within the time and
# memory bounds, nothing filed
{ awk 'BEGIN { for (i = 0; i < 2000000; i++)
	printf "channel: phone\nphone: \"13800000000\"\nsubject: x%d\n---\n", i }'
	echo "$F"; printf '%s\n' 'subject: "\e[2J"'; } >"$out/from/stream-2m-docs.yaml"

# --- standard input and attachments ---------------------------------------
cp "$out/from/scalar-20mb.yaml" "$out/scalar-20mb.yaml"
bytes 20000000 x >"$out/scalar-20mb.txt"
printf 'before\000after\n' >"$out/nul.txt"
bytes 30000000 z >"$out/big-30mb.bin"
bytes 20000000 z >"$out/big-20mb.bin"

# --- docket.yaml ------------------------------------------------------------
{ echo "$C"; printf 'organization2: '; rep 10000 '['; rep 10000 ']'; echo; } \
	>"$out/config/nest-10000.yaml"
{ echo "$C"; printf 'mail:\n  sendmail: '; bytes 2000000 x; echo; } \
	>"$out/config/size-2mb.yaml"
{ echo "$C"; printf 'staff:\n'; lines 20000 '  - {id: s%d, name: 某, roles: [intake]}'
	echo '  - {id: s0, name: 重复, roles: [intake]}'; } \
	>"$out/config/staff-20000.yaml"

# --- hand-edited case files -----------------------------------------------
{ echo "$CASE_HEAD"; echo 'description: |'; i=0
	line=$(bytes 1000 y)
	while [ $i -lt 9 ]; do
		awk -v n=1000 -v s="  $line" \
			'BEGIN { for (i = 0; i < n; i++) print s }'
		i=$((i + 1))
	done
	echo "$CASE_EVENTS"; } >"$out/case/size-9mb.yaml"
{ echo "$CASE_HEAD"; printf 'description: '; bytes 2000000 y; echo;
	echo "$CASE_EVENTS"; } >"$out/case/description-2mb.yaml"
{ echo "$CASE_HEAD"; printf 'description: '; bytes 100000 y; echo;
	echo "$CASE_EVENTS"; } >"$out/case/description-100k.yaml"
{ echo "$CASE_HEAD"; printf 'location: '; rep 10000 '['; rep 10000 ']'; echo;
	echo "$CASE_EVENTS"; } >"$out/case/nest-10000.yaml"
{ echo "$CASE_HEAD"; lines 99000 'k%d: 1'; echo "$CASE_EVENTS"; } \
	>"$out/case/keys-99000.yaml"
{ echo "$CASE_HEAD"; echo "$CASE_EVENTS"; lines 100000 \
	'  - {at: 2026-11-28T09:00:00+08:00, by: tester, action: note, text: n%d}'; } \
	>"$out/case/events-100000.yaml"
