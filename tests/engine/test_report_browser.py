"""The HTML report in a real headless browser (Debian's chromium): KaTeX typesets every
formula, the claim graph is there, and the console stays silent.  Pages are written from
entries with made-up verdicts, so no verification runs here."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import derivations  # noqa: E402
import report_demo  # noqa: E402
from derivations.engine.report import write_report  # noqa: E402

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(apt-get install chromium): the HTML report was not checked in a browser")
META = {"digits": 50, "seed": 0, "timeout": 10.0, "seconds": 1.0, "notes": []}


def browse(page: Path, profile: Path) -> tuple[str, list]:
    """The DOM of ``page`` after its scripts ran, and the console lines chromium logged."""
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "</html>" in proc.stdout, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return proc.stdout, console


def visible_text(dom: str) -> str:
    """Text a reader sees: no scripts, styles, or the TeX source KaTeX keeps for MathML."""
    dom = re.sub(r"<(script|style|annotation)\b.*?</\1>", "", dom, flags=re.S)
    return re.sub(r"<[^>]+>", "", dom)


def math_failures(dom: str) -> list:
    """``(claim id, offending text)`` for every formula KaTeX could not typeset."""
    bad = []
    for block in re.split(r'(?=<div class="claim )', dom):
        where = re.search(r'id="([^"]+)"', block)
        for m in re.finditer(r'class="katex-error"[^>]*title="([^"]*)"|style="[^"]*(?:rgb\(204, 0, 0\)|#cc0000)[^"]*"'
                             r'>([^<]*)<', block, flags=re.I):
            if (m[1] or m[2] or "").strip():
                bad.append((where[1] if where else "?", m[1] or m[2]))
    return list(dict.fromkeys(bad))


def test_demo_page_renders(tmp_path):
    write_report([(report_demo.DERIVATION, report_demo.fake_entry())], tmp_path, ("html",), META, echo=lambda s: None)
    dom, console = browse(tmp_path / "report-demo.html", tmp_path / "profile")
    assert console == []
    assert math_failures(dom) == [] and "katex-error" not in dom
    # 6 statements and the derived result displayed; hypotheses, docstrings, summary, note inline
    assert dom.count('class="katex-display"') >= 7 and dom.count('class="katex"') >= 14
    text = visible_text(dom)
    assert "$$" not in text and "\\(" not in text and "\\begin{aligned}" not in text
    assert "$\\sin" not in text  # the summary's $...$ became mathematics
    assert '<svg class="claim-graph nomath"' in dom and dom.count('<g class="node ') == 4
    assert "Lemma-X" in text and "C3.double_angle" in text
    assert 'href="index.html"' in dom and 'href="#claim-C1-pythagoras"' in dom


def _catalog_formulas():
    """``(where, tex, display)`` for every statement, hypothesis and derived result of the
    catalog, as the report hands them to KaTeX; and the slugs whose module does not load."""
    from derivations.engine.report.model import derived_results, display_tex, web_tex
    out, skipped = [], []
    for slug in derivations.CATALOG:
        try:
            d = derivations.load(slug)
        except Exception as exc:  # test_report reports modules that do not load
            skipped.append(f"{slug} ({type(exc).__name__})")
            continue
        for c in list(d.claims) + list(d.controls) + [c for e in d.errata for c in (e.post_says, e.correct)]:
            out.append((f"{slug}/{c.id}", display_tex(c.statement), True))
            out += [(f"{slug}/{c.id} hypothesis", web_tex(h), False) for h in c.hypotheses]
        out += [(f"{slug}: derived {label}", display_tex(tex), True) for label, tex in derived_results(d)]
    return out, skipped


def test_every_catalog_formula_typesets(tmp_path):
    """KaTeX, in the browser, parses every formula of the catalog (strict about unknown
    commands: an undefined control sequence is an error, not red text)."""
    from derivations.engine.report import html
    formulas, skipped = _catalog_formulas()
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
