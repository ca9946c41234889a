"""Size bounds on what SymPy evaluates while an expression is built from user text.

SymPy evaluates eagerly: ``Integer(10)**10**10`` builds a ten-billion-digit number,
``exp(10**9*log(2))`` becomes ``2**(10**9)``, ``factorial(10**7)`` and ``harmonic(10**4)`` take
seconds to minutes.  Both readers of user text (the Python-syntax :mod:`parser` and the LaTeX
reader :mod:`latex`) call these checks *before* building each node, so that building never
hangs; each refusal is an :class:`~derivations.engine.errors.ExpressionError` with one line.
"""
from __future__ import annotations

import math

import sympy as sp

from derivations.engine.errors import ExpressionError

MAX_INT_DIGITS = 200
MAX_POWER_BITS = 20000  # bits of an exact integer power we are willing to build
MAX_SYMBOLIC_EXPONENT = 1000
MAX_COMBINATORIAL_ARG = 10000
MAX_RATIONAL_SUM = 5000
MAX_SYMBOLIC_MATRIX_POWER = 6  # and rows**3 * exponent <= MAX_SYMBOLIC_MATRIX_WORK
MAX_SYMBOLIC_MATRIX_WORK = 4000

COMBINATORIAL = frozenset({"factorial", "binomial", "harmonic", "gamma", "polygamma", "digamma", "zeta",
                           "beta", "polylog"})
# harmonic(n, m), zeta(s, a), polygamma(m, z), digamma(n) with rational arguments evaluate to
# a sum of about n rationals of m*log2(n) bits (or a Bernoulli number B_s): the product of
# the arguments measures the cost (harmonic(10000) alone takes seconds).
RATIONAL_SUMS = frozenset({"harmonic", "zeta", "polygamma", "digamma"})


def integer_literal(value: int | str) -> sp.Integer:
    """An integer literal (a Python int or a run of decimal digits) of at most about
    ``MAX_INT_DIGITS`` digits."""
    if isinstance(value, str):
        if len(value.lstrip("0")) > MAX_INT_DIGITS + 1:  # before int(): no huge conversion
            raise ExpressionError(f"integer literal longer than {MAX_INT_DIGITS} digits")
        value = int(value)
    if value.bit_length() > MAX_INT_DIGITS * 3.33:
        raise ExpressionError(f"integer literal longer than {MAX_INT_DIGITS} digits")
    return sp.Integer(value)


def decimal_literal(text: str) -> sp.Rational:
    """The exact rational a decimal literal denotes (``0.1`` is 1/10, not the nearest double)."""
    mantissa, _, exponent = text.lower().replace("_", "").partition("e")
    if exponent and abs(int(exponent)) > MAX_INT_DIGITS:
        raise ExpressionError("float literal exponent too large")
    if len(mantissa.replace(".", "").lstrip("0")) > MAX_INT_DIGITS:
        raise ExpressionError(f"decimal literal longer than {MAX_INT_DIGITS} digits")
    return sp.Rational(text)


def power(a, b):
    r"""``a**b``, refused when SymPy would build a huge exact number or a huge symbolic power.

    Exact rational bases: at most ``MAX_POWER_BITS`` bits in the result (counted with the
    exponent's numerator); other bases: a rational exponent of absolute value at most
    ``MAX_SYMBOLIC_EXPONENT`` (``(x+1)**1001`` expands badly later); matrices: integer exponents 0..64, fewer for non-numeric entries.  ``E**u`` is
    bounded as :func:`check_exp`.
    """
    if isinstance(b, sp.MatrixBase):
        raise ExpressionError("matrix exponents are not allowed")
    if isinstance(a, sp.MatrixBase):
        if not (b.is_Integer and 0 <= b <= 64):
            raise ExpressionError("matrix powers must be integers from 0 to 64")
        # Powers of symbolic matrices swell (3x3 symbols to the 8th power takes seconds).
        if not all(x.is_Rational for x in a) and (
                b > MAX_SYMBOLIC_MATRIX_POWER or a.rows ** 3 * int(b) > MAX_SYMBOLIC_MATRIX_WORK):
            raise ExpressionError("power of a non-numeric matrix too large (at most the "
                                  f"{MAX_SYMBOLIC_MATRIX_POWER}th, and rows^3 * exponent <= {MAX_SYMBOLIC_MATRIX_WORK})")
        return a ** int(b)
    if a is sp.E:
        check_exp(b)
    if b.is_Rational:
        if a.is_Rational:
            bits = max(abs(a.p).bit_length(), abs(a.q).bit_length())
            if bits * abs(b.p) > MAX_POWER_BITS:
                raise ExpressionError("number too large: an integer power would have more than "
                                      f"{MAX_POWER_BITS} bits")
        # a symbolic base costs by the size of the exponent (expand splits off its integer part):
        # x**(p/q) with a long decimal p/q (e**{2.1419^2}) builds nothing large
        elif abs(b) > MAX_SYMBOLIC_EXPONENT:
            raise ExpressionError(f"exponent {b} too large (limit {MAX_SYMBOLIC_EXPONENT})")
    elif b.is_Float and abs(b) > MAX_SYMBOLIC_EXPONENT and (a.is_number and abs(a) > 1e6):
        raise ExpressionError("number too large")
    return sp.Pow(a, b)


def check_exp(arg) -> None:
    """SymPy evaluates exp(c*log(b)) to b**c (``exp.eval``): bound that power as ``b**c``."""
    for term in sp.Add.make_args(arg):
        factors = [sp.logcombine(f) if f.has(sp.log) else f for f in sp.Mul.make_args(term)]
        logs = [f for f in factors if isinstance(f, sp.log)]
        if len(logs) == 1:
            power(logs[0].args[0], sp.Mul(*(f for f in factors if f is not logs[0])))


def check_function_args(name: str, args) -> None:
    """Refuse arguments on which the SymPy function ``name`` would evaluate for too long.

    ``factorial``, ``binomial``, ``gamma``, ... of a real number larger than
    ``MAX_COMBINATORIAL_ARG``; ``harmonic``/``zeta``/``polygamma``/``digamma`` of rationals whose
    product exceeds ``MAX_RATIONAL_SUM``; ``exp(c*log b)`` and ``root(a, n)`` as the powers they
    become.
    """
    if name in COMBINATORIAL:
        for a in args:
            if isinstance(a, sp.Basic) and a.is_number and a.is_real and abs(a) > MAX_COMBINATORIAL_ARG:
                raise ExpressionError(f"argument of {name} too large (limit {MAX_COMBINATORIAL_ARG})")
        if name in RATIONAL_SUMS and all(isinstance(a, sp.Basic) and a.is_Rational for a in args) and \
                math.prod(max(1, abs(a)) for a in args) > MAX_RATIONAL_SUM:
            raise ExpressionError(f"arguments of {name} too large (product limit {MAX_RATIONAL_SUM})")
    if name == "exp" and len(args) == 1:
        check_exp(args[0])
    if name == "root" and len(args) >= 2:
        power(args[0], sp.S.One / args[1])  # root(a, n) is a**(1/n)


def integer_part(function, arg):
    """``floor``/``ceiling`` of ``arg``; left unevaluated unless ``arg`` is rational, since the
    integer part of an irrational number needs as many digits as the number has
    (``floor(exp(10**100))``)."""
    if not arg.is_Rational:
        return function(arg, evaluate=False)
    return function(arg)
