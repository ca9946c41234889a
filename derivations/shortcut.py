r"""Generative diffusion models (27): the step size as a conditioning input (Shortcut models).

Post: Su Jianlin, 《生成扩散模型漫谈（二十七）：将步长作为条件输入》 ("Generative diffusion models (27): the step size as
a conditioning input"), Scientific Spaces, 2024-12-15, https://kexue.fm/archives/10617.
Builds on: Frans, Hafner, Levine, Abbeel, "One Step Diffusion via Shortcut Models", arXiv:2410.12557 (ICLR 2025); the
ReFlow post (``reflow``, card reflow-C3, whose Gaussian flow is the model here).
Spec: ``shared/spec/catalog.md``, cards shortcut-C1, shortcut-C2.

Main results
------------
* ``C1.flow``, ``C1.semigroup``: \(\Phi_{t\to t'}(x)=t'm+\frac{\sigma_{t'}}{\sigma_t}(x-tm)\) is the flow map of the Gaussian
  ReFlow ODE and composes as a semigroup (proved).
* ``C1.self-consistency``: the exact average velocity \(u(x,t,\epsilon)=(\Phi_{t\to t+\epsilon}(x)-x)/\epsilon\) satisfies
  \(u(x,t,2\epsilon)=\tfrac12[u(x,t,\epsilon)+u(x+\epsilon u,t+\epsilon,\epsilon)]\) (proved); ``C1.small-step``: \(u\to v\) as
  \(\epsilon\to0\) (proved): the exact flow is a zero of both Shortcut losses.
* ``C1.one-step``: one shortcut step of size 1 maps \(x_0\mapsto m+s\,x_0\) (proved), whereas one Euler step collapses
  every \(x_0\) to the mean (control); ``C1.reference``: the card's \(u(0.3,0.2,0.25)\), \(v(0.3,0.2)=23/26\) and the Euler
  residual \(-0.013614703880190605854\) (certified).
* ``C2.mean-zero``, ``C2.unit-speed``: the integral mean value theorem fails for vector fields:
  \(v(\tau)=(\cos2\pi\tau,\sin2\pi\tau)\) has mean \((0,0)\) but \(\|v\|\equiv1\) (proved); the post itself calls the AMED step
  only an analogy.

Hypotheses
----------
* The Gaussian ReFlow model (toolkit ``gaussian_reflow``): \(x_0\sim\mathcal N(0,1)\), target \(\mathcal N(m,s^2)\), velocity
  \(v^*(x,t)=m+\frac{ts^2-(1-t)}{\sigma_t^2}(x-tm)\); the card's instance \(m=1\), \(s=\tfrac12\).
* Training facts of the post (step sizes \(\{2^{-7},\dots,1\}\), consistency on the 7 smallest, a quarter of each batch,
  stop-gradient on the target) are not checkable.

Notation
--------
\(\sigma_t=\sqrt{(1-t)^2+t^2s^2}\); \(\Phi_{t\to t'}\) the flow map; \(u(x,t,\epsilon)\) the average velocity over a step \(\epsilon\).

Errata
------
None: the post's statements hold (C2 is the post's own caveat, made exact).
"""
from __future__ import annotations

import sympy as sp

from derivations.engine import All, Approximation, Derivation, Figure, Identity, claim, control, positive, real, stated
from derivations.toolkit.gaussian_reflow import m, s, sigma, velocity

x, t, t2 = sp.symbols("x t t'", real=True)
eps = sp.Symbol("epsilon", positive=True)
tau, sv = sp.symbols("tau s_v", real=True)
DOMAINS = {x: real(-3, 3), t: real(0, 0.5), t2: real(0, 1), eps: positive(0.25), m: real(-2, 2), s: positive(2.0),
           sv: real(0, 1)}


def flow_map(start_time, end_time, point):
    r"""\(\Phi_{t\to t'}(x)=t'm+\frac{\sigma_{t'}}{\sigma_t}(x-tm)\): the exact flow of \(\dot x=v^*(x,t)\)."""
    return end_time * m + sigma(end_time) / sigma(start_time) * (point - start_time * m)


def avg_velocity(point, time, step):
    r"""\(u(x,t,\epsilon)=(\Phi_{t\to t+\epsilon}(x)-x)/\epsilon\), the exact average velocity over a step."""
    return (flow_map(time, time + step, point) - point) / step


