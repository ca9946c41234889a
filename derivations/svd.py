r"""Low-rank approximation II: the SVD, Eckart–Young–Mirsky and the pseudo-inverse.

Post: Su Jianlin, 《低秩近似之路（二）：SVD》 ("The road to low-rank approximation II: SVD"), Scientific Spaces,
2024-10-01, https://kexue.fm/archives/10407. Eckart & Young (1936), Mirsky (1960).

Main results
- C1 (exact, proved): \(\|M\|_F^2=\sum_j\sigma_j^2\); \(\|M-P_AM\|_F^2=\sum_j\sigma_j^2(1-w_j)\) with \(w_j\in[0,1]\),
  \(\sum_jw_j=\operatorname{rank}A\); the LP lemma \(\min\sum_j\sigma_j^2w_j=\sum_{j>r}\sigma_j^2\) on the vertices; the spectral
  bound \(\|Mx\|\ge\sigma_{\min}\). Hence \(\min_{\operatorname{rank}\le r}\|M-\tilde M\|_F^2=\sum_{j>r}\sigma_j^2\),
  \(\min\|M-\tilde M\|_2=\sigma_{r+1}\); the reference instance is cross-checked against numpy's SVD.
- C2 (exact, proved): \(A^\dagger=V\Sigma^\dagger U^\top=(A^\top A)^{-1}A^\top\), the Moore–Penrose conditions, and
  \(A^\dagger\) as the unique minimiser of \(\|AB-I\|_F^2\) (Pythagoras).
"""
from __future__ import annotations

import itertools

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import Derivation, Identity, Inequality, claim, control
from derivations.engine.symbolic import SymbolicOutcome
from numeric import svd as num
from numeric.identity import NumericOutcome, compare, fmt
from numeric.sampling import positive, real

REF = sp.Matrix(num.REFERENCE)
# true values (the card prints float64 digits beyond the 16th: 6.8518095706418415958, ..., 16.05270560766084031)
SIGMA_REF = ("6.851809570641843162166027529", "3.536164450435116531942275754", "1.883679003211468388038926244")
EY_REF = "16.05270560766084085765153865"


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


def _sigma_values(digits, seed):
    cmp = compare(lambda dps: (_at(dps, lambda: mpmath.fsum(s**2 for s in num.mp_singular_values())), 63), digits)
    with mpmath.workdps(40):
        sig = _at(40, num.mp_singular_values)
        ok_ref = all(abs(a - mpmath.mpf(b)) < 1e-27 for a, b in zip(sig, SIGMA_REF))
    _, _, s_np = num.np_truncation_errors()
    ok_np = np.allclose(s_np, [float(x) for x in sig], rtol=1e-14, atol=0)
    ok = cmp.status == "agree" and ok_ref and ok_np
    detail = (f"reference M: sum of squared singular values (mpmath svd_r) = 63 to {cmp.digits} digits; sigma = "
              f"{fmt(sig, 12)}; numpy.linalg.svd agrees to 1e-14")
    return NumericOutcome("agree" if ok else "disagree", cmp.digits, None if ok else {"text": detail}, detail)


def _at(dps, fn, *args):
    with mpmath.workdps(dps):
        return fn(*args)


@claim("C1.frobenius", r"\|M\|_F^2=\operatorname{tr}(M^\top M)=\sum_j\sigma_j^2,\quad\|M\|_2=\sigma_1\le\|M\|_F",
       hypotheses=(r"M=U\Sigma V^\top",), cross_check=_sigma_values)
def frobenius():
    r"""Orthogonal invariance: \(\operatorname{tr}(V\Sigma^\top U^\top U\Sigma V^\top)=\operatorname{tr}(\Sigma^\top\Sigma)\). Proved for a
    generic \(2\times2\) matrix \(R(\alpha)\operatorname{diag}(\sigma_1,\sigma_2)R(\beta)^\top\) (rational rotations);
    cross-checked on the card's \(4\times3\) matrix (\(\|M\|_F^2=63\)) by mpmath's ``svd_r`` and numpy's SVD."""
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


def _prove_lp():
    gaps = sp.symbols("a1:5", nonnegative=True)
    p = len(gaps)
    sig2 = [sum(gaps[j:]) for j in range(p)]           # sigma_1^2 >= ... >= sigma_4^2 >= 0
    checked = 0
    for r in range(1, p):
        bound = sum(sig2[r:])
        for w in itertools.product((0, 1), repeat=p):
            if sum(w) < p - r:
                continue
            poly = sp.Poly(sp.expand(sum(s * wi for s, wi in zip(sig2, w)) - bound), *gaps)
            if any(c < 0 for c in poly.coeffs()):
                return SymbolicOutcome("refuted", "vertex", {"text": f"vertex w={w}, r={r}: objective below the bound"})
            checked += 1
    return SymbolicOutcome("proved", f"{checked} vertices: objective - bound has nonnegative coefficients in the gaps")


