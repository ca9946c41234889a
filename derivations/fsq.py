r"""Embarrassingly simple FSQ: rounding beats VQ-VAE.

Post: Su Jianlin, 《简单得令人尴尬的FSQ：“四舍五入”超越了VQ-VAE》 ("Embarrassingly simple FSQ: 'rounding' beats VQ-VAE"),
Scientific Spaces, 2023-10-31, https://kexue.fm/archives/9826.
Builds on: Mentzer, Minnen, Agustsson, Tschannen, "Finite Scalar Quantization: VQ-VAE Made Simple", arXiv:2309.15505
(ICLR 2024); the post uses a sigmoid where the paper uses tanh.
Spec: ``shared/spec/catalog.md``, cards fsq-C1, fsq-C2.

Main results
------------
* ``C1.ste``: the straight-through estimator has value \(\mathrm{FSQ}(z)\) and derivative \((L-1)\sigma(z)(1-\sigma(z))\) (proved).
* ``C1.rounding``: \(|\mathrm{Round}(y)-y|\le\frac12\), and \(0<(L-1)\sigma(t)<L-1\) gives \(\mathrm{FSQ}(t)\in\{0,\dots,L-1\}\) (proved,
  every step a statement); ``C1.levels``: \(10^6\) samples hit exactly \(L\) levels for \(L=5,8\) (checked).
* ``C1.codebook``: levels \(L_1..L_d\) give \(\prod_iL_i\) codes, \((8,5,5,5)\mapsto1000\); \(K=L^d\) forces \(d=\log_LK\),
  \(\log_51000=4.29202967422018\notin\mathbb Z\), \(\log_52^{16}=6.8908\) (certified).
* ``C2.split-loss``: \(\|e-z\|^2\) has the gradients of \(\|e-\mathrm{sg}z\|^2+\|z-\mathrm{sg}e\|^2\) (proved).
* ``C2.ema-is-sgd``: \(e\leftarrow\alpha e+(1-\alpha)z\) is one SGD step of rate \((1-\alpha)/2\) on \(\|e-\mathrm{sg}z\|^2\) (proved).

Hypotheses
----------
* \(\mathrm{Round}(y)=\lfloor y+\frac12\rfloor\) (numpy's ``rint`` rounds halves to even: no sample lies on a half-integer);
  \(L\ge2\) levels per coordinate. Stop-gradients are separate symbols, substituted after differentiation.

Notation
--------
\(\mathrm{FSQ}(t)=\mathrm{Round}[(L-1)\sigma(t)]\), \(\sigma\) the logistic sigmoid, \(\mathrm{sg}\) stop-gradient; in C1.rounding
\(y=n+u-\frac12\) with \(n\in\mathbb Z\), \(u=s/(1+s)\in[0,1)\), \(L=l+2\).

Errata
------
None.
"""
from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Figure, Identity, Inequality, claim, control, family,
                                integers, quantity, real, stated)


z = sp.Symbol("z", real=True)
Lv = sp.Symbol("L", integer=True, positive=True)
s_ = sp.Symbol("s", real=True)          # the stop-gradient term, a constant for differentiation
rho = sp.Symbol("rho", real=True)       # stands for Round((L-1) sigma(z)), also stopped
SIG = 1 / (1 + sp.exp(-z))
DOM = {z: real(-4, 4), Lv: integers(2, 16), s_: real(-1, 1), rho: real(0, 15)}


@claim("C1.ste", r"\tilde z=(L-1)\sigma(z)+\mathrm{sg}[\mathrm{Round}((L-1)\sigma(z))-(L-1)\sigma(z)]:\ "
       r"\tilde z=\mathrm{FSQ}(z),\ \frac{d\tilde z}{dz}=(L-1)\sigma(z)(1-\sigma(z))")
def ste():
    r"""The stop-gradient term \(s\) is a constant for differentiation: \(\frac{d}{dz}[(L-1)\sigma(z)+s]=(L-1)\sigma'(z)\) with
    \(\sigma'=\sigma(1-\sigma)\); substituting its value \(s=\rho-(L-1)\sigma(z)\), \(\rho=\mathrm{Round}((L-1)\sigma(z))\), gives
    \(\tilde z=\rho\)."""
    ste_expr = (Lv - 1) * SIG + s_
    return Identity(sp.Matrix([sp.diff(ste_expr, z), ste_expr.subs(s_, rho - (Lv - 1) * SIG)]),
                    sp.Matrix([(Lv - 1) * SIG * (1 - SIG), rho]), DOM, points=3)


