"""The verification driver end to end: every verdict of a claim, how the two phases combine,
time budgets, the JSON fields, and the verdict of a derivation."""
import time

import pytest
import sympy as sp

from derivations.engine.claims import (Approximation, Derivation, Erratum, Identity, Inequality, Oracle, claim,
                                       control, family, quantity, stated)
from derivations.engine.verdicts import ClaimResult, ErratumResult, derivation_verdict
from derivations.engine.verify import claim_seed, hard_limit, verify_claim, verify_derivation
from numeric.sampling import integers, positive, real
from numeric.stochastic import Estimate

x, y = sp.symbols("x y", real=True)
a, b, c, d = sp.symbols("a b c d", real=True)
D = 20
CLAIM_KEYS = {"id", "statement", "verdict", "symbolic", "numeric", "digits", "seconds"}


def run(c, **kw):
    kw.setdefault("digits", D)
    kw.setdefault("timeout", 10.0)
    r = verify_claim(c, **kw)
    assert CLAIM_KEYS <= set(r.to_json())
    assert r.symbolic in ("proved", "refuted", "failed", "unknown", "skipped")
    assert r.numeric in ("agree", "certified", "disagree", "unknown", "skipped")
    return r


# -- the four verdicts of a plain identity ----------------------------------------------------

@claim("double-angle", r"\sin 2x = 2\sin x\cos x")
def double_angle():
    """\\(\\sin 2x = 2\\sin x\\cos x\\)."""
    return Identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-3, 3)})


@claim("dilog-reflection", r"\mathrm{Li}_2(x) + \mathrm{Li}_2(1-x) = \pi^2/6 - \log x\log(1-x)")
def arcs():
    """Euler's reflection, true on (0, 1); no strategy proves it, the numbers agree."""
    return Identity(sp.polylog(2, x) + sp.polylog(2, 1 - x), sp.pi ** 2 / 6 - sp.log(x) * sp.log(1 - x),
                    {x: real(0.05, 0.95)})


@control("square/constant", r"(x+1)^2 = x^2+2x+2")
def square_off_by_one():
    return Identity((x + 1) ** 2, x ** 2 + 2 * x + 2, {x: real(-3, 3)})


@control("pi/22-7", r"\pi = 22/7")
def pi_is_22_7():
    return Identity(sp.pi, sp.Rational(22, 7))


@control("j0-is-3/4", r"J_0(1) = 3/4")
def j0_is_3_4():
    """Arb has no Bessel functions here: only the numbers can refute it."""
    return Identity(sp.besselj(0, 1), sp.Rational(3, 4))


@claim("not-a-number", r"\tilde\infty = \tilde\infty")
def complex_infinity():
    return Identity(sp.zoo, sp.zoo)


def test_proved():
    r = run(double_angle)
    assert (r.verdict, r.symbolic, r.numeric, r.method) == ("proved", "proved", "agree", "trig_expand")
    assert r.digits == D and r.counterexample is None
    assert r.statement == r"\sin 2x = 2\sin x\cos x"


def test_checked_is_numeric_agreement_not_proof():
    r = run(arcs)
    assert (r.verdict, r.symbolic, r.numeric, r.method) == ("checked", "failed", "agree", "numeric")
    assert r.digits == D and "no strategy" in r.detail


def test_refuted_exactly():
    r = run(square_off_by_one)
    assert (r.verdict, r.symbolic, r.numeric) == ("refuted", "refuted", "disagree")
    # the exact difference, and the sides where the numbers found them apart (a point of the domain)
    cx = r.counterexample
    assert cx["text"] == "difference = -1 (exact, by expand)" and "difference" not in cx
    assert float(cx["rhs"]) - float(cx["lhs"]) == pytest.approx(1) and -3 <= float(cx["at"]["x"]) <= 3
    assert r.to_json()["counterexample"]["kind"] == "exact"


