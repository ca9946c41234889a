r"""Low-rank approximation III: column–row (CR) sampling of a matrix product.

Post: Su Jianlin, 《低秩近似之路（三）：CR》 ("The road to low-rank approximation III: CR"), Scientific Spaces,
2024-10-11, https://kexue.fm/archives/10427.
Builds on: Drineas, Kannan, Mahoney, "Fast Monte Carlo Algorithms for Matrices I: Approximating Matrix Multiplication",
SIAM J. Comput. 36(1), 2006.
Spec: ``shared/spec/catalog.md``, cards cr-C1..C3.

Main results
------------
* ``C1.unbiased``, ``C1.variance``: \(\mathbb E\widehat{XY}=XY\) and
  \(\mathbb E\|\widehat{XY}-XY\|_F^2=\frac1r(\sum_i\|v_i\|^2/p_i-\|XY\|_F^2)\) for \(r=1,2\) (proved on the simplex);
  ``C1.variance-monte-carlo``: the sampler itself agrees within 5 standard errors (checked).
* ``C2.optimal-p``: \(\min_p\sum_i\|v_i\|^2/p_i=(\sum_i\|v_i\|)^2\) at \(p_i\propto\|x_i\|\|y_i\|\) (Lagrange's identity as a
  certificate, proved); ``C2.dirichlet-search``: no random \(p\) beats it (checked); ``C2.reference``: the optimal error
  \(108.0337613\ldots\) in radicals and as the card prints it (certified).
* ``C3.pairing``, ``C3.hadamard-diagonal``: \(\langle ab^\top,cd^\top\rangle=(a\cdot c)(b\cdot d)\), hence the Hadamard normal
  equations of the best diagonal rescaling \(C\Lambda R\); \(\lambda^*=(34/35,53/35)\), error\(^2\) \(262/35\) (proved).

Hypotheses
----------
* \(p\) a distribution with \(p_i>0\); \(s_1,\dots,s_r\) i.i.d. from \(p\) (sampling with replacement: control
  ``N1.without-replacement``).
* The card's matrices \(X\in\mathbb R^{3\times4}\), \(Y\in\mathbb R^{4\times2}\) for every instance; \(S=\{1,3\}\) (0-based) in C3.

Notation
--------
\(X=(x_1..x_l)\) by columns, \(Y\) with rows \(y_i^\top\), \(v_i=\mathrm{vec}(x_iy_i^\top)\), \(\|v_i\|=\|x_i\|\|y_i\|\);
\(\widehat{XY}=\frac1r\sum_{j\le r}x_{s_j}y_{s_j}^\top/p_{s_j}\); \(C=X_{:,S}\), \(R=Y_{S,:}\), \(\circ\) the Hadamard product.

Errata
------
None in the post (it writes the single-draw error, \(r=1\); the \(1/r\) is the card's).
"""
from __future__ import annotations

import itertools

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Estimate, Figure, Identity, Inequality, claim, control,
                                quantity, real, stated)

X_REF = ((1, 2, 0, 1), (0, 1, 3, 1), (2, 0, 1, 1))     # columns x_i
Y_REF = ((1, 0), (2, 1), (0, 1), (1, 3))               # rows y_i
X = sp.Matrix(X_REF)
Y = sp.Matrix(Y_REF)
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


UNIFORM = [sp.Rational(1, 4)] * 4
SIMPLEX = {p: real(0.05, 0.3) for p in P3}
_P4 = sp.Symbol("p4", positive=True)


def on_simplex(d):
    r"""Clear the denominators \(p_1p_2p_3p_4\) (with \(p_4=1-p_1-p_2-p_3\) held as a symbol), expand, then put
    \(p_4=1-p_1-p_2-p_3\) back and expand: a difference of rational functions in \(p\) with monomial denominators
    vanishes on the simplex iff this polynomial is 0."""
    e = sp.expand(sp.sympify(d).subs(1 - sum(P3), _P4))
    return sp.expand(sp.expand(e * sp.Mul(*P3) * _P4).subs(_P4, 1 - sum(P3)))


@claim("C1.variance", r"\mathbb E\|\widehat{XY}-XY\|_F^2=\frac1r\Big(\sum_i\frac{\|x_i\|^2\|y_i\|^2}{p_i}-\|XY\|_F^2\Big)\quad(r=1,2)",
       hypotheses=(r"s_1,\dots,s_r\ \text{i.i.d.}\sim p",), uses=("C1.unbiased",), strategies=(on_simplex,))
