r"""Low-rank approximation III: column–row (CR) sampling of a matrix product.

Post: Su Jianlin, 《低秩近似之路（三）：CR》 ("The road to low-rank approximation III: CR"), Scientific Spaces,
2024-10-11, https://kexue.fm/archives/10427. Drineas, Kannan, Mahoney, "Fast Monte Carlo Algorithms for Matrices I:
Approximating Matrix Multiplication", SIAM J. Comput. 36(1), 2006.

Setting: \(X=(x_1..x_l)\), \(Y\) with rows \(y_i^\top\), \(v_i=\mathrm{vec}(x_iy_i^\top)\), \(\|v_i\|=\|x_i\|\|y_i\|\);
\(\widehat{XY}=\frac1r\sum_{j\le r}x_{s_j}y_{s_j}^\top/p_{s_j}\) with \(s_j\) i.i.d. from \(p\).

Main results
- C1 (exact, proved): \(\mathbb E\widehat{XY}=XY\), \(\mathbb E\|\widehat{XY}-XY\|_F^2=\frac1r(\sum_i\|v_i\|^2/p_i-\|XY\|_F^2)\).
- C2 (exact, proved): \(\min_p\sum_i\|v_i\|^2/p_i=(\sum_i\|v_i\|)^2\) at \(p_i\propto\|x_i\|\|y_i\|\) (sum-of-squares certificate).
- C3 (exact, proved): \(\langle ab^\top,cd^\top\rangle=(a\cdot c)(b\cdot d)\), hence the Hadamard normal equations for the best
  diagonal rescaling \(C\Lambda R\); reference \(\lambda^*=(34/35,53/35)\).
"""
from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from derivations.engine import Derivation, Identity, Inequality, claim, control
from derivations.engine.symbolic import SymbolicOutcome
from numeric import cr as num
from numeric.identity import NumericOutcome
from numeric.sampling import real

X = sp.Matrix(num.X_REF)
Y = sp.Matrix(num.Y_REF)
XY = X * Y
L = X.cols
P3 = sp.symbols("p1:4", positive=True)
P = list(P3) + [1 - sum(P3)]                   # a distribution on 4 points, p_4 eliminated


def _frob2(A):
    return sum(x**2 for x in A)


def term(i):
    r"""\(x_iy_i^\top\)."""
    return X[:, i] * Y[i, :]


def expected(fn, probs, r):
    r"""\(\mathbb E[fn(s_1..s_r)]\) over the \(l^r\) ordered i.i.d. draws (exact enumeration)."""
    return sum(sp.Mul(*[probs[i] for i in s]) * fn(s) for s in itertools.product(range(L), repeat=r))


def estimator_error(probs):
    def err(s):
        est = sum((term(i) / probs[i] for i in s), sp.zeros(*XY.shape)) / len(s)
        return _frob2(est - XY)
    return err


A_NORM = [sp.sqrt(_frob2(term(i))) for i in range(L)]          # (sqrt5, 5, sqrt10, sqrt30)
VAR_SUM = lambda probs: sum(a**2 / p for a, p in zip(A_NORM, probs))  # noqa: E731
P_OPT = [a / sum(A_NORM) for a in A_NORM]


@claim("C1.unbiased", r"\mathbb E\,\widehat{XY}=\sum_ip_i\,\frac{x_iy_i^\top}{p_i}=XY", hypotheses=(r"p_i>0",))
def unbiased():
    r"""Importance sampling of \(\sum_iv_i=\mathbb E_{i\sim p}[v_i/p_i]\); averaging \(r\) i.i.d. copies keeps the mean.
    Exact for the card's \(3\times4\), \(4\times2\) matrices with symbolic \(p\) (\(p_4=1-p_1-p_2-p_3\))."""
    return Identity(sum((P[i] * term(i) / P[i] for i in range(L)), sp.zeros(3, 2)), XY,
                    {p: real(0.05, 0.3) for p in P3}, points=2)


