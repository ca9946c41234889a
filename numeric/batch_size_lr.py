"""Numerics for ``derivations.batch_size_lr``: Monte Carlo of SGD and SignSGD steps,
exact-erf optimal learning rates of SignSGD, peaks and approximation gaps.

Deterministic quantities are computed with mpmath at two precisions; random ones with a
seeded ``numpy.random.default_rng`` and judged against their standard error (SE): an
estimate agrees with its target when it is within ``MC_SE`` standard errors.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import mpmath
import numpy as np
import numpy.random  # noqa: F401  (numpy loads it lazily: load once here, not in every forked claim)

from numeric.identity import NumericOutcome

MC_SE = 4.0  # tolerance of every Monte Carlo comparison, in standard errors
FLOAT64_REFERENCE = 1e-15  # relative accuracy of reference values printed from binary64 computations
CHUNK = 100_000  # Monte Carlo samples per vectorised chunk (bounds memory)

# The spec's SGD toy problem (reference values in batch-size-lr.md).
TOY_G = (Fraction(1), Fraction(2))
TOY_H = ((Fraction(2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1)))
TOY_SIGMA = ((Fraction(1), Fraction(1, 5)), (Fraction(1, 5), Fraction(1, 2)))


def to_mpf(x):
    """An mpf at the current precision from an int, float, Fraction or mpf (exact for Fractions)."""
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    return mpmath.mpf(x)


def _np(m) -> np.ndarray:
    return np.array([[float(x) for x in row] for row in m]) if isinstance(m[0], tuple) else \
        np.array([float(x) for x in m])


# --- Monte Carlo judgement -----------------------------------------------------------------

def mc_rows_outcome(rows, what: str, n: int, seed: int) -> NumericOutcome:
    """``rows`` = [(label, estimate, se, target)]: agree iff every |estimate-target| <= MC_SE*se.
    A disagreement names the row with the largest deviation in SE units."""
    worst = max(rows, key=lambda r: abs(r[1] - r[3]) / r[2])
    label, est, se, target = worst
    z = abs(est - target) / se
    summary = (f"{what}: worst {label}: MC {est:.6g} vs {target:.6g} ({z:.1f} SE, SE={se:.2g}); "
               f"tolerance {MC_SE:g} SE, N={n:.0e}, seed {seed}")
    if z <= MC_SE:
        return NumericOutcome("agree", None, None, summary)
    return NumericOutcome("disagree", None, {"text": summary}, summary)


def mc_positive_outcome(rows, what: str, n: int, seed: int) -> NumericOutcome:
    """``rows`` = [(label, estimate, se)]: agree iff every estimate exceeds MC_SE*se (a
    Monte Carlo demonstration that a mean is positive)."""
    worst = min(rows, key=lambda r: r[1] / r[2])
    label, est, se = worst
    summary = (f"{what}: smallest {label} = {est:.4g} = {est / se:.1f} SE (SE={se:.2g}); "
               f"needs > {MC_SE:g} SE, N={n:.0e}, seed {seed}")
    if est > MC_SE * se:
        return NumericOutcome("agree", None, None, summary)
    return NumericOutcome("disagree", None, {"text": summary}, summary)


# --- C1: moments of a batch mean (A1 only: non-Gaussian per-example noise) -----------------

@lru_cache(maxsize=4)
def batch_mean_moments(B: int, n_batches: int, seed: int):
    """Mean and covariance of ``n_batches`` batch means of ``B`` i.i.d. per-example gradients
    ``g + L e`` (``L L^T = Sigma`` of the toy, ``e`` centred unit exponentials: skewed, not
    Gaussian).  Returns (mean, se_mean, cov, se_cov) as numpy arrays."""
    rng = np.random.default_rng(seed)
    g, L = _np(TOY_G), np.linalg.cholesky(_np(TOY_SIGMA))
    means = np.empty((n_batches, 2))
    for start in range(0, n_batches, CHUNK // B):
        m = min(CHUNK // B, n_batches - start)
        e = rng.standard_exponential((m, B, 2)) - 1.0
        means[start:start + m] = g + (e @ L.T).mean(axis=1)
    mu = means.mean(axis=0)
    se_mu = means.std(axis=0, ddof=1) / np.sqrt(n_batches)
    c = means - mu
    prods = c[:, :, None] * c[:, None, :]
    cov = prods.mean(axis=0) * n_batches / (n_batches - 1)
    se_cov = prods.std(axis=0, ddof=1) / np.sqrt(n_batches)
    return mu, se_mu, cov, se_cov


def batch_cov_outcome(cov_of_B, B: int, n_batches: int, seed: int, what: str) -> NumericOutcome:
    """Compare the Monte Carlo moments of the batch mean with ``E = g`` and ``Cov = cov_of_B(Sigma, B)``."""
    mu, se_mu, cov, se_cov = batch_mean_moments(B, n_batches, seed)
    g, S = _np(TOY_G), _np(TOY_SIGMA)
    target = cov_of_B(S, B)
    rows = [(f"mean[{i}]", mu[i], se_mu[i], g[i]) for i in range(2)]
    rows += [(f"cov[{i},{j}]", cov[i, j], se_cov[i, j], target[i, j]) for i in range(2) for j in range(i, 2)]
    return mc_rows_outcome(rows, what, n_batches, seed)


# --- C3 (supporting): stationary variance of SGD on a 1-D quadratic ------------------------

def sgd_stationary_variance(eta: float, h: float, sigma2: float, B: int, chains: int, steps: int, seed: int):
    """Variance of ``w`` after ``steps`` SGD steps ``w <- w - eta (h w + sqrt(sigma2/B) z)``
    from ``w=0``, over independent chains; returns (estimate, se)."""
    rng = np.random.default_rng(seed)
    w = np.zeros(chains)
    s = np.sqrt(sigma2 / B)
    for _ in range(steps):
        w -= eta * (h * w + s * rng.standard_normal(chains))
    v = w.var(ddof=1)
    return v, v * np.sqrt(2.0 / (chains - 1))


# --- C5: one SGD step on a quadratic ------------------------------------------------------

def sgd_step_samples(g, H, Sigma, B: int, n: int, seed: int):
    """``n`` Gaussian batch gradients ``u ~ N(g, Sigma/B)`` (A2), returned as the per-sample
    scalars ``(u^T g, u^T H u)`` that the one-step loss change of a quadratic needs."""
    rng = np.random.default_rng(seed)
    g, H = np.asarray(g, float), np.asarray(H, float)
    L = np.linalg.cholesky(np.asarray(Sigma, float) / B)
    ug, uHu = np.empty(n), np.empty(n)
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        u = g + rng.standard_normal((m, len(g))) @ L.T
        ug[start:start + m] = u @ g
        uHu[start:start + m] = ((u @ H) * u).sum(axis=1)
    return ug, uHu


def ratio_estimate(x: np.ndarray, y: np.ndarray):
    """``mean(x)/mean(y)`` and its delta-method standard error."""
    n = len(x)
    mx, my = x.mean(), y.mean()
    r = mx / my
    var = (x.var(ddof=1) - 2 * r * np.cov(x, y)[0, 1] + r * r * y.var(ddof=1)) / (my * my * n)
    return r, float(np.sqrt(var))


def random_quadratic(d: int, seed: int):
    """A seeded positive-definite quadratic problem: (g, H, Sigma)."""
    rng = np.random.default_rng(seed)
    A, C = rng.standard_normal((d, d)), rng.standard_normal((d, d))
    return rng.standard_normal(d), A @ A.T / d + 0.5 * np.eye(d), C @ C.T / d


def one_step_decrease_samples(eta_star: float, factors, B: int, n: int, seed: int):
    """Per-sample one-step decrease ``L(w) - L(w - eta u) = eta u^T g - eta^2 u^T H u / 2``
    on the toy (exact for a quadratic) at ``eta = f * eta_star`` for each factor, with common
    random numbers (the same ``u`` for every rate)."""
    ug, uHu = sgd_step_samples(_np(TOY_G), _np(TOY_H), _np(TOY_SIGMA), B, n, seed)
    return {f: f * eta_star * ug - 0.5 * (f * eta_star) ** 2 * uHu for f in factors}


# --- C10: the mean of a sign --------------------------------------------------------------

def sign_mean_mc(ratio: float, B: int, n: int, seed: int):
    """MC of ``E sign(g + sigma z/sqrt(B))`` with ``g/sigma = ratio``: (estimate, se)."""
    rng = np.random.default_rng(seed)
    total, total2 = 0.0, 0.0
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        s = np.sign(ratio + rng.standard_normal(m) / np.sqrt(B))
        total += s.sum()
        total2 += (s * s).sum()
    mean = total / n
    return mean, float(np.sqrt((total2 / n - mean * mean) / (n - 1)))


def sign_product_mc(r1: float, r2: float, B: int, n: int, seed: int):
    """MC of ``E[sign(g1+sigma1 z1/sqrt B) sign(g2+sigma2 z2/sqrt B)]`` with independent
    ``z1, z2``: (estimate, se)."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 2)) / np.sqrt(B)
    p = np.sign(r1 + z[:, 0]) * np.sign(r2 + z[:, 1])
    return p.mean(), p.std(ddof=1) / np.sqrt(n)