def test_refuted_by_a_ball_with_the_exact_difference():
    r = run(pi_is_22_7)
    assert (r.verdict, r.symbolic, r.numeric) == ("refuted", "refuted", "disagree")
    assert r.counterexample == {"text": "difference = -22/7 + pi (exact, by identical)", "difference": "-0.00126449",
                                "nonzero": "ball", "lhs": "3.1415926535897932385", "rhs": "3.1428571428571428571"}
    assert r.to_json()["counterexample"]["kind"] == "exact"


def test_refuted_numerically_with_values():
    r = run(j0_is_3_4)
    assert (r.verdict, r.symbolic, r.numeric) == ("refuted", "failed", "disagree")
    assert r.counterexample["lhs"].startswith("0.76519768655796")
    assert r.counterexample["rhs"].startswith("0.75")
    assert r.counterexample["difference"] == "0.0151977"


def test_unknown_when_nothing_evaluates():
    r = run(complex_infinity)
    assert (r.verdict, r.symbolic, r.numeric) == ("unknown", "failed", "unknown")
    assert "could not evaluate" in r.detail  # the numeric reason goes to detail


def test_difference_below_working_precision_is_refuted():
    @control("tiny", r"x = x + e^{-200}")
    def tiny():
        return Identity(x, x + sp.exp(-200), {x: real(-1, 1)})
    r = run(tiny)
    assert r.verdict == "refuted" and r.counterexample["text"] == "difference = -exp(-200) (exact, by identical)"
    assert r.counterexample["difference"] == "-1.3839e-87"


def test_difference_below_working_precision_is_refuted_numerically():
    @control("tiny-x", r"x = x + x e^{-200}")
    def tiny_x():
        return Identity(x, x + x * sp.exp(-200), {x: real(0.5, 1)})
    r = run(tiny_x)
    assert r.verdict == "refuted" and float(r.counterexample["difference"]) / float(r.counterexample["at"]["x"]) \
        == pytest.approx(-1.3839e-87, rel=1e-3)


# -- how the phases combine -------------------------------------------------------------------

def test_a_custom_strategy_that_lies_is_caught_by_the_numbers():
    @claim("fake-proof", "x = x + 1/1000", strategies=(lambda d: sp.Integer(0),))
    def fake():
        return Identity(x, x + sp.Rational(1, 1000), {x: real(0, 1)})
    r = run(fake)
    assert r.verdict == "unknown" and "conflict" in r.detail and r.counterexample is not None


def pythagoras(d):
    """sin^2 -> 1 - cos^2."""
    return sp.expand(d.subs(sp.sin(x) ** 2, 1 - sp.cos(x) ** 2))


@pytest.mark.parametrize("rhs, verdict", [(1 + x, "proved"), (1 + 2 * x, "refuted")])
def test_a_custom_strategy_works_on_the_statement_it_is_handed(rhs, verdict):
    c = claim("pyth", "s", strategies=(pythagoras,))(
        lambda: Identity(sp.sin(x) ** 2 + sp.cos(x) ** 2 + x, rhs, {x: real(-1, 1)}))
    r = run(c)
    assert r.verdict == verdict
    if verdict == "proved":
        assert r.method == "pythagoras"


def test_a_proof_is_cross_checked_at_one_point():
    # proved exactly: the numbers are a cross-check of the proof (one comparison at two
    # precisions), not the evidence, so no further points, no edge probes
    r = run(double_angle)
    assert (r.verdict, r.numeric) == ("proved", "agree")
    assert r.detail == "1 point at 20+10 and 20+30 digits; a cross-check of the proof"


def test_an_identity_true_at_the_first_point_but_not_proved_is_searched_whole():
    # |x| = x holds at the first seeded point (almost all of the domain is positive); no
    # strategy proves it, so every point and the edge probes run, and the lower edge refutes
    @control("abs-is-identity", "|x| = x")
    def abs_identity():
        return Identity(sp.Abs(x), x, {x: real(-0.001, 1000)})
    r = run(abs_identity)
    assert (r.verdict, r.numeric) == ("refuted", "disagree") and "edge" in r.detail
    assert float(r.counterexample["at"]["x"]) < 0


