r"""The claims of the smooth Top-K post: GradTopK (C1), the weighted-softmax iteration (C2), ThreTopK with
\(f=\min(1,e^u)\) and \(f=\sigma\) (C3), the Laplace-CDF ThreTopK and its \(k=1\) erratum (C4, E1); the header of
:mod:`derivations.topk` lists them."""
from __future__ import annotations

import itertools
from functools import lru_cache, partial

import mpmath
import sympy as sp

from derivations.engine import All, Approximation, Identity, Inequality, claim, control, positive, quantity, real, stated
from derivations.topk import numerics as num

X_A = (3, 2, 1, 4)                  # the card's running example
X_B = ("0.5", "-1", "2", "0", "1.5")
T2_A = (1, 0, 0, 1)


def e_sym(ys, k):
    r"""Elementary symmetric polynomial \(e_k(y)\)."""
    return sp.Add(*[sp.Mul(*c) for c in itertools.combinations(ys, k)]) if k else sp.S(1)


def z_ki(ys, k, i):
    r"""\(Z_{k,i}=y_i\,e_{k-1}(y_{\setminus i})\)."""
    return ys[i] * e_sym(ys[:i] + ys[i + 1:], k - 1)


Y5 = sp.symbols("y1:6", positive=True)
X4 = sp.symbols("x1:5", real=True)
q = sp.Symbol("q", positive=True)   # q = exp(-1/tau)


X_SMALL = ("0", "0.1", "-0.2", "0.3")
XS = {0: X_A, 1: X_B, 2: X_SMALL}        # the inputs of the numeric parts, by code (quantities take numbers)


def lowest_order_limits(d):
    r"""Each \(\lim_{q\to0^+}P(q)/Q(q)\) of a quotient of polynomials in \(q\) replaced by the ratio of the lowest-order
    coefficients (0 when the numerator's order is higher, \(\infty\) when it is lower), then expanded."""
    def limit(e):
        p, den = (sp.Poly(t, q) for t in sp.fraction(sp.together(e.args[0])))
        (a, ca), (b, cb) = (min(t.terms(), key=lambda m: m[0]) for t in (p, den))
        return ca / cb if a == b else (sp.S(0) if a > b else sp.oo * sp.sign(ca / cb))

    return sp.expand(sp.sympify(d).replace(
        lambda e: isinstance(e, sp.Limit) and e.args[1] == q and e.args[2] == 0 and str(e.args[3]) == "+", limit))


# ----------------------------------------------------------------------------- C1 GradTopK


@claim("C1.gradient", r"[\mathrm{GradTopK}_k(x)]_i:=\partial_{x_i}\log e_k(e^{x})=\frac{Z_{k,i}}{Z_k}",
       hypotheses=(r"y_i=e^{x_i}", r"n=4,\ k=1,2,3"))
def gradient():
    r"""Sum of the top \(k\) entries \(=\max\) over \(k\)-subsets of subset sums; smoothing that max by logsumexp over
    all \(\binom nk\) subsets gives \(\log e_k(e^x)\), whose gradient is \(y_i\,e_{k-1}(y_{\setminus i})/e_k(y)=Z_{k,i}/Z_k\):
    the probability that \(i\) belongs to the subset under the softmax over subsets."""
    ys = [sp.exp(t) for t in X4]
    lhs = [sp.diff(sp.log(e_sym(ys, k)), X4[i]) for k in (1, 2, 3) for i in range(4)]
    rhs = [z_ki(ys, k, i) / e_sym(ys, k) for k in (1, 2, 3) for i in range(4)]
    return Identity(sp.Matrix(lhs), sp.Matrix(rhs), {t: real(-2, 2) for t in X4}, points=2)


@claim("C1.sum-rule", r"\sum_iZ_{k,i}=k\,Z_k", hypotheses=(r"n=5,\ k=1..5",))
def sum_rule():
    r"""Euler's relation for the degree-\(k\) homogeneous \(e_k\): \(\sum_iy_i\partial_{y_i}e_k=k\,e_k\), so the
    GradTopK entries sum to \(k\)."""
    return Identity(sp.Matrix([sum(z_ki(Y5, k, i) for i in range(5)) for k in range(1, 6)]),
                    sp.Matrix([k * e_sym(Y5, k) for k in range(1, 6)]), {t: positive(2) for t in Y5}, points=2)


@claim("C1.recurrence", r"Z_{1,i}=y_i,\quad Z_{k,i}=y_i\,(Z_{k-1}-Z_{k-1,i})", hypotheses=(r"n=5,\ k=2..5",))
def recurrence():
    r"""\(e_{k-1}(y)=e_{k-1}(y_{\setminus i})+y_i\,e_{k-2}(y_{\setminus i})\), multiplied by \(y_i\). (Numeric instances:
    C1.reference.)"""
    lhs = [z_ki(Y5, 1, i) for i in range(5)] + [z_ki(Y5, k, i) for k in range(2, 6) for i in range(5)]
    rhs = list(Y5) + [Y5[i] * (e_sym(Y5, k - 1) - z_ki(Y5, k - 1, i)) for k in range(2, 6) for i in range(5)]
    return Identity(sp.Matrix(lhs), sp.Matrix(rhs))


