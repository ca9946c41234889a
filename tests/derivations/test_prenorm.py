"""prenorm: Pre-Norm growth (erratum: sqrt(t+1), not t+1), cosine limit, Post-Norm identity weights."""
import numpy as np
import pytest

from derivations.engine.verify import verify_derivation
from derivations.prenorm import DERIVATION
from numeric.prenorm import mean_se, postnorm_identity_weight, prenorm_stream


@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def test_verdicts(result):
    assert result.verdict == "verified"
    verdicts = {c.id: c.verdict for c in result.claims}
    # Monte Carlo claims are approximations: checked, never proved
    assert verdicts.pop("prenorm.C1.monte_carlo") == "checked"
    assert verdicts.pop("prenorm.C2.monte_carlo") == "checked"
    assert set(verdicts.values()) == {"proved"}


def test_controls_refuted(result):
    assert all(c.verdict == "refuted" and c.counterexample for c in result.negative_controls)


def test_growth_erratum(result):
    (e,) = result.errata
    assert e["ok"] and e["correct_result"]["verdict"] == "proved"
    cx = e["post_says_result"]["counterexample"]
    # (t+1)^2 d against (t+1) d: the ratio is t+1
    assert float(cx["rhs"]) / float(cx["lhs"]) == pytest.approx(float(cx["at"]["t"]) + 1)


def test_prenorm_monte_carlo_references():
    r = prenorm_stream(256, 200, 64, 0)
    for t in (7, 31, 63):
        mean, se = mean_se(r["sq"][t])
        assert abs(mean - (t + 1)) < 4 * se
        assert abs(mean - (t + 1) ** 2) > 100 * se            # not the aligned O(t+1) growth
    for t, card in ((0, 0.7071), (7, 0.9428), (63, 0.9923)):
        mean, se = mean_se(r["cos"][t])
        assert abs(mean - np.sqrt((t + 1) / (t + 2))) < 4 * se
        assert mean == pytest.approx(card, abs=0.005)


def test_postnorm_monte_carlo_references():
    out = postnorm_identity_weight(256, 200, (1, 2, 4, 8), 0)
    for layer, (beta, se) in out.items():
        assert abs(beta - 2 ** (-layer / 2)) < 4 * se
    beta1, se1 = out[1]
    assert abs(beta1 - 0.5) > 20 * se1                        # not 2^-l
