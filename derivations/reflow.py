r"""Generative diffusion models (20): from ReFlow to WGAN-GP.

Post: 苏剑林 (Su Jianlin), 《生成扩散模型漫谈（二十）：从ReFlow到WGAN-GP》, 2023-06-28,
https://kexue.fm/archives/9668 (Rectified Flow: Liu et al., arXiv:2209.03003; WGAN-GP: arXiv:1704.00028).
Setup: \(x_t=(1-t)x_0+tx_1\), \(x_0\) a generator sample, \(x_1\) data, \(t\sim U[0,1]\).

Main results:

* ``reflow.C1.chain_rule``: \(\langle\nabla D(x_t),x_1-x_0\rangle=\frac{d}{dt}D(x_t)\) for any \(D\) (proved).
* ``reflow.C1.loss_identity``: averaged over \(t\), the ReFlow loss of \(v=\nabla D\) *equals* the zero-centred
  WGAN-GP critic loss \(\mathbb E_t[\tfrac12\|\nabla D(x_t)\|^2]-D(x_1)+D(x_0)\) (proved).
* Erratum ``reflow.link_exact``: the post reaches this only "approximately", via \(\frac{d}{dt}D(x_t)\approx D(x_1)-D(x_0)\);
  pointwise that is far off (\(-0.0899\) vs \(1.1502\) at \(t=\tfrac12\)), while the \(t\)-average is exact.
* ``reflow.C2.generator_step``: one step of the generator loss has gradient \(-2\epsilon\nabla_\theta D(g_\theta(z))\) at
  \(\theta=\theta_\tau\): the WGAN generator direction (proved).
* ``reflow.C3.*``: for Gaussians the ReFlow velocity \(v^*(x,t)=m+\frac{ts^2-(1-t)}{(1-t)^2+t^2s^2}(x-tm)\) transports
  \(\mathcal N(0,1)\) exactly to \(\mathcal N(m,s^2)\) (proved; Monte Carlo regression checked).
"""
from __future__ import annotations

import mpmath
import sympy as sp

from derivations.engine import Approximation, Derivation, Erratum, Identity, claim, control
from numeric.identity import NumericOutcome, compare, counterexample, test_identity
from numeric.reflow import regression_velocity
from numeric.sampling import positive, real

t = sp.Symbol("t", real=True)
u, w = sp.symbols("u w", real=True)
a1, a2, b1, b2 = sp.symbols("a_1 a_2 b_1 b_2", real=True)  # x0 = (a1, a2), x1 = (b1, b2)
D = sp.Function("D")

X0, X1 = (a1, a2), (b1, b2)
XT = tuple((1 - t) * p + t * q for p, q in zip(X0, X1))
POINT_DOMAINS = {a1: real(-1.5, 1.5), a2: real(-1.5, 1.5), b1: real(-1.5, 1.5), b2: real(-1.5, 1.5),
                 t: real(0, 1)}

# the card's reference critic and endpoints
D_REF = sp.Lambda((u, w), sp.sin(u) * w ** 2 + sp.exp(u * w / 3))
REF_POINT = {a1: sp.Rational(-7, 10), a2: sp.Rational(6, 5), b1: sp.Rational(3, 2), b2: sp.Rational(-2, 5)}


def grad_D_at(point):
    r"""\(\nabla D\) evaluated at ``point`` (a pair of expressions), for the undefined critic \(D\)."""
    return [sp.Derivative(D(u, w), var).subs({u: point[0], w: point[1]}) for var in (u, w)]


def critic_inner():
    r"""\(\langle\nabla D(x_t),x_1-x_0\rangle\)."""
    return sum(g * (q - p) for g, p, q in zip(grad_D_at(XT), X0, X1))


def concrete(expr):
    """``expr`` with the undefined critic replaced by the reference critic, derivatives evaluated."""
    return expr.subs(D, D_REF).doit()


def _concrete_cross_check(build):
    def check(digits, seed):
        stmt = build()
        lhs, rhs = concrete(stmt.lhs), concrete(stmt.rhs)
        doms = {x: POINT_DOMAINS[x] for x in (lhs - rhs).free_symbols}
        out = test_identity(lhs, rhs, doms, digits, seed, 3)
        out.detail = "with D(u,w) = sin(u) w^2 + exp(u w/3): " + out.detail
        return out
    return check