n = sp.Symbol("n", integer=True)
m = sp.Symbol("m", integer=True, nonnegative=True)
sv = sp.Symbol("s", nonnegative=True)
ell = sp.Symbol("l", integer=True, nonnegative=True)
t = sp.Symbol("t", real=True)
U = sv / (1 + sv)                       # every u in [0, 1) exactly once, s = u / (1 - u) >= 0
HALF = sp.Rational(1, 2)


def round_half_up(x):
    r"""\(\mathrm{Round}(x)=\lfloor x+\tfrac12\rfloor\)."""
    return sp.floor(x + HALF)


def near(k):
    r"""\(y=k+u-\tfrac12\) with \(u=s/(1+s)\in[0,1)\): as \(k\) runs over \(\mathbb Z\) and \(s\) over \([0,\infty)\), every real \(y\)
    once, and \(\mathrm{Round}(y)=k\) exactly (part one of C1.rounding)."""
    return k + U - HALF


def floor_in_unit_interval(d):
    """floor(e) = 0 where SymPy's assumptions give 0 <= e < 1 (the definition of floor)."""
    return sp.sympify(d).replace(lambda e: isinstance(e, sp.floor) and e.args[0].is_nonnegative
                                 and (1 - e.args[0]).is_positive, lambda e: sp.Integer(0))


@claim("C1.rounding", r"|\mathrm{Round}(y)-y|\le\tfrac12;\quad0<(L-1)\sigma(t)<L-1\ \Rightarrow\ \mathrm{FSQ}(t)\in\{0,\dots,L-1\}",
       hypotheses=(r"\mathrm{Round}(y)=\lfloor y+\tfrac12\rfloor", r"L\ge2"), strategies=(floor_in_unit_interval,))
def rounding():
    r"""Write \(y=n+u-\frac12\) with \(n\in\mathbb Z\), \(u=s/(1+s)\in[0,1)\) (every real \(y\), once). Then \(\lfloor y+\frac12\rfloor=
    n+\lfloor u\rfloor=n\), so \(\mathrm{Round}(y)-y=\frac12-u\in(-\frac12,\frac12]\). A value rounding to \(n\le-1\) is
    \(<0\), one rounding to \(n\ge L\) is \(>L-1\); since \(0<(L-1)\sigma(t)<L-1\) (\(L=l+2\ge2\)), \(\mathrm{FSQ}(t)\in\{0,\dots,L-1\}\).
    Every step is a statement here, none is argued in prose: \(0\le u<1\) enters through \(u=s/(1+s)\)."""
    L = ell + 2
    x = (L - 1) * SIG
    dom = {n: integers(-20, 20), m: integers(0, 20), sv: real(0, 50), ell: integers(0, 14), t: real(-8, 8)}
    parts = (("Round(y) = n", Identity(round_half_up(near(n)), n, dom)),
             ("Round(y) - y <= 1/2", Inequality(n - near(n), "<=", HALF, dom)),
             ("Round(y) - y >= -1/2", Inequality(n - near(n), ">=", -HALF, dom)),
             ("Round(y) <= -1 => y < 0", Inequality(near(-1 - m), "<", 0, dom)),
             ("Round(y) >= L => y > L-1", Inequality(near(L + m), ">", L - 1, dom)),
             ("(L-1) sigma(t) > 0", Inequality(x, ">", 0, dom)),
             ("(L-1) sigma(t) < L-1", Inequality(x, "<", L - 1, dom)))
    return All(tuple(p for _, p in parts), tuple(lab for lab, _ in parts))


LEVEL_SAMPLES = 1_000_000


@lru_cache(maxsize=1)
def level_samples():
    r"""\(10^6\) samples of \(t\sim5\,\mathcal N(0,1)\) (numpy seed 0), the card's."""
    return 5 * np.random.default_rng(0).standard_normal(LEVEL_SAMPLES)


def _levels(L):
    r"""The number of distinct values of \(\mathrm{Round}((L-1)\sigma(t))\) over \(10^6\) samples \(t\sim5\,\mathcal N(0,1)\)
    (numpy seed 0): an integer count (numpy's ``rint`` rounds half to even; no sample lies on a half-integer)."""
    return level_count(int(L))


@lru_cache(maxsize=8)
def level_count(L: int) -> int:
    x = (L - 1) / (1 + np.exp(-level_samples()))
    return len(np.unique(np.rint(x)))


FsqLevels = quantity("FsqLevels", evaluator=_levels, how="distinct FSQ values over 1e6 samples of 5 N(0,1), seed 0")


@claim("C1.levels", r"t\sim5\,\mathcal N(0,1),\ 10^6\ \text{samples}:\ \mathrm{FSQ}\ \text{takes exactly }L\ \text{values}\quad(L=5,8)",
       uses=("C1.rounding",))
