r"""Figures of adam-epsilon: the softsign moments against their clip and surrogate approximations (with the spec's
checked values), the optimal learning rate against \(\beta\) on counterexample (ii) (a surge created by \(\epsilon\)), and
the large-\(\epsilon\) limit of the exact model against the post's formula.

Curves are the post's formulas from :mod:`.algebra` (lambdified for numpy/SciPy) and float64 quadrature
(``scipy.integrate.quad``) of the exact moments; markers are the values the claims check."""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import integrate

from derivations.engine import Figure

from .algebra import EX_G, EX_H, F_closed, M2_derived, a_, beta, eta_formula, example_ii, q_of, softsign

BLUE, GREEN, RED, GREY = "#0550ae", "#1a7f37", "#cf222e", "#6e7781"


def _softsign_moment(a: float, b: float, k: int) -> float:
    """\\(\\mathbb E[s^k]\\), \\(s=(a+z)/\\sqrt{(a+z)^2+b^2}\\), by float64 quadrature split where \\(s\\) bends."""
    def f(z):
        return ((a + z) / np.hypot(a + z, b)) ** k * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
    return integrate.quad(f, -a - 12, -a + 12, points=[-a - b, -a, -a + b], limit=200)[0]


def draw_moments(fig):
    """E softsign and E softsign^2 against a at b = 1: exact (quadrature), clip (closed form), post's surrogate."""
    b = 1.0
    xs = np.linspace(0, 4, 161)
    clip1 = sp.lambdify(a_, F_closed(a_, sp.Integer(1)), modules=["scipy", "numpy"])
    clip2 = sp.lambdify(a_, M2_derived(a_, sp.Integer(1)), modules=["scipy", "numpy"])
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for ax, k, clip, sur, refs, name in (
            (left, 1, clip1, xs / np.sqrt(xs ** 2 + b * b + np.pi / 2), (0.513467200424, 0.609548422215, 0.52919710577),
             "mean $\\mathbb{E}\\,\\varphi$"),
            (right, 2, clip2, 1 - b * b / (xs ** 2 + b * b + np.pi / 2), (0.479137564099, 0.679365307249, 0.719950423244),
             "second moment $\\mathbb{E}\\,\\varphi^2$")):
        ax.plot(xs, [_softsign_moment(a, b, k) for a in xs], color=BLUE, lw=1.5, label="softsign, exact (quadrature)")
        ax.plot(xs, clip(xs), color=GREEN, ls="--", label="clip surrogate (C3/C5 closed form)")
        ax.plot(xs, sur, color=RED, ls="-.", label="post's surrogate (C4/C5)")
        ax.plot([1, 1, 1], refs, "o", ms=4, color=GREY, label="spec's values at $(1,1)$, checked")
        ax.set_xlabel("$a=g\\sqrt{B}/\\sigma$ (at $b=\\epsilon\\sqrt{B}/\\sigma=1$)")
        ax.set_ylabel(name)
        ax.legend(fontsize=6.5, loc="lower right")
        ax.grid(alpha=0.3)
    left.set_title("mean: the two approximations partly cancel", fontsize=8.5)
    right.set_title("second moment: the surrogate is crude (0.24 high at $a=1$)", fontsize=8.5)


