"""Interpolative decomposition (catalog cards id-C1, id-C2): verdicts, the SciPy link, the coefficient-bound erratum."""
import mpmath
import numpy as np
import pytest
import scipy
import scipy.linalg
import scipy.linalg.interpolative as sli

from derivations.engine.verify import verify_derivation
from derivations.interp_decomp import DERIVATION, T_REF
from numeric import interp_decomp as num


@pytest.fixture(scope="module")
def res():
    return verify_derivation(DERIVATION)


def test_verified(res):
    assert res.verdict == "verified"
    assert {c.id: c.verdict for c in res.claims} == {
        "C1.pivots": "proved", "C1.coefficients": "proved", "C1.error": "proved",
        "C1.eckart-young-floor": "proved", "C2.scipy-link": "checked"}       # float64 correspondence: checked only
    assert "scipy missing" not in res.claims[-1].detail


def test_controls(res):
    ctl = {c.id: c for c in res.negative_controls}
    assert all(c.verdict == "refuted" for c in ctl.values()) and len(ctl) == 2
    assert "idx=(0, 3, 5, 1, 4, 2)" in ctl["C2.qr-trailing-order"].counterexample["text"]


def test_erratum_kahan(res):
    (e,) = res.errata
    assert e["ok"] and e["correct_result"]["verdict"] == "proved"
    assert "4.29998464012" in e["evidence"]


def test_scipy_reference():
    """Pinned behaviour (SciPy 1.x): idx = (2,1,0,3), proj = T, error 3.038178664103804."""
    assert int(scipy.__version__.split(".")[0]) == 1
    M = np.array(num.REFERENCE, dtype=float)
    idx, proj = sli.interp_decomp(M, 2, rand=False)
    assert tuple(idx) == (2, 1, 0, 3)
    assert np.abs(proj - np.array(T_REF.tolist(), dtype=float)).max() <= 4.5e-16     # two ulps of 0.5
    C, Z = sli.reconstruct_skel_matrix(M, 2, idx), sli.reconstruct_interp_matrix(idx, proj)
    assert np.linalg.norm(M - C @ Z) == pytest.approx(3.038178664103804, rel=1e-15)


def test_own_cpqr_matches_scipy_qr_and_interp_decomp():
    for seed in range(5):
        A = num.random_matrix(seed)
        assert tuple(num.cpqr(A)[0]) == tuple(scipy.linalg.qr(A, pivoting=True)[2])
        idx, proj = sli.interp_decomp(A, 3, rand=False)
        perm, R = num.cpqr(A, steps=3)
        assert tuple(perm) == tuple(idx)
        assert np.allclose(num.coefficients(R, 3), proj, atol=1e-13)


def test_kahan_counterexample_and_float64_pivots():
    with mpmath.workdps(50):
        margin, T = num.kahan_coefficients()
        assert margin > 0 and float(max(abs(t) for t in T)) == pytest.approx(4.29998, abs=1e-5)
    K = np.array(num.kahan().tolist(), dtype=float)
    assert tuple(scipy.linalg.qr(K, pivoting=True)[2]) == tuple(range(10))       # float64 CPQR keeps the order
    idx, proj = sli.interp_decomp(K, 9, rand=False)
    assert np.abs(proj).max() == pytest.approx(4.29998, abs=1e-4)


def test_coefficient_bound_on_random_matrices():
    assert num.random_coefficient_max(3, trials=40) <= 4
