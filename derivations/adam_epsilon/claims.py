r"""The claims, negative controls and errata of adam-epsilon: statements built from :mod:`.algebra` against the
post's closed forms and the spec's numbers, with the quantities of :mod:`.numerics` as evidence."""
from __future__ import annotations

import sympy as sp

from derivations.engine import (All, Approximation, Identity, Inequality, claim, control, joined, parts, positive, real,
                                stated)
from derivations.engine.symbolic import erf_form
from derivations.toolkit.gaussian import antiderivative_identities, erf_surrogate, gauss_integral, zz
from derivations.toolkit.one_step import sym_matrix, sym_vector

from .algebra import (EX_G, EX_H, R2, SIGMA2, B, D, F_closed, M2_derived, O, P, Q, a_, b_, beta, beta_of, clip_pw,
                      derived_optimal_lr, derived_surge_condition, eps, eta_formula, example_i, example_ii,
                      formula_limit, g_r, k_, kappa, large_epsilon_blocks, q_of, sgd_pi_half, sig, softsign,
                      surge_certificates, t_, weak_coupling_example, x_)
from .numerics import (ClipGapArgmax, ClipGapMax, ClipM2, ClipMean, ClipSlope, ExactModel, LambdaMin, MeanGapArgmax,
                       MeanGapMax, SoftsignM2, SoftsignM2MC, SoftsignMean, SoftsignMeanMC)

SOURCE = "https://spaces.ac.cn/archives/10563"
# a binary64 value printed with 16-17 digits is its double to 2^-53; a double computed by a formula of a few dozen
# rounded operations carries their rounding too: 2^-48 relative (16 units in the last place) covers it
FLOAT64 = sp.Rational(1, 2 ** 48)


# --- C1-C2: softsign, its limits and its surrogates ----------------------------------------

@claim("C1.limits",
       r"\lim_{\epsilon\to0^+}\frac{x}{\sqrt{x^2+\epsilon^2}}=\mathrm{sign}\,x\ (x\ne0),\qquad \lim_{\epsilon\to\infty}\epsilon\,\frac{x}{\sqrt{x^2+\epsilon^2}}=x,"
       r"\\ \eta\,\mathrm{softsign}(\tilde g,\epsilon)=\frac\eta\epsilon\cdot\epsilon\,\mathrm{softsign}(\tilde g,\epsilon)\approx\frac\eta\epsilon\,\tilde g\quad(\epsilon\to\infty)")
def c1_limits():
    r"""\(\epsilon\) interpolates between SignSGD (\(\epsilon=0\)) and SGD with learning rate \(\eta/\epsilon\)
    (\(\epsilon\to\infty\)): SymPy limits for \(x>0\), \(x<0\) and real \(x\)."""
    xp, xn = sp.Symbol("x", positive=True), sp.Symbol("x", negative=True)
    eta = sp.Symbol("eta", positive=True)
    return parts([("eps -> 0, x > 0", sp.limit(softsign(xp, eps), eps, 0, "+"), 1),
                  ("eps -> 0, x < 0", sp.limit(softsign(xn, eps), eps, 0, "+"), -1),
                  ("eps -> oo", sp.limit(eps * softsign(x_, eps), eps, sp.oo), x_),
                  ("SGD with eta/eps", sp.limit(eta * softsign(x_, eps) / (eta / eps), eps, sp.oo), x_)])


@claim("C2.surrogates",
       r"\frac{d}{dx}\frac{x}{\sqrt{x^2+1/k^2}}\Big|_0=\frac{d}{dx}\mathrm{clip}(kx)\Big|_0=k;\quad \mathrm{erf}:\ k=\frac2{\sqrt\pi},\ \frac1{k^2}=\frac\pi4;\quad "
       r"\mathrm{softsign}(\cdot,\epsilon):\ k=\frac1\epsilon,\ \mathrm{softsign}(x,\epsilon)\approx\mathrm{clip}(x/\epsilon)")
def c2_surrogates():
    r"""Both surrogates of an odd S-curve with range \((-1,1)\) match its slope \(k\) at 0; for softsign
    (\(k=1/\epsilon\)) the first surrogate is softsign itself and the second is \(\mathrm{clip}(x/\epsilon)\)."""
    surrogate = x_ / sp.sqrt(x_ ** 2 + 1 / k_ ** 2)
    at0 = {x_: 0}
    k_erf = sp.diff(sp.erf(x_), x_).subs(at0)
    return parts([("slope of x/sqrt(x^2+1/k^2)", sp.diff(surrogate, x_).subs(at0), k_),
                  ("slope of clip(kx)", sp.diff(clip_pw(k_ * x_), x_).subs(at0), k_), ("erf: 1/k^2", 1 / k_erf ** 2, sp.pi / 4),
                  ("softsign: k", sp.diff(softsign(x_, eps), x_).subs(at0), 1 / eps),
                  ("softsign is the first surrogate", surrogate.subs(k_, 1 / eps), softsign(x_, eps))])


@claim("C2.clip-gap",
       r"\max_x\Big|\frac{x}{\sqrt{x^2+\epsilon^2}}-\mathrm{clip}\Big(\frac x\epsilon\Big)\Big|=1-\frac1{\sqrt2}\approx0.2929\quad(x=\pm\epsilon)",
       uses=("C2.surrogates",))
def c2_clip_gap():
    r"""Approximation: softsign against its clip surrogate.  In \(u=x/\epsilon\) the gap depends on \(u\) alone
    (proved); \(u-u/\sqrt{1+u^2}\) increases on \([0,1]\) and \(1-u/\sqrt{1+u^2}\) decreases after, so the maximum
    \(1-1/\sqrt2\) sits at the kink \(u=1\): located by golden-section search (no derivative at a kink)."""
    u = sp.Symbol("u", positive=True)
    return All((Identity(softsign(u * eps, eps), softsign(u, 1)), Identity(ClipGapMax(), 1 - 1 / R2),
                Approximation(ClipGapMax(), stated("0.2929")), Identity(ClipGapArgmax(), 1)),
               ("scale-free in u = x/eps", "max gap", "0.2929", "at x = eps"))


