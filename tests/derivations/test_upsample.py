"""upsample: pooled SNR, the VP time shift and rescaling, the guidance algebra."""
import numpy as np
import pytest
import sympy as sp

from derivations.engine.verify import verify_derivation
from derivations.upsample import DERIVATION, cosine_tau, rho
from numeric.upsample import avg_pool, guidance_residual, pooled_noise_stats, upsample_nn


@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def test_verdicts(result):
    assert result.verdict == "verified"
    checked = {"upsample.C1.monte_carlo", "upsample.C2.cosine_grid", "upsample.C3.numpy_arrays"}
    for c in result.claims:
        assert c.verdict == ("checked" if c.id in checked else "proved"), c.id


def test_controls_refuted(result):
    assert all(c.verdict == "refuted" and c.counterexample for c in result.negative_controls)


def test_reference_time_shift():
    half = sp.Rational(1, 2)
    assert str(sp.N(cosine_tau(half, 2), 25)) == "0.2951672353008665483508022"
    r = rho(sp.cos(sp.pi / 4), sp.sin(sp.pi / 4), 2)
    assert sp.nsimplify(r) == sp.sqrt(10) / 4
    assert str(sp.N(r, 25)) == "0.7905694150420948329997234"


def test_pooling_monte_carlo_reference():
    var, se_var, corr, se_corr = pooled_noise_stats(20000, 8, 2, 0)
    assert abs(var - 0.25) < 4 * se_var and abs(corr) < 4 * se_corr
    assert abs(var - 1 / 16) > 100 * se_var                    # not the s^4 factor


def test_numpy_operators():
    rng = np.random.default_rng(0)
    y = rng.standard_normal((4, 4))
    x = rng.standard_normal((8, 8))
    assert np.array_equal(avg_pool(upsample_nn(y, 2), 2), y)
    ud = upsample_nn(avg_pool(x, 2), 2)
    assert np.allclose(upsample_nn(avg_pool(ud, 2), 2), ud, rtol=0, atol=1e-15)
    res, scale = guidance_residual(0.2, 2, 8, 0)
    assert res < 1e-14 * scale
