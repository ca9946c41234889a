"""Certified enclosures with ball arithmetic (Arb, through python-flint), optional.

A *ball* ``[m +/- r]`` is an interval that provably contains the exact value: every operation
of Arb rounds outward.  The verdict ``certified`` rests on such balls:

* an **equality to D digits** is certified when both enclosures have relative radius below
  ``10^-D`` and overlap: they then contain one common small interval, so the two values
  agree to D digits *rigorously* (not just at two precisions);
* an **inequality** is certified when the enclosures are disjoint in the right order, and a
  relation is *refuted* rigorously when they are disjoint in the wrong order.

Arb's comparison operators return ``False`` both for "false" and for "undecided"
(overlapping balls): ``a < b`` and ``a >= b`` can both be ``False``.  Every decision here asks
both directions (:func:`decide`), never the negation of one.

python-flint is an optional extra (``pip install stepcheck[certify]``).  Without it (or with
``STEPCHECK_NO_FLINT=1`` in the environment, to run the suite both ways on one machine)
:data:`AVAILABLE` is false and every cross-check here falls back to the two-precision mpmath
rule of :func:`numeric.identity.compare`: the verdict is then ``checked``, never
``certified``.  Installing python-flint also switches SymPy's ground types to ``flint``
(``SYMPY_GROUND_TYPES=python`` switches them back); nothing here depends on them.

Series: :class:`EulerMaclaurinSum` encloses a slowly convergent sum
\\(\\sum_{n\\ge a} f(n)\\) as an exact partial sum to ``M`` plus the Euler--Maclaurin tail
\\(\\int_M^\\infty f + f(M)/2 - \\sum_{k\\le p} \\frac{B_{2k}}{(2k)!} f^{(2k-1)}(M)\\) with the
remainder bound \\(|R_p|\\le \\frac{2\\zeta(2p)}{(2\\pi)^{2p}}|f^{(2p-1)}(M)|\\), valid when
\\(f^{(2p)}\\) keeps one sign on \\([M,\\infty)\\) (completely monotone \\(f\\)).  Its mpmath twin
:func:`numeric.series.euler_maclaurin_mp` (no ball) is what :mod:`numeric.evaluate` uses when
``nsum`` does not converge.
"""
from __future__ import annotations

import importlib.util
import math
import os
from contextlib import contextmanager

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef



def _installed() -> bool:
    try:
        return importlib.util.find_spec("flint") is not None
    except (ImportError, ValueError):  # a blocked module (sys.modules["flint"] = None) has no spec
        return False


AVAILABLE = _installed() and os.environ.get("STEPCHECK_NO_FLINT", "") in ("", "0")


if AVAILABLE:
    import flint  # noqa: F401  (once, before the engine forks a child per claim; SymPy often has it loaded)


class NotCertifiable(Exception):
    """No enclosure: python-flint absent, an unsupported node, or a ball that stays wide."""


def _flint():
    if not AVAILABLE:
        raise NotCertifiable("python-flint is not installed (pip install stepcheck[certify])")
    import flint
    return flint


def _bits(digits: int) -> int:
    return int(digits * 3.33) + 40


@contextmanager
def precision(digits: int, series_length: int | None = None):
    """Arb working precision for ``digits`` decimal digits (and power-series length),
    restored on exit: python-flint's context is global, like mpmath's."""
    flint = _flint()
    old_cap = flint.ctx.cap
    with flint.ctx.workprec(_bits(digits)):
        try:
            if series_length is not None:
                flint.ctx.cap = series_length
            yield flint
        finally:
            flint.ctx.cap = old_cap


# --- SymPy expression -> ball ---------------------------------------------------------------

_METHODS = {  # SymPy function -> method name shared by arb and arb_series
    sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.atan: "atan",
    sp.asin: "asin", sp.acos: "acos", sp.gamma: "gamma", sp.loggamma: "lgamma", sp.erf: "erf",
    sp.erfc: "erfc", sp.Ci: "ci", sp.Si: "si", sp.Ei: "ei", sp.li: "li", sp.sinh: "sinh",
    sp.cosh: "cosh", sp.tanh: "tanh", sp.coth: "coth", sp.cot: "cot", sp.digamma: "digamma",
}


