r"""Gradient flow: exploring the path to the minimum.

Post: 苏剑林 (Su Jianlin), 《梯度流：探索通向最小值之路》, 2023-06-16, https://kexue.fm/archives/9660
(Santambrogio, arXiv:1609.03890; Jordan–Kinderlehrer–Otto 1998).

Main results:

* ``gflow.C1.energy_decay``: along \(\dot x=-\nabla f(x)\), \(\frac{d}{dt}f(x_t)=-\|\nabla f(x_t)\|^2\le0\) (proved, any \(f\)).
* ``gflow.C1.quadratic_flow``: for \(f=\tfrac12x^\top Ax\), \(x_t=e^{-At}x_0\), \(A=\begin{pmatrix}2&1\\1&3\end{pmatrix}\)
  (proved; cross-checked against mpmath's ``expm``), with \(f(x_0)=5\), \(f(x_1)=0.15940882532728932\ldots\).
* ``gflow.C2.*``: gradient descent, natural gradient and normalised gradient are the minimisers of linearised proximal
  problems (proved); the unlinearised proximal step is implicit, \(y/(1+\alpha c)\) (the explicit \(y(1-\alpha c)\) refuted).
* ``gflow.C3.*``: the first variation of \(\int qf(p/q)\) is \(f(r)-rf'(r)\); for KL the Wasserstein flow is the
  Fokker–Planck equation of \(dx=\nabla\log p\,dt+\sqrt2\,dW\), and \(\frac{d}{dt}\mathrm{KL}(q_t\|p)=-\int q_t\|\nabla\log(q_t/p)\|^2\le0\)
  (proved in general and for the Gaussian case; the Fisher term cross-checked by quadrature; \(\mathrm{KL}(q_0\|p)=2-\log2\)).
"""
from __future__ import annotations

import mpmath
import sympy as sp

from derivations.engine import Derivation, Identity, Inequality, claim, control
from numeric.identity import NumericOutcome, compare, counterexample
from numeric.sampling import positive, real

t = sp.Symbol("t", real=True)
u, w = sp.symbols("u w", real=True)

# ---- C1: energy decay ---------------------------------------------------------------------------

@claim("gflow.C1.energy_decay",
       r"\dot x=-\nabla f(x)\ \Longrightarrow\ \frac{d}{dt}f(x_t)=-\|\nabla f(x_t)\|^2\le0",
       hypotheses=(r"f\in C^1(\mathbb R^2)",), numeric=False)
def c1_energy_decay():
    r"""Chain rule for an arbitrary (undefined) \(f\): \(\frac{d}{dt}f(x_t)=\langle\nabla f(x_t),\dot x_t\rangle\), and
    substituting the gradient flow \(\dot x_t=-\nabla f(x_t)\) leaves \(-\|\nabla f(x_t)\|^2\), a sum of squares.
    (Undefined functions have no numeric value: the quadratic case below is the numeric instance.)"""
    f = sp.Function("f")
    x1, x2 = sp.Function("x_1")(t), sp.Function("x_2")(t)
    grad = [sp.diff(f(x1, x2), xi) for xi in (x1, x2)]
    ddt = sp.diff(f(x1, x2), t).subs({sp.Derivative(x1, t): -grad[0], sp.Derivative(x2, t): -grad[1]})
    return Identity(ddt, -(grad[0] ** 2 + grad[1] ** 2))


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
    r"""\(\frac{d}{dt}\) of an expression in \(e_i=e^{-\lambda_it}\) (chain rule: \(\dot e_i=-\lambda_ie_i\)).  An identity
    between such expressions that holds for all \(e_1,e_2>0\) holds in particular along \(e_i=e^{-\lambda_it}\)."""
    return sum((sp.diff(expr, ei) * (-li * ei) for ei, li in zip((e1, e2), EIGS)), sp.zeros(*expr.shape)
               if isinstance(expr, sp.MatrixBase) else sp.Integer(0))


def energy(x):
    r"""\(f(x)=\tfrac12x^\top Ax\)."""
    return (x.T * A * x)[0] / 2


