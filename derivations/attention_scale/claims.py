"""The claims, controls and errata of the attention-scale post (the header of the package says what they are)."""
from __future__ import annotations

from functools import partial

import mpmath
import sympy as sp

from derivations.attention_scale import numerics as na
from derivations.attention_scale.algebra import (FOURTH_GAUSS, HALF, MEAN_SHIFT, MEAN_UNIT, N_SOFT, SCORES, VAR_SAME,
                                                 VAR_SHIFT, VAR_UNIT, alpha, alpha_neg, alpha_star_expr,
                                                 alpha_star_squared, bessel_form, cosine_density, cosine_mgf_integral,
                                                 d_, duplication, exchangeable_variance, gauss_mgf_exact, gradient_l1,
                                                 half_integer_bessel, jacobian, k_, lambert_exp, lambert_inverse,
                                                 lambert_parametrisation, mean_field_correction, moment_formula,
                                                 moment_integral, n_, polynomial_at, s_, s_syms,
                                                 second_moment_variance, signed_abs, small_scale_limit, surrogate)
from derivations.engine import (All, Approximation, Domain, Identity, Inequality, Oracle, claim, control, family, integers,
                                positive, quantity, real, stated)

D_MC = 64                 # dimension of the Monte Carlo checks of the score moments
D64 = {d_: integers(D_MC, D_MC)}


# --- exact moments of q.k -------------------------------------------------------------------------

N_RADEMACHER, N_UNIFORM, N_GAUSS, N_CONTROL = 10**6, 10**5, 10**5, 2 * 10**4


def _mc(name, kind, statistic, draws, exact=None):
    return quantity(name, exact=exact, estimator=partial(na.dot_estimate, kind, statistic, draws),
                    how=f"Monte Carlo, {draws:.0e} {kind} pairs" + ("; exact moments" if exact else ""))


DotMean = _mc("DotMean", "rademacher", "mean", N_RADEMACHER, partial(polynomial_at, MEAN_UNIT))
DotVarRademacher = _mc("DotVarRademacher", "rademacher", "var", N_RADEMACHER, partial(polynomial_at, VAR_UNIT))
DotVarUniform = _mc("DotVarUniform", "uniform", "var", N_UNIFORM, partial(polynomial_at, VAR_UNIT))
DotMeanShifted = _mc("DotMeanShifted", "shifted", "mean", N_CONTROL, partial(polynomial_at, MEAN_SHIFT))
DotVarShifted = _mc("DotVarShifted", "shifted", "var", N_CONTROL, partial(polynomial_at, VAR_SHIFT))
DotFourth = _mc("DotFourth", "gaussian", "m4", N_GAUSS, partial(polynomial_at, FOURTH_GAUSS))
DotVarSame = _mc("DotVarSame", "same", "var", N_CONTROL, partial(polynomial_at, VAR_SAME))
DotVarOneCorrelated = _mc("DotVarOneCorrelated", "q_correlated", "var", N_CONTROL,
                          partial(exchangeable_variance, eq=(1, 1), ek=(1, 0)))
# Monte Carlo only: the spec's controls N1-N3
VarSameMC = _mc("VarSameMC", "same", "var", N_CONTROL)
VarShiftedMC = _mc("VarShiftedMC", "shifted", "var", N_CONTROL)
VarBothCorrelatedMC = _mc("VarBothCorrelatedMC", "both_correlated", "var", N_CONTROL)


@claim("C1.variance", r"q\perp k,\ \text{iid components, mean }0,\ \text{variance }1:\quad E[q\cdot k]=0,\quad "
       r"\mathrm{Var}[q\cdot k]=d",
       hypotheses=(r"q\ \text{independent of}\ k", r"E[q_i]=E[k_i]=0,\ \mathrm{Var}=1"))
def c1_variance():
    r"""Exact moments: with \(x_i=q_ik_i\) iid, \(E[x]=0\), \(E[x^2]=1\) (third and fourth moments left symbolic), the
    moments of \(S_d=\sum_ix_i\) follow by the binomial recursion; \(E[S_d]\) and \(E[S_d^2]\) are polynomials in \(d\)
    of degree \(\le1,2\), fixed by \(d=1,2,3\): the exact values of the quantities, for every \(d\).  Monte Carlo at
    \(d=64\): \(10^6\) Rademacher pairs (exact integer arithmetic) and \(10^5\) uniform pairs, within 5 SE."""
    return All((Identity(DotMean(d_), 0, D64), Identity(DotVarRademacher(d_), d_, D64),
                Identity(DotVarUniform(d_), d_, D64)), ("mean (Rademacher)", "Var (Rademacher)", "Var (uniform)"))


@claim("C1.general-formula", r"q\perp k:\ \mathrm{Var}[q\cdot k]=\mathrm{tr}(\Sigma_q\Sigma_k)+\mu_q^\top\Sigma_k\mu_q"
       r"+\mu_k^\top\Sigma_q\mu_k\quad(d\le3\text{ all entries symbolic};\ d=64,\ \Sigma=I,\ \mu=\tfrac12\mathbf 1)",
       hypotheses=(r"q\ \text{independent of}\ k",), uses=("C1.variance",))
