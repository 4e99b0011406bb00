"""Checks its own results while traced: python3.11 harm.py SECS.

Calls into much of the interpreter (formatting, dicts, sets, sorting,
integer and float parsing, big integers, regular expressions, JSON,
exceptions, generators, classes) with inputs that change every
iteration, compares each answer with one known without that code path,
and prints `iterations=N bad=M` (then up to 5 `bad: …` lines).
"""
import json
import re
import sys
import time

bad = []


def check(ok, what, it):
    if not ok:
        bad.append(f"{what} at iteration {it}")


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def norm1(self):
        return abs(self.x) + abs(self.y)


def squares(n):
    for i in range(n):
        yield i * i


def one_iteration(it):
    s = f"{it}-{'abc'}-{255:x}"
    check(s == str(it) + "-abc-ff", "f-string", it)
    check("%d|%5.2f" % (it, 0.5) == str(it) + "| 0.50", "%-format", it)
    d = {str(i): i * it for i in range(20)}
    check(sum(d.values()) == 190 * it and d["7"] == 7 * it, "dict", it)
    st = {i % 17 for i in range(it % 50 + 20)}
    check(len(st) == 17, "set", it)
    xs = [(i * 7919 + it * 31) % 1000 for i in range(40)]
    ys = sorted(xs)
    check(all(ys[i] <= ys[i + 1] for i in range(39)) and sum(ys) == sum(xs), "sorted", it)
    check(int(str(it * 13 - 77)) == it * 13 - 77, "int()", it)
    check(float("123.25") + it == 123.25 + it, "float()", it)
    check((2 ** (64 + it % 64)) // (2 ** (it % 64)) == 2 ** 64, "bigint", it)
    m = re.match(r"(\d+)-(\w+)", f"{it}-word{it % 10}")
    check(m is not None and m.group(1) == str(it) and m.group(2) == f"word{it % 10}", "re", it)
    j = json.loads(json.dumps({"it": it, "l": [1, 2, it]}))
    check(j == {"it": it, "l": [1, 2, it]}, "json", it)
    try:
        {}["missing"]
        check(False, "KeyError", it)
    except KeyError as e:
        check(e.args == ("missing",), "KeyError", it)
    check(sum(squares(10)) == 285, "generator", it)
    check(Point(it, -it).norm1() == 2 * abs(it), "method", it)
    check("".join(reversed("abc" * (it % 5))) == "cba" * (it % 5), "str ops", it)


def main():
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else 5
    end = time.monotonic() + secs
    it = 0
    while time.monotonic() < end:
        for _ in range(16):
            one_iteration(it)
            it += 1
    print(f"iterations={it} bad={len(bad)}")
    for b in bad[:5]:
        print("bad:", b)
    sys.exit(1 if bad else 0)


main()
