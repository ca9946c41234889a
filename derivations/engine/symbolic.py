"""Symbolic proof that a difference is identically zero: small named strategies, one driver.

Each strategy is a rewrite that SymPy applies to ``lhs - rhs``; the difference is *proved*
zero only when a strategy returns SymPy's exact ``0`` (for matrices: every entry).  The
driver tries cheap targeted rewrites first and ``simplify`` last.

Budget: each strategy runs under its own :func:`~derivations.engine.budget.deadline`, a
slice of the phase's time (:data:`SHARES`), and ``simplify`` is guaranteed
:data:`SIMPLIFY_RESERVE` of it, so no earlier strategy can starve it; a strategy that fails
(an exception, a ``RecursionError``, its deadline) is skipped and the next one runs.  Once a
strategy has evaluated every integral, sum, limit and derivative, the strategies after it
work on its result (``doit`` once, then ``hyperexpand`` or ``simplify`` on what it left).

A strategy that reduces the difference to a nonzero *number* refutes: a rational or
algebraic one by exact arithmetic, a transcendental one (``2*EulerGamma``, ``log(2) - 7/10``)
by a ball enclosure that excludes 0 (:func:`certified_nonzero`).

``Expr.equals`` is deliberately not used: it returns ``None`` (and occasionally ``False``)
on true identities.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derivations.engine.budget import CLOCK, DeadlineExpired, deadline, remaining


@dataclass
class SymbolicOutcome:
    """``status``: ``proved``, ``failed`` (no strategy reached 0), ``refuted`` (the difference
    is a nonzero constant, with ``counterexample``; ``"nonzero": "ball"`` in it says that a
    ball enclosure, not exact arithmetic, decided that the constant is not 0), ``unknown``
    (timeout) or ``skipped``.
    ``value`` is that exact nonzero difference when a strategy found it."""

    status: str
    method: str = ""
    counterexample: dict | None = None
    detail: str = ""
    value: object = None


def _entries(d):
    return list(d) if isinstance(d, sp.MatrixBase) else [d]


def identical(d):
    """Already zero as built (exact arithmetic on numbers, rationals, explicit matrices)."""
    return d


def expand_(d):
    """Polynomial expansion: \\(\\mathrm{expand}(d)\\)."""
    return sp.expand(d)


def cancel_(d):
    """Rational-function normal form: \\(\\mathrm{cancel}(\\mathrm{together}(d))\\)."""
    return sp.cancel(sp.together(d))


def radicals(d):
    """Surds: rationalise denominators and denest square roots, then expand."""
    return sp.expand(sp.radsimp(sp.sqrtdenest(d)))


def trig_expand(d):
    """Angle-addition expansion: \\(\\mathrm{expand}(\\mathrm{expand\\_trig}(d))\\)."""
    return sp.expand(sp.expand_trig(sp.expand(d)))


def exp_rewrite(d):
    """Trigonometric and hyperbolic functions as exponentials, then a rational normal form."""
    return sp.cancel(sp.expand(sp.powsimp(sp.expand(d.rewrite(sp.exp)))))


def do_it(d):
    """Evaluate unevaluated integrals, sums, limits and derivatives, settle the ``Piecewise``
    conditions they leave under the symbols' assumptions, then normalise."""
    e = resolve_piecewise(d.doit())
    return sp.cancel(sp.expand(e)) if not isinstance(e, sp.MatrixBase) else e.applyfunc(
        lambda x: sp.cancel(sp.expand(x)))


def simplify_(d):
    """General-purpose ``simplify`` (last resort: slow, may not terminate in time)."""
    return sp.simplify(d)


def trig_simplify(d):
    """Pythagorean and double-angle reductions: \\(\\mathrm{trigsimp}(d)\\)."""
    return sp.trigsimp(d)


def sign_abs(d):
    """Signs and extrema as absolute values, \\(\\mathrm{sign}\\,x=x/|x|\\), \\(\\max(x,y)=(x+y+|x-y|)/2\\), then ``cancel``."""
    return sp.cancel(sp.expand(d.rewrite(sp.Abs)))


def erf_form(d):
    """Gaussian integrals through one function, \\(\\mathrm{erfc}\\,x=1-\\mathrm{erf}\\,x\\), then expansion."""
    return sp.expand(sp.expand(d).rewrite(sp.erf))


_SPECIAL = (sp.gamma, sp.loggamma, sp.polygamma, sp.beta, sp.zeta, sp.polylog, sp.lerchphi, sp.harmonic,
            sp.factorial, sp.binomial, sp.uppergamma, sp.lowergamma, sp.besselj, sp.bessely, sp.besseli,
            sp.besselk, sp.erf, sp.erfc, sp.erfi, sp.dirichlet_eta, sp.RisingFactorial, sp.FallingFactorial)


def special_expand(d):
    """Special functions expanded by their defining recurrences and closed forms
    (\\(\\Gamma(x+2)=x(x+1)\\Gamma(x)\\), \\(\\psi(x+1)=\\psi(x)+1/x\\), \\(B(a,b)\\) as
    Gammas, Lerch \\(\\Phi(1,s,a)=\\zeta(s,a)\\)): ``expand_func``, then a rational normal form."""
    if not d.has(*_SPECIAL):
        return d
    return sp.cancel(sp.expand(sp.expand_func(d)))


