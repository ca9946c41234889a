"""Evaluate SymPy expressions with mpmath at a given precision.

A small tree walk instead of ``lambdify``: every node type has one rule, infinite sums and
integrals go to ``mp.nsum``/``mp.quad`` (whose silent failures the two-precision comparison
in :mod:`numeric.identity` catches), and explicit matrices evaluate entrywise.  Anything the
walk does not know falls back to SymPy's own ``evalf`` at the requested precision.
"""
from __future__ import annotations

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

mp = mpmath.mp


class Unevaluable(Exception):
    """The expression has no numeric value here (a pole, a divergent sum, an unknown object)."""


_FUNCS = {
    sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan, sp.cot: mpmath.cot,
    sp.sec: mpmath.sec, sp.csc: mpmath.csc, sp.asin: mpmath.asin, sp.acos: mpmath.acos,
    sp.atan: mpmath.atan, sp.acot: mpmath.acot, sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh,
    sp.tanh: mpmath.tanh, sp.coth: mpmath.coth, sp.asinh: mpmath.asinh, sp.acosh: mpmath.acosh,
    sp.atanh: mpmath.atanh, sp.exp: mpmath.exp, sp.log: mpmath.log, sp.gamma: mpmath.gamma,
    sp.loggamma: mpmath.loggamma, sp.digamma: mpmath.digamma, sp.erf: mpmath.erf,
    sp.erfc: mpmath.erfc, sp.erfi: mpmath.erfi, sp.erfinv: mpmath.erfinv, sp.Ci: mpmath.ci,
    sp.Si: mpmath.si, sp.Ei: mpmath.ei, sp.li: mpmath.li, sp.LambertW: mpmath.lambertw,
    sp.zeta: mpmath.zeta, sp.polylog: mpmath.polylog, sp.besselj: mpmath.besselj,
    sp.bessely: mpmath.bessely, sp.besseli: mpmath.besseli, sp.besselk: mpmath.besselk,
    sp.airyai: mpmath.airyai, sp.airybi: mpmath.airybi, sp.Abs: abs, sp.re: mpmath.re,
    sp.im: mpmath.im, sp.conjugate: mpmath.conj, sp.arg: mpmath.arg, sp.floor: mpmath.floor,
    sp.ceiling: mpmath.ceil, sp.atan2: mpmath.atan2, sp.beta: mpmath.beta,
    sp.binomial: mpmath.binomial, sp.factorial: mpmath.factorial, sp.harmonic: mpmath.harmonic,
    sp.polygamma: lambda m, x: mpmath.psi(m, x), sp.fresnels: mpmath.fresnels,
    sp.fresnelc: mpmath.fresnelc, sp.elliptic_k: mpmath.ellipk,
}

_CONSTANTS = {
    sp.pi: lambda: +mp.pi, sp.E: lambda: +mp.e, sp.EulerGamma: lambda: +mp.euler,
    sp.Catalan: lambda: +mp.catalan, sp.GoldenRatio: lambda: +mp.phi,
}


def _sign(x):
    if x == 0:
        return mpmath.mpf(0)
    return x / abs(x)


def evaluate(expr, point: dict, dps: int):
    """Numeric value of ``expr`` with symbols replaced by ``point`` values, at ``dps`` digits.

    Returns an ``mpf``/``mpc`` or an ``mpmath.matrix``; raises :class:`Unevaluable`.
    """
    with mpmath.workdps(dps):
        values = {s: (mpmath.mpc(v) if isinstance(v, (complex, mpmath.mpc)) else mpmath.mpf(v))
                  for s, v in point.items()}
        try:
            return _eval(sp.sympify(expr) if not isinstance(expr, sp.MatrixBase) else expr, values)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError, mpmath.libmp.NoConvergence) as exc:
            raise Unevaluable(f"{type(exc).__name__}: {exc}") from None


