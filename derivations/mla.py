r"""Cache versus quality: from MHA, MQA, GQA to MLA.

Post: Su Jianlin, 《缓存与效果的极限拉扯：从MHA、MQA、GQA到MLA》 ("The tug of war between cache and quality: from MHA, MQA,
GQA to MLA"), Scientific Spaces, 2024-05-13, https://kexue.fm/archives/10091.
Builds on: Shazeer 2019 (MQA, arXiv:1911.02150); Ainslie et al. 2023 (GQA, arXiv:2305.13245); DeepSeek-AI, DeepSeek-V2
(MLA, arXiv:2405.04434).
Spec: ``shared/spec/catalog.md``, cards mla-C1..C3.

Main results
------------
* ``C1.cache-sizes``: KV-cache per token and layer: MHA \(2hd_k\), MQA \(2d_k\), GQA \(2gd_k\), MLA \(d_c+d_r\) (DeepSeek-V2:
  32768, 256, 2048, 576; MHA/MLA \(=512/9\); MLA = GQA with \(g=9/4\)) (proved, exact arithmetic).
* ``C2.absorption``: \((x_tW_q)(c_iW_k)^\top=x_t(W_qW_k^\top)c_i^\top\) and \(\sum_ia_ic_iW_v=(\sum_ia_ic_i)W_v\); with decoupled RoPE
  the training (MHA) and decoding (MQA) logits are equal (proved); ``C2.full-layer``: the two forms of a whole causal layer
  agree (checked, two precisions).
* ``C3.relative-position``: \(\mathcal R_m\mathcal R_n^\top=\mathcal R_{m-n}\), translation invariance (proved);
  ``C3.no-absorption``: the middle matrix \(W_q\mathcal R_{t-i}W_k^\top\) depends on the offset (\(\cos2>\cos3\)), so no
  position-independent absorption (proved); ``C3.random-instance``: the same on random weights (checked).

Hypotheses
----------
* Row vectors; RoPE \(\mathcal R_m\) block-diagonal, \(\theta_j=10000^{-2j/d_r}\); \(d_k=d_v\); DeepSeek-V2's \(h=128\), \(d_k=128\),
  \(d_c=512\), \(d_r=64\), \(d=5120\). Symbolic checks with \(2\times2\) blocks and generic entries; numeric ones with
  \(d=16\), \(d_c=6\), \(h=4\), \(d_k=8\), \(d_r=4\), \(T=5\), numpy seed 0.

Notation
--------
\(c_i=x_iW_c\) the cached latent; \(W_{qc},W_{kc},W_{qr},W_{kr},W_v,W_o\) per-head projections (\(W_{kr}\) shared); \(g\) groups.

Errata
------
* ``E1.head-dim``: the decoding heads are \(4.5\times\) (Q, K) and \(4\times\) (V) the usual head size, not "4×".
* ``E2.head-count``: \(h\) is \(128/(5120/128)=3.2\times\) the usual number of heads, not "3×".
* The card's random-instance numbers (middle matrices differ by 2.93, naive absorption error 38.3) cannot be reproduced
  from its description; C3.random-instance states what this draw gives (3.52 and 19.17).
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Derivation, Erratum, Figure, Identity, Inequality, claim, control, quantity,
                                real)
from derivations.engine.symbolic import trig_expand

V2 = {"h": 128, "d_k": 128, "d_c": 512, "d_r": 64, "g": 8, "d": 5120}
h, dk, dc, dr, gg = sp.symbols("h d_k d_c d_r g", positive=True)
SUBS = {h: V2["h"], dk: V2["d_k"], dc: V2["d_c"], dr: V2["d_r"], gg: V2["g"]}
CACHE = {"MHA": 2 * h * dk, "MQA": 2 * dk, "GQA": 2 * gg * dk, "MLA": dc + dr}


@claim("C1.cache-sizes", r"\text{MHA }2hd_k=32768,\ \text{MQA }2d_k=256,\ \text{GQA}_{g=8}\ 2gd_k=2048,\ \text{MLA }d_c+d_r=576;\ "
       r"\tfrac{\text{MHA}}{\text{MLA}}=\tfrac{512}9,\ \text{MLA}=\text{GQA}_{g=9/4}",
       hypotheses=(r"h=128,\ d_k=d_v=128,\ d_c=512,\ d_r=64",))
def cache_sizes():
    r"""Elements cached per token and layer: MHA stores \(K\) and \(V\) for every head, MQA one shared pair, GQA one pair per
    group, MLA at decoding one shared latent \(c_i\) plus one shared RoPE key, independent of \(h\)."""
    vals = [CACHE[k].subs(SUBS) for k in ("MHA", "MQA", "GQA", "MLA")]
    g_eq = ((dc + dr) / (2 * dk)).subs(SUBS)       # the g with 2 g d_k = d_c + d_r
    return Identity(sp.Matrix(vals + [vals[0] / vals[3], g_eq, sp.diff(CACHE["MLA"], h)]),
                    sp.Matrix([32768, 256, 2048, 576, sp.Rational(512, 9), sp.Rational(9, 4), 0]))


@control("N1.mha-only-k", r"\text{MHA cache}=hd_k=16384")
def mha_only_k():
    r"""Counting only the keys halves the MHA cache."""
    return Identity(CACHE["MHA"].subs(SUBS), (h * dk).subs(SUBS))


@control("N1.mla-per-head", r"\text{MLA cache}=h(d_c+d_r)=73728")
def mla_per_head():
    r"""The latent and the RoPE key are shared across heads: the MLA cache does not grow with \(h\)."""
    return Identity(CACHE["MLA"].subs(SUBS), (h * (dc + dr)).subs(SUBS))


@claim("E1.post-head-dim", r"\text{decoding head size}=4\,d_k\quad(\text{“4× larger heads”})")
def post_head_dim():
    r"""The post's round figure for the query/key head size of the absorbed (decoding) form."""
    return Identity(((dc + dr) / dk).subs(SUBS), 4)


