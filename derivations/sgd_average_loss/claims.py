"""The claims, controls and errata of the SGD average-loss post (the header of the package says what they are)."""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from derivations.engine import (All, Approximation, Hypothesis, Identity, Inequality, claim, control, dropped, integers,
                                positive, quantity, real, stated)
from derivations.sgd_average_loss import numerics as num

# --- steps 1-2: one SGD step, 3-D vectors ---------------------------------------------------

theta = sp.Matrix(sp.symbols("theta_1:4", real=True))
star = sp.Matrix(sp.symbols("thetastar_1:4", real=True))
g = sp.Matrix(sp.symbols("g_1:4", real=True))
eta = sp.Symbol("eta", positive=True)
VEC = {s: real(-2, 2) for s in (*theta, *star, *g)}


def sq(v):
    r"""\(\|v\|^2\)."""
    return (v.T * v)[0, 0]


def dot(u, v):
    return (u.T * v)[0, 0]


@claim("C1.expansion",
       r"\|\theta_{t+1}-\theta^*\|^2=\|\theta_t-\theta^*\|^2-2\eta_t(\theta_t-\theta^*)\cdot g_t+\eta_t^2\|g_t\|^2",
       hypotheses=(r"\theta_{t+1}=\theta_t-\eta_tg_t",))
def step1():
    r"""Plain SGD step \(\theta_{t+1}=\theta_t-\eta_tg_t\): expanding the square of
    \((\theta_t-\theta^*)-\eta_tg_t\) (3-D vectors, exact)."""
    return Identity(sq(theta - eta * g - star),
                    sq(theta - star) - 2 * eta * dot(theta - star, g) + eta ** 2 * sq(g), {**VEC, eta: positive(2)})


@claim("C1.rearranged",
       r"(\theta_t-\theta^*)\cdot g_t=\frac{\|\theta_t-\theta^*\|^2-\|\theta_{t+1}-\theta^*\|^2}{2\eta_t}+\frac{\eta_t}{2}\|g_t\|^2",
       hypotheses=(r"\theta_{t+1}=\theta_t-\eta_tg_t", r"\eta_t>0"), uses=("C1.expansion",))
def step2():
    r"""Step 1 divided by \(2\eta_t>0\) and rearranged (for projected SGD the same with
    \(\le\), by C5)."""
    nxt = theta - eta * g
    return Identity(dot(theta - star, g),
                    (sq(theta - star) - sq(nxt - star)) / (2 * eta) + eta / 2 * sq(g), {**VEC, eta: positive(2)})


a_vec = sp.Matrix(sp.symbols("alpha_1:3", real=True))
b_sc = sp.Symbol("b", real=True)


@claim("C1.convexity",
       r"L_t(\theta_t)-L_t(\theta^*)\le(\theta_t-\theta^*)\cdot\nabla L_t(\theta_t)\quad(L_t(\theta)=\tfrac12(a\cdot\theta-b)^2)",
       hypotheses=(r"L_t\ \text{convex (H2)}",))
def step3():
    r"""H2 at \(\theta_1=\theta_t\), \(\theta_2=\theta^*\), shown exactly for the convex squared loss
    \(L(\theta)=\frac12(a\cdot\theta-b)^2\) in \(\mathbb R^2\): the gap is \(\frac12(a\cdot(\theta_t-\theta^*))^2\ge0\)."""
    th, st = theta[:2, 0], star[:2, 0]
    L = lambda v: (dot(a_vec, v) - b_sc) ** 2 / 2  # noqa: E731
    grad = a_vec * (dot(a_vec, th) - b_sc)
    return Inequality(L(th) - L(st), "<=", dot(th - st, grad),
                      {s: real(-2, 2) for s in (*th, *st, *a_vec, b_sc)},
                      certificate=dot(a_vec, th - st) ** 2 / 2, points=4)


# --- steps 5-6: summation by parts and telescoping, T = 6 -------------------------------------

T6 = 6
A = sp.symbols("a_1:8", nonnegative=True)
E = sp.symbols("e_1:7", positive=True)
D, G = sp.symbols("D G", positive=True)


@claim("C1.summation-by-parts",
       r"\sum_{t=1}^T\frac{a_t-a_{t+1}}{2\eta_t}=\frac{a_1}{2\eta_1}-\frac{a_{T+1}}{2\eta_T}"
       r"+\sum_{t=2}^T\Big(\frac1{2\eta_t}-\frac1{2\eta_{t-1}}\Big)a_t\quad(T=6)")
def step5():
    r"""Abel summation with \(a_t=\|\theta_t-\theta^*\|^2\), for \(T=6\) symbols \(a_1..a_7\),
    \(\eta_1..\eta_6\) (exact)."""
    lhs = sum((A[t] - A[t + 1]) / (2 * E[t]) for t in range(T6))
    rhs = A[0] / (2 * E[0]) - A[T6] / (2 * E[T6 - 1]) + sum((1 / (2 * E[t]) - 1 / (2 * E[t - 1])) * A[t]
                                                             for t in range(1, T6))
    return Identity(lhs, rhs)


