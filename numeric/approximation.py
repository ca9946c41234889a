"""Measuring the gap of an approximation claim (``exact ~ surrogate``).

The gap is the largest \\(|\\mathrm{exact}-\\mathrm{surrogate}|\\) (relative to
\\(|\\mathrm{exact}|\\) when asked) over seeded points of the domain, each evaluated at two
precisions.  The claim is *checked* when the gap is within its tolerance and *refuted*
(with the worst point) when it is not; it is never *proved*.
"""
from __future__ import annotations

import mpmath

from numeric.evaluate import Unevaluable, evaluate
from numeric.identity import NumericOutcome, agreement, fmt
from numeric.sampling import draw_points


def measure_gap(stmt, domains: dict, digits: int, seed: int) -> NumericOutcome:
    worst, worst_pt, evaluated = mpmath.mpf(-1), None, 0
    for pt in draw_points(domains, stmt.points, seed):
        try:
            vals = {}
            for dps in (digits + 10, digits + 30):
                e = evaluate(stmt.exact, pt, dps)
                s = evaluate(stmt.surrogate, pt, dps)
                vals[dps] = (e, s)
        except Unevaluable:
            continue
        (e1, s1), (e2, s2) = vals[digits + 10], vals[digits + 30]
        if min(agreement(e1, e2), agreement(s1, s2)) < digits / 2:
            return NumericOutcome("unknown", None, None, f"unstable evaluation at {pt}")
        evaluated += 1
        with mpmath.workdps(digits + 30):
            gap = abs(e2 - s2)
            if stmt.relative:
                gap = gap / abs(e2) if e2 != 0 else mpmath.inf
        if gap > worst:
            worst, worst_pt = gap, pt
    if evaluated == 0:
        return NumericOutcome("unknown", None, None, "could not evaluate the approximation anywhere")
    kind = "relative" if stmt.relative else "absolute"
    gap_s = mpmath.nstr(worst, 4)
    at = ", ".join(f"{k}={fmt(mpmath.mpf(v), 6)}" for k, v in (worst_pt or {}).items())
    note = f"max {kind} gap {gap_s}{' at ' + at if at else ''} over {evaluated} points (tolerance {float(stmt.tolerance):g})"
    if worst <= stmt.tolerance:
        return NumericOutcome("agree", None, None, note, {"gap": gap_s})
    return NumericOutcome("disagree", None, {"text": f"gap {gap_s} > tolerance {float(stmt.tolerance):g}" + (f" at {at}" if at else "")},
                          note, {"gap": gap_s})
