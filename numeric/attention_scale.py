"""Numerics of the attention scale post (Su, archives/9812): score moments by Monte Carlo,
the softmax gradient size, the Gaussian and cosine mean-field optima, and the post's fits.

Monte Carlo is seeded (``numpy.random.default_rng``) and chunked, so memory stays bounded
whatever the number of samples; every estimate comes with its standard error.
"""
from __future__ import annotations

import math
import time
import tracemalloc
from dataclasses import dataclass

import mpmath
import numpy as np

CHUNK = 1 << 16


# --- Monte Carlo of q.k -----------------------------------------------------------------------

@dataclass
class DotMoments:
    """Sample moments of \\(x=q\\cdot k\\) over ``n`` draws (central variance, raw 4th moment)."""

    n: int
    mean: float
    var: float
    m4: float
    se_var: float          # standard error of ``var`` from the sample: sqrt(Var[(x-mean)^2] / n)
    seconds: float
    peak_mib: float


def _draw(rng, kind: str, m: int, d: int):
    """(q, k) for ``m`` samples.  Kinds: ``gaussian``, ``uniform`` (on [-sqrt3, sqrt3]);
    controls: ``same`` (k = q), ``mean`` (components N(0.5, 1)), ``both_correlated``
    (q = z1 1, k = z2 1), ``q_correlated`` (q = z 1, k iid N(0,1))."""
    if kind == "gaussian":
        return rng.standard_normal((m, d), dtype=np.float32), rng.standard_normal((m, d), dtype=np.float32)
    if kind == "uniform":
        a = np.float32(math.sqrt(3.0))
        return ((rng.random((m, d), dtype=np.float32) * 2 - 1) * a, (rng.random((m, d), dtype=np.float32) * 2 - 1) * a)
    if kind == "same":
        q = rng.standard_normal((m, d), dtype=np.float32)
        return q, q
    if kind == "mean":
        return (rng.standard_normal((m, d), dtype=np.float32) + np.float32(0.5),
                rng.standard_normal((m, d), dtype=np.float32) + np.float32(0.5))
    if kind == "both_correlated":
        z = rng.standard_normal((m, 2), dtype=np.float32)
        return np.repeat(z[:, :1], d, axis=1), np.repeat(z[:, 1:], d, axis=1)
    if kind == "q_correlated":
        z = rng.standard_normal((m, 1), dtype=np.float32)
        return np.repeat(z, d, axis=1), rng.standard_normal((m, d), dtype=np.float32)
    raise ValueError(f"unknown distribution {kind!r}")


def _dots(rng, kind: str, m: int, d: int) -> np.ndarray:
    if kind == "rademacher":
        # d independent signs per vector packed in one 64-bit word: q.k = d - 2 popcount(q xor k)
        if d > 64:
            raise ValueError("rademacher MC packs d <= 64 signs in one word")
        mask = np.uint64((1 << d) - 1) if d < 64 else np.uint64(2**64 - 1)
        q = rng.integers(0, 2**64, size=m, dtype=np.uint64, endpoint=False) & mask
        k = rng.integers(0, 2**64, size=m, dtype=np.uint64, endpoint=False) & mask
        return (d - 2 * np.bitwise_count(q ^ k).astype(np.int64)).astype(np.float64)
    q, k = _draw(rng, kind, m, d)
    return np.einsum("ij,ij->i", q, k, dtype=np.float64)


def dot_moments(d: int, n: int, seed: int, kind: str = "gaussian", chunk: int = CHUNK) -> DotMoments:
    """Moments of \\(q\\cdot k\\) from ``n`` seeded samples in chunks of ``chunk`` (peak memory measured
    with :mod:`tracemalloc`, which sees numpy's buffers)."""
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    s1 = s2 = s3 = s4 = 0.0
    done = 0
    try:
        while done < n:
            m = min(chunk, n - done)
            x = _dots(rng, kind, m, d)
            x2 = x * x
            s1 += float(x.sum())
            s2 += float(x2.sum())
            s3 += float((x2 * x).sum())
            s4 += float((x2 * x2).sum())
            done += m
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        if not was_tracing:
            tracemalloc.stop()
    mean, r2, r3, r4 = s1 / n, s2 / n, s3 / n, s4 / n
    var = r2 - mean ** 2
    c4 = r4 - 4 * mean * r3 + 6 * mean ** 2 * r2 - 3 * mean ** 4   # E[(x-mean)^4]
    se = math.sqrt(max(c4 - var ** 2, 0.0) / n)
    return DotMoments(n, mean, var, r4, se, time.perf_counter() - t0, peak / 2**20)


