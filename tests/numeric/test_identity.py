"""The two-precision rule (numeric.identity): agreement, confirmed disagreement, and the cases
where precision loss or an unstable side must NOT become a counterexample."""
import math

import mpmath
import pytest
import sympy as sp

from numeric.evaluate import Unevaluable, evaluate_value
from numeric.identity import agreement, compare
from numeric.counterexamples import counterexample, describe_counterexample
from numeric.search import (stable_difference, search_identity, search_inequality)
from numeric.sampling import positive, real

x, y = sp.symbols("x y", real=True)
D = 30  # digits asked for; working precisions are D+10, D+30 and, to confirm, 2D+40


def at_dps(fn):
    """compute(dps) for compare(): evaluates fn() with mpmath at dps digits."""
    def compute(dps):
        with mpmath.workdps(dps):
            return fn()
    return compute


# -- agreement -----------------------------------------------------------------------------

def test_agreement_counts_significant_digits():
    with mpmath.workdps(40):
        assert agreement(mpmath.mpf(1), mpmath.mpf(1) + mpmath.mpf(10) ** -12) == pytest.approx(12, abs=0.01)
        assert agreement(mpmath.mpf(2) * 10 ** 30, mpmath.mpf(2) * 10 ** 30 + 2 * 10 ** 10) == pytest.approx(20, abs=0.01)
        assert agreement(mpmath.pi, mpmath.pi) == math.inf
        a = mpmath.matrix([[1, 2], [3, 4]])
        b = mpmath.matrix([[1, 2], [3, 4 + mpmath.mpf(10) ** -8]])
        assert agreement(a, b) == pytest.approx(8 + math.log10(4), abs=0.01)  # max-norm, scaled by 4
        assert agreement((1, 2), (1, 2, 3)) == -math.inf


# -- compare: the two-precision rule -------------------------------------------------------

def test_true_identity_agrees_to_the_requested_digits():
    # mpmath.pi is a lazy constant: compare() must fix it at each working precision
    # (regression: it was evaluated at 15 digits and "disagreed" with 4*atan(1)).
    cmp = compare(at_dps(lambda: (mpmath.pi, 4 * mpmath.atan(1))), D)
    assert cmp.status == "agree" and cmp.digits == D  # capped at the requested digits
    assert cmp.dps == D + 30


def test_false_identity_disagrees_and_is_confirmed_at_higher_precision():
    # e against its 10-digit truncation
    cmp = compare(at_dps(lambda: (mpmath.e, mpmath.mpf("2.718281828"))), D)
    assert cmp.status == "disagree"
    assert cmp.dps == 2 * D + 40 and "confirmed" in cmp.detail
    assert 9 < cmp.digits < 11  # they share about 10 digits
    with mpmath.workdps(30):
        assert abs(cmp.lhs - cmp.rhs - mpmath.mpf("4.59045e-10")) < 1e-14


def test_disagreement_that_vanishes_at_higher_precision_is_not_a_counterexample():
    # The sides differ by 1e-(D-5) at low precision and are equal from 100 digits on: the
    # first disagreement is not confirmed, so the answer is unknown, never "disagree".
    def compute(dps):
        with mpmath.workdps(dps):
            off = mpmath.mpf(10) ** -(D - 5) if dps < 100 else 0
            return mpmath.mpf(1), mpmath.mpf(1) + off
    cmp = compare(compute, D)
    assert cmp.status == "unknown" and "not confirmed" in cmp.detail


def test_catastrophic_cancellation_is_not_refutation():
    # (1 + x) - 1 at x = 1e-70 is exactly 0 at D+10 = 40 digits: a naive comparison with x
    # would "refute" (1 + x) - 1 = x.  The two-precision rule must not.
    t = mpmath.mpf(10) ** -70
    cmp = compare(at_dps(lambda: ((1 + t) - 1, t)), D)
    assert cmp.status != "disagree"


