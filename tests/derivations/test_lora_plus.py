"""LoRA+ (spec lora-plus.md): verdicts of every claim, control and erratum, and the spec's reference values."""
import math

import pytest
import sympy as sp

from derivations.engine.verify import verify_derivation
from derivations.lora_plus import (BALANCE_SOLUTION, CORRECT_RATIO, DERIVATION, POST_RATIO, eta_a, m, n, r)
from numeric import lora_plus as num


@pytest.fixture(scope="module")
def res():
    return verify_derivation(DERIVATION)


def _by_id(items):
    return {c.id: c for c in items}


def test_verified(res):
    assert res.verdict == "verified"


def test_claim_verdicts_honour_status_tags(res):
    got = {c.id: c.verdict for c in res.claims}
    assert got == {
        "C1.gradients": "proved", "C2.first-order": "proved", "C3.sign-pairing": "proved",
        "C3.signsgd-step": "checked", "C4.var-XA": "proved", "C4.var-XAB": "proved",
        "C5.balance-algebra": "proved", "C5.square-rates": "checked", "C6.self-consistent": "proved",
        "C7.lora-plus-default": "proved",
    }


def test_every_control_refuted_with_counterexample(res):
    ctl = _by_id(res.negative_controls)
    assert set(ctl) == {"N1.misordered-gradient", "N2.inverted-ratio", "N3.sgd-balance", "N4.fan-in-m",
                        "N5.wrong-sign", "N6.linear-in-n"}
    assert all(c.verdict == "refuted" and c.counterexample for c in ctl.values())
    assert "3 - sqrt(3)" in ctl["N3.sgd-balance"].counterexample["text"]       # n/r vs sqrt(n/r), n=3, r=1
    assert "-511/512" in ctl["N4.fan-in-m"].counterexample["text"]           # Var = 2/1024, not 1
    assert "-1/2" in ctl["N6.linear-in-n"].counterexample["text"]            # exponent 1/2, not 1


def test_erratum_general_m(res):
    (e,) = res.errata
    assert e["ok"] and e["post_says_result"]["verdict"] == "refuted" and e["correct_result"]["verdict"] == "checked"
    assert "45.25" in e["post_says_result"]["counterexample"]["text"]


def test_balance_algebra_and_ratios():
    assert sp.simplify(BALANCE_SOLUTION / eta_a - n ** sp.Rational(3, 2) / (m * sp.sqrt(r))) == 0
    assert sp.simplify((POST_RATIO - CORRECT_RATIO).subs(m, n)) == 0
    assert float(POST_RATIO.subs({n: 1024, m: 256, r: 8})) == pytest.approx(45.254833995939045)
    assert float(CORRECT_RATIO.subs({n: 1024, m: 256, r: 8})) == pytest.approx(22.627416997969522)
    for nn, ref in ((768, 9.797958971132712), (1024, 11.313708498984761), (4096, 22.627416997969522)):
        assert math.sqrt(nn / 8) == pytest.approx(ref, rel=1e-15)


def test_finite_differences_and_signsgd_reference():
    ea, eb = num.finite_difference_errors()
    assert ea < 1e-7 and eb < 1e-7
    actual, predicted = num.signsgd_change()
    assert actual < 0 and abs(actual - predicted) <= 1e-5 * abs(predicted)


def test_random_model_rows():
    """Spec table: m = n rows near sqrt(n/r); m != n rows near n/sqrt(mr), far from the post's formula."""
    got = num.l1_gradient_ratio(1024, 256, 8)
    assert got == pytest.approx(22.627, rel=0.05) and abs(got - 45.255) > 20
    assert num.l1_gradient_ratio(256, 1024, 8) == pytest.approx(2.828, rel=0.05)
    assert num.l1_gradient_ratio(768, 768, 8) == pytest.approx(9.798, rel=0.05)


def test_fan_in_mistake_std():
    _, std_ok = num.output_std(256, 8, 256)
    _, std_bad = num.output_std(256, 8, 1024, var_b=1 / 1024)
    assert std_ok == pytest.approx(1, abs=0.05)
    assert std_bad == pytest.approx(math.sqrt(8 / 1024), rel=0.1)   # 0.088
