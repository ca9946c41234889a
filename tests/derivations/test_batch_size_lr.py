"""batch-size-lr (post 10542): every claim, control and erratum, and the spec's reference values.

Claims are evaluated in-process with the engine's per-claim evaluator (the forked driver adds
only isolation), so the module's cached derivations are shared and the module stays fast.
"""
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from derivations import batch_size_lr as m
from derivations.engine.render import latex_claims
from derivation_results import verify_by_id
from derivations.engine.verify import derivation_verdict
from numeric import batch_size_lr as nb

D = m.DERIVATION


@pytest.fixture(scope="module")
def results():
    return verify_by_id(D)


PROVED = {"C1.batch_moments", "C2-C3.scaling_rules", "C3.stationary_variance", "C4.expected_loss", "C5.optimal_lr",
          "C5.toy", "C6.shape", "C7.B_simple", "C8.optimal_decrease", "C9.steps_data", "C10.sign_moments",
          "C11.surrogate", "C12.sign_optimum", "C13.large_batch", "C14.diagonal", "C15.mean_field_peak",
          "C15.exact_peak", "C16.decrease"}
CHECKED = {"C11.erf_gap", "C14.mean_field_gap", "C15.surge_example", "C15.peak_location_gap", "C15.surrogate_law_gap"}


def test_every_claim_has_its_verdict(results):
    claims, controls, errata = results
    assert set(claims) == PROVED | CHECKED
    assert {k for k, r in claims.items() if r.verdict == "proved"} == PROVED
    assert {k for k, r in claims.items() if r.verdict == "checked"} == CHECKED
    assert derivation_verdict(list(claims.values()), list(controls.values()), errata) == "verified"


def test_proofs_are_derivations_with_numeric_agreement(results):
    claims, _, _ = results
    c5 = claims["C5.optimal_lr"]
    assert c5.symbolic == "proved" and "stationary point" in c5.method and c5.numeric == "agree"
    assert "relative error" in c5.detail  # the d=5 Monte Carlo argmin
    for cid in ("C4.expected_loss", "C9.steps_data", "C16.decrease", "C13.large_batch"):
        assert claims[cid].numeric == "agree" and claims[cid].digits == 50
    assert "Gaussian antiderivatives" in claims["C10.sign_moments"].method
    assert "SymPy limit" in claims["C6.shape"].method and "manifestly > 0" in claims["C6.shape"].method
    assert "certificate (D*t + delta)/(t + 1)" in claims["C15.mean_field_peak"].method
    assert claims["C15.exact_peak"].digits == 30


def test_monte_carlo_claims_report_their_tolerance(results):
    claims, _, _ = results
    for cid in ("C1.batch_moments", "C3.stationary_variance", "C10.sign_moments", "C12.sign_optimum", "C5.toy"):
        assert "tolerance 4 SE" in claims[cid].detail, cid
    assert "beats its neighbours" in claims["C5.toy"].detail


def test_approximation_gaps(results):
    claims, _, _ = results
    assert claims["C11.erf_gap"].gap.startswith("0.10783")
    assert claims["C15.peak_location_gap"].gap.startswith("0.1302")
    assert 0.05 < float(claims["C15.surrogate_law_gap"].gap) < 0.12
    assert 0.2 < float(claims["C14.mean_field_gap"].gap) < 0.25


def test_controls_refuted_with_counterexamples(results):
    _, controls, _ = results
    assert len(controls) == 8 and all(r.verdict == "refuted" for r in controls.values())
    text = {k: (r.counterexample or {}).get("text", "") for k, r in controls.items()}
    assert "1465/2776" in text["N1.inverted_ratio"]  # 200/347 - 135/2776
    assert "100/347" in text["N2.spurious_half"]
    assert "3/10" in text["N3.wrong_denominator"]
    assert "Sigma/B^2" in text["N4.wrong_power_of_B"] and "Sigma/B^0.5" in text["N4.wrong_power_of_B"]
    assert "0.603856" in text["N5.missing_sqrt2"] and "truth 0.4515" in text["N5.missing_sqrt2"]
    assert "-1/2" in text["N7.linear_small_batch_sign"]
    assert "-3/80" in text["N.B_simple_general_H"]
    assert controls["N6.product_is_B_noise"].counterexample["lhs"] == "1.0"


def test_errata(results):
    _, _, errata = results
    by = {e["id"]: e for e in errata}
    assert len(by) == 3 and all(e["ok"] for e in errata)
    assert "sqrt(2)/6" in by["E1.eta_hat_is_not_the_limit"]["evidence"]
    assert "-2/11" in by["E1.eta_hat_is_not_the_limit"]["evidence"]
    assert by["E2.reused_names"]["post_says_result"]["verdict"] == "refuted"
    assert by["E3.offdiagonal_is_not_enough"]["correct_result"]["verdict"] == "proved"
    assert "1.11111" in by["E3.offdiagonal_is_not_enough"]["evidence"]  # beta_n^2 = 10/9


