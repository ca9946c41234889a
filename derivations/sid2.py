r"""Generative diffusion models (26): identity-based distillation (part II): why \(\lambda=0.5\) and \(\lambda=1\).

Post: Su Jianlin, 《生成扩散模型漫谈（二十六）：基于恒等式的蒸馏（下）》 ("Generative diffusion models (26):
identity-based distillation, part II"), Scientific Spaces, 2024-11-22, https://kexue.fm/archives/10567.
Builds on: Huang et al., "Flow Generator Matching", arXiv:2410.19310; Luo et al., "One-Step Diffusion Distillation through
Score Implicit Matching", arXiv:2410.16794; the SiD post (``sid1``).
Spec: ``shared/spec/catalog.md``, cards sid2-C1, sid2-C2.

Main results
------------
* ``C1.pointwise``: \(\|\epsilon_\varphi\|^2-2\langle\epsilon_\varphi,\varepsilon\rangle+2\langle\epsilon_\psi,\varepsilon\rangle-\|\epsilon_\psi\|^2
  =2\langle\epsilon_\varphi-\epsilon_\psi,\epsilon_\varphi-\varepsilon\rangle-\|\epsilon_\varphi-\epsilon_\psi\|^2\): FGM's loss is
  \(2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\), i.e. SiD with \(\lambda=\tfrac12\) (proved, any vectors);
  ``C1.toy-value``: in the toy \(\mathcal L_4^{\mathrm{sg}}=\mathcal L_1\) in value at \(p=\theta\) (proved).
* ``C2.fgm-gradient``: \(\nabla_\theta\mathcal L_1=\nabla_\theta\mathcal L_4^{\mathrm{sg}}=\nabla_\theta(2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}})\)
  (proved in the toy).
* ``C2.split``, ``C2.lambda-one``: with the sampling point stopped,
  \(\nabla\mathcal L_5=2\nabla(\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}})\) (\(\lambda=1\); proved in the toy, resting on the
  chosen "sg on the first \(p_\theta\)" modification).
* ``C2.reference``: the card's loss value and its three gradients at the reference point (certified); the naive
  \(\nabla\mathcal L_1^{\mathrm{sg}}\) has both components of the wrong sign there.

Hypotheses
----------
* The Gaussian toy of ``sid1`` (toolkit ``sid_toy``); \(\mathcal L_i^{\mathrm{sg}}\) is \(\mathcal L_i\) with \(\psi^*\) frozen: the frozen
  copy of \(\theta\) inside \(\psi^*\) is \(p=(p_1,p_2)\), set to \(\theta\) after differentiating; \(\mathcal L_5\) is \(\mathcal L_1\) with
  the sampling point \(x_t^{(g)}\) stopped (its copy \(q=(q_1,q_2)\)).
* The empirical optimum \(\lambda\approx1.2\) and the collapse at \(\lambda=1.5\) are not checkable.

Notation
--------
SiD trains on \(\mathcal L_2^{\mathrm{sg}}-\lambda\mathcal L_1^{\mathrm{sg}}\); \(\mathcal L_4^{\mathrm{sg}}\) is FGM's loss; \(k_f,k_p\) the slopes of the
teacher and generator predictors, substituted after the Gaussian moments are taken.

Errata
------
None: the post's identities hold (C2.lambda-one for the modified loss, as the post says).
"""
from __future__ import annotations

import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Figure, Identity, Inequality, claim, control, real,
                                stated)
from derivations.toolkit.gaussian_moments import gaussian_expectation
from derivations.toolkit.sid_toy import (NORMALS, REF, TOY_DOMAINS, a, b, eps, gain, mu_T, noisy_sample, s_T, theta1,
                                         theta2)

p1, q1 = sp.symbols("p_1 q_1", real=True)
p2, q2 = sp.symbols("p_2 q_2", positive=True)
FROZEN = {p1: theta1, p2: theta2}
STOPPED = {q1: theta1, q2: theta2}
THETA = (theta1, theta2)


KF, KP = sp.symbols("k_f k_p")   # slopes of the teacher and generator predictors, substituted last


