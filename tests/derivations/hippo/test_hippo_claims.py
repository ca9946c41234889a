"""HiPPO (spec hippo.md): the verdict of every claim, control and erratum, the controls' counterexamples
(the spec's vectors), and planted errors in the closed forms refuted through the claims' own path."""
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations.engine.verify import verify_claim
from derivations.hippo import claims as h

SLUG = "hippo"
CHECKED = ("C4.fourier-quadrature", "C5.legt-residual", "C6.residual", "C7.ode", "C7.residual", "C11.sqrt-map")
VERDICTS = {
    **dict.fromkeys([
        "C1.projection", "C2.master", "C2.window-ratios", "C3.generating-function", "C3a.orthogonality",
        "C3b.endpoints", "C3c.derivative-recurrence", "C3d.xp-recurrence", "C3e.derivative-expansion",
        "C3f.legs-expansion", "C3.finite-check", "C4.fourier", "C5.legt-exact", "C6.legt-matrix", "C6.parity",
        "C6.polynomial-exact", "C7.legs-matrix", "C7.eigenvalues", "C7.polynomial-exact", "C8.similarity",
        "C8a.paper-scaling", "C8b.integer-scaling", "C8c.lmu-form", "C9.legs-code", "C9.legt-code", "C9.lmu-code",
        "C10.normal-plus-low-rank", "C11.polynomial-exact"], "proved"),
    **dict.fromkeys(CHECKED, "checked"),
}
ERRATA = ("E1.lambda-scaling", "E2.argmin-includes-c0", "E3.fourier-closure-biased")


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=ERRATA)


def test_numeric_claims_agree_to_50_digits(verified):
    claims = by_id(verified.claims)
    assert all(claims[c].digits >= 50 for c in CHECKED)


def test_controls_refuted_where_the_spec_says(verified):
    ctl = by_id(verified.negative_controls)
    assert len(ctl) == 7
    # N1: (1 - sqrt 2)(1, sqrt3, ...) instead of 0; N2: c_0' = sqrt(2)/T
    assert ctl["N1.mixed-normalization"].counterexample["text"] == \
        "entry (0,0): difference = -1 + sqrt(2) (exact, by identical)"
    assert ctl["N2.legs-diagonal-n"].counterexample["text"].startswith("entry (0,0): difference = -sqrt(2)")
    # N3/N4: right-hand side (0, +-4.899, 0, +-7.483, 0) for u = 1: first nonzero entry 2 sqrt 6
    assert ctl["N3.legt-sign-transposed"].counterexample["text"].startswith("entry (1,0): difference = -2*sqrt(6)")
    assert ctl["N4.legt-boundary-no-sign"].counterexample["text"].startswith("entry (1,0): difference = 2*sqrt(6)")
    # N6: the truncation term -(2/w) g_0(-1) c_6 g_6(-1) = -sqrt(2)/924 for u = t^6 (computed in the next test)
    assert ctl["N6.legt-exact-for-all-u"].counterexample["text"] == \
        "entry (0,0): difference = -sqrt(2)/924 (exact, by expand)"
    # N8: closure residual (-2, 3.464, -4.472, 5.292, -6): d' = 0 vs rhs -2
    assert ctl["N8.unnormalized-closure"].counterexample["text"].startswith("entry (0,0): difference = 2 ")
    # N9: the extra truncation term is visible in the last coefficient (quadrature, 50 digits)
    worst = ctl["N9.legs-truncation-term"].counterexample["worst"]
    assert worst["entry"] == [7, 0]
    assert float(worst["lhs"]) == pytest.approx(0.000711667619350203, rel=1e-12)
    assert float(worst["rhs"]) == pytest.approx(0.00100628581311215, rel=1e-12)


def test_control_right_hand_sides_are_the_spec_vectors():
    """u = 1 (true c' = 0): the wrong right-hand sides the spec lists for N3, N4 and N8."""
    def rhs(ctl):
        stmt = ctl.build()
        assert stmt.lhs == sp.zeros(*stmt.lhs.shape)            # c (or d) is constant for u = 1
        return [float(v) for v in stmt.rhs]
    assert rhs(h.legt_sign_transposed) == pytest.approx([0, 4.899, 0, 7.483, 0], abs=1e-3)
    assert rhs(h.legt_boundary_no_sign) == pytest.approx([0, -4.899, 0, -7.483, 0], abs=1e-3)
    assert rhs(h.unnormalized_closure) == pytest.approx([-2, 3.464, -4.472, 5.292, -6], abs=1e-3)


