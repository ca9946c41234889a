"""derivations/hippo/numerics.py: quadrature rule, projections, the LegS/LegT ODE solvers, the float
builds, the Fourier closure's partial sums, and the figures."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

from derivations.hippo import legendre as L
from derivations.hippo import numerics as nm


def test_gauss_legendre_exact_for_degree_2m_minus_1():
    xs, ws = nm.gauss_legendre(20, 40)
    with mpmath.workdps(40):
        assert abs(mpmath.fsum(ws) - 2) < mpmath.mpf(10) ** -38
        for j in (0, 10, 38, 39):   # int_{-1}^1 x^j = 2/(j+1) for even j, 0 for odd j
            exact = mpmath.mpf(2) / (j + 1) if j % 2 == 0 else 0
            assert abs(mpmath.fsum(w * x ** j for x, w in zip(xs, ws)) - exact) < mpmath.mpf(10) ** -38
        assert all(abs(a + b) == 0 for a, b in zip(xs, reversed(xs)))


def test_fixed_point_table_matches_mpmath_recurrence():
    table = nm._legendre_table("legs", 6, 40)
    s, _, _ = nm.Window("legs").rule(40)[7]
    with mpmath.workdps(40):
        want = nm.orthonormal_legendre(s, 6)
        got = [mpmath.ldexp(row[7], -nm._fixed_prec(40)) for row in table]
        assert max(abs(a - b) for a, b in zip(got, want)) < mpmath.mpf(10) ** -38


def test_projection_of_t_is_exact():
    """u = t, LegS: c(T) = (T/sqrt2, T/sqrt6, 0, ...) and c'(T) = c(T)/T."""
    c, dc = nm.projection(nm.polynomial([0, 1]), nm.LEGS, 3, 5, 40)
    with mpmath.workdps(40):
        want = [3 / mpmath.sqrt(2), 3 / mpmath.sqrt(6), 0, 0, 0]
        assert max(abs(a - b) for a, b in zip(c, want)) < mpmath.mpf(10) ** -38
        assert max(abs(a - b / 3) for a, b in zip(dc, want)) < mpmath.mpf(10) ** -38


def test_reference_coefficients_at_T2():
    """Spec: u = sin 2t + exp(-t/3), T = 2, Su normalization, c_0..c_3 to 20 digits."""
    legs = ["1.6168494732132906413", "-0.64101216589492236990", "-0.55370949221464479989", "0.093597559614327915537"]
    legt = ["1.0296761198641975736", "-0.81309482781142086614", "-0.024124863888549308465", "0.033262074934073780312"]
    for window, want in ((nm.LEGS, legs), (nm.Window("legt", 1), legt)):
        got = nm.projection(nm.sin_exp(), window, 2, 4, 30, derivative=False)
        with mpmath.workdps(30):
            assert all(abs(g - mpmath.mpf(v)) < mpmath.mpf(10) ** -19 for g, v in zip(got, want))


def test_fourier_projection_of_exp():
    """u = e^t, w = T = 1: c_n = (e - 1)/(1 - 2 pi i n), c_n' = c_n (u' = u)."""
    exp = nm.Signal("exp", mpmath.exp, mpmath.exp, sp.exp)
    c, dc = nm.fourier_projection(exp, 1, 1, (-1, 0, 2), 40)
    with mpmath.workdps(40):
        for n, cn, dn in zip((-1, 0, 2), c, dc):
            assert abs(cn - (mpmath.e - 1) / (1 - 2j * mpmath.pi * n)) < mpmath.mpf(10) ** -38
            assert abs(dn - cn) < mpmath.mpf(10) ** -38


def test_fourier_partial_sums_tend_to_the_midpoint():
    """Spec N7: 1.850857 (N = 10), 1.859132 (N = 10^4) -> (1 + e)/2 = 1.8591409142, not u(0) = 1."""
    assert nm.fourier_partial_sum(10) == pytest.approx(1.850857, abs=1e-6)
    assert nm.fourier_partial_sum(10 ** 4) == pytest.approx(1.859132, abs=1e-6)
    assert float((1 + mpmath.e) / 2) == pytest.approx(1.8591409142, abs=1e-10)


