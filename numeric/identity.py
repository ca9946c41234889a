r"""High-precision identity and inequality testing with mpmath, decided at two precisions.

The rule (:func:`compare`): both sides are evaluated at ``digits+10`` and ``digits+30``
significant digits.  Each side is a :class:`~numeric.evaluate.Value`, a number with a bound on
its error tracked through the expression (cancellation in sums, the condition of functions,
the estimates of quadrature); a plain number from post code is exact to its working precision,
unless it shrinks with the precision (by \(10^{-(p_2-p_1)/2}\) or more from \(p_1\) to
\(p_2\)): then it is rounding noise at zero, bounded by its size at \(p_1\).  A side is
*resolved* when its bound is below \(10^{-\mathrm{digits}}\) of its own size (an exact zero is
resolved), and *vanishes* when the bound is at least its size (no digit survived cancellation).

* **resolve first**: a side with some digits, but fewer than ``digits``, and a vanishing side
  facing a resolved nonzero one, are evaluated again at the precision their bound says they need
  (\(\cosh x - \sinh x\) at \(x = 680\): terms of \(10^{295}\) cancel to \(10^{-295}\), so about
  650 digits), up to :data:`MAX_DPS` digits and :data:`RESOLVE_SECONDS` CPU seconds;
* **agree** when both sides are resolved, agree to ``digits`` at both precisions and each is
  stable between them; or when each side vanishes or is an exact zero: both sides vanish here
  (the detail says so, with the bound: a zero that cancellation cannot tell from a number
  below it);
* **disagree** when both sides are resolved and stable but differ, or when their error balls
  are apart by more than ``digits`` (a resolved nonzero side above a vanishing side's bound);
  either confirmed once more at ``2*digits+40`` (where a side is resolved again as above):
  precision loss is never reported as a counterexample;
* **unknown** otherwise: a side that moves with the precision (mpmath's ``nsum`` does this on
  slowly convergent series), a vanishing side whose bound is above the other side, a side that
  stays unresolved at the cap.

Reported agreeing digits are capped at the requested ``digits``, which is below every
working precision used.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import mpmath

from numeric.evaluate import LOG2_10, Unevaluable, Value


@dataclass
class NumericOutcome:
    """Result of a numeric cross-check.

    ``status`` is ``agree``, ``disagree``, ``unknown`` or ``skipped``; ``digits`` the agreeing
    significant digits (``None`` when the check does not measure digits); ``counterexample``
    a JSON-able dict when ``status == 'disagree'``.
    """

    status: str
    digits: float | None = None
    counterexample: dict | None = None
    detail: str = ""
    extra: dict = field(default_factory=dict)


def _flat(v) -> list:
    if isinstance(v, mpmath.matrix):
        return [v[i, j] for i in range(v.rows) for j in range(v.cols)]
    if isinstance(v, (list, tuple)):
        out = []
        for x in v:
            out.extend(_flat(x))
        return out
    return [mpmath.mpmathify(v)]


def _norm(vals) -> mpmath.mpf:
    return max((abs(x) for x in vals), default=mpmath.mpf(0))


def agreement(a, b) -> float:
    """Agreeing significant digits of ``a`` and ``b`` (numbers, vectors or matrices):
    ``-log10(|a-b| / max(|a|, |b|))`` in the max-norm; ``inf`` when they are equal."""
    fa, fb = _flat(a), _flat(b)
    if len(fa) != len(fb):
        return -math.inf
    diff = _norm([x - y for x, y in zip(fa, fb)])
    if diff == 0:
        return math.inf
    scale = max(_norm(fa), _norm(fb))
    return float(-mpmath.log10(diff / scale))


def _difference(a, b) -> mpmath.mpf:
    return _norm([x - y for x, y in zip(_flat(a), _flat(b))])


def difference_norm(a, b) -> mpmath.mpf:
    r"""\(\max_i|a_i-b_i|\) of two numbers, vectors or matrices of the same shape."""
    if len(_flat(a)) != len(_flat(b)):
        raise ValueError("the two values have different shapes")
    return _difference(a, b)


@dataclass
class Comparison:
    status: str  # agree | disagree | unknown
    digits: float | None
    lhs: object = None
    rhs: object = None
    dps: int = 0
    detail: str = ""


MAX_DPS = 4000  # resolution stops here: a side vanishing below 10^-4000 of its terms stays unknown
RESOLVE_SECONDS = 3.0  # and after this many CPU seconds of re-evaluation in one comparison (wall time varies with load)
GUARD = 5  # digits beyond the requested ones that resolution aims at


def _materialize(v):
    if isinstance(v, (mpmath.matrix, Value)):
        return v
    if isinstance(v, (list, tuple)):
        return type(v)(_materialize(x) for x in v)
    v = mpmath.mpmathify(v)
    return +v if isinstance(v, type(mpmath.mp.pi)) else v


def _size(v) -> float:
    """log2 of the max-norm of a plain value (``-inf`` for zero)."""
    return max((float(mpmath.mag(x)) for x in _flat(v)), default=-math.inf)


def _as_values(raw_a, raw_b, pa: int, pb: int):
    """Both precisions' ``(lhs, rhs)`` as :class:`Value` pairs.  A plain number is exact to its
    working precision, or rounding noise at zero when it shrinks with the precision (module
    docstring); its bound is then its size at ``pa``."""
    out_a, out_b = [], []
    for a, b in zip(raw_a, raw_b):
        if isinstance(a, Value) and isinstance(b, Value):
            out_a.append(a)
            out_b.append(b)
            continue
        a, b = (x.value if isinstance(x, Value) else x for x in (a, b))
        sa, sb = _size(a), _size(b)
        if sa != -math.inf and sb <= sa - (pb - pa) / 2 * LOG2_10:
            out_a.append(Value(a, sa + 1, pa))
            out_b.append(Value(b, sa + 1, pb))
        else:
            out_a.append(Value(a, sa - pa * LOG2_10 if sa != -math.inf else -math.inf, pa))
            out_b.append(Value(b, sb - pb * LOG2_10 if sb != -math.inf else -math.inf, pb))
    return tuple(out_a), tuple(out_b)


def _apart(lhs: Value, rhs: Value, digits: int) -> bool:
    """The sides differ by more than their error bounds plus ``10^-digits`` of their size."""
    with mpmath.workdps(30):
        slack = lhs.bound() + rhs.bound()
        scale = max(_norm(_flat(lhs.value)), _norm(_flat(rhs.value)))
        return _difference(lhs.value, rhs.value) - slack > scale * mpmath.mpf(10) ** (-digits)


def _describe_bound(name: str, v: Value) -> str:
    if v.is_zero():
        return f"{name} = 0"
    return f"|{name}| <= {mpmath.nstr(v.bound() + _norm(_flat(v.value)), 3)}"


def _judge(va, vb, pa: int, pb: int, digits: int):
    """The rule of the module docstring on the ``(lhs, rhs)`` of two precisions ``pa < pb``
    (plain numbers or :class:`Value` s): ``(status, agreeing digits, why)`` with status
    ``agree``, ``disagree`` or ``unstable``."""
    (la, ra), (lb, rb) = _as_values(va, vb, pa, pb)
    if len(_flat(la.value)) != len(_flat(ra.value)):
        return "disagree", None, "shapes differ"
    pa, pb = max(la.dps, ra.dps), max(lb.dps, rb.dps)
    if all(v.resolved(digits) for v in (la, ra, lb, rb)):
        agree_a, agree_b = agreement(la.value, ra.value), agreement(lb.value, rb.value)
        stable = min(agreement(la.value, lb.value), agreement(ra.value, rb.value))
        if agree_a >= digits and agree_b >= digits and stable >= digits:
            return "agree", min(agree_a, agree_b), ""
        if stable >= digits and agree_b < digits:
            return "disagree", agree_b, ""
        return "unstable", None, f"a side changes between {pa} and {pb} digits"
    if all(v.vanishes() or v.is_zero() for v in (la, ra, lb, rb)):
        return "agree", math.inf, (f"both sides vanish here ({_describe_bound('lhs', lb)}, "
                                   f"{_describe_bound('rhs', rb)} at {pb} digits: rounding noise at zero, no digit survives cancellation)")
    if _apart(la, ra, digits) and _apart(lb, rb, digits):
        return "disagree", agreement(lb.value, rb.value), ""
    hidden = [(n, v) for n, v in (("lhs", lb), ("rhs", rb), ("lhs", la), ("rhs", ra)) if not v.resolved(digits)]
    name, v = hidden[0]
    what = "vanishes in cancellation" if v.vanishes() else f"keeps {max(0, math.floor(v.digits))} digits"
    return "unstable", None, f"{name} {what} ({_describe_bound(name, v)}) at {v.dps} digits"


def _refined(sa: Value, sb: Value, target: float, deadline: float):
    """``(sa, sb)`` evaluated again at precisions where the bound drops below ``2^target``:
    a jump to the precision the bound asks for (doubling when it is unknown), at most three
    times, within :data:`MAX_DPS` and the deadline; then once more, as many digits higher as
    ``sb`` was above ``sa``, for the two-precision rule."""
    gap = max(sb.dps - sa.dps, 10)
    cur, seconds = sb, None
    for _ in range(3):
        if cur.error <= target:
            break
        need = cur.dps * 2 if cur.error == math.inf else cur.dps + math.ceil((cur.error - target) / LOG2_10) + 10
        q = min(need, MAX_DPS - gap)
        if q <= cur.dps:
            break
        if seconds is not None and time.process_time() + seconds * (q / cur.dps) ** 2 > deadline:
            break
        start = time.process_time()
        try:
            cur = cur.refine(q)
        except Unevaluable:
            break
        seconds = time.process_time() - start
    if (cur is sb and sb.error > target) or time.process_time() > deadline:
        return sa, sb  # nothing resolved (when sb itself suffices, it becomes the lower precision)
    try:
        return cur, cur.refine(cur.dps + gap)
    except Unevaluable:
        return sa, sb


def _resolve(A, B, digits: int, deadline: float):
    """Sides whose digits cancellation hid, evaluated again where it matters (module docstring):
    first those with some digits, then vanishing ones facing a resolved nonzero side."""
    A, B = list(A), list(B)
    for partial in (True, False):
        for s in (0, 1):
            sa, sb, other = A[s], B[s], B[1 - s]
            if (sa.resolved(digits) and sb.resolved(digits)) or sb.refine is None:
                continue
            if partial:
                if sb.vanishes():
                    continue
                target = sb.size - (digits + GUARD) * LOG2_10
            else:
                if not sb.vanishes() or other.is_zero() or not other.resolved(digits):
                    continue
                target = other.size - (digits + GUARD) * LOG2_10
            A[s], B[s] = _refined(sa, sb, target, deadline)
    return tuple(A), tuple(B)


def _zero_like(v):
    if isinstance(v, mpmath.matrix):
        return mpmath.zeros(v.rows, v.cols)
    if isinstance(v, (list, tuple)):
        return type(v)(_zero_like(x) for x in v)
    return mpmath.mpf(0)


def _shown(v: Value):
    r"""The value a side is known to have: a side whose error bound is at least its size (no digit
    survived cancellation, \(\alpha(1-(\sum_i p_i)^2)\) at \(\sum_i p_i = 1\) evaluates to
    \(6\cdot10^{-181}\) at 180 digits) is rounding noise at zero, and 0 is its value; a side of
    unknown error keeps its number."""
    if v.error != math.inf and v.vanishes() and not v.is_zero():
        return _zero_like(v.value)
    return v.value


def compare(compute: Callable[[int], tuple], digits: int) -> Comparison:
    """Decide whether ``compute(dps) -> (lhs, rhs)`` agree to ``digits`` significant digits.

    See the module docstring for the rule.  The sides may be plain mpmath numbers or matrices,
    or :class:`~numeric.evaluate.Value` s (which can be resolved at higher precision).
    ``compute`` may raise :class:`Unevaluable`.
    """
    p1, p2, p3 = digits + 10, digits + 30, 2 * digits + 40
    cache = {}
    deadline = time.process_time() + RESOLVE_SECONDS

    def at(p):
        if p not in cache:
            # Values are fixed at p digits here: an mpmath constant such as mpmath.pi returned
            # as is would otherwise be evaluated later, at whatever precision is current.
            with mpmath.workdps(p):
                cache[p] = _materialize(compute(p))
        return cache[p]

    def result(status, got, level, why):
        lhs, rhs = level
        return Comparison(status, got, _shown(lhs), _shown(rhs), max(lhs.dps, rhs.dps), why)

    A, B = _resolve(*_as_values(at(p1), at(p2), p1, p2), digits, deadline)
    status, got, why = _judge(A, B, p1, p2, digits)
    if status == "agree":
        return result("agree", min(got, digits), B, why)
    pb = max(v.dps for v in B)
    p3 = max(p3, p2 + 20)  # not above a resolved side's precision: that side is resolved again on its own
    # a plain side is judged afresh from its raw values (its noise rule needs both); a tracked
    # one keeps the resolution it got
    B_raw = tuple(b if isinstance(r, Value) else r for b, r in zip(B, at(p2)))
    B2, C = _resolve(*_as_values(B_raw, at(p3), pb, p3), digits, deadline)
    status2, got2, why2 = _judge(B2, C, pb, p3, digits)
    if status == "disagree":
        if status2 == "disagree":
            return result("disagree", got2, C, f"confirmed at {max(v.dps for v in C)} digits")
        return result("unknown", None, C,
                      f"disagreement at {max(v.dps for v in B)} digits not confirmed at {p3} ({why2 or status2})")
    if status2 in ("agree", "disagree"):
        return result(status2, min(got2, digits) if status2 == "agree" else got2, C,
                      why2 or f"decided at {max(v.dps for v in B)}/{max(v.dps for v in C)} digits")
    return result("unknown", None, C, why2 or why)
