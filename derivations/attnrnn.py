r"""Attention as a quadratic-complexity RNN.

Post: Su Jianlin, 《时空之章：将Attention视为平方复杂度的RNN》 ("A chapter on time and space: attention as an RNN of
quadratic complexity"), Scientific Spaces, 2024-03-18, https://kexue.fm/archives/10017. Rabe & Staats, "Self-attention
Does Not Need O(n^2) Memory", arXiv:2112.05682.

Setting: \(o_i=\sum_{j\le i}e^{s_{ij}}v_j/\sum_{j\le i}e^{s_{ij}}\) with scores \(s_{ij}=q_i\cdot k_j\).

Main results (exact, proved; the post's capacity conclusions are heuristic and not checked)
- The per-query recurrence \(y^{(t)}=y^{(t-1)}+e^{s_{i,i-t+1}}v_{i-t+1}\), \(z^{(t)}=z^{(t-1)}+e^{s_{i,i-t+1}}\) gives \(o_i=y^{(i)}/z^{(i)}\).
- The online-softmax (running-max) update rescales the state by \(e^{m_{\text{old}}-m_{\text{new}}}\) and gives the same value;
  without the rescale it is wrong whenever the maximum changes.
- The whole sequence needs \(\sum_{i=1}^Li=L(L+1)/2\) recurrence steps with \(O(d_v)\) state per query.
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Identity, Oracle, claim, control, integers, quantity,
                                real, stated)
from numeric import attnrnn as num

N = 4
S = sp.symbols("s1:5", real=True)                 # scores s_{i,j} of one query i = N against keys 1..N
V = sp.Matrix(N, 2, lambda j, k: sp.Symbol(f"v{j + 1}{k}", real=True))   # values, d_v = 2
DOM = {x: real(-2, 2) for x in (*S, *V)}


def direct(i):
    r"""\(o_i=\sum_{j\le i}e^{s_j}v_j/\sum_{j\le i}e^{s_j}\)."""
    w = [sp.exp(S[j]) for j in range(i)]
    return sum((w[j] * V[j, :] for j in range(i)), sp.zeros(1, 2)) / sum(w)


def recurrence(i):
    r"""The post's RNN: keys visited from \(i\) down to 1, state \((y,z)\)."""
    y, z = sp.zeros(1, 2), sp.S(0)
    for t in range(1, i + 1):
        j = i - t                                     # 0-based index of key i - t + 1
        y, z = y + sp.exp(S[j]) * V[j, :], z + sp.exp(S[j])
    return y / z


def _data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((6, 3)), rng.standard_normal((6, 3)), rng.standard_normal((6, 3))


FORMS = ("direct", "online", "reverse", "online-no-rescale")


def _outputs(form):
    r"""The outputs \(o_1..o_6\) (flattened) of causal softmax attention on the card's random data (\(L=6\), \(d=3\),
    numpy seed 0) at the working precision, computed in the form ``FORMS[form]``."""
    q, k, v = _data()
    name = FORMS[int(form)]
    d, o, r = num.forms(q, k, v, rescale=name != "online-no-rescale")
    return mpmath.matrix({"direct": d, "reverse": r}.get(name, o))


AttnOut = quantity("AttnOut", evaluator=_outputs, how="causal attention on the card's data (L=6, d=3, seed 0), mpmath")


def _online_softmax_at(point):
    r"""The lhs of C1.recurrence (the outputs \(o_1..o_4\)) by the online-softmax recurrence with a running maximum
    (mpmath), at the sampled scores and values: an implementation independent of the statement's sums."""
    s = [mpmath.mpf(point[x]) for x in S]
    v = [[mpmath.mpf(point[V[j, c]]) for c in range(2)] for j in range(N)]
    rows = []
    for i in range(1, N + 1):
        m, y, z = s[0], list(v[0]), mpmath.mpf(1)
        for j in range(1, i):
            m_new = max(m, s[j])
            scale, e = mpmath.exp(m - m_new), mpmath.exp(s[j] - m_new)
            y = [a * scale + e * b for a, b in zip(y, v[j])]
            z, m = z * scale + e, m_new
        rows.append([a / z for a in y])
    return mpmath.matrix(rows)


@claim("C1.recurrence", r"y^{(t)}=y^{(t-1)}+e^{q_i\cdot k_{i-t+1}}v_{i-t+1},\ z^{(t)}=z^{(t-1)}+e^{q_i\cdot k_{i-t+1}}:\ o_i=\frac{y^{(i)}}{z^{(i)}}",
       hypotheses=(r"y^{(0)}=0,\ z^{(0)}=0", r"i\le4,\ d_v=2"),
       oracles=(Oracle("online softmax with a running maximum (mpmath)", _online_softmax_at),))
def recurrence_claim():
    r"""Numerator and denominator of causal softmax attention are sums, so they can be accumulated in any order; the
    per-query state \((y,z)\) has \(O(d_v)\) entries. Exact for symbolic scores and values, \(i=1..4\); oracle: the
    online-softmax form at the sampled scores."""
    return Identity(sp.Matrix([*(recurrence(i) for i in range(1, N + 1))]), sp.Matrix([*(direct(i) for i in range(1, N + 1))]),
                    DOM, points=2)


m_old, m_new, s_t = sp.symbols("m_old m_new s_t", real=True)
Y_old = sp.Symbol("Y", real=True)                 # sum_{j<t} e^{s_j} v_j (one coordinate)
Z_old = sp.Symbol("Z", positive=True)             # sum_{j<t} e^{s_j}
v_t = sp.Symbol("v_t", real=True)


