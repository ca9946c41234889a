r"""Generative diffusion models (25): identity-based distillation (part I).

Post: Su Jianlin, 《生成扩散模型漫谈（二十五）：基于恒等式的蒸馏（上）》 ("Generative diffusion models (25):
identity-based distillation, part I"), Scientific Spaces, 2024-05-01, https://kexue.fm/archives/10085.
Builds on: Zhou et al., "Score identity Distillation: Exponentially Fast Distillation of Pretrained Diffusion Models for
One-Step Generation", arXiv:2404.04057 (ICML 2024); the DDE precursor, arXiv:2001.02728.
Spec: ``shared/spec/catalog.md``, cards sid1-C1, sid1-C2.

Main results
------------
* ``C1.kernel``, ``C1.gaussian-data``, ``C1.mixture``: \(\mathbb E[\varepsilon\mid x_t]=-\bar\beta\,\nabla\log p_t(x_t)\) for any data law
  (the kernel identity under the integral; Gaussian and two-component mixture data in closed form; proved);
  ``C1.mixture-quadrature``: the definition of \(\mathbb E[\varepsilon\mid x_t]\) integrated numerically agrees with the
  score formula for the card's mixture, and the card's three values (checked).
* ``C2.tower``: \(\mathbb E\langle f(x_t),\epsilon_{\psi^*}(x_t)\rangle=\mathbb E\langle f(x_t),\varepsilon\rangle\) for \(f\) of \(x_t\) only
  (proved in the toy for \(f=1,x,x^2,x^3\)).
* ``C2.loss-rewrite``: \(\mathcal L_1=\mathcal L_2=\mathbb E[\|\epsilon_{\varphi^*}-\varepsilon\|^2+\|\epsilon_{\psi^*}\|^2]-d\) at \(\psi=\psi^*\)
  (proved in the toy); ``C2.reference``: \(0.1624019515856633514730719\) at the card's point (certified).
* ``C2.nonoptimal-gap``: with \(\epsilon_\psi=0.9\,\epsilon_{\psi^*}\) the two losses differ by the card's exact expression (proved).

Hypotheses
----------
* \(x_t=\bar\alpha x_0+\bar\beta\varepsilon\), \(\varepsilon\sim\mathcal N(0,1)\) independent of \(x_0\); differentiation under the integral
  (C1.kernel).
* The Gaussian toy (toolkit ``sid_toy``): teacher data \(\mathcal N(\mu_T,s_T^2)\), generator \(g_\theta(z)=\theta_1+\theta_2z\),
  \(z\sim\mathcal N(0,1)\); \(\epsilon_{\varphi^*}\), \(\epsilon_{\psi^*}\) the optimal predictors for teacher and generator data; \(d=1\).

Notation
--------
\(a=\bar\alpha\), \(b=\bar\beta\); \(\varphi_b\) the \(\mathcal N(0,b^2)\) density; \(\mathcal L_1=\mathbb E\|\epsilon_{\varphi^*}-\epsilon_{\psi^*}\|^2\),
\(\mathcal L_2=\mathbb E\langle\epsilon_{\varphi^*}-\epsilon_{\psi^*},\epsilon_{\varphi^*}-\varepsilon\rangle\), all at \(x_t^{(g)}\), expectations over
\(z,\varepsilon\).

Errata
------
None: the post's identities hold as stated (at the optimum \(\psi=\psi^*\), which C2.nonoptimal-gap shows is needed).
"""
from __future__ import annotations

import mpmath
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Figure, Identity, claim, control, positive, quantity,
                                real, stated)
from derivations.toolkit.gaussian_moments import gaussian_expectation
from derivations.toolkit.sid_toy import (NORMALS, REF, TOY_DOMAINS, a, b, eps, gain, mu_T, noisy_sample, predictor,
                                         s_T, theta1, theta2)

x, y = sp.symbols("x y", real=True)
DOMAINS = {**TOY_DOMAINS, x: real(-3, 3), y: real(-3, 3)}


