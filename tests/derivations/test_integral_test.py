"""integral-test: the monotone theorem, sandwich and Euler-Maclaurin bounds, counterexamples, certified values."""
import dataclasses

import mpmath
import pytest
import sympy as sp

from derivations.engine.adhoc import adhoc_claim
from derivations.engine.verify import verify_claim, verify_derivation
from derivations.integral_test import DERIVATION, LOGLOG_REF, LOGLOG_SUM, ref_loglog
from numeric import certify
from numeric import integral_test as num

OK = "certified" if certify.AVAILABLE else "checked"


@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def by_id(items):
    return {r.id: r for r in items}


def test_verified(result):
    assert result.verdict == "verified"


def test_verdicts(result):
    claims = by_id(result.claims)
    for cid in ("itest.C2.cell_upper", "itest.C2.cell_lower", "itest.C5.euler_gamma", "itest.C7.first_order",
                "itest.C8.terms_x2", "itest.C9.a_integral", "itest.C9.c_integral", "itest.C10.p_integral",
                "itest.C10.log_integral"):
        assert claims[cid].verdict == "proved", cid
    for cid in ("itest.C3.sandwich", "itest.C4.tail_zeta2", "itest.C4.loglog_bracket", "itest.C5.values",
                "itest.C8.zeta2_remainder", "itest.C8.first_neglected", "itest.C9.b_bound", "itest.ref.zeta",
                "itest.ref.loglog_sum", "itest.ref.closed_forms", "itest.ref.series"):
        assert claims[cid].verdict == OK, cid
    for cid in ("itest.C1.integral_test", "itest.C1.integral_test/drop:P", "itest.C5.harmonic_decreasing",
                "itest.C5.harmonic_lower", "itest.C9.b_cell_bound", "itest.C9.b_value"):
        assert claims[cid].verdict == "checked", cid


def test_monotonicity_is_the_needed_hypothesis(result):
    controls, claims = by_id(result.negative_controls), by_id(result.claims)
    text = controls["itest.C1.integral_test/drop:M"].counterexample["text"]
    assert "(a) sin^2(pi x)" in text and "f(n) = 0" in text and "(b) exp(-x^4 sin^2(pi x))" in text and "f(n) = 1" in text
    assert "S_10 = 0 < integral_1^11 f = 5" in controls["itest.C3.sandwich/drop:M"].counterexample["text"]
    # positivity is implied by monotonicity: dropping it leaves the statement true
    assert claims["itest.C1.integral_test/drop:P"].verdict == "checked"


def test_post_statement_refuted_by_three_counterexamples(result):
    (e,) = result.errata
    assert e["ok"] and e["post_says_result"]["verdict"] == "refuted"
    for witness in ("(a) sin^2(pi x)", "(b) exp(-x^4", "(c) cos(2 pi x)/x: f(n) = 1/n", "0.022560662"):
        assert witness in e["evidence"], witness
    assert e["correct_result"]["verdict"] == "checked"


def test_controls(result):
    controls = by_id(result.negative_controls)
    assert all(r.verdict == "refuted" for r in controls.values())
    assert "zoo" in controls["itest.N8.start_at_one"].counterexample["text"]
    n4 = controls["itest.N4.harmonic_bounded"].counterexample
    assert float(n4["lhs"]) > 10
    for cid, lhs in (("itest.N9.nsum_default", "2.109742801236"), ("itest.N10.nsum_spec", "2.109742801236"),
                     ("itest.N1.sum_is_integral", "1.644934066848")):
        cx = controls[cid].counterexample
        assert ("disjoint" in cx["text"] and lhs in cx["text"]) if certify.AVAILABLE else cx["lhs"].startswith(lhs)


def test_nsum_is_wrong_and_the_enclosure_is_not():
    wrong = num.nsum_default()
    assert abs(wrong - mpmath.mpf(LOGLOG_REF)) > 0.1
    with mpmath.workdps(60):
        assert abs(LOGLOG_SUM.mp(40) - mpmath.mpf(LOGLOG_REF)) < mpmath.mpf(10) ** -40


def test_reference_value_without_flint(monkeypatch):
    monkeypatch.setattr(certify, "AVAILABLE", False)
    out = ref_loglog.cross_check(30, 0)
    assert out.status == "agree" and out.digits == 30


@pytest.mark.skipif(not certify.AVAILABLE, reason="python-flint not installed")
def test_reference_value_certified():
    out = ref_loglog.cross_check(50, 0)
    assert out.status == "certified" and out.digits == 49


def test_check_never_agrees_with_a_wrong_nsum_value():
    """``check`` on the slowly convergent series: the wrong values nsum produces are refuted,
    the true value (as an exact decimal) is checked."""
    lhs = "Sum(1/(n*log(n)**2),(n,2,oo))"
    true = "21097428012368919744792571976165513263855319843947/10**49"
    verdicts = {}
    for name, rhs in (("true", true), ("spec nsum", "2.10359"), ("nsum 15 digits", "1.91056295070081")):
        c = dataclasses.replace(adhoc_claim(lhs, rhs), symbolic=False)  # SymPy cannot sum it; skip its timeout
        verdicts[name] = verify_claim(c, digits=20, timeout=20).verdict
    assert verdicts == {"true": "checked", "spec nsum": "refuted", "nsum 15 digits": "refuted"}


def test_family_antiderivatives_and_sandwich_values():
    x = num.x
    for f, a, F, _ in num.FAMILY:
        assert sp.simplify(sp.diff(F, x) - f) == 0, f
        assert all(sp.diff(f, x).subs(x, t) < 0 for t in (a, a + 1, 10, 100)), f  # non-increasing from a
    lo, s, hi = num.sandwich(x ** -2, 1, -1 / x, 10)
    assert s.doit() == sp.Rational(1968329, 1270080) and lo == sp.Rational(10, 11) and hi == sp.Rational(19, 10)


def test_euler_maclaurin_for_zeta2():
    with mpmath.workdps(40):
        z = mpmath.zeta(2)
        errors = [float(sp.Rational(num.zeta2_em(10, p)) - 0) - float(z) for p in range(0, 4)]
    # spec: approximation minus zeta(2) after 2..5 terms
    assert errors[0] == pytest.approx(-1.66e-4, rel=0.01)
    assert errors[1] == pytest.approx(3.31e-7, rel=0.01)
    assert errors[2] == pytest.approx(-2.35e-9, rel=0.01)
    assert errors[3] == pytest.approx(3.26e-11, rel=0.01)
    for p in range(1, 4):
        assert abs(errors[p]) <= float(num.em_bound(10, p))


def test_bump_integral_and_bound():
    fine = num.bump_integral(0, 400, 40)
    assert abs(fine - 0.575367599412) < 1e-10
    assert abs(num.bump_integral(1, 200, 30) - 0.301221772842) < 1e-10
    assert float(num.bump_bound()) == pytest.approx(1.32845, abs=1e-5) and fine < float(num.bump_bound())