@claim("C1.telescoping",
       r"\frac{D^2}{2\eta_1}+\sum_{t=2}^T\Big(\frac1{2\eta_t}-\frac1{2\eta_{t-1}}\Big)D^2=\frac{D^2}{2\eta_T}\quad(T=6)",
       uses=("C1.summation-by-parts",))
def step6():
    r"""After \(a_t\le D^2\) is used on the nonnegative brackets (H4), the brackets telescope (exact, \(T=6\))."""
    lhs = D ** 2 / (2 * E[0]) + sum((1 / (2 * E[t]) - 1 / (2 * E[t - 1])) * D ** 2 for t in range(1, T6))
    return Identity(lhs, D ** 2 / (2 * E[T6 - 1]))


# --- C1: the whole chain for T = 3, every hypothesis a nonnegative slack ----------------------

T3 = 3
u1 = sp.Symbol("u_1", positive=True)
delta = sp.symbols("delta_2:4", nonnegative=True)
s_ = sp.symbols("s_1:4", nonnegative=True)
a_end = sp.Symbol("a_4", nonnegative=True)
q_ = sp.symbols("q_1:4", nonnegative=True)
c_ = sp.symbols("c_1:4", nonnegative=True)
p_ = sp.symbols("p_1:4", nonnegative=True)

H1 = r"\|\theta_t-\theta^*\|\le D\ \text{(H1)}"
H2 = r"L_t\ \text{convex (H2)}"
H3 = r"\|g_t\|\le G\ \text{(H3)}"
H4 = r"\eta_t\ge\eta_{t+1}>0\ \text{(H4)}"
HP = r"\|\theta_{t+1}-\theta^*\|\le\|\theta_t-\eta_tg_t-\theta^*\|\ \text{(C5)}"


def chain(rates=None, dist=None, grads=None, gaps=None, slack=None):
    r"""Regret and bound for \(T=3\) in terms of slacks, one per hypothesis:
    \(1/\eta_t=u_t\), \(u_{t}=u_{t-1}(1+\delta_t)\) (H4: \(\delta_t\ge0\));
    \(a_t=\|\theta_t-\theta^*\|^2=D^2(1-s_t)\) (H1: \(s_t\ge0\)); \(\|g_t\|^2=G^2(1-q_t)\) (H3: \(q_t\ge0\));
    \(L_t(\theta_t)-L_t(\theta^*)=(\theta_t-\theta^*)\cdot g_t-c_t\) (H2: \(c_t\ge0\));
    \((\theta_t-\theta^*)\cdot g_t=\frac{a_t-a_{t+1}}{2\eta_t}+\frac{\eta_t}2\|g_t\|^2-p_t\) (C5: \(p_t\ge0\)).
    Returns (regret, bound, certificate of bound - regret)."""
    dl, s, q, c, p = delta, s_, q_, c_, p_
    u = [u1, u1 * (1 + dl[0]), u1 * (1 + dl[0]) * (1 + dl[1])]
    a = [D ** 2 * (1 - st) for st in s] + [a_end]
    gsq = [G ** 2 * (1 - qt) for qt in q]
    regret = sp.Rational(1, T3) * sum((a[t] - a[t + 1]) * u[t] / 2 + gsq[t] / (2 * u[t]) - p[t] - c[t]
                                      for t in range(T3))
    bound_ = D ** 2 * u[-1] / (2 * T3) + G ** 2 / (2 * T3) * sum(1 / ut for ut in u)
    cert = sp.Rational(1, T3) * (D ** 2 * s[0] * u[0] / 2 + sum(u[t - 1] * dl[t - 1] * D ** 2 * s[t] / 2 for t in (1, 2))
                                 + a_end * u[2] / 2 + sum(G ** 2 * q[t] / (2 * u[t]) for t in range(T3))
                                 + sum(p) + sum(c))
    return regret, bound_, cert


CHAIN_DOMAINS = {D: real(0.5, 3), G: real(0.5, 3), u1: real(0.5, 3), a_end: real(0, 3),
                 **{x: real(0, 3) for x in delta}, **{x: real(0, 1) for x in (*s_, *q_)},
                 **{x: real(0, 2) for x in (*c_, *p_)}}


@claim("C1.chain",
       r"\frac1T\sum_{t=1}^T\big[L_t(\theta_t)-L_t(\theta^*)\big]\le\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\sum_{t=1}^T\eta_t\quad(T=3)",
       hypotheses=(H1, H2, H3, H4, HP),
       uses=("C1.rearranged", "C1.convexity", "C1.summation-by-parts", "C1.telescoping"))