def _variance_mc(digits, seed):
    mean, se = num.mc_error([float(p) for p in P_OPT])
    exact = float(((sum(A_NORM)) ** 2 - _frob2(XY)) / 2)
    ok = abs(mean - exact) <= 4 * se and abs(exact - 54.01688066506929) < 1e-12
    detail = (f"optimal p, r=2: exact {exact:.14g}; MC mean {mean:.6g} (SE {se:.2g}, 2e5 draws, seed 0); "
              f"uniform p, r=1: {float(VAR_SUM([sp.Rational(1, 4)] * 4) - _frob2(XY)):g}")
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


PF = sp.symbols("q1:5", positive=True)          # free positive weights; the simplex is imposed after clearing 1/q


def _prove_on_simplex(build_diffs):
    """Exact: each difference, times \\(\\prod_iq_i\\), is a polynomial (only monomial denominators occur) that
    vanishes identically after substituting \\(q_4=1-q_1-q_2-q_3\\)."""
    def prove():
        for diff in build_diffs():
            poly = sp.expand(sp.expand(diff) * sp.Mul(*PF))
            if not poly.is_polynomial(*PF):
                return SymbolicOutcome("failed", detail="a denominator is not a monomial")
            if sp.expand(poly.subs(PF[-1], 1 - sum(PF[:-1]))) != 0:
                return SymbolicOutcome("failed", detail="nonzero on the simplex")
        return SymbolicOutcome("proved", "clear monomial denominators, expand, reduce modulo sum(p) = 1")
    return prove


def _variance_diffs():
    v1 = VAR_SUM(PF) - _frob2(XY)
    return [expected(estimator_error(PF), PF, 1) - v1, expected(estimator_error(PF), PF, 2) - v1 / 2]


@claim("C1.variance", r"\mathbb E\|\widehat{XY}-XY\|_F^2=\frac1r\Big(\sum_i\frac{\|x_i\|^2\|y_i\|^2}{p_i}-\|XY\|_F^2\Big)\quad(r=1,2)",
       hypotheses=(r"s_1,\dots,s_r\ \text{i.i.d.}\sim p",), uses=("C1.unbiased",), cross_check=_variance_mc,
       prove=_prove_on_simplex(_variance_diffs))
def variance():
    r"""Single draw: \(\sum_ip_i\|v_i/p_i-V\|^2=\sum_i\|v_i\|^2/p_i-\|V\|^2\); i.i.d. averaging divides by \(r\) (the post writes
    the single-draw error). Exact with symbolic \(p\): \(r=1\) directly and \(r=2\) by enumerating the 16 ordered draws.
    Monte Carlo (optimal \(p\), \(r=2\)) against the exact \(54.01688066506929\)."""


UNIFORM = [sp.Rational(1, 4)] * 4


@control("C1.missing-1/r", r"\mathbb E\|\widehat{XY}-XY\|_F^2=\sum_i\frac{\|v_i\|^2}{p_i}-\|XY\|_F^2\quad(r=2,\ p\text{ uniform})")
def missing_one_over_r():
    r"""Omitting the \(1/r\): exact enumeration gives 68, the single-draw formula 136."""
    return Identity(expected(estimator_error(UNIFORM), UNIFORM, 2), VAR_SUM(UNIFORM) - _frob2(XY))


@control("C1.without-replacement", r"\text{without replacement: }\mathbb E\|\widehat{XY}-XY\|_F^2=\frac1r\Big(\sum_i\frac{\|v_i\|^2}{p_i}-\|XY\|_F^2\Big)"
         r"\quad(r=2,\ p\text{ uniform})")
def without_replacement():
    r"""Sampling two distinct indices uniformly (12 ordered pairs): the estimator is still unbiased, but the error is
    \(\frac{l-r}{l-1}\cdot68=136/3\), not the i.i.d. 68."""
    pairs = list(itertools.permutations(range(L), 2))
    err = estimator_error(UNIFORM)
    return Identity(sum(err(s) for s in pairs) / len(pairs), (VAR_SUM(UNIFORM) - _frob2(XY)) / 2)


# ----------------------------------------------------------------------------- C2

A4 = sp.symbols("a1:5", positive=True)


