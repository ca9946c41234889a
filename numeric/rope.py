"""Numerics of rotary position embedding (RoPE): rotations in both memory layouts, the
long-range-decay indicator, matrix exponentials of skew generators, quaternions and the
RoPE-Tie patch layout.

Every function comes in the form the checks need: ``mp_*`` functions work on lists of
``mpmath`` numbers at the caller's working precision (two-precision comparisons),
``np_*`` functions on float64 arrays (the precision real code runs at).

Layouts.  The post rotates *interleaved* pairs \\((x_{2i}, x_{2i+1})\\) by \\(m\\theta_i\\); most
PyTorch code (GPT-NeoX, LLaMA ``rotate_half``) rotates the *half-split* pairs
\\((x_j, x_{j+d/2})\\).  Both are described by the list of index pairs of :func:`pairs`.
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np

BASE = 10000


def pairs(d: int, layout: str = "interleaved") -> list[tuple[int, int]]:
    """Index pairs rotated together: ``(2i, 2i+1)`` (interleaved) or ``(j, j+d/2)`` (half)."""
    if d % 2:
        raise ValueError("d must be even")
    if layout == "interleaved":
        return [(2 * i, 2 * i + 1) for i in range(d // 2)]
    if layout == "half":
        return [(j, j + d // 2) for j in range(d // 2)]
    raise ValueError(f"unknown layout {layout!r}")


# --- mpmath (working precision set by the caller) ------------------------------------------

def mp_thetas(d: int, base=BASE, exponent: int = 2, start: int = 0) -> list:
    """\\(\\theta_i = b^{-e(i+\\mathrm{start})/d}\\), \\(i=0..d/2-1\\); the post: \\(e=2\\), start 0."""
    return [mpmath.power(base, -mpmath.mpf(exponent * (i + start)) / d) for i in range(d // 2)]


def mp_rotate(x, pos, thetas, layout: str = "interleaved") -> list:
    """\\(\\mathcal R_{pos}x\\): rotate each index pair by \\(pos\\cdot\\theta_i\\)."""
    out = list(x)
    for (a, b), th in zip(pairs(len(x), layout), thetas):
        c, s = mpmath.cos(pos * th), mpmath.sin(pos * th)
        out[a], out[b] = x[a] * c - x[b] * s, x[b] * c + x[a] * s
    return out


def mp_dot(x, y):
    return mpmath.fsum(a * b for a, b in zip(x, y))


def mp_complex_form(q, k, delta, thetas):
    """\\(\\mathrm{Re}\\sum_i h_i e^{\\mathrm i\\Delta\\theta_i}\\), \\(h_i=z_i(q)\\overline{z_i(k)}\\) (interleaved pairing)."""
    return mpmath.re(mpmath.fsum(h * mpmath.expj(delta * th) for h, th in zip(mp_h(q, k), thetas)))


def mp_h(q, k) -> list:
    """\\(h_i = (q_{2i}+\\mathrm iq_{2i+1})\\overline{(k_{2i}+\\mathrm ik_{2i+1})}\\)."""
    return [mpmath.mpc(q[2 * i], q[2 * i + 1]) * mpmath.mpc(k[2 * i], -k[2 * i + 1]) for i in range(len(q) // 2)]


def mp_partial_sums(delta, thetas) -> list:
    """\\(S_0=0,\\ S_j=\\sum_{i<j} e^{\\mathrm i\\Delta\\theta_i}\\) for \\(j=0..d/2\\)."""
    out, acc = [mpmath.mpc(0)], mpmath.mpc(0)
    for th in thetas:
        acc += mpmath.expj(delta * th)
        out.append(acc)
    return out


def mp_indicator(d: int, delta, base=BASE):
    """The post's decay indicator \\(F_d(\\Delta)=\\frac2d\\sum_{j=1}^{d/2}|S_j(\\Delta)|\\)."""
    s = mp_partial_sums(mpmath.mpf(delta), mp_thetas(d, base))
    return 2 * mpmath.fsum(abs(x) for x in s[1:]) / d


def mp_decay_bound(q, k, delta, thetas):
    """Right-hand side of C8: \\(\\max_i|h_{i+1}-h_i|\\sum_j|S_j|\\) with \\(h_{d/2}=0\\)."""
    h = mp_h(q, k) + [mpmath.mpc(0)]
    s = mp_partial_sums(delta, thetas)
    return max(abs(h[i + 1] - h[i]) for i in range(len(h) - 1)) * mpmath.fsum(abs(x) for x in s[1:])


def mp_random_vector(rng, d: int) -> list:
    """Seeded standard-normal vector as exact binary floats (the same point at every precision)."""
    return [mpmath.mpf(float(v)) for v in rng.standard_normal(d)]


# --- numpy float64 --------------------------------------------------------------------------