F_REFS = (("0.3", "0.7", "0.218395190914619028387171"), ("1.5", "0.2", "0.8637991430042491605543125"),
          ("-2", "3", "-0.6388948609579896799816956"), ("5", "5", "0.9202115439197134644120109"))


SLOPE_REFS = (("0.1", "0.79655674554057962916"), ("1", "0.68268949213708589717"), ("3", "0.33243340131224660365"))


def binary64(text):
    """The exact value of the binary64 number nearest to the decimal ``text`` (where the spec evaluated)."""
    return sp.Rational(float(text))


@claim("C3.clip-mean",
       r"F(a,b):=\mathbb E\Big[\mathrm{clip}\Big(\frac{a+z}b\Big)\Big]=\tfrac12\Big[\mathrm{erf}\tfrac{a+b}{\sqrt2}+\mathrm{erf}\tfrac{a-b}{\sqrt2}\Big]"
       r"+\frac a{2b}\Big[\mathrm{erf}\tfrac{a+b}{\sqrt2}-\mathrm{erf}\tfrac{a-b}{\sqrt2}\Big]+\frac{e^{-(a+b)^2/2}-e^{-(a-b)^2/2}}{b\sqrt{2\pi}},"
       r"\\ F(-a,b)=-F(a,b),\quad \partial_aF(0,b)=\frac{\mathrm{erf}(b/\sqrt2)}b=\frac{P(|z|<b)}b",
       hypotheses=(r"z\sim\mathcal N(0,1),\ b>0",), strategies=(erf_form,))
def c3_clip_mean():
    r"""Exact: split \(\mathbb R\) at \(z=-a-b\) and \(z=-a+b\); the outer pieces are \(\mp\)probabilities, the middle
    one \(\frac1b\int(a+z)\varphi\), all by the fundamental theorem of calculus with the Gaussian antiderivatives (part
    of the statement); numerically the same pieces by the density's power series integrated term by term.  Odd in
    \(a\); slope at 0 by differentiation (and \(P(|z|<b)/b\) numerically).  The spec's reference values (25 and 20 digits) were computed at the binary64
    inputs: at the decimal point \((3/10,7/10)\) \(F=0.21839519091461903420597\ldots\), which differs in the 17th digit,
    and the slope at \(b=1/10\) is \(0.79655674554057962930809\ldots\), not \(\ldots62916\)."""
    ants = [(f"d/dz A_{k}", lhs, rhs) for k, (lhs, rhs) in enumerate(antiderivative_identities())]
    F = F_closed(a_, b_)
    refs = [(f"F({x},{y})", Approximation(F_closed(binary64(x), binary64(y)), stated(r))) for x, y, r in F_REFS]
    refs += [(f"slope at b={y}", Approximation(sp.erf(binary64(y) / R2) / binary64(y), stated(r))) for y, r in SLOPE_REFS]
    return joined(parts(ants, {zz: real(-4, 4)}),
                  parts([("closed form", ClipMean(a_, b_), F)], {a_: real(-4, 4), b_: positive(4.0)}, points=1),
                  parts([("odd", F.subs(a_, -a_) + F, 0)], {a_: real(-4, 4), b_: positive(4.0)}),
                  parts([("slope at 0", ClipSlope(b_), sp.erf(b_ / R2) / b_)], {b_: positive(4.0)}, points=2),
                  ("F(0,1) = 0", Identity(F_closed(sp.Integer(0), sp.Integer(1)), 0)), *refs)


@claim("C3.clip-mean-bound", r"|F(a,b)|=\Big|\mathbb E\Big[\mathrm{clip}\Big(\frac{a+z}b\Big)\Big]\Big|<1",
       hypotheses=(r"z\sim\mathcal N(0,1),\ b>0",), uses=("C3.clip-mean",), digits=15, symbolic=False)
def c3_clip_mean_bound():
    r"""\(|\mathrm{clip}|\le1\), with \(|\mathrm{clip}|<1\) on \(|a+z|<b\), which has positive probability: \(|F|<1\).  Searched
    numerically over \(a\in[-4,4]\), \(b\in[0.05,4]\) on the expectation itself (C3's quantity).  ``digits=15``: the margin
    \(1-|F|\) stays above \(3\cdot10^{-3}\) on this domain.  ``symbolic=False``: a bound on an erf expression has no sign
    certificate SymPy can find (factor and cancel spend seconds on it)."""
    return Inequality(sp.Abs(ClipMean(a_, b_)), "<", 1, {a_: real(-3, 3), b_: real(0.25, 3)}, points=6)


@claim("C4.mean-algebra",
       r"\mathbb E\tilde\varphi\approx\frac a{\sqrt{a^2+b^2/\mathrm{erf}(b/\sqrt2)^2}}\approx\frac a{\sqrt{a^2+b^2+\pi/2}}=\frac{g/\sigma}{\sqrt{(g^2+\epsilon^2)/\sigma^2+\pi/(2B)}}"
       r"=\frac{\mathrm{softsign}(g,\epsilon)}{\sqrt{1+\pi\sigma^2/(2B(g^2+\epsilon^2))}}\ \overset{\rm A6'}=\ \nu\beta,\\ \frac{b^2}{\mathrm{erf}_{\rm s}(b/\sqrt2)^2}=b^2+\frac\pi2,\ \ \mathrm{erf}_{\rm s}(x)=\frac x{\sqrt{x^2+\pi/4}}",
       hypotheses=(r"a=g\sqrt B/\sigma,\ b=\epsilon\sqrt B/\sigma", r"\kappa^2=\sigma^2/(g^2+\epsilon^2)\ \text{(A6')}"),
       uses=("C2.surrogates", "C3.clip-mean"))