def gamma_simplify(d):
    """Products and ratios of Gammas, factorials and binomials reduced by the reflection,
    duplication and multiplication formulas (\\(\\Gamma(\\tfrac13)\\Gamma(\\tfrac23)=2\\pi/\\sqrt3\\)):
    ``combsimp`` (factorials and binomials as Gammas), ``gammasimp``, then powers denested."""
    if not d.has(sp.gamma, sp.factorial, sp.binomial, sp.beta, sp.RisingFactorial, sp.FallingFactorial):
        return d
    if d.has(sp.factorial, sp.binomial, sp.RisingFactorial, sp.FallingFactorial):
        d = sp.combsimp(d)
    # term by term first: on a sum, gammasimp leaves Gammas at numbers (the reflection above) alone
    d = sp.Add(*(sp.gammasimp(t) for t in sp.Add.make_args(sp.expand(d))))
    return sp.expand(sp.powdenest(sp.gammasimp(d)))


def zeta_rewrite(d):
    """Polygammas and harmonic numbers as Hurwitz zeta values and digammas
    (\\(\\psi^{(m)}(a)=(-1)^{m+1}m!\\,\\zeta(m+1,a)\\), \\(H_n=\\psi(n+1)+\\gamma\\)), Lerch
    \\(\\Phi(1,s,a)=\\zeta(s,a)\\) expanded, then expanded."""
    if not d.has(sp.polygamma, sp.harmonic, sp.lerchphi, sp.zeta, sp.dirichlet_eta):
        return d
    return sp.expand(sp.expand_func(d.rewrite(sp.zeta)))


def polygamma_reflection(d):
    """Polygammas at \\(1-z\\) reflected to \\(z\\) (DLMF 5.15.6):
    \\(\\psi^{(m)}(1-z)=(-1)^m\\psi^{(m)}(z)+(-1)^m\\pi\\,\\frac{d^m}{dz^m}\\cot\\pi z\\), then ``trigsimp``."""
    if not d.has(sp.polygamma):
        return d
    t = sp.Dummy("t")

    def reflect(p):
        m, arg = p.args
        slopes = [c for term, c in arg.as_coefficients_dict().items() if term.free_symbols]
        if not (m.is_Integer and m >= 0 and slopes and all(c.is_negative for c in slopes)):
            return p
        z = sp.expand(1 - arg)
        return (-1) ** m * (sp.polygamma(m, z) + sp.pi * sp.diff(sp.cot(sp.pi * t), t, int(m)).subs(t, z))

    return sp.expand(sp.trigsimp(sp.expand(d.replace(lambda e: isinstance(e, sp.polygamma), reflect))))


def hurwitz_shift(d):
    """Hurwitz zeta values brought to a common second argument, for \\(a>0\\) (DLMF 25.11.3,
    25.11.11): \\(\\zeta(s,a+n)=\\zeta(s,a)-\\sum_{j<n}(a+j)^{-s}\\) and
    \\(\\zeta(s,\\tfrac12)=(2^s-1)\\zeta(s)\\), then expanded."""
    if not d.has(sp.zeta):
        return d

    def shift(zeta):
        if len(zeta.args) != 2:
            return zeta
        s, arg = zeta.args
        if arg == sp.S.Half:
            return (2 ** s - 1) * sp.zeta(s)
        n, a = arg.as_coeff_Add()
        if not (n.is_Integer and n > 0 and a.is_positive):
            return zeta
        return sp.zeta(s, a) - sp.Add(*((a + j) ** (-s) for j in range(int(n))))

    return sp.expand(d.replace(lambda e: isinstance(e, sp.zeta), shift))


def hyper_expand(d):
    """Hypergeometric and Meijer-G functions (what ``integrate`` and ``summation`` leave)
    expanded to closed forms: ``hyperexpand``, then ``gammasimp`` and a rational normal form."""
    if not d.has(sp.hyper, sp.meijerg):
        return d
    return sp.cancel(sp.expand(sp.gammasimp(sp.hyperexpand(d))))


def bessel_simplify(d):
    """Bessel functions reduced by their recurrences and half-integer closed forms: ``besselsimp``."""
    if not d.has(sp.besselj, sp.bessely, sp.besseli, sp.besselk, sp.jn, sp.yn):
        return d
    return sp.expand(sp.besselsimp(d))


def log_rewrite(d):
    """Inverse trigonometric and hyperbolic functions as logarithms
    (\\(\\operatorname{asinh} x = \\log(x+\\sqrt{x^2+1})\\)), then expanded."""
    if not d.has(sp.asin, sp.acos, sp.atan, sp.acot, sp.asinh, sp.acosh, sp.atanh, sp.acoth):
        return d
    return sp.expand(d.rewrite(sp.log))


