"""Gradient flow (catalog cards gflow-C1..C3): every verdict, the controls' counterexamples, and the card's energies,
KL values and Fisher information by independent routes."""
import mpmath
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import gflow as gf

SLUG = "gflow"
VERDICTS = {
    "C1.energy-decay": "proved", "C1.quadratic-flow": "proved", "C1.matrix-exponential": "proved",
    "C1.quadratic-dissipation": "proved",
    "C1.reference-energies": "certified", "C2.gradient-descent": "proved", "C2.natural-gradient": "proved",
    "C2.sphere": "proved", "C2.sphere-minimiser": "proved", "C2.implicit-prox": "proved",
    "C3.first-variation": "proved", "C3.kl-potential": "proved", "C3.fokker-planck-generator": "proved",
    "C3.gaussian-fokker-planck": "proved", "C3.kl-dissipation": "proved", "C3.kl-monotone": "proved",
    "C3.reference-values": "checked",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert "difference = 2 " in ctl["N3.potential-sign"].counterexample["text"]       # f(r) + r f'(r): off by 2
    cx = ctl["N2.explicit-prox"].counterexample                                     # residual -alpha c^2 y at y(1 - alpha c)
    at = {k: float(v) for k, v in cx["at"].items()}
    assert float(cx["lhs"]) == pytest.approx(-at["alpha"] * at["c"] ** 2 * at["y"], rel=1e-10)
    cx = ctl["N1.unsquared"].counterexample                                          # -|g|^2 against -|g|
    g2 = sum(float(v) ** 2 for v in cx["at"].values())
    assert float(cx["lhs"]) == pytest.approx(-g2, rel=1e-10) and float(cx["rhs"]) == pytest.approx(-g2 ** 0.5, rel=1e-10)


def test_the_expm_and_the_fisher_integral_are_what_the_numbers_use(verified):
    claims = by_id(verified.claims)
    assert "mpmath.expm" in claims["C1.matrix-exponential"].method
    assert "Gauss-Hermite" in claims["C3.kl-dissipation"].method


def test_energy_references():
    assert gf.energy(gf.X0) == 5
    x1 = gf.heat_kernel(sp.Integer(1)) * gf.X0
    assert str(sp.N(gf.energy(x1), 25)) == "0.1594088253272893201170506"
    with mpmath.workdps(30):
        v = mpmath.expm(-mpmath.matrix([[2, 1], [1, 3]])) * mpmath.matrix([1, -2])
        assert mpmath.nstr((v.T * mpmath.matrix([[2, 1], [1, 3]]) * v)[0] / 2, 22) == "0.1594088253272893201171"


def test_kl_references_and_the_fisher_integral_three_ways():
    mean, var = gf.gaussian_path()
    kl = gf.kl_to_standard(mean, var)
    assert str(sp.N(kl.subs({gf.mu: 1, gf.s0: 2, gf.et: 1}), 25)) == gf.KL_REF["0"]
    assert str(sp.N(kl.subs({gf.mu: 1, gf.s0: 2, gf.et: sp.exp(-1)}), 25)) == gf.KL_REF["1"]
    half = {gf.mu: 1, gf.s0: 2, gf.et: sp.exp(-sp.Rational(1, 2))}
    assert str(sp.N(-gf.ddt(kl).subs(half), 25)) == gf.FISHER_REF
    assert str(sp.N(gf._fisher_exact(1, 2, half[gf.et]), 25)) == gf.FISHER_REF       # Gaussian moments
    with mpmath.workdps(30):
        assert mpmath.nstr(gf._card_fisher_quadrature(), 25) == gf.FISHER_REF          # tanh-sinh over x
        assert mpmath.nstr(gf._fisher_value(1, 2, mpmath.exp(-mpmath.mpf(1) / 2)), 25) == gf.FISHER_REF  # Gauss-Hermite


def test_hermite_rule_integrates_normal_moments_up_to_degree_seven():
    with mpmath.workdps(40):
        rule = gf.hermite_rule_4()
        moments = [mpmath.fsum(w * z ** k for z, w in rule) for k in range(0, 10)]
    want = [sp.factorial2(k - 1) if k % 2 == 0 else 0 for k in range(10)]
    assert all(abs(m - w) < mpmath.mpf(10) ** -35 for m, w in zip(moments[:8], want[:8]))
    assert abs(moments[8] - want[8]) > 1                      # degree 8 is beyond a four-point rule


def test_energy_rate_is_derived_not_assumed():
    rate = gf.energy_rate()
    assert rate.free_symbols == {gf.g1, gf.g2}
    assert sp.expand(rate + gf.g1 ** 2 + gf.g2 ** 2) == 0


def test_kl_decreases_along_the_path():
    mean, var = gf.gaussian_path()
    kl = gf.kl_to_standard(mean, var).subs({gf.mu: 1, gf.s0: 2})
    values = [float(sp.N(kl.subs(gf.et, sp.exp(-tt)))) for tt in (0, 0.5, 1, 2, 4)]
    assert values == sorted(values, reverse=True) and values[-1] < 1e-3


def test_proximal_reference():
    alpha, c, y = sp.Rational(1, 10), 1, 1
    assert y / (1 + alpha * c) == sp.Rational(10, 11)
    assert y / (1 + alpha * c) - y * (1 - alpha * c) == alpha ** 2 * c ** 2 * y / (1 + alpha * c)
