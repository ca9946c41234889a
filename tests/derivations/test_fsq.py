"""FSQ (catalog cards fsq-C1, fsq-C2): every verdict, the controls' counterexamples, the rounding parametrisation and its
strategy, the card's reference values and the Monte Carlo level count."""
import math

import numpy as np
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import fsq

SLUG = "fsq"
VERDICTS = {"C1.ste": "proved", "C1.rounding": "proved", "C1.levels": "checked", "C1.codebook": "certified",
            "C2.split-loss": "proved", "C2.ema-is-sgd": "proved"}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert "-605" in ctl["N1.codebook-sum"].counterexample["text"]             # 20 vs 625
    levels = ctl["N1.levels-0-to-l"].counterexample                            # 5 levels for L = 5, not 6
    assert (levels["lhs"], levels["rhs"]) == ("5.0", "6.0")
    assert ctl["N1.round-derivative"].counterexample["rhs"] == "0.0"


def test_floor_strategy_applies_only_on_the_unit_interval():
    s = sp.Symbol("s", nonnegative=True)
    x = sp.Symbol("x", real=True)
    assert fsq.floor_in_unit_interval(sp.floor(s / (1 + s)) + 3) == 3
    assert fsq.floor_in_unit_interval(sp.floor(2 * s / (1 + s))) == sp.floor(2 * s / (1 + s))   # [0, 2): not 0
    assert fsq.floor_in_unit_interval(sp.floor(x)) == sp.floor(x)


def test_the_parametrisation_covers_every_real_once():
    """y = n + s/(1+s) - 1/2 with n = Round(y) and s = u/(1-u), u = y + 1/2 - n in [0, 1)."""
    for y in (-2.5, -0.49, 0.0, 0.5, 3.7, 11.5):
        n = math.floor(y + 0.5)
        u = y + 0.5 - n
        s = u / (1 - u)
        assert float(fsq.near(n).subs(fsq.sv, s)) == pytest.approx(y, abs=1e-12)
        assert 0 <= u < 1 and abs(n - y) <= 0.5


def test_levels_and_rounding_of_the_card_samples():
    t = fsq.level_samples()
    for L in (5, 8):
        x = (L - 1) / (1 + np.exp(-t))
        q = np.rint(x)
        assert np.unique(q).tolist() == list(range(L)) and np.max(np.abs(q - x)) <= 0.5
        assert fsq._levels(L) == L


def test_reference_values():
    assert math.log(1000, 5) == pytest.approx(4.29202967422018, rel=1e-14)
    assert math.log(2**16, 5) == pytest.approx(6.8908, abs=1e-4)
    assert fsq.codebook_size((8, 5, 5, 5)) == 1000 and 5**4 < 1000 < 5**5
    assert (1 - 0.99) / 2 == pytest.approx(0.005)


def test_ste_derivative_matches_finite_difference():
    L, z0, h = 8, 0.3, 1e-6
    f = lambda t: (L - 1) / (1 + np.exp(-t))  # noqa: E731
    s = 1 / (1 + np.exp(-z0))
    assert (f(z0 + h) - f(z0 - h)) / (2 * h) == pytest.approx((L - 1) * s * (1 - s), rel=1e-8)