def algebraic_number(d):
    """A constant built from radicals and trigonometric values at rational multiples of
    \\(\\pi\\) is 0 exactly when its minimal polynomial is \\(t\\)
    (\\(\\cos\\frac\\pi7\\cos\\frac{2\\pi}7\\cos\\frac{3\\pi}7 = \\frac18\\)); other input is returned as is."""
    if not (isinstance(d, sp.Expr) and d.is_number) or d.is_Rational or d.has(sp.I, sp.Float):
        return d
    trig = {f: sp.Dummy() for f in d.atoms(sp.sin, sp.cos, sp.tan) if (f.args[0] / sp.pi).is_Rational}
    if d.xreplace(trig).atoms(sp.Function, sp.NumberSymbol):
        return d  # not visibly algebraic: minimal_polynomial would only fail, slowly
    t = sp.Dummy("t")
    return sp.S.Zero if sp.minimal_polynomial(d, t) == t else d


def _tangent(d):
    """\\(\\tan d\\) by angle addition and multiple angles, \\(\\tan(a+b)\\) and \\(\\tan 4a\\) as
    rational functions of \\(\\tan a\\), \\(\\tan b\\): ``expand_trig`` repeated until nothing
    changes (one pass splits the sum but leaves the \\(\\tan 4\\arctan\\frac15\\) it creates)."""
    t = sp.tan(d)
    for _ in range(len(d.atoms(sp.atan, sp.acot)) + 2):
        expanded = sp.expand_trig(t)
        if expanded == t:
            break
        t = expanded
    return t


def arctangent_sum(d):
    """A constant sum of arctangents and rational multiples of \\(\\pi\\) is 0 when its tangent is
    exactly 0 (angle addition: it is \\(k\\pi\\)) and a ball puts it within \\(\\pi\\) of 0
    (so \\(k=0\\)): Machin-like formulas such as \\(\\arctan\\frac12+\\arctan\\frac13=\\frac\\pi4\\)."""
    if not (isinstance(d, sp.Expr) and d.is_number and d.has(sp.atan, sp.acot)) or d.has(sp.I, sp.Float):
        return d
    rest = d.xreplace({f: sp.Dummy() for f in d.atoms(sp.atan, sp.acot) if f.args[0].is_Rational})
    if rest.atoms(sp.Function) or rest.atoms(sp.NumberSymbol) - {sp.pi}:
        return d
    if sp.cancel(_tangent(d)) != 0:
        return d
    from numeric.certify import AVAILABLE, NotCertifiable, ball
    if not AVAILABLE:
        return d
    # the balls know arctangents only: arccot r = arctan(1/r) for real r != 0 (arccot 0 = pi/2)
    as_atan = d.replace(lambda e: isinstance(e, sp.acot),
                        lambda e: sp.atan(1 / e.args[0]) if e.args[0] != 0 else sp.pi / 2)
    try:
        b = ball(sp.Abs(as_atan) - sp.pi, digits=15)
    except NotCertifiable:
        return d
    return sp.S.Zero if b < 0 else d


def infinite_parts(d):
    """A difference \\(A - \\infty\\) (the rhs an infinity) is 0 when \\(A\\) evaluates to that
    same infinity (\\(\\lim_{x\\to0^+}1/x = \\infty\\)), where ``doit`` alone gives \\(\\infty-\\infty\\)."""
    if not isinstance(d, sp.Add):
        return d
    inf = [a for a in d.args if a in (sp.oo, sp.S.NegativeInfinity)]
    if len(inf) != 1:
        return d
    rest = sp.Add(*(a for a in d.args if a is not inf[0])).doit()  # d - inf[0] would be oo - oo = nan
    return sp.S.Zero if rest == -inf[0] else d


def lambertw_rewrite(d):
    """Lambert W through its defining equation \\(W(z)e^{W(z)}=z\\): \\(e^{W(z)}=z/W(z)\\) and,
    for \\(z>0\\), \\(\\log W(z)=\\log z-W(z)\\); \\(W(a e^a)=a\\) for real \\(a\\ge-1\\)."""
    if not d.has(sp.LambertW):
        return d

    def principal(w):
        if len(w.args) > 1 and w.args[1] != 0:
            return None
        return w.args[0]

    def exp_of_w(e):
        arg = e.args[0]
        ws = [a for a in sp.Mul.make_args(arg) if isinstance(a, sp.LambertW)]
        if len(ws) == 1 and principal(ws[0]) is not None:
            k = arg / ws[0]
            if k.is_integer:
                return (principal(ws[0]) / ws[0]) ** k
        return e

    def log_of_w(e):
        w = e.args[0]
        z = principal(w) if isinstance(w, sp.LambertW) else None
        return sp.log(z) - w if z is not None and z.is_positive else e

    def w_of_a_exp_a(w):
        z = principal(w)
        if z is None:
            return w
        for f in sp.Mul.make_args(z):
            if isinstance(f, sp.exp):
                a = f.args[0]
                if sp.expand(z - a * f) == 0 and a.is_extended_real and (a + 1).is_nonnegative:
                    return a
        return w

    e = d.replace(lambda x: isinstance(x, sp.exp) and x.has(sp.LambertW), exp_of_w)
    e = e.replace(lambda x: isinstance(x, sp.log) and isinstance(x.args[0], sp.LambertW), log_of_w)
    e = e.replace(lambda x: isinstance(x, sp.LambertW), w_of_a_exp_a)
    return sp.cancel(sp.expand(e))


