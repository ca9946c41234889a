r"""The integral test for infinite series, and what the 2009 post leaves out.

Post: 苏剑林 (Su Jianlin), 《无穷级数求和的积分审敛法》 ("The integral test for summing infinite series"), Scientific Spaces,
2009-08-12, https://spaces.ac.cn/archives/68.
Builds on: the Maclaurin--Cauchy integral test (Apostol, Knopp); error terms by Euler--Maclaurin.
Spec: ``shared/spec/integral-test.md``.

Main results
------------
* ``C1.integral-test``: for \(f\) eventually non-increasing and \(\ge0\), \(\sum f(n)<\infty\iff\int^\infty f<\infty\), decided
  exactly on four borderline \(f\) (proved there); without monotonicity it fails (``C1.integral-test/drop:M``:
  C9(a), (b)); positivity is not needed (``C1.integral-test/drop:P`` holds).
* ``C2.cell-upper``, ``C2.cell-lower``: the cell inequality for \(x^{-2}\) (exact certificates);
  ``C3.sandwich``: \(\int_1^{N+1}f\le S_N\le f(1)+\int_1^Nf\) for nine \(f\) and three \(N\) (certified, Arb);
  ``C4.tail-zeta2``, ``C4.loglog-bracket``: tail bounds (certified).
* ``C5.harmonic-decreasing``, ``C5.harmonic-lower``, ``C5.euler-gamma``, ``C5.values``: \(D_N=S_N-\int_1^Nf\) decreases to
  \(C_f\in[0,f(1)]\); \(\lim(H_N-\ln N)=\gamma\) (proved); the spec's \(D_N\).
* ``C7.first-order``, ``C8.terms-x2``, ``C8.zeta2-remainder``, ``C8.first-neglected``: first-order Euler--Maclaurin (exact
  for \(x^{-2}\)); the remainder bound and the errors for \(\zeta(2)\) (certified).
* ``C9.a-integral``, ``C9.b-cell-bound``, ``C9.b-bound``, ``C9.b-value``, ``C9.c-integral``: the three counterexamples;
  ``C10.p-integral``, ``C10.log-integral``: the classic cases.
* ``C11.zeta``, ``C11.loglog-sum``, ``C11.closed-forms``, ``C11.series``: 50-digit reference values, among them
  \(\sum_{n\ge2}\frac1{n\ln^2n}=2.10974280123689\ldots\) by an exact partial sum plus an Euler--Maclaurin tail with its
  remainder bound (certified with Arb; mpmath's ``nsum`` is wrong in the second digit, controls ``N9.nsum-default``,
  ``N10.nsum-spec``).

Hypotheses
----------
* M: \(f\) non-increasing on \([N_0,\infty)\); P: \(f\ge0\) there (implied by M in the post's two clauses, C6).
* Euler--Maclaurin remainders (C8, C11.loglog-sum, C11.series, C9.b-bound): \(f^{(2p)}\) of one sign beyond the cut-off (completely
  monotone \(f\), or the sign stated in the claim).
* C9.b-value is a float64 quadrature, judged with the spec's tolerance \(10^{-10}\).

Notation
--------
\(S_N=\sum_{n=1}^Nf(n)\), \(I(X)=\int_1^Xf\), \(R_N=\sum_{n>N}f(n)\), \(D_N=S_N-\int_1^Nf\), \(H_N\) the harmonic numbers,
\(P_1(x)=x-\lfloor x\rfloor-\frac12\), \(B_{2k}\) the Bernoulli numbers.

Errata
------
* ``E1.no-hypotheses``: the post states the test for every \(f\); C9 (a) \(\sin^2\pi x\), (b) \(e^{-x^4\sin^2\pi x}\),
  (c) \(\cos(2\pi x)/x\) refute it (``E1.post-no-hypotheses``). For eventually monotone \(f\) both of its clauses hold
  (spec C6, ``E1.corrected-monotone``): monotonicity is the one missing hypothesis.
"""
from __future__ import annotations

from derivations.engine import Derivation, Erratum, Figure
from derivations.integral_test.claims import (C1_CONTROLS, C1_HOLDS, C3_CONTROLS, c1_integral_test, c2_lower, c2_upper,
                                              c3_sandwich, c4_loglog, c4_tail, c5_decreasing, c5_gamma, c5_lower,
                                              c5_values, c6, c7_first_order, c8_first_neglected, c8_remainder,
                                              c8_terms, c9_a, c9_b_bound, c9_b_cell, c9_b_value, c9_c, c10_log, c10_p,
                                              e1_post, n1, n2, n3, n4, n6, n7, n8, n9, n10, ref_closed, ref_loglog,
                                              ref_series, ref_zeta)
from derivations.integral_test.figures import draw_counterexamples, draw_sandwich

DERIVATION = Derivation(
    slug="integral-test",
    title="The integral test for infinite series (and what the post leaves out)",
    source="https://spaces.ac.cn/archives/68",
    date="2009-08-12",
    summary="Sum and integral converge together for eventually monotone f; sandwich, tail and Euler-Maclaurin "
            "bounds; certified 50-digit values of slowly convergent series; the hypothesis-free statement is false.",
    claims=(c1_integral_test, *C1_HOLDS, c2_upper, c2_lower, c3_sandwich, c4_tail, c4_loglog, c5_decreasing, c5_lower,
            c5_gamma, c5_values, c7_first_order, c8_terms, c8_remainder, c8_first_neglected, c9_a, c9_b_cell,
            c9_b_bound, c9_b_value, c9_c, c10_p, c10_log, ref_zeta, ref_loglog, ref_closed, ref_series),
    controls=(*C1_CONTROLS, *C3_CONTROLS, n1, n2, n3, n4, n6, n7, n8, n9, n10),
    errata=(Erratum("E1.no-hypotheses", post_says=e1_post, correct=c6,
                    note="The post states the test with no hypotheses; eventual monotonicity is the one missing "
                         "hypothesis (positivity then follows)."),),
    figures=(
        Figure("integral-test-sandwich",
               r"The integral test's sandwich (C3): the partial sums of $\sum n^{-2}$ stay between $\int_1^{N+1}x^{-2}dx$ "
               r"and $1+\int_1^Nx^{-2}dx$ and converge to $\zeta(2)$, not to the integral 1 (N1); the harmonic partial "
               r"sums stay between $\ln(N+1)$ and $1+\ln N$, so they diverge with the integral.",
               draw_sandwich),
        Figure("integral-test-counterexamples",
               r"The post's statement without hypotheses is false (C9, E1): (a) $\sin^2\pi x$ has a divergent integral "
               r"but every term 0; (b) $e^{-x^4\sin^2\pi x}$ has a finite integral ($\approx0.5754$) but every term 1; "
               r"(c) $\cos(2\pi x)/x$ has the integral $-\mathrm{Ci}(2\pi)\approx0.0226$ but the terms $1/n$. None is "
               r"monotone.",
               draw_counterexamples),
    ),
)
