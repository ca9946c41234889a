"""Numerics for the upsample-guidance post: s x s average pooling, nearest-neighbour upsampling, and a
vectorised Monte Carlo of pooled white noise."""
from __future__ import annotations

import numpy as np


def avg_pool(x: np.ndarray, s: int) -> np.ndarray:
    """``s x s`` average pooling of the last two axes (their sizes must be multiples of ``s``)."""
    *lead, h, w = x.shape
    return x.reshape(*lead, h // s, s, w // s, s).mean(axis=(-3, -1))


def upsample_nn(y: np.ndarray, s: int) -> np.ndarray:
    """Nearest-neighbour upsampling by ``s`` of the last two axes."""
    return np.repeat(np.repeat(y, s, axis=-2), s, axis=-1)


def pooled_noise_stats(fields: int, size: int, s: int, seed: int):
    """Pool ``fields`` iid N(0,1) fields of ``size x size`` pixels; returns ``(var, se_var, corr, se_corr)``: the
    variance of a pooled pixel and the correlation of horizontally neighbouring pooled pixels, each with its
    standard error (pooled pixels of one field are treated as independent draws, which is what is tested)."""
    rng = np.random.default_rng(seed)
    pooled = avg_pool(rng.standard_normal((fields, size, size)), s)
    v = pooled.ravel()
    var = float(np.mean(v * v))
    se_var = float(np.std(v * v, ddof=1) / np.sqrt(v.size))
    left, right = pooled[..., :, :-1].ravel(), pooled[..., :, 1:].ravel()
    prod = left * right / var
    corr = float(prod.mean())
    se_corr = float(prod.std(ddof=1) / np.sqrt(prod.size))
    return var, se_var, corr, se_corr


def guidance_residual(w: float, s: int, size: int, seed: int) -> tuple[float, float]:
    """Residual and scale of the guidance identity
    ``(1+w) eps_approx - w eps = eps + (1+w) U[eps_low/s - D[eps]]`` on random float64 arrays."""
    rng = np.random.default_rng(seed)
    eps = rng.standard_normal((size, size))
    low = rng.standard_normal((size // s, size // s))
    approx = upsample_nn(low, s) / s + eps - upsample_nn(avg_pool(eps, s), s)
    lhs = (1 + w) * approx - w * eps
    rhs = eps + (1 + w) * upsample_nn(low / s - avg_pool(eps, s), s)
    return float(np.abs(lhs - rhs).max()), float(np.abs(lhs).max())
