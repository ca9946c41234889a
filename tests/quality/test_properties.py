"""Property-based tests (hypothesis, the deadline-free ``stepcheck-quality`` profile of
conftest.py): random polynomial and rational identities are proved, a perturbed coefficient
is refuted, and the comparator never reports more agreeing digits than it was asked for
(hence never more than its working precision, which is at least digits + 10)."""
import math

import mpmath
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations.engine import Identity, claim
from derivations.engine.symbolic import prove_zero
from derivations.engine.verify import _evaluate
from numeric.identity import compare
from numeric.search import search_identity
from numeric.sampling import real

x = sp.Symbol("x", real=True)
PROFILE = settings.get_profile("stepcheck-quality")
coefficient = st.integers(-9, 9)
linear = st.tuples(st.integers(1, 5), coefficient)  # a x + b with a != 0


def _product(factors):
    return sp.Mul(*(a * x + b for a, b in factors), evaluate=True)


def _verdict(lhs, rhs, digits=20):
    c = claim("prop", "lhs = rhs")(lambda: Identity(lhs, rhs, {x: real(-2, 2)}, points=3))
    return _evaluate(c, digits, 0, 10.0).verdict


@settings(PROFILE, max_examples=25)
@given(st.lists(linear, min_size=1, max_size=6))
def test_expanded_product_of_linear_factors_is_proved(factors):
    prod = _product(factors)
    out = prove_zero(prod - sp.expand(prod))
    assert out.status == "proved" and out.method in ("identical", "expand")


@settings(PROFILE, max_examples=25)
@given(st.lists(st.tuples(st.integers(1, 9), st.integers(-6, 6)), min_size=1, max_size=4, unique_by=lambda t: t[1]))
def test_partial_fractions_equal_their_common_denominator_form(terms):
    parts = sp.Add(*(sp.Integer(c) / (x - r) for c, r in terms))
    assert prove_zero(parts - sp.cancel(sp.together(parts))).status == "proved"


@settings(PROFILE, max_examples=20)
@given(st.lists(linear, min_size=1, max_size=5), st.data())
def test_one_perturbed_coefficient_is_refuted(factors, data):
    expanded = sp.Poly(sp.expand(_product(factors)), x)
    coeffs = expanded.all_coeffs()
    i = data.draw(st.integers(0, len(coeffs) - 1), label="which coefficient")
    delta = data.draw(st.integers(1, 3) | st.integers(-3, -1), label="by how much")
    coeffs[i] += delta
    perturbed = sp.Poly(coeffs, x).as_expr()
    assert _verdict(_product(factors), perturbed) == "refuted"
    assert _verdict(_product(factors), expanded.as_expr()) == "proved"


@settings(PROFILE, max_examples=200)
@given(st.integers(5, 60), st.integers(0, 120), st.floats(0.1, 10), st.booleans())
def test_compare_never_reports_more_digits_than_requested(digits, k, value, exact):
    def compute(dps):
        with mpmath.workdps(dps):
            a = mpmath.mpf(value)
            return a, a if exact else a * (1 + mpmath.mpf(10) ** -k)

    cmp = compare(compute, digits)
    assert cmp.status in ("agree", "disagree", "unknown")
    if cmp.status == "agree":
        assert cmp.digits <= digits < digits + 10  # below the lowest working precision
        assert exact or k >= digits - 1
    if cmp.status == "disagree":
        assert not exact and k < digits and cmp.digits <= digits
        assert abs(cmp.digits - k) < 1.5  # the digits reported are the digits that agree


@settings(PROFILE, max_examples=15)
@given(st.integers(5, 40), st.sampled_from([sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.exp(x) * sp.exp(-x),
                                            sp.cosh(x) ** 2 - sp.sinh(x) ** 2]))
def test_identity_test_digits_are_capped_by_the_request(digits, one):
    out = search_identity(one, sp.Integer(1), {x: real(-2, 2)}, digits, seed=0, points=2)
    assert out.status == "agree" and out.digits <= digits and math.isfinite(out.digits)