def _constant(flint, e):
    if not e.is_NumberSymbol:
        return None
    arb = flint.arb
    table = {sp.pi: arb.pi, sp.E: arb.const_e, sp.EulerGamma: arb.const_euler,
             sp.Catalan: arb.const_catalan}
    if e in table:
        return table[e]()
    if e is sp.GoldenRatio:
        return (1 + arb(5).sqrt()) / 2
    return None


def _ball(flint, e, env):
    arb = flint.arb
    if e.is_Integer:
        return arb(flint.fmpz(int(e)))
    if e.is_Rational:
        return arb(flint.fmpq(int(e.p), int(e.q)))
    if e.is_Float:
        sign, man, exp, _ = e._mpf_  # mpf's man_exp drops the sign: read it from the raw tuple
        return arb(flint.fmpz(-int(man) if sign else int(man))) * arb(2) ** int(exp)
    c = _constant(flint, e)
    if c is not None:
        return c
    if e.is_Symbol:
        if e in env:
            return env[e]
        raise NotCertifiable(f"no value for symbol {e}")
    if e.is_Add:
        out = arb(0)
        for a in e.args:
            out = _ball(flint, a, env) + out
        return out
    if e.is_Mul:
        out = arb(1)
        for a in e.args:
            out = _ball(flint, a, env) * out
        return out
    if e.is_Pow:
        base, ex = e.args
        b = _ball(flint, base, env)
        if ex.is_Integer:
            return b ** int(ex)
        if ex == sp.S.Half:
            return b.sqrt()
        if ex == -sp.S.Half:
            return b.rsqrt()
        return b ** _ball(flint, ex, env)
    if isinstance(e, AppliedUndef) and getattr(type(e), "enclosure", None) is not None:
        return type(e).enclosure(*[_ball(flint, a, env) for a in e.args], digits=int(flint.ctx.dps))
    if isinstance(e, AppliedUndef) and getattr(type(e), "exact", None) is not None:
        return _ball(flint, sp.sympify(type(e).exact(*e.args)), env)
    if isinstance(e, sp.Abs):
        return abs(_ball(flint, e.args[0], env))
    if isinstance(e, sp.zeta):
        args = [_ball(flint, a, env) for a in e.args]
        return args[0].zeta() if len(args) == 1 else args[0].zeta(args[1])
    if isinstance(e, sp.harmonic) and len(e.args) == 1:
        n = _ball(flint, e.args[0], env)
        return (n + 1).digamma() + arb.const_euler()
    if isinstance(e, sp.factorial):
        return (_ball(flint, e.args[0], env) + 1).gamma()
    if isinstance(e, sp.Sum):
        return _finite_sum(flint, e, env)
    if type(e) in _METHODS and len(e.args) == 1:
        return getattr(_ball(flint, e.args[0], env), _METHODS[type(e)])()
    raise NotCertifiable(f"no ball arithmetic for {type(e).__name__}")


_MAX_TERMS = 200_000


def _finite_sum(flint, e, env):
    (var, lo, hi), *rest = e.limits
    if rest:
        raise NotCertifiable("nested sums are not enclosed")
    bounds = []
    for x in (lo, hi):
        b = _ball(flint, sp.sympify(x), env)
        n = b.unique_fmpz() if b.is_exact() else None
        if n is None:
            raise NotCertifiable("a sum's limits must be exact integers")
        bounds.append(int(n))
    if bounds[1] - bounds[0] > _MAX_TERMS:
        raise NotCertifiable(f"more than {_MAX_TERMS} terms")
    total = flint.arb(0)
    for n in range(bounds[0], bounds[1] + 1):
        local = dict(env)
        local[var] = flint.arb(n)
        total += _ball(flint, e.function, local)
    return total


