r"""The claims of the integral-test post: the theorem on a family (C1) and its hypotheses, the cell, sandwich and tail
inequalities (C2-C4), \(D_N\) and Euler's constant (C5), Euler--Maclaurin (C7, C8), the counterexamples (C9), the
classic cases (C10), the reference values (C11), the negative controls (N1-N10) and the erratum (E1); the header of
:mod:`derivations.integral_test` lists them."""
from __future__ import annotations

from functools import lru_cache, partial

import mpmath
import sympy as sp

from derivations.engine import (All, Approximation, Hypothesis, Identity, Inequality, claim, control, dropped, integers,
                                quantity, real, stated)
from derivations.integral_test import numerics as num

x = num.x
n = sp.Symbol("n", integer=True, positive=True)
N = sp.Symbol("N", integer=True, positive=True)
X = sp.Symbol("X", positive=True)

SIN2_INTEGRAL = (X - 1) / 2 - sp.sin(2 * sp.pi * X) / (4 * sp.pi)  # int_1^X sin^2(pi x) dx

M_ = r"f\ \text{non-increasing on }[N_0,\infty)\ \text{(M)}"
P_ = r"f\ge0\ \text{on }[N_0,\infty)\ \text{(P)}"

# (f, start a, antiderivative F or None, majorant series term g(n) or None): the integral test's instances.  The
# integral converges iff F has a finite limit, or (no antiderivative) when it is dominated by the convergent series
# sum_{n > a} g(n) (C9.b_cell_bound bounds each unit cell of (b) by g(n)).
ROWS = {
    "x^(-1/2)": (x ** sp.Rational(-1, 2), 1, 2 * sp.sqrt(x), None),
    "x^(-3/2)": (x ** sp.Rational(-3, 2), 1, -2 / sp.sqrt(x), None),
    "1/(x ln^2 x)": (1 / (x * sp.log(x) ** 2), 2, -1 / sp.log(x), None),
    "1/(x ln x)": (1 / (x * sp.log(x)), 2, sp.log(sp.log(x)), None),
    "-1/x^2": (-1 / x ** 2, 1, 1 / x, None),
    "1/x - 1/2": (1 / x - sp.Rational(1, 2), 1, sp.log(x) - x / 2, None),
    "1 - 1/x": (1 - 1 / x, 1, x - sp.log(x), None),
    "ln x/x^2": (sp.log(x) / x ** 2, 1, -(sp.log(x) + 1) / x, None),
    "1/x^2": (1 / x ** 2, 1, -1 / x, None),
    "(a) sin^2(pi x)": (sp.sin(sp.pi * x) ** 2, 1, SIN2_INTEGRAL.subs(X, x), None),
    "(b) exp(-x^4 sin^2(pi x))": (sp.exp(-x ** 4 * sp.sin(sp.pi * x) ** 2), 1, None,
                                  sp.sqrt(sp.pi) / (2 * (n - sp.Rational(1, 2)) ** 2)),
    "(c) cos(2 pi x)/x": (sp.cos(2 * sp.pi * x) / x, 1, sp.Ci(2 * sp.pi * x), None),
}
NAMES = tuple(ROWS)
C1_FAMILY = ("x^(-1/2)", "x^(-3/2)", "1/(x ln^2 x)", "1/(x ln x)")
SIGNED_FAMILY = ("-1/x^2", "1/x - 1/2")
EVENTUAL_FAMILY = ("1 - 1/x", "ln x/x^2", "1/x^2")
WITNESSES = ("(a) sin^2(pi x)", "(b) exp(-x^4 sin^2(pi x))", "(c) cos(2 pi x)/x")


@lru_cache(maxsize=None)
def _series_converges(k):
    r"""1 if \(\sum_{n\ge a}f(n)\) converges by SymPy's series tests (``Sum.is_convergent``: p-series, ratio, comparison,
    Cauchy condensation, ...; they do not integrate), else 0."""
    f, a, _, _ = ROWS[NAMES[k]]
    return sp.Integer(1 if sp.Sum(f.subs(x, n), (n, a, sp.oo)).is_convergent() else 0)


@lru_cache(maxsize=None)
def _integral_converges(k):
    r"""1 if \(\int_a^\infty f\) converges: the antiderivative's limit is finite (SymPy ``limit``), or the integral is
    dominated by a series SymPy's tests find convergent; else 0."""
    f, a, F, majorant = ROWS[NAMES[k]]
    if F is None:
        return sp.Integer(1 if sp.Sum(majorant, (n, a + 1, sp.oo)).is_convergent() else 0)
    return sp.Integer(1 if sp.limit(F, x, sp.oo).is_finite else 0)


def _series_converges_exact(k):
    return _series_converges(int(k))


def _integral_converges_exact(k):
    return _integral_converges(int(k))


SeriesConverges = quantity("SeriesConverges", exact=_series_converges_exact, how="SymPy's series convergence tests")
IntegralConverges = quantity("IntegralConverges", exact=_integral_converges_exact,
                             how="limit of the antiderivative (SymPy), or a convergent majorant series")


def _together(names):
    r"""For each \(f\) of ``names``: \(F'=f\) (exact) and [series converges] = [integral converges]."""
    parts, labels = [], []
    for name in names:
        f, a, F, _ = ROWS[name]
        k = NAMES.index(name)
        if F is not None:
            parts.append(Identity(sp.diff(F, x), f, {x: real(a + 0.5, 50)}, points=3))
            labels.append(f"{name}: antiderivative")
        parts.append(Identity(SeriesConverges(k), IntegralConverges(k)))
        labels.append(f"{name}: series converges iff integral converges")
    return All(tuple(parts), tuple(labels))


