"""certify: Arb ball semantics, enclosures, Euler-Maclaurin sums, and the fallback without python-flint."""
import os
import subprocess
import sys
import textwrap

import mpmath
import pytest
import sympy as sp

from numeric import certify
from numeric import series
from numeric.evaluate import Unevaluable, evaluate

LOGLOG_REF = "2.1097428012368919744792571976165513263855319843947"
n = sp.Symbol("n", integer=True, positive=True)
LOGLOG = certify.EulerMaclaurinSum(1 / (n * sp.log(n) ** 2), n, 2, 1 / sp.log(n), cutoff=1000, order=30)

needs_flint = pytest.mark.skipif(not certify.AVAILABLE, reason="python-flint not installed")


@pytest.fixture
def no_flint(monkeypatch):
    monkeypatch.setattr(certify, "AVAILABLE", False)


# --- Arb's comparison semantics (why decide() asks both directions) ------------------------------

@needs_flint
def test_arb_comparisons_are_false_when_undecided():
    from flint import arb
    a, b = arb(1, 0.5), arb(1.2, 0.1)  # [0.5, 1.5] and [1.1, 1.3] overlap
    assert not (a < b) and not (a >= b)  # neither "true" nor "false": undecided
    assert not (a == b) and not (a != b)
    assert a.overlaps(b) and not a.contains(arb(2))
    assert arb(1) < arb(2) and arb(2) >= arb(1)  # disjoint balls decide


@needs_flint
def test_decide_and_agree():
    from flint import arb
    assert certify.decide(arb(1, 0.1), "<", arb(2, 0.1)) == "holds"
    assert certify.decide(arb(1, 0.1), ">", arb(2, 0.1)) == "fails"
    assert certify.decide(arb(1, 0.5), "<=", arb(1.2, 0.1)) == "undecided"
    assert certify.decide(arb(3), ">=", arb(3)) == "holds"  # exact equal balls
    tiny = arb("1e-60")
    assert certify.agree(arb(1, tiny), arb(1, tiny), 50) == "agree"
    assert certify.agree(arb(1, 1e-10), arb(1, 1e-10), 50) == "undecided"  # overlap but too wide
    assert certify.agree(arb(1, tiny), arb(1 + 1e-10, tiny), 50) == "differ"


@needs_flint
def test_precision_context_is_restored():
    import flint
    before = (flint.ctx.prec, flint.ctx.cap)
    with certify.precision(100, series_length=40):
        assert flint.ctx.prec > 300 and flint.ctx.cap == 40
    assert (flint.ctx.prec, flint.ctx.cap) == before


# --- enclosures of expressions and decimals ---------------------------------------------------

@needs_flint
def test_ball_of_expressions_contains_the_value():
    b = certify.ball(sp.zeta(3) + sp.pi * sp.coth(sp.pi) - sp.Ci(2 * sp.pi), digits=60)
    with mpmath.workdps(80):
        exact = mpmath.zeta(3) + mpmath.pi * mpmath.coth(mpmath.pi) - mpmath.ci(2 * mpmath.pi)
        assert abs(certify.to_mpf(b) - exact) < mpmath.mpf(10) ** -60
    assert certify.narrow(b, 60)
    assert certify.agree(certify.ball(sp.zeta(2), digits=50), certify.ball(sp.pi ** 2 / 6, digits=50), 50) == "agree"
    # a finite sum with symbolic bounds from the point, and a harmonic number
    T = sp.Symbol("T", integer=True, positive=True)
    t = sp.Symbol("t", integer=True, positive=True)
    s = certify.ball(sp.Sum(1 / sp.sqrt(t), (t, 1, T)), {T: 10}, 30)
    assert "5.0209978992926665005062032938" in certify.show(s, 40)
    assert certify.agree(certify.ball(sp.harmonic(10)), certify.ball(sp.Rational(7381, 2520)), 50) == "agree"


@needs_flint
def test_float_points_are_exact_binary_values():
    x = sp.Symbol("x")
    b = certify.ball(x ** 2, {x: 0.1}, 40)
    with mpmath.workdps(60):
        assert abs(certify.to_mpf(b) - mpmath.mpf(0.1) ** 2) < mpmath.mpf(10) ** -45  # not (1/10)^2
        assert abs(certify.to_mpf(b) - mpmath.mpf(1) / 100) > mpmath.mpf(10) ** -19


@needs_flint
def test_unsupported_nodes_are_not_certifiable():
    x = sp.Symbol("x")
    with pytest.raises(certify.NotCertifiable):
        certify.ball(sp.besselj(0, 1))
    with pytest.raises(certify.NotCertifiable):
        certify.ball(x + 1)  # no value for x
    with pytest.raises(certify.NotCertifiable):
        certify.ball(sp.Sum(1 / n ** 2, (n, 1, sp.oo)))  # infinite sums need a tail bound


