r"""Smooth approximations of Top-K: GradTopK, the weighted-softmax iteration and ThreTopK.

Post: Su Jianlin, 《Softmax后传：寻找Top-K的光滑近似》 ("Softmax sequel: smooth approximations of Top-K"),
Scientific Spaces, 2024-09-19, https://kexue.fm/archives/10373.

Setting: \(x\in\mathbb R^n\) with distinct entries, \(1\le k<n\), \(\mathcal T_k(x)\in\{0,1\}^n\) marks the \(k\) largest.

Main results
- C1 (exact, proved): \(\mathrm{GradTopK}_k=\nabla_x\log e_k(e^x)\) has entries \(Z_{k,i}/Z_k\in(0,1)\) summing to \(k\),
  the recurrence \(Z_{k,i}=y_i(Z_{k-1}-Z_{k-1,i})\), \(\mathrm{GradTopK}_1=\mathrm{softmax}\), limit \(\mathcal T_k\) as \(\tau\to0^+\).
- C2 (exact limit, proved): the weighted-softmax iteration gives \(p^{(2)}(x/\tau)\to(\tfrac32,\tfrac12,0,\dots)\), not \(\mathcal T_2\);
  the precision trap (\(1-p_{\max}\) cancels to 0 at ordinary precision) is caught by two controls.
- C3 (exact, proved): ThreTopK with \(f=\min(1,e^u)\) in closed form (softmax at \(k=1\)); implicit gradient of the threshold.
- C4 (exact, proved): Laplace-CDF ThreTopK in closed form; erratum: at \(k=1\) it equals softmax only when
  \(\max\mathrm{softmax}\le\frac12\), otherwise the top entry is \(1-\frac u2<\frac1{1+u^2}\).
"""
from __future__ import annotations

import itertools

import mpmath
import sympy as sp

from derivations.engine import Derivation, Erratum, Identity, claim, control
from derivations.engine.symbolic import SymbolicOutcome
from numeric import topk as num
from numeric.identity import NumericOutcome, compare, counterexample, fmt
from numeric.sampling import positive, real

X_A = (3, 2, 1, 4)                  # the card's running example
X_B = ("0.5", "-1", "2", "0", "1.5")
T2_A = (1, 0, 0, 1)


def e_sym(ys, k):
    r"""Elementary symmetric polynomial \(e_k(y)\)."""
    return sp.Add(*[sp.Mul(*c) for c in itertools.combinations(ys, k)]) if k else sp.S(1)


def z_ki(ys, k, i):
    r"""\(Z_{k,i}=y_i\,e_{k-1}(y_{\setminus i})\)."""
    return ys[i] * e_sym(ys[:i] + ys[i + 1:], k - 1)


Y5 = sp.symbols("y1:6", positive=True)
X4 = sp.symbols("x1:5", real=True)
q = sp.Symbol("q", positive=True)   # q = exp(-1/tau)


def _check_values(pairs, digits):
    """Two-precision comparison of several (lhs, rhs) computations; ``pairs`` = [(label, compute(dps))]."""
    worst = digits
    for label, compute in pairs:
        cmp = compare(compute, digits)
        if cmp.status != "agree":
            cx = counterexample(cmp) if cmp.status == "disagree" else None
            if cx:
                cx = {"text": f"{label}: lhs {fmt(cmp.lhs, 12)} vs rhs {fmt(cmp.rhs, 12)}"}
            return NumericOutcome("disagree" if cmp.status == "disagree" else "unknown", cmp.digits, cx,
                                  f"{label}: {cmp.detail}")
        worst = min(worst, cmp.digits)
    return NumericOutcome("agree", worst, None, "; ".join(label for label, _ in pairs))


def _at(dps, fn, *args):
    with mpmath.workdps(dps):
        return fn(*args)


def _matches(values, reference, rtol):
    """Each value within ``rtol`` (relative; absolute for a zero reference) of its printed reference."""
    with mpmath.workdps(60):
        return all(abs(mpmath.mpf(v) - mpmath.mpf(r)) <= rtol * (abs(mpmath.mpf(r)) or 1)
                   for v, r in zip(values, reference))


def _with_reference(outcome, ok, what):
    if outcome.status == "agree" and not ok:
        return NumericOutcome("disagree", None, {"text": f"reference values differ: {what}"}, outcome.detail)
    if outcome.status == "agree":
        outcome.detail += f"; {what}"
    return outcome