@claim("C1.integral-test",
       r"\sum_{n\ge N_0}f(n)<\infty\iff\int_{N_0}^\infty f(x)\,dx<\infty\quad(f=x^{-1/2},x^{-3/2},\tfrac1{x\ln^2x},\tfrac1{x\ln x})",
       hypotheses=(M_, P_), uses=("C3.sandwich",))
def c1_integral_test():
    r"""The integral test.  Proof: by P, \(S_N\) and \(\int_{N_0}^Xf\) are non-decreasing, and C3 bounds each by the
    other, so both are bounded or both are not (monotone convergence).  Decided exactly on the borderline cases
    \(x^{-1/2},x^{-3/2},\frac1{x\ln^2x},\frac1{x\ln x}\): the limit of the exact antiderivative is finite exactly when
    SymPy's own series tests (which do not integrate) say the series converges."""
    return _together(C1_FAMILY)


C1_DROPS = (
    Hypothesis("M", M_, build=lambda: _together(WITNESSES[:2]),
               note="C9 (a) and (b) are nonnegative, smooth, and not monotone: (a) has integral -> oo and series 0, "
                    "(b) a finite integral (dominated by a convergent series, C9.b_cell_bound) and f(n) = 1."),
    Hypothesis("P", P_, needed=False, build=lambda: _together(SIGNED_FAMILY),
               note="C6: for monotone f the limit of f has the sign that makes both diverge or both converge "
                    "(-1/x^2, 1/x - 1/2)."),
)
C1_CONTROLS, C1_HOLDS = dropped(c1_integral_test, C1_DROPS)


# --- C2-C4: cell, sandwich, tail ---------------------------------------------------------

nr = sp.Symbol("n", positive=True)


def _cell():
    """\\(\\int_n^{n+1}x^{-2}dx=\\frac1n-\\frac1{n+1}\\) (SymPy, in the claim's child: not at import)."""
    return sp.integrate(x ** -2, (x, nr, nr + 1))


@claim("C2.cell-upper", r"\int_n^{n+1}x^{-2}\,dx=\frac1n-\frac1{n+1}\le n^{-2}\quad(n>0)", hypotheses=(M_,))
def c2_upper():
    r"""C2, right inequality, for \(f=x^{-2}\) (cell integral by SymPy): the margin is
    \(\frac1{n^2}-\frac1{n(n+1)}=\frac1{n^2(n+1)}\ge0\)."""
    return Inequality(_cell(), "<=", nr ** -2, {nr: real(0.5, 50)}, certificate=1 / (nr ** 2 * (nr + 1)), points=8)


@claim("C2.cell-lower", r"(n+1)^{-2}\le\int_n^{n+1}x^{-2}\,dx=\frac1n-\frac1{n+1}\quad(n>0)", hypotheses=(M_,))
def c2_lower():
    r"""C2, left inequality: \(\frac1{n(n+1)}-\frac1{(n+1)^2}=\frac1{n(n+1)^2}\ge0\)."""
    return Inequality((nr + 1) ** -2, "<=", _cell(), {nr: real(0.5, 50)}, certificate=1 / (nr * (nr + 1) ** 2), points=8)


SANDWICH_N = (3, 10, 100)


def _sandwiches(rows):
    r"""C3 for each monotone \((f,a,F)\) and \(N\in\{3,10,100\}\): \(\int_a^{N+1}f<S_N<f(a)+\int_a^Nf\) (exact finite sums,
    integrals through the exact antiderivative)."""
    parts, labels = [], []
    for f, a, F, _ in rows:
        for NN in SANDWICH_N:
            lo, total, hi = num.sandwich(f, a, F, NN + a - 1)
            parts += [Inequality(lo, "<", total), Inequality(total, "<", hi)]
            labels += [f"{sp.sstr(f)}, N={NN}: lower", f"{sp.sstr(f)}, N={NN}: upper"]
    return All(tuple(parts), tuple(labels))


@claim("C3.sandwich", r"\int_{N_0}^{N+1}f\le\sum_{n=N_0}^Nf(n)\le f(N_0)+\int_{N_0}^Nf",
       hypotheses=(M_, P_), symbolic=False, uses=("C2.cell-upper", "C2.cell-lower"))
def c3_sandwich():
    r"""C3: sum C2 over the cells.  For nine monotone \(f\) (\(x^{-1/2},x^{-1},x^{-3/2},x^{-2},e^{-x},\frac1{1+x^2}\) from 1;
    \(\frac1{x\ln^2x},\frac1{x\ln x},\frac{\ln x}{x^2}\) from 2) and three \(N\), with exact antiderivatives: both
    inequalities hold strictly (closed numbers: Arb balls decide; the symbolic phase is skipped, SymPy's sign of
    such numbers would itself be numeric)."""
    return _sandwiches(num.FAMILY)


def _sandwich_without_m():
    r"""C3 for C9(a), \(f=\sin^2\pi x\), \(N=10\): every term is 0, every cell integral \(\frac12\)."""
    f = sp.sin(sp.pi * x) ** 2
    total = sp.Sum(f.subs(x, n), (n, 1, 10))
    return All((Inequality(SIN2_INTEGRAL.subs(X, 11), "<=", total),
                Inequality(total, "<=", f.subs(x, 1) + SIN2_INTEGRAL.subs(X, 10))), ("lower", "upper"))


