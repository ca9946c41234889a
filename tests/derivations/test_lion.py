"""lion: frozen-sign equilibrium, persistence of sign updates, the float32 stall (erratum)."""
import math

import mpmath
import numpy as np
import pytest

from derivations.engine.verify import verify_derivation
from derivations.lion import DERIVATION, closed_form, eta, lam, s, theta0
from numeric.lion import (SUBNORMAL_ULP32, adam_zero_gradient_steps, affine_power, float32_momentum_decay,
                          weight_decay_float64, weight_decay_iterate)


@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def by_id(items):
    return {r.id: r for r in items}


def test_derivation_verified(result):
    assert result.verdict == "verified"


def test_exact_claims_are_proved(result):
    claims = by_id(result.claims)
    for cid in ("lion.C1.closed_form", "lion.C1.equilibrium", "lion.C1.contraction", "lion.C2.sign_persists",
                "lion.C2.adam_ratio"):
        assert claims[cid].verdict == "proved", cid


def test_numeric_claims_are_only_checked(result):
    claims = by_id(result.claims)
    for cid in ("lion.C1.two_million_steps", "lion.C2.adam_simulation"):
        assert claims[cid].verdict == "checked", cid


def test_controls_refuted_with_counterexamples(result):
    controls = by_id(result.negative_controls)
    assert all(c.verdict == "refuted" and c.counterexample for c in controls.values())
    # wrong equilibria are refuted exactly
    assert "9999/10000" in controls["lion.C1.equilibrium_s_lambda"].counterexample["text"]
    assert "-999" in controls["lion.C1.equilibrium_eta_lambda"].counterexample["text"]
    # eta*lambda in [2,3]: (1-eta*lambda)^2 >= 1
    assert float(controls["lion.C1.no_contraction"].counterexample["lhs"]) >= 1
    beta1_only = controls["lion.C2.adam_beta1_only"].counterexample
    assert float(beta1_only["lhs"]) == pytest.approx(2.79239e-5, rel=1e-5)
    assert float(beta1_only["rhs"]) == pytest.approx(2.656e-5, rel=1e-3)


def test_float32_erratum(result):
    (e,) = result.errata
    assert e["ok"] and e["post_says_result"]["verdict"] == "refuted"
    assert e["correct_result"]["verdict"] == "checked"
    assert "877 steps" in e["post_says_result"]["counterexample"]["text"]


def test_float32_stall_values():
    final, steps, stalled = float32_momentum_decay(1e-4, 0.9)
    assert (final, steps, bool(stalled)) == (4 * SUBNORMAL_ULP32, 877, True)
    assert final == pytest.approx(5.6e-45, rel=0.01)
    m = np.float32(final)
    assert np.float32(m * np.float32(0.9)) == m and np.sign(m) == 1
    # Lion's beta2 = 0.99 stalls higher (50 ulps); beta <= 1/2 does reach zero
    assert float32_momentum_decay(1e-4, 0.99)[0] == 50 * SUBNORMAL_ULP32
    assert float32_momentum_decay(1e-4, 0.5)[0] == 0.0


def test_two_million_step_reference():
    mpmath.mp.dps = 30
    exact = -100 * (1 - (1 - mpmath.mpf(10) ** -5) ** (2 * 10 ** 6))
    assert mpmath.nstr(exact, 14) == "-99.999999793905"
    assert abs(weight_decay_iterate(0, 1, mpmath.mpf("0.001"), mpmath.mpf("0.01"), 2 * 10 ** 6) - exact) < 1e-20
    # plain float64 loop, as the card verified it
    assert abs(weight_decay_float64(0.0, 1.0, 1e-3, 1e-2, 2 * 10 ** 6) - float(exact)) < 1e-10 * 100
    assert math.ceil(math.log(0.01) / math.log1p(-1e-5)) == 460515


def test_closed_form_at_reference_point():
    val = closed_form(2 * 10 ** 6).subs({theta0: 0, s: 1, eta: mpmath.mpf("0.001"), lam: mpmath.mpf("0.01")})
    assert float(val) == pytest.approx(-99.9999997939052, abs=1e-11)


def test_affine_power_matches_repeated_steps():
    A, B = affine_power(mpmath.mpf("0.5"), mpmath.mpf(1), 5)
    x = mpmath.mpf(3)
    for _ in range(5):
        x = x / 2 + 1
    assert A * 3 + B == x


def test_adam_ratio_reference():
    st = adam_zero_gradient_steps(0.9, 0.999, 1.0, 1e-8, [100, 200])
    assert st[1] / st[0] == pytest.approx(2.79239e-5, rel=1e-5)
    assert (0.9 / math.sqrt(0.999)) ** 100 == pytest.approx(2.7923929e-5, rel=1e-7)
