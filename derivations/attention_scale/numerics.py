r"""Numerics of the attention-scale post: Monte Carlo of \(q\cdot k\) and of the softmax gradient
(numpy, seeded, every estimate with its standard error); the small-scale slope and the Gaussian MGF by
quadrature; the Gaussian and cosine mean-field optima at mpmath's working precision.

Monte Carlo runs in chunks, so memory stays bounded whatever the number of samples.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import gmpy2
import mpmath
import numpy as np

from numeric.stochastic import Estimate

CHUNK = 1 << 16


# --- Monte Carlo of q.k -----------------------------------------------------------------------

@dataclass(frozen=True)
class DotMoments:
    r"""Sample moments of \(x=q\cdot k\) over ``n`` draws: mean, central variance, raw fourth moment,
    each with its standard error."""

    n: int
    mean: float
    var: float
    m4: float
    se_mean: float
    se_var: float
    se_m4: float


def _draw(rng, kind: str, m: int, d: int):
    """(q, k) for ``m`` samples.  Laws: ``gaussian``; ``uniform`` on \\([-\\sqrt3,\\sqrt3]\\) (both
    mean 0, variance 1, independent components); controls: ``same`` (k = q), ``shifted``
    (components \\(\\mathcal N(1/2,1)\\)), ``both_correlated`` (q = z1 1, k = z2 1), ``q_correlated``
    (q = z 1, k iid N(0,1))."""
    f32 = np.float32
    if kind == "gaussian":
        return rng.standard_normal((m, d), dtype=f32), rng.standard_normal((m, d), dtype=f32)
    if kind == "uniform":
        a = f32(math.sqrt(3.0))
        return (rng.random((m, d), dtype=f32) * 2 - 1) * a, (rng.random((m, d), dtype=f32) * 2 - 1) * a
    if kind == "same":
        q = rng.standard_normal((m, d), dtype=f32)
        return q, q
    if kind == "shifted":
        return rng.standard_normal((m, d), dtype=f32) + f32(0.5), rng.standard_normal((m, d), dtype=f32) + f32(0.5)
    if kind == "both_correlated":
        z = rng.standard_normal((m, 2), dtype=f32)
        return np.repeat(z[:, :1], d, axis=1), np.repeat(z[:, 1:], d, axis=1)
    if kind == "q_correlated":
        z = rng.standard_normal((m, 1), dtype=f32)
        return np.repeat(z, d, axis=1), rng.standard_normal((m, d), dtype=f32)
    raise ValueError(f"unknown distribution {kind!r}")


def _dots(rng, kind: str, m: int, d: int) -> np.ndarray:
    if kind == "rademacher":
        # d independent signs per vector packed in one 64-bit word: q.k = d - 2 popcount(q xor k), exact
        if d > 64:
            raise ValueError("rademacher Monte Carlo packs d <= 64 signs in one word")
        mask = np.uint64((1 << d) - 1) if d < 64 else np.uint64(2**64 - 1)
        q = rng.integers(0, 2**64, size=m, dtype=np.uint64, endpoint=False) & mask
        k = rng.integers(0, 2**64, size=m, dtype=np.uint64, endpoint=False) & mask
        return (d - 2 * np.bitwise_count(q ^ k).astype(np.int64)).astype(np.float64)
    q, k = _draw(rng, kind, m, d)
    return np.einsum("ij,ij->i", q, k, dtype=np.float64)


def dot_moments(d: int, n: int, seed: int, kind: str = "gaussian", chunk: int = CHUNK) -> DotMoments:
    r"""Moments of \(q\cdot k\) from ``n`` seeded samples in chunks of ``chunk``; the standard error of
    the sample variance is \(\sqrt{\mathrm{Var}[(x-\bar x)^2]/n}\), of the fourth moment
    \(\sqrt{\mathrm{Var}[x^4]/n}\)."""
    rng = np.random.default_rng(seed)
    sums = np.zeros(9)   # sums of x^0 .. x^8
    done = 0
    while done < n:
        m = min(chunk, n - done)
        x = _dots(rng, kind, m, d)
        p = np.ones_like(x)
        for j in range(9):
            sums[j] += float(p.sum())
            p = p * x
        done += m
    r = sums / n
    mean = r[1]
    var = r[2] - mean ** 2
    c4 = r[4] - 4 * mean * r[3] + 6 * mean ** 2 * r[2] - 3 * mean ** 4   # E[(x - mean)^4]
    return DotMoments(n, mean, var, r[4], math.sqrt(var / n), math.sqrt(max(c4 - var ** 2, 0.0) / n),
                      math.sqrt(max(r[8] - r[4] ** 2, 0.0) / n))


def dot_estimate(kind: str, statistic: str, draws: int, d, seed) -> Estimate:
    r"""The estimate of ``statistic`` (``mean``, ``var`` or ``m4``) of \(q\cdot k\) for the law ``kind`` from
    ``draws`` samples; ``functools.partial(dot_estimate, kind, statistic, draws)`` is a quantity's estimator
    ``(d, seed) -> Estimate`` (a partial of a module function pickles, as the engine's workers need)."""
    m = dot_moments(int(d), draws, seed, kind)
    value, se = {"mean": (m.mean, m.se_mean), "var": (m.var, m.se_var), "m4": (m.m4, m.se_m4)}[statistic]
    return Estimate(value, se, draws)


def small_scale_slope(*s):
    r"""\(G(\alpha;s)/\alpha\) at \(\alpha=2^{-2p}\) (\(p\) the working precision in bits): \(G/\alpha\) is analytic
    at \(\alpha=0\) with a bounded derivative, so there it equals its limit to the working precision."""
    a = mpmath.mpf(2) ** (-2 * mpmath.mp.prec)
    e = [mpmath.exp(a * v) for v in s]
    Z = mpmath.fsum(e)
    p = [v / Z for v in e]
    return mpmath.fsum(abs((p[i] if i == j else 0) - p[i] * p[j]) for i in range(len(p)) for j in range(len(p))) / 2



def gauss_mgf_quad(a):
    r"""\(E[e^{as}]\), \(s\sim\mathcal N(0,1)\), by mpmath ``quad`` of \(e^{at-t^2/2}/\sqrt{2\pi}\) on
    \([a-w,a+w]\), \(w\) such that the Gaussian tails beyond are below the working precision."""
    w = math.ceil(math.sqrt(2 * math.log(10) * (mpmath.mp.dps + 10))) + 1
    val = mpmath.quad(lambda t: mpmath.exp(a * t - t * t / 2), [a - w, a - 8, a, a + 8, a + w])
    return val / mpmath.sqrt(2 * mpmath.pi)


# --- the softmax gradient size with Gaussian scores ------------------------------------------

def sum_p2(alpha, s: np.ndarray) -> np.ndarray:
    r"""\(\sum_ip_i^2=\exp(\mathrm{lse}(2\alpha s)-2\,\mathrm{lse}(\alpha s))\) along the last axis (stable)."""
    a = alpha * s
    z = np.exp(a - a.max(axis=-1, keepdims=True))
    return (z * z).sum(axis=-1, dtype=np.float64) / z.sum(axis=-1, dtype=np.float64) ** 2


def gradient_size(alpha, s: np.ndarray) -> np.ndarray:
    r"""\(G=|\alpha|(1-\sum_ip_i^2)\) (C3) per row of scores ``s``."""
    return abs(alpha) * (1.0 - sum_p2(alpha, s))


def _scores(rng, draws: int, n: int, chunk: int):
    """Rows of iid N(0,1) scores, ``chunk`` rows at a time (float32: the sums are float64)."""
    done = 0
    while done < draws:
        m = min(chunk, draws - done)
        yield rng.standard_normal((m, n), dtype=np.float32)
        done += m


def _mean_se(chunks) -> tuple[float, float, int]:
    total = np.concatenate(list(chunks))
    return float(total.mean()), float(total.std(ddof=1) / math.sqrt(len(total))), len(total)


MF_DRAWS = 10_000


def mean_field_estimate(alpha, n, seed, draws: int = MF_DRAWS) -> Estimate:
    r"""Monte Carlo of \(\mathbb E[\sum_ip_i^2]\) for \(n\) iid \(\mathcal N(0,1)\) scores at scale \(\alpha\), with a
    control variate.  Per draw \(\sum_ip_i^2=A/(nB^2)\), \(A=\overline{e^{2\alpha s}}\), \(B=\overline{e^{\alpha s}}\); its
    linearisation \(L=\frac{m_2}{nm_1^2}\big(1+\frac{A-m_2}{m_2}-2\frac{B-m_1}{m_1}\big)\) has the exact mean
    \(m_2/(nm_1^2)\) (\(m_k=E[e^{k\alpha s}]=e^{k^2\alpha^2/2}\), C5), so \(\sum p^2-\beta(L-EL)\) estimates
    \(\mathbb E[\sum p^2]\) without bias for any \(\beta\); the regression coefficient \(\beta\) of the sample minimises
    its variance (20 times smaller at \(\alpha=\frac12\), 6 at \(\alpha=1\)).  Only for \(\alpha\le1\): beyond, the
    moments of \(L\) grow like \(e^{8\alpha^2}\) and its heavy tail makes the estimated \(\beta\) a source of error,
    so the plain mean is used."""
    a, n = float(alpha), int(n)
    m1, m2 = math.exp(a * a / 2), math.exp(2 * a * a)
    mean_l = m2 / (n * m1 * m1)
    rng = np.random.default_rng(seed)
    fs, ls = [], []
    for s in _scores(rng, draws, n, 2000):
        e = np.exp(a * s.astype(np.float64))
        A, B = (e * e).mean(axis=1), e.mean(axis=1)
        fs.append(A / (n * B * B))
        ls.append(mean_l * (1 + (A - m2) / m2 - 2 * (B - m1) / m1))
    f, lin = np.concatenate(fs), np.concatenate(ls)
    beta = float(np.cov(f, lin)[0, 1] / np.var(lin, ddof=1)) if a <= 1 else 0.0
    v = f - beta * (lin - mean_l)
    return Estimate(float(v.mean()), float(v.std(ddof=1) / math.sqrt(len(v))), len(v), note=f"control variate, beta={beta:.3g}")


GAIN_DRAWS = 2000


def gain_estimate(n, seed, draws: int = GAIN_DRAWS) -> Estimate:
    r"""Monte Carlo of \(\mathbb E[G(2\alpha^*)]-\mathbb E[G(\alpha^*)]\) (common random numbers: one
    estimator of the difference), \(\alpha^*\) the Lambert-W optimum of C7, \(n\) iid \(\mathcal N(0,1)\) scores."""
    with mpmath.workdps(20):
        a = float(alpha_star_lambert(int(n)))
    rng = np.random.default_rng(seed)
    mean, se, m = _mean_se(gradient_size(2 * a, s) - gradient_size(a, s)
                           for s in _scores(rng, draws, int(n), 1000))
    return Estimate(mean, se, m)


def gradient_curve(n: int, alphas, draws: int, seed: int):
    r"""\((\mathbb E[G(\alpha)],\ \text{SE})\) at each \(\alpha\) (common random numbers), for figures."""
    s = np.random.default_rng(seed).standard_normal((draws, n), dtype=np.float32)
    out = []
    for a in alphas:
        g = gradient_size(np.float32(a), s)
        out.append((float(g.mean()), float(g.std(ddof=1) / math.sqrt(draws))))
    return out


# --- Gaussian mean-field optimum ----------------------------------------------------------------

def alpha_star_lambert(n):
    r"""\(\alpha^*=\sqrt{W_0(n\sqrt e/2)-1/2}\) (C7) at the working precision."""
    return mpmath.sqrt(mpmath.lambertw(mpmath.mpf(n) * mpmath.sqrt(mpmath.e) / 2).real - mpmath.mpf(1) / 2)


def alpha_star_squared(n):
    r"""\(\alpha^{*2}=W_0(n\sqrt e/2)-1/2\) (C7) at the working precision."""
    return mpmath.lambertw(mpmath.mpf(n) * mpmath.sqrt(mpmath.e) / 2).real - mpmath.mpf(1) / 2


def stationary_root(n):
    r"""The positive root of the stationarity condition \(f(\alpha)=e^{\alpha^2}(1+2\alpha^2)-n=0\) (C6) by Newton's
    method from \(\alpha_0=\sqrt{\ln n}\) (no Lambert W): \(f\) is increasing and convex on \(\alpha>0\) and
    \(f(\alpha_0)=2n\ln n>0\), so the iterates decrease monotonically to the root."""
    n = mpmath.mpf(n)
    a = mpmath.sqrt(mpmath.log(n))
    for _ in range(500):
        e = mpmath.exp(a * a)
        step = (e * (1 + 2 * a * a) - n) / (2 * a * e * (3 + 2 * a * a))
        a -= step
        if abs(step) <= 4 * mpmath.eps * a:
            return a
    raise mpmath.libmp.NoConvergence(f"stationary root for n={n}")


def surrogate_gaussian(alpha, n):
    r"""\(\tilde f_n(\alpha)=\alpha(1-e^{\alpha^2}/n)\) (C5)."""
    return alpha * (1 - mpmath.exp(alpha * alpha) / n)


def fit_coefficient(values, features):
    r"""Least-squares \(c\) in \(y\approx c\,x\): \(c=\sum_iy_ix_i/\sum_ix_i^2\)."""
    return mpmath.fsum(y * x for y, x in zip(values, features)) / mpmath.fsum(x * x for x in features)


def per_precision(fn):
    """Memoise ``fn`` per working precision (the engine evaluates a quantity at two precisions, and several
    parts of one statement may hold the same quantity)."""
    cache = {}

    @functools.wraps(fn)  # the module attribute keeps fn's name: it pickles by reference
    def at_precision(*args):
        key = (mpmath.mp.prec, args)
        if key not in cache:
            cache[key] = fn(*args)
        return +cache[key]

    return at_precision


@per_precision
def gauss_fit_coefficient(ns):
    r"""Least-squares \(c\) in \(\alpha^*\approx c\sqrt{\ln n}\) over ``ns`` (closed form of C7)."""
    return fit_coefficient([alpha_star_lambert(v) for v in ns], [mpmath.sqrt(mpmath.log(v)) for v in ns])


# --- cosine scores ------------------------------------------------------------------------------

def cosine_density(d, s):
    r"""\(\rho_d(s)=\frac{\Gamma(d/2)}{\sqrt\pi\,\Gamma((d-1)/2)}(1-s^2)^{(d-3)/2}\) on \([-1,1]\)."""
    d = mpmath.mpf(d)
    return mpmath.gamma(d / 2) / (mpmath.sqrt(mpmath.pi) * mpmath.gamma((d - 1) / 2)) * (1 - s * s) ** ((d - 3) / 2)


def cosine_moment_quad(k, d):
    r"""\(\mathbb E[s^{k}]=\int_{-1}^1s^k\rho_d(s)\,ds\) by quadrature (Gauss-Legendre when \(d\) is odd and the
    integrand a polynomial, tanh-sinh for the endpoint singularities of even \(d\))."""
    method = "gauss-legendre" if int(d) % 2 else "tanh-sinh"
    return mpmath.quad(lambda s: s ** int(k) * cosine_density(d, s), [-1, 0, 1], method=method)


def cosine_even_moment_quad(k, d):
    r"""\(\mathbb E[s^{2k}]\) by quadrature."""
    return cosine_moment_quad(2 * int(k), d)


def cosine_mgf_quad(alpha, d):
    r"""\(\mathbb E[e^{\alpha s}]\) by quadrature of the density (independent of the Bessel form)."""
    return mpmath.quad(lambda s: mpmath.exp(alpha * s) * cosine_density(d, s), [-1, 0, 1])


def cosine_mgf_bessel(d, alpha):
    r"""\(M_d(\alpha)=\Gamma(d/2)(2/\alpha)^{d/2-1}I_{d/2-1}(\alpha)\) (C9) with mpmath's ``besseli``."""
    nu = mpmath.mpf(d) / 2 - 1
    return mpmath.gamma(nu + 1) * (2 / mpmath.mpf(alpha)) ** nu * mpmath.besseli(nu, alpha)


def _mpfr(x):
    """An mpmath number as an MPFR number, exactly."""
    sign, man, exp, _ = mpmath.mpf(x)._mpf_
    v = gmpy2.mul_2exp(gmpy2.mpfr(man, max(int(man).bit_length(), 2)), exp)
    return -v if sign else v


def _mpf(v) -> mpmath.mpf:
    """An MPFR number as an mpmath number, exactly (the exponent as a Python int, as mpmath keeps it)."""
    man, exp = v.as_mantissa_exp()
    return mpmath.mpf((man, int(exp)))


def _hyp0f1_pair(b, y):
    r"""\(({}_0F_1(;b;y),\ {}_0F_1(;b+1;y))\) for \(y\ge0\) by their series (positive terms, summed until
    the next term is below the working precision), in MPFR (gmpy2, mpmath's own backend) at the working
    precision plus guard bits: a plain loop of mpmath numbers is five times slower."""
    prec = mpmath.mp.prec + 20
    with gmpy2.context(gmpy2.get_context(), precision=prec):
        b, y = _mpfr(b), _mpfr(y)
        eps = gmpy2.mul_2exp(gmpy2.mpfr(1), -prec)
        t0 = t1 = s0 = s1 = gmpy2.mpfr(1)
        for k in range(1, 100000):
            t0 = t0 * y / (k * (b + k - 1))
            t1 = t1 * y / (k * (b + k))
            s0 += t0
            s1 += t1
            if t0 < eps * s0 and t1 < eps * s1:
                return tuple(_mpf(v) for v in (s0, s1))
    raise mpmath.libmp.NoConvergence("0F1 series")


def _log_m(d, x):
    r"""\((\log M_d(x),\ (\log M_d)'(x))\) with \(M_d(x)={}_0F_1(;d/2;x^2/4)\) (C9's Taylor series) and
    \(M_d'(x)=\frac{x}{d}\,{}_0F_1(;d/2+1;x^2/4)\)."""
    b = mpmath.mpf(d) / 2
    f0, f1 = _hyp0f1_pair(b, x * x / 4)
    return mpmath.log(f0), x / (2 * b) * f1 / f0


def cosine_log_n(alpha, d: int = 128):
    r"""\(\ln n(\alpha)\) and its derivative, where \(n(\alpha)=\frac{d}{d\alpha}[\alpha R(\alpha)]\),
    \(R=M_d(2\alpha)/M_d(\alpha)^2\), is the key count at which \(\alpha\) is stationary (C6, inverted as in
    derivation step 9).  With \(L=\log R\): \(n=e^L(1+\alpha L')\); \(m=(\log M_d)'\) satisfies
    \(m'=1-\frac{d-1}{x}m-m^2\) (the ODE \(xM''+(d-1)M'-xM=0\) of \(x^{-\nu}I_\nu\))."""
    a = mpmath.mpf(alpha)
    l1, m1 = _log_m(d, a)
    l2, m2 = _log_m(d, 2 * a)

    def dm(x, m):
        return 1 - (d - 1) / x * m - m * m

    L, dL = l2 - 2 * l1, 2 * m2 - 2 * m1
    ddL = 4 * dm(2 * a, m2) - 2 * dm(a, m1)
    u = 1 + a * dL
    return L + mpmath.log(u), dL + (dL + a * ddL) / u


def cosine_log_n_slope(alpha, d: int = 128):
    r"""\(\frac{d}{d\alpha}\ln n(\alpha)\) (see :func:`cosine_log_n`)."""
    return cosine_log_n(alpha, d)[1]


def cosine_n_of_alpha(alpha, d: int = 128):
    r"""\(n(\alpha)\) for cosine scores (see :func:`cosine_log_n`)."""
    return mpmath.exp(cosine_log_n(alpha, d)[0])


def cosine_alpha_star(n, d: int = 128, start=None):
    r"""\(\alpha^*\) for cosine scores: Newton's method on \(\ln n(\alpha)=\ln n\) from ``start``."""
    target = mpmath.log(n)
    a = mpmath.mpf(start) if start is not None else 3.5 * target * mpmath.sqrt(mpmath.mpf(d) / 128)
    for _ in range(200):
        f, df = cosine_log_n(a, d)
        step = (f - target) / df
        a -= step
        if abs(step) < mpmath.eps * 8 * abs(a):
            return a
    raise mpmath.libmp.NoConvergence(f"alpha* for n={n}")


def cosine_alpha_stars(ns, d: int = 128) -> list:
    r"""\(\alpha^*(n)\) for increasing ``ns``, each Newton run started from the tangent prediction of the
    previous root."""
    out, a, slope = [], None, None
    for v in ns:
        start = None if a is None else a + (mpmath.log(v) - mpmath.log(prev)) / slope
        a = cosine_alpha_star(v, d, start)
        slope = cosine_log_n(a, d)[1]
        prev = v
        out.append(a)
    return out


@per_precision
def cosine_fit_coefficient(ns, d: int = 128):
    r"""Least-squares \(c\) in \(\alpha^*\approx c\ln n\) over ``ns`` (cosine scores)."""
    return fit_coefficient(cosine_alpha_stars(ns, d), [mpmath.log(v) for v in ns])


def cosine_surrogate(alpha, n, d: int = 128):
    r"""\(\tilde f_n(\alpha)=\alpha(1-M(2\alpha)/(nM(\alpha)^2))\) for cosine scores."""
    l1, _ = _log_m(d, mpmath.mpf(alpha))
    l2, _ = _log_m(d, 2 * mpmath.mpf(alpha))
    return alpha * (1 - mpmath.exp(l2 - 2 * l1) / n)
