r"""The integral test's numerics: the monotone family with exact antiderivatives, the sandwich of C3, Euler--Maclaurin
for \(\zeta(2)\), the Gaussian-bump integral of counterexample C9(b) (float64 Gauss--Legendre), and mpmath's ``nsum``
on a slowly convergent series.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

x = sp.Symbol("x", positive=True)

# (f, start a, antiderivative F, converges): f positive and non-increasing on [a, oo)
FAMILY = (
    (x ** sp.Rational(-1, 2), 1, 2 * sp.sqrt(x), False),
    (1 / x, 1, sp.log(x), False),
    (x ** sp.Rational(-3, 2), 1, -2 / sp.sqrt(x), True),
    (x ** -2, 1, -1 / x, True),
    (sp.exp(-x), 1, -sp.exp(-x), True),
    (1 / (1 + x ** 2), 1, sp.atan(x), True),
    (1 / (x * sp.log(x) ** 2), 2, -1 / sp.log(x), True),
    (1 / (x * sp.log(x)), 2, sp.log(sp.log(x)), False),
    (sp.log(x) / x ** 2, 2, -(sp.log(x) + 1) / x, True),  # decreasing for x > sqrt(e)
)


def partial_sum(f, a: int, N: int):
    """\\(\\sum_{n=a}^N f(n)\\) as an unevaluated finite SymPy sum."""
    n = sp.Symbol("n", integer=True, positive=True)
    return sp.Sum(f.subs(x, n), (n, a, N))


def sandwich(f, a: int, F, N: int):
    """``(lower, S_N, upper)`` of C3 from ``a``: \\(\\int_a^{N+1}f\\le S_N\\le f(a)+\\int_a^Nf\\)
    (integrals through the exact antiderivative)."""
    return F.subs(x, N + 1) - F.subs(x, a), partial_sum(f, a, N), f.subs(x, a) + F.subs(x, N) - F.subs(x, a)


def zeta2_em(N: int = 10, p: int = 1):
    """Euler--Maclaurin for \\(\\zeta(2)\\) from \\(S_{N-1}\\): \\(S_{N-1}+\\frac1N+\\frac1{2N^2}
    +\\sum_{k=1}^p B_{2k}N^{-2k-1}\\) (exact rational; for \\(f=x^{-2}\\),
    \\(-\\frac{B_{2k}}{(2k)!}f^{(2k-1)}(N)=B_{2k}N^{-2k-1}\\))."""
    approx = sum(sp.Rational(1, k * k) for k in range(1, N)) + sp.Rational(1, N) + sp.Rational(1, 2 * N * N)
    return approx + sum(sp.bernoulli(2 * k) / sp.Integer(N) ** (2 * k + 1) for k in range(1, p + 1))


def em_bound(N: int, p: int):
    """C8's bound \\(\\frac{2\\zeta(2p)}{(2\\pi)^{2p}}\\int_N^\\infty|f^{(2p)}|\\) for \\(f=x^{-2}\\):
    \\(\\int_N^\\infty(2p+1)!x^{-2p-2}=(2p)!N^{-2p-1}\\)."""
    return 2 * sp.zeta(2 * p) / (2 * sp.pi) ** (2 * p) * sp.factorial(2 * p) / sp.Integer(N) ** (2 * p + 1)


def bump_integral(power: int = 0, N: int = 400, nodes: int = 40) -> float:
    """\\(\\int_1^\\infty e^{-x^4\\sin^2\\pi x}x^{-k}\\,dx\\) (C9(b), \\(k\\)= ``power``) by Gauss--Legendre on the unit
    cells \\([n-\\frac12,n+\\frac12]\\), \\(n\\le N\\), with breakpoints at \\(n\\pm\\frac2{\\pi n^2}\\),
    \\(n\\pm\\frac6{\\pi n^2}\\) (the bump has width \\(\\sim1/(\\pi n^2)\\)), plus the tail
    \\(\\sum_{n>N}n^{-k}/(\\sqrt\\pi n^2)=\\zeta(2+k,N+1)/\\sqrt\\pi\\) (the bumps' Gaussian areas), float64."""
    t, w = np.polynomial.legendre.leggauss(nodes)

    def f(z):
        return np.exp(-z ** 4 * np.sin(np.pi * z) ** 2) * z ** -power

    def gl(a, b):
        z = (b - a) / 2 * t + (a + b) / 2
        return (b - a) / 2 * np.dot(w, f(z))

    total = 0.0
    edges = [1.0, 1.5]
    for n in range(2, N + 1):
        h2, h6 = 2 / (math.pi * n * n), 6 / (math.pi * n * n)
        cuts = sorted({n - 0.5, max(n - h6, n - 0.5), n - h2, n + h2, min(n + h6, n + 0.5), n + 0.5})
        edges.extend(cuts[1:] if edges[-1] == cuts[0] else cuts)
    for a, b in zip(edges, edges[1:]):
        if b > a:
            total += gl(a, b)
    return total + float(mpmath.zeta(2 + power, N + 1)) / math.sqrt(math.pi)


def bump_partial_integrals(x_max: int) -> np.ndarray:
    r"""\(\int_1^Xe^{-x^4\sin^2\pi x}dx\) for \(X=1,\dots,x_{\max}\): Gauss--Legendre on each half cell, refined
    geometrically around the integer where the bump of width \(\sim1/(\pi n^2)\) sits (float64)."""
    t, w = np.polynomial.legendre.leggauss(30)

    def gl(a, b):
        z = (b - a) / 2 * t + (a + b) / 2
        return (b - a) / 2 * np.dot(w, np.exp(-z ** 4 * np.sin(np.pi * z) ** 2))

    def around(k, lo, hi):  # [lo, hi] contains the integer k; breakpoints at k +- 2^j/(pi k^2)
        cuts, width = [k], 1 / (math.pi * k * k)
        while width < 0.5:
            cuts += [k - width, k + width]
            width *= 2
        cuts = sorted(c for c in set(cuts + [lo, hi]) if lo <= c <= hi)
        return sum(gl(a, b) for a, b in zip(cuts, cuts[1:]))

    out = [0.0]
    for k in range(1, x_max):
        out.append(out[-1] + around(k, k, k + 0.5) + around(k + 1, k + 0.5, k + 1))
    return np.array(out)


def bump_bound():
    """\\(\\frac12+\\frac{\\sqrt\\pi}2\\big(\\frac{\\pi^2}2-4\\big)\\): the cell \\([1,\\frac32]\\) contributes at most
    \\(\\frac12\\) and cell \\(n\\ge2\\) at most \\(\\frac{\\sqrt\\pi}{2(n-1/2)^2}\\) by \\(|\\sin\\pi t|\\ge2|t|\\)."""
    return sp.Rational(1, 2) + sp.sqrt(sp.pi) / 2 * (sp.pi ** 2 / 2 - 4)


def nsum_default(dps: int = 15):
    """mpmath's ``nsum`` of \\(\\sum_{n\\ge2}1/(n\\ln^2n)\\) with its default settings at ``dps``
    digits: a value that is wrong in the second digit (it depends on the precision)."""
    with mpmath.workdps(dps):
        return mpmath.nsum(lambda n: 1 / (n * mpmath.log(n) ** 2), [2, mpmath.inf])
