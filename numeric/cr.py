"""Monte Carlo and least-squares numerics for the CR-sampling derivation (:mod:`derivations.cr`)."""
from __future__ import annotations

import numpy as np

X_REF = ((1, 2, 0, 1), (0, 1, 3, 1), (2, 0, 1, 1))     # columns x_i
Y_REF = ((1, 0), (2, 1), (0, 1), (1, 3))               # rows y_i


def _outer_terms():
    X, Y = np.array(X_REF, dtype=float), np.array(Y_REF, dtype=float)
    return np.einsum("ki,ij->ikj", X, Y).reshape(X.shape[1], -1), (X @ Y).ravel()


def norms_product() -> np.ndarray:
    """\\(\\|x_i\\|\\,\\|y_i\\|=\\|\\mathrm{vec}(x_iy_i^\\top)\\|\\)."""
    terms, _ = _outer_terms()
    return np.linalg.norm(terms, axis=1)


def mc_error(p, r=2, draws=200_000, seed=0) -> tuple[float, float]:
    """Monte Carlo mean and standard error of \\(\\|\\widehat{XY}-XY\\|_F^2\\) for \\(r\\) i.i.d. draws from ``p``."""
    terms, target = _outer_terms()
    p = np.asarray(p, dtype=float)
    idx = np.random.default_rng(seed).choice(len(p), size=(draws, r), p=p)
    est = (terms / p[:, None])[idx].mean(axis=1)
    err = np.sum((est - target) ** 2, axis=1)
    return float(err.mean()), float(err.std(ddof=1) / np.sqrt(draws))


def dirichlet_search(draws=10_000, seed=0) -> float:
    """Smallest \\(\\sum_i\\|v_i\\|^2/p_i-\\|XY\\|_F^2\\) over Dirichlet(1,...,1) draws of \\(p\\)."""
    a2 = norms_product() ** 2
    p = np.random.default_rng(seed).dirichlet(np.ones(len(a2)), size=draws)
    _, target = _outer_terms()
    return float(np.min((a2 / p).sum(axis=1) - target @ target))


def diagonal_lstsq(S=(1, 3)) -> tuple[np.ndarray, float]:
    """Best diagonal \\(\\Lambda\\) in \\(\\|XY-C\\Lambda R\\|_F\\) by numpy least squares on the vectorised problem."""
    X, Y = np.array(X_REF, dtype=float), np.array(Y_REF, dtype=float)
    cols = np.stack([np.outer(X[:, s], Y[s]).ravel() for s in S], axis=1)
    lam, *_ = np.linalg.lstsq(cols, (X @ Y).ravel(), rcond=None)
    return lam, float(np.sum((cols @ lam - (X @ Y).ravel()) ** 2))