def c1_general():
    r"""\(E[(q\cdot k)^2]=\sum_{ij}E[q_iq_j]E[k_ik_j]\) by independence; the \(\mu\mu\mu\mu\) terms cancel against
    \(E[q\cdot k]^2\).  Exact with every entry symbolic for \(d=1,2,3\) (the computation is the same for every \(d\)); at
    \(d=64\), \(\mu=\frac12\) per component, \(\Sigma=I\): exact moments of the iid products (\(3d/2=96\), mean
    \(d/4=16\)) and Monte Carlo."""
    mu = HALF
    parts = [Identity(*second_moment_variance(d)) for d in (1, 2, 3)]
    parts += [Identity(DotVarShifted(d_), d_ + d_ * mu ** 2 + d_ * mu ** 2, D64),
              Identity(DotMeanShifted(d_), d_ * mu ** 2, D64)]
    return All(tuple(parts), ("d=1", "d=2", "d=3", "Var, mu=1/2", "mean, mu=1/2"))


@claim("E1.corrected-independence", r"q\perp k,\ \mu=0,\ \Sigma_k=I:\ \mathrm{Var}[q\cdot k]=\mathrm{tr}\,\Sigma_q=d\ "
       r"\text{even for }q=z\mathbf 1", hypotheses=(r"q\ \text{independent of}\ k",), uses=("C1.general-formula",))
def c1_one_correlated():
    r"""The hypothesis that matters is \(q\perp k\) (with zero means and \(\mathrm{tr}(\Sigma_q\Sigma_k)=d\)); uncorrelated
    unit-variance components in *one* vector suffice: \(q=z\mathbf1\) (all components equal,
    \(E[q_iq_j]=1\)) with \(k\) iid (\(E[k_ik_j]=\delta_{ij}\)) gives \(\sum_{ij}E[q_iq_j]E[k_ik_j]=d\).  Exact and
    Monte Carlo at \(d=64\)."""
    return Identity(DotVarOneCorrelated(d_), d_, D64)


@control("E1.post-independence", r"E[q_i]=E[k_i]=0,\ \mathrm{Var}[q_i]=\mathrm{Var}[k_i]=1\ \Rightarrow\ "
         r"\mathrm{Var}[q\cdot k]=d\quad(\text{independence omitted; }k=q)")
def p4_no_independence():
    r"""The post's wording of C1 lists zero mean and unit variance but not the independence of \(q\) and \(k\);
    \(k=q\) Gaussian satisfies the wording and has \(\mathrm{Var}[q\cdot q]=\sum_i\mathrm{Var}(q_i^2)=2d\)."""
    return Identity(DotVarSame(d_), d_, D64)


@claim("E3.corrected-normality", r"q,k\sim\mathcal N(0,I_d)\ \text{independent}:\ E[(q\cdot k)^4]=3d^2+6d,\ "
       r"\text{kurtosis of }q\cdot k/\sqrt d=3+\frac6d", uses=("C1.variance",))
def c1b_fourth():
    r"""\(E[S^4]=dE[x^4]+3d(d-1)E[x^2]^2\) with \(E[x^4]=E[q^4]E[k^4]=9\): exact moments (a polynomial of degree
    \(\le4\) in \(d\), fixed by \(d=1..5\)) and Monte Carlo (\(10^5\) Gaussian pairs, \(d=64\)); with
    \(\mathrm{Var}=d\) (C1) the kurtosis is \(3+6/d\): only asymptotically normal."""
    return All((Identity(DotFourth(d_), 3 * d_ ** 2 + 6 * d_, D64), Identity(DotFourth(d_) / d_ ** 2, 3 + 6 / d_, D64)),
               ("fourth moment", "kurtosis"))


@control("E3.post-normality", r"q\cdot k/\sqrt d\sim\mathcal N(0,1)\ \text{exactly: kurtosis }3")
def n8_normal():
    r"""Mean 0 and variance 1 do not make \(q\cdot k/\sqrt d\) normal; the post then models scores as \(\mathcal N(0,1)\)."""
    return Identity(DotFourth(d_) / d_ ** 2, 3, D64)


@control("N1.k-equals-q", r"k=q:\ \mathrm{Var}[q\cdot q]=d\quad(\text{Monte Carlo})")
def n1_same():
    r"""Dropping independence: \(\mathrm{Var}[q\cdot q]=2d\) (Monte Carlo only, \(2\cdot10^4\) pairs)."""
    return Identity(VarSameMC(d_), d_, D64)


@control("N2.nonzero-means", r"E[q_i]=E[k_i]=\tfrac12:\ \mathrm{Var}[q\cdot k]=d\quad(\text{Monte Carlo})")
def n2_means():
    r"""Nonzero means add \(\mu_q^\top\Sigma_k\mu_q+\mu_k^\top\Sigma_q\mu_k\): \(96\) at \(d=64\)."""
    return Identity(VarShiftedMC(d_), d_, D64)


@control("N3.both-correlated", r"q=z_1\mathbf 1,\ k=z_2\mathbf 1:\ \mathrm{Var}[q\cdot k]=d\quad(\text{Monte Carlo})")
def n3_both():
    r"""Both vectors with fully correlated components: \(\mathrm{tr}(\mathbf 1\mathbf 1^\top\mathbf 1\mathbf 1^\top)=d^2\)."""
    return Identity(VarBothCorrelatedMC(d_), d_, D64)


# --- the softmax Jacobian and the gradient size --------------------------------------------------

@claim("C2.jacobian", r"J_{ij}=\frac{\partial p_i}{\partial s_j}=\alpha(p_i\delta_{ij}-p_ip_j),\quad "
       r"p_i=\frac{e^{\alpha s_i}}{\sum_je^{\alpha s_j}}\quad(n=4)")
