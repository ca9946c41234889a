r"""The numerical evidence of adam-epsilon, as quantities the claims' statements talk about: the clipped Gaussian's
moments piece by piece (power series of the density integrated term by term) and the softsign Gaussian's moments by
quadrature at the current ``mpmath.mp.dps`` (independent of the Gaussian
antiderivatives of :mod:`.algebra`), maxima of the surrogate gaps (golden-section search where the maximum sits at
a kink), and Monte Carlo estimates with their standard errors (seeded, vectorised numpy)."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp
from scipy import integrate

from derivations.engine import Estimate, quantity
from numeric.extrema import golden_max
from derivations.toolkit.gaussian import erf_surrogate_worst, expect_normal, normal_poly_integral

from .algebra import EX_G, EX_H, F_derived, M2_derived, a_, example_ii, exact_model_limit


def _clip_gap(u):
    """\\(|\\mathrm{softsign}(u,1)-\\mathrm{clip}(u)|\\) for \\(u=x/\\epsilon\\ge0\\)."""
    return abs(u / mpmath.sqrt(u * u + 1) - min(u, mpmath.mpf(1)))


def _clip_gap_max():
    return golden_max(_clip_gap, 0, 10)[1]


def _clip_gap_argmax():
    return golden_max(_clip_gap, 0, 10)[0]


ClipGapMax = quantity("ClipGapMax", evaluator=_clip_gap_max,
                      how="max over u = x/eps in [0, 10] (both odd) of |softsign - clip|, golden-section search")


ClipGapArgmax = quantity("ClipGapArgmax", evaluator=_clip_gap_argmax, how="its location u")


def _clip_mean_quad(a, b):
    """The same numerically: \\(P(z>b-a)-P(z<-a-b)=\\int_{b-a}^{a+b}\\varphi\\) (the density is even), plus the
    middle piece \\(\\int_{-a-b}^{-a+b}\\frac{a+z}b\\varphi\\).  At 15 digits or fewer (the engine's quick search for an
    inequality's violation, which only steers the search) a float64 quadrature of the clip against the density."""
    if mpmath.mp.dps <= 15:
        af, bf = float(a), float(b)

        def f(z):
            return max(-1.0, min(1.0, (af + z) / bf)) * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        return mpmath.mpf(integrate.quad(f, -af - 12, -af + 12, points=[-af - bf, -af + bf], limit=100)[0])
    return normal_poly_integral([1], b - a, a + b) + normal_poly_integral([a / b, 1 / b], -a - b, -a + b)


ClipMean = quantity("ClipMean", exact=F_derived, evaluator=_clip_mean_quad, real=True,
                    how="split at -a-b, -a+b; antiderivatives; termwise series")


def _clip_slope_exact(b):
    """\\(\\partial_aF(0,b)\\) of the derived \\(F\\)."""
    return sp.diff(F_derived(a_, b), a_).subs(a_, 0)


def _clip_slope_quad(b):
    """\\(P(|z|<b)/b\\) numerically (Leibniz: \\(\\partial_aF=P(|a+z|<b)/b\\))."""
    return normal_poly_integral([1], -b, b) / b


ClipSlope = quantity("ClipSlope", exact=_clip_slope_exact, evaluator=_clip_slope_quad, positive=True,
                     how="d/da of the derived F; P(|z|<b)/b by termwise series")


def _mean_gap_max():
    """\\(\\max_{a\\ge0}\\mathrm{erf}(a/\\sqrt2)-a/\\sqrt{a^2+\\pi/2}\\), the mean surrogate's gap at \\(\\epsilon=0\\)
    (\\(b=0\\)): with \\(x=a/\\sqrt2\\) it is the erf surrogate's gap (C4.mean-gap proves the substitution)."""
    return erf_surrogate_worst()[1]


def _mean_gap_argmax():
    return mpmath.sqrt(2) * erf_surrogate_worst()[0]


MeanGapMax = quantity("MeanGapMax", evaluator=_mean_gap_max,
                      how="max over x = a/sqrt 2 >= 0 (both odd) of erf(x) - x/sqrt(x^2+pi/4): grid, then a root of the "
                          "derivative")


MeanGapArgmax = quantity("MeanGapArgmax", evaluator=_mean_gap_argmax, how="its location a = sqrt(2) x")


def _clip_m2_quad(a, b):
    """The same numerically: \\(1-P(-a-b<z<-a+b)\\) plus the middle piece."""
    return (1 - normal_poly_integral([1], -a - b, -a + b)
            + normal_poly_integral([a * a / (b * b), 2 * a / (b * b), 1 / (b * b)], -a - b, -a + b))


ClipM2 = quantity("ClipM2", exact=M2_derived, evaluator=_clip_m2_quad, positive=True,
                  how="antiderivatives; termwise series")


def _softsign_power(a, b, k):
    """\\(\\mathbb E[s^k]\\), \\(s=(a+z)/\\sqrt{(a+z)^2+b^2}\\), by quadrature split where \\(s\\) bends (\\(z=-a\\), \\(-a\\pm b\\))."""
    return expect_normal(lambda z: ((a + z) / mpmath.sqrt((a + z) ** 2 + b * b)) ** k, (-a, -a - b, -a + b))


def _softsign_mean(a, b):
    return _softsign_power(a, b, 1)


def _softsign_m2(a, b):
    return _softsign_power(a, b, 2)


SoftsignMean = quantity("SoftsignMean", evaluator=_softsign_mean, real=True, how="E softsign by quadrature")


SoftsignM2 = quantity("SoftsignM2", evaluator=_softsign_m2, positive=True, how="E softsign^2 by quadrature")


SOFTSIGN_MC = 200_000


def _softsign_mc(a, b, k, seed):
    """Monte Carlo of \\(\\mathbb E[s^k]\\) with its standard error."""
    u = a + np.random.default_rng(seed).standard_normal(SOFTSIGN_MC)
    s = (u / np.sqrt(u * u + b * b)) ** k
    return Estimate(float(s.mean()), float(s.std(ddof=1) / np.sqrt(SOFTSIGN_MC)), SOFTSIGN_MC)


def _softsign_mean_mc(a, b, seed):
    return _softsign_mc(a, b, 1, seed)


def _softsign_m2_mc(a, b, seed):
    return _softsign_mc(a, b, 2, seed)


SoftsignMeanMC = quantity("SoftsignMeanMC", estimator=_softsign_mean_mc, how=f"Monte Carlo, {SOFTSIGN_MC} samples")


SoftsignM2MC = quantity("SoftsignM2MC", estimator=_softsign_m2_mc, how=f"Monte Carlo, {SOFTSIGN_MC} samples")


def _lambda_min():
    _, H = example_ii()
    return min(mpmath.eigsy(mpmath.matrix([[mpmath.mpf(v.p) / v.q for v in H.row(i)] for i in range(5)]))[0])


LambdaMin = quantity("LambdaMin", evaluator=_lambda_min, how="mpmath.eigsy of example (ii)'s H")


EXACT_MC = 400_000


def _exact_model_mc(delta_v, seed):
    """Monte Carlo of the exact softsign model's \\(\\eta^*/\\epsilon\\) at \\(\\delta=1/\\epsilon^2\\): samples of
    \\(\\epsilon\\varphi_i=u_i/\\sqrt{1+\\delta u_i^2}\\), \\(u_i=g_i+z_i/\\sqrt8\\) independent, their first two moments, C12's ratio,
    and its delta-method standard error."""
    g = np.array([float(v) for v in EX_G])
    H = np.array(EX_H.tolist(), dtype=float)
    u = g + np.random.default_rng(seed).standard_normal((EXACT_MC, 3)) / np.sqrt(8)
    v = u / np.sqrt(1 + delta_v * u * u)
    feats = np.hstack([v, v * v])
    mu = feats.mean(axis=0)
    m1, m2 = mu[:3], mu[3:]
    off = H - np.diag(np.diag(H))
    num, den = m1 @ g, m1 @ off @ m1 + np.diag(H) @ m2
    grad = np.concatenate([g / den - num / den ** 2 * 2 * (off @ m1), -num / den ** 2 * np.diag(H)])
    se = float(np.sqrt(grad @ np.cov(feats, rowvar=False) @ grad / EXACT_MC))
    return Estimate(float(num / den), se, EXACT_MC)


ExactModel = quantity("ExactModel", exact=exact_model_limit, estimator=_exact_model_mc, positive=True,
                      how="exact softsign model in delta = 1/eps^2: Gaussian moments at delta = 0 (exact); Monte Carlo of "
                          f"the moments, {EXACT_MC} samples (numeric)")
