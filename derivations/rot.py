r"""The rotation trick: a generalisation of the straight-through estimator for VQ.

Post: Su Jianlin, 《VQ的旋转技巧：梯度直通估计的一般推广》 ("The rotation trick for VQ: a general extension of the
straight-through estimator"), Scientific Spaces, 2024-10-24, https://kexue.fm/archives/10489.
Builds on: Fifty et al., "Restructuring Vector Quantization with the Rotation Trick", arXiv:2410.06424 (ICLR 2025).
Spec: ``shared/spec/catalog.md``, cards rot-C1, rot-C2.

Main results
------------
* ``C1.rotation``: \(R\hat z=\hat q\), \(R^\top R=I\), \(\det R=1\), \(R\) fixes \(\mathrm{span}\{z,q\}^\perp\), \(R=H(\hat q)H(\hat q+\hat z)\),
  \(Gz=q\) (proved in 3-D; oracle: the general formulas in \(\mathbb R^8\)).
* ``C2.ste``: \(z_q=\mathrm{sg}[G]z+\mathrm{sg}[q-Gz]\) has value \(q\) and gradient \(G^\top g\) (proved).
* ``C2.angle-and-norm``: \(\angle(\nabla_zL,z)=\angle(g,q)\), \(\|\nabla_zL\|=\frac{\|q\|}{\|z\|}\|g\|\) (proved; oracle in \(\mathbb R^{16}\)).
* ``C2.gradient-angle-bound``: \(\cos\angle(\nabla_zL,g)\ge\cos\theta\), equality iff \(g\in\mathrm{span}\{z,q\}\) (proved, certificate).
* ``C2.reference``: \(z=(3,4,0)\), \(q=(1,0,1)\), \(g=e_1\) in surds and the card's decimals (certified).

Hypotheses
----------
* \(z,q\ne0\), \(\cos\theta\ne-1\) (control ``N1.antipodal``: no continuous extension to \(\theta=\pi\)). Symbolic proofs in 3-D with
  \(\hat z=e_1\), \(\hat q=(\cos\theta,\sin\theta,0)\), \(\theta=2\arctan t\) (the general case reduces to it by an orthogonal change
  of basis, which the oracles exercise in \(d=8,16\)).

Notation
--------
\(\hat z=z/\|z\|\), \(\hat q=q/\|q\|\), \(\cos\theta=\hat z\cdot\hat q\), \(R=I+2\hat q\hat z^\top-\frac{(\hat q+\hat z)(\hat q+\hat z)^\top}{1+\cos\theta}\),
\(G=\frac{\|q\|}{\|z\|}R\), \(H(u)=I-2uu^\top/\|u\|^2\), \(g=\nabla_qL\), \(P\) the projector onto \(\mathrm{span}\{z,q\}\).

Errata
------
* ``E1.same-angle``: the post's "the two gradients make the same angle as \(q\) and \(z\)" holds only for
  \(g\in\mathrm{span}\{z,q\}\): \(\cos\angle(\nabla_zL,g)=1-(1-\cos\theta)\|Pg\|^2/\|g\|^2\).
"""
from __future__ import annotations

from functools import partial

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Erratum, Figure, Identity, Inequality, Oracle, claim,
                                control, positive, real, stated)
from derivations.engine.symbolic import cancel_

t = sp.Symbol("t", real=True)                    # theta = 2 arctan t: every angle except pi
COS, SIN = (1 - t**2) / (1 + t**2), 2 * t / (1 + t**2)
E = [sp.eye(3)[:, k] for k in range(3)]
ZH = E[0]                                        # WLOG z-hat = e1, q-hat in the e1-e2 plane
QH = sp.Matrix([COS, SIN, 0])
rho_z, rho_q = sp.symbols("rho_z rho_q", positive=True)
a, b, c = sp.symbols("a b c", real=True)
g = sp.Matrix([a, b, c])
DOM = {t: real(-3, 3), a: real(-2, 2), b: real(-2, 2), c: real(-2, 2), rho_z: positive(3), rho_q: positive(3)}