def _limit_q0(exprs, target, what):
    """Exact limit as \\(q=e^{-1/\\tau}\\to0^+\\): each entry is a quotient of polynomials in \\(q\\), whose limit is
    the ratio of the lowest-order coefficients (0 when the numerator's order is higher)."""
    def prove():
        got = []
        for e in exprs:
            p, d = (sp.Poly(t, q) for t in sp.fraction(sp.together(e)))
            (a, ca), (b, cb) = (min(t.terms(), key=lambda m: m[0]) for t in (p, d))
            if a < b:
                return SymbolicOutcome("unknown", detail="an entry diverges as q -> 0")
            got.append(ca / cb if a == b else sp.S(0))
        diff = [g - t for g, t in zip(got, target)]
        if all(x == 0 for x in diff):
            return SymbolicOutcome("proved", "quotient of polynomials in q = exp(-1/tau): ratio of lowest-order coefficients")
        return SymbolicOutcome("refuted", "rational limit",
                               {"text": f"{what}: limit is {tuple(got)}, claimed {tuple(target)} (exact)"})
    return prove


# ----------------------------------------------------------------------------- C1 GradTopK


@claim("C1.gradient", r"[\mathrm{GradTopK}_k(x)]_i:=\partial_{x_i}\log e_k(e^{x})=\frac{Z_{k,i}}{Z_k}",
       hypotheses=(r"y_i=e^{x_i}", r"n=4,\ k=1,2,3"))
def gradient():
    r"""Sum of the top \(k\) entries \(=\max\) over \(k\)-subsets of subset sums; smoothing that max by logsumexp over
    all \(\binom nk\) subsets gives \(\log e_k(e^x)\), whose gradient is \(y_i\,e_{k-1}(y_{\setminus i})/e_k(y)=Z_{k,i}/Z_k\):
    the probability that \(i\) belongs to the subset under the softmax over subsets."""
    ys = [sp.exp(t) for t in X4]
    lhs = [sp.diff(sp.log(e_sym(ys, k)), X4[i]) for k in (1, 2, 3) for i in range(4)]
    rhs = [z_ki(ys, k, i) / e_sym(ys, k) for k in (1, 2, 3) for i in range(4)]
    return Identity(sp.Matrix(lhs), sp.Matrix(rhs), {t: real(-2, 2) for t in X4}, points=2)


@claim("C1.sum-rule", r"\sum_iZ_{k,i}=k\,Z_k", hypotheses=(r"n=5,\ k=1..5",))
def sum_rule():
    r"""Euler's relation for the degree-\(k\) homogeneous \(e_k\): \(\sum_iy_i\partial_{y_i}e_k=k\,e_k\), so the
    GradTopK entries sum to \(k\)."""
    return Identity(sp.Matrix([sum(z_ki(Y5, k, i) for i in range(5)) for k in range(1, 6)]),
                    sp.Matrix([k * e_sym(Y5, k) for k in range(1, 6)]), {t: positive(2) for t in Y5}, points=2)


def _recurrence_values(digits, seed):
    out = _check_values([(f"enumeration vs recurrence, x={x}, k={k}",
                          lambda dps, x=x, k=k: (_at(dps, num.gradtopk_enumeration, x, k),
                                                 _at(dps, num.gradtopk_recurrence, x, k)))
                         for x, k in ((X_A, 2), (X_B, 2), (X_B, 3))], digits)
    ok = _matches(_at(30, num.gradtopk_recurrence, X_A, 2),
                  ("0.694413304626559", "0.305586695373441", "0.119202922022118", "0.880797077977882"), 1e-13) and \
        _matches(_at(30, num.gradtopk_recurrence, X_B, 2),
                 ("0.305065663498971", "0.0746550851854708", "0.77438049265192", "0.194098631004288", "0.651800127659351"),
                 1e-13)
    return _with_reference(out, ok, "card references for x=(3,2,1,4) and (0.5,-1,2,0,1.5), k=2 matched")


@claim("C1.recurrence", r"Z_{1,i}=y_i,\quad Z_{k,i}=y_i\,(Z_{k-1}-Z_{k-1,i})", hypotheses=(r"n=5,\ k=2..5",),
       cross_check=_recurrence_values)
def recurrence():
    r"""\(e_{k-1}(y)=e_{k-1}(y_{\setminus i})+y_i\,e_{k-2}(y_{\setminus i})\), multiplied by \(y_i\). Numeric cross-check:
    brute-force subset enumeration against the recurrence at 50 digits, and the card's reference values."""
    lhs = [z_ki(Y5, 1, i) for i in range(5)] + [z_ki(Y5, k, i) for k in range(2, 6) for i in range(5)]
    rhs = list(Y5) + [Y5[i] * (e_sym(Y5, k - 1) - z_ki(Y5, k - 1, i)) for k in range(2, 6) for i in range(5)]
    return Identity(sp.Matrix(lhs), sp.Matrix(rhs))


