#!/usr/bin/env python3
"""sonde flamegraph, end to end: the SVG it writes, and that SVG's script
running in headless Chromium.

Usage: flamegraph.py [SONDE]   (default build/sonde-asan)

Static checks read the SVG with xml.etree. Browser checks load it from a
file:// URL: with URL parameters through `chromium --dump-dom` (the DOM
after the script ran), and clicks, hovers and keys through the DevTools
protocol (tests/e2e/cdp.py). Without chromium the browser checks count as
one failure, so CI cannot skip them unnoticed. Prints `N passed, N failed`.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SONDE = sys.argv[1] if len(sys.argv) > 1 else "build/sonde-asan"
CHROMIUM = next((shutil.which(c) for c in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(c)), None)
SVGNS = "{http://www.w3.org/2000/svg}"
TMP = tempfile.mkdtemp(prefix="sonde-fg-")
HIGHLIGHT = "rgb(230,0,230)"

# 200 samples. Search "lex|parse": parse (60, its lex 40 inside) + compute's
# lex (15) = 75 = 37.50%. "^rec$": three nested frames, 15 samples = 7.50%.
FOLDED = """\
main;parse;lex 30
main;parse;tree 20
main;run;compute;lex 15
main;run;compute;sqrt 25
main;run;read_[k] 10
main;run;jit_fn_[j] 10
main;run;inlined_[i] 5
main;py;handler_[p] 10
main;rec;rec;rec 15
main;parse;lex 10
idle 40
wake;waker_fn_[w] 5
odd<&>"'name 5
"""

# Each kind's palette (src/out/flamegraph.c): (r, g, b) ranges, pairwise disjoint.
PALETTES = {
    "user": ((200, 255), (20, 220), (0, 55)),
    "kernel": ((215, 255), (145, 205), (60, 100)),
    "jit": ((50, 110), (180, 240), (50, 110)),
    "inlined": ((50, 110), (170, 230), (170, 230)),
    "python": ((80, 130), (110, 165), (210, 255)),
    "waker": ((160, 200), (130, 170), (200, 240)),
}

tests = []


def test(fn):
    tests.append(fn)
    return fn


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(text.encode() if isinstance(text, str) else text)
    return path


def sonde(*args, stdin=b""):
    if isinstance(stdin, str):
        stdin = stdin.encode()
    return subprocess.run([SONDE, "flamegraph", *args], input=stdin, capture_output=True, timeout=60)


def render(*args, stdin=FOLDED):
    r = sonde(*args, stdin=stdin)
    assert r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr.decode(errors="replace"))
    return r.stdout


class Frame:
    def __init__(self, g, path):
        self.g, self.path = g, path
        self.rect = g.find(SVGNS + "rect")
        self.title = g.find(SVGNS + "title").text
        self.text = g.find(SVGNS + "text").text or ""
        self.name = re.match(r"^(.*) \([\d,]+ .*, [\d.]+%\)$", self.title, re.S).group(1)
        self.classes = g.get("class").split()
        self.fill = self.rect.get("fill")
        self.x, self.width = float(self.rect.get("x")), float(self.rect.get("width"))
        self.samples, self.depth = int(g.get("data-c")), int(g.get("data-d"))

    @property
    def hidden(self):
        return "hide" in self.classes

    def rgb(self):
        return tuple(int(v) for v in re.fullmatch(r"rgb\((\d+),(\d+),(\d+)\)", self.fill).groups())


def parse(svg):
    """The document root and its frames by path ("all;main;run")."""
    root = ET.fromstring(svg)
    frames, line = {}, []
    for g in root.iter(SVGNS + "g"):
        if "f" not in (g.get("class") or "").split():
            continue
        d = int(g.get("data-d"))
        f = Frame(g, None)
        del line[d:]
        line.append(f.name)
        f.path = ";".join(line)
        assert f.path not in frames, "two frames for " + f.path
        frames[f.path] = f
    return root, frames


def text_of(root, ident):
    el = root.find(".//*[@id='%s']" % ident)
    assert el is not None, "no #" + ident
    return el.text


def eq(got, want, what=""):
    assert got == want, "%s: got %r, want %r" % (what, got, want)


def kind_of(rgb):
    return [k for k, rng in PALETTES.items() if all(lo <= v <= hi for v, (lo, hi) in zip(rgb, rng))]


# ---- the SVG as written ----

@test
def test_identical_stacks_merge_and_counts_are_exact():
    root, fr = parse(render())
    eq(root.get("data-total"), "200", "data-total")
    eq(fr["all;main;parse;lex"].title, "lex (40 samples, 20.00%)", "merged lex")
    eq(fr["all"].title, "all (200 samples, 100.00%)", "root")
    eq(len([p for p in fr if p.endswith(";lex")]), 2, "lex frames (one per distinct stack)")


@test
def test_layout_siblings_in_byte_order_and_widths_by_samples():
    root, fr = parse(render())
    run = ["compute", "inlined", "jit_fn", "read"]
    xs = [fr["all;main;run;" + n].x for n in run]
    eq(xs, sorted(xs), "children of run left to right")
    eq(fr["all"].width, 1180.0, "root width (1200 - 2 x 10)")
    eq(fr["all;main;run"].width, round(1180 * 65 / 200, 1), "run's width")
    eq(fr["all;main;run;compute"].x, fr["all;main;run"].x, "first child starts at its parent")
    assert fr["all;main"].x < fr["all;odd<&>\"'name"].x < fr["all;wake"].x


@test
def test_annotations_are_stripped_and_colour_the_kind():
    svg = render()
    _, fr = parse(svg)
    assert b"_[" not in svg, "an annotation was shown"
    want = {"all;main;run;read": "kernel", "all;main;run;jit_fn": "jit", "all;main;run;inlined": "inlined",
            "all;main;py;handler": "python", "all;wake;waker_fn": "waker", "all;main;parse;lex": "user",
            "all;main": "user", "all;idle": "user"}
    for path, kind in want.items():
        eq(kind_of(fr[path].rgb()), [kind], "palette of " + path + " " + fr[path].fill)
    eq(fr["all;main;parse;lex"].fill, fr["all;main;run;compute;lex"].fill, "one function, one colour")
    # stable from release to release too: the colour comes from the name alone
    eq(fr["all;main"].fill, "rgb(201,197,31)", "main's colour")


@test
def test_title_subtitle_width_and_countname_are_honoured():
    root, fr = parse(render("--title", "CPU <on> & off", "--subtitle", "host \"a\"", "--width", "800",
                            "--countname", "bytes"))
    eq(root.get("width"), "800", "width")
    eq(text_of(root, "title"), "CPU <on> & off", "title")
    eq(text_of(root, "subtitle"), "host \"a\"", "subtitle")
    eq(fr["all"].width, 780.0, "root width")
    eq(fr["all;idle"].title, "idle (40 bytes, 20.00%)", "countname")
    root, _ = parse(render())
    eq(text_of(root, "title"), "Flame Graph", "default title")
    eq(root.find(".//*[@id='subtitle']"), None, "no subtitle by default")
    for ident, label in (("unzoom", "Reset Zoom"), ("search", "Search")):
        eq(text_of(root, ident), label, ident)
    for ident in ("details", "matched"):
        assert root.find(".//*[@id='%s']" % ident) is not None, ident


@test
def test_markup_in_names_is_escaped_and_bad_bytes_keep_it_well_formed():
    svg = render(stdin=FOLDED.encode() + b"bin\xff\xfe;ctl\x01x;\xe2\x82 3\n")
    assert b"odd&lt;&amp;&gt;&quot;&apos;name" in svg
    _, fr = parse(svg)         # raises if not well-formed
    eq(fr["all;odd<&>\"'name"].title, "odd<&>\"'name (5 samples, 2.46%)", "escaped name")
    assert "all;bin\ufffd\ufffd;ctl?x;\ufffd\ufffd" in fr, sorted(fr)


@test
def test_thousands_separators_and_long_names_cut_with_dots():
    _, fr = parse(render("--width", "400", stdin="a_very_long_function_name 1234567\nb 12345678\n"))
    eq(fr["all;a_very_long_function_name"].title,
       "a_very_long_function_name (1,234,567 samples, 9.09%)", "title")
    text = fr["all;a_very_long_function_name"].text
    eq(text, "a_..", "text in 34.5 px")


@test
def test_minwidth_leaves_out_narrow_frames_and_what_is_above_them():
    # 11,800 samples over 1,180 px: one sample is 0.1 px
    stdin = "big 11789\nmid;kid 1\nsmall;kid 10\n"
    _, fr = parse(render(stdin=stdin))
    assert "all;mid;kid" in fr, "0.1 px is kept at the default 0.1"
    _, fr = parse(render("--minwidth", "0.5", stdin=stdin))
    assert "all;mid" not in fr and "all;mid;kid" not in fr, sorted(fr)
    assert "all;small;kid" in fr
    eq(fr["all;small"].x, 10 + 1179.0, "small keeps its place after the gap")


@test
def test_output_is_deterministic_whatever_the_line_order():
    a = render()
    eq(render(), a, "second render")
    lines = FOLDED.splitlines(keepends=True)
    eq(render(stdin="".join(reversed(lines))), a, "reversed input")


@test
def test_malformed_lines_warn_once_and_are_skipped():
    r = sonde(stdin="a;b 3\nno count\na;;b 2\n;x 1\nc;d 1.5\n\n   \nc 0\nc;d 4\n")
    eq(r.returncode, 0, "exit status")
    err = r.stderr.decode()
    eq(err.count("WARNING"), 1, "warnings: " + err)
    assert "ignored 4 malformed lines (the first is line 2)" in err, err
    _, fr = parse(r.stdout)
    eq(fr["all"].samples, 7, "samples kept")


@test
def test_empty_input_is_an_error():
    for stdin in ("", "\n\n", "junk\n", "a 0\n"):
        r = sonde(stdin=stdin)
        assert r.returncode != 0, "exit 0 for %r" % stdin
        eq(r.stdout, b"", "stdout for %r" % stdin)
        assert b"ERROR: flamegraph: no samples" in r.stderr, r.stderr


@test
def test_bad_arguments_are_errors():
    for args in (["--width", "abc"], ["--width", "50"], ["--width", "12.5"], ["--minwidth", "-1"],
                 ["--bogus"], ["a", "b"], [os.path.join(TMP, "missing.folded")]):
        r = sonde(*args, stdin="a 1\n")
        assert r.returncode != 0, args
        eq(r.stdout, b"", "stdout for %s" % args)
        assert r.stderr.strip(), "no message for %s" % args
    r = sonde("--help")
    eq(r.returncode, 0, "--help")
    assert b"usage: sonde flamegraph" in r.stdout


@test
def test_file_argument_and_dash_o():
    src, out = write("in.folded", FOLDED), os.path.join(TMP, "out.svg")
    r = sonde(src, "-o", out)
    eq((r.returncode, r.stdout), (0, b""), "exit and stdout")
    with open(out, "rb") as f:
        eq(f.read(), render(), "file written")


# ---- in the browser ----

def dump_dom(svg, query):
    path = write("g.svg", svg)
    url = "file://" + path + "?" + urllib.parse.urlencode(query)
    r = subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                        "--user-data-dir=" + os.path.join(TMP, "profile-dump"),
                        "--virtual-time-budget=3000", "--dump-dom", url],
                       capture_output=True, timeout=60)
    assert r.returncode == 0 and r.stdout, "chromium: %s" % r.stderr[-500:]
    root, fr = parse(r.stdout)
    eq(root.get("data-ready"), "1", "the script ran to its end")
    return root, fr


def highlighted(fr):
    return sorted(p for p, f in fr.items() if f.fill == HIGHLIGHT)


@test
def test_browser_search_from_url_highlights_and_counts_each_sample_once():
    root, fr = dump_dom(render(), {"s": "lex|parse"})
    eq(text_of(root, "matched"), "Matched: 37.50%", "matched")
    eq(highlighted(fr), ["all;main;parse", "all;main;parse;lex", "all;main;run;compute;lex"], "highlighted")
    assert "on" in root.find(".//*[@id='search']").get("class").split()
    eq(text_of(root, "search"), "Reset Search", "the search button's label")
    root, fr = dump_dom(render(), {"s": "^rec$"})
    eq(text_of(root, "matched"), "Matched: 7.50%", "nested rec;rec;rec")
    eq(len(highlighted(fr)), 3, "rec frames")


@test
def test_browser_bad_regex_says_so():
    root, fr = dump_dom(render(), {"s": "(lex"})
    eq(text_of(root, "matched"), "Bad regular expression", "matched")
    eq(highlighted(fr), [], "highlighted")


@test
def test_browser_zoom_from_url():
    plain = parse(render())[1]
    root, fr = dump_dom(render(), {"f": "main;run"})
    run = fr["all;main;run"]
    eq((run.x, run.width), (10.0, 1180.0), "zoomed frame full width")
    assert not run.hidden and "parent" not in run.classes
    for p in ("all", "all;main"):
        eq((fr[p].x, fr[p].width, fr[p].hidden, "parent" in fr[p].classes), (10.0, 1180.0, False, True), p)
    for p in ("all;main;parse", "all;main;parse;lex", "all;idle", "all;wake;waker_fn", "all;main;py"):
        assert fr[p].hidden, p + " should be hidden"
    eq(fr["all;main;run;compute"].width, round(1180 * 40 / 65, 1), "compute rescaled")
    eq(fr["all;main;run;read"].x, round(10 + 1180 * 55 / 65, 1), "read moved")
    eq((plain["all;main;run;inlined"].text, fr["all;main;run;inlined"].text), ("i..", "inlined"),
       "text refitted to the new width")
    assert plain["all;main;run;compute"].width < fr["all;main;run;compute"].width
    assert "off" not in root.find(".//*[@id='unzoom']").get("class").split(), "Reset Zoom shown"


@test
def test_browser_zoom_and_search_together_and_unknown_frame_ignored():
    root, fr = dump_dom(render(), {"f": "main;run", "s": "lex"})
    eq(text_of(root, "matched"), "Matched: 27.50%", "share of all samples, zoomed or not")
    eq(fr["all;main;run"].width, 1180.0, "zoomed")
    root, fr = dump_dom(render(), {"f": "main;nosuch"})
    eq([p for p, f in fr.items() if f.hidden], [], "nothing hidden")
    assert "off" in root.find(".//*[@id='unzoom']").get("class").split()


FRAME_JS = """(() => {
  const g = [...document.querySelectorAll('g.f')].find(g => g.querySelector('title').textContent.startsWith(%r));
  const r = g.querySelector('rect').getBoundingClientRect();
  return [r.x + r.width / 2, r.y + r.height / 2];
})()"""


@test
def test_browser_click_hover_keys_and_url_state():
    path = write("live.svg", render())
    b = cdp.Browser(CHROMIUM, os.path.join(TMP, "profile-live"))
    try:
        b.open("file://" + path, "document.documentElement.getAttribute('data-ready') === '1'")
        x, y = b.eval(FRAME_JS % "parse (")
        b.hover(x, y)
        eq(b.eval("document.getElementById('details').textContent"), "parse (60 samples, 30.00%)", "details")
        b.click(x, y)
        eq(b.eval("location.search"), "?f=main%3Bparse", "URL after the click")
        eq(b.eval(FRAME_JS % "parse (")[0], 10 + 1180 / 2, "parse zoomed to full width")
        # '/' opens the search prompt; the answer searches and goes to the URL
        down, up = b.key("/", "Slash", 191, "/")
        b.event("Page.javascriptDialogOpening")
        b.call("Page.handleJavaScriptDialog", accept=True, promptText="tree")
        b.result(down)
        b.result(up)
        eq(b.eval("document.getElementById('matched').textContent"), "Matched: 10.00%", "matched")
        eq(b.eval("location.search"), "?f=main%3Bparse&s=tree", "URL after the search")
        b.result(b.key("Escape", "Escape", 27)[1])
        eq(b.eval("document.getElementById('matched').textContent"), " ", "matched after Escape")
        eq(b.eval("location.search"), "?f=main%3Bparse", "URL after Escape")
        eq(b.eval("document.getElementById('search').textContent"), "Search", "label after Escape")
        b.click(*b.eval("""(() => { const r = document.getElementById('unzoom').getBBox();
                           return [r.x + r.width / 2, r.y + r.height / 2]; })()"""))
        eq(b.eval("location.search"), "", "URL after Reset Zoom")
        eq(b.eval("document.querySelectorAll('g.f.hide').length"), 0, "hidden frames after Reset Zoom")
    finally:
        b.close()


BROWSER_TESTS = {t for t in tests if t.__name__.startswith("test_browser_")}


def main():
    passed = failed = 0
    if not os.access(SONDE, os.X_OK):
        print("%s: not built (make %s)" % (SONDE, SONDE))
        print("0 passed, 1 failed")
        return 1
    for t in tests:
        if t in BROWSER_TESTS and not CHROMIUM:
            continue
        try:
            t()
            passed += 1
            print("ok   " + t.__name__)
        except Exception:
            failed += 1
            print("FAIL " + t.__name__)
            print("     " + traceback.format_exc().strip().replace("\n", "\n     "))
    if not CHROMIUM:
        print("SKIP browser tests: chromium not found (scripts/install-deps.sh installs it); counted as a failure")
        failed += 1
    shutil.rmtree(TMP, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
