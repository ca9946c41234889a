r"""Low-rank approximation II: the SVD, Eckart–Young–Mirsky and the pseudo-inverse.

Post: Su Jianlin, 《低秩近似之路（二）：SVD》 ("The road to low-rank approximation II: SVD"), Scientific Spaces,
2024-10-01, https://kexue.fm/archives/10407.
Builds on: Eckart & Young, "The approximation of one matrix by another of lower rank", Psychometrika 1936; Mirsky,
"Symmetric gauge functions and unitarily invariant norms", Q. J. Math. 1960.
Spec: ``shared/spec/catalog.md``, cards svd-C1, svd-C2.

Main results
------------
* ``C1.frobenius``: \(\|M\|_F^2=\operatorname{tr}M^\top M=\sum_j\sigma_j^2\) (proved, generic \(2\times2\)).
* ``C1.projection-residual``, ``C1.lp-lemma``: \(\|M-P_AM\|_F^2=\sum_j\sigma_j^2(1-w_j)\), \(w_j\in[0,1]\),
  \(\sum_jw_j=\operatorname{rank}A\); the minimum of \(\sum_j\sigma_j^2w_j\) over the polytope's vertices is
  \(\sum_{j>r}\sigma_j^2\) (proved). Hence \(\min_{\operatorname{rank}\le r}\|M-\tilde M\|_F^2=\sum_{j>r}\sigma_j^2\).
* ``C1.spectral``: \(\|Mx\|\ge\sigma_{\min}\) for unit \(x\), so \(\min\|M-\tilde M\|_2=\sigma_{r+1}\) (proved, certificate).
* ``C1.eckart-young-reference``: the card's \(4\times3\) matrix: \(\sigma\), \(\sum\sigma_j^2=63\), truncation error
  \(63-\sigma_1^2=16.0527056076608\ldots\), spectral error \(\sigma_2\), no random competitor better (checked, mpmath SVD).
* ``C2.pseudo-inverse``, ``C2.least-squares``, ``C2.left-right``: \(A^\dagger=V\Sigma^\dagger U^\top=(A^\top A)^{-1}A^\top\), the
  Moore–Penrose conditions, \(A^\dagger\) the unique minimiser of \(\|AB-I\|_F^2\), left and right regularised inverses
  coincide (proved; numpy's SVD route as an oracle).

Hypotheses
----------
* \(M=U\Sigma V^\top\) with \(\sigma_1\ge\dots\ge\sigma_p\ge0\), \(r<p\); the symbolic proofs use \(p=2\) (C1.frobenius,
  C1.projection-residual, C1.spectral) and \(p=4\) (C1.lp-lemma); the instance is the card's \(M\).
* C2: \(A\) of full column rank (the card's \(3\times2\) \(A\)).

Notation
--------
\(R(\alpha)\): the rotation by \(2\arctan t_\alpha\) (rational in \(t_\alpha\)); \(P_A=AA^\dagger\); \(\mu_1>\mu_2>\mu_3\) the roots of
\(\det(M^\top M-\mu I)=\mu^3-63\mu^2+798\mu-2083\), \(\sigma_j=\sqrt{\mu_j}\).

Errata
------
None in the post. The card prints its reference values with 20 digits of which only about 16 are right (float64
output): the claims use the first 15 (control ``N1.card-sigma-digits`` refutes all 20).
"""
from __future__ import annotations

import itertools

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Figure, Identity, Inequality, Oracle, claim, control,
                                positive, quantity, real, stated)

REFERENCE = ((4, 1, 2), (1, 3, 0), (2, 0, 5), (1, 1, 1))   # the card's 4 x 3 matrix
REF = sp.Matrix(REFERENCE)
# the true values to 28 digits (mpmath); the card prints float64 digits beyond the 16th
SIGMA_REF = ("6.851809570641843162166027529", "3.536164450435116531942275754", "1.883679003211468388038926244")
EY_REF = "16.05270560766084085765153865"


# --- numerics of the reference instance (mpmath at the working precision) ---------------------------------------

def mp_singular_values(M=REFERENCE):
    """Singular values (descending) by mpmath's ``svd_r`` at the working precision."""
    return list(mpmath.svd_r(mpmath.matrix(M), compute_uv=False))


