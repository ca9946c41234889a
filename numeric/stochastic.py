r"""Stochastic estimates (Monte Carlo, simulation) and the standard-error rule that judges them.

The rule, stated once: an estimate \(\hat m\) with standard error \(s\) is compared with a
deterministic value \(v\) through \(z=|\hat m-v|/s\):

* **agree** when \(z\le\) ``band`` (default :data:`SE_BAND` = 5: a Gaussian estimate of the
  true value leaves the band with probability \(6\cdot10^{-7}\));
* **disagree** when \(z>\) ``band``: the gap is beyond the estimate's noise;

for an order (``m >= 0``) or a tolerance (``|m - v| <= tol``) the band is added to the side
that favours the claim before it holds, and to the other side before it fails; in between it
is **unknown**: the estimate is too noisy to decide.  The band is a number of standard errors,
never a gap measured and padded.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

SE_BAND = 5.0


@dataclass(frozen=True)
class Estimate:
    """A stochastic estimate: ``value`` with standard error ``se`` from ``n`` samples;
    ``band`` the number of standard errors within which agreement is accepted."""

    value: float
    se: float
    n: int | None = None
    band: float = SE_BAND
    note: str = ""

    def __post_init__(self):
        if not (self.se > 0 and math.isfinite(self.se)):
            raise ValueError(f"a standard error must be a positive finite number, got {self.se}")
        if not math.isfinite(self.value):
            raise ValueError("an estimate must be finite")

    def describe(self) -> str:
        n = f", n={self.n:.0e}" if self.n else ""
        return f"{self.value:.6g} +- {self.se:.2g} (SE{n})"


def compare_estimate(est: Estimate, value: float) -> tuple[str, float]:
    """``(status, z)`` for an estimate against a deterministic value (the rule above)."""
    z = abs(est.value - float(value)) / est.se
    return ("agree" if z <= est.band else "disagree"), z


def order_estimate(margin: Estimate, strict: bool) -> str:
    """``holds``/``fails``/``unknown`` for the claim ``margin >= 0`` (``> 0`` when ``strict``)."""
    lo, hi = margin.value - margin.band * margin.se, margin.value + margin.band * margin.se
    if lo > 0 or (lo >= 0 and not strict):
        return "holds"
    if hi < 0 or (hi <= 0 and strict):
        return "fails"
    return "unknown"


def within_estimate(gap: Estimate, tolerance: float) -> str:
    """``holds``/``fails``/``unknown`` for ``|gap| <= tolerance`` with a noisy gap."""
    g = abs(gap.value)
    if g + gap.band * gap.se <= tolerance:
        return "holds"
    if g - gap.band * gap.se > tolerance:
        return "fails"
    return "unknown"


# --- statements with stochastic quantities -------------------------------------------------

def _python_number(v):
    import mpmath
    v = mpmath.mpmathify(v)
    if isinstance(v, mpmath.mpc):
        if v.imag != 0:
            raise ValueError("a stochastic quantity takes real arguments")
        v = v.real
    return int(v) if v == int(v) and abs(v) < 2**62 else float(v)


def side_value(expr, point: dict, seed: int, dps: int = 30):
    """The value of one side at ``point``: an :class:`Estimate` when the side holds a quantity
    with an ``estimator`` (it must enter linearly, \\(a+b\\,Q\\), and be the only stochastic one),
    else a deterministic mpmath number.  The estimate's standard error is scaled by \\(|b|\\)."""
    import mpmath
    import sympy as sp
    from sympy.core.function import AppliedUndef

    from numeric.evaluate import Unevaluable, evaluate
    stoch = [q for q in sp.sympify(expr).atoms(AppliedUndef)
             if getattr(type(q), "estimator", None) and not getattr(type(q), "evaluator", None)]
    if not stoch:
        return evaluate(expr, point, dps)
    if len(stoch) > 1:
        raise Unevaluable("a side may hold one stochastic quantity (combine correlated estimates in one estimator)")
    q = stoch[0]
    t = sp.Dummy("t")
    form = sp.sympify(expr).xreplace({q: t})
    if sp.diff(form, t, 2) != 0:
        raise Unevaluable(f"{type(q).__name__} must enter its side linearly")
    args = [_python_number(evaluate(a, point, dps)) for a in q.args]
    est = type(q).estimator(*args, seed=seed)
    if not isinstance(est, Estimate):
        raise Unevaluable(f"the estimator of {type(q).__name__} must return an Estimate")
    a = evaluate(form.subs(t, 0), point, dps)
    b = evaluate(sp.diff(form, t), point, dps)
    if mpmath.im(a) != 0 or mpmath.im(b) != 0:
        raise Unevaluable("a side with a stochastic quantity must be real")
    value = float(mpmath.re(a) + mpmath.re(b) * est.value)
    return Estimate(value, abs(float(mpmath.re(b))) * est.se, est.n, est.band, est.note)