def _eval(e, env):
    if isinstance(e, sp.MatrixBase):
        out = mpmath.matrix(e.rows, e.cols)
        for i in range(e.rows):
            for j in range(e.cols):
                out[i, j] = _eval(e[i, j], env)
        return out
    if e.is_Integer:
        return mpmath.mpf(int(e))
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if e.is_Float:
        return mpmath.mpf(e._mpf_) if hasattr(e, "_mpf_") else mpmath.mpf(str(e))
    if e is sp.I:
        return mpmath.mpc(0, 1)
    if e is sp.oo:
        return mpmath.inf
    if e is sp.S.NegativeInfinity:
        return -mpmath.inf
    if e in (sp.zoo, sp.nan):
        raise Unevaluable(f"{e} is not a number")
    if e in _CONSTANTS:
        return _CONSTANTS[e]()
    if e.is_Symbol:
        if e in env:
            return env[e]
        raise Unevaluable(f"no value for symbol {e}")
    if e.is_Add:
        return mpmath.fsum(_eval(a, env) for a in e.args)
    if e.is_Mul:
        r = mpmath.mpf(1)
        for a in e.args:
            r *= _eval(a, env)
        return r
    if e.is_Pow:
        base, ex = e.args
        if ex == sp.S.Half:
            return mpmath.sqrt(_eval(base, env))
        b, x = _eval(base, env), _eval(ex, env)
        if b == 0 and mpmath.re(x) < 0:
            raise Unevaluable("division by zero")
        if mpmath.im(x) == 0 and x == int(x) and abs(x) < 2**20:
            return b ** int(x)
        return mpmath.power(b, x)
    if isinstance(e, sp.sign):
        return _sign(_eval(e.args[0], env))
    if isinstance(e, (sp.Min, sp.Max)):
        vals = [_eval(a, env) for a in e.args]
        return min(vals) if isinstance(e, sp.Min) else max(vals)
    if isinstance(e, sp.Piecewise):
        for expr_i, cond in e.args:
            if cond is sp.true or _truth(cond, env):
                return _eval(expr_i, env)
        raise Unevaluable("no branch of a Piecewise applies")
    if isinstance(e, sp.Integral):
        return _integral(e, env)
    if isinstance(e, (sp.Sum, sp.Product)):
        return _sum(e, env)
    if isinstance(e, sp.Derivative):
        return _derivative(e, env)
    if isinstance(e, sp.KroneckerDelta):
        a, b = (_eval(x, env) for x in e.args)
        return mpmath.mpf(1 if a == b else 0)
    if isinstance(e, AppliedUndef):
        return _quantity(e, env)
    if isinstance(e, sp.Function) and type(e) in _FUNCS:
        args = [_eval(a, env) for a in e.args]
        if isinstance(e, sp.log) and len(args) == 2:
            return mpmath.log(args[0]) / mpmath.log(args[1])
        return _FUNCS[type(e)](*args)
    return _fallback(e, env)


def _quantity(e, env):
    """A quantity supplied by post code (see ``derivations.engine.claims.quantity``): its
    ``evaluator`` at the current precision, else its ``exact`` value evaluated here."""
    t = type(e)
    if getattr(t, "evaluator", None) is not None:
        out = t.evaluator(*[_eval(a, env) for a in e.args])
        return out if isinstance(out, mpmath.matrix) else mpmath.mpmathify(out)
    if getattr(t, "exact", None) is not None:
        args = [a.subs({s: _exact_number(v) for s, v in env.items()}) if a.free_symbols else a for a in e.args]
        return _eval(sp.sympify(t.exact(*args)), env)
    raise Unevaluable(f"no numeric value for {t.__name__}")


def _exact_number(v):
    """A point's coordinate as a SymPy number (integers stay integers: family parameters)."""
    if isinstance(v, mpmath.mpc):
        return sp.Float(v.real, mp.dps) + sp.I * sp.Float(v.imag, mp.dps)
    if v == int(v):
        return sp.Integer(int(v))
    return sp.Float(v, mp.dps)


def _truth(cond, env):
    if isinstance(cond, sp.And):
        return all(_truth(c, env) for c in cond.args)
    if isinstance(cond, sp.Or):
        return any(_truth(c, env) for c in cond.args)
    if isinstance(cond, sp.Not):
        return not _truth(cond.args[0], env)
    if isinstance(cond, sp.core.relational.Relational):
        lhs, rhs = _eval(cond.lhs, env), _eval(cond.rhs, env)
        return {"==": lhs == rhs, "!=": lhs != rhs, "<": lhs < rhs, "<=": lhs <= rhs,
                ">": lhs > rhs, ">=": lhs >= rhs}[cond.rel_op]
    raise Unevaluable(f"cannot decide condition {cond}")


