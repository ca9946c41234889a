r"""Rotary position embedding (RoPE): rotation identities, the long-range decay bound, RoPE-2D and RoPE-Tie.

Posts: Su Jianlin, "Transformer upgrade road 2: rotary position embedding", 2021-03-23,
https://spaces.ac.cn/archives/8265 (RoFormer, arXiv:2104.09864); "... 4: RoPE for 2D positions",
2021-05-10, https://spaces.ac.cn/archives/8397; "... 17: multimodal position encoding (RoPE-Tie)",
2024-03-29, https://spaces.ac.cn/archives/10040.

Main results:

* relative property: \(\mathcal R_m^\top\mathcal R_n=\mathcal R_{n-m}\), so
  \((\mathcal R_mq)^\top(\mathcal R_nk)=\mathrm{Re}\sum_ih_ie^{\mathrm i(m-n)\theta_i}\) (any real \(\theta_i\), \(m,n\));
* the interleaved and the half-split ("rotate_half") layouts are conjugate by a permutation; mixing them breaks relativity;
* decay bound \(|(\mathcal R_mq)^\top(\mathcal R_nk)|\le\max_i|h_{i+1}-h_i|\sum_j|S_j|\) (Abel summation), whose factor
  \(F_d=\frac2d\sum_j|S_j|\) is bounded by \(F_d(0)=\frac{d/2+1}2\) but is **not** monotone (erratum);
* RoPE-2D: commuting skew generators give 2D relativity; \(B_1B_2=B_2B_1\) for the 4x4 family iff \(d=cf,\ e=-bf\);
* RoPE-Tie: equal gaps iff \((h+1)s=(w+1)t\), \(K=L+(h+1)s\); integer solution \(s=w+1,\ t=h+1\).

Symbolic route: ``expand_trig``/``expand`` on 2x2 blocks with a symbolic frequency, then the
block-diagonal argument, checked exactly on the explicit \(d\times d\) matrices up to \(d=128\)
(``simplify``/``trigsimp`` on the full matrices time out from \(d=16\)).
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from derivations.engine import Derivation, Erratum, Identity, claim, control
from derivations.engine.symbolic import SymbolicOutcome, exp_rewrite, expand_, identical, prove_zero, trig_expand
from numeric import rope as nr
from numeric.identity import NumericOutcome, compare, compare_outcome, fmt
from numeric.sampling import integers, positive, real

m, n, c, x, y = sp.symbols("m n c x y", real=True)
alpha, beta, theta = sp.symbols("alpha beta theta", real=True)
J = sp.Matrix([[0, -1], [1, 0]])
POSITION = real(-50, 50)
D_EXACT = tuple(range(2, 129, 2))   # dimensions of the exact block-diagonal check
D_NUM = 128                     # dimension of the numeric cross-checks


def R(phi) -> sp.Matrix:
    r"""\(R(\varphi)\), the 2x2 rotation."""
    return sp.Matrix([[sp.cos(phi), -sp.sin(phi)], [sp.sin(phi), sp.cos(phi)]])


def vec(name: str, d: int) -> sp.Matrix:
    return sp.Matrix(sp.symbols(f"{name}0:{d}", real=True))


def freqs(d: int):
    return sp.symbols(f"theta0:{d // 2}", positive=True)


def trig(pos, th):
    r"""\((\cos(pos\,\theta_i))_i,\ (\sin(pos\,\theta_i))_i\)."""
    return [sp.cos(pos * t) for t in th], [sp.sin(pos * t) for t in th]


def atoms(d: int):
    r"""Independent symbols \(c_i,s_i\) standing for \(\cos n\theta_i,\ \sin n\theta_i\): identities that are
    polynomial in them hold for every choice of angles (and are much cheaper than trig objects)."""
    return list(sp.symbols(f"c0:{d // 2}", real=True)), list(sp.symbols(f"s0:{d // 2}", real=True))


def rotate(v, cs, sn, layout: str = "interleaved") -> sp.Matrix:
    r"""\(\mathcal R v\): pair \(i\) (as in :func:`numeric.rope.pairs`) rotated by the angle with cosine
    ``cs[i]`` and sine ``sn[i]``."""
    out = list(v)
    for (a, b), co, si in zip(nr.pairs(len(v), layout), cs, sn):
        out[a], out[b] = v[a] * co - v[b] * si, v[b] * co + v[a] * si
    return sp.Matrix(out)


def pythagorean(d):
    r"""Angle-addition expansion, then \(\sin^2u\to1-\cos^2u\): a normal form modulo the Pythagorean identity."""
    e = sp.expand(sp.expand_trig(sp.expand(d)))
    e = e.replace(lambda t: t.is_Pow and isinstance(t.base, sp.sin) and t.exp.is_Integer and t.exp >= 2,
                  lambda t: (1 - sp.cos(t.base.args[0]) ** 2) ** (t.exp // 2) * sp.sin(t.base.args[0]) ** (t.exp % 2))
    return sp.expand(e)


TRIG = (identical, expand_, trig_expand, pythagorean)


def _ok(detail: str, digits=None) -> NumericOutcome:
    return NumericOutcome("agree", digits, None, detail)


def _bad(text: str, detail: str = "") -> NumericOutcome:
    return NumericOutcome("disagree", None, {"text": text}, detail)


def _exact(ok: bool, method: str, fail: str) -> SymbolicOutcome:
    return SymbolicOutcome("proved", method) if ok else SymbolicOutcome("failed", detail=fail)


# --- C1, C2: 2x2 algebra and the complex form -----------------------------------------------

def _prove_trig(build):
    def prove():
        st = build()
        return prove_zero(st.lhs - st.rhs, TRIG)
    return prove


def _c1_statement():
    lhs = sp.Matrix.hstack(R(alpha).T * R(beta), R(alpha) * R(beta), R(alpha).T * R(alpha),
                           sp.Matrix([R(alpha).det(), 0]))
    rhs = sp.Matrix.hstack(R(beta - alpha), R(alpha + beta), sp.eye(2), sp.Matrix([1, 0]))
    return Identity(lhs, rhs, {alpha: real(-7, 7), beta: real(-7, 7)}, points=3)


@claim("C1", r"R(\alpha)^\top R(\beta)=R(\beta-\alpha),\quad R(\alpha)R(\beta)=R(\alpha+\beta),\quad "
       r"R(\alpha)^\top R(\alpha)=I,\quad\det R(\alpha)=1", prove=_prove_trig(_c1_statement))
def c1():
    r"""2x2 rotation algebra (angle addition and \(\cos^2+\sin^2=1\)), one matrix identity
    \([R(\alpha)^\top R(\beta)\ |\ R(\alpha)R(\beta)\ |\ R(\alpha)^\top R(\alpha)\ |\ \det]\) reduced by the
    Pythagorean normal form."""
    return _c1_statement()


J_EIGVECS = sp.Matrix([[sp.I, -sp.I], [1, 1]])   # J P = P diag(i, -i)
J_EIGVALS = (sp.I, -sp.I)


def _c1d_statement():
    lhs = J_EIGVECS * sp.diag(*[sp.exp(n * theta * lam) for lam in J_EIGVALS]) * J_EIGVECS.inv()
    return Identity(lhs, R(n * theta), {n: POSITION, theta: real(-2, 2)}, points=3)


def _prove_c1d():
    if J * J_EIGVECS != J_EIGVECS * sp.diag(*J_EIGVALS):
        return SymbolicOutcome("failed", detail="not an eigenbasis of J")
    st = _c1d_statement()
    out = prove_zero(st.lhs - st.rhs, (exp_rewrite,))
    return SymbolicOutcome(out.status, "eigenbasis of J (exact) + " + out.method, out.counterexample, out.detail)


@claim("C1d", r"R(n\theta)=\exp(n\theta J),\qquad J=\begin{pmatrix}0&-1\\1&0\end{pmatrix}", prove=_prove_c1d)
def c1d():
    r"""Exponential form: \(JP=P\,\mathrm{diag}(-\mathrm i,\mathrm i)\) with \(P=\begin{psmallmatrix}\mathrm i&-\mathrm i\\1&1\end{psmallmatrix}\)
    (checked exactly), so \(\exp(n\theta J)=P\,\mathrm{diag}(e^{-\mathrm in\theta},e^{\mathrm in\theta})P^{-1}\), which equals
    \(R(n\theta)\) after rewriting in exponentials."""
    return _c1d_statement()


q0, q1, k0, k1 = sp.symbols("q0 q1 k0 k1", real=True)


@claim("C2a", r"q\,e^{\mathrm im\theta}\ \leftrightarrow\ R(m\theta)\begin{pmatrix}q_0\\q_1\end{pmatrix}")
def c2a():
    r"""Complex multiplication by \(e^{\mathrm im\theta}\) is the rotation \(R(m\theta)\) of \((\mathrm{Re},\mathrm{Im})\)."""
    z = sp.expand_complex((q0 + sp.I * q1) * sp.exp(sp.I * m * theta))
    return Identity(sp.Matrix([sp.re(z), sp.im(z)]), R(m * theta) * sp.Matrix([q0, q1]),
                    {m: POSITION, theta: real(-2, 2)}, points=3)


@claim("C2b", r"(R(m\theta)q)\cdot(R(n\theta)k)=\mathrm{Re}\big[(q_0+\mathrm iq_1)\overline{(k_0+\mathrm ik_1)}\,e^{\mathrm i(m-n)\theta}\big]",
       uses=("C2a",), prove=_prove_trig(lambda: c2b.build()))
def c2b():
    r"""The 2D score depends on the positions only through \(m-n\)."""
    lhs = (R(m * theta) * sp.Matrix([q0, q1])).dot(R(n * theta) * sp.Matrix([k0, k1]))
    rhs = sp.re(sp.expand_complex((q0 + sp.I * q1) * (k0 - sp.I * k1) * sp.exp(sp.I * (m - n) * theta)))
    return Identity(lhs, rhs, {m: POSITION, n: POSITION, theta: real(-2, 2)}, points=3)


# --- C3, C4: d dimensions by the block-diagonal argument ----------------------------------

def sparse_t_mul(A: dict, B: dict, mul=lambda u, v: u * v, add=lambda u, v: u + v) -> dict:
    r"""\(A^\top B\) for matrices stored as ``{(i, j): entry}`` (a general sparse product: it does
    not assume any block structure)."""
    rows = {}
    for (k, j), v in B.items():
        rows.setdefault(k, []).append((j, v))
    out = {}
    for (k, i), a in A.items():
        for j, b in rows.get(k, ()):
            out[(i, j)] = add(out[(i, j)], mul(a, b)) if (i, j) in out else mul(a, b)
    return out


def block_rule(d: int) -> bool:
    r"""The block-diagonal product rule at dimension \(d\), exactly: with every block entry an independent
    formal symbol, the general sparse product \(\mathrm{diag}(A_i)^\top\mathrm{diag}(B_i)\) has exactly the
    entries of \(\mathrm{diag}(A_i^\top B_i)\), as formal bilinear forms (a multiset of products of
    symbols; cheaper than SymPy on 1024 fresh symbols, and just as exact)."""
    from collections import Counter
    A = {(i, j): ("a", i, j) for b in range(d // 2) for i in (2 * b, 2 * b + 1) for j in (2 * b, 2 * b + 1)}
    B = {(i, j): ("b", i, j) for (i, j) in A}
    prod = sparse_t_mul(A, B, mul=lambda u, v: Counter({(u, v): 1}), add=lambda u, v: u + v)
    want = {}
    for b in range(d // 2):
        for r in range(2):
            for col in range(2):
                want[(2 * b + r, 2 * b + col)] = Counter({(A[(2 * b + k, 2 * b + r)], B[(2 * b + k, 2 * b + col)]): 1
                                                          for k in range(2)})
    return prod == want


def _prove_block_property(lemma):
    r"""The block-diagonal argument: the 2x2 identity ``lemma(theta)`` (lhs, rhs) proved for a symbolic
    \(\theta\), and the block product rule checked exactly at every \(d\) in ``D_EXACT``; block \(i\) of
    the \(d\)-dimensional identity is the lemma at \(\theta=\theta_i\)."""
    lhs, rhs = lemma(theta)
    first = prove_zero(lhs - rhs, TRIG)
    if first.status != "proved":
        return first
    for d in D_EXACT:
        if not block_rule(d):
            return SymbolicOutcome("failed", detail=f"block product rule fails at d={d}")
    return SymbolicOutcome("proved", f"2x2 block ({first.method}) + block product rule exact for even d <= {D_EXACT[-1]}")


def _prove_c3():
    return _prove_block_property(lambda t: (R(m * t).T * R(n * t), R((n - m) * t)))


def _mp_case(rng, d):
    q, k = nr.mp_random_vector(rng, d), nr.mp_random_vector(rng, d)
    pm, pn = (float(v) for v in rng.uniform(-2000, 2000, 2))
    return q, k, pm, pn


def _check_c3(digits, seed):
    rng = np.random.default_rng(seed)
    q, k, pm, pn = _mp_case(rng, D_NUM)

    def both():
        th = nr.mp_thetas(D_NUM)
        s = nr.mp_dot(nr.mp_rotate(q, pm, th), nr.mp_rotate(k, pn, th))
        rel = nr.mp_dot(q, nr.mp_rotate(k, mpmath.mpf(pn) - pm, th))
        return (s, s), (rel, nr.mp_complex_form(q, k, mpmath.mpf(pm) - pn, th))

    worst = _np_relative_residual(seed)
    if worst > 1e-12:
        return _bad(f"float64 d={D_NUM}: relative residual {worst:.2e} > 1e-12")
    return compare_outcome(both, digits, {"m": pm, "n": pn},
                      f"mpmath d={D_NUM} at m={pm:.4g}, n={pn:.4g}; float64 d={D_NUM}, both layouts, "
                      f"25 random (q, k, m, n) each: relative residual {worst:.1e}")


def _np_relative_residual(seed) -> float:
    rng = np.random.default_rng(seed)
    th = nr.np_thetas(D_NUM)
    worst = 0.0
    for _ in range(25):
        q, k = rng.standard_normal(D_NUM), rng.standard_normal(D_NUM)
        pm, pn = rng.uniform(-2000, 2000, 2)
        for layout in ("interleaved", "half"):
            lhs = nr.np_rotate(q, pm, th, layout) @ nr.np_rotate(k, pn, th, layout)
            rhs = q @ nr.np_rotate(k, pn - pm, th, layout)
            worst = max(worst, abs(lhs - rhs) / (np.linalg.norm(q) * np.linalg.norm(k)))
    return worst


@claim("C3", r"\mathcal R_m^\top\mathcal R_n=\mathcal R_{n-m},\qquad (\mathcal R_mq)^\top(\mathcal R_nk)=q^\top\mathcal R_{n-m}k"
       r"=\mathrm{Re}\sum_{i=0}^{d/2-1}h_i\,e^{\mathrm i(m-n)\theta_i}",
       hypotheses=(r"\theta_i,\ m,\ n\in\mathbb R",), uses=("C1", "C2b"), prove=_prove_c3, cross_check=_check_c3)
def c3():
    r"""Relative property in \(d\) dimensions.  Proof: the 2x2 block identity
    \(R(m\theta)^\top R(n\theta)=R((n-m)\theta)\) for a symbolic \(\theta\) (angle addition), then the
    block-diagonal argument: the block product rule
    \(\mathrm{diag}(A_i)^\top\mathrm{diag}(B_i)=\mathrm{diag}(A_i^\top B_i)\) checked exactly (general sparse product,
    formal entries) for every even \(d\le128\), block \(i\) being the lemma at \(\theta=\theta_i\).  Cross-check: mpmath at 50 digits, \(d=128\), random
    \(q,k,m,n\); float64 \(d=128\) in both layouts."""


@claim("C3s", r"(\mathcal R_mq)^\top(\mathcal R_nk)=\mathrm{Re}\sum_{i=0}^{d/2-1}(q_{2i}+\mathrm iq_{2i+1})\overline{(k_{2i}+\mathrm ik_{2i+1})}\,e^{\mathrm i(m-n)\theta_i}\quad(d=4)",
       uses=("C2b",), prove=_prove_trig(lambda: c3s.build()))
def c3s():
    r"""The scalar form directly, with all of \(q,k\in\mathbb R^4\), \(\theta_0,\theta_1\), \(m,n\) symbolic."""
    d = 4
    q, k, th = vec("q", d), vec("k", d), freqs(d)
    lhs = rotate(q, *trig(m, th)).dot(rotate(k, *trig(n, th)))
    rhs = sum(sp.re(sp.expand_complex((q[2 * i] + sp.I * q[2 * i + 1]) * (k[2 * i] - sp.I * k[2 * i + 1])
                                      * sp.exp(sp.I * (m - n) * th[i]))) for i in range(d // 2))
    return Identity(lhs, rhs, {m: POSITION, n: POSITION, **{t: positive(1) for t in th}}, points=2)


def _prove_c4():
    orth = _prove_block_property(lambda t: (R(m * t).T * R(m * t), sp.eye(2)))
    if orth.status != "proved":
        return orth
    det = prove_zero(R(m * theta).det() - 1, TRIG)
    d4 = sp.diag(*[R(m * t) for t in freqs(4)]).det(method="berkowitz")
    det4 = prove_zero(d4 - 1, TRIG)
    if det.status != "proved" or det4.status != "proved":
        return SymbolicOutcome("failed", detail="determinant not reduced to 1")
    return SymbolicOutcome("proved", orth.method + "; det: block " + det.method + ", explicit d=4 " + det4.method)


def _check_c4(digits, seed):
    rng = np.random.default_rng(seed)
    q, _, pm, _ = _mp_case(rng, D_NUM)

    def norms():
        th = nr.mp_thetas(D_NUM)
        return nr.mp_dot(*(2 * [nr.mp_rotate(q, pm, th)])), nr.mp_dot(q, q)

    return compare_outcome(norms, digits, {"m": pm}, f"|R_m q|^2 = |q|^2 at d={D_NUM}, m={pm:.4g}")


@claim("C4", r"\mathcal R_m^\top\mathcal R_m=I,\qquad \|\mathcal R_mq\|=\|q\|,\qquad \det\mathcal R_m=1",
       uses=("C1",), prove=_prove_c4, cross_check=_check_c4)
def c4():
    r"""Orthogonality: blockwise \(R^\top R=I\) (Pythagorean normal form) and the block product rule for
    every even \(d\le128\); \(\det\) is the product of the block determinants (explicit Berkowitz determinant at
    \(d=4\)).  Norm preservation follows; cross-checked at 50 digits for \(d=128\)."""


# --- C5, C5': elementwise forms and the two layouts ----------------------------------------

def _code_form(q: sp.Matrix, cs, sn, layout: str) -> sp.Matrix:
    r"""\(q\odot c+\rho(q)\odot s\) (interleaved) or \(q\odot\hat c+\mathrm{rh}(q)\odot\hat s\) (half-split)."""
    d = len(q)
    if layout == "interleaved":
        co, si = [cs[i // 2] for i in range(d)], [sn[i // 2] for i in range(d)]
        rho = [-q[i + 1] if i % 2 == 0 else q[i - 1] for i in range(d)]
    else:
        co, si = [cs[i % (d // 2)] for i in range(d)], [sn[i % (d // 2)] for i in range(d)]
        rho = [-q[i + d // 2] for i in range(d // 2)] + [q[i] for i in range(d // 2)]
    return sp.Matrix([q[i] * co[i] + rho[i] * si[i] for i in range(d)])


def _check_code_form(layout):
    def check(digits, seed):
        rng = np.random.default_rng(seed)
        th = nr.np_thetas(D_NUM)
        worst = 0.0
        for _ in range(20):
            q, pos = rng.standard_normal(D_NUM), rng.uniform(-5000, 5000)
            worst = max(worst, np.abs(nr.np_rope_code(q, pos, th, layout) - nr.np_rotate(q, pos, th, layout)).max())
        if worst != 0.0:
            return _bad(f"float64 code form differs from the block rotation by {worst:.2e}")
        return _ok(f"float64 d={D_NUM}, 20 random (q, m): identical to the last bit")
    return check


@claim("C5", r"\mathcal R_mq=q\odot c_m+\rho(q)\odot s_m,\quad \rho(q)=(-q_1,q_0,-q_3,q_2,\dots),\ "
       r"c_m=(\cos m\theta_0,\cos m\theta_0,\cos m\theta_1,\dots)\quad(d=128)",
       cross_check=_check_code_form("interleaved"))
def c5():
    r"""Elementwise (code) form of the interleaved rotation, symbolic for \(d=128\) with
    \(c_i,s_i\) as independent symbols: a polynomial
    identity in the \(\cos,\sin\) atoms (``expand``)."""
    q, cs_sn = vec("q", D_NUM), atoms(D_NUM)
    return Identity(_code_form(q, *cs_sn, "interleaved"), rotate(q, *cs_sn), {})


def _perm_pi(v):
    r"""\((\Pi v)_{2j}=v_j,\ (\Pi v)_{2j+1}=v_{j+d/2}\)."""
    d = len(v)
    return sp.Matrix([v[j // 2] if j % 2 == 0 else v[j // 2 + d // 2] for j in range(d)])


def _perm_pi_inv(v):
    d = len(v)
    return sp.Matrix([v[2 * j] for j in range(d // 2)] + [v[2 * j + 1] for j in range(d // 2)])


@claim("C5'", r"\mathrm{RoPE}_{half}(q)=q\odot\hat c_m+\mathrm{rh}(q)\odot\hat s_m=\Pi^{-1}\mathcal R_m\Pi q,\quad "
       r"(\Pi q)_{2j}=q_j,\ (\Pi q)_{2j+1}=q_{j+d/2}\quad(d=128)",
       uses=("C5",), cross_check=_check_code_form("half"))
def c5p():
    r"""The GPT-NeoX/LLaMA ``rotate_half`` layout is the post's rotation conjugated by the
    permutation \(\Pi\); symbolic for \(d=128\).  Each layout satisfies C3 on its own
    (\(\Pi\) is orthogonal); they give different numbers on the same \(q\)."""
    q, cs_sn = vec("q", D_NUM), atoms(D_NUM)
    lhs = _code_form(q, *cs_sn, "half")
    return Identity(lhs.col_join(lhs), rotate(q, *cs_sn, "half").col_join(_perm_pi_inv(rotate(_perm_pi(q), *cs_sn))), {})


# --- C6: translation invariance ---------------------------------------------------------------

def _check_c6(digits, seed):
    rng = np.random.default_rng(seed)
    th = nr.np_thetas(D_NUM)
    worst = 0.0
    for shift in (3.0, 1000.5):
        for layout in ("interleaved", "half"):
            q, k = rng.standard_normal(D_NUM), rng.standard_normal(D_NUM)
            pm, pn = rng.uniform(-1000, 1000, 2)
            a = nr.np_rotate(q, pm, th, layout) @ nr.np_rotate(k, pn, th, layout)
            b = nr.np_rotate(q, pm + shift, th, layout) @ nr.np_rotate(k, pn + shift, th, layout)
            worst = max(worst, abs(a - b) / (np.linalg.norm(q) * np.linalg.norm(k)))
    q, k, pm, pn = _mp_case(rng, D_NUM)
    cs = float(rng.uniform(-1e4, 1e4))

    def scores():
        t = nr.mp_thetas(D_NUM)
        return (nr.mp_dot(nr.mp_rotate(q, mpmath.mpf(pm) + cs, t), nr.mp_rotate(k, mpmath.mpf(pn) + cs, t)),
                nr.mp_dot(nr.mp_rotate(q, pm, t), nr.mp_rotate(k, pn, t)))

    if worst > 1e-12:
        return _bad(f"float64 shift residual {worst:.2e}")
    return compare_outcome(scores, digits, {"c": cs}, f"mpmath d={D_NUM}, c={cs:.6g}; float64 both layouts, c=3, 1000.5: {worst:.1e}")


def _c6_statement():
    d = 4
    q, k, th = vec("q", d), vec("k", d), freqs(d)
    lhs = rotate(q, *trig(m + c, th)).dot(rotate(k, *trig(n + c, th)))
    return Identity(lhs, rotate(q, *trig(m, th)).dot(rotate(k, *trig(n, th))), {})


def _prove_c6():
    st = _c6_statement()
    return prove_zero(st.lhs - st.rhs, TRIG)


@claim("C6", r"(\mathcal R_{m+c}q)^\top(\mathcal R_{n+c}k)=(\mathcal R_mq)^\top(\mathcal R_nk)\quad(d=4,\ \text{all symbols})",
       uses=("C3",), prove=_prove_c6, cross_check=_check_c6)
def c6():
    r"""Translation invariance: the angle-addition expansion leaves \(\cos^2c\theta_i+\sin^2c\theta_i\),
    removed by the Pythagorean normal form; cross-checked at 50 digits (\(d=128\)) and in float64
    (both layouts, shifts 3 and 1000.5)."""
    return _c6_statement()


# --- C7, C8, C9: long-range decay --------------------------------------------------------------

ABEL_M = (1, 2, 3, 4, 5, 6, 7, 8, 64)


def _prove_c7():
    from sympy.polys.rings import ring
    for M in ABEL_M:
        _, *g = ring([f"h{i}" for i in range(M)] + [f"e{i}" for i in range(M)], sp.ZZ)
        h, e = g[:M] + [0 * g[0]], g[M:]
        S = [0 * g[0]]
        for i in range(M):
            S.append(S[-1] + e[i])
        lhs = sum((h[i] * e[i] for i in range(M)), 0 * g[0])
        if lhs + sum((S[i + 1] * (h[i + 1] - h[i]) for i in range(M)), 0 * g[0]) != 0:
            return SymbolicOutcome("failed", detail=f"Abel identity fails at M={M}")
    return SymbolicOutcome("proved", f"expand in Z[h,e] for M={','.join(map(str, ABEL_M))}")


def _check_c7(digits, seed):
    rng = np.random.default_rng(seed)
    q, k, _, _ = _mp_case(rng, D_NUM)
    delta = float(rng.uniform(-3000, 3000))

    def sides():
        th = nr.mp_thetas(D_NUM)
        h = nr.mp_h(q, k) + [mpmath.mpc(0)]
        S = nr.mp_partial_sums(delta, th)
        lhs = mpmath.fsum(h[i] * mpmath.expj(delta * th[i]) for i in range(len(th)))
        return lhs, -mpmath.fsum(S[i + 1] * (h[i + 1] - h[i]) for i in range(len(th)))

    return compare_outcome(sides, digits, {"Delta": delta}, f"mpmath d={D_NUM}, Delta={delta:.6g}")


@claim("C7", r"\sum_{i=0}^{M-1}h_ie^{\mathrm i\Delta\theta_i}=\sum_{i=0}^{M-1}h_i(S_{i+1}-S_i)=-\sum_{i=0}^{M-1}S_{i+1}(h_{i+1}-h_i),"
       r"\quad S_0=0,\ h_M=0,\ M=\tfrac d2",
       prove=_prove_c7, cross_check=_check_c7)
def c7():
    r"""Abel summation (summation by parts) with \(e_i=e^{\mathrm i\Delta\theta_i}=S_{i+1}-S_i\): a polynomial
    identity in \(h_0..h_{M-1}, e_0..e_{M-1}\), expanded exactly for \(M\le8\) and \(M=64\) (\(d=128\))."""


def _check_c8(digits, seed):
    score, mid, bound = nr.np_decay_trials(D_NUM, 2000, seed)
    slack = 1 + 1e-12
    bad = np.flatnonzero((score > mid * slack) | (mid > bound * slack))
    if bad.size:
        t = int(bad[0])
        return _bad(f"trial {t}: |score| {score[t]:.6g}, |sum| {mid[t]:.6g}, bound {bound[t]:.6g}")
    rng = np.random.default_rng(seed + 1)
    worst = mpmath.inf
    for _ in range(2):
        q, k, pm, pn = _mp_case(rng, D_NUM)
        margins = []
        for dps in (digits + 10, digits + 30):
            with mpmath.workdps(dps):
                th = nr.mp_thetas(D_NUM)
                s = abs(nr.mp_dot(nr.mp_rotate(q, pm, th), nr.mp_rotate(k, pn, th)))
                mid_ = abs(mpmath.fsum(h * mpmath.expj((mpmath.mpf(pm) - pn) * t) for h, t in zip(nr.mp_h(q, k), th)))
                margins.append(min(mid_ - s, nr.mp_decay_bound(q, k, mpmath.mpf(pm) - pn, th) - mid_))
        if min(margins) < 0:
            return _bad(f"violated at m={pm}, n={pn}: margin {mpmath.nstr(min(margins), 5)}")
        worst = min(worst, margins[-1])
    return _ok(f"2000 float64 trials (d={D_NUM}, |q| scaled by U(0.1,3), Delta in [-500,500)): no violation, "
               f"largest |sum|/bound {np.max(mid / bound):.3f}; 2 trials at {digits}+10/+30 digits, "
               f"smallest margin {mpmath.nstr(worst, 3)}")


@claim("C8", r"|(\mathcal R_mq)^\top(\mathcal R_nk)|\le\Big|\sum_ih_ie^{\mathrm i\Delta\theta_i}\Big|"
       r"\le\Big(\max_{0\le i<d/2}|h_{i+1}-h_i|\Big)\sum_{j=1}^{d/2}|S_j|",
       hypotheses=(r"\Delta=m-n,\ h_{d/2}=0",), uses=("C3", "C7"), symbolic=False, cross_check=_check_c8)
def c8():
    r"""Decay bound: \(|\mathrm{Re}\,z|\le|z|\), then C7 and the triangle inequality.  The post's first
    "\(\le\)" after Abel summation is an equality.  Checked numerically (no symbolic proof)."""


M_half = sp.Symbol("M", integer=True, positive=True)
j_ = sp.Symbol("j", integer=True, positive=True)


@claim("C9a", r"F_d(0)=\frac2d\sum_{j=1}^{d/2}|S_j(0)|=\frac2d\sum_{j=1}^{d/2}j=\frac{d/2+1}{2}")
def c9a():
    r"""At \(\Delta=0\) every \(e^{\mathrm i\Delta\theta_i}=1\), so \(S_j(0)=j\); with \(M=d/2\):
    \(\frac1M\sum_{j=1}^Mj=\frac{M+1}2\)."""
    return Identity(sp.Sum(j_, (j_, 1, M_half)) / M_half, (M_half + 1) / 2, {M_half: integers(1, 64)})


def _prove_c9b():
    delta, t = sp.Symbol("Delta", real=True), sp.Symbol("theta", positive=True)
    ok = sp.conjugate(sp.exp(sp.I * delta * t)) - sp.exp(-sp.I * delta * t) == 0
    return _exact(ok, "conj(e^(i Delta theta)) = e^(-i Delta theta) for real Delta, theta (exact), termwise",
                  "conjugation did not evaluate")


def _check_c9b(digits, seed):
    delta = float(np.random.default_rng(seed).uniform(1, 5000))
    return compare_outcome(lambda: (nr.mp_indicator(D_NUM, -delta), nr.mp_indicator(D_NUM, delta)), digits, {"Delta": delta}, f"d={D_NUM}, Delta={delta:.6g}")


@claim("C9b", r"F_d(-\Delta)=F_d(\Delta)", prove=_prove_c9b, cross_check=_check_c9b)
def c9b():
    r"""\(e^{-\mathrm i\Delta\theta}=\overline{e^{\mathrm i\Delta\theta}}\) for real \(\Delta,\theta\) (exact), so
    \(S_j(-\Delta)=\overline{S_j(\Delta)}\) termwise and \(|S_j|\), \(F_d\) are even; cross-checked at 50 digits
    for \(d=128\)."""


def _check_c9c(digits, seed):
    deltas = np.arange(-4096, 4097)
    F = nr.np_indicator(D_NUM, deltas)
    top = (D_NUM / 2 + 1) / 2
    if np.any(F > top * (1 + 1e-12)):
        i = int(np.argmax(F))
        return _bad(f"F({deltas[i]}) = {F[i]:.10g} > F(0) = {top}")
    off = F[deltas != 0].max()
    ups = int((np.diff(nr.np_indicator(D_NUM, np.arange(257))) > 0).sum())
    with mpmath.workdps(digits + 10):
        f4096, f1000 = nr.mp_indicator(D_NUM, 4096), nr.mp_indicator(D_NUM, 1000)
    if not f4096 > f1000:
        return _bad(f"F(4096) = {mpmath.nstr(f4096, 10)} <= F(1000) = {mpmath.nstr(f1000, 10)}")
    return _ok(f"integer grid |Delta| <= 4096: max off 0 is {off:.6g} < {top}; "
               f"{ups} of 256 unit steps on [0,256] go up; F(4096) = {mpmath.nstr(f4096, 10)} > "
               f"F(1000) = {mpmath.nstr(f1000, 10)}")


@claim("C9c", r"F_d(\Delta)\le F_d(0)=\frac{d/2+1}{2}\ \text{for all }\Delta,\ \text{but }F_d\text{ is not monotone: }"
       r"F_{128}(4096)>F_{128}(1000)",
       uses=("C9a",), symbolic=False, cross_check=_check_c9c)
def c9c():
    r"""\(|S_j|\le j\) (triangle inequality) gives the envelope \(F_d\le F_d(0)\); the indicator oscillates
    (resonances where \(\Delta\theta_i\) is near \(2\pi\mathbb Z\)): the decay is of the envelope only."""


def _check_monotone(digits, seed):
    cmp = compare(lambda dps: (nr.mp_indicator(D_NUM, 4096), nr.mp_indicator(D_NUM, 1000)), digits)
    if cmp.status == "disagree" and cmp.lhs > cmp.rhs:
        return _bad(f"F_128(4096) = {mpmath.nstr(cmp.lhs, 10)} > F_128(1000) = {mpmath.nstr(cmp.rhs, 10)} "
                    f"(confirmed at {cmp.dps} digits)")
    return NumericOutcome("unknown", None, None, "no increase found")


@control("N6", r"F_{128}(\Delta_2)\le F_{128}(\Delta_1)\ \text{whenever }0\le\Delta_1\le\Delta_2\ \text{(monotone decay)}",
         symbolic=False, cross_check=_check_monotone)
def n6():
    r"""The post's plot reading "the relative size decays with the distance" taken literally."""


