r"""Figures of the RoPE posts (matplotlib object API; each ``draw(fig)`` fills a ``Figure``)."""
from __future__ import annotations

import numpy as np

from derivations.engine import Figure
from derivations.rope.numerics import np_indicator, np_partial_sums, np_scores, np_extremal_query, np_thetas

D = 128
STATED = {1000: "4.4708", 4096: "4.8828"}  # the erratum's values, to their printed digits


def draw_decay(fig) -> None:
    r"""\(F_{128}(\Delta)\) with the curves a monotone reading of the post's plot would give."""
    ax_near, ax_far = fig.subplots(1, 2, gridspec_kw={"width_ratios": (1, 1.3)})
    near = np.arange(0, 257)
    f_near = np_indicator(D, near)
    ups = np.flatnonzero(np.diff(f_near) > 0)
    ax_near.plot(near, f_near, color="#0550ae", lw=1.1, label=r"$F_{128}$")
    ax_near.plot(near, np.minimum.accumulate(f_near), color="#cf222e", lw=1, ls="--", label="running minimum")
    ax_near.plot(ups + 1, f_near[ups + 1], ".", color="#cf222e", ms=3, label=f"{len(ups)} steps up")
    ax_near.axhline(32.5, color="#8c959f", ls=":", lw=1, label=r"$F(0)=\frac{d/2+1}{2}$")
    ax_near.annotate(f"first step up\nat $\\Delta={ups[0]}$", (ups[0] + 1, f_near[ups[0] + 1]), (60, 19), fontsize=7,
                     arrowprops={"arrowstyle": "->", "lw": 0.6})
    ax_near.set_xlabel(r"relative distance $\Delta=m-n$ (positions)")
    ax_near.set_ylabel(r"decay indicator $F_{128}(\Delta)$")
    ax_near.legend(fontsize=6.5, loc="upper right")
    ax_near.set_title(r"$0\leq\Delta\leq256$", fontsize=8)

    far = np.arange(1, 4097)
    f_far = np_indicator(D, far)
    envelope = np.maximum.accumulate(f_far[::-1])[::-1]   # smallest non-increasing curve above F
    ax_far.semilogx(far, f_far, color="#0550ae", lw=0.6, label=r"$F_{128}$")
    ax_far.semilogx(far, envelope, color="#8c959f", lw=1.2, label="non-increasing envelope")
    for (delta, text), at in zip(STATED.items(), ((40, 19), (500, 15))):
        ax_far.plot(delta, float(text), "o", color="#cf222e", ms=4, zorder=3)
        ax_far.annotate(f"$F({delta})={text}$\n(certified)", (delta, float(text)), at,
                        fontsize=7, arrowprops={"arrowstyle": "->", "lw": 0.6})
    ax_far.hlines(float(STATED[1000]), 1000, 4096, color="#cf222e", ls=":", lw=1, zorder=3)
    ax_far.set_xlabel(r"relative distance $\Delta$ (positions, log scale)")
    ax_far.set_ylabel(r"$F_{128}(\Delta)$")
    ax_far.legend(fontsize=6.5, loc="upper right")
    ax_far.set_title(r"$1\leq\Delta\leq4096$: $F(4096)>F(1000)$", fontsize=8)
    fig.tight_layout()