def c2_jacobian():
    r"""Softmax Jacobian by the quotient rule: the exact derivative of \(p_i\) minus the formula, all 16 entries,
    reduces to 0."""
    J, p = jacobian(alpha, s_syms)
    want = sp.Matrix(N_SOFT, N_SOFT, lambda i, j: alpha * (p[i] * (1 if i == j else 0) - p[i] * p[j]))
    return Identity(J, want, {alpha: positive(3), **SCORES}, points=2)


def _gradient_size(a, domain, factor=1):
    lhs, p = gradient_l1(a)
    return Identity(lhs, factor * sp.Abs(a) * (1 - sum(v ** 2 for v in p)), {a: domain, **SCORES}, points=3)


@claim("C3.gradient-size", r"G=\tfrac12\sum_{i,j}|J_{ij}|=|\alpha|\Big(1-\sum_ip_i^2\Big)\quad(n=4,\ \alpha\ne0)",
       uses=("C2.jacobian",), strategies=(signed_abs,))
def c3_gradient_size():
    r"""Diagonal entries \(\alpha(p_i-p_i^2)\) and off-diagonal \(-\alpha p_ip_j\) have opposite signs and
    \(\sum_i(p_i-p_i^2)=\sum_{i\ne j}p_ip_j=1-\sum p_i^2\).  Proved separately for \(\alpha>0\) and \(\alpha<0\): with
    the sign of \(\alpha\) declared, each factored \(J_{ij}\) has a sign SymPy sees (``signed_abs``), the absolute values
    resolve and the sum cancels to the closed form.  (\(\alpha=0\): \(J=0\) and both sides vanish.)"""
    return All((_gradient_size(alpha, positive(4)), _gradient_size(alpha_neg, real(-4, -0.01))), ("alpha>0", "alpha<0"))


@control("N4.forgot-half", r"G=2\alpha\Big(1-\sum_ip_i^2\Big)\quad(\text{forgot the }\tfrac12)", strategies=(signed_abs,))
def n4_forgot_half():
    r"""Twice the gradient size."""
    return _gradient_size(alpha, positive(3), 2)


@control("N4.sum-squared", r"G=\alpha\Big(1-\big(\sum_ip_i\big)^2\Big)=0", strategies=(signed_abs,))
def n4_sum_squared():
    r"""Squaring the sum instead of summing the squares gives 0."""
    lhs, p = gradient_l1(alpha)
    return Identity(lhs, alpha * (1 - sum(p) ** 2), {alpha: positive(3), **SCORES}, points=1)


SmallScaleSlope = quantity("SmallScaleSlope", exact=small_scale_limit, evaluator=na.small_scale_slope,
                           how="the limit itself (SymPy); G/alpha at alpha = 2^(-2 prec)")


@claim("C4.small-scale", r"\lim_{\alpha\to0^+}\frac{G(\alpha;s)}{\alpha}=1-\frac1n,\ \text{so }G=\alpha(1-\tfrac1n)+O(\alpha^2)\to0"
       r"\quad(n=4)", uses=("C3.gradient-size",), strategies=(signed_abs,))
def c4_small_scale():
    r"""Small scale: at \(\alpha=0\) all \(p_i=1/n\), so \(1-\sum p_i^2=1-1/n\); the gradient vanishes linearly.  The limit
    of \(G/\alpha\) as written (absolute values resolved by sign, then SymPy's ``limit``), and numerically at
    \(\alpha=2^{-2p}\)."""
    return Identity(SmallScaleSlope(*s_syms), 1 - sp.Rational(1, N_SOFT), SCORES, points=3)


u1, u2 = sp.symbols("u1 u2", positive=True)


@claim("E2.corrected-unique-max", r"s_1>s_2,s_3:\ 1-\sum_ip_i^2\le2\sum_{j\ge2}e^{-\alpha(s_1-s_j)},\ \text{so }"
       r"G\le2\alpha(n-1)e^{-\alpha g}\to0\quad(n=3)",
       hypotheses=(r"\max_is_i\ \text{attained once},\ g=s_1-\max_{j\ge2}s_j>0",), uses=("C3.gradient-size",))
def c4_unique_max():
    r"""Large scale with a unique maximum: with \(u_j=e^{-\alpha(s_1-s_j)}\in(0,1)\), \(p_1=1/(1+U)\), \(p_j=u_j/(1+U)\),
    \(U=u_2+u_3\); the margin times \((1+U)^2\) is \(4u_2^2+6u_2u_3+4u_3^2+2U^3\ge0\) (exact certificate)."""
    U = u1 + u2
    one_minus = 1 - (1 + u1 ** 2 + u2 ** 2) / (1 + U) ** 2
    cert = (4 * u1 ** 2 + 6 * u1 * u2 + 4 * u2 ** 2 + 2 * U ** 3) / (1 + U) ** 2
    return Inequality(one_minus, "<=", 2 * U, {u1: Domain(0.0, 1.0, "real", open_lo=True),
                                               u2: Domain(0.0, 1.0, "real", open_lo=True)}, certificate=cert)


t_syms = sp.symbols("t0:3", real=True)


@control("E2.post-unique-max", r"\lim_{\alpha\to\infty}G(\alpha;s)=0\ \text{for every fixed }s\quad"
         r"(\text{no unique-maximum hypothesis; }s=(1,1,0))", strategies=(signed_abs,))
