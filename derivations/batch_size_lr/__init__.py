r"""Batch size vs. learning rate: SGD's one-step quadratic model and the SignSGD model of Adam.

Post: Su Jianlin, 《当Batch Size增大时，学习率该如何随之变化？》 ("When the batch size grows, how should the
learning rate follow?"), Scientific Spaces, 2024-11-14, https://spaces.ac.cn/archives/10542.
Builds on: McCandlish et al., "An Empirical Model of Large-Batch Training", arXiv:1812.06162 (C4-C9); Li et al.,
"Surge Phenomenon in Optimal Learning Rate and Batch Size Scaling", arXiv:2405.14578 (C10-C16).
Spec: ``shared/spec/batch-size-lr.md``.

Main results
------------
* ``C1.batch-moments``: \(\mathbb E\tilde g_B=g\), \(\mathrm{Cov}\,\tilde g_B=\Sigma/B\) (proved; Monte Carlo of skewed batches).
* ``C2.scaling-rules``, ``C3.stationary-variance``: the square-root rule (noise matching) and the linear rule (SDE
  invariance) as heuristics; SGD's stationary variance on \(\frac h2w^2\) depends on \(\eta/B\) to first order (proved).
* ``C4.expected-loss``, ``C5.optimal-lr``: \(\mathbb E[L(w-\eta\tilde g_B)]=L-\eta g^\top g+\tfrac12\eta^2(g^\top Hg+
  \mathrm{tr}(\Sigma H)/B)\), whose minimiser is \(\eta^*=\eta_{\max}/(1+\mathcal B_{\rm noise}/B)\) (derived; Monte Carlo argmin).
* ``C5.toy``, ``C6.shape``, ``C7.b-simple``, ``C8.optimal-decrease``, ``C9.steps-data``: the spec's toy
  (\(\eta^*(4)=200/347\)), a monotone bounded law, \(\mathcal B_{\rm simple}\), \(\Delta L=\Delta L_{\max}/(1+\mathcal B_{\rm noise}/B)\),
  \((S/S_{\min}-1)(E/E_{\min}-1)=1\).
* ``C10.sign-moments``: \(\mathbb E\,\mathrm{sign}(g+\sigma z/\sqrt B)=\mathrm{erf}(g\sqrt B/(\sigma\sqrt2))\) (proved).
* ``C11.surrogate``, ``C11.erf-gap``: \(\mathrm{erf}(x)\approx x/\sqrt{x^2+\pi/4}\), largest gap 0.1078 at \(x\approx1.33\).
* ``C12.sign-optimum`` to ``C16.decrease``: SignSGD's \(\eta^*\approx\beta G_1/(D+\beta^2O)\), a square-root law for
  small batches, and a peak in \(B\) (the "surge") iff \(O>D\): on the spec's example at 1.79520 (mean field) and
  1.58836 (exact erf), both of height \(\hat\eta=\sqrt2/6\).

Hypotheses
----------
* A1 i.i.d. batch members; A2 Gaussian batch noise \(\tilde g_B\sim\mathcal N(g,\Sigma/B)\); A3 \(g^\top Hg+\mathrm{tr}(\Sigma H)/B>0\);
  A4 the second-order model along the step (exact for quadratic \(L\)); A5 diagonal \(\Sigma\) (independent
  components, for the sign part); A6 mean field: one \(\kappa^2\) for every \((\sigma_i/g_i)^2\).

Notation
--------
\(g=\nabla L\), \(H=\nabla^2L\), \(\Sigma=\mathrm{Cov}\,\tilde g\), \(\tilde\varphi=\mathrm{sign}\,\tilde g_B\); \(s_i=\mathrm{sign}\,g_i\),
\(G_1=\|g\|_1\), \(D=\mathrm{tr}H\), \(O=\sum_{i\ne j}s_is_jH_{ij}\), \(\beta(B)=(1+\pi\kappa^2/(2B))^{-1/2}\), \(\beta_n=\sqrt{D/O}\),
\(\hat\eta=G_1/(2\sqrt{DO})\).  The package: :mod:`.algebra` (the exact derivations), :mod:`.numerics` (Monte Carlo,
quadrature and maxima: the quantities), :mod:`.claims` (the statements), :mod:`.figures`.

Errata
------
* ``E1.eta-hat-is-not-the-limit``: the sign section's "\(\eta_{\max}\)" is the peak value \(\hat\eta\), not the large-batch
  limit \(G_1/(D+O)\) (0.2357 vs 0.1818 on the example).
* ``E2.reused-names``: the sign section's \(\eta_{\max}\), \(\mathcal B_{\rm noise}\) are the peak value and location, not SGD's.
* ``E3.offdiagonal-is-not-enough``: a surge needs \(O>D\), not merely off-diagonal curvature.
"""
from __future__ import annotations