def _prove_bounds():
    for k in range(1, 5):
        for i in range(5):
            rest = e_sym(Y5[:i] + Y5[i + 1:], k)
            if sp.expand(e_sym(Y5, k) - z_ki(Y5, k, i) - rest) != 0:
                return SymbolicOutcome("failed", detail=f"Z_k - Z_(k,i) != e_k(y without i) at k={k}, i={i}")
            if not (z_ki(Y5, k, i).is_positive and rest.is_positive):
                return SymbolicOutcome("failed", detail="positivity not manifest")
    return SymbolicOutcome("proved", "Z_k - Z_(k,i) = e_k(y without y_i): polynomials with positive coefficients in y > 0")


def _bounds_values(digits, seed):
    vals = [v for x, k in ((X_A, 1), (X_A, 3), (X_B, 4)) for v in _at(digits + 10, num.gradtopk_recurrence, x, k)]
    ok = all(0 < v < 1 for v in vals)
    detail = f"{len(vals)} entries strictly inside (0,1) (min {mpmath.nstr(min(vals), 5)}, max {mpmath.nstr(max(vals), 5)})"
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C1.bounds", r"0<\frac{Z_{k,i}}{Z_k}<1\quad(1\le k<n)", prove=_prove_bounds, cross_check=_bounds_values,
       hypotheses=(r"y_i>0", r"n=5"))
def bounds():
    r"""\(Z_{k,i}>0\) and \(Z_k-Z_{k,i}=e_k(y_{\setminus i})>0\) for \(k<n\) (both are sums of products of positive
    \(y\)'s), so every GradTopK entry lies strictly between 0 and 1."""


@claim("C1.softmax", r"\mathrm{GradTopK}_1(x)=\mathrm{softmax}(x)")
def grad_softmax():
    r"""At \(k=1\): \(Z_{1,i}/Z_1=y_i/\sum_jy_j\) since \(e_0=1\)."""
    return Identity(sp.Matrix([z_ki(Y5, 1, i) / e_sym(Y5, 1) for i in range(5)]),
                    sp.Matrix([t / sum(Y5) for t in Y5]), {t: positive(2) for t in Y5}, points=2)


def _y_scaled(x):
    r"""\(e^{x_i/\tau}\) times \(e^{-\max x/\tau}\), written in \(q=e^{-1/\tau}\) (integer \(x\))."""
    top = max(x)
    return [q ** (top - t) for t in x]


def _gradtopk_q(x, k):
    ys = _y_scaled(x)
    return [z_ki(ys, k, i) / e_sym(ys, k) for i in range(len(x))]


def _limit_values(digits, seed):
    gaps = [max(abs(v - t) for v, t in zip(_at(digits + 10, num.gradtopk_recurrence, [x * s for x in X_A], 2), T2_A))
            for s in (1, 10, 50)]                  # tau = 1, 0.1, 0.02
    vals = _at(digits + 10, num.gradtopk_recurrence, [t * 50 for t in X_A], 2)
    ok = _matches(vals, ("1", "1.93e-22", "3.72e-44", "1"), 5e-3) and gaps[0] > gaps[1] > gaps[2]
    detail = (f"tau=0.02: GradTopK_2(x/tau) = {fmt(vals, 3)} (card: (1, 1.93e-22, 3.72e-44, 1)); max gap to T_2 at "
              f"tau = 1, 0.1, 0.02: {', '.join(mpmath.nstr(g, 3) for g in gaps)}")
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("C1.limit", r"\lim_{\tau\to0^+}\mathrm{GradTopK}_2(x/\tau)=\mathcal T_2(x)\quad(x=(3,2,1,4))",
       prove=_limit_q0(_gradtopk_q(X_A, 2), T2_A, "GradTopK_2"), cross_check=_limit_values)
def grad_limit():
    r"""With \(q=e^{-1/\tau}\) and \(y_i=q^{\max x-x_i}\) the entries are rational in \(q\); at \(q=0\) only the subset
    of the two largest entries survives: the limit is \(\mathcal T_2(x)=(1,0,0,1)\)."""
    return Identity(sp.Matrix([sp.Limit(e, q, 0, "+") for e in _gradtopk_q(X_A, 2)]), sp.Matrix(T2_A))


@control("C1.plus-recurrence", r"\sum_iy_i\,(Z_{k-1}+Z_{k-1,i})=k\,Z_k\quad(k=2)", symbolic=False)
def plus_recurrence():
    r"""The recurrence with '+' gives \(\sum_iy_i(Z_1+y_i)=Z_1^2+\sum y_i^2\ne2e_2\)."""
    return Identity(sum(Y5[i] * (e_sym(Y5, 1) + Y5[i]) for i in range(5)), 2 * e_sym(Y5, 2),
                    {t: positive(2) for t in Y5}, points=2)


