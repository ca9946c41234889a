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

from numeric.evaluate import LOG2_10, Unevaluable, Value, evaluate, evaluate_value
from numeric.sampling import draw_points


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
        return Comparison(status, got, lhs.value, rhs.value, max(lhs.dps, rhs.dps), why)

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


def compare_outcome(compute: Callable[[], tuple], digits: int, point: dict | None = None, detail: str = "",
                    text=None) -> NumericOutcome:
    """:func:`compare` of ``compute() -> (lhs, rhs)`` (evaluated at each working precision in
    turn) as a :class:`NumericOutcome`; ``text(cmp)`` may describe a counterexample in one line."""
    cmp = compare(lambda dps: compute(), digits)
    if cmp.status == "agree":
        return NumericOutcome("agree", cmp.digits, None, detail)
    cx = counterexample(cmp, point) if cmp.status == "disagree" else None
    if cx is not None and text is not None:
        cx["text"] = text(cmp)
    return NumericOutcome(cmp.status, cmp.digits, cx, cmp.detail)


def fmt(v, n: int = 15) -> str:
    """Short human-readable form of a numeric value (number, vector or matrix)."""
    if isinstance(v, mpmath.matrix):
        rows = [[mpmath.nstr(v[i, j], n) for j in range(v.cols)] for i in range(v.rows)]
        if v.rows * v.cols > 16:
            return f"<{v.rows}x{v.cols} matrix>"
        return "[" + "; ".join(", ".join(r) for r in rows) + "]"
    if isinstance(v, (list, tuple)):
        if len(v) > 16:
            return f"<{len(v)} values>"
        return "(" + ", ".join(fmt(x, n) for x in v) + ")"
    return mpmath.nstr(v, n)


def _worst_entry(lhs, rhs):
    if not isinstance(lhs, mpmath.matrix) or lhs.rows * lhs.cols == 1:
        return None
    best, where = -1, None
    for i in range(lhs.rows):
        for j in range(lhs.cols):
            d = abs(lhs[i, j] - rhs[i, j])
            if d > best:
                best, where = d, (i, j)
    return {"entry": list(where), "lhs": fmt(lhs[where]), "rhs": fmt(rhs[where])}


def counterexample(cmp: Comparison, point: dict | None = None) -> dict:
    """JSON-able record of a confirmed disagreement."""
    out = {
        "at": {str(k): str(v) if isinstance(v, int) else fmt(mpmath.mpmathify(v)) for k, v in (point or {}).items()},
        "lhs": fmt(cmp.lhs),
        "rhs": fmt(cmp.rhs),
        "difference": fmt(_difference(cmp.lhs, cmp.rhs), 6),
        "dps": cmp.dps,
    }
    worst = _worst_entry(cmp.lhs, cmp.rhs)
    if worst:
        out["worst"] = worst
    return out


def describe_counterexample(cx: dict | None) -> str:
    """One line for a counterexample dict (used by the text output)."""
    if not cx:
        return ""
    if "text" in cx:
        return cx["text"]
    at = ", ".join(f"{k}={v}" for k, v in cx.get("at", {}).items())
    where = f" at {at}" if at else ""
    worst = cx.get("worst")
    if worst:
        i, j = worst["entry"]
        return f"entry ({i},{j}){where}: lhs {worst['lhs']} vs rhs {worst['rhs']}"
    return (f"{where.strip() + ': ' if where else ''}lhs {cx.get('lhs')} vs rhs {cx.get('rhs')}"
            f" (difference {cx.get('difference')})")


STABLE_DIFFERENCE_DIGITS = 10


def _difference_precisions(digits: int) -> tuple:
    r"""Precisions at which :func:`stable_difference` evaluates ``lhs - rhs``: at least 40
    digits above the requested ones.  A difference that the sides hide in their digit
    ``digits + k`` has about ``dps - digits - k`` correct digits at ``dps``, so the lowest
    precision decides how deep a near-identity is seen at once (\(e^{\pi\sqrt{163}}\) against
    \(640320^3+744\) agrees to 30 digits and was *checked* at ``--digits 12`` when the lowest
    precision was ``digits + 10``); a deeper one with some digits is resolved further."""
    return digits + 40, digits + 80


