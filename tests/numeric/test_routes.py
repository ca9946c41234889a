"""Evaluation routes for what users bring (numeric.evaluate): limits, removable singularities,
oscillatory and iterated integrals, nested and slowly convergent series, each on a true value and on
a falsified variant that the two-precision rule must refute; a value that moves with the precision
stays unknown."""
import mpmath
import pytest
import sympy as sp

from numeric.evaluate import Unevaluable, _clenshaw_curtis, _frequency, evaluate, evaluate_value
from numeric.search import search_identity
from numeric.sampling import real

x, y, s, z = sp.symbols("x y s z", real=True)
n = sp.Symbol("n", integer=True, positive=True)
j, k = sp.symbols("j k", integer=True, nonnegative=True)
D = 20  # digits asked: working precisions 30 and 50, confirmation at 80
WRONG = 1 + sp.Rational(1, 10 ** 9)  # a relative error seen at every precision used below


def verdict(lhs, rhs, domains=None, digits=D):
    return search_identity(lhs, rhs, domains or {}, digits, seed=0, points=3).status


TRUE_AND_FALSE = [
    # limits: Richardson in 1/k; exponential sampling where that model fails; one-sided
    ("limit zeta(s) - 1/(s-1) -> gamma", sp.Limit(sp.zeta(s) - 1 / (s - 1), s, 1), sp.EulerGamma, sp.EulerGamma * WRONG),
    ("limit Gamma(z) - 1/z -> -gamma", sp.Limit(sp.gamma(z) - 1 / z, z, 0), -sp.EulerGamma, sp.EulerGamma),
    ("limit of central binomials -> pi", sp.Limit(16 ** n / (n * sp.binomial(2 * n, n) ** 2), n, sp.oo), sp.pi,
     sp.pi * WRONG),
    ("limit x log x -> 0 (exponential sampling)", sp.Limit(x * sp.log(x), x, 0, "+"), sp.Integer(0),
     sp.Rational(1, 10 ** 9)),
    ("limit at infinity with sqrt terms", sp.Limit(sp.sqrt(x ** 3 + x ** 2) / (sp.sqrt(x ** 3) + x), x, sp.oo),
     sp.Integer(1), WRONG),
    ("limit from the right", sp.Limit(sp.atan(1 / x), x, 0, "+"), sp.pi / 2, -sp.pi / 2),
    ("limit from the left", sp.Limit(sp.atan(1 / x), x, 0, "-"), -sp.pi / 2, sp.pi / 2),
    # removable singularity at tanh-sinh's midpoint node
    ("integral of x/sin x", sp.Integral(x / sp.sin(x), (x, -sp.pi / 2, sp.pi / 2)), 4 * sp.Catalan,
     4 * sp.Catalan * WRONG),
    # oscillatory integrals over infinite ranges: half periods summed by Levin's transformation
    ("integral of cos x/(x^2+1) over (0, oo)", sp.Integral(sp.cos(x) / (x ** 2 + 1), (x, 0, sp.oo)), sp.pi / (2 * sp.E),
     sp.pi / (2 * sp.E) * WRONG),
    ("Dirichlet integral", sp.Integral(sp.sin(x) / x, (x, 0, sp.oo)), sp.pi / 2, sp.pi / 2 * WRONG),
    # iterated integrals, inner limits depending on the outer variable
    ("double integral of 1/(1+xy)", sp.Integral(1 / (1 + x * y), (x, 0, 1), (y, 0, 1)), sp.pi ** 2 / 12,
     sp.pi ** 2 / 12 * WRONG),
    ("triangle", sp.Integral(x * y, (x, 0, y), (y, 0, 1)), sp.Rational(1, 8), sp.Rational(1, 8) * WRONG),
    # series: Catalan's constant, Hurwitz zeta at s = 3/2 (Euler-Maclaurin), a polygamma series
    ("Catalan's alternating series", sp.Sum((-1) ** k / (2 * k + 1) ** 2, (k, 0, sp.oo)), sp.Catalan,
     sp.Catalan * WRONG),
    ("Ramanujan's series for Catalan",
     sp.pi / 8 * sp.log(2 + sp.sqrt(3)) + sp.Rational(3, 8) * sp.Sum(1 / ((2 * k + 1) ** 2 * sp.binomial(2 * k, k)),
                                                                    (k, 0, sp.oo)), sp.Catalan, sp.Catalan * WRONG),
    ("Hurwitz zeta(3/2, 1/3)", sp.Sum(1 / (k + sp.Rational(1, 3)) ** sp.Rational(3, 2), (k, 0, sp.oo)),
     sp.zeta(sp.Rational(3, 2), sp.Rational(1, 3)), sp.zeta(sp.Rational(3, 2), sp.Rational(1, 3)) * WRONG),
    ("polygamma series", sp.Sum(1 / (k + sp.Rational(1, 3)) ** 3, (k, 0, sp.oo)),
     -sp.polygamma(2, sp.Rational(1, 3)) / 2, sp.polygamma(2, sp.Rational(1, 3)) / 2),
    # exp(-x cosh t): tanh-sinh's far nodes ask for exp of -10^60-sized arguments
    ("K0 integral, double-exponential decay", sp.Integral(sp.exp(-3 * sp.cosh(x) / 2), (x, 0, sp.oo)),
     sp.besselk(0, sp.Rational(3, 2)), sp.besselk(0, sp.Rational(3, 2)) * WRONG),
    # Gauss's integral for digamma: two terms of size 1/t cancel near 0
    ("Gauss's integral for digamma(7/4)",
     sp.Integral(sp.exp(-x) / x - sp.exp(-sp.Rational(7, 4) * x) / (1 - sp.exp(-x)), (x, 0, sp.oo)),
     sp.digamma(sp.Rational(7, 4)), sp.digamma(sp.Rational(11, 4))),
    # trigonometric series by Lerch's transcendent: nsum keeps 37 of 60 digits at x = 1/10
    ("Clausen series at x = 1/10", sp.Sum(sp.cos(n / 10) / n ** 2, (n, 1, sp.oo)),
     sp.pi ** 2 / 6 - sp.pi / 20 + sp.Rational(1, 400), sp.pi ** 2 / 6 - sp.pi / 20 + sp.Rational(1, 200)),
    ("sum of sin(n)/n", sp.Sum(sp.sin(n) / n, (n, 1, sp.oo)), (sp.pi - 1) / 2, (sp.pi - 2) / 2),
    # step functions: split at the jumps, infinitely many of them summed as a series of pieces
    ("fractional part of 1/x", sp.Integral(1 / x - sp.floor(1 / x), (x, 0, 1)), 1 - sp.EulerGamma,
     (1 - sp.EulerGamma) * WRONG),
    ("floor(x)/x^3 over (-oo, -1)", sp.Integral(sp.floor(x) / x ** 3, (x, -sp.oo, -1)), sp.pi ** 2 / 12 + sp.S.Half,
     sp.pi ** 2 / 12 + sp.S.Half * WRONG),
    ("ceiling(3x)/(1 + x), finitely many jumps", sp.Integral(sp.ceiling(3 * x) / (1 + x), (x, 0, 2)),
     10 * sp.log(3) - 6 * sp.log(2) - sp.log(5) - sp.log(7),
     (10 * sp.log(3) - 6 * sp.log(2) - sp.log(5) - sp.log(7)) * WRONG),
]