def variance():
    r"""Single draw: \(\sum_ip_i\|v_i/p_i-V\|^2=\sum_i\|v_i\|^2/p_i-\|V\|^2\); i.i.d. averaging divides by \(r\) (the post writes
    the single-draw error). Exact with symbolic \(p\) on the simplex (\(p_4=1-p_1-p_2-p_3\)): \(r=1\) directly and
    \(r=2\) by enumerating the 16 ordered draws."""
    v1 = VAR_SUM(P) - _frob2(XY)
    return Identity(sp.Matrix([expected(estimator_error(P), P, 1), expected(estimator_error(P), P, 2)]),
                    sp.Matrix([v1, v1 / 2]), SIMPLEX, points=2)


MC_DRAWS = 200_000


def _outer_terms():
    r"""The rows \(\mathrm{vec}(x_iy_i^\top)\) and \(\mathrm{vec}(XY)\), float64."""
    Xf, Yf = np.array(X_REF, dtype=float), np.array(Y_REF, dtype=float)
    return np.einsum("ki,ij->ikj", Xf, Yf).reshape(Xf.shape[1], -1), (Xf @ Yf).ravel()


def sampled_errors(probs, r, draws, seed):
    r"""\(\|\widehat{XY}-XY\|_F^2\) of ``draws`` independent CR products of \(r\) i.i.d. samples from ``probs``."""
    terms, target = _outer_terms()
    probs = np.asarray(probs, dtype=float)
    idx = np.random.default_rng(seed).choice(len(probs), size=(draws, r), p=probs)
    est = (terms / probs[:, None])[idx].mean(axis=1)
    return np.sum((est - target) ** 2, axis=1)


def _mc_error(r, code, seed):
    r"""Monte Carlo of \(\mathbb E\|\widehat{XY}-XY\|_F^2\) for \(r\) i.i.d. draws from the uniform (``code`` 0) or the
    optimal (``code`` 1) \(p\): the mean over 200 000 independent sampled products with its standard error."""
    probs = [0.25] * 4 if code == 0 else [float(v) for v in P_OPT]
    err = sampled_errors(probs, int(r), MC_DRAWS, seed)
    return Estimate(float(err.mean()), float(err.std(ddof=1) / np.sqrt(MC_DRAWS)), MC_DRAWS)


CRError = quantity("CRError", estimator=_mc_error, how=f"Monte Carlo over {MC_DRAWS} sampled CR products")


@claim("C1.variance-monte-carlo", r"\text{uniform }p,\ r=1:\ \mathbb E\|\widehat{XY}-XY\|_F^2=136;\quad "
       r"p^*,\ r=2:\ \frac12\Big(\big(\textstyle\sum_i\|x_i\|\|y_i\|\big)^2-\|XY\|_F^2\Big)=54.0168806650693\ldots",
       uses=("C1.variance",))
def variance_monte_carlo():
    r"""The sampler itself (numpy, seeded): 200 000 sampled CR products for the card's \(X,Y\), their mean squared
    error against the formula of C1.variance, judged within 5 standard errors."""
    opt = (sum(A_NORM) ** 2 - _frob2(XY)) / 2
    return All((Identity(CRError(1, 0), VAR_SUM(UNIFORM) - _frob2(XY)), Identity(CRError(2, 1), opt)),
               ("uniform p, r=1", "optimal p, r=2"))




@control("N1.missing-one-over-r", r"\mathbb E\|\widehat{XY}-XY\|_F^2=\sum_i\frac{\|v_i\|^2}{p_i}-\|XY\|_F^2\quad(r=2,\ p\text{ uniform})")
def missing_one_over_r():
    r"""Omitting the \(1/r\): exact enumeration gives 68, the single-draw formula 136."""
    return Identity(expected(estimator_error(UNIFORM), UNIFORM, 2), VAR_SUM(UNIFORM) - _frob2(XY))


@control("N1.without-replacement", r"\text{without replacement: }\mathbb E\|\widehat{XY}-XY\|_F^2=\frac1r\Big(\sum_i\frac{\|v_i\|^2}{p_i}-\|XY\|_F^2\Big)"
         r"\quad(r=2,\ p\text{ uniform})")
def without_replacement():
    r"""Sampling two distinct indices uniformly (12 ordered pairs): the estimator is still unbiased, but the error is
    \(\frac{l-r}{l-1}\cdot68=136/3\), not the i.i.d. 68."""
    pairs = list(itertools.permutations(range(L), 2))
    err = estimator_error(UNIFORM)
    return Identity(sum(err(s) for s in pairs) / len(pairs), (VAR_SUM(UNIFORM) - _frob2(XY)) / 2)


# ----------------------------------------------------------------------------- C2

A4 = sp.symbols("a1:5", positive=True)
PF = sp.symbols("q1:5", positive=True)          # free positive weights: the inequality is scale invariant in p
OPTIMUM = sum(A_NORM) ** 2 - _frob2(XY)        # (sum_i ||x_i|| ||y_i||)^2 - ||XY||_F^2, the optimal r = 1 error


