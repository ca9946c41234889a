"""derivations/hippo/legendre.py: the exact Legendre algebra and the derived matrices against the spec's
reference values, a float64 build and the state-spaces code."""
import numpy as np
import pytest
import sympy as sp

from derivations.hippo import legendre as L
from derivations.hippo import numerics as nm


def test_legendre_rows_are_rodrigues():
    assert L.legendre_rows(4) == ((1,), (0, 2), (-2, 0, 6), (0, -12, 0, 20))     # 2^n P_n
    s = sp.Symbol("s")
    assert sp.Poly(list(reversed(L.legendre_poly(7))), s) == sp.Poly(sp.legendre(7, s), s)


def test_inner_products_are_exact():
    G = L.gram_P(12)
    assert G == sp.diag(*[sp.Rational(2, 2 * n + 1) for n in range(12)])
    assert L.gram_g(6) == sp.eye(6)


def test_surd_is_sympys_canonical_form():
    assert L.surd(-1, 15) == -sp.sqrt(15) and L.surd(3, 12) == 6 * sp.sqrt(3)
    assert L.surd(sp.Rational(1, 2), 8, 2) == 2 and L.surd(0, 5) == 0


def test_legs_matrices_4_equal_the_spec():
    r3, r5, r7 = sp.sqrt(3), sp.sqrt(5), sp.sqrt(7)
    A_spec = sp.Matrix([[-1, 0, 0, 0], [-r3, -2, 0, 0], [-r5, -sp.sqrt(15), -3, 0], [-r7, -sp.sqrt(21), -sp.sqrt(35), -4]])
    A, B = L.legs_matrices(4)
    assert A == A_spec and B == sp.Matrix([1, r3, r5, r7]) and B.shape == (4, 1)
    As, Bs = L.legs_su(4)
    assert As == A_spec and Bs == sp.Matrix([sp.sqrt(2), sp.sqrt(6), sp.sqrt(10), sp.sqrt(14)])
    At, Bt = L.legt_su(4, 1)
    assert At == -sp.Matrix([[1, -r3, r5, -r7], [r3, 3, -sp.sqrt(15), sp.sqrt(21)],
                             [r5, sp.sqrt(15), 5, -sp.sqrt(35)], [r7, sp.sqrt(21), sp.sqrt(35), 7]])
    assert Bt == Bs and L.legt_su(4, L.w)[0] == At / L.w
    assert np.allclose(np.array(A.tolist(), dtype=float), nm.transition_float("legs", 4)[0], atol=1e-15)


def test_integer_forms_equal_the_spec():
    d = L.derived_integer_matrices(5)
    assert d["legs_A"] == [[-1, 0, 0, 0, 0], [-3, -2, 0, 0, 0], [-5, -5, -3, 0, 0], [-7, -7, -7, -4, 0],
                           [-9, -9, -9, -9, -5]]
    assert d["legt_A"] == [[-1, 1, -1, 1, -1], [-3, -3, 3, -3, 3], [-5, -5, -5, 5, -5], [-7, -7, -7, -7, 7],
                           [-9, -9, -9, -9, -9]]
    assert d["legs_B"] == d["legt_B"] == [1, 3, 5, 7, 9]
    D = np.diag([(-1) ** n for n in range(5)])
    lmu = D @ np.array(d["legt_A"], dtype=float) @ D
    assert lmu.tolist() == [[-1, -1, -1, -1, -1], [3, -3, -3, -3, -3], [-5, 5, -5, -5, -5], [7, -7, 7, -7, -7],
                            [-9, 9, -9, 9, -9]]
    A, B = nm.transition_float("lmu", 5)
    assert np.array_equal(A, lmu) and B[:, 0].tolist() == [1, -3, 5, -7, 9]


def test_integer_form_at_n96_is_the_closed_form():
    """Beyond the claims' sizes (entry (n, k) does not depend on N): still exactly C8(b)."""
    d = L.derived_integer_matrices(96)
    assert all(d["legs_A"][n][k] == (-(2 * n + 1) if k < n else -(n + 1) if k == n else 0)
               for n in range(96) for k in range(96))
    assert all(d["dP"][n][k] == (2 if k < n and (n - k) % 2 else 0) for n in range(96) for k in range(96))
    assert d["P(-1)"] == [(-1) ** n for n in range(96)]


@pytest.mark.parametrize("N", [8, 64])
def test_exact_legs_agrees_with_the_float_construction(N):
    """An independent float64 quadrature build (numpy, polished Gauss-Legendre) of LegS and LegT against the
    exact derivation rounded to float64: relative max-norm gap within 1e-12 (N + 1 node sums of O(N) terms)."""
    A, B = (nm.surd_matrix_to_float(M) for M in L.legs_su(N))
    Af, Bf = nm.float_legs_matrices(N)
    assert np.abs(A - Af).max() <= 1e-12 * np.abs(A).max() and np.abs(B - Bf).max() <= 1e-12 * np.abs(B).max()
    A, B = (nm.surd_matrix_to_float(M) / 1.5 for M in L.legt_su(N, 1))
    Af, Bf = nm.float_legt_matrices(N, 1.5)
    assert np.abs(A - Af).max() <= 1e-12 * np.abs(A).max() and np.abs(B - Bf).max() <= 1e-12 * np.abs(B).max()


def test_legs_matrices_equal_the_code_formula():
    """Exact for N = 16 against T M T^{-1} of ``transition('legs')`` built with sp.sqrt; float64 at N = 64."""
    A, B = L.legs_matrices(16)
    code = sp.Matrix(16, 16, lambda n, k: sp.sqrt(2 * n + 1) * (-(2 * k + 1) if n > k else (-(n + 1) if n == k else 0))
                     / sp.sqrt(2 * k + 1))
    assert A == code and list(B) == [sp.sqrt(2 * n + 1) for n in range(16)]
    A, B = L.legs_matrices(64)
    Ac, Bc = nm.transition_float("legs", 64)
    assert np.abs(nm.surd_matrix_to_float(A) - Ac).max() <= 1e-12 * 127
    assert np.abs(nm.surd_matrix_to_float(B) - Bc).max() <= 1e-13


def test_u_equals_t_closed_form():
    T = L.T
    c = L.exact_projection("legs", (0, 1), 6)
    assert c == sp.Matrix([T / sp.sqrt(2), T / sp.sqrt(6), 0, 0, 0, 0])
    assert c / sp.sqrt(2) == sp.Matrix([T / 2, T / (2 * sp.sqrt(3)), 0, 0, 0, 0])   # paper normalization


def test_results_print_the_derived_matrices():
    from derivations.hippo.claims import results
    res = dict(results())
    assert sp.latex(L.legs_su(4)[0]) in res["LegS, N = 4, derived (Su)"]
    assert r"\sqrt{35}" in res["LegS, N = 4, derived, transition('legs', 4) convention"]
    assert "w" in res["LegT, N = 4, derived (Su)"]