@claim("gflow.C1.quadratic_flow",
       r"E(t)=e^{-At}:\ \ \dot E+AE=0,\ E(0)=I,\qquad A=\begin{pmatrix}2&1\\1&3\end{pmatrix}",
       hypotheses=(r"E(t)=\sum_i e^{-\lambda_it}P_i,\ \lambda_{1,2}=\tfrac{5\mp\sqrt5}2",),
       cross_check=lambda digits, seed: _expm_check(digits, seed))
def c1_quadratic_flow():
    r"""For \(f=\tfrac12x^\top Ax\) the gradient flow is \(\dot x=-Ax\).  Sylvester's formula
    \(E(t)=e^{-\lambda_1t}P_1+e^{-\lambda_2t}P_2\) satisfies \(\dot E=-AE\) (written in \(e_i=e^{-\lambda_it}\), with
    \(\dot e_i=-\lambda_ie_i\)) and \(E(0)=P_1+P_2=I\), so it is \(e^{-At}\) (uniqueness for linear ODEs) and
    \(x_t=E(t)x_0\) solves the flow.  Cross-checked numerically against mpmath's matrix exponential
    \(\texttt{expm}(-At)\) at \(t=\tfrac12,1,2\) (an independent implementation)."""
    E = heat_kernel_e()
    return Identity(sp.Matrix.vstack(ddt_e(E) + A * E, E.subs({e1: 1, e2: 1})),
                    sp.Matrix.vstack(sp.zeros(2, 2), sp.eye(2)), variables=EXP_DOMAINS, points=3)


def _expm_check(digits, seed):
    from numeric.evaluate import evaluate
    E = heat_kernel(t)

    def compute(dps):
        with mpmath.workdps(dps):
            ours, ref = [], []
            for tt in (0.5, 1.0, 2.0):
                ours.append(evaluate(E, {t: tt}, dps))
                ref.append(mpmath.expm(-mpmath.mpf(tt) * mpmath.matrix([[2, 1], [1, 3]])))
            return ours, ref

    cmp = compare(compute, digits)
    detail = "E(t) vs mpmath.expm(-A t) at t = 1/2, 1, 2 (all entries)"
    return NumericOutcome(cmp.status, cmp.digits, counterexample(cmp) if cmp.status == "disagree" else None, detail)


@claim("gflow.C1.quadratic_dissipation",
       r"x_t=e^{-At}x_0,\ x_0=(1,-2):\ \ \frac{d}{dt}f(x_t)=-\|Ax_t\|^2\le0,\quad f(x_0)=5",
       uses=("gflow.C1.quadratic_flow",))
def c1_quadratic_dissipation():
    r"""The energy identity on the explicit trajectory: \(\frac{d}{dt}\tfrac12x_t^\top Ax_t=-\|Ax_t\|^2\) (in the
    exponentials \(e_i=e^{-\lambda_it}\)), together with the reference \(f(x_0)=\tfrac12(1,-2)A(1,-2)^\top=5\).
    (\(f(x_1)=0.1594088253272893201170506\).)"""
    x = heat_kernel_e() * X0
    return Identity(sp.Matrix([ddt_e(energy(x)), energy(X0)]), sp.Matrix([-(A * x).dot(A * x), 5]),
                    variables=EXP_DOMAINS, points=3)


# ---- C2: proximal problems ----------------------------------------------------------------------

g1, g2, g3, y1, y2, y3 = sp.symbols("g_1 g_2 g_3 y_1 y_2 y_3", real=True)
alpha, c, epsr = sp.symbols("alpha c epsilon", positive=True)
yy = sp.Symbol("y", real=True)
PROX_DOMAINS = {alpha: positive(2.0), c: positive(3.0), epsr: positive(1.0), yy: real(-3, 3)}


@claim("gflow.C2.gradient_descent",
       r"\arg\min_x\frac{\|x-x_t\|^2}{2\alpha}+\langle g,x-x_t\rangle=x_t-\alpha g",
       hypotheses=(r"\alpha>0",))