def ball(expr, point: dict | None = None, digits: int = 50):
    """A ball containing the exact value of ``expr`` (symbols set to ``point``, exact binary
    floats), with relative radius below ``10^-digits``; precision is raised up to four
    times before giving up with :class:`NotCertifiable`."""
    expr = sp.sympify(expr)
    for attempt in range(4):
        with precision(digits * (1 + attempt)) as flint:
            # a float point is its exact binary value, as in numeric.evaluate
            env = {s: _ball(flint, sp.Rational(v) if isinstance(v, float) else sp.sympify(v), {})
                   for s, v in (point or {}).items()}
            try:
                b = _ball(flint, expr, env)
            except (ValueError, ZeroDivisionError, TypeError) as exc:
                raise NotCertifiable(f"{type(exc).__name__}: {exc}") from None
            if narrow(b, digits):
                return b
    raise NotCertifiable(f"enclosure of {sp.sstr(expr)[:60]} stays wider than {digits} digits")


_IV_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos"}


def interval(expr, box: dict, dps: int = 30):
    """An interval (``mpmath.iv``, endpoint arithmetic rounded outward) containing every value
    of ``expr`` with each symbol anywhere in its closed interval of ``box`` (symbol ->
    ``(lo, hi)``, exact binary floats or numbers).  It contains the range of ``expr`` there and
    may be wider (each occurrence of a symbol ranges on its own).  :class:`NotCertifiable` when
    a symbol has no interval or a node has no interval rule (sums, Piecewise, matrices, ...)."""
    iv = mpmath.iv

    def walk(e):
        if e.is_Symbol:
            if e not in box:
                raise NotCertifiable(f"no interval for symbol {e}")
            lo, hi = (walk(sp.Rational(v) if isinstance(v, float) else sp.sympify(v)) for v in box[e])
            return iv.mpf([lo.a, hi.b])
        if e.is_Rational:
            return iv.mpf(int(e.p)) / int(e.q)
        if e.is_Float:
            return iv.mpf(mpmath.mpf(e._mpf_))
        if e is sp.pi or e is sp.E:
            return iv.pi if e is sp.pi else iv.e
        if e.is_Add:
            return sum((walk(a) for a in e.args), iv.mpf(0))
        if e.is_Mul:
            out = iv.mpf(1)
            for a in e.args:
                out = out * walk(a)
            return out
        if e.is_Pow and e.exp.is_Integer:
            b, n = walk(e.base), int(e.exp)
            return b ** n if n >= 0 else 1 / b ** (-n)
        if e.is_Pow:
            return iv.exp(walk(e.exp) * iv.log(walk(e.base)))
        if isinstance(e, sp.Abs):
            return abs(walk(e.args[0]))
        if type(e) in _IV_FUNCTIONS and len(e.args) == 1:
            return getattr(iv, _IV_FUNCTIONS[type(e)])(walk(e.args[0]))
        raise NotCertifiable(f"no interval rule for {type(e).__name__}")

    prec, iv.dps = iv.prec, dps
    try:
        return walk(sp.sympify(expr))
    except (ValueError, ZeroDivisionError, TypeError, OverflowError) as exc:
        raise NotCertifiable(f"{type(exc).__name__}: {exc}") from None
    finally:
        iv.prec = prec


def narrow(b, digits: int) -> bool:
    """Finite ball whose radius is below ``10^-digits`` relative to its midpoint (absolute
    when the midpoint is 0)."""
    if not b.is_finite():
        return False
    rad, mid = abs(b.rad()), abs(b.mid())
    scale = mid if mid != 0 else 1
    return bool(rad <= scale * _flint().arb(10) ** (-digits))


# --- decisions --------------------------------------------------------------------------------

def decide(a, rel: str, b) -> str:
    """``holds``, ``fails`` or ``undecided`` for ``a REL b`` on balls.

    Arb answers ``True`` only when the relation holds for every pair of points of the two
    balls, so ``False`` is not "false": the opposite relation is asked separately."""
    yes = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[rel]
    no = {"<": a >= b, "<=": a > b, ">": a <= b, ">=": a < b}[rel]
    if yes:
        return "holds"
    if no:
        return "fails"
    return "undecided"