def _mp(M, dps):
    return mpmath.matrix([[mpmath.mpf(sp.N(M[i, j], dps + 10)) for j in range(M.cols)] for i in range(M.rows)])


@pytest.mark.parametrize("signal", [nm.polynomial([1, -2, 0, Fraction(1, 2)]), nm.sin_exp()], ids=["poly", "sin_exp"])
def test_legs_ode_equals_quadrature_at_50_digits(signal):
    """Variation of constants in ln t (the derived A^S diagonalised by back-substitution) from T = 1 to 3."""
    dps = 60
    with mpmath.workdps(dps):
        A, B = (_mp(M, dps) for M in L.legs_su(6))
        c0 = nm.projection(signal, nm.LEGS, 1, 6, dps, derivative=False)
        ode = nm.legs_ode(A, B, c0, signal, 1, 3, dps)
        quad = nm.projection(signal, nm.LEGS, 3, 6, dps, derivative=False)
        assert max(abs(a - b) for a, b in zip(ode, quad)) < mpmath.mpf(10) ** -50


def _legt_ode_error(signal, N, dps, T0=2, T1=3):
    with mpmath.workdps(dps):
        win = nm.Window("legt", 1)
        A, B = (_mp(M, dps) for M in L.legt_su(N, 1))
        c0 = nm.projection(signal, win, T0, N, dps, derivative=False)
        c1 = nm.lti_ode(A, B, c0, signal, T0, T1, dps)
        cq = nm.projection(signal, win, T1, N, dps, derivative=False)
        return max(abs(a - b) for a, b in zip(c1, cq))


def test_legt_ode_exact_for_degree_below_N():
    """Spec: LegT, w = 1, N = 6, T 2 -> 3, polynomial of degree 5: exact (<= 1e-40 at 50 digits)."""
    assert _legt_ode_error(nm.polynomial([1, -1, 0, 2, 0, -1]), 6, 50) < 1e-40


def test_legt_ode_approximate_otherwise():
    """Spec: u = t^6 -> 4.6e-4; sin 2t + exp(-t/3) -> 3.9e-5 (N = 6), shrinking as N grows."""
    assert _legt_ode_error(nm.polynomial([0] * 6 + [1]), 6, 30) == pytest.approx(4.6e-4, rel=0.02)
    e6, e10 = (_legt_ode_error(nm.sin_exp(), N, 30) for N in (6, 10))
    assert e6 == pytest.approx(3.9e-5, rel=0.02)
    assert 1e-12 < e10 < e6 / 1e4


def test_forcing_integral():
    """int_1^3 (3/t)^(-2) t dt/t = int_1^3 t^2/9 dt = 26/27 for u = t."""
    with mpmath.workdps(40):
        got = nm.forcing_integral(nm.polynomial([0, 1]), -2, 1, 3, 40)
        assert abs(got - mpmath.mpf(26) / 27) < mpmath.mpf(10) ** -38


def test_float_gauss_legendre_weights_polished():
    x, w = nm.float_gauss_legendre(65)
    assert abs(w.sum() - 2) < 1e-14
    assert abs((w * x ** 128).sum() - 2 / 129) < 1e-15


def test_figures_draw_with_labelled_axes():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from derivations.hippo.figures import FIGURES
    assert [f.name for f in FIGURES] == ["hippo-reconstruction", "hippo-error-vs-N", "hippo-eigenvalues",
                                         "hippo-ode-vs-projection"]
    for f in FIGURES[:3]:   # the ODE figure integrates two ODEs: drawn in test_ode_figure
        fig = Figure(figsize=(6.4, 4))
        f.draw(fig)
        assert all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes) and f.caption


@pytest.mark.slow
def test_ode_figure_shows_legs_exact_and_legt_approximate():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from derivations.hippo.figures import FIGURES
    fig = Figure(figsize=(6.4, 6))
    FIGURES[3].draw(fig)
    top, bottom = fig.axes
    legs_err, legt_err = (line.get_ydata() for line in bottom.get_lines())
    assert max(legs_err) < 1e-9 and min(legt_err) > 1e-9       # integrator error vs closure error
    assert bottom.get_xlabel() and top.get_ylabel()
