r"""Generative diffusion models (25): identity-based distillation (part I).

Post: 苏剑林 (Su Jianlin), 《生成扩散模型漫谈（二十五）：基于恒等式的蒸馏（上）》, 2024-05-01,
https://kexue.fm/archives/10085 (Zhou et al., "Score identity Distillation", arXiv:2404.04057; DDE arXiv:2001.02728).
Setup: \(x_t=\bar\alpha x_0+\bar\beta\varepsilon\) (here \(a=\bar\alpha\), \(b=\bar\beta\)); the Gaussian toy: teacher data
\(\mathcal N(\mu_T,s_T^2)\), generator \(g_\theta(z)=\theta_1+\theta_2z\), optimal \(\epsilon\)-predictors
\(b(x-a\mu)/(a^2s^2+b^2)\).

Main results:

* ``sid1.C1.*``: \(\mathbb E[\varepsilon\mid x_t]=-\bar\beta\,\nabla\log p_t(x_t)\) for any data law (proved: kernel identity under
  the integral; Gaussian and Gaussian-mixture data in closed form; mixture quadrature checked at the card's points).
* ``sid1.C2.tower``: \(\mathbb E\langle f(x_t),\epsilon_{\psi^*}(x_t)\rangle=\mathbb E\langle f(x_t),\varepsilon\rangle\) for \(f\) depending
  on \(x_t\) only (proved in the toy for \(f=1,x,x^2,x^3\)).
* ``sid1.C2.loss_rewrite``: \(\mathcal L_1=\mathcal L_2=\mathbb E[\|\epsilon_{\varphi^*}-\varepsilon\|^2
  +\|\epsilon_{\psi^*}\|^2]-d\) at \(\psi=\psi^*\) (proved in the toy; \(0.1624019515856633514730719\) at the reference point).
* ``sid1.C2.nonoptimal_gap``: with \(\epsilon_\psi=0.9\,\epsilon_{\psi^*}\) the two losses differ by the card's exact expression.
"""
from __future__ import annotations

import sympy as sp

from derivations.engine import Derivation, Identity, claim, control
from derivations.reflow import gaussian_expectation
from numeric.identity import NumericOutcome
from numeric.sampling import positive, real
from numeric.sid1 import mixture_noise_posterior_mean_float

a, b = sp.symbols("a b", positive=True)        # alpha-bar, beta-bar
x, y = sp.symbols("x y", real=True)
mu_T = sp.Symbol("mu_T", real=True)
s_T = sp.Symbol("s_T", positive=True)
theta1 = sp.Symbol("theta_1", real=True)
theta2 = sp.Symbol("theta_2", positive=True)
z, eps = sp.symbols("z varepsilon", real=True)  # the generator's latent and the diffusion noise
NORMALS = (z, eps)

TOY_DOMAINS = {a: positive(1.0), b: positive(1.0), mu_T: real(-2, 2), s_T: positive(3.0), theta1: real(-2, 2),
               theta2: positive(3.0), x: real(-3, 3), y: real(-3, 3)}
REF = {a: sp.Rational(4, 5), b: sp.Rational(3, 5), mu_T: 1, s_T: 2, theta1: sp.Rational(1, 2), theta2: 1}


def gain(mean_sd):
    r"""The slope \(b/(a^2s^2+b^2)\) of the optimal \(\epsilon\)-predictor for data of standard deviation \(s\)."""
    return b / (a ** 2 * mean_sd ** 2 + b ** 2)


def predictor(point, mean, sd):
    r"""\(\epsilon^*(x)=\frac{b\,(x-a\mu)}{a^2s^2+b^2}=\mathbb E[\varepsilon\mid x_t=x]\) for data \(\mathcal N(\mu,s^2)\)."""
    return gain(sd) * (point - a * mean)


def x_t(p1=theta1, p2=theta2):
    r"""The noisy generator sample \(x_t=a(\theta_1+\theta_2z)+b\varepsilon\)."""
    return a * (p1 + p2 * z) + b * eps