def agree(a, b, digits: int) -> str:
    """``agree`` (both balls narrower than ``digits`` and overlapping: one common small
    interval), ``differ`` (disjoint balls: the values are certainly different) or
    ``undecided``."""
    if not a.overlaps(b):
        return "differ"
    if narrow(a, digits) and narrow(b, digits):
        return "agree"
    return "undecided"


def show(b, n: int = 20) -> str:
    """``[mid +/- rad]`` with ``n`` digits."""
    return b.str(n, radius=True)


def to_mpf(b):
    """The midpoint of a ball as an mpmath number (exact decimal conversion)."""
    # an exact ball reports an accuracy of LONG_MAX bits; its mantissa bounds the digits needed
    n = max(int(min(b.rel_accuracy_bits(), max(b.bits(), 53)) * 0.302), 0) + 10
    mid, _rad, exp = b.mid_rad_10exp(n)
    with mpmath.workdps(n + 10):
        return mpmath.mpf(int(mid)) * mpmath.mpf(10) ** int(exp)


# --- values that can be enclosed and evaluated --------------------------------------------------

class Value:
    """Something with a rigorous enclosure (:meth:`ball`) and an mpmath value (:meth:`mp`)."""

    label = "value"

    def ball(self, digits: int):
        raise NotCertifiable(f"{self.label}: no enclosure")

    def mp(self, dps: int):
        raise NotImplementedError


class Expr(Value):
    """A SymPy expression, optionally at a point."""

    def __init__(self, expr, point: dict | None = None):
        self.expr, self.point = sp.sympify(expr), dict(point or {})

    @property
    def label(self):
        return sp.sstr(self.expr)

    def ball(self, digits):
        return ball(self.expr, self.point, digits)

    def mp(self, dps):
        from numeric.evaluate import evaluate
        return evaluate(self.expr, self.point, dps)


class Decimal(Value):
    """A published decimal value: the ball is the decimal plus or minus one unit of its last
    digit (it may be rounded or truncated), so it is as narrow as the digits it shows."""

    def __init__(self, text: str):
        mantissa = text.strip().lstrip("+-").split("e")[0].split("E")[0]
        digits = mantissa.replace(".", "").lstrip("0")
        self.text, self.digits = text.strip(), len(digits)
        self.label = self.text
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        exp = int(text.lower().split("e")[1]) if "e" in text.lower() else 0
        self.ulp = sp.Rational(10) ** (exp - decimals)

    def ball(self, digits):
        flint = _flint()
        with precision(max(digits, self.digits) + 10):
            q = sp.Rational(self.text)
            return flint.arb(flint.fmpq(int(q.p), int(q.q)), flint.arb(flint.fmpq(int(self.ulp.p), int(self.ulp.q))))

    def mp(self, dps):
        with mpmath.workdps(dps):
            return mpmath.mpf(self.text)


def _outcome(*args, **kw):
    from numeric.identity import NumericOutcome
    return NumericOutcome(*args, **kw)


def _wrap(v) -> Value:
    return v if isinstance(v, Value) else Expr(v)


def _balls_first(lhs, rhs, digits, judge):
    """``(outcome, "")`` when the Arb balls of both sides decide (``judge(a, b)`` returns an
    outcome), else ``(None, note)`` for the mpmath fallback."""
    if not AVAILABLE:
        return None, ""
    try:
        a, b = lhs.ball(digits), rhs.ball(digits)
    except NotCertifiable as exc:
        return None, f"not certified ({exc}); "
    out = judge(a, b)
    return (out, "") if out is not None else (None, "Arb balls undecided; ")


