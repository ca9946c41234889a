r"""The exact algebra of batch-size-lr: symbols, the spec's problems, and every derivation the claims state
(what SymPy computes from the model, which the claims compare with the post's closed forms)."""
from __future__ import annotations

from functools import lru_cache

import sympy as sp
import sympy.concrete.delta  # noqa: F401  (SymPy imports it lazily for Kronecker sums; once here, not per claim)

from derivations.toolkit.gaussian import expect_noise, gauss_integral
from derivations.toolkit.one_step import solve_linear, stationary_point, sym_matrix, sym_vector

B, eta, eta0, B0 = sp.symbols("B eta eta_0 B_0", positive=True)


gg, gHg, trSH = sp.symbols("gg gHg trSH", positive=True)  # g^T g, g^T H g, tr(Sigma H)


eta_max, Bn, S_min = sp.symbols("eta_max B_noise S_min", positive=True)


h, sigma2, s_eig, kappa = sp.symbols("h sigma2 s kappa", positive=True)


G1, D, O, beta, t_ = sp.symbols("G_1 D O beta t", positive=True)


mg, tMH = sp.symbols("mg trMH", positive=True)  # E[phi]^T g and tr(E[phi phi^T] H)


c_, c1, c2 = sp.symbols("c c1 c2", real=True)


x_ = sp.Symbol("x", real=True)


g_r = sp.Symbol("g", real=True, nonzero=True)


sig = sp.Symbol("sigma", positive=True)


Bi = sp.Symbol("B", integer=True, positive=True)


def beta_of(Bv, k2):
    """\\(\\beta(B)=(1+\\pi\\kappa^2/(2B))^{-1/2}\\)."""
    return 1 / sp.sqrt(1 + sp.pi * k2 / (2 * Bv))


TOY_G = (sp.Integer(1), sp.Integer(2))


TOY_H = ((sp.Integer(2), sp.Rational(1, 2)), (sp.Rational(1, 2), sp.Integer(1)))


TOY_SIGMA = ((sp.Integer(1), sp.Rational(1, 5)), (sp.Rational(1, 5), sp.Rational(1, 2)))


TOY_B = 4


TOY_ETA = sp.Rational(200, 347)  # the spec's eta*(4) on the toy (used by the Monte Carlo of C5.toy)


def toy_problem():
    return sp.Matrix(TOY_G), sp.Matrix(TOY_H), sp.Matrix(TOY_SIGMA)


def toy_aggregates():
    g, H, S = toy_problem()
    return {gg: (g.T * g)[0], gHg: (g.T * H * g)[0], trSH: (S * H).trace()}


SURGE_KAPPA = 2


def surge_data(rho=sp.Rational(1, 2), k=SURGE_KAPPA):
    """The spec's example: \\(g=\\mathrm{linspace}(0.5,1.5,10)\\), \\(H=(1-\\rho)I+\\rho\\mathbf 1\\mathbf 1^\\top\\),
    \\(\\sigma_i=\\kappa g_i\\), exact; and its \\(D=\\mathrm{tr}H\\), \\(O=\\sum_{i\\ne j}H_{ij}\\), \\(G_1=\\sum g_i\\) (all \\(s_i=+1\\))."""
    g = [sp.Rational(1, 2) + sp.Rational(i, 9) for i in range(10)]
    H = (1 - rho) * sp.eye(10) + rho * sp.ones(10, 10)
    Dv = H.trace()
    return g, H, [k * x for x in g], Dv, sum(H) - Dv, sum(g)


MF_G = tuple(sp.Rational(1, 2) + sp.Rational(i, 9) for i in range(10))  # linspace(0.5, 1.5, 10), sigma_i = 1, H = I


