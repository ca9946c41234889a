r"""Numerics of the SGD average-loss post: exact one-dimensional runs (fractions), and the projected-gradient runs
and the simulation on the unit ball at mpmath's working precision (MPFR), each returning the average regret
\(\mathcal R_T=\frac1T\sum_t[L_t(\theta_t)-L_t(\theta^*)]\) that the claims compare with their bounds.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import gmpy2
import mpmath
import numpy as np


def _sign(x):
    return (x > 0) - (x < 0)


def projected_sgd_1d(grad, theta1, etas, lo, hi):
    """Iterates \\(\\theta_1..\\theta_T\\) of \\(\\theta_{t+1}=\\mathrm{clip}(\\theta_t-\\eta_t\\,g(\\theta_t),lo,hi)\\)
    (the projection onto an interval).  Exact when every input is a Fraction."""
    th, out = theta1, []
    for eta in etas:
        out.append(th)
        th = min(max(th - eta * grad(th), lo), hi)
    return out


def abs_loss_regret(etas, theta1=Fraction(1)):
    """Exact regret of projected SGD on \\(f(\\theta)=|\\theta|\\), \\(\\Theta=[-1,1]\\), comparator
    \\(\\theta^*=0\\), subgradient \\(\\operatorname{sign}\\theta\\) (so \\(G=1\\), \\(D=2\\))."""
    its = projected_sgd_1d(_sign, theta1, etas, Fraction(-1), Fraction(1))
    return sum(abs(x) for x in its) / len(etas)


def n1_schedule(T: int = 100):
    """Spec N1: \\(\\eta_t=10^{-3}\\) for \\(t<T\\), \\(\\eta_T=100\\) (not monotone)."""
    return [Fraction(1, 1000)] * (T - 1) + [Fraction(100)]


def n2_schedule(T: int = 100):
    """Spec N2: \\(\\eta_1=2\\), \\(\\eta_t=10^{-3}\\) for \\(t\\ge2\\) (non-increasing)."""
    return [Fraction(2)] + [Fraction(1, 1000)] * (T - 1)


def monotone_schedules(T: int = 100):
    """Non-increasing schedules for \\(|\\theta|\\): constant \\(10^{-3}\\), \\(1/10\\), \\(1/(t+1)\\),
    and \\(\\eta_1=2,\\ \\eta_t=10^{-3}\\)."""
    return {"constant 1e-3": [Fraction(1, 1000)] * T, "constant 1/10": [Fraction(1, 10)] * T,
            "1/(t+1)": [Fraction(1, t + 1) for t in range(1, T + 1)], "N2 schedule": n2_schedule(T)}


def _context():
    r"""MPFR (gmpy2, mpmath's own backend) at mpmath's working precision plus guard bits: a simulation of
    \(10^5\) steps in plain mpmath numbers is seventeen times slower."""
    return gmpy2.context(gmpy2.get_context(), precision=mpmath.mp.prec + 20)


def _mpf(x) -> mpmath.mpf:
    """An MPFR number as an mpmath number, exactly (the exponent as a Python int, as mpmath keeps it)."""
    man, exp = x.as_mantissa_exp()
    return mpmath.mpf((man, int(exp)))


def _projected_gd_regret(f, df, theta1, D, G, T: int, comparator):
    r"""Average regret \(\frac1T\sum_t[f(\theta_t)-f(\theta^*)]\) of projected gradient descent on
    \([-2,2]\) with the constant rate \(\eta=D/(G\sqrt T)\), at the working precision."""
    with _context():
        lo, hi = gmpy2.mpfr(-2), gmpy2.mpfr(2)
        eta = D / (G * gmpy2.sqrt(T))
        th, total = theta1, gmpy2.mpfr(0)
        for _ in range(T):
            total += f(th)
            th = min(max(th - eta * df(th), lo), hi)
        return _mpf(total / T - f(comparator))


CONVEX_T = 10_000


def convex_regret(T: int = CONVEX_T):
    r"""Projected GD on the convex \(f(\theta)=\theta^2+\theta/2\) over \([-2,2]\) (\(D=4\), \(G=\max|f'|=4.5\)),
    \(\theta_1=1.5\), \(\eta=D/(G\sqrt T)\): the regret against the minimiser \(-1/4\), at the working precision."""
    with _context():
        return _projected_gd_regret(lambda x: x * x + x / 2, lambda x: 2 * x + gmpy2.mpfr(1) / 2, gmpy2.mpfr(3) / 2,
                                    gmpy2.mpfr(4), gmpy2.mpfr(9) / 2, T, gmpy2.mpfr(-1) / 4)


def convex_regret_ball(digits=None, T: int = CONVEX_T):
    r"""A rigorous enclosure (Arb ball, python-flint, at its current precision) of :func:`convex_regret`: each update
    is written \(\theta\mapsto(1-2\eta)\theta-\eta/2\), one occurrence of \(\theta\), so the ball shrinks with the
    contraction instead of doubling; the clipping to \([-2,2]\) is never active (checked on the balls)."""
    import flint
    arb = flint.arb
    eta = arb(4) / (arb(9) / 2 * arb(T).sqrt())
    c, h = 1 - 2 * eta, eta / 2
    th, total = arb(3) / 2, arb(0)
    for _ in range(T):
        total += th * (th + arb(1) / 2)
        th = th * c - h
        if not (th >= -2 and th <= 2):
            raise ValueError("the clipping cannot be decided on the balls")
    return total / T - arb(-1) / 4 * (arb(-1) / 4 + arb(1) / 2)


def quartic_minimiser():
    r"""The global minimiser of \(f(\theta)=\theta^4-2\theta^2+\theta/2\): the smallest root of
    \(f'=4\theta^3-4\theta+\frac12\), by Newton's method from \(-1\) at the working precision."""
    x = mpmath.mpf(-1)
    for _ in range(200):
        step = (4 * x ** 3 - 4 * x + mpmath.mpf(1) / 2) / (12 * x * x - 4)
        x -= step
        if abs(step) < 4 * mpmath.eps:
            return x
    raise mpmath.libmp.NoConvergence("quartic minimiser")


QUARTIC_T = 100_000


def quartic_regret(T: int = QUARTIC_T):
    r"""Spec N3: projected GD on \(f(\theta)=\theta^4-2\theta^2+\theta/2\) over \([-2,2]\) (\(D=4\),
    \(G=\max|f'|=24.5\)), \(\theta_1=1.5\), \(\eta=D/(G\sqrt T)\): the regret against the global minimiser (the
    iterates settle at the local minimum 0.93040), at the working precision."""
    star = quartic_minimiser()
    with _context():
        half, lo, hi = gmpy2.mpfr(1) / 2, gmpy2.mpfr(-2), gmpy2.mpfr(2)
        eta = gmpy2.mpfr(4) / (gmpy2.mpfr(49) / 2 * gmpy2.sqrt(T))
        th, total = gmpy2.mpfr(3) / 2, gmpy2.mpfr(0)
        for _ in range(T):  # Horner forms, inlined: this loop is the cost of the claim
            sq = th * th
            total += th * (th * (sq - 2) + half)
            th = min(max(th - eta * (th * (4 * sq - 4) + half), lo), hi)
        s = _mpfr(star)
        return _mpf(total / T - s * (s * (s * s - 2) + half))


def _mpfr(x):
    sign, man, exp, _ = mpmath.mpf(x)._mpf_
    v = gmpy2.mul_2exp(gmpy2.mpfr(man, max(int(man).bit_length(), 2)), exp)
    return -v if sign else v


def quartic_float(T: int = QUARTIC_T):
    """The quartic run in float64 (figures and tests): (regret, D G / sqrt T, last iterate, global minimiser)."""
    f = lambda x: x ** 4 - 2 * x ** 2 + 0.5 * x  # noqa: E731
    df = lambda x: 4 * x ** 3 - 4 * x + 0.5  # noqa: E731
    D, G = 4.0, 24.5
    eta = D / (G * math.sqrt(T))
    xs = float(quartic_minimiser())
    th, total = 1.5, 0.0
    for _ in range(T):
        total += f(th)
        th = min(max(th - eta * df(th), -2.0), 2.0)
    return total / T - f(xs), D * G / math.sqrt(T), th, xs


def plain_quadratic_run(eta=Fraction(3), T: int = 3, theta1=Fraction(1)):
    """Plain (unprojected) SGD on \\(f(\\theta)=\\theta^2/2\\): \\(\\theta_{t+1}=(1-\\eta)\\theta_t\\).
    Returns ``(regret vs 0, iterates, gradients)``, exact."""
    its = projected_sgd_1d(lambda x: x, theta1, [eta] * T, -math.inf, math.inf)
    return sum(x * x / 2 for x in its) / T, its, its


def ball_projection(phi, radius=1.0):
    """Rows of ``phi`` projected onto the Euclidean ball."""
    n = np.linalg.norm(phi, axis=-1, keepdims=True)
    return phi * np.minimum(1.0, radius / np.maximum(n, 1e-300))


BALL_T, BALL_D, BALL_SEED = 5000, 5, 2023


@lru_cache(maxsize=4)
def ball_data(T: int = BALL_T, d: int = BALL_D, seed: int = BALL_SEED):
    r"""The data of the simulation: raw directions (\(a_t\) is the raw row over its norm), targets
    \(b_t=a_t\cdot\vartheta+0.1\,\epsilon_t\) (float64 draws), and a comparator \(\theta^*\) in the unit ball: an
    approximate minimiser of the average loss (projected subgradient descent in float64, then shrunk by
    \(10^{-9}\) so that it lies in the ball exactly).  Any \(\theta^*\) in the ball is a valid comparator; the
    minimiser makes the regret largest."""
    rng = np.random.default_rng(seed)
    raw = rng.standard_normal((T, d))
    a = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    truth = ball_projection(rng.standard_normal(d)) * 0.5
    b = a @ truth + 0.1 * rng.standard_normal(T)
    star = np.zeros(d)
    for k in range(1, 1501):
        g = a.T @ np.sign(a @ star - b) / T
        star = ball_projection(star - 0.5 / math.sqrt(k) * g)
    star = star / max(1.0, float(np.linalg.norm(star))) * (1 - 1e-9)
    return raw, b, star


def _ball_etas(schedule: str, T: int):
    r"""The rates in MPFR: ``constant`` \(\eta=D/(G\sqrt T)\) or ``sqrt`` \(\eta_t=\frac{D}{\sqrt2G}t^{-1/2}\),
    \(D=2\), \(G=1\)."""
    if schedule == "constant":
        return [2 / gmpy2.sqrt(T)] * T
    r2 = gmpy2.sqrt(2)
    return [r2 / gmpy2.sqrt(t) for t in range(1, T + 1)]


def ball_regret(schedule: str, T: int = BALL_T):
    r"""Projected SGD on the unit ball of \(\mathbb R^5\) with \(L_t(\theta)=|a_t\cdot\theta-b_t|\), \(\|a_t\|=1\)
    (\(G=1\), \(D=2\)), \(\theta_1=0\), rates of ``schedule`` (``constant`` \(\eta=D/(G\sqrt T)\) or ``sqrt``
    \(\eta_t=\frac{D}{\sqrt2G}t^{-1/2}\)): the average regret against the comparator of :func:`ball_data`, at the
    working precision (the data are fixed binary64 numbers; normalisation, steps and projections are exact up to
    the working precision)."""
    raw, b, star = ball_data(T)
    with _context():
        mp = gmpy2.mpfr
        etas = _ball_etas(schedule, T)
        st = [mp(x) for x in star.tolist()]
        th = [mp(0)] * len(st)
        total = mp(0)
        for row, bt, eta in zip(raw.tolist(), b.tolist(), etas):
            v = list(map(mp, row))
            inv = 1 / gmpy2.sqrt(sum(x * x for x in v))
            at = [x * inv for x in v]
            r = sum(map(gmpy2.mul, at, th)) - bt
            total += abs(r) - abs(sum(map(gmpy2.mul, at, st)) - bt)
            if r != 0:
                step = eta if r > 0 else -eta
                th = [x - step * y for x, y in zip(th, at)]
                norm2 = sum(x * x for x in th)
                if norm2 > 1:
                    inv = 1 / gmpy2.sqrt(norm2)
                    th = [x * inv for x in th]
        return _mpf(total / T)


def ball_regret_ball(schedule: str, T: int = BALL_T):
    r"""A rigorous enclosure (Arb ball, python-flint, at its current precision) of :func:`ball_regret`: the same
    run in ball arithmetic; a sign or a projection that the balls cannot decide raises ``ValueError`` (then the
    engine falls back to :func:`ball_regret` at two precisions)."""
    import flint
    arb = flint.arb
    raw, b, star = ball_data(T)
    etas = [2 / arb(T).sqrt()] * T if schedule == "constant" else [arb(2).sqrt() / arb(t).sqrt() for t in range(1, T + 1)]
    st = [arb(x) for x in star.tolist()]
    th = [arb(0)] * len(st)
    total = arb(0)
    for row, bt, eta in zip(raw.tolist(), b.tolist(), etas):
        v = [arb(x) for x in row]
        inv = 1 / sum((x * x for x in v), arb(0)).sqrt()
        at = [x * inv for x in v]
        r = sum((x * y for x, y in zip(at, th)), arb(0)) - bt
        total += abs(r) - abs(sum((x * y for x, y in zip(at, st)), arb(0)) - bt)
        if not (r > 0 or r < 0):
            raise ValueError("the sign of a residual cannot be decided on the balls")
        step = eta if r > 0 else -eta
        th = [x - step * y for x, y in zip(th, at)]
        norm2 = sum((x * x for x in th), arb(0))
        if norm2 > 1:
            inv = 1 / norm2.sqrt()
            th = [x * inv for x in th]
        elif not norm2 <= 1:
            raise ValueError("the projection cannot be decided on the balls")
    return total / T


def ball_regret_of(k):
    """:func:`ball_regret` of schedule ``k``: 0 constant, 1 \\(1/\\sqrt t\\) (a quantity's argument is a number)."""
    return ball_regret(("constant", "sqrt")[int(k)])


def ball_regret_enclosure(k, digits=None):
    """:func:`ball_regret_ball` of schedule ``k`` (an Arb ball holding 0 or 1)."""
    return ball_regret_ball(("constant", "sqrt")[int(k.unique_fmpz())])


def ball_bound(schedule: str, T: int = BALL_T) -> float:
    """The bound of C1 with the actual rates, float64 (figures, tests)."""
    etas = [float(e) for e in _ball_etas(schedule, T)]
    return 4 / (2 * T * etas[-1]) + sum(etas) / (2 * T)


def ball_running(schedule: str = "sqrt", T: int = BALL_T):
    """The same run in float64, for figures: (T values, average regret after each T, the bound at each T)."""
    raw, b, star = ball_data(T)
    a = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    etas = np.array([float(e) for e in _ball_etas(schedule, T)])
    th, regret = np.zeros(raw.shape[1]), np.empty(T)
    for t in range(T):
        r = a[t] @ th - b[t]
        regret[t] = abs(r) - abs(a[t] @ star - b[t])
        th = ball_projection(th - etas[t] * np.sign(r) * a[t])
    ts = np.arange(1, T + 1)
    return ts, np.cumsum(regret) / ts, 4 / (2 * ts * etas) + np.cumsum(etas) / (2 * ts)