@claim("E1.corrected-head-dim", r"\frac{d_c+d_r}{d_k}=\frac92\ (Q,K),\quad\frac{d_c}{d_v}=4\ (V)")
def corrected_head_dim():
    r"""Decoding queries and keys have \(d_c+d_r=576=4.5\,d_k\) entries, values \(d_c=512=4\,d_v\)."""
    return Identity(sp.Matrix([(dc + dr) / dk, dc / dk]).subs(SUBS), sp.Matrix([sp.Rational(9, 2), 4]))


@claim("E2.post-head-count", r"h=3\times\tfrac{d}{d_k}\quad(\text{“3× the usual number of heads”})")
def post_head_count():
    r"""The post's round figure for DeepSeek-V2's head count relative to \(d/d_k\)."""
    return Identity(sp.Integer(V2["h"]) / (sp.Integer(V2["d"]) / V2["d_k"]), 3)


@claim("E2.corrected-head-count", r"\frac{h}{d/d_k}=\frac{128}{5120/128}=\frac{16}5")
def corrected_head_count():
    r"""\(d=5120\), \(d_k=128\): the usual count is 40 heads, DeepSeek-V2 uses 128 = 3.2 times as many."""
    return Identity(sp.Integer(V2["h"]) / (sp.Integer(V2["d"]) / V2["d_k"]), sp.Rational(16, 5))


# ----------------------------------------------------------------------------- C2 absorption


def _sym(name, r, c):
    return sp.Matrix(r, c, lambda i, j: sp.Symbol(f"{name}{i}{j}", real=True))


x_t, x_i, c_i, c_j = _sym("x", 1, 2), _sym("y", 1, 2), _sym("c", 1, 2), _sym("u", 1, 2)
Wqc, Wkc, Wqr, Wkr, Wv = _sym("Q", 2, 2), _sym("K", 2, 2), _sym("P", 2, 2), _sym("S", 2, 2), _sym("V", 2, 2)
Rt, Ri = _sym("Rt", 2, 2), _sym("Ri", 2, 2)       # RoPE blocks: the identity needs no structure of them
a1, a2 = sp.symbols("alpha1 alpha2", real=True)
ALL = (*x_t, *x_i, *c_i, *c_j, *Wqc, *Wkc, *Wqr, *Wkr, *Wv, *Rt, *Ri, a1, a2)
DOM = {s: real(-2, 2) for s in ALL}


def _hcat(a, b):
    return a.row_join(b)


@claim("C2.absorption", r"q_tk_i^\top=x_t(W_{qc}W_{kc}^\top)c_i^\top+(x_tW_{qr}\mathcal R_t)(x_iW_{kr}\mathcal R_i)^\top,\quad"
       r"\sum_ia_ic_iW_v=\Big(\sum_ia_ic_i\Big)W_v")
