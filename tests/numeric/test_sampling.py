"""Sampling domains: consistency with SymPy assumptions, seeded reproducible points."""
import random

import pytest
import sympy as sp

from derivations.engine.errors import DomainError
from numeric.sampling import (Domain, check_consistent, complex_box, default_domain, draw_points, integers,
                              positive, real)


@pytest.mark.parametrize("assumptions, kind, lo, hi", [
    ({"integer": True, "positive": True}, "integer", 1, 20),
    ({"integer": True, "nonnegative": True}, "integer", 0, 20),
    ({"integer": True, "negative": True}, "integer", -20, -1),
    ({"integer": True}, "integer", -10, 10),
    ({"positive": True}, "real", 0, 3),
    ({"nonnegative": True}, "real", 0, 3),
    ({"nonpositive": True}, "real", -3, 0),
    ({"real": True}, "real", -3, 3),
    ({}, "complex", -2, 2),
])
def test_default_domain_follows_assumptions(assumptions, kind, lo, hi):
    s = sp.Symbol("s", **assumptions)
    d = default_domain(s)
    assert (d.kind, d.lo, d.hi) == (kind, lo, hi)
    check_consistent(s, d)  # the default domain never contradicts the assumptions


def test_default_domain_of_negative_symbol_excludes_zero():
    # Regression: the default domain [-3, 0] was rejected by check_consistent, so every claim
    # with a negative symbol and no explicit domain came out "unknown".
    n = sp.Symbol("n", negative=True)
    d = default_domain(n)
    check_consistent(n, d)
    assert d.hi < 0 and d.lo == -3
    pts = draw_points({n: d}, 200, seed=1)
    assert all(p[n] < 0 for p in pts)


def test_positive_domain_is_half_open():
    d = positive(2.0)
    assert d.open_lo and d.lo == 0 and d.describe() == "(0, 2]"
    rng = random.Random(0)
    assert all(0 < d.sample(rng) <= 2 for _ in range(500))


def test_integer_domain_keeps_only_the_integers_inside():
    assert (Domain(1.2, 3.9, "integer").lo, Domain(1.2, 3.9, "integer").hi) == (2, 3)
    # Regression: hi was truncated towards 0, so [-3, -1.5] sampled -1.
    d = Domain(-3, -1.5, "integer")
    assert (d.lo, d.hi) == (-3, -2)
    rng = random.Random(0)
    assert {d.sample(rng) for _ in range(200)} == {-3, -2}
    with pytest.raises(DomainError):
        Domain(1.2, 1.8, "integer")  # no integer inside


def test_bad_domains():
    with pytest.raises(DomainError):
        Domain(2, 1)
    with pytest.raises(DomainError):
        Domain(0, 1, "rational")


@pytest.mark.parametrize("assumptions, domain", [
    ({"real": True}, complex_box(1)),
    ({"integer": True}, real(0, 3)),
    ({"positive": True}, real(-1, 1)),
    ({"positive": True}, real(0, 1)),           # closed at 0
    ({"positive": True, "integer": True}, integers(0, 5)),
    ({"nonnegative": True}, real(-0.5, 1)),
    ({"negative": True}, real(-1, 0)),
    ({"nonpositive": True}, real(-1, 0.5)),
])
def test_check_consistent_rejects_contradictions(assumptions, domain):
    with pytest.raises(DomainError):
        check_consistent(sp.Symbol("s", **assumptions), domain)


@pytest.mark.parametrize("assumptions, domain", [
    ({"positive": True}, positive(5)),
    ({"positive": True, "integer": True}, integers(1, 5)),
    ({"nonnegative": True}, real(0, 1)),
    ({"negative": True}, real(-2, -1)),
    ({}, complex_box(1)),
    ({}, real(-1, 1)),
])
def test_check_consistent_accepts(assumptions, domain):
    check_consistent(sp.Symbol("s", **assumptions), domain)


def test_draw_points_is_seeded_and_ordered_by_name():
    x, y = sp.symbols("x y", real=True)
    a = draw_points({x: real(0, 1), y: real(5, 6)}, 5, seed=42)
    b = draw_points({y: real(5, 6), x: real(0, 1)}, 5, seed=42)  # insertion order does not matter
    assert a == b
    assert a != draw_points({x: real(0, 1), y: real(5, 6)}, 5, seed=43)
    assert all(0 <= p[x] <= 1 and 5 <= p[y] <= 6 for p in a)
    assert all(type(p[x]) is float for p in a)  # binary floats: exact at every precision


def test_draw_points_without_symbols_is_one_empty_point():
    assert draw_points({}, 6, seed=0) == [{}]


def test_nonzero_symbols_are_never_drawn_at_zero():
    k = sp.Symbol("k", integer=True, nonzero=True)
    pts = draw_points({k: integers(-1, 1)}, 300, seed=3)
    assert {p[k] for p in pts} == {-1, 1}


def test_complex_box_samples_complex_points():
    z = sp.Symbol("z")
    pts = draw_points({z: complex_box(2)}, 50, seed=0)
    assert all(isinstance(p[z], complex) and abs(p[z].real) <= 2 and abs(p[z].imag) <= 2 for p in pts)
    assert any(p[z].imag != 0 for p in pts)