@lru_cache(maxsize=None)
def derived_batch_moments():
    """Mean and covariance of the batch mean from E[X_k] = g, E[X_ki X_lj] = g_i g_j + delta_kl Sigma_ij."""
    k, l = sp.symbols("k l", integer=True, positive=True)
    gi, gj, sij = sp.symbols("g_i g_j Sigma_ij", real=True)
    mean = sp.Sum(gi, (k, 1, Bi)).doit() / Bi
    inner = sp.Sum(sp.KroneckerDelta(k, l) * sij, (k, 1, Bi)).doit()
    inner = inner.subs(sp.Ge(Bi, l), sp.true)  # inside the outer sum 1 <= l <= B
    second = (sp.Sum(gi * gj, (k, 1, Bi), (l, 1, Bi)).doit() + sp.Sum(inner, (l, 1, Bi)).doit()) / Bi ** 2
    return mean, second - gi * gj, gi, sij


def toy_batch_mean_exact(i, Bv):
    """The derived mean of the batch mean (C1) at the toy's g."""
    mean, _, gi, _ = derived_batch_moments()
    return mean.subs({gi: TOY_G[int(i)], Bi: Bv})


def toy_batch_cov_exact(i, j, Bv):
    """The derived covariance of the batch mean (C1) at the toy's Sigma."""
    _, cov, _, sij = derived_batch_moments()
    return cov.subs({sij: TOY_SIGMA[int(i)][int(j)], Bi: Bv})


@lru_cache(maxsize=None)
def derived_scaling_rules():
    n = sym_vector("n", 2, real=True)
    S = sym_matrix("s", 2, real=True)
    step_cov = ((-eta * n) * (-eta * n).T).applyfunc(lambda e: expect_noise(e, list(n), S / B))
    y = sp.Symbol("y", positive=True)  # y = eta^2
    eta_sqrt = sp.sqrt(solve_linear(y / B - eta0 ** 2 / B0, y))
    gs, zn = sp.symbols("g z", real=True)
    sgd = -eta * (gs + sp.sqrt(s_eig / B) * zn)  # SGD step with g_B = g + sqrt(s/B) z (A2, eigenbasis)
    em = -eta * gs - sp.sqrt(eta) * sp.sqrt(eta * s_eig / B) * zn  # Euler-Maruyama, dt = eta, dW = sqrt(eta) z
    eta_lin = solve_linear(eta * s_eig / B - eta0 * s_eig / B0, eta)
    return step_cov, S, eta_sqrt, sgd, em, eta_lin


@lru_cache(maxsize=None)
def derived_stationary_variance():
    v = sp.Symbol("v", positive=True)
    stat = solve_linear((1 - eta * h) ** 2 * v + eta ** 2 * sigma2 / B - v, v)
    r = sp.Symbol("r", positive=True)  # r = eta / B
    return stat, sp.limit(stat.subs(B, eta / r), eta, 0), r


def explicit_objects(d):
    """Explicit symbolic objects in dimension d: gradient, Hessian, noise covariance, noise."""
    return (sym_vector("g", d, real=True), sym_matrix("h", d, real=True), sym_matrix("s", d, real=True),
            sym_vector("n", d, real=True))


@lru_cache(maxsize=None)
def derived_expected_loss():
    g, H, S, n = explicit_objects(3)
    u = g + n
    quad = (u.T * H * u)[0]
    g2, H2, S2, n2 = explicit_objects(2)
    w, b = sym_vector("w", 2, real=True), sym_vector("b", 2, real=True)
    c0 = sp.Symbol("c0", real=True)

    def L(v):
        return c0 + (b.T * v)[0] + (v.T * H2 * v)[0] / 2

    grad = b + H2 * w
    u2 = grad + n2
    taylor = L(w) - eta * (u2.T * grad)[0] + eta ** 2 * (u2.T * H2 * u2)[0] / 2
    closed = L(w) - eta * (grad.T * grad)[0] + eta ** 2 * ((grad.T * H2 * grad)[0] + (S2 * H2).trace() / B) / 2
    return [("cyclic trace", quad, (u * u.T * H).trace()),
            ("E u^T H u", expect_noise(quad, list(n), S / B), (g.T * H * g)[0] + (S * H).trace() / B),
            ("Taylor exact for quadratic L", L(w - eta * u2), taylor),
            ("expected loss", expect_noise(L(w - eta * u2), list(n2), S2 / B), closed)]


