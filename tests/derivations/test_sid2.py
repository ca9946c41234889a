"""Score identity distillation II (catalog cards sid2-C1, sid2-C2): every verdict, the controls' counterexamples, and
the card's loss value and gradients at the reference point."""
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import sid2
from derivations.toolkit.sid_toy import REF

SLUG = "sid2"
VERDICTS = {
    "C1.pointwise": "proved", "C1.toy-value": "proved", "C2.fgm-gradient": "proved", "C2.split": "proved",
    "C2.lambda-one": "proved", "C2.reference": "certified",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    # lambda = 1 in the pointwise identity: off by l1 = |phi - psi|^2 >= 0, so lhs >= rhs
    cx = ctl["N1.minus-two"].counterexample
    assert float(cx["lhs"]) > float(cx["rhs"])
    assert all(c.counterexample for c in ctl.values())


def test_reference_gradients():
    g = sid2.card_gradients()
    for name, want in sid2.CARD.items():
        assert [str(sp.N(c, 25)) for c in g[name]] == list(want), name
    assert all(x * y < 0 for x, y in zip(g["true"], g["naive_L1sg"]))      # the naive gradient has the wrong signs
    # lambda = 1/2 recovers the true gradient exactly: 2 grad L2sg - grad L1sg
    assert all(sp.nsimplify(2 * q - n - t) == 0 for q, n, t in zip(g["L2sg"], g["naive_L1sg"], g["true"]))
    assert all(x.is_Rational for v in g.values() for x in v)


def test_fgm_value_equals_L1():
    L4 = sid2.sg_mean("L4").subs(sid2.FROZEN).subs(REF)
    assert str(sp.N(L4, 25)) == sid2.CARD_LOSS
    assert L4 == sid2.sg_mean("L1").subs(sid2.FROZEN).subs(REF)


def test_pointwise_identity_needs_the_half():
    l1, l2, l4 = sid2.integrands()
    assert sp.expand(l4 - (2 * l2 - l1)) == 0
    assert sp.expand(l4 - (2 * l2 - 2 * l1)) == sp.expand(l1)
