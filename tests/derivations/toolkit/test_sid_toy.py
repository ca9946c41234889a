"""derivations.toolkit.sid_toy: the optimal epsilon-predictor of Gaussian data is the regression of the noise on x_t,
and the toy's generator sample has the stated law."""
import sympy as sp

from derivations.toolkit.gaussian_moments import gaussian_expectation
from derivations.toolkit.sid_toy import (NORMALS, REF, a, b, eps, gain, mu_T, noisy_sample, predictor, s_T, theta1,
                                         theta2, z)


def test_predictor_is_the_noise_regression_for_gaussian_data():
    zeta = sp.Symbol("zeta", real=True)
    xt = a * (mu_T + s_T * zeta) + b * eps
    resid = eps - predictor(xt, mu_T, s_T)
    assert sp.cancel(gaussian_expectation(resid, (zeta, eps))) == 0
    assert sp.cancel(gaussian_expectation(resid * xt, (zeta, eps))) == 0
    # a slope off by any factor leaves a correlation
    assert sp.cancel(gaussian_expectation((eps - 2 * predictor(xt, mu_T, s_T)) * xt, (zeta, eps))) != 0


def test_generator_sample_law():
    xt = noisy_sample()
    assert sp.expand(gaussian_expectation(xt, NORMALS)) == a * theta1
    var = gaussian_expectation((xt - a * theta1) ** 2, NORMALS)
    assert sp.expand(var - (a ** 2 * theta2 ** 2 + b ** 2)) == 0
    assert noisy_sample(1, 2) == a * (1 + 2 * z) + b * eps


def test_reference_point():
    assert gain(s_T).subs(REF) == sp.Rational(3, 5) / (sp.Rational(16, 25) * 4 + sp.Rational(9, 25))
    assert all(v.is_Rational for v in map(sp.sympify, REF.values()))
