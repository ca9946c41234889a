r"""Exact moments of independent standard normals: \(\mathbb E[\mathrm{poly}(\zeta_1,\dots,\zeta_k)]\).

For independent \(\zeta_i\sim\mathcal N(0,1)\) a monomial factorises, and
\(\mathbb E[\zeta^k]=(k-1)!!\) for even \(k\), \(0\) for odd \(k\); by linearity this gives the
expectation of any polynomial in the \(\zeta_i\) whose coefficients are expressions in other
symbols (:func:`gaussian_expectation`).  A Gaussian \(x\sim\mathcal N(\mu,\sigma^2)\) is written
\(\mu+\sigma\zeta\) first.

Used by ``reflow`` (the conditional velocity of a Gaussian ReFlow), ``sid1`` and ``sid2``
(losses of the Gaussian distillation toy) and ``gflow`` (the Fisher information of a Gaussian).
"""
from __future__ import annotations

import sympy as sp


def normal_moment(k: int):
    r"""\(\mathbb E[\zeta^k]\) for \(\zeta\sim\mathcal N(0,1)\): \((k-1)!!\) for even \(k\ge0\), else 0."""
    if k < 0:
        raise ValueError("a moment has a nonnegative order")
    return sp.S.Zero if k % 2 else sp.factorial2(k - 1)


def gaussian_expectation(expr, normals):
    r"""\(\mathbb E[\mathrm{expr}]\) for a polynomial in the independent standard normals ``normals``,
    monomial by monomial.  Exact; the coefficients may be any expressions free of ``normals``.
    A term that is not a monomial in ``normals`` (\(e^\zeta\), \(\zeta^{1/2}\), \(1/\zeta\)) raises
    ``ValueError``."""
    normals = tuple(normals)
    total = []
    for term in sp.Add.make_args(sp.expand(expr)):
        coeff, part = term.as_independent(*normals, as_Add=False)
        powers = part.as_powers_dict()
        degrees = [sp.sympify(powers.get(n, 0)) for n in normals]
        if not all(k.is_Integer and k >= 0 for k in degrees) or \
                sp.Mul(*[n ** k for n, k in zip(normals, degrees)]) != part:
            raise ValueError(f"not a polynomial in {normals}: {term}")
        total.append(coeff * sp.Mul(*[normal_moment(int(k)) for k in degrees]))
    return sp.Add(*total)
