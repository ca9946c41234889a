"""adam-epsilon (spec adam-epsilon.md): the verdict of every claim, control and erratum, their counterexamples,
the spec's reference values recomputed, and the post's figures."""
import math

import mpmath
import pytest
import sympy as sp
from expected import assert_verdicts, by_id, corrupted

from derivations.adam_epsilon import DERIVATION
from derivations.adam_epsilon.algebra import EX_G, EX_H, F_closed, exact_model_limit, formula_limit, sgd_pi_half
from derivations.adam_epsilon.claims import F_REFS, binary64
from derivations.adam_epsilon.numerics import (_clip_gap_argmax, _clip_gap_max, _clip_mean_quad, _exact_model_mc,
                                               _softsign_m2, _softsign_mean)

SLUG = "adam-epsilon"
VERDICTS = {
    "C1.limits": "proved", "C2.surrogates": "proved", "C2.clip-gap": "checked", "C3.clip-mean": "certified",
    "C3.clip-mean-bound": "checked",
    "C4.mean-algebra": "proved", "C4.mean-gap": "checked", "C5.clip-second-moment": "proved", "C5.clip-shape": "checked",
    "C5.second-moment-algebra": "proved", "C5.second-moment-gap": "checked", "C5.reference-table": "checked",
    "C6.optimal-lr": "proved", "C6.example": "certified", "C7.surge-condition": "proved", "C8.large-epsilon": "certified",
    "C9.counterexamples": "checked",
}
ERRATA = ("E1.surge-needs-q-gt-2d", "E2.epsilon-can-create-a-surge", "E3.pi-half-is-an-artifact")


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=ERRATA)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert ctl["N2.constant-pi-over-4"].counterexample["difference"].startswith("0.785398")   # pi/4
    assert ctl["N6.wrong-limit"].counterexample["lhs"] == "0.0"                              # the limit is 0
    assert "12.24166" in ctl["N7.larger-epsilon-never-surges"].counterexample["text"]       # Q(0.05) > 2D = 10
    n5 = ctl["N5.limit-without-pi-half"].counterexample        # the exact limit 70/129 against the pi/2 value
    assert n5["text"] == "difference = -70/129 + 21/(16*(317/160 + 7*pi/32)) (exact, by identical)"
    assert n5["lhs"].startswith("0.4918542577") and n5["rhs"].startswith("0.5426356589")


def test_errata_evidence(verified):
    ev = {e.id: e.to_json()["evidence"] for e in verified.errata}
    assert "-1/9" in ev["E1.surge-needs-q-gt-2d"]           # beta*^2 = 10/9 > 1 on the N4 example
    assert "12.24166" in ev["E2.epsilon-can-create-a-surge"]
    # the exact model's limit (Gaussian moments, exact) against the pi/2 value: 0.5426 vs 0.4919
    assert "difference = 70/129 - 21/(16*(317/160 + 7*pi/32)) (exact" in ev["E3.pi-half-is-an-artifact"]


def test_clip_mean_reference_values_at_binary64_inputs():
    with mpmath.workdps(40):
        for x, y, ref in F_REFS:
            a, b = binary64(x), binary64(y)
            closed = sp.N(F_closed(a, b), 40)
            assert abs(closed - sp.Rational(ref)) < sp.Rational(5, 10 ** 25)
            assert abs(_clip_mean_quad(mpmath.mpf(a), mpmath.mpf(b)) - mpmath.mpf(str(closed))) < mpmath.mpf(10) ** -35
        # at the decimal point (3/10, 7/10) the value differs from the spec's in the 17th digit
        assert abs(sp.N(F_closed(sp.Rational(3, 10), sp.Rational(7, 10)), 30) - sp.Rational(F_REFS[0][2])) > 5e-18


def test_clip_gap_maximum_at_the_kink():
    with mpmath.workdps(40):
        assert abs(_clip_gap_max() - (1 - 1 / mpmath.sqrt(2))) < mpmath.mpf(10) ** -35
        assert abs(_clip_gap_argmax() - 1) < mpmath.mpf(10) ** -30


def test_softsign_moments_by_quadrature():
    with mpmath.workdps(30):
        assert mpmath.nstr(_softsign_mean(1, 1), 12) == "0.513467200424"
        assert mpmath.nstr(_softsign_m2(2, mpmath.mpf(1) / 2), 12) == "0.870528553516"


def test_large_epsilon_limits():
    g = sp.Matrix(EX_G)
    sgd = (g.T * g)[0] / ((g.T * EX_H * g)[0] + EX_H.trace() / 8)
    assert sp.simplify(exact_model_limit(0) - sgd) == 0 and float(sgd) == pytest.approx(0.5426356589147286, rel=1e-15)
    post = formula_limit(EX_G, EX_H).subs({sp.Symbol("sigma2", positive=True): 1, sp.Symbol("B", positive=True): 8})
    assert sp.simplify(post - sgd_pi_half(EX_G, EX_H, 1, 8)) == 0 and float(post) == pytest.approx(0.49185425774016495)
    est = _exact_model_mc(0.0, seed=3)
    assert abs(est.value - float(sgd)) < 5 * est.se and abs(est.value - float(post)) > 50 * est.se
    assert math.isfinite(_exact_model_mc(1e-4, seed=3).value)


@pytest.mark.parametrize("figure", DERIVATION.figures, ids=lambda f: f.name)
def test_figures_draw_labelled_axes(figure):
    from matplotlib.figure import Figure
    fig = Figure()
    figure.draw(fig)
    assert fig.axes and all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes) and figure.caption


def _planted():
    from derivations.adam_epsilon import claims as c
    from derivations.adam_epsilon.algebra import B, SIGMA2, a_, b_
    return [
        corrupted(c.c3_clip_mean, "F(0.3,0.7)", surrogate=sp.Rational("0.218359190914619028387171")),   # digits swapped
        corrupted(c.c3_clip_mean, "closed form", rhs=F_closed(a_, b_) + (sp.sqrt(2) - 1) * (     # b sqrt(2 pi) -> b sqrt(pi)
            sp.exp(-(a_ + b_) ** 2 / 2) - sp.exp(-(a_ - b_) ** 2 / 2)) / (b_ * sp.sqrt(2 * sp.pi))),
        corrupted(c.c8_large_epsilon, "eps^2 (1-beta^2)", rhs=sp.pi * SIGMA2 / (4 * B)),                 # pi/2 -> pi/4
        corrupted(c.c6_example, "eta*(eps=0.5)", surrogate=sp.Rational("0.4071146571896243")),
        corrupted(c.c4_mean_algebra, "erf surrogate at b/sqrt(2)", rhs=b_ ** 2 + sp.pi / 4),
    ]


@pytest.mark.parametrize("index", range(5))
def test_planted_errors_are_refuted(index):
    from derivations.engine.verify import verify_claim
    assert verify_claim(_planted()[index], digits=30).verdict == "refuted"
