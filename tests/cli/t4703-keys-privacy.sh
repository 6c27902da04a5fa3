#!/bin/sh
test_description='likely-repeat keys are HMACs under a per-store secret; messages carry no phone; files private whatever the umask'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER
umask 000

# keys.py: read .git/docket-keys as docket lays it out (repeats.c), to
# look inside, and write a version 1 file, with the home-made sum of
# versions 1 to 5, to plant an old file.  The sums of today's files
# (XXH3, cachefile.c) are not checked here: docket checks them, and
# what is looked at is what it wrote.
cat >keys.py <<'EOF'
import struct, sys
M = (1 << 64) - 1
P1, P2 = 0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F
def rotl(x, r): return ((x << r) | (x >> (64 - r))) & M
def sum64(d, seed):
    v = [(seed + P1) & M, seed ^ P2, (seed - P1) & M, ~seed & M]
    n, i = len(d), 0
    while i + 32 <= n:
        for k in range(4):
            w = int.from_bytes(d[i + 8 * k:i + 8 * k + 8], "little")
            v[k] = rotl((v[k] + w * P2) & M, 31) * P1 & M
        i += 32
    h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & M
    while i + 8 <= n:
        w = int.from_bytes(d[i:i + 8], "little")
        h = rotl(h ^ (w * P2 & M), 27) * P1 & M
        i += 8
    while i < n:
        h = rotl(h ^ (d[i] * P1 & M), 11) * P2 & M
        i += 1
    h ^= n; h ^= h >> 33; h = h * P2 & M; h ^= h >> 29
    return h
def fnv(s):
    h = 14695981039346656037
    for b in s.encode():
        h = (h ^ b) * 1099511628211 & M
    return h or 1
cmd = sys.argv[1]
if cmd == "rows":		# FILE: version, then "phone-key path" per row
    d = open(sys.argv[2], "rb").read()
    body = d[:-8]
    ver, count = struct.unpack("<II", body[8:16])
    assert body[:8] == b"DKTKEYS\0" and ver >= 6, "not a version 6 file"
    print("version", ver)
    bits, = struct.unpack("<I", body[36:40])
    nent = struct.unpack("<4I", body[48:64])
    size, = struct.unpack("<Q", body[64:72])
    assert size == len(d), "bad header"
    offs = 80 + 4 * 16 * (1 << bits) + 12 * sum(nent)
    rows = offs + 4 * count
    for i in range(count):		# 42 bytes before the path
        o = rows + struct.unpack("<I", body[offs + 4 * i:offs + 4 * i + 4])[0]
        phone, = struct.unpack("<Q", body[o + 8:o + 16])
        n, = struct.unpack("<H", body[o + 40:o + 42])
        print("%016x %s" % (phone, body[o + 42:o + 41 + n].decode()))
elif cmd == "fnv":		# PHONE: its old unkeyed key, as bytes in the file
    sys.stdout.buffer.write(struct.pack("<Q", fnv(sys.argv[2])))
