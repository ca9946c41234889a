r"""HiPPO: projecting a signal's history on Legendre polynomials gives a linear ODE (LegT, LegS).

Post: Su Jianlin, 《重温SSM（一）：线性系统和HiPPO矩阵》 ("Revisiting SSM (1): linear systems and HiPPO
matrices"), Scientific Spaces, 2024-05-24, https://spaces.ac.cn/archives/10114.
Builds on: Gu, Dao, Ermon, Rudra, Ré, "HiPPO: Recurrent Memory with Optimal Polynomial Projections",
NeurIPS 2020, arXiv:2008.07669; Voelker, Kajić, Eliasmith, "Legendre Memory Units", NeurIPS 2019.
Spec: ``shared/spec/hippo.md``.

Main results
------------
* ``C1.projection``: the optimal coefficients are the projections \(\langle u,g_n\rangle\), \(c_0\) included (proved).
* ``C2.master``, ``C2.window-ratios``: \(c_n'=[u\,r\,g_n]_{-1}^{1}-\int u\,\partial_s(rg_n)\), \(r=\partial_Tt/\partial_st\)
  (proved for generic 2-jets of \(u,t,g\)); \(r=2/w\), \((s+1)/T\), \(2(s+1)/T\) for LegT, LegS, X1 (proved).
* ``C3.generating-function``, ``C3a``--``C3f``, ``C3.finite-check``: the Legendre facts, (b)--(f) for every
  \(n\) by generating functions, (a), (b) and Bonnet's recurrence for \(n\le32\) in exact integer arithmetic (proved).
* ``C4.fourier``: \(c_n'=\frac1w[u(T)-u(T-w)]+\frac{2\pi in}wc_n\) (proved); ``C4.fourier-quadrature`` (checked).
* ``C5.legt-exact``: LegT with \(u(T-w)\), the coefficients derived against the closed form (proved);
  ``C5.legt-residual``: 50-digit quadrature instances (checked).
* ``C6.legt-matrix``: \(A^T,B^T\) derived = closed form, \(N\in\{1,..,8,32\}\) (proved); ``C6.residual``: the true
  \(c\) misses the LegT ODE by exactly the closure's error (checked); ``C6.parity``, ``C6.polynomial-exact`` (proved).
* ``C7.legs-matrix``, ``C7.eigenvalues``, ``C7.polynomial-exact``: LegS \(c'=\frac1T(A^Sc+B^Su)\), exact for every
  \(N\), \(\operatorname{spec}A^S=\{-1,\dots,-N\}\) (proved); ``C7.ode``, ``C7.residual``: the ODE solved by
  variation of constants and the residual, against quadratures at 50 digits (checked).
* ``C8.similarity``, ``C8a``--``C8c``, ``C9.*``, ``C10.normal-plus-low-rank``: rescalings, the paper's and the code's
  conventions, S4's normal plus low rank split (proved, symbolic \(n,k\)).
* ``C11.polynomial-exact``, ``C11.sqrt-map``: the map \(t=T\sqrt{(s+1)/2}\) (the spec's X1, not in the post) gives
  LegS at doubled rate.

Hypotheses
----------
* A1 \(u\) continuous on \([0,\infty)\); \(u\in C^1\) where the derivation differentiates it (C2, C4--C7).
* A2 the time map \(t_{\le T}(s)\) is smooth in \((s,T)\) with \(\partial_st>0\); LegT needs \(T\ge w\), LegS \(T>0\).
* A3 LegT's closure \(u(T-w)\approx\sum_{k<N}c_kg_k(-1)\) (exact iff the truncated series reproduces \(u\) there).

Notation
--------
\(P_n\) Legendre with \(P_n(1)=1\); \(g_n=\sqrt{(2n+1)/2}\,P_n\) orthonormal on \([-1,1]\); \(c_n(T)=\int_{-1}^1u(t_{\le T}(s))
g_n(s)\,ds\) (the post's "Su" normalization, \(\sqrt2\times\) the paper's); \(N\) = matrix size, \(n,k=0..N-1\) (the post
writes \(c_0..c_N\)).  \(\chi_j=[j\ \text{even}]\), \(D=\mathrm{diag}((-1)^n)\), \(\Lambda=\mathrm{diag}(\lambda_n)\).  Modules:
:mod:`~derivations.hippo.legendre` (exact Legendre algebra, the derived matrices), :mod:`~derivations.hippo.numerics`
(quadrature, projections, ODE solutions, float64 builds), :mod:`~derivations.hippo.claims`,
:mod:`~derivations.hippo.figures`.

Errata
------
* ``E1.lambda-scaling``: the post's LegT rescaling \(\lambda_n=2/\sqrt{2n+1}\) gives \(\tilde B_n=(2n+1)/(\sqrt2w)\), not
  \((2n+1)/w\); the integer ("LMU") form needs \(\lambda_n=\sqrt{2/(2n+1)}\).
* ``E2.argmin-includes-c0``: the argmin is over \(c_0,\dots,c_N\), not \(c_1,\dots,c_N\).
* ``E3.fourier-closure-biased``: the Fourier closure \(u(T-w)\approx\sum_{|k|\le N}c_k\) tends to \(\frac12[u(T-w)+u(T)]\).
"""
from __future__ import annotations

from derivations.engine import Derivation
from derivations.hippo.claims import CLAIMS, CONTROLS, ERRATA, results
from derivations.hippo.figures import FIGURES

DERIVATION = Derivation(
    slug="hippo",
    title="HiPPO: Legendre projections of a signal's history obey a linear ODE (LegT, LegS)",
    source="https://spaces.ac.cn/archives/10114",
    date="2024-05-24",
    summary=("Projecting u on Legendre polynomials over a sliding window (LegT) or the whole history (LegS) "
             "gives c' = A c + B u (LegT, with a closure) and c' = (A c + B u)/T (LegS, exact); the matrices "
             "are derived exactly from the projection definitions and compared with the closed forms, the "
             "paper's and the code's conventions, and 50-digit quadratures and ODE solutions."),
    claims=CLAIMS,
    controls=CONTROLS,
    errata=ERRATA,
    results=results,
    figures=FIGURES,
)
