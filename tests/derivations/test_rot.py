"""Rotation trick (catalog cards rot-C1, rot-C2): verdicts, controls, the same-angle erratum, reference values."""
import mpmath
import numpy as np
import pytest

from derivations import rot
from derivations.engine.verify import verify_derivation
from numeric import rot as num


@pytest.fixture(scope="module")
def res():
    return verify_derivation(rot.DERIVATION)


def test_verified_all_proved(res):
    assert res.verdict == "verified"
    assert all(c.verdict == "proved" for c in res.claims) and len(res.claims) == 5


def test_controls(res):
    ctl = {c.id: c for c in res.negative_controls}
    assert all(c.verdict == "refuted" for c in ctl.values()) and len(ctl) == 4
    assert "-2" in ctl["C1.single-reflection"].counterexample["text"]         # det = -1, not 1
    assert "entry (1,1)" in ctl["C1.antipodal"].counterexample["text"]         # diag(-1,-1,1) vs diag(-1,1,-1)


def test_erratum_same_angle(res):
    (e,) = res.errata
    assert e["ok"] and e["post_says_result"]["verdict"] == "refuted" and e["correct_result"]["verdict"] == "proved"


def test_reference_values():
    zh, qh, G, grad = rot._reference_gradient()
    assert [float(x) for x in grad] == pytest.approx([0.18354837559985132088, 0.11233871830011150934,
                                                      -0.18354837559985132088], rel=1e-15)
    assert float(zh.dot(qh)) == pytest.approx(0.42426406871192851464, rel=1e-15)
    assert float(grad.norm()) == pytest.approx(0.28284271247461900976, rel=1e-15)


def test_out_of_plane_gradient_is_not_rotated():
    """g orthogonal to span{z, q}: the rotated gradient is g itself (angle 0, not theta)."""
    z, q, _ = num.random_vectors()
    zf, qf = np.array(z), np.array(q)
    g = np.random.default_rng(1).standard_normal(16)
    basis, _ = np.linalg.qr(np.stack([zf, qf], axis=1))
    g_perp = g - basis @ (basis.T @ g)
    with mpmath.workdps(30):
        R, *_ = num.rotation(z, q)
        out = R.T * mpmath.matrix(list(g_perp))
        assert max(abs(out[i] - g_perp[i]) for i in range(16)) < 1e-14


def test_random_g_angle_differs_from_theta():
    z, q, g = num.random_vectors()
    with mpmath.workdps(30):
        (cz, _, cg), (cq, _, formula), cos = num.gradient_facts(z, q, g)
        assert abs(cz - cq) < 1e-25 and abs(cg - formula) < 1e-25
        assert cg - cos > 0.1                         # the rotated gradient turns by less than theta
