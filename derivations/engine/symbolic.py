"""Symbolic proof that a difference is identically zero: small named strategies, one driver.

Each strategy is a rewrite that SymPy applies to ``lhs - rhs``; the difference is *proved*
zero only when a strategy returns SymPy's exact ``0`` (for matrices: every entry).  The
driver tries cheap targeted rewrites first and ``simplify`` last; the whole driver runs
under the engine's time budget (:mod:`derivations.engine.budget`), because ``simplify``
has no timeout of its own and can run for minutes.

``Expr.equals`` is deliberately not used: it returns ``None`` (and occasionally ``False``)
on true identities.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass
class SymbolicOutcome:
    """``status``: ``proved``, ``failed`` (no strategy reached 0), ``refuted`` (the difference
    is a nonzero constant, with ``counterexample``), ``unknown`` (timeout) or ``skipped``.
    ``value`` is that exact nonzero difference when a strategy found it."""

    status: str
    method: str = ""
    counterexample: dict | None = None
    detail: str = ""
    value: object = None


def _entries(d):
    return list(d) if isinstance(d, sp.MatrixBase) else [d]


def identical(d):
    """Already zero as built (exact arithmetic on numbers, rationals, explicit matrices)."""
    return d


def expand_(d):
    """Polynomial expansion: \\(\\mathrm{expand}(d)\\)."""
    return sp.expand(d)


def cancel_(d):
    """Rational-function normal form: \\(\\mathrm{cancel}(\\mathrm{together}(d))\\)."""
    return sp.cancel(sp.together(d))


def radicals(d):
    """Surds: rationalise denominators and denest square roots, then expand."""
    return sp.expand(sp.radsimp(sp.sqrtdenest(d)))


def trig_expand(d):
    """Angle-addition expansion: \\(\\mathrm{expand}(\\mathrm{expand\\_trig}(d))\\)."""
    return sp.expand(sp.expand_trig(sp.expand(d)))


def exp_rewrite(d):
    """Trigonometric and hyperbolic functions as exponentials, then a rational normal form."""
    return sp.cancel(sp.expand(sp.powsimp(sp.expand(d.rewrite(sp.exp)))))


def do_it(d):
    """Evaluate unevaluated integrals, sums, limits and derivatives, then normalise."""
    e = d.doit()
    return sp.cancel(sp.expand(e)) if not isinstance(e, sp.MatrixBase) else e.applyfunc(
        lambda x: sp.cancel(sp.expand(x)))


def simplify_(d):
    """General-purpose ``simplify`` (last resort: slow, may not terminate in time)."""
    return sp.simplify(d)


def trig_simplify(d):
    """Pythagorean and double-angle reductions: \\(\\mathrm{trigsimp}(d)\\)."""
    return sp.trigsimp(d)


def sign_abs(d):
    """Signs and extrema as absolute values, \\(\\mathrm{sign}\\,x=x/|x|\\), \\(\\max(x,y)=(x+y+|x-y|)/2\\), then ``cancel``."""
    return sp.cancel(sp.expand(d.rewrite(sp.Abs)))


def erf_form(d):
    """Gaussian integrals through one function, \\(\\mathrm{erfc}\\,x=1-\\mathrm{erf}\\,x\\), then expansion."""
    return sp.expand(sp.expand(d).rewrite(sp.erf))


STRATEGIES = (identical, expand_, cancel_, radicals, trig_expand, trig_simplify, exp_rewrite, do_it, sign_abs,
              erf_form, simplify_)
CHEAP = (identical, expand_, cancel_)  # exact rewrites that cost little on any expression


def _is_zero(e) -> bool:
    return all(x == 0 for x in _entries(e))


def exactly_nonzero(x) -> bool:
    """True only when ``x`` is provably a nonzero number by exact arithmetic: a nonzero
    rational, or an algebraic number (radicals of rationals) whose minimal polynomial has a
    nonzero constant term.  SymPy's ``is_zero`` is not used: on transcendental numbers it
    decides by floating-point evaluation."""
    if not isinstance(x, sp.Expr) or not x.is_number:
        return False
    if x.is_Rational:
        return x != 0
    if x.has(sp.I) or not all(a.is_Rational or a.is_Pow for a in sp.preorder_traversal(x)
                               if a.is_Atom or a.is_Pow) or \
            not all(isinstance(a, (sp.Add, sp.Mul, sp.Pow, sp.Rational)) for a in sp.preorder_traversal(x)):
        return False
    try:
        poly = sp.minimal_polynomial(x, polys=True)
    except (NotImplementedError, ValueError, sp.PolynomialError, sp.polys.polyerrors.NotAlgebraic):
        return False
    return poly.TC() != 0


def _nonzero_constant(e):
    r"""An entry that is provably a nonzero number (the difference is not zero), or None.

    An entry that a strategy reduced to \(\pm\infty\) also refutes: one side diverges and
    the other does not (``doit`` sums \(\sum 1/n\) to ``oo``; a divergent side has no numeric
    value, so the numeric phase alone could only say unknown).  Both sides infinite give
    ``nan``, not ``oo``."""
    for idx, x in enumerate(_entries(e)):
        if exactly_nonzero(x) or x in (sp.oo, sp.S.NegativeInfinity):
            return idx, x
    return None


_UNEVALUATED = (sp.Integral, sp.Sum, sp.Product, sp.Limit, sp.Derivative)


def _ordered(diff, strategies):
    """``do_it`` right after the cheap rewrites when ``diff`` holds unevaluated integrals,
    sums, products, limits or derivatives: on those, ``cancel`` and ``exp_rewrite`` can spend
    the whole budget (28 s for Dirichlet's \\(\\int_0^\\infty \\sin x/x\\,dx - \\pi/2\\))
    that ``doit`` needs a fraction of a second to reduce to 0."""
    if do_it not in strategies or not diff.has(*_UNEVALUATED):
        return strategies
    rest = [s for s in strategies if s is not do_it]
    at = rest.index(expand_) + 1 if expand_ in rest else 0
    return tuple(rest[:at]) + (do_it,) + tuple(rest[at:])


def prove_zero(diff, strategies=STRATEGIES, applyfunc: bool = True) -> SymbolicOutcome:
    """Try each strategy in turn on ``diff`` (expression or explicit matrix)."""
    if isinstance(diff, sp.MatrixBase):
        diff = sp.ImmutableMatrix(diff)
    last = diff
    for strat in _ordered(diff, strategies):
        try:
            if isinstance(diff, sp.MatrixBase) and applyfunc:
                out = diff.applyfunc(strat) if strat is not identical else diff
            else:
                out = strat(diff)
        except (NotImplementedError, TypeError, ValueError, AttributeError, sp.PolynomialError,
                RecursionError, ZeroDivisionError):
            continue
        if _is_zero(out):
            return SymbolicOutcome("proved", strat.__name__.rstrip("_"))
        last = out
        hit = _nonzero_constant(out)
        if hit is not None:
            idx, value = hit
            cx = {"text": _where(diff, idx) + f"difference = {sp.sstr(value)} (exact, by {strat.__name__.rstrip('_')})"}
            return SymbolicOutcome("refuted", strat.__name__.rstrip("_"), cx, value=value)
    return SymbolicOutcome("failed", "", detail=f"no strategy reduced the difference to 0 (last: {_short(last)})")


def _where(m, idx) -> str:
    if isinstance(m, sp.MatrixBase) and m.rows * m.cols > 1:
        return f"entry ({idx // m.cols},{idx % m.cols}): "
    return ""


def _short(e, n: int = 80) -> str:
    s = sp.sstr(e)
    return s if len(s) <= n else s[: n - 3] + "..."


def prove_nonnegative(expr, certificate=None, strict: bool = False) -> SymbolicOutcome:
    """Exact certificate that ``expr >= 0`` (``expr > 0`` when ``strict``) under the symbols'
    assumptions.

    With a ``certificate`` (an expression whose sign SymPy can see, such as a sum of squares
    times positive symbols), ``expr - certificate`` must be proved zero and the certificate
    must be manifestly nonnegative (positive).  Without one, SymPy's assumption system is
    asked about ``expr`` after factoring.
    """
    def signed(e):
        return e.is_positive if strict else e.is_nonnegative

    word = "positive" if strict else "nonnegative"
    if certificate is not None:
        same = prove_zero(expr - certificate)
        if same.status != "proved":
            return SymbolicOutcome("failed", "", detail="certificate does not equal the difference")
        if signed(certificate):
            return SymbolicOutcome("proved", f"certificate ({same.method}) + sign")
        return SymbolicOutcome("failed", "", detail=f"certificate is not manifestly {word}")
    for name, form in (("sign", lambda e: e), ("factor+sign", sp.factor), ("cancel+sign", sp.cancel)):
        try:
            f = form(expr)
        except (NotImplementedError, sp.PolynomialError):
            continue
        if signed(f):
            return SymbolicOutcome("proved", name)
    return SymbolicOutcome("failed", "", detail="no exact certificate of the sign")