@control("C1.binomial-normalisation", r"\sum_i\frac{Z_{k,i}}{\binom nk}=k\,\frac{Z_k}{1}\quad(n=5,k=2)", symbolic=False)
def binomial_normalisation():
    r"""Normalising by the number of subsets \(\binom nk\) instead of using Euler's \(k\): the sum is \(\frac{2}{10}Z_2\ne2Z_2\)."""
    return Identity(sum(z_ki(Y5, 2, i) for i in range(5)) / 10, 2 * e_sym(Y5, 2), {t: positive(2) for t in Y5}, points=2)


# ----------------------------------------------------------------------------- C2 weighted-softmax iteration


def _iteration_q(x):
    r"""\(p^{(2)}\) in exact arithmetic: \(p^{(1)}=\mathrm{softmax}\), \(p^{(2)}=p^{(1)}+\mathrm{softmax}(x;w=1-p^{(1)})\)."""
    ys = _y_scaled(x)
    s = sum(ys)
    p1 = [t / s for t in ys]
    w = [1 - p for p in p1]
    s2 = sum(wi * t for wi, t in zip(w, ys))
    return [p + wi * t / s2 for p, wi, t in zip(p1, w, ys)]


C2_CASES = ((X_A, (sp.Rational(1, 2), 0, 0, sp.Rational(3, 2))), ((0, -1, -2), (sp.Rational(3, 2), sp.Rational(1, 2), 0)))
C2_EXPRS = [e for x, _ in C2_CASES for e in _iteration_q(x)]


def _iteration_values(digits, seed):
    tau = "0.01"
    guard = num.guard_digits(X_A, 0.01)
    out = _check_values([("p2 at tau=0.01: naive with guard digits vs cancellation-free",
                          lambda dps: (_at(dps + guard, num.iteration_naive, X_A, tau),
                                       _at(dps, num.iteration_stable, X_A, tau)))], digits)
    vals = _at(digits + 10, num.iteration_stable, X_A, tau)
    # the card prints (0.5000000027, ..., 1.499999997): those two digits are the precision trap itself
    # (the naive formula at ~50 digits); the true entries differ from 1/2 and 3/2 by O(e^{-100})
    ok = _matches(vals, ("0.5", "1.86e-44", "6.92e-88", "1.5"), 5e-3) and abs(vals[0] - mpmath.mpf(1) / 2) < 1e-43
    return _with_reference(out, ok, f"p2 = {fmt(vals, 6)}: 1/2 and 3/2 up to O(e^-100), entries 1.86e-44, 6.92e-88 as on the card")


@claim("C2.limit", r"\lim_{\tau\to0^+}p^{(2)}(x/\tau)=\big(\tfrac32\text{ at the argmax},\ \tfrac12\text{ at the runner-up},\ 0\big)",
       hypotheses=(r"p^{(0)}=0,\ p^{(j)}=p^{(j-1)}+\mathrm{softmax}(x;w=1-p^{(j-1)})", r"x=(3,2,1,4),\ (0,-1,-2)"),
       prove=_limit_q0(C2_EXPRS, [t for _, lim in C2_CASES for t in lim], "p2"), cross_check=_iteration_values)
def iteration_limit():
    r"""After one step \(1-p_{\max}\asymp e^{(x_{(2)}-x_{(1)})/\tau}\), so the reweighted top term
    \(w_{\max}e^{x_{(1)}/\tau}\) ties exactly with the runner-up: each gets \(\frac12\) of the second softmax.
    Exact limit of rational functions of \(q=e^{-1/\tau}\); cross-checked at \(\tau=0.01\) (card reference)."""
    lhs = sp.Matrix([sp.Limit(e, q, 0, "+") for e in C2_EXPRS])
    return Identity(lhs, sp.Matrix([t for _, lim in C2_CASES for t in lim]))


def _naive_sympy(tau):
    r"""\(p^{(2)}(x/\tau)\) at \(x=(3,2,1,4)\) exactly as written (with \(1-p^{(1)}\) by subtraction), as a SymPy tree."""
    ys = [sp.exp(sp.Integer(t) / tau) for t in X_A]
    s = sp.Add(*ys)
    p1 = [t / s for t in ys]
    w = [1 - p for p in p1]
    s2 = sp.Add(*[wi * t for wi, t in zip(w, ys)])
    return sp.Matrix([p + wi * t / s2 for p, wi, t in zip(p1, w, ys)])


