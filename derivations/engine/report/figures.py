"""Figures of a report: each derivation declares its own (:class:`~derivations.engine.claims.Figure`),
drawn here into ``DIR/plots`` as SVG (for the HTML and Markdown pages) and as a 200 dpi PNG (for
the LaTeX document).  matplotlib is optional (``stepcheck[plots]``).

Each figure is drawn in a budgeted child process (its data may need a quadrature or a Monte Carlo
run), the derivations spread over ``jobs`` workers; a figure that fails, times out or leaves an
axis without a label becomes a note instead of a file.
"""
from __future__ import annotations

from pathlib import Path

PLOT_SECONDS = 60.0
PNG_DPI = 200
SIZE = (6.4, 4.0)  # inches

_JOBS: list = []


def matplotlib_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def unlabelled_axes(fig) -> list[str]:
    """The axes of ``fig`` (shown, with data) that lack an x or a y label: a figure people study
    says what it plots."""
    out = []
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible() or not ax.has_data():
            continue
        missing = [w for w, label in (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if not label.strip()]
        if missing:
            out.append(f"panel {k + 1} has no {' or '.join(missing)} label")
    return out


def draw(figure, outdir: Path, slug: str) -> tuple[str, str]:
    """Draw one :class:`Figure` to ``outdir/<slug>-<name>.svg`` and ``.png``; returns the file
    stem (relative to ``outdir``) and the caption."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure as MplFigure
    fig = MplFigure(figsize=SIZE, layout="constrained")
    figure.draw(fig)
    problems = unlabelled_axes(fig)
    if problems:
        raise ValueError("; ".join(problems))
    stem = f"{slug}-{figure.name}"
    fig.savefig(Path(outdir) / f"{stem}.svg", metadata={"Date": None})
    fig.savefig(Path(outdir) / f"{stem}.png", dpi=PNG_DPI)
    return stem, figure.caption


def _run(task):
    from derivations.engine.budget import run_with_budget
    i, k = task
    d, outdir = _JOBS[i]
    figure = d.figures[k]
    got = run_with_budget(draw, figure, outdir, d.slug, seconds=PLOT_SECONDS)
    if got.status != "ok":
        return d.slug, None, f"{d.slug}: figure {figure.name} skipped ({got.reason})"
    return d.slug, got.value, ""


def make_figures(derivations: list, outdir: Path, jobs: int = 1) -> tuple[dict, list]:
    """Every declared figure of ``derivations``: ``({slug: [(stem, caption)]}, notes)`` with stems
    relative to ``outdir`` (``plots/<slug>-<name>``; add ``.svg`` or ``.png``)."""
    global _JOBS
    if not any(d.figures for d in derivations):
        return {}, []
    if not matplotlib_available():
        return {}, ["matplotlib is not installed (pip install 'stepcheck[plots]'): figures skipped"]
    plots_dir = Path(outdir) / "plots"
    plots_dir.mkdir(parents=True, exist_ok=True)
    _JOBS = [(d, plots_dir) for d in derivations]
    tasks = [(i, k) for i, d in enumerate(derivations) for k in range(len(d.figures))]
    try:
        if jobs > 1 and len(tasks) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                done = list(pool.map(_run, tasks))
        else:
            done = [_run(t) for t in tasks]
    finally:
        _JOBS = []
    figures, notes = {}, []
    for slug, made, note in done:
        if made:
            stem, caption = made
            figures.setdefault(slug, []).append(("plots/" + stem, caption))
        if note:
            notes.append(note)
    return figures, notes
