r"""Embedding anomalies under Lion/Tiger training and their remedies.

Post: 苏剑林 (Su Jianlin), 《Lion/Tiger优化器训练下的Embedding异常和对策》 ("Embedding anomalies under Lion/Tiger training and
their remedies"), Scientific Spaces, 2023-08-28, https://kexue.fm/archives/9736.
Builds on: Chen et al., "Symbolic Discovery of Optimization Algorithms" (Lion), arXiv:2302.06675; Tiger is the author's
sign-momentum optimizer.
Spec: ``shared/spec/catalog.md``, cards lion-C1, lion-C2.

Main results
------------
* ``C1.closed-form``: with a persistent sign \(s\), \(\theta_t=-s/\lambda+(1-\eta\lambda)^t(\theta_0+s/\lambda)\) (proved).
* ``C1.equilibrium``: the fixed point is \(\theta^*=-s/\lambda\), i.e. \(\mp100\) for \(\lambda=0.01\) (proved).
* ``C1.contraction``: \(|1-\eta\lambda|<1\) for \(0<\eta\lambda<2\), so \(\theta_t\to\theta^*\) (proved, certificate).
* ``C1.two-million-steps``: \(2\cdot10^6\) composed steps give \(-99.99999979390\ldots\); 99% of \(|\theta^*|\) after
  \(460\,515\) steps (checked).
* ``C2.sign-persists``: Lion's update with zero gradients gives \(m_k=\beta_2^km_0\), \(c_k=\beta_1\beta_2^{k-1}m_0\): the update
  direction keeps \(\operatorname{sign}(m_0)\) (proved, derived by ``rsolve``).
* ``C2.adam-ratio``, ``C2.adam-simulation``: Adam's step decays as \((\beta_1/\sqrt{\beta_2})^k\) (proved); an Adam loop gives
  the card's \(2.79239\cdot10^{-5}\) for \(k=200\) vs \(100\) (checked).

Hypotheses
----------
* C1: a frozen sign \(s=\operatorname{sign}(m_t)\), constant \(\eta,\lambda>0\) (the symbolic domain has \(\eta\lambda\le1\)).
* C2: one nonzero gradient at step 0, then \(g_k=0\); \(0<\beta_1,\beta_2<1\); Adam without bias correction, \(\epsilon\to0\)
  (the loop uses \(\epsilon=10^{-8}\)).

Notation
--------
Lion: \(c_k=\beta_1m_{k-1}+(1-\beta_1)g_k\), \(\theta_k=\theta_{k-1}-\eta(\operatorname{sign}c_k+\lambda\theta_{k-1})\),
\(m_k=\beta_2m_{k-1}+(1-\beta_2)g_k\); \(\mathrm{fl}_{32}\) IEEE binary32 rounding to nearest, \(u=2^{-149}\) its subnormal step.

Errata
------
* ``E1.float32-stall``: "until rounding makes \(m_t\) zero" need never happen: in float32 \(m\leftarrow0.9m\) from \(10^{-4}\)
  stalls at \(4\cdot2^{-149}\approx5.6\cdot10^{-45}\) after 877 steps (gradual underflow; only flush-to-zero reaches 0).
* The card's simulated ratio \(2.79235\cdot10^{-5}\) is not what its stated loop gives (\(g=1\): \(2.7923929\cdot10^{-5}\));
  it matches a gradient of about \(10^{-3}\), where \(\epsilon=10^{-8}\) is no longer negligible against \(\sqrt{v_k}\).
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Erratum, Figure, Identity, Inequality, Oracle, claim,
                                control, integers, positive, quantity, real, stated)

theta0, s, m0 = sp.symbols("theta_0 s m_0", real=True)
eta, lam, q = sp.symbols("eta lambda q", positive=True)
beta1, beta2, v0 = sp.symbols("beta_1 beta_2 v_0", positive=True)
k = sp.Symbol("k", integer=True, nonnegative=True)

# eta*lambda <= 1 on these domains, inside the hypothesis 0 < eta*lambda < 2
RATE_DOMAINS = {eta: positive(1.0), lam: positive(1.0), theta0: real(-3, 3), s: real(-1, 1)}

# ---- numerics: the weight-decay recurrence by binary powering, the float32 momentum loop --------------------

SUBNORMAL_ULP32 = 2.0 ** -149  # smallest positive float32


def affine_power(a, b, n: int):
    r"""The map \(x\mapsto ax+b\) composed \(n\) times, as \((A,B)\) with \(x\mapsto Ax+B\), by binary powering (mpmath numbers
    at the working precision)."""
    ra, rb = mpmath.mpf(1), mpmath.mpf(0)      # result map
    pa, pb = mpmath.mpf(a), mpmath.mpf(b)      # current power of the map
    while n:
        if n & 1:
            ra, rb = pa * ra, pa * rb + pb      # apply result first, then the power (they commute)
        pa, pb = pa * pa, pa * pb + pb
        n >>= 1
    return ra, rb


def weight_decay_iterate(theta_0, sign, rate, decay, n: int):
    r"""\(\theta_n\) of \(\theta_t=\theta_{t-1}-\eta(s+\lambda\theta_{t-1})\) by composing the affine step \(n\) times (no closed
    form used)."""
    A, B = affine_power(1 - rate * decay, -rate * sign, n)
    return A * theta_0 + B


def float32_momentum_decay(m_0: float = 1e-4, beta: float = 0.9, max_steps: int = 100_000):
    r"""Iterate \(m\leftarrow\mathrm{fl}_{32}(\beta m)\) in numpy float32 (IEEE round to nearest, gradual underflow): ``(final,
    steps, stalled)``, ``final`` the last value, ``steps`` the multiplications that changed \(m\), ``stalled`` true when
    \(\mathrm{fl}_{32}(\beta m)=m\ne0\) (a fixed point: \(m\) never reaches 0)."""
    b, m, steps = np.float32(beta), np.float32(m_0), 0
    with np.errstate(under="ignore"):
        while steps < max_steps:
            nxt = np.float32(m * b)
            if nxt == m:
                return float(m), steps, bool(m != 0)
            m, steps = nxt, steps + 1
            if m == 0:
                return 0.0, steps, False
    return float(m), steps, False



def closed_form(n):
    r"""\(\theta_n=-s/\lambda+(1-\eta\lambda)^n(\theta_0+s/\lambda)\)."""
    return -s / lam + (1 - eta * lam) ** n * (theta0 + s / lam)


def tiger_step(th):
    r"""One Tiger/Lion step with a frozen sign: \(\theta-\eta(s+\lambda\theta)\)."""
    return th - eta * (s + lam * th)


@claim("C1.closed-form",
       r"\theta_t=\theta_{t-1}-\eta\,[s+\lambda\theta_{t-1}]\ \Longrightarrow\ "
       r"\theta_t=-\frac{s}{\lambda}+(1-\eta\lambda)^t\Big(\theta_0+\frac{s}{\lambda}\Big)",
       hypotheses=(r"\operatorname{sign}(m_t)=s\ \text{constant}", r"\eta,\lambda>0\ \text{constant}"))
def c1_closed_form():
    r"""The closed form solves the Tiger recurrence with a frozen sign: it has the right initial
    value \(\theta_0\) and satisfies \(\theta_{k+1}=\theta_k-\eta(s+\lambda\theta_k)\) for every \(k\ge0\)
    (an affine recurrence has exactly one solution for each initial value)."""
    return Identity(sp.Matrix([closed_form(0), closed_form(k + 1)]),
                    sp.Matrix([theta0, tiger_step(closed_form(k))]),
                    variables={**RATE_DOMAINS, k: integers(0, 40)})


@claim("C1.equilibrium", r"\theta^*=-\frac{s}{\lambda}\ \text{is the fixed point: } s+\lambda\theta^*=0",
       uses=("C1.closed-form",))
def c1_equilibrium():
    r"""The equilibrium of the step \(\theta\mapsto\theta-\eta(s+\lambda\theta)\) is \(\theta^*=-s/\lambda\)
    (it is the only root of \(s+\lambda\theta=0\)); with \(\lambda=0.01\), \(s=\pm1\) it is \(\mp100\),
    the outlier value observed in the post."""
    theta_star = -s / lam
    return Identity(sp.Matrix([tiger_step(theta_star), theta_star.subs({s: 1, lam: sp.Rational(1, 100)})]),
                    sp.Matrix([theta_star, -100]), variables=RATE_DOMAINS)


@claim("C1.contraction", r"0<\eta\lambda<2\ \Longrightarrow\ |1-\eta\lambda|<1",
       hypotheses=(r"\eta\lambda=\tfrac{2q}{1+q},\ q>0",), uses=("C1.closed-form",))
def c1_contraction():
    r"""The factor \((1-\eta\lambda)^t\) of the closed form tends to 0 exactly when \(|1-\eta\lambda|<1\),
    i.e. \(0<\eta\lambda<2\).  With \(\eta\lambda=2q/(1+q)\) (a bijection of \(q>0\) onto \((0,2)\)) the margin
    \(1-(1-\eta\lambda)^2=4q/(1+q)^2\) is manifestly positive (the exact certificate of the claim)."""
    r = 2 * q / (1 + q)
    return Inequality((1 - r) ** 2, "<", sp.Integer(1), variables={q: positive(10.0)}, certificate=4 * q / (1 + q) ** 2)


def _iterate(theta_0, sign, rate, decay, steps):
    r"""\(\theta_n\) of \(\theta_t=\theta_{t-1}-\eta(s+\lambda\theta_{t-1})\) by composing the affine step \(n\) times (binary
    powering at the working precision; the closed form is not used)."""
    return weight_decay_iterate(theta_0, sign, rate, decay, int(steps))


Iterate = quantity("Iterate", evaluator=_iterate, how="the affine step composed n times by binary powering (mpmath)")
TWO_MILLION = 2 * 10 ** 6
n_steps = sp.Symbol("n", integer=True, positive=True)
REFERENCE = {theta0: 0, s: 1, eta: sp.Rational(1, 1000), lam: sp.Rational(1, 100)}


@claim("C1.two-million-steps",
       r"\eta=10^{-3},\ \lambda=10^{-2},\ \theta_0=0,\ s=1:\quad \theta_{2\cdot10^6}=-100\big(1-(1-10^{-5})^{2\cdot10^6}\big)"
       r"=-99.99999979390\ldots;\quad\frac{\ln0.01}{\ln(1-10^{-5})}\approx460\,515",
       uses=("C1.closed-form",))
def c1_two_million():
    r"""The recurrence iterated \(2\cdot10^6\) times (the affine step composed with itself by binary powering, in mpmath,
    without the closed form) against the card's closed form \(-100(1-(1-10^{-5})^{2\cdot10^6})\), and that value to the
    card's truncated digits; 99\% of \(|\theta^*|\) is reached after \(\ln0.01/\ln(1-10^{-5})=460\,514.7\ldots\) steps (the
    card's 460 515 to the unit)."""
    # the step count is a one-point domain: SymPy would expand the exact rational power (1 - 10^-5)^(2e6) at build time
    closed = -100 * (1 - (1 - sp.Rational(1, 10 ** 5)) ** n_steps)
    at = {n_steps: integers(TWO_MILLION, TWO_MILLION)}
    return All((Identity(Iterate(*(REFERENCE[x] for x in (theta0, s, eta, lam)), n_steps), closed, at),
                Approximation(closed, stated("-99.99999979390", truncated=True), variables=at),
                Approximation(sp.log(sp.Rational(1, 100)) / sp.log(1 - sp.Rational(1, 10 ** 5)), stated("460515"))),
               ("iterated = closed form", "closed form = -99.99999979390...", "steps to 99%"))