def c1_chain():
    r"""The main bound for \(T=3\) with each hypothesis entering as one nonnegative slack (see
    :func:`chain`).  The margin equals
    \(\frac1T\big[\frac{D^2s_1}{2\eta_1}+\sum_{t\ge2}(\tfrac1{\eta_t}-\tfrac1{\eta_{t-1}})\frac{D^2s_t}2
    +\frac{a_{T+1}}{2\eta_T}+\sum_t\frac{\eta_tG^2q_t}2+\sum_tp_t+\sum_tc_t\big]\), a sum of products of
    nonnegative symbols: this is steps 2--7 at once (the \(-a_{T+1}/(2\eta_T)\) dropped, \(a_t\le D^2\) on the
    brackets that H4 makes nonnegative, \(\|g_t\|\le G\), convexity)."""
    regret, bound_, cert = chain()
    return Inequality(regret, "<=", bound_, CHAIN_DOMAINS, certificate=cert, points=4)


def _relax(symbols, lo, hi):
    return {x: (sp.Symbol(x.name, real=True), real(lo, hi)) for x in symbols}


CHAIN_DROPS = (
    Hypothesis("H1", H1, relax=_relax(s_, -1, 1), note="Iterates farther than D: a_t up to 2D^2."),
    Hypothesis("H2", H2, relax=_relax(c_, -2, 2), note="A loss below its tangent plane at the comparator."),
    Hypothesis("H3", H3, relax=_relax(q_, -1, 1), note="Gradients up to sqrt(2) G."),
    Hypothesis("H4", H4, relax=_relax(delta, -0.9, 3), note="Rates allowed to increase (still positive)."),
    Hypothesis("C5", HP, relax=_relax(p_, -2, 2), note="A step that moves away from the comparator."),
)
CHAIN_CONTROLS, _ = dropped(c1_chain, CHAIN_DROPS)


# --- C1 on concrete runs ---------------------------------------------------------------------

def _rational(x) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else sp.Rational(x)


def run_bound(Dv, Gv, etas, first: bool = False):
    r"""The bound \(\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\sum_t\eta_t\) of a run with rates ``etas`` (exact), as SymPy;
    with ``first`` the post-free variant with \(\eta_1\) in place of \(\eta_T\)."""
    T, eta_end = len(etas), _rational(etas[0] if first else etas[-1])
    return _rational(Dv) ** 2 / (2 * T * eta_end) + _rational(Gv) ** 2 / (2 * T) * _rational(sum(etas))


def abs_run(etas, first: bool = False) -> Inequality:
    r"""Regret \(\le\) bound for projected subgradient descent on \(|\theta|\), \(\Theta=[-1,1]\) (\(D=2\), \(G=1\)),
    \(\theta_1=1\), \(\theta^*=0\): the regret of the exact run (rationals) against the bound of its rates."""
    return Inequality(_rational(num.abs_loss_regret(etas)), "<=", run_bound(2, 1, etas, first))


ABS_SETTING = r"f(\theta)=|\theta|,\ \Theta=[-1,1],\ \theta_1=1,\ \theta^*=0,\ T=100"


@claim("C1.abs-example",
       r"\mathcal R_T\le\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\sum_t\eta_t\ \text{ for projected SGD on }" + ABS_SETTING,
       hypotheses=(H4,), uses=("C1.chain",))
def c1_abs_example():
    r"""Exact runs (rationals) of projected subgradient descent on \(|\theta|\) (\(D=2\), \(G=1\)) with four
    non-increasing schedules (constant \(10^{-3}\), \(1/10\), \(1/(t+1)\), and \(\eta_1=2\), \(\eta_t=10^{-3}\)):
    each regret is below the bound (exact rational margins)."""
    cases = num.monotone_schedules()
    return All(tuple(abs_run(v) for v in cases.values()), tuple(cases))


ABS_DROPS = (Hypothesis("H4", H4, build=lambda: abs_run(num.n1_schedule()),
                        note="Spec N1: eta_t = 1e-3 (t < 100), eta_100 = 100: the D^2/(2T eta_T) term vanishes while "
                             "the iterates barely moved: 0.9505 > 0.500695."),)
ABS_CONTROLS, _ = dropped(c1_abs_example, ABS_DROPS)

INCREASING = r"\eta_t\le\eta_{t+1}"
INCREASING_SCHEDULES = {"eta_t = t/1000": [Fraction(t, 1000) for t in range(1, 101)],
                        "constant 1e-3": [Fraction(1, 1000)] * 100}


@claim("C1.eta1-variant",
       r"\mathcal R_T\le\frac{D^2}{2T\eta_1}+\frac{G^2}{2T}\sum_t\eta_t\ \text{ for }" + ABS_SETTING,
       hypotheses=(INCREASING,))
