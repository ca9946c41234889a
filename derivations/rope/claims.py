r"""The claims, negative controls and erratum of the RoPE posts (8265, 8397, 10040).

The \(d\)-dimensional rotation identities are stated on the explicit matrices and scores at
\(d=2,4,8\) with every frequency, position and vector entry symbolic (the engine proves each on its own
difference); the decay indicator at the post's \(d=128\).  Quantities (evidence) at the top.
"""
from __future__ import annotations

import sympy as sp

from derivations.engine import (All, Approximation, Identity, Inequality, claim, control, family, integers,
                                positive, quantity, real, stated)
from derivations.rope.algebra import (BASE, TRIG, J, R, abel_sides, abs_conjugate, cayley, columns,
                                      complex_score, decay_sides, elementwise, freqs, gaps, h_coefficients,
                                      indicator_expr, integer_scaling, patch_positions, pi_matrix, post_freqs,
                                      quaternion_rows, quaternion_units, rope2d, rope_matrix, rotate_half, skew3,
                                      skew4, split_permutation, token_scaling, vec)
from derivations.rope.numerics import (ExpmEntry, arb_indicator, commuting_generator, extremal_entry, first_up_step,
                                       mp_indicator, noncommuting_generator, seed0_vectors, skew_generator,
                                       up_step_count)

m, n, c, x, y = sp.symbols("m n c x y", real=True)
alpha, beta, theta = sp.symbols("alpha beta theta", real=True)
Delta = sp.Symbol("Delta", real=True)
POSITION = real(-2000, 2000)
FREQUENCY = positive(1)
ENTRY = real(-2, 2)
DIMS = (2, 4, 8)


def _domains(*groups) -> dict:
    """Positions in [-2000, 2000], frequencies in (0, 1], vector entries in [-2, 2]."""
    out = {m: POSITION, n: POSITION, c: POSITION}
    for g in groups:
        for s in g:
            out[s] = FREQUENCY if s.name.startswith("theta") else ENTRY
    return out


# --- quantities (evidence) ---------------------------------------------------------------------

Indicator = quantity("F", exact=indicator_expr, evaluator=mp_indicator, enclosure=arb_indicator, real=True,
                     how="the post's definition: moduli of cumulative sums of exp(i Delta theta_i)")
UpSteps = quantity("UpSteps", evaluator=up_step_count, real=True,
                   how="count of Delta in 0..255 with F_128(Delta+1) > F_128(Delta)")
FirstUpStep = quantity("FirstUpStep", evaluator=first_up_step, real=True,
                       how="smallest Delta with F_128(Delta+1) > F_128(Delta)")
ExtremalQuery = quantity("ExtremalQuery", evaluator=extremal_entry, real=True,
                         how="q* with z_i(q*) = sum_{l>=i} conj(S_{l+1})/|S_{l+1}|, by mpmath")


def expm_matrix(name: str, size: int, generator, how: str):
    r"""``M(*params)``: the SymPy matrix whose entry \((i,j)\) is the quantity ``name(i, j, *params)``
    \(=\exp(\mathrm{generator}(*params))_{ij}\) (``mpmath.expm``), so that statements transpose and multiply
    matrix exponentials themselves."""
    Q = quantity(name, evaluator=ExpmEntry(generator), real=True, how=how)
    return lambda *params: sp.Matrix(size, size, lambda i, j: Q(i, j, *params))


SkewExp = expm_matrix("ExpSkew", 4, skew_generator, "mpmath.expm(t B), B skew with entries b_ij")
CommutingExp = expm_matrix("ExpComm", 4, commuting_generator,
                           "mpmath.expm(x B1 + y B2), B1 = B4(1,b,c,0,0,0), B2 = B4(0,0,0,cf,-bf,f)")
NoncommutingExp = expm_matrix("ExpNonComm", 3, noncommuting_generator, "mpmath.expm(x B(1,0,0) + y B(0,0,1))")
QuaternionExp = expm_matrix("ExpQuat", 4, quaternion_rows, "mpmath.expm of the 4x4 matrix of a + v")


# --- C1, C2: 2x2 algebra and the complex form -------------------------------------------------

@claim("C1.rotation-algebra", r"R(\alpha)^\top R(\beta)=R(\beta-\alpha),\quad R(\alpha)R(\beta)=R(\alpha+\beta),\quad "
       r"R(\alpha)^\top R(\alpha)=I,\quad\det R(\alpha)=1", strategies=TRIG)
def rotation_algebra():
    r"""2x2 rotation algebra: angle addition and \(\cos^2+\sin^2=1\), as one matrix identity
    \([R(\alpha)^\top R(\beta)\,|\,R(\alpha)R(\beta)\,|\,R(\alpha)^\top R(\alpha)\,|\,\det]\)."""
    lhs = sp.Matrix.hstack(R(alpha).T * R(beta), R(alpha) * R(beta), R(alpha).T * R(alpha),
                           sp.Matrix([R(alpha).det(), 0]))
    rhs = sp.Matrix.hstack(R(beta - alpha), R(alpha + beta), sp.eye(2), sp.Matrix([1, 0]))
    return Identity(lhs, rhs, {alpha: real(-7, 7), beta: real(-7, 7)}, points=3)


@claim("C1.exponential-form", r"R(n\theta)=\exp(n\theta J),\qquad J=\begin{pmatrix}0&-1\\1&0\end{pmatrix}")
def exponential_form():
    r"""SymPy's matrix exponential of \(n\theta J\) (its own eigen-decomposition) against \(R(n\theta)\)."""
    return Identity((n * theta * J).exp(), R(n * theta), {n: POSITION, theta: real(-2, 2)}, points=3)


