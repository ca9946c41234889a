"""SimVQ (catalog card simvq-C1): every verdict, the controls' counterexamples, the card's reference step and the
float64 finite-difference check of the gradients."""
import numpy as np
import pytest
import sympy as sp
from expected import assert_verdicts, by_id

from derivations import simvq

SLUG = "simvq"
VERDICTS = {"C1.gradients": "proved", "C1.sgd-step": "proved", "C1.unused-code": "proved", "C1.reference": "proved"}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS)


def test_controls_are_refuted_by_what_they_get_wrong(verified):
    ctl = by_id(verified.negative_controls)
    assert "1/100" in ctl["N1.first-order-exact"].counterexample["text"]      # the eta^2 term
    assert "shapes" in ctl["N1.wrong-order"].counterexample["text"]          # G Q^T is K x K


def test_oracle_of_the_gradients_agrees(verified):
    (oracle,) = by_id(verified.claims)["C1.gradients"].oracles
    assert oracle["status"] == "agree" and oracle["name"].startswith("numerical differentiation")


def test_reference_step():
    E_new = simvq._step(simvq.Q_REF, sp.eye(2), simvq.G_REF, simvq.ETA_REF)
    assert E_new == sp.Matrix([[sp.Rational(81, 100), -sp.Rational(19, 50)], [0, 1], [sp.Rational(9, 10), sp.Rational(4, 5)]])
    assert E_new[1, :] == simvq.Q_REF[1, :]            # q_1 is orthogonal to q_0: code 1 stays
    assert E_new[2, :] != simvq.Q_REF[2, :]            # code 2 is unused (g_2 = 0) but moves
    assert simvq.Q_REF - simvq.ETA_REF * simvq.G_REF == sp.Matrix([[sp.Rational(9, 10), -sp.Rational(1, 5)], [0, 1], [1, 1]])


def test_float64_central_differences_on_a_nonlinear_loss():
    """The card's numeric check: L = sum C * tanh(QW), central differences (h = 1e-6, K=5, d_q=3, d=4, seed 0) against
    G W^T and Q^T G with G = C / cosh^2(QW), within the card's 1e-9."""
    rng = np.random.default_rng(0)
    Qn, Wn, C = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    loss = lambda q, w: float(np.sum(C * np.tanh(q @ w)))  # noqa: E731
    Gn = C / np.cosh(Qn @ Wn) ** 2
    h, worst = 1e-6, 0.0
    for P, grad, f in ((Qn, Gn @ Wn.T, lambda p: loss(p, Wn)), (Wn, Qn.T @ Gn, lambda p: loss(Qn, p))):
        for idx in np.ndindex(P.shape):
            up, dn = P.copy(), P.copy()
            up[idx] += h
            dn[idx] -= h
            worst = max(worst, abs((f(up) - f(dn)) / (2 * h) - grad[idx]))
    assert worst < 1e-9


def test_numerical_gradient_oracle_at_a_point():
    import mpmath
    point = {s: 0.25 * ((k % 7) - 3) for k, s in enumerate(simvq.DOM)}
    with mpmath.workdps(30):
        got = simvq._numerical_gradients(point)
        st = simvq.gradients.build()
        want = st.rhs.subs(point)
        assert max(abs(got[k] - float(want[k])) for k in range(len(want))) < 1e-20
