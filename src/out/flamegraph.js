// The flame graph's behaviour: zoom, search, hover details, URL state.
// Embedded in every SVG that src/out/flamegraph.c writes (the Makefile turns
// this file into build/gen/flamegraph_js.h), so it must stand alone.
//
// What the SVG gives it: <svg data-total data-xpad data-charw width>, and in
// <g id="frames"> one <g class="f" data-o data-c data-d> per frame, in
// depth-first order, left to right: data-o is the frame's first sample
// (offset from the left), data-c its samples, data-d its depth (0 = "all").
// Each holds <title>NAME (N COUNTNAME, P%)</title>, <rect>, <text>.
//
// URL parameters, read at load and kept up to date with history.replaceState:
//   s=REGEX        search (JavaScript regular expression, case-sensitive)
//   f=A;B;C        zoom to the frame reached by the stack A;B;C from the root
//                  (the names as shown, annotations stripped; no "all")
//
// Keys: Ctrl-F or / asks for a search, Escape clears it. "Matched: P%" is
// the share of all samples, zoomed or not, that lie under a matching frame;
// frames the writer left out as too narrow (--minwidth) are not counted.
"use strict";
(function () {
	var svg = document.documentElement;
	var total = +svg.getAttribute("data-total");
	var xpad = +svg.getAttribute("data-xpad");
	var charw = +svg.getAttribute("data-charw");
	var full = +svg.getAttribute("width") - 2 * xpad;
	var HIGHLIGHT = "rgb(230,0,230)";
	var frames = [], byG = new Map(), root = null, zoomed = null, query = "";
	var details, matched, unzoom, searchbtn;

	// "name (1,234 samples, 5.67%)" -> "name". Greedy, so a name that
	// itself contains " (" keeps it.
	function nameOf(title) {
		var m = /^([\s\S]*) \([\d,]+ [\s\S]*, [\d.]+%\)$/.exec(title);
		return m ? m[1] : title;
	}

	// The name cut with ".." to fit W pixels; the C side cuts the same way.
	function fit(name, w) {
		var n = Math.floor((w - 6) / charw);
		if (n < 3)
			return "";
		var cps = Array.from(name);
		return cps.length <= n ? name : cps.slice(0, n - 2).join("") + "..";
	}

	function place(f, x, w) {
		f.rect.setAttribute("x", x.toFixed(1));
		f.rect.setAttribute("width", w.toFixed(1));
		f.text.setAttribute("x", (x + 3).toFixed(1));
		f.text.textContent = fit(f.name, w);
	}

	// Z full width, its ancestors full width and dimmed, its descendants
	// scaled to match, everything else hidden.
	function zoom(z) {
		var o = z.o, c = z.c, scale = full / c;
		frames.forEach(function (f) {
			var show, ancestor = f.d < z.d;
			if (f.d <= z.d)
				show = f.o <= o && f.o + f.c >= o + c;
			else
				show = f.o >= o && f.o + f.c <= o + c;
			f.g.classList.toggle("hide", !show);
			f.g.classList.toggle("parent", show && ancestor);
			if (show && f.d <= z.d)
				place(f, xpad, full);
			else if (show)
				place(f, xpad + (f.o - o) * scale, f.c * scale);
		});
		zoomed = z === root ? null : z;
		unzoom.classList.toggle("off", !zoomed);
		save();
	}

	function pathOf(f) {
		var names = [];
		for (; f && f.parent; f = f.parent)
			names.unshift(f.name);
		return names.join(";");
	}

	function byPath(path) {
		var f = root;
		path.split(";").forEach(function (name) {
			f = f && f.kids.find(function (k) { return k.name === name; });
		});
		return f;
	}

	// Highlights the frames whose name matches RE and shows which share of
	// all samples they hold. A sample under two matching frames (a;b;a) is
	// counted once: frames come in depth-first order, so a frame starting
	// before the end of the last counted one lies inside it.
	function search(re) {
		frames.forEach(function (f) { f.rect.setAttribute("fill", f.fill); });
		query = re || "";
		searchbtn.classList.toggle("on", !!query);
		searchbtn.textContent = query ? "Reset Search" : "Search";
		matched.textContent = " ";
		save();
		if (!query)
			return;
		var rx;
		try {
			rx = new RegExp(query);
		} catch (e) {
			matched.textContent = "Bad regular expression";
			return;
		}
		var n = 0, end = -1;
		frames.forEach(function (f) {
			if (!rx.test(f.name))
				return;
			f.rect.setAttribute("fill", HIGHLIGHT);
			if (f.o >= end) {
				n += f.c;
				end = f.o + f.c;
			}
		});
		matched.textContent = "Matched: " + (100 * n / total).toFixed(2) + "%";
	}

	function ask() {
		var re = prompt("Search frames (regular expression):", query);
		if (re !== null)
			search(re);
	}

	function save() {
		var p = new URLSearchParams(location.search);
		if (query) p.set("s", query); else p.delete("s");
		if (zoomed) p.set("f", pathOf(zoomed)); else p.delete("f");
		var q = p.toString();
		try {
			history.replaceState(null, "", location.pathname + (q ? "?" + q : "") + location.hash);
		} catch (e) {
			// some viewers forbid it (sandboxed frames); the graph still works
		}
	}

	function frameOf(e) {
		var g = e.target.closest && e.target.closest("g.f");
		return g ? byG.get(g) : null;
	}

	function init() {
		details = document.getElementById("details");
		matched = document.getElementById("matched");
		unzoom = document.getElementById("unzoom");
		searchbtn = document.getElementById("search");
		var gs = document.querySelectorAll("#frames > g.f"), line = [];
		for (var i = 0; i < gs.length; i++) {
			var g = gs[i], d = +g.getAttribute("data-d");
			var f = {
				g: g, rect: g.querySelector("rect"), text: g.querySelector("text"),
				title: g.querySelector("title").textContent,
				o: +g.getAttribute("data-o"), c: +g.getAttribute("data-c"), d: d,
				parent: d > 0 ? line[d - 1] : null, kids: []
			};
			f.name = nameOf(f.title);
			f.fill = f.rect.getAttribute("fill");
			byG.set(g, f);
			if (f.parent)
				f.parent.kids.push(f);
			line[d] = f;
			frames.push(f);
		}
		root = frames[0];
		var box = document.getElementById("frames");
		box.addEventListener("click", function (e) {
			var f = frameOf(e);
			if (f)
				zoom(f);
		});
		box.addEventListener("mouseover", function (e) {
			var f = frameOf(e);
			details.textContent = f ? f.title : " ";
		});
		box.addEventListener("mouseout", function () { details.textContent = " "; });
		unzoom.addEventListener("click", function () { zoom(root); });
		searchbtn.addEventListener("click", function () {
			if (query)
				search("");
			else
				ask();
		});
		window.addEventListener("keydown", function (e) {
			if (e.key === "/" || ((e.ctrlKey || e.metaKey) && e.key === "f")) {
				e.preventDefault();
				ask();
			} else if (e.key === "Escape") {
				search("");
			}
		});
		var p = new URLSearchParams(location.search);
		if (p.get("s"))
			search(p.get("s"));
		var z = p.get("f") && byPath(p.get("f"));
		if (z)
			zoom(z);
		svg.setAttribute("data-ready", "1");	// for tests: the script ran to the end
	}

	if (document.readyState === "loading")
		window.addEventListener("DOMContentLoaded", init);
	else
		init();
})();