def toy_mean(integrand_of, psi_scale=1):
    r"""\(\mathbb E_{z,\varepsilon}\) of ``integrand_of(eps_phi, eps_psi, x_t)`` in the toy, with the teacher predictor
    \(\epsilon_{\varphi^*}\) and the generator-optimal \(\epsilon_{\psi^*}\) (times ``psi_scale``).  The slopes are kept as
    placeholders while the Gaussian moments are taken (a polynomial in \(z,\varepsilon\)), then substituted."""
    kf, kp = sp.symbols("k_f k_p")
    xt = x_t()
    integrand = integrand_of(kf * (xt - a * mu_T), psi_scale * kp * (xt - a * theta1), xt)
    return gaussian_expectation(integrand, NORMALS).subs({kf: gain(s_T), kp: gain(theta2)})


def losses(psi_scale=1):
    r"""\((\mathcal L_1,\mathcal L_2,\mathcal L_3)\): \(\mathbb E\|\epsilon_{\varphi^*}-\epsilon_\psi\|^2\),
    \(\mathbb E\langle\epsilon_{\varphi^*}-\epsilon_\psi,\epsilon_{\varphi^*}-\varepsilon\rangle\),
    \(\mathbb E[\|\epsilon_{\varphi^*}-\varepsilon\|^2+\|\epsilon_\psi\|^2]-1\) (dimension \(d=1\))."""
    L1 = toy_mean(lambda f, p, xt: (f - p) ** 2, psi_scale)
    L2 = toy_mean(lambda f, p, xt: (f - p) * (f - eps), psi_scale)
    L3 = toy_mean(lambda f, p, xt: (f - eps) ** 2 + p ** 2, psi_scale) - 1
    return L1, L2, L3


# ---- C1: the denoiser/score identity ------------------------------------------------------------------

def kernel(point, source):
    r"""\(\varphi_b(x-ay)=\frac{1}{b\sqrt{2\pi}}e^{-(x-ay)^2/(2b^2)}\), the density of \(x_t\) given \(x_0=y\)."""
    return sp.exp(-(point - a * source) ** 2 / (2 * b ** 2)) / (b * sp.sqrt(2 * sp.pi))


@claim("sid1.C1.kernel",
       r"-\bar\beta\,\partial_x\varphi_{\bar\beta}(x-\bar\alpha y)=\varphi_{\bar\beta}(x-\bar\alpha y)\,\frac{x-\bar\alpha y}{\bar\beta}"
       r"\ \Longrightarrow\ \mathbb E[\varepsilon\mid x_t]=-\bar\beta\,\nabla\log p_t(x_t)",
       hypotheses=(r"p_t(x)=\int p_0(y)\varphi_{\bar\beta}(x-\bar\alpha y)\,dy", r"\text{differentiation under the integral}"))
def c1_kernel():
    r"""For any data law \(p_0\), \(p_t(x)=\int p_0(y)\varphi_b(x-ay)dy\).  The kernel identity (the noise that produced
    \(x\) from \(y\) is \(\varepsilon=(x-ay)/b\)) integrated against \(p_0(y)\,dy\) gives
    \(-b\,\partial_xp_t(x)=\int\varepsilon\,p_0(y)\varphi_b(x-ay)dy=p_t(x)\,\mathbb E[\varepsilon\mid x_t=x]\): the optimal
    \(\epsilon\)-predictor is \(-\bar\beta\) times the score."""
    k = kernel(x, y)
    return Identity(-b * sp.diff(k, x), k * (x - a * y) / b, variables=TOY_DOMAINS)


def log_normal_density(point, mean, var):
    r"""\(\log\mathcal N(x;m,v)\)."""
    return -(point - mean) ** 2 / (2 * var) - sp.log(2 * sp.pi * var) / 2


@claim("sid1.C1.gaussian_data",
       r"x_0\sim\mathcal N(\mu,s^2):\ \mathbb E[\varepsilon\mid x_t=x]=\frac{\bar\beta(x-\bar\alpha\mu)}{\bar\alpha^2s^2+\bar\beta^2}"
       r"=-\bar\beta\,\partial_x\log p_t(x)")
def c1_gaussian_data():
    r"""Gaussian data: \(p_t=\mathcal N(a\mu,a^2s^2+b^2)\), and \(-b\,\partial_x\log p_t\) is the linear predictor; the same
    predictor is the Gaussian regression of \(\varepsilon\) on \(x_t\) (residual with mean 0, uncorrelated with \(x_t\),
    hence independent of it), computed with \(x_0=\mu+s\zeta\)."""
    zeta = sp.Symbol("zeta", real=True)
    xt = a * (mu_T + s_T * zeta) + b * eps
    resid = eps - predictor(xt, mu_T, s_T)
    score = -b * sp.diff(log_normal_density(x, a * mu_T, a ** 2 * s_T ** 2 + b ** 2), x)
    lhs = sp.Matrix([score, gaussian_expectation(resid, (zeta, eps)), gaussian_expectation(resid * xt, (zeta, eps))])
    return Identity(lhs, sp.Matrix([predictor(x, mu_T, s_T), 0, 0]), variables=TOY_DOMAINS)