def _truncation(M, r, keep):
    A = mpmath.matrix(M)
    U, S, V = mpmath.svd_r(A, full_matrices=False)
    idx = range(r) if keep == "largest" else range(len(S) - r, len(S))
    approx = mpmath.zeros(A.rows, A.cols)
    for j in idx:
        approx += S[j] * U[:, j] * V[j, :]
    return A - approx


def mp_truncation_error(M=REFERENCE, r=1, keep="largest"):
    """\\(\\|M-U_{:,S}\\Sigma_SV_{:,S}^\\top\\|_F^2\\) for the \\(r\\) largest (or smallest) singular triplets, by mpmath."""
    R = _truncation(M, r, keep)
    return mpmath.fsum(R[i, k] ** 2 for i in range(R.rows) for k in range(R.cols))


def mp_spectral_error(M=REFERENCE, r=1):
    """\\(\\|M-M_r\\|_2\\): the largest singular value of the residual of the rank-r SVD truncation, by mpmath."""
    return max(mpmath.svd_r(_truncation(M, r, "largest"), compute_uv=False))


def competitor_errors(M=REFERENCE, trials=20000, seed=0):
    """The errors \\(\\|M\\|_F^2-\\|M^\\top a\\|^2/\\|a\\|^2\\) of ``trials`` random rank-1 competitors \\(aa^\\top M/\\|a\\|^2\\) (\\(a\\)
    Gaussian; \\(B=a^\\dagger M\\) is the best \\(B\\) for that \\(a\\)), float64, and the draws."""
    Mf = np.array(M, dtype=float)
    a = np.random.default_rng(seed).standard_normal((trials, Mf.shape[0]))
    return np.sum(Mf ** 2) - np.sum((a @ Mf) ** 2, axis=1) / np.sum(a ** 2, axis=1), a


def mp_best_competitor(M=REFERENCE, trials=20000, seed=0):
    """The best of the random rank-1 competitors: chosen in float64, its error evaluated by mpmath."""
    errors, a = competitor_errors(M, trials, seed)
    best = [mpmath.mpf(float(v)) for v in a[int(np.argmin(errors))]]
    Mm = mpmath.matrix(M)
    Mta = [mpmath.fsum(Mm[i, j] * best[i] for i in range(Mm.rows)) for j in range(Mm.cols)]
    return (mpmath.fsum(Mm[i, j] ** 2 for i in range(Mm.rows) for j in range(Mm.cols))
            - mpmath.fsum(v ** 2 for v in Mta) / mpmath.fsum(v ** 2 for v in best))


# --- C1: Eckart-Young-Mirsky ------------------------------------------------------------------------------------

def rot(t):
    r"""Rotation by the angle \(2\arctan t\), rational in \(t\): every rotation except by \(\pi\)."""
    c, s = (1 - t**2) / (1 + t**2), 2 * t / (1 + t**2)
    return sp.Matrix([[c, -s], [s, c]])


ta, tb, tg = sp.symbols("t_alpha t_beta t_gamma", real=True)
s1, s2 = sp.symbols("sigma_1 sigma_2", positive=True)
delta = sp.Symbol("delta", nonnegative=True)
M2 = rot(ta) * sp.diag(s1, s2) * rot(tb).T       # a generic 2 x 2 matrix in SVD form
DOMAINS = {ta: real(-2, 2), tb: real(-2, 2), tg: real(-2, 2), s1: positive(3), s2: positive(3), delta: real(0, 2)}


def _frob2(A):
    return sum(x**2 for x in A)


@claim("C1.frobenius", r"\|M\|_F^2=\operatorname{tr}(M^\top M)=\sum_j\sigma_j^2,\quad\|M\|_2=\sigma_1\le\|M\|_F",
       hypotheses=(r"M=U\Sigma V^\top",))
def frobenius():
    r"""Orthogonal invariance: \(\operatorname{tr}(V\Sigma^\top U^\top U\Sigma V^\top)=\operatorname{tr}(\Sigma^\top\Sigma)\). Proved for a
    generic \(2\times2\) matrix \(R(\alpha)\operatorname{diag}(\sigma_1,\sigma_2)R(\beta)^\top\) (rational rotations); the card's
    \(4\times3\) instance is C1.eckart-young-reference."""
    return Identity(sp.trace(M2.T * M2), s1**2 + s2**2, DOMAINS, points=3)


@claim("C1.projection-residual", r"\|M-P_AM\|_F^2=\sum_j\sigma_j^2(1-w_j),\quad w_j=\|P_Au_j\|^2\in[0,1],\ \sum_jw_j=\operatorname{rank}A",
       hypotheses=(r"P_A=AA^\dagger",), uses=("C2.least-squares",))