def absorption():
    r"""Associativity and linearity: the training-form logit \([x_tW_{qc},\,x_tW_{qr}\mathcal R_t]\cdot[c_iW_{kc},\,x_iW_{kr}\mathcal R_i]\)
    equals the decoding-form logit \([x_tW_{qc}W_{kc}^\top,\,x_tW_{qr}\mathcal R_t]\cdot[c_i,\,x_iW_{kr}\mathcal R_i]\) (shared key,
    \(W_{kc}\) absorbed into the query), and the value map \(W_v\) moves past the attention average into the output map.
    Equal logits give equal softmax weights, so the two forms give identical outputs (C2.full-layer)."""
    q_train = _hcat(x_t * Wqc, x_t * Wqr * Rt)
    k_train = _hcat(c_i * Wkc, x_i * Wkr * Ri)
    q_dec = _hcat(x_t * Wqc * Wkc.T, x_t * Wqr * Rt)
    k_dec = _hcat(c_i, x_i * Wkr * Ri)
    lhs = sp.Matrix([(q_train * k_train.T)[0], *(a1 * c_i * Wv + a2 * c_j * Wv)])
    rhs = sp.Matrix([(q_dec * k_dec.T)[0], *((a1 * c_i + a2 * c_j) * Wv)])
    return Identity(lhs, rhs, DOM, points=2)


# --- numerics: one MLA layer in mpmath (weights from numpy, exact binary inputs at every precision) ----------

SHAPES = dict(d=16, d_c=6, h=4, d_k=8, d_r=4, T=5)


def _m(a):
    return mpmath.matrix([[mpmath.mpf(float(x)) for x in row] for row in np.atleast_2d(a)])


def rope(m, d_r):
    r"""Block-diagonal \(\mathcal R_m\) (row-vector convention), angles \(m\theta_j\), \(\theta_j=10000^{-2j/d_r}\);
    \(\mathcal R_m\mathcal R_n^\top=\mathcal R_{m-n}\)."""
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
    r"""Causal softmax average over positions 0..t of ``values`` with logits \(q_t\cdot k_i\)."""
    logits = [mpmath.fdot(q[t], k[i]) for i in range(t + 1)]
    top = max(logits)
    w = [mpmath.exp(s - top) for s in logits]
    z = mpmath.fsum(w)
    return [mpmath.fsum(w[i] * values[i][j] for i in range(t + 1)) / z for j in range(len(values[0]))]


def attention(form="mha", drop_wv=False, seed=0, **shapes):
    r"""The \(T\times d\) output (list of rows) of one MLA layer with decoupled RoPE.

    ``mha``: per head \(q=[x_tW_{qc},\,x_tW_{qr}\mathcal R_t]\), \(k=[c_iW_{kc},\,x_iW_{kr}\mathcal R_i]\), value \(c_iW_v\), output
    map \(W_o\). ``mqa`` (decoding): query \([x_tW_{qc}W_{kc}^\top,\,x_tW_{qr}\mathcal R_t]\), shared key \([c_i,\,x_iW_{kr}\mathcal R_i]\),
    shared value \(c_i\), per-head output map \(W_vW_o\) (or \(W_o\) restricted to the first \(d_c\) rows when ``drop_wv``)."""
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


def rope_numbers(seed=0, d_k=8):
    r"""The largest entry difference of the middle matrices at offsets 3 and 2, and the RoPE logits at
    \((t,i)=(7,4)\) and \((3,0)\)."""
    rng = np.random.default_rng(seed)
    Wq, Wk = _m(rng.standard_normal((d_k, d_k))), _m(rng.standard_normal((d_k, d_k)))
    x, c = _m(rng.standard_normal(d_k)), _m(rng.standard_normal(d_k))
    mid = {o: Wq * rope(o, d_k) * Wk.T for o in (2, 3)}
    diff = max(abs(mid[3][i, j] - mid[2][i, j]) for i in range(d_k) for j in range(d_k))
    logit = lambda t, i: (x * Wq * rope(t, d_k) * (c * Wk * rope(i, d_k)).T)[0]  # noqa: E731
    return diff, logit(7, 4), logit(3, 0)


def _layer(form):
    r"""The \(T\times d\) output of one causal MLA layer with decoupled RoPE (\(d=16\), \(d_c=6\), \(h=4\), \(d_k=8\),
    \(d_r=4\), \(T=5\), numpy seed 0) at the working precision: ``form`` 0 the training (MHA) form, 1 the decoding
    (MQA, absorbed) form."""
    return attention(("mha", "mqa")[int(form)])


MlaLayer = quantity("MlaLayer", evaluator=_layer, how="a full causal MLA layer (seed 0), mpmath")