def c1_eta1_variant():
    r"""With non-decreasing rates the brackets \(\frac1{\eta_t}-\frac1{\eta_{t-1}}\) of step 5 are \(\le0\), so the
    first term is \(\frac{a_1}{2\eta_1}\le\frac{D^2}{2\eta_1}\): \(\eta_1\) in place of \(\eta_T\) is right for
    increasing rates.  Exact runs on \(|\theta|\) with \(\eta_t=t/1000\) and a constant rate."""
    return All(tuple(abs_run(v, first=True) for v in INCREASING_SCHEDULES.values()), tuple(INCREASING_SCHEDULES))


ETA1_DROPS = (Hypothesis("nondecreasing", INCREASING, build=lambda: abs_run(num.n2_schedule(), first=True),
                         note="Spec N2: eta_1 = 2, eta_t = 1e-3 (t >= 2): for a decreasing schedule the eta_1 form "
                              "fails (0.95149 > 0.020495); the eta_T form gives 20.010495 and holds."),)
ETA1_CONTROLS, _ = dropped(c1_eta1_variant, ETA1_DROPS)

BallRegret = quantity("BallRegret", evaluator=num.ball_regret_of, enclosure=num.ball_regret_enclosure,
                      how=f"projected SGD on the unit ball of R^{num.BALL_D}, T={num.BALL_T}, seed {num.BALL_SEED}, "
                          "Arb ball; MPFR at the working precision")
t_i = sp.Symbol("t", integer=True, positive=True)


def ball_bounds():
    r"""The bound of C1 for the two schedules of the simulation (\(D=2\), \(G=1\), \(T=5000\)): \(\eta=D/(G\sqrt T)\)
    gives \(DG/\sqrt T\); \(\eta_t=\frac{D}{\sqrt2G}t^{-1/2}\) gives
    \(\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\frac{D}{\sqrt2G}\sum_{t\le T}t^{-1/2}\)."""
    Dv, Gv, Tv = 2, 1, num.BALL_T
    const = sp.Integer(Dv) ** 2 / (2 * Tv * (Dv / (Gv * sp.sqrt(Tv)))) + sp.Integer(Gv) ** 2 / 2 * (Dv / (Gv * sp.sqrt(Tv)))
    a = Dv / (sp.sqrt(2) * Gv)
    root = (sp.Integer(Dv) ** 2 / (2 * Tv * (a / sp.sqrt(Tv)))
            + sp.Integer(Gv) ** 2 / (2 * Tv) * a * sp.Sum(1 / sp.sqrt(t_i), (t_i, 1, Tv)))
    return const, root


@claim("C1.simulation",
       r"\mathcal R_T\le\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\sum_t\eta_t\ \text{ for projected SGD, }"
       r"L_t(\theta)=|a_t\cdot\theta-b_t|,\ \|\theta\|\le1,\ T=5000;\ \text{bounds }0.028284,\ 0.039794",
       hypotheses=(H1, H2, H3, H4), uses=("C1.chain",))
def c1_simulation():
    r"""Projected SGD on the unit ball of \(\mathbb R^5\), \(L_t(\theta)=|a_t\cdot\theta-b_t|\) with \(\|a_t\|=1\)
    (\(G=1\), \(D=2\)), seed 2023, comparator an approximate minimiser of the average loss (any point of the ball is a
    valid comparator): with \(\eta=D/(G\sqrt T)\) the bound is \(DG/\sqrt T=0.028284\); with
    \(\eta_t=\frac{D}{\sqrt2G}t^{-1/2}\) it is 0.039794 (the spec's values); both regrets are about 0.01.  The runs are
    simulated at the working precision (MPFR), so the engine compares them at two precisions."""
    const, root = ball_bounds()
    return All((Inequality(BallRegret(0), "<=", const), Inequality(BallRegret(1), "<=", root),
                Approximation(const, stated("0.028284")), Approximation(root, stated("0.039794"))),
               ("constant rate", "1/sqrt(t) rate", "bound (constant)", "bound (1/sqrt(t))"))


# --- C2: constant rate ---------------------------------------------------------------------

T = sp.Symbol("T", positive=True)
f_const = D ** 2 / (2 * T * eta) + G ** 2 * eta / 2
CONST_DOMAINS = {D: positive(3), G: positive(3), T: real(1, 100), eta: positive(2)}
SQUARE = (D / sp.sqrt(2 * T * eta) - G * sp.sqrt(eta / 2)) ** 2


@claim("C2.perfect-square",
       r"\frac{D^2}{2T\eta}+\frac{G^2\eta}{2}-\frac{DG}{\sqrt T}=\Big(\frac{D}{\sqrt{2T\eta}}-G\sqrt{\frac\eta2}\Big)^2")
def c2_square():
    r"""Step 8: the constant-rate bound minus \(DG/\sqrt T\) is a perfect square (exact)."""
    return Identity(f_const - D * G / sp.sqrt(T), SQUARE, CONST_DOMAINS)


