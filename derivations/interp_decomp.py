r"""Low-rank approximation IV: the interpolative decomposition (ID) by column-pivoted QR.

Post: Su Jianlin, 《低秩近似之路（四）：ID》 ("The road to low-rank approximation IV: ID"), Scientific Spaces,
2024-10-30, https://kexue.fm/archives/10501.
Builds on: Cheng, Gimbutas, Martinsson, Rokhlin, "On the compression of low rank matrices", SIAM J. Sci. Comput. 2005;
Advani & O'Hagan, "Efficient Algorithms for Constructing an Interpolative Decomposition", arXiv:2105.07076; SciPy's
``scipy.linalg.interpolative``.
Spec: ``shared/spec/catalog.md``, cards id-C1, id-C2.

Main results
------------
* ``C1.pivots``, ``C1.coefficients``: on the card's \(4\times4\) matrix (\(r=2\)) CPQR pivots on columns \((2,1)\);
  \(Z=C^\dagger M=[I_r,\ R_{11}^{-1}R_{12}]\Pi^\top\) with \(T=R_{11}^{-1}R_{12}=\left(\begin{smallmatrix}185/321&166/321\\61/107&53/107
  \end{smallmatrix}\right)\) (proved, exact surds).
* ``C1.error``: \(\|M-CZ\|_F^2=\|R_{22}\|_F^2=2963/321\), \(\|M-CZ\|_F=3.038178664103804202736769\) (certified).
* ``C1.eckart-young-floor``: \(2963/321\ge\sigma_3^2+\sigma_4^2\), \(\sqrt{\sigma_3^2+\sigma_4^2}=1.951404773033216319075173\)
  (certified: root-isolation balls of the eigenvalues of \(M^\top M\)).
* ``C2.scipy-link``: SciPy's ``interp_decomp(M, r, rand=False)`` is this CPQR: ``idx`` \((2,1,0,3)\), ``proj`` \(=T\) within
  float64's backward error, error \(3.038178664103804\) (checked, float64).

Hypotheses
----------
* Column pivoting (Businger–Golub): \(R_{kk}^2\ge\sum_{i=k}^jR_{ij}^2\) for \(j\ge k\); \(R_{11}\) invertible.
* The instances: the card's integer \(M\), \(r=2\); SciPy's ``rand=False``; the seed-0 \(8\times6\) Gaussian matrix, \(r=3\).

Notation
--------
\(M\Pi=QR\), \(C=(M\Pi)_{:,:r}=Q_1R_{11}\), \(T=R_{11}^{-1}R_{12}\), \(Z=[I_r,\ T]\Pi^\top\); ``idx``, ``proj``: SciPy's outputs.

Errata
------
* ``E1.coefficient-bound``: the post's \(|Z_{ij}|\le2\) is not guaranteed by column pivoting (the Kahan matrix:
  \(\max|T|=4.29998\)); CPQR gives \(|T_{ij}|\le2^{r-i}\) (strong rank-revealing QR is needed for a constant).
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Erratum, Figure, Identity, Inequality, claim, control,
                                integers, quantity, stated)

REFERENCE = ((4, 1, 2, 3), (1, 3, 0, 1), (2, 0, 5, 2), (1, 1, 1, 1))


# --- column-pivoted QR: float64 (the library's algorithm) and mpmath (working precision) -----------------------

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


def float64_coefficients(R, r):
    """\\(T=R_{11}^{-1}R_{12}\\) from a (partially) reduced matrix."""
    return np.linalg.solve(np.triu(R[:r, :r]), R[:r, r:])


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


def kahan(n=10, theta="1.2", perturb=True):
    """The Kahan matrix \\(\\mathrm{diag}(1,s,\\dots,s^{n-1})(I-cN)\\), column \\(j\\) scaled by \\(1-25j\\cdot2^{-52}\\), at the
    working precision."""
    s, c = mpmath.sin(mpmath.mpf(theta)), mpmath.cos(mpmath.mpf(theta))
    K = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(i, n):
            K[i, j] = s**i * (1 if i == j else -c) * ((1 - 25 * j * mpmath.mpf(2) ** -52) if perturb else 1)
    return K


def random_matrix(seed=0, shape=(8, 6)):
    return np.random.default_rng(seed).standard_normal(shape)


def random_coefficient_max(r, trials=200, shape=(12, 10), seed=0) -> float:
    """Largest \\(|T_{ij}|\\) of the rank-r CPQR ID over seeded Gaussian matrices."""
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(trials):
        _, R = cpqr(rng.standard_normal(shape))
        worst = max(worst, float(np.abs(float64_coefficients(R, r)).max()))
    return worst


def scipy_comparison(M, r):
    """SciPy's ``interp_decomp(M, r, rand=False)`` against the CPQR of :func:`cpqr`:
    returns a dict of the comparisons (raises ImportError without SciPy)."""
    import scipy.linalg.interpolative as sli

    A = np.array(M, dtype=float)
    idx, proj = sli.interp_decomp(A, r, rand=False)
    perm_r, R_r = cpqr(A, steps=r)            # stopped after r swaps: trailing order as left by the swaps
    perm_full, R_full = cpqr(A)
    T_r = float64_coefficients(R_r, r)
    T_full = float64_coefficients(R_full, r)
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


# --- C1: the ID of the card's matrix -------------------------------------------------------------------------

M = sp.Matrix(REFERENCE)
R_RANK = 2
PIVOTS = (2, 1)
REST = (0, 3)
T_REF = sp.Matrix([[sp.Rational(185, 321), sp.Rational(166, 321)], [sp.Rational(61, 107), sp.Rational(53, 107)]])
ERR2 = sp.Rational(2963, 321)


def _frob2(A):
    return sum(x**2 for x in A)


# exact (surd) QR of M Pi, Pi the CPQR order (2, 1, 0, 3); computed once at import because the first surd QR
# of a process costs ~0.2 s, which each forked claim would otherwise repeat
QR_EXACT = (M[:, list(PIVOTS + REST)]).QRdecomposition()


def _exact_qr():
    return QR_EXACT


def _residual_norms():
    r"""Squared column norms, then the squared norms of the columns after projecting out the first pivot."""
    cols = [M[:, j] for j in range(4)]
    first = [_frob2(c) for c in cols]
    p = cols[PIVOTS[0]]
    second = [_frob2(c) - (c.dot(p)) ** 2 / _frob2(p) for j, c in enumerate(cols) if j != PIVOTS[0]]
    return first, second


@claim("C1.pivots", r"\|m_j\|^2=(22,11,30,15)\Rightarrow\pi_1=2;\quad\|m_j-P_{m_2}m_j\|^2=\big(\tfrac{299}{30},\tfrac{321}{30},\tfrac{161}{30}\big)_{j=0,1,3}"
       r"\Rightarrow\pi_2=1")
def pivots():
    r"""Column pivoting picks, at each step, the column of largest residual norm: column 2 (norm\(^2\) 30), then column 1
    (\(11-3^2/30=321/30\)). Exact rationals (the float64 CPQR of SciPy agrees: C2.scipy-link)."""
    first, second = _residual_norms()
    return Identity(sp.Matrix(first + second), sp.Matrix([22, 11, 30, 15, sp.Rational(299, 30), sp.Rational(321, 30),
                                                           sp.Rational(161, 30)]))


@claim("C1.coefficients", r"Z=C^\dagger M=[I_r,\ R_{11}^{-1}R_{12}]\Pi^\top,\quad R_{11}^{-1}R_{12}="
       r"\left(\begin{smallmatrix}185/321&166/321\\61/107&53/107\end{smallmatrix}\right)", uses=("C1.pivots",))
def coefficients():
    r"""\(M\Pi=Q_1[R_{11}\ R_{12}]+Q_2[0\ R_{22}]\) and \(C^\dagger=R_{11}^{-1}Q_1^\top\), so \(C^\dagger M\Pi=[I_r,\ R_{11}^{-1}R_{12}]\):
    the optimal coefficients for the chosen columns, with \(I_r\) on them. Exact QR with surds against the normal
    equations \((C^\top C)^{-1}C^\top M\)."""
    Q, R = _exact_qr()
    C = M[:, list(PIVOTS)]
    Z = (C.T * C).inv() * C.T * M
    T_qr = R[:R_RANK, :R_RANK].inv() * R[:R_RANK, R_RANK:]
    lhs = sp.Matrix([*T_qr, *Z[:, list(PIVOTS)], *Z[:, list(REST)]])
    return Identity(lhs, sp.Matrix([*T_REF, *sp.eye(R_RANK), *T_REF]))


@claim("C1.error", r"\|M-CZ\|_F^2=\|R_{22}\|_F^2=\tfrac{2963}{321},\quad\|M-CZ\|_F=3.038178664103804202736769",
       uses=("C1.coefficients",))
def error():
    r"""\(M\Pi-CZ\Pi=Q_2[0\ R_{22}]\), so the ID error is exactly \(\|R_{22}\|_F\). Exact: the projection
    \((I-C(C^\top C)^{-1}C^\top)M\) against the surd QR; the card's 25-digit value of the norm."""
    _, R = _exact_qr()
    C = M[:, list(PIVOTS)]
    resid = M - C * (C.T * C).inv() * C.T * M
    return All((Identity(sp.Matrix([_frob2(resid), _frob2(R[R_RANK:, R_RANK:])]), sp.Matrix([ERR2, ERR2])),
                Approximation(sp.sqrt(_frob2(resid)), stated("3.038178664103804202736769"))), ("exact", "card value"))


