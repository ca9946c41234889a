r"""LoRA+: give the two LoRA factors different learning rates (a scaling argument).

Post: Su Jianlin, 《配置不同的学习率，LoRA还能再涨一点？》 ("Give the two matrices different learning
rates: can LoRA gain a bit more?"), Scientific Spaces, 2024-02-27, https://spaces.ac.cn/archives/10001.
Builds on Hayou, Ghosh, Yu, "LoRA+: Efficient Low Rank Adaptation of Large Models", arXiv:2402.12354.

Setting (the post's row vectors): \(Y = XAB\), \(X\in\mathbb R^{b\times n}\), \(A\in\mathbb R^{n\times r}\)
(input side), \(B\in\mathbb R^{r\times m}\) (output side), \(G=\partial L/\partial Y\).

Main results
- C1 (exact, proved): \(\partial_A L = X^\top G B^\top\), \(\partial_B L = A^\top X^\top G\).
- C2 (exact, proved): the first-order change is \(\langle\partial_A L,\Delta A\rangle+\langle\partial_B L,\Delta B\rangle\).
- C3 (proved + checked): \(\langle G,\operatorname{sign}G\rangle=\|G\|_1\); a SignSGD step changes the loss by
  \(\approx-\eta_A\|\partial_A L\|_1-\eta_B\|\partial_B L\|_1\).
- C4 (exact in the i.i.d. zero-mean model, proved): \(\mathrm{Var}(XA)=n\mathrm{Var}X\mathrm{Var}A\),
  \(\mathrm{Var}(XAB)=r\,\mathrm{Var}(XA)\mathrm{Var}B\), so \(\mathrm{Var}A=1/n\), \(\mathrm{Var}B=1/r\).
- C5 (algebra proved, heuristic checked): balance gives \(\eta_B/\eta_A\approx\frac nm\sqrt{n/r}\); at \(m=n\), \(\sqrt{n/r}\).
- C6, C7 (proved): self-consistency \(\sqrt{n/r}\); the LoRA+ default 16 lies in \([\sqrt{96},\sqrt{512}]\).
- Erratum: for \(m\ne n\) the balanced ratio is \(n/\sqrt{mr}\), not \(\frac nm\sqrt{n/r}\) (off by \(\sqrt{n/m}\)).
"""
from __future__ import annotations

import sympy as sp

from derivations.engine import Derivation, Erratum, Identity, claim, control
from derivations.engine.symbolic import SymbolicOutcome
from numeric import lora_plus as num
from numeric.identity import NumericOutcome
from numeric.sampling import positive, real

# symbolic sizes: small, but with r = m so that a B-for-B^T slip is well-shaped (control N1)
b_, n_, r_, m_ = 1, 3, 2, 2


def _mat(name, rows, cols):
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}{i}{j}", real=True))


X, A, B, C = _mat("x", b_, n_), _mat("a", n_, r_), _mat("b", r_, m_), _mat("c", b_, m_)
dA, dB = _mat("da", n_, r_), _mat("db", r_, m_)
eps = sp.Symbol("epsilon", real=True)
n, m, r, eta_a, eta_b = sp.symbols("n m r eta_A eta_B", positive=True)


def tanh_loss(Xm, Am, Bm):
    r"""\(L=\sum_{ij}C_{ij}\tanh((XAB)_{ij})\): a nonlinear loss, so \(G=C\circ\operatorname{sech}^2(Y)\)."""
    Y = Xm * Am * Bm
    return sum(C[i, j] * sp.tanh(Y[i, j]) for i in range(b_) for j in range(m_))


def _G():
    Y = X * A * B
    return sp.Matrix(b_, m_, lambda i, j: C[i, j] * (1 - sp.tanh(Y[i, j]) ** 2))


def _grad(L, P):
    return P.applyfunc(lambda p: sp.diff(L, p))


def _frob(U, V):
    return sum(U[i, j] * V[i, j] for i in range(U.rows) for j in range(U.cols))


def _small(points=3):
    return {s: real(-1, 1) for s in (X.free_symbols | A.free_symbols | B.free_symbols | C.free_symbols
                                     | dA.free_symbols | dB.free_symbols)}