w = sp.Symbol("w", positive=True)
m1, m2 = sp.symbols("m_1 m_2", real=True)
s1, s2 = sp.symbols("s_1 s_2", positive=True)
MIX_DOMAINS = {**TOY_DOMAINS, w: real(0.05, 0.95), m1: real(-2, 2), m2: real(-2, 2), s1: positive(2.0), s2: positive(2.0)}


@claim("sid1.C1.mixture",
       r"p_0=w\,\mathcal N(m_1,s_1^2)+(1-w)\,\mathcal N(m_2,s_2^2):\ -\bar\beta\,\partial_x\log p_t=\sum_i\pi_i(x)\,"
       r"\frac{\bar\beta(x-\bar\alpha m_i)}{\bar\alpha^2s_i^2+\bar\beta^2}",
       hypotheses=(r"\pi_i(x)=\frac{w_i\,\mathcal N(x;\bar\alpha m_i,\bar\alpha^2s_i^2+\bar\beta^2)}{p_t(x)}",))
def c1_mixture():
    r"""For a two-component Gaussian mixture the score formula is the posterior-weighted average of the per-component
    predictors, i.e. \(\mathbb E[\varepsilon\mid x_t]\) computed component by component (\(\pi_i\) the posterior weights);
    checked after multiplying both sides by \(p_t>0\)."""
    comps = [(w, m1, s1), (1 - w, m2, s2)]
    dens = [wi * sp.exp(log_normal_density(x, a * mi, a ** 2 * si ** 2 + b ** 2)) for wi, mi, si in comps]
    # multiplied through by p_t = dens[0] + dens[1] > 0
    return Identity(-b * sp.diff(dens[0] + dens[1], x), sum(di * predictor(x, mi, si) for di, (_, mi, si) in zip(dens, comps)),
                    variables=MIX_DOMAINS, points=4)


MIX_REF = {"weights": ("0.3", "0.7"), "means": (-2, 1), "sds": ("0.5", "0.3"), "a": "0.8", "b": "0.6"}
MIX_POINTS = ("-1.3", "0.4", "2")


def _mixture_closed_form():
    r"""\(-b\,\partial_x\log p_t\) for the card's mixture, exact rational parameters."""
    comps = [(sp.Rational(3, 10), -2, sp.Rational(1, 2)), (sp.Rational(7, 10), 1, sp.Rational(3, 10))]
    dens = [wi * sp.exp(log_normal_density(x, a * mi, a ** 2 * si ** 2 + b ** 2)) for wi, mi, si in comps]
    return (-b * sp.diff(dens[0] + dens[1], x) / (dens[0] + dens[1])).subs({a: sp.Rational(4, 5), b: sp.Rational(3, 5)})


def _mixture_quadrature(digits, seed):
    # float64 composite Gauss-Legendre: pure-Python mpmath quadrature to 20+ digits costs about 0.5 s per point
    # and precision (the tests run it at one point)
    from numeric.evaluate import evaluate
    closed = _mixture_closed_form()
    details, worst = [], 0.0
    for pt in MIX_POINTS:
        value = mixture_noise_posterior_mean_float(float(pt), MIX_REF)
        exact = float(evaluate(closed.subs(x, sp.Rational(pt)), {}, 30))
        rel = abs(value - exact) / max(1.0, abs(exact))
        worst = max(worst, rel)
        details.append(f"x={pt}: quadrature {value:.16g} vs score {exact:.16g}")
        if rel > 1e-12:
            return NumericOutcome("disagree", None, {"text": details[-1]}, "; ".join(details))
    return NumericOutcome("agree", None, None, f"float64 Gauss-Legendre, max relative gap {worst:.1e}: " + "; ".join(details))