def test_naive_formula_with_cancellation_against_its_series():
    # exp(t) - 1 - t loses ~80 digits at t = 1e-40, so it is noise at 40 and 60 digits; the
    # series t^2/2 + t^3/6 is accurate.  Untracked, the noise's bound (its size) is above the
    # series' value: unknown.  (The old rule called this "agree" because the *difference*
    # shrinks with the precision; so did it for twice the series, a false identity.)
    def compute(dps, factor=1):
        with mpmath.workdps(dps):
            t = mpmath.mpf(10) ** -40
            return mpmath.exp(t) - 1 - t, factor * (t ** 2 / 2 + t ** 3 / 6 + t ** 4 / 24)
    assert compare(compute, D).status == "unknown"
    assert compare(lambda dps: compute(dps, 2), D).status == "unknown"
    # Tracked, the naive side is evaluated again at the precision its bound asks for (~130 digits)
    t = sp.Integer(10) ** -40
    series = t ** 2 / 2 + t ** 3 / 6 + t ** 4 / 24
    naive = sp.Add(sp.exp(t), -1, -t, evaluate=False)

    def tracked(factor):
        return lambda dps: (evaluate_value(naive, {}, dps), evaluate_value(factor * series, {}, dps))
    ok = compare(tracked(1), D)
    assert ok.status == "agree" and ok.dps > 120
    bad = compare(tracked(2), D)
    assert bad.status == "disagree" and "confirmed" in bad.detail


def test_rounding_noise_at_zero_agrees():
    # A difference that is zero up to rounding: it shrinks by 20 orders from 40 to 60 digits.
    cmp = compare(at_dps(lambda: (mpmath.sin(mpmath.pi), mpmath.mpf(0))), D)
    assert cmp.status == "agree" and "both sides vanish" in cmp.detail and "rhs = 0" in cmp.detail


