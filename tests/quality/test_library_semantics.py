"""The library behaviour the engine's design relies on, pinned (sympy 1.14, mpmath 1.3,
python-flint 0.9): if an upgrade changes one of these, the engine's reasoning must be revisited.

* mpmath interval comparisons and Arb predicates do not raise on undecided comparisons: mpmath
  answers None (and ``==`` False), Arb answers False to every predicate, so "not a < b" is not
  "a >= b" and a certificate must test the predicate it needs;
* ``Expr.equals`` returns None, or even False, on true identities, so the symbolic phase does
  not use it (only a strategy reaching exact 0 proves);
* ``is_zero`` on numbers is decided numerically or not at all, so exact refutation uses minimal
  polynomials of algebraic numbers;
* ``mpmath.nsum`` returns precision-dependent wrong values on slowly convergent series, which
  the two-precision rule must catch (and the engine replaces by Euler-Maclaurin);
* ``mpmath.quad`` returns the same wrong value at two precisions when it stops at its maximal
  degree; its error estimate is what tells.
"""
import mpmath
import pytest
import sympy as sp


def test_versions_are_the_pinned_ones():
    assert sp.__version__.startswith("1.14") and mpmath.__version__.startswith("1.3")


def test_mpmath_interval_comparisons_are_none_when_undecided():
    iv = mpmath.iv
    a, b = iv.mpf([1, 2]), iv.mpf([1.5, 3])
    assert (a < b) is None and (a >= b) is None and (a > b) is None
    assert (a == b) is False  # equality of overlapping intervals is not "undecided" but False
    assert (iv.mpf([1, 2]) < iv.mpf([3, 4])) is True and (iv.mpf([3, 4]) < iv.mpf([1, 2])) is False


def test_arb_predicates_are_false_when_undecided():
    flint = pytest.importorskip("flint")
    a, b = flint.arb(1, 0.5), flint.arb(1.2, 0.5)  # the balls [0.5, 1.5] and [0.7, 1.7] overlap
    assert not any((a < b, a <= b, a > b, a >= b, a == b, a != b))
    assert (flint.arb(1) < flint.arb(2)) is True and (flint.arb(2) < flint.arb(1)) is False


@pytest.mark.parametrize("lhs, rhs", [
    (4 * sp.atan(sp.Rational(1, 5)) - sp.atan(sp.Rational(1, 239)), sp.pi / 4),  # Machin
    (sp.polylog(3, sp.S.Half), 7 * sp.zeta(3) / 8 - sp.pi ** 2 * sp.log(2) / 12 + sp.log(2) ** 3 / 6),
])
def test_equals_is_none_on_true_identities(lhs, rhs):
    assert lhs.equals(rhs) is None
    with mpmath.workdps(50):  # both are true: the values agree to every digit asked
        assert abs(sp.N(lhs - rhs, 50)) < sp.Float(10) ** -45


def test_equals_is_false_on_a_true_identity():
    x = sp.Symbol("x", positive=True)
    lhs, rhs = sp.polylog(2, x) + sp.polylog(2, 1 - x), sp.pi ** 2 / 6 - sp.log(x) * sp.log(1 - x)
    assert lhs.equals(rhs) is False  # Euler's reflection formula, true for 0 < x < 1
    with mpmath.workdps(40):
        z = mpmath.mpf(3) / 10
        assert abs(mpmath.polylog(2, z) + mpmath.polylog(2, 1 - z) - mpmath.pi ** 2 / 6
                   + mpmath.log(z) * mpmath.log(1 - z)) < mpmath.mpf(10) ** -35


def test_is_zero_on_numbers_is_numeric_or_undecided():
    # nonzero (by 7.5e-13): SymPy says so only because it evaluated the number
    assert (sp.exp(sp.pi * sp.sqrt(163)) - 262537412640768744).is_zero is False
    # exactly zero, transcendental: undecided
    assert (4 * sp.atan(sp.Rational(1, 5)) - sp.atan(sp.Rational(1, 239)) - sp.pi / 4).is_zero is None
    assert (sp.cos(sp.pi / 7) * sp.cos(2 * sp.pi / 7) * sp.cos(4 * sp.pi / 7) + sp.Rational(1, 8)).is_zero is None
    # nonzero but below evalf's reach: undecided
    assert sp.Add(sp.pi + sp.exp(-sp.exp(10)), -sp.pi, evaluate=False).is_zero is None


def test_minimal_polynomial_decides_algebraic_numbers_exactly():
    t = sp.Symbol("t")
    zero = sp.sqrt(2) + sp.sqrt(3) - sp.sqrt(5 + 2 * sp.sqrt(6))
    assert sp.minimal_polynomial(zero, t) == t
    near = sp.Rational(14142135623730950488016887242097, 10 ** 31) - sp.sqrt(2)  # 31 digits of sqrt 2
    poly = sp.minimal_polynomial(near, t, polys=True)
    assert poly.degree() == 2 and poly.TC() != 0  # nonzero, decided without any evaluation


def test_nsum_gives_precision_dependent_wrong_values_on_a_slow_series():
    values = {}
    for dps in (15, 30):  # (2.01938 at 50 digits)
        with mpmath.workdps(dps):
            values[dps] = mpmath.nsum(lambda n: 1 / (n * mpmath.log(n) ** 2), [2, mpmath.inf])
    # the sum is 2.10974280123689...; nsum's answers drift with the precision and are all wrong
    assert [mpmath.nstr(values[d], 6) for d in (15, 30)] == ["1.91056", "1.93997"]
    with mpmath.workdps(15), pytest.raises(mpmath.libmp.NoConvergence):
        mpmath.nsum(lambda n: 1 / (n * mpmath.log(n) ** 2), [2, mpmath.inf], strict=True)


def test_quad_repeats_its_wrong_value_and_its_error_estimate_says_so():
    f = lambda x: abs(x - mpmath.mpf(1) / 3)  # noqa: E731 - a kink at 1/3; the integral is 5/18
    out = {}
    for dps in (80, 140):
        with mpmath.workdps(dps):
            v, err = mpmath.quad(f, [0, 1], error=True)
            out[dps] = (v - mpmath.mpf(5) / 18, err)
    with mpmath.workdps(80):
        assert abs(out[80][0] - out[140][0]) < mpmath.mpf(10) ** -60  # the same wrong value twice
        assert abs(out[80][0]) > mpmath.mpf(10) ** -8 and out[80][1] > mpmath.mpf(10) ** -7


def test_nsum_extrapolation_is_fooled_by_a_late_change():
    # floor(n tanh(pi)) = n - 1 for n <= 268 and n - 2 from 269 on: nsum returns 1/81 exactly
    with mpmath.workdps(300):
        s = mpmath.nsum(lambda n: mpmath.floor(n * mpmath.tanh(mpmath.pi)) / mpmath.mpf(10) ** n, [1, mpmath.inf])
        assert s == mpmath.mpf(1) / 81 or abs(s - mpmath.mpf(1) / 81) < mpmath.mpf(10) ** -295