def expected_change(eta_v):
    """C4 in aggregate symbols: \\(\\mathbb E[L(w-\\eta\\tilde g_B)]-L(w)\\)."""
    return -eta_v * gg + eta_v ** 2 * (gHg + trSH / B) / 2


@lru_cache(maxsize=None)
def derived_sgd_optimum():
    """The stationary point of C4 and the second derivative there."""
    return stationary_point(expected_change(eta), eta)


SGD_LAW = (gg / gHg) / (1 + (trSH / gHg) / B)  # the post's eta_max / (1 + B_noise / B)


BEAT_FACTORS = (sp.Rational(4, 5), 1, sp.Rational(6, 5))


def toy_decrease(f, B_v=TOY_B):
    """Expected one-step decrease on the toy at \\(\\eta=f\\,\\eta^*(B)\\) (exact rationals)."""
    vals = toy_aggregates()
    root = derived_sgd_optimum()[0].subs(vals).subs(B, B_v)
    return -expected_change(f * root).subs(vals).subs(B, B_v)


@lru_cache(maxsize=None)
def derived_toy_values():
    vals = toy_aggregates()
    g, _, S = toy_problem()
    root = derived_sgd_optimum()[0].subs(vals)
    etas = [root.subs(B, b) for b in (1, sp.Rational(27, 80), 4, 16)]
    best = toy_decrease(1)
    return sp.Matrix([vals[gg], vals[gHg], vals[trSH], vals[gg] / vals[gHg], vals[trSH] / vals[gHg],
                      S.trace() / vals[gg], *etas, vals[gg] ** 2 / (2 * vals[gHg]), best,
                      best - toy_decrease(BEAT_FACTORS[0]), best - toy_decrease(BEAT_FACTORS[2])])


TOY_REFS = sp.Matrix([5, 8, sp.Rational(27, 10), sp.Rational(5, 8), sp.Rational(27, 80), sp.Rational(3, 10),
                      sp.Rational(50, 107), sp.Rational(5, 16), sp.Rational(200, 347), sp.Rational(800, 1307),
                      sp.Rational(25, 16), sp.Rational(500, 347), sp.Rational(20, 347), sp.Rational(20, 347)])


def toy_decrease_at(f, Bv):
    """C4's expected one-step decrease on the toy at eta = f * 200/347."""
    return -expected_change(f * TOY_ETA).subs(toy_aggregates()).subs(B, Bv)


@lru_cache(maxsize=None)
def derived_shape():
    es = eta_max / (1 + Bn / B)
    return sp.diff(es, B), sp.limit(es, B, sp.oo), sp.limit(es / B, B, 0), es.subs(B, Bn)


@lru_cache(maxsize=None)
def derived_isotropic_noise_scale():
    g, _, S, _ = explicit_objects(3)
    lam = sp.Symbol("lambda", positive=True)
    H = lam * sp.eye(3)
    return (S * H).trace() / (g.T * H * g)[0], S.trace() / (g.T * g)[0]


def steps_data(decrease_B):
    """C9's algebra for a decrease law ``decrease_B`` (a function of B):
    S from S*DeltaL(B) = S_min*DeltaL_max (DeltaL_max = lim_{B->oo}), E = B*S, E_min = lim_{B->0} E.
    Returns (S, E, E_min, (S/S_min-1)(E/E_min-1))."""
    S = sp.Symbol("S", positive=True)
    S_B = solve_linear(S * decrease_B - S_min * sp.limit(decrease_B, B, sp.oo), S)
    E_B = B * S_B
    E_min = sp.limit(E_B, B, 0)
    return S_B, E_B, E_min, sp.cancel((S_B / S_min - 1) * (E_B / E_min - 1))


@lru_cache(maxsize=None)
def derived_steps_data():
    return steps_data(sp.Symbol("DeltaL_max", positive=True) / (1 + Bn / B))