def n5_ties():
    r"""The post's "too large a scale kills the gradient", without the unique-maximum hypothesis: with \(r\ge2\) tied
    maxima \(G\sim\alpha(1-1/r)\to\infty\); at \(s=(1,1,0)\) the limit of \(G\) as written is \(+\infty\)."""
    G = gradient_l1(alpha, t_syms)[0].subs(dict(zip(t_syms, (1, 1, 0))))
    return Identity(sp.Limit(G, alpha, sp.oo), 0)


# --- Gaussian scores: MGF, stationarity, Lambert W ------------------------------------------------

GaussMGF = quantity("GaussMGF", exact=gauss_mgf_exact, how="SymPy integrate")
def _quadrature(point):
    return na.gauss_mgf_quad(point[alpha])


QUADRATURE = Oracle("mpmath quad of the Gaussian density", _quadrature, side="lhs")


@claim("C5.gaussian-mgf", r"s\sim\mathcal N(0,1):\ E[e^{\alpha s}]=\int_{\mathbb R}e^{\alpha x}\varphi(x)\,dx=e^{\alpha^2/2}",
       oracles=(QUADRATURE,))
def c5_gaussian_mgf():
    r"""Gaussian moment-generating function (completing the square): the integral of \(e^{\alpha x}\varphi(x)\) over
    \(\mathbb R\) by SymPy for every \(\alpha>0\) against the post's closed form, with mpmath's quadrature of the
    density as an oracle."""
    return Identity(GaussMGF(alpha), sp.exp(alpha ** 2 / 2), {alpha: positive(3)}, points=3)


@claim("C5.ratio", r"R(\alpha)=\frac{E[e^{2\alpha s}]}{E[e^{\alpha s}]^2}=e^{\alpha^2},\quad"
       r"\tilde f_n(\alpha)=\alpha\Big(1-\frac{e^{\alpha^2}}n\Big)", uses=("C5.gaussian-mgf",))
def c5_ratio():
    r"""The mean-field ratio from the MGF at \(\alpha\) and \(2\alpha\) (both by SymPy's integral)."""
    return Identity(GaussMGF(2 * alpha) / GaussMGF(alpha) ** 2, sp.exp(alpha ** 2), {alpha: positive(3)}, points=3)


@control("N6.lost-half", r"E[e^{\alpha s}]=e^{\alpha^2}\ \text{(lost the }\tfrac12\text{)}", oracles=(QUADRATURE,))
def n6_lost_half():
    r"""Dropping the \(\tfrac12\) changes the surrogate to \(\alpha(1-e^{2\alpha^2}/n)\) and its maximiser at \(n=1000\)
    from 2.1419 to 1.5146."""
    return Identity(GaussMGF(alpha), sp.exp(alpha ** 2), {alpha: positive(3)}, points=3)


@claim("C6.stationarity", r"n\,\tilde f_n'(\alpha)=n-e^{\alpha^2}(1+2\alpha^2),\qquad "
       r"\tilde f_n(\alpha)=\alpha\Big(1-\frac{e^{\alpha^2}}n\Big)", uses=("C5.ratio",))
def c6_stationarity():
    r"""Stationarity: \(\tilde f_n'=0\iff e^{\alpha^2}(1+2\alpha^2)=n\)."""
    return Identity(n_ * sp.diff(surrogate(alpha, n_), alpha), n_ - sp.exp(alpha ** 2) * (1 + 2 * alpha ** 2),
                    {alpha: positive(3), n_: Domain(2.0, 1e5)}, points=3)


@claim("C6.unique-root", r"\frac{d}{d\alpha}\big[e^{\alpha^2}(1+2\alpha^2)\big]=2\alpha e^{\alpha^2}(3+2\alpha^2)\ge0\ "
       r"(\alpha>0),\quad\tilde f_n'(0)=1-\tfrac1n>0\ (n>1)", uses=("C6.stationarity",))
def c6_unique_root():
    r"""\(e^{\alpha^2}(1+2\alpha^2)\) increases from 1 to \(\infty\), so for \(n>1\) the stationarity equation has exactly one
    positive root, where \(\tilde f_n'\) changes sign from + to -: the maximum.  The derivative and \(\tilde f_n'(0)\)
    by SymPy against the stated forms, whose signs are manifest (\(n=1+m\), \(m>0\))."""
    g = sp.exp(alpha ** 2) * (1 + 2 * alpha ** 2)
    slope = 2 * alpha * sp.exp(alpha ** 2) * (3 + 2 * alpha ** 2)
    m = sp.Symbol("m", positive=True)
    at0 = sp.diff(surrogate(alpha, 1 + m), alpha).subs(alpha, 0)
    dom = {alpha: positive(5)}
    return All((Identity(sp.diff(g, alpha), slope, dom), Inequality(slope, ">=", 0, dom),
                Identity(at0, 1 - 1 / (1 + m), {m: positive(1e4)}), Inequality(1 - 1 / (1 + m), ">", 0, {m: positive(1e4)})),
               ("derivative", "increasing", "slope at 0", "positive at 0"))


@claim("C7.lambert-closed-form", r"\alpha^{*2}=W_0\Big(\frac{n\sqrt e}{2}\Big)-\frac12\ \text{solves}\ "
       r"e^{\alpha^2}(1+2\alpha^2)=n\quad(n>1)", uses=("C6.stationarity", "C6.unique-root"), strategies=(lambert_exp,))