q0, q1, k0, k1 = sp.symbols("q0 q1 k0 k1", real=True)


@claim("C2.complex-rotation", r"q\,e^{\mathrm im\theta}\ \leftrightarrow\ R(m\theta)\begin{pmatrix}q_0\\q_1\end{pmatrix}")
def complex_rotation():
    r"""Multiplication by \(e^{\mathrm im\theta}\) is the rotation \(R(m\theta)\) of \((\mathrm{Re},\mathrm{Im})\)."""
    z = sp.expand_complex((q0 + sp.I * q1) * sp.exp(sp.I * m * theta))
    return Identity(sp.Matrix([sp.re(z), sp.im(z)]), R(m * theta) * sp.Matrix([q0, q1]),
                    {m: POSITION, theta: real(-2, 2)}, points=3)


@claim("C2.relative-score", r"(R(m\theta)q)\cdot(R(n\theta)k)=\mathrm{Re}\big[(q_0+\mathrm iq_1)\overline{(k_0+\mathrm ik_1)}"
       r"\,e^{\mathrm i(m-n)\theta}\big]", uses=("C2.complex-rotation",), strategies=TRIG)
def relative_score_2d():
    r"""The 2D score depends on the positions only through \(m-n\)."""
    lhs = (R(m * theta) * sp.Matrix([q0, q1])).dot(R(n * theta) * sp.Matrix([k0, k1]))
    return Identity(lhs, complex_score([q0, q1], [k0, k1], m - n, [theta]),
                    {m: POSITION, n: POSITION, theta: real(-2, 2)}, points=3)


# --- C3, C4: the relative property and orthogonality in d dimensions ---------------------------

@claim("C3.relative-matrix", r"\mathcal R_m^\top\mathcal R_n=\mathcal R_{n-m}\quad(d=2,4,8;\ \theta_i,\ m,\ n\in\mathbb R)",
       hypotheses=(r"\theta_i,\ m,\ n\in\mathbb R",), uses=("C1.rotation-algebra",), strategies=TRIG)
def relative_matrix():
    r"""Block \(i\) of \(\mathcal R_m^\top\mathcal R_n\) is \(R(m\theta_i)^\top R(n\theta_i)=R((n-m)\theta_i)\); the
    explicit \(d\times d\) matrices with every \(\theta_i\), \(m\), \(n\) symbolic."""
    def at(d):
        th = freqs(d)
        return Identity(rope_matrix(m, th).T * rope_matrix(n, th), rope_matrix(n - m, th), _domains(th), points=3)
    return family(at, d=DIMS)


@claim("C3.relative-score", r"(\mathcal R_mq)^\top(\mathcal R_nk)=q^\top\mathcal R_{n-m}k=\mathrm{Re}\sum_{i=0}^{d/2-1}"
       r"h_i\,e^{\mathrm i(m-n)\theta_i}\quad(d=4,8)", uses=("C2.relative-score", "C3.relative-matrix"),
       strategies=TRIG)
def relative_score():
    r"""The score form, \(h_i=(q_{2i}+\mathrm iq_{2i+1})\overline{(k_{2i}+\mathrm ik_{2i+1})}\), with all of
    \(q,k\in\mathbb R^d\), \(\theta_i\), \(m,n\) symbolic."""
    parts, labels = [], []
    for d in (4, 8):
        q, k, th = vec("q", d), vec("k", d), freqs(d)
        dom = _domains(q, k, th)
        score = (rope_matrix(m, th) * q).dot(rope_matrix(n, th) * k)
        bilinear = q.dot(rope_matrix(n - m, th) * k)
        parts += [Identity(score, bilinear, dom, points=3),
                  Identity(bilinear, complex_score(q, k, m - n, th), dom, points=3)]
        labels += [f"d={d}: score", f"d={d}: complex form"]
    return All(tuple(parts), tuple(labels))


@claim("C4.orthogonality", r"\mathcal R_m^\top\mathcal R_m=I,\qquad \|\mathcal R_mq\|^2=\|q\|^2,\qquad "
       r"\det\mathcal R_m=1\quad(d=2,4,8)", uses=("C1.rotation-algebra",), strategies=TRIG)
def orthogonality():
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

@claim("C5.elementwise", r"\mathcal R_mq=q\odot c_m+\rho(q)\odot s_m,\quad \rho(q)=(-q_1,q_0,-q_3,q_2,\dots),\ "
       r"c_m=(\cos m\theta_0,\cos m\theta_0,\cos m\theta_1,\dots)\quad(d=2,4,8,16)")
def elementwise_form():
    r"""The elementwise (code) form of the interleaved rotation against the block-diagonal matrix times \(q\)."""
    def at(d):
        q, th = vec("q", d), freqs(d)
        return Identity(elementwise(q, m, th), rope_matrix(m, th) * q, _domains(q, th), points=3)
    return family(at, d=DIMS + (16,))


@claim("C5p.rotate-half", r"\mathrm{RoPE}_{half}(q)=q\odot\hat c_m+\mathrm{rh}(q)\odot\hat s_m=\Pi^{-1}\mathcal R_m\Pi q,"
       r"\quad(\Pi q)_{2j}=q_j,\ (\Pi q)_{2j+1}=q_{j+d/2};\quad \mathcal H_m^\top\mathcal H_n=\mathcal H_{n-m}",
       uses=("C5.elementwise", "C3.relative-matrix"), strategies=TRIG)
