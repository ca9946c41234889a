r"""Gaussian expectations, exactly (SymPy) and numerically (mpmath).

Exact: the standard normal density \(\varphi\) and distribution function \(\Phi\), the
antiderivatives \(A_k\) of \(z^k\varphi(z)\) for \(k\le2\),

\[A_0=\Phi,\qquad A_1=-\varphi,\qquad A_2=\Phi-z\varphi,\]

integrals \(\int_{lo}^{hi}p(z)\varphi(z)\,dz\) of polynomials of degree at most 2 by the
fundamental theorem of calculus with them (:func:`gauss_integral`; the ends may be
\(\pm\infty\)), and expectations of polynomials of degree at most 2 in a noise vector given
only its mean 0 and covariance (:func:`expect_noise`, linearity of expectation).

Also the erf surrogate \(\mathrm{erf}(x)\approx x/\sqrt{x^2+\pi/4}\) (:func:`erf_surrogate`), its gap to erf and
where that gap is largest (:func:`erf_surrogate_gap`, :func:`erf_surrogate_worst`).

Numeric: \(\mathbb E f(z)\) for \(z\sim\mathcal N(0,1)\) by ``mpmath.quad`` split at the
points where \(f\) jumps or bends (:func:`expect_normal`), or over a finite interval
(:func:`normal_integral`), and polynomial integrands by termwise power series (:func:`normal_poly_integral`), at
the current precision: evaluations independent of the antiderivatives.

Used by ``batch_size_lr`` (the mean of a sign) and ``adam_epsilon`` (moments of a clipped
and a softsign Gaussian).
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

zz = sp.Symbol("z", real=True)


def phi(x):
    r"""\(\varphi(x)=e^{-x^2/2}/\sqrt{2\pi}\)."""
    return sp.exp(-x ** 2 / 2) / sp.sqrt(2 * sp.pi)


def Phi(x):
    r"""\(\Phi(x)=\frac12\big(1+\mathrm{erf}(x/\sqrt2)\big)\)."""
    return (1 + sp.erf(x / sp.sqrt(2))) / 2


GAUSS_ANTIDERIVATIVE = {0: Phi(zz), 1: -phi(zz), 2: Phi(zz) - zz * phi(zz)}


def antiderivative_identities() -> list:
    r"""``[(d A_k/dz, z^k phi(z)), ...]``: the statements that make :func:`gauss_integral` exact
    (a claim that integrates with it includes them, so a wrong antiderivative is refuted)."""
    return [(sp.diff(A, zz), zz ** k * phi(zz)) for k, A in GAUSS_ANTIDERIVATIVE.items()]


@lru_cache(maxsize=None)
def _antiderivative_at(k: int, end):
    """A_k at +-oo: by substitution (erf(+-oo) = +-1, exp(-oo) = 0), by a SymPy limit where
    substitution gives an indeterminate form (z phi(z))."""
    value = GAUSS_ANTIDERIVATIVE[k].subs(zz, end)
    return sp.limit(GAUSS_ANTIDERIVATIVE[k], zz, end) if value.has(sp.nan) else value


def gauss_integral(poly, lo, hi):
    r"""\(\int_{lo}^{hi}p(z)\varphi(z)\,dz\) for a polynomial \(p\) in :data:`zz` of degree at
    most 2 (coefficients may be symbols), by \(\sum_kc_k(A_k(hi)-A_k(lo))\)."""
    p = sp.Poly(sp.expand(poly), zz)
    if p.degree() > 2:
        raise ValueError("gauss_integral: degree at most 2")
    out = sp.Integer(0)
    for (k,), c in p.terms():
        A = GAUSS_ANTIDERIVATIVE[k]
        at = [(_antiderivative_at(k, e) if e in (sp.oo, -sp.oo) else A.subs(zz, e)) for e in (hi, lo)]
        out += c * (at[0] - at[1])
    return out


def expect_noise(expr, noise, cov):
    r"""\(\mathbb E[\mathrm{expr}]\) over a noise vector \(n\) with \(\mathbb En=0\) and
    \(\mathbb E[nn^\top]=\) ``cov``, for ``expr`` a polynomial of degree at most 2 in ``noise``:
    constant terms stay, linear ones vanish, \(n_in_j\) becomes ``cov[i, j]``."""
    p = sp.Poly(expr, *noise)  # Poly expands in the noise only: expanding everything first costs 7x more
    out = sp.Integer(0)
    for monom, coeff in p.terms():
        deg = sum(monom)
        if deg == 0:
            out += coeff
        elif deg == 2:
            i, j = [k for k, m in enumerate(monom) for _ in range(m)]
            out += coeff * cov[i, j]
        elif deg > 2:
            raise ValueError("only first and second moments are specified")
    return out


def _cut():
    """\\(T=\\sqrt{2\\ln10\\,(\\mathrm{dps}+10)}+1\\): beyond \\(\\pm T\\) the normal density carries mass below
    \\(10^{-\\mathrm{dps}-10}\\)."""
    import mpmath
    return mpmath.sqrt(2 * mpmath.log(10) * (mpmath.mp.dps + 10)) + 1


def expect_normal(f, breaks=()):
    r"""\(\mathbb E f(z)=\int f(z)\varphi(z)\,dz\), \(z\sim\mathcal N(0,1)\), by ``mpmath.quad`` on the
    pieces between ``breaks`` (the points where \(f\) jumps or bends), at the current precision.

    The line is cut at \(\pm T\) (:func:`_cut`): the tails carry mass below \(10^{-\mathrm{dps}-10}\), far
    below the working precision for the bounded (or polynomially growing) integrands used here, and
    tanh-sinh on finite pieces is ten times faster than on infinite ones."""
    T = _cut()
    return normal_integral(f, -T, T, breaks)


def normal_integral(f, lo, hi, breaks=()):
    r"""\(\int_{lo}^{hi}f(z)\varphi(z)\,dz\) (oriented: negative when \(hi<lo\)) by ``mpmath.quad``, at the
    current precision; ``f=None`` integrates the density alone.  Ends beyond \(\pm T\) (:func:`_cut`) are
    moved to \(\pm T\); ``breaks`` split the interval where \(f\) jumps or bends."""
    import mpmath
    c = 1 / mpmath.sqrt(2 * mpmath.pi)
    T = _cut()
    lo, hi = (max(-T, min(T, mpmath.mpf(v))) for v in (lo, hi))
    sign = 1
    if hi < lo:
        lo, hi, sign = hi, lo, -1
    pts = [lo] + sorted({mpmath.mpf(b) for b in breaks if lo < b < hi}) + [hi]
    if lo == hi:
        return mpmath.mpf(0)
    if f is None:
        return sign * mpmath.quad(lambda z: c * mpmath.exp(-z * z / 2), pts)
    return sign * mpmath.quad(lambda z: f(z) * c * mpmath.exp(-z * z / 2), pts)


def normal_poly_integral(coeffs, lo, hi):
    r"""\(\int_{lo}^{hi}p(z)\varphi(z)\,dz\) for \(p(z)=\sum_kc_kz^k\) (``coeffs`` \(=[c_0,c_1,\dots]\)), at the current
    precision, by the power series of \(e^{-z^2/2}\) integrated term by term,

    \[\int_{lo}^{hi}z^ke^{-z^2/2}dz=\sum_{n\ge0}\frac{(-1/2)^n}{n!}\frac{hi^{2n+k+1}-lo^{2n+k+1}}{2n+k+1},\]

    summed with the precision raised by the terms' growth (\(\approx e^{\max(lo^2,hi^2)/2}\)).  Ends beyond \(\pm T\)
    (:func:`_cut`) are moved to \(\pm T\).  Independent of the antiderivatives, and much faster than quadrature."""
    import mpmath
    T = _cut()
    lo, hi = (max(-T, min(T, mpmath.mpf(v))) for v in (lo, hi))
    dps = mpmath.mp.dps
    with mpmath.workdps(dps + int(max(lo * lo, hi * hi) / 2 * mpmath.log10(mpmath.e)) + 8):
        total, tiny = mpmath.mpf(0), mpmath.mpf(10) ** (-dps - 5)
        for k, c in enumerate(coeffs):
            if c == 0:
                continue
            lp, hp = lo ** (k + 1), hi ** (k + 1)
            l2, h2, coef, acc, n = lo * lo, hi * hi, mpmath.mpf(1), mpmath.mpf(0), 0
            while True:
                term = coef * (hp - lp) / (2 * n + k + 1)
                acc += term
                n += 1
                if abs(term) < tiny * (1 + abs(acc)) and n > max(lo * lo, hi * hi):
                    break
                coef *= mpmath.mpf(-1) / (2 * n)
                lp, hp = lp * l2, hp * h2
            total += c * acc
        out = total / mpmath.sqrt(2 * mpmath.pi)
    return +out


def erf_surrogate(x):
    r"""\(x/\sqrt{x^2+\pi/4}\): odd, range \((-1,1)\), and slope \(2/\sqrt\pi\) at 0 like \(\mathrm{erf}\)
    (the surrogate of archives/10542, reused by archives/10563)."""
    return x / sp.sqrt(x ** 2 + sp.pi / 4)


def erf_surrogate_gap(x):
    r"""\(\mathrm{erf}(x)-x/\sqrt{x^2+\pi/4}\) at the current precision: how far the surrogate is from erf (both
    sides are odd, so \(x\ge0\) suffices)."""
    import mpmath
    return mpmath.erf(x) - x / mpmath.sqrt(x * x + mpmath.pi / 4)


def erf_surrogate_worst():
    r"""``(x, gap)``: where on \(x\ge0\) the surrogate is farthest from erf, and the gap there: the best point of a
    grid on \([0,8]\) (beyond it both sides are within \(10^{-2}\) of 1), refined by a root of the derivative."""
    from numeric.extrema import maximize
    return maximize(erf_surrogate_gap, 0, 8)
