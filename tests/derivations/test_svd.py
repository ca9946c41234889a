"""SVD / Eckart-Young (catalog cards svd-C1, svd-C2): verdicts, controls, reference values against numpy and scipy."""
import mpmath
import numpy as np
import pytest

from derivations.engine.verify import verify_derivation
from derivations.svd import A_PINV, DERIVATION, EY_REF, SIGMA_REF
from numeric import svd as num


@pytest.fixture(scope="module")
def res():
    return verify_derivation(DERIVATION)


def test_verified(res):
    assert res.verdict == "verified"
    got = {c.id: c.verdict for c in res.claims}
    assert got.pop("C1.eckart-young-reference") == "checked"      # a numeric instance (numpy, mpmath, search)
    assert set(got.values()) == {"proved"} and len(got) == 7


def test_controls(res):
    ctl = {c.id: c for c in res.negative_controls}
    assert all(c.verdict == "refuted" for c in ctl.values()) and len(ctl) == 4
    assert "59.45" in ctl["C1.smallest-triplets"].counterexample["text"]       # 63 - sigma_3^2 vs 16.05
    assert "12.504" in ctl["C1.sigma-squared"].counterexample["text"]           # sigma_2^2
    assert "det = 0" in ctl["C2.right-inverse"].counterexample["text"]


def test_reference_values_true_digits():
    """True values at 30 digits; the card's printed values agree only to ~15-16 digits (float64 artefacts)."""
    with mpmath.workdps(40):
        sig = num.mp_singular_values()
        assert all(abs(a - mpmath.mpf(b)) < 1e-27 for a, b in zip(sig, SIGMA_REF))
        assert abs(num.mp_truncation_error() - mpmath.mpf(EY_REF)) < 1e-26
        card = mpmath.mpf("16.05270560766084031456558")
        assert 1e-16 < abs(card - mpmath.mpf(EY_REF)) < 1e-14
        assert abs(mpmath.mpf("6.8518095706418415958") - sig[0]) > 1e-16


def test_numpy_library_route():
    fro, spec, s = num.np_truncation_errors()
    assert s == pytest.approx([6.851809570641843, 3.5361644504351165, 1.8836790032114684], rel=1e-14)
    assert fro == pytest.approx(16.052705607660841, rel=1e-14)
    assert spec == pytest.approx(s[1], rel=1e-14)
    assert np.sum(s**2) == pytest.approx(63, rel=1e-14)
    assert num.competitor_search(trials=2000) >= fro * (1 - 1e-12)


def test_lp_lemma_against_scipy_linprog():
    linprog = pytest.importorskip("scipy.optimize").linprog
    sig2 = [6.851809570641843**2, 3.5361644504351165**2, 1.8836790032114684**2]
    for r in (1, 2):
        res = linprog(sig2, A_ub=[[-1.0] * 3], b_ub=[-(3 - r)], bounds=[(0, 1)] * 3)
        assert res.fun == pytest.approx(sum(sig2[r:]), rel=1e-12)


def test_pinv_reference():
    ref = np.array(A_PINV.tolist(), dtype=float)
    assert np.allclose(ref * 9, [[5, 4, -2], [-1, 1, 4]])
    assert np.allclose(np.linalg.pinv(np.array([[1, 0], [1, 1], [0, 2]], dtype=float)), ref, atol=1e-15)