@claim("C1.bounds", r"0<\frac{Z_{k,i}}{Z_k}<1\quad(1\le k<n)", hypotheses=(r"y_i>0", r"n=5"))
def bounds():
    r"""\(Z_{k,i}>0\) and \(Z_k-Z_{k,i}=e_k(y_{\setminus i})>0\) for \(k<n\) (both are sums of products of positive
    \(y\)'s), so every GradTopK entry \(g\) lies strictly between 0 and 1, i.e. \(g(1-g)>0\): SymPy's ``factor`` writes
    \(g(1-g)=Z_{k,i}\,e_k(y_{\setminus i})/Z_k^2\), manifestly positive for \(y>0\). Stated as \(\min_{k\le4}g(1-g)>0\) for
    \(i=1\): \(e_k\) is symmetric in the \(y\)'s, so entry \(i\) is entry 1 with \(y_1\) and \(y_i\) exchanged."""
    g = [z_ki(Y5, k, 0) / e_sym(Y5, k) for k in range(1, 5)]
    return Inequality(sp.Min(*[sp.factor(v * (1 - v)) for v in g], evaluate=False), ">", 0,
                      {t: positive(2) for t in Y5}, points=2)


@claim("C1.softmax", r"\mathrm{GradTopK}_1(x)=\mathrm{softmax}(x)")
def grad_softmax():
    r"""At \(k=1\): \(Z_{1,i}/Z_1=y_i/\sum_jy_j\) since \(e_0=1\)."""
    return Identity(sp.Matrix([z_ki(Y5, 1, i) / e_sym(Y5, 1) for i in range(5)]),
                    sp.Matrix([t / sum(Y5) for t in Y5]), {t: positive(2) for t in Y5}, points=2)


def _y_scaled(x):
    r"""\(e^{x_i/\tau}\) times \(e^{-\max x/\tau}\), written in \(q=e^{-1/\tau}\) (integer \(x\))."""
    top = max(x)
    return [q ** (top - t) for t in x]


def _gradtopk_q(x, k):
    ys = _y_scaled(x)
    return [z_ki(ys, k, i) / e_sym(ys, k) for i in range(len(x))]


@claim("C1.limit", r"\lim_{\tau\to0^+}\mathrm{GradTopK}_2(x/\tau)=\mathcal T_2(x)\quad(x=(3,2,1,4))",
       strategies=(lowest_order_limits,))
def grad_limit():
    r"""With \(q=e^{-1/\tau}\) and \(y_i=q^{\max x-x_i}\) the entries are rational in \(q\); at \(q=0\) only the subset
    of the two largest entries survives: the limit is \(\mathcal T_2(x)=(1,0,0,1)\)."""
    return Identity(sp.Matrix([sp.Limit(e, q, 0, "+") for e in _gradtopk_q(X_A, 2)]), sp.Matrix(T2_A))


def _gradtopk(method, code, k, i, scale):
    x = [mpmath.mpf(t) * int(scale) for t in XS[int(code)]]
    return (num.gradtopk_enumeration if method == "enumeration" else num.gradtopk_recurrence)(x, int(k))[int(i)]


GradEnum = quantity("GradEnum", evaluator=partial(_gradtopk, "enumeration"), how="softmax over all k-subsets, enumerated")
GradRec = quantity("GradRec", evaluator=partial(_gradtopk, "recurrence"), how="the post's recurrence Z_(k,i) = y_i (Z_(k-1) - Z_(k-1,i))")
CARD_C1 = {(0, 2): ("0.694413304626559", "0.305586695373441", "0.119202922022118", "0.880797077977882"),
           (1, 2): ("0.305065663498971", "0.0746550851854708", "0.77438049265192", "0.194098631004288",
                    "0.651800127659351")}


@claim("C1.reference", r"x=(3,2,1,4),k=2:\ \mathrm{GradTopK}=(0.694413304626559,0.305586695373441,0.119202922022118,"
       r"0.880797077977882);\ x/0.02:\ (1,1.93\mathrm e{-22},3.72\mathrm e{-44},1);\ x=(0.5,-1,2,0,1.5):\ (0.305065663498971,\dots)",
       uses=("C1.gradient", "C1.recurrence", "C1.limit"), symbolic=False)