C3_CONTROLS, _ = dropped(c3_sandwich, (Hypothesis("M", M_, build=_sandwich_without_m,
                                                  note="C9(a): every term 0, every cell integral 1/2: S_10 = 0 < 5."),))

S10 = sum(sp.Rational(1, k * k) for k in range(1, 11))
R10 = sp.pi ** 2 / 6 - S10


@claim("C4.tail-zeta2", r"\frac1{11}=\int_{11}^\infty x^{-2}\le\sum_{n>10}n^{-2}\le\int_{10}^\infty x^{-2}=\frac1{10},\quad "
       r"R_{10}=0.0951663356816857461222010069081", hypotheses=(M_, P_), symbolic=False, uses=("C3.sandwich",))
def c4_tail():
    r"""C4 for \(p=2\), \(N=10\): \(R_{10}=\zeta(2)-S_{10}\), \(S_{10}=\frac{1968329}{1270080}\) (spec values; Arb balls of
    \(\pi\) decide, the bounds are exact)."""
    return All((Inequality(sp.Rational(1, 11), "<", R10), Inequality(R10, "<", sp.Rational(1, 10)),
                Identity(S10, sp.Rational(1968329, 1270080)),
                Approximation(R10, stated("0.0951663356816857461222010069081"))),
               ("lower", "upper", "S_10", "R_10 as the spec prints it"))


LOGLOG = 1 / (n * sp.log(n) ** 2)
LOGLOG_REF = "2.1097428012368919744792571976165513263855319843947"
M_TAIL = 1000


SERIES = {}   # name -> (term, start, tail integral, cut-off, order) of the series quantities below


def _series_value(name):
    from numeric.series import euler_maclaurin_mp  # evidence for the quantity, not a verdict
    term, start, tail, _, _ = SERIES[name]
    return euler_maclaurin_mp(sp.lambdify(n, term, "mpmath"), start, mpmath.mp.dps, tail=sp.lambdify(n, tail, "mpmath"))[0]


def _series_ball(name, digits):
    from numeric.certify import EulerMaclaurinSum
    term, start, tail, cutoff, order = SERIES[name]
    return EulerMaclaurinSum(term, n, start, tail, cutoff=cutoff, order=order).ball(digits)


def series(name: str, term, start: int, tail_integral, cutoff: int, order: int, why: str):
    r"""The series \(\sum_{n\ge\text{start}}\text{term}\) as a quantity: a rigorous ball by an exact partial sum to the cut-off
    plus the Euler--Maclaurin tail with the exact tail integral and the remainder bound (valid because ``why``), and
    its value at the working precision by the same formula in mpmath (cut-off growing with the precision)."""
    SERIES[name] = (term, start, tail_integral, cutoff, order)
    return quantity(name, evaluator=partial(_series_value, name), enclosure=partial(_series_ball, name), positive=True,
                    how=f"partial sum to {cutoff} + Euler-Maclaurin tail of order {order} ({why})")


ZetaTwoSeries = series("ZetaTwoSeries", 1 / n ** 2, 1, 1 / n, 100, 20, "1/x^2 is completely monotone")
LoglogSum = series("LoglogSum", LOGLOG, 2, 1 / sp.log(n), M_TAIL, 30, "1/(x ln^2 x) is completely monotone")


@claim("C4.loglog-bracket",
       r"S_{M}+\frac1{\ln(M+1)}\le\sum_{n\ge2}\frac1{n\ln^2n}\le S_M+\frac1{\ln M}\quad(M=1000);\quad"
       r"\frac1{\ln2}=1.4426950408889634\le\sum\le\frac1{2\ln^22}+\frac1{\ln2}=2.48337953139177",
       hypotheses=(M_, P_), symbolic=False, uses=("C3.sandwich",))
def c4_loglog():
    r"""C4 with \(\int_M^\infty\frac{dx}{x\ln^2x}=\frac1{\ln M}\): the exact partial sum to \(M=1000\) brackets the series
    in an interval of width \(\frac1{\ln1000}-\frac1{\ln1001}\approx2\cdot10^{-5}\); C3 from \(N_0=2\) gives the spec's coarse
    sandwich.  The series itself is enclosed by Euler--Maclaurin (``C11.loglog-sum``)."""
    partial = sp.Sum(LOGLOG, (n, 2, M_TAIL))
    lower, upper = 1 / sp.log(2), 1 / (2 * sp.log(2) ** 2) + 1 / sp.log(2)
    return All((Inequality(partial + 1 / sp.log(M_TAIL + 1), "<", LoglogSum()),
                Inequality(LoglogSum(), "<", partial + 1 / sp.log(M_TAIL)),
                Inequality(lower, "<=", LoglogSum()), Inequality(LoglogSum(), "<=", upper),
                Approximation(lower, stated("1.4426950408889634")), Approximation(upper, stated("2.48337953139177"))),
               ("M=1000: lower", "M=1000: upper", "coarse: lower", "coarse: upper", "1/ln 2", "1/(2 ln^2 2) + 1/ln 2"))


# --- C5: D_N and Euler's constant ----------------------------------------------------------

Nr = sp.Symbol("N", positive=True)


@claim("C5.harmonic-decreasing", r"D_{N+1}-D_N=\frac1{N+1}-\ln\Big(1+\frac1N\Big)\le0\quad(N\ge1)",
       hypotheses=(M_, P_), uses=("C2.cell-lower",))
