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
* ``results.json``: the data every page was rendered from, in the JSON contract
  (:mod:`derivations.engine.contract`), with the tool's version, the date and the settings.

The report is written into a sibling folder that then replaces ``DIR`` (no stale page or figure
of an earlier report survives); ``DIR`` must be new, empty, or an earlier report.
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


def check_formats(formats: tuple) -> None:
    """The programs the formats need are installed: ``pdf`` needs latexmk (else
    :class:`~derivations.engine.errors.MissingTool`, exit status 1, before anything is verified)."""
    from derivations.engine.report.latex_doc import latexmk
    if "pdf" in formats and latexmk() is None:
        from derivations.engine.errors import MissingTool
        raise MissingTool("--format pdf needs latexmk and pdflatex (Debian: apt-get install latexmk "
                          "texlive-latex-recommended texlive-latex-extra); nothing was written")


REPORT_MARK = "results.json"  # a folder holding this file (with stepcheck's data) is an earlier report


def _is_report(p: Path) -> bool:
    """Does the folder ``p`` hold an earlier stepcheck report (that may be replaced)?"""
    try:
        data = json.loads((p / REPORT_MARK).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "derivations" in data and (
        (data.get("tool") or {}).get("name") == "stepcheck" or "meta" in data)


def prepare_outdir(path: str) -> Path:
    """Check that the report may be written to ``path``: a new folder, an empty one, or an earlier
    report (which the new one replaces whole); anything else is refused, so that no file of the
    user's is ever deleted.  The parent must be writable (the report is written beside it first)."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise BadInput(f"--out {path}: exists and is not a directory")
    if p.is_dir() and any(p.iterdir()) and not _is_report(p):
        raise BadInput(f"--out {path}: a folder that holds files and no earlier report; give a new or empty "
                       "folder (a report replaces the whole folder)")
    parent = p.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        probe = parent / f".{p.name or 'report'}.stepcheck-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise BadInput(f"--out {path}: cannot write there ({exc.strerror or exc})") from None
    return p


class _Staging:
    """A sibling folder the report is written into, then swapped with the target: the target
    holds the old report or the new one, never a mixture (and never stale pages)."""

    def __init__(self, target: Path):
        import tempfile
        self.target = Path(target)
        parent = self.target.resolve().parent
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.new-", dir=parent))

    def commit(self) -> None:
        import os
        import shutil
        import tempfile
        os.chmod(self.path, 0o755)  # mkdtemp makes it private; a report is a normal folder
        old = None
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=self.target.resolve().parent))
            os.rmdir(old)
            os.rename(self.target, old)
        os.rename(self.path, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        import shutil
        shutil.rmtree(self.path, ignore_errors=True)


def report_meta(digits: int, seed: int, timeout: float, jobs: int, seconds: float, notes: list, formats=(), *,
                version: str) -> dict:
    """What the pages say about the run (footers, index) and the head of ``results.json``:
    the tool's ``version`` (the caller's), the date, the settings."""
    import datetime

    from derivations.engine.contract import SCHEMA_VERSION, settings, tool
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return {"schema_version": SCHEMA_VERSION, "tool": tool(version),
            "generated": now.isoformat().replace("+00:00", "Z"), "date": now.date().isoformat(),
            **settings(digits, seed, timeout, jobs), "seconds": round(seconds, 3),
            "notes": list(notes), "formats": list(formats)}


def results_document(entries: list, meta: dict) -> dict:
    """``results.json``: the contract's envelope, the run and every entry the pages were rendered from."""
    from derivations.engine.contract import envelope
    from derivations.engine.report.model import catalog_verdict
    head = envelope("report", {k: meta[k] for k in ("digits", "seed", "timeout", "jobs")},
                    version=meta["tool"]["version"], input={"formats": meta["formats"]})
    return {**head, "generated": meta["generated"], "verdict": catalog_verdict(entries), "seconds": meta["seconds"],
            "notes": meta["notes"], "derivations": entries}


