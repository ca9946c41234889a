"""Attention as an RNN (catalog card attnrnn-C1): every verdict, the no-rescale control, the oracle, reference values and
the three forms on the card's data."""
import mpmath
import pytest
from expected import assert_verdicts, by_id

from derivations import attnrnn

SLUG = "attnrnn"
VERDICTS = {"C1.recurrence": "proved", "C1.online-softmax": "proved", "C1.three-forms": "checked",
            "C1.step-count": "proved", "C1.reference": "certified"}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS)


def test_no_rescale_is_refuted_numerically(verified):
    (ctl,) = verified.negative_controls
    worst = ctl.counterexample["worst"]                 # o_4, first coordinate: 0.2493 without the rescale vs 1.1825
    assert ctl.id == "N1.no-rescale" and worst["lhs"].startswith("0.24933") and worst["rhs"].startswith("1.18252")


def test_online_softmax_oracle_agrees(verified):
    (oracle,) = by_id(verified.claims)["C1.recurrence"].oracles
    assert oracle["status"] == "agree" and "running maximum" in oracle["name"]


def test_reference_values():
    assert [float(x) for x in attnrnn._reference_outputs()] == pytest.approx(
        [1, 1.731058578630004879251159, 2.364175327148743664787478], rel=1e-15)
    assert 2 * 80 * 8192 == 1310720


def test_three_forms_agree_to_50_digits_and_the_forgetful_one_does_not():
    q, k, v = attnrnn._data()
    with mpmath.workdps(60):
        d, o, r, bad = (attnrnn.attention_outputs(q, k, v, f) for f in attnrnn.FORMS)
        assert max(abs(a - b) for a, b in zip(d + d, o + r)) < mpmath.mpf(10) ** -51
        assert max(abs(a - b) for a, b in zip(d, bad)) > 0.5


def test_running_max_softmax_is_shift_invariant_and_exact():
    """The running maximum only rescales: adding a constant to all scores changes nothing, and the value is the plain
    softmax average."""
    s = [mpmath.mpf(x) for x in ("0.3", "2.5", "-1", "4")]
    v = [[mpmath.mpf(x)] for x in (1, 2, 3, 4)]
    with mpmath.workdps(40):
        direct = mpmath.fsum(mpmath.exp(a) * b[0] for a, b in zip(s, v)) / mpmath.fsum(mpmath.exp(a) for a in s)
        assert abs(attnrnn.running_max_softmax(s, v)[0] - direct) < mpmath.mpf(10) ** -38
        assert abs(attnrnn.running_max_softmax([a + 100 for a in s], v)[0] - direct) < mpmath.mpf(10) ** -38
        assert abs(attnrnn.running_max_softmax(s, v, rescale=False)[0] - direct) > 0.1
