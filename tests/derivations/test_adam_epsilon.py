"""adam-epsilon (post 10563): every claim, control and erratum, and the spec's reference values.

Claims are evaluated in-process with the engine's per-claim evaluator (the forked driver adds
only isolation), so cached derivations are shared and the module stays fast.
"""
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from derivations import adam_epsilon as m
from derivations.engine.render import latex_claims
from derivation_results import verify_by_id
from derivations.engine.verify import derivation_verdict
from numeric import adam_epsilon as na
from numeric.evaluate import evaluate

D = m.DERIVATION


@pytest.fixture(scope="module")
def results():
    return verify_by_id(D)


PROVED = {"C1.limits", "C2.surrogates", "C3.clip_mean", "C4.mean_algebra", "C5.clip_second_moment",
          "C5.second_moment_algebra", "C6.optimal_lr", "C7.surge_condition", "C8.large_epsilon"}
CHECKED = {"C2.clip_gap", "C4.mean_gap", "C5.clip_shape", "C5.second_moment_gap", "C4-C5.reference_table",
           "C6.example", "C9.counterexamples"}


def test_every_claim_has_its_verdict(results):
    claims, controls, errata = results
    assert set(claims) == PROVED | CHECKED
    assert {k for k, r in claims.items() if r.verdict == "proved"} == PROVED
    assert {k for k, r in claims.items() if r.verdict == "checked"} == CHECKED
    assert derivation_verdict(list(claims.values()), list(controls.values()), errata) == "verified"


def test_proof_methods_and_cross_checks(results):
    claims, _, _ = results
    c3 = claims["C3.clip_mean"]
    assert "Gaussian antiderivatives" in c3.method and c3.digits == 25 and "mpmath.quad" in c3.detail
    assert "Q = 2D - delta: monotone" in claims["C7.surge_condition"].method
    assert "D*delta**2/(D + delta)" in claims["C7.surge_condition"].method
    assert "SymPy limits" in claims["C8.large_epsilon"].method and claims["C8.large_epsilon"].numeric == "agree"
    assert "d beta/dB manifestly > 0" in claims["C6.optimal_lr"].method
    assert "Monte Carlo" in claims["C4-C5.reference_table"].detail and "tolerance 4 SE" in claims["C4-C5.reference_table"].detail


def test_approximation_gaps(results):
    claims, _, _ = results
    assert claims["C2.clip_gap"].gap == "0.292893"  # 1 - 1/sqrt(2)
    assert 0.08 < float(claims["C4.mean_gap"].gap) < 0.1
    assert 0.29 < float(claims["C5.second_moment_gap"].gap) < 0.35


def test_controls_refuted(results):
    _, controls, _ = results
    assert len(controls) == 6 and all(r.verdict == "refuted" for r in controls.values())
    assert controls["N2.constant_pi_over_4"].counterexample["difference"].startswith("0.785398")  # pi/4
    n5 = controls["N5.limit_without_pi_half"].counterexample
    assert n5["lhs"].startswith("0.491854257740165") and n5["rhs"].startswith("0.542635658914729")
    assert controls["N3.second_moment_without_pi_half"].counterexample["rhs"] == "0.0"
    assert controls["N6.wrong_limit"].counterexample["lhs"] == "0.0"
    assert controls["N7.larger_epsilon_never_surges"].counterexample["lhs"].startswith("12.24166")


def test_errata(results):
    _, _, errata = results
    by = {e["id"]: e for e in errata}
    assert len(by) == 3 and all(e["ok"] for e in errata)
    assert "1.11111" in by["E1.surge_needs_Q_gt_2D"]["evidence"]  # beta*^2 = 10/9 at Q = 19
    assert "12.2416" in by["E2.epsilon_can_create_a_surge"]["evidence"]
    assert by["E2.epsilon_can_create_a_surge"]["correct_result"]["verdict"] == "proved"
    assert "0.5426356" in by["E3.pi_half_is_an_artifact"]["evidence"]
    assert by["E3.pi_half_is_an_artifact"]["correct_result"]["verdict"] == "checked"


def test_clip_mean_closed_form_against_quadrature():
    F = m.F_closed(m.a_, m.b_)
    with mpmath.workdps(30):
        for a, b in ((0.7, 0.4), (-1.3, 2.5)):
            quad = na.clip_mean_quad(a, b)
            closed = evaluate(F, {m.a_: a, m.b_: b}, 30)
            assert abs(quad - closed) < mpmath.mpf(10) ** -25
    assert float(evaluate(sp.diff(F, m.a_).subs(m.a_, 0), {m.b_: 1}, 20)) == pytest.approx(0.68268949213708589717)


