"""The integral test's figures: the sandwich of C3 around the partial sums, and the three counterexamples of C9 to
the post's hypothesis-free statement."""
from __future__ import annotations

import math

import mpmath
import numpy as np

from derivations.integral_test import numerics as num

BAND, SUMS, INTEGRAL = "#ddf4ff", "#0550ae", "#cf222e"


def draw_sandwich(fig):
    r"""C3 for \(f=x^{-2}\) and \(f=1/x\): the partial sums between \(\int_1^{N+1}f\) and \(f(1)+\int_1^Nf\)."""
    ax = fig.add_subplot(1, 2, 1)
    n = np.arange(1, 41)
    ax.fill_between(n, 1 - 1 / (n + 1), 2 - 1 / n, color=BAND, label=r"$\int_1^{N+1}f\leq S_N\leq f(1)+\int_1^Nf$")
    ax.plot(n, np.cumsum(1.0 / n ** 2), "o", ms=3, color=SUMS, label=r"$S_N=\sum_{n\leq N}n^{-2}$")
    ax.axhline(math.pi ** 2 / 6, color="black", ls=":", lw=1, label=r"$\zeta(2)=\pi^2/6$")
    ax.axhline(1, color=INTEGRAL, ls="--", lw=1, label=r"$\int_1^\infty x^{-2}dx=1$")
    ax.set_xlabel("$N$")
    ax.set_ylabel("partial sum")
    ax.set_title(r"$f=x^{-2}$: converges (to $\zeta(2)$, not to the integral)", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(alpha=0.3)
    ax = fig.add_subplot(1, 2, 2)
    m = np.unique(np.geomspace(1, 1e4, 80).astype(int))
    ax.fill_between(m, np.log(m + 1), 1 + np.log(m), color=BAND, label=r"$\ln(N+1)\leq H_N\leq1+\ln N$")
    ax.plot(m, np.cumsum(1.0 / np.arange(1, 10001))[m - 1], "o", ms=3, color=SUMS, label=r"$H_N=\sum_{n\leq N}1/n$")
    ax.set_xscale("log")
    ax.set_xlabel("$N$")
    ax.set_ylabel("partial sum")
    ax.set_title(r"$f=1/x$: diverges with the integral", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(alpha=0.3, which="both")


def draw_counterexamples(fig):
    r"""C9's three functions: partial sums \(S_N=\sum_{n\le N}f(n)\) against \(\int_1^Nf\)."""
    N = np.arange(1, 31)
    with mpmath.workdps(20):
        ci = np.array([float(mpmath.ci(2 * mpmath.pi * k) - mpmath.ci(2 * mpmath.pi)) for k in N])
    panels = (
        (r"(a) $\sin^2\pi x$: integral $\to\infty$, series $=0$", np.zeros(len(N)), (N - 1) / 2, "linear"),
        (r"(b) $e^{-x^4\sin^2\pi x}$: integral $\to0.5754$, $f(n)=1$", N.astype(float), num.bump_partial_integrals(30),
         "log"),
        (r"(c) $\cos(2\pi x)/x$: integral $\to-\mathrm{Ci}(2\pi)$, $f(n)=\frac{1}{n}$", np.cumsum(1.0 / N), ci, "linear"),
    )
    for k, (title, sums, integrals, scale) in enumerate(panels):
        ax = fig.add_subplot(1, 3, k + 1)
        ax.plot(N, sums, "o", ms=3, color=SUMS, label=r"$S_N=\sum_{n\leq N}f(n)$")
        ax.plot(N, integrals, "-", lw=2, color=INTEGRAL, label=r"$\int_1^Nf(x)\,dx$")
        ax.set_yscale(scale)
        ax.set_xlabel("$N$")
        ax.set_ylabel("partial sum, integral" + (" (log scale)" if scale == "log" else ""))
        ax.set_title(title.replace(": ", ":\n", 1), fontsize=8)  # three panels side by side: two short lines
        ax.grid(alpha=0.3)
        if k == 0:
            ax.legend(fontsize=7, loc="upper left")
