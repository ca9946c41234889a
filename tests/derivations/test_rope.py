"""RoPE (posts 8265, 8397, 10040): every claim's verdict, every control refuted with its
counterexample, the erratum, and the spec's reference values."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

from derivations import rope
from derivations.engine.symbolic import prove_zero
from derivations.engine.verify import verify_derivation
from numeric import rope as nr

CHECKED = {"C8", "C10a", "C10b", "C11", "C12b"}


@pytest.fixture(scope="module")
def res():
    return verify_derivation(rope.DERIVATION, jobs=2)


def test_every_claim_verdict(res):
    assert res.verdict == "verified"
    got = {c.id: c.verdict for c in res.claims}
    assert got == {c.id: ("checked" if c.id in CHECKED else "proved") for c in rope.DERIVATION.claims}
    assert len(got) == 26


def test_block_argument_and_methods(res):
    by = {c.id: c for c in res.claims}
    assert "block product rule exact for even d <= 128" in by["C3"].method
    assert by["C3"].method.startswith("2x2 block (trig_expand)")
    assert "pythagorean" in by["C4"].method and "pythagorean" in by["C6"].method
    assert "M=1,2,3,4,5,6,7,8,64" in by["C7"].method
    assert "Groebner" in by["C11b"].method
    assert "relative residual" in by["C3"].detail and "both layouts" in by["C3"].detail
    assert "no violation" in by["C8"].detail


def test_every_control_refuted_with_counterexample(res):
    ctl = {c.id: c for c in res.negative_controls}
    assert set(ctl) == {"N1", "N2a", "N2b", "N3", "N4", "N5", "N7", "N8", "N9", "N10", "C12x"}
    assert all(c.verdict == "refuted" and c.counterexample for c in ctl.values())
    text = {k: c.counterexample.get("text", "") for k, c in ctl.items()}
    assert "by 1.393" in text["N3"] and "m=17, n=5" in text["N3"]
    assert ctl["N4"].counterexample["lhs"] == "0.0" and ctl["N4"].counterexample["rhs"].startswith("-0.90929742682568")
    assert "= 0.5936" in text["N5"]
    assert "R_{1,0} = R_{0,1}" in text["N7"]
    assert "124.1873676" in text["N8"] and "123.6673266" in text["N8"]
    assert "needs K=8" in text["N9"] and "needs K=9" in text["N9"]
    assert "0.8785" in text["C12x"]
    assert "9/100" in text["N2a"] and "-99/100" in text["N2b"]
    n10 = ctl["N10"].counterexample
    assert float(n10["lhs"]) == float(n10["at"]["w_img"]) and float(n10["rhs"]) == 1.0
    n1 = ctl["N1"].counterexample
    assert abs(float(n1["lhs"]) - float(n1["rhs"])) > 0.1


def test_erratum_monotone_decay(res):
    (e,) = res.errata
    assert e["ok"] and e["id"] == "E1.monotone-decay"
    assert e["post_says_result"]["verdict"] == "refuted" and e["correct_result"]["verdict"] == "checked"
    assert "4.882792191 > F_128(1000) = 4.470761034" in e["evidence"]
    assert "115 of 256 unit steps" in e["correct_result"]["detail"]


# --- reference values from the spec -------------------------------------------------------------

def test_reference_rotations_d4():
    with mpmath.workdps(30):
        q, th = [mpmath.mpf(v) for v in (1, 2, 3, 4)], [mpmath.mpf(1), mpmath.mpf("0.01")]
        inter = [float(v) for v in nr.mp_rotate(q, 1, th)]
        half = [float(v) for v in nr.mp_rotate(q, 1, th, "half")]
    assert inter == pytest.approx([-1.14263966, 1.9220756, 2.95985067, 4.0297995], abs=5e-9)
    assert half == pytest.approx([-1.98411065, 1.95990067, 2.4623779, 4.01979967], abs=5e-9)
    assert nr.np_thetas(128)[-1] == pytest.approx(1.1547819846894582e-4, rel=1e-15)
    assert nr.np_thetas(4).tolist() == pytest.approx([1.0, 0.01], rel=1e-15)


F128 = {0: 32.5, 1: 31.53816614, 2: 28.95598847, 5: 20.84535778, 10: 17.95413714, 20: 15.24243011,
        50: 12.62945249, 100: 10.22732995, 128: 9.272902725, 256: 6.543097323, 512: 5.311366188,
        1000: 4.470761034, 4096: 4.882792191}


def test_indicator_table_and_non_monotonicity():
    with mpmath.workdps(30):
        for delta, want in F128.items():
            assert float(nr.mp_indicator(128, delta)) == pytest.approx(want, abs=1e-8)
    F = nr.np_indicator(128, np.arange(257))
    up = np.flatnonzero(np.diff(F) > 0)
    assert len(up) == 115 and up[0] == 18
    assert F.min() == pytest.approx(6.414997, abs=1e-6) and int(F.argmin()) == 236
    # stronger than the spec's pair: a resonance near 2009 exceeds the value at 100
    assert nr.np_indicator(128, [2009])[0] > nr.np_indicator(128, [100])[0]
    assert nr.np_indicator(128, [-777.5])[0] == pytest.approx(nr.np_indicator(128, [777.5])[0], rel=1e-13)


def test_layouts_and_mixing_float64():
    s = nr.np_layout_scores(64, 0, 17, 5, 3)
    for layout in ("interleaved", "half"):
        a, b = s[layout]
        assert abs(a - b) < 1e-12 * max(1, abs(a))
    a, b = s["mixed"]
    assert b - a == pytest.approx(1.393, abs=1e-3)
    q = np.random.default_rng(1).standard_normal(128)
    th = nr.np_thetas(128)
    assert not np.allclose(nr.np_rotate(q, 7, th), nr.np_rotate(q, 7, th, "half"))


def test_decay_bound_trials():
    score, mid, bound = nr.np_decay_trials(128, 2000, 0)
    assert np.all(score <= mid * (1 + 1e-12)) and np.all(mid <= bound * (1 + 1e-12))


def test_rope_tie_reference_cases():
    sol = nr.rope_tie_solutions(5, 3, 2)["integer"]
    assert sol == (4, 3, 17)
    assert nr.rope_tie_positions(5, 3, 2, 4, 3) == [(9, 8), (9, 11), (9, 14), (13, 8), (13, 11), (13, 14)]
    assert nr.rope_tie_solutions(10, 4, 4)["integer"][2] == 35
    assert nr.rope_tie_solutions(0, 7, 3)["integer"] == (8, 4, 32)
    s, t, K = nr.rope_tie_solutions(0, 3, 2)["wh_tokens"]
    assert (s, t, K) == (Fraction(7, 3), Fraction(7, 4), 7)
    s, t, K = nr.rope_tie_solutions(0, 16, 9)["wh_tokens"]
    assert (s, t, K) == (Fraction(29, 2), Fraction(145, 17), 145)
    # unscaled: last patch (7, 8); no K gives both gaps (1, 1)
    assert nr.rope_tie_positions(5, 3, 2, 1, 1)[-1] == (7, 8)
    assert all(nr.rope_tie_gaps(5, 3, 2, 1, 1, K)[1] != (1, 1) for K in range(0, 30))


def test_commutator_searches():
    b, c, d, e, f = rope.bb, rope.cc, rope.dd, rope.ee, rope.ff
    eqs = rope._commutator(sp.Matrix(nr.skew3(1, 0, 0)), sp.Matrix(nr.skew3(0, b, c)))
    assert sp.solve(eqs, [b, c], dict=True) == [{b: 0, c: 0}]
    eqs = rope._commutator(sp.Matrix(nr.skew4(1, b, c, 0, 0, 0)), sp.Matrix(nr.skew4(0, 0, 0, d, e, f)))
    assert sp.solve(eqs, [d, e], dict=True) == [{d: c * f, e: -b * f}]


def test_quaternion_and_noncommuting_numbers():
    with mpmath.workdps(30):
        i, j = (mpmath.matrix(nr.quaternion_units()[s]) for s in "ij")
        t = mpmath.mpf("0.7")
        gap = nr.frobenius(mpmath.expm(t * i) * mpmath.expm(t * j) - mpmath.expm(t * (i + j)))
        assert float(gap) == pytest.approx(0.878, abs=1e-3)
        lhs, rhs = nr.mp_relative_defect(nr.skew3(1, 0, 0), nr.skew3(0, 0, 1), (0.3, 0.7), (1.1, -0.4))
        assert float(nr.frobenius(lhs - rhs)) == pytest.approx(0.5936, abs=1e-4)


def test_block_argument_detects_errors():
    assert all(rope.block_rule(d) for d in (2, 4, 64))
    wrong = rope._prove_block_property(lambda t: (rope.R(rope.m * t).T * rope.R(rope.n * t), rope.R((rope.m - rope.n) * t)))
    assert wrong.status != "proved"            # the sign slip N1 at the block level
    x = sp.Symbol("x", real=True)
    assert rope.pythagorean(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1) == 0
    assert rope.pythagorean(sp.sin(x) ** 2 - sp.cos(x) ** 2) != 0
    assert prove_zero(rope.R(x).T * rope.R(x) - sp.eye(2), rope.TRIG).status == "proved"


def test_code_forms_exact_float64():
    rng = np.random.default_rng(3)
    th = nr.np_thetas(128)
    q, pos = rng.standard_normal(128), 12345.5
    for layout in ("interleaved", "half"):
        assert np.array_equal(nr.np_rope_code(q, pos, th, layout), nr.np_rotate(q, pos, th, layout))
