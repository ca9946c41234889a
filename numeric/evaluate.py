r"""Evaluate SymPy expressions with mpmath: values, and values with an error bound.

Two walks over the same node types:

* :func:`evaluate` gives the value at ``dps`` digits (an ``mpf``, ``mpc`` or ``mpmath.matrix``).
  The expression is compiled once into nested closures (:func:`_compile`), so that quadrature
  and series, which evaluate their integrand or term hundreds of times, walk the tree once.
* :func:`evaluate_value` gives a :class:`Value`: the number and a bound on its absolute error,
  tracked through the tree as SymPy's ``evalf`` does (its ``add_terms``), also compiled once
  (:func:`_tcompile`: each sample point and each precision then runs closures, not a walk):

  - exact inputs (integers, the sample points, which are binary floats) carry no error; a rounded
    number (a rational, a constant, any operation's result) carries one unit in its last place;
  - a sum's bound is the sum of its terms' bounds: terms of size \(10^{295}\) that cancel to
    \(e^{-680}\) leave a bound of \(10^{295-\mathrm{dps}}\) on a result of size \(10^{-295}\), so not
    one of its digits is known below 590 digits of working precision, and the value says so;
  - a product's bound is \(\sum_i e_i\prod_{j\ne i}(|v_j|+e_j)\) (a vanishing factor passes its
    bound on); a power and a function multiply their argument's bound by a bound on the
    derivative: \(\exp\) by its value, \(\sin,\cos\) by \(e^{|\mathrm{Im}\,a|}\), \(\log\) by
    \(1/|a|\), the others by a difference quotient at 20 digits.  So a large argument amplifies
    its absolute error, and a function of a vanished argument is unknown;
  - an integral, a series or a limit adds its method's error estimate and the rounding of the
    largest values it summed (cancellation inside it shows there); inside integrands and terms
    nothing is tracked: quadrature's and extrapolation's own estimates govern.

  Bounds are first-order estimates kept as base-2 logarithms (floats: ``-inf`` exact, ``+inf``
  unknown), so \(10^{-5000}\) and \(10^{5000}\) need no special case.  :mod:`numeric.identity`
  decides with them, raising the precision of a side whose digits cancellation has hidden
  (:attr:`Value.refine`).

Routes for what users bring, each a function below with its mathematics: quadrature with
removable singularities at a node (:func:`_removable`), oscillatory integrals over infinite
ranges (:func:`_oscillatory`), iterated integrals (:func:`_iterated`), fast series summed
directly (:func:`_direct_sum`), others extrapolated by ``nsum`` or, when that does not converge,
by Euler--Maclaurin (:func:`_euler_maclaurin`), nested series (:func:`_series`), limits
(:func:`_limit`), and quantities supplied by post code (:func:`_quantity`).  None of them is
trusted on its own: a value that moves with the working precision is unknown, never agreement.
Anything the walk does not know falls back to SymPy's own ``evalf``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

mp = mpmath.mp
_MPF = type(mpmath.mpf(1))

EXACT, UNKNOWN = -math.inf, math.inf
LOG2_10 = math.log2(10)
LOG2_E = 1 / math.log(2)
_HUGE_EXPONENT = 2.0 ** 1000  # log2 sizes beyond this are clamped (:func:`_lg`)


class Unevaluable(Exception):
    """The expression has no numeric value here (a pole, a divergent sum, an unknown object)."""


_ERRORS = (ZeroDivisionError, ValueError, OverflowError, TypeError, mpmath.libmp.NoConvergence)

_EXP_REACH = 1000  # |Re a| beyond 2^this: exp(a) underflows to 0 or overflows (:func:`_exp`)


def _exp(a):
    r"""\(e^a\), with an argument beyond \(2^{1000}\) in size decided at once: \(e^{a}\) for
    \(\mathrm{Re}\,a < -2^{1000}\) is below \(2^{-2^{1000}}\), an exact 0 at every working
    precision, and above \(2^{2^{1000}}\) there is no value.  mpmath computes the exponent of
    \(e^{-\cosh t}\) at tanh-sinh's far nodes (\(t \sim 10^{60}\)) exactly, an integer of
    \(10^{60}\) bits: the quadrature of \(\int_0^\infty e^{-x\cosh t}dt\) never returned."""
    re_a = mpmath.re(a)
    if re_a and mpmath.mag(re_a) > _EXP_REACH:
        if re_a < 0:
            return mpmath.mpf(0) if mpmath.im(a) == 0 else mpmath.mpc(0)
        raise Unevaluable("exp overflows")
    return mpmath.exp(a)


_FUNCS = {
    sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan, sp.cot: mpmath.cot,
    sp.sec: mpmath.sec, sp.csc: mpmath.csc, sp.asin: mpmath.asin, sp.acos: mpmath.acos,
    sp.atan: mpmath.atan, sp.acot: mpmath.acot, sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh,
    sp.tanh: mpmath.tanh, sp.coth: mpmath.coth, sp.asinh: mpmath.asinh, sp.acosh: mpmath.acosh,
    sp.atanh: mpmath.atanh, sp.exp: _exp, sp.log: mpmath.log, sp.gamma: mpmath.gamma,
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

_STEP_FUNCTIONS = (sp.floor, sp.ceiling)  # integer-valued: exact, unless the argument is near a jump


# -- error bounds as base-2 logarithms -------------------------------------------------------

def _lg(x) -> float:
    """An upper bound of \\(\\log_2|x|\\) within one (``-inf`` at 0); of the largest entry of a matrix."""
    if type(x) is _MPF:  # mpmath.mag's own rule for a nonzero finite mpf, without its dispatch
        _, man, exp, bc = x._mpf_
        if man:
            m = exp + bc
            return float(m) if abs(m) < _HUGE_EXPONENT else (_HUGE_EXPONENT if m > 0 else -_HUGE_EXPONENT)
    if isinstance(x, mpmath.matrix):
        return max((_lg(x[i, j]) for i in range(x.rows) for j in range(x.cols)), default=EXACT)
    if isinstance(x, (list, tuple)):  # post code may compare vectors as lists
        return max((_lg(v) for v in x), default=EXACT)
    m = mpmath.mag(x)
    # an exponent beyond a float's range (exp(-x cosh t) at tanh-sinh's far nodes: 2^(-10^400))
    # is kept as the largest finite float of its sign: still smaller (larger) than any bound
    if abs(m) < _HUGE_EXPONENT or not mpmath.isfinite(m):  # mag(0) = -inf: exactly zero
        return float(m)
    return _HUGE_EXPONENT if m > 0 else -_HUGE_EXPONENT


def _lg_sum(logs) -> float:
    """\\(\\log_2\\sum_i 2^{x_i}\\): the bound of a sum of bounds."""
    logs = [x for x in logs if x != EXACT]
    if not logs:
        return EXACT
    top = max(logs)
    if top == UNKNOWN or any(x != x for x in logs):  # NaN: an unknown bound met an infinite one
        return UNKNOWN
    if len(logs) == 1:
        return top
    return top + math.log2(sum(2.0 ** (x - top) for x in logs))


def _lg_max(logs) -> float:
    """The largest of some bounds (``+inf`` if one is unknown or NaN)."""
    if any(x != x for x in logs):
        return UNKNOWN
    return max(logs, default=EXACT)


def _rounding(v) -> float:
    """One unit in the last place of ``v`` at the working precision."""
    return _lg(v) - mp.prec + 1


def _float(x) -> float:
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


@dataclass(frozen=True)
class Value:
    """A number (or matrix) with a bound on its absolute error (the max-norm for matrices).

    ``error`` is \\(\\log_2\\) of the bound (``-inf`` exact, ``+inf`` unknown); ``refine(dps)``
    evaluates the same expression again at another precision (``None`` when it cannot)."""

    value: object
    error: float
    dps: int
    refine: Callable[[int], "Value"] | None = field(default=None, compare=False, repr=False)

    @property
    def size(self) -> float:
        """\\(\\log_2\\) of the value's size (of its largest entry)."""
        return _lg(self.value)

    @property
    def digits(self) -> float:
        """Correct significant digits, \\(\\log_{10}(|v|/\\mathrm{bound})\\): ``inf`` when exact,
        ``-inf`` for a zero with an error."""
        if self.error == EXACT:
            return math.inf
        return (self.size - self.error) / LOG2_10

    def is_zero(self) -> bool:
        """Exactly zero (no error)."""
        return self.error == EXACT and self.size == EXACT

    def resolved(self, digits: float) -> bool:
        """Known to ``digits`` significant digits (an exact zero is known)."""
        return self.digits >= digits or self.is_zero()

    def vanishes(self) -> bool:
        """No digit survived: the bound is at least the value, which may be zero."""
        return self.digits <= 0

    def bound(self):
        """The error bound as an ``mpf``."""
        return mpmath.mpf(0) if self.error == EXACT else mpmath.inf if self.error == UNKNOWN \
            else mpmath.ldexp(1, int(math.ceil(self.error)))


