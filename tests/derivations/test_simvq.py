"""SimVQ (catalog card simvq-C1): verdicts, controls and the card's reference step."""
import pytest
import sympy as sp

from derivations import simvq
from derivations.engine.verify import verify_derivation


@pytest.fixture(scope="module")
def res():
    return verify_derivation(simvq.DERIVATION)


def test_verified_all_proved(res):
    assert res.verdict == "verified"
    assert [c.verdict for c in res.claims] == ["proved"] * 4


def test_controls(res):
    ctl = {c.id: c for c in res.negative_controls}
    assert all(c.verdict == "refuted" for c in ctl.values())
    assert "1/100" in ctl["C1.first-order-exact"].counterexample["text"]      # the eta^2 term
    assert "shapes" in ctl["C1.wrong-order"].counterexample["text"]


def test_reference_step():
    E_new = simvq._step(simvq.Q_REF, sp.eye(2), simvq.G_REF, simvq.ETA_REF)
    assert E_new == sp.Matrix([[sp.Rational(81, 100), -sp.Rational(19, 50)], [0, 1], [sp.Rational(9, 10), sp.Rational(4, 5)]])
    assert E_new[1, :] == simvq.Q_REF[1, :]            # q_1 is orthogonal to q_0: code 1 stays
    assert E_new[2, :] != simvq.Q_REF[2, :]            # code 2 is unused (g_2 = 0) but moves