def np_thetas(d: int, base=BASE) -> np.ndarray:
    return float(base) ** (-2.0 * np.arange(d // 2) / d)


def np_rotate(x: np.ndarray, pos, thetas: np.ndarray, layout: str = "interleaved") -> np.ndarray:
    """\\(\\mathcal R_{pos}x\\) on the last axis of ``x`` (batched)."""
    idx = np.array(pairs(x.shape[-1], layout))
    a, b = idx[:, 0], idx[:, 1]
    c, s = np.cos(pos * thetas), np.sin(pos * thetas)
    out = np.empty_like(x)
    out[..., a] = x[..., a] * c - x[..., b] * s
    out[..., b] = x[..., b] * c + x[..., a] * s
    return out


def np_rope_code(x: np.ndarray, pos, thetas: np.ndarray, layout: str = "interleaved") -> np.ndarray:
    """The elementwise form used in code: \\(x\\odot c + \\rho(x)\\odot s\\) (C5), or with
    ``layout='half'`` the GPT-NeoX/LLaMA form \\(x\\odot\\hat c+\\mathrm{rh}(x)\\odot\\hat s\\) (C5')."""
    d = x.shape[-1]
    if layout == "interleaved":
        c, s = np.repeat(np.cos(pos * thetas), 2), np.repeat(np.sin(pos * thetas), 2)
        rho = np.empty_like(x)
        rho[..., 0::2], rho[..., 1::2] = -x[..., 1::2], x[..., 0::2]
        return x * c + rho * s
    c, s = np.tile(np.cos(pos * thetas), 2), np.tile(np.sin(pos * thetas), 2)
    rh = np.concatenate([-x[..., d // 2:], x[..., : d // 2]], axis=-1)
    return x * c + rh * s


def np_indicator(d: int, deltas, base=BASE) -> np.ndarray:
    """\\(F_d(\\Delta)\\) for an array of \\(\\Delta\\) (float64; 8+ digits for \\(|\\Delta|\\le 10^4\\))."""
    deltas = np.asarray(deltas, dtype=float)
    s = np.cumsum(np.exp(1j * np.multiply.outer(deltas, np_thetas(d, base))), axis=-1)
    return 2.0 * np.abs(s).sum(axis=-1) / d


def np_decay_trials(d: int, trials: int, seed: int, delta_range=(-500, 500)):
    """C8 on random inputs: returns (|score|, |sum h e^{i Delta theta}|, bound) arrays.

    \\(q\\) is scaled by U(0.1, 3) per trial so that the bound is tested at several scales.
    """
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


def np_layout_scores(d: int, seed: int, m: float, n: float, shift: float):
    """Scores \\((R_m q)^\\top(R_n k)\\) before and after shifting both positions by ``shift``:
    for the interleaved layout, the half-split layout, and the mixed pairing (interleaved
    \\(q\\), half-split \\(k\\)).  Returns {layout: (score, shifted score)}."""
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


# --- matrices: exponentials of skew generators, quaternions ---------------------------------

def skew3(a, b, c):
    """\\(B(a,b,c)\\) of the 2D search (spec C11a)."""
    return [[0, -a, -b], [a, 0, -c], [b, c, 0]]


def skew4(a, b, c, d, e, f):
    """\\(B_4(a,\\dots,f)\\) of the 2D search (spec C11b)."""
    return [[0, -a, -b, -d], [a, 0, -c, -e], [b, c, 0, -f], [d, e, f, 0]]


def mp_relative_defect(B1, B2, p1, p2):
    """\\(\\mathcal R_{x_1,y_1}^\\top\\mathcal R_{x_2,y_2}\\) and \\(\\mathcal R_{x_2-x_1,y_2-y_1}\\) with
    \\(\\mathcal R_{x,y}=\\exp(xB_1+yB_2)\\) (mpmath ``expm`` at the working precision)."""
    B1, B2 = mpmath.matrix(B1), mpmath.matrix(B2)
    (x1, y1), (x2, y2) = (tuple(map(mpmath.mpf, p)) for p in (p1, p2))

    def R(x, y):
        return mpmath.expm(x * B1 + y * B2)

    return R(x1, y1).T * R(x2, y2), R(x2 - x1, y2 - y1)


def frobenius(a) -> mpmath.mpf:
    return mpmath.sqrt(mpmath.fsum(abs(a[i, j]) ** 2 for i in range(a.rows) for j in range(a.cols)))


def quaternion_units() -> dict:
    """Real 4x4 matrices of left multiplication by \\(1,\\mathbf i,\\mathbf j,\\mathbf k\\) on
    \\((w,x,y,z)\\leftrightarrow w+x\\mathbf i+y\\mathbf j+z\\mathbf k\\)."""
    one = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    i = [[0, -1, 0, 0], [1, 0, 0, 0], [0, 0, 0, -1], [0, 0, 1, 0]]
    j = [[0, 0, -1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, -1, 0, 0]]
    k = [[0, 0, 0, -1], [0, 0, -1, 0], [0, 1, 0, 0], [1, 0, 0, 0]]
    return {"1": one, "i": i, "j": j, "k": k}


def quaternion_matrix(w, x, y, z):
    """\\(L(w+x\\mathbf i+y\\mathbf j+z\\mathbf k)\\) as an ``mpmath.matrix``."""
    u = quaternion_units()
    return sum((c * mpmath.matrix(u[name]) for c, name in ((x, "i"), (y, "j"), (z, "k"))),
               w * mpmath.matrix(u["1"]))


# --- RoPE-Tie (exact) --------------------------------------------------------------------------

def rope_tie_positions(L, w: int, h: int, s, t):
    """2D positions of an image of ``h`` rows x ``w`` columns after text ending at \\((L,L)\\):
    patch (row i, column j) at \\((L+is, L+jt)\\), row-major order.  Exact (ints/Fractions)."""
    return [(L + i * s, L + j * t) for i in range(1, h + 1) for j in range(1, w + 1)]


def rope_tie_gaps(L, w: int, h: int, s, t, K):
    """(first patch - last text token, next text token - last patch) as 2D vectors."""
    pos = rope_tie_positions(L, w, h, s, t)
    first, last = pos[0], pos[-1]
    return (first[0] - L, first[1] - L), (K - last[0], K - last[1])


def rope_tie_solutions(L, w: int, h: int) -> dict:
    """The two scalings of 10040: integer \\((s,t)=(w+1,h+1)\\) and 'image = wh tokens'."""
    L = Fraction(L)
    return {
        "integer": (Fraction(w + 1), Fraction(h + 1), L + (w + 1) * (h + 1)),
        "wh_tokens": (Fraction(w * h + 1, h + 1), Fraction(w * h + 1, w + 1), L + w * h + 1),
    }
