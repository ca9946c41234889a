r"""Generative diffusion models (23): signal-to-noise ratio and high-resolution generation (part II).

Post: Su Jianlin, 《生成扩散模型漫谈（二十三）：信噪比与大图生成（下）》 ("Generative diffusion models (23): SNR and
high-resolution generation, part II"), Scientific Spaces, 2024-04-17, https://kexue.fm/archives/10055.
Builds on: Hwang, Park, Jo, "Upsample Guidance: Scale Up Diffusion Models without Training", arXiv:2404.01709.
Spec: ``shared/spec/catalog.md``, cards upsample-C1..C3.

Main results
------------
* ``C1.pooled-noise``, ``C1.operators``: pooling averages \(s^2\) iid unit noises, so
  \(\mathcal D[x_t]\overset d=\bar\alpha_t\mathcal D[x_0]+\frac{\bar\beta_t}s\varepsilon'\) and the SNR rises by \(s^2\);
  \(\mathcal D\circ\mathcal U=\mathrm{Id}\), \(\mathcal U\circ\mathcal D\) idempotent (proved); ``C1.monte-carlo``: pooled white noise has
  variance \(1/s^2\) and uncorrelated neighbours (checked within 5 standard errors).
* ``C2.vp-rescaling``, ``C2.cosine-schedule``, ``C2.cosine-grid``: with \(\rho_t=\sqrt{\bar\alpha_t^2+\bar\beta_t^2/s^2}\) the rescaled
  pooled input is a variance-preserving input at the time \(\tau\) with \(\mathrm{SNR}(\tau)=s^2\mathrm{SNR}(t)\); for the cosine
  schedule \(\tau=\frac2\pi\arctan(\tan(\pi t/2)/s)\) (proved in \(u=\tan(\pi t/2)\); checked in \(t\));
  ``C2.reference``, ``C2.reference-decimals``: \(\tau\), \(\rho\) at \(t=\tfrac12\), \(s=2\) (proved; the card's decimals certified).
* ``C3.guidance-algebra``, ``C3.perfect-prediction``: \((1+w)\epsilon^{\mathrm{approx}}-w\epsilon_\theta=\epsilon_\theta+
  (1+w)\mathcal U[\frac1s\epsilon_\theta(\mathcal D[x_t]/\rho_t,\tau)-\mathcal D[\epsilon_\theta]]\) (proved; numpy's pooling as an oracle),
  and \(\epsilon^{\mathrm{approx}}=\varepsilon\) exactly when both predictions are perfect (the \(1/s\) is the pooled-noise scale).

Hypotheses
----------
* \(x_t=\bar\alpha_tx_0+\bar\beta_t\varepsilon\) with iid \(\mathcal N(0,1)\) noise per pixel; \(\mathcal D\): \(s\times s\) average pooling,
  \(\mathcal U\): nearest-neighbour upsampling (explicit operators for \(s=2\) on \(4\times4\) arrays).
* C2: a variance-preserving schedule \(\bar\alpha^2+\bar\beta^2=1\).
* "\(\epsilon^{\mathrm{high}}\approx\epsilon^{\mathrm{approx}}\)", \(w\approx0.2\), the CNN/Transformer difference and the extra cost
  \(\approx1/s^2\) are empirical and not checked.

Notation
--------
\(P=I\otimes(\tfrac1s\mathbf 1^\top)\), \(Q=I\otimes\mathbf 1\): \(\mathcal D[X]=PXP^\top\), \(\mathcal U[Y]=QYQ^\top\); SNR \(=\bar\alpha^2/\bar\beta^2\).

Errata
------
None: the post's statements hold (the approximation \(\epsilon^{\mathrm{high}}\approx\epsilon^{\mathrm{approx}}\) is a modelling
assumption, as the post says).
"""
from __future__ import annotations

from functools import partial

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Estimate, Figure, Identity, Oracle, claim, control,
                                integers, positive, quantity, real, stated)

S = 2          # the pooling factor of the explicit operator checks
HIGH = 4       # high-resolution side of the symbolic arrays