def stable_difference(diff, point: dict, digits: int):
    """The value of the difference expression ``lhs - rhs`` at ``point`` when it is a resolved
    nonzero number (10 correct digits by its error bound, at two precisions, agreeing), else
    ``None``.

    Evaluating the sides separately cannot see a difference below their working precision
    (``x`` against ``x + exp(-200)``); evaluating the difference itself can.  For a true
    identity the difference vanishes in cancellation (its bound is above its value): it is no
    number, and never a counterexample.  One with a few digits is evaluated again where its
    bound says they suffice (the rule of :func:`compare`).
    """
    lo, hi = _difference_precisions(digits)
    try:
        first = evaluate_value(diff, point, lo)
        if not first.vanishes() and first.digits < STABLE_DIFFERENCE_DIGITS:
            first = first.refine(min(MAX_DPS, lo + math.ceil(STABLE_DIFFERENCE_DIGITS + GUARD - first.digits)))
        if first.is_zero() or first.vanishes() or first.digits < STABLE_DIFFERENCE_DIGITS:
            return None
        second = first.refine(first.dps + hi - lo)
    except Unevaluable:
        return None
    if second.digits < STABLE_DIFFERENCE_DIGITS or agreement(first.value, second.value) < STABLE_DIFFERENCE_DIGITS:
        return None
    return second.value


def _approximated(e) -> bool:
    """``e`` holds a part whose numeric value carries a method error and not only rounding:
    an integral (quadrature), a limit, or a sum or product over an infinite range (``nsum``'s
    extrapolation).  Finite sums are summed term by term, exactly up to rounding."""
    import sympy as sp
    for node in sp.preorder_traversal(e):
        if isinstance(node, (sp.Integral, sp.Limit)):
            return True
        if isinstance(node, (sp.Sum, sp.Product)) and any(
                len(lim) != 3 or lim[1].has(sp.oo, -sp.oo, sp.zoo) or lim[2].has(sp.oo, -sp.oo, sp.zoo)
                for lim in node.limits):
            return True
    return False


def _difference_expression(lhs, rhs):
    r"""``lhs - rhs`` for :func:`stable_difference`, or ``None`` when it cannot be formed or
    holds integrals, limits or infinite sums (quadrature and extrapolation noise of two
    evaluations is not a value).  Finite sums stay: a truncated series against its function
    (\(\sum_{k\le 20} x^k/k!\) against \(e^x\) on \(|x|\le 0.01\), equal to 62 digits) is
    refuted by its stable difference."""
    import sympy as sp
    try:
        diff = lhs - rhs
    except Exception:
        return None
    if isinstance(diff, sp.Basic) and _approximated(diff):
        return None
    return diff


def _sides(lhs, rhs, pt):
    """``compute(dps)`` for :func:`compare`: both sides at ``pt`` with their error bounds."""
    return lambda dps: (evaluate_value(lhs, pt, dps), evaluate_value(rhs, pt, dps))


PROBE_INSET = 0.0731  # inner probes sit this fraction of the width inside the ends (not at integers)
FAR = 4  # a default sampling box stands for an unbounded domain: its far probes sit 4 times out


def probe_points(domains: dict, samples: list, unbounded=()) -> list[dict]:
    r"""Points at the edges of the domains, tried after the sampled points agree: the lower and
    the upper corner (every symbol at its lower, resp. upper, end), both moved inwards by
    :data:`PROBE_INSET` of the width, when some symbols' domains are only the default
    sampling boxes of ``unbounded`` ones (a symbol without a declared domain), the two corners
    with those symbols :data:`FAR` times further out, and \(\lceil\log_2 k\rceil\) mixed inset
    corners that put every two of the \(k\) symbols once on opposite sides.

    Uniform samples miss a failure confined to a small part of the domain (\(|x| = x\) on
    \([-0.001, 1000]\)) or one that needs several symbols in a region at once
    (\((x^a)^b = x^{ab}\) fails for \(x<0\), \(|a|>1\)); such failures sit at the edges.  A
    default box is not the domain: \(\log e^z = z\) holds on the whole box
    \(|\mathrm{Re}\,z|, |\mathrm{Im}\,z| \le 2\) and fails from \(|\mathrm{Im}\,z| > \pi\) on.
    Complex boxes use their lower-left and upper-right corners.  Points already sampled are
    not repeated."""
    from numeric.sampling import Domain
    if not domains or not all(isinstance(d, Domain) for d in domains.values()):
        return []

    def at(dom, t, far=False):
        lo = dom.lo + (dom.hi - dom.lo) * 1e-9 if dom.open_lo else dom.lo
        hi = dom.hi
        if far:  # only the ends away from 0 move out: (0, 3] stays positive
            lo, hi = (lo * FAR if lo < 0 else lo), (hi * FAR if hi > 0 else hi)
        v = lo + (hi - lo) * t
        if dom.kind == "integer":
            return int(round(v))
        return complex(v, v) if dom.kind == "complex" else v

    order = sorted(domains.items(), key=lambda kv: kv[0].name)
    # (position of each symbol, far): corners, inset corners, far corners, then mixed inset
    # corners where symbol i sits low or high by bit b of i, so that every two symbols are
    # once on opposite sides (sign(s1) - sign(s2) vanishes on every diagonal probe)
    wanted = [((t,) * len(order), False) for t in (0.0, 1.0, PROBE_INSET, 1 - PROBE_INSET)]
    if any(s in unbounded for s in domains):
        wanted += [((0.0,) * len(order), True), ((1.0,) * len(order), True)]
    for b in range(max(0, len(order) - 1).bit_length()):
        wanted.append((tuple(1 - PROBE_INSET if i >> b & 1 else PROBE_INSET for i in range(len(order))), False))
    out = []
    for ts, far in wanted:
        pt = {s: at(d, t, far and s in unbounded) for (s, d), t in zip(order, ts)}
        if any(s.is_nonzero and v == 0 for s, v in pt.items()):
            continue
        if pt not in out and pt not in samples:
            out.append(pt)
    return out