def _author_values(digits, seed):
    lo, hi = (_at(dps, num.iteration_author, X_A, "0.01") for dps in (digits + 10, digits + 30))
    with mpmath.workdps(digits + 30):
        stable = all(abs(a - b) <= mpmath.mpf(10) ** -digits * abs(b) for a, b in zip(lo, hi))
        gap = mpmath.fsum(abs(a - t) for a, t in zip(hi, T2_A))
    ok = stable and gap <= 1e-40 and _matches(hi, ("1", "3.7e-44", "1.4e-87", "1"), 5e-2)
    detail = f"tau=0.01: p2 = {fmt(hi, 3)} (stable at {digits + 10} and {digits + 30} digits), ||p2 - T_2||_1 = {mpmath.nstr(gap, 3)}"
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail,
                          {"gap": mpmath.nstr(gap, 3)})


@claim("C2.author-variant", r"x\ge0:\ p^{(2)}=p^{(1)}+\mathrm{softmax}\big((1-p^{(1)})\circ x/\tau\big)\approx\mathcal T_2(x)"
       r"\quad(\tau=0.01,\ \|p^{(2)}-\mathcal T_2\|_1\le10^{-40})", kind="approximation", symbolic=False,
       cross_check=_author_values)
def author_variant():
    r"""The author's variant (reweight inside the exponent) is numerically consistent with \(\mathcal T_2\):
    \((1,3.7\mathrm e{-44},1.4\mathrm e{-87},1)\) at \(\tau=0.01\). The post has no proof: status *checked* only."""


@control("C2.stackexchange", r"\lim_{\tau\to0^+}p^{(2)}(x/\tau)=\mathcal T_2(x)",
         prove=_limit_q0(_iteration_q(X_A), T2_A, "p2 at x=(3,2,1,4)"), numeric=False)
def stackexchange():
    r"""The StackExchange scheme the post quotes: refuted exactly, the limit is \((\tfrac12,0,0,\tfrac32)\)."""
    return Identity(sp.Matrix([sp.Limit(e, q, 0, "+") for e in _iteration_q(X_A)]), sp.Matrix(T2_A))


@control("C2.float64-trap", r"p^{(2)}(x/\tau)=\mathcal T_2(x)\quad(\tau=\tfrac1{50},\ \text{as float64 computes it})",
         symbolic=False)
def float64_trap():
    r"""In float64, \(1-p^{(1)}_{\max}=1-(1-e^{-50}\cdots)\) rounds to 0 and the iteration returns \(\mathcal T_2\) to
    \(10^{-16}\), so a float64 check accepts this. The engine's two-precision rule does not: at 60 digits the
    result is unstable, at 80 and 140 digits it is stable and equals \((\frac12+\dots,\ 2\cdot10^{-22},\dots,\frac32-\dots)\)."""
    return Identity(_naive_sympy(sp.Rational(1, 50)), sp.Matrix(T2_A))


def _trap_1000(digits, seed):
    tau = "0.001"
    guard = num.guard_digits(X_A, 1 / 1000)
    plain = _at(digits + 10, num.iteration_naive, X_A, tau)
    cmp = compare(lambda dps: (_at(dps + guard, num.iteration_naive, X_A, tau), [mpmath.mpf(t) for t in T2_A]), digits)
    trap = (f"at {digits + 10} digits the naive iteration returns {fmt(plain, 6)} (1 - p_max rounds to 0: "
            f"{guard} guard digits needed)")
    if cmp.status == "disagree":
        return NumericOutcome("disagree", cmp.digits, {"text": f"tau=1/1000, x=(3,2,1,4): with {guard} guard digits "
                                                       f"p2 = {fmt(cmp.lhs, 6)} vs T_2 = (1, 0, 0, 1); {trap}"}, trap)
    return NumericOutcome(cmp.status if cmp.status != "agree" else "agree", cmp.digits, None, trap)


@control("C2.50-digit-trap", r"p^{(2)}(x/\tau)=\mathcal T_2(x)\quad(\tau=10^{-3},\ \text{to 50 digits})",
         symbolic=False, cross_check=_trap_1000)
def trap_50_digits():
    r"""The card's trap: at \(\tau=10^{-3}\), \(1-p^{(1)}_{\max}\approx e^{-1000}\) is below every working precision
    the two-precision rule uses (60, 80, 140 digits), so evaluating the iteration as written agrees with
    \(\mathcal T_2\) at all of them. The check adds the \((x_{(1)}-x_{(2)})/(\tau\ln10)\approx435\) digits the
    cancellation destroys and refutes it: \(p^{(2)}=(\frac12,\dots,\frac32)\)."""


# ----------------------------------------------------------------------------- C3 ThreTopK, f = min(1, e^u)

S, d = sp.symbols("S d", positive=True)          # d = k - m
mm = sp.Symbol("m", real=True)
lam = sp.Symbol("lambda", real=True)