def rotation(zh, qh, inv_one_plus_cos):
    r"""\(R=I+2\hat q\hat z^\top-(\hat q+\hat z)(\hat q+\hat z)^\top/(1+\cos\theta)\), given \(1/(1+\cos\theta)\)."""
    s = qh + zh
    return sp.eye(zh.rows) + 2 * qh * zh.T - s * s.T * inv_one_plus_cos


def householder(u):
    r"""\(H(u)=I-2uu^\top/\|u\|^2\)."""
    return sp.eye(u.rows) - 2 * u * u.T / (u.T * u)[0]


# entries put in rational normal form once (an exact rewrite), so the proofs below work on small fractions
R = rotation(ZH, QH, 1 / (1 + COS)).applyfunc(sp.cancel)


def _flat(*mats):
    return sp.Matrix([x for m in mats for x in (m if isinstance(m, sp.MatrixBase) else [m])])


def _norm(v):
    return mpmath.sqrt(mpmath.fsum(x ** 2 for x in v))


def mp_rotation(z, q):
    r"""\(R=I+2\hat q\hat z^\top-(\hat q+\hat z)(\hat q+\hat z)^\top/(1+\cos\theta)\), \(G=\frac{\|q\|}{\|z\|}R\), \(\hat z\), \(\hat q\) in
    any dimension (mpmath column vectors at the working precision)."""
    zh, qh = z / _norm(z), q / _norm(q)
    cos = (zh.T * qh)[0]
    s = qh + zh
    R = mpmath.eye(z.rows) + 2 * qh * zh.T - (s * s.T) / (1 + cos)
    return R, (_norm(q) / _norm(z)) * R, zh, qh


def mp_householder(u):
    r"""\(H(u)=I-2uu^\top/\|u\|^2\) (mpmath)."""
    return mpmath.eye(u.rows) - 2 * (u * u.T) / (u.T * u)[0]


def orthonormal_frame(d, k, seed=0):
    r"""A \(d\times k\) matrix with orthonormal columns at the working precision: the Q factor (mpmath ``qr``) of a
    standard normal draw (numpy ``default_rng(seed)``, exact binary inputs)."""
    Q, _ = mpmath.qr(mpmath.matrix(np.random.default_rng(seed).standard_normal((d, k)).tolist()))
    return Q[:, :k]


def _embedded(facts, point, d=8):
    r"""The 3-D statement's lhs at ``point`` computed in \(\mathbb R^d\): \(z=\rho_ze_1\), \(q=\rho_q(\cos\theta,\sin\theta,0)\) and
    \(g=(a,b,c)\) are embedded by a random orthonormal 3-frame \(U\) (numpy seed 0, orthonormalised by mpmath's QR at the
    working precision), ``facts`` evaluates the general-\(d\) formulas in mpmath, and the results are mapped back by
    \(U^\top\): an implementation independent of the 3-D SymPy matrices."""
    p = {"rho_z": mpmath.mpf(1), "rho_q": mpmath.mpf(1), **{k.name: mpmath.mpf(v) for k, v in point.items()}}
    U = orthonormal_frame(d, 3)
    cos, sin = (1 - p["t"] ** 2) / (1 + p["t"] ** 2), 2 * p["t"] / (1 + p["t"] ** 2)
    lift = lambda v: U * mpmath.matrix(v)  # noqa: E731
    z, q = lift([p["rho_z"], 0, 0]), lift([p["rho_q"] * cos, p["rho_q"] * sin, 0])
    return mpmath.matrix(facts(U, z, q, p))


def _rotation_lhs(U, z, q, p):
    R, G, zh, qh = mp_rotation(z, q)
    e3 = U[:, 2]
    H = mp_householder(qh) * mp_householder(qh + zh)
    back = lambda M: U.T * M * U  # noqa: E731
    return [*(U.T * (R * zh)), *back(R.T * R), mpmath.det(R), *(U.T * (R * e3)), *back(H), *(U.T * (G * z))]