# --- C10, C11: general 1D and 2D solutions -------------------------------------------------

def _random_skew(rng, size):
    a = rng.standard_normal((size, size))
    return (a - a.T).tolist()


def _check_c10b(digits, seed):
    rng = np.random.default_rng(seed)
    B = _random_skew(rng, 4)
    pm, pn = (float(v) for v in rng.uniform(-3, 3, 2))

    def sides():
        Bm = mpmath.matrix(B)
        Em, En = mpmath.expm(pm * Bm), mpmath.expm(pn * Bm)
        return (Em.T * En, En.T * En), (mpmath.expm((mpmath.mpf(pn) - pm) * Bm), mpmath.eye(4))

    return compare_outcome(sides, digits, {"m": pm, "n": pn}, f"random 4x4 skew B, m={pm:.4g}, n={pn:.4g} (mpmath expm)")


@claim("C10a", r"B^\top=-B\ \Rightarrow\ \exp(mB)^\top\exp(nB)=\exp((n-m)B),\quad \exp(nB)^\top\exp(nB)=I",
       uses=("C1d",), symbolic=False, cross_check=_check_c10b)
def c10a():
    r"""General 1D solutions: \(\exp(M)^\top=\exp(M^\top)\) and commuting exponents add.  Checked for a
    random 4x4 skew matrix at two precisions; the 2x2 case \(B=\theta J\) is C1d (proved)."""


