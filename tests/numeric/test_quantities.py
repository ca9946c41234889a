"""Quantities supplied by post code (numeric.evaluate._quantity): applied undefined functions
created as ``sp.Function(name, evaluator=f)`` or ``sp.Function(name, exact=g)`` are evaluated by
their hook, inside claims compared like any other expression."""
import mpmath
import pytest
import sympy as sp

from numeric.evaluate import Unevaluable, evaluate, evaluate_value
from numeric.search import search_identity
from numeric.sampling import integers, real

x = sp.Symbol("x", real=True)
N = sp.Symbol("N", integer=True, positive=True)
DPS = 40


def _harmonic(n):
    """H_n by direct summation, at the working precision (an independent implementation)."""
    return mpmath.fsum(mpmath.mpf(1) / k for k in range(1, int(n) + 1))


H = sp.Function("H", evaluator=_harmonic)


def test_evaluator_gets_mpmath_numbers_at_the_working_precision():
    seen = []

    def probe(n, t):
        seen.append((type(n), type(t), mpmath.mp.dps))
        return n * t
    Q = sp.Function("Q", evaluator=probe)
    assert evaluate(Q(3, x), {x: 0.5}, DPS) == mpmath.mpf("1.5")
    assert seen == [(mpmath.mpf, mpmath.mpf, DPS)]
    z = sp.Symbol("z")
    assert evaluate(Q(2, z), {z: complex(1, 1)}, DPS) == mpmath.mpc(2, 2)


def test_integer_family_parameter_true_and_false():
    # H_N = sum 1/k: the quantity against SymPy's harmonic, at sampled and probed integers
    assert search_identity(H(N), sp.harmonic(N), {N: integers(1, 40)}, 30, seed=0).status == "agree"
    bad = search_identity(H(N), sp.harmonic(N + 1), {N: integers(1, 40)}, 30, seed=0)
    assert bad.status == "disagree" and float(bad.counterexample["at"]["N"]).is_integer()


def test_matrix_valued_evaluator():
    R = sp.Function("R", evaluator=lambda t: mpmath.matrix([[mpmath.cos(t), -mpmath.sin(t)],
                                                            [mpmath.sin(t), mpmath.cos(t)]]))
    v = evaluate(R(x), {x: 0.3}, DPS)
    with mpmath.workdps(DPS):
        assert isinstance(v, mpmath.matrix) and abs(v[1, 0] - mpmath.sin(mpmath.mpf(0.3))) < mpmath.mpf(10) ** -38
    v = evaluate_value(R(x), {x: 0.3}, DPS)
    assert isinstance(v.value, mpmath.matrix) and v.resolved(DPS - 3)


def test_exact_quantity_is_walked_with_sympy_numbers():
    seen = []

    def exact(n, t):
        seen.append((n, t))
        return sp.gamma(n) * t
    G = sp.Function("G", exact=exact)
    assert evaluate(G(N, x), {N: 5, x: 0.25}, DPS) == 6  # Gamma(5) / 4
    n_arg, t_arg = seen[-1]
    assert isinstance(n_arg, sp.Integer) and n_arg == 5 and t_arg.is_Symbol and t_arg.is_real
    evaluate(G(sp.Rational(1, 3), x), {x: 0.5}, DPS)  # a number argument is passed as the number itself
    assert seen[-1][0] == sp.Rational(1, 3)
    # true and false claims built on it
    assert search_identity(G(N, x), sp.factorial(N - 1) * x, {N: integers(1, 12), x: real(-2, 2)}, 30, 0).status == "agree"
    assert search_identity(G(N, x), sp.factorial(N) * x, {N: integers(1, 12), x: real(-2, 2)}, 30, 0).status == "disagree"


def test_exact_quantity_that_needs_numbers_gets_floats():
    def exact(t):
        return t if t > 0 else -t  # a comparison: a symbol would not do
    A = sp.Function("A", exact=exact)
    assert evaluate(A(x), {x: -0.75}, DPS) == mpmath.mpf("0.75")
    assert search_identity(A(x), sp.Abs(x), {x: real(-2, 2)}, 30, 0).status == "agree"
    assert search_identity(A(x), x, {x: real(-2, 2)}, 30, 0).status == "disagree"


def test_cancellation_through_an_exact_quantity_is_tracked():
    C = sp.Function("C", exact=lambda t: sp.cosh(t) - sp.sinh(t))
    at = {x: 680.286705687676}
    low = evaluate_value(C(x), at, 60)
    assert low.vanishes()
    assert search_identity(C(x), sp.exp(-x), {x: real(600, 700)}, 30, 0).status == "agree"
    assert search_identity(C(x), sp.exp(-x) * (1 + sp.Rational(1, 10 ** 20)), {x: real(600, 700)}, 30, 0).status == "disagree"


def test_argument_errors_propagate_through_an_evaluator():
    E = sp.Function("E", evaluator=mpmath.exp)
    v = evaluate_value(E(1000 * x / 3), {x: 3.0}, DPS)  # the rounded argument 1000 costs three digits
    assert DPS - 5 < v.digits < DPS


def test_functions_without_a_hook_have_no_value():
    with pytest.raises(Unevaluable, match="no numeric value for f"):
        evaluate(sp.Function("f")(x), {x: 1.0}, DPS)
    with pytest.raises(Unevaluable, match="no numeric value for g"):
        evaluate_value(sp.Function("g")(x) + 1, {x: 1.0}, DPS)
    bad = sp.Function("B", evaluator=lambda t: "not a number")
    with pytest.raises(Unevaluable, match="not a number"):
        evaluate(bad(x), {x: 1.0}, DPS)
    assert search_identity(sp.Function("f")(x), x, {x: real(0, 1)}, 30, 0).status == "unknown"