def c2_gradient_descent():
    r"""The objective is strictly convex (Hessian \(I/\alpha\succ0\)), so its unique minimiser is the stationary point;
    the gradient \((x-x_t)/\alpha+g\) vanishes at \(x=x_t-\alpha g\) (checked in \(\mathbb R^3\))."""
    g = sp.Matrix([g1, g2, g3])
    xt = sp.Matrix([y1, y2, y3])
    xs = sp.Matrix(sp.symbols("x_1 x_2 x_3", real=True))
    obj = (xs - xt).dot(xs - xt) / (2 * alpha) + g.dot(xs - xt)
    grad = sp.Matrix([sp.diff(obj, xi) for xi in xs]).subs(dict(zip(xs, xt - alpha * g)))
    return Identity(grad, sp.zeros(3, 1), variables=PROX_DOMAINS)


@claim("gflow.C2.natural_gradient",
       r"\arg\min_x\frac{(x-x_t)^\top F(x-x_t)}{2\alpha}+\langle g,x-x_t\rangle=x_t-\alpha F^{-1}g",
       hypotheses=(r"F=\begin{pmatrix}f_{11}&f_{12}\\f_{12}&f_{22}\end{pmatrix}\succ0",))
def c2_natural_gradient():
    r"""With a Fisher metric \(F\succ0\) the objective is strictly convex and its stationarity equation
    \(F(x-x_t)/\alpha+g=0\) is solved by the natural-gradient step \(x_t-\alpha F^{-1}g\) (symbolic \(2\times2\) \(F\))."""
    f11, f22 = sp.symbols("f_11 f_22", positive=True)
    f12 = sp.Symbol("f_12", real=True)
    F = sp.Matrix([[f11, f12], [f12, f22]])
    g = sp.Matrix([g1, g2])
    xt = sp.Matrix([y1, y2])
    xs = sp.Matrix(sp.symbols("x_1 x_2", real=True))
    obj = ((xs - xt).T * F * (xs - xt))[0] / (2 * alpha) + g.dot(xs - xt)
    step = xt - alpha * F.inv() * g
    grad = sp.Matrix([sp.diff(obj, xi) for xi in xs]).subs(dict(zip(xs, step)))
    # SPD sample: f12^2 < f11 f22 on [0.5,2]^2 x [-0.4,0.4]
    return Identity(grad, sp.zeros(2, 1), variables={**PROX_DOMAINS, f11: real(0.5, 2), f22: real(0.5, 2),
                                                    f12: real(-0.4, 0.4)})


kd, kg = sp.symbols("k_delta k_g", real=True)
rg = sp.Symbol("r", positive=True)


def unit(k):
    r"""The rational parametrisation \(\big(\frac{1-k^2}{1+k^2},\frac{2k}{1+k^2}\big)\) of the unit circle (every point but
    \((-1,0)\), which follows by continuity)."""
    return sp.Matrix([(1 - k ** 2) / (1 + k ** 2), 2 * k / (1 + k ** 2)])


@claim("gflow.C2.sphere",
       r"\|\delta\|=\epsilon:\ \langle g,\delta\rangle\ge-\epsilon\|g\|,\ \text{with equality at }\delta=-\epsilon\,g/\|g\|",
       hypotheses=(r"\delta=\epsilon e,\ g=r\hat g,\ r=\|g\|>0,\ e,\hat g\ \text{unit vectors}",))
def c2_sphere():
    r"""On the sphere \(\|x-x_t\|=\epsilon\) the linearised objective \(\langle g,\delta\rangle\) is minimised at
    \(\delta=-\epsilon g/\|g\|\): \(\langle g,\delta\rangle+\epsilon\|g\|=\tfrac{\epsilon\|g\|}2\|e+\hat g\|^2\ge0\) (the exact
    certificate), which vanishes at \(e=-\hat g\).  The unit vectors are written with the rational parametrisation of
    the circle, so the certificate is a rational identity."""
    e, ghat = unit(kd), unit(kg)
    lhs = epsr * (rg * ghat).dot(e)
    cert = epsr * rg / 2 * (e + ghat).dot(e + ghat)
    return Inequality(lhs, ">=", -epsr * rg, variables={**PROX_DOMAINS, rg: positive(2.0), kd: real(-4, 4),
                                                        kg: real(-4, 4)}, certificate=cert)


