"""Figures of a report: PNG files in ``DIR/plots`` (matplotlib optional).

For every derivation: the generic "agreeing digits against working precision" figure for a
few of its identities, the figures :data:`numeric.plots.PLOTS` lists for its slug, and those
of its own ``Derivation.plots`` hook.  Each figure is made in a budgeted child process, the
derivations spread over ``jobs`` workers; a figure that fails or times out becomes a note.
"""
from __future__ import annotations

import math
from pathlib import Path

PRECISIONS = (10, 20, 30, 45, 60, 80, 100)
PLOT_SECONDS = 60.0
CURVE_SECONDS = 4.0

_JOBS: list = []


def matplotlib_available() -> bool:
    try:
        from numeric.plots import pyplot
        pyplot()
    except ImportError:
        return False
    return True


def _curve(claim, seed: int, precisions) -> list:
    """``[(dps, agreeing digits)]`` of the two sides of an identity claim at one seeded point."""
    import mpmath
    from derivations.engine.claims import Identity
    from derivations.engine.verify import _variables, claim_seed
    from numeric.evaluate import evaluate
    from numeric.identity import agreement
    from numeric.sampling import draw_points
    stmt = claim.build()
    if not isinstance(stmt, Identity):
        return []
    point = draw_points(_variables(stmt, (stmt.lhs, stmt.rhs)), 1, claim_seed(seed, claim.id))[0]
    out = []
    for p in precisions:
        a, b = evaluate(stmt.lhs, point, p), evaluate(stmt.rhs, point, p)
        with mpmath.workdps(p + 20):
            got = agreement(a, b)
        out.append((p, float(p) if math.isinf(got) else max(got, 0.0)))
    return out


def _candidates(d, e: dict) -> list:
    """Up to three identities that hold (a checked one first, if any) and one refuted control."""
    by_id = {c.id: c for c in list(d.claims) + list(d.controls)}

    def plain(r):
        c = by_id.get(r["id"])
        return c is not None and r.get("kind") == "identity"

    ok = [r for r in e["claims"] if r["verdict"] in ("proved", "checked", "certified") and plain(r)]
    first = [r for r in ok if r["verdict"] == "checked"][:1]
    picked = first + [r for r in ok if r not in first][:3 - len(first)]
    bad = [r for r in e["negative_controls"] if r["verdict"] == "refuted" and plain(r)][:1]
    return [(by_id[r["id"]], r["verdict"]) for r in picked + bad]


def precision_figure(d, e: dict, outdir: Path, seed: int) -> tuple[list, list]:
    from derivations.engine.budget import run_with_budget
    from numeric.plots import digits_vs_precision
    series, notes = [], []
    for claim, verdict in _candidates(d, e):
        got = run_with_budget(_curve, claim, seed, PRECISIONS, seconds=CURVE_SECONDS)
        if got.status == "ok" and got.value:
            series.append((claim.id, verdict, got.value))
        elif got.status != "ok":
            notes.append(f"{d.slug}: digits curve of {claim.id} skipped ({got.reason})")
    if not series:
        return [], notes
    return digits_vs_precision(series, outdir, f"{d.slug}-digits.png", f"{d.slug}: agreement against precision"), notes


def _run(task):
    from derivations.engine.budget import run_with_budget
    i, kind, fn = task
    d, e, outdir, seed = _JOBS[i]
    if kind == "digits":  # not budgeted as a whole: each curve is (budgets do not nest)
        try:
            return (d.slug,) + precision_figure(d, e, outdir, seed)
        except Exception as exc:
            return d.slug, [], [f"{d.slug}: digits figure skipped ({type(exc).__name__}: {exc})"]
    got = run_with_budget(fn, outdir, seconds=PLOT_SECONDS)
    name = getattr(fn, "__name__", "plots hook")
    if got.status != "ok":
        return d.slug, [], [f"{d.slug}: figure {name} failed ({got.reason})"]
    figs, notes = [], []
    for item in got.value or ():
        fname, caption = item
        if (Path(outdir) / fname).is_file():
            figs.append((str(fname), str(caption)))
        else:
            notes.append(f"{d.slug}: figure {name} did not write {fname}")
    return d.slug, figs, notes


def make_figures(pairs: list, outdir: Path, seed: int, jobs: int = 1) -> tuple[dict, list]:
    """Figures for ``pairs = [(derivation, entry), ...]``: ``({slug: [(file, caption)]}, notes)``,
    file names relative to ``outdir`` (``plots/...``)."""
    global _JOBS
    if not matplotlib_available():
        return {}, ["matplotlib is not installed (pip install 'stepcheck[plots]'): figures skipped"]
    from numeric.plots import PLOTS
    plots_dir = Path(outdir) / "plots"
    plots_dir.mkdir(parents=True, exist_ok=True)
    _JOBS = [(d, e, plots_dir, seed) for d, e in pairs]
    tasks = []
    for i, (d, _) in enumerate(pairs):
        tasks.append((i, "digits", None))
        fns = list(PLOTS.get(d.slug, ()))
        tasks += [(i, "fn", fn) for fn in fns]
        if d.plots is not None and d.plots not in fns:
            tasks.append((i, "fn", d.plots))
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
    for slug, figs, more in done:
        figures.setdefault(slug, []).extend(("plots/" + f, c) for f, c in figs)
        notes += more
    return figures, notes