def _angle_norm_lhs(U, z, q, p):
    R, G, zh, qh = mp_rotation(z, q)
    g = U * mpmath.matrix([p["a"], p["b"], p["c"]])
    Rg, Gg = R.T * g, G.T * g
    return [(Rg.T * zh)[0], (Rg.T * Rg)[0], (Gg.T * Gg)[0]]


def _cos_grad_lhs(U, z, q, p):
    R, *_ = mp_rotation(z, q)
    g = U * mpmath.matrix([p["a"], p["b"], p["c"]])
    return [((R.T * g).T * g)[0] / (g.T * g)[0]]


@claim("C1.rotation", r"R\hat z=\hat q,\ R^\top R=I,\ \det R=1,\ Rw=w\ (w\perp z,q),\ R=H(\hat q)H(\hat q+\hat z),\ Gz=q",
       hypotheses=(r"\cos\theta\ne-1",), strategies=(cancel_,),
       oracles=(Oracle("the general-d formulas in R^8 (mpmath), embedded by a random frame", partial(_embedded, _rotation_lhs)),))
def rotation_claim():
    r"""The plane rotation in \(\mathrm{span}\{z,q\}\) written as two Householder reflections. Proved in 3-D with
    \(\hat z=e_1\), \(\hat q=(\cos\theta,\sin\theta,0)\) (rational in \(t=\tan\frac\theta2\); the general case reduces to it by an
    orthogonal change of basis, which the oracle exercises in \(d=8\)). The rational normal form is the one rewrite that
    works here (tried first: ``expand`` is slow on these rational functions of \(t\))."""
    G = rho_q / rho_z * R
    return Identity(_flat(R * ZH, R.T * R, R.det(), R * E[2], householder(QH) * householder(QH + ZH), G * (rho_z * ZH)),
                    _flat(QH, sp.eye(3), 1, E[2], R, rho_q * QH), DOM, points=2)


@control("N1.single-reflection", r"H(\hat q-\hat z)\hat z=\hat q\ \text{and}\ \det H(\hat q-\hat z)=1\quad(\hat q=(\tfrac35,\tfrac45,0))")
def single_reflection():
    r"""One reflection also maps \(\hat z\) to \(\hat q\), but it is not a rotation: \(\det=-1\)."""
    qh = QH.subs(t, sp.Rational(1, 2))             # q-hat = (3/5, 4/5, 0): a concrete counterexample
    H = householder(qh - ZH)
    return Identity(_flat(H * ZH, H.det()), _flat(qh, 1))


@control("N1.no-denominator", r"R'=I+2\hat q\hat z^\top-(\hat q+\hat z)(\hat q+\hat z)^\top\ \text{is orthogonal}", symbolic=False)
def no_denominator():
    r"""Dropping \(1/(1+\cos\theta)\) breaks orthogonality."""
    s = QH + ZH
    Rp = sp.eye(3) + 2 * QH * ZH.T - s * s.T
    return Identity(Rp.T * Rp, sp.eye(3), DOM, points=2)


u = sp.Symbol("u", positive=True)


def _limit_u0(M):
    r"""Entrywise limit \(u\to0^+\) of rational functions (\(t=1/u\to\infty\), i.e. \(\theta\to\pi\))."""
    out = sp.zeros(*M.shape)
    for k, e in enumerate(M):
        p, d = (sp.Poly(x, u) for x in sp.fraction(sp.cancel(sp.together(e))))
        (i, ci), (j, cj) = (min(x.terms(), key=lambda m: m[0]) for x in (p, d))
        out[k] = ci / cj if i == j else 0
    return out