def _cayley(A):
    I = sp.eye(A.rows)
    return (I - A) * (I + A).inv()


def _check_c10c(digits, seed):
    rng = np.random.default_rng(seed)
    for _ in range(3):
        up = sp.Matrix(4, 4, lambda i, j: sp.Rational(int(rng.integers(-5, 6)), int(rng.integers(1, 4))) if i < j else 0)
        O = _cayley(up - up.T)
        if O.T * O != sp.eye(4):
            return _bad("Cayley transform not orthogonal")
        for a, b in ((0, 3), (2, 5), (-1, 2), (4, -3)):
            if (O ** a).T * O ** b != O ** (b - a):
                return _bad(f"(O^{a})^T O^{b} != O^{b - a}")
    return _ok("exact rational arithmetic: 3 Cayley-transform orthogonal 4x4 O, (m,n) in {(0,3),(2,5),(-1,2),(4,-3)}")


@claim("C10b", r"O^\top O=I\ \Rightarrow\ (O^m)^\top O^n=O^{n-m}\quad(m,n\in\mathbb Z)",
       symbolic=False, cross_check=_check_c10c)
def c10b():
    r"""\((O^m)^\top=(O^\top)^m=O^{-m}\).  Checked exactly on rational orthogonal matrices
    \(O=(I-A)(I+A)^{-1}\), \(A\) skew (instances, not a symbolic proof)."""