def test_exact_refutation_contradicted_by_numbers_is_unknown():
    # a strategy that claims an exact nonzero difference the sides do not have
    @claim("fake-refutation", "sin 2x", strategies=(lambda d: sp.Integer(1),))
    def fake():
        return Identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-1, 1)})
    r = run(fake)
    assert r.verdict == "unknown" and "conflict" in r.detail


def test_closed_statements_are_certified_by_balls():
    from numeric import certify
    if not certify.AVAILABLE:
        pytest.skip("python-flint is not installed")

    @claim("zeta2", r"\sum 1/n^2 = \pi^2/6", symbolic=False)
    def zeta2():
        return Identity(sp.zeta(2), sp.pi ** 2 / 6)
    r = run(zeta2)
    assert (r.verdict, r.numeric, r.method) == ("certified", "certified", "ball arithmetic")

    @control("near", r"e^{\pi\sqrt{163}} = 640320^3 + 744")
    def near():
        return Identity(sp.exp(sp.pi * sp.sqrt(163)), 640320 ** 3 + 744)
    r = run(near, digits=50)
    assert r.verdict == "refuted" and r.counterexample["difference"].startswith("-7.4992")
    # at 12 digits the balls agree: the exact difference -7.5e-13 is below what they resolve
    # (2.6e17 * 1e-12), so it refutes; it is no conflict between SymPy and the numbers
    r = run(near, digits=12)
    assert (r.verdict, r.symbolic, r.numeric) == ("refuted", "refuted", "certified")
    assert r.counterexample["difference"].startswith("-7.4992") and "below the numeric check's resolution" in r.detail


# -- evidence: quantities, instances, families, oracles -------------------------------------------

dd = sp.Symbol("d", positive=True, integer=True)


