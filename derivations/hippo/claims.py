r"""The claims of the HiPPO derivation: statements the engine decides, from the exact Legendre algebra
(:mod:`derivations.hippo.legendre`) and the quadratures and ODE solutions of
:mod:`derivations.hippo.numerics`.

Every matrix claim compares the matrices *derived* from the projection definitions (exact integer
arithmetic) with the closed forms the post prints, typed here with SymPy; every numeric claim
compares a quadrature of the projections (a :func:`~derivations.engine.quantity`) with the post's
closed-form right-hand side built from the closed-form matrices.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache, partial

import mpmath
import sympy as sp
# SymPy imports these lazily (Add.flatten, Matrix.diff, assumptions); each claim runs in a forked
# child, so importing them once in the parent spares every child the import.
import sympy.assumptions.wrapper  # noqa: F401
import sympy.sets.setexpr  # noqa: F401
import sympy.tensor.array.array_derivatives  # noqa: F401
import sympy.tensor.array.expressions  # noqa: F401
import sympy.tensor.tensor  # noqa: F401

from derivations.engine import All, Erratum, Identity, claim, control, integers, positive, quantity, real
from derivations.hippo import numerics as nm
from derivations.hippo.legendre import (T, derived_integer_matrices, exact_projection, gram_g, gram_P,
                                        legendre_rows, legs_matrices, legs_su, legt_su, pmoment, poly_u, surd, w)

s = sp.Symbol("s", real=True)
x = sp.Symbol("x", real=True)
tg = sp.Symbol("t", real=True)          # generating-function variable
q = sp.Symbol("q", positive=True)
n_, k_ = sp.symbols("n k", integer=True, nonnegative=True)

SQRT_SIZES = (1, 2, 3, 4, 6, 8)  # the spec's sizes, compared in the post's sqrt form
BIG_N = 32                       # compared in the integer C8(b) form (entry (n,k) does not depend on N)
MATRIX_SIZES = SQRT_SIZES + (BIG_N,)


# === the post's closed forms, typed ==============================================================

def _sign(j: int) -> int:
    return -1 if j % 2 else 1


@lru_cache(maxsize=None)
def closed_legs(N: int, b: int = 2):
    r"""C7 as printed: \(A^S_{nk}=-\sqrt{(2n+1)(2k+1)}\) (\(k<n\)), \(-(n+1)\) (\(k=n\)), 0 (\(k>n\));
    \(B^S_n=\sqrt{b(2n+1)}\) (\(b=2\): the post's normalization; \(b=1\): the paper's \(B^P\))."""
    A = sp.ImmutableMatrix(N, N, lambda n, k: -sp.sqrt((2 * n + 1) * (2 * k + 1)) if k < n else (-(n + 1) if k == n else 0))
    return A, sp.ImmutableMatrix(N, 1, lambda n, _: sp.sqrt(b * (2 * n + 1)))


@lru_cache(maxsize=None)
def closed_legt(N: int, w_=w):
    r"""C6 as printed: \(A^T_{nk}=-\frac{\sqrt{(2n+1)(2k+1)}}w\{1\ (k<n);\ (-1)^{n-k}\ (k\ge n)\}\),
    \(B^T_n=\frac{\sqrt{2(2n+1)}}w\)."""
    A = sp.ImmutableMatrix(N, N, lambda n, k: -sp.sqrt((2 * n + 1) * (2 * k + 1)) / w_ * (1 if k < n else _sign(k - n)))
    return A, sp.ImmutableMatrix(N, 1, lambda n, _: sp.sqrt(2 * (2 * n + 1)) / w_)


def integer_legs(N: int):
    r"""C8(b), LegS: \(\tilde A_{nk}=-(2n+1)\) (\(k<n\)), \(-(n+1)\) (\(k=n\)), 0; \(\tilde B_n=2n+1\)."""
    A = sp.Matrix(N, N, lambda n, k: -(2 * n + 1) if k < n else (-(n + 1) if k == n else 0))
    return A, sp.Matrix(N, 1, lambda n, _: 2 * n + 1)


def integer_legt(N: int):
    r"""C8(b), LegT times \(w\): \(w\tilde A_{nk}=-(2n+1)\{1\ (k<n);\ (-1)^{n-k}\ (k\ge n)\}\), \(w\tilde B_n=2n+1\)."""
    A = sp.Matrix(N, N, lambda n, k: -(2 * n + 1) * (1 if k < n else _sign(k - n)))
    return A, sp.Matrix(N, 1, lambda n, _: 2 * n + 1)


def g_minus1(N: int):
    r"""\(g_n(-1)=(-1)^n\sqrt{(2n+1)/2}\) (C3b in \(g\)-form), typed."""
    return sp.Matrix(N, 1, lambda n, _: _sign(n) * sp.sqrt(sp.Rational(2 * n + 1, 2)))


# === quantities: projections by quadrature ========================================================

POLY3 = (1, -2, 0, Fraction(1, 2))                   # u = 1 - 2t + t^3/2
POLY9 = (1, -2, 0, 3, 0, 0, 0, 0, 0, Fraction(1, 7))  # degree 9 > N = 8: no coefficient vanishes
SIGNALS = {"sinexp": nm.sin_exp(), "poly9": nm.polynomial(POLY9), "poly3": nm.polynomial(POLY3)}
LEGT_W = sp.Rational(3, 2)
WINDOWS = {"legs": nm.LEGS, "legt": nm.Window("legt", float(LEGT_W)), "sqrt": nm.Window("sqrt")}
QUAD_N = 8  # coefficients computed by the projection quantities


@lru_cache(maxsize=256)
def _projection(sig: str, win: str, T_, prec: int):
    """\\((c_n(T))_{n<8}\\) and \\((c_n'(T))_{n<8}\\) by quadrature at the working precision ``prec``."""
    return nm.projection(SIGNALS[sig], WINDOWS[win], T_, QUAD_N, mpmath.mp.dps)


def _coefficient(sig: str, win: str, which: int, n, T_):
    """\\(c_n(T)\\) (``which=0``) or \\(c_n'(T)\\) (``which=1``) at the current precision (module level and
    bound with ``partial``, so that quantities pickle)."""
    return _projection(sig, win, mpmath.mpf(T_), mpmath.mp.prec)[which][int(n)]


def _pair(sig: str, win: str):
    """The quantities \\(c_n(T)\\) and \\(c_n'(T)\\) of input ``sig`` and window ``win``, by Gauss--Legendre
    quadrature of \\(\\int u(t(s))g_n\\) and \\(\\int u'(t(s))\\,\\partial_Tt\\,g_n\\) (differentiated under the
    integral), with more nodes at higher precision."""
    how = f"Gauss-Legendre quadrature over the {win} window, input {SIGNALS[sig].name}"
    return (quantity(f"c_{win}_{sig}", evaluator=partial(_coefficient, sig, win, 0), how=how),
            quantity(f"dc_{win}_{sig}", evaluator=partial(_coefficient, sig, win, 1),
                     how=how + " (c_n' under the integral)"))


COEFFS = {(sig, win): _pair(sig, win) for sig, win in
          (("sinexp", "legs"), ("poly9", "legs"), ("sinexp", "legt"), ("poly9", "legt"), ("sinexp", "sqrt"),
           ("poly3", "sqrt"))}

FOURIER_NS = (-2, -1, 0, 1, 2)
FOURIER_T = 2


@lru_cache(maxsize=64)
def _fourier(sig: str, prec: int):
    return nm.fourier_projection(SIGNALS[sig], FOURIER_T, float(LEGT_W), FOURIER_NS, mpmath.mp.dps)


def _fourier_coefficient(sig: str, which: int, n):
    return _fourier(sig, mpmath.mp.prec)[which][FOURIER_NS.index(int(n))]


def _fourier_pair(sig: str):
    """\\(c_n(T)=\\int_0^1u(sw+T-w)e^{-2\\pi ins}ds\\) and its \\(T\\)-derivative by quadrature (\\(T=2\\), \\(w=3/2\\))."""
    how = f"Gauss-Legendre quadrature on [0,1], input {SIGNALS[sig].name}, T=2, w=3/2"
    return (quantity(f"cF_{sig}", evaluator=partial(_fourier_coefficient, sig, 0), how=how),
            quantity(f"dcF_{sig}", evaluator=partial(_fourier_coefficient, sig, 1), how=how))


FOURIER = {sig: _fourier_pair(sig) for sig in ("sinexp", "poly3")}


@lru_cache(maxsize=256)
def _forcing_cached(sig: str, lam: int, T0, T1, prec: int):
    return nm.forcing_integral(SIGNALS[sig], lam, T0, T1, mpmath.mp.dps)


def _forcing(sig: str, lam, T0, T1):
    r"""\(F(\lambda)=\int_{T_0}^{T_1}(T_1/t)^{\lambda}u(t)\,dt/t\) at the current precision."""
    return _forcing_cached(sig, int(lam), mpmath.mpf(T0), mpmath.mpf(T1), mpmath.mp.prec)


FORCING = {sig: quantity(f"F_{sig}", evaluator=partial(_forcing, sig),
                         how=f"Gauss-Legendre quadrature of (T1/t)^lambda u(t)/t, input {SIGNALS[sig].name}")
           for sig in ("sinexp",)}


def _column(values):
    return sp.ImmutableMatrix(len(values), 1, list(values))


def _matvec(A, v) -> list:
    """The entries of \\(Av\\) as flat sums (no Matrix arithmetic: building statements stays cheap)."""
    return [sp.Add(*[A[n, k] * v[k] for k in range(A.cols) if A[n, k] != 0]) for n in range(A.rows)]


# === C1 projection =================================================================================

@claim("C1.projection",
       r"\Big\|u-\sum_{n=0}^{N}c_ng_n\Big\|^2=\Big(\|u\|^2-\sum_{n=0}^{N}a_n^2\Big)+\sum_{n=0}^{N}(c_n-a_n)^2,"
       r"\quad a_n=\langle u,g_n\rangle\ \Rightarrow\ \arg\min_{c_0,\dots,c_N}=(a_0,\dots,a_N)",
       hypotheses=(r"u\in L^2[-1,1]", r"N=3"), uses=("C3a.orthogonality",))
def projection_claim():
    r"""The squared error \(\|u\|^2-2\sum_nc_na_n+\sum_{m,n}c_mc_n\langle g_m,g_n\rangle\), with the Gram
    matrix \(\langle g_m,g_n\rangle\) computed exactly from the Legendre coefficients (it is \(I\)),
    completes to a constant plus \(\sum(c_n-a_n)^2\): the unique minimiser over **all** of
    \(c_0,\dots,c_N\) is the projection (the post's "argmin over \(c_1..c_N\)" drops \(c_0\); erratum E2).
    Shown for \(N=3\) (four coefficients); the completion of the square is termwise, the same for every \(N\)."""
    N = 4
    c = sp.symbols(f"c0:{N}", real=True)
    a = sp.symbols(f"a0:{N}", real=True)
    U = sp.Symbol("U", real=True)
    G = gram_g(N)
    f = U - 2 * sum(ci * ai for ci, ai in zip(c, a)) + sum(c[i] * c[j] * G[i, j] for i in range(N) for j in range(N))
    rhs = U - sum(ai ** 2 for ai in a) + sum((ci - ai) ** 2 for ci, ai in zip(c, a))
    return Identity(f, rhs, {v: real(-2, 2) for v in (*c, *a, U)})


# === C2 general dynamics ===========================================================================

def _jet(name: str, *variables):
    r"""A generic quadratic polynomial in ``variables`` with real coefficients ``name_i``: its value,
    first and second derivatives at any point can be any numbers, so an identity in a function's
    2-jet holds for all \(C^2\) functions iff it holds for this polynomial identically."""
    monomials = [sp.S.One, *variables] + [a * b for i, a in enumerate(variables) for b in variables[i:]]
    coeffs = sp.symbols(f"{name}0:{len(monomials)}", real=True)
    return sum(cf * m for cf, m in zip(coeffs, monomials)), coeffs


@claim("C2.master",
       r"\partial_T\big[u(t(s,T))\big]g_n(s)=\partial_s\big[u(t)\,r\,g_n\big]-u(t)\,\partial_s\big[r\,g_n\big],"
       r"\quad r=\frac{\partial_Tt}{\partial_st}"
       r"\ \Rightarrow\ \frac{dc_n}{dT}=\big[u(t)\,r\,g_n\big]_{s=-1}^{s=1}-\int_{-1}^1u(t)\,\partial_s[r\,g_n]\,ds",
       hypotheses=(r"u\in C^1", r"t(s,T)\ \text{smooth},\ \partial_st>0"))
def master_formula():
    r"""Differentiating under the integral, \(\partial_Tu(t)=u'(t)\partial_Tt=r\,\partial_s[u(t)]\); the pointwise
    identity is the product rule, and integrating it over \(s\in[-1,1]\) gives C2.  The identity involves
    only \(u,u'\) at \(t\), \(t,\partial_st,\partial_Tt,\partial_s^2t,\partial_s\partial_Tt\) and \(g,g'\) at the point,
    so it is stated for generic quadratic \(u(z)\), \(t(s,T)\), \(g(s)\) with free coefficients (every value
    of those jets is taken): proved identically in the 11 coefficients, and evaluable, so a wrong
    coefficient has a numeric witness.  Domain: \(\partial_st\ge2\) (the map is increasing)."""
    z = sp.Symbol("z", real=True)
    upoly, ucf = _jet("u", z)
    tt, tcf = _jet("tau", s, T)
    g, gcf = _jet("g", s)
    g = g.subs(gcf[2], 0)   # linear g: g and g' are all the identity needs
    u = sp.Lambda(z, upoly)
    r = sp.diff(tt, T) / sp.diff(tt, s)
    lhs = sp.diff(u(tt), T) * g
    rhs = sp.diff(u(tt) * r * g, s) - u(tt) * sp.diff(r * g, s)
    dom = {v: real(-1, 1) for v in (*ucf, *tcf, *gcf[:2])}
    dom.update({tcf[1]: real(6, 7), s: real(-1, 1), T: real(0.5, 2)})  # tau1 = coefficient of s: d_s t >= 2
    return Identity(lhs, rhs, dom, points=4)


@claim("C2.window-ratios",
       r"r_{\rm LegT}=\frac2w,\quad r_{\rm LegS}=\frac{s+1}T,\quad r_{\rm X1}=\frac{2(s+1)}T"
       r"\quad\text{for } t=\tfrac{(s+1)w}2+T-w,\ \tfrac{(s+1)T}2,\ T\sqrt{\tfrac{s+1}2}",
       uses=("C2.master",))
def window_ratios():
    r"""\(r=\partial_Tt/\partial_st\) for the three maps.  LegS and X1 have \(r(-1)=0\): the value
    \(u(t_{\le T}(-1))\) never enters their dynamics, which is why LegS needs no closure (N9)."""
    maps = ((s + 1) * w / 2 + T - w, (s + 1) * T / 2, T * sp.sqrt((s + 1) / 2))
    r = sp.Matrix([sp.diff(m, T) / sp.diff(m, s) for m in maps])
    return Identity(r, sp.Matrix([2 / w, (s + 1) / T, 2 * (s + 1) / T]),
                    {s: real(-0.999, 1), T: positive(5), w: positive(3)})


# === C3 Legendre facts =============================================================================

def _G(xx, tt):
    return (1 - 2 * xx * tt + tt ** 2) ** sp.Rational(-1, 2)


_GF_VARS = {x: real(-1, 1), tg: real(-0.5, 0.5)}


def _gf_identity(sides):
    """``Identity(*sides(G, G_x, G_t))`` for the Legendre generating function \\(G(x,t)\\)."""
    G = _G(x, tg)
    lhs, rhs = sides(G, G.diff(x), G.diff(tg))
    return Identity(lhs, rhs, _GF_VARS, points=4)


@claim("C3.generating-function",
       r"(1-2xt+t^2)\,G_t=(x-t)\,G,\quad G=(1-2xt+t^2)^{-1/2}=\sum_{n\ge0}P_n(x)t^n",
       hypotheses=(r"|x|\le1,\ |t|<1",))
def generating_function():
    r"""The ODE of the generating function; coefficientwise it is Bonnet's recurrence
    \((n+1)P_{n+1}=(2n+1)xP_n-nP_{n-1}\), which with \(G(x,0)=1\), \(G_t(x,0)=x\) determines the
    coefficients: they are the Legendre polynomials (the Rodrigues polynomials used for the
    matrices satisfy the same recurrence, C3.finite-check)."""
    return _gf_identity(lambda G, Gx, Gt: ((1 - 2 * x * tg + tg ** 2) * Gt, (x - tg) * G))


@claim("C3a.orthogonality", r"\int_{-1}^1P_mP_n\,dx=\frac{2}{2n+1}\delta_{mn}\qquad(0\le m,n\le32)")
def orthogonality():
    r"""The Gram matrix of \(P_0..P_{32}\), the polynomials behind the \(N=32\) matrices (Rodrigues
    coefficients, monomials integrated exactly, \(\int x^j=2/(j+1)\) for even \(j\), two exact integer matrix
    products), against \(\mathrm{diag}(2/(2n+1))\).  General \(n\) is not attempted (SymPy does not do the
    symbolic-\(n\) integral)."""
    N = FINITE_N
    return Identity(gram_P(N), sp.diag(*[sp.Rational(2, 2 * n + 1) for n in range(N)]))


@claim("C3b.endpoints",
       r"G(1,t)=\frac1{1-t}=\sum t^n,\quad G(-x,t)=G(x,-t)\ \Rightarrow\ P_n(1)=1,\ P_n(-1)=(-1)^n",
       hypotheses=(r"0<t<1\ \text{written as}\ t=q/(1+q),\ q>0",))
def endpoints():
    r"""\(G(1,t)=(1-t)^{-1}\) for \(0<t<1\) (substituting \(t=q/(1+q)\) lets SymPy see \(1-t>0\) and
    take the square root), and the parity \(G(-x,t)=G(x,-t)\), i.e. \(P_n(-x)=(-1)^nP_n(x)\)."""
    tq = q / (1 + q)
    lhs = sp.Matrix([_G(1, tq), _G(-x, tg)])
    rhs = sp.Matrix([1 / (1 - tq), _G(x, -tg)])
    return Identity(lhs, rhs, {q: positive(20), **_GF_VARS}, points=4)


@claim("C3c.derivative-recurrence",
       r"(1-t^2)G_x=t\,(2tG_t+G)\ \Leftrightarrow\ P'_{n+1}-P'_{n-1}=(2n+1)P_n",
       hypotheses=(r"n\ge0,\ P_{-1}:=0",), uses=("C3.generating-function",))
def derivative_recurrence():
    r"""Coefficient of \(t^{n+1}\): \(\sum_nP_n'(t^n-t^{n+2})\) against \(\sum_n(2n+1)P_nt^{n+1}\)."""
    return _gf_identity(lambda G, Gx, Gt: ((1 - tg ** 2) * Gx, tg * (2 * tg * Gt + G)))


@claim("C3d.xp-recurrence",
       r"G_x=t\,(tG_t+G+xG_x)\ \Leftrightarrow\ P'_{n+1}=(n+1)P_n+xP_n'",
       hypotheses=(r"n\ge0",), uses=("C3.generating-function",))
def xp_recurrence():
    r"""Coefficient of \(t^{n+1}\) (equivalently \(xP_n'-P'_{n-1}=nP_n\) with C3c)."""
    return _gf_identity(lambda G, Gx, Gt: (Gx, tg * (tg * Gt + G + x * Gx)))


@claim("C3e.derivative-expansion",
       r"G_x=\frac{t\,(2tG_t+G)}{1-t^2}\ \Leftrightarrow\ P'_{n+1}=\sum_{k=0}^{n}(2k+1)\chi_{n-k}P_k",
       hypotheses=(r"n\ge0",), uses=("C3c.derivative-recurrence",))
def derivative_expansion():
    r"""Generating function of both sides: \(\sum_nP'_{n+1}t^{n+1}=G_x\) and, as a Cauchy product with
    \(\sum_j\chi_jt^j=1/(1-t^2)\), \(\sum_nt^{n+1}\sum_{k\le n}(2k+1)\chi_{n-k}P_k=t(2tG_t+G)/(1-t^2)\).
    This replaces the induction ("telescope C3c downward") by one identity, valid for every \(n\)."""
    return _gf_identity(lambda G, Gx, Gt: (Gx, tg * (2 * tg * Gt + G) / (1 - tg ** 2)))


@claim("C3f.legs-expansion",
       r"(x+1)G_x=-(G+tG_t)+\frac{2tG_t+G}{1-t}\ \Leftrightarrow\ (x+1)P_n'=-(n+1)P_n+\sum_{k=0}^n(2k+1)P_k",
       hypotheses=(r"n\ge0",), uses=("C3d.xp-recurrence", "C3e.derivative-expansion"))
def legs_expansion():
    r"""Generating functions: \(\sum(n+1)P_nt^n=(tG)_t\) and \(\sum_nt^n\sum_{k\le n}(2k+1)P_k=(2tG_t+G)/(1-t)\).
    In \(g\)-form: \((s+1)g_n'=n\,g_n+\sum_{k<n}\sqrt{(2n+1)(2k+1)}\,g_k\) (the LegS step)."""
    return _gf_identity(lambda G, Gx, Gt: ((x + 1) * Gx, -(G + tg * Gt) + (2 * tg * Gt + G) / (1 - tg)))


FINITE_N = BIG_N + 1  # P_0 .. P_32: the polynomials behind the N = 32 matrices


@claim("C3.finite-check",
       r"\text{Bonnet's recurrence }(n+1)P_{n+1}=(2n+1)xP_n-nP_{n-1}\text{ and (b) hold for the Rodrigues polynomials }"
       r"P_0,\dots,P_{32}\ (0\le n\le31)",
       uses=("C3.generating-function", "C3b.endpoints"))
def finite_check():
    r"""The general-\(n\) generating-function proofs concern the coefficients of \(G\); this exact check ties
    them to the coefficient rows (Rodrigues' formula) from which the matrices are built: Bonnet's
    recurrence with \(P_0=1\), \(P_1=x\) makes the rows the coefficients of \(G\) (C3.generating-function is
    the same recurrence), so (c)--(f) hold for them; (b) and the recurrence as integer coefficient rows of
    \(2^{32}P_n\), \(n\le31\).  The consequences the matrices use, (e) as \(\langle P_k,P_n'\rangle\) and (f) as
    \(\tilde A^S\), are compared directly at \(N=32\) in C5.legt-exact and C7.legs-matrix."""
    N = FINITE_N
    rows = legendre_rows(N)
    P = [[c << (N - 1 - n) for c in rows[n]] + [0] * (N + 1 - len(rows[n])) for n in range(N)]
    M, scale = N - 1, 2 ** (N - 1)
    zero = [0] * (N + 1)

    def xP(p):
        return [0] + p[:-1]

    bonnet = Identity(sp.Matrix([[(n + 1) * v for v in P[n + 1]] for n in range(M)]),
                      sp.Matrix([[(2 * n + 1) * a - n * b for a, b in zip(xP(P[n]), P[n - 1] if n else zero)]
                                 for n in range(M)]))
    values = Identity(sp.Matrix([[sp.Rational(sum(P[n]), scale), sp.Rational(sum(c * _sign(j) for j, c in enumerate(P[n])),
                                                                              scale)] for n in range(M)]),
                      sp.Matrix([[1, _sign(n)] for n in range(M)]))
    return All((bonnet, values), ("Bonnet", "(b)"))


# === C4 Fourier warm-up ============================================================================

@claim("C4.fourier",
       r"c_n(T)=\int_0^1u(sw+T-w)e^{-2\pi ins}ds\ \Rightarrow\ c_n'(T)=\frac1w\big[u(T)-u(T-w)\big]+\frac{2\pi in}{w}c_n(T)",
       hypotheses=(r"u\in C^1", r"n\in\mathbb Z", r"w>0"), uses=("C2.master",))
def fourier():
    r"""Exact: the integrand identity \(\partial_T[u]e^{-2\pi ins}=\frac1w\partial_s[u\,e^{-2\pi ins}]+\frac{2\pi in}wu\,e^{-2\pi ins}\)
    (for a generic quadratic \(u\): the identity involves only \(u,u'\) at the point) integrated over \([0,1]\),
    with the boundary term \(e^{-2\pi in}=1\) for integer \(n\) (checked at \(n=-5..5\)).  The post's closure
    \(u(T-w)\approx\sum_{|k|\le N}c_k\) is biased (erratum E3); C4.fourier-quadrature checks an instance."""
    z = sp.Symbol("z", real=True)
    upoly, ucf = _jet("u", z)
    u = sp.Lambda(z, upoly)
    nn = sp.Symbol("n", integer=True)
    arg = s * w + T - w
    e = sp.exp(-2 * sp.pi * sp.I * nn * s)
    pointwise = Identity(sp.diff(u(arg), T) * e,
                         sp.diff(u(arg) * e, s) / w + 2 * sp.pi * sp.I * nn / w * u(arg) * e,
                         {**{v: real(-1, 1) for v in ucf}, s: real(0, 1), T: real(2, 4), w: positive(2),
                          nn: integers(-5, 5)}, points=4)
    boundary = Identity(sp.exp(-2 * sp.pi * sp.I * nn, evaluate=False), 1, {nn: integers(-5, 5)})
    return All((pointwise, boundary), ("pointwise", "boundary"))


def _fourier_instance(sig: str):
    c, dc = FOURIER[sig]
    u = SIGNALS[sig].expr
    T_ = sp.Integer(FOURIER_T)
    jump = (u(T_) - u(T_ - LEGT_W)) / LEGT_W
    return Identity(_column([dc(n) for n in FOURIER_NS]),
                    _column([jump + 2 * sp.pi * sp.I * n / LEGT_W * c(n) for n in FOURIER_NS]))


@claim("C4.fourier-quadrature",
       r"c_n'(T)=\frac1w\big[u(T)-u(T-w)\big]+\frac{2\pi in}{w}c_n(T)\quad(n=-2..2,\ w=\tfrac32,\ T=2,"
       r"\ u=\sin2t+e^{-t/3}\ \text{and}\ 1-2t+\tfrac12t^3)", uses=("C4.fourier",), symbolic=False)
def fourier_quadrature():
    r"""An instance of C4 with both sides evaluated: \(c_n\) and \(c_n'\) by quadrature (no symbolic phase:
    the coefficients are quadratures, not closed forms), the right-hand side as the post writes it."""
    return All(tuple(_fourier_instance(sig) for sig in FOURIER), tuple(f"u={SIGNALS[sig].name}" for sig in FOURIER))


# === C5, C6 LegT ===================================================================================

def _legt_exact_parts(N: int):
    r"""C5's coefficients times \(w\), derived (from \(P_n(\pm1)\) and \(\langle P_k,P_n'\rangle\)) and closed:
    boundary \(2g_n(\pm1)=\sqrt{2(2n+1)}\,(1,(-1)^n)\), interior \(-2\langle g_k,g_n'\rangle=
    -2\sqrt{(2n+1)(2k+1)}\,[k<n,\ n-k\ \text{odd}]\); for \(N=32\) in \(P\)-form (\(P_n(\pm1)\), \(\langle P_k,P_n'\rangle\))."""
    d = derived_integer_matrices(N)
    if N in SQRT_SIZES:
        bd = sp.Matrix(N, 2, lambda n, j: surd(d["P(1)" if j == 0 else "P(-1)"][n], 2 * (2 * n + 1)))
        bc = sp.Matrix(N, 2, lambda n, j: sp.sqrt(2 * (2 * n + 1)) * (1 if j == 0 else _sign(n)))
        idr = sp.Matrix(N, N, lambda n, k: surd(-d["dP"][n][k], (2 * n + 1) * (2 * k + 1)))
        icl = sp.Matrix(N, N, lambda n, k: -2 * sp.sqrt((2 * n + 1) * (2 * k + 1)) if k < n and (n - k) % 2 else 0)
    else:
        bd = sp.Matrix(N, 2, lambda n, j: d["P(1)" if j == 0 else "P(-1)"][n])
        bc = sp.Matrix(N, 2, lambda n, j: 1 if j == 0 else _sign(n))
        idr = sp.Matrix(d["dP"])
        icl = sp.Matrix(N, N, lambda n, k: 2 if k < n and (n - k) % 2 else 0)
    return [("boundary", Identity(bd, bc)), ("interior", Identity(idr, icl))]


def _family_parts(build, sizes=MATRIX_SIZES):
    """One labelled statement per part of ``build(N)`` and size ``N``."""
    parts, labels = [], []
    for N in sizes:
        for name, stmt in build(N):
            parts.append(stmt)
            labels.append(f"N={N}: {name}" + (" (C8(b)/P-form)" if N not in SQRT_SIZES else ""))
    return All(tuple(parts), tuple(labels))


@claim("C5.legt-exact",
       r"w\,c_n'(T)=\sqrt{2(2n+1)}\big[u(T)-(-1)^nu(T-w)\big]-2\sum_{k<n,\ n-k\ \mathrm{odd}}\sqrt{(2n+1)(2k+1)}\,c_k(T):"
       r"\ 2g_n(\pm1),\ -2\langle g_k,g_n'\rangle\ \text{derived}=\text{closed form},\ N\in\{1,2,3,4,6,8,32\}",
       hypotheses=(r"u\in C^1", r"T\ge w>0"),
       uses=("C2.master", "C2.window-ratios", "C3b.endpoints", "C3e.derivative-expansion", "C3a.orthogonality"))
def legt_exact():
    r"""C2 with \(r=2/w\): boundary \(\frac2w[u(T)g_n(1)-u(T-w)g_n(-1)]\), interior \(-\frac2w\int u\,g_n'\) with
    \(g_n'=\sum_k\langle g_k,g_n'\rangle g_k\) (degree \(<n\)); exact for every input, no truncation.  Statement: the
    coefficients computed from the definitions (\(P_n(\pm1)\) and \(\langle P_k,P_n'\rangle\) in exact integer
    arithmetic) against the closed form, at \(N=1,2,3,4,6,8\) in \(g\)-form and at \(N=32\) in \(P\)-form
    (\(P_n(\pm1)=(\pm1)^n\), \(\langle P_k,P_n'\rangle=2[k<n,\ n-k\ \text{odd}]\)); C5.legt-residual checks instances."""
    return _family_parts(_legt_exact_parts)


LEGT_N, LEGT_TS = 8, (2, 5)


def _legt_residual(sig: str, T_, closure: bool, N: int = LEGT_N):
    r"""\(c'(T)\) by quadrature against C5's right-hand side, or (``closure``) against C6's
    \(A^Tc+B^Tu\) plus the predicted truncation term \(-\frac2wg(-1)[u(T-w)-\sum_kc_kg_k(-1)]\)."""
    c, dc = COEFFS[(sig, "legt")]
    u = SIGNALS[sig].expr
    T_ = sp.Integer(T_)
    cv = _column([c(k, T_) for k in range(N)])
    uT, uTw = u(T_), u(T_ - LEGT_W)
    if closure:
        A, B = closed_legt(N, LEGT_W)
        gm = g_minus1(N)
        miss = uTw - sp.Add(*[gm[k] * cv[k] for k in range(N)])
        rhs = _column([a + B[n] * uT - 2 / LEGT_W * gm[n] * miss for n, a in enumerate(_matvec(A, cv))])
    else:
        rhs = _column([sp.sqrt(2 * (2 * n + 1)) / LEGT_W * (uT - _sign(n) * uTw)
                       - 2 / LEGT_W * sum((sp.sqrt((2 * n + 1) * (2 * k + 1)) * cv[k]
                                           for k in range(n) if (n - k) % 2), sp.S.Zero) for n in range(N)])
    return Identity(_column([dc(n, T_) for n in range(N)]), rhs)


def _residual_family(build, sigs, times):
    pairs = [(sig, t) for sig in sigs for t in times]
    return All(tuple(build(sig, t) for sig, t in pairs), tuple(f"u={SIGNALS[sig].name}, T={t}" for sig, t in pairs))


@claim("C5.legt-residual",
       r"c_n'(T)=\frac{\sqrt{2(2n+1)}}{w}\big[u(T)-(-1)^nu(T-w)\big]-\frac2w\sum_{k<n,\ n-k\ \mathrm{odd}}"
       r"\sqrt{(2n+1)(2k+1)}\,c_k(T)\quad(N=8,\ w=\tfrac32,\ T\in\{2,5\})",
       hypotheses=(r"u=\sin2t+e^{-t/3}\ \text{and}\ u=1-2t+3t^3+\tfrac17t^9",), uses=("C5.legt-exact",),
       symbolic=False)
def legt_residual():
    r"""C5 with both sides evaluated: \(c_n(T)\) and \(c_n'(T)=\int u'(t)g_n\,ds\) by quadrature, the right-hand
    side as the post writes it (no symbolic phase: the coefficients are quadratures)."""
    return _residual_family(lambda sig, t: _legt_residual(sig, t, False), ("sinexp", "poly9"), LEGT_TS)


@claim("C6.legt-matrix",
       r"w\,A^T_{nk}=-2\big[g_n(-1)g_k(-1)+\langle g_k,g_n'\rangle\big]=-\sqrt{(2n+1)(2k+1)}"
       r"\begin{cases}1&k<n\\(-1)^{n-k}&k\ge n\end{cases},\quad w\,B^T_n=2g_n(1)=\sqrt{2(2n+1)}"
       r"\quad(N\in\{1,2,3,4,6,8,32\})",
       hypotheses=(r"u(T-w)\approx\sum_{k<N}c_kg_k(-1)\ \text{(closure)}",),
       uses=("C5.legt-exact", "C6.parity", "C8b.integer-scaling"))
def legt_matrix():
    r"""The LegT matrices built from the definition (closure substituted into C5; exact integer
    arithmetic, unscaled exactly) against the closed form, both times \(w\) (the window length only scales
    them): for \(N=1,2,3,4,6,8\) in the post's form, for \(N=32\) in the integer C8(b) form \(w\tilde A^T\),
    \(w\tilde B^T\) (entry \((n,k)\) does not depend on \(N\), so every \(N\le32\) is a leading block).
    C6.residual checks the closure's error."""
    def build(N):
        if N in SQRT_SIZES:
            (A, B), (Ac, Bc) = legt_su(N, 1), closed_legt(N, 1)
            return (("A", Identity(A, Ac)), ("B", Identity(B, Bc)))
        d = derived_integer_matrices(N)
        Ac, Bc = integer_legt(N)
        return (("A", Identity(sp.Matrix(d["legt_A"]), Ac)), ("B", Identity(sp.Matrix(d["legt_B"]), Bc)))
    return _family_parts(build)


@claim("C6.residual",
       r"c'-(A^Tc+B^Tu)=-\frac2wg(-1)\Big[u(T-w)-\sum_{k<N}c_kg_k(-1)\Big]\quad(N=8,\ w=\tfrac32,\ T\in\{2,5\})",
       hypotheses=(r"u=\sin2t+e^{-t/3}\ \text{and}\ u=1-2t+3t^3+\tfrac17t^9",), uses=("C5.legt-exact", "C6.legt-matrix"),
       symbolic=False)
def legt_closure_residual():
    r"""The true \(c\) (quadrature) misses the LegT ODE by exactly the closure's error at the window's left
    end, times \(-\frac2wg(-1)\); the residual itself is not small for these inputs (N6).  No symbolic phase:
    the coefficients are quadratures."""
    return _residual_family(lambda sig, t: _legt_residual(sig, t, True), ("sinexp", "poly9"), LEGT_TS)


@claim("C6.parity",
       r"(-1)^{n+k}+2\chi_{n-1-k}=1\ (k<n),\qquad(-1)^{n+k}=(-1)^{n-k},\qquad\chi_j=\tfrac{1+(-1)^j}2",
       hypotheses=(r"n,k\in\mathbb Z_{\ge0}",))
def parity():
    r"""LegT step 5: the coefficient of \(c_k\) is \(-\frac{\sqrt{(2n+1)(2k+1)}}w[(-1)^{n+k}+2\chi_{n-1-k}[k<n]]\)."""
    def chi(j):
        return (1 + (-1) ** j) / 2
    return Identity(sp.Matrix([(-1) ** (n_ + k_) + 2 * chi(n_ - 1 - k_), (-1) ** (n_ + k_)]),
                    sp.Matrix([1, (-1) ** (n_ - k_)]), {n_: integers(0, 30), k_: integers(0, 30)}, points=3)


POLY_LEGT = (1, -1, 0, 2, 0, Fraction(-1, 3))  # degree 5 = N - 1 for N = 6


@claim("C6.polynomial-exact",
       r"u(t)=1-t+2t^3-\tfrac13t^5,\ N=6:\quad c'(T)=A^Tc(T)+B^Tu(T)\ \text{exactly}",
       hypotheses=(r"\deg u\le N-1",), uses=("C6.legt-matrix",))
def legt_polynomial():
    r"""For a polynomial of degree \(\le N-1\) the truncated Legendre series reproduces \(u\) at the
    window's left end, so the closure is exact: \(c(T)\) computed exactly (polynomial in \(T,w\), from the
    moments of \(P_n\)) satisfies the LegT ODE with the closed-form matrices identically in \(T\) and \(w\).
    Degree \(N\) fails (N6)."""
    N = 6
    c = exact_projection("legt", POLY_LEGT, N)
    A, B = closed_legt(N, w)
    return Identity(c.diff(T), A * c + B * poly_u(POLY_LEGT, T), {T: real(3, 6), w: positive(3)}, points=2)


# === C7 LegS =======================================================================================

@claim("C7.legs-matrix",
       r"A^S_{nk}=-\langle g_k,g_n+(s+1)g_n'\rangle=-\begin{cases}\sqrt{(2n+1)(2k+1)}&k<n\\n+1&k=n\\0&k>n\end{cases},"
       r"\quad B^S_n=2g_n(1)=\sqrt{2(2n+1)}\quad(N\in\{1,2,3,4,6,8,32\})",
       uses=("C2.window-ratios", "C3f.legs-expansion", "C8b.integer-scaling"))
def legs_matrix():
    r"""LegS from C2 with \(r=(s+1)/T\): boundary \(\frac2Tu(T)g_n(1)\) (the lower end has \(r=0\)), interior
    \(-\frac1T\int u[g_n+(s+1)g_n']\), and \(g_n+(s+1)g_n'\) has degree \(n<N\), so its expansion in
    \(g_0..g_{N-1}\) is exact: \(c'=\frac1T(A^Sc+B^Su)\) for every \(N\).  Statement: the matrices built from
    the definitions (exact integer arithmetic, unscaled exactly) against the closed form, for \(N=1,2,3,4,6,8\)
    in the post's form and for \(N=32\) in the integer C8(b) form (entry \((n,k)\) does not depend on \(N\))."""
    def build(N):
        if N in SQRT_SIZES:
            (A, B), (Ac, Bc) = legs_su(N), closed_legs(N)
            return (("A", Identity(A, Ac)), ("B", Identity(B, Bc)))
        d = derived_integer_matrices(N)
        Ac, Bc = integer_legs(N)
        return (("A", Identity(sp.Matrix(d["legs_A"]), Ac)), ("B", Identity(sp.Matrix(d["legs_B"]), Bc)))
    return _family_parts(build)


lam_ = sp.Symbol("lambda", real=True)


EIGEN_SIZES = (4, 8, 16)


@claim("C7.eigenvalues",
       r"\det(\lambda I-A^S)=\prod_{n<N}(\lambda+n+1),\ \text{so}\ \operatorname{spec}A^S=\{-1,-2,\dots,-N\}"
       r"\quad(N\in\{4,8,16\})",
       uses=("C7.legs-matrix",))
def legs_eigenvalues():
    r"""The characteristic polynomial of the derived \(A^S\) (exact, SymPy's ``charpoly``) against
    \(\prod(\lambda+n+1)\): \(A^S\) is lower triangular with diagonal \(-(n+1)\) (for \(N\le32\) C7.legs-matrix
    shows the derived matrix is the closed form, which is).  Distinct eigenvalues: \(A^S\) is
    diagonalisable, which C7.ode's variation of constants uses.  Sampled at \(\lambda\in[0,2]\), where the
    expanded polynomial has no cancellation."""
    parts = tuple(Identity(legs_su(N)[0].charpoly(lam_).as_expr(lam_), sp.Mul(*[lam_ + n + 1 for n in range(N)]),
                           {lam_: real(0, 2)}, points=2) for N in EIGEN_SIZES)
    return All(parts, tuple(f"N={N}" for N in EIGEN_SIZES))


POLY_LEGS = POLY9


@claim("C7.polynomial-exact",
       r"u(t)=1-2t+3t^3+\tfrac17t^9,\ N=8:\quad T\,c'(T)=A^Sc(T)+B^Su(T)\ \text{exactly},\quad c(0^+)=\sqrt2\,u(0)\,e_0;"
       r"\quad u(t)=t:\ c(T)=\big(\tfrac T{\sqrt2},\tfrac T{\sqrt6},0,\dots\big)",
       uses=("C7.legs-matrix",))
def legs_polynomial():
    r"""No truncation in LegS: for a polynomial of degree \(9>N\), \(c(T)\) computed exactly (moments of
    \(P_n\)) satisfies the LegS ODE with the closed-form matrices identically in \(T\); its limit at
    \(T\to0^+\) is \(\sqrt2\,u(0)e_0\) (\(\int g_n=\sqrt2\delta_{n0}\); for continuous \(u\) by dominated
    convergence); the last rows pin the spec's closed form for \(u(t)=t\)."""
    N = 8
    c = exact_projection("legs", POLY_LEGS, N)
    A, B = closed_legs(N)
    lin = exact_projection("legs", (0, 1), N)
    want = sp.Matrix([T / sp.sqrt(2), T / sp.sqrt(6)] + [0] * (N - 2))
    limit = sp.Matrix([sp.sqrt(2) * POLY_LEGS[0]] + [0] * (N - 1))
    return Identity(sp.Matrix.vstack(T * c.diff(T), c.subs(T, 0), lin),
                    sp.Matrix.vstack(A * c + B * poly_u(POLY_LEGS, T), limit, want), {T: positive(4)}, points=2)


LEGS_N, LEGS_T0, LEGS_T1 = 8, 1, 3


def _fraction(x) -> Fraction:
    """A SymPy rational as a Fraction (anything else is an error: the similarity must make it rational)."""
    x = sp.radsimp(x) if not x.is_Rational else x
    if not x.is_Rational:
        raise ValueError(f"not rational: {x}")
    return Fraction(int(x.p), int(x.q))


def _eigenvectors(A) -> list:
    r"""Unit-lower-triangular \(V\) (rows of Fractions) with \(AV=V\Lambda\) for a lower triangular rational
    \(A\) with distinct diagonal: exact back-substitution \(V_{ij}=\sum_{j\le l<i}A_{il}V_{lj}/(\lambda_j-\lambda_i)\)."""
    N = len(A)
    V = [[Fraction(int(i == j)) for j in range(N)] for i in range(N)]
    for j in range(N):
        for i in range(j + 1, N):
            V[i][j] = sum((A[i][l] * V[l][j] for l in range(j, i)), Fraction(0)) / (A[j][j] - A[i][i])
    return V


def _unit_lower_inverse(V) -> list:
    r"""\(V^{-1}\) of a unit lower triangular \(V\) by forward substitution (exact)."""
    N = len(V)
    W = [[Fraction(int(i == j)) for j in range(N)] for i in range(N)]
    for i in range(N):
        for j in range(i):
            W[i][j] = -sum((V[i][l] * W[l][j] for l in range(j, i)), Fraction(0))
    return W


@lru_cache(maxsize=None)
def _legs_flow(N: int, rho):
    r"""Variation of constants for \(c'=\frac1t(A^Sc+B^Su)\) with the closed-form \(A^S,B^S\): in \(\sigma=\ln t\),
    \(c(T_1)=\Phi c(T_0)+V\,\mathrm{diag}(F(\lambda_j))\,\beta\) with \(A^S=V\Lambda V^{-1}\), \(\Phi=V\rho^{\Lambda}V^{-1}\),
    \(\beta=V^{-1}B^S\), \(\rho=T_1/T_0\), \(F(\lambda)=\int_{T_0}^{T_1}(T_1/t)^\lambda u\,dt/t\).  Computed exactly in the
    similar rational form \(\tilde A=D^{-1}A^SD\), \(\tilde B=D^{-1}B^S\), \(D=\mathrm{diag}(\sqrt{2/(2n+1)})\) (SymPy
    reduces the closed form's entries to rationals there), then \(\Phi=D\tilde\Phi D^{-1}\), \(V\beta\)-terms \(=D\tilde V\tilde\beta\).
    Returns \(\Phi\), the matrix \(M_{nj}=(D\tilde V)_{nj}\tilde\beta_j\) of the forcing terms, and the eigenvalues."""
    A, B = closed_legs(N)
    d = [sp.sqrt(sp.Rational(2, 2 * n + 1)) for n in range(N)]
    At = [[_fraction(A[n, k] * d[k] / d[n]) for k in range(N)] for n in range(N)]
    Bt = [_fraction(B[n] / d[n]) for n in range(N)]
    lam = [At[j][j] for j in range(N)]
    V = _eigenvectors(At)
    W = _unit_lower_inverse(V)
    rho = Fraction(rho)
    Phi_t = [[sum((V[n][j] * rho ** int(lam[j]) * W[j][k] for j in range(N)), Fraction(0)) for k in range(N)]
             for n in range(N)]
    beta = [sum((W[j][k] * Bt[k] for k in range(N)), Fraction(0)) for j in range(N)]
    Phi = sp.ImmutableMatrix(N, N, lambda n, k: surd(Phi_t[n][k] / (2 * n + 1), 2 * n + 1, 2 * k + 1))
    M = sp.ImmutableMatrix(N, N, lambda n, j: surd(V[n][j] * beta[j] / (2 * n + 1), 2, 2 * n + 1))
    return Phi, M, [int(v) for v in lam]


def _legs_ode(sig: str, N: int = LEGS_N, T0=LEGS_T0, T1=LEGS_T1):
    c, _ = COEFFS[(sig, "legs")]
    F = FORCING[sig]
    T0, T1 = sp.Integer(T0), sp.Integer(T1)
    Phi, M, lam = _legs_flow(N, Fraction(int(T1), int(T0)))
    c0 = _column([c(k, T0) for k in range(N)])
    forcing = _column([F(lam[j], T0, T1) for j in range(N)])
    rhs = [a + b for a, b in zip(_matvec(Phi, c0), _matvec(M, forcing))]
    return Identity(_column([c(n, T1) for n in range(N)]), _column(rhs))


@claim("C7.ode",
       r"c'(T)=\frac1T\big(A^Sc(T)+B^Su(T)\big)\ \Rightarrow\ c(T_1)=V\Big[\Big(\tfrac{T_1}{T_0}\Big)^{\Lambda}V^{-1}c(T_0)"
       r"+\Big(\beta_j\!\int_{T_0}^{T_1}\!\Big(\tfrac{T_1}t\Big)^{\lambda_j}u(t)\tfrac{dt}t\Big)_j\Big],"
       r"\ A^S=V\Lambda V^{-1},\ \beta=V^{-1}B^S\quad(N=8,\ T_0=1,\ T_1=3)",
       hypotheses=(r"u=\sin2t+e^{-t/3}",), uses=("C7.legs-matrix", "C7.eigenvalues"), symbolic=False)
def legs_ode():
    r"""The ODE's solution is the projection: in \(\sigma=\ln t\) the system is constant-coefficient,
    \(dc/d\sigma=A^Sc+B^Su(e^\sigma)\), and variation of constants with \(A^S=V\Lambda V^{-1}\) (lower triangular,
    distinct eigenvalues, \(V\) by exact back-substitution from the closed form) solves it.  Left: \(c(3)\)
    by quadrature of the projection; right: that solution from \(c(1)\) (quadrature), with the \(N\) scalar
    forcing integrals by Gauss--Legendre quadrature.  No symbolic phase: the values are quadratures."""
    return _legs_ode("sinexp")


LEGS_TS = (sp.Rational(1, 2), 2, 5)


def _legs_residual(sig: str, T_, win: str = "legs", rate=1, N: int = LEGS_N, truncation: bool = False):
    r"""\(c'(T)\) by quadrature against \(\frac{\mathrm{rate}}T(A^Sc+B^Su(T))\) (minus a LegT-like truncation
    term if asked: N9), with the closed-form \(A^S,B^S\)."""
    c, dc = COEFFS[(sig, win)]
    u = SIGNALS[sig].expr
    T_ = sp.sympify(T_)
    A, B = closed_legs(N)
    cv = _column([c(k, T_) for k in range(N)])
    uT = u(T_)
    rhs = [rate * (a + B[n] * uT) / T_ for n, a in enumerate(_matvec(A, cv))]
    if truncation:
        gm = g_minus1(N)
        miss = u(sp.S.Zero) - sp.Add(*[gm[k] * cv[k] for k in range(N)])
        rhs = [r - 2 / T_ * gm[n] * miss for n, r in enumerate(rhs)]
    return Identity(_column([dc(n, T_) for n in range(N)]), _column(rhs))


@claim("C7.residual",
       r"\frac{d}{dT}\int_{-1}^1u\big(\tfrac{(s+1)T}2\big)g_n(s)\,ds=\frac1T\big(A^Sc(T)+B^Su(T)\big)_n"
       r"\quad(N=8,\ T\in\{\tfrac12,2,5\})",
       hypotheses=(r"u=\sin2t+e^{-t/3}\ \text{and}\ u=1-2t+3t^3+\tfrac17t^9",), uses=("C7.legs-matrix",),
       symbolic=False)
def legs_residual():
    r"""Residual route: \(c_n(T)\) and \(c_n'(T)=\int u'(t)\frac{s+1}2g_n\,ds\) (differentiated under the integral)
    by quadrature, against the post's right-hand side with the closed-form matrices, at three times for two
    inputs.  No symbolic phase: the coefficients are quadratures."""
    return _residual_family(_legs_residual, ("sinexp", "poly9"), LEGS_TS)


# === C8 rescalings =================================================================================

def _root(j):
    return sp.sqrt(2 * j + 1)


_NK = {n_: integers(0, 40), k_: integers(0, 40), w: positive(3)}


@claim("C8.similarity",
       r"c=\Lambda\tilde c,\ c'=Ac+Bu\ \Rightarrow\ \tilde c'=\Lambda^{-1}A\Lambda\,\tilde c+\Lambda^{-1}Bu,"
       r"\quad(\Lambda^{-1}A\Lambda)_{nk}=A_{nk}\lambda_k/\lambda_n",
       hypotheses=(r"\Lambda=\mathrm{diag}(\lambda_n),\ \lambda_n>0", r"N=3"))
def similarity():
    r"""Substitute and multiply by \(\Lambda^{-1}\) (LegS keeps its factor \(1/T\)); shown with symbolic
    \(3\times3\) \(A\), \(B\), \(\Lambda\): both sides of the transformed right-hand side agree, and the
    entries of \(\Lambda^{-1}A\Lambda\) are \(A_{nk}\lambda_k/\lambda_n\)."""
    N = 3
    lam = sp.symbols(f"lambda0:{N}", positive=True)
    A = sp.Matrix(N, N, sp.symbols(f"a0:{N * N}", real=True))
    B = sp.Matrix(sp.symbols(f"b0:{N}", real=True))
    ct = sp.Matrix(sp.symbols(f"ct0:{N}", real=True))
    u = sp.Symbol("u", real=True)
    L = sp.diag(*lam)
    lhs = sp.Matrix.vstack(L.inv() * (A * L * ct + B * u), sp.Matrix(L.inv() * A * L).reshape(N * N, 1))
    At = sp.Matrix(N, N, lambda i, j: A[i, j] * lam[j] / lam[i])
    rhs = sp.Matrix.vstack(At * ct + sp.Matrix([B[i] / lam[i] for i in range(N)]) * u, At.reshape(N * N, 1))
    free = lhs.free_symbols | rhs.free_symbols
    return Identity(lhs, rhs, {v: (positive(3) if v in lam else real(-2, 2)) for v in free})


@claim("C8a.paper-scaling",
       r"\lambda_n=\sqrt2:\quad\tilde A=A,\quad\tilde B^S_n=\sqrt{2n+1},\quad\tilde B^T_n=\frac{\sqrt{2n+1}}w",
       hypotheses=(r"n\ge0",), uses=("C8.similarity",))
def paper_scaling():
    r"""The paper's normalization: coefficients w.r.t. the uniform probability measure on the window
    (\(c^{\rm paper}=c/\sqrt2\)); only \(B\) changes."""
    lam = sp.sqrt(2)
    bs = sp.sqrt(2) * _root(n_)                    # B^S_n = sqrt(2(2n+1)); B^T_n = B^S_n / w
    lhs = sp.Matrix([_root(n_) * _root(k_) * lam / lam, bs / lam, bs / (w * lam)])
    return Identity(lhs, sp.Matrix([_root(n_) * _root(k_), _root(n_), _root(n_) / w]), _NK, points=3)


def _lam_b(j):
    return sp.sqrt(sp.Integer(2) / (2 * j + 1))


@claim("C8b.integer-scaling",
       r"\lambda_n=\sqrt{\tfrac2{2n+1}}:\ \tilde A^S_{nk}=-\begin{cases}2n+1&k<n\\n+1&k=n\end{cases},\ \tilde B^S_n=2n+1;"
       r"\ \tilde A^T_{nk}=-\frac{2n+1}w\begin{cases}1&k<n\\(-1)^{n-k}&k\ge n\end{cases},\ \tilde B^T_n=\frac{2n+1}w",
       hypotheses=(r"n,k\ge0",), uses=("C8.similarity",))
def integer_scaling():
    r"""Entrywise \(\tilde A_{nk}=A_{nk}\lambda_k/\lambda_n\), \(\tilde B_n=B_n/\lambda_n\), symbolic \(n,k\): the
    integer-valued form in which the derivation compares the \(N=32\) matrices (post: "LMU form")."""
    def r():
        return _lam_b(k_) / _lam_b(n_)
    ab = _root(n_) * _root(k_)
    lhs = sp.Matrix([-ab * r(), -(n_ + 1) * _lam_b(n_) / _lam_b(n_), -ab / w * r(), -ab / w * (-1) ** (n_ - k_) * r(),
                     sp.sqrt(2) * _root(n_) / _lam_b(n_), sp.sqrt(2) * _root(n_) / w / _lam_b(n_)])
    rhs = sp.Matrix([-(2 * n_ + 1), -(n_ + 1), -(2 * n_ + 1) / w, -(2 * n_ + 1) / w * (-1) ** (n_ - k_),
                     2 * n_ + 1, (2 * n_ + 1) / w])
    return Identity(lhs, rhs, _NK, points=3)


@claim("C8c.lmu-form",
       r"-A^P=D\tilde A^TD,\ B^P=D\tilde B^T,\quad A^P_{nk}=\frac{2n+1}\theta\begin{cases}(-1)^{n-k}&n\ge k\\1&n<k\end{cases},"
       r"\ B^P_n=\frac{(2n+1)(-1)^n}\theta,\ D=\mathrm{diag}((-1)^n),\ \theta=w",
       hypotheses=(r"n,k\ge0",), uses=("C8b.integer-scaling",))
def lmu_form():
    r"""The paper's/LMU LegT (\(c'=-A^Pc+B^Pu\)) is the integer form C8(b) with odd coefficients
    sign-flipped (time reversal \(s\to-s\)); entrywise for \(k<n\), \(k=n\), \(k>n\) and for \(B\)."""
    a = -(2 * n_ + 1) / w
    lhs = sp.Matrix([(-1) ** (n_ + k_) * a, (-1) ** (2 * n_) * a, (-1) ** (n_ + k_) * a * (-1) ** (n_ - k_),
                     (-1) ** n_ * (2 * n_ + 1) / w])
    rhs = sp.Matrix([-(2 * n_ + 1) / w * (-1) ** (n_ - k_), -(2 * n_ + 1) / w, -(2 * n_ + 1) / w,
                     (2 * n_ + 1) * (-1) ** n_ / w])
    return Identity(lhs, rhs, _NK, points=3)


# === C9 code conventions ===========================================================================

@claim("C9.legs-code",
       r"\texttt{transition('legs',N)}:\ A=T M T^{-1},\ M_{nk}=-\begin{cases}2k+1&n>k\\n+1&n=k\end{cases},\ T=\mathrm{diag}(\sqrt{2n+1})"
       r"\ \Rightarrow\ A=A^S,\ B_n=\sqrt{2n+1}=B^S_n/\sqrt2",
       hypotheses=(r"n,k\ge0",), uses=("C7.legs-matrix", "C8a.paper-scaling"))
def legs_code():
    r"""state-spaces/s4 ``transition('legs', N)`` (same in every version seen) is \(A^S\) with the minus
    sign inside and the paper's \(B\) (C8(a)); entrywise for symbolic \(n,k\).  :func:`~derivations.hippo.
    legendre.legs_matrices` returns exactly this pair (tests compare it with a float64 re-typing of the code)."""
    M_low, M_diag = -(2 * k_ + 1), -(2 * n_ + 1) + n_
    lhs = sp.Matrix([_root(n_) * M_low / _root(k_), M_diag, _root(n_)])
    rhs = sp.Matrix([-sp.sqrt((2 * n_ + 1) * (2 * k_ + 1)), -(n_ + 1), sp.sqrt(2 * (2 * n_ + 1)) / sp.sqrt(2)])
    return Identity(lhs, rhs, _NK, points=3)


@claim("C9.legt-code",
       r"\texttt{transition('legt',N)}=\big(A^T,B^T\big)\big/\sqrt2\big|_{w=2}\ \text{(s4 bfd9eb13, halved)},"
       r"\ \big|_{w=1}\ \text{(s4 137e49d6, hippo-code)}",
       hypotheses=(r"n,k\ge0",), uses=("C6.legt-matrix", "C8a.paper-scaling"))
def legt_code():
    r"""Code: \(A_{nk}=-\sqrt{(2n+1)(2k+1)}\{(-1)^{n-k}\ (n<k);\ 1\ (n\ge k)\}\), \(B_n=\sqrt{2n+1}\), times
    \(\frac12\) in the halved version: C8(a) LegT with \(w=2\) (halved) or \(w=1\); entrywise, cases
    \(k<n\), \(k=n\), \(k>n\) and \(B\)."""
    ab = _root(n_) * _root(k_)
    rows_l, rows_r = [], []
    for ww, f in ((2, sp.Rational(1, 2)), (1, 1)):
        rows_l += [-f * ab, -f * (2 * n_ + 1), -f * ab * (-1) ** (n_ - k_), f * _root(n_)]
        rows_r += [-ab / ww, -(2 * n_ + 1) / ww, -ab / ww * (-1) ** (n_ - k_),
                   sp.sqrt(2 * (2 * n_ + 1)) / ww / sp.sqrt(2)]
    return Identity(sp.Matrix(rows_l), sp.Matrix(rows_r), _NK, points=3)


@claim("C9.lmu-code",
       r"\texttt{transition('lmu',N)}:\ A_{nk}=(2n+1)\begin{cases}-1&n<k\\(-1)^{n-k+1}&n\ge k\end{cases},\ B_n=(-1)^n(2n+1)"
       r"\ =\ \big(D\tilde A^TD,\ D\tilde B^T\big)\big|_{w=1}=(-A^P,B^P)\big|_{\theta=1}",
       hypotheses=(r"n,k\ge0",), uses=("C8c.lmu-form",))
def lmu_code():
    r"""The LMU matrices in the code are C8(c) with \(\theta=1\), sign included; entrywise against
    \(D\tilde A^TD\) from the integer form C8(b)."""
    a = -(2 * n_ + 1)
    lhs = sp.Matrix([(2 * n_ + 1) * (-1) ** (n_ - k_ + 1), -(2 * n_ + 1), -(2 * n_ + 1),
                     (-1) ** n_ * (2 * n_ + 1)])
    rhs = sp.Matrix([(-1) ** (n_ + k_) * a, (-1) ** (2 * n_) * a, (-1) ** (n_ + k_) * a * (-1) ** (n_ - k_),
                     (-1) ** n_ * (2 * n_ + 1)])
    return Identity(lhs, rhs, _NK, points=3)


# === C10 normal plus low rank ======================================================================

@claim("C10.normal-plus-low-rank",
       r"A^S+PP^\top=-\tfrac12I+S,\ S^\top=-S,\quad P_n=\sqrt{n+\tfrac12}",
       hypotheses=(r"n,k\ge0",), uses=("C7.legs-matrix",))
def nplr():
    r"""S4's split: with \(M=A^S+PP^\top\), \(M_{nk}+M_{kn}=0\) for \(k<n\) (\(-\sqrt{(2n+1)(2k+1)}+2\sqrt{(n+\frac12)(k+\frac12)}\))
    and \(2M_{nn}=-2(n+1)+2(n+\frac12)=-1\): the symmetric part of \(M\) is \(-\frac12I\)."""
    def P(j):
        return sp.sqrt(j + sp.Rational(1, 2))
    lower = -_root(n_) * _root(k_) + P(n_) * P(k_)
    upper = P(k_) * P(n_)
    return Identity(sp.Matrix([lower + upper, 2 * (-(n_ + 1) + P(n_) ** 2)]), sp.Matrix([0, -1]), _NK, points=3)


# === C11: the square-root map (the spec's X1) =====================================================

POLY_X1 = (1, -2, 0, 3, 0, 0, 0, Fraction(1, 5))


@claim("C11.polynomial-exact",
       r"t=T\sqrt{\tfrac{s+1}2},\ u(t)=1-2t+3t^3+\tfrac15t^7,\ N=6:\quad T\,c'(T)=2\big(A^Sc(T)+B^Su(T)\big)\ \text{exactly}",
       uses=("C2.window-ratios", "C7.legs-matrix"))
def x1_polynomial():
    r"""\(r=2(s+1)/T\) is twice LegS's, so every LegS step doubles.  Exact for polynomial input: the
    coefficients \(\int((s+1)/2)^{m/2}P_n\) are rational (\(s=2\sigma^2-1\)), \(c(T)\) is a polynomial in \(T\)."""
    N = 6
    c = exact_projection("sqrt", POLY_X1, N)
    A, B = closed_legs(N)
    return Identity(T * c.diff(T), 2 * (A * c + B * poly_u(POLY_X1, T)), {T: positive(4)}, points=2)


@claim("C11.sqrt-map",
       r"t=T\sqrt{\tfrac{s+1}2}:\quad c'(T)=\frac2T\big(A^Sc(T)+B^Su(T)\big)\quad(N=6,\ T\in\{1,3\})",
       hypotheses=(r"u=\sin2t+e^{-t/3}\ \text{and}\ u=1-2t+\tfrac12t^3",), uses=("C11.polynomial-exact",),
       symbolic=False)
def x1_sqrt_map():
    r"""The post's third example map (denser near \(T\)) gives LegS at doubled rate; residual route, the
    coefficients by quadrature in \(\sigma=\sqrt{(s+1)/2}\) (not derived in the post).  No symbolic phase:
    the coefficients are quadratures."""
    return _residual_family(lambda sig, t: _legs_residual(sig, t, "sqrt", 2, 6), ("sinexp", "poly3"), (1, 3))


# === negative controls =============================================================================

@control("N1.mixed-normalization",
         r"\text{Su's }c\text{ with the paper's }B_n=\sqrt{2n+1}:\ u\equiv1\Rightarrow T\,c'=A^Sc+B^{P}u",
         hypotheses=(r"N=6",))
def mixed_normalization():
    r"""Wrong: mixing conventions (P1).  For \(u\equiv1\) the true \(c=(\sqrt2,0,\dots)\) is constant, but
    \(A^Sc+B^P=(1-\sqrt2)(1,\sqrt3,\sqrt5,\dots)\ne0\)."""
    N = 6
    c = exact_projection("legs", (1,), N)
    A, _ = closed_legs(N)
    _, Bp = closed_legs(N, b=1)
    return Identity(T * c.diff(T), A * c + Bp, {T: positive(4)})


@control("N2.legs-diagonal-n", r"A^S_{nn}=-n\ \text{instead of}\ -(n+1):\ u\equiv1\Rightarrow T\,c'=A'c+B^Su",
         hypotheses=(r"N=6",))
def legs_diagonal_n():
    r"""Wrong diagonal (dropping the \(g_n\) term of \(\partial_s[(s+1)g_n]\)): for \(u\equiv1\) the variant
    gives \(c_0'=\sqrt2/T\ne0\)."""
    N = 6
    c = exact_projection("legs", (1,), N)
    A, B = closed_legs(N)
    return Identity(T * c.diff(T), (A + sp.eye(N)) * c + B, {T: positive(4)})


@control("N3.legt-sign-transposed",
         r"A'_{nk}=-\sqrt{(2n+1)(2k+1)}\begin{cases}(-1)^{n-k}&k<n\\1&k\ge n\end{cases}:\ u\equiv1,\ w=1\Rightarrow c'=A'c+B^Tu",
         hypotheses=(r"N=5",))
def legt_sign_transposed():
    r"""Sign pattern on the wrong side of the diagonal: for \(u\equiv1\) (where C6 is exact and \(c'=0\))
    the right-hand side is \((0,2\sqrt6,0,2\sqrt{14},0)=(0,4.899,0,7.483,0)\)."""
    N = 5
    c = exact_projection("legt", (1,), N, w_value=1)
    A = sp.Matrix(N, N, lambda n, k: -sp.sqrt((2 * n + 1) * (2 * k + 1)) * (_sign(n - k) if k < n else 1))
    _, B = closed_legt(N, 1)
    return Identity(c.diff(T), A * c + B, {T: real(2, 5)})


@control("N4.legt-boundary-no-sign",
         r"c_n'=\frac{\sqrt{2(2n+1)}}w\big[u(T)-u(T-w)\big]-\frac2w\sum_{k<n,\,n-k\ \mathrm{odd}}\sqrt{(2n+1)(2k+1)}c_k\ \ (u\equiv1,\ w=1)",
         hypotheses=(r"N=5",))
def legt_boundary_no_sign():
    r"""C5 with \(P_n(-1)=1\) instead of \((-1)^n\): for \(u\equiv1\) the right-hand side is
    \((0,-2\sqrt6,0,-2\sqrt{14},0)\) instead of 0.  (LegS never uses \(P_n(-1)\).)"""
    N = 5
    c = exact_projection("legt", (1,), N, w_value=1)
    rhs = sp.Matrix([-2 * sum(sp.sqrt((2 * n + 1) * (2 * k + 1)) * c[k] for k in range(n) if (n - k) % 2)
                     for n in range(N)])
    return Identity(c.diff(T), rhs, {T: real(2, 5)})


@control("N6.legt-exact-for-all-u",
         r"\text{LegT ODE exact for every smooth }u:\ u=t^6,\ N=6,\ w=1\Rightarrow c'(T)=A^Tc+B^Tu(T)",
         hypotheses=(r"N=6",))
def legt_exact_for_all_u():
    r"""False: the closure misses \(c_Ng_N(-1)\), nonzero for any \(u\) of degree exactly \(N\); for
    \(u=t^6\) the residual \(-2g(-1)c_6g_6(-1)\) is a nonzero constant vector (exact)."""
    N = 6
    c = exact_projection("legt", (0, 0, 0, 0, 0, 0, 1), N, w_value=1)
    A, B = closed_legt(N, 1)
    return Identity(c.diff(T), A * c + B * T ** 6, {T: real(2, 5)})


@control("N8.unnormalized-closure",
         r"h_n=\sqrt{2n+1}P_n,\ d_n=\langle u,h_n\rangle,\ u(T-w)\approx\sum_kd_kh_k(-1)\ (\text{no }\tfrac12):\ u\equiv1\Rightarrow d'=\text{closure RHS}",
         hypotheses=(r"N=5,\ w=1",))
def unnormalized_closure():
    r"""With \(\int h_n^2=2\) the reconstruction needs the factor \(\frac12\); without it, for \(u\equiv1\)
    the closed right-hand side is \((-2,2\sqrt3,-2\sqrt5,2\sqrt7,-6)\) instead of \(d'=0\)."""
    N = 5
    d = sp.sqrt(2) * exact_projection("legt", (1,), N, w_value=1)

    def h(n, sgn):
        return sgn ** n * sp.sqrt(2 * n + 1)
    u_left = sum(d[k] * h(k, -1) for k in range(N))
    rhs = sp.Matrix([2 * (h(n, 1) - u_left * h(n, -1))
                     - 2 * sum(sp.sqrt((2 * n + 1) * (2 * k + 1)) * d[k] for k in range(n) if (n - k) % 2)
                     for n in range(N)])
    return Identity(d.diff(T), rhs, {T: real(2, 5)})


@control("N9.legs-truncation-term",
         r"c'-\tfrac1T(A^Sc+B^Su)=-\tfrac2Tg(-1)\Big[u(0)-\sum_{k<N}c_kg_k(-1)\Big]\ \ (\text{LegS needs the closure})",
         hypotheses=(r"u=\sin2t+e^{-t/3},\ N=8,\ T=2",), symbolic=False)
def legs_truncation_term():
    r"""False: LegS's lower boundary weight is \(r(-1)=0\), so no \(u(0)\) term and no truncation; the
    true \(c'\) (quadrature) matches C7 to 50 digits and misses this extra term.  Same path as C7.residual."""
    return _legs_residual("sinexp", 2, truncation=True)


# === errata ========================================================================================

@claim("E1.post-lambda-scaling",
       r"\lambda_n=\frac2{\sqrt{2n+1}}\ \Rightarrow\ w\tilde B^T_n=wB^T_n/\lambda_n=2n+1\quad(n=0,\dots,4)",
       hypotheses=(r"w>0",))
def post_lambda_scaling():
    r"""The post's printed LegT rescaling (spec N5, P7), checked on \(n=0..4\): it actually gives
    \((2n+1)/(\sqrt2w)\) (\(\tilde A\) is the same for any \(\lambda_n\propto(2n+1)^{-1/2}\))."""
    lhs = sp.Matrix([w * (sp.sqrt(2 * (2 * n + 1)) / w) / (2 / sp.sqrt(2 * n + 1)) for n in range(5)])
    return Identity(lhs, sp.Matrix([2 * n + 1 for n in range(5)]), {w: positive(3)})


@claim("E1.corrected-lambda-scaling",
       r"\lambda_n=\sqrt{\tfrac2{2n+1}}\ \Rightarrow\ \tilde B^T_n=B^T_n/\lambda_n=\frac{2n+1}w",
       hypotheses=(r"n\ge0,\ w>0",), uses=("C8b.integer-scaling",))
def corrected_lambda_scaling():
    r"""The consistent choice (C8(b))."""
    return Identity(sp.sqrt(2 * (2 * n_ + 1)) / w / _lam_b(n_), (2 * n_ + 1) / w, {n_: integers(0, 20), w: positive(3)})


def _poly_inner_P(u_coeffs, n: int) -> Fraction:
    r"""\(\int_{-1}^1u\,P_n\,ds\) for \(u=\sum_ju_js^j\)."""
    return sum((Fraction(cj) * pmoment(n, j) for j, cj in enumerate(u_coeffs)), Fraction(0))


def _poly_norm2(u_coeffs) -> Fraction:
    r"""\(\|u\|^2=\int_{-1}^1u^2\,ds\)."""
    from derivations.hippo.legendre import moment
    return sum((Fraction(ci) * Fraction(cj) * moment(i + j) for i, ci in enumerate(u_coeffs)
                for j, cj in enumerate(u_coeffs)), Fraction(0))


def _least_squares_min(u_coeffs, index_set, N):
    r"""\(\min_c\|u-\sum_{n\in I}c_ng_n\|^2=\|u\|^2-a_I^\top G_{II}^{-1}a_I\) (normal equations, exact), \(u\) a
    polynomial in \(s\) on \([-1,1]\), \(a_n=\langle u,g_n\rangle\)."""
    a = sp.Matrix([surd(Fraction(1, 2), 2 * (2 * n + 1)) * sp.Rational(_poly_inner_P(u_coeffs, n)) for n in index_set])
    G = gram_g(N).extract(list(index_set), list(index_set))
    return sp.expand(sp.Rational(_poly_norm2(u_coeffs)) - (a.T * G.inv() * a)[0, 0])


U_E2 = (1, 0, 0, 0, 0, 0, 1)  # u(s) = 1 + s^6


@claim("E2.post-argmin",
       r"\min_{c_1,\dots,c_N}\Big\|u-\sum_{n=1}^{N}c_ng_n\Big\|^2=\min_{c_0,\dots,c_N}\Big\|u-\sum_{n=0}^{N}c_ng_n\Big\|^2"
       r"\quad(u=1+s^6,\ N=4)")
def post_argmin():
    r"""The post's "argmin over \(c_1..c_N\)": leaving \(c_0\) out loses \(\langle u,g_0\rangle^2=(\int u)^2/2\)."""
    N = 5
    return Identity(_least_squares_min(U_E2, range(1, N), N), _least_squares_min(U_E2, range(N), N))


@claim("E2.corrected-argmin",
       r"\min_{c_0,\dots,c_N}\Big\|u-\sum_{n=0}^{N}c_ng_n\Big\|^2=\|u\|^2-\sum_{n=0}^N\langle u,g_n\rangle^2\quad(u=1+s^6,\ N=4)",
       uses=("C1.projection",))
def corrected_argmin():
    r"""Minimising over all coefficients including \(c_0\) (normal equations, exact) gives the projection error."""
    N = 5
    a2 = sum(Fraction(2 * n + 1, 2) * _poly_inner_P(U_E2, n) ** 2 for n in range(N))   # sum_n <u, g_n>^2
    return Identity(_least_squares_min(U_E2, range(N), N), sp.Rational(_poly_norm2(U_E2) - a2))


_kk = sp.Symbol("k", integer=True, positive=True)


PairedTail = quantity("PairedTail", evaluator=nm.paired_tail,
                      how="sum_{k>=1} 2/(1+4 pi^2 k^2) by its zeta series (geometric convergence)")


def _fourier_closure(limit):
    r"""\(c_k=\int_0^1e^se^{-2\pi iks}ds=\frac{e-1}{1-2\pi ik}\) (\(u=e^t\), \(w=T=1\)); pairing \(\pm k\),
    \(c_k+c_{-k}=\frac{2(e-1)}{1+4\pi^2k^2}\), so \(\lim_N\sum_{|k|\le N}c_k=(e-1)\big[1+S\big]\) with
    \(S=\sum_{k\ge1}\frac2{1+4\pi^2k^2}\) (the quantity ``PairedTail``, summed by its \(\zeta\) series), stated equal to
    ``limit``."""
    ck = (sp.E - 1) / (1 - 2 * sp.pi * sp.I * _kk)
    cmk = (sp.E - 1) / (1 + 2 * sp.pi * sp.I * _kk)
    pairing = Identity(ck + cmk, 2 * (sp.E - 1) / (1 + 4 * sp.pi ** 2 * _kk ** 2), {_kk: integers(1, 40)})
    total = (sp.E - 1) * (1 + PairedTail())
    return All((pairing, Identity(total, limit)), ("pairing", "limit"))


@claim("E3.post-fourier-closure",
       r"\lim_{N\to\infty}\sum_{|k|\le N}c_k=u(T-w)\quad(u=e^t,\ w=T=1:\ c_k=\tfrac{e-1}{1-2\pi ik})")
def post_fourier_closure():
    r"""The post's Fourier closure (C4, spec N7/P6).  \(\sum_{|k|\le N}c_k\) is 1.850857 at \(N=10\); its limit is
    \((1+e)/2=1.8591409\), not \(u(0)=1\)."""
    return _fourier_closure(sp.Integer(1))


@claim("E3.corrected-fourier-midpoint",
       r"\lim_{N\to\infty}\sum_{|k|\le N}c_k=\tfrac12\big[u(T-w)+u(T)\big]=\tfrac{1+e}2\quad(u=e^t,\ w=T=1)")
def corrected_fourier_midpoint():
    r"""The symmetric partial sum at \(s=0\) converges to the midpoint of the periodic extension's jump
    (\(\sum_{k\ge1}\frac1{k^2+a^2}=\frac{\pi a\coth\pi a-1}{2a^2}\) with \(a=\frac1{2\pi}\)), so the post's Fourier ODE
    is biased even as \(N\to\infty\); the Legendre series has no such problem at the endpoints for smooth \(u\).
    The pairing is proved; the limit is checked at 50 digits, the tail \(S\) summed by its \(\zeta\) series
    (SymPy's own summation, to \(\frac1{2\tanh(1/2)}-1\), takes about 2 s)."""
    return _fourier_closure((1 + sp.E) / 2)


CLAIMS = (projection_claim, master_formula, window_ratios, generating_function, orthogonality, endpoints,
          derivative_recurrence, xp_recurrence, derivative_expansion, legs_expansion, finite_check, fourier,
          fourier_quadrature, legt_exact, legt_residual, legt_matrix, legt_closure_residual, parity, legt_polynomial,
          legs_matrix, legs_eigenvalues, legs_polynomial, legs_ode, legs_residual, similarity, paper_scaling,
          integer_scaling, lmu_form, legs_code, legt_code, lmu_code, nplr, x1_polynomial, x1_sqrt_map)
CONTROLS = (mixed_normalization, legs_diagonal_n, legt_sign_transposed, legt_boundary_no_sign, legt_exact_for_all_u,
            unnormalized_closure, legs_truncation_term)
ERRATA = (
    Erratum("E1.lambda-scaling", post_says=post_lambda_scaling, correct=corrected_lambda_scaling,
            note="The post prints lambda_n = 2/sqrt(2n+1) for the LegT rescaling (spec N5/P7); with it "
                 "B becomes (2n+1)/(sqrt(2) w). The integer ('LMU') form needs lambda_n = sqrt(2/(2n+1)). "
                 "Also: the post's LegS rescaling paragraph cites the LegT equation."),
    Erratum("E2.argmin-includes-c0", post_says=post_argmin, correct=corrected_argmin,
            note="The post writes the optimisation as an argmin over c_1..c_N; the state is (c_0..c_N) "
                 "and dropping c_0 loses <u,g_0>^2 = (int u)^2/2 of the fit."),
    Erratum("E3.fourier-closure-biased", post_says=post_fourier_closure, correct=corrected_fourier_midpoint,
            note="Fourier warm-up (spec N7/P6): the symmetric partial sum at s=0 tends to [u(T-w)+u(T)]/2, "
                 "so replacing u(T-w) by sum_{|k|<=N} c_k biases the Fourier ODE for every N."),
)


# === derived results (``python cli.py latex hippo``) ===============================================

def results() -> list:
    """General entries and the explicit \\(N=4\\) matrices, printed from the derived objects."""
    N = 4
    As, Bs = legs_su(N)
    Ac, Bc = legs_matrices(N)
    At, Bt = legt_su(N, w)
    d = derived_integer_matrices(5)
    lat = sp.latex
    return [
        ("LegS, general (C7, Su normalization)",
         r"A^S_{nk}&=-\begin{cases}\sqrt{(2n+1)(2k+1)}&k<n\\n+1&k=n\\0&k>n\end{cases},"
         r"\qquad B^S_n=\sqrt{2(2n+1)},\qquad c'(T)=\tfrac1T\big(A^Sc+B^Su\big)"),
        ("LegT, general (C6, Su normalization)",
         r"A^T_{nk}&=-\frac{\sqrt{(2n+1)(2k+1)}}{w}\begin{cases}1&k<n\\(-1)^{n-k}&k\ge n\end{cases},"
         r"\qquad B^T_n=\frac{\sqrt{2(2n+1)}}{w},\qquad c'(T)=A^Tc+B^Tu"),
        ("LegS, N = 4, derived (Su)", f"A^S&={lat(As)},\\\\ B^S&={lat(Bs)}"),
        ("LegS, N = 4, derived, transition('legs', 4) convention",
         f"A&={lat(Ac)},\\\\ B&={lat(Bc)}"),
        ("LegT, N = 4, derived (Su)", f"A^T&={lat(At)},\\\\ B^T&={lat(Bt)}"),
        ("Integer forms C8(b), N = 5, derived",
         f"\\tilde A^S&={lat(sp.Matrix(d['legs_A']))},\\quad \\tilde B^S={lat(sp.Matrix(d['legs_B']))},\\\\ "
         f"w\\tilde A^T&={lat(sp.Matrix(d['legt_A']))},\\quad w\\tilde B^T={lat(sp.Matrix(d['legt_B']))}"),
    ]