def c4_mean_algebra():
    r"""The exact algebra behind the post's mean surrogate: C2's first surrogate with C3's slope \(k=\mathrm{erf}(b/\sqrt2)/b\),
    then the erf surrogate turns \(b^2/\mathrm{erf}(b/\sqrt2)^2\) into exactly \(b^2+\pi/2\); rewritten in \(g,\epsilon,\sigma,B\) it is
    \(\nu\beta\) under the mean field.  (The approximations themselves are measured in C4.mean-gap and the reference table.)"""
    first = a_ / sp.sqrt(a_ ** 2 + 1 / k_ ** 2)
    final = a_ / sp.sqrt(a_ ** 2 + b_ ** 2 + sp.pi / 2)
    scaled = final.subs({a_: g_r * sp.sqrt(B) / sig, b_: eps * sp.sqrt(B) / sig})
    nu = softsign(g_r, eps)
    return parts([("C3's slope in C2", first.subs(k_, sp.erf(b_ / R2) / b_), a_ / sp.sqrt(a_ ** 2 + b_ ** 2 / sp.erf(b_ / R2) ** 2)),
                  ("erf surrogate at b/sqrt(2)", b_ ** 2 / erf_surrogate(b_ / R2) ** 2, b_ ** 2 + sp.pi / 2),
                  ("in g, eps, sigma, B", scaled, (g_r / sig) / sp.sqrt((g_r ** 2 + eps ** 2) / sig ** 2 + sp.pi / (2 * B))),
                  ("softsign form", scaled, nu / sp.sqrt(1 + sp.pi * sig ** 2 / (2 * B * (g_r ** 2 + eps ** 2)))),
                  ("mean field", scaled, nu * beta_of(B, sig ** 2 / (g_r ** 2 + eps ** 2)))], {B: positive(32.0), b_: positive(4.0)})


@claim("C4.mean-gap",
       r"\epsilon=0:\ \frac a{\sqrt{a^2+b^2+\pi/2}}\Big|_{b=0}=\frac{x}{\sqrt{x^2+\pi/4}},\ x=\frac a{\sqrt2};\ "
       r"\max_a\Big|\mathrm{erf}\frac a{\sqrt2}-\frac a{\sqrt{a^2+\pi/2}}\Big|\approx0.1078\ (a\approx1.88)",
       uses=("C4.mean-algebra",))
def c4_mean_gap():
    r"""Approximation (clip for softsign, then the erf surrogate), where the post states no accuracy.  At \(\epsilon=0\)
    (\(b=0\)) softsign is the sign, whose mean is \(\mathrm{erf}(a/\sqrt2)\) (archives/10542, C10), and the surrogate is
    exactly 10542's erf surrogate at \(x=a/\sqrt2\) (proved): the largest gap is 10542's \(0.1078\), at
    \(a=1.33\sqrt2\approx1.88\).  For \(b>0\) the gap is smaller (0.0936 at \(b=0.25\), 0.0436 at \(b=1\)); the spec's
    reference table (C5.reference-table) gives both sides at three points."""
    return All((Identity((a_ / sp.sqrt(a_ ** 2 + b_ ** 2 + sp.pi / 2)).subs(b_, 0), erf_surrogate(a_ / R2)),
                Approximation(MeanGapMax(), stated("0.1078")), Approximation(MeanGapArgmax(), stated("1.88"))),
               ("b = 0: 10542's surrogate", "largest gap", "location"))


@claim("C5.clip-second-moment",
       r"M_2(a,b):=\mathbb E\Big[\mathrm{clip}\Big(\frac{a+z}b\Big)^2\Big]=P(|a+z|>b)+\frac1{b^2}\int_{-a-b}^{-a+b}(a+z)^2\varphi(z)\,dz,\quad "
       r"M_2(-a,b)=M_2(a,b),\quad \partial_aM_2=\frac2{b^2}\int_{-a-b}^{-a+b}(a+z)\varphi(z)\,dz",
       strategies=(erf_form,))
def c5_clip_second_moment():
    r"""Exact closed form of the clip second moment (Gaussian antiderivatives; numerically the density's termwise power series), even in \(a\),
    with the derivative \(\frac2{b^2}\int_{-b}^{b}u\,\varphi(u-a)\,du\) (Leibniz: the boundary terms cancel), which is
    positive for \(a>0\) because \(\varphi(u-a)>\varphi(u+a)\) for \(u>0\) (checked in C5.clip-shape)."""
    M2 = M2_derived(a_, b_)
    dom = {a_: real(-4, 4), b_: positive(4.0)}
    return joined(parts([("closed form", ClipM2(a_, b_), M2)], dom, points=1),
                  parts([("even", M2.subs(a_, -a_), M2),
                         ("d/da", sp.diff(M2, a_), 2 / b_ ** 2 * gauss_integral(a_ + zz, -a_ - b_, -a_ + b_))], dom, points=2))


@claim("C5.clip-shape",
       r"M_2(a,b)\le1,\quad \min_aM_2(a,b)=M_2(0,b)\in(0,1),\ \partial_aM_2>0\ (a>0)\quad(M_2(0,1.5)=0.3460,\ M_2(4,1.5)=0.9979)",
       uses=("C5.clip-second-moment",), symbolic=False, digits=15)
def c5_clip_shape():
    r"""Shape of the exact clip second moment (from its closed form): at most 1, increasing in \(|a|\) (evenness is exact,
    C5.clip-second-moment), so smallest at \(a=0\), where it lies in \((0,1)\); the spec's values at \(b=1.5\).
    ``symbolic=False``: inequalities between erf expressions have no sign certificate SymPy can find (factor and
    cancel spend seconds on them); they are searched numerically, the stated values enclosed by Arb balls.
    ``digits=15``: the inequalities' margins exceed \(10^{-6}\) and the values have four digits."""
    M2 = M2_derived(a_, b_)
    M0 = M2_derived(sp.Integer(0), b_)
    return All((Inequality(M2, "<=", 1, {a_: real(-4, 4), b_: real(0.05, 10)}, points=12),
                Inequality(sp.diff(M2, a_), ">", 0, {a_: real(0.05, 4), b_: real(0.05, 10)}, points=12),
                Inequality(M0, ">", 0, {b_: real(0.05, 10)}), Inequality(M0, "<", 1, {b_: real(0.05, 10)}),
                Approximation(M2_derived(sp.Integer(0), sp.Rational(3, 2)), stated("0.3460")),
                Approximation(M2_derived(sp.Integer(4), sp.Rational(3, 2)), stated("0.9979"))),
               ("M2 <= 1", "increasing in a > 0", "M2(0,b) > 0", "M2(0,b) < 1", "M2(0,1.5)", "M2(4,1.5)"))


