r"""SimVQ: a linear map on the VQ codebook makes one SGD step move every code.

Post: Su Jianlin, 《VQ的又一技巧：给编码表加一个线性变换》 ("Another VQ trick: a linear map on the codebook"), Scientific
Spaces, 2024-11-06, https://kexue.fm/archives/10519.
Builds on: Zhu et al., "Addressing Representation Collapse in Vector Quantized Models with One Linear Layer" (SimVQ),
arXiv:2411.02038.
Spec: ``shared/spec/catalog.md``, card simvq-C1.

Main results
------------
* ``C1.gradients``: \(\partial L/\partial Q=GW^\top\), \(\partial L/\partial W=Q^\top G\) (proved; oracle: numerical
  differentiation of \(\langle G,QW\rangle\)).
* ``C1.sgd-step``: one SGD step on \((Q,W)\) gives exactly \(E'=E-\eta(GW^\top W+QQ^\top G)+\eta^2GW^\top Q^\top G\) (proved).
* ``C1.unused-code``: an unused code moves by \(-\eta\,q_iQ^\top G\) (plain VQ: not at all); with \(Q\) frozen
  \(e_i'=q_i(W-\eta Q^\top G)\) (proved).
* ``C1.reference``: the card's step with \(Q=(e_0,e_1,e_0+e_1)\), \(W=I\), \(\eta=\frac1{10}\) (proved, exact rationals).

Hypotheses
----------
* Codebook \(E=QW\); \(G=\partial L/\partial E\) with row \(g_i=0\) for a code unused in the batch. Symbolic checks with
  \(K=3\), \(d_q=d=2\) and generic symbols. The utilisation benefits are empirical and not checked.

Notation
--------
\(Q\in\mathbb R^{K\times d_q}\) (rows \(q_i\)), \(W\in\mathbb R^{d_q\times d}\), \(e_i=q_iW\), \(\eta\) the learning rate.

Errata
------
None (the post writes the first-order step with "≈"; the exact step adds \(\eta^2GW^\top Q^\top G\), control
``N1.first-order-exact``).
"""
from __future__ import annotations

import mpmath
import sympy as sp

from derivations.engine import Derivation, Identity, Oracle, claim, control, real

K, DQ, D = 3, 2, 2
Q = sp.Matrix(K, DQ, lambda i, j: sp.Symbol(f"q{i}{j}", real=True))
W = sp.Matrix(DQ, D, lambda i, j: sp.Symbol(f"w{i}{j}", real=True))
G = sp.Matrix(K, D, lambda i, j: sp.Symbol(f"g{i}{j}", real=True))
eta = sp.Symbol("eta", real=True)
DOM = {s: real(-2, 2) for s in (*Q, *W, *G, eta)}


def _flat(*mats):
    return sp.Matrix([x for m in mats for x in m])


def _numerical_gradients(point):
    r"""\(\partial L/\partial Q\) and \(\partial L/\partial W\) (stacked as in the statement) by mpmath's numerical
    differentiation of \(L(Q,W)=\langle G,QW\rangle\), the loss whose gradient in \(E\) is \(G\) at the point: an
    implementation independent of the chain-rule formula."""
    num = {k: mpmath.mpf(v) for k, v in point.items()}
    Qv, Wv, Gv = ([[num[M[i, j]] for j in range(M.cols)] for i in range(M.rows)] for M in (Q, W, G))

    def loss(Qm, Wm):
        return mpmath.fsum(Gv[a][b] * mpmath.fsum(Qm[a][c] * Wm[c][b] for c in range(DQ))
                           for a in range(K) for b in range(D))

    def partial(which, i, j):
        def f(x):
            Qm, Wm = [row[:] for row in Qv], [row[:] for row in Wv]
            (Qm if which == "Q" else Wm)[i][j] = x
            return loss(Qm, Wm)
        return mpmath.diff(f, (Qv if which == "Q" else Wv)[i][j])

    rows = [partial("Q", i, j) for i in range(K) for j in range(DQ)] + [partial("W", i, j) for i in range(DQ) for j in range(D)]
    return mpmath.matrix(rows)


def _chain(P):
    r"""\(\partial L/\partial P_{ab}=\sum_{jl}G_{jl}\,\partial E_{jl}/\partial P_{ab}\) for \(E=QW\) (the chain rule with a generic \(G\))."""
    E = Q * W
    return P.applyfunc(lambda p: sum(G[j, l] * sp.diff(E[j, l], p) for j in range(K) for l in range(D)))


@claim("C1.gradients", r"\frac{\partial L}{\partial Q}=GW^\top,\quad\frac{\partial L}{\partial W}=Q^\top G",
       oracles=(Oracle("numerical differentiation of <G, QW> (mpmath.diff)", _numerical_gradients),))
def gradients():
    r"""Chain rule through the bilinear map \(E=QW\): \(dL=\langle G,dQ\,W\rangle+\langle G,Q\,dW\rangle\). Proved with a generic
    \(G\) (\(K=3\), \(d_q=d=2\)); oracle: numerical differentiation of \(\langle G,QW\rangle\)."""
    return Identity(_flat(_chain(Q), _chain(W)), _flat(G * W.T, Q.T * G), DOM, points=2)


