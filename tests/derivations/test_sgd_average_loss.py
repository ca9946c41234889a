"""SGD average loss (spec sgd-average-loss.md): the verdict of every claim, control and erratum, the exact witnesses of
the dropped hypotheses, the regret chain's certificate, and the spec's reference values of the runs."""
import math
from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations.engine.hypotheses import dropped, relaxed, rerun, undropped
from derivations.sgd_average_loss import numerics as num
from derivations.sgd_average_loss.claims import CHAIN_DROPS, ball_bounds, c1_chain, chain, run_bound

SLUG = "sgd-average-loss"
VERDICTS = {
    "C1.expansion": "proved", "C1.rearranged": "proved", "C1.convexity": "proved", "C1.summation-by-parts": "proved",
    "C1.telescoping": "proved", "C1.chain": "proved", "C1.abs-example": "proved", "C1.eta1-variant": "proved",
    "C1.simulation": "certified", "C2.perfect-square": "proved", "C2.bound": "proved", "C2.argmin": "proved",
    "C2.convex-example": "certified", "C3.per-term": "proved", "C3.telescoping": "proved", "C3.sum-bound": "checked",
    "C3.instances": "certified", "C4.first-term": "proved", "C4.bound": "checked", "C4.tighter": "proved",
    "C4.best-alpha": "proved", "C5.identity": "proved", "C5.projection": "checked",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.constants",))


def test_every_inequality_of_the_chain_has_an_exact_certificate(verified):
    claims = by_id(verified.claims)
    for cid in ("C1.convexity", "C1.chain", "C2.bound", "C3.per-term", "C4.tighter"):
        assert claims[cid].method.startswith("certificate"), cid
    regret, bound, cert = chain()
    assert sp.expand(bound - regret - cert) == 0 and cert.is_nonnegative


def test_every_chain_hypothesis_is_dropped_and_needed(verified):
    assert undropped(c1_chain, CHAIN_DROPS) == []
    controls = by_id(verified.negative_controls)
    for h in ("H1", "H2", "H3", "H4", "C5"):
        r = controls[f"C1.chain/drop:{h}"]
        assert float(r.counterexample["difference"]) > 0                 # lhs - rhs: the regret exceeds the bound
        assert float(r.counterexample["at"]["D"]) > 0 and float(r.counterexample["at"]["u_1"]) > 0
    at = controls["C1.chain/drop:H4"].counterexample["at"]              # an increasing rate, nothing else relaxed
    assert min(float(at["delta_2"]), float(at["delta_3"])) < 0
    assert all(0 <= float(at[k]) <= 1 for k in ("s_1", "s_2", "s_3", "q_1", "q_2", "q_3"))


def test_spec_witnesses_are_exact(verified):
    controls = by_id(verified.negative_controls)
    # N1: 0.500695 - 0.9505; N2: 0.020495 - 0.95149 (exact rational margins)
    assert "-89961/200000" in controls["C1.abs-example/drop:H4"].counterexample["text"]
    assert "-186199/200000" in controls["C1.eta1-variant/drop:nondecreasing"].counterexample["text"]
    n3 = controls["C2.convex-example/drop:H2"].counterexample
    assert float(n3["lhs"]) == pytest.approx(0.99935, abs=1e-5) and float(n3["rhs"]) == pytest.approx(0.30990, abs=1e-5)
    assert controls["C5.projection/drop:convex"].counterexample["lhs"] == "4.0"   # |Pi(phi) - theta|^2 = 2^2
    (e,) = verified.errata
    assert "-16/9" in e.evidence and e.correction.verdict == "proved"            # 3.5 > 1.7222 = 31/18


def test_rerun_reports_each_hypothesis():
    (name, needed, r), = rerun(c1_chain, CHAIN_DROPS[3:4], digits=20)
    assert name == "H4" and needed and r.verdict == "refuted" and r.counterexample


def test_relaxed_statement_drops_the_certificate():
    stmt = relaxed(c1_chain.build(), CHAIN_DROPS[3].relax)
    assert stmt.certificate is None
    assert all(s.is_real and not s.is_nonnegative for s in stmt.variables if s.name.startswith("delta"))
    controls, holds = dropped(c1_chain, CHAIN_DROPS)
    assert len(controls) == 5 and holds == ()


def test_exact_runs_and_their_bounds():
    n1, n2 = num.n1_schedule(), num.n2_schedule()
    assert num.abs_loss_regret(n1) == Fraction(9505, 10000) and run_bound(2, 1, n1) == sp.Rational(500695, 1000000)
    assert num.abs_loss_regret(n2) == Fraction(95149, 100000)
    assert run_bound(2, 1, n2, first=True) == sp.Rational(20495, 1000000)
    assert run_bound(2, 1, n2) == sp.Rational(20010495, 1000000)              # the eta_T bound holds
    regret, its, _ = num.plain_quadratic_run()
    assert its == [1, -2, 4] and regret == Fraction(7, 2)
    assert run_bound(2, 1, [Fraction(3)] * 3) == sp.Rational(31, 18)


def test_runs_at_the_working_precision():
    """The quartic (spec N3) settles at the local minimum 0.93040; the runs agree with float64 and move with the
    precision only in their last digits."""
    regret, rhs, last, xs = num.quartic_float()
    assert abs(last - 0.93040) < 1e-4 and xs == pytest.approx(-1.0574538, abs=1e-6)
    assert rhs == pytest.approx(0.30990, abs=1e-5) and regret == pytest.approx(0.99935, abs=1e-4)
    with mpmath.workdps(30):
        assert float(num.quartic_minimiser()) == pytest.approx(-1.0574537707, abs=1e-9)
        convex30 = num.convex_regret()
    with mpmath.workdps(50):
        convex50 = num.convex_regret()
    assert abs(convex50 - convex30) < mpmath.mpf(10) ** -28 and 0 < convex50 < 0.18


def test_simulation_on_the_ball():
    const, root = ball_bounds()
    assert float(const) == pytest.approx(0.028284, abs=1e-6) and float(root) == pytest.approx(0.039794, abs=1e-6)
    assert num.ball_bound("constant") == pytest.approx(float(const), rel=1e-12)
    assert num.ball_bound("sqrt") == pytest.approx(float(root), rel=1e-12)
    with mpmath.workdps(20):
        for schedule, bound in (("constant", const), ("sqrt", root)):
            regret = num.ball_regret(schedule)
            ts, avg, _ = num.ball_running(schedule)
            assert 0 < regret < float(bound) and float(regret) == pytest.approx(avg[-1], rel=1e-9)


@pytest.mark.slow
def test_figures_draw_with_labelled_axes():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from derivations import load
    for f in load(SLUG).figures:
        fig = Figure()
        f.draw(fig)
        assert f.caption and all(ax.get_xlabel() for ax in fig.axes) and fig.axes[0].get_ylabel(), f.name
    assert math.isclose(2 * math.sqrt(2) / 100, 0.0282843, abs_tol=1e-7)


def test_a_convexity_bound_raised_by_a_thousandth_is_refuted_by_descent():
    # false only in a thin wedge of its seven variables (a = (1, 0), b = 0, theta = (1, 0),
    # theta* = (1.001, 0)): the descent from the smallest sampled margin must reach it
    from dataclasses import replace

    from derivations.engine.verify import verify_claim
    from derivations.sgd_average_loss import DERIVATION
    claim = next(c for c in DERIVATION.claims if c.id == "C1.convexity")
    stmt = claim.build()
    raised = replace(claim, build=lambda: replace(stmt, rhs=stmt.rhs * (1 + sp.Rational(1, 1000))))
    r = verify_claim(raised, digits=30, seed=0, timeout=10)
    assert r.verdict == "refuted" and "found by descent" in r.detail
    assert verify_claim(claim, digits=30, seed=0, timeout=10).verdict == "proved"
