r"""Figures of batch-size-lr: the optimal learning rate against the batch size (SGD, SignSGD, the surge) with the
checked reference values, the erf surrogate's gap with its stated maximum, and the mean field's error.

Curves are the post's formulas (from :mod:`.algebra`, lambdified for numpy/SciPy); markers are the values the
claims check (C15.surge-example, C11.erf-gap, C14.mean-field-gap)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from derivations.engine import Figure

from .algebra import (SURGE_B, SURGE_ETAS, SURGE_KAPPA, B, beta_of, exact_erf_law, mean_field_relative_gap, surge_data,
                      x_)

BLUE, GREEN, RED, GREY = "#0550ae", "#1a7f37", "#cf222e", "#6e7781"


def _numeric(expr, var):
    return sp.lambdify(var, expr, modules=["scipy", "numpy"])


def draw_eta_star(fig):
    """Left: eta*(B) / eta*(oo) on the spec's example (d=10, sigma_i = 2 g_i) for SGD, SignSGD with diagonal H and
    SignSGD with H = I/2 + 11^T/2.  Right: the surge itself, exact erf against the mean-field law, with the checked
    values, both peaks and their common height sqrt(2)/6, and the large-batch limit 2/11."""
    g, H, sigma, Dv, Ov, G1v = surge_data()
    Hd = sp.diag(*[H[i, i] for i in range(len(g))])
    gv = sp.Matrix(g)
    sgd = (gv.T * gv)[0] / ((gv.T * H * gv)[0] + sum(s ** 2 * H[i, i] for i, s in enumerate(sigma)) / B)
    surge = exact_erf_law(B, g, H, sigma)
    bt = beta_of(B, SURGE_KAPPA ** 2)
    mean_field = bt * G1v / (Dv + bt ** 2 * Ov)
    bs = np.geomspace(1e-2, 1e3, 300)
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for label, law, colour in (("SGD", sgd, BLUE), ("SignSGD, diagonal $H$", exact_erf_law(B, g, Hd, sigma), GREEN),
                               ("SignSGD, coupled $H$ (surge)", surge, RED)):
        left.loglog(bs, _numeric(law, B)(bs) / float(sp.limit(law, B, sp.oo)), color=colour, lw=1.4, label=label)
    left.set_xlabel("batch size $B$ (examples)")
    left.set_ylabel("$\\eta^*(B)\\,/\\,\\eta^*(\\infty)$")
    left.set_title("exact $\\mathbb{E}\\,\\mathrm{sign}=\\mathrm{erf}$; SGD with $\\Sigma=\\mathrm{diag}(\\sigma_i^2)$", fontsize=8.5)
    left.legend(fontsize=7, loc="lower right")
    left.grid(alpha=0.3, which="both")
    zoom = np.geomspace(0.1, 100, 300)
    right.semilogx(zoom, _numeric(surge, B)(zoom), color=RED, lw=1.4, label="exact erf (C12)")
    right.semilogx(zoom, _numeric(mean_field, B)(zoom), color=RED, ls="--", lw=1.2,
                   label="mean field $\\beta G_1/(D+\\beta^2O)$ (C15)")
    right.plot(SURGE_B, [float(v) for v in SURGE_ETAS], "o", ms=4, color=RED, label="checked values, $B=1,\\ldots,16$")
    right.axhline(math.sqrt(2) / 6, color=GREY, ls=":", lw=0.8)
    right.axhline(2 / 11, color=GREY, ls="-.", lw=0.8)
    right.text(0.12, math.sqrt(2) / 6 + 0.002, "peak height $\\hat\\eta=\\sqrt{2}/6$", fontsize=7, color=GREY)
    right.text(20, 2 / 11 - 0.007, "limit $2/11$", fontsize=7, color=GREY)
    right.axvline(1.58836, color=RED, lw=0.8)
    right.axvline(4 * math.pi / 7, color=RED, ls="--", lw=0.8)
    right.text(1.58836 / 1.08, 0.105, "1.58836", rotation=90, fontsize=7, color=RED, ha="right")
    right.text(4 * math.pi / 7 * 1.08, 0.105, "1.79520", rotation=90, fontsize=7, color=RED)
    right.set_ylim(0.1, 0.26)
    right.set_xlabel("batch size $B$ (examples)")
    right.set_ylabel("$\\eta^*(B)$ (SignSGD, coupled $H$)")
    right.set_title("the surge: peaks at 1.58836 (erf) and 1.79520 (mean field)", fontsize=8.5)
    right.legend(fontsize=6.5, loc="lower right")
    right.grid(alpha=0.3, which="both")


def draw_erf_gap(fig):
    """erf and its surrogate, and their gap with the stated maximum 0.1078 at x = 1.33."""
    xs = np.linspace(0, 4, 400)
    sur = _numeric(x_ / sp.sqrt(x_ ** 2 + sp.pi / 4), x_)(xs)
    erf = _numeric(sp.erf(x_), x_)(xs)
    top, bottom = fig.add_subplot(2, 1, 1), fig.add_subplot(2, 1, 2)
    top.plot(xs, erf, color=BLUE, label="$\\mathrm{erf}(x)=\\mathbb{E}\\,\\mathrm{sign}$ (C10)")
    top.plot(xs, sur, color=GREEN, ls="--", label="surrogate $x/\\sqrt{x^2+\\pi/4}$ (C11)")
    top.set_xlabel("$x$")
    top.set_ylabel("mean of the sign")
    top.legend(fontsize=7, loc="lower right")
    top.grid(alpha=0.3)
    bottom.plot(xs, erf - sur, color=RED, label="$\\mathrm{erf}(x)-x/\\sqrt{x^2+\\pi/4}$")
    bottom.axhline(0.1078, color=GREY, ls=":", lw=0.8)
    bottom.plot([1.33], [0.1078], "o", color=RED, ms=4, label="stated maximum 0.1078 at $x\\approx1.33$ (checked)")
    bottom.set_xlabel("$x=(g/\\sigma)\\sqrt{B/2}$ (dimensionless)")
    bottom.set_ylabel("gap")
    bottom.legend(fontsize=7, loc="upper right")
    bottom.grid(alpha=0.3)


def draw_mean_field_gap(fig):
    """The mean field's relative error on a heterogeneous example, against its exact small-batch limit."""
    gap, _, _, limit0 = mean_field_relative_gap()
    bs = np.geomspace(1e-3, 1e3, 300)
    ax = fig.add_subplot(1, 1, 1)
    ax.semilogx(bs, _numeric(gap, B)(bs), color=BLUE, label="(mean-field law $-$ per-component law) / per-component law")
    ax.axhline(float(limit0), color=RED, ls="--", lw=1,
               label=f"exact limit $G_1/(\\kappa\\sum g_i^2/\\sigma_i)-1={float(limit0):.4f}$ as $B\\to0$")
    ax.set_xlabel("batch size $B$ (examples)")
    ax.set_ylabel("relative error of the mean field")
    ax.set_title("Mean field A6, diagonal $H$, $g=\\mathrm{linspace}(0.5,1.5,10)$, $\\sigma_i=1$", fontsize=9.5)
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(alpha=0.3, which="both")