def _exp_threshold_values(digits, seed):
    pairs = [(f"closed form vs bisection, x={x}, k={k}",
              lambda dps, x=x, k=k: (_at(dps, lambda: num.threshold_exp_closed(x, k)[0]),
                                     _at(dps, num.threshold_bisection, x, k, num.f_exp)))
             for x, k in ((X_A, 2), (X_B, 2), (X_B, 1))]
    pairs.append(("k=1 output vs softmax, x=(0.5,-1,2,0,1.5)",
                  lambda dps: (_at(dps, lambda: [num.f_exp(mpmath.mpf(t) - num.threshold_bisection(X_B, 1, num.f_exp))
                                                 for t in X_B]), _at(dps, num.softmax, X_B))))
    out = _check_values(pairs, digits)
    lam_a, m_a = _at(40, num.threshold_exp_closed, X_A, 2)
    vals = _at(40, lambda: [num.f_exp(t - lam_a) for t in X_A])
    ok = m_a == 1 and _matches([lam_a], ["3.4076059644443803045"], 1e-19) and \
        _matches(vals, ("0.665240955774822", "0.244728471054798", "0.0900305731703805", "1"), 1e-13)
    return _with_reference(out, ok, "x=(3,2,1,4), k=2: m=1, lambda=3.4076059644443803045 and card outputs matched")


@claim("C3.exp-closed-form", r"m+e^{-\lambda}\sum_{i>m}e^{x_i}=k\ \text{ at }\ \lambda=\log\sum_{i>m}e^{x_i}-\log(k-m);"
       r"\quad k=1:\ f(x-\lambda\mathbf 1)=\mathrm{softmax}(x)",
       hypotheses=(r"f(u)=\min(1,e^u)", r"x\text{ sorted},\ x_m\ge\lambda\ge x_{m+1}"), cross_check=_exp_threshold_values)
def exp_closed_form():
    r"""ThreTopK \(=f(x-\lambda\mathbf 1)\) with \(\sum_if(x_i-\lambda)=k\): the \(m\) entries above \(\lambda\) saturate at 1 and
    the rest contribute \(e^{x_i-\lambda}\), so \(m+e^{-\lambda}S=k\) with \(S=\sum_{i>m}e^{x_i}\). At \(k=1\), \(m=0\) is
    admissible (\(\log\sum e^{x_j}\ge x_i\)) and the output is exactly softmax. Cross-checked against bisection."""
    lam_m = sp.log(S) - sp.log(d)
    lam0 = sp.log(sum(sp.exp(t) for t in X4))
    lhs = sp.Matrix([mm + sp.exp(-lam_m) * S] + [sp.exp(t - lam0) for t in X4])
    rhs = sp.Matrix([mm + d] + [sp.exp(t) / sum(sp.exp(u) for u in X4) for t in X4])
    return Identity(lhs, rhs, {S: positive(5), d: positive(3), mm: real(0, 3), **{t: real(-2, 2) for t in X4}}, points=2)


def _sigmoid_prime(u):
    s = 1 / (1 + mpmath.exp(-u))
    return s * (1 - s)


def _implicit_values(digits, seed):
    pairs = [(f"implicit gradient vs central differences of the root, x={x}, k=2",
              lambda dps, x=x: (_at(dps, num.threshold_gradient_formula, x, 2, _sigmoid_prime),
                                _at(dps, num.threshold_gradient_fd, x, 2))) for x in (X_B,)]
    out = _check_values(pairs, digits)
    lam_b = _at(40, num.threshold_bisection, X_B, 2, num.f_sigmoid)
    grad_a = _at(30, num.threshold_gradient_formula, X_A, 2, _sigmoid_prime)
    ok = _matches([lam_b], ["1.123821145065303293978856"], 1e-24) and \
        _matches(grad_a, ("0.305874803733317", "0.305874803733317", "0.194125196266683", "0.194125196266683"), 1e-13)
    return _with_reference(out, ok, "sigmoid: lambda(0.5,-1,2,0,1.5)=1.1238211450653032939789 and grad at (3,2,1,4) matched")


FN = sp.Function("f")
X3 = X4[:3]
kk = sp.Symbol("k", positive=True)


@claim("C3.implicit-gradient", r"\frac{\partial\lambda}{\partial x_j}=\frac{f'(x_j-\lambda)}{\sum_if'(x_i-\lambda)},\quad"
       r"\sum_j\frac{\partial\lambda}{\partial x_j}=1",
       hypotheses=(r"f\text{ differentiable, strictly increasing}", r"n=3"), cross_check=_implicit_values)
