"""Smooth Top-K (catalog cards topk-C1..C4): every verdict, the controls and the precision trap, the erratum, the
card's reference values and the strategy that takes the limits."""
import mpmath
import numpy as np
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations.topk import claims as topk
from derivations.topk import numerics as num

SLUG = "topk"
VERDICTS = {
    "C1.gradient": "proved", "C1.sum-rule": "proved", "C1.recurrence": "proved", "C1.bounds": "proved",
    "C1.softmax": "proved", "C1.limit": "proved", "C1.reference": "checked",
    "C2.limit": "proved", "C2.reference": "checked", "C2.author-variant": "checked",      # the post has no proof
    "C3.exp-closed-form": "proved", "C3.implicit-gradient": "proved", "C3.reference": "checked",
    "C4.laplace-closed-form": "proved", "C4.reference": "checked",
}


def _mp(dps, fn, *args):
    with mpmath.workdps(dps):
        return fn(*args)


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.laplace-k1",))


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert "difference = -1/2" in ctl["N2.stackexchange"].counterexample["text"]       # limit 1/2, not 1, at x_1
    assert ctl["N2.50-digit-trap"].counterexample["lhs"].startswith("[0.5; 2.537979448")  # with the 436 guard digits
    assert "gap 2.7e-9" in ctl["N2.card-p2-digits"].counterexample["text"]
    assert "1.712171480224055" in ctl["N3.no-saturation"].counterexample["text"]


def test_erratum_laplace_k1(verified):
    (e,) = verified.errata
    assert e.correction.verdict == "proved"
    cx = e.post.counterexample
    assert cx["lhs"].endswith("0.628179548445786]") and cx["rhs"].endswith("0.643914259887972]")


def test_lowest_order_limits_strategy():
    q = topk.q
    assert topk.lowest_order_limits(sp.Limit((2 * q + q ** 2) / (q + 3 * q ** 3), q, 0, "+")) == 2
    assert topk.lowest_order_limits(sp.Limit(q ** 2 / (q + 1), q, 0, "+")) == 0
    assert topk.lowest_order_limits(sp.Limit(1 / q, q, 0, "+")) == sp.oo


def test_precision_trap_float64_accepts_tau_1_50():
    """float64 runs the iteration as written and lands on T_2 (1 - p_max rounds to 0)."""
    x = np.array([3.0, 2.0, 1.0, 4.0]) / (1 / 50)
    p1 = np.exp(x - x.max()) / np.exp(x - x.max()).sum()
    w = 1 - p1
    assert w[3] == 0.0
    step = w * np.exp(x - x.max()) / (w * np.exp(x - x.max())).sum()
    assert np.max(np.abs(p1 + step - [1, 0, 0, 1])) < 1e-15
    assert _mp(60, num.iteration_stable, (3, 2, 1, 4), "0.02")[3] == pytest.approx(1.5, abs=1e-20)


def test_precision_trap_tau_1e_3_fools_every_fixed_precision():
    """At tau = 1e-3 the naive iteration equals T_2 to 400+ digits at 60, 80 and 140 digits; with the 436 guard
    digits it is (1/2, ..., 3/2)."""
    for dps in (60, 80, 140):
        p = _mp(dps, num.iteration_naive, (3, 2, 1, 4), "0.001")
        assert max(abs(a - b) for a, b in zip(p, (1, 0, 0, 1))) < mpmath.mpf(10) ** -400
    assert num.guard_digits((3, 2, 1, 4), 1e-3) == 436
    with mpmath.workdps(60):
        p = [topk.P2Guarded.evaluator(i, 1000) for i in range(4)]
    assert abs(p[0] - 0.5) < 1e-55 and abs(p[3] - 1.5) < 1e-55


def test_card_reference_for_tau_001_is_itself_a_precision_artefact():
    """The card prints p2 = (0.5000000027, ..., 1.499999997) at tau = 0.01; the true entries are 1/2 and 3/2 up to
    O(e^-100). Around 50 digits the naive formula produces exactly this kind of 1e-9 error."""
    exact = _mp(60, num.iteration_stable, (3, 2, 1, 4), "0.01")
    assert abs(exact[0] - mpmath.mpf(1) / 2) < 1e-43 and abs(exact[3] - mpmath.mpf(3) / 2) < 1e-43
    assert float(exact[1]) == pytest.approx(1.86e-44, rel=1e-2) and float(exact[2]) == pytest.approx(6.92e-88, rel=1e-2)
    at50 = _mp(50, num.iteration_naive, (3, 2, 1, 4), "0.01")
    assert 1e-10 < abs(at50[0] - 0.5) < 1e-7


def test_gradtopk_references():
    assert [float(v) for v in _mp(50, num.gradtopk_enumeration, (3, 2, 1, 4), 2)] == pytest.approx(
        [0.694413304626559, 0.305586695373441, 0.119202922022118, 0.880797077977882], rel=1e-14)
    vals = _mp(50, num.gradtopk_recurrence, ("0.5", "-1", "2", "0", "1.5"), 2)
    assert float(mpmath.fsum(vals)) == pytest.approx(2, rel=1e-15)
    assert float(vals[2]) == pytest.approx(0.77438049265192, rel=1e-13)


def test_threshold_references():
    lam, m = _mp(40, num.threshold_exp_closed, (3, 2, 1, 4), 2)
    assert m == 1 and float(lam) == pytest.approx(3.4076059644443803, rel=1e-15)
    lam, m = _mp(40, num.threshold_laplace_closed, ("0.5", "-1", "2", "0", "1.5"), 2)
    assert m == 2 and float(lam) == pytest.approx(1.0650268105783108, rel=1e-15)
    assert float(_mp(40, num.threshold_bisection, (3, 2, 1, 4), 2, num.f_sigmoid)) == pytest.approx(2.5, abs=1e-30)
    top = _mp(40, lambda: num.f_laplace(4 - num.threshold_bisection((3, 2, 1, 4), 1, num.f_laplace)))
    assert float(top) == pytest.approx(0.628179548446, abs=1e-12)
    with mpmath.workdps(40):
        closed = sp.N(topk.laplace_threshold(0, 1, 1), 40)
        assert abs(num.threshold_bisection((3, 2, 1, 4), 1, num.f_laplace) - mpmath.mpf(str(closed))) < 1e-35