def test_interval_encloses_the_range_on_a_box():
    x, s, t = sp.symbols("x s t")
    box = {x: (-2.0, 3.0), s: (0.0, 1.0), t: (1.0, 100.0)}
    enc = certify.interval(2 * x ** 2 * (1 - s), box)
    assert enc.a == 0 and enc.b >= 18  # x^2 over [-2, 3] is [0, 9], not [-6, 9]
    mid = certify.interval(sp.sqrt(s) * sp.exp(-t) + sp.log(1 + s) + sp.Abs(x), box)
    for xv, sv, tv in ((-2, 0, 1), (3, 1, 100), (0.5, 0.25, 7)):
        v = mpmath.sqrt(sv) * mpmath.exp(-tv) + mpmath.log(1 + sv) + abs(xv)
        assert mid.a <= v <= mid.b
    # each occurrence ranges on its own: 1/t - 1/t^2 >= 0 is not seen, its factored form (t-1)/t^2 is
    assert certify.interval(1 / t - 1 / t ** 2, box).a < 0
    assert certify.interval(sp.factor(1 / t - 1 / t ** 2), box).a >= 0
    third = certify.interval(x, {x: (sp.Rational(1, 3), 1.0)})  # rational ends rounded outwards
    lo, hi = (mpmath.mpf(end) for end in third._mpi_)
    with mpmath.workdps(100):  # exact products of the ends by 3
        assert lo * 3 < 1 and hi == 1


@pytest.mark.parametrize("expr, box", [
    (sp.Symbol("y"), {}),  # no interval for the symbol
    (sp.Sum(sp.Symbol("x"), (sp.Symbol("k"), 1, 3)), {sp.Symbol("x"): (0.0, 1.0)}),  # no rule for sums
    (sp.sqrt(sp.Symbol("x")), {sp.Symbol("x"): (-1.0, 1.0)}),  # not real on the box
    (sp.log(sp.Symbol("x")), {sp.Symbol("x"): (-1.0, 1.0)}),
])
def test_interval_refuses_what_it_cannot_enclose(expr, box):
    with pytest.raises(certify.NotCertifiable):
        certify.interval(expr, box)


def test_decimal_keeps_its_digits():
    d = certify.Decimal(LOGLOG_REF)
    assert d.digits == 50 and d.ulp == sp.Rational(1, 10 ** 49)
    assert certify.Decimal("-3.3098e-7").digits == 5 and certify.Decimal("-3.3098e-7").ulp == sp.Rational(1, 10 ** 11)
    with mpmath.workdps(60):
        assert d.mp(60) == mpmath.mpf(LOGLOG_REF)


# --- Euler-Maclaurin --------------------------------------------------------------------------

@needs_flint
def test_loglog_sum_enclosure():
    b = LOGLOG.ball(50)
    assert certify.narrow(b, 50)
    assert certify.agree(b, certify.Decimal(LOGLOG_REF).ball(49), 49) == "agree"
    assert certify.show(b, 50).startswith("[2.10974280123689197447925719761655132638553198439")


def test_euler_maclaurin_mp_two_precisions_and_failures():
    with mpmath.workdps(60):
        v60 = LOGLOG.mp(40)
        assert abs(v60 - mpmath.mpf(LOGLOG_REF)) < mpmath.mpf(10) ** -40
        z, rem = series.euler_maclaurin_mp(lambda x: x ** mpmath.mpf(-1.5), 1, 40)
        assert abs(z - mpmath.zeta(1.5)) < mpmath.mpf(10) ** -40 and rem < mpmath.mpf(10) ** -40
    with mpmath.workdps(30):
        with pytest.raises(ValueError, match="does not decay"):
            series.euler_maclaurin_mp(lambda x: 1 / x, 1, 30)  # harmonic: divergent
        with pytest.raises(ValueError):
            series.euler_maclaurin_mp(lambda x: mpmath.sin(x) / x, 1, 30)  # oscillating


def test_taylor_coefficients_of_an_analytic_function():
    with mpmath.workdps(40):
        c = series.taylor_coefficients(lambda z: 1 / z, mpmath.mpf(10), mpmath.mpf(2.5), 120)
        for k in range(8):
            assert abs(c(k) - (-1) ** k / mpmath.mpf(10) ** (k + 1)) < mpmath.mpf(10) ** (-35 - k)


def test_evaluate_sums_slow_series_by_euler_maclaurin():
    e = sp.Sum(1 / (n * sp.log(n) ** 2), (n, 2, sp.oo))
    v1, v2 = evaluate(e, {}, 30), evaluate(e, {}, 45)
    with mpmath.workdps(50):
        assert abs(v1 - mpmath.mpf(LOGLOG_REF)) < mpmath.mpf(10) ** -29
        assert abs(v2 - mpmath.mpf(LOGLOG_REF)) < mpmath.mpf(10) ** -44
    # mpmath's nsum is precision-dependent and wrong on this series (why the fallback exists)
    assert abs(mpmath.nsum(lambda k: 1 / (k * mpmath.log(k) ** 2), [2, mpmath.inf]) - 2.1097) > 0.1
    with pytest.raises(Unevaluable, match="Euler-Maclaurin"):
        evaluate(sp.Sum(1 / n, (n, 1, sp.oo)), {}, 30)
    with mpmath.workdps(40):
        assert abs(evaluate(sp.Sum(1 / n ** 2, (n, 1, sp.oo)), {}, 30) - mpmath.pi ** 2 / 6) < 1e-28  # nsum path


