r"""Slowly convergent series in mpmath: the Euler--Maclaurin tail.

\(\sum_{n\ge a} f(n) = \sum_{a\le n<M} f(n) + \int_M^\infty f + \tfrac12 f(M)
- \sum_{k\le p}\frac{B_{2k}}{(2k)!}f^{(2k-1)}(M) + R_p\), with the odd derivatives at \(M\)
taken from Taylor coefficients by a Cauchy integral (:func:`taylor_coefficients`).  Used by
:mod:`numeric.evaluate` when ``nsum`` does not converge, and as the mpmath value of the ball
enclosure :class:`numeric.certify.EulerMaclaurinSum`.
"""
from __future__ import annotations

import mpmath
import sympy as sp


def _bernoulli_over(k: int) -> sp.Rational:
    """\\(B_{2k}/(2k)\\): Taylor coefficient \\(c_{2k-1}\\) of f at M times this is the
    Euler--Maclaurin term \\(\\frac{B_{2k}}{(2k)!} f^{(2k-1)}(M)\\)."""
    return sp.bernoulli(2 * k) / (2 * k)


def taylor_coefficients(f, center, radius, points: int):
    """Taylor coefficients \\(c_k = f^{(k)}(c)/k!\\) of an analytic ``f`` from the Cauchy
    integral on the circle \\(|z-c|=r\\) by the trapezoidal rule with ``points`` nodes (error
    \\(\\approx (r/R)^{\\text{points}-k}\\), \\(R\\) the distance to the nearest singularity).
    Returns ``k -> c_k``; ``f`` is evaluated once at each (complex) node."""
    roots = [mpmath.expjpi(mpmath.mpf(2 * j) / points) for j in range(points)]
    vals = [f(center + radius * w) for w in roots]

    def coefficient(k: int):
        s = mpmath.fdot(vals, [mpmath.conj(roots[(j * k) % points]) for j in range(points)])
        return s / points / radius ** k

    return coefficient


def euler_maclaurin_mp(term, start: int, dps: int, tail=None, cutoff: int | None = None):
    """\\(\\sum_{n\\ge \\text{start}} f(n)\\) by a direct sum to ``M`` plus the Euler--Maclaurin
    tail, in mpmath at ``dps`` digits; returns ``(value, remainder estimate)``.

    ``term`` takes mpf and mpc arguments; ``tail(M)`` is \\(\\int_M^\\infty f\\) when known,
    otherwise it is computed by quadrature after \\(x = Me^u\\) (algebraic decay becomes
    exponential).  The default cut-off grows with ``dps``, so the two precisions of
    :func:`numeric.identity.compare` use different cut-offs and cross-check the tail model.
    Raises ``ValueError`` when the tail does not settle (divergent or oscillating series)."""
    M = cutoff or int(start) + 4 * dps
    with mpmath.workdps(dps + 15):
        direct = mpmath.fsum(term(mpmath.mpf(n)) for n in range(int(start), M))
        Mm = mpmath.mpf(M)
        if tail is None:
            def g(u):
                x = Mm * mpmath.exp(u)
                return term(x) * x

            # Past u = 64 (x ~ 1e28 M) a term that has already vanished is not evaluated:
            # tanh-sinh would otherwise ask for exp(-sqrt(e^(10^100)))-sized numbers.
            try:
                near, far = abs(g(0)), abs(g(64))
                if far > near / 10:
                    raise ValueError(f"x f(x) does not decay between {M} and {M}e^64: the series diverges or is too slow")
                gone = far < near * mpmath.mpf(10) ** (-dps - 30)
                integral, err = mpmath.quad(g, [0, 64] if gone else [0, mpmath.inf],
                                            error=True, maxdegree=8)  # bounded work on oscillating tails
            except (MemoryError, OverflowError, ZeroDivisionError) as exc:
                raise ValueError(f"tail integral not computable ({type(exc).__name__})") from None
            if not mpmath.isfinite(integral) or err > abs(direct) * mpmath.mpf(10) ** (-dps - 3):
                raise ValueError(f"tail integral from {M} to infinity does not settle (error {mpmath.nstr(err, 3)})")
        else:
            integral = tail(Mm)
        terms = int(dps * 0.6 + 10)
        coefficient = taylor_coefficients(term, Mm, Mm / 4, int(1.7 * (dps + 15)) + 2 * terms)
        scale = abs(direct) + abs(integral)
        total = direct + integral + term(Mm) / 2
        target = scale * mpmath.mpf(10) ** (-dps - 5)
        for k in range(1, terms):
            t = coefficient(2 * k - 1) * _mp_rational(_bernoulli_over(k))
            if abs(t) < target:
                real = mpmath.im(term(Mm)) == 0 and mpmath.im(term(Mm + 1)) == 0
                return (mpmath.re(total) if real else total), abs(t)
            total -= t
        raise ValueError(f"Euler-Maclaurin terms at M={M} do not fall below 10^-{dps}")


def _mp_rational(q):
    q = sp.Rational(q)
    return mpmath.mpf(int(q.p)) / int(q.q)