bb, cc, dd, ee, ff = sp.symbols("b c d e f", real=True)


def _commutator(B1, B2):
    return [e for e in (B1 * B2 - B2 * B1) if e != 0]


def _prove_c11a():
    eqs = _commutator(sp.Matrix(nr.skew3(1, 0, 0)), sp.Matrix(nr.skew3(0, bb, cc)))
    sol = sp.solve(eqs, [bb, cc], dict=True)
    return _exact(sol == [{bb: 0, cc: 0}], "solve on the commutator entries", f"solve gave {sol}")


@claim("C11a", r"B(1,0,0)B(0,b,c)=B(0,b,c)B(1,0,0)\iff b=c=0", prove=_prove_c11a, numeric=False)
def c11a():
    r"""3x3 search: the commutator is \(\begin{psmallmatrix}0&0&c\\0&0&-b\\-c&b&0\end{psmallmatrix}\); no
    commuting pair of this shape with \(B_2\ne0\) (no invertible 3x3 RoPE-2D of this form)."""


def _prove_c11b():
    eqs = _commutator(sp.Matrix(nr.skew4(1, bb, cc, 0, 0, 0)), sp.Matrix(nr.skew4(0, 0, 0, dd, ee, ff)))
    G = sp.groebner(eqs, dd, ee, bb, cc, ff, order="lex")
    H = sp.groebner([dd - cc * ff, ee + bb * ff], dd, ee, bb, cc, ff, order="lex")
    return _exact(list(G.exprs) == list(H.exprs), "equal reduced Groebner bases (same ideal)", f"basis {G.exprs}")