def limit_inside(d):
    """Limits whose argument is simplified first (Gammas, factorials and binomials combined),
    then evaluated: \\(\\lim_{n\\to\\infty}\\Gamma(n+2)/(n^2\\Gamma(n)) = 1\\) once it is \\((n+1)/n\\)
    (``doit`` alone runs for minutes on the Gammas)."""
    if not d.has(sp.Limit):
        return d

    def settle(lim):
        f, x, x0, direction = lim.args
        return sp.Limit(sp.simplify(sp.combsimp(f)), x, x0, str(direction)).doit()

    return sp.cancel(sp.expand(d.replace(lambda e: isinstance(e, sp.Limit), settle)))


def _unit_factor(f, ranges) -> bool:
    """``f`` lies in \\([0, 1]\\) on the box ``ranges`` (integration variable -> (lo, hi)) and
    is below 1 off a set of measure zero: a power \\(v^p\\), \\(p > 0\\), of a variable running
    over part of \\([0, 1]\\), or \\(e^{-cv}\\), \\(c > 0\\), of one running over part of \\([0, \\infty)\\)."""
    base, ex = (sp.E, f.args[0]) if isinstance(f, sp.exp) else f.as_base_exp()
    if base in ranges and ex.is_positive:
        lo, hi = ranges[base]
        return bool(lo.is_nonnegative and (hi - 1).is_nonpositive)
    if base is sp.E:
        c, v = ex.as_coeff_mul()
        return len(v) == 1 and v[0] in ranges and c.is_negative and ranges[v[0]][0].is_nonnegative
    return False


def _geometric_terms(integral):
    r"""\(\int f/(1-g) = \sum_{n\ge0}\int f g^n\) evaluated, or ``integral`` itself: for
    \(0 \le g < 1\) almost everywhere on the box (a product of :func:`_unit_factor` s and
    constants in \((0, 1]\)) and \(f\) of one sign there, every term has that sign and the
    exchange of sum and integral is Tonelli's theorem (an infinite side stays infinite)."""
    limits = integral.limits
    if any(len(lim) != 3 for lim in limits) or not any(
            p.exp.is_negative and p.base.is_Add for p in integral.function.atoms(sp.Pow)):
        return integral  # indefinite, or no sum in a denominator: no 1 - g
    ranges = {v: (lo, hi) for v, lo, hi in limits}
    if any(e.has(*ranges) for _, lo, hi in limits for e in (lo, hi)) or \
            not all(lo.is_nonnegative for lo, _ in ranges.values()):
        return integral  # not a box in the first orthant
    num, den = sp.fraction(sp.together(integral.function))
    inside = {v: sp.Dummy(positive=True) for v in ranges}
    for sign in (1, -1):  # num/den = sign num/(1 - g), and = -sign num g^-1/(1 - g^-1)
        g = sp.expand(1 - sign * den)
        for ratio, f in ((g, sign * num), (sp.powdenest(1 / g), -sign * num / g)):
            factors = sp.Mul.make_args(ratio)
            moving = [x for x in factors if x.has(*ranges)]
            if not moving or not all(_unit_factor(x, ranges) for x in moving) or not all(
                    c.is_positive and (c - 1).is_nonpositive for c in factors if not c.has(*ranges)):
                continue
            inner = sp.powsimp(f).xreplace(inside)
            if not (inner.is_nonnegative or inner.is_nonpositive):
                continue
            m = sp.Dummy("m", integer=True, positive=True)  # the term f g^(m-1)
            power = sp.powsimp(f * sp.Mul(*(sp.powdenest(x ** (m - 1)) for x in factors)))
            term = resolve_piecewise(sp.Integral(power, *limits).doit())
            c, rest = sp.powsimp(term).as_independent(m, as_Add=False)  # Sum.doit keeps a factor in
            total = sp.Sum(rest, (m, 1, sp.oo)).doit()
            return integral if isinstance(total, sp.Sum) else c * total
    return integral


def geometric_integrand(d):
    """Integrals of \\(f/(1-g)\\), \\(0 \\le g < 1\\) on the integration box, by the geometric
    series integrated term by term and summed (:func:`_geometric_terms`): Beukers'
    \\(\\int_0^1\\int_0^1 \\frac{dx\\,dy}{1-xy} = \\sum_{n\\ge0}\\frac1{(n+1)^2} = \\frac{\\pi^2}6\\),
    where ``doit`` on the whole integral runs for many seconds.  A difference with no such
    integral comes back as it is: ``cancel`` on unevaluated integrals can take the whole budget
    that ``do_it``, next, needs."""
    if not d.has(sp.Integral):
        return d
    out = d.replace(lambda e: isinstance(e, sp.Integral), _geometric_terms)
    return d if out == d else sp.cancel(sp.expand(out))