@claim("C5.second-moment-algebra",
       r"\mathbb E\tilde\varphi^2\approx1-\frac{b^2}{a^2+b^2+\pi/2}=1-\frac{\epsilon^2/(g^2+\epsilon^2)}{1+\pi\sigma^2/(2B(g^2+\epsilon^2))}\overset{\rm A6'}=\nu^2\beta^2+(1-\beta^2),\quad "
       r"\mathbb E[\tilde\varphi\tilde\varphi^\top]\approx\beta^2\nu\nu^\top+(1-\beta^2)I",
       hypotheses=(r"\text{independent components (A5)}",), uses=("C4.mean-algebra",))
def c5_second_moment_algebra():
    r"""The post's second-moment surrogate (chosen by analogy, not derived) in its three forms, and the resulting
    matrix: off-diagonal entries are products of means (independence), diagonal entries the surrogate."""
    sur = (1 - b_ ** 2 / (a_ ** 2 + b_ ** 2 + sp.pi / 2)).subs({a_: g_r * sp.sqrt(B) / sig, b_: eps * sp.sqrt(B) / sig})
    nu = softsign(g_r, eps)
    bt = beta_of(B, sig ** 2 / (g_r ** 2 + eps ** 2))
    nus = sym_vector("nu", 3, real=True)
    M = sp.Matrix(3, 3, lambda i, j: nus[i] ** 2 * beta ** 2 + 1 - beta ** 2 if i == j else beta * nus[i] * beta * nus[j])
    return parts([("in g, eps, sigma, B", sur, 1 - (eps ** 2 / (g_r ** 2 + eps ** 2)) / (1 + sp.pi * sig ** 2 / (2 * B * (g_r ** 2 + eps ** 2)))),
                  ("mean field", sur, 1 - (1 - nu ** 2) * bt ** 2), ("split", 1 - (1 - nu ** 2) * bt ** 2, nu ** 2 * bt ** 2 + 1 - bt ** 2),
                  ("E[phi phi^T], explicit 3x3", M, beta ** 2 * nus * nus.T + (1 - beta ** 2) * sp.eye(3))], {B: positive(32.0)})


@claim("C5.second-moment-gap",
       r"\mathbb E\Big[\frac{(a+z)^2}{(a+z)^2+b^2}\Big]\approx1-\frac{b^2}{a^2+b^2+\pi/2}:\ \text{overshoots by }0.24\text{ at }(1,1);\quad "
       r"a=0,\ b\to\infty:\ b^2M_2^{\rm clip}\to1,\ b^2\Big(1-\frac{b^2}{b^2+\pi/2}\Big)\to\frac\pi2",
       uses=("C5.second-moment-algebra",), digits=15)
def c5_second_moment_gap():
    r"""Approximation, admittedly crude in the post (spec P2): at \((a,b)=(1,1)\) the surrogate exceeds the exact softsign
    second moment (quadrature) by 0.24; at \(a=0\) and large \(b\) the clip moment is \(\approx1/b^2\) while the surrogate is
    \(\approx(\pi/2)/b^2\) (SymPy limits).  ``digits=15``: the stated overshoot has two digits; quadrature at 25 and 45
    digits settles it."""
    sur = 1 - b_ ** 2 / (a_ ** 2 + b_ ** 2 + sp.pi / 2)
    return All((Approximation(sur.subs({a_: 1, b_: 1}) - SoftsignM2(1, 1), stated("0.24")),
                # in erfc form (an exact rewrite): SymPy's limit takes a third of the time
                Identity(sp.limit(sp.expand(b_ ** 2 * M2_derived(sp.Integer(0), b_).rewrite(sp.erfc)), b_, sp.oo), 1),
                Identity(sp.limit(b_ ** 2 * sur.subs(a_, 0), b_, sp.oo), sp.pi / 2)),
               ("overshoot at (1,1)", "clip at a=0, b -> oo", "surrogate at a=0, b -> oo"))


TABLE_POINTS = ((sp.Integer(1), sp.Integer(1)), (sp.Rational(1, 2), sp.Integer(2)), (sp.Integer(2), sp.Rational(1, 2)))


TABLE_MEANS = (("0.513467200424", "0.609548422215", "0.52919710577"), ("0.193383224155", "0.236348671708", "0.207242490486"),
               ("0.900235058194", "0.945394686833", "0.828969961945"))


TABLE_M2 = (("0.479137564099", "0.679365307249", "0.719950423244"), ("0.183365179514", "0.275177485808", "0.312808802193"),
            ("0.870528553516", "0.961347029221", "0.957050550137"))


CLIP_AT_0 = ((sp.Rational(1, 2), "0.7405134606", "0.8627"), (sp.Integer(1), "0.516058551", "0.6110"), (sp.Integer(3), "0.1105563642", "0.1486"))


@claim("C5.reference-table",
       r"(a,b)=(1,1),(0.5,2),(2,0.5):\ \mathbb E\varphi,\ \mathbb E\varphi^2\ \text{(softsign / clip / surrogate) as in the spec; }"
       r"M_2(0,b)|_{b=0.5,1,3}=0.7405,\ 0.5161,\ 0.1106\ (\text{surrogate }0.8627,\ 0.6110,\ 0.1486)",
       uses=("C4.mean-gap", "C5.second-moment-gap", "C5.clip-second-moment"), digits=14)
