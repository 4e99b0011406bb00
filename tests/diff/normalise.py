#!/usr/bin/env python3
"""Turn bpftrace 0.17's text output into the newer layout that sonde prints.

Usage: bpftrace FILE.bt 2>/dev/null | python3 normalise.py > FILE.expected

Applies only the deltas from docs/language-spec.md section 9 that the scripts
in tests/diff/ hit:

  R1  Drop the "Attaching N probe(s)..." line (0.17 prints it on stdout;
      new prints "Attached N probes" on stderr, and -q suppresses both).
  R2  hist/lhist header "@h: " (trailing space) -> "@h:".  Only applied when
      the next line is a histogram row, so a string map value ending in a
      space is never touched.
  R3  stats entry "@s: count 3, average 2, total 6"
      -> "@s: { .count = 3, .average = 2, .total = 6 }".
  R4  Blank lines.  In 0.17 the only blank lines in our scripts' output come
      from (a) the histogram trailer (kept in new), (b) the two newlines
      printed at exit before the maps (kept in new), (c) the blank line after
      every avg/stats map (dropped in new) and (d) one blank line for every
      empty map at exit (dropped in new).  For each run of consecutive blank
      lines we therefore keep: 1 if the run follows a histogram row (a), plus
      2 for the first run that still has >= 2 blank lines left over (b);
      everything else in the run is (c) or (d) and is dropped.

This relies on three rules the scripts follow (see README comment in
run.sh): every printf ends its line with "\\n", no script prints a blank line
itself, and no script print()s an empty map before exit.
"""

import re
import sys

ATTACH_RE = re.compile(r"^Attaching \d+ probes?\.\.\.$")            # R1
HIST_HEADER_RE = re.compile(r"^(@.*): $")                            # R2
HIST_ROW_RE = re.compile(r"^[\[(].*\|$")                             # R2, R4
STATS_RE = re.compile(                                               # R3
    r"^(@.*): count (-?\d+), average (-?\d+), total (-?\d+)$")


def normalise(text):
    lines = text.split("\n")
    trailing_newline = lines and lines[-1] == ""
    if trailing_newline:
        lines.pop()

    # R1
    lines = [l for l in lines if not ATTACH_RE.match(l)]

    # R2, R3
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        m = HIST_HEADER_RE.match(line)
        if m and HIST_ROW_RE.match(nxt):
            line = m.group(1) + ":"
        m = STATS_RE.match(line)
        if m:
            line = "%s: { .count = %s, .average = %s, .total = %s }" % m.groups()
        out.append(line)

    # R4
    result = []
    exit_seen = False
    i = 0
    while i < len(out):
        if out[i] != "":
            result.append(out[i])
            i += 1
            continue
        run = 0
        while i < len(out) and out[i] == "":
            run += 1
            i += 1
        prev = result[-1] if result else None
        keep = 1 if prev is not None and HIST_ROW_RE.match(prev) else 0
        if not exit_seen and run - keep >= 2:
            keep += 2
            exit_seen = True
        result.extend([""] * keep)

    text = "\n".join(result)
    if trailing_newline:
        text += "\n"
    return text


def main():
    data = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
    sys.stdout.buffer.write(normalise(data).encode("utf-8", "surrogateescape"))


if __name__ == "__main__":
    main()