class ZetaRegular(sp.Function):
    r"""\(Z(s) = \zeta(s) - \frac1{s-1}\), an entire function, with its Taylor series at the pole
    of \(\zeta\) (DLMF 25.2.4): \(Z(s) = \sum_{k\ge0} (-1)^k\gamma_k (s-1)^k/k!\), the
    \(\gamma_k\) Stieltjes constants (\(\gamma_0 = \gamma\)).  SymPy's limits expand it through
    :meth:`_eval_nseries`; at every other number it is \(\zeta(s) - 1/(s-1)\)."""

    @classmethod
    def eval(cls, s):
        if s == 1:
            return sp.EulerGamma
        if s.is_number and not s.has(sp.Float):
            return sp.zeta(s) - 1 / (s - 1)
        return None

    def _eval_as_leading_term(self, x, logx, cdir):
        if self.args[0].subs(x, 0) == 1:
            return sp.EulerGamma
        return self

    def _eval_nseries(self, x, n, logx, cdir=0):
        arg = self.args[0]
        if arg.subs(x, 0) != 1:
            return super()._eval_nseries(x, n, logx, cdir)
        t = (arg - 1).nseries(x, n=n, logx=logx)
        taylor = sp.Add(*((-1) ** k * sp.stieltjes(k) / sp.factorial(k) * t ** k for k in range(n)))
        return sp.expand(taylor) + sp.Order(x ** n, x)


def zeta_pole(d):
    """Limits through the pole of \\(\\zeta\\) at 1: inside a limit,
    \\(\\zeta(u) = \\frac1{u-1} + Z(u)\\) with \\(Z\\) entire and its Taylor series known
    (:class:`ZetaRegular`), so that \\(\\lim_{s\\to1}\\zeta(s) - \\frac1{s-1} = \\gamma\\) and
    \\(\\lim_{s\\to1}(s-1)\\zeta(s) = 1\\) (SymPy alone cannot expand \\(\\zeta\\) at 1)."""
    if not (d.has(sp.Limit) and d.has(sp.zeta)):
        return d

    def split(z):
        return 1 / (z.args[0] - 1) + ZetaRegular(z.args[0]) if len(z.args) == 1 else z

    def settle(lim):
        f, x, x0, direction = lim.args
        if not f.has(sp.zeta):
            return lim
        out = sp.Limit(f.replace(lambda e: isinstance(e, sp.zeta), split), x, x0, str(direction)).doit()
        return out.replace(lambda e: isinstance(e, ZetaRegular), lambda e: sp.zeta(e.args[0]) - 1 / (e.args[0] - 1))

    return sp.cancel(sp.expand(d.replace(lambda e: isinstance(e, sp.Limit), settle)))


STRATEGIES = (identical, expand_, geometric_integrand, zeta_pole, cancel_, radicals, special_expand, trig_expand, log_rewrite, zeta_rewrite,
              polygamma_reflection, hurwitz_shift, lambertw_rewrite, infinite_parts, algebraic_number,
              arctangent_sum, trig_simplify, exp_rewrite, gamma_simplify, bessel_simplify, do_it, sign_abs,
              erf_form, hyper_expand, limit_inside, simplify_)
CHEAP = (identical, expand_, cancel_)  # exact rewrites that cost little on any expression
BEFORE_DOIT = (expand_, geometric_integrand)  # before do_it even on integrals: do_it may take all the time

# The largest share of the symbolic budget each strategy may take (time it does not use carries
# over); strategies not listed (a post's own) get DEFAULT_SHARE.  simplify_ comes last and gets
# everything left, never less than SIMPLIFY_RESERVE of the budget.
SHARES = {identical: 0.05, expand_: 0.1, geometric_integrand: 0.25, zeta_pole: 0.1, cancel_: 0.1, radicals: 0.1, special_expand: 0.1, trig_expand: 0.1,
          log_rewrite: 0.05, zeta_rewrite: 0.05, polygamma_reflection: 0.05, hurwitz_shift: 0.05,
          lambertw_rewrite: 0.05, infinite_parts: 0.1, algebraic_number: 0.1, arctangent_sum: 0.05,
          trig_simplify: 0.12, exp_rewrite: 0.12, gamma_simplify: 0.1, bessel_simplify: 0.08, do_it: 0.5,
          sign_abs: 0.05, erf_form: 0.05, hyper_expand: 0.1, limit_inside: 0.15, simplify_: 1.0}
DEFAULT_SHARE = 0.25
STALLED_SHARE = 0.02
SIMPLIFY_RESERVE = 0.35
MIN_SLICE = 0.05  # seconds: a slice shorter than this is not worth starting
MIN_GRANT = 1.0   # seconds a strategy may take whatever its share (short budgets, loaded machines)


# -- Piecewise conditions under the assumptions ---------------------------------------------------

