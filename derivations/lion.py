r"""Embedding anomalies under Lion/Tiger training and their remedies.

Post: 苏剑林 (Su Jianlin), 《Lion/Tiger优化器训练下的Embedding异常和对策》, 2023-08-28,
https://kexue.fm/archives/9736 (Lion: Chen et al., arXiv:2302.06675).

Main results:

* ``lion.C1.closed_form``: with a persistent sign \(s\), \(\theta_t=-s/\lambda+(1-\eta\lambda)^t(\theta_0+s/\lambda)\) (proved).
* ``lion.C1.equilibrium``: the fixed point is \(\theta^*=-s/\lambda\), i.e. \(\pm100\) for \(\lambda=0.01\) (proved).
* ``lion.C1.contraction``: \(|1-\eta\lambda|<1\) for \(0<\eta\lambda<2\), so \(\theta_t\to\theta^*\) (proved).
* ``lion.C1.two_million_steps``: \(2\cdot10^6\) composed steps give \(-99.9999997939\ldots\) (checked).
* ``lion.C2.sign_persists``: with zero gradients the Lion/Tiger direction keeps \(\operatorname{sign}(m_0)\) (proved).
* ``lion.C2.adam_ratio``: Adam's step decays as \((\beta_1/\sqrt{\beta_2})^k\) (proved; float64 simulation checked).
* Erratum ``lion.float32_stall``: "until rounding makes \(m_t\) zero" need never happen: in float32,
  \(m\leftarrow0.9m\) from \(10^{-4}\) stalls at \(4\cdot2^{-149}\approx5.6\cdot10^{-45}\) after 877 steps.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from derivations.engine import Derivation, Erratum, Identity, Inequality, claim, control
from numeric.identity import NumericOutcome, compare, counterexample
from numeric.lion import (SUBNORMAL_ULP32, adam_zero_gradient_steps, float32_momentum_decay,
                          weight_decay_iterate)
from numeric.sampling import integers, positive, real

theta0, s, m0 = sp.symbols("theta_0 s m_0", real=True)
eta, lam, q = sp.symbols("eta lambda q", positive=True)
beta1, beta2, v0 = sp.symbols("beta_1 beta_2 v_0", positive=True)
k = sp.Symbol("k", integer=True, nonnegative=True)

# eta*lambda <= 1 on these domains, inside the hypothesis 0 < eta*lambda < 2
RATE_DOMAINS = {eta: positive(1.0), lam: positive(1.0), theta0: real(-3, 3), s: real(-1, 1)}


def closed_form(n):
    r"""\(\theta_n=-s/\lambda+(1-\eta\lambda)^n(\theta_0+s/\lambda)\)."""
    return -s / lam + (1 - eta * lam) ** n * (theta0 + s / lam)


def tiger_step(th):
    r"""One Tiger/Lion step with a frozen sign: \(\theta-\eta(s+\lambda\theta)\)."""
    return th - eta * (s + lam * th)


@claim("lion.C1.closed_form",
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


@claim("lion.C1.equilibrium", r"\theta^*=-\frac{s}{\lambda}\ \text{is the fixed point: } s+\lambda\theta^*=0",
       uses=("lion.C1.closed_form",))
def c1_equilibrium():
    r"""The equilibrium of the step \(\theta\mapsto\theta-\eta(s+\lambda\theta)\) is \(\theta^*=-s/\lambda\)
    (it is the only root of \(s+\lambda\theta=0\)); with \(\lambda=0.01\), \(s=\pm1\) it is \(\mp100\),
    the outlier value observed in the post."""
    theta_star = -s / lam
    return Identity(sp.Matrix([tiger_step(theta_star), theta_star.subs({s: 1, lam: sp.Rational(1, 100)})]),
                    sp.Matrix([theta_star, -100]), variables=RATE_DOMAINS)


def _contraction_certificate():
    from derivations.engine.symbolic import SymbolicOutcome, prove_zero
    r = 2 * q / (1 + q)
    margin, cert = 1 - (1 - r) ** 2, 4 * q / (1 + q) ** 2
    same = prove_zero(margin - cert)
    if same.status == "proved" and cert.is_positive:
        return SymbolicOutcome("proved", f"certificate 4q/(1+q)^2 > 0 ({same.method})")
    return SymbolicOutcome("failed", detail="certificate does not match the margin")


@claim("lion.C1.contraction", r"0<\eta\lambda<2\ \Longrightarrow\ |1-\eta\lambda|<1",
       hypotheses=(r"\eta\lambda=\tfrac{2q}{1+q},\ q>0",), uses=("lion.C1.closed_form",),
       prove=_contraction_certificate)
def c1_contraction():
    r"""The factor \((1-\eta\lambda)^t\) of the closed form tends to 0 exactly when \(|1-\eta\lambda|<1\),
    i.e. \(0<\eta\lambda<2\).  With \(\eta\lambda=2q/(1+q)\) (a bijection of \(q>0\) onto \((0,2)\)) the margin
    \(1-(1-\eta\lambda)^2=4q/(1+q)^2\) is manifestly positive (the exact certificate of the claim)."""
    r = 2 * q / (1 + q)
    return Inequality((1 - r) ** 2, "<", sp.Integer(1), variables={q: positive(10.0)})


def _two_million(digits, seed):
    n = 2 * 10 ** 6

    def compute(dps):
        with mpmath.workdps(dps):
            e, lm = mpmath.mpf(1) / 1000, mpmath.mpf(1) / 100
            iterated = weight_decay_iterate(0, 1, e, lm, n)
            closed = -100 * (1 - (1 - mpmath.mpf(10) ** -5) ** n)
        return iterated, closed

    cmp = compare(compute, digits)
    detail = f"2e6 composed affine steps = {mpmath.nstr(cmp.lhs, 20)} (closed form {mpmath.nstr(cmp.rhs, 20)})"
    return NumericOutcome(cmp.status, cmp.digits, counterexample(cmp) if cmp.status == "disagree" else None, detail)


@claim("lion.C1.two_million_steps",
       r"\eta=10^{-3},\ \lambda=10^{-2},\ \theta_0=0,\ s=1:\quad \theta_{2\cdot10^6}=-100\big(1-(1-10^{-5})^{2\cdot10^6}\big)"
       r"=-99.99999979390\ldots",
       symbolic=False, cross_check=_two_million, uses=("lion.C1.closed_form",))
def c1_two_million():
    r"""The recurrence iterated \(2\cdot10^6\) times (the affine step composed with itself by binary
    powering, in mpmath, without the closed form) agrees with the closed form
    \(-100(1-(1-10^{-5})^{2\cdot10^6})\); 99\% of \(|\theta^*|\) is reached after
    \(\lceil\ln0.01/\ln(1-10^{-5})\rceil=460\,515\) steps."""
    return None


@claim("lion.C2.sign_persists",
       r"g_k=0\ (k\ge1):\ m_k=\beta_2^k m_0,\ \ c_k=\beta_1 m_{k-1}\ \Longrightarrow\ "
       r"\operatorname{sign}(c_k)=\operatorname{sign}(m_0)",
       hypotheses=(r"0<\beta_1,\beta_2<1",))
def c2_sign_persists():
    r"""After a token's last gradient, the momentum only decays geometrically, \(m_k=\beta_2^km_0\), and
    Lion's interpolation \(c_k=\beta_1m_{k-1}+(1-\beta_1)\cdot0\) keeps the sign of \(m_0\): the
    Lion/Tiger update \(\eta\operatorname{sign}(c_k)\) stays \(\pm\eta\) per coordinate for ever (in exact
    arithmetic)."""
    return Identity(sp.sign(beta1 * beta2 ** k * m0), sp.sign(m0),
                    variables={beta1: positive(1.0), beta2: positive(1.0), m0: real(-1, 1), k: integers(0, 50)})


ADAM_DOMAINS = {beta1: positive(1.0), beta2: positive(1.0), v0: positive(1.0), m0: real(-1, 1), k: integers(0, 60)}


@claim("lion.C2.adam_ratio",
       r"\frac{m_k}{\sqrt{v_k}}=\frac{\beta_1^km_0}{\sqrt{\beta_2^kv_0}}=\Big(\frac{\beta_1}{\sqrt{\beta_2}}\Big)^k\frac{m_0}{\sqrt{v_0}}",
       hypotheses=(r"g_k=0\ (k\ge1)", r"\epsilon\to0,\ \text{no bias correction}"))
def c2_adam_ratio():
    r"""Adam's step \(m_k/\sqrt{v_k}\) with zero gradients decays as \((\beta_1/\sqrt{\beta_2})^k\), not as
    \(\beta_1^k\): both moments decay.  For \(\beta_1=0.9,\ \beta_2=0.999\) the step at \(k=200\) is
    \((0.9/\sqrt{0.999})^{100}=2.79239\cdot10^{-5}\) times the step at \(k=100\)."""
    return Identity(beta1 ** k * m0 / sp.sqrt(beta2 ** k * v0), (beta1 / sp.sqrt(beta2)) ** k * m0 / sp.sqrt(v0),
                    variables=ADAM_DOMAINS)


ADAM_EPS = 1e-8


def _adam_sim(digits, seed):
    st = adam_zero_gradient_steps(0.9, 0.999, 1.0, ADAM_EPS, [100, 200])
    sim = st[1] / st[0]
    exact = (0.9 / 0.999 ** 0.5) ** 100
    # eps shifts each step by a relative ~eps/sqrt(v_k) < 4e-7; 1e-5 leaves room for that and rounding
    rel = abs(sim / exact - 1)
    detail = f"float64 Adam (eps=1e-8, g=1): step(200)/step(100) = {sim:.6e} vs (0.9/sqrt(0.999))^100 = {exact:.6e}"
    if rel <= 1e-5:
        return NumericOutcome("agree", None, None, detail)
    return NumericOutcome("disagree", None, {"text": detail + f" (relative gap {rel:.2e})"}, detail)


@claim("lion.C2.adam_simulation",
       r"\text{float64 Adam, }\epsilon=10^{-8}:\ \frac{\text{step}_{200}}{\text{step}_{100}}\approx\Big(\frac{0.9}{\sqrt{0.999}}\Big)^{100}"
       r"=2.79239\cdot10^{-5}",
       symbolic=False, cross_check=_adam_sim, uses=("lion.C2.adam_ratio",))
def c2_adam_simulation():
    r"""A float64 Adam loop (one unit gradient, then zeros, \(\epsilon=10^{-8}\), no bias correction)
    reproduces the predicted step ratio to a relative \(10^{-5}\); the residual is the \(\epsilon\) in the
    denominator, \(\epsilon/\sqrt{v_k}<4\cdot10^{-7}\)."""
    return None


# ---- negative controls -------------------------------------------------------------------------

@control("lion.C1.equilibrium_s_lambda", r"\theta^*=-s\lambda\ \text{(wrong equilibrium)},\ s=1,\ \lambda=0.01")
def ctl_equilibrium_s_lambda():
    r"""Wrong equilibrium \(\theta^*=-s\lambda\): at \(s=1,\ \lambda=1/100\) the fixed-point equation
    \(s+\lambda\theta^*=0\) is off by \(1-10^{-4}\) (exact)."""
    one, lm = sp.Integer(1), sp.Rational(1, 100)
    return Identity(one + lm * (-one * lm), sp.Integer(0))


@control("lion.C1.equilibrium_eta_lambda",
         r"\theta^*=-\frac{s}{\eta\lambda}\ \text{(wrong equilibrium)},\ s=1,\ \eta=10^{-3},\ \lambda=0.01")
def ctl_equilibrium_eta_lambda():
    r"""Wrong equilibrium \(\theta^*=-s/(\eta\lambda)\): at \(s=1,\ \eta=10^{-3},\ \lambda=10^{-2}\) the
    fixed-point equation \(s+\lambda\theta^*=0\) is off by \(1-1000=-999\) (exact)."""
    one, e, lm = sp.Integer(1), sp.Rational(1, 1000), sp.Rational(1, 100)
    return Identity(one + lm * (-one / (e * lm)), sp.Integer(0))


@control("lion.C1.no_contraction", r"2\le\eta\lambda\le3\ \Longrightarrow\ |1-\eta\lambda|<1\ \text{(false)}")
def ctl_no_contraction():
    r"""For \(\eta\lambda\ge2\) the iteration does not converge: \((1-\eta\lambda)^2\ge1\)."""
    r = sp.Symbol("r", positive=True)
    return Inequality((1 - r) ** 2, "<", sp.Integer(1), variables={r: real(2, 3)})


@control("lion.C2.adam_beta1_only",
         r"\frac{\text{step}_{200}}{\text{step}_{100}}=\beta_1^{100}=0.9^{100}\ \text{(ignores the decay of }v)",
         symbolic=False)
def ctl_adam_beta1_only():
    r"""Ignoring the decay of \(v_k\): \(0.9^{100}=2.656\cdot10^{-5}\) against the correct
    \((0.9/\sqrt{0.999})^{100}=2.792\cdot10^{-5}\)."""
    b1, b2 = sp.Rational(9, 10), sp.Rational(999, 1000)
    return Identity((b1 / sp.sqrt(b2)) ** 100, b1 ** 100)


# ---- erratum: float32 momentum never rounds to zero ------------------------------------------------

STALL_ULPS = 4  # fl32(0.9 * 4u) = 4u for u = 2^-149: 3.6 rounds back to 4


def _stall_run():
    return float32_momentum_decay(1e-4, 0.9)


def _post_float32(digits, seed):
    final, steps, stalled = _stall_run()
    if final == 0.0:
        return NumericOutcome("agree", None, None, f"m reached 0 after {steps} steps")
    text = (f"float32 m <- 0.9 m from 1e-4 stops changing after {steps} steps at m = {final:.4g} "
            f"= {final / SUBNORMAL_ULP32:g} * 2^-149 > 0 (fl32(0.9 m) = m), so it never becomes 0")
    return NumericOutcome("disagree", None, {"text": text}, text)


@claim("lion.float32.post_says",
       r"m_k=\mathrm{fl}_{32}(0.9\,m_{k-1}),\ m_0=10^{-4}\ \Longrightarrow\ m_k=0\ \text{for some }k"
       r"\ \text{(``until rounding makes } m_t \text{ zero'')}",
       symbolic=False, cross_check=_post_float32)
def post_float32():
    r"""The post: \(\operatorname{sign}(m_t)\) stays \(\pm1\) "until \(m_t\) becomes zero through rounding",
    i.e. rounding eventually zeroes the decaying momentum.  Tested in numpy float32 (IEEE round to
    nearest, gradual underflow)."""
    return None


def _correct_float32(digits, seed):
    final, steps, stalled = _stall_run()
    ok = stalled and final == STALL_ULPS * SUBNORMAL_ULP32 and steps == 877
    text = (f"float32 loop: {steps} changing steps, then fixed at {final / SUBNORMAL_ULP32:g} * 2^-149 "
            f"= {final:.4g} (stalled={bool(stalled)})")
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": text}, text)


@claim("lion.float32.correct",
       r"m_k=\mathrm{fl}_{32}(0.9\,m_{k-1}),\ m_0=10^{-4}:\ m_k=4\cdot2^{-149}\approx5.6\cdot10^{-45}\ \text{for all }k\ge877,"
       r"\ \operatorname{sign}(m_k)=+1",
       symbolic=False, cross_check=_correct_float32)
def correct_float32():
    r"""Under round-to-nearest with gradual underflow, \(\mathrm{fl}_{32}(\beta m)=m\) as soon as
    \((1-\beta)m\le2^{-149}/2\) (half an ulp of the subnormal grid), which happens at a positive \(m\) for any
    \(\beta>\tfrac12\): for \(\beta=0.9\) the momentum
    falls to \(4\cdot2^{-149}\) after 877 steps (\(0.9\cdot4=3.6\) rounds back to 4) and stays there, so
    the sign update never switches off.  Only flush-to-zero arithmetic (or \(\beta\le\tfrac12\)) zeroes it."""
    return None


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
    errata=(Erratum("lion.float32_stall", post_says=post_float32, correct=correct_float32,
                    note=("IEEE float32 with gradual underflow (numpy's default); with flush-to-zero "
                          "arithmetic the momentum does reach 0, but then via a mode, not rounding.")),),
    results=results,
)
