"""Numerics for the SVD / Eckart–Young derivation (:mod:`derivations.svd`): mpmath at the working
precision, numpy float64 as the independent library route, seeded random searches."""
from __future__ import annotations

import mpmath
import numpy as np

REFERENCE = ((4, 1, 2), (1, 3, 0), (2, 0, 5), (1, 1, 1))   # the card's 4 x 3 matrix


def mp_singular_values(M=REFERENCE):
    """Singular values (descending) by mpmath's ``svd_r`` at the working precision."""
    return list(mpmath.svd_r(mpmath.matrix(M), compute_uv=False))


def mp_truncation_error(M=REFERENCE, r=1, keep="largest"):
    """\\(\\|M-U_{:,S}\\Sigma_SV_{:,S}^\\top\\|_F^2\\) for the \\(r\\) largest (or smallest) singular triplets, by mpmath."""
    A = mpmath.matrix(M)
    U, S, V = mpmath.svd_r(A, full_matrices=False)
    idx = range(r) if keep == "largest" else range(len(S) - r, len(S))
    approx = mpmath.zeros(A.rows, A.cols)
    for j in idx:
        approx += S[j] * U[:, j] * V[j, :]
    R = A - approx
    return mpmath.fsum(R[i, k] ** 2 for i in range(R.rows) for k in range(R.cols))


def np_truncation_errors(M=REFERENCE, r=1) -> tuple[float, float, np.ndarray]:
    """numpy route: (Frobenius error squared, spectral error, singular values) of the rank-r SVD truncation."""
    A = np.array(M, dtype=float)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    R = A - (U[:, :r] * s[:r]) @ Vt[:r]
    return float(np.sum(R**2)), float(np.linalg.norm(R, 2)), s


def competitor_search(M=REFERENCE, r=1, trials=20000, seed=0) -> float:
    """Smallest \\(\\|M-AB\\|_F^2\\) over ``trials`` random rank-r competitors: \\(A\\) Gaussian, \\(B=A^\\dagger M\\) (the best
    \\(B\\) for that \\(A\\)); vectorised as one batched projection."""
    Mf = np.array(M, dtype=float)
    A = np.random.default_rng(seed).standard_normal((trials, Mf.shape[0], r))
    Q, _ = np.linalg.qr(A)                       # orthonormal basis of range(A): A A^+ = Q Q^T
    resid = Mf - np.einsum("tir,trj->tij", Q, np.einsum("tir,ij->trj", Q, Mf))   # einsum: no BLAS threads
    return float(np.min(np.sum(resid**2, axis=(1, 2))))


def lp_random_search(sigma_sq, r, trials=20000, seed=0) -> float:
    """Smallest \\(\\sum_j\\sigma_j^2w_j\\) over random feasible \\(w\\in[0,1]^p\\), \\(\\sum w_j\\ge p-r\\)
    (uniform draws, rescaled into the feasible set when the sum is too small)."""
    s = np.asarray(sigma_sq, dtype=float)
    p = len(s)
    w = np.random.default_rng(seed).random((trials, p))
    short = w.sum(axis=1) < p - r
    # push infeasible rows towards 1 until the constraint binds: w + t(1-w) with sum = p - r
    t = ((p - r) - w.sum(axis=1)) / np.maximum((1 - w).sum(axis=1), 1e-300)
    w[short] += (t[short, None]) * (1 - w[short])
    return float(np.min(w @ s))


def mp_spectral_error(M=REFERENCE, r=1):
    """\\(\\|M-M_r\\|_2\\): the largest singular value of the residual of the rank-r SVD truncation, by mpmath."""
    A = mpmath.matrix(M)
    U, S, V = mpmath.svd_r(A, full_matrices=False)
    approx = mpmath.zeros(A.rows, A.cols)
    for j in range(r):
        approx += S[j] * U[:, j] * V[j, :]
    return max(mpmath.svd_r(A - approx, compute_uv=False))


def mp_best_competitor(M=REFERENCE, trials=20000, seed=0):
    """The best of ``trials`` random rank-1 competitors \\(aa^\\top M/\\|a\\|^2\\) (\\(a\\) Gaussian, \\(B=a^\\dagger M\\) the best
    \\(B\\) for that \\(a\\)): chosen in float64, its error \\(\\|M\\|_F^2-\\|M^\\top a\\|^2/\\|a\\|^2\\) evaluated by mpmath."""
    Mf = np.array(M, dtype=float)
    a = np.random.default_rng(seed).standard_normal((trials, Mf.shape[0]))
    proj = np.sum((a @ Mf) ** 2, axis=1) / np.sum(a ** 2, axis=1)
    best = [mpmath.mpf(float(v)) for v in a[int(np.argmax(proj))]]
    Mm = mpmath.matrix(M)
    Mta = [mpmath.fsum(Mm[i, j] * best[i] for i in range(Mm.rows)) for j in range(Mm.cols)]
    return (mpmath.fsum(Mm[i, j] ** 2 for i in range(Mm.rows) for j in range(Mm.cols))
            - mpmath.fsum(v ** 2 for v in Mta) / mpmath.fsum(v ** 2 for v in best))