@control("N1.antipodal", r"\lim_{\hat q\to-\hat z}R\ \text{exists (the formula extends to }\theta=\pi)")
def antipodal():
    r"""\(\theta=\pi\) must be rejected: approaching \(\hat q=-\hat z\) in the \(e_1e_2\) plane gives \(\mathrm{diag}(-1,-1,1)\), in the
    \(e_1e_3\) plane \(\mathrm{diag}(-1,1,-1)\) (the rotation plane is undetermined)."""
    q12 = QH.subs(t, 1 / u)
    q13 = sp.Matrix([COS, 0, SIN]).subs(t, 1 / u)
    R12 = rotation(ZH, q12, 1 / (1 + COS.subs(t, 1 / u)))
    R13 = rotation(ZH, q13, 1 / (1 + COS.subs(t, 1 / u)))
    return Identity(_limit_u0(R12), _limit_u0(R13))


# ----------------------------------------------------------------------------- C2 gradients

Gq = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"G{i}{j}", real=True))
zv = sp.Matrix(sp.symbols("z1:4", real=True))
qv = sp.Matrix(sp.symbols("q1:4", real=True))
z0 = sp.Matrix(sp.symbols("zeta1:4", real=True))   # the stopped copy of z


@claim("C2.ste", r"z_q=\mathrm{sg}[G]z+\mathrm{sg}[q-Gz]:\ \ z_q=q,\quad\frac{\partial z_q}{\partial z}=G\ \Rightarrow\ \nabla_zL=G^\top g")
def ste():
    r"""Stop-gradients are constants for differentiation: with the stopped copy \(\zeta\) of \(z\), \(z_q=Gz+(q-G\zeta)\), whose
    value at \(\zeta=z\) is \(q\) and whose Jacobian in \(z\) is \(G\) (the STE is \(G=I\))."""
    zq = Gq * zv + (qv - Gq * z0)
    return Identity(_flat(zq.subs(dict(zip(z0, zv))), zq.jacobian(zv)), _flat(qv, Gq),
                    {s: real(-2, 2) for s in (*Gq, *zv, *qv, *z0)}, points=2)


GRAD = (rho_q / rho_z) * R.T * g                 # nabla_z L for the rotation G


def _sq(v):
    return (v.T * v)[0]


@claim("C2.angle-and-norm", r"\langle\nabla_zL,\hat z\rangle/\|\nabla_zL\|=\langle g,\hat q\rangle/\|g\|,\quad\|\nabla_zL\|=\frac{\|q\|}{\|z\|}\|g\|",
       uses=("C1.rotation", "C2.ste"), strategies=(cancel_,),
       oracles=(Oracle("the general-d formulas in R^16 (mpmath), embedded by a random frame",
                       partial(_embedded, _angle_norm_lhs, d=16)),))
def angle_and_norm():
    r"""\(\langle R^\top g,\hat z\rangle=\langle g,R\hat z\rangle=\langle g,\hat q\rangle\) and \(\|R^\top g\|=\|g\|\) (orthogonality), so
    (i) \(\angle(\nabla_zL,z)=\angle(g,q)\) exactly and (ii) \(\|\nabla_zL\|=\frac{\|q\|}{\|z\|}\|g\|\)."""
    return Identity(_flat((R.T * g).dot(ZH), _sq(R.T * g), _sq(GRAD)),
                    _flat(g.dot(QH), _sq(g), (rho_q / rho_z) ** 2 * _sq(g)), DOM, points=2)


COS_GRAD = (R.T * g).dot(g) / _sq(g)             # cos angle(nabla_z L, g) (the positive factor cancels)


@claim("C2.gradient-angle-bound", r"\langle\nabla_zL,g\rangle\ge\cos\theta\,\|\nabla_zL\|\|g\|\ \text{(i.e. }\angle(\nabla_zL,g)\le\theta),\ "
       r"\text{equality iff }g\in\mathrm{span}\{z,q\}",
       uses=("E1.corrected-angle",))
def gradient_angle_bound():
    r"""From the exact formula: \(\cos\angle(\nabla_zL,g)-\cos\theta=(1-\cos\theta)\,\|(I-P)g\|^2/\|g\|^2\ge0\), with
    \(1-\cos\theta=2t^2/(1+t^2)\): the rotated gradient turns by at most \(\theta\)."""
    # multiplied through by ||g||^2 > 0 so that the certificate is manifestly nonnegative
    return Inequality((R.T * g).dot(g), ">=", COS * _sq(g), DOM, certificate=2 * t**2 / (1 + t**2) * c**2, points=4)


