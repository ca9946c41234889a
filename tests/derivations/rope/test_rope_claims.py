"""RoPE (spec rope.md, posts 8265, 8397, 10040): the verdict of every claim, control and erratum, and the
counterexamples the controls and the erratum are refuted with."""
import mpmath
import pytest
from expected import assert_verdicts, by_id

SLUG = "rope"
VERDICTS = {
    "C1.rotation-algebra": "proved", "C1.exponential-form": "proved", "C2.complex-rotation": "proved",
    "C2.relative-score": "proved", "C3.relative-matrix": "proved", "C3.relative-score": "proved",
    "C4.orthogonality": "proved", "C5.elementwise": "proved", "C5p.rotate-half": "proved",
    "C5p.layouts-differ": "certified", "C6.translation-invariance": "proved", "C7.abel-summation": "proved",
    "C8.decay-bound": "checked", "C9.indicator-at-zero": "proved", "C9.indicator-even": "proved",
    "C10.skew-exponential": "checked", "C10.orthogonal-powers": "proved", "C11.commutator-3x3": "proved",
    "C11.commutator-4x4": "proved", "C11.relativity-2d": "checked", "C11.block-diagonal": "proved",
    "C12.quaternion-relations": "proved", "C12.quaternion-euler": "checked", "C13.equal-gaps": "proved",
    "C13.scalings": "proved", "C13.unscaled": "proved", "C14.degenerate-1d": "proved",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.monotone-decay",))
    assert {c.id for c in verified.negative_controls} == {
        "N1.sign-flip", "N2.exponent-halved", "N2.index-from-one", "N3.mixed-layouts", "N4.sum-of-positions",
        "N5.noncommuting-generators", "N7.sum-position-2d", "N8.same-frequencies", "N9.unscaled-tie",
        "N10.row-major", "N11.exponentials-add"}


def _matrix(text):
    """An mpmath matrix from the engine's ``[a, b; c, d]`` rendering."""
    return mpmath.matrix([[mpmath.mpf(v) for v in row.split(",")] for row in text.strip("[]").split(";")])


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    cx = {k: c.counterexample for k, c in ctl.items()}
    assert float(cx["N3.mixed-layouts"]["difference"]) == pytest.approx(1.39287, abs=1e-5)  # spec: 1.39
    assert "disjoint Arb enclosures" in cx["N3.mixed-layouts"]["text"]
    assert float(cx["N4.sum-of-positions"]["rhs"]) == pytest.approx(-0.9092974268256817)    # -sin 2
    assert float(cx["N8.same-frequencies"]["lhs"]) == pytest.approx(123.6673266465, abs=1e-9)
    assert float(cx["N8.same-frequencies"]["rhs"]) == pytest.approx(124.1873676115, abs=1e-9)
    assert cx["N7.sum-position-2d"]["text"] == "margin rhs - lhs = 0 (exact)"            # R_{1,0} = R_{0,1}
    assert cx["N9.unscaled-tie"]["text"] == "margin rhs - lhs = -1 (exact)"               # no K at all
    assert "9/100" in cx["N2.exponent-halved"]["text"] and "-99/100" in cx["N2.index-from-one"]["text"]
    assert float(cx["N10.row-major"]["lhs"]) == float(cx["N10.row-major"]["at"]["w_img"])
    assert float(cx["N10.row-major"]["rhs"]) == 1.0
    n1 = cx["N1.sign-flip"]
    assert abs(float(n1["lhs"]) - float(n1["rhs"])) > 0.1
    with mpmath.workdps(20):
        gap = _matrix(cx["N5.noncommuting-generators"]["lhs"]) - _matrix(cx["N5.noncommuting-generators"]["rhs"])
        assert float(mpmath.mnorm(gap, "f")) == pytest.approx(0.5936, abs=1e-4)              # spec N5
        gap = _matrix(cx["N11.exponentials-add"]["lhs"]) - _matrix(cx["N11.exponentials-add"]["rhs"])
        assert float(mpmath.mnorm(gap, "f")) == pytest.approx(0.8785, abs=1e-4)              # spec C12, theta = 0.7


def test_erratum_monotone_decay(verified):
    (e,) = verified.errata
    assert e.post.verdict == "refuted" and e.correction.verdict == "checked"
    cx = e.post.counterexample
    assert cx["part"] == "0 <= Delta1 <= Delta2" and float(cx["lhs"]) > float(cx["rhs"])
    # the stated values and their order are decided by Arb balls, the rest at two precisions
    assert "F(4096): ball arithmetic" in e.correction.method and "F(1000): ball arithmetic" in e.correction.method


def test_methods(verified):
    claims = by_id(verified.claims)
    assert claims["C9.indicator-even"].method.endswith("abs_conjugate")
    assert "pythagorean" in claims["C4.orthogonality"].method
    assert claims["C5p.layouts-differ"].method == "ball arithmetic"
    # the extremal samples of the decay bound make the chain an equality: smallest margin 0
    assert "smallest margin 0.0" in claims["C8.decay-bound"].detail
