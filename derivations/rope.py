r"""Rotary position embedding (RoPE): rotation identities, the long-range decay bound, RoPE-2D and RoPE-Tie.

Posts: Su Jianlin, "Transformer upgrade road 2: rotary position embedding", 2021-03-23,
https://spaces.ac.cn/archives/8265 (RoFormer, arXiv:2104.09864); "... 4: RoPE for 2D positions",
2021-05-10, https://spaces.ac.cn/archives/8397; "... 17: multimodal position encoding (RoPE-Tie)",
2024-03-29, https://spaces.ac.cn/archives/10040.

Every claim is a statement the engine evaluates: the \(d\)-dimensional identities at
\(d=2,4,8\) with every frequency, position and vector entry symbolic; the decay indicator at
the post's \(d=128\).
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import (All, Approximation, Derivation, Erratum, Identity, Inequality, claim, control,
                                family, integers, positive, quantity, real, stated)
from derivations.engine.symbolic import trig_expand

m, n, c, x, y = sp.symbols("m n c x y", real=True)
alpha, beta, theta = sp.symbols("alpha beta theta", real=True)
J = sp.Matrix([[0, -1], [1, 0]])
POSITION = real(-2000, 2000)
FREQUENCY = positive(1)
ENTRY = real(-2, 2)
DIMS = (2, 4, 8)
BASE = 10000


# --- the objects of the post ------------------------------------------------------------------

def R(phi) -> sp.Matrix:
    r"""\(R(\varphi)\), the 2x2 rotation."""
    return sp.Matrix([[sp.cos(phi), -sp.sin(phi)], [sp.sin(phi), sp.cos(phi)]])


def vec(name: str, d: int) -> sp.Matrix:
    """A column of ``d`` real symbols ``name0..``."""
    return sp.Matrix(sp.symbols(f"{name}0:{d}", real=True))


def freqs(d: int) -> list:
    r"""Symbolic frequencies \(\theta_0,\dots,\theta_{d/2-1}>0\) (the identities hold for any)."""
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
    """The matrix of the linear map ``q -> form(q, pos, th)`` (its columns are the images of the unit vectors)."""
    return sp.Matrix.hstack(*[form(sp.eye(d)[:, j], pos, th) for j in range(d)])


def h_coefficients(q, k) -> list:
    r"""\(h_i=z_i(q)\overline{z_i(k)}\), \(z_i(q)=q_{2i}+\mathrm iq_{2i+1}\)."""
    return [(q[2 * i] + sp.I * q[2 * i + 1]) * (k[2 * i] - sp.I * k[2 * i + 1]) for i in range(len(q) // 2)]


def complex_score(q, k, delta, th):
    r"""\(\mathrm{Re}\sum_ih_ie^{\mathrm i\Delta\theta_i}\) with the real and imaginary parts expanded."""
    return sum(sp.re(sp.expand_complex(h * sp.exp(sp.I * delta * t))) for h, t in zip(h_coefficients(q, k), th))


def partial_sums(delta, th) -> list:
    r"""\(S_0=0,\ S_j=\sum_{i<j}e^{\mathrm i\Delta\theta_i}\) for \(j=0..d/2\)."""
    e = [sp.exp(sp.I * delta * t) for t in th]
    return [sp.Add(*e[:j]) for j in range(len(th) + 1)]


def indicator_expr(d, delta):
    r"""The post's decay indicator \(F_d(\Delta)=\frac2d\sum_{j=1}^{d/2}\big|\sum_{i=0}^{j-1}e^{\mathrm i\Delta\theta_i}\big|\)
    with \(\theta_i=10000^{-2i/d}\), as unevaluated sums (expanded, the 2080 exponentials at \(d=128\) cost SymPy
    seconds; SymPy's automatic simplification of \(|\sum e^{\mathrm i\Delta\theta}|\) takes minutes)."""
    d = int(d)
    i, j = sp.symbols("i j", integer=True, nonnegative=True)
    inner = sp.Sum(sp.exp(sp.I * delta * sp.Integer(BASE) ** (-2 * i / sp.Integer(d))), (i, 0, j - 1))
    return sp.Rational(2, d) * sp.Sum(sp.Abs(inner, evaluate=False), (j, 1, d // 2))


# --- strategies (rewrites of a statement's own difference) -----------------------------------

def pythagorean(d):
    r"""Angle-addition expansion, then \(\sin^2u\to1-\cos^2u\): a normal form modulo \(\cos^2+\sin^2=1\)."""
    e = trig_expand(d)
    e = e.replace(lambda t: t.is_Pow and isinstance(t.base, sp.sin) and t.exp.is_Integer and t.exp >= 2,
                  lambda t: (1 - sp.cos(t.base.args[0]) ** 2) ** (t.exp // 2) * sp.sin(t.base.args[0]) ** (t.exp % 2))
    return sp.expand(e)


def abs_conjugate(d):
    r"""\(|\bar z|=|z|\): each modulus \(|z|\) replaced by the canonical one of \(|z|,|\bar z|\), where
    \(\bar z\) is \(z\) with \(\mathrm i\to-\mathrm i\) (its conjugate, as every symbol is real)."""
    if not all(s.is_real for s in d.free_symbols):
        return d

    def canonical(z):
        return min(z, z.xreplace({sp.I: -sp.I}), key=sp.default_sort_key)

    return d.replace(lambda e: isinstance(e, sp.Abs), lambda e: sp.Abs(canonical(e.args[0]), evaluate=False))


TRIG = (trig_expand, pythagorean)


# --- numerics of the indicator (mpmath, the caller's precision) ---------------------------------

@lru_cache(maxsize=16)
def mp_freqs(d: int, dps: int) -> tuple:
    r"""\(\theta_i=10000^{-2i/d}\) at ``dps`` digits."""
    with mpmath.workdps(dps):
        return tuple(mpmath.power(BASE, -mpmath.mpf(2 * i) / d) for i in range(d // 2))


def mp_indicator(d, delta):
    r"""\(F_d(\Delta)\) by cumulative sums of \(e^{\mathrm i\Delta\theta_i}\) at the working precision."""
    d = int(d)
    acc, total = mpmath.mpc(0), mpmath.mpf(0)
    for t in mp_freqs(d, mpmath.mp.dps):
        acc += mpmath.expj(delta * t)
        total += abs(acc)
    return 2 * total / d


def arb_indicator(d, delta, digits):
    r"""A rigorous ball (python-flint ``acb``/``arb``) containing \(F_d(\Delta)\); ``d``, ``delta`` are balls."""
    import flint
    dd = int(d.unique_fmpz())
    acc, total = flint.acb(0), flint.arb(0)
    for i in range(dd // 2):
        acc += flint.acb(0, delta * flint.arb(BASE) ** (flint.arb(-2 * i) / dd)).exp()
        total += abs(acc)
    return 2 * total / dd


Indicator = quantity("F", exact=indicator_expr, evaluator=mp_indicator, enclosure=arb_indicator, real=True,
                     how="the post's definition, moduli of cumulative sums")


def _up_steps():
    r"""The unit steps \(\Delta\to\Delta+1\) on \([0,256]\) where \(F_{128}\) increases."""
    return _up_steps_at(mpmath.mp.dps)


@lru_cache(maxsize=4)
def _up_steps_at(dps):
    r"""\(F_{128}(0..256)\) from the definition, \(e^{\mathrm i(\Delta+1)\theta_i}=e^{\mathrm i\Delta\theta_i}e^{\mathrm i\theta_i}\)
    (a product per step instead of an exponential; 256 roundings, far below the working precision)."""
    with mpmath.workdps(dps):
        step = [mpmath.expj(t) for t in mp_freqs(128, dps)]
        z = [mpmath.mpc(1)] * len(step)
        F = []
        for _ in range(257):
            acc, total = mpmath.mpc(0), mpmath.mpf(0)
            for v in z:
                acc += v
                total += abs(acc)
            F.append(total / 64)
            z = [a * b for a, b in zip(z, step)]
        return [v for v in range(256) if F[v + 1] > F[v]]


UpSteps = quantity("UpSteps", evaluator=lambda: mpmath.mpf(len(_up_steps())), real=True,
                   how="count of v in 0..255 with F_128(v+1) > F_128(v)")
FirstUpStep = quantity("FirstUpStep", evaluator=lambda: mpmath.mpf(_up_steps()[0]), real=True,
                       how="smallest v with F_128(v+1) > F_128(v)")


# --- matrix exponentials by mpmath (entrywise quantities) ---------------------------------------

def expm_matrix(name: str, size: int, generator, how: str):
    r"""``M(*params)``: the ``size`` x ``size`` SymPy matrix whose entry \((i,j)\) is the quantity
    ``name(i, j, *params)`` \(=\exp(\mathrm{generator}(*params))_{ij}\), computed by ``mpmath.expm`` at the
    working precision (one exponential per parameter point and precision)."""

    @lru_cache(maxsize=64)
    def expm(params, dps):
        with mpmath.workdps(dps):
            return mpmath.expm(mpmath.matrix(generator(*params)))

    def entry(i, j, *params):
        return expm(tuple(params), mpmath.mp.dps)[int(i), int(j)]

    Q = quantity(name, evaluator=entry, real=True, how=how)
    return lambda *params: sp.Matrix(size, size, lambda i, j: Q(i, j, *params))


def skew3(a, b, cc) -> list:
    r"""\(B(a,b,c)\) of the 3x3 search (rows)."""
    return [[0, -a, -b], [a, 0, -cc], [b, cc, 0]]


def skew4(a, b, cc, d, e, f) -> list:
    r"""\(B_4(a,\dots,f)\) of the 4x4 search (rows)."""
    return [[0, -a, -b, -d], [a, 0, -cc, -e], [b, cc, 0, -f], [d, e, f, 0]]


def combination(xx, A, yy, B) -> list:
    """``xx A + yy B`` for matrices given as rows."""
    return [[xx * a + yy * b for a, b in zip(ra, rb)] for ra, rb in zip(A, B)]


SkewExp = expm_matrix("ExpSkew", 4, lambda t, *b: [[t * v for v in row] for row in skew4(b[0], b[1], b[3], b[2], b[4],
                                                                                        b[5])],
                      "mpmath.expm(t B) for the skew B with free entries b_ij")
CommutingExp = expm_matrix("ExpComm", 4, lambda b, cc, f, xx, yy: combination(
    xx, skew4(1, b, cc, 0, 0, 0), yy, skew4(0, 0, 0, cc * f, -b * f, f)),
    "mpmath.expm(x B1 + y B2), B1 = B4(1,b,c,0,0,0), B2 = B4(0,0,0,cf,-bf,f)")
NoncommutingExp = expm_matrix("ExpNonComm", 3, lambda xx, yy: combination(xx, skew3(1, 0, 0), yy, skew3(0, 0, 1)),
                              "mpmath.expm(x B(1,0,0) + y B(0,0,1))")

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


QuaternionExp = expm_matrix("ExpQuat", 4, quaternion_rows, "mpmath.expm of the 4x4 matrix of a + v")


# --- C1, C2: 2x2 algebra and the complex form -------------------------------------------------

@claim("C1", r"R(\alpha)^\top R(\beta)=R(\beta-\alpha),\quad R(\alpha)R(\beta)=R(\alpha+\beta),\quad "
       r"R(\alpha)^\top R(\alpha)=I,\quad\det R(\alpha)=1", strategies=TRIG)
def c1():
    r"""2x2 rotation algebra: angle addition and \(\cos^2+\sin^2=1\)."""
    lhs = sp.Matrix.hstack(R(alpha).T * R(beta), R(alpha) * R(beta), R(alpha).T * R(alpha),
                           sp.Matrix([R(alpha).det(), 0]))
    rhs = sp.Matrix.hstack(R(beta - alpha), R(alpha + beta), sp.eye(2), sp.Matrix([1, 0]))
    return Identity(lhs, rhs, {alpha: real(-7, 7), beta: real(-7, 7)}, points=3)


@claim("C1d", r"R(n\theta)=\exp(n\theta J),\qquad J=\begin{pmatrix}0&-1\\1&0\end{pmatrix}")
def c1d():
    r"""Exponential form: SymPy's matrix exponential of \(n\theta J\) (its own eigen-decomposition) against
    \(R(n\theta)\)."""
    return Identity((n * theta * J).exp(), R(n * theta), {n: POSITION, theta: real(-2, 2)}, points=3)


q0, q1, k0, k1 = sp.symbols("q0 q1 k0 k1", real=True)


@claim("C2a", r"q\,e^{\mathrm im\theta}\ \leftrightarrow\ R(m\theta)\begin{pmatrix}q_0\\q_1\end{pmatrix}")
def c2a():
    r"""Complex multiplication by \(e^{\mathrm im\theta}\) is the rotation \(R(m\theta)\) of \((\mathrm{Re},\mathrm{Im})\)."""
    z = sp.expand_complex((q0 + sp.I * q1) * sp.exp(sp.I * m * theta))
    return Identity(sp.Matrix([sp.re(z), sp.im(z)]), R(m * theta) * sp.Matrix([q0, q1]),
                    {m: POSITION, theta: real(-2, 2)}, points=3)


@claim("C2b", r"(R(m\theta)q)\cdot(R(n\theta)k)=\mathrm{Re}\big[(q_0+\mathrm iq_1)\overline{(k_0+\mathrm ik_1)}\,"
       r"e^{\mathrm i(m-n)\theta}\big]", uses=("C2a",), strategies=TRIG)
def c2b():
    r"""The 2D score depends on the positions only through \(m-n\)."""
    lhs = (R(m * theta) * sp.Matrix([q0, q1])).dot(R(n * theta) * sp.Matrix([k0, k1]))
    return Identity(lhs, complex_score([q0, q1], [k0, k1], m - n, [theta]),
                    {m: POSITION, n: POSITION, theta: real(-2, 2)}, points=3)


# --- C3, C4: the relative property and orthogonality in d dimensions ---------------------------

def _domains(*groups):
    out = {m: POSITION, n: POSITION, c: POSITION}
    for g in groups:
        for s in g:
            out[s] = FREQUENCY if s.name.startswith("theta") else ENTRY
    return out


@claim("C3", r"\mathcal R_m^\top\mathcal R_n=\mathcal R_{n-m}\quad(d=2,4,8;\ \theta_i,\ m,\ n\in\mathbb R)",
       hypotheses=(r"\theta_i,\ m,\ n\in\mathbb R",), uses=("C1",), strategies=TRIG)
def c3():
    r"""Relative property, matrix form: block \(i\) of \(\mathcal R_m^\top\mathcal R_n\) is
    \(R(m\theta_i)^\top R(n\theta_i)=R((n-m)\theta_i)\) (C1); the explicit \(d\times d\) matrices with every
    \(\theta_i\), \(m\), \(n\) symbolic, for \(d=2,4,8\)."""
    def at(d):
        th = freqs(d)
        return Identity(rope_matrix(m, th).T * rope_matrix(n, th), rope_matrix(n - m, th), _domains(th), points=3)
    return family(at, d=DIMS)


@claim("C3s", r"(\mathcal R_mq)^\top(\mathcal R_nk)=q^\top\mathcal R_{n-m}k=\mathrm{Re}\sum_{i=0}^{d/2-1}"
       r"h_i\,e^{\mathrm i(m-n)\theta_i}\quad(d=4,8)", uses=("C2b", "C3"), strategies=TRIG)
def c3s():
    r"""The score form, \(h_i=(q_{2i}+\mathrm iq_{2i+1})\overline{(k_{2i}+\mathrm ik_{2i+1})}\), with all of
    \(q,k\in\mathbb R^d\), \(\theta_i\), \(m,n\) symbolic."""
    parts, labels = [], []
    for d in (4, 8):
        q, k, th = vec("q", d), vec("k", d), freqs(d)
        dom = _domains(q, k, th)
        score = (rope_matrix(m, th) * q).dot(rope_matrix(n, th) * k)
        bilinear = q.dot(rope_matrix(n - m, th) * k)
        parts += [Identity(score, bilinear, dom, points=3), Identity(bilinear, complex_score(q, k, m - n, th), dom,
                                                                     points=3)]
        labels += [f"d={d}: score", f"d={d}: complex form"]
    return All(tuple(parts), tuple(labels))


@claim("C4", r"\mathcal R_m^\top\mathcal R_m=I,\qquad \|\mathcal R_mq\|^2=\|q\|^2,\qquad \det\mathcal R_m=1"
       r"\quad(d=2,4,8)", uses=("C1",), strategies=TRIG)
def c4():
    r"""Orthogonality blockwise (\(\cos^2+\sin^2=1\)); the determinant of the explicit matrix (Berkowitz)."""
    parts, labels = [], []
    for d in DIMS:
        q, th = vec("q", d), freqs(d)
        Rm = rope_matrix(m, th)
        dom = _domains(q, th)
        parts += [Identity(Rm.T * Rm, sp.eye(d), dom, points=3),
                  Identity((Rm * q).dot(Rm * q), q.dot(q), dom, points=3),
                  Identity(Rm.det(method="berkowitz"), 1, dom, points=3)]
        labels += [f"d={d}: orthogonal", f"d={d}: norm", f"d={d}: det"]
    return All(tuple(parts), tuple(labels))


# --- C5, C5': elementwise forms and the two layouts ----------------------------------------

@claim("C5", r"\mathcal R_mq=q\odot c_m+\rho(q)\odot s_m,\quad \rho(q)=(-q_1,q_0,-q_3,q_2,\dots),\ "
       r"c_m=(\cos m\theta_0,\cos m\theta_0,\cos m\theta_1,\dots)\quad(d=2,4,8,16)")
def c5():
    r"""Elementwise (code) form of the interleaved rotation against the block-diagonal matrix times \(q\)."""
    def at(d):
        q, th = vec("q", d), freqs(d)
        return Identity(elementwise(q, m, th), rope_matrix(m, th) * q, _domains(q, th), points=3)
    return family(at, d=DIMS + (16,))


@claim("C5'", r"\mathrm{RoPE}_{half}(q)=q\odot\hat c_m+\mathrm{rh}(q)\odot\hat s_m=\Pi^{-1}\mathcal R_m\Pi q,\quad "
       r"(\Pi q)_{2j}=q_j,\ (\Pi q)_{2j+1}=q_{j+d/2};\quad \mathcal H_m^\top\mathcal H_n=\mathcal H_{n-m}",
       uses=("C5", "C3"), strategies=TRIG)
def c5p():
    r"""The GPT-NeoX/LLaMA ``rotate_half`` layout is the post's rotation conjugated by the permutation \(\Pi\)
    (\(d=2,4,8\)), and its matrix \(\mathcal H_m\) satisfies the relative property on its own (\(d=4,8\))."""
    parts, labels = [], []
    for d in DIMS:
        q, th = vec("q", d), freqs(d)
        P = pi_matrix(d)
        parts.append(Identity(rotate_half(q, m, th), P.T * rope_matrix(m, th) * P * q, _domains(q, th), points=3))
        labels.append(f"d={d}: conjugate")
    for d in (4, 8):
        th = freqs(d)
        parts.append(Identity(columns(rotate_half, d, m, th).T * columns(rotate_half, d, n, th),
                              columns(rotate_half, d, n - m, th), _domains(th), points=3))
        labels.append(f"d={d}: relative")
    return All(tuple(parts), tuple(labels))


LAYOUT_Q = sp.Matrix([1, 2, 3, 4])
LAYOUT_THETA = [sp.Integer(1), sp.Rational(1, 100)]
INTERLEAVED_REF = ("-1.14263966", "1.9220756", "2.95985067", "4.0297995")
HALF_REF = ("-1.98411065", "1.95990067", "2.4623779", "4.01979967")


@claim("C5r", r"d=4,\ \theta=(1,0.01),\ q=(1,2,3,4),\ m=1:\ \mathcal R_1q=(-1.14263966,\ 1.9220756,\ 2.95985067,\ "
       r"4.0297995),\ \mathrm{RoPE}_{half}(q)=(-1.98411065,\ 1.95990067,\ 2.4623779,\ 4.01979967)", uses=("C5", "C5'"))
def c5r():
    r"""The two layouts give different numbers on the same \(q\) (the spec's reference values, to their printed
    digits)."""
    inter, half = rope_matrix(1, LAYOUT_THETA) * LAYOUT_Q, rotate_half(LAYOUT_Q, 1, LAYOUT_THETA)
    parts = [Approximation(v, stated(t)) for v, t in zip(inter, INTERLEAVED_REF)]
    parts += [Approximation(v, stated(t)) for v, t in zip(half, HALF_REF)]
    return All(tuple(parts), tuple(f"interleaved[{i}]" for i in range(4)) + tuple(f"half[{i}]" for i in range(4)))


# --- C6: translation invariance ---------------------------------------------------------------

@claim("C6", r"(\mathcal R_{m+c}q)^\top(\mathcal R_{n+c}k)=(\mathcal R_mq)^\top(\mathcal R_nk)\quad"
       r"(\text{both layouts},\ d=4)", uses=("C3",), strategies=TRIG)
def c6():
    r"""Translation invariance: the angle-addition expansion leaves \(\cos^2c\theta_i+\sin^2c\theta_i\)."""
    d = 4
    q, k, th = vec("q", d), vec("k", d), freqs(d)
    dom = _domains(q, k, th)
    inter = Identity((rope_matrix(m + c, th) * q).dot(rope_matrix(n + c, th) * k),
                     (rope_matrix(m, th) * q).dot(rope_matrix(n, th) * k), dom, points=3)
    half = Identity(rotate_half(q, m + c, th).dot(rotate_half(k, n + c, th)),
                    rotate_half(q, m, th).dot(rotate_half(k, n, th)), dom, points=3)
    return All((inter, half), ("interleaved", "half-split"))


# --- C7, C8, C9: long-range decay --------------------------------------------------------------

ABEL_M = (1, 2, 3, 8, 64)
Delta = sp.Symbol("Delta", real=True)


def _abel(h, e):
    r"""The three sides of C7 for coefficients ``h`` (with \(h_M=0\)) and terms ``e`` (\(S_{j+1}-S_j=e_j\))."""
    M = len(h)
    S = [sp.Integer(0)]
    for v in e:
        S.append(S[-1] + v)
    hh = list(h) + [0]
    return (sp.Add(*[h[i] * e[i] for i in range(M)]), sp.Add(*[h[i] * (S[i + 1] - S[i]) for i in range(M)]),
            -sp.Add(*[S[i + 1] * (hh[i + 1] - hh[i]) for i in range(M)]))


@claim("C7", r"\sum_{i=0}^{M-1}h_ie_i=\sum_{i=0}^{M-1}h_i(S_{i+1}-S_i)=-\sum_{i=0}^{M-1}S_{i+1}(h_{i+1}-h_i),"
       r"\quad S_{j}=\sum_{i<j}e_i,\ h_M=0\quad(M=1,2,3,8,64)")
def c7():
    r"""Abel summation (summation by parts) with \(e_i=e^{\mathrm i\Delta\theta_i}=S_{i+1}-S_i\): a polynomial identity
    in complex \(h_i,e_i\), so it holds for any terms \(e_i\); small \(M\) and the post's \(M=d/2=64\)."""
    def at(M):
        a, b, cc = _abel(sp.symbols(f"h0:{M}"), sp.symbols(f"e0:{M}"))
        return Identity(sp.Matrix([a, b]), sp.Matrix([b, cc]), points=2)
    return family(at, M=ABEL_M)


DECAY_D = 4
s_ = sp.Symbol("extremal", integer=True, nonnegative=True)


@lru_cache(maxsize=64)
def _extremal_h(delta, th, dps):
    with mpmath.workdps(dps):
        acc, w = mpmath.mpc(0), []
        for t in th:
            acc += mpmath.expj(delta * t)
            w.append(mpmath.conj(acc) / abs(acc))
        return [mpmath.fsum(w[i:]) for i in range(len(th))]


def _extremal_entry(i, delta, *th):
    h = _extremal_h(delta, tuple(th), mpmath.mp.dps)[int(i) // 2]
    return h.real if int(i) % 2 == 0 else h.imag


ExtremalQuery = quantity("ExtremalQuery", evaluator=_extremal_entry, real=True,
                         how="q* with z_i(q*) = sum_{l>=i} conj(S_{l+1})/|S_{l+1}|, by mpmath")


def extremal_query(delta, th) -> sp.Matrix:
    r"""\(q^*\) with \(h_i=z_i(q^*)=\sum_{l\ge i}\overline{S_{l+1}}/|S_{l+1}|\) (for \(k^*=(1,0,1,0,\dots)\)): then
    \(h_{i+1}-h_i=-\overline{S_{i+1}}/|S_{i+1}|\), so \(\sum_iS_{i+1}(h_{i+1}-h_i)=-\sum_j|S_j|\) and every step of C8
    is an equality (the bound is attained).  An input of the statement, computed by mpmath."""
    return sp.Matrix([ExtremalQuery(i, delta, *th) for i in range(2 * len(th))])


def decay_sides(q, k, delta, th):
    r"""\(|\sum_ih_ie^{\mathrm i\Delta\theta_i}|\) and the bound \(\max_i|h_{i+1}-h_i|\sum_j|S_j|\) (\(h_{d/2}=0\);
    moduli and the maximum left unevaluated)."""
    h = h_coefficients(q, k) + [0]
    S = partial_sums(delta, th)
    z = sp.Add(*[h[i] * sp.exp(sp.I * delta * t) for i, t in enumerate(th)])
    steps = sp.Max(*[sp.Abs(h[i + 1] - h[i], evaluate=False) for i in range(len(th))], evaluate=False)
    return sp.Abs(z, evaluate=False), steps * sp.Add(*[sp.Abs(v, evaluate=False) for v in S[1:]])


@claim("C8", r"|(\mathcal R_mq)^\top(\mathcal R_nk)|\le\Big|\sum_ih_ie^{\mathrm i\Delta\theta_i}\Big|"
       r"\le\Big(\max_{0\le i<d/2}|h_{i+1}-h_i|\Big)\sum_{j=1}^{d/2}|S_j|\quad(d=8)",
       hypotheses=(r"\Delta=m-n,\ h_{d/2}=0",), uses=("C3s", "C7"), symbolic=False)
def c8():
    r"""Decay bound: \(|\mathrm{Re}\,z|\le|z|\), then C7 and the triangle inequality (the post's first "\(\le\)" after
    Abel summation is an equality).  For all \(q,k\in\mathbb R^8\), \(\theta_i\), \(m,n\); the sampled inputs are
    random (\(s=0\)) and the extremal \(q^*(m-n)\), \(k^*=(1,0,\dots)\) (\(s=1\), :func:`extremal_query`), where
    the whole chain is an equality: the bound cannot be lowered.  No symbolic phase: moduli and maxima of
    exponential sums, which no rewrite orders."""
    d = DECAY_D
    qf, kf, th = vec("q", d), vec("k", d), freqs(d)
    kstar = sp.Matrix([1 - i % 2 for i in range(d)])
    q = (1 - s_) * qf + s_ * extremal_query(m - n, th)
    k = (1 - s_) * kf + s_ * kstar
    score = sp.Abs((rope_matrix(m, th) * q).dot(rope_matrix(n, th) * k), evaluate=False)
    mid, bound = decay_sides(q, k, m - n, th)
    dom = {**_domains(qf, kf, th), s_: integers(0, 1)}
    return All((Inequality(score, "<=", mid, dom, points=8), Inequality(mid, "<=", bound, dom, points=8)),
               ("|Re z| <= |z|", "Abel + triangle"))


M_half = sp.Symbol("M", integer=True, positive=True)
j_ = sp.Symbol("j", integer=True, positive=True)


@claim("C9a", r"F_d(0)=\frac2d\sum_{j=1}^{d/2}|S_j(0)|=\frac2d\sum_{j=1}^{d/2}j=\frac{d/2+1}{2}")
def c9a():
    r"""At \(\Delta=0\) every \(e^{\mathrm i\Delta\theta_i}=1\), so \(S_j(0)=j\); with \(M=d/2\):
    \(\frac1M\sum_{j=1}^Mj=\frac{M+1}2\) (every \(M\)), and the indicator itself at \(d=2,8,128\)."""
    general = Identity(sp.Sum(j_, (j_, 1, M_half)) / M_half, (M_half + 1) / 2, {M_half: integers(1, 64)})
    inst = [Identity(Indicator(d, 0), sp.Rational(d // 2 + 1, 2)) for d in (2, 8, 128)]
    return All((general, *inst), ("every M", "d=2", "d=8", "d=128"))


@claim("C9b", r"F_{128}(-\Delta)=F_{128}(\Delta)", strategies=(abs_conjugate,))
def c9b():
    r"""\(e^{-\mathrm i\Delta\theta}=\overline{e^{\mathrm i\Delta\theta}}\) for real \(\Delta,\theta\), so
    \(S_j(-\Delta)=\overline{S_j(\Delta)}\) and \(|S_j|\), \(F_d\) are even."""
    return Identity(Indicator(128, -Delta), Indicator(128, Delta), {Delta: real(-5000, 5000)}, points=3)


DECAY_RANGE = real(-5000, 5000)


@claim("C9c", r"F_d(\Delta)\le F_d(0)=\frac{d/2+1}{2}\ \text{for all }\Delta,\ \text{but }F_{128}\text{ is not monotone: }"
       r"F_{128}(4096)=4.8828>F_{128}(1000)=4.4708;\ 115\text{ of the }256\text{ unit steps on }[0,256]\text{ go up, "
       r"the first at }\Delta=18", uses=("C9a",), symbolic=False)
def c9c():
    r"""\(|S_j|\le j\) (triangle inequality) gives the envelope \(F_d\le F_d(0)\) (searched on \(|\Delta|\le5000\));
    the indicator oscillates (resonances where \(\Delta\theta_i\) is near \(2\pi\mathbb Z\)): the decay is of the
    envelope only.  The values to their printed digits.  No symbolic phase: orderings of sums of moduli of
    exponential sums."""
    return All((Inequality(Indicator(128, Delta), "<=", sp.Rational(65, 2), {Delta: DECAY_RANGE}, points=12),
                Inequality(Indicator(128, 4096), ">", Indicator(128, 1000)),
                Approximation(Indicator(128, 4096), stated("4.8828")),
                Approximation(Indicator(128, 1000), stated("4.4708")),
                Identity(UpSteps(), 115), Identity(FirstUpStep(), 18)),
               ("envelope", "F(4096) > F(1000)", "F(4096)", "F(1000)", "unit steps up", "first step up"))


@control("N6", r"F_{128}(\Delta_2)\le F_{128}(\Delta_1)\ \text{whenever }0\le\Delta_1\le\Delta_2\ \text{(monotone decay)}",
         symbolic=False)
def n6():
    r"""The post's plot reading "the relative size decays with the distance" taken literally: for
    \(\Delta_1\in[0,5000]\), \(t>0\), and at the spec's pair \((1000,4096)\)."""
    t = sp.Symbol("t", positive=True)
    return All((Inequality(Indicator(128, Delta + t), "<=", Indicator(128, Delta), {Delta: real(0, 5000),
                                                                                     t: positive(5000)}),
                Inequality(Indicator(128, 4096), "<=", Indicator(128, 1000))),
               ("0 <= Delta1 <= Delta2", "Delta=(1000, 4096)"))


# --- C10, C11: general 1D and 2D solutions -------------------------------------------------

b_skew = sp.symbols("b01 b02 b03 b12 b13 b23", real=True)


@claim("C10a", r"B^\top=-B\ \Rightarrow\ \exp(mB)^\top\exp(nB)=\exp((n-m)B),\quad \exp(nB)^\top\exp(nB)=I\quad(4\times4)",
       uses=("C1d",))
def c10a():
    r"""General 1D solutions: \(\exp(M)^\top=\exp(M^\top)\) and commuting exponents add.  Both sides by
    ``mpmath.expm`` for a 4x4 skew \(B\) with free entries \(b_{ij}\) (the 2x2 case \(B=\theta J\) is C1d)."""
    E = lambda t: SkewExp(t, *b_skew)  # noqa: E731
    dom = {m: real(-3, 3), n: real(-3, 3), **{b: ENTRY for b in b_skew}}
    return All((Identity(E(m).T * E(n), E(n - m), dom, points=2), Identity(E(n).T * E(n), sp.eye(4), dom, points=2)),
               ("relative", "orthogonal"))


def cayley(A: sp.Matrix) -> sp.Matrix:
    r"""\(O=(I-A)(I+A)^{-1}\): orthogonal for skew \(A\), exact over \(\mathbb Q\)."""
    I = sp.eye(A.rows)
    return (I - A) * (I + A).inv()


CAYLEY_A = (sp.Matrix(skew4(1, sp.Rational(1, 2), 2, -1, 3, sp.Rational(-2, 3))),
            sp.Matrix(skew4(sp.Rational(3, 4), -2, 1, 5, 0, 1)))
POWER_PAIRS = ((0, 3), (2, 5), (-1, 2), (4, -3), (3, 3))


@claim("C10b", r"O^\top O=I\ \Rightarrow\ (O^m)^\top O^n=O^{n-m}\quad(m,n\in\mathbb Z;\ \text{two rational }O,\ "
       r"(m,n)\in\{(0,3),(2,5),(-1,2),(4,-3),(3,3)\})")
def c10b():
    r"""\((O^m)^\top=(O^\top)^m=O^{-m}\).  Exact rational orthogonal matrices \(O=(I-A)(I+A)^{-1}\), \(A\) skew
    (instances)."""
    parts, labels = [], []
    for k, A in enumerate(CAYLEY_A):
        O = cayley(A)
        parts.append(Identity(O.T * O, sp.eye(4)))
        labels.append(f"O{k}: orthogonal")
        for a, b in POWER_PAIRS:
            parts.append(Identity((O ** a).T * O ** b, O ** (b - a)))
            labels.append(f"O{k}: (m,n)=({a},{b})")
    return All(tuple(parts), tuple(labels))


bb, cc, dd, ee, ff = sp.symbols("b c d e f", real=True)


@claim("C11a", r"[B(1,0,0),B(0,b,c)]=\begin{pmatrix}0&0&c\\0&0&-b\\-c&b&0\end{pmatrix},\ \text{so the generators "
       r"commute iff }b=c=0")
def c11a():
    r"""3x3 search: no commuting pair of this shape with \(B_2\ne0\) (no invertible 3x3 RoPE-2D of this form)."""
    B1, B2 = sp.Matrix(skew3(1, 0, 0)), sp.Matrix(skew3(0, bb, cc))
    return Identity(B1 * B2 - B2 * B1, sp.Matrix([[0, 0, cc], [0, 0, -bb], [-cc, bb, 0]]))


@claim("C11b", r"[B_4(1,b,c,0,0,0),B_4(0,0,0,d,e,f)]\text{ has entries }\pm(e+bf),\ \pm(d-cf),\ "
       r"\pm(b(d-cf)+c(e+bf)),\ \text{so it vanishes iff }d=cf,\ e=-bf")
def c11b():
    r"""4x4 search: the commutator is a linear combination of \(u=e+bf\) and \(v=d-cf\) (both appear as entries)."""
    B1, B2 = sp.Matrix(skew4(1, bb, cc, 0, 0, 0)), sp.Matrix(skew4(0, 0, 0, dd, ee, ff))
    u, v = ee + bb * ff, dd - cc * ff
    rhs = sp.Matrix([[0, 0, 0, u], [0, 0, 0, -v], [0, 0, 0, -(bb * v + cc * u)], [-u, v, bb * v + cc * u, 0]])
    return Identity(B1 * B2 - B2 * B1, rhs)


x1, y1, x2, y2 = sp.symbols("x1 y1 x2 y2", real=True)


@claim("C11", r"B_1^\top=-B_1,\ B_2^\top=-B_2,\ B_1B_2=B_2B_1\ \Rightarrow\ "
       r"\mathcal R_{x_1,y_1}^\top\mathcal R_{x_2,y_2}=\mathcal R_{x_2-x_1,y_2-y_1},\quad \mathcal R_{x,y}=\exp(xB_1+yB_2)",
       uses=("C10a", "C11b"))
def c11():
    r"""2D relativity from commuting skew generators, on the whole C11b family \(B_1=B_4(1,b,c,0,0,0)\),
    \(B_2=B_4(0,0,0,cf,-bf,f)\) (\(b,c,f\) free), both sides by ``mpmath.expm``.  Commutation is sufficient, not
    necessary."""
    Rxy = lambda xx, yy: CommutingExp(bb, cc, ff, xx, yy)  # noqa: E731
    dom = {bb: ENTRY, cc: ENTRY, ff: ENTRY, x1: real(-3, 3), y1: real(-3, 3), x2: real(-3, 3), y2: real(-3, 3)}
    return Identity(Rxy(x1, y1).T * Rxy(x2, y2), Rxy(x2 - x1, y2 - y1), dom, points=2)


@claim("C11c", r"f=1,\ b=c=d=e=0:\ \exp(\theta(xB_1+yB_2))=\mathrm{diag}(R(x\theta),R(y\theta))", uses=("C1d",))
def c11c():
    r"""The simplest commuting pair is block diagonal; its exponential (SymPy's) is the RoPE-2D of 8397."""
    B1, B2 = sp.Matrix(skew4(1, 0, 0, 0, 0, 0)), sp.Matrix(skew4(0, 0, 0, 0, 0, 1))
    return Identity((theta * (x * B1 + y * B2)).exp(), sp.diag(R(x * theta), R(y * theta)),
                    {x: POSITION, y: POSITION, theta: real(-2, 2)}, points=3)


# --- C12: quaternions -----------------------------------------------------------------------

@claim("C12a", r"\mathbf i\mathbf j=\mathbf k=-\mathbf j\mathbf i,\quad \mathbf i^2=\mathbf j^2=\mathbf k^2=-1,\quad "
       r"v^2=-|v|^2\ \text{for pure }v=x\mathbf i+y\mathbf j+z\mathbf k")
def c12a():
    r"""Quaternion relations in the real 4x4 left-multiplication representation (exact)."""
    u = quaternion_units()
    a, b, z = sp.symbols("a b z", real=True)
    V = a * u["i"] + b * u["j"] + z * u["k"]
    lhs = sp.Matrix.hstack(u["i"] * u["j"], u["j"] * u["i"], u["i"] ** 2, u["j"] ** 2, u["k"] ** 2, V * V)
    one = u["1"]
    rhs = sp.Matrix.hstack(u["k"], -u["k"], -one, -one, -one, -(a ** 2 + b ** 2 + z ** 2) * one)
    return Identity(lhs, rhs)


qa, v1, v2, v3 = sp.symbols("a v1 v2 v3", real=True)


@claim("C12b", r"e^{a+v}=e^a\Big(\cos|v|+\frac{v}{|v|}\sin|v|\Big)\quad(v\ \text{pure})", uses=("C12a",))
def c12b():
    r"""Quaternion Euler formula: from \(v^2=-|v|^2\) the exponential series splits into \(\cos\) and \(\sin\).
    The left side by ``mpmath.expm`` of the 4x4 representation."""
    u = quaternion_units()
    r = sp.sqrt(v1 ** 2 + v2 ** 2 + v3 ** 2)
    V = v1 * u["i"] + v2 * u["j"] + v3 * u["k"]
    rhs = sp.exp(qa) * (sp.cos(r) * u["1"] + V * sp.sin(r) / r)
    return Identity(QuaternionExp(qa, v1, v2, v3), rhs, {qa: ENTRY, v1: ENTRY, v2: ENTRY, v3: ENTRY}, points=2)


@control("C12x", r"e^{\theta\mathbf i}e^{\theta\mathbf j}=e^{\theta(\mathbf i+\mathbf j)}\quad(\theta=0.7)",
         uses=("C12b",))
def c12x():
    r"""The quaternion dead end of 8397: exponentials of non-commuting units do not add (SymPy's matrix
    exponentials)."""
    u = quaternion_units()
    t = sp.Rational(7, 10)
    return Identity((t * u["i"]).exp() * (t * u["j"]).exp(), (t * (u["i"] + u["j"])).exp())


# --- C13: RoPE-Tie ----------------------------------------------------------------------------

L_, w_, h_, s_t, t_t, K_ = sp.symbols("L w h s t K", positive=True)


def gaps(L, w, h, s, t, K) -> sp.Matrix:
    r"""(first patch \(-\) last text token, next text token \(-\) last patch) for patches at \((L+is,L+jt)\),
    row \(i\le h\), column \(j\le w\)."""
    first, last = (L + s, L + t), (L + h * s, L + w * t)
    return sp.Matrix([first[0] - L, first[1] - L, K - last[0], K - last[1]])


def patch_positions(L, w, h, s, t) -> sp.Matrix:
    """2D positions of the patches, row-major (one row per patch)."""
    return sp.Matrix([[L + i * s, L + j * t] for i in range(1, h + 1) for j in range(1, w + 1)])


@claim("C13a", r"(L+s,L+t)-(L,L)=(K,K)-(L+hs,L+wt)=(s,t)\iff (h+1)s=(w+1)t,\ K=L+(h+1)s")
def c13a():
    r"""RoPE-Tie: patch (row \(i\), column \(j\)) at \((L+is, L+jt)\).  The first gap is \((s,t)\) by construction;
    SymPy's ``solve`` of the two equations of the second gap for \((K,t)\) has exactly one solution, the post's."""
    g = gaps(L_, w_, h_, s_t, t_t, K_)
    sol = sp.solve([g[2] - s_t, g[3] - t_t], [K_, t_t], dict=True)
    got = [len(sol), g[0], g[1]] + ([sol[0][K_], sol[0][t_t]] if len(sol) == 1 else [0, 0])
    want = [1, s_t, t_t, L_ + (h_ + 1) * s_t, (h_ + 1) * s_t / (w_ + 1)]
    return Identity(sp.Matrix(got), sp.Matrix(want), {L_: positive(20), w_: positive(20), h_: positive(20),
                                                      s_t: positive(20)})


TIE_INTEGER = (((5, 3, 2), (4, 3, 17)), ((10, 4, 4), (5, 5, 35)), ((0, 7, 3), (8, 4, 32)))
TIE_TOKENS = (((3, 2), (sp.Rational(7, 3), sp.Rational(7, 4), 7)), ((16, 9), (sp.Rational(29, 2), sp.Rational(145, 17),
                                                                                145)))


@claim("C13b", r"s=w+1,\ t=h+1,\ K=L+(w+1)(h+1)\ \text{(integer)};\quad s=\tfrac{wh+1}{h+1},\ t=\tfrac{wh+1}{w+1},\ "
       r"K=L+wh+1", uses=("C13a",))
def c13b():
    r"""Both scalings of 10040 give both gaps exactly \((s,t)\) (symbolic in \(L,w,h\)); the second makes the image
    occupy \(wh\) positions like \(wh\) text tokens.  The spec's cases: \((L,w,h)=(5,3,2)\): \(s=4,t=3,K=17\), patches
    \((9,8),(9,11),(9,14),(13,8),(13,11),(13,14)\); \((10,4,4)\): \(K=35\); \((0,7,3)\): \(s=8,t=4,K=32\);
    \((w,h)=(3,2)\): \(s=7/3,t=7/4,K-L=7\); \((16,9)\): \(s=29/2,t=145/17,K-L=145\)."""
    def integer(L, w, h):
        return w + 1, h + 1, L + (w + 1) * (h + 1)

    def tokens(L, w, h):
        return (w * h + 1) / (h + 1), (w * h + 1) / (w + 1), L + w * h + 1

    dom = {L_: positive(20), w_: positive(20), h_: positive(20)}
    parts, labels = [], []
    for name, scaling in (("integer", integer), ("wh tokens", tokens)):
        s, t, K = scaling(L_, w_, h_)
        parts.append(Identity(gaps(L_, w_, h_, s, t, K), sp.Matrix([s, t, s, t]), dom))
        labels.append(name)
    for (L, w, h), want in TIE_INTEGER:
        parts.append(Identity(sp.Matrix(integer(sp.Integer(L), w, h)), sp.Matrix(want)))
        labels.append(f"(L,w,h)=({L},{w},{h})")
    parts.append(Identity(patch_positions(5, 3, 2, *integer(5, 3, 2)[:2]),
                          sp.Matrix([[9, 8], [9, 11], [9, 14], [13, 8], [13, 11], [13, 14]])))
    labels.append("patches (5,3,2)")
    for (w, h), (s, t, KL) in TIE_TOKENS:
        got = tokens(0, sp.Integer(w), sp.Integer(h))
        parts.append(Identity(sp.Matrix(got), sp.Matrix([s, t, KL])))
        labels.append(f"(w,h)=({w},{h})")
    return All(tuple(parts), tuple(labels))


@claim("C13c", r"s=t=1:\ (K-L-h)-(K-L-w)=w-h,\ \text{so both gaps equal }(1,1)\text{ only if }w=h")
def c13c():
    r"""Without scaling the two components of the second gap differ by \(w-h\) whatever \(K\) is."""
    g = gaps(L_, w_, h_, 1, 1, K_)
    return Identity(g[2] - g[3], w_ - h_, {L_: positive(20), w_: positive(20), h_: positive(20), K_: positive(50)})


# --- C14: degeneration of RoPE-2D to RoPE-1D ------------------------------------------------

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


@claim("C14", r"\Theta_x=\{\theta_{2k}\},\ \Theta_y=\{\theta_{2k+1}\}:\ \mathcal R_{n,n}=P^\top\mathcal R_nP,\quad "
       r"(\mathcal R_{m,m}q)^\top(\mathcal R_{n,n}k)=(\mathcal R_mPq)^\top(\mathcal R_nPk),\quad"
       r"\mathcal R_{x_1,y_1}^\top\mathcal R_{x_2,y_2}=\mathcal R_{x_2-x_1,y_2-y_1}\quad(d=4,8)", uses=("C3",),
       strategies=TRIG)
def c14():
    r"""With complementary frequency sets a text token at \((n,n)\) gets exactly RoPE-1D, through a fixed
    permutation \(P\); RoPE-2D is relative in each coordinate (C3 componentwise)."""
    parts, labels = [], []
    for d in (4, 8):
        th = freqs(d)
        tx, ty = th[0::2], th[1::2]
        P = split_permutation(d)
        q, k = vec("q", d), vec("k", d)
        dom = _domains(q, k, th)
        dom.update({x1: POSITION, y1: POSITION, x2: POSITION, y2: POSITION})
        parts += [Identity(rope2d(n, n, tx, ty), P.T * rope_matrix(n, th) * P, dom, points=3),
                  Identity((rope2d(m, m, tx, ty) * q).dot(rope2d(n, n, tx, ty) * k),
                           (rope_matrix(m, th) * P * q).dot(rope_matrix(n, th) * P * k), dom, points=3),
                  Identity(rope2d(x1, y1, tx, ty).T * rope2d(x2, y2, tx, ty), rope2d(x2 - x1, y2 - y1, tx, ty), dom,
                           points=3)]
        labels += [f"d={d}: matrix", f"d={d}: score", f"d={d}: 2D relative"]
    return All(tuple(parts), tuple(labels))


# --- negative controls ----------------------------------------------------------------------

@control("N1", r"(R(m\theta)q)^\top(R(n\theta)k)=q^\top R((m-n)\theta)k")
def n1():
    r"""Sign slip: the residual \(2(q_0k_1-q_1k_0)\sin((m-n)\theta)\) vanishes only for parallel \(q,k\)."""
    lhs = (R(m * theta) * sp.Matrix([q0, q1])).dot(R(n * theta) * sp.Matrix([k0, k1]))
    rhs = sp.Matrix([q0, q1]).dot(R((m - n) * theta) * sp.Matrix([k0, k1]))
    return Identity(lhs, rhs, {m: POSITION, n: POSITION, theta: positive(1), q0: ENTRY, q1: ENTRY, k0: ENTRY,
                               k1: ENTRY})


@control("N2a", r"\theta_i=10000^{-i/d}\ (d=4):\ (\theta_0,\theta_1)=(1,\ 0.01)")
def n2a():
    r"""Wrong exponent: \(10000^{-1/4}=1/10\), not the post's \(10000^{-2/4}=1/100\)."""
    return Identity(sp.Matrix([sp.Integer(BASE) ** sp.Rational(-i, 4) for i in range(2)]),
                    sp.Matrix([1, sp.Rational(1, 100)]))


@control("N2b", r"\theta_i=10000^{-2(i+1)/d}\ (d=4):\ (\theta_0,\theta_1)=(1,\ 0.01)")
def n2b():
    r"""Off by one: starting at \(i=1\) drops \(\theta=1\)."""
    return Identity(sp.Matrix([sp.Integer(BASE) ** sp.Rational(-2 * (i + 1), 4) for i in range(2)]),
                    sp.Matrix([1, sp.Rational(1, 100)]))


@lru_cache(maxsize=None)
def seed0_vectors(d: int = 64):
    r"""The spec's \(q,k\): numpy ``default_rng(0)`` standard normals, as the exact binary fractions they are."""
    rng = np.random.default_rng(0)
    q, k = rng.standard_normal(d), rng.standard_normal(d)
    return sp.Matrix([sp.Rational(float(v)) for v in q]), sp.Matrix([sp.Rational(float(v)) for v in k])


@control("N3", r"(\mathcal R^{int}_{m+c}q)^\top(\mathcal R^{half}_{n+c}k)=(\mathcal R^{int}_mq)^\top(\mathcal R^{half}_nk)"
         r"\ \text{(mixed layouts; }d=64,\ m=17,\ n=5,\ c=3)", symbolic=False)
def n3():
    r"""Interleaved rotation for \(q\), half-split for \(k\): the pairs no longer match and relativity breaks
    (the spec's seed-0 vectors; the score moves by 1.39).  Both sides are closed numbers: Arb enclosures decide
    (no symbolic phase: 64 cosines of \(17\cdot10000^{-i/32}\) have no exact simplification)."""
    q, k = seed0_vectors()
    th = post_freqs(64)

    def score(a, b):
        return elementwise(q, a, th).dot(rotate_half(k, b, th))
    return Identity(score(20, 8), score(17, 5))


@control("N4", r"(\mathcal R_mq)^\top(\mathcal R_nk)=q^\top\mathcal R_{m+n}k\quad(d=2,\ \theta=1,\ q=(1,0),\ k=(0,1),\ m=n=1)")
def n4():
    r"""Adding instead of subtracting positions: LHS \(=0\), RHS \(=-\sin2\)."""
    qv, kv = sp.Matrix([1, 0]), sp.Matrix([0, 1])
    return Identity((R(1) * qv).dot(R(1) * kv), qv.dot(R(2) * kv))


@control("N5", r"\mathcal R_{x,y}=\exp(xB(1,0,0)+yB(0,0,1))\ \text{satisfies 2D relativity at }(0.3,0.7),\ (1.1,-0.4)")
def n5():
    r"""Non-commuting skew generators: \(\exp(A)\exp(B)\ne\exp(A+B)\) (both sides by ``mpmath.expm``)."""
    p1, p2 = (sp.Rational(3, 10), sp.Rational(7, 10)), (sp.Rational(11, 10), sp.Rational(-2, 5))
    return Identity(NoncommutingExp(*p1).T * NoncommutingExp(*p2), NoncommutingExp(p2[0] - p1[0], p2[1] - p1[1]))


@control("N7", r"\mathcal R_{x,y}=R((x+y)\theta)\ \text{is injective: }\|\mathcal R_{1,0}-\mathcal R_{0,1}\|_F^2>0")
def n7():
    r"""Using \(x+y\) as a 1D position satisfies relativity (C1 with angle \((x+y)\theta\)) but forgets which
    coordinate moved: \((1,0)\) and \((0,1)\) give the same matrix."""
    diff = R((1 + 0) * theta) - R((0 + 1) * theta)
    return Inequality(sum(v ** 2 for v in diff), ">", 0, {theta: positive(1)})


@control("N8", r"\text{same }\Theta\text{ in both halves (8397)}:\ \mathcal R_{n,n}=P^\top\mathcal R_nP\ "
         r"\text{for a permutation }P,\ \text{so }\mathrm{tr}\,\mathcal R_{1,1}=\mathrm{tr}\,\mathcal R_1\quad(d=128)",
         symbolic=False)
def n8():
    r"""With the same frequency set for \(x\) and \(y\) each frequency appears twice, so RoPE-2D at \((n,n)\) is not
    RoPE-1D; similar matrices have equal traces, and the traces differ.  Both traces are closed sums of cosines:
    Arb enclosures decide (no symbolic phase)."""
    same = post_freqs(64)
    return Identity(rope2d(1, 1, same, same).trace(), rope_matrix(1, post_freqs(128)).trace())


@control("N9", r"s=t=1,\ (L,w,h)=(5,3,2):\ \exists K:\ (K-7,\ K-8)=(1,1)")
def n9():
    r"""RoPE-Tie without scaling cannot make both gaps \((1,1)\) when \(w\ne h\): the system has no solution."""
    K = sp.Symbol("K")
    g = gaps(5, 3, 2, 1, 1, K)
    return Inequality(sp.Integer(len(sp.solve([g[2] - 1, g[3] - 1], [K], dict=True))), ">=", 1)


wi, xi, yi = sp.symbols("w_img x_img y_img", integer=True, positive=True)


@control("N10", r"\mathrm{idx}(x,y)=xw+y:\ \mathrm{idx}(x+1,y)-\mathrm{idx}(x,y)=\mathrm{idx}(x,y+1)-\mathrm{idx}(x,y)")
def n10():
    r"""Row-major flattening of a \(w\)-wide image: vertical neighbours are \(w\) apart, horizontal ones 1."""
    def idx(a, b):
        return a * wi + b
    return Identity(idx(xi + 1, yi) - idx(xi, yi), idx(xi, yi + 1) - idx(xi, yi),
                    {wi: integers(2, 64), xi: integers(1, 64), yi: integers(1, 64)})


# --- results ------------------------------------------------------------------------------------

def results():
    th = sp.Symbol(r"\theta_i", positive=True)
    blk = sp.simplify(R(m * th).T * R(n * th))
    with mpmath.workdps(20):
        f = {v: mpmath.nstr(mp_indicator(128, v), 8) for v in (0, 100, 1000, 2009, 4096)}
    return [
        ("2x2 block of the relative property",
         sp.latex(R(m * th).T) + sp.latex(R(n * th)) + "=" + sp.latex(blk) + "=R((n-m)\\theta_i)"),
        ("frequencies", r"\theta_i=10000^{-2i/d},\quad \theta_{63}^{(d=128)}=10000^{-126/128}\approx"
         + sp.latex(sp.Float(post_freqs(128)[-1], 11))),
        ("decay bound", r"|(\mathcal R_mq)^\top(\mathcal R_nk)|\le\max_i|h_{i+1}-h_i|\cdot\tfrac d2F_d(m-n),\quad "
                        r"F_d(0)=\tfrac{d/2+1}2"),
        ("indicator d=128", r",\ ".join(f"F_{{128}}({v})={s}" for v, s in f.items())),
        ("commuting 4x4 generators", r"B_1=" + sp.latex(sp.Matrix(skew4(1, bb, cc, 0, 0, 0))) + r",\ B_2="
         + sp.latex(sp.Matrix(skew4(0, 0, 0, cc * ff, -bb * ff, ff)))),
        ("RoPE-Tie", r"s=w+1,\ t=h+1,\ K=L+(w+1)(h+1);\qquad s=\tfrac{wh+1}{h+1},\ t=\tfrac{wh+1}{w+1},\ K=L+wh+1"),
    ]


DERIVATION = Derivation(
    slug="rope",
    title="Rotary position embedding: relative property, decay bound, RoPE-2D and RoPE-Tie",
    source="https://spaces.ac.cn/archives/8265",
    date="2021-03-23",
    summary="RoPE rotation identities in d dimensions (both memory layouts), the Abel-summation decay bound "
            "and its non-monotone indicator, commuting-generator RoPE-2D, the quaternion dead end and the "
            "RoPE-Tie layout for text+image (posts 8265, 8397, 10040).",
    claims=(c1, c1d, c2a, c2b, c3, c3s, c4, c5, c5p, c5r, c6, c7, c8, c9a, c9b, c10a, c10b,
            c11a, c11b, c11, c11c, c12a, c12b, c13a, c13b, c13c, c14),
    controls=(n1, n2a, n2b, n3, n4, n5, n7, n8, n9, n10, c12x),
    errata=(Erratum("E1.monotone-decay", post_says=n6, correct=c9c,
                    note="8265 reads the plot of the indicator as decay with distance; F_d is only bounded by "
                         "F_d(0) and oscillates (115 of the 256 unit steps on [0,256] go up, F_128(4096) = 4.8828 > "
                         "F_128(1000) = 4.4708)."),),
    results=results,
)