def sg_moment(kind, sample=(theta1, theta2), frozen=(p1, p2)):
    r"""\(\mathbb E_{z,\varepsilon}\) of a SiD/FGM integrand in the toy, as a polynomial in the placeholder slopes
    \(k_f,k_p\), with the sampling point \(x_t=a(s_1+s_2z)+b\varepsilon\) (``sample``) and the generator predictor
    centred at ``frozen[0]``: ``L1``: \((\epsilon_\varphi-\epsilon_\psi)^2\); ``L2``:
    \((\epsilon_\varphi-\epsilon_\psi)(\epsilon_\varphi-\varepsilon)\); ``L4``:
    \(\epsilon_\varphi^2-2\epsilon_\varphi\varepsilon+2\epsilon_\psi\varepsilon-\epsilon_\psi^2\)."""
    xt = noisy_sample(*sample)
    f, p = KF * (xt - a * mu_T), KP * (xt - a * frozen[0])
    integrand = {"L1": (f - p) ** 2, "L2": (f - p) * (f - eps),
                 "L4": f ** 2 - 2 * f * eps + 2 * p * eps - p ** 2}[kind]
    return gaussian_expectation(integrand, NORMALS)


def slopes(frozen=(p1, p2)):
    """Values of the placeholder slopes: teacher \\(b/(a^2s_T^2+b^2)\\), generator \\(b/(a^2p_2^2+b^2)\\)."""
    return {KF: gain(s_T), KP: gain(frozen[1])}


def sg_mean(kind, sample=(theta1, theta2), frozen=(p1, p2)):
    """The expectation with the slopes substituted."""
    return sg_moment(kind, sample, frozen).subs(slopes(frozen))


def grad(kind_weights, sample=(theta1, theta2), frozen=(p1, p2), at=None):
    r"""\(\nabla_\theta\sum_k c_k\,\mathbb E[\ell_k]\) for ``kind_weights`` \(=\{k: c_k\}\), then the frozen/stopped copies set
    back to \(\theta\).  Differentiated on the polynomial in the placeholders (chain rule through \(k_p\) when the
    generator predictor follows \(\theta\)), and the slopes substituted last."""
    poly = sum(c * sg_moment(kind, sample, frozen) for kind, c in kind_weights.items())
    rates = slopes(frozen)
    parts = []
    for v in THETA:
        d = sp.diff(poly, v)
        if rates[KP].has(v):
            d += sp.diff(poly, KP) * sp.diff(rates[KP], v)
        parts.append(d.subs(rates).subs(at or {}))
    return sp.Matrix(parts)


# ---- C1 ---------------------------------------------------------------------------------------------

DIM = 3
vphi = sp.Matrix(sp.symbols(f"phi_1:{DIM + 1}", real=True))
vpsi = sp.Matrix(sp.symbols(f"psi_1:{DIM + 1}", real=True))
veps = sp.Matrix(sp.symbols(f"e_1:{DIM + 1}", real=True))
VEC_DOMAINS = {s: real(-2, 2) for s in (*vphi, *vpsi, *veps)}


def integrands():
    r"""Pointwise integrands \((\ell_1,\ell_2,\ell_4)\) of \(\mathcal L_1^{\mathrm{sg}},\mathcal L_2^{\mathrm{sg}},\mathcal L_4^{\mathrm{sg}}\) for
    arbitrary vectors \(\epsilon_\varphi,\epsilon_\psi,\varepsilon\in\mathbb R^3\)."""
    l1 = (vphi - vpsi).dot(vphi - vpsi)
    l2 = (vphi - vpsi).dot(vphi - veps)
    l4 = vphi.dot(vphi) - 2 * vphi.dot(veps) + 2 * vpsi.dot(veps) - vpsi.dot(vpsi)
    return l1, l2, l4


@claim("C1.pointwise",
       r"\|\epsilon_\varphi\|^2-2\langle\epsilon_\varphi,\varepsilon\rangle+2\langle\epsilon_\psi,\varepsilon\rangle-\|\epsilon_\psi\|^2"
       r"=2\langle\epsilon_\varphi-\epsilon_\psi,\epsilon_\varphi-\varepsilon\rangle-\|\epsilon_\varphi-\epsilon_\psi\|^2")
