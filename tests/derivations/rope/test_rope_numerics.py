"""RoPE's numerics against the spec's reference values: rotations in both layouts, the frequencies, the
decay indicator table, the decay bound in float64, RoPE-Tie cases, the commutator searches."""
import mpmath
import numpy as np
import pytest
import sympy as sp

from derivations.rope import algebra as alg
from derivations.rope import numerics as num


def test_reference_rotations_d4():
    th, q = [sp.Integer(1), sp.Rational(1, 100)], sp.Matrix([1, 2, 3, 4])
    inter = [float(v) for v in alg.rope_matrix(1, th) * q]
    half = [float(v) for v in alg.rotate_half(q, 1, th)]
    assert inter == pytest.approx([-1.14263966, 1.9220756, 2.95985067, 4.0297995], abs=5e-9)
    assert half == pytest.approx([-1.98411065, 1.95990067, 2.4623779, 4.01979967], abs=5e-9)
    qf, thf = np.array([1.0, 2, 3, 4]), num.np_thetas(4)
    assert num.np_rotate(qf, 1, thf) == pytest.approx(inter, abs=1e-15)
    assert num.np_rotate(qf, 1, thf, "half") == pytest.approx(half, abs=1e-15)
    assert num.np_thetas(128)[-1] == pytest.approx(1.1547819846894582e-4, rel=1e-15)
    assert num.np_thetas(4).tolist() == pytest.approx([1.0, 0.01], rel=1e-15)


def test_code_forms_are_bitwise_the_rotation_in_float64():
    rng = np.random.default_rng(3)
    th = num.np_thetas(128)
    q, pos = rng.standard_normal(128), 12345.5
    for layout in ("interleaved", "half"):
        assert np.array_equal(num.np_rope_code(q, pos, th, layout), num.np_rotate(q, pos, th, layout))
    assert not np.allclose(num.np_rotate(q, 7, th), num.np_rotate(q, 7, th, "half"))


F128 = {0: 32.5, 1: 31.53816614, 2: 28.95598847, 5: 20.84535778, 10: 17.95413714, 20: 15.24243011,
        50: 12.62945249, 100: 10.22732995, 128: 9.272902725, 256: 6.543097323, 512: 5.311366188,
        1000: 4.470761034, 4096: 4.882792191}


def test_indicator_table_and_non_monotonicity():
    with mpmath.workdps(30):
        for delta, want in F128.items():
            assert float(num.mp_indicator(128, delta)) == pytest.approx(want, abs=1e-8)
        ups = num.up_steps()
        assert ups[0] == 18 and len(ups) == 115
    F = num.np_indicator(128, np.arange(257))
    up = np.flatnonzero(np.diff(F) > 0)
    assert up.tolist() == ups          # float64 and 30 digits see the same steps
    assert F.min() == pytest.approx(6.414997, abs=1e-6) and int(F.argmin()) == 236
    # a resonance near 2009 exceeds the value at 100
    assert num.np_indicator(128, [2009])[0] > num.np_indicator(128, [100])[0]
    assert num.np_indicator(128, [-777.5])[0] == pytest.approx(num.np_indicator(128, [777.5])[0], rel=1e-13)


def test_arb_enclosure_contains_the_indicator():
    flint = pytest.importorskip("flint")
    old, flint.ctx.dps = flint.ctx.dps, 30
    try:
        ball = num.arb_indicator(flint.arb(128), flint.arb(4096), 30)
    finally:
        flint.ctx.dps = old
    with mpmath.workdps(40):
        value = num.mp_indicator(128, 4096)
        assert abs(mpmath.mpf(ball.mid().str(35, radius=False)) - value) <= mpmath.mpf(ball.rad().str(5, radius=False))
    assert float(ball.rad()) < 1e-25 and abs(float(ball.mid()) - 4.882792191) < 5e-10


def test_decay_bound_float64_trials_and_the_extremal_query():
    score, mid, bound = num.np_decay_trials(128, 2000, 0)
    assert np.all(score <= mid * (1 + 1e-12)) and np.all(mid <= bound * (1 + 1e-12))
    assert np.max(mid / bound) < 0.05   # random inputs sit far below the bound
    kstar = np.tile([1.0, 0.0], 64)
    for delta in (3.0, 100.0, 1000.0):
        q = num.np_extremal_query(128, delta)
        h = (q[0::2] + 1j * q[1::2])
        steps = np.abs(np.diff(np.append(h, 0))).max()
        attained = num.np_scores(q, kstar, [delta])[0]
        assert steps == pytest.approx(1.0, rel=1e-12)
        assert attained == pytest.approx(np.abs(num.np_partial_sums(128, [delta])[0]).sum(), rel=1e-12)


