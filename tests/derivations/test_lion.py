"""Lion/Tiger embeddings (catalog cards lion-C1, lion-C2): every verdict, the controls' counterexamples, the float32 erratum,
the card's reference values and the numerics (binary powering, Adam loop, float32 rounding)."""
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import lion

SLUG = "lion"
VERDICTS = {"C1.closed-form": "proved", "C1.equilibrium": "proved", "C1.contraction": "proved",
            "C1.two-million-steps": "checked", "C2.sign-persists": "proved", "C2.adam-ratio": "proved",
            "C2.adam-simulation": "checked"}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.float32-stall",))


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert "9999/10000" in ctl["N1.equilibrium-s-lambda"].counterexample["text"]
    assert "-999" in ctl["N1.equilibrium-eta-lambda"].counterexample["text"]
    assert float(ctl["N1.no-contraction"].counterexample["lhs"]) >= 1              # eta*lambda in [2, 3]
    assert "2.79239294850824" in ctl["N2.adam-beta1-only"].counterexample["text"]   # vs 0.9^100 = 2.6561e-5
    assert "2.65613988875874" in ctl["N2.adam-beta1-only"].counterexample["text"]


def test_float32_erratum(verified):
    (e,) = verified.errata
    assert e.post.verdict == "refuted" and e.correction.verdict == "checked"
    assert e.post.counterexample["lhs"].startswith("5.605193857299")              # 4 * 2^-149, not 0
    assert e.correction.oracles[0]["status"] == "agree"


def test_sign_persists_uses_beta2_to_the_k_minus_1():
    """The recursion of Lion's update: c_k = beta1 m_{k-1} = beta1 beta2^(k-1) m0 (the statement's exponent)."""
    st = lion.c2_sign_persists.build()
    k, b1, b2, m0 = lion.k, lion.beta1, lion.beta2, lion.m0
    assert sp.simplify(st.lhs[1] - b1 * b2 ** (k - 1) * m0) == 0
    assert sp.simplify(st.lhs[1] - b1 * b2 ** k * m0) != 0


def test_float32_stall_values():
    final, steps, stalled = lion.float32_momentum_decay(1e-4, 0.9)
    assert (final, steps, stalled) == (4 * lion.SUBNORMAL_ULP32, 877, True)
    assert final == pytest.approx(5.6e-45, rel=0.01)
    m = np.float32(final)
    assert np.float32(m * np.float32(0.9)) == m and np.sign(m) == 1
    # Lion's beta2 = 0.99 stalls higher (50 ulps); beta <= 1/2 does reach zero
    assert lion.float32_momentum_decay(1e-4, 0.99)[0] == 50 * lion.SUBNORMAL_ULP32
    assert lion.float32_momentum_decay(1e-4, 0.5)[0] == 0.0


def test_exact_float32_rounding_agrees_with_numpy():
    rng = np.random.default_rng(1)
    for x in np.concatenate([rng.standard_normal(200) * 10.0 ** rng.integers(-45, 30, 200), [3.6 * 2.0 ** -149]]):
        assert lion.fl32(Fraction(float(x))) == Fraction(float(np.float32(x)))
    assert lion.fl32(Fraction(7, 2) * Fraction(1, 2 ** 149)) == Fraction(4, 2 ** 149)   # 3.5 u: ties to even, 4 u
    out = lion._float32_exact({})
    assert out[1] == 877 and out[0] == 4 * mpmath.mpf(2) ** -149


def test_two_million_step_reference():
    with mpmath.workdps(30):
        exact = -100 * (1 - (1 - mpmath.mpf(10) ** -5) ** (2 * 10 ** 6))
        assert mpmath.nstr(exact, 14) == "-99.999999793905"
        assert abs(lion.weight_decay_iterate(0, 1, mpmath.mpf("0.001"), mpmath.mpf("0.01"), 2 * 10 ** 6) - exact) < 1e-20
    assert math.ceil(math.log(0.01) / math.log1p(-1e-5)) == 460515


def test_affine_power_matches_repeated_steps_and_a_float64_loop():
    A, B = lion.affine_power(mpmath.mpf("0.5"), mpmath.mpf(1), 5)
    x = mpmath.mpf(3)
    for _ in range(5):
        x = x / 2 + 1
    assert A * 3 + B == x
    th = 0.0
    for _ in range(10 ** 5):
        th = th - 1e-3 * (1.0 + 1e-2 * th)
    assert th == pytest.approx(float(lion.weight_decay_iterate(0, 1, mpmath.mpf("0.001"), mpmath.mpf("0.01"), 10 ** 5)),
                               abs=1e-9)


def test_adam_step_ratio():
    with mpmath.workdps(30):
        loop = lion._adam_step_ratio(mpmath.mpf("0.9"), mpmath.mpf("0.999"), mpmath.mpf("1e-8"), 100, 200)
    assert float(loop) == pytest.approx(2.7923929008873809e-5, rel=1e-12)
    assert (0.9 / math.sqrt(0.999)) ** 100 == pytest.approx(2.7923929485e-5, rel=1e-9)
    assert 0.9 ** 100 == pytest.approx(2.656139888758747e-5, rel=1e-12)