@claim("E1.post-same-angle", r"\angle(\nabla_zL,\nabla_qL)=\theta\ \text{for every }g", symbolic=False)
def post_same_angle():
    r"""The post's sentence: the two gradients make the same angle as \(q\) and \(z\)."""
    return Identity(COS_GRAD, COS, DOM, points=3)


@claim("E1.corrected-angle", r"\cos\angle(\nabla_zL,g)=1-(1-\cos\theta)\frac{\|Pg\|^2}{\|g\|^2},\ P\ \text{the projector onto span}\{z,q\}",
       uses=("C1.rotation",), strategies=(cancel_,),
       oracles=(Oracle("the general-d formulas in R^16 (mpmath), embedded by a random frame",
                       partial(_embedded, _cos_grad_lhs, d=16)),))
def corrected_angle():
    r"""\(R\) rotates only the in-plane part \(Pg\) (by \(\theta\)) and fixes \((I-P)g\):
    \(\langle R^\top g,g\rangle=\cos\theta\|Pg\|^2+\|(I-P)g\|^2\). The angle is \(\theta\) only for in-plane \(g\) (\(c=0\) here);
    for \(g\perp\mathrm{span}\{z,q\}\) the gradient is not rotated at all."""
    return Identity(COS_GRAD, 1 - (1 - COS) * (a**2 + b**2) / _sq(g), DOM, points=2)


# ----------------------------------------------------------------------------- reference

Z_REF, Q_REF = sp.Matrix([3, 4, 0]), sp.Matrix([1, 0, 1])


def _reference_gradient():
    zh, qh = Z_REF / 5, Q_REF / sp.sqrt(2)
    cos = zh.dot(qh)                                # 3 sqrt(2)/10
    inv = (1 - cos) / (1 - cos**2)                  # 1/(1+cos) with a rational denominator (cos^2 = 9/50)
    G = (sp.sqrt(2) / 5 * rotation(zh, qh, inv)).applyfunc(sp.expand)
    return zh, qh, G, G.T * E[0]


@claim("C2.reference", r"z=(3,4,0),\ q=(1,0,1):\ \cos\theta=\tfrac{3\sqrt2}{10},\ G^\top e_1=\big(\tfrac3{41}+\tfrac{16\sqrt2}{205},"
       r"\tfrac8{41}-\tfrac{12\sqrt2}{205},-\tfrac3{41}-\tfrac{16\sqrt2}{205}\big),\ \|\nabla_zL\|=\tfrac{\sqrt2}5,\ \cos\angle(\nabla_zL,z)=\tfrac1{\sqrt2}",
       uses=("C2.angle-and-norm",))
def reference():
    r"""The cards' example with \(g=e_1\), in exact surds, and the decimals the card prints (\(\cos\theta=0.42426406871192851464\),
    \(G^\top e_1=(0.18354837559985132088,\ 0.11233871830011150934,\ -0.18354837559985132088)\),
    \(\|\nabla_zL\|=0.28284271247461900976\)) to their printed digits."""
    zh, qh, G, grad = _reference_gradient()
    r2 = sp.sqrt(2)
    # norms and cosines compared through their squares (both sides are positive)
    lhs = _flat(zh.dot(qh), grad, _sq(grad), grad.dot(Z_REF) ** 2 / (_sq(grad) * 25))
    rhs = _flat(3 * r2 / 10, sp.Matrix([sp.Rational(3, 41) + 16 * r2 / 205, sp.Rational(8, 41) - 12 * r2 / 205,
                                         -sp.Rational(3, 41) - 16 * r2 / 205]), sp.Rational(2, 25), sp.Rational(1, 2))
    printed = (("cos theta", zh.dot(qh), "0.42426406871192851464"), *(
        (f"G^T e1 entry {i + 1}", grad[i], v) for i, v in
        enumerate(("0.18354837559985132088", "0.11233871830011150934", "-0.18354837559985132088"))),
        ("|grad_z L|", sp.sqrt(_sq(grad)), "0.28284271247461900976"))
    return All((Identity(lhs, rhs), *(Approximation(e, stated(v)) for _, e, v in printed)),
               ("surds", *(name for name, _, _ in printed)))