def draw_bound(fig) -> None:
    r"""Actual scores against the Abel-summation bound, and the extremal query that attains it."""
    ax = fig.subplots()
    deltas = np.arange(0, 1025)
    bound = np.abs(np_partial_sums(D, deltas)).sum(axis=1)
    ax.semilogy(deltas, bound, color="#cf222e", lw=1.4,
                label=r"bound factor $\sum_j|S_j(\Delta)|=\frac{d}{2}F_{128}(\Delta)$")
    rng = np.random.default_rng(0)
    q = rng.standard_normal(D)
    k = rng.standard_normal(D)
    for label, qq, kk, col in ((r"$k=q$ (Gaussian)", q, q, "#0550ae"), ("independent Gaussian $q,k$", q, k, "#24292f")):
        h = (qq[0::2] + 1j * qq[1::2]) * np.conj(kk[0::2] + 1j * kk[1::2])
        scale = np.max(np.abs(np.diff(np.append(h, 0))))
        ax.semilogy(deltas, np.abs(np_scores(qq, kk, deltas)) / scale + 1e-12, color=col, lw=0.6, alpha=0.85,
                    label=r"$|(\mathcal{R}_mq)^T(\mathcal{R}_nk)|\,/\max_i|h_{i+1}-h_i|$, " + label)
    kstar = np.tile([1.0, 0.0], D // 2)
    marks = deltas[::32]
    attained = [abs(np_scores(np_extremal_query(D, float(t)), kstar, [t])[0]) for t in marks]
    ax.semilogy(marks, attained, "o", mfc="none", color="#1a7f37", ms=5,
                label=r"extremal $q^*(\Delta)$, $k^*=(1,0,\dots)$: the bound is attained")
    ax.set_ylim(bottom=1e-2)
    ax.set_xlabel(r"relative distance $\Delta=m-n$ (positions)")
    ax.set_ylabel(r"score / $\max_i|h_{i+1}-h_i|$ (dimensionless)")
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()


def draw_frequencies(fig) -> None:
    r"""The rotation frequencies \(\theta_i=10000^{-2i/d}\) and their wavelengths, with the two wrong variants of N2."""
    ax = fig.subplots()
    i = np.arange(D // 2)
    th = np_thetas(D)
    ax.semilogy(i, th, "o", ms=3, color="#0550ae", label=r"post: $\theta_i=10000^{-2i/d}$, $d=128$")
    ax.semilogy(i, 10000.0 ** (-i / D), "--", lw=1, color="#8c959f", label=r"N2: $10000^{-i/d}$ (exponent halved)")
    ax.semilogy(i, 10000.0 ** (-2 * (i + 1) / D), ":", lw=1.2, color="#cf222e",
                label=r"N2: $10000^{-2(i+1)/d}$ (drops $\theta=1$)")
    ax.set_xlabel(r"pair index $i$ (pair $(q_{2i},q_{2i+1})$)")
    ax.set_ylabel(r"frequency $\theta_i$ (radians per position)")
    wave = ax.secondary_yaxis("right", functions=(lambda t: 2 * np.pi / np.clip(t, 1e-12, None),
                                                  lambda w: 2 * np.pi / np.clip(w, 1e-12, None)))
    wave.set_ylabel(r"wavelength $2\pi/\theta_i$ (positions per turn)")
    ax.annotate(f"slowest pair: one turn per {2 * np.pi / th[-1]:,.0f} positions", (i[-1], th[-1]), (4, 2.5e-4),
                fontsize=8, arrowprops={"arrowstyle": "->", "lw": 0.6})
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()


FIGURES = (
    Figure("rope-decay", r"The post's long-range decay indicator $F_{128}(\Delta)=\frac2d\sum_j|S_j(\Delta)|$ "
           r"($\theta_i=10000^{-2i/128}$). Left: it falls from $32.5$ at $\Delta=0$ but 115 of the 256 unit steps on "
           r"$[0,256]$ go up (dots; the first at $\Delta=18$), so it departs from its running minimum, which a "
           r"monotone decay would follow. Right (log scale): the non-increasing envelope decays, the indicator "
           r"oscillates under it; the erratum's values $F(1000)=4.4708<F(4096)=4.8828$ are certified to their "
           r"printed digits.", draw_decay),
    Figure("rope-bound", r"The decay bound $|(\mathcal R_mq)^\top(\mathcal R_nk)|\le\max_i|h_{i+1}-h_i|\sum_j|S_j|$ "
           r"at $d=128$: the normalised score of a Gaussian query with itself ($k=q$) and with an independent key "
           r"stays far below the $q,k$-free factor $\sum_j|S_j(\Delta)|$ (red), while the extremal query "
           r"$q^*(\Delta)$ with $k^*=(1,0,\dots)$ (circles) attains it: the bound cannot be improved, and its decay "
           r"is a worst case, not the behaviour of a given pair.", draw_bound),
    Figure("rope-frequencies", r"RoPE's rotation frequencies $\theta_i=10000^{-2i/d}$ for $d=128$ (left axis, log "
           r"scale) and the wavelength $2\pi/\theta_i$ of each pair (right axis): from one turn per $2\pi$ positions "
           r"to one per about 54,000; the dashed and dotted lines are the wrong frequency sets of the negative "
           r"controls N2.", draw_frequencies),
)
