"""Automatic mutants of claims (derivations.engine.mutants): the operators, equivalent-mutant
detection, the score of small catalog derivations, and `verify --mutants`."""
import json
import os

import pytest
import sympy as sp
from click.testing import CliRunner

from derivations import load
from derivations.engine import Derivation, Identity, Inequality, claim
from derivations.engine.mutants import expression_mutants, mutate_claim, mutate_many, statement_mutants
from numeric.sampling import positive, real

x, y = sp.symbols("x y", real=True)
p, q = sp.symbols("p q", positive=True)
CLI_SAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cli")


def test_each_operator_corrupts_one_place():
    e = x ** 2 + 3 * y
    found = {op: {sp.sstr(m.make()) for m in ms} for op, ms in expression_mutants(e, {x, y}).items()}
    assert found["sign"] == {"-x**2 + 3*y", "x**2 - 3*y"}
    assert found["double"] == {"2*x**2 + 3*y", "x**2 + 6*y"}
    assert found["exponent"] == {"x**3 + 3*y"}
    assert found["swap"] == {"3*x + y**2"}
    assert found["drop"] == {"3*y", "x**2"}
    assert found["offbyone"] == {"x**3 + 3*y", "x**2 + 4*y"}


def test_digit_transposition_of_an_exact_value():
    found = [m.make() for m in expression_mutants(x * sp.Rational(200, 347), {x})["digit"]]
    assert found == [sp.Rational(200, 437) * x]


def test_swap_only_between_symbols_of_the_same_kind():
    n = sp.Symbol("n", integer=True)
    assert expression_mutants(x * n, {x, n})["swap"] == []


def test_mutants_are_capped_deterministic_and_cover_the_operators():
    stmt = Identity((x + y) ** 2, x ** 2 + 2 * x * y + y ** 2, {x: real(-1, 1), y: real(-1, 1)})
    a = statement_mutants("c", stmt, cap=5, seed=0)
    assert len(a) == 5 and len({m.operator for m in a}) == 5
    assert [m.description for m in a] == [m.description for m in statement_mutants("c", stmt, cap=5, seed=0)]
    assert [m.description for m in a] != [m.description for m in statement_mutants("c", stmt, cap=5, seed=1)]


def test_matrix_entries_are_mutated_one_at_a_time():
    m = sp.Matrix([[x, 0], [0, y]])
    stmt = Identity(m, m.T, {x: real(-1, 1), y: real(-1, 1)})
    for mu in statement_mutants("m", stmt, cap=5, seed=0):
        changed = [(i, j) for i in range(2) for j in range(2)
                   if mu.statement.lhs[i, j] != m[i, j] or mu.statement.rhs[i, j] != m[i, j]]
        assert len(changed) == 1 and changed[0] in ((0, 0), (1, 1))


@claim("square", r"(x+y)^2 = x^2+2xy+y^2")
def square():
    """The binomial square."""
    return Identity((x + y) ** 2, x ** 2 + 2 * x * y + y ** 2, {x: real(-2, 2), y: real(-2, 2)})


@claim("am-gm", r"\sqrt{pq}\le (p+q)/2")
def am_gm():
    """AM-GM, certified."""
    return Inequality(sp.sqrt(p * q), "<=", (p + q) / 2, {p: positive(4), q: positive(4)},
                      certificate=(sp.sqrt(p) - sp.sqrt(q)) ** 2 / 2)


@claim("arcsine", r"\arcsin x + \arccos x = \pi/2", symbolic=False)
def arcsine():
    """Checked only (symbolic phase off): its mutants are judged on the same numeric path."""
    return Identity(sp.asin(x) + sp.acos(x), sp.pi / 2, {x: real(-1, 1)})


@claim("unknowable", "f(x) = f(x^2) (never evaluable)")
def unknowable():
    """A statement the engine cannot decide: its mutants could tell nothing."""
    return Identity(sp.Function("f")(x), sp.Function("f")(x ** 2), {x: real(-1, 1)})


