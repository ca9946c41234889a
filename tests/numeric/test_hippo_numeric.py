"""numeric/hippo.py: quadrature rule, projections, the LegS/LegT ODE solvers and the float build."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from derivations import hippo as h
from numeric import hippo as nh


def test_gauss_legendre_exact_for_degree_2m_minus_1():
    xs, ws = nh.gauss_legendre(20, 40)
    with mpmath.workdps(40):
        assert abs(mpmath.fsum(ws) - 2) < mpmath.mpf(10) ** -38
        for j in (0, 10, 38, 39):   # int_{-1}^1 x^j = 2/(j+1) for even j, 0 for odd j
            exact = mpmath.mpf(2) / (j + 1) if j % 2 == 0 else 0
            assert abs(mpmath.fsum(w * x ** j for x, w in zip(xs, ws)) - exact) < mpmath.mpf(10) ** -38
        assert all(abs(a + b) == 0 for a, b in zip(xs, reversed(xs)))


def test_fixed_point_table_matches_mpmath_recurrence():
    table = nh._legendre_table("legs", 6, 40)
    s, _, _ = nh.Window("legs").rule(40)[7]
    with mpmath.workdps(40):
        want = nh.orthonormal_legendre(s, 6)
        got = [mpmath.ldexp(row[7], -nh._fixed_prec(40)) for row in table]
        assert max(abs(a - b) for a, b in zip(got, want)) < mpmath.mpf(10) ** -38


def test_projection_of_t_is_exact():
    """u = t, LegS: c(T) = (T/sqrt2, T/sqrt6, 0, ...) and c'(T) = c(T)/T."""
    c, dc = nh.projection(nh.polynomial([0, 1]), nh.LEGS, 3, 5, 40)
    with mpmath.workdps(40):
        want = [3 / mpmath.sqrt(2), 3 / mpmath.sqrt(6), 0, 0, 0]
        assert max(abs(a - b) for a, b in zip(c, want)) < mpmath.mpf(10) ** -38
        assert max(abs(a - b / 3) for a, b in zip(dc, want)) < mpmath.mpf(10) ** -38


def test_fourier_projection_of_exp():
    """u = e^t, w = T = 1: c_n = (e - 1)/(1 - 2 pi i n), c_n' = c_n (u' = u)."""
    c, dc = nh.fourier_projection(nh.Signal("exp", mpmath.exp, mpmath.exp), 1, 1, (-1, 0, 2), 40)
    with mpmath.workdps(40):
        for n, cn, dn in zip((-1, 0, 2), c, dc):
            assert abs(cn - (mpmath.e - 1) / (1 - 2j * mpmath.pi * n)) < mpmath.mpf(10) ** -38
            assert abs(dn - cn) < mpmath.mpf(10) ** -38


@pytest.mark.parametrize("signal", [nh.polynomial([1, -2, 0, Fraction(1, 2)]), nh.sin_exp()], ids=["poly", "sin_exp"])
def test_legs_ode_equals_quadrature_at_50_digits(signal):
    [(ode, quad)] = h.legs_ode_pairs(60, N=6, T0=1, T1=3, signals=(signal,))
    with mpmath.workdps(60):
        assert max(abs(a - b) for a, b in zip(ode, quad)) < mpmath.mpf(10) ** -50


def _legt_ode_error(signal, N, dps, T0=2, T1=3):
    with mpmath.workdps(dps):
        win = nh.Window("legt", 1)
        A, B = h._mp_legt(N, 1)
        c0 = nh.projection(signal, win, T0, N, dps, derivative=False)
        c1 = nh.lti_ode(A, B, c0, signal, T0, T1, dps)
        cq = nh.projection(signal, win, T1, N, dps, derivative=False)
        return max(abs(a - b) for a, b in zip(c1, cq))


def test_legt_ode_exact_for_degree_below_N():
    """Spec: LegT, w = 1, N = 6, T 2 -> 3, polynomial of degree 5: exact (<= 1e-40 at 50 digits)."""
    assert _legt_ode_error(nh.polynomial([1, -1, 0, 2, 0, -1]), 6, 50) < 1e-40


def test_legt_ode_approximate_otherwise():
    """Spec: u = t^6 -> 4.6e-4; sin 2t + exp(-t/3) -> 3.9e-5 (N = 6), shrinking as N grows."""
    assert _legt_ode_error(nh.polynomial([0] * 6 + [1]), 6, 30) == pytest.approx(4.6e-4, rel=0.02)
    e6, e10 = (_legt_ode_error(nh.sin_exp(), N, 30) for N in (6, 10))
    assert e6 == pytest.approx(3.9e-5, rel=0.02)
    assert 1e-12 < e10 < e6 / 1e4


def test_float_legt_matches_exact():
    for N in (8, 64):
        Af, Bf = nh.float_legt_matrices(N, 1.5)
        A, B = h.legt_su(N, 1)
        A, B = h._to_float(A) / 1.5, h._to_float(B) / 1.5
        assert np.abs(Af - A).max() <= 1e-12 * np.abs(A).max()
        assert np.abs(Bf - B).max() <= 1e-12 * np.abs(B).max()


def test_float_gauss_legendre_weights_polished():
    x, w = nh.float_gauss_legendre(65)
    assert abs(w.sum() - 2) < 1e-14
    assert abs((w * x ** 128).sum() - 2 / 129) < 1e-15