def _limits(limit, env):
    var, lo, hi = limit
    return var, _eval(lo, env), _eval(hi, env)


def _integral(e, env):
    body = e.function
    limits = list(e.limits)
    if any(len(lim) != 3 for lim in limits):
        raise Unevaluable("indefinite integral")

    def integrate(k, env_k):
        if k < 0:
            return _eval(body, env_k)
        var, lo, hi = _limits(limits[k], env_k)

        def f(t):
            inner = dict(env_k)
            inner[var] = t
            return integrate(k - 1, inner)

        value, err = mpmath.quad(f, [lo, hi], error=True)
        if not _converged(value, err):
            raise Unevaluable(f"quadrature did not converge (error estimate {mpmath.nstr(err, 2)} "
                              f"at {mp.dps} digits)")
        return value

    return integrate(len(limits) - 1, env)


def _converged(value, err) -> bool:
    r"""``quad``'s own error estimate is small: relative error below \(10^{-\mathrm{dps}/3}\) (or
    absolute below \(10^{-2\mathrm{dps}/3}\) for a vanishing integral).

    A quadrature that stops at its maximal degree without converging returns the *same* wrong
    value at every precision that uses that degree: \(\int_0^1|x-1/3|\,dx\) came out
    \(5/18 - 2.0\cdot10^{-7}\) at 80 and at 140 digits, and the two-precision rule took that
    for a confirmed counterexample to a true identity.  Such a value is no value."""
    eps = mpmath.mpf(10) ** (-mp.dps / 3)
    return err <= eps * abs(value) or err <= eps * eps


_DIRECT_TERMS = 20000


def _sum(e, env):
    is_product = isinstance(e, sp.Product)
    (var, lo_e, hi_e), *rest = e.limits
    if rest:
        inner = e.func(e.function, *rest)
        return _sum(e.func(inner, (var, lo_e, hi_e)), env)
    lo, hi = _eval(lo_e, env), _eval(hi_e, env)
    body = e.function

    def term(n):
        local = dict(env)
        local[var] = mpmath.mpmathify(n)  # complex n: Euler-Maclaurin takes Taylor coefficients
        return _eval(body, local)

    if not is_product and mpmath.isinf(hi) and not mpmath.isinf(lo) and lo == int(lo):
        direct = _direct_sum(term, int(lo))
        if direct is not None:
            return direct
    if mpmath.isinf(hi) or mpmath.isinf(lo):
        if is_product:
            return mpmath.nprod(term, [lo, hi])
        if not mpmath.isinf(lo) and lo == int(lo) and _nsum_fails(e, env, term, lo):
            return _euler_maclaurin(term, lo)
        return mpmath.nsum(term, [lo, hi])
    if hi - lo + 1 > _DIRECT_TERMS:
        if is_product:
            return mpmath.nprod(term, [lo, hi])
        return mpmath.nsum(term, [lo, hi])
    if hi < lo:
        return mpmath.mpf(1 if is_product else 0)
    vals = [term(n) for n in range(int(lo), int(hi) + 1)]
    if is_product:
        r = mpmath.mpf(1)
        for v in vals:
            r *= v
        return r
    return mpmath.fsum(vals)


_GEOMETRIC = mpmath.mpf(2) ** -10  # |t(lo+40)| <= 2**-10 |t(lo+20)|: terms shrink by 0.71 or less