@claim("C2.bound", r"\frac{D^2}{2T\eta}+\frac{G^2\eta}{2}\ge\frac{DG}{\sqrt T}", uses=("C2.perfect-square",))
def c2_bound():
    r"""Hence the constant-rate bound is at least \(DG/\sqrt T\) (certificate: the square)."""
    return Inequality(f_const, ">=", D * G / sp.sqrt(T), CONST_DOMAINS, certificate=SQUARE)


ETA_STAR = D / (G * sp.sqrt(T))


@claim("C2.argmin",
       r"\partial_\eta\Big(\frac{D^2}{2T\eta}+\frac{G^2\eta}{2}\Big)\Big|_{\eta=\frac{D}{G\sqrt T}}=0,\quad"
       r"\Big(\frac{D^2}{2T\eta}+\frac{G^2\eta}{2}\Big)\Big|_{\eta=\frac{D}{G\sqrt T}}=\frac{DG}{\sqrt T}",
       uses=("C2.bound",))
def c2_argmin():
    r"""The minimiser \(\eta=D/(G\sqrt T)\) (the square vanishes there) and the minimum \(DG/\sqrt T\).
    With \(D=2\), \(G=1\), \(T=10^4\): \(\eta=0.02\), bound \(0.02\)."""
    return Identity(sp.Matrix([sp.diff(f_const, eta).subs(eta, ETA_STAR), f_const.subs(eta, ETA_STAR),
                               ETA_STAR.subs({D: 2, G: 1, T: 10 ** 4})]),
                    sp.Matrix([0, D * G / sp.sqrt(T), sp.Rational(1, 50)]), CONST_DOMAINS)


QUAD_SETTING = r"\Theta=[-2,2],\ \theta_1=1.5,\ \eta=\frac{D}{G\sqrt T},\ T=10^4"
ConvexRegret = quantity("ConvexRegret", evaluator=num.convex_regret, enclosure=num.convex_regret_ball,
                        how=f"projected GD on theta^2 + theta/2, T={num.CONVEX_T}: Arb ball; MPFR at the working precision")
QuarticRegret = quantity("QuarticRegret", evaluator=num.quartic_regret,
                         how=f"projected GD on theta^4 - 2 theta^2 + theta/2, T={num.QUARTIC_T}, at the working precision")


@claim("C2.convex-example",
       r"\mathcal R_T\le\frac{DG}{\sqrt T}\ \text{ for } f(\theta)=\theta^2+\tfrac\theta2,\ " + QUAD_SETTING,
       hypotheses=(H2,), uses=("C2.argmin",))
def c2_convex_example():
    r"""Projected gradient descent with the optimal constant rate on the convex \(f(\theta)=\theta^2+\theta/2\) over
    \([-2,2]\) (\(D=4\), \(G=\max|f'|=4.5\)): regret \(0.00869\) below \(DG/\sqrt T=0.18\) (run at the working
    precision)."""
    return Inequality(ConvexRegret(), "<=", sp.Integer(4) * sp.Rational(9, 2) / sp.sqrt(num.CONVEX_T))


CONVEX_DROPS = (Hypothesis("H2", H2, build=lambda: Inequality(QuarticRegret(), "<=",
                                                             sp.Integer(4) * sp.Rational(49, 2) / sp.sqrt(num.QUARTIC_T)),
                           note="Spec N3: the quartic theta^4 - 2theta^2 + theta/2 (G = 24.5, T = 10^5) traps the "
                                "iterates at its local minimum 0.93040: regret 0.99935 > DG/sqrt(T) = 0.30990."),)
CONVEX_CONTROLS, _ = dropped(c2_convex_example, CONVEX_DROPS)


# --- C3: sum of t^{-1/2} --------------------------------------------------------------------

s_t = sp.Symbol("s", nonnegative=True)
t_i = sp.Symbol("t", integer=True, positive=True)
T_i = sp.Symbol("T", integer=True, positive=True)


@claim("C3.per-term", r"t^{-1/2}\le\frac{2}{\sqrt{t-1}+\sqrt t}=2(\sqrt t-\sqrt{t-1})\quad(t\ge1)")
def c3_per_term():
    r"""Step 9 with \(t=1+s\), \(s\ge0\): the margin is
    \(2(\sqrt t-\sqrt{t-1})-\frac1{\sqrt t}=\frac1{\sqrt t(\sqrt t+\sqrt{t-1})^2}>0\) (rationalised)."""
    tt = 1 + s_t
    return Inequality(1 / sp.sqrt(tt), "<=", 2 * (sp.sqrt(tt) - sp.sqrt(s_t)), {s_t: real(0, 50)},
                      certificate=1 / (sp.sqrt(tt) * (sp.sqrt(tt) + sp.sqrt(s_t)) ** 2))


