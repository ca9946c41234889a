"""derivations.toolkit.gaussian_moments: exact moments of independent standard normals, checked against known
moments, Monte Carlo, and inputs it must refuse."""
import numpy as np
import pytest
import sympy as sp

from derivations.toolkit.gaussian_moments import gaussian_expectation, normal_moment

zeta, xi = sp.symbols("zeta xi", real=True)
c = sp.Symbol("c", real=True)


def test_normal_moments_are_double_factorials():
    assert [normal_moment(k) for k in range(9)] == [1, 0, 1, 0, 3, 0, 15, 0, 105]
    with pytest.raises(ValueError):
        normal_moment(-1)


def test_expectation_of_polynomials():
    assert gaussian_expectation(zeta ** 4 + 3 * zeta ** 3 + zeta ** 2 * xi ** 2, (zeta, xi)) == 4
    assert gaussian_expectation((c + zeta) ** 2, (zeta,)) == c ** 2 + 1           # coefficients may be symbols
    assert gaussian_expectation((zeta + xi) ** 4, (zeta, xi)) == 12                # Var(zeta + xi) = 2: 3 * 2^2
    assert gaussian_expectation(zeta * xi, (zeta, xi)) == 0
    assert gaussian_expectation(sp.Integer(7), (zeta,)) == 7


def test_a_wrong_moment_would_be_noticed_by_monte_carlo():
    """E[(1 + zeta + zeta xi)^2 (2 - xi)] = 2 * 3 - E[2 zeta^2 xi^2] = 4 exactly; Monte Carlo agrees within 5 SE."""
    exact = gaussian_expectation((1 + zeta + zeta * xi) ** 2 * (2 - xi), (zeta, xi))
    rng = np.random.default_rng(0)
    z, x = rng.standard_normal((2, 400_000))
    v = (1 + z + z * x) ** 2 * (2 - x)
    assert exact == 4 and abs(v.mean() - 4) < 5 * v.std() / np.sqrt(v.size)


@pytest.mark.parametrize("expr", [sp.exp(zeta), sp.sqrt(zeta), 1 / zeta, sp.Abs(zeta)])
def test_refuses_non_polynomials(expr):
    with pytest.raises(ValueError):
        gaussian_expectation(expr, (zeta,))
