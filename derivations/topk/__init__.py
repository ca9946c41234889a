r"""Smooth approximations of Top-K: GradTopK, the weighted-softmax iteration and ThreTopK.

Post: Su Jianlin, 《Softmax后传：寻找Top-K的光滑近似》 ("Softmax sequel: smooth approximations of Top-K"),
Scientific Spaces, 2024-09-19, https://kexue.fm/archives/10373.
Builds on: two Math StackExchange answers (the weighted-softmax iteration, GradTopK); ThreTopK is the Sparsemax/Entmax
"find the threshold" idea (Martins & Astudillo 2016, Peters et al. 2019).
Spec: ``shared/spec/catalog.md``, cards topk-C1..C4.

Main results
------------
* ``C1.gradient``, ``C1.sum-rule``, ``C1.recurrence``, ``C1.bounds``, ``C1.softmax``, ``C1.limit``:
  \(\mathrm{GradTopK}_k=\nabla_x\log e_k(e^x)\) has entries \(Z_{k,i}/Z_k\in(0,1)\) summing to \(k\), the recurrence
  \(Z_{k,i}=y_i(Z_{k-1}-Z_{k-1,i})\), \(\mathrm{GradTopK}_1=\mathrm{softmax}\), limit \(\mathcal T_2\) as \(\tau\to0^+\) (proved);
  ``C1.reference``: enumeration against the recurrence and the card's values (checked).
* ``C2.limit``: the weighted-softmax iteration gives \(p^{(2)}(x/\tau)\to(\tfrac32,\tfrac12,0,\dots)\), not \(\mathcal T_2\)
  (proved); ``C2.reference``: the numbers at \(\tau=0.01\) (checked); ``C2.author-variant``: the author's variant is
  entrywise within \(10^{-40}\) of \(\mathcal T_2\) at \(\tau=0.01\) (checked, no proof in the post). The precision trap (\(1-p_{\max}\)
  cancels to 0 at ordinary precision) is caught by the controls ``N2.float64-trap`` and ``N2.50-digit-trap``.
* ``C3.exp-closed-form``, ``C3.implicit-gradient``: ThreTopK with \(f=\min(1,e^u)\) in closed form (softmax at \(k=1\));
  \(\partial\lambda/\partial x_j=f'(x_j-\lambda)/\sum_if'(x_i-\lambda)\) (proved); ``C3.reference``: roots against the closed
  forms, central differences against the implicit gradient, the card's values (checked).
* ``C4.laplace-closed-form``: the Laplace-CDF threshold in closed form (proved); ``C4.reference`` (checked).

Hypotheses
----------
* \(x\in\mathbb R^n\) with distinct entries, \(1\le k<n\); symbolic proofs with \(n=4\) or \(5\) symbols (all \(k\)).
* C3: \(f\) nondecreasing from 0 to 1 (\(f=\min(1,e^u)\)); the implicit gradient needs \(f\) differentiable and strictly
  increasing (\(f=\sigma\)). C4: \(f\) the Laplace CDF. The admissible block size \(m\) satisfies \(x_m\ge\lambda\ge x_{m+1}\).

Notation
--------
\(y_i=e^{x_i}\), \(e_k\) the elementary symmetric polynomial, \(Z_k=e_k(y)\), \(Z_{k,i}=y_i\,e_{k-1}(y_{\setminus i})\);
\(\mathcal T_k(x)\in\{0,1\}^n\) marks the \(k\) largest entries; \(q=e^{-1/\tau}\); \(x_A=(3,2,1,4)\), \(x_B=(0.5,-1,2,0,1.5)\).

Errata
------
* ``E1.laplace-k1``: "the Laplace ThreTopK reduces exactly to softmax at \(k=1\)" is false in general: it does iff
  \(\max\mathrm{softmax}\le\frac12\); otherwise the top entry is \(1-\frac u2<\frac1{1+u^2}\) (\(x_A\): 0.628 vs 0.644).
* The card (not the post) prints \(p^{(2)}_1=0.5000000027\) at \(\tau=0.01\), the precision trap's own output (control
  ``N2.card-p2-digits``).
"""
from __future__ import annotations

from derivations.engine import Derivation, Erratum, Figure
from derivations.topk.claims import (author_variant, binomial_normalisation, bounds, card_p2_digits, corrected_k1,
                                     exp_closed_form, float64_trap, grad_limit, grad_reference, grad_softmax, gradient,
                                     implicit_gradient, iteration_limit, iteration_reference, laplace_closed_form,
                                     laplace_reference, no_saturation, plus_recurrence, post_k1, recurrence,
                                     stackexchange, sum_rule, threshold_reference, trap_50_digits)
from derivations.topk.figures import draw_limits

DERIVATION = Derivation(
    slug="topk",
    title="Softmax sequel: smooth approximations of Top-K",
    source="https://kexue.fm/archives/10373",
    date="2024-09-19",
    summary="GradTopK as subset-softmax marginals, the weighted-softmax iteration's wrong limit, ThreTopK closed forms.",
    claims=(gradient, sum_rule, recurrence, bounds, grad_softmax, grad_limit, grad_reference, iteration_limit,
            iteration_reference, author_variant, exp_closed_form, implicit_gradient, threshold_reference,
            laplace_closed_form, laplace_reference),
    controls=(plus_recurrence, binomial_normalisation, stackexchange, float64_trap, trap_50_digits, card_p2_digits,
              no_saturation),
    errata=(Erratum("E1.laplace-k1", post_says=post_k1, correct=corrected_k1,
                    note="a 2025 author comment concedes non-reduction only for f = sigmoid"),),
    figures=(Figure("topk-temperature",
                    r"At $x=(3,2,1,4)$ as the temperature falls: GradTopK$_2(x/\tau)$ (left) tends to the Top-2 "
                    r"indicator $(1,0,0,1)$ (C1.limit), while the weighted-softmax iteration $p^{(2)}(x/\tau)$ (right) "
                    r"tends to $(\frac{1}{2},0,0,\frac{3}{2})$ (C2.limit): the reweighted argmax ties with the runner-up.",
                    draw_limits),),
)