def _float_check(value, target, rtol, what):
    """Agreement of a float64 or Monte Carlo quantity with its target within a stated relative tolerance."""
    gap = abs(value - target) / abs(target)
    detail = f"{what}: {value:.6g} vs {target:.6g} (relative gap {gap:.2g}, tolerance {rtol:g})"
    if gap <= rtol:
        return NumericOutcome("agree", None, None, detail, {"gap": f"{gap:.3g}"})
    return NumericOutcome("disagree", None, {"text": detail}, detail, {"gap": f"{gap:.3g}"})


# ----------------------------------------------------------------------------- C1, C2


def _fd_check(digits, seed):
    ea, eb = num.finite_difference_errors()
    detail = f"central differences (h=1e-6, b=4, n=6, r=2, m=5, seed 0): max error {ea:.2g} (A), {eb:.2g} (B)"
    ok = max(ea, eb) <= 1e-7
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C1.gradients", r"\frac{\partial L}{\partial A}=X^\top\frac{\partial L}{\partial Y}B^\top,\quad"
       r"\frac{\partial L}{\partial B}=A^\top X^\top\frac{\partial L}{\partial Y}",
       hypotheses=(r"Y=XAB", r"L=\sum_{ij}C_{ij}\tanh Y_{ij}"), cross_check=_fd_check)
def gradients():
    r"""Chain rule for \(Y=XAB\): \(dL=\langle G,X\,dA\,B\rangle+\langle G,XA\,dB\rangle\) and the cyclic trace give
    \(\partial_AL=X^\top GB^\top\in\mathbb R^{n\times r}\), \(\partial_BL=A^\top X^\top G\in\mathbb R^{r\times m}\).
    Proved entrywise by SymPy ``diff`` of the nonlinear loss \(\sum C\circ\tanh(XAB)\) (\(b,n,r,m=1,3,2,2\));
    cross-checked independently by float64 central differences on a \(4\times6\), \(6\times2\), \(2\times5\) problem."""
    L, G = tanh_loss(X, A, B), _G()
    lhs = _grad(L, A).col_join(_grad(L, B).T)
    rhs = (X.T * G * B.T).col_join((A.T * X.T * G).T)
    return Identity(lhs, rhs, _small(), points=2)


@claim("C2.first-order", r"\frac{d}{d\epsilon}L(A+\epsilon\Delta A,B+\epsilon\Delta B)\Big|_{\epsilon=0}"
       r"=\langle\partial_AL,\Delta A\rangle+\langle\partial_BL,\Delta B\rangle", uses=("C1.gradients",))
def first_order():
    r"""First-order Taylor expansion in \((A,B)\): the directional derivative of \(L\) along \((\Delta A,\Delta B)\)
    is the Frobenius pairing with the gradients of C1, so
    \(L(A+\Delta A,B+\Delta B)-L(A,B)=\langle\partial_AL,\Delta A\rangle+\langle\partial_BL,\Delta B\rangle+O(\|\Delta\|^2)\)."""
    L_eps = tanh_loss(X, A + eps * dA, B + eps * dB)
    lhs = sp.diff(L_eps, eps).subs(eps, 0)
    G = _G()
    rhs = _frob(X.T * G * B.T, dA) + _frob(A.T * X.T * G, dB)
    return Identity(lhs, rhs, _small(), points=2)


# ----------------------------------------------------------------------------- C3

g = sp.Symbol("g", real=True)


def _prove_sign():
    p = sp.Symbol("p", positive=True)
    cases = [(p * sp.sign(p) - sp.Abs(p)), (-p * sp.sign(-p) - sp.Abs(-p)), sp.S(0) * sp.sign(0) - sp.Abs(0)]
    if all(sp.expand(c) == 0 for c in cases):
        return SymbolicOutcome("proved", "case split g>0, g<0, g=0")
    return SymbolicOutcome("failed", detail="a sign case did not reduce to 0")


@claim("C3.sign-pairing", r"\langle G,\operatorname{sign}G\rangle=\|G\|_1", prove=_prove_sign)
def sign_pairing():
    r"""Entrywise \(g\,\operatorname{sign}(g)=|g|\) for real \(g\) (cases \(g>0\), \(g<0\), \(g=0\)); summing over
    entries gives \(\langle G,\operatorname{sign}G\rangle=\|G\|_1\), so a SignSGD step
    \(\Delta A=-\eta_A\operatorname{sign}\partial_AL\) contributes \(-\eta_A\|\partial_AL\|_1\) to the first-order change."""
    return Identity(g * sp.sign(g), sp.Abs(g), {g: real(-3, 3)})