@claim("C11b", r"B_4(1,b,c,0,0,0)\,B_4(0,0,0,d,e,f)=B_4(0,0,0,d,e,f)\,B_4(1,b,c,0,0,0)\iff d=cf,\ e=-bf",
       prove=_prove_c11b, numeric=False)
def c11b():
    r"""4x4 search: the ideal generated by the commutator entries equals \((d-cf,\ e+bf)\)."""


def _check_c11(digits, seed):
    rng = np.random.default_rng(seed)
    b, c_, f = (float(v) / 8 for v in rng.integers(2, 13, 3))  # dyadic: c*f, b*f exact in binary
    B1, B2 = nr.skew4(1, b, c_, 0, 0, 0), nr.skew4(0, 0, 0, c_ * f, -b * f, f)
    p1, p2 = [tuple(float(v) for v in rng.uniform(-3, 3, 2)) for _ in range(2)]
    return compare_outcome(lambda: nr.mp_relative_defect(B1, B2, p1, p2), digits, {"b": b, "c": c_, "f": f}, f"4x4 family (b,c,f)=({b:.3f},{c_:.3f},{f:.3f}), d=cf, e=-bf; points {p1}, {p2}")


@claim("C11", r"B_1^\top=-B_1,\ B_2^\top=-B_2,\ B_1B_2=B_2B_1\ \Rightarrow\ "
       r"\mathcal R_{x_1,y_1}^\top\mathcal R_{x_2,y_2}=\mathcal R_{x_2-x_1,y_2-y_1},\quad \mathcal R_{x,y}=\exp(xB_1+yB_2)",
       uses=("C10a", "C11b"), symbolic=False, cross_check=_check_c11)