COSTLY = {"integral of cos x/(x^2+1) over (0, oo)", "Dirichlet integral", "double integral of 1/(1+xy)",
          "triangle", "limit zeta(s) - 1/(s-1) -> gamma"}


@pytest.mark.parametrize("name, lhs, true, false", TRUE_AND_FALSE, ids=[c[0] for c in TRUE_AND_FALSE])
def test_route_agrees_on_the_true_value_and_refutes_the_false_one(name, lhs, true, false):
    digits = 10 if name in COSTLY else D  # quadrature and extrapolation cost grows fast with the digits
    assert verdict(lhs, true, digits=digits) == "agree"
    assert verdict(lhs, false, digits=digits) == "disagree"


def test_double_series_for_exp_of_a_sum():
    # SymPy flattens the nested Sum (innermost limit first); it used to recurse without end
    a, b = sp.Rational(1, 3), -sp.Rational(4, 5)
    double = sp.Sum(a ** j * b ** k / (sp.factorial(j) * sp.factorial(k)), (j, 0, sp.oo), (k, 0, sp.oo))
    assert verdict(double, sp.exp(a + b)) == "agree"
    assert verdict(double, sp.exp(a + b) * WRONG) == "disagree"
    # an outer series that nsum extrapolates over inner ones summed directly
    mixed = sp.Sum(a ** j / (sp.factorial(j) * (k + 1) ** 2), (j, 0, sp.oo), (k, 0, sp.oo))
    assert verdict(mixed, sp.exp(a) * sp.pi ** 2 / 6, digits=10) == "agree"
    assert verdict(mixed, sp.exp(a) * sp.pi ** 2 / 6 * WRONG, digits=10) == "disagree"
    # at sampled points
    c = sp.Symbol("c", real=True)
    sampled = sp.Sum(c ** j * b ** k / (sp.factorial(j) * sp.factorial(k)), (j, 0, sp.oo), (k, 0, sp.oo))
    assert verdict(sampled, sp.exp(c + b), {c: real(-1, 1)}, digits=10) == "agree"


