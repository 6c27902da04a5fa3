#!/usr/bin/python3
"""ascii-words.py ALLOW FILE... - English left in what docket printed.

A pseudo-check that a translation missed nothing: prints every run of
three or more ASCII letters in FILE that is not something a Chinese
clerk also types or reads as it is -- what the clerk typed, quoted
back as “...”, an option (--assignee), an id
(qian.hao, 2026-000001, received), a path (docket.yaml,
attachments/...), a number with its unit (15wd, 10 MB), a program or
variable name (git, man, DOCKET_USER) -- and exits 1 if there is one.

ALLOW is a file of such words, one a line (the store's ids, the fixed
ids of the case model, command and format names...).  HTML files
(*.html) are checked for their text only: tags, attributes and the
style sheet are markup.  For JSON and CSV, ALLOW lists the keys.
"""
import re
import sys

allow = set()
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        if line.strip():
            allow.add(line.strip())

# Stripped before looking for words, in this order.
PATTERNS = [
    r"“[^”\n]*”",                      # what the user typed, quoted
    r"<style>.*?</style>",              # a report's style sheet
    r"<[^>]*>",                         # markup
    r"&[a-z]+;|&#[0-9]+;",              # entities
    r"https?://\S+",                    # addresses
    r"--[a-z][a-z0-9-]*(=[a-z]+)?",     # options
    r"\$?\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b",  # DOCKET_USER, LC_ALL
    r"\b[A-Z0-9]*-?[0-9]{4}-[0-9]{6}\b",    # case ids
    r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+([+-][0-9:]+|Z)?",  # times
    r"\bYYYY(-MM(-DD)?)?(\.\.YYYY-MM-DD)?\b",  # date formats
    r"\b[0-9]+(\.[0-9]+)?\s?(wd|d|h|y|MB|KB|pp)\b",  # numbers, units
    r"\bUTF-8\b|\bU\+[0-9A-F]+\b|\b0x[0-9a-f]+\b",
    r"[A-Za-z0-9_.~$<>-]*(/[A-Za-z0-9_.<>~-]*)+",  # paths, categories
    r"[A-Za-z0-9_./-]+\.(yaml|json|po|mo|html|csv|md)\b",
    r"\b[a-z0-9]+([._-][a-z0-9]+)+\b",  # dotted or dashed ids
]

bad = 0
for path in sys.argv[2:]:
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for p in PATTERNS:
        text = re.sub(p, " ", text, flags=re.S)
    for lineno, line in enumerate(text.split("\n"), 1):
        for m in re.finditer(r"[A-Za-z]{3,}", line):
            w = m.group(0)
            if w in allow or w.lower() in allow:
                continue
            bad += 1
            print("%s:%d: English word '%s' in: %s" %
                  (path, lineno, w, line.strip()[:160]))
sys.exit(1 if bad else 0)