def test_toy_reference_values_exact():
    lhs, rhs, _ = m._c5_toy()
    assert lhs == rhs
    assert lhs[8] == sp.Rational(200, 347) and lhs[11] == sp.Rational(500, 347)
    assert float(lhs[8]) == pytest.approx(0.5763688760806917, rel=1e-15)
    assert float(lhs[11]) == pytest.approx(1.440922190201729, rel=1e-15)
    assert m._toy_decrease(1) - m._toy_decrease(sp.Rational(4, 5)) == sp.Rational(20, 347)


def test_derived_optimum_and_hyperbola():
    root, closed, _ = m._c5()
    assert sp.cancel(root - closed) == 0
    S, E, E_min, product = m.steps_data(sp.Symbol("L", positive=True) / (1 + m.Bn / m.B))
    assert product == 1 and sp.cancel(E_min - m.Bn * m.S_min) == 0


def test_surge_values_and_peaks():
    g, H, sigma = m.surge_numeric()
    with mpmath.workdps(30):
        vals = [nb.sign_eta_exact(B, g, H, sigma) for B in (1, 2, 4, 8, 16)]
        peak = nb.argmax_log(lambda B: nb.sign_eta_exact(B, g, H, sigma), 1.6, 30)
        top = nb.sign_eta_exact(peak, g, H, sigma)
    assert [round(float(v), 7) for v in vals] == [0.2306997, 0.2345502, 0.2204149, 0.2008510, 0.1871636]
    assert float(peak) == pytest.approx(8 * float(mpmath.erfinv(math.sqrt(2) / 3)) ** 2, rel=1e-12)
    assert round(float(peak), 5) == 1.58836 and round(4 * math.pi / 7, 5) == 1.79520
    assert float(top) == pytest.approx(math.sqrt(2) / 6, rel=1e-12)  # same peak value as the mean field
    assert vals[0] < vals[1] > vals[2] > vals[3] > vals[4] > 2 / 11


def test_monte_carlo_helpers_judge_honestly():
    est, se = nb.sign_mean_mc(0.5, 8, 200_000, 1)
    assert abs(est - math.erf(1.0)) < 4 * se
    assert abs(est - math.erf(math.sqrt(8) * 0.5)) > 20 * se  # N5's wrong value is far outside
    ok = nb.mc_rows_outcome([("x", 1.0, 0.1, 1.3)], "t", 10, 0)
    bad = nb.mc_rows_outcome([("x", 1.0, 0.1, 1.5)], "t", 10, 0)
    assert ok.status == "agree" and bad.status == "disagree" and "5.0 SE" in bad.counterexample["text"]


def test_reference_outcome_tolerances():
    one_third = lambda dps: [mpmath.mpf(1) / 3]  # noqa: E731
    assert nb.reference_outcome(one_third, ["0.3333333"]).status == "agree"
    assert nb.reference_outcome(one_third, ["0.3333336"]).status == "disagree"
    assert nb.reference_outcome(one_third, ["0.33333333333333331"]).status == "agree"  # binary64 print
    assert nb.reference_outcome(one_third, ["0.33333333333336"]).status == "disagree"


def test_erf_gap_location():
    gap, x = nb.max_abs_gap(lambda t: mpmath.erf(t) - t / mpmath.sqrt(t * t + mpmath.pi / 4), 0, 8, 30)
    assert float(gap) == pytest.approx(0.10784, abs=1e-5) and float(x) == pytest.approx(1.33, abs=0.01)


def test_sgd_beats_neighbours_monte_carlo():
    samples = nb.one_step_decrease_samples(200 / 347, [0.8, 1.0, 1.2], 4, 100_000, 3)
    means = {f: s.mean() for f, s in samples.items()}
    assert means[1.0] > means[0.8] and means[1.0] > means[1.2]
    assert means[1.0] == pytest.approx(500 / 347, abs=4 * samples[1.0].std() / np.sqrt(100_000))


def test_latex_prints_the_three_laws():
    tex = latex_claims(D)
    assert r"\frac{B g^\top g}{B g^\top Hg + \mathrm{tr}(\Sigma H)}" in tex  # SGD, derived
    assert r"\frac{G_{1}}{D \sqrt{1 + \frac{\pi \kappa^{2}}{2 B}}}" in tex  # SignSGD, diagonal
    assert r"\frac{G_{1} \beta}{D + O \beta^{2}}" in tex  # SignSGD, general H
    statements = [c.statement for c in D.claims + D.controls] + [x.statement for e in D.errata
                                                                   for x in (e.post_says, e.correct)]
    assert all("$" not in s and "\n\n" not in s and s.count("{") == s.count("}") for s in statements)