M = sp.Function("M")


def geometric_momentum(beta, start):
    r"""\(m_k\) of \(m_k=\beta m_{k-1}+(1-\beta)g_k\) with \(g_k=0\) for \(k\ge1\) and \(m_0\) given, solved by SymPy's ``rsolve``."""
    return sp.rsolve(M(k + 1) - beta * M(k) - (1 - beta) * 0, M(k), {M(0): start})


@claim("C2.sign-persists",
       r"g_k=0\ (k\ge1):\ m_k=\beta_2^k m_0,\ \ c_k=\beta_1 m_{k-1}=\beta_1\beta_2^{k-1}m_0\ \Longrightarrow\ "
       r"\operatorname{sign}(c_k)=\operatorname{sign}(m_0)\quad(k\ge1)",
       hypotheses=(r"0<\beta_1,\beta_2<1",))
def c2_sign_persists():
    r"""Lion's update: \(c_k=\beta_1m_{k-1}+(1-\beta_1)g_k\), \(\theta_k=\theta_{k-1}-\eta(\operatorname{sign}c_k+\lambda\theta_{k-1})\),
    \(m_k=\beta_2m_{k-1}+(1-\beta_2)g_k\). After a token's last gradient (\(g_k=0\) for \(k\ge1\)) the recursion gives
    \(m_k=\beta_2^km_0\) (``rsolve``) and so \(c_k=\beta_1\beta_2^{k-1}m_0\): the Lion direction \(\operatorname{sign}c_k\) keeps the sign of
    \(m_0\) and the update stays \(\pm\eta\) per coordinate for ever (in exact arithmetic). The statement's lhs is built
    from the update rule, its rhs is the post's closed form."""
    m_k = geometric_momentum(beta2, m0)
    c_k = beta1 * m_k.subs(k, k - 1) + (1 - beta1) * 0
    return Identity(sp.Matrix([m_k, c_k, sp.sign(c_k)]),
                    sp.Matrix([beta2 ** k * m0, beta1 * beta2 ** (k - 1) * m0, sp.sign(m0)]),
                    variables={beta1: positive(1.0), beta2: positive(1.0), m0: real(-1, 1), k: integers(1, 50)})