@claim("sid1.C1.mixture_quadrature",
       r"p_0=0.3\,\mathcal N(-2,0.5^2)+0.7\,\mathcal N(1,0.3^2),\ \bar\alpha=0.8,\ \bar\beta=0.6:\ "
       r"\int\varepsilon\,p(\varepsilon\mid x_t)\,d\varepsilon=-\bar\beta\,\partial_x\log p_t\ \text{at }x_t=-1.3,\,0.4,\,2",
       symbolic=False, cross_check=_mixture_quadrature, uses=("sid1.C1.kernel", "sid1.C1.mixture"))
def c1_mixture_quadrature():
    r"""Independent route: \(\mathbb E[\varepsilon\mid x_t=x]=\frac{\int p_0(y)\varphi_b(x-ay)\frac{x-ay}b\,dy}{\int p_0(y)\varphi_b(x-ay)\,dy}\)
    by quadrature (float64 composite Gauss-Legendre, relative gap \(<10^{-12}\); the tests add mpmath tanh-sinh to
    25 digits), against the closed-form score: \(0.2982272518448229316080575\), \(-0.5463532155768339645175761\),
    \(1.724158196588858563215213\)."""
    return None


# ---- C2: the loss rewrite -----------------------------------------------------------------------

@claim("sid1.C2.tower",
       r"\mathbb E\big[f(x_t)\,\epsilon_{\psi^*}(x_t)\big]=\mathbb E\big[f(x_t)\,\varepsilon\big],\quad f(x)\in\{1,x,x^2,x^3\}",
       hypotheses=(r"x_t=\bar\alpha g_\theta(z)+\bar\beta\varepsilon,\ g_\theta(z)=\theta_1+\theta_2z",
                   r"\epsilon_{\psi^*}=\mathbb E[\varepsilon\mid x_t]"))
def c2_tower():
    r"""The tower property with \(\epsilon_{\psi^*}(x_t)=\mathbb E[\varepsilon\mid x_t]\): for any \(f\) of \(x_t\) alone,
    \(\mathbb E[f\,\epsilon_{\psi^*}]=\mathbb E[f\,\mathbb E[\varepsilon\mid x_t]]=\mathbb E[f\,\varepsilon]\).  In the toy (generator law
    \(\mathcal N(\theta_1,\theta_2^2)\)) proved exactly for the monomials up to degree 3."""
    lhs = sp.Matrix([toy_mean(lambda f, p, xt, k=k: xt ** k * p) for k in range(4)])
    rhs = sp.Matrix([toy_mean(lambda f, p, xt, k=k: xt ** k * eps) for k in range(4)])
    return Identity(lhs, rhs, variables=TOY_DOMAINS, points=4)


@claim("sid1.C2.loss_rewrite",
       r"\mathcal L_1=\mathbb E\|\epsilon_{\varphi^*}-\epsilon_{\psi^*}\|^2=\mathbb E\langle\epsilon_{\varphi^*}-\epsilon_{\psi^*},"
       r"\epsilon_{\varphi^*}-\varepsilon\rangle=\mathcal L_2=\mathbb E\big[\|\epsilon_{\varphi^*}-\varepsilon\|^2+\|\epsilon_{\psi^*}\|^2\big]-d",
       hypotheses=(r"\psi=\psi^*",), uses=("sid1.C2.tower",))
def c2_loss_rewrite():
    r"""SiD's rewrite: \(\mathcal L_1-\mathcal L_2=\mathbb E\langle\epsilon_{\varphi^*}-\epsilon_{\psi^*},\varepsilon-\epsilon_{\psi^*}\rangle=0\)
    by the tower identity with \(f=\epsilon_{\varphi^*}-\epsilon_{\psi^*}\), a function of \(x_t\) only; the third form uses it
    with \(f=\epsilon_{\varphi^*}\) and \(f=\epsilon_{\psi^*}\) and \(\mathbb E\|\varepsilon\|^2=d\) (\(d=1\)).  Proved in the toy
    (\(0.1624019515856633514730719\) at \(a=\tfrac45,b=\tfrac35,\mu_T=1,s_T=2,\theta=(\tfrac12,1)\))."""
    L1, L2, L3 = losses()
    return Identity(sp.Matrix([L1, L2]), sp.Matrix([L2, L3]), variables=TOY_DOMAINS, points=4)


NONOPT_GAP = b ** 2 * (a ** 2 * theta2 ** 2 / 10 - 9 * a ** 2 * s_T ** 2 / 100 + b ** 2 / 100) / (
    (a ** 2 * s_T ** 2 + b ** 2) * (a ** 2 * theta2 ** 2 + b ** 2))