def check_equal(lhs, rhs, digits: int | None = None):
    """Cross-check (``(digits, seed) -> NumericOutcome``) of ``lhs = rhs`` to ``digits``.

    With python-flint: ``certified`` when the balls agree (see :func:`agree`), ``disagree``
    when they are disjoint (a rigorous counterexample).  Otherwise, or when the balls stay
    undecided, the two-precision rule of :func:`numeric.identity.compare`.  A
    :class:`Decimal` side caps the digits at the digits it prints, less one."""
    lhs, rhs = _wrap(lhs), _wrap(rhs)

    def judge(a, b, d):
        verdict = agree(a, b, d)
        if verdict == "agree":
            return _outcome("certified", d, None, f"Arb balls overlap: {show(a)} and {show(b)}")
        if verdict == "differ":
            return _outcome("disagree", None, {"text": f"disjoint Arb enclosures: lhs {show(a)} vs rhs {show(b)}"},
                            "rigorous: the enclosures do not meet")
        return None

    def run(claim_digits, seed):
        d = digits or claim_digits
        for side in (lhs, rhs):
            if isinstance(side, Decimal):
                d = min(d, side.digits - 1)
        out, note = _balls_first(lhs, rhs, d, lambda a, b: judge(a, b, d))
        return out or _two_precisions(lhs, rhs, d, note)

    return run


def _two_precisions(lhs, rhs, digits, note):
    from numeric.evaluate import Unevaluable
    from numeric.identity import compare
    from numeric.counterexamples import counterexample
    try:
        cmp = compare(lambda dps: (lhs.mp(dps), rhs.mp(dps)), digits)
    except (Unevaluable, NotCertifiable, ValueError) as exc:
        return _outcome("unknown", None, None, note + f"could not evaluate: {exc}")
    if cmp.status == "agree":
        return _outcome("agree", cmp.digits, None, note + f"two precisions ({digits}+10, {digits}+30 digits)")
    if cmp.status == "disagree":
        return _outcome("disagree", cmp.digits, counterexample(cmp), note + cmp.detail)
    return _outcome("unknown", None, None, note + cmp.detail)


def check_relation(lhs, rel: str, rhs, digits: int = 30):
    """Cross-check of ``lhs REL rhs`` between two numbers: ``certified`` when the balls are
    disjoint in the right order, ``disagree`` (rigorous) when disjoint in the wrong order;
    without python-flint the sign of ``rhs - lhs`` at two precisions (``agree`` only when it
    is the right sign at both and stable)."""
    lhs, rhs = _wrap(lhs), _wrap(rhs)

    def judge(a, b):
        verdict = decide(a, rel, b)
        if verdict == "holds":
            return _outcome("certified", None, None, f"disjoint Arb balls: {show(a, 12)} {rel} {show(b, 12)}")
        if verdict == "fails":
            return _outcome("disagree", None, {"text": f"rigorously violated: lhs {show(a, 12)} vs rhs {show(b, 12)}"},
                            "disjoint Arb enclosures in the wrong order")
        return None

    def run(claim_digits, seed):
        out, note = _balls_first(lhs, rhs, digits, judge)
        return out or _sign_at_two_precisions(lhs, rel, rhs, digits, note)

    return run


def _sign_at_two_precisions(lhs, rel, rhs, digits, note):
    from numeric.evaluate import Unevaluable
    from numeric.counterexamples import fmt
    holds = {"<": lambda m: m > 0, "<=": lambda m: m >= 0, ">": lambda m: m < 0, ">=": lambda m: m <= 0}[rel]
    margins = []
    try:
        for dps in (digits + 10, digits + 30):
            with mpmath.workdps(dps):
                a, b = lhs.mp(dps), rhs.mp(dps)
                margins.append((b - a, a, b))
    except (Unevaluable, NotCertifiable, ValueError) as exc:
        return _outcome("unknown", None, None, note + f"could not evaluate: {exc}")
    (m1, _, _), (m2, a2, b2) = margins
    scale = max(abs(a2), abs(b2), mpmath.mpf(1))
    if abs(m1 - m2) > abs(m2) / 1000 or abs(m2) < scale * mpmath.mpf(10) ** (-digits):
        return _outcome("unknown", None, None, note + f"margin {fmt(m2, 6)} not resolved at two precisions")
    if holds(m2):
        return _outcome("agree", None, None, note + f"margin {fmt(m2, 8)} at {digits}+10 and {digits}+30 digits")
    return _outcome("disagree", None, {"text": f"violated: lhs {fmt(a2)} vs rhs {fmt(b2)} (margin {fmt(m2, 6)})"},
                    note + "same sign at two precisions")


