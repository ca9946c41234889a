r"""The exact algebra of adam-epsilon: symbols, softsign and clip, the closed forms of the clipped Gaussian's
moments, the post's formulas, the worked examples, and the derivations the claims compare with the post."""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derivations.toolkit.gaussian import gauss_integral, zz
from derivations.toolkit.one_step import solve_linear, sym_matrix, sym_vector

a_, x_ = sp.symbols("a x", real=True)


b_, eps, sig, B, kappa, beta, k_ = sp.symbols("b epsilon sigma B kappa beta k", positive=True)


g_r = sp.Symbol("g", real=True, nonzero=True)


P, Q, D, O, t_, delta = sp.symbols("P Q D O t delta", positive=True)


R2 = sp.sqrt(2)


def softsign(x, e):
    """\\(x/\\sqrt{x^2+\\epsilon^2}\\)."""
    return x / sp.sqrt(x ** 2 + e ** 2)


def beta_of(Bv, k2):
    """\\(\\beta=(1+\\pi\\kappa^2/(2B))^{-1/2}\\)."""
    return 1 / sp.sqrt(1 + sp.pi * k2 / (2 * Bv))


def clip_pw(u):
    """\\(\\mathrm{clip}(u)=\\max(-1,\\min(1,u))\\) as a Piecewise."""
    return sp.Piecewise((-1, u < -1), (1, u > 1), (u, True))


def F_closed(a, b):
    """The spec's closed form of \\(F(a,b)=\\mathbb E[\\mathrm{clip}((a+z)/b)]\\)."""
    a, b = sp.sympify(a), sp.sympify(b)
    ep, em = sp.erf((a + b) / R2), sp.erf((a - b) / R2)
    return (ep + em) / 2 + a / (2 * b) * (ep - em) + (sp.exp(-(a + b) ** 2 / 2) - sp.exp(-(a - b) ** 2 / 2)) / (b * sp.sqrt(2 * sp.pi))


def F_derived(a, b):
    """\\(-P(z<-a-b)+P(z>-a+b)+\\int_{-a-b}^{-a+b}\\frac{a+z}b\\varphi(z)dz\\) by Gaussian antiderivatives."""
    return (gauss_integral(1, -a + b, sp.oo) - gauss_integral(1, -sp.oo, -a - b)
            + gauss_integral((a + zz) / b, -a - b, -a + b))


def M2_derived(a, b):
    """\\(\\mathbb E[\\mathrm{clip}((a+z)/b)^2]=P(|a+z|>b)+\\frac1{b^2}\\int_{-a-b}^{-a+b}(a+z)^2\\varphi\\) by Gaussian antiderivatives."""
    a, b = sp.sympify(a), sp.sympify(b)
    return (gauss_integral(1, -a + b, sp.oo) + gauss_integral(1, -sp.oo, -a - b)
            + gauss_integral((a + zz) ** 2 / b ** 2, -a - b, -a + b))


EX_G = (1, sp.Rational(-1, 2), sp.Rational(1, 4))


EX_H = sp.Matrix([[2, sp.Rational(3, 10), sp.Rational(1, 10)], [sp.Rational(3, 10), 1, sp.Rational(1, 5)],
                  [sp.Rational(1, 10), sp.Rational(1, 5), sp.Rational(1, 2)]])


def eta_formula(nu, g, H, bt):
    """C6 evaluated on explicit vectors."""
    nu, g = sp.Matrix(nu), sp.Matrix(g)
    return bt * (nu.T * g)[0] / (bt ** 2 * (nu.T * H * nu)[0] + (1 - bt ** 2) * H.trace())


@lru_cache(maxsize=None)
def derived_optimal_lr():
    g, H = sym_vector("g", 3, real=True), sym_matrix("h", 3, real=True)
    nu = sym_vector("nu", 3, real=True)
    M = beta ** 2 * nu * nu.T + (1 - beta ** 2) * sp.eye(3)
    eta = (beta * nu.T * g)[0] / (M * H).trace()  # C12 of archives/10542 with E phi = beta nu
    PQD = {P: (nu.T * g)[0], Q: (nu.T * H * nu)[0], D: H.trace()}
    return eta, PQD


@lru_cache(maxsize=None)
def derived_surge_condition():
    Qr = sp.Symbol("Q", real=True)
    f = beta * P / (D + beta ** 2 * (Qr - D))
    d = sp.diff(f, beta)
    b2 = sp.Symbol("b2", positive=True)
    root = solve_linear(sp.numer(sp.together(d)).subs(beta ** 2, b2), b2)
    s = sym_vector("s", 3, real=True, nonzero=True)
    H = sym_matrix("h", 3, real=True)
    sg = sp.Matrix([sp.sign(x) for x in s])
    Q0 = (sg.T * H * sg)[0]  # epsilon = 0: nu = sign(g)
    O0 = sum(sg[i] * sg[j] * H[i, j] for i in range(3) for j in range(3) if i != j)
    return Qr, d, root, Q0 - 2 * H.trace(), O0 - H.trace()


