"""Interpolative decomposition (catalog cards id-C1, id-C2): every verdict, the SciPy link, the coefficient-bound
erratum (Kahan matrix), and the float64 and mpmath CPQRs against SciPy."""
import mpmath
import numpy as np
import pytest
import scipy
import scipy.linalg
import scipy.linalg.interpolative as sli
from expected import assert_verdicts, by_id

from derivations import interp_decomp as idd

SLUG = "id"
VERDICTS = {
    "C1.pivots": "proved", "C1.coefficients": "proved", "C1.error": "certified",
    "C1.eckart-young-floor": "certified", "C2.scipy-link": "checked",       # float64 correspondence: checked only
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.coefficient-bound",))


def test_controls_and_erratum(verified):
    ctl = by_id(verified.negative_controls)
    assert "2963/321" in ctl["N1.forget-r11-inverse"].counterexample["text"]
    assert "gap 0.1488" in ctl["N2.qr-trailing-order"].counterexample["text"]
    (e,) = verified.errata
    assert e.post.counterexample["lhs"].startswith("4.29998464011926") and e.post.counterexample["part"] == "i=1"
    assert e.correction.verdict == "checked"


def test_float64_tolerance_is_the_backward_error_bound():
    """4 u kappa_2(C) max|T| for the card's matrix: about twice the measured gap 2^-52 (the card's "2e-16")."""
    tol = float(idd._float64_tolerance(idd.REFERENCE, idd.PIVOTS, idd.T_REF.tolist()))
    assert 4.0e-16 < tol < 5.0e-16


def test_scipy_reference():
    """Pinned behaviour (SciPy 1.x): idx = (2,1,0,3), proj = T, error 3.038178664103804."""
    assert int(scipy.__version__.split(".")[0]) == 1
    M = np.array(idd.REFERENCE, dtype=float)
    idx, proj = sli.interp_decomp(M, 2, rand=False)
    assert tuple(idx) == (2, 1, 0, 3)
    assert np.abs(proj - np.array(idd.T_REF.tolist(), dtype=float)).max() == 2.0 ** -52
    C, Z = sli.reconstruct_skel_matrix(M, 2, idx), sli.reconstruct_interp_matrix(idx, proj)
    assert np.linalg.norm(M - C @ Z) == pytest.approx(3.038178664103804, rel=1e-15)


def test_own_cpqrs_match_scipy():
    for seed in range(5):
        A = idd.random_matrix(seed)
        assert tuple(idd.cpqr(A)[0]) == tuple(scipy.linalg.qr(A, pivoting=True)[2])
        idx, proj = sli.interp_decomp(A, 3, rand=False)
        perm, R = idd.cpqr(A, steps=3)
        assert tuple(perm) == tuple(idx)
        assert np.allclose(idd.float64_coefficients(R, 3), proj, atol=1e-13)
        with mpmath.workdps(30):
            assert idd.mp_cpqr(A, 3)[0] == [int(i) for i in idx]


def test_kahan_counterexample_and_float64_pivots():
    with mpmath.workdps(50):
        perm, R = idd.mp_cpqr(idd.kahan(), 9)
        T = idd.mp_coefficients(R, 9)
    assert perm == list(range(10)) and float(max(abs(t) for t in T)) == pytest.approx(4.29998, abs=1e-5)
    K = np.array(idd.kahan().tolist(), dtype=float)
    assert tuple(scipy.linalg.qr(K, pivoting=True)[2]) == tuple(range(10))       # float64 CPQR keeps the order
    idx, proj = sli.interp_decomp(K, 9, rand=False)
    assert np.abs(proj).max() == pytest.approx(4.29998, abs=1e-4)


def test_coefficient_bound_on_random_matrices():
    assert idd.random_coefficient_max(3, trials=40) <= 4