def _lp_values(digits, seed):
    sig2 = [float(s) ** 2 for s in _at(30, num.mp_singular_values)]
    parts, ok = [], True
    for r in (1, 2):
        bound = sum(sorted(sig2)[: len(sig2) - r])
        best = num.lp_random_search(sig2, r, seed=seed % 2**32)
        ok &= best >= bound * (1 - 1e-12)
        parts.append(f"r={r}: random feasible w min {best:.6g} >= {bound:.6g}")
    detail = "; ".join(parts)
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C1.lp-lemma", r"\min\Big\{\sum_j\sigma_j^2w_j:\ 0\le w_j\le1,\ \sum_jw_j\ge p-r\Big\}=\sum_{j>r}\sigma_j^2",
       hypotheses=(r"\sigma_1\ge\dots\ge\sigma_p\ge0", r"p=4,\ r=1,2,3"), prove=_prove_lp, cross_check=_lp_values)
def lp_lemma():
    r"""A linear objective attains its minimum over the polytope at a vertex; the constraint matrix is totally
    unimodular, so the vertices are the 0/1 vectors with \(\sum w_j\ge p-r\). At each vertex the objective minus
    \(\sum_{j>r}\sigma_j^2\) is a polynomial with nonnegative coefficients in the gaps \(\sigma_j^2-\sigma_{j+1}^2\ge0\).
    With \(1-w_j\) from C1.projection-residual this gives the Frobenius Eckart–Young bound."""


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


def _ey_reference(digits, seed):
    cmp = compare(lambda dps: (_at(dps, num.mp_truncation_error),
                               _at(dps, lambda: 63 - max(mpmath.polyroots([1, -63, 798, -2083], maxsteps=200, extraprec=60)))),
                  digits)
    fro, spec, s = num.np_truncation_errors()
    best = num.competitor_search()
    with mpmath.workdps(40):
        ok_ref = abs(_at(40, num.mp_truncation_error) - mpmath.mpf(EY_REF)) < 1e-25
    ok = (cmp.status == "agree" and ok_ref and abs(fro - float(EY_REF)) < 1e-12 and abs(spec - s[1]) < 1e-13
          and best >= float(EY_REF) * (1 - 1e-12))
    detail = (f"r=1: mpmath truncation error^2 = 63 - largest root of det(M^T M - mu I) = {mpmath.nstr(cmp.lhs, 20)} "
              f"({cmp.digits} digits); numpy SVD: {fro:.15g}, spectral error {spec:.15g} = sigma_2; "
              f"20000 random rank-1 competitors (seed 0): best {best:.6g}")
    return NumericOutcome("agree" if ok else "disagree", cmp.digits, None if ok else {"text": detail}, detail)


@claim("C1.eckart-young-reference", r"M=\left(\begin{smallmatrix}4&1&2\\1&3&0\\2&0&5\\1&1&1\end{smallmatrix}\right):\ "
       r"\min_{\operatorname{rank}\le1}\|M-\tilde M\|_F^2=63-\sigma_1^2=16.0527056076608408\ldots",
       uses=("C1.frobenius", "C1.projection-residual", "C1.lp-lemma", "C1.spectral"), symbolic=False,
       cross_check=_ey_reference)
def eckart_young_reference():
    r"""The card's instance, against numpy's SVD (the library route) and mpmath at 50 digits: the truncation error
    equals \(63-\mu_1\) with \(\mu_1\) the largest root of \(\mu^3-63\mu^2+798\mu-2083\); the spectral error is \(\sigma_2\);
    no random rank-1 competitor does better."""


# ----------------------------------------------------------------------------- C2 pseudo-inverse

A = sp.Matrix([[1, 0], [1, 1], [0, 2]])
A_PINV = sp.Rational(1, 9) * sp.Matrix([[5, 4, -2], [-1, 1, 4]])


def _flat(*mats):
    return sp.Matrix([x for m in mats for x in m])