def _chain_rule():
    return Identity(sp.diff(D(*XT), t), critic_inner(), variables=POINT_DOMAINS)


@claim("reflow.C1.chain_rule",
       r"\frac{d}{dt}D(x_t)=\langle\nabla D(x_t),\,x_1-x_0\rangle,\qquad x_t=(1-t)x_0+tx_1",
       hypotheses=(r"D\in C^1(\mathbb R^2)\ \text{time-independent}",),
       cross_check=_concrete_cross_check(_chain_rule))
def c1_chain_rule():
    r"""Chain rule along the straight path: \(\dot x_t=x_1-x_0\), so
    \(\frac{d}{dt}D(x_t)=\langle\nabla D(x_t),x_1-x_0\rangle\) for an arbitrary (undefined) critic \(D\); the
    numeric cross-check substitutes \(D(u,w)=\sin(u)w^2+e^{uw/3}\)."""
    return _chain_rule()


def _ftc_certificate(integrand_difference=None):
    """Exact certificate of \\(\\int_0^1\\langle\\nabla D(x_t),x_1-x_0\\rangle dt=D(x_1)-D(x_0)\\): the integrand is
    exactly \\(\\frac{d}{dt}H(t)\\) with \\(H(t)=D(x_t)\\) (chain rule, reduced to 0 by SymPy), so by the fundamental
    theorem of calculus the integral is \\(H(1)-H(0)\\), and \\(H(1)=D(x_1)\\), \\(H(0)=D(x_0)\\) exactly.  With
    ``integrand_difference`` (for the loss identity) that difference of the two integrands must first equal
    minus the critic term exactly (linearity of the integral)."""
    from derivations.engine.symbolic import SymbolicOutcome, prove_zero
    steps = []
    if integrand_difference is not None:
        lin = prove_zero(integrand_difference + critic_inner())
        if lin.status != "proved":
            return SymbolicOutcome("failed", detail="integrands do not differ by the critic term")
        steps.append(f"linearity ({lin.method})")
    H = D(*XT)
    chain = prove_zero(sp.diff(H, t) - critic_inner())
    if chain.status != "proved":
        return SymbolicOutcome("failed", detail="chain rule step not proved")
    ends = prove_zero(sp.Matrix([H.subs(t, 1) - D(*X1), H.subs(t, 0) - D(*X0)]))
    if ends.status != "proved":
        return SymbolicOutcome("failed", detail="antiderivative does not take the endpoint values")
    steps += [f"integrand = d/dt D(x_t) ({chain.method})", "FTC with D(x_t) at t=1, t=0 equal to D(x1), D(x0)"]
    return SymbolicOutcome("proved", " + ".join(steps))


def _ref_integral_check(digits, seed):
    """The reference integral by tanh-sinh quadrature of a hand-coded gradient of the reference critic
    (an implementation independent of SymPy's differentiation), against the closed form."""
    def compute(dps):
        with mpmath.workdps(dps):
            p = [mpmath.mpf(-7) / 10, mpmath.mpf(6) / 5]
            d = [mpmath.mpf(3) / 2 - p[0], mpmath.mpf(-2) / 5 - p[1]]

            def cross_term(tt):
                uu, ww = p[0] + tt * d[0], p[1] + tt * d[1]
                e = mpmath.exp(uu * ww / 3)
                return (mpmath.cos(uu) * ww ** 2 + ww * e / 3) * d[0] + (2 * mpmath.sin(uu) * ww + uu * e / 3) * d[1]

            def critic(uu, ww):
                return mpmath.sin(uu) * ww ** 2 + mpmath.exp(uu * ww / 3)

            return mpmath.quad(cross_term, [0, 1]), critic(p[0] + d[0], p[1] + d[1]) - critic(*p)

    cmp = compare(compute, digits)
    detail = (f"reference D, x0=(-0.7,1.2), x1=(1.5,-0.4): quadrature {mpmath.nstr(cmp.lhs, 20)} "
              f"vs D(x1)-D(x0) {mpmath.nstr(cmp.rhs, 20)}")
    return NumericOutcome(cmp.status, cmp.digits, counterexample(cmp) if cmp.status == "disagree" else None, detail)