def c1_pointwise():
    r"""FGM's loss \(\mathcal L_4^{\mathrm{sg}}\) equals \(2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\) already inside the expectation,
    for arbitrary vectors: SiD with \(\lambda=\tfrac12\), up to the factor 2."""
    l1, l2, l4 = integrands()
    return Identity(l4, 2 * l2 - l1, variables=VEC_DOMAINS, points=3)


@claim("C1.toy-value", r"p=\theta:\ \mathcal L_4^{\mathrm{sg}}=\mathcal L_1",
       uses=("C1.pointwise",))
def c1_toy_value():
    r"""In the toy with the frozen copy at \(p=\theta\), the FGM loss takes the value of \(\mathcal L_1\) (its gradients differ
    from the naive ones: see C2)."""
    return Identity(sg_mean("L4").subs(FROZEN), sg_mean("L1").subs(FROZEN), variables=TOY_DOMAINS, points=4)


# ---- C2 ---------------------------------------------------------------------------------------------

def true_gradient():
    r"""\(\nabla_\theta\mathcal L_1\) including the dependence of \(\psi^*\) on \(\theta\)."""
    return grad({"L1": 1}, frozen=THETA)


@claim("C2.fgm-gradient",
       r"\nabla_\theta\mathcal L_1=\nabla_\theta\mathcal L_4^{\mathrm{sg}}\big|_{p=\theta}"
       r"=\nabla_\theta\big(2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\big)\big|_{p=\theta}",
       uses=("C1.pointwise",))
def c2_fgm_gradient():
    r"""The true gradient of \(\mathcal L_1\) (through \(x_t\) and through \(\psi^*(\theta)\)) is obtained with \(\psi^*\) frozen from
    \(\mathcal L_4^{\mathrm{sg}}=2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\): the \(\psi\)-dependence is removed by the tower identity,
    applied only to terms that depend on \(x_t\) alone.  Proved in the toy."""
    g4 = grad({"L4": 1}, at=FROZEN)
    g21 = grad({"L2": 2, "L1": -1}, at=FROZEN)
    return Identity(sp.Matrix.vstack(true_gradient(), g4), sp.Matrix.vstack(g4, g21), variables=TOY_DOMAINS, points=3)


@claim("C2.split",
       r"\nabla_\theta\mathcal L_1=\nabla_\theta\mathcal L_5\big|_{q=\theta}+\nabla_\theta\mathcal L_1^{\mathrm{sg}}\big|_{p=\theta}",
       hypotheses=(r"\mathcal L_5=\mathcal L_1\ \text{with the sampling point }x_t^{(g)}\ \text{stopped}",))
def c2_split():
    r"""Chain rule: \(\theta\) enters \(\mathcal L_1\) through the sampling point \(x_t^{(g)}\) and through \(\psi^*\); stopping one or
    the other gives the two parts."""
    g5 = grad({"L1": 1}, sample=(q1, q2), frozen=THETA, at=STOPPED)
    return Identity(true_gradient(), g5 + grad({"L1": 1}, at=FROZEN), variables=TOY_DOMAINS, points=3)


@claim("C2.lambda-one",
       r"\nabla_\theta\mathcal L_5\big|_{q=\theta}=2\,\nabla_\theta\big(\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\big)\big|_{p=\theta}",
       uses=("C2.fgm-gradient", "C2.split"))
def c2_lambda_one():
    r"""Hence \(\nabla\mathcal L_5=\nabla\mathcal L_1-\nabla\mathcal L_1^{\mathrm{sg}}=2\nabla(\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}})\): SiD with
    \(\lambda=1\), up to the factor 2.  This rests on choosing to stop the gradient through the sampling point (the
    "sg on the first \(p_\theta\)" modification), not on an identity of the original loss."""
    g5 = grad({"L1": 1}, sample=(q1, q2), frozen=THETA, at=STOPPED)
    return Identity(g5, 2 * grad({"L2": 1, "L1": -1}, at=FROZEN), variables=TOY_DOMAINS, points=3)