@claim("C2.full-layer", r"\text{MHA (training) form}=\text{MQA (decoding) form on a causal layer}\quad(d=16,\ d_c=6,\ h=4,\ d_k=8,\ "
       r"d_r=4,\ T=5,\ \text{seed }0)", uses=("C2.absorption",))
def full_layer():
    r"""The card's numeric check of C2 on a whole layer: per head the training form (queries \([x_tW_{qc},x_tW_{qr}\mathcal R_t]\),
    keys \([c_iW_{kc},x_iW_{kr}\mathcal R_i]\), values \(c_iW_v\), output \(W_o\)) against the decoding form (absorbed query, shared
    key \([c_i,x_iW_{kr}\mathcal R_i]\), shared value \(c_i\), output \(W_vW_o\)); all \(5\times16\) outputs at two precisions (the
    card's float64 run differs by \(2.8\cdot10^{-14}\))."""
    return Identity(MlaLayer(0), MlaLayer(1))


@control("N2.drop-wv", r"\text{decoding form without }W_v^{(s)}:\ \Big(\sum_ia_ic_i\Big)W_o=\sum_ia_i(c_iW_v)W_o", symbolic=False)
def drop_wv():
    r"""Forgetting to merge \(W_v\) into the output map changes the output."""
    Wo = _sym("O", 2, 2)
    return Identity((a1 * c_i + a2 * c_j) * Wo, (a1 * c_i * Wv + a2 * c_j * Wv) * Wo,
                    {**DOM, **{s: real(-2, 2) for s in Wo}}, points=2)


# ----------------------------------------------------------------------------- C3 RoPE blocks absorption

m_, n_, s_, th = sp.symbols("m n s theta", real=True)


def rot2(angle):
    r"""One RoPE block (row-vector convention)."""
    return sp.Matrix([[sp.cos(angle), sp.sin(angle)], [-sp.sin(angle), sp.cos(angle)]])


def angle_addition_pythagoras(d):
    r"""Angle-addition expansion, then \(\sin^2u\to1-\cos^2u\) and expand (a canonical form for these polynomials)."""
    def pyth(e):
        return sp.expand(trig_expand(e).replace(lambda x: x.is_Pow and isinstance(x.base, sp.sin) and x.exp == 2,
                                                lambda x: 1 - sp.cos(x.base.args[0]) ** 2))
    return d.applyfunc(pyth) if isinstance(d, sp.MatrixBase) else pyth(d)


@claim("C3.relative-position", r"\mathcal R_m\mathcal R_n^\top=\mathcal R_{m-n},\quad\mathcal R_{m+s}\mathcal R_{n+s}^\top=\mathcal R_m\mathcal R_n^\top",
       strategies=(trig_expand, angle_addition_pythagoras))
def relative_position():
    r"""The angle-difference formulas, blockwise: the RoPE logit \(x_tW_q\mathcal R_{t-i}W_k^\top c_i^\top\) depends on \(t-i\) only
    (it is translation invariant)."""
    A = rot2(m_ * th) * rot2(n_ * th).T
    return Identity(sp.Matrix([*A, *(rot2((m_ + s_) * th) * rot2((n_ + s_) * th).T)]),
                    sp.Matrix([*rot2((m_ - n_) * th), *A]), {m_: real(-5, 5), n_: real(-5, 5), s_: real(-5, 5), th: real(0, 2)},
                    points=2)


@claim("C3.no-absorption", r"\exists\,t-i\ne t'-i':\ W_q\mathcal R_{t-i}W_k^\top\ne W_q\mathcal R_{t'-i'}W_k^\top"
       r"\quad(W_q=W_k=I,\ \theta=1:\ (\mathcal R_2)_{00}=\cos2>\cos3=(\mathcal R_3)_{00})",
       uses=("C3.relative-position",))
def no_absorption():
    r"""With RoPE on the compressed part, \(q_tk_i^\top=x_tW_q\mathcal R_{t-i}W_k^\top c_i^\top\): the middle matrix depends on the
    offset, so no single position-independent matrix can be merged into the query projection. Witness (\(W_q=W_k=I\),
    \(\theta=1\), offsets 2 and 3): the \((0,0)\) entries \(\cos2>\cos3\) (\(\cos\) decreases on \([0,\pi]\)). This is why MLA keeps a
    separate, uncompressed RoPE key."""
    return Inequality(rot2(2)[0, 0], ">", rot2(3)[0, 0])