def c11():
    r"""2D relativity from commuting skew generators, checked at two precisions on the C11b family with
    \(b,c,f\ne0\).  Commutation is sufficient, not necessary."""


@claim("C11c", r"f=1,\ b=c=d=e=0:\ \theta(xB_1+yB_2)=\mathrm{diag}(x\theta J,\ y\theta J),\ \text{so }"
       r"\mathcal R_{x,y}=\mathrm{diag}(R(x\theta),R(y\theta))", uses=("C1d",))
def c11c():
    r"""The simplest commuting pair is block diagonal; by C1d its exponential is the RoPE-2D of 8397."""
    B1, B2 = sp.Matrix(nr.skew4(1, 0, 0, 0, 0, 0)), sp.Matrix(nr.skew4(0, 0, 0, 0, 0, 1))
    return Identity(theta * (x * B1 + y * B2), sp.diag(x * theta * J, y * theta * J), {})


# --- C12: quaternions -----------------------------------------------------------------------

def _q(name):
    return sp.Matrix(nr.quaternion_units()[name])


@claim("C12a", r"\mathbf i\mathbf j=\mathbf k=-\mathbf j\mathbf i,\quad \mathbf i^2=\mathbf j^2=\mathbf k^2=-1,\quad "
       r"v^2=-|v|^2\ \text{for pure }v=x\mathbf i+y\mathbf j+z\mathbf k")
def c12a():
    r"""Quaternion relations in the real 4x4 left-multiplication representation (exact)."""
    a, b, z = sp.symbols("a b z", real=True)
    V = a * _q("i") + b * _q("j") + z * _q("k")
    lhs = sp.Matrix.hstack(_q("i") * _q("j"), _q("j") * _q("i"), _q("i") ** 2, _q("j") ** 2, _q("k") ** 2, V * V)
    one = _q("1")
    rhs = sp.Matrix.hstack(_q("k"), -_q("k"), -one, -one, -one, -(a ** 2 + b ** 2 + z ** 2) * one)
    return Identity(lhs, rhs, {})


def _check_c12b(digits, seed):
    rng = np.random.default_rng(seed)
    a0, v1, v2, v3 = (float(v) for v in rng.uniform(-2, 2, 4))

    def sides():
        r = mpmath.sqrt(mpmath.mpf(v1) ** 2 + mpmath.mpf(v2) ** 2 + mpmath.mpf(v3) ** 2)
        lhs = mpmath.expm(nr.quaternion_matrix(a0, v1, v2, v3))
        V = nr.quaternion_matrix(0, v1, v2, v3)
        return lhs, mpmath.exp(a0) * (mpmath.cos(r) * mpmath.eye(4) + V * (mpmath.sin(r) / r))

    return compare_outcome(sides, digits, {"a": a0}, f"a={a0:.3f}, v=({v1:.3f},{v2:.3f},{v3:.3f}) (mpmath expm)")


@claim("C12b", r"e^{a+v}=e^a\Big(\cos|v|+\frac{v}{|v|}\sin|v|\Big)\quad(v\ \text{pure})", uses=("C12a",),
       symbolic=False, cross_check=_check_c12b)
def c12b():
    r"""Quaternion Euler formula: from \(v^2=-|v|^2\) the exponential series splits into \(\cos\) and \(\sin\)."""


def _check_additive(digits, seed):
    t = mpmath.mpf("0.7")

    def sides():
        one, i, j = (mpmath.matrix(nr.quaternion_units()[s]) for s in "1ij")
        r = t * mpmath.sqrt(2)  # |theta (i + j)|
        ei, ej = (mpmath.cos(t) * one + mpmath.sin(t) * u for u in (i, j))
        return ei * ej, mpmath.cos(r) * one + (i + j) * (t * mpmath.sin(r) / r)

    return compare_outcome(sides, digits, {"theta": t}, "",
                      text=lambda cmp: "theta=0.7: ||e^(theta i) e^(theta j) - e^(theta(i+j))||_F = "
                                       f"{mpmath.nstr(nr.frobenius(cmp.lhs - cmp.rhs), 4)} (ij = -ji)")


@control("C12x", r"e^{\theta\mathbf i}e^{\theta\mathbf j}=e^{\theta(\mathbf i+\mathbf j)}\ \text{(quaternion RoPE-2D)}",
         uses=("C12b",), symbolic=False, cross_check=_check_additive)
def c12x():
    r"""The quaternion dead end of 8397: exponentials of non-commuting units do not add (both sides by the
    Euler formula C12b)."""


# --- C13: RoPE-Tie ----------------------------------------------------------------------------

L_, w_, h_, s_, t_, K_ = sp.symbols("L w h s t K", positive=True)


def _gaps(L, w, h, s, t, K):
    first, last = (L + s, L + t), (L + h * s, L + w * t)
    return sp.Matrix([first[0] - L, first[1] - L, K - last[0], K - last[1]])


def _prove_c13a():
    g = _gaps(L_, w_, h_, s_, t_, K_)
    sol = sp.solve([g[2] - s_, g[3] - t_], [K_, t_], dict=True)
    want = {K_: L_ + (h_ + 1) * s_, t_: (h_ + 1) * s_ / (w_ + 1)}
    ok = len(sol) == 1 and all(sp.cancel(sol[0][k] - v) == 0 for k, v in want.items()) and g[0] == s_ and g[1] == t_
    return _exact(ok, "solve (unique solution of the linear system)", f"solve gave {sol}")


def _fraction_grid(kind):
    def check(digits, seed):
        count = 0
        for L in range(0, 4):
            for w in range(1, 6):
                for h in range(1, 6):
                    s, t, K = nr.rope_tie_solutions(L, w, h)[kind]
                    a, b = nr.rope_tie_gaps(L, w, h, s, t, K)
                    if a != (s, t) or b != (s, t):
                        return _bad(f"(L,w,h)=({L},{w},{h}): gaps {a}, {b} != (s,t)=({s},{t})")
                    count += 1
        return _ok(f"exact Fractions on {count} cases L<=3, 1<=w,h<=5")
    return check


@claim("C13a", r"(L+s,L+t)-(L,L)=(K,K)-(L+hs,L+wt)=(s,t)\iff (h+1)s=(w+1)t,\ K=L+(h+1)s",
       prove=_prove_c13a, cross_check=_fraction_grid("integer"))
def c13a():
    r"""RoPE-Tie: patch (row \(i\), column \(j\)) at \((L+is, L+jt)\); equal gaps before and after the image."""