# --- cross-checks with and without python-flint --------------------------------------------------

@needs_flint
def test_check_equal_certifies_and_refutes_rigorously():
    ok = certify.check_equal(LOGLOG, certify.Decimal(LOGLOG_REF))(50, 0)
    assert ok.status == "certified" and ok.digits == 49
    bad = certify.check_equal(LOGLOG, certify.Decimal("2.10359"))(50, 0)
    assert bad.status == "disagree" and "disjoint" in bad.counterexample["text"]


def test_check_equal_without_flint_is_two_precision(no_flint):
    ok = certify.check_equal(sp.zeta(2), sp.pi ** 2 / 6)(30, 0)
    assert ok.status == "agree" and ok.digits == 30
    bad = certify.check_equal(LOGLOG, certify.Decimal("2.10359"))(20, 0)
    assert bad.status == "disagree"


@needs_flint
def test_check_relation_certified_and_violated():
    assert certify.check_relation(sp.Rational(1, 11), "<", sp.pi ** 2 / 6 - sp.Rational(1968329, 1270080))(50, 0).status \
        == "certified"
    out = certify.check_relation(sp.pi, "<=", 3)(50, 0)
    assert out.status == "disagree" and "rigorously" in out.counterexample["text"]


def test_check_relation_without_flint(no_flint):
    assert certify.check_relation(sp.Rational(1, 11), "<", sp.pi ** 2 / 6 - sp.Rational(1968329, 1270080))(50, 0).status \
        == "agree"
    assert certify.check_relation(sp.pi, "<=", 3)(50, 0).status == "disagree"
    # equality cannot be decided by a sign at two precisions
    assert certify.check_relation(sp.zeta(2), "<=", sp.pi ** 2 / 6)(30, 0).status == "unknown"


def test_all_of_combines(no_flint):
    good = certify.check_equal(sp.zeta(4), sp.pi ** 4 / 90)
    bad = certify.check_relation(sp.E, ">", 3)
    assert certify.all_of(good, good)(30, 0).status == "agree"
    assert certify.all_of(good, bad)(30, 0).status == "disagree"


@needs_flint
def test_all_of_certified_only_when_every_part_is():
    good = certify.check_equal(sp.zeta(4), sp.pi ** 4 / 90)
    fallback = certify.check_equal(sp.Sum(sp.exp(-n), (n, 1, sp.oo)), 1 / (sp.E - 1))  # no tail bound: two precisions
    assert certify.all_of(good, good)(30, 0).status == "certified"
    mixed = certify.all_of(good, fallback)(30, 0)
    assert mixed.status == "agree" and "1/2 parts certified" in mixed.detail


def test_flint_and_sympy_ground_types_are_independent():
    """python-flint switches SymPy's ground types to flint; the engine must not care."""
    from sympy.external.gmpy import GROUND_TYPES

    from derivations.engine.symbolic import exactly_nonzero, prove_zero
    x = sp.Symbol("x")
    assert GROUND_TYPES in ("flint", "gmpy", "python")
    assert prove_zero(sp.cancel((x ** 2 - 1) / (x - 1)) - x - 1).status == "proved"
    assert exactly_nonzero(sp.sqrt(2) - sp.Rational(141421, 100000))
    assert sp.factor(x ** 4 - 1) == (x - 1) * (x + 1) * (x ** 2 + 1)


@pytest.mark.slow
def test_engine_without_python_flint_importable():
    """A fresh interpreter in which ``import flint`` fails (as when the extra is not installed)
    and SymPy uses its own ground types: the showcase claim is checked, not certified (an approximation to a stated
    50-digit value: its gap is measured, so no digit count)."""
    code = textwrap.dedent("""
        import sys
        sys.modules["flint"] = None  # import flint now raises ImportError
        from numeric import certify
        assert not certify.AVAILABLE
        from derivations.integral_test import ref_loglog
        from derivations.engine.verify import verify_claim
        r = verify_claim(ref_loglog, digits=30)
        print(r.verdict, r.digits)
    """)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, SYMPY_GROUND_TYPES="python", PYTHONPATH=root)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["checked", "None"]


def test_a_negative_float_keeps_its_sign():
    # mpmath's man_exp is unsigned: Float(-0.5) was enclosed as +0.5, which refuted true approximations
    import sympy as sp
    from numeric import certify
    if not certify.AVAILABLE:
        return
    assert certify.to_mpf(certify.ball(sp.Float("-0.5"), digits=20)) == -0.5
    e = sp.Float("-0.432332358381694") * sp.sqrt(2) / sp.sqrt(sp.pi) + sp.erf(sp.sqrt(2))
    assert abs(certify.to_mpf(certify.ball(e, digits=20)) - 0.609548422215397) < 1e-14