@claim("reflow.link_exact.correct",
       r"\int_0^1\langle\nabla D(x_t),\,x_1-x_0\rangle\,dt=D(x_1)-D(x_0)\quad\text{(exact, for every }D\text{)}",
       hypotheses=(r"t\sim U[0,1]\ \text{independent of }(x_0,x_1)", r"D\ \text{time-independent}"),
       uses=("reflow.C1.chain_rule",), prove=_ftc_certificate, cross_check=_ref_integral_check)
def link_correct():
    r"""The average over uniform \(t\) of the cross term is exact: by the chain rule the integrand is
    \(\frac{d}{dt}D(x_t)\), and the fundamental theorem of calculus gives \(D(x_1)-D(x_0)\).  Cross-checked by
    mpmath quadrature for the reference critic: \(1.15021967910118021277007510682\)."""
    return None


def _loss_sides():
    g = grad_D_at(XT)
    half_sq = sum(gi ** 2 for gi in g) / 2
    lhs = sp.Integral(half_sq - critic_inner(), (t, 0, 1))
    rhs = sp.Integral(half_sq, (t, 0, 1)) - D(*X1) + D(*X0)
    return half_sq - critic_inner(), half_sq, lhs, rhs


@claim("reflow.C1.loss_identity",
       r"\mathbb E_{t}\Big[\tfrac12\|\nabla D(x_t)\|^2-\langle\nabla D(x_t),x_1-x_0\rangle\Big]"
       r"=\mathbb E_{t}\Big[\tfrac12\|\nabla D(x_t)\|^2\Big]-D(x_1)+D(x_0)",
       hypotheses=(r"t\sim U[0,1]", r"v=\nabla D,\ D\ \text{time-independent}"),
       uses=("reflow.C1.chain_rule", "reflow.link_exact.correct"),
       prove=lambda: _ftc_certificate(_loss_sides()[0] - _loss_sides()[1]), numeric=False)
def c1_loss_identity():
    r"""The ReFlow loss with a gradient field \(v=\nabla D\), averaged over \(t\sim U[0,1]\) (the dropped term
    \(\tfrac12\|x_1-x_0\|^2\) does not depend on \(D\)), is exactly the WGAN critic loss with a zero-centred
    gradient penalty on the interpolates \(x_t\); no smoothness approximation is needed."""
    _, _, lhs, rhs = _loss_sides()
    return Identity(lhs, rhs)


def _pointwise_link():
    r"""\((\frac{d}{dt}D(x_t),\ D(x_1)-D(x_0))\) for the reference critic and endpoints (the derivative of the composed
    function; equal to the critic term by ``reflow.C1.chain_rule``)."""
    path = [e.subs(REF_POINT) for e in XT]
    return sp.diff(D_REF(*path), t), (D_REF(*X1) - D_REF(*X0)).subs(REF_POINT)


@claim("reflow.link_exact.post_says",
       r"\frac{d}{dt}D(x_t)\approx D(x_1)-D(x_0)\ \text{for each }t\ \text{(within 50\%)},\ D(u,w)=\sin(u)w^2+e^{uw/3}",
       symbolic=False)
def link_post_says():
    r"""The post: "if \(D(x_t)\) varies smoothly, \(\frac{d}{dt}D(x_t)\) is close to the finite difference
    \(D(x_1)-D(x_0)\)", which makes the ReFlow/WGAN-GP link approximate.  For the smooth reference critic the
    pointwise derivative is far from the difference (\(-0.0899\) against \(1.1502\) at \(t=\tfrac12\)); the
    tolerance is half of \(D(x_1)-D(x_0)\)."""
    derivative, difference = _pointwise_link()
    return Approximation(derivative, difference, tolerance=0.575, variables={t: real(0, 1)})


th1, th2, p1, p2, z = sp.symbols("theta_1 theta_2 tau_1 tau_2 z", real=True)
eps = sp.Symbol("epsilon", positive=True)
GEN_DOMAINS = {th1: real(-1, 1), th2: real(-1.5, 1.5), p1: real(-1, 1), p2: real(-1.5, 1.5), z: real(-2, 2),
               eps: positive(0.5)}


def gen(a, b):
    r"""\(g_\theta(z)=\theta_1+\theta_2z+\theta_2^2z^2/5\)."""
    return a + b * z + b ** 2 * z ** 2 / 5


def critic1(x):
    r"""\(D(x)=\sin x+x^3/7\)."""
    return sp.sin(x) + x ** 3 / 7


