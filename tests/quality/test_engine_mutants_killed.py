"""Tests that kill mutants of the engine's own code which survived mutmut (see the
[tool.mutmut] section of pyproject.toml): each pins an exact value or decision of the verdict
logic, the numeric comparison or the parser that the other tests left loose."""
import math

import mpmath
import pytest
import sympy as sp

from derivations.engine.parser import parse_expression
from derivations.engine.symbolic import _nonzero_constant, _ordered, prove_nonnegative, prove_zero
from numeric.identity import compare, _judge
from numeric.search import (PROBE_INSET, _approximated, _difference_expression, _difference_precisions, descend,
                            probe_points, search_identity, search_inequality, stable_difference)
from numeric.sampling import complex_box, integers, positive, real

x, y = sp.symbols("x y", real=True)
n = sp.Symbol("n", integer=True)


# -- numeric.identity: probes ---------------------------------------------------------------

def test_probe_points_exact_positions():
    a, b, c = sp.symbols("a b c", real=True)
    pts = probe_points({a: real(-1, 1), b: real(0, 2), c: real(-1, 1)}, [])
    lo, hi = -1 + 2 * PROBE_INSET, 1 - 2 * PROBE_INSET
    assert pts[:2] == [{a: -1.0, b: 0.0, c: -1.0}, {a: 1.0, b: 2.0, c: 1.0}]
    assert pts[2] == pytest.approx({a: lo, b: 2 * PROBE_INSET, c: lo})
    assert pts[3] == pytest.approx({a: hi, b: 2 - 2 * PROBE_INSET, c: hi})
    # two mixed corners: bit 0 and bit 1 of each symbol's index
    assert pts[4] == pytest.approx({a: lo, b: 2 - 2 * PROBE_INSET, c: lo})
    assert pts[5] == pytest.approx({a: lo, b: 2 * PROBE_INSET, c: hi})
    assert len(pts) == 6


def test_probe_points_far_open_integer_and_complex():
    z = sp.Symbol("z")
    p = sp.Symbol("p", positive=True)
    pts = probe_points({p: positive(3), n: integers(-10, 10), z: complex_box(2)}, [], unbounded={p, n, z})
    assert pts[0] == {n: -10, p: pytest.approx(3e-9), z: complex(-2, -2)}
    assert pts[1] == {n: 10, p: 3.0, z: complex(2, 2)}
    far = [q for q in pts if q.get(n) in (-40, 40)]
    assert far == [{n: -40, p: pytest.approx(3e-9), z: complex(-8, -8)}, {n: 40, p: 12.0, z: complex(8, 8)}]
    assert all(isinstance(q[n], int) for q in pts)


def test_probe_points_skip_samples_duplicates_and_zero_for_nonzero_symbols():
    nz = sp.Symbol("w", real=True, nonzero=True)
    first = {nz: -1.0}
    pts = probe_points({nz: real(-1, 1)}, [first])
    assert first not in pts and all(q[nz] != 0 for q in pts)
    assert probe_points({}, []) == [] and probe_points({x: "not a domain"}, []) == []
    one = probe_points({x: real(0, 0)}, [])
    assert one == [{x: 0.0}]


def test_identity_refuted_at_a_probe_reports_where():
    out = search_identity(sp.Abs(x), x, {x: real(-0.001, 1000)}, 20, seed=0)
    assert out.status == "disagree" and out.detail.endswith("at an edge of the domain")
    assert out.counterexample["at"] == {"x": "-0.001"}


def test_identity_note_counts_points_and_probes():
    out = search_identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-1, 1)}, 20, seed=0, points=3)
    assert out.status == "agree" and out.detail == "3 points at 20+10 and 20+30 digits and 4 at the domain's edges"
    assert out.digits == 20 and out.extra["scale"] > 0


# -- numeric.identity: the difference expression -------------------------------------------

def test_difference_precisions_are_40_and_80_above():
    assert _difference_precisions(12) == (52, 92)


@pytest.mark.parametrize("expr, approximated", [
    (sp.Sum(x ** n, (n, 0, 20)), False),
    (sp.Sum(1 / n ** 2, (n, 1, sp.oo)), True),
    (sp.Sum(sp.exp(n), (n, -sp.oo, 0)), True),
    (sp.Product(1 + 1 / n ** 2, (n, 1, sp.oo)), True),
    (sp.Product(n, (n, 1, 5)), False),
    (sp.Integral(x, (x, 0, 1)), True),
    (sp.Limit(sp.sin(x) / x, x, 0), True),
    (sp.sin(x) + x, False),
])
def test_approximated_parts(expr, approximated):
    assert _approximated(expr) is approximated
    assert (_difference_expression(expr, sp.Integer(1)) is None) is approximated


