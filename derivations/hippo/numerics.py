"""Numerics of the HiPPO derivation: quadrature, projections, ODE solutions, float64 builds.

* :func:`gauss_legendre`: Gauss--Legendre nodes and weights at any precision (Newton's method
  in fixed-point integer arithmetic, seeded by numpy's float nodes: about 10x faster than
  mpmath's own rule, which matters because every claim runs in a fresh process).
* :func:`projection`: the coefficients \\(c_n(T)=\\int_{-1}^1u(t_{\\le T}(s))g_n(s)\\,ds\\) and
  their \\(T\\)-derivatives (differentiated under the integral) by quadrature, for the LegS, LegT
  and square-root window maps; :func:`fourier_projection` for the Fourier warm-up.
* :func:`forcing_integral`: \\(\\int_{T_0}^{T_1}(T_1/t)^{\\lambda}u(t)\\,dt/t\\), the forcing term of variation of
  constants for the LegS ODE (C7.ode);
* :func:`legs_ode`: the LegS ODE \\(c'=\\frac1t(Ac+Bu)\\) solved from \\(T_0\\) to \\(T_1\\) by
  variation of constants in \\(s=\\ln t\\) (constant coefficients there), with \\(A\\) diagonalised
  by back-substitution (it is lower triangular with distinct diagonal); used by the tests and
  benchmarks (the claim C7.ode states the same formula with the closed-form matrices).
* :func:`lti_ode`: \\(c'=Ac+Bu\\) for inputs that solve a linear ODE themselves (polynomials,
  \\(\\sin2t+e^{-t/3}\\)) by the matrix exponential of the augmented system (used for LegT;
  slow at high precision, not on the default path).
* :func:`float_legs_matrices`, :func:`float_legt_matrices`: an independent float64
  construction of the matrices by numpy Gauss--Legendre quadrature; :func:`transition_float`: a
  float64 re-typing of the state-spaces ``transition`` code;
* :func:`fourier_partial_sum`, :func:`paired_tail`: the symmetric partial sums of the Fourier warm-up's
  closure and the tail of their limit.

The number of quadrature nodes grows with the working precision (:func:`nodes_for`), so the
engine's two-precision rule also detects an unresolved quadrature: two runs with different node
counts agree only when both have converged.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Callable

import mpmath
import numpy as np
import sympy as sp
from numpy.polynomial import legendre as L


# --- quadrature -------------------------------------------------------------------------------

def nodes_for(dps: int) -> int:
    """Gauss--Legendre node count used at ``dps`` digits: exact for polynomials of degree
    \\(< 2m\\), and for an entire integrand of frequency \\(\\omega\\le5\\) on \\([-1,1]\\) the error
    \\(\\approx\\omega^{2m}/(2m)!\\) is far below \\(10^{-\\mathrm{dps}}\\)."""
    m = dps // 2 + 16
    return m + (m % 2)


def _fixed_prec(dps: int) -> int:
    """Bits of the fixed-point arithmetic used at ``dps`` digits (40 guard bits)."""
    return int(dps * 3.33) + 40


@lru_cache(maxsize=16)
def gauss_legendre(m: int, dps: int) -> tuple[tuple, tuple]:
    """Nodes and weights of the ``m``-point (``m`` even) Gauss--Legendre rule on \\([-1,1]\\),
    accurate to ``dps`` digits, as mpf tuples (nodes ascending)."""
    if m % 2:
        raise ValueError("m must be even")
    prec = _fixed_prec(dps)
    one = 1 << prec
    seeds, _ = L.leggauss(m)
    half = []
    for x0 in seeds[m // 2:]:
        x = int(round(float(x0) * 2.0 ** 60)) << (prec - 60)
        for _ in range(60):
            p0, p1 = one, x
            for k in range(1, m):
                p0, p1 = p1, ((2 * k + 1) * ((x * p1) >> prec) - k * p0) // (k + 1)
            dp = ((m * (((x * p1) >> prec) - p0)) << prec) // (((x * x) >> prec) - one)
            dx = (p1 << prec) // dp
            x -= dx
            if abs(dx) < 1 << 16:
                break
        else:
            raise ArithmeticError("Gauss-Legendre Newton iteration did not converge")
        half.append((x, dp))
    with mpmath.workprec(prec):  # negation rounds to the context precision: stay inside
        xs = [mpmath.mpf(x) / one for x, _ in half]
        ws = [2 / ((1 - x * x) * (mpmath.mpf(dp) / one) ** 2) for x, (_, dp) in zip(xs, half)]
        nodes = tuple([-x for x in reversed(xs)] + xs)
    return nodes, tuple(list(reversed(ws)) + ws)


def _rule(a, b, dps):
    """Gauss--Legendre nodes and weights on \\([a,b]\\), mapped at the rule's own precision."""
    xs, ws = gauss_legendre(nodes_for(dps), dps)
    with mpmath.workprec(_fixed_prec(dps) + 20):
        a, b = mpmath.mpf(a), mpmath.mpf(b)
        h, c = (b - a) / 2, (b + a) / 2
        return [c + h * x for x in xs], [h * w for w in ws]