FIGURES = (
    Figure("eta-star", "The one-step optimal learning rate against the batch size, divided by its large-batch limit, on the "
           "spec's example (d=10, g evenly spaced in [0.5, 1.5], sigma_i = 2 g_i). SGD rises linearly and saturates; SignSGD "
           "(exact E sign = erf) rises like sqrt(B); with the strongly coupled H (O = 45 > D = 10) it overshoots (the surge) and "
           "falls back to ||g||_1/(s^T H s). Dots: the reference values checked by C15.surge-example; vertical lines: the "
           "exact-erf peak 1.58836 and the mean-field peak 4 pi/7 = 1.79520 (both of height sqrt(2)/6).", draw_eta_star),
    Figure("erf-gap", "The erf surrogate x/sqrt(x^2+pi/4) against erf (same slope 2/sqrt(pi) at 0, same limit 1), and their gap: "
           "largest, 0.1078, at x = 1.33 (the stated values, checked by C11.erf-gap).", draw_erf_gap),
    Figure("mean-field-gap", "Relative error of the mean-field law (G_1/D) beta(B) against the per-component diagonal law on a "
           "heterogeneous example: largest for small batches, where it tends to the exact constant -0.2427 (C14.mean-field-gap), "
           "and vanishing for large ones.", draw_mean_field_gap),
)
