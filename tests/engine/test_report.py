"""The report command: Markdown, LaTeX, HTML, claim graph, figures, notebook display, and
the printed LaTeX of every claim in the catalog."""
from __future__ import annotations

import json
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import derivations  # noqa: E402
import report_demo  # noqa: E402
from derivations.engine.report import model  # noqa: E402
from derivations.engine.report.graph import claim_graph_svg, layout  # noqa: E402

CATALOG_SLUGS = list(derivations.CATALOG)


def _run_cli(args, capsys):
    import cli
    with pytest.raises(SystemExit) as exc:
        cli.main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """The report of the demo derivation, written once through the CLI (md, tex, html, pdf)."""
    import cli
    out = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(derivations.CATALOG, report_demo.SLUG, "report_demo")
        import io
        from contextlib import redirect_stdout
        buf = io.StringIO()
        with redirect_stdout(buf), pytest.raises(SystemExit) as exc:
            cli.main(["report", report_demo.SLUG, "--out", str(out), "--format", "md,tex,html,pdf", "--jobs", "2"])
    return out, exc.value.code, buf.getvalue()


def test_report_writes_every_format(demo_report):
    out, code, log = demo_report
    assert code == 0, log
    for name in ("index.md", "report-demo.md", "graphs/report-demo.svg", "catalog.tex", "index.html",
                 "report-demo.html", "results.json", "assets/katex/katex.min.js", "assets/katex/katex.min.css",
                 "assets/katex/contrib/auto-render.min.js", "assets/katex/LICENSE",
                 "assets/katex/fonts/KaTeX_Main-Regular.woff2"):
        assert (out / name).is_file(), name
    if shutil.which("latexmk") is None:
        assert "latexmk not found: wrote catalog.tex, no PDF" in log
    data = json.loads((out / "results.json").read_text())
    (d,) = data["derivations"]
    assert d["verdict"] == "verified"
    assert [c["verdict"] for c in d["claims"]] == ["proved", "checked", "proved"]
    assert d["negative_controls"][0]["verdict"] == "refuted"


def test_markdown_index_and_page(demo_report):
    out, _, _ = demo_report
    index = (out / "index.md").read_text()
    assert ("| [report-demo](report-demo.md) | 2024-01-02 | **verified** | 3 | 2 | 0 | 1 | 0 | 0 | 1/1 | 1/1 |"
            in index)
    page = (out / "report-demo.md").read_text()
    blocks = re.findall(r"^\$\$\n(.*?)\n\$\$$", page, flags=re.S | re.M)
    for stmt in (report_demo.c1.statement, report_demo.c2.statement, report_demo.n1.statement,
                 report_demo.e1_post.statement, report_demo.e1_correct.statement):
        assert stmt in blocks
    assert "\\begin{aligned}\n" + report_demo.c3.statement + "\n\\end{aligned}" in blocks
    assert "### `C2.integral`: checked" in page and "### `N1.sum_is_one`: refuted" in page
    assert "| **checked** | numeric | 50 | skipped | agree |" in page
    assert "Hypotheses: $x>0$." in page
    assert "Uses: [`C1`](#claim-C1-pythagoras), `Lemma-X`." in page
    cx = re.search(r"Counterexample: `at x=([0-9.]+): lhs ([0-9.]+) vs rhs 1\.0", page)
    import math
    assert cx and abs(math.sin(float(cx[1])) + math.cos(float(cx[1])) - float(cx[2])) < 1e-12
    assert "### E1: confirmed" in page and "**Evidence:** `post's statement refuted (at x=" in page
    assert "$\\sin^2x+\\cos^2x=1$" in page  # docstring \( \) became GitHub's $ $
    assert "![claim graph of report-demo](graphs/report-demo.svg)" in page


def test_claim_graph_layers_and_colours():
    e = report_demo.fake_entry(["proved", "checked", "proved"])
    boxes, edges, _ = layout(e)
    assert set(edges) == {("C1.pythagoras", "C2.integral"), ("ext:Lemma-X", "C2.integral"),
                          ("C1.pythagoras", "C3.double_angle"), ("C2.integral", "C3.double_angle")}
    y = {k: v[1] for k, v in boxes.items()}
    assert y["C1.pythagoras"] == y["ext:Lemma-X"] < y["C2.integral"] < y["C3.double_angle"]
    svg = claim_graph_svg(e)
    assert svg.count('<g class="node ') == 4 and 'stroke-dasharray="4 3"' in svg
    assert '<g class="node checked"><title>C2.integral: checked</title>' in svg
    assert '<a href="#claim-C3-double_angle">' in svg and "http" not in svg
    assert 'xmlns="http://www.w3.org/2000/svg"' in claim_graph_svg(e, standalone=True)