def _direct_sum(term, lo: int):
    r"""A series whose terms shrink at least geometrically, summed term by term until 20
    terms in a row are below the working precision; ``None`` for other series.

    ``nsum`` extrapolates from its first few dozen partial sums, and a series whose terms
    change only later fools the extrapolation at *every* precision:
    \(\sum_{n\ge1}\lfloor n\tanh\pi\rfloor/10^n\) is exactly \(1/81\) for ``nsum``, but its
    terms drop by one more \(10^{-n}\) from \(n=269\) on and the sum differs from \(1/81\) in
    the 268th digit.  A precision-independent wrong value passes the two-precision rule, so
    fast series, whose direct sum is cheap, are not extrapolated."""
    try:
        a, b = term(lo + 20), term(lo + 40)
    except (ZeroDivisionError, ValueError, OverflowError, TypeError, Unevaluable):
        return None
    if a == 0 or abs(b) > abs(a) * _GEOMETRIC:
        return None
    tol = mp.eps
    with mpmath.extraprec(30):
        total, quiet, n = mpmath.mpf(0), 0, lo
        while quiet < 20:
            if n - lo > _DIRECT_TERMS:
                return None
            t = term(n)
            total += t
            n += 1
            quiet = quiet + 1 if abs(t) <= tol * abs(total) else 0
    return +total


_NSUM_FAILS: dict = {}


def _nsum_fails(e, env, term, lo) -> bool:
    """``nsum`` does not converge on this series at 15 digits (remembered per series and
    point: the comparison asks again at each precision).

    On slowly convergent series (\\(\\sum 1/(n\\ln^2 n)\\)) ``nsum`` silently returns values
    that change with the precision (1.91, 1.94, 2.02 for 2.1097...), taking seconds each; at
    15 digits its ``strict`` mode says so in a fraction of a second."""
    key = (e, tuple(sorted((str(k), v) for k, v in env.items())))
    if key not in _NSUM_FAILS:
        try:
            with mpmath.workdps(15):
                mpmath.nsum(term, [lo, mpmath.inf], strict=True)
            _NSUM_FAILS[key] = False
        except mpmath.libmp.NoConvergence:
            _NSUM_FAILS[key] = True
        if len(_NSUM_FAILS) > 256:
            _NSUM_FAILS.pop(next(iter(_NSUM_FAILS)))
    return _NSUM_FAILS[key]


def _euler_maclaurin(term, lo):
    """The series by a direct sum plus an Euler--Maclaurin tail; its cut-off depends on the
    precision, so the two-precision rule cross-checks the tail model."""
    from numeric.certify import euler_maclaurin_mp
    try:
        value, _ = euler_maclaurin_mp(term, int(lo), mp.dps)
    except ValueError as exc:
        raise Unevaluable(f"nsum does not converge and Euler-Maclaurin fails: {exc}") from None
    return value


def _derivative(e, env):
    body = e.expr
    variables = list(e.variable_count)
    if len(variables) != 1:
        raise Unevaluable("mixed partial derivatives are not evaluated numerically")
    var, order = variables[0]
    if var not in env:
        raise Unevaluable(f"no value for {var}")

    def f(t):
        local = dict(env)
        local[var] = t
        return _eval(body, local)

    return mpmath.diff(f, env[var], int(order))


def _fallback(e, env):
    subs = {s: sp.Float(mpmath.nstr(v, mp.dps + 5), mp.dps + 5) if not isinstance(v, mpmath.mpc)
            else sp.Float(mpmath.nstr(v.real, mp.dps + 5), mp.dps + 5)
            + sp.I * sp.Float(mpmath.nstr(v.imag, mp.dps + 5), mp.dps + 5)
            for s, v in env.items() if isinstance(s, sp.Symbol)}
    try:
        val = e.evalf(mp.dps, subs=subs)
    except Exception as exc:  # SymPy raises a zoo of types here
        raise Unevaluable(f"cannot evaluate {type(e).__name__}: {exc}") from None
    if not val.is_number or val.has(sp.nan, sp.zoo) or val.free_symbols:
        raise Unevaluable(f"cannot evaluate {type(e).__name__} numerically")
    re_, im_ = val.as_real_imag()
    try:
        if im_ == 0:
            return mpmath.mpf(sp.Float(re_, mp.dps)._mpf_)
        return mpmath.mpc(sp.Float(re_, mp.dps)._mpf_, sp.Float(im_, mp.dps)._mpf_)
    except (AttributeError, TypeError):
        raise Unevaluable(f"cannot evaluate {type(e).__name__} numerically") from None