def deferred(make):
    """A cross-check built on first use by ``make()``: keeps the expressions of a claim out of
    module import (every CLI command imports the catalog's modules)."""
    return lambda digits, seed: make()(digits, seed)


def all_of(*checks):
    """One cross-check from several: the first ``disagree`` (with its counterexample),
    ``certified`` when every part is, ``agree`` when every part is certified or agrees,
    ``unknown`` otherwise."""

    def run(digits, seed):
        outs = [c(digits, seed) for c in checks]
        for o in outs:
            if o.status == "disagree":
                return o
        dig = [o.digits for o in outs if o.digits is not None]
        detail = "; ".join(o.detail for o in outs if o.detail)
        if all(o.status == "certified" for o in outs):
            return _outcome("certified", min(dig) if dig else None, None, f"{len(outs)} parts certified")
        if all(o.status in ("certified", "agree") for o in outs):
            n = sum(o.status == "certified" for o in outs)
            return _outcome("agree", min(dig) if dig else None, None, f"{n}/{len(outs)} parts certified; {detail}")
        return _outcome("unknown", None, None, detail)

    return run


# --- Euler-Maclaurin tails ----------------------------------------------------------------------

from numeric.series import _bernoulli_over, euler_maclaurin_mp  # noqa: E402


class EulerMaclaurinSum(Value):
    """\\(\\sum_{n\\ge a} f(n)\\) for a ``term`` whose \\(f^{(2p)}\\) keeps one sign on
    \\([M,\\infty)\\) (a completely monotone \\(f\\), for example: the caller states why) and a closed-form ``tail_integral``
    \\(\\int_M^\\infty f\\) (a SymPy expression in ``var``)::

        S = sum_{a<=n<M} f(n) + int_M^oo f + f(M)/2 - sum_{k=1}^p B_2k/(2k)! f^(2k-1)(M) + R_p,
        |R_p| <= 2 zeta(2p)/(2 pi)^(2p) |f^(2p-1)(M)|.

    The ball is the exact partial sum plus the tail plus a ball whose radius is the remainder
    bound.  The mpmath value is :func:`euler_maclaurin_mp` with the same exact tail integral
    (its cut-off grows with the precision).
    """

    def __init__(self, term, var, start: int, tail_integral, cutoff: int = 1000, order: int = 30):
        self.term, self.var, self.start = sp.sympify(term), var, int(start)
        self.tail = sp.sympify(tail_integral)
        self.cutoff, self.order = int(cutoff), int(order)

    @property
    def label(self):
        return f"sum_(n>={self.start}) {sp.sstr(self.term)}"

    def ball(self, digits):
        flint = _flint()
        with precision(digits + 20, series_length=2 * self.order + 1):
            arb, M = flint.arb, self.cutoff
            partial = arb(0)
            for n in range(self.start, M):
                partial += _ball(flint, self.term, {self.var: arb(n)})
            coeffs = _ball(flint, self.term, {self.var: flint.arb_series([arb(M), 1])}).coeffs()
            tail = _ball(flint, self.tail, {self.var: arb(M)}) + coeffs[0] / 2
            for k in range(1, self.order + 1):
                tail -= coeffs[2 * k - 1] * arb(flint.fmpq(*_pq(_bernoulli_over(k))))
            p = self.order
            deriv = coeffs[2 * p - 1] * arb.fac_ui(2 * p - 1)
            bound = 2 * arb(2 * p).zeta() / (2 * arb.pi()) ** (2 * p) * abs(deriv)
            total = partial + tail
            return total + arb(0, bound.upper())

    def mp(self, dps):
        from numeric.evaluate import evaluate

        def f(x):
            return evaluate(self.term, {self.var: x}, mpmath.mp.dps)

        return euler_maclaurin_mp(f, self.start, dps,
                                  tail=lambda M: evaluate(self.tail, {self.var: M}, mpmath.mp.dps))[0]


def _pq(q):
    q = sp.Rational(q)
    return int(q.p), int(q.q)


def digits_of(b) -> float:
    """Relative accuracy of a ball in decimal digits."""
    return b.rel_accuracy_bits() * math.log10(2)