@claim("C2.adam-ratio",
       r"\frac{m_k}{\sqrt{v_k}}=\frac{\beta_1^km_0}{\sqrt{\beta_2^kv_0}}=\Big(\frac{\beta_1}{\sqrt{\beta_2}}\Big)^k\frac{m_0}{\sqrt{v_0}}",
       hypotheses=(r"g_k=0\ (k\ge1)", r"\epsilon\to0,\ \text{no bias correction}"))
def c2_adam_ratio():
    r"""Adam's moments \(m_k=\beta_1m_{k-1}+(1-\beta_1)g_k\), \(v_k=\beta_2v_{k-1}+(1-\beta_2)g_k^2\) with zero gradients solve to
    \(\beta_1^km_0\), \(\beta_2^kv_0\) (``rsolve``), so the step \(m_k/\sqrt{v_k}\) decays as \((\beta_1/\sqrt{\beta_2})^k\), not as
    \(\beta_1^k\): both moments decay."""
    step = geometric_momentum(beta1, m0) / sp.sqrt(geometric_momentum(beta2, v0))
    return Identity(step, (beta1 / sp.sqrt(beta2)) ** k * m0 / sp.sqrt(v0),
                    variables={beta1: positive(1.0), beta2: positive(1.0), v0: positive(1.0), m0: real(-1, 1),
                               k: integers(0, 60)})


