r"""Embarrassingly simple FSQ: rounding beats VQ-VAE.

Post: Su Jianlin, 《简单得令人尴尬的FSQ：“四舍五入”超越了VQ-VAE》 ("Embarrassingly simple FSQ: 'rounding' beats VQ-VAE"),
Scientific Spaces, 2023-10-31, https://kexue.fm/archives/9826. Mentzer, Minnen, Agustsson, Tschannen, "Finite Scalar
Quantization: VQ-VAE Made Simple", arXiv:2309.15505 (the post uses a sigmoid where the paper uses tanh).

Main results (exact, proved)
- C1: \(\mathrm{FSQ}(t)=\mathrm{Round}[(L-1)\sigma(t)]\in\{0,\dots,L-1\}\), \(|\mathrm{FSQ}(t)-(L-1)\sigma(t)|\le\frac12\); the
  straight-through estimator has value \(\mathrm{FSQ}(z)\) and derivative \((L-1)\sigma(z)(1-\sigma(z))\); levels
  \(L_1..L_d\) give \(\prod_iL_i\) codes, so matching \(K=L^d\) forces \(d=\log_LK\) (\(\log_51000\notin\mathbb Z\)).
- C2: the VQ-VAE auxiliary loss \(\|e-z\|^2\) has the gradients of \(\|e-\mathrm{sg}z\|^2+\|z-\mathrm{sg}e\|^2\); the EMA update
  \(e\leftarrow\alpha e+(1-\alpha)z\) is one SGD step of rate \((1-\alpha)/2\) on \(\|e-\mathrm{sg}z\|^2\).
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import sympy as sp

from derivations.engine import Derivation, Identity, claim, control
from derivations.engine.symbolic import SymbolicOutcome
from numeric.identity import NumericOutcome
from numeric.sampling import integers, real

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


y = sp.Symbol("y", real=True)


def _prove_rounding():
    w = y + sp.Rational(1, 2)
    lower = y - sp.floor(w) + sp.Rational(1, 2)        # Round(y) = floor(y + 1/2); lower margin
    upper = sp.Rational(1, 2) - y + sp.floor(w)        # upper margin
    rw = lambda e: sp.expand(e.rewrite(sp.frac))      # noqa: E731  floor(w) = w - frac(w)
    if rw(lower - sp.frac(w)) == 0 and rw(upper - (1 - sp.frac(w))) == 0 and sp.frac(w).is_nonnegative:
        return SymbolicOutcome("proved", "floor(w) = w - frac(w) with 0 <= frac(w) < 1 (definition of floor)")
    return SymbolicOutcome("failed", detail="rewrite did not match")


def _levels_mc(digits, seed):
    t = 5 * np.random.default_rng(0).standard_normal(1_000_000)
    parts, ok = [], True
    for L in (5, 8):
        x = (L - 1) / (1 + np.exp(-t))
        fsq = np.rint(x)
        levels = np.unique(fsq)
        ok &= levels.tolist() == list(range(L)) and float(np.max(np.abs(fsq - x))) <= 0.5
        parts.append(f"L={L}: levels {levels.astype(int).tolist()}, max|FSQ-(L-1)sigma| {np.max(np.abs(fsq - x)):.6f}")
    detail = "1e6 samples of 5 N(0,1) (seed 0): " + "; ".join(parts)
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C1.rounding", r"|\mathrm{Round}(y)-y|\le\tfrac12;\quad0<(L-1)\sigma(t)<L-1\ \Rightarrow\ \mathrm{FSQ}(t)\in\{0,\dots,L-1\}",
       prove=_prove_rounding, cross_check=_levels_mc)
def rounding():
    r"""With \(\mathrm{Round}(y)=\lfloor y+\frac12\rfloor\) and \(\lfloor w\rfloor=w-\{w\}\), \(0\le\{w\}<1\): the two margins are
    \(\{y+\frac12\}\) and \(1-\{y+\frac12\}\). Since \(0<(L-1)\sigma<L-1\), the rounded value lies in \(\{0,\dots,L-1\}\):
    exactly \(L\) levels (Monte Carlo hits all of them for \(L=5,8\))."""


def _prove_codebook():
    mixed = len(list(itertools.product(*(range(L) for L in (8, 5, 5, 5)))))
    if mixed == 1000 and 5**4 < 1000 < 5**5 and 2**16 > 5**6:
        return SymbolicOutcome("proved", "enumeration: |{0..7}x{0..4}^3| = 1000; 5^4 = 625 < 1000 < 3125 = 5^5 (integers)")
    return SymbolicOutcome("refuted", "integers", {"text": f"mixed-level codebook has {mixed} codes"})


def _codebook_values(digits, seed):
    d1, d2 = math.log(1000, 5), math.log(2**16, 5)
    ok = abs(d1 - 4.29202967422018) < 1e-13 and abs(d2 - 6.8908) < 1e-4
    detail = f"d = log_5 1000 = {d1:.15g}, log_5 2^16 = {d2:.6g}"
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C1.codebook", r"|\{0..L_1-1\}\times\dots\times\{0..L_d-1\}|=\prod_iL_i;\ (8,5,5,5)\mapsto1000;\ "
       r"L^d=1000,\ L=5\Rightarrow d=\log_51000=4.29202967422018\notin\mathbb Z",
       prove=_prove_codebook, cross_check=_codebook_values)
def codebook():
    r"""The implicit codebook is the product of the level sets; matching a VQ codebook of size \(K\) with one level count
    forces \(d=\log_LK\), not an integer for \(K=1000\), \(L=5\) (mixed levels fix it); \(K=2^{16}\), \(L=5\): \(d=6.8908\)."""


@control("C1.codebook-sum", r"\text{codebook size}=L\cdot d\quad(L=5,\ d=4)")
def codebook_sum():
    r"""Counting levels instead of level combinations: \(5\cdot4=20\ne5^4=625\)."""
    return Identity(sp.Integer(5 * 4), sp.Integer(len(list(itertools.product(range(5), repeat=4)))))


def _level_count(digits, seed):
    t = 5 * np.random.default_rng(0).standard_normal(100_000)
    counts = {L: len(np.unique(np.rint((L - 1) / (1 + np.exp(-t))))) for L in (5, 8)}
    text = f"1e5 samples of 5 N(0,1): {counts[5]} levels for L=5, {counts[8]} for L=8 (claimed L+1 = 6, 9)"
    return NumericOutcome("disagree" if counts != {5: 6, 8: 9} else "agree", None, {"text": text}, text)


@control("C1.levels-0-to-L", r"\mathrm{FSQ}(t)\ \text{takes the }L+1\text{ values }0,\dots,L", symbolic=False, cross_check=_level_count)
def levels_0_to_l():
    r"""Off by one: \((L-1)\sigma<L-1\), so the level \(L\) is never reached."""


@control("C1.round-derivative", r"\frac{d\tilde z}{dz}=0\quad\text{(differentiating through Round)}", symbolic=False)
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


@control("C2.ema-rate-1-minus-alpha", r"\alpha e+(1-\alpha)z=e-(1-\alpha)\nabla_e\|e-\mathrm{sg}[z]\|^2", symbolic=False)
def ema_rate():
    r"""Rate \(1-\alpha\) overshoots: the residual is \((1-\alpha)(e-z)\)."""
    step = ev - (1 - alpha) * 2 * (ev - zv)
    return Identity(alpha * ev + (1 - alpha) * zv, step, {**DOM2, alpha: real(0, 1)}, points=2)


DERIVATION = Derivation(
    slug="fsq",
    title="Embarrassingly simple FSQ: rounding beats VQ-VAE",
    source="https://kexue.fm/archives/9826",
    date="2023-10-31",
    summary="FSQ levels, codebook size and the straight-through derivative; the VQ-VAE loss split and EMA = SGD.",
    claims=(ste, rounding, codebook, split_loss, ema_is_sgd),
    controls=(codebook_sum, levels_0_to_l, round_derivative, ema_rate),
)