@claim("gflow.C2.sphere_minimiser", r"\big\langle g,\,-\epsilon\,g/\|g\|\big\rangle=-\epsilon\|g\|",
       uses=("gflow.C2.sphere",))
def c2_sphere_minimiser():
    r"""The bound is attained: the normalised gradient step \(x_t-\epsilon g/\|g\|\) is the minimiser on the sphere."""
    g = sp.Matrix([g1, g2])
    norm = sp.sqrt(g1 ** 2 + g2 ** 2)
    return Identity(g.dot(-epsr * g / norm), -epsr * norm, variables={**PROX_DOMAINS, g1: real(-2, 2), g2: real(-2, 2)})


@claim("gflow.C2.implicit_prox",
       r"\arg\min_x\frac{(x-y)^2}{2\alpha}+\frac{c\,x^2}2=\frac{y}{1+\alpha c}\quad\text{(unlinearised: implicit step)}")
def c2_implicit_prox():
    r"""Without linearisation the proximal step for \(f=cx^2/2\) is the implicit (backward Euler) step: the stationarity
    \((x-y)/\alpha+cx=0\) gives \(x=y/(1+\alpha c)\); for \(\alpha=0.1,\ c=1,\ y=1\): \(10/11\)."""
    xs = sp.Symbol("x", real=True)
    obj = (xs - yy) ** 2 / (2 * alpha) + c * xs ** 2 / 2
    return Identity(sp.diff(obj, xs).subs(xs, yy / (1 + alpha * c)), sp.Integer(0), variables=PROX_DOMAINS)


@control("gflow.C2.explicit_prox", r"\arg\min_x\frac{(x-y)^2}{2\alpha}+\frac{c\,x^2}2=y(1-\alpha c)\ \text{(explicit GD)}")
def ctl_explicit_prox():
    r"""The unlinearised proximal step is not explicit gradient descent: \(y/(1+\alpha c)-y(1-\alpha c)=
    \alpha^2c^2y/(1+\alpha c)\neq0\); at \(\alpha=0.1,\ c=1,\ y=1\): \(10/11\) against \(0.9\)."""
    return Identity(sp.Rational(10, 11), sp.Rational(9, 10))


# ---- C3: f-divergence flows ----------------------------------------------------------------------

q, p = sp.symbols("q p", positive=True)
xi = sp.Symbol("xi", positive=True)


@claim("gflow.C3.first_variation",
       r"\mathcal F[q]=\int q\,f(p/q)\,dx\ \Longrightarrow\ \frac{\delta\mathcal F}{\delta q}=f(r)-r\,f'(r),\ \ r=\frac pq",
       numeric=False)
def c3_first_variation():
    r"""The integrand depends on \(q\) pointwise, so the first variation is \(\partial_q[qf(p/q)]=f(p/q)-\frac pqf'(p/q)\),
    for an arbitrary (undefined) \(f\)."""
    f = sp.Function("f")
    fprime = sp.diff(f(xi), xi).subs(xi, p / q)
    return Identity(sp.diff(q * f(p / q), q), f(p / q) - (p / q) * fprime)


@claim("gflow.C3.kl_potential", r"f=-\log:\ \ \frac{\delta\,\mathrm{KL}(q\|p)}{\delta q}=1-\log\frac pq")
def c3_kl_potential():
    r"""For \(f=-\log\), \(\int qf(p/q)=\mathrm{KL}(q\|p)\) and the potential is \(f(r)-rf'(r)=-\log r+1\)."""
    return Identity(sp.diff(-q * sp.log(p / q), q), 1 - sp.log(p / q), variables={q: positive(3.0), p: positive(3.0)})


