"""HiPPO (spec hippo.md): every verdict through the CLI, the controls' counterexamples, the errata,
the spec's reference values, and the exact derived matrices against the spec and a float build."""
import json

import mpmath
import numpy as np
import pytest
import sympy as sp
from click.testing import CliRunner

from cli import main
from derivations import hippo as h
from numeric import hippo as nh

PROVED = ["C1.projection", "C2.master", "C2.window_ratios", "C3.generating_function", "C3a.orthogonality",
          "C3b.endpoints", "C3c.derivative_recurrence", "C3d.xP_recurrence", "C3e.derivative_expansion",
          "C3f.legs_expansion", "C3.finite_check", "C4.fourier", "C5.legt_exact", "C6.legt_matrix", "C6.parity",
          "C6.polynomial_exact", "C7.legs_matrix", "C7.eigenvalues", "C7.polynomial_exact", "C8.similarity",
          "C8a.paper_scaling", "C8b.integer_scaling", "C8c.lmu_form", "C9.legs_code", "C9.legt_code",
          "C9.lmu_code", "C10.normal_plus_low_rank", "X1.polynomial_exact"]
CHECKED = ["C7.ode", "C7.residual", "X1.sqrt_map"]


@pytest.fixture(scope="module")
def res():
    """One run of ``python cli.py verify hippo --json`` (the CLI test and the verdict tests share it)."""
    out = CliRunner().invoke(main, ["verify", "hippo", "--json"])
    return out.exit_code, json.loads(out.output)


def test_cli_verify_exits_0_verified(res):
    code, payload = res
    assert code == 0 and payload["verdict"] == "verified"


def test_every_claim_verdict(res):
    got = {c["id"]: c["verdict"] for c in res[1]["claims"]}
    assert got == {**dict.fromkeys(PROVED, "proved"), **dict.fromkeys(CHECKED, "checked")}
    numeric = {c["id"]: c for c in res[1]["claims"] if c["id"] in CHECKED + ["C4.fourier", "C5.legt_exact"]}
    assert all(c["digits"] >= 50 for c in numeric.values())      # two-precision agreement at 50 digits


def _cx(res, cid):
    [c] = [c for c in res[1]["negative_controls"] if c["id"] == cid]
    assert c["verdict"] == "refuted"
    return c["counterexample"]


def test_controls_refuted_where_the_spec_says(res):
    assert len(res[1]["negative_controls"]) == 7
    # N1: (1 - sqrt 2)(1, sqrt3, ...) instead of 0; N2: c_0' = sqrt(2)/T
    assert _cx(res, "N1.mixed_normalization")["text"] == "entry (0,0): difference = -1 + sqrt(2) (exact, by identical)"
    assert _cx(res, "N2.legs_diagonal_n")["text"].startswith("entry (0,0): difference = -sqrt(2)")
    # N3/N4: right-hand side (0, +-4.899, 0, +-7.483, 0) for u = 1: first nonzero entry 2 sqrt 6
    assert _cx(res, "N3.legt_sign_transposed")["text"].startswith("entry (1,0): difference = -2*sqrt(6)")
    assert _cx(res, "N4.legt_boundary_no_sign")["text"].startswith("entry (1,0): difference = 2*sqrt(6)")
    # N8: closure residual (-2, 3.464, -4.472, 5.292, -6): d' = 0 vs rhs -2
    assert _cx(res, "N8.unnormalized_closure")["text"].startswith("entry (0,0): difference = 2 ")
    # N9: the extra truncation term is visible in the last coefficient
    worst = _cx(res, "N9.legs_truncation_term")["worst"]
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


def test_n6_residual_is_the_truncation_term(res):
    """u = t^6, N = 6, w = 1: c_0' - (A c + B u)_0 = -(2/w) g_0(-1) c_6 g_6(-1), computed independently."""
    s = sp.Symbol("s")
    g6 = sp.sqrt(sp.Rational(13, 2)) * sp.legendre(6, s)
    c6 = sp.integrate(((s + 1) / 2) ** 6 * g6, (s, -1, 1))          # only the s^6 term of u(t(s)) reaches g_6
    predicted = -2 * (1 / sp.sqrt(2)) * c6 * g6.subs(s, -1)
    assert sp.simplify(predicted + sp.sqrt(2) / 924) == 0
    assert _cx(res, "N6.legt_exact_for_all_u")["text"] == "entry (0,0): difference = -sqrt(2)/924 (exact, by expand)"