def test_spec_F_values_are_at_binary64_inputs():
    F = m.F_closed(m.a_, m.b_)
    with mpmath.workdps(40):
        spec = mpmath.mpf("0.218395190914619028387171")
        at_float = evaluate(F, {m.a_: mpmath.mpf(0.3), m.b_: mpmath.mpf(0.7)}, 40)
        at_decimal = evaluate(F, {m.a_: mpmath.mpf(3) / 10, m.b_: mpmath.mpf(7) / 10}, 40)
        assert abs(at_float - spec) < mpmath.mpf(10) ** -24
        assert abs(at_decimal - spec) > mpmath.mpf(10) ** -18  # the spec's "25 digits" hold for 0.3 as a double only
        slope = lambda b: mpmath.erf(b / mpmath.sqrt(2)) / b  # noqa: E731
        assert mpmath.nstr(slope(mpmath.mpf(0.1)), 20) == "0.79655674554057962916"  # the spec's value
        assert mpmath.nstr(slope(mpmath.mpf(1) / 10), 20) == "0.79655674554057962931"  # at the decimal 1/10


def test_moment_table():
    s1, s2 = na.softsign_moments(1.0, 1.0)
    c1, c2 = na.clip_moments(1.0, 1.0)
    assert (round(s1, 12), round(s2, 12), round(c1, 12), round(c2, 12)) == (
        0.513467200424, 0.479137564099, 0.609548422215, 0.679365307249)
    assert round(na.clip_moments(0.0, 1.0)[1], 9) == 0.516058551
    m1, se1, mm2, se2 = na.softsign_mc(2.0, 0.5, 200_000, 5)
    assert abs(m1 - 0.900235058194) < 4 * se1 and abs(mm2 - 0.870528553516) < 4 * se2


def test_surge_needs_Q_above_2D():
    """The sharper C7 on the mean-field law: interior maximum iff Q > 2D."""
    beta = np.linspace(1e-3, 1 - 1e-3, 999)
    for Qv, surge in ((19.0, False), (20.0, False), (20.5, True), (12.2416624, True)):
        Dv = 10.0 if Qv >= 19 else 5.0
        f = beta / (Dv + beta ** 2 * (Qv - Dv))
        assert (np.argmax(f) < len(beta) - 1) == surge, Qv


def test_counterexample_ii_and_large_epsilon():
    g, H = m._ex_ii()
    with mpmath.workdps(30):
        Hm = [[mpmath.mpf(int(x.p)) / int(x.q) for x in H.row(i)] for i in range(5)]
        gm = [mpmath.mpf(int(x.p)) / int(x.q) for x in map(sp.Rational, g)]
        q0, q05 = na.Q_of_eps(0, gm, Hm), na.Q_of_eps(mpmath.mpf(1) / 20, gm, Hm)
    assert abs(q0 - 7) < 1e-25 and float(q05) == pytest.approx(12.2416624078128, rel=1e-12)
    assert q0 < 2 * 5 < q05  # no surge at epsilon = 0, a surge at epsilon = 0.05 (C7)
    assert min(np.linalg.eigvalsh(np.array(H.tolist(), float))) == pytest.approx(0.13623, abs=1e-5)
    Hx = [[float(x) for x in m.EX_H.row(i)] for i in range(3)]
    vals = [na.exact_model_eta_over_eps(e, [1, -0.5, 0.25], Hx, 1.0, 8.0) for e in (1e2, 1e4)]
    sgd = 1.3125 / (1.98125 + 3.5 / 8)
    assert abs(vals[1] - sgd) < 1e-8 < abs(vals[0] - sgd) and abs(vals[1] - 0.49185425774016495) > 0.05


def test_limits_of_softsign():
    x = sp.Symbol("x", positive=True)
    assert sp.limit(m.softsign(x, m.eps), m.eps, 0, "+") == 1
    assert sp.limit(m.eps * m.softsign(m.x_, m.eps), m.eps, sp.oo) == m.x_
    assert math.isclose(1 - 1 / math.sqrt(2), 0.2928932188134524)


def test_latex_prints_softsign_law():
    tex = latex_claims(D)
    assert r"\frac{P \beta}{D \left(1 - \beta^{2}\right) + Q \beta^{2}}" in tex
    assert r"\beta=\frac{1}{\sqrt{1 + \frac{\pi \kappa^{2}}{2 B}}}" in tex
    statements = [c.statement for c in D.claims + D.controls] + [x.statement for e in D.errata
                                                                   for x in (e.post_says, e.correct)]
    assert all("$" not in s and "\n\n" not in s and s.count("{") == s.count("}") for s in statements)