def _interval(sym, domains):
    """The real interval a symbol is known to lie in (its sampling domain, else its sign), or None."""
    dom = (domains or {}).get(sym)
    if dom is not None and getattr(dom, "kind", None) in ("real", "integer"):
        lo, hi = sp.Rational(str(dom.lo)), sp.Rational(str(dom.hi))
        return sp.Interval(lo, hi, left_open=bool(getattr(dom, "open_lo", False)))
    if sym.is_positive:
        return sp.Interval.open(0, sp.oo)
    if sym.is_nonnegative:
        return sp.Interval(0, sp.oo)
    if sym.is_negative:
        return sp.Interval.open(-sp.oo, 0)
    if sym.is_nonpositive:
        return sp.Interval(-sp.oo, 0)
    if sym.is_extended_real:
        return sp.Reals
    return None


def condition_holds(cond, domains=None):
    """``True``/``False`` when ``cond`` is decided for every value the symbols may take (their
    assumptions and sampling ``domains``), else ``None``.  A condition on one real symbol is
    decided by set containment (\\([1.5, 5] \\subset \\{s > 1\\}\\)); others by ``refine``."""
    if cond in (sp.true, sp.false):
        return bool(cond)
    if isinstance(cond, sp.And):
        parts = [condition_holds(c, domains) for c in cond.args]
        return False if False in parts else (True if all(p is True for p in parts) else None)
    if isinstance(cond, sp.Or):
        parts = [condition_holds(c, domains) for c in cond.args]
        return True if True in parts else (False if all(p is False for p in parts) else None)
    if isinstance(cond, sp.Not):
        inner = condition_holds(cond.args[0], domains)
        return None if inner is None else not inner
    refined = sp.refine(cond)
    if refined in (sp.true, sp.false):
        return bool(refined)
    free = cond.free_symbols
    if isinstance(cond, sp.core.relational.Relational) and len(free) == 1:
        sym = next(iter(free))
        where = _interval(sym, domains)
        if where is not None:
            try:
                solved = cond.as_set()
            except (NotImplementedError, TypeError, ValueError):
                return None
            if where.is_subset(solved):
                return True
            if where.intersect(solved) == sp.S.EmptySet:
                return False
    return None


def resolve_piecewise(e, domains=None):
    """Each ``Piecewise`` replaced by its first branch whose condition holds under the
    assumptions (branches whose condition fails dropped); undecided ones are kept."""
    if isinstance(e, sp.MatrixBase) or not e.has(sp.Piecewise):
        return e

    def settle(pw):
        kept = []
        for expr, cond in pw.args:
            holds = condition_holds(cond, domains)
            if holds is True and not kept:
                return expr
            if holds is not False:
                kept.append((expr, cond))
            if holds is True:
                break
        return sp.Piecewise(*kept) if kept else pw

    return e.replace(lambda x: isinstance(x, sp.Piecewise), settle)


def _is_zero(e) -> bool:
    return all(x == 0 for x in _entries(e))


def exactly_nonzero(x) -> bool:
    """True only when ``x`` is provably a nonzero number by exact arithmetic: a nonzero
    rational, or an algebraic number (radicals of rationals) whose minimal polynomial has a
    nonzero constant term.  SymPy's ``is_zero`` is not used: on transcendental numbers it
    decides by floating-point evaluation."""
    if not isinstance(x, sp.Expr) or not x.is_number:
        return False
    if x.is_Rational:
        return x != 0
    if x.has(sp.I) or not all(a.is_Rational or a.is_Pow for a in sp.preorder_traversal(x)
                               if a.is_Atom or a.is_Pow) or \
            not all(isinstance(a, (sp.Add, sp.Mul, sp.Pow, sp.Rational)) for a in sp.preorder_traversal(x)):
        return False
    try:
        poly = sp.minimal_polynomial(x, polys=True)
    except (NotImplementedError, ValueError, sp.PolynomialError, sp.polys.polyerrors.NotAlgebraic):
        return False
    return poly.TC() != 0


def certified_nonzero(x) -> bool:
    """True only when ``x`` is a number (no floats, no unevaluated integrals, sums or limits)
    whose ball enclosure excludes 0: Arb's balls contain the exact value, so this decides
    ``2*EulerGamma``, ``1 + EulerGamma - pi**2/6`` or ``log(2) - 7/10`` rigorously.  Without
    python-flint (:data:`numeric.certify.AVAILABLE`) it is False: the number is left to the
    numeric phase, and a zero is never called nonzero."""
    if not isinstance(x, sp.Expr) or not x.is_number or x.has(sp.Float, *_UNEVALUATED):
        return False
    from numeric.certify import AVAILABLE, NotCertifiable, ball
    if not AVAILABLE:
        return False
    try:
        b = ball(x, digits=15)
    except (NotCertifiable, ArithmeticError, ValueError, TypeError):
        return False
    return bool(b > 0 or b < 0)