def c7_closed_form():
    r"""Closed form (the post solves numerically): with \(y=\alpha^2+\frac12\), \(e^{y-1/2}\,2y=n\iff ye^y=n\sqrt e/2\).
    SymPy needs \(e^{W(z)}=z/W(z)\) (``lambert_exp``); by C6 this root is the unique maximiser."""
    a2 = sp.LambertW(n_ * sp.sqrt(sp.E) / 2) - HALF
    return Identity(sp.exp(a2) * (1 + 2 * a2), n_, {n_: Domain(1.5, 1e5)}, points=4)


StationaryRoot = quantity("StationaryRoot", evaluator=na.stationary_root,
                          how="mpmath findroot of e^(a^2)(1+2a^2) = n on [0, sqrt(ln n)]")
GAUSS_TABLE = {40: "1.43419886077", 100: "1.65447492706", 500: "2.00355358334", 512: "2.00839489983",
               1000: "2.14190773094", 2048: "2.27867260506", 4096: "2.40546330061", 10000: "2.56171958468",
               20000: "2.67818502900", 100000: "2.93434242341"}


@claim("C7.table", r"\alpha^*(n)=\text{root of }e^{\alpha^2}(1+2\alpha^2)=n=\sqrt{W_0(n\sqrt e/2)-\tfrac12}:\ "
       r"1.43419886077\ (n=40),\ \dots,\ 2.93434242341\ (n=10^5)", uses=("C7.lambert-closed-form",))
def c7_table():
    r"""At the spec's ten key counts: the root of the stationarity equation found by bracketing (no Lambert W) equals
    the closed form, and both equal the spec's 12-digit reference values."""
    parts, labels = [], []
    for n, v in GAUSS_TABLE.items():
        parts += [Identity(StationaryRoot(n), alpha_star_expr(n)), Approximation(alpha_star_expr(n), stated(v))]
        labels += [f"n={n}: root", f"n={n}: value"]
    return All(tuple(parts), tuple(labels))


AlphaStarSquared = quantity("AlphaStarSquared", exact=alpha_star_squared, evaluator=na.alpha_star_squared,
                            how="C7's closed form W0(n sqrt(e)/2) - 1/2")


@claim("C7.asymptotics", r"\alpha^{*2}=\ln n-\ln\ln n-\ln2+o(1),\qquad \frac{\alpha^*}{\sqrt{\ln n}}\to1",
       uses=("C7.lambert-closed-form",), strategies=(lambert_parametrisation,))
def c7_asymptotics():
    r"""Asymptotics of \(W_0\) applied to \(\alpha^{*2}\) (C7's closed form, a quantity: the claim is the asymptotic
    formula): with \(n=2we^{w-1/2}\) (so \(\alpha^{*2}=w-\frac12\)) the gap is \(\ln\frac{w+\ln w+\ln2-1/2}{w}\to0\)
    (SymPy ``limit``), stated as \(e^{\text{gap}}\to1\) (the same, \(\exp\) being continuous) so that a wrong
    constant in the formula gives an algebraic limit \(\ne1\), which the engine recognises as exactly nonzero
    (\(\ln\frac32\) it would not).  Slowly: the gap is still 0.13 at \(n=10^{12}\)."""
    n = sp.Symbol("n", positive=True)
    a2 = AlphaStarSquared(n)
    return All((Identity(sp.Limit(sp.exp(a2 - (sp.log(n) - sp.log(sp.log(n)) - sp.log(2))), n, sp.oo), 1),
                Identity(sp.Limit(sp.sqrt(a2) / sp.sqrt(sp.log(n)), n, sp.oo), 1)), ("gap", "ratio"))


FIT_N = tuple(range(40, 20001, 40))
GaussFitCoefficient = quantity("GaussFitCoefficient", evaluator=partial(na.gauss_fit_coefficient, FIT_N),
                               how="least squares of the closed form over n = 40, 80, ..., 20000")


def _gauss_fit_error(n):
    return sp.Rational(84, 100) * sp.sqrt(sp.log(n)) / alpha_star_expr(n) - 1


@claim("C8.fit", r"\alpha^*\approx0.84\sqrt{\ln n}\ \text{on }n\in\{40,80,\dots,20000\}:\ \text{LS coefficient }0.8413,\ "
       r"\text{relative error from }-1.3\%\ (n=20000)\text{ to }+12.5\%\ (n=40)", uses=("C7.lambert-closed-form",),
       digits=10)
def c8_fit():
    r"""The post's fit: its coefficient 0.84 at its printed precision (\(\pm0.005\)) is the least-squares coefficient of
    \(\alpha^*\) against \(\sqrt{\ln n}\) over the range (spec: 0.8413); the relative error of \(0.84\sqrt{\ln n}\) falls
    with \(n\) (\(\alpha^*/\sqrt{\ln n}\) increases to 1), so its extremes are at the ends: the spec's \(+12.5\%\) and
    \(-1.3\%\).  Ten digits suffice for numbers stated to two to four."""
    return All((Approximation(GaussFitCoefficient(), stated("0.84")),
                Approximation(GaussFitCoefficient(), stated("0.8413")),
                Approximation(_gauss_fit_error(40), stated("0.125")),
                Approximation(_gauss_fit_error(20000), stated("-0.013"))),
               ("post: 0.84", "LS coefficient", "error at n=40", "error at n=20000"))


@claim("C8.range-2-3", r"2\le\alpha^*\le3\iff 9e^4\le n\le19e^9\quad(491.38\le n\le153958.6)", uses=("C7.lambert-closed-form",),
       strategies=(lambert_inverse,))