CHARPOLY = sp.Poly((M.T * M).charpoly().as_expr())     # mu^4 - 78 mu^3 + 1081 mu^2 - 3042 mu + 16


def _eigen_ball(j, digits):
    r"""An Arb ball around \(\sigma_j^2\) (\(j=1..4\), descending): the roots of \(\det(M^\top M-\mu I)\) isolated by FLINT's
    ``fmpz_poly.complex_roots`` (rigorous isolating balls at the current precision; all four are real)."""
    import flint
    roots = flint.fmpz_poly([int(c) for c in reversed(CHARPOLY.all_coeffs())]).complex_roots()
    return sorted((z.real for z, _ in roots), key=lambda b: -float(b.mid()))[j - 1]


def _sigma_squared(j):
    r"""\(\sigma_j^2\) of the card's \(M\) by mpmath's SVD (``svd_r``) at the working precision."""
    return sorted(mpmath.svd_r(mpmath.matrix(REFERENCE), compute_uv=False), reverse=True)[int(j) - 1] ** 2


def _sigma_squared_ball(j, digits):
    return _eigen_ball(int(j.unique_fmpz()), digits)


SigmaSq = quantity("SigmaSq", evaluator=_sigma_squared, positive=True, enclosure=_sigma_squared_ball,
                   how="root isolation of det(M^T M - mu I) (FLINT ball); mpmath svd_r (value)")