def c5_reference_table():
    r"""The spec's reference table to its printed digits: exact softsign moments (quadrature), clip moments (C3's closed form
    and C5's), the surrogates; the softsign moments also by seeded Monte Carlo (\(2\cdot10^5\) samples, within 5 SE).
    ``digits=14``: the table prints at most 12 digits; quadrature at 24 and 44 digits settles them."""
    rows = []
    for (a, b), means, m2s in zip(TABLE_POINTS, TABLE_MEANS, TABLE_M2):
        d = a ** 2 + b ** 2 + sp.pi / 2
        where = f"({a},{b})"
        rows += [(f"softsign mean {where}", Approximation(SoftsignMean(a, b), stated(means[0]))),
                 (f"clip mean {where}", Approximation(F_closed(a, b), stated(means[1]))),
                 (f"surrogate mean {where}", Approximation(a / sp.sqrt(d), stated(means[2]))),
                 (f"softsign m2 {where}", Approximation(SoftsignM2(a, b), stated(m2s[0]))),
                 (f"clip m2 {where}", Approximation(M2_derived(a, b), stated(m2s[1]))),
                 (f"surrogate m2 {where}", Approximation(1 - b ** 2 / d, stated(m2s[2]))),
                 (f"MC mean {where}", Identity(SoftsignMeanMC(a, b), sp.Rational(means[0]))),
                 (f"MC m2 {where}", Identity(SoftsignM2MC(a, b), sp.Rational(m2s[0])))]
    for b, clip, sur in CLIP_AT_0:
        rows += [(f"clip m2(0,{b})", Approximation(M2_derived(sp.Integer(0), b), stated(clip))),
                 (f"surrogate m2(0,{b})", Approximation(1 - b ** 2 / (b ** 2 + sp.pi / 2), stated(sur)))]
    return joined(*rows)


@claim("C6.optimal-lr",
       r"\eta^*\approx\frac{\beta P}{\beta^2Q+(1-\beta^2)D},\quad P=\nu^\top g,\ Q=\nu^\top H\nu,\ D=\mathrm{tr}H;\quad \beta=\Big(1+\frac{\pi\kappa^2}{2B}\Big)^{-1/2}\in(0,1)\ \text{increasing in }B",
       hypotheses=(r"\text{A4, mean field A6'}",), uses=("C4.mean-algebra", "C5.second-moment-algebra"))
def c6_optimal_lr():
    r"""Plugging C4 and C5 into \(\eta^*=\mathbb E[\tilde\varphi]^\top g/\mathrm{tr}(\mathbb E[\tilde\varphi\tilde\varphi^\top]H)\)
    (explicit \(3\times3\)): \(\mathrm{tr}((\beta^2\nu\nu^\top+(1-\beta^2)I)H)=\beta^2Q+(1-\beta^2)D\).  Only \(\beta\) depends on
    \(B\); \(1-\beta^2\) and \(d\beta/dB\) are manifestly positive."""
    eta, PQD = derived_optimal_lr()
    closed = beta * P / (beta ** 2 * Q + (1 - beta ** 2) * D)
    bt = beta_of(B, kappa ** 2)
    return joined(parts([("eta*", eta, closed.subs(PQD, simultaneous=True)),
                         ("1 - beta^2", 1 - bt ** 2, (sp.pi * kappa ** 2 / (2 * B)) / (1 + sp.pi * kappa ** 2 / (2 * B)))],
                        {B: positive(32.0)}),
                  ("beta increasing", Inequality(sp.diff(bt, B), ">", 0)), ("beta < 1", Inequality(1 - bt ** 2, ">", 0)))


@claim("C6.example",
       r"g=(1,-0.5,0.25),\ H=\begin{pmatrix}2&.3&.1\\ .3&1&.2\\ .1&.2&.5\end{pmatrix},\ \kappa^2=4,\ B=8:\ \beta=0.7483977241491033,\ "
       r"\nu_{\epsilon=0.5}=(0.894427,-0.707107,0.447214),\ \eta^*_{\epsilon=0.5}=0.4017146571896243,\ \eta^*_{\epsilon=0}=0.4291382888976282",
       uses=("C6.optimal-lr",))
def c6_example():
    r"""The spec's worked example of C6, from the exact expressions, to the printed digits (binary64 prints: \(2^{-52}\) relative)."""
    bt = beta_of(8, 4)
    nu = [softsign(gi, sp.Rational(1, 2)) for gi in EX_G]
    rows = [("beta", Approximation(bt, sp.Rational("0.7483977241491033"), FLOAT64, relative=True))]
    rows += [(f"nu{i + 1}", Approximation(v, stated(s))) for i, (v, s) in enumerate(zip(nu, ("0.894427", "-0.707107", "0.447214")))]
    rows += [("eta*(eps=0.5)", Approximation(eta_formula(nu, EX_G, EX_H, bt), sp.Rational("0.4017146571896243"), FLOAT64, relative=True)),
             ("eta*(eps=0)", Approximation(eta_formula([sp.sign(gi) for gi in EX_G], EX_G, EX_H, bt),
                                           sp.Rational("0.4291382888976282"), FLOAT64, relative=True))]
    return joined(*rows)


@claim("C7.surge-condition",
       r"\partial_\beta\eta^*=\frac{P\,[D+\beta^2(D-Q)]}{[D+\beta^2(Q-D)]^2},\quad \beta_*^2=\frac D{Q-D},\quad 1-\beta_*^2=\frac{Q-2D}{Q-D};\\ "
       r"\text{surge (interior max in }B)\iff Q>2D;\quad \epsilon=0:\ Q-2D=O-D",
       hypotheses=(r"P>0,\ D>0", r"\beta\in(0,1)"), uses=("C6.optimal-lr",))
