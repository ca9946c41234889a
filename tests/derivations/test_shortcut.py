"""shortcut: exact average velocity satisfies the Shortcut self-consistency; no vector mean value theorem."""
import mpmath
import pytest
import sympy as sp

from derivations.engine.verify import verify_derivation
from derivations.reflow import m, s, velocity
from derivations.shortcut import DERIVATION, avg_velocity, euler_consistency_sides, eps, flow_map, t, x

MODEL = {m: 1, s: sp.Rational(1, 2)}


@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def test_all_exact_claims_proved(result):
    assert result.verdict == "verified"
    assert {c.verdict for c in result.claims} == {"proved"}


def test_controls_refuted(result):
    controls = {c.id: c for c in result.negative_controls}
    assert all(c.verdict == "refuted" for c in controls.values())
    # no s exists: the difference is the constant -1, exactly
    assert "difference = -1 (exact" in controls["shortcut.C2.vector_mvt"].counterexample["text"]


def test_reference_average_velocity():
    at = {x: sp.Rational(3, 10), t: sp.Rational(1, 5), eps: sp.Rational(1, 4), **MODEL}
    assert str(sp.N(avg_velocity(x, t, eps).subs(at), 25)) == "0.8948271984113353865468787"
    assert sp.nsimplify(velocity(x, t).subs(at)) == sp.Rational(23, 26)


def test_euler_violates_self_consistency():
    lhs, rhs = euler_consistency_sides(x, t, eps)
    at = {x: sp.Rational(3, 10), t: sp.Rational(1, 5), eps: sp.Rational(1, 4), **MODEL}
    assert str(sp.N((lhs - rhs).subs(at), 20)) == "-0.013614703880190605854"


def test_one_step_maps():
    x0 = sp.Symbol("x_0", real=True)
    assert sp.expand((x0 + avg_velocity(x0, 0, 1)).subs(MODEL)) == 1 + x0 / 2
    assert sp.expand((x0 + velocity(x0, 0)).subs(MODEL)) == 1       # Euler collapses to the mean
    assert sp.simplify(flow_map(0, 1, x0).subs(MODEL) - (1 + x0 / 2)) == 0


def test_vector_field_mean_by_quadrature():
    with mpmath.workdps(40):
        mean = [mpmath.quad(lambda u: mpmath.cos(2 * mpmath.pi * u), [0, 1]),
                mpmath.quad(lambda u: mpmath.sin(2 * mpmath.pi * u), [0, 1])]
        assert max(abs(c) for c in mean) < mpmath.mpf(10) ** -34