# --- C12-C16: SignSGD on the surge example ------------------------------------------------

def surge_example(d: int = 10, rho: float = 0.5):
    """The spec's example: ``g = linspace(0.5, 1.5, d)`` (exact rationals), ``H = (1-rho) I + rho 11^T``."""
    g = [Fraction(1, 2) + Fraction(i, d - 1) for i in range(d)]
    r = Fraction(rho).limit_denominator(1000)
    H = [[(1 - r) * (i == j) + r for j in range(d)] for i in range(d)]
    return g, H


def sign_eta_exact(B, g, H, sigma):
    """Exact-erf one-step optimum of SignSGD (C12 with ``E sign = erf``, no surrogate, no mean
    field): ``sum_i e_i g_i / (sum_i H_ii + sum_{i!=j} e_i e_j H_ij)``, ``e_i = erf(g_i sqrt(B)/(sigma_i sqrt 2))``
    at the current mpmath precision."""
    B = to_mpf(B)
    e = [mpmath.erf(to_mpf(gi) * mpmath.sqrt(B / 2) / to_mpf(si)) for gi, si in zip(g, sigma)]
    num = mpmath.fsum(ei * to_mpf(gi) for ei, gi in zip(e, g))
    den = mpmath.fsum(to_mpf(H[i][j]) * (1 if i == j else e[i] * e[j])
                      for i in range(len(g)) for j in range(len(g)))
    return num / den


