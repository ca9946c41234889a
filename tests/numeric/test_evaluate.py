"""numeric.evaluate: the mpmath tree walk, one rule per node type, checked against known values."""
import mpmath
import pytest
import sympy as sp

from numeric.evaluate import Unevaluable, evaluate

x, y, k = sp.symbols("x y k", real=True)
DPS = 40


def close(a, b, digits=35):
    """|a - b| <= 10**-digits * max(1, |b|); ``b`` may be a callable computing the reference
    value, which then runs at a precision above DPS."""
    with mpmath.workdps(DPS + 10):
        b = mpmath.mpmathify(b() if callable(b) else b)
        return abs(a - b) <= mpmath.mpf(10) ** (-digits) * max(1, abs(b))


@pytest.mark.parametrize("expr, point, expected", [
    (sp.pi, {}, lambda: mpmath.pi),
    (sp.E, {}, lambda: mpmath.e),
    (sp.EulerGamma + sp.Catalan + sp.GoldenRatio, {}, lambda: mpmath.euler + mpmath.catalan + mpmath.phi),
    (sp.Rational(1, 3), {}, lambda: mpmath.mpf(1) / 3),
    (sp.Float("0.1", 60), {}, lambda: mpmath.mpf("0.1")),
    (x ** 3 - 2 * x + 1, {x: 1.5}, lambda: mpmath.mpf("1.375")),
    (sp.sin(x) ** 2 + sp.cos(x) ** 2, {x: 0.7}, lambda: 1),
    (sp.exp(x) * sp.log(y), {x: 1.0, y: 2.0}, lambda: mpmath.e * mpmath.log(2)),
    (sp.gamma(x), {x: 0.5}, lambda: mpmath.sqrt(mpmath.pi)),
    (sp.zeta(x), {x: 2.0}, lambda: mpmath.pi ** 2 / 6),
    (sp.besselj(0, x), {x: 1.0}, lambda: mpmath.besselj(0, 1)),
    (sp.polygamma(1, x), {x: 1}, lambda: mpmath.pi ** 2 / 6),
    (sp.atan2(y, x), {x: -1.0, y: 0.0}, lambda: mpmath.pi),
    (sp.Abs(x) + sp.sign(x), {x: -0.25}, lambda: mpmath.mpf("-0.75")),
    (sp.Min(x, y) - sp.Max(x, y), {x: 2.0, y: 5.0}, lambda: -3),
    (sp.floor(x) + sp.ceiling(x), {x: 2.5}, lambda: 5),
    (sp.KroneckerDelta(x, 2), {x: 2.0}, lambda: 1),
    (sp.Piecewise((x, x > 0), (-x, True)), {x: -2.5}, lambda: mpmath.mpf("2.5")),
    (sp.Heaviside(x), {x: 0.5}, lambda: 1),  # not in the table: SymPy's evalf fallback
    (sp.elliptic_e(x), {x: 0.5}, lambda: mpmath.ellipe(0.5)),  # fallback
])
def test_values(expr, point, expected):
    assert close(evaluate(expr, point, DPS), expected)


def test_principal_branches_agree_with_sympy():
    assert close(evaluate(sp.sqrt(x), {x: -4.0}, DPS), 2j)
    # (-8)**(1/3) is the principal root 1 + i*sqrt(3), as in SymPy, not -2
    assert close(evaluate(x ** sp.Rational(1, 3), {x: -8.0}, DPS), lambda: mpmath.mpc(1, mpmath.sqrt(3)))
    assert close(evaluate(sp.log(x), {x: complex(-1, 0)}, DPS), lambda: mpmath.mpc(0, mpmath.pi))


def test_infinite_sum_product_and_integral():
    assert close(evaluate(sp.Sum(1 / k ** 2, (k, 1, sp.oo)), {}, DPS), lambda: mpmath.pi ** 2 / 6)
    assert close(evaluate(sp.Product(1 - 1 / k ** 2, (k, 2, sp.oo)), {}, DPS), mpmath.mpf(1) / 2)
    assert close(evaluate(sp.Integral(sp.exp(-x ** 2), (x, -sp.oo, sp.oo)), {}, DPS), lambda: mpmath.sqrt(mpmath.pi))
    # a limit depending on a free symbol; the double integral of x*y over the unit square is 1/4
    assert close(evaluate(sp.Integral(x * y, (x, 0, 1), (y, 0, 1)), {}, DPS), mpmath.mpf(1) / 4)


def test_finite_sum_is_exact_termwise():
    n = sp.Symbol("n", integer=True)
    assert evaluate(sp.Sum(k, (k, 1, n)), {n: 100}, DPS) == 5050
    assert evaluate(sp.Sum(k, (k, 5, 1)), {}, DPS) == 0  # empty sum


def test_derivative_by_mpmath_diff():
    assert close(evaluate(sp.Derivative(sp.sin(x), x), {x: 0.3}, DPS), lambda: mpmath.cos(0.3), 30)
    assert close(evaluate(sp.Derivative(x ** 5, (x, 2)), {x: 2.0}, DPS), 160, 30)