CARD = {"true": ("-0.02702195533871270407205855", "-0.4067560893225745918558829"),
        "naive_L1sg": ("0.05188215425032839181835241", "0.1992274723212610245824733"),
        "L2sg": ("0.01243009945580784387314693", "-0.1037643085006567836367048")}
CARD_LOSS = "0.1624019515856633514730719"


def card_gradients():
    r"""\(\nabla_\theta\mathcal L_1\) (true), \(\nabla_\theta\mathcal L_1^{\mathrm{sg}}\) (naive) and \(\nabla_\theta\mathcal L_2^{\mathrm{sg}}\) at the
    card's reference point (exact rationals: the point is rational)."""
    return {"true": true_gradient().subs(REF), "naive_L1sg": grad({"L1": 1}, at=FROZEN).subs(REF),
            "L2sg": grad({"L2": 1}, at=FROZEN).subs(REF)}


@claim("C2.reference",
       r"a=\tfrac45,b=\tfrac35,\mu_T=1,s_T=2,\theta=(\tfrac12,1):\ \mathcal L_4^{\mathrm{sg}}=0.1624019515856633514730719,\ "
       r"\nabla\mathcal L_1=(-0.02702195533871270407205855,-0.4067560893225745918558829),\ "
       r"\nabla\mathcal L_1^{\mathrm{sg}}=(0.05188215425032839181835241,0.1992274723212610245824733),\ "
       r"\nabla\mathcal L_2^{\mathrm{sg}}=(0.01243009945580784387314693,-0.1037643085006567836367048);\ "
       r"\text{the naive gradient has both signs wrong}",
       uses=("C1.toy-value", "C2.fgm-gradient"))
def c2_reference():
    r"""The card's numbers at its reference point, each to the 25 digits it prints, and the sign reversal of the naive
    frozen gradient (\(\partial_k\mathcal L_1\cdot\partial_k\mathcal L_1^{\mathrm{sg}}<0\) for both components)."""
    g = card_gradients()
    parts = [Approximation(sg_mean("L4").subs(FROZEN).subs(REF), stated(CARD_LOSS))]
    labels = ["L4sg"]
    for name, values in CARD.items():
        for k, v in enumerate(values):
            parts.append(Approximation(g[name][k], stated(v)))
            labels.append(f"{name}[{k + 1}]")
    for k in range(2):
        parts.append(Inequality(g["true"][k] * g["naive_L1sg"][k], "<", 0))
        labels.append(f"sign [{k + 1}]")
    return All(tuple(parts), tuple(labels))


# ---- negative controls -------------------------------------------------------------------------

@control("N1.minus-two", r"\mathcal L_4^{\mathrm{sg}}=2\mathcal L_2^{\mathrm{sg}}-2\mathcal L_1^{\mathrm{sg}}")
def ctl_minus_two():
    r"""Wrong coefficient on \(\mathcal L_1^{\mathrm{sg}}\) (\(\lambda=1\) instead of \(\tfrac12\))."""
    l1, l2, l4 = integrands()
    return Identity(l4, 2 * l2 - 2 * l1, variables=VEC_DOMAINS)


@control("N1.unit-weights", r"\mathcal L_4^{\mathrm{sg}}=\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}")
def ctl_unit_weights():
    r"""Wrong weights \(\mathcal L_2-\mathcal L_1\)."""
    l1, l2, l4 = integrands()
    return Identity(l4, l2 - l1, variables=VEC_DOMAINS)


@control("N2.naive-sg", r"\nabla_\theta\mathcal L_1=\nabla_\theta\mathcal L_1^{\mathrm{sg}}\big|_{p=\theta}\ \text{(naive frozen gradient)}")
def ctl_naive_sg():
    r"""The naive update \(\nabla\mathcal L_1^{\mathrm{sg}}\) is biased: at the reference point it is
    \((0.0519,0.1992)\) against the true \((-0.0270,-0.4068)\), both components of the wrong sign."""
    return Identity(true_gradient(), grad({"L1": 1}, at=FROZEN), variables=TOY_DOMAINS)