def _var_estimate(d, seed):
    """Monte Carlo of Var[q.k] for Rademacher q, k in R^d (exact: d)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    s = (rng.choice([-1, 1], size=(20000, d)) * rng.choice([-1, 1], size=(20000, d))).sum(1)
    v = s.var(ddof=1)
    return Estimate(float(v), float(np.sqrt((s ** 4).mean() - v * v) / np.sqrt(len(s))), len(s))


VAR_EXACT = quantity("VarQK", exact=lambda d: d, estimator=_var_estimate, how="exact moments")
VAR_MC = quantity("VarMC", estimator=_var_estimate)


@pytest.mark.parametrize("rhs, verdict", [
    (dd, "proved"),
    (2 * dd, "refuted"),        # exact difference -64 at the instance d = 64
    (dd + 1, "refuted"),        # below the Monte Carlo band: the exact evidence decides
])
def test_quantity_with_an_exact_value(rhs, verdict):
    c = claim("var", "Var[q.k] = d")(lambda: Identity(VAR_EXACT(dd), rhs, {dd: integers(64, 64)}))
    r = run(c)
    assert r.verdict == verdict and "exact value of VarQK" in r.method
    if rhs == 2 * dd:
        assert r.counterexample["at"] == {"d": 64}


@pytest.mark.parametrize("rhs, verdict", [(dd, "checked"), (2 * dd, "refuted"),
                                          (sp.Rational(11, 10) * dd, "refuted")])
def test_monte_carlo_quantity_is_judged_in_standard_errors(rhs, verdict):
    c = claim("var-mc", "Var[q.k] = d")(lambda: Identity(VAR_MC(dd), rhs, {dd: integers(64, 64)}))
    r = run(c)
    assert (r.verdict, r.symbolic) == (verdict, "skipped")
    assert ("SE" in r.detail) if verdict == "checked" else ("SE apart" in r.counterexample["text"])


@pytest.mark.parametrize("stmt, verdict", [
    (lambda: Inequality(VAR_MC(dd), ">", 60, {dd: integers(64, 64)}), "checked"),
    (lambda: Inequality(VAR_MC(dd), "<", 60, {dd: integers(64, 64)}), "refuted"),
    (lambda: Inequality(VAR_MC(dd), "<", 64, {dd: integers(64, 64)}), "unknown"),   # within the noise
    (lambda: Approximation(VAR_MC(dd), 64, 0.1, {dd: integers(64, 64)}, relative=True), "checked"),
    (lambda: Approximation(VAR_MC(dd), 70, 0.01, {dd: integers(64, 64)}, relative=True), "refuted"),
])
def test_monte_carlo_inequality_and_approximation(stmt, verdict):
    assert run(claim("mc", "s")(stmt)).verdict == verdict


def test_deterministic_evaluator_is_judged_at_two_precisions():
    import mpmath
    golden = quantity("Phi", evaluator=lambda: mpmath.findroot(lambda t: t * t - t - 1, 1.6))
    ok = claim("phi", "phi")(lambda: Identity(golden(), (1 + sp.sqrt(5)) / 2))
    r = run(ok)
    assert (r.verdict, r.symbolic, r.numeric) == ("checked", "skipped", "agree")
    bad = claim("phi/wrong", "phi + 1e-15")(
        lambda: Identity(golden(), (1 + sp.sqrt(5)) / 2 + sp.Rational(1, 10 ** 15)))
    assert run(bad).verdict == "refuted"


def test_finite_domain_is_proved_point_by_point():
    n = sp.Symbol("n", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    sums = claim("sum", "sum")(lambda: Identity(sp.Sum(k ** 3, (k, 1, n)), (n * (n + 1) / 2) ** 2,
                                                {n: integers(1, 6)}))
    assert run(sums).verdict == "proved"
    # n! = n holds at n = 1, 2 only: refuted with the exact witness n = 3
    bad = claim("fact", "n! = n", symbolic=True)(lambda: Identity(sp.factorial(n), n, {n: integers(1, 4)}))
    r = run(bad)
    assert r.verdict == "refuted" and r.counterexample["at"] == {"n": 3}


def test_family_over_a_structural_parameter():
    def stmt(N, off=0):
        M = sp.eye(N)
        return Identity(M * M, sp.eye(N) + (off if N == 3 else 0) * sp.ones(N, N))
    ok = claim("fam", "I^2 = I")(lambda: family(stmt, N=(2, 3, 4)))
    assert run(ok).verdict == "proved"
    bad = claim("fam/bad", "I^2 = I + 1 at N=3")(lambda: family(lambda N: stmt(N, 1), N=(2, 3, 4)))
    r = run(bad)
    assert r.verdict == "refuted" and r.counterexample["part"] == "N=3"


def test_oracle_is_recorded_and_a_disagreeing_one_blocks_the_verdict():
    import mpmath
    good = Oracle("mpmath", lambda pt: 2 * mpmath.sin(pt[x]) * mpmath.cos(pt[x]), side="lhs")
    c = claim("o", "sin 2x", oracles=(good,))(
        lambda: Identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-1, 1)}))
    r = run(c)
    assert r.verdict == "proved" and r.oracles[0]["status"] == "agree"
    bad = Oracle("broken", lambda pt: mpmath.sin(pt[x]), side="lhs")
    c = claim("o2", "sin 2x", oracles=(bad,))(
        lambda: Identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-1, 1)}))
    r = run(c)
    assert r.verdict == "unknown" and "oracle 'broken' disagrees" in r.detail


def test_stated_numbers_carry_their_tolerance():
    s = stated("0.1078")
    assert s.value == sp.Rational(1078, 10000) and s.tolerance == sp.Rational(5, 100000)
    assert stated("2.10974", truncated=True).tolerance == sp.Rational(1, 100000)
    ok = claim("st", "gap = 0.1078")(lambda: Approximation(sp.Rational(10782, 100000), stated("0.1078")))
    assert run(ok).verdict in ("checked", "certified")
    bad = claim("st2", "gap = 0.1087")(lambda: Approximation(sp.Rational(10782, 100000), stated("0.1087")))
    assert run(bad).verdict == "refuted"


@pytest.mark.parametrize("text, verdict", [("1.6180339887", "checked"), ("1.6180339878", "refuted")])
def test_stated_number_against_an_evaluated_quantity(text, verdict):
    """A stated() tolerance is an exact Rational; the gap against a quantity's evaluator is measured with it."""
    import mpmath
    golden = quantity("PhiRoot", evaluator=lambda: mpmath.findroot(lambda t: t * t - t - 1, 1.6))
    r = run(claim("phi/stated", text)(lambda: Approximation(golden(), stated(text))))
    assert r.verdict == verdict
    if verdict == "refuted":
        assert r.counterexample["text"].startswith(f"gap {r.gap} > tolerance 5.0e-11")


