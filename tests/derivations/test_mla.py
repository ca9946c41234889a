"""MLA (catalog cards mla-C1..C3): every verdict, the controls' counterexamples, the two head-size errata, the cache sizes
and the numerics of a whole MLA layer."""
import mpmath
import pytest
from expected import assert_verdicts, by_id

from derivations import mla

SLUG = "mla"
VERDICTS = {"C1.cache-sizes": "proved", "C2.absorption": "proved", "C2.full-layer": "checked",
            "C3.relative-position": "proved", "C3.no-absorption": "proved", "C3.random-instance": "checked"}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.head-dim", "E2.head-count"))


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert "16384" in ctl["N1.mha-only-k"].counterexample["text"]              # 32768 vs 16384
    assert "-73152" in ctl["N1.mla-per-head"].counterexample["text"]           # 576 - 73728
    assert ctl["N3.naive-absorption"].counterexample["rhs"].startswith("0.540302305868")   # cos 1
    assert ctl["N2.drop-wv"].counterexample["lhs"] != ctl["N2.drop-wv"].counterexample["rhs"]


def test_errata_differences(verified):
    e = by_id(verified.errata)
    assert "1/2" in e["E1.head-dim"].evidence and "1/5" in e["E2.head-count"].evidence


def test_cache_sizes():
    sizes = {k: int(v.subs(mla.SUBS)) for k, v in mla.CACHE.items()}
    assert sizes == {"MHA": 32768, "MQA": 256, "GQA": 2048, "MLA": 576}
    assert sizes["MHA"] / sizes["MLA"] == pytest.approx(56.888, abs=1e-3)


def test_forms_agree_and_dropping_wv_does_not():
    with mpmath.workdps(30):
        a, b, c = mla.attention("mha"), mla.attention("mqa"), mla.attention("mqa", drop_wv=True)
        assert max(abs(a[i, j] - b[i, j]) for i in range(5) for j in range(16)) < 1e-25
        assert max(abs(a[i, j] - c[i, j]) for i in range(5) for j in range(16)) > 1


def test_rope_blocks_and_the_random_instance():
    with mpmath.workdps(30):
        R = mla.rope(7, 4) * mla.rope(3, 4).T - mla.rope(4, 4)
        assert max(abs(R[i, j]) for i in range(4) for j in range(4)) < 1e-25
        diff, logit_74, logit_30 = mla.rope_numbers()
        assert diff == pytest.approx(3.5225526209921725, rel=1e-14) and abs(logit_74 - logit_30) < 1e-25
