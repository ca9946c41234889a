"""Score identity distillation I (catalog cards sid1-C1, sid1-C2): every verdict, the controls' counterexamples, the
toy's losses and the mixture's noise posterior by two quadratures."""
import mpmath
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import sid1
from derivations.toolkit.sid_toy import REF, a, b, s_T, theta2

SLUG = "sid1"
VERDICTS = {
    "C1.kernel": "proved", "C1.gaussian-data": "proved", "C1.mixture": "proved", "C1.mixture-quadrature": "checked",
    "C2.tower": "proved", "C2.loss-rewrite": "proved", "C2.reference": "certified", "C2.nonoptimal-gap": "proved",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    cx = ctl["N2.f-uses-noise"].counterexample            # f = eps: E[eps psi*] = b^2/(a^2 theta_2^2 + b^2) < 1
    at = {k: float(v) for k, v in cx["at"].items()}
    assert float(cx["lhs"]) == pytest.approx(at["b"] ** 2 / (at["a"] ** 2 * at["theta_2"] ** 2 + at["b"] ** 2), rel=1e-10)
    assert float(cx["rhs"]) == 1
    cx = ctl["N1.drop-beta"].counterexample               # off by the factor 1/b
    assert float(cx["rhs"]) == pytest.approx(float(cx["lhs"]) / float(cx["at"]["b"]), rel=1e-10)


def test_toy_loss_reference():
    L1, L2, L3 = (L.subs(REF) for L in sid1.losses())
    assert L1 == L2 == L3
    assert str(sp.N(L1, 25)) == sid1.REF_LOSS


def test_nonoptimal_gap_is_the_cards_expression():
    L1, L2, _ = sid1.losses(sp.Rational(9, 10))
    assert sp.cancel(L1 - L2 - sid1.NONOPT_GAP) == 0
    assert sid1.NONOPT_GAP.subs(REF) != 0
    assert sid1.NONOPT_GAP.subs({a: 1, b: 1, s_T: 0, theta2: 0}) == sp.Rational(1, 100)


def _tanh_sinh_posterior_mean(point, dps):
    """E[eps | x_t = x] for the card's mixture by mpmath's tanh-sinh quadrature over x_0 (a second route)."""
    with mpmath.workdps(dps):
        xv, av, bv = mpmath.mpf(point), mpmath.mpf("0.8"), mpmath.mpf("0.6")
        num = den = mpmath.mpf(0)
        for wi, mi, si in (("0.3", -2, "0.5"), ("0.7", 1, "0.3")):
            wi, mi, si = mpmath.mpf(wi), mpmath.mpf(mi), mpmath.mpf(si)

            def joint(y, wi=wi, mi=mi, si=si):
                e = (xv - av * y) / bv
                return wi / si * mpmath.exp(-((y - mi) / si) ** 2 / 2 - e * e / 2)
            num += mpmath.quad(lambda y: joint(y) * (xv - av * y) / bv, [-mpmath.inf, mi, mpmath.inf])
            den += mpmath.quad(joint, [-mpmath.inf, mi, mpmath.inf])
        return num / den


def test_mixture_reference_values_by_three_routes():
    for pt, want in zip(sid1.MIX_POINTS, sid1.MIX_VALUES):
        assert str(sp.N(sid1.mixture_score(sp.Rational(pt)), 25)) == want           # the score formula
        with mpmath.workdps(30):
            assert mpmath.nstr(sid1.noise_posterior_mean(sp.Rational(pt)), 25) == want   # trapezoidal rule
    assert mpmath.nstr(_tanh_sinh_posterior_mean(sid1.MIX_POINTS[1], 35), 25) == sid1.MIX_VALUES[1]   # tanh-sinh


def test_trapezoidal_rule_converges_with_the_precision():
    """The step shrinks with the working precision: the values at 30 and 60 digits agree to 30 digits."""
    with mpmath.workdps(30):
        low = sid1.noise_posterior_mean(sp.Rational(-13, 10))
    with mpmath.workdps(60):
        high = sid1.noise_posterior_mean(sp.Rational(-13, 10))
        exact = mpmath.mpf(sp.N(sid1.mixture_score(sp.Rational(-13, 10)), 70))
        assert abs(high - exact) < mpmath.mpf(10) ** -55
    assert abs(low - high) < mpmath.mpf(10) ** -28
