"""Pre Norm vs Post Norm (catalog cards prenorm-C1, prenorm-C2): every verdict, the controls' counterexamples, the
relative-step erratum, the derived model step, and the simulations (exact in law) against direct vector simulations."""
import numpy as np
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import prenorm

SLUG = "prenorm"
VERDICTS = {"C1.step": "proved", "C1.growth": "proved", "C1.post-bound": "proved", "C1.relative-step": "proved",
            "C1.cosine": "proved", "C1.monte-carlo": "checked", "C2.post-norm-weights": "proved",
            "C2.pre-norm-weights": "proved", "C2.monte-carlo": "checked"}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.relative-step",))


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    cx = ctl["N1.no-growth"].counterexample                                   # (t+1) d against d
    assert float(cx["lhs"]) / float(cx["rhs"]) == pytest.approx(float(cx["at"]["t"]) + 1)
    assert float(ctl["N1.cosine-bounded"].counterexample["lhs"]) > 0.9
    assert ctl["N2.halving"].counterexample["lhs"] != ctl["N2.halving"].counterexample["rhs"]


def test_erratum_is_refuted_exactly_at_t_equal_1(verified):
    (e,) = verified.errata
    assert e.post.verdict == "refuted" and e.correction.verdict == "proved"
    assert "at t=1" in e.post.counterexample["text"] and "sqrt(2)/2" in e.post.counterexample["text"]


def test_model_step_and_growth_are_derived():
    energy, cross, total, at_norm, sq, usq, norm_sq, _ = prenorm.layer_moments(3)
    assert sp.expand(energy - usq) == 0 and cross == 0 and sp.cancel(at_norm - sq - 3) == 0
    assert sp.expand(prenorm.second_moment(prenorm.t) - (prenorm.t + 1) * prenorm.d) == 0
    # a Gaussian fourth moment: E w^4 = 3 sigma^4
    w = sp.Symbol("w", real=True)
    assert prenorm.gaussian_expectation(w ** 4 + w ** 3 + w, [w], sp.Rational(1, 4)) == sp.Rational(3, 16)


def _vector_prenorm(d, n, layers, seed):
    """The Pre Norm stream with explicit vectors: x_{t+1} = x_t + W_t Norm(x_t), a fresh Gaussian W_t per sample."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    sq, cos = [], []
    for _ in range(layers):
        u = np.sqrt(d) * x / np.linalg.norm(x, axis=1, keepdims=True)
        W = rng.standard_normal((n, d, d)) / np.sqrt(d)
        x_next = x + np.einsum("nij,nj->ni", W, u)
        sq.append((x * x).sum(1) / d)
        cos.append((x * x_next).sum(1) / np.linalg.norm(x, axis=1) / np.linalg.norm(x_next, axis=1))
        x = x_next
    return np.array(sq), np.array(cos)


def _agree(a, b):
    se = np.hypot(a.std(ddof=1) / np.sqrt(len(a)), b.std(ddof=1) / np.sqrt(len(b)))
    return abs(a.mean() - b.mean()) < 5 * se


def test_exact_in_law_stream_matches_explicit_vectors():
    """The scalar recursion of prenorm_stream against explicit W_t (d = 64, 400 samples, 8 layers)."""
    sq, cos = _vector_prenorm(64, 400, 8, seed=1)
    stats = prenorm.prenorm_stream(64, 4000, 8, 2)
    for t in (0, 3, 7):
        assert _agree(sq[t], stats[0, t]) and _agree(cos[t], stats[2, t])
    assert sq[7].mean() == pytest.approx(8, rel=0.05)


def test_exact_in_law_post_norm_matches_explicit_vectors():
    """The scalar recursion of postnorm_products against explicit RMSNorm(x + W x) (d = 64, 400 samples)."""
    d, n = 64, 400
    rng = np.random.default_rng(3)
    x = x0 = rng.standard_normal((n, d))
    ratios = []
    for _ in range(3):
        y = x + np.einsum("nij,nj->ni", rng.standard_normal((n, d, d)) / np.sqrt(d), x)
        x = np.sqrt(d) * y / np.linalg.norm(y, axis=1, keepdims=True)
        ratios.append((x * x0).sum(1) / (x0 * x0).sum(1))
    inner = prenorm.postnorm_products(d, 4000, 3, 4)
    for layer in (1, 3):
        assert _agree(ratios[layer - 1], inner[layer] / inner[0])


def test_card_references():
    """The card's predictions: E|x_t|^2/d = t+1 and cos at t = 0, 7, 63 (0.7071, 0.9428, 0.9923); Post Norm 2^(-l/2)."""
    stats = prenorm.prenorm_stream(prenorm.PRE["d"], prenorm.PRE["n"], prenorm.PRE["layers"], 0)
    for t, card in ((0, 0.7071), (7, 0.9428), (63, 0.9923)):
        assert stats[2, t].mean() == pytest.approx(card, abs=1e-4)
    assert stats[0, 63].mean() == pytest.approx(64, rel=1e-3)
    assert stats[3, 63].mean() == pytest.approx(0.1243, abs=1e-4)
    est = prenorm._postnorm_estimate(8, 0)
    assert abs(est.value - 2 ** -4) < 5 * est.se and abs(est.value - 2 ** -8) > 50 * est.se