def _signsgd(sign):
    def check(digits, seed):
        actual, predicted = num.signsgd_change()
        return _float_check(actual, sign * abs(predicted), 1e-5,
                            "one SignSGD step (eta_A=1e-7, eta_B=3e-7, seed 0): actual dL vs first-order prediction")
    return check


@claim("C3.signsgd-step", r"\Delta L\approx-\eta_A\|\partial_AL\|_1-\eta_B\|\partial_BL\|_1",
       hypotheses=(r"\text{S4: SignSGD}", r"\eta\to0"), uses=("C2.first-order", "C3.sign-pairing"),
       symbolic=False, cross_check=_signsgd(-1), kind="approximation")
def signsgd_step():
    r"""Substituting the SignSGD step into C2: \(\Delta L=-\eta_A\|\partial_AL\|_1-\eta_B\|\partial_BL\|_1+O(\eta^2)\).
    Only checked (first order): one step with \(\eta_A=10^{-7}\), \(\eta_B=3\cdot10^{-7}\) on the tanh loss,
    relative tolerance \(10^{-5}\) (the \(O(\eta^2)\) remainder is far below it)."""


# ----------------------------------------------------------------------------- C4: the i.i.d. model

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


@claim("C4.var-XA", r"\mathrm{Var}((XA)_{ij})=n\,\mathrm{Var}(X)\mathrm{Var}(A)",
       hypotheses=(r"\text{entries independent, zero mean}", r"n=3"), kind="identity")
def var_xa():
    r"""Exact in the model: \((XA)_{ij}=\sum_{l\le n}X_{il}A_{lj}\) is a sum of \(n\) independent zero-mean products,
    so its variance is \(\sum_l\mathrm{Var}(X)\mathrm{Var}(A)\) (cross terms have mean 0). Computed by exact moment
    rules for \(n=3\)."""
    Xm, Am, _, _, var = _model(3, 2, 2)
    return Identity(model_expectation((Xm * Am)[0, 0] ** 2, var), 3 * sx**2 * sa**2)


def _std_check(digits, seed):
    rows = [(n_i, r_i, 256, *num.output_std(n_i, r_i, 256, seed=s)) for s, (n_i, r_i) in enumerate(((256, 8), (512, 4)))]
    worst = max(max(abs(a - 1), abs(c - 1)) for *_, a, c in rows)
    detail = "MC std of XA, XAB (Var A=1/n, Var B=1/r, b=256): " + ", ".join(
        f"n={a},r={b}: {c:.3f}, {d:.3f}" for a, b, _, c, d in rows)
    ok = worst <= 0.05
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C4.var-XAB", r"\mathrm{Var}((XAB)_{ij})=r\,\mathrm{Var}(XA)\mathrm{Var}(B)"
       r"\;\Rightarrow\;\mathrm{Var}(A)=\tfrac1n,\ \mathrm{Var}(B)=\tfrac1r\text{ keep }XAB=O(1)",
       hypotheses=(r"\text{entries independent, zero mean}", r"n=3,\ r=2"), uses=("C4.var-XA",), cross_check=_std_check)
def var_xab():
    r"""Exact in the model: \((XAB)_{ij}=\sum_{k\le r}(XA)_{ik}B_{kj}\); the \((XA)_{ik}\) are uncorrelated across \(k\)
    and independent of \(B\), so \(\mathrm{Var}=r\,\mathrm{Var}(XA)\mathrm{Var}(B)=nr\,\mathrm{Var}X\mathrm{Var}A\mathrm{Var}B\),
    which equals \(\mathrm{Var}X\) for \(\mathrm{Var}A=1/n\), \(\mathrm{Var}B=1/r\) (S1). Exact moments for \(n=3,r=2\);
    Monte Carlo (spec's check): the stds of \(XA\), \(XAB\) are within 5% of 1."""
    Xm, Am, Bm, _, var = _model(3, 2, 2)
    lhs = model_expectation((Xm * Am * Bm)[0, 0] ** 2, var)
    return Identity(sp.Matrix([lhs, lhs.subs({sa: 1 / sp.sqrt(3), sb: 1 / sp.sqrt(2)})]),
                    sp.Matrix([2 * (3 * sx**2 * sa**2) * sb**2, sx**2]))