def _pinv_numpy(digits, seed):
    Af = np.array(A.tolist(), dtype=float)
    U, s, Vt = np.linalg.svd(Af, full_matrices=False)
    via_svd = Vt.T @ np.diag(1 / s) @ U.T
    ref = np.array(A_PINV.tolist(), dtype=float)
    err = max(np.abs(np.linalg.pinv(Af) - ref).max(), np.abs(via_svd - ref).max())
    detail = f"numpy pinv and V Sigma^+ U^T vs the exact (1/9)[[5,4,-2],[-1,1,4]]: max error {err:.2g}"
    ok = err < 1e-14
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C2.pseudo-inverse", r"A^\dagger=V\Sigma^\dagger U^\top=(A^\top A)^{-1}A^\top=\tfrac19\left(\begin{smallmatrix}5&4&-2\\-1&1&4\end{smallmatrix}\right)",
       hypotheses=(r"A=\left(\begin{smallmatrix}1&0\\1&1\\0&2\end{smallmatrix}\right)\ \text{full column rank}",), cross_check=_pinv_numpy)
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
    singular here (control C2.right-inverse)."""
    left = (A.T * A + epsilon * sp.eye(2)).inv() * A.T
    right = A.T * (A * A.T + epsilon * sp.eye(3)).inv()
    return Identity(_flat(left, _limit_eps0(right)), _flat(right, A_PINV), {epsilon: positive(2)}, points=2)


# ----------------------------------------------------------------------------- controls


def _mp_pair(lhs, rhs, label):
    def check(digits, seed):
        cmp = compare(lambda dps: (_at(dps, lhs), _at(dps, rhs)), digits)
        cx = {"text": f"{label}: {mpmath.nstr(cmp.lhs, 12)} vs {mpmath.nstr(cmp.rhs, 12)}"} if cmp.status == "disagree" else None
        return NumericOutcome(cmp.status, cmp.digits, cx, cmp.detail)
    return check


@control("C1.smallest-triplets", r"\|M-U_{:,p}\sigma_pV_{:,p}^\top\|_F^2=\min_{\operatorname{rank}\le1}\|M-\tilde M\|_F^2",
         symbolic=False, cross_check=_mp_pair(lambda: num.mp_truncation_error(keep="smallest"), num.mp_truncation_error,
                                               "reference M, r=1: keeping the smallest triplet vs the largest"))
def smallest_triplets():
    r"""Keeping the smallest singular triplet: error\(^2=63-\sigma_3^2\approx59.45\) against the optimum \(16.05\)."""


@control("C1.sigma-squared", r"\min_{\operatorname{rank}\le r}\|M-\tilde M\|_F^2=\sigma_{r+1}^2", symbolic=False,
         cross_check=_mp_pair(num.mp_truncation_error, lambda: num.mp_singular_values()[1] ** 2,
                              "reference M, r=1: optimal error^2 vs sigma_2^2"))
def sigma_squared():
    r"""The Frobenius error is the sum of all discarded \(\sigma_j^2\), not \(\sigma_{r+1}^2\) alone (16.05 vs 12.50)."""


@control("C2.scaled-transpose", r"A^\dagger=A^\top/\|A\|_F^2")
def scaled_transpose():
    r"""\(A^\top/\|A\|_F^2=A^\top/7\) is not the pseudo-inverse (exact rational difference)."""
    return Identity(A.T / _frob2(A), A_PINV)


def _prove_right_inverse():
    det = (A * A.T).det()
    if det == 0:
        return SymbolicOutcome("refuted", "determinant", {"text": f"A A^T = {sp.sstr((A * A.T).tolist())} has det = 0 "
                                                          "exactly (rank 2 < 3): A^T (A A^T)^(-1) does not exist"})
    return SymbolicOutcome("proved", "determinant")


@control("C2.right-inverse", r"A^\dagger=A^\top(AA^\top)^{-1}", prove=_prove_right_inverse, numeric=False)
def right_inverse():
    r"""The right-inverse formula needs \(AA^\top\) invertible, which fails for a tall \(A\) (\(n>r\))."""


def results():
    return [(r"A^\dagger", sp.latex(A_PINV)), (r"\sigma(M)", ", ".join(s[:22] for s in SIGMA_REF)),
            (r"\min_{\operatorname{rank}\le1}\|M-\tilde M\|_F^2", EY_REF[:22])]


DERIVATION = Derivation(
    slug="svd",
    title="Low-rank approximation II: SVD",
    source="https://kexue.fm/archives/10407",
    date="2024-10-01",
    summary="Eckart-Young-Mirsky in Frobenius and spectral norm via the LP lemma; the pseudo-inverse through the SVD.",
    claims=(frobenius, projection_residual, lp_lemma, spectral, eckart_young_reference, pseudo_inverse, least_squares,
            left_right),
    controls=(smallest_triplets, sigma_squared, scaled_transpose, right_inverse),
    results=results,
)