def c8_range():
    r"""The post's "\(\alpha^*\) lies in 2~3 over a wide range", made exact: \(\alpha^*=a\) at \(n=e^{a^2}(1+2a^2)\), and
    \(\alpha^*\) increases with \(n\) (C6).  \(W_0(ye^y)=y\) for \(y=\frac92,\frac{19}2\ge-1\)."""
    lo, hi = 9 * sp.exp(4), 19 * sp.exp(9)
    return All((Identity(alpha_star_expr(lo), 2), Identity(alpha_star_expr(hi), 3),
                Approximation(lo, stated("491.38")), Approximation(hi, stated("153958.6"))),
               ("alpha*(9e^4)", "alpha*(19e^9)", "9e^4", "19e^9"))


@control("N7.sqrt-log", r"\alpha^*=\sqrt{\ln n}")
def n7_sqrt_log():
    r"""Leading asymptotics taken as exact: at \(n=1000\), \(\sqrt{\ln n}=2.6283\) but \(\alpha^*=2.1419\)."""
    n = sp.Symbol("n", positive=True, integer=True)
    return Identity(alpha_star_expr(n), sp.sqrt(sp.log(n)), {n: integers(40, 20000)}, points=2)


@control("N7.fit-exact", r"\alpha^*=0.84\sqrt{\ln n}\ \text{exactly}")
def n7_fit_exact():
    r"""The fit taken as an identity: off by 12.5% at \(n=40\)."""
    n = sp.Symbol("n", positive=True, integer=True)
    return Identity(alpha_star_expr(n), sp.Rational(84, 100) * sp.sqrt(sp.log(n)), {n: integers(40, 41)}, points=1)


# --- cosine scores ------------------------------------------------------------------------------

@claim("C9.taylor-coefficients", r"\frac{E[s^{2k}]}{(2k)!}=\frac{\Gamma(\tfrac d2)}{4^kk!\,\Gamma(k+\tfrac d2)}"
       r"=[\alpha^{2k}]\,\Gamma(\tfrac d2)\big(\tfrac2\alpha\big)^{d/2-1}I_{d/2-1}(\alpha)", uses=("C9.moments",),
       strategies=(duplication,))
def c9_taylor():
    r"""Both sides of C9 are entire in \(\alpha\): the density side has Taylor coefficients \(E[s^{2k}]/(2k)!\) (odd
    moments vanish), the Bessel side \(\Gamma(d/2)/(4^kk!\Gamma(k+d/2))\) from \(I_\nu(x)=\sum_k(x/2)^{2k+\nu}/(k!
    \Gamma(k+\nu+1))\).  Equal for every \(k\) and \(d\) by the duplication formula
    \(\Gamma(k+\frac12)=\sqrt\pi(2k)!/(4^kk!)\), so \(M_d(\alpha)=\Gamma(\frac d2)(\frac2\alpha)^{d/2-1}I_{d/2-1}(\alpha)\)."""
    bessel = sp.gamma(d_ / 2) / (4 ** k_ * sp.factorial(k_) * sp.gamma(k_ + d_ / 2))
    return Identity(moment_formula(k_, d_) / sp.factorial(2 * k_), bessel, {d_: integers(2, 200), k_: integers(0, 30)})


CosineMoment = quantity("CosineMoment", exact=moment_integral, evaluator=na.cosine_even_moment_quad,
                        how="the integral of the density (SymPy); mpmath quad")


@claim("C9.moments", r"E[s^{2k}]=\int_{-1}^1s^{2k}\rho_d(s)\,ds=\frac{\Gamma(\tfrac d2)\Gamma(k+\tfrac12)}{\sqrt\pi\,"
       r"\Gamma(k+\tfrac d2)};\quad \rho_d(-s)=\rho_d(s)\ (E[s]=0),\quad \mathrm{Var}[s]=\frac1d",
       hypotheses=(r"s=\cos\angle(q,k),\ k\ \text{isotropic}",), strategies=(duplication,))
def c9_moments():
    r"""The Beta integral, exactly at odd \(d=3,5,7\) for \(k\le2\) (SymPy integrates each) and numerically; the density
    is even, so odd moments vanish; at \(k=1\) the formula gives \(\mathrm{Var}[s]=1/d\) for every \(d\)."""
    cases = [(d, k) for d in (3, 5, 7) for k in range(3)]
    parts = [Identity(CosineMoment(k, d), moment_formula(k, d)) for d, k in cases]
    parts += [Identity(cosine_density(d_, -s_), cosine_density(d_), {d_: integers(2, 200), s_: real(-1, 1)}),
              Identity(moment_formula(1, d_), 1 / d_, {d_: integers(2, 200)})]
    return All(tuple(parts), tuple(f"d={d}, k={k}" for d, k in cases) + ("even density", "variance"))


CosineMGF = quantity("CosineMGF", exact=cosine_mgf_integral, how="SymPy integrate")
CosineMGFQuad = quantity("CosineMGFQuad", evaluator=na.cosine_mgf_quad,
                         how="mpmath quad of the density")
COS_MGF_AT = ((4, sp.Integer(10)), (128, sp.Integer(30)))


@claim("C9.mgf", r"M_d(\alpha)=E[e^{\alpha s}]=\Gamma(\tfrac d2)\big(\tfrac2\alpha\big)^{d/2-1}I_{d/2-1}(\alpha)\quad"
       r"(d=3;\ d=4,128\text{ at }\alpha=10,30)", hypotheses=(r"s=\cos\angle(q,k),\ k\ \text{isotropic}",),
       uses=("C9.taylor-coefficients",), strategies=(half_integer_bessel,))