@pytest.mark.slow
def test_bessel_integral_by_the_oscillatory_route():
    j1 = sp.Integral(sp.besselj(1, x) / x, (x, 0, sp.oo))
    assert verdict(j1, sp.Integer(1), digits=6) == "agree"
    assert verdict(j1, 1 + sp.Rational(1, 10 ** 5), digits=6) == "disagree"


@pytest.mark.slow
def test_oscillatory_integral_over_the_whole_line():
    whole = sp.Integral(sp.cos(x) / (x ** 2 + 1), (x, -sp.oo, sp.oo))
    assert verdict(whole, sp.pi / sp.E, digits=8) == "agree"
    assert verdict(whole, sp.pi / sp.E * (1 + sp.Rational(1, 10 ** 7)), digits=8) == "disagree"


def test_two_sided_limit_needs_equal_sides():
    with pytest.raises(Unevaluable, match="one-sided limits differ"):
        evaluate(sp.Limit(sp.atan(1 / x), x, 0, "+-"), {}, 30)
    assert verdict(sp.Limit(sp.sin(x) / x, x, 0, "+-"), sp.Integer(1)) == "agree"


def test_a_limit_that_no_sampling_models_is_never_agreement():
    # x sin(1/x) -> 0, oscillating ever faster: neither 1/k nor 2^-k sampling settles
    assert verdict(sp.Limit(x * sp.sin(1 / x), x, 0, "+"), sp.Integer(0), digits=10) != "disagree"
    assert verdict(sp.Limit(sp.sin(1 / x), x, 0, "+"), sp.Integer(0), digits=10) != "agree"


def test_a_limit_whose_samples_diverge_has_no_value():
    # e^{-1/x} from the left samples e^k: Shanks's transformation of a geometric sequence is its
    # antilimit 0, at every precision; the samples move away from it
    with pytest.raises(Unevaluable, match="move away"):
        evaluate(sp.Limit(sp.exp(-1 / x), x, 0, "-"), {}, 30)
    assert verdict(sp.Limit(sp.exp(-1 / x), x, 0, "-"), sp.Integer(0), digits=10) != "agree"
    assert verdict(sp.Limit(sp.exp(-1 / x), x, 0, "+"), sp.Integer(0), digits=10) == "agree"