def test_n6_residual_is_the_truncation_term():
    """u = t^6, N = 6, w = 1: c_0' - (A c + B u)_0 = -(2/w) g_0(-1) c_6 g_6(-1), computed independently."""
    s = sp.Symbol("s")
    g6 = sp.sqrt(sp.Rational(13, 2)) * sp.legendre(6, s)
    c6 = sp.integrate(((s + 1) / 2) ** 6 * g6, (s, -1, 1))          # only the s^6 term of u(t(s)) reaches g_6
    predicted = -2 * (1 / sp.sqrt(2)) * c6 * g6.subs(s, -1)
    assert sp.simplify(predicted + sp.sqrt(2) / 924) == 0


def test_errata(verified):
    err = by_id(verified.errata)
    # lambda_n = 2/sqrt(2n+1) gives (2n+1)/(sqrt2 w): at n = 0, w B~ = 1/sqrt2 instead of 1
    assert "-1 + sqrt(2)/2" in err["E1.lambda-scaling"].post.counterexample["text"]
    assert err["E1.lambda-scaling"].correction.verdict == "proved"
    # dropping c_0 loses <u,g_0>^2 = (int u)^2/2 = (16/7)^2/2 for u = 1 + s^6
    assert "128/49" in err["E2.argmin-includes-c0"].post.counterexample["text"]
    assert err["E2.argmin-includes-c0"].correction.verdict == "proved"
    e3 = err["E3.fourier-closure-biased"]
    assert e3.correction.verdict == "checked" and e3.correction.digits >= 50
    assert float(e3.post.counterexample["lhs"]) == pytest.approx(1.85914091422952, rel=1e-13)   # (1+e)/2, not 1


def _refuted(c):
    r = verify_claim(c, timeout=20)
    assert r.verdict == "refuted", (r.verdict, r.detail)
    return r.counterexample


def test_a_wrong_closed_form_entry_is_refuted_at_n32(monkeypatch):
    """The derived matrices are compared with the typed closed forms: corrupt one entry of the integer
    form at N = 32 (LegS diagonal, LegT sign pattern) and the claim is refuted at that entry, exactly."""
    good_s, good_t = h.integer_legs, h.integer_legt

    def corrupt(good, entry, value):
        def bad(N):
            A, B = good(N)
            if N == h.BIG_N:
                A = A.as_mutable()
                A[entry] = value(A[entry])
            return sp.ImmutableMatrix(A), B
        return bad

    monkeypatch.setattr(h, "integer_legs", corrupt(good_s, (20, 20), lambda v: v + 1))      # -21 typed -20
    monkeypatch.setattr(h, "integer_legt", corrupt(good_t, (3, 5), lambda v: -v))           # sign flipped
    cx = _refuted(h.legs_matrix)
    assert cx["part"] == "N=32: A (C8(b)/P-form)" and "entry (20,20): difference = -1" in cx["text"]
    cx = _refuted(h.legt_matrix)
    assert cx["part"] == "N=32: A (C8(b)/P-form)" and "entry (3,5): difference = -14" in cx["text"]


def test_a_wrong_diagonal_in_the_ode_statement_is_refuted_by_the_quadratures(monkeypatch):
    """C7.residual compares quadratures with the closed form's right-hand side: with the diagonal -n
    (spec N2) instead of -(n+1), the 50-digit quadrature values refute it."""
    good = h.closed_legs.__wrapped__

    def bad(N, b=2):
        A, B = good(N, b)
        return sp.ImmutableMatrix(A + sp.eye(N)), B

    monkeypatch.setattr(h, "closed_legs", bad)
    cx = _refuted(h.legs_residual)
    assert cx["part"] == "u=sin(2t)+exp(-t/3), T=1/2"
