r"""The one-step quadratic model of an optimiser step and small SymPy helpers for deriving from it.

For an update \(w\leftarrow w-\eta\tilde\varphi\) the second-order model of the expected loss is

\[\mathbb E[L(w-\eta\tilde\varphi)]-L(w)\approx-\eta\,\mathbb E[\tilde\varphi]^\top g+\tfrac12\eta^2\,
\mathrm{tr}(\mathbb E[\tilde\varphi\tilde\varphi^\top]H),\]

a quadratic in \(\eta\) whose stationary point is the one-step optimal learning rate
(McCandlish et al. 2018).  Used by ``batch_size_lr`` (SGD and SignSGD) and ``adam_epsilon``
(SoftSignSGD): :func:`stationary_point` solves \(\partial_\eta=0\) (linear in \(\eta\)),
:func:`solve_linear` any equation linear in one unknown, :func:`sym_vector` and
:func:`sym_matrix` build explicit symbolic vectors and symmetric matrices.
"""
from __future__ import annotations

import sympy as sp


def stationary_point(f, var):
    """The root of ``df/dvar = 0`` when that equation is linear in ``var`` (a quadratic ``f``),
    and ``d^2f/dvar^2``.  Raises if the stationarity equation is not linear."""
    p = sp.Poly(sp.diff(f, var), var)
    if p.degree() != 1:
        raise ValueError(f"d/d{var} = 0 is not linear in {var}")
    return sp.cancel(-p.coeff_monomial(1) / p.coeff_monomial(var)), sp.diff(f, var, 2)


def solve_linear(equation, var):
    """The solution of ``equation = 0`` (cleared of denominators), which must be linear in ``var``."""
    p = sp.Poly(sp.expand(sp.numer(sp.together(equation))), var)
    if p.degree() != 1:
        raise ValueError(f"equation is not linear in {var}")
    return sp.cancel(-p.coeff_monomial(1) / p.coeff_monomial(var))


def sym_vector(name, d, **assumptions):
    """The column \\((\\mathrm{name}_1,\\dots,\\mathrm{name}_d)^\\top\\) of symbols."""
    return sp.Matrix(sp.symbols(f"{name}1:{d + 1}", **assumptions))


def sym_matrix(name, d, **assumptions):
    """A symmetric d x d matrix of symbols ``name_ij`` (i <= j)."""
    s = {(i, j): sp.Symbol(f"{name}{i + 1}{j + 1}", **assumptions) for i in range(d) for j in range(i, d)}
    return sp.Matrix(d, d, lambda i, j: s[(min(i, j), max(i, j))])