def c7_surge_condition():
    r"""Sharper than the post: \(\eta^*(\beta)\) has an interior maximum on \((0,1)\) iff \(\beta_*^2=D/(Q-D)\in(0,1)\), i.e.
    \(Q>2D\).  Exact certificates: for \(Q=2D-\delta\le2D\) the numerator is \((Dt+\delta)/(1+t)>0\) with \(\beta^2=1/(1+t)\)
    (monotone; this contains the post's necessary condition \(Q>D\)); for \(Q=2D+\delta\) the peak beats the
    \(B\to\infty\) value since \((\beta_*Q)^2-(2D)^2=D\delta^2/(D+\delta)>0\).  At \(\epsilon=0\), \(Q=D+O\) and the
    condition is 10542's \(O>D\) with \(\beta_*^2=D/O=\beta_n^2\)."""
    Qr, d, root, q0, o0 = derived_surge_condition()
    (mono, c_mono), (peak, c_peak) = surge_certificates()
    return joined(parts([("derivative", d, P * (D + beta ** 2 * (D - Qr)) / (D + beta ** 2 * (Qr - D)) ** 2),
                         ("beta*^2", root, D / (Qr - D)), ("1 - beta*^2", 1 - root, (Qr - 2 * D) / (Qr - D)),
                         ("eps = 0: Q - 2D = O - D", q0, o0)], {Qr: real(-5, 5)}),
                  ("Q <= 2D: monotone", Inequality(mono, ">", 0, certificate=c_mono)),
                  ("Q > 2D: interior max beats beta = 1", Inequality(peak, ">", 0, certificate=c_peak)))


@claim("C8.large-epsilon",
       r"\epsilon\to\infty:\ \nu_i\to0,\ \epsilon\nu_i\to g_i,\ \beta\to1,\ \epsilon^2(1-\beta^2)\to\frac{\pi\sigma^2}{2B},\quad "
       r"\frac{\eta^*}\epsilon\to\frac{\sum_ig_i^2}{\sum_{ij}g_ig_jH_{ij}+\pi\sigma^2\,\mathrm{tr}H/(2B)};\ Q\to0<2D\ (\text{no surge});\\ "
       r"\text{C6 example, }\sigma^2=1,\ B=8:\ 0.4918740\ (\epsilon=10^2),\ 0.4918543\ (10^4)\to0.49185425774016495",
       hypotheses=(r"\kappa^2=\sigma^2/(\gamma^2+\epsilon^2)\ \text{(A6')}",), uses=("C6.optimal-lr", "C7.surge-condition"))
def c8_large_epsilon():
    r"""The post's formula C6 at large \(\epsilon\): SymPy limits of its building blocks, then continuity (explicit \(d=2\));
    it becomes SGD's C5 with effective covariance \((\pi\sigma^2/2)I\).  Reference values on the C6 example
    (\(\sigma^2=1\), \(B=8\), \(\kappa^2=\sigma^2/\epsilon^2\)) to their printed digits.  The \(\pi/2\) is an artifact of the
    surrogates: see erratum E3."""
    g2, H2 = sym_vector("g", 2, real=True, nonzero=True), sym_matrix("h", 2, real=True)
    nu_lim, eps_nu_lim, bt_lim, rest_lim = large_epsilon_blocks()
    rewrite = (beta * (eps * P) / (beta ** 2 * eps ** 2 * Q + eps ** 2 * (1 - beta ** 2) * D)) - \
        beta * P / (beta ** 2 * Q + (1 - beta ** 2) * D) / eps
    refs = []
    for e, s in ((100, "0.4918740"), (10000, "0.4918543")):
        e = sp.Integer(e)
        value = eta_formula([softsign(gi, e) for gi in EX_G], EX_G, EX_H, beta_of(8, 1 / e ** 2)) / e
        refs.append((f"eps = {e}", Approximation(value, stated(s))))
    return joined(parts([("nu -> 0", nu_lim, 0), ("eps nu -> g", eps_nu_lim, g_r), ("beta -> 1", bt_lim, 1),
                         ("eps^2 (1-beta^2)", rest_lim, sp.pi * SIGMA2 / (2 * B)),
                         ("eta*/eps, explicit d=2", formula_limit(g2, H2), sgd_pi_half(g2, H2, SIGMA2, B)),
                         ("eta*/eps in the blocks", rewrite, 0)], {B: positive(32.0)}),
                  *refs, ("limit", Approximation(sgd_pi_half(EX_G, EX_H, 1, 8), sp.Rational("0.49185425774016495"), FLOAT64,
                                                 relative=True)))


@claim("C9.counterexamples",
       r"\text{(i) }H=\begin{pmatrix}1&-.9\\ -.9&1\end{pmatrix},\ g=(1,1000):\ Q=0.2,\ 0.83070,\ 0.97229,\ 0.00988\ \text{at }\epsilon=0,10,100,10^4;\\ "
       r"\text{(ii) }d=5,\ H\succ0\ (\lambda_{\min}=0.13623),\ g=(10^{-3},1,1,1,1):\ Q(0)=7<2D=10,\ Q(0.05)=12.2417>2D,\ \beta_*^2=0.69045\ (\beta_*\approx0.831),"
       r"\ Q(1)=6.1955,\ Q(3)=1.2393")
def c9_counterexamples():
    r"""The spec's counterexamples to the post's heuristic that a larger \(\epsilon\) shrinks \(Q\): (i) \(Q(\epsilon)\) is not
    monotone; (ii) there is no surge at \(\epsilon=0\) (\(Q=7<2D\)) but there is one at \(\epsilon=0.05\) (\(Q>2D\); the maximum
    of \(\eta^*(\beta)\) is interior, at \(\beta_*=\sqrt{D/(Q-D)}\approx0.831\)).  The conclusions follow from the stated values
    within their printed digits (\(Q(10)>Q(0)\), \(Q(10^4)<Q(100)\); \(Q(0)=7<2D=10<12.24=Q(0.05)\); \(\lambda_{\min}>0\)) and C7."""
    gi, Hi = example_i()
    gii, Hii = example_ii()
    Di = Hii.trace()
    rows = [(f"(i) Q({e})", Approximation(q_of(sp.Integer(e), gi, Hi), stated(s)))
            for e, s in ((0, "0.2"), (10, "0.83070"), (100, "0.97229"), (10000, "0.00988"))]
    eps_ii = ((0, "7.0"), (sp.Rational(1, 20), "12.2417"), (1, "6.1955"), (3, "1.2393"))
    rows += [(f"(ii) Q({e})", Approximation(q_of(sp.Integer(e) if e in (0, 1, 3) else e, gii, Hii), stated(s))) for e, s in eps_ii]
    q05 = q_of(sp.Rational(1, 20), gii, Hii)
    rows += [("(ii) lambda_min", Approximation(LambdaMin(), stated("0.13623"))),
             ("(ii) beta*^2", Approximation(Di / (q05 - Di), stated("0.69045"))),
             ("(ii) beta*", Approximation(sp.sqrt(Di / (q05 - Di)), stated("0.831")))]
    return joined(*rows)