def surge_certificates():
    """Exact certificates for C7: with \\(\\beta^2=1/(1+t)\\), the numerator \\(D+\\beta^2(D-Q)\\) is
    \\((Dt+\\delta)/(1+t)>0\\) when \\(Q=2D-\\delta\\le2D\\); and when \\(Q=2D+\\delta>2D\\),
    \\((\\beta_*Q)^2-(2D)^2=D\\delta^2/(D+\\delta)>0\\), i.e. \\(\\eta^*(\\beta_*)>\\eta^*(1)\\)."""
    dn = sp.Symbol("delta", nonnegative=True)
    mono = (D + beta ** 2 * (D - (2 * D - dn))).subs(beta, 1 / sp.sqrt(1 + t_))
    Qs = 2 * D + delta
    peak = D / (Qs - D) * Qs ** 2 - (2 * D) ** 2
    return (mono, (D * t_ + dn) / (1 + t_)), (peak, D * delta ** 2 / (D + delta))


SIGMA2 = sp.Symbol("sigma2", positive=True)


@lru_cache(maxsize=None)
def large_epsilon_blocks():
    """SymPy limits as epsilon -> oo of nu, eps nu, beta and eps^2 (1 - beta^2), with the mean-field
    kappa^2 = sigma^2/(gamma^2 + eps^2) (gamma >= 0 a representative gradient scale)."""
    gam = sp.Symbol("gamma", nonnegative=True)
    bt = beta_of(B, SIGMA2 / (gam ** 2 + eps ** 2))
    nu = softsign(g_r, eps)
    # the last block is put over a common denominator first (an exact rewrite; SymPy's limit is slow on it)
    return tuple(sp.limit(e, eps, sp.oo) for e in (nu, eps * nu, bt, sp.cancel(eps ** 2 * (1 - bt ** 2))))


def formula_limit(g, H):
    """lim eta*/eps of C6 by continuity from the block limits: eta*/eps = beta (eps P)/(beta^2 eps^2 Q + eps^2 (1-beta^2) D)."""
    _, eps_nu_g, bt, rest = large_epsilon_blocks()
    eps_nu = sp.Matrix([eps_nu_g.subs(g_r, x) for x in g])
    g = sp.Matrix(g)
    return bt * (eps_nu.T * g)[0] / (bt ** 2 * (eps_nu.T * H * eps_nu)[0] + rest * H.trace())


def sgd_pi_half(g, H, s2, Bv):
    """\\(\\sum_ig_i^2/(g^\\top Hg+\\pi\\sigma^2\\mathrm{tr}H/(2B))\\): SGD's C5 with covariance \\((\\pi\\sigma^2/2)I\\)."""
    g = sp.Matrix(g)
    return (g.T * g)[0] / ((g.T * H * g)[0] + sp.pi * s2 * H.trace() / (2 * Bv))


def example_ii():
    H = sp.ones(5, 5) * sp.Rational(7, 10)
    for i in range(5):
        H[i, i] = 1
    for j in range(1, 5):
        H[0, j] = H[j, 0] = sp.Rational(-4, 5)
    return [sp.Rational(1, 1000), 1, 1, 1, 1], H


def example_i():
    return [1, 1000], sp.Matrix([[1, sp.Rational(-9, 10)], [sp.Rational(-9, 10), 1]])


def q_of(e, g, H):
    """\\(Q(\\epsilon)=\\nu^\\top H\\nu\\), \\(\\nu=\\mathrm{softsign}(g,\\epsilon)\\) (\\(\\mathrm{sign}\\,g\\) at \\(\\epsilon=0\\)), exact."""
    nu = sp.Matrix([sp.sign(x) if e == 0 else softsign(x, e) for x in g])
    return (nu.T * H * nu)[0]


def weak_coupling_example():
    H = sp.ones(10, 10) / 10 + sp.eye(10) * sp.Rational(9, 10)
    s = sp.ones(10, 1)  # g > 0, epsilon = 0: nu = sign(g)
    return H.trace(), (s.T * H * s)[0]


def exact_model_formula(m1, m2, g, H):
    """C12's \\(\\eta^*/\\epsilon\\) from the scaled moments \\(m_1=\\mathbb E[\\epsilon\\varphi]\\), \\(m_2=\\mathbb E[\\epsilon^2\\varphi^2]\\) of
    independent components: \\(\\sum_im_{1,i}g_i/(\\sum_{i\\ne j}H_{ij}m_{1,i}m_{1,j}+\\sum_iH_{ii}m_{2,i})\\)."""
    d = len(g)
    return (sum(m1[i] * g[i] for i in range(d))
            / (sum(H[i, j] * m1[i] * m1[j] for i in range(d) for j in range(d) if i != j) + sum(H[i, i] * m2[i] for i in range(d))))


def exact_model_limit(delta_v):
    """The exact model at \\(\\delta=1/\\epsilon^2=0\\): \\(\\epsilon\\varphi\\to u=g+\\sigma z/\\sqrt B\\), whose moments are Gaussian
    integrals (dominated convergence, \\(|\\epsilon\\varphi|\\le|u|\\)); on the C6 example with \\(\\sigma^2=1\\), \\(B=8\\)."""
    if delta_v != 0:
        raise ValueError("the exact model has a closed form only in the limit delta = 0")
    s = 1 / sp.sqrt(8)
    g = [sp.sympify(v) for v in EX_G]
    m1 = [gauss_integral(gi + s * zz, -sp.oo, sp.oo) for gi in g]
    m2 = [gauss_integral((gi + s * zz) ** 2, -sp.oo, sp.oo) for gi in g]
    return exact_model_formula(m1, m2, g, EX_H)
