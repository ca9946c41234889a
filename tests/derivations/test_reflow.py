"""reflow: the ReFlow/WGAN-GP critic identity (exact after averaging: erratum), generator step, Gaussian transport."""
import mpmath
import pytest
import sympy as sp

from derivations.engine.verify import verify_derivation
from derivations.reflow import (D_REF, DERIVATION, REF_POINT, X0, X1, _generator_sides, _pointwise_link,
                                eps, gaussian_expectation, m, p1, p2, s, t, velocity, x, z)
from numeric.evaluate import evaluate
from numeric.reflow import regression_velocity


@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def by_id(items):
    return {r.id: r for r in items}


def test_verified_with_honest_verdicts(result):
    assert result.verdict == "verified"
    claims = by_id(result.claims)
    assert claims["reflow.C3.monte_carlo"].verdict == "checked"
    assert all(c.verdict == "proved" for cid, c in claims.items() if cid != "reflow.C3.monte_carlo")


def test_controls_refuted(result):
    controls = by_id(result.negative_controls)
    assert all(c.verdict == "refuted" and c.counterexample for c in controls.values())
    single = controls["reflow.C1.single_time"].counterexample
    assert float(single["lhs"]) == pytest.approx(-0.0898595138457640304, abs=1e-14)
    assert float(single["rhs"]) == pytest.approx(1.15021967910118021277, abs=1e-14)


def test_link_exact_erratum(result):
    (e,) = result.errata
    assert e["ok"]
    assert e["post_says_result"]["verdict"] == "refuted"
    assert e["correct_result"]["verdict"] == "proved"
    assert "1.1502196791011802128" in e["correct_result"]["detail"]
    assert float(e["post_says_result"]["gap"]) > 0.575


def test_reference_values():
    closed = (D_REF(*X1) - D_REF(*X0)).subs(REF_POINT)
    assert str(sp.N(closed, 30)) == "1.15021967910118021277007510682"
    derivative, _ = _pointwise_link()
    assert str(sp.N(derivative.subs(t, sp.Rational(1, 2)), 18)) == "-0.0898595138457640304"
    # the t-average of the pointwise derivative is the difference (quadrature of the SymPy integrand, 30 digits)
    average = evaluate(sp.Integral(derivative, (t, 0, 1)), {}, 40)
    assert abs(average - evaluate(closed, {}, 40)) < mpmath.mpf(10) ** -30


def test_generator_gradient_reference():
    lhs, rhs = _generator_sides()
    at = {p1: sp.Rational(3, 10), p2: sp.Rational(11, 10), z: sp.Rational(1, 2), eps: sp.Rational(1, 10)}
    want = (-0.19372820561201092415, -0.11817420542332666373)
    for side in (lhs, rhs):
        assert [float(sp.N(c.subs(at), 25)) for c in side] == pytest.approx(want, abs=1e-18)


def test_gaussian_velocity_reference_and_monte_carlo():
    v = sp.expand(velocity(x, t).subs({m: 1, s: sp.Rational(1, 2), t: sp.Rational(3, 10)}))
    assert v == sp.Rational(56, 41) - sp.Rational(50, 41) * x
    ic, sl, se_i, se_s = regression_velocity(1.0, 0.5, 0.3, 200_000, 0)
    assert abs(ic - 56 / 41) < 4 * se_i and abs(sl + 50 / 41) < 4 * se_s
    # the constant velocity m is far outside the error bars
    assert abs(sl) > 100 * se_s


def test_gaussian_expectation_moments():
    zeta, xi = sp.symbols("zeta xi", real=True)
    assert gaussian_expectation(zeta ** 4 + 3 * zeta ** 3 + zeta ** 2 * xi ** 2, (zeta, xi)) == 4
    with pytest.raises(ValueError):
        gaussian_expectation(sp.exp(zeta), (zeta,))
