r"""Measuring the gap of an approximation claim (``exact ~ surrogate``).

The gap is the largest \(|\mathrm{exact}-\mathrm{surrogate}|\) (relative to
\(|\mathrm{exact}|\) when asked) over seeded points of the domain.  At each point both sides are
evaluated with their error bounds (:func:`numeric.evaluate.evaluate_value`) at ``digits+10`` and
``digits+30`` digits; each must be stable between the two (to ``digits/2`` digits, or within its
bounds when it vanishes in cancellation: a value that moves with the precision is no value).  The
gap at a point is then an interval, its measured value plus or minus both sides' bounds (for a
relative gap, divided by the smallest and largest \(|\mathrm{exact}|\) the bound allows), and

* the claim is *checked* when every point's whole interval is within the tolerance,
* *refuted* (with the worst point) when some point's whole interval is above it,
* *unknown* otherwise (a side whose digits cancellation hid, an unstable side, a gap within its
  own error of the tolerance);

it is never *proved*.  A side whose bound is above a thousandth of the tolerance (for a relative
gap, also above ``digits/2`` of the exact side's own size) is evaluated once more at the
precision its bound asks for, as :func:`numeric.identity.compare` resolves a side.
"""
from __future__ import annotations

import math

import mpmath

from numeric.evaluate import LOG2_10, Unevaluable, evaluate_value
from numeric.identity import MAX_DPS, NumericOutcome, agreement
from numeric.counterexamples import fmt
from numeric.sampling import draw_points


def _stable(a, b, digits: float) -> bool:
    """The same value at two precisions: to ``digits`` digits, or within both bounds."""
    if agreement(a.value, b.value) >= digits:
        return True
    with mpmath.workdps(30):
        return abs(a.value - b.value) <= a.bound() + b.bound()


def _resolved(v1, v2, target: float):
    """``(v1, v2)``, or both evaluated again (once, at the precision the bound of ``v2`` asks for,
    and 20 digits above) when the bound of ``v2`` is above ``2^target``."""
    if v2.error <= target or v2.refine is None or not math.isfinite(target):
        return v1, v2
    q = v2.dps * 2 if v2.error == math.inf else v2.dps + math.ceil((v2.error - target) / LOG2_10) + 10
    q = min(q, MAX_DPS)
    if q <= v2.dps:
        return v1, v2
    return v2.refine(q), v2.refine(q + 20)


def _interval(e, s, relative: bool):
    """``(low, measured, high)`` of the gap between the Values ``e`` and ``s``."""
    with mpmath.workdps(30):
        gap = abs(e.value - s.value)
        slack = e.bound() + s.bound()
        low, high = max(gap - slack, mpmath.mpf(0)), gap + slack
        if not relative:
            return low, gap, high
        size = abs(e.value)
        floor, ceiling = size - e.bound(), size + e.bound()
        if floor <= 0:
            return mpmath.mpf(0), (gap / size if size else mpmath.inf), mpmath.inf
        return low / ceiling, gap / size, high / floor


def measure_gap(stmt, domains: dict, digits: int, seed: int) -> NumericOutcome:
    """The rule of the module docstring for an :class:`Approximation` statement."""
    worst, worst_pt, evaluated, undecided = mpmath.mpf(-1), None, 0, None
    violated = None
    with mpmath.workdps(digits + 30):  # a stated() tolerance is an exact SymPy Rational
        tol = mpmath.mpf(stmt.tolerance.p) / stmt.tolerance.q if hasattr(stmt.tolerance, "q") \
            else mpmath.mpf(stmt.tolerance)
    for pt in draw_points(domains, stmt.points, seed):
        try:
            e1, s1 = evaluate_value(stmt.exact, pt, digits + 10), evaluate_value(stmt.surrogate, pt, digits + 10)
            e2, s2 = evaluate_value(stmt.exact, pt, digits + 30), evaluate_value(stmt.surrogate, pt, digits + 30)
            # what each side's bound must be below: a thousandth of the tolerance (of the tolerance
            # times the surrogate's size, for a relative gap), and ``digits/2`` of its own size
            scale = s2.size if stmt.relative else 0.0
            target = scale + math.log2(float(stmt.tolerance)) - 10 if stmt.tolerance > 0 else -math.inf
            e1, e2 = _resolved(e1, e2, max(target, e2.size - digits / 2 * LOG2_10) if stmt.relative else target)
            s1, s2 = _resolved(s1, s2, target)
        except Unevaluable:
            continue
        if not (_stable(e1, e2, digits / 2) and _stable(s1, s2, digits / 2)):
            return NumericOutcome("unknown", None, None, f"unstable evaluation at {pt}")
        evaluated += 1
        low, gap, high = _interval(e2, s2, stmt.relative)
        if gap > worst:
            worst, worst_pt = gap, pt
        if low > tol and violated is None:
            violated = pt
        elif high > tol and undecided is None:
            undecided = pt
    if evaluated == 0:
        return NumericOutcome("unknown", None, None, "could not evaluate the approximation anywhere")
    kind = "relative" if stmt.relative else "absolute"
    gap_s = mpmath.nstr(worst, 4)
    at = _at(worst_pt)
    tol_s = mpmath.nstr(tol, 6)
    note = f"max {kind} gap {gap_s}{' at ' + at if at else ''} over {evaluated} points (tolerance {tol_s})"
    if violated is not None:
        return NumericOutcome("disagree", None, {"text": f"gap {gap_s} > tolerance {tol_s}" + (f" at {at}" if at else "")},
                              note, {"gap": gap_s})
    if undecided is not None:
        return NumericOutcome("unknown", None, None,
                              f"{note}; at {_at(undecided)} the gap's error bound straddles the tolerance", {"gap": gap_s})
    return NumericOutcome("agree", None, None, note, {"gap": gap_s})


def _at(pt) -> str:
    return ", ".join(f"{k}={fmt(mpmath.mpmathify(v), 6)}" for k, v in (pt or {}).items())