def c5_decreasing():
    r"""C5 for \(f=1/x\): \(D_{N+1}-D_N=f(N+1)-\int_N^{N+1}f\le0\) by C2 (searched with descent over \(N\in[1,1000]\))."""
    return Inequality(1 / (Nr + 1), "<=", sp.log(1 + 1 / Nr), {Nr: real(1, 1000)}, points=12)


@claim("C5.harmonic-lower", r"\frac1N\le H_N-\ln N\quad(N\ge1)", hypotheses=(M_, P_),
       uses=("C3.sandwich",))
def c5_lower():
    r"""C5's lower bound \(f(N)\le D_N\) for the harmonic series (search over \(N\le10^4\))."""
    return Inequality(1 / N, "<=", sp.harmonic(N) - sp.log(N), {N: integers(1, 10 ** 4)}, points=12)


@claim("C5.euler-gamma", r"\lim_{N\to\infty}(H_N-\ln N)=\gamma", uses=("C5.harmonic-decreasing",))
def c5_gamma():
    r"""\(C_f=\gamma\) for \(f=1/x\): the left side is SymPy's ``limit`` of \(H_N-\ln N\), taken when the statement is
    built (the engine cannot evaluate an unevaluated limit numerically, so a wrong constant would only be unknown)."""
    return Identity(sp.limit(sp.harmonic(N) - sp.log(N), N, sp.oo), sp.EulerGamma)


@claim("C5.values", r"H_{10}=\frac{7381}{2520},\ D_{10}=H_{10}-\ln10=0.626383160974208284235976799284\ldots,\ "
       r"D_{100}=0.58221,\ D_{1000}=0.57772", symbolic=False, uses=("C5.euler-gamma",))
def c5_values():
    r"""Spec values of \(D_N\) (decreasing: \(D_1=1\), \(D_{10}=0.62638\), \(D_{100}=0.58221\), \(D_{1000}=0.57772\), \(\to\gamma\))."""
    D = {N_: sp.harmonic(N_) - sp.log(N_) for N_ in (10, 100, 1000)}
    return All((Identity(sp.harmonic(10), sp.Rational(7381, 2520)),
                Approximation(D[10], stated("0.626383160974208284235976799284")),
                Approximation(D[100], stated("0.58221")), Approximation(D[1000], stated("0.57772"))),
               ("H_10", "D_10", "D_100", "D_1000"))


# --- C7, C8: Euler-Maclaurin ---------------------------------------------------------------

@claim("C7.first-order",
       r"S_N-\int_1^Nf=\tfrac12\big(f(1)+f(N)\big)+\int_1^NP_1(x)f'(x)\,dx\quad(f=x^{-2},\ N=10)")
def c7_first_order():
    r"""C7 for \(f=x^{-2}\), \(N=10\), with \(P_1(x)=x-n-\frac12\) on each cell \([n,n+1)\): there
    \(\big(\frac2x-\frac{n+1/2}{x^2}\big)'=(x-n-\tfrac12)f'(x)\) (second row), so the cell integrals are exact
    rationals and the identity is exact (first row)."""
    f = x ** -2
    G = 2 / x - (n + sp.Rational(1, 2)) / x ** 2
    cells = sum(G.subs(n, k).subs(x, k + 1) - G.subs(n, k).subs(x, k) for k in range(1, 10))
    return Identity(sp.Matrix([S10 - sp.integrate(f, (x, 1, 10)), sp.diff(G, x)]),
                    sp.Matrix([(f.subs(x, 1) + f.subs(x, 10)) / 2 + cells, (x - n - sp.Rational(1, 2)) * sp.diff(f, x)]),
                    {x: real(1, 10), n: integers(1, 9)})


Nn = sp.Symbol("N", positive=True)


@claim("C8.terms-x2",
       r"-\frac{B_{2k}}{(2k)!}f^{(2k-1)}(N)=\frac{B_{2k}}{N^{2k+1}}\ (f=x^{-2}):\ \frac1{6N^3},-\frac1{30N^5},\frac1{42N^7},-\frac1{30N^9}")
def c8_terms():
    r"""The tail form of C8 for \(f=x^{-2}\): \(\zeta(2)=S_{N-1}+\frac1N+\frac1{2N^2}+\frac1{6N^3}-\frac1{30N^5}+\frac1{42N^7}-\dots\)."""
    f = x ** -2
    lhs = [-sp.bernoulli(2 * k) / sp.factorial(2 * k) * sp.diff(f, x, 2 * k - 1).subs(x, Nn) for k in range(1, 5)]
    return Identity(sp.Matrix(lhs), sp.Matrix([1 / (6 * Nn ** 3), -1 / (30 * Nn ** 5), 1 / (42 * Nn ** 7),
                                               -1 / (30 * Nn ** 9)]), {Nn: real(1, 20)})


EM_ERRORS = ("-5.17e-3", "-1.66e-4", "3.31e-7", "-2.35e-9", "3.26e-11")


@claim("C8.zeta2-remainder",
       r"\Big|\zeta(2)-S_{9}-\frac1{10}-\frac1{200}-\sum_{k=1}^p\frac{B_{2k}}{10^{2k+1}}\Big|\le\frac{2\zeta(2p)}{(2\pi)^{2p}}"
       r"\int_{10}^\infty|f^{(2p)}|\quad(p=1..4);\ \text{errors after 1..5 terms }-5.17\cdot10^{-3},-1.66\cdot10^{-4},"
       r"3.31\cdot10^{-7},-2.35\cdot10^{-9},3.26\cdot10^{-11}",
       hypotheses=(r"f=x^{-2}\in C^\infty",), symbolic=False, uses=("C8.terms-x2",))