def grad_reference():
    r"""The card's numbers: brute-force subset enumeration against the recurrence at 50 digits (\(x_A=(3,2,1,4)\),
    \(x_B=(0.5,-1,2,0,1.5)\), \(k=2,3\)); the card's 15-digit values; at \(\tau=0.02\) the entries \(1.93\cdot10^{-22}\),
    \(3.72\cdot10^{-44}\) of the approach to \(\mathcal T_2\)."""
    parts = [(f"x={XS[c]}, k={k}: enumeration = recurrence",
              Identity(sp.Matrix([GradEnum(c, k, i, 1) for i in range(len(XS[c]))]),
                       sp.Matrix([GradRec(c, k, i, 1) for i in range(len(XS[c]))])))
             for c, k in ((0, 2), (1, 2), (1, 3))]
    parts += [(f"x={XS[c]}, k={k}, entry {i + 1}", Approximation(GradRec(c, k, i, 1), stated(v)))
              for (c, k), vals in CARD_C1.items() for i, v in enumerate(vals)]
    parts += [(f"tau=0.02, entry {i + 1}", Approximation(GradRec(0, 2, i, 50), stated(v)))
              for i, v in ((1, "1.93e-22"), (2, "3.72e-44"))]
    return All(tuple(p for _, p in parts), tuple(lab for lab, _ in parts))


@control("N1.plus-recurrence", r"\sum_iy_i\,(Z_{k-1}+Z_{k-1,i})=k\,Z_k\quad(k=2)", symbolic=False)
def plus_recurrence():
    r"""The recurrence with '+' gives \(\sum_iy_i(Z_1+y_i)=Z_1^2+\sum y_i^2\ne2e_2\)."""
    return Identity(sum(Y5[i] * (e_sym(Y5, 1) + Y5[i]) for i in range(5)), 2 * e_sym(Y5, 2),
                    {t: positive(2) for t in Y5}, points=2)


@control("N1.binomial-normalisation", r"\sum_i\frac{Z_{k,i}}{\binom nk}=k\,\frac{Z_k}{1}\quad(n=5,k=2)", symbolic=False)
def binomial_normalisation():
    r"""Normalising by the number of subsets \(\binom nk\) instead of using Euler's \(k\): the sum is \(\frac{2}{10}Z_2\ne2Z_2\)."""
    return Identity(sum(z_ki(Y5, 2, i) for i in range(5)) / 10, 2 * e_sym(Y5, 2), {t: positive(2) for t in Y5}, points=2)


# ----------------------------------------------------------------------------- C2 weighted-softmax iteration


def _iteration_q(x):
    r"""\(p^{(2)}\) in exact arithmetic: \(p^{(1)}=\mathrm{softmax}\), \(p^{(2)}=p^{(1)}+\mathrm{softmax}(x;w=1-p^{(1)})\)."""
    ys = _y_scaled(x)
    s = sum(ys)
    p1 = [t / s for t in ys]
    w = [1 - p for p in p1]
    s2 = sum(wi * t for wi, t in zip(w, ys))
    return [p + wi * t / s2 for p, wi, t in zip(p1, w, ys)]


C2_CASES = ((X_A, (sp.Rational(1, 2), 0, 0, sp.Rational(3, 2))), ((0, -1, -2), (sp.Rational(3, 2), sp.Rational(1, 2), 0)))
C2_EXPRS = [e for x, _ in C2_CASES for e in _iteration_q(x)]


@claim("C2.limit", r"\lim_{\tau\to0^+}p^{(2)}(x/\tau)=\big(\tfrac32\text{ at the argmax},\ \tfrac12\text{ at the runner-up},\ 0\big)",
       hypotheses=(r"p^{(0)}=0,\ p^{(j)}=p^{(j-1)}+\mathrm{softmax}(x;w=1-p^{(j-1)})", r"x=(3,2,1,4),\ (0,-1,-2)"),
       strategies=(lowest_order_limits,))
def iteration_limit():
    r"""After one step \(1-p_{\max}\asymp e^{(x_{(2)}-x_{(1)})/\tau}\), so the reweighted top term
    \(w_{\max}e^{x_{(1)}/\tau}\) ties exactly with the runner-up: each gets \(\frac12\) of the second softmax.
    Exact limit of rational functions of \(q=e^{-1/\tau}\) (numbers at \(\tau=0.01\): C2.reference)."""
    lhs = sp.Matrix([sp.Limit(e, q, 0, "+") for e in C2_EXPRS])
    return Identity(lhs, sp.Matrix([t for _, lim in C2_CASES for t in lim]))


def _p2(method, i, tau_inverse):
    tau = 1 / mpmath.mpf(int(tau_inverse))
    if method == "stable":
        return num.iteration_stable(X_A, tau)[int(i)]
    # the iteration as written (or the author's variant), with the digits the cancellation in 1 - p_max
    # destroys added to the working precision
    with mpmath.workdps(mpmath.mp.dps + num.guard_digits(X_A, float(tau))):
        if method == "author":
            return +num.iteration_author(X_A, tau)[int(i)]
        return +num.iteration_naive(X_A, tau)[int(i)]


P2Stable = quantity("P2Stable", evaluator=partial(_p2, "stable"), how="1 - p_i as a sum of the other softmax weights")
P2Guarded = quantity("P2Guarded", evaluator=partial(_p2, "guarded"), how="the iteration as written, with guard digits")
P2Author = quantity("P2Author", evaluator=partial(_p2, "author"), how="the author's variant (reweight inside the exponent)")