def _generator_sides(factor=2, at_tau=True):
    xp = sp.Symbol("x_p", real=True)
    dD = sp.diff(critic1(xp), xp)
    target = gen(p1, p2) + eps * dD.subs(xp, gen(p1, p2))
    loss = (gen(th1, th2) - target) ** 2
    at = {th1: p1, th2: p2} if at_tau else {}
    lhs = sp.Matrix([sp.diff(loss, v).subs(at) for v in (th1, th2)])
    rhs = sp.Matrix([-factor * eps * sp.diff(critic1(gen(th1, th2)), v).subs({th1: p1, th2: p2}) for v in (th1, th2)])
    return lhs, rhs


@claim("reflow.C2.generator_step",
       r"\nabla_\theta\big\|g_\theta(z)-g_{\theta_\tau}(z)-\epsilon\nabla D(g_{\theta_\tau}(z))\big\|^2\Big|_{\theta=\theta_\tau}"
       r"=-2\epsilon\,\nabla_\theta D(g_\theta(z))\Big|_{\theta=\theta_\tau}",
       hypotheses=(r"g_\theta(z)=\theta_1+\theta_2z+\theta_2^2z^2/5,\ D(x)=\sin x+x^3/7",))
def c2_generator_step():
    r"""One generator step of ReFlow (regress \(g_\theta(z)\) onto \(g_{\theta_\tau}(z)+\epsilon\nabla D\)) has, at
    \(\theta=\theta_\tau\), the gradient \(-2\epsilon\nabla_\theta D(g_\theta(z))\): the direction of the WGAN
    generator loss \(\mathbb E[-D(g_\theta(z))]\).  Checked with the card's non-linear generator and critic,
    symbolic \(z,\theta_\tau,\epsilon\)."""
    return Identity(*_generator_sides(), variables=GEN_DOMAINS)


# ---- C3: the Gaussian model ------------------------------------------------------------------------

m = sp.Symbol("m", real=True)
s = sp.Symbol("s", positive=True)
x, zeta, xi = sp.symbols("x zeta xi", real=True)
GAUSS_DOMAINS = {m: real(-2, 2), s: positive(2.0), t: real(0, 1), x: real(-3, 3), zeta: real(-3, 3)}


def gaussian_expectation(expr, normals):
    r"""\(\mathbb E[\mathrm{expr}]\) for a polynomial in independent standard normals ``normals``:
    monomial by monomial, \(\mathbb E[\zeta^k]=(k-1)!!\) for even \(k\) and 0 for odd \(k\).  Exact (the
    coefficients may be any expressions in the other symbols); a term that is not a monomial in ``normals``
    raises ``ValueError``."""
    total = []
    for term in sp.Add.make_args(sp.expand(expr)):
        coeff, part = term.as_independent(*normals, as_Add=False)
        powers = part.as_powers_dict()
        degrees = [powers.get(n, 0) for n in normals]
        if not all(k.is_Integer and k >= 0 for k in map(sp.sympify, degrees)) or \
                sp.Mul(*[n ** k for n, k in zip(normals, degrees)]) != part:
            raise ValueError(f"not a polynomial in {normals}: {term}")
        if any(k % 2 for k in degrees):
            continue
        total.append(coeff * sp.Mul(*[sp.factorial2(k - 1) for k in degrees]))
    return sp.Add(*total)


def sigma(time):
    r"""\(\sigma_t=\sqrt{(1-t)^2+t^2s^2}\), the standard deviation of \(x_t\) (and the flow's scale)."""
    return sp.sqrt((1 - time) ** 2 + time ** 2 * s ** 2)


def velocity(point, time):
    r"""\(v^*(x,t)=m+\frac{ts^2-(1-t)}{(1-t)^2+t^2s^2}(x-tm)\)."""
    return m + (time * s ** 2 - (1 - time)) / ((1 - time) ** 2 + time ** 2 * s ** 2) * (point - time * m)


def flow(start, time):
    r"""\(X_t=tm+\sigma_tx_0\), the solution of \(\dot X=v^*(X,t)\) from \(X_0=x_0\)."""
    return time * m + sigma(time) * start


@claim("reflow.C3.conditional_velocity",
       r"x_0\sim\mathcal N(0,1),\ x_1\sim\mathcal N(m,s^2):\ \mathbb E[x_1-x_0\mid x_t=x]"
       r"=m+\frac{ts^2-(1-t)}{(1-t)^2+t^2s^2}(x-tm)")