def test_errata(res):
    err = {e["id"]: e for e in res[1]["errata"]}
    assert set(err) == {"E1.lambda_scaling", "E2.argmin_includes_c0", "E3.fourier_closure_biased"}
    assert all(e["ok"] and e["post_says_result"]["verdict"] == "refuted" for e in err.values())
    assert err["E1.lambda_scaling"]["correct_result"]["verdict"] == "proved"
    # lambda_n = 2/sqrt(2n+1) gives (2n+1)/(sqrt2 w): at n = 0, w B~ = 1/sqrt2 instead of 1
    assert "-1 + sqrt(2)/2" in err["E1.lambda_scaling"]["post_says_result"]["counterexample"]["text"]
    # dropping c_0 loses <u,g_0>^2 = (int u)^2/2 = (16/7)^2/2 for u = 1 + s^6
    assert "128/49" in err["E2.argmin_includes_c0"]["post_says_result"]["counterexample"]["text"]
    assert err["E2.argmin_includes_c0"]["correct_result"]["verdict"] == "proved"
    e3 = err["E3.fourier_closure_biased"]
    assert e3["correct_result"]["verdict"] == "checked" and e3["correct_result"]["digits"] >= 50
    assert float(e3["post_says_result"]["counterexample"]["lhs"]) == pytest.approx(1.85914091422952, rel=1e-13)


def test_fourier_partial_sums_tend_to_the_midpoint():
    assert h.fourier_partial_sum(10) == pytest.approx(1.850857, abs=1e-6)
    assert h.fourier_partial_sum(10 ** 4) == pytest.approx(1.859132, abs=1e-6)
    with mpmath.workdps(60):
        assert abs(h.fourier_closure_limit(60) - (1 + mpmath.e) / 2) < mpmath.mpf(10) ** -58


def test_reference_coefficients_at_T2():
    """Spec: u = sin 2t + exp(-t/3), T = 2, Su normalization, c_0..c_3 to 20 digits."""
    legs = ["1.6168494732132906413", "-0.64101216589492236990", "-0.55370949221464479989", "0.093597559614327915537"]
    legt = ["1.0296761198641975736", "-0.81309482781142086614", "-0.024124863888549308465", "0.033262074934073780312"]
    for window, want in ((nh.LEGS, legs), (nh.Window("legt", 1), legt)):
        got = nh.projection(nh.sin_exp(), window, 2, 4, 30, derivative=False)
        with mpmath.workdps(30):
            assert all(abs(g - mpmath.mpf(v)) < mpmath.mpf(10) ** -19 for g, v in zip(got, want))


def test_legs_matrices_4_equal_the_spec():
    r3, r5, r7 = sp.sqrt(3), sp.sqrt(5), sp.sqrt(7)
    A_spec = sp.Matrix([[-1, 0, 0, 0], [-r3, -2, 0, 0], [-r5, -sp.sqrt(15), -3, 0], [-r7, -sp.sqrt(21), -sp.sqrt(35), -4]])
    A, B = h.legs_matrices(4)
    assert A == A_spec and B == sp.Matrix([1, r3, r5, r7]) and B.shape == (4, 1)
    As, Bs = h.legs_su(4)
    assert As == A_spec and Bs == sp.Matrix([sp.sqrt(2), sp.sqrt(6), sp.sqrt(10), sp.sqrt(14)])
    At, Bt = h.legt_su(4, 1)
    assert At == -sp.Matrix([[1, -r3, r5, -r7], [r3, 3, -sp.sqrt(15), sp.sqrt(21)],
                             [r5, sp.sqrt(15), 5, -sp.sqrt(35)], [r7, sp.sqrt(21), sp.sqrt(35), 7]])
    assert Bt == Bs
    assert np.allclose(np.array(A.tolist(), dtype=float), h.transition_float("legs", 4)[0], atol=1e-15)