def orthonormal_legendre(s, N: int) -> list:
    """\\(g_0(s),\\dots,g_{N-1}(s)\\) with \\(g_n=\\sqrt{(2n+1)/2}\\,P_n\\) (Bonnet's recurrence)."""
    p = [mpmath.mpf(1), s]
    for k in range(1, N - 1):
        p.append(((2 * k + 1) * s * p[k] - k * p[k - 1]) / (k + 1))
    return [mpmath.sqrt(mpmath.mpf(2 * n + 1) / 2) * p[n] for n in range(N)]


# --- signals and window maps --------------------------------------------------------------------

@dataclass(frozen=True)
class Signal:
    """An input \\(u(t)\\) with its derivative (mpmath) and ``expr(t)``, the same \\(u\\) as a SymPy
    expression (for statements); ``coeffs`` (ascending, exact) when \\(u\\) is a polynomial;
    ``lti = (G, h, y)`` when \\(u=h\\cdot y\\) with \\(y'=Gy\\) (\\(G\\) constant, ``y(t)`` the state),
    which lets :func:`lti_ode` integrate \\(c'=Ac+Bu\\) exactly by one matrix exponential."""

    name: str
    u: Callable
    du: Callable
    expr: Callable
    coeffs: tuple | None = None
    lti: tuple | None = None


def sin_exp() -> Signal:
    """The spec's test input \\(u(t)=\\sin 2t+e^{-t/3}\\) (\\(y=(\\sin2t,\\cos2t,e^{-t/3})\\))."""
    G = ((0, 2, 0), (-2, 0, 0), (0, 0, Fraction(-1, 3)))
    return Signal("sin(2t)+exp(-t/3)",
                  lambda t: mpmath.sin(2 * t) + mpmath.exp(-t / 3),
                  lambda t: 2 * mpmath.cos(2 * t) - mpmath.exp(-t / 3) / 3,
                  lambda t: sp.sin(2 * t) + sp.exp(-t / 3),
                  lti=(G, (1, 0, 1), lambda t: [mpmath.sin(2 * t), mpmath.cos(2 * t), mpmath.exp(-t / 3)]))


def _mpq(c: Fraction):
    return mpmath.mpf(c.numerator) / c.denominator


def _horner(coeffs: tuple):
    r"""\(t\mapsto\sum_ja_jt^j\) for exact rational ``coeffs``: Horner's rule on the integer numerators over
    one common denominator (one mpf division per evaluation, no conversion of Fractions)."""
    den = math.lcm(*(c.denominator for c in coeffs)) if coeffs else 1
    ints = [int(c * den) for c in reversed(coeffs)]

    def ev(t):
        acc = mpmath.mpf(0)
        for a in ints:
            acc = acc * t + a
        return acc / den
    return ev


def polynomial(coeffs) -> Signal:
    """\\(u(t)=\\sum_ja_jt^j\\) with exact rational ``coeffs`` (ascending); \\(y=(u,u',\\dots,u^{(d)})\\)."""
    cs = tuple(Fraction(c) for c in coeffs)
    derivs = [cs]
    while len(derivs[-1]) > 1:
        derivs.append(tuple(c * j for j, c in enumerate(derivs[-1]))[1:])
    evals = [_horner(c) for c in derivs]
    d = len(derivs)
    G = tuple(tuple(1 if j == i + 1 else 0 for j in range(d)) for i in range(d))
    name = " + ".join(f"{c}*t^{j}" for j, c in enumerate(cs) if c) or "0"
    return Signal(name, evals[0], evals[1] if d > 1 else _horner((Fraction(0),)),
                  lambda t: sum(sp.Rational(a.numerator, a.denominator) * t ** j for j, a in enumerate(cs)), cs,
                  lti=(G, (1,) + (0,) * (d - 1), lambda t: [ev(t) for ev in evals]))


