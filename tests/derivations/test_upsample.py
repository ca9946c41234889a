"""Upsample guidance (catalog cards upsample-C1..C3): every verdict, the controls' counterexamples, the numpy
oracle, the pooled-noise Monte Carlo and the card's time shift."""
import numpy as np
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import upsample as up

SLUG = "upsample"
VERDICTS = {
    "C1.pooled-noise": "proved", "C1.operators": "proved", "C1.monte-carlo": "checked", "C2.vp-rescaling": "proved",
    "C2.cosine-schedule": "proved", "C2.cosine-grid": "checked", "C2.reference": "proved",
    "C2.reference-decimals": "certified", "C3.guidance-algebra": "proved", "C3.perfect-prediction": "proved",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    cx = ctl["N2.no-rescaling"].counterexample             # alpha^2 + beta^2/s^2 < 1 for a VP schedule
    assert float(cx["lhs"]) < float(cx["rhs"]) == 1
    cx = ctl["N2.ve-schedule"].counterexample              # 1/rho < 1
    assert float(cx["lhs"]) < 1


def test_numpy_oracle_agrees(verified):
    (oracle,) = by_id(verified.claims)["C3.guidance-algebra"].oracles
    assert oracle["status"] == "agree" and oracle["name"].startswith("numpy")


def test_numpy_oracle_notices_a_wrong_formula():
    """The oracle computes the post's eps^approx; dropping the high-pass term moves it by O(1)."""
    rng = np.random.default_rng(0)
    point = {sp.Symbol(f"e_{r}{c}", real=True): v for (r, c), v in np.ndenumerate(rng.standard_normal((4, 4)))}
    point.update({sp.Symbol(f"l_{r}{c}", real=True): v for (r, c), v in np.ndenumerate(rng.standard_normal((2, 2)))})
    point[up.w] = 0.2
    E, L = up.sym_array("e", 4), up.sym_array("l", 2)
    exact = ((1 + up.w) * up.eps_approx(E, L) - up.w * E).subs(point)
    wrong = ((1 + up.w) * up.eps_approx(E, L, high_pass=False) - up.w * E).subs(point)
    got = np.array(up.numpy_guided(point).tolist(), dtype=float)
    assert np.abs(got - np.array(exact, dtype=float)).max() < 1e-13
    assert np.abs(got - np.array(wrong, dtype=float)).max() > 0.1


def test_reference_time_shift():
    half = sp.Rational(1, 2)
    assert str(sp.N(up.cosine_tau(half, 2), 25)) == "0.2951672353008665483508022"
    r = up.rho(sp.cos(sp.pi / 4), sp.sin(sp.pi / 4), 2)
    assert sp.nsimplify(r) == sp.sqrt(10) / 4
    assert str(sp.N(r, 25)) == "0.7905694150420948329997234"


def test_pooling_monte_carlo():
    var = up._pooled_noise(0, 2, seed=0)
    pair = up._pooled_noise(1, 2, seed=0)
    assert abs(var.value - 0.25) < 5 * var.se and abs(var.value - 1 / 16) > 100 * var.se     # not the s^4 factor
    assert abs(pair.value - 0.5) < 5 * pair.se                                              # uncorrelated neighbours


def test_numpy_operators():
    rng = np.random.default_rng(0)
    y, x = rng.standard_normal((4, 4)), rng.standard_normal((8, 8))
    assert np.array_equal(up.avg_pool(up.upsample_nn(y, 2), 2), y)
    ud = up.upsample_nn(up.avg_pool(x, 2), 2)
    assert np.allclose(up.upsample_nn(up.avg_pool(ud, 2), 2), ud, rtol=0, atol=1e-15)