def rotate_half_form():
    r"""The GPT-NeoX/LLaMA ``rotate_half`` layout is the post's rotation conjugated by the permutation \(\Pi\)
    (\(d=2,4,8\)); its matrix \(\mathcal H_m\) (columns: images of the unit vectors) satisfies the relative property
    on its own (\(d=4,8\))."""
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


@claim("C5p.layouts-differ", r"d=4,\ \theta=(1,0.01),\ q=(1,2,3,4),\ m=1:\ \mathcal R_1q=(-1.14263966,\ 1.9220756,\ "
       r"2.95985067,\ 4.0297995),\ \mathrm{RoPE}_{half}(q)=(-1.98411065,\ 1.95990067,\ 2.4623779,\ 4.01979967)",
       uses=("C5.elementwise", "C5p.rotate-half"))
def layouts_differ():
    r"""The two layouts give different numbers on the same \(q\): the spec's reference values to their printed
    digits (the base \(10000\) gives \(\theta=(1,10000^{-2/4})=(1,0.01)\) at \(d=4\))."""
    inter, half = rope_matrix(1, LAYOUT_THETA) * LAYOUT_Q, rotate_half(LAYOUT_Q, 1, LAYOUT_THETA)
    parts = [Approximation(v, stated(t)) for v, t in zip(inter, INTERLEAVED_REF)]
    parts += [Approximation(v, stated(t)) for v, t in zip(half, HALF_REF)]
    return All(tuple(parts), tuple(f"interleaved[{i}]" for i in range(4)) + tuple(f"half[{i}]" for i in range(4)))


# --- C6: translation invariance ---------------------------------------------------------------

@claim("C6.translation-invariance", r"(\mathcal R_{m+c}q)^\top(\mathcal R_{n+c}k)=(\mathcal R_mq)^\top(\mathcal R_nk)"
       r"\quad(\text{both layouts},\ d=4)", uses=("C3.relative-score",), strategies=TRIG)
def translation_invariance():
    r"""Shifting both positions: the angle-addition expansion leaves \(\cos^2c\theta_i+\sin^2c\theta_i\)."""
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


@claim("C7.abel-summation", r"\sum_{i=0}^{M-1}h_ie_i=\sum_{i=0}^{M-1}h_i(S_{i+1}-S_i)=-\sum_{i=0}^{M-1}S_{i+1}(h_{i+1}-h_i),"
       r"\quad S_{j}=\sum_{i<j}e_i,\ h_M=0\quad(M=1,2,3,8,64)")
def abel_summation():
    r"""Summation by parts with \(e_i=e^{\mathrm i\Delta\theta_i}=S_{i+1}-S_i\): a polynomial identity in complex
    \(h_i,e_i\), so it holds for any terms \(e_i\); small \(M\) and the post's \(M=d/2=64\)."""
    def at(M):
        a, b, cc = abel_sides(sp.symbols(f"h0:{M}"), sp.symbols(f"e0:{M}"))
        return Identity(sp.Matrix([a, b]), sp.Matrix([b, cc]), points=2)
    return family(at, M=ABEL_M)


DECAY_D = 4
extremal = sp.Symbol("extremal", integer=True, nonnegative=True)


def extremal_query(delta, th) -> sp.Matrix:
    r"""\(q^*\) with \(z_i(q^*)=h_i=\sum_{l\ge i}\overline{S_{l+1}}/|S_{l+1}|\) (for \(k^*=(1,0,1,0,\dots)\)): then
    \(h_{i+1}-h_i=-\overline{S_{i+1}}/|S_{i+1}|\), so \(\sum_iS_{i+1}(h_{i+1}-h_i)=-\sum_j|S_j|\), real, and every step of
    the decay bound is an equality.  An input of the statement (computed by mpmath), not a side of it."""
    return sp.Matrix([ExtremalQuery(i, delta, *th) for i in range(2 * len(th))])


@claim("C8.decay-bound", r"|(\mathcal R_mq)^\top(\mathcal R_nk)|\le\Big|\sum_ih_ie^{\mathrm i\Delta\theta_i}\Big|"
       r"\le\Big(\max_{0\le i<d/2}|h_{i+1}-h_i|\Big)\sum_{j=1}^{d/2}|S_j|\quad(d=4)",
       hypotheses=(r"\Delta=m-n,\ h_{d/2}=0",), uses=("C3.relative-score", "C7.abel-summation"), symbolic=False)
def decay_bound():
    r"""\(|\mathrm{Re}\,z|\le|z|\), then Abel summation and the triangle inequality (the post's first "\(\le\)" after
    Abel summation is an equality).  For all \(q,k\in\mathbb R^4\), \(\theta_i\), \(m,n\); the inputs are the free
    \(q,k\) (``extremal`` \(=0\)) or the extremal \(q^*(m-n)\), \(k^*=(1,0,1,0)\) (``extremal`` \(=1\)), at which the
    whole chain is an equality, so a weaker bound is refuted.  No symbolic phase: moduli and maxima of exponential sums,
    which no rewrite orders."""
    d = DECAY_D
    qf, kf, th = vec("q", d), vec("k", d), freqs(d)
    kstar = sp.Matrix([1 - i % 2 for i in range(d)])
    pick = sp.Eq(extremal, 1)
    q = sp.Matrix([sp.Piecewise((a, pick), (b, True)) for a, b in zip(extremal_query(m - n, th), qf)])
    k = sp.Matrix([sp.Piecewise((a, pick), (b, True)) for a, b in zip(kstar, kf)])
    score = sp.Abs((rope_matrix(m, th) * q).dot(rope_matrix(n, th) * k), evaluate=False)
    mid, bound = decay_sides(q, k, m - n, th)
    dom = {**_domains(qf, kf, th), extremal: integers(0, 1)}
    return All((Inequality(score, "<=", mid, dom, points=8), Inequality(mid, "<=", bound, dom, points=8)),
               ("|Re z| <= |z|", "Abel + triangle"))