def toy_mean(integrand_of, psi_scale=1):
    r"""\(\mathbb E_{z,\varepsilon}\) of ``integrand_of(eps_phi, eps_psi, x_t)`` in the toy, with the teacher predictor
    \(\epsilon_{\varphi^*}\) and the generator-optimal \(\epsilon_{\psi^*}\) (times ``psi_scale``).  The slopes are kept as
    placeholders while the Gaussian moments are taken (a polynomial in \(z,\varepsilon\)), then substituted."""
    kf, kp = sp.symbols("k_f k_p")
    xt = noisy_sample()
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


@claim("C1.kernel",
       r"-\bar\beta\,\partial_x\varphi_{\bar\beta}(x-\bar\alpha y)=\varphi_{\bar\beta}(x-\bar\alpha y)\,\frac{x-\bar\alpha y}{\bar\beta}"
       r"\ \Longrightarrow\ \mathbb E[\varepsilon\mid x_t]=-\bar\beta\,\nabla\log p_t(x_t)",
       hypotheses=(r"p_t(x)=\int p_0(y)\varphi_{\bar\beta}(x-\bar\alpha y)\,dy", r"\text{differentiation under the integral}"))
def c1_kernel():
    r"""For any data law \(p_0\), \(p_t(x)=\int p_0(y)\varphi_b(x-ay)dy\).  The kernel identity (the noise that produced
    \(x\) from \(y\) is \(\varepsilon=(x-ay)/b\)) integrated against \(p_0(y)\,dy\) gives
    \(-b\,\partial_xp_t(x)=\int\varepsilon\,p_0(y)\varphi_b(x-ay)dy=p_t(x)\,\mathbb E[\varepsilon\mid x_t=x]\): the optimal
    \(\epsilon\)-predictor is \(-\bar\beta\) times the score."""
    k = kernel(x, y)
    return Identity(-b * sp.diff(k, x), k * (x - a * y) / b, DOMAINS)


def log_normal_density(point, mean, var):
    r"""\(\log\mathcal N(x;m,v)\)."""
    return -(point - mean) ** 2 / (2 * var) - sp.log(2 * sp.pi * var) / 2