def test_a_side_that_changes_with_precision_is_unknown_not_agree():
    # Both sides equal at every precision, but their common value moves with the precision
    # (what nsum does on a slowly convergent series): never agreement.
    cmp = compare(lambda dps: (mpmath.mpf(1) / dps, mpmath.mpf(1) / dps), D)
    assert cmp.status == "unknown"
    # one side drifting towards the other as 10**(-dps/4): unknown as well
    cmp = compare(at_dps(lambda: (1 + mpmath.mpf(10) ** (-mpmath.mp.dps // 4), mpmath.mpf(1))), D)
    assert cmp.status == "unknown"


def test_unevaluable_propagates():
    def compute(dps):
        raise Unevaluable("pole")
    with pytest.raises(Unevaluable):
        compare(compute, D)


# -- the difference-stability rule ---------------------------------------------------------

def test_stable_difference_sees_below_working_precision():
    d = stable_difference(x - (x + sp.exp(-200)), {x: 0.5}, D)
    assert d is not None
    with mpmath.workdps(50):
        assert abs(d + mpmath.exp(-200)) < mpmath.exp(-200) * mpmath.mpf(10) ** -40


def test_stable_difference_of_a_true_identity_is_none():
    assert stable_difference(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, {x: 0.5}, D) is None
    assert stable_difference(sp.Integer(0), {}, D) is None


def test_identity_with_difference_below_working_precision_is_refuted():
    out = search_identity(x, x + sp.exp(-200), {x: real(-1, 1)}, D, seed=0)
    assert out.status == "disagree" and "stable nonzero" in out.detail
    assert out.counterexample["difference"].startswith("-1.3839")  # -exp(-200) = -1.3839e-87


# -- test_identity -------------------------------------------------------------------------

def test_identity_agrees_on_a_true_identity():
    out = search_identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-3, 3)}, D, seed=1, points=4)
    assert out.status == "agree" and out.digits == D and "4 points" in out.detail


def test_identity_refutes_with_a_point_and_both_values():
    out = search_identity(sp.sin(2 * x), sp.sin(x) * sp.cos(x), {x: real(-3, 3)}, D, seed=1)
    assert out.status == "disagree"
    cx = out.counterexample
    x0 = float(cx["at"]["x"])
    assert float(cx["lhs"]) == pytest.approx(math.sin(2 * x0), rel=1e-12)
    assert float(cx["rhs"]) == pytest.approx(math.sin(x0) * math.cos(x0), rel=1e-12)
    assert float(cx["lhs"]) == pytest.approx(2 * float(cx["rhs"]), rel=1e-12)


def test_identity_of_constants_uses_one_point():
    out = search_identity(sp.Sum(1 / sp.Symbol("k", integer=True, positive=True) ** 2,
                               (sp.Symbol("k", integer=True, positive=True), 1, sp.oo)), sp.pi ** 2 / 6, {}, D, 0)
    assert out.status == "agree" and "1 point" in out.detail


def test_identity_real_only_identity_fails_on_complex_points():
    # sqrt(z**2) = z is false in the complex plane (and for negative reals)
    z = sp.Symbol("z")
    from numeric.sampling import complex_box
    assert search_identity(sp.sqrt(z ** 2), z, {z: complex_box(2)}, D, 0).status == "disagree"
    assert search_identity(sp.sqrt(y ** 2), y, {y: positive(3)}, D, 0).status == "agree"


def test_identity_unevaluable_everywhere_is_unknown():
    out = search_identity(1 / (x - x), sp.Integer(1), {x: real(0, 1)}, D, 0)
    assert out.status == "unknown" and "could not evaluate" in out.detail


def test_identity_skips_poles_but_reports_them():
    # 1/x has a pole at 0, which the integer domain {-1, 0, 1} hits; the other points count
    n = sp.Symbol("n", integer=True)
    from numeric.sampling import integers
    out = search_identity(n / n, sp.Integer(1) + 0 * n, {n: integers(-1, 1)}, D, seed=0, points=12)
    assert out.status == "agree"


def test_matrix_identity_reports_the_worst_entry():
    a = sp.Matrix([[x, 1], [0, x]])
    wrong = sp.Matrix([[x ** 2, 2 * x], [0, x ** 2 + 1]])
    out = search_identity(a * a, wrong, {x: real(1, 2)}, D, 0)
    assert out.status == "disagree"
    assert out.counterexample["worst"]["entry"] == [1, 1]
    assert describe_counterexample(out.counterexample).startswith("entry (1,1) at x=")
    assert search_identity(a * a, sp.Matrix([[x ** 2, 2 * x], [0, x ** 2]]), {x: real(1, 2)}, D, 0).status == "agree"


# -- test_inequality -----------------------------------------------------------------------

def test_true_inequality_holds_with_its_smallest_margin():
    out = search_inequality(2 * x, "<=", x ** 2 + 1, {x: real(-3, 3)}, D, seed=0)
    assert out.status == "agree" and "smallest margin" in out.detail


def test_false_inequality_is_refuted_with_a_witness():
    out = search_inequality(x, "<=", x ** 2, {x: real(0, 2)}, D, seed=0)
    assert out.status == "disagree"
    x0 = float(out.counterexample["at"]["x"])
    assert 0 < x0 < 1 and x0 > x0 ** 2  # a genuine violation


def test_strict_inequality_fails_where_equality_holds_at_a_corner():
    # x^2 + 1 > 2x fails at x = 1, a corner of [1, 2]
    out = search_inequality(x ** 2 + 1, ">", 2 * x, {x: real(1, 2)}, D, seed=0)
    assert out.status == "disagree" and out.counterexample["at"]["x"] == "1.0"


def test_inequality_margin_below_working_precision():
    # Regression: sides equal to working precision used to count as margin 0, so
    # x <= x - exp(-200) was "checked" and 1 + x*exp(-200) > 1 was "refuted".
    bad = search_inequality(x, "<=", x - sp.exp(-200), {x: real(1, 2)}, D, seed=0)
    assert bad.status == "disagree" and bad.counterexample["difference"].startswith("1.3839")
    good = search_inequality(1 + x * sp.exp(-200), ">", sp.Integer(1), {x: real(1, 2)}, D, seed=0)
    assert good.status == "agree"


# -- counterexample records ----------------------------------------------------------------

def test_counterexample_record_and_its_one_line_description():
    cmp = compare(at_dps(lambda: (mpmath.mpf(3), mpmath.mpf(2))), D)
    cx = counterexample(cmp, {x: 0.5})
    assert cx["at"] == {"x": "0.5"} and cx["lhs"] == "3.0" and cx["rhs"] == "2.0" and cx["difference"] == "1.0"
    assert describe_counterexample(cx) == "at x=0.5: lhs 3.0 vs rhs 2.0 (difference 1.0)"
    assert describe_counterexample({"text": "fails at n = 3"}) == "fails at n = 3"
    assert describe_counterexample(None) == ""


def test_compare_outcome_decides_at_each_working_precision():
    import mpmath

    from numeric.search import compare_outcome
    ok = compare_outcome(lambda: (4 * mpmath.atan(1), +mpmath.pi), 50, detail="Machin-free pi")
    assert (ok.status, ok.digits, ok.detail) == ("agree", 50, "Machin-free pi")
    bad = compare_outcome(lambda: (mpmath.mpf(355) / 113, +mpmath.pi), 50, {"x": 1.0},
                          text=lambda cmp: "355/113 is not pi")
    assert bad.status == "disagree" and bad.counterexample["text"] == "355/113 is not pi"
    assert bad.counterexample["at"] == {"x": "1.0"}


# -- cancellation: every verdict rests on a value accurate relative to itself (issue 13) ----------

xp = sp.Symbol("xp", nonnegative=True)
kk = sp.Symbol("kk", integer=True)
ONE = 4 * sp.Sum((-1) ** kk / (2 * kk + 1), (kk, 0, sp.oo)) / sp.pi  # Leibniz: 1, evaluated by nsum


def test_cosh_minus_sinh_is_not_refuted_where_its_terms_cancel_295_digits():
    # cosh and sinh are 1e295 at x = 680.29 and their difference was 0.0 at 80 and 140 digits
    dom = {xp: real(0, 2000)}
    out = search_identity(sp.cosh(xp) - sp.sinh(xp), sp.exp(-xp) * ONE, dom, 50, seed=0)
    assert out.status == "agree" and out.digits == 50
    at = {xp: 680.286705687676}
    cmp = compare(lambda dps: (evaluate_value(sp.cosh(xp) - sp.sinh(xp), at, dps),
                               evaluate_value(sp.exp(-xp) * ONE, at, dps)), 50)
    assert cmp.status == "agree" and cmp.dps > 640  # resolved where the bound asked


@pytest.mark.parametrize("rhs, digits", [
    (sp.exp(-xp) * (1 + sp.Rational(1, 10 ** 30)), 50),
    (sp.exp(-xp) * ONE * (1 + sp.Rational(1, 10 ** 40)), 50),
    (sp.exp(-xp) * ONE * (1 + sp.Rational(1, 10 ** 60)), 70),
])
def test_cosh_minus_sinh_false_variants_are_refuted(rhs, digits):
    out = search_identity(sp.cosh(xp) - sp.sinh(xp), rhs, {xp: real(0, 2000)}, digits, seed=0)
    assert out.status == "disagree"


def test_de_moivre_at_the_far_edge_probes():
    # n = -40, z = -8-8i: cos(nz) and i sin(nz) are 1e139 and cancel to exp(inz) ~ 1e-139
    n = sp.Symbol("n", integer=True)
    z = sp.Symbol("z")
    from numeric.sampling import default_domain
    doms = {n: default_domain(n), z: default_domain(z)}
    lhs = sp.cos(n * z) + sp.I * sp.sin(n * z)
    assert search_identity(lhs, sp.exp(sp.I * n * z) * ONE, doms, 50, 0, unbounded={n, z}).status == "agree"
    assert search_identity((sp.cos(z) + sp.I * sp.sin(z)) ** n, lhs, doms, 50, 0, unbounded={n, z}).status == "agree"
    bad = search_identity(lhs, sp.exp(sp.I * n * z) * (1 + sp.Rational(1, 10 ** 30)), doms, 50, 0, unbounded={n, z})
    assert bad.status == "disagree"
    bad = search_identity((sp.cos(z) + sp.I * sp.sin(z)) ** n, sp.cos(n * z) - sp.I * sp.sin(n * z), doms, 50, 0,
                        unbounded={n, z})
    assert bad.status == "disagree" and "." not in bad.counterexample["at"]["n"]  # an integer, printed as one


def _sides_at(lhs, rhs, point):
    return lambda dps: (evaluate_value(lhs, point, dps), evaluate_value(rhs, point, dps))


def test_both_sides_vanishing_agree_and_say_so():
    at = {xp: 680.286705687676}
    cmp = compare(_sides_at(sp.cosh(xp) - sp.sinh(xp) - sp.exp(-xp), sp.Integer(0), at), 30)
    assert cmp.status == "agree" and "both sides vanish" in cmp.detail and "rhs = 0" in cmp.detail


def test_a_side_far_above_a_vanishing_ones_bound_disagrees_without_resolution():
    at = {xp: 680.286705687676}
    cmp = compare(_sides_at(sp.cosh(xp) - sp.sinh(xp), sp.exp(xp), at), 30)
    assert cmp.status == "disagree" and cmp.dps < 200


def test_a_side_that_is_rounding_noise_at_zero_is_shown_as_0():
    # alpha (1 - (sum p)^2) at sum p = 1: a unit in the last place at each precision, not a number
    cmp = compare(lambda dps: (mpmath.mpf(1) / 7, mpmath.mpf(10) ** -(dps + 1)), D)
    assert cmp.status == "disagree" and cmp.rhs == 0 and counterexample(cmp)["rhs"] == "0.0"
    # a small value that stays put is a number, and is shown
    cmp = compare(lambda dps: (mpmath.mpf(1) / 7, mpmath.mpf(10) ** -100), D)
    assert cmp.status == "disagree" and counterexample(cmp)["rhs"] == "1.0e-100"


def test_a_vanishing_side_that_cannot_be_resolved_is_unknown(monkeypatch):
    import numeric.identity as identity
    monkeypatch.setattr(identity, "MAX_DPS", 300)  # the cancellation needs about 650 digits
    at = {xp: 680.286705687676}
    for rhs in (sp.exp(-xp), 2 * sp.exp(-xp)):
        cmp = compare(_sides_at(sp.cosh(xp) - sp.sinh(xp), rhs, at), 30)
        assert cmp.status == "unknown" and "lhs vanishes in cancellation" in cmp.detail


def test_stable_difference_of_a_cancelling_true_identity_is_none_and_of_a_false_one_a_number():
    at = {xp: 680.286705687676}
    assert stable_difference(sp.cosh(xp) - sp.sinh(xp) - sp.exp(-xp), at, 30) is None
    d = stable_difference(sp.cosh(xp) - sp.sinh(xp) - sp.exp(-xp) * (1 + sp.Rational(1, 10 ** 40)), at, 30)
    assert d is None  # vanishes at 70 and 110 digits: it is no number there, never 0
    d = stable_difference(sp.exp(-xp) - sp.exp(-xp) * (1 + sp.Rational(1, 10 ** 40)), at, 30)
    with mpmath.workdps(30):
        assert d is not None and abs(d / mpmath.exp(-mpmath.mpf(at[xp])) + mpmath.mpf(10) ** -40) < mpmath.mpf(10) ** -50
