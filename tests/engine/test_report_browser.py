r"""The HTML report in a real headless browser (Debian's chromium), page by page: KaTeX typesets
every formula, nothing a reader sees is raw markup (``$``, ``\(``, ``**``, a backslash command),
every local link and anchor resolves, and the console stays silent.

Two reports are read: the session's shared report (tests/engine/conftest.py: real verdicts of
the demo and two posts, figures included), and every page of the catalog's report written from
the catalog's own text (statements, docstrings, summaries, notes, derived results, captions)
with made-up verdicts, so that no verification runs here."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import warnings
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import derivations  # noqa: E402
import report_demo  # noqa: E402

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(apt-get install chromium): the HTML report was not checked in a browser")


def browse(page: Path, profile: Path, budget_ms: int = 5000) -> tuple[str, list]:
    """The DOM of ``page`` after its scripts ran, and the console lines chromium logged."""
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--allow-file-access-from-files", "--enable-logging=stderr", "--v=0",
         f"--virtual-time-budget={budget_ms}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and "</html>" in proc.stdout, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return proc.stdout, console


_HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="out">pending</pre>
<script>
var pages = %s, results = {};
function inspect(doc) {
  var body = doc.body.cloneNode(true);
  body.querySelectorAll(".katex, script, style").forEach(function (e) { e.remove(); });
  var failed = (doc.defaultView.katexErrors || []).map(function (e) { return String(e).slice(0, 200); });
  // an unknown command is typeset in KaTeX's error colour rather than failing the formula
  doc.querySelectorAll('.katex-html [style*="color: rgb(204, 0, 0)"]').forEach(function (e) {
    if (e.textContent.charCodeAt(0) === 92) failed.push("undefined command " + e.textContent.slice(0, 80)); });
  return {errors: failed.concat(Array.from(doc.querySelectorAll(".katex-error")).map(function (e) {
            return (e.getAttribute("title") || "") + " in " + e.textContent.slice(0, 120); })),
          text: body.textContent, katex: doc.querySelectorAll(".katex").length,
          display: doc.querySelectorAll(".katex-display").length};
}
function next(i) {
  if (i >= pages.length) { document.getElementById("out").textContent = JSON.stringify(results); return; }
  var f = document.createElement("iframe");
  f.onload = function () { setTimeout(function () {
    try { results[pages[i]] = inspect(f.contentDocument); } catch (e) { results[pages[i]] = {fail: String(e)}; }
    f.remove(); next(i + 1); }, 50); };
  f.src = pages[i]; document.body.appendChild(f);
}
next(0);
</script></body></html>"""


def read_pages(folder: Path, pages: list, profile: Path) -> tuple[dict, list]:
    """Every page of ``pages`` (relative to ``folder``) loaded in one browser, after KaTeX ran:
    ``({page: {"errors", "text", "katex", "display"}}, console lines)``; ``text`` is what a reader
    sees outside the typeset formulas."""
    harness = folder.parent / f"read-{folder.name}.html"
    harness.write_text(_HARNESS % json.dumps([f"{folder.name}/{p}" for p in pages]))
    dom, console = browse(harness, profile, budget_ms=2000 + 1000 * len(pages))
    got = json.loads(unescape(re.search(r'<pre id="out">(.*?)</pre>', dom, flags=re.S)[1]))
    return {p.split("/", 1)[1]: v for p, v in got.items()}, console


RAW = [("a raw $", re.compile(r"\$")), ("a raw \\(", re.compile(r"\\\(|\\\[")), ("raw ** markup", re.compile(r"\*\*")),
       ("a backslash command", re.compile(r"\\[A-Za-z]+"))]


def page_problems(got: dict) -> list:
    """What a reader would trip over on each page: formulas KaTeX could not typeset, raw markup."""
    bad = []
    for page, r in got.items():
        if "fail" in r:
            bad.append(f"{page}: not read ({r['fail']})")
            continue
        bad += [f"{page}: KaTeX error {e[:200]}" for e in r["errors"]]
        for what, pattern in RAW:
            for m in pattern.finditer(r["text"]):
                bad.append(f"{page}: {what}: ...{' '.join(r['text'][max(0, m.start() - 60):m.end() + 40].split())}...")
    return bad


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id":
                self.ids.add(v)
            if k in ("src", "href") and v:
                self.links.append(v)