@claim("C2.reference", r"\tau=0.01,\ x=(3,2,1,4):\ p^{(2)}=(\tfrac12+\dots,\ 1.86\mathrm e{-44},\ 6.92\mathrm e{-88},\ \tfrac32-\dots)",
       uses=("C2.limit",), symbolic=False)
def iteration_reference():
    r"""The iteration at \(\tau=0.01\): evaluated as written with the \(\approx45\) guard digits its cancellation needs, it
    agrees with the cancellation-free form at 50 digits; the card's small entries \(1.86\cdot10^{-44}\),
    \(6.92\cdot10^{-88}\). The card's \(0.5000000027\) and \(1.499999997\) are the precision trap itself (the naive
    formula at \(\approx50\) digits; control N2.card-p2-digits): the true entries are \(\frac12\) and \(\frac32\) up to
    \(O(e^{-100})\)."""
    return All((*(Identity(P2Guarded(i, 100), P2Stable(i, 100)) for i in range(4)),
                Approximation(P2Stable(1, 100), stated("1.86e-44")), Approximation(P2Stable(2, 100), stated("6.92e-88"))),
               (*(f"entry {i + 1}: as written (guard digits) = cancellation-free" for i in range(4)), "entry 2", "entry 3"))


def _naive_sympy(tau):
    r"""\(p^{(2)}(x/\tau)\) at \(x=(3,2,1,4)\) exactly as written (with \(1-p^{(1)}\) by subtraction), as a SymPy tree."""
    ys = [sp.exp(sp.Integer(t) / tau) for t in X_A]
    s = sp.Add(*ys)
    p1 = [t / s for t in ys]
    w = [1 - p for p in p1]
    s2 = sp.Add(*[wi * t for wi, t in zip(w, ys)])
    return sp.Matrix([p + wi * t / s2 for p, wi, t in zip(p1, w, ys)])


@claim("C2.author-variant", r"x\ge0:\ p^{(2)}=p^{(1)}+\mathrm{softmax}\big((1-p^{(1)})\circ x/\tau\big)\approx\mathcal T_2(x)"
       r"\quad(\tau=0.01,\ |p^{(2)}_i-\mathcal T_{2,i}|\le10^{-40};\ p^{(2)}=(1,3.7\mathrm e{-44},1.4\mathrm e{-87},1))",
       kind="approximation", symbolic=False)
def author_variant():
    r"""The author's variant (reweight inside the exponent) is numerically consistent with \(\mathcal T_2\):
    \((1,3.7\mathrm e{-44},1.4\mathrm e{-87},1)\) at \(\tau=0.01\), each entry within \(10^{-40}\) of \(\mathcal T_2\) (the threshold
    this claim states; evaluated with the guard digits the cancellation in \(1-p_{\max}\) needs). The post has no proof:
    status *checked* only."""
    return All((*(Approximation(P2Author(i, 100), t, sp.Rational(1, 10**40)) for i, t in enumerate(T2_A)),
                Approximation(P2Author(1, 100), stated("3.7e-44")), Approximation(P2Author(2, 100), stated("1.4e-87"))),
               (*(f"entry {i + 1} vs T_2" for i in range(4)), "entry 2", "entry 3"))


@control("N2.stackexchange", r"\lim_{\tau\to0^+}p^{(2)}(x/\tau)=\mathcal T_2(x)", strategies=(lowest_order_limits,))
def stackexchange():
    r"""The StackExchange scheme the post quotes: refuted exactly, the limit is \((\tfrac12,0,0,\tfrac32)\)."""
    return Identity(sp.Matrix([sp.Limit(e, q, 0, "+") for e in _iteration_q(X_A)]), sp.Matrix(T2_A))


@control("N2.float64-trap", r"p^{(2)}(x/\tau)=\mathcal T_2(x)\quad(\tau=\tfrac1{50},\ \text{as float64 computes it})",
         symbolic=False)
def float64_trap():
    r"""In float64, \(1-p^{(1)}_{\max}=1-(1-e^{-50}\cdots)\) rounds to 0 and the iteration returns \(\mathcal T_2\) to
    \(10^{-16}\), so a float64 check accepts this. The engine's two-precision rule does not: at 60 digits the
    result is unstable, at 80 and 140 digits it is stable and equals \((\frac12+\dots,\ 2\cdot10^{-22},\dots,\frac32-\dots)\)."""
    return Identity(_naive_sympy(sp.Rational(1, 50)), sp.Matrix(T2_A))