def c8_remainder():
    r"""C8's remainder bound for \(\zeta(2)\) from \(N=10\) after \(p=1..4\) Bernoulli terms (exact rational
    approximations; Arb balls of \(\zeta(2p)\) and \(\pi\)), and the spec's errors (approximation minus \(\zeta(2)\)) after
    \(S_9+\frac1{10}\), \(+\frac1{200}\), \(+\frac{B_2}{10^3}\), \(+\frac{B_4}{10^5}\), \(+\frac{B_6}{10^7}\)."""
    approx = [sum(sp.Rational(1, k * k) for k in range(1, 10)) + sp.Rational(1, 10)]
    approx += [approx[0] + sp.Rational(1, 200)]
    approx += [num.zeta2_em(10, p) for p in (1, 2, 3)]
    return All((*(Inequality(sp.Abs(sp.zeta(2) - num.zeta2_em(10, p)), "<", num.em_bound(10, p)) for p in range(1, 5)),
                *(Approximation(a - sp.zeta(2), stated(e)) for a, e in zip(approx, EM_ERRORS))),
               (*(f"bound, p={p}" for p in range(1, 5)), *(f"error after {j} terms" for j in range(1, 6))))


A1 = num.zeta2_em(10, 1)


@claim("C8.first-neglected",
       r"-\frac{1}{30\cdot10^5}<\zeta(2)-\Big(S_9+\frac1{10}+\frac1{200}+\frac1{6000}\Big)<0,\ \ =-3.3098\cdot10^{-7},\ "
       r"\frac1{30\cdot10^5}=3.3333\cdot10^{-7}",
       hypotheses=(r"f^{(2k)}\ \text{of one sign}",), symbolic=False, uses=("C8.zeta2-remainder",))
def c8_first_neglected():
    r"""For completely monotone \(f\) the remainder after the \(B_2\) term has the sign of the first neglected
    term \(\frac{B_4}{N^5}=-\frac1{30\cdot10^5}=-3.3333\cdot10^{-7}\) and is smaller in size: the spec's
    \(-3.3098\cdot10^{-7}\) (to its 5 digits)."""
    return All((Inequality(-sp.Rational(1, 3000000), "<", sp.zeta(2) - A1), Inequality(sp.zeta(2) - A1, "<", 0),
                Approximation(sp.zeta(2) - A1, stated("-3.3098e-7")),
                Approximation(sp.Rational(1, 3000000), stated("3.3333e-7"))),
               ("lower", "upper", "remainder", "first neglected term"))


# --- C9: the counterexamples ------------------------------------------------------------------

@claim("C9.a-integral",
       r"\int_1^X\sin^2(\pi x)\,dx=\frac{X-1}2-\frac{\sin2\pi X}{4\pi}\to\infty,\quad \sin^2(\pi n)=0")
def c9_a():
    r"""C9(a): the antiderivative has derivative \(\sin^2\pi X\) and vanishes at \(X=1\), so the integral grows like
    \(X/2\); every term of the series is 0 (integer \(n\))."""
    F = SIN2_INTEGRAL
    return Identity(sp.Matrix([sp.diff(F, X), F.subs(X, 1), sp.sin(sp.pi * n) ** 2]),
                    sp.Matrix([sp.sin(sp.pi * X) ** 2, 0, 0]), {X: real(1, 20), n: integers(1, 50)})


t_ = sp.Symbol("t", real=True)


@claim("C9.b-cell-bound", r"|\sin\pi t|\ge2|t|\quad(|t|\le\tfrac12)")
def c9_b_cell():
    r"""Concavity of \(\sin\) on \([0,\pi/2]\) (the chord below the arc); it bounds each bump by
    \(\int e^{-(n-1/2)^4\,4t^2}dt=\frac{\sqrt\pi}{2(n-1/2)^2}\) (searched with descent)."""
    return Inequality(sp.Abs(sp.sin(sp.pi * t_)), ">=", 2 * sp.Abs(t_), {t_: real(-0.5, 0.5)}, points=16)


HalfSquares = series("HalfSquares", 1 / (n + sp.Rational(1, 2)) ** 2, 1, 1 / (n + sp.Rational(1, 2)), 200, 25,
                     "1/(x+1/2)^2 is completely monotone")


@claim("C9.b-bound",
       r"\sum_{m\ge1}\frac1{(m+\frac12)^2}=\frac{\pi^2}2-4,\quad \int_1^\infty e^{-x^4\sin^2\pi x}dx\le\frac12+\frac{\sqrt\pi}2\Big(\frac{\pi^2}2-4\Big)=1.32845",
       uses=("C9.b-cell-bound",), symbolic=False)
def c9_b_bound():
    r"""C9(b): the cells \(n\ge2\) sum to at most \(\frac{\sqrt\pi}2\sum_{m\ge1}(m+\frac12)^{-2}\), the cell \([1,\frac32]\) to at
    most \(\frac12\); \(\sum_{m\ge1}(m+\frac12)^{-2}=4\sum_{k\ge1}(2k+1)^{-2}=4(\frac{\pi^2}8-1)\), the series here enclosed by
    Euler--Maclaurin (\((x+\frac12)^{-2}\) is completely monotone); the bound as the spec prints it."""
    return All((Identity(HalfSquares(), sp.pi ** 2 / 2 - 4),
                Approximation(sp.Rational(1, 2) + sp.sqrt(sp.pi) / 2 * HalfSquares(), stated("1.32845"))),
               ("sum of (m + 1/2)^-2", "bound"))


