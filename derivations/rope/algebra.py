r"""The exact objects of the RoPE posts (SymPy): rotations in both memory layouts, the complex form, the
partial sums of the decay bound, skew generators, quaternions, the RoPE-Tie layout, and the two
rewrites the claims add to the engine's strategies.

Layouts.  The post rotates *interleaved* pairs \((q_{2i},q_{2i+1})\) by \(m\theta_i\) (:func:`rope_matrix`,
:func:`elementwise`); most PyTorch code (GPT-NeoX, LLaMA ``rotate_half``) rotates the *half-split* pairs
\((q_j,q_{j+d/2})\) (:func:`rotate_half`).  Everything here is built from the definitions, independently of
the claimed closed forms it is compared with.
"""
from __future__ import annotations

import sympy as sp

from derivations.engine.symbolic import trig_expand

BASE = 10000
J = sp.Matrix([[0, -1], [1, 0]])


# --- rotations -------------------------------------------------------------------------------

def R(phi) -> sp.Matrix:
    r"""\(R(\varphi)=\begin{psmallmatrix}\cos\varphi&-\sin\varphi\\\sin\varphi&\cos\varphi\end{psmallmatrix}\)."""
    return sp.Matrix([[sp.cos(phi), -sp.sin(phi)], [sp.sin(phi), sp.cos(phi)]])


def vec(name: str, d: int) -> sp.Matrix:
    """A column of ``d`` real symbols ``name0..``."""
    return sp.Matrix(sp.symbols(f"{name}0:{d}", real=True))


def freqs(d: int) -> list:
    r"""Symbolic frequencies \(\theta_0,\dots,\theta_{d/2-1}>0\) (the rotation identities hold for any)."""
    return list(sp.symbols(f"theta0:{d // 2}", positive=True))