def test_stable_difference_needs_ten_digits_at_both_precisions():
    def hidden(k):  # exp(x) - exp(x + 10^-k) = -10^-k e^x (1 + O(10^-k)), cancelling k digits
        return sp.exp(x) - sp.exp(x + sp.Rational(1, 10 ** k))
    with mpmath.workdps(120):
        scale = mpmath.exp(mpmath.mpf(0.5))
    # 10^-25 hidden in the 26th digit: about 20 correct digits at 45, 60 at 85 (5 digits asked)
    d = stable_difference(hidden(25), {x: 0.5}, 5)
    with mpmath.workdps(120):
        assert d is not None and abs(d / scale + mpmath.mpf(10) ** -25) < mpmath.mpf(10) ** -45
    # 10^-40 has about 5 digits at 45: evaluated again where its bound says 15 suffice, then 40 higher
    d = stable_difference(hidden(40), {x: 0.5}, 5)
    with mpmath.workdps(120):
        assert d is not None and abs(d / scale + mpmath.mpf(10) ** -40) < mpmath.mpf(10) ** -75
    # 10^-60 vanishes at 45 digits: no number, and no search for one
    assert stable_difference(hidden(60), {x: 0.5}, 5) is None


# -- numeric.identity: the two-precision judgement ---------------------------------------------

def _at(p, value):
    with mpmath.workdps(p):
        return mpmath.mpf(value)


def test_judge_agree_disagree_noise_and_unstable():
    one = (_at(40, 1), _at(40, 1))
    assert _judge(one, one, 40, 60, 30) == ("agree", math.inf, "")
    off = (_at(40, 1), _at(40, "1.000001"))
    status, digits, _ = _judge(off, off, 40, 60, 30)
    assert status == "disagree" and digits == pytest.approx(6, abs=0.01)
    noise_a = (_at(40, 0), _at(40, "1e-41"))
    noise_b = (_at(60, 0), _at(60, "1e-61"))
    status, digits, why = _judge(noise_a, noise_b, 40, 60, 30)
    assert (status, digits) == ("agree", math.inf) and "rounding noise" in why
    moving = ((_at(40, "1.1"), _at(40, "1.1")), (_at(60, "1.2"), _at(60, "1.2")))
    assert _judge(*moving, 40, 60, 30) == ("unstable", None, "a side changes between 40 and 60 digits")
    # shapes are compared before values
    assert _judge((mpmath.matrix([1, 2]), _at(40, 1)), (mpmath.matrix([1, 2]), _at(60, 1)), 40, 60, 30)[0] == "disagree"


# -- numeric.identity: inequalities --------------------------------------------------------------

def test_inequality_with_a_non_real_side_is_refuted():
    s = sp.Symbol("s", nonnegative=True)
    out = search_inequality(1 / sp.sqrt(1 - s), "<=", 3, {s: real(0, 50)}, 20, seed=0)
    assert out.status == "disagree" and out.detail == "a side is not real here"


def test_inequality_corners_and_strictness():
    assert search_inequality(x ** 2, ">=", 0, {x: real(-1, 1)}, 20, seed=0).status == "agree"
    out = search_inequality(x ** 2, ">", 0, {x: real(0, 1)}, 20, seed=0)  # equality at the corner x = 0
    assert out.status == "disagree" and "equality where strict" in out.detail
    out = search_inequality(x, "<=", 0.999, {x: real(0, 1)}, 20, seed=0)  # only the corner x = 1 violates
    assert out.status == "disagree" and out.counterexample["at"] == {"x": "1.0"}


def test_descend_reaches_a_negative_value_inside_the_box():
    f = lambda p: (p[x] - 0.9) ** 2 - 0.001  # noqa: E731 - negative only near x = 0.9
    end = descend(f, {x: -1.0}, {x: real(-1, 1)})
    assert f(end) < 0 and -1 <= end[x] <= 1
    assert descend(lambda p: None, {x: 0.0}, {x: real(-1, 1)}) is None
    k = sp.Symbol("k", integer=True)
    end = descend(lambda p: abs(p[k] - 7) - 0.5, {k: 0}, {k: integers(0, 10)})
    assert end[k] == 7 and isinstance(end[k], int)