# ----------------------------------------------------------------------------- C5, C6, C7

POST_RATIO = n / m * sp.sqrt(n / r)
CORRECT_RATIO = n / sp.sqrt(m * r)


# solved once at import (solve_linear: the equation is linear in eta_B; the general ``solve`` costs 5x more)
_, BALANCE_SOLUTION = sp.solve_linear(eta_a * n * r * sp.sqrt(1 / r) - eta_b * m * r * sp.sqrt(1 / n), symbols=[eta_b])


@claim("C5.balance-algebra", r"\eta_A\,nr\sqrt{1/r}=\eta_B\,mr\sqrt{1/n}\iff\frac{\eta_B}{\eta_A}=\frac{n^{3/2}}{m\sqrt r}",
       hypotheses=(r"\text{S3, S5: }\|\partial_AL\|_1\propto nr\sqrt{1/r},\ \|\partial_BL\|_1\propto mr\sqrt{1/n}",))
def balance_algebra():
    r"""The balance \(|\Delta L_A|=|\Delta L_B|\) with the S5 magnitudes \(\|\partial_AL\|_1\propto nr\cdot\mathrm{scale}(B)\),
    \(\|\partial_BL\|_1\propto mr\cdot\mathrm{scale}(A)\) solved for \(\eta_B\) (SymPy ``solve_linear``):
    \(\eta_B/\eta_A=\frac nm\sqrt{n/r}=n^{3/2}/(m\sqrt r)\). Exact algebra; the premises are heuristics."""
    return Identity(BALANCE_SOLUTION / eta_a, n ** sp.Rational(3, 2) / (m * sp.sqrt(r)), {n: positive(50), m: positive(50), r: positive(8)})


SQUARE_ROWS = ((768, 768, 8), (1024, 1024, 8))
RECT_ROWS = ((1024, 256, 8), (256, 1024, 8), (2048, 512, 4))


def _ratio_check(formula, rows, rtol=0.05):
    def check(digits, seed):
        worst, parts = 0.0, []
        for nn, mm, rr in rows:
            got = num.l1_gradient_ratio(nn, mm, rr)
            want = float(formula.subs({n: nn, m: mm, r: rr}))
            gap = abs(got - want) / want
            worst = max(worst, gap)
            parts.append(f"(n,m,r)=({nn},{mm},{rr}): {got:.4g} vs {want:.4g}")
        detail = f"random model (b=64, 5 draws, seed 42) ||dA||_1/||dB||_1 vs formula: " + "; ".join(parts)
        if worst <= rtol:
            return NumericOutcome("agree", None, None, detail, {"gap": f"{worst:.3g}"})
        return NumericOutcome("disagree", None, {"text": detail + f" (worst relative gap {worst:.2f} > {rtol})"},
                              detail, {"gap": f"{worst:.3g}"})
    return check


@claim("C5.square-rates", r"m=n:\ \frac{\eta_B}{\eta_A}\approx\frac{\|\partial_AL\|_1}{\|\partial_BL\|_1}\approx\sqrt{n/r}",
       uses=("C5.balance-algebra",), symbolic=False, cross_check=_ratio_check(POST_RATIO, SQUARE_ROWS), kind="approximation")
def square_rates():
    r"""Heuristic, checked only: in the random model (\(X,G\) i.i.d. \(\mathcal N(0,1)\), \(\mathrm{Var}A=1/n\),
    \(\mathrm{Var}B=1/r\)) the ratio that equalises the two SignSGD decrements is exactly
    \(\|\partial_AL\|_1/\|\partial_BL\|_1\); at \(m=n\) it is within 5% of \(\sqrt{n/r}\) (the output factor \(B\)
    gets the larger rate)."""


@claim("C6.self-consistent", r"\frac{\sqrt{1/r}}{\sqrt{1/n}}=\frac nm\sqrt{\frac nr}\Big|_{m=n}=\sqrt{\frac nr}",
       hypotheses=(r"\text{S6}",), uses=("C4.var-XAB", "C5.balance-algebra"))
