r"""Attention as a quadratic-complexity RNN: causal softmax attention is an exact per-query recurrence.

Post: Su Jianlin, 《时空之章：将Attention视为平方复杂度的RNN》 ("A chapter on time and space: attention as an RNN of
quadratic complexity"), Scientific Spaces, 2024-03-18, https://kexue.fm/archives/10017.
Builds on: Rabe & Staats, "Self-attention Does Not Need O(n^2) Memory", arXiv:2112.05682 (online softmax: Milakov &
Gimelshein, arXiv:1805.02867).
Spec: ``shared/spec/catalog.md``, card attnrnn-C1.

Main results
------------
* ``C1.recurrence``: \(y^{(t)}=y^{(t-1)}+e^{s_{i,i-t+1}}v_{i-t+1}\), \(z^{(t)}=z^{(t-1)}+e^{s_{i,i-t+1}}\) gives \(o_i=y^{(i)}/z^{(i)}\)
  (proved for symbolic scores and values, \(i\le4\); oracle: online softmax with a running maximum).
* ``C1.online-softmax``: rescaling the state by \(e^{m_{\text{old}}-m_{\text{new}}}\) keeps the ratio (proved).
* ``C1.three-forms``: direct, reverse recurrence and online softmax agree on the card's data (checked, two precisions).
* ``C1.step-count``: \(\sum_{i=1}^Li=L(L+1)/2\) steps with \(O(d_v)\) state per query; Llama2-70B's
  \(2\times80\times8192=1\,310\,720\) (proved).
* ``C1.reference``: \(q=k=((1,0),(0,1),(1,1))\), \(v=(1,2,3)\): \(o=(1,\frac{1+2e}{1+e},\frac{3(1+e)}{2+e})\) and the card's decimals
  (certified).

Hypotheses
----------
* Scores \(s_{ij}=q_i\cdot k_j\) (no scaling needed for the identity), \(y^{(0)}=0\), \(z^{(0)}=0\). The post's capacity
  conclusions are heuristic and not checked.

Notation
--------
\(o_i=\sum_{j\le i}e^{s_{ij}}v_j/\sum_{j\le i}e^{s_{ij}}\); online softmax keeps \(\tilde y=e^{-m}\sum_je^{s_j}v_j\),
\(\tilde z=e^{-m}\sum_je^{s_j}\) with the running maximum \(m\). The card's data: \(L=6\), \(d=3\), numpy seed 0.

Errata
------
None.
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Identity, Oracle, claim, control, integers, quantity,
                                real, stated)

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


def running_max_softmax(scores, values, rescale=True):
    r"""\(\sum_je^{s_j}v_j/\sum_je^{s_j}\) by one pass over the keys with a running maximum \(m\): the state
    \((\tilde y,\tilde z)\) is rescaled by \(e^{m_{\text{old}}-m_{\text{new}}}\) when the maximum grows (not at all when ``rescale`` is
    false, the control's mistake). mpmath, at the working precision."""
    m, y, z = scores[0], list(values[0]), mpmath.mpf(1)
    for s, v in zip(scores[1:], values[1:]):
        m_new = max(m, s)
        scale = mpmath.exp(m - m_new) if rescale else 1
        e = mpmath.exp(s - m_new)
        y = [a * scale + e * b for a, b in zip(y, v)]
        z, m = z * scale + e, m_new
    return [a / z for a in y]


def _mp(a):
    return [[mpmath.mpf(float(x)) for x in row] for row in a]


def attention_outputs(q, k, v, form):
    r"""The outputs \(o_1..o_L\) (flattened) of causal softmax attention, each form an implementation of its own:
    ``direct`` the two sums, ``reverse`` the post's recurrence over keys \(i,\dots,1\), ``online`` / ``online-no-rescale``
    :func:`running_max_softmax` over keys \(1,\dots,i\)."""
    q, k, v = _mp(q), _mp(k), _mp(v)
    out = []
    for i in range(len(q)):
        s = [mpmath.fdot(q[i], k[j]) for j in range(i + 1)]
        if form == "direct":
            w = [mpmath.exp(x) for x in s]
            out += [mpmath.fsum(w[j] * v[j][c] for j in range(i + 1)) / mpmath.fsum(w) for c in range(len(v[0]))]
        elif form == "reverse":
            y, z = [mpmath.mpf(0)] * len(v[0]), mpmath.mpf(0)
            for j in range(i, -1, -1):
                e = mpmath.exp(s[j])
                y, z = [a + e * b for a, b in zip(y, v[j])], z + e
            out += [a / z for a in y]
        else:
            out += running_max_softmax(s, v[:i + 1], rescale=form == "online")
    return out


FORMS = ("direct", "online", "reverse", "online-no-rescale")


def _outputs(form):
    r"""The outputs \(o_1..o_6\) (flattened) on the card's random data (\(L=6\), \(d=3\), numpy seed 0) at the working precision,
    computed in the form ``FORMS[form]``."""
    return mpmath.matrix(attention_outputs(*_data(), FORMS[int(form)]))


AttnOut = quantity("AttnOut", evaluator=_outputs, how="causal attention on the card's data (L=6, d=3, seed 0), mpmath")


def _online_softmax_at(point):
    r"""The lhs of C1.recurrence (the outputs \(o_1..o_4\)) by :func:`running_max_softmax` at the sampled scores and values: an
    implementation independent of the statement's sums."""
    s = [mpmath.mpf(point[x]) for x in S]
    v = [[mpmath.mpf(point[V[j, c]]) for c in range(2)] for j in range(N)]
    return mpmath.matrix([running_max_softmax(s[:i], v[:i]) for i in range(1, N + 1)])


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


@control("N1.no-rescale", r"\tilde y'=\tilde y+e^{s_t-m_{\text{new}}}v_t,\ \tilde z'=\tilde z+e^{s_t-m_{\text{new}}}\ \Rightarrow\ \tilde y/\tilde z=o_i"
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
