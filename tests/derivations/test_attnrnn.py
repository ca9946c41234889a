"""Attention as an RNN (catalog card attnrnn-C1): verdicts, the no-rescale control, reference values."""
import mpmath
import pytest

from derivations import attnrnn
from derivations.engine.verify import verify_derivation
from numeric import attnrnn as num


@pytest.fixture(scope="module")
def res():
    return verify_derivation(attnrnn.DERIVATION)


def test_verified_all_proved(res):
    assert res.verdict == "verified"
    assert [c.verdict for c in res.claims] == ["proved"] * 4


def test_no_rescale_refuted(res):
    (ctl,) = res.negative_controls
    assert ctl.verdict == "refuted" and "without the rescale" in ctl.counterexample["text"]


def test_reference_values():
    assert [float(x) for x in attnrnn._reference_outputs()] == pytest.approx(
        [1, 1.731058578630004879251159, 2.364175327148743664787478], rel=1e-15)
    assert 2 * 80 * 8192 == 1310720


def test_three_forms_agree_to_50_digits():
    q, k, v = attnrnn._data()
    with mpmath.workdps(60):
        d, o, r = num.forms(q, k, v)
        assert max(abs(a - b) for a, b in zip(d + d, o + r)) < mpmath.mpf(10) ** -51