def self_consistent():
    r"""By C4 the entries of \(B\) are \(\sqrt{n/r}\) times larger than those of \(A\); under S6 (rate ratio \(\lambda\)
    becomes magnitude ratio \(\lambda\)) this equals the C5 rate ratio at \(m=n\)."""
    return Identity(sp.Matrix([sp.sqrt(1 / r) / sp.sqrt(1 / n), POST_RATIO.subs(m, n)]),
                    sp.Matrix([sp.sqrt(n / r), sp.sqrt(n / r)]))


def _prove_bracket():
    lo, mid, hi = sp.Rational(768, 8), sp.Integer(16) ** 2, sp.Rational(4096, 8)
    if lo < mid < hi:
        return SymbolicOutcome("proved", "exact rational comparison of squares: 96 < 256 < 512")
    return SymbolicOutcome("refuted", "rational", {"text": f"{lo}, {mid}, {hi} not ordered"})


def _bracket_values(digits, seed):
    from numeric.identity import compare
    import mpmath
    cmp = compare(lambda dps: ((mpmath.sqrt(96), mpmath.sqrt(128), mpmath.sqrt(512)),
                               (4 * mpmath.sqrt(6), 8 * mpmath.sqrt(2), 16 * mpmath.sqrt(2))), digits)
    ref = (9.797958971132712, 11.313708498984761, 22.627416997969522)
    ok = cmp.status == "agree" and all(abs(float(v) - w) < 1e-14 for v, w in zip(cmp.lhs, ref))
    return NumericOutcome("agree" if ok else "disagree", cmp.digits, None if ok else {"text": "reference values"},
                          "sqrt(n/r) for n=768, 1024, 4096, r=8: 9.797958971132712, 11.31370849898476, 22.62741699796952")


@claim("C7.lora-plus-default", r"\sqrt{768/8}<16<\sqrt{4096/8}", prove=_prove_bracket, cross_check=_bracket_values)
def lora_plus_default():
    r"""The LoRA+ paper's recommended ratio \(2^4=16\) (\(r=8\), \(n=768\dots4096\)) lies inside the range
    \(\sqrt{n/r}\in[9.80,22.63]\) of the post's \(O(\sqrt n)\) answer, since \(96<256<512\)
    (the paper itself derives \(O(n)\); see control N6)."""


# ----------------------------------------------------------------------------- negative controls


@control("N1.misordered-gradient", r"\frac{\partial L}{\partial A}=X^\top\frac{\partial L}{\partial Y}B", symbolic=False)
def misordered():
    r"""\(B\) instead of \(B^\top\) (well-shaped here because \(r=m\)): wrong values."""
    L, G = tanh_loss(X, A, B), _G()
    return Identity(_grad(L, A), X.T * G * B, _small(), points=2)


@control("N2.inverted-ratio", r"\frac{\eta_B}{\eta_A}\approx\sqrt{r/n}\quad(m=n)", symbolic=False,
         cross_check=_ratio_check(sp.sqrt(r / n), SQUARE_ROWS[:1]))
def inverted_ratio():
    r"""\(A\) gets the larger rate: contradicted by the random model, where \(\|\partial_AL\|_1/\|\partial_BL\|_1\approx\sqrt{n/r}\gg1\)."""


@control("N3.sgd-balance", r"\frac{\mathbb E\|\partial_AL\|_F^2}{\mathbb E\|\partial_BL\|_F^2}=\sqrt{\frac nr}",
         hypotheses=(r"\mathrm{Var}A=1/n,\ \mathrm{Var}B=1/r", r"b=1,n=3,r=1,m=2"))
def sgd_balance():
    r"""With plain SGD the decrement is \(\eta\|\cdot\|_F^2\); in the model the balance ratio is
    \(\mathbb E\|\partial_AL\|_F^2/\mathbb E\|\partial_BL\|_F^2=nbm/(rmb)=n/r\), not \(\sqrt{n/r}\)."""
    Xm, Am, Bm, Gm, var = _model(3, 1, 2)
    var = {k: v.subs({sx: 1, sg_: 1, sa: 1 / sp.sqrt(3), sb: 1}) for k, v in var.items()}
    fa = model_expectation(sum(e**2 for e in Xm.T * Gm * Bm.T), var)
    fb = model_expectation(sum(e**2 for e in (Xm * Am).T * Gm), var)
    return Identity(fa / fb, sp.sqrt(sp.Rational(3, 1)))