def _adam_step_ratio(b1, b2, eps, k1, k2):
    r"""Adam's step \(m_k/(\sqrt{v_k}+\epsilon)\) (no bias correction) after one unit gradient at step 0 and zeros after it,
    iterated as an optimizer loop at the working precision: the step at \(k_2\) over the step at \(k_1\)."""
    m, v, out = (1 - b1), (1 - b2), {}
    for step in range(1, int(k2) + 1):
        m, v = b1 * m, b2 * v
        out[step] = m / (mpmath.sqrt(v) + eps)
    return out[int(k2)] / out[int(k1)]


AdamStepRatio = quantity("AdamStepRatio", evaluator=_adam_step_ratio, how="an Adam loop with zero gradients (mpmath)")
ADAM = (sp.Rational(9, 10), sp.Rational(999, 1000))


@claim("C2.adam-simulation",
       r"\text{Adam, }\epsilon=10^{-8}:\ \frac{\text{step}_{200}}{\text{step}_{100}}\approx\Big(\frac{0.9}{\sqrt{0.999}}\Big)^{100}"
       r"=2.79239\cdot10^{-5}",
       uses=("C2.adam-ratio",))
def c2_adam_simulation():
    r"""An Adam loop (one unit gradient, then zeros, \(\epsilon=10^{-8}\), no bias correction) and the \(\epsilon\to0\) prediction
    both give the card's \(2.79239\cdot10^{-5}\) to its printed digits (the \(\epsilon\) in the denominator moves the ratio by a
    relative \(2\cdot10^{-8}\))."""
    ratio = stated("2.79239e-5")
    return All((Approximation(AdamStepRatio(*ADAM, sp.Rational(1, 10 ** 8), 100, 200), ratio),
                Approximation((ADAM[0] / sp.sqrt(ADAM[1])) ** 100, ratio)), ("Adam loop", "prediction"))