@claim("C1.eckart-young-floor", r"\|R_{22}\|_F^2\ge\sum_{j>r}\sigma_j^2:\quad\tfrac{2963}{321}\ge\sigma_3^2+\sigma_4^2,\quad"
       r"\sqrt{\sigma_3^2+\sigma_4^2}=1.951404773033216319075173", uses=("C1.error",), symbolic=False)
def eckart_young_floor():
    r"""\(CZ\) has rank \(r\), so by Eckart–Young (catalog ``svd``) its error is at least \(\sum_{j>r}\sigma_j^2\). For the
    reference: the squared singular values are the roots of \(\mu^4-78\mu^3+1081\mu^2-3042\mu+16\), enclosed by FLINT's
    rigorous root isolation (certified; mpmath's SVD gives the values); the card's 25-digit floor."""
    _, R = _exact_qr()
    floor = SigmaSq(3) + SigmaSq(4)
    return All((Inequality(_frob2(R[R_RANK:, R_RANK:]), ">=", floor),
                Approximation(sp.sqrt(floor), stated("1.951404773033216319075173"))), ("bound", "card value"))


@control("N1.forget-r11-inverse", r"Z=[I_r,\ R_{12}]\Pi^\top\ \Rightarrow\ \|M-CZ\|_F^2=\|R_{22}\|_F^2")
def forget_r11_inverse():
    r"""Dropping \(R_{11}^{-1}\) from the coefficients: a different (worse) error, an exact nonzero surd difference."""
    _, R = _exact_qr()
    C = M[:, list(PIVOTS)]
    Zp = sp.zeros(R_RANK, 4)
    for k, j in enumerate(PIVOTS + REST):
        Zp[:, j] = sp.eye(R_RANK)[:, k] if k < R_RANK else R[:R_RANK, k]
    return Identity(_frob2(M - C * Zp), ERR2)


