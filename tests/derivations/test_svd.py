"""SVD / Eckart-Young (catalog cards svd-C1, svd-C2): every verdict, the controls' counterexamples, the reference
values against numpy and scipy, and the card's float64 digits."""
import mpmath
import numpy as np
import pytest
from expected import assert_verdicts, by_id

from derivations import svd

SLUG = "svd"
VERDICTS = {
    "C1.frobenius": "proved", "C1.projection-residual": "proved", "C1.lp-lemma": "proved", "C1.spectral": "proved",
    "C1.eckart-young-reference": "checked", "C2.pseudo-inverse": "proved", "C2.least-squares": "proved",
    "C2.left-right": "proved",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert ctl["N1.smallest-triplets"].counterexample["lhs"].startswith("59.45")    # 63 - sigma_3^2 vs 16.05
    assert ctl["N1.sigma-squared"].counterexample["rhs"].startswith("12.504")       # sigma_2^2
    assert "gap 1.566e-15" in ctl["N1.card-sigma-digits"].counterexample["text"]
    assert "-4/9" in ctl["N2.right-inverse"].counterexample["text"]                  # A A^+ is a projector, not I


def test_numpy_oracle_agrees(verified):
    (oracle,) = by_id(verified.claims)["C2.pseudo-inverse"].oracles
    assert oracle["status"] == "agree" and oracle["side"] == "rhs"


def test_reference_values_true_digits():
    """True values at 30 digits; the card's printed values agree only to ~15-16 digits (float64 artefacts)."""
    with mpmath.workdps(40):
        sig = svd.mp_singular_values()
        assert all(abs(a - mpmath.mpf(b)) < 1e-27 for a, b in zip(sig, svd.SIGMA_REF))
        assert abs(svd.mp_truncation_error() - mpmath.mpf(svd.EY_REF)) < 1e-26
        assert abs(svd.mp_spectral_error() - sig[1]) < 1e-30
        card = mpmath.mpf(svd.CARD_EY)
        assert 1e-16 < abs(card - mpmath.mpf(svd.EY_REF)) < 1e-14
        assert abs(mpmath.mpf(svd.CARD_SIGMA[0]) - sig[0]) > 1e-16
    assert svd._card(svd.CARD_SIGMA[0]).text == "6.85180957064184"


def test_numpy_library_route():
    A = np.array(svd.REFERENCE, dtype=float)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    assert s == pytest.approx([6.851809570641843, 3.5361644504351165, 1.8836790032114684], rel=1e-14)
    R = A - (U[:, :1] * s[:1]) @ Vt[:1]
    assert np.sum(R ** 2) == pytest.approx(16.052705607660841, rel=1e-14)
    assert np.linalg.norm(R, 2) == pytest.approx(s[1], rel=1e-14)
    errors, _ = svd.competitor_errors()
    assert errors.min() >= 16.052705607660841 * (1 - 1e-12) and errors.min() < 16.2


def test_lp_lemma_against_scipy_linprog():
    linprog = pytest.importorskip("scipy.optimize").linprog
    sig2 = [6.851809570641843**2, 3.5361644504351165**2, 1.8836790032114684**2]
    for r in (1, 2):
        res = linprog(sig2, A_ub=[[-1.0] * 3], b_ub=[-(3 - r)], bounds=[(0, 1)] * 3)
        assert res.fun == pytest.approx(sum(sig2[r:]), rel=1e-12)


def test_pinv_reference():
    ref = np.array(svd.A_PINV.tolist(), dtype=float)
    assert np.allclose(ref * 9, [[5, 4, -2], [-1, 1, 4]])
    assert np.allclose(np.linalg.pinv(np.array([[1, 0], [1, 1], [0, 2]], dtype=float)), ref, atol=1e-15)
