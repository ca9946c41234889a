r"""Gradient flow: exploring the path to the minimum.

Post: Su Jianlin, 《梯度流：探索通向最小值之路》 ("Gradient flow: exploring the path to the minimum"), Scientific Spaces,
2023-06-16, https://kexue.fm/archives/9660.
Builds on: Santambrogio, "{Euclidean, metric, and Wasserstein} gradient flows: an overview", arXiv:1609.03890;
Jordan, Kinderlehrer, Otto, "The variational formulation of the Fokker–Planck equation", SIAM J. Math. Anal. 1998.
Spec: ``shared/spec/catalog.md``, cards gflow-C1..C3.

Main results
------------
* ``C1.energy-decay``: along \(\dot x=-\nabla f(x)\), \(\frac{d}{dt}f(x_t)=-\|\nabla f(x_t)\|^2\le0\) (proved, any \(f\)).
* ``C1.quadratic-flow``, ``C1.matrix-exponential``, ``C1.quadratic-dissipation``, ``C1.reference-energies``: for
  \(f=\tfrac12x^\top Ax\), \(A=\begin{pmatrix}2&1\\1&3\end{pmatrix}\), Sylvester's \(e^{-\lambda_1t}P_1+e^{-\lambda_2t}P_2\) solves the flow
  and is \(e^{-At}\) (proved; mpmath's ``expm`` in the numbers), the energy decays at rate \(\|Ax_t\|^2\), \(f(x_0)=5\),
  \(f(x_1)=0.15940882532728932\ldots\) (certified).
* ``C2.gradient-descent``, ``C2.natural-gradient``, ``C2.sphere``, ``C2.sphere-minimiser``: gradient descent, natural
  gradient and normalised gradient steps minimise linearised proximal problems (proved); ``C2.implicit-prox``: the
  unlinearised proximal step is the implicit step \(y/(1+\alpha c)\) (proved; the explicit \(y(1-\alpha c)\) refuted).
* ``C3.first-variation``, ``C3.kl-potential``: \(\delta\int qf(p/q)/\delta q=f(r)-rf'(r)\), \(=1-\log r\) for KL;
  ``C3.fokker-planck-generator``: the Wasserstein flow of \(\mathrm{KL}(q\|p)\) is the Fokker–Planck equation of
  \(dx=\nabla\log p\,dt+\sqrt2\,dW\) (proved, any \(q,p\)); ``C3.gaussian-fokker-planck``, ``C3.kl-dissipation``,
  ``C3.kl-monotone``: on the Gaussian path \(\frac{d}{dt}\mathrm{KL}=-\int q_t\|\nabla\log(q_t/p)\|^2\le0\) (proved; the Fisher
  integral by quadrature in the numbers); ``C3.reference-values``: the card's KL and Fisher values.

Hypotheses
----------
* C1: \(f\in C^1\); in C1.energy-decay \(f\) and the path are arbitrary, the values \(\partial_if(x_t)\) free reals.
* C3: \(q,p>0\) smooth (their values and first two derivatives at a point are free); the Gaussian case
  \(p=\mathcal N(0,1)\), \(q_0=\mathcal N(\mu,s_0^2)\), so \(q_t=\mathcal N(\mu e^{-t},v_t)\), \(v_t=1+(s_0^2-1)e^{-2t}\).

Notation
--------
\(\lambda_{1,2}=\tfrac{5\mp\sqrt5}2\) the eigenvalues of \(A\), \(P_i\) its spectral projectors, \(e_i=e^{-\lambda_it}\) and
\(e_t=e^{-t}\) written as positive symbols (an identity for all \(e_i\in(0,1]\) holds along the flow); \(r=p/q\).

Errata
------
None: the post's claims hold as stated.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Figure, Identity, Inequality, claim, control, positive,
                                quantity, real, stated)
from derivations.engine.symbolic import cancel_
from derivations.toolkit.gaussian_moments import gaussian_expectation

t = sp.Symbol("t", real=True)


# ---- C1: energy decay ---------------------------------------------------------------------------

g1, g2 = sp.symbols("g_1 g_2", real=True)   # the values of the partial derivatives of f at x_t


def energy_rate():
    r"""\(\frac{d}{dt}f(x_t)\) by SymPy's chain rule for an undefined \(f\) and path, with the flow \(\dot x=-\nabla f(x)\)
    substituted; the partial derivatives \(\partial_if(x_t)\) then become the free reals \(g_i\) (the identity holds for
    every value they take)."""
    f = sp.Function("f")
    x1, x2 = sp.Function("x_1")(t), sp.Function("x_2")(t)
    grad = [sp.diff(f(x1, x2), xi) for xi in (x1, x2)]
    rate = sp.diff(f(x1, x2), t).subs({sp.Derivative(x1, t): -grad[0], sp.Derivative(x2, t): -grad[1]})
    return rate.xreplace(dict(zip(grad, (g1, g2))))


@claim("C1.energy-decay", r"\dot x=-\nabla f(x)\ \Longrightarrow\ \frac{d}{dt}f(x_t)=-\|\nabla f(x_t)\|^2\le0",
       hypotheses=(r"f\in C^1(\mathbb R^2)",))
def energy_decay():
    r"""Chain rule for an arbitrary \(f\): \(\frac{d}{dt}f(x_t)=\langle\nabla f(x_t),\dot x_t\rangle\), and substituting the
    gradient flow \(\dot x_t=-\nabla f(x_t)\) leaves \(-\|\nabla f(x_t)\|^2\), a sum of squares with a minus sign."""
    rate = energy_rate()
    doms = {g1: real(-3, 3), g2: real(-3, 3)}
    return All((Identity(rate, -(g1 ** 2 + g2 ** 2), doms), Inequality(rate, "<=", 0, doms)), ("rate", "sign"))


A = sp.Matrix([[2, 1], [1, 3]])
X0 = sp.Matrix([1, -2])
EIGS = ((5 - sp.sqrt(5)) / 2, (5 + sp.sqrt(5)) / 2)
e1, e2 = sp.symbols("e_1 e_2", positive=True)  # e_i = exp(-lambda_i t)
EXP_DOMAINS = {e1: positive(1.0), e2: positive(1.0)}


def projectors():
    r"""The spectral projectors \(P_i=(A-\lambda_jI)/(\lambda_i-\lambda_j)\) of \(A\)."""
    l1, l2 = EIGS
    return [((A - lj * sp.eye(2)) / (li - lj)).applyfunc(sp.radsimp) for li, lj in ((l1, l2), (l2, l1))]


def heat_kernel(time):
    r"""\(E(t)=e^{-\lambda_1t}P_1+e^{-\lambda_2t}P_2\) (Sylvester's formula for \(e^{-At}\))."""
    P1, P2 = projectors()
    return sp.exp(-EIGS[0] * time) * P1 + sp.exp(-EIGS[1] * time) * P2


def heat_kernel_e():
    r"""\(E=e_1P_1+e_2P_2\) in the exponentials \(e_i=e^{-\lambda_it}\) as independent symbols."""
    P1, P2 = projectors()
    return e1 * P1 + e2 * P2


def ddt_e(expr):
    r"""\(\frac{d}{dt}\) of an expression in \(e_i=e^{-\lambda_it}\) (chain rule: \(\dot e_i=-\lambda_ie_i\))."""
    return sum((sp.diff(expr, ei) * (-li * ei) for ei, li in zip((e1, e2), EIGS)), sp.zeros(*expr.shape)
               if isinstance(expr, sp.MatrixBase) else sp.Integer(0))


def energy(x):
    r"""\(f(x)=\tfrac12x^\top Ax\)."""
    return (x.T * A * x)[0] / 2


_T = sp.Symbol("T", real=True)


@lru_cache(maxsize=None)
def _sympy_expm():
    r"""\(e^{-AT}\) by SymPy's matrix exponential (its Jordan decomposition), computed once per process."""
    return (-A * _T).exp()


def _expm_exact(i, j, time):
    return _sympy_expm()[int(i), int(j)].subs(_T, time)


@lru_cache(maxsize=64)
def _mpmath_expm(time, prec):
    with mpmath.workprec(prec):
        return mpmath.expm(-time * mpmath.matrix([[2, 1], [1, 3]]))


def _expm_value(i, j, time):
    return _mpmath_expm(time, mpmath.mp.prec)[int(i), int(j)]


ExpmAt = quantity("ExpmAt", exact=_expm_exact, evaluator=_expm_value, real=True,
                  how="exp(-A t): SymPy's Matrix.exp in the proof, mpmath.expm in the numbers")


@claim("C1.quadratic-flow",
       r"E(t)=e^{-\lambda_1t}P_1+e^{-\lambda_2t}P_2:\ \ \dot E+AE=0,\ E(0)=I,\qquad A=\begin{pmatrix}2&1\\1&3\end{pmatrix}",
       hypotheses=(r"\lambda_{1,2}=\tfrac{5\mp\sqrt5}2,\ P_i=\frac{A-\lambda_jI}{\lambda_i-\lambda_j}",))
def quadratic_flow():
    r"""For \(f=\tfrac12x^\top Ax\) the gradient flow is \(\dot x=-Ax\).  Sylvester's formula \(E(t)\) satisfies \(\dot E=-AE\)
    (written in \(e_i=e^{-\lambda_it}\), with \(\dot e_i=-\lambda_ie_i\)) and \(E(0)=P_1+P_2=I\), so it is \(e^{-At}\) by
    uniqueness, and \(x_t=E(t)x_0\) solves the flow."""
    E = heat_kernel_e()
    return Identity(sp.Matrix.vstack(ddt_e(E) + A * E, E.subs({e1: 1, e2: 1})),
                    sp.Matrix.vstack(sp.zeros(2, 2), sp.eye(2)), EXP_DOMAINS, points=3)


@claim("C1.matrix-exponential", r"e^{-\lambda_1t}P_1+e^{-\lambda_2t}P_2=e^{-At},\quad t\in[0,2]",
       uses=("C1.quadratic-flow",), strategies=(cancel_,))
def matrix_exponential():
    r"""Sylvester's \(E(t)\) against the matrix exponential itself: SymPy's ``Matrix.exp`` (its Jordan decomposition) in
    the proof, mpmath's ``expm`` (an independent implementation) in the numbers, for \(t\in[0,2]\)."""
    expm = sp.Matrix(2, 2, lambda i, j: ExpmAt(i, j, t))
    return Identity(heat_kernel(t), expm, {t: real(0, 2)}, points=3)


@claim("C1.quadratic-dissipation",
       r"x_t=e^{-At}x_0,\ x_0=(1,-2):\ \ \frac{d}{dt}f(x_t)=-\|Ax_t\|^2\le0,\quad f(x_0)=5",
       uses=("C1.quadratic-flow",))
def quadratic_dissipation():
    r"""The energy identity on the explicit trajectory: \(\frac{d}{dt}\tfrac12x_t^\top Ax_t=-\|Ax_t\|^2\) (in the
    exponentials \(e_i=e^{-\lambda_it}\)), together with the reference \(f(x_0)=\tfrac12(1,-2)A(1,-2)^\top=5\)."""
    x = heat_kernel_e() * X0
    return Identity(sp.Matrix([ddt_e(energy(x)), energy(X0)]), sp.Matrix([-(A * x).dot(A * x), 5]),
                    EXP_DOMAINS, points=3)


@claim("C1.reference-energies", r"f(x_1)=\tfrac12x_1^\top Ax_1=0.1594088253272893201170506,\quad x_1=e^{-A}x_0",
       uses=("C1.quadratic-flow",))
def reference_energies():
    r"""The card's energy after unit time, to the 25 digits it prints."""
    return Approximation(energy(heat_kernel(sp.Integer(1)) * X0), stated("0.1594088253272893201170506"))


# ---- C2: proximal problems ----------------------------------------------------------------------

y1, y2, y3 = sp.symbols("y_1 y_2 y_3", real=True)
h1, h2, h3 = sp.symbols("h_1 h_2 h_3", real=True)   # the gradient g at x_t
alpha, c, epsr = sp.symbols("alpha c epsilon", positive=True)
yy = sp.Symbol("y", real=True)
PROX_DOMAINS = {alpha: positive(2.0), c: positive(3.0), epsr: positive(1.0), yy: real(-3, 3)}


@claim("C2.gradient-descent", r"\arg\min_x\frac{\|x-x_t\|^2}{2\alpha}+\langle g,x-x_t\rangle=x_t-\alpha g",
       hypotheses=(r"\alpha>0",))
def gradient_descent():
    r"""The objective is strictly convex (Hessian \(I/\alpha\succ0\)), so its unique minimiser is the stationary point:
    SymPy solves \((x-x_t)/\alpha+g=0\) in \(\mathbb R^3\), and the solution is compared with \(x_t-\alpha g\)."""
    g = sp.Matrix([h1, h2, h3])
    xt = sp.Matrix([y1, y2, y3])
    xs = sp.Matrix(sp.symbols("x_1 x_2 x_3", real=True))
    obj = (xs - xt).dot(xs - xt) / (2 * alpha) + g.dot(xs - xt)
    (sol,) = sp.solve([sp.diff(obj, xi) for xi in xs], list(xs), dict=True)
    return Identity(sp.Matrix([sol[xi] for xi in xs]), xt - alpha * g, PROX_DOMAINS)


@claim("C2.natural-gradient",
       r"\arg\min_x\frac{(x-x_t)^\top F(x-x_t)}{2\alpha}+\langle g,x-x_t\rangle=x_t-\alpha F^{-1}g",
       hypotheses=(r"F=\begin{pmatrix}f_{11}&f_{12}\\f_{12}&f_{22}\end{pmatrix}\succ0",))
def natural_gradient():
    r"""With a Fisher metric \(F\succ0\) the objective is strictly convex and its stationarity equation
    \(F(x-x_t)/\alpha+g=0\) is solved by the natural-gradient step \(x_t-\alpha F^{-1}g\) (symbolic \(2\times2\) \(F\))."""
    f11, f22 = sp.symbols("f_11 f_22", positive=True)
    f12 = sp.Symbol("f_12", real=True)
    F = sp.Matrix([[f11, f12], [f12, f22]])
    g = sp.Matrix([h1, h2])
    xt = sp.Matrix([y1, y2])
    xs = sp.Matrix(sp.symbols("x_1 x_2", real=True))
    obj = ((xs - xt).T * F * (xs - xt))[0] / (2 * alpha) + g.dot(xs - xt)
    step = xt - alpha * F.inv() * g
    grad = sp.Matrix([sp.diff(obj, xi) for xi in xs]).subs(dict(zip(xs, step)))
    # SPD samples: f12^2 < f11 f22 on [0.5,2]^2 x [-0.4,0.4]
    return Identity(grad, sp.zeros(2, 1), {**PROX_DOMAINS, f11: real(0.5, 2), f22: real(0.5, 2), f12: real(-0.4, 0.4)})


kd, kg = sp.symbols("k_delta k_g", real=True)
rg = sp.Symbol("r", positive=True)


def unit(k):
    r"""The rational parametrisation \(\big(\frac{1-k^2}{1+k^2},\frac{2k}{1+k^2}\big)\) of the unit circle (every point but
    \((-1,0)\), which follows by continuity)."""
    return sp.Matrix([(1 - k ** 2) / (1 + k ** 2), 2 * k / (1 + k ** 2)])


@claim("C2.sphere",
       r"\|\delta\|=\epsilon:\ \langle g,\delta\rangle\ge-\epsilon\|g\|,\ \text{with equality at }\delta=-\epsilon\,g/\|g\|",
       hypotheses=(r"\delta=\epsilon e,\ g=r\hat g,\ r=\|g\|>0,\ e,\hat g\ \text{unit vectors}",))
def sphere():
    r"""On the sphere \(\|x-x_t\|=\epsilon\) the linearised objective \(\langle g,\delta\rangle\) is minimised at
    \(\delta=-\epsilon g/\|g\|\): \(\langle g,\delta\rangle+\epsilon\|g\|=\tfrac{\epsilon\|g\|}2\|e+\hat g\|^2\ge0\) (the exact
    certificate), which vanishes at \(e=-\hat g\).  The unit vectors are written with the rational parametrisation of
    the circle, so the certificate is a rational identity."""
    e, ghat = unit(kd), unit(kg)
    lhs = epsr * (rg * ghat).dot(e)
    cert = epsr * rg / 2 * (e + ghat).dot(e + ghat)
    return Inequality(lhs, ">=", -epsr * rg, {**PROX_DOMAINS, rg: positive(2.0), kd: real(-4, 4), kg: real(-4, 4)},
                      certificate=cert)


@claim("C2.sphere-minimiser", r"\big\langle g,\,-\epsilon\,g/\|g\|\big\rangle=-\epsilon\|g\|", uses=("C2.sphere",))
def sphere_minimiser():
    r"""The bound is attained: the normalised gradient step \(x_t-\epsilon g/\|g\|\) is the minimiser on the sphere."""
    g = sp.Matrix([h1, h2])
    norm = sp.sqrt(h1 ** 2 + h2 ** 2)
    return Identity(g.dot(-epsr * g / norm), -epsr * norm, {**PROX_DOMAINS, h1: real(-2, 2), h2: real(-2, 2)})


def prox_stationarity(step):
    r"""The derivative of the unlinearised proximal objective \(\frac{(x-y)^2}{2\alpha}+\frac{cx^2}2\) at \(x=\) ``step``."""
    xs = sp.Symbol("x", real=True)
    obj = (xs - yy) ** 2 / (2 * alpha) + c * xs ** 2 / 2
    return sp.diff(obj, xs).subs(xs, step)


@claim("C2.implicit-prox",
       r"\arg\min_x\frac{(x-y)^2}{2\alpha}+\frac{c\,x^2}2=\frac{y}{1+\alpha c}\quad\text{(unlinearised: implicit step)}")
def implicit_prox():
    r"""Without linearisation the proximal step for \(f=cx^2/2\) is the implicit (backward Euler) step: the stationarity
    \((x-y)/\alpha+cx=0\) gives \(x=y/(1+\alpha c)\) (strictly convex, so the minimiser); for \(\alpha=0.1,\ c=1,\ y=1\):
    \(10/11=0.9090\ldots\) against gradient descent's \(0.9\)."""
    return Identity(prox_stationarity(yy / (1 + alpha * c)), sp.Integer(0), PROX_DOMAINS)


@control("N2.explicit-prox", r"\arg\min_x\frac{(x-y)^2}{2\alpha}+\frac{c\,x^2}2=y(1-\alpha c)\ \text{(explicit GD)}")
def explicit_prox():
    r"""The unlinearised proximal step is not explicit gradient descent: at \(y(1-\alpha c)\) the stationarity residual
    is \(-\alpha c^2y\ne0\) (the two steps differ by \(\alpha^2c^2y/(1+\alpha c)\)); at \(\alpha=0.1,\ c=1,\ y=1\):
    \(10/11\) against \(0.9\)."""
    return Identity(prox_stationarity(yy * (1 - alpha * c)), sp.Integer(0), PROX_DOMAINS)


# ---- C3: f-divergence flows ----------------------------------------------------------------------

q, p = sp.symbols("q p", positive=True)
xi = sp.Symbol("xi", positive=True)
F0, F1 = sp.symbols("F_0 F_1", real=True)     # f(r) and f'(r) at r = p/q


@claim("C3.first-variation",
       r"\mathcal F[q]=\int q\,f(p/q)\,dx\ \Longrightarrow\ \frac{\delta\mathcal F}{\delta q}=f(r)-r\,f'(r),\ \ r=\frac pq")
def first_variation():
    r"""The integrand depends on \(q\) pointwise, so the first variation is \(\partial_q[qf(p/q)]\): SymPy differentiates
    with an undefined \(f\), whose values \(f(r)\), \(f'(r)\) then become free reals \(F_0,F_1\) (any \(f\))."""
    f = sp.Function("f")
    lhs = sp.diff(q * f(p / q), q)
    jets = {f(p / q): F0, sp.Subs(sp.Derivative(f(xi), xi), xi, p / q): F1}
    lhs = lhs.xreplace(jets)
    return Identity(lhs, F0 - (p / q) * F1, {q: positive(3.0), p: positive(3.0), F0: real(-2, 2), F1: real(-2, 2)})


@claim("C3.kl-potential", r"f=-\log:\ \ \frac{\delta\,\mathrm{KL}(q\|p)}{\delta q}=1-\log\frac pq")
def kl_potential():
    r"""For \(f=-\log\), \(\int qf(p/q)=\mathrm{KL}(q\|p)\) and the potential is \(f(r)-rf'(r)=-\log r+1\)."""
    return Identity(sp.diff(-q * sp.log(p / q), q), 1 - sp.log(p / q), {q: positive(3.0), p: positive(3.0)})


x = sp.Symbol("x", real=True)
Q0, Q1, Q2, P0, P1, P2 = sp.symbols("q_0 q_1 q_2 p_0 p_1 p_2", real=True)
JET_DOMAINS = {Q0: positive(3.0), P0: positive(3.0), **{v: real(-2, 2) for v in (Q1, Q2, P1, P2)}}


def jets(expr, qq, pp):
    r"""``expr`` with \(q,q',q'',p,p',p''\) at the point replaced by free values (derivatives first)."""
    order = [(sp.diff(qq, x, 2), Q2), (sp.diff(pp, x, 2), P2), (sp.diff(qq, x), Q1), (sp.diff(pp, x), P1),
             (qq, Q0), (pp, P0)]
    for k, v in order:
        expr = expr.subs(k, v)
    return expr


@claim("C3.fokker-planck-generator", r"\nabla\!\cdot\!\big(q\nabla\log\tfrac qp\big)=-\nabla\!\cdot\!(q\nabla\log p)+\Delta q",
       hypotheses=(r"q,p>0\ \text{smooth}",))
def fokker_planck_generator():
    r"""The Wasserstein gradient flow of \(\mathrm{KL}(q\|p)\), \(\partial_tq=\nabla\cdot(q\nabla\log(q/p))\), is the
    Fokker–Planck equation of \(dx=\nabla\log p\,dt+\sqrt2\,dW\) (drift \(\nabla\log p\), diffusion coefficient 1), for
    arbitrary positive \(q,p\): SymPy differentiates the undefined functions (1-D), whose values and first two
    derivatives at the point then become free (\(q,p>0\))."""
    qq, pp = sp.Function("q")(x), sp.Function("p")(x)
    score_gap = sp.diff(qq, x) / qq - sp.diff(pp, x) / pp
    lhs = sp.diff(qq * score_gap, x)
    rhs = -sp.diff(qq * sp.diff(pp, x) / pp, x) + sp.diff(qq, x, 2)
    return Identity(jets(lhs, qq, pp), jets(rhs, qq, pp), JET_DOMAINS)


mu = sp.Symbol("mu", real=True)
s0 = sp.Symbol("s_0", positive=True)
et = sp.Symbol("e_t", positive=True)  # exp(-t)
GAUSS_DOMAINS = {x: real(-3, 3), mu: real(-2, 2), s0: positive(3.0), et: positive(1.0)}


def gaussian_path(mean0=mu, sd0=s0, decay=et):
    r"""\(q_t=\mathcal N(m_t,v_t)\), \(m_t=\mu e^{-t}\), \(v_t=1+(s_0^2-1)e^{-2t}\), written in \(e_t=e^{-t}\)."""
    return mean0 * decay, 1 + (sd0 ** 2 - 1) * decay ** 2


def ddt(expr):
    r"""\(\frac{d}{dt}\) of an expression in \(e_t=e^{-t}\): \(-e_t\,\partial_{e_t}\) (an identity for all \(e_t\in(0,1]\) holds
    for all \(t\ge0\))."""
    return -et * sp.diff(expr, et)


def kl_to_standard(mean, var):
    r"""\(\mathrm{KL}(\mathcal N(m,v)\|\mathcal N(0,1))=-\tfrac12\log v+\tfrac12(v+m^2)-\tfrac12\)."""
    return -sp.log(var) / 2 + (var + mean ** 2) / 2 - sp.Rational(1, 2)


def log_normal(point, mean, var):
    r"""\(\log\mathcal N(x;m,v)\)."""
    return -(point - mean) ** 2 / (2 * var) - sp.log(2 * sp.pi * var) / 2


_zeta = sp.Symbol("zeta", real=True)


def _fisher_exact(mean0, sd0, decay):
    r"""\(\mathbb E_{q_t}[(\partial_x\log(q_t/p))^2]\) exactly: SymPy differentiates the log densities, and the Gaussian
    moments of the square of that score gap are taken with \(x=m_t+\sqrt{v_t}\,\zeta\) (toolkit ``gaussian_moments``)."""
    mean, var = gaussian_path(mean0, sd0, decay)
    gap = sp.diff(log_normal(x, mean, var) - log_normal(x, 0, 1), x)
    return gaussian_expectation((gap ** 2).subs(x, mean + sp.sqrt(var) * _zeta), (_zeta,))


def hermite_rule_4():
    r"""Four-point Gauss–Hermite quadrature for the weight \(\varphi(\zeta)=e^{-\zeta^2/2}/\sqrt{2\pi}\) at the working
    precision: nodes \(\pm\sqrt{3\pm\sqrt6}\) (the roots of \(He_4=\zeta^4-6\zeta^2+3\)), weights \(\frac{3\mp\sqrt6}{12}\);
    exact for \(\mathbb E\,P(\zeta)\), \(\deg P\le7\)."""
    r6 = mpmath.sqrt(6)
    out = []
    for node2, wt in ((3 + r6, (3 - r6) / 12), (3 - r6, (3 + r6) / 12)):
        out += [(mpmath.sqrt(node2), wt), (-mpmath.sqrt(node2), wt)]
    return out


def _fisher_value(mean0, sd0, decay):
    r"""\(\int q_t(x)\,(\partial_x\log(q_t/p))^2dx\) by four-point Gauss–Hermite quadrature in \(x=m_t+\sqrt{v_t}\,\zeta\)
    (exact for this quadratic-times-Gaussian integrand), with the score gap written out, \(x-(x-m_t)/v_t\)."""
    mean, var = mean0 * decay, 1 + (sd0 ** 2 - 1) * decay ** 2
    sd = mpmath.sqrt(var)
    return mpmath.fsum(wt * ((mean + sd * z) - sd * z / var) ** 2 for z, wt in hermite_rule_4())


def _card_fisher_quadrature():
    r"""The card's Fisher term at \(\mu=1\), \(s_0=2\), \(t=\tfrac12\) by tanh-sinh quadrature of
    \(q_t(x)(\partial_x\log(q_t/p))^2\) over \(x\), the Gaussian tail cut where it is below \(10^{-(\mathrm{dps}+5)}\)."""
    mean = mpmath.exp(-mpmath.mpf(1) / 2)
    var = 1 + 3 * mean ** 2
    sd = mpmath.sqrt(var)
    norm = 1 / (sd * mpmath.sqrt(2 * mpmath.pi))

    def integrand(xx):
        return norm * mpmath.exp(-(xx - mean) ** 2 / (2 * var)) * (xx - (xx - mean) / var) ** 2
    k = int(mpmath.sqrt(2 * (mpmath.mp.dps + 5) * mpmath.log(10))) + 1
    return mpmath.quad(integrand, [mean - k * sd, mean, mean + k * sd])


CardFisher = quantity("CardFisher", evaluator=_card_fisher_quadrature,
                      how="tanh-sinh quadrature over x at mu=1, s_0=2, t=1/2")


FisherInformation = quantity("FisherInformation", exact=_fisher_exact, evaluator=_fisher_value, positive=True,
                             how="Gaussian moments in the proof, Gauss-Hermite quadrature in the numbers")


@claim("C3.gaussian-fokker-planck",
       r"p=\mathcal N(0,1),\ q_t=\mathcal N(\mu e^{-t},v_t):\ \ \partial_tq_t=\partial_x\Big(q_t\,\partial_x\log\frac{q_t}p\Big)",
       hypotheses=(r"v_t=1+(s_0^2-1)e^{-2t}",))
def gaussian_fokker_planck():
    r"""The Gaussian path solves the KL Wasserstein flow (Ornstein–Uhlenbeck): dividing by \(q_t>0\), with
    \(\ell=\log q_t\) and \(h=\partial_x(\ell-\log p)\), the equation reads \(\partial_t\ell=\partial_xh+h\,\partial_x\ell\)."""
    mean, var = gaussian_path()
    ell = log_normal(x, mean, var)
    h = sp.diff(ell - log_normal(x, 0, 1), x)
    return Identity(ddt(ell), sp.diff(h, x) + h * sp.diff(ell, x), GAUSS_DOMAINS)


@claim("C3.kl-dissipation",
       r"\frac{d}{dt}\mathrm{KL}(q_t\|p)=-\int q_t\Big\|\nabla\log\frac{q_t}p\Big\|^2dx\quad(\text{Gaussian path})",
       uses=("C3.gaussian-fokker-planck",))
def kl_dissipation():
    r"""Along the Gaussian path, \(\mathrm{KL}=-\tfrac12\log v_t+\tfrac12(v_t+m_t^2)-\tfrac12\) decreases at exactly the rate of
    the relative Fisher information \(\int q_t(\partial_x\log(q_t/p))^2dx\): proved with its exact Gaussian moments,
    evaluated by Gauss–Hermite quadrature over \(x\) in the numbers (the card's tanh-sinh quadrature: C3.reference-values)."""
    mean, var = gaussian_path()
    return Identity(ddt(kl_to_standard(mean, var)), -FisherInformation(mu, s0, et),
                    {mu: real(-2, 2), s0: positive(3.0), et: positive(1.0)}, points=4)


@claim("C3.kl-monotone", r"\frac{d}{dt}\mathrm{KL}=-\Big[a^2v+(am+b)^2\Big]\le0,\quad a=1-\tfrac1v,\ b=\tfrac mv",
       uses=("C3.kl-dissipation",))
def kl_monotone():
    r"""The dissipation is nonpositive: the Fisher information of \(q=\mathcal N(m,v)\) relative to \(\mathcal N(0,1)\) is
    \(\mathbb E[(ax+b)^2]=a^2v+(am+b)^2\) with \(v>0\) (exact certificate, in the moment coordinates \((m,v)\) of \(q_t\))."""
    m, v = sp.Symbol("m", real=True), sp.Symbol("v", positive=True)
    a, b = 1 - 1 / v, m / v
    gap = sp.diff(log_normal(x, m, v) - log_normal(x, 0, 1), x)
    fisher = gaussian_expectation((gap ** 2).subs(x, m + sp.sqrt(v) * _zeta), (_zeta,))
    return Inequality(-fisher, "<=", sp.Integer(0), {m: real(-2, 2), v: positive(4.0)},
                      certificate=a ** 2 * v + (a * m + b) ** 2)


KL_REF = {"0": "1.306852819440054690582768", "1": "0.1002940895166598011011486"}
FISHER_REF = "0.9468846511044409774797486"


@claim("C3.reference-values",
       r"\mu=1,\ s_0=2:\ \mathrm{KL}(q_0\|p)=1.306852819440054690582768,\ \mathrm{KL}(q_1\|p)=0.1002940895166598011011486,\ "
       r"\int q_{1/2}\|\nabla\log\tfrac{q_{1/2}}p\|^2=0.9468846511044409774797486=-\tfrac{d}{dt}\mathrm{KL}\big|_{t=1/2}",
       uses=("C3.kl-dissipation",))
def reference_values():
    r"""The card's numbers to the 25 digits it prints: \(\mathrm{KL}(q_0\|p)=2-\log 2-\tfrac12\cdot0\ldots\) (closed form), the
    KL after unit time, and the Fisher information at \(t=\tfrac12\) by quadrature and as the KL's decay rate."""
    mean, var = gaussian_path()
    kl = kl_to_standard(mean, var).subs({mu: 1, s0: 2})
    half = sp.exp(-sp.Rational(1, 2))
    return All((Approximation(kl.subs(et, 1), stated(KL_REF["0"])),
                Approximation(kl.subs(et, sp.exp(-1)), stated(KL_REF["1"])),
                Approximation(CardFisher(), stated(FISHER_REF)),
                Approximation(-ddt(kl_to_standard(mean, var)).subs({mu: 1, s0: 2, et: half}), stated(FISHER_REF))),
               ("KL at t=0", "KL at t=1", "Fisher at t=1/2 (quadrature)", "-dKL/dt at t=1/2"))


# ---- negative controls ---------------------------------------------------------------------------

@control("N1.ascent", r"x_t=e^{+At}x_0\ \text{solves}\ \dot x=-\nabla f=-Ax")
def ascent():
    r"""Gradient ascent \(\dot x=+\nabla f\) (the trajectory \(e^{At}x_0=(P_1/e_1+P_2/e_2)x_0\)) does not solve the descent
    flow."""
    P1, P2 = projectors()
    xt = (P1 / e1 + P2 / e2) * X0
    return Identity(ddt_e(xt), -A * xt, EXP_DOMAINS)


@control("N1.unsquared", r"\frac{d}{dt}f(x_t)=-\|\nabla f(x_t)\|\ \text{(norm not squared)}")
def unsquared():
    r"""The dissipation rate is the squared norm of the gradient, not the norm."""
    return Identity(energy_rate(), -sp.sqrt(g1 ** 2 + g2 ** 2), {g1: real(-3, 3), g2: real(-3, 3)})


@control("N3.potential-sign", r"f=-\log:\ \frac{\delta\mathcal F}{\delta q}=f(r)+rf'(r)=-\log r-1")
def potential_sign():
    r"""The wrong sign in the first variation: \(f(r)+rf'(r)\) differs from the true potential by the constant 2."""
    r = p / q
    return Identity(sp.diff(-q * sp.log(p / q), q), -sp.log(r) + r * (-1 / r), {q: positive(3.0), p: positive(3.0)})


@control("N3.half-laplacian", r"q_t\ \text{solves}\ \partial_tq=\partial_x(q\,x)+\tfrac12\partial_x^2q\ \ (dx=-x\,dt+dW)")
def half_laplacian():
    r"""With noise \(dW\) instead of \(\sqrt2\,dW\) the Fokker–Planck equation has \(\tfrac12\Delta q\); the Gaussian path of
    the KL flow does not solve it (nonzero residual)."""
    mean, var = gaussian_path()
    ell = log_normal(x, mean, var)
    # d_x(q x)/q = 1 + x d_x ell ;  (1/2) d_xx q / q = (1/2)(d_xx ell + (d_x ell)^2)
    rhs = 1 + x * sp.diff(ell, x) + (sp.diff(ell, x, 2) + sp.diff(ell, x) ** 2) / 2
    return Identity(ddt(ell), rhs, GAUSS_DOMAINS)


def results():
    x1 = heat_kernel(t) * X0
    return [
        ("Heat kernel", r"e^{-At}=" + sp.latex(heat_kernel(t))),
        ("Energies", r"f(x_0)=5,\quad f(x_1)=" + str(sp.N(energy(x1).subs(t, 1), 25))),
        ("Proximal steps", r"\text{linearised: }x_t-\alpha g,\quad\text{implicit: }\tfrac{y}{1+\alpha c}=\tfrac{10}{11}\ "
                           r"\text{vs GD }0.9\ (\alpha=0.1,c=1,y=1)"),
        ("KL along the Gaussian path",
         r"\mathrm{KL}(q_t\|p)=" + sp.latex(kl_to_standard(*gaussian_path()).subs(et, sp.exp(-t)))),
    ]


def draw_kl_path(fig):
    r"""C3 for \(\mu=1\), \(s_0=2\): \(\mathrm{KL}(q_t\|p)\) along the Gaussian path, and its decay rate against the Fisher
    information computed by quadrature at a few times."""
    tt = np.linspace(0, 3, 301)
    e = np.exp(-tt)
    mean, var = e, 1 + 3 * e ** 2
    kl = -np.log(var) / 2 + (var + mean ** 2) / 2 - 0.5
    rate = np.gradient(kl, tt)
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(tt, kl, color="#0550ae", lw=1.8, label=r"$\mathrm{KL}(q_t\|p)$")
    ax.plot([0, 1], [float(KL_REF["0"]), float(KL_REF["1"])], "o", color="#cf222e", ms=4, label="card: $t=0,1$")
    ax.set_xlabel("time $t$")
    ax.set_ylabel("KL divergence (nats)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax = fig.add_subplot(1, 2, 2)
    ax.plot(tt, -rate, color="#0550ae", lw=1.8, label=r"$-\frac{d}{dt}\mathrm{KL}$")
    ts = np.array([0.1, 0.5, 1.0, 1.5, 2.0, 2.5])
    with mpmath.workdps(20):
        fisher = [float(_fisher_value(1, 2, mpmath.exp(-v))) for v in ts]
    ax.plot(ts, fisher, "o", color="#cf222e", ms=4, label=r"$\int q_t\|\nabla\log\frac{q_t}{p}\|^2$ (quadrature)")
    ax.set_yscale("log")
    ax.set_xlabel("time $t$")
    ax.set_ylabel("dissipation rate (nats per unit time)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")


DERIVATION = Derivation(
    slug="gflow",
    title="Gradient flow: exploring the path to the minimum",
    source="https://kexue.fm/archives/9660",
    date="2023-06-16",
    summary=("Gradient flow decreases the objective at rate ||grad f||^2; gradient, natural-gradient and normalised "
             "steps are minimisers of linearised proximal problems; the f-divergence Wasserstein flow of KL is the "
             "Fokker-Planck equation of Langevin dynamics and dissipates KL at the Fisher rate."),
    claims=(energy_decay, quadratic_flow, matrix_exponential, quadratic_dissipation, reference_energies, gradient_descent,
            natural_gradient, sphere, sphere_minimiser, implicit_prox, first_variation, kl_potential,
            fokker_planck_generator, gaussian_fokker_planck, kl_dissipation, kl_monotone, reference_values),
    controls=(ascent, unsquared, explicit_prox, potential_sign, half_laplacian),
    results=results,
    figures=(Figure("gflow-kl-dissipation",
                    r"C3 on the Gaussian path ($p=\mathcal N(0,1)$, $q_0=\mathcal N(1,4)$): the KL divergence falls "
                    r"monotonically (left), at exactly the rate of the relative Fisher information (right: the "
                    r"derivative of the closed form against quadrature of the Fisher integral).", draw_kl_path),),
)
