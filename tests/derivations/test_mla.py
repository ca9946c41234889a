"""MLA (catalog cards mla-C1..C3): verdicts, controls, the two head-size errata and reference values."""
import mpmath
import pytest

from derivations import mla
from derivations.engine.verify import verify_derivation
from numeric import mla as num


@pytest.fixture(scope="module")
def res():
    return verify_derivation(mla.DERIVATION)


def test_verified_all_proved(res):
    assert res.verdict == "verified"
    assert [c.verdict for c in res.claims] == ["proved"] * 4


def test_controls(res):
    ctl = {c.id: c for c in res.negative_controls}
    assert all(c.verdict == "refuted" and c.counterexample for c in ctl.values()) and len(ctl) == 4
    assert "16384" in ctl["C1.mha-only-k"].counterexample["text"]
    assert "-73152" in ctl["C1.mla-per-head"].counterexample["text"]              # 576 - 73728
    assert ctl["C3.naive-absorption"].counterexample["rhs"].startswith("0.540302305868")


def test_errata(res):
    e = {x["id"]: x for x in res.errata}
    assert all(x["ok"] for x in e.values())
    assert "1/2" in e["E1.head-dim"]["evidence"] and "1/5" in e["E2.head-count"]["evidence"]


def test_reference_numbers():
    sizes = {k: int(v.subs(mla.SUBS)) for k, v in mla.CACHE.items()}
    assert sizes == {"MHA": 32768, "MQA": 256, "GQA": 2048, "MLA": 576}
    assert sizes["MHA"] / sizes["MLA"] == pytest.approx(56.888, abs=1e-3)


def test_forms_agree_and_dropping_wv_does_not():
    with mpmath.workdps(30):
        a, b, c = num.attention("mha"), num.attention("mqa"), num.attention("mqa", drop_wv=True)
        assert max(abs(a[i, j] - b[i, j]) for i in range(5) for j in range(16)) < 1e-25
        assert max(abs(a[i, j] - c[i, j]) for i in range(5) for j in range(16)) > 1


def test_rope_middle_matrices():
    with mpmath.workdps(30):
        diff, shift, naive = num.rope_middle_matrices()
        R = num.rope(7, 4) * num.rope(3, 4).T - num.rope(4, 4)
        assert max(abs(R[i, j]) for i in range(4) for j in range(4)) < 1e-25
    assert diff > 1 and abs(shift) < 1e-25 and naive > 1