@claim("C2.optimal-p", r"\Big(\sum_ip_i\Big)\sum_i\frac{a_i^2}{p_i}-\Big(\sum_ia_i\Big)^2=\sum_{i<j}\frac{(a_ip_j-a_jp_i)^2}{p_ip_j}\ge0",
       hypotheses=(r"p_i>0", r"a_i=\|x_i\|\|y_i\|>0"))
def optimal_p():
    r"""Cauchy–Schwarz in Lagrange's form (scale invariant in \(p\)): on the simplex \(\sum_ia_i^2/p_i\ge(\sum_ia_i)^2\), with
    equality iff \(a_ip_j=a_jp_i\) for all \(i,j\), i.e. exactly at \(p_i^*=a_i/\sum_ja_j\). So the optimal \(r\)-sample error
    is \(\frac1r((\sum_i\|x_i\|\|y_i\|)^2-\|XY\|_F^2)\)."""
    cert = sum((A4[i] * PF[j] - A4[j] * PF[i]) ** 2 / (PF[i] * PF[j]) for i, j in itertools.combinations(range(4), 2))
    return Inequality(sum(PF) * sum(a**2 / q for a, q in zip(A4, PF)), ">=", sum(A4) ** 2, certificate=cert, points=6)


DIRICHLET_DRAWS = 10_000


def _dirichlet_best():
    r"""The smallest \(\sum_i\|v_i\|^2/p_i-\|XY\|_F^2\) over 10 000 Dirichlet(1,1,1,1) draws of \(p\) (numpy, seed 0): the
    draws are chosen in float64, the best one is normalised onto the simplex and evaluated at the working precision."""
    a2 = [5, 25, 10, 30]                                 # ||x_i||^2 ||y_i||^2 of the card's X, Y
    p = np.random.default_rng(0).dirichlet(np.ones(4), size=DIRICHLET_DRAWS)
    best = p[int(np.argmin((np.array(a2) / p).sum(axis=1)))]
    q = [mpmath.mpf(float(v)) for v in best]
    total = mpmath.fsum(q)
    return mpmath.fsum(a * total / v for a, v in zip(a2, q)) - 144


DirichletBest = quantity("DirichletBest", evaluator=_dirichlet_best, how="best of 10 000 Dirichlet draws of p")


@claim("C2.dirichlet-search", r"\min_{10^4\text{ Dirichlet draws of }p}\sum_i\frac{\|v_i\|^2}{p_i}-\|XY\|_F^2\ \ge\ "
       r"\Big(\sum_i\|x_i\|\|y_i\|\Big)^2-\|XY\|_F^2", uses=("C2.optimal-p",))
def dirichlet_search():
    r"""The card's numeric check of C2: no random \(p\) on the simplex (10 000 Dirichlet draws, seed 0) beats \(p^*\)."""
    return Inequality(DirichletBest(), ">=", OPTIMUM)


@claim("C2.reference", r"\Big(\sum_i\|x_i\|\|y_i\|\Big)^2-\|XY\|_F^2=(\sqrt5+5+\sqrt{10}+\sqrt{30})^2-144"
       r"=-74+10\sqrt2+20\sqrt3+10\sqrt5+10\sqrt6+10\sqrt{10}+10\sqrt{30}=108.033761330138578970316305231",
       uses=("C2.optimal-p",))
def reference():
    r"""The card's matrices: \(\|x_i\|\|y_i\|=(\sqrt5,5,\sqrt{10},\sqrt{30})\), \(\|XY\|_F^2=144\), optimal \(r=1\) error in exact
    radicals and as the card prints it (30 digits); half of it, \(54.01688066506929\), is the card's optimal \(r=2\)
    error (a float64 value: 16 digits)."""
    s = sp.sqrt
    exact = Identity(sp.Matrix(A_NORM + [_frob2(XY), OPTIMUM]),
                     sp.Matrix([s(5), 5, s(10), s(30), 144,
                                -74 + 10 * s(2) + 20 * s(3) + 10 * s(5) + 10 * s(6) + 10 * s(10) + 10 * s(30)]))
    return All((exact, Approximation(OPTIMUM, stated("108.033761330138578970316305231")),
                Approximation(OPTIMUM / 2, stated("54.01688066506929"))), ("radicals", "r=1 decimal", "r=2 decimal"))