def test_identity(lhs, rhs, domains: dict, digits: int, seed: int, points: int = 6,
                  unbounded=()) -> NumericOutcome:
    """Test ``lhs == rhs`` at ``points`` seeded points of ``domains`` (one point if constant).

    At each point the two sides are compared by :func:`compare`, and the difference
    expression is checked by :func:`stable_difference`; when all agree, the edges of the
    domains (:func:`probe_points`; ``unbounded``: symbols whose domain is only a default
    sampling box) get one more chance to refute.
    """
    import sympy as sp
    pts = draw_points(domains, points, seed)
    diff = _difference_expression(lhs, rhs)
    worst, evaluated, reasons, scale = math.inf, 0, [], None
    for pt in pts:
        try:
            cmp = compare(_sides(lhs, rhs, pt), digits)
        except Unevaluable as exc:
            reasons.append(str(exc))
            continue
        evaluated += 1
        if cmp.status == "disagree":
            return NumericOutcome("disagree", cmp.digits, counterexample(cmp, pt), cmp.detail)
        if cmp.status == "unknown":
            return NumericOutcome("unknown", None, None, cmp.detail)
        if diff is not None and not (isinstance(diff, sp.Basic) and diff == 0):
            d = stable_difference(diff, pt, digits)
            if d is not None:
                cx = counterexample(cmp, pt)
                cx["difference"] = fmt(d, 6)
                return NumericOutcome("disagree", None, cx,
                                      "sides agree to working precision, but lhs - rhs is a stable nonzero number")
        worst = min(worst, cmp.digits)
        size = max(_norm(_flat(cmp.lhs)), _norm(_flat(cmp.rhs)))
        scale = size if scale is None else min(scale, size)
    if evaluated == 0:
        return NumericOutcome("unknown", None, None, "could not evaluate: " + (reasons[0] if reasons else "no points"))
    probed = 0
    for pt in probe_points(domains, pts, unbounded):
        # An edge probe can only refute: a pole, an unstable or unconfirmed value there is no
        # evidence against the agreement at the sampled points.
        try:
            cmp = compare(_sides(lhs, rhs, pt), digits)
        except Unevaluable:
            continue
        probed += 1
        if cmp.status == "disagree":
            return NumericOutcome("disagree", cmp.digits, counterexample(cmp, pt),
                                  "; ".join(x for x in (cmp.detail, "at an edge of the domain") if x))
    note = f"{evaluated} point{'s' if evaluated > 1 else ''} at {digits}+10 and {digits}+30 digits"
    if probed:
        note += f" and {probed} at the domain's edges"
    if reasons:
        note += f"; {len(reasons)} point(s) skipped ({reasons[0]})"
    return NumericOutcome("agree", math.floor(worst), None, note, {"scale": scale})


_REL = {"<=": lambda m: m >= 0, ">=": lambda m: m <= 0, "<": lambda m: m > 0, ">": lambda m: m < 0}