def _nonzero_constant(e):
    r"""An entry that is provably a nonzero number (the difference is not zero), or None:
    nonzero by exact arithmetic (:func:`exactly_nonzero`) or by a ball that excludes 0
    (:func:`certified_nonzero`).

    An entry that a strategy reduced to \(\pm\infty\) also refutes: one side diverges and
    the other does not (``doit`` sums \(\sum 1/n\) to ``oo``; a divergent side has no numeric
    value, so the numeric phase alone could only say unknown).  Both sides infinite give
    ``nan``, not ``oo``."""
    for idx, x in enumerate(_entries(e)):
        if exactly_nonzero(x) or x in (sp.oo, sp.S.NegativeInfinity) or certified_nonzero(x):
            return idx, x
    return None


_UNEVALUATED = (sp.Integral, sp.Sum, sp.Product, sp.Limit, sp.Derivative)


def _ordered(diff, strategies):
    """``do_it`` right after the cheap rewrites (and :data:`BEFORE_DOIT`) when ``diff`` holds
    unevaluated integrals, sums, products, limits or derivatives: on those, ``cancel`` and ``exp_rewrite`` can spend
    the whole budget (28 s for Dirichlet's \\(\\int_0^\\infty \\sin x/x\\,dx - \\pi/2\\))
    that ``doit`` needs a fraction of a second to reduce to 0."""
    if do_it not in strategies or not diff.has(*_UNEVALUATED):
        return tuple(strategies)
    rest = [s for s in strategies if s is not do_it]
    at = max((rest.index(s) + 1 for s in BEFORE_DOIT if s in rest), default=0)
    return tuple(rest[:at]) + (do_it,) + tuple(rest[at:])


def _name(strat) -> str:
    return strat.__name__.rstrip("_")


def _slice(strat, later, total, spent, unevaluated: bool = False, integrals: bool = False) -> float | None:
    """Seconds for ``strat``: its share of ``total`` (what it does not use carries over), never
    eating into ``simplify``'s reserve; the last strategy gets all that is left.  None: no limit.

    ``unevaluated``: ``do_it`` has run and integrals, sums or limits remain; the algebraic
    rewrites then get :data:`STALLED_SHARE` (on the unevaluated objects they only rewrite
    the integrand, at length), leaving the time to ``limit_inside`` and ``simplify``.
    ``integrals``: the difference holds integrals, sums or products and no limit; ``do_it``
    then takes what it needs, since ``simplify`` cannot evaluate them itself."""
    if total is None:
        return None
    left = total - spent
    if not later:
        return left
    if strat is do_it and integrals:
        return left - MIN_GRANT if simplify_ in later else left
    reserve = SIMPLIFY_RESERVE * total if simplify_ in later else 0.0
    share = SHARES.get(strat, DEFAULT_SHARE)
    if unevaluated and strat in SHARES and strat not in (limit_inside, simplify_):
        return min(STALLED_SHARE * total, left - reserve)
    return min(max(share * total, MIN_GRANT), left - reserve)


def _apply(strat, work, applyfunc):
    if isinstance(work, sp.MatrixBase) and applyfunc:
        return work.applyfunc(strat) if strat is not identical else work
    return strat(work)


def _settle(out, domains):
    if isinstance(out, sp.MatrixBase):
        return out.applyfunc(lambda x: resolve_piecewise(x, domains))
    return resolve_piecewise(out, domains) if isinstance(out, sp.Basic) else out


