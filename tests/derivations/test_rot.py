"""Rotation trick (catalog cards rot-C1, rot-C2): every verdict, the controls' counterexamples, the same-angle erratum, the
oracles in R^8 and R^16, the card's reference values and the rotation in a random dimension."""
import mpmath
import numpy as np
import pytest
from expected import assert_verdicts, by_id

from derivations import rot

SLUG = "rot"
VERDICTS = {"C1.rotation": "proved", "C2.ste": "proved", "C2.angle-and-norm": "proved",
            "C2.gradient-angle-bound": "proved", "C2.reference": "certified"}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.same-angle",))


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert "-2" in ctl["N1.single-reflection"].counterexample["text"]          # det = -1, not 1
    assert "entry (1,1)" in ctl["N1.antipodal"].counterexample["text"]          # diag(-1,-1,1) vs diag(-1,1,-1)
    assert "-621/50" in ctl["N2.inverted-norm"].counterexample["text"]          # 2/25 vs 25/2
    assert ctl["N1.no-denominator"].counterexample["rhs"].startswith("[1.0, 0.0, 0.0")   # R'^T R' is not I


def test_oracles_in_higher_dimensions_agree(verified):
    claims = by_id(verified.claims)
    for cid in ("C1.rotation", "C2.angle-and-norm"):
        (oracle,) = claims[cid].oracles
        assert oracle["status"] == "agree" and "embedded by a random frame" in oracle["name"]
    (e,) = verified.errata
    assert e.post.verdict == "refuted" and e.correction.verdict == "proved"
    assert e.correction.oracles[0]["status"] == "agree"


def test_reference_values():
    zh, qh, G, grad = rot._reference_gradient()
    assert [float(x) for x in grad] == pytest.approx([0.18354837559985132088, 0.11233871830011150934,
                                                      -0.18354837559985132088], rel=1e-15)
    assert float(zh.dot(qh)) == pytest.approx(0.42426406871192851464, rel=1e-15)
    assert float(grad.norm()) == pytest.approx(0.28284271247461900976, rel=1e-15)


def _random(d=16, seed=0):
    with mpmath.workdps(30):
        z, q, g = (mpmath.matrix(v.tolist()) for v in np.random.default_rng(seed).standard_normal((3, d)))
    return z, q, g


def test_rotation_in_sixteen_dimensions():
    """R z^ = q^, R^T R = I, det R = 1 and G z = q at 30 digits for random z, q in R^16."""
    z, q, _ = _random()
    with mpmath.workdps(30):
        R, G, zh, qh = rot.mp_rotation(z, q)
        assert mpmath.mnorm(R * zh - qh, 1) < 1e-25 and mpmath.mnorm(R.T * R - mpmath.eye(16), 1) < 1e-25
        assert abs(mpmath.det(R) - 1) < 1e-25 and mpmath.mnorm(G * z - q, 1) < 1e-25
        H = rot.mp_householder(qh) * rot.mp_householder(qh + zh)
        assert mpmath.mnorm(H - R, 1) < 1e-25


def test_out_of_plane_gradient_is_not_rotated_and_random_g_turns_by_less_than_theta():
    z, q, g = _random()
    with mpmath.workdps(30):
        R, G, zh, qh = rot.mp_rotation(z, q)
        U = rot.orthonormal_frame(16, 2, seed=5)
        assert mpmath.mnorm(U.T * U - mpmath.eye(2), 1) < 1e-25
        basis, _ = mpmath.qr(mpmath.matrix([[z[i], q[i]] for i in range(16)]))
        P = basis[:, :2] * basis[:, :2].T
        g_perp = g - P * g
        assert mpmath.mnorm(R.T * g_perp - g_perp, 1) < 1e-25
        cos_theta = (zh.T * qh)[0]
        cos_g = (R.T * g).T * g / (g.T * g)[0]
        share = (g.T * P * g)[0] / (g.T * g)[0]
        assert abs(cos_g[0] - (1 - (1 - cos_theta) * share)) < 1e-25
        assert float(cos_theta) == pytest.approx(0.2433, abs=1e-4)       # the card's seed-0 angle
        assert cos_g[0] - cos_theta > 0.1