# ----------------------------------------------------------------------------- C2 SciPy

RANDOM_RANK = 3


def _float64_tolerance(A, pivots, T):
    r"""Forward error of \(T=R_{11}^{-1}R_{12}\) from a backward-stable float64 QR of the \(m\)-row matrix ``A``:
    \(m\,u\,\kappa_2(C)\max|T|\), \(u=2^{-53}\), \(C\) the chosen columns (a bound, so its own few digits are enough)."""
    C = np.array(A, dtype=float)[:, list(pivots)]
    bound = C.shape[0] * 2.0 ** -53 * np.linalg.cond(C) * float(np.max(np.abs(np.array(T, dtype=float))))
    return sp.Rational(float(f"{bound:.3g}"))


@lru_cache(maxsize=None)
def _scipy(which):
    """SciPy's ``interp_decomp(M, r, rand=False)`` on the card's matrix (``which`` 0, r = 2) or the seed-0 8x6
    Gaussian matrix (1, r = 3), and the comparisons of C2 (see :func:`scipy_comparison`)."""
    A, r = (REFERENCE, R_RANK) if which == 0 else (random_matrix(), RANDOM_RANK)
    return scipy_comparison(A, r)


def _scipy_idx(which, k):
    return _scipy(int(which))["idx"][int(k)]


def _scipy_proj(which, i, j):
    return _scipy(int(which))["proj"][int(i)][int(j)]


def _scipy_error(which):
    return _scipy(int(which))["error"]


def _scipy_copy(which):
    out = _scipy(int(which))
    return out["skeleton_is_C"] + out["identity_on_skeleton"]


ScipyIdx = quantity("ScipyIdx", evaluator=_scipy_idx, how="scipy.linalg.interpolative.interp_decomp(M, r, rand=False)")
ScipyProj = quantity("ScipyProj", evaluator=_scipy_proj, how="scipy interp_decomp's proj (float64)")
ScipyError = quantity("ScipyError", evaluator=_scipy_error,
                      how="||M - C Z||_F from scipy's reconstruct_skel_matrix and reconstruct_interp_matrix")
ScipyCopy = quantity("ScipyCopy", evaluator=_scipy_copy, how="max |C - M[:, idx[:r]]| + max |Z[:, idx[:r]] - I| (scipy)")


def _cpqr_order(which, k, steps):
    r"""The \(k\)-th column of the CPQR order (mpmath, working precision) after ``steps`` swaps (0: all)."""
    A = REFERENCE if int(which) == 0 else random_matrix()
    return mp_cpqr(A, int(steps) or None)[0][int(k)]


CpqrOrder = quantity("CpqrOrder", evaluator=_cpqr_order, how="column-pivoted Gram-Schmidt QR in mpmath")


@claim("C2.scipy-link", r"\texttt{interp\_decomp}(M,r,\texttt{rand=False})=(\mathrm{idx},\mathrm{proj}):\ \mathrm{idx}_{:r}=\pi_{:r},\ "
       r"\mathrm{proj}=R_{11}^{-1}R_{12}\ \text{(columns in order }\mathrm{idx}_{r:}),\ \|M-CZ\|_F=\|R_{22}\|_F=3.038178664103804",
       uses=("C1.coefficients", "C1.error"), symbolic=False, kind="float64 correspondence")
def scipy_link():
    r"""Float64 check only (the library's own computation): on the card's matrix SciPy's ``idx`` is \((2,1,0,3)\): the
    CPQR columns, then the rest in the order the \(r\) pivot swaps leave; ``proj`` is \(T\) within the forward error of a
    backward-stable float64 QR (\(4u\kappa_2(C)\max|T|\approx4.4\cdot10^{-16}\); the card's "\(2\cdot10^{-16}\)" is the
    measured gap \(2^{-52}\) rounded down); ``reconstruct_skel_matrix`` copies the columns \(C\) and
    ``reconstruct_interp_matrix`` puts \(I_r\) on ``idx[:r]`` exactly; the error is the card's \(3.038178664103804\), which
    is \(\sqrt{2963/321}\) to its 16 digits. On the seed-0 \(8\times6\) Gaussian matrix (\(r=3\)) ``idx`` is the CPQR order
    after 3 swaps (mpmath). With ``rand=True`` a randomized sketch may pick other columns."""
    tol = _float64_tolerance(REFERENCE, PIVOTS, T_REF.tolist())
    parts = [("idx", Identity(sp.Matrix([ScipyIdx(0, k) for k in range(4)]), sp.Matrix(PIVOTS + REST))),
             *((f"proj[{i},{j}]", Approximation(ScipyProj(0, i, j), T_REF[i, j], tol))
               for i in range(R_RANK) for j in range(2)),
             ("copies", Identity(ScipyCopy(0), 0)),
             ("error", Approximation(ScipyError(0), stated("3.038178664103804"))),
             ("exact error", Approximation(sp.sqrt(ERR2), stated("3.038178664103804"))),
             ("8x6 idx", Identity(sp.Matrix([ScipyIdx(1, k) for k in range(6)]),
                                  sp.Matrix([CpqrOrder(1, k, RANDOM_RANK) for k in range(6)])))]
    return All(tuple(p for _, p in parts), tuple(lab for lab, _ in parts))


