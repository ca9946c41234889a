r"""The exact algebra of the attention-scale post: moments of \(q\cdot k\) by the binomial recursion, the softmax
Jacobian and gradient size, the Gaussian and cosine MGFs by SymPy's integrals, the Lambert-W optimum, and the
named rewrite strategies the claims hand to the engine (each applied to a statement's own difference; only an
exact 0 proves).
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derivations.engine import real

N_SOFT = 4                # keys in the symbolic softmax checks
HALF = sp.Rational(1, 2)
d_ = sp.Symbol("d", positive=True, integer=True)
alpha = sp.Symbol("alpha", positive=True)
alpha_neg = sp.Symbol("alpha", negative=True)
n_ = sp.Symbol("n", positive=True)


# --- exact moments of q.k -------------------------------------------------------------------------

def sum_moments(d: int, p: int, mx: dict) -> list:
    r"""\(E[S_d^j]\), \(j=0..p\), for \(S_d=\sum_{i=1}^dx_i\) with iid \(x_i\) of raw moments ``mx[a]`` \(=E[x^a]\):
    \(E[S_t^j]=\sum_{r}\binom jrE[S_{t-1}^r]\,E[x^{j-r}]\) (independence), exact."""
    s = [sp.Integer(1)] + [sp.Integer(0)] * p
    for _ in range(d):
        s = [sp.expand(sum(sp.binomial(j, r) * s[r] * mx[j - r] for r in range(j + 1))) for j in range(p + 1)]
    return s


def product_moments(mq: dict, mk: dict, p: int) -> dict:
    r"""\(E[(q_ik_i)^a]=E[q_i^a]E[k_i^a]\) for independent \(q_i,k_i\)."""
    return {a: mq[a] * mk[a] for a in range(p + 1)}


def poly_in_d(p: int, value_at, d=d_) -> sp.Expr:
    r"""The polynomial in \(d\) of degree \(\le p\) through ``value_at(d)``, \(d=1..p+1\).  For iid summands
    \(E[S_d^p]=\sum_\pi (d)_{|\pi|}\prod_{B\in\pi}E[x^{|B|}]\) over set partitions \(\pi\) of \(\{1..p\}\), a polynomial
    in \(d\) of degree \(\le p\): \(p+1\) exact values determine it for every \(d\)."""
    return sp.expand(sp.interpolate([(k, value_at(k)) for k in range(1, p + 2)], d))


mu3, mu4 = sp.symbols("mu3 mu4", real=True)
UNIT = {0: 1, 1: 0, 2: 1, 3: mu3, 4: mu4}          # mean 0, variance 1, any higher moments
GAUSS = {0: 1, 1: 0, 2: 1, 3: 0, 4: 3, 5: 0, 6: 15, 7: 0, 8: 105}


def shifted_gauss(mu, p: int) -> dict:
    r"""Raw moments of \(\mathcal N(\mu,1)\): \(E[(\mu+z)^a]=\sum_j\binom aj\mu^{a-j}E[z^j]\)."""
    return {a: sp.expand(sum(sp.binomial(a, j) * mu ** (a - j) * GAUSS[j] for j in range(a + 1))) for a in range(p + 1)}


def central_moments(mx: dict):
    r"""\((E[S_d],\ \mathrm{Var}[S_d])\) as polynomials in \(d\) for iid summands of raw moments ``mx``."""
    mean = poly_in_d(1, lambda d: sum_moments(d, 1, mx)[1])
    second = poly_in_d(2, lambda d: sum_moments(d, 2, mx)[2])
    return mean, sp.expand(second - mean ** 2)


def polynomial_at(value, d):
    """The polynomial ``value`` in \\(d\\) at ``d``; ``functools.partial(polynomial_at, value)`` is a quantity's
    ``exact=`` (a partial of a module function pickles, as the engine's workers need)."""
    return value.subs(d_, d)


MEAN_UNIT, VAR_UNIT = central_moments(product_moments(UNIT, UNIT, 2))
MEAN_SHIFT, VAR_SHIFT = central_moments(product_moments(shifted_gauss(HALF, 2), shifted_gauss(HALF, 2), 2))
FOURTH_GAUSS = poly_in_d(4, lambda d: sum_moments(d, 4, product_moments(GAUSS, GAUSS, 4))[4])
# k = q: q.q = sum of the iid q_i^2, whose raw moments are E[q^(2a)]
_, VAR_SAME = central_moments({a: GAUSS[2 * a] for a in range(3)})


def exchangeable_variance(d, eq, ek):
    r"""\(\mathrm{Var}[q\cdot k]=\sum_{i,j}E[q_iq_j]E[k_ik_j]\) for \(q\perp k\) with zero means and exchangeable
    second moments: ``eq = (E[q_i^2], E[q_iq_j])`` (\(i\ne j\)), the same for ``ek``: \(d\) diagonal and \(d(d-1)\)
    off-diagonal pairs."""
    return sp.expand(d * eq[0] * ek[0] + d * (d - 1) * eq[1] * ek[1])


def second_moment_variance(d: int):
    r"""\(\mathrm{Var}[q\cdot k]=\sum_{ij}E[q_iq_j]E[k_ik_j]-(\mu_q\cdot\mu_k)^2\) for \(q\perp k\), every entry of the
    means and covariances a symbol, \(E[q_iq_j]=\Sigma_{q,ij}+\mu_{q,i}\mu_{q,j}\); and the post's
    \(\mathrm{tr}(\Sigma_q\Sigma_k)+\mu_q^\top\Sigma_k\mu_q+\mu_k^\top\Sigma_q\mu_k\)."""
    mq, mk = sp.Matrix(sp.symbols(f"m0:{d}", real=True)), sp.Matrix(sp.symbols(f"u0:{d}", real=True))
    Sq = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"S{min(i, j)}{max(i, j)}", real=True))
    Sk = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"T{min(i, j)}{max(i, j)}", real=True))
    Eq, Ek = Sq + mq * mq.T, Sk + mk * mk.T
    var = sum(Eq[i, j] * Ek[i, j] for i in range(d) for j in range(d)) - mq.dot(mk) ** 2
    formula = (Sq * Sk).trace() + (mq.T * Sk * mq)[0, 0] + (mk.T * Sq * mk)[0, 0]
    return var, formula