@claim("C1.flow", r"\partial_{t'}\Phi_{t\to t'}(x)=v^*(\Phi_{t\to t'}(x),t'),\quad \Phi_{t\to t}(x)=x")
def c1_flow():
    r"""\(\Phi_{t\to t'}(x)=t'm+\frac{\sigma_{t'}}{\sigma_t}(x-tm)\) is the flow map of the Gaussian ReFlow ODE
    \(\dot x=v^*(x,t)\): it solves the ODE in \(t'\) and starts at \(x\)."""
    phi = flow_map(t, t2, x)
    return Identity(sp.Matrix([sp.diff(phi, t2) - velocity(phi, t2), flow_map(t, t, x)]), sp.Matrix([0, x]),
                    variables=DOMAINS)


@claim("C1.semigroup",
       r"\Phi_{t+\epsilon\to t+2\epsilon}\circ\Phi_{t\to t+\epsilon}=\Phi_{t\to t+2\epsilon}", uses=("C1.flow",))
def c1_semigroup():
    r"""Two exact steps of size \(\epsilon\) are one exact step of size \(2\epsilon\) (the flow's semigroup property)."""
    return Identity(flow_map(t + eps, t + 2 * eps, flow_map(t, t + eps, x)), flow_map(t, t + 2 * eps, x),
                    variables=DOMAINS)


@claim("C1.self-consistency",
       r"u(x,t,2\epsilon)=\tfrac12\big[u(x,t,\epsilon)+u\big(x+\epsilon\,u(x,t,\epsilon),\,t+\epsilon,\,\epsilon\big)\big]",
       uses=("C1.semigroup",))
def c1_self_consistency():
    r"""The Shortcut self-consistency target holds exactly for the true average velocity: since
    \(x+\epsilon u(x,t,\epsilon)=\Phi_{t\to t+\epsilon}(x)\), the right side is
    \((\Phi_{t\to t+2\epsilon}(x)-x)/(2\epsilon)\) by the semigroup property.  Hence the exact flow is a zero of the
    consistency loss \(\mathcal L_2\)."""
    half = avg_velocity(x, t, eps)
    rhs = (half + avg_velocity(x + eps * half, t + eps, eps)) / 2
    return Identity(avg_velocity(x, t, 2 * eps), rhs, variables=DOMAINS)


@claim("C1.small-step",
       r"\lim_{\epsilon\to0}u(x,t,\epsilon)=\partial_{t'}\Phi_{t\to t'}(x)\big|_{t'=t}=v^*(x,t)",
       uses=("C1.flow",))
def c1_small_step():
    r"""Because \(\Phi_{t\to t}(x)=x\), \(u(x,t,\epsilon)\) is a difference quotient of \(t'\mapsto\Phi_{t\to t'}(x)\), whose
    limit is the derivative at \(t'=t\): the velocity \(v^*(x,t)\).  So \(\epsilon=0\) is the ReFlow loss \(\mathcal L_1\).
    (The statement holds both facts: the quotient's base point \(\Phi_{t\to t}(x)=x\) and the derivative; SymPy's
    ``limit`` of the quotient itself costs seconds.)"""
    return Identity(sp.Matrix([sp.diff(flow_map(t, t2, x), t2).subs(t2, t), flow_map(t, t, x)]),
                    sp.Matrix([velocity(x, t), x]), variables=DOMAINS)


@claim("C1.one-step", r"x_0+1\cdot u(x_0,0,1)=\Phi_{0\to1}(x_0)=m+s\,x_0\sim\mathcal N(m,s^2)")
def c1_one_step():
    r"""A single shortcut step of size 1 from \(t=0\) reproduces the exact transport \(x_0\mapsto m+sx_0\)."""
    return Identity(x + avg_velocity(x, 0, 1), m + s * x, variables=DOMAINS)


def euler_consistency_sides(point, time, step):
    r"""The self-consistency condition with Euler's \(u\equiv v^*\) in place of the average velocity."""
    lhs = velocity(point, time)
    rhs = (velocity(point, time) + velocity(point + step * velocity(point, time), time + step)) / 2
    return lhs, rhs


CARD_POINT = {x: sp.Rational(3, 10), t: sp.Rational(1, 5), eps: sp.Rational(1, 4)}
CARD_MODEL = {m: 1, s: sp.Rational(1, 2)}