def c3_conditional_velocity():
    r"""With \(x_0=\zeta\), \(x_1=m+s\xi\) (\(\zeta,\xi\) independent standard normals), the residual
    \(r=x_1-x_0-v^*(x_t,t)\) has mean 0 and is uncorrelated with \(x_t\); \((r,x_t)\) is jointly Gaussian, so
    \(r\) is independent of \(x_t\) and \(v^*(x_t,t)=\mathbb E[x_1-x_0\mid x_t]\), the minimiser of the ReFlow
    loss.  Gaussian moments computed exactly."""
    x0, x1 = zeta, m + s * xi
    xt = (1 - t) * x0 + t * x1
    r = x1 - x0 - velocity(xt, t)
    moments = sp.Matrix([gaussian_expectation(r, (zeta, xi)), gaussian_expectation(r * xt, (zeta, xi))])
    return Identity(moments, sp.zeros(2, 1), variables=GAUSS_DOMAINS)


@claim("reflow.C3.transport",
       r"X_t=tm+\sigma_tx_0:\ \ \dot X_t=v^*(X_t,t),\ \ X_0=x_0,\ \ X_1=m+s\,x_0\sim\mathcal N(m,s^2)",
       hypotheses=(r"\sigma_t=\sqrt{(1-t)^2+t^2s^2}",), uses=("reflow.C3.conditional_velocity",))
def c3_transport():
    r"""The ODE \(\dot X=v^*(X,t)\) started at \(x_0\sim\mathcal N(0,1)\) follows \(X_t=tm+\sigma_tx_0\) and ends at
    \(X_1=m+sx_0\sim\mathcal N(m,s^2)\): the learned velocity transports the noise law exactly onto the data law."""
    X = flow(zeta, t)
    return Identity(sp.Matrix([sp.diff(X, t) - velocity(X, t), flow(zeta, 0), flow(zeta, 1)]),
                    sp.Matrix([0, zeta, m + s * zeta]), variables=GAUSS_DOMAINS)


@claim("reflow.C3.reference",
       r"m=1,\ s=\tfrac12,\ t=0.3:\ v^*(x,t)=\tfrac{56}{41}-\tfrac{50}{41}\,x")
def c3_reference():
    r"""The reference line: intercept \(m(1-kt)=56/41\) and slope \(k=\frac{ts^2-(1-t)}{(1-t)^2+t^2s^2}=-50/41\)."""
    ref = {m: 1, s: sp.Rational(1, 2), t: sp.Rational(3, 10)}
    v = velocity(x, t).subs(ref)
    return Identity(sp.Matrix([v.subs(x, 0), sp.diff(v, x)]), sp.Matrix([sp.Rational(56, 41), sp.Rational(-50, 41)]))


MC_SAMPLES = 200_000


def _mc_regression(digits, seed):
    ic, sl, se_i, se_s = regression_velocity(1.0, 0.5, 0.3, MC_SAMPLES, seed)
    ok = abs(ic - 56 / 41) <= 4 * se_i and abs(sl + 50 / 41) <= 4 * se_s
    detail = (f"MC OLS (N={MC_SAMPLES}, seed {seed}): intercept {ic:.5f} (56/41={56 / 41:.5f}, 4 SE={4 * se_i:.4f}), "
              f"slope {sl:.5f} (-50/41={-50 / 41:.5f}, 4 SE={4 * se_s:.4f})")
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("reflow.C3.monte_carlo",
       r"\text{least squares of }x_1-x_0\text{ on }x_t\ (m=1,s=\tfrac12,t=0.3):\ \approx\tfrac{56}{41}-\tfrac{50}{41}x",
       symbolic=False, cross_check=_mc_regression, uses=("reflow.C3.reference",))
def c3_monte_carlo():
    r"""Monte Carlo: the least-squares line of \(x_1-x_0\) on \(x_t\) from \(2\cdot10^5\) seeded samples agrees with
    \(56/41-50x/41\) within 4 standard errors (in this Gaussian model the regression is the conditional mean)."""
    return None


# ---- negative controls -------------------------------------------------------------------------

@control("reflow.C1.single_time",
         r"\langle\nabla D(x_{1/2}),x_1-x_0\rangle=D(x_1)-D(x_0)\ \text{(one time instead of the average)}",
         symbolic=False)