@claim("C3.telescoping", r"\sum_{t=2}^T2(\sqrt t-\sqrt{t-1})=2\sqrt T-2", uses=("C3.per-term",))
def c3_telescoping():
    r"""The right-hand sides telescope (SymPy sums it exactly)."""
    return Identity(sp.Sum(2 * (sp.sqrt(t_i) - sp.sqrt(t_i - 1)), (t_i, 2, T_i)), 2 * sp.sqrt(T_i) - 2,
                    {T_i: integers(2, 200)})


@claim("C3.sum-bound", r"\sum_{t=1}^Tt^{-1/2}\le2\sqrt T-1\quad(T\ge1)", uses=("C3.telescoping",))
def c3_sum_bound():
    r"""C3: add the \(t=1\) term 1 to the telescoped bound.  Checked by violation search over
    \(T\le100\) (equality at \(T=1\))."""
    return Inequality(sp.Sum(1 / sp.sqrt(t_i), (t_i, 1, T_i)), "<=", 2 * sp.sqrt(T_i) - 1, {T_i: integers(1, 100)},
                      points=8)


C3_REFERENCE = {2: "1.70710678118654752440084436210", 10: "5.02099789929266650050620329387",
                100: "18.5896038247841534223581631093", 10 ** 4: "198.54464544952374654648550075"}


def _partial(n):
    return sp.Sum(1 / sp.sqrt(t_i), (t_i, 1, n))


@claim("C3.instances",
       r"\sum_{t=1}^Tt^{-1/2}<2\sqrt T-1\ \text{ and reference values for } T\in\{2,10,100,10^4\}",
       uses=("C3.sum-bound",))
def c3_instances():
    r"""Spec reference values (30 digits, rounded): \(\sum_{t\le2}=1.7071\ldots\), \(\sum_{t\le10}=5.0210\ldots\) (bound
    \(5.3246\)), \(\sum_{t\le100}=18.5896\ldots\) (bound 19), \(\sum_{t\le10^4}=198.5446\ldots\) (bound 199); with
    python-flint the partial sums are Arb balls (certified), else two precisions."""
    parts, labels = [], []
    for n, v in C3_REFERENCE.items():
        parts += [Inequality(_partial(n), "<", 2 * sp.sqrt(n) - 1), Approximation(_partial(n), stated(v))]
        labels += [f"T={n}: bound", f"T={n}: value"]
    return All(tuple(parts), tuple(labels))


# --- C4: eta_t = alpha / sqrt(t) -----------------------------------------------------------

alpha = sp.Symbol("alpha", positive=True)
SCHEDULE_DOMAINS = {D: positive(3), G: positive(3), alpha: positive(3)}


@claim("C4.first-term", r"\frac{D^2}{2T\eta_T}\Big|_{\eta_T=\alpha/\sqrt T}=\frac{D^2}{2\alpha\sqrt T}")
def c4_first_term():
    r"""Step 10, first term (exact)."""
    return Identity(D ** 2 / (2 * T * (alpha / sp.sqrt(T))), D ** 2 / (2 * alpha * sp.sqrt(T)),
                    {**SCHEDULE_DOMAINS, T: real(1, 100)})


@claim("C4.bound",
       r"\frac{D^2}{2\alpha\sqrt T}+\frac{G^2\alpha}{2T}\sum_{t=1}^T\frac1{\sqrt t}<\frac{D^2}{2\alpha\sqrt T}+\frac{G^2\alpha}{\sqrt T}",
       uses=("C4.first-term", "C3.sum-bound"))
def c4_bound():
    r"""C4: with C3 the second term is at most \(\frac{G^2\alpha(2\sqrt T-1)}{2T}\), which is
    \(\frac{G^2\alpha}{2T}\) below \(\frac{G^2\alpha}{\sqrt T}\).  Checked by search (the sum has symbolic length);
    the tighter form is the certificate-free ingredient."""
    return Inequality(D ** 2 / (2 * alpha * sp.sqrt(T_i)) + G ** 2 * alpha / (2 * T_i) * _partial(T_i), "<",
                      D ** 2 / (2 * alpha * sp.sqrt(T_i)) + G ** 2 * alpha / sp.sqrt(T_i),
                      {**SCHEDULE_DOMAINS, T_i: integers(1, 30)}, points=4)


@claim("C4.tighter",
       r"\frac{G^2\alpha(2\sqrt T-1)}{2T}<\frac{G^2\alpha}{\sqrt T}", uses=("C3.sum-bound",))
def c4_tighter():
    r"""The strictness of C4 comes from C3's \(-1\): the margin is \(\frac{G^2\alpha}{2T}>0\) (exact)."""
    return Inequality(G ** 2 * alpha * (2 * sp.sqrt(T) - 1) / (2 * T), "<", G ** 2 * alpha / sp.sqrt(T),
                      {**SCHEDULE_DOMAINS, T: real(1, 100)}, certificate=G ** 2 * alpha / (2 * T))