@claim("C1.reference",
       r"m=1,\ s=\tfrac12,\ (x,t,\epsilon)=(0.3,0.2,0.25):\ u=0.8948271984113353865468787,\ v^*=\tfrac{23}{26},\ "
       r"\text{Euler residual }-0.013614703880190605854", uses=("C1.self-consistency",))
def c1_reference():
    r"""The card's numbers: the exact average velocity and the instantaneous one at its point (they differ: a step of
    \(\epsilon=0.25\) is not infinitesimal), and the residual of the self-consistency condition for Euler's \(u\equiv v^*\)
    (the control N1.euler-consistency)."""
    at = {**CARD_POINT, **CARD_MODEL}
    lhs, rhs = euler_consistency_sides(x, t, eps)
    return All((Approximation(avg_velocity(x, t, eps).subs(at), stated("0.8948271984113353865468787")),
                Identity(velocity(x, t).subs(at), sp.Rational(23, 26)),
                Approximation((lhs - rhs).subs(at), stated("-0.013614703880190605854"))),
               ("u(0.3,0.2,0.25)", "v(0.3,0.2)", "Euler residual"))


@control("N1.euler-consistency",
         r"v^*(x,t)=\tfrac12\big[v^*(x,t)+v^*\big(x+\epsilon v^*(x,t),t+\epsilon\big)\big]\ \text{(Euler, }u\equiv v^*)")
def ctl_euler_consistency():
    r"""The instantaneous velocity is not self-consistent: with \(m=1,\ s=\tfrac12\) the residual at
    \(x=0.3,\ t=0.2,\ \epsilon=0.25\) is \(-0.013614703880190605854\)."""
    return Identity(*euler_consistency_sides(x, t, eps), variables=DOMAINS)


@control("N1.euler-one-step", r"x_0+v^*(x_0,0)\overset{?}{=}m+s\,x_0\ \text{(one Euler step)}")
def ctl_euler_one_step():
    r"""One Euler step of size 1 sends every \(x_0\) to \(x_0+v^*(x_0,0)=m\): it collapses to the mean."""
    return Identity(x + velocity(x, 0), m + s * x, variables=DOMAINS)


# ---- C2: no mean value theorem for vector fields ---------------------------------------------------

def vfield(time):
    r"""\(v(\tau)=(\cos2\pi\tau,\sin2\pi\tau)\)."""
    return sp.Matrix([sp.cos(2 * sp.pi * time), sp.sin(2 * sp.pi * time)])


def vmean():
    r"""\(\int_0^1v(\tau)\,d\tau\) (unevaluated)."""
    return vfield(tau).applyfunc(lambda c: sp.Integral(c, (tau, 0, 1)))


@claim("C2.mean-zero",
       r"\int_0^1(\cos2\pi\tau,\ \sin2\pi\tau)\,d\tau=(0,0)=\big(\cos(2\pi\cdot\tfrac14),\ \sin(2\pi\cdot\tfrac12)\big)")
def c2_mean_zero():
    r"""The vector field \(v(\tau)=(\cos2\pi\tau,\sin2\pi\tau)\) has mean \((0,0)\) over \([0,1]\) (exact integrals).
    The scalar mean value theorem holds for each continuous component separately, at \(s=\tfrac14\) for the
    cosine and \(s=\tfrac12\) for the sine: the intermediate points differ between components (the second row)."""
    at = sp.Matrix([sp.cos(2 * sp.pi * sp.Rational(1, 4)), sp.sin(2 * sp.pi * sp.Rational(1, 2))])
    return Identity(sp.Matrix.vstack(vmean(), vmean()), sp.Matrix.vstack(sp.zeros(2, 1), at))


@claim("C2.unit-speed", r"\|v(s)\|^2=\cos^2 2\pi s+\sin^2 2\pi s=1\quad\forall s")
def c2_unit_speed():
    r"""Yet \(\|v(s)\|=1\) for every \(s\): no \(s\in[0,1]\) has \(v(s)=\) the mean, and no single \(s\) serves both
    components."""
    return Identity(sum(c ** 2 for c in vfield(sv)), sp.Integer(1), variables=DOMAINS)


def integrals_then_trigsimp(d):
    """Evaluate the integrals (``doit``), then the Pythagorean reductions (``trigsimp``)."""
    return sp.trigsimp(sp.expand(d.doit()))