def broken_links(folder: Path, pages: list) -> list:
    """Local links of ``pages`` whose file does not exist or whose ``#anchor`` is not in it."""
    parsed = {}

    def parse(name):
        if name not in parsed:
            p = _Anchors()
            p.feed((folder / name).read_text())
            parsed[name] = p
        return parsed[name]

    bad = []
    for page in pages:
        for url in parse(page).links:
            if "://" in url or url.startswith(("//", "mailto:")):
                continue
            target, _, frag = url.partition("#")
            target = target or page
            if not (folder / target).is_file():
                bad.append(f"{page}: {url} (no such file)")
            elif frag and target.endswith(".html") and frag not in parse(target).ids:
                bad.append(f"{page}: {url} (no such anchor)")
    return bad


def html_pages(folder: Path) -> list:
    return ["index.html"] + sorted(p.name for p in folder.glob("*.html") if p.name != "index.html")


def test_every_page_of_the_verified_report_reads_as_mathematics(small_report, tmp_path):
    """The shared report (real verdicts, counterexamples, figures): every page in the browser."""
    out, code, log = small_report
    assert code == 0, log
    pages = html_pages(out)
    assert pages == ["index.html", "id.html", "lora-plus.html", "report-demo.html"]
    got, console = read_pages(out, pages, tmp_path / "profile")
    assert console == []
    assert page_problems(got) == [] and broken_links(out, pages) == []
    demo = got["report-demo.html"]
    # 6 statements and the derived result displayed; hypotheses, docstrings, summary, note, caption inline
    assert demo["display"] >= 7 and demo["katex"] >= 14
    assert "Lemma-X" in demo["text"] and "C3.double_angle" in demo["text"] and "Figure 1." in demo["text"]
    assert "method: \u00b7" not in demo["text"] and "method: -" not in demo["text"]
    assert got["lora-plus.html"]["katex"] > 20 and "(post)" not in got["lora-plus.html"]["text"]  # labels typeset
    dom = (out / "report-demo.html").read_text()
    assert '<svg class="claim-graph nomath"' in dom and dom.count('<g class="node ') == 4


def synthetic_entry(d) -> dict:
    """An entry for derivation ``d`` with its own text and made-up verdicts of every kind (no
    verification): claims proved, checked with a gap, unknown with a reason; controls refuted
    with exact and numeric counterexamples; errata confirmed; figures as placeholders."""
    from derivations.engine.report.model import entry
    from derivations.engine.verdicts import ClaimResult, DerivationResult, ErratumResult

    def res(c, verdict, k):
        kinds = {"proved": ("proved", "agree", 50.0, "expand", None, ""),
                 "checked": ("skipped", "agree", 48.3, "numeric", None, "6 points at 50+10 and 50+30 digits"),
                 "unknown": ("unknown", "unknown", None, "", None, "numeric phase timed out after 10 s"),
                 "refuted": ("refuted", "disagree", None, "expand",
                             {"text": "difference = -x**2/2 + 1 (exact, by expand)"} if k % 2 else
                             {"at": {"x": "0.5"}, "lhs": "(1.0 - 2.0j)", "rhs": "1.5", "difference": "2.06", "dps": 140},
                             "")}
        sym, num, digits, method, cx, detail = kinds[verdict]
        return ClaimResult(c.id, c.statement, verdict, sym, num, digits, 0.01, method=method, detail=detail,
                           counterexample=cx, hypotheses=list(c.hypotheses), uses=list(c.uses),
                           gap="0.0012" if verdict == "checked" else None)
    claims = [res(c, ("proved", "checked", "unknown")[k % 3], k) for k, c in enumerate(d.claims)]
    controls = [res(c, "refuted", k) for k, c in enumerate(d.controls)]
    errata = [ErratumResult(e.id, e.post_says.statement, e.correct.statement, e.note, res(e.post_says, "refuted", k),
                            res(e.correct, "proved", k)) for k, e in enumerate(d.errata)]
    figures = [{"name": f.name, "svg": "plots/placeholder.svg", "png": "plots/placeholder.png", "caption": f.caption}
               for f in d.figures]
    return entry(d, DerivationResult(d.slug, d.title, d.source, "incomplete", 1.0, claims, controls, errata), figures)


@pytest.fixture(scope="module")
def catalog_derivations():
    """Every derivation of the catalog that loads, and the slugs that do not (yet)."""
    loaded, skipped = [], []
    for slug in derivations.CATALOG:
        try:
            loaded.append(derivations.load(slug))
        except Exception as exc:  # test_report reports modules that do not load
            skipped.append(f"{slug} ({type(exc).__name__})")
    return loaded, skipped