@claim("gflow.C3.fokker_planck_generator",
       r"\nabla\!\cdot\!\big(q\nabla\log\tfrac qp\big)=-\nabla\!\cdot\!(q\nabla\log p)+\Delta q",
       hypotheses=(r"q,p>0\ \text{smooth}",), numeric=False)
def c3_fokker_planck_generator():
    r"""The Wasserstein gradient flow of \(\mathrm{KL}(q\|p)\), \(\partial_tq=\nabla\cdot(q\nabla\log(q/p))\), is the
    Fokker–Planck equation of \(dx=\nabla\log p\,dt+\sqrt2\,dW\) (drift \(\nabla\log p\), diffusion coefficient 1), for
    arbitrary positive \(q,p\) (1-D, undefined functions)."""
    x = sp.Symbol("x", real=True)
    qq, pp = sp.Function("q")(x), sp.Function("p")(x)
    score_gap = sp.diff(qq, x) / qq - sp.diff(pp, x) / pp
    return Identity(sp.diff(qq * score_gap, x), -sp.diff(qq * sp.diff(pp, x) / pp, x) + sp.diff(qq, x, 2))


x = sp.Symbol("x", real=True)
mu = sp.Symbol("mu", real=True)
s0 = sp.Symbol("s_0", positive=True)
GAUSS_DOMAINS = {x: real(-3, 3), mu: real(-2, 2), s0: positive(3.0)}


et = sp.Symbol("e_t", positive=True)  # exp(-t)


def gaussian_path():
    r"""\(q_t=\mathcal N(m_t,v_t)\), \(m_t=\mu e^{-t}\), \(v_t=1+(s_0^2-1)e^{-2t}\), written in \(e_t=e^{-t}\)."""
    return mu * et, 1 + (s0 ** 2 - 1) * et ** 2


def ddt(expr):
    r"""\(\frac{d}{dt}\) of an expression in \(e_t=e^{-t}\): \(-e_t\,\partial_{e_t}\) (an identity for all
    \(e_t\in(0,1]\) holds for all \(t\ge0\))."""
    return -et * sp.diff(expr, et)


def kl_to_standard(mean, var):
    r"""\(\mathrm{KL}(\mathcal N(m,v)\|\mathcal N(0,1))=-\tfrac12\log v+\tfrac12(v+m^2)-\tfrac12\)."""
    return -sp.log(var) / 2 + (var + mean ** 2) / 2 - sp.Rational(1, 2)


def fisher_moments(mean, var):
    r"""\(\mathbb E_{q}[(\partial_x\log(q/p))^2]\) for \(q=\mathcal N(m,v)\), \(p=\mathcal N(0,1)\): the score gap is
    \(ax+b\) with \(a=1-1/v\), \(b=m/v\), and \(\mathbb E[(ax+b)^2]=a^2(v+m^2)+2abm+b^2\)."""
    a, b = 1 - 1 / var, mean / var
    return a ** 2 * (var + mean ** 2) + 2 * a * b * mean + b ** 2


@claim("gflow.C3.gaussian_fokker_planck",
       r"p=\mathcal N(0,1),\ q_t=\mathcal N(\mu e^{-t},v_t):\ \ \partial_tq_t=\partial_x\Big(q_t\,\partial_x\log\frac{q_t}p\Big)",
       hypotheses=(r"v_t=1+(s_0^2-1)e^{-2t}",))
def c3_gaussian_fokker_planck():
    r"""The Gaussian path solves the KL Wasserstein flow (Ornstein–Uhlenbeck): dividing by \(q_t>0\), with
    \(\ell=\log q_t\) and \(h=\partial_x(\ell-\log p)\), the equation reads \(\partial_t\ell=\partial_xh+h\,\partial_x\ell\)."""
    mean, var = gaussian_path()
    ell = -(x - mean) ** 2 / (2 * var) - sp.log(2 * sp.pi * var) / 2
    logp = -x ** 2 / 2 - sp.log(2 * sp.pi) / 2
    h = sp.diff(ell - logp, x)
    return Identity(ddt(ell), sp.diff(h, x) + h * sp.diff(ell, x), variables={**GAUSS_DOMAINS, et: positive(1.0)})


