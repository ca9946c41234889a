"""Shortcut models (catalog cards shortcut-C1, shortcut-C2): every verdict, the controls' counterexamples, the card's
reference values and the one-step maps."""
import mpmath
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import shortcut as sc
from derivations.toolkit.gaussian_reflow import m, s, velocity

SLUG = "shortcut"
VERDICTS = {
    "C1.flow": "proved", "C1.semigroup": "proved", "C1.self-consistency": "proved", "C1.small-step": "proved",
    "C1.one-step": "proved", "C1.reference": "certified", "C2.mean-zero": "proved", "C2.unit-speed": "proved",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    # no s exists: with the integrals evaluated the difference is the constant -1, exactly
    assert "difference = -1 (exact" in ctl["N2.vector-mvt"].counterexample["text"]
    cx = ctl["N1.euler-one-step"].counterexample                          # Euler collapses to the mean m
    assert float(cx["lhs"]) == float(cx["at"]["m"])


def test_reference_average_velocity():
    at = {**sc.CARD_POINT, **sc.CARD_MODEL}
    assert str(sp.N(sc.avg_velocity(sc.x, sc.t, sc.eps).subs(at), 25)) == "0.8948271984113353865468787"
    assert sp.nsimplify(velocity(sc.x, sc.t).subs(at)) == sp.Rational(23, 26)
    lhs, rhs = sc.euler_consistency_sides(sc.x, sc.t, sc.eps)
    assert str(sp.N((lhs - rhs).subs(at), 20)) == "-0.013614703880190605854"


def test_one_step_maps():
    x0 = sp.Symbol("x_0", real=True)
    model = sc.CARD_MODEL
    assert sp.expand((x0 + sc.avg_velocity(x0, 0, 1)).subs(model)) == 1 + x0 / 2
    assert sp.expand((x0 + velocity(x0, 0)).subs(model)) == 1            # Euler collapses to the mean
    assert sp.simplify(sc.flow_map(0, 1, x0).subs(model) - (1 + x0 / 2)) == 0


def test_average_velocity_tends_to_the_velocity():
    at = {sc.x: sp.Rational(3, 10), sc.t: sp.Rational(1, 5), m: 1, s: sp.Rational(1, 2)}
    u = sc.avg_velocity(sc.x, sc.t, sc.eps).subs(at)
    gaps = [abs(float(sp.N(u.subs(sc.eps, sp.Rational(1, 10 ** k)) - sp.Rational(23, 26), 30))) for k in (2, 3, 4)]
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-4                 # O(eps)


def test_vector_field_mean_by_quadrature():
    with mpmath.workdps(40):
        mean = [mpmath.quad(lambda u: mpmath.cos(2 * mpmath.pi * u), [0, 1]),
                mpmath.quad(lambda u: mpmath.sin(2 * mpmath.pi * u), [0, 1])]
        assert max(abs(c) for c in mean) < mpmath.mpf(10) ** -34
    assert sc.integrals_then_trigsimp(sum(c ** 2 for c in sc.vmean()) - sum(c ** 2 for c in sc.vfield(sc.sv))) == -1