# --- softmax gradient size ----------------------------------------------------------------------

def sum_p2(alpha, s: np.ndarray) -> np.ndarray:
    """\\(\\sum_ip_i^2=\\exp(\\mathrm{lse}(2\\alpha s)-2\\,\\mathrm{lse}(\\alpha s))\\) along the last axis (stable)."""
    a = alpha * s
    top = a.max(axis=-1, keepdims=True)
    z = np.exp(a - top)
    return (z * z).sum(axis=-1) / z.sum(axis=-1) ** 2


def gradient_size(alpha, s: np.ndarray) -> np.ndarray:
    """\\(G=|\\alpha|(1-\\sum_ip_i^2)\\) (C3) per row of scores ``s``."""
    return abs(alpha) * (1.0 - sum_p2(alpha, s))


def mp_gradient_size_l1(alpha, s) -> mpmath.mpf:
    """\\(G=\\frac12\\sum_{i,j}|J_{ij}|\\) from the Jacobian \\(J_{ij}=\\alpha(p_i\\delta_{ij}-p_ip_j)\\) (mpmath)."""
    e = [mpmath.exp(alpha * v) for v in s]
    Z = mpmath.fsum(e)
    p = [v / Z for v in e]
    return mpmath.fsum(abs(alpha * ((p[i] if i == j else 0) - p[i] * p[j]))
                       for i in range(len(p)) for j in range(len(p))) / 2


@dataclass
class GradientMC:
    """Monte Carlo of \\(E[G(\\alpha)]\\) and \\(E[\\sum p^2]\\) at several \\(\\alpha\\) (common random numbers)."""

    n: int
    draws: int
    alphas: tuple
    mean_g: np.ndarray
    se_g: np.ndarray
    mean_p2: np.ndarray
    se_p2: np.ndarray


def gradient_mc(n: int, alphas, draws: int, seed: int) -> GradientMC:
    """Scores \\(s_i\\) iid \\(\\mathcal N(0,1)\\), ``draws`` independent score vectors of length ``n``."""
    s = np.random.default_rng(seed).standard_normal((draws, n))
    mg, sg, mp2, sp2 = [], [], [], []
    for a in alphas:
        p2 = sum_p2(a, s)
        g = abs(a) * (1.0 - p2)
        mg.append(g.mean())
        sg.append(g.std(ddof=1) / math.sqrt(draws))
        mp2.append(p2.mean())
        sp2.append(p2.std(ddof=1) / math.sqrt(draws))
    return GradientMC(n, draws, tuple(alphas), np.array(mg), np.array(sg), np.array(mp2), np.array(sp2))


# --- Gaussian mean-field optimum ----------------------------------------------------------------

def alpha_star_lambert(n):
    """\\(\\alpha^*=\\sqrt{W_0(n\\sqrt e/2)-1/2}\\) (C7), at the working precision."""
    return mpmath.sqrt(mpmath.lambertw(mpmath.mpf(n) * mpmath.sqrt(mpmath.e) / 2).real - mpmath.mpf(1) / 2)


def alpha_star_root(n, start=None):
    """Root of the stationarity condition \\(e^{\\alpha^2}(1+2\\alpha^2)=n\\) (C6) by ``findroot``."""
    n = mpmath.mpf(n)
    x0 = start if start is not None else mpmath.sqrt(mpmath.log(n))
    return mpmath.findroot(lambda a: mpmath.exp(a * a) * (1 + 2 * a * a) - n, x0)


def surrogate_gaussian(alpha, n):
    """\\(\\tilde f_n(\\alpha)=\\alpha(1-e^{\\alpha^2}/n)\\) (C5)."""
    return alpha * (1 - mpmath.exp(alpha * alpha) / n)