@control("N2.inverted-norm", r"\|\nabla_zL\|=\frac{\|z\|}{\|q\|}\|g\|\quad(z=(3,4,0),\ q=(1,0,1),\ g=e_1)")
def inverted_norm():
    r"""The inverted ratio: \(5/\sqrt2\) against the true \(\sqrt2/5\) (compared through squares: 25/2 vs 2/25)."""
    *_, grad = _reference_gradient()
    return Identity(sp.expand(_sq(grad)), sp.Rational(25, 2))


def draw_gradient_angle(fig):
    r"""\(\cos\angle(\nabla_zL,g)\) against the in-plane share \(\|Pg\|^2/\|g\|^2\) for random \(g\) in \(d=16\) (one random \(z,q\),
    numpy seed 0): the exact line of E1.corrected-angle, and the post's \(\cos\theta\), reached only at share 1."""
    rng = np.random.default_rng(0)
    z, q = rng.standard_normal(16), rng.standard_normal(16)
    with mpmath.workdps(20):
        R, *_ = mp_rotation(mpmath.matrix(z.tolist()), mpmath.matrix(q.tolist()))
        Rf = np.array(R.tolist(), dtype=float)
    basis, _ = np.linalg.qr(np.stack([z, q], axis=1))
    cos = float(z @ q / np.linalg.norm(z) / np.linalg.norm(q))
    g = rng.standard_normal((400, 16)) * rng.uniform(0, 1, (400, 1)) ** 2 + (basis @ rng.standard_normal((2, 400))).T
    share = np.sum((g @ basis) ** 2, axis=1) / np.sum(g * g, axis=1)
    measured = np.sum((g @ Rf) * g, axis=1) / np.sum(g * g, axis=1)
    ax = fig.add_subplot(1, 1, 1)
    f = np.linspace(0, 1, 50)
    ax.plot(f, 1 - (1 - cos) * f, "-", color="#1a7f37", lw=3, alpha=0.5,
            label=r"$1-(1-\cos\theta)\,\|Pg\|^2/\|g\|^2$ (E1, corrected)")
    ax.plot(share, measured, "o", ms=2.5, color="#0550ae", label=r"random $g$: $\langle R^\top g,g\rangle/\|g\|^2$")
    ax.axhline(cos, color="#cf222e", ls="--", lw=1.2, label=rf"the post: $\cos\theta={cos:.3f}$ for every $g$")
    ax.set_xlabel(r"in-plane share of the gradient $\|Pg\|^2/\|g\|^2$")
    ax.set_ylabel(r"$\cos\angle(\nabla_zL,\nabla_qL)$")
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(alpha=0.3)


DERIVATION = Derivation(
    slug="rot",
    title="The rotation trick: generalising the straight-through estimator",
    source="https://kexue.fm/archives/10489",
    date="2024-10-24",
    summary="The Householder-pair rotation taking z to q, the gradient it passes back, and what it preserves.",
    claims=(rotation_claim, ste, angle_and_norm, gradient_angle_bound, reference),
    controls=(single_reflection, no_denominator, antipodal, inverted_norm),
    errata=(Erratum("E1.same-angle", post_says=post_same_angle, correct=corrected_angle,
                    note="true only for g in span{z, q}"),),
    figures=(Figure("gradient-angle", r"The rotation trick turns the gradient by at most $\theta$: the cosine between "
                    r"$\nabla_zL=G^\top g$ and $g$ falls linearly in the share of $g$ lying in span$\{z,q\}$ "
                    r"(C2.gradient-angle-bound, E1.corrected-angle; random $z,q,g$ in $d=16$). The post's 'same angle as "
                    r"$q$ and $z$' is the right end only.",
                    draw_gradient_angle),),
)