s_int = sp.Symbol("s", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
alpha, beta, s, w = sp.symbols("alpha beta s w", positive=True)
DOMAINS = {alpha: positive(1.0), beta: positive(1.0), s: real(1, 4), w: positive(1.0), s_int: integers(1, 8)}

P = sp.kronecker_product(sp.eye(HIGH // S), sp.Matrix([[sp.Rational(1, S)] * S]))   # (2 x 4): block means
Q = sp.kronecker_product(sp.eye(HIGH // S), sp.ones(S, 1))                          # (4 x 2): repeat


def pool(X):
    r"""\(\mathcal D[X]=PXP^\top\): \(2\times2\) average pooling of a \(4\times4\) array."""
    return P * X * P.T


def up(Y):
    r"""\(\mathcal U[Y]=QYQ^\top\): nearest-neighbour upsampling of a \(2\times2\) array."""
    return Q * Y * Q.T


def sym_array(name, n):
    """An ``n x n`` array of independent real symbols."""
    return sp.Matrix(n, n, lambda r, c: sp.Symbol(f"{name}_{r}{c}", real=True))


# ---- C1 ---------------------------------------------------------------------------------------------

@claim("C1.pooled-noise",
       r"\operatorname{Var}\Big(\frac1{s^2}\sum_{i=1}^{s^2}\varepsilon_i\Big)=\frac1{s^2},\qquad"
       r"\frac{\bar\alpha_t^2}{\bar\beta_t^2/s^2}=s^2\,\frac{\bar\alpha_t^2}{\bar\beta_t^2}",
       hypotheses=(r"\varepsilon_i\ \text{iid}\ \mathcal N(0,1)",))
def c1_pooled_noise():
    r"""A pooled pixel of unit white noise is the mean of \(s^2\) independent unit normals: its variance is
    \(s^2\cdot s^{-4}=s^{-2}\); disjoint blocks are independent, so \(\mathcal D[\varepsilon]=\varepsilon'/s\) with \(\varepsilon'\) iid
    \(\mathcal N(0,1)\) at low resolution, and the signal-to-noise ratio is multiplied by \(s^2\)."""
    var = sp.Sum((1 / s_int ** 2) ** 2, (i, 1, s_int ** 2))
    snr = alpha ** 2 / (beta / s) ** 2
    return Identity(sp.Matrix([var, snr]), sp.Matrix([1 / s_int ** 2, s ** 2 * alpha ** 2 / beta ** 2]),
                    variables=DOMAINS)


@claim("C1.operators",
       r"\mathcal D\circ\mathcal U=\mathrm{Id},\qquad(\mathcal U\circ\mathcal D)^2=\mathcal U\circ\mathcal D\quad(s=2,\ 4\times4)")
def c1_operators():
    r"""Upsampling then pooling returns the low-resolution array; pooling then upsampling is a projection
    (idempotent), on symbolic arrays."""
    Y, X = sym_array("y", HIGH // S), sym_array("x", HIGH)
    UD = up(pool(X))
    # both statements stacked as one column of entries (the arrays have different shapes)
    return Identity(sp.Matrix([*pool(up(Y)), *up(pool(UD))]), sp.Matrix([*Y, *UD]), points=2)


def avg_pool(arr: np.ndarray, scale: int) -> np.ndarray:
    """``scale x scale`` average pooling of the last two axes (numpy reshape and mean)."""
    *lead, h, w_ = arr.shape
    return arr.reshape(*lead, h // scale, scale, w_ // scale, scale).mean(axis=(-3, -1))


def upsample_nn(arr: np.ndarray, scale: int) -> np.ndarray:
    """Nearest-neighbour upsampling by ``scale`` of the last two axes (numpy repeat)."""
    return np.repeat(np.repeat(arr, scale, axis=-2), scale, axis=-1)


MC_FIELDS, MC_SIZE = 20_000, 8


def _pooled_noise(which, scale, seed):
    r"""Monte Carlo on ``MC_FIELDS`` seeded white-noise fields of \(8\times8\) pixels pooled by ``scale``: the mean of
    \(v^2\) over pooled pixels (``which`` 0: their variance, the mean being 0) or of \((v_{ij}+v_{i,j+1})^2\) over
    horizontally neighbouring pooled pixels (``which`` 1: twice the variance when neighbours are uncorrelated), with
    its standard error (pooled pixels of disjoint blocks are independent; neighbour pairs sharing a pixel are
    uncorrelated, as the noise has mean 0)."""
    rng = np.random.default_rng(seed)
    pooled = avg_pool(rng.standard_normal((MC_FIELDS, MC_SIZE, MC_SIZE), dtype=np.float32), int(scale))
    v = pooled.ravel() if which == 0 else (pooled[..., :, :-1] + pooled[..., :, 1:]).ravel()
    sq = v.astype(np.float64) ** 2
    return Estimate(float(sq.mean()), float(sq.std(ddof=1) / np.sqrt(sq.size)), sq.size)


PooledVariance = quantity("PooledVariance", estimator=partial(_pooled_noise, 0),
                          how=f"Monte Carlo over {MC_FIELDS} white-noise fields {MC_SIZE}x{MC_SIZE}")
NeighbourPairPower = quantity("NeighbourPairPower", estimator=partial(_pooled_noise, 1),
                              how=f"Monte Carlo over {MC_FIELDS} white-noise fields {MC_SIZE}x{MC_SIZE}")


@claim("C1.monte-carlo",
       r"\operatorname{Var}\mathcal D[\varepsilon]_{ij}=\tfrac1{s^2},\ \ \mathbb E\big(\mathcal D[\varepsilon]_{ij}+\mathcal D[\varepsilon]_{i,j+1}\big)^2"
       r"=\tfrac2{s^2}\ (\text{uncorrelated neighbours})\quad(s=2,4)", uses=("C1.pooled-noise",))
def c1_monte_carlo():
    r"""Monte Carlo on \(2\cdot10^4\) white-noise fields of \(8\times8\) pixels: the pooled variance is \(1/s^2\) and the sum of
    two neighbouring pooled pixels has power \(2/s^2\) (neighbours uncorrelated), within 5 standard errors, for the
    card's \(s=2\) and for \(s=4\)."""
    parts, labels = [], []
    for k in (2, 4):
        parts += [Identity(PooledVariance(k), sp.Integer(1) / k ** 2), Identity(NeighbourPairPower(k), sp.Integer(2) / k ** 2)]
        labels += [f"s={k}: variance", f"s={k}: neighbours"]
    return All(tuple(parts), tuple(labels))


@control("N1.std-over-s2", r"\text{pooled noise std }=\bar\beta_t/s^2\quad(\text{SNR factor }s^4)")
def ctl_std_over_s2():
    r"""The pooled noise has standard deviation \(\bar\beta_t/s\), not \(\bar\beta_t/s^2\)."""
    return Identity(sp.Sum((1 / s_int ** 2) ** 2, (i, 1, s_int ** 2)), 1 / s_int ** 4,
                    variables={s_int: integers(2, 8)})


# ---- C2 ---------------------------------------------------------------------------------------------

def rho(a, b, scale=s):
    r"""\(\rho_t=\sqrt{\bar\alpha_t^2+\bar\beta_t^2/s^2}\)."""
    return sp.sqrt(a ** 2 + b ** 2 / scale ** 2)


@claim("C2.vp-rescaling",
       r"\Big(\frac{\bar\alpha_t}{\rho_t}\Big)^2+\Big(\frac{\bar\beta_t}{s\rho_t}\Big)^2=1,\quad"
       r"\frac{(\bar\alpha_t/\rho_t)^2}{(\bar\beta_t/(s\rho_t))^2}=s^2\,\frac{\bar\alpha_t^2}{\bar\beta_t^2}"
       r"\ \Longrightarrow\ \frac{\bar\alpha_t}{\rho_t}=\bar\alpha_\tau,\ \frac{\bar\beta_t}{s\rho_t}=\bar\beta_\tau",
       hypotheses=(r"\bar\alpha_\tau^2+\bar\beta_\tau^2=1\ \text{(VP model)}", r"\mathrm{SNR}(\tau)=s^2\,\mathrm{SNR}(t)"))
def c2_vp_rescaling():
    r"""\(\mathcal D[x_t]/\rho_t=\frac{\bar\alpha_t}{\rho_t}\mathcal D[x_0]+\frac{\bar\beta_t}{s\rho_t}\varepsilon'\) has coefficients on the unit circle
    with SNR \(s^2\mathrm{SNR}(t)\); a variance-preserving model's \((\bar\alpha_\tau,\bar\beta_\tau)\) is the unique positive pair on the
    unit circle with that SNR, so the rescaled pooled input is exactly in distribution at time \(\tau\)."""
    A, B = alpha / rho(alpha, beta), beta / (s * rho(alpha, beta))
    return Identity(sp.Matrix([A ** 2 + B ** 2, A ** 2 / B ** 2]), sp.Matrix([1, s ** 2 * alpha ** 2 / beta ** 2]),
                    variables=DOMAINS)


u = sp.Symbol("u", positive=True)


@claim("C2.cosine-schedule",
       r"\bar\alpha_t=\cos\tfrac{\pi t}2:\ \ \tau=\tfrac2\pi\arctan\Big(\frac{\tan(\pi t/2)}s\Big)\ \text{gives}\ "
       r"\bar\alpha_\tau=\frac{\bar\alpha_t}{\rho_t},\ \bar\beta_\tau=\frac{\bar\beta_t}{s\rho_t}",
       hypotheses=(r"u=\tan(\pi t/2)>0",), uses=("C2.vp-rescaling",))
def c2_cosine_schedule():
    r"""With \(u=\tan(\pi t/2)\): \(\bar\alpha_t=1/\sqrt{1+u^2}\), \(\bar\beta_t=u/\sqrt{1+u^2}\), and \(\pi\tau/2=\arctan(u/s)\), so
    \(\cos(\pi\tau/2)=s/\sqrt{s^2+u^2}=\bar\alpha_t/\rho_t\) and \(\sin(\pi\tau/2)=u/\sqrt{s^2+u^2}=\bar\beta_t/(s\rho_t)\).
    (A direct simplification in \(t\) does not close in SymPy; the substitution does.)"""
    a_t, b_t = 1 / sp.sqrt(1 + u ** 2), u / sp.sqrt(1 + u ** 2)
    half_pi_tau = sp.atan(u / s)
    return Identity(sp.Matrix([sp.cos(half_pi_tau), sp.sin(half_pi_tau)]),
                    sp.Matrix([a_t / rho(a_t, b_t), b_t / (s * rho(a_t, b_t))]), variables={**DOMAINS, u: positive(20.0)})


t = sp.Symbol("t", positive=True)


def cosine_tau(time, scale=s):
    r"""\(\tau(t)=\frac2\pi\arctan(\tan(\pi t/2)/s)\)."""
    return 2 / sp.pi * sp.atan(sp.tan(sp.pi * time / 2) / scale)


@claim("C2.cosine-grid",
       r"\cos\tfrac{\pi\tau(t)}2=\frac{\cos(\pi t/2)}{\rho_t},\ \ \sin\tfrac{\pi\tau(t)}2=\frac{\sin(\pi t/2)}{s\rho_t},\quad t\in(0,1)",
       symbolic=False, uses=("C2.cosine-schedule",))
def c2_cosine_grid():
    r"""The same statement directly in \(t\), evaluated at seeded points of \(t\in[0.02,0.98]\), \(s\in[1,4]\) at two
    precisions.  Measured only (``symbolic=False``): SymPy's simplification in \(t\) does not close, which is why
    C2.cosine-schedule proves it in \(u=\tan(\pi t/2)\)."""
    a_t, b_t = sp.cos(sp.pi * t / 2), sp.sin(sp.pi * t / 2)
    tau = cosine_tau(t)
    return Identity(sp.Matrix([sp.cos(sp.pi * tau / 2), sp.sin(sp.pi * tau / 2)]),
                    sp.Matrix([a_t / rho(a_t, b_t), b_t / (s * rho(a_t, b_t))]),
                    variables={t: real(0.02, 0.98), s: real(1, 4)}, points=4)


@claim("C2.reference", r"t=\tfrac12,\ s=2:\ \rho=\tfrac{\sqrt{10}}4,\ \ \tau=\tfrac2\pi\arctan\tfrac12=0.29516723530086654835\ldots")
def c2_reference():
    r"""Reference values: \(\rho=\sqrt{\tfrac12+\tfrac18}=\sqrt{10}/4\) and \(\tau=\frac2\pi\arctan\frac12\)."""
    half = sp.Rational(1, 2)
    a_t, b_t = sp.cos(sp.pi / 4), sp.sin(sp.pi / 4)
    return Identity(sp.Matrix([rho(a_t, b_t, 2), cosine_tau(half, 2)]),
                    sp.Matrix([sp.sqrt(10) / 4, 2 / sp.pi * sp.atan(half)]))


@claim("C2.reference-decimals",
       r"t=\tfrac12,\ s=2:\ \tau=0.2951672353008665483508022,\ \ \rho=0.7905694150420948329997234",
       uses=("C2.reference",))
def c2_reference_decimals():
    r"""The card's decimals of \(\tau\) and \(\rho\) at \(t=\tfrac12\), \(s=2\), to the 25 digits it prints."""
    half = sp.Rational(1, 2)
    return All((Approximation(cosine_tau(half, 2), stated("0.2951672353008665483508022")),
                Approximation(rho(sp.cos(sp.pi / 4), sp.sin(sp.pi / 4), 2), stated("0.7905694150420948329997234"))),
               ("tau", "rho"))


@control("N2.no-rescaling", r"\bar\alpha_\tau=\bar\alpha_t\ \text{(feeding }\mathcal D[x_t]\text{ without }1/\rho_t)")
def ctl_no_rescaling():
    r"""Without \(1/\rho_t\) the pooled input's coefficients \((\bar\alpha_t,\bar\beta_t/s)\) are not on the unit circle."""
    return Identity(alpha ** 2 + (beta / s) ** 2, sp.Integer(1),
                    variables={alpha: real(0.2, 0.9), beta: real(0.2, 0.9), s: real(1.5, 4)})


@control("N2.snr-factor-s", r"\mathrm{SNR}(\tau)=s\,\mathrm{SNR}(t):\ \bar\alpha_\tau^2=\frac{s\bar\alpha_t^2}{s\bar\alpha_t^2+\bar\beta_t^2}"
         r"\overset?=\Big(\frac{\bar\alpha_t}{\rho_t}\Big)^2")
def ctl_snr_factor_s():
    r"""With the SNR multiplied by \(s\) instead of \(s^2\), the VP time \(\tau\) no longer matches the rescaled input."""
    return Identity(s * alpha ** 2 / (s * alpha ** 2 + beta ** 2), (alpha / rho(alpha, beta)) ** 2,
                    variables={alpha: real(0.2, 0.9), beta: real(0.2, 0.9), s: real(1.5, 4)})


@control("N2.ve-schedule", r"\text{VE }(\bar\alpha\equiv1,\ \bar\beta_t=\sigma_t):\ \frac{1}{\rho_t}=\bar\alpha_\tau=1")
def ctl_ve_schedule():
    r"""For a variance-exploding model (\(\bar\alpha_\tau\equiv1\)) the \(\rho\)-rescaling is not exact: \(1/\rho_t=1/\sqrt{1+\sigma_t^2/s^2}<1\)."""
    sigma = sp.Symbol("sigma", positive=True)
    return Identity(1 / rho(1, sigma), sp.Integer(1), variables={sigma: positive(10.0), s: real(1.5, 4)})


# ---- C3: guidance algebra -----------------------------------------------------------------------------

def eps_approx(eps_high, eps_low, scale=None, high_pass=True):
    r"""\(\epsilon^{\mathrm{approx}}=\frac1s\mathcal U[\epsilon_{\mathrm{low}}]+\epsilon_\theta-\mathcal U[\mathcal D[\epsilon_\theta]]\)."""
    scale = S if scale is None else scale
    out = up(eps_low) / scale + eps_high
    return out - up(pool(eps_high)) if high_pass else out


def numpy_guided(point):
    r"""\((1+w)\,\epsilon^{\mathrm{approx}}-w\,\epsilon_\theta\) for the sampled arrays, computed the way a user would:
    float64 numpy arrays, reshape-mean pooling and repeat upsampling."""
    E = np.array([[float(point[sp.Symbol(f"e_{r}{c}", real=True)]) for c in range(HIGH)] for r in range(HIGH)])
    L = np.array([[float(point[sp.Symbol(f"l_{r}{c}", real=True)]) for c in range(HIGH // S)] for r in range(HIGH // S)])
    wv = float(point[w])
    approx = upsample_nn(L, S) / S + E - upsample_nn(avg_pool(E, S), S)
    return mpmath.matrix(((1 + wv) * approx - wv * E).tolist())


# float64: each entry is a handful of roundings (2^-53 relative each) of numbers below 10 in size, so an
# implementation of the same formula is within 1e-13; a wrong formula is off by O(1)
NUMPY_ORACLE = Oracle("numpy float64: reshape-mean pooling, repeat upsampling", numpy_guided, side="lhs",
                      tolerance=1e-13)


@claim("C3.guidance-algebra",
       r"(1+w)\,\epsilon^{\mathrm{approx}}-w\,\epsilon_\theta=\epsilon_\theta+(1+w)\,\mathcal U\Big[\tfrac1s\epsilon_\theta\big(\tfrac{\mathcal D[x_t]}{\rho_t},\tau\big)"
       r"-\mathcal D[\epsilon_\theta(x_t,t)]\Big]",
       hypotheses=(r"s=2,\ 4\times4\ \text{arrays of symbols}",), oracles=(NUMPY_ORACLE,))
def c3_guidance_algebra():
    r"""Linearity of \(\mathcal U\): the guided prediction is the high-resolution prediction plus \((1+w)\) times the upsampled
    difference between the rescaled low-resolution prediction and the pooled high-resolution one.  The card's numpy
    check (reshape-mean pooling and repeat upsampling in float64) is the oracle of the left side."""
    E, L = sym_array("e", HIGH), sym_array("l", HIGH // S)
    lhs = (1 + w) * eps_approx(E, L) - w * E
    rhs = E + (1 + w) * up(L / S - pool(E))
    return Identity(lhs, rhs, variables={w: positive(1.0)}, points=2)


@claim("C3.perfect-prediction",
       r"\epsilon_\theta(x_t,t)=\varepsilon,\ \epsilon_\theta\big(\tfrac{\mathcal D[x_t]}{\rho_t},\tau\big)=\varepsilon'=s\,\mathcal D[\varepsilon]"
       r"\ \Longrightarrow\ \epsilon^{\mathrm{approx}}=\varepsilon",
       uses=("C1.pooled-noise",))
def c3_perfect_prediction():
    r"""If both models predicted their noise exactly (the low-resolution noise is the unit-variance
    \(\varepsilon'=s\mathcal D[\varepsilon]\)), the approximation would return the high-resolution noise exactly: the \(1/s\) undoes
    the pooled-noise scale and the high-pass term removes the double-counted low frequencies."""
    E = sym_array("e", HIGH)
    return Identity(eps_approx(E, S * pool(E)), E, points=2)


@control("N3.no-inverse-s", r"\epsilon^{\mathrm{approx}}\ \text{without }1/s:\ \mathcal U[\varepsilon']+\varepsilon-\mathcal U\mathcal D[\varepsilon]=\varepsilon")
def ctl_no_inverse_s():
    r"""Omitting \(1/s\) adds \((s-1)\mathcal U\mathcal D[\varepsilon]\): the low-frequency noise is \(s\) times too large (variance \(s^2\))."""
    E = sym_array("e", HIGH)
    return Identity(eps_approx(E, S * pool(E), scale=1), E)


@control("N3.no-high-pass",
         r"\epsilon^{\mathrm{approx}}=\tfrac1s\mathcal U[\epsilon_{\mathrm{low}}]+\epsilon_\theta\ \text{(no }-\mathcal U\mathcal D[\epsilon_\theta]):\ "
         r"\text{guidance identity}")
def ctl_no_high_pass():
    r"""Dropping the high-pass correction counts the low frequencies twice; the guidance identity fails."""
    E, L = sym_array("e", HIGH), sym_array("l", HIGH // S)
    lhs = (1 + w) * eps_approx(E, L, high_pass=False) - w * E
    return Identity(lhs, E + (1 + w) * up(L / S - pool(E)), variables={w: positive(1.0)})


def results():
    return [
        ("Pooling and upsampling matrices (s=2)", r"P=" + sp.latex(P) + r",\quad Q=" + sp.latex(Q)),
        ("Cosine-schedule time shift", r"\tau=\tfrac2\pi\arctan\big(\tan(\pi t/2)/s\big),\quad\rho_t=\sqrt{\cos^2\tfrac{\pi t}2+\sin^2\tfrac{\pi t}2/s^2}"),
        ("Reference (t=1/2, s=2)", r"\tau=0.2951672353008665483508022,\quad\rho=\sqrt{10}/4=0.7905694150420948329997234"),
    ]


def draw_time_shift(fig):
    r"""C2: the shifted time \(\tau(t)\) and the rescaling \(\rho_t\) of the cosine schedule for \(s=2,4\), with the card's
    reference point \(t=\tfrac12\), \(s=2\)."""
    tt = np.linspace(0.001, 0.999, 400)
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(tt, tt, color="#8c959f", ls=":", lw=1, label=r"$\tau=t$")
    for k, colour in ((2, "#0550ae"), (4, "#cf222e")):
        ax.plot(tt, 2 / np.pi * np.arctan(np.tan(np.pi * tt / 2) / k), color=colour, lw=1.6, label=f"$s={k}$")
    ax.plot([0.5], [0.2951672353008665], "o", color="black", ms=4, label=r"card: $\tau(\frac{1}{2})=0.29517$")
    ax.set_xlabel("diffusion time $t$")
    ax.set_ylabel(r"shifted time $\tau$")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax = fig.add_subplot(1, 2, 2)
    for k, colour in ((2, "#0550ae"), (4, "#cf222e")):
        ax.plot(tt, np.sqrt(np.cos(np.pi * tt / 2) ** 2 + np.sin(np.pi * tt / 2) ** 2 / k ** 2), color=colour, lw=1.6,
                label=f"$s={k}$")
    ax.plot([0.5], [np.sqrt(10) / 4], "o", color="black", ms=4, label=r"card: $\rho=\sqrt{10}/4$")
    ax.set_xlabel("diffusion time $t$")
    ax.set_ylabel(r"rescaling $\rho_t$")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)


DERIVATION = Derivation(
    slug="upsample",
    title="Generative diffusion models (23): signal-to-noise ratio and high-resolution generation (part II)",
    source="https://kexue.fm/archives/10055",
    date="2024-04-17",
    summary=("Average pooling raises the SNR by s^2; a time shift tau and rescaling rho make the pooled input exactly "
             "in distribution for variance-preserving models; the upsample-guidance combination is exact linear "
             "algebra around a heuristic approximation."),
    claims=(c1_pooled_noise, c1_operators, c1_monte_carlo, c2_vp_rescaling, c2_cosine_schedule, c2_cosine_grid,
            c2_reference, c2_reference_decimals, c3_guidance_algebra, c3_perfect_prediction),
    controls=(ctl_std_over_s2, ctl_no_rescaling, ctl_snr_factor_s, ctl_ve_schedule, ctl_no_inverse_s, ctl_no_high_pass),
    results=results,
    figures=(Figure("upsample-time-shift",
                    r"C2 for the cosine schedule $\bar\alpha_t=\cos(\pi t/2)$: the time $\tau$ at which the rescaled pooled "
                    r"input $\mathcal D[x_t]/\rho_t$ is exactly in distribution (left; $\mathrm{SNR}(\tau)=s^2\mathrm{SNR}(t)$, "
                    r"so $\tau<t$) and the rescaling $\rho_t$ (right), with the card's point $t=\frac12$, $s=2$.",
                    draw_time_shift),),
)