def gaussian_fit(ns) -> tuple[float, float, float]:
    """Least-squares \\(c\\) in \\(\\alpha^*\\approx c\\sqrt{\\ln n}\\) over ``ns`` and the range of the relative error
    of the post's \\(0.84\\sqrt{\\ln n}\\): (c, min error, max error).  Float64 closed form."""
    a = np.array([float(alpha_star_lambert(v)) for v in ns])
    x = np.sqrt(np.log(np.asarray(ns, dtype=float)))
    c = float((a * x).sum() / (x * x).sum())
    err = 0.84 * x / a - 1
    return c, float(err.min()), float(err.max())


# --- cosine scores ------------------------------------------------------------------------------

def cosine_mgf(d: int, alpha):
    """\\(M_d(\\alpha)=\\Gamma(d/2)(2/\\alpha)^{d/2-1}I_{d/2-1}(\\alpha)\\) (C9); \\(M_d(0)=1\\)."""
    nu = mpmath.mpf(d) / 2 - 1
    if alpha == 0:
        return mpmath.mpf(1)
    return mpmath.gamma(nu + 1) * (2 / mpmath.mpf(alpha)) ** nu * mpmath.besseli(nu, alpha)


def cosine_mgf_derivative(d: int, alpha):
    """\\(M_d'(\\alpha)=\\Gamma(d/2)(2/\\alpha)^{d/2-1}I_{d/2}(\\alpha)\\) (from \\((x^{-\\nu}I_\\nu)'=x^{-\\nu}I_{\\nu+1}\\))."""
    nu = mpmath.mpf(d) / 2 - 1
    return mpmath.gamma(nu + 1) * (2 / mpmath.mpf(alpha)) ** nu * mpmath.besseli(nu + 1, alpha)


def cosine_density(d: int, s):
    """\\(\\rho_d(s)=\\frac{\\Gamma(d/2)}{\\sqrt\\pi\\,\\Gamma((d-1)/2)}(1-s^2)^{(d-3)/2}\\) on \\([-1,1]\\)."""
    d = mpmath.mpf(d)
    return mpmath.gamma(d / 2) / (mpmath.sqrt(mpmath.pi) * mpmath.gamma((d - 1) / 2)) * (1 - s * s) ** ((d - 3) / 2)


def cosine_mgf_quad(d: int, alpha):
    """\\(E[e^{\\alpha s}]\\) by quadrature of the density (independent of the Bessel form)."""
    return mpmath.quad(lambda s: mpmath.exp(alpha * s) * cosine_density(d, s), [-1, 0, 1])


def n_of_alpha(alpha, mgf, dmgf):
    """The key count at which \\(\\alpha\\) is stationary: \\(n=\\frac{d}{d\\alpha}[\\alpha R(\\alpha)]\\),
    \\(R=M(2\\alpha)/M(\\alpha)^2\\) (C6, inverted as in derivation step 9)."""
    m1, m2 = mgf(alpha), mgf(2 * alpha)
    d1, d2 = dmgf(alpha), dmgf(2 * alpha)
    r = m2 / m1 ** 2
    dr = 2 * d2 / m1 ** 2 - 2 * m2 * d1 / m1 ** 3
    return r + alpha * dr


def cosine_n_of_alpha(d: int, alpha):
    return n_of_alpha(mpmath.mpf(alpha), lambda a: cosine_mgf(d, a), lambda a: cosine_mgf_derivative(d, a))


def cosine_alpha_star(d: int, n, start=None):
    """\\(\\alpha^*\\) for cosine scores: root of \\(n(\\alpha)=n\\)."""
    x0 = start if start is not None else 3.5 * mpmath.log(n) * mpmath.sqrt(mpmath.mpf(d) / 128)
    return mpmath.findroot(lambda a: cosine_n_of_alpha(d, a) - n, x0)


def cosine_surrogate(d: int, alpha, n):
    """\\(\\tilde f_n(\\alpha)=\\alpha(1-M(2\\alpha)/(nM(\\alpha)^2))\\) for cosine scores."""
    return alpha * (1 - cosine_mgf(d, 2 * alpha) / (n * cosine_mgf(d, alpha) ** 2))