@pytest.mark.parametrize("text, verdict", [
    ("1.2020569031595942853997381615114499907649862923405", "certified"),   # zeta(3) to 50 digits
    ("1.2020569031595942853997381615114499907649862923415", "refuted"),     # its 49th digit off by one
])
def test_a_number_stated_to_50_digits_is_decided_by_balls(text, verdict):
    """The gap's enclosure resolves the stated tolerance (5e-50), not just 30 digits of it."""
    from numeric import certify
    if not certify.AVAILABLE:
        pytest.skip("python-flint is not installed")
    r = run(claim("zeta3", text)(lambda: Approximation(sp.zeta(3), stated(text))), digits=50)
    assert r.verdict == verdict
    assert r.method == "ball arithmetic" if verdict == "certified" else "disjoint Arb" in r.counterexample["text"]


def test_an_approximation_needs_a_stated_tolerance():
    with pytest.raises(ValueError, match="tolerance"):
        Approximation(x, x)


def test_without_the_symbolic_phase_a_true_identity_is_only_checked():
    @claim("no-symbolic", "sin 2x", symbolic=False)
    def no_symbolic():
        return Identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-3, 3)})
    assert run(no_symbolic).verdict == "checked"


def test_negative_symbol_without_domain():
    # Regression (sampling): the default domain of a negative symbol contradicted its assumption.
    n = sp.Symbol("n", negative=True)

    @claim("abs-negative", "|n| = -n")
    def abs_negative():
        return Identity(sp.Abs(n), -n)
    assert run(abs_negative).verdict == "proved"


# -- time budgets and crashes -----------------------------------------------------------------

@claim("slow-build", "x = x")
def slow_build():
    time.sleep(30)
    return Identity(x, x)


def _sleep(d):
    time.sleep(30)
    return d


@claim("slow-prove", "x = x + 1", strategies=(_sleep,))
def slow_prove():
    return Identity(x, x + 1)


@claim("huge-expand", "(a+b+c+d+1)^{40} = (a+b+c+d+1)^{39}(a+b+c+d+2)")
def huge_expand():
    s = a + b + c + d + 1
    return Identity(s ** 40, s ** 39 * (s + 1))


@pytest.mark.parametrize("c, why", [
    (slow_build, "building the statement took more than 0.5 s"),
    (slow_prove, "symbolic phase timed out after 0.5 s"),
    (huge_expand, "symbolic phase timed out after 0.5 s"),
])
def test_timeouts_give_unknown_within_the_budget(c, why):
    t0 = time.perf_counter()
    r = run(c, timeout=0.5)
    assert r.verdict in ("unknown", "refuted") and r.verdict != "proved"
    assert why in r.detail
    assert time.perf_counter() - t0 < hard_limit(0.5) + 1  # by construction: the worker is killed at the hard limit


def test_a_crashing_claim_is_unknown_with_its_reason():
    @claim("crash", "1/0")
    def crash():
        return 1 // 0
    r = run(crash)
    assert (r.verdict, r.symbolic, r.numeric) == ("unknown", "unknown", "unknown")
    assert r.detail.startswith("ZeroDivisionError")


# -- inequalities and approximations ----------------------------------------------------------

p, q = sp.symbols("p q", positive=True)


def test_inequality_proved_by_certificate():
    @claim("am-gm", r"\sqrt{pq} \le (p+q)/2")
    def am_gm():
        return Inequality(sp.sqrt(p * q), "<=", (p + q) / 2, {p: positive(3), q: positive(3)},
                          certificate=(sp.sqrt(p) - sp.sqrt(q)) ** 2 / 2)
    r = run(am_gm)
    assert (r.verdict, r.symbolic, r.kind) == ("proved", "proved", "inequality")


