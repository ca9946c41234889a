"""Monte Carlo for the ReFlow post: the conditional velocity E[x1 - x0 | x_t] in a Gaussian model,
estimated by least squares on seeded samples (vectorised numpy)."""
from __future__ import annotations

import numpy as np


def regression_velocity(m: float, s: float, t: float, n: int, seed: int):
    """Least-squares line of ``y = x1 - x0`` on ``x_t = (1-t) x0 + t x1`` with ``x0 ~ N(0,1)``,
    ``x1 ~ N(m, s^2)`` independent; returns ``(intercept, slope, se_intercept, se_slope)``
    (classical OLS standard errors; in this Gaussian model the residual is independent of ``x_t``)."""
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal(n)
    x1 = m + s * rng.standard_normal(n)
    xt = (1 - t) * x0 + t * x1
    y = x1 - x0
    xc = xt - xt.mean()
    sxx = float(xc @ xc)
    slope = float(xc @ (y - y.mean())) / sxx
    intercept = float(y.mean() - slope * xt.mean())
    resid = y - intercept - slope * xt
    sigma2 = float(resid @ resid) / (n - 2)
    se_slope = (sigma2 / sxx) ** 0.5
    se_intercept = (sigma2 * (1 / n + xt.mean() ** 2 / sxx)) ** 0.5
    return intercept, slope, se_intercept, se_slope