def implicit_gradient():
    r"""Implicit-function theorem on \(F(x,\lambda)=\sum_if(x_i-\lambda)-k\): \(\partial_{x_j}\lambda=-\partial_{x_j}F/\partial_\lambda F\);
    the gradient sums to 1 (shift equivariance \(\lambda(x+c\mathbf1)=\lambda(x)+c\)). For \(f=\sigma\) and \(x=(3,2,1,4)\),
    \(k=2\): \(\lambda=5/2\) exactly since \(\sigma(u)+\sigma(-u)=1\). Cross-checked by central differences of the
    bisection root at 50 digits."""
    F = sum(FN(t - lam) for t in X3) - kk
    grads = [-sp.diff(F, t) / sp.diff(F, lam) for t in X3]
    fprime = [sp.diff(FN(t - lam), t) for t in X3]
    sig = lambda u: 1 / (1 + sp.exp(-u))  # noqa: E731
    half_sum = sum(sig(sp.Integer(t) - sp.Rational(5, 2)) for t in X_A)
    lhs = sp.Matrix(grads + [sum(grads), half_sum])
    rhs = sp.Matrix([fp / sum(fprime) for fp in fprime] + [1, 2])
    return Identity(lhs, rhs)


@control("C3.no-saturation", r"\lambda=\log\sum_{\text{all }i}e^{x_i}-\log k\ \Rightarrow\ \sum_i\min(1,e^{x_i-\lambda})=k"
         r"\quad(x=(3,2,1,4),k=2)", symbolic=False)
def no_saturation():
    r"""Forgetting the saturated block: the clipped output sums to \(\approx1.71\ne2\)."""
    xs = [sp.Integer(t) for t in X_A]
    lam_wrong = sp.log(sum(sp.exp(t) for t in xs)) - sp.log(2)
    return Identity(sum(sp.Min(1, sp.exp(t - lam_wrong)) for t in xs), 2)


# ----------------------------------------------------------------------------- C4 Laplace-CDF ThreTopK

S1, S2 = sp.symbols("S_1 S_2", positive=True)


def _laplace_values(digits, seed):
    pairs = [(f"closed form vs bisection, x={x}, k={k}",
              lambda dps, x=x, k=k: (_at(dps, lambda: num.threshold_laplace_closed(x, k)[0]),
                                     _at(dps, num.threshold_bisection, x, k, num.f_laplace)))
             for x, k in ((X_A, 1), (X_A, 2), (X_B, 2))]
    out = _check_values(pairs, digits)
    lam_b, m_b = _at(40, num.threshold_laplace_closed, X_B, 2)
    lam_a, _ = _at(40, num.threshold_laplace_closed, X_A, 2)
    vals = _at(40, lambda: [num.f_laplace(t - lam_a) for t in X_A])
    ok = m_b == 2 and _matches([lam_b, lam_a], ["1.065026810578310795587262", "2.5"], 1e-24) and \
        _matches(vals, ("0.696734670143683", "0.303265329856317", "0.111565080074215", "0.888434919925785"), 1e-13)
    return _with_reference(out, ok, "k=2: lambda(3,2,1,4)=5/2, lambda(0.5,-1,2,0,1.5)=1.0650268105783107956 (m=2), outputs matched")


@claim("C4.laplace-closed-form", r"\lambda=\log S_2-\log\Big(\sqrt{(k-m)^2+S_1S_2}+(k-m)\Big)",
       hypotheses=(r"f(u)=1-\tfrac12e^{-u}\ (u\ge0),\ \tfrac12e^{u}\ (u<0)", r"S_1=\sum_{i\le m}e^{-x_i},\ S_2=\sum_{i>m}e^{x_i}",
                   r"x_m\ge\lambda\ge x_{m+1}"), cross_check=_laplace_values)
def laplace_closed_form():
    r"""With \(m\) entries on the upper branch, \(\sum_if(x_i-\lambda)=m-\tfrac12e^{\lambda}S_1+\tfrac12e^{-\lambda}S_2=k\), a
    quadratic in \(t=e^\lambda\): \(S_1t^2+2(k-m)t-S_2=0\), whose positive root is \(t=S_2/(\sqrt{(k-m)^2+S_1S_2}+(k-m))\).
    Cross-checked against bisection (card references, including \(m=2\) for \(x=(0.5,-1,2,0,1.5)\))."""
    t = S2 / (sp.sqrt(d**2 + S1 * S2) + d)
    return Identity(mm - t * S1 / 2 + S2 / (2 * t), mm + d, {S1: positive(5), S2: positive(5), d: positive(3), mm: real(0, 3)})


def _k1_post(digits, seed):
    def compute(dps):
        with mpmath.workdps(dps):
            lam_r = num.threshold_bisection(X_A, 1, num.f_laplace)
            return num.f_laplace(mpmath.mpf(4) - lam_r), num.softmax(X_A)[3]
    cmp = compare(compute, digits)
    if cmp.status == "disagree":
        return NumericOutcome("disagree", cmp.digits, {"text": f"x=(3,2,1,4), k=1: top entry {mpmath.nstr(cmp.lhs, 12)} "
                                                       f"(bisection) vs softmax {mpmath.nstr(cmp.rhs, 12)}"}, cmp.detail)
    return NumericOutcome(cmp.status, cmp.digits, None, cmp.detail)