@claim("C13b", r"s=w+1,\ t=h+1,\ K=L+(w+1)(h+1)\ \text{(integer)};\quad s=\tfrac{wh+1}{h+1},\ t=\tfrac{wh+1}{w+1},\ K=L+wh+1",
       uses=("C13a",), cross_check=_fraction_grid("wh_tokens"))
def c13b():
    r"""Both scalings of 10040 give gaps exactly \((s,t)\) (symbolic in \(L,w,h\)); the second makes the
    image occupy \(wh\) positions like \(wh\) text tokens."""
    integer = _gaps(L_, w_, h_, w_ + 1, h_ + 1, L_ + (w_ + 1) * (h_ + 1)) - sp.Matrix([w_ + 1, h_ + 1] * 2)
    s, t = (w_ * h_ + 1) / (h_ + 1), (w_ * h_ + 1) / (w_ + 1)
    tokens = _gaps(L_, w_, h_, s, t, L_ + w_ * h_ + 1) - sp.Matrix([s, t] * 2)
    return Identity(integer.col_join(tokens), sp.zeros(8, 1), {L_: positive(20), w_: positive(20), h_: positive(20)})


def _prove_c13c():
    g = _gaps(L_, w_, h_, 1, 1, K_)
    return _exact(sp.expand((g[2] - 1) - (g[3] - 1) - (w_ - h_)) == 0, "elimination of K",
                  "elimination failed")


@claim("C13c", r"s=t=1:\ (K-L-h,\ K-L-w)=(1,1)\ \Rightarrow\ w=h", prove=_prove_c13c, numeric=False)
def c13c():
    r"""Without scaling, subtracting the two gap equations eliminates \(K\) and leaves \(w-h=0\)."""


# --- C14: degeneration of RoPE-2D to RoPE-1D ------------------------------------------------

def _rope2d(v, x_cs_sn, y_cs_sn):
    half = len(v) // 2
    return rotate(v[:half, :], *x_cs_sn).col_join(rotate(v[half:, :], *y_cs_sn))


