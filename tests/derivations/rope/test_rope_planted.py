"""Planted errors in RoPE's stated mathematics are refuted through each claim's own verification path (issue 13:
R((n-m)theta) written R((m-n)theta) and a sign in the last pair of the elementwise form once left the derivation
verified).  Each test corrupts the statement a claim builds and runs the claim, with its strategies and
quantities, on the corruption."""
from dataclasses import replace

import pytest
import sympy as sp

from derivations.engine import All, Approximation, integers, stated
from derivations.engine.verify import verify_claim
from derivations.rope import claims as cl

m, n = cl.m, cl.n


def judge(claim, stmt):
    """The verdict the engine gives ``claim`` with its statement replaced by ``stmt``."""
    return verify_claim(replace(claim, build=lambda: stmt), digits=30, timeout=30)


def each_part(stmt, corrupt):
    """``stmt`` with ``corrupt(part)`` applied to every part of a conjunction."""
    return All(tuple(corrupt(p) for p in stmt.parts), stmt.labels)


def test_relative_property_with_the_positions_swapped_is_refuted():
    # R_{n-m} written R_{m-n}, in the matrix form and in the complex form of the score
    swap = {m: n, n: m}
    stmt = each_part(cl.relative_matrix.build(), lambda p: replace(p, rhs=p.rhs.xreplace(swap)))
    r = judge(cl.relative_matrix, stmt)
    assert r.verdict == "refuted" and r.counterexample["part"] == "d=2"
    stmt = cl.relative_score.build()
    parts = [replace(p, rhs=p.rhs.xreplace(swap)) if "complex" in lab else p for lab, p in stmt.labelled()]
    assert judge(cl.relative_score, All(tuple(parts), stmt.labels)).verdict == "refuted"


def test_a_sign_in_the_last_pair_of_the_elementwise_form_is_refuted():
    def flip_last(part):
        last = part.lhs[-1]
        sine = next(iter(last.atoms(sp.sin)))
        lhs = part.lhs.copy()
        lhs[-1] = last.xreplace({sine: -sine})
        return replace(part, lhs=lhs)
    stmt = cl.elementwise_form.build()
    for label, part in stmt.labelled():   # d = 2, 4, 8, 16: each dimension on its own
        assert judge(cl.elementwise_form, All((flip_last(part),), (label,))).verdict == "refuted", label
    stmt = cl.rotate_half_form.build()
    r = judge(cl.rotate_half_form, All((flip_last(stmt.parts[2]),), ("d=8: conjugate",)))
    assert r.verdict == "refuted"


def test_a_weaker_decay_bound_is_refuted_at_the_extremal_inputs():
    # one |S_j| dropped from the bound: random inputs sit far below it, the extremal q* attains it
    stmt = cl.decay_bound.build()
    part = stmt.parts[1]
    steps, total = part.rhs.as_two_terms()
    if not isinstance(total, sp.Add):
        steps, total = total, steps
    weaker = replace(part, rhs=steps * sp.Add(*total.args[:-1]))
    assert judge(cl.decay_bound, All((stmt.parts[0], weaker), stmt.labels)).verdict == "refuted"
    # the extremal inputs alone refute it (the claim itself holds there with equality)
    only_extremal = {**part.variables, cl.extremal: integers(1, 1)}
    r = judge(cl.decay_bound, All((replace(weaker, variables=only_extremal),), ("extremal only",)))
    assert r.verdict == "refuted" and float(r.counterexample["at"]["extremal"]) == 1
    holds = All((replace(part, variables=only_extremal),), ("extremal only",))
    assert judge(cl.decay_bound, holds).verdict == "checked"


def test_stated_values_with_transposed_digits_are_refuted():
    stmt = cl.corrected_bounded_oscillating.build()
    F = cl.Indicator
    for wrong in (Approximation(F(128, 4096), stated("4.8288")), Approximation(F(128, 1000), stated("4.4780"))):
        r = judge(cl.corrected_bounded_oscillating, All((wrong,), ("F",)))
        assert r.verdict == "refuted" and "disjoint Arb enclosures" in r.counterexample["text"]
    assert judge(cl.corrected_bounded_oscillating, All(stmt.parts[2:4], stmt.labels[2:4])).verdict == "certified"


def test_a_transposed_exponential_is_refuted():
    stmt = cl.skew_exponential.build()
    relative = stmt.parts[0]
    r = judge(cl.skew_exponential, All((replace(relative, lhs=relative.lhs.T),), ("relative",)))
    assert r.verdict == "refuted"


@pytest.mark.parametrize("wrong", [lambda L, w, h, s: L + (w + 1) * s, lambda L, w, h, s: L + h * s])
def test_rope_tie_with_a_wrong_next_position_is_refuted(wrong):
    stmt = cl.equal_gaps.build()
    rhs = stmt.rhs.copy()
    rhs[3] = wrong(cl.L_, cl.w_, cl.h_, cl.s_)
    r = judge(cl.equal_gaps, replace(stmt, rhs=rhs))
    assert r.verdict == "refuted"