def test_lerch_route_only_for_oscillating_rational_terms():
    from numeric.evaluate import _lerch_form
    w = sp.Symbol("w", real=True)
    assert _lerch_form(sp.cos(n * w) / n ** 2, n) == [(sp.I * w, sp.Rational(1, 2), 0, 2),
                                                      (-sp.I * w, sp.Rational(1, 2), 0, 2)]
    assert _lerch_form(1 / n ** 2, n) is None                 # not oscillating: nsum or Euler-Maclaurin
    assert _lerch_form((-1) ** n / n, n) is None              # alternating: nsum
    assert _lerch_form(sp.cos(n) / sp.log(n + 1), n) is None  # not rational in n
    assert _lerch_form(sp.cos(n ** 2) / n ** 2, n) is None    # not a frequency


@pytest.mark.slow
def test_nested_integral_with_a_corner_singularity():
    # inner integrals at outer nodes next to y = 1 do not converge; their weight makes that harmless
    beukers = sp.Integral(1 / (1 - x * y), (x, 0, 1), (y, 0, 1))
    assert verdict(beukers, sp.pi ** 2 / 6, digits=6) == "agree"
    assert verdict(beukers, sp.pi ** 2 / 6 * (1 + sp.Rational(1, 10 ** 5)), digits=6) == "disagree"


def test_a_pole_at_a_node_is_not_removed():
    with pytest.raises(Unevaluable, match="singularity"):
        evaluate(sp.Integral(1 / x, (x, -1, 1)), {}, 30)
    with pytest.raises(Unevaluable):  # a jump: sign(x)/x has different one-sided limits... of 1/|x|
        evaluate(sp.Integral(sp.sign(x), (x, -1, 1)) + sp.Integral(1 / sp.Abs(x), (x, -1, 1)), {}, 30)


def test_step_functions_split_only_at_the_jumps_of_a_linear_fractional_argument():
    from numeric.evaluate import _step_form
    form = _step_form(1 / x - sp.floor(1 / x), x)
    assert form[:4] == (0, 1, 1, 0) and form[5] == 1 / x - form[4]
    assert _step_form(sp.floor(x ** 2), x) is None               # not monotone: jumps not at k -> x(k)
    assert _step_form(sp.floor(x) + sp.ceiling(2 * x), x) is None  # two different step arguments
    assert _step_form(sp.floor(sp.floor(x) / x), x) is None       # a step of a step
    assert _step_form(sp.floor(y) * x, x) is None                 # no jump in x
    # the pole of 1/x inside the range: not split, and quadrature over the jumps does not converge
    with pytest.raises(Unevaluable):
        evaluate(sp.Integral(1 / x - sp.floor(1 / x), (x, -1, 1)), {}, 30)


def test_frequency_of_the_oscillating_factors():
    env = {}
    assert _frequency(sp.cos(x) / (x ** 2 + 1), x, env) == 1
    assert _frequency(sp.sin(3 * x + 1) * sp.exp(-x), x, env) == 3
    assert _frequency(sp.besselj(0, 2 * x), x, env) == 2
    assert _frequency(sp.exp(sp.I * 5 * x) / x, x, env) == 5
    assert _frequency(sp.sin(x) * sp.sin(x / 3), x, env) is None  # two frequencies
    assert _frequency(sp.sin(x ** 2), x, env) is None  # not periodic
    assert _frequency(sp.exp(-x ** 2), x, env) is None  # no oscillation


def test_clenshaw_curtis_on_a_smooth_piece():
    with mpmath.workdps(40):
        value = _clenshaw_curtis(mpmath.exp, 0, 1)
        assert abs(value - (mpmath.e - 1)) < mpmath.mpf(10) ** -38
        with pytest.raises(Unevaluable):
            _clenshaw_curtis(lambda t: abs(t - mpmath.mpf(1) / 3), 0, 1, top=64)


def test_routes_carry_their_error_bounds():
    # an integral whose value cancels to zero vanishes (quad's own estimate), never a number
    v = evaluate_value(sp.Integral(sp.sin(x), (x, -1, 1)), {}, 30)
    assert v.vanishes()
    # a resolved limit, sum and integral
    for e in (sp.Limit(sp.sin(x) / x, x, 0), sp.Sum(1 / k ** 2, (k, 1, sp.oo)), sp.Integral(sp.exp(-x ** 2), (x, 0, 1))):
        assert evaluate_value(e, {}, 30).resolved(20)
