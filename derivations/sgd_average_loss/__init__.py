r"""Convergence of SGD's average loss (online regret) for convex losses.

Post: Su Jianlin, 《让炼丹更科学一些（一）：SGD的平均损失收敛》 ("Making alchemy a bit more scientific (1):
convergence of SGD's average loss"), Scientific Spaces, 2023-12-19, https://spaces.ac.cn/archives/9902.
Builds on: M. Zinkevich, "Online Convex Programming and Generalized Infinitesimal Gradient Ascent", ICML 2003
(projected online gradient descent).
Spec: ``shared/spec/sgd-average-loss.md``.

Main results
------------
* ``C1.expansion`` ... ``C1.telescoping``: the derivation chain, each equality proved exactly (3-D vectors, \(T=6\)),
  the convexity step an exact certificate.
* ``C1.chain``: \(\mathcal R_T\le\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\sum_t\eta_t\) for \(T=3\), every hypothesis a
  nonnegative slack (proved by certificate); each hypothesis dropped in turn gives a violation found by search
  (``/drop:`` controls).
* ``C1.abs-example``, ``C1.eta1-variant``: exact rational runs on \(|\theta|\) respect the bound (proved); without H4
  the spec's N1 schedule breaks it, and \(\eta_1\) in place of \(\eta_T\) (N2) is right only for non-decreasing rates.
* ``C1.simulation``: projected SGD on the unit ball of \(\mathbb R^5\) (\(T=5000\), seed 2023), run at the working
  precision, stays below the bounds \(0.028284\) and \(0.039794\) (checked; bounds certified).
* ``C2.perfect-square``, ``C2.bound``, ``C2.argmin``: \(\frac{D^2}{2T\eta}+\frac{G^2\eta}2-\frac{DG}{\sqrt T}\) is a
  perfect square, minimiser \(\eta=D/(G\sqrt T)\), minimum \(DG/\sqrt T\) (proved); ``C2.convex-example`` (checked)
  and, without convexity, the spec's quartic N3 (refuted).
* ``C3.per-term``, ``C3.telescoping``, ``C3.sum-bound``, ``C3.instances``: \(\sum_{t\le T}t^{-1/2}\le2\sqrt T-1\)
  (per-term certificate and telescoping proved for all \(T\); the sum searched; the spec's 30-digit values certified).
* ``C4.first-term`` ... ``C4.best-alpha``: \(\eta_t=\alpha/\sqrt t\) gives \(<\frac{D^2}{2\alpha\sqrt
  T}+\frac{G^2\alpha}{\sqrt T}\), best \(\alpha=D/(\sqrt2G)\) with value \(\sqrt2DG/\sqrt T\) (proved; the bound with
  the sum checked).
* ``C5.identity``, ``C5.projection``: the projection lemma (proved identity; variational inequality and
  non-expansiveness searched for the disc and the square); it fails for a non-convex \(\Theta\) (spec N4).

Hypotheses
----------
* H1 \(\Theta\) closed, convex, bounded with diameter \(D\); H2 every \(L_t\) convex; H3 \(\|\nabla L_t\|\le G\) on
  \(\Theta\); H4 \(\eta_t>0\) non-increasing; C5 the projection step does not increase the distance to the comparator.
* The comparator \(\theta^*\) is any fixed point of \(\Theta\) (the proof does not use that it minimises).

Notation
--------
Regret \(\mathcal R_T=\frac1T\sum_{t\le T}[L_t(\theta_t)-L_t(\theta^*)]\); plain SGD
\(\theta_{t+1}=\theta_t-\eta_tg_t\), projected \(\theta_{t+1}=\Pi_\Theta(\theta_t-\eta_tg_t)\);
\(a_t=\|\theta_t-\theta^*\|^2\).  In ``C1.chain``, \(u_t=1/\eta_t\) and one slack symbol per hypothesis (see
:func:`~derivations.sgd_average_loss.claims.chain`).

Errata
------
* ``E1.constants``: the post uses \(D\), \(G\) in two senses; with the diameter of \(\Theta\) and a uniform gradient
  bound the bound needs the projection (plain SGD on \(\theta^2/2\) with \(\eta=3\) leaves \(\Theta\):
  \(3.5>1.7222\)); with the trajectory maxima it holds (\(24.89\)).
"""
from __future__ import annotations

from derivations.engine import Derivation, Erratum
from derivations.sgd_average_loss.claims import (ABS_CONTROLS, C5_CONTROLS, CHAIN_CONTROLS, CONVEX_CONTROLS,
                                                 ETA1_CONTROLS, c1_abs_example, c1_chain, c1_eta1_variant,
                                                 c1_simulation, c2_argmin, c2_bound, c2_convex_example, c2_square,
                                                 c3_instances, c3_per_term, c3_sum_bound, c3_telescoping,
                                                 c4_best_alpha, c4_bound, c4_first_term, c4_tighter, c5_identity,
                                                 c5_projection, e1_correct, e1_post, n5, n6, n7, results, step1,
                                                 step2, step3, step5, step6)
from derivations.sgd_average_loss.figures import FIGURES

DERIVATION = Derivation(
    slug="sgd-average-loss",
    title="Convergence of SGD's average loss (regret) for convex losses",
    source="https://spaces.ac.cn/archives/9902",
    date="2023-12-19",
    summary="Regret of (projected) SGD at most D^2/(2T eta_T) + G^2/(2T) sum eta_t; constant and 1/sqrt(t) rates; "
            "projection lemma; each hypothesis dropped in turn breaks the bound.",
    claims=(step1, step2, step3, step5, step6, c1_chain, c1_abs_example, c1_eta1_variant, c1_simulation,
            c2_square, c2_bound, c2_argmin, c2_convex_example, c3_per_term, c3_telescoping, c3_sum_bound,
            c3_instances, c4_first_term, c4_bound, c4_tighter, c4_best_alpha, c5_identity, c5_projection),
    controls=(*CHAIN_CONTROLS, *ABS_CONTROLS, *ETA1_CONTROLS, *CONVEX_CONTROLS, *C5_CONTROLS, n5, n6, n7),
    errata=(Erratum("E1.constants", post_says=e1_post, correct=e1_correct,
                    note="The post first defines D, G as trajectory maxima (bound depends on the run), then reuses "
                         "them as the diameter of Theta and a uniform gradient bound; the second reading needs "
                         "projected SGD."),),
    results=results,
    figures=FIGURES,
)
