"""Figures of a report: each derivation declares its own (:class:`~derivations.engine.claims.Figure`),
drawn here into ``DIR/plots`` as SVG (for the HTML and Markdown pages) and as a 200 dpi PNG (for
the LaTeX document), each shown with its caption.  matplotlib is optional (``stepcheck[plots]``).

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


def _labelled(ax, which: str) -> bool:
    """The ``which`` (x or y) axis of ``ax`` says what it plots: its own label, or the label of an
    axis it shares (panels stacked with ``sharex=True`` label the bottom one only)."""
    label = ax.get_xlabel() if which == "x" else ax.get_ylabel()
    if label.strip():
        return True
    group = ax.get_shared_x_axes() if which == "x" else ax.get_shared_y_axes()
    return any((o.get_xlabel() if which == "x" else o.get_ylabel()).strip()
               for o in group.get_siblings(ax) if o is not ax)


def unlabelled_axes(fig) -> list[str]:
    """The axes of ``fig`` (shown, with data) that lack an x or a y label: a figure people study
    says what it plots."""
    out = []
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible() or not ax.has_data():
            continue
        missing = [w for w in ("x", "y") if not _labelled(ax, w)]
        if missing:
            out.append(f"panel {k + 1} has no {' or '.join(missing)} label")
    return out


def _break_line(text: str) -> str:
    """``text`` with its last line broken at the space nearest its middle, outside ``$..$``."""
    head, _, line = text.rpartition("\n")
    spaces, math = [], False
    for i, ch in enumerate(line):
        if ch == "$":
            math = not math
        elif ch == " " and not math:
            spaces.append(i)
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(line) / 2))
    return (head + "\n" if head else "") + line[:cut] + "\n" + line[cut + 1:]


def crowded_titles(fig) -> list:
    """The panel titles (and suptitle) that leave the canvas or overlap another title."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    FigureCanvasAgg(fig).draw()
    renderer, frame = fig.canvas.get_renderer(), fig.bbox
    titles = [ax.title for ax in fig.axes if ax.get_visible() and ax.get_title()]
    titles += [fig._suptitle] if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text() else []
    boxes = [t.get_window_extent(renderer) for t in titles]
    out = []
    for i, (t, b) in enumerate(zip(titles, boxes)):
        if b.x0 < frame.x0 - 1 or b.x1 > frame.x1 + 1 or b.y1 > frame.y1 + 1 or any(
                b.overlaps(o) for j, o in enumerate(boxes) if j != i):
            out.append(t)
    return out


def fit_titles(fig, rounds: int = 2) -> None:
    """Titles too wide for their panel (cut off at the edge, or running into the next panel's)
    are broken into lines, at most ``rounds`` times."""
    for _ in range(rounds):
        crowded = crowded_titles(fig)
        if not crowded:
            return
        for t in crowded:
            t.set_text(_break_line(t.get_text()))


def stem(slug: str, name: str) -> str:
    """The file name (without extension) of a figure: ``<slug>-<name>``, or ``<name>`` when it
    already starts with the slug (``hippo-error-vs-N``, not ``hippo-hippo-error-vs-N``)."""
    return name if name == slug or name.startswith(slug + "-") else f"{slug}-{name}"


def draw(figure, outdir: Path, slug: str) -> str:
    """Draw one :class:`Figure` to ``outdir/<stem>.svg`` and ``.png``; returns the stem."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure as MplFigure
    fig = MplFigure(figsize=SIZE, layout="constrained")
    figure.draw(fig)
    problems = unlabelled_axes(fig)
    if problems:
        raise ValueError("; ".join(problems))
    fit_titles(fig)
    name = stem(slug, figure.name)
    fig.savefig(Path(outdir) / f"{name}.svg", metadata={"Date": None})
    fig.savefig(Path(outdir) / f"{name}.png", dpi=PNG_DPI)
    return name


def _draw_or_say_why(figure, outdir: Path, slug: str):
    """``("ok", stem)`` or ``("error", one line)``: what went wrong, in the derivation's terms
    (never a code location)."""
    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # matplotlib's layout warnings are not the reader's business
            return "ok", draw(figure, outdir, slug)
    except Exception as exc:  # a figure that fails is a note in the report, not a failed report
        text = " ".join(str(exc).split())
        return "error", f"{type(exc).__name__}: {text}"[:300]


def _run(task):
    from derivations.engine.budget import run_with_budget
    i, k = task
    d, outdir = _JOBS[i]
    figure = d.figures[k]
    got = run_with_budget(_draw_or_say_why, figure, outdir, d.slug, seconds=PLOT_SECONDS)
    if got.status != "ok" or got.value[0] != "ok":
        why = got.value[1] if got.status == "ok" else got.reason
        return d.slug, None, f"{d.slug}: figure {figure.name} skipped ({why})"
    name = got.value[1]
    return d.slug, {"name": figure.name, "svg": f"plots/{name}.svg", "png": f"plots/{name}.png",
                    "caption": figure.caption}, ""


def make_figures(derivations: list, outdir: Path, jobs: int = 1, on_figure=None) -> tuple[dict, list]:
    """Every declared figure of ``derivations``: ``({slug: [figure, ...]}, notes)``, each figure
    ``{"name", "svg", "png", "caption"}`` with paths relative to ``outdir``; ``on_figure()`` is
    called as each is done (for progress)."""
    global _JOBS
    if not any(d.figures for d in derivations):
        return {}, []
    if not matplotlib_available():
        return {}, ["matplotlib is not installed (pip install 'stepcheck[plots]'): figures skipped"]
    plots_dir = Path(outdir) / "plots"
    plots_dir.mkdir(parents=True, exist_ok=True)
    _JOBS = [(d, plots_dir) for d in derivations]
    tasks = [(i, k) for i, d in enumerate(derivations) for k in range(len(d.figures))]
    done = []
    try:
        if jobs > 1 and len(tasks) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                for got in pool.map(_run, tasks):
                    done.append(got)
                    on_figure and on_figure()
        else:
            for t in tasks:
                done.append(_run(t))
                on_figure and on_figure()
    finally:
        _JOBS = []
    figures, notes = {}, []
    for slug, made, note in done:
        if made:
            figures.setdefault(slug, []).append(made)
        if note:
            notes.append(note)
    return figures, notes
