"""Symbolic strategies (derivations.engine.symbolic): one test per strategy where that strategy
is the first to reach 0, exact refutations, and sign certificates."""
import pytest
import sympy as sp

from derivations.engine.symbolic import (STRATEGIES, SymbolicOutcome, exactly_nonzero, expand_, prove_nonnegative,
                                         prove_zero)

x, y = sp.symbols("x y", real=True)
p, q = sp.symbols("p q", positive=True)


@pytest.mark.parametrize("method, lhs, rhs", [
    ("identical", 2 * x, x + x),
    ("expand", (x + 1) ** 2, x ** 2 + 2 * x + 1),
    ("cancel", (x ** 2 - 1) / (x - 1), x + 1),
    ("radicals", sp.sqrt(3 + 2 * sp.sqrt(2)), 1 + sp.sqrt(2)),
    ("trig_expand", sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x)),
    ("trig_simplify", sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1)),
    ("exp_rewrite", sp.cosh(x), (sp.exp(x) + sp.exp(-x)) / 2),
    ("exp_rewrite", sp.sin(x), (sp.exp(sp.I * x) - sp.exp(-sp.I * x)) / (2 * sp.I)),
    ("do_it", sp.Integral(2 * x, (x, 0, y)), y ** 2),
    ("do_it", sp.Derivative(sp.sin(x), x), sp.cos(x)),
    ("sign_abs", sp.Max(x, 0), (x + sp.Abs(x)) / 2),
    ("sign_abs", sp.Max(x, y) + sp.Min(x, y), x + y),
    ("erf_form", sp.erf(x) + sp.erfc(x), sp.Integer(1)),
    ("erf_form", (1 + sp.erf(x / sp.sqrt(2))) / 2, 1 - sp.erfc(x / sp.sqrt(2)) / 2),
    ("simplify", sp.gamma(x + 1), x * sp.gamma(x)),
])
def test_each_strategy_is_the_one_that_proves(method, lhs, rhs):
    out = prove_zero(lhs - rhs)
    assert (out.status, out.method) == ("proved", method)


def test_every_strategy_has_a_test_above():
    names = {s.__name__.rstrip("_") for s in STRATEGIES}
    assert names == {"identical", "expand", "cancel", "radicals", "trig_expand", "trig_simplify",
                     "exp_rewrite", "do_it", "sign_abs", "erf_form", "simplify"}


def test_log_of_product_needs_positive_symbols():
    assert prove_zero(sp.log(p * q) - sp.log(p) - sp.log(q)).status == "proved"
    # for complex symbols it is false, and no strategy may "prove" it
    a, b = sp.symbols("a b")
    assert prove_zero(sp.log(a * b) - sp.log(a) - sp.log(b)).status == "failed"


def test_matrix_identity_proved_entrywise():
    rot = sp.Matrix([[sp.cos(x), -sp.sin(x)], [sp.sin(x), sp.cos(x)]])
    out = prove_zero(rot * rot.T - sp.eye(2))
    assert (out.status, out.method) == ("proved", "trig_simplify")


def test_rational_constant_difference_is_an_exact_refutation():
    out = prove_zero((x + 1) ** 2 - (x ** 2 + 2 * x + 2))
    assert out.status == "refuted" and out.method == "expand"
    assert out.counterexample == {"text": "difference = -1 (exact, by expand)"}


def test_algebraic_constant_difference_is_an_exact_refutation():
    # sqrt(5 + 2 sqrt 6) = sqrt 2 + sqrt 3, so the difference is exactly -1 (by its minimal polynomial)
    out = prove_zero(sp.sqrt(2) + sp.sqrt(3) - (sp.sqrt(5 + 2 * sp.sqrt(6)) + 1))
    assert out.status == "refuted" and "(exact, by identical)" in out.counterexample["text"]


def test_matrix_refutation_names_the_entry():
    lhs = sp.Matrix([[x + 1, 1], [2, (x + 1) ** 2]])
    rhs = sp.Matrix([[x + 1, 1], [2, x ** 2 + 2 * x + 3]])
    out = prove_zero(lhs - rhs)
    assert out.status == "refuted"
    assert out.counterexample["text"] == "entry (1,1): difference = -2 (exact, by expand)"