def sign_mean_exact(c):
    """\\(P(z>-c)-P(z<-c)\\) by the Gaussian antiderivatives."""
    return gauss_integral(1, -c, sp.oo) - gauss_integral(1, -sp.oo, -c)


def sign_product_exact(a, b):
    """\\(\\sum_{s_1,s_2=\\pm1}s_1s_2P(\\mathrm{sign}(a+z_1)=s_1)P(\\mathrm{sign}(b+z_2)=s_2)\\): the quadrant masses of the
    product density of independent \\(z_1,z_2\\)."""
    p = [{1: gauss_integral(1, -v, sp.oo), -1: gauss_integral(1, -sp.oo, -v)} for v in (a, b)]
    return sum(s1 * s2 * p[0][s1] * p[1][s2] for s1 in (1, -1) for s2 in (1, -1))


@lru_cache(maxsize=None)
def derived_surrogate_slopes():
    cc = sp.Symbol("c", positive=True)
    slope_c = sp.diff(x_ / sp.sqrt(x_ ** 2 + cc), x_).subs(x_, 0)  # = c^(-1/2)
    k_erf = sp.diff(sp.erf(x_), x_).subs(x_, 0)
    return cc, slope_c, k_erf, 1 / k_erf ** 2  # slope c^(-1/2) = k  <=>  c = 1/k^2


@lru_cache(maxsize=None)
def derived_sign_optimum():
    EL = -eta * mg + eta ** 2 * tMH / 2
    root, second = stationary_point(EL, eta)
    _, H, _, _ = explicit_objects(3)
    mu = sym_vector("mu", 3, real=True)
    M = sp.Matrix(3, 3, lambda i, j: 1 if i == j else mu[i] * mu[j])  # E[phi_i^2] = 1, E[phi_i phi_j] = mu_i mu_j
    off = sum(mu[i] * mu[j] * H[i, j] for i in range(3) for j in range(3) if i != j)
    return root, -EL.subs(eta, root), second, (M * H).trace(), H.trace() + off


def exact_erf_law(Bv, g, H, sigma):
    """C12 with the exact means \\(\\mu_i=\\mathrm{erf}(g_i\\sqrt B/(\\sigma_i\\sqrt2))\\) (no surrogate, no mean field), SymPy."""
    mu = [sp.erf(gi * sp.sqrt(Bv) / (si * sp.sqrt(2))) for gi, si in zip(g, sigma)]
    d = len(g)
    return (sum(m * gi for m, gi in zip(mu, g))
            / (sum(H[i, i] for i in range(d)) + sum(mu[i] * mu[j] * H[i, j] for i in range(d) for j in range(d) if i != j)))


def sign_optimum_exact(Bv):
    """C12's stationary point with the exact sign moments of C10 (means by Gaussian antiderivatives, squares 1)."""
    g, H, sigma, *_ = surge_data()
    root = derived_sign_optimum()[0]
    mu = [sign_mean_exact(gi * sp.sqrt(Bv) / si) for gi, si in zip(g, sigma)]
    d = len(g)
    trace = sum(H[i, i] for i in range(d)) + sum(H[i, j] * mu[i] * mu[j] for i in range(d) for j in range(d) if i != j)
    return root.subs({mg: sum(m * gi for m, gi in zip(mu, g)), tMH: trace})


@lru_cache(maxsize=None)
def derived_large_batch():
    g = sym_vector("g", 2, real=True, nonzero=True)
    H = sym_matrix("h", 2, real=True)
    tp = sp.Symbol("t", positive=True)
    mu_lim = sp.limit((g_r / sig) / sp.sqrt(sp.pi / (2 * B) + (g_r / sig) ** 2), B, sp.oo)
    s = [mu_lim.subs(g_r, gi) for gi in g]  # the proven limit of each mu_i
    lim = (s[0] * g[0] + s[1] * g[1]) / (H.trace() + 2 * s[0] * s[1] * H[0, 1])
    sgn = sp.Matrix([sp.sign(gi) for gi in g])
    closed = (sp.Abs(g[0]) + sp.Abs(g[1])) / (sgn.T * H * sgn)[0]
    scale = {gi: tp * gi for gi in g}
    sgd = (g.T * g)[0] / (g.T * H * g)[0]
    return mu_lim, lim, closed, closed.subs(scale, simultaneous=True), tp, sgd.subs(scale, simultaneous=True), sgd