def post_freqs(d: int) -> list:
    r"""The post's frequencies \(\theta_i=10000^{-2i/d}\), exact."""
    return [sp.Integer(BASE) ** sp.Rational(-2 * i, d) for i in range(d // 2)]


def rope_matrix(pos, th) -> sp.Matrix:
    r"""\(\mathcal R_{pos}=\mathrm{diag}(R(pos\,\theta_0),\dots,R(pos\,\theta_{d/2-1}))\) on interleaved pairs."""
    return sp.diag(*[R(pos * t) for t in th])


def pi_matrix(d: int) -> sp.Matrix:
    r"""The permutation \(\Pi\): \((\Pi q)_{2j}=q_j\), \((\Pi q)_{2j+1}=q_{j+d/2}\)."""
    P = sp.zeros(d, d)
    for j in range(d // 2):
        P[2 * j, j] = P[2 * j + 1, j + d // 2] = 1
    return P


def elementwise(q, pos, th) -> sp.Matrix:
    r"""The post's code form \(q\odot c_m+\rho(q)\odot s_m\): \(c_m=(\cos m\theta_0,\cos m\theta_0,\cos m\theta_1,
    \dots)\), \(s_m\) with \(\sin\), \(\rho(q)=(-q_1,q_0,-q_3,q_2,\dots)\)."""
    d = len(q)
    cs = [sp.cos(pos * th[i // 2]) for i in range(d)]
    sn = [sp.sin(pos * th[i // 2]) for i in range(d)]
    rho = [-q[i + 1] if i % 2 == 0 else q[i - 1] for i in range(d)]
    return sp.Matrix([q[i] * cs[i] + rho[i] * sn[i] for i in range(d)])


def rotate_half(q, pos, th) -> sp.Matrix:
    r"""The GPT-NeoX/LLaMA form \(q\odot\hat c_m+\mathrm{rh}(q)\odot\hat s_m\): \(\hat c_m=(\cos m\theta_0..\cos
    m\theta_{d/2-1},\cos m\theta_0..)\), \(\mathrm{rh}(q)=(-q_{d/2},\dots,-q_{d-1},q_0,\dots,q_{d/2-1})\)."""
    d = len(q)
    h = d // 2
    cs = [sp.cos(pos * th[i % h]) for i in range(d)]
    sn = [sp.sin(pos * th[i % h]) for i in range(d)]
    rh = [-q[i + h] for i in range(h)] + [q[i] for i in range(h)]
    return sp.Matrix([q[i] * cs[i] + rh[i] * sn[i] for i in range(d)])


def columns(form, d: int, pos, th) -> sp.Matrix:
    """The matrix of the linear map ``q -> form(q, pos, th)`` (its columns: the images of the unit vectors)."""
    return sp.Matrix.hstack(*[form(sp.eye(d)[:, j], pos, th) for j in range(d)])


# --- the complex form and the decay bound ----------------------------------------------------

def h_coefficients(q, k) -> list:
    r"""\(h_i=z_i(q)\overline{z_i(k)}\), \(z_i(q)=q_{2i}+\mathrm iq_{2i+1}\)."""
    return [(q[2 * i] + sp.I * q[2 * i + 1]) * (k[2 * i] - sp.I * k[2 * i + 1]) for i in range(len(q) // 2)]


def complex_score(q, k, delta, th):
    r"""\(\mathrm{Re}\sum_ih_ie^{\mathrm i\Delta\theta_i}\), real and imaginary parts expanded."""
    return sum(sp.re(sp.expand_complex(h * sp.exp(sp.I * delta * t))) for h, t in zip(h_coefficients(q, k), th))


def partial_sums(delta, th) -> list:
    r"""\(S_0=0,\ S_j=\sum_{i<j}e^{\mathrm i\Delta\theta_i}\) for \(j=0..d/2\)."""
    e = [sp.exp(sp.I * delta * t) for t in th]
    return [sp.Add(*e[:j]) for j in range(len(th) + 1)]


def decay_sides(q, k, delta, th):
    r"""\(|\sum_ih_ie^{\mathrm i\Delta\theta_i}|\) and the bound \(\max_i|h_{i+1}-h_i|\sum_j|S_j|\) (\(h_{d/2}=0\);
    moduli and the maximum unevaluated: SymPy's automatic simplification of them takes minutes)."""
    h = h_coefficients(q, k) + [0]
    S = partial_sums(delta, th)
    z = sp.Add(*[h[i] * sp.exp(sp.I * delta * t) for i, t in enumerate(th)])
    steps = sp.Max(*[sp.Abs(h[i + 1] - h[i], evaluate=False) for i in range(len(th))], evaluate=False)
    return sp.Abs(z, evaluate=False), steps * sp.Add(*[sp.Abs(v, evaluate=False) for v in S[1:]])


def abel_sides(h, e) -> tuple:
    r"""The three sides of Abel summation for coefficients ``h`` (\(h_M=0\)) and terms ``e`` (\(S_{j+1}-S_j=e_j\)):
    \(\sum h_ie_i\), \(\sum h_i(S_{i+1}-S_i)\), \(-\sum S_{i+1}(h_{i+1}-h_i)\)."""
    M = len(h)
    S = [sp.Integer(0)]
    for v in e:
        S.append(S[-1] + v)
    hh = list(h) + [0]
    return (sp.Add(*[h[i] * e[i] for i in range(M)]), sp.Add(*[h[i] * (S[i + 1] - S[i]) for i in range(M)]),
            -sp.Add(*[S[i + 1] * (hh[i + 1] - hh[i]) for i in range(M)]))


def indicator_expr(d, delta):
    r"""The post's decay indicator \(F_d(\Delta)=\frac2d\sum_{j=1}^{d/2}\big|\sum_{i=0}^{j-1}e^{\mathrm i\Delta\theta_i}\big|\)
    with \(\theta_i=10000^{-2i/d}\), as unevaluated sums (expanded, the 2080 exponentials at \(d=128\) cost SymPy
    seconds)."""
    d = int(d)
    i, j = sp.symbols("i j", integer=True, nonnegative=True)
    inner = sp.Sum(sp.exp(sp.I * delta * sp.Integer(BASE) ** (-2 * i / sp.Integer(d))), (i, 0, j - 1))
    return sp.Rational(2, d) * sp.Sum(sp.Abs(inner, evaluate=False), (j, 1, d // 2))


# --- generators of 1D and 2D solutions, quaternions ------------------------------------------

def skew3(a, b, c) -> list:
    r"""\(B(a,b,c)\) of the 3x3 search (rows)."""
    return [[0, -a, -b], [a, 0, -c], [b, c, 0]]


def skew4(a, b, c, d, e, f) -> list:
    r"""\(B_4(a,\dots,f)\) of the 4x4 search (rows)."""
    return [[0, -a, -b, -d], [a, 0, -c, -e], [b, c, 0, -f], [d, e, f, 0]]


def combination(x, A, y, B) -> list:
    """``x A + y B`` for matrices given as rows."""
    return [[x * a + y * b for a, b in zip(ra, rb)] for ra, rb in zip(A, B)]


def cayley(A: sp.Matrix) -> sp.Matrix:
    r"""\(O=(I-A)(I+A)^{-1}\): orthogonal for skew \(A\), exact over \(\mathbb Q\)."""
    I = sp.eye(A.rows)
    return (I - A) * (I + A).inv()


QUATERNION_UNITS = {
    "1": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
    "i": [[0, -1, 0, 0], [1, 0, 0, 0], [0, 0, 0, -1], [0, 0, 1, 0]],
    "j": [[0, 0, -1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, -1, 0, 0]],
    "k": [[0, 0, 0, -1], [0, 0, -1, 0], [0, 1, 0, 0], [1, 0, 0, 0]],
}


def quaternion_units() -> dict:
    r"""Real 4x4 matrices of left multiplication by \(1,\mathbf i,\mathbf j,\mathbf k\) on
    \((w,x,y,z)\leftrightarrow w+x\mathbf i+y\mathbf j+z\mathbf k\) (SymPy)."""
    return {k: sp.Matrix(v) for k, v in QUATERNION_UNITS.items()}


def quaternion_rows(a, v1, v2, v3) -> list:
    r"""The 4x4 matrix of \(a+v_1\mathbf i+v_2\mathbf j+v_3\mathbf k\) (rows)."""
    u = QUATERNION_UNITS
    return [[a * u["1"][i][j] + v1 * u["i"][i][j] + v2 * u["j"][i][j] + v3 * u["k"][i][j] for j in range(4)]
            for i in range(4)]


# --- RoPE-2D and RoPE-Tie ----------------------------------------------------------------------

def rope2d(pos_x, pos_y, th_x, th_y) -> sp.Matrix:
    r"""\(\mathcal R_{x,y}=\mathrm{diag}(\mathcal R^{(x)}_x,\mathcal R^{(y)}_y)\): first half rotated by \(x\) with
    \(\Theta_x\), second half by \(y\) with \(\Theta_y\)."""
    return sp.diag(rope_matrix(pos_x, th_x), rope_matrix(pos_y, th_y))


def split_permutation(d: int) -> sp.Matrix:
    r"""\(P\): 2D x-block \(k\) (frequency \(\theta_{2k}\)) \(\to\) 1D block \(2k\); y-block \(k\)
    (\(\theta_{2k+1}\)) \(\to\) 1D block \(2k+1\)."""
    P = sp.zeros(d, d)
    for kk in range(d // 4):
        for r in range(2):
            P[4 * kk + r, 2 * kk + r] = 1
            P[4 * kk + 2 + r, d // 2 + 2 * kk + r] = 1
    return P


def gaps(L, w, h, s, t, K) -> sp.Matrix:
    r"""(first patch \(-\) last text token, next text token \(-\) last patch) for patches at \((L+is,L+jt)\),
    row \(i\le h\), column \(j\le w\)."""
    first, last = (L + s, L + t), (L + h * s, L + w * t)
    return sp.Matrix([first[0] - L, first[1] - L, K - last[0], K - last[1]])


def patch_positions(L, w, h, s, t) -> sp.Matrix:
    """2D positions of the patches, row-major (one row per patch)."""
    return sp.Matrix([[L + i * s, L + j * t] for i in range(1, h + 1) for j in range(1, w + 1)])


def integer_scaling(L, w, h) -> tuple:
    r"""10040's integer scaling \(s=w+1,\ t=h+1,\ K=L+(w+1)(h+1)\)."""
    return w + 1, h + 1, L + (w + 1) * (h + 1)


def token_scaling(L, w, h) -> tuple:
    r"""10040's "image = \(wh\) tokens" scaling \(s=\frac{wh+1}{h+1},\ t=\frac{wh+1}{w+1},\ K=L+wh+1\)."""
    w, h = sp.sympify(w), sp.sympify(h)
    return (w * h + 1) / (h + 1), (w * h + 1) / (w + 1), L + w * h + 1


# --- rewrites of a statement's own difference (strategies) -----------------------------------

def pythagorean(d):
    r"""Angle-addition expansion, then \(\sin^2u\to1-\cos^2u\): a normal form modulo \(\cos^2+\sin^2=1\)."""
    e = trig_expand(d)
    e = e.replace(lambda t: t.is_Pow and isinstance(t.base, sp.sin) and t.exp.is_Integer and t.exp >= 2,
                  lambda t: (1 - sp.cos(t.base.args[0]) ** 2) ** (t.exp // 2) * sp.sin(t.base.args[0]) ** (t.exp % 2))
    return sp.expand(e)


def abs_conjugate(d):
    r"""\(|\bar z|=|z|\): each modulus \(|z|\) replaced by the canonical one of \(|z|,|\bar z|\), where \(\bar z\) is
    \(z\) with \(\mathrm i\to-\mathrm i\) (its conjugate, as every symbol is real)."""
    if not all(s.is_real for s in d.free_symbols):
        return d

    def canonical(z):
        return min(z, z.xreplace({sp.I: -sp.I}), key=sp.default_sort_key)

    return d.replace(lambda e: isinstance(e, sp.Abs), lambda e: sp.Abs(canonical(e.args[0]), evaluate=False))


TRIG = (trig_expand, pythagorean)
