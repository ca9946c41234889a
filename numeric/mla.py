"""mpmath numerics for the MLA derivation (:mod:`derivations.mla`): causal attention with decoupled RoPE in
its training (MHA) form and its decoding (MQA, absorbed) form. Row vectors, as in the post.

Weights come from numpy ``default_rng(seed)`` as float64, hence exact binary inputs at every precision.
"""
from __future__ import annotations

import mpmath
import numpy as np

SHAPES = dict(d=16, d_c=6, h=4, d_k=8, d_r=4, T=5)


def _m(a):
    a = np.atleast_2d(a)
    return mpmath.matrix([[mpmath.mpf(float(x)) for x in row] for row in a])


def rope(m, d_r):
    """Block-diagonal \\(\\mathcal R_m\\) (row-vector convention), angles \\(m\\theta_j\\), \\(\\theta_j=10000^{-2j/d_r}\\);
    \\(\\mathcal R_m\\mathcal R_n^\\top=\\mathcal R_{m-n}\\)."""
    R = mpmath.zeros(d_r, d_r)
    for j in range(d_r // 2):
        a = m * mpmath.power(10000, -mpmath.mpf(2 * j) / d_r)
        c, s = mpmath.cos(a), mpmath.sin(a)
        R[2 * j, 2 * j], R[2 * j, 2 * j + 1], R[2 * j + 1, 2 * j], R[2 * j + 1, 2 * j + 1] = c, s, -s, c
    return R


def weights(seed=0, **shapes):
    p = {**SHAPES, **shapes}
    rng = np.random.default_rng(seed)
    n = lambda *s: rng.standard_normal(s) / np.sqrt(s[0])  # noqa: E731
    return p, {
        "X": rng.standard_normal((p["T"], p["d"])), "W_c": n(p["d"], p["d_c"]), "W_kr": n(p["d"], p["d_r"]),
        "heads": [{"W_qc": n(p["d"], p["d_k"]), "W_kc": n(p["d_c"], p["d_k"]), "W_qr": n(p["d"], p["d_r"]),
                   "W_v": n(p["d_c"], p["d_k"]), "W_o": n(p["d_k"], p["d"])} for _ in range(p["h"])],
    }


def _mat(a):
    return [[mpmath.mpf(float(x)) for x in row] for row in np.atleast_2d(a)]


def _vecmat(v, M):
    """Row vector times matrix (lists of mpf), with exact-rounding dot products."""
    return [mpmath.fdot(v, col) for col in zip(*M)]


def _matmul(A, B):
    return [_vecmat(row, B) for row in A]


def _transpose(A):
    return [list(col) for col in zip(*A)]


def _rope_list(m, d_r):
    R = rope(m, d_r)
    return [[R[i, j] for j in range(d_r)] for i in range(d_r)]


def _attend(q, k, values, t):
    """Causal softmax average over positions 0..t of ``values`` with logits \\(q_t\\cdot k_i\\)."""
    logits = [mpmath.fdot(q[t], k[i]) for i in range(t + 1)]
    top = max(logits)
    w = [mpmath.exp(s - top) for s in logits]
    z = mpmath.fsum(w)
    return [mpmath.fsum(w[i] * values[i][j] for i in range(t + 1)) / z for j in range(len(values[0]))]


def attention(form="mha", drop_wv=False, seed=0, **shapes):
    """The \\(T\\times d\\) output (list of rows) of one MLA layer with decoupled RoPE.

    ``mha``: per head \\(q=[x_tW_{qc},\\,x_tW_{qr}\\mathcal R_t]\\), \\(k=[c_iW_{kc},\\,x_iW_{kr}\\mathcal R_i]\\), value \\(c_iW_v\\), output
    map \\(W_o\\). ``mqa`` (decoding): query \\([x_tW_{qc}W_{kc}^\\top,\\,x_tW_{qr}\\mathcal R_t]\\), shared key \\([c_i,\\,x_iW_{kr}\\mathcal R_i]\\),
    shared value \\(c_i\\), per-head output map \\(W_vW_o\\) (or \\(W_o\\) restricted to the first \\(d_c\\) rows when ``drop_wv``)."""
    p, w = weights(seed, **shapes)
    X, Wc, Wkr = _mat(w["X"]), _mat(w["W_c"]), _mat(w["W_kr"])
    T = p["T"]
    C = _matmul(X, Wc)
    R = [_rope_list(i, p["d_r"]) for i in range(T)]
    rope_k = [_vecmat(_vecmat(X[i], Wkr), R[i]) for i in range(T)]
    out = [[mpmath.mpf(0)] * p["d"] for _ in range(T)]
    for head in w["heads"]:
        Wqc, Wkc, Wqr, Wv, Wo = (_mat(head[k]) for k in ("W_qc", "W_kc", "W_qr", "W_v", "W_o"))
        rope_q = [_vecmat(_vecmat(X[t], Wqr), R[t]) for t in range(T)]
        if form == "mha":
            q = [_vecmat(X[t], Wqc) + rope_q[t] for t in range(T)]
            k = [_vecmat(C[i], Wkc) + rope_k[i] for i in range(T)]
            v = [_vecmat(_vecmat(C[i], Wv), Wo) for i in range(T)]
            rows = [_attend(q, k, v, t) for t in range(T)]
        else:
            absorbed = _matmul(Wqc, _transpose(Wkc))
            q = [_vecmat(X[t], absorbed) + rope_q[t] for t in range(T)]
            k = [C[i] + rope_k[i] for i in range(T)]
            out_map = Wo[: p["d_c"]] if drop_wv else _matmul(Wv, Wo)
            rows = [_vecmat(_attend(q, k, C, t), out_map) for t in range(T)]
        for t in range(T):
            out[t] = [a + b for a, b in zip(out[t], rows[t])]
    return mpmath.matrix(out)


def rope_middle_matrices(seed=0, d_k=8):
    """Middle matrices \\(W_q\\mathcal R_{t-i}W_k^\\top\\) of the RoPE logit at offsets 3 and 2, their largest entry difference,
    and the change of the logit when \\(t,i\\) shift together (7,4 -> 3,0)."""
    rng = np.random.default_rng(seed)
    Wq, Wk = _m(rng.standard_normal((d_k, d_k))), _m(rng.standard_normal((d_k, d_k)))
    x, c = _m(rng.standard_normal(d_k)), _m(rng.standard_normal(d_k))
    mid = {o: Wq * rope(o, d_k) * Wk.T for o in (2, 3)}
    diff = max(abs(mid[3][i, j] - mid[2][i, j]) for i in range(d_k) for j in range(d_k))
    logit = lambda t, i: (x * Wq * rope(t, d_k) * (c * Wk * rope(i, d_k)).T)[0]  # noqa: E731
    naive = (x * Wq * Wk.T * c.T)[0]
    return diff, logit(7, 4) - logit(3, 0), abs(logit(7, 4) - naive)


def rope_numbers(seed=0, d_k=8):
    """The largest entry difference of the middle matrices at offsets 3 and 2, and the RoPE logits at
    \((t,i)=(7,4)\) and \((3,0)\)."""
    rng = np.random.default_rng(seed)
    Wq, Wk = _m(rng.standard_normal((d_k, d_k))), _m(rng.standard_normal((d_k, d_k)))
    x, c = _m(rng.standard_normal(d_k)), _m(rng.standard_normal(d_k))
    mid = {o: Wq * rope(o, d_k) * Wk.T for o in (2, 3)}
    diff = max(abs(mid[3][i, j] - mid[2][i, j]) for i in range(d_k) for j in range(d_k))
    logit = lambda t, i: (x * Wq * rope(t, d_k) * (c * Wk * rope(i, d_k)).T)[0]  # noqa: E731
    return diff, logit(7, 4), logit(3, 0)
