"""Reports people read: ``python cli.py report [SLUG | --all] --out DIR [--format md,tex,html,pdf]``.

Verifies the derivations (:func:`~derivations.engine.verify.verify_many`), then writes into
``DIR``:

* ``md``: ``index.md`` (one row per derivation) and ``<slug>.md`` (claims in display math with
  verdict, method, agreeing digits, hypotheses, uses; counterexamples of the controls; errata),
  claim graphs as ``graphs/<slug>.svg``;
* ``tex``: ``catalog.tex``, one standalone document for the whole catalog; ``pdf`` compiles it
  with latexmk when a TeX installation is present;
* ``html``: ``index.html`` and ``<slug>.html``, typeset offline by the KaTeX copy in ``assets/``,
  with the claim graph inline (SVG) and the figures;
* ``plots/<slug>-<name>.svg`` and ``.png``: the figures each derivation declares, when matplotlib is
  installed (see :mod:`derivations.engine.report.figures`);
* ``results.json``: the data every page was rendered from.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from derivations.engine.errors import BadInput

FORMATS = ("md", "tex", "html", "pdf")
DEFAULT_FORMATS = "md,tex,html"


def parse_formats(text: str) -> tuple:
    """``"md,html"`` -> ``("md", "html")``; :class:`BadInput` on an unknown or empty list."""
    got = [f.strip().lower() for f in (text or "").split(",") if f.strip()]
    bad = [f for f in got if f not in FORMATS]
    if bad or not got:
        raise BadInput(f"unknown format {bad[0]!r} (choose from {', '.join(FORMATS)})" if bad
                       else f"no format given (choose from {', '.join(FORMATS)})")
    return tuple(dict.fromkeys(got))


def prepare_outdir(path: str) -> Path:
    """Create ``path`` if needed and check that files can be written in it."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise BadInput(f"--out {path}: exists and is not a directory")
    try:
        p.mkdir(parents=True, exist_ok=True)
        probe = p / ".stepcheck-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise BadInput(f"--out {path}: cannot write there ({exc.strerror or exc})") from None
    return p


def write_report(pairs: list, outdir: Path, formats: tuple, meta: dict, echo=print) -> int:
    """Write the report of ``pairs = [(derivation, entry), ...]``; returns the exit status
    (1 only when a requested PDF could not be compiled by an installed latexmk)."""
    from derivations.engine.report import html, latex_doc, markdown
    from derivations.engine.report.graph import claim_graph_svg
    entries = [e for _, e in pairs]
    status = 0
    (outdir / "results.json").write_text(json.dumps({"meta": meta, "derivations": entries}, indent=1, default=str))
    if "md" in formats:
        (outdir / "graphs").mkdir(exist_ok=True)
        for e in entries:
            (outdir / "graphs" / f"{e['slug']}.svg").write_text(claim_graph_svg(e, standalone=True))
            (outdir / f"{e['slug']}.md").write_text(markdown.derivation_page(e, f"graphs/{e['slug']}.svg"))
        (outdir / "index.md").write_text(markdown.index_page(entries, meta))
        echo(f"markdown: index.md and {len(entries)} page(s), claim graphs in graphs/")
    if "tex" in formats or "pdf" in formats:
        (outdir / "catalog.tex").write_text(latex_doc.catalog_document(pairs, meta))
        echo("latex: catalog.tex")
    if "pdf" in formats:
        ok, message = latex_doc.compile_pdf(str(outdir))
        echo(f"pdf: {message}")
        if not ok and not message.startswith("latexmk not found"):
            status = 1
    if "html" in formats:
        html.copy_assets(outdir)
        for e in entries:
            (outdir / f"{e['slug']}.html").write_text(html.derivation_page(e, claim_graph_svg(e)))
        (outdir / "index.html").write_text(html.index_page(entries, meta))
        echo(f"html: index.html and {len(entries)} page(s), KaTeX in assets/katex")
    return status


def run_report(targets: list, outdir: Path, formats: tuple, digits: int = 50, seed: int = 0, timeout: float = 10.0,
               jobs: int = 1, plots: bool = True, echo=print) -> int:
    """The ``report`` command once its input is checked: verify, draw the figures, write the report."""
    from derivations.engine.report.figures import make_figures
    from derivations.engine.report.model import entry
    from derivations.engine.verify import verify_many
    t0 = time.perf_counter()
    results = verify_many(targets, digits=digits, seed=seed, timeout=timeout, jobs=jobs)
    seconds = time.perf_counter() - t0
    echo(f"verified {len(targets)} derivation(s) in {seconds:.1f} s")
    pairs = [(d, entry(d, r)) for d, r in zip(targets, results)]
    notes = []
    if plots:
        t1 = time.perf_counter()
        figures, notes = make_figures(targets, outdir, jobs)
        for _, e in pairs:
            e["figures"] = [list(f) for f in figures.get(e["slug"], ())]
        n = sum(len(v) for v in figures.values())
        echo(f"figures: {n} in plots/ (SVG and PNG, {time.perf_counter() - t1:.1f} s)" if n else "figures: none")
        for note in notes:
            echo(f"  {note}")
    meta = {"digits": digits, "seed": seed, "timeout": timeout, "seconds": round(seconds, 3), "notes": notes}
    status = write_report(pairs, outdir, formats, meta, echo)
    echo(f"report written to {outdir}/ in {time.perf_counter() - t0:.1f} s")
    return status
