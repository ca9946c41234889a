"""The figure of the smooth Top-K post: GradTopK and the weighted-softmax iteration as the temperature falls."""
from __future__ import annotations

import mpmath
import numpy as np

from derivations.topk import numerics as num
from derivations.topk.claims import X_A

COLOURS = ("#0550ae", "#cf222e", "#8250df", "#1a7f37")


def draw_limits(fig):
    r"""Entries of \(\mathrm{GradTopK}_2(x/\tau)\) (left) and of the weighted-softmax iteration \(p^{(2)}(x/\tau)\) (right)
    at \(x=(3,2,1,4)\) against \(1/\tau\), 30-digit mpmath in cancellation-free forms (subset enumeration; \(1-p_i\) as a
    sum of the other weights): the recurrence and the iteration as written lose \(\approx(x_{(1)}-x_{(2)})/(\tau\ln10)\)
    digits."""
    inverse_tau = np.geomspace(0.5, 100, 60)
    with mpmath.workdps(30):
        grad = np.array([[float(v) for v in num.gradtopk_enumeration([t * s for t in X_A], 2)] for s in inverse_tau])
        p2 = np.array([[float(v) for v in num.iteration_stable(X_A, 1 / mpmath.mpf(s))] for s in inverse_tau])
    panels = ((grad, r"GradTopK$_2(x/\tau)\to\mathcal{T}_2(x)=(1,0,0,1)$", (1, 0, 0, 1)),
              (p2, r"weighted-softmax $p^{(2)}(x/\tau)\to(\frac{1}{2},0,0,\frac{3}{2})$", (0.5, 0, 0, 1.5)))
    for k, (values, title, limit) in enumerate(panels):
        ax = fig.add_subplot(1, 2, k + 1)
        for i, colour in enumerate(COLOURS):
            ax.plot(inverse_tau, values[:, i], color=colour, lw=1.8, label=f"$x_{i + 1}={X_A[i]}$")
            ax.axhline(limit[i], color=colour, ls=":", lw=1)
        ax.set_xscale("log")
        ax.set_xlabel(r"inverse temperature $1/\tau$")
        ax.set_ylabel("entry")
        ax.set_title(title, fontsize=9)
        ax.grid(alpha=0.3)
        if k == 0:
            ax.legend(fontsize=7, loc="center left")
