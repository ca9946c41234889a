r"""Figures of the SGD average-loss post: the bound against the simulated average regret, and the optimal step sizes.

Each ``draw(fig)`` draws on a matplotlib ``Figure`` through its object API (no pyplot state) and recomputes what it
shows (the simulation of ``C1.simulation`` in float64, the bounds from their closed forms)."""
from __future__ import annotations

import math

import numpy as np

from derivations.engine import Figure
from derivations.sgd_average_loss import numerics as num

BLUE, RED, GREEN, GREY = "#0550ae", "#cf222e", "#1a7f37", "#8c959f"


def draw_regret(fig) -> None:
    """Average regret of the simulation after each T against the C1 bound, for both schedules."""
    fig.set_size_inches(10, 4.2)
    axes = fig.subplots(1, 2, sharey=True)
    titles = {"constant": r"constant $\eta=D/(G\sqrt{5000})$", "sqrt": r"$\eta_t=\frac{D}{\sqrt{2}G}\,t^{-1/2}$"}
    checked = {"constant": 0.028284, "sqrt": 0.039794}
    for ax, schedule in zip(axes, ("constant", "sqrt")):
        ts, avg, bound = num.ball_running(schedule)
        ax.loglog(ts, bound, color=RED, label=r"bound $\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\sum_{t\leq T}\eta_t$")
        pos = avg > 0
        ax.loglog(ts[pos], avg[pos], ".", ms=1.5, color=BLUE,
                  label=r"average regret $\frac{1}{T}\sum_{t\leq T}[L_t(\theta_t)-L_t(\theta^*)]$")
        ax.plot([num.BALL_T], [checked[schedule]], "s", color=RED, ms=6, label=f"checked bound {checked[schedule]}")
        ax.plot([num.BALL_T], [avg[-1]], "o", color=BLUE, ms=6, label=f"checked regret {avg[-1]:.4f} (C1.simulation)")
        ax.set_xlabel("number of steps $T$")
        ax.set_title(titles[schedule], fontsize=10)
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=7, loc="lower left")
    axes[0].set_ylabel("average loss gap")
    fig.tight_layout()


def draw_step_size(fig) -> None:
    """The bound as a function of the constant rate (left) and of the constant of eta_t = alpha/sqrt(t) (right)."""
    fig.set_size_inches(10, 4.2)
    left, right = fig.subplots(1, 2)
    D, G = 2.0, 1.0
    etas = np.geomspace(1e-4, 1, 400)
    for T, col in ((10 ** 2, GREEN), (10 ** 4, BLUE)):
        left.loglog(etas, D ** 2 / (2 * T * etas) + G ** 2 * etas / 2, color=col, label=f"$T=10^{{{int(math.log10(T))}}}$")
        star = D / (G * math.sqrt(T))
        left.plot([star], [D * G / math.sqrt(T)], "o", color=col, ms=5)
    left.annotate(r"$T=10^4$: $\eta^*=D/(G\sqrt{T})=0.02$," "\n" r"bound $DG/\sqrt{T}=0.02$ (C2.argmin)", (0.02, 0.02),
                  xytext=(-150, 25), textcoords="offset points", fontsize=7, arrowprops={"arrowstyle": "->", "lw": 0.6})
    left.set_xlabel(r"constant step size $\eta$")
    left.set_ylabel(r"bound $\frac{D^2}{2T\eta}+\frac{G^2\eta}{2}$")
    left.set_title(r"constant rate ($D=2$, $G=1$)", fontsize=10)
    left.legend(fontsize=8)
    T = 10 ** 4
    alphas = np.geomspace(0.1, 20, 300)
    right.loglog(alphas, D ** 2 / (2 * alphas * math.sqrt(T)) + G ** 2 * alphas / math.sqrt(T), color=BLUE,
                 label=r"C4: $\frac{D^2}{2\alpha\sqrt{T}}+\frac{G^2\alpha}{\sqrt{T}}$")
    right.plot([1, math.sqrt(2)], [0.03, 2 * math.sqrt(2) / 100], "o", color=RED, ms=5,
               label=r"checked: $0.03$ at $\alpha=1$, $2\sqrt{2}/100$ at $\alpha^*=D/(\sqrt{2}G)$")
    right.axhline(D * G / math.sqrt(T), color=GREY, ls=":", lw=1, label=r"constant-rate optimum $DG/\sqrt{T}$")
    right.set_xlabel(r"constant $\alpha$ of $\eta_t=\alpha/\sqrt{t}$")
    right.set_ylabel("bound on the average regret")
    right.set_title(r"$\eta_t=\alpha/\sqrt{t}$, $T=10^4$", fontsize=10)
    right.legend(fontsize=7, loc="upper center")
    for ax in (left, right):
        ax.grid(alpha=0.3, which="both")
    fig.tight_layout()


FIGURES = (
    Figure("regret-vs-bound", r"Projected SGD on the unit ball of \(\mathbb R^5\) (\(D=2\)), losses "
           r"\(L_t(\theta)=|a_t\cdot\theta-b_t|\) with \(\|a_t\|=1\) (\(G=1\)), seed 2023, comparator an approximate "
           r"minimiser of the average loss: the average regret after \(T\) steps (dots; negative values, possible "
           r"because \(\theta^*\) is fixed, are not drawn) stays below the bound of C1 at every \(T\), for the constant "
           r"rate tuned to \(T=5000\) (left) and for \(\eta_t=\frac{D}{\sqrt2G}t^{-1/2}\) (right); the squares are the "
           r"checked values at \(T=5000\).  The bound is loose by a factor of 3 to 4.", draw_regret),
    Figure("step-size", r"The optimal step sizes.  Left: the constant-rate bound \(\frac{D^2}{2T\eta}+\frac{G^2\eta}2\) "
           r"is minimal at \(\eta^*=D/(G\sqrt T)\) with value \(DG/\sqrt T\) (a perfect square, C2).  Right: with "
           r"\(\eta_t=\alpha/\sqrt t\) (no need to know \(T\)) C4's bound is minimal at \(\alpha^*=D/(\sqrt2G)\), with "
           r"value \(\sqrt2\) times the constant-rate optimum \(DG/\sqrt T\) (dotted).",
           draw_step_size),
)