def sign_eta_mc(B: int, g, H, sigma, n: int, seed: int):
    """MC of the SignSGD optimum ``mean(phi^T g) / mean(phi^T H phi)``, ``phi = sign(g + sigma z/sqrt B)``."""
    rng = np.random.default_rng(seed)
    g, H, sigma = (np.asarray(x, float) for x in (g, H, sigma))
    x, y = np.empty(n), np.empty(n)
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        phi = np.sign(g + sigma * rng.standard_normal((m, len(g))) / np.sqrt(B))
        x[start:start + m] = phi @ g
        y[start:start + m] = ((phi @ H) * phi).sum(axis=1)
    return ratio_estimate(x, y)


def argmax_log(f, x0, dps: int):
    """Maximiser of a smooth unimodal ``f`` on ``(0, inf)``: root of ``d f(e^t)/dt`` by
    ``findroot`` from ``log x0`` (full precision, unlike golden-section search)."""
    with mpmath.workdps(dps):
        t = mpmath.findroot(lambda t: mpmath.diff(lambda s: f(mpmath.exp(s)), t), mpmath.log(x0))
        return mpmath.exp(t)


def max_abs_gap(f, lo, hi, dps: int, grid: int = 200, log: bool = False):
    """``max |f(x)|`` on ``[lo, hi]``: best point of a grid, refined by ``findroot`` on ``f'``
    when the maximum is interior.  Returns (gap, argmax)."""
    with mpmath.workdps(dps):
        lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
        xs = [mpmath.exp(mpmath.log(lo) + (mpmath.log(hi) - mpmath.log(lo)) * k / grid) if log
              else lo + (hi - lo) * k / grid for k in range(grid + 1)]
        k = max(range(len(xs)), key=lambda i: abs(f(xs[i])))
        x = xs[k]
        if 0 < k < grid:
            try:
                y = mpmath.findroot(lambda t: mpmath.diff(f, t), x)
                if xs[k - 1] <= y <= xs[k + 1] and abs(f(y)) >= abs(f(x)):
                    x = y
            except (ValueError, ZeroDivisionError):
                pass  # keep the grid point: the refinement is a nicety
        return abs(f(x)), x