from derivations.engine import Derivation, Erratum

from .claims import (SOURCE, c1_batch_moments, c2_scaling_rules, c3_stationary_variance, c4_expected_loss,
                     c5_optimal_lr, c5_toy, c6_shape, c7_b_simple, c8_optimal_decrease, c9_steps_data, c10_sign_moments,
                     c11_erf_gap, c11_surrogate, c12_sign_optimum, c13_large_batch, c14_diagonal, c14_mean_field_gap,
                     c15_exact_peak, c15_mean_field_peak, c15_peak_location_gap, c15_surge_example,
                     c15_surrogate_law_gap, c16_decrease, e1_correct, e1_post, e2_correct, e2_post, e3_correct, e3_post,
                     n1_inverted_ratio, n2_spurious_half, n3_wrong_denominator, n3b_b_simple_every_h,
                     n4_cov_over_b_squared, n4b_cov_over_sqrt_b, n5_missing_sqrt2, n6_product_is_b_noise,
                     n6b_product_is_2, n7_linear_small_batch_sign, results)
from .figures import FIGURES

DERIVATION = Derivation(
    slug="batch-size-lr",
    title="When the batch size grows, how should the learning rate follow? (SGD and SignSGD)",
    source=SOURCE,
    date="2024-11-14",
    summary="SGD's one-step quadratic model gives eta* = eta_max/(1+B_noise/B); the SignSGD model of Adam gives a "
            "square-root law for small batches and, when O > D, a peak in B (the surge).",
    claims=(c1_batch_moments, c2_scaling_rules, c3_stationary_variance, c4_expected_loss, c5_optimal_lr, c5_toy,
            c6_shape, c7_b_simple, c8_optimal_decrease, c9_steps_data, c10_sign_moments, c11_surrogate, c11_erf_gap,
            c12_sign_optimum, c13_large_batch, c14_diagonal, c14_mean_field_gap, c15_mean_field_peak,
            c15_surge_example, c15_exact_peak, c15_peak_location_gap, c15_surrogate_law_gap, c16_decrease),
    controls=(n1_inverted_ratio, n2_spurious_half, n3_wrong_denominator, n3b_b_simple_every_h, n4_cov_over_b_squared,
              n4b_cov_over_sqrt_b, n5_missing_sqrt2, n6_product_is_b_noise, n6b_product_is_2, n7_linear_small_batch_sign),
    errata=(
        Erratum("E1.eta-hat-is-not-the-limit", e1_post, e1_correct,
                "N9/P3: the post reuses eta_max for the peak value eta_hat; the B -> oo limit is G1/(D+O) < eta_hat."),
        Erratum("E2.reused-names", e2_post, e2_correct,
                "P3: the sign section's eta_max and B_noise are the peak value and peak location, not SGD's quantities."),
        Erratum("E3.offdiagonal-is-not-enough", e3_post, e3_correct,
                "N8: a surge needs O > D (beta_n < 1), not just nonzero off-diagonal curvature."),
    ),
    results=results,
    figures=FIGURES,
)