g4 = D ** 2 / (2 * alpha * sp.sqrt(T)) + G ** 2 * alpha / sp.sqrt(T)
ALPHA_STAR = D / (sp.sqrt(2) * G)


@claim("C4.best-alpha",
       r"\alpha^*=\frac{D}{\sqrt2G}:\ \partial_\alpha\Big(\frac{D^2}{2\alpha\sqrt T}+\frac{G^2\alpha}{\sqrt T}\Big)=0,\ "
       r"\text{value }\frac{\sqrt2DG}{\sqrt T};\ D=2,G=1,T=10^4:\ 0.03\ (\alpha=1),\ \frac{2\sqrt2}{100}\ (\alpha=\sqrt2)",
       uses=("C4.bound",))
def c4_best_alpha():
    r"""Added by the spec: the best \(\alpha\) gives \(\sqrt2\,DG/\sqrt T\), \(\sqrt2\) times C2's constant;
    spec numbers \(0.02+0.01=0.03\) and \(0.0282843\) (exact)."""
    vals = {D: 2, G: 1, T: 10 ** 4}
    return Identity(sp.Matrix([sp.diff(g4, alpha).subs(alpha, ALPHA_STAR), g4.subs(alpha, ALPHA_STAR),
                               g4.subs(vals).subs(alpha, 1), g4.subs(vals).subs(alpha, sp.sqrt(2))]),
                    sp.Matrix([0, sp.sqrt(2) * D * G / sp.sqrt(T), sp.Rational(3, 100), 2 * sp.sqrt(2) / 100]),
                    {**SCHEDULE_DOMAINS, T: real(1, 100)})


# --- C5: projection -----------------------------------------------------------------------

phi = sp.Matrix(sp.symbols("varphi_1:4", real=True))
proj = sp.Matrix(sp.symbols("pi_1:4", real=True))
CONVEX_THETA = r"\Theta\ \text{closed and convex (H1)}"


@claim("C5.identity",
       r"\|\varphi-\theta\|^2=\|\Pi(\varphi)-\theta\|^2+\|\varphi-\Pi(\varphi)\|^2+2(\Pi(\varphi)-\theta)\cdot(\varphi-\Pi(\varphi))")
def c5_identity():
    r"""Step 11's last line: \(\varphi-\theta=(\varphi-\Pi)+(\Pi-\theta)\) squared (exact, any vectors)."""
    return Identity(sq(phi - theta), sq(proj - theta) + sq(phi - proj) + 2 * dot(proj - theta, phi - proj),
                    {s: real(-2, 2) for s in (*phi, *proj, *theta)})


phi2 = sp.Matrix(phi[:2])
psi = sp.Matrix(sp.symbols("psi_1:3", real=True))
PROJ_DOMAINS = {x: real(-3, 3) for x in (*phi2, *psi)}


def ball_projection(v):
    r"""\(\Pi(v)=v/\max(1,\|v\|)\) onto the closed unit ball."""
    return v / sp.Max(1, sp.sqrt(sq(v)))


def box_projection(v):
    r"""\(\Pi(v)_i=\min(\max(v_i,-1),1)\) onto the square \([-1,1]^2\)."""
    return v.applyfunc(lambda x: sp.Min(sp.Max(x, -1), 1))


def _projection_parts(project):
    r"""Variational inequality and non-expansiveness at \(\varphi\) and \(\theta=\Pi(\psi)\) (every point of
    \(\Theta\) is the projection of some \(\psi\))."""
    p, th = project(phi2), project(psi)
    return (Inequality(dot(p - th, phi2 - p), ">=", 0, PROJ_DOMAINS),
            Inequality(sq(p - th), "<=", sq(phi2 - th), PROJ_DOMAINS))


@claim("C5.projection",
       r"(\Pi_\Theta(\varphi)-\theta)\cdot(\varphi-\Pi_\Theta(\varphi))\ge0,\ \ \|\Pi_\Theta(\varphi)-\theta\|\le\|\varphi-\theta\|"
       r"\quad(\Theta=\text{unit disc, square }[-1,1]^2)",
       hypotheses=(CONVEX_THETA,), uses=("C5.identity",), symbolic=False)
def c5_projection():
    r"""Variational inequality of the projection onto a closed convex set and non-expansiveness, for the unit disc and
    the square in \(\mathbb R^2\) (\(\theta=\Pi(\psi)\) ranges over all of \(\Theta\)), searched for a violation at
    sampled points, the corners of \([-3,3]^4\) and by descent.  No symbolic phase: SymPy has no sign rules for the
    \(\min\), \(\max\) and \(\max(1,\|v\|)\) of the projections."""
    return All(_projection_parts(ball_projection) + _projection_parts(box_projection),
               ("disc: variational inequality", "disc: non-expansive", "square: variational inequality",
                "square: non-expansive"))