@control("N2.two-l2", r"\nabla_\theta\mathcal L_1=2\nabla_\theta\mathcal L_2^{\mathrm{sg}}\big|_{p=\theta}\ \text{(}\lambda=0\text{)}")
def ctl_two_L2():
    r"""\(2\nabla\mathcal L_2^{\mathrm{sg}}\) alone (\(\lambda=0\)) is also biased: \((0.0249,-0.2075)\) at the reference point."""
    return Identity(true_gradient(), 2 * grad({"L2": 1}, at=FROZEN), variables=TOY_DOMAINS)


def results():
    g = card_gradients()

    def vec(v):
        return r"\big(" + r",\ ".join(str(sp.N(c, 12)) for c in v) + r"\big)"
    return [
        ("Gradients at the reference point",
         r"\nabla\mathcal L_1=" + vec(g["true"]) + r",\quad\nabla\mathcal L_1^{\mathrm{sg}}=" + vec(g["naive_L1sg"])
         + r",\quad\nabla\mathcal L_2^{\mathrm{sg}}=" + vec(g["L2sg"])),
    ]


def draw_lambda(fig):
    r"""C2 at the card's point: each component of the SiD update \(2\nabla_\theta(\mathcal L_2^{\mathrm{sg}}-\lambda\mathcal L_1^{\mathrm{sg}})\)
    against \(\lambda\), with the true \(\nabla_\theta\mathcal L_1\) (met at \(\lambda=\tfrac12\)) and \(\nabla_\theta\mathcal L_5\) (met at
    \(\lambda=1\))."""
    import numpy as np
    g = {k: [float(c) for c in v] for k, v in card_gradients().items()}
    lam = np.linspace(0, 1.5, 151)
    for k in range(2):
        ax = fig.add_subplot(1, 2, k + 1)
        ax.plot(lam, 2 * g["L2sg"][k] - 2 * lam * g["naive_L1sg"][k], color="#0550ae", lw=1.8,
                label=r"$2\partial(\mathcal{L}_2^{sg}-\lambda\mathcal{L}_1^{sg})$")
        ax.axhline(g["true"][k], color="#cf222e", ls="--", lw=1.2, label=r"true $\partial\mathcal{L}_1$")
        ax.axhline(g["true"][k] - g["naive_L1sg"][k], color="#1a7f37", ls=":", lw=1.4,
                   label=r"$\partial\mathcal{L}_5$ (sampling point stopped)")
        ax.axhline(g["naive_L1sg"][k], color="#8c959f", ls="-.", lw=1, label=r"naive $\partial\mathcal{L}_1^{sg}$")
        ax.axvline(0.5, color="black", lw=0.6)
        ax.axvline(1.0, color="black", lw=0.6)
        ax.set_xlabel(r"$\lambda$")
        ax.set_ylabel(rf"gradient component $\partial/\partial\theta_{k + 1}$")
        ax.grid(alpha=0.3)
        if k == 0:
            ax.legend(fontsize=7, loc="center right")


DERIVATION = Derivation(
    slug="sid2",
    title="Generative diffusion models (26): identity-based distillation (part II): why lambda=0.5 and lambda=1",
    source="https://kexue.fm/archives/10567",
    date="2024-11-22",
    summary=("FGM's loss is 2 L2sg - L1sg (SiD with lambda = 1/2) pointwise, and its gradient is the true gradient "
             "of L1; stopping the sampling point instead gives 2 (L2sg - L1sg) (lambda = 1). Proved in the "
             "Gaussian toy, where the naive frozen gradient has the wrong sign."),
    claims=(c1_pointwise, c1_toy_value, c2_fgm_gradient, c2_split, c2_lambda_one, c2_reference),
    controls=(ctl_minus_two, ctl_unit_weights, ctl_naive_sg, ctl_two_L2),
    results=results,
    figures=(Figure("sid2-lambda",
                    r"C2 in the Gaussian toy at the card's point: SiD's update $2\nabla(\mathcal L_2^{\mathrm{sg}}-"
                    r"\lambda\mathcal L_1^{\mathrm{sg}})$ is the true gradient of $\mathcal L_1$ at $\lambda=\frac12$ (FGM) and the "
                    r"gradient of $\mathcal L_5$ (sampling point stopped) at $\lambda=1$; the naive frozen gradient has "
                    r"both signs wrong.", draw_lambda),),
)