@dataclass(frozen=True)
class Window:
    """A time map \\(s\\mapsto t_{\\le T}(s)\\) from \\([-1,1]\\):

    * ``legs``: \\(t=(s+1)T/2\\) (whole history \\([0,T]\\));
    * ``legt``: \\(t=(s+1)w/2+T-w\\) (sliding window \\([T-w,T]\\));
    * ``sqrt``: \\(t=T\\sqrt{(s+1)/2}\\) (the post's third example, X1); quadrature in
      \\(\\sigma=\\sqrt{(s+1)/2}\\) (\\(ds=4\\sigma\\,d\\sigma\\)) removes the endpoint square root.
    """

    kind: str
    w: object = None

    def rule(self, dps):
        """Quadrature ``(s, y, weight)`` for \\(\\int_{-1}^1\\cdot\\,ds\\), ``y`` the variable the time
        map is written in (\\(s\\), or \\(\\sigma\\) for ``sqrt``)."""
        if self.kind == "sqrt":
            sig, wts = _rule(0, 1, dps)
            with mpmath.workprec(_fixed_prec(dps) + 20):
                return [(2 * y * y - 1, y, 4 * y * wt) for y, wt in zip(sig, wts)]
        if self.kind not in ("legs", "legt"):
            raise ValueError(f"unknown window {self.kind!r}")
        ss, wts = _rule(-1, 1, dps)
        return [(y, y, wt) for y, wt in zip(ss, wts)]

    def time(self, y, T):
        """\\(t\\) and \\(\\partial_Tt\\) at the quadrature variable ``y``."""
        if self.kind == "legs":
            return (y + 1) * T / 2, (y + 1) / 2
        if self.kind == "legt":
            w = mpmath.mpf(self.w)
            return (y + 1) * w / 2 + T - w, mpmath.mpf(1)
        return T * y, y


LEGS = Window("legs")


