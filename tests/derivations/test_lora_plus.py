"""LoRA+ (spec lora-plus.md): the verdict of every claim, control and erratum, their counterexamples, and the
spec's reference values of the post's numerics."""
import math

import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations.lora_plus import (BALANCE_SOLUTION, CORRECT_RATIO, POST_RATIO, _l1_ratio, _output_variance,
                                   _signsgd_sides, eta_a, m, n, r)

SLUG = "lora-plus"
VERDICTS = {
    "C1.gradients": "proved", "C2.first-order": "proved", "C3.sign-pairing": "proved",
    "C3.signsgd-step": "certified", "C4.var-xa": "proved", "C4.var-xab": "proved",
    "C4.var-monte-carlo": "checked", "C5.balance-algebra": "proved", "C5.square-rates": "checked",
    "C6.self-consistent": "proved", "C7.lora-plus-default": "certified",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.ratio-general-m",))


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert "3 - sqrt(3)" in ctl["N3.sgd-balance"].counterexample["text"]        # n/r vs sqrt(n/r), n=3, r=1
    assert "-511/512" in ctl["N4.fan-in-m"].counterexample["text"]            # Var = 2/1024, not 1
    assert "-1/2" in ctl["N6.linear-in-n"].counterexample["text"]             # exponent 1/2, not 1
    assert "SE" in ctl["N2.inverted-ratio"].counterexample["text"]            # beyond the Monte Carlo band


def test_oracle_of_the_gradients_agrees(verified):
    (oracle,) = by_id(verified.claims)["C1.gradients"].oracles
    assert oracle["status"] == "agree" and oracle["name"].startswith("numerical differentiation")


def test_erratum_general_m(verified):
    (e,) = verified.errata
    assert e.post.verdict == "refuted" and e.correction.verdict == "checked"
    assert "45.25" in e.post.counterexample["text"]


def test_balance_algebra_and_ratios():
    assert sp.simplify(BALANCE_SOLUTION / eta_a - n ** sp.Rational(3, 2) / (m * sp.sqrt(r))) == 0
    assert sp.simplify((POST_RATIO - CORRECT_RATIO).subs(m, n)) == 0
    assert float(POST_RATIO.subs({n: 1024, m: 256, r: 8})) == pytest.approx(45.254833995939045)
    assert float(CORRECT_RATIO.subs({n: 1024, m: 256, r: 8})) == pytest.approx(22.627416997969522)


def test_signsgd_step_reference():
    """The spec's problem (seed 0) evaluated exactly: float64 gives actual -3.4984692435e-6 (cancellation costs it
    nine digits); the spec's printed -2.9279e-6 comes from another draw of the same shapes."""
    actual, predicted = (float(sp.N(v, 20)) for v in _signsgd_sides())
    assert actual == pytest.approx(-3.4984692438181270e-6, rel=1e-12)
    assert predicted == pytest.approx(-3.4984692970157912e-6, rel=1e-12)
    assert abs(actual / predicted - 1) < 1e-5


def test_random_model_rows():
    """Spec table: m = n rows near sqrt(n/r); m != n rows near n/sqrt(mr), far from the post's formula."""
    got = _l1_ratio(1024, 256, 8, seed=1)
    assert abs(got.value - 22.627) < 5 * got.se + 0.03 * 22.627 and abs(got.value - 45.255) > 20
    assert _l1_ratio(256, 1024, 8, seed=2).value == pytest.approx(2.828, rel=0.03)


def test_output_variance_and_the_fan_in_mistake():
    est = _output_variance(256, 8, seed=3)
    assert abs(est.value - 1) < 5 * est.se and est.se < 0.05
    assert math.sqrt(8 / 1024) == pytest.approx(0.0884, abs=1e-4)
