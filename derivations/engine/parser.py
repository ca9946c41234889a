"""Parse user expressions into SymPy objects without executing any code.

User text is data.  ``sympify``/``parse_expr`` end in ``eval`` and stripped globals do not
stop ``().__class__.__mro__[1].__subclasses__()`` escapes, so this module walks Python's
``ast`` itself and builds SymPy objects from a whitelist:

* numbers (int and float literals, bounded in size), ``+ - * / **`` and unary ``+ -``;
* names: whitelisted functions and constants, otherwise a symbol (letters, digits and single
  underscores; no leading underscore, so no dunders);
* calls of whitelisted functions with positional arguments (``Limit`` also takes ``dir``);
* tuples (integration/summation limits), lists (``Matrix`` rows), and the attribute ``.T``.

Everything else (attributes, subscripts, lambdas, comprehensions, strings, keywords, ...)
is rejected with :class:`~derivations.engine.errors.ExpressionError`.  Sizes are bounded
before anything is built: input length, nesting depth, integer literals, and integer powers
whose result would be huge (``10**10**10**10``), so building never hangs.
"""
from __future__ import annotations

import ast
import math
import re
import warnings

import sympy as sp

from derivations.engine.errors import ExpressionError

MAX_CHARS = 2000
MAX_DEPTH = 60
MAX_NODES = 2000
MAX_INT_DIGITS = 200
MAX_POWER_BITS = 20000  # bits of an exact integer power we are willing to build
MAX_SYMBOLIC_EXPONENT = 1000
MAX_MATRIX_ENTRIES = 400
MAX_COMBINATORIAL_ARG = 10000
MAX_RATIONAL_SUM = 5000
MAX_SYMBOLIC_MATRIX_POWER = 6  # and rows**3 * exponent <= MAX_SYMBOLIC_MATRIX_WORK
MAX_SYMBOLIC_MATRIX_WORK = 4000

FUNCTIONS = {
    name: getattr(sp, name) for name in (
        "sin cos tan cot sec csc asin acos atan acot atan2 sinh cosh tanh coth asinh acosh atanh "
        "exp log sqrt cbrt root Abs sign floor ceiling re im conjugate arg gamma loggamma digamma "
        "polygamma beta zeta polylog binomial factorial erf erfc erfi erfinv besselj bessely besseli "
        "besselk airyai airybi LambertW Ci Si Ei li harmonic Min Max Integral Sum Product Limit "
        "Derivative Matrix Rational KroneckerDelta").split()
}
FUNCTIONS["ln"] = sp.log
FUNCTIONS["abs"] = sp.Abs
FUNCTIONS["W"] = sp.LambertW

CONSTANTS = {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo, "Catalan": sp.Catalan,
             "EulerGamma": sp.EulerGamma, "GoldenRatio": sp.GoldenRatio}

_UNEVALUATED = {"Integral", "Sum", "Product", "Limit", "Derivative"}
_COMBINATORIAL = {"factorial", "binomial", "harmonic", "gamma", "polygamma", "digamma", "zeta", "beta",
                  "polylog"}
# harmonic(n, m), zeta(s, a), polygamma(m, z), digamma(n) with rational arguments evaluate to
# a sum of about n rationals of m*log2(n) bits (or a Bernoulli number B_s): the product of
# the arguments measures the cost (harmonic(10000) alone takes seconds).
_RATIONAL_SUMS = {"harmonic", "zeta", "polygamma", "digamma"}
_SYMBOL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*\Z")


def parse_expression(text: str, symbols: dict | None = None):
    """Parse ``text`` to a SymPy expression or matrix.

    ``symbols`` maps names to pre-made symbols (with assumptions); other names become plain
    symbols.  Raises :class:`ExpressionError` with a one-line message on any problem.
    """
    if not isinstance(text, str):
        raise ExpressionError("expression must be text")
    if len(text) > MAX_CHARS:
        raise ExpressionError(f"expression too long ({len(text)} characters; limit {MAX_CHARS})")
    if not text.strip():
        raise ExpressionError("empty expression")
    if "\x00" in text:
        raise ExpressionError("expression contains a NUL character")
    # Python's parser itself recurses; bound nesting before handing it the text.
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested deeper than {MAX_DEPTH} levels")
    try:
        with warnings.catch_warnings():  # SyntaxWarnings (invalid escapes...) would print a second line
            warnings.simplefilter("ignore")
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"malformed expression: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        raise ExpressionError(f"malformed expression: {type(exc).__name__}") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(f"expression too large ({count} nodes; limit {MAX_NODES})")
    builder = _Builder(symbols or {}, text.strip())
    try:
        return builder.build(tree.body, 0)
    except ExpressionError:
        raise
    except RecursionError:
        raise ExpressionError("expression too deeply nested") from None
    except Exception as exc:  # SymPy raises many types on bad input; the user gets one line, never a traceback
        raise ExpressionError(f"invalid expression: {str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__}") from None