@lru_cache(maxsize=32)
def _legendre_table(kind: str, N: int, dps: int) -> tuple:
    """\\(g_n(s_i)\\) at the quadrature nodes of ``kind``, as fixed-point integers (scale
    \\(2^p\\)): Bonnet's recurrence in integer arithmetic, ~30x cheaper than mpf."""
    p = _fixed_prec(dps)
    one = 1 << p
    with mpmath.workprec(p + 20):
        nodes = Window(kind, 1).rule(dps)
        S = [mpmath.libmp.to_fixed(mpmath.mpf(sv)._mpf_, p) for sv, _, _ in nodes]
        norms = [mpmath.libmp.to_fixed(mpmath.sqrt(mpmath.mpf(2 * n + 1) / 2)._mpf_, p) for n in range(N)]
    rows = [[one] * len(S), list(S)]
    for k in range(1, N - 1):
        rows.append([((2 * k + 1) * ((x * a) >> p) - k * b) // (k + 1) for x, a, b in zip(S, rows[k], rows[k - 1])])
    return tuple(tuple((norms[n] * v) >> p for v in rows[n]) for n in range(N))


def projection(signal: Signal, window: Window, T, N: int, dps: int, derivative: bool = True):
    """\\((c_n(T))_{n<N}\\) and, if asked, \\((c_n'(T))_{n<N}\\) with
    \\(c_n'(T)=\\int_{-1}^1u'(t)\\,\\partial_Tt\\,g_n(s)\\,ds\\), by Gauss--Legendre quadrature at
    ``dps`` digits (Su's normalization: Lebesgue measure on \\([-1,1]\\)).  The signal is
    evaluated in mpmath; the sums over nodes run in fixed-point integers."""
    p = _fixed_prec(dps)
    table = _legendre_table(window.kind, N, dps)
    with mpmath.workprec(p + 20):
        T = mpmath.mpf(T)
        fa, fb = [], []
        for _, y, wt in window.rule(dps):
            t, tT = window.time(y, T)
            fa.append(mpmath.libmp.to_fixed((wt * signal.u(t))._mpf_, p))
            if derivative:
                fb.append(mpmath.libmp.to_fixed((wt * signal.du(t) * tT)._mpf_, p))
    with mpmath.workdps(dps):
        scale = mpmath.ldexp(1, -2 * p)
        c = [mpmath.mpf(sum(a * g for a, g in zip(fa, row))) * scale for row in table]
        if not derivative:
            return c
        return c, [mpmath.mpf(sum(b * g for b, g in zip(fb, row))) * scale for row in table]


def fourier_projection(signal: Signal, T, w, ns, dps: int):
    """Fourier warm-up (C4): \\(c_n(T)=\\int_0^1u(sw+T-w)e^{-2\\pi ins}ds\\) and \\(c_n'(T)\\)
    for the integers ``ns``."""
    with mpmath.workdps(dps):
        T, w = mpmath.mpf(T), mpmath.mpf(w)
        ss, wts = _rule(0, 1, dps)
        c, dc = [mpmath.mpc(0)] * len(ns), [mpmath.mpc(0)] * len(ns)
        for s, wt in zip(ss, wts):
            t = s * w + T - w
            a, b = wt * signal.u(t), wt * signal.du(t)
            for i, n in enumerate(ns):
                e = mpmath.expjpi(-2 * n * s)
                c[i] += a * e
                dc[i] += b * e
        return c, dc


def forcing_integral(signal: Signal, lam, T0, T1, dps: int):
    r"""\(\int_{T_0}^{T_1}(T_1/t)^{\lambda}u(t)\,\frac{dt}t\) by Gauss--Legendre quadrature at ``dps`` digits
    (the forcing term of variation of constants for \(c'=\frac1t(Ac+Bu)\), eigenvalue \(\lambda\))."""
    with mpmath.workdps(dps):
        T1 = mpmath.mpf(T1)
        return mpmath.fsum(wu * mpmath.power(T1 / t, lam) for t, wu in _forcing_nodes(signal, T0, T1, dps))


@lru_cache(maxsize=16)
def _forcing_nodes(signal: Signal, T0, T1, dps: int) -> tuple:
    r"""Nodes \(t_i\) on \([T_0,T_1]\) with \(w_iu(t_i)/t_i\) (shared by every \(\lambda\))."""
    ts, wts = _rule(T0, T1, dps)
    with mpmath.workdps(dps):
        return tuple((t, wt * signal.u(t) / t) for t, wt in zip(ts, wts))


# --- ODE solutions ------------------------------------------------------------------------------

def _lower_triangular_eig(A):
    """Eigenvalues (the diagonal) and unit-diagonal eigenvector matrix of a lower triangular
    ``A`` with distinct diagonal, by back-substitution."""
    N = A.rows
    if any(A[i, j] != 0 for i in range(N) for j in range(i + 1, N)):
        raise ValueError("A is not lower triangular")
    lam = [A[i, i] for i in range(N)]
    V = mpmath.zeros(N, N)
    for j in range(N):
        V[j, j] = 1
        for i in range(j + 1, N):
            V[i, j] = mpmath.fsum(A[i, l] * V[l, j] for l in range(j, i)) / (lam[j] - lam[i])
    return lam, V


def legs_ode(A, B, c0, signal: Signal, T0, T1, dps: int):
    """Solve \\(c'(t)=\\frac1t(Ac+Bu(t))\\), \\(c(T_0)=c_0\\), up to \\(T_1\\) (\\(0<T_0<T_1\\)).

    In \\(\\sigma=\\ln t\\) the system is \\(dc/d\\sigma=Ac+Bu(e^\\sigma)\\); with \\(A=V\\Lambda V^{-1}\\)
    variation of constants gives
    \\(c(T_1)=V\\big[(T_1/T_0)^{\\Lambda}V^{-1}c_0+\\big(\\beta_j\\int_{T_0}^{T_1}(T_1/t)^{\\lambda_j}u(t)\\,dt/t\\big)_j\\big]\\),
    \\(\\beta=V^{-1}B\\): exact, so the only numerical error is the quadrature of \\(N\\)
    smooth scalar integrals.  ``A``, ``B`` are mpmath matrices (``B`` a column).
    """
    with mpmath.workdps(dps):
        T0, T1 = mpmath.mpf(T0), mpmath.mpf(T1)
        lam, V = _lower_triangular_eig(A)
        N = len(lam)
        Vinv = mpmath.inverse(V)
        beta = Vinv * B
        y0 = Vinv * mpmath.matrix([[x] for x in c0])
        ts, wts = _rule(T0, T1, dps)
        us = [wt * signal.u(t) / t for t, wt in zip(ts, wts)]
        y1 = mpmath.matrix(N, 1)
        for j in range(N):
            forced = mpmath.fsum(ut * mpmath.power(T1 / t, lam[j]) for t, ut in zip(ts, us))
            y1[j] = mpmath.power(T1 / T0, lam[j]) * y0[j] + beta[j] * forced
        c1 = V * y1
        return [c1[i] for i in range(N)]


def lti_ode(A, B, c0, signal: Signal, T0, T1, dps: int):
    """Solve \\(c'=Ac+Bu(T)\\), \\(c(T_0)=c_0\\), for an input with ``signal.lti`` \\(=(G,h,y)\\):
    \\(z=(c,y)\\) satisfies \\(z'=Mz\\), \\(M=\\begin{pmatrix}A&Bh^\\top\\\\0&G\\end{pmatrix}\\), so
    \\(z(T_1)=e^{M(T_1-T_0)}z(T_0)\\): exact up to mpmath's ``expm`` (about 0.2 s per call at 60
    digits; used for LegT, not on the default path)."""
    if signal.lti is None:
        raise ValueError("the augmented system needs an input with a linear generator (signal.lti)")
    G, h, y = signal.lti
    with mpmath.workdps(dps):
        T0, T1 = mpmath.mpf(T0), mpmath.mpf(T1)
        N, d = A.rows, len(h)
        M = mpmath.zeros(N + d, N + d)
        for i in range(N):
            for j in range(N):
                M[i, j] = A[i, j]
            for j in range(d):
                M[i, N + j] = B[i, 0] * _mpq(Fraction(h[j]))
        for i in range(d):
            for j in range(d):
                M[N + i, N + j] = _mpq(Fraction(G[i][j]))
        z0 = mpmath.matrix([[v] for v in list(c0) + y(T0)])
        z1 = mpmath.expm(M * (T1 - T0)) * z0
        return [z1[i] for i in range(N)]


# --- independent float64 construction ------------------------------------------------------------

def float_gauss_legendre(m: int):
    """numpy's Gauss--Legendre rule polished in float64: two Newton steps on \\(P_m\\) and the weights
    recomputed as \\(2/((1-x^2)P_m'(x)^2)\\) (numpy's own weights are off by ~1e-12 at \\(m\\approx60\\))."""
    x, _ = L.leggauss(m)
    e = np.zeros(m + 1)
    e[m] = 1.0
    de = L.legder(e)
    for _ in range(2):
        x = x - L.legval(x, e) / L.legval(x, de)
    return x, 2 / ((1 - x * x) * L.legval(x, de) ** 2)


def _float_basis(N: int):
    """Nodes/weights (exact for degree \\(\\le 2N+1\\)) and \\(g_n\\), \\(g_n'\\) there (Legendre
    Vandermonde matrices; the derivative through numpy's ``legder``)."""
    x, wq = float_gauss_legendre(N + 1)
    norm = np.sqrt((2 * np.arange(N) + 1) / 2)
    G = (L.legvander(x, N - 1) * norm).T
    if N == 1:
        return x, wq, G, np.zeros_like(G)
    dG = ((L.legvander(x, N - 2) @ L.legder(np.eye(N))) * norm).T
    return x, wq, G, dG


def float_legs_matrices(N: int):
    """LegS \\((A,B)\\) (Su's normalization) in float64 from
    \\(A_{nk}=-\\langle g_k,g_n+(s+1)g_n'\\rangle\\), \\(B_n=2g_n(1)\\), by numpy quadrature
    (independent of the exact construction and of the closed form)."""
    x, wq, G, dG = _float_basis(N)
    A = -(G + (x + 1) * dG) @ (wq * G).T
    B = 2 * np.sqrt((2 * np.arange(N) + 1) / 2) * L.legvander(np.array([1.0]), N - 1)[0]
    return A, B.reshape(N, 1)


def float_legt_matrices(N: int, w: float = 1.0):
    """LegT \\((A,B)\\) in float64 from
    \\(A_{nk}=-\\frac2w[g_n(-1)g_k(-1)+\\langle g_k,g_n'\\rangle]\\), \\(B_n=\\frac2wg_n(1)\\)."""
    x, wq, G, dG = _float_basis(N)
    norm = np.sqrt((2 * np.arange(N) + 1) / 2)
    gm = norm * L.legvander(np.array([-1.0]), N - 1)[0]
    gp = norm * L.legvander(np.array([1.0]), N - 1)[0]
    A = -(2 / w) * (np.outer(gm, gm) + dG @ (wq * G).T)
    return A, (2 / w * gp).reshape(N, 1)


def transition_float(measure: str, N: int, halve: bool = True):
    """float64 re-typing of state-spaces/s4 ``src/models/hippo/hippo.py::transition`` (``legs``,
    ``legt``, ``lmu``); ``halve`` selects commit bfd9eb13 (``legt`` halved) over 137e49d6."""
    Q = np.arange(N, dtype=np.float64)
    if measure == "legs":
        col, row = np.meshgrid(Q, Q)
        r = 2 * Q + 1
        M = -(np.where(row >= col, r, 0) - np.diag(Q))
        Tm = np.sqrt(np.diag(2 * Q + 1))
        return Tm @ M @ np.linalg.inv(Tm), np.diag(Tm)[:, None].copy()
    if measure == "legt":
        R = (2 * Q + 1) ** .5
        j, i = np.meshgrid(Q, Q)
        A = -(R[:, None] * np.where(i < j, (-1.) ** (i - j), 1) * R[None, :])
        B = R[:, None]
        return (0.5 * A, 0.5 * B) if halve else (A, B)
    if measure == "lmu":
        R = (2 * Q + 1)[:, None]
        j, i = np.meshgrid(Q, Q)
        return np.where(i < j, -1, (-1.) ** (i - j + 1)) * R, (-1.) ** Q[:, None] * R
    raise ValueError(measure)


def surd_matrix_to_float(M) -> np.ndarray:
    """float64 array of a SymPy matrix whose entries are rationals times square roots of integers."""
    import math

    def one(e):
        c, r = e.as_coeff_Mul()
        return float(c) if r == 1 else float(c) * math.sqrt(int(r.base))
    return np.array([[one(e) for e in row] for row in M.tolist()])


# --- the Fourier warm-up's closure -----------------------------------------------------------------

def paired_tail() -> mpmath.mpf:
    r"""\(\sum_{k\ge1}\frac2{1+4\pi^2k^2}\) at the current precision: with \(\frac2{1+4\pi^2k^2}=\frac1{2\pi^2}
    \frac1{k^2+a^2}\), \(a^2=\frac1{4\pi^2}<1\), the series is \(\frac1{2\pi^2}\sum_{j\ge0}(-a^2)^j\zeta(2j+2)\) (absolutely
    convergent), summed until \(a^{2J}<10^{-\mathrm{dps}-10}\): geometric convergence instead of a \(k^{-2}\) tail."""
    dps = mpmath.mp.dps
    with mpmath.workdps(dps + 10):
        a2 = 1 / (4 * mpmath.pi ** 2)
        J = int((dps + 10) / mpmath.log10(1 / a2)) + 2
        v = mpmath.fsum((-a2) ** j * mpmath.zeta(2 * j + 2) for j in range(J)) / (2 * mpmath.pi ** 2)
    return +v


def fourier_partial_sum(N: int, dps: int = 20):
    r"""\(\sum_{|k|\le N}c_k=(e-1)\big[1+\sum_{k=1}^N\frac2{1+4\pi^2k^2}\big]\) for \(u=e^t\), \(w=T=1\)
    (\(c_k=\frac{e-1}{1-2\pi ik}\), the terms \(\pm k\) paired)."""
    with mpmath.workdps(dps):
        four_pi2 = 4 * mpmath.pi ** 2
        return (mpmath.e - 1) * (1 + mpmath.fsum(2 / (1 + four_pi2 * k * k) for k in range(1, N + 1)))