def test_transcendental_constant_is_not_refuted_symbolically():
    # pi - 22/7 is nonzero, but deciding that needs numbers: the symbolic phase must only fail
    out = prove_zero(sp.pi - sp.Rational(22, 7))
    assert out.status == "failed" and "no strategy" in out.detail


@pytest.mark.parametrize("value, nonzero", [
    (sp.Rational(3, 7), True),
    (sp.Integer(0), False),
    (sp.sqrt(2) - sp.Rational(141, 100), True),
    (sp.sqrt(2) * sp.sqrt(3) - sp.sqrt(6), False),        # is 0
    (sp.sqrt(3 + 2 * sp.sqrt(2)) - 1 - sp.sqrt(2), False),  # is 0, not visibly
    (sp.pi - sp.Rational(22, 7), False),                  # transcendental: no exact decision
    (sp.exp(-200), False),
    (1 + sp.I, False),
    (x, False),
])
def test_exactly_nonzero(value, nonzero):
    assert exactly_nonzero(value) is nonzero


def test_transcendental_power_does_not_crash_exactly_nonzero():
    # minimal_polynomial raises NotAlgebraic here; the number is left to the numeric phase.
    assert exactly_nonzero(2 ** sp.sqrt(2) - 3) is False


def test_a_strategy_that_raises_is_skipped():
    def boom(d):
        raise TypeError("not for this expression")
    out = prove_zero((x + 1) ** 2 - x ** 2 - 2 * x - 1, strategies=(boom, expand_))
    assert (out.status, out.method) == ("proved", "expand")


# -- sign certificates (Inequality) ---------------------------------------------------------

def test_am_gm_by_certificate():
    margin = (p + q) / 2 - sp.sqrt(p * q)
    out = prove_nonnegative(margin, certificate=(sp.sqrt(p) - sp.sqrt(q)) ** 2 / 2)
    assert out.status == "proved" and out.method.startswith("certificate")


def test_wrong_certificate_fails():
    margin = (p + q) / 2 - sp.sqrt(p * q)
    out = prove_nonnegative(margin, certificate=(sp.sqrt(p) - sp.sqrt(q)) ** 2)  # factor 2 off
    assert out == SymbolicOutcome("failed", "", detail="certificate does not equal the difference")


def test_certificate_must_be_manifestly_nonnegative():
    out = prove_nonnegative(x ** 2 - 1, certificate=x ** 2 - 1)
    assert out.status == "failed" and "not manifestly" in out.detail


def test_sign_without_certificate():
    assert prove_nonnegative(x ** 2 + y ** 2).method == "sign"
    assert prove_nonnegative(x ** 2 - 2 * x * y + y ** 2).method == "factor+sign"
    assert prove_nonnegative(x ** 3).status == "failed"


def test_strict_inequality_needs_a_positive_certificate():
    t = sp.Symbol("t", real=True)
    assert prove_nonnegative(t ** 2 + 1, (t ** 2 + 1), strict=True).status == "proved"
    assert prove_nonnegative(t ** 2, t ** 2, strict=True).status == "failed"  # zero at t = 0
    assert prove_nonnegative(t ** 2, t ** 2).status == "proved"


@pytest.mark.parametrize("strategy, diff, value", [
    ("sign_abs", sp.Max(x, 0) - (x - sp.Abs(x)) / 2, None),          # max(x,0) is not (x-|x|)/2
    ("erf_form", sp.erf(x) + sp.erfc(x) - 2, -1),                     # erf + erfc is 1, not 2
])
def test_sign_abs_and_erf_form_do_not_prove_false_variants(strategy, diff, value):
    from derivations.engine import symbolic
    out = prove_zero(diff, (getattr(symbolic, strategy),))
    assert out.status == ("refuted" if value is not None else "failed")
    if value is not None:
        assert out.value == value
