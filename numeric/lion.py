"""Numerics for the Lion/Tiger embedding post: float32 momentum decay, the Adam step ratio,
and the weight-decay recurrence iterated by binary powering.

All routines are deterministic (no randomness) and vectorised or logarithmic in the number
of steps, so that they run in milliseconds.
"""
from __future__ import annotations

import mpmath
import numpy as np

SUBNORMAL_ULP32 = 2.0 ** -149  # smallest positive float32


def float32_momentum_decay(m0: float = 1e-4, beta: float = 0.9, max_steps: int = 100_000):
    """Iterate ``m <- fl32(beta * m)`` in IEEE float32 (round to nearest, gradual underflow).

    Returns ``(final, steps, stalled)``: ``final`` the last value (a Python float), ``steps``
    the number of multiplications that changed ``m``, ``stalled`` True when
    ``fl32(beta * m) == m != 0`` (a fixed point: ``m`` never reaches 0).
    """
    b = np.float32(beta)
    m = np.float32(m0)
    steps = 0
    with np.errstate(under="ignore"):
        while steps < max_steps:
            nxt = np.float32(m * b)
            if nxt == m:
                return float(m), steps, m != 0
            m = nxt
            steps += 1
            if m == 0:
                return 0.0, steps, False
    return float(m), steps, False


def adam_zero_gradient_steps(beta1: float, beta2: float, g: float, eps: float, ks) -> np.ndarray:
    """Adam's step ``m_k / (sqrt(v_k) + eps)`` (no bias correction) in float64 after one gradient
    ``g`` at step 0 followed by zero gradients, at the steps ``ks`` (vectorised: with ``g = 0``
    the moments are ``m_k = beta1^k m_0``, ``v_k = beta2^k v_0`` computed by repeated
    multiplication, i.e. exactly as an optimizer loop would)."""
    kmax = int(max(ks))
    m = np.empty(kmax + 1)
    v = np.empty(kmax + 1)
    m[0], v[0] = (1 - beta1) * g, (1 - beta2) * g * g
    for k in range(1, kmax + 1):  # a loop of a few hundred multiplications, like the optimizer
        m[k] = beta1 * m[k - 1]
        v[k] = beta2 * v[k - 1]
    steps = m / (np.sqrt(v) + eps)
    return steps[np.asarray(ks, dtype=int)]


def affine_power(a, b, n: int):
    """The map ``x -> a x + b`` composed ``n`` times, as ``(A, B)`` with ``x -> A x + B``,
    by binary powering (mpmath numbers at the current precision)."""
    ra, rb = mpmath.mpf(1), mpmath.mpf(0)      # result map
    pa, pb = mpmath.mpf(a), mpmath.mpf(b)      # current power of the map
    while n:
        if n & 1:
            ra, rb = pa * ra, pa * rb + pb      # apply result first, then the power (they commute)
        pa, pb = pa * pa, pa * pb + pb
        n >>= 1
    return ra, rb


def weight_decay_iterate(theta0, s, eta, lam, n: int):
    """``theta_n`` of ``theta_t = theta_{t-1} - eta (s + lam theta_{t-1})`` by composing the affine
    step ``n`` times (no closed form used)."""
    A, B = affine_power(1 - eta * lam, -eta * s, n)
    return A * theta0 + B


def weight_decay_float64(theta0: float, s: float, eta: float, lam: float, n: int) -> float:
    """The same recurrence iterated step by step in float64 (slow for large ``n``: tests only)."""
    th = theta0
    for _ in range(n):
        th = th - eta * (s + lam * th)
    return th