def levels():
    r"""The card's numeric check: \(10^6\) samples of \(5\,\mathcal N(0,1)\) (seed 0) hit every level \(0,\dots,L-1\) and no other, for
    \(L=5\) and \(L=8\) (with C1.rounding: exactly the \(L\) levels \(\{0,\dots,L-1\}\))."""
    return family(lambda L: Identity(FsqLevels(L), L), L=(5, 8))


def codebook_size(levels):
    r"""\(|\{0..L_1-1\}\times\dots\times\{0..L_d-1\}|\) by enumeration."""
    return sp.Integer(sum(1 for _ in itertools.product(*(range(L) for L in levels))))


@claim("C1.codebook", r"|\{0..L_1-1\}\times\dots\times\{0..L_d-1\}|=\prod_iL_i;\ (8,5,5,5)\mapsto1000;\ "
       r"5^4<1000<5^5\Rightarrow d=\log_51000=4.29202967422018\notin\mathbb Z;\ \log_52^{16}=6.8908")
def codebook():
    r"""The implicit codebook is the product of the level sets (enumerated at three level vectors); matching a VQ codebook
    of size \(K\) with one level count forces \(d=\log_LK\), strictly between 4 and 5 for \(K=1000\), \(L=5\) (mixed levels
    \((8,5,5,5)\) fix it); the card's decimals of \(\log_51000\) and \(\log_52^{16}\) to their printed digits."""
    shapes = ((8, 5, 5, 5), (5, 5, 5, 5), (3, 4, 2))
    return All((Identity(sp.Matrix([codebook_size(v) for v in shapes]), sp.Matrix([sp.Mul(*v) for v in shapes])),
                Identity(codebook_size(shapes[0]), 1000),
                Inequality(sp.Integer(5) ** 4, "<", 1000), Inequality(sp.Integer(1000), "<", sp.Integer(5) ** 5),
                Approximation(sp.log(1000) / sp.log(5), stated("4.29202967422018")),
                Approximation(sp.log(2 ** 16) / sp.log(5), stated("6.8908"))),
               ("product rule", "(8,5,5,5)", "5^4 < 1000", "1000 < 5^5", "log_5 1000", "log_5 2^16"))


@control("N1.codebook-sum", r"\text{codebook size}=L\cdot d\quad(L=5,\ d=4)")
def codebook_sum():
    r"""Counting levels instead of level combinations: \(5\cdot4=20\ne5^4=625\)."""
    return Identity(sp.Integer(5 * 4), sp.Integer(len(list(itertools.product(range(5), repeat=4)))))


@control("N1.levels-0-to-l", r"\mathrm{FSQ}(t)\ \text{takes the }L+1\text{ values }0,\dots,L\quad(L=5,8)", uses=("C1.levels",))
def levels_0_to_l():
    r"""Off by one: \((L-1)\sigma<L-1\), so the level \(L\) is never reached (the same samples as C1.levels)."""
    return family(lambda L: Identity(FsqLevels(L), L + 1), L=(5, 8))


@control("N1.round-derivative", r"\frac{d\tilde z}{dz}=0\quad\text{(differentiating through Round)}", symbolic=False)
def round_derivative():
    r"""Without the straight-through trick the derivative of a step function is 0 almost everywhere; the STE's is
    \((L-1)\sigma(1-\sigma)>0\)."""
    return Identity(sp.diff((Lv - 1) * SIG + s_, z), 0, DOM, points=2)


# ----------------------------------------------------------------------------- C2

ev = sp.Matrix(sp.symbols("e1:4", real=True))
zv = sp.Matrix(sp.symbols("z1:4", real=True))
se = sp.Matrix(sp.symbols("se1:4", real=True))        # stopped copies
sz = sp.Matrix(sp.symbols("sz1:4", real=True))
alpha, beta, gamma = sp.symbols("alpha beta gamma", real=True)
DOM2 = {s: real(-2, 2) for s in (*ev, *zv, *se, *sz)}


def _sq(v):
    return (v.T * v)[0]


def _grads(loss, copies):
    out = sp.Matrix([sp.diff(loss, x) for x in (*ev, *zv)])
    return out.subs(copies)


@claim("C2.split-loss", r"\nabla_{e,z}\|e-z\|^2=\nabla_{e,z}\big(\|e-\mathrm{sg}[z]\|^2+\|z-\mathrm{sg}[e]\|^2\big)")
def split_loss():
    r"""Differentiate with separate symbols for the stopped copies, then substitute their values: both sides give
    \((2(e-z),\,2(z-e))\). So \(\beta\|e-\mathrm{sg}z\|^2+\gamma\|z-\mathrm{sg}e\|^2\) only reweights the two halves
    (\(\beta=\gamma=1\) recovers \(\|e-z\|^2\))."""
    copies = dict(zip((*se, *sz), (*ev, *zv)))
    return Identity(_grads(_sq(ev - zv), copies), _grads(_sq(ev - sz) + _sq(zv - se), copies), DOM2, points=2)