def projection_residual():
    r"""For a rank-\(r\) competitor \(AB\) the best \(B\) is \(A^\dagger M\) (C2), leaving \(\|M-P_AM\|_F^2\). Writing
    \(M=\sum_j\sigma_ju_jv_j^\top\): \(\|P_AM\|_F^2=\sum_j\sigma_j^2\|P_Au_j\|^2\), so the residual is \(\sum_j\sigma_j^2(1-w_j)\).
    Proved for \(2\times2\) with a general rotation \(U\) and (by invariance) the projector onto \(e_1\)."""
    # by invariance (rotate P and U together, V = I on the right) the projector is onto e_1 and U is general
    U = rot(ta)
    M = U * sp.diag(s1, s2)
    P = sp.diag(1, 0)
    w = [(P * U[:, j]).norm() ** 2 for j in range(2)]
    return Identity(sp.Matrix([_frob2(M - P * M), w[0] + w[1]]),
                    sp.Matrix([s1**2 * (1 - w[0]) + s2**2 * (1 - w[1]), 1]), DOMAINS, points=3)


GAPS = sp.symbols("a1:5", nonnegative=True)


def _lp_vertices(p=4):
    r"""``(r, w)`` for every vertex \(w\in\{0,1\}^p\) of the polytope with \(\sum_jw_j\ge p-r\), \(r=1..p-1\)."""
    return [(r, w) for r in range(1, p) for w in itertools.product((0, 1), repeat=p) if sum(w) >= p - r]


@claim("C1.lp-lemma", r"\min\Big\{\sum_j\sigma_j^2w_j:\ 0\le w_j\le1,\ \sum_jw_j\ge p-r\Big\}=\sum_{j>r}\sigma_j^2",
       hypotheses=(r"\sigma_1\ge\dots\ge\sigma_p\ge0", r"p=4,\ r=1,2,3"))
def lp_lemma():
    r"""A linear objective attains its minimum over the polytope at a vertex; the constraint matrix is totally
    unimodular, so the vertices are the 0/1 vectors with \(\sum w_j\ge p-r\). With \(\sigma_j^2=a_j+\dots+a_p\) (gaps
    \(a_i\ge0\)) SymPy's ``Min`` over the objective at all vertices (31 for \(r=1,2,3\)) collapses exactly to
    \(\sum_{j>r}\sigma_j^2\): every other vertex exceeds it by a polynomial with nonnegative coefficients in the gaps.
    With \(1-w_j\) from C1.projection-residual this gives the Frobenius Eckart–Young bound."""
    sig2 = [sum(GAPS[j:]) for j in range(len(GAPS))]
    lhs = [sp.Min(*[sum(s * wi for s, wi in zip(sig2, w)) for rr, w in _lp_vertices() if rr == r]) for r in (1, 2, 3)]
    return Identity(sp.Matrix(lhs), sp.Matrix([sum(sig2[r:]) for r in (1, 2, 3)]), points=3)


@claim("C1.spectral", r"\|x\|=1\ \Rightarrow\ \|Mx\|^2\ge\sigma_{\min}^2,\ \text{so}\ \min_{\operatorname{rank}\tilde M\le1}\|M-\tilde M\|_2=\sigma_2",
       hypotheses=(r"p=2",))
def spectral():
    r"""A rank-1 \(\tilde M\) has a unit null vector \(x\); then \(\|M-\tilde M\|_2\ge\|(M-\tilde M)x\|=\|Mx\|\ge\sigma_2\), with
    equality for the SVD truncation. With \(y=V^\top x\): \(\|Mx\|^2-\sigma_2^2=(\sigma_1^2-\sigma_2^2)\,y_1^2\) with
    \(\sigma_1=\sigma_2+\delta\), \(\delta\ge0\)."""
    # ||Mx|| = ||Sigma V^T x||: U drops out and y = V^T x runs over the unit circle (rational parametrisation)
    y = rot(tg)[:, 0]
    return Inequality(_frob2(sp.diag(s2 + delta, s2) * y), ">=", s2**2, DOMAINS,
                      certificate=(delta**2 + 2 * delta * s2) * y[0] ** 2, points=8)


MU = [sp.CRootOf(sp.Poly((REF.T * REF).charpoly().as_expr()), i) for i in range(3)]   # eigenvalues of M^T M, ascending


