"""gflow: energy decay, proximal steps, f-divergence flows and KL dissipation."""
import mpmath
import pytest
import sympy as sp

from derivations.engine.verify import verify_derivation
from derivations.gflow import (DERIVATION, X0, ddt, energy, et, fisher_moments, gaussian_path, heat_kernel,
                               kl_to_standard, mu, s0)

@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def test_verdicts(result):
    assert result.verdict == "verified"
    assert {c.verdict for c in result.claims} == {"proved"}
    claims = {c.id: c for c in result.claims}
    # the numeric phases are independent implementations: mpmath's expm, and quadrature of the Fisher integral
    assert "mpmath.expm" in claims["gflow.C1.quadratic_flow"].detail
    assert "0.9468846511044409774" in claims["gflow.C3.kl_dissipation"].detail


def test_controls_refuted(result):
    controls = {c.id: c for c in result.negative_controls}
    assert all(c.verdict == "refuted" for c in controls.values())
    # the explicit step differs from the implicit one by alpha^2 c^2 y/(1+alpha c) = 0.01/1.1
    assert "1/110" in controls["gflow.C2.explicit_prox"].counterexample["text"]
    assert "difference = 2 " in controls["gflow.C3.potential_sign"].counterexample["text"]


def test_energy_references():
    assert energy(X0) == 5
    x1 = heat_kernel(sp.Integer(1)) * X0
    assert str(sp.N(energy(x1), 25)) == "0.1594088253272893201170506"
    with mpmath.workdps(30):
        E = mpmath.expm(-mpmath.matrix([[2, 1], [1, 3]]))
        v = E * mpmath.matrix([1, -2])
        f1 = (v.T * mpmath.matrix([[2, 1], [1, 3]]) * v)[0] / 2
        assert mpmath.nstr(f1, 22) == "0.1594088253272893201171"


def test_kl_references():
    mean, var = gaussian_path()
    kl = kl_to_standard(mean, var)
    at0 = {mu: 1, s0: 2, et: 1}
    at1 = {mu: 1, s0: 2, et: sp.exp(-1)}
    assert str(sp.N(kl.subs(at0), 25)) == "1.306852819440054690582768"
    assert str(sp.N(kl.subs(at1), 25)) == "0.1002940895166598011011486"
    half = {mu: 1, s0: 2, et: sp.exp(-sp.Rational(1, 2))}
    assert str(sp.N(fisher_moments(mean, var).subs(half), 25)) == "0.9468846511044409774797486"
    assert str(sp.N(-ddt(kl).subs(half), 25)) == "0.9468846511044409774797486"


def test_kl_decreases_along_the_path():
    mean, var = gaussian_path()
    kl = kl_to_standard(mean, var).subs({mu: 1, s0: 2})
    values = [float(sp.N(kl.subs(et, sp.exp(-tt)))) for tt in (0, 0.5, 1, 2, 4)]
    assert values == sorted(values, reverse=True) and values[-1] < 1e-3


def test_proximal_reference():
    alpha, c, y = 0.1, 1.0, 1.0
    assert y / (1 + alpha * c) == pytest.approx(10 / 11)
    assert y * (1 - alpha * c) == pytest.approx(0.9)
    assert y / (1 + alpha * c) - y * (1 - alpha * c) == pytest.approx(alpha ** 2 * c ** 2 * y / (1 + alpha * c))
