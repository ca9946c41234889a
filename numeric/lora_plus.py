"""Float64 numerics for the LoRA+ derivation (:mod:`derivations.lora_plus`).

Everything is seeded (numpy ``default_rng``) and vectorised; shapes are the spec's.
Row-vector convention of the post: ``Y = X A B`` with ``X`` (b x n), ``A`` (n x r), ``B`` (r x m).
"""
from __future__ import annotations

import numpy as np


def tanh_loss(X, A, B, C) -> float:
    """The nonlinear test loss \\(L=\\sum_{ij} C_{ij}\\tanh((XAB)_{ij})\\)."""
    return float(np.sum(C * np.tanh(X @ A @ B)))


def tanh_loss_grads(X, A, B, C):
    """The post's gradients \\(X^\\top G B^\\top\\), \\(A^\\top X^\\top G\\) with \\(G=\\partial L/\\partial Y\\)."""
    G = C / np.cosh(X @ A @ B) ** 2
    return X.T @ G @ B.T, A.T @ X.T @ G


def _problem(b, n, r, m, seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((b, n)), rng.standard_normal((n, r)) / np.sqrt(n),
            rng.standard_normal((r, m)) / np.sqrt(r), rng.standard_normal((b, m)))


def finite_difference_errors(b=4, n=6, r=2, m=5, h=1e-6, seed=0) -> tuple[float, float]:
    """Max abs error of the closed-form gradients against central differences (step ``h``)."""
    X, A, B, C = _problem(b, n, r, m, seed)
    gA, gB = tanh_loss_grads(X, A, B, C)

    def fd(P, set_):
        out = np.empty_like(P)
        for idx in np.ndindex(P.shape):
            Pp, Pm = P.copy(), P.copy()
            Pp[idx] += h
            Pm[idx] -= h
            out[idx] = (set_(Pp) - set_(Pm)) / (2 * h)
        return out

    fA = fd(A, lambda P: tanh_loss(X, P, B, C))
    fB = fd(B, lambda P: tanh_loss(X, A, P, C))
    return float(np.max(np.abs(fA - gA))), float(np.max(np.abs(fB - gB)))


def signsgd_change(eta_a=1e-7, eta_b=3e-7, b=4, n=6, r=2, m=5, seed=0) -> tuple[float, float]:
    """(actual, first-order prediction) of the loss change after one SignSGD step:
    actual \\(L(A-\\eta_A\\mathrm{sign}\\,\\partial_A L, B-\\eta_B\\mathrm{sign}\\,\\partial_B L)-L(A,B)\\),
    predicted \\(-\\eta_A\\|\\partial_A L\\|_1-\\eta_B\\|\\partial_B L\\|_1\\)."""
    X, A, B, C = _problem(b, n, r, m, seed)
    gA, gB = tanh_loss_grads(X, A, B, C)
    actual = tanh_loss(X, A - eta_a * np.sign(gA), B - eta_b * np.sign(gB), C) - tanh_loss(X, A, B, C)
    predicted = -eta_a * np.abs(gA).sum() - eta_b * np.abs(gB).sum()
    return float(actual), float(predicted)


def output_std(n, r, m, b=256, var_b=None, seed=0) -> tuple[float, float]:
    """Empirical std of the entries of \\(XA\\) and \\(XAB\\) for \\(X_{ij}\\sim\\mathcal N(0,1)\\),
    \\(\\mathrm{Var}(A)=1/n\\) and \\(\\mathrm{Var}(B)=\\) ``var_b`` (default \\(1/r\\))."""
    rng = np.random.default_rng(seed)
    var_b = 1.0 / r if var_b is None else var_b
    X = rng.standard_normal((b, n))
    XA = np.einsum("bn,nr->br", X, rng.standard_normal((n, r)) / np.sqrt(n))
    XAB = np.einsum("br,rm->bm", XA, rng.standard_normal((r, m)) * np.sqrt(var_b))
    return float(XA.std()), float(XAB.std())


def l1_gradient_ratio(n, m, r, b=64, draws=5, seed=42) -> float:
    """Random model of the spec: \\(X,\\partial_Y L\\) i.i.d. \\(\\mathcal N(0,1)\\), \\(\\mathrm{Var}(A)=1/n\\),
    \\(\\mathrm{Var}(B)=1/r\\); the mean over ``draws`` of \\(\\|\\partial_A L\\|_1/\\|\\partial_B L\\|_1\\), which is
    exactly the rate ratio \\(\\eta_B/\\eta_A\\) that equalises the two SignSGD loss decrements."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(draws):
        X = rng.standard_normal((b, n))
        G = rng.standard_normal((b, m))
        A = rng.standard_normal((n, r)) / np.sqrt(n)
        B = rng.standard_normal((r, m)) / np.sqrt(r)
        # products ordered so that no n x m matrix is ever formed; einsum's own loop instead of BLAS, whose thread
        # start-up costs ~20x the arithmetic at these sizes
        grad_a = np.einsum("bn,br->nr", X, np.einsum("bm,rm->br", G, B))
        grad_b = np.einsum("br,bm->rm", np.einsum("bn,nr->br", X, A), G)
        out.append(np.abs(grad_a).sum() / np.abs(grad_b).sum())
    return float(np.mean(out))