@claim("C1.online-softmax", r"\tilde y'=\tilde y\,e^{m_{\text{old}}-m_{\text{new}}}+e^{s_t-m_{\text{new}}}v_t,\ "
       r"\tilde z'=\tilde z\,e^{m_{\text{old}}-m_{\text{new}}}+e^{s_t-m_{\text{new}}}:\ \frac{\tilde y'}{\tilde z'}=\frac{Y+e^{s_t}v_t}{Z+e^{s_t}}",
       hypotheses=(r"\tilde y=e^{-m_{\text{old}}}Y,\ \tilde z=e^{-m_{\text{old}}}Z",))
def online_softmax():
    r"""The invariant \(\tilde y=e^{-m}\sum_je^{s_j}v_j\), \(\tilde z=e^{-m}\sum_je^{s_j}\) survives the rescaled update for any new
    offset \(m_{\text{new}}\) (the running maximum keeps the exponents \(\le0\)), so the ratio is unchanged."""
    y_t, z_t = sp.exp(-m_old) * Y_old, sp.exp(-m_old) * Z_old
    y_new = y_t * sp.exp(m_old - m_new) + sp.exp(s_t - m_new) * v_t
    z_new = z_t * sp.exp(m_old - m_new) + sp.exp(s_t - m_new)
    return Identity(sp.Matrix([y_new, z_new, y_new / z_new]),
                    sp.Matrix([sp.exp(-m_new) * (Y_old + sp.exp(s_t) * v_t), sp.exp(-m_new) * (Z_old + sp.exp(s_t)),
                               (Y_old + sp.exp(s_t) * v_t) / (Z_old + sp.exp(s_t))]),
                    {m_old: real(-3, 3), m_new: real(-3, 3), s_t: real(-3, 3), Y_old: real(-3, 3), Z_old: real(0.1, 3),
                     v_t: real(-2, 2)}, points=3)


@claim("C1.three-forms", r"L=6,\ d=3\ (\text{seed }0):\ o^{\text{online}}=o^{\text{reverse}}=o^{\text{direct}}",
       uses=("C1.recurrence", "C1.online-softmax"))
def three_forms():
    r"""The card's numeric check: on random data (\(L=6\), \(d=3\), numpy seed 0) the online softmax with a running maximum
    and the post's reverse recurrence give the direct outputs (all 18 numbers, judged at two precisions)."""
    return All((Identity(AttnOut(1), AttnOut(0)), Identity(AttnOut(2), AttnOut(0))), ("online", "reverse"))


Lsym, isym = sp.symbols("L i", integer=True, positive=True)


@claim("C1.step-count", r"\sum_{i=1}^Li=\frac{L(L+1)}2;\quad2\times80\times8192=1\,310\,720")
def step_count():
    r"""Query \(i\) runs \(i\) recurrence steps, so a length-\(L\) sequence needs \(L(L+1)/2\): quadratic time, linear memory.
    The post's "RAM" of Llama2-70B's KV cache: \(2\times80\times8192\approx1\)M numbers per token (arithmetic only)."""
    return Identity(sp.Matrix([sp.Sum(isym, (isym, 1, Lsym)), 2 * 80 * 8192]), sp.Matrix([Lsym * (Lsym + 1) / 2, 1310720]),
                    {Lsym: integers(1, 30)}, points=3)


def _reference_outputs():
    q = k = [sp.Matrix([1, 0]), sp.Matrix([0, 1]), sp.Matrix([1, 1])]
    v = [1, 2, 3]
    out = []
    for i in range(3):
        w = [sp.exp(q[i].dot(k[j])) for j in range(i + 1)]
        out.append(sum(wj * vj for wj, vj in zip(w, v)) / sum(w))
    return out


@claim("C1.reference", r"q=k=((1,0),(0,1),(1,1)),\ v=(1,2,3):\ o=\Big(1,\ \frac{1+2e}{1+e},\ \frac{3(1+e)}{2+e}\Big)")
def reference():
    r"""The card's example: \(o=(1,\ 1.731058578630004879251159,\ 2.364175327148743664787478)\)."""
    e = sp.E
    o = (1, (1 + 2 * e) / (1 + e), 3 * (1 + e) / (2 + e))
    return All((Identity(sp.Matrix(_reference_outputs()), sp.Matrix(o)),
                Approximation(o[1], stated("1.731058578630004879251159")),
                Approximation(o[2], stated("2.364175327148743664787478"))), ("closed forms", "o_2", "o_3"))


@control("C1.no-rescale", r"\tilde y'=\tilde y+e^{s_t-m_{\text{new}}}v_t,\ \tilde z'=\tilde z+e^{s_t-m_{\text{new}}}\ \Rightarrow\ \tilde y/\tilde z=o_i"
         r"\quad(L=6,\ d=3,\ \text{seed }0)", uses=("C1.three-forms",))
def no_rescale():
    r"""The online update that forgets to rescale the old state by \(e^{m_{\text{old}}-m_{\text{new}}}\): wrong whenever the
    running maximum changes (on the card's data, through the same path as C1.three-forms)."""
    return Identity(AttnOut(3), AttnOut(0))


DERIVATION = Derivation(
    slug="attnrnn",
    title="Attention as a quadratic-complexity RNN",
    source="https://kexue.fm/archives/10017",
    date="2024-03-18",
    summary="Causal softmax attention is an exact per-query recurrence; online softmax; L(L+1)/2 steps.",
    claims=(recurrence_claim, online_softmax, three_forms, step_count, reference),
    controls=(no_rescale,),
)