# --- the softmax Jacobian and the gradient size ------------------------------------------------

s_syms = sp.symbols(f"s0:{N_SOFT}", real=True)
SCORES = {v: real(-2, 2) for v in s_syms}


def softmax(a, s):
    e = [sp.exp(a * v) for v in s]
    Z = sum(e)
    return [v / Z for v in e]


def jacobian(a, s):
    r"""\(J_{ij}=\partial p_i/\partial s_j\) by SymPy ``diff`` of the softmax over a common denominator (so that
    \(J_{ii}\propto e^{\alpha s_i}\sum_{j\ne i}e^{\alpha s_j}\) is evaluated without cancellation), and \(p\)."""
    p = softmax(a, s)
    return sp.Matrix(len(s), len(s), lambda i, j: sp.together(sp.diff(p[i], s[j]))), p


def gradient_l1(a, s=s_syms):
    r"""\(G=\frac12\sum_{ij}|J_{ij}|\) from the Jacobian, as written (absolute values unresolved), and \(p\)."""
    J, p = jacobian(a, s)
    return sum(sp.Abs(J[i, j]) for i in range(len(s)) for j in range(len(s))) / 2, p


def signed_abs(diff):
    """|x| -> +x or -x where the factored x has a sign SymPy sees (exponentials are positive), then evaluate and cancel."""
    e = diff.replace(lambda t: isinstance(t, sp.Abs), lambda t: sp.Abs(sp.factor(t.args[0])))
    if e.has(sp.Abs):
        return e
    return sp.cancel(sp.together(e.doit()))


