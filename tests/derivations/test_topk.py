"""Smooth Top-K (catalog cards topk-C1..C4): verdicts, controls, the precision trap, the erratum, reference values."""
import mpmath
import numpy as np
import pytest

from derivations.engine.verify import verify_derivation
from derivations.topk import DERIVATION
from numeric import topk as num


@pytest.fixture(scope="module")
def res():
    return verify_derivation(DERIVATION)


def _mp(dps, fn, *args):
    with mpmath.workdps(dps):
        return fn(*args)


def test_verified_with_honest_verdicts(res):
    assert res.verdict == "verified"
    got = {c.id: c.verdict for c in res.claims}
    assert got.pop("C2.author-variant") == "checked"         # the post has no proof: checked only
    assert set(got.values()) == {"proved"} and len(got) == 10


def test_controls_refuted(res):
    ctl = {c.id: c for c in res.negative_controls}
    assert all(c.verdict == "refuted" and c.counterexample for c in ctl.values()) and len(ctl) == 6
    assert "(1/2, 0, 0, 3/2)" in ctl["C2.stackexchange"].counterexample["text"]
    assert "guard digits" in ctl["C2.50-digit-trap"].counterexample["text"]
    assert ctl["C3.no-saturation"].counterexample["lhs"].startswith("1.712")


def test_erratum_laplace_k1(res):
    (e,) = res.errata
    assert e["ok"] and e["correct_result"]["verdict"] == "proved"
    assert "0.628179548446" in e["evidence"] and "0.643914259888" in e["evidence"]


def test_precision_trap_float64_accepts_tau_1_50():
    """float64 runs the iteration as written and lands on T_2 (1 - p_max rounds to 0)."""
    x = np.array([3.0, 2.0, 1.0, 4.0]) / (1 / 50)
    p1 = np.exp(x - x.max()) / np.exp(x - x.max()).sum()
    w = 1 - p1
    assert w[3] == 0.0
    step = w * np.exp(x - x.max()) / (w * np.exp(x - x.max())).sum()
    assert np.max(np.abs(p1 + step - [1, 0, 0, 1])) < 1e-15
    # ... while the true p2 is far from it
    assert _mp(60, num.iteration_stable, (3, 2, 1, 4), "0.02")[3] == pytest.approx(1.5, abs=1e-20)


def test_precision_trap_tau_1e_3_fools_every_fixed_precision():
    """At tau = 1e-3 the naive iteration equals T_2 to 400+ digits at 60, 80 and 140 digits; with the 436 guard
    digits it is (1/2, ..., 3/2)."""
    for dps in (60, 80, 140):
        p = _mp(dps, num.iteration_naive, (3, 2, 1, 4), "0.001")
        assert max(abs(a - b) for a, b in zip(p, (1, 0, 0, 1))) < mpmath.mpf(10) ** -400
    assert num.guard_digits((3, 2, 1, 4), 1e-3) == 436
    with mpmath.workdps(60 + 436):
        p = num.iteration_naive((3, 2, 1, 4), "0.001")
        assert abs(p[0] - 0.5) < 1e-55 and abs(p[3] - 1.5) < 1e-55   # 496 - 436 = 60 digits survive


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
    x_small = ("0", "0.1", "-0.2", "0.3")
    out = _mp(40, lambda: [num.f_laplace(mpmath.mpf(t) - num.threshold_bisection(x_small, 1, num.f_laplace))
                           for t in x_small])
    assert [float(v) for v in out] == pytest.approx([float(v) for v in _mp(40, num.softmax, x_small)], rel=1e-15)


def test_generic_rule_refutes_the_naive_iteration_at_both_temperatures():
    """The naive iteration is not T_2: at tau = 1/50 the two sides already differ at 60 digits; at
    tau = 1/1000, 1 - p_max cancels 436 digits, so at 60 digits the naive formula returns
    (1.0, 5.1e-435, 2.6e-869, 1.0), which is not its value: the error bound says so, and the
    comparison resolves it at the precision the bound asks for, (0.5, 2.5e-435, 1.3e-869, 1.5), as
    C2.50-digit-trap computes with its own guard digits (the rule used to refute on the unresolved
    values, through the stable off-diagonal entries of the difference)."""
    import sympy as sp

    from derivations import topk
    from numeric.identity import test_identity
    assert test_identity(topk._naive_sympy(sp.Rational(1, 50)), sp.Matrix(topk.T2_A), {}, 50, 0).status == "disagree"
    out = test_identity(topk._naive_sympy(sp.Rational(1, 1000)), sp.Matrix(topk.T2_A), {}, 50, 0)
    assert out.status == "disagree" and out.counterexample["dps"] > 436
    assert out.counterexample["worst"]["entry"] == [0, 0]
    assert float(out.counterexample["worst"]["lhs"]) == pytest.approx(0.5, rel=1e-12)
    assert out.counterexample["lhs"].startswith("[0.5; 2.53797944877473e-435; 1.28826793648057e-869; 1.5")