@control("N2.50-digit-trap", r"p^{(2)}(x/\tau)=\mathcal T_2(x)\quad(\tau=10^{-3},\ \text{to 50 digits})", symbolic=False)
def trap_50_digits():
    r"""The card's trap: at \(\tau=10^{-3}\), \(1-p^{(1)}_{\max}\approx e^{-1000}\) is below every working precision
    the two-precision rule uses (60, 80, 140 digits), so evaluating the iteration as written agrees with
    \(\mathcal T_2\) at all of them. Evaluated with the \((x_{(1)}-x_{(2)})/(\tau\ln10)\approx435\) guard digits the
    cancellation destroys, it is \((\frac12,\dots,\frac32)\): refuted."""
    return Identity(sp.Matrix([P2Guarded(i, 1000) for i in range(4)]), sp.Matrix(T2_A))


@control("N2.card-p2-digits", r"\tau=0.01:\ p^{(2)}_1=0.5000000027\ \text{(as the card prints it)}", symbolic=False)
def card_p2_digits():
    r"""The card's first entry at \(\tau=0.01\) is the naive formula evaluated at \(\approx50\) digits, where \(1-p_{\max}\)
    has lost \(\approx44\) of them: the true entry is \(\frac12+1.86\cdot10^{-44}\) (a spec error)."""
    return Approximation(P2Stable(0, 100), stated("0.5000000027"))


# ----------------------------------------------------------------------------- C3 ThreTopK, f = min(1, e^u)

S, d = sp.symbols("S d", positive=True)          # d = k - m
mm = sp.Symbol("m", real=True)
lam = sp.Symbol("lambda", real=True)


@claim("C3.exp-closed-form", r"m+e^{-\lambda}\sum_{i>m}e^{x_i}=k\ \text{ at }\ \lambda=\log\sum_{i>m}e^{x_i}-\log(k-m);"
       r"\quad k=1:\ f(x-\lambda\mathbf 1)=\mathrm{softmax}(x)",
       hypotheses=(r"f(u)=\min(1,e^u)", r"x\text{ sorted},\ x_m\ge\lambda\ge x_{m+1}"))
def exp_closed_form():
    r"""ThreTopK \(=f(x-\lambda\mathbf 1)\) with \(\sum_if(x_i-\lambda)=k\): the \(m\) entries above \(\lambda\) saturate at 1 and
    the rest contribute \(e^{x_i-\lambda}\), so \(m+e^{-\lambda}S=k\) with \(S=\sum_{i>m}e^{x_i}\). At \(k=1\), \(m=0\) is
    admissible (\(\log\sum e^{x_j}\ge x_i\)) and the output is exactly softmax (numbers: C3.reference)."""
    lam_m = sp.log(S) - sp.log(d)
    lam0 = sp.log(sum(sp.exp(t) for t in X4))
    lhs = sp.Matrix([mm + sp.exp(-lam_m) * S] + [sp.exp(t - lam0) for t in X4])
    rhs = sp.Matrix([mm + d] + [sp.exp(t) / sum(sp.exp(u) for u in X4) for t in X4])
    return Identity(lhs, rhs, {S: positive(5), d: positive(3), mm: real(0, 3), **{t: real(-2, 2) for t in X4}}, points=2)


FN = sp.Function("f")


def _sigmoid(u):
    return 1 / (1 + sp.exp(-u))

X3 = X4[:3]
kk = sp.Symbol("k", positive=True)


@claim("C3.implicit-gradient", r"\frac{\partial\lambda}{\partial x_j}=\frac{f'(x_j-\lambda)}{\sum_if'(x_i-\lambda)},\quad"
       r"\sum_j\frac{\partial\lambda}{\partial x_j}=1",
       hypotheses=(r"f\text{ differentiable, strictly increasing}", r"n=3"))
def implicit_gradient():
    r"""Implicit-function theorem on \(F(x,\lambda)=\sum_if(x_i-\lambda)-k\): \(\partial_{x_j}\lambda=-\partial_{x_j}F/\partial_\lambda F\);
    the gradient sums to 1 (shift equivariance \(\lambda(x+c\mathbf1)=\lambda(x)+c\)). For \(f=\sigma\) and \(x=(3,2,1,4)\),
    \(k=2\): \(\lambda=5/2\) exactly since \(\sigma(u)+\sigma(-u)=1\) (central differences of the root: C3.reference)."""
    F = sum(FN(t - lam) for t in X3) - kk
    # SymPy differentiates the abstract f; its values f'(x_i - lambda) then become the positive symbols d_i
    d = sp.symbols("d1:4", positive=True)
    slopes = {sp.diff(FN(t - lam), t): di for t, di in zip(X3, d)}
    grads = [(-sp.diff(F, t) / sp.diff(F, lam)).xreplace(slopes) for t in X3]
    half_sum = sum(_sigmoid(sp.Integer(t) - sp.Rational(5, 2)) for t in X_A)
    lhs = sp.Matrix(grads + [sum(grads), half_sum])
    rhs = sp.Matrix([di / sum(d) for di in d] + [1, 2])
    return Identity(lhs, rhs, {**{di: positive(3) for di in d}, **{t: real(-2, 2) for t in X3}, lam: real(-2, 2)})