def test_resolve_use_abbreviations():
    ids = ["C3b.recurrence", "C3c.recurrence", "C4"]
    assert model.resolve_use("C3b", ids) == "C3b.recurrence"
    assert model.resolve_use("C4", ids) == "C4"
    assert model.resolve_use("C3", ids) is None and model.resolve_use("X", ids) is None


def _balanced(tex: str) -> str | None:
    """None when braces, \\left/\\right and environments balance; else what is wrong."""
    body = re.sub(r"\\[{}]", "", tex.replace("\\\\", " "))
    depth = 0
    for ch in body:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return "a '}' closes nothing"
    if depth:
        return f"{depth} unclosed '{{'"
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]*)\}", tex):
        if kind == "begin":
            stack.append(name)
        elif not stack or stack.pop() != name:
            return f"\\end{{{name}}} does not match"
    if stack:
        return f"\\begin{{{stack[-1]}}} not closed"
    if len(re.findall(r"\\left(?![a-zA-Z])", tex)) != len(re.findall(r"\\right(?![a-zA-Z])", tex)):
        return "\\left and \\right do not pair up"
    return None


def test_latex_document(demo_report):
    out, _, _ = demo_report
    tex = (out / "catalog.tex").read_text()
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    assert _balanced(tex) is None, _balanced(tex)
    assert "\\paragraph{C1.pythagoras}\n\\verdict{proved}{trig\\_simplify; 50 digits;" in tex
    assert "\\paragraph{C2.integral}\n\\verdict{checked}{numeric; 50 digits;" in tex
    assert re.search(r"\\paragraph\{N1.sum\\_is\\_one\}\n\\verdict\{refuted\}\{numeric; at x=[0-9.]+: lhs", tex)
    assert "\\verdict{confirmed}{post's statement refuted" in tex
    for c in (report_demo.c1, report_demo.c3, report_demo.n1):
        assert "\\begin{align*}\n" + c.statement + "\n\\end{align*}" in tex


@pytest.mark.skipif(shutil.which("latexmk") is not None, reason="a TeX installation is present")
def test_pdf_without_tex_says_so(tmp_path):
    from derivations.engine.report.latex_doc import compile_pdf
    assert compile_pdf(str(tmp_path)) == (False, "latexmk not found: wrote catalog.tex, no PDF")


def test_latex_document_compiles(demo_report, tmp_path):
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        pytest.skip("TeX is not installed (no latexmk/pdflatex): catalog.tex was checked for balance, not compiled")
    from derivations.engine.report.latex_doc import compile_pdf
    out, _, _ = demo_report
    shutil.copytree(out, tmp_path / "r")
    ok, message = compile_pdf(str(tmp_path / "r"))
    assert ok, message


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("src", "href"):
                self.links.append((tag, k, v))


def test_html_is_offline_and_complete(demo_report):
    out, _, _ = demo_report
    for page in ("index.html", "report-demo.html"):
        text = (out / page).read_text()
        parser = _Links()
        parser.feed(text)
        for tag, attr, url in parser.links:
            if url == report_demo.DERIVATION.source:
                assert (tag, attr) == ("a", "href")  # the post's link, the only absolute URL
                continue
            assert "://" not in url and not url.startswith("//"), url
            if not url.startswith("#"):
                assert (out / url.split("#")[0]).is_file(), url
        rest = text.replace(f'href="{report_demo.DERIVATION.source}"', "").replace(
            f">{report_demo.DERIVATION.source}<", "")
        assert "http://" not in rest and "https://" not in rest
    page = (out / "report-demo.html").read_text()
    assert '<svg class="claim-graph nomath"' in page and page.count('<div class="claim v-') == 4
    assert '<img src="plots/report-demo-line.svg"' in page or "figures skipped" in (out / "index.html").read_text()


