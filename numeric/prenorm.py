"""Monte Carlo of the idealised Pre-Norm / Post-Norm residual streams (vectorised numpy).

Model: linear branches \\(F_t(u)=W_tu\\), \\(W_t\\) with iid \\(\\mathcal N(0,1/d)\\) entries, drawn independently for
every sample and layer.  Given the past, \\(W_tu\\) is then exactly \\(\\mathcal N(0,\\|u\\|^2/d\\cdot I_d)\\), so the
branch output is sampled directly (no \\(d\\times d\\) matrices), and the samples are independent: standard
errors from the sample spread are valid.  ``Norm`` is RMSNorm, \\(\\sqrt d\\,u/\\|u\\|\\).
"""
from __future__ import annotations

import numpy as np


def rms_norm(x: np.ndarray) -> np.ndarray:
    """Row-wise RMSNorm ``sqrt(d) x / ||x||``."""
    return x * np.sqrt(x.shape[1]) / np.linalg.norm(x, axis=1, keepdims=True)


def _branch(rng, u):
    """``W u`` for a fresh Gaussian ``W`` per row: ``N(0, ||u||^2/d I)``."""
    scale = np.linalg.norm(u, axis=1, keepdims=True) / np.sqrt(u.shape[1])
    return scale * rng.standard_normal(u.shape)


def mean_se(values: np.ndarray) -> tuple[float, float]:
    """Sample mean and its standard error."""
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(len(values)))


def prenorm_stream(d: int, n: int, layers: int, seed: int):
    """Pre-Norm stream ``x_{t+1} = x_t + W_t Norm(x_t)`` for ``t < layers``.  Since ``||Norm x|| = sqrt(d)``,
    the branch output is exactly ``N(0, I_d)`` given the past.  Returns per-sample arrays of shape
    ``(layers, n)``: ``sq[t] = ||x_t||^2/d`` and ``cos[t] = cos(x_t, x_{t+1})``.  (The relative change of the
    normalised input, ``||Norm x_{t+1} - Norm x_t|| / sqrt(d)``, is exactly ``sqrt(2 - 2 cos[t])``.)"""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    sq_x = (x * x).sum(1)
    sq, cos = np.empty((layers, n)), np.empty((layers, n))
    for t in range(layers):
        g = rng.standard_normal((n, d))
        cross = (x * g).sum(1)
        sq_next = sq_x + 2 * cross + (g * g).sum(1)
        sq[t] = sq_x / d
        cos[t] = (sq_x + cross) / np.sqrt(sq_x * sq_next)
        x, sq_x = x + g, sq_next
    return {"sq": sq, "cos": cos}


def postnorm_identity_weight(d: int, n: int, depths, seed: int):
    """Post-Norm stream ``x_{t+1} = Norm(x_t + W_t x_t)`` with real RMSNorm: the regression coefficient of
    ``x_l`` on ``x_0``, ``sum <x_l, x_0> / sum ||x_0||^2``, at each depth in ``depths``, with its standard error
    (delta method for a ratio of sample means)."""
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal((n, d))
    x = x0
    denom = (x0 * x0).sum(1)
    out = {}
    for layer in range(1, max(depths) + 1):
        x = rms_norm(x + _branch(rng, x))
        if layer in depths:
            num = (x * x0).sum(1)
            beta = num.sum() / denom.sum()
            resid = num - beta * denom
            out[layer] = (float(beta), float(np.sqrt((resid ** 2).sum() * n / (n - 1)) / denom.sum()))
    return out