def gap_outcome(f, lo, hi, tolerance: float, what: str, dps=(30, 50), log: bool = False,
                relative_to=None, grid: int = 200) -> NumericOutcome:
    """Approximation gap ``max |f|`` over ``[lo, hi]`` at two precisions (must agree to 10
    digits); checked when within ``tolerance``.  ``relative_to(x)`` divides the gap."""
    g_of = (lambda x: f(x) / relative_to(x)) if relative_to else f
    (g1, x1), (g2, x2) = (max_abs_gap(g_of, lo, hi, p, grid=grid, log=log) for p in dps)
    with mpmath.workdps(dps[1]):
        stable = abs(g1 - g2) <= abs(g2) * mpmath.mpf(10) ** -10
    gap = mpmath.nstr(g2, 6)
    note = (f"max {'relative ' if relative_to else ''}gap {gap} at x={mpmath.nstr(x2, 6)} on "
            f"[{lo:g}, {hi:g}] ({what}; tolerance {tolerance:g})")
    if not stable:
        return NumericOutcome("unknown", None, None, "gap not stable between precisions: " + note)
    if g2 <= tolerance:
        return NumericOutcome("agree", None, None, note, {"gap": gap})
    return NumericOutcome("disagree", None, {"text": note}, note, {"gap": gap})


# --- reference values ---------------------------------------------------------------------

def reference_outcome(compute, refs, dps=(30, 50), labels=None) -> NumericOutcome:
    """Compare ``compute(dps) -> [mpf, ...]`` with decimal reference strings: each value must
    be stable between the two precisions and within one unit of the reference's last digit
    (rounding or truncation); references with 15-17 significant digits are binary64 prints and
    are trusted to 1e-15 relative only."""
    vals = []
    for p in dps:
        with mpmath.workdps(p):
            vals.append([mpmath.mpf(v) for v in compute(p)])
    labels = labels or [f"#{i}" for i in range(len(refs))]
    worst_digits, bad = None, []
    with mpmath.workdps(dps[1]):
        for lab, v1, v2, ref in zip(labels, vals[0], vals[1], refs):
            decimals = len(ref.split(".")[1]) if "." in ref else 0
            sig = len(ref.lstrip("+-0.").replace(".", ""))
            unit = mpmath.mpf(10) ** -decimals
            if 15 <= sig <= 17:  # a binary64 repr: trust it to FLOAT64_REFERENCE only
                unit = max(unit, FLOAT64_REFERENCE * abs(mpmath.mpf(ref)))
            if abs(v1 - v2) > unit / 1000:
                return NumericOutcome("unknown", None, None, f"{lab} not stable between {dps[0]} and {dps[1]} digits")
            if abs(v2 - mpmath.mpf(ref)) > unit:
                bad.append(f"{lab}: computed {mpmath.nstr(v2, decimals + 3)} vs reference {ref}")
            if sig:
                worst_digits = sig if worst_digits is None else min(worst_digits, sig)
    if bad:
        return NumericOutcome("disagree", None, {"text": "; ".join(bad)}, "; ".join(bad))
    return NumericOutcome("agree", None, None, f"{len(refs)} reference values matched to their printed digits "
                          f"(at least {worst_digits} significant), computed at {dps[0]} and {dps[1]} digits")
