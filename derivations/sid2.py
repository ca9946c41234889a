r"""Generative diffusion models (26): identity-based distillation (part II): why \(\lambda=0.5\) and \(\lambda=1\).

Post: 苏剑林 (Su Jianlin), 《生成扩散模型漫谈（二十六）：基于恒等式的蒸馏（下）》, 2024-11-22,
https://kexue.fm/archives/10567 (Flow Generator Matching, arXiv:2410.19310; Score Implicit Matching, arXiv:2410.16794).
\(\mathcal L_i^{\mathrm{sg}}\) is \(\mathcal L_i\) with \(\psi^*\) frozen; SiD trains on \(\mathcal L_2^{\mathrm{sg}}-\lambda\mathcal L_1^{\mathrm{sg}}\).
The Gaussian toy of ``sid1``; the frozen copy of \(\theta\) inside \(\psi^*\) is \(p=(p_1,p_2)\), set to \(\theta\) after
differentiating, and the stopped sampling point of \(\mathcal L_5\) uses \(q=(q_1,q_2)\).

Main results:

* ``sid2.C1.pointwise``: \(\|\epsilon_\varphi\|^2-2\langle\epsilon_\varphi,\varepsilon\rangle+2\langle\epsilon_\psi,\varepsilon\rangle-\|\epsilon_\psi\|^2
  =2\langle\epsilon_\varphi-\epsilon_\psi,\epsilon_\varphi-\varepsilon\rangle-\|\epsilon_\varphi-\epsilon_\psi\|^2\): FGM's loss is
  \(2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\), i.e. SiD with \(\lambda=\tfrac12\) (proved, any vectors).
* ``sid2.C2.fgm_gradient``: \(\nabla_\theta\mathcal L_1=\nabla_\theta\mathcal L_4^{\mathrm{sg}}=\nabla_\theta(2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}})\)
  (proved in the toy).
* ``sid2.C2.lambda_one``: with the sampling point stopped, \(\nabla\mathcal L_5=2\nabla(\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}})\)
  (\(\lambda=1\); proved in the toy, resting on the chosen "sg on the first \(p_\theta\)" modification).
* Controls: the naive \(\nabla\mathcal L_1^{\mathrm{sg}}\) (both components of the wrong sign at the reference point) and
  \(2\nabla\mathcal L_2^{\mathrm{sg}}\) are biased.  The empirical optimum \(\lambda\approx1.2\) is not checkable.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from derivations.engine import Derivation, Identity, claim, control
from derivations.reflow import gaussian_expectation
from derivations.sid1 import NORMALS, REF, TOY_DOMAINS, a, b, eps, gain, mu_T, s_T, theta1, theta2, z
from numeric.sampling import real

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
    xt = a * (sample[0] + sample[1] * z) + b * eps
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


@claim("sid2.C1.pointwise",
       r"\|\epsilon_\varphi\|^2-2\langle\epsilon_\varphi,\varepsilon\rangle+2\langle\epsilon_\psi,\varepsilon\rangle-\|\epsilon_\psi\|^2"
       r"=2\langle\epsilon_\varphi-\epsilon_\psi,\epsilon_\varphi-\varepsilon\rangle-\|\epsilon_\varphi-\epsilon_\psi\|^2")
def c1_pointwise():
    r"""FGM's loss \(\mathcal L_4^{\mathrm{sg}}\) equals \(2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\) already inside the expectation,
    for arbitrary vectors: SiD with \(\lambda=\tfrac12\), up to the factor 2."""
    l1, l2, l4 = integrands()
    return Identity(l4, 2 * l2 - l1, variables=VEC_DOMAINS, points=3)


@claim("sid2.C1.toy_value", r"p=\theta:\ \mathcal L_4^{\mathrm{sg}}=\mathcal L_1\quad(=0.1624019515856633514730719\ \text{at the reference point})",
       uses=("sid2.C1.pointwise", "sid1.C2.loss_rewrite"))
def c1_toy_value():
    r"""In the toy with the frozen copy at \(p=\theta\), the FGM loss takes the value of \(\mathcal L_1\) (its gradients differ
    from the naive ones: see C2)."""
    return Identity(sg_mean("L4").subs(FROZEN), sg_mean("L1").subs(FROZEN), variables=TOY_DOMAINS, points=4)


# ---- C2 ---------------------------------------------------------------------------------------------

def true_gradient():
    r"""\(\nabla_\theta\mathcal L_1\) including the dependence of \(\psi^*\) on \(\theta\)."""
    return grad({"L1": 1}, frozen=THETA)


@claim("sid2.C2.fgm_gradient",
       r"\nabla_\theta\mathcal L_1=\nabla_\theta\mathcal L_4^{\mathrm{sg}}\big|_{p=\theta}"
       r"=\nabla_\theta\big(2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\big)\big|_{p=\theta}",
       uses=("sid2.C1.pointwise", "sid1.C2.tower"))
def c2_fgm_gradient():
    r"""The true gradient of \(\mathcal L_1\) (through \(x_t\) and through \(\psi^*(\theta)\)) is obtained with \(\psi^*\) frozen from
    \(\mathcal L_4^{\mathrm{sg}}=2\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\): the \(\psi\)-dependence is removed by the tower identity,
    applied only to terms that depend on \(x_t\) alone.  Proved in the toy."""
    g4 = grad({"L4": 1}, at=FROZEN)
    g21 = grad({"L2": 2, "L1": -1}, at=FROZEN)
    return Identity(sp.Matrix.vstack(true_gradient(), g4), sp.Matrix.vstack(g4, g21), variables=TOY_DOMAINS, points=3)


@claim("sid2.C2.split",
       r"\nabla_\theta\mathcal L_1=\nabla_\theta\mathcal L_5\big|_{q=\theta}+\nabla_\theta\mathcal L_1^{\mathrm{sg}}\big|_{p=\theta}",
       hypotheses=(r"\mathcal L_5=\mathcal L_1\ \text{with the sampling point }x_t^{(g)}\ \text{stopped}",))
def c2_split():
    r"""Chain rule: \(\theta\) enters \(\mathcal L_1\) through the sampling point \(x_t^{(g)}\) and through \(\psi^*\); stopping one or
    the other gives the two parts."""
    g5 = grad({"L1": 1}, sample=(q1, q2), frozen=THETA, at=STOPPED)
    return Identity(true_gradient(), g5 + grad({"L1": 1}, at=FROZEN), variables=TOY_DOMAINS, points=3)


@claim("sid2.C2.lambda_one",
       r"\nabla_\theta\mathcal L_5\big|_{q=\theta}=2\,\nabla_\theta\big(\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}\big)\big|_{p=\theta}",
       uses=("sid2.C2.fgm_gradient", "sid2.C2.split"))
def c2_lambda_one():
    r"""Hence \(\nabla\mathcal L_5=\nabla\mathcal L_1-\nabla\mathcal L_1^{\mathrm{sg}}=2\nabla(\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}})\): SiD with
    \(\lambda=1\), up to the factor 2.  This rests on choosing to stop the gradient through the sampling point (the
    "sg on the first \(p_\theta\)" modification), not on an identity of the original loss."""
    g5 = grad({"L1": 1}, sample=(q1, q2), frozen=THETA, at=STOPPED)
    return Identity(g5, 2 * grad({"L2": 1, "L1": -1}, at=FROZEN), variables=TOY_DOMAINS, points=3)


# ---- negative controls -------------------------------------------------------------------------

@control("sid2.C1.minus_two", r"\mathcal L_4^{\mathrm{sg}}=2\mathcal L_2^{\mathrm{sg}}-2\mathcal L_1^{\mathrm{sg}}", symbolic=False)
def ctl_minus_two():
    r"""Wrong coefficient on \(\mathcal L_1^{\mathrm{sg}}\) (\(\lambda=1\) instead of \(\tfrac12\))."""
    l1, l2, l4 = integrands()
    return Identity(l4, 2 * l2 - 2 * l1, variables=VEC_DOMAINS)


@control("sid2.C1.unit_weights", r"\mathcal L_4^{\mathrm{sg}}=\mathcal L_2^{\mathrm{sg}}-\mathcal L_1^{\mathrm{sg}}", symbolic=False)
def ctl_unit_weights():
    r"""Wrong weights \(\mathcal L_2-\mathcal L_1\)."""
    l1, l2, l4 = integrands()
    return Identity(l4, l2 - l1, variables=VEC_DOMAINS)


@control("sid2.C2.naive_sg", r"\nabla_\theta\mathcal L_1=\nabla_\theta\mathcal L_1^{\mathrm{sg}}\big|_{p=\theta}\ \text{(naive frozen gradient)}",
         symbolic=False)
def ctl_naive_sg():
    r"""The naive update \(\nabla\mathcal L_1^{\mathrm{sg}}\) is biased: at the reference point it is
    \((0.0519,0.1992)\) against the true \((-0.0270,-0.4068)\), both components of the wrong sign."""
    return Identity(true_gradient(), grad({"L1": 1}, at=FROZEN), variables=TOY_DOMAINS)


@control("sid2.C2.two_L2", r"\nabla_\theta\mathcal L_1=2\nabla_\theta\mathcal L_2^{\mathrm{sg}}\big|_{p=\theta}\ \text{(}\lambda=0\text{)}",
         symbolic=False)
def ctl_two_L2():
    r"""\(2\nabla\mathcal L_2^{\mathrm{sg}}\) alone (\(\lambda=0\)) is also biased: \((0.0249,-0.2075)\) at the reference point."""
    return Identity(true_gradient(), 2 * grad({"L2": 1}, at=FROZEN), variables=TOY_DOMAINS)


def reference_gradients():
    """The three reference gradients of the card at the sid1 reference point (mpmath numbers, 30 digits)."""
    out = {}
    for name, g in (("true", true_gradient()), ("naive_L1sg", grad({"L1": 1}, at=FROZEN)),
                    ("L2sg", grad({"L2": 1}, at=FROZEN))):
        with mpmath.workdps(30):
            out[name] = [mpmath.mpf(sp.N(c.subs(REF), 35)) for c in g]
    return out


def results():
    ref = reference_gradients()

    def vec(v):
        return r"\big(" + ",\\ ".join(mpmath.nstr(c, 12) for c in v) + r"\big)"
    return [
        ("Gradients at the reference point",
         r"\nabla\mathcal L_1=" + vec(ref["true"]) + r",\quad\nabla\mathcal L_1^{\mathrm{sg}}=" + vec(ref["naive_L1sg"])
         + r",\quad\nabla\mathcal L_2^{\mathrm{sg}}=" + vec(ref["L2sg"])),
    ]


DERIVATION = Derivation(
    slug="sid2",
    title="Generative diffusion models (26): identity-based distillation (part II): why lambda=0.5 and lambda=1",
    source="https://kexue.fm/archives/10567",
    date="2024-11-22",
    summary=("FGM's loss is 2 L2sg - L1sg (SiD with lambda = 1/2) pointwise, and its gradient is the true gradient "
             "of L1; stopping the sampling point instead gives 2 (L2sg - L1sg) (lambda = 1). Proved in the "
             "Gaussian toy, where the naive frozen gradient has the wrong sign."),
    claims=(c1_pointwise, c1_toy_value, c2_fgm_gradient, c2_split, c2_lambda_one),
    controls=(ctl_minus_two, ctl_unit_weights, ctl_naive_sg, ctl_two_L2),
    results=results,
)