def _card(text: str, digits: int = 15):
    r"""A float64 value the card prints with more digits than float64 carries: its first 15 significant digits
    (DBL_DIG, the digits a double guarantees) as a truncated decimal."""
    mantissa = text.replace(".", "").lstrip("0")
    point = text.index(".")
    lead = len(text[:point].lstrip("0")) or -(len(text[point + 1:]) - len(text[point + 1:].lstrip("0")))
    keep = digits - lead if lead > 0 else digits - lead
    return stated(text[:point + 1 + keep], truncated=True) if mantissa else stated(text)


CARD_SIGMA = ("6.8518095706418415958", "3.53616445043511618", "1.8836790032114685278")
CARD_EY = "16.05270560766084031456558"

def _sigma(j):
    return mp_singular_values()[int(j)]


def _truncation_error(r, smallest):
    return mp_truncation_error(r=int(r), keep="smallest" if smallest else "largest")


def _spectral_error(r):
    return mp_spectral_error(r=int(r))


Sigma = quantity("Sigma", evaluator=_sigma, positive=True, how="mpmath svd_r of the card's M")
TruncError = quantity("TruncError", evaluator=_truncation_error,
                      how="||M - rank-r SVD truncation||_F^2 by mpmath svd_r")
SpectralError = quantity("SpectralError", evaluator=_spectral_error, how="largest singular value of the rank-r residual")
BestCompetitor = quantity("BestCompetitor", evaluator=mp_best_competitor, how="best of 20000 random rank-1 competitors A A^+ M")


@claim("C1.eckart-young-reference", r"M=\left(\begin{smallmatrix}4&1&2\\1&3&0\\2&0&5\\1&1&1\end{smallmatrix}\right):\ "
       r"\sigma=(6.85180957064184\ldots,3.53616445043511\ldots,1.88367900321146\ldots),\ \|M\|_F^2=63,\ "
       r"\min_{\operatorname{rank}\le1}\|M-\tilde M\|_F^2=63-\sigma_1^2=16.0527056076608\ldots,\ "
       r"\min_{\operatorname{rank}\le1}\|M-\tilde M\|_2=\sigma_2",
       uses=("C1.frobenius", "C1.projection-residual", "C1.lp-lemma", "C1.spectral"), symbolic=False)
def eckart_young_reference():
    r"""The card's instance, by mpmath's SVD at the working precision: the singular values are the square roots of
    the roots of \(\det(M^\top M-\mu I)=\mu^3-63\mu^2+798\mu-2083\) and agree with the card's values (printed from
    float64 with 20 digits: its first 15 digits, see the control N1.card-sigma-digits); \(\sum\sigma_j^2=63\); the
    truncation error is \(63-\mu_1\) and the spectral error \(\sigma_2\); no random rank-1 competitor does better.
    Checked, not proved: the SVD is an mpmath iteration (symbolic phase skipped)."""
    sig = [Sigma(j) for j in range(3)]
    parts = [("sum of squares", Identity(sum(v ** 2 for v in sig), 63)),
             ("charpoly roots", Identity(sp.Matrix(sig), sp.Matrix([sp.sqrt(MU[2 - j]) for j in range(3)]))),
             *((f"card sigma_{j + 1}", Approximation(sig[j], _card(t))) for j, t in enumerate(CARD_SIGMA)),
             ("truncation error", Identity(TruncError(1, 0), 63 - MU[2])),
             ("card value", Approximation(TruncError(1, 0), _card(CARD_EY))),
             ("spectral error", Identity(SpectralError(1), sig[1])),
             ("random competitors", Inequality(BestCompetitor(), ">=", 63 - MU[2]))]
    return All(tuple(p for _, p in parts), tuple(lab for lab, _ in parts))


# ----------------------------------------------------------------------------- C2 pseudo-inverse

A = sp.Matrix([[1, 0], [1, 1], [0, 2]])
A_PINV = sp.Rational(1, 9) * sp.Matrix([[5, 4, -2], [-1, 1, 4]])


def _flat(*mats):
    return sp.Matrix([x for m in mats for x in m])