@claim("gflow.C3.kl_dissipation",
       r"\frac{d}{dt}\mathrm{KL}(q_t\|p)=-\int q_t\Big\|\nabla\log\frac{q_t}p\Big\|^2dx\quad(\text{Gaussian path})",
       uses=("gflow.C3.gaussian_fokker_planck",),
       cross_check=lambda digits, seed: _fisher_quadrature(digits, seed))
def c3_kl_dissipation():
    r"""Along the Gaussian path, \(\mathrm{KL}=-\tfrac12\log v_t+\tfrac12(v_t+m_t^2)-\tfrac12\) decreases at exactly the rate of
    the relative Fisher information, computed from the Gaussian moments of the linear score gap.  Cross-checked by
    mpmath quadrature of \(\int q_t(\partial_x\log(q_t/p))^2dx\) at \(\mu=1,\ s_0=2,\ t=\tfrac12\):
    \(0.9468846511044409774797486\)."""
    mean, var = gaussian_path()
    return Identity(ddt(kl_to_standard(mean, var)), -fisher_moments(mean, var),
                    variables={**GAUSS_DOMAINS, et: positive(1.0)})


@claim("gflow.C3.kl_monotone",
       r"\frac{d}{dt}\mathrm{KL}=-\Big[a^2v+(am+b)^2\Big]\le0,\quad a=1-\tfrac1v,\ b=\tfrac mv",
       uses=("gflow.C3.kl_dissipation",))
def c3_kl_monotone():
    r"""The dissipation is nonpositive: \(\mathbb E[(ax+b)^2]=a^2v+(am+b)^2\) with \(v>0\) (exact certificate, in the
    moment coordinates \((m,v)\) of \(q_t\))."""
    m, v = sp.Symbol("m", real=True), sp.Symbol("v", positive=True)
    a, b = 1 - 1 / v, m / v
    return Inequality(-fisher_moments(m, v), "<=", sp.Integer(0), variables={m: real(-2, 2), v: positive(4.0)},
                      certificate=a ** 2 * v + (a * m + b) ** 2)


def _fisher_quadrature(digits, seed):
    from numeric.evaluate import evaluate
    mean, var = gaussian_path()
    rate = -ddt(kl_to_standard(mean, var)).subs({mu: 1, s0: 2, et: sp.exp(-sp.Rational(1, 2))})

    def compute(dps):
        with mpmath.workdps(dps):
            mm = mpmath.exp(-mpmath.mpf(1) / 2)
            vv = 1 + 3 * mm ** 2
            sd = mpmath.sqrt(vv)
            a, b, norm = 1 - 1 / vv, mm / vv, 1 / (sd * mpmath.sqrt(2 * mpmath.pi))

            def integrand(xx):
                return norm * mpmath.exp(-(xx - mm) ** 2 / (2 * vv)) * (a * xx + b) ** 2

            # truncate where the Gaussian tail exp(-k^2/2) is below 10^-(dps+5): invisible at this precision
            k = int(mpmath.sqrt(2 * (dps + 5) * mpmath.log(10))) + 1
            fisher = mpmath.quad(integrand, [mm - k * sd, mm, mm + k * sd])
            return fisher, evaluate(rate, {}, dps)

    cmp = compare(compute, digits)
    detail = f"quadrature of the Fisher term at t=1/2: {mpmath.nstr(cmp.lhs, 20)} vs -dKL/dt {mpmath.nstr(cmp.rhs, 20)}"
    return NumericOutcome(cmp.status, cmp.digits, counterexample(cmp) if cmp.status == "disagree" else None, detail)


# ---- negative controls ---------------------------------------------------------------------------

@control("gflow.C1.ascent", r"x_t=e^{+At}x_0\ \text{solves}\ \dot x=-\nabla f=-Ax", symbolic=False)
def ctl_ascent():
    r"""Gradient ascent \(\dot x=+\nabla f\) (the trajectory \(e^{At}x_0=(P_1/e_1+P_2/e_2)x_0\)) does not solve the descent
    flow."""
    P1, P2 = projectors()
    x = (P1 / e1 + P2 / e2) * X0
    return Identity(ddt_e(x), -A * x, variables=EXP_DOMAINS)