elif cmd == "old":		# FILE TREE [PHONE PATH]...: a version 1 file
    rows = sys.argv[4:]
    body = b"DKTKEYS\0" + struct.pack("<II", 1, len(rows) // 2)
    body += bytes.fromhex(sys.argv[3]) + struct.pack("<I", 0)
    for i in range(0, len(rows), 2):
        path = rows[i + 1].encode() + b"\0"
        body += struct.pack("<QQH", fnv(rows[i]), 0, len(path)) + path
    open(sys.argv[2], "wb").write(body + struct.pack("<Q", sum64(body, 1)))
EOF

# rekey DIR PHONE: file one more case in DIR after removing its keys
# file, which is then rebuilt from HEAD (every case but this one)
rekey () {
	rm -f "$1/.git/docket-keys" &&
	(cd "$1" && docket file --channel phone --phone "$2" --subject 来电 \
		>/dev/null 2>&1)
}

test_expect_success 'setup: a store made and written under umask 000' '
	docket_init_store s &&
	(cd s && docket file --channel phone --phone 13800000001 \
		--name 王某某 --respondent 某某物业 --subject 电梯故障 >../id1)
'

test_expect_success 'the secret is 32 bytes, mode 0600, not committed' '
	test "$(stat -c %a s/.git/docket-secret)" = 600 &&
	test "$(stat -c %s s/.git/docket-secret)" = 32 &&
	test "$(stat -c %a s/.git/docket-keys)" = 600 &&
	! git -C s ls-files --error-unmatch .git/docket-secret 2>/dev/null
'

test_expect_success 'the keys file holds no FNV hash of the phone and no phone in clear' '
	rekey s 13700000000 &&
	/usr/bin/python3 keys.py rows s/.git/docket-keys >rows &&
	test_grep "^version 6$" rows &&
	test_line_count = 2 rows &&
	/usr/bin/python3 keys.py fnv 13800000001 >fnv.bin &&
	! grep -a -F -q -f fnv.bin s/.git/docket-keys &&
	! grep -a -q 13800000001 s/.git/docket-keys &&
	! grep -a -q 王某某 s/.git/docket-keys
'

test_expect_success 'the keys are keyed: another store gives the same phone another key' '
	docket_init_store s2 &&
	(cd s2 && docket file --channel phone --phone 13800000001 \
		--subject 电梯故障 >/dev/null) &&
	rekey s2 13700000000 &&
	/usr/bin/python3 keys.py rows s2/.git/docket-keys >rows2 &&
	k1=$(sed -n 2p rows | cut -d" " -f1) &&
	k2=$(sed -n 2p rows2 | cut -d" " -f1) &&
	test -n "$k1" && test "$k1" != "$k2" &&
	! cmp -s s/.git/docket-secret s2/.git/docket-secret
'

test_expect_success 'a phone written another way has the same key (digits only)' '
	(cd s && docket file --channel phone --phone "138-0000 0001" \
		--subject 又来电 >../id2 2>../err) &&
	rekey s 13600000000 &&
	/usr/bin/python3 keys.py rows s/.git/docket-keys >rows &&
	k1=$(sed -n 2p rows | cut -d" " -f1) &&
	test "$(grep -c "^$k1 " rows)" = 2
'

test_expect_success 'an old keys file of FNV hashes (version 1) is not trusted but rebuilt' '
	tree=$(git -C s rev-parse HEAD:cases) &&
	/usr/bin/python3 keys.py old s/.git/docket-keys $tree &&
	(cd s && docket file --channel phone --phone 13800000001 \
		--subject 第三次来电 >../id3 2>../err) &&
	test_grep "likely repeat of case $(cat id1)" err &&
	/usr/bin/python3 keys.py rows s/.git/docket-keys >rows &&
	test_grep "^version 6$" rows &&
	! grep -a -F -q -f fnv.bin s/.git/docket-keys
'

test_expect_success 'keys made under another secret are rebuilt, not trusted' '
	cp s/.git/docket-keys keys.before &&
	rm s/.git/docket-secret &&
	(cd s && docket file --channel phone --phone 13800000001 \
		--subject 第四次来电 >../id4 2>../err) &&
	test_grep "likely repeat of case $(cat id1)" err &&
	test "$(stat -c %a s/.git/docket-secret)" = 600 &&
	! cmp -s keys.before s/.git/docket-keys
'

# no_phone FILE: FILE holds no run of the digits of 13912345678
no_phone () {
	if grep -E "1391|2345|5678" "$1"; then
		say "the phone number is in the message" >&4
		return 1
	fi
}

test_expect_success 'a phone typed into the wrong field is not repeated in the error' '
	for opt in --count --received-at --occurred --email --category \
		--priority; do
		expect_refusal s "$opt" docket file --channel phone \
			--subject x $opt 13912345678 &&
		no_phone err || return 1
	done &&
	expect_refusal s "--channel: unknown channel" docket file \
		--channel 13912345678 --subject x &&
	no_phone err
'

test_expect_success 'nor a malformed phone, nor one in the wrong field of a --from document' '
	expect_refusal s "--phone: .*not a phone number" docket file \
		--channel phone --subject x --phone "13912345678 王" &&
	no_phone err &&
	printf "channel: \"13912345678\"\nsubject: x\ncount: 13912345678\noccurred: \"13912345678\"\n" \
		>form.yaml &&
	expect_refusal s "form.yaml:3:8: .count.: is not a number" \
		docket file --from ../form.yaml &&
	test_grep "form.yaml:1:10: " err &&
	test_grep "form.yaml:4:11: .occurred.: is not a date" err &&
	no_phone err
'

test_expect_success 'under umask 000 nothing in the store is open to others, git CLI beside' '
	git -C s status >/dev/null &&
	git -C s gc -q &&
	test "$(git -C s config core.sharedRepository)" = 0600 &&
	find s s2 \( -perm -o+w -o -perm -o+r \) -print >open &&
	test_must_be_empty open
'

test_expect_success 'a store shared with a group: the secret is 0640, nothing is other-readable' '
	docket_init_store g --shared=group &&
	(cd g && docket file --channel phone --phone 13800000001 \
		--subject 电梯故障 >/dev/null) &&
	test "$(stat -c %a g/.git/docket-secret)" = 640 &&
	git -C g status >/dev/null &&
	find g \( -perm -o+w -o -perm -o+r \) -print >open &&
	test_must_be_empty open &&
	test "$(git -C g config core.sharedRepository)" = 0660 &&
	test "$(stat -c %a g/.git/index)" = 660
'

test_expect_success 'a store made by docket clone is as private as one made by init' '
	git clone -q --bare s hub.git &&
	docket clone hub.git c >/dev/null &&
	test "$(git -C c config core.sharedRepository)" = 0600 &&
	git -C c status >/dev/null &&
	find c \( -perm -o+w -o -perm -o+r \) -print >open &&
	test_must_be_empty open
'

test_done