@lru_cache(maxsize=None)
def small_batch_exponent():
    """\\(\\lim_{B\\to0}d\\log\\beta/d\\log B\\) (SymPy limit): the exponent of the small-batch SignSGD law."""
    return sp.limit(B * sp.diff(sp.log(beta_of(B, kappa ** 2)), B), B, 0)


def diagonal_term(gv, sv):
    return (gv ** 2 / sv) / sp.sqrt(sp.pi / (2 * B) + (gv / sv) ** 2)


@lru_cache(maxsize=None)
def derived_diagonal():
    g = sym_vector("g", 3, real=True, nonzero=True)
    s = sym_vector("sigma", 3, positive=True)
    hd = sym_vector("h", 3, positive=True)
    mu = [(g[i] / s[i]) / sp.sqrt(sp.pi / (2 * B) + (g[i] / s[i]) ** 2) for i in range(3)]
    Dv = sum(hd)
    eta_diag = sum(mu[i] * g[i] for i in range(3)) / Dv  # C12 with H_ij = 0 (i != j)
    closed = sum(diagonal_term(g[i], s[i]) for i in range(3)) / Dv
    mf = eta_diag.subs({s[i]: kappa * sp.Abs(g[i]) for i in range(3)})
    b_ = beta_of(B, kappa ** 2)
    return (eta_diag, closed, mf, sum(sp.Abs(gi) for gi in g) / Dv * b_, sp.limit(diagonal_term(g_r, sig), B, sp.oo),
            sp.limit((G1 / D) * b_ / sp.sqrt(B), B, 0), small_batch_exponent())


@lru_cache(maxsize=None)
def mean_field_relative_gap():
    """(mean-field law - per-component law) / per-component law on the heterogeneous example as a function of B; the
    same with both laws divided by \\(\\sqrt B\\) (a function of B continuous at \\(B=0\\)) and written in \\(u=1/B\\) (a
    function of u continuous at \\(u=0\\)); and the closed form of the small-batch limit, \\(G_1/(\\kappa\\sum_ig_i^2)-1\\)
    with \\(\\kappa^2=\\overline{1/g_i^2}\\).  Returns ``(gap(B), small, large, limit0)`` with ``small(b)``, ``large(u)`` functions."""
    k2 = sum(1 / gi ** 2 for gi in MF_G) / 10
    G = sum(MF_G) / 10
    per = sum(diagonal_term(gi, 1) for gi in MF_G) / 10
    mf = G * beta_of(B, k2)

    def small(b):
        per_s = sum(gi ** 2 / sp.sqrt(sp.pi / 2 + gi ** 2 * b) for gi in MF_G) / 10
        return (G / sp.sqrt(b + sp.pi * k2 / 2) - per_s) / per_s

    def large(u):
        per_l = sum(gi ** 2 / sp.sqrt(sp.pi * u / 2 + gi ** 2) for gi in MF_G) / 10
        return (G / sp.sqrt(1 + sp.pi * k2 * u / 2) - per_l) / per_l

    return (mf - per) / per, small, large, sum(MF_G) / (sp.sqrt(k2) * sum(gi ** 2 for gi in MF_G)) - 1


def eta_mean_field(b_):
    """C15's mean-field SignSGD law as a function of \\(\\beta\\)."""
    return b_ * G1 / (D + b_ ** 2 * O)


def monotone_certificate():
    """\\(D-\\beta^2O>0\\) for \\(\\beta\\in(0,1)\\) when \\(O\\le D\\): with \\(O=D-\\delta\\), \\(\\beta^2=1/(1+t)\\)."""
    dn = sp.Symbol("delta", nonnegative=True)
    expr = (D - beta ** 2 * (D - dn)).subs(beta, 1 / sp.sqrt(1 + t_))
    return expr, (D * t_ + dn) / (1 + t_)