def small_scale_limit(*s):
    return sp.Limit(gradient_l1(alpha, s_syms)[0].subs(dict(zip(s_syms, s))) / alpha, alpha, 0, "+")


# --- Gaussian scores: the MGF by SymPy, the surrogate, Lambert W ----------------------------------

x_ = sp.Symbol("x", real=True)
PHI = sp.exp(-x_ ** 2 / 2) / sp.sqrt(2 * sp.pi)


t_pos = sp.Symbol("t", positive=True)


@lru_cache(maxsize=None)
def _gauss_mgf_integral():
    r"""\(\int_{\mathbb R}e^{tx}\varphi(x)\,dx\), \(t>0\), by SymPy's ``integrate`` (the integral converges, so its
    convergence conditions are not asked for), erfc written with erf, expanded."""
    return sp.expand(sp.integrate(sp.exp(t_pos * x_) * PHI, (x_, -sp.oo, sp.oo), conds="none").rewrite(sp.erf))


def gauss_mgf_exact(a):
    r"""\(E[e^{as}]\), \(s\sim\mathcal N(0,1)\): SymPy's integral at \(t=a\)."""
    return _gauss_mgf_integral().subs(t_pos, a)


# Computed once at import (about a second): the engine forks a worker per claim and per mutant, and every one of
# them would otherwise integrate again, inside its phase's time budget.
_gauss_mgf_integral()


def surrogate(a, n):
    r"""\(\tilde f_n(\alpha)=\alpha(1-e^{\alpha^2}/n)\)."""
    return a * (1 - sp.exp(a ** 2) / n)


def alpha_star_squared(n):
    r"""\(\alpha^{*2}=W_0(n\sqrt e/2)-1/2\) (C7)."""
    return sp.LambertW(n * sp.sqrt(sp.E) / 2) - HALF


def alpha_star_expr(n):
    r"""\(\alpha^*=\sqrt{W_0(n\sqrt e/2)-1/2}\)."""
    return sp.sqrt(sp.LambertW(n * sp.sqrt(sp.E) / 2) - HALF)


def lambert_exp(diff):
    """e^{W(z)} -> z/W(z) (the definition W e^W = z), after splitting exponentials of sums; then cancel."""
    e = sp.expand_power_exp(sp.expand(diff))
    for w in e.atoms(sp.LambertW):
        e = e.subs(sp.exp(w), w.args[0] / w)
    return sp.cancel(sp.expand(e))


def lambert_inverse(diff):
    """W0(y e^y) -> y where y >= -1 (W0 inverts y e^y there), then cancel."""
    def inverse(w):
        arg = sp.powsimp(sp.expand(w.args[0]))
        exps = [f for f in sp.Mul.make_args(arg) if isinstance(f, sp.exp)]
        if len(w.args) == 1 and len(exps) == 1:
            y = exps[0].args[0]
            if sp.simplify(arg / exps[0] - y) == 0 and (y + 1).is_nonnegative:
                return y
        return w
    return sp.cancel(sp.expand(diff.replace(lambda t: isinstance(t, sp.LambertW), inverse)))


def lambert_parametrisation(diff):
    """n = 2w e^(w-1/2) (increasing, n -> oo iff w -> oo) makes W0(n sqrt(e)/2) = w: a limit n -> oo becomes w -> oo."""
    w = sp.Dummy("w", positive=True)

    def over_w(lim):
        f, var, to = lim.args[0], lim.args[1], lim.args[2]
        if to is not sp.oo:
            return lim
        g = sp.logcombine(lambert_inverse(f.subs(var, 2 * w * sp.exp(w - HALF))), force=True)  # w > 0
        return sp.Limit(g, w, sp.oo)

    return sp.cancel(diff.replace(lambda t: isinstance(t, sp.Limit), over_w).doit())


