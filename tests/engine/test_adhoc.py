"""Ad-hoc claims from user text (the `check` command): options become assumptions and domains."""
import time

import pytest
import sympy as sp

from derivations.engine import adhoc
from derivations.engine.adhoc import adhoc_claim, parse_domain
from derivations.engine.claims import Identity
from derivations.engine.errors import DomainError, ExpressionError
from numeric.sampling import Domain


def build(*args, **kw):
    stmt = adhoc_claim(*args, **kw).build()
    assert isinstance(stmt, Identity)
    return stmt


def test_plain_symbols_are_complex():
    stmt = build("log(x*y)", "log(x) + log(y)")
    assert all(s.assumptions0.get("real") is None for s in stmt.lhs.free_symbols)
    assert stmt.variables == {}


def test_assume_becomes_a_sympy_assumption():
    stmt = build("log(x*y)", "log(x) + log(y)", assumptions=("x=positive", "y=positive"))
    assert all(s.is_positive for s in stmt.lhs.free_symbols)
    assert sp.expand_log(stmt.lhs - stmt.rhs) == 0  # the identity is now provable


def test_domain_implies_real_and_sign():
    stmt = build("sqrt(x**2)", "x", domains=("x=0.5..4",))
    (x,) = stmt.lhs.free_symbols | stmt.rhs.free_symbols
    assert x.is_positive and stmt.lhs == x  # sqrt(x**2) = x once x > 0
    assert stmt.variables[x] == Domain(0.5, 4.0, "real")
    (z,) = build("z", "z", domains=("z=-2..0",)).lhs.free_symbols
    assert z.is_nonpositive and z.is_real


def test_integer_domain_keeps_integers():
    stmt = build("n", "n", domains=("n=0.5..3.5",), assumptions=("n=integer",))
    (n,) = stmt.lhs.free_symbols
    assert stmt.variables[n] == Domain(1, 3, "integer")


@pytest.mark.parametrize("text, bounds", [("x=0..1", (0.0, 1.0)), ("x = -1e3 .. 2.5", (-1000.0, 2.5)),
                                          ("x=.5..1e0", (0.5, 1.0))])
def test_parse_domain(text, bounds):
    assert parse_domain(text) == ("x", *bounds)


@pytest.mark.parametrize("domains, assumptions, message", [
    (("x=1..0",), (), "empty interval"),
    (("x=1",), (), "expected NAME=a..b"),
    (("x=a..b",), (), "expected NAME=a..b"),
    (("x=nan..1",), (), "expected NAME=a..b"),
    (("x=1e400..1e401",), (), "finite"),
    (("x=0..1e7",), (), "at most"),
    (("x=0..1=2",), (), "NAME=VALUE"),
    (("__x=0..1",), (), "not a symbol name"),
    (("x=0..1", "x=0..2"), (), "given twice"),
    ((), ("x=prime",), "unknown assumption"),
    ((), ("x=positive", "x=negative"), "inconsistent assumptions for x"),
    (("x=-1..1",), ("x=positive",), "not positive"),
    (("x=1..2",), ("x=negative",), "inconsistent assumptions for x"),
    (("x=0.2..0.7",), ("x=integer",), "contains no integer"),
    (("y=0..1",), (), "do not occur: y"),
])
def test_bad_options(domains, assumptions, message):
    with pytest.raises(DomainError) as err:
        adhoc_claim("x", "x", domains, assumptions)
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("lhs, rhs, message", [
    ("Matrix([[1, 2]])", "Matrix([[1], [2]])", "matrix shapes differ"),
    ("Matrix([[1]])", "1", "one side is a matrix"),
    ("(1, 2)", "1", "tuple is not an expression"),
    ("x +", "x", "malformed"),
])
def test_bad_expressions(lhs, rhs, message):
    with pytest.raises(ExpressionError, match=message):
        adhoc_claim(lhs, rhs)


def _slow_parse(text, symbols=None):
    time.sleep(30)


def test_a_construction_that_runs_too_long_is_bad_input(monkeypatch):
    # Both sides are built in a budgeted child: whatever SymPy does while building, `check`
    # answers quickly with a one-line error.
    monkeypatch.setattr(adhoc, "PARSE_SECONDS", 0.5)
    monkeypatch.setattr("derivations.engine.parser.parse_expression", _slow_parse)
    t0 = time.perf_counter()
    with pytest.raises(ExpressionError, match="too costly to build"):
        adhoc_claim("x", "x")
    assert time.perf_counter() - t0 < 10