@control("N2.uniform-or-squared", r"p\ \text{uniform or}\ p_i\propto\|v_i\|^2\ \text{attains}\ \min_p\sum_i\frac{\|v_i\|^2}{p_i}-\|XY\|_F^2",
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


VEC_XY = XY.reshape(6, 1)
LAMBDA_DIRECT = U_COLS.solve_least_squares(VEC_XY)   # least squares on the vectorised problem, no Hadamard form


@claim("C3.hadamard-diagonal", r"\lambda^*=\big[(C^\top C)\circ(RR^\top)\big]^{-1}\big[(C^\top X)\circ(RY^\top)\big]\mathbf 1_l"
       r"=\big(\tfrac{34}{35},\tfrac{53}{35}\big)", hypotheses=(r"S=\{1,3\}\ (0\text{-based})",), uses=("C3.pairing",))
def hadamard_diagonal():
    r"""Normal equations of \(\min_\lambda\|\sum_jv_j-U\lambda\|^2\): \(U^\top U\lambda=U^\top V\mathbf 1\) with the Hadamard Grams of
    C3.pairing. Rows: the Grams of the vectorised columns against their Hadamard forms; the least-squares solution of
    the vectorised problem (SymPy, no Hadamard form) against the formula; the formula against \((34/35,53/35)\); the
    errors\(^2\) \(262/35\) (plain CR \(\lambda=\mathbf1\): 15; unrestricted \(\Lambda^*=C^\dagger XYR^\dagger\): \(17/3\))."""
    lam_star = C.pinv() * XY * R.pinv()
    lhs = sp.Matrix([*(U_COLS.T * V_COLS), *(U_COLS.T * U_COLS), *LAMBDA_DIRECT, *LAMBDA,
                     _err(LAMBDA), _err([1, 1]), _frob2(XY - C * lam_star * R)])
    rhs = sp.Matrix([*(C.T * X).multiply_elementwise(R * Y.T), *GRAM, *LAMBDA,
                     sp.Rational(34, 35), sp.Rational(53, 35), sp.Rational(262, 35), 15, sp.Rational(17, 3)])
    return Identity(lhs, rhs)


@control("N3.ordinary-product", r"\lambda^*=\big[(C^\top C)(RR^\top)\big]^{-1}\big[(C^\top X)\circ(RY^\top)\big]\mathbf 1_l")
def ordinary_product():
    r"""The ordinary matrix product in place of \(\circ\) in the Gram matrix gives another \(\lambda\) (exact rationals)."""
    return Identity(((C.T * C) * (R * R.T)).inv() * RHS, LAMBDA)


def results():
    return [(r"\lambda^*", sp.latex(LAMBDA.T)), (r"p^*", sp.latex(sp.Matrix(P_OPT).T))]


def draw_error_vs_samples(fig):
    r"""Mean squared error of the sampled product against the number of samples \(r\): Monte Carlo (20 000 products per
    point, seed 0) over the formula of C1.variance, for uniform and optimal \(p\)."""
    ax = fig.add_subplot(1, 1, 1)
    rs = np.array([1, 2, 4, 8, 16, 32, 64])
    uniform, optimal = [0.25] * 4, [float(v) for v in P_OPT]
    for probs, exact, name, colour in ((uniform, float(VAR_SUM(UNIFORM) - _frob2(XY)), "uniform $p$", "#cf222e"),
                                       (optimal, float(OPTIMUM), r"optimal $p_i\propto\|x_i\|\|y_i\|$", "#0550ae")):
        ax.plot(rs, exact / rs, "-", color=colour, lw=1.5, label=f"{name}: formula")
        mc = [sampled_errors(probs, int(r), 20_000, 0).mean() for r in rs]
        ax.plot(rs, mc, "o", color=colour, ms=4, label=f"{name}: Monte Carlo")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("samples $r$")
    ax.set_ylabel(r"$\mathbb{E}\,\|\widehat{XY}-XY\|_F^2$")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")


DERIVATION = Derivation(
    slug="cr",
    title="Low-rank approximation III: CR (column-row sampling)",
    source="https://kexue.fm/archives/10427",
    date="2024-10-11",
    summary="The sampled CR product is unbiased with variance (1/r)(sum ||v_i||^2/p_i - ||XY||^2); optimal p; Hadamard rescaling.",
    claims=(unbiased, variance, variance_monte_carlo, optimal_p, dirichlet_search, reference, pairing, hadamard_diagonal),
    controls=(missing_one_over_r, without_replacement, uniform_or_squared, ordinary_product),
    results=results,
    figures=(Figure("cr-error-vs-samples",
                    r"CR sampling on the card's $X,Y$: the mean squared error of the sampled product falls as $1/r$ "
                    r"(lines: the formula of C1.variance; dots: 20 000 sampled products each). The optimal $p$ "
                    r"($p_i\propto\|x_i\|\|y_i\|$, C2) lowers the constant from 136 to 108.03.",
                    draw_error_vs_samples),),
)
