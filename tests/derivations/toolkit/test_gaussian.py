"""The Gaussian toolkit (derivations/toolkit/gaussian.py): exact antiderivatives and integrals against
the normal density, moment expectations, and the quadrature that checks them independently."""
import mpmath
import pytest
import sympy as sp

from derivations.toolkit.gaussian import (Phi, antiderivative_identities, erf_surrogate_gap, erf_surrogate_worst,
                                          expect_noise, expect_normal, gauss_integral, phi, zz)

a, b = sp.symbols("a b", real=True)


def test_antiderivatives_differentiate_to_their_integrands():
    for lhs, rhs in antiderivative_identities():
        assert sp.simplify(lhs - rhs) == 0


@pytest.mark.parametrize("poly, value", [(1, 1), (zz, 0), (zz ** 2, 1), (3 + 2 * zz - zz ** 2, 2)])
def test_moments_over_the_line(poly, value):
    assert sp.simplify(gauss_integral(poly, -sp.oo, sp.oo) - value) == 0


def test_finite_ends_are_the_fundamental_theorem():
    assert sp.simplify(gauss_integral(zz, a, b) - (phi(a) - phi(b))) == 0
    assert sp.simplify(gauss_integral(1, -sp.oo, a) - Phi(a)) == 0


def test_exact_integral_against_quadrature():
    lo, hi = sp.Rational(-3, 10), sp.Rational(17, 10)
    exact = gauss_integral(1 + zz + zz ** 2, lo, hi)
    with mpmath.workdps(40):
        l, h = mpmath.mpf(-3) / 10, mpmath.mpf(17) / 10
        quad = expect_normal(lambda z: (1 + z + z * z) * (l <= z <= h), (l, h))
        assert abs(quad - sp.N(exact, 45)) < mpmath.mpf(10) ** -35


def test_a_wrong_integrand_is_seen():
    exact = gauss_integral(zz ** 2, 0, 1)
    with mpmath.workdps(30):
        wrong = expect_normal(lambda z: z * (0 <= z <= 1), (0, 1))
        assert abs(wrong - sp.N(exact, 35)) > 0.05  # 0.0576


def test_degree_three_is_refused():
    with pytest.raises(ValueError):
        gauss_integral(zz ** 3, 0, 1)


def test_expect_noise_uses_only_the_first_two_moments():
    n1, n2, s11, s12, s22 = sp.symbols("n1 n2 s11 s12 s22", real=True)
    cov = sp.Matrix([[s11, s12], [s12, s22]])
    assert expect_noise((a + n1) * (b + n2), [n1, n2], cov) == a * b + s12
    assert expect_noise((a + n1) ** 2, [n1, n2], cov) == a ** 2 + s11
    with pytest.raises(ValueError):
        expect_noise(n1 ** 3, [n1, n2], cov)


def test_expect_normal_of_a_sign_is_erf():
    with mpmath.workdps(50):
        c = mpmath.mpf("0.7")
        got = expect_normal(lambda z: mpmath.sign(c + z), (-c,))
        assert abs(got - mpmath.erf(c / mpmath.sqrt(2))) < mpmath.mpf(10) ** -45


@pytest.mark.parametrize("coeffs, lo, hi", [([1], -0.7, 0.7), ([0.5, -2, 1], -3, 8), ([1], -1e9, 1e9), ([0, 0, 1], 2.5, 3.5)])
def test_power_series_integral_against_quadrature(coeffs, lo, hi):
    from derivations.toolkit.gaussian import normal_integral, normal_poly_integral
    with mpmath.workdps(50):
        series = normal_poly_integral(coeffs, lo, hi)
        quad = normal_integral(lambda z: sum(c * z ** k for k, c in enumerate(coeffs)), lo, hi)
        assert abs(series - quad) < mpmath.mpf(10) ** -45


def test_power_series_integral_is_exact_against_the_antiderivatives():
    from derivations.toolkit.gaussian import normal_poly_integral
    exact = gauss_integral(1 - 3 * zz ** 2, sp.Rational(-1, 3), 2)
    with mpmath.workdps(60):
        assert abs(normal_poly_integral([1, 0, -3], mpmath.mpf(-1) / 3, 2) - sp.N(exact, 70)) < mpmath.mpf(10) ** -55
        assert normal_poly_integral([1], 1, -1) < 0   # oriented


def test_erf_surrogate_gap_is_largest_near_one_third_past_one():
    """The surrogate's largest gap to erf, 0.1078 at x = 1.33 (archives/10542), is a maximum of the gap: the
    derivative vanishes there and the gap is smaller on either side."""
    with mpmath.workdps(30):
        x, gap = erf_surrogate_worst()
        assert mpmath.nstr(gap, 6) == "0.107838" and abs(x - mpmath.mpf("1.3301")) < 1e-4
        assert abs(mpmath.diff(erf_surrogate_gap, x)) < mpmath.mpf(10) ** -20
        assert erf_surrogate_gap(x - mpmath.mpf("0.1")) < gap > erf_surrogate_gap(x + mpmath.mpf("0.1"))
        assert erf_surrogate_gap(-x) == -gap  # odd