# -- entry points ----------------------------------------------------------------------------

def _point(point: dict) -> dict:
    return {s: (mpmath.mpc(v) if isinstance(v, (complex, mpmath.mpc)) else mpmath.mpf(v))
            for s, v in point.items()}


def _prepare(expr):
    return expr if isinstance(expr, sp.MatrixBase) else sp.sympify(expr)


def evaluate(expr, point: dict, dps: int):
    """Numeric value of ``expr`` with symbols replaced by ``point`` values, at ``dps`` digits.

    Returns an ``mpf``/``mpc`` or an ``mpmath.matrix``; raises :class:`Unevaluable`.
    """
    with mpmath.workdps(dps):
        try:
            return _eval(_prepare(expr), _point(point))
        except _ERRORS as exc:
            raise _unevaluable(exc) from None


def evaluate_value(expr, point: dict, dps: int) -> Value:
    """:func:`evaluate` with a bound on the error of the result (module docstring): a
    :class:`Value` whose ``refine(dps)`` evaluates again at another precision."""
    expr = _prepare(expr)
    with mpmath.workdps(dps):
        try:
            v, err = _track(expr, _point(point))
        except _ERRORS as exc:
            raise _unevaluable(exc) from None
    return Value(v, err, dps, lambda q: evaluate_value(expr, point, q))


def _unevaluable(exc) -> Unevaluable:
    if isinstance(exc, ZeroDivisionError):
        return Unevaluable("division by zero")
    return Unevaluable(f"{type(exc).__name__}: {exc}")


# -- the plain walk: compiled once, run many times ---------------------------------------------

_COMPILED: dict = {}


def _eval(e, env):
    return _compiled(e)(env)


def _compiled(e):
    return _memo(_COMPILED, _compile, e)


def _memo(cache: dict, compile_, e):
    """``compile_(e)``, kept in ``cache`` (at most 2048 entries) unless ``e`` is a mutable matrix."""
    if isinstance(e, sp.MatrixBase) and not isinstance(e, sp.ImmutableMatrix):
        return compile_(e)
    fn = cache.get(e)
    if fn is None:
        fn = compile_(e)
        if len(cache) > 2048:
            cache.clear()
        cache[e] = fn
    return fn


def _raise(why):
    def fail(env):
        raise Unevaluable(why)
    return fail


def _product(vals):
    r = vals[0]
    for v in vals[1:]:
        r = r * v
    return r


def _add(vals):
    if any(isinstance(v, mpmath.matrix) for v in vals):
        r = vals[0]
        for v in vals[1:]:
            r = r + v
        return r
    return mpmath.fsum(vals)


def _power(b, x):
    if b == 0 and mpmath.re(x) < 0:
        raise Unevaluable("division by zero")
    if mpmath.im(x) == 0 and x == int(x) and abs(x) < 2 ** 20:
        return b ** int(x)
    return mpmath.power(b, x)


def _compile(e) -> Callable[[dict], object]:
    """A closure ``env -> value`` computing ``e`` at the working precision of the call."""
    if isinstance(e, sp.MatrixBase):
        rows = [[_compiled(e[i, j]) for j in range(e.cols)] for i in range(e.rows)]

        def matrix(env):
            return mpmath.matrix([[c(env) for c in row] for row in rows])
        return matrix
    if e.is_Integer:
        n = int(e)
        if abs(n) < 2 ** 53:  # exact at every precision used (15 digits and up)
            one = mpmath.mpf(n)
            return lambda env: one
        return lambda env: mpmath.mpf(n)
    if e.is_Rational:
        p, q = int(e.p), int(e.q)
        return lambda env: mpmath.mpf(p) / q
    if e.is_Float:
        m = e._mpf_
        return lambda env: mpmath.mpf(m)
    if e is sp.I:
        return lambda env: mpmath.mpc(0, 1)
    if e is sp.oo:
        return lambda env: mpmath.inf
    if e is sp.S.NegativeInfinity:
        return lambda env: -mpmath.inf
    if e in (sp.zoo, sp.nan):
        return _raise(f"{e} is not a number")
    if e in _CONSTANTS:
        return lambda env, c=_CONSTANTS[e]: c()
    if e.is_Symbol:
        def symbol(env):
            try:
                return env[e]
            except KeyError:
                raise Unevaluable(f"no value for symbol {e}") from None
        return symbol
    if e.is_Add or e.is_Mul:
        return _fold(e)
    if e.is_Pow:
        base, ex = e.args
        cb = _compiled(base)
        if ex == sp.S.Half:
            return lambda env: mpmath.sqrt(cb(env))
        if ex.is_Integer and abs(ex) < 2 ** 20:
            n = int(ex)
            if n == -1:
                return lambda env: 1 / cb(env)
            return lambda env: cb(env) ** n  # 0 ** -n raises ZeroDivisionError
        cx = _compiled(ex)
        return lambda env: _power(cb(env), cx(env))
    if isinstance(e, sp.sign):
        c = _compiled(e.args[0])
        return lambda env: _sign(c(env))
    if isinstance(e, (sp.Min, sp.Max)):
        cs, pick = [_compiled(a) for a in e.args], (min if isinstance(e, sp.Min) else max)
        return lambda env: pick([c(env) for c in cs])
    if isinstance(e, sp.Piecewise):
        return _piecewise(e, _compiled)
    if isinstance(e, sp.KroneckerDelta):
        ca, cb = (_compiled(a) for a in e.args)
        return lambda env: mpmath.mpf(1 if ca(env) == cb(env) else 0)
    route = _route(e)
    if route is not None:
        return lambda env: _routed(route, e, env)[0]
    if isinstance(e, AppliedUndef):
        return lambda env: _quantity(e, env, tracked=False)[0]
    if isinstance(e, sp.Function) and type(e) in _FUNCS:
        cs, fn = [_compiled(a) for a in e.args], _FUNCS[type(e)]
        if isinstance(e, sp.log) and len(cs) == 2:
            return lambda env: mpmath.log(cs[0](env)) / mpmath.log(cs[1](env))
        if len(cs) == 1:
            c0 = cs[0]
            return lambda env: fn(c0(env))
        return lambda env: fn(*[c(env) for c in cs])
    return lambda env: _fallback(e, env)[0]


def _fold(e):
    """A sum or a product as a chain of binary operations (closures for two and three operands:
    integrands and terms are evaluated hundreds of times)."""
    cs = [_compiled(a) for a in e.args]
    if e.is_Add:
        if len(cs) == 2:
            a, b = cs
            return lambda env: a(env) + b(env)
        if len(cs) == 3:
            a, b, c = cs
            return lambda env: a(env) + b(env) + c(env)
        return lambda env: _add([c(env) for c in cs])
    if len(cs) == 2:
        a, b = cs
        return lambda env: a(env) * b(env)
    if len(cs) == 3:
        a, b, c = cs
        return lambda env: a(env) * b(env) * c(env)
    return lambda env: _product([c(env) for c in cs])


def _route(e):
    """The function evaluating a construct with a method error (returns ``(value, log2 error)``)."""
    if isinstance(e, sp.Integral):
        return _integral
    if isinstance(e, (sp.Sum, sp.Product)):
        return _sum
    if isinstance(e, sp.Limit):
        return _limit
    if isinstance(e, sp.Derivative):
        return _derivative
    return None


_CONSTANT_PARTS: dict = {}


def _routed(route, e, env):
    """``route(e, env)``, remembered per precision when ``e`` has no free symbols: a series or
    an integral that is a constant factor of a claim is the same at every sample point."""
    if e.free_symbols:
        return route(e, env)
    key = (e, mp.prec)
    if key not in _CONSTANT_PARTS:
        if len(_CONSTANT_PARTS) > 256:
            _CONSTANT_PARTS.clear()
        _CONSTANT_PARTS[key] = route(e, {})
    return _CONSTANT_PARTS[key]


def _piecewise(e, compile_):
    """The first branch whose condition holds at the point, compiled by ``compile_``."""
    branches = [(compile_(x), cond) for x, cond in e.args]

    def piecewise(env):
        for c, cond in branches:
            if cond is sp.true or _truth(cond, env):
                return c(env)
        raise Unevaluable("no branch of a Piecewise applies")
    return piecewise


def _sign(x):
    if x == 0:
        return mpmath.mpf(0)
    return x / abs(x)


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


# -- the tracked walk: compiled once, like the plain one -----------------------------------------

_TRACKED: dict = {}


def _track(e, env):
    """``(value, log2 error bound)`` of ``e``: the rules of the module docstring."""
    return _memo(_TRACKED, _tcompile, e)(env)


