"""FSQ (catalog cards fsq-C1, fsq-C2): verdicts, controls and reference values."""
import math

import numpy as np
import pytest

from derivations import fsq
from derivations.engine.verify import verify_derivation


@pytest.fixture(scope="module")
def res():
    return verify_derivation(fsq.DERIVATION)


def test_verified_all_proved(res):
    assert res.verdict == "verified"
    assert [c.verdict for c in res.claims] == ["proved"] * 5


def test_controls(res):
    ctl = {c.id: c for c in res.negative_controls}
    assert all(c.verdict == "refuted" and c.counterexample for c in ctl.values()) and len(ctl) == 4
    assert "-605" in ctl["C1.codebook-sum"].counterexample["text"]             # 20 vs 625
    assert "5 levels for L=5" in ctl["C1.levels-0-to-L"].counterexample["text"]


def test_reference_values():
    assert math.log(1000, 5) == pytest.approx(4.29202967422018, rel=1e-14)
    assert math.log(2**16, 5) == pytest.approx(6.8908, abs=1e-4)
    assert 8 * 5 * 5 * 5 == 1000
    assert (1 - 0.99) / 2 == pytest.approx(0.005)


def test_ste_derivative_matches_finite_difference():
    L, z0, h = 8, 0.3, 1e-6
    f = lambda t: (L - 1) / (1 + np.exp(-t))  # noqa: E731
    s = 1 / (1 + np.exp(-z0))
    assert (f(z0 + h) - f(z0 - h)) / (2 * h) == pytest.approx((L - 1) * s * (1 - s), rel=1e-8)
