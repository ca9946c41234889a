"""sid2: FGM = SiD with lambda = 1/2 (pointwise), gradient identities for lambda = 1/2 and 1 in the toy."""
import mpmath
import pytest
import sympy as sp

from derivations.engine.verify import verify_derivation
from derivations.sid1 import REF
from derivations.sid2 import DERIVATION, FROZEN, reference_gradients, sg_mean

CARD = {"true": ("-0.02702195533871270407205855", "-0.4067560893225745918558829"),
        "naive_L1sg": ("0.05188215425032839181835241", "0.1992274723212610245824733"),
        "L2sg": ("0.01243009945580784387314693", "-0.1037643085006567836367048")}


@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def test_all_claims_proved(result):
    assert result.verdict == "verified"
    assert {c.verdict for c in result.claims} == {"proved"}


def test_controls_refuted(result):
    assert all(c.verdict == "refuted" and c.counterexample for c in result.negative_controls)


def test_reference_gradients():
    ref = reference_gradients()
    for name, want in CARD.items():
        assert [mpmath.nstr(c, 25) for c in ref[name]] == list(want), name
    # the naive frozen gradient has the wrong sign in both components
    assert all(a * b < 0 for a, b in zip(ref["true"], ref["naive_L1sg"]))
    # lambda = 1/2 recovers the true gradient: 2 grad L2sg - grad L1sg
    with mpmath.workdps(30):
        for k in range(2):
            assert abs(2 * ref["L2sg"][k] - ref["naive_L1sg"][k] - ref["true"][k]) < mpmath.mpf(10) ** -25


def test_fgm_value_equals_L1():
    L4 = sg_mean("L4").subs(FROZEN).subs(REF)
    assert str(sp.N(L4, 25)) == "0.1624019515856633514730719"