@lru_cache(maxsize=None)
def _bump_cached(power, N, nodes):
    return num.bump_integral(power, N, nodes)


def _bump(power, N, nodes):
    return _bump_cached(int(power), int(N), int(nodes))


BumpIntegral = quantity("BumpIntegral", evaluator=_bump,
                        how="Gauss-Legendre on unit cells with breakpoints at the bumps + Gaussian tail areas (float64)")
BUMP_TOLERANCE = sp.Rational(1, 10 ** 10)  # the spec's tolerance for the float64 quadrature


@claim("C9.b-value", r"\int_1^\infty e^{-x^4\sin^2\pi x}dx\approx0.575367599412,\ \int_1^\infty e^{-x^4\sin^2\pi x}\frac{dx}x\approx0.301221772842"
       r"\quad(\text{tolerance }10^{-10})", symbolic=False, uses=("C9.b-bound",))
def c9_b_value():
    r"""Gauss--Legendre on unit cells with breakpoints at the bumps plus the Gaussian areas of the bumps beyond \(N\)
    (float64): the values to the spec's tolerance \(10^{-10}\), the same at the resolutions \(N=200\) (30 nodes) and
    \(N=400\) (40 nodes), and below the rigorous bound of C9.b_bound."""
    fine = BumpIntegral(0, 400, 40)
    return All((Approximation(fine, stated("0.575367599412"), BUMP_TOLERANCE),
                Approximation(BumpIntegral(1, 400, 40), stated("0.301221772842"), BUMP_TOLERANCE),
                Approximation(BumpIntegral(0, 200, 30), fine, BUMP_TOLERANCE),
                Inequality(fine, "<", sp.Rational(1, 2) + sp.sqrt(sp.pi) / 2 * (sp.pi ** 2 / 2 - 4))),
               ("integral", "integral with 1/x", "N=200 vs N=400", "below the bound"))


@claim("C9.c-integral",
       r"\frac{d}{dX}\mathrm{Ci}(2\pi X)=\frac{\cos2\pi X}{X},\ \cos(2\pi n)/n=1/n\ \Rightarrow\ \int_1^\infty\frac{\cos2\pi x}x\,dx=-\mathrm{Ci}(2\pi)")
def c9_c():
    r"""C9(c): \(\int_1^X\frac{\cos2\pi x}x=\mathrm{Ci}(2\pi X)-\mathrm{Ci}(2\pi)\to-\mathrm{Ci}(2\pi)\) since \(\mathrm{Ci}(\infty)=0\);
    the terms are the harmonic series."""
    return Identity(sp.Matrix([sp.diff(sp.Ci(2 * sp.pi * X), X), sp.cos(2 * sp.pi * n) / n]),
                    sp.Matrix([sp.cos(2 * sp.pi * X) / X, 1 / n]), {X: real(0.5, 5), n: integers(1, 50)})


# --- C10 -----------------------------------------------------------------------------------

q = sp.Symbol("q", positive=True)


@claim("C10.p-integral", r"\frac{d}{dx}\Big(-\frac{x^{-q}}q\Big)=x^{-1-q},\ \lim_{x\to\infty}x^{-q}=0\ \Rightarrow\ "
       r"\int_1^\infty x^{-1-q}dx=\frac1q\quad(q>0)")
def c10_p():
    r"""C10: \(\sum n^{-p}\) and \(\int_1^\infty x^{-p}=\frac1{p-1}\) converge iff \(p>1\) (\(p=1+q\)); for \(q\le0\) the
    antiderivative \(-x^{-q}/q\) (or \(\ln x\)) is unbounded. The integral is \(\lim_{x\to\infty}F-F(1)\), the limit taken by
    SymPy when the statement is built (\(q>0\)), so both parts are numbers the engine can evaluate."""
    F = -x ** -q / q
    return All((Identity(sp.diff(F, x), x ** (-1 - q), {x: real(1, 50), q: real(0.5, 3)}),
                Identity(sp.limit(F, x, sp.oo) - F.subs(x, 1), 1 / q, {q: real(0.5, 3)})), ("antiderivative", "integral"))


@claim("C10.log-integral", r"\frac{d}{dx}\Big(-\frac{(\ln x)^{-q}}q\Big)=\frac1{x(\ln x)^{1+q}}\ \Rightarrow\ "
       r"\int_2^\infty\frac{dx}{x(\ln x)^{1+q}}=\frac{(\ln2)^{-q}}q")
def c10_log():
    r"""C10: the antiderivative tends to 0 at \(\infty\) for \(q>0\) (and \(\ln\ln x\to\infty\) for \(q=0\)); the integral is
    \(\lim_{x\to\infty}F-F(2)\), the limit taken by SymPy when the statement is built."""
    F = -sp.log(x) ** -q / q
    return All((Identity(sp.diff(F, x), 1 / (x * sp.log(x) ** (1 + q)), {x: real(1.5, 50), q: real(0.5, 3)}),
                Identity(sp.limit(F, x, sp.oo) - F.subs(x, 2), sp.log(2) ** -q / q, {q: real(0.5, 3)})),
               ("antiderivative", "integral"))


# --- reference values -------------------------------------------------------------------------

ZETA_REFS = {sp.zeta(2): "1.6449340668482264364724151666460251892189499012068",
             sp.zeta(3): "1.2020569031595942853997381615114499907649862923405",
             sp.zeta(4): "1.0823232337111381915160036965411679027747509519187",
             sp.zeta(sp.Rational(3, 2)): "2.6123753486854883433485675679240716305708006524001",
             sp.EulerGamma: "0.57721566490153286060651209008240243104215933593992"}


