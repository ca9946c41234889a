"""Numerics for ``derivations.adam_epsilon``: moments of softsign and clip of a Gaussian,
the exact softsign model at large epsilon, and the curvature quantity Q(epsilon).

In the scaled variables \\(a=g\\sqrt B/\\sigma\\), \\(b=\\epsilon\\sqrt B/\\sigma\\) the update is
\\(\\mathrm{softsign}(\\tilde g,\\epsilon)=(a+z)/\\sqrt{(a+z)^2+b^2}\\), \\(z\\sim\\mathcal N(0,1)\\).

Deterministic moments are computed by composite Gauss-Legendre quadrature in float64 with
panels split where the integrand bends (\\(u=0\\), \\(\\pm b\\), \\(\\pm3b\\) in \\(u=a+z\\)); a value
is accepted only when two resolutions (``n`` and ``2n`` nodes per panel) agree to 1e-12.
The closed form of C3 is checked separately against ``mpmath.quad`` at 30 and 40 digits.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import numpy.polynomial.legendre  # noqa: F401  (lazy in numpy: load once here, not in every forked claim)

from numeric.identity import NumericOutcome

WINDOW = 12.0  # standard deviations: the Gaussian mass outside is < 1e-32
STABLE = 1e-12  # agreement required between the two resolutions


@lru_cache(maxsize=8)
def _legendre(n: int):
    return np.polynomial.legendre.leggauss(n)


def _panels(a: float, b: float, kinks) -> list[float]:
    lo, hi = a - WINDOW, a + WINDOW  # window in u = a + z
    cuts = sorted({lo, hi, *[k for k in kinks if lo < k < hi]})
    return cuts


def _expect(f, a: float, b: float, kinks, n: int) -> float:
    """\\(\\mathbb E f(a+z)\\) by composite Gauss-Legendre with ``n`` nodes per panel."""
    x, w = _legendre(n)
    total = 0.0
    cuts = _panels(a, b, kinks)
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        u = 0.5 * (hi - lo) * x + 0.5 * (hi + lo)
        dens = np.exp(-0.5 * (u - a) ** 2) / np.sqrt(2 * np.pi)
        total += 0.5 * (hi - lo) * np.dot(w, f(u) * dens)
    return float(total)


def expect_stable(f, a: float, b: float, kinks, n: int = 40) -> float:
    """:func:`_expect` at ``n`` and ``2n`` nodes per panel; raises if they differ by more than 1e-12."""
    v1, v2 = _expect(f, a, b, kinks, n), _expect(f, a, b, kinks, 2 * n)
    if abs(v1 - v2) > STABLE:
        raise ArithmeticError(f"quadrature not converged at a={a}, b={b}: {v1} vs {v2}")
    return v2


def softsign_moments(a: float, b: float) -> tuple[float, float]:
    """Exact \\(\\mathbb E[s]\\), \\(\\mathbb E[s^2]\\) for \\(s=(a+z)/\\sqrt{(a+z)^2+b^2}\\)."""
    kinks = (0.0, -b, b, -3 * b, 3 * b)
    m1 = expect_stable(lambda u: u / np.sqrt(u * u + b * b), a, b, kinks)
    m2 = expect_stable(lambda u: u * u / (u * u + b * b), a, b, kinks)
    return m1, m2


def clip_moments(a: float, b: float) -> tuple[float, float]:
    """Exact \\(\\mathbb E[c]\\), \\(\\mathbb E[c^2]\\) for \\(c=\\mathrm{clip}((a+z)/b)\\) (panels split at the kinks \\(\\pm b\\))."""
    kinks = (-b, b, 0.0)
    m1 = expect_stable(lambda u: np.clip(u / b, -1, 1), a, b, kinks)
    m2 = expect_stable(lambda u: np.clip(u / b, -1, 1) ** 2, a, b, kinks)
    return m1, m2


def softsign_mc(a: float, b: float, n: int, seed: int):
    """Monte Carlo of the two softsign moments: (m1, se1, m2, se2)."""
    rng = np.random.default_rng(seed)
    u = a + rng.standard_normal(n)
    s = u / np.sqrt(u * u + b * b)
    s2 = s * s
    return s.mean(), s.std(ddof=1) / np.sqrt(n), s2.mean(), s2.std(ddof=1) / np.sqrt(n)


def max_gap_grid(fn, a_values, b_values):
    """Largest ``|fn(a, b)|`` over a grid: (gap, a, b)."""
    best = (-1.0, None, None)
    for a in a_values:
        for b in b_values:
            v = abs(fn(a, b))
            if v > best[0]:
                best = (v, a, b)
    return best


def grid_gap_outcome(fn, a_values, b_values, tolerance: float, what: str) -> NumericOutcome:
    """Approximation gap over a grid of ``(a, b)``; checked when within ``tolerance``."""
    try:
        gap, a, b = max_gap_grid(fn, a_values, b_values)
    except ArithmeticError as exc:
        return NumericOutcome("unknown", None, None, str(exc))
    note = (f"max gap {gap:.4g} at (a, b) = ({a:g}, {b:g}) over a {len(a_values)}x{len(b_values)} grid "
            f"({what}; tolerance {tolerance:g})")
    if gap <= tolerance:
        return NumericOutcome("agree", None, None, note, {"gap": f"{gap:.4g}"})
    return NumericOutcome("disagree", None, {"text": note}, note, {"gap": f"{gap:.4g}"})


# --- C3: the clip mean, closed form against mpmath quadrature ------------------------------

def clip_mean_quad(a, b):
    """\\(\\mathbb E[\\mathrm{clip}((a+z)/b)]\\) by ``mpmath.quad`` with breakpoints at the kinks, at the
    current precision (three smooth pieces: -1, (a+z)/b, +1 times the normal density)."""
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    c = 1 / mpmath.sqrt(2 * mpmath.pi)
    dens = lambda z: c * mpmath.exp(-z * z / 2)  # noqa: E731
    left = mpmath.quad(dens, [-mpmath.inf, -a - b])
    mid = mpmath.quad(lambda z: (a + z) / b * dens(z), [-a - b, -a + b])
    right = mpmath.quad(dens, [-a + b, mpmath.inf])
    return right - left + mid


# --- the exact softsign model at large epsilon (C8 erratum) -------------------------------

def exact_model_eta_over_eps(eps: float, g, H, sigma2: float, B: float) -> float:
    """\\(\\eta^*/\\epsilon\\) of the exact softsign model (no clip, no erf surrogate, no mean field):
    C12 with \\(\\mathbb E\\varphi_i\\), \\(\\mathbb E\\varphi_i^2\\) computed by quadrature and independent components."""
    sd = np.sqrt(sigma2 / B)
    m1, m2 = [], []
    for gi in g:
        x, y = softsign_moments(gi / sd, eps / sd)
        m1.append(x)
        m2.append(y)
    m1, m2, g, H = np.array(m1), np.array(m2), np.asarray(g, float), np.asarray(H, float)
    M = np.outer(m1, m1)
    np.fill_diagonal(M, m2)
    return float(m1 @ g / np.trace(M @ H) / eps)


# --- Q(epsilon) -----------------------------------------------------------------------------

def Q_of_eps(eps, g, H):
    """\\(Q=\\nu^\\top H\\nu\\), \\(\\nu_i=g_i/\\sqrt{g_i^2+\\epsilon^2}\\) (\\(\\nu=\\mathrm{sign}\\,g\\) at \\(\\epsilon=0\\)), in mpmath."""
    nu = [mpmath.sign(gi) if eps == 0 else gi / mpmath.sqrt(gi * gi + eps * eps) for gi in g]
    return mpmath.fsum(nu[i] * H[i][j] * nu[j] for i in range(len(g)) for j in range(len(g)))