def c9_mgf():
    r"""The cosine-score MGF against the Bessel form: exactly at \(d=3\) for every \(\alpha\) (SymPy integrates the
    density to \(\sinh\alpha/\alpha\); ``half_integer_bessel``), numerically (quadrature of the density against mpmath's
    ``besseli``) at \(d=4\) and \(d=128\); the identity for every \(d\) is C9's Taylor coefficients."""
    parts = [Identity(CosineMGF(alpha, 3), bessel_form(alpha, 3), {alpha: positive(30)}, points=3)]
    parts += [Identity(CosineMGFQuad(a, d), bessel_form(a, d)) for d, a in COS_MGF_AT]
    return All(tuple(parts), ("d=3", *(f"d={d}, alpha={a}" for d, a in COS_MGF_AT)))


C10_N = tuple(range(40, 19921, 280))     # 72 key counts
CosineFitCoefficient = quantity("CosineFitCoefficient", evaluator=partial(na.cosine_fit_coefficient, C10_N),
                                how="least squares of alpha* (Newton on n(alpha)) over n = 40, 320, ..., 19920")
CosineAlphaStar = quantity("CosineAlphaStar", evaluator=na.cosine_alpha_star,
                           how="Newton's method on ln n(alpha) = ln n, M_d by its series")
CosineNOfAlpha = quantity("CosineNOfAlpha", evaluator=na.cosine_n_of_alpha,
                          how="n = d/dalpha[alpha R(alpha)], M_128 by its series")
CosineLogNSlope = quantity("CosineLogNSlope", evaluator=na.cosine_log_n_slope,
                           how="d ln n / d alpha, M_128 by its series")


def _cosine_fit_error(n):
    return sp.Rational(7, 2) * sp.log(n) / CosineAlphaStar(n, 128) - 1


@claim("C10.fit", r"d=128:\ \alpha^*\approx3.5\ln n\ \text{on }40\le n\le19920:\ \text{LS coefficient }3.488,\ "
       r"\text{relative error from }-23\%\ (n=40)\text{ to }+3\%", uses=("C6.stationarity", "C9.mgf"), digits=10)
def c10_fit():
    r"""Cosine optimum: \(\alpha^*\) solves \(n=\frac{d}{d\alpha}[\alpha R(\alpha)]\), \(R=M_{128}(2\alpha)/M_{128}(\alpha)^2\).
    The post's coefficient 3.5 at its printed precision (\(\pm0.05\)) is the least-squares coefficient over the 72
    key counts \(40,320,\dots,19920\) (spec: 3.488); \(\alpha^*/\ln n\) falls with \(n\), so the relative error of
    \(3.5\ln n\) rises from the spec's \(-23\%\) at \(n=40\) to \(+3\%\) at \(n=19920\).  Ten digits suffice for
    numbers stated to two to four."""
    return All((Approximation(CosineFitCoefficient(), stated("3.5")),
                Approximation(CosineFitCoefficient(), stated("3.488")),
                Approximation(_cosine_fit_error(40), stated("-0.23")),
                Approximation(_cosine_fit_error(19920), stated("0.03"))),
               ("post: 3.5", "LS coefficient", "error at n=40", "error at n=19920"))


COS_TABLE = {(40, 128): "16.81043514", (100, 128): "19.58627009", (500, 128): "24.14879268",
             (1000, 128): "26.02059669", (2048, 128): "27.91048089", (4096, 128): "29.70018252",
             (10000, 128): "31.95919813", (20000, 128): "33.68382484", (1000, 64): "19.712017", (1000, 256): "35.526475"}


@claim("C10.table", r"\alpha^*_d(n):\ 16.81043514\ (n=40),\ \dots,\ 33.68382484\ (n=20000),\ d=128;\ "
       r"19.712017\ (d=64),\ 35.526475\ (d=256),\ n=1000", uses=("C6.stationarity", "C9.mgf"), digits=20)
def c10_table():
    r"""The spec's reference values of the cosine optimum (10 and 8 digits): \(\alpha^*\) grows with \(d\), hence
    cos-softmax needs scale \(\approx30\).  Twenty digits suffice for numbers stated to ten."""
    return All(tuple(Approximation(CosineAlphaStar(n, d), stated(v)) for (n, d), v in COS_TABLE.items()),
               tuple(f"n={n}, d={d}" for n, d in COS_TABLE))


@claim("C10.range-25-35", r"d=128:\ 25\le\alpha^*\le35\iff683.78\le n\le34149.4\quad(\alpha^*=30\text{ at }n=4606.13)",
       uses=("C10.table",), digits=20)
def c10_range():
    r"""The post's "25~35", made exact: \(n(\alpha)\) at \(\alpha=25,30,35\) (explicit, derivation step 9) against the
    spec's values, and \(n(\alpha)\) increasing on \([16,36]\) (sampled), so the interval of \(\alpha^*\) is the
    interval of \(n\)."""
    return All((Approximation(CosineNOfAlpha(25), stated("683.78")), Approximation(CosineNOfAlpha(35), stated("34149.4")),
                Approximation(CosineNOfAlpha(30), stated("4606.13")),
                Inequality(CosineLogNSlope(alpha), ">", 0, {alpha: real(16, 36)}, points=8)),
               ("n(25)", "n(35)", "n(30)", "n increasing"))


# --- the mean-field step and the expected gradient (C12, spec P1) ---------------------------------

