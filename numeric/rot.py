"""mpmath numerics for the rotation-trick derivation (:mod:`derivations.rot`) in dimension d (default 16).

Random vectors come from numpy ``default_rng(seed)`` as float64 and are then exact binary inputs at every
mpmath precision, so the two-precision rule applies.
"""
from __future__ import annotations

import mpmath
import numpy as np


def random_vectors(d=16, count=3, seed=0):
    return [list(v) for v in np.random.default_rng(seed).standard_normal((count, d))]


def _vec(v):
    return mpmath.matrix([mpmath.mpf(float(t)) for t in v])


def _norm(v):
    return mpmath.sqrt(mpmath.fsum(t**2 for t in v))


def rotation(z, q):
    """\\(R=I+2\\hat q\\hat z^\\top-(\\hat q+\\hat z)(\\hat q+\\hat z)^\\top/(1+\\cos\\theta)\\) and \\(G=\\frac{\\|q\\|}{\\|z\\|}R\\)."""
    z, q = _vec(z), _vec(q)
    zh, qh = z / _norm(z), q / _norm(q)
    cos = (zh.T * qh)[0]
    s = qh + zh
    R = mpmath.eye(len(z)) + 2 * qh * zh.T - (s * s.T) / (1 + cos)
    return R, (_norm(q) / _norm(z)) * R, zh, qh, cos


def householder(u):
    u = mpmath.matrix(u)
    return mpmath.eye(u.rows) - 2 * (u * u.T) / (u.T * u)[0]


def rotation_facts(z, q, w):
    """Values that must equal their targets: \\((R\\hat z,\\ R^\\top R,\\ \\det R,\\ Rw_\\perp,\\ Gz,\\ H(\\hat q)H(\\hat q+\\hat z))\\)
    against \\((\\hat q,\\ I,\\ 1,\\ w_\\perp,\\ q,\\ R)\\), where \\(w_\\perp\\) is \\(w\\) with its span\\(\\{z,q\\}\\) part removed."""
    R, G, zh, qh, _ = rotation(z, q)
    w = _vec(w)
    e2 = qh - (zh.T * qh)[0] * zh
    e2 = e2 / _norm(e2)
    w_perp = w - (zh.T * w)[0] * zh - (e2.T * w)[0] * e2
    lhs = (R * zh, R.T * R, mpmath.det(R), R * w_perp, G * _vec(z), householder(qh) * householder(qh + zh))
    rhs = (qh, mpmath.eye(len(zh)), mpmath.mpf(1), w_perp, _vec(q), R)
    return lhs, rhs


def _cos(a, b):
    return (a.T * b)[0] / (_norm(a) * _norm(b))


def gradient_facts(z, q, g):
    """For \\(\\nabla_zL=G^\\top g\\): \\((\\cos\\angle(\\nabla_zL,z),\\ \\|\\nabla_zL\\|,\\ \\cos\\angle(\\nabla_zL,g))\\) and the claimed
    \\((\\cos\\angle(g,q),\\ \\frac{\\|q\\|}{\\|z\\|}\\|g\\|,\\ 1-(1-\\cos\\theta)\\|Pg\\|^2/\\|g\\|^2)\\)."""
    R, G, zh, qh, cos = rotation(z, q)
    g, zv, qv = _vec(g), _vec(z), _vec(q)
    grad = G.T * g
    e2 = qh - cos * zh
    e2 = e2 / _norm(e2)
    pg2 = (zh.T * g)[0] ** 2 + (e2.T * g)[0] ** 2
    lhs = (_cos(grad, zv), _norm(grad), _cos(grad, g))
    rhs = (_cos(g, qv), _norm(qv) / _norm(zv) * _norm(g), 1 - (1 - cos) * pg2 / _norm(g) ** 2)
    return lhs, rhs, cos

