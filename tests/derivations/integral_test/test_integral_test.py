"""integral-test: every verdict, the witnesses of the needed hypothesis and of the erratum, the controls, the
Euler-Maclaurin enclosures against nsum, and the spec's numbers."""
import dataclasses

import mpmath
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations.engine.adhoc import adhoc_claim
from derivations.engine.verify import verify_claim
from derivations.integral_test import claims as it
from derivations.integral_test import numerics as num

SLUG = "integral-test"
VERDICTS = {
    "C1.integral-test": "proved", "C1.integral-test/drop:P": "proved",
    "C2.cell-upper": "proved", "C2.cell-lower": "proved", "C3.sandwich": "certified",
    "C4.tail-zeta2": "certified", "C4.loglog-bracket": "certified",
    "C5.harmonic-decreasing": "checked", "C5.harmonic-lower": "checked", "C5.euler-gamma": "proved",
    "C5.values": "certified", "C7.first-order": "proved", "C8.terms-x2": "proved",
    "C8.zeta2-remainder": "certified", "C8.first-neglected": "certified",
    "C9.a-integral": "proved", "C9.b-cell-bound": "checked", "C9.b-bound": "certified",
    "C9.b-value": "checked",                                    # float64 quadrature within the spec's 1e-10
    "C9.c-integral": "proved", "C10.p-integral": "proved", "C10.log-integral": "proved",
    "C11.zeta": "certified", "C11.loglog-sum": "certified", "C11.closed-forms": "certified", "C11.series": "certified",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.no-hypotheses",))


def test_monotonicity_is_the_needed_hypothesis(verified):
    ctl = by_id(verified.negative_controls)
    cx = ctl["C1.integral-test/drop:M"].counterexample
    assert cx["part"] == "(a) sin^2(pi x): series converges iff integral converges" and "difference = 1" in cx["text"]
    assert "lhs 5.0" in ctl["C3.sandwich/drop:M"].counterexample["text"]            # S_10 = 0 < integral = 5


def test_witnesses_classified_exactly():
    """Series test and integral test disagree on each of C9's functions: (a) 0 vs oo, (b) 1 = f(n) vs a convergent
    majorant, (c) harmonic vs -Ci(2 pi)."""
    got = {w: (it._series_converges(it.NAMES.index(w)), it._integral_converges(it.NAMES.index(w))) for w in it.WITNESSES}
    assert list(got.values()) == [(1, 0), (0, 1), (0, 1)]
    assert all(it._series_converges(it.NAMES.index(f)) == it._integral_converges(it.NAMES.index(f))
               for f in it.C1_FAMILY + it.SIGNED_FAMILY + it.EVENTUAL_FAMILY)


def test_post_statement_refuted_and_corrected(verified):
    (e,) = verified.errata
    assert e.post.verdict == "refuted" and e.correction.verdict == "proved"
    assert e.post.counterexample["part"].startswith("(a) sin^2(pi x)")


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert "margin rhs - lhs = 0" in ctl["N8.start-at-one"].counterexample["text"]          # 1 * log(1)^2 = 0
    assert float(ctl["N4.harmonic-bounded"].counterexample["lhs"]) > 10
    for cid, value in (("N9.nsum-default", "2.109742801236891974"), ("N1.sum-is-integral", "1.6449340668482264")):
        assert value in ctl[cid].counterexample["text"] and "disjoint" in ctl[cid].counterexample["text"]
    assert "gap" in ctl["N10.nsum-spec"].counterexample["text"] or "disjoint" in ctl["N10.nsum-spec"].counterexample["text"]


def test_nsum_is_wrong_and_the_enclosure_is_not():
    wrong = num.nsum_default()
    assert abs(wrong - mpmath.mpf(it.LOGLOG_REF)) > 0.1
    with mpmath.workdps(40):
        assert abs(it.LoglogSum.evaluator() - mpmath.mpf(it.LOGLOG_REF)) < mpmath.mpf(10) ** -38
    ball = it.LoglogSum.enclosure(digits=45)
    assert abs(float(ball.mid()) - 2.109742801236892) < 1e-15 and ball.rad() < 1e-40


def test_check_never_agrees_with_a_wrong_nsum_value():
    """``check`` on the slowly convergent series: the wrong values nsum produces are refuted, the true value (as an
    exact decimal) is checked."""
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
        errors = [float(sp.Rational(num.zeta2_em(10, p))) - float(z) for p in range(0, 4)]
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
    partial = num.bump_partial_integrals(30)           # the figure's integrals from 1 to N
    assert all(a < b for a, b in zip(partial, partial[1:])) and 0.55 < partial[-1] < fine
