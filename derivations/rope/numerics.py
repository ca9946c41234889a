r"""The numerics of the RoPE posts: the decay indicator (mpmath at the caller's precision, Arb balls,
float64), the extremal input of the decay bound, matrix exponentials, and float64 rotations in both
layouts (what real code runs, for the figures and the reference values).

``mp_*`` functions work at the current ``mpmath.mp.dps`` (the engine calls them at two precisions);
``np_*`` functions are float64.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np

from derivations.rope.algebra import BASE, combination, skew3, skew4


# --- the decay indicator F_d -----------------------------------------------------------------

@lru_cache(maxsize=16)
def mp_freqs(d: int, dps: int) -> tuple:
    r"""\(\theta_i=10000^{-2i/d}\) at ``dps`` digits."""
    with mpmath.workdps(dps):
        return tuple(mpmath.power(BASE, -mpmath.mpf(2 * i) / d) for i in range(d // 2))


def mp_indicator(d, delta):
    r"""\(F_d(\Delta)=\frac2d\sum_j|S_j(\Delta)|\) by cumulative sums of \(e^{\mathrm i\Delta\theta_i}\)."""
    d = int(d)
    acc, total = mpmath.mpc(0), mpmath.mpf(0)
    for t in mp_freqs(d, mpmath.mp.dps):
        acc += mpmath.expj(delta * t)
        total += abs(acc)
    return 2 * total / d


def arb_indicator(d, delta, digits):
    r"""A rigorous ball (python-flint ``acb``/``arb``) containing \(F_d(\Delta)\); ``d``, ``delta`` are balls."""
    import flint
    dd = int(d.unique_fmpz())
    acc, total = flint.acb(0), flint.arb(0)
    for i in range(dd // 2):
        acc += flint.acb(0, delta * flint.arb(BASE) ** (flint.arb(-2 * i) / dd)).exp()
        total += abs(acc)
    return 2 * total / dd


def up_step_count():
    r"""How many unit steps on \([0,256]\) increase \(F_{128}\)."""
    return len(up_steps())


def first_up_step():
    r"""The first \(\Delta\) with \(F_{128}(\Delta+1)>F_{128}(\Delta)\)."""
    return up_steps()[0]


def up_steps() -> list:
    r"""The unit steps \(\Delta\to\Delta+1\), \(0\le\Delta<256\), on which \(F_{128}\) increases."""
    return _up_steps_at(mpmath.mp.dps)


@lru_cache(maxsize=4)
def _up_steps_at(dps):
    r"""\(F_{128}(0..256)\) from the definition with \(e^{\mathrm i(\Delta+1)\theta_i}=e^{\mathrm i\Delta\theta_i}e^{\mathrm i\theta_i}\)
    (a product per step instead of an exponential; 256 roundings, far below the working precision)."""
    with mpmath.workdps(dps):
        step = [mpmath.expj(t) for t in mp_freqs(128, dps)]
        z = [mpmath.mpc(1)] * len(step)
        F = []
        for _ in range(257):
            acc, total = mpmath.mpc(0), mpmath.mpf(0)
            for v in z:
                acc += v
                total += abs(acc)
            F.append(total / 64)
            z = [a * b for a, b in zip(z, step)]
        return [v for v in range(256) if F[v + 1] > F[v]]


@lru_cache(maxsize=64)
def extremal_h(delta, th: tuple, dps: int) -> list:
    r"""\(h_i=\sum_{l\ge i}\overline{S_{l+1}}/|S_{l+1}|\): the coefficients at which the decay bound is attained."""
    with mpmath.workdps(dps):
        acc, w = mpmath.mpc(0), []
        for t in th:
            acc += mpmath.expj(delta * t)
            w.append(mpmath.conj(acc) / abs(acc))
        return [mpmath.fsum(w[i:]) for i in range(len(th))]


def extremal_entry(i, delta, *th):
    r"""Entry ``i`` of \(q^*\), \(q^*_{2j}+\mathrm iq^*_{2j+1}=h_j\) (:func:`extremal_h`)."""
    h = extremal_h(delta, tuple(th), mpmath.mp.dps)[int(i) // 2]
    return h.real if int(i) % 2 == 0 else h.imag


# --- matrix exponentials -------------------------------------------------------------------------

def skew_generator(t, b01, b02, b03, b12, b13, b23) -> list:
    r"""\(tB\) for the 4x4 skew \(B\) with entries \(B_{ij}=b_{ij}\) below the diagonal."""
    return [[t * v for v in row] for row in skew4(b01, b02, b12, b03, b13, b23)]


def commuting_generator(b, c, f, x, y) -> list:
    r"""\(xB_1+yB_2\), \(B_1=B_4(1,b,c,0,0,0)\), \(B_2=B_4(0,0,0,cf,-bf,f)\) (commuting)."""
    return combination(x, skew4(1, b, c, 0, 0, 0), y, skew4(0, 0, 0, c * f, -b * f, f))


def noncommuting_generator(x, y) -> list:
    r"""\(xB(1,0,0)+yB(0,0,1)\) (not commuting)."""
    return combination(x, skew3(1, 0, 0), y, skew3(0, 0, 1))


@lru_cache(maxsize=256)
def _expm(generator, params: tuple, dps: int):
    with mpmath.workdps(dps):
        return mpmath.expm(mpmath.matrix(generator(*params)))


class ExpmEntry:
    r"""``ExpmEntry(generator)(i, j, *params)`` \(=\exp(\mathrm{generator}(*params))_{ij}\) by ``mpmath.expm`` at the
    working precision, one exponential per parameter point and precision (a class, so that statements holding it
    can be sent to a worker process)."""

    def __init__(self, generator):
        self.generator = generator

    def __call__(self, i, j, *params):
        return _expm(self.generator, tuple(params), mpmath.mp.dps)[int(i), int(j)]


# --- float64 (what real code runs) -------------------------------------------------------------

def np_thetas(d: int, base=BASE) -> np.ndarray:
    r"""\(\theta_i=\mathrm{base}^{-2i/d}\) in float64."""
    return float(base) ** (-2.0 * np.arange(d // 2) / d)


def pairs(d: int, layout: str = "interleaved") -> list:
    """Index pairs rotated together: ``(2i, 2i+1)`` (interleaved) or ``(j, j+d/2)`` (half)."""
    if layout == "interleaved":
        return [(2 * i, 2 * i + 1) for i in range(d // 2)]
    if layout == "half":
        return [(j, j + d // 2) for j in range(d // 2)]
    raise ValueError(f"unknown layout {layout!r}")


def np_rotate(x: np.ndarray, pos, thetas: np.ndarray, layout: str = "interleaved") -> np.ndarray:
    r"""\(\mathcal R_{pos}x\) pair by pair on the last axis of ``x``."""
    idx = np.array(pairs(x.shape[-1], layout))
    a, b = idx[:, 0], idx[:, 1]
    c, s = np.cos(pos * thetas), np.sin(pos * thetas)
    out = np.empty_like(x)
    out[..., a] = x[..., a] * c - x[..., b] * s
    out[..., b] = x[..., b] * c + x[..., a] * s
    return out


def np_rope_code(x: np.ndarray, pos, thetas: np.ndarray, layout: str = "interleaved") -> np.ndarray:
    r"""The elementwise form used in code: \(x\odot c+\rho(x)\odot s\), or with ``layout='half'`` the
    GPT-NeoX/LLaMA form \(x\odot\hat c+\mathrm{rh}(x)\odot\hat s\)."""
    d = x.shape[-1]
    if layout == "interleaved":
        c, s = np.repeat(np.cos(pos * thetas), 2), np.repeat(np.sin(pos * thetas), 2)
        rho = np.empty_like(x)
        rho[..., 0::2], rho[..., 1::2] = -x[..., 1::2], x[..., 0::2]
        return x * c + rho * s
    c, s = np.tile(np.cos(pos * thetas), 2), np.tile(np.sin(pos * thetas), 2)
    rh = np.concatenate([-x[..., d // 2:], x[..., : d // 2]], axis=-1)
    return x * c + rh * s


def np_partial_sums(d: int, deltas) -> np.ndarray:
    r"""\(S_j(\Delta)\), \(j=1..d/2\), for an array of \(\Delta\) (rows)."""
    deltas = np.asarray(deltas, dtype=float)
    return np.cumsum(np.exp(1j * np.multiply.outer(deltas, np_thetas(d))), axis=-1)


def np_indicator(d: int, deltas) -> np.ndarray:
    r"""\(F_d(\Delta)\) for an array of \(\Delta\) (float64: 8+ digits for \(|\Delta|\le10^4\))."""
    return 2.0 * np.abs(np_partial_sums(d, deltas)).sum(axis=-1) / d


def np_scores(q: np.ndarray, k: np.ndarray, deltas) -> np.ndarray:
    r"""\((\mathcal R_mq)^\top(\mathcal R_nk)=\mathrm{Re}\sum_ih_ie^{\mathrm i\Delta\theta_i}\) for an array of
    \(\Delta=m-n\) (the float64 complex form)."""
    h = (q[0::2] + 1j * q[1::2]) * np.conj(k[0::2] + 1j * k[1::2])
    return np.real(np.exp(1j * np.multiply.outer(np.asarray(deltas, float), np_thetas(len(q)))) @ h)


def np_extremal_query(d: int, delta: float) -> np.ndarray:
    r"""\(q^*(\Delta)\) in float64 (see :func:`extremal_h`), for \(k^*=(1,0,1,0,\dots)\)."""
    S = np_partial_sums(d, [delta])[0]
    w = np.conj(S) / np.abs(S)
    h = np.cumsum(w[::-1])[::-1]
    out = np.empty(d)
    out[0::2], out[1::2] = h.real, h.imag
    return out


def np_decay_trials(d: int, trials: int, seed: int, delta_range=(-500, 500)):
    r"""The decay bound on random inputs: (\(|\)score\(|\), \(|\sum h_ie^{\mathrm i\Delta\theta_i}|\), bound) arrays;
    \(q\) scaled by U(0.1, 3) per trial so that the bound is tested at several scales."""
    rng = np.random.default_rng(seed)
    th = np_thetas(d)
    q = rng.standard_normal((trials, d)) * rng.uniform(0.1, 3.0, (trials, 1))
    k = rng.standard_normal((trials, d))
    delta = rng.integers(*delta_range, size=trials).astype(float)
    m = rng.integers(0, 4096, size=trials).astype(float)
    n = m - delta
    score = np.einsum("td,td->t", _np_rotate_rows(q, m, th), _np_rotate_rows(k, n, th))
    h = (q[:, 0::2] + 1j * q[:, 1::2]) * np.conj(k[:, 0::2] + 1j * k[:, 1::2])
    e = np.exp(1j * np.multiply.outer(delta, th))
    mid = np.abs((h * e).sum(axis=1))
    hh = np.concatenate([h, np.zeros((trials, 1))], axis=1)
    bound = np.abs(np.diff(hh, axis=1)).max(axis=1) * np.abs(np.cumsum(e, axis=1)).sum(axis=1)
    return np.abs(score), mid, bound


def _np_rotate_rows(x, pos, thetas):
    ang = np.multiply.outer(pos, thetas)
    c, s = np.cos(ang), np.sin(ang)
    out = np.empty_like(x)
    out[:, 0::2] = x[:, 0::2] * c - x[:, 1::2] * s
    out[:, 1::2] = x[:, 1::2] * c + x[:, 0::2] * s
    return out


def np_layout_scores(d: int, seed: int, m: float, n: float, shift: float) -> dict:
    r"""Scores \((\mathcal R_mq)^\top(\mathcal R_nk)\) before and after shifting both positions by ``shift``, for
    the interleaved layout, the half-split layout and the mixed pairing (interleaved \(q\), half-split \(k\))."""
    rng = np.random.default_rng(seed)
    q, k = rng.standard_normal(d), rng.standard_normal(d)
    th = np_thetas(d)
    out = {}
    for name, lq, lk in (("interleaved", "interleaved", "interleaved"), ("half", "half", "half"),
                         ("mixed", "interleaved", "half")):
        s0 = np_rotate(q, m, th, lq) @ np_rotate(k, n, th, lk)
        s1 = np_rotate(q, m + shift, th, lq) @ np_rotate(k, n + shift, th, lk)
        out[name] = (float(s0), float(s1))
    return out


@lru_cache(maxsize=None)
def seed0_vectors(d: int = 64) -> tuple:
    r"""The spec's \(q,k\): numpy ``default_rng(0)`` standard normals (float64)."""
    rng = np.random.default_rng(0)
    return tuple(rng.standard_normal(d)), tuple(rng.standard_normal(d))