def draw_surge(fig):
    """eta*(beta)/eta*(1) from C6 on counterexample (ii) for several epsilon: an interior maximum only when Q > 2D."""
    g, H = example_ii()
    D = H.trace()
    betas = np.linspace(0.02, 1, 300)
    ax = fig.add_subplot(1, 1, 1)
    for e, colour in ((0, BLUE), (sp.Rational(1, 20), RED), (1, GREEN), (3, GREY)):
        nu = [sp.sign(x) if e == 0 else softsign(x, e) for x in g]
        law = sp.lambdify(beta, eta_formula(nu, g, H, beta) / eta_formula(nu, g, H, 1), "numpy")
        Q = float(q_of(e, g, H))
        ax.plot(betas, law(betas), color=colour, lw=1.4,
                label=f"$\\epsilon={float(e):g}$: $Q={Q:.4g}$ " + ("$>2D$: surge" if Q > 2 * D else "$\\leq 2D$: monotone"))
    q05 = q_of(sp.Rational(1, 20), g, H)
    b_star = float(sp.sqrt(D / (q05 - D)))
    ax.axvline(b_star, color=RED, ls=":", lw=0.8)
    ax.text(b_star - 0.01, 0.15, f"$\\beta_*=\\sqrt{{D/(Q-D)}}={b_star:.3f}$", rotation=90, fontsize=7, color=RED, ha="right")
    ax.set_xlabel("$\\beta=(1+\\pi\\kappa^2/2B)^{-1/2}$ (increases with the batch size $B$)")
    ax.set_ylabel("$\\eta^*(\\beta)\\,/\\,\\eta^*(1)$")
    ax.set_title("Counterexample (ii), $D=5$: no surge at $\\epsilon=0$, a surge at $\\epsilon=0.05$ (C9, erratum E2)", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(alpha=0.3)


def _exact_eta_over_eps(e: float) -> float:
    """eta*/eps of the exact softsign model on the C6 example (sigma^2 = 1, B = 8), float64 quadrature."""
    s = 1 / np.sqrt(8)
    g = np.array([float(v) for v in EX_G])
    H = np.array(EX_H.tolist(), dtype=float)
    m1 = np.array([e * _softsign_moment(gi / s, e / s, 1) for gi in g])
    m2 = np.array([e * e * _softsign_moment(gi / s, e / s, 2) for gi in g])
    off = H - np.diag(np.diag(H))
    return float(m1 @ g / (m1 @ off @ m1 + np.diag(H) @ m2))


def draw_large_epsilon(fig):
    """eta*/eps against eps on the C6 example: the post's formula (C6 with kappa^2 = sigma^2/eps^2) tends to the pi/2
    value, the exact softsign model to plain SGD (erratum E3)."""
    from .algebra import beta_of, sgd_pi_half
    es = np.geomspace(1, 300, 50)
    post = [float(eta_formula([softsign(x, sp.Float(e)) for x in EX_G], EX_G, EX_H, beta_of(8, 1 / sp.Float(e) ** 2)) / e)
            for e in es]
    g = sp.Matrix(EX_G)
    sgd = float((g.T * g)[0] / ((g.T * EX_H * g)[0] + EX_H.trace() / 8))
    ax = fig.add_subplot(1, 1, 1)
    ax.semilogx(es, post, color=RED, lw=1.4, label="post's formula C6 ($\\kappa^2=\\sigma^2/\\epsilon^2$)")
    ax.semilogx(es, [_exact_eta_over_eps(e) for e in es], color=BLUE, lw=1.4, label="exact softsign model (quadrature)")
    ax.axhline(float(sgd_pi_half(EX_G, EX_H, 1, 8)), color=RED, ls=":", lw=0.8,
               label="C8 limit with $\\pi\\sigma^2/2$: 0.491854")
    ax.axhline(sgd, color=BLUE, ls=":", lw=0.8, label=f"plain SGD with $\\Sigma/B$: {sgd:.6f}")
    ax.set_ylim(0.47, 0.6)
    ax.set_xlabel("$\\epsilon$ (units of the gradient)")
    ax.set_ylabel("$\\eta^*/\\epsilon$")
    ax.set_title("Large $\\epsilon$ on the C6 example ($\\sigma^2=1$, $B=8$): the $\\pi/2$ is an artifact", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    ax.grid(alpha=0.3, which="both")


FIGURES = (
    Figure("moments", "The mean and second moment of the softsign update against a = g sqrt(B)/sigma at b = eps sqrt(B)/sigma = 1: "
           "exact (quadrature), the clip surrogate's closed forms (C3, C5) and the post's final surrogates (C4, C5). Grey dots: "
           "the spec's reference values at (1, 1), checked by C5.reference-table.", draw_moments),
    Figure("surge", "The post's optimal learning rate C6 as a function of beta (which increases with B), divided by its "
           "large-batch value, on counterexample (ii): monotone at eps = 0 (Q = 7 < 2D), an interior maximum at "
           "beta* = 0.831 for eps = 0.05 (Q = 12.24 > 2D), monotone again for larger eps (C7, C9, erratum E2).", draw_surge),
    Figure("large-epsilon", "eta*/eps against eps on the C6 example: the post's formula tends to SGD with covariance "
           "(pi sigma^2/2) I/B (C8), the exact softsign model to plain SGD with Sigma/B (erratum E3).", draw_large_epsilon),
)