@control("gflow.C1.unsquared", r"\frac{d}{dt}f(x_t)=-\|\nabla f(x_t)\|\ \text{(norm not squared)}", symbolic=False)
def ctl_unsquared():
    r"""The dissipation rate is the squared norm of the gradient, not the norm."""
    x = heat_kernel_e() * X0
    return Identity(ddt_e(energy(x)), -sp.sqrt((A * x).dot(A * x)), variables=EXP_DOMAINS)


@control("gflow.C3.potential_sign", r"f=-\log:\ \frac{\delta\mathcal F}{\delta q}=f(r)+rf'(r)=-\log r-1")
def ctl_potential_sign():
    r"""The wrong sign in the first variation: \(f(r)+rf'(r)\) differs from the true potential by the constant 2."""
    r = p / q
    return Identity(sp.diff(-q * sp.log(p / q), q), -sp.log(r) + r * (-1 / r), variables={q: positive(3.0), p: positive(3.0)})


@control("gflow.C3.half_laplacian",
         r"q_t\ \text{solves}\ \partial_tq=\partial_x(q\,x)+\tfrac12\partial_x^2q\ \ (dx=-x\,dt+dW)", symbolic=False)
def ctl_half_laplacian():
    r"""With noise \(dW\) instead of \(\sqrt2\,dW\) the Fokker–Planck equation has \(\tfrac12\Delta q\); the Gaussian path of
    the KL flow does not solve it (nonzero residual)."""
    mean, var = gaussian_path()
    ell = -(x - mean) ** 2 / (2 * var) - sp.log(2 * sp.pi * var) / 2
    # d_x(q x)/q = 1 + x d_x ell ;  (1/2) d_xx q / q = (1/2)(d_xx ell + (d_x ell)^2)
    rhs = 1 + x * sp.diff(ell, x) + (sp.diff(ell, x, 2) + sp.diff(ell, x) ** 2) / 2
    return Identity(ddt(ell), rhs, variables={**GAUSS_DOMAINS, et: positive(1.0)})


def results():
    x1 = heat_kernel(t) * X0
    return [
        ("Heat kernel", r"e^{-At}=" + sp.latex(heat_kernel(t))),
        ("Energies", r"f(x_0)=5,\quad f(x_1)=" + str(sp.N(energy(x1).subs(t, 1), 25))),
        ("Proximal steps", r"\text{linearised: }x_t-\alpha g,\quad\text{implicit: }\tfrac{y}{1+\alpha c}=\tfrac{10}{11}\ "
                           r"\text{vs GD }0.9\ (\alpha=0.1,c=1,y=1)"),
        ("KL along the Gaussian path", r"\mathrm{KL}(q_t\|p)=" + sp.latex(kl_to_standard(*gaussian_path()).subs(et, sp.exp(-t)))),
    ]


DERIVATION = Derivation(
    slug="gflow",
    title="Gradient flow: exploring the path to the minimum",
    source="https://kexue.fm/archives/9660",
    date="2023-06-16",
    summary=("Gradient flow decreases the objective at rate ||grad f||^2; gradient, natural-gradient and normalised "
             "steps are minimisers of linearised proximal problems; the f-divergence Wasserstein flow of KL is the "
             "Fokker-Planck equation of Langevin dynamics and dissipates KL at the Fisher rate."),
    claims=(c1_energy_decay, c1_quadratic_flow, c1_quadratic_dissipation, c2_gradient_descent, c2_natural_gradient,
            c2_sphere, c2_sphere_minimiser, c2_implicit_prox, c3_first_variation, c3_kl_potential,
            c3_fokker_planck_generator, c3_gaussian_fokker_planck, c3_kl_dissipation, c3_kl_monotone),
    controls=(ctl_ascent, ctl_unsquared, ctl_explicit_prox, ctl_potential_sign, ctl_half_laplacian),
    results=results,
)
