r"""LoRA+: the two LoRA factors want different learning rates (a scaling argument).

Post: Su Jianlin, 《配置不同的学习率，LoRA还能再涨一点？》 ("Give the two matrices different learning
rates: can LoRA gain a bit more?"), Scientific Spaces, 2024-02-27, https://spaces.ac.cn/archives/10001.
Builds on: Hayou, Ghosh, Yu, "LoRA+: Efficient Low Rank Adaptation of Large Models", arXiv:2402.12354.
Spec: ``shared/spec/lora-plus.md``.

Main results
------------
* ``C1.gradients``: \(\partial_AL=X^\top GB^\top\), \(\partial_BL=A^\top X^\top G\) (proved; oracle: numerical
  differentiation of the loss).
* ``C2.first-order``: \(\frac{d}{d\epsilon}L(A+\epsilon\Delta A,B+\epsilon\Delta B)=\langle\partial_AL,\Delta A\rangle+
  \langle\partial_BL,\Delta B\rangle\) (proved).
* ``C3.sign-pairing``, ``C3.signsgd-step``: \(\langle G,\operatorname{sign}G\rangle=\|G\|_1\) (proved), so one SignSGD
  step changes the loss by \(-\eta_A\|\partial_AL\|_1-\eta_B\|\partial_BL\|_1\) to first order (checked, 1e-5 relative).
* ``C4.var-xa``, ``C4.var-xab``, ``C4.var-monte-carlo``: \(\mathrm{Var}(XA)=n\mathrm{Var}X\mathrm{Var}A\),
  \(\mathrm{Var}(XAB)=r\mathrm{Var}(XA)\mathrm{Var}B\) (proved in the i.i.d. model), so \(\mathrm{Var}A=1/n\),
  \(\mathrm{Var}B=1/r\) give \(\mathrm{Var}(XAB)=1\) (Monte Carlo within 5 SE).
* ``C5.balance-algebra``, ``C5.square-rates``: balance gives \(\eta_B/\eta_A=\frac nm\sqrt{n/r}\) (proved algebra);
  at \(m=n\) the random model's ratio is within 5% of \(\sqrt{n/r}\) (checked).
* ``C6.self-consistent``, ``C7.lora-plus-default``: magnitude ratio \(\sqrt{n/r}\); the LoRA+ default 16 lies in
  \([\sqrt{96},\sqrt{512}]=[9.798,22.627]\) (proved, stated values certified).

Hypotheses
----------
* S1 entries of \(X\), \(XA\), \(XAB\) are \(O(1)\) in the widths; S2 zero-mean i.i.d. entries with
  \(\mathrm{Var}A=1/n\), \(\mathrm{Var}B=1/r\); S3 equal loss decrements per step; S4 SignSGD for Adam;
  S5 \(\|\cdot\|_1\approx\) entries \(\times\) entry scale; S6 rate ratio becomes magnitude ratio.
  S3, S5, S6 are heuristics: only scaling exponents are meaningful.

Notation
--------
Row vectors: \(Y=XAB\), \(X\in\mathbb R^{b\times n}\), \(A\in\mathbb R^{n\times r}\) (input side), \(B\in\mathbb R^{r\times m}\)
(output side), \(G=\partial L/\partial Y\); \(\langle U,V\rangle\) Frobenius, \(\|U\|_1=\sum|U_{ij}|\).  Symbolic checks
use \(b,n,r,m=1,3,2,2\) (\(r=m\), so a \(B\)-for-\(B^\top\) slip is well-shaped); numeric ones the spec's sizes.

Errata
------
* ``E1.ratio-general-m``: for \(m\ne n\) the balanced ratio is \(n/\sqrt{mr}\), not \(\frac nm\sqrt{n/r}\) (off by
  \(\sqrt{n/m}\): 22.6 vs 45.3 at \(n,m,r=1024,256,8\)).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Erratum, Estimate, Identity, Inequality, Oracle,
                                claim, control, family, positive, quantity, real)

# --- symbolic model: small symbolic matrices ------------------------------------------------------

b_, n_, r_, m_ = 1, 3, 2, 2


def _mat(name, rows, cols):
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}{i}{j}", real=True))


X, A, B, C = _mat("x", b_, n_), _mat("a", n_, r_), _mat("b", r_, m_), _mat("c", b_, m_)
dA, dB = _mat("da", n_, r_), _mat("db", r_, m_)
eps = sp.Symbol("epsilon", real=True)
n, m, r, eta_a, eta_b = sp.symbols("n m r eta_A eta_B", positive=True)


def tanh_loss(Xm, Am, Bm, Cm=C):
    r"""\(L=\sum_{ij}C_{ij}\tanh((XAB)_{ij})\): a nonlinear loss, so \(G=C\circ\operatorname{sech}^2(Y)\)."""
    Y = Xm * Am * Bm
    return sum(Cm[i, j] * sp.tanh(Y[i, j]) for i in range(Y.rows) for j in range(Y.cols))


def loss_gradient(Xm, Am, Bm, Cm=C):
    r"""\(G=\partial L/\partial Y=C\circ(1-\tanh^2Y)\)."""
    Y = Xm * Am * Bm
    return sp.Matrix(Y.rows, Y.cols, lambda i, j: Cm[i, j] * (1 - sp.tanh(Y[i, j]) ** 2))


def _grad(L, P):
    return P.applyfunc(lambda p: sp.diff(L, p))


def _frob(U, V):
    return sum(U[i, j] * V[i, j] for i in range(U.rows) for j in range(U.cols))


def _entries():
    return {s: real(-1, 1) for M in (X, A, B, C, dA, dB) for s in M}


# --- C1, C2: gradients and the first-order change ---------------------------------------------------

def _numerical_gradient(point):
    r"""\(\partial L/\partial A\) and \((\partial L/\partial B)^\top\) stacked, by mpmath's numerical
    differentiation of the loss at ``point`` (an implementation independent of the closed form)."""
    import mpmath
    num = {k: mpmath.mpf(v) for k, v in point.items()}
    Xv, Av, Bv, Cv = (mpmath.matrix([[num[s] for s in M.row(i)] for i in range(M.rows)]) for M in (X, A, B, C))

    def loss(Am, Bm):
        Y = Xv * Am * Bm
        return mpmath.fsum(Cv[i, j] * mpmath.tanh(Y[i, j]) for i in range(Y.rows) for j in range(Y.cols))

    def partial(which, i, j):
        def f(t):
            Am, Bm = Av.copy(), Bv.copy()
            (Am if which == "A" else Bm)[i, j] = t
            return loss(Am, Bm)
        return mpmath.diff(f, (Av if which == "A" else Bv)[i, j])

    rows = [[partial("A", i, j) for j in range(r_)] for i in range(n_)]
    rows += [[partial("B", j, i) for j in range(r_)] for i in range(m_)]
    return mpmath.matrix(rows)


@claim("C1.gradients", r"\frac{\partial L}{\partial A}=X^\top\frac{\partial L}{\partial Y}B^\top,\quad"
       r"\frac{\partial L}{\partial B}=A^\top X^\top\frac{\partial L}{\partial Y}",
       hypotheses=(r"Y=XAB", r"L=\sum_{ij}C_{ij}\tanh Y_{ij}"),
       oracles=(Oracle("numerical differentiation of L (mpmath.diff)", _numerical_gradient),))
def gradients():
    r"""Chain rule for \(Y=XAB\): \(dL=\langle G,X\,dA\,B\rangle+\langle G,XA\,dB\rangle\) and the cyclic trace give
    \(\partial_AL=X^\top GB^\top\in\mathbb R^{n\times r}\), \(\partial_BL=A^\top X^\top G\in\mathbb R^{r\times m}\).
    SymPy ``diff`` of the nonlinear loss \(\sum C\circ\tanh(XAB)\) entry by entry against the closed forms."""
    L, G = tanh_loss(X, A, B), loss_gradient(X, A, B)
    lhs = _grad(L, A).col_join(_grad(L, B).T)
    rhs = (X.T * G * B.T).col_join((A.T * X.T * G).T)
    return Identity(lhs, rhs, _entries(), points=2)


@claim("C2.first-order", r"\frac{d}{d\epsilon}L(A+\epsilon\Delta A,B+\epsilon\Delta B)\Big|_{\epsilon=0}"
       r"=\langle\partial_AL,\Delta A\rangle+\langle\partial_BL,\Delta B\rangle", uses=("C1.gradients",))
def first_order():
    r"""First-order Taylor expansion in \((A,B)\): the directional derivative of \(L\) along \((\Delta A,\Delta B)\)
    is the Frobenius pairing with the gradients of C1."""
    lhs = sp.diff(tanh_loss(X, A + eps * dA, B + eps * dB), eps).subs(eps, 0)
    G = loss_gradient(X, A, B)
    return Identity(lhs, _frob(X.T * G * B.T, dA) + _frob(A.T * X.T * G, dB), _entries(), points=2)


# --- C3: SignSGD ------------------------------------------------------------------------------------

g = sp.Symbol("g", real=True)
p_ = sp.Symbol("p", positive=True)


def sign_cases(d):
    r"""Case split on the sign of the real symbol \(g\): \(g=p>0\), \(g=-p<0\), \(g=0\); the difference
    vanishes iff it vanishes in every case (returned as the sum of the cases' absolute values)."""
    return sum(sp.Abs(sp.expand(d.subs(g, v))) for v in (p_, -p_, sp.S.Zero))


@claim("C3.sign-pairing", r"\langle G,\operatorname{sign}G\rangle=\|G\|_1", strategies=(sign_cases,))
def sign_pairing():
    r"""Entrywise \(g\,\operatorname{sign}(g)=|g|\) for real \(g\) (cases \(g>0\), \(g<0\), \(g=0\)); summing over
    entries gives \(\langle G,\operatorname{sign}G\rangle=\|G\|_1\)."""
    return Identity(g * sp.sign(g), sp.Abs(g), {g: real(-3, 3)})


ETA_A, ETA_B = sp.Rational(1, 10**7), sp.Rational(3, 10**7)


@lru_cache(maxsize=None)
def _signsgd_problem():
    r"""The spec's problem \(b,n,r,m=4,6,2,5\), seed 0, as exact rationals (the float64 draws' exact values)."""
    Xf, Af, Bf, Cf = _problem(4, 6, 2, 5, 0)
    return tuple(sp.Matrix(M.shape[0], M.shape[1], [sp.Rational(v) for v in M.ravel()]) for M in (Xf, Af, Bf, Cf))


@lru_cache(maxsize=None)
def _signsgd_terms():
    r"""Actual \(L(A-\eta_A\operatorname{sign}\partial_AL,B-\eta_B\operatorname{sign}\partial_BL)-L(A,B)\) and the
    norms \(\|\partial_AL\|_1\), \(\|\partial_BL\|_1\) of the C1 gradients, exact (unevaluated absolute values)."""
    Xs, As, Bs, Cs = _signsgd_problem()
    G = loss_gradient(Xs, As, Bs, Cs)
    gA, gB = Xs.T * G * Bs.T, As.T * Xs.T * G
    # the algorithm's step: signs of the computed gradient entries (none is near 0 on this problem)
    signs = [M.applyfunc(lambda v: sp.Integer(1) if sp.N(v, 15) > 0 else sp.Integer(-1)) for M in (gA, gB)]
    actual = tanh_loss(Xs, As - ETA_A * signs[0], Bs - ETA_B * signs[1], Cs) - tanh_loss(Xs, As, Bs, Cs)
    l1 = [sp.Add(*[sp.Abs(v, evaluate=False) for v in M]) for M in (gA, gB)]
    return actual, l1[0], l1[1]


def _signsgd_sides(sign=-1):
    r"""The actual change and the first-order prediction \(\mp(\eta_A\|\partial_AL\|_1+\eta_B\|\partial_BL\|_1)\)."""
    actual, l1a, l1b = _signsgd_terms()
    return actual, sign * (ETA_A * l1a + ETA_B * l1b)


@claim("C3.signsgd-step", r"\Delta L\approx-\eta_A\|\partial_AL\|_1-\eta_B\|\partial_BL\|_1\quad(\text{relative }10^{-5})",
       hypotheses=(r"\text{S4: SignSGD}", r"\eta\to0"), uses=("C2.first-order", "C3.sign-pairing"))
def signsgd_step():
    r"""Substituting the SignSGD step into C2: \(\Delta L=-\eta_A\|\partial_AL\|_1-\eta_B\|\partial_BL\|_1+O(\eta^2)\).
    One step with \(\eta_A=10^{-7}\), \(\eta_B=3\cdot10^{-7}\) on the spec's tanh problem (\(b,n,r,m=4,6,2,5\), seed 0),
    evaluated exactly as written; the spec's relative tolerance \(10^{-5}\) (the \(O(\eta^2)\) remainder is far below)."""
    actual, predicted = _signsgd_sides()
    return Approximation(actual, predicted, sp.Rational(1, 10**5), relative=True)


# --- C4: the i.i.d. model ---------------------------------------------------------------------------

sx, sa, sb, sg_ = sp.symbols("sigma_X sigma_A sigma_B sigma_G", positive=True)


def model_expectation(expr, variances: dict):
    r"""\(\mathbb E[\mathrm{expr}]\) for a polynomial in independent zero-mean variables with the given variances:
    each monomial factorises, a first power has mean 0 and a square has mean \(\sigma^2\)."""
    poly = sp.Poly(sp.expand(expr), *variances)
    total = sp.S(0)
    for powers, coeff in poly.terms():
        term = coeff
        for v, k in zip(variances, powers):
            if k == 1:
                term = 0
                break
            if k > 2:
                raise ValueError("moments above the second are not part of the model")
            if k == 2:
                term *= variances[v]
        total += term
    return sp.expand(total)


def _model(nn, rr, mm, bb=1):
    Xm, Am, Bm = (sp.Matrix(p, q, lambda i, j, s=s: sp.Symbol(f"{s}{i}_{j}"))
                  for s, p, q in (("X", bb, nn), ("A", nn, rr), ("B", rr, mm)))
    Gm = sp.Matrix(bb, mm, lambda i, j: sp.Symbol(f"G{i}_{j}"))
    var = {**{v: sx**2 for v in Xm}, **{v: sa**2 for v in Am}, **{v: sb**2 for v in Bm}, **{v: sg_**2 for v in Gm}}
    return Xm, Am, Bm, Gm, var


@claim("C4.var-xa", r"\mathrm{Var}((XA)_{ij})=n\,\mathrm{Var}(X)\mathrm{Var}(A)",
       hypotheses=(r"\text{entries independent, zero mean}", r"n=3"))
def var_xa():
    r"""\((XA)_{ij}=\sum_{l\le n}X_{il}A_{lj}\) is a sum of \(n\) independent zero-mean products, so its variance is
    \(\sum_l\mathrm{Var}(X)\mathrm{Var}(A)\) (cross terms have mean 0); exact moment rules for \(n=3\)."""
    Xm, Am, _, _, var = _model(3, 2, 2)
    return Identity(model_expectation((Xm * Am)[0, 0] ** 2, var), 3 * sx**2 * sa**2)


@claim("C4.var-xab", r"\mathrm{Var}((XAB)_{ij})=r\,\mathrm{Var}(XA)\mathrm{Var}(B)"
       r"\;\Rightarrow\;\mathrm{Var}(A)=\tfrac1n,\ \mathrm{Var}(B)=\tfrac1r\text{ give }\mathrm{Var}(XAB)=\mathrm{Var}(X)",
       hypotheses=(r"\text{entries independent, zero mean}", r"n=3,\ r=2"), uses=("C4.var-xa",))
def var_xab():
    r"""\((XAB)_{ij}=\sum_{k\le r}(XA)_{ik}B_{kj}\); the \((XA)_{ik}\) are uncorrelated across \(k\) and independent of
    \(B\), so \(\mathrm{Var}=r\,\mathrm{Var}(XA)\mathrm{Var}(B)\), which is \(\mathrm{Var}X\) for \(\mathrm{Var}A=1/n\),
    \(\mathrm{Var}B=1/r\) (S1).  Exact moments for \(n=3\), \(r=2\)."""
    Xm, Am, Bm, _, var = _model(3, 2, 2)
    lhs = model_expectation((Xm * Am * Bm)[0, 0] ** 2, var)
    return Identity(sp.Matrix([lhs, lhs.subs({sa: 1 / sp.sqrt(3), sb: 1 / sp.sqrt(2)})]),
                    sp.Matrix([2 * (3 * sx**2 * sa**2) * sb**2, sx**2]))


MC_DRAWS, MC_CHUNK = 8_000, 1_000


def _output_variance(nn, rr, seed):
    r"""Monte Carlo of \(\mathrm{Var}((XAB)_{11})\) over independent draws of a row \(x\sim\mathcal N(0,I_n)\),
    \(A\sim\mathcal N(0,1/n)\) and a column \(B\sim\mathcal N(0,1/r)\): the mean of \(y^2\) (the mean is 0 by
    symmetry) with its standard error."""
    rng = np.random.default_rng(seed)
    y = np.empty(MC_DRAWS)
    for k in range(0, MC_DRAWS, MC_CHUNK):
        x = rng.standard_normal((MC_CHUNK, 1, nn), dtype=np.float32)
        a = rng.standard_normal((MC_CHUNK, nn, rr), dtype=np.float32) / np.float32(np.sqrt(nn))
        bcol = rng.standard_normal((MC_CHUNK, rr, 1), dtype=np.float32) / np.float32(np.sqrt(rr))
        y[k:k + MC_CHUNK] = np.matmul(np.matmul(x, a), bcol).ravel()
    y2 = y * y
    return Estimate(float(y2.mean()), float(y2.std(ddof=1) / np.sqrt(MC_DRAWS)), MC_DRAWS)


OutputVariance = quantity("OutputVariance", estimator=_output_variance,
                          how=f"Monte Carlo of (xAB)_1 over {MC_DRAWS} independent draws")


@claim("C4.var-monte-carlo", r"\mathrm{Var}(A)=\tfrac1n,\ \mathrm{Var}(B)=\tfrac1r:\ \mathrm{Var}((XAB)_{ij})=1"
       r"\quad((n,r)=(256,8),(512,4))", hypotheses=(r"X_{ij}\sim\mathcal N(0,1)",), uses=("C4.var-xab",))
def var_monte_carlo():
    r"""Monte Carlo of the model at two widths: \(8000\) independent draws each, judged within 5 SE."""
    return family(lambda nr: Identity(OutputVariance(*nr), 1), nr=((256, 8), (512, 4)))


# --- C5-C7: the balanced rate ratio -------------------------------------------------------------------

POST_RATIO = n / m * sp.sqrt(n / r)
CORRECT_RATIO = n / sp.sqrt(m * r)
# solved once at import (solve_linear: the equation is linear in eta_B; the general ``solve`` costs 5x more)
_, BALANCE_SOLUTION = sp.solve_linear(eta_a * n * r * sp.sqrt(1 / r) - eta_b * m * r * sp.sqrt(1 / n), symbols=[eta_b])


@claim("C5.balance-algebra", r"\eta_A\,nr\sqrt{1/r}=\eta_B\,mr\sqrt{1/n}\iff\frac{\eta_B}{\eta_A}=\frac{n^{3/2}}{m\sqrt r}",
       hypotheses=(r"\text{S3, S5: }\|\partial_AL\|_1\propto nr\sqrt{1/r},\ \|\partial_BL\|_1\propto mr\sqrt{1/n}",))
def balance_algebra():
    r"""The balance \(|\Delta L_A|=|\Delta L_B|\) with the S5 magnitudes solved for \(\eta_B\) (SymPy ``solve_linear``):
    \(\eta_B/\eta_A=\frac nm\sqrt{n/r}=n^{3/2}/(m\sqrt r)\). Exact algebra; the premises are heuristics."""
    return Identity(BALANCE_SOLUTION / eta_a, n ** sp.Rational(3, 2) / (m * sp.sqrt(r)),
                    {n: positive(50), m: positive(50), r: positive(8)})


RATIO_DRAWS, RATIO_CHUNK = 120, 20


def _l1_ratio(nn, mm, rr, seed, b=64):
    r"""Random model of the spec (\(X,\partial_YL\) i.i.d. \(\mathcal N(0,1)\), \(\mathrm{Var}A=1/n\), \(\mathrm{Var}B=1/r\),
    \(b=64\)): \(\|\partial_AL\|_1/\|\partial_BL\|_1\), which is exactly the rate ratio \(\eta_B/\eta_A\) equalising the
    two SignSGD decrements; mean over independent draws with its standard error."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(RATIO_DRAWS // RATIO_CHUNK):
        shape = (RATIO_CHUNK, b)
        Xd = rng.standard_normal((*shape, nn), dtype=np.float32)
        Gd = rng.standard_normal((*shape, mm), dtype=np.float32)
        Ad = rng.standard_normal((RATIO_CHUNK, nn, rr), dtype=np.float32) / np.float32(np.sqrt(nn))
        Bd = rng.standard_normal((RATIO_CHUNK, rr, mm), dtype=np.float32) / np.float32(np.sqrt(rr))
        # products ordered so that no n x m matrix is formed
        grad_a = np.matmul(Xd.transpose(0, 2, 1), np.matmul(Gd, Bd.transpose(0, 2, 1)))
        grad_b = np.matmul(np.matmul(Xd, Ad).transpose(0, 2, 1), Gd)
        out.append(np.abs(grad_a).sum((1, 2), dtype=np.float64) / np.abs(grad_b).sum((1, 2), dtype=np.float64))
    v = np.concatenate(out)
    return Estimate(float(v.mean()), float(v.std(ddof=1) / np.sqrt(len(v))), len(v))


L1Ratio = quantity("L1Ratio", estimator=_l1_ratio, how=f"random model, {RATIO_DRAWS} draws, b=64")
SQUARE_ROWS = ((768, 768, 8), (1024, 1024, 8))
RECT_ROWS = ((1024, 256, 8), (256, 1024, 8))


def _ratio_rows(formula, rows, tolerance=sp.Rational(5, 100)):
    """The random-model ratio against ``formula`` at each (n, m, r) of ``rows``, within 5% (the spec's)."""
    return family(lambda nmr: Approximation(L1Ratio(*nmr), formula.subs(dict(zip((n, m, r), nmr))), tolerance,
                                            relative=True), nmr=rows)


@claim("C5.square-rates", r"m=n:\ \frac{\eta_B}{\eta_A}=\frac{\|\partial_AL\|_1}{\|\partial_BL\|_1}\approx\sqrt{n/r}"
       r"\quad(\text{within }5\%)", uses=("C5.balance-algebra",))
def square_rates():
    r"""Heuristic, checked only: in the random model the ratio equalising the two SignSGD decrements is
    \(\|\partial_AL\|_1/\|\partial_BL\|_1\); at \(m=n\) it is within the spec's 5% of \(\sqrt{n/r}\) (the output factor
    \(B\) gets the larger rate), judged beyond the Monte Carlo's 5 standard errors."""
    return _ratio_rows(POST_RATIO, SQUARE_ROWS)


@claim("C6.self-consistent", r"\frac{\sqrt{1/r}}{\sqrt{1/n}}=\frac nm\sqrt{\frac nr}\Big|_{m=n}=\sqrt{\frac nr}",
       hypotheses=(r"\text{S6}",), uses=("C4.var-xab", "C5.balance-algebra"))
def self_consistent():
    r"""By C4 the entries of \(B\) are \(\sqrt{n/r}\) times larger than those of \(A\); under S6 (rate ratio \(\lambda\)
    becomes magnitude ratio \(\lambda\)) this equals the C5 rate ratio at \(m=n\)."""
    return Identity(sp.Matrix([sp.sqrt(1 / r) / sp.sqrt(1 / n), POST_RATIO.subs(m, n)]),
                    sp.Matrix([sp.sqrt(n / r), sp.sqrt(n / r)]))


@claim("C7.lora-plus-default", r"\sqrt{768/8}<16<\sqrt{4096/8};\ \sqrt{n/r}=9.797958971132712,\ 11.313708498984761,\ "
       r"22.627416997969522\ (n=768,1024,4096,\ r=8)")
def lora_plus_default():
    r"""The LoRA+ paper's recommended ratio \(2^4=16\) (\(r=8\), \(n=768\dots4096\)) lies inside the range
    \(\sqrt{n/r}\in[9.80,22.63]\) of the post's \(O(\sqrt n)\) answer (\(96<256<512\)); the spec's reference values
    are float64 results, correct to \(2^{-52}\) relative."""
    refs = ((768, "9.797958971132712"), (1024, "11.313708498984761"), (4096, "22.627416997969522"))
    # the spec prints float64 values: each within one unit of the last binary place, 2^-52 relative
    return All((Inequality(sp.sqrt(sp.Rational(768, 8)), "<", 16), Inequality(16, "<", sp.sqrt(sp.Rational(4096, 8))),
                *(Approximation(sp.sqrt(sp.Rational(nn, 8)), sp.Rational(v), sp.Rational(1, 2**52), relative=True)
                  for nn, v in refs)),
               ("lower", "upper", "n=768", "n=1024", "n=4096"))


# --- negative controls --------------------------------------------------------------------------------

@control("N1.misordered-gradient", r"\frac{\partial L}{\partial A}=X^\top\frac{\partial L}{\partial Y}B")
def misordered():
    r"""\(B\) instead of \(B^\top\) (well-shaped here because \(r=m\)): wrong values."""
    return Identity(_grad(tanh_loss(X, A, B), A), X.T * loss_gradient(X, A, B) * B, _entries(), points=2)


@control("N2.inverted-ratio", r"m=n:\ \frac{\eta_B}{\eta_A}\approx\sqrt{r/n}\quad(\text{within }5\%)")
def inverted_ratio():
    r"""\(A\) gets the larger rate: contradicted by the random model, where the ratio is \(\approx\sqrt{n/r}\gg1\)."""
    return _ratio_rows(sp.sqrt(r / n), SQUARE_ROWS[:1])


@control("N3.sgd-balance", r"\frac{\mathbb E\|\partial_AL\|_F^2}{\mathbb E\|\partial_BL\|_F^2}=\sqrt{\frac nr}",
         hypotheses=(r"\mathrm{Var}A=1/n,\ \mathrm{Var}B=1/r", r"b=1,n=3,r=1,m=2"))
def sgd_balance():
    r"""With plain SGD the decrement is \(\eta\|\cdot\|_F^2\); in the model the balance ratio is \(n/r\), not \(\sqrt{n/r}\)."""
    Xm, Am, Bm, Gm, var = _model(3, 1, 2)
    var = {k: v.subs({sx: 1, sg_: 1, sa: 1 / sp.sqrt(3), sb: 1}) for k, v in var.items()}
    fa = model_expectation(sum(e**2 for e in Xm.T * Gm * Bm.T), var)
    fb = model_expectation(sum(e**2 for e in (Xm * Am).T * Gm), var)
    return Identity(fa / fb, sp.sqrt(3))


@control("N4.fan-in-m", r"\mathrm{Var}(B)=\tfrac1m\ \Rightarrow\ \mathrm{Var}((XAB)_{ij})=1",
         hypotheses=(r"n=3,\ r=2,\ m=1024",))
def fan_in_m():
    r"""Fan-in mistake: with \(\mathrm{Var}B=1/m\) the output variance is \(r/m\) (\(2/1024\) in the exact \(n=3\),
    \(r=2\) model), violating S1."""
    Xm, Am, Bm, _, var = _model(3, 2, 2)
    lhs = model_expectation((Xm * Am * Bm)[0, 0] ** 2, var).subs({sx: 1, sa: 1 / sp.sqrt(3), sb: 1 / sp.sqrt(1024)})
    return Identity(lhs, 1)


@control("N5.wrong-sign", r"\Delta L\approx+\eta_A\|\partial_AL\|_1+\eta_B\|\partial_BL\|_1\quad(\text{relative }10^{-5})")
def wrong_sign():
    r"""A SignSGD step on a smooth loss decreases it for small \(\eta\); the '+' variant is off by the whole change."""
    actual, predicted = _signsgd_sides(+1)
    return Approximation(actual, predicted, sp.Rational(1, 10**5), relative=True)


@control("N6.linear-in-n", r"\frac{\partial\log(\eta_B/\eta_A)}{\partial\log n}\Big|_{m=n}=1")
def linear_in_n():
    r"""The LoRA+ paper's \(O(n)\) is not the post's conclusion: the exponent of \(n\) in \(\frac nm\sqrt{n/r}\) at
    \(m=n\) is \(1/2\)."""
    return Identity(sp.expand_log(n * sp.diff(sp.log(POST_RATIO.subs(m, n)), n), force=True), 1)


# --- erratum ------------------------------------------------------------------------------------------

@claim("E1.post-general-m", r"m\ne n:\ \frac{\|\partial_AL\|_1}{\|\partial_BL\|_1}\approx\frac nm\sqrt{\frac nr}"
       r"\quad(\text{within }5\%)")
def post_general_m():
    r"""The post's general-\(m\) ratio: S5 ignores that each entry of \(\partial_AL\) sums \(bm\) terms and each entry
    of \(\partial_BL\) sums \(b\) terms of \(O(1)\) size; the random model is off by \(\sqrt{n/m}\)."""
    return _ratio_rows(POST_RATIO, RECT_ROWS)


@claim("E1.corrected-general-m", r"\frac{\|\partial_AL\|_1}{\|\partial_BL\|_1}\approx\frac{n}{\sqrt{mr}}"
       r"\quad(\text{within }5\%)")
def corrected_general_m():
    r"""Entries of \(\partial_AL=X^\top GB^\top\) have scale \(\sqrt{bm/r}\) (count \(nr\)), entries of
    \(\partial_BL=(XA)^\top G\) scale \(\sqrt b\) (count \(rm\)): ratio \(n/\sqrt{mr}\), the post's at \(m=n\)."""
    return _ratio_rows(CORRECT_RATIO, RECT_ROWS)


# --- float64 numerics of the spec -----------------------------------------------------------------------

def _problem(b, n_, r_, m_, seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((b, n_)), rng.standard_normal((n_, r_)) / np.sqrt(n_),
            rng.standard_normal((r_, m_)) / np.sqrt(r_), rng.standard_normal((b, m_)))


def results():
    return [(r"\eta_B/\eta_A\ \text{(post)}", sp.latex(POST_RATIO)),
            (r"\eta_B/\eta_A\ \text{(corrected)}", sp.latex(CORRECT_RATIO))]


DERIVATION = Derivation(
    slug="lora-plus",
    title="LoRA+: why the two LoRA factors want different learning rates",
    source="https://spaces.ac.cn/archives/10001",
    date="2024-02-27",
    summary="Gradients of Y=XAB, the SignSGD loss change, variance scales and the balanced rate ratio sqrt(n/r).",
    claims=(gradients, first_order, sign_pairing, signsgd_step, var_xa, var_xab, var_monte_carlo, balance_algebra,
            square_rates, self_consistent, lora_plus_default),
    controls=(misordered, inverted_ratio, sgd_balance, fan_in_m, wrong_sign, linear_in_n),
    errata=(Erratum("E1.ratio-general-m", post_says=post_general_m, correct=corrected_general_m,
                    note="both agree at m = n, the case the post emphasises"),),
    results=results,
)