def test_integer_forms_equal_the_spec():
    d = h.derived_integer_matrices(5)
    assert d["legs_A"] == [[-1, 0, 0, 0, 0], [-3, -2, 0, 0, 0], [-5, -5, -3, 0, 0], [-7, -7, -7, -4, 0],
                           [-9, -9, -9, -9, -5]]
    assert d["legt_A"] == [[-1, 1, -1, 1, -1], [-3, -3, 3, -3, 3], [-5, -5, -5, 5, -5], [-7, -7, -7, -7, 7],
                           [-9, -9, -9, -9, -9]]
    assert d["legs_B"] == d["legt_B"] == [1, 3, 5, 7, 9]
    D = np.diag([(-1) ** n for n in range(5)])
    lmu = D @ np.array(d["legt_A"], dtype=float) @ D
    assert lmu.tolist() == [[-1, -1, -1, -1, -1], [3, -3, -3, -3, -3], [-5, 5, -5, -5, -5], [7, -7, 7, -7, -7],
                            [-9, 9, -9, 9, -9]]
    A, B = h.transition_float("lmu", 5)
    assert np.array_equal(A, lmu) and B[:, 0].tolist() == [1, -3, 5, -7, 9]


@pytest.mark.parametrize("N", [8, 64])
def test_exact_legs_agrees_with_float_construction(N):
    assert h.float_agreement(N) <= 1e-12


def test_legs_matrices_equal_the_code_formula():
    """Exact for N = 16 against T M T^{-1} of ``transition('legs')`` built with sp.sqrt; float64 at N = 64."""
    A, B = h.legs_matrices(16)
    code = sp.Matrix(16, 16, lambda n, k: sp.sqrt(2 * n + 1) * (-(2 * k + 1) if n > k else (-(n + 1) if n == k else 0))
                     / sp.sqrt(2 * k + 1))
    assert A == code and list(B) == [sp.sqrt(2 * n + 1) for n in range(16)]
    A, B = h.legs_matrices(64)
    Ac, Bc = h.transition_float("legs", 64)
    assert np.abs(h._to_float(A) - Ac).max() <= 1e-12 * 127 and np.abs(h._to_float(B) - Bc).max() <= 1e-13


def test_u_equals_t_closed_form():
    T = h.T
    c = h.exact_projection("legs", (0, 1), 6)
    assert c == sp.Matrix([T / sp.sqrt(2), T / sp.sqrt(6), 0, 0, 0, 0])
    assert c / sp.sqrt(2) == sp.Matrix([T / 2, T / (2 * sp.sqrt(3)), 0, 0, 0, 0])   # paper normalization


def test_certificates_can_fail(monkeypatch):
    """The exact certificates compare the derivation with the closed form: corrupt the closed form
    and each must be refuted at the corrupted entry."""
    good_s, good_t = h.integer_legs, h.integer_legt

    def bad_legs(N):
        A, B = good_s(N)
        A[40][40] = -40
        return A, B

    def bad_legt(N):
        A, B = good_t(N)
        A[3][5] = -A[3][5]
        return A, B

    monkeypatch.setattr(h, "integer_legs", bad_legs)
    monkeypatch.setattr(h, "integer_legt", bad_legt)
    out = h.legs_matrix.prove()
    assert out.status == "refuted" and out.counterexample["text"] == "entry (40,40): derived -41 vs closed form -40"
    out = h.legt_matrix.prove()
    assert out.status == "refuted" and out.counterexample["text"] == "entry (3,5): derived -7 vs closed form 7"


def test_results_print_the_derived_matrices():
    res = dict(h.results())
    assert sp.latex(h.legs_su(4)[0]) in res["LegS, N = 4, derived (Su)"]
    assert r"\sqrt{35}" in res["LegS, N = 4, derived, transition('legs', 4) convention"]
    assert "w" in res["LegT, N = 4, derived (Su)"]