@control("N1.slope-missing-sqrt2", r"\partial_aF(0,b)=\frac{\mathrm{erf}(b)}b")
def n1_slope_missing_sqrt2():
    r"""Wrong: at \(b=1\) it gives 0.8427, the slope is \(P(|z|<1)=0.6827\) (C3's path: derivative of the derived \(F\); \(P(|z|<b)/b\) numerically)."""
    return Identity(ClipSlope(b_), sp.erf(b_) / b_, {b_: positive(4.0)}, points=2)


@control("N2.constant-pi-over-4", r"\mathbb E\tilde\varphi\approx\frac a{\sqrt{a^2+b^2+\pi/4}}\quad\Big(\text{i.e. }\frac{b^2}{\mathrm{erf}_{\rm s}(b/\sqrt2)^2}=b^2+\frac\pi4\Big)")
def n2_constant_pi_over_4():
    r"""Wrong constant: the exact algebra of C4 gives \(\pi/2\) (difference \(\pi/4\) at every \(b\))."""
    return Identity(b_ ** 2 / erf_surrogate(b_ / R2) ** 2, b_ ** 2 + sp.pi / 4, {b_: positive(4.0)})


@control("N3.second-moment-without-pi-half", r"\mathbb E\tilde\varphi^2\approx1-\frac{b^2}{a^2+b^2}")
def n3_second_moment_without_pi_half():
    r"""Wrong: it vanishes at \(a=0\) for every \(b\), while the exact value at \((0,1)\) is 0.5161 > 0 (C5's path)."""
    return Identity(ClipM2(0, b_), (1 - b_ ** 2 / (a_ ** 2 + b_ ** 2)).subs(a_, 0), {b_: positive(4.0)}, points=1)


@control("N5.limit-without-pi-half",
         r"\text{post's formula: }\frac{\eta^*}\epsilon\to\frac{\sum_ig_i^2}{g^\top Hg+\sigma^2\mathrm{tr}H/B}\quad(=0.5426\text{ on the C6 example})")
def n5_limit_without_pi_half():
    r"""Wrong for the formula: its limit keeps the \(\pi/2\): 0.49185425774016495 vs 0.5426356589147286 on the C6 example
    (\(\sigma^2=1\), \(B=8\); C8's path, the limit of the blocks).  (That the exact model has no \(\pi/2\) is erratum E3.)"""
    g = sp.Matrix(EX_G)
    return Identity(formula_limit(EX_G, EX_H).subs({SIGMA2: 1, B: 8}), (g.T * g)[0] / ((g.T * EX_H * g)[0] + EX_H.trace() / 8))


@control("N6.wrong-limit", r"\lim_{\epsilon\to0}\epsilon\,\mathrm{softsign}(x,\epsilon)=x")
def n6_wrong_limit():
    r"""Wrong: the limit is 0 (the SGD limit is \(\epsilon\to\infty\))."""
    return Identity(sp.limit(eps * softsign(x_, eps), eps, 0, "+"), x_)


@control("N7.larger-epsilon-never-surges",
         r"\text{no surge at }\epsilon=0\ (Q(0)\le2D)\ \Longrightarrow\ \text{no surge at larger }\epsilon:\ Q(0.05)\le2D\quad\text{(example (ii))}")
def n7_larger_epsilon_never_surges():
    r"""Wrong: on example (ii) \(Q(0)=7\le10=2D\) but \(Q(0.05)=12.24>2D\), so by C7 there is a surge at \(\epsilon=0.05\)."""
    g, H = example_ii()
    return Inequality(q_of(sp.Rational(1, 20), g, H), "<=", 2 * H.trace())


@claim("E1.post-q-gt-d-suffices",
       r"Q>D\ \Longrightarrow\ \text{surge}:\ \ \beta_*^2=\frac D{Q-D}<1\quad(\epsilon=0,\ d=10,\ H=0.9I+0.1\mathbf 1\mathbf 1^\top,\ g>0:\ Q=19>D=10)")
def e1_post():
    r"""N4: \(Q=19\in(D,2D)\) but \(\beta_*^2=10/9>1\): no interior maximum."""
    Dv, Qv = weak_coupling_example()
    return Inequality(Dv / (Qv - Dv), "<", 1)


@claim("E1.corrected-monotone-below-2d",
       r"Q=19\le2D=20:\ \partial_\beta\eta^*\propto D+\beta^2(D-Q)=10-9\beta^2>0\ \text{on }(0,1);\ \text{a surge needs }Q>2D",
       uses=("C7.surge-condition",))
def e1_correct():
    r"""On the N4 example \(\eta^*(\beta)\) increases on \((0,1)\) (exact certificate \((10t+1)/(1+t)\) with \(\beta^2=1/(1+t)\)): the
    post's condition \(Q>D\) is necessary but not sufficient; C7's \(Q>2D\) is the condition."""
    Dv, Qv = weak_coupling_example()
    return Inequality((Dv + beta ** 2 * (Dv - Qv)).subs(beta, 1 / sp.sqrt(1 + t_)), ">", 0,
                      certificate=(Dv * t_ + 2 * Dv - Qv) / (1 + t_))


@claim("E2.post-q-shrinks-with-epsilon", r"Q(\epsilon)\ \text{non-increasing in }\epsilon:\ Q(0.05)\le Q(0)\quad\text{(example (ii))}")
def e2_post():
    r"""The post's heuristic "as \(\epsilon\) grows the \(|\nu_i|\) shrink, so \(Q\) shrinks": on example (ii)
    \(Q(0.05)=12.24>Q(0)=7\)."""
    g, H = example_ii()
    return Inequality(q_of(sp.Rational(1, 20), g, H), "<=", q_of(0, g, H))