@claim("C1.gaussian-data",
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
    return Identity(lhs, sp.Matrix([predictor(x, mu_T, s_T), 0, 0]), DOMAINS)


w = sp.Symbol("w", positive=True)
m1, m2 = sp.symbols("m_1 m_2", real=True)
s1, s2 = sp.symbols("s_1 s_2", positive=True)
MIX_DOMAINS = {**DOMAINS, w: real(0.05, 0.95), m1: real(-2, 2), m2: real(-2, 2), s1: positive(2.0), s2: positive(2.0)}


@claim("C1.mixture",
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
    return Identity(-b * sp.diff(dens[0] + dens[1], x),
                    sum(di * predictor(x, mi, si) for di, (_, mi, si) in zip(dens, comps)), MIX_DOMAINS, points=4)


MIX_COMPONENTS = ((sp.Rational(3, 10), -2, sp.Rational(1, 2)), (sp.Rational(7, 10), 1, sp.Rational(3, 10)))
MIX_AB = (sp.Rational(4, 5), sp.Rational(3, 5))
MIX_POINTS = ("-1.3", "0.4", "2")
MIX_VALUES = ("0.2982272518448229316080575", "-0.5463532155768339645175761", "1.724158196588858563215213")


def mixture_score(point):
    r"""\(-b\,\partial_x\log p_t\) for the card's mixture \(0.3\,\mathcal N(-2,0.5^2)+0.7\,\mathcal N(1,0.3^2)\), \(a=0.8\), \(b=0.6\)."""
    dens = [wi * sp.exp(log_normal_density(x, a * mi, a ** 2 * si ** 2 + b ** 2)) for wi, mi, si in MIX_COMPONENTS]
    score = -b * sp.diff(dens[0] + dens[1], x) / (dens[0] + dens[1])
    return score.subs({a: MIX_AB[0], b: MIX_AB[1]}).subs(x, point)


def noise_posterior_mean(point):
    r"""\(\mathbb E[\varepsilon\mid x_t=x]=\frac{\int p_0(y)\varphi_b(x-ay)\frac{x-ay}b\,dy}{\int p_0(y)\varphi_b(x-ay)\,dy}\) for the card's
    mixture, from this definition (no score formula), at the working precision.

    Each component's integrand is a Gaussian bump in \(y\); it is integrated by the trapezoidal rule in the bump's own
    scale (centre and width of the product of the two Gaussians), whose error for such analytic, rapidly decaying
    integrands is about \(e^{-2\pi^2/h^2}\) (Trefethen–Weideman): the step \(h\) and the cut of the tails are chosen from
    the working precision, so a precision-dependent error shows at the engine's two precisions."""
    digits = mpmath.mp.dps + 5
    h = mpmath.pi * mpmath.sqrt(2 / (digits * mpmath.log(10)))
    reach = int(mpmath.sqrt(2 * digits * mpmath.log(10)) / h) + 1
    xv = mpmath.mpf(point)
    av, bv = (mpmath.mpf(int(v.p)) / int(v.q) for v in MIX_AB)
    num = den = mpmath.mpf(0)
    for wi, mi, si in MIX_COMPONENTS:
        wi, mi, si = (mpmath.mpf(int(sp.Rational(v).p)) / int(sp.Rational(v).q) for v in (wi, mi, si))
        precision = 1 / si ** 2 + (av / bv) ** 2
        centre = (mi / si ** 2 + av * xv / bv ** 2) / precision
        width = 1 / mpmath.sqrt(precision)
        for k in range(-reach, reach + 1):
            yv = centre + k * h * width
            e = (xv - av * yv) / bv
            joint = wi / si * mpmath.exp(-((yv - mi) / si) ** 2 / 2 - e * e / 2) * width
            den += joint
            num += joint * e
    return num / den


NoisePosteriorMean = quantity("NoisePosteriorMean", evaluator=noise_posterior_mean, real=True,
                              how="trapezoidal quadrature of the definition over x_0")


@claim("C1.mixture-quadrature",
       r"p_0=0.3\,\mathcal N(-2,0.5^2)+0.7\,\mathcal N(1,0.3^2),\ \bar\alpha=0.8,\ \bar\beta=0.6:\ "
       r"\int\varepsilon\,p(\varepsilon\mid x_t)\,d\varepsilon=-\bar\beta\,\partial_x\log p_t;\ =0.2982272518448229316080575,\ "
       r"-0.5463532155768339645175761,\ 1.724158196588858563215213\ \text{at }x_t=-1.3,\,0.4,\,2",
       uses=("C1.kernel", "C1.mixture"))
def c1_mixture_quadrature():
    r"""Independent route: \(\mathbb E[\varepsilon\mid x_t=x]\) integrated from its definition (trapezoidal quadrature, at two
    precisions) against the closed-form score at sampled \(x\in[-3,3]\); and the score at the card's three points
    against the 25 digits it prints."""
    refs = [Approximation(mixture_score(sp.Rational(pt)), stated(v)) for pt, v in zip(MIX_POINTS, MIX_VALUES)]
    return All((Identity(NoisePosteriorMean(x), mixture_score(x), {x: real(-3, 3)}, points=4), *refs),
               ("quadrature = score", *(f"x={pt}" for pt in MIX_POINTS)))


# ---- C2: the loss rewrite -----------------------------------------------------------------------

@claim("C2.tower",
       r"\mathbb E\big[f(x_t)\,\epsilon_{\psi^*}(x_t)\big]=\mathbb E\big[f(x_t)\,\varepsilon\big],\quad f(x)\in\{1,x,x^2,x^3\}",
       hypotheses=(r"x_t=\bar\alpha g_\theta(z)+\bar\beta\varepsilon,\ g_\theta(z)=\theta_1+\theta_2z",
                   r"\epsilon_{\psi^*}=\mathbb E[\varepsilon\mid x_t]"))
def c2_tower():
    r"""The tower property with \(\epsilon_{\psi^*}(x_t)=\mathbb E[\varepsilon\mid x_t]\): for any \(f\) of \(x_t\) alone,
    \(\mathbb E[f\,\epsilon_{\psi^*}]=\mathbb E[f\,\mathbb E[\varepsilon\mid x_t]]=\mathbb E[f\,\varepsilon]\).  In the toy (generator law
    \(\mathcal N(\theta_1,\theta_2^2)\)) proved exactly for the monomials up to degree 3."""
    lhs = sp.Matrix([toy_mean(lambda f, p, xt, k=k: xt ** k * p) for k in range(4)])
    rhs = sp.Matrix([toy_mean(lambda f, p, xt, k=k: xt ** k * eps) for k in range(4)])
    return Identity(lhs, rhs, TOY_DOMAINS, points=4)


@claim("C2.loss-rewrite",
       r"\mathcal L_1=\mathbb E\|\epsilon_{\varphi^*}-\epsilon_{\psi^*}\|^2=\mathbb E\langle\epsilon_{\varphi^*}-\epsilon_{\psi^*},"
       r"\epsilon_{\varphi^*}-\varepsilon\rangle=\mathcal L_2=\mathbb E\big[\|\epsilon_{\varphi^*}-\varepsilon\|^2+\|\epsilon_{\psi^*}\|^2\big]-d",
       hypotheses=(r"\psi=\psi^*",), uses=("C2.tower",))
def c2_loss_rewrite():
    r"""SiD's rewrite: \(\mathcal L_1-\mathcal L_2=\mathbb E\langle\epsilon_{\varphi^*}-\epsilon_{\psi^*},\varepsilon-\epsilon_{\psi^*}\rangle=0\)
    by the tower identity with \(f=\epsilon_{\varphi^*}-\epsilon_{\psi^*}\), a function of \(x_t\) only; the third form uses it
    with \(f=\epsilon_{\varphi^*}\) and \(f=\epsilon_{\psi^*}\) and \(\mathbb E\|\varepsilon\|^2=d\) (\(d=1\)).  Proved in the toy."""
    L1, L2, L3 = losses()
    return Identity(sp.Matrix([L1, L2]), sp.Matrix([L2, L3]), TOY_DOMAINS, points=4)


REF_LOSS = "0.1624019515856633514730719"


@claim("C2.reference", r"a=\tfrac45,b=\tfrac35,\mu_T=1,s_T=2,\theta=(\tfrac12,1):\ \mathcal L_1=\mathcal L_2=0.1624019515856633514730719",
       uses=("C2.loss-rewrite",))
def c2_reference():
    r"""The card's value of both losses at its reference point, to the 25 digits it prints."""
    L1, L2, _ = losses()
    return All((Approximation(L1.subs(REF), stated(REF_LOSS)), Approximation(L2.subs(REF), stated(REF_LOSS))),
               ("L1", "L2"))


NONOPT_GAP = b ** 2 * (a ** 2 * theta2 ** 2 / 10 - 9 * a ** 2 * s_T ** 2 / 100 + b ** 2 / 100) / (
    (a ** 2 * s_T ** 2 + b ** 2) * (a ** 2 * theta2 ** 2 + b ** 2))


@claim("C2.nonoptimal-gap",
       r"\epsilon_\psi=0.9\,\epsilon_{\psi^*}:\ \mathcal L_1-\mathcal L_2=\frac{b^2(a^2\theta_2^2/10-9a^2s_T^2/100+b^2/100)}"
       r"{(a^2s_T^2+b^2)(a^2\theta_2^2+b^2)}")
def c2_nonoptimal_gap():
    r"""Away from the optimum the rewrite fails by an explicit amount (the card's expression, proved in the toy): the
    identity \(\mathcal L_1=\mathcal L_2\) genuinely needs \(\psi=\psi^*\)."""
    L1, L2, _ = losses(sp.Rational(9, 10))
    return Identity(L1 - L2, NONOPT_GAP, TOY_DOMAINS, points=4)


# ---- negative controls ---------------------------------------------------------------------------

def _gaussian_score():
    return sp.diff(log_normal_density(x, a * mu_T, a ** 2 * s_T ** 2 + b ** 2), x)


@control("N1.drop-beta", r"\mathbb E[\varepsilon\mid x_t]=-\nabla\log p_t(x_t)\ \text{(factor }\bar\beta\text{ dropped)}")
def ctl_drop_beta():
    r"""Without the factor \(\bar\beta\) the predictor is off by \(1/\bar\beta\) (Gaussian data)."""
    return Identity(predictor(x, mu_T, s_T), -_gaussian_score(), DOMAINS)


@control("N1.alpha-for-beta", r"\mathbb E[\varepsilon\mid x_t]=-\bar\alpha\,\nabla\log p_t(x_t)")
def ctl_alpha_for_beta():
    r"""\(\bar\alpha\) in place of \(\bar\beta\) (Gaussian data)."""
    return Identity(predictor(x, mu_T, s_T), -a * _gaussian_score(), DOMAINS)


@control("N2.nonoptimal", r"\epsilon_\psi=0.9\,\epsilon_{\psi^*}:\ \mathcal L_1=\mathcal L_2")
def ctl_nonoptimal():
    r"""The rewrite at a non-optimal \(\psi\): refuted (the gap is C2.nonoptimal-gap)."""
    L1, L2, _ = losses(sp.Rational(9, 10))
    return Identity(L1, L2, TOY_DOMAINS)


@control("N2.f-uses-noise", r"f=\varepsilon:\ \mathbb E[\varepsilon\,\epsilon_{\psi^*}(x_t)]=\mathbb E[\varepsilon^2]")
def ctl_f_uses_noise():
    r"""The tower identity needs \(f\) to depend on \(x_t\) only: for \(f=\varepsilon\) the left side is
    \(b^2/(a^2\theta_2^2+b^2)<1\)."""
    return Identity(toy_mean(lambda f, p, xt: eps * p), toy_mean(lambda f, p, xt: eps * eps), TOY_DOMAINS)


def results():
    L1, _, _ = losses()
    return [
        ("Toy loss", r"\mathcal L_1=\mathcal L_2=" + sp.latex(sp.factor(sp.cancel(L1)))),
        ("Reference", r"\mathcal L_1(a=\tfrac45,b=\tfrac35,\mu_T=1,s_T=2,\theta=(\tfrac12,1))=" + str(sp.N(L1.subs(REF), 25))),
    ]


def draw_mixture_denoiser(fig):
    r"""C1 for the card's mixture: the optimal \(\epsilon\)-predictor \(\mathbb E[\varepsilon\mid x_t]=-\bar\beta\,\partial_x\log p_t\) over
    \(x_t\), the quadrature of its definition at a few points, the card's three values, and the density \(p_t\)."""
    import numpy as np
    score = sp.lambdify(x, mixture_score(x), "numpy")
    xs = np.linspace(-3, 3, 401)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(xs, score(xs), color="#0550ae", lw=1.8, label=r"$-\bar\beta\,\partial_x\log p_t(x)$ (closed form)")
    pts = np.linspace(-2.75, 2.75, 12)
    with mpmath.workdps(20):
        quad = [float(noise_posterior_mean(v)) for v in pts]
    ax.plot(pts, quad, "o", ms=4, color="#cf222e", mfc="none", label=r"$\mathbb{E}[\varepsilon\mid x_t=x]$ (quadrature)")
    ax.plot([float(v) for v in MIX_POINTS], [float(v) for v in MIX_VALUES], "s", ms=5, color="black", label="card values")
    ax.set_xlabel(r"noisy sample $x_t$")
    ax.set_ylabel(r"optimal $\epsilon$-prediction")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)


DERIVATION = Derivation(
    slug="sid1",
    title="Generative diffusion models (25): identity-based distillation (part I)",
    source="https://kexue.fm/archives/10085",
    date="2024-05-01",
    summary=("The optimal epsilon-predictor is -beta-bar times the score for any data law; in a Gaussian generator "
             "toy the tower identity makes SiD's losses L1 and L2 equal at the optimum, and the equality fails "
             "by an explicit amount away from it."),
    claims=(c1_kernel, c1_gaussian_data, c1_mixture, c1_mixture_quadrature, c2_tower, c2_loss_rewrite, c2_reference,
            c2_nonoptimal_gap),
    controls=(ctl_drop_beta, ctl_alpha_for_beta, ctl_nonoptimal, ctl_f_uses_noise),
    results=results,
    figures=(Figure("sid1-mixture-denoiser",
                    r"C1 for the card's mixture $0.3\,\mathcal N(-2,0.5^2)+0.7\,\mathcal N(1,0.3^2)$, $\bar\alpha=0.8$, "
                    r"$\bar\beta=0.6$: the optimal $\epsilon$-predictor $\mathbb E[\varepsilon\mid x_t]$ integrated from its "
                    r"definition (circles) lies on $-\bar\beta$ times the score (line), through the card's three values.",
                    draw_mixture_denoiser),),
)