def _tcompile(e) -> Callable[[dict], tuple]:
    """A closure ``env -> (value, log2 error)`` for ``e``, one case per node type, in the order
    the rules are tried; the children are compiled once, so a sample point walks no tree."""
    if isinstance(e, sp.MatrixBase):
        rows, cols = e.rows, e.cols
        cells = [(i, j, _tcompile(e[i, j])) for i in range(rows) for j in range(cols)]

        def matrix(env):
            out, errs = mpmath.matrix(rows, cols), []
            for i, j, c in cells:
                out[i, j], ej = c(env)
                errs.append(ej)
            return out, _lg_max(errs)
        return matrix
    if e.is_Atom:
        return _tcompile_atom(e)
    if e.is_Add:
        cs = [_tcompile(a) for a in e.args]

        def add(env):
            parts = [c(env) for c in cs]
            v = _add([p[0] for p in parts])
            return v, _lg_sum([p[1] for p in parts] + [_rounding(v)])
        return add
    if e.is_Mul:
        cs = [_tcompile(a) for a in e.args]
        return lambda env: _track_product([c(env) for c in cs])
    if e.is_Pow:
        return _tcompile_power(e)
    if isinstance(e, sp.Piecewise):
        return _piecewise(e, _tcompile)
    if isinstance(e, (sp.Min, sp.Max)):
        cs, pick = [_tcompile(a) for a in e.args], (min if isinstance(e, sp.Min) else max)

        def extremum(env):
            parts = [c(env) for c in cs]
            return pick(p[0] for p in parts), _lg_max([p[1] for p in parts])
        return extremum
    if isinstance(e, sp.sign):
        c0 = _tcompile(e.args[0])

        def sign(env):
            a, ea = c0(env)
            if ea != EXACT and not abs(a) > mpmath.ldexp(1, int(math.ceil(min(ea, 10 ** 6)))):
                return _sign(a), UNKNOWN  # the argument's sign is lost in its error
            return _sign(a), (EXACT if a == 0 or mpmath.im(a) == 0 else _rounding(a))
        return sign
    route = _route(e)
    if route is not None:
        return lambda env: _routed(route, e, env)
    if isinstance(e, AppliedUndef):
        return lambda env: _quantity(e, env, tracked=True)
    if isinstance(e, sp.Function) and type(e) in _FUNCS:
        cs = [_tcompile(a) for a in e.args]
        return lambda env: _track_function(e, [c(env) for c in cs])
    if isinstance(e, sp.KroneckerDelta):
        c = _compiled(e)
        return lambda env: (c(env), EXACT)
    return lambda env: _fallback(e, env)


def _tcompile_atom(e):
    """Exact inputs (symbols, which sample points bind to binary floats; ``I``; infinities;
    integers and floats that fit the working precision) carry no error, the rest one rounding."""
    c = _compiled(e)
    if e.is_Symbol or e is sp.I or e is sp.oo or e is sp.S.NegativeInfinity:
        return lambda env: (c(env), EXACT)
    bits = abs(int(e)).bit_length() if e.is_Integer else e._prec if e.is_Float else None

    def atom(env):
        v = c(env)
        return v, (EXACT if bits is not None and bits <= mp.prec else _rounding(v))
    return atom


def _track_product(parts):
    vals = [p[0] for p in parts]
    v = _product(vals)
    upper = [_lg_sum([_lg(x), ex]) for x, ex in parts]  # log2(|v_j| + e_j)
    if any(u == EXACT for u in upper):
        return v, EXACT  # an exact zero factor
    if any(u == UNKNOWN for u in upper):
        return v, UNKNOWN
    dims = sum(math.log2(x.rows * x.cols) for x in vals if isinstance(x, mpmath.matrix))
    total = sum(upper)
    terms = [ex + total - u for (x, ex), u in zip(parts, upper) if ex != EXACT]
    return v, _lg_sum(terms + [_rounding(v) + math.log2(len(parts))]) + dims


def _tcompile_power(e):
    base, ex = e.args
    cb = _tcompile(base)
    if ex.is_Integer and abs(int(ex)) < 2 ** 20:
        n = int(ex)
        return lambda env: _integer_power(*cb(env), n)
    if ex is sp.S.Half:
        return lambda env: _square_root(*cb(env))
    cx = _tcompile(ex)
    return lambda env: _real_power(*cb(env), *cx(env))


def _integer_power(b, eb, n):
    if n < 0 and b == 0:
        raise Unevaluable("division by zero")
    v = b ** n
    if n == 0:
        return v, EXACT
    err = _rounding(v) + math.log2(abs(n) + 1)
    if eb == EXACT:
        return v, err
    if n > 0:  # |(b+d)^n - b^n| <= n (|b| + |d|)^(n-1) |d|
        return v, _lg_sum([err, math.log2(n) + (n - 1) * _lg_sum([_lg(b), eb]) + eb])
    if eb >= _lg(b) - 2:
        return v, UNKNOWN  # the base may be zero
    return v, _lg_sum([err, _lg(v) + math.log2(-n) + eb - _lg(b) + 1])


def _square_root(b, eb):
    v = mpmath.sqrt(b)
    if eb == EXACT:
        return v, _rounding(v)
    if eb >= _lg(b) - 2:  # |sqrt(b + d) - sqrt(b)| <= 2 sqrt(|b| + |d|)
        return v, _lg_sum([_lg(b), eb]) / 2 + 1
    return v, _lg_sum([_rounding(v), _lg(v) + eb - _lg(b)])


def _real_power(b, eb, x, ex_err):
    v = _power(b, x)
    if eb == EXACT and ex_err == EXACT:
        return v, _rounding(v)
    if b == 0 or eb >= _lg(b) - 2:
        return v, UNKNOWN
    # b^x = exp(x log b): the logarithm of the result moves by |x| e_b/|b| + |log b| e_x
    rel = _lg_sum([_lg(x) + eb - _lg(b), _lg(mpmath.log(b)) + ex_err])
    if rel > -4:
        return v, UNKNOWN
    return v, _lg_sum([_rounding(v), _lg(v) + rel + 1])


def _re_growth(a, v):
    return abs(_float(mpmath.re(a))) * LOG2_E


def _im_growth(a, v):
    return abs(_float(mpmath.im(a))) * LOG2_E


def _one_plus_square(a, v):
    return _lg_sum([0.0, 2 * _lg(v)])


# log2 of a bound on |f'(a)| from the argument and the value, for one-argument functions
_SLOPES = {
    sp.exp: lambda a, v: _lg(v),
    sp.log: lambda a, v: -_lg(a),
    sp.sin: _im_growth, sp.cos: _im_growth,  # |cos a|, |sin a| <= cosh(Im a)
    sp.sinh: _re_growth, sp.cosh: _re_growth,
    sp.tan: _one_plus_square, sp.cot: _one_plus_square,
    sp.tanh: _one_plus_square, sp.coth: _one_plus_square,
    sp.Abs: lambda a, v: 0.0, sp.re: lambda a, v: 0.0, sp.im: lambda a, v: 0.0,
    sp.conjugate: lambda a, v: 0.0, sp.arg: lambda a, v: -_lg(a),
    sp.erf: lambda a, v: 0.2 + _float(mpmath.im(a)) ** 2 * LOG2_E,
    sp.erfc: lambda a, v: 0.2 + _float(mpmath.im(a)) ** 2 * LOG2_E,
    sp.erfi: lambda a, v: 0.2 + _float(mpmath.re(a)) ** 2 * LOG2_E,
}


def _slope(fn, vals, i, ea) -> float:
    """\\(\\log_2\\) of twice a difference quotient of ``fn`` in its argument ``i``, at 20 digits
    (``+inf`` where ``fn`` fails nearby)."""
    with mpmath.workdps(20):
        args = [+x for x in vals]
        h = mpmath.ldexp(1, int(math.floor(max(ea, _lg(args[i]) - 40))))
        try:
            f0 = fn(*args)
            args[i] = args[i] + h
            d = abs(fn(*args) - f0) / h
        except _ERRORS:
            return UNKNOWN
    return _lg(d) + 1


def _track_function(e, parts):
    vals = [p[0] for p in parts]
    kind = type(e)
    fn = _FUNCS[kind]
    if kind is sp.log and len(vals) == 2:
        def fn(a, b):
            return mpmath.log(a) / mpmath.log(b)
    v = fn(*vals)
    if kind in _STEP_FUNCTIONS:
        a, ea = parts[0]
        near = min(abs(mpmath.re(a) - mpmath.floor(mpmath.re(a))), abs(mpmath.ceil(mpmath.re(a)) - mpmath.re(a)))
        return v, (EXACT if ea == EXACT or (near > 0 and _lg(near) > ea + 1) else UNKNOWN)
    err = [_rounding(v)]
    for i, (a, ea) in enumerate(parts):
        if ea == EXACT:
            continue
        if ea > max(_lg(a) - 10, -10):
            return v, UNKNOWN  # the argument is too uncertain for a first-order bound
        slope = _SLOPES[kind](a, v) if len(parts) == 1 and kind in _SLOPES else _slope(fn, vals, i, ea)
        err.append(slope + ea)
    return v, _lg_sum(err)