# -- derivations.engine.symbolic -------------------------------------------------------------

def test_do_it_moves_forward_only_for_unevaluated_operators():
    from derivations.engine import symbolic as S
    plain = _ordered(x + 1, S.STRATEGIES)
    assert plain == S.STRATEGIES
    moved = _ordered(sp.Integral(x, (x, 0, 1)), S.STRATEGIES)
    assert moved[:4] == (S.identical, S.expand_, S.geometric_integrand, S.do_it) and len(moved) == len(S.STRATEGIES)
    assert _ordered(sp.Integral(x, (x, 0, 1)), (S.identical, S.cancel_)) == (S.identical, S.cancel_)
    assert _ordered(sp.Sum(x, (x, 0, 1)), (S.do_it, S.identical))[0] is S.do_it


def test_infinite_entries_refute_and_nan_does_not():
    assert _nonzero_constant(sp.oo) == (0, sp.oo)
    assert _nonzero_constant(sp.ImmutableMatrix([0, -sp.oo])) == (1, -sp.oo)
    assert _nonzero_constant(sp.nan) is None and _nonzero_constant(sp.zoo) is None
    out = prove_zero(sp.Sum(1 / n, (n, 1, sp.oo)) - 100)
    assert (out.status, out.method, out.value) == ("refuted", "do_it", sp.oo)


def test_refutation_keeps_the_exact_value_and_entry():
    out = prove_zero(sp.ImmutableMatrix([[0, sp.sqrt(2) - 1]]))
    assert out.status == "refuted" and out.value == sp.sqrt(2) - 1
    assert out.counterexample["text"] == "entry (0,1): difference = -1 + sqrt(2) (exact, by identical)"


def test_prove_nonnegative_strict_and_certificate_messages():
    p = sp.Symbol("p", positive=True)
    assert prove_nonnegative(p ** 2).method == "sign"
    assert prove_nonnegative(p ** 2 - 2 * p + 1).method == "factor+sign"
    assert prove_nonnegative(x ** 2, strict=True).status == "failed"
    assert prove_nonnegative(p ** 2, strict=True).status == "proved"
    assert prove_nonnegative(x ** 2 + 1, certificate=x ** 2).detail == "certificate does not equal the difference"
    assert prove_nonnegative(x, certificate=x).detail == "certificate is not manifestly nonnegative"
    assert prove_nonnegative(x, certificate=x, strict=True).detail == "certificate is not manifestly positive"


# -- derivations.engine.parser ----------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("2.1097428012368919745", sp.Rational("2.1097428012368919745")),
    ("1_000.5", sp.Rational(2001, 2)),
    ("1e3", sp.Integer(1000)),
    ("5.", sp.Integer(5)),
    (".25", sp.Rational(1, 4)),
    ("2**-3", sp.Rational(1, 8)),
])
def test_numbers_are_exact(text, value):
    assert parse_expression(text) == value


@pytest.mark.parametrize("text, message", [
    ("1e-300", "float literal exponent too large"),
    ("2**70000", "number too large"),
    ("x**1001", "exponent 1001 too large"),
    ("Matrix([[x, 1], [0, x]])**7", "power of a non-numeric matrix too large"),
    ("Matrix([[1, 2], [3, 4]])**65", "matrix powers must be integers from 0 to 64"),
    ("x**Matrix([[1]])", "matrix exponents are not allowed"),
    ("exp(10**9*log(2))", "number too large"),
    ("x.T", ".T applies to matrices only"),
    ("Matrix([[1]]).H", "attribute .H is not allowed (only .T)"),
    ("sin", "function sin used without arguments"),
    ("sin(*x)", "starred arguments are not allowed"),
    ("Limit(x, 1, 2)", "Limit takes an expression, a symbol and a point"),
    ("Sum(x, 1)", "Sum limits must be a symbol or (symbol, a, b)"),
    ("Sum()", "Sum needs arguments"),
    ("Integral(x, (1, 0, 1))", "Integral limit variable must be a symbol"),
    ("sin(Matrix([[1]]))", "sin does not take a matrix or tuple argument"),
    ("Matrix([1], [2])", "Matrix takes one list of rows"),
    ("harmonic(100, 100)", "arguments of harmonic too large (product limit 5000)"),
    ("factorial(20000)", "argument of factorial too large (limit 10000)"),
    ("x @ x", "operator MatMult is not allowed"),
    ("~x", "operator Invert is not allowed"),
    ("x < 1", "a comparison is not allowed in expressions"),
    ("1 / Matrix([[1]])", "division by a matrix"),
])
def test_parser_messages(text, message):
    from derivations.engine.errors import ExpressionError
    with pytest.raises(ExpressionError) as exc:
        parse_expression(text)
    assert message in str(exc.value)