def test_layouts_and_mixing_float64():
    s = num.np_layout_scores(64, 0, 17, 5, 3)
    for layout in ("interleaved", "half"):
        a, b = s[layout]
        assert abs(a - b) < 1e-12 * max(1, abs(a))
    a, b = s["mixed"]
    assert b - a == pytest.approx(1.393, abs=1e-3)


def test_rope_tie_reference_cases():
    assert alg.integer_scaling(5, 3, 2) == (4, 3, 17)
    assert alg.patch_positions(5, 3, 2, 4, 3).tolist() == [[9, 8], [9, 11], [9, 14], [13, 8], [13, 11], [13, 14]]
    assert alg.integer_scaling(10, 4, 4)[2] == 35 and alg.integer_scaling(0, 7, 3) == (8, 4, 32)
    assert alg.token_scaling(0, 3, 2) == (sp.Rational(7, 3), sp.Rational(7, 4), 7)
    assert alg.token_scaling(0, 16, 9) == (sp.Rational(29, 2), sp.Rational(145, 17), 145)
    # unscaled: last patch (7, 8); no K gives both gaps (1, 1)
    assert alg.patch_positions(5, 3, 2, 1, 1).tolist()[-1] == [7, 8]
    assert all(list(alg.gaps(5, 3, 2, 1, 1, K)[2:]) != [1, 1] for K in range(0, 30))


def test_commutator_searches_solve():
    b, c, d, e, f = sp.symbols("b c d e f", real=True)

    def commutator(A, B):
        A, B = sp.Matrix(A), sp.Matrix(B)
        return [v for v in (A * B - B * A) if v != 0]
    assert sp.solve(commutator(alg.skew3(1, 0, 0), alg.skew3(0, b, c)), [b, c], dict=True) == [{b: 0, c: 0}]
    eqs = commutator(alg.skew4(1, b, c, 0, 0, 0), alg.skew4(0, 0, 0, d, e, f))
    assert sp.solve(eqs, [d, e], dict=True) == [{d: c * f, e: -b * f}]


def test_quaternion_and_noncommuting_numbers():
    with mpmath.workdps(30):
        units = {k: mpmath.matrix(v) for k, v in alg.QUATERNION_UNITS.items()}
        t = mpmath.mpf("0.7")
        gap = mpmath.expm(t * units["i"]) * mpmath.expm(t * units["j"]) - mpmath.expm(t * (units["i"] + units["j"]))
        assert float(mpmath.mnorm(gap, "f")) == pytest.approx(0.878, abs=1e-3)
        B1, B2 = mpmath.matrix(alg.skew3(1, 0, 0)), mpmath.matrix(alg.skew3(0, 0, 1))

        def R(x, y):
            return mpmath.expm(x * B1 + y * B2)
        gap = R(0.3, 0.7).T * R(1.1, -0.4) - R(0.8, -1.1)
        assert float(mpmath.mnorm(gap, "f")) == pytest.approx(0.5936, abs=1e-4)


def test_strategies_prove_and_refuse():
    x = sp.Symbol("x", real=True)
    assert alg.pythagorean(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1) == 0
    assert alg.pythagorean(sp.sin(x) ** 2 - sp.cos(x) ** 2) != 0
    z = sp.exp(sp.I * x) + sp.exp(2 * sp.I * x)
    assert alg.abs_conjugate(sp.Abs(z, evaluate=False) - sp.Abs(z.xreplace({sp.I: -sp.I}), evaluate=False)) == 0
    assert alg.abs_conjugate(sp.Abs(z, evaluate=False) - sp.Abs(z + 1, evaluate=False)) != 0
    w = sp.Symbol("w")  # complex: conjugation is not i -> -i, the rewrite does not apply
    d = sp.Abs(sp.exp(sp.I * w), evaluate=False) - sp.Abs(sp.exp(-sp.I * w), evaluate=False)
    assert alg.abs_conjugate(d) == d