M_half = sp.Symbol("M", integer=True, positive=True)
j_ = sp.Symbol("j", integer=True, positive=True)


@claim("C9.indicator-at-zero", r"F_d(0)=\frac2d\sum_{j=1}^{d/2}|S_j(0)|=\frac2d\sum_{j=1}^{d/2}j=\frac{d/2+1}{2}")
def indicator_at_zero():
    r"""At \(\Delta=0\) every \(e^{\mathrm i\Delta\theta_i}=1\), so \(S_j(0)=j\); with \(M=d/2\):
    \(\frac1M\sum_{j=1}^Mj=\frac{M+1}2\) (every \(M\)), and the indicator itself at \(d=2,8,128\) (\(F_{128}(0)=32.5\))."""
    general = Identity(sp.Sum(j_, (j_, 1, M_half)) / M_half, (M_half + 1) / 2, {M_half: integers(1, 64)})
    inst = [Identity(Indicator(d, 0), sp.Rational(d // 2 + 1, 2)) for d in (2, 8, 128)]
    return All((general, *inst), ("every M", "d=2", "d=8", "d=128"))


@claim("C9.indicator-even", r"F_{128}(-\Delta)=F_{128}(\Delta)", strategies=(abs_conjugate,))
def indicator_even():
    r"""\(e^{-\mathrm i\Delta\theta}=\overline{e^{\mathrm i\Delta\theta}}\) for real \(\Delta,\theta\), so
    \(S_j(-\Delta)=\overline{S_j(\Delta)}\) and \(|S_j|\), \(F_d\) are even (the rewrite ``abs_conjugate``)."""
    return Identity(Indicator(128, -Delta), Indicator(128, Delta), {Delta: real(-5000, 5000)}, points=3)


# --- C10, C11: general 1D and 2D solutions -------------------------------------------------

b_skew = sp.symbols("b01 b02 b03 b12 b13 b23", real=True)


@claim("C10.skew-exponential", r"B^\top=-B\ \Rightarrow\ \exp(mB)^\top\exp(nB)=\exp((n-m)B),\quad "
       r"\exp(nB)^\top\exp(nB)=I\quad(4\times4)", uses=("C1.exponential-form",))
def skew_exponential():
    r"""General 1D solutions: \(\exp(M)^\top=\exp(M^\top)\) and commuting exponents add.  Every exponential by
    ``mpmath.expm``, for a 4x4 skew \(B\) with free entries \(b_{ij}\) (the 2x2 case \(B=\theta J\) is
    ``C1.exponential-form``)."""
    def E(t):
        return SkewExp(t, *b_skew)
    dom = {m: real(-3, 3), n: real(-3, 3), **{b: ENTRY for b in b_skew}}
    return All((Identity(E(m).T * E(n), E(n - m), dom, points=2), Identity(E(n).T * E(n), sp.eye(4), dom, points=2)),
               ("relative", "orthogonal"))


CAYLEY_A = (sp.Matrix(skew4(1, sp.Rational(1, 2), 2, -1, 3, sp.Rational(-2, 3))),
            sp.Matrix(skew4(sp.Rational(3, 4), -2, 1, 5, 0, 1)))
POWER_PAIRS = ((0, 3), (2, 5), (-1, 2), (4, -3), (3, 3))


@claim("C10.orthogonal-powers", r"O^\top O=I\ \Rightarrow\ (O^m)^\top O^n=O^{n-m}\quad(m,n\in\mathbb Z;\ \text{two rational }"
       r"O,\ (m,n)\in\{(0,3),(2,5),(-1,2),(4,-3),(3,3)\})")
def orthogonal_powers():
    r"""\((O^m)^\top=(O^\top)^m=O^{-m}\), at instances: exact rational orthogonal \(O=(I-A)(I+A)^{-1}\), \(A\) skew."""
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


@claim("C11.commutator-3x3", r"[B(1,0,0),B(0,b,c)]=\begin{pmatrix}0&0&c\\0&0&-b\\-c&b&0\end{pmatrix},\ \text{so the "
       r"generators commute iff }b=c=0")
def commutator_3x3():
    r"""3x3 search: no commuting pair of this shape with \(B_2\ne0\) (no invertible 3x3 RoPE-2D of this form)."""
    B1, B2 = sp.Matrix(skew3(1, 0, 0)), sp.Matrix(skew3(0, bb, cc))
    return Identity(B1 * B2 - B2 * B1, sp.Matrix([[0, 0, cc], [0, 0, -bb], [-cc, bb, 0]]))


@claim("C11.commutator-4x4", r"[B_4(1,b,c,0,0,0),B_4(0,0,0,d,e,f)]\text{ has entries }\pm(e+bf),\ \pm(d-cf),\ "
       r"\pm(b(d-cf)+c(e+bf)),\ \text{so it vanishes iff }d=cf,\ e=-bf")
def commutator_4x4():
    r"""4x4 search: the commutator is a linear combination of \(u=e+bf\) and \(v=d-cf\), both of which are entries."""
    B1, B2 = sp.Matrix(skew4(1, bb, cc, 0, 0, 0)), sp.Matrix(skew4(0, 0, 0, dd, ee, ff))
    u, v = ee + bb * ff, dd - cc * ff
    rhs = sp.Matrix([[0, 0, 0, u], [0, 0, 0, -v], [0, 0, 0, -(bb * v + cc * u)], [-u, v, bb * v + cc * u, 0]])
    return Identity(B1 * B2 - B2 * B1, rhs)


x1, y1, x2, y2 = sp.symbols("x1 y1 x2 y2", real=True)


@claim("C11.relativity-2d", r"B_1^\top=-B_1,\ B_2^\top=-B_2,\ B_1B_2=B_2B_1\ \Rightarrow\ "
       r"\mathcal R_{x_1,y_1}^\top\mathcal R_{x_2,y_2}=\mathcal R_{x_2-x_1,y_2-y_1},\quad \mathcal R_{x,y}=\exp(xB_1+yB_2)",
       uses=("C10.skew-exponential", "C11.commutator-4x4"))
def relativity_2d():
    r"""2D relativity from commuting skew generators on the whole ``C11.commutator-4x4`` family
    \(B_1=B_4(1,b,c,0,0,0)\), \(B_2=B_4(0,0,0,cf,-bf,f)\) (\(b,c,f\) free), every exponential by ``mpmath.expm``.
    Commutation is sufficient, not necessary."""
    def Rxy(x_, y_):
        return CommutingExp(bb, cc, ff, x_, y_)
    dom = {bb: ENTRY, cc: ENTRY, ff: ENTRY, x1: real(-3, 3), y1: real(-3, 3), x2: real(-3, 3), y2: real(-3, 3)}
    return Identity(Rxy(x1, y1).T * Rxy(x2, y2), Rxy(x2 - x1, y2 - y1), dom, points=2)


@claim("C11.block-diagonal", r"f=1,\ b=c=d=e=0:\ \exp(\theta(xB_1+yB_2))=\mathrm{diag}(R(x\theta),R(y\theta))",
       uses=("C1.exponential-form",))
def block_diagonal():
    r"""The simplest commuting pair is block diagonal; its exponential (SymPy's) is the RoPE-2D of 8397."""
    B1, B2 = sp.Matrix(skew4(1, 0, 0, 0, 0, 0)), sp.Matrix(skew4(0, 0, 0, 0, 0, 1))
    return Identity((theta * (x * B1 + y * B2)).exp(), sp.diag(R(x * theta), R(y * theta)),
                    {x: POSITION, y: POSITION, theta: real(-2, 2)}, points=3)


# --- C12: quaternions -----------------------------------------------------------------------

@claim("C12.quaternion-relations", r"\mathbf i\mathbf j=\mathbf k=-\mathbf j\mathbf i,\quad \mathbf i^2=\mathbf j^2="
       r"\mathbf k^2=-1,\quad v^2=-|v|^2\ \text{for pure }v=x\mathbf i+y\mathbf j+z\mathbf k")
def quaternion_relations():
    r"""Quaternion relations in the real 4x4 left-multiplication representation (exact)."""
    u = quaternion_units()
    a, b, z = sp.symbols("a b z", real=True)
    V = a * u["i"] + b * u["j"] + z * u["k"]
    lhs = sp.Matrix.hstack(u["i"] * u["j"], u["j"] * u["i"], u["i"] ** 2, u["j"] ** 2, u["k"] ** 2, V * V)
    one = u["1"]
    rhs = sp.Matrix.hstack(u["k"], -u["k"], -one, -one, -one, -(a ** 2 + b ** 2 + z ** 2) * one)
    return Identity(lhs, rhs)


qa, v1, v2, v3 = sp.symbols("a v1 v2 v3", real=True)


@claim("C12.quaternion-euler", r"e^{a+v}=e^a\Big(\cos|v|+\frac{v}{|v|}\sin|v|\Big)\quad(v\ \text{pure})",
       uses=("C12.quaternion-relations",))
def quaternion_euler():
    r"""From \(v^2=-|v|^2\) the exponential series splits into \(\cos\) and \(\sin\).  The left side by
    ``mpmath.expm`` of the 4x4 representation."""
    u = quaternion_units()
    r = sp.sqrt(v1 ** 2 + v2 ** 2 + v3 ** 2)
    V = v1 * u["i"] + v2 * u["j"] + v3 * u["k"]
    rhs = sp.exp(qa) * (sp.cos(r) * u["1"] + V * sp.sin(r) / r)
    return Identity(QuaternionExp(qa, v1, v2, v3), rhs, {qa: ENTRY, v1: ENTRY, v2: ENTRY, v3: ENTRY}, points=2)


@control("N11.exponentials-add", r"e^{\theta\mathbf i}e^{\theta\mathbf j}=e^{\theta(\mathbf i+\mathbf j)}\quad(\theta=0.7)",
         uses=("C12.quaternion-euler",))
def exponentials_add():
    r"""The quaternion dead end of 8397: exponentials of non-commuting units do not add (SymPy's matrix
    exponentials)."""
    u = quaternion_units()
    t = sp.Rational(7, 10)
    return Identity((t * u["i"]).exp() * (t * u["j"]).exp(), (t * (u["i"] + u["j"])).exp())


# --- C13: RoPE-Tie ----------------------------------------------------------------------------

L_, w_, h_, s_, t_, K_ = sp.symbols("L w h s t K", positive=True)
TIE = {L_: positive(20), w_: positive(20), h_: positive(20)}


@claim("C13.equal-gaps", r"(L+s,L+t)-(L,L)=(K,K)-(L+hs,L+wt)=(s,t)\iff (h+1)s=(w+1)t,\ K=L+(h+1)s")
def equal_gaps():
    r"""Patch (row \(i\), column \(j\)) at \((L+is,L+jt)\).  The first gap is \((s,t)\) by construction; SymPy's
    ``solve`` of the two equations of the second gap for \((K,t)\) has exactly one solution, the post's."""
    g = gaps(L_, w_, h_, s_, t_, K_)
    sol = sp.solve([g[2] - s_, g[3] - t_], [K_, t_], dict=True)
    got = [len(sol), g[0], g[1]] + ([sol[0][K_], sol[0][t_]] if len(sol) == 1 else [0, 0])
    want = [1, s_, t_, L_ + (h_ + 1) * s_, (h_ + 1) * s_ / (w_ + 1)]
    return Identity(sp.Matrix(got), sp.Matrix(want), {**TIE, s_: positive(20)})


TIE_INTEGER = (((5, 3, 2), (4, 3, 17)), ((10, 4, 4), (5, 5, 35)), ((0, 7, 3), (8, 4, 32)))
TIE_TOKENS = (((3, 2), (sp.Rational(7, 3), sp.Rational(7, 4), 7)),
              ((16, 9), (sp.Rational(29, 2), sp.Rational(145, 17), 145)))


@claim("C13.scalings", r"s=w+1,\ t=h+1,\ K=L+(w+1)(h+1)\ \text{(integer)};\quad s=\tfrac{wh+1}{h+1},\ "
       r"t=\tfrac{wh+1}{w+1},\ K=L+wh+1", uses=("C13.equal-gaps",))
def scalings():
    r"""Both scalings of 10040 give both gaps exactly \((s,t)\) (symbolic in \(L,w,h\)); the second makes the image
    occupy \(wh\) positions like \(wh\) text tokens.  The spec's cases: \((L,w,h)=(5,3,2)\): \(s=4,t=3,K=17\), patches
    \((9,8),(9,11),(9,14),(13,8),(13,11),(13,14)\); \((10,4,4)\): \(K=35\); \((0,7,3)\): \(s=8,t=4,K=32\);
    \((w,h)=(3,2)\): \(s=7/3,t=7/4,K-L=7\); \((16,9)\): \(s=29/2,t=145/17,K-L=145\)."""
    parts, labels = [], []
    for name, scaling in (("integer", integer_scaling), ("wh tokens", token_scaling)):
        s, t, K = scaling(L_, w_, h_)
        parts.append(Identity(gaps(L_, w_, h_, s, t, K), sp.Matrix([s, t, s, t]), TIE))
        labels.append(name)
    for (L, w, h), want in TIE_INTEGER:
        parts.append(Identity(sp.Matrix(integer_scaling(sp.Integer(L), w, h)), sp.Matrix(want)))
        labels.append(f"(L,w,h)=({L},{w},{h})")
    parts.append(Identity(patch_positions(5, 3, 2, *integer_scaling(5, 3, 2)[:2]),
                          sp.Matrix([[9, 8], [9, 11], [9, 14], [13, 8], [13, 11], [13, 14]])))
    labels.append("patches (5,3,2)")
    for (w, h), want in TIE_TOKENS:
        parts.append(Identity(sp.Matrix(token_scaling(0, w, h)), sp.Matrix(want)))
        labels.append(f"(w,h)=({w},{h})")
    return All(tuple(parts), tuple(labels))


@claim("C13.unscaled", r"s=t=1:\ (K-L-h)-(K-L-w)=w-h,\ \text{so both gaps equal }(1,1)\text{ only if }w=h")
def unscaled():
    r"""Without scaling the two components of the second gap differ by \(w-h\) whatever \(K\) is."""
    g = gaps(L_, w_, h_, 1, 1, K_)
    return Identity(g[2] - g[3], w_ - h_, {**TIE, K_: positive(50)})


# --- C14: degeneration of RoPE-2D to RoPE-1D ------------------------------------------------

@claim("C14.degenerate-1d", r"\Theta_x=\{\theta_{2k}\},\ \Theta_y=\{\theta_{2k+1}\}:\ \mathcal R_{n,n}=P^\top\mathcal R_nP,"
       r"\quad(\mathcal R_{m,m}q)^\top(\mathcal R_{n,n}k)=(\mathcal R_mPq)^\top(\mathcal R_nPk),\quad"
       r"\mathcal R_{x_1,y_1}^\top\mathcal R_{x_2,y_2}=\mathcal R_{x_2-x_1,y_2-y_1}\quad(d=4,8)",
       uses=("C3.relative-matrix",), strategies=TRIG)
def degenerate_1d():
    r"""With complementary frequency sets a text token at \((n,n)\) gets exactly RoPE-1D, through a fixed
    permutation \(P\); RoPE-2D is relative in each coordinate (C3 componentwise)."""
    parts, labels = [], []
    for d in (4, 8):
        th = freqs(d)
        tx, ty = th[0::2], th[1::2]
        P = split_permutation(d)
        q, k = vec("q", d), vec("k", d)
        dom = {**_domains(q, k, th), x1: POSITION, y1: POSITION, x2: POSITION, y2: POSITION}
        parts += [Identity(rope2d(n, n, tx, ty), P.T * rope_matrix(n, th) * P, dom, points=3),
                  Identity((rope2d(m, m, tx, ty) * q).dot(rope2d(n, n, tx, ty) * k),
                           (rope_matrix(m, th) * P * q).dot(rope_matrix(n, th) * P * k), dom, points=3),
                  Identity(rope2d(x1, y1, tx, ty).T * rope2d(x2, y2, tx, ty), rope2d(x2 - x1, y2 - y1, tx, ty), dom,
                           points=3)]
        labels += [f"d={d}: matrix", f"d={d}: score", f"d={d}: 2D relative"]
    return All(tuple(parts), tuple(labels))


# --- negative controls ----------------------------------------------------------------------

@control("N1.sign-flip", r"(R(m\theta)q)^\top(R(n\theta)k)=q^\top R((m-n)\theta)k")
def sign_flip():
    r"""The commonest slip: the residual \(2(q_0k_1-q_1k_0)\sin((m-n)\theta)\) vanishes only for parallel \(q,k\)."""
    lhs = (R(m * theta) * sp.Matrix([q0, q1])).dot(R(n * theta) * sp.Matrix([k0, k1]))
    rhs = sp.Matrix([q0, q1]).dot(R((m - n) * theta) * sp.Matrix([k0, k1]))
    return Identity(lhs, rhs, {m: POSITION, n: POSITION, theta: positive(1), q0: ENTRY, q1: ENTRY, k0: ENTRY,
                               k1: ENTRY})


@control("N2.exponent-halved", r"\theta_i=10000^{-i/d}\ (d=4):\ (\theta_0,\theta_1)=(1,\ 0.01)")
def exponent_halved():
    r"""Wrong exponent: \(10000^{-1/4}=1/10\), not the post's \(10000^{-2/4}=1/100\)."""
    return Identity(sp.Matrix([sp.Integer(BASE) ** sp.Rational(-i, 4) for i in range(2)]),
                    sp.Matrix([1, sp.Rational(1, 100)]))


@control("N2.index-from-one", r"\theta_i=10000^{-2(i+1)/d}\ (d=4):\ (\theta_0,\theta_1)=(1,\ 0.01)")
def index_from_one():
    r"""Off by one: starting at \(i=1\) drops \(\theta=1\)."""
    return Identity(sp.Matrix([sp.Integer(BASE) ** sp.Rational(-2 * (i + 1), 4) for i in range(2)]),
                    sp.Matrix([1, sp.Rational(1, 100)]))


@control("N3.mixed-layouts", r"(\mathcal R^{int}_{m+c}q)^\top(\mathcal R^{half}_{n+c}k)=(\mathcal R^{int}_mq)^\top"
         r"(\mathcal R^{half}_nk)\ \text{(mixed layouts; }d=64,\ m=17,\ n=5,\ c=3)", symbolic=False)
def mixed_layouts():
    r"""Interleaved rotation for \(q\), half-split for \(k\): the pairs no longer match and relativity breaks
    (the spec's seed-0 vectors; the score moves by 1.39).  Both sides are closed numbers, decided by Arb balls
    (no symbolic phase: cosines of \(17\cdot10000^{-i/32}\) have no exact simplification)."""
    qf, kf = seed0_vectors(64)
    q, k = sp.Matrix([sp.Rational(v) for v in qf]), sp.Matrix([sp.Rational(v) for v in kf])
    th = post_freqs(64)

    def score(a, b):
        return elementwise(q, a, th).dot(rotate_half(k, b, th))
    return Identity(score(20, 8), score(17, 5))


@control("N4.sum-of-positions", r"(\mathcal R_mq)^\top(\mathcal R_nk)=q^\top\mathcal R_{m+n}k\quad(d=2,\ \theta=1,\ "
         r"q=(1,0),\ k=(0,1),\ m=n=1)")
def sum_of_positions():
    r"""Adding instead of subtracting positions: LHS \(=0\), RHS \(=-\sin2\)."""
    qv, kv = sp.Matrix([1, 0]), sp.Matrix([0, 1])
    return Identity((R(1) * qv).dot(R(1) * kv), qv.dot(R(2) * kv))


@control("N5.noncommuting-generators", r"\mathcal R_{x,y}=\exp(xB(1,0,0)+yB(0,0,1))\ \text{satisfies 2D relativity at }"
         r"(0.3,0.7),\ (1.1,-0.4)")
def noncommuting_generators():
    r"""Non-commuting skew generators: \(\exp(A)\exp(B)\ne\exp(A+B)\) (every exponential by ``mpmath.expm``)."""
    p1, p2 = (sp.Rational(3, 10), sp.Rational(7, 10)), (sp.Rational(11, 10), sp.Rational(-2, 5))
    return Identity(NoncommutingExp(*p1).T * NoncommutingExp(*p2), NoncommutingExp(p2[0] - p1[0], p2[1] - p1[1]))


@control("N7.sum-position-2d", r"\mathcal R_{x,y}=R((x+y)\theta)\ \text{is injective: }\|\mathcal R_{1,0}-"
         r"\mathcal R_{0,1}\|_F^2>0")
def sum_position_2d():
    r"""Using \(x+y\) as a 1D position satisfies relativity (C1 with angle \((x+y)\theta\)) but forgets which
    coordinate moved: \((1,0)\) and \((0,1)\) give the same matrix."""
    diff = R((1 + 0) * theta) - R((0 + 1) * theta)
    return Inequality(sum(v ** 2 for v in diff), ">", 0, {theta: positive(1)})


@control("N8.same-frequencies", r"\text{same }\Theta\text{ in both halves (8397)}:\ \mathcal R_{n,n}=P^\top\mathcal R_nP\ "
         r"\text{for a permutation }P,\ \text{so }\mathrm{tr}\,\mathcal R_{1,1}=\mathrm{tr}\,\mathcal R_1\quad(d=128)",
         symbolic=False)
def same_frequencies():
    r"""With the same frequency set for \(x\) and \(y\) each frequency appears twice, so RoPE-2D at \((n,n)\) is not
    RoPE-1D; similar matrices have equal traces, and the traces differ.  Closed sums of cosines, decided by Arb
    balls (no symbolic phase)."""
    same = post_freqs(64)
    return Identity(rope2d(1, 1, same, same).trace(), rope_matrix(1, post_freqs(128)).trace())


@control("N9.unscaled-tie", r"s=t=1,\ (L,w,h)=(5,3,2):\ \exists K:\ (K-7,\ K-8)=(1,1)")
def unscaled_tie():
    r"""RoPE-Tie without scaling cannot make both gaps \((1,1)\) when \(w\ne h\): the system has no solution."""
    K = sp.Symbol("K")
    g = gaps(5, 3, 2, 1, 1, K)
    return Inequality(sp.Integer(len(sp.solve([g[2] - 1, g[3] - 1], [K], dict=True))), ">=", 1)


wi, xi, yi = sp.symbols("w_img x_img y_img", integer=True, positive=True)


@control("N10.row-major", r"\mathrm{idx}(x,y)=xw+y:\ \mathrm{idx}(x+1,y)-\mathrm{idx}(x,y)=\mathrm{idx}(x,y+1)-"
         r"\mathrm{idx}(x,y)")
def row_major():
    r"""Row-major flattening of a \(w\)-wide image: vertical neighbours are \(w\) apart, horizontal ones 1."""
    def idx(a, b):
        return a * wi + b
    return Identity(idx(xi + 1, yi) - idx(xi, yi), idx(xi, yi + 1) - idx(xi, yi),
                    {wi: integers(2, 64), xi: integers(1, 64), yi: integers(1, 64)})


# --- the erratum: the decay indicator is not monotone -------------------------------------------

@claim("E1.post-monotone-decay", r"F_{128}(\Delta_2)\le F_{128}(\Delta_1)\ \text{whenever }0\le\Delta_1\le\Delta_2\ "
       r"\text{(monotone decay)}", symbolic=False)
def post_monotone_decay():
    r"""The post's reading of its plot, "the relative size decays with the distance", taken literally: for
    \(\Delta_1\in[0,5000]\), \(t=\Delta_2-\Delta_1\in(0,5000]\), and at the spec's pair \((1000,4096)\).  No symbolic
    phase: orderings of sums of moduli of exponential sums."""
    t = sp.Symbol("t", positive=True)
    return All((Inequality(Indicator(128, Delta + t), "<=", Indicator(128, Delta),
                           {Delta: real(0, 5000), t: positive(5000)}),
                Inequality(Indicator(128, 4096), "<=", Indicator(128, 1000))),
               ("0 <= Delta1 <= Delta2", "(Delta1, Delta2) = (1000, 4096)"))


@claim("E1.corrected-bounded-oscillating", r"F_d(\Delta)\le F_d(0)=\frac{d/2+1}{2}\ \text{for all }\Delta,\ \text{but }"
       r"F_{128}\text{ is not monotone: }F_{128}(4096)=4.8828>F_{128}(1000)=4.4708;\ 115\text{ of the }256\text{ unit "
       r"steps on }[0,256]\text{ go up, the first at }\Delta=18", uses=("C9.indicator-at-zero",), symbolic=False)
def corrected_bounded_oscillating():
    r"""\(|S_j|\le j\) (triangle inequality) gives the envelope \(F_d\le F_d(0)\) (searched on \(|\Delta|\le5000\));
    the indicator oscillates (resonances where \(\Delta\theta_i\) is near \(2\pi\mathbb Z\)): only the envelope
    decays.  The values to their printed digits.  No symbolic phase: orderings of sums of moduli."""
    return All((Inequality(Indicator(128, Delta), "<=", sp.Rational(65, 2), {Delta: real(-5000, 5000)}, points=12),
                Inequality(Indicator(128, 4096), ">", Indicator(128, 1000)),
                Approximation(Indicator(128, 4096), stated("4.8828")),
                Approximation(Indicator(128, 1000), stated("4.4708")),
                Identity(UpSteps(), 115), Identity(FirstUpStep(), 18)),
               ("envelope", "F(4096) > F(1000)", "F(4096)", "F(1000)", "unit steps up", "first step up"))


CLAIMS = (rotation_algebra, exponential_form, complex_rotation, relative_score_2d, relative_matrix, relative_score,
          orthogonality, elementwise_form, rotate_half_form, layouts_differ, translation_invariance, abel_summation,
          decay_bound, indicator_at_zero, indicator_even, skew_exponential, orthogonal_powers, commutator_3x3,
          commutator_4x4, relativity_2d, block_diagonal, quaternion_relations, quaternion_euler, equal_gaps, scalings,
          unscaled, degenerate_1d)
CONTROLS = (sign_flip, exponent_halved, index_from_one, mixed_layouts, sum_of_positions, noncommuting_generators,
            sum_position_2d, same_frequencies, unscaled_tie, row_major, exponentials_add)