def _rope_numbers(which):
    r"""On a random instance (\(d_k=8\), numpy seed 0, mpmath): ``which`` 0 the largest entry difference of the middle
    matrices \(W_q\mathcal R_oW_k^\top\) at offsets 3 and 2; 1 and 2 the RoPE logit at \((t,i)=(7,4)\) and \((3,0)\)."""
    diff, logit_74, logit_30 = rope_numbers()
    return (diff, logit_74, logit_30)[int(which)]


RopeNumber = quantity("RopeNumber", evaluator=_rope_numbers, how="random W_q, W_k, x, c (d_k=8, seed 0), mpmath")


@claim("C3.random-instance", r"d_k=8\ (\text{seed }0):\ \max|W_q(\mathcal R_3-\mathcal R_2)W_k^\top|>0,\quad "
       r"q_7k_4^\top=q_3k_0^\top", uses=("C3.relative-position", "C3.no-absorption"))
def random_instance():
    r"""The card's numeric check on random weights: the middle matrices at offsets 3 and 2 differ (by 3.52 in the
    largest entry with this draw), while shifting \(t\) and \(i\) together leaves the RoPE logit unchanged (translation
    invariance, two precisions)."""
    return All((Inequality(RopeNumber(0), ">", 0), Identity(RopeNumber(1), RopeNumber(2))),
               ("offsets 3, 2 differ", "shift (7,4) -> (3,0)"))


@control("N3.naive-absorption", r"x_tW_qW_k^\top c_i^\top=x_tW_q\mathcal R_{t-i}W_k^\top c_i^\top\quad(d_k=2,\ W=I,\ x=c=e_1,\ \theta=1,\ t-i=1)",
         symbolic=False)
def naive_absorption():
    r"""Dropping the rotation: the absorbed value is 1, the RoPE logit \(\cos1=0.5403023058681397174\)."""
    e1 = sp.Matrix([[1, 0]])
    return Identity((e1 * e1.T)[0], (e1 * rot2(1) * e1.T)[0])


def draw_cache(fig):
    r"""KV-cache elements per token and layer for DeepSeek-V2's shapes, MHA through MLA, against the number of heads."""
    ax = fig.add_subplot(1, 1, 1)
    heads = np.array([8, 16, 32, 64, 128])
    rows = (("MHA $2hd_k$", lambda n: 2 * n * V2["d_k"], "#cf222e"),
            (r"GQA $2gd_k$, $g=h/16$", lambda n: 2 * np.maximum(n // 16, 1) * V2["d_k"], "#bf8700"),
            ("MLA $d_c+d_r$", lambda n: np.full(len(n), V2["d_c"] + V2["d_r"]), "#1a7f37"),
            ("MQA $2d_k$", lambda n: np.full(len(n), 2 * V2["d_k"]), "#0550ae"))
    for label, size, colour in rows:
        ax.plot(heads, size(heads), "o-", color=colour, lw=1.5, ms=4, label=label)
    ax.annotate("DeepSeek-V2: MHA 32768 vs MLA 576 (512/9 = 56.9x)", (128, 576), (9.5, 1100), fontsize=8,
                arrowprops={"arrowstyle": "->", "lw": 0.8})
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xlabel("number of heads $h$ ($d_k=128$)")
    ax.set_ylabel("cached elements per token and layer")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3, which="both")


DERIVATION = Derivation(
    slug="mla",
    title="Cache vs quality: from MHA, MQA, GQA to MLA",
    source="https://kexue.fm/archives/10091",
    date="2024-05-13",
    summary="KV-cache sizes, matrix absorption with decoupled RoPE, and why RoPE on the latent blocks absorption.",
    claims=(cache_sizes, absorption, full_layer, relative_position, no_absorption, random_instance),
    controls=(mha_only_k, mla_per_head, drop_wv, naive_absorption),
    errata=(Erratum("E1.head-dim", post_says=post_head_dim, correct=corrected_head_dim,
                    note="the post's '4x' is exact for V only"),
            Erratum("E2.head-count", post_says=post_head_count, correct=corrected_head_count,
                    note="a rounded figure in the post"),),
    figures=(Figure("cache", r"KV cache per token and layer (C1.cache-sizes) as the number of heads grows, with "
                    r"DeepSeek-V2's $d_k=128$, $d_c=512$, $d_r=64$: MHA grows with $h$, GQA with the number of groups, "
                    r"MLA's shared latent plus RoPE key stays at $d_c+d_r=576$, just above MQA's 256.", draw_cache),),
)