E_NEW = (Q - eta * G * W.T) * (W - eta * Q.T * G)


@claim("C1.sgd-step", r"E'=(Q-\eta GW^\top)(W-\eta Q^\top G)=E-\eta(GW^\top W+QQ^\top G)+\eta^2GW^\top Q^\top G",
       uses=("C1.gradients",))
def sgd_step():
    r"""Expand the product of the two updated factors: the post's first-order formula (written with '≈') plus the exact
    second-order term."""
    return Identity(E_NEW, Q * W - eta * (G * W.T * W + Q * Q.T * G) + eta**2 * G * W.T * Q.T * G, DOM, points=2)


G_UNUSED = G.copy()
G_UNUSED[0, :] = sp.zeros(1, D)


@claim("C1.unused-code", r"g_i=0:\ e_i'-e_i=-\eta\,q_iQ^\top G=-\eta\,q_i\sum_jq_j^\top g_j;\quad Q\ \text{frozen}:\ e_i'=q_i(W-\eta Q^\top G)",
       uses=("C1.sgd-step",))
def unused_code():
    r"""Row \(i\) of \(GW^\top W\) and of \(GW^\top Q^\top G\) vanishes with \(g_i\), so an unused code moves by exactly
    \(-\eta q_iQ^\top G\) (in plain VQ, \(E\) itself is the parameter and the row does not move); with \(Q\) frozen
    (SimVQ's default) only \(W\) is updated."""
    Enew = E_NEW.subs(dict(zip(G, G_UNUSED)))
    Q_frozen = Q * (W - eta * Q.T * G_UNUSED)
    return Identity(_flat(Enew[0, :] - (Q * W)[0, :], Q_frozen[0, :]),
                    _flat(-eta * Q[0, :] * Q.T * G_UNUSED, Q[0, :] * (W - eta * Q.T * G_UNUSED)), DOM, points=2)


Q_REF = sp.Matrix([[1, 0], [0, 1], [1, 1]])
G_REF = sp.Matrix([[1, 2], [0, 0], [0, 0]])
ETA_REF = sp.Rational(1, 10)


def _step(Qm, Wm, Gm, h):
    return (Qm - h * Gm * Wm.T) * (Wm - h * Qm.T * Gm)


@claim("C1.reference", r"Q=\left(\begin{smallmatrix}1&0\\0&1\\1&1\end{smallmatrix}\right),W=I,G=\left(\begin{smallmatrix}1&2\\0&0\\0&0\end{smallmatrix}\right),"
       r"\eta=\tfrac1{10}:\ E'=\left(\begin{smallmatrix}81/100&-19/50\\0&1\\9/10&4/5\end{smallmatrix}\right)",
       uses=("C1.sgd-step",))
def reference():
    r"""Code 1 stays (\(q_1\perp q_0\)); code 2 moves although unused; plain VQ (\(E\leftarrow E-\eta G\)) gives
    \(\left(\begin{smallmatrix}9/10&-1/5\\0&1\\1&1\end{smallmatrix}\right)\)."""
    E_new = _step(Q_REF, sp.eye(2), G_REF, ETA_REF)
    plain = Q_REF - ETA_REF * G_REF
    return Identity(_flat(E_new, plain),
                    _flat(sp.Matrix([[sp.Rational(81, 100), -sp.Rational(19, 50)], [0, 1], [sp.Rational(9, 10), sp.Rational(4, 5)]]),
                          sp.Matrix([[sp.Rational(9, 10), -sp.Rational(1, 5)], [0, 1], [1, 1]])))


@control("N1.first-order-exact", r"E'=E-\eta(GW^\top W+QQ^\top G)\ \text{exactly (reference data)}")
def first_order_exact():
    r"""Treating the first-order formula as exact misses \(\eta^2GW^\top Q^\top G\ne0\) (\(\frac1{100}\), \(\frac2{100}\) in row 0)."""
    W_ = sp.eye(2)
    return Identity(_step(Q_REF, W_, G_REF, ETA_REF), Q_REF * W_ - ETA_REF * (G_REF * W_.T * W_ + Q_REF * Q_REF.T * G_REF))


@control("N1.wrong-order", r"\frac{\partial L}{\partial W}=GQ^\top")
def wrong_order():
    r"""\(GQ^\top\) is \(K\times K\), not \(d_q\times d\): the wrong factor order cannot even be the gradient."""
    return Identity(_chain(W), G * Q.T, DOM)


DERIVATION = Derivation(
    slug="simvq",
    title="Another VQ trick: a linear map on the codebook (SimVQ)",
    source="https://kexue.fm/archives/10519",
    date="2024-11-06",
    summary="With E = QW one SGD step moves every code, including codes unused in the batch.",
    claims=(gradients, sgd_step, unused_code, reference),
    controls=(first_order_exact, wrong_order),
)