def _difference(x, y) -> Estimate:
    """``x - y`` as an estimate (independent errors add in quadrature)."""
    xs, ys = (x.se if isinstance(x, Estimate) else 0.0), (y.se if isinstance(y, Estimate) else 0.0)
    xv = x.value if isinstance(x, Estimate) else float(x)
    yv = y.value if isinstance(y, Estimate) else float(y)
    band = min(e.band for e in (x, y) if isinstance(e, Estimate))
    n = next((e.n for e in (x, y) if isinstance(e, Estimate)), None)
    return Estimate(xv - yv, math.hypot(xs, ys), n, band)


def test_stochastic(kind: str, lhs, rhs, domains: dict, seed: int, points=None, rel: str | None = None,
                    tolerance=None, relative: bool = False, count: int = 1):
    """Judge a statement whose sides hold stochastic quantities by the rule of the module
    docstring, at ``points`` (every point of a finite domain) or ``count`` seeded points.

    ``kind`` is ``identity``, ``inequality`` (with ``rel``) or ``approximation`` (``lhs`` the
    exact side, ``rhs`` the surrogate, with ``tolerance``).  Returns a ``NumericOutcome``."""
    import sympy as sp

    from numeric.evaluate import Unevaluable
    from numeric.identity import NumericOutcome
    from numeric.sampling import draw_points
    pts = points or draw_points(domains, count, seed)
    lines, worst = [], 0.0
    for i, pt in enumerate(pts):
        at = ", ".join(f"{k}={v}" for k, v in pt.items())
        where = f" at {at}" if at else ""
        try:
            if isinstance(lhs, sp.MatrixBase):
                pairs = [(side_value(a, pt, seed + i), side_value(b, pt, seed + i)) for a, b in zip(lhs, rhs)]
            else:
                pairs = [(side_value(lhs, pt, seed + i), side_value(rhs, pt, seed + i))]
        except Unevaluable as exc:
            return NumericOutcome("unknown", None, None, f"could not evaluate{where}: {exc}")
        for x, y in pairs:
            d = _difference(x, y)
            shown = f"{_show(x)} vs {_show(y)}{where}"
            if kind == "identity":
                status, z = compare_estimate(d, 0.0)
                worst = max(worst, z)
                if status == "disagree":
                    return NumericOutcome("disagree", None, {"text": f"{shown}: {z:.1f} SE apart (band {d.band:g} SE)"},
                                          "beyond the standard-error band")
                lines.append(f"{shown} ({z:.1f} SE)")
            elif kind == "inequality":
                margin = d if rel in (">", ">=") else Estimate(-d.value, d.se, d.n, d.band)
                status = order_estimate(margin, strict=rel in ("<", ">"))
                if status == "fails":
                    return NumericOutcome("disagree", None, {"text": f"{shown}: violated beyond {d.band:g} SE"},
                                          "beyond the standard-error band")
                if status == "unknown":
                    return NumericOutcome("unknown", None, None, f"{shown}: within {d.band:g} SE of equality")
                lines.append(f"{shown}")
            else:
                tol = float(tolerance) * (abs(_value(x)) if relative else 1.0)
                status = within_estimate(d, tol)
                if status == "fails":
                    return NumericOutcome("disagree", None,
                                          {"text": f"{shown}: gap {abs(d.value):.4g} > tolerance {tol:.4g} beyond "
                                                   f"{d.band:g} SE"}, "beyond the standard-error band",
                                          {"gap": f"{abs(d.value):.4g}"})
                if status == "unknown":
                    return NumericOutcome("unknown", None, None,
                                          f"{shown}: gap {abs(d.value):.4g} vs tolerance {tol:.4g} not decided "
                                          f"within {d.band:g} SE", {"gap": f"{abs(d.value):.4g}"})
                lines.append(f"{shown} (gap {abs(d.value):.4g} <= {tol:.4g})")
    shown = "; ".join(lines[:4]) + (f"; ... ({len(lines)} comparisons)" if len(lines) > 4 else "")
    return NumericOutcome("agree", None, None, f"within the standard-error band: {shown}")


def _value(x) -> float:
    return x.value if isinstance(x, Estimate) else float(x)


def _show(x) -> str:
    import mpmath
    return x.describe() if isinstance(x, Estimate) else mpmath.nstr(x, 8)