F_BY_NAME = {"exp": num.f_exp, "sigmoid": num.f_sigmoid, "laplace": num.f_laplace}


@lru_cache(maxsize=None)
def _root(code, k, fname, dps):
    with mpmath.workdps(dps):
        return num.threshold_bisection(XS[code], k, F_BY_NAME[fname])


@lru_cache(maxsize=None)
def _gradient_fd(code, k, dps):
    with mpmath.workdps(dps):
        return tuple(num.threshold_gradient_fd(XS[code], k))


def _threshold(fname, code, k):
    return +_root(int(code), int(k), fname, mpmath.mp.dps)


def _sigmoid_gradient_fd(code, k, j):
    return +_gradient_fd(int(code), int(k), mpmath.mp.dps)[int(j)]


ExpRoot = quantity("ExpRoot", evaluator=partial(_threshold, "exp"), real=True,
                   how="root of sum_i min(1, e^(x_i - lambda)) = k (bisection, then secant at the working precision)")
SigmoidRoot = quantity("SigmoidRoot", evaluator=partial(_threshold, "sigmoid"), real=True, how="root of sum_i sigma(x_i - lambda) = k")
LaplaceRoot = quantity("LaplaceRoot", evaluator=partial(_threshold, "laplace"), real=True,
                       how="root of sum_i F_Laplace(x_i - lambda) = k")
SigmoidGradFD = quantity("SigmoidGradFD", evaluator=_sigmoid_gradient_fd,
                         how="central differences of the sigmoid threshold")


def _xs(code):
    return [sp.Rational(t) for t in XS[code]]


def _sorted_exp(code):
    return sorted((sp.exp(t) for t in _xs(code)), key=lambda e: -float(e))


def _softmax(code):
    return [sp.exp(t) / sum(sp.exp(u) for u in _xs(code)) for t in _xs(code)]


def exp_threshold(code, k, m):
    r"""C3's closed form \(\lambda=\log\sum_{i>m}e^{x_i}-\log(k-m)\) (\(x\) sorted decreasingly)."""
    return sp.log(sum(_sorted_exp(code)[m:])) - sp.log(k - m)


@claim("C3.reference", r"x=(3,2,1,4),k=2:\ m=1,\ \lambda=\log(e^3+e^2+e)=3.4076059644443803045,\ "
       r"\mathrm{ThreTopK}=(0.665240955774822,0.244728471054798,0.0900305731703805,1);\ \sigma:\ \lambda(0.5,-1,2,0,1.5)="
       r"1.123821145065303293978856,\ \lambda(3,2,1,4)=\tfrac52,\ \nabla\lambda=(0.305874803733317,\dots)",
       uses=("C3.exp-closed-form", "C3.implicit-gradient"), symbolic=False)
def threshold_reference():
    r"""The card's numbers. \(f=\min(1,e^u)\): the root of \(\sum_if(x_i-\lambda)=k\) (bisection, then secant at the
    working precision) against the closed form with its admissible \(m\) (\(x_m\ge\lambda\ge x_{m+1}\)); at \(k=1\) the output
    is softmax. \(f=\sigma\): the root, \(\lambda=5/2\) at \(x_A\) by symmetry, and central differences of the root
    against the implicit gradient \(\sigma'(x_j-\lambda)/\sum_i\sigma'(x_i-\lambda)\)."""
    xa, xb = _xs(0), _xs(1)
    lam_a = exp_threshold(0, 2, 1)
    parts = [("exp: x_A, k=2 (m=1)", Identity(ExpRoot(0, 2), lam_a)),
             ("exp: x_A, m=1 admissible", Inequality(sp.Integer(4), ">=", lam_a)),
             ("exp: x_A, m=1 admissible ", Inequality(lam_a, ">=", 3)),
             ("exp: x_B, k=2 (m=0)", Identity(ExpRoot(1, 2), exp_threshold(1, 2, 0))),
             ("exp: x_B, m=0 admissible", Inequality(exp_threshold(1, 2, 0), ">=", 2)),
             ("exp: x_B, k=1 (m=0)", Identity(ExpRoot(1, 1), exp_threshold(1, 1, 0))),
             ("exp: x_B, k=1 output = softmax", Identity(sp.Matrix([sp.Min(1, sp.exp(t - ExpRoot(1, 1))) for t in xb]),
                                                           sp.Matrix(_softmax(1)))),
             ("exp: card lambda", Approximation(ExpRoot(0, 2), stated("3.4076059644443803045"))),
             *((f"exp: card output {i + 1}", Approximation(sp.Min(1, sp.exp(xa[i] - ExpRoot(0, 2))), stated(v)))
               for i, v in enumerate(("0.665240955774822", "0.244728471054798", "0.0900305731703805", "1"))),
             ("sigmoid: card lambda(x_B)", Approximation(SigmoidRoot(1, 2), stated("1.123821145065303293978856"))),
             ("sigmoid: lambda(x_A) = 5/2", Identity(SigmoidRoot(0, 2), sp.Rational(5, 2)))]
    for code in (1, 0):
        x, lam = _xs(code), SigmoidRoot(code, 2)
        prime = [_sigmoid(t - lam) * (1 - _sigmoid(t - lam)) for t in x]
        parts.append((f"sigmoid: implicit gradient = central differences, x={XS[code]}",
                      Identity(sp.Matrix([SigmoidGradFD(code, 2, j) for j in range(len(x))]),
                               sp.Matrix([fp / sum(prime) for fp in prime]))))
    parts += [(f"sigmoid: card gradient {j + 1}", Approximation(SigmoidGradFD(0, 2, j), stated(v)))
              for j, v in enumerate(("0.305874803733317", "0.305874803733317", "0.194125196266683", "0.194125196266683"))]
    return All(tuple(p for _, p in parts), tuple(lab for lab, _ in parts))