def _qr_coefficients(i, j):
    r"""\(T=R_{11}^{-1}R_{12}\) of the seed-0 \(8\times6\) matrix with the columns in the order of the *full* CPQR
    (``scipy.linalg.qr(pivoting=True)``), float64."""
    import scipy.linalg
    A = random_matrix()
    _, R, piv = scipy.linalg.qr(A, pivoting=True)
    return float(np.linalg.solve(R[:RANDOM_RANK, :RANDOM_RANK], R[:RANDOM_RANK, RANDOM_RANK:])[int(i), int(j)])


QrCoefficient = quantity("QrCoefficient", evaluator=_qr_coefficients, how="scipy.linalg.qr(pivoting=True), float64")


@control("N2.qr-trailing-order", r"\mathrm{proj}\ \text{columns follow }\texttt{scipy.linalg.qr}\text{'s trailing pivot order}",
         symbolic=False)
def qr_trailing_order():
    r"""A full CPQR keeps pivoting the trailing columns; ``interp_decomp`` stops after \(r\) swaps, so the two orders
    differ in general: on the seed-0 \(8\times6\) matrix ``idx``\(=(0,3,5,1,4,2)\), ``qr``'s pivots \((0,3,5,4,2,1)\), and
    ``proj`` is not \(T\) in ``qr``'s order (the float64 tolerance of C2.scipy-link)."""
    import scipy.linalg
    A = random_matrix()
    _, R, piv = scipy.linalg.qr(A, pivoting=True)
    T = np.linalg.solve(R[:RANDOM_RANK, :RANDOM_RANK], R[:RANDOM_RANK, RANDOM_RANK:])
    tol = _float64_tolerance(A, piv[:RANDOM_RANK], T)
    return All(tuple(Approximation(ScipyProj(1, i, j), QrCoefficient(i, j), tol)
                     for i in range(RANDOM_RANK) for j in range(3)),
               tuple(f"proj[{i},{j}]" for i in range(RANDOM_RANK) for j in range(3)))


# ----------------------------------------------------------------------------- erratum: the coefficient bound

KAHAN_RANK = 9


@lru_cache(maxsize=None)
def _kahan_coefficients(dps):
    with mpmath.workdps(dps):
        _, R = mp_cpqr(kahan(), KAHAN_RANK)
        return mp_coefficients(R, KAHAN_RANK)


def _kahan_coefficient(i):
    r"""\(|T_{i1}|\) of the rank-9 CPQR ID of the (perturbed) \(10\times10\) Kahan matrix, by column-pivoted QR at the
    working precision (the pivoting keeps the natural order: the perturbation \(1-25j\cdot2^{-52}\) breaks the ties)."""
    return abs(_kahan_coefficients(mpmath.mp.dps)[int(i) - 1, 0])


KahanT = quantity("KahanT", evaluator=_kahan_coefficient, how="CPQR of the Kahan matrix (n=10, theta=1.2) in mpmath")


@claim("E1.post-bound-2", r"|Z_{ij}|\le2\ \text{for the CPQR interpolative decomposition}", symbolic=False)
def post_bound_2():
    r"""The bound \(|Z_{ij}|\le2\) as a guarantee of column-pivoted QR, on the Kahan matrix (\(n=10\), \(\theta=1.2\), \(r=9\))."""
    return All(tuple(Inequality(KahanT(i), "<=", 2) for i in range(1, KAHAN_RANK + 1)),
               tuple(f"i={i}" for i in range(1, KAHAN_RANK + 1)))


