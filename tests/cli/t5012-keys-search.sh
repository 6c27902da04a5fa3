#!/bin/sh
# run-cli: long (started first, so the pool does not end on it)
test_description='list --phone/--name read a few pieces of .git/docket-keys: exactly the right cases after writes, after a torn or damaged keys file, after a keys file of the old layout'
. "$(dirname "$0")/lib.sh"

GEN="$DOCKET_ROOT/tests/report/gen_store.py"
PY=/usr/bin/python3
DOCKET_NOW=2026-11-27T18:00:00+08:00
export DOCKET_NOW

keys=store/.git/docket-keys

# keys.py: what the store's case files say (the oracle, without docket),
# and the keys file taken apart, damaged or written in the old layout
# (version 3, with the home-made sum64 of versions 1 to 5)
cat >keys.py <<'EOF'
import glob, hashlib, hmac, os, re, struct, sys
import yaml
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
def cases(store):
    for p in sorted(glob.glob(os.path.join(store, "cases/*/*/*.yaml"))):
        c = yaml.load(open(p, encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
        who = c.get("complainant") or {}
        yield p[len(store) + 1:], c["id"], who.get("phone"), who.get("name"), \
            c.get("respondent")
def mac(secret, kind, *parts):
    h = hmac.new(secret, kind + b"\0".join(x.encode() for x in parts),
                 hashlib.sha256).digest()
    return struct.unpack("<Q", h[:8])[0] or 1
cmd, a = sys.argv[1], sys.argv[2:]
digits = lambda s: re.sub(r"[^0-9]", "", s or "")
if cmd == "oracle":	# STORE DIR: in DIR, for phone and name, the values
    # of the store (KIND.values) and the ids a search for them all must
    # list (KIND.ids); for each "KIND VALUE" line of DIR/one, the ids of
    # that one (one.N)
    all_ = list(cases(a[0]))
    for kind, i in (("phone", 2), ("name", 3)):
        with open(os.path.join(a[1], kind + ".values"), "w") as f:
            for v in sorted({c[i] for c in all_ if c[i]}):
                print(v, file=f)
        with open(os.path.join(a[1], kind + ".ids"), "w") as f:
            for c in all_:
                if c[i]:
                    print(c[1], file=f)
    for n, line in enumerate(open(os.path.join(a[1], "one"))):
        kind, v = line.rstrip("\n").split(" ", 1)
        with open(os.path.join(a[1], "one.%d" % n), "w") as f:
            for c in all_:
                if kind == "phone" and c[2] and digits(c[2]) == digits(v):
                    print(c[1], file=f)
                elif kind == "name" and c[3] == v:
                    print(c[1], file=f)
elif cmd == "flip":	# FILE OFFSET: one byte changed
    f = open(a[0], "r+b"); f.seek(int(a[1])); b = f.read(1)
    f.seek(int(a[1])); f.write(bytes([b[0] ^ 0x5a])); f.close()
elif cmd == "names":	# FILE N: the name keys of the first N rows changed
    d = bytearray(open(a[0], "rb").read())
    bits, = struct.unpack("<I", d[36:40])
    offs = 80 + 64 * (1 << bits) + 12 * sum(struct.unpack("<IIII", d[48:64]))
    rows = offs + 4 * struct.unpack("<I", d[12:16])[0]
    for i in range(int(a[1])):
        o = rows + struct.unpack("<I", d[offs + 4 * i:offs + 4 * i + 4])[0]
        d[o + 24] ^= 0x5a
    open(a[0], "wb").write(d)
elif cmd == "size":	# FILE: its size and the offsets of its pieces
    d = open(a[0], "rb").read()
    bits, = struct.unpack("<I", d[36:40])
    nent = struct.unpack("<IIII", d[48:64])
    count, = struct.unpack("<I", d[12:16])
    dir_ = 80; tab = dir_ + 64 * (1 << bits); offs = tab + 12 * sum(nent)
    print(len(d), dir_, tab, offs, offs + 4 * count)
elif cmd == "v3":	# STORE: a sound version 3 file of HEAD, keys shifted
    # by one row: read as it is laid out, it would name wrong cases
    store, tree = a[0], bytes.fromhex(a[1])
    secret = open(os.path.join(store, ".git/docket-secret"), "rb").read()
    rows = []
    for path, _, phone, name, resp in cases(store):
        d = re.sub(r"[^0-9]", "", phone or "")
        rows.append([mac(secret, b"P", d) if d else 0,
                     mac(secret, b"W", name, resp) if name and resp else 0,
                     mac(secret, b"N", name) if name else 0,
                     path[len("cases/"):]])
    keys = [r[:3] for r in rows]
    body = b"DKTKEYS\0" + struct.pack("<II", 3, len(rows)) + tree
    body += struct.pack("<IQ", 0, mac(secret, b"I", "docket-keys"))
    for i, r in enumerate(rows):
        k = keys[(i + 1) % len(rows)]
        p = r[3].encode() + b"\0"
        body += struct.pack("<QQQH", k[0], k[1], k[2], len(p)) + p
    open(os.path.join(store, ".git/docket-keys"), "wb").write(
        body + struct.pack("<Q", sum64(body, 3)))
EOF

list () {
	docket -C "$TRASH_DIRECTORY/store" --as chen.jing list "$@"
}

# oracle: what the searches must list, computed again when the store
# changed since (a damaged keys file changes nothing in it)
oracle () {
	state=$(git -C "$TRASH_DIRECTORY/store" rev-parse HEAD) &&
	if [ "$state" != "$(cat "$TRASH_DIRECTORY/oracle/state" 2>/dev/null)" ]
	then
		mkdir -p "$TRASH_DIRECTORY/oracle" &&
		printf "%s\n" "phone 13700000077" "phone 137-0000 0077" \
			"name 回头客" >"$TRASH_DIRECTORY/oracle/one" &&
		"$PY" "$TRASH_DIRECTORY/keys.py" oracle \
			"$TRASH_DIRECTORY/store" "$TRASH_DIRECTORY/oracle" &&
		echo "$state" >"$TRASH_DIRECTORY/oracle/state"
	fi
}

# search KIND: one docket run asks for every phone (or name) of the
# store at once and must list exactly the cases that have one: a key
# missed by the lookup would leave its case out.
search () {
	opt=--$1 && o=$TRASH_DIRECTORY/oracle/$1 && set -- &&
	while read -r v; do
		set -- "$@" "$opt" "$v"
	done <"$o.values" &&
	list "$@" --format ids >"$TRASH_DIRECTORY/actual" \
		2>"$TRASH_DIRECTORY/err" &&
	test_must_be_empty "$TRASH_DIRECTORY/err" &&
	test_cmp "$o.ids" "$TRASH_DIRECTORY/actual"
}

# both: every phone and every name, and each search of oracle/one (the
# caller who rang three times) alone
both () {
	oracle && search phone && search name &&
	n=0 && while read -r kind v; do
		list "--$kind" "$v" --format ids >"$TRASH_DIRECTORY/actual" &&
		test_cmp "$TRASH_DIRECTORY/oracle/one.$n" \
			"$TRASH_DIRECTORY/actual" || return 1
		n=$((n + 1))
	done <"$TRASH_DIRECTORY/oracle/one"
}

# tree_of_keys: the cases tree the keys file was made of
tree_of_keys () {
	od -An -tx1 -j16 -N20 $keys | tr -d " \n"
}

test_expect_success 'setup: a generated store, a caller who rings three times' '
	"$PY" "$GEN" store >/dev/null &&
	for i in 1 2 3; do
		(cd store && docket --as chen.jing file --channel phone \
			--phone 13700000077 --name 回头客 --respondent 某某物业 \
			--subject "第${i}次来电" >/dev/null 2>&1) || return 1
	done &&
	test "$(head -c 7 $keys)" = DKTKEYS &&
	test "$(od -An -tu1 -j8 -N1 $keys | tr -d " ")" = 6
'

test_expect_success 'every phone and name finds exactly its cases' '
	both &&
	test $(wc -l <oracle/phone.values) -gt 100 &&
	test $(wc -l <oracle/name.values) -gt 100 &&
	test $(wc -l <oracle/one.0) = 3 && test_cmp oracle/one.0 oracle/one.1
'

test_expect_success 'after writes the keys file has not seen yet, then once it is written again' '
	(cd store && docket --as chen.jing file --channel phone \
		--phone 13700000077 --name 回头客 --subject 第四次来电 \
		>../id4 2>/dev/null) &&
	f=store/$(case_path 2026-000010) &&
	sed -i "s/phone: \"[0-9]*\"/phone: \"13700000077\"/" $f &&
	git -C store commit -qam "a phone corrected by hand" &&
	git -C store rm -q $(case_path 2026-000020) &&
	git -C store commit -qm "filed twice" &&
	test "$(tree_of_keys)" != "$(git -C store rev-parse HEAD:cases)" &&
	both &&
	for f in $(ls store/cases/2026/000/*.yaml | sed -n "30,80p"); do
		echo "# checked" >>$f
	done &&
	git -C store commit -qam "fifty cases touched" &&
	both &&
	test "$(tree_of_keys)" = "$(git -C store rev-parse HEAD:cases)" &&
	git -C store reset -q --hard HEAD~3 &&
	both
'

test_expect_success 'a keys file cut short anywhere is found out and rebuilt' '
	list --count >/dev/null &&
	cp $keys good &&
	set -- $("$PY" keys.py size good) &&
	size=$1 &&
	for n in 0 7 79 80 $2 $3 $(($3 + 5)) $4 $5 $((size / 2)) \
		$((size - 9)) $((size - 8)) $((size - 1)); do
		cp good $keys && truncate -s $n $keys &&
		both || { echo "cut at $n" >&4; return 1; }
		test $(stat -c %s $keys) = $size ||
			{ echo "cut at $n: not rebuilt" >&4; return 1; }
	done
'

test_expect_success 'a byte changed anywhere never changes an answer' '
	set -- $("$PY" keys.py size good) &&
	size=$1 &&
	offsets="8 12 16 36 40 48 52 56 64 72 $(($2 + 3)) $(($2 + 17)) $(($3 + 2)) $(($3 + 9)) $(($4 + 1)) $(($5 + 3)) $(($5 + 9)) $(($5 + 36)) $((size - 40)) $((size - 1))" &&
	i=0 && while [ $i -lt 24 ]; do
		offsets="$offsets $((80 + i * (size - 80) / 24))"
		i=$((i + 1))
	done &&
	for o in $offsets; do
		cp good $keys && "$PY" keys.py flip $keys $o &&
		both || { echo "byte $o changed" >&4; return 1; }
	done
'

test_expect_success 'damage in a part no search read is not written into a new file' '
	set -- $("$PY" keys.py size good) &&
	cp good $keys && "$PY" keys.py names $keys 20 &&
	"$PY" keys.py flip $keys $(($3 + 4)) &&
	for f in $(ls store/cases/2026/000/*.yaml | sed -n "100,150p"); do
		echo "# checked again" >>$f
	done &&
	git -C store commit -qam "fifty more touched" &&
	list --phone 13700000077 --count >count &&
	test "$(cat count)" = 4 &&
	test "$(tree_of_keys)" = "$(git -C store rev-parse HEAD:cases)" &&
	both
'

test_expect_success 'a keys file of an old layout (version 3) is rebuilt, never read' '
	"$PY" keys.py v3 store $(git -C store rev-parse HEAD:cases) &&
	test "$(od -An -tu1 -j8 -N1 $keys | tr -d " ")" = 3 &&
	both &&
	test "$(od -An -tu1 -j8 -N1 $keys | tr -d " ")" = 6
'

test_expect_success 'intake finds its repeats through the same file after damage' '
	"$PY" keys.py flip $keys 200 &&
	(cd store && docket --as chen.jing file --channel phone \
		--phone 13700000077 --subject 第五次来电 >../id5 2>../err) &&
	test_grep "likely repeat of case $(cat id4)" err &&
	test $(grep -c "likely repeat" err) = 4
'

test_done
