r"""How Adam's epsilon changes the learning-rate / batch-size law (the SoftSignSGD model).

Post: Su Jianlin, 《Adam的epsilon如何影响学习率的Scaling Law？》 ("How does Adam's epsilon affect the scaling
law of the learning rate?"), Scientific Spaces, 2024-11-18, https://spaces.ac.cn/archives/10563.
Builds on: archives/10542 (``batch-size-lr``: the one-step quadratic model and the mean field), McCandlish et al.,
arXiv:1812.06162; Li et al., "Surge Phenomenon in Optimal Learning Rate and Batch Size Scaling", arXiv:2405.14578.
Spec: ``shared/spec/adam-epsilon.md``.

Main results
------------
* ``C1.limits``: \(\mathrm{softsign}(x,\epsilon)=x/\sqrt{x^2+\epsilon^2}\to\mathrm{sign}\,x\) as \(\epsilon\to0\), \(\epsilon\,\mathrm{softsign}\to x\)
  as \(\epsilon\to\infty\) (proved).
* ``C2.surrogates``, ``C2.clip-gap``: surrogates \(x/\sqrt{x^2+1/k^2}\) and \(\mathrm{clip}(kx)\) of an S-curve with slope \(k\);
  softsign against \(\mathrm{clip}(x/\epsilon)\): largest gap \(1-1/\sqrt2\) at \(x=\pm\epsilon\).
* ``C3.clip-mean``, ``C3.clip-mean-bound``: \(F(a,b)=\mathbb E[\mathrm{clip}((a+z)/b)]\) in closed form (proved), odd,
  slope \(\mathrm{erf}(b/\sqrt2)/b\) at 0; \(|F|<1\) (checked).
* ``C4.mean-algebra``, ``C4.mean-gap``: \(\mathbb E\varphi\approx a/\sqrt{a^2+b^2+\pi/2}\) (the algebra proved; at \(\epsilon=0\) it
  is 10542's surrogate, largest gap 0.1078).
* ``C5.clip-second-moment`` to ``C5.reference-table``: the clip second moment (exact, even, increasing in \(|a|\)); the
  post's \(\mathbb E\varphi^2\approx1-b^2/(a^2+b^2+\pi/2)\), crude (0.24 high at \((1,1)\)); the spec's reference table.
* ``C6.optimal-lr``, ``C6.example``: \(\eta^*\approx\beta P/(\beta^2Q+(1-\beta^2)D)\) (proved) and its worked example.
* ``C7.surge-condition``: a surge (interior maximum in \(B\)) iff \(Q>2D\) (exact certificates; the post's \(Q>D\) is only
  necessary).
* ``C8.large-epsilon``: \(\eta^*/\epsilon\to\sum g_i^2/(g^\top Hg+\pi\sigma^2\mathrm{tr}H/(2B))\) for the post's formula.
* ``C9.counterexamples``: \(Q(\epsilon)\) need not decrease; a moderate \(\epsilon\) can create a surge.

Hypotheses
----------
* The one-step quadratic model of archives/10542 (A4); batch noise \(\tilde g_B=g+\sigma z/\sqrt B\), independent
  components (A2, A5); update \(\tilde\varphi=\mathrm{softsign}(\tilde g_B,\epsilon)\) (Adam with \(\beta_1=\beta_2=0\) and \(\epsilon\)
  inside the root: a modelling choice); mean field A6': one \(\kappa^2\) for every \(\sigma_i^2/(g_i^2+\epsilon^2)\).

Notation
--------
\(a=g\sqrt B/\sigma\), \(b=\epsilon\sqrt B/\sigma\), \(\mathrm{clip}(x)=\max(-1,\min(1,x))\), \(\nu_i=\mathrm{softsign}(g_i,\epsilon)\),
\(\beta=(1+\pi\kappa^2/(2B))^{-1/2}\), \(P=\nu^\top g\), \(Q=\nu^\top H\nu\), \(D=\mathrm{tr}H\).  The package: :mod:`.algebra` (the
exact derivations), :mod:`.numerics` (quadrature, maxima, Monte Carlo: the quantities), :mod:`.claims`, :mod:`.figures`.

Errata
------
* ``E1.surge-needs-q-gt-2d``: the post's condition \(Q>D\) is necessary only; a surge needs \(Q>2D\).
* ``E2.epsilon-can-create-a-surge``: \(Q(\epsilon)\) need not shrink as \(\epsilon\) grows; \(\epsilon=0.05\) creates a surge absent at 0.
* ``E3.pi-half-is-an-artifact``: the exact softsign model tends to plain SGD with \(\Sigma/B\); the \(\pi/2\) of C8 comes from
  the clip and erf surrogates.
"""
from __future__ import annotations

from derivations.engine import Derivation, Erratum

from .claims import (SOURCE, c1_limits, c2_clip_gap, c2_surrogates, c3_clip_mean, c3_clip_mean_bound, c4_mean_algebra,
                     c4_mean_gap,
                     c5_clip_second_moment, c5_clip_shape, c5_reference_table, c5_second_moment_algebra,
                     c5_second_moment_gap, c6_example, c6_optimal_lr, c7_surge_condition, c8_large_epsilon,
                     c9_counterexamples, e1_correct, e1_post, e2_correct, e2_post, e3_correct, e3_post,
                     n1_slope_missing_sqrt2, n2_constant_pi_over_4, n3_second_moment_without_pi_half,
                     n5_limit_without_pi_half, n6_wrong_limit, n7_larger_epsilon_never_surges, results)
from .figures import FIGURES

DERIVATION = Derivation(
    slug="adam-epsilon",
    title="How does Adam's epsilon affect the scaling law of the learning rate? (SoftSignSGD)",
    source=SOURCE,
    date="2024-11-18",
    summary="With softsign updates the optimal learning rate is beta P/(beta^2 Q + (1-beta^2) D); a surge in B needs "
            "Q > 2D; epsilon interpolates between SignSGD and SGD, and a larger epsilon does not always remove the surge.",
    claims=(c1_limits, c2_surrogates, c2_clip_gap, c3_clip_mean, c3_clip_mean_bound, c4_mean_algebra, c4_mean_gap,
            c5_clip_second_moment,
            c5_clip_shape, c5_second_moment_algebra, c5_second_moment_gap, c5_reference_table, c6_optimal_lr,
            c6_example, c7_surge_condition, c8_large_epsilon, c9_counterexamples),
    controls=(n1_slope_missing_sqrt2, n2_constant_pi_over_4, n3_second_moment_without_pi_half, n5_limit_without_pi_half,
              n6_wrong_limit, n7_larger_epsilon_never_surges),
    errata=(
        Erratum("E1.surge-needs-q-gt-2d", e1_post, e1_correct,
                "N4: the post's condition Q > D is necessary only; the surge condition is Q > 2D."),
        Erratum("E2.epsilon-can-create-a-surge", e2_post, e2_correct,
                "C9: Q(epsilon) need not decrease; on example (ii) epsilon = 0.05 creates a surge absent at epsilon = 0."),
        Erratum("E3.pi-half-is-an-artifact", e3_post, e3_correct,
                "C8's pi/2 comes from the clip/erf surrogates; the exact model tends to plain SGD with Sigma/B."),
    ),
    results=results,
    figures=FIGURES,
)