def write_report(pairs: list, outdir: Path, formats: tuple, meta: dict, echo=print) -> int:
    """Write the report of ``pairs = [(derivation, entry), ...]`` into ``outdir`` (which exists);
    returns the exit status (1 only when a requested PDF could not be compiled)."""
    from derivations.engine.report import html, latex_doc, markdown
    from derivations.engine.report.graph import claim_graph_svg
    entries = [e for _, e in pairs]
    status = 0
    (outdir / "results.json").write_text(json.dumps(results_document(entries, meta), indent=1, default=str))
    if "md" in formats:
        (outdir / "graphs").mkdir(exist_ok=True)
        for e in entries:
            (outdir / "graphs" / f"{e['slug']}.svg").write_text(claim_graph_svg(e, standalone=True))
            (outdir / f"{e['slug']}.md").write_text(markdown.derivation_page(e, meta, f"graphs/{e['slug']}.svg"))
        (outdir / "index.md").write_text(markdown.index_page(entries, meta))
        echo(f"markdown: index.md and {len(entries)} page(s), claim graphs in graphs/")
    if "tex" in formats or "pdf" in formats:
        (outdir / "catalog.tex").write_text(latex_doc.catalog_document(pairs, meta))
        echo("latex: catalog.tex")
    if "pdf" in formats:
        ok, message = latex_doc.compile_pdf(str(outdir))
        echo(f"pdf: {message}")
        if not ok:
            status = 1
    if "html" in formats:
        html.copy_assets(outdir)
        for e in entries:
            (outdir / f"{e['slug']}.html").write_text(html.derivation_page(e, meta, claim_graph_svg(e)))
        (outdir / "index.html").write_text(html.index_page(entries, meta))
        echo(f"html: index.html and {len(entries)} page(s), KaTeX in assets/katex")
    return status


def run_report(targets: list, outdir: Path, formats: tuple, digits: int = 50, seed: int = 0, timeout: float = 10.0,
               jobs: int = 1, plots: bool = True, echo=print, progress=None, *, version: str,
               cache: dict | None = None) -> int:
    """The ``report`` command once its input is checked: verify, draw the figures, write the
    report into a sibling folder, then put it in the place of ``outdir``.  ``progress`` (a
    :class:`stepcheck.terminal.Progress`) counts claims, then figures; ``version`` is the tool's,
    for the footers and ``results.json``; ``cache`` as :func:`~derivations.engine.verify.verify_many`'s."""
    from derivations.engine.report.figures import make_figures
    from derivations.engine.report.model import entry
    from derivations.engine.verify import verify_many
    t0 = time.perf_counter()
    on_result = None
    if progress is not None:
        progress.start("verifying", sum(len(d.claims) + len(d.controls) + len(d.errata) for d in targets))
        on_result = lambda kind, r: progress.advance()  # noqa: E731
    results = verify_many(targets, digits=digits, seed=seed, timeout=timeout, jobs=jobs, on_result=on_result,
                          cache=cache)
    seconds = time.perf_counter() - t0
    cached = sum(r.cached for r in results)
    echo(f"verified {len(targets)} derivation(s) in {seconds:.1f} s"
         + (f" ({cached} cached, unchanged since verified)" if cached else ""))
    pairs = [(d, entry(d, r)) for d, r in zip(targets, results)]
    staging = _Staging(outdir)
    try:
        notes = []
        if plots:
            t1 = time.perf_counter()
            if progress is not None:
                progress.start("figures", sum(len(d.figures) for d in targets))
            figures, notes = make_figures(targets, staging.path, jobs,
                                          on_figure=progress.advance if progress is not None else None)
            for _, e in pairs:
                e["figures"] = figures.get(e["slug"], [])
            n = sum(len(v) for v in figures.values())
            echo(f"figures: {n} in plots/ (SVG and PNG, {time.perf_counter() - t1:.1f} s)" if n else "figures: none")
            for note in notes:
                echo(f"  {note}")
        if progress is not None:
            progress.clear()
        meta = report_meta(digits, seed, timeout, jobs, seconds, notes, formats, version=version)
        status = write_report(pairs, staging.path, formats, meta, echo)
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    echo(f"report written to {outdir}/ in {time.perf_counter() - t0:.1f} s")
    return status