def prove_zero(diff, strategies=STRATEGIES, applyfunc: bool = True, domains: dict | None = None,
               seconds: float | None = None, sliced: bool | None = None) -> SymbolicOutcome:
    """Try each strategy in turn on ``diff`` (expression or explicit matrix).

    ``domains`` (symbol -> sampling domain) decide ``Piecewise`` conditions the assumptions do
    not.  With ``sliced`` (default: when the engine's own :data:`STRATEGIES` are among
    ``strategies``, as in every claim's symbolic phase) each strategy runs
    under its slice of ``seconds`` (default: the time left on the running deadline; none running:
    no slices).  A strategy that raises or runs out of its slice is skipped; the running outer
    deadline is never swallowed."""
    if isinstance(diff, sp.MatrixBase):
        diff = sp.ImmutableMatrix(diff)
    outer = remaining()
    start = CLOCK()
    outer_at = None if outer is None else start + outer
    if sliced is None:  # the engine's own strategies are among them (a post's come first)
        sliced = set(STRATEGIES) <= set(strategies)
    total = (seconds if seconds is not None else (None if outer is None else 0.97 * outer)) if sliced else None
    order = _ordered(diff, strategies)
    work, last, skipped, tried_doit = diff, diff, [], False
    seen = {}  # strategy result -> its nonzero-constant check (most rewrites of a number return it unchanged)
    integrals = isinstance(diff, sp.Basic) and diff.has(sp.Integral, sp.Sum, sp.Product) and not diff.has(sp.Limit)
    for i, strat in enumerate(order):
        stalled = tried_doit and isinstance(work, sp.Basic) and work.has(*_UNEVALUATED)
        budget = _slice(strat, order[i + 1:], total, CLOCK() - start, stalled, integrals)
        tried_doit = tried_doit or strat is do_it
        if budget is not None and budget < MIN_SLICE:
            skipped.append(f"{_name(strat)} (no time left)")
            continue
        token = None
        try:
            with (deadline(budget) if budget is not None else _unlimited()) as token:
                out = _settle(_apply(strat, work, applyfunc), domains)
                if _is_zero(out):
                    return SymbolicOutcome("proved", _name(strat))
                hit = _checked(seen, out)
        except DeadlineExpired as exc:
            if token is None or not token.expired(exc):
                raise
            skipped.append(f"{_name(strat)} (timed out after {budget:.2g} s)")
            continue
        except Exception as exc:  # a failing strategy is no evidence: the next one runs
            if outer_at is not None and CLOCK() >= outer_at:
                raise  # an outer alarm that raises an Exception (a caller's own): never swallow it
            if isinstance(exc, RecursionError):
                skipped.append(f"{_name(strat)} (recursion too deep)")
            continue
        if hit is not None:
            idx, value = hit
            cx = {"text": _where(diff, idx) + f"difference = {_short(value, 200)} (exact, by {_name(strat)})"}
            if value.is_number and not value.is_Rational and value.is_finite and _decimal(value):
                cx["difference"] = _decimal(value)
            if not (exactly_nonzero(value) or value in (sp.oo, sp.S.NegativeInfinity)):
                cx["nonzero"] = "ball"  # the difference is exact; that it is not 0, a ball decided
            return SymbolicOutcome("refuted", _name(strat), cx, value=value)
        last = out
        if isinstance(work, sp.Basic) and work.has(*_UNEVALUATED) and isinstance(out, sp.Basic) \
                and not out.has(*_UNEVALUATED, sp.nan, sp.zoo, sp.oo, sp.S.NegativeInfinity, sp.AccumBounds):
            work = out  # evaluated once: the strategies after this one work on the result
    detail = f"no strategy reduced the difference to 0 (last: {_short(last)})"
    if skipped:
        detail += "; skipped: " + ", ".join(skipped)
    return SymbolicOutcome("failed", "", detail=detail)


class _unlimited:
    """The context of a strategy without a slice (no deadline running, or an unsliced list)."""

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _checked(seen: dict, out):
    """:func:`_nonzero_constant` of ``out``, once per distinct result."""
    try:
        if out in seen:
            return seen[out]
    except TypeError:  # unhashable (a mutable matrix from a post's own strategy)
        return _nonzero_constant(out)
    seen[out] = _nonzero_constant(out)
    return seen[out]


def _decimal(value, digits: int = 6) -> str:
    """Six significant digits of an exact number (as numeric counterexamples show them)."""
    import mpmath
    try:
        v = sp.N(value, digits + 10)
        return mpmath.nstr(mpmath.mpmathify(complex(v) if v.has(sp.I) else str(v)), digits)
    except Exception:  # a value SymPy cannot evaluate keeps its exact text only
        return ""


def _where(m, idx) -> str:
    if isinstance(m, sp.MatrixBase) and m.rows * m.cols > 1:
        return f"entry ({idx // m.cols},{idx % m.cols}): "
    return ""


def _short(e, n: int = 80) -> str:
    try:  # unordered: ordering the terms of a sum evaluates them (30 s for an unevaluated series)
        s = sp.sstr(e, order="none")
    except Exception:
        return f"an expression SymPy cannot print ({type(e).__name__})"
    return s if len(s) <= n else s[: n - 3] + "..."


def prove_nonnegative(expr, certificate=None, strict: bool = False, cheap: bool = False) -> SymbolicOutcome:
    """Exact certificate that ``expr >= 0`` (``expr > 0`` when ``strict``) under the symbols'
    assumptions.

    With a ``certificate`` (an expression whose sign SymPy can see, such as a sum of squares
    times positive symbols), ``expr - certificate`` must be proved zero and the certificate
    must be manifestly nonnegative (positive).  Without one, SymPy's assumption system is
    asked about ``expr`` after factoring.

    ``cheap`` (the numbers have refuted the statement already): only the :data:`CHEAP`
    rewrites compare the certificate, and no sign is sought after ``factor``, which alone takes
    seconds on a sum over a dozen symbols.
    """
    def signed(e):
        return e.is_positive if strict else e.is_nonnegative

    word = "positive" if strict else "nonnegative"
    if certificate is not None:
        same = prove_zero(expr - certificate, CHEAP if cheap else STRATEGIES)
        if same.status != "proved":
            return SymbolicOutcome("failed", "", detail="certificate does not equal the difference")
        if signed(certificate):
            return SymbolicOutcome("proved", f"certificate ({same.method}) + sign")
        return SymbolicOutcome("failed", "", detail=f"certificate is not manifestly {word}")
    forms = (("sign", lambda e: e), ("factor+sign", sp.factor), ("cancel+sign", sp.cancel))
    for name, form in (f for f in forms if not (cheap and f[1] is sp.factor)):
        try:
            f = form(expr)
        except (NotImplementedError, sp.PolynomialError):
            continue
        if signed(f):
            return SymbolicOutcome("proved", name)
    return SymbolicOutcome("failed", "", detail="no exact certificate of the sign")