def test_inequality_checked_when_true_without_certificate():
    @claim("exp-tangent", r"e^x \ge 1 + x")
    def exp_tangent():
        return Inequality(sp.exp(x), ">=", 1 + x, {x: real(-3, 3)})
    r = run(exp_tangent)
    assert (r.verdict, r.symbolic, r.numeric) == ("checked", "failed", "agree")
    assert "smallest margin" in r.detail


def test_inequality_refuted_with_a_witness():
    @control("square-dominates", r"x \le x^2")
    def square_dominates():
        return Inequality(x, "<=", x ** 2, {x: real(0, 2)})
    r = run(square_dominates)
    assert (r.verdict, r.numeric) == ("refuted", "disagree")
    x0 = float(r.counterexample["at"]["x"])
    assert x0 > x0 ** 2


def test_strict_inequality_needs_strictness():
    # (x-1)^2 certifies x^2 + 1 >= 2x but not >; the strict claim is then searched numerically
    @claim("strict", r"x^2 + 1 > 2x")
    def strict():
        return Inequality(x ** 2 + 1, ">", 2 * x, {x: real(-3, 3)}, certificate=(x - 1) ** 2)
    r = run(strict)
    assert (r.verdict, r.symbolic) == ("checked", "failed") and "not manifestly positive" in r.detail


@pytest.mark.parametrize("tolerance, relative, verdict", [
    (2e-4, False, "checked"),   # |sin x - x| <= x^3/6 <= 1.67e-4 on [-0.1, 0.1]
    (1e-4, False, "refuted"),
    (2e-3, True, "checked"),    # relative gap <= x^2/6 <= 1.67e-3
])
def test_approximation_gap_is_measured(tolerance, relative, verdict):
    @claim("small-angle", r"\sin x \approx x")
    def small_angle():
        return Approximation(sp.sin(x), x, tolerance, {x: real(-0.1, 0.1)}, relative=relative)
    r = run(small_angle)
    assert (r.verdict, r.symbolic, r.kind) == (verdict, "skipped", "approximation")
    gap = float(r.gap)
    assert (1e-3 < gap < 1.67e-3) if relative else (1e-4 < gap < 1.67e-4)
    if verdict == "refuted":
        assert r.counterexample["text"].startswith(f"gap {r.gap} > tolerance 0.0001 at x=")


# -- derivations --------------------------------------------------------------------------------

def result(verdict, id="c"):
    return ClaimResult(id=id, statement="s", verdict=verdict, symbolic="skipped", numeric="skipped",
                       digits=None, seconds=0.0)


def erratum(post, correct):
    return ErratumResult("e", "post", "correct", "", result(post), result(correct))


@pytest.mark.parametrize("claims, controls, errata, verdict", [
    (["proved", "checked", "certified"], ["refuted"], [("refuted", "proved")], "verified"),
    ([], [], [], "verified"),
    (["proved", "refuted"], ["refuted"], [], "failed"),           # a claim is wrong
    (["proved"], ["checked"], [], "failed"),                       # a control survives
    (["proved"], ["refuted"], [("proved", "proved")], "failed"),   # the post was right after all
    (["proved"], ["refuted"], [("refuted", "refuted")], "failed"), # the correction is wrong too
    (["proved", "unknown"], ["refuted"], [], "incomplete"),
    (["proved"], ["unknown"], [], "incomplete"),
    (["proved"], ["refuted"], [("unknown", "proved")], "incomplete"),
])
def test_derivation_verdict(claims, controls, errata, verdict):
    assert derivation_verdict([result(v) for v in claims], [result(v) for v in controls],
                              [erratum(*e) for e in errata]) == verdict


@claim("square", r"(x+1)^2 = x^2+2x+1")
def square():
    return Identity((x + 1) ** 2, x ** 2 + 2 * x + 1, {x: real(-3, 3)})


@control("square/post", r"(x+1)^2 = x^2+2x")
def square_post():
    return Identity((x + 1) ** 2, x ** 2 + 2 * x, {x: real(-3, 3)})