ii = sp.Symbol("i", integer=True, positive=True)
kk = sp.Symbol("k", integer=True, nonnegative=True)     # k = r - i
jj = sp.Symbol("j", integer=True)


@claim("E1.corrected-bound", r"|T_{ij}|\le2^{\,r-i}\ (\le2^{r-1})\quad\text{since}\quad1+\sum_{j=i+1}^{r}2^{r-j}=2^{r-i}",
       hypotheses=(r"R_{kk}^2\ge\sum_{i=k}^jR_{ij}^2\ \Rightarrow\ |R_{kj}|\le|R_{kk}|",))
def corrected_bound():
    r"""Back substitution in \(R_{11}t=b\) (\(b\) a column of \(R_{12}\), \(|b_i|\le|R_{ii}|\), \(|R_{ij}|\le|R_{ii}|\) by the pivoting
    rule): \(|t_r|\le1\) and \(|t_i|\le1+\sum_{j>i}|t_j|\), whose solution is \(2^{r-i}\) (the geometric sum, proved with
    \(r=i+k\)). Strong rank-revealing QR (Gu–Eisenstat) is needed for a constant bound. Checked on the Kahan matrix,
    where \(|T_{i1}|\le2^{9-i}\) holds and \(\max|T|=4.29998>2\)."""
    return All((Identity(1 + sp.Sum(2 ** (ii + kk - jj), (jj, ii + 1, ii + kk)), 2**kk,
                         {ii: integers(1, 12), kk: integers(0, 12)}, points=3),
                *(Inequality(KahanT(i), "<=", 2 ** (KAHAN_RANK - i)) for i in range(1, KAHAN_RANK + 1))),
               ("geometric sum", *(f"Kahan i={i}" for i in range(1, KAHAN_RANK + 1))))


def results():
    return [("T", sp.latex(T_REF)), (r"\|M-CZ\|_F^2", sp.latex(ERR2))]


def draw_kahan(fig):
    r"""\(|T_{i1}|\) of the rank-9 CPQR ID of the \(10\times10\) Kahan matrix (mpmath, 30 digits) against the post's bound 2 and
    the corrected bound \(2^{r-i}\)."""
    ax = fig.add_subplot(1, 1, 1)
    i = np.arange(1, KAHAN_RANK + 1)
    with mpmath.workdps(30):
        t = [float(_kahan_coefficient(k)) for k in i]
    ax.semilogy(i, 2.0 ** (KAHAN_RANK - i), "-", color="#1a7f37", lw=1.5, label=r"corrected bound $2^{r-i}$")
    ax.axhline(2, color="#cf222e", ls="--", lw=1.5, label=r"the post's bound $|Z_{ij}|\leq2$")
    ax.semilogy(i, t, "o", color="#0550ae", ms=6, label=r"$|T_{i1}|$, Kahan matrix ($n=10$, $\theta=1.2$, $r=9$)")
    ax.set_xlabel("row $i$ of $T=R_{11}^{-1}R_{12}$")
    ax.set_ylabel(r"$|T_{i1}|$")
    ax.set_xticks(i)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")


DERIVATION = Derivation(
    slug="id",
    title="Low-rank approximation IV: ID (interpolative decomposition)",
    source="https://kexue.fm/archives/10501",
    date="2024-10-30",
    summary="CPQR gives an ID whose error is exactly ||R22||_F; SciPy's interp_decomp is that CPQR; coefficients can exceed 2.",
    claims=(pivots, coefficients, error, eckart_young_floor, scipy_link),
    controls=(forget_r11_inverse, qr_trailing_order),
    errata=(Erratum("E1.coefficient-bound", post_says=post_bound_2, correct=corrected_bound,
                    note="plain CPQR bounds the coefficients by 2^(r-1), not by 2"),),
    results=results,
    figures=(Figure("id-kahan-coefficients",
                    r"The coefficients of the interpolative decomposition of the Kahan matrix: column pivoting keeps the "
                    r"natural order, and $|T_{i1}|$ grows to 4.29998 at $i=1$, above the post's bound 2 but within the "
                    r"bound $2^{r-i}$ that column pivoting does guarantee.",
                    draw_kahan),),
)