def test_every_mutant_of_an_identity_is_killed_or_equivalent():
    results, why = mutate_claim(square, digits=30, timeout=5)
    assert why == "" and len(results) == 5
    for r in results:
        assert r.status == "equivalent" if r.operator == "swap" else r.status == "killed", r
    swap = next(r for r in results if r.operator == "swap")
    assert swap.detail == "structurally the claim itself"  # (y+x)^2 = y^2+2yx+x^2 is the same expression


def test_a_mutant_inequality_that_still_holds_is_excluded_not_a_survivor():
    results, _ = mutate_claim(am_gm, digits=30, timeout=5, cap=10)
    assert any(r.status == "killed" for r in results)
    for r in results:
        assert r.status != "survived" or r.verdict == "checked", r  # never an unexplained unknown
        if r.status == "equivalent":  # proved, or implied by the claim (margin grows by p/2 >= 0, ...)
            assert r.verdict in ("proved", "certified", "identical") or \
                r.detail.startswith("still true: implied by the claim")


T = sp.Symbol("T", positive=True)


@claim("bound", r"1/T \le 1")
def reciprocal_bound():
    return Inequality(1 / T, "<=", 1, {T: real(1, 10)})


def test_a_mutant_implied_on_the_claims_domain_is_excluded_and_one_that_is_not_is_killed():
    """1/T <= 1 on [1, 10] with 1/T made 1/T^2: the margin grows by 1/T - 1/T^2 = (T - 1)/T^2,
    nonnegative on the domain (an interval enclosure of the factored form), not manifestly; on
    [1/2, 10] the same mutant is false (4 > 1 at T = 1/2) and is refuted."""
    from derivations.engine.mutants import Mutant, _judge, _implied
    stmt = reciprocal_bound.build()
    mutant = Mutant("bound", "exponent", "lhs: 1/T -> exponent + 1", Inequality(1 / T ** 2, "<=", 1, stmt.variables),
                    original=stmt)
    assert _implied(mutant, 5)
    r = _judge(reciprocal_bound, mutant, 30, 0, 5)
    assert r.status == "equivalent" and r.detail.startswith("still true: implied by the claim"), r
    wider = {T: real(0.5, 10)}
    outside = Mutant("bound", "exponent", "lhs: 1/T -> exponent + 1", Inequality(1 / T ** 2, "<=", 1, wider),
                     original=Inequality(1 / T, "<=", 1, wider))
    assert not _implied(outside, 5)


def test_mutants_of_a_checked_claim_go_through_its_own_path():
    results, why = mutate_claim(arcsine, digits=30, timeout=5)
    assert why == "" and results
    assert all(r.status == "killed" for r in results if r.status != "equivalent"), results


def test_claims_the_engine_cannot_decide_are_not_mutable():
    assert mutate_claim(unknowable, digits=30, timeout=5) == ([], "the claim itself is unknown")
    d = Derivation("toy", "Toy", "https://example.org", "2024-01-01", "", claims=(square, unknowable))
    (rep,) = mutate_many([d], digits=30, timeout=5)
    assert rep.not_mutable == [("unknowable", "the claim itself is unknown")]
    assert rep.count("survived") == 0 and rep.count("killed") >= 3 and rep.score == 1.0
    assert rep.lines()[0].startswith("mutants of toy: ") and "(100.0%)" in rep.lines()[0]


@pytest.mark.slow
def test_small_catalog_derivations_kill_every_non_equivalent_mutant():
    reps = mutate_many([load("attnrnn"), load("fsq")], jobs=2)
    for rep in reps:
        assert rep.count("killed") >= 15 and rep.count("survived") == 0, rep.lines()
        assert rep.score == 1.0


def test_verify_with_mutants_prints_the_score(json_contract):
    from cli import main
    sample = os.path.join(CLI_SAMPLES, "sample_derivation.py")
    res = CliRunner().invoke(main, ["verify", sample, "--mutants", "--json", "--digits", "20", "--jobs", "2"])
    assert res.exit_code == 0, res.output
    mj = json_contract(json.loads(res.output))["derivations"][0]["mutants"]
    assert mj["killed"] + mj["survived"] + mj["equivalent"] == len(mj["mutants"]) > 0
    assert mj["score"] == 1.0 and mj["slug"] == "sample"