# -- integrals -------------------------------------------------------------------------------

def _integral(e, env):
    """``(value, log2 error)`` of a definite integral, one limit at a time (innermost first)."""
    limits = list(e.limits)
    if any(len(lim) != 3 for lim in limits):
        raise Unevaluable("indefinite integral")
    if len(limits) > 1:
        return _iterated(e.function, limits, env)
    return _quad(e.function, limits[0], env)


class _Largest:
    """An integrand or term that remembers the largest size it returned: rounding in the
    values a method sums is a floor under its error (cancellation inside the method)."""

    def __init__(self, fn):
        self.fn, self.top = fn, EXACT

    def __call__(self, t):
        v = self.fn(t)
        if not isinstance(v, mpmath.matrix):
            self.top = max(self.top, _lg(v))
        return v

    def rounding(self, slack: float = 4) -> float:
        return self.top - mp.prec + slack


def _integrand(body, var, env, lo, hi):
    r"""``t -> body(var = t)``; where the body cannot be evaluated at a node (0/0), the value
    there is its limit (:func:`_removable`); a body that is a sum whose terms cancel at a node
    is evaluated there again with more bits (:func:`_cancelling_sum`)."""
    code = _cancelling_sum(body) or _compiled(body)

    def f(t):
        local = dict(env)
        local[var] = t
        try:
            return code(local)
        except (ZeroDivisionError, ValueError, Unevaluable):
            return _removable(code, local, var, t, lo, hi)
    return f


CANCELLATION_BITS = 10  # a sum that loses more bits than this to cancellation is evaluated again


def _cancelling_sum(body):
    r"""For a body that is a sum, a closure that evaluates it again with \(2L + 10\) more bits
    where its terms cancel \(L\) bits; ``None`` for other bodies.

    Near an endpoint, an integrand such as \(e^{-t}/t - e^{-xt}/(1-e^{-t})\) (Gauss's integral
    for \(\psi(x)\), DLMF 5.9.12) is the difference of two terms of size \(1/t\), and each
    term's own error grows like \(1/t\) too (\(1-e^{-t}\) cancels inside it): at the nodes
    tanh-sinh puts within \(10^{-30}\) of 0 no digit of the integrand survives, and the
    quadrature kept half the working digits at every precision.  Twice the lost bits restore
    both cancellations of that order; the two-precision rule judges the rest."""
    if not (isinstance(body, sp.Expr) and body.is_Add):
        return None
    terms = [_compiled(a) for a in body.args]

    def total(env):
        vals = [c(env) for c in terms]
        s = _add(vals)
        if any(isinstance(v, mpmath.matrix) for v in vals):
            return s
        lost = max(_lg(v) for v in vals) - _lg(s)
        if lost > CANCELLATION_BITS:
            with mpmath.extraprec(int(min(2 * lost, 4 * mp.prec)) + 10):
                s = _add([c(env) for c in terms])
            s = +s
        return s
    return total


def _removable(code, env, var, t, lo, hi):
    r"""The integrand's limit at a node ``t`` where it cannot be evaluated, approached from
    each side of ``t`` that lies inside ``[lo, hi]`` (mpmath's ``limit``: Richardson
    extrapolation of \(f(t \pm w/k)\), \(w\) a quarter of the room to the nearer end).

    Tanh-sinh puts a node at the midpoint: \(\int_{-\pi/2}^{\pi/2} x/\sin x\,dx\) asks for
    \(0/0\) there.  A removable singularity has one limit; a jump or a pole, whose one-sided
    limits differ or do not settle, is a singularity and the integral is not evaluated."""
    room = [r for r in (t - lo, hi - t) if r > 0]
    if not room:
        raise Unevaluable(f"integrand undefined at {mpmath.nstr(t, 8)}")
    w = min(min(room), 1) / 4

    def one_sided(direction, terms):
        def g(u):
            local = dict(env)
            local[var] = t + direction * w * u
            return code(local)
        return mpmath.limit(g, 0, direction=1, maxterms=terms)

    directions = [d for d, r in ((1, hi - t), (-1, t - lo)) if r > 0]
    with mpmath.workdps(15):  # a pole or a jump shows at 15 digits, before the costly limits
        rough = _agreeing_sides([one_sided(d, 40) for d in directions], t)
    value = _agreeing_sides([one_sided(d, 2 * mp.dps + 40) for d in directions] + [rough], t, 10)
    return value