def _pinv_numpy(point):
    r"""The right-hand side from numpy's SVD: \(P=V\Sigma^\dagger U^\top\) (float64), then \(P,\ \texttt{pinv}(A),\ A,\ P,\ AP,\ PA\)."""
    Af = np.array(A.tolist(), dtype=float)
    U, s, Vt = np.linalg.svd(Af, full_matrices=False)
    Pn = Vt.T @ np.diag(1 / s) @ U.T
    blocks = (Pn, np.linalg.pinv(Af), Af, Pn, Af @ Pn, Pn @ Af)
    return mpmath.matrix([float(v) for blk in blocks for v in blk.ravel()])


@claim("C2.pseudo-inverse", r"A^\dagger=V\Sigma^\dagger U^\top=(A^\top A)^{-1}A^\top=\tfrac19\left(\begin{smallmatrix}5&4&-2\\-1&1&4\end{smallmatrix}\right)",
       hypotheses=(r"A=\left(\begin{smallmatrix}1&0\\1&1\\0&2\end{smallmatrix}\right)\ \text{full column rank}",),
       # float64 SVD of a well-conditioned 3x2 matrix (kappa = 1.77): entries of size <= 1.2 to a few units of 2^-52
       oracles=(Oracle("numpy SVD route V Sigma^+ U^T and numpy.linalg.pinv", _pinv_numpy, side="rhs",
                       tolerance=8 * 2.0 ** -52),))
def pseudo_inverse():
    r"""SymPy's ``pinv``, the normal-equation formula and the four Moore–Penrose conditions
    (\(AA^\dagger A=A\), \(A^\dagger AA^\dagger=A^\dagger\), \(AA^\dagger\) and \(A^\dagger A\) symmetric) in exact arithmetic;
    numpy's ``pinv`` and the SVD formula \(V\Sigma^\dagger U^\top\) agree to float64."""
    P = A_PINV
    lhs = _flat(A.pinv(), (A.T * A).inv() * A.T, A * P * A, P * A * P, (A * P).T, (P * A).T)
    rhs = _flat(P, P, A, P, A * P, P * A)
    return Identity(lhs, rhs)


B = sp.Matrix(2, 3, lambda i, j: sp.Symbol(f"b{i}{j}", real=True))


@claim("C2.least-squares", r"\|AB-I_3\|_F^2=\|AA^\dagger-I_3\|_F^2+\|A(B-A^\dagger)\|_F^2",
       uses=("C2.pseudo-inverse",))
def least_squares():
    r"""Pythagoras: \(AA^\dagger-I\) is orthogonal to the range of \(A\), so the cross term vanishes; for full column rank
    \(A(B-A^\dagger)=0\) forces \(B=A^\dagger\): the unique minimiser, with minimum \(\|AA^\dagger-I\|_F^2=n-r=1\)."""
    return Identity(sp.Matrix([_frob2(A * B - sp.eye(3)), _frob2(A * A_PINV - sp.eye(3))]),
                    sp.Matrix([_frob2(A * A_PINV - sp.eye(3)) + _frob2(A * (B - A_PINV)), 1]),
                    {b: real(-2, 2) for b in B}, points=3)


epsilon = sp.Symbol("epsilon", positive=True)


def _limit_eps0(M):
    r"""Entrywise \(\varepsilon\to0^+\) of rational functions whose denominators stay nonzero at 0 after ``cancel``."""
    return M.applyfunc(lambda e: sp.cancel(e).subs(epsilon, 0))


@claim("C2.left-right", r"(A^\top A+\varepsilon I)^{-1}A^\top=A^\top(AA^\top+\varepsilon I)^{-1}\ (\varepsilon>0),\quad"
       r"\lim_{\varepsilon\to0^+}A^\top(AA^\top+\varepsilon I)^{-1}=A^\dagger", uses=("C2.pseudo-inverse",))
def left_right():
    r"""The push-through identity \(A^\top(AA^\top+\varepsilon I)=(A^\top A+\varepsilon I)A^\top\): the left and right regularised
    inverses coincide for every \(\varepsilon>0\), and so do their limits, which equal \(A^\dagger\) even though \(AA^\top\) itself is
    singular here (control N2.right-inverse)."""
    left = (A.T * A + epsilon * sp.eye(2)).inv() * A.T
    right = A.T * (A * A.T + epsilon * sp.eye(3)).inv()
    return Identity(_flat(left, _limit_eps0(right)), _flat(right, A_PINV), {epsilon: positive(2)}, points=2)


# ----------------------------------------------------------------------------- controls


@control("N1.smallest-triplets", r"\|M-U_{:,p}\sigma_pV_{:,p}^\top\|_F^2=\min_{\operatorname{rank}\le1}\|M-\tilde M\|_F^2",
         symbolic=False)