def test_parser_keeps_symbols_and_limit_direction():
    p = sp.Symbol("p", positive=True)
    assert parse_expression("p + q", {"p": p}).free_symbols == {p, sp.Symbol("q")}
    lim = parse_expression("Limit(1/x, x, 0, dir='-')")
    assert isinstance(lim, sp.Limit) and str(lim.args[3]) == "-"
    assert parse_expression("Matrix([1, 2]).T").shape == (1, 2)
    assert parse_expression("floor(pi)").func is sp.floor and parse_expression("floor(7/2)") == 3


# -- second round (survivors of the second mutmut run) -----------------------------------------

def test_descent_finds_a_violation_that_samples_and_corners_miss():
    out = search_inequality((x - 0.3) ** 2, ">=", sp.Rational(1, 10 ** 4), {x: real(-1, 1)}, 20, seed=0)
    assert out.status == "disagree"
    assert out.detail == "violated (confirmed at 80 digits); found by descent from a smallest sampled margin"
    assert abs(float(out.counterexample["at"]["x"]) - 0.3) < 0.01
    assert out.counterexample["difference"].startswith("-9.9")  # lhs - rhs, signed


@pytest.mark.parametrize("lhs, rel, rhs", [(x + 2, ">=", 1), (x, "<", 2), (2, ">", x), (x, "<=", 2)])
def test_smallest_margin_is_signed_for_every_relation(lhs, rel, rhs):
    out = search_inequality(lhs, rel, rhs, {x: real(0, 1)}, 20, seed=0)
    assert out.status == "agree" and out.detail == "holds at 28 points (2 by descent; smallest margin 1.0)"


def test_inequality_unknown_and_unevaluable_details():
    out = search_inequality(1 / (x - x), "<=", 1, {x: real(0, 1)}, 20, seed=0)
    assert (out.status, out.detail) == ("unknown", "could not evaluate at any point")


def test_identity_points_follow_the_seed():
    a = search_identity(sp.sin(x), x, {x: real(-1, 1)}, 20, seed=1)
    b = search_identity(sp.sin(x), x, {x: real(-1, 1)}, 20, seed=1)
    c = search_identity(sp.sin(x), x, {x: real(-1, 1)}, 20, seed=2)
    assert a.counterexample == b.counterexample != c.counterexample
    assert a.counterexample["at"] == {"x": "-0.731271511775198"}
    assert a.digits == pytest.approx(1.0616, abs=1e-3) and a.detail == "confirmed at 80 digits"


def test_identity_skipped_points_and_unknown_details():
    k = sp.Symbol("k", integer=True)
    out = search_identity(1 / k, 1 / k, {k: integers(-1, 1)}, 20, seed=0, points=8)
    assert (out.status, out.detail) == ("agree", "2 points at 20+10 and 20+30 digits; 6 point(s) skipped (division by zero)")
    out = search_identity(1 / (x - x), sp.Integer(1), {x: real(0, 1)}, 20, seed=0)
    assert out.status == "unknown" and out.detail.startswith("could not evaluate: ")
    one = search_identity(sp.pi, sp.pi, {}, 20, seed=0)
    assert one.detail == "1 point at 20+10 and 20+30 digits"