def _to_1d(v):
    r"""\(P\): 2D x-block \(k\) (frequency \(\theta_{2k}\)) \(\to\) 1D block \(2k\); y-block \(k\)
    (\(\theta_{2k+1}\)) \(\to\) 1D block \(2k+1\)."""
    d = len(v)
    out = [None] * d
    for kk in range(d // 4):
        out[4 * kk], out[4 * kk + 1] = v[2 * kk], v[2 * kk + 1]
        out[4 * kk + 2], out[4 * kk + 3] = v[d // 2 + 2 * kk], v[d // 2 + 2 * kk + 1]
    return sp.Matrix(out)


def _to_2d(v):
    r"""\(P^\top\), the inverse of :func:`_to_1d`."""
    d = len(v)
    out = [None] * d
    for kk in range(d // 4):
        out[2 * kk], out[2 * kk + 1] = v[4 * kk], v[4 * kk + 1]
        out[d // 2 + 2 * kk], out[d // 2 + 2 * kk + 1] = v[4 * kk + 2], v[4 * kk + 3]
    return sp.Matrix(out)


def _check_c14(digits, seed):
    rng = np.random.default_rng(seed)
    th = nr.np_thetas(D_NUM)
    perm = np.array([int(v) for v in _to_1d(list(range(D_NUM)))])  # (P x)_i = x[perm_i]

    def rope2d(v, px, py):
        h = D_NUM // 2
        return np.concatenate([nr.np_rotate(v[:h], px, th[0::2]), nr.np_rotate(v[h:], py, th[1::2])])

    q, k = rng.standard_normal(D_NUM), rng.standard_normal(D_NUM)
    pm, pn = rng.uniform(-1000, 1000, 2)
    a = rope2d(q, pm, pm) @ rope2d(k, pn, pn)
    b = nr.np_rotate(q[perm], pm, th) @ nr.np_rotate(k[perm], pn, th)
    (x1, y1), (x2, y2) = rng.uniform(-100, 100, (2, 2))
    rel = rope2d(q, x1, y1) @ rope2d(k, x2, y2) - q @ rope2d(k, x2 - x1, y2 - y1)
    if abs(a - b) > 1e-12 * abs(a) + 1e-12 or abs(rel) > 1e-11:
        return _bad(f"float64: 2D text score {a} vs 1D {b}, 2D relativity residual {rel:.2e}")
    return _ok(f"float64 d={D_NUM}: text scores equal ({abs(a - b):.1e}); 2D relativity residual {abs(rel):.1e}")


@claim("C14", r"\Theta_x=\{\theta_{2k}\},\ \Theta_y=\{\theta_{2k+1}\}:\ \mathcal R_{n,n}=P^\top\mathcal R_nP,\quad "
       r"(\mathcal R_{m,m}q)^\top(\mathcal R_{n,n}k)=(\mathcal R_mPq)^\top(\mathcal R_nPk)\quad(d=128)",
       uses=("C3",), cross_check=_check_c14)
def c14():
    r"""With complementary frequency sets a text token at \((n,n)\) gets exactly RoPE-1D: the two sides agree
    entry by entry on a symbolic \(q\in\mathbb R^{128}\) with \(c_i=\cos n\theta_i\), \(s_i=\sin n\theta_i\) as independent
    symbols (a fixed permutation \(P\)), so the scores coincide."""
    q, (cs, sn) = vec("q", D_NUM), atoms(D_NUM)
    return Identity(_rope2d(q, (cs[0::2], sn[0::2]), (cs[1::2], sn[1::2])), _to_2d(rotate(_to_1d(q), cs, sn)), {})


# --- negative controls ----------------------------------------------------------------------

@control("N1", r"(R(m\theta)q)^\top(R(n\theta)k)=q^\top R((m-n)\theta)k", symbolic=False)
def n1():
    r"""Sign slip: the residual \(2(q_0k_1-q_1k_0)\sin((m-n)\theta)\) vanishes only for parallel \(q,k\)."""
    lhs = (R(m * theta) * sp.Matrix([q0, q1])).dot(R(n * theta) * sp.Matrix([k0, k1]))
    rhs = sp.Matrix([q0, q1]).dot(R((m - n) * theta) * sp.Matrix([k0, k1]))
    return Identity(lhs, rhs, {m: POSITION, n: POSITION, theta: positive(1), q0: real(0.5, 2), q1: real(-2, -0.5),
                               k0: real(0.5, 2), k1: real(0.5, 2)})


@control("N2a", r"\theta_i=10000^{-i/d}\ (d=4):\ (\theta_0,\theta_1)=(1,\ 0.01)")
def n2a():
    r"""Wrong exponent: \(10000^{-1/4}=1/10\), not the post's \(10000^{-2/4}=1/100\)."""
    return Identity(sp.Matrix([sp.Integer(10000) ** sp.Rational(-i, 4) for i in range(2)]),
                    sp.Matrix([1, sp.Rational(1, 100)]), {})


@control("N2b", r"\theta_i=10000^{-2(i+1)/d}\ (d=4):\ (\theta_0,\theta_1)=(1,\ 0.01)")
def n2b():
    r"""Off by one: starting at \(i=1\) drops \(\theta=1\)."""
    return Identity(sp.Matrix([sp.Integer(10000) ** sp.Rational(-2 * (i + 1), 4) for i in range(2)]),
                    sp.Matrix([1, sp.Rational(1, 100)]), {})


def _check_mixed(digits, seed):
    rng = np.random.default_rng(0)
    d, pm, pn, shift = 64, 17, 5, 3
    q, k = [mpmath.mpf(float(v)) for v in rng.standard_normal(d)], [mpmath.mpf(float(v)) for v in rng.standard_normal(d)]

    def scores():
        th = nr.mp_thetas(d)
        return (nr.mp_dot(nr.mp_rotate(q, pm + shift, th), nr.mp_rotate(k, pn + shift, th, "half")),
                nr.mp_dot(nr.mp_rotate(q, pm, th), nr.mp_rotate(k, pn, th, "half")))

    return compare_outcome(scores, digits, {"m": pm, "n": pn, "c": shift}, "",
                      text=lambda cmp: (f"d=64, numpy seed 0 normal q,k, m=17, n=5: shifting both by 3 changes the mixed score "
                      f"from {fmt(cmp.rhs, 8)} to {fmt(cmp.lhs, 8)} (by {fmt(cmp.lhs - cmp.rhs, 4)})"))


@control("N3", r"(\mathcal R^{int}_{m+c}q)^\top(\mathcal R^{half}_{n+c}k)=(\mathcal R^{int}_mq)^\top(\mathcal R^{half}_nk)"
         r"\ \text{(mixed layouts)}", symbolic=False, cross_check=_check_mixed)
def n3():
    r"""Interleaved rotation for \(q\), half-split for \(k\): the pairs no longer match and relativity breaks."""


@control("N4", r"(\mathcal R_mq)^\top(\mathcal R_nk)=q^\top\mathcal R_{m+n}k\quad(d=2,\ \theta=1,\ q=(1,0),\ k=(0,1),\ m=n=1)")
def n4():
    r"""Adding instead of subtracting positions: LHS \(=0\), RHS \(=-\sin2\)."""
    qv, kv = sp.Matrix([1, 0]), sp.Matrix([0, 1])
    return Identity((R(1) * qv).dot(R(1) * kv), qv.dot(R(2) * kv), {})


def _check_noncommuting(digits, seed):
    B1, B2 = nr.skew3(1, 0, 0), nr.skew3(0, 0, 1)
    p1, p2 = (0.3, 0.7), (1.1, -0.4)
    return compare_outcome(lambda: nr.mp_relative_defect(B1, B2, p1, p2), digits, {"x1": 0.3, "y1": 0.7, "x2": 1.1, "y2": -0.4}, "",
                      text=lambda cmp: (f"B(1,0,0), B(0,0,1) at (0.3,0.7), (1.1,-0.4): ||R1^T R2 - R_Delta||_F = "
                      f"{mpmath.nstr(nr.frobenius(cmp.lhs - cmp.rhs), 4)}"))


@control("N5", r"\mathcal R_{x,y}=\exp(xB(1,0,0)+yB(0,0,1))\ \text{satisfies 2D relativity}", symbolic=False,
         cross_check=_check_noncommuting)
def n5():
    r"""Non-commuting skew generators: \(\exp(A)\exp(B)\ne\exp(A+B)\)."""


def _refute_n7():
    same = R((1 + 0) * theta) - R((0 + 1) * theta)
    if same == sp.zeros(2, 2):
        return SymbolicOutcome("refuted", "exact", {"text": "R_{1,0} = R_{0,1} = R(theta) although (1,0) != (0,1): "
                                                            "not injective (relativity holds, by C1 with angle (x+y)theta)"})
    return SymbolicOutcome("failed")


@control("N7", r"\mathcal R_{x,y}=R((x+y)\theta)\ \text{is a valid (injective) RoPE-2D}", prove=_refute_n7, numeric=False)
def n7():
    r"""Using \(x+y\) as a 1D position satisfies relativity but forgets which coordinate moved."""


def _check_same_freq(digits, seed):
    def traces():
        t1, t2 = nr.mp_thetas(D_NUM), nr.mp_thetas(D_NUM // 2)
        return 2 * mpmath.fsum(mpmath.cos(t) for t in t1), 4 * mpmath.fsum(mpmath.cos(t) for t in t2)

    return compare_outcome(traces, digits, {"n": 1}, "",
                      text=lambda cmp: (f"d=128, n=1: tr R_1 = {fmt(cmp.lhs, 10)} but tr R_(1,1) = {fmt(cmp.rhs, 10)} "
                      "with the same 32 frequencies in both halves; P^T R P has the trace of R"))


@control("N8", r"\text{same }\Theta\text{ in both halves (8397)}:\ \mathcal R_{n,n}=P^\top\mathcal R_nP\ \text{for some permutation }P",
         symbolic=False, cross_check=_check_same_freq)
def n8():
    r"""With the same frequency set for \(x\) and \(y\) each frequency appears twice, so RoPE-2D at
    \((n,n)\) is not RoPE-1D; similar matrices have equal traces, and the traces differ."""


def _refute_n9():
    K = sp.Symbol("K")
    L, w, h = 5, 3, 2
    g = _gaps(L, w, h, 1, 1, K)
    sol = sp.solve([g[2] - 1, g[3] - 1], [K], dict=True)
    if sol == []:
        return SymbolicOutcome("refuted", "solve", {"text": "(L,w,h)=(5,3,2), s=t=1: last patch (7,8); "
                                                             "K-7=1 needs K=8, K-8=1 needs K=9: no solution"})
    return SymbolicOutcome("failed", detail=f"solve gave {sol}")


@control("N9", r"s=t=1,\ (L,w,h)=(5,3,2):\ \exists K:\ (K-7,\ K-8)=(1,1)", prove=_refute_n9, numeric=False)
def n9():
    r"""RoPE-Tie without scaling cannot make both gaps \((1,1)\) when \(w\ne h\)."""


wi, xi, yi = sp.symbols("w_img x_img y_img", integer=True, positive=True)


@control("N10", r"\mathrm{idx}(x,y)=xw+y:\ \mathrm{idx}(x+1,y)-\mathrm{idx}(x,y)=\mathrm{idx}(x,y+1)-\mathrm{idx}(x,y)",
         symbolic=False)
def n10():
    r"""Row-major flattening of a \(w\)-wide image: vertical neighbours are \(w\) apart, horizontal ones 1."""
    idx = lambda a, b: a * wi + b  # noqa: E731
    return Identity(idx(xi + 1, yi) - idx(xi, yi), idx(xi, yi + 1) - idx(xi, yi),
                    {wi: integers(2, 64), xi: integers(1, 64), yi: integers(1, 64)})


# --- results ------------------------------------------------------------------------------------

def results():
    th = sp.Symbol(r"\theta_i", positive=True)
    blk = sp.simplify(R(m * th).T * R(n * th))
    return [
        ("2x2 block of the relative property",
         sp.latex(R(m * th).T) + sp.latex(R(n * th)) + "=" + sp.latex(blk) + "=R((n-m)\\theta_i)"),
        ("frequencies", r"\theta_i=10000^{-2i/d},\quad \theta_{63}^{(d=128)}=10000^{-126/128}\approx"
         + mpmath.nstr(nr.mp_thetas(D_NUM)[-1], 11)),
        ("decay bound", r"|(\mathcal R_mq)^\top(\mathcal R_nk)|\le\max_i|h_{i+1}-h_i|\cdot\tfrac d2F_d(m-n),\quad F_d(0)=\tfrac{d/2+1}2"),
        ("indicator d=128", r",\ ".join(f"F_{{128}}({v})={mpmath.nstr(nr.mp_indicator(D_NUM, v), 8)}"
                                          for v in (0, 100, 1000, 2009, 4096))),
        ("commuting 4x4 generators", r"B_1=" + sp.latex(sp.Matrix(nr.skew4(1, bb, cc, 0, 0, 0))) + r",\ B_2="
         + sp.latex(sp.Matrix(nr.skew4(0, 0, 0, cc * ff, -bb * ff, ff)))),
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
    claims=(c1, c1d, c2a, c2b, c3, c3s, c4, c5, c5p, c6, c7, c8, c9a, c9b, c10a, c10b,
            c11a, c11b, c11, c11c, c12a, c12b, c13a, c13b, c13c, c14),
    controls=(n1, n2a, n2b, n3, n4, n5, n7, n8, n9, n10, c12x),
    errata=(Erratum("E1.monotone-decay", post_says=n6, correct=c9c,
                    note="8265 reads the plot of the indicator as decay with distance; F_d is only bounded by "
                         "F_d(0) and oscillates (115 of the 256 unit steps on [0,256] go up, F_128(2009)=11.39 > "
                         "F_128(100)=10.23)."),),
    results=results,
)