def _agreeing_sides(sides, t, digits=None):
    """The common value of limits of the integrand at ``t`` (the last may be a 15-digit one), or
    :class:`Unevaluable` when they are infinite or differ (to half the working digits, or
    ``digits``): a pole's extrapolations do not settle, a jump's sides differ."""
    scale = max(abs(s) for s in sides)
    tol = scale * mpmath.mpf(10) ** -(digits or mp.dps // 2)
    if not all(mpmath.isfinite(s) for s in sides) or any(abs(s - sides[0]) > tol for s in sides):
        raise Unevaluable(f"the integrand has a singularity at {mpmath.nstr(t, 8)}")
    return sides[0]


def _quad(body, limit, env, strict: bool = True):
    """``(value, log2 error)`` of one definite integral; with ``strict=False`` (an inner
    integral of :func:`_iterated`) a quadrature that did not converge returns its value with
    its own estimate instead of failing."""
    var, lo_e, hi_e = limit
    lo, hi = _eval(lo_e, env), _eval(hi_e, env)
    if body.has(*_STEP_FUNCTIONS):
        pieces = _step_integral(body, var, lo, hi, env)
        if pieces is not None:
            return pieces
    f = _Largest(_integrand(body, var, env, lo, hi))
    if mpmath.isinf(lo) or mpmath.isinf(hi):
        omega = _frequency(body, var, env)
        if omega is not None:
            value = _oscillatory(f, lo, hi, omega)
            return value, _lg_sum([_rounding(value), f.rounding(20)])
    value, err = mpmath.quad(f, [lo, hi], error=True)
    if strict and not _converged(value, err):
        raise Unevaluable(f"quadrature did not converge (error estimate {mpmath.nstr(err, 2)} "
                          f"at {mp.dps} digits)")
    # symmetric nodes can cancel an odd integrand to an exact 0 with an estimate of 0: the
    # rounding of the largest value is the floor (over a finite range, times its length)
    span = _lg(hi - lo) if mpmath.isfinite(hi - lo) else 4
    return value, _lg_sum([_lg(err), _rounding(value), f.rounding() + max(span, 0)])


def _form(cache: dict, build, body, var):
    """``build(body, var)``, remembered in ``cache`` (the form of a body is read once, not at
    every point and precision)."""
    key = (body, var)
    if key not in cache:
        if len(cache) > 256:
            cache.clear()
        cache[key] = build(body, var)
    return cache[key]


_STEP_FORMS: dict = {}
_STEP_PIECES = 400  # pieces integrated one by one; more, between finite ends, is not this route's


def _step_form(body, var):
    r"""``(a, b, c, d, k, body_k)`` when every floor and ceiling in ``body`` that depends on
    ``var`` is of one linear-fractional \(u = (a\,var + b)/(c\,var + d)\) with \(ad \ne bc\):
    ``body_k`` is ``body`` with \(\lfloor u\rfloor = k\) and \(\lceil u\rceil = k + 1\), their values
    where \(k < u < k + 1\); ``None`` for other bodies."""
    steps = [f for f in body.atoms(*_STEP_FUNCTIONS) if f.has(var)]
    if not steps or len({f.args[0] for f in steps}) != 1:
        return None
    num, den = sp.fraction(sp.cancel(sp.together(steps[0].args[0])))
    if not (num.is_polynomial(var) and den.is_polynomial(var)):
        return None
    pn, pd = sp.Poly(num, var), sp.Poly(den, var)
    if pn.degree() > 1 or pd.degree() > 1:
        return None
    a, b, c, d = pn.coeff_monomial(var), pn.coeff_monomial(1), pd.coeff_monomial(var), pd.coeff_monomial(1)
    if sp.expand(a * d - b * c) == 0:
        return None  # u does not depend on var
    k = sp.Dummy("k")
    body_k = body.xreplace({f: k if isinstance(f, sp.floor) else k + 1 for f in steps})
    if any(f.has(var) for f in body_k.atoms(*_STEP_FUNCTIONS)):
        return None  # a step function of a step function
    return a, b, c, d, k, body_k


def _step_integral(body, var, lo, hi, env):
    r"""\(\int_{lo}^{hi}\) of a body with jumps where a linear-fractional \(u(var)\) crosses an
    integer (:func:`_step_form`), split at the jumps: \(u\) is monotone between its pole and the
    ends, so on each piece where \(k < u < k + 1\) the floor is the constant \(k\) and the
    integrand is smooth; the pieces are integrated one by one and, when \(u\) is unbounded on the
    range (the pole at an end), their integrals are a series in \(k\), summed directly when it
    converges geometrically (:func:`_direct_sum`), else by Euler--Maclaurin
    (:func:`_euler_maclaurin`, its tail the integral of the pieces over \(k\) taken as
    \(k = M/w\)).  Extrapolation (``nsum``) would work at about four times the precision, which
    every piece's quadrature pays for: three times the cost, at 60 digits.

    Tanh-sinh over the whole range never converges on infinitely many jumps:
    \(\int_0^1 (1/x - \lfloor 1/x\rfloor)\,dx = 1 - \gamma\) has one at every \(1/k\), and is the
    series \(\sum_{k\ge1}\int_{1/(k+1)}^{1/k}(1/x - k)\,dx\).  ``(value, log2 error)``, or ``None``
    when the body is not of this form, the pole of \(u\) lies inside the range, \(u\) is unbounded
    at both ends, or the pieces between finite ends are too many."""
    form = _form(_STEP_FORMS, _step_form, body, var)
    if form is None or mpmath.im(lo) != 0 or mpmath.im(hi) != 0 or not lo < hi:
        return None
    a, b, c, d = (_eval(v, env) for v in form[:4])
    k, code = form[4], _compiled(form[5])
    if any(mpmath.im(v) != 0 for v in (a, b, c, d)) or (c != 0 and lo < -d / c < hi):
        return None

    def end(t, inside):  # u as var -> t from inside the range
        if mpmath.isinf(t):
            return a / c if c != 0 else mpmath.inf * mpmath.sign(a * d * t)
        if c * t + d != 0:
            return (a * t + b) / (c * t + d)
        return mpmath.inf * mpmath.sign((a * t + b) * c) * inside

    u_lo, u_hi = end(lo, 1), end(hi, -1)
    if u_lo == u_hi or mpmath.isinf(u_lo) and mpmath.isinf(u_hi):
        return None
    at = {u_lo: lo, u_hi: hi}
    flip = -1 if u_hi < u_lo else 1  # u decreasing: the pieces run from hi to lo
    worst = [EXACT]  # the largest error estimate of a piece's quadrature

    def piece(kv, u0, u1, smooth=False):  # the integral where u runs from u0 to u1
        ends = [at[u] if u in at else (b - d * u) / (c * u - a) for u in (u0, u1)]
        local = dict(env)
        local[k] = kv

        def f(t):
            local[var] = t
            return code(local)
        if smooth:  # a whole piece, away from the ends: Clenshaw-Curtis, with quad if it is not smooth
            try:
                return flip * _clenshaw_curtis(f, *ends)
            except Unevaluable:
                pass
        v, err = mpmath.quad(f, ends, error=True)
        if not _converged(v, err):
            raise Unevaluable(f"quadrature did not converge between the jumps at {var} = "
                              f"{mpmath.nstr(ends[0], 8)} and {mpmath.nstr(ends[1], 8)}")
        worst[0] = max(worst[0], _lg(err))
        return flip * v

    m, top = min(u_lo, u_hi), max(u_lo, u_hi)
    if mpmath.isinf(m) or mpmath.isinf(top):
        down = mpmath.isinf(m)  # the pieces run to k -> -oo
        first = mpmath.ceil(top) - 1 if down else mpmath.floor(m)
        head = piece(first, first, top) if down else piece(first, m, first + 1)
        step = -1 if down else 1

        def term(j):
            kv = first + step * j
            return piece(kv, kv, kv + 1, smooth=True)
        term = _Largest(term)

        def beyond(start):  # the pieces' integral over k >= start, as k = start/w: smooth near w = 0
            v, e = mpmath.quad(lambda w: term(start / w) * start / (w * w), [0, 1], error=True)
            if not _converged(v, e):
                raise ValueError(f"the integral of the pieces beyond k = {start} does not converge")
            return v
        tail, err = _direct_sum(term, 1) or _euler_maclaurin(term, 1, beyond, "")
        value, count, errs = head + tail, 1, [err]
    else:
        count = int(mpmath.ceil(top) - mpmath.floor(m))
        if count > _STEP_PIECES:
            return None
        ks = [mpmath.floor(m) + i for i in range(count)]
        value, errs = _add([piece(kv, max(kv, m), min(kv + 1, top)) for kv in ks]), []
    return value, _lg_sum(errs + [worst[0] + math.log2(count + 1), _rounding(value)])


def _converged(value, err) -> bool:
    r"""``quad``'s own error estimate is small: relative error below \(10^{-\mathrm{dps}/3}\) (or
    absolute below \(10^{-2\mathrm{dps}/3}\) for a vanishing integral).

    A quadrature that stops at its maximal degree without converging returns the *same* wrong
    value at every precision that uses that degree: \(\int_0^1|x-1/3|\,dx\) came out
    \(5/18 - 2.0\cdot10^{-7}\) at 80 and at 140 digits, and the two-precision rule took that
    for a confirmed counterexample to a true identity.  Such a value is no value."""
    eps = mpmath.mpf(10) ** (-mp.dps / 3)
    return err <= eps * abs(value) or err <= eps * eps


def _frequency(body, var, env):
    r"""The angular frequency \(\omega\) of the oscillating factors of ``body`` in ``var``:
    \(\sin, \cos\) of \(\omega x + \varphi\), \(e^{\pm i\omega x + \dots}\), Bessel \(J_\nu, Y_\nu\) of
    \(\omega x\); ``None`` when there is none or they oscillate at different frequencies."""
    found = set()
    for node in sp.preorder_traversal(body):
        if isinstance(node, (sp.sin, sp.cos)):
            arg, imaginary = node.args[0], False
        elif isinstance(node, (sp.besselj, sp.bessely)):
            arg, imaginary = node.args[1], False
        elif isinstance(node, sp.exp):
            arg, imaginary = node.args[0], True
        else:
            continue
        if not arg.has(var):
            continue
        slope = sp.diff(arg, var)
        if slope.has(var):
            if imaginary:
                continue
            return None  # sin(x^2): not periodic
        try:
            c = _eval(slope, env)
        except (Unevaluable,) + _ERRORS:
            return None
        w = abs(mpmath.im(c)) if imaginary else c
        if imaginary and mpmath.re(c) != 0 or w == 0 or (not imaginary and mpmath.im(w) != 0):
            continue
        found.add(abs(mpmath.re(w)))
    if len(found) != 1:
        return None
    return found.pop()


def _oscillatory(f, lo, hi, omega):
    r"""\(\int f\) over an infinite range for an integrand oscillating at frequency \(\omega\):
    the integrals over consecutive half periods \(\pi/\omega\) form a series whose terms
    alternate and shrink slowly (\(\int_0^\infty \cos x/(x^2+1)\,dx\): like \(2/(k\pi)^2\)), and
    Levin's transformation (``nsum(method='levin')``) sums it from about a hundred terms where
    tanh-sinh over the whole range never converges.  The first piece, which may hold an
    endpoint singularity, goes to ``quad``; the others are smooth, and Clenshaw--Curtis
    (:func:`_clenshaw_curtis`) integrates them with a few dozen values each.  A range infinite
    at both ends is split at 0."""
    if mpmath.isinf(lo) and mpmath.isinf(hi):
        return _oscillatory(f, 0, hi, omega) + _oscillatory(lambda t: f(-t), 0, -lo, omega)
    if mpmath.isinf(lo):
        return _oscillatory(lambda t: f(-t), -hi, -lo, omega)
    h = mpmath.pi / omega
    prec = _term_precision()

    def piece(k):
        with mpmath.workprec(prec):
            a = lo + int(k) * h
            if k == 0:
                return mpmath.quad(f, [a, a + h])
            return _clenshaw_curtis(f, a, a + h)
    return mpmath.nsum(piece, [0, mpmath.inf], method="levin")


def _term_precision() -> int:
    """The precision for the pieces of :func:`_oscillatory`: a quarter above the working one.
    ``nsum`` raises the precision about fourfold while it extrapolates, which a piece that is a
    quadrature would pay for in full; Levin's transformation needs its terms only a little more
    accurate than its result (measured: full accuracy at 25 to 80 digits; Richardson's, which
    amplifies errors far more, does not settle on such terms)."""
    return mp.prec * 5 // 4 + 10


_CC_RULES: dict = {}


def _cc_rule(n: int):
    r"""Nodes \(\cos(k\pi/n)\), \(k = 0..n\), and Clenshaw--Curtis weights on \([-1, 1]\) for even
    \(n\) (Trefethen's ``clencurt``), cached per precision."""
    key = (n, mp.prec)
    if key not in _CC_RULES:
        c = [mpmath.cospi(mpmath.mpf(m) / n) for m in range(2 * n)]
        weights = [mpmath.mpf(1) / (n * n - 1)]
        for k in range(1, n):
            v = 1 - c[(n * k) % (2 * n)] / (n * n - 1)
            v -= mpmath.fsum(2 * c[(2 * j * k) % (2 * n)] / (4 * j * j - 1) for j in range(1, n // 2))
            weights.append(2 * v / n)
        weights.append(weights[0])
        if len(_CC_RULES) > 64:
            _CC_RULES.clear()
        _CC_RULES[key] = (c[:n + 1], weights)
    return _CC_RULES[key]


def _clenshaw_curtis(f, a, b, top: int = 1024):
    r"""\(\int_a^b f\) by Clenshaw--Curtis rules on \(n = 16, 32, \dots\) points: each rule reuses
    the previous one's values (its nodes are every other node of the next), and the answer is
    the first rule within \(2^{-\mathrm{prec}}\) of the one before.  For a function analytic near
    \([a, b]\) the error falls geometrically with \(n\), so a smooth piece costs a few dozen
    values where tanh-sinh spends hundreds.  Not converging by ``top`` points is an error."""
    mid, half = (a + b) / 2, (b - a) / 2
    n = 16
    nodes, _ = _cc_rule(n)
    values = [f(mid + half * x) for x in nodes]
    total = None
    while n <= top:
        nodes, weights = _cc_rule(n)
        estimate = half * mpmath.fsum(w * v for w, v in zip(weights, values))
        if total is not None and abs(estimate - total) <= mp.eps * max(abs(estimate), 1) * 4:
            return estimate
        total, n = estimate, 2 * n
        if n <= top:
            finer, _ = _cc_rule(n)
            new = [f(mid + half * finer[k]) for k in range(1, n, 2)]
            values = [values[k // 2] if k % 2 == 0 else new[k // 2] for k in range(n + 1)]
    raise Unevaluable(f"Clenshaw-Curtis did not converge on [{mpmath.nstr(a, 6)}, {mpmath.nstr(b, 6)}]")


def _iterated(body, limits, env, strict: bool = True):
    r"""\(\int\cdots\int\) by iterated quadrature, innermost limit first (limits may depend on
    the outer variables).  The error is the outer quadrature's estimate plus the inner errors
    weighted as the outer rule weights them (:func:`_node_weight`), summed over its nodes (or,
    over an infinite outer range, the largest relative inner error times the result).

    Over a finite outer range an inner integral need not converge everywhere: in
    \(\int_0^1\int_0^1 dx\,dy/(1-xy) = \pi^2/6\) the inner integrand at the outer node
    \(y = 1 - 10^{-60}\) has a pole \(10^{-60}\) beyond its end, and its quadrature keeps only
    11 digits there; the outer rule weights that node by about \(10^{-58}\), so it costs the
    sum nothing at 50 digits.  Inner values without any digit are no values."""
    *inner, (var, lo_e, hi_e) = limits
    lo, hi = _eval(lo_e, env), _eval(hi_e, env)
    finite = mpmath.isfinite(hi - lo)
    worst = {"abs": EXACT, "rel": EXACT, "top": EXACT, "weighted": EXACT, "nodes": 0}

    def g(t):
        local = dict(env)
        local[var] = t
        v, err = _iterated(body, inner, local, not finite) if len(inner) > 1 else \
            _quad(body, inner[0], local, not finite)
        if err >= _lg(v):
            raise Unevaluable(f"an inner integral keeps no digit at {var} = {mpmath.nstr(t, 8)}")
        worst["abs"] = max(worst["abs"], err)
        worst["rel"] = max(worst["rel"], err - _lg(v))
        worst["top"] = max(worst["top"], _lg(v))
        if finite:
            worst["weighted"] = max(worst["weighted"], err + _node_weight(t, lo, hi))
        worst["nodes"] += 1
        return v

    value, err = mpmath.quad(g, [lo, hi], error=True)
    if strict and not _converged(value, err):
        raise Unevaluable(f"quadrature did not converge (error estimate {mpmath.nstr(err, 2)} "
                          f"at {mp.dps} digits)")
    inner_err = worst["weighted"] + math.log2(worst["nodes"] + 1) if finite else worst["rel"] + _lg(value) + 4
    floor = worst["top"] - mp.prec + 4 + (max(_lg(hi - lo), 0) if finite else 4)
    return value, _lg_sum([_lg(err), inner_err, _rounding(value), floor])


def _node_weight(t, lo, hi) -> float:
    r"""\(\log_2\) of a bound on the tanh-sinh weight of a node \(t\) of \([lo, hi]\) at distance
    \(d\) from its nearer end: on \([-1, 1]\) the node \(\tanh(\tfrac\pi2\sinh u)\) has weight
    \(h\tfrac\pi2\cosh u/\cosh^2(\tfrac\pi2\sinh u) \approx h\,d\,\ln(2/d)\) with the step
    \(h \le 1\); scaled, \(w \le d\,(2 + \ln((hi-lo)/d))\), never above \(hi - lo\)."""
    span = hi - lo
    d = min(abs(t - lo), abs(hi - t))
    if d == 0:
        return _lg(span)
    return min(_lg(span), _lg(d) + math.log2(2 + max(0.0, float(mpmath.log(span / d)))))


# -- series and products -----------------------------------------------------------------------

_DIRECT_TERMS = 20000


def _sum(e, env):
    """``(value, log2 error)`` of a sum or product over its limits (:func:`_series`)."""
    return _series(e.function, list(e.limits), env, isinstance(e, sp.Product))


def _series(body, limits, env, is_product):
    r"""\(\sum\) (or \(\prod\)) over the outermost limit of the series over the inner ones.

    SymPy stores nested sums flattened, innermost limit first, so the term of the outer series
    is a whole inner series: a double series such as \(\sum_j\sum_k x^jy^k/(j!k!) = e^{x+y}\)
    is summed one dimension at a time, each by the route its terms call for."""
    *inner, (var, lo_e, hi_e) = limits
    lo, hi = _eval(lo_e, env), _eval(hi_e, env)
    if not inner and not is_product and mpmath.isinf(hi) and not mpmath.isinf(lo) and lo == int(lo):
        lerch = _lerch_series(body, var, int(lo), env)
        if lerch is not None:
            return lerch
    code = None if inner else _compiled(body)
    errs = [EXACT]

    def term(n):
        local = dict(env)
        local[var] = mpmath.mpmathify(n)  # complex n: Euler-Maclaurin takes Taylor coefficients
        if inner:  # at the precision the outer method asks for: extrapolation amplifies errors
            v, err = _series(body, inner, local, is_product)
            errs.append(err)
            return v
        return code(local)

    term = _Largest(term)
    key = (body, tuple(limits), tuple(sorted((str(k), v) for k, v in env.items())))
    value, err = _one_series(term, lo, hi, is_product, key)
    inner_err = max(errs) + (_lg(hi - lo + 1) if mpmath.isfinite(hi - lo) else 8)
    return value, _lg_sum([err, inner_err, _rounding(value)])


_LERCH_FORMS: dict = {}
# what SymPy raises where a rewrite does not apply (never a bare Exception: a caller's alarm may be one)
_SYMPY_ERRORS = (NotImplementedError, ValueError, TypeError, AttributeError, sp.PolynomialError)


def _lerch_series(body, var, lo: int, env):
    r"""A trigonometric series with rational coefficients, \(\sum_{n\ge lo} R(n)\,e^{i\omega n}\)
    (\(\cos n x\), \(\sin n x\), \((-1)^n\) as such exponentials), by Lerch's transcendent
    (DLMF 25.14.1): with \(R(n) = \sum_j c_j/(n - r_j)^{k_j}\) in partial fractions and
    \(z = e^{i\omega}\),
    \(\sum_{n\ge lo} z^n/(n - r)^k = z^{lo}\,\Phi(z, k, lo - r)\).

    ``nsum`` extrapolates such series badly when they oscillate slowly: \(\sum\cos(nx)/n^2\) at
    \(x = 0.1\) (a period of 63 terms) kept 37 of 60 digits, in seconds; mpmath's \(\Phi\)
    continues analytically to \(|z| = 1\).  ``(value, log2 error)``, or ``None`` when the body is
    not of this form, a frequency is 0 here (the series is not oscillating: the other routes
    sum it), \(|z| > 1\), or a complex shift \(r\) (\(n^2 + 1\): ``nsum`` is faster there)."""
    form = _form(_LERCH_FORMS, _lerch_form, body, var)
    if form is None:
        return None
    parts = []
    for frequency, c, r, k in form:
        z = mpmath.exp(_eval(frequency, env))
        if abs(z) > 1 or abs(z - 1) < mpmath.mpf(2) ** (-mp.prec // 2):
            return None
        a = lo - _eval(r, env)
        if mpmath.im(a) != 0:
            return None  # mpmath's Phi at complex a takes seconds where nsum takes one
        if a <= 0 and a == int(a):
            raise Unevaluable(f"a term of the series has a pole at {var} = {mpmath.nstr(lo - a, 8)}")
        parts.append(_eval(c, env) * z ** lo * mpmath.lerchphi(z, k, a))
    value = _add(parts)
    if _lerch_real(body, var, env):
        value = mpmath.re(value)
    return value, _lg_sum([_rounding(value)] + [_rounding(x) + 2 for x in parts])


def _lerch_real(body, var, env) -> bool:
    """The series' terms are real (checked at two of them): its Lerch sum's imaginary part is rounding."""
    code = _compiled(body)
    for n in (3, 4):
        local = dict(env)
        local[var] = mpmath.mpf(n)
        try:
            if mpmath.im(code(local)) != 0:
                return False
        except (Unevaluable,) + _ERRORS:
            return False
    return True


def _lerch_form(body, var):
    r"""``[(i*omega, c, r, k)]`` with \(\text{body} = \sum c\,e^{i\omega n}/(n - r)^k\) as SymPy
    expressions free of ``var`` (\(i\omega\) is the logarithm of \(z\)), or ``None``."""
    n = var
    try:
        e = sp.expand(body.replace(lambda f: isinstance(f, (sp.sin, sp.cos)) and f.has(n),
                                   lambda f: f.rewrite(sp.exp)))
    except _SYMPY_ERRORS:  # a rewrite SymPy cannot do: not this form
        return None
    groups: dict = {}
    for t in sp.Add.make_args(e):
        num, den = sp.fraction(t)
        # expand puts exponentials into denominators (1/(2 n^2 e^{inx} + 2 e^{inx})): out again
        factors = sp.Mul.make_args(num) + tuple(1 / f for f in sp.Mul.make_args(sp.factor_terms(den)))
        c, log_z, rational = sp.S.One, sp.S.Zero, sp.S.One
        for f in factors:
            if not f.has(n):
                c *= f
                continue
            base, ex = f.as_base_exp()
            if isinstance(f, sp.exp):
                base, ex = sp.E, f.args[0]
            if ex.has(n) and not base.has(n):
                slope = sp.diff(ex, n)
                if slope.has(n):
                    return None
                log_z += slope * sp.log(base)
                c *= base ** sp.expand(ex - slope * n)
            elif f.is_rational_function(n):
                rational *= f
            else:
                return None
        log_z = sp.expand(log_z)
        if log_z == 0 or not (log_z / sp.I).is_extended_real or (log_z / (sp.I * sp.pi)).is_integer:
            return None  # not oscillating, |z| != 1, or alternating (z = -1): the other routes
        groups[log_z] = groups.get(log_z, sp.S.Zero) + c * rational
    out = []
    for log_z, r_n in groups.items():
        try:
            fractions = sp.apart(sp.together(r_n), n, full=True).doit()
        except _SYMPY_ERRORS:
            return None
        for t in sp.Add.make_args(fractions):
            c, dep = t.as_independent(n, as_Add=False)
            base, ex = dep.as_base_exp()
            if not (ex.is_Integer and ex < 0):
                return None  # a polynomial part: the series diverges
            slope = sp.diff(base, n)
            if slope.has(n) or slope == 0:
                return None  # not a linear factor
            root = -base.subs(n, 0) / slope
            out.append((log_z, c / slope ** (-ex), root, int(-ex)))
    return out or None


def _one_series(term, lo, hi, is_product, key):
    if not is_product and mpmath.isinf(hi) and not mpmath.isinf(lo) and lo == int(lo):
        direct = _direct_sum(term, int(lo))
        if direct is not None:
            return direct
    if mpmath.isinf(hi) or mpmath.isinf(lo):
        if is_product:
            value = mpmath.nprod(term, [lo, hi])
            return value, _rounding(value) + 20
        if not mpmath.isinf(lo) and lo == int(lo) and _nsum_fails(key, term, lo):
            return _euler_maclaurin(term, lo)
        value = mpmath.nsum(term, [lo, hi])
        return value, term.rounding(20)
    if hi < lo:
        return mpmath.mpf(1 if is_product else 0), EXACT
    if hi - lo + 1 > _DIRECT_TERMS:
        value = mpmath.nprod(term, [lo, hi]) if is_product else mpmath.nsum(term, [lo, hi])
        return value, _lg_sum([_rounding(value) + 20, term.rounding(20)])
    vals = [term(n) for n in range(int(lo), int(hi) + 1)]
    if is_product:
        value = _product(vals) if vals else mpmath.mpf(1)
        return value, _rounding(value) + math.log2(len(vals) + 1)
    value = _add(vals)
    return value, _lg_sum([_rounding(value), term.rounding(math.log2(len(vals) + 1) + 1)])


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
    except (Unevaluable,) + _ERRORS:
        return None
    if isinstance(a, mpmath.matrix) or a == 0 or abs(b) > abs(a) * _GEOMETRIC:
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
    total = +total
    return total, _lg_sum([_rounding(total), term.rounding(math.log2(n - lo + 1) - 30)])


_NSUM_FAILS: dict = {}


def _nsum_fails(key, term, lo) -> bool:
    """``nsum`` does not converge on this series at 15 digits (remembered per series and
    point: the comparison asks again at each precision).

    On slowly convergent series (\\(\\sum 1/(n\\ln^2 n)\\)) ``nsum`` silently returns values
    that change with the precision (1.91, 1.94, 2.02 for 2.1097...), taking seconds each; at
    15 digits its ``strict`` mode says so in a fraction of a second."""
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


def _euler_maclaurin(term, lo, tail=None, why: str = "nsum does not converge and "):
    """The series by a direct sum plus an Euler--Maclaurin tail (``tail(M)``, the integral of
    the terms from ``M`` on, if given); its cut-off depends on the precision, so the
    two-precision rule cross-checks the tail model."""
    from numeric.series import euler_maclaurin_mp
    try:
        value, remainder = euler_maclaurin_mp(term, int(lo), mp.dps, tail=tail)
    except ValueError as exc:
        raise Unevaluable(f"{why}Euler-Maclaurin fails: {exc}") from None
    return value, _lg_sum([_rounding(value), _lg(remainder), term.rounding(20)])


# -- limits and derivatives --------------------------------------------------------------------

def _limit(e, env):
    r"""\(\lim_{z\to z_0} f(z)\) by mpmath's ``limit``: Richardson extrapolation of
    \(f(z_0 \pm 1/k)\) (of \(f(\pm k)\) at infinity), which assumes \(f\) expands in powers of
    \(1/k\) (\(\lim_{s\to1}\zeta(s)-1/(s-1)=\gamma\)), or of \(f(z_0 \pm 2^{-k})\) where that
    model fails (:func:`_limit_sampling`: \(x\log x\), \(x^{-q}\) at infinity).  ``dir='+'``
    approaches from the right, ``'-'`` from the left; ``'+-'`` takes both and requires them to
    agree.  The result carries no error estimate of its own: the rounding of the largest value
    it extrapolated from is its floor, and the two-precision rule judges the rest (a limit
    that neither sampling models moves with the precision and stays unknown)."""
    body, z, z0, direction = e.args
    at = _eval(z0, env)
    code = _compiled(body)

    def f(t):
        local = dict(env)
        local[z] = t
        return code(local)

    f = _Largest(f)
    sides = (0,) if mpmath.isinf(at) else {"+": (1,), "-": (-1,), "+-": (1, -1)}[str(direction)]
    values = []
    for d in sides:
        kw = {} if d == 0 else {"direction": d}
        exp = _limit_sampling((e, d, tuple(sorted((str(k), v) for k, v in env.items()))), f, at, kw)
        # a limit the model fits settles within about 2 dps terms (zeta at 60 digits: 100): more
        # only wait, at quadratic cost, for one it does not fit
        seen = _Recorded(f)
        values.append(mpmath.limit(seen, at, exp=exp, maxterms=2 * mp.dps + 40, **kw))
        seen.approach(values[-1])
    value = values[0]
    if len(values) == 2 and abs(values[0] - values[1]) > mpmath.ldexp(
            1, int(f.rounding(mp.prec // 2))) + abs(value) * mpmath.mpf(10) ** (-mp.dps // 2):
        raise Unevaluable("the one-sided limits differ")
    if not mpmath.isfinite(value):
        raise Unevaluable("the limit is not finite")
    return value, _lg_sum([_rounding(value), f.rounding(20)])


class _Recorded:
    """A function that keeps the values it returned, in order (the sequence a limit extrapolates)."""

    def __init__(self, fn):
        self.fn, self.values = fn, []

    def __call__(self, t):
        v = self.fn(t)
        self.values.append(v)
        return v

    def approach(self, limit):
        r"""Raise :class:`Unevaluable` unless the sampled values come closer to ``limit``: the
        farthest of the last quarter of them must be no farther than the farthest of the first
        quarter.  Extrapolation has an *antilimit* for sequences that diverge geometrically:
        Shanks's transformation of \(f(-1/k) = e^{k}\), the samples of
        \(\lim_{x\to0^-}e^{-1/x}\) (which is \(+\infty\)), is \(0\), at every precision."""
        n = len(self.values) // 4
        if n < 2:
            return
        first = max(abs(v - limit) for v in self.values[:n])
        last = max(abs(v - limit) for v in self.values[-n:])
        if last > first:
            raise Unevaluable("the sampled values move away from the extrapolated limit (it diverges)")


_LIMIT_SAMPLING: dict = {}


def _limit_sampling(key, f, at, kw) -> bool:
    r"""Whether to sample the limit at exponentially spaced points: at 15 digits, the two
    samplings of mpmath's ``limit`` agree (to 10 digits of the largest value seen) when \(f\)
    expands in powers of \(1/k\); when they do not, the exponential one is the model that can
    still work (remembered per limit and point: the comparison asks again at each precision)."""
    if key not in _LIMIT_SAMPLING:
        with mpmath.workdps(15):
            top = f.top
            # 40 terms settle 15 digits of a limit that the model fits; more only wait for one it does not
            plain, spaced = (mpmath.limit(f, at, maxterms=40, **kw), mpmath.limit(f, at, exp=True, maxterms=40, **kw))
            scale = mpmath.ldexp(1, int(max(f.top, _lg(plain), -1000)))
            f.top = top
            _LIMIT_SAMPLING[key] = bool(abs(plain - spaced) > scale * mpmath.mpf(10) ** -10)
        if len(_LIMIT_SAMPLING) > 256:
            _LIMIT_SAMPLING.pop(next(iter(_LIMIT_SAMPLING)))
    return _LIMIT_SAMPLING[key]


def _derivative(e, env):
    body = e.expr
    variables = list(e.variable_count)
    if len(variables) != 1:
        raise Unevaluable("mixed partial derivatives are not evaluated numerically")
    var, order = variables[0]
    if var not in env:
        raise Unevaluable(f"no value for {var}")
    code = _compiled(body)

    def f(t):
        local = dict(env)
        local[var] = t
        return code(local)

    f = _Largest(f)
    value = mpmath.diff(f, env[var], int(order))
    return value, _lg_sum([_rounding(value) + 10, f.rounding(10)])


# -- quantities supplied by post code ------------------------------------------------------------

def _sympy_number(arg, v):
    """The argument of an ``exact`` quantity as a SymPy number: the node itself when it is a
    number, an ``Integer`` for an integer value, else a ``Float`` holding the binary value."""
    if isinstance(arg, sp.Basic) and arg.is_Number:
        return arg
    if mpmath.im(v) == 0:
        r = mpmath.re(v)
        if r == int(r):
            return sp.Integer(int(r))
        return sp.Float(r, mp.dps)
    return sp.Float(mpmath.re(v), mp.dps) + sp.I * sp.Float(mpmath.im(v), mp.dps)


_EXACT_FORMS: dict = {}


def _exact_form(kind, exact, args, vals):
    r"""``(expression, env)`` to walk for ``exact(*args)``.  Integer values and number nodes are
    passed as SymPy numbers; the other arguments first as symbols bound to their values in
    ``env``, so that the walk sees the expression's structure: SymPy evaluates a function of a
    ``Float`` at once, at the ``Float``'s precision, and \(\cosh t - \sinh t\) at \(t = 680.29\)
    would arrive as an exact-looking 0.  Where ``exact`` cannot take a symbol, it gets the
    ``Float`` s themselves."""
    numbers = [_sympy_number(a, v) for a, v in zip(args, vals)]
    free = [i for i, n in enumerate(numbers) if not n.is_Integer and not (isinstance(args[i], sp.Basic) and args[i].is_Number)]
    key = (kind, tuple(n if i not in free else bool(mpmath.im(vals[i]) == 0) for i, n in enumerate(numbers)))
    if key not in _EXACT_FORMS:
        symbols = {i: sp.Dummy(f"a{i}", real=bool(mpmath.im(vals[i]) == 0)) for i in free}
        try:
            form = exact(*[symbols.get(i, n) for i, n in enumerate(numbers)])
            form = sp.sympify(form) if not isinstance(form, sp.MatrixBase) else form
        except Exception:  # post code that needs numbers (comparisons, int()): Floats below
            form, symbols = None, {}
        if len(_EXACT_FORMS) > 256:
            _EXACT_FORMS.clear()
        _EXACT_FORMS[key] = (form, symbols)
    form, symbols = _EXACT_FORMS[key]
    if form is None:
        return exact(*numbers), {}
    return form, {sym: vals[i] for i, sym in symbols.items()}


def _quantity(e, env, tracked: bool):
    r"""A quantity supplied by post code: an applied undefined function created as
    ``sp.Function(name, evaluator=f)`` or ``sp.Function(name, exact=g)`` (SymPy keeps such
    keywords as class attributes).  ``f(*args)`` receives the arguments evaluated to mpmath
    numbers and is called at the working precision (it returns an ``mpf``/``mpc`` or an mpmath
    matrix); ``g(*args)`` receives them as SymPy numbers (``Integer`` for integer values; the
    others as symbols bound to their values where ``g`` allows, :func:`_exact_form`) and
    returns a SymPy expression, which is walked like the claim's own, its errors tracked.  An
    evaluator's error: the rounding of its value and, for arguments that carry errors, their
    bounds times a difference quotient.  Any other undefined function has no value."""
    kind = type(e)
    evaluator, exact = getattr(kind, "evaluator", None), getattr(kind, "exact", None)
    if not callable(evaluator) and not callable(exact):
        raise Unevaluable(f"no numeric value for {kind.__name__}")
    parts = [_track(a, env) if tracked else (_eval(a, env), EXACT) for a in e.args]
    vals = [p[0] for p in parts]
    if not callable(evaluator):
        form, local = _exact_form(kind, exact, e.args, vals)
        if not tracked:
            return _eval(form, local), EXACT
        v, err = _track(form, local)
        if any(ea != EXACT for _, ea in parts):  # arguments with errors: through the same form
            def fn(*xs):
                f2, l2 = _exact_form(kind, exact, e.args, xs)
                return _eval(f2, l2)
            return v, _argument_errors(fn, parts, vals, v, err)
        return v, err

    def fn(*xs):
        return _checked_quantity(kind, evaluator(*xs))
    v = fn(*vals)
    if not tracked:
        return v, EXACT
    return v, _argument_errors(fn, parts, vals, v, _rounding(v) + 4)


def _argument_errors(fn, parts, vals, v, err):
    """``err`` plus each argument's bound times a difference quotient of ``fn`` in it."""
    errs = [err]
    for i, (a, ea) in enumerate(parts):
        if ea == EXACT:
            continue
        if ea > max(_lg(a) - 10, -10):
            return UNKNOWN
        errs.append(_slope(fn, vals, i, ea) + ea)
    return _lg_sum(errs)


def _checked_quantity(kind, v):
    if isinstance(v, mpmath.matrix):
        return v
    try:
        v = mpmath.mpmathify(v)
    except (TypeError, ValueError):
        raise Unevaluable(f"the evaluator of {kind.__name__} returned {type(v).__name__}, not a number") from None
    if not mpmath.isfinite(v):
        raise Unevaluable(f"the evaluator of {kind.__name__} returned {v}")
    return v


# -- SymPy's own evalf, for the rest -------------------------------------------------------------

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
            v = mpmath.mpf(sp.Float(re_, mp.dps)._mpf_)
        else:
            v = mpmath.mpc(sp.Float(re_, mp.dps)._mpf_, sp.Float(im_, mp.dps)._mpf_)
    except (AttributeError, TypeError):
        raise Unevaluable(f"cannot evaluate {type(e).__name__} numerically") from None
    # evalf returns as many digits as it could vouch for (its own accuracy tracking)
    accurate = min((x._prec for x in (re_, im_) if isinstance(x, sp.Float)), default=mp.prec)
    return v, _lg_sum([_rounding(v), _lg(v) - min(accurate, mp.prec) + 1])
