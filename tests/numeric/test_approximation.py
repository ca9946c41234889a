"""The gap of an approximation (numeric.approximation.measure_gap): an interval per point, decided
against the tolerance only when the whole interval is on one side of it."""
from dataclasses import dataclass

import sympy as sp

from numeric.approximation import measure_gap
from numeric.sampling import real

x = sp.Symbol("x", real=True)


@dataclass
class Approx:  # the fields of derivations.engine.claims.Approximation that measure_gap reads
    exact: object
    surrogate: object
    tolerance: float
    relative: bool = False
    points: int = 16


def gap(exact, surrogate, tolerance, domain, relative=False, digits=20):
    return measure_gap(Approx(exact, surrogate, tolerance, relative), {x: domain}, digits, seed=0)


def test_within_and_above_the_tolerance():
    # sin x ~ x on |x| <= 0.1: the gap is x^3/6 <= 1.67e-4
    assert gap(sp.sin(x), x, 2e-4, real(-0.1, 0.1)).status == "agree"
    out = gap(sp.sin(x), x, 2e-5, real(-0.1, 0.1))
    assert out.status == "disagree" and out.counterexample["text"].startswith("gap ")
    assert gap(sp.sin(x), x, 2e-3, real(-0.1, 0.1), relative=True).status == "agree"
    assert gap(sp.sin(x), x, 2e-4, real(-0.1, 0.1), relative=True).status == "disagree"


def test_cancellation_in_the_exact_side_is_resolved_not_mistaken():
    # exact = cosh x - sinh x on [600, 700] (terms 1e260..1e304 cancel), surrogate e^-x (1 + 1e-3)
    e = sp.cosh(x) - sp.sinh(x)
    assert gap(e, sp.exp(-x) * (1 + sp.Rational(1, 10 ** 3)), 2e-3, real(600, 700), relative=True).status == "agree"
    assert gap(e, sp.exp(-x) * (1 + sp.Rational(1, 10 ** 3)), 5e-4, real(600, 700), relative=True).status == "disagree"


def test_a_relative_gap_to_a_vanishing_exact_side_is_unknown():
    # exact is a true zero that vanishes in cancellation at every point: a relative gap has no
    # value there, even resolved as far as the bound asks
    e = sp.cosh(x) - sp.sinh(x) - sp.exp(-x)
    out = gap(e, sp.exp(-2 * x), 0.5, real(600, 700), relative=True)
    assert out.status == "unknown" and "straddles" in out.detail
    # an absolute gap to it is decided once its bound is below the tolerance (about 450 digits)
    assert gap(e, sp.exp(-2 * x), 1e-150, real(600, 700)).status == "agree"
    assert gap(e, sp.Rational(1, 10 ** 140), 1e-150, real(600, 700)).status == "disagree"