@claim("square/numeric", r"(x+1)^2 = x^2+2x+1", symbolic=False)
def no_symbolic_square():
    return Identity((x + 1) ** 2, x ** 2 + 2 * x + 1, {x: real(-3, 3)})


TINY = Derivation(slug="tiny", title="Tiny", source="https://example.org/tiny", date="2024-01-01",
                  summary="two claims", claims=(double_angle, no_symbolic_square), controls=(square_off_by_one,),
                  errata=(Erratum("square", post_says=square_post, correct=square, note="dropped the 1"),))


@pytest.mark.parametrize("jobs", [1, 2])
def test_verify_derivation_end_to_end(jobs):
    seen = []
    res = verify_derivation(TINY, digits=D, jobs=jobs, on_result=lambda kind, r: seen.append(kind))
    assert res.verdict == "verified" and seen == ["claim", "claim", "control", "erratum"]
    js = res.to_json()
    assert [c["verdict"] for c in js["claims"]] == ["proved", "checked"]
    assert js["negative_controls"][0]["verdict"] == "refuted"
    e = js["errata"][0]
    assert e["ok"] and e["post_says"] == r"(x+1)^2 = x^2+2x" and e["correct"] == r"(x+1)^2 = x^2+2x+1"
    assert e["evidence"] == ("post's statement refuted (difference = 1 (exact, by expand)); "
                             "corrected statement proved")


def test_derivation_rejects_duplicate_ids():
    with pytest.raises(ValueError, match="duplicate"):
        Derivation(slug="dup", title="t", source="s", date="d", summary="", claims=(square, square))


def test_inequality_rejects_unknown_relation():
    with pytest.raises(ValueError):
        Inequality(x, "=<", y)


def test_claim_seed_is_deterministic_and_per_claim():
    assert claim_seed(0, "a") == claim_seed(0, "a") != claim_seed(0, "b")
    assert claim_seed(1, "a") != claim_seed(0, "a")


def test_claim_digits_caps_the_requested_agreement():
    import sympy as sp
    from derivations.engine import Identity, claim
    from derivations.engine.verify import verify_claim
    from numeric.sampling import real
    t = sp.Symbol("t", real=True)

    @claim("capped", "t = t", digits=20)
    def capped():
        """Trivially true; checked to at most 20 digits."""
        return Identity(sp.sin(t) ** 2, 1 - sp.cos(t) ** 2, {t: real(0, 1)})

    res = verify_claim(capped, digits=50)
    assert res.verdict == "proved" and res.digits == 20


def test_stated_approximation_of_an_evaluated_quantity():
    # no enclosure: the gap is measured (numeric.approximation) against the stated digits' exact tolerance
    import mpmath
    root = quantity("Root2", evaluator=lambda: mpmath.sqrt(2))
    ok = claim("root", "sqrt 2 = 1.4142")(lambda: Approximation(root(), stated("1.4142")))
    r = run(ok)
    assert r.verdict == "checked" and "tolerance 5.0e-5" in r.detail
    bad = claim("root/bad", "sqrt 2 = 1.4124")(lambda: Approximation(root(), stated("1.4124")))
    r = run(bad)
    assert r.verdict == "refuted" and r.counterexample["text"].startswith("gap 0.00181")


def test_a_general_proof_that_misses_a_point_of_a_finite_domain_is_refuted_there():
    # SymPy sums the alternating binomial row to 0 for every n; at n = 0 the row is 1 (as check
    # builds it, the numeric phase samples no n = 0: the exact witness of the finite domain must)
    from derivations.engine.adhoc import adhoc_claim
    row = "Sum((-1)**k*binomial(n, k), (k, 0, n))"
    r = verify_claim(adhoc_claim(row, "0", ("n=0..12",), ("n=integer",)), digits=30, seed=0, timeout=5)
    assert r.verdict == "refuted" and str(r.counterexample["at"]["n"]) == "0", r.counterexample
    r = verify_claim(adhoc_claim(row, "0", ("n=1..12",), ("n=integer",)), digits=30, seed=0, timeout=5)
    assert r.verdict == "proved"