@claim("C11.zeta", r"\zeta(2),\zeta(3),\zeta(4),\zeta(\tfrac32),\gamma\ \text{to 50 digits};\ \zeta(2)=\frac{\pi^2}6,\ \zeta(4)=\frac{\pi^4}{90}",
       symbolic=False)
def ref_zeta():
    r"""Spec reference values: Arb balls of width below \(10^{-30}\) inside half a unit of the published last digit."""
    return All((*(Approximation(k, stated(v)) for k, v in ZETA_REFS.items()),
                Identity(sp.zeta(2), sp.pi ** 2 / 6), Identity(sp.zeta(4), sp.pi ** 4 / 90)),
               ("zeta(2)", "zeta(3)", "zeta(4)", "zeta(3/2)", "gamma", "zeta(2) = pi^2/6", "zeta(4) = pi^4/90"))


@claim("C11.loglog-sum", r"\sum_{n\ge2}\frac1{n\ln^2n}=2.1097428012368919744792571976165513263855319843947\ldots",
       hypotheses=(r"\tfrac1{x\ln^2x}\ \text{completely monotone on }(1,\infty)",), symbolic=False,
       uses=("C4.loglog-bracket", "C8.zeta2-remainder"))
def ref_loglog():
    r"""The showcase.  \(\sum_{n=2}^{999}f(n)\) exactly, plus \(\int_{1000}^\infty f=\frac1{\ln1000}\), plus \(\frac{f(1000)}2\),
    minus \(\sum_{k\le30}\frac{B_{2k}}{(2k)!}f^{(2k-1)}(1000)\) (Taylor coefficients of Arb power series), plus a ball
    of radius \(\frac{2\zeta(60)}{(2\pi)^{60}}|f^{(59)}(1000)|\).  The remainder bound needs \(f^{(60)}\) of one sign:
    \(f=\frac1x\cdot\frac1{\ln^2x}\) is a product of completely monotone functions on \((1,\infty)\) (\(\frac1{\ln^2x}=h(\ln x)\)
    with \(h(s)=s^{-2}\) completely monotone and \(\ln(1+y)\) a Bernstein function), hence completely monotone.
    Without python-flint: the same formula in mpmath at two precisions (its cut-off grows with the precision)."""
    return Approximation(LoglogSum(), stated(LOGLOG_REF))


@claim("C11.closed-forms",
       r"\frac{\pi\coth\pi-1}2=1.07667404746858\ldots,\ \frac1{e-1}=0.58197670686932\ldots,\ -\mathrm{Ci}(2\pi)=0.02256066174634\ldots"
       r"\ \text{(50 digits)}", symbolic=False, uses=("C9.c-integral",))
def ref_closed():
    r"""Spec reference values of three closed forms, to their 50 digits."""
    return All((Approximation((sp.pi * sp.coth(sp.pi) - 1) / 2, stated("1.0766740474685811741340507947500004904456562664038")),
                Approximation(1 / (sp.E - 1), stated("0.58197670686932642438500200510901155854686930107540")),
                Approximation(-sp.Ci(2 * sp.pi), stated("0.022560661746346067643538778543046433647370047800624"))),
               ("(pi coth pi - 1)/2", "1/(e - 1)", "-Ci(2 pi)"))


InverseSquarePlusOne = series("InverseSquarePlusOne", 1 / (n ** 2 + 1), 1, sp.pi / 2 - sp.atan(n), 200, 20,
                              "f^(2p)(x) = (2p)! sin((2p+1) arctan(1/x))/(1+x^2)^(p+1/2) > 0 for x >= 200, p <= 20")
Geometric = series("Geometric", sp.exp(-n), 1, sp.exp(-n), 100, 10, "e^-x is completely monotone")


@claim("C11.series", r"\sum_{n\ge1}\frac1{n^2+1}=\frac{\pi\coth\pi-1}2,\quad\sum_{n\ge1}e^{-n}=\frac1{e-1}",
       symbolic=False, uses=("C11.closed-forms",))
def ref_series():
    r"""The series behind two reference values (Mittag-Leffler expansion of \(\coth\); geometric series), each
    enclosed by Euler--Maclaurin.  \(e^{-x}\) is completely monotone; for \(\frac1{1+x^2}\),
    \(f^{(2p)}(x)=(2p)!\,\sin((2p+1)\arctan\frac1x)/(1+x^2)^{p+1/2}>0\) for \(x\ge200\), \(p\le20\), which is
    what the remainder bound needs."""
    return All((Identity(InverseSquarePlusOne(), (sp.pi * sp.coth(sp.pi) - 1) / 2), Identity(Geometric(), 1 / (sp.E - 1))),
               ("sum 1/(n^2+1)", "sum e^-n"))


# --- negative controls -------------------------------------------------------------------------

@control("N1.sum-is-integral", r"\sum_{n\ge1}n^{-2}=\int_1^\infty x^{-2}dx=1", symbolic=False)
def n1():
    r"""The test decides convergence, not the value: \(1.6449\ldots\ne1\) (the series enclosed by Euler--Maclaurin)."""
    return Identity(ZetaTwoSeries(), sp.integrate(x ** -2, (x, 1, sp.oo)))


@control("N2.reversed-sandwich", r"S_{10}\le\int_1^{11}x^{-2}dx")
def n2():
    r"""\(S_{10}=1.549768>\frac{10}{11}\) (exact rationals)."""
    return Inequality(S10, "<=", sp.integrate(x ** -2, (x, 1, 11)), {})