# --- cosine scores ----------------------------------------------------------------------------

k_ = sp.Symbol("k", integer=True, nonnegative=True)
s_ = sp.Symbol("s", real=True)


def cosine_density(d, s=s_):
    r"""\(\rho_d(s)=\frac{\Gamma(d/2)}{\sqrt\pi\,\Gamma((d-1)/2)}(1-s^2)^{(d-3)/2}\)."""
    half = sp.Integer(2)
    return sp.gamma(d / half) / (sp.sqrt(sp.pi) * sp.gamma((d - 1) / half)) * (1 - s ** 2) ** ((d - 3) / half)


def moment_formula(k, d):
    r"""\(E[s^{2k}]=\frac{\Gamma(d/2)\Gamma(k+1/2)}{\sqrt\pi\,\Gamma(k+d/2)}\) (Beta integral)."""
    return sp.gamma(d / sp.Integer(2)) * sp.gamma(k + HALF) / (sp.sqrt(sp.pi) * sp.gamma(k + d / sp.Integer(2)))


def duplication(diff):
    """Legendre's duplication formula: gammasimp, then 4^k as 2^(2k) and powers combined."""
    e = sp.gammasimp(diff)
    e = e.replace(lambda t: t.is_Pow and t.base == 4, lambda t: 2 ** (2 * t.exp))
    return sp.powsimp(sp.expand(e), force=True)


def moment_integral(k, d):
    return sp.Integral(s_ ** (2 * k) * cosine_density(d), (s_, -1, 1))


@lru_cache(maxsize=None)
def _mgf_integral_at(d):
    r"""\(\int_{-1}^1e^{ts}\rho_d(s)\,ds\), \(t>0\), by SymPy's ``integrate``."""
    return sp.integrate(sp.exp(t_pos * s_) * cosine_density(d), (s_, -1, 1))


def cosine_mgf_integral(a, d):
    r"""\(E[e^{as}]\) for cosine scores in dimension \(d\): SymPy's integral of the density at \(t=a\)."""
    return _mgf_integral_at(int(d)).subs(t_pos, a)


_mgf_integral_at(3)  # once at import, like the Gaussian MGF


def bessel_form(a, d):
    r"""\(\Gamma(\frac d2)(\frac2\alpha)^{d/2-1}I_{d/2-1}(\alpha)\)."""
    nu = sp.Rational(d, 2) - 1
    return sp.gamma(sp.Rational(d, 2)) * (2 / a) ** nu * sp.besseli(nu, a)


def half_integer_bessel(diff):
    """I_nu of half-integer order in elementary form (as J_nu at i z, expand_func), then exponentials and cancel."""
    def elementary(b):
        nu = b.args[0]
        if not (2 * nu).is_integer or nu.is_integer:
            return b
        return sp.simplify(sp.unpolarify(sp.expand_func(b.rewrite(sp.besselj))).rewrite(sp.exp))

    return sp.cancel(sp.expand(diff.replace(lambda t: isinstance(t, sp.besseli), elementary).rewrite(sp.exp)))


# --- the mean-field step --------------------------------------------------------------------------

def mean_field_correction(a):
    r"""\(\delta(\alpha)=3(e^{\alpha^2}-1)-2(e^{2\alpha^2}-1)\): the delta method on \(\sum_ip_i^2=A/(nB^2)\) with
    \(A=\overline{e^{2\alpha s}}\), \(B=\overline{e^{\alpha s}}\) gives
    \(E[\sum p^2]=\frac{R}{n}\big(1+\frac1n(3\frac{\mathrm{Var}\,e^{\alpha s}}{m_1^2}-2\frac{\mathrm{Cov}(e^{2\alpha s},e^{\alpha s})}{m_1m_2})\big)\)."""
    return 3 * (sp.exp(a ** 2) - 1) - 2 * (sp.exp(2 * a ** 2) - 1)