@control("N4.fan-in-m", r"\mathrm{Var}(B)=\tfrac1m\ \Rightarrow\ \mathrm{Var}((XAB)_{ij})=1",
         hypotheses=(r"n=3,\ r=2,\ m=1024",))
def fan_in_m():
    r"""Fan-in mistake: with \(\mathrm{Var}B=1/m\) the output variance is \(r/m\) (std \(\sqrt{8/1024}=0.088\) at
    \(r=8,m=1024\); \(2/1024\) in the exact \(n=3,r=2\) model), violating S1."""
    Xm, Am, Bm, _, var = _model(3, 2, 2)
    lhs = model_expectation((Xm * Am * Bm)[0, 0] ** 2, var).subs({sx: 1, sa: 1 / sp.sqrt(3), sb: 1 / sp.sqrt(1024)})
    return Identity(lhs, 1)


@control("N5.wrong-sign", r"\Delta L\approx+\eta_A\|\partial_AL\|_1+\eta_B\|\partial_BL\|_1", symbolic=False,
         cross_check=_signsgd(+1))
def wrong_sign():
    r"""A SignSGD step on a smooth loss decreases it for small \(\eta\); the '+' variant is off by the whole change."""


@control("N6.linear-in-n", r"\frac{\partial\log(\eta_B/\eta_A)}{\partial\log n}\Big|_{m=n}=1")
def linear_in_n():
    r"""The LoRA+ paper's \(O(n)\) is not the post's conclusion: the exponent of \(n\) in \(\frac nm\sqrt{n/r}\) at
    \(m=n\) is \(1/2\)."""
    ratio = POST_RATIO.subs(m, n)
    return Identity(sp.expand_log(n * sp.diff(sp.log(ratio), n), force=True), 1)


# ----------------------------------------------------------------------------- erratum


@claim("E1.post-general-m", r"m\ne n:\ \frac{\|\partial_AL\|_1}{\|\partial_BL\|_1}\approx\frac nm\sqrt{\frac nr}",
       symbolic=False, cross_check=_ratio_check(POST_RATIO, RECT_ROWS), kind="approximation")
def post_general_m():
    r"""The post's general-\(m\) ratio: S5 ignores that each entry of \(\partial_AL\) sums \(bm\) terms and each entry
    of \(\partial_BL\) sums \(b\) terms of \(O(1)\) size; the random model is off by \(\sqrt{n/m}\) (e.g. 22.9 vs 45.3)."""


@claim("E1.corrected-general-m", r"\frac{\|\partial_AL\|_1}{\|\partial_BL\|_1}\approx\frac{n}{\sqrt{mr}}",
       symbolic=False, cross_check=_ratio_check(CORRECT_RATIO, RECT_ROWS), kind="approximation")
def corrected_general_m():
    r"""Entries of \(\partial_AL=X^\top GB^\top\) have scale \(\sqrt{bm/r}\) (count \(nr\)), entries of
    \(\partial_BL=(XA)^\top G\) scale \(\sqrt b\) (count \(rm\)): ratio \(n\sqrt{m/r}/m=n/\sqrt{mr}\), equal to the
    post's at \(m=n\). Checked in the random model within 5%."""


def results():
    return [(r"\eta_B/\eta_A\ \text{(post)}", sp.latex(POST_RATIO)), (r"\eta_B/\eta_A\ \text{(corrected)}", sp.latex(CORRECT_RATIO))]


DERIVATION = Derivation(
    slug="lora-plus",
    title="LoRA+: why the two LoRA factors want different learning rates",
    source="https://spaces.ac.cn/archives/10001",
    date="2024-02-27",
    summary="Gradients of Y=XAB, the SignSGD loss change, variance scales and the balanced rate ratio sqrt(n/r).",
    claims=(gradients, first_order, sign_pairing, signsgd_step, var_xa, var_xab, balance_algebra, square_rates,
            self_consistent, lora_plus_default),
    controls=(misordered, inverted_ratio, sgd_balance, fan_in_m, wrong_sign, linear_in_n),
    errata=(Erratum("E1.ratio-general-m", post_says=post_general_m, correct=corrected_general_m,
                    note="both agree at m = n, the case the post emphasises"),),
    results=results,
)