@control("N2.vector-mvt",
         r"\exists s\in[0,1]:\ \int_0^1v(\tau)\,d\tau=v(s)\quad\text{(tested as }\|\textstyle\int v\|^2=\|v(s)\|^2)",
         uses=("C2.mean-zero",), strategies=(integrals_then_trigsimp,))
def ctl_vector_mvt():
    r"""The vector mean value theorem would need \(\|\int_0^1v\|^2=\|v(s)\|^2\) for some \(s\); with the integrals
    evaluated exactly, the difference is the constant \(-1\) for every \(s\), so no \(s\) exists."""
    return Identity(sum(c ** 2 for c in vmean()), sum(c ** 2 for c in vfield(sv)), variables=DOMAINS)


def results():
    ref = {m: 1, s: sp.Rational(1, 2)}
    return [
        ("Flow map (m=1, s=1/2)", r"\Phi_{t\to t'}(x)=" + sp.latex(flow_map(t, t2, x).subs(ref))),
        ("Reference", r"u(0.3,0.2,0.25)=0.8948271984113353865\ldots,\quad v^*(0.3,0.2)=\tfrac{23}{26}"),
        ("One-step maps", r"\text{shortcut: }x_0\mapsto1+\tfrac{x_0}{2},\qquad\text{Euler: }x_0\mapsto1"),
    ]


def draw_self_consistency(fig):
    r"""C1 at the card's point \(x=0.3\), \(t=0.2\) (\(m=1\), \(s=\tfrac12\)): the exact average velocity \(u(x,t,\epsilon)\) against
    the step \(\epsilon\), the shortcut target built from two half steps, and the same target with Euler's \(u\equiv v^*\)."""
    import numpy as np
    at = CARD_MODEL
    u = sp.lambdify((x, t, eps), avg_velocity(x, t, eps).subs(at), "numpy")
    v = sp.lambdify((x, t), velocity(x, t).subs(at), "numpy")
    x0, t0 = 0.3, 0.2
    steps = np.linspace(0.005, 0.4, 200)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(steps, u(x0, t0, steps), color="#0550ae", lw=1.8, label=r"exact $u(x,t,\epsilon)$")
    half = steps[::12] / 2
    ax.plot(steps[::12], (u(x0, t0, half) + u(x0 + half * u(x0, t0, half), t0 + half, half)) / 2, "o", ms=4,
            color="#0550ae", mfc="none", label=r"shortcut target $\frac{1}{2}[u(\epsilon/2)+u(\cdot,t+\epsilon/2,\epsilon/2)]$")
    ax.plot(steps, (v(x0, t0) + v(x0 + steps / 2 * v(x0, t0), t0 + steps / 2)) / 2, color="#cf222e", ls="--", lw=1.4,
            label=r"Euler target with $u\equiv v^*$")
    ax.axhline(23 / 26, color="black", ls=":", lw=1, label=r"$v^*(x,t)=23/26$")
    ax.set_xlabel(r"step size $\epsilon$")
    ax.set_ylabel("average velocity over the step")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)


DERIVATION = Derivation(
    slug="shortcut",
    title="Generative diffusion models (27): the step size as a conditioning input (Shortcut models)",
    source="https://kexue.fm/archives/10617",
    date="2024-12-15",
    summary=("The exact average velocity of an ODE flow satisfies the Shortcut self-consistency condition and "
             "reduces to the velocity at zero step (so the exact flow zeroes both losses); one exact shortcut "
             "step transports the Gaussian model while one Euler step collapses to the mean; the integral "
             "mean value theorem fails for vector fields."),
    claims=(c1_flow, c1_semigroup, c1_self_consistency, c1_small_step, c1_one_step, c1_reference, c2_mean_zero,
            c2_unit_speed),
    controls=(ctl_euler_consistency, ctl_euler_one_step, ctl_vector_mvt),
    results=results,
    figures=(Figure("shortcut-self-consistency",
                    r"C1 in the Gaussian model ($m=1$, $s=\frac12$) at $x=0.3$, $t=0.2$: the exact average velocity over a "
                    r"step $\epsilon$ equals the shortcut target assembled from two half steps (circles on the line) and "
                    r"tends to $v^*=23/26$ as $\epsilon\to0$; built from Euler's $u\equiv v^*$ the target misses it.",
                    draw_self_consistency),),
)