def ctl_single_time():
    r"""Evaluating the cross term at the single time \(t=\tfrac12\) instead of averaging: \(-0.08986\) against
    \(D(x_1)-D(x_0)=1.15022\) for the reference critic."""
    derivative, difference = _pointwise_link()
    return Identity(derivative.subs(t, sp.Rational(1, 2)), difference)


@control("reflow.C1.one_centred",
         r"\tfrac12\|g\|^2=\tfrac12(\|g\|-1)^2+\tfrac12\ \text{(penalties equal up to a constant)}", symbolic=False)
def ctl_one_centred():
    r"""The penalty that results is zero-centred: \(\tfrac12\|g\|^2\) and the 1-centred
    \(\tfrac12(\|g\|-1)^2\) differ by \(\|g\|-\tfrac12\), which depends on the critic, not by a constant."""
    g1, g2 = sp.symbols("g_1 g_2", real=True)
    norm = sp.sqrt(g1 ** 2 + g2 ** 2)
    return Identity(norm ** 2 / 2, (norm - 1) ** 2 / 2 + sp.Rational(1, 2),
                    variables={g1: real(-2, 2), g2: real(-2, 2)})


@control("reflow.C2.factor_one",
         r"\nabla_\theta\|\cdots\|^2\big|_{\theta_\tau}=-\epsilon\,\nabla_\theta D(g_\theta(z))\big|_{\theta_\tau}",
         symbolic=False)
def ctl_factor_one():
    r"""Factor \(-\epsilon\) instead of \(-2\epsilon\)."""
    return Identity(*_generator_sides(factor=1), variables=GEN_DOMAINS)


@control("reflow.C2.off_point",
         r"\nabla_\theta\|\cdots\|^2=-2\epsilon\,\nabla_\theta D(g_\theta(z))\big|_{\theta_\tau}\ \text{for all }\theta",
         symbolic=False)
def ctl_off_point():
    r"""The equality holds only at \(\theta=\theta_\tau\); away from it the regression gradient has the extra
    term \(2(g_\theta-g_{\theta_\tau})\nabla_\theta g_\theta\)."""
    return Identity(*_generator_sides(at_tau=False), variables=GEN_DOMAINS)


@control("reflow.C3.constant_velocity",
         r"v\equiv m:\ X_1=x_0+m\overset{?}{=}m+s\,x_0\ \text{(ignores the }x\text{-dependence)}",
         symbolic=False)
def ctl_constant_velocity():
    r"""The constant velocity \(v\equiv m\) (the mean of \(x_1-x_0\)) moves \(\mathcal N(0,1)\) to
    \(\mathcal N(m,1)\), not \(\mathcal N(m,s^2)\): \(X_1=x_0+m\neq m+sx_0\) unless \(s=1\)."""
    return Identity(zeta + m, m + s * zeta, variables=GAUSS_DOMAINS)


def results():
    ref = {m: 1, s: sp.Rational(1, 2), t: sp.Rational(3, 10)}
    return [
        ("ReFlow velocity for Gaussians", r"v^*(x,t)=" + sp.latex(velocity(x, t))),
        ("Reference line", r"v^*(x,0.3)=" + sp.latex(sp.expand(velocity(x, t).subs(ref)))),
        ("Critic identity", r"\int_0^1\langle\nabla D(x_t),x_1-x_0\rangle dt=D(x_1)-D(x_0)=1.15021967910118021277\ldots"),
    ]


DERIVATION = Derivation(
    slug="reflow",
    title="Generative diffusion models (20): from ReFlow to WGAN-GP",
    source="https://kexue.fm/archives/9668",
    date="2023-06-28",
    summary=("ReFlow with a gradient-field velocity is exactly (after averaging over uniform t) the WGAN critic "
             "loss with a zero-centred gradient penalty; its generator step is the WGAN generator gradient; "
             "for Gaussians the ReFlow velocity transports the noise law exactly."),
    claims=(c1_chain_rule, c1_loss_identity, c2_generator_step, c3_conditional_velocity, c3_transport,
            c3_reference, c3_monte_carlo),
    controls=(ctl_single_time, ctl_one_centred, ctl_factor_one, ctl_off_point, ctl_constant_velocity),
    errata=(Erratum("reflow.link_exact", post_says=link_post_says, correct=link_correct,
                    note=("The link needs uniform t and a time-independent D, and then no smoothness "
                          "approximation: the t-average of the cross term is exactly D(x1)-D(x0).")),),
    results=results,
)
