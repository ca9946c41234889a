"""Numerics for the interpolative-decomposition derivation (:mod:`derivations.interp_decomp`): an own
column-pivoted QR (Businger–Golub) in float64, the Kahan matrix in mpmath, and the SciPy link."""
from __future__ import annotations

import mpmath
import numpy as np

REFERENCE = ((4, 1, 2, 3), (1, 3, 0, 1), (2, 0, 5, 2), (1, 1, 1, 1))


def cpqr(M, steps=None):
    """Householder QR with column pivoting, stopped after ``steps`` steps (default: all).

    Returns ``(perm, R)``: the column order after the swaps made so far (trailing columns stay where the swaps
    left them) and the partially reduced matrix. Ties go to the first column of largest residual norm.
    """
    A = np.array(M, dtype=float)
    m, n = A.shape
    perm = np.arange(n)
    steps = min(m, n) if steps is None else steps
    for k in range(steps):
        j = k + int(np.argmax(np.sum(A[k:, k:] ** 2, axis=0)))
        A[:, [k, j]], perm[[k, j]] = A[:, [j, k]], perm[[j, k]]
        x = A[k:, k]
        v = x.copy()
        v[0] += np.copysign(np.linalg.norm(x), x[0])
        if np.linalg.norm(v) > 0:
            v /= np.linalg.norm(v)
            A[k:, k:] -= 2 * np.outer(v, v @ A[k:, k:])
    return perm, A


def coefficients(R, r):
    """\\(T=R_{11}^{-1}R_{12}\\) from a (partially) reduced matrix."""
    return np.linalg.solve(np.triu(R[:r, :r]), R[:r, r:])


def kahan(n=10, theta="1.2", perturb=True):
    """The Kahan matrix \\(\\mathrm{diag}(1,s,\\dots,s^{n-1})(I-cN)\\), column \\(j\\) scaled by \\(1-25j\\cdot2^{-52}\\), at the
    working precision."""
    s, c = mpmath.sin(mpmath.mpf(theta)), mpmath.cos(mpmath.mpf(theta))
    K = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(i, n):
            K[i, j] = s**i * (1 if i == j else -c) * ((1 - 25 * j * mpmath.mpf(2) ** -52) if perturb else 1)
    return K


def kahan_coefficients(r=9, n=10):
    """For the Kahan matrix in its natural column order: the smallest CPQR pivot margin
    \\(\\min_{k\\le j}(R_{kk}^2-\\sum_{i=k}^jR_{ij}^2)\\) (positive: CPQR keeps the natural order) and \\(T=R_{11}^{-1}R_{12}\\)."""
    _, R = mpmath.qr(kahan(n))
    margin = min(R[k, k] ** 2 - mpmath.fsum(R[i, j] ** 2 for i in range(k, j + 1))
                 for k in range(n) for j in range(k + 1, n))
    T = mpmath.lu_solve(R[:r, :r], R[:r, r:])
    return margin, [T[i, 0] for i in range(r)]


def random_coefficient_max(r, trials=200, shape=(12, 10), seed=0) -> float:
    """Largest \\(|T_{ij}|\\) of the rank-r CPQR ID over seeded Gaussian matrices."""
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(trials):
        _, R = cpqr(rng.standard_normal(shape))
        worst = max(worst, float(np.abs(coefficients(R, r)).max()))
    return worst


def random_matrix(seed=0, shape=(8, 6)):
    return np.random.default_rng(seed).standard_normal(shape)


def scipy_link(M, r):
    """SciPy's ``interp_decomp(M, r, rand=False)`` against the CPQR of :func:`cpqr`:
    returns a dict of the comparisons (raises ImportError without SciPy)."""
    import scipy.linalg.interpolative as sli

    A = np.array(M, dtype=float)
    idx, proj = sli.interp_decomp(A, r, rand=False)
    perm_r, R_r = cpqr(A, steps=r)            # stopped after r swaps: trailing order as left by the swaps
    perm_full, R_full = cpqr(A)
    T_r = coefficients(R_r, r)
    T_full = coefficients(R_full, r)
    C = sli.reconstruct_skel_matrix(A, r, idx)
    Z = sli.reconstruct_interp_matrix(idx, proj)
    return {
        "idx": tuple(int(i) for i in idx), "pivots_full": tuple(int(i) for i in perm_full),
        "proj": proj.tolist(),
        "same_skeleton": set(idx[:r]) == set(perm_full[:r]) and tuple(idx[:r]) == tuple(perm_full[:r]),
        "proj_vs_T": float(np.abs(proj - T_r).max()) if tuple(idx) == tuple(perm_r) else float("inf"),
        "proj_vs_T_qr_order": float(np.abs(proj - T_full).max()),
        "skeleton_is_C": float(np.abs(C - A[:, idx[:r]]).max()),
        "identity_on_skeleton": float(np.abs(Z[:, idx[:r]] - np.eye(r)).max()),
        "error": float(np.linalg.norm(A - C @ Z)),
        "R22": float(np.linalg.norm(np.triu(R_full)[r:, r:])),
    }


def mp_cpqr(M, steps=None):
    """Column-pivoted QR at the working precision (modified Gram–Schmidt, Businger–Golub pivoting: at each step
    the remaining column of largest residual norm; ties to the first).  ``M`` is taken exactly (float64 entries
    as their binary values).  Returns ``(perm, R)`` with ``R`` the ``steps x n`` upper-trapezoidal factor of
    ``M[:, perm]``."""
    A = mpmath.matrix([[mpmath.mpf(float(v)) if not isinstance(v, mpmath.mpf) else v for v in row] for row in
                       (M.tolist() if hasattr(M, "tolist") else M)])
    m, n = A.rows, A.cols
    steps = min(m, n) if steps is None else steps
    perm = list(range(n))
    R = mpmath.zeros(steps, n)
    for k in range(steps):
        norms = [mpmath.fsum(A[i, j] ** 2 for i in range(m)) for j in range(k, n)]
        j = k + max(range(len(norms)), key=lambda t: (norms[t], -t))
        if j != k:
            perm[k], perm[j] = perm[j], perm[k]
            for i in range(m):
                A[i, k], A[i, j] = A[i, j], A[i, k]
            for i in range(k):
                R[i, k], R[i, j] = R[i, j], R[i, k]
        R[k, k] = mpmath.sqrt(norms[j - k])
        q = [A[i, k] / R[k, k] for i in range(m)]
        for c in range(k + 1, n):
            R[k, c] = mpmath.fsum(q[i] * A[i, c] for i in range(m))
            for i in range(m):
                A[i, c] -= R[k, c] * q[i]
        for i in range(m):
            A[i, k] = 0
    return perm, R


def mp_coefficients(R, r):
    """\\(T=R_{11}^{-1}R_{12}\\) at the working precision (column by column: ``lu_solve`` takes a vector)."""
    T = mpmath.zeros(r, R.cols - r)
    for c in range(R.cols - r):
        col = mpmath.lu_solve(R[:r, :r], R[:r, r + c])
        for i in range(r):
            T[i, c] = col[i]
    return T
