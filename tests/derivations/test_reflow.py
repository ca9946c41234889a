"""ReFlow to WGAN-GP (catalog cards reflow-C1..C3): every verdict, the controls' counterexamples, the erratum, the
FTC strategy on true and false differences, and the card's reference values."""
import mpmath
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import reflow as rf

SLUG = "reflow"
VERDICTS = {
    "C1.chain-rule": "proved", "C1.loss-identity": "proved", "C1.reference-values": "checked",
    "C2.generator-step": "proved", "C2.reference-gradient": "certified", "C3.conditional-velocity": "proved",
    "C3.transport": "proved", "C3.reference": "proved", "C3.monte-carlo": "checked",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.link-exact",))


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    single = ctl["N1.single-time"].counterexample               # an exact difference, the sides as Arb balls
    assert single["text"].startswith("difference = -exp(-1/5) - ") and single["text"].endswith("(exact, by identical)")
    assert single["lhs"].startswith("-0.08985951384576403") and single["rhs"].startswith("1.15021967910118021")
    worst = ctl["N2.factor-one"].counterexample["worst"]          # the regression gradient is twice -eps grad D
    assert float(worst["lhs"]) == pytest.approx(2 * float(worst["rhs"]), rel=1e-12)


def test_erratum_pointwise_link(verified):
    (e,) = verified.errata
    assert e.post.verdict == "refuted" and e.correction.verdict == "proved"
    assert float(e.post.gap) > 4 > 0.575                 # d/dt D(x_t) = 5.84 at t = 0
    assert "ftc_along_path" in e.correction.method


def _loss_difference(rhs_sign=1):
    """The loss identity's difference with the arbitrary critic, optionally with a wrong sign on D(x1) - D(x0)."""
    ends = rf.ENDS
    lhs = rf._mean_exact("loss", *ends)
    rhs = rf._mean_exact("penalty", *ends) - rhs_sign * (rf.GENERIC_D(rf.b1, rf.b2) - rf.GENERIC_D(rf.a1, rf.a2))
    return lhs - rhs


def test_ftc_strategy_proves_the_identity_and_only_the_identity():
    assert rf.ftc_along_path(_loss_difference()) == 0
    wrong = rf.ftc_along_path(_loss_difference(-1))
    assert wrong != 0 and not wrong.has(sp.Integral)
    assert sp.expand(wrong - 2 * (rf.GENERIC_D(rf.a1, rf.a2) - rf.GENERIC_D(rf.b1, rf.b2))) == 0
    # an integrand that is not a total derivative stays an integral
    assert rf.ftc_along_path(rf._mean_exact("penalty", *rf.ENDS)).has(sp.Integral)


def test_polynomial_instance_is_consistent():
    """The numeric critic's written-out gradient is its gradient, and the four-point Gauss-Legendre average equals
    adaptive quadrature (the integrands are polynomials of degree 6 in t)."""
    with mpmath.workdps(40):
        p, q = mpmath.mpf("0.3"), mpmath.mpf("-1.1")
        assert abs(mpmath.diff(lambda v: rf._critic_value(v, q), p) - rf._critic_partial_value(0, p, q)) < 1e-35
        assert abs(mpmath.diff(lambda v: rf._critic_value(p, v), q) - rf._critic_partial_value(1, p, q)) < 1e-35
        ends = [mpmath.mpf(v) for v in ("-1.2", "0.7", "1.4", "-0.9")]

        def loss(tt):
            u = (1 - tt) * ends[0] + tt * ends[2]
            w = (1 - tt) * ends[1] + tt * ends[3]
            g = (rf._critic_partial_value(0, u, w), rf._critic_partial_value(1, u, w))
            return (g[0] ** 2 + g[1] ** 2) / 2 - g[0] * (ends[2] - ends[0]) - g[1] * (ends[3] - ends[1])
        assert abs(rf._mean_value("loss", *ends) - mpmath.quad(loss, [0, 1])) < 1e-35
        cross = rf._mean_value("cross", *ends)
        assert abs(cross - (rf._critic_value(ends[2], ends[3]) - rf._critic_value(ends[0], ends[1]))) < 1e-35


def test_card_reference_values():
    derivative, difference = rf._pointwise_link()
    assert str(sp.N(difference, 30)) == rf.CARD_INTEGRAL
    assert str(sp.N(derivative.subs(rf.t, sp.Rational(1, 2)), 18)) == rf.CARD_MIDPOINT
    with mpmath.workdps(35):
        assert mpmath.nstr(rf._card_cross_mean(), 30) == rf.CARD_INTEGRAL


def test_generator_gradient_reference():
    lhs, rhs = rf.generator_sides()
    for side in (lhs, rhs):
        got = [float(sp.N(c.subs(rf.GEN_REF), 25)) for c in side]
        assert got == pytest.approx([float(v) for v in rf.GEN_REF_GRADIENT], abs=1e-18)


def test_gaussian_velocity_reference_and_regression():
    v = sp.expand(rf.velocity(rf.x, rf.t).subs(rf.REF_MODEL))
    assert v == sp.Rational(56, 41) - sp.Rational(50, 41) * rf.x
    ic, sl, se_i, se_s = rf.regression_line(1.0, 0.5, 0.3, 200_000, 0)
    assert abs(ic - 56 / 41) < 5 * se_i and abs(sl + 50 / 41) < 5 * se_s
    assert abs(sl) > 100 * se_s              # the constant velocity m (slope 0) is far outside the error bars