def test_compare_details_name_the_deciding_precisions():
    def late(dps):  # sides equal up to 10^-(dps/2): unstable at 30/50, noise shrinking at 50/100
        with mpmath.workdps(dps):
            return mpmath.mpf(1), 1 + mpmath.mpf(10) ** (-dps)
    cmp = compare(late, 20)
    assert (cmp.status, cmp.dps) == ("agree", 50)

    def off(dps):
        with mpmath.workdps(dps):
            return mpmath.mpf(1), mpmath.mpf(1) + mpmath.mpf(10) ** -12
    cmp = compare(off, 20)
    assert (cmp.status, cmp.dps, cmp.detail) == ("disagree", 80, "confirmed at 80 digits")
    assert cmp.digits == pytest.approx(12, abs=0.01) and cmp.lhs == 1

    def vanishing(dps):  # a difference of 10^-15 at 30 and 50 digits that is gone at 80: not confirmed
        with mpmath.workdps(dps):
            return mpmath.mpf(1), mpmath.mpf(1) + (mpmath.mpf(10) ** -15 if dps < 60 else 0)
    cmp = compare(vanishing, 20)
    assert cmp.status == "unknown" and cmp.detail.startswith("disagreement at 50 digits not confirmed at 80")


@pytest.mark.parametrize("text, ok", [
    ("2**10000", True), ("2**10001", False),
    ("x**1000", True), ("x**1001", False), ("x**(-1000)", True), ("x**(-1001)", False),
    ("Matrix([[1, 2], [3, 4]])**64", True), ("Matrix([[1, 2], [3, 4]])**65", False),
    ("Matrix([[1, 2], [3, 4]])**0", True), ("Matrix([[1, 2], [3, 4]])**(-1)", False),
    ("Matrix([[x, 1], [0, x]])**6", True), ("Matrix([[x, 1], [0, x]])**7", False),
    ("Matrix([[x, 0, 0], [0, x, 0], [0, 0, x]])**6", True),
    ("(1/2)**10000", True), ("(1/2)**10001", False), ("(1/4)**6666", True), ("(1/4)**6667", False),
    ("exp(1000*log(2))", True), ("exp(10**6*log(2))", False),
    ("root(2, 1/10**18)", False), ("root(2, 3)", True),
    ("10.5**10**8", False), ("x**2.5", True),
])
def test_power_bounds_are_exact(text, ok):
    from derivations.engine.errors import ExpressionError
    if ok:
        parse_expression(text)
    else:
        with pytest.raises(ExpressionError):
            parse_expression(text)


def _moving(values, rhs=1):
    """compute(dps) whose left side is values[dps] (exact decimal strings), right side ``rhs``."""
    def compute(dps):
        with mpmath.workdps(dps):
            return mpmath.mpf(values[dps]), mpmath.mpf(rhs)
    return compute


def test_compare_unstable_first_then_decided_at_the_two_higher_precisions():
    agree = compare(_moving({30: "1.000000000000001", 50: "1.000000000000000000001", 80: "1"}), 20)
    assert (agree.status, agree.digits, agree.dps, agree.detail) == ("agree", 20, 80, "decided at 50/80 digits")
    disagree = compare(_moving({30: "1.500000000000001", 50: "1.500000000000000000001", 80: "1.5"}), 20)
    assert (disagree.status, disagree.dps, disagree.detail) == ("disagree", 80, "decided at 50/80 digits")
    assert disagree.digits == pytest.approx(0.477, abs=1e-3) and disagree.lhs == mpmath.mpf("1.5")
    # a side near 1 that moves from 1+1e-16 to 1: a drift, not rounding noise at zero (the old
    # rule agreed because the *difference* of the sides shrank; neither side vanishes)
    drift = compare(_moving({30: "1.000000000000001", 50: "1.0000000000000001", 80: "1"}), 20)
    assert (drift.status, drift.digits) == ("unknown", None)
    noise = compare(_moving({30: "1e-31", 50: "1e-51", 80: "1e-81"}, rhs=0), 20)
    assert (noise.status, noise.digits) == ("agree", 20) and "rounding noise" in noise.detail
    drifting = compare(_moving({30: "1.6", 50: "1.55", 80: "1.52"}), 20)
    assert (drifting.status, drifting.digits, drifting.detail) == ("unknown", None, "a side changes between 50 and 80 digits")
    assert mpmath.nstr(drifting.lhs, 10) == "1.52" and drifting.dps == 80


def test_judge_boundaries_are_inclusive():
    with mpmath.workdps(40):
        one, near = mpmath.mpf(1), 1 + mpmath.mpf(10) ** -20  # agreement exactly 20 digits
    status, digits, _ = _judge((one, near), (one, near), 40, 60, 20)
    assert status == "agree" and digits == pytest.approx(20, abs=1e-9)
    status, _, _ = _judge((one, near), (one, near), 40, 60, 21)
    assert status == "disagree"