@control("N3.no-saturation", r"\lambda=\log\sum_{\text{all }i}e^{x_i}-\log k\ \Rightarrow\ \sum_i\min(1,e^{x_i-\lambda})=k"
         r"\quad(x=(3,2,1,4),k=2)", symbolic=False)
def no_saturation():
    r"""Forgetting the saturated block: the clipped output sums to \(\approx1.71\ne2\)."""
    xs = [sp.Integer(t) for t in X_A]
    lam_wrong = sp.log(sum(sp.exp(t) for t in xs)) - sp.log(2)
    return Identity(sum(sp.Min(1, sp.exp(t - lam_wrong)) for t in xs), 2)


# ----------------------------------------------------------------------------- C4 Laplace-CDF ThreTopK

S1, S2 = sp.symbols("S_1 S_2", positive=True)


@claim("C4.laplace-closed-form", r"\lambda=\log S_2-\log\Big(\sqrt{(k-m)^2+S_1S_2}+(k-m)\Big)",
       hypotheses=(r"f(u)=1-\tfrac12e^{-u}\ (u\ge0),\ \tfrac12e^{u}\ (u<0)", r"S_1=\sum_{i\le m}e^{-x_i},\ S_2=\sum_{i>m}e^{x_i}",
                   r"x_m\ge\lambda\ge x_{m+1}"))
def laplace_closed_form():
    r"""With \(m\) entries on the upper branch, \(\sum_if(x_i-\lambda)=m-\tfrac12e^{\lambda}S_1+\tfrac12e^{-\lambda}S_2=k\), a
    quadratic in \(t=e^\lambda\): \(S_1t^2+2(k-m)t-S_2=0\), whose positive root is \(t=S_2/(\sqrt{(k-m)^2+S_1S_2}+(k-m))\).
    (Numbers against bisection, including \(m=2\) for \(x=(0.5,-1,2,0,1.5)\): C4.reference.)"""
    t = S2 / (sp.sqrt(d**2 + S1 * S2) + d)
    return Identity(mm - t * S1 / 2 + S2 / (2 * t), mm + d, {S1: positive(5), S2: positive(5), d: positive(3), mm: real(0, 3)})


def laplace_f(u):
    r"""The Laplace CDF \(f(u)=1-\frac12e^{-u}\) (\(u\ge0\)), \(\frac12e^u\) (\(u<0\))."""
    return sp.Piecewise((1 - sp.exp(-u) / 2, u >= 0), (sp.exp(u) / 2, True))


def laplace_threshold(code, k, m):
    r"""C4's closed form \(\lambda=\log S_2-\log(\sqrt{(k-m)^2+S_1S_2}+(k-m))\), \(S_1=\sum_{i\le m}e^{-x_i}\),
    \(S_2=\sum_{i>m}e^{x_i}\) (\(x\) sorted decreasingly)."""
    e = _sorted_exp(code)
    s1, s2 = sum(1 / t for t in e[:m]), sum(e[m:])
    return sp.log(s2) - sp.log(sp.sqrt((k - m) ** 2 + s1 * s2) + (k - m))


@claim("C4.reference", r"x=(3,2,1,4):\ k=1\to(0.247350192569,0.0909950506158,0.0334752083699,0.628179548446),\ "
       r"k=2\to\lambda=\tfrac52,\ (0.696734670143683,\dots);\ x=(0.5,-1,2,0,1.5),k=2:\ m=2,\ \lambda=1.065026810578310795587262",
       uses=("C4.laplace-closed-form",), symbolic=False)