def smallest_triplets():
    r"""Keeping the smallest singular triplet: error\(^2=63-\sigma_3^2\approx59.45\) against the optimum \(16.05\)."""
    return Identity(TruncError(1, 1), 63 - MU[2])


@control("N1.sigma-squared", r"\min_{\operatorname{rank}\le r}\|M-\tilde M\|_F^2=\sigma_{r+1}^2", symbolic=False)
def sigma_squared():
    r"""The Frobenius error is the sum of all discarded \(\sigma_j^2\), not \(\sigma_{r+1}^2\) alone (16.05 vs 12.50)."""
    return Identity(TruncError(1, 0), Sigma(1) ** 2)


@control("N1.card-sigma-digits", r"\sigma_1=6.8518095706418415958\ \text{(all 20 digits the card prints)}", symbolic=False)
def card_sigma_digits():
    r"""The card prints \(\sigma_1\) with 20 digits, but the value is \(6.85180957064184316\ldots\): the digits past the
    16th are float64 noise (a spec error; C1.eckart-young-reference uses the first 15)."""
    return Approximation(Sigma(0), stated(CARD_SIGMA[0]))


@control("N2.scaled-transpose", r"A^\dagger=A^\top/\|A\|_F^2")
def scaled_transpose():
    r"""\(A^\top/\|A\|_F^2=A^\top/7\) is not the pseudo-inverse (exact rational difference)."""
    return Identity(A.T / _frob2(A), A_PINV)


@control("N2.right-inverse", r"A^\dagger=A^\top(AA^\top)^{-1}\ \Rightarrow\ AA^\dagger=I_3")
def right_inverse():
    r"""The right-inverse formula makes \(A^\dagger\) a right inverse, \(AA^\dagger=AA^\top(AA^\top)^{-1}=I_3\); for a tall
    \(A\) (\(n>r\)) \(AA^\top\) is singular and \(AA^\dagger\) is the rank-2 projector onto the range of \(A\), not \(I_3\)."""
    return Identity(A * A_PINV, sp.eye(3))


def results():
    return [(r"A^\dagger", sp.latex(A_PINV)), (r"\sigma(M)", ", ".join(s[:22] for s in SIGMA_REF)),
            (r"\min_{\operatorname{rank}\le1}\|M-\tilde M\|_F^2", EY_REF[:22])]


def draw_competitors(fig):
    r"""Histogram of the errors of 20 000 random rank-1 approximations of the card's \(M\) against the SVD truncation
    (the Eckart–Young optimum) and the truncation that keeps the smallest triplet."""
    ax = fig.add_subplot(1, 1, 1)
    errors, _ = competitor_errors()
    ax.hist(errors, bins=120, color="#8c959f", label="20 000 random rank-1 competitors $aa^\\top M/\\|a\\|^2$")
    optimum, worst = float(EY_REF), float(63 - MU[0])
    ax.axvline(optimum, color="#0550ae", lw=2, label=f"SVD, largest triplet: $63-\\sigma_1^2={optimum:.4f}$")
    ax.axvline(worst, color="#cf222e", lw=2, ls="--", label=f"smallest triplet: $63-\\sigma_3^2={worst:.2f}$")
    ax.set_xlabel(r"$\|M-\tilde M\|_F^2$")
    ax.set_ylabel("competitors per bin")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)


DERIVATION = Derivation(
    slug="svd",
    title="Low-rank approximation II: SVD",
    source="https://kexue.fm/archives/10407",
    date="2024-10-01",
    summary="Eckart-Young-Mirsky in Frobenius and spectral norm via the LP lemma; the pseudo-inverse through the SVD.",
    claims=(frobenius, projection_residual, lp_lemma, spectral, eckart_young_reference, pseudo_inverse, least_squares,
            left_right),
    controls=(smallest_triplets, sigma_squared, card_sigma_digits, scaled_transpose, right_inverse),
    results=results,
    figures=(Figure("svd-rank1-competitors",
                    r"Eckart–Young on the card's $4\times3$ matrix $M$ ($\|M\|_F^2=63$): no random rank-1 approximation "
                    r"(each with its best coefficients $B=a^\dagger M$) comes below the SVD truncation's error "
                    r"$63-\sigma_1^2=16.0527$; keeping the smallest triplet instead gives 59.45.",
                    draw_competitors),),
)