def _dirichlet(digits, seed):
    best = num.dirichlet_search()
    opt = float((sum(A_NORM)) ** 2 - _frob2(XY))
    ok = best >= opt and np.allclose(num.norms_product(), [float(a) for a in A_NORM])
    detail = f"10000 Dirichlet draws of p (seed 0) on the card's X, Y: best {best:.10g} >= optimum {opt:.15g}"
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C2.optimal-p", r"\Big(\sum_ip_i\Big)\sum_i\frac{a_i^2}{p_i}-\Big(\sum_ia_i\Big)^2=\sum_{i<j}\frac{(a_ip_j-a_jp_i)^2}{p_ip_j}\ge0",
       hypotheses=(r"p_i>0", r"a_i=\|x_i\|\|y_i\|>0"), cross_check=_dirichlet)
def optimal_p():
    r"""Cauchy–Schwarz in Lagrange's form (scale invariant in \(p\)): on the simplex \(\sum_ia_i^2/p_i\ge(\sum_ia_i)^2\), with
    equality iff \(a_ip_j=a_jp_i\) for all \(i,j\), i.e. exactly at \(p_i^*=a_i/\sum_ja_j\). So the optimal \(r\)-sample error
    is \(\frac1r((\sum_i\|x_i\|\|y_i\|)^2-\|XY\|_F^2)\). Numeric: no Dirichlet draw of \(p\) beats \(p^*\)."""
    cert = sum((A4[i] * PF[j] - A4[j] * PF[i]) ** 2 / (PF[i] * PF[j]) for i, j in itertools.combinations(range(4), 2))
    return Inequality(sum(PF) * sum(a**2 / q for a, q in zip(A4, PF)), ">=", sum(A4) ** 2, certificate=cert)


@claim("C2.reference", r"\Big(\sum_i\|x_i\|\|y_i\|\Big)^2-\|XY\|_F^2=(\sqrt5+5+\sqrt{10}+\sqrt{30})^2-144"
       r"=-74+10\sqrt2+20\sqrt3+10\sqrt5+10\sqrt6+10\sqrt{10}+10\sqrt{30}", uses=("C2.optimal-p",))
def reference():
    r"""The card's matrices: \(\|x_i\|\|y_i\|=(\sqrt5,5,\sqrt{10},\sqrt{30})\), \(\|XY\|_F^2=144\), optimal \(r=1\) error
    \(108.033761330138578970316305231\) (exact radicals)."""
    lhs = sp.Matrix(A_NORM + [_frob2(XY), sum(A_NORM) ** 2 - _frob2(XY)])
    s = sp.sqrt
    rhs = sp.Matrix([s(5), 5, s(10), s(30), 144,
                     -74 + 10 * s(2) + 20 * s(3) + 10 * s(5) + 10 * s(6) + 10 * s(10) + 10 * s(30)])
    return Identity(lhs, rhs)


@control("C2.uniform-or-squared", r"p\ \text{uniform or}\ p_i\propto\|v_i\|^2\ \text{attains}\ \min_p\sum_i\frac{\|v_i\|^2}{p_i}-\|XY\|_F^2",
         symbolic=False)
def uniform_or_squared():
    r"""Both give \(136\), strictly above the optimum \(108.03\) (exact algebraic difference)."""
    sq = [a**2 / sum(b**2 for b in A_NORM) for a in A_NORM]
    opt = sum(A_NORM) ** 2 - _frob2(XY)
    return Identity(sp.Matrix([VAR_SUM(UNIFORM) - _frob2(XY), VAR_SUM(sq) - _frob2(XY)]), sp.Matrix([opt, opt]))


# ----------------------------------------------------------------------------- C3

a3, c3 = sp.Matrix(sp.symbols("a1:4", real=True)), sp.Matrix(sp.symbols("c1:4", real=True))
b2, d2 = sp.Matrix(sp.symbols("b1:3", real=True)), sp.Matrix(sp.symbols("d1:3", real=True))


@claim("C3.pairing", r"\langle ab^\top,cd^\top\rangle_F=(a^\top c)(b^\top d)")
def pairing():
    r"""\(\sum_{ij}a_ib_jc_id_j=(\sum_ia_ic_i)(\sum_jb_jd_j)\); applied entrywise it gives \(U^\top V=(C^\top X)\circ(RY^\top)\) and
    \(U^\top U=(C^\top C)\circ(RR^\top)\) for \(u_i=\mathrm{vec}(c_ir_i^\top)\), \(v_j=\mathrm{vec}(x_jy_j^\top)\)."""
    return Identity(_frob2_pair(a3 * b2.T, c3 * d2.T), (a3.T * c3)[0] * (b2.T * d2)[0],
                    {s: real(-2, 2) for s in (*a3, *b2, *c3, *d2)}, points=2)