class _Builder:
    def __init__(self, symbols: dict, text: str = ""):
        self.symbols = symbols
        self.text = text

    def build(self, node, depth):
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested deeper than {MAX_DEPTH} levels")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExpressionError(f"{_describe(node)} is not allowed in expressions")
        return method(node, depth + 1)

    # -- leaves -------------------------------------------------------------------------
    def _Constant(self, node, depth):
        v = node.value
        if isinstance(v, bool) or v is None or not isinstance(v, (int, float)):
            raise ExpressionError(f"literal {type(v).__name__} is not allowed in expressions")
        if isinstance(v, int):
            if v.bit_length() > MAX_INT_DIGITS * 3.33:
                raise ExpressionError(f"integer literal longer than {MAX_INT_DIGITS} digits")
            return sp.Integer(v)
        if not math.isfinite(v):
            raise ExpressionError("non-finite float literal")
        # A decimal literal means the exact decimal (0.1 is 1/10), not the nearest binary double:
        # read from the source text, since the float keeps only 17 digits (a 21-digit integer
        # written with ".0" became another integer and a true identity was refuted).
        text = (ast.get_source_segment(self.text, node) or "").replace("_", "") or repr(v)
        if "e" in text.lower() and abs(int(text.lower().split("e")[1])) > MAX_INT_DIGITS:
            raise ExpressionError("float literal exponent too large")
        return sp.Rational(text)

    def _Name(self, node, depth):
        name = node.id
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            raise ExpressionError(f"function {name} used without arguments")
        if name in self.symbols:
            return self.symbols[name]
        if not _SYMBOL_NAME.match(name) or len(name) > 40:
            raise ExpressionError(f"name {name!r} is not allowed (use letters, digits, single underscores)")
        return sp.Symbol(name)

    # -- operators ----------------------------------------------------------------------
    def _UnaryOp(self, node, depth):
        x = self.build(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -x
        if isinstance(node.op, ast.UAdd):
            return x
        raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")

    def _BinOp(self, node, depth):
        a = self.build(node.left, depth)
        b = self.build(node.right, depth)
        op = node.op
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div):
            if isinstance(b, sp.MatrixBase):
                raise ExpressionError("division by a matrix")
            return a / b
        if isinstance(op, ast.Pow):
            return self._power(a, b)
        if isinstance(op, ast.MatMult) and isinstance(a, sp.MatrixBase):
            return a * b
        raise ExpressionError(f"operator {type(op).__name__} is not allowed")

    def _power(self, a, b):
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
            self._exp(b)
        if b.is_Number and b.is_Integer or (b.is_Rational and b.is_number):
            e = abs(b.p) if b.is_Rational else abs(int(b))
            if a.is_Integer or a.is_Rational:
                bits = max(abs(a.p).bit_length(), abs(a.q).bit_length()) if a.is_Rational else abs(int(a)).bit_length()
                if bits * e > MAX_POWER_BITS:
                    raise ExpressionError("number too large: an integer power would have more than "
                                          f"{MAX_POWER_BITS} bits")
            elif e > MAX_SYMBOLIC_EXPONENT:
                raise ExpressionError(f"exponent {b} too large (limit {MAX_SYMBOLIC_EXPONENT})")
        elif b.is_Float and abs(b) > MAX_SYMBOLIC_EXPONENT and (a.is_number and abs(a) > 1e6):
            raise ExpressionError("number too large")
        return sp.Pow(a, b)

    def _exp(self, arg):
        """SymPy evaluates exp(c*log(b)) to b**c (``exp.eval``): bound that power as ``b**c``."""
        for term in sp.Add.make_args(arg):
            factors = [sp.logcombine(f) if f.has(sp.log) else f for f in sp.Mul.make_args(term)]
            logs = [f for f in factors if isinstance(f, sp.log)]
            if len(logs) == 1:
                self._power(logs[0].args[0], sp.Mul(*(f for f in factors if f is not logs[0])))

    # -- calls, tuples, lists, .T --------------------------------------------------------
    def _Call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("only named functions can be called")
        name = node.func.id
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name!r}")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError("starred arguments are not allowed")
        args = [self.build(a, depth) for a in node.args]
        kwargs = {}
        for kw in node.keywords:
            if name == "Limit" and kw.arg == "dir" and isinstance(kw.value, ast.Constant) \
                    and kw.value.value in ("+", "-", "+-"):
                kwargs["dir"] = kw.value.value
            else:
                raise ExpressionError(f"keyword argument {kw.arg!r} is not allowed")
        if name == "Matrix":
            return self._matrix(args)
        if name in _COMBINATORIAL:
            for a in args:
                if isinstance(a, sp.Basic) and a.is_number and a.is_real and abs(a) > MAX_COMBINATORIAL_ARG:
                    raise ExpressionError(f"argument of {name} too large (limit {MAX_COMBINATORIAL_ARG})")
            if name in _RATIONAL_SUMS and all(isinstance(a, sp.Basic) and a.is_Rational for a in args) and \
                    math.prod(max(1, abs(a)) for a in args) > MAX_RATIONAL_SUM:
                raise ExpressionError(f"arguments of {name} too large (product limit {MAX_RATIONAL_SUM})")
        if name == "Limit":
            if len(args) != 3 or not isinstance(args[1], sp.Symbol) or \
                    any(isinstance(a, (sp.Tuple, sp.MatrixBase)) for a in args):
                raise ExpressionError("Limit takes an expression, a symbol and a point")
            return sp.Limit(*args, **kwargs)
        if name in _UNEVALUATED:
            if not args:
                raise ExpressionError(f"{name} needs arguments")
            for lim in args[1:]:
                if not isinstance(lim, (sp.Symbol, sp.Tuple)):
                    raise ExpressionError(f"{name} limits must be a symbol or (symbol, a, b)")
                if isinstance(lim, sp.Tuple) and not isinstance(lim[0], sp.Symbol):
                    raise ExpressionError(f"{name} limit variable must be a symbol")
            return FUNCTIONS[name](*args, **kwargs)
        if any(isinstance(a, (sp.MatrixBase, sp.Tuple)) for a in args):
            raise ExpressionError(f"{name} does not take a matrix or tuple argument")
        if name == "exp" and len(args) == 1:
            self._exp(args[0])
        if name == "root" and len(args) >= 2:
            self._power(args[0], sp.S.One / args[1])  # root(a, n) is a**(1/n)
        if name in ("floor", "ceiling") and len(args) == 1 and not args[0].is_Rational:
            # Their integer part needs as many digits as the number has (floor(exp(10**100))).
            return FUNCTIONS[name](args[0], evaluate=False)
        return FUNCTIONS[name](*args)

    @staticmethod
    def _matrix(args):
        if len(args) != 1 or not isinstance(args[0], sp.Tuple):
            raise ExpressionError("Matrix takes one list of rows, e.g. Matrix([[1, 2], [3, 4]])")
        rows = args[0]
        if all(isinstance(r, sp.Tuple) for r in rows):
            data = [list(r) for r in rows]
        else:
            data = [[x] for x in rows]
        if not 1 <= sum(len(r) for r in data) <= MAX_MATRIX_ENTRIES:
            raise ExpressionError(f"Matrix must have between 1 and {MAX_MATRIX_ENTRIES} entries")
        if len({len(r) for r in data}) != 1:
            raise ExpressionError("Matrix rows must have equal length")
        if any(isinstance(x, (sp.Tuple, sp.MatrixBase)) for r in data for x in r):
            raise ExpressionError("Matrix entries must be expressions")
        return sp.ImmutableMatrix(data)

    def _Tuple(self, node, depth):
        return sp.Tuple(*[self.build(e, depth) for e in node.elts])

    _List = _Tuple

    def _Attribute(self, node, depth):
        if node.attr != "T":
            raise ExpressionError(f"attribute .{node.attr} is not allowed (only .T)")
        m = self.build(node.value, depth)
        if not isinstance(m, sp.MatrixBase):
            raise ExpressionError(".T applies to matrices only")
        return m.T


def _describe(node) -> str:
    names = {"Lambda": "lambda", "ListComp": "a comprehension", "GeneratorExp": "a generator",
             "SetComp": "a comprehension", "DictComp": "a comprehension", "Subscript": "subscripting",
             "Compare": "a comparison", "BoolOp": "a boolean operator", "IfExp": "a conditional",
             "Dict": "a dict", "Set": "a set", "JoinedStr": "an f-string", "NamedExpr": "assignment",
             "Starred": "starred unpacking", "Await": "await", "Yield": "yield", "Slice": "a slice"}
    return names.get(type(node).__name__, type(node).__name__)