def two_point_projection(v):
    r"""The nearest point of the non-convex \(\Theta=\{-1,1\}\subset\mathbb R\): \(\operatorname{sign}v\)."""
    return sp.sign(v)


def _two_points():
    r"""Non-expansiveness for \(\Theta=\{-1,1\}\): searched over \(\varphi,\psi\in[-1,1]\), and at the spec's witness
    \(\varphi=0.1\), \(\theta=-1\) (\(|\Pi(\varphi)-\theta|=2>1.1\))."""
    x, y = phi[0], psi[0]
    search = Inequality((two_point_projection(x) - two_point_projection(y)) ** 2, "<=", (x - two_point_projection(y)) ** 2,
                        {x: real(-1, 1), y: real(-1, 1)})
    x0, t0 = sp.Rational(1, 10), sp.Integer(-1)
    witness = Inequality(sp.Abs(two_point_projection(x0) - t0), "<=", sp.Abs(x0 - t0))
    return All((search, witness), ("search", "phi=0.1, theta=-1"))


C5_DROPS = (Hypothesis("convex", CONVEX_THETA, build=_two_points,
                       note="Spec N4: the projection onto a two-point set expands distances."),)
C5_CONTROLS, _ = dropped(c5_projection, C5_DROPS)


# --- negative controls from the spec --------------------------------------------------------

@control("N5.min-factor-two", r"\min_\eta\Big(\frac{D^2}{2T\eta}+\frac{G^2\eta}2\Big)=\frac{DG}{2\sqrt T}")
def n5():
    r"""Wrong by a factor 2: the minimum is \(DG/\sqrt T\)."""
    return Identity(f_const.subs(eta, ETA_STAR), D * G / (2 * sp.sqrt(T)), CONST_DOMAINS)


@control("N6.sum-le-sqrt-t", r"\sum_{t=1}^Tt^{-1/2}\le\sqrt T")
def n6():
    r"""Fails at \(T=2\): \(1.70711>1.41421\)."""
    return Inequality(_partial(T_i), "<=", sp.sqrt(T_i), {T_i: integers(1, 50)}, points=6)


@control("N7.rate-d-over-gt", r"\partial_\eta\Big(\frac{D^2}{2T\eta}+\frac{G^2\eta}2\Big)\Big|_{\eta=D/(GT)}=0")
def n7():
    r"""Wrong exponent of \(T\): the derivative is nonzero there for \(T>1\)."""
    return Identity(sp.diff(f_const, eta).subs(eta, D / (G * T)), 0, {**CONST_DOMAINS, T: real(2, 100)})


# --- erratum: D and G in two senses ---------------------------------------------------------

def plain_run(trajectory: bool) -> Inequality:
    r"""Plain SGD on \(f(\theta)=\theta^2/2\), \(\theta_1=1\), \(\eta=3\), \(T=3\) (iterates \(1,-2,4\)): the exact regret
    against the bound with the constants of \(\Theta=[-1,1]\) (\(D=2\), \(G=1\)) or the trajectory maxima."""
    regret, its, grads = num.plain_quadratic_run()
    Dv, Gv = (max(abs(x) for x in its), max(abs(x) for x in grads)) if trajectory else (2, 1)
    return Inequality(_rational(regret), "<=", run_bound(Dv, Gv, [Fraction(3)] * 3))


@claim("E1.post-constants",
       r"\text{plain SGD: }\mathcal R_T\le\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\sum_t\eta_t\ \text{ with } D=\operatorname{diam}\Theta,\ "
       r"G=\sup_\Theta\|\nabla L\|")
def e1_post():
    r"""Mixing the two senses: the constants of \(\Theta\) (diameter 2, gradient bound 1 on \(\Theta\)) with
    unprojected SGD.  The iterates \(1,-2,4\) leave \(\Theta\): regret \(3.5>1.7222\) (exact)."""
    return plain_run(trajectory=False)


@claim("E1.corrected-constants",
       r"\text{plain SGD: }\mathcal R_T\le\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\sum_t\eta_t\ \text{ with } D=\max_t\|\theta_t-\theta^*\|,\ "
       r"G=\max_t\|g_t\|", uses=("C1.chain",))
def e1_correct():
    r"""The first sense (trajectory maxima, the post's intermediate version) is what plain SGD satisfies:
    on the same run \(D=G=4\) and the bound is \(24.89\ge3.5\) (exact).  The second sense needs the projection
    (``C1.simulation``)."""
    return plain_run(trajectory=True)


def results():
    return [("constant-rate optimum", sp.latex(sp.Eq(sp.Symbol(r"\eta^*"), ETA_STAR))),
            ("minimum", sp.latex(D * G / sp.sqrt(T))),
            ("best constant of eta_t = alpha/sqrt(t)", sp.latex(sp.Eq(sp.Symbol(r"\alpha^*"), ALPHA_STAR)))]
