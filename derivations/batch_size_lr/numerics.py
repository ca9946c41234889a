r"""The numerical evidence of batch-size-lr, as quantities the claims' statements talk about.

Monte Carlo estimators (seeded ``numpy.random.default_rng``, vectorised) return an
:class:`~derivations.engine.Estimate` with its standard error; deterministic evaluators (the normal
density's power series integrated term by term, maxima located by a root of the derivative, the argmax of the
exact-erf law by the root of its slope) work at
the current ``mpmath.mp.dps``.  Each quantity carries the exact value the derivation gives where there
is one (:mod:`.algebra`), so the engine proves with the one and checks with the other.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import Estimate, quantity
from numeric.extrema import maximize
from derivations.toolkit.gaussian import erf_surrogate_worst, normal_poly_integral

from .algebra import (SURGE_KAPPA, TOY_ETA, TOY_G, TOY_SIGMA, B, common_mean_peak, derived_sgd_optimum,
                      derived_stationary_variance, eta, gg, gHg, h, sigma2, sign_mean_exact, sign_optimum_exact,
                      sign_product_exact, surge_data, toy_batch_cov_exact, toy_batch_mean_exact, toy_decrease_at,
                      toy_problem, trSH)

BATCHES = 50_000  # Monte Carlo batch means for C1 and N4


@lru_cache(maxsize=4)
def batch_mean_moments(Bv: int, seed: int):
    """Mean and covariance of :data:`BATCHES` batch means of ``Bv`` i.i.d. per-example gradients
    ``g + L e`` (``L L^T = Sigma`` of the toy, ``e`` centred unit exponentials: skewed, not
    Gaussian), with their standard errors: ``(mean, se_mean, cov, se_cov)``."""
    rng = np.random.default_rng(seed)
    g, L = np.array(TOY_G, float), np.linalg.cholesky(np.array(TOY_SIGMA, float))
    e = rng.standard_exponential((BATCHES, Bv, 2)) - 1.0
    means = g + (e @ L.T).mean(axis=1)
    mu = means.mean(axis=0)
    c = means - mu
    prods = c[:, :, None] * c[:, None, :]
    return (mu, means.std(axis=0, ddof=1) / np.sqrt(BATCHES), prods.mean(axis=0) * BATCHES / (BATCHES - 1),
            prods.std(axis=0, ddof=1) / np.sqrt(BATCHES))


def _batch_mean(i, Bv, seed):
    mu, se, _, _ = batch_mean_moments(int(Bv), seed)
    return Estimate(float(mu[i]), float(se[i]), BATCHES)


def _batch_cov(i, j, Bv, seed):
    _, _, cov, se = batch_mean_moments(int(Bv), seed)
    return Estimate(float(cov[i, j]), float(se[i, j]), BATCHES)


BatchMean = quantity("BatchMean", exact=toy_batch_mean_exact, estimator=_batch_mean,
                     how=f"double sum; Monte Carlo of {BATCHES} skewed batches")


BatchCov = quantity("BatchCov", exact=toy_batch_cov_exact, estimator=_batch_cov,
                    how=f"double sum; Monte Carlo of {BATCHES} skewed batches")


CHAINS, CHAIN_STEPS = 10_000, 100


def _stationary_variance(eta_v, h_v, s2, Bv, seed):
    """Variance of ``w`` after 100 SGD steps ``w <- w - eta (h w + sqrt(s2/B) z)`` from ``w=0`` over
    10000 independent chains (``w`` is Gaussian: SE of the variance ``v sqrt(2/(n-1))``)."""
    rng = np.random.default_rng(seed)
    w = np.zeros(CHAINS)
    s = np.sqrt(s2 / Bv)
    for _ in range(CHAIN_STEPS):
        w -= eta_v * (h_v * w + s * rng.standard_normal(CHAINS))
    v = float(w.var(ddof=1))
    return Estimate(v, v * np.sqrt(2.0 / (CHAINS - 1)), CHAINS)


def _stationary_variance_exact(eta_v, h_v, s2, Bv):
    """The fixed point of the variance recursion (C3's derivation)."""
    return derived_stationary_variance()[0].subs({eta: eta_v, h: h_v, sigma2: s2, B: Bv})


StationaryVariance = quantity("StationaryVariance", exact=_stationary_variance_exact,
                              estimator=_stationary_variance, positive=True,
                              how=f"fixed point; {CHAINS} simulated SGD chains")


MC_DIM, MC_PROBLEM_SEED, MC_B, MC_STEPS = 5, 12345, 8, 200_000


@lru_cache(maxsize=None)
def random_quadratic():
    """The spec's seeded positive-definite quadratic in d=5 (seed 12345): (g, H, Sigma) as float64."""
    rng = np.random.default_rng(MC_PROBLEM_SEED)
    A, C = rng.standard_normal((MC_DIM, MC_DIM)), rng.standard_normal((MC_DIM, MC_DIM))
    return rng.standard_normal(MC_DIM), A @ A.T / MC_DIM + 0.5 * np.eye(MC_DIM), C @ C.T / MC_DIM


def mc_aggregates():
    """g^T g, g^T H g, tr(Sigma H) of the random quadratic (the exact values of their binary64 results)."""
    g, H, S = random_quadratic()
    return {gg: sp.Rational(float(g @ g)), gHg: sp.Rational(float(g @ H @ g)), trSH: sp.Rational(float((S * H).sum()))}


def sgd_step_samples(g, H, Sigma, Bv: int, n: int, seed: int):
    """``n`` Gaussian batch gradients ``u ~ N(g, Sigma/B)`` (A2) as the per-sample scalars
    ``(u^T g, u^T H u)`` that the one-step loss change of a quadratic needs."""
    rng = np.random.default_rng(seed)
    g, H = np.asarray(g, float), np.asarray(H, float)
    L = np.linalg.cholesky(np.asarray(Sigma, float) / Bv)
    u = g + rng.standard_normal((n, len(g))) @ L.T
    return u @ g, ((u @ H) * u).sum(axis=1)


def ratio_estimate(x: np.ndarray, y: np.ndarray) -> Estimate:
    """``mean(x)/mean(y)`` with its delta-method standard error."""
    n = len(x)
    mx, my = x.mean(), y.mean()
    r = mx / my
    var = (x.var(ddof=1) - 2 * r * np.cov(x, y)[0, 1] + r * r * y.var(ddof=1)) / (my * my * n)
    return Estimate(float(r), float(np.sqrt(var)), n)


def _sgd_argmin(Bv, seed):
    """The minimiser \\(\\overline{u^\\top g}/\\overline{u^\\top Hu}\\) of the sampled one-step loss of the random quadratic."""
    g, H, S = random_quadratic()
    return ratio_estimate(*sgd_step_samples(g, H, S, int(Bv), MC_STEPS, seed))


def _sgd_argmin_exact(Bv):
    """C5's derived stationary point on the random quadratic."""
    return derived_sgd_optimum()[0].subs(mc_aggregates()).subs(B, Bv)


SgdArgmin = quantity("SgdArgmin", exact=_sgd_argmin_exact, estimator=_sgd_argmin,
                     positive=True, how=f"stationary point; Monte Carlo argmin, {MC_STEPS} steps")


DECREASE_STEPS = 100_000


@lru_cache(maxsize=4)
def _toy_samples(Bv: int, seed: int):
    g, H, S = (np.array(M, float) for M in toy_problem())
    return sgd_step_samples(g.ravel(), H, S, Bv, DECREASE_STEPS, seed)


def _decrease_samples(f, Bv, seed):
    """Per-sample one-step decrease ``L(w) - L(w - eta u) = eta u^T g - eta^2 u^T H u/2`` of the toy
    quadratic (exact for a quadratic) at ``eta = f * 200/347``."""
    ug, uHu = _toy_samples(int(Bv), seed)
    e = f * float(TOY_ETA)
    return e * ug - 0.5 * e * e * uHu


def _toy_decrease_mc(f, Bv, seed):
    s = _decrease_samples(f, Bv, seed)
    return Estimate(float(s.mean()), float(s.std(ddof=1) / np.sqrt(len(s))), len(s))


def _toy_advantage_mc(f, Bv, seed):
    """Common random numbers: the decrease at \\(\\eta^*\\) minus the decrease at \\(f\\eta^*\\), sample by sample."""
    s = _decrease_samples(1, Bv, seed) - _decrease_samples(f, Bv, seed)
    return Estimate(float(s.mean()), float(s.std(ddof=1) / np.sqrt(len(s))), len(s))


ToyDecrease = quantity("ToyDecrease", exact=toy_decrease_at, estimator=_toy_decrease_mc,
                       how=f"C4's model; Monte Carlo, {DECREASE_STEPS} steps")


def _toy_advantage_exact(f, Bv):
    return toy_decrease_at(1, Bv) - toy_decrease_at(f, Bv)


ToyAdvantage = quantity("ToyAdvantage", exact=_toy_advantage_exact,
                        estimator=_toy_advantage_mc,
                        how=f"C4's model; Monte Carlo with common random numbers")


def _sign_mean_quad(c):
    """\\(\\mathrm{sign}(c)\\,P(|z|<|c|)\\) by the density's power series integrated term by term:
    \\(\\mathrm{sign}(c+z)=\\mathrm{sign}(c)\\) on \\((-|c|,|c|)\\), and the two tails \\(\\pm1\\) beyond cancel (\\(\\varphi\\) is even)."""
    return mpmath.sign(c) * normal_poly_integral([1], -abs(c), abs(c))


SignMean = quantity("SignMean", exact=sign_mean_exact, evaluator=_sign_mean_quad, real=True,
                    how="Gaussian antiderivatives; termwise series of the density")


SIGN_MC = 100_000


def _sign_mean_mc(r, Bv, seed):
    """Monte Carlo of \\(\\mathbb E\\,\\mathrm{sign}(g+\\sigma z/\\sqrt B)\\) with \\(g/\\sigma=r\\)."""
    s = np.sign(r + np.random.default_rng(seed).standard_normal(SIGN_MC) / np.sqrt(Bv))
    return Estimate(float(s.mean()), float(s.std(ddof=1) / np.sqrt(SIGN_MC)), SIGN_MC)


def _sign_product_mc(a, b, seed):
    """Monte Carlo of \\(\\mathbb E[\\mathrm{sign}(a+z_1)\\mathrm{sign}(b+z_2)]\\), independent \\(z_1,z_2\\)."""
    z = np.random.default_rng(seed).standard_normal((SIGN_MC, 2))
    p = np.sign(a + z[:, 0]) * np.sign(b + z[:, 1])
    return Estimate(float(p.mean()), float(p.std(ddof=1) / np.sqrt(SIGN_MC)), SIGN_MC)


def _sign_mean_at(r, Bv):
    """C10's derived mean at \\(c=(g/\\sigma)\\sqrt B\\)."""
    return sign_mean_exact(r * sp.sqrt(Bv))


SignMeanMC = quantity("SignMeanMC", exact=_sign_mean_at, estimator=_sign_mean_mc, real=True,
                      how=f"Gaussian antiderivatives; Monte Carlo, {SIGN_MC} samples")


SignProduct = quantity("SignProduct", exact=sign_product_exact, estimator=_sign_product_mc, real=True,
                       how=f"quadrant masses; Monte Carlo, {SIGN_MC} samples")


def _erf_gap_max():
    return erf_surrogate_worst()[1]


def _erf_gap_argmax():
    return erf_surrogate_worst()[0]


ErfGapMax = quantity("ErfGapMax", evaluator=_erf_gap_max,
                     how="grid, then a root of the derivative")


ErfGapArgmax = quantity("ErfGapArgmax", evaluator=_erf_gap_argmax, how="its location")


SIGN_STEPS = 200_000


def _sign_argmin(Bv, seed):
    """Monte Carlo of the SignSGD optimum ``mean(phi^T g) / mean(phi^T H phi)``, ``phi = sign(g + sigma z/sqrt B)``, on the
    surge example."""
    g, H, sigma, *_ = surge_data()
    g, sigma, H = np.array(g, float), np.array(sigma, float), np.array(H, float)
    phi = np.sign(g + sigma * np.random.default_rng(seed).standard_normal((SIGN_STEPS, len(g))) / np.sqrt(Bv))
    return ratio_estimate(phi @ g, ((phi @ H) * phi).sum(axis=1))


SignArgmin = quantity("SignArgmin", exact=sign_optimum_exact, estimator=_sign_argmin, positive=True,
                      how=f"C12 with C10's moments; Monte Carlo of sign updates")


def _mp(x):
    return mpmath.mpf(x.p) / x.q


class ExactErfLaw:
    """The exact-erf law (C12 with \\(\\mu_i=\\mathrm{erf}(c_i\\sqrt B)\\), \\(c_i=g_i/(\\sigma_i\\sqrt2)\\); no surrogate, no mean field)
    \\(\\eta=N/M\\), \\(N=\\sum_i\\mu_ig_i\\), \\(M=\\sum_iH_{ii}+\\sum_{i\\ne j}H_{ij}\\mu_i\\mu_j\\), for exact ``g, H, sigma``, at the
    precision current when it is built; :meth:`slope` is \\(d\\eta/dB=(N'M-NM')/M^2\\) by the chain rule
    (\\(\\mu_i'=c_ie^{-c_i^2B}/\\sqrt{\\pi B}\\))."""

    def __init__(self, g, H, sigma):
        self.g = [_mp(gi) for gi in g]
        self.c = [gi / (_mp(si) * mpmath.sqrt(2)) for gi, si in zip(self.g, sigma)]
        self.H = [[_mp(H[i, j]) for j in range(len(g))] for i in range(len(g))]

    def _parts(self, Bv):
        d = len(self.g)
        mu = [mpmath.erf(c * mpmath.sqrt(Bv)) for c in self.c]
        coupled = [mpmath.fsum(self.H[i][j] * mu[j] for j in range(d) if j != i) for i in range(d)]
        N = mpmath.fsum(m * gi for m, gi in zip(mu, self.g))
        M = mpmath.fsum(self.H[i][i] for i in range(d)) + mpmath.fsum(mu[i] * coupled[i] for i in range(d))
        return N, M, coupled

    def __call__(self, Bv):
        N, M, _ = self._parts(mpmath.mpf(Bv))
        return N / M

    def slope(self, Bv):
        Bv = mpmath.mpf(Bv)
        N, M, coupled = self._parts(Bv)
        dmu = [c * mpmath.exp(-c * c * Bv) / mpmath.sqrt(mpmath.pi * Bv) for c in self.c]
        dN = mpmath.fsum(dm * gi for dm, gi in zip(dmu, self.g))
        dM = 2 * mpmath.fsum(dmu[i] * coupled[i] for i in range(len(self.g)))  # H symmetric
        return (dN * M - N * dM) / (M * M)


def sign_eta_exact(Bv, g, H, sigma):
    """The exact-erf law at one batch size (see :class:`ExactErfLaw`)."""
    return ExactErfLaw(g, H, sigma)(Bv)


@lru_cache(maxsize=None)
def _surge_law(k):
    g, H, sigma, *_ = surge_data(k=k)
    return g, H, sigma


def _erf_peak(k):
    """The batch size maximising the exact-erf law on the example with \\(\\sigma_i=\\kappa g_i\\): the root of its slope
    (secant from \\(0.4\\kappa^2\\)), numerically, without the common-mean shortcut of the exact value."""
    law = ExactErfLaw(*_surge_law(int(k)))
    x0 = mpmath.mpf(2) * k * k / 5
    return mpmath.findroot(law.slope, (x0, x0 * 1.1))


def _erf_peak_value(k):
    return ExactErfLaw(*_surge_law(int(k)))(_erf_peak(k))


def _erf_peak_exact(k):
    """\\(2\\kappa^2\\mathrm{erfinv}(e_*)^2\\) with the common exact mean \\(e_*\\) at the maximum (derived)."""
    return 2 * k ** 2 * sp.erfinv(common_mean_peak()[0]) ** 2


def _erf_peak_value_exact(k):
    return common_mean_peak()[1]


ErfPeak = quantity("ErfPeak", exact=_erf_peak_exact, evaluator=_erf_peak, positive=True,
                   how="common exact mean, d/de = 0; root of the exact-erf law's slope")


ErfPeakValue = quantity("ErfPeakValue", exact=_erf_peak_value_exact, evaluator=_erf_peak_value, positive=True,
                        how="the same, at the maximiser")


def _law_gap_max():
    g, H, sigma, Dv, Ov, G1v = surge_data()
    Dm, Om, Gm = (mpmath.mpf(int(v)) for v in (Dv, Ov, G1v))

    def rel(t):
        Bv = mpmath.exp(t)
        e = mpmath.erf(mpmath.sqrt(Bv / 2) / SURGE_KAPPA)
        b = 1 / mpmath.sqrt(1 + mpmath.pi * SURGE_KAPPA ** 2 / (2 * Bv))
        return (b * Gm / (Dm + b * b * Om)) / (e * Gm / (Dm + e * e * Om)) - 1

    return maximize(rel, -3, 7)


def _law_gap_value():
    return _law_gap_max()[1]


def _law_gap_location():
    return mpmath.exp(_law_gap_max()[0])


LawGapMax = quantity("LawGapMax", evaluator=_law_gap_value,
                     how="grid in log B, then a root of the derivative")


LawGapArgmax = quantity("LawGapArgmax", evaluator=_law_gap_location, how="its location B")