def test_every_page_of_the_catalog_report_reads_as_mathematics(catalog_derivations, tmp_path):
    """Every page of the catalog's report, written from each post's own text: formulas typeset,
    no raw markup, no broken link."""
    from derivations.engine.report import report_meta, write_report
    loaded, skipped = catalog_derivations
    out = tmp_path / "catalog"
    (out / "plots").mkdir(parents=True)
    (out / "plots" / "placeholder.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    pairs = [(d, synthetic_entry(d)) for d in loaded]
    write_report(pairs, out, ("html",), report_meta(50, 0, 10.0, 2, 1.0, ["lora-plus: figure x skipped (reason)"],
                                                     version="0.0.0"),
                 echo=lambda s: None)
    pages = html_pages(out)
    assert len(pages) == len(loaded) + 1
    (out / "zz-canary.html").write_text(CANARY.replace("HEAD", (out / "index.html").read_text().split("<body")[0]))
    got, console = read_pages(out, pages + ["zz-canary.html"], tmp_path / "profile")
    assert console == []
    # the checks can fail: a page with each kind of fault is caught, fault by fault
    canary = page_problems({"zz-canary.html": got.pop("zz-canary.html")}) + broken_links(out, ["zz-canary.html"])
    for fault in ("KaTeX error", "a raw $", "a raw \\(", "raw ** markup", "a backslash command: ...raw $x$",
                  "nowhere.html (no such file)", "index.html#no-such-anchor (no such anchor)", "#claims (no such anchor)"):
        assert any(fault in p for p in canary), (fault, canary)
    for d, page in zip(loaded, pages[1:]):  # every page was read, formulas typeset
        assert got[f"{d.slug}.html"]["katex"] > 0 and " ".join(d.title.split()) in " ".join(
            got[f"{d.slug}.html"]["text"].split())
    problems = page_problems(got) + broken_links(out, pages)
    assert not problems, "\n".join(problems[:40])
    if skipped:
        warnings.warn(f"{len(loaded)} derivations' pages checked; not loadable yet: {', '.join(skipped)}")


CANARY = """HEAD<body><p>\\(\\nosuchcommand x\\)</p>
<p class="nomath">raw $x$ and \\(y\\) and **bold** and \\alpha</p>
<a href="nowhere.html">x</a> <a href="index.html#no-such-anchor">y</a> <a href="#claims">z</a>
</body></html>"""


def _catalog_formulas(loaded):
    """``(where, tex, display)`` for every statement, hypothesis and derived result of the
    catalog, as the report hands them to KaTeX."""
    from derivations.engine.report.model import derived_results, display_tex, label_parts, web_tex
    out = []
    for d in loaded:
        slug = d.slug
        for c in list(d.claims) + list(d.controls) + [c for e in d.errata for c in (e.post_says, e.correct)]:
            out.append((f"{slug}/{c.id}", display_tex(c.statement), True))
            out += [(f"{slug}/{c.id} hypothesis", web_tex(h), False) for h in c.hypotheses]
        for label, tex in derived_results(d):
            out.append((f"{slug}: derived {label}", display_tex(tex), True))
            out += [(f"{slug}: label {label}", web_tex(t), kind == "display") for kind, t in label_parts(label)
                    if kind in ("math", "display")]
    return out


def test_every_catalog_formula_typesets(catalog_derivations, tmp_path):
    """KaTeX, in the browser, parses every formula of the catalog (strict about unknown
    commands: an undefined control sequence is an error, not red text)."""
    from derivations.engine.report import html
    loaded, skipped = catalog_derivations
    formulas = _catalog_formulas(loaded)
    data = json.dumps([list(f) for f in formulas]).replace("</", "<\\/")
    html.copy_assets(tmp_path)
    (tmp_path / "formulas.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><script src="assets/katex/katex.min.js"></script></head>'
        f'<body><pre id="out"></pre><script>var F = {data}, bad = [];\n'
        "F.forEach(function (f) { try { katex.renderToString(f[1], {displayMode: f[2], throwOnError: true, "
        'strict: "ignore"}); } catch (e) { bad.push([f[0], String(e.message || e)]); } });\n'
        'document.getElementById("out").textContent = JSON.stringify({n: F.length, bad: bad});</script></body></html>')
    dom, console = browse(tmp_path / "formulas.html", tmp_path / "profile")
    assert console == []
    got = json.loads(unescape(re.search(r'<pre id="out">(.*?)</pre>', dom, flags=re.S)[1]))
    assert got["n"] == len(formulas) > 0
    assert not got["bad"], "KaTeX cannot typeset:\n" + "\n".join(f"  {w}: {m[:160]}" for w, m in got["bad"])
