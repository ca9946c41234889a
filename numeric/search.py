r"""Searching a statement's domain for a counterexample, by the rule of :mod:`numeric.identity`.

* :func:`search_identity`: both sides compared (:func:`~numeric.identity.compare`) at sampled
  points of the domains, then at :func:`probe_points` at their edges; the difference
  ``lhs - rhs`` evaluated on its own as well (:func:`stable_difference`), which sees a
  difference below the sides' working precision;
* :func:`search_inequality`: the margin of ``lhs R rhs`` at sampled and edge points, then a
  local :func:`descend` from the smallest margin towards a violation;
* :func:`compare_outcome`: one comparison as a :class:`~numeric.identity.NumericOutcome`.

A disagreement is a counterexample only when confirmed (the rule of ``compare``); agreement at
every point is evidence, never a proof.
"""
from __future__ import annotations

import math
from typing import Callable

import mpmath

from numeric.counterexamples import counterexample, fmt
from numeric.evaluate import Unevaluable, evaluate, evaluate_value
from numeric.identity import GUARD, MAX_DPS, NumericOutcome, _flat, _norm, agreement, compare
from numeric.sampling import draw_points


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


def search_identity(lhs, rhs, domains: dict, digits: int, seed: int, points: int = 6,
                  unbounded=(), cross_check: bool = False) -> NumericOutcome:
    """Test ``lhs == rhs`` at ``points`` seeded points of ``domains`` (one point if constant).

    At each point the two sides are compared by :func:`compare`, and the difference
    expression is checked by :func:`stable_difference`; when all agree, the edges of the
    domains (:func:`probe_points`; ``unbounded``: symbols whose domain is only a default
    sampling box) get one more chance to refute.

    ``cross_check``: the sides are only compared (at the first seeded point when
    ``points`` is 1), neither their difference on its own nor the edges: the cross-check of an
    identity proved exactly, where the search for a counterexample is not the evidence.
    """
    import sympy as sp
    pts = draw_points(domains, points, seed)
    diff = None if cross_check else _difference_expression(lhs, rhs)
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
        return NumericOutcome("unknown", None, None, "could not evaluate: " + (reasons[0] if reasons else "no points"),
                              {"evaluated": 0})
    probed = 0
    for pt in probe_points(domains, pts, unbounded) if not cross_check else ():
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


def search_inequality(lhs, rel: str, rhs, domains: dict, digits: int, seed: int,
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
    for rank, (_, start) in enumerate(sorted(seen, key=lambda mp_: mp_[0])[:3]):
        pt = descend(quick, start, domains, _descent_budget(domains) if rank == 0 else DESCENT_BUDGET)
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


DESCENT_BUDGET = 40  # evaluations of a descent from the second and third smallest margins
DESCENT_SWEEPS = 9  # halvings of the step the descent from the smallest margin can afford


def _descent_budget(domains: dict) -> int:
    r"""Evaluations for the descent from the smallest sampled margin: :data:`DESCENT_SWEEPS`
    sweeps of a step up and down along each coordinate.  A violation in a thin wedge needs
    the step halved about nine times; with a fixed 40 evaluations, seven variables got three
    halvings (sgd-average-loss's convexity bound with its rhs raised by \(10^{-3}\) was checked)."""
    return max(DESCENT_BUDGET, DESCENT_SWEEPS * 2 * len(domains))


def descend(f, start: dict, domains: dict, budget: int = DESCENT_BUDGET) -> dict | None:
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