# ---- negative controls -------------------------------------------------------------------------

@control("N1.equilibrium-s-lambda", r"\theta^*=-s\lambda\ \text{(wrong equilibrium)},\ s=1,\ \lambda=0.01")
def ctl_equilibrium_s_lambda():
    r"""Wrong equilibrium \(\theta^*=-s\lambda\): at \(s=1,\ \lambda=1/100\) the fixed-point equation
    \(s+\lambda\theta^*=0\) is off by \(1-10^{-4}\) (exact)."""
    one, lm = sp.Integer(1), sp.Rational(1, 100)
    return Identity(one + lm * (-one * lm), sp.Integer(0))


@control("N1.equilibrium-eta-lambda",
         r"\theta^*=-\frac{s}{\eta\lambda}\ \text{(wrong equilibrium)},\ s=1,\ \eta=10^{-3},\ \lambda=0.01")
def ctl_equilibrium_eta_lambda():
    r"""Wrong equilibrium \(\theta^*=-s/(\eta\lambda)\): at \(s=1,\ \eta=10^{-3},\ \lambda=10^{-2}\) the
    fixed-point equation \(s+\lambda\theta^*=0\) is off by \(1-1000=-999\) (exact)."""
    one, e, lm = sp.Integer(1), sp.Rational(1, 1000), sp.Rational(1, 100)
    return Identity(one + lm * (-one / (e * lm)), sp.Integer(0))


@control("N1.no-contraction", r"2\le\eta\lambda\le3\ \Longrightarrow\ |1-\eta\lambda|<1\ \text{(false)}")
def ctl_no_contraction():
    r"""For \(\eta\lambda\ge2\) the iteration does not converge: \((1-\eta\lambda)^2\ge1\)."""
    r = sp.Symbol("r", positive=True)
    return Inequality((1 - r) ** 2, "<", sp.Integer(1), variables={r: real(2, 3)})


@control("N2.adam-beta1-only",
         r"\frac{\text{step}_{200}}{\text{step}_{100}}=\beta_1^{100}=0.9^{100}\ \text{(ignores the decay of }v)",
         symbolic=False)
def ctl_adam_beta1_only():
    r"""Ignoring the decay of \(v_k\): \(0.9^{100}=2.656\cdot10^{-5}\) against the correct
    \((0.9/\sqrt{0.999})^{100}=2.792\cdot10^{-5}\)."""
    b1, b2 = sp.Rational(9, 10), sp.Rational(999, 1000)
    return Identity((b1 / sp.sqrt(b2)) ** 100, b1 ** 100)


# ---- erratum: float32 momentum never rounds to zero ------------------------------------------------

STALL_ULPS = 4  # fl32(0.9 * 4u) = 4u for u = 2^-149: 3.6 rounds back to 4


def _float32_run(m_0, beta, which):
    r"""``m <- fl32(beta * m)`` from ``fl32(m_0)`` in numpy float32 (IEEE round to nearest, gradual underflow): ``which``
    0 the value at which it stops changing (0 if it reaches 0), 1 the number of steps that changed it. Float32 values are
    exact binary numbers, so the result does not depend on the working precision."""
    final, steps, _ = float32_momentum_decay(float(m_0), float(beta))
    return mpmath.mpf(final) if int(which) == 0 else mpmath.mpf(steps)


Float32Run = quantity("Float32Run", evaluator=_float32_run, how="numpy float32 loop m <- fl32(beta m)")


def fl32(x: Fraction) -> Fraction:
    r"""\(x\) rounded to the nearest IEEE binary32 number (ties to even; subnormal spacing \(2^{-149}\)), exactly."""
    if x == 0:
        return Fraction(0)
    e = abs(x.numerator).bit_length() - x.denominator.bit_length()
    e = e if Fraction(2) ** e <= abs(x) else e - 1          # 2^e <= |x| < 2^(e+1)
    quantum = Fraction(2) ** (max(e, -126) - 23)
    q, r = divmod(x / quantum, 1)
    q = q + (1 if r > Fraction(1, 2) or (r == Fraction(1, 2) and q % 2) else 0)
    return q * quantum


