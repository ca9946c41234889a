"""Numerics for the SGD average-loss (regret) bound: exact one-dimensional runs, the projected
SGD simulation on the unit ball, and sampled projections.

Regret and bound, with \\(\\eta_1..\\eta_T\\):
\\(\\mathcal R_T=\\frac1T\\sum_t[L_t(\\theta_t)-L_t(\\theta^*)]\\),
\\(B_T=\\frac{D^2}{2T\\eta_T}+\\frac{G^2}{2T}\\sum_t\\eta_t\\).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np


def bound(D, G, etas, first: bool = False):
    """\\(D^2/(2T\\eta_T)+G^2\\sum\\eta_t/(2T)\\) (with \\(\\eta_1\\) in place of \\(\\eta_T\\) when
    ``first``: the wrong variant N2).  Exact for Fractions."""
    T = len(etas)
    eta_end = etas[0] if first else etas[-1]
    return D * D / (2 * T * eta_end) + G * G * sum(etas) / (2 * T)


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


def quartic_run(T: int = 100_000):
    """Spec N3: projected GD on \\(f(\\theta)=\\theta^4-2\\theta^2+\\theta/2\\) over \\([-2,2]\\)
    (\\(D=4\\), \\(G=\\max|f'|=24.5\\)), \\(\\theta_1=1.5\\), \\(\\eta=D/(G\\sqrt T)\\); returns
    ``(regret against the global minimiser, D G / sqrt T, last iterate, global minimiser)``."""
    f = lambda x: x ** 4 - 2 * x ** 2 + 0.5 * x  # noqa: E731
    df = lambda x: 4 * x ** 3 - 4 * x + 0.5  # noqa: E731
    D, G = 4.0, 24.5
    eta = D / (G * math.sqrt(T))
    # global minimiser: the smaller root of f' (Newton from -1)
    xs = -1.0
    for _ in range(50):
        xs -= df(xs) / (12 * xs ** 2 - 4)
    th, total = 1.5, 0.0
    for _ in range(T):
        total += f(th)
        th = min(max(th - eta * df(th), -2.0), 2.0)
    return total / T - f(xs), D * G / math.sqrt(T), th, xs


def convex_run(T: int = 100_000):
    """Projected GD on the convex \\(f(\\theta)=\\theta^2+\\theta/2\\) over \\([-2,2]\\) (\\(D=4\\),
    \\(G=4.5\\)), \\(\\theta_1=1.5\\), \\(\\eta=D/(G\\sqrt T)\\); returns ``(regret, D G / sqrt T, last iterate)``
    with comparator the minimiser \\(-1/4\\)."""
    f = lambda x: x * x + 0.5 * x  # noqa: E731
    D, G = 4.0, 4.5
    eta = D / (G * math.sqrt(T))
    th, total = 1.5, 0.0
    for _ in range(T):
        total += f(th)
        th = min(max(th - eta * (2 * th + 0.5), -2.0), 2.0)
    return total / T - f(-0.25), D * G / math.sqrt(T), th


def plain_quadratic_run(eta=Fraction(3), T: int = 3, theta1=Fraction(1)):
    """Plain (unprojected) SGD on \\(f(\\theta)=\\theta^2/2\\): \\(\\theta_{t+1}=(1-\\eta)\\theta_t\\).
    Returns ``(regret vs 0, iterates, gradients)``, exact."""
    its = projected_sgd_1d(lambda x: x, theta1, [eta] * T, -math.inf, math.inf)
    return sum(x * x / 2 for x in its) / T, its, its


def ball_projection(phi, radius=1.0):
    """Rows of ``phi`` projected onto the Euclidean ball."""
    n = np.linalg.norm(phi, axis=-1, keepdims=True)
    return phi * np.minimum(1.0, radius / np.maximum(n, 1e-300))


def box_projection(phi, lo=-1.0, hi=1.0):
    return np.clip(phi, lo, hi)


def variational_inequality(project, n: int = 100_000, d: int = 5, seed: int = 0, sampler=None):
    """Smallest \\((\\Pi(\\varphi)-\\theta)\\cdot(\\varphi-\\Pi(\\varphi))\\) and largest
    \\(\\|\\Pi(\\varphi)-\\theta\\|-\\|\\varphi-\\theta\\|\\) over ``n`` random \\(\\varphi\\)
    (Gaussian, scale 2) and \\(\\theta\\in\\Theta\\) (``sampler``)."""
    rng = np.random.default_rng(seed)
    phi = 2.0 * rng.standard_normal((n, d))
    theta = sampler(rng, n, d)
    p = project(phi)
    vi = np.einsum("ij,ij->i", p - theta, phi - p)
    expand = np.linalg.norm(p - theta, axis=1) - np.linalg.norm(phi - theta, axis=1)
    return float(vi.min()), float(expand.max())


def in_ball(rng, n, d):
    v = rng.standard_normal((n, d))
    r = rng.random((n, 1)) ** (1.0 / d)
    return v / np.linalg.norm(v, axis=1, keepdims=True) * r


def in_box(rng, n, d):
    return rng.uniform(-1.0, 1.0, (n, d))


def simulate_ball(T: int = 5000, d: int = 5, seed: int = 2023, schedule: str = "constant"):
    """Projected SGD on the unit ball of \\(\\mathbb R^d\\) with \\(L_t(\\theta)=|a_t\\cdot\\theta-b_t|\\),
    \\(\\|a_t\\|=1\\) (so \\(G=1\\)), \\(D=2\\), \\(\\theta_1=0\\).  ``schedule``: ``constant``
    (\\(\\eta=D/(G\\sqrt T)\\)) or ``sqrt`` (\\(\\eta_t=\\frac{D}{\\sqrt2 G}t^{-1/2}\\)).

    The comparator is an approximate minimiser of the empirical average over the ball
    (projected subgradient descent on all samples); the bound holds for every comparator in
    the ball, so the approximation only weakens the test.  Returns a dict with ``regret``,
    ``bound`` (with the actual \\(\\sum\\eta_t\\)), ``theta_star`` and the constants."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((T, d))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    truth = ball_projection(rng.standard_normal(d)) * 0.5
    b = a @ truth + 0.1 * rng.standard_normal(T)
    D, G = 2.0, 1.0
    if schedule == "constant":
        etas = np.full(T, D / (G * math.sqrt(T)))
    else:
        etas = D / (math.sqrt(2) * G) / np.sqrt(np.arange(1, T + 1))
    th = np.zeros(d)
    losses = np.empty(T)
    iterates = np.empty((T, d))
    for t in range(T):
        iterates[t] = th
        r = a[t] @ th - b[t]
        losses[t] = abs(r)
        th = th - etas[t] * np.sign(r) * a[t]
        n = math.sqrt(th @ th)
        if n > 1.0:
            th = th / n
    star = np.zeros(d)
    for k in range(1, 1501):
        g = a.T @ np.sign(a @ star - b) / T
        star = ball_projection(star - 0.5 / math.sqrt(k) * g)
    regret = float(np.mean(losses - np.abs(a @ star - b)))
    return {"regret": regret, "bound": float(bound(D, G, list(etas))), "theta_star": star,
            "D": D, "G": G, "T": T, "max_grad": float(np.max(np.linalg.norm(a, axis=1))),
            "max_dist": float(np.max(np.linalg.norm(iterates - star, axis=1)))}