@claim("E1.post-k1-softmax", r"k=1:\ \mathrm{ThreTopK}^{\mathrm{Laplace}}_1(x)=\mathrm{softmax}(x)\ \text{for every }x",
       symbolic=False, cross_check=_k1_post)
def post_k1():
    r"""The post's blanket sentence ("also reduces exactly to Softmax", present in the Chinese original)."""


U = sp.Symbol("u", positive=True)
Y1 = sp.Symbol("y_1", positive=True)   # e^{x_1}, the largest


def _k1_correct(digits, seed):
    x_small = ("0", "0.1", "-0.2", "0.3")

    def top_m1(dps):
        with mpmath.workdps(dps):
            u = mpmath.sqrt(mpmath.fsum(mpmath.exp(t - 4) for t in X_A[:3]))
            return num.f_laplace(mpmath.mpf(4) - num.threshold_bisection(X_A, 1, num.f_laplace)), 1 - u / 2

    pairs = [("x=(0,0.1,-0.2,0.3) (max softmax 0.316): output vs softmax",
              lambda dps: (_at(dps, lambda: [num.f_laplace(mpmath.mpf(t) - num.threshold_bisection(x_small, 1, num.f_laplace))
                                             for t in x_small]), _at(dps, num.softmax, x_small))),
             ("x=(3,2,1,4): top entry vs 1-u/2", top_m1)]
    out = _check_values(pairs, digits)
    top, _ = top_m1(30)
    ok = _matches([top], ["0.628179548446"], 1e-12) and top < _at(30, num.softmax, X_A)[3]
    return _with_reference(out, ok, "top entry 0.628179548446 < softmax 0.643914259888")


@claim("E1.corrected-k1", r"k=1:\ \text{output}=\mathrm{softmax}(x)\iff\max_i\mathrm{softmax}(x)_i\le\tfrac12;\ "
       r"\text{else top entry }1-\tfrac u2\text{ and }1-\tfrac u2-\tfrac1{1+u^2}=-\tfrac{u(1-u)^2}{2(1+u^2)}<0",
       hypotheses=(r"u=\big(\sum_{i\ne1}e^{x_i-x_1}\big)^{1/2}<1",), cross_check=_k1_correct)
def corrected_k1():
    r"""\(k=1,m=0\): \(e^\lambda=\tfrac12\sum e^{x_i}\) and the output \(\tfrac12e^{x_i-\lambda}\) is softmax, admissible iff
    \(\lambda\ge x_1\) iff \(e^{x_1}\le\tfrac12\sum e^{x_i}\). Otherwise \(m=1\): \(\lambda=\tfrac12(x_1+\log S_2)\), top entry
    \(1-\tfrac12e^{\lambda-x_1}=1-\tfrac u2\), below the softmax top \(1/(1+u^2)\) by \(u(1-u)^2/(2(1+u^2))>0\)."""
    lam0 = sp.log(sum(sp.exp(t) for t in X4) / 2)
    lam1 = (sp.log(Y1) + sp.log(S2)) / 2
    lhs = sp.Matrix([sp.exp(t - lam0) / 2 for t in X4] +
                    [1 - sp.exp(lam1 - sp.log(Y1)) / 2, 1 - U / 2 - 1 / (1 + U**2)])
    rhs = sp.Matrix([sp.exp(t) / sum(sp.exp(v) for v in X4) for t in X4] +
                    [1 - sp.sqrt(S2 / Y1) / 2, -U * (1 - U) ** 2 / (2 * (1 + U**2))])
    return Identity(lhs, rhs, {U: positive(1), Y1: positive(5), S2: positive(5), **{t: real(-2, 2) for t in X4}}, points=2)


DERIVATION = Derivation(
    slug="topk",
    title="Softmax sequel: smooth approximations of Top-K",
    source="https://kexue.fm/archives/10373",
    date="2024-09-19",
    summary="GradTopK as subset-softmax marginals, the weighted-softmax iteration's wrong limit, ThreTopK closed forms.",
    claims=(gradient, sum_rule, recurrence, bounds, grad_softmax, grad_limit, iteration_limit, author_variant,
            exp_closed_form, implicit_gradient, laplace_closed_form),
    controls=(plus_recurrence, binomial_normalisation, stackexchange, float64_trap, trap_50_digits, no_saturation),
    errata=(Erratum("E1.laplace-k1", post_says=post_k1, correct=corrected_k1,
                    note="a 2025 author comment concedes non-reduction only for f = sigmoid"),),
)