def _float32_exact(point, m_0=Fraction(1, 10 ** 4), beta=Fraction(9, 10)):
    r"""The same loop with exact rational arithmetic and an own round-to-nearest-even (no numpy): the stall value and the
    number of changing steps."""
    b, m, steps = fl32(beta), fl32(m_0), 0
    while (nxt := fl32(b * m)) != m:
        m, steps = nxt, steps + 1
    return mpmath.matrix([mpmath.mpf(m.numerator) / m.denominator, steps])


M0_32, BETA_32 = sp.Rational(1, 10 ** 4), sp.Rational(9, 10)


@claim("E1.post-float32-stall",
       r"m_k=\mathrm{fl}_{32}(0.9\,m_{k-1}),\ m_0=10^{-4}\ \Longrightarrow\ m_k=0\ \text{for some }k"
       r"\ \text{(``until rounding makes } m_t \text{ zero'')}")
def post_float32():
    r"""The post: \(\operatorname{sign}(m_t)\) stays \(\pm1\) "until \(m_t\) becomes zero through rounding", i.e. rounding eventually
    zeroes the decaying momentum: the value at which the float32 loop stops changing would be 0."""
    return Identity(Float32Run(M0_32, BETA_32, 0), 0)


@claim("E1.corrected-float32-stall",
       r"m_k=\mathrm{fl}_{32}(0.9\,m_{k-1}),\ m_0=10^{-4}:\ m_k=4\cdot2^{-149}\approx5.6\cdot10^{-45}\ \text{for all }k\ge877,"
       r"\ \operatorname{sign}(m_k)=+1",
       oracles=(Oracle("exact rational arithmetic with an own round-to-nearest-even", _float32_exact),))
def correct_float32():
    r"""Under round-to-nearest with gradual underflow, \(\mathrm{fl}_{32}(\beta m)=m\) as soon as \((1-\beta)m\le2^{-149}/2\) (half an
    ulp of the subnormal grid), which happens at a positive \(m\) for any \(\beta>\tfrac12\): for \(\beta=0.9\) the momentum falls
    to \(4\cdot2^{-149}\) after 877 steps (\(0.9\cdot4=3.6\) rounds back to 4) and stays there, so the sign update never
    switches off.  Only flush-to-zero arithmetic (or \(\beta\le\tfrac12\)) zeroes it."""
    return Identity(sp.Matrix([Float32Run(M0_32, BETA_32, 0), Float32Run(M0_32, BETA_32, 1)]),
                    sp.Matrix([STALL_ULPS * sp.Integer(2) ** -149, 877]))


def draw_equilibrium(fig):
    r"""\(\theta_t\) under a frozen sign (\(\eta=10^{-3}\), \(\lambda=10^{-2}\), \(\theta_0=0\)): the closed form of C1 against the
    recurrence composed by binary powering, approaching \(-s/\lambda=\mp100\)."""
    ax = fig.add_subplot(1, 1, 1)
    ts = np.unique(np.logspace(0, np.log10(2e6), 200).astype(int))
    for sign, colour in ((1, "#cf222e"), (-1, "#0550ae")):
        closed = -sign * 100 * (1 - (1 - 1e-5) ** ts.astype(float))
        ax.plot(ts, closed, "-", color=colour, lw=1.5, label=rf"closed form, $s={sign:+d}$")
        marks = [10 ** e for e in range(1, 7)] + [2 * 10 ** 6]
        with mpmath.workdps(20):
            it = [float(weight_decay_iterate(0, sign, mpmath.mpf(1) / 1000, mpmath.mpf(1) / 100, m)) for m in marks]
        ax.plot(marks, it, "o", color=colour, ms=4, label=rf"recurrence iterated, $s={sign:+d}$")
    for y in (100, -100):
        ax.axhline(y, color="#6e7781", ls=":", lw=1)
    ax.axvline(460515, color="#6e7781", ls="--", lw=1, label="99% of $|\\theta^*|$: $t=460\\,515$")
    ax.set_xscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"embedding coordinate $\theta_t$")
    ax.legend(fontsize=7, loc="center left")
    ax.grid(alpha=0.3, which="both")


