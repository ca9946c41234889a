"""batch-size-lr (spec batch-size-lr.md): the verdict of every claim, control and erratum, their counterexamples,
the spec's reference values recomputed, and the post's figures."""
import math

import mpmath
import pytest
import sympy as sp
from expected import assert_verdicts, by_id, corrupted

from derivations.batch_size_lr import DERIVATION
from derivations.batch_size_lr.algebra import (TOY_REFS, SURGE_B, SURGE_ETAS, derived_toy_values, mean_field_relative_gap,
                                               surge_data)
from derivations.batch_size_lr.numerics import (_erf_gap_argmax, _erf_gap_max, _erf_peak, _erf_peak_value,
                                                _sign_mean_mc, batch_mean_moments, sign_eta_exact)

SLUG = "batch-size-lr"
VERDICTS = {
    "C1.batch-moments": "proved", "C2.scaling-rules": "proved", "C3.stationary-variance": "proved",
    "C4.expected-loss": "proved", "C5.optimal-lr": "proved", "C5.toy": "certified", "C6.shape": "proved",
    "C7.b-simple": "proved", "C8.optimal-decrease": "proved", "C9.steps-data": "proved", "C10.sign-moments": "proved",
    "C11.surrogate": "proved", "C11.erf-gap": "checked", "C12.sign-optimum": "proved", "C13.large-batch": "proved",
    "C14.diagonal": "proved", "C14.mean-field-gap": "checked", "C15.mean-field-peak": "proved",
    "C15.surge-example": "checked", "C15.exact-peak": "proved", "C15.peak-location-gap": "checked",
    "C15.surrogate-law-gap": "checked", "C16.decrease": "proved",
}
ERRATA = ("E1.eta-hat-is-not-the-limit", "E2.reused-names", "E3.offdiagonal-is-not-enough")


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=ERRATA)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    cx = {c.id: (c.counterexample or {}).get("text", "") for c in verified.negative_controls}
    assert "1465/2776" in cx["N1.inverted-ratio"]          # 200/347 - 135/2776 on the toy at B = 4
    assert "100/347" in cx["N2.spurious-half"]
    assert "3/10" in cx["N3.wrong-denominator"] and "-3/80" in cx["N3b.b-simple-every-h"]
    assert "-1" in cx["N6b.product-is-2"] and "-1/2" in cx["N7.linear-small-batch-sign"]
    ctl = by_id(verified.negative_controls)
    assert ctl["N4.cov-over-b-squared"].counterexample["part"] == "derived covariance"
    assert ctl["N5.missing-sqrt2"].counterexample["part"] == "E sign"


def test_errata_evidence(verified):
    ev = {e.id: e.to_json()["evidence"] for e in verified.errata}
    assert "-2/11 + sqrt(2)/6" in ev["E1.eta-hat-is-not-the-limit"]
    assert "-238/1199 + sqrt(2)/6" in ev["E2.reused-names"]
    assert "-1/9" in ev["E3.offdiagonal-is-not-enough"]        # beta_n^2 = 10/9 > 1: no peak


def test_toy_values_are_exact():
    assert derived_toy_values() == TOY_REFS
    assert float(TOY_REFS[8]) == 0.5763688760806917 and float(TOY_REFS[11]) == 1.440922190201729


def test_surge_reference_values_and_peaks():
    g, H, sigma, *_ = surge_data()
    with mpmath.workdps(30):
        vals = [sign_eta_exact(b, g, H, sigma) for b in SURGE_B]
        peak, top = _erf_peak(2), _erf_peak_value(2)
    assert [f"{float(v):.7f}" for v in vals] == list(SURGE_ETAS)
    assert vals[0] < vals[1] > vals[2] > vals[3] > vals[4] > 2 / 11
    assert float(peak) == pytest.approx(8 * float(mpmath.erfinv(math.sqrt(2) / 3)) ** 2, rel=1e-20)
    assert round(float(peak), 5) == 1.58836 and round(4 * math.pi / 7, 5) == 1.79520
    assert float(top) == pytest.approx(math.sqrt(2) / 6, rel=1e-20)   # the same height as the mean-field peak


def test_erf_surrogate_gap_maximum():
    with mpmath.workdps(30):
        assert mpmath.nstr(_erf_gap_max(), 6) == "0.107838" and abs(_erf_gap_argmax() - mpmath.mpf("1.33")) < 0.005


def test_mean_field_small_batch_limit():
    _, small, large, limit0 = mean_field_relative_gap()
    assert float(limit0) == pytest.approx(-0.24273647494858, abs=1e-13)
    assert float(small(0)) == pytest.approx(float(limit0), abs=1e-13) and large(0) == 0


def test_monte_carlo_estimators_judge_honestly():
    est = _sign_mean_mc(0.5, 8, seed=1)
    assert abs(est.value - math.erf(1.0)) < 5 * est.se
    assert abs(est.value - math.erf(0.5 * math.sqrt(8))) > 20 * est.se    # N5's value is far outside
    _, _, cov, se = batch_mean_moments(4, 2)
    assert abs(cov[0, 0] - 1 / 4) < 5 * se[0, 0] and abs(cov[0, 0] - 1 / 16) > 50 * se[0, 0]


@pytest.mark.parametrize("figure", DERIVATION.figures, ids=lambda f: f.name)
def test_figures_draw_labelled_axes(figure):
    from matplotlib.figure import Figure
    fig = Figure()
    figure.draw(fig)
    assert fig.axes and all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes) and figure.caption


def _planted():
    from derivations.batch_size_lr import claims as c
    from derivations.batch_size_lr.algebra import Bi, c_
    wrong_refs = TOY_REFS.copy()
    wrong_refs[8] = sp.Rational(200, 374)                                  # 200/347 typed 200/374
    return [
        corrupted(c.c5_toy, "exact values", rhs=wrong_refs),
        corrupted(c.c1_batch_moments, "MC cov[0,0]", rhs=sp.Integer(1) / Bi ** 2),        # Sigma/B written Sigma/B^2
        corrupted(c.c10_sign_moments, "E sign(c+z)", rhs=sp.erf(c_ / 2)),              # erf(c/sqrt 2) written erf(c/2)
        corrupted(c.c11_erf_gap, "max gap", surrogate=sp.Rational("0.1087")),          # 0.1078 typed 0.1087
        corrupted(c.c15_surge_example, "B_peak exact erf, kappa=2", surrogate=sp.Rational("1.58863")),
    ]


@pytest.mark.parametrize("index", range(5))
def test_planted_errors_are_refuted(index):
    from derivations.engine.verify import verify_claim
    assert verify_claim(_planted()[index], digits=30).verdict == "refuted"