def test_inequality(lhs, rel: str, rhs, domains: dict, digits: int, seed: int,
                    points: int = 24) -> NumericOutcome:
    """Search for a violation of ``lhs REL rhs`` at seeded points and at the domains' corners,
    then by a compass search (:func:`descend`) from the three smallest sampled margins
    towards the boundary of the domain.

    A violation is reported only when the two sides are stable at two precisions.
    """
    from numeric.sampling import Domain
    pts = draw_points(domains, points, seed)
    corners = {}
    for sym, dom in domains.items():
        if isinstance(dom, Domain) and dom.kind == "integer":
            corners[sym] = [int(dom.lo), int(dom.hi)]  # an integer symbol is sampled only at integers
        elif isinstance(dom, Domain) and dom.kind != "complex":
            corners[sym] = [dom.lo if not dom.open_lo else dom.lo + (dom.hi - dom.lo) * 1e-9, dom.hi]
    if corners:
        import itertools
        keys = sorted(corners, key=lambda s: s.name)
        for combo in itertools.islice(itertools.product(*(corners[k] for k in keys)), 64):
            pts.append(dict(zip(keys, combo)))
    diff = _difference_expression(rhs, lhs)

    def judge(pt):
        """The signed margin at ``pt`` (>= 0 where the claim holds), an outcome that ends the
        search, or None when the sides cannot be evaluated there."""
        try:
            cmp = compare(_sides(lhs, rhs, pt), digits)
        except Unevaluable:
            return None
        if cmp.status == "unknown":
            return NumericOutcome("unknown", None, None, cmp.detail)
        sides = (_flat(cmp.lhs)[0], _flat(cmp.rhs)[0])
        if any(abs(mpmath.im(v)) > mpmath.mpf(10) ** (-digits / 2) * max(1, abs(mpmath.re(v))) for v in sides):
            # An order between non-real numbers is no claim: 1/sqrt(1-s) <= 1 at s = 2 is not
            # "true because the real part is 0" (the real part hid such a point from the search).
            cx = counterexample(cmp, pt)
            return NumericOutcome("disagree", None, cx, "a side is not real here")
        margin = mpmath.re(sides[1] - sides[0])
        if cmp.status == "agree":
            # Sides equal to working precision: the margin is the difference evaluated on its
            # own when that is a stable number (x against x - exp(-200)), else zero.
            d = stable_difference(diff, pt, digits) if diff is not None else None
            margin = mpmath.re(_flat(d)[0]) if d is not None else mpmath.mpf(0)
            if d is None and rel in ("<", ">"):
                return NumericOutcome("disagree", None, counterexample(cmp, pt), "equality where strict inequality claimed")
        if not _REL[rel](margin):
            cx = counterexample(cmp, pt)
            cx["difference"] = fmt(-margin, 6)  # lhs - rhs, signed
            return NumericOutcome("disagree", None, cx, f"violated ({cmp.detail})" if cmp.detail else "violated")
        return margin if rel in ("<=", "<") else -margin

    seen = []
    for pt in pts:
        r = judge(pt)
        if isinstance(r, NumericOutcome):
            return r
        if r is not None:
            seen.append((r, pt))
    if not seen:
        return NumericOutcome("unknown", None, None, "could not evaluate at any point")
    sign = 1 if rel in ("<=", "<") else -1

    def quick(pt):
        try:
            with mpmath.workdps(15):
                m = _flat(evaluate(rhs, pt, 15))[0] - _flat(evaluate(lhs, pt, 15))[0]
            return sign * float(mpmath.re(m))
        except (Unevaluable, OverflowError, ValueError, TypeError):
            return None

    descended = 0
    for _, start in sorted(seen, key=lambda mp_: mp_[0])[:3]:
        pt = descend(quick, start, domains)
        if pt is None or pt == start:
            continue
        r = judge(pt)
        if isinstance(r, NumericOutcome):
            if r.status == "disagree":
                r.detail += "; found by descent from a smallest sampled margin"
                return r
            continue  # an unstable point reached by the search is not evidence either way
        if r is not None:
            seen.append((r, pt))
            descended += 1
    min_margin = min(m for m, _ in seen)
    return NumericOutcome("agree", None, None,
                          f"holds at {len(seen)} points ({descended} by descent; smallest margin "
                          f"{mpmath.nstr(min_margin, 6)})")


def descend(f, start: dict, domains: dict, budget: int = 40) -> dict | None:
    """Compass search for a smaller value of ``f`` (a float function of a point, ``None``
    where undefined) from ``start``, staying inside the real and integer domains: try a step
    up and down along each coordinate, halve the steps when none helps, stop at a negative
    value or after ``budget`` evaluations.  Deterministic; complex coordinates stay fixed."""
    from numeric.sampling import Domain
    fx = f(start)
    if fx is None:
        return None
    box = {s: d for s, d in domains.items() if isinstance(d, Domain) and d.kind != "complex" and d.hi > d.lo}
    keys = sorted(box, key=lambda s: s.name)
    step = {s: (box[s].hi - box[s].lo) / 4 for s in keys}
    x, evals = dict(start), 1

    def clamp(s, v):
        d = box[s]
        lo = d.lo + (d.hi - d.lo) * 1e-9 if d.open_lo else d.lo
        v = min(max(v, lo), d.hi)
        return int(round(v)) if d.kind == "integer" else v

    while evals < budget and fx >= 0:
        moved = False
        for s in keys:
            for direction in (1, -1):
                y = dict(x)
                y[s] = clamp(s, x[s] + direction * step[s])
                if y[s] == x[s]:
                    continue
                fy = f(y)
                evals += 1
                if fy is not None and fy < fx:
                    x, fx, moved = y, fy, True
                    break
        if not moved:
            # a violation narrower than 1e-6 of the domain is left to the sampled points
            if all(step[s] <= (1 if box[s].kind == "integer" else (box[s].hi - box[s].lo) * 1e-6) for s in keys):
                break
            for s in keys:
                step[s] = max(step[s] / 2, 1) if box[s].kind == "integer" else step[s] / 2
    return x