def draw_after_last_gradient(fig):
    r"""After a token's last gradient (\(g_k=0\), \(k\ge1\)): the update sizes of Lion (constant \(\eta\)) and Adam
    (\((\beta_1/\sqrt{\beta_2})^k\)); and the float32 momentum, which stalls at \(4\cdot2^{-149}\) instead of reaching 0."""
    ax1, ax2 = fig.subplots(1, 2)
    ks = np.arange(0, 301)
    ax1.plot(ks, np.ones_like(ks, dtype=float), "-", color="#1a7f37", lw=1.5, label=r"Lion/Tiger: $|\eta\,\mathrm{sign}\,c_k|/\eta=1$")
    ax1.plot(ks, (0.9 / np.sqrt(0.999)) ** ks, "-", color="#0550ae", lw=1.5, label=r"Adam: $(\beta_1/\sqrt{\beta_2})^k$")
    ax1.set_yscale("log")
    ax1.set_xlabel("steps $k$ since the last gradient")
    ax1.set_ylabel("update size / first update")
    ax1.legend(fontsize=7, loc="lower left")
    ax1.grid(alpha=0.3, which="both")
    m, values = np.float32(1e-4), []
    with np.errstate(under="ignore"):
        for _ in range(1000):
            values.append(float(m))
            m = np.float32(m * np.float32(0.9))
    ax2.plot(np.arange(1000), values, "-", color="#0550ae", lw=1.5, label=r"float32 $m_k=\mathrm{fl}_{32}(0.9\,m_{k-1})$")
    ax2.plot(np.arange(1000), 1e-4 * 0.9 ** np.arange(1000.0), "--", color="#6e7781", lw=1, label=r"exact $10^{-4}\cdot0.9^k$")
    ax2.axhline(4 * SUBNORMAL_ULP32, color="#cf222e", ls=":", lw=1.2, label=r"stall $4\cdot2^{-149}$ ($k\geq877$)")
    ax2.set_yscale("log")
    ax2.set_ylim(1e-50, 1e-3)
    ax2.set_xlabel("step $k$")
    ax2.set_ylabel("momentum $m_k$")
    ax2.legend(fontsize=7, loc="upper right")
    ax2.grid(alpha=0.3, which="both")


def results():
    import math
    steps99 = math.ceil(math.log(0.01) / math.log1p(-1e-5))
    return [
        ("Equilibrium", r"\theta^*=-\frac{s}{\lambda}=\mp100\quad(\lambda=0.01)"),
        ("Steps to 99\\% of |theta*|", r"\Big\lceil\frac{\ln 0.01}{\ln(1-10^{-5})}\Big\rceil=" + f"{steps99}"),
        ("Adam step ratio", r"\Big(\frac{0.9}{\sqrt{0.999}}\Big)^{100}=2.79239\cdot10^{-5}"),
        ("float32 stall", r"m_\infty=4\cdot2^{-149}\approx5.6\cdot10^{-45}\ \text{after 877 steps}"),
    ]


DERIVATION = Derivation(
    slug="lion",
    title="Embedding anomalies under Lion/Tiger training and their remedies",
    source="https://kexue.fm/archives/9736",
    date="2023-08-28",
    summary=("A frozen sign update with weight decay converges to -sign/lambda (the +-100 outliers); "
             "sign updates persist after a token disappears while Adam's decay; in float32 the momentum "
             "never rounds to zero."),
    claims=(c1_closed_form, c1_equilibrium, c1_contraction, c1_two_million, c2_sign_persists, c2_adam_ratio,
            c2_adam_simulation),
    controls=(ctl_equilibrium_s_lambda, ctl_equilibrium_eta_lambda, ctl_no_contraction, ctl_adam_beta1_only),
    errata=(Erratum("E1.float32-stall", post_says=post_float32, correct=correct_float32,
                    note=("IEEE float32 with gradual underflow (numpy's default); with flush-to-zero "
                          "arithmetic the momentum does reach 0, but then via a mode, not rounding.")),),
    results=results,
    figures=(Figure("equilibrium", r"A frozen sign update with weight decay drives an embedding coordinate to "
                    r"$-s/\lambda=\mp100$ (C1): the closed form against the recurrence iterated by binary powering, with "
                    r"$\eta=10^{-3}$, $\lambda=10^{-2}$.", draw_equilibrium),
             Figure("after-last-gradient", r"After a token stops appearing: Lion's update keeps its size while Adam's "
                    r"decays as $(\beta_1/\sqrt{\beta_2})^k$ (C2, $\beta_1=0.9$, "
                    r"$\beta_2=0.999$); in float32 the momentum never rounds to zero but stalls at $4\cdot2^{-149}$ (E1).",
                    draw_after_last_gradient)),
)
