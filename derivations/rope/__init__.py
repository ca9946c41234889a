r"""Rotary position embedding (RoPE): the relative property, the long-range decay bound, RoPE-2D and RoPE-Tie.

Post: Su Jianlin, 《Transformer升级之路：2、博采众长的旋转式位置编码》 ("Transformer upgrade road 2: rotary position
embedding"), Scientific Spaces, 2021-03-23, https://spaces.ac.cn/archives/8265; with 《Transformer升级之路：4、二维位置的
旋转式位置编码》 (RoPE for 2D positions), 2021-05-10, https://spaces.ac.cn/archives/8397, and 《Transformer升级之路：17、
多模态位置编码的简单思考》 (RoPE-Tie), 2024-03-29, https://spaces.ac.cn/archives/10040.
Builds on: Su, Lu, Pan, Murtadha, Wen, Liu, "RoFormer: Enhanced Transformer with Rotary Position Embedding",
arXiv:2104.09864; the sinusoidal frequencies of Vaswani et al. 2017.
Spec: ``shared/spec/rope.md``.

Main results
------------
* ``C1.rotation-algebra``, ``C1.exponential-form``: \(R(\alpha)^\top R(\beta)=R(\beta-\alpha)\), \(R^\top R=I\),
  \(\det R=1\), \(R(n\theta)=\exp(n\theta J)\) (proved).
* ``C2.complex-rotation``, ``C2.relative-score``: \(qe^{\mathrm im\theta}\leftrightarrow R(m\theta)q\); the 2D score is
  \(\mathrm{Re}[q\bar ke^{\mathrm i(m-n)\theta}]\) (proved).
* ``C3.relative-matrix``, ``C3.relative-score``: \(\mathcal R_m^\top\mathcal R_n=\mathcal R_{n-m}\) and
  \((\mathcal R_mq)^\top(\mathcal R_nk)=q^\top\mathcal R_{n-m}k=\mathrm{Re}\sum_ih_ie^{\mathrm i(m-n)\theta_i}\) for any real
  \(\theta_i,m,n\) (proved at \(d=2,4,8\), everything symbolic).
* ``C4.orthogonality``: \(\mathcal R_m^\top\mathcal R_m=I\), \(\|\mathcal R_mq\|=\|q\|\), \(\det\mathcal R_m=1\) (proved).
* ``C5.elementwise``, ``C5p.rotate-half``, ``C5p.layouts-differ``: the code form \(q\odot c+\rho(q)\odot s\); the
  ``rotate_half`` layout is \(\Pi^{-1}\mathcal R_m\Pi\) and relative on its own (proved); the two give different
  numbers on the same \(q\) (the spec's values, certified).
* ``C6.translation-invariance``: shifting both positions leaves the score unchanged, both layouts (proved).
* ``C7.abel-summation``, ``C8.decay-bound``: \(\sum h_ie^{\mathrm i\Delta\theta_i}=-\sum S_{i+1}(h_{i+1}-h_i)\) (proved);
  \(|\mathrm{score}|\le\max_i|h_{i+1}-h_i|\sum_j|S_j|\), attained by an extremal query (checked).
* ``C9.indicator-at-zero``, ``C9.indicator-even``: \(F_d(0)=\frac{d/2+1}2\), \(F_d(-\Delta)=F_d(\Delta)\) (proved).
* ``C10.skew-exponential``, ``C10.orthogonal-powers``: \(\exp(nB)\), \(B^\top=-B\), and \(O^n\), \(O\) orthogonal, are
  relative 1D encodings (checked; proved at instances).
* ``C11.commutator-3x3``, ``C11.commutator-4x4``, ``C11.relativity-2d``, ``C11.block-diagonal``: commuting skew
  generators give 2D relativity; the 3x3 search has no solution, the 4x4 one needs \(d=cf,\ e=-bf\); the simplest
  solution is \(\mathrm{diag}(R(x\theta),R(y\theta))\).
* ``C12.quaternion-relations``, ``C12.quaternion-euler``: the quaternion route fails because \(\mathbf{ij}=-\mathbf{ji}\).
* ``C13.equal-gaps``, ``C13.scalings``, ``C13.unscaled``: RoPE-Tie's equal gaps iff \((h+1)s=(w+1)t\),
  \(K=L+(h+1)s\); the integer and "\(wh\) tokens" scalings; no solution without scaling when \(w\ne h\) (proved).
* ``C14.degenerate-1d``: with complementary frequency sets RoPE-2D at \((n,n)\) is RoPE-1D (proved).

Hypotheses
----------
Positions and frequencies real (the relative property holds for any real \(\theta_i,m,n\)); the post's step from
\(\langle f(q,m),f(k,n)\rangle=g(q,k,m-n)\) to the complex identity is an ansatz, so RoPE is *a* solution, and
\(\varphi(m)=m\theta\) is derived for integer \(m\) only.  One layout per computation, applied to both \(q\) and \(k\).

Notation
--------
\(R(\varphi)\) the 2x2 rotation, \(J=R(\pi/2)\); \(\theta_i=10000^{-2i/d}\), \(i<d/2\);
\(\mathcal R_m=\mathrm{diag}(R(m\theta_i))\) on interleaved pairs \((q_{2i},q_{2i+1})\) (the post's layout);
\(z_i(q)=q_{2i}+\mathrm iq_{2i+1}\), \(h_i=z_i(q)\overline{z_i(k)}\), \(h_{d/2}=0\); \(\Delta=m-n\),
\(S_j=\sum_{i<j}e^{\mathrm i\Delta\theta_i}\); the decay indicator \(F_d(\Delta)=\frac2d\sum_{j=1}^{d/2}|S_j|\).
2D: \(\mathcal R_{x,y}=\mathrm{diag}(\mathcal R^{(x)}_x,\mathcal R^{(y)}_y)\); RoPE-Tie: text at \((n,n)\), image patch
(row \(i\), column \(j\)) at \((L+is,L+jt)\), next text token at \((K,K)\).

Errata
------
* ``E1.monotone-decay``: 8265 reads the plot of \(F_d\) as decay with the distance; \(F_d\) is only bounded by
  \(F_d(0)\) and oscillates: \(F_{128}(4096)=4.8828>F_{128}(1000)=4.4708\), 115 of the 256 unit steps on
  \([0,256]\) go up.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from derivations.engine import Derivation, Erratum
from derivations.rope.algebra import R, post_freqs, skew4
from derivations.rope.claims import (CLAIMS, CONTROLS, bb, cc, corrected_bounded_oscillating, ff, m, n,
                                     post_monotone_decay)
from derivations.rope.figures import FIGURES
from derivations.rope.numerics import mp_indicator


def results():
    th = sp.Symbol(r"\theta_i", positive=True)
    blk = sp.simplify(R(m * th).T * R(n * th))
    with mpmath.workdps(20):
        f = {v: mpmath.nstr(mp_indicator(128, v), 8) for v in (0, 100, 1000, 2009, 4096)}
    return [
        ("2x2 block of the relative property",
         sp.latex(R(m * th).T) + sp.latex(R(n * th)) + "=" + sp.latex(blk) + "=R((n-m)\\theta_i)"),
        ("frequencies", r"\theta_i=10000^{-2i/d},\quad \theta_{63}^{(d=128)}=10000^{-126/128}\approx"
         + sp.latex(sp.N(post_freqs(128)[-1], 11))),
        ("decay bound", r"|(\mathcal R_mq)^\top(\mathcal R_nk)|\le\max_i|h_{i+1}-h_i|\cdot\tfrac d2F_d(m-n),\quad "
                        r"F_d(0)=\tfrac{d/2+1}2"),
        ("indicator d=128", r",\ ".join(f"F_{{128}}({v})={s}" for v, s in f.items())),
        ("commuting 4x4 generators", r"B_1=" + sp.latex(sp.Matrix(skew4(1, bb, cc, 0, 0, 0))) + r",\ B_2="
         + sp.latex(sp.Matrix(skew4(0, 0, 0, cc * ff, -bb * ff, ff)))),
        ("RoPE-Tie", r"s=w+1,\ t=h+1,\ K=L+(w+1)(h+1);\qquad s=\tfrac{wh+1}{h+1},\ t=\tfrac{wh+1}{w+1},\ K=L+wh+1"),
    ]


DERIVATION = Derivation(
    slug="rope",
    title="Rotary position embedding: relative property, decay bound, RoPE-2D and RoPE-Tie",
    source="https://spaces.ac.cn/archives/8265",
    date="2021-03-23",
    summary="RoPE rotation identities in d dimensions (both memory layouts), the Abel-summation decay bound "
            "and its non-monotone indicator, commuting-generator RoPE-2D, the quaternion dead end and the "
            "RoPE-Tie layout for text+image (posts 8265, 8397, 10040).",
    claims=CLAIMS,
    controls=CONTROLS,
    errata=(Erratum("E1.monotone-decay", post_says=post_monotone_decay, correct=corrected_bounded_oscillating,
                    note="8265 reads the plot of the indicator as decay with distance; F_d is only bounded by "
                         "F_d(0) and oscillates (115 of the 256 unit steps on [0,256] go up, F_128(4096) = 4.8828 > "
                         "F_128(1000) = 4.4708)."),),
    results=results,
    figures=FIGURES,
)