@control("N3.tail-too-small", r"R_{10}\le\int_{11}^\infty x^{-2}dx=\frac1{11}")
def n3():
    r"""\(R_{10}=0.0951663>0.0909091\)."""
    return Inequality(R10, "<=", sp.Rational(1, 11), {})


@control("N4.harmonic-bounded",
         r"H_N\le10\ \text{for all }N\ \ (\text{the bound a convergent }\textstyle\sum n^{-1}\text{ would give})")
def n4():
    r"""Spec N4 ("\(\sum n^{-p}\) converges for \(p\ge1\)"): positive terms converge iff the partial sums are
    bounded, but \(H_N-\ln N\to\gamma\), so \(H_N\ge\ln N\) passes every bound: \(H_N>10\) from \(N=12367\)."""
    return Inequality(sp.harmonic(N), "<=", 10, {N: integers(1, 10 ** 6)}, points=4)


@control("N6.dn-increases", r"D_{N+1}\ge D_N\ \ (f=1/x)")
def n6():
    r"""\(D_N\) decreases from 1 to \(\gamma\)."""
    return Inequality(1 / (Nr + 1), ">=", sp.log(1 + 1 / Nr), {Nr: real(1, 1000)}, points=6)


@control("N7.flipped-b2", r"\Big|\zeta(2)-\Big(S_9+\frac1{10}+\frac1{200}-\frac1{6000}\Big)\Big|\le\frac1{3\cdot10^6}",
         symbolic=False)
def n7():
    r"""Euler--Maclaurin with the sign of the \(B_2\) term flipped: error \(-3.33\cdot10^{-4}\) instead of \(3.31\cdot10^{-7}\)."""
    return Inequality(sp.Abs(sp.zeta(2) - (A1 - sp.Rational(2, 6000))), "<=", sp.Rational(1, 3000000))


@control("N8.start-at-one", r"\sum_{n\ge1}\frac1{n\ln^2n}=2.10974\ldots+\text{(a finite } n=1\text{ term)}")
def n8():
    r"""Starting \(\sum\frac1{n\ln^2n}\) at \(n=1\): the first term is finite only if its denominator \(1\cdot\ln^21\) is
    positive; it is \(0\)."""
    return Inequality((n * sp.log(n) ** 2).subs(n, 1), ">", 0)


def _nsum_default():
    r"""mpmath 1.3's ``nsum`` of \(\sum_{n\ge2}1/(n\ln^2n)\) with its default settings at 15 digits (a fixed computation:
    the value this control asserts, whatever the working precision)."""
    return num.nsum_default(15)


def _exact_ball(digits):
    """The binary number ``nsum`` returned, as an exact Arb ball."""
    import flint
    man, exp = _nsum_default().man_exp
    return flint.arb(flint.fmpz(int(man))) * flint.arb(2) ** int(exp)


NsumDefault = quantity("NsumDefault", evaluator=_nsum_default, enclosure=_exact_ball,
                       how="mpmath.nsum, default settings, 15 digits")


@control("N9.nsum-default", r"\sum_{n\ge2}\frac1{n\ln^2n}=\texttt{mpmath.nsum}(\ldots)\ \text{(15 digits, default settings)}",
         symbolic=False)
def n9():
    r"""mpmath 1.3's ``nsum`` with default settings returns about 1.91 at 15 digits (1.94 at 30, 2.02 at 60): wrong in
    the second digit and changing with the precision.  The Euler--Maclaurin value is far from it."""
    return Identity(LoglogSum(), NsumDefault())


@control("N10.nsum-spec", r"\sum_{n\ge2}\frac1{n\ln^2n}=2.10359", symbolic=False)
def n10():
    r"""The value the spec saw from ``nsum`` (wrong in the third digit)."""
    return Approximation(LoglogSum(), stated("2.10359"))


# --- erratum -------------------------------------------------------------------------------------

@claim("E1.post-no-hypotheses",
       r"\text{for every }f:\ \lim_{X\to\infty}\int_1^Xf=\infty\Rightarrow\sum f(n)=\infty,\ \ \lim_{X\to\infty}\int_1^Xf<\infty\Rightarrow\sum f(n)<\infty")
def e1_post():
    r"""The post's statement, with no hypothesis on \(f\), at C9's three functions: (a) \(\sin^2\pi x\) (integral \(\to\infty\),
    series 0), (b) \(e^{-x^4\sin^2\pi x}\) (finite integral, \(f(n)=1\)), (c) \(\cos(2\pi x)/x\) (integral \(-\mathrm{Ci}(2\pi)\),
    harmonic series)."""
    return _together(WITNESSES)


@claim("E1.corrected-monotone",
       r"f\ \text{eventually monotone}:\ \lim\int_1^Xf=\infty\Rightarrow\sum f(n)=\infty,\ \ \lim\int_1^Xf<\infty\Rightarrow\sum f(n)<\infty",
       hypotheses=(r"f\ \text{eventually monotone}",))
def c6():
    r"""C6: a monotone \(f\) has a limit \(L\); \(L<0\) makes the integral \(\to-\infty\), \(L>0\) makes both diverge, so P
    follows from M in both clauses.  Decided exactly on \(1-\frac1x\) (increasing), \(\frac{\ln x}{x^2}\) (monotone only
    from \(\sqrt e\)) and \(x^{-2}\); ``C1.integral-test/drop:P`` adds \(-x^{-2}\) and \(\frac1x-\frac12\)."""
    return _together(EVENTUAL_FAMILY)
