"""derivations.toolkit.gaussian_reflow: the Gaussian ReFlow velocity is the conditional mean of x1 - x0 and its flow
transports N(0,1) onto N(m, s^2)."""
import sympy as sp

from derivations.toolkit.gaussian_moments import gaussian_expectation
from derivations.toolkit.gaussian_reflow import flow, m, s, sigma, velocity

t = sp.Symbol("t", real=True)
zeta, xi = sp.symbols("zeta xi", real=True)


def test_velocity_is_the_regression_of_x1_minus_x0_on_xt():
    xt = (1 - t) * zeta + t * (m + s * xi)
    resid = m + s * xi - zeta - velocity(xt, t)
    assert sp.cancel(gaussian_expectation(resid, (zeta, xi))) == 0
    assert sp.cancel(gaussian_expectation(resid * xt, (zeta, xi))) == 0
    # the constant velocity m is not: its residual correlates with x_t
    assert sp.cancel(gaussian_expectation((m + s * xi - zeta - m) * xt, (zeta, xi))) != 0


def test_flow_solves_the_ode_and_ends_at_the_data_law():
    X = flow(zeta, t)
    assert sp.simplify(sp.diff(X, t) - velocity(X, t)) == 0
    assert flow(zeta, 0) == zeta and sp.simplify(flow(zeta, 1) - (m + s * zeta)) == 0
    assert sigma(0) == 1 and sigma(1) == s


def test_card_reference_line():
    v = sp.expand(velocity(sp.Symbol("x"), sp.Rational(3, 10)).subs({m: 1, s: sp.Rational(1, 2)}))
    assert v == sp.Rational(56, 41) - sp.Rational(50, 41) * sp.Symbol("x")
