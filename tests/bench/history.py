#!/usr/bin/python3
"""history.py REF CASES PER: a git fast-import stream of CASES * PER empty
commits on REF (refs/heads/...), each with the Case: and Action: trailers
docket writes, for ids no case has (1999-NNNNNN): an office's history
for `make bench`, without changing any file."""
import sys

ref = sys.argv[1].encode()
cases, per = int(sys.argv[2]), int(sys.argv[3])
out = sys.stdout.buffer
acts = ["file", "triage", "assign", "note", "close"]
for i in range(cases * per):
    cid = "1999-%06d" % (i // per)
    act = acts[i % len(acts)]
    msg = ("%s %s\n\nCase: %s\nAction: %s\nActor: bench\n"
           % (act, cid, cid, act)).encode()
    out.write(b"commit %s\n" % ref)
    out.write(b"committer Bench <bench@example.org> %d +0800\n"
              % (1700000000 + i))
    out.write(b"data %d\n" % len(msg) + msg)
    if i == 0:
        out.write(b"from %s^0\n" % ref)
    out.write(b"\n")