def test_declared_figures_are_drawn_as_svg_and_png(demo_report):
    pytest.importorskip("matplotlib")
    out, _, log = demo_report
    data = json.loads((out / "results.json").read_text())
    figs = [f for f, _ in data["derivations"][0]["figures"]]
    assert figs == ["plots/report-demo-line"]
    assert (out / "plots/report-demo-line.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "plots/report-demo-line.svg").read_text().lstrip().startswith("<?xml")
    assert "figure bare skipped" in log and "no x or y label" in log   # a figure must say what it plots


def test_png_figures_are_print_quality(demo_report):
    pytest.importorskip("matplotlib")
    import struct
    out, _, _ = demo_report
    head = (out / "plots/report-demo-line.png").read_bytes()[:24]
    width, height = struct.unpack(">II", head[16:24])
    assert (width, height) == (1280, 800)   # 6.4 x 4 inches at 200 dpi


def test_report_without_matplotlib(monkeypatch, tmp_path):
    from derivations.engine.report import figures
    monkeypatch.setattr(figures, "matplotlib_available", lambda: False)
    got, notes = figures.make_figures([report_demo.DERIVATION], tmp_path)
    assert got == {} and "figures skipped" in notes[0]


@pytest.mark.parametrize("args, message", [
    (["report", "no-such-slug", "--out", "{tmp}/r"], "unknown derivation 'no-such-slug'"),
    (["report", "hippo", "--out", "{tmp}/r", "--format", "md,docx"], "unknown format 'docx'"),
    (["report", "hippo", "--out", "{tmp}/file"], "exists and is not a directory"),
    (["report", "hippo", "--out", "{tmp}/file/sub"], "cannot write there"),
    (["report", "hippo", "--all", "--out", "{tmp}/r"], "give exactly one of SLUG or --all"),
    (["report", "hippo"], "Missing option '--out'"),
])
def test_bad_input_is_one_line_exit_2(args, message, tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    code, out, err = _run_cli([a.replace("{tmp}", str(tmp_path)) for a in args], capsys)
    assert code == 2 and message in err and err.count("\n") == 1 and out == ""


def test_notebook_display():
    from derivations.engine.verdicts import ClaimResult, DerivationResult
    from stepcheck import notebook
    c = ClaimResult("C1", r"a &= b\\ &= c", "checked", "skipped", "agree", 48.0, 0.5, method="numeric")
    r = DerivationResult("demo", "Demo", "https://example.org", "verified", 1.5, [c], [], [])

    class Formatter(dict):
        def for_type(self, cls, fn):
            self[cls] = fn

    class IPython:
        class display_formatter:
            formatters = {"text/html": Formatter(), "text/latex": Formatter()}

    notebook.register(IPython)
    html, latex = IPython.display_formatter.formatters["text/html"], IPython.display_formatter.formatters["text/latex"]
    tex = latex[ClaimResult](c)
    assert tex.startswith("$$") and tex.endswith("$$") and "\\begin{aligned}" in tex and "48 digits" in tex
    assert "checked" in html[ClaimResult](c) and "<table>" in html[ClaimResult](c)
    assert latex[DerivationResult](r).count("$$") == 4 and "VERIFIED" in html[DerivationResult](r)


# --------------------------------------------------------------- the printed LaTeX of the catalog

def _statements(d):
    """(claim, where) for every claim, control and erratum statement of ``d``."""
    out = [(c, "claim") for c in d.claims] + [(c, "control") for c in d.controls]
    for e in d.errata:
        out += [(e.post_says, "erratum"), (e.correct, "erratum")]
    return out


@pytest.mark.parametrize("slug", CATALOG_SLUGS + [report_demo.SLUG])
def test_claim_latex_is_well_formed(slug, monkeypatch):
    """Every statement fits in align*: balanced braces, \\left/\\right and environments, no
    blank line, no '$'; hypotheses and derived results balance too."""
    monkeypatch.setitem(derivations.CATALOG, report_demo.SLUG, "report_demo")
    d = derivations.load(slug)
    bad = []
    for c, where in _statements(d):
        problem = _balanced(c.statement)
        if problem is None and re.search(r"\n\s*\n", c.statement):
            problem = "blank line inside align*"
        if problem is None and "$" in c.statement.replace("\\$", ""):
            problem = "'$' inside align*"
        for h in c.hypotheses:
            problem = problem or (_balanced(h) and f"hypothesis {h!r}: {_balanced(h)}")
        if problem:
            bad.append(f"{where} {c.id}: {problem}")
    for label, tex in model.derived_results(d):
        if _balanced(tex):
            bad.append(f"derived result {label}: {_balanced(tex)}")
    assert not bad, "\n".join(bad)


_PARSER_COMMANDS = {  # what sympy.parsing.latex reads; statements using anything else are not tried
    "frac", "dfrac", "tfrac", "sqrt", "cdot", "times", "div", "pm", "mp", "left", "right", "sin", "cos", "tan",
    "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "exp", "log", "ln", "int", "sum",
    "prod", "lim", "to", "infty", "pi", "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta",
    "theta", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Sigma", "Phi", "Psi", "Omega", "binom", "Gamma", ",", "!", " ", ";"}


def _parser_can_read(tex: str) -> bool:
    return set(re.findall(r"\\([a-zA-Z]+|.)", tex)) <= _PARSER_COMMANDS


def _parse_back(c):
    """'match', 'mismatch: ...' or 'skip' for one claim: the statement read by SymPy's LaTeX
    parser against the expressions the claim builds, at one seeded point of its domain."""
    import sympy as sp
    from sympy.parsing.latex import parse_latex
    from derivations.engine.claims import Identity
    from derivations.engine.verify import _variables, claim_seed
    from numeric.evaluate import Unevaluable, evaluate
    from numeric.identity import agreement
    from numeric.sampling import draw_points
    if "&" in c.statement or "\\\\" in c.statement or not _parser_can_read(c.statement):
        return "skip"
    try:
        parsed = parse_latex(c.statement)
    except Exception:
        return "skip"
    if not isinstance(parsed, sp.Equality) or parsed.atoms(sp.core.function.AppliedUndef):
        return "skip"
    stmt = c.build()
    if not isinstance(stmt, Identity) or isinstance(stmt.lhs, sp.MatrixBase) or isinstance(stmt.rhs, sp.MatrixBase):
        return "skip"
    built = {s.name: s for s in sp.sympify(stmt.lhs - stmt.rhs).free_symbols}
    swap = {s: built[s.name] for s in parsed.free_symbols if s.name in built}
    swap.update({s: {"e": sp.E, "i": sp.I}[s.name] for s in parsed.free_symbols
                 if s.name in ("e", "i") and s.name not in built})
    if set(parsed.free_symbols) - set(swap):
        return "skip"
    pl, pr = parsed.lhs.xreplace(swap), parsed.rhs.xreplace(swap)
    point = draw_points(_variables(stmt, (stmt.lhs, stmt.rhs)), 1, claim_seed(0, c.id))[0]
    try:
        v = [evaluate(e, point, 30) for e in (pl, pr, stmt.lhs, stmt.rhs)]
    except (Unevaluable, TypeError, ValueError):
        return "skip"
    import mpmath
    with mpmath.workdps(40):
        def same(a, b):
            return abs(a - b) < mpmath.mpf(10) ** -20 or agreement(a, b) >= 12
        if (same(v[0], v[2]) and same(v[1], v[3])) or (same(v[0], v[3]) and same(v[1], v[2])) \
                or same(v[0] - v[1], v[2] - v[3]) or same(v[0] - v[1], v[3] - v[2]):
            return "match"
        return f"mismatch: parsed {parsed} gives {mpmath.nstr(v[0] - v[1], 8)}, built gives " \
               f"{mpmath.nstr(v[2] - v[3], 8)} at {point}"


@pytest.mark.parametrize("slug", CATALOG_SLUGS)
def test_claim_latex_parses_back(slug):
    """Where SymPy's LaTeX parser reads a statement as an equation in the claim's own symbols,
    it is the identity the claim checks (same value of lhs - rhs at a sampled point)."""
    pytest.importorskip("antlr4", reason="sympy.parsing.latex needs antlr4-python3-runtime==4.11")
    d = derivations.load(slug)
    got = {c.id: _parse_back(c) for c, _ in _statements(d)}
    bad = {k: v for k, v in got.items() if v.startswith("mismatch")}
    assert not bad, "\n".join(f"{k}: {v}" for k, v in bad.items())


def test_demo_latex_parses_back():
    pytest.importorskip("antlr4", reason="sympy.parsing.latex needs antlr4-python3-runtime==4.11")
    got = {c.id: _parse_back(c) for c, _ in _statements(report_demo.DERIVATION)}
    assert got == {"C1.pythagoras": "match", "C2.integral": "match", "C3.double_angle": "skip",
                   "N1.sum_is_one": "match", "E1.post": "match", "E1.correct": "match"}
