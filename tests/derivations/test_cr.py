"""CR sampling (catalog cards cr-C1..C3): verdicts, controls and the card's reference values."""
import numpy as np
import pytest
import sympy as sp

from derivations import cr
from derivations.engine.verify import verify_derivation
from numeric import cr as num


@pytest.fixture(scope="module")
def res():
    return verify_derivation(cr.DERIVATION)


def test_verified_all_proved(res):
    assert res.verdict == "verified"
    assert {c.id: c.verdict for c in res.claims} == dict.fromkeys(
        ["C1.unbiased", "C1.variance", "C2.optimal-p", "C2.reference", "C3.pairing", "C3.hadamard-diagonal"], "proved")


def test_controls_refuted(res):
    ctl = {c.id: c for c in res.negative_controls}
    assert all(c.verdict == "refuted" for c in ctl.values()) and len(ctl) == 4
    assert "-68" in ctl["C1.missing-1/r"].counterexample["text"]              # 68 vs 136
    assert "-68/3" in ctl["C1.without-replacement"].counterexample["text"]    # 136/3 vs 68


def test_reference_numbers_exact():
    xy2 = cr._frob2(cr.XY)
    assert xy2 == 144
    assert cr.VAR_SUM(cr.UNIFORM) - xy2 == 136
    opt = sum(cr.A_NORM) ** 2 - xy2
    assert float(opt) == pytest.approx(108.03376133013858, rel=1e-15)
    assert float(opt / 2) == pytest.approx(54.01688066506929, rel=1e-15)
    assert cr.expected(cr.estimator_error(cr.UNIFORM), cr.UNIFORM, 2) == 68
    assert list(cr.LAMBDA) == [sp.Rational(34, 35), sp.Rational(53, 35)]
    assert cr._err(cr.LAMBDA) == sp.Rational(262, 35) and cr._err([1, 1]) == 15


def test_monte_carlo_and_search():
    mean, se = num.mc_error([float(p) for p in cr.P_OPT])
    assert abs(mean - 54.01688066506929) < 4 * se
    assert num.dirichlet_search(draws=2000) >= 108.03376133013858
    lam, err = num.diagonal_lstsq()
    assert np.allclose(lam, [34 / 35, 53 / 35]) and err == pytest.approx(262 / 35)