def peak_batch(b2):
    r"""The batch size where \(\beta(B)^2=\) ``b2``: the equation is linear in \(u=1/B\)."""
    u = sp.Symbol("u", positive=True)
    bs = sp.Symbol("b2", positive=True)
    return (1 / solve_linear(bs * (1 + sp.pi * kappa ** 2 * u / 2) - 1, u)).subs(bs, b2)


@lru_cache(maxsize=None)
def derived_mean_field_peak():
    b_n = sp.sqrt(D / O)
    f = eta_mean_field(beta)
    d = sp.diff(f, beta)
    b2 = sp.Symbol("b2", positive=True)  # beta^2
    root2 = solve_linear(sp.numer(sp.together(d)).subs(beta ** 2, b2) / G1, b2)
    return f, d, sp.sqrt(root2), f.subs(beta, b_n), peak_batch(b_n ** 2)


ETA_HAT = G1 / (2 * sp.sqrt(D * O))


B_PEAK = sp.pi * kappa ** 2 * (D / O) / (2 * (1 - D / O))


@lru_cache(maxsize=None)
def common_mean_peak():
    """On the example every component has the same exact mean e = erf(sqrt(B/2)/kappa): maximise e G1/(D+e^2 O)
    over e (d/de = 0 solved for e^2) and invert erf: (argmax B, max value, e*)."""
    _, _, _, Dv, Ov, G1v = surge_data()
    e = sp.Symbol("e", positive=True)
    f = e * G1v / (Dv + e ** 2 * Ov)
    e2 = sp.Symbol("e2", positive=True)
    e_star = sp.sqrt(solve_linear(sp.numer(sp.together(sp.diff(f, e))).subs(e ** 2, e2), e2))
    return e_star, f.subs(e, e_star)


def on_surge_example(expr):
    _, _, _, Dv, Ov, G1v = surge_data()
    return expr.subs({D: Dv, O: Ov, G1: G1v})


def law_ratio():
    """(mean-field law) / (exact-erf law) on the surge example as a function of B."""
    g, H, sigma, Dv, Ov, G1v = surge_data()
    b_ = beta_of(B, SURGE_KAPPA ** 2)
    e = sp.erf(sp.sqrt(B / 2) / SURGE_KAPPA)
    return (b_ * G1v / (Dv + b_ ** 2 * Ov)) / (e * G1v / (Dv + e ** 2 * Ov))


def decrease_mean_field():
    """C12's decrease with \\(\\mu_i=s_i\\beta\\): \\(\\tfrac12\\beta^2G_1^2/(D+\\beta^2O)\\) as a function of B."""
    b_ = beta_of(B, kappa ** 2)
    return (b_ * G1) ** 2 / (2 * (D + b_ ** 2 * O))


@lru_cache(maxsize=None)
def derived_decrease_data():
    return steps_data(decrease_mean_field())


@lru_cache(maxsize=None)
def surge_limit():
    return sp.limit(on_surge_example(eta_mean_field(beta_of(B, SURGE_KAPPA ** 2))), B, sp.oo)


@lru_cache(maxsize=None)
def reused_name_values():
    g, H, sigma, Dv, Ov, G1v = surge_data()
    gv = sp.Matrix(g)
    Sig = sp.diag(*[s ** 2 for s in sigma])
    sgd = [(gv.T * gv)[0] / (gv.T * H * gv)[0], (Sig * H).trace() / (gv.T * H * gv)[0]]
    return [on_surge_example(ETA_HAT), on_surge_example(B_PEAK).subs(kappa, SURGE_KAPPA)], sgd


def weak_coupling_example():
    _, _, _, Dv, Ov, _ = surge_data(rho=sp.Rational(1, 10))
    return Dv, Ov


SURGE_B = (1, 2, 4, 8, 16)


SURGE_ETAS = ("0.2306997", "0.2345502", "0.2204149", "0.2008510", "0.1871636")
