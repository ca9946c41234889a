r"""Exact Legendre algebra: the polynomials, their inner products, and the HiPPO matrices derived
from the projection definitions.

* :func:`legendre_rows`: integer coefficient rows of \(2^nP_n\) (Rodrigues' formula);
* :func:`inner_with_legendre`: \(\langle P_k,q_n\rangle=\int_{-1}^1P_kq_n\) for whole families of
  polynomials \(q_n\) by two exact integer matrix products (python-flint's ``fmpz_mat`` when it is
  installed, SymPy's ``DomainMatrix`` over ZZ otherwise);
* :func:`derived_integer_matrices`: LegS and LegT matrices from their definitions, in the
  integer-valued C8(b) scaling; :func:`legs_su`, :func:`legt_su`, :func:`legs_matrices`: the same
  unscaled exactly to the post's and the code's \(\sqrt{\cdot}\) forms (SymPy matrices of surds);
* :func:`gram_g`, :func:`exact_projection`: the Gram matrix of \(g_n=\sqrt{(2n+1)/2}\,P_n\) and the
  exact coefficients \(c_n(T)\) of polynomial inputs (from the monomial moments of \(P_n\)).

Nothing here uses a closed form of the post: the matrices are computed from the projection
integrals, so comparing them with the closed forms is a check of the post.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import sympy as sp

try:  # python-flint (optional): fast exact integer matrix products
    import flint
except ImportError:  # pragma: no cover - exercised only without python-flint
    flint = None


@lru_cache(maxsize=None)
def legendre_rows(N: int) -> tuple:
    r"""Integer coefficient rows of \(2^nP_n\) (ascending powers), \(n<N\), from Rodrigues' formula
    \(P_n=\frac1{2^nn!}\frac{d^n}{dx^n}(x^2-1)^n=2^{-n}\sum_j(-1)^j\binom nj\binom{2n-2j}nx^{n-2j}\)."""
    rows = []
    for n in range(N):
        row = [0] * (n + 1)
        for j in range(n // 2 + 1):
            row[n - 2 * j] = (-1) ** j * math.comb(n, j) * math.comb(2 * n - 2 * j, n)
        rows.append(tuple(row))
    return tuple(rows)


def legendre_poly(n: int) -> list:
    """\\(P_n\\) as a list of Fractions (ascending powers)."""
    return [Fraction(c, 2 ** n) for c in legendre_rows(n + 1)[n]]


def moment(j: int) -> Fraction:
    """\\(\\int_{-1}^1x^j\\,dx\\)."""
    return Fraction(2, j + 1) if j % 2 == 0 else Fraction(0)


def _odd_lcm(D: int) -> int:
    r"""\(\mathrm{lcm}(1,3,\dots,2D-1)\): makes \(L\int_{-1}^1x^{i+j}\) integral for \(i,j<D\)."""
    L = 1
    for j in range(1, 2 * D, 2):
        L = math.lcm(L, j)
    return L


def _int_matmul(A: list, B: list) -> list:
    """The exact product of two integer matrices given as lists of rows (python ints)."""
    if not A or not B or not B[0]:
        return [[0] * (len(B[0]) if B else 0) for _ in A]
    if flint is not None:
        P = flint.fmpz_mat(A) * flint.fmpz_mat(B)
        cols = P.ncols()
        flat = [int(v) for v in P.entries()]
        return [flat[i * cols:(i + 1) * cols] for i in range(P.nrows())]
    from sympy.polys.matrices import DomainMatrix
    P = DomainMatrix([[sp.ZZ(v) for v in r] for r in A], (len(A), len(A[0])), sp.ZZ) * \
        DomainMatrix([[sp.ZZ(v) for v in r] for r in B], (len(B), len(B[0])), sp.ZZ)
    return [[int(v) for v in r] for r in P.to_list()]


def inner_with_legendre(N: int, *families) -> tuple:
    r"""\(\langle P_k,q_n\rangle=\int_{-1}^1P_kq_n\) exactly for \(k<N\) and each family of polynomials
    \(q_n\) (integer coefficient rows, degree \(\le N\)), returned as ``(G_1, ..., L)`` with
    \(\langle P_k,q_n\rangle=G_{kn}/(2^kL)\) (each ``G`` a list of integer rows indexed ``[k][n]``).

    With \(L=\mathrm{lcm}(1,3,\dots,2N+1)\) the Hankel matrix \(H_{ij}=L\int x^{i+j}\) is integral,
    \(R=pH\) (\(p\) the rows of \(2^kP_k\)) and \(G=RQ^\top\).  Only monomials of the parity of \(k\)
    meet \(P_k\), so each product splits into two half-size ones; \(R\) is shared by every family.
    """
    D = N + 1
    L = _odd_lcm(D)
    p = [list(row) + [0] * (D - len(row)) for row in legendre_rows(N)]
    q_all = [list(row) + [0] * (D - len(row)) for Q in families for row in Q]
    out = [None] * N
    for par in (0, 1):
        ks, js = range(par, N, 2), range(par, D, 2)
        if not len(ks):
            continue
        H = [[2 * L // (i + j + 1) for j in js] for i in js]
        R = _int_matmul([[p[k][j] for j in js] for k in ks], H)
        G = _int_matmul(R, [[q_all[i][j] for i in range(len(q_all))] for j in js])
        for i, k in enumerate(ks):
            out[k] = G[i]
    results, start = [], 0
    for Q in families:
        results.append([row[start:start + len(Q)] for row in out])
        start += len(Q)
    return (*results, L)


def _ratio(num: int, den: int):
    """``num/den`` exactly: an int when it divides (the common case), else a Fraction."""
    q, r = divmod(num, den)
    return q if r == 0 else Fraction(num, den)


@lru_cache(maxsize=None)
def derived_integer_matrices(N: int) -> dict:
    r"""LegS and LegT matrices derived from the projection definitions, in the integer-valued C8(b)
    scaling \(\lambda_n=\sqrt{2/(2n+1)}\) (\(\tilde A=\Lambda^{-1}A\Lambda\), \(\tilde B=\Lambda^{-1}B\)):

    * LegS: \(A_{nk}=-\langle g_k,g_n+(s+1)g_n'\rangle\), \(B_n=2g_n(1)\), so
      \(\tilde A_{nk}=-\frac{2n+1}2\langle P_k,((s+1)P_n)'\rangle\), \(\tilde B_n=(2n+1)P_n(1)\);
    * LegT (\(w=1\); divide by \(w\)): \(A_{nk}=-2[g_n(-1)g_k(-1)+\langle g_k,g_n'\rangle]\), \(B_n=2g_n(1)\),
      so \(\tilde A_{nk}=-(2n+1)[P_n(-1)P_k(-1)+\langle P_k,P_n'\rangle]\), \(\tilde B_n=(2n+1)P_n(1)\).

    Also returned: the pieces \(\langle P_k,P_n'\rangle\) (``dP[n][k]``) and \(P_n(\pm1)\).  Entries are
    ints (or Fractions where a quotient is not integral); entry \((n,k)\) does not depend on \(N\).
    """
    rows = legendre_rows(N)
    # 2^n ((x+1)P_n)' = 2^n (P_n + (x+1)P_n')  and  2^n P_n', as integer rows
    q_legs = [tuple((j + 1) * (r[j] + (r[j + 1] if j + 1 < len(r) else 0)) for j in range(len(r))) for r in rows]
    q_der = [tuple((j + 1) * r[j + 1] for j in range(len(r) - 1)) or (0,) for r in rows]
    GS, GD, L = inner_with_legendre(N, q_legs, q_der)
    at1 = [sum(r) for r in rows]                                      # 2^n P_n(1)
    atm1 = [sum(c if j % 2 == 0 else -c for j, c in enumerate(r)) for r in rows]  # 2^n P_n(-1)
    legs_A, legt_A, dP = [], [], []
    for n in range(N):
        a, t, d = [], [], []
        for k in range(N):
            den = (2 ** (n + k)) * L
            a.append(_ratio(-(2 * n + 1) * GS[k][n], 2 * den))
            t.append(_ratio(-(2 * n + 1) * (atm1[n] * atm1[k] * L + GD[k][n]), den))
            d.append(_ratio(GD[k][n], den))
        legs_A.append(a)
        legt_A.append(t)
        dP.append(d)
    B = [_ratio((2 * n + 1) * at1[n], 2 ** n) for n in range(N)]
    return {"legs_A": legs_A, "legs_B": B, "legt_A": legt_A, "legt_B": list(B), "dP": dP,
            "P(1)": [_ratio(a, 2 ** n) for n, a in enumerate(at1)],
            "P(-1)": [_ratio(a, 2 ** n) for n, a in enumerate(atm1)]}


# --- exact surds -----------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _squarefree(a: int) -> tuple[int, int]:
    """``(c, f)`` with ``a = c**2 * f`` and ``f`` squarefree."""
    c, f, d = 1, a, 2
    while d * d <= f:
        while f % (d * d) == 0:
            f //= d * d
            c *= d
        d += 1
    return c, f


@lru_cache(maxsize=None)
def _root(f: int):
    r"""\(\sqrt f\) for a squarefree integer \(f>1\), as SymPy builds it."""
    return sp.Pow(sp.Integer(f), sp.S.Half, evaluate=False)


def _rational(num: int, den: int):
    """``num/den`` as a SymPy number (``den > 0``), reduced with ``math.gcd``."""
    g = math.gcd(num, den)
    num, den = num // g, den // g
    return sp.Integer(num) if den == 1 else sp.Rational(num, den)


def _surd(num: int, den: int, a: int, b: int):
    r"""\(\frac{\mathrm{num}}{\mathrm{den}}\sqrt{ab}\) (integers, \(\mathrm{den},a,b>0\)) as SymPy's canonical expression."""
    if num == 0:
        return sp.S.Zero
    (ca, fa), (cb, fb) = _squarefree(a), _squarefree(b)
    g = math.gcd(fa, fb)
    f = (fa // g) * (fb // g)
    c = _rational(num * ca * cb * g, den)
    if f == 1:
        return c
    return _root(f) if c == 1 else sp.Mul(c, _root(f), evaluate=False)


def surd(coef, a: int, b: int = 1):
    r"""\(\mathrm{coef}\cdot\sqrt{ab}\) (``coef`` an int or Fraction, ``a``, ``b`` positive integers) as
    SymPy's canonical expression, built without SymPy's factorisation (``sp.sqrt`` costs ~100 us an
    entry): the squarefree parts \(f_a,f_b\) multiply to \(g^2(f_a/g)(f_b/g)\) with \(g=\gcd(f_a,f_b)\)."""
    coef = Fraction(coef)
    return _surd(coef.numerator, coef.denominator, a, b)


def _unscale(At, Bt, b_factor: int):
    r"""Undo C8(b): \(A_{nk}=\tilde A_{nk}\sqrt{(2k+1)/(2n+1)}=\frac{\tilde A_{nk}}{2n+1}\sqrt{(2n+1)(2k+1)}\);
    \(B_n=\tilde B_n\sqrt{b/(2n+1)}\) (\(b=2\): Su's normalization, \(b=1\): the paper's)."""
    N = len(Bt)

    def entry(v, den, a, b):
        v = Fraction(v) if not isinstance(v, int) else v
        if isinstance(v, int):
            return _surd(v, den, a, b)
        return _surd(v.numerator, v.denominator * den, a, b)

    A = sp.ImmutableMatrix(N, N, [entry(At[n][k], 2 * n + 1, 2 * n + 1, 2 * k + 1)
                                  for n in range(N) for k in range(N)])
    B = sp.ImmutableMatrix(N, 1, [entry(Bt[n], 2 * n + 1, b_factor, 2 * n + 1) for n in range(N)])
    return A, B


@lru_cache(maxsize=None)
def legs_matrices(N: int):
    r"""Exact LegS \((A,B)\) in the state-spaces ``transition('legs', N)`` convention, derived.

    Convention (code, C9): \(c'(t)=\frac1t(Ac(t)+Bu(t))\), the minus sign *inside* \(A\):
    \(A_{nk}=-\sqrt{(2n+1)(2k+1)}\) (\(k<n\)), \(-(n+1)\) (\(k=n\)), 0 (\(k>n\)); \(B_n=\sqrt{2n+1}\), shape
    \((N,1)\).  This is C8(a): coefficients w.r.t. the uniform *probability* measure on the window
    (\(c^{\rm paper}=c^{\rm Su}/\sqrt2\)); the paper writes \(c'=-\frac1tA^{P}c+\frac1tB^{P}u\) with
    \(A^P=-A\).  Built from :func:`derived_integer_matrices` by the exact similarity of C8(b)."""
    d = derived_integer_matrices(N)
    return _unscale(d["legs_A"], d["legs_B"], 1)


@lru_cache(maxsize=None)
def legs_su(N: int):
    """Exact LegS \\((A^S,B^S)\\) in the post's normalization (C7), derived."""
    d = derived_integer_matrices(N)
    return _unscale(d["legs_A"], d["legs_B"], 2)


@lru_cache(maxsize=None)
def legt_su(N: int, w=1):
    """Exact LegT \\((A^T,B^T)\\) in the post's normalization (C6), derived; ``w`` may be a symbol."""
    d = derived_integer_matrices(N)
    A, B = _unscale(d["legt_A"], d["legt_B"], 2)
    return (A, B) if w == 1 else (A / w, B / w)


def gram_g(N: int):
    """Exact Gram matrix \\(\\langle g_m,g_n\\rangle\\) of the orthonormal Legendre functions, \\(m,n<N\\)."""
    G, L = inner_with_legendre(N, legendre_rows(N))
    return sp.Matrix(N, N, lambda m, n: surd(Fraction(G[m][n], 2 ** (m + n) * L * 2), (2 * m + 1) * (2 * n + 1)))


def gram_P(N: int):
    r"""Exact Gram matrix \(\langle P_m,P_n\rangle\), \(m,n<N\), as SymPy rationals."""
    G, L = inner_with_legendre(N, legendre_rows(N))
    return sp.Matrix(N, N, lambda m, n: sp.Rational(G[m][n], 2 ** (m + n) * L))


# --- exact projections of polynomial inputs (symbolic T, w) ------------------------------------------

T = sp.Symbol("T", positive=True)
w = sp.Symbol("w", positive=True)


@lru_cache(maxsize=None)
def pmoment(n: int, j: int) -> Fraction:
    """\\(\\langle P_n,s^j\\rangle=\\int_{-1}^1P_n(s)s^j\\,ds\\)."""
    return sum((c * moment(i + j) for i, c in enumerate(legendre_poly(n))), Fraction(0))


@lru_cache(maxsize=None)
def _shifted_moment(n: int, m: int) -> Fraction:
    r"""\(\int_{-1}^1((s+1)/2)^mP_n\,ds\)."""
    return sum((Fraction(math.comb(m, i), 2 ** m) * pmoment(n, i) for i in range(m + 1)), Fraction(0))


def _sqrt_moment(n: int, m: int) -> Fraction:
    r"""\(\int_{-1}^1((s+1)/2)^{m/2}P_n\,ds=4\int_0^1\sigma^{m+1}P_n(2\sigma^2-1)\,d\sigma\)."""
    total = Fraction(0)
    for i, c in enumerate(legendre_poly(n)):
        for l in range(i + 1):
            total += c * math.comb(i, l) * 2 ** l * (-1) ** (i - l) * Fraction(4, m + 2 + 2 * l)
    return total


def poly_u(coeffs, t):
    """\\(u(t)=\\sum_ma_mt^m\\) as a SymPy expression."""
    return sum(sp.Rational(a) * t ** m for m, a in enumerate(coeffs))


def exact_projection(kind: str, coeffs, N: int, w_value=None):
    r"""\((c_n(T))_{n<N}\) for the polynomial input \(u(t)=\sum_ma_mt^m\) as an exact SymPy column (in
    \(T\), and \(w\) for LegT unless ``w_value`` fixes it), from the monomial moments of \(P_n\):
    LegS \(c_n=g\sum_ma_mT^m\int((s+1)/2)^mP_n\); square-root map \(c_n=g\sum_ma_mT^m\int((s+1)/2)^{m/2}P_n\);
    LegT \(c_n=g\sum_ma_m\sum_i\binom mi w^i(T-w)^{m-i}\int((s+1)/2)^iP_n\), with \(g=\sqrt{(2n+1)/2}\)."""
    coeffs = [Fraction(a) for a in coeffs]
    wv = w if w_value is None else sp.Rational(w_value)
    out = []
    for n in range(N):
        poly = {}  # (power of T, power of w) -> Fraction

        def add(key, v):
            if v:
                poly[key] = poly.get(key, Fraction(0)) + v

        for m, a in enumerate(coeffs):
            if not a:
                continue
            if kind == "legs":
                add((m, 0), a * _shifted_moment(n, m))
            elif kind == "sqrt":
                add((m, 0), a * _sqrt_moment(n, m))
            elif kind == "legt":
                for i in range(m + 1):
                    mom = a * math.comb(m, i) * _shifted_moment(n, i)
                    for j in range(m - i + 1):  # w^i (T - w)^{m-i}
                        add((j, m - j), mom * math.comb(m - i, j) * (-1) ** (m - i - j))
            else:
                raise ValueError(kind)
        g = surd(Fraction(1, 2), 2 * (2 * n + 1))
        out.append(sp.Add(*[g * sp.Rational(v.numerator, v.denominator) * T ** a * wv ** b
                            for (a, b), v in sorted(poly.items()) if v]))
    return sp.Matrix(out)