@claim("E2.corrected-q-decreases-if-aligned",
       r"s_is_jH_{ij}\ge0\ \forall i,j\ \Longrightarrow\ \frac{dQ}{d\epsilon}=\frac{d}{d\epsilon}\sum_{ij}|\nu_i||\nu_j|\,s_is_jH_{ij}\le0;\qquad \epsilon\to\infty:\ Q\to0<2D",
       hypotheses=(r"\text{w.l.o.g. }g_i>0\ \text{(flip coordinates)},\ H_{ij}\ge0",), uses=("C8.large-epsilon",))
def e2_correct():
    r"""What survives: monotone decrease of \(Q\) when all \(s_is_jH_{ij}\ge0\): w.l.o.g. \(g_i>0\) (flip coordinates) and
    \(H_{ij}\ge0\); \(|\nu_i|=|g_i|/\sqrt{g_i^2+\epsilon^2}\) decreases in \(\epsilon\), so every term of \(Q\) does (explicit
    \(d=2\), exact sign), and no surge for \(\epsilon\to\infty\) (C8).  With negative off-diagonal couplings (example (ii))
    a moderate \(\epsilon\) can raise \(Q\) above \(2D\) and create a surge."""
    g = sym_vector("g", 2, positive=True)
    H = sym_matrix("h", 2, nonnegative=True)
    nu = sp.Matrix([softsign(x, eps) for x in g])
    return Inequality(sp.diff((nu.T * H * nu)[0], eps), "<=", 0, points=8)


@claim("E3.post-pi-half-in-exact-model",
       r"\text{exact softsign model: }\frac{\eta^*}\epsilon\to\frac{\sum_ig_i^2}{g^\top Hg+\pi\sigma^2\,\mathrm{tr}H/(2B)}\quad(\text{SGD with covariance }\tfrac{\pi\sigma^2}2I/B)",
       )
def e3_post():
    r"""The post presents the large-\(\epsilon\) law as SGD with an effective covariance \((\pi\sigma^2/2)I\).  For the exact
    softsign model (C12 with its exact moments) on the C6 example with \(\sigma^2=1\), \(B=8\), the limit
    \(\epsilon\to\infty\) is 0.5426356589, not 0.4918542577 (Gaussian moments; Monte Carlo of the model's moments)."""
    return Identity(ExactModel(0), sgd_pi_half(EX_G, EX_H, 1, 8))


@claim("E3.corrected-exact-model-is-sgd",
       r"\text{exact model: }\epsilon\,\mathrm{softsign}(\tilde g,\epsilon)\to\tilde g,\ |\epsilon\,\mathrm{softsign}(\tilde g,\epsilon)|\le|\tilde g|\ \Longrightarrow\ "
       r"\frac{\eta^*}\epsilon\to\frac{\sum_ig_i^2}{g^\top Hg+\mathrm{tr}(\Sigma H)/B}\quad(\text{plain SGD, }\Sigma/B)",
       uses=("C1.limits",))
def e3_correct():
    r"""Pointwise \(\epsilon\,\mathrm{softsign}(x,\epsilon)\to x\) with \(|\epsilon\,\mathrm{softsign}(x,\epsilon)|\le|x|\) (proved; the margin is
    \(|x|^3/(\sqrt{x^2+\epsilon^2}(\sqrt{x^2+\epsilon^2}+\epsilon))\ge0\)), so by dominated
    convergence \(\epsilon\,\mathbb E\varphi_i\to g_i\) and \(\epsilon^2\mathbb E\varphi_i^2\to g_i^2+\sigma_i^2/B\): the exact model tends to SGD with
    \(\Sigma/B\), here \(\sigma^2=1\), \(B=8\) on the C6 example (Gaussian moments at \(\delta=1/\epsilon^2=0\), and a Monte Carlo
    of the model's moments there, within 5 SE; the \(\pi/2\) of C8 comes from the clip and erf surrogates)."""
    g = sp.Matrix(EX_G)
    sgd = (g.T * g)[0] / ((g.T * EX_H * g)[0] + EX_H.trace() / 8)
    return All((Identity(sp.limit(eps * softsign(x_, eps), eps, sp.oo), x_),
                Inequality(sp.Abs(eps * softsign(x_, eps)), "<=", sp.Abs(x_),
                           certificate=sp.Abs(x_) ** 3 / (sp.sqrt(x_ ** 2 + eps ** 2) * (sp.sqrt(x_ ** 2 + eps ** 2) + eps))),
                Identity(ExactModel(0), sgd)), ("pointwise limit", "dominated", "limit of the exact model"))


def results():
    c6 = beta * P / (beta ** 2 * Q + (1 - beta ** 2) * D)

    def tex(e):
        return sp.latex(e, symbol_names={SIGMA2: r"\sigma^2"})

    g2, H2 = sym_vector("g", 2, real=True, nonzero=True), sym_matrix("h", 2, real=True)
    return [
        ("Softsign (Adam with epsilon): eta*(B) (C6)", r"\eta^*(B)\approx" + tex(c6) + r",\quad \beta=" + tex(beta_of(B, kappa ** 2))
         + r",\ P=\nu^\top g,\ Q=\nu^\top H\nu,\ D=\mathrm{tr}H,\ \nu_i=" + tex(softsign(sp.Symbol("g_i"), eps))),
        ("SignSGD limit epsilon = 0 (Q = D + O, P = G_1)", r"\eta^*(B)\approx" + tex(c6.subs(Q, D + O))),
        ("Surge condition (C7)", r"\beta_*^2=" + tex(derived_surge_condition()[2]) + r"\in(0,1)\iff Q>2D\quad(P>0)"),
        ("Large epsilon, post's formula (C8, d=2 shown)", r"\lim_{\epsilon\to\infty}\frac{\eta^*}{\epsilon}=" + tex(formula_limit(g2, H2))),
    ]