@claim("C2.ema-is-sgd", r"\alpha e+(1-\alpha)z=e-\eta\nabla_e\|e-\mathrm{sg}[z]\|^2\ \text{with}\ \eta=\tfrac{1-\alpha}2\quad(\alpha=0.99\leftrightarrow\eta=0.005)")
def ema_is_sgd():
    r"""\(\nabla_e\|e-\mathrm{sg}z\|^2=2(e-z)\), so one SGD step of rate \(\eta\) is \(e-2\eta(e-z)\): the EMA with \(2\eta=1-\alpha\)."""
    eta = (1 - alpha) / 2
    step = ev - eta * sp.Matrix([sp.diff(_sq(ev - sz), x) for x in ev]).subs(dict(zip(sz, zv)))
    return Identity(sp.Matrix([*(alpha * ev + (1 - alpha) * zv), eta.subs(alpha, sp.Rational(99, 100))]),
                    sp.Matrix([*step, sp.Rational(1, 200)]), {**DOM2, alpha: real(0, 1)}, points=2)


@control("N2.ema-rate-1-minus-alpha", r"\alpha e+(1-\alpha)z=e-(1-\alpha)\nabla_e\|e-\mathrm{sg}[z]\|^2", symbolic=False)
def ema_rate():
    r"""Rate \(1-\alpha\) overshoots: the residual is \((1-\alpha)(e-z)\)."""
    step = ev - (1 - alpha) * 2 * (ev - zv)
    return Identity(alpha * ev + (1 - alpha) * zv, step, {**DOM2, alpha: real(0, 1)}, points=2)


def draw_quantizer(fig):
    r"""FSQ for \(L=5\): the staircase \(\mathrm{Round}((L-1)\sigma(t))\) around \((L-1)\sigma(t)\), and the straight-through
    derivative against the true derivative (zero almost everywhere)."""
    tt = np.linspace(-8, 8, 2001)
    L = 5
    x = (L - 1) / (1 + np.exp(-tt))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(tt, x, "-", color="#0550ae", lw=1.5, label=r"$(L-1)\sigma(t)$")
    ax1.step(tt, np.floor(x + 0.5), where="mid", color="#cf222e", lw=1.2, label=r"$\mathrm{FSQ}(t)$, levels $0..L-1$")
    ax1.fill_between(tt, x - 0.5, x + 0.5, color="#0550ae", alpha=0.12, label=r"$\pm\frac{1}{2}$ (C1.rounding)")
    ax1.set_xlabel("pre-activation $t$")
    ax1.set_ylabel("quantized value ($L=5$)")
    ax1.legend(fontsize=7, loc="upper left")
    ax1.grid(alpha=0.3)
    s = 1 / (1 + np.exp(-tt))
    ax2.plot(tt, (L - 1) * s * (1 - s), "-", color="#1a7f37", lw=1.5, label=r"STE: $(L-1)\sigma(1-\sigma)$")
    ax2.plot(tt, 0 * tt, "--", color="#cf222e", lw=1.2, label="through Round: 0 a.e.")
    ax2.set_xlabel("pre-activation $t$")
    ax2.set_ylabel(r"$d\tilde z/dt$")
    ax2.legend(fontsize=7, loc="center left")
    ax2.grid(alpha=0.3)


DERIVATION = Derivation(
    slug="fsq",
    title="Embarrassingly simple FSQ: rounding beats VQ-VAE",
    source="https://kexue.fm/archives/9826",
    date="2023-10-31",
    summary="FSQ levels, codebook size and the straight-through derivative; the VQ-VAE loss split and EMA = SGD.",
    claims=(ste, rounding, levels, codebook, split_loss, ema_is_sgd),
    controls=(codebook_sum, levels_0_to_l, round_derivative, ema_rate),
    figures=(Figure("quantizer", r"FSQ with $L=5$ levels: rounding $(L-1)\sigma(t)$ stays within $\frac12$ of it and takes "
                    r"exactly the values $0,\dots,4$ (C1.rounding, C1.levels); the straight-through estimator passes the "
                    r"derivative $(L-1)\sigma(1-\sigma)$ where differentiating through Round gives 0 (C1.ste, control "
                    r"N1.round-derivative).", draw_quantizer),),
)