def test_matrices_evaluate_entrywise():
    m = evaluate(sp.Matrix([[x, 1], [sp.pi, x ** 2]]), {x: 3.0}, DPS)
    assert isinstance(m, mpmath.matrix) and (m.rows, m.cols) == (2, 2)
    assert m[0, 0] == 3 and m[1, 1] == 9 and close(m[1, 0], lambda: mpmath.pi)


def test_precision_is_the_requested_one():
    lo, hi = evaluate(sp.pi, {}, 20), evaluate(sp.pi, {}, 60)
    with mpmath.workdps(80):
        assert abs(hi - mpmath.pi) < mpmath.mpf(10) ** -58
        assert mpmath.mpf(10) ** -25 < abs(lo - mpmath.pi) < mpmath.mpf(10) ** -18


@pytest.mark.parametrize("expr, point, why", [
    (1 / x, {x: 0}, "division by zero"),
    (sp.zoo, {}, "not a number"),
    (x + y, {x: 1.0}, "no value for symbol y"),
    (sp.Integral(x, x), {}, "indefinite"),
    (sp.Piecewise((x, x > 0)), {x: -1.0}, "no branch"),
    (sp.Derivative(sp.sin(x * y), x, y), {x: 0.1, y: 0.2}, "mixed partial"),
    (sp.gamma(x), {x: 0}, "pole"),
    (sp.Function("f")(x), {x: 1.0}, "no numeric value for f"),
])
def test_unevaluable(expr, point, why):
    with pytest.raises(Unevaluable, match=why):
        evaluate(expr, point, DPS)


# -- error bounds relative to the result (evaluate_value) --------------------------------------

from numeric.evaluate import evaluate_value  # noqa: E402


def test_cancellation_in_a_sum_leaves_no_digit_until_the_precision_covers_it():
    # cosh x and sinh x are about 1e295 at x = 680.29 and cancel to e^-x = 3.6e-296
    e = sp.cosh(x) - sp.sinh(x)
    low = evaluate_value(e, {x: 680.286705687676}, 80)
    assert low.vanishes() and not low.resolved(1)
    with mpmath.workdps(20):
        assert low.bound() > mpmath.mpf(10) ** 200  # 1e295 terms at 80 digits
    high = low.refine(700)
    assert high.resolved(50) and high.dps == 700
    with mpmath.workdps(80):
        assert abs(high.value / mpmath.exp(-mpmath.mpf(680.286705687676)) - 1) < mpmath.mpf(10) ** -50


def test_exact_inputs_and_rounded_results():
    assert evaluate_value(x * 3 + 1, {x: 0.5}, DPS).error < -DPS * 3  # one rounding
    zero = evaluate_value(sp.Integer(0) * x, {x: 0.5}, DPS)
    assert zero.is_zero() and zero.resolved(1000)
    v = evaluate_value(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, {x: 0.5}, DPS)  # a true zero: noise
    assert v.vanishes() and not v.is_zero()


def test_large_arguments_amplify_absolute_error():
    # exp(a) with a = 1000 x carries |a| 10^-dps relative error from rounding a: three digits
    v = evaluate_value(sp.exp(1000 * x / 3), {x: 3.0}, DPS)
    assert DPS - 5 < v.digits < DPS
    # sin at a complex argument: its derivative bound e^|Im a| is the size of the value, so the
    # relative error stays that of the argument
    z = sp.Symbol("z")
    w = evaluate_value(sp.sin(z * 100), {z: complex(0, 3)}, DPS)
    assert w.resolved(DPS - 5)


def test_partial_cancellation_keeps_the_surviving_digits():
    t = sp.Rational(1, 10 ** 10)
    v = evaluate_value(1 - sp.cos(t), {}, DPS)  # 1 - cos t = t^2/2 - ...: 20 digits cancel
    assert DPS - 22 < v.digits < DPS - 18


def test_a_zero_entry_of_a_matrix_is_judged_by_the_matrix_norm():
    m = sp.Matrix([[sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, 1], [x, 2]])  # noise in (0,0), O(1) elsewhere
    v = evaluate_value(m, {x: 0.5}, DPS)
    assert isinstance(v.value, mpmath.matrix) and v.resolved(DPS - 3)


def test_a_function_of_a_vanished_argument_is_unknown():
    v = evaluate_value(sp.exp(sp.cosh(x) - sp.sinh(x) - sp.exp(-x)), {x: 680.286705687676}, 60)
    assert v.error == float("inf") and v.vanishes()


def test_plain_and_tracked_walks_give_the_same_values():
    for e in (sp.gamma(x) * sp.exp(-x) + sp.besselj(0, x), sp.Piecewise((x, x > 1), (-x, True)) + sp.Abs(x),
              sp.Sum(1 / (k + x) ** 2, (k, 0, 30)), sp.Max(x, 2) * sp.floor(x * 3)):
        for pt in ({x: 0.7}, {x: 2.5}):  # (the plain walk adds pairwise, the tracked one exactly)
            assert close(evaluate(e, pt, DPS), evaluate_value(e, pt, DPS).value, DPS - 2)