MF_N = 1000
MeanSumP2 = quantity("MeanSumP2", estimator=na.mean_field_estimate,
                     how=f"Monte Carlo, {na.MF_DRAWS} score vectors of iid N(0,1)")


@claim("C12.mean-field", r"E\Big[\sum_ip_i^2\Big]=\frac{R(\alpha)}n\Big(1+\frac{\delta(\alpha)}n\Big)+O(n^{-3}),\ "
       r"R=e^{\alpha^2},\ \delta=3(e^{\alpha^2}-1)-2(e^{2\alpha^2}-1)\quad(\alpha=\tfrac12,1;\ n=1000)",
       uses=("C5.ratio",))
def p1_mean_field():
    r"""The post's mean-field step replaces the sample means of \(e^{2\alpha s}\) and \(e^{\alpha s}\) by expectations:
    \(R(\alpha)/n\) is the leading term; the delta method gives the next one, \(\delta/n\) relative (\(-0.76\%\) at
    \(\alpha=1\), \(n=1000\)).  Monte Carlo (\(10^4\) score vectors, with the linearised sum as a control
    variate) within 5 SE; the remainder, of relative size \(O(n^{-2})\), measured with \(4\cdot10^5\) vectors, is
    \(2\cdot10^{-4}\) at \(\alpha=1\) (about one standard error) and \(10^{-7}\) at \(\alpha=\frac12\)."""
    return family(lambda a: Identity(MeanSumP2(a, MF_N), sp.exp(a ** 2) / MF_N * (1 + mean_field_correction(a) / MF_N)),
                  alpha=(HALF, sp.Integer(1)))


@control("N10.mean-field-at-optimum", r"E\Big[\sum_ip_i^2\Big]=\frac{R(\alpha^*)}n\ \text{at }\alpha=\alpha^*\ (n=1000)")
def p1_mean_field_at_optimum():
    r"""At the optimum the lognormal tail of \(e^{2\alpha s}\) breaks the mean field: the surrogate's
    \(e^{\alpha^{*2}}/n\) is about 2.4 times the Monte Carlo mean (spec P1)."""
    a = alpha_star_expr(MF_N)
    return Identity(MeanSumP2(a, MF_N), sp.exp(a ** 2) / MF_N)


GradientGain = quantity("GradientGain", estimator=na.gain_estimate,
                        how=f"Monte Carlo, {na.GAIN_DRAWS} score vectors, common random numbers")


@claim("E4.corrected-expected-gradient", r"\alpha^*=\arg\max\tilde f_n\ \text{(mean-field surrogate)};\ "
       r"E[G(2\alpha^*)]>E[G(\alpha^*)]\ (n=100,1000)", uses=("C7.lambert-closed-form", "C12.mean-field"))
def p1_expected_gradient():
    r"""What \(\alpha^*\) is: the maximiser of \(\tilde f_n\) (C6, C7).  The expected gradient size has no peak near it:
    \(E[G]\) at \(2\alpha^*\) exceeds \(E[G]\) at \(\alpha^*\) (Monte Carlo, one estimator of the difference with common
    random numbers); it plateaus near the density of the top-two gap at larger \(\alpha\)."""
    return family(lambda n: Inequality(GradientGain(n), ">", 0), n=(100, 1000))


@control("E4.post-expected-gradient", r"\alpha^*=\arg\max_\alpha E[G(\alpha;s)],\ s_i\ \text{iid}\ \mathcal N(0,1):\ "
         r"E[G(2\alpha^*)]\le E[G(\alpha^*)]\ (n=1000)")
def n9_expected_gradient():
    r"""The post's reading of \(\alpha^*\) as the scale maximising the expected gradient implies
    \(E[G(2\alpha^*)]\le E[G(\alpha^*)]\)."""
    return Inequality(GradientGain(1000), "<=", 0)


# --- results ------------------------------------------------------------------------------------

def results():
    with mpmath.workdps(20):
        gauss = r",\ ".join(f"\\alpha^*({n})={mpmath.nstr(na.alpha_star_lambert(n), 12)}" for n in (100, 1000, 4096))
        cos = r",\ ".join(f"\\alpha^*_{{128}}({n})={mpmath.nstr(na.cosine_alpha_star(n, 128), 10)}" for n in (1000, 4096))
    return [
        ("score variance", r"\mathrm{Var}[q\cdot k]=\mathrm{tr}(\Sigma_q\Sigma_k)+\mu_q^\top\Sigma_k\mu_q+\mu_k^\top\Sigma_q\mu_k"
                           r"\ \overset{\mu=0,\ \Sigma=I}{=}\ d,\qquad E[(q\cdot k)^4]=3d^2+6d"),
        ("gradient size", r"J=\alpha(\mathrm{diag}(p)-pp^\top),\qquad G=\tfrac12\|J\|_1=|\alpha|\Big(1-\sum_ip_i^2\Big)"),
        ("Gaussian optimum", r"\alpha^{*2}=W_0\Big(\frac{n\sqrt e}2\Big)-\frac12,\quad " + gauss),
        ("cosine MGF", r"M_d(\alpha)=\Gamma(\tfrac d2)\big(\tfrac2\alpha\big)^{d/2-1}I_{d/2-1}(\alpha),\quad " + cos),
        ("fits", r"\alpha^*\approx0.84\sqrt{\ln n}\ (\text{LS }0.8413),\qquad \alpha^*_{128}\approx3.5\ln n\ "
                 r"(\text{LS }3.488)"),
    ]
