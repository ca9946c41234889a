"""sid1: the denoiser/score identity and SiD's loss rewrite in the Gaussian toy."""
import mpmath
import pytest
import sympy as sp

from derivations.engine.verify import verify_derivation
from derivations.sid1 import (DERIVATION, MIX_POINTS, MIX_REF, NONOPT_GAP, REF, _mixture_closed_form, losses, x)
from numeric.sid1 import mixture_noise_posterior_mean, mixture_noise_posterior_mean_float

MIX_VALUES = ("0.2982272518448229316080575", "-0.5463532155768339645175761", "1.724158196588858563215213")


@pytest.fixture(scope="module")
def result():
    return verify_derivation(DERIVATION)


def test_verdicts(result):
    assert result.verdict == "verified"
    verdicts = {c.id: c.verdict for c in result.claims}
    assert verdicts.pop("sid1.C1.mixture_quadrature") == "checked"
    assert set(verdicts.values()) == {"proved"}


def test_controls_refuted(result):
    controls = {c.id: c for c in result.negative_controls}
    assert all(c.verdict == "refuted" and c.counterexample for c in controls.values())
    # f = eps: E[eps psi*] = b^2/(a^2 theta_2^2 + b^2) < 1 = E[eps^2]
    cx = controls["sid1.C2.f_uses_noise"].counterexample
    assert float(cx["lhs"]) < 1 and float(cx["rhs"]) == 1


def test_toy_loss_reference():
    L1, L2, L3 = (L.subs(REF) for L in losses())
    assert L1 == L2 == L3
    assert str(sp.N(L1, 25)) == "0.1624019515856633514730719"


def test_nonoptimal_gap_is_the_cards_expression():
    L1, L2, _ = losses(sp.Rational(9, 10))
    assert sp.cancel(L1 - L2 - NONOPT_GAP) == 0
    assert NONOPT_GAP.subs(REF) != 0


def test_mixture_reference_values():
    closed = _mixture_closed_form()
    for pt, want in zip(MIX_POINTS, MIX_VALUES):
        assert str(sp.N(closed.subs(x, sp.Rational(pt)), 25)) == want
        assert mixture_noise_posterior_mean_float(float(pt), MIX_REF) == pytest.approx(float(want), rel=1e-13)


def test_mixture_quadrature_high_precision():
    # the definition of E[eps | x_t] integrated by mpmath (tanh-sinh) agrees with the score to 25 digits
    value = mixture_noise_posterior_mean(MIX_POINTS[1], MIX_REF, 35)
    assert mpmath.nstr(value, 25) == MIX_VALUES[1]