def laplace_reference():
    r"""The card's numbers: the root of \(\sum_if(x_i-\lambda)=k\) for the Laplace CDF against the closed form with its
    admissible \(m\) (\(x_A\): \(m=1\) at \(k=1\), \(m=2\) at \(k=2\); \(x_B\): \(m=2\)), the card's values, and the two
    \(k=1\) cases of the erratum: at \(x=(0,0.1,-0.2,0.3)\) (max softmax \(0.316\le\frac12\)) the output is softmax;
    at \(x_A\) (max softmax \(0.644\)) the top entry is \(1-\frac u2=0.628179548446\), below softmax's \(0.643914259888\)."""
    xa, xs = _xs(0), _xs(2)
    u = sp.sqrt(sum(sp.exp(t - 4) for t in xa[:3]))
    parts = [("x_A, k=1 (m=1)", Identity(LaplaceRoot(0, 1), laplace_threshold(0, 1, 1))),
             ("x_A, k=2 (m=2)", Identity(LaplaceRoot(0, 2), laplace_threshold(0, 2, 2))),
             ("x_A, k=2: lambda = 5/2", Identity(LaplaceRoot(0, 2), sp.Rational(5, 2))),
             ("x_B, k=2 (m=2)", Identity(LaplaceRoot(1, 2), laplace_threshold(1, 2, 2))),
             ("card lambda(x_B)", Approximation(LaplaceRoot(1, 2), stated("1.065026810578310795587262"))),
             *((f"card k=1 output {i + 1}", Approximation(laplace_f(xa[i] - LaplaceRoot(0, 1)), stated(v)))
               for i, v in enumerate(("0.247350192569", "0.0909950506158", "0.0334752083699", "0.628179548446"))),
             *((f"card k=2 output {i + 1}", Approximation(laplace_f(xa[i] - LaplaceRoot(0, 2)), stated(v)))
               for i, v in enumerate(("0.696734670143683", "0.303265329856317", "0.111565080074215", "0.888434919925785"))),
             ("k=1, max softmax <= 1/2: output = softmax",
              Identity(sp.Matrix([laplace_f(t - LaplaceRoot(2, 1)) for t in xs]), sp.Matrix(_softmax(2)))),
             ("k=1 at x_A: top = 1 - u/2", Identity(laplace_f(4 - LaplaceRoot(0, 1)), 1 - u / 2)),
             ("k=1 at x_A: top < softmax top", Inequality(1 - u / 2, "<", _softmax(0)[3])),
             ("card softmax top", Approximation(_softmax(0)[3], stated("0.643914259888")))]
    return All(tuple(p for _, p in parts), tuple(lab for lab, _ in parts))


@claim("E1.post-k1-softmax", r"k=1:\ \mathrm{ThreTopK}^{\mathrm{Laplace}}_1(x)=\mathrm{softmax}(x)\ \text{for every }x",
       symbolic=False)
def post_k1():
    r"""The post's blanket sentence ("also reduces exactly to Softmax", present in the Chinese original), at
    \(x=(3,2,1,4)\): the Laplace ThreTopK output (the root of the threshold equation) against softmax."""
    return Identity(sp.Matrix([laplace_f(t - LaplaceRoot(0, 1)) for t in _xs(0)]), sp.Matrix(_softmax(0)))


U = sp.Symbol("u", positive=True)
Y1 = sp.Symbol("y_1", positive=True)   # e^{x_1}, the largest


@claim("E1.corrected-k1", r"k=1:\ \text{output}=\mathrm{softmax}(x)\iff\max_i\mathrm{softmax}(x)_i\le\tfrac12;\ "
       r"\text{else top entry }1-\tfrac u2\text{ and }1-\tfrac u2-\tfrac1{1+u^2}=-\tfrac{u(1-u)^2}{2(1+u^2)}<0",
       hypotheses=(r"u=\big(\sum_{i\ne1}e^{x_i-x_1}\big)^{1/2}<1",))
def corrected_k1():
    r"""\(k=1,m=0\): \(e^\lambda=\tfrac12\sum e^{x_i}\) and the output \(\tfrac12e^{x_i-\lambda}\) is softmax, admissible iff
    \(\lambda\ge x_1\) iff \(e^{x_1}\le\tfrac12\sum e^{x_i}\). Otherwise \(m=1\): \(\lambda=\tfrac12(x_1+\log S_2)\), top entry
    \(1-\tfrac12e^{\lambda-x_1}=1-\tfrac u2\), below the softmax top \(1/(1+u^2)\) by \(u(1-u)^2/(2(1+u^2))>0\)."""
    lam0 = sp.log(sum(sp.exp(t) for t in X4) / 2)
    lam1 = (sp.log(Y1) + sp.log(S2)) / 2
    lhs = sp.Matrix([sp.exp(t - lam0) / 2 for t in X4] +
                    [1 - sp.exp(lam1 - sp.log(Y1)) / 2, 1 - U / 2 - 1 / (1 + U**2)])
    rhs = sp.Matrix([sp.exp(t) / sum(sp.exp(v) for v in X4) for t in X4] +
                    [1 - sp.sqrt(S2 / Y1) / 2, -U * (1 - U) ** 2 / (2 * (1 + U**2))])
    return Identity(lhs, rhs, {U: positive(1), Y1: positive(5), S2: positive(5), **{t: real(-2, 2) for t in X4}}, points=2)