def _frob2_pair(U, V):
    return sum(u * v for u, v in zip(U, V))


S_SEL = (1, 3)
C = X[:, list(S_SEL)]
R = Y[list(S_SEL), :]
U_COLS = sp.Matrix.hstack(*[(C[:, k] * R[k, :]).reshape(6, 1) for k in range(2)])
V_COLS = sp.Matrix.hstack(*[term(j).reshape(6, 1) for j in range(L)])
GRAM = (C.T * C).multiply_elementwise(R * R.T)
RHS = (C.T * X).multiply_elementwise(R * Y.T) * sp.ones(L, 1)
LAMBDA = GRAM.inv() * RHS


def _err(lam):
    return _frob2(XY - C * sp.diag(*lam) * R)


def _lstsq(digits, seed):
    lam, err = num.diagonal_lstsq()
    ok = np.allclose(lam, [34 / 35, 53 / 35], rtol=1e-14) and abs(err - 262 / 35) < 1e-12
    detail = f"numpy lstsq on the vectorised problem: lambda = {lam}, error^2 = {err:.15g} (262/35 = {262 / 35:.15g})"
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C3.hadamard-diagonal", r"\lambda^*=\big[(C^\top C)\circ(RR^\top)\big]^{-1}\big[(C^\top X)\circ(RY^\top)\big]\mathbf 1_l"
       r"=\big(\tfrac{34}{35},\tfrac{53}{35}\big)", hypotheses=(r"S=\{1,3\}\ (0\text{-based})",), uses=("C3.pairing",),
       cross_check=_lstsq)
def hadamard_diagonal():
    r"""Normal equations of \(\min_\lambda\|\sum_jv_j-U\lambda\|^2\): \(U^\top U\lambda=U^\top V\mathbf 1\) with the Hadamard Grams of
    C3.pairing. Reference: error\(^2\) \(262/35\) (plain CR \(\lambda=\mathbf1\): 15; unrestricted \(\Lambda^*=C^\dagger XYR^\dagger\):
    \(17/3\)); cross-checked by numpy least squares."""
    lam_star = C.pinv() * XY * R.pinv()
    lhs = sp.Matrix([*(U_COLS.T * V_COLS - (C.T * X).multiply_elementwise(R * Y.T)),
                     *(U_COLS.T * U_COLS - GRAM), *LAMBDA, _err(LAMBDA), _err([1, 1]), _frob2(XY - C * lam_star * R)])
    rhs = sp.Matrix([0] * 12 + [sp.Rational(34, 35), sp.Rational(53, 35), sp.Rational(262, 35), 15, sp.Rational(17, 3)])
    return Identity(lhs, rhs)


@control("C3.ordinary-product", r"\lambda^*=\big[(C^\top C)(RR^\top)\big]^{-1}\big[(C^\top X)\circ(RY^\top)\big]\mathbf 1_l")
def ordinary_product():
    r"""The ordinary matrix product in place of \(\circ\) in the Gram matrix gives another \(\lambda\) (exact rationals)."""
    return Identity(((C.T * C) * (R * R.T)).inv() * RHS, LAMBDA)


def results():
    return [(r"\lambda^*", sp.latex(LAMBDA.T)), (r"p^*", sp.latex(sp.Matrix(P_OPT).T))]


DERIVATION = Derivation(
    slug="cr",
    title="Low-rank approximation III: CR (column-row sampling)",
    source="https://kexue.fm/archives/10427",
    date="2024-10-11",
    summary="The sampled CR product is unbiased with variance (1/r)(sum ||v_i||^2/p_i - ||XY||^2); optimal p; Hadamard rescaling.",
    claims=(unbiased, variance, optimal_p, reference, pairing, hadamard_diagonal),
    controls=(missing_one_over_r, without_replacement, uniform_or_squared, ordinary_product),
    results=results,
)
