"""sgd-average-loss: the regret chain, schedules, projection lemma, dropped hypotheses, simulation."""
import math
from fractions import Fraction

import pytest
import sympy as sp

from derivations.engine.hypotheses import dropped, relaxed, rerun, undropped
from derivations.engine.verify import verify_derivation
from derivations.sgd_average_loss import (CHAIN_DROPS, DERIVATION, c1_chain, c3_instances, chain)
from numeric import certify
from numeric import sgd_average_loss as num


@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def by_id(items):
    return {r.id: r for r in items}


def test_verified(result):
    assert result.verdict == "verified"


def test_exact_steps_are_proved(result):
    claims = by_id(result.claims)
    for cid in ("sgd.step1.expansion", "sgd.step2.rearranged", "sgd.step5.summation_by_parts", "sgd.step6.telescoping",
                "sgd.C2.perfect_square", "sgd.C2.argmin", "sgd.C3.telescoping", "sgd.C4.first_term",
                "sgd.C4.best_alpha", "sgd.C5.identity"):
        assert claims[cid].verdict == "proved", cid
    # every "<=" of the chain is a sign condition with an exact certificate
    for cid in ("sgd.step3.convexity", "sgd.C1.chain", "sgd.C2.bound", "sgd.C3.per_term"):
        assert claims[cid].verdict == "proved" and claims[cid].method.startswith("certificate"), cid
    for cid in ("sgd.C1.abs_example", "sgd.C1.eta1_variant"):
        assert claims[cid].method == "exact rational arithmetic"


def test_numeric_claims_are_not_called_proofs(result):
    claims = by_id(result.claims)
    for cid in ("sgd.C1.simulation", "sgd.C2.convex_example", "sgd.C3.sum_bound", "sgd.C4.bound", "sgd.C5.projection"):
        assert claims[cid].verdict == "checked", cid
    assert claims["sgd.C3.instances"].verdict == ("certified" if certify.AVAILABLE else "checked")


def test_chain_certificate_is_the_margin():
    regret, bound, cert = chain()
    assert sp.expand(bound - regret - cert) == 0
    assert cert.is_nonnegative


def test_every_chain_hypothesis_is_dropped_and_needed(result):
    assert undropped(c1_chain, CHAIN_DROPS) == []
    controls = by_id(result.negative_controls)
    for h in ("H1", "H2", "H3", "H4", "C5"):
        r = controls[f"sgd.C1.chain/drop:{h}"]
        assert r.verdict == "refuted", h
        at = r.counterexample["at"]
        assert float(r.counterexample["difference"]) > 0  # lhs - rhs: the regret exceeds the bound
        assert float(at["D"]) > 0 and float(at["u_1"]) > 0  # a genuine point: positive rates and diameter
    # H4's witness has an increasing rate (negative delta) and nothing else relaxed
    at = controls["sgd.C1.chain/drop:H4"].counterexample["at"]
    assert min(float(at["delta_2"]), float(at["delta_3"])) < 0
    assert all(0 <= float(at[k]) <= 1 for k in ("s_1", "s_2", "s_3", "q_1", "q_2", "q_3"))


def test_rerun_reports_each_hypothesis():
    out = rerun(c1_chain, CHAIN_DROPS[3:4], digits=20)
    (name, needed, r), = out
    assert name == "H4" and needed and r.verdict == "refuted" and r.counterexample


def test_relaxed_statement_drops_the_certificate():
    stmt = relaxed(c1_chain.build(), CHAIN_DROPS[3].relax)
    assert stmt.certificate is None
    assert all(s.is_real and not s.is_nonnegative for s in stmt.variables if s.name.startswith("delta"))
    controls, holds = dropped(c1_chain, CHAIN_DROPS)
    assert len(controls) == 5 and holds == ()


def test_spec_witnesses_are_exact(result):
    controls = by_id(result.negative_controls)
    assert "0.9505 > bound 0.500695" in controls["sgd.C1.abs_example/drop:H4"].counterexample["text"]
    assert "0.95149 > bound 0.020495" in controls["sgd.C1.eta1_variant/drop:nondecreasing"].counterexample["text"]
    text = controls["sgd.C2.convex_example/drop:H2"].counterexample["text"]
    assert "0.93040" in text and "0.99935 > DG/sqrt(T) = 0.30990" in text
    assert "= 2 > |phi - theta| = 1.1" in controls["sgd.C5.projection/drop:convex"].counterexample["text"]
    for cid in ("sgd.N5.min_factor_two", "sgd.N6.sum_le_sqrtT", "sgd.N7.rate_D_over_GT"):
        assert controls[cid].verdict == "refuted" and controls[cid].counterexample, cid


def test_erratum_two_senses(result):
    (e,) = result.errata
    assert e["ok"] and "3.5 > bound 1.72222" in e["evidence"]
    assert e["correct_result"]["verdict"] == "proved"


def test_one_dimensional_runs():
    n1 = num.n1_schedule()
    assert num.abs_loss_regret(n1) == Fraction(9505, 10000) and num.bound(2, 1, n1) == Fraction(500695, 1000000)
    n2 = num.n2_schedule()
    assert num.abs_loss_regret(n2) == Fraction(95149, 100000)
    assert num.bound(2, 1, n2, first=True) == Fraction(20495, 1000000)
    assert num.bound(2, 1, n2) == Fraction(20010495, 1000000)  # the eta_T bound holds
    regret, its, _ = num.plain_quadratic_run()
    assert its == [1, -2, 4] and regret == Fraction(7, 2)


def test_quartic_settles_at_local_minimum():
    regret, rhs, last, xs = num.quartic_run()
    assert abs(last - 0.93040) < 1e-4 and abs(xs + 1.0574538) < 1e-6
    assert rhs == pytest.approx(0.30990, abs=1e-5) and regret == pytest.approx(0.99935, abs=1e-4)


def test_projected_sgd_simulation():
    for schedule, rhs in (("constant", 0.028284), ("sqrt", 0.039794)):
        r = num.simulate_ball(schedule=schedule)
        assert r["bound"] == pytest.approx(rhs, abs=1e-6)
        assert 0 < r["regret"] <= r["bound"]
        assert r["max_dist"] <= r["D"] and abs(r["max_grad"] - 1) < 1e-12
    # the constant rate is D/(G sqrt T): its bound is DG/sqrt(T)
    assert num.bound(2.0, 1.0, [2 / math.sqrt(5000)] * 5000) == pytest.approx(2 / math.sqrt(5000))


def test_projections_are_non_expansive():
    for project, sampler in ((num.ball_projection, num.in_ball), (num.box_projection, num.in_box)):
        vi, expand = num.variational_inequality(project, n=20_000, sampler=sampler)
        assert vi >= -1e-12 and expand <= 1e-12


def test_c3_instances_without_flint(monkeypatch):
    monkeypatch.setattr(certify, "AVAILABLE", False)
    out = c3_instances.cross_check(30, 0)
    assert out.status == "agree"


@pytest.mark.skipif(not certify.AVAILABLE, reason="python-flint not installed")
def test_c3_instances_certified_with_flint():
    out = c3_instances.cross_check(30, 0)
    assert out.status == "certified" and out.digits == 28