@claim("sid1.C2.nonoptimal_gap",
       r"\epsilon_\psi=0.9\,\epsilon_{\psi^*}:\ \mathcal L_1-\mathcal L_2=\frac{b^2(a^2\theta_2^2/10-9a^2s_T^2/100+b^2/100)}"
       r"{(a^2s_T^2+b^2)(a^2\theta_2^2+b^2)}")
def c2_nonoptimal_gap():
    r"""Away from the optimum the rewrite fails by an explicit amount (the card's expression, proved in the toy): the
    identity \(\mathcal L_1=\mathcal L_2\) genuinely needs \(\psi=\psi^*\)."""
    L1, L2, _ = losses(sp.Rational(9, 10))
    return Identity(L1 - L2, NONOPT_GAP, variables=TOY_DOMAINS, points=4)


# ---- negative controls ---------------------------------------------------------------------------

def _gaussian_score():
    return sp.diff(log_normal_density(x, a * mu_T, a ** 2 * s_T ** 2 + b ** 2), x)


@control("sid1.C1.drop_beta", r"\mathbb E[\varepsilon\mid x_t]=-\nabla\log p_t(x_t)\ \text{(factor }\bar\beta\text{ dropped)}",
         symbolic=False)
def ctl_drop_beta():
    r"""Without the factor \(\bar\beta\) the predictor is off by \(1/\bar\beta\) (Gaussian data)."""
    return Identity(predictor(x, mu_T, s_T), -_gaussian_score(), variables=TOY_DOMAINS)


@control("sid1.C1.alpha_for_beta", r"\mathbb E[\varepsilon\mid x_t]=-\bar\alpha\,\nabla\log p_t(x_t)", symbolic=False)
def ctl_alpha_for_beta():
    r"""\(\bar\alpha\) in place of \(\bar\beta\) (Gaussian data)."""
    return Identity(predictor(x, mu_T, s_T), -a * _gaussian_score(), variables=TOY_DOMAINS)


@control("sid1.C2.nonoptimal", r"\epsilon_\psi=0.9\,\epsilon_{\psi^*}:\ \mathcal L_1=\mathcal L_2", symbolic=False)
def ctl_nonoptimal():
    r"""The rewrite at a non-optimal \(\psi\): refuted (the gap is ``sid1.C2.nonoptimal_gap``)."""
    L1, L2, _ = losses(sp.Rational(9, 10))
    return Identity(L1, L2, variables=TOY_DOMAINS)


@control("sid1.C2.f_uses_noise", r"f=\varepsilon:\ \mathbb E[\varepsilon\,\epsilon_{\psi^*}(x_t)]=\mathbb E[\varepsilon^2]",
         symbolic=False)
def ctl_f_uses_noise():
    r"""The tower identity needs \(f\) to depend on \(x_t\) only: for \(f=\varepsilon\) the left side is
    \(b^2/(a^2\theta_2^2+b^2)<1\)."""
    return Identity(toy_mean(lambda f, p, xt: eps * p), toy_mean(lambda f, p, xt: eps * eps), variables=TOY_DOMAINS)


def results():
    L1, _, _ = losses()
    return [
        ("Toy loss", r"\mathcal L_1=\mathcal L_2=" + sp.latex(sp.factor(sp.cancel(L1)))),
        ("Reference", r"\mathcal L_1(a=\tfrac45,b=\tfrac35,\mu_T=1,s_T=2,\theta=(\tfrac12,1))="
         + str(sp.N(L1.subs(REF), 25))),
    ]


DERIVATION = Derivation(
    slug="sid1",
    title="Generative diffusion models (25): identity-based distillation (part I)",
    source="https://kexue.fm/archives/10085",
    date="2024-05-01",
    summary=("The optimal epsilon-predictor is -beta-bar times the score for any data law; in a Gaussian generator "
             "toy the tower identity makes SiD's losses L1 and L2 equal at the optimum, and the equality fails "
             "by an explicit amount away from it."),
    claims=(c1_kernel, c1_gaussian_data, c1_mixture, c1_mixture_quadrature, c2_tower, c2_loss_rewrite, c2_nonoptimal_gap),
    controls=(ctl_drop_beta, ctl_alpha_for_beta, ctl_nonoptimal, ctl_f_uses_noise),
    results=results,
)
